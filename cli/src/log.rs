//! The log: the store's and the binary's tracing events go to `obhod.log` in the data directory,
//! never to the terminal (the TUI owns it). Past `MAX_BYTES` the log is moved to `obhod.log.1`
//! (replacing the one before) at the next start. Events carry ids, counts and kinds of failure,
//! never a name, a phone or an e-mail. The sync daemon (`obhod syncd`), which owns no screen and runs
//! for hours in a terminal or under a service manager, logs to stderr instead.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The size at which the log starts over, keeping one older file.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// Starts logging to `dir/obhod.log`; returns the path, or `None` when the file cannot be written
/// (obhod then runs without a log rather than not at all).
pub fn init(dir: &Path) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join("obhod.log");
    if path.metadata().is_ok_and(|m| m.len() > MAX_BYTES) {
        let _ = std::fs::rename(&path, dir.join("obhod.log.1"));
    }
    let file = private(OpenOptions::new().create(true).append(true)).open(&path).ok()?;
    narrow(&path);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()?;
    Some(path)
}

/// A new log file is its owner's alone: it names devices, addresses and kinds of failure.
#[cfg(unix)]
fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600)
}

#[cfg(not(unix))]
fn private(options: &mut OpenOptions) -> &mut OpenOptions {
    options
}

/// A log file made by an older obhod is narrowed to its owner too.
fn narrow(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Logs to stderr: the daemon's log, where whoever runs it looks.
pub fn to_stderr() {
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}
