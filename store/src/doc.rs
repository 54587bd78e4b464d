//! The campaign as an automerge document, and how its values translate to `core`'s plain ones.
//!
//! ```text
//! ROOT
//! ├─ obhod: 1                      document layout version
//! ├─ campaign: "01J…"              the campaign id (a ULID)
//! ├─ address: "г. …, д. 5"         the building
//! ├─ meeting:  { file, text,       meeting.toml as given (agenda included), at init and at
//! │             updated }          each `obhod meeting update`; `updated`: who changed it, when
//! ├─ registry: { file, text,       the registry as given (a workbook's table as CSV), at init
//! │             updated }          and at each `obhod registry update`; `updated` as the meeting's
//! ├─ facts:    { FACT_ID: "json" } canvass facts, immutable, one JSON string each; a contact
//! │                                fact carries only its contact's id, never a phone or e-mail;
//! │                                in a group each carries `n` and `sig` (see `sign`)
//! ├─ ballots:  { KEY: "json" }     received ballots, keyed by ["premise","owner"], signed alike
//! └─ group: "json"                 the group's devices and its revocation list, signed by the
//!                                  group's CA on the organiser's device (absent until a group is
//!                                  made)
//! ```
//!
//! All maps are created once, in the genesis change written by `obhod init`; other replicas start
//! from that document, so no two replicas ever create the same map. A fact is one immutable string
//! rather than a map of fields: nothing in it is ever edited, and loading 20,000 facts is five
//! times faster this way.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValueRef, ValueRef};
use chrono::{DateTime, FixedOffset, NaiveDate};
use obhod_core::registry::since::Since;
use obhod_core::{Act, Answer, Authority, Ballot, Fact, Invalid, Letter, Outcome, Proxy, Representative, Tracking};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::StoreError;

/// The document layout version written in `ROOT.obhod`.
pub const LAYOUT: i64 = 1;

/// The source files a campaign is created from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    pub meeting_file: String,
    pub meeting_text: String,
    pub registry_file: String,
    pub registry_text: String,
}

/// Writes the genesis of a campaign into an empty transaction.
pub fn genesis(tx: &mut impl Transactable, id: &str, address: &str, sources: &Sources) -> Result<(), StoreError> {
    tx.put(ROOT, "obhod", LAYOUT)?;
    tx.put(ROOT, "campaign", id)?;
    tx.put(ROOT, "address", address)?;
    let meeting = tx.put_object(ROOT, "meeting", ObjType::Map)?;
    tx.put(&meeting, "file", sources.meeting_file.as_str())?;
    tx.put(&meeting, "text", sources.meeting_text.as_str())?;
    let registry = tx.put_object(ROOT, "registry", ObjType::Map)?;
    tx.put(&registry, "file", sources.registry_file.as_str())?;
    tx.put(&registry, "text", sources.registry_text.as_str())?;
    tx.put_object(ROOT, "facts", ObjType::Map)?;
    tx.put_object(ROOT, "ballots", ObjType::Map)?;
    Ok(())
}

/// The ids of the document's maps, looked up once after loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub facts: ObjId,
    pub ballots: ObjId,
    pub meeting: ObjId,
    pub registry: ObjId,
}

impl Layout {
    pub fn find(doc: &Automerge) -> Result<Layout, StoreError> {
        let version = doc
            .get(ROOT, "obhod")?
            .and_then(|(value, _)| value.as_i64())
            .ok_or_else(|| StoreError::Damaged("the document has no obhod campaign".into()))?;
        if version > LAYOUT {
            return Err(StoreError::Damaged(format!("document layout {version} is newer than this obhod")));
        }
        Ok(Layout {
            facts: map(doc, &ROOT, "facts")?,
            ballots: map(doc, &ROOT, "ballots")?,
            meeting: map(doc, &ROOT, "meeting")?,
            registry: map(doc, &ROOT, "registry")?,
        })
    }
}

fn map(doc: &Automerge, parent: &ObjId, key: &str) -> Result<ObjId, StoreError> {
    match doc.get(parent, key)? {
        Some((value, id)) if value.to_objtype() == Some(ObjType::Map) => Ok(id),
        _ => Err(StoreError::Damaged(format!("the document has no map {key}"))),
    }
}

/// A string at `key` of `obj`.
pub fn string(doc: &Automerge, obj: &ObjId, key: &str) -> Result<String, StoreError> {
    doc.get(obj, key)?
        .and_then(|(value, _)| value.as_str().map(str::to_string))
        .ok_or_else(|| StoreError::Damaged(format!("the document has no text {key}")))
}

