//! Schema 2: phones and e-mails leave the document. Each campaign's document is rebuilt from a new
//! genesis (the same campaign id and texts) with every fact and ballot under its id, a contact
//! fact's values moved to the `contact` table; the snapshot and the change rows are replaced in the
//! migration's transaction. Safe only while no replica of the document exists elsewhere.

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ROOT, ScalarValue};
use chrono::DateTime;
use obhod_core::Registry;
use rusqlite::{Connection, params};
use serde_json::{Map, Value};

use crate::contacts::{self, ContactRow};
use crate::doc::{self, Layout};
use crate::error::StoreError;
use crate::replica;

/// Rebuilds the document of every campaign in the store (there is one, or none yet).
pub fn without_contacts(conn: &Connection) -> Result<(), StoreError> {
    let campaigns: Vec<String> =
        conn.prepare("SELECT id FROM campaign")?.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    for campaign in campaigns {
        rebuild(conn, &campaign)?;
    }
    Ok(())
}

fn rebuild(conn: &Connection, campaign: &str) -> Result<(), StoreError> {
    let (old, upto, _) = replica::read_document(conn, campaign)?;
    let layout = Layout::find(&old)?;
    let mut facts = Vec::new();
    for (id, text) in doc::strings(&old, &layout.facts) {
        let text = move_values(conn, campaign, &id, text)?;
        facts.push((id, text));
    }
    let ballots: Vec<(String, String)> = doc::strings(&old, &layout.ballots).collect();
    let sources = doc::sources(&old)?;
    let address = doc::string(&old, &ROOT, "address")?;

    // The genesis is the same bytes wherever this campaign is migrated (a fixed actor, time 0), so
    // that two copies of one old store, migrated apart, still share their maps.
    let mut new = Automerge::new().with_actor(ActorId::from(campaign.as_bytes()));
    new.transact(|tx| doc::genesis(tx, campaign, &address, &sources)).map_err(|failure| failure.error)?;
    new.set_actor(ActorId::random());
    let layout = Layout::find(&new)?;
    new.transact(|tx| {
        for (map, entries) in [(&layout.facts, &facts), (&layout.ballots, &ballots)] {
            for (key, text) in entries {
                tx.put(map, key.as_str(), ScalarValue::Str(text.as_str().into()))?;
            }
        }
        Ok::<_, automerge::AutomergeError>(())
    })
    .map_err(|failure| StoreError::from(failure.error))?;

    conn.execute("DELETE FROM change WHERE campaign = ?1", [campaign])?;
    conn.execute(
        "INSERT INTO snapshot (campaign, data, upto, saved_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (campaign) DO UPDATE SET data = excluded.data, upto = excluded.upto, saved_at = excluded.saved_at",
        params![campaign, new.save(), upto, chrono::Local::now().to_rfc3339()],
    )?;
    erase_fallen(conn, campaign, &new)?;
    tracing::info!(facts = facts.len(), "document rebuilt without contact values");
    Ok(())
}

/// A fact record with its phone and e-mail moved to the `contact` table and replaced by the
/// contact's id: the fact's own id, so that copies of one old store migrated apart agree. A record
/// without them is kept as it is, byte for byte.
fn move_values(conn: &Connection, campaign: &str, id: &str, text: String) -> Result<String, StoreError> {
    let Ok(mut record) = serde_json::from_str::<Map<String, Value>>(&text) else { return Ok(text) };
    let mut take = |key: &str| record.remove(key).and_then(|v| v.as_str().map(str::to_string));
    let (phone, email) = (take("phone"), take("email"));
    if phone.is_none() && email.is_none() {
        return Ok(text);
    }
    let field = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_string);
    let row = (|| {
        Some(ContactRow {
            id: id.to_string(),
            premise: field("premise")?,
            owner: field("owner")?,
            phone,
            email,
            recorded_at: DateTime::parse_from_rfc3339(&field("at")?).ok()?,
            device: field("device")?,
        })
    })();
    match row {
        Some(row) => {
            contacts::insert(conn, campaign, &row)?;
            record.insert("contact".into(), Value::String(row.id));
        }
        // Values that name no owner cannot rest on a consent: they are dropped.
        None => tracing::warn!(fact = id, "contact values without an owner dropped"),
    }
    Ok(serde_json::to_string(&record).expect("a JSON map always serialises"))
}

