//! The store on a large building: 1,000 flats and 20,000 canvass facts.
//!
//! - `mark`: one `Campaign::mark`, fsynced (synchronous=FULL). Besides criterion's mean, the
//!   p50/p99/max of 2,000 marks timed one by one are printed (goal: p99 < 5 ms).
//! - `open_and_fold`: `Campaign::open`, the fold and the progress over every premise, as each
//!   command does it (goal: < 300 ms). On a compacted store; on one with 400 change rows after
//!   the snapshot (read, not compacted); and on one with 4,000 rows, which the open compacts.
//!
//! The stores live under cargo's target tmp dir, on the same disk as a real store would, not in
//! a tmpfs `/tmp` that would make the fsyncs free. Under `cargo test --benches` (criterion's test
//! mode) the campaign is smaller and the percentiles are skipped.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode};
use obhod_core::Outcome;
use obhod_store::{Campaign, Mark, Sources};

const FLATS: usize = 1_000;
const FACTS: usize = 20_000;
/// Change rows left after the snapshot in the store that the open has to compact (`COMPACT_ON_OPEN`
/// is 512, `COMPACT_WHILE_OPEN` 4096: this is about the most an open meets in practice).
const PENDING_COMPACTED_ON_OPEN: usize = 4_000;
/// Change rows left after the snapshot in the store that the open reads as they are.
const PENDING_READ: usize = 400;
/// Marks timed one by one for the percentiles.
const TIMED_MARKS: usize = 2_000;

/// A small deterministic generator (splitmix64): the bench needs no `rand`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Flat {
    label: String,
    owners: Vec<String>,
}

const MEETING: &str = r#"
[building]
address = "г. Примерск, ул. Длинная, д. 100"
postcode = "644000"
registry = "registry.csv"

[meeting]
kind = "extraordinary"
form = "in_person_and_absentee"
date = 2026-12-10
time = "19:00"
place = "во дворе дома, у подъезда 1"
voting_ends = 2026-12-20
ballots_to = "кв. 1 (почтовый ящик)"
initiator = "Собственник 1-1, собственник кв. 1"
chair = "Собственник 1-1"
secretary = "Собственник 2-1"
counting_commission = ["Собственник 3-1"]
protocol_number = ""
storage = "кв. 1"

[[question]]
text = "Избрание председателя и секретаря общего собрания"
proposal = "Избрать председателем собрания собственника кв. 1, секретарём собственника кв. 2"
item = "other"

[[question]]
text = "Выбор способа управления домом"
proposal = "Выбрать способ управления — управление управляющей организацией"
item = "4"

[[question]]
text = "Капитальный ремонт крыши"
proposal = "Провести капитальный ремонт крыши в 2027 году за счёт фонда капитального ремонта"
item = "1"
"#;

/// 1,000 flats in 10 entrances of 10 floors, one to three owners each with shares summing to 1.
fn building(rng: &mut Rng) -> (Sources, Vec<Flat>) {
    let mut csv = String::from("premise,kind,area,entrance,floor,owner,share\n");
    let mut flats = Vec::with_capacity(FLATS);
    for i in 0..FLATS {
        let label = (i + 1).to_string();
        let area = format!("{}.{}", 30 + rng.below(70), rng.below(10));
        let (entrance, floor) = (i / 100 + 1, i % 100 / 10 + 1);
        let shares: &[&str] = match rng.below(3) {
            0 => &["1"],
            1 => &["1/2", "1/2"],
            _ => &["1/2", "1/4", "1/4"],
        };
        let mut owners = Vec::new();
        for (k, share) in shares.iter().enumerate() {
            let owner = format!("Собственник {}-{}", i + 1, k + 1);
            writeln!(csv, "{label},flat,{area},{entrance},{floor},{owner},{share}").unwrap();
            owners.push(owner);
        }
        flats.push(Flat { label, owners });
    }
    let sources = Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: MEETING.into(),
        registry_file: "registry.csv".into(),
        registry_text: csv,
    };
    (sources, flats)
}

/// A mark at a random flat: delivered, absent, refused or letter; a third for one owner, a fifth
/// with a note.
fn random_mark(rng: &mut Rng, flats: &[Flat], n: usize) -> Mark {
    let flat = &flats[rng.below(flats.len())];
    let outcome = [Outcome::Delivered, Outcome::Absent, Outcome::Refused, Outcome::Letter][rng.below(4)];
    let owner = (rng.below(3) == 0).then(|| flat.owners[rng.below(flat.owners.len())].clone());
    let note = (rng.below(5) == 0).then(|| format!("заметка {n}: дверь в конце коридора"));
    Mark { owner, note, ..Mark::new(&flat.label, outcome) }
}

/// The stores the benchmarks read, each with the same campaign.
struct Stores {
    dir: tempfile::TempDir,
    flats: Vec<Flat>,
    /// `FACTS` facts, all in the snapshot.
    compacted: PathBuf,
    /// `FACTS` facts, the last `PENDING_COMPACTED_ON_OPEN` of them as change rows.
    pending_compacted_on_open: PathBuf,
    /// `FACTS + PENDING_READ` facts, the last `PENDING_READ` as change rows.
    pending_read: PathBuf,
}

/// Copies a closed store (SQLite removes the WAL when the last connection closes; a WAL left
/// behind is copied too).
fn copy_store(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
    let wal = |p: &Path| PathBuf::from(format!("{}-wal", p.display()));
    if wal(from).exists() {
        std::fs::copy(wal(from), wal(to)).unwrap();
    }
}

impl Stores {
    fn build(facts: usize) -> Stores {
        let mut rng = Rng(0x0b40d);
        let (sources, flats) = building(&mut rng);
        let dir = tempfile::Builder::new().prefix("obhod-bench-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let work = dir.path().join("work.db");
        let started = Instant::now();
        let mut campaign = Campaign::init(&work, sources).unwrap();
        let snapshotted = facts.saturating_sub(PENDING_COMPACTED_ON_OPEN);
        for n in 0..snapshotted {
            campaign.mark(random_mark(&mut rng, &flats, n)).unwrap();
        }
        campaign.compact().unwrap();
        for n in snapshotted..facts {
            campaign.mark(random_mark(&mut rng, &flats, n)).unwrap();
        }
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
        for n in facts..facts + PENDING_READ {
            campaign.mark(random_mark(&mut rng, &flats, n)).unwrap();
        }
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

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// p50/p99/max of single marks on the 20,000-fact store, timed one by one; and the pause of the
/// compaction that every 4,096th mark of a long session pays.
fn mark_percentiles(stores: &Stores) {
    let path = stores.copy(&stores.compacted, "percentiles.db");
    let mut campaign = Campaign::open(&path).unwrap();
    let mut rng = Rng(0x9e7c);
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
    let mut rng = Rng(0x3a4c);
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
    criterion.final_summary();
}
