//! A simulated network of the whole sync protocol: members of one group (real stores in a
//! temporary directory, seeded ids and a stepping clock, as `net` has them) joined pairwise by
//! connections whose ends are `syncd`'s [`Conversation`]s, the machine a real connection runs
//! after the hellos. The frames cross as their real bytes (`Frame::encode`, fed back through
//! `Conversation::receive_bytes`), and the test decides, frame by frame, what is delivered, lost,
//! duplicated or delivered out of order, which connection is cut and which node restarts.
//!
//! Each connection is driven as `link::keep` drives a live link: the dialler begins a round when
//! it connects, when the peer nudged it and when its document moved past what the peer was last
//! brought up to; the acceptor nudges it when its own document moved. A machine's error closes
//! the connection (recorded, with who closed it and why), and a connection whose both sides wait
//! with nothing in flight is closed as the read deadline would (`timeout`). `settle` reconnects
//! what is down (fresh machines, as a real reconnect), except a pair refused for a revocation, and
//! delivers in order until nothing is in flight and nothing is due. Nothing here panics on what a
//! peer sends; a network that does not settle within its bounds does (the test fails).

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use chrono::DateTime;
use obhod_store::{Campaign, Ids, Revocations, SteppingClock};
use obhod_syncd::conversation::{Conversation, Next};
use obhod_syncd::{Frame, GroupCa, Refusal, Role, SyncError};

/// Deliveries one `settle` may make before the network is taken for one that never settles.
const MAX_DELIVERIES: usize = 50_000;
/// Passes of reconnecting and delivering one `settle` may make.
const MAX_PASSES: usize = 30;

/// One member: its store file and the campaign open on it.
pub struct Node {
    pub path: PathBuf,
    pub campaign: Campaign,
    pub device: String,
    clock: Arc<SteppingClock>,
    seed: u64,
    restarts: u64,
}

/// Why a connection closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// A frame out of turn, of the wrong kind, unreadable, or a round that never ends.
    Protocol(String),
    /// The store refused a sync message (its error code).
    MessageRefused(&'static str),
    /// A refusal, by its code (a revoked peer).
    Refused(Refusal),
    /// Both sides waited with nothing in flight: the read deadline closed it.
    TimedOut,
    /// This side's store failed.
    Store(String),
}

impl Why {
    fn of(error: &SyncError) -> Why {
        match error {
            SyncError::Protocol(why) => Why::Protocol(why.clone()),
            SyncError::MessageRefused(error) => Why::MessageRefused(error.code()),
            SyncError::RefusedPeer(refusal) => Why::Refused(*refusal),
            other => Why::Store(other.to_string()),
        }
    }
}

/// A connection's close: on which link, by which node, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed {
    pub link: usize,
    pub by: usize,
    pub why: Why,
}

/// A connection between two nodes: `ends[0]` dialled `ends[1]`.
struct Conn {
    ends: [usize; 2],
    /// The machines at each end while the connection is up.
    machines: Option<[Conversation; 2]>,
    /// `queues[i]` carries frames from `ends[i]` to the other end.
    queues: [VecDeque<Vec<u8>>; 2],
    /// The heads each end last brought the other up to (or nudged it about).
    told: [Vec<automerge::ChangeHash>; 2],
    /// The dialler owes a round (the acceptor nudged it during one).
    due: bool,
    /// The connection was refused for a revocation: it is not made again.
    refused: bool,
}

pub struct ProtoNet {
    pub nodes: Vec<Node>,
    conns: Vec<Conn>,
    pub ca: GroupCa,
    /// Every close so far.
    pub closes: Vec<Closed>,
    /// Rounds finished (counted at each end).
    pub rounds: usize,
    /// Frames sent and delivered.
    pub sent: usize,
    pub delivered: usize,
    revocations: u64,
    _dir: tempfile::TempDir,
}

