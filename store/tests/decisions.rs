//! Decisions as records that are never changed: each listed with its id, withdrawn by a fact that
//! cites it (the count follows at once), replaced by a new one, a conflict settled by withdrawing
//! the losing decision; older campaigns' ballots (stored under the owner's key) still counted; in
//! a group a member's device withdraws only its own decisions.

use automerge::transaction::Transactable;
use obhod_core::number::exact;
use obhod_core::{Act, Lang};
use obhod_store::{Campaign, StoreError};

mod support;
use support::group::{forger, map, push, three};
use support::{fixture, sources, sync};

const HEADER: &str = "premise,owner,1,2,3,received,defect\n";
const PETROV: &str = "Петров Пётр Петрович";
const SHOP: &str = "ООО «Магазин у дома»";

fn imported() -> (tempfile::TempDir, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    campaign.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    (dir, campaign)
}

fn id_of(campaign: &Campaign, owner: &str) -> String {
    let list = campaign.decision_list();
    list.into_iter().find(|d| d.owner == owner && d.withdrawn.is_none()).expect("a standing decision").id
}

#[test]
fn each_decision_is_listed_with_its_id_and_a_withdrawal_takes_it_out_of_the_count_at_once() {
    let (dir, mut campaign) = imported();
    let list = campaign.decision_list();
    assert_eq!(list.len(), 5);
    assert_eq!(list[0].premise, "1", "in the registry's order");
    assert!(list.iter().all(|d| d.withdrawn.is_none() && d.device == campaign.device()));
    assert_eq!(exact(&campaign.tally().participated), "275");
    let shop = id_of(&campaign, SHOP);
    let withdrawal = campaign.withdraw_decision(&shop, Some("не та организация".into())).unwrap();
    assert_eq!(exact(&campaign.tally().participated), "75", "the shop's 200 m² no longer count");
    let listed = campaign.decision_list().into_iter().find(|d| d.id == shop).unwrap();
    assert_eq!(listed.withdrawn.as_deref(), Some(withdrawal.as_str()), "still listed, as withdrawn");
    let fact = campaign.fact(&withdrawal).unwrap();
    assert_eq!(fact.act, Act::Withdraw { fact: shop.clone() });
    assert_eq!(fact.note.as_deref(), Some("не та организация"));
    drop(campaign);
    let reopened = Campaign::open(&dir.path().join("obhod.db")).unwrap();
    assert_eq!(exact(&reopened.tally().participated), "75");
}

#[test]
fn a_decision_withdrawn_twice_or_an_unknown_id_is_refused_in_words() {
    let (_dir, mut campaign) = imported();
    let shop = id_of(&campaign, SHOP);
    let first = campaign.withdraw_decision(&shop.to_lowercase(), None).unwrap();
    let again = campaign.withdraw_decision(&shop, None).unwrap_err();
    assert!(matches!(&again, StoreError::DecisionWithdrawn { by, .. } if *by == first), "{again:?}");
    assert_eq!(again.message(Lang::Ru), format!("решение {shop} уже отозвано (отзыв {first}); ничего не записано"));
    let unknown = campaign.withdraw_decision("01JF0000000000000000000000", None).unwrap_err();
    assert!(matches!(unknown, StoreError::UnknownDecision(_)), "{unknown:?}");
    assert!(unknown.message(Lang::En).contains("obhod ballots list"));
    assert_eq!(campaign.facts().count(), 1, "nothing more recorded");
}

#[test]
fn a_wrong_decision_is_withdrawn_and_replaced_and_the_count_follows() {
    let (_dir, mut campaign) = imported();
    let petrov = id_of(&campaign, PETROV);
    let corrected = format!("{HEADER}2,{PETROV},за,за,за,2026-12-16,\n");
    let refused = campaign.import_ballots("fix.csv", &corrected).unwrap_err();
    assert!(matches!(&refused, StoreError::BallotConflict { id, .. } if **id == *petrov), "{refused:?}");
    assert!(refused.message(Lang::Ru).contains(&format!("obhod ballots withdraw {petrov}")));
    let for_before = campaign.tally().questions[0].for_votes.clone();
    campaign.withdraw_decision(&petrov, None).unwrap();
    campaign.import_ballots("fix.csv", &corrected).unwrap();
    let standing: Vec<_> = campaign.decision_list().into_iter().filter(|d| d.owner == PETROV).collect();
    assert_eq!(standing.len(), 2, "the wrong one stays, withdrawn");
    assert_eq!(standing.iter().filter(|d| d.withdrawn.is_none()).count(), 1);
    assert!(campaign.conflicts().is_empty());
    assert!(campaign.tally().questions[0].for_votes > for_before, "Petrov's «за» counts on question 1");
}

