//! A fact written by a newer obhod (an act or outcome this version does not know) is not dropped
//! silently: `obhod status` counts it and asks for an update.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[path = "../../tui/tests/support/newer_fact.rs"]
mod newer_fact;
use newer_fact::add_fact_from_a_newer_obhod;

fn obhod(store: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("OBHOD_STORE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn status_counts_facts_from_a_newer_obhod() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("obhod.db");
    let meeting = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example/meeting.toml");
    obhod(&store, &["init", "--meeting", meeting.to_str().unwrap()]);
    obhod(&store, &["mark", "1", "absent"]);
    assert!(!obhod(&store, &["status"]).contains("более новой"));
    add_fact_from_a_newer_obhod(&store);

    assert!(obhod(&store, &["status"]).contains("Фактов от более новой версии obhod: 1 — обновите obhod"));
    assert!(obhod(&store, &["--lang", "en", "status", "1"]).contains("Facts from a newer obhod: 1 — update obhod"));
    let status: Value = serde_json::from_str(&obhod(&store, &["--json", "status"])).unwrap();
    assert_eq!(status["unknown_facts"], 1);
    let premise: Value = serde_json::from_str(&obhod(&store, &["--json", "status", "1"])).unwrap();
    assert_eq!((premise["unknown_facts"].as_u64(), premise["facts"].as_array().unwrap().len()), (Some(1), 1));
}
