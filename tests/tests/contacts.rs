//! Contacts between devices, without a network: a sync here is the document's change rows copied
//! from one store file into another (what the sync protocol delivers) plus the contacts exchange
//! (`Campaign::contacts_offer` → `apply_contacts`). A phone travels beside the document, never in
//! it, and a withdrawn consent erases it from every device's files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use obhod_core::{Act, Contact, Fact, Outcome};
use obhod_store::{Campaign, ContactsMessage, Mark};
use obhod_tests::{copy_store, guide_sources, merge_rows};
use proptest::prelude::*;

const IVANOV: &str = "Иванов Иван Иванович";
const PHONE: &str = "+7 913 555-01-77";

/// (premise, owner) pairs whose consent the genesis records.
const OWNERS: [(&str, &str); 3] = [("1", IVANOV), ("2", "Петров Пётр Петрович"), ("3", "Соколова Мария Андреевна")];

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The database file and its WAL, as they lie on the disk.
fn files(path: &Path) -> Vec<u8> {
    let wal = std::fs::read(PathBuf::from(format!("{}-wal", path.display()))).unwrap_or_default();
    [std::fs::read(path).unwrap(), wal].concat()
}

/// Every automerge byte of a store, stored and decompressed (automerge deflates large columns).
fn automerge_bytes(path: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut doc = automerge::Automerge::new();
    let mut bytes = Vec::new();
    for sql in ["SELECT data FROM snapshot", "SELECT data FROM change"] {
        let mut select = conn.prepare(sql).unwrap();
        for blob in select.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            let blob = blob.unwrap();
            doc.load_incremental(&blob).unwrap();
            bytes.extend(blob);
        }
    }
    for change in doc.get_changes(&[]) {
        bytes.extend(change.raw_bytes());
    }
    bytes.extend(doc.save_nocompress());
    bytes
}

/// One sync of `into` with `from`: the document, then the contacts.
fn sync(into: &mut Campaign, from: &Campaign) {
    merge_rows(into.path(), from.path());
    into.refresh().unwrap();
    into.apply_contacts(&from.contacts_offer().unwrap()).unwrap();
}

/// Stores at `dir/{name}.db` copied from one genesis where every owner of `OWNERS` consented.
fn devices(dir: &Path, names: &[&str]) -> Vec<Campaign> {
    let genesis = dir.join("genesis.db");
    let mut campaign = Campaign::init(&genesis, guide_sources()).unwrap();
    for (premise, owner) in OWNERS {
        campaign.mark(Mark { owner: Some(owner.into()), ..Mark::new(premise, Outcome::Consent) }).unwrap();
    }
    drop(campaign);
    names
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.db"));
            copy_store(&genesis, &path);
            Campaign::open(&path).unwrap()
        })
        .collect()
}

fn contact_mark(premise: &str, owner: &str, phone: &str, consent: bool) -> Mark {
    Mark {
        owner: Some(owner.into()),
        contact: Some(Contact { phone: Some(phone.into()), email: None }),
        consent,
        ..Mark::new(premise, Outcome::Contact)
    }
}

#[test]
fn a_phone_reaches_the_other_device_beside_the_document_and_a_withdrawal_erases_it_on_both() {
    let dir = tempfile::tempdir().unwrap();
    let mut stores = devices(dir.path(), &["a", "b"]);
    let (a, b) = stores.split_at_mut(1);
    let (a, b) = (&mut a[0], &mut b[0]);
    a.mark(contact_mark("1", IVANOV, PHONE, false)).unwrap(); // the consent is in the genesis
    sync(b, a);
    let id = b.canvass().premises[0].owner(IVANOV).unwrap().contact.clone().expect("the contact fact arrived");
    assert_eq!(b.contact(&id).unwrap().and_then(|c| c.phone).as_deref(), Some(PHONE), "in b's contacts table");
    for store in [&*a, &*b] {
        assert!(
            !holds(&automerge_bytes(store.path()), PHONE),
            "{}: the phone is in the document",
            store.path().display()
        );
        assert!(holds(&files(store.path()), PHONE), "{}: the phone is on disk", store.path().display());
    }

    a.undo(&standing_consent(a, IVANOV).unwrap(), None).unwrap();
    assert_eq!(standing_consent(a, IVANOV), None);
    sync(b, a);
    sync(a, b);
    for store in [&*a, &*b] {
        assert_eq!(store.contact(&id).unwrap(), None);
        assert!(!holds(&files(store.path()), PHONE), "{}: the phone is still on disk", store.path().display());
        assert!(!store.canvass().premises[0].owner(IVANOV).unwrap().consent);
    }
}

