//! `obhod ballots check FILE`, run as the real binary: the same papers typed again match (exit 0);
//! a typo in an answer, a decision left out and one not recorded are listed by premise, owner and
//! question (exit 1, in text and JSON); a bad file is refused (exit 2); nothing is ever written.

use serde_json::Value;

mod support;
use support::{Workdir, fixture};

fn imported() -> Workdir {
    let campaign = Workdir::with("guide-example");
    campaign.ok(&["ballots", "import", &fixture("guide-example", "ballots.csv")]);
    campaign
}

/// The store's bytes and the decisions listed, to show nothing was written.
fn kept(campaign: &Workdir) -> (Vec<u8>, String) {
    (std::fs::read(campaign.file("obhod.db")).unwrap(), campaign.ok(&["--json", "ballots", "list"]))
}

fn second_entry(campaign: &Workdir, edit: impl Fn(String) -> String) -> String {
    let text = std::fs::read_to_string(fixture("guide-example", "ballots.csv")).unwrap();
    std::fs::write(campaign.file("second.csv"), edit(text)).unwrap();
    campaign.at("second.csv")
}

#[test]
fn the_same_papers_typed_again_match_with_exit_0() {
    let campaign = imported();
    let file = second_entry(&campaign, |text| text);
    let out = campaign.ok(&["ballots", "check", &file]);
    assert_eq!(out, "Расхождений нет: второй ввод совпадает с записанными решениями (5)\n");
    let json: Value = serde_json::from_str(&campaign.ok(&["--json", "ballots", "check", &file])).unwrap();
    assert_eq!(json, serde_json::json!({"differences": []}));
}

#[test]
fn a_typo_in_an_answer_and_decisions_on_one_side_only_are_listed_with_exit_1_and_nothing_written() {
    let campaign = imported();
    let before = kept(&campaign);
    let file = second_entry(&campaign, |text| {
        let text =
            text.replace("2,Петров Пётр Петрович,против,за,против", "2,Петров Пётр Петрович,против,против,против");
        text.lines().filter(|line| !line.starts_with("1,Иванов")).collect::<Vec<_>>().join("\n")
    });
    // Иванов is left out of the second entry.
    let (code, stdout, stderr) = campaign.run(&["ballots", "check", &file]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(
        stdout,
        "Расхождений с записанными решениями: 2; ничего не записано\n\
         помещение 1 · «Иванов Иван Иванович» · решение записано, а во втором вводе его нет\n\
         помещение 2 · «Петров Пётр Петрович» · вопрос 2: записано «за», введено «против»\n"
    );
    let (code, stdout, _) = campaign.run(&["--json", "--lang", "en", "ballots", "check", &file]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["differences"][1],
        serde_json::json!({
            "premise": "2", "owner": "Петров Пётр Петрович", "field": "question_2",
            "recorded": "for", "entered": "against", "message": "question 2: recorded «for», entered «against»"
        })
    );
    assert_eq!(json["differences"][0]["field"], "decision");
    assert_eq!(kept(&campaign), before, "nothing written");
}

#[test]
fn a_decision_typed_again_that_is_not_recorded_is_listed_and_a_bad_file_refused_with_exit_2() {
    let campaign = Workdir::with("guide-example");
    let file = second_entry(&campaign, |text| text.lines().take(2).collect::<Vec<_>>().join("\n"));
    let (code, stdout, _) = campaign.run(&["ballots", "check", &file]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("помещение Полуподвал · «ООО «Магазин у дома»» · решения нет среди записанных"),
        "{stdout}"
    );
    let bad = second_entry(&campaign, |text| text.replace("Петров Пётр Петрович,против", "Петров Пётр Петрович,протв"));
    let message = campaign.refused(&["ballots", "check", &bad]);
    assert!(message.contains("протв"), "{message}");
}
