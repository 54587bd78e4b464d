//! Why a paper was not written. Each error is worded for people by `message`; the command line
//! turns it into an exit code (bad input: 2; a failing disk: 1).

use std::path::PathBuf;

use obhod_core::{InputError, Lang, LawItem};

/// Why a paper was not written; nothing is left on disk in any case.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    /// The output file's extension is not one this paper is written in.
    #[error("{path}: unknown extension; expected {expected}")]
    UnknownFormat { path: PathBuf, expected: String },
    /// The meeting file lacks what this paper must state (`meeting.chair`, …).
    #[error("the meeting lacks {keys:?} needed for the {paper}")]
    MissingInMeeting { paper: &'static str, keys: Vec<&'static str> },
    /// Questions whose majority the law leaves to a special procedure (`manual`), with their
    /// numbers and items, while meeting.toml does not state a threshold for them.
    #[error("questions {questions:?} need an explicit threshold")]
    ManualThreshold { questions: Vec<(usize, LawItem)> },
    /// A premise asked for that the registry does not have.
    #[error("no premise {0} in the registry")]
    UnknownPremise(String),
    /// The file could not be written.
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// The meeting, the registry or a list read back lacks what the paper needs, with the file
    /// and line.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The output file is a table people keep by hand (an owners' registry, the decisions): a
    /// paper saved under its name would destroy it.
    #[error("{path}: an input table; not overwritten")]
    WouldOverwriteInput { path: PathBuf },
    /// `--split 0`.
    #[error("split of zero rows")]
    ZeroSplit,
    /// A letter's mass that is not 1 to 100 grams.
    #[error("a letter of {0} g")]
    BadMass(u32),
    /// The campaign's meeting lacks keys a mail list needs (`building.postcode`, …; with `either`,
    /// one of them is enough): what they are needed for. The keys go into meeting.toml, which the
    /// campaign records with `obhod meeting update`.
    #[error("the campaign's meeting lacks {keys:?} ({purpose})")]
    MeetingLacks { keys: Vec<&'static str>, either: bool, purpose: &'static str },
    /// The meeting's `initiator_premise` names no premise of the campaign's registry.
    #[error("initiator_premise {0}: no such premise")]
    UnknownInitiatorPremise(String),
    /// The XLSX library failed.
    #[error("{0}")]
    Render(String),
}

