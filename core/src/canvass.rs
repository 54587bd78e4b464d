//! The canvass (поквартирный обход): immutable facts recorded at the doors, and the pure
//! fold that turns any set of them into statuses per owner and premise and the registered-mail list.
//! Facts are never changed; a mistaken one is withdrawn by a later fact that cites it.

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, FixedOffset, NaiveDate};
use num_bigint::BigInt;

use crate::lang::Lang;
use crate::mail::{Letter, Tracking};
use crate::number::Votes;
use crate::registry::since::Since;
use crate::registry::{Owner, OwnerKey, Premise, Registry};
use crate::weights::Weights;

/// What happened at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// вручено под роспись: the owner signed the delivery register.
    Delivered,
    /// не застали: nobody opened; revisit.
    Absent,
    /// отказ: the owner refused to sign or talk.
    Refused,
    /// согласие на обработку ПД: the personal-data consent is signed (152-ФЗ).
    Consent,
    /// контакт получен: a phone or e-mail was collected (lawful only with consent).
    Contact,
    /// нужно заказное письмо: notify by registered letter (ч.4 ст.45 ЖК РФ).
    Letter,
    /// заказное письмо отправлено: the registered letter went out; the owner counts as notified
    /// from the sending date (ст.165.1 ГК РФ). Its fact carries the [`Letter`].
    Sent,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::Delivered,
        Outcome::Absent,
        Outcome::Refused,
        Outcome::Consent,
        Outcome::Contact,
        Outcome::Letter,
        Outcome::Sent,
    ];

    /// The code used in commands and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Absent => "absent",
            Outcome::Refused => "refused",
            Outcome::Consent => "consent",
            Outcome::Contact => "contact",
            Outcome::Letter => "letter",
            Outcome::Sent => "sent",
        }
    }

    /// What people call it.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Delivered => lang.pick("вручено под роспись", "delivered against signature"),
            Outcome::Absent => lang.pick("не застали", "nobody home"),
            Outcome::Refused => lang.pick("отказ", "refused"),
            Outcome::Consent => lang.pick("согласие на обработку ПД", "personal-data consent signed"),
            Outcome::Contact => lang.pick("контакт получен", "contact collected"),
            Outcome::Letter => lang.pick("нужно заказное письмо", "registered letter needed"),
            Outcome::Sent => lang.pick("заказное письмо отправлено", "registered letter sent"),
        }
    }

    /// The Russian word a command takes for it (`вручено`), as `parse` reads it.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Delivered => "вручено",
            Outcome::Absent => "не застали",
            Outcome::Refused => "отказ",
            Outcome::Consent => "согласие",
            Outcome::Contact => "контакт",
            Outcome::Letter => "письмо",
            Outcome::Sent => "отправлено",
        }
    }

    /// Parses a code (`delivered`) or a Russian word (`вручено`), in any case.
    pub fn parse(text: &str) -> Option<Outcome> {
        crate::table::any_case(text.trim(), |t| {
            Some(match t {
                "delivered" => Outcome::Delivered,
                "absent" => Outcome::Absent,
                "refused" => Outcome::Refused,
                "consent" => Outcome::Consent,
                "contact" => Outcome::Contact,
                "letter" => Outcome::Letter,
                "sent" => Outcome::Sent,
                _ => return None,
            })
        })
        .or_else(|| Outcome::russian(&crate::text::fold(text)))
    }

    /// A Russian outcome word as [`crate::text::fold`] leaves it: any case, Latin look-alike
    /// letters (`BPУЧЕНО`) and runs of spaces do not matter.
    fn russian(folded: &str) -> Option<Outcome> {
        Some(match folded {
            "вручено" => Outcome::Delivered,
            "не застали" | "нет дома" => Outcome::Absent,
            "отказ" => Outcome::Refused,
            "согласие" => Outcome::Consent,
            "контакт" => Outcome::Contact,
            "письмо" => Outcome::Letter,
            "отправлено" | "письмо отправлено" => Outcome::Sent,
            _ => return None,
        })
    }
}

