//! The legal timeline of a meeting, with dates.

mod common;

use chrono::NaiveDate;
use common::meeting;
use obhod_core::Warning;
use obhod_core::deadlines::{Step, timeline};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[test]
fn every_step_has_its_date() {
    // D = 10.12.2026, E = 20.12.2026.
    let t = timeline(&meeting(&[("other", None)]), None);
    let dates: Vec<(Step, NaiveDate)> = t.deadlines.iter().map(|d| (d.step, d.date)).collect();
    assert_eq!(
        dates,
        [
            (Step::NoticeSafe, day(2026, 11, 28)),
            (Step::NoticeLast, day(2026, 11, 30)),
            (Step::Meeting, day(2026, 12, 10)),
            (Step::VotingEnds, day(2026, 12, 20)),
            (Step::Protocol, day(2026, 12, 30)),
            (Step::Originals, day(2026, 12, 30)),
            (Step::Results, day(2026, 12, 30)),
            (Step::Inspectorate, day(2027, 1, 4)),
            (Step::Challenge, day(2027, 6, 20)),
        ]
    );
    assert!(t.warnings.is_empty());
}

#[test]
fn the_notice_gap_is_checked_at_the_boundary() {
    let m = meeting(&[("other", None)]);
    let warn = |d| timeline(&m, Some(day(2026, 11, d))).warnings;
    assert_eq!(warn(28), [], "12 days is safe");
    assert_eq!(warn(29), [Warning::NoticeOnBoundary { days: 11 }]);
    assert_eq!(warn(30), [Warning::NoticeOnBoundary { days: 10 }], "10 days is lawful but disputed");
    assert_eq!(timeline(&m, Some(day(2026, 12, 1))).warnings, [Warning::NoticeTooLate { days: 9 }]);
}
