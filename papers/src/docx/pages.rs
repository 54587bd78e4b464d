//! The pages of a part that numbers its own (a decision form), laid out here rather than left to
//! Word or LibreOffice: each block's height estimated from Times New Roman's widths and line
//! height, a page break put before whatever would not fit, a table split between rows (its header
//! row then heads the next page too), and nothing kept together ever split. Every estimate errs
//! tall, so each page holds no more than it can, and the form takes exactly the pages counted
//! here in either program: its running head can print «лист 1 из 2» right, where LibreOffice does
//! not compute Word's SECTIONPAGES field and prints the value the file holds.

use std::collections::HashMap;

use crate::doc::{Block, Column, Layout, Part, Span};

use super::body::{CELL_SIZE, keeps_with_next, widths};
use super::fit::{CELL_MARGINS, text_width};
use super::typeset::typeset;

/// The height of the text on a page: A4 less the top and bottom margins, less a line's worth of
/// room for what the estimate cannot see (rounding, a border).
const PAGE_TEXT: u32 = super::A4.1 - (super::MARGIN.0 + super::MARGIN.2) as u32 - 280;
/// The room for a running head between the page's edge and the text, less its distance from the
/// edge.
const HEAD_ROOM: u32 = (super::MARGIN.0 - super::HEAD_DISTANCE) as u32;
/// The space after a paragraph (the document's default), before a heading and before a signature.
const AFTER: u32 = 80;
const BEFORE_HEADING: u32 = 160;
const BEFORE_SIGNATURE: u32 = 360;
/// A table row's borders and rounding.
const ROW_EXTRA: u32 = 12;
/// Lines are set a little narrower than the page to allow for rounding in either program.
const WIDTH_MARGIN: f64 = 0.97;

/// The lines of each text measured once: the forms of a building repeat their agenda thousands
/// of times.
#[derive(Default)]
pub struct Measure {
    lines: HashMap<(String, u32, usize, bool), u32>,
}

impl Measure {
    fn lines(&mut self, text: &str, bold: bool, width: u32, half_points: usize) -> u32 {
        let key = (text.to_owned(), width, half_points, bold);
        *self.lines.entry(key).or_insert_with(|| lines(&[(text, bold)], width, half_points))
    }
}

/// A part's blocks with its page breaks, and how many pages they take.
pub struct Laid {
    pub blocks: Vec<Block>,
    pub pages: usize,
}

/// The height of one line of text at `half_points`: 1.15 of the size, as Times New Roman's
/// ascent, descent and line gap make it, rounded up.
fn line(half_points: usize) -> u32 {
    (half_points as u32 * 115).div_ceil(10) + 1
}

/// How many lines `words` take in `width` when filled greedily, as both programs fill them; a
/// word wider than the line is broken over as many lines as it needs.
fn lines(spans: &[(&str, bool)], width: u32, half_points: usize) -> u32 {
    let width = (f64::from(width) * WIDTH_MARGIN) as u32;
    let space = text_width(" ", half_points, false);
    let (mut count, mut used) = (1, 0);
    for (text, bold) in spans {
        let text = typeset(text);
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let needs = text_width(word, half_points, *bold);
            if used > 0 && used + space + needs <= width {
                used += space + needs;
            } else if used == 0 && needs <= width {
                used = needs;
            } else {
                let (extra, rest) = if needs > width { (needs / width, needs % width) } else { (0, needs) };
                count += extra + u32::from(used > 0);
                used = rest;
            }
        }
    }
    count
}

/// Whether `text` fits on one line of body text across the portrait page.
#[cfg(test)]
pub fn one_line(text: &str) -> bool {
    lines(&[(text, false)], super::usable_width(false), super::SIZE) == 1
}

/// The height of the running head of `text` at the head's size.
pub fn head_overflow(text: &str, width: u32) -> u32 {
    let height = lines(&[(text, false)], width, super::HEAD_SIZE) * line(super::HEAD_SIZE) + AFTER;
    height.saturating_sub(HEAD_ROOM)
}

