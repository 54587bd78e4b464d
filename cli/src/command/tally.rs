//! `obhod tally`: quorum and each question's result, for people or as JSON.

use std::path::Path;

use obhod_core::{Authority, Ballot, Count, Lang, Live, Meeting, Registry, Tally, Weights};
use obhod_papers::{Counted, Entry};
use obhod_store::Campaign;
use serde::Serialize;

use crate::failure::Failure;

use crate::output::{WarningJson, json, json_exact, json_pct, table, warnings_json, warnings_text};

#[derive(Serialize)]
struct TallyJson {
    total: String,
    participated: String,
    participated_percent: String,
    quorum: bool,
    /// With the decisions still to come: `reached`, `missed` or `open`.
    quorum_outcome: &'static str,
    /// The votes that must still take part (strictly more than these); `null` once out of reach.
    quorum_needed: Option<String>,
    participated_named: String,
    participated_named_percent: String,
    quorum_named: bool,
    questions: Vec<QuestionJson>,
    strict: StrictJson,
    warnings: Vec<WarningJson>,
    /// The workbook written with `--out`.
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

/// The count under the strict reading: premises without a registered owner in the total, only
/// premises with a ballot of their own taking part.
#[derive(Serialize)]
struct StrictJson {
    total: String,
    participated: String,
    participated_percent: String,
    quorum: bool,
    questions: Vec<StrictQuestionJson>,
}

#[derive(Serialize)]
struct StrictQuestionJson {
    number: usize,
    base: String,
    #[serde(rename = "for")]
    for_votes: String,
    adopted: Option<bool>,
}

#[derive(Serialize)]
struct QuestionJson {
    number: usize,
    threshold: &'static str,
    base: String,
    #[serde(rename = "for")]
    for_votes: String,
    against: String,
    abstain: String,
    invalid: String,
    adopted: Option<bool>,
    /// With the decisions still to come: `adopted`, `lost` or `open`; `null` for `manual`.
    outcome: Option<&'static str>,
    /// The votes «за» still needed to settle it: `"0"` once adopted, `null` once lost.
    needed: Option<String>,
    for_named: String,
    adopted_named: Option<bool>,
}

/// What a count is made of: from the files or from the campaign.
pub struct Sources<'a> {
    pub registry: &'a Registry,
    pub meeting: &'a Meeting,
    pub ballots: &'a [Ballot],
}

/// The campaign's decisions as the commission's workbook lists them: every one recorded,
/// standing or withdrawn, with its id and the device that recorded it.
pub fn entries(campaign: &Campaign, lang: Lang) -> Vec<Entry> {
    campaign
        .decision_list()
        .into_iter()
        .map(|d| Entry {
            authority: d
                .authority
                .as_deref()
                .and_then(|a| Authority::parse(a, Default::default()))
                .map(|a| a.words(lang).to_owned()),
            id: Some(d.id),
            premise: d.premise,
            owner: d.owner,
            answers: d.answers,
            received: d.received,
            representative: d.representative,
            proxy_date: d.proxy_date,
            proxy_until: d.proxy_until,
            certified_by: d.certified_by,
            defect: d.defect,
            line: d.line,
            device: Some(d.device),
            withdrawn: d.withdrawn,
        })
        .collect()
}

/// The count of the ballots, with the live count as of today; with `out`, also the commission's
/// workbook of the count and of `entries`, written whole or not at all.
pub fn run(sources: &Sources, out: Option<(&Path, Vec<Entry>)>, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let Sources { registry, meeting, ballots } = *sources;
    let weights = Weights::compute(registry);
    let tally = Tally::count(registry, &weights, meeting, ballots);
    let count = Count::new(meeting, &tally, lang);
    let today = chrono::Local::now().date_naive();
    let live = count.live(today);
    let written = match out {
        Some((path, entries)) => {
            if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
                return Err(obhod_papers::PaperError::UnknownFormat {
                    path: path.to_owned(),
                    expected: ".xlsx".into(),
                }
                .into());
            }
            let counted = Counted { count, registry, weights: &weights, live: &live, today, entries: &entries };
            obhod_papers::save(path, &obhod_papers::tally_workbook(&counted)?)?;
            Some(path.display().to_string())
        }
        None => None,
    };
    let warnings = weights.warnings.iter().chain(&meeting.warnings).chain(&tally.warnings);
    if as_json {
        let mut value = TallyJson::of(&count, &live, warnings_json(warnings, lang));
        value.file = written;
        return Ok(json(&value));
    }
    let mut out = summary(&count, &live);
    for ((question, result), settling) in count.questions().zip(&live.questions) {
        out.push_str(&format!("\n{} {}. {}\n", lang.pick("Вопрос", "Question"), question.number, question.text));
        out.push_str(&format!(
            "{}: {} ({})\n",
            lang.pick("Порог", "Threshold"),
            question.threshold.words(lang),
            question.item.article(lang)
        ));
        let mut rows =
            table(&[lang.pick("Ответ", "Answer"), lang.pick("Голосов", "Votes"), count.base_words(result)], 1);
        for (name, votes, percent) in count.answers(result) {
            rows.add_row(vec![name.to_owned(), count.votes(votes), percent]);
        }
        out.push_str(&format!("{rows}\n"));
        out.push_str(&format!("{} {}\n", lang.pick("Итог:", "Result:"), count.verdict(result)));
        if let Some(named) = count.named_verdict(result) {
            out.push_str(&format!("{named}\n"));
        }
        if let Some(prospect) = count.prospect(settling).filter(|_| !live.ended) {
            out.push_str(&format!("{prospect}\n"));
        }
    }
    out.push_str(&format!("\n{}\n", count.strict_summary()));
    for difference in count.strict_differences() {
        out.push_str(&format!("  ! {difference}\n"));
    }
    out.push_str(&warnings_text(warnings, lang));
    if let Some(file) = written {
        out.push_str(&format!("\n{}: {file}\n", lang.pick("Записано", "Written")));
    }
    Ok(out)
}

