//! `obhod mail-list`, `obhod letters sent` and `obhod register`: the registered-mail list written
//! from the campaign (one letter per addressee and postal address), the letters of such a list
//! recorded as sent (one fact per letter, all in one write, or none), and the delivery register.
//! The file written is named on stdout; the warnings (owners not notified, notified late or on the
//! boundary, letters to no mailbox, addresses without a postcode) go to stderr, or into `--json`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use obhod_core::mail::notice_warnings;
use obhod_core::registry::since::Since;
use obhod_core::{
    Act, Canvass, Fact, InputError, Lang, Letter, Problem, Warning, envelope_warnings, envelopes, every_envelope,
};
use obhod_papers::mail::{self, MailFormat, MailOptions};
use obhod_store::{Campaign, Mark};
use serde::Serialize;

use crate::cli::MailFormatArg;
use crate::failure::Failure;
use crate::load;
use crate::output::{WarningJson, json, visible, warnings_json, warnings_text};

impl From<MailFormatArg> for MailFormat {
    fn from(arg: MailFormatArg) -> MailFormat {
        match arg {
            MailFormatArg::F103 => MailFormat::F103,
            MailFormatArg::Otpravka => MailFormat::Otpravka,
        }
    }
}

/// The warnings of a command: into its JSON, or on stderr beside the text on stdout.
fn warn(warnings: &[Warning], as_json: bool, lang: Lang) -> Vec<WarningJson> {
    if as_json {
        return warnings_json(warnings, lang);
    }
    let text = warnings_text(warnings, lang);
    if !text.is_empty() {
        eprint!("{}", visible(text.trim_start_matches('\n')));
    }
    Vec::new()
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
    let (meeting, registry) = (campaign.meeting(), campaign.registry());
    let letters = envelopes(registry, &canvass);
    let source = mail::Source { meeting, registry, registry_file: &campaign.sources().registry_file };
    let files = mail::write(out, &source, &letters, options)?;
    let mut warnings = envelope_warnings(&letters);
    warnings.extend(notice_warnings(meeting, registry, &canvass));
    let warnings = warn(&warnings, as_json, lang);
    if as_json {
        return Ok(json(&ListJson { letters: letters.len(), files, warnings }));
    }
    let count = lang.count(letters.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    let mut text = format!("{}: {count}\n", lang.pick("Список заказных писем", "Registered-mail list"));
    for file in files {
        text.push_str(&format!("  {}\n", file.display()));
    }
    Ok(text)
}

#[derive(Serialize)]
struct SentJson {
    recorded: usize,
    with_tracking: usize,
    /// Letters recorded before without a tracking number, now recorded with the one the list gives.
    numbers_added: usize,
    /// Rows whose letter, with this date and tracking number, is recorded already.
    already: usize,
    ids: Vec<String>,
    warnings: Vec<WarningJson>,
}

pub fn sent(store: &Path, list: &Path, date: NaiveDate, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let bytes = load::bytes(list)?;
    let file = list.display().to_string();
    let canvass = campaign.canvass();
    let every = every_envelope(campaign.registry());
    let listed = mail::read_list(&file, &bytes, campaign.registry(), &every)?;
    let Split { already, letters, numbers_added } =
        recorded_before(&file, &canvass, &campaign.registry().since, listed, date)?;
    let with_tracking = letters.iter().filter(|l| l.tracking.is_some()).count();
    // One fact per letter, for its owner at its first premise: the fold gives the notice to all of
    // the owner's premises.
    let marks = letters
        .into_iter()
        .map(|l| Mark::sent(&l.premises[0], Some(&l.owner), Letter { date, tracking: l.tracking }))
        .collect();
    let ids = campaign.mark_all(marks)?;
    let warnings = notice_warnings(campaign.meeting(), campaign.registry(), &campaign.canvass());
    let warnings = warn(&warnings, as_json, lang);
    if as_json {
        let already = already.len();
        return Ok(json(&SentJson { recorded: ids.len(), with_tracking, numbers_added, already, ids, warnings }));
    }
    let letters = lang.count(ids.len() as u64, ["письмо", "письма", "писем"], ["letter", "letters"]);
    let mut text = format!(
        "{} {}: {letters} ({} {with_tracking})\n",
        lang.pick("Записаны как отправленные", "Recorded as sent on"),
        date.format("%d.%m.%Y"),
        lang.pick("с ШПИ:", "with tracking numbers:"),
    );
    if numbers_added > 0 {
        let added = lang.pick(
            "из них ШПИ к письмам, записанным раньше без него:",
            "of them, numbers of letters recorded before without one:",
        );
        text.push_str(&format!("{added} {numbers_added}\n"));
    }
    if !already.is_empty() {
        text.push_str(&format!("{} {}\n", lang.pick("Уже были записаны:", "Recorded before:"), already.len()));
    }
    Ok(text)
}

/// A list's letters split: recorded already, to record, and how many of those add a tracking
/// number to a letter recorded on that date without one.
struct Split {
    already: Vec<mail::ListedLetter>,
    letters: Vec<mail::ListedLetter>,
    numbers_added: usize,
}

/// Splits a list's letters into those recorded already (the same list read back twice records
/// nothing twice) and those to record (a letter recorded on this date without a number, which the
/// list now gives, is recorded again with it); refuses the list at a letter recorded as sent on
/// another date or with another tracking number, or at a tracking number another letter carries.
/// A letter is recorded if a standing `sent` fact names its owner (or every owner) at any of its
/// premises.
fn recorded_before(
    file: &str,
    canvass: &Canvass,
    since: &Since,
    listed: Vec<mail::ListedLetter>,
    date: NaiveDate,
) -> Result<Split, InputError> {
    let standing: Vec<_> = canvass.facts.iter().filter(|f| canvass.is_standing(f)).filter_map(letter_of).collect();
    let mut split = Split { already: Vec::new(), letters: Vec::new(), numbers_added: 0 };
    for l in listed {
        let at = |problem| InputError::at(file, l.line, problem);
        // A letter to every owner of a premise is to those who owned it when it was recorded.
        let reaches = |s: &Sent| match s.owner {
            Some(owner) => owner == l.owner,
            None => Since::reaches(s.under, since.of(s.premise, &l.owner)),
        };
        let to_them = |s: &&Sent| l.premises.iter().any(|p| p == s.premise) && reaches(s);
        let same = |s: &&Sent| s.letter.date == date && (l.tracking.is_none() || s.letter.tracking == l.tracking);
        let before = |s: &&Sent| s.letter.date != date || (s.letter.tracking.is_some() && l.tracking.is_some());
        if standing.iter().filter(to_them).any(|s| same(&s)) {
            split.already.push(l);
        } else if let Some(s) = standing.iter().filter(to_them).find(before) {
            let tracking = s.letter.tracking.as_ref().map(ToString::to_string);
            let (premise, owner, fact) = (s.premise.to_string(), l.owner.clone(), s.id.to_string());
            return Err(at(Problem::LetterSentBefore { premise, owner, date: s.letter.date, tracking, fact }));
        } else if let Some(s) = standing.iter().find(|s| l.tracking.is_some() && s.letter.tracking == l.tracking) {
            let (premise, owner, fact) = (s.premise.to_string(), s.owner.map(str::to_string), s.id.to_string());
            let tracking = l.tracking.as_ref().map(ToString::to_string).unwrap_or_default();
            return Err(at(Problem::TrackingRecorded { tracking, premise, owner, date: s.letter.date, fact }));
        } else {
            split.numbers_added += usize::from(standing.iter().filter(to_them).any(|s| s.letter.date == date));
            split.letters.push(l);
        }
    }
    Ok(split)
}

/// A standing letter: its fact's id, premise, owner (`None`: every owner) and letter.
struct Sent<'a> {
    id: &'a str,
    premise: &'a str,
    owner: Option<&'a str>,
    letter: &'a Letter,
    /// The registry version it was recorded under.
    under: u64,
}

fn letter_of(fact: &Fact) -> Option<Sent<'_>> {
    match &fact.act {
        Act::Mark { premise, owner, sent: Some(letter), under, .. } => {
            Some(Sent { id: &fact.id, premise, owner: owner.as_deref(), letter, under: *under })
        }
        _ => None,
    }
}

#[derive(Serialize)]
struct RegisterJson {
    rows: usize,
    file: PathBuf,
    warnings: Vec<WarningJson>,
}

pub fn register(store: &Path, out: &Path, blank: bool, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let canvass = campaign.canvass();
    let (meeting, registry) = (campaign.meeting(), campaign.registry());
    let rows = obhod_papers::register::write(out, meeting, registry, &canvass, blank, lang)?;
    let warnings = if blank { Vec::new() } else { notice_warnings(meeting, registry, &canvass) };
    let warnings = warn(&warnings, as_json, lang);
    if as_json {
        return Ok(json(&RegisterJson { rows, file: out.to_path_buf(), warnings }));
    }
    let rows = lang.count(rows as u64, ["строка", "строки", "строк"], ["row", "rows"]);
    Ok(format!("{} ({rows}): {}\n", lang.pick("Реестр вручения", "Delivery register"), out.display()))
}