/// Contact data collected at the door: personal data, kept only under a standing consent (152-ФЗ).
/// It never enters a fact: a fact carries only the opaque id the store keeps the values under.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl std::fmt::Debug for Contact {
    /// Never prints the data itself, so that it cannot leak into logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact").field("phone", &self.phone.is_some()).field("email", &self.email.is_some()).finish()
    }
}

/// What a fact records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
    /// An outcome at a premise, for one owner or (`owner: None`) for every owner of it. `contact`
    /// is the id of the phone or e-mail collected (the `contact` outcome): the values themselves
    /// stay outside the facts, so that they can be erased. `sent` is the letter of the `sent`
    /// outcome (its date and tracking number), and only of it. `signed` is the day the owner
    /// signed the delivery register (the `delivered` outcome typed in later, from paper); without
    /// it, the day the fact was recorded. `under` is the version of the registry in force where
    /// it was recorded (`registry::since`): a mark for every owner reaches only the owners the
    /// premise had then.
    Mark {
        premise: String,
        owner: Option<String>,
        outcome: Outcome,
        contact: Option<String>,
        sent: Option<Letter>,
        signed: Option<NaiveDate>,
        under: u64,
    },
    /// Withdraws the fact with this id (`obhod undo`).
    Withdraw { fact: String },
}

/// One canvass fact. The id is time-sortable (a ULID) and unique across devices, so sorting by
/// it gives every replica the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub id: String,
    /// The device that recorded it.
    pub device: String,
    /// Wall-clock time on that device, with its offset.
    pub at: DateTime<FixedOffset>,
    pub note: Option<String>,
    pub act: Act,
}

impl Act {
    /// A mark of a plain outcome (no contact, no letter), under the registry `init` recorded.
    pub fn mark(premise: &str, owner: Option<&str>, outcome: Outcome) -> Act {
        Act::Mark {
            premise: premise.into(),
            owner: owner.map(Into::into),
            outcome,
            contact: None,
            sent: None,
            signed: None,
            under: 0,
        }
    }
}

impl Fact {
    /// The premise of a mark; `None` for a withdrawal.
    pub fn premise(&self) -> Option<&str> {
        match &self.act {
            Act::Mark { premise, .. } => Some(premise),
            Act::Withdraw { .. } => None,
        }
    }
}

/// How a notice reached an owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeBy {
    /// Handed over against signature in the delivery register.
    Signature,
    /// A registered letter, with its tracking number when known.
    Letter(Option<Tracking>),
}

/// The notice that counts for an owner: the earliest, by whichever of its premises it came
/// (ч.4 ст.45 ЖК РФ: each owner is notified once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The day the owner signed, or the letter's sending date: the notice counts from it.
    pub date: NaiveDate,
    pub by: NoticeBy,
    /// The premise (an index into `Registry::premises`) whose fact recorded it.
    pub premise: usize,
}

/// What is known of an owner across all its premises (one [`OwnerKey`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnerWide {
    /// The earliest standing notice, by signature or letter.
    pub notice: Option<Notice>,
    /// The earliest standing letter sent.
    pub sent: Option<Letter>,
    /// Marked `letter` at one of its premises: it must be written to.
    pub letter: bool,
}

/// The standing state of one owner of one premise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerStatus {
    pub owner: Owner,
    /// The registry version since which it is an owner of the premise (`registry::since`).
    pub since: u64,
    /// Who the owner is across the building.
    pub key: OwnerKey,
    /// Legally notified, at this premise or another of the owner's: a standing `delivered` or `sent`.
    pub notified: bool,
    /// The day of the earliest standing `delivered` at this premise: the day signed, as typed,
    /// else the day recorded (on the recording device's calendar).
    pub delivered: Option<NaiveDate>,
    /// The earliest standing letter sent for this premise.
    pub sent: Option<Letter>,
    pub letter: bool,
    pub consent: bool,
    pub refused: bool,
    /// The id of the latest standing contact (see `PremiseStatus::contacts`).
    pub contact: Option<String>,
    /// What is known of the owner at all its premises: the notice that counts.
    pub wide: OwnerWide,
}

impl OwnerStatus {
    /// Whether the owner needs a registered letter: none sent to it yet, and not notified at any
    /// of its premises or marked `letter` at one.
    pub fn needs_letter(&self) -> bool {
        self.wide.sent.is_none() && (self.wide.notice.is_none() || self.wide.letter)
    }

