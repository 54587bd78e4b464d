//! Phrases every paper shares: what the meeting is called, the checks that the meeting file holds
//! what a paper must state, and signature lines.

use obhod_core::{Lang, Meeting, MeetingForm, MeetingKind};

use crate::doc::Doc;
use crate::error::PaperError;
use crate::format::Fmt;

/// «внеочередного общего собрания собственников помещений в многоквартирном доме по адресу: …».
pub fn meeting_of(meeting: &Meeting, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!(
            "{} общего собрания собственников помещений в многоквартирном доме по адресу: {}",
            match meeting.kind {
                MeetingKind::Annual => "годового",
                MeetingKind::Extraordinary => "внеочередного",
            },
            meeting.address
        ),
        Lang::En => format!(
            "the {} general meeting of the owners of premises in the apartment building at {}",
            kind(meeting, lang),
            meeting.address
        ),
    }
}

/// The meeting, its form and its dates: «… очно-заочное голосование с 10.12.2026 по 20.12.2026».
pub fn meeting_span(meeting: &Meeting, fmt: Fmt) -> String {
    let (m, lang) = (meeting, fmt.0);
    let (from, to) = (fmt.date(m.date), fmt.date(m.voting_ends));
    match lang {
        Lang::Ru => format!("{}, {} с {from} по {to}", meeting_of(m, lang), form(m, lang)),
        Lang::En => format!("{}, {} from {from} to {to}", meeting_of(m, lang), form(m, lang)),
    }
}

/// «внеочередное» / «годовое».
pub fn kind(meeting: &Meeting, lang: Lang) -> &'static str {
    match meeting.kind {
        MeetingKind::Annual => lang.pick("годовое", "annual"),
        MeetingKind::Extraordinary => lang.pick("внеочередное", "extraordinary"),
    }
}

/// «очно-заочное голосование».
pub fn form(meeting: &Meeting, lang: Lang) -> String {
    format!("{} {}", meeting.form.words(lang), lang.pick("голосование", "voting"))
}

/// Whether the meeting has an in-person part, and whether it takes written decisions.
pub fn has_in_person(meeting: &Meeting) -> bool {
    meeting.form != MeetingForm::Absentee
}

pub fn has_absentee(meeting: &Meeting) -> bool {
    meeting.form != MeetingForm::InPerson
}

/// The name that opens a description such as the initiator's («Иванов И. И., собственник кв. 1 …»).
pub fn name_of(description: &str) -> &str {
    description.split(',').next().unwrap_or(description).trim()
}

/// Refuses a paper whose required keys of meeting.toml are missing: `keys` pairs each key with
/// whether it is given.
pub fn require(paper: &'static str, keys: &[(&'static str, bool)]) -> Result<(), PaperError> {
    let missing: Vec<&'static str> = keys.iter().filter(|(_, given)| !given).map(|(key, _)| *key).collect();
    if missing.is_empty() { Ok(()) } else { Err(PaperError::MissingInMeeting { paper, keys: missing }) }
}

/// A signature, to the right: «Председатель: ________________ / Иванов И. И. /» and under it
/// the date ««___» ____________ 20__ г.», a line of its own so that it never breaks in two.
pub fn sign(doc: &mut Doc, role: &str, name: &str, lang: Lang) {
    doc.signature(format!("{role}: ____________________ / {name} /"));
    doc.right(lang.pick("«___» ____________ 20__\u{a0}г.", "Date: ____________"));
}
