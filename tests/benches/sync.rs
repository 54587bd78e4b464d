//! The evening merge over QUIC on 127.0.0.1 (a plain bench binary that prints a table):
//!
//! - ten devices: the organiser's laptop runs the daemon, nine phones sync with it at once, twice;
//!   each of the ten made 500 facts of its own on a campaign of 20,000 facts. Time to convergence,
//!   sync messages, and bytes on the wire (UDP, both ways) against the raw bytes of the new changes.
//! - a new device's first sync of the 20,000 facts: by invite (join) and by a plain sync of a replica
//!   that has none. Time and bytes.
//!
//! Every replica ends with the same facts and heads (asserted). Under `cargo test --benches` the
//! campaign and the peers are smaller.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use automerge::{Automerge, ChangeHash};
use chrono::Local;
use obhod_store::{Campaign, SyncSession};
use obhod_syncd::cert::GroupCa;
use obhod_syncd::daemon::{Daemon, Options};
use obhod_syncd::invite::Invite;
use obhod_syncd::join::{admit, inviting_endpoint, join, token_hash};
use obhod_syncd::link::{DONE, dial};
use obhod_syncd::{Identity, Live, Role, greet, net, round};
use obhod_tests::{SplitMix, generate_building, record_random_facts};
use tokio::net::UdpSocket;
use tokio::sync::watch;

const FLATS: usize = 1_000;

struct Sizes {
    facts: usize,
    peers: usize,
    per_peer: usize,
}

fn sizes() -> Sizes {
    if std::env::args().any(|arg| arg == "--bench") {
        Sizes { facts: 20_000, peers: 10, per_peer: 500 }
    } else {
        Sizes { facts: 200, peers: 3, per_peer: 20 }
    }
}

fn local() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// The group's authority and the stores: the organiser's with the campaign's facts, and a replica
/// of its facts-less genesis.
struct Setup {
    dir: tempfile::TempDir,
    ca: GroupCa,
    organiser: PathBuf,
    empty: PathBuf,
    rng: SplitMix,
    flats: Vec<obhod_tests::GeneratedFlat>,
}

