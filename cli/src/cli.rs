//! The command line: global options and one subcommand per job. Every text argument goes through
//! a parser that refuses blank values, so that an unset shell variable never widens a command.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use obhod_core::Lang;

/// obhod: the canvass and count before a general meeting of owners (ОСС).
#[derive(Debug, Parser)]
#[command(name = "obhod", version, about, long_about = None)]
pub struct Cli {
    /// Print results as JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,

    /// Language of tables and messages.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Ru, overrides_with = "lang")]
    pub lang: LangArg,

    /// The campaign database [default: $XDG_DATA_HOME/obhod/obhod.db].
    #[arg(long, global = true, value_name = "PATH", env = "OBHOD_STORE", value_parser = path_arg)]
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
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        registry: Option<PathBuf>,
    },
    /// Quorum and per-question results, from the campaign or from the meeting and ballots files.
    ///
    /// Quorum is strictly more than half of all votes. Joint owners vote as one block;
    /// the municipality, the state and legal entities vote all their premises with one
    /// answer. Defective ballots and ballots received after voting_ends are not counted.
    Tally {
        /// The meeting (meeting.toml); its registry path is relative to it. Without it, the campaign.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        meeting: Option<PathBuf>,
        /// The received decisions (ballots.csv); without it nobody has voted yet.
        #[arg(long, value_name = "FILE", requires = "meeting", value_parser = path_arg)]
        ballots: Option<PathBuf>,
        /// Also writes the count to a workbook (FILE.xlsx): the figures, each question and every
        /// decision with what became of it, the counting commission's working sheet.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        out: Option<PathBuf>,
    },
    /// The legal timeline of the meeting: notice, voting, protocol, appeals.
    Deadlines {
        /// The meeting (meeting.toml); without it, the campaign's, with warnings about letters
        /// sent late and owners not yet notified.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        meeting: Option<PathBuf>,
        /// The day the notice goes out (last signature or letters sent), to check its gap.
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        notice: Option<chrono::NaiveDate>,
    },
    /// Creates the campaign in the store from a meeting file and the registry it names.
    ///
    /// Refuses a store that already holds a campaign.
    Init {
        /// The meeting (meeting.toml); its registry path is relative to it.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        meeting: PathBuf,
    },
    /// Registries as people have them: import a workbook or ЕГРН extracts, check, compare.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// The campaign's meeting.
    Meeting {
        #[command(subcommand)]
        command: MeetingCommand,
    },
    /// Records one canvass fact; without --owner it applies to every owner of the premise.
    ///
    /// Outcomes: delivered (вручено под роспись), absent (не застали), refused (отказ),
    /// consent (согласие на обработку ПД), contact (контакт получен; needs --phone or
    /// --email and the owner's consent), letter (нужно заказное письмо), sent (заказное письмо
    /// отправлено; needs --date, and --tracking when the tracking number is known).
    Mark {
        /// The premise as in the registry: 12, Н-3, ММ-14.
        #[arg(value_parser = text_arg)]
        premise: String,
        /// delivered | absent | refused | consent | contact | letter | sent
        #[arg(value_parser = text_arg)]
        outcome: String,
        /// One owner of the premise, as in the registry.
        #[arg(long, value_name = "NAME", value_parser = text_arg)]
        owner: Option<String>,
        /// A note for the next visit.
        #[arg(long, value_name = "TEXT", value_parser = text_arg)]
        note: Option<String>,
        /// Phone number (with the contact outcome; only with consent).
        #[arg(long, value_name = "PHONE", value_parser = text_arg)]
        phone: Option<String>,
        /// E-mail (with the contact outcome; only with consent).
        #[arg(long, value_name = "EMAIL", value_parser = text_arg)]
        email: Option<String>,
        /// The owner signs the personal-data consent now: record it with the contact.
        #[arg(long)]
        consent: bool,
        /// The day the registered letter was sent (sent), or the day the owner signed the
        /// delivery register (delivered; today or earlier, when typed in from paper later).
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        date: Option<chrono::NaiveDate>,
        /// The letter's tracking number, ШПИ: 14 digits (with the sent outcome).
        #[arg(long, value_name = "ШПИ", value_parser = text_arg)]
        tracking: Option<String>,
    },
    /// Withdraws a fact: adds a fact that cites it (facts are never erased).
    Undo {
        /// The id of the fact (obhod status PREMISE shows them).
        #[arg(value_parser = text_arg)]
        fact: String,
        /// Why it is withdrawn.
        #[arg(long, value_name = "TEXT", value_parser = text_arg)]
        note: Option<String>,
    },
    /// Canvass progress by entrance and in total; with PREMISE, its owners and facts.
    Status {
        /// One premise to show in detail.
        #[arg(value_parser = text_arg)]
        premise: Option<String>,
    },
    /// Owners' decisions in the campaign.
    Ballots {
        #[command(subcommand)]
        command: BallotsCommand,
    },
    /// The registered-mail list: every owner not notified (or marked letter) and not yet sent a letter.
    MailList {
        /// The list to write: FILE.csv or FILE.xlsx.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        out: PathBuf,
        /// f103 (Russian Post form 103) or otpravka (the business service's order fields).
        #[arg(long, value_enum, default_value_t = MailFormatArg::F103)]
        format: MailFormatArg,
        /// Lists of at most N rows each: FILE-1, FILE-2, …
        #[arg(long, value_name = "ROWS")]
        split: Option<usize>,
        /// The mass of one letter in grams, 1 to 100 (the notice on two sheets in an envelope: 20).
        #[arg(long, value_name = "GRAMS", default_value_t = obhod_papers::mail::LETTER_GRAMS, value_parser = grams_arg)]
        mass: u32,
    },
    /// The delivery register (реестр вручения): how and when each owner was notified, with a signature column.
    Register {
        /// The register to write: FILE.docx, FILE.xlsx or FILE.csv.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        out: PathBuf,
        /// Empty method and date columns and spare rows, to carry on the canvass.
        #[arg(long)]
        blank: bool,
    },
    /// Registered letters.
    Letters {
        #[command(subcommand)]
        command: LettersCommand,
    },
    /// Different ballots of one owner recorded on different devices, each numbered with where it
    /// came from; until one is kept, the questions answered differently do not count.
    Conflicts {
        #[command(subcommand)]
        command: Option<ConflictsCommand>,
    },
    /// The group of devices that sync this campaign with each other.
    Group {
        #[command(subcommand)]
        command: GroupCommand,
    },
    /// One round of sync with every reachable peer (remembered and --peer), then exits.
    Sync {
        /// A peer to dial (HOST:PORT), besides those remembered; may be repeated.
        #[arg(long, value_name = "HOST:PORT", value_parser = address_arg)]
        peer: Vec<SocketAddr>,
    },
    /// The sync daemon: keeps the campaign in sync with the group's devices until SIGTERM or
    /// Ctrl-C, admits devices joining by invite on the organiser's device; logs to stderr.
    Syncd {
        /// Where to listen (HOST:PORT) [default: every address of this device, port 47474].
        #[arg(long, value_name = "HOST:PORT", value_parser = address_arg)]
        listen: Option<SocketAddr>,
        /// A peer to dial (HOST:PORT), besides those remembered; may be repeated.
        #[arg(long, value_name = "HOST:PORT", value_parser = address_arg)]
        peer: Vec<SocketAddr>,
        /// Neither announce this device nor look for the group's devices on the local network (mDNS).
        #[arg(long)]
        no_mdns: bool,
    },
    /// The notice of the meeting (initiator, form, dates, place, agenda, materials) as .docx or .md.
    Notice {
        #[command(flatten)]
        paper: PaperArgs,
    },
    /// The draft protocol of the meeting with every figure of the count, as .docx or .md.
    Protocol {
        #[command(flatten)]
        paper: PaperArgs,
        /// The received decisions (ballots.csv), with --meeting; without it nobody has voted yet.
        #[arg(long, value_name = "FILE", requires = "meeting", value_parser = path_arg)]
        ballots: Option<PathBuf>,
    },
    /// The notice of the results to the owners, as .docx or .md.
    Results {
        #[command(flatten)]
        paper: PaperArgs,
        /// The received decisions (ballots.csv), with --meeting; without it nobody has voted yet.
        #[arg(long, value_name = "FILE", requires = "meeting", value_parser = path_arg)]
        ballots: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Writes obhod's registry (registry.csv) from a register in a workbook or CSV with its own
    /// headers, or from ЕГРН extracts in XML (files, a folder, a ZIP); says what it mapped, filled
    /// and left out. Nothing is written on any error.
    Import {
        /// Registers (XLSX, ODS, CSV) and ЕГРН extracts (XML, a folder or a ZIP of them).
        #[arg(required = true, value_name = "SOURCE", value_parser = path_arg)]
        sources: Vec<PathBuf>,
        /// The registry to write (CSV).
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        out: PathBuf,
        /// A column whose header obhod does not know: FIELD=HEADER, e.g. owner="Ф.И.О.".
        /// Fields: premise, kind, area, entrance, floor, room, room_area, owner, owner_kind,
        /// share, joint, document, address, owner_id, ogrn, is_owner, ownership.
        #[arg(long = "map", value_name = "FIELD=HEADER", value_parser = map_arg)]
        maps: Vec<Map>,
        /// Entrances by flat number where the source has none: "1:1-40,2:41-80".
        #[arg(long, value_name = "SPEC", value_parser = entrances_arg)]
        entrances: Option<Entrances>,
    },
    /// What in a registry will cost votes or letters, line by line: shares that do not add up,
    /// premises without an owner, one name on several premises, organisations without an address
    /// or ОГРН, addresses without a postcode, missing title documents, look-alike labels, unusual
    /// areas; and the residential and non-residential areas. Exit 0 with warnings, 2 with errors.
    Check {
        /// The registry (CSV, XLSX, ODS).
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        registry: PathBuf,
    },
    /// Two registries side by side (the managing company's against ЕГРН): premises only in one,
    /// areas that differ, owners added, gone or spelt differently, shares that differ; with the
    /// votes each difference moves.
    Diff {
        /// The first registry (A).
        #[arg(value_name = "A", value_parser = path_arg)]
        a: PathBuf,
        /// The second registry (B).
        #[arg(value_name = "B", value_parser = path_arg)]
        b: PathBuf,
    },
    /// Replaces the campaign's registry with a corrected or newer one (CSV, XLSX, ODS), after
    /// showing every difference with the votes it moves and the facts and decisions it leaves
    /// without their owner (kept, counted for no one). Organiser's device only in a group; refused,
    /// with nothing written, after the end of voting and when nothing changes.
    Update {
        /// The new registry (CSV, XLSX, ODS).
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        registry: PathBuf,
    },
}

