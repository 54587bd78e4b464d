//! A fact as a newer obhod would write it (an act this version does not know), put straight into a
//! store's change rows: shared by the tests of `obhod status` and of the TUI header.

use std::path::Path;

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};

/// Writes one change, as another obhod would, that adds a fact of an unknown act.
pub fn add_fact_from_a_newer_obhod(store: &Path) {
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
