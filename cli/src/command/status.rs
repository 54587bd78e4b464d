//! `obhod status`: canvass progress by entrance and in total, or one premise in detail with its
//! facts and their ids (so that `undo` can be scripted). Contact data is never printed: only
//! whether there is some.

use std::path::Path;

use chrono::NaiveDate;
use obhod_core::mail::{Timeliness, notice_warnings, timeliness};
use obhod_core::{Act, Canvass, Fact, Lang, NoticeBy, OwnerStatus, PremiseStatus, Progress, Registry};
use obhod_store::{Campaign, StoreError};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{WarningJson, amount, json, json_exact, json_pct, pct, table, warnings_json, warnings_text};

#[derive(Serialize)]
struct StatusJson<'a> {
    owners: usize,
    notified: usize,
    letters: usize,
    /// Pairs with a standing letter sent (counted in `notified` too).
    sent: usize,
    consents: usize,
    contacts: usize,
    refused: usize,
    total: String,
    notified_votes: String,
    notified_percent: String,
    unknown_facts: usize,
    /// Facts and ballots left out because they do not count under the group record (a device
    /// outside the group, one past its revocation, unsigned), by device.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    unverified_facts: std::collections::BTreeMap<String, usize>,
    /// Owners with different ballots from different devices (`obhod conflicts`).
    conflicts: usize,
    /// Decisions recorded against another agenda (a device changed it while another imported
    /// them): kept, not counted.
    off_agenda: usize,
    /// Versions of the meeting standing side by side after two devices updated it at once.
    meeting_versions: usize,
    /// Versions of the registry standing side by side after two devices updated it at once.
    registry_versions: usize,
    /// Standing facts and decisions about a premise or owner the registry no longer has (it was
    /// updated after they were recorded): kept, counted for no one.
    orphans: Vec<crate::command::registry::OrphanJson<'a>>,
    /// The registry's version in force (0 until the first `registry update`).
    registry_version: u64,
    /// Standing marks for every owner of a premise recorded before some of its owners came
    /// (a later registry added them): those owners are not reached by them.
    unreached: Vec<crate::command::registry::UnreachedJson<'a>>,
    premises: Vec<PremiseJson>,
    warnings: Vec<WarningJson>,
}

#[derive(Serialize)]
struct PremiseJson {
    premise: String,
    entrance: Option<String>,
    visits: usize,
    last_outcome: Option<&'static str>,
    owners: Vec<OwnerJson>,
    /// With one premise asked for: its facts, withdrawn ones too.
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<Vec<FactJson>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_facts: Option<usize>,
}

/// A fact as `status PREMISE --json` shows it: never a phone or an e-mail.
#[derive(Serialize)]
struct FactJson {
    id: String,
    time: String,
    outcome: &'static str,
    owner: Option<String>,
    device: String,
    note: Option<String>,
    /// The day the owner signed a delivery typed in later than it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    signed: Option<NaiveDate>,
    /// For a mark for every owner: the owners it does not reach, who came with a later registry.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unreached: Vec<String>,
    withdrawn: bool,
}

#[derive(Serialize)]
struct OwnerJson {
    owner: String,
    notified: bool,
    letter: bool,
    /// The sending date of the standing letter, if one was sent.
    sent: Option<NaiveDate>,
    tracking: Option<String>,
    consent: bool,
    contact: bool,
    refused: bool,
    /// The notice that counts for the owner (the earliest, at any of its premises), or null.
    notice: Option<NoticeJson>,
}

#[derive(Serialize)]
struct NoticeJson {
    /// The day signed, or the letter's sending date.
    date: NaiveDate,
    /// `signature` or `letter`.
    by: &'static str,
    /// The premise whose fact recorded it.
    premise: String,
    /// After D − 10: the owner was not notified in time.
    late: bool,
    /// Ten or eleven days before the meeting: in time, on the disputed boundary.
    boundary: bool,
}

