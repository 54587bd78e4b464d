//! A fact written by a newer obhod (an act or outcome this version does not know) is not dropped
//! silently: `obhod status` counts it and asks for an update.

use std::path::Path;
use std::process::Command;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use serde_json::Value;

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

/// Writes one change, as another obhod would, that adds a fact of an unknown act.
fn add_fact_from_a_newer_obhod(store: &Path) {
    let conn = rusqlite::Connection::open(store).unwrap();
    let campaign: String = conn.query_row("SELECT id FROM campaign", [], |r| r.get(0)).unwrap();
    let mut doc = Automerge::new();
    let mut rows = conn.prepare("SELECT data FROM snapshot UNION ALL SELECT data FROM change").unwrap();
    for data in rows.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
        doc.load_incremental(&data.unwrap()).unwrap();
    }
    let heads = doc.get_heads();
    let (_, facts) = doc.get(ROOT, "facts").unwrap().unwrap();
    let fact = r#"{"act":"sign","device":"01JF0000000000000000000000","at":"2026-11-21T19:05:03+06:00","premise":"1"}"#;
    doc.transact(|tx| tx.put(&facts, "01JF00000000000000000000ZZ", fact)).unwrap();
    for change in doc.get_changes(&heads) {
        conn.execute(
            "INSERT INTO change (campaign, hash, data) VALUES (?1, ?2, ?3)",
            rusqlite::params![campaign, change.hash().0.as_slice(), change.raw_bytes()],
        )
        .unwrap();
    }
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
