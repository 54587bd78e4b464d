//! `obhod mark` and `obhod undo`: record one canvass fact, or withdraw one. Both return only once
//! the fact is durable.

use std::path::Path;

use obhod_core::{Act, Contact, Lang, Outcome};
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
        premise: args.premise.into(),
        outcome,
        owner: given(args.owner),
        note: given(args.note),
        contact,
        consent: args.consent,
    };
    let mut campaign = Campaign::open(store)?;
    let mut ids = campaign.mark(mark)?;
    let id = ids.pop().expect("a mark writes its fact");
    let consent = ids.pop();
    if as_json {
        return Ok(json(&MarkJson { id, consent }));
    }
    // What was recorded, as the registry names it (the typed label and name may differ in case or letters).
    let Some(Act::Mark { premise, owner, .. }) = campaign.fact(&id).map(|f| &f.act) else {
        unreachable!("a mark's id names a mark")
    };
    let whom = owner.clone().unwrap_or_else(|| lang.pick("все собственники", "every owner").to_string());
    let mut out = String::new();
    if let Some(note) =
        campaign.registry().lookup(args.premise).and_then(|f| f.note(args.premise, campaign.registry(), lang))
    {
        out.push_str(&format!("{note}\n"));
    }
    out.push_str(&format!(
        "{} {premise} — {} ({whom}) [{id}]\n",
        lang.pick("Записано:", "Recorded:"),
        outcome.title(lang)
    ));
    if let Some(consent) = consent {
        out.push_str(&format!("{} [{consent}]\n", lang.pick("Согласие на обработку ПД записано", "Consent recorded")));
    }
    Ok(out)
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
