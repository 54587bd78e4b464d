//! Registered letters (ч.4 ст.45 ЖК РФ, ст.165.1 ГК РФ): the tracking number of a letter sent, the
//! letters of the organiser's registered-mail list (`envelope`) and their addresses in parts
//! (`address`), and the warnings about notices that came late or never. Pure: the papers crate
//! turns the letters into form 103 or the Russian Post service's order.

pub mod address;
mod envelope;

use chrono::{Days, NaiveDate};

pub use address::AddressParts;
pub use envelope::{Destination, Envelope, envelope_warnings, envelopes, every_envelope};

use crate::canvass::{Canvass, NoticeBy};
use crate::deadlines::NOTICE_DAYS;
use crate::lang::Lang;
use crate::meeting::Meeting;
use crate::registry::Registry;
use crate::warning::Warning;

/// A Russian Post tracking number (ШПИ) of a domestic item: 14 digits, the last a check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tracking(String);

/// Why a tracking number was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadTracking {
    /// A character that is not a digit (spaces and dashes are allowed and dropped).
    NotDigit { text: String, character: char },
    /// A number a spreadsheet wrote in exponent form (`8,00829E+13`): its digits are lost.
    Exponent { text: String },
    /// Not 14 digits.
    Length { text: String, digits: usize },
    /// The last digit is not the check digit of the others: a digit was mistyped or two swapped.
    CheckDigit { text: String, expected: char },
}

impl Tracking {
    /// The number of digits of a domestic tracking number.
    pub const DIGITS: usize = 14;

    /// Reads a tracking number as people copy it (`80082 89312 3451`, `8008-2893-1234-51` too):
    /// 14 digits, spaces and dashes ignored, the last the check digit of the others.
    pub fn parse(text: &str) -> Result<Tracking, BadTracking> {
        let tracking = Tracking::stored(text)?;
        let expected = check_digit(&tracking.0[..Tracking::DIGITS - 1]);
        if !tracking.0.ends_with(expected) {
            return Err(BadTracking::CheckDigit { text: text.trim().into(), expected });
        }
        Ok(tracking)
    }

    /// A tracking number as a fact already holds it: 14 digits, the check digit not checked again,
    /// so a fact recorded before the check was made is never lost.
    pub fn stored(text: &str) -> Result<Tracking, BadTracking> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if digits.contains(['E', 'e']) && digits.contains('+') {
            return Err(BadTracking::Exponent { text: text.trim().into() });
        }
        if let Some(character) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(BadTracking::NotDigit { text: text.trim().into(), character });
        }
        if digits.len() != Tracking::DIGITS {
            return Err(BadTracking::Length { text: text.trim().into(), digits: digits.len() });
        }
        Ok(Tracking(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Post's check digit of the first 13 digits: the digits in odd places count three times, the
/// others once, and the check digit brings the sum to a multiple of ten.
fn check_digit(digits: &str) -> char {
    let sum: u32 = digits.bytes().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

impl std::fmt::Display for Tracking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl BadTracking {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (BadTracking::NotDigit { text, character }, Lang::Ru) => {
                format!("ШПИ «{text}»: символ «{character}» — не цифра; ШПИ — это 14 цифр")
            }
            (BadTracking::NotDigit { text, character }, Lang::En) => {
                format!("tracking number \"{text}\": '{character}' is not a digit; it is 14 digits")
            }
            (BadTracking::Exponent { text }, Lang::Ru) => format!(
                "ШПИ «{text}»: таблица записала номер как число и потеряла его цифры; \
                 задайте столбцу ШПИ текстовый формат и впишите номера снова"
            ),
            (BadTracking::Exponent { text }, Lang::En) => format!(
                "tracking number \"{text}\": the spreadsheet wrote it as a number and lost its digits; \
                 format the column as text and type the numbers again"
            ),
            (BadTracking::Length { text, digits }, Lang::Ru) => {
                let n = lang.count(*digits as u64, ["цифра", "цифры", "цифр"], ["digit", "digits"]);
                format!("ШПИ «{text}»: {n}, а нужно 14")
            }
            (BadTracking::Length { text, digits }, Lang::En) => {
                let n = lang.count(*digits as u64, ["цифра", "цифры", "цифр"], ["digit", "digits"]);
                format!("tracking number \"{text}\": {n}, 14 expected")
            }
            (BadTracking::CheckDigit { text, expected }, Lang::Ru) => format!(
                "ШПИ «{text}»: не сходится контрольная (последняя) цифра, по остальным она {expected}; \
                 проверьте, не ошиблись ли в цифре"
            ),
            (BadTracking::CheckDigit { text, expected }, Lang::En) => format!(
                "tracking number \"{text}\": the check (last) digit does not match, the others make it {expected}; \
                 check for a mistyped digit"
            ),
        }
    }
}

/// A registered letter sent to an owner: the sending date (the notice counts from it) and its
/// tracking number when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub date: NaiveDate,
    pub tracking: Option<Tracking>,
}

/// The last day a letter may be sent or a notice handed over: D − 10.
pub fn notice_deadline(meeting: &Meeting) -> NaiveDate {
    meeting.date.checked_sub_days(Days::new(NOTICE_DAYS)).unwrap_or(meeting.date)
}

/// How the day of a notice stands against the meeting (ч.4 ст.45 ЖК РФ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeliness {
    /// Twelve days or more before the meeting.
    InTime,
    /// Ten or eleven days before: in time, but the boundary day is disputed.
    Boundary,
    /// After D − 10: the owner was not notified in time.
    Late,
}

/// Whether a notice given (signed or sent) on `date` is in time for the meeting.
pub fn timeliness(meeting: &Meeting, date: NaiveDate) -> Timeliness {
    let days = (meeting.date - date).num_days();
    if days < NOTICE_DAYS as i64 {
        Timeliness::Late
    } else if days < crate::deadlines::SAFE_NOTICE_DAYS as i64 {
        Timeliness::Boundary
    } else {
        Timeliness::InTime
    }
}

/// The notices that came late (one warning per owner), the owners notified on the disputed
/// boundary days (one warning), and the owners not notified at all (one warning). Each owner
/// counts once, whichever of its premises its notice came by.
pub fn notice_warnings(meeting: &Meeting, registry: &Registry, canvass: &Canvass) -> Vec<Warning> {
    let deadline = notice_deadline(meeting);
    let mut warnings = Vec::new();
    let (mut unnotified, mut boundary) = (0, 0);
    let mut seen = std::collections::HashSet::new();
    for (_, owner) in canvass.owners() {
        if !seen.insert(&owner.key) {
            continue;
        }
        let Some(notice) = owner.notice() else {
            unnotified += 1;
            continue;
        };
        let premise = registry.premises[notice.premise].label.clone();
        let name = owner.owner.name.clone();
        match (timeliness(meeting, notice.date), &notice.by) {
            (Timeliness::Late, NoticeBy::Letter(_)) => {
                warnings.push(Warning::LetterSentLate { premise, owner: name, sent: notice.date, deadline })
            }
            (Timeliness::Late, NoticeBy::Signature) => {
                warnings.push(Warning::DeliveredLate { premise, owner: name, signed: notice.date, deadline })
            }
            (Timeliness::Boundary, _) => boundary += 1,
            (Timeliness::InTime, _) => {}
        }
    }
    if boundary > 0 {
        warnings.push(Warning::NoticesOnBoundary { owners: boundary, deadline });
    }
    if unnotified > 0 {
        warnings.push(Warning::OwnersUnnotified { owners: unnotified, deadline });
    }
    warnings
}
