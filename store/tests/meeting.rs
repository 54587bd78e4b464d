//! `Campaign::update_meeting`: a changed meeting.toml recorded through the one write path, read
//! again by every other process and replica, the same on two devices that updated it at once, and
//! refused, with nothing written, where it would falsify what the campaign holds.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate};
use obhod_core::Outcome;
use obhod_core::meeting::update::Refusal;
use obhod_store::{Campaign, Mark, SteppingClock, StoreError};

mod support;
use support::{fixture, sources, sync};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The guide's meeting a week later: D 17.12, E 27.12.
fn a_week_later() -> String {
    fixture("meeting.toml")
        .replace("date = 2026-12-10", "date = 2026-12-17")
        .replace("voting_ends = 2026-12-20", "voting_ends = 2026-12-27")
}

fn keys(update: &obhod_store::MeetingUpdate) -> Vec<&str> {
    update.changes.iter().map(|c| c.key.as_str()).collect()
}

#[test]
fn a_moved_date_is_recorded_and_every_other_process_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut campaign = Campaign::init(&path, sources()).unwrap();
    let mut reader = Campaign::open(&path).unwrap();
    let mut writer = Campaign::open(&path).unwrap();

    let update = campaign.update_meeting("new/meeting.toml", &a_week_later()).unwrap();
    assert!(update.recorded);
    assert_eq!(keys(&update), ["meeting.date", "meeting.voting_ends"]);
    assert_eq!(campaign.meeting().date, day("2026-12-17"));
    assert_eq!(campaign.sources().meeting_file, "new/meeting.toml");

    assert_eq!(reader.meeting().date, day("2026-12-10"), "not read yet");
    assert!(reader.refresh().unwrap(), "the update is news");
    assert_eq!(reader.meeting().date, day("2026-12-17"));
    // A process that writes catches up under the lock and checks against the new meeting.
    writer.mark(Mark::new("1", Outcome::Absent)).unwrap();
    assert_eq!(writer.meeting().voting_ends, day("2026-12-27"));

    drop((campaign, reader, writer));
    let reopened = Campaign::open(&path).unwrap();
    assert_eq!(reopened.meeting().date, day("2026-12-17"));
    let record = reopened.meeting_record().expect("who changed it is kept");
    assert_eq!((record.file.as_str(), record.keys.len()), ("new/meeting.toml", 2));
    assert_eq!(record.device, reopened.device(), "this device");
    assert_eq!(reopened.meeting_versions(), 1);
}

#[test]
fn an_update_reaches_a_replica_by_sync() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    a.update_meeting("meeting.toml", &a_week_later()).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(b.meeting().date, day("2026-12-17"), "read again as the message is taken");
    assert_eq!(b.tally().questions.len(), 3);
    let path = b.path().to_path_buf();
    drop(b);
    assert_eq!(Campaign::open(&path).unwrap().meeting().date, day("2026-12-17"));
}

#[test]
fn two_devices_updating_at_once_keep_the_same_meeting_whichever_way_they_merge() {
    let dir = tempfile::tempdir().unwrap();
    let store = |name: &str| dir.path().join(name);
    let mut a = Campaign::init(&store("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&store("b.db")).unwrap();
    a.update_meeting("a/meeting.toml", &a_week_later()).unwrap();
    let chair =
        fixture("meeting.toml").replace("chair = \"Иванов Иван Иванович\"", "chair = \"Смирнова Анна Павловна\"");
    b.update_meeting("b/meeting.toml", &chair).unwrap();
    // The same two updates merged in both orders: a's into b, and b's into a.
    let mut a2 = a.replica_to(&store("a2.db")).unwrap();
    let mut b2 = b.replica_to(&store("b2.db")).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b2, &mut a2);
    let seen: Vec<_> =
        [&a, &b, &a2, &b2].iter().map(|c| (c.meeting().clone(), c.sources().meeting_file.clone())).collect();
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "every replica reads the same meeting: {seen:?}");
    assert_eq!(a.meeting_versions(), 2, "the other stands beside it");
    // The record of who changed it goes with the text that won.
    let record = a.meeting_record().unwrap();
    assert_eq!(record.file, a.sources().meeting_file);
    let won_by_a = a.sources().meeting_file == "a/meeting.toml";
    assert_eq!(record.keys, if won_by_a { vec!["meeting.date", "meeting.voting_ends"] } else { vec!["meeting.chair"] });
    // An update after both settles it.
    b.update_meeting("c/meeting.toml", &chair.replace("date = 2026-12-10", "date = 2026-12-12")).unwrap();
    sync(&mut a, &mut b);
    assert_eq!((a.meeting_versions(), a.meeting().date), (1, day("2026-12-12")));
}

