//! `obhod weights`: every holding's votes, per-owner sums, TOTAL and warnings.

use obhod_core::weights::Voter;
use obhod_core::{Lang, Registry, Weights};
use serde::Serialize;

use crate::output::{amount, json, json_exact, json_pct, pct, table, warnings_json, warnings_text};

#[derive(Serialize)]
struct WeightsJson<'a> {
    total: String,
    holdings: Vec<HoldingJson<'a>>,
    owners: Vec<OwnerJson>,
    warnings: Vec<crate::output::WarningJson>,
}

#[derive(Serialize)]
struct HoldingJson<'a> {
    premise: &'a str,
    room: Option<&'a str>,
    owners: Vec<&'a str>,
    kind: &'static str,
    votes: String,
    share: String,
    percent: String,
}

#[derive(Serialize)]
struct OwnerJson {
    owner: String,
    owner_kind: &'static str,
    votes: String,
    percent: String,
}

pub fn run(registry: &Registry, as_json: bool, lang: Lang) -> String {
    let weights = Weights::compute(registry);
    if as_json { render_json(registry, &weights, lang) } else { render_text(registry, &weights, lang) }
}

fn render_json(registry: &Registry, weights: &Weights, lang: Lang) -> String {
    let total = &weights.total;
    let holdings = weights
        .holdings
        .iter()
        .map(|h| HoldingJson {
            premise: &registry.premises[h.premise].label,
            room: h.room.as_deref(),
            owners: h.owners.iter().map(|o| o.name.as_str()).collect(),
            kind: registry.premises[h.premise].kind.code(),
            votes: json_exact(&h.votes),
            share: json_exact(&weights.fraction_of_total(&h.votes)),
            percent: json_pct(&h.votes, total),
        })
        .collect();
    let owners = weights
        .voters()
        .into_iter()
        .map(|v| OwnerJson {
            owner: v.voter.name(),
            owner_kind: v.voter.kind().code(),
            votes: json_exact(&v.votes),
            percent: json_pct(&v.votes, total),
        })
        .collect();
    json(&WeightsJson { total: json_exact(total), holdings, owners, warnings: warnings_json(&weights.warnings, lang) })
}

fn render_text(registry: &Registry, weights: &Weights, lang: Lang) -> String {
    let total = &weights.total;
    let mut holdings = table(
        &[
            lang.pick("Помещение", "Premise"),
            lang.pick("Собственники", "Owners"),
            lang.pick("Площадь, м²", "Area, m²"),
            lang.pick("Доля", "Share"),
            lang.pick("Голосов", "Votes"),
            "%",
        ],
        2,
    );
    for h in &weights.holdings {
        let premise = &registry.premises[h.premise];
        let place = match &h.room {
            Some(room) => format!("{}, {} {room}", premise.label, lang.pick("комн.", "room")),
            None => premise.label.clone(),
        };
        let names: Vec<&str> = h.owners.iter().map(|o| o.name.as_str()).collect();
        let owners = if h.joint {
            format!("{}\n({})", names.join("\n"), lang.pick("совместная", "joint"))
        } else {
            names.join("\n")
        };
        let share = h.share.as_ref().map_or_else(|| "1".to_owned(), json_exact);
        holdings.add_row(vec![
            place,
            owners,
            amount(&h.area, lang),
            share,
            amount(&h.votes, lang),
            pct(&h.votes, total, lang),
        ]);
    }
    let mut out = format!("{holdings}\n");

    let voters = weights.voters();
    let several: Vec<_> = voters.iter().filter(|v| v.holdings.len() > 1).collect();
    if !several.is_empty() {
        let mut owners = table(
            &[
                lang.pick("Собственник нескольких помещений", "Owner of several premises"),
                lang.pick("Помещений", "Premises"),
                lang.pick("Голосов", "Votes"),
                "%",
            ],
            1,
        );
        for v in &several {
            let name = match &v.voter {
                Voter::Joint(_) => {
                    format!("{} ({})", v.voter.name(), lang.pick("совместная", "joint"))
                }
                Voter::Owner { .. } => v.voter.name(),
            };
            owners.add_row(vec![
                name,
                v.holdings.len().to_string(),
                amount(&v.votes, lang),
                pct(&v.votes, total, lang),
            ]);
        }
        out.push_str(&format!("\n{owners}\n"));
    }
    out.push_str(&format!(
        "\n{}: {}  ({}, {})\n",
        lang.pick("Всего голосов (100 %)", "Total votes (100 %)"),
        amount(total, lang),
        lang.count(weights.holdings.len() as u64, ["владение", "владения", "владений"], ["holding", "holdings"]),
        lang.count(voters.len() as u64, ["собственник", "собственника", "собственников"], ["owner", "owners"]),
    ));
    out.push_str(&warnings_text(&weights.warnings, lang));
    out
}
