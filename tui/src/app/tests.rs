//! The TUI driven by keys and taps on a test backend: snapshots of every screen at a phone's
//! 40×20 and a laptop's 100×30, and the flows a canvasser goes through.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::{Lang, Outcome};
use obhod_store::Campaign;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::keymap::{Action, twin};
use super::{App, Input, Layer, view};

struct Fixture {
    _dir: tempfile::TempDir,
    app: App,
}

/// The demo building in a fresh store; with `ballots`, its ballots imported too.
fn demo(ballots: bool, lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("obhod.db"), crate::demo::sources()).unwrap();
    if ballots {
        campaign.import_ballots("ballots.csv", crate::demo::ballots()).unwrap();
    }
    Fixture { _dir: dir, app: App::new(campaign, lang) }
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

/// Snapshots of one state at both sizes; times and device ids (which change) are masked.
fn snapshots(name: &str, app: &mut App) {
    let filters = vec![(r"\d\d\.\d\d(\.\d{4})? \d\d:\d\d", "[time]"), (r"· [0-9A-Z]{4}\b", "· [dev]")];
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!(format!("{name}_40x20"), screen(app, 40, 20));
        insta::assert_snapshot!(format!("{name}_100x30"), screen(app, 100, 30));
    });
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
    let help = screen(&mut f.app, 100, 30);
    for binding in Layer::Building.rows() {
        assert!(help.contains(binding.words(Lang::Ru)), "help lacks {}", binding.label);
        assert!(help.contains(&binding.keys_text()), "help lacks {}", binding.keys_text());
    }
    assert!(help.contains("w/ц") && help.contains("?/,"), "both layouts: {help}");
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
    // Row 3 of the screen is the top floor of entrance 1; its first cell starts at column 4.
    f.app.tap(5, 3);
    assert_eq!(*f.app.top(), Layer::Card);
    assert_eq!(f.app.campaign.registry().premises[f.app.cursor].label, "37");
    let _ = screen(&mut f.app, 40, 20);
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::Mark(Outcome::Absent)).unwrap();
    f.app.tap(rect.x, rect.y);
    assert_eq!(f.app.canvass.premises[f.app.cursor].visits, 1);
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
        for key in layer.rows().iter().flat_map(|b| b.keys.iter().copied()) {
            keys.push(key);
            if let KeyCode::Char(c) = key
                && let Some(t) = twin(c)
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
