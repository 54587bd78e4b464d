//! Writing documents: each file goes to a temporary file beside its target and is renamed over
//! it, so a failure never leaves a half-written file; several files (a split list) are all
//! written or none. The format comes from the file's extension.

use std::io::Write;
use std::path::{Path, PathBuf};

use obhod_core::{InputError, Lang};

/// A file format the documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Docx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }

    /// The format of `path` by its extension, if it is one of `allowed`.
    pub fn of(path: &Path, allowed: &[Format]) -> Result<Format, PaperError> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase();
        allowed.iter().copied().find(|f| f.extension() == extension).ok_or_else(|| PaperError::Format {
            path: path.into(),
            allowed: allowed.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(", "),
        })
    }
}

/// Why a document was not written.
#[derive(Debug, thiserror::Error)]
pub enum PaperError {
    /// The meeting, the registry or a list read back lacks what the document needs.
    #[error("{0}")]
    Input(#[from] InputError),
    /// An output file whose extension names no format the document has.
    #[error("{path}: not one of {allowed}")]
    Format { path: PathBuf, allowed: String },
    /// `--split 0`.
    #[error("split of zero rows")]
    ZeroSplit,
    /// The file could not be written.
    #[error("{path}: {error}")]
    Write { path: PathBuf, error: std::io::Error },
    /// The XLSX or DOCX library failed.
    #[error("{0}")]
    Render(String),
}

impl PaperError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            PaperError::Input(error) => error.message(lang),
            PaperError::Format { path, allowed } => match lang {
                Lang::Ru => format!("{}: неизвестный формат файла; допустимы {allowed}", path.display()),
                Lang::En => format!("{}: unknown file format; allowed: {allowed}", path.display()),
            },
            PaperError::ZeroSplit => {
                lang.pick("--split: нужно число строк больше нуля", "--split: a number of rows above zero").into()
            }
            PaperError::Write { path, error } => match lang {
                Lang::Ru => format!("{}: файл не записан: {error}", path.display()),
                Lang::En => format!("{}: file not written: {error}", path.display()),
            },
            PaperError::Render(why) => match lang {
                Lang::Ru => format!("документ не сформирован: {why}"),
                Lang::En => format!("the document could not be made: {why}"),
            },
        }
    }

    /// Whether the user asked for something impossible (exit code 2) rather than the machine failing.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, PaperError::Input(_) | PaperError::Format { .. } | PaperError::ZeroSplit)
    }
}

/// Writes every file or none: each into a temporary file in its directory, and only when all are
/// complete and synced, each renamed over its target.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), PaperError> {
    let mut ready = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        ready.push((path, complete(path, bytes).map_err(|error| PaperError::Write { path: path.clone(), error })?));
    }
    let mut done: Vec<&PathBuf> = Vec::new();
    for (path, temp) in ready {
        if let Err(error) = temp.persist(path) {
            done.iter().for_each(|p| drop(std::fs::remove_file(p)));
            return Err(PaperError::Write { path: path.clone(), error: error.error });
        }
        done.push(path);
    }
    Ok(())
}

fn complete(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new().prefix(".obhod-").tempfile_in(dir)?;
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
        assert!(matches!(error, PaperError::Write { .. }), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file, no first list");
    }

    #[test]
    fn the_format_comes_from_the_extension() {
        assert_eq!(Format::of(Path::new("a/List.XLSX"), &[Format::Csv, Format::Xlsx]).unwrap(), Format::Xlsx);
        let error = Format::of(Path::new("list.pdf"), &[Format::Csv, Format::Xlsx]).unwrap_err();
        assert_eq!(error.message(Lang::Ru), "list.pdf: неизвестный формат файла; допустимы .csv, .xlsx");
        assert_eq!(numbered(Path::new("out/list.xlsx"), 2), Path::new("out/list-2.xlsx"));
    }
}
