//! A simulated network for sync tests, in the spirit of samod's harness: replicas (real stores in
//! a temporary directory) joined pairwise by message queues, stepped by the test, with no sockets
//! and no wall clock. Each node records with a stepping clock and seeded ids, so a run replays.

use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::DateTime;
use obhod_store::{Campaign, Ids, Received, SteppingClock, SyncSession};

/// One replica: its store file and the campaign open on it.
pub struct Node {
    pub path: PathBuf,
    pub campaign: Campaign,
    clock: Arc<SteppingClock>,
    seed: u64,
    restarts: u64,
}

/// A connection between two nodes: a session at each end and a queue each way.
struct Link {
    ends: [usize; 2],
    up: bool,
    /// A message was lost: the connection is as good as broken (the transport is reliable while
    /// it lasts), so it is made anew before the network settles.
    lossy: bool,
    sessions: [SyncSession; 2],
    /// `queues[0]` carries messages from `ends[0]` to `ends[1]`; `queues[1]` the other way.
    queues: [VecDeque<Vec<u8>>; 2],
}

impl Link {
    fn restart(&mut self, up: bool) {
        self.up = up;
        self.lossy = false;
        self.sessions = [SyncSession::new(), SyncSession::new()];
        self.queues = [VecDeque::new(), VecDeque::new()];
    }
}

pub struct Net {
    pub nodes: Vec<Node>,
    links: Vec<Link>,
    /// Messages delivered so far.
    pub delivered: usize,
    /// Facts and ballots brought by delivered messages.
    pub received: Received,
    _dir: tempfile::TempDir,
}

impl Net {
    /// `n` replicas of one new campaign of the guide example, every pair connected.
    pub fn new(n: usize, seed: u64) -> Net {
        let dir = tempfile::tempdir().unwrap();
        let first = Campaign::init(&dir.path().join("node0.db"), crate::guide_sources()).unwrap();
        let mut nodes = Vec::new();
        for i in 0..n {
            let path = dir.path().join(format!("node{i}.db"));
            let campaign = if i == 0 { Campaign::open(&path).unwrap() } else { first.replica_to(&path).unwrap() };
            let start = DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap();
            let clock = Arc::new(SteppingClock::new(start));
            let seed = seed.wrapping_mul(31).wrapping_add(i as u64);
            let mut node = Node { path, campaign, clock, seed, restarts: 0 };
            node.equip();
            nodes.push(node);
        }
        let mut links = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let mut link = Link {
                    ends: [a, b],
                    up: false,
                    lossy: false,
                    sessions: [SyncSession::new(), SyncSession::new()],
                    queues: [VecDeque::new(), VecDeque::new()],
                };
                link.restart(true);
                links.push(link);
            }
        }
        let mut net = Net { nodes, links, delivered: 0, received: Received::default(), _dir: dir };
        for node in 0..n {
            net.changed(node);
        }
        net
    }

    pub fn links(&self) -> usize {
        self.links.len()
    }

    /// Tells the node's peers about a change of its document (a local action or a delivery).
    pub fn changed(&mut self, node: usize) {
        for link in self.links.iter_mut().filter(|l| l.up && l.ends.contains(&node)) {
            let side = usize::from(link.ends[1] == node);
            let campaign = &self.nodes[node].campaign;
            while let Some(message) = link.sessions[side].generate(campaign) {
                link.queues[side].push_back(message);
                assert!(link.queues[side].len() < 1000, "a session keeps generating");
            }
        }
    }

    /// Delivers one message waiting on a link in direction `dir` (0: from the lower node), the
    /// `pick`-th of those waiting (any order; 0 is the oldest); false when none waits.
    pub fn deliver(&mut self, link: usize, dir: usize, pick: usize) -> bool {
        let l = &mut self.links[link];
        let queue = &mut l.queues[dir % 2];
        if queue.is_empty() {
            return false;
        }
        let message = queue.remove(pick % queue.len()).expect("in range");
        let to = l.ends[1 - dir % 2];
        let received = l.sessions[1 - dir % 2].receive(&mut self.nodes[to].campaign, &message).unwrap();
        self.delivered += 1;
        self.received.facts += received.facts;
        self.received.ballots += received.ballots;
        self.changed(to);
        true
    }

    /// Loses one message waiting on a link.
    pub fn lose(&mut self, link: usize, dir: usize, pick: usize) {
        let l = &mut self.links[link];
        let queue = &mut l.queues[dir % 2];
        if !queue.is_empty() {
            queue.remove(pick % queue.len());
            l.lossy = true;
        }
    }

    /// Breaks a connection: what was in flight is lost, both sessions end.
    pub fn disconnect(&mut self, link: usize) {
        self.links[link].restart(false);
    }

    /// Makes a connection anew (if it was up, the old one is dropped first), with fresh sessions.
    pub fn connect(&mut self, link: usize) {
        self.links[link].restart(true);
        let [a, b] = self.links[link].ends;
        self.changed(a);
        self.changed(b);
    }

    /// Closes the node's campaign and opens it again from its file; its sessions go on.
    pub fn restart(&mut self, node: usize) {
        let node = &mut self.nodes[node];
        node.restarts += 1;
        node.campaign = Campaign::open(&node.path).unwrap();
        node.equip();
    }

    /// Reconnects what is down or lost a message, then delivers in order until every queue is
    /// empty and no session has anything to say; then every pair exchanges contacts. Returns
    /// the messages delivered meanwhile.
    pub fn settle(&mut self) -> usize {
        let start = self.delivered;
        for link in 0..self.links.len() {
            if !self.links[link].up || self.links[link].lossy {
                self.connect(link);
            }
        }
        // A session notices that its campaign was reopened only when asked for its next message
        // (then it starts over): every node is asked before and after the deliveries, until the
        // asking finds nothing more to say.
        loop {
            for node in 0..self.nodes.len() {
                self.changed(node);
            }
            if self.links.iter().all(|l| l.queues.iter().all(VecDeque::is_empty)) {
                break;
            }
            while (0..self.links.len()).any(|link| self.deliver(link, 0, 0) | self.deliver(link, 1, 0)) {
                assert!(self.delivered - start < 10_000, "the network does not settle");
            }
        }
        for _ in 0..2 {
            for link in 0..self.links.len() {
                let [a, b] = self.links[link].ends;
                self.exchange_contacts(a, b);
                self.exchange_contacts(b, a);
            }
        }
        self.delivered - start
    }

    fn exchange_contacts(&mut self, from: usize, to: usize) {
        let offer = self.nodes[from].campaign.contacts_offer().unwrap();
        self.nodes[to].campaign.apply_contacts(&offer).unwrap();
    }

    /// Every fact id a node holds.
    pub fn fact_ids(&self, node: usize) -> BTreeSet<String> {
        self.nodes[node].campaign.facts().map(|f| f.id.clone()).collect()
    }
}

impl Node {
    /// A deterministic clock and ids, distinct per node and per restart.
    fn equip(&mut self) {
        self.campaign.set_clock(self.clock.clone());
        self.campaign.set_ids(Ids::seeded(self.seed ^ (self.restarts << 48)));
    }
}
