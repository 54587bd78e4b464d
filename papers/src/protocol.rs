//! The draft protocol of the meeting in the structure of Minstroy's order 266/пр: the title,
//! the introductory part with every figure of the count, the agenda, each question as СЛУШАЛИ /
//! ПРЕДЛОЖЕНО / РЕШИЛИ with its votes, the rules of counting applied, storage, attachments and
//! signatures; then the registry of owners (in landscape) and the premises that took part.

use obhod_core::Lang;
use obhod_core::deadlines::Step;

use crate::doc::{Align, Doc, col};
use crate::error::PaperError;
use crate::report::Report;
use crate::words::{form, has_absentee, has_in_person, kind, meeting_of, name_of, require};

mod annex;

/// The protocol, or which keys of the meeting file it still needs.
pub fn protocol(report: &Report) -> Result<Doc, PaperError> {
    let m = report.meeting;
    require(
        "protocol",
        &[
            ("meeting.initiator", m.initiator.is_some()),
            ("meeting.chair", m.chair.is_some()),
            ("meeting.secretary", m.secretary.is_some()),
            ("meeting.storage", m.storage.is_some()),
        ],
    )?;
    let mut doc = Doc::new();
    title(&mut doc, report);
    introduction(&mut doc, report);
    quorum(&mut doc, report);
    agenda(&mut doc, report);
    for index in 0..m.questions.len() {
        question(&mut doc, report, index);
    }
    annex::interpretations(&mut doc, report);
    annex::closing(&mut doc, report);
    annex::attachments(&mut doc, report);
    Ok(doc)
}

fn title(doc: &mut Doc, report: &Report) {
    let (m, lang) = (report.meeting, report.lang);
    let number = m.protocol_number.as_deref().unwrap_or("____");
    doc.title(format!("{}{number}", lang.pick("ПРОТОКОЛ №\u{a0}", "MINUTES No.\u{a0}")));
    doc.title(format!(
        "{}, {} {}",
        meeting_of(m, lang),
        lang.pick("проведённого в форме", "held as"),
        form_genitive(report)
    ));
    let date = lang.pick("«___» ____________ 20__\u{a0}г.", "____________");
    let by = report.fmt.date(report.deadline(Step::Protocol));
    doc.field(
        lang.pick("Дата составления протокола", "Drawn up on"),
        format!("{date} ({} {by})", lang.pick("не позднее", "no later than")),
    );
}

fn form_genitive(report: &Report) -> String {
    let lang = report.lang;
    match (lang, report.meeting.form) {
        (Lang::Ru, obhod_core::MeetingForm::InPerson) => "очного голосования".into(),
        (Lang::Ru, obhod_core::MeetingForm::Absentee) => "заочного голосования".into(),
        (Lang::Ru, obhod_core::MeetingForm::InPersonAndAbsentee) => "очно-заочного голосования".into(),
        (Lang::En, _) => form(report.meeting, lang),
    }
}

fn introduction(doc: &mut Doc, report: &Report) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.field(lang.pick("Вид собрания", "Kind of meeting"), kind(m, lang));
    doc.field(lang.pick("Форма проведения", "Form"), form(m, lang));
    if has_in_person(m) {
        let when = match m.time.as_deref() {
            Some(time) => format!("{} {} {time}", fmt.date(m.date), lang.pick("в", "at")),
            None => fmt.date(m.date),
        };
        doc.field(lang.pick("Дата и время очного обсуждения", "Date and time of the in-person meeting"), when);
        doc.field(lang.pick("Место", "Place"), m.place.as_deref().unwrap_or("—"));
    }
    if has_absentee(m) {
        let span = match lang {
            Lang::Ru => format!("с {} по {}", fmt.date(m.date), fmt.date(m.voting_ends)),
            Lang::En => format!("from {} to {}", fmt.date(m.date), fmt.date(m.voting_ends)),
        };
        doc.field(lang.pick("Период голосования", "Voting period"), span);
        doc.field(lang.pick("Место приёма решений", "Decisions accepted at"), m.ballots_to.as_deref().unwrap_or("—"));
    }
    doc.field(lang.pick("Инициатор собрания", "Initiator"), m.initiator.as_deref().unwrap_or_default());
    doc.field(lang.pick("Председатель собрания", "Chair"), m.chair.as_deref().unwrap_or_default());
    doc.field(lang.pick("Секретарь собрания", "Secretary"), m.secretary.as_deref().unwrap_or_default());
    let commission = if m.counting_commission.is_empty() {
        lang.pick(
            "не избиралась; подсчёт голосов вели председатель и секретарь",
            "not elected; the chair and the secretary counted",
        )
        .to_owned()
    } else {
        m.counting_commission.join(", ")
    };
    doc.field(lang.pick("Счётная комиссия", "Counting commission"), commission);
    doc.field(
        lang.pick("Присутствующие и приглашённые лица", "Present and invited persons"),
        lang.pick(
            "согласно списку присутствовавших (приложение №\u{a0}5)",
            "as in the list of those present (attachment 5)",
        ),
    );
}

