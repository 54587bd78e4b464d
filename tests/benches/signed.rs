//! What signing and the append-only check cost, on a large building (1,000 flats, 20,000 facts,
//! signed in a group made before the canvass began):
//!
//! - `receive_500`: a member's 500 new facts synced into the organiser's store (fresh sessions,
//!   the whole conversation): signed and checked (every signature verified before anything is
//!   applied) against the same 500 facts unsigned, before any group (the structural check only).
//! - `mark`: one `Campaign::mark` on the organiser's 20,000-fact store in the group (signed,
//!   with its sequence number) against the same campaign with no group.
//! - `open_and_fold`: what every command does first, on 20,000 signed facts whose signatures an
//!   earlier run verified (the `verified` row), on the same store without that row (every
//!   signature verified), and with no group.
//!
//! The stores live under cargo's target tmp dir, on a real disk. Under `cargo test --benches` the
//! campaign is smaller.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion};
use obhod_store::{Campaign, SyncSession};
use obhod_syncd::GroupCa;
use obhod_tests::{GeneratedFlat, SplitMix, copy_store, generate_building, make_member, random_mark};

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
    /// The signed organiser's store without its `verified` row.
    unverified: PathBuf,
}

fn record(campaign: &mut Campaign, rng: &mut SplitMix, flats: &[GeneratedFlat], numbers: std::ops::Range<usize>) {
    let marks: Vec<_> = numbers.map(|n| random_mark(rng, flats, n)).collect();
    for batch in marks.chunks(100) {
        campaign.mark_all(batch.to_vec()).unwrap();
    }
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
        // The campaign without a group: nothing signed.
        let mut organiser = Campaign::init(&at("o-unsigned.db"), sources.clone()).unwrap();
        record(&mut organiser, &mut SplitMix::new(1), &flats, 0..facts);
        organiser.compact().unwrap();
        let mut member = organiser.replica_to(&at("m-unsigned.db")).unwrap();
        record(&mut member, &mut SplitMix::new(2), &flats, facts..facts + RECEIVED);
        drop((organiser, member));
        // The same canvass in a group made before it began: every fact signed.
        let ca = GroupCa::create("G").unwrap();
        let organiser = Campaign::init(&at("o.db"), sources).unwrap();
        drop(organiser.replica_to(&at("m.db")).unwrap());
        drop(organiser);
        make_member(&ca, &mut Campaign::open(&at("o.db")).unwrap(), "ноутбук организатора", None);
        make_member(&ca, &mut Campaign::open(&at("m.db")).unwrap(), "телефон", Some(&at("o.db")));
        let mut organiser = Campaign::open(&at("o.db")).unwrap();
        record(&mut organiser, &mut SplitMix::new(1), &flats, 0..facts);
        organiser.compact().unwrap();
        let mut member = Campaign::open(&at("m.db")).unwrap();
        sync(&mut organiser, &mut member);
        record(&mut member, &mut SplitMix::new(2), &flats, facts..facts + RECEIVED);
        drop((organiser, member));
        // A store with no `verified` row: every signature verified on open.
        copy_store(&at("o.db"), &at("o-unverified.db"));
        let conn = rusqlite::Connection::open(at("o-unverified.db")).unwrap();
        conn.execute("DELETE FROM verified", []).unwrap();
        drop(conn);
        for path in [at("o.db"), at("o-unverified.db")] {
            let campaign = Campaign::open(&path).unwrap();
            assert_eq!(
                (campaign.facts().count(), campaign.refused_facts().len()),
                (facts, 0),
                "every signed fact counts"
            );
        }
        eprintln!("setup: 2 × {} facts in {:.1} s", facts + RECEIVED, started.elapsed().as_secs_f64());
        let _ = &mut rng;
        Stores {
            flats,
            unsigned: Pair { organiser: at("o-unsigned.db"), member: at("m-unsigned.db") },
            signed: Pair { organiser: at("o.db"), member: at("m.db") },
            unverified: at("o-unverified.db"),
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

/// What every command does first.
fn open_and_fold(path: &Path) -> usize {
    let campaign = Campaign::open(path).unwrap();
    campaign.canvass().premises.len() + campaign.facts().count()
}

fn bench_open(c: &mut Criterion, stores: &Stores) {
    let mut group = c.benchmark_group(format!("open_and_fold_{FACTS}"));
    group.bench_function("unsigned", |b| b.iter(|| open_and_fold(&stores.unsigned.organiser)));
    group.bench_function("signed_verified_before", |b| b.iter(|| open_and_fold(&stores.signed.organiser)));
    group.bench_function("signed_nothing_verified_before", |b| {
        b.iter_batched(
            || stores.copy(&stores.unverified, "unverified-copy.db"),
            |path| open_and_fold(&path),
            BatchSize::PerIteration,
        )
    });
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
    bench_open(&mut criterion, &stores);
    criterion.final_summary();
}
