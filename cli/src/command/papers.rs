//! `obhod notice`, `ballots print`, `protocol` and `results`: the organiser's documents, drawn from
//! the campaign (or from the meeting and ballots files) by the papers library and written whole
//! or not at all.

use std::path::Path;

use obhod_core::{Ballot, Lang, Meeting, Registry, Tally, Weights};
use obhod_papers::{DOCUMENT_FORMATS, FORM_FORMATS, Format, Report, save};
use obhod_store::Campaign;
use serde::Serialize;

use crate::cli::PaperArgs;
use crate::failure::Failure;
use crate::output::json;

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
}

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
    let (registry, meeting, ballots) = sources(store, args.meeting.as_deref(), ballots)?;
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
    if as_json {
        return Ok(json(&Written { file, forms }));
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

/// The registry, the meeting and the ballots: from the files when a meeting file is given,
/// else from the campaign.
fn sources(
    store: &Path,
    meeting: Option<&Path>,
    ballots: Option<&Path>,
) -> Result<(Registry, Meeting, Vec<Ballot>), Failure> {
    let Some(meeting) = meeting else {
        let campaign = Campaign::open(store)?;
        return Ok((campaign.registry().clone(), campaign.meeting().clone(), campaign.ballots()));
    };
    let files = crate::load::meeting_with_registry(meeting)?;
    let ballots = match ballots {
        Some(path) => crate::load::ballots(path, &files)?,
        None => Vec::new(),
    };
    Ok((files.registry, files.meeting, ballots))
}