/// What an older obhod stored: one ballot per owner under the key `["premise","owner"]`.
fn legacy(campaign: &Campaign, owner: &str, first: &str) -> Vec<u8> {
    let mut doc = forger(campaign);
    let ballots = map(&doc, "ballots");
    let key = serde_json::to_string(&["2", owner]).unwrap();
    let text = format!(
        r#"{{"premise":"2","owner":"{owner}","answers":["{first}","for","against"],"received":"2026-12-16","file":"old.csv","line":2,"device":"old-phone","at":"2026-12-16T10:00:00+06:00"}}"#
    );
    doc.transact(|tx| tx.put(&ballots, key.as_str(), text.as_str()).map(|_| ())).unwrap();
    doc.save()
}

#[test]
fn an_older_campaigns_ballots_are_still_counted_listed_and_withdrawn() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    let mut old = automerge::Automerge::load(&legacy(&campaign, PETROV, "against")).unwrap();
    push(&mut old, &mut campaign).unwrap();
    assert_eq!(campaign.ballots().len(), 1, "the older ballot reads");
    assert_eq!(exact(&campaign.tally().participated), "50", "Petrov's room: 30 of the flat's 60 m² of rooms");
    let list = campaign.decision_list();
    assert_eq!((list.len(), list[0].device.as_str(), list[0].file.as_str()), (1, "old-phone", "old.csv"));
    let id = list[0].id.clone();
    assert!(ulid::Ulid::from_string(&id).is_ok(), "an id like any other: {id}");
    let other = campaign.replica_to(&dir.path().join("other.db")).unwrap();
    assert_eq!(other.decision_list()[0].id, id, "the same id on every device");
    campaign.withdraw_decision(&id, None).unwrap();
    assert_eq!(campaign.ballots().len(), 0);
    assert_eq!(exact(&campaign.tally().participated), "0");
}

#[test]
fn an_older_devices_ballot_beside_a_new_decision_is_a_conflict_settled_by_a_withdrawal() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    campaign.import_ballots("new.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    let mut old = automerge::Automerge::load(&legacy(&campaign, PETROV, "against")).unwrap();
    push(&mut old, &mut campaign).unwrap();
    assert_eq!(campaign.conflicts().len(), 1);
    let variants = &campaign.conflicts()[0].variants;
    let keep = 1 + variants.iter().position(|v| v.answers[0] == Some(obhod_core::Answer::For)).unwrap();
    assert_eq!(variants[keep % 2].device, "old-phone");
    campaign.resolve_conflict("2", PETROV, keep).unwrap();
    assert!(campaign.conflicts().is_empty());
    let list = campaign.decision_list();
    assert_eq!(list.len(), 2, "nothing overwritten: both records stay");
    let standing: Vec<_> = list.iter().filter(|d| d.withdrawn.is_none()).collect();
    assert_eq!((standing.len(), standing[0].answers[0]), (1, Some(obhod_core::Answer::For)));
}

#[test]
fn a_conflict_is_settled_by_withdrawing_the_losing_decision_on_every_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    a.import_ballots("a.csv", &format!("{HEADER}2,{PETROV},против,за,против,2026-12-16,\n")).unwrap();
    b.import_ballots("b.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.tally().questions[0].for_votes, a.tally().questions[0].against, "question 1 void for Petrov");
    let losing = a.conflicts()[0].variants[0].id.clone();
    a.withdraw_decision(&losing, Some("ошибка ввода".into())).unwrap();
    assert!(a.conflicts().is_empty());
    sync(&mut a, &mut b);
    assert!(b.conflicts().is_empty());
    assert_eq!(b.tally(), a.tally());
    let withdrawn: Vec<_> = b.decision_list().into_iter().filter_map(|d| d.withdrawn.map(|_| d.id)).collect();
    assert_eq!(withdrawn, vec![losing]);
}

#[test]
fn in_a_group_a_members_device_withdraws_only_its_own_decisions_and_the_organisers_any() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = three(dir.path());
    b.import_ballots("b.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    c.import_ballots("c.csv", &format!("{HEADER}Полуподвал,{SHOP},за,за,за,2026-12-15,\n")).unwrap();
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    sync(&mut a, &mut b);
    let (petrov, shop) = (id_of(&c, PETROV), id_of(&c, SHOP));
    let refused = c.withdraw_decision(&petrov, None).unwrap_err();
    assert!(matches!(&refused, StoreError::NotOwnDecision { device, .. } if device == b.device()), "{refused:?}");
    assert!(refused.message(Lang::Ru).contains("счётной комиссии"));
    let undo = c.undo(&petrov, None).unwrap_err();
    assert!(matches!(undo, StoreError::NotOwnDecision { .. }), "undo takes the same path: {undo:?}");
    c.withdraw_decision(&shop, None).unwrap();
    a.withdraw_decision(&petrov, Some("акт счётной комиссии".into())).unwrap();
    sync(&mut a, &mut c);
    sync(&mut a, &mut b);
    for campaign in [&a, &b, &c] {
        assert_eq!(campaign.ballots().len(), 0, "both withdrawals count on every device");
    }
}

