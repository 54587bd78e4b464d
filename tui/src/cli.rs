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

    #[command(subcommand)]
    pub command: Command,
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
    /// Vote weights of every holding and owner, TOTAL and warnings.
    ///
    /// One vote is one square metre of owned area (ч.3 ст.48 ЖК РФ). Premises with no
    /// registered owner are left out of TOTAL; unclaimed shares stay in TOTAL, unvoted.
    Weights {
        /// The registry of owners (registry.csv).
        #[arg(long, value_name = "FILE")]
        registry: PathBuf,
    },
    /// Quorum and per-question results from the meeting and ballots files.
    ///
    /// Quorum is strictly more than half of all votes. Joint owners vote as one block;
    /// the municipality, the state and legal entities vote all their premises with one
    /// answer. Defective ballots and ballots received after voting_ends are not counted.
    Tally {
        /// The meeting (meeting.toml); its registry path is relative to it.
        #[arg(long, value_name = "FILE")]
        meeting: PathBuf,
        /// The received decisions (ballots.csv); without it nobody has voted yet.
        #[arg(long, value_name = "FILE")]
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
}

fn parse_date_arg(text: &str) -> Result<chrono::NaiveDate, String> {
    obhod_core::date::parse_date(text).ok_or_else(|| format!("`{text}` is not a date (2026-12-18 or 18.12.2026)"))
}
