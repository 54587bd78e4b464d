//! `obhod conflicts` end to end: two devices import different ballots for one owner and sync;
//! the binary lists the conflict, `status` and `tally --json` show it, a bad `--keep` is refused
//! with exit code 2, and `resolve` ends it on both devices after the next sync.

use std::path::{Path, PathBuf};

use obhod_store::{Campaign, SyncSession};
use serde_json::Value;

const PETROV: &str = "Петров Пётр Петрович";
const HEADER: &str = "premise,owner,1,2,3,received,defect\n";

mod support;
use support::ok;

fn json(store: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(store, &[&["--json"], args].concat())).unwrap()
}

fn guide(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(file).to_str().unwrap().to_owned()
}

/// Syncs the two stores to quiescence, as two devices would.
fn sync(a: &Path, b: &Path) {
    let (mut a, mut b) = (Campaign::open(a).unwrap(), Campaign::open(b).unwrap());
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    for _ in 0..100 {
        let to_b = sa.generate(&a);
        if let Some(message) = &to_b {
            sb.receive(&mut b, message).unwrap();
        }
        let to_a = sb.generate(&b);
        if let Some(message) = &to_a {
            sa.receive(&mut a, message).unwrap();
        }
        if to_a.is_none() && to_b.is_none() {
            return;
        }
    }
    panic!("the sync does not end");
}

/// Two devices whose stores hold Petrov's ballot twice, answering question 1 differently.
fn two_devices() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
    ok(&a, &["init", "--meeting", &guide("meeting.toml")]);
    Campaign::open(&a).unwrap().replica_to(&b).unwrap();
    for (store, first) in [(&a, "против"), (&b, "за")] {
        let file = dir.path().join(format!("{}.csv", store.file_stem().unwrap().to_str().unwrap()));
        std::fs::write(&file, format!("{HEADER}2,{PETROV},{first},за,против,2026-12-16,\n")).unwrap();
        ok(store, &["ballots", "import", file.to_str().unwrap()]);
    }
    assert_eq!(ok(&a, &["conflicts"]), "Конфликтов нет.\n", "before the sync each device has one ballot");
    sync(&a, &b);
    (dir, a, b)
}

#[test]
fn conflicts_lists_each_variant_with_where_it_came_from() {
    let (_dir, a, b) = two_devices();
    let text = ok(&b, &["conflicts"]);
    assert!(text.starts_with("1 конфликт: "), "{text}");
    assert!(text.contains(&format!("Помещение 2, «{PETROV}»: разные ответы на вопрос 1\n")), "{text}");
    assert!(text.contains("  1. 1: против; 2: за; 3: против; получено 16.12.2026 — "), "{text}");
    assert!(text.contains("a.csv:2, устройство "), "{text}");
    assert!(text.contains("  2. 1: за; 2: за; 3: против; получено 16.12.2026 — "), "{text}");
    assert!(text.contains(&format!("obhod conflicts resolve 2 --owner '{PETROV}' --keep НОМЕР")), "{text}");
    let english = ok(&b, &["conflicts", "--lang", "en"]);
    assert!(english.contains("Premise 2, «Петров Пётр Петрович»: question 1 answered differently"), "{english}");
    let listed = json(&a, &["conflicts"]);
    let conflict = &listed["conflicts"][0];
    assert_eq!((conflict["premise"].as_str(), conflict["owner"].as_str()), (Some("2"), Some(PETROV)));
    assert_eq!(conflict["questions"], serde_json::json!([1]));
    let id = conflict["variants"][0]["id"].as_str().unwrap();
    assert!(text.contains(&format!(", решение {id}\n")), "each variant's id, for ballots withdraw: {text}");
    let firsts: Vec<_> = conflict["variants"].as_array().unwrap().iter().map(|v| v["answers"][0].clone()).collect();
    assert_eq!(firsts, vec!["against", "for"]);
    assert_eq!(json(&b, &["conflicts"]), listed, "the same list, numbered alike, on both devices");
}

#[test]
fn status_and_tally_show_the_conflict() {
    let (_dir, a, _b) = two_devices();
    assert_eq!(json(&a, &["status"])["conflicts"], 1);
    let status = ok(&a, &["status"]);
    assert!(status.contains("Конфликтов решений (разные решения с разных устройств): 1 — разберите: obhod conflicts"));
    let tally = json(&a, &["tally"]);
    let warning = tally["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "ballot_conflict");
    let warning = warning.unwrap_or_else(|| panic!("{tally}"));
    assert_eq!((warning["premise"].as_str(), warning["owner"].as_str()), (Some("2"), Some(PETROV)));
    assert_eq!(warning["questions"], serde_json::json!([1]));
    assert!(warning["message"].as_str().unwrap().ends_with("obhod conflicts"), "{warning}");
    let one = &tally["questions"][0];
    assert_ne!(one["invalid"], "0", "question 1 is invalid for Petrov's room: {one}");
}

#[test]
fn a_bad_keep_is_refused_with_exit_code_2_and_changes_nothing() {
    let (_dir, a, _b) = two_devices();
    let (code, stdout, stderr) =
        support::obhod(&a, None, &["conflicts", "resolve", "2", "--owner", PETROV, "--keep", "3"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("нет варианта 3: укажите в --keep номер от 1 до 2"), "{stderr}");
    let (code, _, stderr) =
        support::obhod(&a, None, &["conflicts", "resolve", "2", "--owner", PETROV, "--keep", "два"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("«два» не номер"), "{stderr}");
    let (code, _, stderr) = support::obhod(&a, None, &["conflicts", "resolve", "77", "--owner", PETROV, "--keep", "1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("помещения «77» нет в реестре"), "{stderr}");
    assert_eq!(json(&a, &["conflicts"])["conflicts"].as_array().unwrap().len(), 1, "nothing stored");
}

#[test]
fn resolve_ends_the_conflict_on_both_devices_after_sync() {
    let (_dir, a, b) = two_devices();
    let resolved = ok(&a, &["conflicts", "resolve", "2", "--owner", PETROV, "--keep", "2"]);
    assert!(resolved.starts_with("Оставлен вариант 2"), "{resolved}");
    assert_eq!(ok(&a, &["conflicts"]), "Конфликтов нет.\n");
    assert_eq!(json(&b, &["status"])["conflicts"], 1, "the other device until it syncs");
    sync(&a, &b);
    assert_eq!(ok(&b, &["conflicts"]), "Конфликтов нет.\n");
    let tally = json(&b, &["tally"]);
    assert!(!tally["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "ballot_conflict"), "{tally}");
}
