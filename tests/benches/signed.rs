//! What signing and the append-only check cost, on a large building (1,000 flats, 20,000 facts at
//! the group's base):
//!
//! - `receive_500`: a member's 500 new facts synced into the organiser's store (fresh sessions,
//!   the whole conversation): signed and checked (every signature verified before anything is
//!   applied) against the same 500 facts unsigned, before any group (the structural check only).
//! - `mark`: one `Campaign::mark` on the organiser's 20,000-fact store in the group (signed,
//!   with its sequence number) against the same store before the group.
//!
//! The stores live under cargo's target tmp dir, on a real disk. Under `cargo test --benches` the
//! campaign is smaller.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Local;
use criterion::{BatchSize, Criterion};
use obhod_store::{Campaign, MemberRecord, Membership, SyncSession};
use obhod_syncd::{GroupCa, member_serial};
use obhod_tests::{GeneratedFlat, SplitMix, copy_store, generate_building, random_mark};

const FLATS: usize = 1_000;
const FACTS: usize = 20_000;
const RECEIVED: usize = 500;

struct Pair {
    organiser: PathBuf,
    member: PathBuf,
}

struct Stores {
    dir: tempfile::TempDir,
    flats: Vec<GeneratedFlat>,
    unsigned: Pair,
    signed: Pair,
}

fn record(campaign: &mut Campaign, rng: &mut SplitMix, flats: &[GeneratedFlat], numbers: std::ops::Range<usize>) {
    let marks: Vec<_> = numbers.map(|n| random_mark(rng, flats, n)).collect();
    for batch in marks.chunks(100) {
        campaign.mark_all(batch.to_vec()).unwrap();
    }
}

fn admit(ca: &GroupCa, path: &Path, organiser: &Path, name: &str, is_organiser: bool) {
    let mut campaign = Campaign::open(path).unwrap();
    let member = ca.issue(campaign.device(), name).unwrap();
    campaign
        .set_membership(&Membership {
            group: "G".into(),
            group_name: "Дом".into(),
            device_name: name.into(),
            member_pem: member.to_pem(),
            ca_pem: is_organiser.then(|| ca.to_pem()),
        })
        .unwrap();
    let serial = hex::encode(member_serial(member.cert_der()).unwrap());
    let record = MemberRecord {
        organiser: is_organiser,
        ..MemberRecord::new(campaign.device(), name, &serial, member.cert_der(), Local::now().fixed_offset())
    };
    Campaign::open(organiser).unwrap().add_member(&record).unwrap();
}

/// Syncs `from` into `into` with fresh sessions until neither has anything to say.
fn sync(from: &mut Campaign, into: &mut Campaign) {
    let (mut sf, mut si) = (SyncSession::new(), SyncSession::new());
    loop {
        let m = sf.generate(from);
        if let Some(m) = &m {
            si.receive(into, m).unwrap();
        }
        let r = si.generate(into);
        if let Some(r) = &r {
            sf.receive(from, r).unwrap();
        }
        if m.is_none() && r.is_none() {
            return;
        }
    }
}

impl Stores {
    fn build(facts: usize) -> Stores {
        let mut rng = SplitMix::new(0x516);
        let (sources, flats) = generate_building(&mut rng, FLATS);
        let dir =
            tempfile::Builder::new().prefix("obhod-bench-signed-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let at = |name: &str| dir.path().join(name);
        let started = Instant::now();
        let mut organiser = Campaign::init(&at("o.db"), sources).unwrap();
        record(&mut organiser, &mut rng, &flats, 0..facts);
        organiser.compact().unwrap();
        let mut member = organiser.replica_to(&at("m.db")).unwrap();
        drop(organiser);
        // Before any group: the member's facts unsigned.
        copy_store(&at("o.db"), &at("o-unsigned.db"));
        copy_store(&at("m.db"), &at("m-unsigned.db"));
        let mut unsigned = Campaign::open(&at("m-unsigned.db")).unwrap();
        record(&mut unsigned, &mut rng, &flats, facts..facts + RECEIVED);
        drop((unsigned, member));
        // The group made over the same campaign: the member's facts signed.
        let ca = GroupCa::create("G").unwrap();
        admit(&ca, &at("o.db"), &at("o.db"), "ноутбук организатора", true);
        admit(&ca, &at("m.db"), &at("o.db"), "телефон", false);
        member = Campaign::open(&at("m.db")).unwrap();
        sync(&mut Campaign::open(&at("o.db")).unwrap(), &mut member);
        record(&mut member, &mut rng, &flats, facts..facts + RECEIVED);
        drop(member);
        eprintln!("setup: {} facts in {:.1} s", facts + RECEIVED, started.elapsed().as_secs_f64());
        Stores {
            flats,
            unsigned: Pair { organiser: at("o-unsigned.db"), member: at("m-unsigned.db") },
            signed: Pair { organiser: at("o.db"), member: at("m.db") },
            dir,
        }
    }

    fn copy(&self, from: &Path, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        let _ = std::fs::remove_file(&to);
        let _ = std::fs::remove_file(self.dir.path().join(format!("{name}-wal")));
        copy_store(from, &to);
        to
    }
}

fn bench_receive(c: &mut Criterion, stores: &Stores) {
    let mut group = c.benchmark_group(format!("receive_{RECEIVED}"));
    for (name, pair) in [("unsigned", &stores.unsigned), ("signed_and_checked", &stores.signed)] {
        let mut member = Campaign::open(&pair.member).unwrap();
        group.bench_function(name, |b| {
            b.iter_batched(
                || Campaign::open(&stores.copy(&pair.organiser, "into.db")).unwrap(),
                |mut into| {
                    sync(&mut member, &mut into);
                    assert!(into.facts().count() >= RECEIVED);
                    into
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

fn bench_mark(c: &mut Criterion, stores: &Stores) {
    let mut group = c.benchmark_group("mark");
    group.measurement_time(Duration::from_secs(3));
    for (name, pair) in [("before_group", &stores.unsigned), ("signed", &stores.signed)] {
        let mut campaign = Campaign::open(&stores.copy(&pair.organiser, &format!("mark-{name}.db"))).unwrap();
        let mut rng = SplitMix::new(0x3a4c);
        let mut n = FACTS + RECEIVED;
        group.bench_function(format!("{FACTS}_facts_{name}"), |b| {
            b.iter(|| {
                n += 1;
                campaign.mark(random_mark(&mut rng, &stores.flats, n)).unwrap()
            })
        });
    }
    group.finish();
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let stores = Stores::build(if benching { FACTS } else { 300 });
    bench_receive(&mut criterion, &stores);
    bench_mark(&mut criterion, &stores);
    criterion.final_summary();
}
