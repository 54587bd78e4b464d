//! Whether an act may be recorded: pure functions over what is typed and the campaign's state
//! (the meeting, the facts), each returning a typed refusal. The store asks them under its write
//! lock and records what they allow; the CLI, the TUI, the CSV import and sync all go through it.
//! Who may withdraw a decision is in `decision`; whether a meeting may change, in `meeting::update`.

use chrono::{Months, NaiveDate};
use rustc_hash::FxHashMap;

use crate::canvass::{Act, Contact, Fact, Outcome};
use crate::mail::{Letter, Tracking};
use crate::registry::Registry;

/// The longest note a mark or an undo takes, in characters: a few lines a canvasser types at a
/// door, which every device of the group keeps and shows.
pub const NOTE_LIMIT: usize = 500;

/// Why an act is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoteTooLong {
        chars: usize,
        limit: usize,
    },
    /// A phone or an e-mail in a note: notes go to every device, contacts only under consent.
    PersonalDataInNote,
    BadPhone,
    BadEmail,
    ContactOnOtherOutcome,
    ConsentOnOtherOutcome,
    NoSendingDate,
    LetterOnOtherOutcome,
    NotSentYet {
        date: NaiveDate,
        today: NaiveDate,
    },
    SentLongBefore {
        date: NaiveDate,
        meeting: NaiveDate,
    },
    NotSignedYet {
        date: NaiveDate,
        today: NaiveDate,
    },
    SignedLongBefore {
        date: NaiveDate,
        meeting: NaiveDate,
    },
    SignedOnOtherOutcome,
    /// A tracking number a standing letter already carries (the fact `fact`).
    TrackingRecorded {
        tracking: String,
        premise: String,
        owner: Option<String>,
        date: NaiveDate,
        fact: String,
    },
    UnknownFact(String),
    WithdrawalOfWithdrawal(String),
    AlreadyWithdrawn(String),
    /// No premise of the registry goes by this label (as typed, trimmed).
    UnknownPremise {
        premise: String,
    },
    /// The premise has no owner of this name; `owners` are those it has.
    UnknownOwner {
        premise: String,
        owner: String,
        owners: Vec<String>,
    },
    /// A premise without a registered owner takes only «не застали».
    NoOwners {
        premise: String,
    },
    /// One tracking number for a premise of several owners: a letter goes to one addressee.
    TrackingForSeveral {
        premise: String,
        owners: Vec<String>,
    },
    /// A consent or a contact names one owner, and the premise has several.
    WhichOwner {
        premise: String,
        owners: Vec<String>,
    },
    /// A contact without a phone or an e-mail.
    NoContactData,
    /// A contact of an owner who has signed no consent (and does not sign it now).
    NoConsent {
        premise: String,
        owner: String,
    },
}

/// Whom a mark is about, as the registry names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The premise's index in the registry, and its label.
    pub premise: usize,
    pub label: String,
    /// Every owner of the premise, in the registry's order.
    pub owners: Vec<String>,
    /// The owner the mark names; for a consent or a contact, the premise's only owner when it
    /// names none.
    pub owner: Option<String>,
}

