//! Sync between two replicas through `SyncSession`, messages passed by hand: what is received is
//! durable, nothing is sent twice, bad or foreign messages change nothing, and a second device's
//! replica records under its own device id.

use std::path::PathBuf;

use automerge::sync::{Message, SyncDoc};
use automerge::transaction::Transactable;
use obhod_core::Outcome;
use obhod_store::{Campaign, Mark, Received, StoreError, SyncSession};

mod support;
use support::{fixture, sources};

/// A campaign and its replica on a second device, in one temporary directory.
fn pair() -> (tempfile::TempDir, Campaign, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let b = a.replica_to(&dir.path().join("b.db")).unwrap();
    (dir, a, b)
}

/// What a sync to quiescence cost and brought.
#[derive(Debug, Default)]
struct Round {
    messages: usize,
    changes: usize,
    to_a: Received,
    to_b: Received,
}

fn add(total: &mut Received, more: Received) {
    total.facts += more.facts;
    total.ballots += more.ballots;
}

/// Passes messages both ways, in turn, until neither session has anything to say.
fn sync(a: &mut Campaign, sa: &mut SyncSession, b: &mut Campaign, sb: &mut SyncSession) -> Round {
    let mut round = Round::default();
    loop {
        let mut quiet = true;
        if let Some(message) = sa.generate(a) {
            quiet = false;
            round.messages += 1;
            round.changes += Message::decode(&message).unwrap().changes.len();
            add(&mut round.to_b, sb.receive(b, &message).unwrap());
        }
        if let Some(message) = sb.generate(b) {
            quiet = false;
            round.messages += 1;
            round.changes += Message::decode(&message).unwrap().changes.len();
            add(&mut round.to_a, sa.receive(a, &message).unwrap());
        }
        if quiet {
            return round;
        }
        assert!(round.messages < 100, "the sync does not end");
    }
}

fn fresh_sync(a: &mut Campaign, b: &mut Campaign) -> Round {
    sync(a, &mut SyncSession::new(), b, &mut SyncSession::new())
}

fn fact_ids(campaign: &Campaign) -> Vec<String> {
    campaign.facts().map(|f| f.id.clone()).collect()
}

#[test]
fn a_replica_on_a_second_device_records_under_its_own_device_id() {
    let (dir, a, mut b) = pair();
    assert_eq!(b.id(), a.id(), "the same campaign");
    assert_ne!(b.device(), a.device(), "but another device");
    let id = b.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    assert_eq!(b.fact(&id).unwrap().device, b.device());
    drop(b);
    let reopened = Campaign::open(&dir.path().join("b.db")).unwrap();
    assert_eq!(reopened.fact(&id).unwrap().device, reopened.device(), "kept in the file");
    let again = a.replica_to(&dir.path().join("b.db"));
    assert!(matches!(again, Err(StoreError::CampaignExists { .. })), "{:?}", again.err());
}

#[test]
fn facts_recorded_apart_meet_and_are_durable_on_return() {
    let (dir, mut a, mut b) = pair();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    a.mark(Mark::new("2", Outcome::Delivered)).unwrap();
    b.mark(Mark::new("3", Outcome::Refused)).unwrap();
    b.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let round = fresh_sync(&mut a, &mut b);
    assert_eq!(round.to_a, Received { facts: 1, ballots: 5 });
    assert_eq!(round.to_b, Received { facts: 2, ballots: 0 });
    assert_eq!(fact_ids(&a), fact_ids(&b));
    assert_eq!(a.canvass(), b.canvass());
    assert_eq!(a.tally(), b.tally());
    // Another process opening either file sees everything received: it was committed.
    for (file, campaign) in [("a.db", &a), ("b.db", &b)] {
        let other = Campaign::open(&dir.path().join(file)).unwrap();
        assert_eq!(fact_ids(&other), fact_ids(campaign), "{file}");
        assert_eq!(other.ballots(), campaign.ballots(), "{file}");
    }
}

#[test]
fn an_up_to_date_pair_exchanges_nothing_more_and_nothing_is_sent_twice() {
    let (_dir, mut a, mut b) = pair();
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    sync(&mut a, &mut sa, &mut b, &mut sb);
    assert_eq!((sa.generate(&a), sb.generate(&b)), (None, None), "in sync: silence");
    b.mark(Mark::new("2", Outcome::Absent)).unwrap();
    let round = sync(&mut a, &mut sa, &mut b, &mut sb);
    assert_eq!(round.changes, 1, "a new change crosses once: {round:?}");
    assert_eq!(round.to_a.facts, 1);
    // A new connection between up-to-date peers: heads are compared, no change is sent.
    let round = fresh_sync(&mut a, &mut b);
    assert_eq!(round.changes, 0, "{round:?}");
    assert!(round.messages <= 2, "{round:?}");
}

