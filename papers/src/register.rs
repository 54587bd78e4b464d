//! The delivery register (реестр вручения): one row per owner of every owned premise with the
//! form of ownership and share, how the notice reached the owner (against signature, or by
//! registered letter with its tracking number) and when, and an empty column for the signature.
//! Filled from the canvass, or blank with spare rows for the canvassers to carry.

use std::path::Path;

use obhod_core::{Canvass, Holder, Lang, Meeting, OwnerKind, OwnerStatus, Premise, Registry, Room};

use crate::doc::{Align, Block, Doc, Layout, Part, col};
use crate::error::PaperError;
use crate::format::Fmt;
use crate::out::{FileKind, write_all};
use crate::sheet::{Cell, Sheet};

/// The least height of a row of the DOCX register: 1 cm, room for a signature by hand.
pub const SIGNING_ROW: u32 = 567;

/// Rows left empty at the end of a blank register, for owners the registry does not know yet.
pub const SPARE_ROWS: usize = 10;

/// The register's columns: header and share of the page's width.
fn columns(lang: Lang) -> [(&'static str, u32); 8] {
    [
        (lang.pick("№ п/п", "No."), 6),
        (lang.pick("Помещение", "Premise"), 11),
        (lang.pick("Собственник", "Owner"), 19),
        (lang.pick("Форма собственности, доля", "Ownership, share"), 14),
        (lang.pick("Способ вручения", "How notified"), 15),
        (lang.pick("Дата", "Date"), 9),
        (lang.pick("Подпись", "Signature"), 14),
        (lang.pick("Примечание", "Note"), 12),
    ]
}

/// Writes the register to `path` (`.docx`, `.xlsx` or `.csv`); `blank` leaves the method and
/// date empty and adds spare rows.
pub fn write(
    path: &Path,
    meeting: &Meeting,
    registry: &Registry,
    canvass: &Canvass,
    blank: bool,
    lang: Lang,
) -> Result<usize, PaperError> {
    let kind = FileKind::of(path, &[FileKind::Docx, FileKind::Xlsx, FileKind::Csv])?;
    let rows = rows(registry, canvass, blank, lang);
    let bytes = match kind {
        FileKind::Docx => crate::docx::render(&doc(meeting, &rows, lang)),
        FileKind::Xlsx => sheet(meeting, &rows, lang).xlsx()?,
        FileKind::Csv => sheet(meeting, &rows, lang).csv(),
    };
    write_all(&[(path.to_path_buf(), bytes)])?;
    Ok(rows.len())
}

/// The title lines above the table.
fn title(meeting: &Meeting, lang: Lang) -> [String; 2] {
    [
        lang.pick(
            "Реестр вручения сообщений о проведении общего собрания собственников помещений в многоквартирном доме",
            "Register of delivery of the notice of the general meeting of owners",
        )
        .to_string(),
        format!(
            "{}: {}; {} {} ({})",
            lang.pick("Адрес", "Address"),
            meeting.address,
            lang.pick("собрание", "meeting on"),
            Fmt(lang).date(meeting.date),
            meeting.form.words(lang)
        ),
    ]
}

/// The register's rows as text, numbered.
pub fn rows(registry: &Registry, canvass: &Canvass, blank: bool, lang: Lang) -> Vec<[String; 8]> {
    let mut rows = Vec::new();
    for (status, owner) in canvass.owners() {
        let premise = &registry.premises[status.premise];
        let (method, date, note) = if blank { Default::default() } else { how(owner, lang) };
        rows.push([
            (rows.len() + 1).to_string(),
            premise.label.clone(),
            owner.owner.name.clone(),
            ownership(premise, &owner.owner.name, owner.owner.kind, lang),
            method,
            date,
            String::new(),
            note,
        ]);
    }
    if blank {
        for _ in 0..SPARE_ROWS {
            rows.push([
                (rows.len() + 1).to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    rows
}

/// How and when the owner was notified, and a note for one still to notify.
fn how(owner: &OwnerStatus, lang: Lang) -> (String, String, String) {
    let fmt = Fmt(lang);
    match (owner.delivered, &owner.sent) {
        (Some(day), sent) if sent.as_ref().is_none_or(|l| day <= l.date) => {
            (lang.pick("под роспись", "against signature").into(), fmt.date(day), String::new())
        }
        (_, Some(letter)) => {
            let mut method = lang.pick("заказное письмо", "registered letter").to_string();
            if let Some(tracking) = &letter.tracking {
                method.push_str(&format!(" № {tracking}"));
            }
            (method, fmt.date(letter.date), String::new())
        }
        _ => {
            let note = if owner.letter {
                lang.pick("нужно заказное письмо", "registered letter needed")
            } else {
                ""
            };
            (String::new(), String::new(), note.into())
        }
    }
}

/// The form of ownership of one owner in a premise with the share: «долевая, 1/2»,
/// «совместная», «муниципальная», «комн. 2: долевая, 1/3».
fn ownership(premise: &Premise, owner: &str, kind: OwnerKind, lang: Lang) -> String {
    let holds = |h: &&(Option<&Room>, &Holder)| h.1.owners.iter().any(|o| o.name == owner);
    let parts: Vec<String> = premise
        .holders()
        .iter()
        .filter(holds)
        .map(|(room, holder)| {
            let form = match (kind, holder.joint.is_some(), &holder.share) {
                (OwnerKind::Municipal, ..) => lang.pick("муниципальная", "municipal").to_string(),
                (OwnerKind::State, ..) => lang.pick("государственная", "state").to_string(),
                (_, true, None) => lang.pick("совместная", "joint").to_string(),
                (_, true, Some(share)) => {
                    format!("{}, {}", lang.pick("совместная", "joint"), Fmt(lang).share(Some(share)))
                }
                (_, false, Some(share)) if *share != obhod_core::number::votes(1) => {
                    format!("{}, {}", lang.pick("долевая", "shared"), Fmt(lang).share(Some(share)))
                }
                _ => lang.pick("единоличная", "sole").to_string(),
            };
            match room {
                Some(room) => format!("{} {}: {form}", lang.pick("комн.", "room"), room.label),
                None => form,
            }
        })
        .collect();
    parts.join("; ")
}

fn sheet(meeting: &Meeting, rows: &[[String; 8]], lang: Lang) -> Sheet {
    let [title, address] = title(meeting, lang);
    let mut sheet = Sheet {
        name: lang.pick("Реестр", "Register").into(),
        rows: vec![vec![Cell::Text(title)], vec![Cell::Text(address)], vec![]],
        table: 3,
        widths: columns(lang).iter().map(|(_, w)| f64::from(*w) * 1.6).collect(),
        // Two lines, about 1 cm, as the DOCX register's rows.
        row_height: 30.0,
    };
    sheet.rows.push(columns(lang).iter().map(|(h, _)| Cell::text(*h)).collect());
    for row in rows {
        let number = Cell::Int(row[0].parse().unwrap_or_default());
        sheet.rows.push(std::iter::once(number).chain(row[1..].iter().map(Cell::text)).collect());
    }
    sheet
}

fn doc(meeting: &Meeting, rows: &[[String; 8]], lang: Lang) -> Doc {
    let [title, address] = title(meeting, lang);
    let columns = columns(lang)
        .iter()
        .enumerate()
        .map(|(i, (header, width))| col(header, *width, if i == 0 { Align::Right } else { Align::Left }))
        .collect();
    let layout = Layout { row_height: SIGNING_ROW, whole: false };
    let rows = rows.iter().map(|row| {
        let mut row = row.to_vec();
        // «№» and the tracking number together: on a line of their own, which the column fits.
        row[4] = row[4].replacen(" № ", "\n№ ", 1);
        row
    });
    let blocks =
        vec![Block::Title(title), Block::Right(address), Block::Table { columns, rows: rows.collect(), layout }];
    Doc { parts: vec![Part { landscape: true, blocks, sheets: None }] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Meeting {
        let text = include_str!("../../fixtures/sadovaya-5/meeting.toml");
        Meeting::parse("meeting.toml", text).expect("the fixture's meeting")
    }

    fn row(number: usize, premise: &str, owner: &str, method: &str) -> [String; 8] {
        let cells = [&number.to_string(), premise, owner, "комн. к2: долевая, 1/2", method, "26.11.2026", "", ""];
        cells.map(str::to_owned)
    }

    #[test]
    fn the_docx_register_has_rows_to_sign_in_and_columns_that_fit_their_words() {
        for lang in [Lang::Ru, Lang::En] {
            let rows = [
                row(1, "ММ-20", "Муниципальное образование городской округ", "заказное письмо № 64400012345678"),
                row(10000, "Н-12", "Виноградов Евгений Олегович", "под роспись"),
            ];
            let doc = doc(&meeting(), &rows, lang);
            assert_eq!(crate::narrow_columns(&doc), Vec::<String>::new(), "{lang:?}");
            let Block::Table { columns, layout, .. } = &doc.parts[0].blocks[2] else { panic!("the table") };
            assert_eq!(layout.row_height, SIGNING_ROW);
            let signature = columns.iter().find(|c| c.header == lang.pick("Подпись", "Signature")).unwrap();
            let units: u32 = columns.iter().map(|c| c.width).sum();
            assert!(signature.width * 100 / units >= 14, "a signature needs 3.5 cm of the landscape page");
        }
        let bytes = crate::docx::render(&doc(&meeting(), &[row(1, "1", "А", "")], Lang::Ru));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains(r#"<w:trHeight w:val="567" w:hRule="atLeast" />"#), "rows 1 cm tall at least");
        let Block::Table { rows, .. } =
            &doc(&meeting(), &[row(1, "1", "А", "заказное письмо № 1")], Lang::Ru).parts[0].blocks[2]
        else {
            panic!("the table")
        };
        assert_eq!(rows[0][4], "заказное письмо\n№ 1", "the number is never parted from its «№»");
    }
}
