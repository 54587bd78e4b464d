//! A hostile member of the group, built on the same libraries (the store and automerge directly),
//! forges changes; the honest store refuses each one whole, stores nothing and folds as before.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use obhod_core::Outcome;
use obhod_store::{Breach, Campaign, Mark, StoreError};

mod support;
use support::group::{fact_text, forger, map, push, three, write_past_the_check};
use support::sync;

/// What a user sees of a store: its heads, its facts, who is in the group, the meeting.
fn seen(campaign: &Campaign) -> (Vec<automerge::ChangeHash>, Vec<String>, usize, String) {
    let reopened = Campaign::open(campaign.path()).unwrap();
    let facts = reopened.facts().map(|f| format!("{}:{}:{:?}", f.id, f.device, f.act)).collect();
    (reopened.heads(), facts, reopened.members().len(), reopened.sources().meeting_text.clone())
}

/// Forges one change on `forged` and offers it to `honest`: it must be refused for `reason` and
/// change nothing the user sees.
fn refused(honest: &mut Campaign, mut forged: Automerge, reason: Breach) {
    let before = seen(honest);
    let error = push(&mut forged, honest).unwrap_err();
    assert!(matches!(&error, StoreError::ChangeRefused { reason: r, .. } if *r == reason), "{error:?}");
    assert!(error.is_bad_input());
    assert!(
        error.message(obhod_core::Lang::Ru).contains("ничего не принято"),
        "{}",
        error.message(obhod_core::Lang::Ru)
    );
    assert_eq!(seen(honest), before, "nothing of a refused message is stored");
}

fn forge(on: &Campaign, change: impl FnOnce(&mut automerge::transaction::Transaction)) -> Automerge {
    let mut doc = forger(on);
    let mut tx = doc.transaction();
    change(&mut tx);
    tx.commit();
    doc
}

#[test]
fn a_member_cannot_rewrite_the_group_record() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, b, c) = three(dir.path());
    let record = forger(&c).get(ROOT, "group").unwrap().unwrap().0.into_string().unwrap();
    let organiser = a.device().to_string();
    // The organiser marked revoked, the forger's version raised; the CA's signature kept as it was.
    let rewritten = record.replacen(
        &format!("\"device\":\"{organiser}\""),
        &format!("\"device\":\"{organiser}\",\"revoked\":\"2026-11-21T19:00:00+06:00\",\"last\":0"),
        1,
    );
    let rewritten = rewritten.replacen("\"version\":", "\"version\":9", 1);
    assert_ne!(rewritten, record);
    refused(&mut a, forge(&c, |tx| tx.put(ROOT, "group", rewritten.as_str()).unwrap()), Breach::GroupForged);
    let unsigned = serde_json::json!({"members": [], "version": 99}).to_string();
    let mut honest_b = Campaign::open(b.path()).unwrap();
    refused(&mut honest_b, forge(&c, |tx| tx.put(ROOT, "group", unsigned.as_str()).unwrap()), Breach::GroupForged);
}

#[test]
fn a_member_cannot_delete_or_overwrite_a_recorded_fact() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, c) = three(dir.path());
    let delivered = a.mark(Mark::new("1", Outcome::Delivered)).unwrap().pop().unwrap();
    let absent = b.mark(Mark::new("2", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut b);
    let mut c = Campaign::open(c.path()).unwrap();
    sync(&mut a, &mut c);

    let facts = map(&forger(&c), "facts");
    refused(&mut a, forge(&c, |tx| tx.delete(&facts, delivered.as_str()).unwrap()), Breach::Overwrite);
    let delivered_text = fact_text(&forger(&c), &delivered);
    let overwrite = delivered_text.replace("\"delivered\"", "\"absent\"");
    refused(&mut b, forge(&c, |tx| tx.put(&facts, delivered.as_str(), overwrite.as_str()).unwrap()), Breach::Overwrite);
    // Another device's «не застали» rewritten as «вручено», its signature kept.
    let rewritten = fact_text(&forger(&c), &absent).replace("\"absent\"", "\"delivered\"");
    refused(&mut a, forge(&c, |tx| tx.put(&facts, absent.as_str(), rewritten.as_str()).unwrap()), Breach::Overwrite);
    let canvass = Campaign::open(a.path()).unwrap().canvass();
    assert_eq!(canvass.premises.len(), a.canvass().premises.len());
}

