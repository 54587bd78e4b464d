//! The TUI driven by keys and taps on a test backend: snapshots of every screen at a phone's
//! 40×20 and a laptop's 100×30, and the flows a canvasser goes through.

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::{Lang, Outcome};
use obhod_store::{Campaign, StoreError};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::keymap::{Action, twin};
use super::{App, Input, Layer, view};

mod ballot;
mod conflicts;
mod entry;
mod large;
mod scroll;
mod signed;

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
}

/// The evening the tests are set on: 21.11.2026, nineteen days before the demo's meeting.
const EVENING: &str = "2026-11-21T19:00:00+06:00";

/// The demo building in a fresh store; with `ballots`, its ballots imported too. The store and
/// the screen both read the time as of `EVENING`.
fn demo(ballots: bool, lang: Lang) -> Fixture {
    demo_at(ballots, lang, EVENING)
}

/// The demo building with the store's clock at `now` (RFC 3339) and the screen's day the same.
fn demo_at(ballots: bool, lang: Lang, now: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), crate::demo::sources()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(now).unwrap();
    campaign.set_clock(std::sync::Arc::new(obhod_store::SteppingClock::new(now)));
    if ballots {
        campaign.import_ballots("ballots.csv", crate::demo::ballots()).unwrap();
    }
    let mut app = App::new(campaign, lang);
    app.today = Some(now.date_naive());
    Fixture { _dir: dir, app }
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\x1b' => KeyCode::Esc,
            '\t' => KeyCode::Tab,
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

/// Snapshots of one state at both sizes; times, device ids and decision ids (which change) are
/// masked.
fn snapshots(name: &str, app: &mut App) {
    let filters = vec![
        (r"\d\d\.\d\d(\.\d{4})? \d\d:\d\d", "[time]"),
        (r"· [0-9A-Z]{4}\b", "· [dev]"),
        (r"\b[0-9A-HJKMNP-TV-Z]{26}\b", "[id]"),
    ];
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!(format!("{name}_40x20"), screen(app, 40, 20));
        insta::assert_snapshot!(format!("{name}_100x30"), screen(app, 100, 30));
    });
}

/// A snapshot of one state at one size.
fn snapshot_at(name: &str, app: &mut App, width: u16, height: u16) {
    insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen(app, width, height));
}

/// Snapshots of a field being typed into on a phone with its keyboard open, and at the least.
fn compact_snapshots(name: &str, app: &mut App) {
    insta::assert_snapshot!(format!("{name}_45x14"), screen(app, 45, 14));
    insta::assert_snapshot!(format!("{name}_20x5"), screen(app, 20, 5));
}

#[test]
fn building_view() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    press(&mut f.app, "d\x1b");
    press(&mut f.app, "lll");
    snapshots("building", &mut f.app);
}

#[test]
fn building_view_in_english() {
    let mut f = demo(false, Lang::En);
    snapshots("building_en", &mut f.app);
}

#[test]
fn other_premises_are_a_list() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "[");
    snapshots("other_premises", &mut f.app);
}

#[test]
fn flat_card_with_history() {
    let mut f = demo(false, Lang::Ru);
    // Flat 14 has two joint owners.
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    press(&mut f.app, "a");
    press(&mut f.app, "nсобака за дверью\nj");
    press(&mut f.app, "d");
    snapshots("card", &mut f.app);
}

#[test]
fn walk_list() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\na\x1bw");
    snapshots("walk", &mut f.app);
    press(&mut f.app, "f");
    assert_eq!(f.app.walk_list().len(), 1, "one door to revisit: flat 1");
}

#[test]
fn quorum_panel() {
    let mut f = demo(true, Lang::Ru);
    press(&mut f.app, "v");
    snapshots("quorum", &mut f.app);
}

#[test]
fn help_comes_from_the_keymap() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "?");
    snapshots("help", &mut f.app);
    assert!(screen(&mut f.app, 100, 30).contains("w/ц "), "both layouts");
    let mut f = demo(true, Lang::Ru);
    for (keys, layer) in [("", Layer::Building), ("\n", Layer::Card), ("w", Layer::Walk), ("v", Layer::Quorum)] {
        press(&mut f.app, &format!("{keys}?"));
        let help = screen(&mut f.app, 100, 30);
        for binding in layer.rows() {
            let row = format!("{} {}", binding.keys_text(), binding.words(Lang::Ru));
            assert!(help.contains(&row), "the help of {layer:?} lacks {row}: {help}");
        }
        press(&mut f.app, "\x1b\x1b");
        assert_eq!(*f.app.top(), Layer::Building);
    }
}

#[test]
fn a_small_screen_says_so() {
    let mut f = demo(false, Lang::Ru);
    let small = screen(&mut f.app, 39, 20);
    assert!(small.contains("40×20"), "{small}");
}

#[test]
fn one_key_records_a_fact_through_the_store() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nd");
    assert_eq!(f.app.progress.notified, 1);
    let path = f.app.campaign.path().to_path_buf();
    let reopened = Campaign::open(&path).unwrap();
    let fact = reopened.facts().next().expect("the mark is in the store");
    assert!(matches!(fact.act, obhod_core::Act::Mark { outcome: Outcome::Delivered, .. }));
    press(&mut f.app, "u");
    assert_eq!(f.app.progress.notified, 0, "undo withdraws the last fact");
}

#[test]
fn a_contact_asks_for_the_consent_first() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nc");
    assert_eq!(*f.app.top(), Layer::Confirm);
    press(&mut f.app, "n");
    assert_eq!(*f.app.top(), Layer::Card);
    assert_eq!(f.app.progress.contacts, 0);
    press(&mut f.app, "cy+7 900 111-22-33\n");
    assert_eq!((f.app.progress.consents, f.app.progress.contacts), (1, 1));
    let shown = screen(&mut f.app, 100, 30);
    assert!(!shown.contains("111-22-33"), "the phone is never on screen");
    // Now that the consent stands, a second contact goes straight to the input.
    press(&mut f.app, "c");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Contact { consent: false }, .. }));
}

#[test]
fn taps_select_cells_and_buttons() {
    let mut f = demo(false, Lang::Ru);
    let _ = screen(&mut f.app, 40, 20);
    // Row 4 of the screen is the top floor of entrance 1; its first cell starts at column 4.
    f.app.tap(5, 4);
    assert_eq!(*f.app.top(), Layer::Card);
    assert_eq!(f.app.campaign.registry().premises[f.app.cursor].label, "37");
    let _ = screen(&mut f.app, 40, 20);
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::Mark(Outcome::Absent)).unwrap();
    f.app.tap(rect.x, rect.y);
    assert_eq!(f.app.canvass.premises[f.app.cursor].visits, 0, "the second tap of a double tap records nothing");
    assert_eq!(f.app.message.as_deref(), Some("Коснитесь ещё раз, чтобы записать"));
    f.app.changed = Instant::now().checked_sub(super::TAP_GUARD);
    f.app.tap(rect.x, rect.y);
    assert_eq!(f.app.canvass.premises[f.app.cursor].visits, 1);
}

#[test]
fn a_tap_just_after_the_screen_changed_size_records_nothing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    let _ = screen(&mut f.app, 100, 30);
    f.app.changed = Instant::now().checked_sub(super::TAP_GUARD);
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::Mark(Outcome::Refused)).unwrap();
    // The phone's keyboard closes: the screen grows, and a tap aimed at the old layout arrives
    // before the new one is drawn.
    f.app.resize(40, 20);
    f.app.tap(rect.x, rect.y);
    assert_eq!(facts(&f.app), 0, "the old layout's buttons are gone");
    let _ = screen(&mut f.app, 40, 20);
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::Mark(Outcome::Refused)).unwrap();
    f.app.tap(rect.x, rect.y);
    assert_eq!(facts(&f.app), 0, "a tap within the guard after the change");
    assert_eq!(f.app.message.as_deref(), Some("Коснитесь ещё раз, чтобы записать"));
}

#[test]
fn ctrl_c_quits_even_while_typing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nn");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Note, .. }));
    f.app.key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(f.app.quit);
}

#[test]
fn another_process_writing_shows_up() {
    let mut f = demo(false, Lang::Ru);
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    other.mark(obhod_store::Mark::new("1", Outcome::Delivered)).unwrap();
    assert!(f.app.refresh());
    assert_eq!(f.app.progress.notified, 1);
}

