//! The practitioner's guide's worked example is the project's first test vector: every
//! number of the example (README) is asserted here, from the bundled fixture files.

mod common;

use std::path::Path;

use common::q;
use obhod_core::number::{exact, percent};
use obhod_core::{Meeting, Registry, Tally, Threshold, Warning, Weights, parse_ballots};

fn fixture(name: &str) -> std::fs::File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(name);
    std::fs::File::open(path).expect("bundled fixture")
}

fn load() -> (Registry, Meeting) {
    let registry = Registry::parse("registry.csv", fixture("registry.csv")).expect("registry parses");
    let text = std::io::read_to_string(fixture("meeting.toml")).expect("utf-8");
    (registry, Meeting::parse("meeting.toml", &text).expect("meeting parses"))
}

#[test]
fn weights_match_the_guide_to_the_fraction() {
    let (registry, _) = load();
    let weights = Weights::compute(&registry);
    assert_eq!(exact(&weights.total), "500", "TOTAL: flats 1–3 and the shop, not the attic");
    let expected = [
        ("1", None, "75", "15.00"),
        ("1", None, "25", "5.00"),
        ("2", Some("к1"), "50", "10.00"),
        ("2", Some("к2"), "100/3", "6.67"),
        ("2", Some("к3"), "50/3", "3.33"),
        ("3", None, "100", "20.00"),
        ("Полуподвал", None, "200", "40.00"),
    ];
    assert_eq!(weights.holdings.len(), expected.len());
    for (holding, (premise, room, votes, pct)) in weights.holdings.iter().zip(expected) {
        assert_eq!(registry.premises[holding.premise].label, premise);
        assert_eq!(holding.room.as_deref(), room);
        assert_eq!(exact(&holding.votes), votes, "{premise} {room:?}");
        assert_eq!(percent(&holding.votes, &weights.total, '.'), pct, "{premise} {room:?}");
    }
    let sum: obhod_core::Votes = weights.holdings.iter().map(|h| &h.votes).sum();
    assert_eq!(sum, q("500"), "the weights sum to exactly TOTAL");
}

#[test]
fn the_joint_family_is_one_block_of_four_members() {
    let (registry, _) = load();
    let weights = Weights::compute(&registry);
    let flat3 = weights.holdings.iter().find(|h| registry.premises[h.premise].label == "3").expect("flat 3");
    assert!(flat3.joint);
    assert_eq!(flat3.owners.len(), 4);
    assert_eq!(weights.voters().len(), 7, "the family is one voter, not four");
}

#[test]
fn the_unowned_attic_is_reported() {
    let (registry, _) = load();
    let weights = Weights::compute(&registry);
    assert_eq!(weights.warnings, vec![Warning::UnownedPremise { premise: "Чердак".into() }]);
}

#[test]
fn tally_of_the_example_meeting() {
    let (registry, meeting) = load();
    let ballots = parse_ballots("ballots.csv", fixture("ballots.csv"), &registry, 3).expect("ballots parse");
    let weights = Weights::compute(&registry);
    let tally = Tally::count(&registry, &weights, &meeting, &ballots);

    // Shop 200 + room к1 50 + Сергеев 25; Иванов is late, the family's ballot defective.
    assert_eq!(exact(&tally.participated), "275");
    assert!(tally.quorum, "275 > 250");
    let codes: Vec<_> = tally.warnings.iter().map(Warning::code).collect();
    assert_eq!(codes, ["late_ballot", "defective_ballot"], "in file order");

    let q1 = &tally.questions[0];
    assert_eq!((q1.threshold, exact(&q1.base)), (Threshold::Simple, "275".into()));
    assert_eq!([&q1.for_votes, &q1.against, &q1.abstain, &q1.invalid].map(exact), ["200", "50", "25", "0"]);
    assert_eq!(q1.adopted, Some(true));

    let q2 = &tally.questions[1];
    assert_eq!((q2.threshold, exact(&q2.base)), (Threshold::AllMajority, "500".into()));
    assert_eq!([&q2.for_votes, &q2.invalid].map(exact), ["250", "25"], "Сергеев left question 2 blank");
    assert_eq!(q2.adopted, Some(false), "exactly half of all votes is not more than half");

    let q3 = &tally.questions[2];
    assert_eq!(q3.threshold, Threshold::AllTwoThirds);
    assert_eq!(exact(&q3.for_votes), "225");
    assert_eq!(q3.adopted, Some(false));
}
