//! Replicas that record facts apart and then merge end with the same canvass, whatever the order
//! of the merges, and without losing a fact.
//!
//! The store has no merge command yet, so a merge here is what a sync would do at the lowest
//! level: the `change` rows of one store file are copied into another (`INSERT OR IGNORE`, the
//! hash is unique), and the campaign reads them (`Campaign::open`, or `refresh` of a campaign that
//! is open meanwhile). That carries every change only while a replica has not compacted its rows
//! into a snapshot, so each replica here stays well under the 512 rows that an open compacts.

use std::collections::BTreeSet;
use std::path::Path;

use obhod_core::{Act, Canvass, Contact, Fact, Outcome, Registry};
use obhod_store::{Campaign, Mark};
use obhod_tests::{copy_store, guide_file, guide_sources, merge_rows};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::seq::SliceRandom;

fn registry() -> Registry {
    Registry::parse("registry.csv", guide_file("registry.csv").as_bytes()).unwrap()
}

/// Every owner's name of a premise once, in registry order.
fn owner_names(registry: &Registry, premise: usize) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, holder) in registry.premises[premise].holders() {
        for owner in &holder.owners {
            if !names.contains(&owner.name) {
                names.push(owner.name.clone());
            }
        }
    }
    names
}

/// What one replica does.
#[derive(Debug, Clone)]
enum Op {
    /// `outcome` indexes `Outcome::ALL`; consent and contact always name one owner.
    Mark { premise: usize, outcome: usize, owner: Option<usize>, note: bool },
    /// Withdraws one of the facts this replica has seen (its own or the shared ones) and not yet
    /// withdrawn itself; another replica may withdraw the same shared fact concurrently.
    Undo(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..5usize, 0..6usize, proptest::option::of(0..4usize), any::<bool>())
            .prop_map(|(premise, outcome, owner, note)| Op::Mark { premise, outcome, owner, note }),
        1 => any::<usize>().prop_map(Op::Undo),
    ]
}

/// The mark an `Op::Mark` stands for: always one the store accepts.
fn mark(registry: &Registry, premise: usize, outcome: usize, owner: Option<usize>, note: bool, n: usize) -> Mark {
    let premise = premise % registry.premises.len();
    let label = &registry.premises[premise].label;
    let owners = owner_names(registry, premise);
    if owners.is_empty() {
        return Mark::new(label, Outcome::Absent); // the only outcome of an unowned premise
    }
    let outcome = Outcome::ALL[outcome];
    let personal = matches!(outcome, Outcome::Consent | Outcome::Contact);
    let owner = match owner {
        Some(o) => Some(owners[o % owners.len()].clone()),
        None if personal => Some(owners[n % owners.len()].clone()),
        None => None,
    };
    let note = note.then(|| format!("replica note {n}"));
    let mut mark = Mark { owner, note, ..Mark::new(label, outcome) };
    if outcome == Outcome::Contact {
        mark.contact = Some(Contact { phone: Some(format!("+7 900 000-00-{:02}", n % 100)), email: None });
        mark.consent = true;
    }
    mark
}

/// Runs one replica's ops on its store; returns every fact it holds afterwards.
fn record(path: &Path, registry: &Registry, ops: &[Op]) -> Vec<Fact> {
    let mut campaign = Campaign::open(path).unwrap();
    // Marks this replica may withdraw: the shared ones and its own.
    let mut undoable: Vec<String> = campaign.facts().map(|f| f.id.clone()).collect();
    for (n, op) in ops.iter().enumerate() {
        match *op {
            Op::Mark { premise, outcome, owner, note } => {
                let ids = campaign.mark(mark(registry, premise, outcome, owner, note, n)).unwrap();
                undoable.extend(ids);
            }
            Op::Undo(_) if undoable.is_empty() => {}
            Op::Undo(pick) => {
                let id = undoable.remove(pick % undoable.len());
                campaign.undo(&id, Some(format!("undo {n}"))).unwrap();
            }
        }
    }
    campaign.facts().cloned().collect()
}

