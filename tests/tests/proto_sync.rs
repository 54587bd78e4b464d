//! The whole sync protocol above the hellos (`syncd`'s `Conversation`: turns, `Idle`, nudges,
//! contacts, revocation checks, refusals) between members of one group, over a simulated network
//! that loses, duplicates and reorders frames, cuts connections and restarts nodes
//! (`obhod_tests::proto_net`). Whatever the schedule, once the faults stop and the network settles:
//! every member holds the same facts and heads, every fact recorded anywhere is on every member and
//! nothing else is, a contact given with consent is on every member and a withdrawn one on none; a
//! revoked device gets no contact and its facts after its last valid one count nowhere; a hostile
//! message closes the connection with `MessageRefused` and nothing of it is stored. Plus the
//! machine alone, against frames out of turn.

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync::{State, SyncDoc};
use obhod_core::{Act, Outcome, Registry};
use obhod_store::{Campaign, Mark};
use obhod_syncd::conversation::{Conversation, Next};
use obhod_syncd::proto::Contacts;
use obhod_syncd::session::close_of;
use obhod_syncd::{Frame, Refusal, Role, SyncError};
use obhod_tests::marks::{mark, registry, undoable};
use obhod_tests::proto_net::{ProtoNet, Why};
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
    /// The `pick`-th frame in flight on a link one way: 0 is in order, any other out of order.
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
    Duplicate {
        link: usize,
        dir: usize,
        pick: usize,
    },
    Cut {
        link: usize,
    },
    Connect {
        link: usize,
    },
    /// Both sides of a link wait with nothing in flight: the read deadline closes it.
    Timeout {
        link: usize,
    },
    /// Time passes: what is stuck times out, what is down is dialled again.
    Tick,
    Restart {
        node: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    let n = any::<usize>;
    prop_oneof![
        4 => (n(), n(), 0..6usize, n()).prop_map(|(node, premise, outcome, owner)| Step::Mark { node, premise, outcome, owner }),
        1 => (n(), n()).prop_map(|(node, pick)| Step::Undo { node, pick }),
        5 => (n(), 0..2usize, 0..2usize).prop_map(|(link, dir, pick)| Step::Deliver { link, dir, pick }),
        2 => (n(), 0..2usize, n()).prop_map(|(link, dir, pick)| Step::Deliver { link, dir, pick }),
        2 => (n(), 0..2usize, n()).prop_map(|(link, dir, pick)| Step::Lose { link, dir, pick }),
        3 => (n(), 0..2usize, n()).prop_map(|(link, dir, pick)| Step::Duplicate { link, dir, pick }),
        1 => n().prop_map(|link| Step::Cut { link }),
        1 => n().prop_map(|link| Step::Connect { link }),
        1 => n().prop_map(|link| Step::Timeout { link }),
        2 => Just(Step::Tick),
        1 => n().prop_map(|node| Step::Restart { node }),
    ]
}

/// Runs the schedule; returns the id of every fact a node acknowledged recording, and the node. A
/// node in `revoked` may be refused a write (it learnt it was shut out): that is no failure.
fn run(
    net: &mut ProtoNet,
    registry: &Registry,
    steps: &[Step],
    revoked: Option<usize>,
    from: usize,
) -> BTreeMap<String, usize> {
    let (nodes, links) = (net.nodes.len(), net.links());
    let mut acknowledged = BTreeMap::new();
    for (n, step) in steps.iter().enumerate() {
        match *step {
            Step::Mark { node, premise, outcome, owner } => {
                let node = node % nodes;
                let written = net.nodes[node].campaign.mark(mark(registry, premise, outcome, owner, from + n));
                match written {
                    Ok(ids) => acknowledged.extend(ids.into_iter().map(|id| (id, node))),
                    Err(error) => assert_eq!(Some(node), revoked, "{error}"),
                }
                net.changed(node);
            }
            Step::Undo { node, pick } => {
                let node = node % nodes;
                if let Some(id) = undoable(&net.nodes[node].campaign, pick) {
                    match net.nodes[node].campaign.undo(&id, None) {
                        Ok(id) => _ = acknowledged.insert(id, node),
                        Err(error) => assert_eq!(Some(node), revoked, "{error}"),
                    }
                    net.changed(node);
                }
            }
            Step::Deliver { link, dir, pick } => _ = net.deliver(link % links, dir, pick),
            Step::Lose { link, dir, pick } => net.lose(link % links, dir, pick),
            Step::Duplicate { link, dir, pick } => net.duplicate(link % links, dir, pick),
            Step::Cut { link } => net.cut(link % links),
            Step::Connect { link } => net.connect(link % links),
            Step::Timeout { link } => _ = net.timeout(link % links),
            Step::Tick => net.tick(),
            Step::Restart { node } => net.restart(node % nodes),
        }
    }
    acknowledged
}

