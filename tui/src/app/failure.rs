//! A store that fails, on screen: what happened and to which file, in the words the command line
//! prints, on a red line that stays (across keys, screens and looks at the store) until the store
//! works again, fitted to the width of a phone without a word cut unmarked.

use std::path::{Path, PathBuf};

use obhod_core::Lang;
use obhod_store::StoreError;

use super::App;
use super::view::{cells, head};

/// What the store was asked for when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// A look for what other processes wrote.
    Read,
    /// A mark or an undo.
    Write,
}

/// The failure on the red line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFailure {
    /// The message as `obhod` prints it on the command line, the file first.
    pub message: String,
    /// What happened and what to do, without the file.
    pub reason: String,
    /// The store file, when the failure is about it.
    pub file: Option<PathBuf>,
    /// A failed write is said until a write works again (a full disk still reads); a failed read,
    /// until a read or a write works.
    pub during: Access,
}

impl StoreFailure {
    pub fn new(error: &StoreError, lang: Lang, during: Access) -> StoreFailure {
        StoreFailure {
            message: error.message(lang),
            reason: error.reason(lang),
            file: error.path().map(Path::to_path_buf),
            during,
        }
    }

    /// The red line in at most `most` lines of `width` cells: «✗ what happened — файл PATH»,
    /// wrapped between words. Where it does not fit, the path shrinks to its file's name, then
    /// the reason ends early with «…»; what happened and the file stay.
    pub fn lines(&self, lang: Lang, width: usize, most: usize) -> Vec<String> {
        let width = width.max(1);
        // «— файл» is kept on one line: a no-break space, made plain once wrapped.
        let file_word = lang.pick("—\u{a0}файл", "—\u{a0}file");
        let Some(file) = &self.file else {
            return fit(&format!("✗ {}", self.reason), width, most);
        };
        let name =
            file.file_name().map_or_else(|| file.display().to_string(), |n| format!("…/{}", n.to_string_lossy()));
        // The whole path where it fits on a line with its word, never split across two.
        let whole = file.display().to_string();
        let paths =
            if cells(&whole) + cells(file_word) < width { vec![whole, name.clone()] } else { vec![name.clone()] };
        for path in paths {
            let lines = wrap(&format!("✗ {} {file_word} {path}", self.reason), width);
            if lines.len() <= most {
                return lines;
            }
        }
        let words: Vec<&str> = self.reason.split(' ').collect();
        for kept in (1..words.len()).rev() {
            let kept = words[..kept].join(" ");
            let kept = kept.trim_end_matches([';', ',', '.', ':']);
            let lines = wrap(&format!("✗ {kept}… {file_word} {name}"), width);
            if lines.len() <= most {
                return lines;
            }
        }
        fit(&format!("✗ {} {file_word} {name}", self.reason), width, most)
    }
}

/// `text` wrapped, its last line ending in «…» when there are more than `most`.
fn fit(text: &str, width: usize, most: usize) -> Vec<String> {
    let mut lines = wrap(text, width);
    if lines.len() > most {
        lines.truncate(most);
        if let Some(last) = lines.last_mut() {
            *last = head(&format!("{last} …"), width);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    lines
}

/// Lines of at most `width` cells, broken between words; a word wider than a line (a long path)
/// is split across lines.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && cells(&line) + 1 + cells(word) <= width {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if cells(&line) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|line| line.replace('\u{a0}', " ")).collect()
}

impl App {
    /// The store failed: the red line says so, named, until it works again. A failure while one
    /// of a write stands is said until a write works too.
    pub(super) fn store_failed(&mut self, error: &StoreError, during: Access) -> bool {
        let during = self.error.as_ref().map_or(during, |standing| standing.during.max(during));
        let failure = StoreFailure::new(error, self.lang, during);
        let changed = self.error.as_ref() != Some(&failure);
        self.error = Some(failure);
        changed
    }

    /// The store did what it was asked: a write that works ends any failure, a read one of a
    /// read. True when the red line goes.
    pub(super) fn store_worked(&mut self, during: Access) -> bool {
        self.error.take_if(|failure| failure.during <= during).is_some()
    }
}

#[cfg(test)]
mod tests;