#[test]
fn a_member_cannot_forge_a_fact_under_another_device_or_move_a_signed_one() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    let own = c.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    let text = fact_text(&forger(&c), &own);
    let facts = map(&forger(&c), "facts");
    // A «вручено» under the organiser's device id, signed with the forger's own key.
    let as_organiser = text
        .replace(&format!("\"device\":\"{}\"", c.device()), &format!("\"device\":\"{}\"", a.device()))
        .replace("\"absent\"", "\"delivered\"");
    let forged = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000001", as_organiser.as_str()).unwrap());
    refused(&mut b, forged, Breach::BadSignature);
    // A device outside the group.
    let stranger = text.replace(&format!("\"device\":\"{}\"", c.device()), "\"device\":\"01STRANGER\"");
    let forged = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000004", stranger.as_str()).unwrap());
    refused(&mut b, forged, Breach::UnknownDevice);
    // Its own signed fact put again under another id: the signature names the key.
    let moved = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000002", text.as_str()).unwrap());
    refused(&mut a, moved, Breach::BadSignature);
    // A fact with no signature at all.
    let unsigned = format!(
        r#"{{"act":"mark","premise":"1","outcome":"delivered","device":"{}","at":"2026-11-21T19:05:03+06:00"}}"#,
        a.device()
    );
    let forged = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000003", unsigned.as_str()).unwrap());
    refused(&mut a, forged, Breach::Unsigned);
    // The honest fact itself still arrives.
    sync(&mut c, &mut b);
    assert!(b.fact(&own).is_some());
}

#[test]
fn a_member_cannot_change_the_registry_the_building_or_the_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, c) = three(dir.path());
    let registry = map(&forger(&c), "registry");
    let meeting = map(&forger(&c), "meeting");
    refused(
        &mut a,
        forge(&c, |tx| tx.put(&registry, "text", "кадастровый номер;…").unwrap()),
        Breach::RegistryUnsigned,
    );
    refused(&mut a, forge(&c, |tx| tx.put(ROOT, "address", "другой дом").unwrap()), Breach::MeetingUnsigned);
    let text = a.sources().meeting_text.replace("2026", "2027");
    refused(&mut a, forge(&c, |tx| tx.put(&meeting, "text", text.as_str()).unwrap()), Breach::MeetingUnsigned);
    refused(
        &mut a,
        forge(&c, |tx| {
            tx.put_object(ROOT, "extra", automerge::ObjType::Map).unwrap();
        }),
        Breach::Structure,
    );
    refused(&mut a, forge(&c, |tx| tx.put(ROOT, "campaign", "01OTHER").unwrap()), Breach::Structure);
}

#[test]
fn a_revoked_devices_later_facts_never_count_whoever_relays_them_and_the_relay_syncs_on() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    let before = c.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    let list = obhod_store::Revocations { number: 1, der: vec![0x30, 0x00] };
    a.revoke(c.device(), &list).unwrap();
    // C does not know; B has not heard either, and takes C's next fact.
    let after = c.mark(Mark::new("2", Outcome::Delivered)).unwrap().pop().unwrap();
    sync(&mut c, &mut b);
    assert!(b.fact(&after).is_some());
    // B relays it to A, who revoked C: kept in the document (B's later changes depend on it, and
    // refusing it would cut B off for good) but never counted, and said so.
    relay(&mut b, &mut a).unwrap();
    assert!(a.fact(&after).is_none(), "a revoked device's later fact does not count");
    assert!(a.fact(&before).is_some(), "what C recorded before its revocation counts");
    assert_eq!(a.refused_facts().get(c.device()), Some(&1));
    // B hears of the revocation from A: its fold leaves the later fact out too.
    relay(&mut a, &mut b).unwrap();
    let mut b = Campaign::open(b.path()).unwrap();
    assert!(b.fact(&after).is_none(), "a revoked device's later fact does not count");
    assert!(b.fact(&before).is_some());
    assert_eq!(b.refused_facts().get(c.device()), Some(&1));
    // And B syncs on: what it records next reaches A and counts there.
    let next = b.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    relay(&mut b, &mut a).unwrap();
    assert!(a.fact(&next).is_some());
}

