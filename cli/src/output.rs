//! Shared pieces of what the commands print: numbers for people, warnings, tables.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use obhod_core::number::{exact, percent};
use obhod_core::{Fmt, Lang, Votes, Warning};
use serde::Serialize;

/// Votes or m² for people, as every output prints them: `33,33`.
pub fn amount(value: &Votes, lang: Lang) -> String {
    Fmt(lang).votes(value)
}

/// A percentage for people: `15,00 %`.
pub fn pct(part: &Votes, whole: &Votes, lang: Lang) -> String {
    format!("{} %", Fmt(lang).percent(part, whole))
}

/// A percentage for JSON: `"15.00"`.
pub fn json_pct(part: &Votes, whole: &Votes) -> String {
    percent(part, whole, '.')
}

/// An exact number for JSON: `"100/3"`.
pub fn json_exact(value: &Votes) -> String {
    exact(value)
}

/// A warning as JSON.
#[derive(Serialize)]
pub struct WarningJson {
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    premise: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    question: Option<usize>,
    /// For `carried_by_owner`: whose ballot, and for which premise; for `ballot_conflict`: whose
    /// ballots differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    /// For `ballot_conflict`: the questions answered differently.
    #[serde(skip_serializing_if = "Option::is_none")]
    questions: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    via_premise: Option<String>,
    /// The registry line the warning is about (a letter's address).
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    message: String,
}

pub fn warnings_json<'a>(warnings: impl IntoIterator<Item = &'a Warning>, lang: Lang) -> Vec<WarningJson> {
    warnings
        .into_iter()
        .map(|w| {
            let (owner, via_premise, questions) = match w {
                Warning::CarriedByOwner { owner, via_premise, .. } => {
                    (Some(owner.clone()), Some(via_premise.clone()), None)
                }
                Warning::BallotConflict { owner, questions, .. } => {
                    (Some(owner.clone()), None, Some(questions.clone()))
                }
                Warning::LetterSentLate { owner, .. }
                | Warning::DeliveredLate { owner, .. }
                | Warning::NoOwnAddress { owner, .. }
                | Warning::LetterToNoMailbox { owner, .. }
                | Warning::AddressWithoutPostcode { owner, .. }
                | Warning::AddressWithoutPlace { owner, .. } => (Some(owner.clone()), None, None),
                _ => (None, None, None),
            };
            WarningJson {
                code: w.code(),
                premise: w.premise().map(str::to_owned),
                question: w.question(),
                owner,
                questions,
                via_premise,
                line: w.registry_line(),
                message: w.message(lang),
            }
        })
        .collect()
}

/// The warnings as a list for people, or nothing when there are none.
pub fn warnings_text<'a>(warnings: impl IntoIterator<Item = &'a Warning>, lang: Lang) -> String {
    let lines: Vec<String> = warnings.into_iter().map(|w| format!("  ! {}\n", w.message(lang))).collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("\n{}\n{}", lang.pick("Предупреждения:", "Warnings:"), lines.concat())
}

/// A table with a header; columns from `numeric` on are right-aligned.
pub fn table(header: &[&str], numeric_from: usize) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    for index in numeric_from..header.len() {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// Serialises a JSON view, pretty-printed.
pub fn json<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value)
        .expect("JSON views serialise infallibly: strings, numbers and booleans only");
    // serde_json leaves DEL, the C1 controls and the bidi overrides raw; they can only be inside
    // strings, where a JSON escape keeps the value and keeps them off the terminal.
    let mut text: String =
        text.chars()
            .map(|c| {
                if c > ' ' && obhod_core::text::is_forbidden(c) {
                    format!("\\u{:04x}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect();
    text.push('\n');
    text
}

/// Text safe to print on a terminal: control characters (an ESC that would start an escape
/// sequence, a carriage return that would overwrite a line) become visible symbols; line ends and
/// tabs stay. Everything obhod prints passes through here.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).map_or_else(String::new, String::from),
            '\u{7f}' => "\u{2421}".to_string(),
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => format!("\\u{{{:x}}}", c as u32),
            _ => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_would_reach_the_terminal_and_stays_json() {
        let value = serde_json::json!({ "note": "a\u{202e}b\u{85}c\u{7f}d\u{1b}e\nf" });
        let text = json(&value);
        assert_eq!(visible(&text), text, "nothing left for visible() to change: {text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
