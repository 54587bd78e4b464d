//! Reading a registered-mail list back: a form-103 list or a business-service order obhod wrote
//! (CSV or XLSX, rows removed or reordered, tracking numbers filled in or not), told apart by its
//! header row; every letter checked against the registry, and the whole list refused at a bad row.

use std::collections::HashMap;

use obhod_core::{InputError, Problem, Registry, Tracking};

use super::{F103_COLUMNS, PREMISE_NOTE, addressee};
use crate::sheet;

/// One letter of a list read back: the premise and owner as the registry names them, the
/// tracking number if the organiser filled it in, and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLetter {
    pub premise: String,
    pub owner: String,
    pub tracking: Option<Tracking>,
    pub line: u64,
}

/// The rows of a sheet with their line numbers.
pub(super) type Rows = [(u64, Vec<String>)];

/// Reads a list obhod wrote, in list order. `due(premise, owner)` says whether a letter to that
/// owner of that premise (an index into the registry's premises, the owner's registry name) is
/// still to be sent or was recorded as sent on the list's date: an order carries no premise, so
/// the identical rows of an owner written to at its own address for several premises go to the
/// premises due when they are fewer than all its premises. Refused whole at the first row with an
/// unknown premise or owner, a repeated letter or tracking number, or a tracking number that is
/// not 14 digits.
pub fn read_list(
    file: &str,
    bytes: &[u8],
    registry: &Registry,
    due: &dyn Fn(usize, &str) -> bool,
) -> Result<Vec<ListedLetter>, InputError> {
    let rows = sheet::read(file, bytes)?;
    // The delivery register's header opens with «№ п/п» too: a form 103 header names the addressee.
    let is_f103 =
        |r: &Vec<String>| r.first().is_some_and(|c| c == F103_COLUMNS[0]) && r.contains(&F103_COLUMNS[1].into());
    let letters = if let Some(header) = rows.iter().position(|(_, r)| is_f103(r)) {
        f103(file, &rows, header, registry)?
    } else if let Some(header) = rows.iter().position(|(_, r)| addressee::is_order_header(r)) {
        addressee::read_order(file, &rows, header, registry, due)?
    } else {
        return Err(InputError::new(file, None, Problem::NotAMailList));
    };
    no_repeats(file, &letters)?;
    Ok(letters)
}

/// The position of each named column in the header row (names compared without case).
pub(super) fn columns<const N: usize>(
    file: &str,
    (line, header): &(u64, Vec<String>),
    names: [&'static str; N],
) -> Result<[usize; N], InputError> {
    let mut found = [0; N];
    for (slot, name) in found.iter_mut().zip(names) {
        *slot = column(header, name).ok_or_else(|| InputError::at(file, *line, Problem::MissingColumn(name)))?;
    }
    Ok(found)
}

pub(super) fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|c| c.eq_ignore_ascii_case(name))
}

/// The tracking number in a cell, if any.
pub(super) fn tracking(text: &str) -> Result<Option<Tracking>, Box<Problem>> {
    match text.trim() {
        "" => Ok(None),
        text => Tracking::parse(text).map(Some).map_err(|bad| Box::new(Problem::BadTracking(bad))),
    }
}

fn f103(file: &str, rows: &Rows, header: usize, registry: &Registry) -> Result<Vec<ListedLetter>, InputError> {
    let [addressee, tracking_column, note] =
        columns(file, &rows[header], [F103_COLUMNS[1], F103_COLUMNS[3], F103_COLUMNS[6]])?;
    let mut letters = Vec::new();
    for (line, row) in &rows[header + 1..] {
        if !row.first().is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let at = |problem| InputError::at(file, *line, problem);
        let label = cell(note).strip_prefix(PREMISE_NOTE.trim_end()).unwrap_or(cell(note)).trim();
        let premise = registry.find(label).ok_or_else(|| at(Problem::UnknownPremise(label.into())))?;
        let premise = &registry.premises[premise];
        let folded = obhod_core::text::fold(cell(addressee));
        let owner =
            premise.owners().into_iter().find(|o| obhod_core::text::fold(&o.name) == folded).ok_or_else(|| {
                at(Problem::UnknownOwner { premise: premise.label.clone(), owner: cell(addressee).into() })
            })?;
        let tracking = tracking(cell(tracking_column)).map_err(|p| at(*p))?;
        letters.push(ListedLetter { premise: premise.label.clone(), owner: owner.name.clone(), tracking, line: *line });
    }
    Ok(letters)
}

/// One letter per owner and premise, one item per tracking number.
fn no_repeats(file: &str, letters: &[ListedLetter]) -> Result<(), InputError> {
    let mut seen: HashMap<(&str, &str), u64> = HashMap::new();
    let mut numbers: HashMap<&Tracking, u64> = HashMap::new();
    for letter in letters {
        let at = |problem| InputError::at(file, letter.line, problem);
        if let Some(&other_line) = seen.get(&(letter.premise.as_str(), letter.owner.as_str())) {
            let (premise, owner) = (letter.premise.clone(), letter.owner.clone());
            return Err(at(Problem::DuplicateLetter { premise, owner, other_line }));
        }
        seen.insert((&letter.premise, &letter.owner), letter.line);
        if let Some(tracking) = &letter.tracking {
            if let Some(&other_line) = numbers.get(tracking) {
                return Err(at(Problem::DuplicateTracking { tracking: tracking.to_string(), other_line }));
            }
            numbers.insert(tracking, letter.line);
        }
    }
    Ok(())
}