/// Syncs `from` into `to` and reports the first refusal.
fn relay(from: &mut Campaign, to: &mut Campaign) -> Result<(), StoreError> {
    let (mut sf, mut st) = (obhod_store::SyncSession::new(), obhod_store::SyncSession::new());
    for _ in 0..50 {
        let m = sf.generate(from);
        if let Some(m) = &m {
            st.receive(to, m)?;
        }
        let r = st.generate(to);
        if let Some(r) = &r {
            sf.receive(from, r)?;
        }
        if m.is_none() && r.is_none() {
            return Ok(());
        }
    }
    panic!("the sync does not end")
}

#[test]
fn honest_signed_facts_meeting_updates_and_revocations_still_converge() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    a.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    b.mark(Mark::new("2", Outcome::Absent)).unwrap();
    c.mark(Mark::new("3", Outcome::Refused)).unwrap();
    let text = a.sources().meeting_text.clone();
    let updated = text.replacen("date = 2026-12-10", "date = 2026-12-11", 1);
    assert!(a.update_meeting("meeting.toml", &updated).unwrap().recorded);
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    sync(&mut a, &mut c);
    for campaign in [&a, &b, &c] {
        assert!(campaign.sources().meeting_text.contains("2026-12-11"), "the organiser's update reached every device");
        assert_eq!(campaign.facts().count(), 3, "every signed fact counts everywhere");
        assert!(campaign.refused_facts().is_empty());
    }
    assert_eq!(a.heads(), b.heads());
    assert_eq!(b.heads(), c.heads());
}

#[test]
fn only_the_organisers_device_updates_the_meeting_in_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, _a, mut b, _c) = three(dir.path());
    let text = b.sources().meeting_text.replacen("date = 2026-12-10", "date = 2026-12-11", 1);
    let error = b.update_meeting("meeting.toml", &text);
    assert!(matches!(error, Err(StoreError::OrganiserOnly)), "{error:?}");
}

#[test]
fn a_document_received_at_join_is_checked_after_the_groups_base() {
    let dir = tempfile::tempdir().unwrap();
    let (group, mut a, _b, c) = three(dir.path());
    let delivered = a.mark(Mark::new("1", Outcome::Delivered)).unwrap().pop().unwrap();
    let honest = a.document();
    let joined = Campaign::from_document(&dir.path().join("joined.db"), &honest, Some(&group.ca_der)).unwrap();
    assert!(joined.fact(&delivered).is_some());
    // A member hands a joining device the campaign with the organiser's «вручено» deleted.
    let mut c = Campaign::open(c.path()).unwrap();
    sync(&mut a, &mut c);
    let facts = map(&forger(&c), "facts");
    let forged = forge(&c, |tx| tx.delete(&facts, delivered.as_str()).unwrap());
    let path = dir.path().join("forged.db");
    let error = Campaign::from_document(&path, &forged.save(), Some(&group.ca_der)).err().unwrap();
    assert!(matches!(error, StoreError::ChangeRefused { reason: Breach::Overwrite, .. }), "{error:?}");
    assert!(!path.exists(), "nothing is written");
    // Nor does a document signed by another group's CA pass for this one.
    let other = support::group::Group::new();
    let error = Campaign::from_document(&path, &honest, Some(&other.ca_der)).err().unwrap();
    assert!(matches!(error, StoreError::ChangeRefused { reason: Breach::GroupForged, .. }), "{error:?}");
    assert!(!path.exists());
}