#[test]
fn no_key_means_two_things_on_one_layer_on_either_layout() {
    let prompt = Layer::Prompt { input: Input::Note, text: String::new() };
    for layer in [Layer::Building, Layer::Card, Layer::Walk, Layer::Quorum, Layer::Help, prompt, Layer::Confirm] {
        let mut keys: Vec<KeyCode> = Vec::new();
        for (binding, key) in layer.rows().iter().flat_map(|b| b.keys.iter().map(move |&k| (b, k))) {
            keys.push(key);
            if let KeyCode::Char(c) = key
                && let Some(t) = twin(c).filter(|_| binding.twins)
            {
                keys.push(KeyCode::Char(t));
            }
        }
        for (i, key) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(key), "{layer:?}: {key:?} is bound twice");
        }
    }
}

#[test]
fn q_quits_from_every_screen_but_typing() {
    for keys in ["", "\n", "w", "v"] {
        let mut f = demo(false, Lang::Ru);
        press(&mut f.app, keys);
        press(&mut f.app, "q");
        assert!(f.app.quit, "after {keys:?}");
    }
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnq");
    assert!(!f.app.quit, "q is a letter in a note");
}

#[test]
fn a_wide_floor_scrolls_with_the_cursor() {
    let dir = tempfile::tempdir().unwrap();
    let mut registry = String::from("premise,kind,area,entrance,floor,owner\n");
    for flat in 1..=12 {
        registry.push_str(&format!("{flat},flat,30,1,1,Собственник {flat}\n"));
    }
    let mut sources = crate::demo::sources();
    sources.registry_text = registry;
    let campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    let mut app = App::new(campaign, Lang::Ru);
    assert!(!screen(&mut app, 40, 20).contains("12·"), "twelve flats do not fit 40 columns");
    press(&mut app, &"l".repeat(11));
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("12·"), "the cursor's flat is on screen: {shown}");
}

fn facts(app: &App) -> usize {
    app.campaign.facts().count()
}

fn top_is_note(app: &App) -> bool {
    matches!(app.top(), Layer::Prompt { input: Input::Note, .. })
}

#[test]
fn a_paste_goes_whole_into_the_note_and_never_reaches_the_keys() {
    let mut f = demo(false, Lang::Ru);
    // Flat 14 has two owners: `d` with «все собственники» chosen would mark both.
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    press(&mut f.app, "n");
    f.app.paste("позвонить после 18:00\nкод 12d\tu s q\r\n\x1b[A");
    assert!(top_is_note(&f.app), "still typing: {:?}", f.app.top());
    assert_eq!(facts(&f.app), 0, "nothing recorded by the paste");
    assert!(!f.app.quit);
    press(&mut f.app, "\n");
    assert_eq!(f.app.note(), Some("позвонить после 18:00 код 12d u s q   [A"));
    assert_eq!(*f.app.top(), Layer::Card);
    assert_eq!(facts(&f.app), 0, "a note waits for the next mark");
}

#[test]
fn a_paste_outside_a_field_does_nothing_but_say_so() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    f.app.paste("dddd\nq");
    assert_eq!((facts(&f.app), f.app.quit, f.app.top()), (0, false, &Layer::Card));
    assert_eq!(f.app.message.as_deref(), Some("Вставка — только в поле ввода"));
}

#[test]
fn typed_control_characters_never_enter_a_field() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnab");
    for c in ['\u{7}', '\u{1b}', '\u{0}'] {
        f.app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    f.app.key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::ALT));
    assert_eq!(*f.app.top(), Layer::Prompt { input: Input::Note, text: "ab".into() });
}

#[test]
fn bidi_overrides_never_enter_a_field() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nn");
    f.app.key(KeyEvent::new(KeyCode::Char('\u{202e}'), KeyModifiers::NONE));
    f.app.paste("a\u{202e}b\u{2066}c\u{85}");
    assert_eq!(*f.app.top(), Layer::Prompt { input: Input::Note, text: "a b c ".into() });
    // Nor are they echoed in the «key does nothing» message.
    press(&mut f.app, "\x1b");
    f.app.message = None;
    f.app.key(KeyEvent::new(KeyCode::Char('\u{202e}'), KeyModifiers::NONE));
    assert_eq!(f.app.message, None);
}

#[test]
fn alt_or_ctrl_with_a_letter_records_nothing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    for modifiers in [KeyModifiers::ALT, KeyModifiers::CONTROL] {
        f.app.key(KeyEvent::new(KeyCode::Char('d'), modifiers));
    }
    assert_eq!(facts(&f.app), 0);
}

#[test]
fn below_the_minimum_size_no_mark_and_no_move_is_taken() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    let small = screen(&mut f.app, 40, 15);
    assert!(small.contains("Окно мало") && small.contains("n — заметка"), "{small}");
    press(&mut f.app, "dвaj\x1bw");
    f.app.paste("text");
    for (x, y) in [(0, 14), (2, 13), (5, 3), (1, 1)] {
        f.app.tap(x, y);
    }
    assert_eq!((facts(&f.app), f.app.top()), (0, &Layer::Card), "nothing acted");
    assert_eq!((f.app.owner, f.app.message.as_deref()), (0, None));
    // The keyboard closes (a resize): keys act again.
    f.app.size = Some((40, 20));
    press(&mut f.app, "d");
    assert_eq!(facts(&f.app), 1);
    f.app.size = Some((30, 20));
    press(&mut f.app, "q");
    assert!(f.app.quit, "quit acts on a small screen");
}

#[test]
fn every_hotkey_works_on_its_russian_twin() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nв");
    assert_eq!(f.app.progress.notified, 1, "в is d");
    press(&mut f.app, "г");
    assert_eq!(f.app.progress.notified, 0, "г is u");
    press(&mut f.app, ",");
    assert_eq!(*f.app.top(), Layer::Help, ", is ? (Shift with the / key)");
    let help = screen(&mut f.app, 100, 30);
    for keys in ["d/в", "a/ф", "r/к", "s/ы", "c/с", "p/з", "n/т", "u/г", "q/й"] {
        assert!(help.contains(keys), "{keys} in the help: {help}");
    }
    press(&mut f.app, "\x1bй");
    assert!(f.app.quit, "й is q");
}

#[test]
fn an_unbound_letter_says_that_it_does_nothing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nж");
    assert_eq!(f.app.message.as_deref(), Some("Клавиша «ж» здесь ничего не делает; все клавиши — ?"));
    assert_eq!(facts(&f.app), 0);
}

#[test]
fn a_capital_letter_records_nothing_and_points_to_caps_lock() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    for key in ["D", "В", "U", "Г"] {
        press(&mut f.app, key);
        let words = format!("«{key}» — заглавная: выключите Caps Lock; клавиши — строчные буквы");
        assert_eq!((facts(&f.app), f.app.message.as_deref()), (0, Some(words.as_str())));
    }
    press(&mut f.app, "Ж");
    assert_eq!(f.app.message.as_deref(), Some("Клавиша «Ж» здесь ничего не делает; все клавиши — ?"));
}

#[test]
fn the_consent_question_reads_the_same_on_both_layouts() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nc");
    assert_eq!(*f.app.top(), Layer::Confirm);
    press(&mut f.app, "l");
    assert_eq!(*f.app.top(), Layer::Confirm, "l (on the д key) is not yes");
    press(&mut f.app, "н");
    assert_eq!(*f.app.top(), Layer::Card, "н (нет, on the y key) is no, never yes");
    press(&mut f.app, "cт");
    assert_eq!(*f.app.top(), Layer::Card, "т (on the n key) is no");
    assert_eq!(f.app.progress.consents, 0);
    press(&mut f.app, "cд");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Contact { consent: true }, .. }), "д (да) is yes");
    press(&mut f.app, "\x1bcy");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Contact { consent: true }, .. }), "y is yes");
    press(&mut f.app, "\x1bc\n");
    assert!(matches!(f.app.top(), Layer::Prompt { .. }), "Enter is yes");
}

#[test]
fn esc_returns_to_where_you_came_from() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "w\n?");
    let layers = [Layer::Building, Layer::Walk, Layer::Card, Layer::Help];
    assert_eq!(f.app.layers, layers);
    press(&mut f.app, "\x1b");
    assert_eq!(*f.app.top(), Layer::Card);
    press(&mut f.app, "\x1b");
    assert_eq!(*f.app.top(), Layer::Walk);
    press(&mut f.app, "v\n\x1b");
    assert_eq!(f.app.layers, [Layer::Building, Layer::Walk], "v is not a key of the walk list");
}

