//! `obhod mail-list`, `obhod letters sent` and `obhod register`: the registered-mail list written
//! from the campaign, the letters of such a list recorded as sent (all in one write, or none), and
//! the delivery register.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use obhod_core::{Act, Canvass, Fact, InputError, Lang, Letter, Problem, address_warnings, mail_rows};
use obhod_papers::mail::{self, MailFormat, MailOptions};
use obhod_store::{Campaign, Mark};
use serde::Serialize;

use crate::cli::MailFormatArg;
use crate::failure::Failure;
use crate::load;
use crate::output::{WarningJson, json, warnings_json, warnings_text};

impl From<MailFormatArg> for MailFormat {
    fn from(arg: MailFormatArg) -> MailFormat {
        match arg {
            MailFormatArg::F103 => MailFormat::F103,
            MailFormatArg::Otpravka => MailFormat::Otpravka,
        }
    }
}

#[derive(Serialize)]
struct ListJson {
    letters: usize,
    files: Vec<PathBuf>,
    warnings: Vec<WarningJson>,
}

pub fn list(store: &Path, out: &Path, options: MailOptions, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let canvass = campaign.canvass();
    let rows = mail_rows(campaign.registry(), &canvass);
    let meeting_file = &campaign.sources().meeting_file;
    let files = mail::write(out, meeting_file, campaign.meeting(), &rows, options)?;
    let warnings = address_warnings(&rows);
    if as_json {
        return Ok(json(&ListJson { letters: rows.len(), files, warnings: warnings_json(&warnings, lang) }));
    }
    let letters = lang.count(rows.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    let mut text = format!("{}: {letters}\n", lang.pick("Список заказных писем", "Registered-mail list"));
    for file in files {
        text.push_str(&format!("  {}\n", file.display()));
    }
    text.push_str(&warnings_text(&warnings, lang));
    Ok(text)
}

#[derive(Serialize)]
struct SentJson {
    recorded: usize,
    with_tracking: usize,
    /// Rows whose letter, with this date and tracking number, is recorded already.
    already: usize,
    ids: Vec<String>,
}

pub fn sent(store: &Path, list: &Path, date: NaiveDate, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let bytes = load::bytes(list)?;
    let canvass = campaign.canvass();
    let due = |premise: usize, owner: &str| {
        canvass.premises[premise]
            .owner(owner)
            .is_some_and(|o| o.needs_letter() || o.sent.as_ref().is_some_and(|l| l.date == date))
    };
    let listed = mail::read_list(&list.display().to_string(), &bytes, campaign.registry(), &due)?;
    let (already, letters) = recorded_before(&list.display().to_string(), &canvass, listed, date)?;
    let with_tracking = letters.iter().filter(|l| l.tracking.is_some()).count();
    let marks = letters
        .into_iter()
        .map(|l| Mark::sent(&l.premise, Some(&l.owner), Letter { date, tracking: l.tracking }))
        .collect();
    let ids = campaign.mark_all(marks)?;
    if as_json {
        return Ok(json(&SentJson { recorded: ids.len(), with_tracking, already: already.len(), ids }));
    }
    let letters = lang.count(ids.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    let mut text = format!(
        "{} {}: {letters} ({} {with_tracking})\n",
        lang.pick("Записаны как отправленные", "Recorded as sent on"),
        date.format("%d.%m.%Y"),
        lang.pick("с ШПИ:", "with tracking numbers:"),
    );
    if !already.is_empty() {
        text.push_str(&format!("{} {}\n", lang.pick("Уже были записаны:", "Recorded before:"), already.len()));
    }
    Ok(text)
}

/// Splits a list's letters into those recorded already (the same list read back twice records
/// nothing twice) and those to record; refuses the list at a letter recorded as sent on another
/// date or with another tracking number, or at a tracking number another letter carries.
fn recorded_before(
    file: &str,
    canvass: &Canvass,
    listed: Vec<mail::ListedLetter>,
    date: NaiveDate,
) -> Result<(Vec<mail::ListedLetter>, Vec<mail::ListedLetter>), InputError> {
    let standing: Vec<_> = canvass.facts.iter().filter(|f| canvass.is_standing(f)).filter_map(letter_of).collect();
    let (mut already, mut letters) = (Vec::new(), Vec::new());
    for l in listed {
        let at = |problem| InputError::at(file, l.line, problem);
        let to_them = |s: &&Sent| s.premise == l.premise && s.owner.is_none_or(|o| o == l.owner);
        let same = |s: &&Sent| s.letter.date == date && (l.tracking.is_none() || s.letter.tracking == l.tracking);
        let before = |s: &&Sent| s.letter.date != date || (s.letter.tracking.is_some() && l.tracking.is_some());
        if standing.iter().filter(to_them).any(|s| same(&s)) {
            already.push(l);
        } else if let Some(s) = standing.iter().filter(to_them).find(before) {
            let tracking = s.letter.tracking.as_ref().map(ToString::to_string);
            let (premise, owner, fact) = (l.premise.clone(), l.owner.clone(), s.id.to_string());
            return Err(at(Problem::LetterSentBefore { premise, owner, date: s.letter.date, tracking, fact }));
        } else if let Some(s) = standing.iter().find(|s| l.tracking.is_some() && s.letter.tracking == l.tracking) {
            let (premise, owner, fact) = (s.premise.to_string(), s.owner.map(str::to_string), s.id.to_string());
            let tracking = l.tracking.as_ref().map(ToString::to_string).unwrap_or_default();
            return Err(at(Problem::TrackingRecorded { tracking, premise, owner, date: s.letter.date, fact }));
        } else {
            letters.push(l);
        }
    }
    Ok((already, letters))
}

/// A standing letter: its fact's id, premise, owner (`None`: every owner) and letter.
struct Sent<'a> {
    id: &'a str,
    premise: &'a str,
    owner: Option<&'a str>,
    letter: &'a Letter,
}

fn letter_of(fact: &Fact) -> Option<Sent<'_>> {
    match &fact.act {
        Act::Mark { premise, owner, sent: Some(letter), .. } => {
            Some(Sent { id: &fact.id, premise, owner: owner.as_deref(), letter })
        }
        _ => None,
    }
}

#[derive(Serialize)]
struct RegisterJson {
    rows: usize,
    file: PathBuf,
}

pub fn register(store: &Path, out: &Path, blank: bool, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let canvass = campaign.canvass();
    let rows = obhod_papers::register::write(out, campaign.meeting(), campaign.registry(), &canvass, blank, lang)?;
    if as_json {
        return Ok(json(&RegisterJson { rows, file: out.to_path_buf() }));
    }
    let rows = lang.count(rows as u64, ["строка", "строки", "строк"], ["row", "rows"]);
    Ok(format!("{} ({rows}): {}\n", lang.pick("Реестр вручения", "Delivery register"), out.display()))
}
