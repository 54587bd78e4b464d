//! `obhod tally`: quorum and each question's result, for people or as JSON.

use obhod_core::{Ballot, Lang, Meeting, QuestionResult, Registry, Tally, Threshold, Votes, Weights};
use serde::Serialize;

use crate::output::{WarningJson, amount, json, json_exact, json_pct, pct, table, warnings_json, warnings_text};

#[derive(Serialize)]
struct TallyJson {
    total: String,
    participated: String,
    participated_percent: String,
    quorum: bool,
    participated_named: String,
    participated_named_percent: String,
    quorum_named: bool,
    questions: Vec<QuestionJson>,
    warnings: Vec<WarningJson>,
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
    for_named: String,
    adopted_named: Option<bool>,
}

pub fn run(registry: &Registry, meeting: &Meeting, ballots: &[Ballot], as_json: bool, lang: Lang) -> String {
    let weights = Weights::compute(registry);
    let tally = Tally::count(registry, &weights, meeting, ballots);
    let warnings = weights.warnings.iter().chain(&meeting.warnings).chain(&tally.warnings);
    if as_json {
        let questions = tally
            .questions
            .iter()
            .map(|q| QuestionJson {
                number: q.number,
                threshold: q.threshold.code(),
                base: json_exact(&q.base),
                for_votes: json_exact(&q.for_votes),
                against: json_exact(&q.against),
                abstain: json_exact(&q.abstain),
                invalid: json_exact(&q.invalid),
                adopted: q.adopted,
                for_named: json_exact(&q.for_named),
                adopted_named: q.adopted_named,
            })
            .collect();
        return json(&TallyJson {
            total: json_exact(&tally.total),
            participated: json_exact(&tally.participated),
            participated_percent: json_pct(&tally.participated, &tally.total),
            quorum: tally.quorum,
            participated_named: json_exact(&tally.participated_named),
            participated_named_percent: json_pct(&tally.participated_named, &tally.total),
            quorum_named: tally.quorum_named,
            questions,
            warnings: warnings_json(warnings, lang),
        });
    }
    let mut out = summary(meeting, &tally, lang);
    for (question, result) in meeting.questions.iter().zip(&tally.questions) {
        out.push_str(&format!("\n{} {}. {}\n", lang.pick("Вопрос", "Question"), question.number, question.text));
        out.push_str(&format!(
            "{}: {} ({})\n",
            lang.pick("Порог", "Threshold"),
            question.threshold.words(lang),
            question.item.article(lang)
        ));
        let base_name = if result.threshold.counts_all_votes() {
            lang.pick("от общего числа голосов", "of all votes")
        } else {
            lang.pick("от принявших участие", "of participants")
        };
        let mut rows = table(&[lang.pick("Ответ", "Answer"), lang.pick("Голосов", "Votes"), base_name], 1);
        let answers = [
            (lang.pick("за", "for"), &result.for_votes),
            (lang.pick("против", "against"), &result.against),
            (lang.pick("воздержались", "abstain"), &result.abstain),
            (lang.pick("недействительно", "invalid"), &result.invalid),
        ];
        for (name, votes) in answers {
            rows.add_row(vec![name.to_owned(), amount(votes, lang), pct(votes, &result.base, lang)]);
        }
        out.push_str(&format!("{rows}\n"));
        out.push_str(&verdict(result.adopted, tally.quorum, result.threshold, lang));
        if result.depends_on_carried() {
            out.push_str(&named_verdict(result, &tally, lang));
        }
    }
    out.push_str(&warnings_text(warnings, lang));
    out
}

fn summary(meeting: &Meeting, tally: &Tally, lang: Lang) -> String {
    let mut out = format!("{}\n", meeting.address);
    out.push_str(&format!(
        "{}: {} — {}\n",
        lang.pick("Голосование", "Voting"),
        meeting.date.format("%d.%m.%Y"),
        meeting.voting_ends.format("%d.%m.%Y")
    ));
    out.push_str(&format!(
        "{}: {}\n",
        lang.pick("Всего голосов (100 %)", "Total votes (100 %)"),
        amount(&tally.total, lang)
    ));
    out.push_str(&format!(
        "{}: {} ({})\n{}",
        lang.pick("Приняли участие", "Took part"),
        amount(&tally.participated, lang),
        pct(&tally.participated, &tally.total, lang),
        named(tally, lang),
    ));
    match tally.missing_for_quorum() {
        None => {
            out.push_str(lang.pick("Кворум: ЕСТЬ (более 50 % голосов)\n", "Quorum: YES (more than 50 % of votes)\n"))
        }
        Some(missing) => out.push_str(&format!(
            "{} {} {}\n",
            lang.pick("Кворум: НЕТ — не хватает более", "Quorum: NO — still missing more than"),
            amount(&missing.max(Votes::default()), lang),
            lang.pick("голосов; решения не приняты", "votes; no decision is adopted"),
        )),
    }
    if let Some(caution) = tally.quorum_caution(lang) {
        out.push_str(&format!("{caution}\n"));
    }
    out
}

/// The participation on premises with a ballot row of their own, when it differs.
fn named(tally: &Tally, lang: Lang) -> String {
    if tally.participated_named == tally.participated {
        return String::new();
    }
    format!(
        "  {}: {} ({})\n",
        lang.pick(
            "без помещений, учтённых по решению собственника за другое помещение",
            "without premises counted through their owner's ballot for another premise"
        ),
        amount(&tally.participated_named, lang),
        pct(&tally.participated_named, &tally.total, lang)
    )
}

/// The decision on premises with a ballot of their own, when it differs from the main one.
fn named_verdict(result: &QuestionResult, tally: &Tally, lang: Lang) -> String {
    let base = if result.threshold.counts_all_votes() { &tally.total } else { &tally.participated_named };
    format!(
        "{} {}; {} {} ({})\n",
        lang.pick(
            "Без помещений, учтённых по решению собственника за другое помещение:",
            "Without premises counted through their owner's ballot for another premise:"
        ),
        verdict_words(result.adopted_named, tally.quorum_named, result.threshold, lang),
        lang.pick("за", "for"),
        amount(&result.for_named, lang),
        pct(&result.for_named, base, lang),
    )
}

fn verdict(adopted: Option<bool>, quorum: bool, threshold: Threshold, lang: Lang) -> String {
    format!("{} {}\n", lang.pick("Итог:", "Result:"), verdict_words(adopted, quorum, threshold, lang))
}

/// The decision in words; a question decided against all votes says that they were not enough.
fn verdict_words(adopted: Option<bool>, quorum: bool, threshold: Threshold, lang: Lang) -> &'static str {
    match adopted {
        Some(false) if quorum && threshold != Threshold::Simple => {
            lang.pick("НЕ ПРИНЯТО (недостаточно голосов от общего числа)", "NOT ADOPTED (not enough of all votes)")
        }
        adopted => obhod_core::tally::verdict_words(adopted, quorum, lang),
    }
}
