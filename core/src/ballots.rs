//! Owners' decisions (решения собственников, `ballots.csv`): one row per
//! received ballot, checked against the registry and the agenda.

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;

use chrono::NaiveDate;

use crate::date::parse_date;
use crate::error::{InputError, Problem};
use crate::lang::Lang;
use crate::registry::{OWNER_COLUMN, PREMISE_COLUMN, Registry};
use crate::representative::{Authority, Proxy, Representative};
use crate::table::{Column, Row, Table};
use crate::text::fold;

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

    /// A stable code for scripts.
    pub fn code(self) -> &'static str {
        match self {
            Answer::For => "for",
            Answer::Against => "against",
            Answer::Abstain => "abstain",
            Answer::Invalid(Invalid::NoMark) => "no_mark",
            Answer::Invalid(Invalid::Several) => "several",
            Answer::Invalid(Invalid::Spoiled) => "spoiled",
        }
    }

    /// The answer in a word, as a ballot says it (`за`, `for`); an invalid one by why.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Answer::For => lang.pick("за", "for"),
            Answer::Against => lang.pick("против", "against"),
            Answer::Abstain => lang.pick("воздержался", "abstain"),
            Answer::Invalid(Invalid::NoMark) => lang.pick("нет отметки", "no mark"),
            Answer::Invalid(Invalid::Several) => lang.pick("несколько отметок", "several marks"),
            Answer::Invalid(Invalid::Spoiled) => lang.pick("испорчен", "spoiled"),
        }
    }
}

/// One received decision of one owner in one premise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
    /// Who signed it for the owner; `None` when the owner signed.
    pub representative: Option<Representative>,
}

const RECEIVED: Column = Column { name: "received", ru: "получено" };
const DEFECT: Column = Column { name: "defect", ru: "дефект" };
const REPRESENTATIVE: Column = Column { name: "representative", ru: "представитель" };
const AUTHORITY: Column = Column { name: "authority", ru: "полномочия" };
const PROXY_DATE: Column = Column { name: "proxy_date", ru: "дата_доверенности" };
const PROXY_UNTIL: Column = Column { name: "proxy_until", ru: "доверенность_до" };
const CERTIFIED_BY: Column = Column { name: "certified_by", ru: "удостоверена" };

/// Where the representative's columns sit, when the file has them.
struct SignerColumns {
    representative: Option<usize>,
    authority: Option<usize>,
    proxy: [(Column, Option<usize>); 3],
}

impl SignerColumns {
    fn find(table: &Table) -> Result<Self, InputError> {
        Ok(SignerColumns {
            representative: table.find(REPRESENTATIVE)?,
            authority: table.find(AUTHORITY)?,
            proxy: [
                (PROXY_DATE, table.find(PROXY_DATE)?),
                (PROXY_UNTIL, table.find(PROXY_UNTIL)?),
                (CERTIFIED_BY, table.find(CERTIFIED_BY)?),
            ],
        })
    }

    /// The row's representative: none when the owner signed; refused when a right is missing or
    /// unknown, when a date is not one, or when a column is filled that its right does not have.
    fn read(&self, table: &Table, row: &Row) -> Result<Option<Representative>, InputError> {
        let line = row.line;
        let date = |index: Option<usize>| match row.opt(index) {
            None => Ok(None),
            Some(text) => parse_date(text).map(Some).ok_or_else(|| table.error(line, Problem::BadDate(text.into()))),
        };
        let filled = |columns: &[(Column, Option<usize>)]| {
            columns.iter().find(|(_, index)| row.opt(*index).is_some()).map(|(column, _)| column.name)
        };
        let Some(name) = row.opt(self.representative) else {
            let [date, until, certified] = self.proxy;
            return match filled(&[(AUTHORITY, self.authority), date, until, certified]) {
                Some(column) => Err(table.error(line, Problem::WithoutRepresentative { column })),
                None => Ok(None),
            };
        };
        let Some(written) = row.opt(self.authority) else {
            return Err(table.error(line, Problem::MissingAuthority { representative: name.into() }));
        };
        let [(_, date_col), (_, until_col), (_, certified_col)] = self.proxy;
        let proxy = Proxy {
            date: date(date_col)?,
            until: date(until_col)?,
            certified_by: row.opt(certified_col).map(Into::into),
        };
        let authority = Authority::parse(written, proxy)
            .ok_or_else(|| table.error(line, Problem::UnknownAuthority(written.into())))?;
        if authority.proxy().is_none()
            && let Some(column) = filled(&self.proxy)
        {
            return Err(table.error(line, Problem::NotAProxy { column, authority: written.into() }));
        }
        Ok(Some(Representative { name: name.into(), authority }))
    }
}

