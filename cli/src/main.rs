//! `obhod`: the command line of the canvass and count before a general meeting of
//! owners. Library errors become messages and exit codes here, and nowhere else:
//! 0 ok, 1 failure at run time, 2 bad input or usage.

mod cli;
mod command;
mod failure;
mod load;
mod log;
mod output;
mod store;
mod usage;

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;
use obhod_core::Lang;
use obhod_store::Campaign;

use cli::{
    BallotsCommand, Cli, Command, ConflictsCommand, GroupCommand, LettersCommand, MeetingCommand, RegistryCommand,
};
use command::papers::Paper;
use failure::Failure;

fn main() -> ExitCode {
    let matches = match usage::parse(std::env::args_os().collect()) {
        Ok(matches) => matches,
        Err((text, to_stderr, code)) => {
            if code != 0 && wants_json(&std::env::args_os().collect::<Vec<_>>()) {
                let message = text.trim_end().strip_prefix("obhod: ").unwrap_or(text.trim_end());
                let error = serde_json::json!({ "error": { "code": "usage", "exit": code, "message": message } });
                emit(&output::json(&error), false, code);
            }
            return emit(&text, to_stderr, code);
        }
    };
    let cli = Cli::from_arg_matches(&matches).expect("the matches come from the command built from Cli");
    // `obhod demo` uses a temporary store unless --store is on the command line ($OBHOD_STORE is not asked for).
    let explicit_store = matches.value_source("store") == Some(clap::parser::ValueSource::CommandLine);
    let lang = Lang::from(cli.lang);
    let command = matches.subcommand_name().unwrap_or("tui");
    if command == "syncd" {
        log::to_stderr();
    } else {
        log::init(&store::data_dir());
    }
    tracing::info!(command, version = env!("CARGO_PKG_VERSION"), "start");
    match run(&cli, lang, explicit_store) {
        Ok(text) => emit(&text, false, 0),
        // Not a failure of the command: what it found, on stdout, told apart by the exit code.
        Err(Failure::Differences { report }) => emit(&report, false, 1),
        // A check's report is its output, whatever it found: only the exit code says errors.
        Err(Failure::Findings(report)) => emit(&report, false, 2),
        Err(error) => {
            tracing::warn!(command, failure = error.code(), exit = error.exit_code(), "command failed");
            let message = match cli.json {
                true => {
                    emit(&error.json(lang), false, error.exit_code());
                    error.reason(lang)
                }
                false => error.message(lang),
            };
            emit(&format!("obhod: {message}\n"), true, error.exit_code())
        }
    }
}