impl PaperError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PaperError::UnknownFormat { path, expected } => match lang {
                Lang::Ru => format!("{}: неизвестное расширение файла; нужно {expected}", path.display()),
                Lang::En => format!("{}: unknown file extension; expected {expected}", path.display()),
            },
            PaperError::MissingInMeeting { paper, keys } => {
                let keys = keys.join(", ");
                match lang {
                    Lang::Ru => format!(
                        "в описании собрания (meeting.toml) не заполнено то, без чего нельзя составить {}: {keys}; \
                         допишите и повторите",
                        paper_ru(paper)
                    ),
                    Lang::En => format!("the meeting file (meeting.toml) lacks what the {paper} must state: {keys}"),
                }
            }
            PaperError::ManualThreshold { questions } => {
                let each = questions.iter().map(|(number, item)| match lang {
                    Lang::Ru => format!("вопрос {number} ({})", item.article(lang)),
                    Lang::En => format!("question {number} ({})", item.article(lang)),
                });
                let each = each.collect::<Vec<_>>().join(", ");
                match lang {
                    Lang::Ru => format!(
                        "meeting.toml: {each}: большинство, которым принимается решение, для этого вопроса не \
                         определено; укажите его у вопроса ключом threshold, например threshold = \
                         \"all_two_thirds\" (или \"simple\", \"all_majority\", \"unanimous\"), и повторите"
                    ),
                    Lang::En => format!(
                        "meeting.toml: {each}: the majority its decision needs is not set; state \
                         it with the question's threshold key, e.g. threshold = \"all_two_thirds\" (or \"simple\", \
                         \"all_majority\", \"unanimous\"), and run again"
                    ),
                }
            }
            PaperError::UnknownPremise(premise) => match lang {
                Lang::Ru => format!("помещения «{premise}» нет в реестре"),
                Lang::En => format!("no premise «{premise}» in the registry"),
            },
            PaperError::Io { path, source } => format!("{}: {source}", path.display()),
            PaperError::Input(error) => error.message(lang),
            PaperError::WouldOverwriteInput { path } => match lang {
                Lang::Ru => format!(
                    "{}: это таблица с данными (в заголовке есть столбец «помещение»: реестр собственников или решения); \
                     obhod не пишет поверх неё, укажите другое имя файла",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: this is a data table (its header has a `premise` column: an owners' registry or the decisions); \
                     obhod does not write over it, give another file name",
                    path.display()
                ),
            },
            PaperError::ZeroSplit => {
                lang.pick("--split: нужно число строк больше нуля", "--split: a number of rows above zero").into()
            }
            PaperError::BadMass(grams) => match lang {
                Lang::Ru => format!("--mass: письмо массой {grams} г не бывает: {}", crate::mail::mass_rule(lang)),
                Lang::En => format!("--mass: there is no letter of {grams} g: {}", crate::mail::mass_rule(lang)),
            },
            PaperError::MeetingLacks { keys, either, purpose } => meeting_lacks(keys, *either, purpose, lang),
            PaperError::UnknownInitiatorPremise(label) => match lang {
                Lang::Ru => format!(
                    "в собрании кампании initiator_premise = «{label}», а такого помещения нет в реестре: исправьте его в meeting.toml \
                     и запишите в кампанию: obhod meeting update --meeting meeting.toml"
                ),
                Lang::En => format!(
                    "the campaign's meeting has initiator_premise = \"{label}\", and the registry has no such premise: correct it \
                     in meeting.toml and record it in the campaign: obhod meeting update --meeting meeting.toml"
                ),
            },
            PaperError::Render(why) => match lang {
                Lang::Ru => format!("документ не сформирован: {why}"),
                Lang::En => format!("the document could not be made: {why}"),
            },
        }
    }

    /// Whether the user can fix it by changing what they gave (exit code 2), rather than the machine.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, PaperError::Io { .. } | PaperError::Render(_))
    }
}

impl PaperError {
    /// The campaign's meeting lacks every one of `keys`.
    pub fn meeting_lacks(keys: &[&'static str], purpose: &'static str) -> PaperError {
        PaperError::MeetingLacks { keys: keys.to_vec(), either: false, purpose }
    }
}

/// The campaign's meeting lacks keys: which and what for. The command line adds how to record
/// them (the campaign keeps the meeting it was made from: into its file, then `meeting update`).
fn meeting_lacks(keys: &[&str], either: bool, purpose: &str, lang: Lang) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("«{k}»")).collect();
    let (one, joiner) = (keys.len() == 1 || either, if either { lang.pick(" или ", " or ") } else { ", " });
    let what = match purpose {
        "sender_address" => lang.pick(
            "адреса отправителя в списке ф. 103 (куда вернутся неврученные письма)",
            "the sender's address on form 103 (where undelivered letters come back to)",
        ),
        "sender" => lang.pick("отправителя в списке ф. 103", "the sender of form 103"),
        "postcode" => lang.pick("почтового адреса с индексом", "the postal address with its postcode"),
        _ => lang.pick(
            "адреса по частям в заказе сервиса «Отправка» Почты России",
            "the address in parts in the Russian Post business service's order",
        ),
    };
    match (lang, one) {
        (Lang::Ru, true) => format!("в собрании кампании нет ключа {}: он нужен для {what}", quoted.join(joiner)),
        (Lang::Ru, false) => format!("в собрании кампании нет ключей {}: они нужны для {what}", quoted.join(joiner)),
        (Lang::En, _) => format!(
            "the campaign's meeting lacks {}: needed for {what}",
            keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(joiner)
        ),
    }
}

/// The paper's name in the accusative, after «составить».
fn paper_ru(paper: &str) -> &'static str {
    match paper {
        "notice" => "сообщение о собрании",
        "protocol" => "протокол",
        "results" => "сообщение об итогах",
        _ => "бланки решений",
    }
}
