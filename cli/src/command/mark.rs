//! `obhod mark` and `obhod undo`: record one canvass fact, or withdraw one. Both return only once
//! the fact is durable.

use std::path::Path;

use chrono::NaiveDate;
use obhod_core::{Act, Canvass, Contact, InputError, Lang, Letter, Outcome, Problem, Tracking};
use obhod_store::{Campaign, Mark, StoreError};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::json;

/// What `mark` was asked on the command line.
pub struct MarkArgs<'a> {
    pub premise: &'a str,
    pub outcome: &'a str,
    pub owner: Option<&'a str>,
    pub note: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub consent: bool,
    /// The sending date of a letter (the sent outcome), or the day the owner signed (delivered).
    pub date: Option<NaiveDate>,
    pub tracking: Option<&'a str>,
}

#[derive(Serialize)]
struct MarkJson {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent: Option<String>,
}

pub fn run(store: &Path, args: MarkArgs, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let outcome = Outcome::parse(args.outcome).ok_or_else(|| StoreError::UnknownOutcome(args.outcome.into()))?;
    let given = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    let (phone, email) = (given(args.phone), given(args.email));
    let contact = (phone.is_some() || email.is_some()).then_some(Contact { phone, email });
    let mark = Mark {
        owner: given(args.owner),
        note: given(args.note),
        contact,
        consent: args.consent,
        sent: letter(outcome, args.date, args.tracking)?,
        signed: args.date.filter(|_| outcome == Outcome::Delivered),
        ..Mark::new(args.premise, outcome)
    };
    let mut campaign = Campaign::open(store)?;
    let ids = campaign.mark(mark)?;
    let out = recorded(&campaign, args.premise, outcome, ids, as_json, lang);
    campaign.close();
    Ok(out)
}

/// What a recorded mark says: its ids (the mark's last), what was recorded as the registry names
/// it, and what its notice means for the deadline.
fn recorded(
    campaign: &Campaign,
    typed: &str,
    outcome: Outcome,
    mut ids: Vec<String>,
    as_json: bool,
    lang: Lang,
) -> String {
    let id = ids.pop().expect("a mark writes its fact");
    let consent = ids.pop();
    if as_json {
        return json(&MarkJson { id, consent });
    }
    // What was recorded, as the registry names it (the typed label and name may differ in case or letters).
    let Some(Act::Mark { premise, owner, sent, signed, .. }) = campaign.fact(&id).map(|f| &f.act) else {
        // Recorded, but not counted here yet: this device is not in the group's list it holds.
        return lang
            .pick(
                "Записано, но группа пока не учитывает отметки этого устройства: выполните obhod sync с устройством организатора.\n",
                "Recorded, but the group does not count this device's marks yet: run obhod sync with the organiser's device.\n",
            )
            .to_string();
    };
    let whom = owner.clone().unwrap_or_else(|| lang.pick("все собственники", "every owner").to_string());
    let mut out = String::new();
    if let Some(note) = campaign.registry().lookup(typed).and_then(|f| f.note(typed, campaign.registry(), lang)) {
        out.push_str(&format!("{note}\n"));
    }
    let letter = sent.as_ref().map_or_else(String::new, |l| {
        let tracking =
            l.tracking.as_ref().map(|t| format!(", {} {t}", lang.pick("ШПИ", "tracking"))).unwrap_or_default();
        format!(" {}{tracking}", l.date.format("%d.%m.%Y"))
    });
    let letter = match signed {
        Some(day) => format!(" ({} {})", lang.pick("подпись", "signed on"), day.format("%d.%m.%Y")),
        None => letter,
    };
    out.push_str(&format!(
        "{} {premise} — {}{letter} ({whom}) [{id}]\n",
        lang.pick("Записано:", "Recorded:"),
        outcome.title(lang)
    ));
    if let Some(consent) = consent {
        out.push_str(&format!("{} [{consent}]\n", lang.pick("Согласие на обработку ПД записано", "Consent recorded")));
    }
    if matches!(outcome, Outcome::Delivered | Outcome::Sent) {
        out.push_str(&late_notices(campaign, premise, owner.as_deref(), lang));
    }
    out
}