impl Setup {
    fn build(facts: usize) -> Setup {
        let mut rng = SplitMix::new(0x5_1c);
        let (sources, flats) = generate_building(&mut rng, FLATS);
        let dir = tempfile::Builder::new().prefix("obhod-bench-sync-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let organiser = dir.path().join("organiser.db");
        let empty = dir.path().join("empty.db");
        let started = Instant::now();
        let mut campaign = Campaign::init(&organiser, sources).unwrap();
        drop(campaign.replica_to(&empty).unwrap());
        record_random_facts(&mut campaign, &mut rng, &flats, 0..facts).unwrap();
        drop(campaign);
        eprintln!("setup: {facts} marks recorded in {:.1} s", started.elapsed().as_secs_f64());
        let setup = Setup { dir, ca: GroupCa::create("G").unwrap(), organiser, empty, rng, flats };
        setup.admit(&setup.organiser, "ноутбук организатора", true);
        setup.admit(&setup.empty, "новый телефон", false);
        setup
    }

    /// Makes the store at `path` a member, recorded on the organiser's device.
    fn admit(&self, path: &Path, name: &str, organiser: bool) {
        let organiser = (!organiser).then_some(self.organiser.as_path());
        obhod_tests::make_member(&self.ca, &mut Campaign::open(path).unwrap(), name, organiser);
    }
}

/// A daemon on 127.0.0.1 over a store, stopped when dropped.
struct Running {
    addr: SocketAddr,
    _stop: watch::Sender<bool>,
}

fn start_daemon(store: &Path) -> Running {
    let (stop, stopped) = watch::channel(false);
    let options = Options {
        listen: local(),
        peers: vec![],
        store: store.into(),
        live: Live { poll: Duration::from_millis(50) },
        mdns: false,
        authority: None,
    };
    let daemon = Daemon::bind(options, stopped).unwrap();
    let addr = daemon.local_addr().unwrap();
    tokio::spawn(daemon.run());
    Running { addr, _stop: stop }
}

/// What one connection carried.
#[derive(Debug, Default, Clone, Copy)]
struct Exchange {
    /// Sync messages, both ways.
    messages: usize,
    /// UDP payload bytes, both ways (QUIC and TLS included).
    wire: u64,
    /// Framed protocol bytes, both ways (hellos, sync messages, contacts).
    framed: u64,
    /// UDP datagrams, both ways.
    datagrams: u64,
    /// Path MTU probes the dialling side sent (the other side sends about as many).
    probes: u64,
    /// When the last round ended (before the connection's close and drain).
    ended: Option<Instant>,
}

impl std::ops::AddAssign for Exchange {
    fn add_assign(&mut self, other: Exchange) {
        self.messages += other.messages;
        self.wire += other.wire;
        self.framed += other.framed;
        self.datagrams += other.datagrams;
        self.probes += other.probes;
        self.ended = self.ended.max(other.ended);
    }
}

/// One round of the device at `path` with the peer at `to`, as `obhod sync` does it.
async fn sync_with(path: PathBuf, to: SocketAddr) -> Exchange {
    let mut campaign = Campaign::open(&path).unwrap();
    let identity = Identity::of(&campaign).unwrap();
    let endpoint = net::endpoint(local(), None).unwrap();
    let connection = dial(&endpoint, to, &identity).await.unwrap();
    let (mut channel, _) = greet(&connection, &identity, campaign.id(), Role::Dialer).await.unwrap();
    let done = round(&mut channel, &mut campaign, &mut SyncSession::new(), Role::Dialer, None).await.unwrap();
    let ended = Some(Instant::now());
    connection.close(DONE.into(), b"done");
    endpoint.wait_idle().await;
    let stats = connection.stats();
    let (sent, received) = channel.bytes();
    Exchange {
        messages: done.messages_sent + done.messages_received,
        wire: stats.udp_tx.bytes + stats.udp_rx.bytes,
        framed: sent + received,
        datagrams: stats.udp_tx.datagrams + stats.udp_rx.datagrams,
        probes: stats.path.sent_plpmtud_probes,
        ended,
    }
}

/// A round with nothing new: the device at `path` and the peer at `to` hold the same changes.
/// Returns the time to open the campaign, then to dial, greet and end the round, and the sync
/// messages it took.
async fn nothing_new(path: PathBuf, to: SocketAddr) -> (Duration, Duration, usize) {
    let started = Instant::now();
    let mut campaign = Campaign::open(&path).unwrap();
    let opened = started.elapsed();
    let heads = campaign.heads();
    let identity = Identity::of(&campaign).unwrap();
    let endpoint = net::endpoint(local(), None).unwrap();
    let started = Instant::now();
    let connection = dial(&endpoint, to, &identity).await.unwrap();
    let (mut channel, _) = greet(&connection, &identity, campaign.id(), Role::Dialer).await.unwrap();
    let done = round(&mut channel, &mut campaign, &mut SyncSession::new(), Role::Dialer, None).await.unwrap();
    let took = started.elapsed();
    connection.close(DONE.into(), b"done");
    endpoint.wait_idle().await;
    assert_eq!(campaign.heads(), heads, "nothing was new");
    (opened, took, done.messages_sent + done.messages_received)
}

/// Every device at once, each one round with `to`.
async fn all_sync_with(paths: &[PathBuf], to: SocketAddr) -> Exchange {
    let tasks: Vec<_> = paths.iter().map(|path| tokio::spawn(sync_with(path.clone(), to))).collect();
    let mut total = Exchange::default();
    for task in tasks {
        total += task.await.unwrap();
    }
    total
}

/// The store's document, from its snapshot and change rows.
fn document(path: &Path) -> Automerge {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut doc = Automerge::new();
    for sql in ["SELECT data FROM snapshot", "SELECT data FROM change"] {
        let mut select = conn.prepare(sql).unwrap();
        for blob in select.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            doc.load_incremental(&blob.unwrap()).unwrap();
        }
    }
    doc
}

