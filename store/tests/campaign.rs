//! The campaign store as a user meets it: create, mark, undo, ballots, refusals, two writers.

use std::path::{Path, PathBuf};

use obhod_core::{Act, Contact, Outcome};
use obhod_store::{Campaign, Mark, Sources, StoreError};

mod support;
use support::{fixture, sources};

fn new_campaign() -> (tempfile::TempDir, PathBuf, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let campaign = Campaign::init(&path, sources()).unwrap();
    (dir, path, campaign)
}

fn owner_mark(premise: &str, outcome: Outcome, owner: &str) -> Mark {
    Mark { owner: Some(owner.into()), ..Mark::new(premise, outcome) }
}

#[test]
fn a_mark_without_owner_notifies_every_owner_and_survives_reopening() {
    let (_dir, path, mut campaign) = new_campaign();
    let ids = campaign.mark(Mark::new("1", Outcome::Delivered)).unwrap();
    assert_eq!(ids.len(), 1);
    drop(campaign);
    let campaign = Campaign::open(&path).unwrap();
    let canvass = campaign.canvass();
    let premise = &canvass.premises[0];
    assert_eq!(premise.visits, 1);
    assert_eq!(premise.last_outcome, Some(Outcome::Delivered));
    assert!(premise.owners.iter().all(|o| o.notified), "{premise:?}");
    assert_eq!(campaign.facts().next().unwrap().id, ids[0]);
}

#[test]
fn undo_withdraws_once_and_only_marks() {
    let (_dir, path, mut campaign) = new_campaign();
    let id = campaign.mark(owner_mark("1", Outcome::Delivered, "Иванов Иван Иванович")).unwrap().remove(0);
    let undo = campaign.undo(&id.to_lowercase(), None).unwrap();
    assert!(matches!(campaign.undo(&id, None), Err(StoreError::AlreadyWithdrawn(_))));
    assert!(matches!(campaign.undo(&undo, None), Err(StoreError::WithdrawalOfWithdrawal(_))));
    assert!(matches!(campaign.undo("01JF0000000000000000000000", None), Err(StoreError::UnknownFact(_))));
    drop(campaign);
    let canvass = Campaign::open(&path).unwrap().canvass();
    assert_eq!(canvass.premises[0].visits, 0);
    assert!(!canvass.premises[0].owners[0].notified);
    assert_eq!(canvass.premises[0].history.len(), 1, "the withdrawn fact stays in the history");
}

#[test]
fn bad_marks_are_refused_and_store_nothing() {
    let (_dir, path, mut campaign) = new_campaign();
    let refusals = [
        Mark::new("99", Outcome::Delivered),
        owner_mark("1", Outcome::Delivered, "Петров Пётр Петрович"),
        Mark::new("Чердак", Outcome::Delivered),
        Mark {
            contact: Some(Contact { phone: Some("+79000000000".into()), email: None }),
            ..Mark::new("1", Outcome::Absent)
        },
        Mark::new("1", Outcome::Consent),
        owner_mark("1", Outcome::Contact, "Иванов Иван Иванович"),
    ];
    for mark in refusals {
        let error = campaign.mark(mark.clone()).unwrap_err();
        assert!(error.is_bad_input(), "{mark:?}: {error}");
    }
    drop(campaign);
    assert_eq!(Campaign::open(&path).unwrap().facts().count(), 0);
}

#[test]
fn premise_and_owner_are_found_as_people_type_them() {
    let (_dir, _path, mut campaign) = new_campaign();
    campaign.mark(Mark::new("чердак", Outcome::Absent)).unwrap();
    campaign.mark(owner_mark("1", Outcome::Refused, "  иванов  иван иванович ")).unwrap();
    let fact = campaign.facts().last().unwrap().clone();
    assert!(matches!(fact.act, Act::Mark { owner: Some(ref o), .. } if o == "Иванов Иван Иванович"));
}

