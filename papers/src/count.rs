//! The counting commission's workbook (`obhod tally --out FILE.xlsx`): the count's figures, each
//! question's result and where it stands while voting goes on, and every decision recorded with
//! what became of it. A working sheet beside the protocol: the same `Count` the protocol and
//! `obhod tally` print, so the three cannot disagree.

use chrono::NaiveDate;
use obhod_core::{Answer, Count, Lang, Live, Registry, Votes, Weights, number};
use std::collections::HashMap;

use crate::error::PaperError;
use crate::sheet::{Cell, Sheet, workbook};

/// One decision as the commission's list shows it: recorded in the campaign (with its id, the
/// device that recorded it and whether it was withdrawn) or read from a ballots file.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub id: Option<String>,
    pub premise: String,
    pub owner: String,
    /// One answer per question, in agenda order; `None` for an answer this version cannot read.
    pub answers: Vec<Option<Answer>>,
    pub received: Option<NaiveDate>,
    pub representative: Option<String>,
    /// The representative's right in words («по доверенности»).
    pub authority: Option<String>,
    pub proxy_date: Option<NaiveDate>,
    pub proxy_until: Option<NaiveDate>,
    pub certified_by: Option<String>,
    pub defect: Option<String>,
    /// The file it came from and its line there: with the premise and owner, what the count's
    /// list of excluded ballots names it by.
    pub line: u64,
    pub device: Option<String>,
    /// The withdrawal that took it out of the count, when withdrawn.
    pub withdrawn: Option<String>,
}

impl Entry {
    /// A decision read from a ballots file.
    pub fn of_ballot(ballot: &obhod_core::Ballot, lang: Lang) -> Entry {
        let representative = ballot.representative.as_ref();
        let proxy = representative.and_then(|r| match &r.authority {
            obhod_core::Authority::Proxy(proxy) => Some(proxy),
            _ => None,
        });
        Entry {
            premise: ballot.premise.clone(),
            owner: ballot.owner.clone(),
            answers: ballot.answers.iter().copied().map(Some).collect(),
            received: ballot.received,
            representative: representative.map(|r| r.name.clone()),
            authority: representative.map(|r| r.authority.words(lang).to_owned()),
            proxy_date: proxy.and_then(|p| p.date),
            proxy_until: proxy.and_then(|p| p.until),
            certified_by: proxy.and_then(|p| p.certified_by.clone()),
            defect: ballot.defect.clone(),
            line: ballot.line,
            ..Entry::default()
        }
    }
}

/// What the workbook is drawn from: the count, the live count of the day, and the decisions.
pub struct Counted<'a> {
    pub count: Count<'a>,
    pub registry: &'a Registry,
    pub weights: &'a Weights,
    pub live: &'a Live,
    pub today: NaiveDate,
    pub entries: &'a [Entry],
}

/// The workbook: «Итоги», «Вопросы», «Решения».
pub fn tally_workbook(counted: &Counted) -> Result<Vec<u8>, PaperError> {
    workbook(&[summary(counted), questions(counted), decisions(counted)])
}

/// A figure as a spreadsheet number and as `obhod tally` words it.
fn figure(count: &Count, votes: &Votes) -> Cell {
    Cell::Figure(as_number(&number::decimal(votes, 2, '.')), count.votes(votes))
}

fn percent(count: &Count, part: &Votes, whole: &Votes) -> Cell {
    Cell::Figure(as_number(&number::percent(part, whole, '.')), count.fmt.percent(part, whole))
}

fn as_number(decimal: &str) -> f64 {
    decimal.parse().unwrap_or_default()
}

fn text(value: impl Into<String>) -> Cell {
    Cell::text(value)
}

/// The lines above every sheet: the building and the day of the count.
fn heading(counted: &Counted, what: &str) -> Vec<Vec<Cell>> {
    let (count, lang) = (&counted.count, counted.count.lang);
    let meeting = count.meeting;
    let fmt = count.fmt;
    let state = if counted.live.ended {
        match lang {
            Lang::Ru => format!("приём решений окончен {}", fmt.date(meeting.voting_ends)),
            Lang::En => format!("decisions closed on {}", fmt.date(meeting.voting_ends)),
        }
    } else {
        match lang {
            Lang::Ru => format!(
                "по состоянию на {}; приём решений до {} включительно",
                fmt.date(counted.today),
                fmt.date(meeting.voting_ends)
            ),
            Lang::En => {
                format!("as of {}; decisions accepted until {}", fmt.date(counted.today), fmt.date(meeting.voting_ends))
            }
        }
    };
    vec![vec![text(format!("{what}: {}", meeting.address))], vec![text(state)], vec![]]
}

