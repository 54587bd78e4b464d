//! The command line: global options and one subcommand per job (interface §2).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use obhod_core::Lang;

/// obhod: the canvass and count before a general meeting of owners (ОСС).
#[derive(Debug, Parser)]
#[command(name = "obhod", version, about, long_about = None)]
pub struct Cli {
    /// Print results as JSON (interface §3) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Language of tables and messages.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Ru)]
    pub lang: LangArg,

    /// The campaign database [default: $XDG_DATA_HOME/obhod/obhod.db].
    #[arg(long, global = true, value_name = "PATH", env = "OBHOD_STORE")]
    pub store: Option<PathBuf>,

    /// Without a command: the canvassing TUI on the store.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Ru,
    En,
}

impl From<LangArg> for Lang {
    fn from(arg: LangArg) -> Lang {
        match arg {
            LangArg::Ru => Lang::Ru,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The canvassing TUI on the bundled demo building, in a temporary store unless --store.
    Demo,
    /// Vote weights of every holding and owner, TOTAL and warnings.
    ///
    /// One vote is one square metre of owned area (ч.3 ст.48 ЖК РФ). Premises with no
    /// registered owner are left out of TOTAL; unclaimed shares stay in TOTAL, unvoted.
    Weights {
        /// The registry of owners (registry.csv); without it, the campaign's.
        #[arg(long, value_name = "FILE")]
        registry: Option<PathBuf>,
    },
    /// Quorum and per-question results, from the campaign or from the meeting and ballots files.
    ///
    /// Quorum is strictly more than half of all votes. Joint owners vote as one block;
    /// the municipality, the state and legal entities vote all their premises with one
    /// answer. Defective ballots and ballots received after voting_ends are not counted.
    Tally {
        /// The meeting (meeting.toml); its registry path is relative to it. Without it, the campaign.
        #[arg(long, value_name = "FILE")]
        meeting: Option<PathBuf>,
        /// The received decisions (ballots.csv); without it nobody has voted yet.
        #[arg(long, value_name = "FILE", requires = "meeting")]
        ballots: Option<PathBuf>,
    },
    /// The legal timeline of the meeting: notice, voting, protocol, appeals.
    Deadlines {
        /// The meeting (meeting.toml).
        #[arg(long, value_name = "FILE")]
        meeting: PathBuf,
        /// The day the notice goes out (last signature or letters sent), to check its gap.
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        notice: Option<chrono::NaiveDate>,
    },
    /// Creates the campaign in the store from a meeting file and the registry it names.
    ///
    /// Refuses a store that already holds a campaign.
    Init {
        /// The meeting (meeting.toml); its registry path is relative to it.
        #[arg(long, value_name = "FILE")]
        meeting: PathBuf,
    },
    /// Records one canvass fact; without --owner it applies to every owner of the premise.
    ///
    /// Outcomes: delivered (вручено под роспись), absent (не застали), refused (отказ),
    /// consent (согласие на обработку ПД), contact (контакт получен; needs --phone or
    /// --email and the owner's consent), letter (нужно заказное письмо).
    Mark {
        /// The premise as in the registry: 12, Н-3, ММ-14.
        premise: String,
        /// delivered | absent | refused | consent | contact | letter
        outcome: String,
        /// One owner of the premise, as in the registry.
        #[arg(long, value_name = "NAME")]
        owner: Option<String>,
        /// A note for the next visit.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// Phone number (with the contact outcome; only with consent).
        #[arg(long, value_name = "PHONE")]
        phone: Option<String>,
        /// E-mail (with the contact outcome; only with consent).
        #[arg(long, value_name = "EMAIL")]
        email: Option<String>,
        /// The owner signs the personal-data consent now: record it with the contact.
        #[arg(long)]
        consent: bool,
    },
    /// Withdraws a fact: adds a fact that cites it (facts are never erased).
    Undo {
        /// The id of the fact (obhod status PREMISE shows them).
        fact: String,
        /// Why it is withdrawn.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Canvass progress by entrance and in total; with PREMISE, its owners and facts.
    Status {
        /// One premise to show in detail.
        premise: Option<String>,
    },
    /// Owners' decisions in the campaign.
    Ballots {
        #[command(subcommand)]
        command: BallotsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum BallotsCommand {
    /// Adds the ballots of a ballots.csv to the campaign (a bad file adds nothing).
    Import {
        /// The received decisions (ballots.csv).
        file: PathBuf,
    },
}

fn parse_date_arg(text: &str) -> Result<chrono::NaiveDate, String> {
    obhod_core::date::parse_date(text).ok_or_else(|| format!("`{text}` is not a date (2026-12-18 or 18.12.2026)"))
}
