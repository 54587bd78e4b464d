//! The notice of results to the owners (сообщение об итогах голосования, ч.3 ст.46 ЖК РФ): the
//! participation and quorum, and for each question the votes and the decision, within ten days of
//! the end of voting, with where the protocol can be read.

use obhod_core::deadlines::Step;
use obhod_core::{Lang, Votes};

use crate::doc::{Align, Doc, col};
use crate::error::PaperError;
use crate::report::Report;
use crate::words::{meeting_span, name_of, require, sign};

/// The notice of results, or which keys of the meeting file it still needs.
pub fn results(report: &Report) -> Result<Doc, PaperError> {
    let (m, lang, fmt, tally, total) = (report.meeting, report.lang, report.fmt, report.tally, report.total);
    require("results", &[("meeting.initiator", m.initiator.is_some()), ("meeting.storage", m.storage.is_some())])?;
    let mut doc = Doc::new();
    doc.title(lang.pick("СООБЩЕНИЕ ОБ ИТОГАХ ГОЛОСОВАНИЯ", "NOTICE OF THE RESULTS"));
    let span = meeting_span(m, fmt);
    doc.title(span);
    doc.field(lang.pick("Общее количество голосов", "Total votes"), format!("{} (100 %)", report.votes(total)));
    doc.field(
        lang.pick("Приняли участие", "Took part"),
        format!("{} ({})", report.votes(&tally.participated), report.percent(&tally.participated, total)),
    );
    let quorum = if tally.quorum {
        lang.pick("имеется, собрание правомочно", "present; the meeting could decide")
    } else {
        lang.pick(
            "отсутствует, собрание неправомочно; решения не приняты",
            "absent; the meeting could not decide, and no decision is adopted",
        )
    };
    doc.field(lang.pick("Кворум", "Quorum"), quorum);
    if let Some(caution) = report.count().quorum_caution() {
        doc.text(caution);
    }
    let columns = vec![
        col(lang.pick("№", "No."), 3, Align::Right),
        col(lang.pick("Вопрос", "Question"), 12, Align::Left),
        col(lang.pick("За", "For"), 6, Align::Right),
        col(lang.pick("Против", "Against"), 6, Align::Right),
        col(lang.pick("Воздер\u{ad}жались", "Abstain"), 6, Align::Right),
        col(lang.pick("Решение", "Decision"), 9, Align::Left),
    ];
    let count = report.count();
    // The percentage on a line of its own, never broken before its «%».
    let cell = |(_, votes, percent): &(&str, &Votes, String)| format!("{}\n({percent})", report.votes(votes));
    let rows = count
        .questions()
        .map(|(q, r)| {
            let [for_votes, against, abstain, _] = count.answers(r);
            vec![
                q.number.to_string(),
                q.text.clone(),
                cell(&for_votes),
                cell(&against),
                cell(&abstain),
                count.verdict(r).to_owned(),
            ]
        })
        .collect();
    doc.table(columns, rows);
    doc.text(lang.pick(
        "Голоса указаны в квадратных метрах площади помещений в собственности; проценты — от принявших участие \
         для вопросов, решаемых большинством от принявших участие, и от общего числа голосов для остальных.",
        "Votes are square metres of owned area; percentages are of the votes that took part for questions \
         decided by a majority of participants, and of all votes for the others.",
    ));
    for (question, _) in count.questions().filter(|(_, r)| r.adopted == Some(true)) {
        doc.field(
            &format!("{} {}", lang.pick("Принято по вопросу", "Adopted on question"), question.number),
            &question.proposal,
        );
    }
    let storage = m.storage.as_deref().unwrap_or_default();
    doc.text(match lang {
        Lang::Ru => format!(
            "С протоколом общего собрания и решениями собственников можно ознакомиться: {storage}. Сообщение \
             доводится до собственников не позднее {}.",
            fmt.date(report.deadline(Step::Results))
        ),
        Lang::En => format!(
            "The protocol and the decisions can be read at: {storage}. This notice reaches the owners no later \
             than {}.",
            fmt.date(report.deadline(Step::Results))
        ),
    });
    let initiator = name_of(m.initiator.as_deref().unwrap_or_default());
    sign(&mut doc, lang.pick("Инициатор собрания", "Initiator"), initiator, lang);
    Ok(doc)
}
