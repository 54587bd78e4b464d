//! The running head of a decision form's pages as parts of the package written here: one header
//! part per form, its relationship and content type, and its reference in the form's section.
//! docx-rs can write them too, but a part of its own per form of a large building through its
//! element tree took four times as long as the rest of the forms.

use std::io::{self, Write};

use crate::doc::Sheets;

/// The paragraph style of a running head: 10 pt.
pub const STYLE: &str = "Head";
/// A header part's relationship type and content type.
const RELATIONSHIP: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header";
const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml";

/// The running head of one part: its number among the heads and its words.
pub struct Head<'a> {
    pub number: usize,
    pub sheets: &'a Sheets,
    /// The pages laid out: the value `SECTIONPAGES` holds in the file.
    pub pages: usize,
}

impl Head<'_> {
    pub fn name(&self) -> String {
        format!("word/header{}.xml", self.number)
    }

    fn id(&self) -> String {
        format!("rIdHead{}", self.number)
    }

    /// The reference a section makes to its head, first in its `w:sectPr`.
    pub fn reference(&self) -> String {
        format!("<w:headerReference w:type=\"default\" r:id=\"{}\" />", self.id())
    }

    pub fn relationship(&self) -> String {
        format!("<Relationship Id=\"{}\" Type=\"{RELATIONSHIP}\" Target=\"header{}.xml\" />", self.id(), self.number)
    }

    pub fn content_type(&self) -> String {
        format!("<Override PartName=\"/{}\" ContentType=\"{CONTENT_TYPE}\" />", self.name())
    }

    /// The header part: in the head's style (10 pt), its text, then «лист» with `PAGE` (counted
    /// from 1 in this section) and «из» with `SECTIONPAGES`, whose value in the file is the count
    /// laid out: Word computes the field again, LibreOffice prints what the file holds.
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:p><w:pPr><w:pStyle w:val=\"{STYLE}\" /></w:pPr><w:r><w:t xml:space=\"preserve\">"
        )?;
        let sheets = self.sheets;
        super::body::escaped(out, &super::typeset::typeset(&format!("{} — {} ", sheets.text, sheets.sheet)))?;
        out.write_all(b"</w:t></w:r><w:fldSimple w:instr=\" PAGE \"><w:r><w:t>1</w:t></w:r></w:fldSimple>")?;
        write!(out, "<w:r><w:t xml:space=\"preserve\"> {} </w:t></w:r>", sheets.of)?;
        write!(out, "<w:fldSimple w:instr=\" SECTIONPAGES \"><w:r><w:t>{}</w:t></w:r></w:fldSimple>", self.pages)?;
        out.write_all(b"</w:p></w:hdr>")
    }
}
