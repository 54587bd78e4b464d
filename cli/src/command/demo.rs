//! `obhod demo` and `obhod` itself: the TUI on the bundled demo building (Садовая, 5: 160 flats in
//! four entrances, shops, parking, storerooms), or on the store's campaign.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use obhod_core::Lang;
use obhod_store::{Campaign, StoreError};

use crate::failure::Failure;

/// The TUI on the demo building: in `store` when given (made there the first time, reopened after),
/// else in a store removed on exit.
pub fn run(store: Option<&Path>, lang: Lang) -> Result<String, Failure> {
    let (_temporary, path) = match store {
        Some(path) => (None, path.to_path_buf()),
        None => {
            let dir = tempfile::tempdir().map_err(|error| {
                let fault = obhod_store::FileFault::of(&error);
                Failure::File { path: std::env::temp_dir(), fault, named_at: None }
            })?;
            let path = dir.path().join("demo.db");
            (Some(dir), path)
        }
    };
    let campaign = match Campaign::init(&path, obhod_tui::demo::sources()) {
        Ok(mut campaign) => {
            campaign.import_ballots("sadovaya-5/ballots.csv", obhod_tui::demo::ballots())?;
            campaign
        }
        // The demo's own store once more: it opens as it was left. Any other campaign stays untouched.
        Err(StoreError::CampaignExists { path }) => match Campaign::open(&path)? {
            campaign if *campaign.sources() == obhod_tui::demo::sources() => campaign,
            _ => return Err(StoreError::CampaignExists { path }.into()),
        },
        Err(error) => return Err(error.into()),
    };
    tui(campaign, lang)
}

/// The TUI on a campaign; ended by a signal, a failure that exits with 128 + the signal.
fn tui(campaign: Campaign, lang: Lang) -> Result<String, Failure> {
    obhod_tui::app::run::run(campaign, lang)?;
    match obhod_tui::app::run::ended_by_signal() {
        Some(signal) => Err(Failure::Signal(signal)),
        None => Ok(String::new()),
    }
}

/// `obhod` without a command: the TUI on the store; with no campaign there, offers the demo.
pub fn open(store: &Path, lang: Lang) -> Result<String, Failure> {
    match Campaign::open(store) {
        Ok(campaign) => tui(campaign, lang),
        Err(StoreError::NoCampaign { .. }) if std::io::stdin().is_terminal() => {
            let mut stderr = std::io::stderr();
            write!(
                stderr,
                "{}",
                lang.pick(
                    "Кампании ещё нет (создать: obhod init --meeting meeting.toml).\nОткрыть демонстрационный дом? Enter — да, любой другой ответ — нет: ",
                    "No campaign yet (create one: obhod init --meeting meeting.toml).\nOpen the demo building? Enter for yes, anything else for no: ",
                )
            )?;
            stderr.flush()?;
            let mut answer = String::new();
            // The end of input (Ctrl-D) is no answer: no.
            if std::io::stdin().lock().read_line(&mut answer)? == 0 {
                writeln!(stderr)?;
                return Ok(String::new());
            }
            // Enter is yes on either keyboard layout; a letter could be `н` typed for `y`, so only
            // whole words count, and anything else is no.
            let answer = answer.trim().to_lowercase();
            if answer.is_empty() || ["yes", "да"].contains(&answer.as_str()) {
                run(None, lang)
            } else {
                Ok(String::new())
            }
        }
        Err(error) => Err(error.into()),
    }
}
