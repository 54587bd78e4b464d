//! The organiser's documents, written from what the core computes (weights, the canvass fold, the
//! tally) and nothing else, so that a paper and `obhod tally` can never disagree. No store, no
//! terminal: each writer takes the core's values and returns or writes a file.

pub mod doc;
mod docx;
pub mod error;
pub mod file;
pub mod format;
mod forms;
pub mod mail;
pub mod markdown;
mod notice;
pub mod out;
mod protocol;
pub mod register;
pub mod report;
mod results;
pub mod sheet;
mod words;

pub use doc::Doc;
pub use docx::narrow_columns;
pub use error::PaperError;
pub use file::{Format, save};
pub use forms::forms;
pub use notice::notice;
pub use protocol::{protocol, third_person_plural};
pub use report::Report;
pub use results::results;

/// The formats of the notice, the protocol and the notice of results.
pub const DOCUMENT_FORMATS: [Format; 2] = [Format::Docx, Format::Markdown];
/// The formats of the decision forms: a form is printed, so DOCX first.
pub const FORM_FORMATS: [Format; 2] = [Format::Docx, Format::Markdown];
