//! Replicas that sync through `SyncSession` over a simulated network converge: whatever the
//! schedule of marks, undos and ballot imports, of deliveries in any order, lost messages,
//! broken connections and restarts, once the network settles every replica holds the same facts
//! and shows the same canvass, progress and tally, and no acknowledged fact is missing.

use std::collections::BTreeSet;

use obhod_core::{Outcome, Registry};
use obhod_store::{Campaign, Mark};
use obhod_tests::guide_file;
use obhod_tests::marks::{mark, registry, undoable};
use obhod_tests::net::Net;
use proptest::prelude::*;

/// One thing that happens on the network.
#[derive(Debug, Clone)]
enum Step {
    Mark {
        node: usize,
        premise: usize,
        outcome: usize,
        owner: usize,
    },
    Undo {
        node: usize,
        pick: usize,
    },
    /// Imports the ballots of the guide's file whose bit is set (the same decisions everywhere).
    Import {
        node: usize,
        lines: u8,
    },
    /// One of the messages waiting on a link one way, in any order.
    Deliver {
        link: usize,
        dir: usize,
        pick: usize,
    },
    Lose {
        link: usize,
        dir: usize,
        pick: usize,
    },
    Disconnect {
        link: usize,
    },
    Connect {
        link: usize,
    },
    Restart {
        node: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let n = any::<usize>;
    prop_oneof![
        4 => (n(), n(), 0..6usize, n()).prop_map(|(node, premise, outcome, owner)| Step::Mark { node, premise, outcome, owner }),
        1 => (n(), n()).prop_map(|(node, pick)| Step::Undo { node, pick }),
        1 => (n(), any::<u8>()).prop_map(|(node, lines)| Step::Import { node, lines }),
        8 => (n(), 0..2usize, n()).prop_map(|(link, dir, pick)| Step::Deliver { link, dir, pick }),
        1 => (n(), 0..2usize, n()).prop_map(|(link, dir, pick)| Step::Lose { link, dir, pick }),
        1 => n().prop_map(|link| Step::Disconnect { link }),
        1 => n().prop_map(|link| Step::Connect { link }),
        1 => n().prop_map(|node| Step::Restart { node }),
    ]
}

fn ballots(lines: u8) -> String {
    let text = guide_file("ballots.csv");
    let mut rows = text.lines();
    let mut out = format!("{}\n", rows.next().unwrap());
    for (n, row) in rows.enumerate() {
        if lines & (1 << n) != 0 {
            out.push_str(row);
            out.push('\n');
        }
    }
    out
}

/// Runs the schedule; returns the ids of every fact a node acknowledged recording.
fn run(net: &mut Net, registry: &Registry, steps: &[Step]) -> BTreeSet<String> {
    let (nodes, links) = (net.nodes.len(), net.links());
    let mut acknowledged = BTreeSet::new();
    for (n, step) in steps.iter().enumerate() {
        match *step {
            Step::Mark { node, premise, outcome, owner } => {
                let campaign = &mut net.nodes[node % nodes].campaign;
                acknowledged.extend(campaign.mark(mark(registry, premise, outcome, owner, n)).unwrap());
                net.changed(node % nodes);
            }
            Step::Undo { node, pick } => {
                let campaign = &mut net.nodes[node % nodes].campaign;
                if let Some(id) = undoable(campaign, pick) {
                    acknowledged.insert(campaign.undo(&id, None).unwrap());
                    net.changed(node % nodes);
                }
            }
            Step::Import { node, lines } => {
                net.nodes[node % nodes].campaign.import_ballots("ballots.csv", &ballots(lines)).unwrap();
                net.changed(node % nodes);
            }
            Step::Deliver { link, dir, pick } => {
                net.deliver(link % links, dir, pick);
            }
            Step::Lose { link, dir, pick } => net.lose(link % links, dir, pick),
            Step::Disconnect { link } => net.disconnect(link % links),
            Step::Connect { link } => net.connect(link % links),
            Step::Restart { node } => net.restart(node % nodes),
        }
    }
    acknowledged
}

/// Every node agrees with node 0, in memory and as reopened from its file.
fn assert_converged(net: &Net, acknowledged: &BTreeSet<String>) {
    let first = &net.nodes[0].campaign;
    let facts = net.fact_ids(0);
    assert!(facts.is_superset(acknowledged), "lost: {:?}", acknowledged.difference(&facts));
    let contacts = first.contacts_offer().unwrap();
    for (n, node) in net.nodes.iter().enumerate() {
        let reopened = Campaign::open(&node.path).unwrap();
        for campaign in [&node.campaign, &reopened] {
            let held: BTreeSet<String> = campaign.facts().map(|f| f.id.clone()).collect();
            assert_eq!(held, facts, "node {n}");
            assert_eq!(campaign.canvass(), first.canvass(), "node {n}");
            let progress = |c: &Campaign| c.canvass().progress(c.weights(), |_| true);
            assert_eq!(progress(campaign), progress(first), "node {n}");
            assert_eq!(campaign.ballots(), first.ballots(), "node {n}");
            assert_eq!(campaign.tally(), first.tally(), "node {n}");
            assert_eq!(campaign.contacts_offer().unwrap().rows, contacts.rows, "node {n}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn replicas_converge_under_any_schedule(
        nodes in 2..=4usize,
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 0..40),
    ) {
        let registry = registry();
        let mut net = Net::new(nodes, seed);
        let acknowledged = run(&mut net, &registry, &steps);
        net.settle();
        assert_converged(&net, &acknowledged);
        // Settled: another pass over live connections has nothing to say.
        prop_assert_eq!(net.settle(), 0);
    }
}

#[test]
fn a_settled_network_is_silent_and_a_new_fact_crosses_each_link_once() {
    let registry = registry();
    let mut net = Net::new(3, 7);
    net.nodes[1].campaign.mark(mark(&registry, 1, 1, 0, 0)).unwrap();
    net.changed(1);
    net.settle();
    assert_eq!(net.settle(), 0, "nothing more to say");
    let before = net.received;
    let id = net.nodes[2].campaign.mark(mark(&registry, 2, 0, 0, 1)).unwrap().pop().unwrap();
    net.changed(2);
    net.settle();
    assert_eq!(net.received.facts - before.facts, 2, "the new fact reached the two others, once each");
    assert!((0..3).all(|n| net.fact_ids(n).contains(&id)));
}

#[test]
fn a_replica_restarted_mid_session_and_a_broken_link_still_converge() {
    let registry = registry();
    let mut net = Net::new(2, 11);
    let a = net.nodes[0].campaign.mark(mark(&registry, 0, 1, 0, 0)).unwrap();
    net.changed(0);
    let b = net.nodes[1].campaign.mark(mark(&registry, 3, 2, 0, 1)).unwrap();
    net.changed(1);
    assert!(net.deliver(0, 0, 0));
    net.restart(1);
    net.lose(0, 1, 0);
    net.disconnect(0);
    net.settle();
    let acknowledged = a.into_iter().chain(b).collect();
    assert_converged(&net, &acknowledged);
}

#[test]
fn a_replica_reopened_while_changes_wait_for_their_dependencies_still_converges() {
    let mut net = Net::new(4, 0);
    let ballots = guide_file("ballots.csv");
    net.nodes[0].campaign.import_ballots("ballots.csv", &ballots).unwrap();
    net.changed(0);
    net.deliver(0, 1, 0);
    let id = net.nodes[0].campaign.mark(Mark::new("2", Outcome::Absent)).unwrap();
    net.changed(0);
    // The newest message first: its change waits, in memory only, for the ones before it.
    assert!(net.deliver(0, 0, 3));
    net.restart(1);
    net.settle();
    assert_converged(&net, &id.into_iter().collect());
}
