//! Why a command failed, worded for people, with its exit code: 2 for bad input or usage, 1 for
//! a failure of the machine (a disk, a damaged store).

use std::path::PathBuf;

use obhod_core::{InputError, Lang};
use obhod_store::{FileFault, StoreError};

#[derive(Debug)]
pub enum Failure {
    Input(InputError),
    Store(StoreError),
    /// A paper that cannot be drawn up from what was given (a missing officer, an unknown premise).
    Paper(obhod_papers::PaperError),
    /// An input file that cannot be read; `named_at` is the file and line that named it.
    File {
        path: PathBuf,
        fault: FileFault,
        named_at: Option<(String, u64)>,
    },
    /// The terminal could not be used (not a terminal, or it failed).
    Terminal(std::io::Error),
    /// The TUI was ended by a signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) after restoring the terminal.
    Signal(i32),
    /// A group command refused or failed.
    Group(crate::command::group::GroupFailure),
    /// Talking to other devices failed or was refused.
    Sync(Box<obhod_syncd::SyncError>),
    /// `obhod sync` reached no peer, or one refused it: what was done, and why not more.
    SyncIncomplete {
        report: String,
        error: Box<obhod_syncd::SyncError>,
    },
    /// An invite's text that cannot be used.
    Invite(obhod_syncd::InviteError),
    /// Nobody joined before the invite expired.
    InviteUnused,
    /// `obhod ballots check` found differences: the report goes to stdout, with exit code 1.
    Differences {
        report: String,
    },
    /// A check that found errors: its whole report (text or JSON), for stdout, exit 2.
    Findings(String),
    /// A key the campaign's meeting lacks for a paper or list: the campaign keeps its own copy of
    /// meeting.toml (`file`), so the key is added there and recorded with `obhod meeting update`.
    CampaignMeeting {
        failure: Box<Failure>,
        file: String,
    },
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Terminal(error)
    }
}

impl From<obhod_syncd::SyncError> for Failure {
    fn from(error: obhod_syncd::SyncError) -> Self {
        Failure::Sync(Box::new(error))
    }
}

impl From<obhod_papers::PaperError> for Failure {
    fn from(error: obhod_papers::PaperError) -> Self {
        match error {
            obhod_papers::PaperError::Io { path, source } => {
                Failure::File { path, fault: FileFault::of_writing(&source), named_at: None }
            }
            obhod_papers::PaperError::Input(error) => Failure::Input(error),
            error => Failure::Paper(error),
        }
    }
}

impl From<InputError> for Failure {
    fn from(error: InputError) -> Self {
        Failure::Input(error)
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Input(error) => Failure::Input(error),
            error => Failure::Store(error),
        }
    }
}