fn summary(counted: &Counted) -> Sheet {
    let (count, lang, live) = (&counted.count, counted.count.lang, counted.live);
    let tally = count.tally;
    let mut rows = heading(counted, lang.pick("Подсчёт голосов", "The count"));
    let table = rows.len();
    rows.push(vec![
        text(lang.pick("Показатель", "Figure")),
        text(lang.pick("Голосов", "Votes")),
        text(lang.pick("% от общего числа голосов", "% of all votes")),
        text(lang.pick("Точное значение", "Exact value")),
    ]);
    let line = |name: &str, votes: &Votes, total: &Votes| {
        vec![text(name), figure(count, votes), percent(count, votes, total), text(number::exact(votes))]
    };
    let yes_no =
        |yes: bool| text(if yes { lang.pick("есть", "reached") } else { lang.pick("нет", "not reached") });
    let total = &tally.total;
    rows.push(line(lang.pick("Общее число голосов (площадь помещений с собственниками)", "All votes"), total, total));
    rows.push(line(lang.pick("Приняли участие", "Took part"), &tally.participated, total));
    rows.push(line(
        lang.pick("Половина всех голосов (кворум — более)", "Half of all votes (quorum: more)"),
        &count.half(),
        total,
    ));
    if !live.ended {
        rows.push(line(lang.pick("Ещё не поданы решения", "Decisions not yet in"), &live.to_come, total));
    }
    let prospect = if live.ended || tally.quorum { String::new() } else { count.quorum_prospect(live) };
    rows.push(vec![text(lang.pick("Кворум", "Quorum")), yes_no(tally.quorum), text(""), text(prospect)]);
    // The strict reading has its own total: its percentages are of it.
    let strict = &tally.strict;
    rows.push(line(
        lang.pick(
            "По строгому прочтению: общее число голосов (все помещения)",
            "Strict reading: all votes (every premise)",
        ),
        &strict.total,
        &strict.total,
    ));
    rows.push(line(
        lang.pick("По строгому прочтению: приняли участие", "Strict reading: took part"),
        &strict.participated,
        &strict.total,
    ));
    rows.push(vec![
        text(lang.pick("По строгому прочтению: кворум", "Strict reading: quorum")),
        yes_no(strict.quorum),
        text(""),
        text(""),
    ]);
    let end = rows.len();
    let withdrawn = counted.entries.iter().filter(|e| e.withdrawn.is_some()).count();
    rows.push(vec![]);
    rows.push(vec![text(format!(
        "{}: {}; {}: {withdrawn}; {}: {}",
        lang.pick("Решений в списке", "Decisions listed"),
        counted.entries.len(),
        lang.pick("отозвано", "withdrawn"),
        lang.pick("не учтено по иным причинам", "left out for other reasons"),
        tally.excluded.len(),
    ))]);
    Sheet {
        name: lang.pick("Итоги", "Summary").to_owned(),
        rows,
        table,
        end,
        widths: vec![52.0, 16.0, 16.0, 40.0],
        row_height: 0.0,
    }
}

fn questions(counted: &Counted) -> Sheet {
    let (count, lang, live) = (&counted.count, counted.count.lang, counted.live);
    let mut rows = heading(counted, lang.pick("Итоги по вопросам", "Results by question"));
    let table = rows.len();
    let mut header = vec![
        text("№"),
        text(lang.pick("Вопрос", "Question")),
        text(lang.pick("Порог", "Threshold")),
        text(lang.pick("% считаются", "Percentages of")),
    ];
    for name in [
        lang.pick("За", "For"),
        lang.pick("Против", "Against"),
        lang.pick("Воздержались", "Abstain"),
        lang.pick("Недействительно", "Invalid"),
    ] {
        header.push(text(name));
        header.push(text("%"));
    }
    header.push(text(lang.pick("Решение", "Decision")));
    if !live.ended {
        header.push(text(lang.pick("С решениями, ещё не поданными", "With decisions still to come")));
    }
    rows.push(header);
    for ((question, result), settling) in count.questions().zip(&live.questions) {
        let mut row = vec![
            Cell::Int(question.number as i64),
            text(question.text.clone()),
            text(question.threshold.words(lang)),
            text(count.base_words(result)),
        ];
        for (_, votes, _) in count.answers(result) {
            row.push(figure(count, votes));
            row.push(percent(count, votes, &result.base));
        }
        row.push(text(count.verdict(result)));
        if !live.ended {
            row.push(text(count.prospect(settling).unwrap_or_default()));
        }
        rows.push(row);
    }
    let end = rows.len();
    let mut widths = vec![5.0, 40.0, 22.0, 18.0];
    widths.extend([12.0, 8.0].repeat(4));
    widths.push(18.0);
    if !live.ended {
        widths.push(30.0);
    }
    Sheet { name: lang.pick("Вопросы", "Questions").to_owned(), rows, table, end, widths, row_height: 0.0 }
}

