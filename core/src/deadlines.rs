//! The meeting's timeline (ч.4–5 ст.45, ст.46 ЖК РФ): when the notice must reach the owners, when
//! voting ends, and what follows the count, each with its article of the law.

use chrono::{Days, Months, NaiveDate};

use crate::lang::Lang;
use crate::meeting::Meeting;
use crate::warning::Warning;

/// One dated step of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// D − 12: the recommended last day of the notice, clear of the disputed boundary [choice].
    NoticeSafe,
    /// D − 10: the last day to hand the notice against signature, send registered letters
    /// and post it in ГИС ЖКХ (ч.4 ст.45).
    NoticeLast,
    /// D: the in-person part or the start of voting.
    Meeting,
    /// E: the last day decisions are accepted.
    VotingEnds,
    /// E + 10: the protocol drawn up (ч.1 ст.46; order 266/пр).
    Protocol,
    /// E + 10: the originals handed to the managing organisation or ГЖИ (ч.1 ст.46).
    Originals,
    /// E + 10: owners told the results (ч.3 ст.46).
    Results,
    /// E + 15: the managing organisation forwards the originals to ГЖИ within 5 days (ч.1.1 ст.46).
    Inspectorate,
    /// E + 6 months: the last day to challenge the decisions in court (ч.6 ст.46).
    Challenge,
}

impl Step {
    /// A stable code for scripts.
    pub fn code(self) -> &'static str {
        match self {
            Step::NoticeSafe => "notice_recommended",
            Step::NoticeLast => "notice_last_day",
            Step::Meeting => "meeting",
            Step::VotingEnds => "voting_ends",
            Step::Protocol => "protocol",
            Step::Originals => "originals_to_manager",
            Step::Results => "results_to_owners",
            Step::Inspectorate => "manager_to_inspectorate",
            Step::Challenge => "challenge_deadline",
        }
    }

    /// What happens on (or by) this date.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Step::NoticeSafe => lang.pick(
                "рекомендуемый последний день уведомления (запас от спорного граничного дня)",
                "recommended last day of the notice (clear of the disputed boundary day)",
            ),
            Step::NoticeLast => lang.pick(
                "последний день: вручить уведомления под роспись, отправить заказные письма, разместить в ГИС ЖКХ",
                "last day: hand notices against signature, send registered letters, post in GIS ZhKKh",
            ),
            Step::Meeting => lang.pick(
                "собрание (очная часть или начало голосования)",
                "the meeting (in-person part or start of voting)",
            ),
            Step::VotingEnds => lang.pick("окончание приёма решений собственников", "end of acceptance of decisions"),
            Step::Protocol => lang.pick("протокол оформлен и подписан", "protocol drawn up and signed"),
            Step::Originals => lang.pick(
                "оригиналы протокола и решений переданы в управляющую организацию (или ГЖИ)",
                "originals of the protocol and decisions handed to the managing organisation (or the inspectorate)",
            ),
            Step::Results => lang.pick("собственники извещены об итогах", "owners told the results"),
            Step::Inspectorate => lang.pick(
                "управляющая организация передала оригиналы в ГЖИ (5 дней после получения)",
                "managing organisation forwarded the originals to the inspectorate (5 days after receipt)",
            ),
            Step::Challenge => {
                lang.pick("последний день обжалования решений в суде", "last day to challenge the decisions in court")
            }
        }
    }

    /// The article behind the date.
    pub fn article(self, lang: Lang) -> &'static str {
        match self {
            Step::NoticeSafe => lang.pick("выбор obhod", "obhod's choice"),
            Step::NoticeLast => lang.pick("ч. 4 ст. 45 ЖК РФ", "part 4 art. 45 of the Housing Code"),
            Step::Meeting => lang.pick("ч. 5 ст. 45 ЖК РФ", "part 5 art. 45 of the Housing Code"),
            Step::VotingEnds => lang.pick("ч. 3 ст. 47 ЖК РФ", "part 3 art. 47 of the Housing Code"),
            Step::Protocol => {
                lang.pick("ч. 1 ст. 46 ЖК РФ, приказ Минстроя № 266/пр", "part 1 art. 46, Minstroy order 266/pr")
            }
            Step::Originals => lang.pick("ч. 1 ст. 46 ЖК РФ", "part 1 art. 46 of the Housing Code"),
            Step::Results => lang.pick("ч. 3 ст. 46 ЖК РФ", "part 3 art. 46 of the Housing Code"),
            Step::Inspectorate => lang.pick("ч. 1.1 ст. 46 ЖК РФ", "part 1.1 art. 46 of the Housing Code"),
            Step::Challenge => lang.pick("ч. 6 ст. 46 ЖК РФ", "part 6 art. 46 of the Housing Code"),
        }
    }
}

/// A step with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub step: Step,
    pub date: NaiveDate,
}

/// The whole timeline of a meeting, in date order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    pub deadlines: Vec<Deadline>,
    /// About the notice date, when one was given.
    pub warnings: Vec<Warning>,
}

/// The minimum days between the notice and the meeting (ч.4 ст.45 ЖК РФ).
pub const NOTICE_DAYS: u64 = 10;
/// The days obhod recommends, so that the disputed boundary day is never needed [choice].
pub const SAFE_NOTICE_DAYS: u64 = 12;

/// The timeline of `meeting`; with `notice`, the day the notice goes out (the last
/// signature or the sending of the letters), also checks its gap to the meeting.
pub fn timeline(meeting: &Meeting, notice: Option<NaiveDate>) -> Timeline {
    let (d, e) = (meeting.date, meeting.voting_ends);
    let before = |n: u64| d.checked_sub_days(Days::new(n)).unwrap_or(d);
    let after = |n: u64| e.checked_add_days(Days::new(n)).unwrap_or(e);
    let mut deadlines = vec![
        Deadline { step: Step::NoticeSafe, date: before(SAFE_NOTICE_DAYS) },
        Deadline { step: Step::NoticeLast, date: before(NOTICE_DAYS) },
        Deadline { step: Step::Meeting, date: d },
    ];
    if e != d {
        deadlines.push(Deadline { step: Step::VotingEnds, date: e });
    }
    deadlines.extend([
        Deadline { step: Step::Protocol, date: after(10) },
        Deadline { step: Step::Originals, date: after(10) },
        Deadline { step: Step::Results, date: after(10) },
        Deadline { step: Step::Inspectorate, date: after(15) },
        Deadline { step: Step::Challenge, date: e.checked_add_months(Months::new(6)).unwrap_or(e) },
    ]);
    let mut warnings = Vec::new();
    if let Some(notice) = notice {
        let days = (d - notice).num_days();
        if days < NOTICE_DAYS as i64 {
            warnings.push(Warning::NoticeTooLate { days });
        } else if days < SAFE_NOTICE_DAYS as i64 {
            warnings.push(Warning::NoticeOnBoundary { days });
        }
    }
    Timeline { deadlines, warnings }
}