    /// The day the owner counts as notified from: the earlier of a signature and a sending, at any
    /// of its premises.
    pub fn notified_on(&self) -> Option<NaiveDate> {
        self.wide.notice.as_ref().map(|n| n.date)
    }

    /// The notice that counts for the owner, at any of its premises.
    pub fn notice(&self) -> Option<&Notice> {
        self.wide.notice.as_ref()
    }
}

/// The standing state of one premise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PremiseStatus {
    /// Index into `Registry::premises`.
    pub premise: usize,
    /// Standing facts recorded for the premise.
    pub visits: usize,
    /// The outcome of the latest standing fact.
    pub last_outcome: Option<Outcome>,
    /// Every owner of the premise once, in registry order (each member of a joint group apart).
    pub owners: Vec<OwnerStatus>,
    /// Indices into `Canvass::facts` of every fact about the premise, withdrawn ones too, oldest first.
    pub history: Vec<usize>,
    /// The ids of the standing contacts, oldest first: a contact stands while its fact stands and
    /// a consent of its owner recorded before it stands. Any other contact's values must be erased.
    pub contacts: Vec<String>,
}

impl PremiseStatus {
    pub fn owner(&self, name: &str) -> Option<&OwnerStatus> {
        self.owners.iter().find(|o| o.owner.name == name)
    }

    /// The owners a mark for every owner of the premise recorded under registry version `under`
    /// does not reach: those who came with a later registry.
    pub fn unreached(&self, under: u64) -> impl Iterator<Item = &OwnerStatus> {
        self.owners.iter().filter(move |o| !Since::reaches(under, o.since))
    }

    /// Whether a mark for `owner` (or for every owner) can apply here.
    fn names(&self, owner: Option<&str>) -> bool {
        owner.is_none_or(|name| self.owner(name).is_some())
    }
}

/// The fold of all facts over a registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canvass {
    /// Every fact, sorted by id.
    pub facts: Vec<Fact>,
    /// Ids of withdrawn facts.
    pub withdrawn: FxHashSet<String>,
    /// One per premise, in registry order.
    pub premises: Vec<PremiseStatus>,
    /// Facts that name a premise or owner the registry does not have (from a foreign replica).
    pub stray: Vec<usize>,
    /// Every (premise, owner index) of each owner who may hold several premises (an
    /// organisation, a person with an `owner_id`), to settle what is known of it across them.
    spans: FxHashMap<OwnerKey, Vec<(usize, usize)>>,
}

impl Canvass {
    /// Folds facts into statuses. The result depends only on the set of facts, not their order.
    pub fn fold(registry: &Registry, mut facts: Vec<Fact>) -> Canvass {
        facts.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        facts.dedup_by(|a, b| a.id == b.id);
        let withdrawn = withdrawn(facts.iter());
        let index: FxHashMap<&str, usize> =
            registry.premises.iter().enumerate().map(|(i, p)| (p.label.as_str(), i)).collect();
        let mut premises: Vec<PremiseStatus> =
            registry.premises.iter().enumerate().map(|(i, p)| PremiseStatus::new(i, p, &registry.since)).collect();
        let mut spans: FxHashMap<OwnerKey, Vec<(usize, usize)>> = FxHashMap::default();
        for (p, status) in premises.iter().enumerate() {
            for (o, owner) in status.owners.iter().enumerate().filter(|(_, o)| o.owner.spans_premises()) {
                spans.entry(owner.key.clone()).or_default().push((p, o));
            }
        }
        let mut stray = Vec::new();
        for (n, fact) in facts.iter().enumerate() {
            let Act::Mark { premise, owner, .. } = &fact.act else { continue };
            match index.get(premise.as_str()).filter(|&&p| premises[p].names(owner.as_deref())) {
                Some(&p) => premises[p].history.push(n),
                None => stray.push(n),
            }
        }
        let mut canvass = Canvass { facts, withdrawn, premises, stray, spans };
        for p in 0..canvass.premises.len() {
            canvass.settle_own(p);
        }
        for p in 0..canvass.premises.len() {
            canvass.spread(p, false);
        }
        canvass
    }

