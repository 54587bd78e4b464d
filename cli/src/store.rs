//! Where obhod keeps its files: the data directory `$XDG_DATA_HOME/obhod` (`~/.local/share/obhod`;
//! in Termux too) holds the default campaign store `obhod.db` and the log `obhod.log`. `--store`,
//! else `$OBHOD_STORE` (both read by clap), names another store.

use std::path::{Path, PathBuf};

pub fn path(given: Option<&Path>) -> PathBuf {
    match given {
        Some(path) => path.to_path_buf(),
        None => data_dir().join("obhod.db"),
    }
}

/// obhod's data directory.
pub fn data_dir() -> PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_default();
    data.join("obhod")
}