#[test]
fn a_contact_is_kept_only_with_consent() {
    let (_dir, _path, mut campaign) = new_campaign();
    let phone = Contact { phone: Some("+7 900 123-45-67".into()), email: None };
    let contact = Mark {
        contact: Some(phone.clone()), ..owner_mark("1", Outcome::Contact, "Иванов Иван Иванович")
    };
    let error = campaign.mark(contact.clone()).unwrap_err();
    assert!(matches!(error, StoreError::NoConsent { .. }), "{error}");
    assert!(!error.message(obhod_core::Lang::Ru).contains("123-45-67"), "the refusal does not repeat the phone");
    let ids = campaign.mark(Mark { consent: true, ..contact.clone() }).unwrap();
    assert_eq!(ids.len(), 2, "consent and contact");
    let canvass = campaign.canvass();
    let owner = canvass.premises[0].owner("Иванов Иван Иванович").unwrap();
    assert!(owner.consent);
    let id = owner.contact.clone().expect("a contact stands");
    assert_eq!(campaign.contact(&id).unwrap(), Some(phone.clone()));
    // Withdrawing the consent hides the contact at once, and erases its values.
    campaign.undo(&ids[0], None).unwrap();
    let canvass = campaign.canvass();
    assert_eq!(canvass.premises[0].owner("Иванов Иван Иванович").unwrap().contact, None);
    assert_eq!(campaign.contact(&id).unwrap(), None);
    let which = campaign.mark(Mark { contact: Some(phone), consent: true, ..Mark::new("1", Outcome::Contact) });
    assert!(matches!(which, Err(StoreError::WhichOwner { .. })));
}

#[test]
fn init_refuses_an_existing_campaign() {
    let (_dir, path, campaign) = new_campaign();
    drop(campaign);
    assert!(matches!(Campaign::init(&path, sources()), Err(StoreError::CampaignExists { .. })));
}

#[test]
fn a_file_that_is_not_a_store_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "это не база данных\n".repeat(100)).unwrap();
    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    for path in [&text, &foreign] {
        let before = std::fs::read(path).unwrap();
        assert!(matches!(Campaign::init(path, sources()), Err(StoreError::NotAStore { .. })));
        assert!(matches!(Campaign::open(path), Err(StoreError::NotAStore { .. })));
        assert_eq!(std::fs::read(path).unwrap(), before);
    }
}

#[test]
fn a_store_from_a_newer_obhod_is_refused() {
    let (_dir, path, campaign) = new_campaign();
    drop(campaign);
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    match Campaign::open(&path) {
        Err(StoreError::NewerSchema { found: 99, supported, .. }) => assert_eq!(supported, obhod_store::SCHEMA),
        other => panic!("{:?}", other.err()),
    }
}

#[test]
fn a_missing_store_is_not_created_by_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("none.db");
    assert!(matches!(Campaign::open(&path), Err(StoreError::NoCampaign { .. })));
    assert!(!path.exists());
}

#[test]
fn two_writers_on_one_store_see_each_other() {
    let (_dir, path, mut first) = new_campaign();
    let mut second = Campaign::open(&path).unwrap();
    first.mark(Mark::new("1", Outcome::Absent)).unwrap();
    assert!(second.refresh().unwrap());
    assert_eq!(second.facts().count(), 1);
    second.mark(Mark::new("2", Outcome::Absent)).unwrap();
    first.mark(Mark::new("3", Outcome::Letter)).unwrap();
    assert_eq!(first.facts().count(), 3, "a write catches up first");
    drop((first, second));
    assert_eq!(Campaign::open(&path).unwrap().facts().count(), 3);
}

