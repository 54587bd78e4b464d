//! Writing a paper to disk: the format from the file's extension, and the bytes written to a
//! temporary file beside the target and renamed over it, so that a failure never leaves half a
//! document where the organiser expects the whole.

use std::io::Write;
use std::path::Path;

use crate::doc::Doc;
use crate::error::PaperError;

/// The formats a paper can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Docx,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Docx => "docx",
        }
    }

    /// The format of `path` by its extension (any case), if it is one of `allowed`.
    pub fn of(path: &Path, allowed: &[Format]) -> Result<Format, PaperError> {
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_lowercase);
        allowed.iter().copied().find(|f| extension.as_deref() == Some(f.extension())).ok_or_else(|| {
            let expected = allowed.iter().map(|f| format!(".{}", f.extension())).collect::<Vec<_>>().join(", ");
            PaperError::UnknownFormat { path: path.to_owned(), expected }
        })
    }

    /// The document rendered in this format.
    pub fn render(self, doc: &Doc) -> Vec<u8> {
        match self {
            Format::Markdown => crate::markdown::render(doc).into_bytes(),
            Format::Docx => crate::docx::render(doc),
        }
    }
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file in the same directory,
/// synced, then renamed over `path`.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), PaperError> {
    let io = |source| PaperError::Io { path: path.to_owned(), source };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".obhod-").suffix(".tmp");
    // A paper is for sharing: readable by others, as a file the organiser saved by hand would be.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut temp = builder.tempfile_in(dir).map_err(io)?;
    temp.write_all(bytes).and_then(|()| temp.as_file().sync_all()).map_err(io)?;
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_extension_in_any_case() {
        let both = [Format::Markdown, Format::Docx];
        assert_eq!(Format::of(Path::new("a/Протокол.DOCX"), &both).unwrap(), Format::Docx);
        assert_eq!(Format::of(Path::new("p.md"), &both).unwrap(), Format::Markdown);
        let error = Format::of(Path::new("p.pdf"), &both).unwrap_err();
        assert!(matches!(&error, PaperError::UnknownFormat { expected, .. } if expected == ".md, .docx"), "{error:?}");
        assert!(matches!(Format::of(Path::new("p.md"), &[Format::Docx]), Err(PaperError::UnknownFormat { .. })));
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub").join("p.md");
        assert!(matches!(save(&target, b"x"), Err(PaperError::Io { .. })));
        save(&dir.path().join("p.md"), b"whole").unwrap();
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["p.md"]);
        assert_eq!(std::fs::read(dir.path().join("p.md")).unwrap(), b"whole");
    }
}
