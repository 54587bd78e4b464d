//! The store refusing as the command line meets it: a damaged file found on open by every command
//! (and by the TUI, which does not open), and a note too long for the store.

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};

mod support;
use support::Workdir;

/// Damages the first page of the store's free list, in the middle of the file: a page no command
/// reads (the next writes take it). Before the integrity check on open, every command went on.
fn damage_a_free_page(path: &Path) {
    let mut campaign = Campaign::open(path).unwrap();
    for n in 0..300 {
        campaign.mark(Mark::new(["1", "2", "3"][n % 3], Outcome::Absent)).unwrap();
    }
    campaign.compact().unwrap();
    drop(campaign);
    let conn = rusqlite::Connection::open(path).unwrap();
    let size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
    drop(conn);
    let header = std::fs::read(path).unwrap();
    let trunk = u64::from(u32::from_be_bytes(header[32..36].try_into().unwrap()));
    assert!(trunk > 2, "a free page after the compaction");
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start((trunk - 1) * size as u64)).unwrap();
    file.write_all(&vec![0xa5; size as usize]).unwrap();
}

#[test]
fn a_damaged_store_is_refused_by_status_and_the_tui_with_what_to_do() {
    let work = Workdir::with("lesnaya-7");
    let store = work.file("obhod.db");
    damage_a_free_page(&store);
    let said = format!("obhod: {}: файл кампании повреждён (проверка целостности: ", store.display());
    let what_to_do = "): возьмите кампанию заново с устройства группы: на устройстве организатора obhod group \
                      invite, здесь obhod --store НОВЫЙ_ФАЙЛ group join КОД; без группы верните этот файл из своей \
                      резервной копии. Повреждённый файл не изменён\n";
    // `status`, and `obhod` alone, which opens the TUI on the store: neither goes on.
    for args in [&["status"][..], &[]] {
        let (code, stdout, stderr) = work.run(args);
        assert_eq!(code, 1, "obhod {args:?}: {stdout}{stderr}");
        assert!(stderr.starts_with(&said) && stderr.ends_with(what_to_do), "obhod {args:?}: {stderr}");
        assert!(stdout.is_empty(), "{stdout}");
    }
    let (code, stdout, _) = work.run(&["--json", "--lang", "en", "status"]);
    assert_eq!(code, 1);
    let error: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((error["error"]["code"].as_str(), error["error"]["exit"].as_u64()), (Some("corrupt"), Some(1)));
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("the campaign file is damaged (the integrity check: "), "{message}");
    assert!(message.contains("obhod --store NEW_FILE group join CODE"), "{message}");
}

#[test]
fn a_note_longer_than_500_characters_is_refused_whole_by_mark_and_undo() {
    let work = Workdir::with("lesnaya-7");
    let long = "ж".repeat(501);
    let message = work.refused(&["mark", "1", "absent", "--note", &long]);
    assert_eq!(message, "obhod: заметка длиннее 500 знаков (в ней 501): ничего не записано; сократите её\n");
    let (code, stdout, _) = work.run(&["--json", "--lang", "en", "mark", "1", "absent", "--note", &long]);
    assert_eq!(code, 2, "{stdout}");
    let error: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(error["error"]["code"], "note_too_long");
    assert_eq!(
        error["error"]["message"],
        "the note is longer than 500 characters (it has 501): nothing recorded; shorten it"
    );
    // 500 characters are a note.
    let stdout = work.ok(&["--json", "mark", "1", "absent", "--note", &"ж".repeat(500)]);
    let recorded: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = recorded["id"].as_str().unwrap_or_else(|| panic!("{recorded}")).to_string();
    let message = work.refused(&["undo", &id, "--note", &long]);
    assert!(message.contains("заметка длиннее 500 знаков (в ней 501)"), "{message}");
}
