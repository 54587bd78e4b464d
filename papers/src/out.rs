//! Writing sheets and registers: the kind of file from its extension, and several files (a split
//! list) written all or none, each through a temporary file beside it renamed over the target.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::PaperError;

/// The kinds of file the mail list and the register are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
    Docx,
}

impl FileKind {
    fn extension(self) -> &'static str {
        match self {
            FileKind::Csv => "csv",
            FileKind::Xlsx => "xlsx",
            FileKind::Docx => "docx",
        }
    }

    /// The format of `path` by its extension, if it is one of `allowed`.
    pub fn of(path: &Path, allowed: &[FileKind]) -> Result<FileKind, PaperError> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
        allowed.iter().copied().find(|f| f.extension() == extension).ok_or_else(|| PaperError::UnknownFormat {
            path: path.into(),
            expected: allowed.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Writes every file or none: each into a temporary file in its directory, and only when all are
/// complete and synced, each renamed over its target.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), PaperError> {
    for (path, _) in files {
        not_an_input(path)?;
    }
    let mut ready = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        ready.push((path, complete(path, bytes).map_err(|source| PaperError::Io { path: path.clone(), source })?));
    }
    let mut done: Vec<&PathBuf> = Vec::new();
    for (path, temp) in ready {
        if let Err(error) = temp.persist(path) {
            done.iter().for_each(|p| drop(std::fs::remove_file(p)));
            return Err(PaperError::Io { path: path.clone(), source: error.error });
        }
        done.push(path);
    }
    Ok(())
}

/// Refuses a target that is a table people keep by hand: a registry of owners or the decisions,
/// whose header names a premise column (a list or register saved as `реестр.csv` over the
/// owners' `реестр.csv`). What obhod writes opens with a title or with other columns.
fn not_an_input(path: &Path) -> Result<(), PaperError> {
    let Ok(file) = std::fs::File::open(path) else { return Ok(()) };
    let mut head = Vec::new();
    if file.take(4096).read_to_end(&mut head).is_err() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&head);
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
    let mut names = header.split([';', ',', '\t']).map(|h| h.trim().trim_matches('"').trim().to_lowercase());
    match names.any(|h| h == "premise" || h == "помещение") {
        true => Err(PaperError::WouldOverwriteInput { path: path.into() }),
        false => Ok(()),
    }
}

fn complete(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".obhod-").suffix(".tmp");
    // A paper is for sharing: readable by others, as a file saved by hand would be.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder.tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// `list.xlsx` numbered: `list-1.xlsx`, `list-2.xlsx`, …
pub fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_written_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("list-1.csv");
        let bad = dir.path().join("no-such-dir").join("list-2.csv");
        let error = write_all(&[(good.clone(), b"a".to_vec()), (bad, b"b".to_vec())]).unwrap_err();
        assert!(matches!(error, PaperError::Io { .. }), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file, no first list");
    }

    #[test]
    fn a_registry_or_the_decisions_are_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let registry = dir.path().join("реестр.csv");
        std::fs::write(&registry, "\u{feff}Помещение;Тип;Площадь\n1;кв;50\n").unwrap();
        let ballots = dir.path().join("ballots.csv");
        std::fs::write(&ballots, "\"premise\",owner,1\n1,A,за\n").unwrap();
        for path in [registry, ballots] {
            let error = write_all(&[(path.clone(), b"x".to_vec())]).unwrap_err();
            assert!(matches!(&error, PaperError::WouldOverwriteInput { path: p } if *p == path), "{error}");
            assert_ne!(std::fs::read(&path).unwrap(), b"x", "untouched");
        }
        let list = dir.path().join("list.csv");
        std::fs::write(&list, "Список № ____\n№ п/п;Адресат;Помещение\n").unwrap();
        write_all(&[(list.clone(), b"x".to_vec())]).unwrap();
        assert_eq!(std::fs::read(&list).unwrap(), b"x", "a list obhod wrote is written over");
    }

    #[test]
    fn the_format_comes_from_the_extension() {
        assert_eq!(FileKind::of(Path::new("a/List.XLSX"), &[FileKind::Csv, FileKind::Xlsx]).unwrap(), FileKind::Xlsx);
        let error = FileKind::of(Path::new("list.pdf"), &[FileKind::Csv, FileKind::Xlsx]).unwrap_err();
        assert_eq!(error.message(obhod_core::Lang::Ru), "list.pdf: неизвестное расширение файла; нужно .csv, .xlsx");
        assert_eq!(numbered(Path::new("out/list.xlsx"), 2), Path::new("out/list-2.xlsx"));
    }
}