/// The campaign's document is untouched: same heads, same meeting.
fn unchanged(campaign: &Campaign, heads: &[automerge::ChangeHash]) {
    assert_eq!(campaign.heads(), heads, "nothing written");
    assert_eq!(campaign.meeting().date, day("2026-12-10"));
    assert!(campaign.meeting_record().is_none());
}

#[test]
fn another_registry_or_another_building_is_refused_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let heads = campaign.heads();
    let other_registry = a_week_later().replace("registry = \"registry.csv\"", "registry = \"registry-2.csv\"");
    match campaign.update_meeting("meeting.toml", &other_registry) {
        Err(StoreError::MeetingRefused { refusal: Refusal::Registry { line, given, .. }, .. }) => {
            assert_eq!((line, given.as_str()), (6, "registry-2.csv"));
        }
        other => panic!("{other:?}"),
    }
    let message = campaign.update_meeting("meeting.toml", &other_registry).unwrap_err().message(obhod_core::Lang::Ru);
    assert!(message.starts_with("meeting.toml:6: building.registry = «registry-2.csv»"), "{message}");
    assert!(message.ends_with("ничего не записано"), "{message}");
    unchanged(&campaign, &heads);
    let elsewhere = a_week_later().replace("д. 1", "д. 3");
    let refused = campaign.update_meeting("meeting.toml", &elsewhere).unwrap_err();
    assert!(matches!(refused, StoreError::MeetingRefused { refusal: Refusal::Address { .. }, .. }), "{refused:?}");
    unchanged(&campaign, &heads);
}

#[test]
fn the_agenda_changes_until_a_decision_is_recorded_and_not_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let reworded = fixture("meeting.toml").replace("в 2027 году", "в 2028 году");
    let update = campaign.update_meeting("meeting.toml", &reworded).unwrap();
    assert_eq!(keys(&update), ["question[3].proposal"], "no decision yet: allowed");
    campaign.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let heads = campaign.heads();
    let refused = campaign.update_meeting("meeting.toml", &fixture("meeting.toml")).unwrap_err();
    match &refused {
        StoreError::MeetingRefused { refusal: Refusal::Agenda { ballots, questions }, .. } => {
            assert_eq!((*ballots, questions.as_slice()), (5, &[3][..]));
        }
        other => panic!("{other:?}"),
    }
    assert!(refused.message(obhod_core::Lang::Ru).contains("(вопрос 3)"), "{}", refused.message(obhod_core::Lang::Ru));
    let four = format!("{reworded}\n[[question]]\ntext = \"Ещё вопрос\"\n");
    assert!(campaign.update_meeting("meeting.toml", &four).is_err(), "a question added is refused too");
    assert_eq!(campaign.heads(), heads);
    assert_eq!(
        campaign.meeting().questions[2].proposal,
        campaign.meeting().questions[2].proposal.replace("2027", "2028")
    );
    // The dates may still move: the decisions answered the same agenda.
    assert!(
        campaign
            .update_meeting("meeting.toml", &reworded.replace("date = 2026-12-10", "date = 2026-12-11"))
            .unwrap()
            .recorded
    );
}

