//! The fixture buildings as the core's values, for the papers' tests.

use std::path::Path;

use obhod_core::{Ballot, Lang, Meeting, Registry, Tally, Weights, parse_ballots};
use obhod_papers::Report;

/// A building's files read and counted: what the command line hands the papers.
pub struct Counted {
    pub registry: Registry,
    pub meeting: Meeting,
    pub weights: Weights,
    pub tally: Tally,
}

impl Counted {
    /// The fixture `dir` (`guide-example`, `sadovaya-5`) with its ballots, or with none.
    pub fn fixture(dir: &str, with_ballots: bool) -> Counted {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(dir);
        let read = |file: &str| std::fs::read_to_string(root.join(file)).expect("a fixture file");
        Counted::of(&read("meeting.toml"), &read("registry.csv"), with_ballots.then(|| read("ballots.csv")).as_deref())
    }

    /// A building from the texts of its files.
    pub fn of(meeting: &str, registry: &str, ballots: Option<&str>) -> Counted {
        let meeting = Meeting::parse("meeting.toml", meeting).expect("a valid meeting");
        let registry = Registry::parse("registry.csv", registry.as_bytes()).expect("a valid registry");
        let ballots: Vec<Ballot> = match ballots {
            Some(text) => parse_ballots("ballots.csv", text.as_bytes(), &registry, meeting.questions.len()).unwrap(),
            None => Vec::new(),
        };
        let weights = Weights::compute(&registry);
        let tally = Tally::count(&registry, &weights, &meeting, &ballots);
        Counted { registry, meeting, weights, tally }
    }

    pub fn report(&self, lang: Lang) -> Report<'_> {
        Report::new(&self.registry, &self.weights, &self.meeting, &self.tally, lang)
    }
}
