//! `obhod`: the command line of the canvass and count before a general meeting of
//! owners. Library errors become messages and exit codes here, and nowhere else:
//! 0 ok, 1 failure at run time, 2 bad input or usage.

mod cli;
mod command;
mod load;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use obhod_core::{InputError, Lang};

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from(cli.lang);
    match run(&cli, lang) {
        Ok(text) => print(&text),
        Err(error) => {
            eprintln!("obhod: {}", error.message(lang));
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli, lang: Lang) -> Result<String, InputError> {
    Ok(match &cli.command {
        Command::Weights { registry } => command::weights::run(&load::registry(registry)?, cli.json, lang),
        Command::Tally { meeting, ballots } => {
            let files = load::meeting_with_registry(meeting)?;
            let ballots = match ballots {
                Some(path) => load::ballots(path, &files)?,
                None => Vec::new(),
            };
            command::tally::run(&files.registry, &files.meeting, &ballots, cli.json, lang)
        }
        Command::Deadlines { meeting, notice } => {
            command::deadlines::run(&load::meeting(meeting)?, *notice, cli.json, lang)
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
