//! A document as Markdown: for reading on screen, pasting into a chat of the house, or a diff
//! between drafts. Tables are pipe tables; a page break is a rule; a part with pages of its own
//! (a decision form) opens with its running head.

use crate::doc::{Align, Block, Doc};

/// The whole document as Markdown text.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    for (index, part) in doc.parts.iter().enumerate() {
        if index > 0 {
            out.push_str("---\n\n");
        }
        if let Some(sheets) = &part.sheets {
            out.push_str(&format!("*{}*\n\n", escape(&sheets.text)));
        }
        for block in &part.blocks {
            block_to(&mut out, block);
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn block_to(out: &mut String, block: &Block) {
    match block {
        Block::Title(text) => out.push_str(&format!("# {}\n\n", escape(text))),
        Block::Heading(text) => out.push_str(&format!("## {}\n\n", escape(text))),
        Block::Paragraph(spans) => {
            for span in spans {
                let text = escape(&span.text);
                match (span.bold, text.trim_end()) {
                    (true, trimmed) => out.push_str(&format!("**{trimmed}**{}", &text[trimmed.len()..])),
                    (false, _) => out.push_str(&text),
                }
            }
            out.push_str("\n\n");
        }
        Block::Right(text) | Block::Signature(text) => out.push_str(&format!("*{}*\n\n", escape(text))),
        Block::Blank(text) => out.push_str(&format!("{}\n\n", escape(text))),
        Block::Table { columns, rows, .. } => {
            let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
            out.push_str(&line(columns.iter().map(|c| cell(&c.header)).collect()));
            let rule = columns.iter().map(|c| match c.align {
                Align::Left => ":---".to_owned(),
                Align::Center => ":---:".to_owned(),
                Align::Right => "---:".to_owned(),
            });
            out.push_str(&line(rule.collect()));
            for row in rows {
                out.push_str(&line(row.iter().map(|c| cell(c)).collect()));
            }
            out.push('\n');
        }
        Block::PageBreak => out.push_str("---\n\n"),
    }
}

/// Text with Markdown's emphasis and escape characters made literal, and without soft hyphens
/// (a place to break a word in a narrow column of a printed table).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| c != '\u{ad}') {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table cell: escaped, on one line, with pipes kept inside the cell.
fn cell(text: &str) -> String {
    escape(&text.replace('\n', " ")).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::col;

    #[test]
    fn tables_keep_pipes_and_line_breaks_inside_their_cells() {
        let mut doc = Doc::new();
        doc.field("Инициатор", "ООО «Ромашка*»");
        doc.table(vec![col("A", 1, Align::Left), col("B", 1, Align::Right)], vec![vec!["a|b".into(), "1\n2".into()]]);
        assert_eq!(render(&doc), "**Инициатор:** ООО «Ромашка\\*»\n\n| A | B |\n| :--- | ---: |\n| a\\|b | 1 2 |\n");
    }
}
