//! The store on a large building: 1,000 flats and 20,000 canvass facts.
//!
//! - `mark`: one `Campaign::mark`, fsynced (synchronous=FULL). Besides criterion's mean, the
//!   p50/p99/max of 2,000 marks timed one by one are printed (goal: p99 < 5 ms).
//! - `open_and_fold`: `Campaign::open`, the fold and the progress over every premise, as each
//!   command does it (goal: < 300 ms). On a compacted store; on one with 400 change rows after
//!   the snapshot (read, not compacted); and on one with 4,000 rows, which the open compacts.
//! - `integrity_check`: the `PRAGMA quick_check` every open makes (part of `open_and_fold`), alone
//!   on the compacted store.
//!
//! The stores live under cargo's target tmp dir, on the same disk as a real store would, not in
//! a tmpfs `/tmp` that would make the fsyncs free. Under `cargo test --benches` (criterion's test
//! mode) the campaign is smaller and the percentiles are skipped.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode};
use obhod_store::Campaign;
use obhod_tests::{
    GeneratedFlat, SplitMix, copy_store, generate_building, ms, percentile, random_mark, record_random_facts,
};

const FLATS: usize = 1_000;
const FACTS: usize = 20_000;
/// Change rows left after the snapshot in the store that the open has to compact (`COMPACT_ON_OPEN`
/// is 512, `COMPACT_WHILE_OPEN` 4096: this is about the most an open meets in practice).
const PENDING_COMPACTED_ON_OPEN: usize = 4_000;
/// Change rows left after the snapshot in the store that the open reads as they are.
const PENDING_READ: usize = 400;
/// Marks timed one by one for the percentiles.
const TIMED_MARKS: usize = 2_000;

/// The stores the benchmarks read, each with the same campaign.
struct Stores {
    dir: tempfile::TempDir,
    flats: Vec<GeneratedFlat>,
    /// `FACTS` facts, all in the snapshot.
    compacted: PathBuf,
    /// `FACTS` facts, the last `PENDING_COMPACTED_ON_OPEN` of them as change rows.
    pending_compacted_on_open: PathBuf,
    /// `FACTS + PENDING_READ` facts, the last `PENDING_READ` as change rows.
    pending_read: PathBuf,
}

impl Stores {
    fn build(facts: usize) -> Stores {
        let mut rng = SplitMix::new(0x0b40d);
        let (sources, flats) = generate_building(&mut rng, FLATS);
        let dir = tempfile::Builder::new().prefix("obhod-bench-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let work = dir.path().join("work.db");
        let started = Instant::now();
        let mut campaign = Campaign::init(&work, sources).unwrap();
        let snapshotted = facts.saturating_sub(PENDING_COMPACTED_ON_OPEN);
        record_random_facts(&mut campaign, &mut rng, &flats, 0..snapshotted).unwrap();
        campaign.compact().unwrap();
        record_random_facts(&mut campaign, &mut rng, &flats, snapshotted..facts).unwrap();
        assert_eq!(campaign.facts().count(), facts);
        drop(campaign);
        eprintln!("setup: {facts} marks recorded in {:.1} s", started.elapsed().as_secs_f64());

        let pending_compacted_on_open = dir.path().join("pending-compacted-on-open.db");
        copy_store(&work, &pending_compacted_on_open);
        let mut campaign = Campaign::open(&work).unwrap(); // over 512 rows: compacts
        campaign.compact().unwrap(); // in case the threshold ever moves
        assert_eq!(campaign.facts().count(), facts);
        drop(campaign);
        let compacted = dir.path().join("compacted.db");
        copy_store(&work, &compacted);

        let mut campaign = Campaign::open(&work).unwrap();
        record_random_facts(&mut campaign, &mut rng, &flats, facts..facts + PENDING_READ).unwrap();
        drop(campaign);
        let pending_read = dir.path().join("pending-read.db");
        copy_store(&work, &pending_read);
        std::fs::remove_file(&work).unwrap();

        for path in [&compacted, &pending_compacted_on_open, &pending_read] {
            let size = std::fs::metadata(path).unwrap().len();
            eprintln!("setup: {} is {:.1} MB", path.file_name().unwrap().to_string_lossy(), size as f64 / 1e6);
        }
        Stores { dir, flats, compacted, pending_compacted_on_open, pending_read }
    }

    /// A fresh copy of a store, to write to.
    fn copy(&self, from: &Path, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        copy_store(from, &to);
        to
    }
}

/// p50/p99/max of single marks on the 20,000-fact store, timed one by one; and the pause of the
/// compaction that every 4,096th mark of a long session pays.
fn mark_percentiles(stores: &Stores) {
    let path = stores.copy(&stores.compacted, "percentiles.db");
    let mut campaign = Campaign::open(&path).unwrap();
    let mut rng = SplitMix::new(0x9e7c);
    let mut times = Vec::with_capacity(TIMED_MARKS);
    for n in 0..TIMED_MARKS {
        let mark = random_mark(&mut rng, &stores.flats, FACTS + n);
        let started = Instant::now();
        campaign.mark(mark).unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    eprintln!(
        "mark ({TIMED_MARKS} single marks on {FACTS} facts, {FLATS} flats): mean {}  p50 {}  p90 {}  p99 {}  max {}",
        ms(mean),
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 90.0)),
        ms(percentile(&times, 99.0)),
        ms(times[times.len() - 1]),
    );
    let mut pauses = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        campaign.compact().unwrap();
        pauses.push(started.elapsed());
    }
    pauses.sort();
    eprintln!(
        "compact ({} facts; a mark pays it once every 4,096 rows of a long session): median of 3 {}",
        campaign.facts().count(),
        ms(pauses[1])
    );
    drop(campaign);
    std::fs::remove_file(&path).unwrap();
}

