//! The delivery register (реестр вручения): one row per owner of every owned premise with the
//! form of ownership and share, how the notice reached the owner (against signature, or by
//! registered letter with its tracking number), when, and by which premise when it came by
//! another (an owner is notified once); a note of a notice that came late or on the disputed tenth
//! or eleventh day, a refusal, nobody at home, a letter still to send; a column for the owner's
//! signature and one for the canvasser who handed the notice over. Filled from the canvass, or
//! blank with spare rows for the canvassers to carry.

use std::path::Path;

use obhod_core::mail::{Timeliness, notice_deadline, timeliness};
use obhod_core::{
    Canvass, Holder, Lang, Meeting, MeetingKind, NoticeBy, Outcome, OwnerKind, OwnerStatus, Premise, PremiseStatus,
    Registry, Room,
};

use crate::doc::{Align, Block, Doc, Layout, Part, col};
use crate::error::PaperError;
use crate::format::Fmt;
use crate::out::{FileKind, write_all};
use crate::sheet::{Cell, Sheet};

/// The least height of a row of the DOCX register: 1 cm, room for a signature by hand.
pub const SIGNING_ROW: u32 = 567;

/// Rows left empty at the end of a blank register, for owners the registry does not know yet.
pub const SPARE_ROWS: usize = 10;

/// The number of the register's columns.
const COLUMNS: usize = 9;

/// A row of the register as text.
pub type Row = [String; COLUMNS];

/// The register's columns in a sheet (CSV, XLSX).
fn columns(lang: Lang) -> [&'static str; COLUMNS] {
    [
        lang.pick("№ п/п", "No."),
        lang.pick("Помещение", "Premise"),
        lang.pick("Собственник", "Owner"),
        lang.pick("Форма собственности, доля", "Ownership, share"),
        lang.pick("Способ вручения", "How notified"),
        lang.pick("Дата", "Date"),
        lang.pick("Подпись собственника", "Owner's signature"),
        lang.pick("Вручил (Ф. И. О., подпись)", "Handed over by (name, signature)"),
        lang.pick("Примечание", "Note"),
    ]
}

/// The widths of a sheet's columns, in characters.
const SHEET_WIDTHS: [f64; COLUMNS] = [6.0, 11.0, 26.0, 18.0, 22.0, 11.0, 22.0, 20.0, 22.0];

