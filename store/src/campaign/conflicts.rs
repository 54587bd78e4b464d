//! Ballots recorded differently for one owner of a premise on two devices: sync keeps every
//! value of the ballot's key, and they are shown (`Campaign::conflicts`) until the organiser keeps
//! one (`Campaign::resolve_conflict`), which writes it as the key's one value on every device.

use chrono::{DateTime, FixedOffset, NaiveDate};
use obhod_core::Answer;

use super::{Campaign, find_owner};
use crate::doc::BallotRecord;
use crate::error::StoreError;
use crate::replica::{Entry, Map};

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
    fn of(record: &BallotRecord) -> Variant {
        Variant {
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

/// A key's values, each decision once, in the order shown to people.
pub(super) fn decisions(records: &[BallotRecord]) -> Vec<&BallotRecord> {
    let mut sorted: Vec<&BallotRecord> = records.iter().collect();
    sorted.sort_by(|a, b| (a.at, &a.device, &a.file, a.line).cmp(&(b.at, &b.device, &b.file, b.line)));
    let mut distinct: Vec<&BallotRecord> = Vec::new();
    for record in sorted {
        if !distinct.iter().any(|kept| kept.same_decision(record)) {
            distinct.push(record);
        }
    }
    distinct
}

impl Campaign {
    /// Every owner of a premise with differing ballots from different devices, in the registry's
    /// order of premises. Records that carry the same decision are no conflict.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut conflicts: Vec<Conflict> = self
            .replica
            .ballots
            .values()
            .map(|records| decisions(records))
            .filter(|variants| variants.len() > 1)
            .map(|variants| Conflict {
                premise: variants[0].premise.clone(),
                owner: variants[0].owner.clone(),
                questions: differing(&variants),
                variants: variants.into_iter().map(Variant::of).collect(),
            })
            .collect();
        conflicts.sort_by_cached_key(|c| (self.registry.find(&c.premise), c.owner.clone()));
        conflicts
    }

    /// Keeps variant `keep` (numbered from 1, as `conflicts` lists them) of the owner's differing
    /// ballots: written through the one write path as the key's one value, so that the conflict
    /// is gone here and, after sync, on every device.
    pub fn resolve_conflict(&mut self, premise: &str, owner: &str, keep: usize) -> Result<(), StoreError> {
        let index =
            self.registry.find(premise).ok_or_else(|| StoreError::UnknownPremise { premise: premise.trim().into() })?;
        let label = self.registry.premises[index].label.clone();
        let owners: Vec<String> = self.registry.premises[index].owners().iter().map(|o| o.name.clone()).collect();
        let owner = find_owner(&label, &owners, owner)?;
        let key = BallotRecord::key(&label, &owner);
        self.write(|writer| {
            if writer.replica.group.as_ref().is_some_and(|group| group.organiser() != Some(writer.device())) {
                return Err(StoreError::OrganiserOnly);
            }
            let variants = writer.replica.ballots.get(&key).map(|r| decisions(r)).unwrap_or_default();
            if variants.len() < 2 {
                return Err(StoreError::NoConflict { premise: label, owner });
            }
            let Some(chosen) = keep.checked_sub(1).and_then(|n| variants.get(n)) else {
                return Err(StoreError::NoSuchVariant { premise: label, owner, keep, variants: variants.len() });
            };
            let entry = Entry { map: Map::Ballots, key: key.clone(), text: chosen.encode() };
            Ok(((), vec![entry]))
        })
    }
}

/// The questions (from 1) whose answers are not the same in every variant.
fn differing(variants: &[&BallotRecord]) -> Vec<usize> {
    let questions = variants.iter().map(|v| v.answers.len()).max().unwrap_or(0);
    (0..questions)
        .filter(|&q| variants.iter().any(|v| v.answers.get(q) != variants[0].answers.get(q)))
        .map(|q| q + 1)
        .collect()
}
