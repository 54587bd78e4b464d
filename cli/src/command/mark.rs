//! `obhod mark` and `obhod undo`: record one canvass fact, or withdraw one. Both return only once
//! the fact is durable.

use std::path::Path;

use chrono::NaiveDate;
use obhod_core::{Act, Contact, InputError, Lang, Letter, Outcome, Problem, Tracking};
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
    /// The sending date of a letter (the sent outcome).
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
        ..Mark::new(args.premise, outcome)
    };
    let mut campaign = Campaign::open(store)?;
    let mut ids = campaign.mark(mark)?;
    let id = ids.pop().expect("a mark writes its fact");
    let consent = ids.pop();
    if as_json {
        return Ok(json(&MarkJson { id, consent }));
    }
    // What was recorded, as the registry names it (the typed label and name may differ in case or letters).
    let Some(Act::Mark { premise, owner, sent, .. }) = campaign.fact(&id).map(|f| &f.act) else {
        unreachable!("a mark's id names a mark")
    };
    let whom = owner.clone().unwrap_or_else(|| lang.pick("все собственники", "every owner").to_string());
    let mut out = String::new();
    if let Some(note) =
        campaign.registry().lookup(args.premise).and_then(|f| f.note(args.premise, campaign.registry(), lang))
    {
        out.push_str(&format!("{note}\n"));
    }
    let letter = sent.as_ref().map_or_else(String::new, |l| {
        let tracking =
            l.tracking.as_ref().map(|t| format!(", {} {t}", lang.pick("ШПИ", "tracking"))).unwrap_or_default();
        format!(" {}{tracking}", l.date.format("%d.%m.%Y"))
    });
    out.push_str(&format!(
        "{} {premise} — {}{letter} ({whom}) [{id}]\n",
        lang.pick("Записано:", "Recorded:"),
        outcome.title(lang)
    ));
    if let Some(consent) = consent {
        out.push_str(&format!("{} [{consent}]\n", lang.pick("Согласие на обработку ПД записано", "Consent recorded")));
    }
    Ok(out)
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
        (_, Some(_)) => Err(StoreError::LetterOnOtherOutcome.into()),
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