    /// Folds only the facts that decide the statuses of `premise` and of its owners across their
    /// premises (a command that reports on one premise after a mark): there, the statuses equal
    /// `fold`'s of every fact (property-tested); every other premise is left as if unvisited.
    pub fn fold_around<'a>(registry: &Registry, facts: impl Iterator<Item = &'a Fact>, premise: usize) -> Canvass {
        let Some(own) = registry.premises.get(premise) else { return Canvass::fold(registry, Vec::new()) };
        let wide =
            |status: PremiseStatus| status.owners.into_iter().filter(|o| o.owner.spans_premises()).map(|o| o.key);
        let keys: FxHashSet<OwnerKey> = wide(PremiseStatus::new(premise, own, &registry.since)).collect();
        let mut labels: FxHashSet<&str> = FxHashSet::default();
        labels.insert(own.label.as_str());
        if !keys.is_empty() {
            for (p, other) in registry.premises.iter().enumerate() {
                if wide(PremiseStatus::new(p, other, &registry.since)).any(|key| keys.contains(&key)) {
                    labels.insert(other.label.as_str());
                }
            }
        }
        let around = |fact: &&Fact| match &fact.act {
            Act::Mark { premise, .. } => labels.contains(premise.as_str()),
            Act::Withdraw { .. } => true,
        };
        Canvass::fold(registry, facts.filter(around).cloned().collect())
    }

    /// Adds facts to the fold. Facts newer than all folded so far (a mark just recorded here) are
    /// applied to their premise alone; anything else folds everything again. Either way the result
    /// equals `fold` of all the facts.
    pub fn extend(&mut self, registry: &Registry, mut new: Vec<Fact>) {
        new.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let newest = self.facts.last().map(|f| f.id.as_str());
        if new.first().is_some_and(|f| newest.is_some_and(|newest| f.id.as_str() <= newest)) {
            let mut all = std::mem::take(&mut self.facts);
            all.extend(new);
            *self = Canvass::fold(registry, all);
            return;
        }
        for fact in new {
            let n = self.facts.len();
            let touched = match &fact.act {
                Act::Mark { premise, owner, .. } => match self.locate(registry, premise, owner.as_deref()) {
                    Some(p) => {
                        self.premises[p].history.push(n);
                        Some(p)
                    }
                    None => {
                        self.stray.push(n);
                        None
                    }
                },
                Act::Withdraw { fact: target } => match self.fact(target).map(|t| t.act.clone()) {
                    Some(Act::Mark { premise, owner, .. }) => {
                        self.withdrawn.insert(target.clone());
                        self.locate(registry, &premise, owner.as_deref())
                    }
                    _ => None,
                },
            };
            self.facts.push(fact);
            if let Some(p) = touched {
                self.settle(p);
            }
        }
    }

    /// The premise a mark applies to, if the registry has it (and the owner it names).
    fn locate(&self, registry: &Registry, premise: &str, owner: Option<&str>) -> Option<usize> {
        registry.premises.iter().position(|p| p.label == premise).filter(|&p| self.premises[p].names(owner))
    }

    /// Recomputes one premise's statuses from its history, and what is known of its owners
    /// across their premises.
    fn settle(&mut self, premise: usize) {
        self.settle_own(premise);
        self.spread(premise, true);
    }

    /// Settles what is known of each owner of `premise` across its premises: from this premise
    /// alone for an owner of one premise; from all of them for one who may hold several (all of
    /// them get the result, when `others` is set; else only this premise's).
    fn spread(&mut self, premise: usize, others: bool) {
        for o in 0..self.premises[premise].owners.len() {
            let key = &self.premises[premise].owners[o].key;
            let places = self.spans.get(key).cloned().unwrap_or_else(|| vec![(premise, o)]);
            let mut wide = OwnerWide::default();
            for &(p, i) in &places {
                wide.merge(p, &self.premises[p].owners[i]);
            }
            let targets = if others { places } else { vec![(premise, o)] };
            for (p, i) in targets {
                let owner = &mut self.premises[p].owners[i];
                owner.notified = wide.notice.is_some();
                owner.wide = wide.clone();
            }
        }
    }

    /// Recomputes one premise's own statuses from its history.
    fn settle_own(&mut self, premise: usize) {
        let Canvass { facts, withdrawn, premises, .. } = self;
        let status = &mut premises[premise];
        status.visits = 0;
        status.last_outcome = None;
        status.contacts.clear();
        status.owners.iter_mut().for_each(OwnerStatus::reset);
        for &n in &status.history {
            let fact = &facts[n];
            let Act::Mark { owner, outcome, contact, sent, signed, under, .. } = &fact.act else { continue };
            if withdrawn.contains(&fact.id) {
                continue;
            }
            status.visits += 1;
            status.last_outcome = Some(*outcome);
            let mut stands = false;
            let reaches = |o: &&mut OwnerStatus| match owner {
                Some(name) => *name == o.owner.name,
                None => Since::reaches(*under, o.since),
            };
            for o in status.owners.iter_mut().filter(reaches) {
                stands |= o.apply(*outcome, contact.as_ref());
                o.date(*outcome, signed.unwrap_or_else(|| fact.at.date_naive()), sent.as_ref());
            }
            if stands && let Some(id) = contact {
                status.contacts.push(id.clone());
            }
        }
    }

    pub fn is_standing(&self, fact: &Fact) -> bool {
        matches!(fact.act, Act::Mark { .. }) && !self.withdrawn.contains(&fact.id)
    }

    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.binary_search_by(|f| f.id.as_str().cmp(id)).ok().map(|i| &self.facts[i])
    }

    /// Every (premise, owner) pair of the registry.
    pub fn owners(&self) -> impl Iterator<Item = (&PremiseStatus, &OwnerStatus)> {
        self.premises.iter().flat_map(|p| p.owners.iter().map(move |o| (p, o)))
    }

    /// Every (premise, owner) pair whose owner needs a registered letter: not notified at any of
    /// its premises, or marked `letter` at one, and not yet sent one; in registry order. An owner
    /// of several premises appears once per premise: `mail::envelopes` makes one letter of them.
    pub fn mail_list(&self) -> impl Iterator<Item = (&PremiseStatus, &OwnerStatus)> {
        self.owners().filter(|(_, o)| o.needs_letter())
    }

    /// Progress over the premises that `include` selects.
    pub fn progress(&self, weights: &Weights, include: impl Fn(usize) -> bool) -> Progress {
        let mut progress = Progress::default();
        // One letter per owner and own postal address (rows without one go with the first): as
        // `mail::envelopes` makes them.
        let mut writing_to: FxHashMap<&OwnerKey, FxHashSet<String>> = FxHashMap::default();
        for (_, owner) in self.owners().filter(|(p, _)| include(p.premise)) {
            progress.owners += 1;
            progress.notified += usize::from(owner.notified);
            if owner.needs_letter() {
                let addresses = writing_to.entry(&owner.key).or_default();
                addresses.extend(owner.owner.address.as_deref().map(crate::text::fold));
            }
            progress.sent += usize::from(owner.sent.is_some());
            progress.consents += usize::from(owner.consent);
            progress.contacts += usize::from(owner.contact.is_some());
            progress.refused += usize::from(owner.refused);
        }
        progress.letters = writing_to.values().map(|addresses| addresses.len().max(1)).sum();
        let units: BigInt = weights
            .holdings
            .iter()
            .filter(|h| include(h.premise))
            .filter(|h| {
                let status = &self.premises[h.premise];
                h.owners.iter().all(|o| status.owner(&o.name).is_some_and(|s| s.notified))
            })
            .map(|h| &h.units)
            .sum();
        progress.notified_votes = weights.votes_of_units(units);
        progress
    }
}

