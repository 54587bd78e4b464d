//! The protocol of the meeting in the structure of Minstroy's order 266/пр: the title with its
//! number and date, the introductory part (officers, the areas of the building's premises as the
//! registry lists them, the premises left out of the total number of votes, every figure of the
//! count, the decisions excluded with their reasons), the agenda, each question as СЛУШАЛИ /
//! ПРЕДЛОЖЕНО / РЕШИЛИ with its votes and the majority it needed, the rules of counting applied,
//! storage, the numbered attachments and signatures; then the attachments obhod draws itself.
//! Facts only: no doubt, advice or alternative figure (those go to the organiser's terminal).

use obhod_core::Lang;

use crate::doc::{Align, Doc, col};
use crate::error::PaperError;
use crate::report::Report;
use crate::words::{base_of, form, has_absentee, has_in_person, kind, majority, name_of, require, require_thresholds};

mod annex;

use annex::{Attachment, Attachments};

/// The protocol, or which keys of the meeting file it still needs.
pub fn protocol(report: &Report) -> Result<Doc, PaperError> {
    let m = report.meeting;
    require_thresholds(m)?;
    require(
        "protocol",
        &[
            ("meeting.initiator", m.initiator.is_some()),
            ("meeting.chair", m.chair.is_some()),
            ("meeting.secretary", m.secretary.is_some()),
            ("meeting.storage", m.storage.is_some()),
        ],
    )?;
    let attachments = Attachments::of(m, report.tally);
    let mut doc = Doc::new();
    title(&mut doc, report);
    introduction(&mut doc, report, &attachments);
    figures(&mut doc, report, &attachments);
    excluded(&mut doc, report, &attachments);
    agenda(&mut doc, report);
    for index in 0..m.questions.len() {
        question(&mut doc, report, index);
    }
    annex::rules(&mut doc, report);
    annex::closing(&mut doc, report, &attachments);
    Ok(doc)
}

fn title(doc: &mut Doc, report: &Report) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    let number = m.protocol_number.as_deref().filter(|n| !n.trim().is_empty()).unwrap_or("______");
    doc.title(format!("{}{number}", lang.pick("ПРОТОКОЛ №\u{a0}", "MINUTES No.\u{a0}")));
    doc.title(match lang {
        Lang::Ru => format!(
            "общего собрания собственников помещений в многоквартирном доме, расположенном по адресу: {}, \
             проведённого в форме {}",
            m.address,
            form_genitive(report)
        ),
        Lang::En => format!(
            "of the general meeting of the owners of premises in the apartment building at {}, held as {}",
            m.address,
            form(m, lang)
        ),
    });
    let date = match m.protocol_date {
        Some(date) => fmt.date(date),
        None => lang.pick("«___» ____________ 20__\u{a0}г.", "____________").to_owned(),
    };
    doc.field(lang.pick("Дата протокола", "Date of the minutes"), date);
}

fn form_genitive(report: &Report) -> &'static str {
    match report.meeting.form {
        obhod_core::MeetingForm::InPerson => "очного голосования",
        obhod_core::MeetingForm::Absentee => "заочного голосования",
        obhod_core::MeetingForm::InPersonAndAbsentee => "очно-заочного голосования",
    }
}

fn introduction(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.field(lang.pick("Вид общего собрания", "Kind of meeting"), kind(m, lang));
    doc.field(lang.pick("Форма проведения", "Form"), form(m, lang));
    if has_in_person(m) {
        let when = match m.time.as_deref() {
            Some(time) => format!("{} {} {time}", fmt.date(m.date), lang.pick("в", "at")),
            None => fmt.date(m.date),
        };
        doc.field(lang.pick("Дата и время очного обсуждения", "Date and time of the in-person meeting"), when);
        doc.field(
            lang.pick("Место очного обсуждения", "Place of the in-person meeting"),
            m.place.as_deref().unwrap_or("—"),
        );
    }
    if has_absentee(m) {
        let span = match lang {
            Lang::Ru => format!("с {} по {} включительно", fmt.date(m.date), fmt.date(m.voting_ends)),
            Lang::En => format!("from {} to {} inclusive", fmt.date(m.date), fmt.date(m.voting_ends)),
        };
        doc.field(lang.pick("Приём решений собственников", "Owners' decisions accepted"), span);
        doc.field(lang.pick("Место приёма решений", "Decisions accepted at"), m.ballots_to.as_deref().unwrap_or("—"));
    }
    doc.field(lang.pick("Инициатор общего собрания", "Initiator"), m.initiator.as_deref().unwrap_or_default());
    doc.field(lang.pick("Председатель общего собрания", "Chair"), m.chair.as_deref().unwrap_or_default());
    doc.field(lang.pick("Секретарь общего собрания", "Secretary"), m.secretary.as_deref().unwrap_or_default());
    let commission = if m.counting_commission.is_empty() {
        lang.pick(
            "не избиралась; подсчёт голосов провели председатель и секретарь общего собрания",
            "not elected; the chair and the secretary counted the votes",
        )
        .to_owned()
    } else {
        m.counting_commission.join(", ")
    };
    doc.field(lang.pick("Счётная комиссия", "Counting commission"), commission);
    let present = match attachments.cite(Attachment::Present, lang) {
        Some(cite) => format!("{} ({cite})", lang.pick("согласно списку присутствовавших", "as listed")),
        None => lang
            .pick("очное обсуждение не проводилось (заочное голосование)", "none: the meeting voted in writing only")
            .to_owned(),
    };
    doc.field(lang.pick("Присутствующие и приглашённые лица", "Present and invited persons"), present);
}

