//! Decisions as records that are never changed: each has an id (its key in the document's
//! `ballots`; for a decision an older obhod stored under the owner's key, an id derived from the
//! record, the same on every device), and stands until a withdrawal fact cites it. Which
//! withdrawals count, and who may write one, the core decides (`obhod_core::decision`).

use chrono::{DateTime, FixedOffset, NaiveDate};
use obhod_core::Ballot;
use obhod_core::decision::{self, Refusal, Settler};
use obhod_core::entry::{self, Standing};
use rustc_hash::FxHashMap;

use super::{Campaign, check_note, fact_entry};
use crate::doc::BallotRecord;
use crate::error::StoreError;
use crate::replica::{Entry, Map, Replica};

/// One decision recorded in the campaign, standing or withdrawn (`obhod ballots list`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: String,
    pub premise: String,
    pub owner: String,
    /// One answer per question, in agenda order; `None` for an answer this version cannot read.
    pub answers: Vec<Option<obhod_core::Answer>>,
    pub received: Option<NaiveDate>,
    pub representative: Option<String>,
    /// `proxy`, `law` or `head`.
    pub authority: Option<String>,
    pub proxy_date: Option<NaiveDate>,
    /// The proxy's term and who certified it, as written on it.
    pub proxy_until: Option<NaiveDate>,
    pub certified_by: Option<String>,
    pub defect: Option<String>,
    /// The file it was imported from, and its line there.
    pub file: String,
    pub line: u64,
    /// The device that recorded it, and when.
    pub device: String,
    pub at: DateTime<FixedOffset>,
    /// The decision this one corrects, withdrawn with it.
    pub replaces: Option<String>,
    /// The id of the withdrawal that counts, once withdrawn.
    pub withdrawn: Option<String>,
}

impl Decision {
    fn of(id: &str, record: &BallotRecord, withdrawn: Option<String>) -> Decision {
        Decision {
            id: id.to_string(),
            premise: record.premise.clone(),
            owner: record.owner.clone(),
            answers: record.answers.iter().map(|code| crate::doc::parse_answer(code)).collect(),
            received: record.received,
            representative: record.representative.clone(),
            authority: record.authority.clone(),
            proxy_date: record.proxy_date,
            proxy_until: record.proxy_until,
            certified_by: record.certified_by.clone(),
            defect: record.defect.clone(),
            file: record.file.clone(),
            line: record.line,
            device: record.device.clone(),
            at: record.at,
            replaces: record.replaces.clone(),
            withdrawn,
        }
    }
}