pub fn run(store: &Path, premise: Option<&str>, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let canvass = campaign.canvass();
    if let Some(label) = premise {
        let status = find(&campaign, &canvass, label)?;
        return Ok(if as_json {
            let mut premise = premise_json(&campaign, status);
            premise.facts =
                Some(status.history.iter().filter_map(|&i| fact_json(&canvass, status, &canvass.facts[i])).collect());
            premise.unknown_facts = Some(campaign.unknown_facts());
            json(&premise)
        } else {
            let found = campaign.registry().lookup(label);
            let note = found.and_then(|f| f.note(label, campaign.registry(), lang)).map(|n| format!("{n}\n"));
            note.unwrap_or_default() + &premise_text(&campaign, &canvass, status, lang)
        });
    }
    let progress = canvass.progress(campaign.weights(), |_| true);
    let warnings = notice_warnings(campaign.meeting(), campaign.registry(), &canvass);
    let orphans = campaign.orphans();
    let unreached = campaign.unreached();
    if as_json {
        let total = &campaign.weights().total;
        return Ok(json(&StatusJson {
            owners: progress.owners,
            notified: progress.notified,
            letters: progress.letters,
            sent: progress.sent,
            consents: progress.consents,
            contacts: progress.contacts,
            refused: progress.refused,
            total: json_exact(total),
            notified_votes: json_exact(&progress.notified_votes),
            notified_percent: json_pct(&progress.notified_votes, total),
            unknown_facts: campaign.unknown_facts(),
            unverified_facts: campaign.refused_facts(),
            conflicts: campaign.conflicts().len(),
            off_agenda: campaign.off_agenda(),
            meeting_versions: campaign.meeting_versions(),
            registry_versions: campaign.registry_versions(),
            orphans: orphans.iter().map(|o| crate::command::registry::OrphanJson::of(o, lang)).collect(),
            registry_version: campaign.registry().since.version,
            unreached: unreached.iter().map(|u| crate::command::registry::UnreachedJson::of(u, lang)).collect(),
            premises: canvass.premises.iter().map(|p| premise_json(&campaign, p)).collect(),
            warnings: warnings_json(&warnings, lang),
        }));
    }
    Ok(summary_text(&campaign, &canvass, &progress, lang)
        + &orphans_text(&orphans, lang)
        + &unreached_text(&unreached, lang)
        + &warnings_text(&warnings, lang))
}

/// The facts and decisions the registry left without their premise or owner, one a line.
fn orphans_text(orphans: &[obhod_core::registry::update::Orphan], lang: Lang) -> String {
    if orphans.is_empty() {
        return String::new();
    }
    let mut out = lang
        .pick(
            "Записи о тех, кого нет в реестре кампании (реестр обновлён после них):\n",
            "Records of those the campaign's registry does not have (it was updated after them):\n",
        )
        .to_string();
    for orphan in orphans {
        out += &format!("  ! {}\n", orphan.message(lang));
    }
    out
}

/// The marks for every owner of a premise that do not reach the owners a later registry added.
fn unreached_text(unreached: &[obhod_core::registry::update::Unreached], lang: Lang) -> String {
    if unreached.is_empty() {
        return String::new();
    }
    let mut out = lang
        .pick(
            "Отметки для всех собственников, сделанные до нынешнего реестра, не касаются новых собственников:\n",
            "Marks for every owner made before the registry in force do not reach the owners it added:\n",
        )
        .to_string();
    for mark in unreached {
        out += &format!("  ! {}\n", mark.message(lang));
    }
    out
}

fn find<'c>(campaign: &Campaign, canvass: &'c Canvass, label: &str) -> Result<&'c PremiseStatus, Failure> {
    let index =
        campaign.registry().find(label).ok_or_else(|| StoreError::UnknownPremise { premise: label.trim().into() })?;
    Ok(&canvass.premises[index])
}

fn premise_json(campaign: &Campaign, status: &PremiseStatus) -> PremiseJson {
    let registry = campaign.registry();
    let premise = &registry.premises[status.premise];
    PremiseJson {
        premise: premise.label.clone(),
        entrance: premise.entrance.clone(),
        visits: status.visits,
        last_outcome: status.last_outcome.map(|o| o.code()),
        owners: status
            .owners
            .iter()
            .map(|o| OwnerJson {
                owner: o.owner.name.clone(),
                notified: o.notified,
                letter: o.letter,
                sent: o.sent.as_ref().map(|l| l.date),
                tracking: o.sent.as_ref().and_then(|l| l.tracking.as_ref()).map(ToString::to_string),
                consent: o.consent,
                contact: o.contact.is_some(),
                refused: o.refused,
                notice: o.notice().map(|notice| {
                    let timeliness = timeliness(campaign.meeting(), notice.date);
                    NoticeJson {
                        date: notice.date,
                        by: match notice.by {
                            NoticeBy::Signature => "signature",
                            NoticeBy::Letter(_) => "letter",
                        },
                        premise: registry.premises[notice.premise].label.clone(),
                        late: timeliness == Timeliness::Late,
                        boundary: timeliness == Timeliness::Boundary,
                    }
                }),
            })
            .collect(),
        facts: None,
        unknown_facts: None,
    }
}

