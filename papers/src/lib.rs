//! The organiser's documents, written from what the core computes (weights, the canvass fold, the
//! tally) and nothing else, so that a paper and `obhod tally` can never disagree. No store, no
//! terminal: each writer takes the core's values and returns or writes a file.

pub mod mail;
pub mod out;
pub mod register;
pub mod sheet;

pub use out::{Format, PaperError};
