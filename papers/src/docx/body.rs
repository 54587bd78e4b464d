//! The body of `word/document.xml` written straight from a part's blocks: the very paragraphs,
//! runs and tables docx-rs would write, streamed, since building docx-rs's element tree for the
//! forms of a large building takes seconds.

use std::io::{self, Write};

use crate::doc::{Align, Block, Column, Layout, Part};

/// A title's size, and a table cell's (12 pt less 1), in half-points.
pub(super) const TITLE_SIZE: usize = 28;
pub(super) const CELL_SIZE: usize = super::SIZE - 2;
const BORDERS: &str = "<w:tblBorders>\
    <w:top w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    <w:left w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    <w:bottom w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    <w:right w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    <w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    <w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"000000\" />\
    </w:tblBorders>";

/// The properties of a paragraph.
#[derive(Default)]
struct Para {
    align: Option<&'static str>,
    spaced: bool,
    /// No space after: a line of a cell followed by another.
    tight: bool,
    /// Room above to sign in.
    signing: bool,
    keep_next: bool,
    page_break: bool,
}

/// Writes the blocks of `part`, whose tables fill `width` (twentieths of a point).
pub(super) fn part(out: &mut impl Write, part: &Part, width: u32) -> io::Result<()> {
    let mut page_break = false;
    for (index, block) in part.blocks.iter().enumerate() {
        match block {
            Block::PageBreak => {
                page_break = true;
                continue;
            }
            Block::Table { columns, rows, layout } => {
                if page_break {
                    open(out, &Para { page_break, ..Para::default() })?;
                    out.write_all(b"</w:p>")?;
                }
                table(out, columns, rows, *layout, width)?;
            }
            block => paragraph(out, block, page_break, keeps_with_next(block, part.blocks.get(index + 1)))?,
        }
        page_break = false;
    }
    Ok(())
}

/// Whether a paragraph stays on the page of the block after it: one that leads into a table, a
/// bold item with its text under it, a line of a signature (or a date to fill in) followed by its
/// date or the next signature, and the lines to fill in before a signature with what leads into
/// them, so that a signature never stands on a page alone.
pub(super) fn keeps_with_next(block: &Block, next: Option<&Block>) -> bool {
    match (block, next) {
        (_, Some(Block::Table { .. })) => true,
        (Block::Right(_) | Block::Blank(_) | Block::Signature(_), Some(Block::Right(_) | Block::Signature(_))) => true,
        (Block::Paragraph(_) | Block::Blank(_), Some(Block::Blank(_))) => true,
        (Block::Paragraph(spans), Some(_)) => spans.iter().all(|s| s.bold),
        _ => false,
    }
}

fn paragraph(out: &mut impl Write, block: &Block, page_break: bool, leads: bool) -> io::Result<()> {
    let para =
        |align, spaced, keep_next| Para { align, spaced, keep_next: keep_next || leads, page_break, ..Para::default() };
    match block {
        Block::Title(text) => {
            open(out, &para(Some("center"), false, true))?;
            run(out, text, Some(TITLE_SIZE), true)?;
        }
        Block::Heading(text) => {
            open(out, &para(None, true, true))?;
            run(out, text, None, true)?;
        }
        Block::Paragraph(spans) => {
            open(out, &para(Some("both"), false, false))?;
            for span in spans {
                run(out, &span.text, None, span.bold)?;
            }
        }
        Block::Right(text) => {
            open(out, &para(Some("right"), false, false))?;
            run(out, text, None, false)?;
        }
        Block::Signature(text) => {
            open(out, &Para { signing: true, ..para(Some("right"), false, false) })?;
            run(out, text, None, false)?;
        }
        Block::Blank(text) => {
            open(out, &para(Some("left"), false, false))?;
            run(out, text, None, false)?;
        }
        Block::Table { .. } | Block::PageBreak => unreachable!("tables and page breaks are not paragraphs"),
    }
    out.write_all(b"</w:p>")
}

fn open(out: &mut impl Write, para: &Para) -> io::Result<()> {
    out.write_all(b"<w:p><w:pPr><w:rPr />")?;
    if let Some(align) = para.align {
        write!(out, "<w:jc w:val=\"{align}\" />")?;
    }
    if para.spaced {
        out.write_all(b"<w:spacing w:before=\"160\" w:after=\"80\" />")?;
    } else if para.signing {
        out.write_all(b"<w:spacing w:before=\"360\" w:after=\"80\" />")?;
    } else if para.tight {
        out.write_all(b"<w:spacing w:after=\"0\" />")?;
    }
    if para.keep_next {
        out.write_all(b"<w:keepNext />")?;
    }
    if para.page_break {
        out.write_all(b"<w:pageBreakBefore />")?;
    }
    out.write_all(b"</w:pPr>")
}

