//! What scrolls keeps its place: the card's history, a page at a time with signs of what is above
//! and below (a long note cut so that the rest stays in sight), and the quorum panel's list of
//! doors, kept while the panel is closed.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::{Lang, Outcome};
use obhod_store::Mark;

use super::{Fixture, demo, press, screen, snapshots};
use crate::app::Layer;
use crate::app::keymap::Action;

fn key(f: &mut Fixture, code: KeyCode) {
    f.app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Flat 1 with twelve visits recorded, the fourth newest with a note of 500 characters.
fn busy_flat() -> Fixture {
    let mut f = demo(false, Lang::Ru);
    for visit in 1..=12 {
        let note = if visit == 9 {
            "длинная заметка ".repeat(40).chars().take(500).collect()
        } else {
            format!("визит {visit}")
        };
        f.app.campaign.mark(Mark { note: Some(note), ..Mark::new("1", Outcome::Absent) }).unwrap();
    }
    f.app.reload();
    f.app.update(Action::Select(f.app.campaign.registry().find("1").unwrap()));
    f
}

#[test]
fn the_cards_history_scrolls_a_page_at_a_time() {
    let mut f = busy_flat();
    let first = screen(&mut f.app, 40, 20);
    assert!(first.contains("«визит") && first.contains(" 12»") && first.contains("↓ ещё"), "{first}");
    assert!(!first.contains("↑ ещё"), "{first}");
    // The long note takes three lines at most, cut with «…»: the next fact is still in sight.
    assert!(first.contains("длинная заметка") && first.contains("…"), "{first}");
    key(&mut f, KeyCode::PageDown);
    let second = screen(&mut f.app, 40, 20);
    assert!(second.contains("↑ ещё") && !second.contains(" 12»"), "{second}");
    assert!(second.contains("длинная заметка") && second.contains(" 8»"), "the rest of the history after it: {second}");
    snapshots("card_history", &mut f.app);
    // To the oldest, by taps on the sign below; then back by the sign above.
    for _ in 0..10 {
        let _ = screen(&mut f.app, 40, 20);
        let Some(&(rect, _)) = f.app.hits.iter().find(|(_, a)| *a == Action::PageDown) else { break };
        f.app.tap(rect.x, rect.y);
    }
    let last = screen(&mut f.app, 40, 20);
    assert!(last.contains(" 1»") && !last.contains("↓ ещё"), "{last}");
    let (rect, _) = *f.app.hits.iter().find(|(_, a)| *a == Action::PageUp).expect("the sign above is a button");
    f.app.tap(rect.x, rect.y);
    assert!(!screen(&mut f.app, 40, 20).contains(" 1»"));
    key(&mut f, KeyCode::PageUp);
    key(&mut f, KeyCode::PageUp);
    key(&mut f, KeyCode::PageUp);
    assert_eq!(screen(&mut f.app, 40, 20), first, "back at the newest");
    // A card opened again starts at the newest.
    key(&mut f, KeyCode::PageDown);
    press(&mut f.app, "\x1b\n");
    assert_eq!(screen(&mut f.app, 40, 20), first);
}

#[test]
fn the_quorum_panel_keeps_its_place_when_closed_and_opened_again() {
    let mut f = demo(true, Lang::Ru);
    press(&mut f.app, "v");
    press(&mut f.app, &"j".repeat(9));
    let panel = screen(&mut f.app, 40, 20);
    let chosen = f.app.quorum.door.expect("a door chosen");
    assert_ne!(f.app.quorum.first, 0, "the list scrolled to the tenth door: {panel}");
    // Open the door, back to the panel, back to the building; and the panel again.
    press(&mut f.app, "\n\x1b\x1b");
    assert_eq!(*f.app.top(), Layer::Building);
    press(&mut f.app, "v");
    assert_eq!(screen(&mut f.app, 40, 20), panel, "the same rows, the same door chosen");
    press(&mut f.app, "\n");
    assert_eq!((f.app.top(), f.app.cursor), (&Layer::Card, chosen));
}
