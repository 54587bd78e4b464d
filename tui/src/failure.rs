//! Why a command failed, worded for people, with its exit code: 2 for bad input or usage, 1 for
//! a failure of the machine (a disk, a damaged store).

use obhod_core::{InputError, Lang};
use obhod_store::StoreError;

#[derive(Debug)]
pub enum Failure {
    Input(InputError),
    Store(StoreError),
    /// The terminal could not be used (not a terminal, or it failed).
    Terminal(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(error: std::io::Error) -> Self {
        Failure::Terminal(error)
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
            Failure::Terminal(error) => error.to_string(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Store(error) if !error.is_bad_input() => 1,
            Failure::Terminal(_) => 1,
            _ => 2,
        }
    }
}