/// The columns of the DOCX register, with their shares of the landscape page: the way and the date
/// of the notice share a column there, so that the columns to sign in stay wide enough for a
/// name and a signature by hand (3.5 and 3.3 cm).
fn doc_columns(lang: Lang) -> [(&'static str, u32); COLUMNS - 1] {
    [
        (lang.pick("№ п/п", "No."), 6),
        (lang.pick("Помещение", "Premise"), 11),
        (lang.pick("Собственник", "Owner"), 14),
        (lang.pick("Форма собственности, доля", "Ownership, share"), 15),
        (lang.pick("Способ и дата вручения", "How and when notified"), 15),
        (lang.pick("Подпись собственника", "Owner's signature"), 14),
        (lang.pick("Вручил (Ф. И. О., подпись)", "Handed over by (name, signature)"), 13),
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
    let rows = rows(meeting, registry, canvass, blank, lang);
    let bytes = match kind {
        FileKind::Docx => crate::docx::render(&doc(meeting, &rows, lang)),
        FileKind::Xlsx => sheet(meeting, &rows, lang).xlsx()?,
        FileKind::Csv => sheet(meeting, &rows, lang).csv(),
    };
    write_all(&[(path.to_path_buf(), bytes)])?;
    Ok(rows.len())
}

/// The title lines above the table: which meeting and on which day, and the last day of notice.
fn title(meeting: &Meeting, lang: Lang) -> [String; 2] {
    let fmt = Fmt(lang);
    let date = fmt.date(meeting.date);
    let title = match (lang, meeting.kind) {
        (Lang::Ru, kind) => format!(
            "Реестр вручения сообщений о проведении {} общего собрания собственников помещений в многоквартирном доме, назначенного на {date}",
            if kind == MeetingKind::Annual { "годового" } else { "внеочередного" }
        ),
        (Lang::En, kind) => format!(
            "Register of delivery of the notice of the {} general meeting of owners called for {date}",
            if kind == MeetingKind::Annual { "annual" } else { "extraordinary" }
        ),
    };
    let details = format!(
        "{}: {}; {} {}; {}: {}",
        lang.pick("Адрес", "Address"),
        meeting.address,
        meeting.form.words(lang),
        lang.pick("голосование", "voting"),
        lang.pick("последний день уведомления", "the last day of notice"),
        fmt.date(notice_deadline(meeting)),
    );
    [title, details]
}

/// The register's rows as text, numbered.
pub fn rows(meeting: &Meeting, registry: &Registry, canvass: &Canvass, blank: bool, lang: Lang) -> Vec<Row> {
    let mut rows = Vec::new();
    for (status, owner) in canvass.owners() {
        let premise = &registry.premises[status.premise];
        let (method, date, note) = if blank { Default::default() } else { how(meeting, registry, status, owner, lang) };
        rows.push([
            (rows.len() + 1).to_string(),
            premise.label.clone(),
            owner.owner.name.clone(),
            ownership(premise, &owner.owner.name, owner.owner.kind, lang),
            method,
            date,
            String::new(),
            String::new(),
            note,
        ]);
    }
    if blank {
        for _ in 0..SPARE_ROWS {
            let mut row: Row = Default::default();
            row[0] = (rows.len() + 1).to_string();
            rows.push(row);
        }
    }
    rows
}

/// How and when the owner was notified (at this premise or another of its own), and the notes: by
/// which premise, late or on the boundary, a refusal, nobody at home, a letter still to send.
fn how(
    meeting: &Meeting,
    registry: &Registry,
    status: &PremiseStatus,
    owner: &OwnerStatus,
    lang: Lang,
) -> (String, String, String) {
    let fmt = Fmt(lang);
    let mut notes: Vec<String> = Vec::new();
    let (mut method, mut date) = (String::new(), String::new());
    let notice = owner.notice();
    if let Some(notice) = notice {
        method = match &notice.by {
            NoticeBy::Signature => lang.pick("под роспись", "against signature").to_string(),
            NoticeBy::Letter(None) => lang.pick("заказное письмо", "registered letter").to_string(),
            NoticeBy::Letter(Some(tracking)) => {
                format!("{} № {tracking}", lang.pick("заказное письмо", "registered letter"))
            }
        };
        date = fmt.date(notice.date);
        if notice.premise != status.premise {
            let via = &registry.premises[notice.premise].label;
            notes.push(format!("{} {via}", lang.pick("по пом.", "via premise")));
        }
        let days = (meeting.date - notice.date).num_days();
        let before = match days {
            1.. => format!(
                "{} {} {}",
                lang.pick("за", ""),
                lang.count(days as u64, ["день", "дня", "дней"], ["day", "days"]),
                lang.pick("до собрания", "before the meeting")
            )
            .trim()
            .to_string(),
            _ => lang.pick("не ранее дня собрания", "on or after the day of the meeting").to_string(),
        };
        let late = match notice.by {
            NoticeBy::Signature => lang.pick("вручено с опозданием", "handed over late"),
            NoticeBy::Letter(_) => lang.pick("письмо отправлено с опозданием", "letter sent late"),
        };
        match timeliness(meeting, notice.date) {
            Timeliness::Late => notes.push(format!("{late} ({before})")),
            Timeliness::Boundary => notes.push(before),
            Timeliness::InTime => {}
        }
    }
    if owner.refused && notice.is_none_or(|n| n.by != NoticeBy::Signature) {
        notes.push(lang.pick("отказ", "refused").into());
    }
    if notice.is_none() && status.last_outcome == Some(Outcome::Absent) {
        notes.push(lang.pick("не застали", "nobody home").into());
    }
    if owner.needs_letter() && owner.wide.letter {
        notes.push(lang.pick("нужно заказное письмо", "registered letter needed").into());
    }
    (method, date, notes.join("; "))
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

/// A date to fill in by hand.
const DATE_LINE: &str = "«___» ____________ 20__\u{a0}г.";

/// The line the initiator signs the register on, when the meeting names the initiator.
fn signed_by(meeting: &Meeting, lang: Lang) -> Option<String> {
    let name = crate::words::name_of(meeting.initiator.as_deref()?);
    Some(format!("{}: ____________________ / {name} /", lang.pick("Инициатор собрания", "Initiator of the meeting")))
}

fn sheet(meeting: &Meeting, rows: &[Row], lang: Lang) -> Sheet {
    let [title, details] = title(meeting, lang);
    let mut sheet = Sheet {
        name: lang.pick("Реестр", "Register").into(),
        rows: vec![vec![Cell::Text(title)], vec![Cell::Text(details)], vec![]],
        table: 3,
        end: 4 + rows.len(),
        widths: SHEET_WIDTHS.to_vec(),
        // Two lines, about 1 cm, as the DOCX register's rows.
        row_height: 30.0,
    };
    sheet.rows.push(columns(lang).iter().map(|h| Cell::text(*h)).collect());
    for row in rows {
        let number = Cell::Int(row[0].parse().unwrap_or_default());
        sheet.rows.push(std::iter::once(number).chain(row[1..].iter().map(Cell::text)).collect());
    }
    if let Some(line) = signed_by(meeting, lang) {
        let date = lang.pick(DATE_LINE, "Date: ____________").replace('\u{a0}', " ");
        sheet.rows.extend([vec![], vec![Cell::Text(line)], vec![Cell::Text(date)]]);
    }
    sheet
}

fn doc(meeting: &Meeting, rows: &[Row], lang: Lang) -> Doc {
    let [title, details] = title(meeting, lang);
    let columns = doc_columns(lang)
        .iter()
        .enumerate()
        .map(|(i, (header, width))| col(header, *width, if i == 0 { Align::Right } else { Align::Left }))
        .collect();
    let layout = Layout { row_height: SIGNING_ROW, whole: false };
    let rows = rows.iter().map(|row| {
        // «№» and the tracking number together: on a line of their own, which the column fits;
        // the date under them.
        let how = [row[4].replacen(" № ", "\n№ ", 1), row[5].clone()];
        let how = how.into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n");
        row[..4].iter().cloned().chain([how]).chain(row[6..].iter().cloned()).collect()
    });
    let mut blocks =
        vec![Block::Title(title), Block::Right(details), Block::Table { columns, rows: rows.collect(), layout }];
    if let Some(line) = signed_by(meeting, lang) {
        blocks.extend([Block::Signature(line), Block::Right(lang.pick(DATE_LINE, "Date: ____________").into())]);
    }
    Doc { parts: vec![Part { landscape: true, blocks, sheets: None }] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting() -> Meeting {
        let text = include_str!("../../fixtures/sadovaya-5/meeting.toml");
        Meeting::parse("meeting.toml", text).expect("the fixture's meeting")
    }

    fn row(number: usize, premise: &str, owner: &str, method: &str) -> Row {
        let note =
            "по пом. ММ-20; письмо отправлено с опозданием (за 7 дней до собрания); нужно заказное письмо; отказ";
        let cells = [&number.to_string(), premise, owner, "комн. к2: долевая, 1/2", method, "26.11.2026", "", "", note];
        cells.map(str::to_owned)
    }

    #[test]
    fn the_docx_register_has_rows_to_sign_in_and_columns_that_fit_their_words() {
        for lang in [Lang::Ru, Lang::En] {
            let mut state = row(10000, "Н-12", "Российская Федерация", "под роспись");
            state[3] = "государственная".into();
            let rows = [
                row(1, "ММ-20", "Муниципальное образование городской округ", "заказное письмо № 64400012345678"),
                state,
            ];
            let doc = doc(&meeting(), &rows, lang);
            assert_eq!(crate::narrow_columns(&doc), Vec::<String>::new(), "{lang:?}");
            let Block::Table { columns, layout, .. } = &doc.parts[0].blocks[2] else { panic!("the table") };
            assert_eq!(layout.row_height, SIGNING_ROW);
            let signature =
                columns.iter().find(|c| c.header == lang.pick("Подпись собственника", "Owner's signature")).unwrap();
            let units: u32 = columns.iter().map(|c| c.width).sum();
            assert!(signature.width * 100 / units >= 14, "a signature needs 3.5 cm of the landscape page");
            let by = columns.iter().find(|c| c.header.starts_with(lang.pick("Вручил", "Handed"))).unwrap();
            assert!(by.width * 100 / units >= 13, "a name and a signature need 3.3 cm");
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
        assert_eq!(rows[0][4], "заказное письмо\n№ 1\n26.11.2026", "the number is never parted from its «№»");
    }
}