/// Counts of (premise, owner) pairs, and the votes of holdings whose every owner is notified.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    pub owners: usize,
    pub notified: usize,
    /// The registered letters still to send: one per owner and postal address, whatever premises
    /// it names (as `mail::envelopes` makes them).
    pub letters: usize,
    /// Pairs with a standing letter sent.
    pub sent: usize,
    pub consents: usize,
    pub contacts: usize,
    pub refused: usize,
    pub notified_votes: Votes,
}

impl PremiseStatus {
    fn new(index: usize, premise: &Premise, since: &Since) -> PremiseStatus {
        let owners = premise
            .owners()
            .into_iter()
            .map(|owner| OwnerStatus {
                owner: owner.clone(),
                since: since.of(&premise.label, &owner.name),
                key: owner.key(index),
                notified: false,
                delivered: None,
                sent: None,
                letter: false,
                consent: false,
                refused: false,
                contact: None,
                wide: OwnerWide::default(),
            })
            .collect();
        PremiseStatus {
            premise: index,
            visits: 0,
            last_outcome: None,
            owners,
            history: Vec::new(),
            contacts: Vec::new(),
        }
    }
}

impl OwnerStatus {
    fn reset(&mut self) {
        (self.letter, self.consent, self.refused, self.contact) = (false, false, false, None);
        (self.delivered, self.sent) = (None, None);
    }

