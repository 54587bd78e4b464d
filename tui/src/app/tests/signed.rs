//! A delivery dated as signed (`t` on the card, then `d`), late notices said as they are recorded
//! and marked on the owner's row, and a meeting updated elsewhere followed by the screen.

use chrono::NaiveDate;
use obhod_core::{Act, Lang, Outcome};
use obhod_store::Campaign;

use super::{Fixture, demo_at, press, screen, snapshots};
use crate::app::keymap::Action;
use crate::app::screen::prompt::typed_day;
use crate::app::{Input, Layer};

/// 02.12.2026: after D − 10 (30.11) of the demo's meeting on 10.12.
const LATE_EVENING: &str = "2026-12-02T19:00:00+06:00";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The card of `premise` on the evening of `now`.
fn card(premise: &str, now: &str, lang: Lang) -> Fixture {
    let mut f = demo_at(false, lang, now);
    f.app.update(Action::Select(f.app.campaign.registry().find(premise).unwrap()));
    f
}

/// The day signed of the last fact recorded.
fn last_signed(f: &Fixture) -> Option<NaiveDate> {
    match &f.app.campaign.facts().last()?.act {
        Act::Mark { outcome: Outcome::Delivered, signed, .. } => *signed,
        _ => None,
    }
}

#[test]
fn a_day_is_read_as_typed_on_either_layout_with_the_meetings_year() {
    let meeting = day(2026, 12, 10);
    for typed in ["24.11", "24.11.2026", "2026-11-24", "24ю11", "24,11", "24/11", " 24.11.26 ", "24ю11ю2026"] {
        assert_eq!(typed_day(typed, meeting), Some(day(2026, 11, 24)), "{typed:?}");
    }
    for bad in ["32.11", "24", "завтра", "24.13", "2026-11", "24.11.202", "24x11", ""] {
        assert_eq!(typed_day(bad, meeting), None, "{bad:?}");
    }
    // A meeting in January: December's days are of the year before.
    assert_eq!(typed_day("20.12", day(2027, 1, 15)), Some(day(2026, 12, 20)));
    assert_eq!(typed_day("10.01", day(2027, 1, 15)), Some(day(2027, 1, 10)));
}

#[test]
fn a_day_signed_goes_with_the_next_delivery_and_the_card_shows_it_until_then() {
    let mut f = card("1", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "t20.11");
    assert!(matches!(f.app.top(), Layer::Prompt { input: Input::Signed, .. }));
    snapshots("signed_prompt", &mut f.app);
    press(&mut f.app, "\n");
    assert_eq!(f.app.signed, Some(day(2026, 11, 20)));
    assert_eq!(f.app.message.as_deref(), Some("Дата подписи 20.11.2026: d запишет вручение этим днём"));
    assert!(screen(&mut f.app, 40, 20).contains("подпись: 20.11.2026 — для d"));
    snapshots("card_date_signed", &mut f.app);
    // Another outcome does not take it; the delivery does.
    press(&mut f.app, "a");
    assert_eq!(f.app.signed, Some(day(2026, 11, 20)));
    f.app.recorded = None;
    press(&mut f.app, "d");
    assert_eq!(last_signed(&f), Some(day(2026, 11, 20)));
    assert_eq!(f.app.signed, None, "used up");
    assert_eq!(f.app.message.as_deref(), Some("✓ вручено под роспись — Фролова Дарья Олеговна"), "in time");
    assert!(!f.app.caution);
    snapshots("card_signed_earlier", &mut f.app);
    let shown = screen(&mut f.app, 40, 20);
    assert!(shown.contains("вручено (подпись 20.11)"), "the history shows the day signed: {shown}");
}

