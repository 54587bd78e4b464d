//! One decision typed by hand (`Campaign::record_decision`, the ballot-entry screen's path): the
//! same rules as a ballots file, a voter's standing decision handed back with the refusal, a
//! replacement citing it, both kept as a conflict, a decision after the end of voting recorded
//! as late and left out of the count.

use chrono::NaiveDate;
use obhod_core::entry::Standing;
use obhod_core::number::exact;
use obhod_core::{Act, Answer, Authority, Ballot, Lang, Proxy, Representative};
use obhod_store::{Campaign, StoreError};

mod support;
use support::{automerge_bytes, sources};

const SOKOLOVA: &str = "Соколова Мария Андреевна";
const SHOP: &str = "ООО «Магазин у дома»";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn campaign() -> (tempfile::TempDir, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
    (dir, campaign)
}

fn typed(premise: &str, owner: &str, answers: [Answer; 3], received: u32) -> Ballot {
    Ballot {
        premise: premise.into(),
        owner: owner.into(),
        answers: answers.to_vec(),
        received: Some(day(received)),
        ..Ballot::default()
    }
}

const FOR: [Answer; 3] = [Answer::For, Answer::For, Answer::For];
const AGAINST: [Answer; 3] = [Answer::Against, Answer::Against, Answer::Against];

#[test]
fn a_joint_groups_decision_typed_with_look_alikes_counts_for_the_whole_flat_and_survives_a_reopening() {
    let (dir, mut campaign) = campaign();
    // «Соколова» typed in lower case: the registry's name is recorded.
    let recorded = campaign.record_decision(typed("3", "соколова мария андреевна", FOR, 15), Standing::Ask).unwrap();
    assert_eq!((recorded.late, recorded.replaced), (None, None));
    drop(campaign);
    let campaign = Campaign::open(&dir.path().join("obhod.db")).unwrap();
    let list = campaign.decision_list();
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].id.as_str(), list[0].owner.as_str()), (recorded.id.as_str(), SOKOLOVA));
    assert_eq!(exact(&campaign.tally().participated), "100", "the joint group's whole flat");
}

#[test]
fn an_unknown_premise_or_owner_is_refused_with_the_nearest_registry_names_and_nothing_written() {
    let (dir, mut campaign) = campaign();
    let before = automerge_bytes(&dir.path().join("obhod.db"));
    let premise = campaign.record_decision(typed("Полподвал", SHOP, FOR, 15), Standing::Ask).unwrap_err();
    assert!(
        matches!(&premise, StoreError::UnknownPremiseNear { nearest, .. } if nearest[0] == "Полуподвал"),
        "{premise:?}"
    );
    assert!(premise.message(Lang::Ru).contains("похожие: Полуподвал"), "{}", premise.message(Lang::Ru));
    let owner = campaign.record_decision(typed("3", "Соколова Мария", FOR, 15), Standing::Ask).unwrap_err();
    assert!(
        matches!(&owner, StoreError::UnknownOwner { owners, .. } if owners[0] == SOKOLOVA && owners.len() == 4),
        "{owner:?}"
    );
    let mut short = typed("1", "Иванов Иван Иванович", FOR, 15);
    short.answers.pop();
    let answers = campaign.record_decision(short, Standing::Ask).unwrap_err();
    assert!(matches!(answers, StoreError::AnswerCount { given: 2, questions: 3 }), "{answers:?}");
    assert!(campaign.decision_list().is_empty());
    assert_eq!(automerge_bytes(&dir.path().join("obhod.db")), before, "nothing written");
}

#[test]
fn a_second_decision_of_a_voter_is_refused_with_the_first_then_replaced_citing_it() {
    let (_dir, mut campaign) = campaign();
    let first = campaign.record_decision(typed("3", SOKOLOVA, FOR, 15), Standing::Ask).unwrap();
    // Another member of the joint group: the same voter.
    let refused = campaign.record_decision(typed("3", "Соколов Андрей Викторович", AGAINST, 16), Standing::Ask);
    let Err(StoreError::DecisionHeld { existing }) = refused else { panic!("{refused:?}") };
    assert_eq!((existing.id.as_str(), existing.owner.as_str()), (first.id.as_str(), SOKOLOVA));
    assert_eq!(existing.answers, FOR.map(Some).to_vec(), "shown beside the new one");
    let replaced = campaign
        .record_decision(typed("3", "Соколов Андрей Викторович", AGAINST, 16), Standing::Replace(first.id.clone()))
        .unwrap();
    assert_eq!(replaced.replaced.as_deref(), Some(first.id.as_str()));
    let list = campaign.decision_list();
    let old = list.iter().find(|d| d.id == first.id).unwrap();
    let new = list.iter().find(|d| d.id == replaced.id).unwrap();
    assert!(old.withdrawn.is_some(), "the first withdrawn");
    assert_eq!(new.replaces.as_deref(), Some(first.id.as_str()));
    let withdrawal = campaign.fact(old.withdrawn.as_ref().unwrap()).unwrap();
    assert_eq!(withdrawal.act, Act::Withdraw { fact: first.id.clone() });
    assert_eq!(exact(&campaign.tally().questions[0].against), "100", "the count follows");
    let other = campaign.record_decision(typed("1", "Иванов Иван Иванович", FOR, 15), Standing::Ask).unwrap();
    let wrong = campaign.record_decision(typed("3", SOKOLOVA, FOR, 17), Standing::Replace(other.id.clone()));
    assert!(matches!(wrong, Err(StoreError::ReplacementForAnother { .. })), "{wrong:?}");
}

