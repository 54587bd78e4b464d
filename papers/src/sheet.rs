//! A sheet of cells (a mail list, a register) written as CSV (`;`, UTF-8 with a BOM, as a Russian
//! Excel opens it) or XLSX, and read back from either as text rows with their line numbers.

use obhod_core::InputError;
use rust_xlsxwriter::{Format as CellFormat, FormatAlign, FormatBorder, Workbook};

use crate::error::PaperError;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A figure (votes, m², per cent) as a spreadsheet number shown with two decimals, and its
    /// exact words (`33,33`) for CSV. The number is the exact value rounded for display only: the
    /// workbook's sums are a convenience, the exact figures are those of `obhod tally`.
    Figure(f64, String),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }

    fn as_text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Figure(_, text) => text.clone(),
        }
    }
}

/// Rows of cells; `table` is the index of the table's header row (bold, bordered, repeated on
/// every printed page), the rows before it are the title lines, and the rows from `end` on follow
/// the table (totals in words, the lines to sign).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub table: usize,
    /// The index of the first row after the table (`rows.len()` when nothing follows it).
    pub end: usize,
    /// Column widths in characters.
    pub widths: Vec<f64>,
    /// The least height of a row of the table in points: room for a signature (0: one line).
    pub row_height: f64,
}

/// The footer of every printed page: «Лист 2 из 5», centred.
const FOOTER: &str = "&CЛист &P из &N";

/// A line of the default font (Calibri 11) in points.
const LINE: f64 = 15.0;

/// The height of a row in points: enough for the lines of its fullest cell as the cell wraps
/// them, and at least `least`; `None` for a row of one line (neither Excel nor LibreOffice
/// grows a row for wrapped text on its own, and the lines would overlap the next row).
fn row_height(row: &[Cell], widths: &[f64], least: f64) -> Option<f64> {
    let most = row.iter().zip(widths).map(|(cell, &width)| wrapped_lines(&cell.as_text(), width)).max().unwrap_or(1);
    let height = (most as f64 * LINE).max(least);
    (height > LINE).then_some(height)
}

/// The lines a cell's text takes in a column `width` characters wide, its words wrapped as a
/// spreadsheet wraps them (a word longer than a line is broken).
fn wrapped_lines(text: &str, width: f64) -> usize {
    // A letter of Calibri is about a tenth wider than the digit the width is counted in.
    let per_line = ((width - 1.0) / 1.1).max(1.0).floor() as usize;
    let mut lines = 0;
    for paragraph in text.split('\n') {
        let mut line = 0;
        lines += 1;
        for word in paragraph.split(' ').map(|w| w.chars().count()) {
            let needed = if line == 0 { word } else { line + 1 + word };
            if needed <= per_line {
                line = needed;
            } else {
                lines += usize::from(line > 0) + (word.max(1) - 1) / per_line;
                line = (word - 1) % per_line + 1;
            }
        }
    }
    lines.max(1)
}

impl Sheet {
    pub fn csv(&self) -> Vec<u8> {
        let mut writer =
            csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer("\u{feff}".as_bytes().to_vec());
        for row in &self.rows {
            // An empty row is written as one empty field, so that it stays a line of its own.
            let fields: Vec<String> =
                if row.is_empty() { vec![String::new()] } else { row.iter().map(Cell::as_text).collect() };
            writer.write_record(&fields).expect("writing to memory does not fail");
        }
        writer.into_inner().expect("writing to memory does not fail")
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, PaperError> {
        workbook(std::slice::from_ref(self))
    }

    /// Adds this sheet to `workbook`.
    fn add_to(&self, workbook: &mut Workbook) -> Result<(), rust_xlsxwriter::XlsxError> {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&self.name)?;
        // A4 landscape, as wide as the page and as many pages long as it takes, numbered.
        sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
        sheet.set_footer(FOOTER);
        let header = CellFormat::new().set_bold().set_text_wrap().set_border(FormatBorder::Thin);
        let title = CellFormat::new().set_bold();
        // Text at the top of a tall row (the room to sign is under it); a number centred, apart
        // from the text of the next column.
        let cell = CellFormat::new().set_text_wrap().set_border(FormatBorder::Thin).set_align(FormatAlign::Top);
        let number = cell.clone().set_align(FormatAlign::Center);
        let figure = cell.clone().set_align(FormatAlign::Right).set_num_format("#,##0.00");
        let plain_figure = CellFormat::new().set_num_format("#,##0.00");
        for (c, width) in self.widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *width)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            // (the format of text, of a number): the header's, a row of the table's, or none.
            let in_table = r > self.table && r < self.end;
            let formats = match r {
                r if r == self.table => Some((&header, &header)),
                0 if self.table > 0 => Some((&title, &title)),
                _ if in_table && row.len() > 1 => Some((&cell, &number)),
                _ => None,
            };
            let least = if in_table { self.row_height } else { 0.0 };
            if let Some(height) = row_height(row, &self.widths, least).filter(|_| r >= self.table && r < self.end) {
                sheet.set_row_height(r as u32, height)?;
            }
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match (value, formats) {
                    (Cell::Int(n), Some((_, f))) => sheet.write_number_with_format(r, c, *n as f64, f),
                    (Cell::Int(n), None) => sheet.write_number(r, c, *n as f64),
                    (Cell::Figure(x, _), Some(_)) => sheet.write_number_with_format(r, c, *x, &figure),
                    (Cell::Figure(x, _), None) => sheet.write_number_with_format(r, c, *x, &plain_figure),
                    // An empty cell is written blank (its border kept), not as a shared empty string.
                    (Cell::Text(t), Some((f, _))) if t.is_empty() => sheet.write_blank(r, c, f),
                    (Cell::Text(t), None) if t.is_empty() => continue,
                    (Cell::Text(t), Some((f, _))) => sheet.write_string_with_format(r, c, t, f),
                    (Cell::Text(t), None) => sheet.write_string(r, c, t),
                }?;
            }
        }
        sheet.set_repeat_rows(self.table as u32, self.table as u32)?;
        Ok(())
    }
}