/// `--map FIELD=HEADER`.
#[derive(Debug, Clone)]
pub struct Map(pub obhod_core::registry::import::Field, pub String);

/// `--entrances 1:1-40,2:41-80`.
#[derive(Debug, Clone)]
pub struct Entrances(pub Vec<(String, u32, u32)>);

/// Why a `--map` or `--entrances` was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadSpec {
    Map,
    Entrances,
}

impl std::fmt::Display for BadSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadSpec::Map => "expected FIELD=HEADER with a field of obhod's registry",
            BadSpec::Entrances => "expected ENTRANCE:FROM-TO, …, such as 1:1-40,2:41-80",
        })
    }
}

impl std::error::Error for BadSpec {}

fn map_arg(text: &str) -> Result<Map, BadSpec> {
    let (field, header) = text.split_once('=').ok_or(BadSpec::Map)?;
    let field = obhod_core::registry::import::Field::parse(field).ok_or(BadSpec::Map)?;
    let header = header.trim().trim_matches('"');
    if header.is_empty() || obhod_core::text::forbidden(header).is_some() {
        return Err(BadSpec::Map);
    }
    Ok(Map(field, header.to_owned()))
}

fn entrances_arg(text: &str) -> Result<Entrances, BadSpec> {
    obhod_core::registry::import::parse_entrances(text).map(Entrances).ok_or(BadSpec::Entrances)
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Records a changed meeting file in the campaign, after showing what changes.
    ///
    /// Refused, with nothing written, where it would falsify what is recorded: another registry
    /// path, another building, another agenda once decisions are recorded. The deadlines and
    /// warnings follow the new dates.
    Update {
        /// The changed meeting (meeting.toml).
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        meeting: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MailFormatArg {
    F103,
    Otpravka,
}

#[derive(Debug, Subcommand)]
pub enum LettersCommand {
    /// Records every letter of a list obhod wrote (form 103, or the business service's order with a
    /// barcode column added) as sent, with the tracking numbers filled in.
    Sent {
        /// The list (CSV or XLSX) written by obhod mail-list: form 103 or the business service's order.
        #[arg(long, value_name = "FILE", value_parser = path_arg)]
        list: PathBuf,
        /// The day the letters were sent.
        #[arg(long, value_name = "DATE", value_parser = parse_date_arg)]
        date: chrono::NaiveDate,
    },
}

/// Where a paper goes and what it is drawn from.
#[derive(Debug, clap::Args)]
pub struct PaperArgs {
    /// The file to write; its extension (.docx or .md) picks the format.
    #[arg(long, value_name = "FILE", value_parser = path_arg)]
    pub out: PathBuf,
    /// The meeting (meeting.toml) and the registry it names; without it, the campaign.
    #[arg(long, value_name = "FILE", value_parser = path_arg)]
    pub meeting: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Makes this device the organiser of a new group of devices (it invites and revokes them).
    Create {
        /// The group's name, for people: "Совет дома 5".
        #[arg(long, value_name = "NAME", value_parser = text_arg)]
        name: String,
        /// This device's name in the group [default: Организатор].
        #[arg(long, value_name = "DEVICE", value_parser = text_arg)]
        device: Option<String>,
        /// Seal the group's key with a passphrase (asked twice, or OBHOD_PASSPHRASE): inviting and
        /// revoking devices then ask for it.
        #[arg(long)]
        passphrase: bool,
    },
    /// Seals the group's key on the organiser's device with a passphrase (asked twice, or
    /// OBHOD_PASSPHRASE); inviting and revoking devices then ask for it.
    Seal,
    /// The group's devices: added, last seen, revoked.
    Members,
    /// A one-time invite (QR code and text), then waits for one device to join.
    Invite {
        /// How long the invite is valid, in minutes [default: 10].
        #[arg(long, value_name = "MINUTES", value_parser = number_arg)]
        ttl: Option<usize>,
        /// Where to listen (HOST:PORT) [default: every address of this device, a free port].
        #[arg(long, value_name = "HOST:PORT", value_parser = address_arg)]
        listen: Option<SocketAddr>,
    },
    /// Joins a group by the invite's code: receives this device's certificate and the campaign.
    Join {
        /// The invite's text (OBHOD1-…).
        #[arg(value_name = "CODE", value_parser = text_arg)]
        code: String,
        /// The inviter's address (HOST:PORT), tried before the invite's own; may be repeated.
        #[arg(long, value_name = "HOST:PORT", value_parser = address_arg)]
        peer: Vec<SocketAddr>,
        /// This device's name in the group [default: Устройство].
        #[arg(long, value_name = "DEVICE", value_parser = text_arg)]
        name: Option<String>,
    },
    /// Shuts a device out (a lost phone): the others refuse it once they learn it.
    Revoke {
        /// The device's id or name (obhod group members shows them).
        #[arg(value_name = "MEMBER", value_parser = text_arg)]
        member: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCommand {
    /// Keeps one variant of an owner's differing ballots (on every device after sync).
    Resolve {
        /// The premise as in the registry.
        #[arg(value_parser = text_arg)]
        premise: String,
        /// The owner whose ballots differ, as in the registry.
        #[arg(long, value_name = "NAME", value_parser = text_arg)]
        owner: String,
        /// The number of the variant to keep, as obhod conflicts lists them.
        #[arg(long, value_name = "N", value_parser = number_arg)]
        keep: usize,
    },
}

/// HOST:PORT, a host name resolved now (its first address).
pub fn address_arg(text: &str) -> Result<SocketAddr, NotAnAddress> {
    use std::net::ToSocketAddrs;
    text.trim().to_socket_addrs().ok().and_then(|mut addrs| addrs.next()).ok_or(NotAnAddress)
}

/// Why an address argument was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnAddress;

impl std::fmt::Display for NotAnAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not an address (HOST:PORT, e.g. 192.168.1.5:47474)")
    }
}

impl std::error::Error for NotAnAddress {}

/// A letter's mass: whole grams, 1 to the heaviest letter.
fn grams_arg(text: &str) -> Result<u32, NotGrams> {
    let grams: u32 = text.trim().parse().map_err(|_| NotGrams)?;
    if (1..=obhod_papers::mail::MAX_LETTER_GRAMS).contains(&grams) { Ok(grams) } else { Err(NotGrams) }
}

/// Why a letter's mass was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotGrams;

impl std::fmt::Display for NotGrams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(obhod_papers::mail::mass_rule(Lang::En))
    }
}

