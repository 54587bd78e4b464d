//! Builders shared by the core's integration tests: small files written inline.
#![allow(dead_code)]

use num_rational::BigRational;
use obhod_core::{Ballot, InputError, Meeting, Registry, Tally, Votes, Weights, parse_ballots};

pub const HEADER: &str = "premise;kind;area;entrance;floor;room;room_area;owner;owner_kind;share;joint";

/// A registry from rows written after the standard header.
pub fn registry(rows: &str) -> Registry {
    try_registry(rows).unwrap_or_else(|e| panic!("registry should parse: {e}"))
}

pub fn try_registry(rows: &str) -> Result<Registry, InputError> {
    Registry::parse("registry.csv", format!("{HEADER}\n{rows}").as_bytes())
}

/// A meeting with one question per `(item, threshold)` pair.
pub fn meeting(questions: &[(&str, Option<&str>)]) -> Meeting {
    let mut toml = String::from(
        "[building]\naddress = \"ул. Садовая, д. 5\"\nregistry = \"registry.csv\"\n\n\
         [meeting]\nkind = \"extraordinary\"\nform = \"absentee\"\ndate = 2026-12-10\nvoting_ends = 2026-12-20\n",
    );
    for (i, (item, threshold)) in questions.iter().enumerate() {
        toml.push_str(&format!("\n[[question]]\ntext = \"Вопрос {}\"\nitem = \"{item}\"\n", i + 1));
        if let Some(t) = threshold {
            toml.push_str(&format!("threshold = \"{t}\"\n"));
        }
    }
    Meeting::parse("meeting.toml", &toml).unwrap_or_else(|e| panic!("meeting should parse: {e}"))
}

/// Ballots in the `premise;owner;1;…;received;defect` form.
pub fn ballots(registry: &Registry, questions: usize, rows: &str) -> Vec<Ballot> {
    try_ballots(registry, questions, rows).unwrap_or_else(|e| panic!("ballots should parse: {e}"))
}

pub fn try_ballots(registry: &Registry, questions: usize, rows: &str) -> Result<Vec<Ballot>, InputError> {
    let numbers: Vec<String> = (1..=questions).map(|n| n.to_string()).collect();
    let csv = format!("premise;owner;{};received;defect\n{rows}", numbers.join(";"));
    parse_ballots("ballots.csv", csv.as_bytes(), registry, questions)
}

pub fn tally(registry: &Registry, meeting: &Meeting, ballots: &[Ballot]) -> Tally {
    Tally::count(registry, &Weights::compute(registry), meeting, ballots)
}

/// An exact number from `"n"` or `"n/d"`.
pub fn q(text: &str) -> Votes {
    text.parse::<BigRational>().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The votes of each holding, as `premise[/room]` → exact string.
pub fn votes_by_place(registry: &Registry, weights: &Weights) -> Vec<(String, String)> {
    weights
        .holdings
        .iter()
        .map(|h| {
            let premise = &registry.premises[h.premise].label;
            let place = h.room.as_ref().map_or(premise.clone(), |r| format!("{premise}/{r}"));
            (place, obhod_core::number::exact(&h.votes))
        })
        .collect()
}