#[test]
fn a_prompt_is_drawn_over_its_card() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    press(&mut f.app, "jnзвонить");
    let shown = screen(&mut f.app, 40, 20);
    assert!(shown.contains("квартира 14") && shown.contains("▸ "), "the flat and the owner: {shown}");
    assert!(shown.contains("Заметка: звонить"), "{shown}");
}

#[test]
fn taps_under_an_overlay_do_nothing() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "?");
    let _ = screen(&mut f.app, 40, 20);
    f.app.tap(5, 3);
    assert_eq!(*f.app.top(), Layer::Help, "the cell under the help is not opened");
    press(&mut f.app, "\x1b\nn");
    let _ = screen(&mut f.app, 40, 20);
    assert!(f.app.hits.iter().all(|(_, a)| !matches!(a, Action::Mark(_) | Action::SelectOwner(_))));
}

#[test]
fn a_wide_character_in_a_note_keeps_its_neighbours() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnСобака 🐕 звонить\n");
    let typing = screen(&mut f.app, 40, 20);
    assert!(typing.contains("Заметка к отметке: «Собака 🐕 звонить»"), "{typing}");
    press(&mut f.app, "a\x1bw");
    let walk = screen(&mut f.app, 40, 20);
    assert!(walk.contains("«Собака 🐕 звон"), "{walk}");
    press(&mut f.app, "\x1b\n");
    insta::assert_snapshot!("card_wide_note_40x20", screen(&mut f.app, 40, 20).replace(char::is_numeric, "0"));
}

#[test]
fn a_failing_store_is_shown_in_red_until_it_works_again() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    let damaged = StoreError::Damaged("a page of the document cannot be read".into());
    let words = damaged.message(Lang::Ru);
    let message = f.app.refusal(damaged);
    assert_eq!(message, "✗ не записано", "the reason is on the red line, not twice");
    assert_eq!(f.app.error.as_ref().map(|e| e.message.as_str()), Some(words.as_str()));
    press(&mut f.app, "j\x1bj");
    let shown = screen(&mut f.app, 100, 30);
    assert!(shown.contains(&format!("✗ {}", words.chars().take(30).collect::<String>())), "still shown: {shown}");
    snapshots("store_error", &mut f.app);
    assert!(!f.app.refresh() && f.app.error.is_some(), "a failed write stays while the store only reads");
    press(&mut f.app, "\na");
    assert_eq!(f.app.error, None, "the store writes again: the line goes");
    // A refused request (not a failing machine) is only a message.
    let message = f.app.refusal(StoreError::NoContactData);
    assert!(message.starts_with('✗') && f.app.error.is_none(), "{message}");
}

#[test]
fn a_note_with_a_phone_is_refused_with_its_reason_which_stays_on_screen() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nn");
    press(&mut f.app, "тел 8 913 123-45-67\na");
    assert!(f.app.campaign.facts().next().is_none(), "nothing recorded");
    let message = f.app.message.clone().unwrap_or_default();
    assert!(message.starts_with("✗ в заметке телефон или e-mail"), "the reason, not only «не записано»: {message}");
    assert!(f.app.error.is_none(), "a refused request is not a failing store");
    assert!(!f.app.refresh() && f.app.message.as_deref() == Some(message.as_str()), "the next tick keeps the reason");
}

#[test]
fn quitting_with_a_note_waiting_for_a_mark_asks_first_and_keeps_it() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnзвонить вечером\nq");
    assert!(!f.app.quit, "the first q only says what would be lost");
    let asked = "Заметка к кв. 1 НЕ записана. q ещё раз — выйти без неё";
    assert_eq!((f.app.message.as_deref(), f.app.caution), (Some(asked), true));
    assert_eq!(f.app.note(), Some("звонить вечером"), "the first q drops nothing");
    // Any other key in between, and the next q asks again; the note still stands for a mark.
    press(&mut f.app, "jq");
    assert!(!f.app.quit);
    press(&mut f.app, "a");
    assert_eq!(standing_notes(&f.app), [Some("звонить вечером".to_string())], "the mark took the note");
    press(&mut f.app, "q");
    assert!(f.app.quit, "nothing left to lose: q quits at once");
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnзвонить\nqq");
    assert!(f.app.quit, "the second q quits");
    assert!(f.app.campaign.facts().next().is_none(), "and nothing was recorded");
}

/// The notes of the facts standing in the store, oldest first.
fn standing_notes(app: &App) -> Vec<Option<String>> {
    let canvass = app.campaign.canvass();
    canvass.facts.iter().filter(|f| canvass.is_standing(f)).map(|f| f.note.clone()).collect()
}

#[test]
fn a_store_whose_file_vanished_acknowledges_no_mark() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\n");
    std::fs::remove_file(f.app.campaign.path()).unwrap();
    press(&mut f.app, "d");
    let shown = screen(&mut f.app, 40, 20);
    assert!(!shown.contains("✓ вручено"), "no ✓ without a kept fact: {shown}");
    let error = f.app.error.clone().expect("the store's error is kept on screen");
    assert_eq!(shown.matches(&error.reason.chars().take(20).collect::<String>()).count(), 1, "once: {shown}");
    assert!(shown.contains("✗ не записано"), "{shown}");
    press(&mut f.app, "j\x1b");
    assert_eq!(f.app.error, Some(error), "the next key does not hide it");
}

#[test]
fn a_store_whose_file_was_replaced_is_reported_by_the_refresh() {
    let mut f = demo(false, Lang::Ru);
    let path = f.app.campaign.path().to_path_buf();
    let other = path.with_file_name("other.db");
    drop(Campaign::init(&other, crate::demo::sources()).unwrap());
    std::fs::rename(&other, &path).unwrap();
    assert!(f.app.refresh());
    assert!(f.app.error.is_some(), "a failed refresh shows its error");
    let shown = screen(&mut f.app, 100, 30);
    assert!(shown.contains("✗"), "{shown}");
}

#[test]
fn widths_are_terminal_cells() {
    use super::view::{cells, head, pad_left, tail};
    assert_eq!(cells("Собака 🐕"), 9);
    assert_eq!((head("абв🐕где", 6), head("абв", 3), head("абвгд", 4)), ("абв🐕…".into(), "абв".into(), "абв…".into()));
    assert_eq!(pad_left("🐕", 4), "  🐕");
    assert_eq!(tail("абв🐕где", 5), "🐕где");
    assert_eq!(tail("абв🐕где", 4), "где");
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nn");
    press(&mut f.app, &"🐕".repeat(30));
    let typing = screen(&mut f.app, 40, 20);
    // A dog takes two cells: 15 after «Заметка: » fill 39 of 40, the 16th goes to the next line.
    let dogs = "🐕".repeat(15);
    assert!(typing.contains(&format!("\"Заметка: {dogs} \"")) && typing.contains(&format!("\"{dogs}▏")), "{typing}");
}

/// Flat 14 (two owners), the second owner chosen.
fn card_of_14(lang: Lang) -> Fixture {
    let mut f = demo(false, lang);
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    press(&mut f.app, "jj");
    f
}

#[test]
fn help_over_each_screen() {
    let mut f = card_of_14(Lang::Ru);
    press(&mut f.app, "?");
    snapshots("help_card", &mut f.app);
    let mut f = card_of_14(Lang::En);
    press(&mut f.app, "?");
    snapshots("help_card_en", &mut f.app);
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "w?");
    snapshots("help_walk", &mut f.app);
    let mut f = demo(true, Lang::Ru);
    press(&mut f.app, "v?");
    snapshots("help_quorum", &mut f.app);
}

#[test]
fn prompts_over_the_card() {
    let mut f = card_of_14(Lang::Ru);
    press(&mut f.app, "nзвонить после 18:00");
    snapshots("note_prompt", &mut f.app);
    let mut f = card_of_14(Lang::Ru);
    press(&mut f.app, "c");
    snapshots("consent_question", &mut f.app);
    press(&mut f.app, "y+7 900");
    snapshots("contact_prompt", &mut f.app);
    let mut f = card_of_14(Lang::En);
    press(&mut f.app, "c");
    snapshots("consent_question_en", &mut f.app);
}

