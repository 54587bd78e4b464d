//! `Campaign::update_registry`: a corrected or newer registry recorded through the one write
//! path, signed by the organiser's device in a group, followed at once by the weights, the
//! canvass and the count here, in every other process and on every replica; refused after the
//! end of voting, when nothing changes, from a member, and forged through sync.

use std::sync::Arc;

use automerge::ReadDoc;
use automerge::transaction::Transactable;
use chrono::DateTime;
use obhod_core::registry::update::{Record, Refusal};
use obhod_core::{Outcome, Votes};
use obhod_store::{Breach, Campaign, Mark, SteppingClock, StoreError};

mod support;
use support::group::{forger, map, push, three};
use support::{fixture, sources, sync};

/// A campaign whose clock reads `day` of December 2026 (voting ends on the 20th).
fn on_day(campaign: &mut Campaign, day: u32) {
    let now = DateTime::parse_from_rfc3339(&format!("2026-12-{day:02}T12:00:00+06:00")).unwrap();
    campaign.set_clock(Arc::new(SteppingClock::new(now)));
}

/// The guide's registry with flat 1's area measured again.
fn flat_1_of(area: u32) -> String {
    fixture("registry.csv").replace("1,flat,100,1,1,", &format!("1,flat,{area},1,1,"))
}

/// The guide's registry after Петров sold his room of flat 2.
fn petrov_sold() -> String {
    fixture("registry.csv").replace("Петров Пётр Петрович", "Новиков Павел Андреевич")
}

fn total(campaign: &Campaign) -> Votes {
    campaign.tally().total
}

fn votes(n: i64) -> Votes {
    Votes::from_integer(n.into())
}

#[test]
fn a_corrected_area_changes_the_count_at_once_in_every_process_and_on_a_synced_replica() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut a = Campaign::init(&path, sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let mut reader = Campaign::open(&path).unwrap();
    on_day(&mut a, 1);
    assert_eq!(total(&a), votes(500));
    let update = a.update_registry("registry-2.csv", &flat_1_of(120)).unwrap();
    assert_eq!(update.differences.len(), 1);
    assert_eq!(update.differences[0].code(), "area_differs");
    assert_eq!(update.differences[0].moved(), votes(20));
    assert_eq!(total(&a), votes(520), "at once, in this process");
    assert_eq!(a.sources().registry_file, "registry-2.csv");

    assert_eq!(total(&reader), votes(500), "not read yet");
    assert!(reader.refresh().unwrap());
    assert_eq!(total(&reader), votes(520), "another process follows on refresh");

    sync(&mut a, &mut b);
    assert_eq!(total(&b), votes(520), "a replica follows as the message is taken");
    let b_path = b.path().to_path_buf();
    drop((a, b, reader));
    for path in [path, b_path] {
        let reopened = Campaign::open(&path).unwrap();
        assert_eq!(total(&reopened), votes(520));
        let record = reopened.registry_record().expect("who changed it is kept");
        assert_eq!((record.file.as_str(), record.differences), ("registry-2.csv", 1));
        assert_eq!(reopened.registry_versions(), 1);
    }
}

#[test]
fn a_sold_rooms_old_owners_delivery_and_decision_stay_listed_and_do_not_count_for_the_new_owner() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    on_day(&mut campaign, 1);
    let delivered = campaign
        .mark(Mark {
            owner: Some("Петров Пётр Петрович".into()), ..Mark::new("2", Outcome::Delivered)
        })
        .unwrap();
    campaign.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let holding = |campaign: &Campaign, name: &str| {
        campaign.weights().holdings.iter().position(|h| h.owners.iter().any(|o| o.name == name)).unwrap()
    };
    let before = campaign.tally();
    assert!(before.took_part[holding(&campaign, "Петров Пётр Петрович")]);

    let update = campaign.update_registry("registry.csv", &petrov_sold()).unwrap();
    let listed: Vec<(Record, Option<&str>)> = update.orphans.iter().map(|o| (o.record, o.owner.as_deref())).collect();
    assert_eq!(
        listed,
        [(Record::Fact, Some("Петров Пётр Петрович")), (Record::Decision, Some("Петров Пётр Петрович"))]
    );
    assert_eq!(update.orphans[0].id, delivered[0]);
    assert!(update.orphans.iter().all(|o| o.premise == "2" && !o.premise_gone));

    let after = campaign.tally();
    assert!(!after.took_part[holding(&campaign, "Новиков Павел Андреевич")], "the old owner's decision is not his");
    assert!(after.participated < before.participated);
    let canvass = campaign.canvass();
    let flat = &canvass.premises[1];
    assert!(flat.owner("Новиков Павел Андреевич").unwrap().notice().is_none(), "the old owner's notice is not his");
    assert_eq!(canvass.stray.len(), 1, "the delivery is kept, outside every owner's status");
    assert_eq!(campaign.orphans(), update.orphans, "listed for as long as the registry stands");
}

