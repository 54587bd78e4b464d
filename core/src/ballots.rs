//! Owners' decisions (решения собственников, `ballots.csv`, interface §1.3): one row per
//! received ballot, checked against the registry and the agenda.

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;

use chrono::NaiveDate;

use crate::date::parse_date;
use crate::error::{InputError, Problem};
use crate::registry::{OWNER_COLUMN, PREMISE_COLUMN, Registry};
use crate::table::Column;

/// Why an answer does not count (ч.6 ст.48 ЖК РФ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Invalid {
    /// No mark at all.
    NoMark,
    /// Several answers marked.
    Several,
    /// The commission found the answer spoiled.
    Spoiled,
}

/// One answer to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    For,
    Against,
    Abstain,
    Invalid(Invalid),
}

impl Answer {
    fn word(text: &str) -> Option<Answer> {
        Some(match text {
            "за" | "for" => Answer::For,
            "против" | "against" => Answer::Against,
            "воздержался" | "воздержалась" | "воздержались" | "воздерж." | "abstain" => {
                Answer::Abstain
            }
            _ => return None,
        })
    }

    /// Parses a ballot cell; `None` for a word that is not an answer.
    pub fn parse(text: &str) -> Option<Answer> {
        let text = text.trim();
        crate::table::any_case(text, Self::parse_exact)
    }

    fn parse_exact(text: &str) -> Option<Answer> {
        match text {
            "" => Some(Answer::Invalid(Invalid::NoMark)),
            "испорчен" | "испорчено" | "spoiled" => Some(Answer::Invalid(Invalid::Spoiled)),
            t if t.contains('+') => {
                t.split('+').all(|w| Self::word(w.trim()).is_some()).then_some(Answer::Invalid(Invalid::Several))
            }
            t => Self::word(t),
        }
    }

    /// A valid answer: exactly one of за / против / воздержался.
    pub fn is_valid(self) -> bool {
        !matches!(self, Answer::Invalid(_))
    }
}

/// One received decision of one owner in one premise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ballot {
    pub line: u64,
    pub premise: String,
    /// The owner as named in the registry (for a joint group, the member who signed).
    pub owner: String,
    /// One answer per question, in agenda order.
    pub answers: Vec<Answer>,
    pub received: Option<NaiveDate>,
    /// Why the ballot is defective, when it is.
    pub defect: Option<String>,
}

const RECEIVED: Column = Column { name: "received", ru: "получено" };
const DEFECT: Column = Column { name: "defect", ru: "дефект" };

/// Parses `ballots.csv` against the registry and an agenda of `questions` questions.
pub fn parse_ballots(
    file: &str,
    reader: impl Read,
    registry: &Registry,
    questions: usize,
) -> Result<Vec<Ballot>, crate::error::InputError> {
    let table = crate::table::Table::read(file, reader)?;
    let premise_col = table.require(PREMISE_COLUMN)?;
    let owner_col = table.require(OWNER_COLUMN)?;
    let received_col = table.find(RECEIVED)?;
    let defect_col = table.find(DEFECT)?;
    let mut question_cols = vec![None; questions];
    for (header, index) in table.headers() {
        if let Ok(n) = header.parse::<usize>() {
            if n == 0 || n > questions {
                return Err(table.error(1, Problem::ExtraQuestion { column: header.into(), questions }));
            }
            question_cols[n - 1] = Some(index);
        }
    }
    let question_cols = question_cols
        .into_iter()
        .enumerate()
        .map(|(i, c)| c.ok_or_else(|| InputError::at(file, 1, Problem::MissingQuestion(i + 1))))
        .collect::<Result<Vec<_>, _>>()?;

    let mut owners: HashMap<&str, Vec<&str>> = HashMap::default();
    for premise in &registry.premises {
        let names = premise.holders().into_iter().flat_map(|(_, h)| h.owners.iter().map(|o| o.name.as_str()));
        owners.insert(&premise.label, names.collect());
    }
    let mut seen: HashMap<(&str, &str), u64> = HashMap::default();
    let mut ballots = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let line = row.line;
        let premise = row.get(Some(premise_col));
        let owner = row.get(Some(owner_col));
        if premise.is_empty() {
            return Err(table.error(line, Problem::MissingValue(PREMISE_COLUMN.name)));
        }
        if owner.is_empty() {
            return Err(table.error(line, Problem::MissingValue(OWNER_COLUMN.name)));
        }
        let names = owners.get(premise).ok_or_else(|| table.error(line, Problem::UnknownPremise(premise.into())))?;
        if !names.contains(&owner) {
            return Err(table.error(line, Problem::UnknownOwner { premise: premise.into(), owner: owner.into() }));
        }
        if let Some(other_line) = seen.insert((premise, owner), line) {
            return Err(table
                .error(line, Problem::DuplicateBallot { premise: premise.into(), owner: owner.into(), other_line }));
        }
        let answers = question_cols
            .iter()
            .enumerate()
            .map(|(i, &col)| {
                let text = row.get(Some(col));
                Answer::parse(text)
                    .ok_or_else(|| table.error(line, Problem::UnknownAnswer { question: i + 1, value: text.into() }))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let received = match row.opt(received_col) {
            None => None,
            Some(text) => Some(parse_date(text).ok_or_else(|| table.error(line, Problem::BadDate(text.into())))?),
        };
        ballots.push(Ballot {
            line,
            premise: premise.to_owned(),
            owner: owner.to_owned(),
            answers,
            received,
            defect: row.opt(defect_col).map(str::to_owned),
        });
    }
    Ok(ballots)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_in_both_languages_and_invalid_forms() {
        assert_eq!(Answer::parse("За"), Some(Answer::For));
        assert_eq!(Answer::parse("against"), Some(Answer::Against));
        assert_eq!(Answer::parse(" воздержалась "), Some(Answer::Abstain));
        assert_eq!(Answer::parse(""), Some(Answer::Invalid(Invalid::NoMark)));
        assert_eq!(Answer::parse("за+против"), Some(Answer::Invalid(Invalid::Several)));
        assert_eq!(Answer::parse("испорчен"), Some(Answer::Invalid(Invalid::Spoiled)));
        assert_eq!(Answer::parse("да"), None);
        assert_eq!(Answer::parse("за+да"), None);
    }
}