#[test]
fn the_too_small_screen() {
    let mut f = card_of_14(Lang::Ru);
    insta::assert_snapshot!("too_small_40x15", screen(&mut f.app, 40, 15));
    insta::assert_snapshot!("too_small_39x20", screen(&mut f.app, 39, 20));
    let mut f = card_of_14(Lang::En);
    insta::assert_snapshot!("too_small_en_30x10", screen(&mut f.app, 30, 10));
}

#[test]
fn the_layout_table_pairs_every_key() {
    let pairs = [('q', 'й'), ('[', 'х'), (']', 'ъ'), ('a', 'ф'), (';', 'ж'), ('\'', 'э'), ('m', 'ь'), ('/', '.')];
    for (latin, russian) in pairs {
        assert_eq!(twin(latin), Some(russian), "{latin}");
    }
    assert_eq!(
        (twin('`'), twin('~'), twin('?'), twin('Q'), twin('>')),
        (Some('ё'), Some('Ё'), Some(','), Some('Й'), Some('Ю'))
    );
    assert_eq!((twin('1'), twin('й')), (None, None), "the number row and Russian letters have no twin");
}

#[path = "../../tests/support/newer_fact.rs"]
mod newer_fact;

#[test]
fn the_header_counts_facts_from_a_newer_obhod() {
    let mut f = demo(false, Lang::Ru);
    assert!(!screen(&mut f.app, 40, 20).contains("новой версии"));
    newer_fact::add_fact_from_a_newer_obhod(f.app.campaign.path());
    assert!(f.app.refresh());
    snapshots("header_newer_facts", &mut f.app);
    assert!(screen(&mut f.app, 100, 30).contains("⚠ 1 факт от более новой версии obhod: обновите obhod"));
}

