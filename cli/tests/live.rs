//! `obhod tally`'s live count: each question's `outcome` and `needed` in JSON and in words, before
//! the end of voting (still open where votes to come decide) and after it (nothing open).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The guide example with its voting moved to `year` (its ballots dated in that year too):
/// the meeting file and the ballots file, in a temporary directory.
fn guide_in(year: u32) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example");
    std::fs::copy(guide.join("registry.csv"), dir.path().join("registry.csv")).unwrap();
    let meeting = std::fs::read_to_string(guide.join("meeting.toml")).unwrap().replace("2026-", &format!("{year}-"));
    std::fs::write(dir.path().join("meeting.toml"), meeting).unwrap();
    let ballots = std::fs::read_to_string(guide.join("ballots.csv")).unwrap().replace("2026-", &format!("{year}-"));
    std::fs::write(dir.path().join("ballots.csv"), ballots).unwrap();
    let path = |f: &str| dir.path().join(f).to_str().unwrap().to_owned();
    let (meeting, ballots) = (path("meeting.toml"), path("ballots.csv"));
    (dir, meeting, ballots)
}

fn tally(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod")).args(args).env_remove("OBHOD_STORE").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn questions(json: &Value) -> &Vec<Value> {
    json["questions"].as_array().unwrap()
}

#[test]
fn before_the_end_a_question_still_to_be_decided_is_open_with_the_votes_it_needs() {
    let (_dir, meeting, ballots) = guide_in(2090);
    let json: Value =
        serde_json::from_str(&tally(&["--json", "tally", "--meeting", &meeting, "--ballots", &ballots])).unwrap();
    // 500 votes, 275 in (200 «за» on question 1): 225 still to come could all go against, so
    // question 1 needs more than 50 more «за» to be sure; two thirds need 1000/3 − 225.
    let outcomes: Vec<(&str, &str)> =
        questions(&json).iter().map(|q| (q["outcome"].as_str().unwrap(), q["needed"].as_str().unwrap())).collect();
    assert_eq!(outcomes[0], ("open", "50"));
    assert_eq!(outcomes[2].0, "open");
    assert_eq!((json["quorum_outcome"].as_str(), json["quorum_needed"].as_str()), (Some("reached"), Some("0")));
    let text = tally(&["tally", "--meeting", &meeting, "--ballots", &ballots]);
    assert!(text.contains("Ещё не решено: нужно ещё более 50,00 гол. «за»."), "{text}");
    let english = tally(&["--lang", "en", "tally", "--meeting", &meeting, "--ballots", &ballots]);
    assert!(english.contains("Still open: needs more than 50.00 more votes for."), "{english}");
}

#[test]
fn after_the_end_nothing_is_open_and_each_outcome_is_the_final_verdict() {
    let (_dir, meeting, ballots) = guide_in(2020);
    let json: Value =
        serde_json::from_str(&tally(&["--json", "tally", "--meeting", &meeting, "--ballots", &ballots])).unwrap();
    for question in questions(&json) {
        let expected = if question["adopted"] == true { ("adopted", Value::from("0")) } else { ("lost", Value::Null) };
        assert_eq!((question["outcome"].as_str().unwrap(), question["needed"].clone()), expected, "{question}");
    }
    // The text says the verdict once: nothing is still to come.
    let text = tally(&["tally", "--meeting", &meeting, "--ballots", &ballots]);
    assert!(text.contains("Итог: ПРИНЯТО") && text.contains("Итог: НЕ ПРИНЯТО"), "{text}");
    for before in ["Уже принято", "Уже не будет принято", "Ещё не решено"] {
        assert!(!text.contains(before), "{before} after the end:\n{text}");
    }
}
