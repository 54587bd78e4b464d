//! `obhod mail-list`, `obhod letters sent` and `obhod register`: the registered-mail list written
//! from the campaign, the letters of such a list recorded as sent (all in one write, or none), and
//! the delivery register.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use obhod_core::{Act, Canvass, Lang, Letter, Tracking, mail_rows};
use obhod_papers::mail::{self, MailFormat, MailOptions};
use obhod_store::{Campaign, Mark};
use serde::Serialize;

use crate::cli::MailFormatArg;
use crate::failure::Failure;
use crate::load;
use crate::output::json;

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
}

pub fn list(store: &Path, out: &Path, options: MailOptions, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let canvass = campaign.canvass();
    let rows = mail_rows(campaign.registry(), &canvass);
    let meeting_file = &campaign.sources().meeting_file;
    let files = mail::write(out, meeting_file, campaign.meeting(), &rows, options)?;
    if as_json {
        return Ok(json(&ListJson { letters: rows.len(), files }));
    }
    let letters = lang.count(rows.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    let mut text = format!("{}: {letters}\n", lang.pick("Список заказных писем", "Registered-mail list"));
    for file in files {
        text.push_str(&format!("  {}\n", file.display()));
    }
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
    // The same list read back twice records nothing twice.
    let standing = sent_on(&canvass, date);
    let recorded = |l: &mail::ListedLetter| {
        let tracking = l.tracking.as_ref();
        standing.contains(&(l.premise.as_str(), Some(l.owner.as_str()), tracking))
            || standing.contains(&(l.premise.as_str(), None, tracking))
    };
    let (already, letters): (Vec<_>, Vec<_>) = listed.into_iter().partition(|l| recorded(l));
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

/// The standing letters sent on `date` as (premise, owner, tracking number); each also without
/// its number, so that a row without one adds nothing to a letter recorded with it.
fn sent_on(canvass: &Canvass, date: NaiveDate) -> HashSet<(&str, Option<&str>, Option<&Tracking>)> {
    let mut standing = HashSet::new();
    for fact in canvass.facts.iter().filter(|f| canvass.is_standing(f)) {
        if let Act::Mark { premise, owner, sent: Some(sent), .. } = &fact.act
            && sent.date == date
        {
            standing.insert((premise.as_str(), owner.as_deref(), sent.tracking.as_ref()));
            standing.insert((premise.as_str(), owner.as_deref(), None));
        }
    }
    standing
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