/// The building's areas as the registry lists them, the premises left out of the total number of
/// votes, the total, the participation and the quorum.
fn figures(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (lang, tally, total) = (report.lang, report.tally, report.total);
    let m2 = |area| format!("{}\u{a0}{}", report.votes(area), lang.pick("м²", "m²"));
    doc.field(
        lang.pick("Общая площадь жилых помещений в многоквартирном доме", "Total area of the residential premises"),
        m2(&report.residential_area),
    );
    doc.field(
        lang.pick(
            "Общая площадь нежилых помещений в многоквартирном доме",
            "Total area of the non-residential premises",
        ),
        m2(&report.other_area),
    );
    if !report.unowned.is_empty() {
        doc.text(unowned(report));
    }
    doc.field(
        lang.pick("Общее количество голосов собственников помещений", "Total votes of the owners"),
        format!(
            "{} (100 %); {}",
            report.votes(total),
            lang.pick(
                "один голос равен 1 м² площади помещения, находящегося в собственности (ч. 3 ст. 48 ЖК РФ)",
                "one vote is 1 m² of owned area (part 3 art. 48 of the Housing Code)"
            )
        ),
    );
    let cite = attachments.cite(Attachment::Participants, lang).unwrap_or_default();
    doc.field(
        lang.pick("Приняли участие в голосовании", "Took part in the vote"),
        match lang {
            Lang::Ru => format!(
                "собственники, обладающие {} голосами, что составляет {} от общего числа голосов ({cite})",
                report.votes(&tally.participated),
                report.percent(&tally.participated, total)
            ),
            Lang::En => format!(
                "owners with {} votes, {} of all votes ({cite})",
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
            "отсутствует (приняли участие не более 50 % голосов); общее собрание неправомочно, решения по вопросам \
             повестки дня не приняты",
            "absent (no more than 50 % of all votes took part); the meeting may not decide, and no decision is \
             adopted",
        )
    };
    doc.field(lang.pick("Кворум", "Quorum"), verdict);
}

/// «Помещения 6, Н-2 (113,10 м²) не оформлены в собственность; в общее количество голосов не
/// включены.»
fn unowned(report: &Report) -> String {
    let (lang, premises) = (report.lang, &report.unowned);
    let labels = premises.iter().map(|p| p.label.as_str()).collect::<Vec<_>>().join(", ");
    let area = format!("{}\u{a0}{}", report.votes(&report.unowned_area), lang.pick("м²", "m²"));
    match (lang, premises.len()) {
        (Lang::Ru, 1) => {
            format!("Помещение {labels} ({area}) не оформлено в собственность; в общее количество голосов не включено.")
        }
        (Lang::Ru, _) => {
            format!("Помещения {labels} ({area}) не оформлены в собственность; в общее количество голосов не включены.")
        }
        (Lang::En, 1) => {
            format!("Premise {labels} ({area}) has no registered owner; it is not included in the total votes.")
        }
        (Lang::En, _) => {
            format!("Premises {labels} ({area}) have no registered owner; they are not included in the total votes.")
        }
    }
}

/// The decisions left out of the count, each with its premise, owner and reason.
fn excluded(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (lang, m) = (report.lang, report.meeting);
    let excluded = &report.tally.excluded;
    if excluded.is_empty() {
        if report.tally.took_part.contains(&true) {
            doc.text(lang.pick(
                "Все поступившие решения собственников учтены при подсчёте голосов.",
                "Every decision received was counted.",
            ));
        }
        return;
    }
    let lead = lang.pick("Не учтены при подсчёте голосов решения собственников", "Decisions not counted");
    doc.text(match (attachments.number(Attachment::Decisions), lang) {
        (Some(n), Lang::Ru) => format!("{lead} (подлинники — в приложении №\u{a0}{n}):"),
        (Some(n), Lang::En) => format!("{lead} (the originals are in attachment {n}):"),
        (None, _) => format!("{lead}:"),
    });
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Помещение", "Premise"), 4, Align::Left),
        col(lang.pick("Собственник", "Owner"), 9, Align::Left),
        col(lang.pick("Причина", "Reason"), 10, Align::Left),
    ];
    let rows = excluded
        .iter()
        .enumerate()
        .map(|(i, ballot)| {
            let reason = ballot.reason.words(m.voting_ends, lang);
            vec![(i + 1).to_string(), ballot.premise.clone(), ballot.owner.clone(), reason]
        })
        .collect();
    doc.table(columns, rows);
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
        format!(
            "{} {} ({})",
            lang.pick("проценты —", "percentages"),
            base_of(question, lang),
            report.votes(&result.base)
        ),
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
    doc.field(lang.pick("Решение принимается", "Majority needed"), majority(question, lang));
    doc.field(lang.pick("Итог", "Result"), count.verdict(result));
    let decided = match result.adopted {
        Some(true) => question.proposal.clone(),
        _ => lang.pick("решение не принято", "no decision is adopted").to_owned(),
    };
    doc.field(lang.pick("РЕШИЛИ (ПОСТАНОВИЛИ)", "DECIDED"), decided);
}