/// A workbook of `sheets`, in order.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, PaperError> {
    let render = |e: rust_xlsxwriter::XlsxError| PaperError::Render(e.to_string());
    let mut workbook = Workbook::new();
    for sheet in sheets {
        sheet.add_to(&mut workbook).map_err(render)?;
    }
    workbook.save_to_buffer().map_err(render)
}

/// The rows of a CSV or XLSX file as text, each with its 1-based line (CSV) or row (XLSX) number,
/// read by the core's one table reader (the first sheet of a workbook).
pub fn read(file: &str, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>, InputError> {
    let source = obhod_core::table::Source::read(file, bytes)?;
    let rows = source.sheets.into_iter().next().map(|sheet| sheet.rows).unwrap_or_default();
    Ok(rows.into_iter().map(|row| (row.number, row.cells.iter().map(|c| c.trim().to_owned()).collect())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn sheet() -> Sheet {
        Sheet {
            name: "Список".into(),
            rows: vec![
                vec![Cell::text("Заголовок")],
                vec![],
                vec![Cell::text("№"), Cell::text("Имя; с точкой с запятой")],
                vec![Cell::Int(1), Cell::text("Иванов \"Ваня\"")],
            ],
            table: 2,
            end: 4,
            widths: vec![6.0, 30.0],
            row_height: 0.0,
        }
    }

    fn part(xlsx: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).unwrap(), &mut xml).unwrap();
        xml
    }

    fn sheet_xml(xlsx: &[u8]) -> String {
        part(xlsx, "xl/worksheets/sheet1.xml")
    }

    #[test]
    fn a_rows_text_sits_at_the_top_and_its_number_apart_from_the_next_column() {
        let styles = part(&sheet().xlsx().unwrap(), "xl/styles.xml");
        assert!(styles.contains(r#"<alignment vertical="top" wrapText="1"/>"#), "{styles}");
        assert!(styles.contains(r#"<alignment horizontal="center" vertical="top" wrapText="1"/>"#), "{styles}");
    }

    #[test]
    fn a_row_whose_text_wraps_is_as_tall_as_its_lines_and_a_signing_row_taller() {
        let mut long = sheet();
        let address = "644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений";
        long.rows.push(vec![Cell::Int(2), Cell::text(address)]);
        long.end = long.rows.len();
        let xml = sheet_xml(&long.xlsx().unwrap());
        // «644024, г. Примерск, ул.» / «Гагарина, д. 32,» / «департамент имущественных» / «отношений»
        assert!(xml.contains(r#"<row r="5" spans="1:2" ht="60" customHeight="1">"#), "four lines as words wrap: {xml}");
        assert!(xml.contains(r#"<row r="4" spans="1:2">"#), "a row of one line keeps its height: {xml}");
        long.row_height = 30.0;
        let xml = sheet_xml(&long.xlsx().unwrap());
        assert!(xml.contains(r#"<row r="4" spans="1:2" ht="30" customHeight="1">"#), "room to sign: {xml}");
        assert!(xml.contains(r#"<row r="3" spans="1:2">"#), "the header row is not a row to sign: {xml}");
    }

    #[test]
    fn csv_and_xlsx_read_back_as_written() {
        let expected: Vec<Vec<String>> = vec![
            vec!["Заголовок".into()],
            vec![String::new()],
            vec!["№".into(), "Имя; с точкой с запятой".into()],
            vec!["1".into(), "Иванов \"Ваня\"".into()],
        ];
        let csv = read("list.csv", &sheet().csv()).unwrap();
        assert_eq!(csv.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>(), expected);
        assert_eq!(csv.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [1, 2, 3, 4]);
        let xlsx = read("list.xlsx", &sheet().xlsx().unwrap()).unwrap();
        let rows: Vec<Vec<String>> = xlsx
            .iter()
            .map(|(_, r)| {
                r.iter().rev().skip_while(|c| c.is_empty()).cloned().collect::<Vec<_>>().into_iter().rev().collect()
            })
            .collect();
        assert_eq!(rows[0], expected[0]);
        assert_eq!(rows[2..], expected[2..]);
        assert_eq!(xlsx[3].0, 4, "row numbers as Excel shows them");
    }
}