impl ProtoNet {
    /// `n` members of one new campaign of the guide example (the first the organiser), every pair
    /// connected (the lower node dials), each connection's first round begun.
    pub fn new(n: usize, seed: u64) -> ProtoNet {
        let dir = tempfile::tempdir().unwrap();
        let ca = GroupCa::create("G").unwrap();
        let first = Campaign::init(&dir.path().join("node0.db"), crate::guide_sources()).unwrap();
        let mut paths = vec![first.path().to_path_buf()];
        for i in 1..n {
            paths.push(first.replica_to(&dir.path().join(format!("node{i}.db"))).unwrap().path().to_path_buf());
        }
        drop(first);
        for (i, path) in paths.iter().enumerate() {
            let mut campaign = Campaign::open(path).unwrap();
            crate::make_member(&ca, &mut campaign, &format!("device {i}"), (i > 0).then(|| paths[0].as_path()));
        }
        // Each member starts from the organiser's document, its own record in it, as a device that
        // joined gets it from the inviter.
        let organiser = Campaign::open(&paths[0]).unwrap();
        for path in &paths[1..] {
            let mut campaign = Campaign::open(path).unwrap();
            campaign.receive_changes(&organiser.changes_since(&campaign.heads())).unwrap();
        }
        drop(organiser);
        let mut nodes = Vec::new();
        for (i, path) in paths.into_iter().enumerate() {
            let campaign = Campaign::open(&path).unwrap();
            let start = DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap();
            let clock = Arc::new(SteppingClock::new(start));
            let device = campaign.device().to_string();
            let seed = seed.wrapping_mul(31).wrapping_add(i as u64);
            let mut node = Node { path, campaign, device, clock, seed, restarts: 0 };
            node.equip();
            nodes.push(node);
        }
        let mut conns = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let queues = [VecDeque::new(), VecDeque::new()];
                conns.push(Conn {
                    ends: [a, b],
                    machines: None,
                    queues,
                    told: [Vec::new(), Vec::new()],
                    due: false,
                    refused: false,
                });
            }
        }
        let mut net = ProtoNet {
            nodes,
            conns,
            ca,
            closes: Vec::new(),
            rounds: 0,
            sent: 0,
            delivered: 0,
            revocations: 0,
            _dir: dir,
        };
        for link in 0..net.links() {
            net.connect(link);
        }
        net
    }

    pub fn links(&self) -> usize {
        self.conns.len()
    }

    /// The two nodes of a link, the dialler first.
    pub fn ends(&self, link: usize) -> [usize; 2] {
        self.conns[link].ends
    }

    pub fn is_up(&self, link: usize) -> bool {
        self.conns[link].machines.is_some()
    }

    /// Frames in flight on a link, one way (0: from the dialler).
    pub fn in_flight(&self, link: usize, dir: usize) -> usize {
        self.conns[link].queues[dir % 2].len()
    }

    /// Makes the connection anew (dropping the old one, if up) with fresh machines; the dialler
    /// begins a round at once. A pair refused for a revocation is made again too: it is refused again.
    pub fn connect(&mut self, link: usize) {
        let [a, b] = self.conns[link].ends;
        let (dialler, acceptor) = (self.nodes[a].device.clone(), self.nodes[b].device.clone());
        let conn = &mut self.conns[link];
        conn.machines =
            Some([Conversation::new(Role::Dialer, Some(acceptor)), Conversation::new(Role::Acceptor, Some(dialler))]);
        conn.queues = [VecDeque::new(), VecDeque::new()];
        conn.told = [self.nodes[a].campaign.heads(), self.nodes[b].campaign.heads()];
        conn.due = true;
        self.pump(link, 0);
        self.pump(link, 1);
    }

    /// Cuts a connection: what was in flight is lost, both machines end.
    pub fn cut(&mut self, link: usize) {
        let conn = &mut self.conns[link];
        conn.machines = None;
        conn.queues = [VecDeque::new(), VecDeque::new()];
    }

    /// Delivers the `pick`-th frame in flight on a link one way (0: the oldest); false when none is.
    pub fn deliver(&mut self, link: usize, dir: usize, pick: usize) -> bool {
        let dir = dir % 2;
        let queue = &mut self.conns[link].queues[dir];
        if queue.is_empty() {
            return false;
        }
        let bytes = queue.remove(pick % queue.len()).expect("in range");
        self.delivered += 1;
        let to = 1 - dir;
        let node = self.conns[link].ends[to];
        let conn = &mut self.conns[link];
        let Some(machines) = conn.machines.as_mut() else { return true };
        if let Err(error) = machines[to].receive_bytes(&mut self.nodes[node].campaign, &bytes) {
            self.close(link, to, &error);
            return true;
        }
        self.pump(link, to);
        self.changed(node);
        true
    }

    /// Loses the `pick`-th frame in flight on a link one way (or on the next link and way that
    /// has one in flight).
    pub fn lose(&mut self, link: usize, dir: usize, pick: usize) {
        if let Some(queue) = self.busy(link, dir) {
            queue.remove(pick % queue.len());
        }
    }

    /// Duplicates the `pick`-th frame in flight on a link one way (or on the next that has one),
    /// the copy right behind it.
    pub fn duplicate(&mut self, link: usize, dir: usize, pick: usize) {
        if let Some(queue) = self.busy(link, dir) {
            let at = pick % queue.len();
            let copy = queue[at].clone();
            queue.insert(at + 1, copy);
        }
    }

    /// The first queue with a frame in flight, from this link and way on.
    fn busy(&mut self, link: usize, dir: usize) -> Option<&mut VecDeque<Vec<u8>>> {
        let count = self.conns.len() * 2;
        let at = (0..count)
            .map(|i| (link * 2 + dir % 2 + i) % count)
            .find(|at| !self.conns[at / 2].queues[at % 2].is_empty())?;
        Some(&mut self.conns[at / 2].queues[at % 2])
    }

    /// What the passing of time does: every connection stuck in a round is closed by its read
    /// deadline, and what is down is dialled again (but a pair refused for a revocation).
    pub fn tick(&mut self) {
        for link in 0..self.conns.len() {
            self.timeout(link);
            if self.conns[link].machines.is_none() && !self.conns[link].refused {
                self.connect(link);
            }
        }
    }

    /// Puts raw bytes in flight on a link one way, as if the sending end had sent them.
    pub fn inject(&mut self, link: usize, dir: usize, bytes: Vec<u8>) {
        self.conns[link].queues[dir % 2].push_back(bytes);
    }

    /// Closes a connection whose both ends wait with nothing in flight while a round runs, as the
    /// read deadline of the side awaiting a frame would; true if it did.
    pub fn timeout(&mut self, link: usize) -> bool {
        let conn = &self.conns[link];
        let Some(machines) = &conn.machines else { return false };
        let quiet = conn.queues.iter().all(VecDeque::is_empty);
        let Some(waiting) = (0..2).find(|side| machines[*side].in_round()) else { return false };
        if !quiet {
            return false;
        }
        self.closes.push(Closed { link, by: conn.ends[waiting], why: Why::TimedOut });
        self.cut(link);
        true
    }

    /// Closes the node's campaign and opens it again from its file, as a restarted daemon does:
    /// its connections are cut.
    pub fn restart(&mut self, node: usize) {
        for link in 0..self.conns.len() {
            if self.conns[link].ends.contains(&node) {
                self.cut(link);
            }
        }
        let node = &mut self.nodes[node];
        node.restarts += 1;
        node.campaign = Campaign::open(&node.path).unwrap();
        node.equip();
    }

    /// The node's document changed (a local write or a delivery): its connections hear of it, as
    /// the daemon's watch of the heads tells its links.
    pub fn changed(&mut self, node: usize) {
        for link in 0..self.conns.len() {
            if let Some(side) = self.conns[link].ends.iter().position(|end| *end == node) {
                self.pump(link, side);
            }
        }
    }

    /// Shuts the node out of the group on the organiser's device (node 0), as `obhod group revoke` does.
    pub fn revoke(&mut self, node: usize) {
        let device = self.nodes[node].device.clone();
        let organiser = &mut self.nodes[0].campaign;
        let record = organiser.members().into_iter().find(|m| m.device == device).unwrap();
        let serial = hex::decode(record.serial).unwrap();
        self.revocations += 1;
        let der = self.ca.revocation_list(self.revocations, &[serial], SystemTime::now()).unwrap();
        organiser.revoke(&device, &Revocations { number: self.revocations, der }).unwrap();
        self.changed(0);
    }

    /// Reconnects what is down (but a pair refused for a revocation), delivers in order until
    /// nothing is in flight, closes what is stuck as the read deadline would, and again, until
    /// every connection is up or refused, nothing is in flight and no round runs. Returns the
    /// frames delivered meanwhile.
    pub fn settle(&mut self) -> usize {
        let start = self.delivered;
        for _ in 0..MAX_PASSES {
            for link in 0..self.conns.len() {
                if self.conns[link].machines.is_none() && !self.conns[link].refused {
                    self.connect(link);
                }
            }
            while (0..self.conns.len()).any(|link| self.deliver(link, 0, 0) | self.deliver(link, 1, 0)) {
                assert!(self.delivered - start < MAX_DELIVERIES, "the network does not settle");
            }
            let stuck = (0..self.conns.len()).filter(|link| self.timeout(*link)).count();
            let down = self.conns.iter().any(|conn| conn.machines.is_none() && !conn.refused);
            if stuck == 0 && !down {
                return self.delivered - start;
            }
        }
        panic!("the network does not settle in {MAX_PASSES} passes");
    }

    /// Drives one end of a connection as a live link does until it waits for the peer.
    fn pump(&mut self, link: usize, side: usize) {
        let node = self.conns[link].ends[side];
        for _ in 0..MAX_DELIVERIES {
            let conn = &mut self.conns[link];
            let campaign = &mut self.nodes[node].campaign;
            let Some(machines) = conn.machines.as_mut() else { return };
            let machine = &mut machines[side];
            let next = match machine.poll(campaign) {
                Ok(next) => next,
                Err(error) => return self.close(link, side, &error),
            };
            match next {
                Next::Send(frame) => {
                    conn.queues[side].push_back(frame.encode());
                    self.sent += 1;
                }
                Next::Receive => return,
                Next::Finished(round) => {
                    self.rounds += 1;
                    conn.told[side] = round.heads;
                    conn.due |= side == 0 && round.nudged;
                }
                Next::Wait => {
                    let heads = campaign.heads();
                    let moved = heads != conn.told[side];
                    if side == 0 && (std::mem::take(&mut conn.due) | machine.take_due() | moved) {
                        conn.told[0] = heads;
                        if let Err(error) = machine.begin(campaign) {
                            return self.close(link, side, &error);
                        }
                    } else {
                        if side == 1 && moved {
                            conn.told[1] = heads;
                            conn.queues[1].push_back(Frame::Nudge.encode());
                            self.sent += 1;
                        }
                        return;
                    }
                }
            }
        }
        panic!("a machine that keeps sending");
    }

    fn close(&mut self, link: usize, side: usize, error: &SyncError) {
        let why = Why::of(error);
        self.conns[link].refused |= why == Why::Refused(Refusal::Revoked);
        self.closes.push(Closed { link, by: self.conns[link].ends[side], why });
        self.cut(link);
    }
}

impl Node {
    /// A deterministic clock and ids, distinct per node and per restart.
    fn equip(&mut self) {
        self.campaign.set_clock(self.clock.clone());
        self.campaign.set_ids(Ids::seeded(self.seed ^ (self.restarts << 48)));
    }
}