#[test]
fn a_malformed_message_is_refused_and_changes_nothing() {
    let (dir, mut a, mut b) = pair();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    let mut sb = SyncSession::new();
    let before = fact_ids(&b);
    let mut message = SyncSession::new().generate(&a).unwrap();
    message.truncate(message.len() / 2);
    for garbage in [&message[..], b"", b"\x42\xff\x00garbage"] {
        let refused = sb.receive(&mut b, garbage);
        assert!(matches!(refused, Err(StoreError::BadSyncMessage { .. })), "{refused:?}");
        assert!(refused.unwrap_err().is_bad_input());
    }
    assert_eq!(fact_ids(&b), before);
    assert_eq!(fact_ids(&Campaign::open(&dir.path().join("b.db")).unwrap()), before);
    assert_eq!(fresh_sync(&mut a, &mut b).to_b.facts, 1, "the next sync goes on as usual");
}

#[test]
fn another_campaigns_document_is_refused_and_changes_nothing() {
    let (dir, mut a, _b) = pair();
    // A peer of another campaign, which takes whatever it is sent.
    let mut stranger = automerge::AutoCommit::new();
    stranger.put(automerge::ROOT, "obhod", 1).unwrap();
    stranger.put(automerge::ROOT, "campaign", "01JSTRANGER0000000000000000").unwrap();
    stranger.put_object(automerge::ROOT, "facts", automerge::ObjType::Map).unwrap();
    stranger.put_object(automerge::ROOT, "ballots", automerge::ObjType::Map).unwrap();
    let (mut sa, mut sc) = (SyncSession::new(), automerge::sync::State::new());
    let mut outcome = Ok(Received::default());
    for _ in 0..10 {
        if let Some(message) = sa.generate(&a) {
            stranger.sync().receive_sync_message(&mut sc, Message::decode(&message).unwrap()).unwrap();
        }
        let Some(message) = stranger.sync().generate_sync_message(&mut sc) else { continue };
        outcome = sa.receive(&mut a, &message.encode());
        if outcome.is_err() {
            break;
        }
    }
    assert!(matches!(outcome, Err(StoreError::SyncOfAnotherCampaign)), "{outcome:?}");
    let reopened = Campaign::open(&dir.path().join("a.db")).unwrap();
    assert_eq!((reopened.id(), reopened.facts().count(), reopened.unknown_facts()), (a.id(), 0, 0));
    let mut b = a.replica_to(&dir.path().join("c.db")).unwrap();
    assert_eq!(fresh_sync(&mut a, &mut b).changes, 0, "nothing foreign stayed in memory either");
}

#[test]
fn a_received_change_that_cannot_be_written_is_not_kept_in_memory_either() {
    let (dir, mut a, mut b) = pair();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    let path: PathBuf = dir.path().join("b.db");
    let saboteur = rusqlite::Connection::open(&path).unwrap();
    saboteur
        .execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON change BEGIN SELECT RAISE(ABORT, 'refused'); END")
        .unwrap();
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    let mut failed = None;
    for _ in 0..10 {
        if let Some(message) = sa.generate(&a)
            && let Err(error) = sb.receive(&mut b, &message)
        {
            failed = Some(error);
            break;
        }
        if let Some(message) = sb.generate(&b) {
            sa.receive(&mut a, &message).unwrap();
        }
    }
    assert!(matches!(failed, Some(StoreError::Database { .. })), "{failed:?}");
    assert_eq!(b.facts().count(), 0, "nothing half-applied stays in memory");
    saboteur.execute_batch("DROP TRIGGER refuse").unwrap();
    let round = sync(&mut a, &mut sa, &mut b, &mut sb);
    assert_eq!(round.to_b.facts, 1, "the session starts over and the peer sends again: {round:?}");
    assert_eq!(fact_ids(&Campaign::open(&path).unwrap()), fact_ids(&a));
}

#[test]
fn a_message_without_changes_needs_no_write_lock() {
    let (dir, a, mut b) = pair();
    let holder = rusqlite::Connection::open(dir.path().join("b.db")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let hello = SyncSession::new().generate(&a).unwrap();
    assert_eq!(SyncSession::new().receive(&mut b, &hello).unwrap(), Received::default());
    holder.execute_batch("ROLLBACK").unwrap();
}

/// A clock stopped at one instant.
struct Fixed(chrono::DateTime<chrono::FixedOffset>);

impl obhod_store::Clock for Fixed {
    fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.0
    }
}

#[test]
fn a_device_whose_clock_runs_a_year_fast_does_not_win_the_last_outcome_once_its_fact_is_seen() {
    let (_dir, mut a, mut b) = pair();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap();
    a.set_clock(std::sync::Arc::new(Fixed(now)));
    b.set_clock(std::sync::Arc::new(Fixed(now + chrono::Duration::days(365))));
    b.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    fresh_sync(&mut a, &mut b);
    let absent = a.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
    fresh_sync(&mut a, &mut b);
    for campaign in [&a, &b] {
        assert_eq!(campaign.canvass().premises[0].last_outcome, Some(Outcome::Absent), "recorded after, counts last");
    }
    assert_eq!(a.fact(&absent).unwrap().at, now, "the time shown is the device's own clock");
}
