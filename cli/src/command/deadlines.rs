//! `obhod deadlines`: the meeting's legal timeline with dates and articles.

use chrono::{Datelike, NaiveDate, Weekday};
use obhod_core::deadlines::timeline;
use obhod_core::{Lang, Meeting, Warning};
use serde::Serialize;

use crate::output::{WarningJson, json, table, warnings_json, warnings_text};

#[derive(Serialize)]
struct TimelineJson {
    meeting_date: NaiveDate,
    voting_ends: NaiveDate,
    deadlines: Vec<DeadlineJson>,
    warnings: Vec<WarningJson>,
}

#[derive(Serialize)]
struct DeadlineJson {
    step: &'static str,
    date: NaiveDate,
    title: &'static str,
    article: &'static str,
}

/// The timeline, with `canvass` warnings (letters sent late, owners not notified) after its own.
pub fn run(meeting: &Meeting, notice: Option<NaiveDate>, canvass: Vec<Warning>, as_json: bool, lang: Lang) -> String {
    let mut timeline = timeline(meeting, notice);
    timeline.warnings.extend(canvass);
    if as_json {
        let deadlines = timeline
            .deadlines
            .iter()
            .map(|d| DeadlineJson {
                step: d.step.code(),
                date: d.date,
                title: d.step.title(lang),
                article: d.step.article(lang),
            })
            .collect();
        return json(&TimelineJson {
            meeting_date: meeting.date,
            voting_ends: meeting.voting_ends,
            deadlines,
            warnings: warnings_json(&timeline.warnings, lang),
        });
    }
    let mut rows = table(&[lang.pick("Дата", "Date"), lang.pick("Что", "What"), lang.pick("Основание", "Basis")], 3);
    for d in &timeline.deadlines {
        rows.add_row(vec![date(d.date, lang), d.step.title(lang).to_owned(), d.step.article(lang).to_owned()]);
    }
    let mut out = format!("{}\n{rows}\n", meeting.address);
    out.push_str(lang.pick(
        "Уведомление вручается под роспись или отправляется заказным письмом каждому собственнику (письмо считается с даты отправки).\n",
        "The notice is handed to every owner against signature or sent by registered letter (a letter counts from sending).\n",
    ));
    out.push_str(&warnings_text(&timeline.warnings, lang));
    out
}

fn date(date: NaiveDate, lang: Lang) -> String {
    let day = match (date.weekday(), lang) {
        (Weekday::Mon, Lang::Ru) => "пн",
        (Weekday::Tue, Lang::Ru) => "вт",
        (Weekday::Wed, Lang::Ru) => "ср",
        (Weekday::Thu, Lang::Ru) => "чт",
        (Weekday::Fri, Lang::Ru) => "пт",
        (Weekday::Sat, Lang::Ru) => "сб",
        (Weekday::Sun, Lang::Ru) => "вс",
        (weekday, Lang::En) => return format!("{} {}", date.format("%Y-%m-%d"), weekday),
    };
    format!("{} {day}", date.format("%d.%m.%Y"))
}
