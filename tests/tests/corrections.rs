//! Decisions typed, corrected and withdrawn on several devices at once, then merged in any order,
//! give one count: every order of the merges, a campaign refreshed over them and one opened after
//! them agree on the tally to the last fraction, and no decision is lost or added. A correction
//! (a decision replacing one of the device's own, citing it) and a withdrawal count wherever they
//! arrive before or after what they correct; two devices deciding differently for one voter stay a
//! conflict in every order.
//!
//! A merge is what a sync does at the lowest level (see `merge.rs`): the change rows of one store
//! copied into another.

use std::collections::BTreeSet;
use std::path::Path;

use obhod_core::entry::Standing;
use obhod_core::{Answer, Ballot, Registry, Tally};
use obhod_store::Campaign;
use obhod_tests::{copy_store, guide_sources, merge_rows};
use proptest::prelude::*;

/// One act of a device's counting commission.
#[derive(Debug, Clone)]
enum Op {
    /// A decision for voter `voter` (an index into the registry's owners); on a voter with a
    /// standing decision, kept beside it (a conflict) when `keep`, else refused as the screen asks.
    Record { voter: usize, answers: [u8; 3], keep: bool },
    /// A correction of one of this device's own standing decisions (`pick` among them).
    Replace { pick: usize, answers: [u8; 3] },
    /// A withdrawal of one of this device's own standing decisions.
    Withdraw { pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let answers = proptest::array::uniform3(0u8..4);
    prop_oneof![
        3 => (0usize..64, answers.clone(), any::<bool>()).prop_map(|(voter, answers, keep)| Op::Record { voter, answers, keep }),
        2 => (0usize..16, answers).prop_map(|(pick, answers)| Op::Replace { pick, answers }),
        1 => (0usize..16).prop_map(|pick| Op::Withdraw { pick }),
    ]
}

fn answer(code: u8) -> Answer {
    match code {
        0 => Answer::For,
        1 => Answer::Against,
        2 => Answer::Abstain,
        _ => Answer::Invalid(obhod_core::Invalid::Spoiled),
    }
}

/// Every (premise, owner) of the registry: who may be typed as a voter.
fn voters(registry: &Registry) -> Vec<(String, String)> {
    let mut voters = Vec::new();
    for premise in &registry.premises {
        voters.extend(premise.owners().iter().map(|o| (premise.label.clone(), o.name.clone())));
    }
    voters
}

fn ballot(campaign: &Campaign, (premise, owner): &(String, String), answers: [u8; 3]) -> Ballot {
    Ballot {
        line: 0,
        premise: premise.clone(),
        owner: owner.clone(),
        answers: answers.iter().take(campaign.meeting().questions.len()).map(|&a| answer(a)).collect(),
        received: Some(campaign.meeting().voting_ends),
        defect: None,
        representative: None,
    }
}

/// Applies `ops` on the store at `path`; the ids of every decision it recorded.
fn commission(path: &Path, ops: &[Op]) -> BTreeSet<String> {
    let mut campaign = Campaign::open(path).unwrap();
    let voters = voters(campaign.registry());
    let device = campaign.device().to_owned();
    let mut recorded = BTreeSet::new();
    for op in ops {
        let own: Vec<String> = campaign
            .decision_list()
            .into_iter()
            .filter(|d| d.device == device && d.withdrawn.is_none())
            .map(|d| d.id)
            .collect();
        match op {
            Op::Record { voter, answers, keep } => {
                let typed = ballot(&campaign, &voters[voter % voters.len()], *answers);
                let standing = if *keep { Standing::KeepBoth } else { Standing::Ask };
                // A voter with a standing decision and nobody saying what to do: refused, nothing written.
                if let Ok(done) = campaign.record_decision(typed, standing) {
                    recorded.insert(done.id);
                }
            }
            Op::Replace { .. } | Op::Withdraw { .. } if own.is_empty() => {}
            Op::Replace { pick, answers } => {
                let id = own[pick % own.len()].clone();
                let old = campaign.decision_list().into_iter().find(|d| d.id == id).unwrap();
                let typed = ballot(&campaign, &(old.premise, old.owner), *answers);
                let done = campaign.record_decision(typed, Standing::Replace(id.clone())).unwrap();
                assert_eq!(done.replaced.as_deref(), Some(id.as_str()));
                recorded.insert(done.id);
            }
            Op::Withdraw { pick } => {
                let id = own[pick % own.len()].clone();
                campaign.withdraw_decision(&id, Some("ошибка ввода".into())).unwrap();
            }
        }
    }
    recorded
}

fn devices_and_orders() -> impl Strategy<Value = (Vec<Vec<Op>>, Vec<Vec<usize>>)> {
    proptest::collection::vec(proptest::collection::vec(op(), 1..10), 2..=3).prop_flat_map(|devices| {
        let n = devices.len();
        let order = Just((0..n).collect::<Vec<_>>()).prop_shuffle();
        (Just(devices), proptest::collection::vec(order, 3))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn corrections_on_several_devices_merged_in_any_order_give_one_count((devices, orders) in devices_and_orders()) {
        let dir = tempfile::tempdir().unwrap();
        let genesis = dir.path().join("genesis.db");
        drop(Campaign::init(&genesis, guide_sources()).unwrap());
        let mut paths = Vec::new();
        let mut recorded = BTreeSet::new();
        for (d, ops) in devices.iter().enumerate() {
            let path = dir.path().join(format!("device-{d}.db"));
            copy_store(&genesis, &path);
            recorded.extend(commission(&path, ops));
            paths.push(path);
        }
        let mut counts: Vec<Tally> = Vec::new();
        for (k, order) in orders.iter().enumerate() {
            let target = dir.path().join(format!("merge-{k}.db"));
            copy_store(&paths[order[0]], &target);
            let mut live = Campaign::open(&target).unwrap();
            for &d in &order[1..] {
                merge_rows(&target, &paths[d]);
                live.refresh().unwrap();
            }
            let reopened = Campaign::open(&target).unwrap();
            let ids: BTreeSet<String> = reopened.decision_list().into_iter().map(|d| d.id).collect();
            prop_assert_eq!(&ids, &recorded, "order {:?}: decisions lost or added", order);
            let count = reopened.tally();
            prop_assert_eq!(&live.tally(), &count, "order {:?}: refreshed and reopened disagree", order);
            prop_assert_eq!(live.conflicts().len(), reopened.conflicts().len());
            counts.push(count);
        }
        for (order, count) in orders.iter().zip(&counts) {
            prop_assert_eq!(&count.participated, &counts[0].participated, "order {:?}", order);
            prop_assert_eq!(&count.questions, &counts[0].questions, "order {:?}", order);
            prop_assert_eq!(count, &counts[0], "order {:?}", order);
        }
    }
}