/// The id of a standing consent of `owner`, if there is one.
fn standing_consent(store: &Campaign, owner: &str) -> Option<String> {
    let canvass = store.canvass();
    let consent = |f: &&Fact| {
        canvass.is_standing(f)
            && matches!(&f.act, Act::Mark { outcome: Outcome::Consent, owner: Some(o), .. } if o == owner)
    };
    canvass.facts.iter().find(consent).map(|f| f.id.clone())
}

/// What one step of the three devices is.
#[derive(Debug, Clone)]
enum Step {
    /// A device records a phone of an owner (with a new consent, if its consent no longer stands).
    Contact { store: usize, owner: usize },
    /// A device withdraws a standing consent of an owner.
    Withdraw { store: usize, owner: usize },
    /// The document's changes go from one device to another.
    Document { from: usize, to: usize },
    /// The contacts exchange, one way.
    Contacts { from: usize, to: usize },
}

fn step() -> impl Strategy<Value = Step> {
    let pair = || (0..3usize, 0..3usize);
    prop_oneof![
        3 => pair().prop_map(|(store, owner)| Step::Contact { store, owner }),
        1 => pair().prop_map(|(store, owner)| Step::Withdraw { store, owner }),
        2 => pair().prop_map(|(from, to)| Step::Document { from, to }),
        3 => pair().prop_map(|(from, to)| Step::Contacts { from, to }),
    ]
}

fn run(stores: &mut [Campaign], n: usize, step: &Step) {
    match *step {
        Step::Contact { store, owner } => {
            let (premise, name) = OWNERS[owner];
            let consent = stores[store]
                .canvass()
                .premises
                .iter()
                .flat_map(|p| &p.owners)
                .any(|o| o.owner.name == name && o.consent);
            stores[store]
                .mark(contact_mark(premise, name, &format!("+7 900 {n:03}-{store}{owner}"), !consent))
                .unwrap();
        }
        Step::Withdraw { store, owner } => {
            if let Some(id) = standing_consent(&stores[store], OWNERS[owner].1) {
                stores[store].undo(&id, None).unwrap();
            }
        }
        Step::Document { from, to } if from != to => {
            merge_rows(stores[to].path(), stores[from].path());
            stores[to].refresh().unwrap();
        }
        Step::Contacts { from, to } if from != to => {
            let offer = stores[from].contacts_offer().unwrap();
            stores[to].apply_contacts(&offer).unwrap();
        }
        Step::Document { .. } | Step::Contacts { .. } => {}
    }
}

fn tombstone_ids(message: &ContactsMessage) -> BTreeSet<String> {
    message.tombstones.iter().map(|t| t.id.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the devices did and in whatever order they exchanged, once each has synced with
    /// each they hold the same contacts and tombstones; no erased contact is back, and no value
    /// stays whose contact no longer stands.
    #[test]
    fn three_devices_converge_whatever_the_order_of_exchanges(steps in proptest::collection::vec(step(), 0..24)) {
        let dir = tempfile::tempdir().unwrap();
        let mut stores = devices(dir.path(), &["a", "b", "c"]);
        for (n, step) in steps.iter().enumerate() {
            run(&mut stores, n, step);
        }
        for _ in 0..2 {
            for from in 0..3 {
                for to in (0..3).filter(|&to| to != from) {
                    run(&mut stores, 0, &Step::Document { from, to });
                }
            }
            for from in 0..3 {
                for to in (0..3).filter(|&to| to != from) {
                    run(&mut stores, 0, &Step::Contacts { from, to });
                }
            }
        }
        let offers: Vec<ContactsMessage> = stores.iter().map(|s| s.contacts_offer().unwrap()).collect();
        let canvass = stores[0].canvass();
        let standing: BTreeSet<&String> = canvass.premises.iter().flat_map(|p| &p.contacts).collect();
        for (store, offer) in stores.iter().zip(&offers) {
            prop_assert_eq!(&store.canvass(), &canvass);
            prop_assert_eq!(&offer.rows, &offers[0].rows);
            prop_assert_eq!(tombstone_ids(offer), tombstone_ids(&offers[0]));
        }
        let tombstones = tombstone_ids(&offers[0]);
        for row in &offers[0].rows {
            prop_assert!(standing.contains(&row.id), "a value whose contact does not stand: {:?}", row);
            prop_assert!(!tombstones.contains(&row.id), "an erased contact is back: {:?}", row);
        }
    }
}
