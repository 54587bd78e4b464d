//! The whole `obhod tally` of the generated 10,000-holding building (a new process: read and parse
//! the three files, weights, count, JSON) against the straightforward exact count in Python
//! (`fixtures/sadovaya-5/reference.py`, `fractions.Fraction`) on the same files, each run as a new
//! process; both results must agree to the last fraction. Goal: obhod at least 20 times faster.
//!
//! `cargo build --release -p obhod && cargo bench -p obhod-tests --bench reference` (`OBHOD_BIN`
//! names another binary). Needs python3 ≥ 3.11 (tomllib). Under `cargo test --benches` each runs
//! once and nothing is compared against the goal.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../../core/benches/common/building.rs"]
mod building;

const GOAL: f64 = 20.0;

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let (obhod_runs, python_runs) = if bench { (21, 5) } else { (1, 1) };
    let dir = tempfile::tempdir().unwrap();
    let b = building::building();
    for (name, text) in [("registry.csv", &b.registry), ("meeting.toml", &b.meeting), ("ballots.csv", &b.ballots)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    if !bench && !obhod_tests::release_binary_path().exists() {
        println!("reference: the release binary is not built; skipped (cargo build --release -p obhod)");
        return;
    }
    let binary = obhod_tests::release_binary();
    let meeting = dir.path().join("meeting.toml");
    let ballots = dir.path().join("ballots.csv");
    let mut obhod = Command::new(&binary);
    obhod.arg("--json").arg("tally").arg("--meeting").arg(&meeting).arg("--ballots").arg(&ballots);
    let (ours, obhod_times) = runs(&mut obhod, obhod_runs);

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sadovaya-5/reference.py");
    let mut python = Command::new("python3");
    python.arg(&script).arg(dir.path());
    if python.output().map(|out| !out.status.success()).unwrap_or(true) {
        println!("reference: python3 (3.11 or newer) does not run reference.py here; skipped");
        return;
    }
    let (theirs, python_times) = runs(&mut python, python_runs);
    let ours: serde_json::Value = serde_json::from_slice(&ours).unwrap();
    let theirs: serde_json::Value = serde_json::from_slice(&theirs).unwrap();
    for key in ["total", "participated", "quorum", "participated_named"] {
        assert_eq!(ours[key], theirs[key], "{key}");
    }
    for (a, b) in ours["questions"].as_array().unwrap().iter().zip(theirs["questions"].as_array().unwrap()) {
        for key in ["for", "against", "abstain", "base", "adopted"] {
            assert_eq!(a[key], b[key], "question {}: {key}", a["number"]);
        }
    }
    let (obhod_median, python_median) = (median(obhod_times), median(python_times));
    let ratio = python_median.as_secs_f64() / obhod_median.as_secs_f64();
    println!(
        "whole tally of {} holdings and {} ballots, a new process each: obhod median {:.1} ms ({obhod_runs} runs), \
         Python reference median {:.0} ms ({python_runs} runs): {ratio:.1}× faster; goal ≥ {GOAL}×: {}",
        b.holdings,
        building::BALLOTS,
        obhod_median.as_secs_f64() * 1e3,
        python_median.as_secs_f64() * 1e3,
        if !bench {
            "not judged outside cargo bench"
        } else if ratio >= GOAL {
            "met"
        } else {
            "MISSED"
        }
    );
}

/// Runs `command` `n` times; its last output and each run's wall time.
fn runs(command: &mut Command, n: usize) -> (Vec<u8>, Vec<Duration>) {
    let mut times = Vec::new();
    let mut last = Vec::new();
    for _ in 0..n {
        let started = Instant::now();
        let out = command.output().unwrap();
        times.push(started.elapsed());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        last = out.stdout;
    }
    (last, times)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
