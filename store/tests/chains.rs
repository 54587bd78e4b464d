//! Each signed record names the digest of its device's record before it (`prev`): a device that
//! receives another's day of records verifies one signature, the newest, and takes the records it
//! chains back to. Nothing a forger makes rides on an honest chain.

use automerge::transaction::Transactable;
use obhod_core::Outcome;
use obhod_store::{Breach, Campaign, Mark, StoreError};

mod support;
use support::group::{fact_text, forger, map, push, three, write_past_the_check};
use support::sync;

fn value(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn a_members_day_of_marks_costs_the_receiver_one_signature_and_every_mark_counts() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, _c) = three(dir.path());
    let premises: Vec<String> = (0..40).map(|n| (n % 3 + 1).to_string()).collect();
    let ids: Vec<String> =
        premises.iter().map(|p| b.mark(Mark::new(p, Outcome::Absent)).unwrap().pop().unwrap()).collect();
    let checked = a.signatures_checked();
    sync(&mut a, &mut b);
    assert!(ids.iter().all(|id| a.fact(id).is_some()), "every mark counts on the organiser's device");
    assert!(a.refused_facts().is_empty());
    let cost = a.signatures_checked() - checked;
    assert!(cost <= 2, "40 marks of one device cost {cost} signatures");
    let reopened = Campaign::open(a.path()).unwrap();
    assert!(ids.iter().all(|id| reopened.fact(id).is_some()), "and after the organiser's device reopens");
    assert_eq!(reopened.signatures_verified(), 0);
}

#[test]
fn each_record_names_the_digest_of_its_devices_record_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, _a, mut b, _c) = three(dir.path());
    let first = b.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    let second = b.mark(Mark::new("2", Outcome::Absent)).unwrap().pop().unwrap();
    let doc = forger(&b);
    let (first, second) = (value(&fact_text(&doc, &first)), value(&fact_text(&doc, &second)));
    assert_eq!(second["n"].as_u64(), first["n"].as_u64().map(|n| n + 1));
    let prev = second["prev"].as_str().unwrap();
    assert_eq!(prev.len(), 64, "a SHA-256 digest in hex");
    assert_ne!(first["prev"].as_str(), Some(prev));
}

#[test]
fn a_forged_record_in_an_honest_devices_name_is_refused_beside_its_real_chain() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    // The organiser's two new marks reach the forger but not yet B.
    let early = a.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    let late = a.mark(Mark::new("2", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    let mut doc = forger(&c);
    let facts = map(&doc, "facts");
    // A copy of the earlier one as «вручено», under a new id, its number and `prev` kept: the
    // honest later record vouches for the real earlier one only.
    let forged = fact_text(&doc, &early).replace("\"absent\"", "\"delivered\"");
    let mut tx = doc.transaction();
    tx.put(&facts, "01JF0000000000000000000007", forged.as_str()).unwrap();
    tx.commit();
    let error = push(&mut doc, &mut b).unwrap_err();
    assert!(matches!(error, StoreError::ChangeRefused { reason: Breach::BadSignature, .. }), "{error:?}");
    assert!(b.fact(&early).is_none() && b.fact(&late).is_none(), "nothing of the refused message is stored");
    // The honest records come through on their own.
    sync(&mut a, &mut b);
    assert!(b.fact(&early).is_some() && b.fact(&late).is_some());
    assert!(b.fact("01JF0000000000000000000007").is_none());
}

#[test]
fn a_forged_newest_record_does_not_vouch_for_anything_and_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    let last = a.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    sync(&mut b, &mut c);
    let mut doc = forger(&c);
    let facts = map(&doc, "facts");
    let honest = value(&fact_text(&doc, &last));
    // A record in the organiser's name that claims to follow its newest one, signed by no one.
    let mut forged = honest.clone();
    forged["n"] = serde_json::json!(honest["n"].as_u64().unwrap() + 1);
    forged["premise"] = serde_json::json!("2");
    forged["outcome"] = serde_json::json!("delivered");
    let mut tx = doc.transaction();
    tx.put(&facts, "01JF0000000000000000000008", forged.to_string().as_str()).unwrap();
    tx.commit();
    let error = push(&mut doc, &mut b).unwrap_err();
    assert!(matches!(error, StoreError::ChangeRefused { reason: Breach::BadSignature, .. }), "{error:?}");
    assert!(b.fact("01JF0000000000000000000008").is_none());
}

#[test]
fn a_fold_with_no_verified_row_verifies_chains_and_still_leaves_a_forged_record_out() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, _c) = three(dir.path());
    let ids: Vec<String> = (0..200)
        .map(|n| b.mark(Mark::new(&(n % 3 + 1).to_string(), Outcome::Absent)).unwrap().pop().unwrap())
        .collect();
    sync(&mut a, &mut b);
    // A record in the organiser's name written into the file past the check, as an older obhod
    // would have taken it; and no `verified` row (a store first opened by this version).
    let mut forged = forger(&a);
    let facts = map(&forged, "facts");
    let text = fact_text(&forged, &ids[0]).replace("\"absent\"", "\"delivered\"");
    forged.transact(|tx| tx.put(&facts, "01JF0000000000000000000009", text.as_str())).unwrap();
    write_past_the_check(&forged, &a);
    let conn = rusqlite::Connection::open(a.path()).unwrap();
    conn.execute("DELETE FROM verified", []).unwrap();
    drop(conn);
    let reopened = Campaign::open(a.path()).unwrap();
    assert!(ids.iter().all(|id| reopened.fact(id).is_some()), "every honest mark counts");
    assert!(reopened.fact("01JF0000000000000000000009").is_none(), "the forged record does not");
    assert_eq!(reopened.refused_facts().get(b.device()), Some(&1));
    let verified = reopened.signatures_verified();
    assert!(verified < 100, "200 chained marks verified with {verified} signatures");
}
