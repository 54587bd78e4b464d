//! What the store's tests share: the guide's building as a campaign's sources, and every automerge
//! byte of a store file (to prove that personal data never reached the document). Included by the
//! integration tests (`mod support;`) and by the unit tests (`#[path]`).

#![allow(dead_code)]

use std::path::Path;

pub mod group;

use obhod_store::{Campaign, Sources, SyncSession};

/// A file of the guide's worked example.
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The guide's building as a campaign is created from it.
pub fn sources() -> Sources {
    Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: fixture("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: fixture("registry.csv"),
    }
}

/// Every automerge byte of the store, stored and uncompressed: the snapshot and the change rows
/// as stored, every change of the document they make decompressed, and the document saved whole
/// without compression (automerge deflates columns over 256 bytes).
pub fn automerge_bytes(path: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stored = Vec::new();
    let mut doc = automerge::Automerge::new();
    for sql in ["SELECT data FROM snapshot", "SELECT data FROM change"] {
        let mut select = conn.prepare(sql).unwrap();
        for blob in select.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            let blob = blob.unwrap();
            doc.load_incremental(&blob).unwrap();
            stored.extend(blob);
        }
    }
    for change in doc.get_changes(&[]) {
        stored.extend(change.raw_bytes());
    }
    stored.extend(doc.save_nocompress());
    stored
}

/// Passes sync messages between two campaigns, both ways, until neither has anything to say.
pub fn sync(a: &mut Campaign, b: &mut Campaign) {
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    for _ in 0..100 {
        let to_b = sa.generate(a);
        if let Some(message) = &to_b {
            sb.receive(b, message).unwrap();
        }
        let to_a = sb.generate(b);
        if let Some(message) = &to_a {
            sa.receive(a, message).unwrap();
        }
        if to_a.is_none() && to_b.is_none() {
            return;
        }
    }
    panic!("the sync does not end");
}
