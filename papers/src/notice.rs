//! The notice of the meeting (сообщение о проведении общего собрания, ч.5 ст.45 ЖК РФ): the
//! initiator, kind and form, date, time and place, when voting ends and where decisions go, the
//! agenda with the proposals, where the materials are, and where the papers will be kept.

use obhod_core::Lang;

use crate::doc::Doc;
use crate::error::PaperError;
use crate::report::Report;
use crate::words::{
    form, has_absentee, has_in_person, kind, majority, meeting_of, name_of, require, require_thresholds, sign,
};

/// The notice, or which keys of the meeting file it still needs.
pub fn notice(report: &Report) -> Result<Doc, PaperError> {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    require_thresholds(m)?;
    require(
        "notice",
        &[
            ("meeting.initiator", m.initiator.is_some()),
            ("meeting.time", m.time.is_some() || !has_in_person(m)),
            ("meeting.place", m.place.is_some() || !has_in_person(m)),
            ("meeting.ballots_to", m.ballots_to.is_some() || !has_absentee(m)),
            ("meeting.materials", m.materials.is_some() || m.storage.is_some()),
        ],
    )?;
    let initiator = m.initiator.as_deref().unwrap_or_default();
    let mut doc = Doc::new();
    doc.title(lang.pick("СООБЩЕНИЕ", "NOTICE"));
    doc.title(format!("{} {}", lang.pick("о проведении", "of"), meeting_of(m, lang)));
    doc.field(lang.pick("Инициатор собрания", "Initiator"), initiator);
    doc.field(lang.pick("Вид собрания", "Kind of meeting"), kind(m, lang));
    doc.field(lang.pick("Форма проведения", "Form"), form(m, lang));
    if has_in_person(m) {
        let (time, place) = (m.time.as_deref().unwrap_or_default(), m.place.as_deref().unwrap_or_default());
        let when = format!("{} {} {time}", fmt.date(m.date), lang.pick("в", "at"));
        doc.field(lang.pick("Дата и время очного обсуждения", "Date and time of the in-person meeting"), when);
        doc.field(lang.pick("Место", "Place"), place);
    }
    if has_absentee(m) {
        let from_to = match lang {
            Lang::Ru => format!("с {} по {} включительно", fmt.date(m.date), fmt.date(m.voting_ends)),
            Lang::En => format!("from {} to {} inclusive", fmt.date(m.date), fmt.date(m.voting_ends)),
        };
        doc.field(lang.pick("Приём решений собственников", "Owners' decisions accepted"), from_to);
        doc.field(
            lang.pick("Дата окончания приёма решений", "Last day decisions are accepted"),
            fmt.date(m.voting_ends),
        );
        doc.field(
            lang.pick("Куда передавать решения", "Where to hand in decisions"),
            m.ballots_to.as_deref().unwrap_or_default(),
        );
    }
    agenda(&mut doc, report);
    let materials = m.materials.as_deref().or(m.storage.as_deref()).unwrap_or_default();
    doc.field(
        lang.pick(
            "С информацией и материалами по вопросам повестки дня можно ознакомиться",
            "The materials of the agenda can be read at",
        ),
        materials,
    );
    if let Some(storage) = &m.storage {
        doc.field(
            lang.pick("Место хранения протокола и решений", "The protocol and decisions will be kept at"),
            storage,
        );
    }
    doc.text(lang.pick(
        "Голосуют собственники помещений или их представители: по доверенности, а за несовершеннолетнего \
         до 14 лет — его родитель, усыновитель или опекун. При себе иметь документ, удостоверяющий личность, \
         и сведения о записи ЕГРН о праве собственности; представителю — доверенность. Количество голосов \
         собственника пропорционально площади его помещения: один голос — один квадратный метр (ч. 3 ст. 48 \
         ЖК РФ). Итоги голосования будут \
         доведены до собственников не позднее 10 дней после окончания голосования. Сообщение размещается \
         также в ГИС ЖКХ.",
        "Owners of premises or their representatives vote: a proxy, or for a child under 14 a parent, \
         adoptive parent or guardian. Bring an identity document and the details of the title record; a \
         representative, the proxy. An owner's votes are proportional to the area owned: one vote is one \
         square metre (part 3 art. 48 of the Housing Code). The \
         results will be made known to the owners within 10 days after voting ends. The notice is also \
         posted in the state housing system (GIS ZhKKh).",
    ));
    sign(&mut doc, lang.pick("Инициатор собрания", "Initiator"), name_of(initiator), lang);
    Ok(doc)
}

/// The agenda: each question with the proposal and the majority it needs.
pub fn agenda(doc: &mut Doc, report: &Report) {
    let lang = report.lang;
    doc.heading(lang.pick("Повестка дня", "Agenda"));
    for question in &report.meeting.questions {
        doc.strong(format!("{}. {}", question.number, question.text));
        doc.text(format!("{}: {}", lang.pick("Предлагается", "Proposed"), question.proposal));
        doc.text(format!("{}: {}", lang.pick("Решение принимается", "Majority needed"), majority(question, lang)));
    }
}
