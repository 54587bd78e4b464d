//! Typing on a phone: a field takes every letter at any size down to 20×5 (the keyboard open), a
//! note typed stays with its card until a mark records it or it is deleted on purpose, and a note
//! is at most 500 characters.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::Lang;

use super::{compact_snapshots, demo, facts, press, screen, snapshot_at, snapshots, standing_notes};
use crate::app::keymap::Action;
use crate::app::{App, Fit, Input, Layer};

/// The note being typed, when a note field has the keys.
fn typed(app: &App) -> Option<&str> {
    match app.top() {
        Layer::Prompt { input: Input::Note, text } => Some(text),
        _ => None,
    }
}

/// The words of a screen, its lines run together.
fn words(screen: &str) -> String {
    let lines = screen.lines().map(|line| line.trim_matches('"'));
    lines.flat_map(str::split_whitespace).collect::<Vec<_>>().join(" ")
}

#[test]
fn a_note_typed_while_the_keyboard_shrinks_the_window_keeps_every_letter() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnсоба");
    // The keyboard opens mid-word: 45×14, below the 40×20 the screens need.
    f.app.resize(45, 14);
    assert_eq!(f.app.fit(), Fit::Compact);
    // й and q would quit, ц and w open the walk list, в and d record a delivery: here all are letters.
    press(&mut f.app, "ка злой qwйцdв QЙ 12,.!?");
    assert_eq!(typed(&f.app), Some("собака злой qwйцdв QЙ 12,.!?"));
    assert!(!f.app.quit);
    assert_eq!(facts(&f.app), 0, "no letter recorded a mark");
    compact_snapshots("compact_note", &mut f.app);
    let shown = screen(&mut f.app, 45, 14);
    assert!(shown.contains("Заметка · кв. 1:") && shown.contains("собака злой qwйцdв QЙ 12,.!?▏"), "{shown}");
    assert!(shown.contains("Enter сохранить") && shown.contains("Esc назад"), "{shown}");
    // Backspace works too, and Enter keeps the note on the smallest window.
    let _ = screen(&mut f.app, 20, 5);
    f.app.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    press(&mut f.app, "\n");
    assert_eq!((f.app.top(), f.app.note()), (&Layer::Card, Some("собака злой qwйцdв QЙ 12,.!")));
    // The keyboard closes: the card again, and the mark takes the note.
    f.app.resize(40, 20);
    press(&mut f.app, "d");
    assert_eq!(standing_notes(&f.app), [Some("собака злой qwйцdв QЙ 12,.!".to_string())]);
}

#[test]
fn the_compact_prompt_of_each_field() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nt20.11");
    compact_snapshots("compact_signed", &mut f.app);
    press(&mut f.app, "\x1b");
    f.app.resize(40, 20);
    press(&mut f.app, "cy+7 900 123");
    compact_snapshots("compact_contact", &mut f.app);
    let mut f = demo(false, Lang::En);
    press(&mut f.app, "\nndog behind the door");
    compact_snapshots("compact_note_en", &mut f.app);
}

#[test]
fn a_tap_on_the_compact_prompts_keys_saves() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnзвонить");
    let _ = screen(&mut f.app, 45, 14);
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::Save).expect("Enter is a button");
    f.app.tap(rect.x, rect.y);
    assert_eq!((f.app.top(), f.app.note()), (&Layer::Card, Some("звонить")));
}

#[test]
fn on_a_small_window_the_card_opens_its_fields_and_marks_wait() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    f.app.resize(40, 14);
    press(&mut f.app, "dв");
    assert_eq!((facts(&f.app), f.app.top()), (0, &Layer::Card), "a mark waits for 40×20");
    // т is n on the Russian layout: the note opens, drawn compact.
    press(&mut f.app, "тdвq");
    assert_eq!(typed(&f.app), Some("dвq"));
    press(&mut f.app, "\x1bе");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Signed, .. }), "t/е opens the day signed");
    assert!(screen(&mut f.app, 40, 14).contains("Дата подписи (дд.мм) · кв. 1:"));
}

#[test]
fn below_the_compact_size_a_field_takes_no_letter_and_says_so() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnкод");
    let tiny = words(&screen(&mut f.app, 19, 5));
    assert!(tiny.contains("Окно меньше 20×5 (сейчас 19×5): буквы не принимаются. Ctrl-C — выход"), "{tiny}");
    press(&mut f.app, "qй12");
    assert_eq!((typed(&f.app), f.app.quit), (Some("код"), false), "q is no quit, and no letter is lost unseen");
    // Ctrl-C quits from anywhere, but a note typed and not recorded is asked about first.
    f.app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(!f.app.quit);
    assert!(words(&screen(&mut f.app, 19, 5)).contains("Заметка к кв. 1 НЕ записана"), "the question shows too");
    f.app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(f.app.quit);
}

