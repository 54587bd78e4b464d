//! Finding a premise by a label as people type it: exact, ignoring case, or reading Latin
//! look-alikes as Cyrillic; the caller learns which, so that it can say so.

use super::Registry;
use crate::lang::Lang;
use crate::text::{fold, has_look_alike, printable};

impl Registry {
    /// The index of a premise as people type its label (see [`Registry::lookup`]).
    pub fn find(&self, label: &str) -> Option<usize> {
        self.lookup(label).map(|found| found.index)
    }

    /// A premise as people type its label: exact, else ignoring case and spaces around it
    /// (`н-3` finds `Н-3`), else also taking Latin look-alikes for Cyrillic letters (`H-1`
    /// finds `Н-1`). Parsing refuses labels that fold alike, so at most one premise matches.
    pub fn lookup(&self, label: &str) -> Option<Found> {
        let label = label.trim();
        if let Some(index) = self.premises.iter().position(|p| p.label == label) {
            return Some(Found { index, how: Match::Exact });
        }
        let lower = label.to_lowercase();
        if let Some(index) = self.premises.iter().position(|p| p.label.to_lowercase() == lower) {
            return Some(Found { index, how: Match::Case });
        }
        let folded = fold(label);
        let index = self.premises.iter().position(|p| fold(&p.label) == folded)?;
        Some(Found { index, how: Match::LookAlike })
    }
}

/// A premise found by [`Registry::lookup`], and how the typed label matched it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index into `Registry::premises`.
    pub index: usize,
    pub how: Match,
}

/// How a typed label matched a premise's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The same text (spaces around aside).
    Exact,
    /// The same but for case (`н-3` for `Н-3`).
    Case,
    /// The same once Latin look-alikes are read as Cyrillic (`H-1` for `Н-1`): worth telling
    /// the user which premise was meant.
    LookAlike,
}

impl Found {
    /// What to tell the user when `typed` matched only after folding look-alikes: which
    /// premise it was taken for, and why. `None` for an exact or case-only match.
    pub fn note(&self, typed: &str, registry: &Registry, lang: Lang) -> Option<String> {
        if self.how != Match::LookAlike {
            return None;
        }
        let (typed, label) = (printable(typed.trim()), &registry.premises[self.index].label);
        let why = if has_look_alike(&typed) {
            lang.pick("латинские буквы вместо русских", "Latin letters for Cyrillic ones")
        } else {
            lang.pick("нули впереди, невидимые символы или пробелы", "leading zeros, invisible characters or spaces")
        };
        Some(match lang {
            Lang::Ru => format!("«{typed}» понято как помещение {label} ({why})"),
            Lang::En => format!("`{typed}` taken as premise {label} ({why})"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_look_alike_match_says_which_premise_was_meant() {
        let registry = Registry::parse("r.csv", "premise;kind;area;owner\nН-1;nonresidential;50;А\n".as_bytes())
            .expect("registry");
        let found = registry.lookup("H-1").expect("found");
        assert_eq!(
            found.note("H-1", &registry, Lang::Ru).as_deref(),
            Some("«H-1» понято как помещение Н-1 (латинские буквы вместо русских)")
        );
        assert_eq!(
            found.note("H-1", &registry, Lang::En).as_deref(),
            Some("`H-1` taken as premise Н-1 (Latin letters for Cyrillic ones)")
        );
        let case = registry.lookup("н-1").expect("found");
        assert_eq!(case.note("н-1", &registry, Lang::Ru), None);
    }
}
