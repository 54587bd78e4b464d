//! The notice of results to the owners (сообщение об итогах голосования, ч. 3 ст. 46 ЖК РФ): the
//! protocol it reports, the participation and quorum, and for each question за, против,
//! воздержались and недействительно as votes and percentages with the decision, within ten days of
//! the end of voting, with where the protocol can be read.

use obhod_core::deadlines::Step;
use obhod_core::{Lang, Votes};

use crate::doc::{Align, Doc, col};
use crate::error::PaperError;
use crate::report::Report;
use crate::words::{base_of, majority, meeting_span, name_of, protocol_ref, require, require_thresholds, sign};

/// The notice of results, or which keys of the meeting file it still needs.
pub fn results(report: &Report) -> Result<Doc, PaperError> {
    let (m, lang, fmt, tally, total) = (report.meeting, report.lang, report.fmt, report.tally, report.total);
    require_thresholds(m)?;
    require("results", &[("meeting.initiator", m.initiator.is_some()), ("meeting.storage", m.storage.is_some())])?;
    let mut doc = Doc::new();
    doc.title(lang.pick("СООБЩЕНИЕ ОБ ИТОГАХ ГОЛОСОВАНИЯ", "NOTICE OF THE RESULTS"));
    doc.title(meeting_span(m, fmt));
    doc.text(format!(
        "{} {}.",
        lang.pick("Итоги голосования оформлены протоколом общего собрания", "The results are recorded in the minutes"),
        protocol_ref(m, fmt)
    ));
    doc.field(
        lang.pick("Общее количество голосов собственников помещений", "Total votes of the owners"),
        format!("{} (100 %)", report.votes(total)),
    );
    doc.field(
        lang.pick("Приняли участие в голосовании", "Took part"),
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
    doc.strong(lang.pick("Итоги голосования по вопросам повестки дня:", "The results on the agenda:"));
    let count = report.count();
    // The percentage on a line of its own, never broken before its «%».
    let cell = |(_, votes, percent): &(&str, &Votes, String)| format!("{}\n({percent})", report.votes(votes));
    for (question, result) in count.questions() {
        doc.heading(format!("{}. {}", question.number, question.text));
        doc.text(format!(
            "{}: {}. {} {}:",
            lang.pick("Решение принимается", "Majority needed"),
            majority(question, lang),
            lang.pick("Проценты —", "Percentages"),
            base_of(question, lang)
        ));
        let columns = vec![
            col(lang.pick("За", "For"), 5, Align::Right),
            col(lang.pick("Против", "Against"), 5, Align::Right),
            col(lang.pick("Воздер\u{ad}жались", "Abstain"), 5, Align::Right),
            col(lang.pick("Недействи\u{ad}тельно", "Invalid"), 5, Align::Right),
            col(lang.pick("Итог", "Result"), 8, Align::Left),
        ];
        let answers = count.answers(result);
        let mut row: Vec<String> = answers.iter().map(cell).collect();
        row.push(count.verdict(result).to_owned());
        doc.small_table(columns, vec![row]);
        match result.adopted {
            Some(true) => doc.field(lang.pick("Принято решение", "Decided"), &question.proposal),
            _ => doc.text(lang.pick("Решение не принято.", "No decision is adopted.")),
        }
    }
    doc.text(lang.pick(
        "Голоса указаны в квадратных метрах площади помещений, находящихся в собственности (ч. 3 ст. 48 ЖК РФ).",
        "Votes are square metres of owned area (part 3 art. 48 of the Housing Code).",
    ));
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