fn fact_json(canvass: &Canvass, status: &PremiseStatus, fact: &Fact) -> Option<FactJson> {
    let Act::Mark { owner, outcome, signed, under, .. } = &fact.act else { return None };
    let unreached = match owner {
        None => status.unreached(*under).map(|o| o.owner.name.clone()).collect(),
        Some(_) => Vec::new(),
    };
    Some(FactJson {
        unreached,
        signed: *signed,
        id: fact.id.clone(),
        time: fact.at.to_rfc3339(),
        outcome: outcome.code(),
        owner: owner.clone(),
        device: fact.device.clone(),
        note: fact.note.clone(),
        withdrawn: !canvass.is_standing(fact),
    })
}

/// A line telling that facts from a newer obhod are in the store and left out, or nothing.
fn unknown_text(campaign: &Campaign, lang: Lang) -> String {
    match campaign.unknown_facts() {
        0 => String::new(),
        n => format!(
            "{} {n} — {}\n",
            lang.pick("Фактов от более новой версии obhod:", "Facts from a newer obhod:"),
            lang.pick("обновите obhod", "update obhod")
        ),
    }
}

/// A line telling that records the group does not accept are in the store and left out, or nothing.
fn unverified_text(campaign: &Campaign, lang: Lang) -> String {
    let refused = campaign.refused_facts();
    if refused.is_empty() {
        return String::new();
    }
    let devices: Vec<String> = refused.iter().map(|(device, n)| format!("{device}: {n}")).collect();
    format!(
        "{} {} ({}) — {}\n",
        lang.pick(
            "Записей, которые группа не принимает (не подписаны её устройством или сделаны после отзыва):",
            "Records the group does not accept (not signed by one of its devices, or made after a revocation):"
        ),
        refused.values().sum::<usize>(),
        devices.join(", "),
        lang.pick("не учтены", "left out")
    )
}

/// A line telling that some owners have different ballots from different devices, or nothing.
fn conflicts_text(campaign: &Campaign, lang: Lang) -> String {
    match campaign.conflicts().len() {
        0 => String::new(),
        n => format!(
            "{} {n} — {}\n",
            lang.pick(
                "Конфликтов решений (разные решения с разных устройств):",
                "Ballot conflicts (different ballots from different devices):"
            ),
            lang.pick("разберите: obhod conflicts", "resolve them: obhod conflicts")
        ),
    }
}

/// Lines telling that the meeting was updated on two devices at once, or that decisions were
/// recorded against another agenda; or nothing.
fn meeting_text(campaign: &Campaign, lang: Lang) -> String {
    let mut out = String::new();
    if campaign.meeting_versions() > 1 {
        out.push_str(lang.pick(
            "Собрание изменено на двух устройствах одновременно: действует одна из версий, на всех устройствах одна и та же; \
             проверьте её (obhod deadlines) и запишите нужную: obhod meeting update\n",
            "The meeting was updated on two devices at once: one version stands, the same on every device; check it \
             (obhod deadlines) and record the one meant: obhod meeting update\n",
        ));
    }
    if campaign.registry_versions() > 1 {
        out.push_str(lang.pick(
            "Реестр обновлён на двух устройствах одновременно: действует одна из версий, на всех устройствах одна и та же; \
             запишите нужную: obhod registry update\n",
            "The registry was updated on two devices at once: one version stands, the same on every device; record the \
             one meant: obhod registry update\n",
        ));
    }
    let off = campaign.off_agenda();
    if off > 0 {
        let decisions = lang.count(off as u64, ["решение", "решения", "решений"], ["decision", "decisions"]);
        out.push_str(&match lang {
            Lang::Ru => format!(
                "Записаны по другой повестке (её изменили на другом устройстве до синхронизации) и не считаются: {decisions}\n"
            ),
            Lang::En => format!(
                "Recorded against another agenda (changed on another device before they synced), not counted: {decisions}\n"
            ),
        });
    }
    out
}