/// The sources the campaign was created from.
pub fn sources(doc: &Automerge) -> Result<Sources, StoreError> {
    let meeting = map(doc, &ROOT, "meeting")?;
    let registry = map(doc, &ROOT, "registry")?;
    Ok(Sources {
        meeting_file: string(doc, &meeting, "file")?,
        meeting_text: string(doc, &meeting, "text")?,
        registry_file: string(doc, &registry, "file")?,
        registry_text: string(doc, &registry, "text")?,
    })
}

/// The campaign's meeting as it stands: the file name and the text. Where two devices updated it
/// at once, automerge's winner, the same on every replica (`meeting_versions` counts the others).
pub fn meeting(doc: &Automerge) -> Result<(String, String), StoreError> {
    let meeting = map(doc, &ROOT, "meeting")?;
    Ok((string(doc, &meeting, "file")?, string(doc, &meeting, "text")?))
}

/// Whether the document's `source` map ("meeting" or "registry") holds `file` and `text`, compared
/// where they lie: a registry's text is large, and copying it out after every write (to find it
/// unchanged) cost a sync round a few per cent.
pub fn holds(doc: &Automerge, source: &str, file: &str, text: &str) -> bool {
    let Ok(obj) = map(doc, &ROOT, source) else { return false };
    let (mut same_file, mut same_text) = (false, false);
    for item in doc.map_range(&obj, ..) {
        match (item.key.as_ref(), &item.value) {
            ("file", ValueRef::Scalar(ScalarValueRef::Str(value))) => same_file = *value == file,
            ("text", ValueRef::Scalar(ScalarValueRef::Str(value))) => same_text = *value == text,
            _ => {}
        }
    }
    same_file && same_text
}

/// How many texts of the meeting stand side by side: 1, or more where devices updated it at once
/// and no update has followed since.
pub fn meeting_versions(doc: &Automerge) -> usize {
    let Ok(meeting) = map(doc, &ROOT, "meeting") else { return 1 };
    doc.get_all(&meeting, "text").map_or(1, |values| values.len().max(1))
}

/// The campaign's registry as it stands: the file name and the text; where two devices updated
/// it at once, automerge's winner, as for the meeting.
pub fn registry(doc: &Automerge) -> Result<(String, String), StoreError> {
    let registry = map(doc, &ROOT, "registry")?;
    Ok((string(doc, &registry, "file")?, string(doc, &registry, "text")?))
}

/// How many texts of the registry stand side by side, as `meeting_versions`.
pub fn registry_versions(doc: &Automerge) -> usize {
    let Ok(registry) = map(doc, &ROOT, "registry") else { return 1 };
    doc.get_all(&registry, "text").map_or(1, |values| values.len().max(1))
}

/// The record of the last `obhod registry update`: who changed the registry, when, from which
/// file, and how many differences it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryRecord {
    pub device: String,
    pub at: DateTime<FixedOffset>,
    pub file: String,
    pub differences: usize,
    /// The registry's version: 1 for the first update, one more with each (`core::registry::since`).
    #[serde(default)]
    pub version: u64,
    /// Premise → owner → the version since which it is an owner, for the owners who came after
    /// `init`: cumulative, so that the newest record alone says it (signed with it).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub since: BTreeMap<String, BTreeMap<String, u64>>,
    /// The day of each update so far, the first first (`Since::days`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<NaiveDate>,
}

impl RegistryRecord {
    /// The record of the last update, if the registry was ever updated.
    pub fn read(doc: &Automerge) -> Option<RegistryRecord> {
        let registry = map(doc, &ROOT, "registry").ok()?;
        serde_json::from_str(&string(doc, &registry, "updated").ok()?).ok()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a registry record always serialises")
    }

    /// The registry version it records and since when each owner is one.
    pub fn since(&self) -> Since {
        Since { version: self.version, owners: self.since.clone(), days: self.days.clone() }
    }
}

/// The record of the last `obhod meeting update`: who changed the meeting, when, from which file,
/// and which keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRecord {
    pub device: String,
    pub at: DateTime<FixedOffset>,
    pub file: String,
    /// The keys changed, as the file names them (`meeting.date`).
    pub keys: Vec<String>,
}

impl MeetingRecord {
    /// The record of the last update, if the meeting was ever updated (and this version reads it).
    pub fn read(doc: &Automerge) -> Option<MeetingRecord> {
        let meeting = map(doc, &ROOT, "meeting").ok()?;
        serde_json::from_str(&string(doc, &meeting, "updated").ok()?).ok()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a meeting record always serialises")
    }
}

