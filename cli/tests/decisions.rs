//! `obhod ballots list` and `ballots withdraw`, run as the real binary: every decision listed with
//! its id, a withdrawal taking it out of the count at once, a corrected decision imported in its
//! place, and a withdrawal twice or of an unknown id refused with exit 2 in words.

use serde_json::Value;

mod support;
use support::{Workdir, fixture};

const PETROV: &str = "Петров Пётр Петрович";

fn imported() -> Workdir {
    let campaign = Workdir::with("guide-example");
    campaign.ok(&["ballots", "import", &fixture("guide-example", "ballots.csv")]);
    campaign
}

fn list(campaign: &Workdir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--json", "ballots", "list"];
    all.extend_from_slice(args);
    let value: Value = serde_json::from_str(&campaign.ok(&all)).unwrap();
    value["decisions"].as_array().unwrap().clone()
}

fn participated(campaign: &Workdir) -> String {
    let tally: Value = serde_json::from_str(&campaign.ok(&["--json", "tally"])).unwrap();
    tally["participated"].as_str().unwrap().to_string()
}

#[test]
fn ballots_list_gives_each_decision_with_its_id_and_answers_by_question() {
    let campaign = imported();
    let all = list(&campaign, &[]);
    assert_eq!(all.len(), 5);
    let petrov = list(&campaign, &["--premise", " 2 "]);
    assert_eq!(petrov.len(), 1, "{petrov:?}");
    let decision = &petrov[0];
    assert_eq!(decision["owner"], PETROV);
    assert_eq!(decision["answers"], serde_json::json!({"1": "against", "2": "for", "3": "against"}));
    assert_eq!(decision["received"], "2026-12-16");
    assert_eq!(decision["withdrawn"], false);
    assert_eq!(decision["representative"], Value::Null);
    assert_eq!(decision["id"].as_str().unwrap().len(), 26, "a ULID");
    let text = campaign.ok(&["ballots", "list", "--premise", "2"]);
    let id = decision["id"].as_str().unwrap();
    assert!(text.contains(&format!("{id} помещение 2, «{PETROV}»")), "{text}");
    assert!(text.contains("1: против; 2: за; 3: против; получено 16.12.2026"), "{text}");
    let unknown = campaign.refused(&["ballots", "list", "--premise", "99"]);
    assert!(unknown.contains("99"), "{unknown}");
}

#[test]
fn a_withdrawn_decision_leaves_the_count_and_a_corrected_one_takes_its_place() {
    let campaign = imported();
    let before = participated(&campaign);
    let id = list(&campaign, &["--premise", "2"])[0]["id"].as_str().unwrap().to_string();
    let out = campaign.ok(&["ballots", "withdraw", &id, "--note", "перепутаны ответы"]);
    assert!(out.starts_with(&format!("Отозвано решение {id} [")), "{out}");
    assert!(out.ends_with("решений в подсчёте: 4\n"), "{out}");
    assert_ne!(participated(&campaign), before, "the count follows at once");
    let listed = list(&campaign, &["--premise", "2"]);
    assert_eq!((listed.len(), &listed[0]["withdrawn"]), (1, &Value::Bool(true)));
    assert!(campaign.ok(&["ballots", "list"]).contains("ОТОЗВАНО"));
    let fixed = campaign.file("fixed.csv");
    std::fs::write(&fixed, format!("premise,owner,1,2,3,received,defect\n2,{PETROV},за,за,против,2026-12-16,\n"))
        .unwrap();
    campaign.ok(&["ballots", "import", fixed.to_str().unwrap()]);
    assert_eq!(participated(&campaign), before, "Petrov takes part again");
    let standing: Vec<Value> =
        list(&campaign, &["--premise", "2"]).into_iter().filter(|d| d["withdrawn"] == false).collect();
    assert_eq!(standing[0]["answers"]["1"], "for");
}