fn ids(facts: &[Fact]) -> BTreeSet<String> {
    facts.iter().map(|f| f.id.clone()).collect()
}

fn replicas_and_orders() -> impl Strategy<Value = (Vec<Vec<Op>>, Vec<Vec<usize>>)> {
    proptest::collection::vec(proptest::collection::vec(op(), 0..10), 2..=4).prop_flat_map(|replicas| {
        let n = replicas.len();
        let order = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        (Just(replicas), proptest::collection::vec(order, 3))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn replicas_merged_in_any_order_agree_and_lose_no_fact((replicas, orders) in replicas_and_orders()) {
        let registry = registry();
        let dir = tempfile::tempdir().unwrap();
        // The genesis, with a few facts every replica starts from.
        let genesis = dir.path().join("genesis.db");
        let mut campaign = Campaign::init(&genesis, guide_sources()).unwrap();
        campaign.mark(Mark::new("1", Outcome::Delivered)).unwrap();
        campaign.mark(Mark::new("2", Outcome::Absent)).unwrap();
        campaign.mark(Mark { owner: Some("Соколов Андрей Викторович".into()), ..Mark::new("3", Outcome::Refused) }).unwrap();
        drop(campaign);

        let mut paths = Vec::new();
        let mut all = Vec::new();
        for (r, ops) in replicas.iter().enumerate() {
            let path = dir.path().join(format!("replica-{r}.db"));
            copy_store(&genesis, &path);
            all.extend(record(&path, &registry, ops));
            paths.push(path);
        }
        let expected = Canvass::fold(&registry, all.clone());
        let expected_ids = ids(&all);
        prop_assert_eq!(ids(&expected.facts), expected_ids.clone());

        let mut outcomes: Vec<Canvass> = Vec::new();
        for (k, order) in orders.iter().enumerate() {
            let target = dir.path().join(format!("merge-{k}.db"));
            copy_store(&paths[order[0]], &target);
            // One campaign stays open over the merges and reads them with `refresh`.
            let mut live = Campaign::open(&target).unwrap();
            for &r in &order[1..] {
                merge_rows(&target, &paths[r]);
                live.refresh().unwrap();
            }
            let reopened = Campaign::open(&target).unwrap();
            let merged: Vec<Fact> = reopened.facts().cloned().collect();
            prop_assert_eq!(ids(&merged), expected_ids.clone(), "order {:?}: facts lost or added", order);
            let live_ids: Vec<Fact> = live.facts().cloned().collect();
            prop_assert_eq!(ids(&live_ids), expected_ids.clone(), "order {:?}: refresh missed facts", order);
            let canvass = reopened.canvass();
            prop_assert_eq!(&live.canvass(), &canvass, "order {:?}: refresh and reopening disagree", order);
            prop_assert_eq!(&canvass, &expected, "order {:?}", order);
            outcomes.push(canvass);
        }
        for (order, canvass) in orders.iter().zip(&outcomes) {
            // Field by field too, so that a failure says what differs.
            for (a, b) in canvass.premises.iter().zip(&outcomes[0].premises) {
                prop_assert_eq!(a.visits, b.visits, "order {:?}", order);
                prop_assert_eq!(a.last_outcome, b.last_outcome, "order {:?}", order);
                prop_assert_eq!(&a.owners, &b.owners, "order {:?}", order);
            }
            prop_assert_eq!(&canvass.withdrawn, &outcomes[0].withdrawn);
        }
    }
}

/// A fact with a sortable id, recorded at a fixed time.
fn fact(n: usize, act: Act) -> Fact {
    Fact {
        id: format!("01JF{n:022}"),
        device: format!("device-{}", n % 3),
        at: "2026-11-21T19:05:03+06:00".parse().unwrap(),
        note: n.is_multiple_of(4).then(|| format!("note {n}")),
        act,
    }
}

fn mark_act(premise: &str, owner: Option<&str>, outcome: Outcome) -> Act {
    Act::mark(premise, owner, outcome)
}

fn sent_act(premise: &str, owner: &str, day: u32) -> Act {
    let letter = obhod_core::Letter { date: chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap(), tracking: None };
    Act::Mark {
        premise: premise.into(),
        owner: Some(owner.into()),
        outcome: Outcome::Sent,
        contact: None,
        sent: Some(letter),
        signed: None,
        under: 0,
    }
}

#[test]
fn the_fold_of_shuffled_facts_is_the_same() {
    let registry = registry();
    let ivanov = Some("Иванов Иван Иванович");
    let sergeev = Some("Сергеев Сергей Сергеевич");
    let contact = |id: &str| Act::Mark {
        premise: "1".into(),
        owner: ivanov.map(Into::into),
        outcome: Outcome::Contact,
        contact: Some(id.into()),
        sent: None,
        signed: None,
        under: 0,
    };
    let acts = vec![
        mark_act("1", None, Outcome::Absent),
        mark_act("1", ivanov, Outcome::Delivered),
        mark_act("1", sergeev, Outcome::Refused),
        mark_act("1", ivanov, Outcome::Consent),
        contact("01JC0000000000000000000001"),
        contact("01JC0000000000000000000002"),
        mark_act("2", None, Outcome::Delivered),
        mark_act("2", Some("Петров Пётр Петрович"), Outcome::Letter),
        Act::Withdraw { fact: format!("01JF{:022}", 6) }, // the delivery at 2
        mark_act("3", Some("Соколова Мария Андреевна"), Outcome::Delivered),
        mark_act("3", None, Outcome::Absent),
        Act::Withdraw { fact: format!("01JF{:022}", 10) }, // the absent at 3
        Act::Withdraw { fact: format!("01JF{:022}", 10) }, // the same, from another device
        Act::Withdraw { fact: format!("01JF{:022}", 11) }, // a withdrawal: ignored
        Act::Withdraw { fact: "01JF-NOT-A-FACT".into() },
        mark_act("Чердак", None, Outcome::Absent),
        mark_act("Полуподвал", None, Outcome::Delivered),
        mark_act("Полуподвал", None, Outcome::Letter),
        mark_act("99", None, Outcome::Delivered), // stray premise
        mark_act("2", Some("Никто Никтоевич"), Outcome::Delivered), // stray owner
        Act::Withdraw { fact: format!("01JF{:022}", 3) }, // the consent: hides the contact
        sent_act("2", "Петров Пётр Петрович", 28),
        sent_act("2", "Петров Пётр Петрович", 26),
        Act::Withdraw { fact: format!("01JF{:022}", 22) }, // the earlier letter: the later one stands
    ];
    let mut facts: Vec<Fact> = acts.into_iter().enumerate().map(|(n, act)| fact(n, act)).collect();
    facts.push(facts[7].clone()); // the same fact received twice
    let expected = Canvass::fold(&registry, facts.clone());
    assert_eq!(expected.facts.len(), facts.len() - 1);
    assert_eq!(expected.stray.len(), 2);
    assert!(expected.withdrawn.contains(&facts[6].id) && expected.withdrawn.contains(&facts[10].id));
    assert!(!expected.withdrawn.contains(&facts[11].id));
    assert_eq!(expected.premises[1].last_outcome, Some(Outcome::Sent));
    assert!(expected.premises[0].owners[0].contact.is_none(), "consent withdrawn");
    let petrov = expected.premises[1].owner("Петров Пётр Петрович").unwrap();
    assert_eq!(petrov.sent.as_ref().map(|l| l.date.to_string()).as_deref(), Some("2026-11-28"));

    let mut rng = rand::rngs::StdRng::seed_from_u64(0x0b40d);
    for _ in 0..200 {
        facts.shuffle(&mut rng);
        assert_eq!(Canvass::fold(&registry, facts.clone()), expected);
    }
    facts.reverse();
    assert_eq!(Canvass::fold(&registry, facts), expected);
}
