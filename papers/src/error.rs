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

/// The paper's name in the accusative, after «составить».
fn paper_ru(paper: &str) -> &'static str {
    match paper {
        "notice" => "сообщение о собрании",
        "protocol" => "протокол",
        "results" => "сообщение об итогах",
        _ => "бланки решений",
    }
}