/// The premise and owner of a mark typed as `premise` and `owner`: the registry's own names (an
/// owner matched exactly, then spaces, case, Latin look-alikes and ё folded). Refused for an
/// unknown premise or owner, for any outcome but «не застали» where the premise has no owner, for a
/// tracking number (`tracked`) on a premise of several owners without one named, and for a consent
/// or a contact that does not say whose it is.
pub fn target(
    registry: &Registry,
    premise: &str,
    owner: Option<&str>,
    outcome: Outcome,
    tracked: bool,
) -> Result<Target, Refusal> {
    let index = registry.find(premise).ok_or_else(|| Refusal::UnknownPremise { premise: premise.trim().into() })?;
    let label = registry.premises[index].label.clone();
    let owners: Vec<String> = registry.premises[index].owners().iter().map(|o| o.name.clone()).collect();
    if owners.is_empty() && outcome != Outcome::Absent {
        return Err(Refusal::NoOwners { premise: label });
    }
    let named = match owner {
        Some(name) => {
            let folded = crate::text::fold(name);
            let found = owners
                .iter()
                .find(|o| o.as_str() == name)
                .or_else(|| owners.iter().find(|o| crate::text::fold(o) == folded));
            let unknown =
                || Refusal::UnknownOwner { premise: label.clone(), owner: name.into(), owners: owners.clone() };
            Some(found.cloned().ok_or_else(unknown)?)
        }
        None => None,
    };
    if tracked && named.is_none() && owners.len() > 1 {
        return Err(Refusal::TrackingForSeveral { premise: label, owners });
    }
    let personal = matches!(outcome, Outcome::Consent | Outcome::Contact);
    let owner = match named {
        None if personal && owners.len() == 1 => Some(owners[0].clone()),
        None if personal => return Err(Refusal::WhichOwner { premise: label, owners }),
        named => named,
    };
    Ok(Target { premise: index, label, owners, owner })
}

/// A contact's values, refused without a phone or an e-mail or with one that does not read.
pub fn contact_values(contact: Option<&Contact>) -> Result<&Contact, Refusal> {
    let contact = contact.filter(|c| c.phone.is_some() || c.email.is_some()).ok_or(Refusal::NoContactData)?;
    check_contact(contact)?;
    Ok(contact)
}

/// A contact is kept only under a consent: one signed now (`signs_now`) or the owner's standing
/// consent (`standing`, its fact's id), which is returned.
pub fn consent_for_contact(
    target: &Target,
    signs_now: bool,
    standing: Option<String>,
) -> Result<Option<String>, Refusal> {
    if signs_now {
        return Ok(None);
    }
    let owner = target.owner.clone().unwrap_or_default();
    standing.map(Some).ok_or(Refusal::NoConsent { premise: target.label.clone(), owner })
}

/// What a mark carries beside its premise and owner, as typed.
#[derive(Debug, Clone, Copy)]
pub struct MarkShape<'a> {
    pub outcome: Outcome,
    pub contact: bool,
    pub consent: bool,
    pub sent: Option<&'a Letter>,
    pub signed: Option<NaiveDate>,
}

/// Refuses a note longer than `NOTE_LIMIT` or holding a phone or an e-mail. A new note only: the
/// facts already recorded are read whatever their notes.
pub fn check_note(note: Option<&str>) -> Result<(), Refusal> {
    let Some(note) = note.map(str::trim) else { return Ok(()) };
    let chars = note.chars().count();
    if chars > NOTE_LIMIT {
        return Err(Refusal::NoteTooLong { chars, limit: NOTE_LIMIT });
    }
    match crate::text::has_phone_or_email(note) {
        true => Err(Refusal::PersonalDataInNote),
        false => Ok(()),
    }
}

