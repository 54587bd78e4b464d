//! Decisions recorded differently for one owner of a premise on two devices: both stand, and
//! they are shown (`Campaign::conflicts`) until one is kept (`Campaign::resolve_conflict`), which
//! withdraws every other (in a group, from the organiser's device only).

use chrono::{DateTime, FixedOffset, NaiveDate};
use obhod_core::Answer;

use obhod_core::Act;

use super::{Campaign, fact_entry, find_owner};
use crate::doc::BallotRecord;
use crate::error::StoreError;

/// Two or more different decisions recorded for one owner of a premise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub premise: String,
    pub owner: String,
    /// The questions (numbered from 1) the variants answer differently.
    pub questions: Vec<usize>,
    /// Each decision once, numbered from 1 in this order (by time recorded, then device), the
    /// same on every device.
    pub variants: Vec<Variant>,
}

/// One decision of a conflict and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The decision's id (the earliest, where several devices recorded the same decision).
    pub id: String,
    /// One answer per question, in agenda order; `None` for an answer this version cannot read.
    pub answers: Vec<Option<Answer>>,
    pub received: Option<NaiveDate>,
    pub defect: Option<String>,
    /// The ballots file it was imported from and its line there.
    pub file: String,
    pub line: u64,
    /// The device that imported it, and when.
    pub device: String,
    pub at: DateTime<FixedOffset>,
}

impl Conflict {
    /// The command that keeps variant `keep` (a number, or a placeholder), quoted for a shell.
    pub fn resolve_command(&self, keep: &str) -> String {
        format!("obhod conflicts resolve {} --owner {} --keep {keep}", quoted(&self.premise), quoted(&self.owner))
    }
}

fn quoted(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c)) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

impl Variant {
    /// Where it came from: the file and line it was imported from, or the ballot-entry screen.
    pub fn source(&self, lang: obhod_core::Lang) -> String {
        match self.file.is_empty() {
            true => lang.pick("введено на экране", "typed on the screen").into(),
            false => format!("{}:{}", self.file, self.line),
        }
    }

    fn of(id: &str, record: &BallotRecord) -> Variant {
        Variant {
            id: id.to_string(),
            answers: record.answers.iter().map(|code| crate::doc::parse_answer(code)).collect(),
            received: record.received,
            defect: record.defect.clone(),
            file: record.file.clone(),
            line: record.line,
            device: record.device.clone(),
            at: record.at,
        }
    }
}

/// The standing records of one owner, each decision once (with its earliest id), in the order
/// shown to people.
pub(super) fn decisions<'a>(records: &[(String, &'a BallotRecord)]) -> Vec<(String, &'a BallotRecord)> {
    let mut sorted: Vec<&(String, &BallotRecord)> = records.iter().collect();
    sorted.sort_by(|(x, a), (y, b)| (a.at, &a.device, &a.file, a.line, x).cmp(&(b.at, &b.device, &b.file, b.line, y)));
    let mut distinct: Vec<(String, &BallotRecord)> = Vec::new();
    for (id, record) in sorted {
        if !distinct.iter().any(|(_, kept)| kept.same_decision(record)) {
            distinct.push((id.clone(), record));
        }
    }
    distinct
}

impl Campaign {
    /// Every owner of a premise with differing ballots from different devices, in the registry's
    /// order of premises. Records that carry the same decision are no conflict.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut conflicts: Vec<Conflict> = super::standing_by_owner(&self.replica)
            .values()
            .map(|records| decisions(records))
            .filter(|variants| variants.len() > 1)
            .map(|variants| Conflict {
                premise: variants[0].1.premise.clone(),
                owner: variants[0].1.owner.clone(),
                questions: differing(&variants),
                variants: variants.iter().map(|(id, record)| Variant::of(id, record)).collect(),
            })
            .collect();
        conflicts.sort_by_cached_key(|c| (self.registry.find(&c.premise), c.owner.clone()));
        conflicts
    }

    /// Keeps variant `keep` (numbered from 1, as `conflicts` lists them) of the owner's differing
    /// decisions: every standing record of the others is withdrawn by a fact of this device, so
    /// that the conflict is gone here and, after sync, on every device. In a group only the
    /// organiser's device settles a conflict (the counting commission's act): withdrawing another
    /// device's decision is its alone.
    pub fn resolve_conflict(&mut self, premise: &str, owner: &str, keep: usize) -> Result<(), StoreError> {
        let index =
            self.registry.find(premise).ok_or_else(|| StoreError::UnknownPremise { premise: premise.trim().into() })?;
        let label = self.registry.premises[index].label.clone();
        let owners: Vec<String> = self.registry.premises[index].owners().iter().map(|o| o.name.clone()).collect();
        let owner = find_owner(&label, &owners, owner)?;
        let key = BallotRecord::key(&label, &owner);
        let at = self.clock.now();
        self.write(|writer| {
            if !super::decisions::settler(writer.replica).is_settler(writer.device()) {
                return Err(StoreError::OrganiserOnly);
            }
            let standing = super::standing_by_owner(writer.replica).remove(&key).unwrap_or_default();
            let variants = decisions(&standing);
            if variants.len() < 2 {
                return Err(StoreError::NoConflict { premise: label, owner });
            }
            let Some((_, chosen)) = keep.checked_sub(1).and_then(|n| variants.get(n)) else {
                return Err(StoreError::NoSuchVariant { premise: label, owner, keep, variants: variants.len() });
            };
            let losing: Vec<String> =
                standing.iter().filter(|(_, record)| !record.same_decision(chosen)).map(|(id, _)| id.clone()).collect();
            let book = super::decisions::Book::of(writer.replica);
            let settler = super::decisions::settler(writer.replica);
            losing.iter().try_for_each(|id| book.may_withdraw(id, writer.device(), settler))?;
            let entries =
                losing.into_iter().map(|id| fact_entry(&writer.fact(at, None, Act::Withdraw { fact: id }))).collect();
            Ok(((), entries))
        })
    }
}

/// The questions (from 1) whose answers are not the same in every variant.
fn differing(variants: &[(String, &BallotRecord)]) -> Vec<usize> {
    let questions = variants.iter().map(|(_, v)| v.answers.len()).max().unwrap_or(0);
    (0..questions)
        .filter(|&q| variants.iter().any(|(_, v)| v.answers.get(q) != variants[0].1.answers.get(q)))
        .map(|q| q + 1)
        .collect()
}
