//! `obhod meeting update`: records a changed meeting.toml in the campaign, after saying what changes
//! key by key; refused, with nothing written, where the change would falsify what is recorded.

use std::path::Path;

use obhod_core::Lang;
use obhod_core::meeting::update::{Change, Value};
use obhod_store::{Campaign, MeetingUpdate};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::json;

#[derive(Serialize)]
struct UpdateJson {
    changed: Vec<ChangeJson>,
    recorded: bool,
    /// Owners whose notice was in time for the old date and is late for the new one.
    owners_made_late: usize,
    /// Decisions received in time for the old end of voting and after the new one.
    ballots_made_late: usize,
    warnings: Vec<WarningJson>,
}

#[derive(Serialize)]
struct ChangeJson {
    key: String,
    label: String,
    old: Option<String>,
    new: Option<String>,
}

#[derive(Serialize)]
struct WarningJson {
    code: &'static str,
    count: usize,
    message: String,
}

pub fn update(store: &Path, meeting: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let text = crate::load::text(meeting)?;
    let mut campaign = Campaign::open(store)?;
    let done = campaign.update_meeting(&meeting.display().to_string(), &text)?;
    let warnings = warnings(&done, lang);
    if as_json {
        let changed = done
            .changes
            .iter()
            .map(|c| ChangeJson {
                key: c.key.clone(),
                label: c.label(lang),
                old: c.old.as_ref().map(Value::code),
                new: c.new.as_ref().map(Value::code),
            })
            .collect();
        return Ok(json(&UpdateJson {
            changed,
            recorded: done.recorded,
            owners_made_late: done.owners_made_late,
            ballots_made_late: done.ballots_made_late,
            warnings,
        }));
    }
    let mut out = format!("{}\n", campaign.meeting().address);
    if done.changes.is_empty() {
        out.push_str(lang.pick(
            "Изменений нет: собрание в кампании такое же; ничего не записано\n",
            "No changes: the campaign's meeting is the same; nothing recorded\n",
        ));
        return Ok(out);
    }
    out.push_str(&format!("{} ({}):\n", lang.pick("Что меняется", "What changes"), meeting.display()));
    for change in &done.changes {
        out.push_str(&change_line(change, lang));
    }
    out.push_str(lang.pick("Записано в кампанию.", "Recorded in the campaign."));
    if done.changes.iter().any(|c| c.key == "meeting.date") {
        let deadline = obhod_core::mail::notice_deadline(campaign.meeting());
        out.push_str(&format!(
            " {} {}.",
            lang.pick("Последний день уведомления (D − 10):", "The last day of the notice (D − 10):"),
            Value::Date(deadline).text(lang)
        ));
    }
    out.push_str(lang.pick(" Сроки: obhod deadlines\n", " The timeline: obhod deadlines\n"));
    for warning in &warnings {
        out.push_str(&format!("  ! {}\n", warning.message));
    }
    Ok(out)
}

/// `  дата собрания (D) [meeting.date]: 10.12.2026 → 17.12.2026`
fn change_line(change: &Change, lang: Lang) -> String {
    let value = |v: &Option<Value>| v.as_ref().map_or_else(|| "—".to_string(), |v| format!("«{}»", v.text(lang)));
    format!("  {} [{}]: {} → {}\n", change.label(lang), change.key, value(&change.old), value(&change.new))
}

/// What the new dates do to what is recorded: notices now late, decisions now after the vote.
fn warnings(done: &MeetingUpdate, lang: Lang) -> Vec<WarningJson> {
    let mut out = Vec::new();
    if done.owners_made_late > 0 {
        let owners = lang.count(
            done.owners_made_late as u64,
            ["собственник", "собственника", "собственников"],
            ["owner", "owners"],
        );
        out.push(WarningJson {
            code: "owners_made_late",
            count: done.owners_made_late,
            message: match lang {
                Lang::Ru => format!(
                    "с новой датой собрания уведомлены с опозданием (позже D − 10): {owners}, уведомленных в срок для прежней даты"
                ),
                Lang::En => format!(
                    "with the new date of the meeting, {owners} notified in time for the old date are notified late (after D − 10)"
                ),
            },
        });
    }
    if done.ballots_made_late > 0 {
        let decisions =
            lang.count(done.ballots_made_late as u64, ["решение", "решения", "решений"], ["decision", "decisions"]);
        out.push(WarningJson {
            code: "ballots_made_late",
            count: done.ballots_made_late,
            message: match lang {
                Lang::Ru => {
                    format!("получены после нового окончания приёма решений и в подсчёт не входят: {decisions}")
                }
                Lang::En => format!("{decisions} received after the new end of voting, and not counted"),
            },
        });
    }
    out
}
