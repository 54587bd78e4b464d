//! The conflicts screen and the header's count: two devices recorded different ballots for one
//! owner of the demo building and synced.

use obhod_core::Lang;
use obhod_store::{Campaign, SyncSession};

use super::{Fixture, press, screen, snapshots};
use crate::app::{App, Layer};

/// Passes sync messages both ways until neither side has anything to say.
pub(super) fn sync(a: &mut Campaign, b: &mut Campaign) {
    let (mut sa, mut sb) = (SyncSession::new(), SyncSession::new());
    for _ in 0..100 {
        let to_b = sa.generate(a);
        if let Some(message) = &to_b {
            sb.receive(b, message).unwrap();
        }
        let to_a = sb.generate(b);
        if let Some(message) = &to_a {
            sa.receive(a, message).unwrap();
        }
        if to_a.is_none() && to_b.is_none() {
            return;
        }
    }
    panic!("the sync does not end");
}

/// The demo with its ballots on one device, and on another a different ballot of flat 1's owner.
fn conflicting(lang: Lang) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), crate::demo::sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    a.import_ballots("ballots.csv", crate::demo::ballots()).unwrap();
    let other = "premise;owner;1;2;3;4;5;6;7;8;received;defect\n\
                 1;Фролова Дарья Олеговна;против;за;за;за;за;за;воздержался;за;2026-12-14;\n";
    b.import_ballots("ballots-phone.csv", other).unwrap();
    sync(&mut a, &mut b);
    let mut app = App::new(a, lang);
    app.today = Some(chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
    Fixture { _dir: dir, app }
}

#[test]
fn the_conflicts_screen_lists_each_variant_and_how_to_keep_one() {
    let mut f = conflicting(Lang::Ru);
    press(&mut f.app, "c");
    assert_eq!(*f.app.top(), Layer::Conflicts { scroll: 0 });
    snapshots("conflicts", &mut f.app);
    let shown = screen(&mut f.app, 100, 30);
    for needle in [
        "конфликтов: 1",
        "1 конфликт решений",
        "1 · Фролова Дарья Олеговна",
        "различаются вопросы 1, 8",
        "ballots.csv:2",
        "ballots-phone.csv:2",
        "obhod conflicts resolve 1 --owner 'Фролова Дарья Олеговна' --keep НОМЕР",
    ] {
        assert!(shown.contains(needle), "missing {needle:?}:\n{shown}");
    }
    press(&mut f.app, "\x1b");
    assert_eq!(*f.app.top(), Layer::Building);
    press(&mut f.app, "с");
    assert_eq!(*f.app.top(), Layer::Conflicts { scroll: 0 }, "the key's twin on the Russian layout");
}

#[test]
fn the_conflicts_screen_in_english() {
    let mut f = conflicting(Lang::En);
    press(&mut f.app, "c");
    snapshots("conflicts_en", &mut f.app);
    assert!(screen(&mut f.app, 40, 20).contains("conflicts: 1"));
}

#[test]
fn without_conflicts_the_header_has_no_count_and_the_screen_says_so() {
    let mut f = super::demo(true, Lang::Ru);
    assert!(!screen(&mut f.app, 100, 30).contains("конфликтов"));
    press(&mut f.app, "c");
    assert!(screen(&mut f.app, 40, 20).contains("Конфликтов нет."));
}

#[test]
fn the_building_help_lists_the_conflicts_key() {
    let mut f = conflicting(Lang::Ru);
    press(&mut f.app, "?");
    assert!(screen(&mut f.app, 100, 30).contains("c/с конфликты решений"));
}