impl Failure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Failure::Input(error) => error.message(lang),
            Failure::Store(error) => error.message(lang),
            Failure::Paper(error) => error.message(lang),
            Failure::CampaignMeeting { failure, file } => format!(
                "{}. {}",
                failure.message(lang),
                match lang {
                    Lang::Ru => format!(
                        "Кампания хранит своё описание собрания: допишите в {file} и запишите его в кампанию: obhod meeting update --meeting {file}"
                    ),
                    Lang::En => format!(
                        "The campaign keeps its own copy of the meeting: add it to {file} and record that in the campaign: obhod meeting update --meeting {file}"
                    ),
                }
            ),
            Failure::File { path, fault, named_at } => {
                let place = named_at.as_ref().map(|(file, line)| format!("{file}:{line}: ")).unwrap_or_default();
                format!("{place}{}: {}", path.display(), fault.message(lang))
            }
            Failure::Terminal(error) => {
                format!("{}: {error}", lang.pick("терминал недоступен", "the terminal cannot be used"))
            }
            Failure::Group(failure) => failure.message(lang),
            Failure::Sync(error) => error.message(lang),
            Failure::SyncIncomplete { report, error } if matches!(**error, obhod_syncd::SyncError::NoAddress) => {
                format!(
                    "{report}{}",
                    lang.pick(
                        "ни одно устройство группы не ответило: укажите адрес, --peer АДРЕС:ПОРТ",
                        "no device of the group answered: give an address, --peer HOST:PORT"
                    )
                )
            }
            Failure::SyncIncomplete { report, error } => format!("{report}{}", error.message(lang)),
            Failure::Invite(error) => invite_message(error, lang),
            Failure::Differences { report } => report.clone(),
            Failure::Findings(report) => report.clone(),
            Failure::InviteUnused => lang
                .pick(
                    "срок приглашения истёк, никто не присоединился; сделайте новое",
                    "the invite expired and nobody joined; make a new one",
                )
                .into(),
            Failure::Signal(signal) => {
                let name = match *signal {
                    1 => "SIGHUP",
                    2 => "SIGINT",
                    3 => "SIGQUIT",
                    15 => "SIGTERM",
                    _ => "",
                };
                format!(
                    "{} {name} ({signal}); {}",
                    lang.pick("завершено сигналом", "ended by signal"),
                    lang.pick("всё записанное сохранено", "everything recorded is kept")
                )
            }
        }
    }

    /// The failure as `--json` prints it on stdout: `{"error": {"code", "exit", "message", and
    /// "file" and "line" for a bad input}}`, beside the report of what was done before it (sync).
    pub fn json(&self, lang: Lang) -> String {
        let mut value = match self {
            Failure::SyncIncomplete { report, .. } => {
                serde_json::from_str(report).unwrap_or_else(|_| serde_json::json!({}))
            }
            _ => serde_json::json!({}),
        };
        let message = self.reason(lang);
        let mut error = serde_json::json!({ "code": self.code(), "exit": self.exit_code(), "message": message });
        let inner = match self {
            Failure::CampaignMeeting { failure, .. } => failure,
            failure => failure,
        };
        if let Failure::Input(input) = inner {
            error["file"] = input.file.clone().into();
            error["line"] = input.line.into();
            if let Some(sheet) = &input.sheet {
                error["sheet"] = sheet.clone().into();
            }
        }
        value["error"] = error;
        crate::output::json(&value)
    }

    /// The message without the report of what was done before the failure (that goes to stdout
    /// with `--json`).
    pub fn reason(&self, lang: Lang) -> String {
        let message = self.message(lang);
        match self {
            Failure::SyncIncomplete { report, .. } => message.strip_prefix(report.as_str()).unwrap_or(&message).into(),
            _ => message,
        }
    }

    /// The kind of failure in a word, for the log (never a name or personal data).
    pub fn code(&self) -> &'static str {
        match self {
            Failure::Input(_) => "input",
            Failure::Store(error) => error.code(),
            Failure::Paper(_) => "paper",
            Failure::File { .. } => "file",
            Failure::Terminal(_) => "terminal",
            Failure::Signal(_) => "signal",
            Failure::Group(failure) => failure.code(),
            Failure::Sync(_) | Failure::SyncIncomplete { .. } => "sync",
            Failure::Invite(_) => "invite",
            Failure::CampaignMeeting { failure, .. } => failure.code(),
            Failure::InviteUnused => "invite_unused",
            Failure::Differences { .. } => "differences",
            Failure::Findings(_) => "findings",
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::CampaignMeeting { failure, .. } => failure.exit_code(),
            Failure::Store(error) if !error.is_bad_input() => 1,
            Failure::Paper(error) if !error.is_bad_input() => 1,
            Failure::Terminal(_) => 1,
            Failure::Signal(signal) => u8::try_from(128 + signal).unwrap_or(1),
            Failure::File { fault: FileFault::Other(_), .. } => 1,
            Failure::Group(failure) => failure.exit_code(),
            Failure::Sync(error) if matches!(&**error, obhod_syncd::SyncError::Store(e) if e.is_bad_input()) => 2,
            Failure::Sync(_) | Failure::SyncIncomplete { .. } | Failure::InviteUnused => 1,
            Failure::Differences { .. } => 1,
            _ => 2,
        }
    }
}

fn invite_message(error: &obhod_syncd::InviteError, lang: Lang) -> String {
    use obhod_syncd::InviteError;
    let (ru, en) = match error {
        InviteError::Malformed(_) => {
            ("это не приглашение obhod (оно начинается с OBHOD1-)", "not an obhod invite (it starts with OBHOD1-)")
        }
        InviteError::Checksum => (
            "в приглашении опечатка (не сходится контрольная сумма)",
            "the invite has a typo (its checksum does not match)",
        ),
        InviteError::Expired { .. } => {
            ("срок приглашения истёк; попросите новое", "the invite expired; ask for a new one")
        }
        InviteError::BadGroup => ("в приглашении неверный id группы", "the invite names a bad group id"),
        InviteError::TooManyAddresses => {
            ("в приглашении слишком много адресов", "the invite carries too many addresses")
        }
    };
    lang.pick(ru, en).into()
}
