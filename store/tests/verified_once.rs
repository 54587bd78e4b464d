//! Each signature is verified once per device: what a mark signs here, what a joining device's
//! check of the received document verified, is not verified again by the fold, and a later open
//! takes it from the `verified` row. What does not verify is still left out.

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};

mod support;
use support::group::three;
use support::sync;

#[test]
fn a_mark_does_not_verify_its_own_signature_again_and_counts_its_fact() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, _c) = three(dir.path());
    b.mark(Mark::new("1", Outcome::Absent)).unwrap();
    sync(&mut a, &mut b);
    let mut a = Campaign::open(a.path()).unwrap();
    assert_eq!(a.signatures_verified(), 0, "the open takes what an earlier run verified");
    let id = a.mark(Mark::new("2", Outcome::Delivered)).unwrap().pop().unwrap();
    assert!(a.fact(&id).is_some(), "the mark counts");
    assert_eq!(a.signatures_verified(), 0, "a signature made here is not checked again");
    assert!(a.refused_facts().is_empty());
    let reopened = Campaign::open(a.path()).unwrap();
    assert!(reopened.fact(&id).is_some());
    assert_eq!(reopened.signatures_verified(), 0);
}

#[test]
fn a_joining_device_verifies_the_documents_signatures_once() {
    let dir = tempfile::tempdir().unwrap();
    let (group, mut a, mut b, _c) = three(dir.path());
    for premise in ["1", "2", "3"] {
        b.mark(Mark::new(premise, Outcome::Absent)).unwrap();
    }
    sync(&mut a, &mut b);
    let path = dir.path().join("joined.db");
    let joined = Campaign::from_document(&path, &a.document(), Some(&group.ca_der)).unwrap();
    assert_eq!(joined.facts().count(), a.facts().count(), "every signed fact counts on the new device");
    assert_eq!(joined.signatures_verified(), 0, "the check of the document verified them");
    drop(joined);
    let opened = Campaign::open(&path).unwrap();
    assert_eq!(opened.facts().count(), a.facts().count());
    assert_eq!(opened.signatures_verified(), 0, "the first open takes them from the verified row");
}

/// The facts' ids a fold counts, and the devices it leaves out.
fn fold(campaign: &Campaign) -> (Vec<String>, std::collections::BTreeMap<String, usize>) {
    (campaign.facts().map(|fact| fact.id.clone()).collect(), campaign.refused_facts())
}

#[test]
fn a_record_that_admits_this_device_counts_its_earlier_facts_as_a_fresh_open_does() {
    let dir = tempfile::tempdir().unwrap();
    let (group, mut a, _b, _c) = three(dir.path());
    let mut d = a.replica_to(&dir.path().join("d.db")).unwrap();
    group.admit(&mut d, Some(&mut a), "Телефон Ивана");
    let early = d.mark(Mark::new("2", Outcome::Absent)).unwrap().pop().unwrap();
    assert!(d.fact(&early).is_none(), "not counted while the record it holds does not name it");
    sync(&mut a, &mut d);
    assert!(d.fact(&early).is_some(), "counted once the record that admits it arrives");
    assert!(a.fact(&early).is_some());
    assert!(d.refused_facts().is_empty());
    assert_eq!(fold(&d), fold(&Campaign::open(d.path()).unwrap()));
}

#[test]
fn a_revocation_received_leaves_the_later_facts_out_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    let before = c.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    a.revoke(c.device(), &obhod_store::Revocations { number: 1, der: vec![0x30, 0x00] }).unwrap();
    let after = c.mark(Mark::new("2", Outcome::Delivered)).unwrap().pop().unwrap();
    sync(&mut c, &mut b);
    assert!(b.fact(&after).is_some(), "B has not heard of the revocation yet");
    sync(&mut a, &mut b);
    assert!(b.fact(&after).is_none(), "the revocation leaves the later fact out in the same process");
    assert!(b.fact(&before).is_some());
    assert_eq!(b.refused_facts().get(c.device()), Some(&1));
    assert_eq!(fold(&b), fold(&Campaign::open(b.path()).unwrap()));
}