#[test]
fn after_the_end_of_voting_or_with_nothing_changed_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let heads = campaign.heads();
    on_day(&mut campaign, 21);
    match campaign.update_registry("registry.csv", &flat_1_of(120)) {
        Err(error @ StoreError::RegistryRefused { refusal: Refusal::VotingEnded { .. }, .. }) => {
            let message = error.message(obhod_core::Lang::Ru);
            assert!(message.contains("приём решений окончен 20.12.2026"), "{message}");
            assert!(message.ends_with("ничего не записано"), "{message}");
            assert_eq!(error.code(), "voting_ended");
        }
        other => panic!("{other:?}"),
    }
    on_day(&mut campaign, 1);
    let respaced = fixture("registry.csv").replace('\n', "\r\n");
    let refused = campaign.update_registry("registry.csv", &respaced).unwrap_err();
    assert!(matches!(refused, StoreError::RegistryRefused { refusal: Refusal::Unchanged, .. }), "{refused:?}");
    assert_eq!(campaign.heads(), heads, "nothing written");
    assert_eq!(total(&campaign), votes(500));
    assert!(campaign.registry_record().is_none());
}

#[test]
fn a_registry_the_reader_refuses_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    on_day(&mut campaign, 1);
    let heads = campaign.heads();
    let broken = fixture("registry.csv").replace("1,flat,100,1,1,,,Иванов", "1,flat,сто,1,1,,,Иванов");
    let error = campaign.update_registry("registry.csv", &broken).unwrap_err();
    assert!(error.is_bad_input(), "{error:?}");
    assert!(error.message(obhod_core::Lang::Ru).contains("registry.csv:2"), "{}", error.message(obhod_core::Lang::Ru));
    assert_eq!(campaign.heads(), heads);
}

#[test]
fn two_devices_updating_at_once_keep_the_same_registry_whichever_way_they_merge() {
    let dir = tempfile::tempdir().unwrap();
    let store = |name: &str| dir.path().join(name);
    let mut a = Campaign::init(&store("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&store("b.db")).unwrap();
    on_day(&mut a, 1);
    on_day(&mut b, 1);
    a.update_registry("a.csv", &flat_1_of(120)).unwrap();
    b.update_registry("b.csv", &flat_1_of(130)).unwrap();
    let mut a2 = a.replica_to(&store("a2.db")).unwrap();
    let mut b2 = b.replica_to(&store("b2.db")).unwrap();
    sync(&mut a, &mut b);
    sync(&mut b2, &mut a2);
    let seen: Vec<_> = [&a, &b, &a2, &b2].iter().map(|c| (total(c), c.sources().registry_file.clone())).collect();
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "every replica reads the same registry: {seen:?}");
    assert_eq!(a.registry_versions(), 2, "the other stands beside it");
    assert_eq!(a.registry_record().unwrap().file, a.sources().registry_file, "the record goes with the text");
    b.update_registry("c.csv", &flat_1_of(110)).unwrap();
    sync(&mut a, &mut b);
    assert_eq!((a.registry_versions(), total(&a)), (1, votes(510)));
}

#[test]
fn only_the_organisers_device_updates_the_registry_and_a_forged_change_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    on_day(&mut b, 1);
    let error = b.update_registry("registry.csv", &flat_1_of(120));
    assert!(matches!(error, Err(StoreError::OrganiserOnly)), "{error:?}");

    on_day(&mut a, 1);
    a.update_registry("registry.csv", &flat_1_of(120)).unwrap();
    sync(&mut a, &mut c);
    assert_eq!(total(&c), votes(520), "the organiser's signed update reaches a member");
    // A member puts another text beside the organiser's signed record, and then the text alone.
    let registry = map(&forger(&c), "registry");
    let record = forger(&c).get(&registry, "updated").unwrap().unwrap().0.into_string().unwrap();
    for with_record in [true, false] {
        let mut forged = forger(&c);
        let mut tx = forged.transaction();
        tx.put(&registry, "text", flat_1_of(1000).as_str()).unwrap();
        if with_record {
            tx.put(&registry, "updated", record.as_str()).unwrap();
        }
        tx.commit();
        let heads = b.heads();
        let error = push(&mut forged, &mut b).unwrap_err();
        assert!(matches!(&error, StoreError::ChangeRefused { reason: Breach::RegistryUnsigned, .. }), "{error:?}");
        assert_eq!(b.heads(), heads, "nothing of the message is taken");
        assert_eq!(total(&b), votes(500));
    }
    sync(&mut c, &mut b);
    assert_eq!(total(&b), votes(520), "the honest update still arrives");
}