#[test]
fn a_group_an_older_obhod_left_unsigned_is_signed_at_the_organisers_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let group = support::group::Group::new();
    let mut a = Campaign::init(&dir.path().join("a.db"), support::sources()).unwrap();
    let earlier = a.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let older = b.mark(Mark::new("2", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut b);
    // What an older obhod wrote: a plain record of the members, no keys, no signature.
    let unsigned = |device: &str, name: &str| obhod_store::MemberRecord {
        device: device.into(),
        name: name.into(),
        serial: "01".into(),
        added: chrono::Local::now().fixed_offset(),
        revoked: None,
        key: String::new(),
        organiser: false,
        last: None,
    };
    a.add_member(&unsigned(a.device(), "Организатор")).unwrap();
    a.add_member(&unsigned(b.device(), "Телефон")).unwrap();
    let record = forger(&a).get(ROOT, "group").unwrap().unwrap().0.into_string().unwrap();
    assert!(!record.contains("\"sig\""));
    // The organiser's device updated: its membership read, its next write signs the record.
    let mut a = Campaign::open(a.path()).unwrap();
    group.admit(&mut a, None, "Организатор");
    let record = forger(&a).get(ROOT, "group").unwrap().unwrap().0.into_string().unwrap();
    assert!(record.contains("\"sig\"") && record.contains("\"base\""), "{record}");
    // What was there before counts unsigned (it is the base); b's facts from now on must be signed.
    sync(&mut a, &mut b);
    for campaign in [&a, &b] {
        assert!(campaign.fact(&earlier).is_some() && campaign.fact(&older).is_some());
        assert!(campaign.refused_facts().is_empty());
    }
    let unsigned_now = b.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    let error = relay(&mut b, &mut a).unwrap_err();
    assert!(
        matches!(error, StoreError::ChangeRefused { reason: Breach::UnknownDevice | Breach::Unsigned, .. }),
        "{error:?}"
    );
    assert!(a.fact(&unsigned_now).is_none());
}

#[test]
fn a_forged_fact_an_older_obhod_let_into_the_file_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, mut c) = three(dir.path());
    let own = c.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    let text = fact_text(&forger(&a), &own);
    let as_organiser = text
        .replace(&format!("\"device\":\"{}\"", c.device()), &format!("\"device\":\"{}\"", a.device()))
        .replace("\"absent\"", "\"delivered\"");
    let mut forged = forger(&a);
    let facts = map(&forged, "facts");
    forged.transact(|tx| tx.put(&facts, "01JF0000000000000000000001", as_organiser.as_str())).unwrap();
    // Written into the file as a change row, past the check (what an older obhod would have taken).
    write_past_the_check(&forged, &a);
    let reopened = Campaign::open(a.path()).unwrap();
    assert!(reopened.fact("01JF0000000000000000000001").is_none(), "a signature that does not verify");
    assert_eq!(reopened.refused_facts().get(a.device()), Some(&1));
    assert!(reopened.fact(&own).is_some());
    let mut refreshed = a;
    assert!(refreshed.refresh().unwrap());
    assert!(refreshed.fact("01JF0000000000000000000001").is_none(), "nor when another process brings it");
}

/// A store opened at the heads its `verified` row was written at trusts every record of the load
/// without walking its keys; a forged record another process brings later is still verified.
#[test]
fn a_forged_fact_that_arrives_after_a_trusting_open_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, mut c) = three(dir.path());
    let own = c.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    sync(&mut a, &mut c);
    let mut opened = Campaign::open(a.path()).unwrap();
    assert!(opened.fact(&own).is_some(), "a record the earlier run verified counts");
    let text = fact_text(&forger(&a), &own).replace("\"absent\"", "\"delivered\"");
    let mut forged = forger(&a);
    let facts = map(&forged, "facts");
    forged.transact(|tx| tx.put(&facts, "01JF0000000000000000000002", text.as_str())).unwrap();
    write_past_the_check(&forged, &a);
    assert!(opened.refresh().unwrap());
    assert!(opened.fact("01JF0000000000000000000002").is_none(), "its signature is not the one it carries");
    assert_eq!(opened.refused_facts().get(c.device()), Some(&1));
    assert!(opened.fact(&own).is_some());
}

#[test]
fn a_revoked_device_that_heard_of_it_records_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, mut c) = three(dir.path());
    let list = obhod_store::Revocations { number: 1, der: vec![0x30, 0x00] };
    a.revoke(c.device(), &list).unwrap();
    sync(&mut a, &mut c);
    let error = c.mark(Mark::new("1", Outcome::Delivered)).unwrap_err();
    assert!(matches!(error, StoreError::DeviceRevoked), "{error:?}");
    assert!(error.message(obhod_core::Lang::Ru).contains("ничего не записано"));
    assert_eq!(Campaign::open(c.path()).unwrap().heads(), c.heads());
}

