//! `obhod ballots import`: adds a ballots.csv to the campaign, whole or not at all; `list` shows
//! every decision with its id, `withdraw` withdraws one (the count follows); `check` compares a
//! second entry of the same papers with what is recorded, and writes nothing.

use std::path::Path;

use obhod_core::{Answer, Lang};
use obhod_store::{Campaign, Decision, StoreError};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::json;

#[derive(Serialize)]
struct ImportJson {
    added: usize,
    present: usize,
    ballots: usize,
}

/// A ballots file (CSV, or a workbook's sheet of decisions) as CSV text for the campaign; a
/// workbook is checked first against the campaign, so that its errors name its sheet and row.
fn ballots_text(file: &Path, campaign: &Campaign) -> Result<String, Failure> {
    let (name, bytes) = (file.display().to_string(), crate::load::bytes(file)?);
    if obhod_core::table::source::is_workbook(&bytes) {
        let questions = campaign.meeting().questions.len();
        obhod_core::parse_ballots(&name, &bytes[..], campaign.registry(), questions)?;
    }
    Ok(obhod_core::ballots::ballots_text(&name, &bytes)?)
}

pub fn import(store: &Path, file: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let text = ballots_text(file, &campaign)?;
    let imported = campaign.import_ballots(&file.display().to_string(), &text)?;
    let ballots = campaign.ballots().len();
    if as_json {
        return Ok(json(&ImportJson { added: imported.added, present: imported.present, ballots }));
    }
    Ok(format!(
        "{}: {}; {}: {}; {}: {ballots}\n",
        lang.pick("Добавлено решений", "Ballots added"),
        imported.added,
        lang.pick("уже были", "already there"),
        imported.present,
        lang.pick("всего в кампании", "in the campaign"),
    ))
}

#[derive(Serialize)]
struct ReplaceJson {
    id: String,
    replaces: String,
    ballots: usize,
}

/// `obhod ballots import FILE --replaces ID`: the file's one decision replaces decision `id`.
pub fn replace(store: &Path, file: &Path, id: &str, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let text = ballots_text(file, &campaign)?;
    let new = campaign.replace_decision(id, &file.display().to_string(), &text)?;
    let replaces = id.trim().to_uppercase();
    let ballots = campaign.ballots().len();
    if as_json {
        return Ok(json(&ReplaceJson { id: new, replaces, ballots }));
    }
    Ok(format!(
        "{} {replaces} {} {new}; {}: {ballots}\n",
        lang.pick("Решение", "Decision"),
        lang.pick("отозвано и заменено решением", "withdrawn and replaced by decision"),
        lang.pick("решений в подсчёте", "decisions counted"),
    ))
}

/// `obhod ballots list --json`: every decision with its id, standing and withdrawn.
#[derive(Serialize)]
struct ListJson {
    decisions: Vec<DecisionJson>,
}

#[derive(Serialize)]
struct DecisionJson {
    id: String,
    premise: String,
    owner: String,
    /// By question number, in agenda order; `null` for an answer this version cannot read.
    answers: Answers,
    received: Option<String>,
    representative: Option<String>,
    authority: Option<String>,
    proxy_date: Option<String>,
    defect: Option<String>,
    device: String,
    file: String,
    line: u64,
    replaces: Option<String>,
    withdrawn: bool,
    /// The withdrawal that counts, when withdrawn.
    withdrawn_by: Option<String>,
}

/// Answers as a JSON object keyed by question number, in agenda order.
struct Answers(Vec<Option<Answer>>);

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (n, answer) in self.0.iter().enumerate() {
            map.serialize_entry(&(n + 1).to_string(), &answer.map(|a| a.code()))?;
        }
        map.end()
    }
}

impl DecisionJson {
    fn of(decision: &Decision) -> DecisionJson {
        DecisionJson {
            id: decision.id.clone(),
            premise: decision.premise.clone(),
            owner: decision.owner.clone(),
            answers: Answers(decision.answers.clone()),
            received: decision.received.map(|d| d.to_string()),
            representative: decision.representative.clone(),
            authority: decision.authority.clone(),
            proxy_date: decision.proxy_date.map(|d| d.to_string()),
            defect: decision.defect.clone(),
            device: decision.device.clone(),
            file: decision.file.clone(),
            line: decision.line,
            replaces: decision.replaces.clone(),
            withdrawn: decision.withdrawn.is_some(),
            withdrawn_by: decision.withdrawn.clone(),
        }
    }
}

/// `obhod ballots list [--premise P]`.
pub fn list(store: &Path, premise: Option<&str>, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let label = match premise {
        Some(typed) => {
            let found = campaign.registry().find(typed);
            let index = found.ok_or_else(|| StoreError::UnknownPremise { premise: typed.trim().into() })?;
            Some(campaign.registry().premises[index].label.clone())
        }
        None => None,
    };
    let decisions: Vec<Decision> =
        campaign.decision_list().into_iter().filter(|d| label.as_ref().is_none_or(|l| *l == d.premise)).collect();
    if as_json {
        return Ok(json(&ListJson { decisions: decisions.iter().map(DecisionJson::of).collect() }));
    }
    if decisions.is_empty() {
        return Ok(format!("{}\n", lang.pick("Решений не внесено.", "No decisions recorded.")));
    }
    let standing = decisions.iter().filter(|d| d.withdrawn.is_none()).count();
    let mut out = format!(
        "{}: {}; {}: {}\n",
        lang.pick("Решений", "Decisions"),
        decisions.len(),
        lang.pick("действуют", "standing"),
        standing
    );
    for decision in &decisions {
        out.push_str(&decision_text(decision, lang));
    }
    Ok(out)
}