/// The guide's registry after Петров sold his room of flat 2 and Сергеев his share of flat 1.
fn two_sold() -> String {
    petrov_sold().replace("Сергеев Сергей Сергеевич", "Орлов Игорь Павлович")
}

/// Whether `owner` of `premise` is notified in `campaign`'s fold.
fn notified(campaign: &Campaign, premise: &str, owner: &str) -> bool {
    let canvass = campaign.canvass();
    let index = campaign.registry().premises.iter().position(|p| p.label == premise).unwrap();
    canvass.premises[index].owner(owner).unwrap().notified
}

fn under(campaign: &Campaign, id: &str) -> u64 {
    match &campaign.fact(id).unwrap().act {
        obhod_core::Act::Mark { under, .. } => *under,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_delivery_to_every_owner_before_a_sale_reaches_those_who_stay_and_never_the_buyer_on_any_device() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, _c) = three(dir.path());
    on_day(&mut a, 1);
    on_day(&mut b, 1);
    let flat_2 = a.mark(Mark::new("2", Outcome::Delivered)).unwrap();
    sync(&mut a, &mut b);
    // The member's phone, offline, hands flat 1's notices to everyone it knows of.
    let flat_1 = b.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    assert!(notified(&b, "1", "Сергеев Сергей Сергеевич"));

    let update = a.update_registry("registry-2.csv", &two_sold()).unwrap();
    let unreached: Vec<(&str, &str, &[String])> =
        update.unreached.iter().map(|u| (u.id.as_str(), u.premise.as_str(), u.owners.as_slice())).collect();
    assert_eq!(unreached, [(flat_2[0].as_str(), "2", &["Новиков Павел Андреевич".to_string()][..])]);
    assert!(notified(&a, "2", "Смирнова Анна Павловна"), "the mark still counts for those who stay");
    assert!(!notified(&a, "2", "Новиков Павел Андреевич"), "the buyer was never handed the notice");

    sync(&mut a, &mut b);
    for (device, campaign) in [("organiser", &a), ("member", &b)] {
        assert_eq!(under(campaign, &flat_1[0]), 0, "marked before the phone had the update");
        assert!(notified(campaign, "1", "Иванов Иван Иванович"), "{device}");
        assert!(!notified(campaign, "1", "Орлов Игорь Павлович"), "{device}: marked under the old registry");
        assert!(!notified(campaign, "2", "Новиков Павел Андреевич"), "{device}");
        assert!(campaign.canvass().mail_list().any(|(_, o)| o.owner.name == "Орлов Игорь Павлович"), "{device}");
    }
    let after = b.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    assert_eq!(under(&b, &after[0]), 1);
    assert!(notified(&b, "1", "Орлов Игорь Павлович"), "a mark under the new registry reaches him");

    let path = a.path().to_path_buf();
    drop(a);
    let reopened = Campaign::open(&path).unwrap();
    assert_eq!(reopened.registry().since.of("2", "Новиков Павел Андреевич"), 1, "the signed record keeps it");
    assert!(!notified(&reopened, "2", "Новиков Павел Андреевич"));
}

