//! A building of twenty entrances, ten flats a floor: the entrance shown is always named, and a
//! floor wider than the screen scrolls sideways with signs that more is there.

use obhod_core::Lang;
use obhod_store::Campaign;

use super::{Fixture, press, screen, snapshots};
use crate::app::keymap::Action;
use crate::app::{App, Layer};

/// Twenty entrances of nine floors, ten flats a floor, numbered through: 1,800 flats.
fn large(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut registry = String::from("premise,kind,area,entrance,floor,owner\n");
    let mut flat = 0;
    for entrance in 1..=20 {
        for floor in 1..=9 {
            for _ in 0..10 {
                flat += 1;
                registry.push_str(&format!("{flat},flat,30,{entrance},{floor},Собственник {flat}\n"));
            }
        }
    }
    let mut sources = crate::demo::sources();
    sources.registry_text = registry;
    let campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    let mut app = App::new(campaign, lang);
    app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    Fixture { _dir: dir, app }
}

/// The row of the tabs (under the address and the two lines of figures on a phone).
fn tabs_row(shown: &str, row: usize) -> String {
    shown.lines().nth(row).unwrap().trim_matches('"').trim_end().to_string()
}

#[test]
fn twenty_entrances_on_a_phone_name_the_one_shown() {
    let mut f = large(Lang::Ru);
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 3), "Подъезд 1 из 20   1  2  3  4  5  6  7 ›");
    press(&mut f.app, &"\t".repeat(16));
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 3), "Подъезд 17 из 20 ‹ 15  16  17  18  19 ›");
    snapshots("large_building", &mut f.app);
    let _ = screen(&mut f.app, 40, 20);
    // A tap on ‹ shows the entrance before, on a tab that entrance.
    let hit = |app: &App, action: Action| app.hits.iter().find(|(_, a)| *a == action).map(|(r, _)| (r.x, r.y));
    let (x, y) = hit(&f.app, Action::PrevTab).expect("‹ is a button");
    f.app.tap(x, y);
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 3), "Подъезд 16 из 20 ‹ 14  15  16  17  18 ›");
    let (x, y) = hit(&f.app, Action::Tab(17)).expect("18 is on screen");
    f.app.tap(x, y);
    assert_eq!(f.app.tab, 17);
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 3), "Подъезд 18 из 20 ‹ 16  17  18  19  20");
    let (x, y) = hit(&f.app, Action::NextTab).expect("› is a button");
    f.app.tap(x, y);
    assert_eq!(f.app.tab, 18);
    // The walk list names it too.
    press(&mut f.app, "w");
    assert!(screen(&mut f.app, 40, 20).contains("Подъезд 19 из 20 ‹"));
    snapshots("large_walk", &mut f.app);
    let mut en = large(Lang::En);
    let shown = screen(&mut en.app, 40, 20);
    assert_eq!(tabs_row(&shown, 3), "Entrance 1 of 20   1  2  3  4  5  6  7 ›", "{shown}");
}

#[test]
fn a_floor_wider_than_the_screen_scrolls_sideways_with_signs() {
    let mut f = large(Lang::Ru);
    press(&mut f.app, &"\t".repeat(16));
    // Ten flats of four-digit numbers do not fit 36 columns: five do, and a sign says more are there.
    let shown = screen(&mut f.app, 40, 20);
    assert_eq!(tabs_row(&shown, 4), " 9 │ 1521·  1522·  1523·  1524·  1525·›", "{shown}");
    press(&mut f.app, &"l".repeat(9));
    let shown = screen(&mut f.app, 40, 20);
    let floor = tabs_row(&shown, 12);
    assert_eq!(floor, " 1 ‹ 1446·  1447·  1448·  1449·  1450·", "the cursor's flat, more to the left: {shown}");
    // Back left within the flats shown: they stay where they are.
    press(&mut f.app, "hhhh");
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 12), floor);
    press(&mut f.app, "h");
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 12), " 1 ‹ 1445·  1446·  1447·  1448·  1449·›");
    press(&mut f.app, "hhhh");
    assert_eq!(tabs_row(&screen(&mut f.app, 40, 20), 12), " 1 │ 1441·  1442·  1443·  1444·  1445·›");
    // On a laptop the floors sit beside the card of the flat: signs there too.
    press(&mut f.app, &"l".repeat(9));
    let laptop = screen(&mut f.app, 100, 30);
    assert!(laptop.contains(" 9 ‹ 1526·  1527·  1528·  1529·  1530·   · квартира 1450 "), "{laptop}");
    press(&mut f.app, "\n");
    assert_eq!((f.app.top(), f.app.campaign.registry().premises[f.app.cursor].label.as_str()), (&Layer::Card, "1450"));
}

#[test]
fn an_entrance_taller_than_the_screen_counts_the_floors_out_of_sight() {
    let dir = tempfile::tempdir().unwrap();
    let mut registry = String::from("premise,kind,area,entrance,floor,owner\n");
    for floor in 1..=25 {
        registry.push_str(&format!("{floor},flat,30,1,{floor},Собственник {floor}\n"));
    }
    let mut sources = crate::demo::sources();
    sources.registry_text = registry;
    let campaign = Campaign::init(&dir.path().join("obhod.db"), sources).unwrap();
    let mut app = App::new(campaign, Lang::Ru);
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("   ↑ ещё 15 этажей выше") && shown.contains(" 1 │  1·"), "{shown}");
    press(&mut app, &"k".repeat(24));
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("25 │ 25·") && shown.contains("   ↓ ещё 15 этажей ниже"), "{shown}");
    press(&mut app, &"j".repeat(12));
    let shown = screen(&mut app, 40, 20);
    assert!(shown.contains("↑ ещё") && shown.contains("↓ ещё"), "{shown}");
}