impl std::error::Error for NotGrams {}

fn number_arg(text: &str) -> Result<usize, NotANumber> {
    text.trim().parse().map_err(|_| NotANumber)
}

/// Why a number argument was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

impl std::fmt::Display for NotANumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a number")
    }
}

impl std::error::Error for NotANumber {}

#[derive(Debug, Subcommand)]
pub enum BallotsCommand {
    /// Adds the ballots of a ballots.csv to the campaign (a bad file adds nothing).
    Import {
        /// The received decisions (ballots.csv).
        #[arg(value_parser = path_arg)]
        file: PathBuf,
        /// The file's one decision replaces this one (withdrawn with it; obhod ballots list shows the ids).
        #[arg(long, value_name = "ID", value_parser = text_arg)]
        replaces: Option<String>,
    },
    /// The decisions recorded, each with its id, standing and withdrawn.
    List {
        /// Only the decisions of this premise.
        #[arg(long, value_parser = text_arg)]
        premise: Option<String>,
    },
    /// Compares the same papers typed again (a ballots.csv) with the decisions recorded; writes nothing.
    Check {
        /// The second entry (ballots.csv's columns).
        #[arg(value_parser = path_arg)]
        file: PathBuf,
    },
    /// Withdraws a decision (the count follows at once; the decision stays listed as withdrawn).
    Withdraw {
        /// The id of the decision (obhod ballots list shows them).
        #[arg(value_parser = text_arg)]
        id: String,
        /// Why it is withdrawn.
        #[arg(long, value_name = "TEXT", value_parser = text_arg)]
        note: Option<String>,
    },
    /// Pre-filled decision forms, one per voter, as .docx (or .md); never a phone or an e-mail.
    Print {
        #[command(flatten)]
        paper: PaperArgs,
        /// Only the voters of this premise (may be given several times).
        #[arg(long, value_name = "PREMISE", value_parser = text_arg, action = clap::ArgAction::Append)]
        premise: Vec<String>,
    },
}