#[test]
fn a_record_of_owners_since_altered_by_a_member_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, c) = three(dir.path());
    on_day(&mut a, 1);
    a.mark(Mark::new("2", Outcome::Delivered)).unwrap();
    a.update_registry("registry-2.csv", &petrov_sold()).unwrap();
    sync(&mut a, &mut b);
    let mut forged = forger(&b);
    let registry = map(&forged, "registry");
    let record = forged.get(&registry, "updated").unwrap().unwrap().0.into_string().unwrap();
    assert!(record.contains(r#""since":{"2":{"Новиков Павел Андреевич":1}}"#), "{record}");
    let mut tx = forged.transaction();
    tx.put(&registry, "updated", record.replace(r#""since":{"2":{"Новиков Павел Андреевич":1}},"#, "").as_str())
        .unwrap();
    tx.commit();
    let mut c = c;
    let error = push(&mut forged, &mut c).unwrap_err();
    assert!(matches!(&error, StoreError::ChangeRefused { reason: Breach::RegistryUnsigned, .. }), "{error:?}");
    sync(&mut b, &mut c);
    assert!(!notified(&c, "2", "Новиков Павел Андреевич"), "the honest record arrives");
}

#[test]
fn a_delivery_to_every_owner_typed_in_from_paper_signed_before_the_update_does_not_reach_the_buyer() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    on_day(&mut campaign, 5);
    campaign.update_registry("registry-2.csv", &petrov_sold()).unwrap();
    on_day(&mut campaign, 7);
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d);
    let paper = campaign.mark(Mark { signed: day(3), ..Mark::new("2", Outcome::Delivered) }).unwrap();
    assert_eq!(under(&campaign, &paper[0]), 0, "signed on the 3rd, under the registry of then");
    assert!(notified(&campaign, "2", "Смирнова Анна Павловна"));
    assert!(!notified(&campaign, "2", "Новиков Павел Андреевич"), "he did not own the room on the 3rd");
    let later = campaign.mark(Mark { signed: day(6), ..Mark::new("2", Outcome::Delivered) }).unwrap();
    assert_eq!(under(&campaign, &later[0]), 1);
    assert!(notified(&campaign, "2", "Новиков Павел Андреевич"), "signed after the update, by every owner");
}

#[test]
fn ballots_are_read_against_the_registry_another_process_has_just_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let mut importer = Campaign::init(&path, sources()).unwrap();
    let mut organiser = Campaign::open(&path).unwrap();
    on_day(&mut organiser, 1);
    organiser.update_registry("registry-2.csv", &petrov_sold()).unwrap();
    // The importer has not looked at the store since: its registry still has Петров.
    assert!(importer.registry().premises[1].owners().iter().any(|o| o.name == "Петров Пётр Петрович"));
    let old_owner = importer.import_ballots("ballots.csv", &fixture("ballots.csv"));
    let refused = match &old_owner {
        Err(StoreError::Input(error)) => (error.line, &*error.problem),
        other => panic!("{other:?}"),
    };
    let gone = obhod_core::Problem::UnknownOwner {
        premise: "2".into(), owner: "Петров Пётр Петрович".into()
    };
    assert_eq!(refused, (Some(3), &gone), "the file's line of the owner the registry in force lacks");
    assert!(importer.ballots().is_empty(), "nothing of the file is written");
    let buyer = fixture("ballots.csv").replace("Петров Пётр Петрович", "Новиков Павел Андреевич");
    let imported = importer.import_ballots("ballots.csv", &buyer).unwrap();
    assert_eq!(imported.added, 5, "every decision of the file");
    let buyer = importer.weights().holdings.iter().position(|h| h.owners[0].name == "Новиков Павел Андреевич");
    assert!(importer.tally().took_part[buyer.unwrap()], "the buyer's decision counts");
}
