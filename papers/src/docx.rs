//! A document as DOCX: A4, Times New Roman 12 pt, tables with fixed column widths that fill the
//! page, landscape parts in their own sections, the page number in every footer; a part that
//! numbers its own pages (a decision form) is a section laid out page by page here (`pages`), its
//! running head on every page with «лист k из m» (`head`). docx-rs writes the package and the
//! sections; the blocks of each part are streamed into it by `body`, the heads added beside them.

mod body;
mod fit;
mod head;
mod pages;
#[cfg(test)]
mod tests;
mod typeset;

use docx_rs::{
    AlignmentType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, PageMargin, PageNumType,
    PageOrientationType, PageSize, Paragraph, Run, RunFonts, Section, Style, StyleType,
};

use crate::doc::{Doc, Part, Sheets};

pub use fit::narrow_columns;
#[cfg(test)]
pub(crate) use pages::one_line;

/// A4 in twentieths of a point.
const A4: (u32, u32) = (11_906, 16_838);
/// Margins: 2 cm top and bottom, 3 cm left (for binding), 1.5 cm right.
const MARGIN: (i32, i32, i32, i32) = (1_134, 1_701, 1_134, 850);
const FONT: &str = "Times New Roman";
/// 12 pt in half-points.
const SIZE: usize = 24;
/// A running head's size: 10 pt.
const HEAD_SIZE: usize = 20;
/// The distance of the running head and the footer from the page's edge.
const HEAD_DISTANCE: i32 = 567;

/// The whole document as the bytes of a .docx file.
pub fn render(doc: &Doc) -> Vec<u8> {
    let (laid, pages) = lay_out(doc);
    let mut number = 0;
    let heads: Vec<Option<head::Head>> = laid
        .parts
        .iter()
        .zip(&pages)
        .map(|(part, pages)| {
            let (sheets, pages) = (part.sheets.as_ref()?, (*pages)?);
            number += 1;
            Some(head::Head { number, sheets, pages })
        })
        .collect();
    package(&skeleton(&laid), &laid, &heads).expect("docx-rs writes a readable zip archive")
}

/// The document with each part that numbers its own pages laid out on them, and their number.
fn lay_out(doc: &Doc) -> (Doc, Vec<Option<usize>>) {
    let mut laid = Doc { parts: Vec::with_capacity(doc.parts.len()) };
    let mut counts = Vec::with_capacity(doc.parts.len());
    let mut measure = pages::Measure::default();
    for part in &doc.parts {
        let Some(sheets) = &part.sheets else {
            laid.parts.push(part.clone());
            counts.push(None);
            continue;
        };
        let width = usable_width(part.landscape);
        let on = pages::lay_out(&mut measure, part, width, pages::head_overflow(&head_text(sheets, 99), width));
        laid.parts.push(Part { landscape: part.landscape, blocks: on.blocks, sheets: part.sheets.clone() });
        counts.push(Some(on.pages));
    }
    (laid, counts)
}

/// The package as docx-rs writes it (styles, sections, footers; a part with pages of its own
/// numbered from 1, its running head added by `package`), each part's body a placeholder
/// paragraph: building docx-rs's tree of every paragraph costs seconds for a large building.
fn skeleton(doc: &Doc) -> Vec<u8> {
    let mut docx = Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT))
        .default_size(SIZE)
        .default_line_spacing(LineSpacing::new().after(80))
        .add_style(Style::new(head::STYLE, StyleType::Paragraph).name("Running head").size(HEAD_SIZE));
    let (last, earlier) = doc.parts.split_last().expect("a document has a part");
    for (index, part) in earlier.iter().enumerate() {
        let section = Section::new()
            .page_size(page_size(part.landscape))
            .page_margin(margin())
            .page_orient(orientation(part.landscape))
            .add_paragraph(placeholder(index));
        let section = match part.sheets {
            Some(_) => section.page_num_type(PageNumType::new().start(1)),
            None => section.footer(footer()),
        };
        docx = docx.add_section(section);
    }
    let (w, h) = if last.landscape { (A4.1, A4.0) } else { A4 };
    docx = docx.page_size(w, h).page_margin(margin()).page_orient(orientation(last.landscape));
    docx = match last.sheets {
        Some(_) => docx.page_num_type(PageNumType::new().start(1)),
        None => docx.footer(footer()),
    };
    docx = docx.add_paragraph(placeholder(earlier.len()));
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.pack(&mut bytes).expect("writing a zip archive into memory cannot fail");
    bytes.into_inner()
}