/// The entrances in registry order; premises without one form the last group.
fn entrances(registry: &Registry) -> Vec<Option<&str>> {
    let mut entrances: Vec<Option<&str>> = Vec::new();
    for premise in &registry.premises {
        let entrance = premise.entrance.as_deref();
        if !entrances.contains(&entrance) {
            entrances.push(entrance);
        }
    }
    entrances.sort_by_key(|e| e.is_none());
    entrances
}

fn summary_text(campaign: &Campaign, canvass: &Canvass, progress: &Progress, lang: Lang) -> String {
    let total = &campaign.weights().total;
    let registry = campaign.registry();
    let mut out = format!(
        "{}\n{}{}{}",
        campaign.meeting().address,
        unknown_text(campaign, lang) + &unverified_text(campaign, lang),
        conflicts_text(campaign, lang),
        meeting_text(campaign, lang)
    );
    out.push_str(&format!(
        "{} {} {} {}\n{}: {} {} {} ({} {})\n\n",
        lang.pick(
            "Уведомлено собственников (под роспись или заказным письмом):",
            "Owners notified (against signature or by registered letter):"
        ),
        progress.notified,
        lang.pick("из", "of"),
        progress.owners,
        lang.pick("Голоса уведомленных", "Votes of the notified"),
        amount(&progress.notified_votes, lang),
        lang.pick("из", "of"),
        amount(total, lang),
        pct(&progress.notified_votes, total, lang),
        lang.pick("всех голосов", "of all votes"),
    ));
    let header = [
        lang.pick("Подъезд", "Entrance"),
        lang.pick("Собственников", "Owners"),
        lang.pick("Уведомлено", "Notified"),
        lang.pick("Писем", "Letters"),
        lang.pick("Отправлено", "Sent"),
        lang.pick("Согласий", "Consents"),
        lang.pick("Отказов", "Refused"),
        lang.pick("Голоса увед., % всех", "Notified votes, % of all"),
    ];
    let mut rows = table(&header, 1);
    let mut row = |name: String, p: &Progress| {
        rows.add_row(vec![
            name,
            p.owners.to_string(),
            p.notified.to_string(),
            p.letters.to_string(),
            p.sent.to_string(),
            p.consents.to_string(),
            p.refused.to_string(),
            pct(&p.notified_votes, total, lang),
        ]);
    };
    for entrance in entrances(registry) {
        let name = entrance.map_or_else(|| lang.pick("без подъезда", "no entrance").to_string(), str::to_string);
        let of_entrance = |i: usize| registry.premises[i].entrance.as_deref() == entrance;
        row(name, &canvass.progress(campaign.weights(), of_entrance));
    }
    row(lang.pick("Итого", "Total").to_string(), progress);
    out.push_str(&format!("{rows}\n"));
    out.push_str(&format!(
        "{}: {}\n",
        lang.pick("Заказных писем к отправке (до D − 10)", "Registered letters to send (by D − 10)"),
        progress.letters
    ));
    out
}

