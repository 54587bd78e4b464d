//! The cost of a whole count on a large building: about 10,000 holdings (sole, shared and
//! joint flats, ~300 communal flats whose room areas make every flat's denominator
//! different, non-residential premises of legal entities, municipal flats), a meeting of
//! 9 questions and 5,000 ballots. The files are generated here, deterministically, as the
//! CSV and TOML text people bring, so parsing is measured too.
//!
//! `cargo bench -p obhod-core`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use obhod_core::{Answer, Ballot, Meeting, Registry, Running, Tally, Weights, parse_ballots};

#[path = "common/building.rs"]
mod building;

use building::{BALLOTS, Building, HOLDINGS, QUESTIONS, building};

/// The full job: the three files from text to the count.
fn parse_and_tally(b: &Building) -> Tally {
    let registry = Registry::parse("registry.csv", b.registry.as_bytes()).expect("registry parses");
    let meeting = Meeting::parse("meeting.toml", &b.meeting).expect("meeting parses");
    let ballots =
        parse_ballots("ballots.csv", b.ballots.as_bytes(), &registry, meeting.questions.len()).expect("ballots parse");
    let weights = Weights::compute(&registry);
    Tally::count(&registry, &weights, &meeting, &ballots)
}

/// Checks once that the generated files make a real count, so nothing empty is measured.
fn check(b: &Building) {
    let registry = Registry::parse("registry.csv", b.registry.as_bytes()).expect("registry parses");
    let meeting = Meeting::parse("meeting.toml", &b.meeting).expect("meeting parses");
    assert_eq!(meeting.questions.len(), QUESTIONS.len());
    let ballots =
        parse_ballots("ballots.csv", b.ballots.as_bytes(), &registry, meeting.questions.len()).expect("ballots parse");
    assert_eq!(ballots.len(), BALLOTS);
    let weights = Weights::compute(&registry);
    assert_eq!(weights.holdings.len(), b.holdings);
    assert!((HOLDINGS..HOLDINGS + 10).contains(&weights.holdings.len()), "{} holdings", weights.holdings.len());
    let tally = Tally::count(&registry, &weights, &meeting, &ballots);
    let took_part = tally.took_part.iter().filter(|&&t| t).count();
    assert!(took_part > 4_000, "{took_part} holdings took part");
    assert!(tally.participated > num_traits::Zero::zero() && tally.participated < tally.total);
    assert!(tally.quorum, "the generated ballots reach quorum");
    assert_eq!(tally.questions.len(), QUESTIONS.len());
    assert!(tally.questions.iter().all(|q| q.for_votes > num_traits::Zero::zero()));
    assert_eq!(tally, parse_and_tally(b), "the measured job is the checked one");
    eprintln!(
        "building: {} premises, {} holdings, {} ballots, {} holdings took part ({} %), {} warnings; \
         registry {} KiB, ballots {} KiB; TOTAL's denominator has {} digits, participated's {}",
        registry.premises.len(),
        weights.holdings.len(),
        ballots.len(),
        took_part,
        obhod_core::number::percent(&tally.participated, &tally.total, '.'),
        tally.warnings.len(),
        b.registry.len() / 1024,
        b.ballots.len() / 1024,
        tally.total.denom().to_string().len(),
        tally.participated.denom().to_string().len(),
    );
}

/// A decision for the first owner who has not voted, whose votes are the premise's alone.
fn first_decision(registry: &Registry, weights: &Weights, meeting: &Meeting, running: &Running) -> Ballot {
    let (_, holding) = weights
        .holdings
        .iter()
        .enumerate()
        .find(|(i, h)| {
            !running.tally().took_part[*i] && !h.joint && h.owners.len() == 1 && !h.owners[0].spans_premises()
        })
        .expect("a holding that has not voted");
    let premise = &registry.premises[holding.premise];
    Ballot {
        line: 0,
        premise: premise.label.clone(),
        owner: holding.owners[0].name.clone(),
        answers: vec![Answer::For; meeting.questions.len()],
        received: None,
        defect: None,
        representative: None,
    }
}

fn bench(c: &mut Criterion) {
    let b = building();
    check(&b);
    // The same files on disk, for the benchmark of the whole `obhod tally` against the reference
    // count in Python (tests/benches/reference.rs).
    if let Some(dir) = std::env::var_os("OBHOD_BENCH_FILES") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("the directory for the files");
        for (name, text) in [("registry.csv", &b.registry), ("meeting.toml", &b.meeting), ("ballots.csv", &b.ballots)] {
            std::fs::write(dir.join(name), text).expect("writing a generated file");
        }
    }

    c.bench_function("parse_and_tally", |bench| bench.iter(|| parse_and_tally(black_box(&b))));

    let registry = Registry::parse("registry.csv", b.registry.as_bytes()).expect("registry parses");
    let meeting = Meeting::parse("meeting.toml", &b.meeting).expect("meeting parses");
    let ballots =
        parse_ballots("ballots.csv", b.ballots.as_bytes(), &registry, meeting.questions.len()).expect("ballots parse");
    c.bench_function("tally_only", |bench| {
        bench.iter(|| {
            let weights = Weights::compute(black_box(&registry));
            Tally::count(black_box(&registry), &weights, black_box(&meeting), black_box(&ballots))
        })
    });

    // What the TUI pays for each decision entered: the weights are the campaign's, kept.
    let weights = Weights::compute(&registry);
    c.bench_function("count_only", |bench| {
        bench.iter(|| Tally::count(black_box(&registry), black_box(&weights), black_box(&meeting), black_box(&ballots)))
    });

    // What the ballot-entry screen pays for a first decision on time: added to the running count.
    let running = Running::count(&registry, &weights, &meeting, &ballots);
    let ballot = first_decision(&registry, &weights, &meeting, &running);
    let mut added = running.clone();
    assert!(added.add(&registry, &weights, &meeting, &ballot), "a first decision is added");
    let all: Vec<Ballot> = ballots.iter().cloned().chain([ballot.clone()]).collect();
    assert_eq!(added.tally(), &Tally::count(&registry, &weights, &meeting, &all), "the same as counting all");
    c.bench_function("add_one", |bench| {
        bench.iter_batched(
            || running.clone(),
            |mut running| {
                running.add(black_box(&registry), black_box(&weights), black_box(&meeting), black_box(&ballot));
                running
            },
            criterion::BatchSize::LargeInput,
        )
    });

    c.bench_function("parse_registry", |bench| {
        bench.iter(|| Registry::parse("registry.csv", black_box(b.registry.as_bytes())).expect("registry parses"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        // Few samples and short phases keep the whole run under a minute; criterion
        // falls back to flat sampling by itself while an iteration is long.
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