#[test]
fn compaction_keeps_every_fact() {
    let (_dir, path, mut campaign) = new_campaign();
    let mut ids = Vec::new();
    for i in 0..700 {
        let premise = ["1", "2", "3", "Полуподвал"][i % 4];
        ids.extend(campaign.mark(Mark::new(premise, Outcome::Absent)).unwrap());
    }
    drop(campaign);
    let rows = |path: &Path| -> i64 {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row("SELECT count(*) FROM change", [], |r| r.get(0)).unwrap()
    };
    assert_eq!(rows(&path), 701, "the genesis and one row per mark");
    let campaign = Campaign::open(&path).unwrap(); // compacts: over 512 rows
    assert_eq!(rows(&path), 0);
    let stored: Vec<_> = campaign.facts().map(|f| f.id.clone()).collect();
    assert_eq!(stored, ids);
    drop(campaign);
    let reopened = Campaign::open(&path).unwrap();
    assert_eq!(reopened.facts().count(), 700);
}

#[test]
fn ballots_import_once_and_refuse_a_different_second_decision() {
    let (dir, path, mut campaign) = new_campaign();
    let ballots = fixture("ballots.csv");
    let first = campaign.import_ballots("ballots.csv", &ballots).unwrap();
    assert!(first.added > 0 && first.present == 0);
    let again = campaign.import_ballots("ballots.csv", &ballots).unwrap();
    assert_eq!((again.added, again.present), (0, first.added));
    let changed = "premise,owner,1,2,3\n2,Петров Пётр Петрович,за,за,за\n3,Соколов Андрей Викторович,за,за,за\n";
    let error = campaign.import_ballots("late.csv", changed).unwrap_err();
    assert!(matches!(error, StoreError::BallotConflict { line: 2, .. }), "{error}");
    drop(campaign);
    let campaign = Campaign::open(&path).unwrap();
    assert_eq!(campaign.ballots().len(), first.added, "nothing of the refused file is stored");
    let tally = campaign.tally();
    assert_eq!(obhod_core::number::exact(&tally.participated), "275");
    drop(dir);
}

/// A write catches up with another process's changes before its own: the next refresh still
/// reports them, so that a reader (the TUI) which folds in only its own new facts shows them.
#[test]
fn refresh_reports_what_a_write_caught_up_with() {
    let (_dir, path, mut first) = new_campaign();
    let mut second = Campaign::open(&path).unwrap();
    first.mark(Mark::new("1", Outcome::Absent)).unwrap();
    second.mark(Mark::new("2", Outcome::Absent)).unwrap();
    assert!(second.refresh().unwrap(), "the first process's fact came in with the write");
    assert!(!second.refresh().unwrap(), "and is reported once");
    second.mark(Mark::new("3", Outcome::Absent)).unwrap();
    assert!(!second.refresh().unwrap(), "its own write alone is no news");
}

/// The store file deleted while a long session (the TUI) has it open: SQLite would go on writing
/// to the deleted file; the mark is refused and nothing is reported done.
#[test]
fn a_mark_into_a_deleted_store_is_refused() {
    let (_dir, path, mut campaign) = new_campaign();
    campaign.mark(Mark::new("1", Outcome::Absent)).unwrap();
    std::fs::remove_file(&path).unwrap();
    match campaign.mark(Mark::new("2", Outcome::Delivered)) {
        Err(StoreError::Vanished { path: vanished }) => assert_eq!(vanished, path),
        other => panic!("expected Vanished, got {other:?}"),
    }
    assert!(matches!(campaign.refresh(), Err(StoreError::Vanished { .. })));
    assert!(matches!(campaign.undo("01JF0000000000000000000000", None), Err(StoreError::Vanished { .. })));
    let message = campaign.mark(Mark::new("2", Outcome::Delivered)).unwrap_err().message(obhod_core::Lang::Ru);
    assert!(message.contains("НЕ записана") && message.contains("obhod.db"), "{message}");
}

#[test]
fn a_mark_into_a_replaced_store_is_refused_and_the_new_file_is_untouched() {
    let (dir, path, mut campaign) = new_campaign();
    let other = dir.path().join("other.db");
    drop(Campaign::init(&other, sources()).unwrap());
    std::fs::rename(&other, &path).unwrap();
    assert!(matches!(campaign.mark(Mark::new("1", Outcome::Delivered)), Err(StoreError::Replaced { .. })));
    assert!(matches!(campaign.refresh(), Err(StoreError::Replaced { .. })));
    assert_eq!(Campaign::open(&path).unwrap().facts().count(), 0);
}