fn bench_mark(c: &mut Criterion, stores: &Stores) {
    let path = stores.copy(&stores.compacted, "mark.db");
    let mut campaign = Campaign::open(&path).unwrap();
    let mut rng = SplitMix::new(0x3a4c);
    let mut n = FACTS;
    // Every iteration adds a fact: a short measurement keeps the campaign near its 20,000 facts
    // (it still passes 4,096 rows, so the mean includes a compaction or two, as a session would).
    let mut group = c.benchmark_group("mark");
    group.measurement_time(Duration::from_secs(2));
    group.bench_function(format!("{FACTS}_facts"), |b| {
        b.iter(|| {
            n += 1;
            campaign.mark(random_mark(&mut rng, &stores.flats, n)).unwrap()
        })
    });
    group.finish();
    drop(campaign);
    std::fs::remove_file(&path).unwrap();
}

/// What every command does first.
fn open_and_fold(path: &Path) -> obhod_core::Progress {
    let campaign = Campaign::open(path).unwrap();
    let canvass = campaign.canvass();
    canvass.progress(campaign.weights(), |_| true)
}

fn bench_open(c: &mut Criterion, stores: &Stores) {
    let mut group = c.benchmark_group("open_and_fold");
    group.sampling_mode(SamplingMode::Flat); // tens to hundreds of ms per run: no linear ramp
    group.bench_function("compacted", |b| b.iter(|| black_box(open_and_fold(&stores.compacted))));
    group.bench_function(format!("{PENDING_READ}_rows_after_snapshot"), |b| {
        b.iter(|| black_box(open_and_fold(&stores.pending_read)))
    });
    // The open writes (it compacts), so each run gets a fresh copy, made outside the timing.
    let mut copies = 0;
    group.bench_function(format!("{PENDING_COMPACTED_ON_OPEN}_rows_compacted_by_open"), |b| {
        b.iter_batched(
            || {
                copies += 1;
                let path = stores.copy(&stores.pending_compacted_on_open, &format!("open-{copies}.db"));
                tempfile::TempPath::try_from_path(path).unwrap()
            },
            // Criterion drops what the routine returns outside the timing: the copy is deleted then.
            |path| (open_and_fold(&path), path),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// The look at every page that `Campaign::open` makes before reading anything, on a connection
/// just opened (as every command's is: nothing in SQLite's page cache), against the open alone.
fn bench_integrity_check(c: &mut Criterion, stores: &Stores) {
    let mut group = c.benchmark_group("integrity_check");
    let open = || rusqlite::Connection::open(&stores.compacted).unwrap();
    let count = |conn: &rusqlite::Connection| {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0)).unwrap()
    };
    group.bench_function("open_only", |b| b.iter(|| black_box(count(&open()))));
    group.bench_function("open_and_quick_check", |b| {
        b.iter(|| {
            let conn = open();
            let verdict: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0)).unwrap();
            assert_eq!(verdict, "ok");
            black_box(count(&conn))
        })
    });
    group.finish();
}

fn main() {
    // `cargo bench` passes `--bench`; without it criterion runs each benchmark once as a test.
    let benching = std::env::args().any(|a| a == "--bench");
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let stores = Stores::build(if benching { FACTS } else { 600 });
    if benching {
        mark_percentiles(&stores);
    }
    bench_mark(&mut criterion, &stores);
    bench_open(&mut criterion, &stores);
    bench_integrity_check(&mut criterion, &stores);
    criterion.final_summary();
}