fn fact_ids(campaign: &Campaign) -> BTreeSet<String> {
    campaign.facts().map(|f| f.id.clone()).collect()
}

/// The members in `honest` agree, in memory and as reopened from their files: the same heads and
/// facts, exactly the `expected` ones; the same canvass; a contact standing with its consent on
/// every one, a withdrawn one on none. A contact `revoked` recorded is on every honest member or
/// on none: its number reached the others only if the device finished a round before it was shut
/// out (no device takes contacts from a revoked one), though the fact recorded it counts.
fn assert_agree(net: &ProtoNet, honest: &[usize], expected: &BTreeSet<String>, revoked: Option<&str>) {
    let first = &net.nodes[honest[0]].campaign;
    let facts = fact_ids(first);
    assert!(facts.is_superset(expected), "lost: {:?}", expected.difference(&facts));
    assert!(expected.is_superset(&facts), "invented: {:?}", facts.difference(expected));
    let canvass = first.canvass();
    let standing: BTreeSet<&String> = canvass.premises.iter().flat_map(|p| &p.contacts).collect();
    let withdrawn: BTreeSet<&str> = first
        .facts()
        .filter_map(|f| match &f.act {
            Act::Withdraw { fact } => Some(fact.as_str()),
            Act::Mark { .. } => None,
        })
        .collect();
    // A contact whose own mark was withdrawn may not stand; one standing whose owner never had a
    // consent or contact withdrawn must be everywhere.
    let touched: BTreeSet<(String, Option<String>)> = first
        .facts()
        .filter(|f| withdrawn.contains(f.id.as_str()))
        .filter_map(|f| match &f.act {
            Act::Mark { premise, owner, outcome: Outcome::Consent | Outcome::Contact, .. } => {
                Some((premise.clone(), owner.clone()))
            }
            _ => None,
        })
        .collect();
    let contacts: Vec<(String, bool)> = first
        .facts()
        .filter(|f| Some(f.device.as_str()) != revoked)
        .filter_map(|f| match &f.act {
            Act::Mark { contact: Some(id), premise, owner, .. } => {
                let ended = withdrawn.contains(f.id.as_str()) || !standing.contains(id);
                let kept = standing.contains(id)
                    && !touched.contains(&(premise.clone(), owner.clone()))
                    && !touched.contains(&(premise.clone(), None));
                (ended || kept).then(|| (id.clone(), kept))
            }
            _ => None,
        })
        .collect();
    let revoked_contacts: Vec<String> = first
        .facts()
        .filter(|f| Some(f.device.as_str()) == revoked)
        .filter_map(|f| match &f.act {
            Act::Mark { contact: Some(id), .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    for &n in honest {
        let node = &net.nodes[n];
        let reopened = Campaign::open(&node.path).unwrap();
        for campaign in [&node.campaign, &reopened] {
            assert_eq!(campaign.heads(), first.heads(), "node {n}: heads");
            assert_eq!(fact_ids(campaign), facts, "node {n}: facts");
            assert_eq!(campaign.canvass(), canvass, "node {n}: canvass");
            for (id, kept) in &contacts {
                assert_eq!(campaign.contact(id).unwrap().is_some(), *kept, "node {n}: contact {id}");
            }
            for id in &revoked_contacts {
                let here = campaign.contact(id).unwrap().is_some();
                assert_eq!(here, first.contact(id).unwrap().is_some(), "node {n}: the revoked device's contact {id}");
            }
        }
    }
}

/// Closes an honest network may see: frames out of turn or a wait that timed out, nothing else.
fn assert_only_faults_closed(net: &ProtoNet) {
    for closed in &net.closes {
        assert!(matches!(closed.why, Why::Protocol(_) | Why::TimedOut), "{closed:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 100, ..ProptestConfig::default() })]

    #[test]
    fn members_converge_whatever_is_lost_duplicated_reordered_cut_or_restarted(
        nodes in 2..=3usize,
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 0..60),
    ) {
        let registry = registry();
        let mut net = ProtoNet::new(nodes, seed);
        let acknowledged = run(&mut net, &registry, &steps, None, 0).into_keys().collect();
        net.settle();
        assert_agree(&net, &(0..nodes).collect::<Vec<_>>(), &acknowledged, None);
        assert_only_faults_closed(&net);
        // Settled: nothing more is said.
        prop_assert_eq!(net.settle(), 0);
    }

    #[test]
    fn a_revoked_device_gets_no_contact_and_its_later_facts_count_nowhere(
        seed in any::<u64>(),
        before in proptest::collection::vec(step(), 0..25),
        after in proptest::collection::vec(step(), 0..25),
    ) {
        let registry = registry();
        let mut net = ProtoNet::new(3, seed);
        let lost = 2;
        let mut acknowledged = run(&mut net, &registry, &before, None, 0);
        let lost_device = net.nodes[lost].device.clone();
        // What of the device stays valid: its facts the organiser holds when it revokes it.
        let valid: BTreeSet<String> =
            net.nodes[0].campaign.facts().filter(|f| f.device == lost_device).map(|f| f.id.clone()).collect();
        net.revoke(lost);
        acknowledged.extend(run(&mut net, &registry, &after, Some(lost), before.len()));
        net.settle();
        // Whatever the revoked device recorded past what stays valid counts nowhere.
        let expected: BTreeSet<String> = acknowledged
            .into_iter()
            .filter(|(id, node)| *node != lost || valid.contains(id))
            .map(|(id, _)| id)
            .collect();
        assert_agree(&net, &[0, 1], &expected, Some(&lost_device));
        // A new contact on an honest device, once everyone has heard of the revocation.
        let id = net.nodes[1].campaign.mark(mark(&registry, 0, 4, 0, 99)).unwrap().pop().unwrap();
        net.changed(1);
        net.settle();
        let contact = contact_of(&net.nodes[1].campaign, &id);
        for n in [0, 1] {
            prop_assert!(net.nodes[n].campaign.contact(&contact).unwrap().is_some(), "node {}", n);
        }
        prop_assert!(net.nodes[lost].campaign.contact(&contact).unwrap().is_none(), "the revoked device got it");
        let refused = net.closes.iter().filter(|c| c.why == Why::Refused(Refusal::Revoked)).count();
        prop_assert!(refused >= 1);
        for closed in &net.closes {
            prop_assert!(closed.why != Why::Refused(Refusal::Revoked) || closed.by != lost, "{:?}", closed);
        }
    }
}

fn contact_of(campaign: &Campaign, fact: &str) -> String {
    match &campaign.fact(fact).unwrap().act {
        Act::Mark { contact: Some(id), .. } => id.clone(),
        other => panic!("not a contact: {other:?}"),
    }
}

/// Two fresh machines: `a` dials `b`.
fn pair(net: &ProtoNet, a: usize, b: usize) -> [Conversation; 2] {
    [
        Conversation::new(Role::Dialer, Some(net.nodes[b].device.clone())),
        Conversation::new(Role::Acceptor, Some(net.nodes[a].device.clone())),
    ]
}

/// What a pair of machines did until both waited with nothing in flight, or one failed.
#[derive(Debug)]
struct Ran {
    /// Rounds finished, by side (0: the dialler).
    rounds: Vec<(usize, obhod_syncd::Round)>,
    /// The first error, by side.
    error: Option<(usize, SyncError)>,
}

/// Runs machines between nodes `a` (dialler, its round begun unless `begun`) and `b`, frames in
/// order; `tamper` sees every frame sent (the side, its bytes) and returns the frames to deliver.
fn run_pair(
    net: &mut ProtoNet,
    [a, b]: [usize; 2],
    machines: &mut [Conversation; 2],
    begun: bool,
    mut tamper: impl FnMut(usize, Vec<u8>) -> Vec<Vec<u8>>,
) -> Ran {
    let mut ran = Ran { rounds: Vec::new(), error: None };
    let [first, second] = net.nodes.get_disjoint_mut([a, b]).unwrap();
    let campaigns = [&mut first.campaign, &mut second.campaign];
    if !begun && let Err(error) = machines[0].begin(campaigns[0]) {
        ran.error = Some((0, error));
        return ran;
    }
    let mut flight = std::collections::VecDeque::new();
    for _ in 0..10_000 {
        for side in 0..2 {
            loop {
                match machines[side].poll(campaigns[side]) {
                    Ok(Next::Send(frame)) => {
                        flight.extend(tamper(side, frame.encode()).into_iter().map(|f| (1 - side, f)))
                    }
                    Ok(Next::Finished(round)) => ran.rounds.push((side, round)),
                    Ok(Next::Receive | Next::Wait) => break,
                    Err(error) => {
                        ran.error = Some((side, error));
                        return ran;
                    }
                }
            }
        }
        let Some((to, bytes)) = flight.pop_front() else { return ran };
        if let Err(error) = machines[to].receive_bytes(campaigns[to], &bytes) {
            ran.error = Some((to, error));
            return ran;
        }
    }
    panic!("the machines never wait");
}

fn is_protocol(ran: &Ran, side: usize) -> bool {
    matches!(&ran.error, Some((s, error @ SyncError::Protocol(_)))
        if *s == side && close_of(error) == Some((obhod_syncd::net::PROTOCOL_ERROR, b"protocol error".to_vec())))
}

/// A settled pair with one new fact on the dialler's side.
fn two_with_news() -> ProtoNet {
    let mut net = ProtoNet::new(2, 5);
    net.settle();
    net.nodes[0].campaign.mark(Mark::new("2", Outcome::Absent)).unwrap();
    net
}

#[test]
fn a_duplicated_idle_is_a_protocol_error_and_a_new_connection_converges() {
    let mut net = ProtoNet::new(2, 3);
    net.settle();
    let mut machines = pair(&net, 0, 1);
    let mut doubled = false;
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, |side, bytes| {
        if side == 0 && bytes == Frame::Idle.encode() && !std::mem::replace(&mut doubled, true) {
            return vec![bytes.clone(), bytes];
        }
        vec![bytes]
    });
    assert!(doubled);
    assert!(is_protocol(&ran, 1), "{ran:?}");
    assert!(ran.rounds.is_empty(), "no round is done with a frame too many");
    net.nodes[0].campaign.mark(Mark::new("3", Outcome::Delivered)).unwrap();
    let mut machines = pair(&net, 0, 1);
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, |_, bytes| vec![bytes]);
    assert!(ran.error.is_none(), "{ran:?}");
    assert_eq!(ran.rounds.len(), 2);
    assert_eq!(net.nodes[0].campaign.heads(), net.nodes[1].campaign.heads());
}

#[test]
fn contacts_before_the_round_ends_are_a_protocol_error_and_are_not_taken() {
    let mut net = two_with_news();
    let mut machines = pair(&net, 0, 1);
    let offer = net.nodes[0].campaign.contacts_offer().unwrap();
    let contacts = Frame::Contacts(Box::new(Contacts { facts_received: 0, ballots_received: 0, offer })).encode();
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, |side, bytes| {
        if side == 0 { vec![bytes, contacts.clone()] } else { vec![bytes] }
    });
    assert!(is_protocol(&ran, 1), "{ran:?}");
    let Some((_, SyncError::Protocol(why))) = &ran.error else { unreachable!() };
    assert!(why.contains("expected a sync message"), "{why}");
    assert!(machines[1].is_closed());
    assert!(matches!(machines[1].poll(&mut net.nodes[1].campaign), Err(SyncError::Protocol(_))), "closed stays closed");
}

#[test]
fn a_nudge_in_the_middle_of_a_round_is_passed_over_and_asks_for_another() {
    let mut net = two_with_news();
    let mut machines = pair(&net, 0, 1);
    let mut nudged = false;
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, |side, bytes| {
        if side == 1 && !std::mem::replace(&mut nudged, true) {
            return vec![Frame::Nudge.encode(), bytes];
        }
        vec![bytes]
    });
    assert!(ran.error.is_none(), "{ran:?}");
    let dialler = ran.rounds.iter().find(|(side, _)| *side == 0).unwrap();
    assert!(dialler.1.nudged);
    assert_eq!(dialler.1.facts_sent, 1, "the acceptor reported the fact it received");
    let acceptor = ran.rounds.iter().find(|(side, _)| *side == 1).unwrap();
    assert_eq!(acceptor.1.facts_received, 1);
    assert_eq!(net.nodes[0].campaign.heads(), net.nodes[1].campaign.heads());
    // Between rounds a nudge makes the dialler's round due; a sync message is out of place there.
    machines[0].receive(&mut net.nodes[0].campaign, Frame::Nudge).unwrap();
    assert!(machines[0].take_due());
    let out_of_place = machines[0].receive(&mut net.nodes[0].campaign, Frame::Idle);
    assert!(matches!(out_of_place, Err(SyncError::Protocol(_))), "{out_of_place:?}");
}