/// A store made immutable (`chattr +i`, which binds root too) while open: SQLite's "attempt to
/// write a readonly database" becomes `ReadOnly` with the path. Where chattr is not available,
/// the mapping of SQLite's code is tested alone.
#[test]
fn a_read_only_store_is_reported_with_its_path() {
    let sqlite_readonly = StoreError::Sqlite(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY),
        None,
    ));
    let path = Path::new("/data/obhod.db");
    assert!(matches!(sqlite_readonly.at(path), StoreError::ReadOnly { path: p } if p == path));

    let (_dir, path, mut campaign) = new_campaign();
    let chattr =
        |flag: &str| std::process::Command::new("chattr").arg(flag).arg(&path).status().is_ok_and(|s| s.success());
    if !chattr("+i") {
        eprintln!("chattr +i is not available here: only the mapping was tested");
        return;
    }
    // The session that had it open goes on writing its write-ahead log, which stays writable: an
    // acknowledged mark there must be kept.
    let during = campaign.mark(Mark::new("2", Outcome::Absent));
    let opened = Campaign::open(&path).and_then(|mut c| c.mark(Mark::new("1", Outcome::Delivered)));
    chattr("-i");
    drop(campaign);
    let kept = Campaign::open(&path).unwrap().facts().map(|f| f.id.clone()).collect::<Vec<_>>();
    match during {
        Ok(ids) => assert_eq!(kept, ids),
        Err(error) => assert!(matches!(error, StoreError::ReadOnly { .. }) && kept.is_empty(), "{error:?}"),
    }
    let result = opened;
    let Err(error) = result else { panic!("a mark into an immutable store was acknowledged") };
    assert!(matches!(&error, StoreError::ReadOnly { path: p } if *p == path), "{error:?}");
    assert!(error.message(obhod_core::Lang::Ru).contains("только для чтения"));
    assert!(Campaign::open(&path).unwrap().facts().all(|f| f.premise() == Some("2")));
}

#[test]
fn a_store_path_that_is_no_store_file_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let fault = |path: &Path| match Campaign::open(path) {
        Err(StoreError::File { fault, .. }) => fault,
        other => panic!("{}: {:?}", path.display(), other.map(|c| c.id().to_string())),
    };
    assert_eq!(fault(dir.path()), obhod_store::FileFault::Directory);
    assert_eq!(fault(Path::new("/dev/zero")), obhod_store::FileFault::NotRegular);
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::os::unix::fs::symlink(&a, &b).unwrap();
    std::os::unix::fs::symlink(&b, &a).unwrap();
    assert_eq!(fault(&a), obhod_store::FileFault::Loop);
    let Err(error) = Campaign::init(&dir.path().join("a/obhod.db"), sources()) else { panic!("a store in a loop") };
    assert!(error.message(obhod_core::Lang::Ru).contains("петлю"), "{error:?}");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
    assert!(matches!(Campaign::open(&garbage), Err(StoreError::NotAStore { .. })));
}

#[test]
fn sqlite_failures_become_typed_errors_with_the_path() {
    use rusqlite::ffi;
    let path = Path::new("/data/obhod.db");
    let sqlite = |code| StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)).at(path);
    assert!(matches!(sqlite(ffi::SQLITE_CORRUPT), StoreError::Corrupt { .. }));
    assert!(matches!(sqlite(ffi::SQLITE_FULL), StoreError::DiskFull { .. }));
    assert!(matches!(sqlite(ffi::SQLITE_BUSY), StoreError::Locked { .. }));
    assert!(matches!(sqlite(ffi::SQLITE_NOTADB), StoreError::NotAStore { .. }));
    assert!(matches!(StoreError::Damaged("bad chunk".into()).at(path), StoreError::Corrupt { .. }));
    let full = sqlite(ffi::SQLITE_FULL);
    assert_eq!(
        full.message(obhod_core::Lang::Ru),
        "/data/obhod.db: на диске нет места; ничего не записано. Освободите место и повторите"
    );
    assert!(sqlite(ffi::SQLITE_BUSY).message(obhod_core::Lang::En).contains("another obhod process"));
    assert!(!full.is_bad_input(), "a full disk is the machine's failure: exit code 1");
}