fn parse_date_arg(text: &str) -> Result<chrono::NaiveDate, NotADate> {
    obhod_core::date::parse_date(text).ok_or(NotADate)
}

/// Why a date argument was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotADate;

impl std::fmt::Display for NotADate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a date (2026-12-18 or 18.12.2026)")
    }
}

impl std::error::Error for NotADate {}

/// A text argument that says something and is safe to keep and print: an empty or blank value
/// (an unset shell variable) is refused, and so is a control character or a bidirectional
/// override (an escape sequence pasted into a note would reach every terminal that shows it).
fn text_arg(text: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    if text.trim().is_empty() {
        return Err(Blank.into());
    }
    match obhod_core::text::forbidden(text) {
        Some((_, c)) => Err(Forbidden(c).into()),
        None => Ok(text.to_string()),
    }
}

fn path_arg(text: &str) -> Result<PathBuf, Blank> {
    if text.trim().is_empty() { Err(Blank) } else { Ok(PathBuf::from(text)) }
}

/// Why a text argument was refused; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blank;

impl std::fmt::Display for Blank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value is empty")
    }
}

impl std::error::Error for Blank {}

/// A text argument holding a character no field may hold; `main` words it in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden(pub char);

impl std::fmt::Display for Forbidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "forbidden character {}", obhod_core::text::code_point(self.0))
    }
}

impl std::error::Error for Forbidden {}