#[test]
fn the_text_of_init_given_again_after_another_process_moved_the_date_is_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut stale = Campaign::init(&path, sources()).unwrap();
    Campaign::open(&path).unwrap().update_meeting("meeting.toml", &a_week_later()).unwrap();
    let update = stale.update_meeting("meeting.toml", &fixture("meeting.toml")).unwrap();
    assert!(update.recorded, "compared with the meeting as it stands, not as first read");
    assert_eq!(keys(&update), ["meeting.date", "meeting.voting_ends"]);
    assert_eq!(stale.meeting().date, day("2026-12-10"));
}

#[test]
fn nothing_changes_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let heads = campaign.heads();
    let commented = format!("# перечитано\n{}", fixture("meeting.toml").replace(" = ", "   =   "));
    let update = campaign.update_meeting("другой/meeting.toml", &commented).unwrap();
    assert_eq!((update.changes.len(), update.recorded), (0, false));
    unchanged(&campaign, &heads);
}

#[test]
fn a_file_that_cannot_be_read_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let heads = campaign.heads();
    let bad = fixture("meeting.toml").replace("date = 2026-12-10", "date = 2026-13-10");
    match campaign.update_meeting("meeting.toml", &bad) {
        Err(StoreError::Input(error)) => assert_eq!((error.file.as_str(), error.line), ("meeting.toml", Some(11))),
        other => panic!("{other:?}"),
    }
    unchanged(&campaign, &heads);
}

#[test]
fn moving_the_dates_counts_the_notices_and_decisions_it_makes_late() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let now = DateTime::parse_from_rfc3339("2026-11-30T19:00:00+06:00").unwrap();
    campaign.set_clock(Arc::new(SteppingClock::new(now)));
    // Signed on 29.11: eleven days before 10.12, in time (on the boundary).
    campaign.mark(Mark { signed: Some(day("2026-11-29")), ..Mark::new("1", Outcome::Delivered) }).unwrap();
    campaign.mark(Mark { signed: Some(day("2026-11-20")), ..Mark::new("2", Outcome::Delivered) }).unwrap();
    campaign.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let earlier = fixture("meeting.toml")
        .replace("date = 2026-12-10", "date = 2026-12-08")
        .replace("voting_ends = 2026-12-20", "voting_ends = 2026-12-17");
    let update = campaign.update_meeting("meeting.toml", &earlier).unwrap();
    assert!(update.recorded, "allowed, with what it does said");
    assert_eq!(update.owners_made_late, 2, "both owners of flat 1; flat 2 signed in time for either date");
    assert_eq!(update.ballots_made_late, 2, "received 18.12 and 20.12");
    let warnings = obhod_core::mail::notice_warnings(campaign.meeting(), campaign.registry(), &campaign.canvass());
    assert_eq!(warnings.iter().filter(|w| w.code() == "delivered_late").count(), 2, "the warnings follow the new date");
}

#[test]
fn decisions_imported_on_a_device_that_had_not_yet_seen_a_new_agenda_stay_out_of_the_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let four = format!("{}\n[[question]]\ntext = \"Утверждение сметы\"\n", fixture("meeting.toml"));
    a.update_meeting("meeting.toml", &four).unwrap();
    b.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    sync(&mut a, &mut b);
    for campaign in [&a, &b] {
        assert_eq!(campaign.meeting().questions.len(), 4);
        assert_eq!((campaign.ballots().len(), campaign.off_agenda()), (0, 5), "kept, not counted");
        assert_eq!(campaign.tally().questions.len(), 4, "the count runs on the agenda it has");
    }
}

#[test]
fn decisions_imported_by_a_process_that_had_not_seen_a_new_agenda_are_read_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut stale = Campaign::init(&path, sources()).unwrap();
    let four = format!("{}\n[[question]]\ntext = \"Утверждение сметы\"\n", fixture("meeting.toml"));
    Campaign::open(&path).unwrap().update_meeting("meeting.toml", &four).unwrap();
    let refused = stale.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap_err();
    assert!(matches!(refused, StoreError::Input(_)), "three answers for four questions: {refused:?}");
    assert_eq!((stale.meeting().questions.len(), stale.ballots().len(), stale.off_agenda()), (4, 0, 0));
}
