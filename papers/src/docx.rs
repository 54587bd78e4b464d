//! A document as DOCX (docx-rs): A4, Times New Roman 12 pt, tables with fixed column widths that
//! fill the page, landscape parts in their own sections, the page number in every footer.

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, PageMargin, PageOrientationType,
    PageSize, Paragraph, Run, RunFonts, Section, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use crate::doc::{Align, Block, Doc, Part};

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// Margins: 2 cm top and bottom, 3 cm left (for binding), 1.5 cm right.
const MARGIN: (i32, i32, i32, i32) = (1_134, 1_701, 1_134, 850);
const FONT: &str = "Times New Roman";
/// 12 pt in half-points.
const SIZE: usize = 24;

/// The whole document as the bytes of a .docx file.
pub fn render(doc: &Doc) -> Vec<u8> {
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(SIZE)
        .default_line_spacing(LineSpacing::new().after(80));
    let (last, earlier) = doc.parts.split_last().expect("a document has a part");
    for part in earlier {
        let mut section = Section::new()
            .page_size(page_size(part.landscape))
            .page_margin(margin())
            .page_orient(orientation(part.landscape))
            .footer(footer());
        for block in rendered(part) {
            section = match block {
                Rendered::Paragraph(p) => section.add_paragraph(*p),
                Rendered::Table(t) => section.add_table(*t),
            };
        }
        docx = docx.add_section(section);
    }
    let (w, h) = if last.landscape { (A4.1, A4.0) } else { A4 };
    docx = docx.page_size(w, h).page_margin(margin()).page_orient(orientation(last.landscape)).footer(footer());
    for block in rendered(last) {
        docx = match block {
            Rendered::Paragraph(p) => docx.add_paragraph(*p),
            Rendered::Table(t) => docx.add_table(*t),
        };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.pack(&mut bytes).expect("writing a zip archive into memory cannot fail");
    deflated(&bytes.into_inner()).expect("docx-rs writes a readable zip archive")
}

/// The same archive with every part deflated: docx-rs stores its parts uncompressed, which makes
/// the forms of a large building ten times the size.
fn deflated(stored: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index)?;
        if file.is_dir() {
            continue;
        }
        part.clear();
        file.read_to_end(&mut part)?;
        out.start_file(file.name(), options)?;
        out.write_all(&part)?;
    }
    Ok(out.finish()?.into_inner())
}

enum Rendered {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

fn rendered(part: &Part) -> Vec<Rendered> {
    let width = usable_width(part.landscape);
    let mut out = Vec::new();
    let mut break_before = false;
    for block in &part.blocks {
        let item = match block {
            Block::PageBreak => {
                break_before = true;
                continue;
            }
            Block::Table { columns, rows } => {
                if break_before {
                    out.push(Rendered::Paragraph(Box::new(Paragraph::new().page_break_before(true))));
                }
                Rendered::Table(Box::new(table(columns, rows, width)))
            }
            block => Rendered::Paragraph(Box::new(paragraph(block).page_break_before(break_before))),
        };
        break_before = false;
        out.push(item);
    }
    out
}

fn paragraph(block: &Block) -> Paragraph {
    match block {
        Block::Title(text) => Paragraph::new()
            .add_run(Run::new().add_text(text).bold().size(28))
            .align(AlignmentType::Center)
            .keep_next(true),
        Block::Heading(text) => Paragraph::new()
            .add_run(Run::new().add_text(text).bold())
            .keep_next(true)
            .line_spacing(LineSpacing::new().before(160).after(80)),
        Block::Paragraph(spans) => spans.iter().fold(Paragraph::new().align(AlignmentType::Both), |p, span| {
            let run = Run::new().add_text(&span.text);
            p.add_run(if span.bold { run.bold() } else { run })
        }),
        Block::Right(text) => Paragraph::new().add_run(Run::new().add_text(text)).align(AlignmentType::Right),
        Block::Table { .. } | Block::PageBreak => unreachable!("tables and page breaks are not paragraphs"),
    }
}

/// A table whose columns share the page's width in proportion to their `width`; the header row
/// is bold, and no row is split across pages.
fn table(columns: &[crate::doc::Column], rows: &[Vec<String>], page: u32) -> Table {
    let units: u32 = columns.iter().map(|c| c.width).sum::<u32>().max(1);
    let widths: Vec<usize> = columns.iter().map(|c| (page * c.width / units) as usize).collect();
    let cell = |text: &str, width: usize, align: Align, bold: bool| {
        text.split('\n').fold(TableCell::new().width(width, WidthType::Dxa), |cell, line| {
            let run = Run::new().add_text(line).size(SIZE - 2);
            cell.add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }).align(alignment(align)))
        })
    };
    let header = columns.iter().zip(&widths).map(|(c, &w)| cell(&c.header, w, Align::Center, true)).collect();
    let mut table_rows = vec![TableRow::new(header).cant_split()];
    for row in rows {
        let cells = row.iter().zip(columns.iter().zip(&widths)).map(|(text, (c, &w))| cell(text, w, c.align, false));
        table_rows.push(TableRow::new(cells.collect()).cant_split());
    }
    Table::new(table_rows).set_grid(widths).layout(TableLayoutType::Fixed).width(page as usize, WidthType::Dxa)
}

fn alignment(align: Align) -> AlignmentType {
    match align {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    }
}

/// The page number, centred: `PAGE` as a field that Word and LibreOffice fill in.
fn footer() -> Footer {
    let number = Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(Paragraph::new().add_run(number).align(AlignmentType::Center))
}

fn page_size(landscape: bool) -> PageSize {
    let (w, h) = if landscape { (A4.1, A4.0) } else { A4 };
    PageSize::new().size(w, h).orient(orientation(landscape))
}

fn orientation(landscape: bool) -> PageOrientationType {
    if landscape { PageOrientationType::Landscape } else { PageOrientationType::Portrait }
}

fn margin() -> PageMargin {
    let (top, left, bottom, right) = MARGIN;
    PageMargin::new().top(top).left(left).bottom(bottom).right(right).header(567).footer(567)
}

/// The width between the margins, in twentieths of a point.
fn usable_width(landscape: bool) -> u32 {
    let page = if landscape { A4.1 } else { A4.0 };
    page - (MARGIN.1 + MARGIN.3) as u32
}