#[test]
fn a_frame_of_the_wrong_kind_or_unreadable_is_a_protocol_error() {
    let hello = obhod_syncd::Hello {
        group: "G".into(),
        campaign: "C".into(),
        revocations: 0,
        device: "D".into(),
        name: "n".into(),
        signature: String::new(),
    };
    for intruder in [Frame::Hello(hello).encode(), vec![9], vec![], Frame::Nudge.encode()[..0].to_vec()] {
        let mut net = two_with_news();
        let mut machines = pair(&net, 0, 1);
        let mut sent = false;
        let ran = run_pair(&mut net, [0, 1], &mut machines, false, |side, bytes| {
            if side == 0 && !std::mem::replace(&mut sent, true) {
                return vec![bytes, intruder.clone()];
            }
            vec![bytes]
        });
        assert!(is_protocol(&ran, 1), "{intruder:?}: {ran:?}");
        assert!(ran.rounds.is_empty());
    }
}

#[test]
fn a_round_that_never_ends_is_closed_at_its_turn_limit() {
    let mut net = two_with_news();
    let mut acceptor = Conversation::new(Role::Acceptor, Some(net.nodes[0].device.clone())).max_turns(6);
    let mut error = None;
    for _ in 0..20 {
        // A peer that keeps talking: a new session's first message every turn.
        let message = obhod_store::SyncSession::new().generate(&net.nodes[0].campaign).unwrap();
        if let Err(e) = acceptor.receive(&mut net.nodes[1].campaign, Frame::Sync(message)) {
            error = Some(e);
            break;
        }
        match acceptor.poll(&mut net.nodes[1].campaign) {
            Ok(Next::Send(_)) => {}
            Ok(other) => panic!("{other:?}"),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    match error {
        Some(SyncError::Protocol(why)) => assert_eq!(why, "a round that never ends"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_revoked_peer_is_refused_before_a_round_and_before_contacts() {
    let mut net = ProtoNet::new(3, 9);
    net.settle();
    // Revoked while a round runs: the dialler's contacts are not sent.
    let mut machines = pair(&net, 0, 2);
    machines[0].begin(&mut net.nodes[0].campaign).unwrap();
    let before = net.nodes[2].campaign.contacts_offer().unwrap().rows.len();
    net.revoke(2);
    let ran = run_pair(&mut net, [0, 2], &mut machines, true, |_, bytes| {
        assert!(!matches!(Frame::decode(&bytes), Ok(Frame::Contacts(_))), "contacts to a revoked device");
        vec![bytes]
    });
    match &ran.error {
        Some((0, error @ SyncError::RefusedPeer(Refusal::Revoked))) => {
            assert_eq!(close_of(error), Some((Refusal::Revoked.code(), b"revoked".to_vec())));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(net.nodes[2].campaign.contacts_offer().unwrap().rows.len(), before);
    // And no round begins with it, whichever side it is.
    let [mut dialler, _] = pair(&net, 0, 2);
    assert!(matches!(dialler.begin(&mut net.nodes[0].campaign), Err(SyncError::RefusedPeer(Refusal::Revoked))));
    let mut machines_back = pair(&net, 2, 0);
    let ran = run_pair(&mut net, [2, 0], &mut machines_back, false, |_, bytes| vec![bytes]);
    assert!(matches!(ran.error, Some((1, SyncError::RefusedPeer(Refusal::Revoked)))), "{ran:?}");
}

/// What a hostile member forges on its copy of the document.
#[derive(Debug, Clone, Copy)]
enum Forgery {
    /// Rewrites the group's record (members, revocations).
    Group,
    /// Replaces the registry.
    Registry,
    /// Deletes a recorded fact (another device's, or its own).
    DeleteFact,
}

/// `forger` (a member) dials `victim` with a change it forged on its copy of the document, over
/// the real frames, and talks the sync protocol until the victim's machine closes; returns why.
fn attack(net: &mut ProtoNet, forger: usize, victim: usize, forgery: Forgery) -> SyncError {
    use automerge::ReadDoc;
    use automerge::transaction::Transactable;
    let mut forged = automerge::Automerge::load(&net.nodes[forger].campaign.document()).unwrap();
    forged.set_actor(automerge::ActorId::random());
    let facts = forged.get(automerge::ROOT, "facts").unwrap().unwrap().1;
    let fact = forged.keys(&facts).next();
    let mut tx = forged.transaction();
    match (forgery, fact) {
        (Forgery::DeleteFact, Some(fact)) => tx.delete(&facts, fact.as_str()).unwrap(),
        (Forgery::Registry, _) => tx.put(automerge::ROOT, "registry", "premise\n1\n").unwrap(),
        _ => tx.put(automerge::ROOT, "group", "{\"members\":[],\"version\":99}").unwrap(),
    }
    tx.commit();
    let mut victim_machine = Conversation::new(Role::Acceptor, Some(net.nodes[forger].device.clone()));
    let mut state = State::new();
    let campaign = &mut net.nodes[victim].campaign;
    for _ in 0..50 {
        let frame = forged.generate_sync_message(&mut state).map_or(Frame::Idle, |m| Frame::Sync(m.encode()));
        if let Err(error) = victim_machine.receive_bytes(campaign, &frame.encode()) {
            return error;
        }
        while let Ok(Next::Send(frame)) = victim_machine.poll(campaign) {
            if let Frame::Sync(message) = frame {
                forged.receive_sync_message(&mut state, automerge::sync::Message::decode(&message).unwrap()).unwrap();
            }
        }
    }
    panic!("the forged change was taken or never refused");
}

/// The attack was refused whole with `MessageRefused`, told to the peer by its code, and nothing
/// of it is on the victim, in memory or on disk.
fn assert_refused(
    net: &ProtoNet,
    victim: usize,
    error: &SyncError,
    heads: &[automerge::ChangeHash],
    facts: &BTreeSet<String>,
) {
    let SyncError::MessageRefused(store_error) = error else { panic!("{error:?}") };
    assert_eq!(close_of(error), Some((Refusal::MessageRefused.code(), store_error.code().as_bytes().to_vec())));
    assert_eq!(net.nodes[victim].campaign.heads(), heads);
    let reopened = Campaign::open(&net.nodes[victim].path).unwrap();
    assert_eq!(reopened.heads(), heads, "nothing of it on disk");
    assert_eq!(&fact_ids(&reopened), facts);
}

#[test]
fn a_hostile_message_closes_with_message_refused_and_nothing_of_it_is_stored() {
    let mut net = ProtoNet::new(3, 13);
    net.settle();
    let heads = net.nodes[0].campaign.heads();
    let facts = fact_ids(&net.nodes[0].campaign);
    let error = attack(&mut net, 2, 0, Forgery::Group);
    assert_refused(&net, 0, &error, &heads, &facts);
    // The honest devices still sync.
    let id = net.nodes[1].campaign.mark(Mark::new("3", Outcome::Delivered)).unwrap().pop().unwrap();
    net.changed(1);
    net.settle();
    assert!((0..3).all(|n| net.nodes[n].campaign.fact(&id).is_some()));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 50, ..ProptestConfig::default() })]

    #[test]
    fn a_forged_change_from_any_member_is_refused_whole_and_the_rest_still_converge(
        seed in any::<u64>(),
        steps in proptest::collection::vec(step(), 0..30),
        forger in 1..3usize,
        victim in 0..2usize,
        forgery in prop_oneof![Just(Forgery::Group), Just(Forgery::Registry), Just(Forgery::DeleteFact)],
    ) {
        let registry = registry();
        let mut net = ProtoNet::new(3, seed);
        let acknowledged: BTreeSet<String> = run(&mut net, &registry, &steps, None, 0).into_keys().collect();
        net.settle();
        let victim = (forger + 1 + victim) % 3;
        let heads = net.nodes[victim].campaign.heads();
        let facts = fact_ids(&net.nodes[victim].campaign);
        let error = attack(&mut net, forger, victim, forgery);
        assert_refused(&net, victim, &error, &heads, &facts);
        net.settle();
        assert_agree(&net, &[0, 1, 2], &acknowledged, None);
    }
}

/// The first sync message of the dialler's that carries changes, as `tamper` of `run_pair`:
/// `withhold` gives the changes no way to arrive.
fn lose_changes(
    lost: &mut bool,
    withhold: impl Fn(automerge::sync::Message) -> Vec<Vec<u8>>,
) -> impl FnMut(usize, Vec<u8>) -> Vec<Vec<u8>> {
    move |_, bytes| {
        if let Ok(Frame::Sync(message)) = Frame::decode(&bytes) {
            let message = automerge::sync::Message::decode(&message).unwrap();
            if !message.changes.is_empty() && !std::mem::replace(lost, true) {
                return withhold(message);
            }
        }
        vec![bytes]
    }
}

#[test]
fn a_change_lost_inside_a_round_stalls_it_and_one_withheld_ends_it_as_going_in_circles() {
    // Lost with its frame: both sides wait, and the read deadline closes the connection.
    let mut net = two_with_news();
    let mut machines = pair(&net, 0, 1);
    let mut lost = false;
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, lose_changes(&mut lost, |_| vec![]));
    assert!(lost);
    assert!(ran.error.is_none() && ran.rounds.is_empty(), "{ran:?}");
    assert!(machines.iter().all(Conversation::in_round), "both wait inside the round");
    // Withheld from a message that still arrives: the two would talk until the turn limit.
    let mut machines = pair(&net, 0, 1);
    let mut withheld = false;
    let strip = |mut message: automerge::sync::Message| {
        message.changes = Vec::<Vec<u8>>::new().into();
        vec![Frame::Sync(message.encode()).encode()]
    };
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, lose_changes(&mut withheld, strip));
    assert!(withheld);
    match &ran.error {
        Some((_, error @ SyncError::Protocol(why))) => {
            assert_eq!(why, "a round that goes in circles");
            assert_eq!(close_of(error), Some((obhod_syncd::net::PROTOCOL_ERROR, b"protocol error".to_vec())));
        }
        other => panic!("{other:?}"),
    }
    assert_ne!(net.nodes[0].campaign.heads(), net.nodes[1].campaign.heads());
    // A new connection (fresh machines, fresh sync states) brings the change.
    let mut machines = pair(&net, 0, 1);
    let ran = run_pair(&mut net, [0, 1], &mut machines, false, |_, bytes| vec![bytes]);
    assert!(ran.error.is_none(), "{ran:?}");
    assert_eq!(net.nodes[0].campaign.heads(), net.nodes[1].campaign.heads());
}