/// The height of a block that is not a table.
fn block_height(measure: &mut Measure, block: &Block, width: u32) -> u32 {
    let size = super::SIZE;
    let mut body = |text: &str, bold, before| before + measure.lines(text, bold, width, size) * line(size) + AFTER;
    match block {
        Block::Title(text) => {
            let size = super::body::TITLE_SIZE;
            measure.lines(text, true, width, size) * line(size) + AFTER
        }
        Block::Heading(text) => body(text, true, BEFORE_HEADING),
        Block::Paragraph(spans) if spans.len() == 1 => body(&spans[0].text, spans[0].bold, 0),
        Block::Paragraph(spans) => {
            let spans: Vec<(&str, bool)> = spans.iter().map(|Span { text, bold }| (text.as_str(), *bold)).collect();
            lines(&spans, width, size) * line(size) + AFTER
        }
        Block::Right(text) | Block::Blank(text) => body(text, false, 0),
        Block::Signature(text) => body(text, false, BEFORE_SIGNATURE),
        Block::Table { .. } | Block::PageBreak => 0,
    }
}

/// The height of a table row: its tallest cell, each line of a cell a paragraph of its own.
fn row_height(
    measure: &mut Measure,
    cells: &[&str],
    columns: &[Column],
    layout: Layout,
    width: u32,
    bold: bool,
) -> u32 {
    let tallest = cells
        .iter()
        .zip(widths(columns, width))
        .map(|(text, column)| {
            let inner = column.saturating_sub(CELL_MARGINS).max(1);
            let paragraphs = text.split('\n');
            paragraphs.map(|p| measure.lines(p, bold, inner, CELL_SIZE) * line(CELL_SIZE)).sum::<u32>() + AFTER
        })
        .max()
        .unwrap_or(0);
    tallest.max(layout.row_height) + ROW_EXTRA
}

/// One thing placed on a page: a block, or a row of a table (`None`: its header row).
#[derive(Clone, Copy)]
enum Piece {
    Block(usize),
    Row(usize, Option<usize>),
}

struct Placed {
    piece: Piece,
    height: u32,
    /// Kept on the page of the piece after it.
    glue: bool,
}

/// `part` laid out on pages of `width` under a running head that takes `head` more than its room.
pub fn lay_out(measure: &mut Measure, part: &Part, width: u32, head: u32) -> Laid {
    let placed = pieces(measure, part, width);
    let capacity = PAGE_TEXT.saturating_sub(head);
    let mut pages: Vec<Vec<Piece>> = vec![Vec::new()];
    let mut used = 0;
    let mut at = 0;
    while at < placed.len() {
        let end = (at..placed.len()).find(|&i| !placed[i].glue).map_or(placed.len(), |i| i + 1);
        let unit = &placed[at..end];
        let forced = matches!(unit[0].piece, Piece::Block(i) if part.blocks[i] == Block::PageBreak);
        let height: u32 = unit.iter().map(|p| p.height).sum();
        if forced || (used > 0 && used + height > capacity) {
            pages.push(Vec::new());
            used = 0;
        }
        let page = pages.last_mut().expect("a page");
        if page.is_empty()
            && let Piece::Row(table, row) = unit[0].piece
        {
            // A table that starts a page follows an empty paragraph that carries the break; one
            // that goes on repeats its header row.
            used += line(super::SIZE) + AFTER;
            if row.is_some() {
                used += placed
                    .iter()
                    .find(|p| matches!(p.piece, Piece::Row(t, None) if t == table))
                    .map_or(0, |p| p.height);
            }
        }
        if !forced {
            page.extend(unit.iter().map(|p| p.piece));
            used += height;
        }
        at = end;
    }
    let count = pages.len();
    Laid { blocks: emit(part, &pages), pages: count }
}

/// Every block of `part` as pieces with their heights and what keeps them together.
fn pieces(measure: &mut Measure, part: &Part, width: u32) -> Vec<Placed> {
    let mut out = Vec::new();
    for (index, block) in part.blocks.iter().enumerate() {
        let next = part.blocks.get(index + 1);
        match block {
            Block::Table { columns, rows, layout } => {
                let header: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
                let height = row_height(measure, &header, columns, Layout::default(), width, true);
                out.push(Placed { piece: Piece::Row(index, None), height, glue: !rows.is_empty() });
                for (r, row) in rows.iter().enumerate() {
                    let cells: Vec<&str> = row.iter().map(String::as_str).collect();
                    let height = row_height(measure, &cells, columns, *layout, width, false);
                    let glue = layout.whole && r + 1 < rows.len();
                    out.push(Placed { piece: Piece::Row(index, Some(r)), height, glue });
                }
            }
            Block::PageBreak => out.push(Placed { piece: Piece::Block(index), height: 0, glue: false }),
            block => {
                // A title and a heading keep with what follows them, as `body` writes them.
                let keeps = keeps_with_next(block, next) || matches!(block, Block::Title(_) | Block::Heading(_));
                let glue = keeps && next.is_some_and(|n| *n != Block::PageBreak);
                out.push(Placed { piece: Piece::Block(index), height: block_height(measure, block, width), glue });
            }
        }
    }
    out
}

