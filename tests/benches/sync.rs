//! Sync over QUIC on 127.0.0.1 (a bench binary, not a timed test; run with `cargo bench -p
//! obhod-tests --bench sync`):
//!
//! - ten peers, each with 500 new facts on a 1,000-flat building, converge through one hub by
//!   `sync_once` rounds: time to convergence, round trips, bytes on the wire against the size of
//!   the new changes themselves (goals: < 5 s, bytes ≤ 1.5× the changes);
//! - a new device's first sync, joining a 20,000-fact campaign by invite (goal: < 2 s).
//!
//! Under `cargo test --benches` the campaigns are small. The stores live under cargo's target tmp
//! dir, so that fsyncs cost what they cost on a disk.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use chrono::Local;
use obhod_store::{Campaign, MemberRecord, Membership};
use obhod_syncd::cert::{GroupCa, member_serial};
use obhod_syncd::invite::Invite;
use obhod_syncd::join::{self, inviting_endpoint, token_hash};
use obhod_syncd::{Identity, net, sync_once};
use obhod_tests::{SplitMix, generate_building, ms, record_random_facts};

const FLATS: usize = 1_000;

fn quick() -> bool {
    std::env::args().any(|a| a == "--test")
}

fn admit(ca: &GroupCa, organiser: &Path, path: &Path, name: &str, is_organiser: bool) {
    let mut campaign = Campaign::open(path).unwrap();
    let member = ca.issue(campaign.device(), name).unwrap();
    let membership = Membership {
        group: "G".into(),
        group_name: "Дом".into(),
        device_name: name.into(),
        member_pem: member.to_pem(),
        ca_pem: is_organiser.then(|| ca.to_pem()),
    };
    campaign.set_membership(&membership).unwrap();
    let record = MemberRecord {
        device: campaign.device().into(),
        name: name.into(),
        serial: hex::encode(member_serial(member.cert_der()).unwrap()),
        added: Local::now().fixed_offset(),
        revoked: None,
    };
    Campaign::open(organiser).unwrap().add_member(&record).unwrap();
}

/// Ten peers with `each` new facts converge through peer 0, which runs a daemon.
async fn ten_peers(dir: &Path, each: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = SplitMix::new(9);
    let (sources, flats) = generate_building(&mut rng, FLATS);
    let ca = GroupCa::create("G").unwrap();
    let hub = dir.join("p0.db");
    let first = Campaign::init(&hub, sources).unwrap();
    let paths: Vec<_> = (0..10).map(|i| dir.join(format!("p{i}.db"))).collect();
    for path in &paths[1..] {
        first.replica_to(path).unwrap();
    }
    drop(first);
    let genesis = Campaign::open(&hub).unwrap().document().len();
    for (i, path) in paths.iter().enumerate() {
        admit(&ca, &hub, path, &format!("peer {i}"), i == 0);
        record_random_facts(&mut Campaign::open(path).unwrap(), &mut rng, &flats, i * each..(i + 1) * each).unwrap();
    }
    let changes = changes_bytes(&paths) - genesis as u64;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let options = obhod_syncd::daemon::Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        peers: vec![],
        store: hub.clone(),
        live: obhod_syncd::Live::default(),
        mdns: false,
    };
    let daemon = obhod_syncd::daemon::Daemon::bind(options, stopped).unwrap();
    let addr = daemon.local_addr().unwrap();
    let running = tokio::spawn(daemon.run());
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let start = Instant::now();
    let (mut trips, mut bytes) = (0, 0);
    // The first pass brings every peer's facts to the hub, the second brings them all back.
    for _ in 0..2 {
        for path in &paths[1..] {
            let mut campaign = Campaign::open(path).unwrap();
            let identity = Identity::of(&campaign).unwrap();
            let round = sync_once(&endpoint, addr, &identity, &mut campaign).await.unwrap().round;
            trips += round.messages_sent.max(round.messages_received) + 1;
            bytes += round.bytes_sent + round.bytes_received;
        }
    }
    let took = start.elapsed();
    let counts: Vec<usize> = paths.iter().map(|p| Campaign::open(p).unwrap().facts().count()).collect();
    assert!(counts.iter().all(|&n| n == 10 * each), "not converged: {counts:?}");
    println!(
        "ten peers × {each} facts: converged in {} ms, {trips} round trips, {bytes} bytes on the wire for {changes} bytes of changes ({:.2}×)",
        ms(took),
        bytes as f64 / changes as f64,
    );
    stop.send_replace(true);
    running.await.unwrap().unwrap();
}

/// The raw bytes of every change any of the stores holds, each once.
fn changes_bytes(paths: &[std::path::PathBuf]) -> u64 {
    let mut doc = automerge::Automerge::new();
    for path in paths {
        doc.merge(&mut automerge::Automerge::load(&Campaign::open(path).unwrap().document()).unwrap()).unwrap();
    }
    doc.get_changes(&[]).iter().map(|c| c.raw_bytes().len() as u64).sum()
}

/// A new device joins a campaign of `facts` facts by invite: its first sync.
async fn first_sync(dir: &Path, facts: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = SplitMix::new(7);
    let (sources, flats) = generate_building(&mut rng, FLATS);
    let ca = GroupCa::create("G").unwrap();
    let organiser = dir.join("organiser.db");
    let mut campaign = Campaign::init(&organiser, sources).unwrap();
    record_random_facts(&mut campaign, &mut rng, &flats, 0..facts).unwrap();
    drop(campaign);
    admit(&ca, &organiser, &organiser, "organiser", true);
    let mut campaign = Campaign::open(&organiser).unwrap();
    let identity = Identity::of(&campaign).unwrap();
    let endpoint = inviting_endpoint("127.0.0.1:0".parse().unwrap(), &identity).unwrap();
    let addr = endpoint.local_addr().unwrap();
    let invite = Invite::new("G", ca.fingerprint(), vec![addr], Duration::from_secs(600), SystemTime::now()).unwrap();
    campaign
        .add_invite(token_hash(&invite.token), Local::now().fixed_offset() + chrono::Duration::minutes(10))
        .unwrap();
    let store = organiser.clone();
    let inviter = tokio::spawn(async move { join::admit(&endpoint, &store, invite.token).await });
    let start = Instant::now();
    let joined = join::join(&invite, &[], &dir.join("new.db"), "new phone").await.unwrap();
    let took = start.elapsed();
    inviter.await.unwrap().unwrap();
    assert_eq!(joined.facts().count(), facts);
    println!(
        "first sync (join) of a {facts}-fact campaign: {} ms, {} bytes of document",
        ms(took),
        campaign.document().len()
    );
}

fn main() {
    let quick = quick();
    let target = std::env::var_os("CARGO_TARGET_TMPDIR").map_or_else(std::env::temp_dir, Into::into);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir_in(target).unwrap();
    runtime.block_on(ten_peers(&dir.path().join("ten"), if quick { 5 } else { 500 }));
    runtime.block_on(first_sync(&dir.path().join("join"), if quick { 50 } else { 20_000 }));
}
