//! `obhod`: the command line of the canvass and count before a general meeting of
//! owners. Library errors become messages and exit codes here, and nowhere else:
//! 0 ok, 1 failure at run time, 2 bad input or usage.

mod cli;
mod command;
mod failure;
mod load;
mod output;
mod store;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use obhod_core::Lang;
use obhod_store::Campaign;

use cli::{BallotsCommand, Cli, Command};
use failure::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from(cli.lang);
    match run(&cli, lang) {
        Ok(text) => print(&text),
        Err(error) => {
            eprintln!("obhod: {}", error.message(lang));
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(cli: &Cli, lang: Lang) -> Result<String, Failure> {
    let store = store::path(cli.store.as_deref());
    let json = cli.json;
    Ok(match &cli.command {
        Command::Weights { registry: Some(registry) } => command::weights::run(&load::registry(registry)?, json, lang),
        Command::Weights { registry: None } => command::weights::run(Campaign::open(&store)?.registry(), json, lang),
        Command::Tally { meeting: Some(meeting), ballots } => {
            let files = load::meeting_with_registry(meeting)?;
            let ballots = match ballots {
                Some(path) => load::ballots(path, &files)?,
                None => Vec::new(),
            };
            command::tally::run(&files.registry, &files.meeting, &ballots, json, lang)
        }
        Command::Tally { meeting: None, .. } => {
            let campaign = Campaign::open(&store)?;
            command::tally::run(campaign.registry(), campaign.meeting(), &campaign.ballots(), json, lang)
        }
        Command::Deadlines { meeting, notice } => {
            command::deadlines::run(&load::meeting(meeting)?, *notice, json, lang)
        }
        Command::Init { meeting } => command::init::run(&store, meeting, json, lang)?,
        Command::Mark { premise, outcome, owner, note, phone, email, consent } => {
            let args = command::mark::MarkArgs {
                premise,
                outcome,
                owner: owner.as_deref(),
                note: note.as_deref(),
                phone: phone.as_deref(),
                email: email.as_deref(),
                consent: *consent,
            };
            command::mark::run(&store, args, json, lang)?
        }
        Command::Undo { fact, note } => command::mark::undo(&store, fact, note.as_deref(), json, lang)?,
        Command::Status { premise } => command::status::run(&store, premise.as_deref(), json, lang)?,
        Command::Ballots { command: BallotsCommand::Import { file } } => {
            command::ballots::import(&store, file, json, lang)?
        }
    })
}

/// Writes the whole output at once; a closed pipe (`obhod weights | head`) is not an error.
fn print(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("obhod: {e}");
            ExitCode::from(1)
        }
    }
}
