//! The realistic fixture (160 flats, every ownership form) against `expected.json`,
//! written by an independent reference implementation (`fixtures/sadovaya-5/reference.py`,
//! Python `fractions`).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use obhod_core::number::{exact, percent};
use obhod_core::{Meeting, Registry, Tally, Weights, parse_ballots};
use serde_json::Value;

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sadovaya-5").join(name)
}

fn open(name: &str) -> std::fs::File {
    std::fs::File::open(path(name)).expect("bundled fixture")
}

#[test]
fn the_count_agrees_with_the_reference_implementation() {
    let expected: Value = serde_json::from_reader(open("expected.json")).expect("expected.json");
    let registry = Registry::parse("registry.csv", open("registry.csv")).expect("registry");
    let meeting = Meeting::parse("meeting.toml", &std::fs::read_to_string(path("meeting.toml")).expect("utf-8"))
        .expect("meeting");
    let ballots =
        parse_ballots("ballots.csv", open("ballots.csv"), &registry, meeting.questions.len()).expect("ballots");
    let weights = Weights::compute(&registry);
    let tally = Tally::count(&registry, &weights, &meeting, &ballots);

    assert!(registry.premises.iter().filter(|p| p.kind.is_residential()).count() >= 150);
    assert_eq!(exact(&weights.total), expected["total"]);
    assert_eq!(weights.holdings.len() as u64, expected["holdings"]);
    assert_eq!(weights.voters().len() as u64, expected["owners"]);
    assert_eq!(exact(&tally.participated), expected["participated"]);
    assert_eq!(percent(&tally.participated, &tally.total, '.'), expected["participated_percent"]);
    assert_eq!(tally.quorum, expected["quorum"]);
    assert_eq!(exact(&tally.participated_named), expected["participated_named"]);
    assert_eq!(percent(&tally.participated_named, &tally.total, '.'), expected["participated_named_percent"]);
    assert_eq!(tally.quorum_named, expected["quorum_named"]);
    assert_ne!(tally.participated_named, tally.participated, "the fixture has premises carried by their owner");
    for (result, want) in tally.questions.iter().zip(expected["questions"].as_array().expect("questions")) {
        let n = result.number;
        assert_eq!(result.threshold.code(), want["threshold"], "question {n}");
        assert_eq!(exact(&result.base), want["base"], "question {n}");
        assert_eq!(exact(&result.for_votes), want["for"], "question {n}");
        assert_eq!(exact(&result.against), want["against"], "question {n}");
        assert_eq!(exact(&result.abstain), want["abstain"], "question {n}");
        assert_eq!(exact(&result.invalid), want["invalid"], "question {n}");
        assert_eq!(result.adopted.map(Value::Bool).unwrap_or(Value::Null), want["adopted"], "question {n}");
        assert_eq!(exact(&result.for_named), want["for_named"], "question {n}");
        assert_eq!(result.adopted_named.map(Value::Bool).unwrap_or(Value::Null), want["adopted_named"], "question {n}");
    }
    let mut codes: BTreeMap<&str, u64> = BTreeMap::new();
    for w in weights.warnings.iter().chain(&meeting.warnings).chain(&tally.warnings) {
        *codes.entry(w.code()).or_default() += 1;
    }
    let want: BTreeMap<&str, u64> = expected["warnings"]
        .as_object()
        .expect("warnings")
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_u64().expect("count")))
        .collect();
    assert_eq!(codes, want);
}
