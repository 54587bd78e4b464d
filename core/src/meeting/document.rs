//! Checks on the whole `meeting.toml` document before its keys are read: no control
//! character in any key or string, and no key obhod does not read.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Source;
use crate::error::{InputError, Problem};

/// Refuses a control character in any key or string of the file (TOML lets one in through
/// an escape such as `\u001b`), naming the key, its line and column, and the character.
pub(super) fn forbidden_characters(src: &Source) -> Result<(), InputError> {
    let Ok(document) = DeTable::parse(src.text) else { return Ok(()) };
    let mut found = None;
    walk_table(document.get_ref(), "", &mut found);
    let Some((offset, field, character)) = found else { return Ok(()) };
    let (line, column) = src.position(offset);
    let mut error = InputError::at(src.file, line, Problem::ForbiddenCharacter { field, character });
    error.column = Some(column);
    Err(error)
}

/// The earliest forbidden character found so far: its byte offset, key path and character.
type Offender = Option<(usize, String, char)>;

fn note(found: &mut Offender, offset: usize, path: &str, text: &str) {
    if let Some((_, character)) = crate::text::forbidden(text)
        && found.as_ref().is_none_or(|(earliest, ..)| offset < *earliest)
    {
        *found = Some((offset, path.to_owned(), character));
    }
}

fn walk_table(table: &DeTable, path: &str, found: &mut Offender) {
    for (key, value) in table {
        let path = if path.is_empty() { key.get_ref().to_string() } else { format!("{path}.{}", key.get_ref()) };
        note(found, key.span().start, &path, key.get_ref());
        walk_value(value, &path, found);
    }
}

fn walk_value(value: &Spanned<DeValue>, path: &str, found: &mut Offender) {
    match value.get_ref() {
        DeValue::String(text) => note(found, value.span().start, path, text),
        DeValue::Table(table) => walk_table(table, path, found),
        DeValue::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk_value(item, &format!("{path}[{}]", index + 1), found);
            }
        }
        _ => {}
    }
}

/// The keys obhod reads, per table; `None` for the top level.
fn known_keys(table: Option<&str>) -> &'static [&'static str] {
    match table {
        None => &["building", "meeting", "question"],
        Some("building") => &["address", "postcode", "registry", "region", "district", "place", "street", "house"],
        Some("meeting") => &[
            "kind",
            "form",
            "date",
            "time",
            "place",
            "voting_ends",
            "ballots_to",
            "initiator",
            "initiator_premise",
            "initiator_address",
            "chair",
            "secretary",
            "counting_commission",
            "protocol_number",
            "protocol_date",
            "storage",
            "materials",
        ],
        Some(_) => &["text", "proposal", "item", "threshold"],
    }
}

/// Refuses a key obhod does not read (`treshold` for `threshold`): a typo would otherwise
/// be ignored in silence and, say, leave a question on the threshold its item implies.
pub(super) fn unknown_keys(src: &Source) -> Result<(), InputError> {
    let Ok(document) = DeTable::parse(src.text) else { return Ok(()) };
    let unknown = |table: Option<&str>, keys: &DeTable, prefix: &str| {
        let known = known_keys(table);
        keys.keys().filter(|k| !known.contains(&k.get_ref().as_ref())).min_by_key(|k| k.span().start).map(|k| {
            let (line, column) = src.position(k.span().start);
            let key = format!("{prefix}{}", k.get_ref());
            let mut error = InputError::at(src.file, line, Problem::UnknownKey { key, known: known.join(", ") });
            error.column = Some(column);
            error
        })
    };
    let mut errors = Vec::new();
    errors.extend(unknown(None, document.get_ref(), ""));
    for (name, value) in document.get_ref() {
        let name = name.get_ref().as_ref();
        match value.get_ref() {
            DeValue::Table(table) => errors.extend(unknown(Some(name), table, &format!("{name}."))),
            DeValue::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let DeValue::Table(table) = item.get_ref() {
                        errors.extend(unknown(Some(name), table, &format!("{name}[{}].", index + 1)));
                    }
                }
            }
            _ => {}
        }
    }
    match errors.into_iter().min_by_key(|e| (e.line, e.column)) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}