/// The guide's building where the shop's company also owns the attic: its one ballot carries both.
fn carried_quorum(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let fixture = |name: &str| {
        std::fs::read_to_string(format!("{}/../fixtures/guide-example/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let registry = fixture("registry.csv")
        .replace("Чердак,nonresidential,100,,,,,,,,,,", "Чердак,nonresidential,100,,,,,ООО «Магазин у дома»,legal,,,,");
    let sources = obhod_store::Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: fixture("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: registry,
    };
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    campaign.import_ballots("ballots.csv", &fixture("ballots.csv")).unwrap();
    let mut app = App::new(campaign, lang);
    app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    Fixture { _dir: dir, app }
}

#[test]
fn the_quorum_panel_says_when_quorum_rests_on_premises_carried_by_their_owner() {
    let mut f = carried_quorum(Lang::Ru);
    press(&mut f.app, "v");
    snapshots("quorum_carried", &mut f.app);
    let shown = screen(&mut f.app, 40, 20);
    for needle in ["(62,50 %)", "Свои решения*: 275,00 (45,83 %)", "⚠ без помещений* кворума НЕТ", "1✓*"]
    {
        assert!(shown.contains(needle), "missing {needle:?}:\n{shown}");
    }
    let mut en = carried_quorum(Lang::En);
    press(&mut en.app, "v");
    assert!(screen(&mut en.app, 40, 20).contains("⚠ without the premises* NO quorum"));
}

#[test]
fn the_quorum_panel_gives_the_strict_reading_and_where_it_decides_otherwise() {
    let mut f = carried_quorum(Lang::Ru);
    press(&mut f.app, "v");
    let phone = screen(&mut f.app, 40, 20);
    for needle in [
        "Строго**: 275,00 из 600,00 (45,83 %)",
        "  кворума нет: 1✗ 2✗ 3✗",
        "⚠ строго иначе: кворума нет",
        "⚠ строго иначе: не приняты 1, 2",
        "** как *, и ничьи в общем числе голосов",
    ] {
        assert!(phone.contains(needle), "missing {needle:?}:\n{phone}");
    }
    let laptop = screen(&mut f.app, 100, 30).replace("\"\n\"  ", " ").replace("\"\n\"", " ");
    let laptop = laptop.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(laptop.contains("⚠ Вопрос 2: при строгом прочтении — НЕ ПРИНЯТО (нет кворума), за 250,00 (41,67 %); в основном подсчёте — ПРИНЯТО."), "{laptop}");
    let mut en = carried_quorum(Lang::En);
    press(&mut en.app, "v");
    let phone = screen(&mut en.app, 40, 20);
    assert!(phone.contains("⚠ strict differs: 1, 2 not adopted"), "{phone}");
    // Where the strict reading agrees, no warning: the demo's verdicts are the same either way.
    let mut f = demo(true, Lang::Ru);
    press(&mut f.app, "v");
    let shown = screen(&mut f.app, 40, 20);
    assert!(shown.contains("Строго**: 5336,18 из 8883,80 (60,07 %)") && !shown.contains("⚠"), "{shown}");
}

#[test]
fn a_contact_on_a_premise_without_owners_says_so_and_asks_nothing() {
    for (lang, words) in [
        (Lang::Ru, "✗ у помещения «Н-6» нет зарегистрированных собственников"),
        (Lang::En, "✗ premise «Н-6» has no registered owner"),
    ] {
        let mut f = demo(false, lang);
        f.app.update(Action::Select(f.app.campaign.registry().find("Н-6").unwrap()));
        for keys in ["c", "с", "s"] {
            press(&mut f.app, keys);
            assert_eq!(f.app.message.as_deref(), Some(words), "{keys}");
            assert_eq!(f.app.top(), &Layer::Card, "no consent question, no prompt");
        }
        assert!(f.app.campaign.canvass().facts.is_empty());
        // On a phone's 40 columns the reason is read to its end, on two lines.
        let shown = screen(&mut f.app, 40, 20).replace('"', "").split_whitespace().collect::<Vec<_>>().join(" ");
        let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(shown.contains(&words), "{shown}");
    }
}

#[test]
fn a_consent_for_every_owner_asks_to_choose_one_in_the_apps_words() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    for keys in ["s", "ы", "c"] {
        press(&mut f.app, keys);
        assert_eq!(f.app.message.as_deref(), Some("Выберите собственника (↑↓)"), "{keys}");
        assert_eq!(*f.app.top(), Layer::Card);
    }
    assert_eq!(facts(&f.app), 0);
}

#[test]
fn below_the_minimum_size_q_quits_from_the_help_and_is_a_letter_in_a_field() {
    for q in ["q", "й"] {
        let mut f = demo(false, Lang::Ru);
        press(&mut f.app, "\n?");
        let small = screen(&mut f.app, 40, 15);
        assert!(small.contains("q — выход"), "{small}");
        press(&mut f.app, q);
        assert!(f.app.quit, "the help, then {q}");
        let mut f = demo(false, Lang::Ru);
        press(&mut f.app, "\nn");
        let _ = screen(&mut f.app, 40, 15);
        press(&mut f.app, &format!("{q}{q}"));
        assert!(!f.app.quit, "{q} is a letter while a note is typed");
        assert_eq!(*f.app.top(), Layer::Prompt { input: Input::Note, text: format!("{q}{q}") });
        assert_eq!(facts(&f.app), 0);
    }
}

/// The demo building on a device of a group: one phone connected and synced, one never seen since
/// it joined, two facts recorded after the last sync.
fn in_a_group(lang: Lang) -> Fixture {
    let mut f = demo(false, lang);
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap();
    let campaign = &mut f.app.campaign;
    campaign.set_clock(std::sync::Arc::new(obhod_store::SteppingClock::new(start)));
    campaign
        .set_membership(&obhod_store::Membership {
            group: "G".into(),
            group_name: "Совет дома 5".into(),
            device_name: "Ноутбук".into(),
            member_pem: String::new(),
            ca_pem: None,
        })
        .unwrap();
    campaign.peer_seen("PHONE-A", "Телефон Анны", Some("192.168.1.20:7469")).unwrap();
    campaign.peer_connected("PHONE-A", true).unwrap();
    campaign.peer_synced("PHONE-A").unwrap();
    campaign.peer_seen("PHONE-B", "Телефон Бориса", None).unwrap();
    campaign.mark(obhod_store::Mark::new("1", Outcome::Absent)).unwrap();
    campaign.mark(obhod_store::Mark::new("2", Outcome::Absent)).unwrap();
    f.app.reload();
    f
}

#[test]
fn the_devices_screen_shows_who_is_connected_and_what_is_not_sent() {
    let mut f = in_a_group(Lang::Ru);
    let sync = f.app.sync.clone().expect("the device is in a group");
    assert_eq!((sync.connected(), sync.not_sent), (1, 2));
    press(&mut f.app, "g");
    assert_eq!(f.app.top(), &Layer::Devices);
    snapshots("devices", &mut f.app);
    press(&mut f.app, "\x1b");
    assert_eq!(f.app.top(), &Layer::Building);
    press(&mut f.app, "п");
    assert_eq!(f.app.top(), &Layer::Devices, "the Russian twin of g opens it too");
    let mut f = in_a_group(Lang::En);
    press(&mut f.app, "g");
    snapshots("devices_en", &mut f.app);
}

#[test]
fn outside_a_group_the_devices_screen_says_how_to_start_one() {
    let mut f = demo(false, Lang::Ru);
    assert_eq!(f.app.sync, None);
    press(&mut f.app, "g");
    snapshots("devices_no_group", &mut f.app);
}

#[test]
fn a_sync_by_the_daemon_shows_up_at_the_next_refresh() {
    let mut f = in_a_group(Lang::Ru);
    let mut daemon = Campaign::open(f.app.campaign.path()).unwrap();
    daemon.peer_connected("PHONE-B", true).unwrap();
    assert!(f.app.refresh(), "a connection noted beside the document changes the screen");
    assert_eq!(f.app.sync.as_ref().unwrap().connected(), 2);
    daemon.peer_synced("PHONE-B").unwrap();
    assert!(f.app.refresh());
    assert_eq!(f.app.sync.as_ref().unwrap().not_sent, 0);
    assert!(!f.app.refresh(), "nothing new, nothing to redraw");
}

#[test]
fn the_header_counts_the_days_to_the_notice_deadline_and_the_letters_to_send() {
    let mut f = demo(false, Lang::Ru);
    let wide = screen(&mut f.app, 120, 30);
    assert!(wide.contains("писем к отправке 284"), "one letter per addressee (292 owners' rows): {wide}");
    assert!(wide.contains("до D − 10: 9 дней"), "D = 10.12.2026, so D − 10 = 30.11.2026: {wide}");
    f.app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    assert!(screen(&mut f.app, 120, 30).contains("до D − 10: 1 день"));
    f.app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert!(screen(&mut f.app, 120, 30).contains("D − 10 сегодня"));
    f.app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    assert!(screen(&mut f.app, 120, 30).contains("D − 10 прошёл 2 дня назад"));
    let before = screen(&mut f.app, 40, 20);
    assert!(before.contains("срок 30.11 прошёл"), "{before}");
    let letters = f.app.progress.letters;
    let owner = f.app.campaign.registry().premises[f.app.cursor].owners()[0].name.clone();
    let label = f.app.campaign.registry().premises[f.app.cursor].label.clone();
    let letter = obhod_core::Letter { date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), tracking: None };
    f.app.campaign.mark(obhod_store::Mark::sent(&label, Some(&owner), letter)).unwrap();
    f.app.reload();
    assert_eq!(f.app.progress.letters, letters - 1, "a letter sent is no longer to send");
    assert!(screen(&mut f.app, 120, 30).contains(&format!("писем к отправке {}", letters - 1)));
}

#[test]
fn u_withdraws_only_a_mark_of_this_device() {
    let dir = tempfile::tempdir().unwrap();
    let mut here = Campaign::init(&dir.path().join("here.db"), crate::demo::sources()).unwrap();
    let mut phone = here.replica_to(&dir.path().join("phone.db")).unwrap();
    here.mark(obhod_store::Mark::new("1", Outcome::Absent)).unwrap();
    // Later, another pair's phone records the signature, and the two sync.
    phone.mark(obhod_store::Mark::new("1", Outcome::Delivered)).unwrap();
    conflicts::sync(&mut here, &mut phone);
    let mut app = App::new(here, Lang::Ru);
    app.update(Action::Select(app.campaign.registry().find("1").unwrap()));
    press(&mut app, "u");
    assert_eq!(app.message.as_deref(), Some("Отменено: не застали — все"));
    app.recorded = None;
    press(&mut app, "u");
    assert_eq!(app.message.as_deref(), Some("Здесь нет отметок этого устройства; чужую отменяет obhod undo НОМЕР"));
    let canvass = app.campaign.canvass();
    let standing: Vec<Outcome> = canvass
        .facts
        .iter()
        .filter(|f| canvass.is_standing(f))
        .filter_map(|f| match f.act {
            obhod_core::Act::Mark { outcome, .. } => Some(outcome),
            _ => None,
        })
        .collect();
    assert_eq!(standing, [Outcome::Delivered], "the other pair's signature stands");
    assert!(app.canvass.premises[app.cursor].owners[0].notified);
}

#[test]
fn a_mark_or_undo_repeated_at_once_is_not_taken() {
    let mut f = demo(false, Lang::Ru);
    let repeat = "Повтор не записан: если он нужен, нажмите ещё раз через секунду";
    // A key held down: the terminal repeats it many times a second.
    press(&mut f.app, "\ndddd");
    assert_eq!((facts(&f.app), f.app.message.as_deref()), (1, Some(repeat)));
    press(&mut f.app, "aa");
    assert_eq!(facts(&f.app), 2, "another outcome is another mark");
    // A double tap on «отменить» withdraws one mark, not two.
    press(&mut f.app, "uu");
    assert_eq!((facts(&f.app), f.app.message.as_deref()), (3, Some(repeat)));
    let earlier = Instant::now().checked_sub(super::REPEAT_GUARD);
    f.app.recorded = f.app.recorded.map(|(premise, owner, action, _)| (premise, owner, action, earlier.unwrap()));
    press(&mut f.app, "u");
    assert_eq!(facts(&f.app), 4, "a second later the repeat is meant");
    // On a flat of several owners, the same key for the next owner is no repeat.
    press(&mut f.app, "\x1b");
    f.app.update(Action::Select(f.app.campaign.registry().find("9").unwrap()));
    press(&mut f.app, "jdjd");
    assert_eq!(facts(&f.app), 6, "{:?}", f.app.message);
}

/// Moves the last mark or undo asked for `by` into the past, as if that time had passed.
fn age(app: &mut App, by: std::time::Duration) {
    app.recorded =
        app.recorded.map(|(premise, owner, action, at)| (premise, owner, action, at.checked_sub(by).unwrap()));
}

#[test]
fn a_key_held_longer_than_the_guard_still_records_once() {
    let mut f = demo(false, Lang::Ru);
    let repeat = "Повтор не записан: если он нужен, нажмите ещё раз через секунду";
    press(&mut f.app, "\nda");
    press(&mut f.app, "u");
    assert_eq!(facts(&f.app), 3, "the absent withdrawn");
    // The key stays down: its repeats come every 30 ms or so, for well over a second in all.
    for _ in 0..40 {
        age(&mut f.app, std::time::Duration::from_millis(30));
        press(&mut f.app, "u");
        assert_eq!((facts(&f.app), f.app.message.as_deref()), (3, Some(repeat)), "one undo, however long held");
    }
    age(&mut f.app, super::REPEAT_GUARD);
    press(&mut f.app, "u");
    assert_eq!(facts(&f.app), 4, "released for a second, pressed again: meant");
}

/// The standing marks of a premise: outcome and owner.
fn standing(app: &App, premise: &str) -> Vec<(Outcome, Option<String>)> {
    let canvass = app.campaign.canvass();
    let index = app.campaign.registry().find(premise).unwrap();
    let marks = canvass.premises[index].history.iter().map(|&i| &canvass.facts[i]).filter(|f| canvass.is_standing(f));
    marks
        .filter_map(|f| match &f.act {
            obhod_core::Act::Mark { outcome, owner, .. } => Some((*outcome, owner.clone())),
            obhod_core::Act::Withdraw { .. } => None,
        })
        .collect()
}

#[test]
fn u_withdraws_the_mark_of_the_owner_chosen_not_another_owners() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("8").unwrap()));
    let first = f.app.canvass.premises[f.app.cursor].owners[0].owner.name.clone();
    let second = f.app.canvass.premises[f.app.cursor].owners[1].owner.name.clone();
    press(&mut f.app, "jdja");
    // The first owner's signature was the mistake: back to that owner, and undo.
    press(&mut f.app, "ku");
    assert_eq!(f.app.message.as_deref(), Some(format!("Отменено: вручено под роспись — {first}").as_str()));
    assert_eq!(standing(&f.app, "8"), [(Outcome::Absent, Some(second.clone()))], "the other owner's mark stands");
    age(&mut f.app, super::REPEAT_GUARD);
    press(&mut f.app, "u");
    let nothing = "У этого собственника нечего отменять (отметку для всех — при выборе «все»)";
    assert_eq!(f.app.message.as_deref(), Some(nothing));
    assert_eq!(standing(&f.app, "8").len(), 1);
    // A mark for every owner is withdrawn with every owner chosen.
    press(&mut f.app, "kd");
    press(&mut f.app, "ju");
    assert_eq!(f.app.message.as_deref(), Some(nothing), "not by the key pressed on one owner");
    press(&mut f.app, "ku");
    assert_eq!(f.app.message.as_deref(), Some("Отменено: вручено под роспись — все"));
    assert_eq!(standing(&f.app, "8"), [(Outcome::Absent, Some(second))]);
}

