//! A document as a few kinds of block (titles, paragraphs, tables, page breaks, pages turned to
//! landscape), built once per paper and rendered to Markdown or DOCX, so that both formats say
//! the same words and figures.

/// A run of text, plain or bold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A column of a table: its header, its share of the page's width and its alignment. A header
/// may hold a soft hyphen (U+00AD) where a narrow column may break its word in print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub width: u32,
    pub align: Align,
}

/// How a table sits on the page beyond its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    /// The least height of a body row in twentieths of a point (0: as tall as its text): room
    /// for a signature.
    pub row_height: u32,
    /// Kept on one page with the paragraph before it: a small table of figures.
    pub whole: bool,
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The document's title, centred and bold.
    Title(String),
    /// A section heading.
    Heading(String),
    Paragraph(Vec<Span>),
    /// A paragraph to the right: an attachment's mark, a signature.
    Right(String),
    /// A signature line, to the right with room above it to sign by hand.
    Signature(String),
    /// A line with a blank to fill in by hand, to the left: justified, its words would be spread
    /// apart when the blank runs onto the next line.
    Blank(String),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
        layout: Layout,
    },
    /// What follows starts on a new page.
    PageBreak,
}

/// A run of blocks on pages of one orientation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub landscape: bool,
    pub blocks: Vec<Block>,
    /// A paper of its own within the file (a decision form): its pages numbered from 1 under a
    /// running head of their own.
    pub sheets: Option<Sheets>,
}

/// The running head of every page of a part that numbers its own pages, «Орлова Е. В., пом. 1 —
/// лист 1 из 2»: the head's text and the words around the page numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheets {
    pub text: String,
    /// «лист».
    pub sheet: &'static str,
    /// «из».
    pub of: &'static str,
}

/// A whole document: parts in order, each starting on a new page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    pub parts: Vec<Part>,
}

impl Doc {
    /// A document of one portrait part.
    pub fn new() -> Doc {
        Doc { parts: vec![Part { landscape: false, blocks: Vec::new(), sheets: None }] }
    }

    fn blocks(&mut self) -> &mut Vec<Block> {
        &mut self.parts.last_mut().expect("a document has a part").blocks
    }

    pub fn title(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Title(text.into()));
    }

    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Heading(text.into()));
    }

    /// A plain paragraph.
    pub fn text(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Paragraph(vec![Span { text: text.into(), bold: false }]));
    }

    /// A paragraph that starts with a bold label: «Инициатор: …».
    pub fn field(&mut self, label: &str, value: impl Into<String>) {
        let label = Span { text: format!("{label}: "), bold: true };
        self.blocks().push(Block::Paragraph(vec![label, Span { text: value.into(), bold: false }]));
    }

    /// A bold paragraph: an item of a list that has text under it.
    pub fn strong(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Paragraph(vec![Span { text: text.into(), bold: true }]));
    }

    pub fn right(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Right(text.into()));
    }

    pub fn signature(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Signature(text.into()));
    }

    pub fn blank(&mut self, text: impl Into<String>) {
        self.blocks().push(Block::Blank(text.into()));
    }

    /// A table that may run over several pages, its header row repeated on each.
    pub fn table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>) {
        self.blocks().push(Block::Table { columns, rows, layout: Layout::default() });
    }

    /// A small table kept whole on one page, with the paragraph that leads into it.
    pub fn small_table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>) {
        self.blocks().push(Block::Table { columns, rows, layout: Layout { whole: true, ..Layout::default() } });
    }

    /// A table of blank rows at least `row_height` tall (twentieths of a point), to sign in.
    pub fn signing_table(&mut self, columns: Vec<Column>, rows: Vec<Vec<String>>, row_height: u32) {
        self.blocks().push(Block::Table { columns, rows, layout: Layout { row_height, whole: false } });
    }

    pub fn page_break(&mut self) {
        self.blocks().push(Block::PageBreak);
    }

    /// Starts a new part on a new page, in landscape or portrait.
    pub fn part(&mut self, landscape: bool) {
        self.parts.push(Part { landscape, blocks: Vec::new(), sheets: None });
    }

    /// Gives the current part pages of its own under `sheets`.
    pub fn sheets(&mut self, sheets: Sheets) {
        self.parts.last_mut().expect("a document has a part").sheets = Some(sheets);
    }

    /// How many titles open a page of their own: the number of forms in a document of forms.
    pub fn count_titles(&self) -> usize {
        let mut count = 0;
        for part in &self.parts {
            let starts = |i: usize| i == 0 || part.blocks[i - 1] == Block::PageBreak;
            count += part.blocks.iter().enumerate().filter(|(i, b)| matches!(b, Block::Title(_)) && starts(*i)).count();
        }
        count
    }

    /// Every text of the document in order, one block (or table cell) a line: what a reader of
    /// any rendering must find.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in self.parts.iter().flat_map(|p| &p.blocks) {
            match block {
                Block::Title(text)
                | Block::Heading(text)
                | Block::Right(text)
                | Block::Signature(text)
                | Block::Blank(text) => out.push_str(text),
                Block::Paragraph(spans) => spans.iter().for_each(|s| out.push_str(&s.text)),
                Block::Table { columns, rows, .. } => {
                    let header = columns.iter().map(|c| c.header.as_str());
                    let cells = rows.iter().flatten().map(String::as_str);
                    out.push_str(&header.chain(cells).collect::<Vec<_>>().join("\n"));
                }
                Block::PageBreak => continue,
            }
            out.push('\n');
        }
        out
    }
}

/// A column helper: `col("Помещение", 2, Align::Left)`.
pub fn col(header: &str, width: u32, align: Align) -> Column {
    Column { header: header.to_owned(), width, align }
}