/// Refuses a phone or e-mail that cannot be one (a slip of the thumb on a phone's keyboard): a
/// phone is 5 to 15 digits with `+`, spaces, brackets, dots and dashes; an e-mail is one `@`
/// between a name and a domain with a dot, without spaces.
pub fn check_contact(contact: &Contact) -> Result<(), Refusal> {
    if let Some(phone) = &contact.phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || !(5..=15).contains(&digits) {
            return Err(Refusal::BadPhone);
        }
    }
    if let Some(email) = &contact.email {
        let well_formed = email.split_once('@').is_some_and(|(name, domain)| {
            !name.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
        if !well_formed || email.chars().any(char::is_whitespace) {
            return Err(Refusal::BadEmail);
        }
    }
    Ok(())
}

/// Refuses a letter sent, or a notice signed, more than a year before the meeting on `meeting`:
/// no notice goes out that early, and a mistyped year (`0026`) would count the owner as notified.
pub fn sent_in_time(sent: Option<&Letter>, signed: Option<NaiveDate>, meeting: NaiveDate) -> Result<(), Refusal> {
    let earliest = meeting.checked_sub_months(Months::new(12)).unwrap_or(meeting);
    match (sent, signed) {
        (Some(letter), _) if letter.date < earliest => Err(Refusal::SentLongBefore { date: letter.date, meeting }),
        (_, Some(date)) if date < earliest => Err(Refusal::SignedLongBefore { date, meeting }),
        _ => Ok(()),
    }
}

/// Refuses what a mark carries that its outcome does not take (a contact, a consent, a letter,
/// a signing day), a letter without its date, and a letter sent or a delivery signed after
/// `today`.
pub fn check_mark(mark: MarkShape, today: NaiveDate) -> Result<(), Refusal> {
    if mark.contact && mark.outcome != Outcome::Contact {
        return Err(Refusal::ContactOnOtherOutcome);
    }
    if mark.consent && mark.outcome != Outcome::Contact {
        return Err(Refusal::ConsentOnOtherOutcome);
    }
    match (mark.outcome, mark.sent) {
        (Outcome::Sent, None) => return Err(Refusal::NoSendingDate),
        (Outcome::Sent, Some(letter)) if letter.date > today => {
            return Err(Refusal::NotSentYet { date: letter.date, today });
        }
        (Outcome::Sent, Some(_)) | (_, None) => {}
        (_, Some(_)) => return Err(Refusal::LetterOnOtherOutcome),
    }
    match (mark.outcome, mark.signed) {
        (Outcome::Delivered, Some(date)) if date > today => Err(Refusal::NotSignedYet { date, today }),
        (Outcome::Delivered, _) | (_, None) => Ok(()),
        (_, Some(_)) => Err(Refusal::SignedOnOtherOutcome),
    }
}

/// Whether `date` may be the day an owner signed a delivery typed in on `today`, for a meeting on
/// `meeting`: today or earlier, and not more than a year before the meeting (a mistyped year).
pub fn check_signed(date: NaiveDate, today: NaiveDate, meeting: NaiveDate) -> Result<(), Refusal> {
    if date > today {
        return Err(Refusal::NotSignedYet { date, today });
    }
    sent_in_time(None, Some(date), meeting)
}

/// Refuses a tracking number that a standing letter already carries (`tracked`: the standing
/// letters by tracking number): a number names one mail item.
pub fn check_tracking(tracking: &Tracking, tracked: &FxHashMap<Tracking, Fact>) -> Result<(), Refusal> {
    let Some(fact) = tracked.get(tracking) else { return Ok(()) };
    let Act::Mark { premise, owner, sent: Some(letter), .. } = &fact.act else { return Ok(()) };
    Err(Refusal::TrackingRecorded {
        tracking: tracking.to_string(),
        premise: premise.clone(),
        owner: owner.clone(),
        date: letter.date,
        fact: fact.id.clone(),
    })
}

/// Whether fact `id` may be withdrawn (`obhod undo`): it is among `facts`, is not itself a
/// withdrawal, and no withdrawal cites it yet.
pub fn check_undo<'a>(id: &str, mut facts: impl Iterator<Item = &'a Fact> + Clone) -> Result<(), Refusal> {
    let target = facts.clone().find(|f| f.id == id).ok_or_else(|| Refusal::UnknownFact(id.into()))?;
    if matches!(target.act, Act::Withdraw { .. }) {
        return Err(Refusal::WithdrawalOfWithdrawal(id.into()));
    }
    if facts.any(|f| matches!(&f.act, Act::Withdraw { fact } if fact == id)) {
        return Err(Refusal::AlreadyWithdrawn(id.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn fact(id: &str, act: Act) -> Fact {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T19:00:00+03:00").unwrap();
        Fact { id: id.into(), device: "d".into(), at, note: None, act }
    }

    fn shape(outcome: Outcome) -> MarkShape<'static> {
        MarkShape { outcome, contact: false, consent: false, sent: None, signed: None }
    }

    fn registry() -> Registry {
        let text = "premise;kind;area;owner;share\n\
                    1;flat;50;Орлова Елена Викторовна;\n\
                    2;flat;60;Кузнецов Андрей Петрович;1/2\n\
                    2;flat;60;Кузнецова Марина Олеговна;1/2\n\
                    Чердак;nonresidential;30;;\n";
        Registry::parse("registry.csv", text.as_bytes()).unwrap()
    }

    #[test]
    fn a_marks_target_is_the_registrys_premise_and_owner_or_a_refusal_that_names_them() {
        let registry = registry();
        let absent = target(&registry, " 2 ", None, Outcome::Absent, false).unwrap();
        assert_eq!((absent.label.as_str(), absent.owners.len(), absent.owner), ("2", 2, None));
        let folded = target(&registry, "2", Some("кузнецова  марина олеговна"), Outcome::Delivered, false).unwrap();
        assert_eq!(folded.owner.as_deref(), Some("Кузнецова Марина Олеговна"), "matched as a ballot's owner is");
        let only = target(&registry, "1", None, Outcome::Consent, false).unwrap();
        assert_eq!(only.owner.as_deref(), Some("Орлова Елена Викторовна"), "a consent of the only owner");
        assert_eq!(
            target(&registry, "99", None, Outcome::Absent, false),
            Err(Refusal::UnknownPremise { premise: "99".into() })
        );
        assert!(matches!(
            target(&registry, "2", Some("Петров"), Outcome::Delivered, false),
            Err(Refusal::UnknownOwner { owners, .. }) if owners.len() == 2
        ));
        assert_eq!(
            target(&registry, "Чердак", None, Outcome::Delivered, false),
            Err(Refusal::NoOwners { premise: "Чердак".into() })
        );
        assert!(target(&registry, "Чердак", None, Outcome::Absent, false).is_ok(), "nobody home is a fact anywhere");
        assert!(matches!(target(&registry, "2", None, Outcome::Sent, true), Err(Refusal::TrackingForSeveral { .. })));
        assert!(matches!(target(&registry, "2", None, Outcome::Contact, false), Err(Refusal::WhichOwner { .. })));
        let consent = |standing: Option<&str>| consent_for_contact(&only, false, standing.map(str::to_owned));
        assert_eq!(consent(Some("01C")), Ok(Some("01C".into())));
        assert!(matches!(consent(None), Err(Refusal::NoConsent { .. })));
        assert_eq!(consent_for_contact(&only, true, None), Ok(None), "signed now");
        assert_eq!(contact_values(None), Err(Refusal::NoContactData));
    }

    #[test]
    fn a_note_with_a_phone_or_over_the_limit_is_refused() {
        assert_eq!(check_note(Some("звонить на +7 913 555-01-77")), Err(Refusal::PersonalDataInNote));
        let long = "а".repeat(NOTE_LIMIT + 1);
        assert_eq!(check_note(Some(&long)), Err(Refusal::NoteTooLong { chars: NOTE_LIMIT + 1, limit: NOTE_LIMIT }));
        assert_eq!(check_note(Some(&"а".repeat(NOTE_LIMIT))), Ok(()));
        assert_eq!(check_note(None), Ok(()));
    }

    #[test]
    fn a_contact_that_cannot_be_one_is_refused() {
        let phone = |p: &str| Contact { phone: Some(p.into()), email: None };
        let email = |e: &str| Contact { phone: None, email: Some(e.into()) };
        assert_eq!(check_contact(&phone("+7 (913) 555-01-77")), Ok(()));
        assert_eq!(check_contact(&phone("123")), Err(Refusal::BadPhone));
        assert_eq!(check_contact(&phone("913 555 О1 77")), Err(Refusal::BadPhone));
        assert_eq!(check_contact(&email("anna@mail.ru")), Ok(()));
        for bad in ["anna@", "@mail.ru", "anna@mail", "a b@mail.ru", "anna@@mail.ru", "anna@.ru"] {
            assert_eq!(check_contact(&email(bad)), Err(Refusal::BadEmail), "{bad}");
        }
    }

    #[test]
    fn a_letter_or_signing_more_than_a_year_before_the_meeting_is_a_mistyped_year() {
        let meeting = day("2026-12-10");
        let letter = |date: &str| Letter { date: day(date), tracking: None };
        assert_eq!(sent_in_time(Some(&letter("2025-12-10")), None, meeting), Ok(()));
        assert_eq!(
            sent_in_time(Some(&letter("0026-11-20")), None, meeting),
            Err(Refusal::SentLongBefore { date: day("0026-11-20"), meeting })
        );
        assert_eq!(
            check_signed(day("2025-12-09"), day("2026-12-01"), meeting),
            Err(Refusal::SignedLongBefore { date: day("2025-12-09"), meeting })
        );
        assert_eq!(
            check_signed(day("2026-12-02"), day("2026-12-01"), meeting),
            Err(Refusal::NotSignedYet { date: day("2026-12-02"), today: day("2026-12-01") })
        );
    }

    #[test]
    fn what_an_outcome_does_not_take_is_refused() {
        let today = day("2026-12-01");
        let letter = Letter { date: day("2026-11-30"), tracking: None };
        let late = Letter { date: day("2026-12-02"), tracking: None };
        assert_eq!(
            check_mark(MarkShape { contact: true, ..shape(Outcome::Absent) }, today),
            Err(Refusal::ContactOnOtherOutcome)
        );
        assert_eq!(
            check_mark(MarkShape { consent: true, ..shape(Outcome::Consent) }, today),
            Err(Refusal::ConsentOnOtherOutcome)
        );
        assert_eq!(check_mark(shape(Outcome::Sent), today), Err(Refusal::NoSendingDate));
        assert_eq!(check_mark(MarkShape { sent: Some(&letter), ..shape(Outcome::Sent) }, today), Ok(()));
        assert_eq!(
            check_mark(MarkShape { sent: Some(&late), ..shape(Outcome::Sent) }, today),
            Err(Refusal::NotSentYet { date: late.date, today })
        );
        assert_eq!(
            check_mark(MarkShape { sent: Some(&letter), ..shape(Outcome::Absent) }, today),
            Err(Refusal::LetterOnOtherOutcome)
        );
        assert_eq!(check_mark(MarkShape { signed: Some(today), ..shape(Outcome::Delivered) }, today), Ok(()));
        assert_eq!(
            check_mark(MarkShape { signed: Some(today), ..shape(Outcome::Absent) }, today),
            Err(Refusal::SignedOnOtherOutcome)
        );
    }

    #[test]
    fn a_tracking_number_of_a_standing_letter_is_refused() {
        let tracking = Tracking::stored("80082893123451").unwrap();
        let letter = Letter { date: day("2026-11-30"), tracking: Some(tracking.clone()) };
        let sent = Act::Mark {
            premise: "1".into(),
            owner: None,
            outcome: Outcome::Sent,
            contact: None,
            sent: Some(letter),
            signed: None,
            under: 0,
        };
        let tracked: FxHashMap<Tracking, Fact> = [(tracking.clone(), fact("F1", sent))].into_iter().collect();
        assert!(
            matches!(check_tracking(&tracking, &tracked), Err(Refusal::TrackingRecorded { fact, .. }) if fact == "F1")
        );
        assert_eq!(check_tracking(&tracking, &FxHashMap::default()), Ok(()));
    }

    #[test]
    fn an_undo_of_an_unknown_fact_a_withdrawal_or_a_withdrawn_fact_is_refused() {
        let facts = [
            fact("F1", Act::mark("1", None, Outcome::Absent)),
            fact("F2", Act::mark("2", None, Outcome::Absent)),
            fact("W1", Act::Withdraw { fact: "F1".into() }),
        ];
        assert_eq!(check_undo("F2", facts.iter()), Ok(()));
        assert_eq!(check_undo("F1", facts.iter()), Err(Refusal::AlreadyWithdrawn("F1".into())));
        assert_eq!(check_undo("W1", facts.iter()), Err(Refusal::WithdrawalOfWithdrawal("W1".into())));
        assert_eq!(check_undo("F9", facts.iter()), Err(Refusal::UnknownFact("F9".into())));
    }
}
