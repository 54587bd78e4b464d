//! `obhod init`: creates the campaign in the store from a meeting file and its registry.

use std::path::Path;

use obhod_core::Lang;
use obhod_store::Campaign;
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{amount, json, json_exact};

#[derive(Serialize)]
struct InitJson {
    campaign: String,
    store: String,
    premises: usize,
    owners: usize,
    total: String,
}

pub fn run(store: &Path, meeting: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let sources = crate::load::sources(meeting, lang)?;
    let campaign = Campaign::init(store, sources)?;
    let owners = campaign.canvass().owners().count();
    let premises = campaign.registry().premises.len();
    let total = &campaign.weights().total;
    if as_json {
        return Ok(json(&InitJson {
            campaign: campaign.id().into(),
            store: store.display().to_string(),
            premises,
            owners,
            total: json_exact(total),
        }));
    }
    Ok(format!(
        "{}\n{}: {premises}; {}: {owners}; {}: {}\n{}: {}\n",
        campaign.meeting().address,
        lang.pick("Кампания создана. Помещений", "Campaign created. Premises"),
        lang.pick("собственников", "owners"),
        lang.pick("всего голосов", "total votes"),
        amount(total, lang),
        lang.pick("Хранилище", "Store"),
        store.display(),
    ))
}