/// The raw bytes of the changes of the store at `path` that are not under `since`.
fn change_bytes(path: &Path, since: &[ChangeHash]) -> (usize, u64) {
    let doc = document(path);
    let changes = doc.get_changes(since);
    (changes.len(), changes.iter().map(|c| c.raw_bytes().len() as u64).sum())
}

fn facts_and_heads(path: &Path) -> (BTreeSet<String>, Vec<ChangeHash>) {
    let campaign = Campaign::open(path).unwrap();
    let mut heads = campaign.heads();
    heads.sort();
    (campaign.facts().map(|f| f.id.clone()).collect(), heads)
}

fn assert_identical(paths: &[PathBuf]) {
    let first = facts_and_heads(&paths[0]);
    for path in &paths[1..] {
        assert!(facts_and_heads(path) == first, "{} differs from {}", path.display(), paths[0].display());
    }
}

/// Nine phones (replicas of the organiser's store) and the organiser's laptop, each with its own new facts.
fn make_peers(setup: &mut Setup, sizes: &Sizes, earlier: usize) -> (Vec<PathBuf>, Vec<ChangeHash>) {
    let mut paths = vec![setup.organiser.clone()];
    for i in 1..sizes.peers {
        let path = setup.dir.path().join(format!("phone{i}.db"));
        drop(Campaign::open(&setup.organiser).unwrap().replica_to(&path).unwrap());
        paths.push(path);
    }
    let base = Campaign::open(&setup.organiser).unwrap().heads();
    for (i, path) in paths.iter().enumerate().skip(1) {
        setup.admit(path, &format!("телефон {i}"), false);
    }
    let started = Instant::now();
    for (i, path) in paths.iter().enumerate() {
        let mut campaign = Campaign::open(path).unwrap();
        let numbers = earlier + i * sizes.per_peer..earlier + (i + 1) * sizes.per_peer;
        record_random_facts(&mut campaign, &mut setup.rng, &setup.flats, numbers).unwrap();
    }
    eprintln!("setup: {} peers × {} marks in {:.1} s", sizes.peers, sizes.per_peer, started.elapsed().as_secs_f64());
    (paths, base)
}

fn row(what: &str, figure: String, goal: &str) {
    println!("{what:<48} {figure:>22}   {goal}");
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT MET" }
}