/// A store whose pages were overwritten: SQLite's "database disk image is malformed" becomes
/// `Corrupt` with the path.
#[test]
fn a_store_with_damaged_pages_is_reported_corrupt() {
    use std::io::{Seek, SeekFrom, Write};
    let (_dir, path, campaign) = new_campaign();
    drop(campaign);
    let size = std::fs::metadata(&path).unwrap().len();
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start(4096)).unwrap();
    file.write_all(&vec![0x5a; (size - 4096 - 100) as usize]).unwrap();
    drop(file);
    match Campaign::open(&path) {
        Err(StoreError::Corrupt { path: corrupt, .. }) => assert_eq!(corrupt, path),
        Err(other) => panic!("expected Corrupt, got {other:?}"),
        Ok(_) => panic!("a damaged store opened"),
    }
}

/// The first page of the file's free list (pages a compaction let go, kept for the next writes)
/// and the page size, of a closed store.
fn free_page(path: &Path) -> (u64, u64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0)).unwrap();
    assert!(free > 2, "a compaction left free pages: {free}");
    let size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
    drop(conn);
    // The header's first free-list trunk page: a big-endian number at offset 32.
    let header = std::fs::read(path).unwrap();
    let trunk = u32::from_be_bytes(header[32..36].try_into().unwrap());
    (u64::from(trunk), size as u64)
}

/// A page that opening, reading and marking never touch (the free list, whose pages a later
/// write takes) overwritten in the middle of the file: before the integrity check on open, every
/// command went on as if nothing were wrong.
#[test]
fn a_damaged_page_nothing_reads_is_found_on_open_and_said_with_what_to_do() {
    use std::io::{Seek, SeekFrom, Write};
    let (_dir, path, mut campaign) = new_campaign();
    for n in 0..300 {
        let premise = ["1", "2", "3"][n % 3];
        campaign.mark(Mark::new(premise, [Outcome::Absent, Outcome::Refused][n % 2])).unwrap();
    }
    campaign.mark(Mark { note: Some("последняя".into()), ..Mark::new("1", Outcome::Absent) }).unwrap();
    campaign.compact().unwrap();
    drop(campaign);
    let (page, size) = free_page(&path);
    let pages = std::fs::metadata(&path).unwrap().len() / size;
    assert!(page > 2 && page < pages, "page {page} of {pages}: in the middle of the file");
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.seek(SeekFrom::Start((page - 1) * size)).unwrap();
    file.write_all(&vec![0xa5; size as usize]).unwrap();
    drop(file);
    let error = match Campaign::open(&path) {
        Err(error) => error,
        Ok(campaign) => panic!("a damaged store opened with {} facts", campaign.facts().count()),
    };
    assert!(matches!(&error, StoreError::Corrupt { path: p, problems } if *p == path && *problems > 0), "{error:?}");
    assert!(!error.is_bad_input(), "the machine's failure: exit code 1");
    let message = error.message(obhod_core::Lang::Ru);
    let found = format!("{}: файл кампании повреждён (проверка целостности: ", path.display());
    assert!(message.starts_with(&found), "{message}");
    assert!(
        message.contains(
            "): возьмите кампанию заново с устройства группы: на устройстве организатора obhod group invite, \
             здесь obhod --store НОВЫЙ_ФАЙЛ group join КОД; без группы верните этот файл из своей резервной копии"
        ),
        "{message}"
    );
    let english = error.message(obhod_core::Lang::En);
    assert!(english.contains("the campaign file is damaged (the integrity check: "), "{english}");
    assert_eq!(error.reason(obhod_core::Lang::Ru), message.strip_prefix(&format!("{}: ", path.display())).unwrap());
}