fn run(cli: &Cli, lang: Lang, explicit_store: bool) -> Result<String, Failure> {
    let store = store::path(cli.store.as_deref());
    let json = cli.json;
    let Some(command) = &cli.command else { return command::demo::open(&store, lang) };
    Ok(match command {
        Command::Demo => command::demo::run(explicit_store.then_some(store.as_path()), lang)?,
        Command::Weights { registry: Some(registry) } => {
            command::weights::run(&load::registry(registry, lang)?, json, lang)
        }
        Command::Weights { registry: None } => command::weights::run(Campaign::open(&store)?.registry(), json, lang),
        Command::Tally { meeting: Some(meeting), ballots, out } => {
            let files = load::meeting_with_registry(meeting, lang)?;
            let ballots = match ballots {
                Some(path) => load::ballots(path, &files)?,
                None => Vec::new(),
            };
            let entries = || ballots.iter().map(|b| obhod_papers::Entry::of_ballot(b, lang)).collect();
            let sources =
                command::tally::Sources { registry: &files.registry, meeting: &files.meeting, ballots: &ballots };
            command::tally::run(&sources, out.as_deref().map(|out| (out, entries())), json, lang)?
        }
        Command::Tally { meeting: None, out, .. } => {
            let campaign = Campaign::open(&store)?;
            let ballots = campaign.ballots();
            let sources = command::tally::Sources {
                registry: campaign.registry(),
                meeting: campaign.meeting(),
                ballots: &ballots,
            };
            let entries = || command::tally::entries(&campaign, lang);
            command::tally::run(&sources, out.as_deref().map(|out| (out, entries())), json, lang)?
        }
        Command::Deadlines { meeting: Some(meeting), notice } => {
            command::deadlines::run(&load::meeting(meeting)?, *notice, Vec::new(), json, lang)
        }
        Command::Deadlines { meeting: None, notice } => {
            let campaign = Campaign::open(&store)?;
            let warnings =
                obhod_core::mail::notice_warnings(campaign.meeting(), campaign.registry(), &campaign.canvass());
            command::deadlines::run(campaign.meeting(), *notice, warnings, json, lang)
        }
        Command::Registry { command: RegistryCommand::Import { sources, out, maps, entrances } } => {
            let maps: Vec<_> = maps.iter().map(|m| (m.0, m.1.clone())).collect();
            let entrances = entrances.as_ref().map(|e| e.0.as_slice());
            command::registry::import(sources, out, &maps, entrances, json, lang)?
        }
        Command::Registry { command: RegistryCommand::Check { registry } } => {
            command::registry::check(&load::registry(registry, lang)?, registry, json, lang)?
        }
        Command::Registry { command: RegistryCommand::Diff { a, b } } => {
            command::registry::diff(&load::registry(a, lang)?, &load::registry(b, lang)?, json, lang)
        }
        Command::Registry { command: RegistryCommand::Update { registry } } => {
            command::registry::update(&store, registry, json, lang)?
        }
        Command::Init { meeting } => command::init::run(&store, meeting, json, lang)?,
        Command::Meeting { command: MeetingCommand::Update { meeting } } => {
            command::meeting::update(&store, meeting, json, lang)?
        }
        Command::Mark { premise, outcome, owner, note, phone, email, consent, date, tracking } => {
            let args = command::mark::MarkArgs {
                premise,
                outcome,
                owner: owner.as_deref(),
                note: note.as_deref(),
                phone: phone.as_deref(),
                email: email.as_deref(),
                consent: *consent,
                date: *date,
                tracking: tracking.as_deref(),
            };
            command::mark::run(&store, args, json, lang)?
        }
        Command::Undo { fact, note } => command::mark::undo(&store, fact, note.as_deref(), json, lang)?,
        Command::Status { premise } => command::status::run(&store, premise.as_deref(), json, lang)?,
        Command::Ballots { command: BallotsCommand::Import { file, replaces: None } } => {
            command::ballots::import(&store, file, json, lang)?
        }
        Command::Ballots { command: BallotsCommand::Import { file, replaces: Some(id) } } => {
            command::ballots::replace(&store, file, id, json, lang)?
        }
        Command::Ballots { command: BallotsCommand::List { premise } } => {
            command::ballots::list(&store, premise.as_deref(), json, lang)?
        }
        Command::Ballots { command: BallotsCommand::Check { file } } => {
            command::ballots::check(&store, file, json, lang)?
        }
        Command::Ballots { command: BallotsCommand::Withdraw { id, note } } => {
            command::ballots::withdraw(&store, id, note.as_deref(), json, lang)?
        }
        Command::MailList { out, format, split, mass } => {
            let options = obhod_papers::mail::MailOptions { format: (*format).into(), split: *split, grams: *mass };
            command::mail::list(&store, out, options, json, lang).map_err(|f| meeting_hint(f, &store))?
        }
        Command::Register { out, blank } => {
            command::mail::register(&store, out, *blank, json, lang).map_err(|f| meeting_hint(f, &store))?
        }
        Command::Letters { command: LettersCommand::Sent { list, date } } => {
            command::mail::sent(&store, list, *date, json, lang)?
        }
        Command::Group { command: GroupCommand::Create { name, device, passphrase } } => {
            command::group::create(&store, name, device.as_deref(), *passphrase, json, lang)?
        }
        Command::Group { command: GroupCommand::Seal } => command::group::seal(&store, json, lang)?,
        Command::Group { command: GroupCommand::Members } => command::group::members(&store, json, lang)?,
        Command::Group { command: GroupCommand::Invite { ttl, listen } } => {
            command::sync::invite(&store, *ttl, *listen, lang)?
        }
        Command::Group { command: GroupCommand::Join { code, peer, name } } => {
            command::sync::join(&store, code, peer, name.as_deref(), lang)?
        }
        Command::Sync { peer } => command::sync::run(&store, peer, json, lang)?,
        Command::Syncd { listen, peer, no_mdns } => {
            let options = obhod_syncd::daemon::Options {
                listen: listen.unwrap_or_else(obhod_syncd::daemon::default_listen),
                peers: peer.clone(),
                authority: command::sync::daemon_authority(&store, lang)?,
                store,
                live: obhod_syncd::Live::default(),
                mdns: !no_mdns,
            };
            obhod_syncd::daemon::serve(options)?;
            String::new()
        }
        Command::Group { command: GroupCommand::Revoke { member } } => {
            command::group::revoke(&store, member, json, lang)?
        }
        Command::Conflicts { command: None } => command::conflicts::list(&store, json, lang)?,
        Command::Conflicts { command: Some(ConflictsCommand::Resolve { premise, owner, keep }) } => {
            command::conflicts::resolve(&store, premise, owner, *keep, json, lang)?
        }
        Command::Ballots { command: BallotsCommand::Print { paper, premise } } => {
            paper_from(command::papers::run(Paper::Forms(premise), &store, paper, None, json, lang), paper, &store)?
        }
        Command::Notice { paper } => {
            paper_from(command::papers::run(Paper::Notice, &store, paper, None, json, lang), paper, &store)?
        }
        Command::Protocol { paper, ballots } => paper_from(
            command::papers::run(Paper::Protocol, &store, paper, ballots.as_deref(), json, lang),
            paper,
            &store,
        )?,
        Command::Results { paper, ballots } => paper_from(
            command::papers::run(Paper::Results, &store, paper, ballots.as_deref(), json, lang),
            paper,
            &store,
        )?,
    })
}

