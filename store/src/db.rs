//! The SQLite file: recognising an obhod store before touching it, the connection settings, and
//! the schema migrations (numbered SQL files under `store/migrations/`, each with the work SQL
//! cannot do after it, such as schema 2's rebuild of the document without contact values).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::error::StoreError;
use crate::fault::FileFault;

/// `PRAGMA application_id` of an obhod store: "obho" in ASCII.
pub const APPLICATION_ID: i32 = 0x6f62_686f;

/// Work a migration does after its SQL, in the same transaction.
type Step = fn(&Connection) -> Result<(), StoreError>;

/// One schema migration: its SQL, then the work SQL cannot do.
struct Migration {
    sql: &'static str,
    then: Option<Step>,
}

/// The migrations in order; the schema version is how many have run (`PRAGMA user_version`).
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("../migrations/0001_init.sql"), then: None },
    Migration { sql: include_str!("../migrations/0002_contacts.sql"), then: Some(crate::rebuild::without_contacts) },
    Migration { sql: include_str!("../migrations/0003_group.sql"), then: None },
    Migration { sql: include_str!("../migrations/0004_verified.sql"), then: None },
];

/// The schema version this build writes.
pub const SCHEMA: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's write transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens (and with `create`, creates) the store at `path`, refusing files that are not obhod
/// stores or come from a newer obhod, and bringing an older schema up to date.
pub fn open(path: &Path, create: bool) -> Result<Connection, StoreError> {
    let exists = match FileFault::of_path(path) {
        None => path.metadata().is_ok_and(|m| m.len() > 0),
        Some(FileFault::NotFound) => false,
        Some(fault) => return Err(StoreError::File { path: path.into(), fault }),
    };
    if !exists && !create {
        return Err(StoreError::NoCampaign { path: path.into() });
    }
    if !exists && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|error| StoreError::File { path: dir.into(), fault: FileFault::of(&error) })?;
    }
    #[cfg(unix)]
    if !exists {
        // A new store is its owner's alone (contacts live there); SQLite gives its -wal and -shm
        // files the same mode.
        use std::os::unix::fs::OpenOptionsExt;
        let _ = std::fs::OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(path);
    }
    let flags = if create {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let version = identify(&conn, path)?;
    if version > SCHEMA {
        return Err(StoreError::NewerSchema { path: path.into(), found: version, supported: SCHEMA });
    }
    if exists {
        check_pages(&conn, path)?;
    }
    // WAL lets the TUI read while the sync daemon writes; FULL makes every commit survive a
    // power cut, not only a killed process (ARCHITECTURE.md, "Durability").
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted contacts are overwritten with zeros, not only unlinked: erased means gone from the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    // Only a migration or a first device id takes the write lock: an open must not wait for the
    // sync daemon's writes.
    let has_device = || conn.query_row("SELECT EXISTS (SELECT 1 FROM device)", [], |r| r.get::<_, bool>(0));
    if version < SCHEMA || !has_device()? {
        migrate(&mut conn)?;
    }
    if version > 0 && version < SCHEMA {
        // The old document and any contact values it held are deleted: out of the WAL too.
        crate::contacts::checkpoint(&conn);
    }
    Ok(conn)
}

/// The schema version of an obhod store (0 for an empty file); refuses anything else.
fn identify(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let not_a_store = |error: rusqlite::Error| match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotAStore { path: path.into() },
        _ => StoreError::Sqlite(error),
    };
    let application_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(not_a_store)?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(not_a_store)?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(not_a_store)?;
    let empty = application_id == 0 && version == 0 && objects == 0;
    if application_id != APPLICATION_ID && !empty {
        return Err(StoreError::NotAStore { path: path.into() });
    }
    Ok(version)
}

/// Looks at every page of the file (`PRAGMA quick_check`: each b-tree page's layout, its cells and
/// overflow chains, not each index against its table), so that a damaged page is found when the
/// store is opened rather than when a write lands on it, or never, for a page nothing reads.
/// 0.3 ms for the 2.9 MB of a store of 20,000 facts (README, "Performance").
fn check_pages(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let mut check = conn.prepare("PRAGMA quick_check")?;
    let problems = check.query_map([], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    if problems.len() == 1 && problems[0] == "ok" {
        return Ok(());
    }
    // SQLite's words name pages and trees, never a value from the rows.
    tracing::error!(problems = problems.len(), first = %problems.first().map_or("", String::as_str), "store damaged");
    Err(StoreError::Corrupt { path: path.into(), problems: problems.len() })
}

/// Runs the migrations the file has not seen, all in one transaction.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < SCHEMA {
        for migration in &MIGRATIONS[version as usize..] {
            tx.execute_batch(migration.sql)?;
            if let Some(then) = migration.then {
                then(&tx)?;
            }
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", SCHEMA)?;
        tracing::info!(from = version, to = SCHEMA, "store schema migrated");
    }
    let devices: i64 = tx.query_row("SELECT count(*) FROM device", [], |r| r.get(0))?;
    if devices == 0 {
        tx.execute("INSERT INTO device (id) VALUES (?1)", [ulid::Ulid::generate().to_string()])?;
    }
    tx.commit()?;
    Ok(())
}

/// This device's id.
pub fn device(conn: &Connection) -> Result<String, StoreError> {
    Ok(conn.query_row("SELECT id FROM device LIMIT 1", [], |r| r.get(0))?)
}

#[cfg(test)]
pub mod tests_support {
    /// The first schema, to build a store as an older obhod left it.
    pub const FIRST: &str = include_str!("../migrations/0001_init.sql");
}