#[test]
fn both_kept_stand_as_a_conflict_until_one_is_kept() {
    let (_dir, mut campaign) = campaign();
    campaign.record_decision(typed("Полуподвал", SHOP, FOR, 15), Standing::Ask).unwrap();
    campaign.record_decision(typed("Полуподвал", SHOP, AGAINST, 15), Standing::KeepBoth).unwrap();
    let conflicts = campaign.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!((conflicts[0].owner.as_str(), conflicts[0].questions.as_slice()), (SHOP, &[1, 2, 3][..]));
    assert_eq!(conflicts[0].variants[1].source(Lang::Ru), "введено на экране", "no file to name");
}

#[test]
fn a_decision_after_the_end_of_voting_is_recorded_late_and_left_out_of_the_count() {
    let (_dir, mut campaign) = campaign();
    let recorded = campaign.record_decision(typed("Полуподвал", SHOP, FOR, 21), Standing::Ask).unwrap();
    assert_eq!(recorded.late, Some(day(20)), "said to be late against the end of voting");
    assert_eq!(campaign.decision_list().len(), 1, "recorded");
    assert_eq!(exact(&campaign.tally().participated), "0", "not counted");
}

#[test]
fn a_proxys_representative_and_details_are_kept_and_a_nameless_one_refused() {
    let (_dir, mut campaign) = campaign();
    let proxy = Proxy { date: Some(day(1)), until: None, certified_by: Some("нотариус Орлова".into()) };
    let mut ballot = typed("1", "Иванов Иван Иванович", FOR, 15);
    ballot.representative = Some(Representative { name: " ".into(), authority: Authority::Proxy(proxy.clone()) });
    let nameless = campaign.record_decision(ballot.clone(), Standing::Ask);
    assert!(matches!(nameless, Err(StoreError::NamelessRepresentative)), "{nameless:?}");
    ballot.representative =
        Some(Representative { name: "Иванова Ольга".into(), authority: Authority::Proxy(proxy) });
    campaign.record_decision(ballot.clone(), Standing::Ask).unwrap();
    let list = campaign.decision_list();
    assert_eq!(list[0].representative.as_deref(), Some("Иванова Ольга"));
    assert_eq!((list[0].authority.as_deref(), list[0].proxy_date), (Some("proxy"), Some(day(1))));
    assert_eq!(campaign.ballots()[0].representative, ballot.representative, "the count reads the proxy back");
}

#[test]
fn in_a_group_a_decision_typed_on_a_members_device_is_signed_and_counted_everywhere_and_its_replacement_too() {
    let dir = tempfile::tempdir().unwrap();
    let (_group, mut a, mut b, mut c) = support::group::three(dir.path());
    let first = b.record_decision(typed("Полуподвал", SHOP, FOR, 15), Standing::Ask).unwrap();
    support::sync(&mut a, &mut b);
    support::sync(&mut a, &mut c);
    // Another member's device may not replace it; the organiser's may, as the commission's act.
    let refused = c.record_decision(typed("Полуподвал", SHOP, AGAINST, 15), Standing::Replace(first.id.clone()));
    assert!(matches!(refused, Err(StoreError::NotOwnDecision { .. })), "{refused:?}");
    a.record_decision(typed("Полуподвал", SHOP, AGAINST, 15), Standing::Replace(first.id.clone())).unwrap();
    support::sync(&mut a, &mut b);
    support::sync(&mut a, &mut c);
    for campaign in [&a, &b, &c] {
        let tally = campaign.tally();
        assert_eq!(exact(&tally.questions[0].against), "200", "the replacement counts on every device");
        assert_eq!(campaign.decision_list().len(), 2);
    }
}
