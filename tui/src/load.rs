//! Reading the user's files into the core's values. All file I/O of the input files is
//! here; a file that cannot be read becomes the same kind of error as a malformed one.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use obhod_core::error::decode_utf8;
use obhod_core::{Ballot, InputError, Meeting, Problem, Registry, parse_ballots};

fn open(path: &Path) -> Result<File, InputError> {
    File::open(path).map_err(|e| {
        let problem = match e.kind() {
            std::io::ErrorKind::NotFound => Problem::NotFound,
            _ => Problem::Unreadable(e.to_string()),
        };
        InputError::new(&path.display().to_string(), None, problem)
    })
}

pub fn registry(path: &Path) -> Result<Registry, InputError> {
    Registry::parse(&path.display().to_string(), open(path)?)
}

/// A meeting with the registry it names, resolved relative to the meeting file.
pub struct MeetingFiles {
    pub meeting: Meeting,
    pub registry: Registry,
}

pub fn meeting(path: &Path) -> Result<Meeting, InputError> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(&name, None, Problem::Unreadable(e.to_string())))?;
    Meeting::parse(&name, &decode_utf8(&name, bytes)?)
}

pub fn meeting_with_registry(path: &Path) -> Result<MeetingFiles, InputError> {
    let meeting = meeting(path)?;
    let registry_path: PathBuf = path.parent().unwrap_or(Path::new("")).join(&meeting.registry);
    if !registry_path.is_file() {
        let problem = Problem::RegistryNotFound(registry_path.display().to_string());
        return Err(InputError::at(&path.display().to_string(), meeting.registry_line, problem));
    }
    let registry = registry(&registry_path)?;
    Ok(MeetingFiles { meeting, registry })
}

pub fn ballots(path: &Path, files: &MeetingFiles) -> Result<Vec<Ballot>, InputError> {
    parse_ballots(&path.display().to_string(), open(path)?, &files.registry, files.meeting.questions.len())
}