/// Every device records `sizes.per_peer` facts on top of a campaign holding `earlier` facts, then
/// the phones sync with the laptop's daemon, all at once, twice.
async fn ten_peers(setup: &mut Setup, sizes: &Sizes, earlier: usize) {
    let (paths, base) = make_peers(setup, sizes, earlier);
    let before: Vec<_> = paths.iter().map(|path| Campaign::open(path).unwrap().heads()).collect();
    let laptop = start_daemon(&setup.organiser);
    let started = Instant::now();
    let cpu_before = cpu_time();
    let mut total = all_sync_with(&paths[1..], laptop.addr).await;
    total += all_sync_with(&paths[1..], laptop.addr).await;
    let took = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    let converged = total.ended.unwrap() - started;
    assert_identical(&paths);
    let (count, changes) = change_bytes(&setup.organiser, &base);
    let delivered: u64 = paths.iter().zip(&before).map(|(path, heads)| change_bytes(path, heads).1).sum();
    assert_eq!(facts_and_heads(&paths[0]).0.len(), earlier + sizes.peers * sizes.per_peer);
    let ratio = total.wire as f64 / delivered as f64;
    let of = |bytes: u64| {
        format!("{} ({:.2}× / {:.2}×)", kib(bytes), bytes as f64 / changes as f64, bytes as f64 / delivered as f64)
    };
    println!(
        "\n{} peers × {} new facts on a campaign of {earlier} earlier facts, two rounds of every phone with the laptop:",
        sizes.peers, sizes.per_peer
    );
    let goal = format!("goal < 5 s: {}", verdict(converged < Duration::from_secs(5)));
    row("time to convergence (the last round's end)", format!("{:.0} ms", converged.as_secs_f64() * 1e3), &goal);
    row("  … and every connection closed", format!("{:.0} ms", took.as_secs_f64() * 1e3), "");
    row("  … CPU time of the ten devices meanwhile", format!("{:.0} ms", cpu.as_secs_f64() * 1e3), "");
    row("connections", format!("{}", 2 * (sizes.peers - 1)), "");
    row("sync messages exchanged", format!("{}", total.messages), "");
    row(&format!("new changes ({count}), raw bytes, each once"), kib(changes), "");
    row("  … as delivered to every device that lacked them", kib(delivered), "");
    println!("ratios below: to the changes once / as delivered");
    row("framed protocol bytes (both ways)", of(total.framed), "");
    let goal = format!("goal ≤ 1.5× delivered: {}", verdict(ratio <= 1.5));
    row("bytes on the wire (UDP, both ways)", of(total.wire), &goal);
    row("UDP datagrams (both ways)", format!("{}", total.datagrams), "");
    row("path MTU probes sent by the dialling side", format!("{}", total.probes), "");
    let (opened, took, messages) = nothing_new(paths[1].clone(), laptop.addr).await;
    let goal = format!("goal < 200 ms: {}", verdict(took < Duration::from_millis(200)));
    row("a round with nothing new: dial, greet, round", format!("{:.0} ms", took.as_secs_f64() * 1e3), &goal);
    row("  … the phone's open before it", format!("{:.0} ms", opened.as_secs_f64() * 1e3), "");
    row("  … sync messages exchanged", format!("{messages}"), "");
}

/// The CPU time this process has used (user and system, every thread), from /proc: a figure of
/// the work done that another load on the machine does not inflate the way it does wall time.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |n: usize| fields.get(n).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; clock ticks of
    // 1/100 s on Linux.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// A UDP relay on 127.0.0.1 to `upstream` that counts the bytes it carries both ways. Each sender
/// gets a socket of its own upstream, as through a NAT: the dialling side's probes for a closed
/// port come from another socket, and a relay that answered the last sender sent the inviter's
/// replies to the probe (the join then waited a second for QUIC to send again).
async fn relay(upstream: SocketAddr) -> (SocketAddr, Arc<AtomicU64>) {
    let front = Arc::new(UdpSocket::bind(local()).await.unwrap());
    let addr = front.local_addr().unwrap();
    let bytes = Arc::new(AtomicU64::new(0));
    let counted = bytes.clone();
    tokio::spawn(async move {
        let mut up = vec![0; 65_536];
        let mut backs: std::collections::HashMap<SocketAddr, Arc<UdpSocket>> = std::collections::HashMap::new();
        while let Ok((n, from)) = front.recv_from(&mut up).await {
            counted.fetch_add(n as u64, Ordering::Relaxed);
            let back = match backs.get(&from) {
                Some(back) => back.clone(),
                None => {
                    let back = Arc::new(UdpSocket::bind(local()).await.unwrap());
                    back.connect(upstream).await.unwrap();
                    let (front, back_rx, counted) = (front.clone(), back.clone(), counted.clone());
                    tokio::spawn(async move {
                        let mut down = vec![0; 65_536];
                        while let Ok(n) = back_rx.recv(&mut down).await {
                            counted.fetch_add(n as u64, Ordering::Relaxed);
                            let _ = front.send_to(&down[..n], from).await;
                        }
                    });
                    backs.insert(from, back.clone());
                    back
                }
            };
            let _ = back.send(&up[..n]).await;
        }
    });
    (addr, bytes)
}

