//! The live count: with the decisions not yet in, whether each verdict is already settled. A
//! question is adopted when no decision still to come can stop it, lost when none can save it,
//! open otherwise, with the votes «за» it still needs to be settled whatever the others answer.
//! After the end of voting nothing is still to come, so nothing is open.

use chrono::NaiveDate;

use crate::meeting::{Meeting, Threshold};
use crate::number::Votes;
use crate::tally::{Tally, times};

/// Where a verdict stands while decisions may still come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prospect {
    /// No decision still to come can undo it (the quorum: reached).
    Adopted,
    /// No decision still to come can bring it about (the quorum: out of reach).
    Lost,
    /// Decisions still to come decide it.
    Open,
}

impl Prospect {
    /// A question's stable code for scripts: `adopted`, `lost`, `open`.
    pub fn code(self) -> &'static str {
        match self {
            Prospect::Adopted => "adopted",
            Prospect::Lost => "lost",
            Prospect::Open => "open",
        }
    }

    /// The quorum's stable code for scripts: `reached`, `missed`, `open`.
    pub fn quorum_code(self) -> &'static str {
        match self {
            Prospect::Adopted => "reached",
            Prospect::Lost => "missed",
            Prospect::Open => "open",
        }
    }
}

/// One verdict of the live count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settling {
    /// `None` for a `manual` question, which the count does not decide.
    pub prospect: Option<Prospect>,
    /// The votes still needed to settle it: zero once adopted, `None` once lost (and for a
    /// `manual` question). For the quorum, votes taking part; for a question, votes «за».
    pub needed: Option<Votes>,
    /// Whether the need must be exceeded (more than half) rather than met (two thirds, all).
    pub strictly: bool,
}

impl Settling {
    /// Open at a tie of a strict majority: any further vote «за» settles it.
    pub fn needs_any(&self) -> bool {
        self.prospect == Some(Prospect::Open)
            && self.strictly
            && self.needed.as_ref().is_some_and(|n| *n == Votes::default())
    }
}

/// The live count of a meeting: its quorum and each question of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// Whether voting has ended: every verdict is then the count's.
    pub ended: bool,
    /// The votes that may still take part: those not yet in, none after the end of voting.
    pub to_come: Votes,
    pub quorum: Settling,
    pub questions: Vec<Settling>,
}

impl Live {
    /// The live count of `tally` (from `meeting`) on `today`.
    pub fn of(meeting: &Meeting, tally: &Tally, today: NaiveDate) -> Live {
        let (total, participated) = (&tally.total, &tally.participated);
        let ended = today > meeting.voting_ends;
        let to_come = if ended { Votes::default() } else { total - participated };
        let half = total / n(2);
        let reachable = participated + &to_come > half;
        let quorum = Settling {
            prospect: Some(if tally.quorum {
                Prospect::Adopted
            } else if reachable {
                Prospect::Open
            } else {
                Prospect::Lost
            }),
            needed: (tally.quorum || reachable).then(|| positive(&half - participated)),
            strictly: true,
        };
        let questions = tally
            .questions
            .iter()
            .map(|q| {
                let votes = Standing { total, participated, to_come: &to_come, for_votes: &q.for_votes };
                votes.settle(q.threshold, tally.quorum)
            })
            .collect();
        Live { ended, to_come, quorum, questions }
    }
}

/// The figures one question is settled on.
struct Standing<'a> {
    total: &'a Votes,
    participated: &'a Votes,
    to_come: &'a Votes,
    for_votes: &'a Votes,
}

impl Standing<'_> {
    fn settle(&self, threshold: Threshold, quorum: bool) -> Settling {
        let Standing { total, participated, to_come, for_votes } = *self;
        let (half, strictly) = (total / n(2), !matches!(threshold, Threshold::AllTwoThirds | Threshold::Unanimous));
        let passes = |for_votes: &Votes, base: &Votes| match threshold {
            Threshold::Manual => false,
            Threshold::Simple => times(for_votes, 2, base, 1).is_gt(),
            Threshold::AllMajority => times(for_votes, 2, total, 1).is_gt(),
            Threshold::AllTwoThirds => times(for_votes, 3, total, 2).is_ge(),
            Threshold::Unanimous => times(for_votes, 1, total, 1).is_eq(),
        };
        if threshold == Threshold::Manual {
            return Settling { prospect: None, needed: None, strictly };
        }
        let all_in = participated + to_come;
        // Adopted whatever comes: every vote still to come goes against (raising the base of a
        // simple majority) or stays away.
        if quorum && passes(for_votes, &all_in) {
            return Settling { prospect: Some(Prospect::Adopted), needed: Some(Votes::default()), strictly };
        }
        // Lost whatever comes: every vote still to come goes for it, and it still fails.
        if !(all_in > half && passes(&(for_votes + to_come), &all_in)) {
            return Settling { prospect: Some(Prospect::Lost), needed: None, strictly };
        }
        let target = match threshold {
            Threshold::Simple => &all_in / n(2),
            Threshold::AllTwoThirds => total * n(2) / n(3),
            Threshold::Unanimous => total.clone(),
            Threshold::AllMajority | Threshold::Manual => half.clone(),
        };
        let needed = (target - for_votes).max(&half - participated);
        Settling { prospect: Some(Prospect::Open), needed: Some(positive(needed)), strictly }
    }
}

fn n(k: i64) -> Votes {
    Votes::from_integer(k.into())
}

fn positive(votes: Votes) -> Votes {
    votes.max(Votes::default())
}