/// What the notice just recorded means for the deadline: for each owner it reached, whether
/// that owner's notice (the earliest, at any premise) came after D − 10 or on the disputed days.
fn late_notices(campaign: &Campaign, premise: &str, owner: Option<&str>, lang: Lang) -> String {
    let Some(index) = campaign.registry().find(premise) else { return String::new() };
    // Only this premise's owners are asked about: the facts of their premises are enough.
    let canvass = Canvass::fold_around(campaign.registry(), campaign.facts(), index);
    let meeting = campaign.meeting();
    let deadline = obhod_core::mail::notice_deadline(meeting).format("%d.%m.%Y");
    let mut out = String::new();
    for status in canvass.premises[index].owners.iter().filter(|o| owner.is_none_or(|name| o.owner.name == name)) {
        let Some(notice) = status.notice() else { continue };
        let name = &status.owner.name;
        let day = notice.date.format("%d.%m.%Y");
        match obhod_core::mail::timeliness(meeting, notice.date) {
            obhod_core::mail::Timeliness::Late => out.push_str(&match lang {
                Lang::Ru => format!(
                    "! «{name}»: уведомление {day}, позже последнего дня уведомления {deadline}, — с опозданием (ч. 4 ст. 45 ЖК РФ)\n"
                ),
                Lang::En => format!(
                    "! `{name}` was notified on {day}, after the last day of the notice {deadline}: notified late (part 4 art. 45)\n"
                ),
            }),
            obhod_core::mail::Timeliness::Boundary => out.push_str(&match lang {
                Lang::Ru => format!(
                    "! «{name}»: уведомление {day}, за 10–11 дней до собрания (последний день — {deadline}): граничный день спорен\n"
                ),
                Lang::En => format!(
                    "! `{name}` was notified on {day}, 10 or 11 days before the meeting (the last day is {deadline}): the boundary day is disputed\n"
                ),
            }),
            obhod_core::mail::Timeliness::InTime => {}
        }
    }
    out
}

/// The letter of the sent outcome from `--date` and `--tracking`; `None` for another outcome
/// given neither (either on another outcome is refused by the store).
fn letter(outcome: Outcome, date: Option<NaiveDate>, tracking: Option<&str>) -> Result<Option<Letter>, Failure> {
    let tracking = match tracking {
        Some(text) => {
            Some(Tracking::parse(text).map_err(|bad| InputError::new("--tracking", None, Problem::BadTracking(bad)))?)
        }
        None => None,
    };
    match (outcome, date) {
        (Outcome::Sent, None) => Err(StoreError::NoSendingDate.into()),
        (Outcome::Sent, Some(date)) => Ok(Some(Letter { date, tracking })),
        (_, _) if tracking.is_some() => Err(StoreError::LetterOnOtherOutcome.into()),
        (Outcome::Delivered, Some(_)) => Ok(None),
        (_, Some(_)) => Err(StoreError::SignedOnOtherOutcome.into()),
        (_, None) if tracking.is_some() => Err(StoreError::LetterOnOtherOutcome.into()),
        (_, None) => Ok(None),
    }
}

#[derive(Serialize)]
struct UndoJson {
    id: String,
    withdrawn: String,
}

pub fn undo(store: &Path, fact: &str, note: Option<&str>, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let id = campaign.undo(fact, note.map(str::to_string))?;
    let withdrawn = fact.trim().to_uppercase();
    if as_json {
        return Ok(json(&UndoJson { id, withdrawn }));
    }
    Ok(format!("{} {withdrawn} [{id}]\n", lang.pick("Отменён факт", "Withdrawn fact")))
}
