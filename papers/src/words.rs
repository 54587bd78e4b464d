//! Phrases every paper shares: what the meeting is called, the majority each question needs in
//! the law's words, the checks that the meeting file holds what a paper must state, and signature
//! lines.

use obhod_core::{Lang, LawItem, Meeting, MeetingForm, MeetingKind, Owner, OwnerKind, Question, Threshold};

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

/// An owner as a running head names it: a person as «Орлова Е. В.», an organisation in full.
pub fn short_name(owner: &Owner) -> String {
    let parts: Vec<&str> = owner.name.split_whitespace().collect();
    match parts.as_slice() {
        [surname, rest @ ..] if owner.kind == OwnerKind::Person && !rest.is_empty() && rest.len() <= 3 => {
            let initials: Vec<String> = rest.iter().filter_map(|p| p.chars().next()).map(|c| format!("{c}.")).collect();
            format!("{surname} {}", initials.join("\u{a0}"))
        }
        _ => owner.name.clone(),
    }
}

/// The name that opens a description such as the initiator's («Иванов И. И., собственник кв. 1 …»).
pub fn name_of(description: &str) -> &str {
    description.split(',').next().unwrap_or(description).trim()
}

/// The majority a question's decision needs, in the law's words (ч. 1 ст. 46, ч. 3 ст. 36 ЖК РФ),
/// with the articles behind it: what the notice, the protocol and the results all state.
pub fn majority(question: &Question, lang: Lang) -> String {
    let words = match question.threshold {
        Threshold::Simple => lang.pick(
            "большинством голосов от общего числа голосов собственников помещений, принимающих участие в собрании",
            "a majority of the votes of the owners of premises taking part in the meeting",
        ),
        Threshold::AllMajority => lang.pick(
            "более 50 % голосов от общего числа голосов собственников помещений в многоквартирном доме",
            "more than 50 % of the votes of all owners of premises in the building",
        ),
        Threshold::AllTwoThirds => lang.pick(
            "не менее двух третей голосов от общего числа голосов собственников помещений в многоквартирном доме",
            "at least two thirds of the votes of all owners of premises in the building",
        ),
        Threshold::Unanimous => lang.pick(
            "всеми собственниками помещений в многоквартирном доме (100 % голосов)",
            "the votes of all owners of premises in the building (100 %)",
        ),
        // Never on a paper: `require_thresholds` refuses the paper first.
        Threshold::Manual => "",
    };
    format!("{words} ({})", question.item.article(lang))
}

/// The percentages of a question are of: the votes that took part, or all votes.
pub fn base_of(question: &Question, lang: Lang) -> &'static str {
    if question.threshold.counts_all_votes() {
        lang.pick(
            "от общего числа голосов собственников помещений в многоквартирном доме",
            "of the votes of all owners of premises in the building",
        )
    } else {
        lang.pick(
            "от числа голосов собственников помещений, принявших участие в собрании",
            "of the votes of the owners who took part",
        )
    }
}

/// Refuses a paper while a question's majority is one the law leaves to a special procedure
/// (items 4.5 and 4.6 of ч. 2 ст. 44) and meeting.toml does not state it: no paper may say how a
/// decision is taken without saying by what majority.
pub fn require_thresholds(meeting: &Meeting) -> Result<(), PaperError> {
    let manual: Vec<(usize, LawItem)> = meeting
        .questions
        .iter()
        .filter(|q| q.threshold == Threshold::Manual)
        .map(|q| (q.number, q.item.clone()))
        .collect();
    if manual.is_empty() { Ok(()) } else { Err(PaperError::ManualThreshold { questions: manual }) }
}

/// The protocol as papers cite it: «№ 1 от 25.12.2026», with blanks for what meeting.toml does
/// not give yet.
pub fn protocol_ref(meeting: &Meeting, fmt: Fmt) -> String {
    let number = meeting.protocol_number.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or("______");
    let date = match meeting.protocol_date {
        Some(date) => fmt.date(date),
        None => fmt.0.pick("«___» ____________ 20__\u{a0}г.", "____________").to_owned(),
    };
    format!("{} {number} {} {date}", fmt.0.pick("№", "No."), fmt.0.pick("от", "of"))
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