/// A full disk and a read-only disk often come from SQLite as a plain I/O error: the file
/// system says which it is.
#[test]
fn an_io_error_on_a_sound_disk_stays_a_database_error() {
    use rusqlite::ffi;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obhod.db");
    let io = StoreError::Sqlite(rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_IOERR), None)).at(&path);
    assert!(matches!(io, StoreError::Database { .. }), "{io:?}");
}

#[test]
fn another_process_writing_is_news_and_this_ones_own_writes_are_not() {
    let (_dir, path, mut campaign) = new_campaign();
    let mut other = Campaign::open(&path).unwrap();
    assert!(!campaign.news().unwrap(), "nothing written yet");
    campaign.mark(Mark::new("1", Outcome::Absent)).unwrap();
    assert!(!campaign.news().unwrap(), "its own write is no news to it");
    assert!(other.news().unwrap(), "another process's write is");
    assert!(other.news().unwrap(), "until it is read");
    assert!(other.refresh().unwrap());
    assert!(!other.news().unwrap());
    // Caught up by a write of its own, it is news still: the refresh reports it.
    campaign.mark(Mark::new("2", Outcome::Absent)).unwrap();
    other.mark(Mark::new("3", Outcome::Absent)).unwrap();
    assert!(other.news().unwrap());
    assert!(other.refresh().unwrap() && !other.news().unwrap());
    // The store gone is said as the refresh says it.
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(other.news(), Err(StoreError::Vanished { .. })));
}

#[test]
fn a_note_longer_than_the_limit_is_refused_by_mark_and_undo_and_nothing_is_written() {
    use obhod_store::NOTE_LIMIT;
    let (_dir, path, mut campaign) = new_campaign();
    let long = "д".repeat(NOTE_LIMIT + 1);
    let mark = Mark { note: Some(long.clone()), ..Mark::new("1", Outcome::Absent) };
    let error = campaign.mark(mark).unwrap_err();
    assert!(matches!(error, StoreError::NoteTooLong { chars: 501, limit: 500 }), "{error:?}");
    assert!(error.is_bad_input(), "the user's input: exit code 2");
    assert_eq!(
        error.message(obhod_core::Lang::Ru),
        "заметка длиннее 500 знаков (в ней 501): ничего не записано; сократите её"
    );
    assert_eq!(
        error.message(obhod_core::Lang::En),
        "the note is longer than 500 characters (it has 501): nothing recorded; shorten it"
    );
    let letters = vec![Mark { note: Some(long.clone()), ..Mark::new("2", Outcome::Absent) }];
    assert!(matches!(campaign.mark_all(letters), Err(StoreError::NoteTooLong { .. })));
    // Exactly the limit (spaces around it do not count) is taken.
    let note = format!("  {}  ", "ё".repeat(NOTE_LIMIT));
    let id = campaign.mark(Mark { note: Some(note), ..Mark::new("1", Outcome::Absent) }).unwrap().remove(0);
    assert!(matches!(campaign.undo(&id, Some(long)), Err(StoreError::NoteTooLong { chars: 501, .. })));
    drop(campaign);
    let campaign = Campaign::open(&path).unwrap();
    assert_eq!(campaign.facts().count(), 1, "only the mark within the limit");
    assert_eq!(campaign.facts().next().unwrap().note.as_ref().map(|n| n.chars().count()), Some(NOTE_LIMIT));
}

/// The ballots come back in the registry's order of premises (as their warnings are read),
/// not in the order of their labels as text (102 before 54).
#[test]
fn ballots_come_back_in_the_registrys_order() {
    let dir = tempfile::tempdir().unwrap();
    let sadovaya = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sadovaya-5");
    let read = |name: &str| std::fs::read_to_string(sadovaya.join(name)).unwrap();
    let sources = Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: read("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: read("registry.csv"),
    };
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    campaign.import_ballots("ballots.csv", &read("ballots.csv")).unwrap();
    let order: Vec<usize> = campaign.ballots().iter().map(|b| campaign.registry().find(&b.premise).unwrap()).collect();
    assert!(order.len() > 100);
    assert!(order.is_sorted(), "{order:?}");
}

