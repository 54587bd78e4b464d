//! The registered-mail list: Russian Post form 103 (sender and kind of item in the title, one
//! numbered row per letter, totals) or the order fields of the Russian Post business service
//! («Отправка»); and reading a form-103 list back with the tracking numbers the organiser filled in.

use std::path::{Path, PathBuf};

use obhod_core::{
    Destination, InputError, MailRow, Meeting, OwnerKind, Premise, PremiseKind, Problem, Registry, Tracking,
};

use crate::error::PaperError;
use crate::out::{FileKind, numbered, write_all};
use crate::sheet::{self, Cell, Sheet};

/// The mass of one letter: the notice on two sheets of A4 in an envelope, in grams.
pub const LETTER_GRAMS: i64 = 20;

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

/// Writes the list to `path` (`.csv` or `.xlsx`), or with `split` to `path-1`, `path-2`, … of at
/// most that many rows each; all files or none. Returns the files written.
pub fn write(
    path: &Path,
    meeting_file: &str,
    meeting: &Meeting,
    rows: &[MailRow],
    format: MailFormat,
    split: Option<usize>,
) -> Result<Vec<PathBuf>, PaperError> {
    let kind = FileKind::of(path, &[FileKind::Csv, FileKind::Xlsx])?;
    if split == Some(0) {
        return Err(PaperError::ZeroSplit);
    }
    let chunks: Vec<&[MailRow]> = match split {
        Some(n) if rows.len() > n => rows.chunks(n).collect(),
        _ => vec![rows],
    };
    let mut files = Vec::new();
    for (n, chunk) in chunks.iter().enumerate() {
        let sheet = match format {
            MailFormat::F103 => f103(meeting_file, meeting, chunk)?,
            MailFormat::Otpravka => otpravka(meeting_file, meeting, chunk)?,
        };
        let bytes = if kind == FileKind::Xlsx { sheet.xlsx()? } else { sheet.csv() };
        let target = if split.is_some() { numbered(path, n + 1) } else { path.to_path_buf() };
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

fn f103(meeting_file: &str, meeting: &Meeting, rows: &[MailRow]) -> Result<Sheet, PaperError> {
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
            vec![Cell::text("Вид и категория отправлений: письмо заказное")],
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
            Cell::Int(LETTER_GRAMS),
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
        Cell::Int(LETTER_GRAMS * rows.len() as i64),
        Cell::text(""),
        Cell::text(""),
    ]);
    Ok(sheet)
}

/// An address in parts, as the business service wants it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Parts {
    index: String,
    region: String,
    place: String,
    street: String,
    house: String,
    room: String,
}

fn otpravka(meeting_file: &str, meeting: &Meeting, rows: &[MailRow]) -> Result<Sheet, PaperError> {
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
            Cell::Int(LETTER_GRAMS),
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

/// An owner's own address split on its commas by the usual abbreviations; what is not
/// recognised (a department's name) stays with the place.
fn split_address(address: &str) -> Parts {
    let mut parts = Parts::default();
    let mut rest = Vec::new();
    for part in address.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_lowercase();
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
        if part.len() == 6 && part.chars().all(|c| c.is_ascii_digit()) {
            parts.index = part.into();
        } else if ends(&[" обл.", " область", " край", " респ."]) || starts(&["респ.", "республика"])
        {
            parts.region = part.into();
        } else if starts(&["ул.", "пр-т", "пр.", "пер.", "наб.", "б-р", "ш.", "пл.", "проезд", "улица"])
        {
            parts.street = part.into();
        } else if starts(&["д.", "дом "]) {
            parts.house = part.trim_start_matches("дом").trim_start_matches("д.").trim().into();
        } else if starts(&["кв.", "оф.", "пом.", "комн."]) {
            parts.room = part.into();
        } else if starts(&["г.", "с.", "пос.", "п.", "пгт", "город"]) && parts.place.is_empty() {
            parts.place = part.into();
        } else {
            rest.push(part);
        }
    }
    if !rest.is_empty() {
        let extra = rest.join(", ");
        parts.place = if parts.place.is_empty() { extra } else { format!("{}, {extra}", parts.place) };
    }
    parts
}