#[test]
fn the_header_keeps_the_deadline_and_leaves_out_whole_fields_only() {
    let mut f = in_a_group(Lang::Ru);
    for width in [40, 60, 80, 90, 100, 200] {
        let shown = screen(&mut f.app, width, 24);
        let header: Vec<&str> = shown.lines().skip(1).take(2).map(|l| l.trim_matches('"').trim_end()).collect();
        let header = header.join("\n");
        assert!(header.contains("срок 30.11: 9 дн.") || header.contains("до D − 10: 9 дней"), "{width}: {header}");
        // Each field whole or not at all: a number is never cut off its words.
        for field in super::view::header::fields(&f.app) {
            let (words, short) = (header.contains(&field.words), header.contains(&field.short));
            let cut = field.short.split(' ').next().is_some_and(|start| header.contains(start)) && !words && !short;
            assert!(!cut, "{width}: {} cut in {header}", field.short);
        }
    }
    let phone = screen(&mut f.app, 40, 20);
    assert!(phone.contains("✓0/292 (0,00 %) · срок 30.11: 9 дн."), "{phone}");
    assert!(phone.contains("⇄1 ↑2 19:00 · писем к отправке 284"), "{phone}");
    f.app.lang = Lang::En;
    let phone = screen(&mut f.app, 40, 20);
    assert!(phone.contains("due 30.11: 9 d."), "{phone}");
}

#[test]
fn every_short_form_of_the_header_is_explained_in_the_help() {
    let mut f = in_a_group(Lang::Ru);
    let phone = screen(&mut f.app, 40, 20);
    press(&mut f.app, "?");
    let help = screen(&mut f.app, 200, 80);
    assert!(help.contains("Обозначения"), "{help}");
    for field in super::view::header::fields(&f.app) {
        let start: Vec<&str> = field.meaning.split(' ').take(3).collect();
        let row = format!("{} — {}", field.short, start.join(" "));
        assert!(help.contains(&row), "{row} not in the help: {help}");
    }
    // No abbreviation the help does not explain: «срок -6», «согл.», «✉290», «синхр.» are gone.
    for gone in ["согл.", "✉2", "срок -", "синхр."] {
        assert!(!phone.contains(gone), "{gone}: {phone}");
    }
    // On a phone the help scrolls to its last line, and says how much is left.
    let first = screen(&mut f.app, 40, 20);
    assert!(first.contains("↓ ещё"), "{first}");
    press(&mut f.app, &"j".repeat(100));
    let last = screen(&mut f.app, 40, 20);
    assert!(last.contains("согласий 0 — подписанных согласий на") && last.contains("↑ ещё"), "{last}");
    press(&mut f.app, "\x1b\n?");
    assert!(screen(&mut f.app, 40, 20).contains("↓ ещё"), "a help opened again starts at its top");
    let mut card = String::new();
    for _ in 0..50 {
        card.push_str(&screen(&mut f.app, 40, 20));
        press(&mut f.app, "j");
    }
    for sign in [
        "✓! — уведомлён поздно",
        "С — согласие на обработку",
        "К — контакт есть",
        "совм. — совместная",
        "под. — подъезд",
    ] {
        assert!(card.contains(sign), "{sign}: {card}");
    }
}

#[test]
fn a_long_owner_name_is_cut_before_its_statuses() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("Н-4").unwrap()));
    press(&mut f.app, "p");
    let card = screen(&mut f.app, 40, 20);
    let owner = card.lines().nth(4).unwrap().trim_matches('"').trim_end();
    assert_eq!(owner, "▸ Муниципальное образование городской… ✉", "{card}");
}

#[test]
fn a_contact_prompt_left_empty_says_that_nothing_was_recorded() {
    let mut f = demo(false, Lang::Ru);
    let nothing = "Ничего не записано, и согласие тоже (его записывает клавиша s)";
    // Yes, the consent is signed; then Enter on an empty line, or Esc.
    press(&mut f.app, "\ncy\n");
    assert_eq!((facts(&f.app), f.app.top(), f.app.message.as_deref()), (0, &Layer::Card, Some(nothing)));
    press(&mut f.app, "cy\x1b");
    assert_eq!((facts(&f.app), f.app.top(), f.app.message.as_deref()), (0, &Layer::Card, Some(nothing)));
    press(&mut f.app, "s");
    press(&mut f.app, "c\x1b");
    assert_eq!((facts(&f.app), f.app.message.as_deref()), (1, Some("Контакт не записан")));
    press(&mut f.app, "n\x1b");
    assert_eq!(f.app.message, None, "a note cancelled is no news");
}

#[test]
fn a_card_left_with_a_note_keeps_it_and_says_so() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nnкод домофона 12\n\x1b");
    let waits = "Заметка к кв. 1 ждёт отметки: она на карточке, пока не записана (x — удалить)";
    assert_eq!(f.app.message.as_deref(), Some(waits));
    // Back on the card, the note is there, and the next mark takes it.
    press(&mut f.app, "\n");
    assert!(screen(&mut f.app, 40, 20).contains("Заметка к отметке: «код домофона 12»"));
    press(&mut f.app, "d\x1b");
    assert_eq!((facts(&f.app), f.app.message.as_deref()), (1, None), "the note went with the mark");
    assert_eq!(standing_notes(&f.app), [Some("код домофона 12".to_string())]);
}

/// The demo building with one more flat on the top floor: a communal flat of 14 rooms, 14 owners.
fn communal_of_14() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut sources = crate::demo::sources();
    for room in 1..=14 {
        let row = format!("161;квартира;300,0;1;11;к{room};20,0;Иванов{room} Иван Иванович;;;;doc-{room};\n");
        sources.registry_text.push_str(&row);
    }
    let campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    let mut app = App::new(campaign, Lang::Ru);
    app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    app.update(Action::Select(app.campaign.registry().find("161").unwrap()));
    Fixture { _dir: dir, app }
}

#[test]
fn the_chosen_owner_of_many_is_always_on_screen() {
    let mut f = communal_of_14();
    press(&mut f.app, &"j".repeat(14));
    assert_eq!(f.app.chosen_owner(), Some("Иванов14 Иван Иванович"));
    snapshots("card_of_14_owners", &mut f.app);
    let card = screen(&mut f.app, 40, 20);
    assert!(card.contains("▸ Иванов14 Иван Иванович"), "the owner a key would mark: {card}");
    assert!(card.contains("↑ ещё"), "{card}");
    // A tap lands on the owner drawn on that row, and the owners stay where they are.
    press(&mut f.app, "kk");
    let card = screen(&mut f.app, 40, 20);
    let row = card.lines().position(|line| line.contains("Иванов9 ")).unwrap() as u16;
    f.app.changed = Instant::now().checked_sub(super::TAP_GUARD);
    f.app.tap(5, row);
    assert_eq!(f.app.chosen_owner(), Some("Иванов9 Иван Иванович"));
    let again = screen(&mut f.app, 40, 20);
    assert!(again.lines().nth(row.into()).unwrap().contains("▸ Иванов9 "), "the page stays put: {again}");
    press(&mut f.app, "kkkkkkkkkkkkk");
    let card = screen(&mut f.app, 40, 20);
    assert!(card.contains("▸ все собственники") && card.contains("↓ ещё"), "{card}");
}

