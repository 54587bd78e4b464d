//! A file's bytes as sheets of text cells: a workbook (XLSX, ODS, XLS) through calamine, or CSV
//! text in UTF-8 (with or without a BOM), UTF-16 with its mark or Windows-1251 (what a Russian Excel
//! saves), its delimiter found by one rule. Every row keeps its number as people see it: the line
//! of a CSV file, the row of a sheet.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::error::{InputError, Problem};
use crate::lang::Lang;

/// How a text file was encoded, when it was not plain UTF-8: said to the user, who may have
/// expected otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16,
    Windows1251,
}

/// Something worth saying about how a file was read: its encoding, or where its table was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Decoded {
        file: String,
        encoding: Encoding,
    },
    /// The table's header is not the first row of the file's first sheet.
    HeaderAt {
        file: String,
        sheet: Option<String>,
        row: u64,
    },
}

impl Notice {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Notice::Decoded { file, encoding: Encoding::Windows1251 }, Lang::Ru) => {
                format!("{file}: прочитан в кодировке Windows-1251 (так сохраняет CSV русский Excel)")
            }
            (Notice::Decoded { file, encoding: Encoding::Windows1251 }, Lang::En) => {
                format!("{file}: read as Windows-1251 (as a Russian Excel saves CSV)")
            }
            (Notice::Decoded { file, encoding: Encoding::Utf16 }, Lang::Ru) => {
                format!("{file}: прочитан в кодировке UTF-16 («Текст Юникод» Excel)")
            }
            (Notice::Decoded { file, encoding: Encoding::Utf16 }, Lang::En) => {
                format!("{file}: read as UTF-16 (Excel's \"Unicode Text\")")
            }
            (Notice::HeaderAt { file, sheet: Some(sheet), row }, Lang::Ru) => {
                format!("{file}: таблица на листе «{sheet}», заголовок в строке {row}")
            }
            (Notice::HeaderAt { file, sheet: Some(sheet), row }, Lang::En) => {
                format!("{file}: the table is on sheet \"{sheet}\", its header on row {row}")
            }
            (Notice::HeaderAt { file, sheet: None, row }, Lang::Ru) => {
                format!("{file}: заголовок таблицы в строке {row}")
            }
            (Notice::HeaderAt { file, sheet: None, row }, Lang::En) => {
                format!("{file}: the table's header is on line {row}")
            }
        }
    }
}

/// One row of a sheet: its number as people see it and its cells as written (untrimmed: a
/// control character at an end is refused, not dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    pub number: u64,
    pub cells: Vec<String>,
}

/// One sheet of a workbook, or the whole of a CSV file (`name` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: Option<String>,
    pub rows: Vec<SourceRow>,
}

/// A file read as sheets of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub sheets: Vec<Sheet>,
    /// The encoding of a CSV file that was not UTF-8.
    pub encoding: Option<Encoding>,
}

impl Source {
    /// Reads a workbook or a CSV file, told apart by their first bytes.
    pub fn read(file: &str, bytes: &[u8]) -> Result<Source, InputError> {
        if is_workbook(bytes) {
            return Ok(Source { sheets: workbook(file, bytes)?, encoding: None });
        }
        let (text, encoding) = decode(file, bytes)?;
        Ok(Source { sheets: vec![Sheet { name: None, rows: csv_rows(file, &text)? }], encoding })
    }

    /// The notice of the encoding, if any.
    pub fn notice(&self, file: &str) -> Option<Notice> {
        self.encoding.map(|encoding| Notice::Decoded { file: file.to_owned(), encoding })
    }
}

/// An XLSX or ODS (a ZIP) or an old XLS (a compound file).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// A text file's bytes as text: UTF-8 (a BOM dropped), UTF-16 with its mark, or else
/// Windows-1251, the one other encoding Russian spreadsheets and Notepad save in. A workbook is
/// refused: text is expected.
pub fn decode(file: &str, bytes: &[u8]) -> Result<(String, Option<Encoding>), InputError> {
    if is_workbook(bytes) {
        return Err(InputError::new(file, None, Problem::Workbook));
    }
    if let Some(text) = utf16(bytes) {
        return text
            .map(|text| (text, Some(Encoding::Utf16)))
            .ok_or_else(|| InputError::new(file, None, Problem::Undecodable));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_owned(), None));
    }
    let (text, had_errors) = encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes);
    if had_errors {
        let bad = text.find('\u{fffd}').unwrap_or_default();
        let line = 1 + text[..bad].matches('\n').count() as u64;
        return Err(InputError::at(file, line, Problem::Undecodable));
    }
    Ok((text.into_owned(), Some(Encoding::Windows1251)))
}

