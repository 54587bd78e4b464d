//! Reading the CSV files people export from spreadsheets: UTF-8 with or without a BOM,
//! `;`, tab (a paste from a spreadsheet) or `,` delimiters detected from the header, case-insensitive English or Russian
//! header names, and the line number of every row for error messages. No field may hold a
//! control character.

use std::io::Read;

use csv::StringRecord;

use crate::error::{InputError, Problem};

/// A column a file may have: its English name and the Russian one people also write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub name: &'static str,
    pub ru: &'static str,
}

/// A parsed CSV file: where each known column sits, and the rows with their lines.
pub(crate) struct Table {
    pub file: String,
    /// Header texts as compared (see `header_key`), in file order: the index is the position.
    headers: Vec<String>,
    /// Header texts as written, for messages.
    written: Vec<String>,
    pub rows: Vec<Row>,
}

pub(crate) struct Row {
    pub line: u64,
    pub fields: StringRecord,
}

impl Table {
    /// Reads the whole file; refuses it on invalid UTF-8, an empty file or a CSV syntax error.
    pub fn read(file: &str, mut reader: impl Read) -> Result<Table, InputError> {
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(|e| InputError::new(file, None, Problem::Unreadable(e.to_string())))?;
        let text = crate::error::decode_utf8(file, bytes)?;
        let header_line = text.lines().next().unwrap_or("");
        if header_line.trim().is_empty() {
            return Err(InputError::at(file, 1, Problem::Empty));
        }
        let delimiter = [b';', b'\t'].into_iter().find(|&d| header_line.contains(d as char)).unwrap_or(b',');
        let mut csv = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(text.as_bytes());
        let lines = crate::text::Lines::new(&text);
        let csv_error = |e: csv::Error| {
            let line = e.position().map_or(1, |p| lines.line_at(p.byte()));
            let problem = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    Problem::FieldCount { found: *len, expected: *expected_len }
                }
                _ => Problem::Csv(e.to_string()),
            };
            InputError::at(file, line, problem)
        };
        let header = csv.headers().map_err(csv_error)?.clone();
        let written: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
        check_characters(file, 1, &header, |i| format!("{}", i + 1))?;
        let headers: Vec<String> = written.iter().map(|h| header_key(h)).collect();
        for (index, key) in headers.iter().enumerate() {
            if !key.is_empty() && headers[..index].contains(key) {
                return Err(InputError::at(file, 1, Problem::DuplicateColumn(written[index].clone())));
            }
        }
        let mut rows = Vec::new();
        for record in csv.records() {
            let fields = record.map_err(csv_error)?;
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            let line = fields.position().map_or(0, |p| lines.line_at(p.byte()));
            check_characters(file, line, &fields, |i| written.get(i).cloned().unwrap_or_else(|| format!("{}", i + 1)))?;
            rows.push(Row { line, fields });
        }
        Ok(Table { file: file.to_owned(), headers, written, rows })
    }

    /// The index of `column`, under either of its names; an error if both are present.
    pub fn find(&self, column: Column) -> Result<Option<usize>, InputError> {
        let index = |name: &str| {
            let key = header_key(name);
            self.headers.iter().position(|h| *h == key)
        };
        match (index(column.name), index(column.ru)) {
            (Some(_), Some(_)) => Err(InputError::at(&self.file, 1, Problem::DuplicateColumn(column.name.into()))),
            (Some(i), None) | (None, Some(i)) => Ok(Some(i)),
            (None, None) => Ok(None),
        }
    }

    /// The index of a required column; when it is missing, says so at a row among the first ten
    /// that names it (the header under a title row).
    pub fn require(&self, column: Column) -> Result<usize, InputError> {
        self.find(column)?.ok_or_else(|| {
            let names = [header_key(column.name), header_key(column.ru)];
            let header = |row: &&Row| row.fields.iter().any(|f| names.contains(&header_key(f.trim())));
            match self.rows.iter().take(10).find(header) {
                Some(row) => self.error(row.line, Problem::HeaderBelow { column: column.name, line: row.line }),
                None => InputError::at(&self.file, 1, Problem::MissingColumn(column.name)),
            }
        })
    }

    /// The header names as written (trimmed), with their indices, in file order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, usize)> {
        self.written.iter().enumerate().map(|(i, h)| (h.as_str(), i))
    }

    pub fn error(&self, line: u64, problem: Problem) -> InputError {
        InputError::at(&self.file, line, problem)
    }
}

/// A header as compared with the known names: case, look-alike letters (a Cyrillic `о` in
/// `owner`), and a space or hyphen for the underscore (`вид собственника`) do not matter, so
/// that a column is never ignored in silence for a difference nobody can see.
fn header_key(text: &str) -> String {
    crate::text::fold_keeping_zeros(text).replace([' ', '-'], "_")
}

/// Refuses a record with a control character in any field, naming the field by `name(index)`.
fn check_characters(
    file: &str,
    line: u64,
    fields: &StringRecord,
    name: impl Fn(usize) -> String,
) -> Result<(), InputError> {
    for (index, field) in fields.iter().enumerate() {
        if let Some((_, character)) = crate::text::forbidden(field) {
            return Err(InputError::at(file, line, Problem::ForbiddenCharacter { field: name(index), character }));
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
        index.and_then(|i| self.fields.get(i)).map_or("", str::trim)
    }

    /// The text at `index`, or `None` when empty or absent.
    pub fn opt(&self, index: Option<usize>) -> Option<&str> {
        Some(self.get(index)).filter(|s| !s.is_empty())
    }
}