#[test]
fn the_walk_list_keeps_its_door_when_another_process_writes() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "wjj");
    assert_eq!(f.app.walk_list()[f.app.walk], f.app.campaign.registry().find("3").unwrap());
    // The other pair notifies flat 1 meanwhile: it leaves the list of doors not notified.
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    other.mark(obhod_store::Mark::new("1", Outcome::Delivered)).unwrap();
    assert!(f.app.refresh());
    press(&mut f.app, "\n");
    assert_eq!(f.app.campaign.registry().premises[f.app.cursor].label, "3", "the door that was chosen opens");
}

#[test]
fn facts_another_process_wrote_just_before_a_mark_here_show_up() {
    let mut f = demo(false, Lang::Ru);
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    // The other process writes between two refreshes, and a key here records before the next one.
    other.mark(obhod_store::Mark::new("2", Outcome::Delivered)).unwrap();
    press(&mut f.app, "\na");
    f.app.refresh();
    let two = f.app.campaign.registry().find("2").unwrap();
    assert!(f.app.canvass.premises[two].owners.iter().all(|o| o.notified), "flat 2 is shown notified");
    assert_eq!(f.app.progress.notified, 1, "and counted");
}

#[test]
fn the_walk_list_keeps_a_door_chosen_when_the_last_one_leaves_it() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "w");
    let doors = f.app.walk_list().len();
    press(&mut f.app, &"j".repeat(doors));
    press(&mut f.app, "\nd\x1b");
    assert_eq!(f.app.walk_list().len(), doors - 1, "the last door is notified");
    screen(&mut f.app, 40, 20);
    press(&mut f.app, "\n");
    assert_eq!(*f.app.top(), Layer::Card, "Enter opens the door the cursor is on");
    assert_eq!(f.app.cursor, f.app.walk_list()[doors - 2]);
}

#[test]
fn the_new_messages_in_english() {
    let mut f = demo(false, Lang::En);
    press(&mut f.app, "\nD");
    assert_eq!(f.app.message.as_deref(), Some("«D» is a capital: turn Caps Lock off; the keys are small letters"));
    press(&mut f.app, "cy\n");
    assert_eq!(f.app.message.as_deref(), Some("Nothing recorded, not the consent either (the s key records it)"));
    press(&mut f.app, "nx\n\x1b");
    let waits = "The note for flat 1 waits for a mark: it stays on the card until recorded (x deletes it)";
    assert_eq!(f.app.message.as_deref(), Some(waits));
    press(&mut f.app, "\nx");
    assert_eq!(f.app.message.as_deref(), Some("The note for flat 1 is deleted"));
    press(&mut f.app, "\x1b");
    f.app.update(Action::Select(f.app.campaign.registry().find("8").unwrap()));
    press(&mut f.app, "ju");
    let nothing = "Nothing to undo for this owner (a mark for all: with «every owner» chosen)";
    assert_eq!(f.app.message.as_deref(), Some(nothing));
}

#[test]
fn u_never_withdraws_a_letter_sent() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\na");
    // The organiser records the letters sent from this same store (`obhod letters sent`).
    let letter = obhod_core::Letter { date: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(), tracking: None };
    f.app.campaign.mark(obhod_store::Mark::sent("1", None, letter)).unwrap();
    f.app.reload();
    press(&mut f.app, "u");
    assert_eq!(f.app.message.as_deref(), Some("Отменено: не застали — Фролова Дарья Олеговна"));
    age(&mut f.app, super::REPEAT_GUARD);
    press(&mut f.app, "u");
    assert_eq!(f.app.message.as_deref(), Some("Отметку о письме отменяет obhod undo НОМЕР, не клавиша"));
    assert_eq!(standing(&f.app, "1").into_iter().map(|(outcome, _)| outcome).collect::<Vec<_>>(), [Outcome::Sent]);
}

#[test]
fn one_key_on_a_card_just_opened_is_not_every_owners_signature() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("8").unwrap()));
    let who = "Кто это был? Выберите собственника или «все» (↑↓)";
    for key in ["d", "r"] {
        press(&mut f.app, key);
        assert_eq!((facts(&f.app), f.app.message.as_deref()), (0, Some(who)));
    }
    // Absent needs nobody's signature: every owner, as the card opens.
    press(&mut f.app, "a");
    assert_eq!(facts(&f.app), 1);
    press(&mut f.app, "jd");
    assert_eq!(standing(&f.app, "8")[1], (Outcome::Delivered, Some("Новикова Вера Евгеньевна".into())));
    // Every owner, chosen: the one who opened the door signs for nobody else unless meant.
    press(&mut f.app, "\x1b");
    f.app.update(Action::Select(f.app.campaign.registry().find("85").unwrap()));
    press(&mut f.app, "jkd");
    assert_eq!(standing(&f.app, "85"), [(Outcome::Delivered, None)]);
    assert!(f.app.canvass.premises[f.app.cursor].owners.iter().all(|o| o.notified));
}

#[test]
fn a_tap_on_an_owner_just_after_the_header_grew_is_not_taken() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("8").unwrap()));
    let _ = screen(&mut f.app, 40, 20);
    f.app.changed = Instant::now().checked_sub(super::TAP_GUARD);
    // A fact from a newer obhod arrives: the header takes one more line, every row moves down.
    newer_fact::add_fact_from_a_newer_obhod(f.app.campaign.path());
    assert!(f.app.refresh());
    let card = screen(&mut f.app, 40, 20);
    let row = card.lines().position(|line| line.contains("Романова")).unwrap() as u16;
    f.app.tap(5, row);
    assert_eq!((f.app.owner, f.app.picked), (0, false), "the row under the finger just changed");
    f.app.changed = Instant::now().checked_sub(super::TAP_GUARD);
    f.app.tap(5, row);
    assert_eq!(f.app.chosen_owner(), Some("Романова Людмила Борисовна"));
}

#[test]
fn a_door_where_an_owner_signed_a_consent_is_not_shown_as_nobody_home() {
    use crate::app::view::Door;
    let mut f = demo(false, Lang::Ru);
    let flat = f.app.campaign.registry().find("1").unwrap();
    f.app.update(Action::Select(flat));
    press(&mut f.app, "s");
    assert_eq!(Door::of(&f.app.canvass.premises[flat]), Door::Met, "spoken to, not notified");
    assert!(screen(&mut f.app, 40, 20).contains("◌ квартира 1"));
    press(&mut f.app, "a");
    assert_eq!(Door::of(&f.app.canvass.premises[flat]), Door::Absent, "the last visit found nobody");
    press(&mut f.app, "\x1b");
    let legend = screen(&mut f.app, 40, 20);
    assert!(legend.contains("◌\u{a0}говорили"), "{legend}");
}

#[test]
fn a_refused_mark_leaves_the_note_for_the_next_one() {
    let mut f = demo(false, Lang::Ru);
    f.app.update(Action::Select(f.app.campaign.registry().find("Н-6").unwrap()));
    press(&mut f.app, "nдверь заварена\nd");
    assert_eq!(f.app.message.as_deref(), Some("✗ у помещения «Н-6» нет зарегистрированных собственников"));
    assert_eq!(f.app.note(), Some("дверь заварена"), "the note is not lost with the refusal");
    press(&mut f.app, "a");
    let canvass = f.app.campaign.canvass();
    assert_eq!(canvass.facts.iter().map(|fact| fact.note.as_deref()).collect::<Vec<_>>(), [Some("дверь заварена")]);
    assert_eq!(f.app.note(), None);
}