/// A paper's result; drawn from the campaign (no --meeting), a key it lacks says how the campaign
/// learns it.
fn paper_from(
    result: Result<String, Failure>,
    paper: &cli::PaperArgs,
    store: &std::path::Path,
) -> Result<String, Failure> {
    match paper.meeting {
        Some(_) => result,
        None => result.map_err(|failure| meeting_hint(failure, store)),
    }
}

/// A key the campaign's meeting lacks (for a paper, a list, an address): the campaign keeps its own
/// copy of meeting.toml, so editing the file alone changes nothing; the failure says to record it.
fn meeting_hint(failure: Failure, store: &std::path::Path) -> Failure {
    let lacks = matches!(
        &failure,
        Failure::Paper(
            obhod_papers::PaperError::MissingInMeeting { .. } | obhod_papers::PaperError::MeetingLacks { .. },
        )
    );
    if !lacks {
        return failure;
    }
    match Campaign::open(store) {
        Ok(campaign) => {
            Failure::CampaignMeeting { file: campaign.sources().meeting_file.clone(), failure: Box::new(failure) }
        }
        Err(_) => failure,
    }
}

/// Whether `--json` is among the arguments before a `--`: a script reading stdout gets JSON even
/// for a usage error.
fn wants_json(args: &[std::ffi::OsString]) -> bool {
    args.iter().skip(1).take_while(|a| *a != "--").any(|a| a == "--json")
}

/// Writes the whole text at once, with control characters made visible, and exits with `code`;
/// a closed pipe (`obhod weights | head`) is not an error.
fn emit(text: &str, to_stderr: bool, code: u8) -> ExitCode {
    let text = output::visible(text);
    let written = if to_stderr {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush())
    };
    match written {
        Ok(()) => ExitCode::from(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "obhod: {}", output::visible(&e.to_string()));
            ExitCode::from(1)
        }
    }
}