#[test]
fn a_note_longer_than_500_characters_is_refused_whole() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnкод ");
    f.app.paste(&"я".repeat(497));
    let refused = "✗ заметка длиннее 500 знаков: не записано, вставка не добавлена";
    assert_eq!((typed(&f.app), f.app.message.as_deref()), (Some("код "), Some(refused)), "nothing cut silently");
    let shown = screen(&mut f.app, 40, 20);
    assert!(shown.contains("✗ заметка длиннее 500 знаков"), "the refusal is over the field: {shown}");
    f.app.paste(&"я".repeat(496));
    assert_eq!(typed(&f.app).map(|t| t.chars().count()), Some(500), "500 is a note");
    assert!(screen(&mut f.app, 40, 20).contains("Заметка 500/500:"), "the count near the limit");
    press(&mut f.app, "ю");
    assert_eq!(typed(&f.app).map(|t| t.chars().count()), Some(500));
    assert_eq!(f.app.message.as_deref(), Some("✗ заметка — не длиннее 500 знаков: дальше не пишется"));
    let compact = screen(&mut f.app, 45, 14);
    assert!(compact.contains("✗ заметка — не длиннее 500"), "{compact}");
    press(&mut f.app, "\n");
    f.app.resize(40, 20);
    press(&mut f.app, "a");
    let notes = standing_notes(&f.app);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].as_deref().map(|n| n.chars().count()), Some(500));
}

#[test]
fn esc_in_the_note_field_keeps_what_was_typed() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnсобака\x1b");
    assert_eq!(f.app.note(), Some("собака"));
    assert_eq!(f.app.message.as_deref(), Some("Заметка сохранена: запишется со следующей отметкой (x — удалить)"));
    // Emptied and left by Esc: nothing deleted without a key that says so.
    press(&mut f.app, "n");
    for _ in 0..6 {
        f.app.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    press(&mut f.app, "\x1b");
    assert_eq!((f.app.note(), f.app.message.as_deref()), (Some("собака"), Some("Заметка не изменена")));
    press(&mut f.app, "n и кот\n");
    assert_eq!(f.app.note(), Some("собака и кот"));
    assert_eq!(f.app.message.as_deref(), Some("Заметка изменена: запишется со следующей отметкой"));
}

#[test]
fn a_note_is_deleted_only_on_purpose() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nx");
    assert_eq!(f.app.message.as_deref(), Some("Заметки нет: удалять нечего"));
    press(&mut f.app, "nсобака\nч");
    assert_eq!((f.app.note(), f.app.message.as_deref()), (None, Some("Заметка к кв. 1 удалена")), "x/ч deletes it");
    press(&mut f.app, "nсобака\nn");
    for _ in 0..6 {
        f.app.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    press(&mut f.app, "\n");
    assert_eq!((f.app.note(), f.app.message.as_deref()), (None, Some("Заметка к кв. 1 удалена")), "an empty line");
    press(&mut f.app, "q");
    assert!(f.app.quit, "nothing left unrecorded");
}

#[test]
fn notes_wait_on_several_cards_each_for_its_own_mark() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnкод 12\n\x1bl\nnсобака\n\x1b");
    assert_eq!(f.app.notes.len(), 2, "one note per premise");
    press(&mut f.app, "q");
    let asked = "Заметки к кв. 1, кв. 2 НЕ записаны. q ещё раз — выйти без них";
    assert_eq!((f.app.quit, f.app.message.as_deref()), (false, Some(asked)));
    // Flat 1's mark takes flat 1's note only.
    press(&mut f.app, "h\na");
    assert_eq!(standing_notes(&f.app), [Some("код 12".to_string())]);
    press(&mut f.app, "\x1bl\n");
    assert!(screen(&mut f.app, 40, 20).contains("Заметка к отметке: «собака»"), "flat 2's waits on its card");
    press(&mut f.app, "\x1bq");
    let asked = "Заметка к кв. 2 НЕ записана. q ещё раз — выйти без неё";
    assert_eq!(f.app.message.as_deref(), Some(asked));
    // A note typed and not yet saved counts too.
    press(&mut f.app, "\x1b\nnзвонить");
    f.app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(!f.app.quit, "{:?}", f.app.message);
}

#[test]
fn esc_off_the_card_keeps_its_note_in_english_too() {
    let mut f = demo(false, Lang::En);
    press(&mut f.app, "\nndog\n\x1bq");
    let asked = "The note for flat 1 is NOT recorded. q again quits without it";
    assert_eq!((f.app.quit, f.app.message.as_deref()), (false, Some(asked)));
    press(&mut f.app, "\nnx\x1b");
    assert_eq!(f.app.message.as_deref(), Some("Note kept: it goes with the next mark (x deletes it)"));
    assert_eq!(f.app.note(), Some("dogx"));
    press(&mut f.app, "x");
    assert_eq!(f.app.message.as_deref(), Some("The note for flat 1 is deleted"));
    let mut f = demo(false, Lang::En);
    press(&mut f.app, "\nn");
    f.app.paste(&"a".repeat(501));
    assert_eq!(
        f.app.message.as_deref(),
        Some("✗ a note longer than 500 characters: not recorded, the paste not added")
    );
}

#[test]
fn the_card_with_a_note_kept_and_the_smallest_window_while_typing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnкод домофона 12, собака за дверью, звонить после 18:00\n\x1b\n");
    snapshots("card_note_kept", &mut f.app);
    press(&mut f.app, "nи");
    snapshot_at("too_small_typing", &mut f.app, 19, 5);
}
