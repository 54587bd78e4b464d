//! `obhod mark` as a user runs it: the release binary, a new process each time, on the
//! organiser's store of a group (1,000 flats, 21,500 signed facts, the signatures verified by an
//! earlier run). Prints the median, the spread and the goal (< 100 ms).
//!
//! `cargo build --release -p obhod && cargo bench -p obhod-tests --bench mark` (`OBHOD_BIN` names
//! another binary). Under `cargo test --benches` the campaign is smaller and only a few marks run.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use obhod_store::Campaign;
use obhod_syncd::GroupCa;
use obhod_tests::{SplitMix, generate_building, make_member, ms, percentile, random_mark, release_binary};

const FLATS: usize = 1_000;
/// The goal for one `obhod mark`, process start to exit.
const GOAL: Duration = Duration::from_millis(100);

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let (facts, runs) = if bench { (21_500, 40) } else { (300, 3) };
    let binary = release_binary();
    let dir = tempfile::Builder::new().prefix("obhod-bench-mark-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = dir.path().join("o.db");
    let mut rng = SplitMix::new(0x3a7c);
    let (sources, flats) = generate_building(&mut rng, FLATS);
    let started = Instant::now();
    drop(Campaign::init(&store, sources).unwrap());
    admit(&store);
    let mut campaign = Campaign::open(&store).unwrap();
    let marks: Vec<_> = (0..facts).map(|n| random_mark(&mut rng, &flats, n)).collect();
    for batch in marks.chunks(100) {
        campaign.mark_all(batch.to_vec()).unwrap();
    }
    campaign.compact().unwrap();
    assert_eq!((campaign.facts().count(), campaign.refused_facts().len()), (facts, 0), "every signed fact counts");
    drop(campaign);
    eprintln!("setup: {facts} signed facts in {:.1} s", started.elapsed().as_secs_f64());
    let mut times = Vec::new();
    // The first run's page cache is warm as the setup left it; every run is a fresh process.
    for n in 0..runs {
        let flat = &flats[n * 7 % flats.len()];
        let took = Instant::now();
        let output = Command::new(&binary)
            .args(["--store", store.to_str().unwrap(), "--lang", "en", "mark", &flat.label, "delivered"])
            .env("XDG_DATA_HOME", dir.path())
            .output()
            .unwrap();
        times.push(took.elapsed());
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success() && stdout.contains("Recorded:"), "obhod mark failed: {stdout}");
    }
    let count = Campaign::open(&store).unwrap().facts().count();
    assert_eq!(count, facts + runs, "every mark recorded");
    times.sort();
    let median = percentile(&times, 50.0);
    println!(
        "obhod mark ({}, a new process, {facts} signed facts, {runs} runs): median {}, min {}, p90 {}, max {}; goal < {}: {}",
        binary.display(),
        ms(median),
        ms(times[0]),
        ms(percentile(&times, 90.0)),
        ms(times[times.len() - 1]),
        ms(GOAL),
        if median < GOAL { "met" } else { "MISSED" }
    );
}

/// Makes the store at `path` the organiser's device of a new group, so that every fact is signed.
fn admit(path: &Path) {
    let ca = GroupCa::create("G").unwrap();
    make_member(&ca, &mut Campaign::open(path).unwrap(), "ноутбук организатора", None);
}
