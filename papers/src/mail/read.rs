//! Reading a registered-mail list back: a form-103 list or a business-service order obhod wrote
//! (CSV or XLSX, rows removed or reordered, tracking numbers filled in or not), told apart by its
//! header row. Each row is mapped back to its letter (an owner and all the premises it is for):
//! a form-103 row by its addressee and the premises its note names, an order's row by its order
//! number (the letter's first premise and the owner's place there), its name checked. The whole
//! list is refused at a bad row, with its line.

use std::collections::HashMap;

use obhod_core::text::fold;
use obhod_core::{Envelope, InputError, Problem, Registry, Tracking};

use super::{BARCODE_COLUMN, F103_COLUMNS, OTPRAVKA_COLUMNS, PREMISE_NOTE};
use crate::sheet;

/// One letter of a list read back: which of the letters it was read against, its owner and
/// premises as the registry names them, the tracking number if the organiser filled it in, and
/// the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLetter {
    pub letter: usize,
    pub owner: String,
    /// Every premise the letter is for, the first the one a letter sent is recorded at.
    pub premises: Vec<String>,
    pub tracking: Option<Tracking>,
    pub line: u64,
}

/// The rows of a sheet with their line numbers.
type Rows = [(u64, Vec<String>)];

/// Reads a list obhod wrote, in list order, against `letters`: every letter the registry makes
/// (`obhod_core::every_envelope`). Refused whole at the first row naming a premise or an owner the
/// registry does not have or a letter that is not one, a letter twice, a tracking number twice or
/// one that is not 14 digits with its check digit.
pub fn read_list(
    file: &str,
    bytes: &[u8],
    registry: &Registry,
    letters: &[Envelope],
) -> Result<Vec<ListedLetter>, InputError> {
    let rows = sheet::read(file, bytes)?;
    // The delivery register's header opens with «№ п/п» too: a form 103 header names the addressee.
    let is_f103 =
        |r: &Vec<String>| r.first().is_some_and(|c| c == F103_COLUMNS[0]) && r.contains(&F103_COLUMNS[1].into());
    let is_order = |r: &Vec<String>| column(r, OTPRAVKA_COLUMNS[0]).is_some() && column(r, "recipient-name").is_some();
    let reader = Reader { file, registry, letters };
    let listed = if let Some(header) = rows.iter().position(|(_, r)| is_f103(r)) {
        reader.f103(&rows, header)?
    } else if let Some(header) = rows.iter().position(|(_, r)| is_order(r)) {
        reader.order(&rows, header)?
    } else {
        return Err(InputError::new(file, None, Problem::NotAMailList));
    };
    no_repeats(file, &listed)?;
    Ok(listed)
}

struct Reader<'a, 'r> {
    file: &'a str,
    registry: &'r Registry,
    letters: &'a [Envelope<'r>],
}