#[test]
fn a_decision_withdrawn_twice_or_an_unknown_id_is_refused_with_exit_2() {
    let campaign = imported();
    let id = list(&campaign, &["--premise", "2"])[0]["id"].as_str().unwrap().to_string();
    campaign.ok(&["ballots", "withdraw", &id.to_lowercase()]);
    let twice = campaign.refused(&["ballots", "withdraw", &id]);
    assert!(twice.contains(&format!("решение {id} уже отозвано")), "{twice}");
    let english = campaign.refused(&["--lang", "en", "ballots", "withdraw", &id]);
    assert!(english.contains(&format!("decision {id} is already withdrawn")), "{english}");
    let unknown = campaign.refused(&["ballots", "withdraw", "01JF0000000000000000000000"]);
    assert!(unknown.contains("решения 01JF0000000000000000000000 нет в кампании"), "{unknown}");
    let json: Value = serde_json::from_str(&campaign.run(&["--json", "ballots", "withdraw", &id]).1).unwrap();
    assert_eq!(json["error"]["code"], "decision_withdrawn");
}

#[test]
fn a_different_decision_for_an_owner_with_one_names_the_command_that_withdraws_it() {
    let campaign = imported();
    let id = list(&campaign, &["--premise", "2"])[0]["id"].as_str().unwrap().to_string();
    let fixed = campaign.file("fixed.csv");
    std::fs::write(&fixed, format!("premise,owner,1,2,3,received,defect\n2,{PETROV},за,за,против,2026-12-16,\n"))
        .unwrap();
    let refused = campaign.refused(&["ballots", "import", fixed.to_str().unwrap()]);
    assert!(refused.contains(&format!("obhod ballots withdraw {id}")), "{refused}");
}

#[test]
fn ballots_import_replaces_gives_the_corrected_decision_citing_the_wrong_one() {
    let campaign = imported();
    let id = list(&campaign, &["--premise", "2"])[0]["id"].as_str().unwrap().to_string();
    let fixed = campaign.file("fixed.csv");
    std::fs::write(&fixed, format!("premise,owner,1,2,3,received,defect\n2,{PETROV},за,за,против,2026-12-16,\n"))
        .unwrap();
    let out = campaign.ok(&["ballots", "import", fixed.to_str().unwrap(), "--replaces", &id]);
    assert!(out.starts_with(&format!("Решение {id} отозвано и заменено решением ")), "{out}");
    let listed = list(&campaign, &["--premise", "2"]);
    let new = listed.iter().find(|d| d["withdrawn"] == false).unwrap();
    assert_eq!((&new["replaces"], &new["answers"]["1"]), (&Value::String(id.clone()), &Value::from("for")));
    let again = campaign.refused(&["ballots", "import", fixed.to_str().unwrap(), "--replaces", &id]);
    assert!(again.contains("уже отозвано"), "{again}");
}

/// The guide's ballots.csv written as a workbook with a title above the table, as a counting
/// commission types it in a spreadsheet; `mangle` changes a row's cells first.
fn ballots_workbook(path: &std::path::Path, mangle: impl Fn(usize, &mut Vec<String>)) {
    let text = std::fs::read_to_string(fixture("guide-example", "ballots.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Решения").unwrap();
    sheet.write_string(0, 0, "Решения собственников, поступившие в счётную комиссию").unwrap();
    for (r, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        mangle(r, &mut cells);
        for (c, cell) in cells.iter().enumerate() {
            sheet.write_string(r as u32 + 2, c as u16, cell).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn decisions_typed_into_a_workbook_are_imported_and_checked_and_a_bad_row_is_named_on_its_sheet() {
    let campaign = Workdir::with("guide-example");
    ballots_workbook(&campaign.file("bad.xlsx"), |r, cells| {
        if r == 2 {
            cells[0] = "999".into();
        }
    });
    let refused = campaign.refused(&["ballots", "import", &campaign.at("bad.xlsx")]);
    assert!(refused.contains("лист «Решения»") && refused.contains("строка 5") && refused.contains("999"), "{refused}");
    assert!(list(&campaign, &[]).is_empty(), "nothing imported");

    ballots_workbook(&campaign.file("ballots.xlsx"), |_, _| {});
    let out = campaign.ok(&["ballots", "import", &campaign.at("ballots.xlsx")]);
    assert!(out.starts_with("Добавлено решений: 5;"), "{out}");
    assert_eq!(list(&campaign, &[]).len(), 5);
    let check = campaign.ok(&["ballots", "check", &campaign.at("ballots.xlsx")]);
    assert!(check.starts_with("Расхождений нет"), "{check}");
}