fn quorum(doc: &mut Doc, report: &Report) {
    let (lang, tally, total) = (report.lang, report.tally, report.total);
    doc.field(
        lang.pick("Общая площадь жилых помещений", "Total area of residential premises"),
        format!("{}\u{a0}{}", report.votes(&report.residential_area), lang.pick("м²", "m²")),
    );
    doc.field(
        lang.pick("Общая площадь нежилых помещений", "Total area of non-residential premises"),
        format!("{}\u{a0}{}", report.votes(&report.other_area), lang.pick("м²", "m²")),
    );
    doc.field(
        lang.pick("Общее количество голосов собственников", "Total votes of the owners"),
        format!(
            "{} (100 %); {}",
            report.votes(total),
            lang.pick("один голос равен 1 м² площади помещения в собственности", "one vote is 1 m² of owned area")
        ),
    );
    doc.field(
        lang.pick("Приняли участие в голосовании", "Took part in the vote"),
        match lang {
            Lang::Ru => format!(
                "собственники, обладающие {} голосами, что составляет {} от общего числа голосов",
                report.votes(&tally.participated),
                report.percent(&tally.participated, total)
            ),
            Lang::En => format!(
                "owners with {} votes, {} of all votes",
                report.votes(&tally.participated),
                report.percent(&tally.participated, total)
            ),
        },
    );
    let verdict = if tally.quorum {
        lang.pick(
            "имеется (приняли участие более 50 % голосов); общее собрание правомочно",
            "present (more than 50 % of all votes took part); the meeting may decide",
        )
    } else {
        lang.pick(
            "отсутствует (приняли участие не более 50 % голосов); общее собрание неправомочно, решения по вопросам повестки дня не приняты",
            "absent (no more than 50 % of all votes took part); the meeting may not decide, and no decision is adopted",
        )
    };
    doc.field(lang.pick("Кворум", "Quorum"), verdict);
    if let Some(caution) = report.count().quorum_caution() {
        doc.text(caution);
    }
}

fn agenda(doc: &mut Doc, report: &Report) {
    let lang = report.lang;
    doc.heading(lang.pick("Повестка дня", "Agenda"));
    for question in &report.meeting.questions {
        doc.text(format!("{}. {}", question.number, question.text));
    }
    doc.heading(lang.pick("Рассмотрение вопросов повестки дня", "The questions of the agenda"));
}

fn question(doc: &mut Doc, report: &Report, index: usize) {
    let (lang, count) = (report.lang, report.count());
    let (question, result) = (&report.meeting.questions[index], &report.tally.questions[index]);
    let speaker = name_of(report.meeting.initiator.as_deref().unwrap_or_default());
    doc.heading(format!("{} {}. {}", lang.pick("Вопрос", "Question"), question.number, question.text));
    doc.field(lang.pick("СЛУШАЛИ", "HEARD"), format!("{speaker} — {}", question.text));
    doc.field(lang.pick("ПРЕДЛОЖЕНО", "PROPOSED"), &question.proposal);
    doc.field(
        lang.pick("ГОЛОСОВАЛИ", "VOTED"),
        format!("{} ({})", count.base_words(result), report.votes(&result.base)),
    );
    let columns = vec![
        col(lang.pick("Ответ", "Answer"), 3, Align::Left),
        col(lang.pick("Голосов", "Votes"), 2, Align::Right),
        col(&format!("% {}", count.base_words(result)), 3, Align::Right),
    ];
    let rows = count
        .answers(result)
        .into_iter()
        .map(|(name, votes, percent)| vec![name.to_owned(), report.votes(votes), percent])
        .collect();
    doc.small_table(columns, rows);
    doc.field(
        lang.pick("Необходимо", "Needed"),
        format!("{} ({})", question.threshold.words(lang), question.item.article(lang)),
    );
    doc.field(lang.pick("Итог", "Result"), count.verdict(result));
    let decided = match result.adopted {
        Some(true) if lang == Lang::Ru => third_person_plural(&question.proposal),
        Some(true) => question.proposal.clone(),
        Some(false) => lang.pick("решение не принято", "no decision is adopted").to_owned(),
        None => lang
            .pick("решение не определено: требуется проверка юриста", "not determined: needs legal review")
            .to_owned(),
    };
    doc.field(lang.pick("РЕШИЛИ (ПОСТАНОВИЛИ)", "DECIDED"), decided);
    if let Some(named) = count.named_verdict(result) {
        doc.text(format!("{named}."));
    }
}

/// The adopted wording in the third person plural: a proposal that opens with a perfective
/// infinitive («Избрать», «Провести») becomes «Избрали», «Провели»; any other is kept as written.
pub fn third_person_plural(proposal: &str) -> String {
    let split = proposal.find(|c: char| !c.is_alphabetic()).unwrap_or(proposal.len());
    let (verb, rest) = proposal.split_at(split);
    let imperfective = ["ять", "вать"].iter().any(|end| verb.ends_with(end));
    let stem = ["ить", "ать", "еть", "сти"].iter().find_map(|end| verb.strip_suffix(end).map(|stem| (stem, *end)));
    match stem {
        Some((stem, end)) if !imperfective && stem.chars().count() > 1 => {
            let vowel = if end == "сти" { "" } else { &end[..end.len() - "ть".len()] };
            format!("{stem}{vowel}ли{rest}")
        }
        _ => proposal.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::third_person_plural;

    #[test]
    fn perfective_proposals_become_the_past_plural() {
        assert_eq!(third_person_plural("Избрать председателем Иванова И. И."), "Избрали председателем Иванова И. И.");
        assert_eq!(third_person_plural("Провести капитальный ремонт"), "Провели капитальный ремонт");
        assert_eq!(third_person_plural("Наделить совет"), "Наделили совет");
        assert_eq!(third_person_plural("Уведомлять собственников"), "Уведомлять собственников");
        assert_eq!(third_person_plural("Выбрать способ"), "Выбрали способ");
        assert_eq!(third_person_plural("Пересмотреть"), "Пересмотрели");
        assert_eq!(third_person_plural("Избрать: председатель — А"), "Избрали: председатель — А");
        assert_eq!(third_person_plural("Формировать фонд"), "Формировать фонд");
        assert_eq!(third_person_plural("Председатель — А"), "Председатель — А");
    }
}