/// UTF-16 text with its byte-order mark (Excel's «Текст Юникод»), decoded; `None` without a mark,
/// `Some(None)` when it does not decode.
fn utf16(bytes: &[u8]) -> Option<Option<String>> {
    let unit: fn([u8; 2]) -> u16 = match bytes {
        [0xFF, 0xFE, ..] => u16::from_le_bytes,
        [0xFE, 0xFF, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let body = &bytes[2..];
    if !body.len().is_multiple_of(2) {
        return Some(None);
    }
    let units = body.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    Some(char::decode_utf16(units).collect::<Result<String, _>>().ok())
}

/// The delimiter of CSV text, one rule for every file: `;` or a tab (a paste from a spreadsheet)
/// when one of the first ten lines has it, else `,`. A decimal comma (`54,3`) never decides.
pub fn delimiter(text: &str) -> u8 {
    let head: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect();
    [b';', b'\t'].into_iter().find(|&d| head.iter().any(|l| l.contains(char::from(d)))).unwrap_or(b',')
}

fn csv_rows(file: &str, text: &str) -> Result<Vec<SourceRow>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = crate::text::Lines::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| lines.line_at(p.byte()));
            InputError::new(file, line, Problem::Csv(e.to_string()))
        })?;
        let number = record.position().map_or(0, |p| lines.line_at(p.byte()));
        rows.push(SourceRow { number, cells: record.iter().map(str::to_owned).collect() });
    }
    Ok(rows)
}

fn workbook(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, InputError> {
    let unreadable = |why: String| InputError::new(file, None, Problem::BadWorkbook(why));
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(e.to_string()))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names() {
        let range = workbook.worksheet_range(&name).map_err(|e| unreadable(e.to_string()))?;
        let (first, skip) = range.start().map_or((0, 0), |(row, col)| (u64::from(row), col as usize));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, row)| {
                let mut cells = vec![String::new(); skip];
                cells.extend(row.iter().map(text_of));
                SourceRow { number: first + i as u64 + 1, cells }
            })
            .collect();
        sheets.push(Sheet { name: Some(name), rows });
    }
    Ok(sheets)
}

/// A cell as the text a person sees: a whole number without `.0`, a date as `2026-12-18`.
fn text_of(data: &Data) -> String {
    match data {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(date) if date.is_datetime() => excel_date(date.as_f64()).unwrap_or_else(|| data.to_string()),
        Data::Empty | Data::Error(_) => String::new(),
        other => other.to_string(),
    }
}

/// An Excel serial date (days since 30 December 1899) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> Option<String> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = chrono::Days::new(serial.floor().max(0.0) as u64);
    Some(epoch.checked_add_days(days)?.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_delimiter_rule_for_every_file() {
        assert_eq!(delimiter("Реестр собственников\nпомещение;тип\n"), b';', "a title line above the header");
        assert_eq!(delimiter("premise\tkind\n1\tflat\n"), b'\t');
        assert_eq!(delimiter("premise,kind,area\n1,flat,\"54,3\"\n"), b',');
    }

    #[test]
    fn windows_1251_is_decoded_and_said_so() {
        let (text, encoding) = decode("r.csv", &[0xC8, 0xE2, 0xE0, 0xED, b';', 0xB8]).unwrap();
        assert_eq!((text.as_str(), encoding), ("Иван;ё", Some(Encoding::Windows1251)));
        let (text, encoding) = decode("r.csv", "\u{feff}Иван".as_bytes()).unwrap();
        assert_eq!((text.as_str(), encoding), ("Иван", None));
    }

    #[test]
    fn an_excel_date_reads_as_a_date() {
        assert_eq!(excel_date(46374.0).as_deref(), Some("2026-12-18"));
    }
}