fn decisions(counted: &Counted) -> Sheet {
    let (count, lang) = (&counted.count, counted.count.lang);
    let meeting = count.meeting;
    let questions = meeting.questions.len();
    let mut rows = heading(counted, lang.pick("Решения собственников", "Owners' decisions"));
    let table = rows.len();
    let mut header = vec![
        text("№"),
        text(lang.pick("Помещение", "Premise")),
        text(lang.pick("Собственник", "Owner")),
        text(lang.pick("Голосов", "Votes")),
    ];
    header.extend((1..=questions).map(|n| text(format!("{} {n}", lang.pick("Вопрос", "Question")))));
    header.extend(
        [
            lang.pick("Получено", "Received"),
            lang.pick("Представитель", "Representative"),
            lang.pick("Полномочия", "Authority"),
            lang.pick("Доверенность от", "Proxy dated"),
            lang.pick("Действует до", "Valid until"),
            lang.pick("Удостоверена", "Certified by"),
            lang.pick("Дефект", "Defect"),
            lang.pick("Учтено", "Counted"),
            lang.pick("Устройство", "Device"),
            lang.pick("Номер записи", "Record id"),
        ]
        .map(text),
    );
    rows.push(header);
    let votes = owners_votes(counted.weights);
    let excluded: HashMap<(&str, &str, u64), &obhod_core::Exclusion> =
        count.tally.excluded.iter().map(|e| ((e.premise.as_str(), e.owner.as_str(), e.line), &e.reason)).collect();
    let fmt = count.fmt;
    let date = |d: Option<NaiveDate>| d.map(|d| fmt.date(d)).unwrap_or_default();
    for (i, entry) in counted.entries.iter().enumerate() {
        let premise = counted.registry.find(&entry.premise);
        let owned = premise.and_then(|p| votes.get(&(p, entry.owner.as_str())));
        let mut row = vec![
            Cell::Int(i as i64 + 1),
            text(entry.premise.clone()),
            text(entry.owner.clone()),
            owned.map_or_else(|| text(""), |v| figure(count, v)),
        ];
        row.extend((0..questions).map(|q| match entry.answers.get(q) {
            Some(Some(answer)) => text(answer.title(lang)),
            Some(None) => text("?"),
            None => text(""),
        }));
        let standing = if entry.withdrawn.is_some() {
            lang.pick("нет: отозвано", "no: withdrawn").to_owned()
        } else if entry.answers.len() != questions {
            lang.pick("нет: не по повестке собрания", "no: another agenda").to_owned()
        } else if let Some(reason) = excluded.get(&(entry.premise.as_str(), entry.owner.as_str(), entry.line)) {
            format!("{}: {}", lang.pick("нет", "no"), reason.words(meeting.voting_ends, lang))
        } else {
            lang.pick("да", "yes").to_owned()
        };
        row.extend([
            text(date(entry.received)),
            text(entry.representative.clone().unwrap_or_default()),
            text(entry.authority.clone().unwrap_or_default()),
            text(date(entry.proxy_date)),
            text(date(entry.proxy_until)),
            text(entry.certified_by.clone().unwrap_or_default()),
            text(entry.defect.clone().unwrap_or_default()),
            text(standing),
            text(entry.device.clone().unwrap_or_default()),
            text(entry.id.clone().unwrap_or_default()),
        ]);
        rows.push(row);
    }
    let end = rows.len();
    let mut widths = vec![5.0, 12.0, 30.0, 10.0];
    widths.extend(std::iter::repeat_n(12.0, questions));
    widths.extend([11.0, 24.0, 16.0, 15.0, 12.0, 22.0, 20.0, 30.0, 29.0, 29.0]);
    Sheet { name: lang.pick("Решения", "Decisions").to_owned(), rows, table, end, widths, row_height: 0.0 }
}

/// The votes of each owner in each premise (a joint group's for each of its members).
fn owners_votes(weights: &Weights) -> HashMap<(usize, &str), Votes> {
    let mut votes: HashMap<(usize, &str), Votes> = HashMap::new();
    for holding in &weights.holdings {
        for owner in &holding.owners {
            *votes.entry((holding.premise, owner.name.as_str())).or_default() += &holding.votes;
        }
    }
    votes
}
