//! `obhod notice`, `ballots print`, `protocol` and `results`: the organiser's documents, drawn from
//! the campaign (or from the meeting and ballots files) by the papers library and written whole
//! or not at all. The papers state facts; what the organiser must weigh (owners not notified or
//! notified late, premises left out of the total, ballots excluded, verdicts the strict reading
//! gives otherwise) goes with the protocol and the results to stderr, and into `--json`.

use std::path::Path;

use obhod_core::{Ballot, Count, Lang, Meeting, Registry, Tally, Warning, Weights};
use obhod_papers::{DOCUMENT_FORMATS, FORM_FORMATS, Format, Report, save};
use obhod_store::Campaign;
use serde::Serialize;
use serde_json::Value;

use crate::cli::PaperArgs;
use crate::failure::Failure;
use crate::output::{json, visible, warnings_json, warnings_text};

/// Which paper to draw up.
pub enum Paper<'a> {
    Notice,
    /// The decision forms, of the voters of these premises (all when empty).
    Forms(&'a [String]),
    Protocol,
    Results,
}

#[derive(Serialize)]
struct Written {
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    forms: Option<usize>,
    /// For the protocol and the results: what the organiser must weigh before signing.
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<Value>>,
}

/// The code of a verdict the strict reading gives otherwise, in `--json`.
const STRICT_DIFFERS: &str = "strict_reading_differs";

pub fn run(
    paper: Paper,
    store: &Path,
    args: &PaperArgs,
    ballots: Option<&Path>,
    as_json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let formats: &[Format] = if matches!(paper, Paper::Forms(_)) { &FORM_FORMATS } else { &DOCUMENT_FORMATS };
    let format = Format::of(&args.out, formats)?;
    let Sources { registry, meeting, ballots, notices } = sources(store, args.meeting.as_deref(), ballots, lang)?;
    let weights = Weights::compute(&registry);
    let tally = Tally::count(&registry, &weights, &meeting, &ballots);
    let report = Report::new(&registry, &weights, &meeting, &tally, lang);
    let doc = match paper {
        Paper::Notice => obhod_papers::notice(&report)?,
        Paper::Forms(premises) => obhod_papers::forms(&report, premises)?,
        Paper::Protocol => obhod_papers::protocol(&report)?,
        Paper::Results => obhod_papers::results(&report)?,
    };
    save(&args.out, &format.render(&doc))?;
    let forms = matches!(paper, Paper::Forms(_)).then(|| doc.count_titles());
    let file = args.out.display().to_string();
    let counted = matches!(paper, Paper::Protocol | Paper::Results);
    let warnings: Vec<&Warning> =
        notices.iter().chain(&weights.warnings).chain(&meeting.warnings).chain(&tally.warnings).collect();
    let strict = Count::new(&meeting, &tally, lang).strict_differences();
    if as_json {
        let warnings = counted.then(|| {
            let mut all: Vec<Value> = warnings_json(warnings.iter().copied(), lang)
                .iter()
                .map(|w| serde_json::to_value(w).expect("a warning serialises"))
                .collect();
            all.extend(strict.iter().map(|s| serde_json::json!({ "code": STRICT_DIFFERS, "message": s })));
            all
        });
        return Ok(json(&Written { file, forms, warnings }));
    }
    if counted {
        let mut text = warnings_text(warnings.iter().copied(), lang);
        if text.is_empty() && !strict.is_empty() {
            text = format!("\n{}\n", lang.pick("Предупреждения:", "Warnings:"));
        }
        for difference in &strict {
            text.push_str(&format!("  ! {difference}\n"));
        }
        eprint!("{}", visible(text.trim_start_matches('\n')));
    }
    Ok(match forms {
        Some(n) => format!(
            "{}: {file} ({})\n",
            lang.pick("Записано", "Written"),
            lang.count(n as u64, ["бланк", "бланка", "бланков"], ["form", "forms"])
        ),
        None => format!("{}: {file}\n", lang.pick("Записано", "Written")),
    })
}

/// What a paper is drawn from.
struct Sources {
    registry: Registry,
    meeting: Meeting,
    ballots: Vec<Ballot>,
    /// The notices that came late or never (known only to a campaign).
    notices: Vec<Warning>,
}

/// The registry, the meeting and the ballots: from the files when a meeting file is given,
/// else from the campaign, with what its canvass says of the notices.
fn sources(store: &Path, meeting: Option<&Path>, ballots: Option<&Path>, lang: Lang) -> Result<Sources, Failure> {
    let Some(meeting) = meeting else {
        let campaign = Campaign::open(store)?;
        let notices = obhod_core::mail::notice_warnings(campaign.meeting(), campaign.registry(), &campaign.canvass());
        return Ok(Sources {
            registry: campaign.registry().clone(),
            meeting: campaign.meeting().clone(),
            ballots: campaign.ballots(),
            notices,
        });
    };
    let files = crate::load::meeting_with_registry(meeting, lang)?;
    let ballots = match ballots {
        Some(path) => crate::load::ballots(path, &files)?,
        None => Vec::new(),
    };
    Ok(Sources { registry: files.registry, meeting: files.meeting, ballots, notices: Vec::new() })
}
