//! Ballots recorded differently for one owner of a premise (two devices imported different
//! decisions for one paper, and sync kept both): the holding takes part, agreeing answers stand,
//! and each question answered differently is invalid for it until the organiser keeps one.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::ballots::{Answer, Ballot, Invalid};
use crate::warning::Warning;

/// The questions (0-based) each (premise, owner) with differing ballots answered differently.
#[derive(Default)]
pub(super) struct Differing<'a>(HashMap<(&'a str, &'a str), Vec<usize>>);

impl Differing<'_> {
    /// Whether `ballot` stands for variants that answer question `q` differently.
    pub(super) fn at(&self, ballot: &Ballot, q: usize) -> bool {
        !self.0.is_empty()
            && self.0.get(&(ballot.premise.as_str(), ballot.owner.as_str())).is_some_and(|qs| qs.contains(&q))
    }
}

/// One ballot per (premise, owner), in the order of their first rows: the same decision
/// twice is one ballot, and differing ones become one whose differing answers are invalid,
/// with a `BallotConflict` warning. The result does not depend on the variants' order.
pub(super) fn reconcile<'a>(ballots: &'a [Ballot], warnings: &mut Vec<Warning>) -> (Cow<'a, [Ballot]>, Differing<'a>) {
    let mut groups: BTreeMap<(&str, &str), Vec<&Ballot>> = BTreeMap::new();
    for ballot in ballots {
        groups.entry((ballot.premise.as_str(), ballot.owner.as_str())).or_default().push(ballot);
    }
    if groups.len() == ballots.len() {
        return (Cow::Borrowed(ballots), Differing::default());
    }
    let mut differing = Differing::default();
    let mut merged = Vec::with_capacity(groups.len());
    for ballot in ballots {
        let key = (ballot.premise.as_str(), ballot.owner.as_str());
        let Some(variants) = groups.remove(&key) else { continue };
        let (one, questions) = merge(&variants);
        if differ(&variants) {
            let numbers = questions.iter().map(|q| q + 1).collect();
            warnings.push(Warning::BallotConflict { premise: key.0.into(), owner: key.1.into(), questions: numbers });
            differing.0.insert(key, questions);
        }
        merged.push(one);
    }
    (Cow::Owned(merged), differing)
}

/// Whether the variants carry more than one decision.
fn differ(variants: &[&Ballot]) -> bool {
    fn decision(b: &Ballot) -> (&[Answer], Option<chrono::NaiveDate>, Option<&str>) {
        (&b.answers, b.received, b.defect.as_deref())
    }
    variants.iter().any(|b| decision(b) != decision(variants[0]))
}

/// One ballot from the variants, and the questions they answer differently. It takes part if
/// any variant would (the earliest date, no defect if one has none), so that a conflict never
/// silently drops a holding from the quorum.
fn merge(variants: &[&Ballot]) -> (Ballot, Vec<usize>) {
    let first = variants.iter().min_by_key(|b| b.line).expect("a group has a ballot");
    let mut questions = Vec::new();
    let answers = (0..first.answers.len())
        .map(|q| {
            let answer = first.answers[q];
            if variants.iter().all(|b| b.answers.get(q) == Some(&answer)) {
                answer
            } else {
                questions.push(q);
                Answer::Invalid(Invalid::Several)
            }
        })
        .collect();
    let received = variants.iter().map(|b| b.received).min().flatten();
    let defect = if variants.iter().any(|b| b.defect.is_none()) {
        None
    } else {
        variants.iter().filter_map(|b| b.defect.clone()).min()
    };
    let ballot = Ballot {
        line: first.line,
        premise: first.premise.clone(),
        owner: first.owner.clone(),
        answers,
        received,
        defect,
        representative: first.representative.clone(),
    };
    (ballot, questions)
}