/// The column of each question, in agenda order. Every header that reads as a number is a
/// question column (`1`, `01`, `+1`); two that mean one question refuse the file.
fn question_columns(table: &Table, questions: usize) -> Result<Vec<usize>, InputError> {
    let mut columns: Vec<Option<(usize, &str)>> = vec![None; questions];
    for (header, index) in table.headers() {
        let Ok(n) = header.parse::<usize>() else { continue };
        if n == 0 || n > questions {
            return Err(table.error(table.header_line, Problem::ExtraQuestion { column: header.into(), questions }));
        }
        if let Some((_, first)) = columns[n - 1] {
            let (first, second) = (first.to_owned(), header.to_owned());
            return Err(table.error(table.header_line, Problem::DuplicateQuestion { question: n, first, second }));
        }
        columns[n - 1] = Some((index, header));
    }
    columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            c.map(|(index, _)| index).ok_or_else(|| table.error(table.header_line, Problem::MissingQuestion(i + 1)))
        })
        .collect()
}

/// The registry's premises and owners by label and name, exact or folded (`H-1` is `Н-1`).
struct OwnerIndex<'r> {
    registry: &'r Registry,
    exact: HashMap<&'r str, usize>,
    folded: HashMap<String, usize>,
}

impl<'r> OwnerIndex<'r> {
    fn new(registry: &'r Registry) -> Self {
        let premises = registry.premises.iter().enumerate();
        let exact = premises.clone().map(|(i, p)| (p.label.as_str(), i)).collect();
        let folded = premises.map(|(i, p)| (fold(&p.label), i)).collect();
        OwnerIndex { registry, exact, folded }
    }

    /// The premise's label and the owner's name as the registry writes them.
    fn find(&self, premise: &str, owner: &str) -> Result<(&'r str, &'r str), Box<Problem>> {
        let registry = self.registry;
        let index = self
            .exact
            .get(premise)
            .copied()
            .or_else(|| self.folded.get(&fold(premise)).copied())
            .ok_or_else(|| Box::new(Problem::UnknownPremise(premise.into())))?;
        let found = &registry.premises[index];
        let owners = found.owners();
        let name = owners
            .iter()
            .find(|o| o.name == owner)
            .or_else(|| owners.iter().find(|o| fold(&o.name) == fold(owner)))
            .ok_or_else(|| Box::new(Problem::UnknownOwner { premise: found.label.clone(), owner: owner.into() }))?;
        Ok((found.label.as_str(), name.name.as_str()))
    }
}

/// Parses `ballots.csv` against the registry and an agenda of `questions` questions.
/// The columns a ballots file may name besides the questions' numbers.
fn known_columns() -> Vec<&'static str> {
    crate::table::names(&[
        PREMISE_COLUMN,
        OWNER_COLUMN,
        RECEIVED,
        DEFECT,
        REPRESENTATIVE,
        AUTHORITY,
        PROXY_DATE,
        PROXY_UNTIL,
        CERTIFIED_BY,
    ])
}

/// A ballots file as the CSV text a campaign keeps and imports: a CSV decoded, a workbook's
/// sheet of decisions (under its title) written out as CSV.
pub fn ballots_text(file: &str, bytes: &[u8]) -> Result<String, crate::error::InputError> {
    if !crate::table::source::is_workbook(bytes) {
        return crate::table::source::decode(file, bytes).map(|(text, _)| text);
    }
    Ok(Table::read(file, bytes, &known_columns())?.to_csv())
}

pub fn parse_ballots(
    file: &str,
    reader: impl Read,
    registry: &Registry,
    questions: usize,
) -> Result<Vec<Ballot>, crate::error::InputError> {
    let table = Table::read(file, reader, &known_columns())?;
    let premise_col = table.require(PREMISE_COLUMN)?;
    let owner_col = table.require(OWNER_COLUMN)?;
    let received_col = table.find(RECEIVED)?;
    let defect_col = table.find(DEFECT)?;
    let signer = SignerColumns::find(&table)?;
    let question_cols = question_columns(&table, questions)?;
    let owners = OwnerIndex::new(registry);
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
        let (premise, owner) = owners.find(premise, owner).map_err(|problem| table.error(line, *problem))?;
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
            representative: signer.read(&table, row)?,
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
