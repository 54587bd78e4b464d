//! Conflicts across replicas on a simulated network: different ballots for one owner recorded on
//! two devices are both kept and shown everywhere, the tally voids the differing question and
//! warns, and keeping one on a third device ends the conflict on all of them; two pairs marking
//! the same flat is no conflict, both facts stand.

use obhod_core::{Outcome, Warning};
use obhod_store::{Campaign, Mark};
use obhod_tests::net::Net;

const PETROV: &str = "Петров Пётр Петрович";

fn import(net: &mut Net, node: usize, first: &str) {
    let text = format!("premise,owner,1,2,3,received,defect\n2,{PETROV},{first},за,против,2026-12-16,\n");
    net.nodes[node].campaign.import_ballots(&format!("node{node}.csv"), &text).unwrap();
    net.changed(node);
}

fn campaigns(net: &Net) -> impl Iterator<Item = &Campaign> {
    net.nodes.iter().map(|n| &n.campaign)
}

#[test]
fn a_conflict_is_shown_on_every_replica_and_resolved_on_one_ends_everywhere() {
    let mut net = Net::new(3, 9);
    import(&mut net, 0, "против");
    import(&mut net, 1, "за");
    net.lose(0, 0, 0);
    net.restart(2);
    net.settle();
    let conflicts = net.nodes[2].campaign.conflicts();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(
        (conflicts[0].premise.as_str(), conflicts[0].owner.as_str(), conflicts[0].variants.len()),
        ("2", PETROV, 2)
    );
    let warning = Warning::BallotConflict { premise: "2".into(), owner: PETROV.into(), questions: vec![1] };
    for campaign in campaigns(&net) {
        assert_eq!(campaign.conflicts(), conflicts, "the same variants, numbered alike");
        let tally = campaign.tally();
        assert!(tally.warnings.contains(&warning), "{:?}", tally.warnings);
        assert_eq!(
            obhod_core::number::exact(&tally.questions[0].for_votes),
            "0",
            "neither variant's answer to question 1 counts"
        );
        assert_eq!(obhod_core::number::exact(&tally.questions[0].against), "0");
        assert_eq!(tally.questions[0].invalid, tally.participated, "question 1 is invalid for the holding");
        assert_eq!(tally.questions[1].for_votes, tally.participated, "the agreeing answer stands");
    }

    net.nodes[2].campaign.resolve_conflict("2", PETROV, 1).unwrap();
    net.changed(2);
    net.restart(0);
    net.settle();
    for campaign in campaigns(&net) {
        assert_eq!(campaign.conflicts(), vec![]);
        let tally = campaign.tally();
        assert!(!tally.warnings.contains(&warning));
        assert_eq!(tally.questions[0].against, tally.participated, "variant 1 (против) stands");
    }
}

#[test]
fn two_pairs_marking_the_same_flat_is_no_conflict_both_facts_stand() {
    let mut net = Net::new(2, 4);
    let a = net.nodes[0].campaign.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    net.changed(0);
    let b = net.nodes[1].campaign.mark(Mark::new("1", Outcome::Absent)).unwrap();
    net.changed(1);
    net.settle();
    for campaign in campaigns(&net) {
        assert_eq!(campaign.conflicts(), vec![]);
        for id in a.iter().chain(&b) {
            assert!(campaign.fact(id).is_some(), "fact {id} stands on every replica");
        }
        assert_eq!(campaign.canvass().premises[0].visits, 2, "both visits count");
    }
}