impl Reader<'_, '_> {
    fn f103(&self, rows: &Rows, header: usize) -> Result<Vec<ListedLetter>, InputError> {
        let [addressee, number, note] =
            columns(self.file, &rows[header], [F103_COLUMNS[1], F103_COLUMNS[3], F103_COLUMNS[6]])?;
        let mut listed = Vec::new();
        for (line, row) in &rows[header + 1..] {
            if !row.first().is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit())) {
                continue;
            }
            let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
            let at = |problem| InputError::at(self.file, *line, problem);
            let labels = cell(note).trim().strip_prefix(PREMISE_NOTE.trim_end()).unwrap_or(cell(note));
            let labels: Vec<&str> = labels.split(',').map(str::trim).filter(|l| !l.is_empty()).collect();
            let first = labels.first().ok_or_else(|| at(Problem::MissingValue(F103_COLUMNS[6])))?;
            let named = |name: &str| fold(name) == fold(cell(addressee));
            let letter = self.letter(first, named, cell(addressee)).map_err(|p| at(*p))?;
            for label in &labels[1..] {
                self.of_letter(letter, label).map_err(|p| at(*p))?;
            }
            let tracking = tracking(cell(number)).map_err(|p| at(*p))?;
            listed.push(self.listed(letter, tracking, *line));
        }
        Ok(listed)
    }

    fn order(&self, rows: &Rows, header: usize) -> Result<Vec<ListedLetter>, InputError> {
        let [number, name] = columns(self.file, &rows[header], [OTPRAVKA_COLUMNS[0], "recipient-name"])?;
        let barcode = column(&rows[header].1, BARCODE_COLUMN);
        let mut listed = Vec::new();
        for (line, row) in &rows[header + 1..] {
            if row.iter().all(String::is_empty) {
                continue;
            }
            let cell = |i: usize| row.get(i).map_or("", |c| c.trim());
            let at = |problem| InputError::at(self.file, *line, problem);
            let order_num = cell(number);
            if order_num.is_empty() {
                return Err(at(Problem::MissingValue(OTPRAVKA_COLUMNS[0])));
            }
            let bad = || at(Problem::BadOrderNum(order_num.into()));
            let (label, place) = order_num.rsplit_once('/').ok_or_else(bad)?;
            let place: usize = place.trim().parse().map_err(|_| bad())?;
            let premise = self.registry.find(label).ok_or_else(|| at(Problem::UnknownPremise(label.into())))?;
            let owner = self.registry.premises[premise].owners().get(place.wrapping_sub(1)).copied().ok_or_else(bad)?;
            // The name may be followed by the department the letter is for: «…, департамент …».
            let named = |registry_name: &str| {
                let (row, name) = (fold(cell(name)), fold(registry_name));
                registry_name == owner.name && (row == name || row.starts_with(&format!("{name},")))
            };
            let letter = self.letter(label, named, cell(name)).map_err(|p| at(*p))?;
            let tracking = tracking(barcode.map_or("", cell)).map_err(|p| at(*p))?;
            listed.push(self.listed(letter, tracking, *line));
        }
        Ok(listed)
    }

    /// The letter to the owner of premise `label` whose registry name `named` accepts (`name` as
    /// the row writes it, for the message).
    fn letter(&self, label: &str, named: impl Fn(&str) -> bool, name: &str) -> Result<usize, Box<Problem>> {
        let premise = self.registry.find(label).ok_or_else(|| Problem::UnknownPremise(label.into()))?;
        let premise = &self.registry.premises[premise];
        let unknown = || Box::new(Problem::UnknownOwner { premise: premise.label.clone(), owner: name.into() });
        let owner = premise.owners().into_iter().find(|o| named(&o.name)).ok_or_else(unknown)?;
        self.letters
            .iter()
            .position(|l| l.owner.name == owner.name && l.premises.iter().any(|p| std::ptr::eq(*p, premise)))
            .ok_or_else(unknown)
    }

    /// Checks that premise `label` is one the letter is for.
    fn of_letter(&self, letter: usize, label: &str) -> Result<(), Box<Problem>> {
        let premise = self.registry.find(label).ok_or_else(|| Problem::UnknownPremise(label.into()))?;
        let letter = &self.letters[letter];
        if letter.premises.iter().any(|p| std::ptr::eq(*p, &self.registry.premises[premise])) {
            return Ok(());
        }
        let (owner, premise) = (letter.owner.name.clone(), self.registry.premises[premise].label.clone());
        let letter = letter.labels().into_iter().map(Into::into).collect();
        Err(Box::new(Problem::LetterPremises { owner, premise, letter }))
    }

    fn listed(&self, letter: usize, tracking: Option<Tracking>, line: u64) -> ListedLetter {
        let envelope = &self.letters[letter];
        let premises = envelope.labels().into_iter().map(Into::into).collect();
        ListedLetter { letter, owner: envelope.owner.name.clone(), premises, tracking, line }
    }
}

/// The position of each named column in the header row (names compared without case).
fn columns<const N: usize>(
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

fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|c| c.trim().eq_ignore_ascii_case(name))
}

/// The tracking number in a cell, if any.
fn tracking(text: &str) -> Result<Option<Tracking>, Box<Problem>> {
    match text.trim() {
        "" => Ok(None),
        text => Tracking::parse(text).map(Some).map_err(|bad| Box::new(Problem::BadTracking(bad))),
    }
}

/// One row per letter, one letter per tracking number.
fn no_repeats(file: &str, listed: &[ListedLetter]) -> Result<(), InputError> {
    let mut seen: HashMap<usize, u64> = HashMap::new();
    let mut numbers: HashMap<&Tracking, u64> = HashMap::new();
    for letter in listed {
        let at = |problem| InputError::at(file, letter.line, problem);
        if let Some(&other_line) = seen.get(&letter.letter) {
            let (premise, owner) = (letter.premises[0].clone(), letter.owner.clone());
            return Err(at(Problem::DuplicateLetter { premise, owner, other_line }));
        }
        seen.insert(letter.letter, letter.line);
        if let Some(tracking) = &letter.tracking {
            if let Some(&other_line) = numbers.get(tracking) {
                return Err(at(Problem::DuplicateTracking { tracking: tracking.to_string(), other_line }));
            }
            numbers.insert(tracking, letter.line);
        }
    }
    Ok(())
}
