//! `obhod ballots import`: adds a ballots.csv to the campaign, whole or not at all.

use std::path::Path;

use obhod_core::Lang;
use obhod_store::Campaign;
use serde::Serialize;

use crate::failure::Failure;
use crate::output::json;

#[derive(Serialize)]
struct ImportJson {
    added: usize,
    present: usize,
    ballots: usize,
}

pub fn import(store: &Path, file: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let text = crate::load::text(file)?;
    let mut campaign = Campaign::open(store)?;
    let imported = campaign.import_ballots(&file.display().to_string(), &text)?;
    let ballots = campaign.ballots().len();
    if as_json {
        return Ok(json(&ImportJson { added: imported.added, present: imported.present, ballots }));
    }
    Ok(format!(
        "{}: {}; {}: {}; {}: {ballots}\n",
        lang.pick("Добавлено решений", "Ballots added"),
        imported.added,
        lang.pick("уже были", "already there"),
        imported.present,
        lang.pick("всего в кампании", "in the campaign"),
    ))
}
