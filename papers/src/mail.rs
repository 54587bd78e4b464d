//! The registered-mail list: Russian Post form 103 (sender and kind of item in the title, one
//! numbered row per letter, totals) or the order fields of the Russian Post business service
//! («Отправка»); and reading either back with the tracking numbers the organiser filled in.

mod address;
mod addressee;
mod read;

use std::path::{Path, PathBuf};

use obhod_core::{Destination, InputError, MailRow, Meeting, Premise, PremiseKind, Problem};

use crate::error::PaperError;
use crate::out::{FileKind, numbered, write_all};
use crate::sheet::{Cell, Sheet};
use address::{Parts, names, split_address};
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

/// How a list is written: its layout, at most how many rows a file, and the mass of one letter.
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
    /// The order fields of the Russian Post business service.
    Otpravka,
}

/// The header of the form-103 table; `letters sent` finds the table by its first cell.
pub const F103_COLUMNS: [&str; 7] =
    ["№ п/п", "Адресат", "Адрес (с почтовым индексом)", "ШПИ", "Масса, г", "Объявленная ценность, руб.", "Примечание"];

/// The column of the business-service order where the organiser writes the tracking number
/// the service gave each letter (the service calls it so); obhod does not write it.
pub const BARCODE_COLUMN: &str = "barcode";

/// The business service's columns, exactly as it imports them.
pub const OTPRAVKA_COLUMNS: [&str; 12] = [
    "index-to",
    "region-to",
    "place-to",
    "street-to",
    "house-to",
    "room-to",
    "surname",
    "given-name",
    "middle-name",
    "mass",
    "mail-type",
    "mail-category",
];

/// The note that names the premise of a row, read back by `letters sent`.
const PREMISE_NOTE: &str = "пом. ";

/// The kind of item in the title of form 103: a registered letter has no declared value.
const F103_KIND: &str = "Вид и категория отправлений: письмо заказное (без объявленной ценности)";