#[test]
fn a_replacement_withdraws_the_wrong_decision_and_cites_it_in_one_write() {
    let (_dir, mut campaign) = imported();
    let petrov = id_of(&campaign, PETROV);
    let for_before = campaign.tally().questions[0].for_votes.clone();
    let corrected = format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n");
    let new = campaign.replace_decision(&petrov, "fix.csv", &corrected).unwrap();
    let list = campaign.decision_list();
    let replaced = list.iter().find(|d| d.id == petrov).unwrap();
    let replacement = list.iter().find(|d| d.id == new).unwrap();
    assert!(replaced.withdrawn.is_some());
    assert_eq!((replacement.replaces.as_deref(), replacement.withdrawn.as_deref()), (Some(petrov.as_str()), None));
    assert!(campaign.tally().questions[0].for_votes > for_before, "the count follows at once");
    assert!(campaign.conflicts().is_empty());
    let twice = campaign.replace_decision(&petrov, "fix.csv", &corrected).unwrap_err();
    assert!(matches!(twice, StoreError::DecisionWithdrawn { .. }), "{twice:?}");
    let shop = id_of(&campaign, SHOP);
    let another = campaign.replace_decision(&shop, "fix.csv", &corrected).unwrap_err();
    assert!(matches!(another, StoreError::ReplacementForAnother { .. }), "{another:?}");
    let two = format!("{HEADER}2,{PETROV},за,за,против,,\n1,Иванов Иван Иванович,за,за,за,,\n");
    let error = campaign.replace_decision(&new, "two.csv", &two).unwrap_err();
    assert!(matches!(error, StoreError::NotOneDecision { found: 2, .. }), "{error:?}");
    assert_eq!(campaign.decision_list().len(), 6, "nothing of the refused ones recorded");
}

#[test]
fn corrections_on_three_devices_in_any_order_of_sync_give_one_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    a.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let mut c = a.replica_to(&dir.path().join("c.db")).unwrap();
    let (petrov, shop) = (id_of(&a, PETROV), id_of(&a, SHOP));
    // Both b and c withdraw the shop's decision at once; c also corrects Petrov's; a corrects
    // Petrov's differently: a conflict of two corrections, both citing the same wrong decision.
    b.withdraw_decision(&shop, None).unwrap();
    c.withdraw_decision(&shop, None).unwrap();
    c.replace_decision(&petrov, "c.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    a.replace_decision(&petrov, "a.csv", &format!("{HEADER}2,{PETROV},за,против,против,2026-12-16,\n")).unwrap();
    sync(&mut b, &mut c);
    sync(&mut c, &mut a);
    sync(&mut a, &mut b);
    let tally = a.tally();
    assert_eq!(b.tally(), tally);
    assert_eq!(c.tally(), tally);
    assert_eq!(a.decision_list(), c.decision_list(), "the same decisions, the same withdrawals");
    assert_eq!(exact(&tally.participated), "75", "the shop out, Petrov in once");
    let conflicts = a.conflicts();
    assert_eq!((conflicts.len(), conflicts[0].questions.clone()), (1, vec![2]), "the two corrections differ on 2");
}

#[test]
fn a_withdrawal_made_before_the_group_was_formed_still_counts_after() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let mut c = a.replica_to(&dir.path().join("c.db")).unwrap();
    b.import_ballots("b.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    sync(&mut b, &mut c);
    let petrov = id_of(&c, PETROV);
    c.withdraw_decision(&petrov, None).unwrap();
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    let group = support::group::Group::new();
    group.admit(&mut a, None, "Организатор");
    group.admit(&mut b, Some(&mut a), "Телефон Анны");
    group.admit(&mut c, Some(&mut a), "Телефон Олега");
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    for campaign in [&a, &b, &c] {
        assert_eq!(campaign.ballots().len(), 0, "withdrawn when any device could withdraw it");
    }
    let after = c.import_ballots("c.csv", &format!("{HEADER}2,{PETROV},за,за,за,2026-12-16,\n")).unwrap();
    assert_eq!(after.added, 1);
    let theirs = id_of(&c, PETROV);
    sync(&mut b, &mut c);
    let refused = b.withdraw_decision(&theirs, None);
    assert!(matches!(refused, Err(StoreError::NotOwnDecision { .. })), "{refused:?}");
}