/// The blocks of each page, a page break between pages, each table cut to the rows on its page.
fn emit(part: &Part, pages: &[Vec<Piece>]) -> Vec<Block> {
    let mut out = Vec::new();
    for (number, page) in pages.iter().enumerate() {
        if number > 0 {
            out.push(Block::PageBreak);
        }
        let mut table: Option<(usize, Vec<Vec<String>>)> = None;
        for &piece in page {
            match piece {
                Piece::Block(index) => {
                    flush(part, &mut table, &mut out);
                    out.push(part.blocks[index].clone());
                }
                Piece::Row(index, row) => {
                    if table.as_ref().is_some_and(|(t, _)| *t != index) {
                        flush(part, &mut table, &mut out);
                    }
                    let (_, rows) = table.get_or_insert_with(|| (index, Vec::new()));
                    if let (Some(r), Block::Table { rows: all, .. }) = (row, &part.blocks[index]) {
                        rows.push(all[r].clone());
                    }
                }
            }
        }
        flush(part, &mut table, &mut out);
    }
    out
}

fn flush(part: &Part, table: &mut Option<(usize, Vec<Vec<String>>)>, out: &mut Vec<Block>) {
    if let Some((index, rows)) = table.take()
        && let Block::Table { columns, layout, .. } = &part.blocks[index]
    {
        out.push(Block::Table { columns: columns.clone(), rows, layout: *layout });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Align, Doc, col};

    #[test]
    fn a_line_is_filled_word_by_word_and_a_long_word_takes_what_it_needs() {
        assert_eq!(lines(&[("один два три", false)], 10_000, super::super::SIZE), 1);
        let narrow = text_width("один два", super::super::SIZE, false) + 10;
        assert_eq!(lines(&[("один два три", false)], narrow, super::super::SIZE), 2);
        let word = "а".repeat(60);
        let width = text_width(&"а".repeat(25), super::super::SIZE, false);
        assert_eq!(lines(&[(&word, false)], width, super::super::SIZE), 3);
    }

    #[test]
    fn a_table_too_long_for_a_page_goes_on_under_its_header() {
        let mut doc = Doc::new();
        doc.title("Форма");
        let rows = (0..60).map(|i| vec![i.to_string(), "строка".to_owned()]).collect();
        doc.table(vec![col("№", 1, Align::Right), col("Текст", 5, Align::Left)], rows);
        doc.blank("Дата: ____");
        doc.signature("Подпись: ____");
        let laid = lay_out(&mut Measure::default(), &doc.parts[0], super::super::usable_width(false), 0);
        assert_eq!(laid.pages, 2);
        let tables: Vec<usize> = laid
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table { rows, .. } => Some(rows.len()),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2, "the table split in two");
        assert_eq!(tables.iter().sum::<usize>(), 60, "every row once");
        let at = laid.blocks.iter().position(|b| *b == Block::PageBreak).expect("a page break");
        assert!(matches!(laid.blocks[at + 1], Block::Table { .. }), "the second page opens with the rest");
        assert!(matches!(laid.blocks.last(), Some(Block::Signature(_))));
    }

    #[test]
    fn what_is_kept_together_moves_to_the_next_page_together() {
        let mut doc = Doc::new();
        for _ in 0..39 {
            doc.text("строка");
        }
        doc.right("Приложение");
        doc.blank("Дата: ____");
        doc.signature("Подпись: ____");
        let laid = lay_out(&mut Measure::default(), &doc.parts[0], super::super::usable_width(false), 0);
        assert_eq!(laid.pages, 2);
        let at = laid.blocks.iter().position(|b| *b == Block::PageBreak).expect("a page break");
        assert_eq!(laid.blocks[at + 1], Block::Blank("Дата: ____".into()), "the date goes with its signature");
        assert_eq!(laid.blocks[at - 1], Block::Right("Приложение".into()));
    }
}
