//! The streamed body against docx-rs's own: the old way of rendering, every block through docx-rs's
//! element tree, kept here as the reference the fast one must match.

use std::io::Read;

use docx_rs::{AlignmentType, Docx, LineSpacing, Paragraph, Run, RunFonts, Section, Table, TableCell, TableRow};
use docx_rs::{HeightRule, TableLayoutType, WidthType};

use super::typeset::typeset;
use super::{A4, FONT, SIZE, footer, margin, orientation, page_size, render, usable_width};
use crate::doc::{Align, Block, Column, Doc, Layout, Part, col};

#[test]
fn the_streamed_body_is_what_docx_rs_writes() {
    let doc = every_kind_of_block();
    let fast = document_xml(&render(&doc));
    assert!(fast.contains("<w:tblHeader />"), "the header row repeats");
    assert_eq!(without_para_ids(&fast), without_para_ids(&reference(&doc)));
}

#[test]
fn the_parts_are_deflated() {
    let bytes = render(&every_kind_of_block());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for index in 0..archive.len() {
        let file = archive.by_index(index).unwrap();
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{}", file.name());
    }
}

fn every_kind_of_block() -> Doc {
    let mut doc = Doc::new();
    doc.title("Заголовок <&> \"кавычки\" 'и' \r\nстрока");
    doc.heading("Раздел");
    doc.field("Метка", "значение");
    doc.right("Справа: г. Примерск, д. 5, 50 %");
    doc.blank("Дата: ________");
    doc.signature("Подпись: ________ / А. Б. В. /");
    doc.right("«___» ________ 20__ г.");
    doc.table(vec![col("А", 1, Align::Left), col("Б", 2, Align::Right)], vec![vec!["1".into(), "два\nтри".into()]]);
    doc.page_break();
    doc.title("Второй");
    doc.page_break();
    doc.table(vec![col("А & Б", 1, Align::Center), col("В", 3, Align::Left)], vec![vec![String::new(), "x".into()]]);
    doc.part(true);
    doc.strong("Альбом");
    doc.small_table(vec![col("А", 1, Align::Center)], vec![vec!["y".into()], vec!["z".into()]]);
    let layout = Layout { row_height: 567, whole: false };
    let columns = vec![col("Подпись", 1, Align::Left)];
    doc.parts.last_mut().unwrap().blocks.push(Block::Table { columns, rows: vec![vec![String::new()]], layout });
    doc.part(false);
    doc.text("конец");
    doc
}

