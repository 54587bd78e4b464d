//! The organiser's documents, rendered from the core's report model (the figures `obhod tally` and
//! the TUI print too) and nothing else, so that a paper and `obhod tally` can never disagree. No store, no
//! terminal: each writer takes the core's values and returns or writes a file.

mod count;
pub mod doc;
mod docx;
pub mod error;
pub mod file;
mod forms;
pub mod mail;
pub mod markdown;
mod notice;
pub mod out;
mod protocol;
pub mod register;
mod results;
pub mod sheet;
mod words;

pub use count::{Counted, Entry, tally_workbook};
pub use doc::Doc;
pub use docx::narrow_columns;
pub use error::PaperError;
pub use file::{Format, save};
pub use forms::forms;
pub use notice::notice;
pub use obhod_core::report::{self, Report};
pub use protocol::protocol;
/// `Fmt` where the writers have always found it.
pub mod format {
    pub use obhod_core::report::Fmt;
}
pub use results::results;

/// The formats of the notice, the protocol and the notice of results.
pub const DOCUMENT_FORMATS: [Format; 2] = [Format::Docx, Format::Markdown];
/// The formats of the decision forms: a form is printed, so DOCX first.
pub const FORM_FORMATS: [Format; 2] = [Format::Docx, Format::Markdown];
