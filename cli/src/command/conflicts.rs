//! `obhod conflicts`: the owners with different ballots recorded on different devices, each
//! decision numbered with where it came from; `obhod conflicts resolve` keeps one of them.

use std::path::Path;

use obhod_core::Lang;
use obhod_store::{Campaign, Conflict, Variant};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::json;

#[derive(Serialize)]
struct ConflictsJson {
    conflicts: Vec<ConflictJson>,
}

#[derive(Serialize)]
struct ConflictJson {
    premise: String,
    owner: String,
    /// The questions answered differently, numbered from 1.
    questions: Vec<usize>,
    variants: Vec<VariantJson>,
    /// The command that keeps a variant, with `N` for its number.
    resolve: String,
}

#[derive(Serialize)]
struct VariantJson {
    number: usize,
    /// The decision's id (`obhod ballots withdraw` takes it).
    id: String,
    /// Answer codes in agenda order (`for`, `against`, `abstain`, `no_mark`, …); null if unreadable.
    answers: Vec<Option<&'static str>>,
    received: Option<String>,
    defect: Option<String>,
    file: String,
    line: u64,
    device: String,
    time: String,
}

#[derive(Serialize)]
struct ResolvedJson {
    premise: String,
    owner: String,
    kept: usize,
}

pub fn list(store: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let conflicts = Campaign::open(store)?.conflicts();
    if as_json {
        return Ok(json(&ConflictsJson { conflicts: conflicts.iter().map(conflict_json).collect() }));
    }
    if conflicts.is_empty() {
        return Ok(format!("{}\n", lang.pick("Конфликтов нет.", "No conflicts.")));
    }
    let count = lang.count(conflicts.len() as u64, ["конфликт", "конфликта", "конфликтов"], ["conflict", "conflicts"]);
    let mut out = format!(
        "{count}: {}\n",
        lang.pick(
            "для одного собственника на разных устройствах записаны разные решения. Пока не выбрано одно, вопросы с разными ответами не засчитываются для его помещения.",
            "different ballots of one owner were recorded on different devices. Until one is kept, the questions answered differently do not count for the owner's premise."
        )
    );
    for conflict in &conflicts {
        out.push_str(&conflict_text(conflict, lang));
    }
    Ok(out)
}

pub fn resolve(
    store: &Path,
    premise: &str,
    owner: &str,
    keep: usize,
    as_json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let conflict = campaign.conflicts().into_iter().find(|c| same(&c.premise, premise) && same(&c.owner, owner));
    campaign.resolve_conflict(premise, owner, keep)?;
    let (premise, owner) = conflict.map_or((premise.to_string(), owner.to_string()), |c| (c.premise, c.owner));
    if as_json {
        return Ok(json(&ResolvedJson { premise, owner, kept: keep }));
    }
    Ok(match lang {
        Lang::Ru => format!(
            "Оставлен вариант {keep} решения «{owner}» (помещение {premise}). Конфликт снят здесь, на других устройствах — после синхронизации.\n"
        ),
        Lang::En => format!(
            "Kept variant {keep} of the ballot of «{owner}» (premise {premise}). The conflict is gone here, and on other devices after sync.\n"
        ),
    })
}

/// Whether a name as typed is the stored one (folded as the store matches it).
fn same(stored: &str, typed: &str) -> bool {
    obhod_core::text::fold(stored) == obhod_core::text::fold(typed)
}

fn conflict_text(conflict: &Conflict, lang: Lang) -> String {
    let questions = conflict.questions.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    let differ = match (conflict.questions.len(), lang) {
        (0, _) => lang
            .pick("ответы совпадают, различаются дата или дефект", "the answers agree; the date or defect differs")
            .to_string(),
        (1, Lang::Ru) => format!("разные ответы на вопрос {questions}"),
        (_, Lang::Ru) => format!("разные ответы на вопросы {questions}"),
        (1, Lang::En) => format!("question {questions} answered differently"),
        (_, Lang::En) => format!("questions {questions} answered differently"),
    };
    let mut out =
        format!("\n{} {}, «{}»: {differ}\n", lang.pick("Помещение", "Premise"), conflict.premise, conflict.owner);
    for (n, variant) in conflict.variants.iter().enumerate() {
        out.push_str(&format!("  {}. {}\n", n + 1, variant_text(variant, lang)));
    }
    out.push_str(&format!(
        "  {}: {}\n",
        lang.pick("Оставить один", "Keep one"),
        conflict.resolve_command(lang.pick("НОМЕР", "N"))
    ));
    out
}

/// A variant in one line: the answers per question, then where it came from.
fn variant_text(variant: &Variant, lang: Lang) -> String {
    let answers: Vec<String> = variant
        .answers
        .iter()
        .enumerate()
        .map(|(q, a)| format!("{}: {}", q + 1, a.map_or("?", |a| a.title(lang))))
        .collect();
    let mut text = answers.join("; ");
    if let Some(received) = variant.received {
        text.push_str(&format!("; {} {}", lang.pick("получено", "received"), received.format("%d.%m.%Y")));
    }
    if let Some(defect) = &variant.defect {
        text.push_str(&format!("; {}: {defect}", lang.pick("дефект", "defect")));
    }
    format!(
        "{text} — {}, {} {}, {}, {} {}",
        variant.source(lang),
        lang.pick("устройство", "device"),
        variant.device,
        variant.at.format("%d.%m.%Y %H:%M"),
        lang.pick("решение", "decision"),
        variant.id,
    )
}

fn conflict_json(conflict: &Conflict) -> ConflictJson {
    let variants = conflict
        .variants
        .iter()
        .enumerate()
        .map(|(n, v)| VariantJson {
            number: n + 1,
            id: v.id.clone(),
            answers: v.answers.iter().map(|a| a.map(|a| a.code())).collect(),
            received: v.received.map(|d| d.to_string()),
            defect: v.defect.clone(),
            file: v.file.clone(),
            line: v.line,
            device: v.device.clone(),
            time: v.at.to_rfc3339(),
        })
        .collect();
    ConflictJson {
        premise: conflict.premise.clone(),
        owner: conflict.owner.clone(),
        questions: conflict.questions.clone(),
        variants,
        resolve: conflict.resolve_command("N"),
    }
}
