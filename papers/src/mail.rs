//! The registered-mail list: Russian Post form 103 (`mail/f103.rs`: sender and kind of item in the
//! title, one numbered row per letter, totals and the block the post office signs and stamps) or
//! the order of the Russian Post business service «Отправка» (`mail/order.rs`); and reading either
//! back with the tracking numbers the organiser filled in (`mail/read.rs`). One row is one letter:
//! one addressee at one postal address, naming all its premises.

mod address;
mod f103;
mod order;
mod read;

use std::path::{Path, PathBuf};

use obhod_core::{Destination, Envelope, Meeting, Premise, PremiseKind, Registry};

use crate::error::PaperError;
use crate::out::{FileKind, numbered, write_all};
pub use f103::F103_COLUMNS;
pub use order::{BARCODE_COLUMN, OTPRAVKA_COLUMNS};
pub use read::{ListedLetter, read_list};

/// The mass of one letter unless told otherwise: the notice on two sheets of A4 in an envelope,
/// in grams.
pub const LETTER_GRAMS: u32 = 20;

/// The heaviest letter: anything heavier is a parcel of printed matter (бандероль), not a letter.
pub const MAX_LETTER_GRAMS: u32 = 100;

/// What a letter's mass must be, for the messages that refuse another.
pub fn mass_rule(lang: obhod_core::Lang) -> &'static str {
    lang.pick(
        "нужно целое число граммов от 1 до 100 (по умолчанию 20; тяжелее 100 г — уже бандероль)",
        "a whole number of grams from 1 to 100 (20 by default; above 100 g it is a parcel, not a letter)",
    )
}

/// How a list is written: its layout, at most how many letters a file, and the mass of one letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailOptions {
    pub format: MailFormat,
    pub split: Option<usize>,
    /// Grams, 1 to [`MAX_LETTER_GRAMS`].
    pub grams: u32,
}

impl Default for MailOptions {
    fn default() -> Self {
        MailOptions { format: MailFormat::F103, split: None, grams: LETTER_GRAMS }
    }
}

/// The two layouts of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MailFormat {
    /// Russian Post form 103 (список внутренних почтовых отправлений).
    #[default]
    F103,
    /// The order of the Russian Post business service.
    Otpravka,
}

/// What a list is drawn up from: the campaign's meeting and registry, and the name of the
/// registry's file (an own address that cannot be written is refused with its line there).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub meeting: &'a Meeting,
    pub registry: &'a Registry,
    pub registry_file: &'a str,
}

/// The note that names a letter's premises (`пом. 12, ММ-1, К-1`), read back by `letters sent`.
const PREMISE_NOTE: &str = "пом. ";

/// Writes the list to `path` (`.csv` or `.xlsx`), or with a split to `path-1`, `path-2`, … of at
/// most that many letters each (a letter is one row, so an addressee is never split); all files or
/// none. Returns the files written.
pub fn write(
    path: &Path,
    source: &Source,
    letters: &[Envelope],
    options: MailOptions,
) -> Result<Vec<PathBuf>, PaperError> {
    let kind = FileKind::of(path, &[FileKind::Csv, FileKind::Xlsx])?;
    if options.split == Some(0) {
        return Err(PaperError::ZeroSplit);
    }
    if !(1..=MAX_LETTER_GRAMS).contains(&options.grams) {
        return Err(PaperError::BadMass(options.grams));
    }
    let chunks: Vec<&[Envelope]> = match options.split {
        Some(n) if letters.len() > n => letters.chunks(n).collect(),
        _ => vec![letters],
    };
    let grams = i64::from(options.grams);
    let mut files = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let sheet = match options.format {
            MailFormat::F103 => f103::sheet(source, chunk, grams)?,
            MailFormat::Otpravka => order::sheet(source, chunk, grams)?,
        };
        let bytes = if kind == FileKind::Xlsx { sheet.xlsx()? } else { sheet.csv() };
        let target = if options.split.is_some() { numbered(path, n + 1) } else { path.to_path_buf() };
        files.push((target, bytes));
    }
    write_all(&files)?;
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// The premise as an address line: `кв. 12`, `пом. Н-3`.
pub fn premise_address(premise: &Premise) -> String {
    let prefix = match premise.kind {
        PremiseKind::Flat => "кв.",
        PremiseKind::NonResidential => "пом.",
        PremiseKind::Parking => "машино-место",
        PremiseKind::Storage => "кладовая",
    };
    format!("{prefix} {}", premise.label)
}

/// The premises a letter is for: `пом. 4, 7`.
pub fn premise_note(letter: &Envelope) -> String {
    format!("{PREMISE_NOTE}{}", letter.labels().join(", "))
}

/// The building's postcode, refused when the campaign's meeting lacks it.
fn postcode(meeting: &Meeting) -> Result<&str, PaperError> {
    meeting.postcode.as_deref().ok_or_else(|| PaperError::meeting_lacks(&["building.postcode"], "postcode"))
}

/// The full postal address of a letter: postcode, building, premise; or the owner's own address.
fn full_address(meeting: &Meeting, letter: &Envelope) -> Result<String, PaperError> {
    match letter.to {
        Destination::Own(address) => Ok(address.to_string()),
        Destination::Premise(premise) => {
            Ok(format!("{}, {}, {}", postcode(meeting)?, meeting.address, premise_address(premise)))
        }
    }
}

/// Where letters come back to: the initiator's own address when the meeting gives one, else the
/// building's with the initiator's premise here (`644010, …, д. 7, кв. 1`).
fn sender_address(meeting: &Meeting, registry: &Registry) -> Result<String, PaperError> {
    if let Some(address) = &meeting.initiator_address {
        return Ok(address.clone());
    }
    let Some(label) = &meeting.initiator_premise else {
        return Err(PaperError::MeetingLacks {
            keys: vec!["meeting.initiator_premise", "meeting.initiator_address"],
            either: true,
            purpose: "sender_address",
        });
    };
    let premise = registry.find(label).ok_or_else(|| PaperError::UnknownInitiatorPremise(label.clone()))?;
    Ok(format!("{}, {}, {}", postcode(meeting)?, meeting.address, premise_address(&registry.premises[premise])))
}
