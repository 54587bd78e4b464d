//! A count kept while decisions are typed in one by one (the ballot-entry screen): the common
//! case — a decision of a voter with no decision yet, signed by the owner, on time, carrying only
//! the holdings it names — adds that voter's units to the sums kept, instead of counting every
//! ballot again. Anything else (a replacement, a second decision for one owner, a defective, late
//! or represented one, an owner whose votes span premises) is not added: the caller counts again.
//! Either way the result is the full count's, exactly.

use rustc_hash::FxHashSet as HashSet;

use crate::ballots::{Answer, Ballot, Invalid};
use crate::meeting::Meeting;
use crate::registry::Registry;
use crate::weights::Weights;

use super::{Figures, Sums, Tally};

/// A count with what it was made of, to add decisions to.
#[derive(Debug, Clone)]
pub struct Running {
    tally: Tally,
    /// All, named and strict participation, as `Tally::count` summed them.
    sums: [Sums; 3],
    /// The (premise, owner) of every ballot counted or left out.
    given: HashSet<(String, String)>,
}

impl Running {
    /// Counts `ballots` as `Tally::count` does, keeping the sums.
    pub fn count(registry: &Registry, weights: &Weights, meeting: &Meeting, ballots: &[Ballot]) -> Running {
        let (tally, sums) = Tally::count_with_sums(registry, weights, meeting, ballots);
        let given = ballots.iter().map(|b| (b.premise.clone(), b.owner.clone())).collect();
        Running { tally, sums, given }
    }

    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    pub fn into_tally(self) -> Tally {
        self.tally
    }

    /// Adds one decision to the count when it is the simple case (see the module); true when
    /// added, false when nothing changed and the ballots must be counted again with it.
    pub fn add(&mut self, registry: &Registry, weights: &Weights, meeting: &Meeting, ballot: &Ballot) -> bool {
        let Some(holdings) = self.simple(registry, weights, meeting, ballot) else { return false };
        let answers: Vec<Answer> = ballot
            .answers
            .iter()
            // One ballot's answer for a holding: itself when valid, else the answer of a block
            // with no valid mark (see `block_answer`).
            .map(|a| if a.is_valid() { *a } else { Answer::Invalid(Invalid::NoMark) })
            .collect();
        for &index in &holdings {
            let units = &weights.holdings[index].units;
            for sums in &mut self.sums {
                sums.add(units, |q| answers[q]);
            }
            self.tally.took_part[index] = true;
        }
        self.given.insert((ballot.premise.clone(), ballot.owner.clone()));
        let (total, strict_total) = (self.tally.total.clone(), self.tally.strict.total.clone());
        let figures = Figures::of(&self.sums, weights, meeting, total, strict_total);
        let tally = &mut self.tally;
        tally.participated = figures.participated;
        tally.quorum = figures.quorum;
        tally.participated_named = figures.participated_named;
        tally.quorum_named = figures.quorum_named;
        tally.questions = figures.questions;
        tally.strict = figures.strict;
        true
    }

    /// The holdings `ballot` alone adds to the count, when it is the simple case.
    fn simple(&self, registry: &Registry, weights: &Weights, meeting: &Meeting, ballot: &Ballot) -> Option<Vec<usize>> {
        let on_time = |day: chrono::NaiveDate| {
            let year_before = meeting.date.checked_sub_months(chrono::Months::new(12));
            day <= meeting.voting_ends && year_before.is_some_and(|y| day >= y)
        };
        let plain = ballot.defect.is_none()
            && ballot.representative.is_none()
            && ballot.received.is_none_or(on_time)
            && ballot.answers.len() == meeting.questions.len()
            && !self.given.contains(&(ballot.premise.clone(), ballot.owner.clone()));
        if !plain {
            return None;
        }
        // The holdings it signs for, as the count finds them: by the premise's label and the
        // owner's name as written in the registry.
        let holdings: Vec<usize> = (0..weights.holdings.len())
            .filter(|&i| {
                let h = &weights.holdings[i];
                h.owners.iter().any(|o| o.name == ballot.owner) && registry.premises[h.premise].label == ballot.premise
            })
            .collect();
        // A holding already taking part (a joint group's other member, a voter of several
        // premises) or whose owner's votes span premises makes it more than an addition.
        let alone = |&i: &usize| {
            let h = &weights.holdings[i];
            let spans = matches!(h.owners.as_slice(), [owner] if !h.joint && owner.spans_premises());
            !self.tally.took_part[i] && !spans
        };
        (!holdings.is_empty() && holdings.iter().all(alone)).then_some(holdings)
    }
}