/// The README's TUI sections show the header as the screen draws it (the demo building, flat 1
/// notified on the tests' evening), in English and in the Russian section.
#[test]
fn the_readme_shows_the_header_as_the_screen_draws_it() {
    let readme = include_str!("../../../README.md");
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "\nd\x1b");
    let header = |app: &mut App, width: u16, lines: usize| -> Vec<String> {
        let shown = screen(app, width, 30);
        shown.lines().skip(1).take(lines).map(|l| l.trim_matches('"').trim_end().to_string()).collect()
    };
    let laptop = header(&mut f.app, 100, 1);
    let phone = header(&mut f.app, 40, 2);
    assert_eq!(laptop, ["уведомлено 1/292 (0,36 % голосов) · до D − 10: 9 дней · писем к отправке 283 · согласий 0"]);
    assert_eq!(phone, ["✓1/292 (0,36 %) · срок 30.11: 9 дн.", "писем к отправке 283 · согласий 0"]);
    for line in laptop.iter().chain(&phone) {
        assert!(readme.contains(&format!("  {line}\n")), "the English section shows «{line}»");
    }
    // The Russian section says them in its prose, wrapped where the lines fall.
    let prose = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(prose.contains(&format!("«{}»", laptop[0])), "the Russian section shows the laptop's line");
    assert!(prose.contains(&format!("«{}» и «{}»", phone[0], phone[1])), "the Russian section shows the phone's");
    // The sync as the header shows it, and the tabs of a large building.
    let mut g = in_a_group(Lang::Ru);
    assert!(screen(&mut g.app, 40, 20).contains("⇄1 ↑2 19:00"));
    assert!(readme.contains("`⇄2 ↑0 21:40`") && readme.contains("Подъезд 17 из 20 ‹ 15  16  17  18  19 ›"));
}

#[test]
fn the_quorum_panel_says_what_the_decisions_still_to_come_can_change_and_follows_each_entry() {
    let mut f = carried_quorum(Lang::Ru);
    press(&mut f.app, "v");
    let phone = screen(&mut f.app, 40, 20);
    for needle in ["уже принято: 2", "1: нужен ещё хоть один голос", "3: нужно ещё 75,00 гол."]
    {
        assert!(phone.contains(needle), "missing {needle:?}:\n{phone}");
    }
    // Смирнова's room (33,33 votes) comes in «за» everywhere: question 1 is settled, question 3
    // needs that much fewer.
    f.app.campaign.import_ballots("more.csv", "premise,owner,1,2,3\n2,Смирнова Анна Павловна,за,за,за\n").unwrap();
    f.app.reload();
    snapshots("quorum_live", &mut f.app);
    let phone = screen(&mut f.app, 40, 20);
    for needle in ["уже принято: 1, 2", "3: нужно ещё 41,67 гол."] {
        assert!(phone.contains(needle), "missing {needle:?} after the entry:\n{phone}");
    }
    // After the end of voting nothing is still to come: every question is settled.
    f.app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap());
    snapshots("quorum_after_end", &mut f.app);
    let phone = screen(&mut f.app, 40, 20);
    assert!(phone.contains("\"принято: 1, 2") && phone.contains("\"не принято: 3"), "{phone}");
    assert!(!phone.contains("нужно ещё"), "{phone}");
    let mut en = carried_quorum(Lang::En);
    press(&mut en.app, "v");
    let laptop = screen(&mut en.app, 100, 30);
    assert!(laptop.contains("Question 3: Still open: needs at least 75.00 more votes for."), "{laptop}");
}

#[test]
fn a_registry_updated_by_another_process_is_followed_without_losing_the_place() {
    let mut f = demo(false, Lang::Ru);
    let registry = f.app.campaign.registry();
    let last = registry.premises.len() - 1;
    let (gone, kept) = (registry.premises[last].label.clone(), registry.premises[last - 1].label.clone());
    f.app.notes.insert(last - 1, "позвонить вечером".into());
    f.app.open(last);
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    other.set_clock(std::sync::Arc::new(obhod_store::SteppingClock::new(
        chrono::DateTime::parse_from_rfc3339(EVENING).unwrap(),
    )));
    let text = f.app.campaign.sources().registry_text.clone();
    let without: String =
        text.lines().filter(|line| !line.starts_with(&format!("{gone};"))).map(|l| format!("{l}\n")).collect();
    other.update_registry("registry.csv", &without).unwrap();
    assert!(f.app.refresh());
    let registry = f.app.campaign.registry();
    assert!(registry.premises.iter().all(|p| p.label != gone));
    assert!(f.app.cursor < registry.premises.len(), "the chosen premise is gone: the building shows another");
    assert_eq!(f.app.notes.get(&(last - 1)).map(String::as_str), Some("позвонить вечером"));
    assert_eq!(registry.premises[last - 1].label, kept);
    assert!(f.app.message.as_deref().unwrap().contains("Реестр собственников обновлён"));
    let screen = screen(&mut f.app, 100, 30);
    assert!(!screen.is_empty());
}

#[test]
fn a_registry_caught_up_with_by_a_write_here_is_followed_before_anything_is_drawn() {
    let mut f = demo(false, Lang::Ru);
    let last = f.app.campaign.registry().premises.len() - 1;
    let gone = f.app.campaign.registry().premises[last].label.clone();
    f.app.open(last);
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    other.set_clock(std::sync::Arc::new(obhod_store::SteppingClock::new(
        chrono::DateTime::parse_from_rfc3339(EVENING).unwrap(),
    )));
    let text = f.app.campaign.sources().registry_text.clone();
    let without: String =
        text.lines().filter(|line| !line.starts_with(&format!("{gone};"))).map(|l| format!("{l}\n")).collect();
    other.update_registry("registry.csv", &without).unwrap();
    // A write of this process catches up with it under the lock.
    f.app.campaign.mark(obhod_store::Mark::new("1", Outcome::Absent)).unwrap();
    assert_eq!(f.app.campaign.registry().premises.len(), last);
    let screen = screen(&mut f.app, 100, 30);
    assert!(screen.contains("Реестр собственников обновлён"), "{screen}");
    assert!(f.app.cursor < last);
}

/// Flat 14 after its joint owners sold it to one buyer: Павлова was handed the notice by name,
/// everyone was marked not at home, and Павлов's decision was received, all before the update.
fn flat_14_sold(lang: Lang) -> Fixture {
    let mut f = demo(true, lang);
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    press(&mut f.app, "a");
    press(&mut f.app, "jd");
    let text = f.app.campaign.sources().registry_text.clone();
    let sold: String = text
        .lines()
        .filter(|line| !line.starts_with("14;квартира;39,7;1;4;;;Павлов Пётр"))
        .map(|line| {
            match line.strip_prefix("14;квартира;39,7;1;4;;;Павлова Софья Андреевна;;;с1;")
            {
                Some(_) => {
                    "14;квартира;39,7;1;4;;;Волков Игорь Сергеевич;;;;55-55/001-55/001/440/2026-1;\n".to_string()
                }
                None => format!("{line}\n"),
            }
        })
        .collect();
    f.app.campaign.update_registry("registry.csv", &sold).unwrap();
    f.app.reload();
    f.app.update(Action::Select(f.app.campaign.registry().find("14").unwrap()));
    f
}

/// The card drawn alone into a `width`×`height` area.
fn card_alone(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| super::screen::card::draw(frame, app, frame.area())).unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_card_lists_its_former_owners_records_counted_for_no_one() {
    let mut f = flat_14_sold(Lang::Ru);
    let phone = screen(&mut f.app, 40, 20);
    assert!(phone.contains("Бывшие собственники (2), не в счёт:"), "{phone}");
    assert!(phone.contains("– Павлова Софья Андреевна: вручено"), "{phone}");
    assert!(phone.contains("– Павлов Пётр Николаевич: решение"), "{phone}");
    assert!(phone.contains("Волков Игорь Сергеевич "), "{phone}");
    assert!(!phone.contains("Волков Игорь Сергеевич ✓"), "the buyer was never handed the notice: {phone}");
    assert!(phone.contains("не застали · все прежние"), "a mark for every owner before him: {phone}");
    snapshots("card_former_owners", &mut f.app);
    // The whole screen needs 40×20 (below it only a field being typed is shown): the card alone in
    // a 45×14 area, as on a phone's half screen, keeps the block and the buyer readable.
    let small = card_alone(&mut f.app, 45, 14);
    assert!(small.contains("Бывшие собственники (2)") && small.contains("Волков Игорь Сергеевич"), "{small}");
    assert!(small.contains("– Павлова Софья Андреевна: вручено"), "{small}");
    let filters = vec![(r"\d\d\.\d\d \d\d:\d\d", "[time]")];
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!("card_former_owners_alone_45x14", small);
    });
    let mut en = flat_14_sold(Lang::En);
    let english = screen(&mut en.app, 40, 20);
    assert!(english.contains("Former owners (2), counted for none:"), "{english}");
    assert!(english.contains("– Павлов Пётр Николаевич: decision"), "{english}");
}