impl TallyJson {
    /// The count's exact figures, as `obhod tally --json` promises them.
    fn of(count: &Count, live: &Live, warnings: Vec<WarningJson>) -> Self {
        let tally = count.tally;
        let questions = count
            .questions()
            .zip(&live.questions)
            .map(|((question, q), settling)| QuestionJson {
                number: question.number,
                threshold: q.threshold.code(),
                base: json_exact(&q.base),
                for_votes: json_exact(&q.for_votes),
                against: json_exact(&q.against),
                abstain: json_exact(&q.abstain),
                invalid: json_exact(&q.invalid),
                adopted: q.adopted,
                outcome: settling.prospect.map(|p| p.code()),
                needed: settling.needed.as_ref().map(json_exact),
                for_named: json_exact(&q.for_named),
                adopted_named: q.adopted_named,
            })
            .collect();
        TallyJson {
            total: json_exact(count.total()),
            participated: json_exact(&tally.participated),
            participated_percent: json_pct(&tally.participated, count.total()),
            quorum: tally.quorum,
            quorum_outcome: live.quorum.prospect.map_or("open", |p| p.quorum_code()),
            quorum_needed: live.quorum.needed.as_ref().map(json_exact),
            participated_named: json_exact(&tally.participated_named),
            participated_named_percent: json_pct(&tally.participated_named, count.total()),
            quorum_named: tally.quorum_named,
            questions,
            strict: StrictJson {
                total: json_exact(&tally.strict.total),
                participated: json_exact(&tally.strict.participated),
                participated_percent: json_pct(&tally.strict.participated, &tally.strict.total),
                quorum: tally.strict.quorum,
                questions: tally
                    .strict
                    .questions
                    .iter()
                    .map(|q| StrictQuestionJson {
                        number: q.number,
                        base: json_exact(&q.base),
                        for_votes: json_exact(&q.for_votes),
                        adopted: q.adopted,
                    })
                    .collect(),
            },
            warnings,
            file: None,
        }
    }
}

fn summary(count: &Count, live: &Live) -> String {
    let (meeting, lang, total) = (count.meeting, count.lang, count.total());
    let mut out = format!("{}\n", meeting.address);
    out.push_str(&format!(
        "{}: {} — {}\n",
        lang.pick("Голосование", "Voting"),
        count.fmt.date(meeting.date),
        count.fmt.date(meeting.voting_ends)
    ));
    out.push_str(&format!("{}: {}\n", lang.pick("Всего голосов (100 %)", "Total votes (100 %)"), count.votes(total)));
    let participated = &count.tally.participated;
    out.push_str(&format!(
        "{}: {} ({})\n",
        lang.pick("Приняли участие", "Took part"),
        count.votes(participated),
        count.percent(participated, total),
    ));
    if let Some(named) = count.named() {
        out.push_str(&format!(
            "  {}: {} ({})\n",
            lang.pick(
                "без помещений, учтённых по решению собственника за другое помещение",
                "without premises counted through their owner's ballot for another premise"
            ),
            count.votes(named),
            count.percent(named, total)
        ));
    }
    match count.missing_for_quorum() {
        None => {
            out.push_str(lang.pick("Кворум: ЕСТЬ (более 50 % голосов)\n", "Quorum: YES (more than 50 % of votes)\n"))
        }
        Some(missing) => out.push_str(&format!(
            "{} {} {}\n",
            lang.pick("Кворум: НЕТ — не хватает более", "Quorum: NO — still missing more than"),
            count.votes(&missing),
            lang.pick("голосов; решения не приняты", "votes; no decision is adopted"),
        )),
    }
    if !count.tally.quorum {
        out.push_str(&format!("{}\n", count.quorum_prospect(live)));
    }
    if let Some(caution) = count.quorum_caution() {
        out.push_str(&format!("{caution}\n"));
    }
    out
}