    /// Applies one standing fact, in id order; returns whether a contact it carries stands. The
    /// facts before it are applied already, so `consent` says whether an earlier consent stands
    /// (withdrawn ones are never applied): a contact collected before the consent it would rest on
    /// does not stand, even if the owner consents again later.
    fn apply(&mut self, outcome: Outcome, contact: Option<&String>) -> bool {
        match outcome {
            Outcome::Letter => self.letter = true,
            Outcome::Consent => self.consent = true,
            Outcome::Refused => self.refused = true,
            Outcome::Contact if self.consent && contact.is_some() => {
                self.contact = contact.cloned();
                return true;
            }
            Outcome::Delivered | Outcome::Contact | Outcome::Absent | Outcome::Sent => {}
        }
        false
    }

    /// Keeps the earliest day of a standing signature and the earliest standing letter (of two
    /// sent on one day, the one with a tracking number: a number added later reaches the register).
    fn date(&mut self, outcome: Outcome, day: NaiveDate, sent: Option<&Letter>) {
        match (outcome, sent) {
            (Outcome::Delivered, _) => {
                self.delivered = Some(self.delivered.map_or(day, |d| d.min(day)));
            }
            (Outcome::Sent, Some(letter)) if earlier_letter(letter, self.sent.as_ref()) => {
                self.sent = Some(letter.clone());
            }
            _ => {}
        }
    }
}

/// Whether `letter` goes before `than`: sent earlier, or on the same day with a tracking number
/// where `than` has none.
fn earlier_letter(letter: &Letter, than: Option<&Letter>) -> bool {
    than.is_none_or(|s| {
        letter.date < s.date || (letter.date == s.date && s.tracking.is_none() && letter.tracking.is_some())
    })
}

impl OwnerWide {
    /// Takes in what one premise's facts say of the owner.
    fn merge(&mut self, premise: usize, own: &OwnerStatus) {
        self.letter |= own.letter;
        if let Some(letter) = &own.sent
            && earlier_letter(letter, self.sent.as_ref())
        {
            self.sent = Some(letter.clone());
        }
        let signed = own.delivered.map(|date| Notice { date, by: NoticeBy::Signature, premise });
        let sent =
            own.sent.as_ref().map(|l| Notice { date: l.date, by: NoticeBy::Letter(l.tracking.clone()), premise });
        for notice in signed.into_iter().chain(sent) {
            let better = match &self.notice {
                None => true,
                Some(n) => {
                    notice.date < n.date
                        || (notice.date == n.date && notice.by == NoticeBy::Signature && n.by != NoticeBy::Signature)
                        || (notice.date == n.date
                            && matches!((&notice.by, &n.by), (NoticeBy::Letter(Some(_)), NoticeBy::Letter(None))))
                }
            };
            if better {
                self.notice = Some(notice);
            }
        }
    }
}

/// The ids of the marks among `facts` that a withdrawal among them cites: every other mark stands.
pub fn withdrawn<'a>(facts: impl Iterator<Item = &'a Fact> + Clone) -> FxHashSet<String> {
    let marks: FxHashSet<&str> =
        facts.clone().filter(|f| matches!(f.act, Act::Mark { .. })).map(|f| f.id.as_str()).collect();
    facts
        .filter_map(|f| match &f.act {
            Act::Withdraw { fact } if marks.contains(fact.as_str()) => Some(fact.clone()),
            _ => None,
        })
        .collect()
}