fn placeholder(index: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(marker(index)))
}

fn marker(index: usize) -> String {
    format!("obhod-part-{index}")
}

/// The skeleton's parts deflated (docx-rs stores them, which makes the forms of a large building
/// ten times the size), with each part's blocks streamed in place of its placeholder, and the
/// running heads added: their parts, relationships, content types and references.
fn package(stored: &[u8], doc: &Doc, heads: &[Option<head::Head>]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(stored))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // The default level: the fastest would save a third of the time and make the file twice as big.
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = String::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index)?;
        if file.is_dir() {
            continue;
        }
        part.clear();
        file.read_to_string(&mut part)?;
        out.start_file(file.name(), options)?;
        let each = heads.iter().flatten();
        match file.name() {
            "word/document.xml" => document(&mut out, &part, doc, heads)?,
            "word/_rels/document.xml.rels" => {
                let relationships: String = each.map(head::Head::relationship).collect();
                out.write_all(before(&part, "</Relationships>", &relationships).as_bytes())?
            }
            "[Content_Types].xml" => {
                let types: String = each.map(head::Head::content_type).collect();
                out.write_all(before(&part, "</Types>", &types).as_bytes())?
            }
            _ => out.write_all(part.as_bytes())?,
        }
    }
    // A few hundred bytes each, stored: deflating each of the thousands of heads of a large
    // building on its own took longer than all the rest of the forms.
    let stored = options.compression_method(zip::CompressionMethod::Stored);
    for head in heads.iter().flatten() {
        out.start_file(head.name(), stored)?;
        head.write(&mut out)?;
    }
    Ok(out.finish()?.into_inner())
}

/// `xml` with `insert` put before the last `closing` tag.
fn before(xml: &str, closing: &str, insert: &str) -> String {
    let at = xml.rfind(closing).unwrap_or(xml.len());
    format!("{}{insert}{}", &xml[..at], &xml[at..])
}

/// The skeleton's `word/document.xml` with each placeholder replaced by its part's blocks, and the
/// section of each part with a running head referring to it.
fn document(
    out: &mut impl std::io::Write,
    skeleton: &str,
    doc: &Doc,
    heads: &[Option<head::Head>],
) -> std::io::Result<()> {
    use std::io::Write;
    const SECTION: &str = "<w:sectPr>";
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut rest = skeleton;
    for (index, part) in doc.parts.iter().enumerate() {
        let (before, after) = around_placeholder(rest, index);
        out.write_all(before.as_bytes())?;
        body::part(&mut out, part, usable_width(part.landscape))?;
        rest = after;
        if let Some(head) = &heads[index] {
            let at = rest.find(SECTION).expect("every part ends its section") + SECTION.len();
            out.write_all(&rest.as_bytes()[..at])?;
            out.write_all(head.reference().as_bytes())?;
            rest = &rest[at..];
        }
    }
    out.write_all(rest.as_bytes())?;
    out.flush()
}

/// The XML before and after the paragraph holding the placeholder of part `index`.
fn around_placeholder(xml: &str, index: usize) -> (&str, &str) {
    let at = xml.find(&format!(">{}</w:t>", marker(index))).expect("the skeleton holds every placeholder");
    let start = [xml[..at].rfind("<w:p "), xml[..at].rfind("<w:p>")].into_iter().flatten().max();
    let start = start.expect("a placeholder is in a paragraph");
    let end = at + xml[at..].find("</w:p>").expect("a closed paragraph") + "</w:p>".len();
    (&xml[..start], &xml[end..])
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

/// The running head's text with the widest page numbers it may show, for its height.
fn head_text(sheets: &Sheets, count: usize) -> String {
    format!("{} — {} {count} {} {count}", sheets.text, sheets.sheet, sheets.of)
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
    PageMargin::new().top(top).left(left).bottom(bottom).right(right).header(HEAD_DISTANCE).footer(HEAD_DISTANCE)
}

/// The width between the margins, in twentieths of a point.
fn usable_width(landscape: bool) -> u32 {
    let page = if landscape { A4.1 } else { A4.0 };
    page - (MARGIN.1 + MARGIN.3) as u32
}
