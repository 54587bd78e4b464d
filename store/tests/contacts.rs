//! Phones and e-mails: kept beside the document, never in it; erased from the files when the
//! consent is withdrawn; exchanged between devices with delete-wins tombstones.

use std::path::{Path, PathBuf};

use obhod_core::{Contact, Outcome};
use obhod_store::{Applied, Campaign, ContactsMessage, Mark, StoreError};

mod support;
use support::{automerge_bytes, sources};

const IVANOV: &str = "Иванов Иван Иванович";
const PHONE: &str = "+7 913 555-01-77";

fn contact_mark(phone: &str, consent: bool) -> Mark {
    Mark {
        owner: Some(IVANOV.into()),
        contact: Some(Contact { phone: Some(phone.into()), email: None }),
        consent,
        ..Mark::new("1", Outcome::Contact)
    }
}

fn file(path: &Path, suffix: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(format!("{}{suffix}", path.display()))).unwrap_or_default()
}

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Two devices of one campaign: the second a copy of the first's fresh store.
fn two_devices(dir: &Path) -> (Campaign, Campaign) {
    let (a, b) = (dir.join("a.db"), dir.join("b.db"));
    drop(Campaign::init(&a, sources()).unwrap());
    std::fs::copy(&a, &b).unwrap();
    (Campaign::open(&a).unwrap(), Campaign::open(&b).unwrap())
}

/// What a sync of the document would do: the change rows of `from` copied into `into`.
fn merge_document(into: &mut Campaign, from: &Campaign) {
    let conn = rusqlite::Connection::open(into.path()).unwrap();
    conn.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS other", [from.path().to_str().unwrap()]).unwrap();
    conn.execute("INSERT OR IGNORE INTO main.change (campaign, hash, data) SELECT campaign, hash, data FROM other.change ORDER BY seq", []).unwrap();
    drop(conn);
    into.refresh().unwrap();
}

fn exchange(into: &mut Campaign, from: &Campaign) -> Applied {
    into.apply_contacts(&from.contacts_offer().unwrap()).unwrap()
}

#[test]
fn a_phone_never_enters_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut campaign = Campaign::init(&path, sources()).unwrap();
    let ids = campaign.mark(contact_mark(PHONE, true)).unwrap();
    let offer = campaign.contacts_offer().unwrap();
    assert_eq!(offer.rows.len(), 1);
    assert_eq!(offer.rows[0].phone.as_deref(), Some(PHONE));
    assert_eq!((offer.rows[0].premise.as_str(), offer.rows[0].owner.as_str()), ("1", IVANOV));
    assert!(!format!("{offer:?}").contains("555-01-77"), "Debug hides the values");
    let fact = campaign.fact(&ids[1]).unwrap();
    assert!(matches!(&fact.act, obhod_core::Act::Mark { contact: Some(id), .. } if *id == offer.rows[0].id));
    assert!(!holds(&automerge_bytes(&path), "555-01-77"));
    drop(campaign);
    let reopened = Campaign::open(&path).unwrap();
    assert!(reopened.canvass().premises[0].owner(IVANOV).unwrap().contact.is_some());
}

#[test]
fn a_withdrawn_consent_erases_the_phone_from_the_database_and_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut campaign = Campaign::init(&path, sources()).unwrap();
    let ids = campaign.mark(contact_mark(PHONE, true)).unwrap();
    let id = campaign.canvass().premises[0].owner(IVANOV).unwrap().contact.clone().unwrap();
    let raw = |path: &Path| [file(path, ""), file(path, "-wal")].concat();
    assert!(holds(&raw(&path), PHONE), "the phone is on disk before the withdrawal");
    campaign.undo(&ids[0], None).unwrap();
    assert!(!holds(&file(&path, ""), PHONE), "the phone is still in the database file");
    assert!(!holds(&file(&path, "-wal"), PHONE), "the phone is still in the WAL");
    assert_eq!(campaign.contact(&id).unwrap(), None);
    let offer = campaign.contacts_offer().unwrap();
    assert_eq!((offer.rows.len(), offer.tombstones.len()), (0, 1));
    assert_eq!(offer.tombstones[0].id, id, "the tombstone: the id and the time");
}

#[test]
fn a_withdrawal_from_another_device_erases_here_when_caught_up() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = two_devices(dir.path());
    let ids = a.mark(contact_mark(PHONE, true)).unwrap();
    let id = a.canvass().premises[0].owner(IVANOV).unwrap().contact.clone().unwrap();
    merge_document(&mut b, &a);
    exchange(&mut b, &a);
    b.undo(&ids[0], None).unwrap();
    assert!(a.contact(&id).unwrap().is_some());
    // The withdrawal's change lands in a's file (as a sync writes it); the open campaign catches up.
    merge_document(&mut a, &b);
    assert_eq!(a.contact(&id).unwrap(), None, "erased as soon as the withdrawal is learnt");
    assert_eq!(a.contacts_offer().unwrap().tombstones.len(), 1);
    assert!(!holds(&[file(a.path(), ""), file(a.path(), "-wal")].concat(), PHONE));
}

