//! Reading the user's files into the core's values. All file I/O of the input files is here: a
//! path is looked at before it is opened (a directory, a device such as `/dev/zero`, a loop of
//! links are named as such), and no more than `MAX_BYTES` is read.

use std::io::Read;
use std::path::{Path, PathBuf};

use obhod_core::error::decode_text;
use obhod_core::table::Notice;
use obhod_core::{Ballot, InputError, Lang, Meeting, Problem, Registry, parse_ballots};
use obhod_store::{FileFault, Sources};

use crate::failure::Failure;

/// The largest input file obhod reads: a registry of 10,000 holdings is about 1.3 MB.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A file's bytes, or why it cannot be read.
pub fn bytes(path: &Path) -> Result<Vec<u8>, Failure> {
    let fault = |fault| match fault {
        FileFault::NotFound => Failure::Input(InputError::new(&path.display().to_string(), None, Problem::NotFound)),
        fault => Failure::File { path: path.into(), fault, named_at: None },
    };
    if let Some(problem) = FileFault::of_path(path) {
        return Err(fault(problem));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| fault(FileFault::of(&error)))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(fault(FileFault::TooLarge(MAX_BYTES)));
    }
    Ok(bytes)
}

/// A registry in any format obhod reads (CSV, XLSX, ODS); how it was read (an encoding, the
/// sheet and row of its header) is said on stderr.
pub fn registry(path: &Path, lang: Lang) -> Result<Registry, Failure> {
    let (registry, notices) = Registry::read(&path.display().to_string(), &bytes(path)?[..])?;
    tell(&notices, lang);
    Ok(registry)
}

/// Says on stderr how files were read: stdout stays the command's output (and its JSON).
pub fn tell(notices: &[Notice], lang: Lang) {
    for notice in notices {
        eprintln!("obhod: {}", notice.message(lang));
    }
}

/// A meeting with the registry it names, resolved relative to the meeting file.
pub struct MeetingFiles {
    pub meeting: Meeting,
    pub registry: Registry,
}

/// A whole file as text.
pub fn text(path: &Path) -> Result<String, Failure> {
    Ok(decode_text(&path.display().to_string(), &bytes(path)?)?)
}

pub fn meeting(path: &Path) -> Result<Meeting, Failure> {
    Ok(Meeting::parse(&path.display().to_string(), &text(path)?)?)
}

/// The registry file a meeting names, relative to the meeting file; refused with the meeting's
/// line when it cannot be read.
fn registry_path(path: &Path, meeting: &Meeting) -> Result<PathBuf, Failure> {
    let registry_path: PathBuf = path.parent().unwrap_or(Path::new("")).join(&meeting.registry);
    let meeting_file = path.display().to_string();
    match FileFault::of_path(&registry_path) {
        None => Ok(registry_path),
        Some(FileFault::NotFound) => {
            let problem = Problem::RegistryNotFound(registry_path.display().to_string());
            Err(InputError::at(&meeting_file, meeting.registry_line, problem).into())
        }
        Some(fault) => {
            Err(Failure::File { path: registry_path, fault, named_at: Some((meeting_file, meeting.registry_line)) })
        }
    }
}

pub fn meeting_with_registry(path: &Path, lang: Lang) -> Result<MeetingFiles, Failure> {
    let meeting = meeting(path)?;
    let registry = registry(&registry_path(path, &meeting)?, lang)?;
    Ok(MeetingFiles { meeting, registry })
}

/// The texts a campaign is created from: the meeting and the registry it names (a workbook's
/// registry kept as CSV text). The registry is checked here, so that its errors name the file's
/// own sheet and rows.
pub fn sources(path: &Path, lang: Lang) -> Result<Sources, Failure> {
    let meeting_text = text(path)?;
    let meeting = Meeting::parse(&path.display().to_string(), &meeting_text)?;
    let registry_path = registry_path(path, &meeting)?;
    let registry_file = registry_path.display().to_string();
    let registry_bytes = bytes(&registry_path)?;
    let (_, notices) = Registry::read(&registry_file, &registry_bytes[..])?;
    tell(&notices, lang);
    let registry_text = Registry::text(&registry_file, &registry_bytes)?;
    Ok(Sources {
        meeting_file: path.display().to_string(),
        meeting_text,
        registry_file: registry_path.display().to_string(),
        registry_text,
    })
}

pub fn ballots(path: &Path, files: &MeetingFiles) -> Result<Vec<Ballot>, Failure> {
    let name = path.display().to_string();
    Ok(parse_ballots(&name, &bytes(path)?[..], &files.registry, files.meeting.questions.len())?)
}
