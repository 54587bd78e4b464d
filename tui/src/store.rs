//! Where the campaign store is: `--store`, else `$OBHOD_STORE` (both read by clap), else
//! `$XDG_DATA_HOME/obhod/obhod.db` (`~/.local/share/obhod/obhod.db`; in Termux too).

use std::path::{Path, PathBuf};

pub fn path(given: Option<&Path>) -> PathBuf {
    if let Some(path) = given {
        return path.to_path_buf();
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".local/share")))
        .unwrap_or_default();
    data.join("obhod").join("obhod.db")
}
