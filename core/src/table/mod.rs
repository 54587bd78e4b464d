//! Reading every table a user gives obhod (a registry, ballots, a mail list), whatever its format:
//! `source` turns bytes into sheets of text (XLSX, ODS, CSV in UTF-8, UTF-16 or Windows-1251);
//! here the sheet and the header row holding the table are found, by the most cells that match
//! the names the reader knows (a title above the header, a header over two rows with merged
//! cells, several sheets), and its rows kept with their line or row for messages. No field may
//! hold a control character.

use std::io::Read;

use crate::error::{InputError, Problem};

pub mod source;

pub use source::{Encoding, Notice, Sheet, Source, SourceRow};

/// A column a file may have: its English name and the Russian one people also write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub name: &'static str,
    pub ru: &'static str,
}

/// Every name of `columns`, English and Russian: what a header row is recognised by.
pub(crate) fn names(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().flat_map(|c| [c.name, c.ru]).collect()
}

/// How far down a sheet a header is looked for.
const HEADER_ROWS: usize = 30;

/// A table found in a file: where each known column sits, and the rows with their lines.
pub(crate) struct Table {
    pub file: String,
    /// The workbook's sheet holding the table; `None` for CSV.
    pub sheet: Option<String>,
    /// Header texts as compared (see `header_key`), in file order: the index is the position.
    headers: Vec<String>,
    /// Header texts as written, for messages.
    written: Vec<String>,
    /// The line (row) of the header, the last of a header over two rows.
    pub header_line: u64,
    pub rows: Vec<Row>,
    /// What is worth saying about how the file was read.
    pub notices: Vec<Notice>,
}

pub(crate) struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Table {
    /// Reads the whole file and finds the table whose header has the most of `known` (names as
    /// written, any case); refuses it when it cannot be decoded, is empty or malformed.
    pub fn read(file: &str, mut reader: impl Read, known: &[&str]) -> Result<Table, InputError> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| InputError::new(file, None, Problem::Unreadable(e.to_string())))?;
        let source = Source::read(file, &bytes)?;
        Table::find_in(file, source, known)
    }

    /// The table of `source` whose header has the most of `known`.
    pub fn find_in(file: &str, source: Source, known: &[&str]) -> Result<Table, InputError> {
        let known: Vec<String> = known.iter().map(|k| header_key(k)).collect();
        let score =
            |row: &SourceRow| row.cells.iter().filter(|c| !c.is_empty() && known.contains(&header_key(c))).count();
        let mut best: Option<(usize, usize, usize)> = None; // (score, sheet, row index)
        for (s, sheet) in source.sheets.iter().enumerate() {
            let candidates = sheet.rows.iter().enumerate().filter(|(_, r)| !r.cells.iter().all(|c| blank(c)));
            for (r, row) in candidates.take(HEADER_ROWS) {
                let found = score(row);
                let first = best.is_none();
                if first || best.is_some_and(|(most, _, _)| found > most) {
                    best = Some((found, s, r));
                }
            }
        }
        let notice = source.notice(file);
        let Some((_, s, r)) = best else {
            return Err(InputError::new(file, Some(1), Problem::Empty));
        };
        let mut sheets = source.sheets;
        let sheet = sheets.swap_remove(s);
        let at = |line| TableError { file, sheet: sheet.name.as_deref(), line };
        let mut header: Vec<String> = sheet.rows[r].cells.iter().map(|c| c.trim().to_owned()).collect();
        let mut header_line = sheet.rows[r].number;
        let mut body = r + 1;
        if let Some(next) = sheet.rows.get(r + 1)
            && score(next) > 0
            && !next.cells.iter().any(|c| is_number(c))
            && next.cells.iter().enumerate().any(|(i, c)| !blank(c) && header.get(i).is_none_or(String::is_empty))
        {
            header = two_row_header(&header, &next.cells, &known);
            header_line = next.number;
            body = r + 2;
        }
        if sheet.rows.get(body).is_some_and(|row| numbers_the_columns(&row.cells)) {
            body += 1;
        }
        check_characters(&at(header_line), &header, |i| format!("{}", i + 1))?;
        let headers: Vec<String> = header.iter().map(|h| header_key(h)).collect();
        for (index, key) in headers.iter().enumerate() {
            if !key.is_empty() && headers[..index].contains(key) {
                return Err(at(header_line).error(Problem::DuplicateColumn(header[index].clone())));
            }
        }
        let csv = sheet.name.is_none();
        let mut rows = Vec::new();
        for row in &sheet.rows[body..] {
            if row.cells.iter().all(|c| blank(c)) {
                continue;
            }
            if csv && row.cells.len() != header.len() {
                let problem = Problem::FieldCount { found: row.cells.len() as u64, expected: header.len() as u64 };
                return Err(at(row.number).error(problem));
            }
            let name = |i: usize| header.get(i).cloned().unwrap_or_else(|| format!("{}", i + 1));
            check_characters(&at(row.number), &row.cells, name)?;
            rows.push(Row { line: row.number, fields: row.cells.clone() });
        }
        let mut notices: Vec<Notice> = notice.into_iter().collect();
        let first_row = sheet.rows.iter().find(|r| !r.cells.iter().all(|c| blank(c))).map(|r| r.number);
        if s > 0 || first_row != Some(header_line) {
            notices.push(Notice::HeaderAt { file: file.to_owned(), sheet: sheet.name.clone(), row: header_line });
        }
        Ok(Table { file: file.to_owned(), sheet: sheet.name, headers, written: header, header_line, rows, notices })
    }

    /// The index of `column`, under either of its names; an error if both are present.
    pub fn find(&self, column: Column) -> Result<Option<usize>, InputError> {
        let index = |name: &str| {
            let key = header_key(name);
            self.headers.iter().position(|h| *h == key)
        };
        match (index(column.name), index(column.ru)) {
            (Some(_), Some(_)) => Err(self.error(self.header_line, Problem::DuplicateColumn(column.name.into()))),
            (Some(i), None) | (None, Some(i)) => Ok(Some(i)),
            (None, None) => Ok(None),
        }
    }

    /// The index of a required column.
    pub fn require(&self, column: Column) -> Result<usize, InputError> {
        self.find(column)?.ok_or_else(|| self.error(self.header_line, Problem::MissingColumn(column.name)))
    }

    /// The header names as written (trimmed), with their indices, in file order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, usize)> {
        self.written.iter().enumerate().map(|(i, h)| (h.as_str(), i))
    }

    pub fn error(&self, line: u64, problem: Problem) -> InputError {
        InputError::at(&self.file, line, problem).on_sheet(self.sheet.as_deref())
    }

    /// The table as UTF-8 CSV text (`;`, the header and the rows), what a campaign keeps of a
    /// workbook it was created from.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(Vec::new());
        let rows = std::iter::once(&self.written).chain(self.rows.iter().map(|r| &r.fields));
        for row in rows {
            writer.write_record(row).expect("writing to memory does not fail");
        }
        String::from_utf8(writer.into_inner().expect("writing to memory does not fail")).expect("the fields are text")
    }
}