/// Every string value of a map with its key, in key order.
pub fn strings<'a>(doc: &'a Automerge, obj: &'a ObjId) -> impl Iterator<Item = (String, String)> + 'a {
    doc.map_range(obj, ..).filter_map(|item| match item.value {
        ValueRef::Scalar(ScalarValueRef::Str(s)) => Some((item.key.to_string(), s.to_string())),
        _ => None,
    })
}

/// Every string value of a map with its key, in key order: all of a key's values where devices
/// put it concurrently (automerge keeps them as a conflict; `get` would show one and hide the rest).
pub fn all_strings<'a>(doc: &'a Automerge, obj: &'a ObjId) -> impl Iterator<Item = (String, Vec<String>)> + 'a {
    doc.map_range(obj, ..).map(move |item| {
        let key = item.key.to_string();
        let texts = if item.conflict {
            let all = doc.get_all(obj, key.as_str()).unwrap_or_default();
            all.into_iter().filter_map(|(value, _)| value.as_str().map(str::to_string)).collect()
        } else {
            match item.value {
                ValueRef::Scalar(ScalarValueRef::Str(s)) => vec![s.to_string()],
                _ => Vec::new(),
            }
        };
        (key, texts)
    })
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A fact as stored: flat, versioned JSON.
#[derive(Debug, Serialize, Deserialize)]
struct FactRecord {
    act: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    premise: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fact: Option<String>,
    device: String,
    at: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    /// The id of the contact's values in the store's `contact` table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    contact: Option<String>,
    /// The sending date of a letter (the `sent` outcome); an older obhod does not know the
    /// outcome and keeps the fact unread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sent: Option<NaiveDate>,
    /// The letter's tracking number (ШПИ), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tracking: Option<String>,
    /// The day the owner signed the delivery register, when typed in later than it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    signed: Option<NaiveDate>,
    /// The version of the registry in force where the mark was recorded (`Act::Mark::under`);
    /// none before the first `registry update`. An older obhod leaves it unread, and takes a mark
    /// for every owner for the owners the premise has now.
    #[serde(default, skip_serializing_if = "is_zero")]
    registry: u64,
    /// The writing device's sequence number and signature (`sign`), in a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sig: Option<String>,
}

/// What a stored record says of its signing: the device's sequence number and its signature (hex).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub n: Option<u64>,
    pub sig: Option<String>,
}

/// A fact's stored form.
pub fn encode_fact(fact: &Fact) -> String {
    let mut record = FactRecord {
        act: String::new(),
        premise: None,
        owner: None,
        outcome: None,
        fact: None,
        device: fact.device.clone(),
        at: fact.at,
        note: fact.note.clone(),
        contact: None,
        sent: None,
        tracking: None,
        signed: None,
        registry: 0,
        n: None,
        sig: None,
    };
    match &fact.act {
        Act::Mark { premise, owner, outcome, contact, sent, signed, under } => {
            record.signed = *signed;
            record.registry = *under;
            record.act = "mark".into();
            record.premise = Some(premise.clone());
            record.owner = owner.clone();
            record.outcome = Some(outcome.code().into());
            record.contact = contact.clone();
            record.sent = sent.as_ref().map(|l| l.date);
            record.tracking = sent.as_ref().and_then(|l| l.tracking.as_ref()).map(|t| t.as_str().into());
        }
        Act::Withdraw { fact } => {
            record.act = "withdraw".into();
            record.fact = Some(fact.clone());
        }
    }
    serde_json::to_string(&record).expect("a fact record always serialises")
}

/// Reads a stored fact; `None` for a record this version does not understand (it is kept in the
/// document and left out of the fold).
pub fn decode_fact(id: &str, text: &str) -> Option<Fact> {
    read_fact(id, text).map(|(fact, _)| fact)
}

/// Reads a stored fact with its stamp.
pub fn read_fact(id: &str, text: &str) -> Option<(Fact, Stamp)> {
    let record: FactRecord = serde_json::from_str(text).ok()?;
    let stamp = Stamp { n: record.n, sig: record.sig };
    let act = match record.act.as_str() {
        "mark" => {
            let outcome = Outcome::parse(record.outcome.as_deref()?)?;
            let tracking = match record.tracking.as_deref().map(Tracking::stored) {
                Some(Ok(tracking)) => Some(tracking),
                Some(Err(_)) => return None,
                None => None,
            };
            let sent = match (outcome, record.sent) {
                (Outcome::Sent, Some(date)) => Some(Letter { date, tracking }),
                (Outcome::Sent, None) => return None,
                _ => None,
            };
            let signed = record.signed.filter(|_| outcome == Outcome::Delivered);
            let (premise, owner, contact, under) = (record.premise?, record.owner, record.contact, record.registry);
            Act::Mark { premise, owner, outcome, contact, sent, signed, under }
        }
        "withdraw" => Act::Withdraw { fact: record.fact? },
        _ => return None,
    };
    Some((Fact { id: id.into(), device: record.device, at: record.at, note: record.note, act }, stamp))
}