/// Erases the values whose consent was withdrawn before the migration: the old document only hid them.
fn erase_fallen(conn: &Connection, campaign: &str, doc: &Automerge) -> Result<(), StoreError> {
    let sources = doc::sources(doc)?;
    let registry = Registry::parse(&sources.registry_file, sources.registry_text.as_bytes())
        .map_err(|e| StoreError::Damaged(e.message(obhod_core::Lang::En)))?;
    let layout = Layout::find(doc)?;
    let facts: Vec<_> =
        doc::strings(doc, &layout.facts).filter_map(|(id, text)| doc::decode_fact(&id, &text)).collect();
    contacts::sweep(conn, campaign, &registry, facts.iter(), chrono::Local::now().fixed_offset())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use obhod_core::{Act, Contact};

    use crate::Campaign;
    use crate::replica::{Entry, Map, Replica};
    use crate::support::{automerge_bytes, sources};

    const CAMPAIGN: &str = "01JF00000000000000000CAMP0";
    const PHONE: &str = "+7 913 555-01-77";
    const EMAIL: &str = "sokolov@example.ru";

    fn fact_id(n: u32) -> String {
        format!("01JF{n:022}")
    }

    /// Fact records as schema 1 wrote them, the phone and the e-mail inside.
    fn old_facts() -> Vec<String> {
        let at = |n: u32| format!("2026-11-21T19:05:0{n}+06:00");
        let mark = |n: u32, premise: &str, owner: &str, outcome: &str, extra: &str| {
            format!(
                r#"{{"act":"mark","premise":"{premise}","owner":"{owner}","outcome":"{outcome}","device":"dev-old","at":"{}"{extra}}}"#,
                at(n)
            )
        };
        vec![
            mark(1, "1", "Иванов Иван Иванович", "consent", ""),
            mark(2, "1", "Иванов Иван Иванович", "contact", &format!(r#","note":"вечером","phone":"{PHONE}""#)),
            mark(3, "3", "Соколов Андрей Викторович", "consent", ""),
            mark(4, "3", "Соколов Андрей Викторович", "contact", &format!(r#","email":"{EMAIL}""#)),
            format!(r#"{{"act":"withdraw","fact":"{}","device":"dev-old","at":"{}"}}"#, fact_id(3), at(5)),
            r#"{"act":"mark","premise":"2","outcome":"delivered","device":"dev-old","at":"2026-11-21T19:05:06+06:00"}"#
                .into(),
        ]
    }

    /// A store as schema 1 left it: the facts half in the snapshot, half in change rows.
    fn old_store(path: &Path) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(crate::db::tests_support::FIRST).unwrap();
        conn.pragma_update(None, "application_id", crate::APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO device (id) VALUES ('dev-old')", []).unwrap();
        conn.execute("INSERT INTO campaign (id, created_at) VALUES (?1, '2026-11-01T10:00:00+06:00')", [CAMPAIGN])
            .unwrap();
        let mut genesis = automerge::Automerge::new();
        genesis.transact(|tx| crate::doc::genesis(tx, CAMPAIGN, "г. Томск, ул. Садовая, д. 5", &sources())).unwrap();
        let mut replica = Replica::new(genesis).unwrap();
        replica.persist(&conn, CAMPAIGN).unwrap();
        for (n, text) in old_facts().into_iter().enumerate() {
            let entry = Entry { map: Map::Facts, key: fact_id(n as u32 + 1), text };
            replica.commit(&conn, CAMPAIGN, &[entry]).unwrap();
            if n == 2 {
                replica.compact(&conn, CAMPAIGN).unwrap();
            }
        }
    }

    fn holds(bytes: &[u8], needle: &str) -> bool {
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn an_old_store_is_rebuilt_without_the_values_and_keeps_every_fact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("obhod.db");
        old_store(&path);
        let before = automerge_bytes(&path);
        assert!(holds(&before, PHONE) && holds(&before, EMAIL), "the old layout keeps the values in the document");
        let campaign = Campaign::open(&path).unwrap();
        assert_eq!(campaign.id(), CAMPAIGN);
        assert_eq!(campaign.sources(), &sources());
        let facts: Vec<_> = campaign.facts().cloned().collect();
        assert_eq!(facts.iter().map(|f| f.id.clone()).collect::<Vec<_>>(), (1..=6).map(fact_id).collect::<Vec<_>>());
        assert!(facts.iter().all(|f| f.device == "dev-old"));
        assert_eq!(facts[1].note.as_deref(), Some("вечером"));
        assert_eq!(facts[1].at.to_rfc3339(), "2026-11-21T19:05:02+06:00");
        let Act::Mark { contact: Some(id), .. } = &facts[1].act else { panic!("{:?}", facts[1]) };
        assert_eq!(campaign.contact(id).unwrap(), Some(Contact { phone: Some(PHONE.into()), email: None }));

        let canvass = campaign.canvass();
        let ivanov = canvass.premises[0].owner("Иванов Иван Иванович").unwrap();
        assert!(ivanov.consent && ivanov.contact.is_some());
        let sokolov = canvass.premises[2].owner("Соколов Андрей Викторович").unwrap();
        assert!(!sokolov.consent && sokolov.contact.is_none());
        assert!(canvass.premises[1].owners.iter().all(|o| o.notified));

        // No value in the document's bytes; the withdrawn owner's e-mail in no byte of the files.
        let automerge = automerge_bytes(&path);
        assert!(!automerge.is_empty());
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert!(!holds(&automerge, PHONE) && !holds(&automerge, EMAIL));
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version, crate::SCHEMA);
        drop(conn);
        let files = [std::fs::read(&path).unwrap(), std::fs::read(dir.path().join("obhod.db-wal")).unwrap_or_default()];
        assert!(!holds(&files.concat(), EMAIL), "the erased e-mail is gone from the files");
        assert_eq!(campaign.contacts_offer().unwrap().tombstones[0].id, fact_id(4));
    }
}