/// Every decision record with its id, in id order.
pub(super) fn recorded(replica: &Replica) -> Vec<(String, &BallotRecord)> {
    let mut all: Vec<(String, &BallotRecord)> = Vec::new();
    for (key, records) in &replica.ballots {
        // A decision's own key holds one value (the check refuses a second); should one have
        // slipped in, the id still names the first, the same on every device.
        match records.first() {
            Some(record) if ulid::Ulid::from_string(key).is_ok() => all.push((key.clone(), record)),
            _ => all.extend(records.iter().map(|record| (derived_id(key, record), record))),
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// The id of a decision stored under the owner's key (before decisions had ids): a ULID of the
/// time it was recorded and a digest of the key and the record, the same on every device.
fn derived_id(key: &str, record: &BallotRecord) -> String {
    let text = format!("{key}\n{}", record.encode());
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    let mut random = [0u8; 16];
    random[6..].copy_from_slice(&digest.as_ref()[..10]);
    let ms = u64::try_from(record.at.timestamp_millis()).unwrap_or(0);
    ulid::Ulid::from_parts(ms, u128::from_be_bytes(random)).to_string()
}

/// Who may withdraw another device's decision under the replica's group record.
pub(super) fn settler(replica: &Replica) -> Settler<'_> {
    match &replica.group {
        None => Settler::Anyone,
        Some(group) => Settler::Organiser(group.organiser()),
    }
}

/// The decisions recorded, each with the withdrawal that counts against it (if any).
pub(super) struct Book<'a> {
    pub(super) recorded: Vec<(String, &'a BallotRecord)>,
    pub(super) withdrawn: FxHashMap<String, String>,
}

impl<'a> Book<'a> {
    pub(super) fn of(replica: &'a Replica) -> Book<'a> {
        let recorded = recorded(replica);
        let in_force = settler(replica);
        let settler = |fact: &obhod_core::Fact| match replica.at_base(&fact.id) {
            true => Settler::Anyone,
            false => in_force,
        };
        let withdrawn = decision::withdrawn(&devices(&recorded), replica.facts.values(), settler);
        Book { recorded, withdrawn }
    }

    /// The records that stand, in id order.
    pub(super) fn standing(&self) -> impl Iterator<Item = (&str, &'a BallotRecord)> + '_ {
        self.recorded.iter().filter(|(id, _)| !self.withdrawn.contains_key(id)).map(|(id, r)| (id.as_str(), *r))
    }

    /// Whether device `by` may withdraw decision `id` now.
    pub(super) fn may_withdraw(&self, id: &str, by: &str, settler: Settler) -> Result<(), StoreError> {
        decision::may_withdraw(id, by, &devices(&self.recorded), &self.withdrawn, settler).map_err(|refusal| {
            match refusal {
                Refusal::Unknown => StoreError::UnknownDecision(id.into()),
                Refusal::AlreadyWithdrawn { by } => StoreError::DecisionWithdrawn { id: id.into(), by },
                Refusal::OtherDevice { device } => StoreError::NotOwnDecision { id: id.into(), device },
            }
        })
    }
}

fn devices<'a>(recorded: &'a [(String, &BallotRecord)]) -> FxHashMap<&'a str, &'a str> {
    recorded.iter().map(|(id, record)| (id.as_str(), record.device.as_str())).collect()
}

impl Campaign {
    /// Every decision recorded, standing and withdrawn, in the registry's order of premises and
    /// then by id (`obhod ballots list`).
    pub fn decision_list(&self) -> Vec<Decision> {
        let book = Book::of(&self.replica);
        let mut list: Vec<Decision> = book
            .recorded
            .iter()
            .map(|(id, record)| Decision::of(id, record, book.withdrawn.get(id).cloned()))
            .collect();
        list.sort_by_cached_key(|d| (self.registry.find(&d.premise), d.id.clone()));
        list
    }

    /// Withdraws decision `id` (`obhod ballots withdraw`): a withdrawal fact of this device that
    /// cites it; the count leaves it out at once. In a group this device's own decisions only,
    /// or any from the organiser's device (the counting commission's act). Returns the new
    /// fact's id.
    pub fn withdraw_decision(&mut self, id: &str, note: Option<String>) -> Result<String, StoreError> {
        let at = self.clock.now();
        let id = id.trim().to_uppercase();
        check_note(note.as_deref())?;
        self.write(|writer| {
            let book = Book::of(writer.replica);
            book.may_withdraw(&id, writer.device(), settler(writer.replica))?;
            let fact = writer.fact(at, note, obhod_core::Act::Withdraw { fact: id.clone() });
            Ok((fact.id.clone(), vec![fact_entry(&fact)]))
        })
    }

    /// Replaces decision `id` by the one decision of a ballots file `text` (named `file`) for the
    /// same owner: in one write, a withdrawal of `id` and the new decision, which cites it
    /// (`replaces`). Refused as `withdraw_decision` refuses, and when the file holds another
    /// number of decisions or one for another owner. Returns the new decision's id.
    pub fn replace_decision(&mut self, id: &str, file: &str, text: &str) -> Result<String, StoreError> {
        let at = self.clock.now();
        let id = id.trim().to_uppercase();
        self.write(|writer| {
            let questions = writer.meeting.questions.len();
            let ballots = obhod_core::parse_ballots(file, text.as_bytes(), writer.registry, questions)?;
            let [ballot] = ballots.as_slice() else {
                return Err(StoreError::NotOneDecision { file: file.into(), found: ballots.len() });
            };
            let book = Book::of(writer.replica);
            book.may_withdraw(&id, writer.device(), settler(writer.replica))?;
            let same_owner = |(known, old): &(String, &BallotRecord)| {
                *known == id && (&old.premise, &old.owner) == (&ballot.premise, &ballot.owner)
            };
            if !book.recorded.iter().any(same_owner) {
                let (premise, owner) = (ballot.premise.clone(), ballot.owner.clone());
                return Err(StoreError::ReplacementForAnother { id, premise, owner });
            }
            let withdrawal = writer.fact(at, None, obhod_core::Act::Withdraw { fact: id.clone() });
            let mut record = BallotRecord::new(ballot, file, writer.device(), at);
            record.replaces = Some(id.clone());
            let key = writer.next_id(at).to_string();
            let entries =
                vec![fact_entry(&withdrawal), Entry { map: Map::Ballots, key: key.clone(), text: record.encode() }];
            Ok((key, entries))
        })
    }

    /// Records one decision typed by hand (the ballot-entry screen): checked by the core as a
    /// ballots file's row is (`obhod_core::entry::check`), signed like every fact and durable when
    /// this returns. A voter who already has a standing decision is refused with it
    /// (`StoreError::DecisionHeld`) unless `standing` says to replace it (its withdrawal and the
    /// new decision citing it, in one write) or to keep both (a conflict until one is kept). A
    /// decision received after the end of voting is recorded and said to be late.
    pub fn record_decision(&mut self, ballot: Ballot, standing: Standing) -> Result<Recorded, StoreError> {
        let at = self.clock.now();
        self.write(|writer| {
            // Who votes as one under the registry in force once caught up (another process may
            // have updated it).
            let signers = match entry::find(writer.registry, &ballot.premise, &ballot.owner) {
                Ok((premise, owner)) => entry::signers(writer.registry, writer.weights, &premise, &owner),
                Err(_) => Vec::new(),
            };
            let book = Book::of(writer.replica);
            let held: Vec<(&str, &str, &str)> =
                book.standing().map(|(id, r)| (id, r.premise.as_str(), r.owner.as_str())).collect();
            let agenda = (writer.meeting.questions.len(), writer.meeting.voting_ends);
            let checked = entry::check(ballot, writer.registry, &signers, agenda, &held, &standing)
                .map_err(|refusal| refused(refusal, &book))?;
            let mut entries = Vec::new();
            if let Some(id) = &checked.replaces {
                book.may_withdraw(id, writer.device(), settler(writer.replica))?;
                let withdrawal = writer.fact(at, None, obhod_core::Act::Withdraw { fact: id.clone() });
                entries.push(fact_entry(&withdrawal));
            }
            let mut record = BallotRecord::new(&checked.ballot, "", writer.device(), at);
            record.replaces = checked.replaces.clone();
            let key = writer.next_id(at).to_string();
            entries.push(Entry { map: Map::Ballots, key: key.clone(), text: record.encode() });
            let recorded = Recorded { id: key, late: checked.late, replaced: checked.replaces, ballot: checked.ballot };
            Ok((recorded, entries))
        })
    }

    /// Whether `id` names a decision (standing or not).
    pub(super) fn is_decision(&self, id: &str) -> bool {
        recorded(&self.replica).iter().any(|(known, _)| known == id)
    }
}

/// What `record_decision` recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The new decision's id.
    pub id: String,
    /// The end of voting, when the decision came after it: recorded, and left out of the count.
    pub late: Option<NaiveDate>,
    /// The decision withdrawn and replaced by it.
    pub replaced: Option<String>,
    /// The decision as recorded, the premise and owner as the registry writes them: what the count
    /// reads from the store (the screen adds it to its running count).
    pub ballot: Ballot,
}

/// The core's refusal of a typed decision, worded by the store; a voter's standing decision is
/// handed back whole, to be shown beside the new one.
fn refused(refusal: entry::Refusal, book: &Book) -> StoreError {
    use entry::Refusal as R;
    match refusal {
        R::UnknownPremise { typed, nearest } => StoreError::UnknownPremiseNear { premise: typed, nearest },
        R::UnknownOwner { premise, typed, nearest } => {
            StoreError::UnknownOwner { premise, owner: typed, owners: nearest }
        }
        R::Answers { given, questions } => StoreError::AnswerCount { given, questions },
        R::NamelessRepresentative => StoreError::NamelessRepresentative,
        R::DefectWithoutReason => StoreError::DefectWithoutReason,
        R::Held { id } => match book.recorded.iter().find(|(known, _)| *known == id) {
            Some((id, record)) => StoreError::DecisionHeld { existing: Box::new(Decision::of(id, record, None)) },
            None => StoreError::UnknownDecision(id),
        },
        R::ReplacesAnother { id } => match book.recorded.iter().find(|(known, _)| *known == id) {
            Some((_, record)) => {
                StoreError::ReplacementForAnother { id, premise: record.premise.clone(), owner: record.owner.clone() }
            }
            None => StoreError::UnknownDecision(id),
        },
    }
}