fn run(out: &mut impl Write, text: &str, size: Option<usize>, bold: bool) -> io::Result<()> {
    out.write_all(b"<w:r>")?;
    if size.is_none() && !bold {
        out.write_all(b"<w:rPr />")?;
    } else {
        out.write_all(b"<w:rPr>")?;
        if let Some(size) = size {
            write!(out, "<w:sz w:val=\"{size}\" /><w:szCs w:val=\"{size}\" />")?;
        }
        if bold {
            out.write_all(b"<w:b /><w:bCs />")?;
        }
        out.write_all(b"</w:rPr>")?;
    }
    out.write_all(b"<w:t xml:space=\"preserve\">")?;
    escaped(out, &super::typeset::typeset(text))?;
    out.write_all(b"</w:t></w:r>")
}

/// The width of each column: `page` shared in proportion to the columns' `width`.
pub(super) fn widths(columns: &[Column], page: u32) -> Vec<u32> {
    let units: u32 = columns.iter().map(|c| c.width).sum::<u32>().max(1);
    columns.iter().map(|c| page * c.width / units).collect()
}

/// A table whose columns share `page` in proportion to their `width`; the header row is bold and
/// repeated on every page the table runs onto, and no row is split across pages. A `whole` table
/// keeps each row with the next; body rows are at least `row_height` tall.
fn table(out: &mut impl Write, columns: &[Column], rows: &[Vec<String>], layout: Layout, page: u32) -> io::Result<()> {
    let widths = widths(columns, page);
    write!(out, "<w:tbl><w:tblPr><w:tblW w:w=\"{page}\" w:type=\"dxa\" /><w:jc w:val=\"left\" />{BORDERS}")?;
    out.write_all(b"<w:tblLayout w:type=\"fixed\" /></w:tblPr><w:tblGrid>")?;
    for width in &widths {
        write!(out, "<w:gridCol w:w=\"{width}\" w:type=\"dxa\" />")?;
    }
    out.write_all(b"</w:tblGrid><w:tr><w:trPr><w:tblHeader /><w:cantSplit /></w:trPr>")?;
    for (column, &width) in columns.iter().zip(&widths) {
        cell(out, &column.header, width, (Align::Center, true, layout.whole && !rows.is_empty()))?;
    }
    out.write_all(b"</w:tr>")?;
    for (index, row) in rows.iter().enumerate() {
        out.write_all(b"<w:tr><w:trPr><w:cantSplit />")?;
        if layout.row_height > 0 {
            write!(out, "<w:trHeight w:val=\"{}\" w:hRule=\"atLeast\" />", layout.row_height)?;
        }
        out.write_all(b"</w:trPr>")?;
        let keep = layout.whole && index + 1 < rows.len();
        for (text, (column, &width)) in row.iter().zip(columns.iter().zip(&widths)) {
            cell(out, text, width, (column.align, false, keep))?;
        }
        out.write_all(b"</w:tr>")?;
    }
    out.write_all(b"</w:tbl>")
}

/// A cell of one paragraph a line (the lines close together), aligned, bold or not, kept with the
/// next row or not.
fn cell(out: &mut impl Write, text: &str, width: u32, (align, bold, keep_next): (Align, bool, bool)) -> io::Result<()> {
    write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\" /></w:tcPr>")?;
    let align = match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    };
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        open(out, &Para { align: Some(align), keep_next, tight: lines.peek().is_some(), ..Para::default() })?;
        run(out, line, Some(CELL_SIZE), bold)?;
        out.write_all(b"</w:p>")?;
    }
    out.write_all(b"</w:tc>")
}

/// `text` with XML's special characters (and the quotes) as entities, as docx-rs escapes it; line
/// breaks are dropped as docx-rs drops them (a cell's lines are paragraphs of their own).
pub(super) fn escaped(out: &mut impl Write, text: &str) -> io::Result<()> {
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&apos;",
            b'\n' | b'\r' => b"",
            _ => continue,
        };
        out.write_all(&text.as_bytes()[start..at])?;
        out.write_all(entity)?;
        start = at + 1;
    }
    out.write_all(&text.as_bytes()[start..])
}