#[test]
fn two_devices_exchange_contacts_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = two_devices(dir.path());
    a.mark(contact_mark(PHONE, true)).unwrap();
    b.mark(Mark {
        owner: Some("Соколов Андрей Викторович".into()),
        contact: Some(Contact { phone: None, email: Some("sokolov@example.ru".into()) }),
        consent: true,
        ..Mark::new("3", Outcome::Contact)
    })
    .unwrap();
    // Without the consent fact, a peer's row is not taken (and not tombstoned: it may come later).
    assert_eq!(exchange(&mut b, &a), Applied { refused: 1, ..Applied::default() });
    merge_document(&mut a, &b);
    merge_document(&mut b, &a);
    assert_eq!(exchange(&mut b, &a), Applied { added: 1, ..Applied::default() });
    assert_eq!(exchange(&mut a, &b), Applied { added: 1, ..Applied::default() });
    assert_eq!(exchange(&mut a, &b), Applied::default(), "idempotent");
    let (offer_a, offer_b) = (a.contacts_offer().unwrap(), b.contacts_offer().unwrap());
    assert_eq!(offer_a.rows, offer_b.rows);
    assert_eq!(offer_a.rows.len(), 2);
    assert_eq!(a.canvass(), b.canvass());
}

#[test]
fn a_tombstone_erases_on_the_other_device_and_a_later_row_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = two_devices(dir.path());
    let ids = a.mark(contact_mark(PHONE, true)).unwrap();
    merge_document(&mut b, &a);
    let before = a.contacts_offer().unwrap();
    assert_eq!(exchange(&mut b, &a).added, 1);
    a.undo(&ids[0], None).unwrap();
    // Only the contacts exchange, not the document: a tombstone whose withdrawal b does not hold
    // is ignored (a member could forge one to erase another's contact), and counted.
    assert_eq!(exchange(&mut b, &a), Applied { ignored: 1, ..Applied::default() });
    assert_eq!(b.contacts_offer().unwrap().rows.len(), 1);
    let forged = ContactsMessage {
        campaign: b.id().into(),
        rows: Vec::new(),
        tombstones: vec![obhod_store::Tombstone {
            id: before.rows[0].id.clone(),
            erased_at: before.rows[0].recorded_at,
        }],
    };
    assert_eq!(b.apply_contacts(&forged).unwrap(), Applied { ignored: 1, ..Applied::default() });
    assert_eq!(b.contacts_offer().unwrap().rows.len(), 1, "a forged tombstone erases nothing");
    // With the withdrawal in b's document the contact is erased there (its own sweep); the
    // tombstone then counts.
    merge_document(&mut b, &a);
    let applied = exchange(&mut b, &a);
    assert_eq!((applied.erased, applied.ignored), (0, 0));
    assert!(b.contacts_offer().unwrap().rows.is_empty());
    assert!(!holds(&[file(b.path(), ""), file(b.path(), "-wal")].concat(), PHONE));
    // The row arriving after its tombstone (an old offer, a third device) is refused.
    assert_eq!(b.apply_contacts(&before).unwrap(), Applied { refused: 1, ..Applied::default() });
    assert_eq!(b.contact(&before.rows[0].id).unwrap(), None);
}

#[test]
fn a_malformed_or_foreign_message_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = two_devices(dir.path());
    a.mark(contact_mark(PHONE, true)).unwrap();
    merge_document(&mut b, &a);
    let good = a.contacts_offer().unwrap();
    let mut foreign = good.clone();
    foreign.campaign = "01JFOREIGN0000000000000000".into();
    assert!(matches!(b.apply_contacts(&foreign), Err(StoreError::ContactsOfAnotherCampaign { .. })));
    let mut bad = good.clone();
    bad.rows.push(obhod_store::ContactRow { id: "not an id".into(), ..good.rows[0].clone() });
    assert!(matches!(b.apply_contacts(&bad), Err(StoreError::BadContacts { id }) if id == "not an id"));
    // A row claiming another owner for a known contact is not taken.
    let mut misattributed = good.clone();
    misattributed.rows[0].owner = "Сергеев Сергей Сергеевич".into();
    assert_eq!(b.apply_contacts(&misattributed).unwrap(), Applied { refused: 1, ..Applied::default() });
    let mut empty = good.clone();
    empty.rows[0].phone = None;
    assert!(matches!(b.apply_contacts(&empty), Err(StoreError::BadContacts { .. })));
    assert!(b.contacts_offer().unwrap().rows.is_empty(), "nothing of a refused message is taken");
    let text = serde_json::to_string(&good).unwrap();
    let back: ContactsMessage = serde_json::from_str(&text).unwrap();
    assert_eq!(b.apply_contacts(&back).unwrap().added, 1, "the message survives serialisation");
}