const BALLOTS: &str = "premise,owner,1,2,3,received,defect\n";
const PETROV: &str = "Петров Пётр Петрович";

#[test]
fn only_the_organisers_device_settles_a_ballot_conflict_in_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    a.import_ballots("a.csv", &format!("{BALLOTS}2,{PETROV},против,за,против,2026-12-16,\n")).unwrap();
    b.import_ballots("b.csv", &format!("{BALLOTS}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    assert_eq!(c.conflicts().len(), 1, "signed ballots of two devices both count");
    // A member settles it its own way, with its own signed record: refused.
    let error = c.resolve_conflict("2", PETROV, 2).unwrap_err();
    assert!(matches!(error, StoreError::OrganiserOnly), "{error:?}");
    let ballots = map(&forger(&c), "ballots");
    // Either decision written over the other, the organiser's own signed record included: refused.
    let keys: Vec<String> = forger(&c).keys(&ballots).collect();
    assert_eq!(keys.len(), 2);
    let text = |key: &str| forger(&c).get(&ballots, key).unwrap().unwrap().0.into_string().unwrap();
    for (over, with) in [(&keys[0], &keys[1]), (&keys[1], &keys[0])] {
        let value = text(with);
        refused(&mut a, forge(&c, |tx| tx.put(&ballots, over.as_str(), value.as_str()).unwrap()), Breach::Overwrite);
    }
    // The organiser's device settles it, and every device takes that.
    a.resolve_conflict("2", PETROV, 1).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    assert!(c.conflicts().is_empty() && b.conflicts().is_empty());
}

#[test]
fn a_fact_id_that_would_stop_the_clock_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, mut c) = three(dir.path());
    let own = c.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    let text = fact_text(&forger(&c), &own);
    let facts = map(&forger(&c), "facts");
    // The last ULID there is: no id could ever sort after it, so its outcome would stay «last».
    let forged = forge(&c, |tx| tx.put(&facts, "7ZZZZZZZZZZZZZZZZZZZZZZZZZ", text.as_str()).unwrap());
    refused(&mut a, forged, Breach::Structure);
    let forged = forge(&c, |tx| tx.put(&facts, "not a fact id", text.as_str()).unwrap());
    refused(&mut a, forged, Breach::Structure);
}

#[test]
fn a_member_cannot_make_every_device_hold_a_huge_record_or_a_note_over_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, _b, mut c) = three(dir.path());
    let own = c.mark(Mark::new("3", Outcome::Absent)).unwrap().pop().unwrap();
    let text = fact_text(&forger(&c), &own);
    let facts = map(&forger(&c), "facts");
    // A note of 501 characters, past what the write path takes (the signature is not even looked at).
    let long_note = text.replacen('{', &format!("{{\"note\":\"{}\",", "я".repeat(501)), 1);
    let forged = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000007", long_note.as_str()).unwrap());
    refused(&mut a, forged, Breach::TooLarge);
    // A record of 20 KB in a field no version reads.
    let padded = text.replacen('{', &format!("{{\"pad\":\"{}\",", "x".repeat(20_000)), 1);
    let forged = forge(&c, |tx| tx.put(&facts, "01JF0000000000000000000008", padded.as_str()).unwrap());
    refused(&mut a, forged, Breach::TooLarge);
}

#[test]
fn a_second_value_beside_a_decision_under_its_id_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    let before = forger(&c);
    b.import_ballots("b.csv", &format!("{BALLOTS}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b, &mut c);
    let ballots = map(&forger(&c), "ballots");
    let key: String = forger(&c).keys(&ballots).next().unwrap();
    let text = forger(&c).get(&ballots, key.as_str()).unwrap().unwrap().0.into_string().unwrap();
    // b's own signed record put again under its id, from a document that had not seen it: a
    // second value beside the first, superseding nothing.
    let mut beside = before;
    let old_ballots = map(&beside, "ballots");
    beside.transact(|tx| tx.put(&old_ballots, key.as_str(), text.as_str()).map(|_| ())).unwrap();
    refused(&mut a, beside, Breach::Overwrite);
    assert_eq!(a.decision_list()[0].id, key, "the decision keeps its id");
}