/// One decision: its id and voter on one line, its answers and the rest on the next.
fn decision_text(decision: &Decision, lang: Lang) -> String {
    let answers: Vec<String> = decision
        .answers
        .iter()
        .enumerate()
        .map(|(q, a)| format!("{}: {}", q + 1, a.map_or("?", |a| a.title(lang))))
        .collect();
    let mut details = answers.join("; ");
    if let Some(received) = decision.received {
        details.push_str(&format!("; {} {}", lang.pick("получено", "received"), received.format("%d.%m.%Y")));
    }
    if let Some(name) = &decision.representative {
        details.push_str(&format!("; {}: {name}", lang.pick("подписал представитель", "signed by a representative")));
        if let Some(date) = decision.proxy_date {
            details.push_str(&format!(" ({} {})", lang.pick("доверенность от", "proxy of"), date.format("%d.%m.%Y")));
        }
    }
    if let Some(defect) = &decision.defect {
        details.push_str(&format!("; {}: {defect}", lang.pick("дефект", "defect")));
    }
    let state = match &decision.withdrawn {
        Some(by) => format!(" — {} [{by}]", lang.pick("ОТОЗВАНО", "WITHDRAWN")),
        None => String::new(),
    };
    let source = match decision.file.is_empty() {
        true => lang.pick("введено на экране", "typed on the screen").to_string(),
        false => format!("{}:{}", decision.file, decision.line),
    };
    format!(
        "\n{} {} {}, «{}»{state}\n  {details}\n  {source}, {} {}, {}\n",
        decision.id,
        lang.pick("помещение", "premise"),
        decision.premise,
        decision.owner,
        lang.pick("устройство", "device"),
        decision.device,
        decision.at.format("%d.%m.%Y %H:%M"),
    )
}

#[derive(Serialize)]
struct WithdrawJson {
    /// The withdrawal's id.
    id: String,
    withdrawn: String,
    /// The decisions the count takes now.
    ballots: usize,
}

/// `obhod ballots withdraw ID [--note TEXT]`.
pub fn withdraw(store: &Path, id: &str, note: Option<&str>, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let fact = campaign.withdraw_decision(id, note.map(str::to_string))?;
    let withdrawn = id.trim().to_uppercase();
    let ballots = campaign.ballots().len();
    if as_json {
        return Ok(json(&WithdrawJson { id: fact, withdrawn, ballots }));
    }
    Ok(format!(
        "{} {withdrawn} [{fact}]; {}: {ballots}\n",
        lang.pick("Отозвано решение", "Withdrawn decision"),
        lang.pick("решений в подсчёте", "decisions counted"),
    ))
}

#[derive(Serialize)]
struct CheckJson {
    differences: Vec<DifferenceJson>,
}

#[derive(Serialize)]
struct DifferenceJson {
    premise: String,
    owner: String,
    field: String,
    recorded: Option<String>,
    entered: Option<String>,
    message: String,
}

/// `obhod ballots check FILE`: every difference between the decisions recorded and the same
/// papers typed again into FILE (ballots.csv's shape, read as `import` reads it), by premise,
/// owner and question; nothing is written. Differences end with exit code 1.
pub fn check(store: &Path, file: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let bytes = crate::load::bytes(file)?;
    let campaign = Campaign::open(store)?;
    let questions = campaign.meeting().questions.len();
    let entered = obhod_core::parse_ballots(&file.display().to_string(), &bytes[..], campaign.registry(), questions)?;
    let recorded = campaign.ballots();
    let registry = campaign.registry();
    let mut differences = obhod_core::entry::compare(&recorded, &entered);
    differences.sort_by_cached_key(|d| (registry.find(&d.premise), d.owner.clone(), d.field));
    let report = match as_json {
        true => json(&CheckJson {
            differences: differences
                .iter()
                .map(|d| DifferenceJson {
                    premise: d.premise.clone(),
                    owner: d.owner.clone(),
                    field: d.field.code(),
                    recorded: d.recorded.as_ref().map(|v| v.code()),
                    entered: d.entered.as_ref().map(|v| v.code()),
                    message: d.message(lang),
                })
                .collect(),
        }),
        false => check_text(&differences, recorded.len(), lang),
    };
    match differences.is_empty() {
        true => Ok(report),
        false => Err(Failure::Differences { report }),
    }
}

fn check_text(differences: &[obhod_core::entry::Difference], recorded: usize, lang: Lang) -> String {
    if differences.is_empty() {
        return match lang {
            Lang::Ru => format!("Расхождений нет: второй ввод совпадает с записанными решениями ({recorded})\n"),
            Lang::En => format!("No differences: the second entry matches the decisions recorded ({recorded})\n"),
        };
    }
    let mut out = match lang {
        Lang::Ru => format!("Расхождений с записанными решениями: {}; ничего не записано\n", differences.len()),
        Lang::En => format!("Differences from the decisions recorded: {}; nothing recorded\n", differences.len()),
    };
    for d in differences {
        out.push_str(&format!(
            "{} {} · «{}» · {}\n",
            lang.pick("помещение", "premise"),
            d.premise,
            d.owner,
            d.message(lang)
        ));
    }
    out
}