/// A new device joins by invite through a counting relay: the time and the bytes of the join.
async fn join_by_invite(setup: &Setup) -> (Duration, u64, PathBuf) {
    let mut organiser = Campaign::open(&setup.organiser).unwrap();
    let identity = Identity::of(&organiser).unwrap();
    let endpoint = inviting_endpoint(local(), &identity).unwrap();
    let (addr, bytes) = relay(endpoint.local_addr().unwrap()).await;
    let invite =
        Invite::new("G", setup.ca.fingerprint(), vec![addr], Duration::from_secs(600), SystemTime::now()).unwrap();
    organiser
        .add_invite(token_hash(&invite.token), Local::now().fixed_offset() + chrono::Duration::minutes(10))
        .unwrap();
    let store = setup.organiser.clone();
    let token = invite.token;
    let inviter = tokio::spawn(async move { admit(&endpoint, &store, token).await });
    let path = setup.dir.path().join("joined.db");
    let started = Instant::now();
    drop(join(&invite, &[], &path, "телефон по приглашению").await.unwrap());
    let took = started.elapsed();
    inviter.await.unwrap().unwrap();
    (took, bytes.load(Ordering::Relaxed), path)
}

async fn first_sync(setup: &Setup) {
    let genesis = Campaign::open(&setup.empty).unwrap().heads();
    let (count, changes) = change_bytes(&setup.organiser, &genesis);
    let saved = document(&setup.organiser).save().len() as u64;
    let (joined, join_bytes, joined_path) = join_by_invite(setup).await;
    let laptop = start_daemon(&setup.organiser);
    let started = Instant::now();
    let plain = sync_with(setup.empty.clone(), laptop.addr).await;
    let (synced, closed) = (plain.ended.unwrap() - started, started.elapsed());
    let facts = |path: &Path| facts_and_heads(path).0;
    assert_eq!(facts(&joined_path), facts(&setup.organiser), "the joined device holds every fact");
    assert_eq!(facts(&setup.empty), facts(&setup.organiser), "the synced device holds every fact");
    let under = |d: Duration| format!("goal < 2 s: {}", verdict(d < Duration::from_secs(2)));
    let ratio = |bytes: u64| format!("{} ({:.2}×)", kib(bytes), bytes as f64 / changes as f64);
    println!("\na new device's first sync of {} facts:", facts(&setup.organiser).len());
    row(&format!("the campaign's changes ({count}), raw bytes"), kib(changes), "");
    row("the campaign's document, saved (compressed)", kib(saved), "");
    row("by invite (join): time", format!("{:.0} ms", joined.as_secs_f64() * 1e3), &under(joined));
    row("by invite (join): bytes on the wire", ratio(join_bytes), "");
    row("plain sync of an empty replica: time", format!("{:.0} ms", synced.as_secs_f64() * 1e3), &under(synced));
    row("  … and the connection closed", format!("{:.0} ms", closed.as_secs_f64() * 1e3), "");
    row("plain sync: sync messages exchanged", format!("{}", plain.messages), "");
    row("plain sync: framed protocol bytes", ratio(plain.framed), "");
    row("plain sync: bytes on the wire", ratio(plain.wire), "");
    row("plain sync: UDP datagrams; MTU probes of the dialler", format!("{}; {}", plain.datagrams, plain.probes), "");
}

fn main() {
    let sizes = sizes();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut setup = Setup::build(sizes.facts);
    runtime.block_on(first_sync(&setup));
    // Ten devices' work on this one machine's two cores: the goal's scenario (a campaign whose
    // devices start from the same state and each record 500 facts), then the same on top of a
    // campaign of 20,000 earlier facts that every device opens and holds.
    let mut fresh = Setup::build(0);
    runtime.block_on(ten_peers(&mut fresh, &sizes, 0));
    runtime.block_on(ten_peers(&mut setup, &sizes, sizes.facts));
}