fn document_xml(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// docx-rs numbers paragraphs from a counter of its own: the ids say nothing of the content.
fn without_para_ids(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(" w14:paraId=\"") {
        out.push_str(&rest[..at]);
        let value = &rest[at + " w14:paraId=\"".len()..];
        rest = &value[value.find('"').unwrap() + 1..];
    }
    out.push_str(rest);
    out
}

/// `word/document.xml` as the old renderer wrote it.
fn reference(doc: &Doc) -> String {
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(SIZE)
        .default_line_spacing(LineSpacing::new().after(80));
    let (last, earlier) = doc.parts.split_last().unwrap();
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
    docx.pack(&mut bytes).unwrap();
    repeat_headers(&document_xml(&bytes.into_inner()))
}

fn repeat_headers(xml: &str) -> String {
    const ROW: &str = "<w:trPr>";
    let mut out = String::new();
    let mut rest = xml;
    while let Some(table) = rest.find("<w:tbl>") {
        let Some(row) = rest[table..].find(ROW).map(|r| table + r + ROW.len()) else { break };
        out.push_str(&rest[..row]);
        out.push_str("<w:tblHeader />");
        rest = &rest[row..];
    }
    out.push_str(rest);
    out
}

enum Rendered {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

fn rendered(part: &Part) -> Vec<Rendered> {
    let width = usable_width(part.landscape);
    let mut out = Vec::new();
    let mut break_before = false;
    for (index, block) in part.blocks.iter().enumerate() {
        let item = match block {
            Block::PageBreak => {
                break_before = true;
                continue;
            }
            Block::Table { columns, rows, layout } => {
                if break_before {
                    out.push(Rendered::Paragraph(Box::new(Paragraph::new().page_break_before(true))));
                }
                Rendered::Table(Box::new(table(columns, rows, *layout, width)))
            }
            block => {
                let mut paragraph = paragraph(block).page_break_before(break_before);
                if super::body::keeps_with_next(block, part.blocks.get(index + 1)) {
                    paragraph = paragraph.keep_next(true);
                }
                Rendered::Paragraph(Box::new(paragraph))
            }
        };
        break_before = false;
        out.push(item);
    }
    out
}

fn paragraph(block: &Block) -> Paragraph {
    match block {
        Block::Title(text) => Paragraph::new()
            .add_run(Run::new().add_text(typeset(text)).bold().size(28))
            .align(AlignmentType::Center)
            .keep_next(true),
        Block::Heading(text) => Paragraph::new()
            .add_run(Run::new().add_text(typeset(text)).bold())
            .keep_next(true)
            .line_spacing(LineSpacing::new().before(160).after(80)),
        Block::Paragraph(spans) => spans.iter().fold(Paragraph::new().align(AlignmentType::Both), |p, span| {
            let run = Run::new().add_text(typeset(&span.text));
            p.add_run(if span.bold { run.bold() } else { run })
        }),
        Block::Right(text) => Paragraph::new().add_run(Run::new().add_text(typeset(text))).align(AlignmentType::Right),
        Block::Signature(text) => Paragraph::new()
            .add_run(Run::new().add_text(typeset(text)))
            .align(AlignmentType::Right)
            .line_spacing(LineSpacing::new().before(360).after(80)),
        Block::Blank(text) => Paragraph::new().add_run(Run::new().add_text(typeset(text))).align(AlignmentType::Left),
        Block::Table { .. } | Block::PageBreak => unreachable!(),
    }
}

fn table(columns: &[Column], rows: &[Vec<String>], layout: Layout, page: u32) -> Table {
    let units: u32 = columns.iter().map(|c| c.width).sum::<u32>().max(1);
    let widths: Vec<usize> = columns.iter().map(|c| (page * c.width / units) as usize).collect();
    let cell = |text: &str, width: usize, align: Align, bold: bool, keep: bool| {
        let lines: Vec<&str> = text.split('\n').collect();
        lines.iter().enumerate().fold(TableCell::new().width(width, WidthType::Dxa), |cell, (index, line)| {
            let run = Run::new().add_text(typeset(line)).size(SIZE - 2);
            let mut paragraph = Paragraph::new().add_run(if bold { run.bold() } else { run }).align(alignment(align));
            if index + 1 < lines.len() {
                paragraph = paragraph.line_spacing(LineSpacing::new().after(0));
            }
            cell.add_paragraph(if keep { paragraph.keep_next(true) } else { paragraph })
        })
    };
    let keep_header = layout.whole && !rows.is_empty();
    let header =
        columns.iter().zip(&widths).map(|(c, &w)| cell(&c.header, w, Align::Center, true, keep_header)).collect();
    let mut table_rows = vec![TableRow::new(header).cant_split()];
    for (index, row) in rows.iter().enumerate() {
        let keep = layout.whole && index + 1 < rows.len();
        let cells =
            row.iter().zip(columns.iter().zip(&widths)).map(|(text, (c, &w))| cell(text, w, c.align, false, keep));
        let mut table_row = TableRow::new(cells.collect()).cant_split();
        if layout.row_height > 0 {
            table_row = table_row.row_height(layout.row_height as f32).height_rule(HeightRule::AtLeast);
        }
        table_rows.push(table_row);
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

#[test]
fn a_part_with_pages_of_its_own_has_a_running_head_the_package_declares() {
    let mut doc = Doc::new();
    doc.text("протокол");
    for name in ["Орлова Е. В., пом. 1", "ООО «Аптека» & Co, пом. Н-1"] {
        doc.part(false);
        doc.sheets(crate::doc::Sheets {
            text: format!("Решение собственника: {name}"), sheet: "лист", of: "из"
        });
        doc.title("РЕШЕНИЕ");
    }
    let bytes = render(&doc);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        archive.by_name(name).unwrap_or_else(|_| panic!("{name}")).read_to_string(&mut text).unwrap();
        text
    };
    let body = part("word/document.xml");
    let (types, relationships) = (part("[Content_Types].xml"), part("word/_rels/document.xml.rels"));
    for n in [1, 2] {
        assert!(types.contains(&format!("PartName=\"/word/header{n}.xml\"")), "{types}");
        assert!(
            relationships.contains(&format!("Id=\"rIdHead{n}\""))
                && relationships.contains(&format!("Target=\"header{n}.xml\""))
        );
        assert!(body.contains(&format!("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHead{n}\" />")));
    }
    assert_eq!(body.matches("<w:footerReference").count(), 1, "the first part keeps its page number in the footer");
    assert_eq!(body.matches("<w:pgNumType w:start=\"1\" />").count(), 2, "each form numbered from 1");
    let head = part("word/header2.xml");
    assert!(head.contains("ООО «Аптека» &amp; Co, пом.\u{a0}Н-1\u{a0}— лист </w:t>"), "{head}");
    assert!(head.contains(r#"<w:fldSimple w:instr=" SECTIONPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple>"#), "{head}");
    assert!(part("word/styles.xml").contains("w:styleId=\"Head\""), "the head's style");
}