fn premise_text(campaign: &Campaign, canvass: &Canvass, status: &PremiseStatus, lang: Lang) -> String {
    let premise = &campaign.registry().premises[status.premise];
    let mut out = unknown_text(campaign, lang);
    out.push_str(&format!(
        "{} {} ({}, {} м²",
        lang.pick("Помещение", "Premise"),
        premise.label,
        premise.kind.title(lang),
        amount(&premise.area, lang)
    ));
    if let Some(entrance) = &premise.entrance {
        out.push_str(&format!(", {} {entrance}", lang.pick("подъезд", "entrance")));
    }
    if let Some(floor) = premise.floor {
        out.push_str(&format!(", {} {floor}", lang.pick("этаж", "floor")));
    }
    let last = status.last_outcome.map_or("—", |o| o.title(lang));
    out.push_str(&format!(
        ")\n{}: {}; {}: {last}\n",
        lang.pick("Визитов", "Visits"),
        status.visits,
        lang.pick("последний исход", "last outcome")
    ));
    let yes_no = |b: bool| if b { lang.pick("да", "yes") } else { "—" }.to_string();
    let header = [
        lang.pick("Собственник", "Owner"),
        lang.pick("Голосов", "Votes"),
        lang.pick("Уведомлён", "Notified"),
        // Not the `letter` mark of the JSON: whether a registered letter must still go out.
        lang.pick("Нужно письмо", "Letter needed"),
        lang.pick("Согласие", "Consent"),
        lang.pick("Контакт", "Contact"),
        lang.pick("Отказ", "Refused"),
    ];
    let mut rows = table(&header, 1);
    for owner in &status.owners {
        let holdings: Vec<_> = campaign.weights().holdings_of(status.premise, &owner.owner.name).collect();
        let mut votes = amount(&obhod_core::weights::exact_sum(holdings.iter().map(|h| &h.votes)), lang);
        if holdings.iter().any(|h| h.joint) {
            // A joint group's votes are one block: shown on each member, counted once.
            votes.push_str(lang.pick(" совм.", " joint"));
        }
        rows.add_row(vec![
            owner.owner.name.clone(),
            votes,
            notified_text(campaign, owner, lang),
            yes_no(owner.needs_letter()),
            yes_no(owner.consent),
            yes_no(owner.contact.is_some()),
            yes_no(owner.refused),
        ]);
    }
    out.push_str(&format!("{rows}\n"));
    if !status.history.is_empty() {
        out.push_str(&format!("{}:\n", lang.pick("Факты", "Facts")));
        for &index in &status.history {
            out.push_str(&fact_line(canvass, status, &canvass.facts[index], lang));
        }
    }
    out
}

/// Whether the owner is notified, and how its notice stands: `да` in time, `да, 02.12.2026 —
/// поздно` after D − 10, `да, 29.11.2026 — граница` on the disputed days.
fn notified_text(campaign: &Campaign, owner: &OwnerStatus, lang: Lang) -> String {
    let Some(notice) = owner.notice() else { return "—".into() };
    let day = notice.date.format("%d.%m.%Y");
    match timeliness(campaign.meeting(), notice.date) {
        Timeliness::InTime => lang.pick("да", "yes").into(),
        Timeliness::Late => format!("{}, {day} — {}", lang.pick("да", "yes"), lang.pick("ПОЗДНО", "LATE")),
        Timeliness::Boundary => format!("{}, {day} — {}", lang.pick("да", "yes"), lang.pick("граница", "boundary")),
    }
}

fn fact_line(canvass: &Canvass, status: &PremiseStatus, fact: &Fact, lang: Lang) -> String {
    let Act::Mark { owner, outcome, sent, signed, under, .. } = &fact.act else { return String::new() };
    let later: Vec<&str> = status.unreached(*under).map(|o| o.owner.name.as_str()).collect();
    let whom = match (owner, later.is_empty(), lang) {
        (Some(name), _, _) => name.clone(),
        (None, true, _) => lang.pick("все собственники", "every owner").to_string(),
        (None, false, Lang::Ru) => format!("все собственники на тот момент, не «{}»", later.join("», «")),
        (None, false, Lang::En) => format!("every owner then, not `{}`", later.join("`, `")),
    };
    let mut line = format!("  {}  {}  {} ({whom})", fact.id, fact.at.format("%d.%m.%Y %H:%M"), outcome.title(lang));
    if let Some(letter) = sent {
        line.push_str(&format!(" {}", letter.date.format("%d.%m.%Y")));
        if let Some(tracking) = &letter.tracking {
            line.push_str(&format!(", {} {tracking}", lang.pick("ШПИ", "tracking")));
        }
    }
    if let Some(day) = signed {
        line.push_str(&format!(" ({} {})", lang.pick("подпись", "signed"), day.format("%d.%m.%Y")));
    }
    if let Some(note) = &fact.note {
        line.push_str(&format!(" «{note}»"));
    }
    if !canvass.is_standing(fact) {
        line.push_str(lang.pick("  [отменён]", "  [withdrawn]"));
    }
    line.push('\n');
    line
}