/// Writes the list to `path` (`.csv` or `.xlsx`), or with a split to `path-1`, `path-2`, … of at
/// most that many rows each; all files or none. Returns the files written.
pub fn write(
    path: &Path,
    meeting_file: &str,
    meeting: &Meeting,
    rows: &[MailRow],
    options: MailOptions,
) -> Result<Vec<PathBuf>, PaperError> {
    let kind = FileKind::of(path, &[FileKind::Csv, FileKind::Xlsx])?;
    if options.split == Some(0) {
        return Err(PaperError::ZeroSplit);
    }
    if !(1..=MAX_LETTER_GRAMS).contains(&options.grams) {
        return Err(PaperError::BadMass(options.grams));
    }
    let chunks: Vec<&[MailRow]> = match options.split {
        Some(n) if rows.len() > n => rows.chunks(n).collect(),
        _ => vec![rows],
    };
    let grams = i64::from(options.grams);
    let mut files = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let sheet = match options.format {
            MailFormat::F103 => f103(meeting_file, meeting, chunk, grams)?,
            MailFormat::Otpravka => otpravka(meeting_file, meeting, chunk, grams)?,
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

fn needed(meeting_file: &str, key: &str, purpose: &'static str) -> InputError {
    InputError::new(meeting_file, None, Problem::NeededKey { key: key.into(), purpose })
}

/// The full postal address of a row: postcode, building, premise; or the owner's own address.
fn full_address(meeting_file: &str, meeting: &Meeting, row: &MailRow) -> Result<String, InputError> {
    match row.to {
        Destination::Own(address) => Ok(address.to_string()),
        Destination::Premise => {
            let postcode =
                meeting.postcode.as_deref().ok_or_else(|| needed(meeting_file, "building.postcode", "postcode"))?;
            Ok(format!("{postcode}, {}, {}", meeting.address, premise_address(row.premise)))
        }
    }
}

fn f103(meeting_file: &str, meeting: &Meeting, rows: &[MailRow], grams: i64) -> Result<Sheet, PaperError> {
    let sender = meeting.initiator.as_deref().ok_or_else(|| needed(meeting_file, "meeting.initiator", "sender"))?;
    let sender = sender.split(',').next().unwrap_or(sender).trim();
    let return_address = match &meeting.postcode {
        Some(postcode) => format!("{postcode}, {}", meeting.address),
        None => return Err(needed(meeting_file, "building.postcode", "postcode").into()),
    };
    let mut sheet = Sheet {
        name: "Список".into(),
        rows: vec![
            vec![Cell::text("Список № ____ внутренних почтовых отправлений (форма 103)")],
            vec![Cell::text(F103_KIND)],
            vec![Cell::text(format!("Отправитель: {sender}"))],
            vec![Cell::text(format!("Адрес отправителя: {return_address}"))],
            vec![],
            F103_COLUMNS.iter().map(|c| Cell::text(*c)).collect(),
        ],
        table: 5,
        widths: vec![6.0, 36.0, 60.0, 17.0, 9.0, 14.0, 14.0],
        row_height: 0.0,
    };
    for (n, row) in rows.iter().enumerate() {
        sheet.rows.push(vec![
            Cell::Int(n as i64 + 1),
            Cell::text(&row.owner.name),
            Cell::text(full_address(meeting_file, meeting, row)?),
            Cell::text(""),
            Cell::Int(grams),
            Cell::text(""),
            Cell::text(format!("{PREMISE_NOTE}{}", row.premise.label)),
        ]);
    }
    let letters = obhod_core::Lang::Ru.count(rows.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    sheet.rows.push(vec![
        Cell::text("Итого"),
        Cell::text(letters),
        Cell::text(""),
        Cell::text(""),
        Cell::Int(grams * rows.len() as i64),
        Cell::text(""),
        Cell::text(""),
    ]);
    Ok(sheet)
}

fn otpravka(meeting_file: &str, meeting: &Meeting, rows: &[MailRow], grams: i64) -> Result<Sheet, PaperError> {
    let mut sheet = Sheet {
        name: "Отправка".into(),
        rows: vec![OTPRAVKA_COLUMNS.iter().map(|c| Cell::text(*c)).collect()],
        table: 0,
        widths: vec![10.0, 20.0, 20.0, 24.0, 8.0, 8.0, 30.0, 14.0, 16.0, 7.0, 10.0, 14.0],
        row_height: 0.0,
    };
    for row in rows {
        let parts = match row.to {
            Destination::Own(address) => split_address(address),
            Destination::Premise => building_parts(meeting_file, meeting, row.premise)?,
        };
        let (surname, given, middle) = names(row.owner.kind, &row.owner.name);
        sheet.rows.push(vec![
            Cell::text(parts.index),
            Cell::text(parts.region),
            Cell::text(parts.place),
            Cell::text(parts.street),
            Cell::text(parts.house),
            Cell::text(parts.room),
            Cell::text(surname),
            Cell::text(given),
            Cell::text(middle),
            Cell::Int(grams),
            Cell::text("LETTER"),
            Cell::text("ORDERED"),
        ]);
    }
    Ok(sheet)
}

fn building_parts(meeting_file: &str, meeting: &Meeting, premise: &Premise) -> Result<Parts, InputError> {
    let postal = &meeting.postal;
    let key = |value: &Option<String>, key: &str| {
        value.clone().ok_or_else(|| needed(meeting_file, &format!("building.{key}"), "otpravka"))
    };
    let postcode = meeting.postcode.clone().ok_or_else(|| needed(meeting_file, "building.postcode", "postcode"))?;
    let region = key(&postal.region, "region")?;
    let place = key(&postal.place, "place")?;
    let place = match &postal.district {
        Some(district) => format!("{district}, {place}"),
        None => place,
    };
    Ok(Parts {
        index: postcode,
        region,
        place,
        street: key(&postal.street, "street")?,
        house: key(&postal.house, "house")?,
        room: premise.label.clone(),
    })
}