/// A received ballot as stored, with where it was imported from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRecord {
    pub premise: String,
    pub owner: String,
    pub answers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defect: Option<String>,
    /// Who signed for the owner; all five empty when the owner signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    /// `proxy`, `law` or `head`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_until: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certified_by: Option<String>,
    /// The decision this one corrects (withdrawn in the same change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    pub file: String,
    pub line: u64,
    pub device: String,
    pub at: DateTime<FixedOffset>,
    /// The writing device's sequence number and signature (`sign`), in a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sig: Option<String>,
}

impl BallotRecord {
    pub fn new(ballot: &Ballot, file: &str, device: &str, at: DateTime<FixedOffset>) -> BallotRecord {
        let signer = ballot.representative.as_ref();
        let proxy = signer.and_then(|r| r.authority.proxy());
        BallotRecord {
            premise: ballot.premise.clone(),
            owner: ballot.owner.clone(),
            answers: ballot.answers.iter().map(|a| answer_code(*a).to_string()).collect(),
            received: ballot.received,
            defect: ballot.defect.clone(),
            representative: signer.map(|r| r.name.clone()),
            authority: signer.map(|r| r.authority.code().to_owned()),
            proxy_date: proxy.and_then(|p| p.date),
            proxy_until: proxy.and_then(|p| p.until),
            certified_by: proxy.and_then(|p| p.certified_by.clone()),
            replaces: None,
            file: file.into(),
            line: ballot.line,
            device: device.into(),
            at,
            n: None,
            sig: None,
        }
    }

    pub fn stamp(&self) -> Stamp {
        Stamp { n: self.n, sig: self.sig.clone() }
    }

    /// The owner's key: an older obhod stored one ballot per owner of a premise under it; now
    /// it groups the decisions for one owner (decisions are stored under their own ids).
    pub fn key(premise: &str, owner: &str) -> String {
        serde_json::to_string(&[premise, owner]).expect("strings always serialise")
    }

    /// Whether two records carry the same decision (wherever they were imported from).
    pub fn same_decision(&self, other: &BallotRecord) -> bool {
        (&self.premise, &self.owner, &self.answers, self.received, &self.defect)
            == (&other.premise, &other.owner, &other.answers, other.received, &other.defect)
            && self.signer() == other.signer()
    }

    pub fn ballot(&self) -> Option<Ballot> {
        Some(Ballot {
            line: self.line,
            premise: self.premise.clone(),
            owner: self.owner.clone(),
            answers: self.answers.iter().map(|a| parse_answer(a)).collect::<Option<_>>()?,
            received: self.received,
            defect: self.defect.clone(),
            representative: match &self.representative {
                None => None,
                Some(_) => Some(self.signer()?),
            },
        })
    }

    /// The representative the record carries; `None` also for an authority this version does not know.
    fn signer(&self) -> Option<Representative> {
        let proxy = Proxy { date: self.proxy_date, until: self.proxy_until, certified_by: self.certified_by.clone() };
        let authority = Authority::parse(self.authority.as_deref()?, proxy)?;
        Some(Representative { name: self.representative.clone()?, authority })
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("a ballot record always serialises")
    }

    pub fn decode(text: &str) -> Option<BallotRecord> {
        serde_json::from_str(text).ok()
    }
}

fn answer_code(answer: Answer) -> &'static str {
    match answer {
        Answer::For => "for",
        Answer::Against => "against",
        Answer::Abstain => "abstain",
        Answer::Invalid(Invalid::NoMark) => "no_mark",
        Answer::Invalid(Invalid::Several) => "several",
        Answer::Invalid(Invalid::Spoiled) => "spoiled",
    }
}