/// Where in a file an error is, before the table is built.
struct TableError<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    line: u64,
}

impl TableError<'_> {
    fn error(&self, problem: Problem) -> InputError {
        InputError::at(self.file, self.line, problem).on_sheet(self.sheet)
    }
}

fn blank(cell: &str) -> bool {
    cell.trim().is_empty()
}

fn is_number(cell: &str) -> bool {
    let cell = cell.trim();
    !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | ' '))
}

/// A row under the header that numbers its columns `1, 2, 3…`, as Russian forms print them.
fn numbers_the_columns(cells: &[String]) -> bool {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    filled.len() > 1 && filled.iter().enumerate().all(|(i, c)| c.trim_end_matches('.') == (i + 1).to_string())
}

/// A header written over two rows (a title cell merged over the columns under it): each column
/// takes the lower cell where it is a known name or the upper one is blank, else the upper.
fn two_row_header(top: &[String], bottom: &[String], known: &[String]) -> Vec<String> {
    (0..top.len().max(bottom.len()))
        .map(|i| {
            let upper = top.get(i).map_or("", String::as_str);
            let lower = bottom.get(i).map_or("", |c| c.trim());
            let lower_known = !lower.is_empty() && known.contains(&header_key(lower));
            if lower_known || upper.is_empty() { lower } else { upper }.to_owned()
        })
        .collect()
}

/// A header as compared with the known names: case, look-alike letters (a Cyrillic `о` in
/// `owner`), and a space or hyphen for the underscore (`вид собственника`) do not matter, so
/// that a column is never ignored in silence for a difference nobody can see.
/// Punctuation and spacing do not matter either (`№ кв.` is `№ кв`, `N кв., помещения` is
/// `N кв помещения`).
pub(crate) fn header_key(text: &str) -> String {
    let folded = crate::text::fold_keeping_zeros(text);
    let separator = |c: char| c.is_whitespace() || "_-.,:;()\"«»/".contains(c);
    let words = folded.split(separator).filter(|w| !w.is_empty());
    words.collect::<Vec<_>>().join("_")
}

/// Refuses a row with a control character in any field, naming the field by `name(index)`.
fn check_characters(at: &TableError, fields: &[String], name: impl Fn(usize) -> String) -> Result<(), InputError> {
    for (index, field) in fields.iter().enumerate() {
        if let Some((_, character)) = crate::text::forbidden(field) {
            return Err(at.error(Problem::ForbiddenCharacter { field: name(index), character }));
        }
    }
    Ok(())
}

/// Matches a word people typed in any case: the exact text first, so that the common
/// lower-case spelling costs no allocation.
pub(crate) fn any_case<T>(text: &str, exact: impl Fn(&str) -> Option<T>) -> Option<T> {
    exact(text).or_else(|| exact(&text.to_lowercase()))
}

impl Row {
    /// The trimmed text at `index`, `""` when the column is absent.
    pub fn get(&self, index: Option<usize>) -> &str {
        index.and_then(|i| self.fields.get(i)).map_or("", |f| f.trim())
    }

    /// The text at `index`, or `None` when empty or absent.
    pub fn opt(&self, index: Option<usize>) -> Option<&str> {
        Some(self.get(index)).filter(|s| !s.is_empty())
    }
}