/// A campaign an older obhod made from a registry this version refuses (two premises that differ
/// only by a Latin and a Cyrillic letter) opens with a message that says so, not "damaged".
#[test]
fn a_campaign_whose_stored_registry_is_now_refused_says_why() {
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT, ReadDoc};
    let (_dir, path, campaign) = new_campaign();
    drop(campaign);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let id: String = conn.query_row("SELECT id FROM campaign", [], |r| r.get(0)).unwrap();
    let mut doc = Automerge::new();
    {
        let mut rows = conn.prepare("SELECT data FROM snapshot UNION ALL SELECT data FROM change").unwrap();
        for data in rows.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap() {
            doc.load_incremental(&data.unwrap()).unwrap();
        }
    }
    let heads = doc.get_heads();
    let (_, registry) = doc.get(ROOT, "registry").unwrap().unwrap();
    let text = "premise,kind,area,owner\nH-1,nonresidential,50,ООО А\nН-1,nonresidential,50,ООО Б\n";
    doc.transact(|tx| tx.put(&registry, "text", text)).unwrap();
    for change in doc.get_changes(&heads) {
        conn.execute(
            "INSERT INTO change (campaign, hash, data) VALUES (?1, ?2, ?3)",
            rusqlite::params![id, change.hash().0.as_slice(), change.raw_bytes()],
        )
        .unwrap();
    }
    drop(conn);
    let error = Campaign::open(&path).err().expect("the stored registry is refused");
    assert!(matches!(error, StoreError::StoredFilesRefused(_)), "{error:?}");
    let message = error.message(obhod_core::Lang::Ru);
    assert!(
        message.starts_with("кампания создана из файлов, которые эта версия obhod не принимает: registry.csv:3:"),
        "{message}"
    );
}

#[test]
fn letters_of_a_list_are_recorded_in_one_write_or_not_at_all() {
    let (_dir, path, mut campaign) = new_campaign();
    let today = chrono::DateTime::parse_from_rfc3339("2026-11-26T23:59:00+06:00").unwrap();
    campaign.set_clock(std::sync::Arc::new(obhod_store::SteppingClock::new(today)));
    let letter = |d| obhod_core::Letter { date: chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap(), tracking: None };
    let tomorrow = campaign.mark_all(vec![Mark::sent("1", None, letter(26)), Mark::sent("2", None, letter(27))]);
    assert!(
        matches!(tomorrow, Err(StoreError::NotSentYet { date, .. }) if date == letter(27).date),
        "a letter is marked once it is sent: {tomorrow:?}"
    );
    let refused = campaign.mark_all(vec![Mark::sent("1", None, letter(25)), Mark::sent("99", None, letter(25))]);
    assert!(matches!(refused, Err(StoreError::UnknownPremise { ref premise }) if premise == "99"), "{refused:?}");
    assert_eq!(campaign.facts().count(), 0, "the first letter is not kept either");
    let undated = campaign.mark_all(vec![Mark::new("1", Outcome::Sent)]);
    assert!(matches!(undated, Err(StoreError::NoSendingDate)), "{undated:?}");
    let mut dated = Mark::new("1", Outcome::Delivered);
    dated.sent = Some(letter(25));
    assert!(matches!(campaign.mark(dated), Err(StoreError::LetterOnOtherOutcome)));
    let ids = campaign.mark_all(vec![Mark::sent("1", None, letter(25)), Mark::sent("2", None, letter(26))]).unwrap();
    assert_eq!(ids.len(), 2);
    drop(campaign);
    let canvass = Campaign::open(&path).unwrap().canvass();
    let sent: Vec<_> = canvass.premises[..2]
        .iter()
        .flat_map(|p| &p.owners)
        .map(|o| o.sent.as_ref().map(|l| l.date.to_string()))
        .collect();
    assert!(sent.len() > 2 && sent.iter().all(Option::is_some), "every owner of both premises: {sent:?}");
}