#[test]
fn an_unreadable_or_future_day_is_refused_and_an_empty_line_clears_it() {
    let mut f = card("1", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "t32.11\n");
    assert_eq!(f.app.message.as_deref(), Some("✗ «32.11» — не дата: пишите 24.11, 24.11.2026 или 2026-11-24"));
    press(&mut f.app, "t05.12\n");
    let message = f.app.message.clone().unwrap();
    assert_eq!(message, "✗ 05.12.2026 ещё не наступило: день подписи — сегодня или раньше");
    press(&mut f.app, "t01.12.2025\n");
    assert_eq!(f.app.message.as_deref(), Some("✗ 01.12.2025 — больше чем за год до собрания: проверьте год"));
    assert_eq!((f.app.signed, f.app.top()), (None, &Layer::Card), "nothing taken");
    // On the Russian layout: е is t, and the dot's key types ю.
    press(&mut f.app, "е28ю11\n");
    assert_eq!(f.app.signed, Some(day(2026, 11, 28)));
    press(&mut f.app, "t");
    assert_eq!(*f.app.top(), Layer::Prompt { input: Input::Signed, text: "28.11.2026".into() }, "to edit");
    for _ in 0..10 {
        f.app.key(crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Backspace));
    }
    press(&mut f.app, "\n");
    assert_eq!(f.app.signed, None);
    assert_eq!(f.app.message.as_deref(), Some("Дата подписи снята: d запишет вручение сегодняшним днём"));
    press(&mut f.app, "d");
    assert_eq!(last_signed(&f), None, "recorded as of today");
}

#[test]
fn a_day_signed_is_dropped_with_its_card_and_says_so() {
    let mut f = card("1", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "t20.11\n\x1b");
    assert_eq!(f.app.message.as_deref(), Some("Дата подписи сброшена: она действует на своей карточке до d"));
    press(&mut f.app, "\n");
    assert_eq!(f.app.signed, None);
}

#[test]
fn a_late_delivery_is_said_in_the_warning_colour_and_marked_on_the_owners_row() {
    let mut f = card("1", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "d");
    assert_eq!(f.app.message.as_deref(), Some("✓ вручено — позже срока уведомления 30.11: уведомление с опозданием"));
    assert!(f.app.caution);
    snapshots("card_late", &mut f.app);
    let shown = screen(&mut f.app, 40, 20);
    assert!(shown.contains("Фролова Дарья Олеговна ✓!"), "{shown}");
    // The next key's message is plain again.
    press(&mut f.app, "ж");
    assert!(!f.app.caution);
    // Both owners of a joint flat, one key for both.
    let mut f = card("14", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "jkd");
    assert_eq!(f.app.message.as_deref(), Some("✓ вручено — позже срока уведомления 30.11: уведомлены с опозданием"));
    let mut en = card("1", LATE_EVENING, Lang::En);
    press(&mut en.app, "d");
    assert_eq!(en.app.message.as_deref(), Some("✓ delivered — after the notice deadline 30.11: notified late"));
}

#[test]
fn a_delivery_on_the_boundary_days_says_that_they_are_disputed() {
    let mut f = card("1", "2026-11-29T19:00:00+06:00", Lang::Ru);
    press(&mut f.app, "d");
    assert_eq!(
        f.app.message.as_deref(),
        Some("✓ вручено — за 10–11 дней до собрания (срок 30.11): граничный день спорен")
    );
    assert!(f.app.caution);
    assert!(!screen(&mut f.app, 40, 20).contains("✓!"), "in time: no late mark");
}

#[test]
fn a_meeting_updated_by_another_process_moves_the_deadline_on_screen() {
    let mut f = card("1", LATE_EVENING, Lang::Ru);
    press(&mut f.app, "d");
    assert!(screen(&mut f.app, 100, 30).contains("D − 10 прошёл 2 дня назад"), "D − 10 passed two days ago");
    let mut other = Campaign::open(f.app.campaign.path()).unwrap();
    let text = crate::demo::sources()
        .meeting_text
        .replace("date = 2026-12-10", "date = 2026-12-17")
        .replace("voting_ends = 2026-12-20", "voting_ends = 2026-12-27");
    assert!(other.update_meeting("meeting.toml", &text).unwrap().recorded);
    assert!(f.app.refresh(), "news");
    assert_eq!(f.app.message.as_deref(), Some("Собрание перенесено: D 17.12.2026, последний день уведомления 07.12"));
    let shown = screen(&mut f.app, 100, 30);
    assert!(shown.contains("до D − 10: 5 дней"), "{shown}");
    assert!(shown.contains("Фролова Дарья Олеговна  1  31,40 гол. ✓ "), "no longer late: {shown}");
}