/// Surname, given name and patronymic of a person; an organisation's whole name as the surname.
fn names(kind: OwnerKind, name: &str) -> (String, String, String) {
    if kind != OwnerKind::Person {
        return (name.to_string(), String::new(), String::new());
    }
    let mut words = name.split_whitespace();
    let surname = words.next().unwrap_or_default().to_string();
    let given = words.next().unwrap_or_default().to_string();
    (surname, given, words.collect::<Vec<_>>().join(" "))
}

/// One letter of a list read back: the premise and owner as the registry names them, the
/// tracking number if the organiser filled it in, and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedLetter {
    pub premise: String,
    pub owner: String,
    pub tracking: Option<Tracking>,
    pub line: u64,
}

/// Reads a form-103 list obhod wrote (CSV or XLSX, edited or not): every numbered row, checked
/// against the registry. Refused whole at the first row with an unknown premise or owner or a
/// tracking number that is not 14 digits.
pub fn read_list(file: &str, bytes: &[u8], registry: &Registry) -> Result<Vec<ListedLetter>, InputError> {
    let rows = sheet::read(file, bytes)?;
    let header = rows.iter().position(|(_, r)| r.first().is_some_and(|c| c == F103_COLUMNS[0]));
    let Some(header) = header else { return Err(InputError::new(file, None, Problem::NotAMailList)) };
    let (header_line, names) = &rows[header];
    let column = |name: &'static str| {
        names
            .iter()
            .position(|c| c == name)
            .ok_or_else(|| InputError::at(file, *header_line, Problem::MissingColumn(name)))
    };
    let (addressee, tracking, note) = (column(F103_COLUMNS[1])?, column(F103_COLUMNS[3])?, column(F103_COLUMNS[6])?);
    let mut letters = Vec::new();
    for (line, row) in &rows[header + 1..] {
        if !row.first().is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let at = |problem| InputError::at(file, *line, problem);
        let label = cell(note).strip_prefix(PREMISE_NOTE.trim_end()).unwrap_or(cell(note)).trim();
        let premise = registry.find(label).ok_or_else(|| at(Problem::UnknownPremise(label.into())))?;
        let premise = &registry.premises[premise];
        let folded = obhod_core::text::fold(cell(addressee));
        let owner =
            premise.owners().into_iter().find(|o| obhod_core::text::fold(&o.name) == folded).ok_or_else(|| {
                at(Problem::UnknownOwner { premise: premise.label.clone(), owner: cell(addressee).into() })
            })?;
        let tracking = match cell(tracking) {
            "" => None,
            text => Some(Tracking::parse(text).map_err(|bad| at(Problem::BadTracking(bad)))?),
        };
        letters.push(ListedLetter { premise: premise.label.clone(), owner: owner.name.clone(), tracking, line: *line });
    }
    Ok(letters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_own_address_is_split_by_its_abbreviations() {
        let parts = split_address("644001, г. Примерск, ул. Ленина, д. 18, оф. 204");
        assert_eq!(
            parts,
            Parts {
                index: "644001".into(),
                region: String::new(),
                place: "г. Примерск".into(),
                street: "ул. Ленина".into(),
                house: "18".into(),
                room: "оф. 204".into(),
            }
        );
        let department = split_address("644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений");
        assert_eq!(department.place, "г. Примерск, департамент имущественных отношений");
        assert_eq!(department.house, "32");
    }

    #[test]
    fn a_person_s_name_splits_into_three() {
        assert_eq!(
            names(OwnerKind::Person, "Иванов Иван Иванович"),
            ("Иванов".into(), "Иван".into(), "Иванович".into())
        );
        assert_eq!(names(OwnerKind::Legal, "ООО «Ромашка»"), ("ООО «Ромашка»".into(), String::new(), String::new()));
    }
}
