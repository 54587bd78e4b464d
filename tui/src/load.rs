//! Reading the user's files into the core's values. All file I/O of the input files is
//! here; a file that cannot be read becomes the same kind of error as a malformed one.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use obhod_core::error::decode_utf8;
use obhod_core::{Ballot, InputError, Meeting, Problem, Registry, parse_ballots};
use obhod_store::Sources;

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

/// A whole file as text.
pub fn text(path: &Path) -> Result<String, InputError> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    open(path)?
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::new(&name, None, Problem::Unreadable(e.to_string())))?;
    decode_utf8(&name, bytes)
}

pub fn meeting(path: &Path) -> Result<Meeting, InputError> {
    Meeting::parse(&path.display().to_string(), &text(path)?)
}

/// The registry file a meeting names, relative to the meeting file.
fn registry_path(path: &Path, meeting: &Meeting) -> Result<PathBuf, InputError> {
    let registry_path: PathBuf = path.parent().unwrap_or(Path::new("")).join(&meeting.registry);
    if !registry_path.is_file() {
        let problem = Problem::RegistryNotFound(registry_path.display().to_string());
        return Err(InputError::at(&path.display().to_string(), meeting.registry_line, problem));
    }
    Ok(registry_path)
}

pub fn meeting_with_registry(path: &Path) -> Result<MeetingFiles, InputError> {
    let meeting = meeting(path)?;
    let registry = registry(&registry_path(path, &meeting)?)?;
    Ok(MeetingFiles { meeting, registry })
}

/// The texts a campaign is created from: the meeting and the registry it names.
pub fn sources(path: &Path) -> Result<Sources, InputError> {
    let meeting_text = text(path)?;
    let meeting = Meeting::parse(&path.display().to_string(), &meeting_text)?;
    let registry_path = registry_path(path, &meeting)?;
    let registry_text = text(&registry_path)?;
    Ok(Sources {
        meeting_file: path.display().to_string(),
        meeting_text,
        registry_file: registry_path.display().to_string(),
        registry_text,
    })
}

pub fn ballots(path: &Path, files: &MeetingFiles) -> Result<Vec<Ballot>, InputError> {
    parse_ballots(&path.display().to_string(), open(path)?, &files.registry, files.meeting.questions.len())
}
