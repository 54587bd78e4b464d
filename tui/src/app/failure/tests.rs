//! The red line of a failing store: named, with its file, fitted to a phone, and there until the
//! store works again.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::Lang;
use obhod_store::{Campaign, StoreError};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Access, StoreFailure};
use crate::app::{App, view};

/// Where a phone keeps its store in Termux: longer than a phone's line.
const PHONE_STORE: &str = "/data/data/com.termux/files/home/.local/share/obhod/obhod.db";

fn demo() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let campaign = Campaign::init(&dir.path().join("obhod.db"), crate::demo::sources()).unwrap();
    (dir, App::new(campaign, Lang::Ru))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            c => KeyCode::Char(c),
        };
        app.key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| view::draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

fn disk_full(path: &str) -> StoreFailure {
    StoreFailure::new(&StoreError::DiskFull { path: PathBuf::from(path) }, Lang::Ru, Access::Write)
}

/// Every word of `lines` is a whole word of `text` or a word cut with «…» (a path shortened to
/// `…/name` counts as cut).
fn words_whole_or_marked(lines: &[String], text: &str) {
    let words: Vec<&str> = text.split(' ').collect();
    for line in lines {
        for word in line.split(' ') {
            assert!(words.contains(&word) || word.contains('…'), "«{word}» cut without «…» in {lines:?}");
        }
    }
}

#[test]
fn a_full_disk_on_a_phone_says_what_happened_and_the_file_in_three_lines() {
    let failure = disk_full(PHONE_STORE);
    let lines = failure.lines(Lang::Ru, 40, 3);
    assert!(lines.len() <= 3 && lines.iter().all(|l| view::cells(l) <= 40), "{lines:#?}");
    let text = lines.join(" ");
    assert!(text.starts_with("✗ на диске нет места;"), "what happened first: {text}");
    assert!(text.ends_with("— файл …/obhod.db"), "the file last, by its name: {text}");
    words_whole_or_marked(&lines, &format!("✗ {} — файл {PHONE_STORE}", failure.reason));
    // Wide enough, the whole path and every word.
    let wide = failure.lines(Lang::Ru, 100, 3).join(" ");
    assert_eq!(wide, format!("✗ {} — файл {PHONE_STORE}", failure.reason));
    assert!(wide.contains("ничего не записано. Освободите место и повторите"), "{wide}");
}

#[test]
fn a_reason_too_long_for_a_phone_ends_early_with_an_ellipsis_never_mid_word() {
    let damaged = StoreError::Corrupt { path: PHONE_STORE.into(), problems: 2 };
    let failure = StoreFailure::new(&damaged, Lang::Ru, Access::Write);
    for width in [40, 41, 47, 53, 60] {
        let lines = failure.lines(Lang::Ru, width, 3);
        assert!(lines.len() <= 3 && lines.iter().all(|l| view::cells(l) <= width), "{width}: {lines:#?}");
        let text = lines.join(" ");
        assert!(text.starts_with("✗ файл кампании повреждён"), "{width}: {text}");
        assert!(text.contains("… — файл …/obhod.db"), "{width}: cut at a word, the file kept: {text}");
        words_whole_or_marked(&lines, &format!("✗ {} — файл {PHONE_STORE}", failure.reason));
    }
}

#[test]
fn the_failure_is_worded_as_the_command_line_words_it() {
    for error in [
        StoreError::DiskFull { path: "/s/obhod.db".into() },
        StoreError::ReadOnly { path: "/s/obhod.db".into() },
        StoreError::Vanished { path: "/s/obhod.db".into() },
        StoreError::File { path: "/s/obhod.db".into(), fault: obhod_store::FileFault::Permission },
        StoreError::Corrupt { path: "/s/obhod.db".into(), problems: 0 },
    ] {
        let failure = StoreFailure::new(&error, Lang::Ru, Access::Write);
        assert_eq!(failure.message, error.message(Lang::Ru));
        assert_eq!(failure.message, format!("/s/obhod.db: {}", failure.reason), "{error:?}");
        assert_eq!(failure.file.as_deref(), Some(Path::new("/s/obhod.db")));
        assert_eq!(failure.lines(Lang::Ru, 400, 3), vec![format!("✗ {} — файл /s/obhod.db", failure.reason)]);
    }
}

#[test]
fn a_failed_write_stays_in_red_across_keys_screens_and_looks_until_a_write_works() {
    let (_dir, mut app) = demo();
    press(&mut app, "\n");
    let full = StoreError::DiskFull { path: app.campaign.path().into() };
    assert_eq!(app.refusal(full), "✗ не записано");
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("✗ на диске нет места;") && shown.contains("— файл"), "{shown}");
    // Esc, another screen, back, and the look at the store that finds it readable (a full disk
    // still reads): the line stays.
    press(&mut app, "\x1bw\x1b");
    assert!(!app.refresh(), "nothing to redraw");
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("✗ на диске нет места;"), "after Esc, a screen and a refresh: {shown}");
    // A write that works ends it.
    press(&mut app, "\na");
    assert_eq!(app.error, None);
    assert!(app.message.as_deref().is_some_and(|m| m.starts_with('✓')), "{:?}", app.message);
    assert!(!screen(&mut app, 40, 20).contains("на диске нет места"));
}

#[test]
fn a_failed_read_goes_with_the_next_read_that_works_but_not_a_failed_write() {
    let (_dir, mut app) = demo();
    let locked = StoreError::Locked { path: app.campaign.path().into() };
    assert!(app.store_failed(&locked, Access::Read));
    assert!(!app.store_failed(&locked, Access::Read), "the same failure again changes nothing");
    assert!(app.refresh(), "the store reads again: the line goes");
    assert_eq!(app.error, None);
    // A read failing while a failed write stands does not make it go with the next read.
    let full = StoreError::DiskFull { path: app.campaign.path().into() };
    app.store_failed(&full, Access::Write);
    app.store_failed(&locked, Access::Read);
    assert!(!app.refresh() || app.error.is_some());
    assert_eq!(app.error.as_ref().map(|f| f.during), Some(Access::Write));
}

#[test]
fn a_request_refused_is_a_message_not_a_failing_store() {
    let (_dir, mut app) = demo();
    let message = app.refusal(StoreError::NoContactData);
    assert!(message.starts_with('✗') && app.error.is_none(), "{message}");
    let note = app.refusal(StoreError::NoteTooLong { chars: 612, limit: 500 });
    assert_eq!(note, "✗ заметка длиннее 500 знаков (в ней 612): ничего не записано; сократите её");
    assert!(app.error.is_none());
}