pub(crate) fn parse_answer(code: &str) -> Option<Answer> {
    Some(match code {
        "for" => Answer::For,
        "against" => Answer::Against,
        "abstain" => Answer::Abstain,
        "no_mark" => Answer::Invalid(Invalid::NoMark),
        "several" => Answer::Invalid(Invalid::Several),
        "spoiled" => Answer::Invalid(Invalid::Spoiled),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_reads_back_as_written() {
        let fact = Fact {
            id: "01JF0000000000000000000000".into(),
            device: "dev".into(),
            at: DateTime::parse_from_rfc3339("2026-11-21T19:05:03+06:00").unwrap(),
            note: Some("дверь в конце коридора".into()),
            act: Act::Mark {
                premise: "Н-3".into(),
                owner: Some("Иванов Иван".into()),
                outcome: Outcome::Contact,
                contact: Some("01JF0000000000000000000001".into()),
                sent: None,
                signed: None,
                under: 0,
            },
        };
        assert_eq!(decode_fact(&fact.id, &encode_fact(&fact)), Some(fact));
    }

    #[test]
    fn a_letter_sent_reads_back_with_its_date_and_tracking_number() {
        let letter = Letter {
            date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            tracking: Some(Tracking::parse("80082893123451").unwrap()),
        };
        let fact = Fact {
            id: "01JF0000000000000000000002".into(),
            device: "dev".into(),
            at: DateTime::parse_from_rfc3339("2026-11-25T12:00:00+06:00").unwrap(),
            note: None,
            act: Act::Mark {
                premise: "Н-1".into(),
                owner: Some("ООО «Продукты у дома»".into()),
                outcome: Outcome::Sent,
                contact: None,
                sent: Some(letter),
                signed: None,
                under: 0,
            },
        };
        let text = encode_fact(&fact);
        assert!(text.contains(r#""sent":"2026-11-25","tracking":"80082893123451""#), "{text}");
        assert_eq!(decode_fact(&fact.id, &text), Some(fact));
    }

    #[test]
    fn older_facts_still_read_and_a_sent_without_its_date_is_left_out() {
        let old = r#"{"act":"mark","premise":"1","outcome":"delivered","device":"d","at":"2026-11-21T19:05:03+06:00"}"#;
        let read = decode_fact("01JF", old).unwrap();
        assert!(matches!(read.act, Act::Mark { outcome: Outcome::Delivered, sent: None, .. }));
        let undated = r#"{"act":"mark","premise":"1","outcome":"sent","device":"d","at":"2026-11-21T19:05:03+06:00"}"#;
        assert_eq!(decode_fact("01JF", undated), None);
        let bad = r#"{"act":"mark","premise":"1","outcome":"sent","sent":"2026-11-25","tracking":"12","device":"d","at":"2026-11-21T19:05:03+06:00"}"#;
        assert_eq!(decode_fact("01JF", bad), None);
    }

    #[test]
    fn a_delivery_typed_in_later_reads_back_with_the_day_signed() {
        let fact = Fact {
            id: "01JF0000000000000000000003".into(),
            device: "dev".into(),
            at: DateTime::parse_from_rfc3339("2026-11-30T21:00:00+06:00").unwrap(),
            note: None,
            act: Act::Mark {
                premise: "12".into(),
                owner: None,
                outcome: Outcome::Delivered,
                contact: None,
                sent: None,
                signed: NaiveDate::from_ymd_opt(2026, 11, 24),
                under: 0,
            },
        };
        let text = encode_fact(&fact);
        assert!(text.contains(r#""signed":"2026-11-24""#), "{text}");
        assert_eq!(decode_fact(&fact.id, &text), Some(fact));
    }

    #[test]
    fn the_registry_version_a_mark_was_made_under_reads_back_and_is_absent_for_the_first() {
        let mark = |under| Fact {
            id: "01JF0000000000000000000004".into(),
            device: "dev".into(),
            at: DateTime::parse_from_rfc3339("2026-11-30T21:00:00+06:00").unwrap(),
            note: None,
            act: Act::Mark {
                premise: "2".into(),
                owner: None,
                outcome: Outcome::Delivered,
                contact: None,
                sent: None,
                signed: None,
                under,
            },
        };
        let (first, later) = (encode_fact(&mark(0)), encode_fact(&mark(2)));
        assert!(!first.contains("registry"), "a fact as an older obhod writes it: {first}");
        assert!(later.contains(r#""registry":2"#), "{later}");
        assert_eq!(decode_fact(&mark(2).id, &later), Some(mark(2)));
        assert_eq!(decode_fact(&mark(0).id, &first), Some(mark(0)));
    }

    #[test]
    fn a_record_from_a_newer_version_is_left_out() {
        let text = r#"{"act":"teleport","device":"d","at":"2026-11-21T19:05:03+06:00"}"#;
        assert_eq!(decode_fact("01JF", text), None);
    }
}
