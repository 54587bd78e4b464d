//! Why a file could not be used, from the operating system's answer, worded for people: the store
//! and the command line's input files share these words.

use std::io::ErrorKind;
use std::path::Path;

use obhod_core::Lang;

/// `ELOOP` on Linux and Android: too many symbolic links (a loop).
const ELOOP: i32 = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileFault {
    NotFound,
    /// The folder a new file was to be written in does not exist.
    NoFolder,
    /// A directory where a file was expected.
    Directory,
    /// A part of the path that should be a directory is a file.
    NotADirectory,
    /// A device, a pipe or a socket (`/dev/zero`): reading it would never end or mean nothing.
    NotRegular,
    Permission,
    /// A symbolic link that leads back to itself.
    Loop,
    /// Larger than obhod reads (the limit in bytes).
    TooLarge(u64),
    ReadOnly,
    DiskFull,
    /// Anything else, as the system said it (in English).
    Other(String),
}

impl FileFault {
    /// The fault behind an I/O error.
    pub fn of(error: &std::io::Error) -> FileFault {
        if error.raw_os_error() == Some(ELOOP) {
            return FileFault::Loop;
        }
        match error.kind() {
            ErrorKind::NotFound => FileFault::NotFound,
            ErrorKind::PermissionDenied => FileFault::Permission,
            ErrorKind::IsADirectory => FileFault::Directory,
            ErrorKind::NotADirectory => FileFault::NotADirectory,
            ErrorKind::ReadOnlyFilesystem => FileFault::ReadOnly,
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => FileFault::DiskFull,
            ErrorKind::FileTooLarge => FileFault::TooLarge(0),
            _ => FileFault::Other(error.to_string()),
        }
    }

    /// The fault behind an error writing a new file: not found there means the folder is missing.
    pub fn of_writing(error: &std::io::Error) -> FileFault {
        match FileFault::of(error) {
            FileFault::NotFound => FileFault::NoFolder,
            fault => fault,
        }
    }

    /// What is wrong with `path` for reading or opening as a plain file, if anything; follows links.
    pub fn of_path(path: &Path) -> Option<FileFault> {
        match std::fs::metadata(path) {
            Err(error) => Some(FileFault::of(&error)),
            Ok(meta) if meta.is_dir() => Some(FileFault::Directory),
            Ok(meta) if !meta.is_file() => Some(FileFault::NotRegular),
            Ok(_) => None,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let t = |ru: &str, en: &str| lang.pick(ru, en).to_string();
        match self {
            FileFault::NotFound => t("файл не найден", "file not found"),
            FileFault::NoFolder => {
                t("такой папки нет; создайте её или укажите другую", "no such folder; create it or give another")
            }
            FileFault::Directory => t("это каталог, а не файл", "this is a directory, not a file"),
            FileFault::NotADirectory => {
                t("часть пути — файл, а не каталог", "a part of the path is a file, not a directory")
            }
            FileFault::NotRegular => t(
                "это не обычный файл (устройство, канал или сокет)",
                "not a regular file (a device, a pipe or a socket)",
            ),
            FileFault::Permission => t("нет прав доступа к файлу", "no permission to access the file"),
            FileFault::Loop => t("символические ссылки образуют петлю", "the symbolic links form a loop"),
            FileFault::TooLarge(0) => t("файл слишком большой", "the file is too large"),
            FileFault::TooLarge(limit) => {
                let mib = limit / (1024 * 1024);
                lang.pick(
                    &format!("файл больше {mib} МиБ; это не похоже на файл obhod"),
                    &format!("the file is larger than {mib} MiB; it does not look like an obhod file"),
                )
                .to_string()
            }
            FileFault::ReadOnly => t("файл или диск доступен только для чтения", "the file or the disk is read-only"),
            FileFault::DiskFull => t("на диске нет места", "the disk is full"),
            FileFault::Other(detail) => {
                lang.pick(&format!("ошибка системы: {detail}"), &format!("system error: {detail}")).to_string()
            }
        }
    }
}

/// A file system with less free space than this is full for the store: a write of SQLite grows
/// the WAL by whole pages, and its index by 32 KiB.
const FULL_BELOW: u64 = 64 * 1024;

/// What is wrong with the file system that holds `path`, if anything: read-only, or full. Asked
/// when SQLite reports a plain I/O error, which is how it often reports either.
#[cfg(unix)]
pub fn volume_of(path: &Path) -> Option<FileFault> {
    let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let volume = rustix::fs::statvfs(dir).ok()?;
    if volume.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY) {
        Some(FileFault::ReadOnly)
    } else if volume.f_bavail.saturating_mul(volume.f_frsize) < FULL_BELOW {
        Some(FileFault::DiskFull)
    } else {
        None
    }
}

#[cfg(not(unix))]
pub fn volume_of(_path: &Path) -> Option<FileFault> {
    None
}
