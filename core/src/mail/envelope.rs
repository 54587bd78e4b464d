//! The letters of the registered-mail list. One envelope has one addressee (one [`OwnerKey`]) at one
//! postal address and names all the premises it concerns: an owner is notified once, whichever
//! premise, so the municipality with five flats gets one letter, not five. And what the organiser
//! must hear of where they go: a parking space or storeroom has no mailbox, an address without a
//! postcode or a place may never arrive.

use rustc_hash::FxHashMap;

use super::address::AddressParts;
use crate::canvass::Canvass;
use crate::registry::{Owner, OwnerKey, Premise, PremiseKind, Registry};
use crate::text::fold;
use crate::warning::Warning;

/// Where a letter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination<'a> {
    /// A premise of this building: the owner's flat, else its non-residential premise, else (with
    /// a warning) its parking space or storeroom.
    Premise(&'a Premise),
    /// The owner's own postal address from the registry (a legal entity, the municipality, an
    /// owner who lives elsewhere).
    Own(&'a str),
}

/// One letter: one addressee at one postal address, naming every premise of it that the letter
/// concerns, in registry order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope<'a> {
    /// The owner as the registry names it.
    pub owner: &'a Owner,
    pub key: OwnerKey,
    pub premises: Vec<&'a Premise>,
    pub to: Destination<'a>,
    /// The registry line the destination comes from: the owner's row with the address, or its row
    /// of the premise written to.
    pub line: u64,
}

impl<'a> Envelope<'a> {
    /// The premise a letter sent is recorded at: its first.
    pub fn first(&self) -> &'a Premise {
        self.premises[0]
    }

    /// The premises' labels, in registry order.
    pub fn labels(&self) -> Vec<&'a str> {
        self.premises.iter().map(|p| p.label.as_str()).collect()
    }
}

/// The registered-mail list: a letter to every owner who needs one (not notified at any of its
/// premises, or marked `letter` at one, and not sent one yet), one per postal address, in registry
/// order of their first premises.
pub fn envelopes<'a>(registry: &'a Registry, canvass: &Canvass) -> Vec<Envelope<'a>> {
    let pairs = canvass.mail_list().filter_map(|(status, owner)| {
        let premise = registry.premises.get(status.premise)?;
        premise.owners().into_iter().find(|o| o.name == owner.owner.name).map(|o| (status.premise, o))
    });
    group(registry, pairs)
}

/// A letter to every owner of every owned premise, as the list would have them before anyone was
/// notified: what a list written earlier is read back against.
pub fn every_envelope(registry: &Registry) -> Vec<Envelope<'_>> {
    let pairs = registry.premises.iter().enumerate().flat_map(|(i, p)| p.owners().into_iter().map(move |o| (i, o)));
    group(registry, pairs)
}

/// The (premise, owner) pairs grouped by owner, and each owner's premises by postal address.
fn group<'a>(registry: &'a Registry, pairs: impl Iterator<Item = (usize, &'a Owner)>) -> Vec<Envelope<'a>> {
    let mut owners: Vec<(OwnerKey, Vec<(&'a Premise, &'a Owner)>)> = Vec::new();
    let mut index: FxHashMap<OwnerKey, usize> = FxHashMap::default();
    for (premise, owner) in pairs {
        let key = owner.key(premise);
        let at = *index.entry(key.clone()).or_insert_with(|| {
            owners.push((key, Vec::new()));
            owners.len() - 1
        });
        owners[at].1.push((&registry.premises[premise], owner));
    }
    owners.into_iter().flat_map(|(key, held)| by_address(key, held)).collect()
}

/// One owner's letters: one per distinct own address (a premise whose row gives none goes with the
/// first), else one to the premise a letter can be delivered at.
fn by_address<'a>(key: OwnerKey, held: Vec<(&'a Premise, &'a Owner)>) -> Vec<Envelope<'a>> {
    let mut letters: Vec<Envelope<'a>> = Vec::new();
    for &(premise, owner) in &held {
        let Some(address) = owner.address.as_deref() else { continue };
        let same = |e: &&mut Envelope| matches!(e.to, Destination::Own(a) if fold(a) == fold(address));
        match letters.iter_mut().find(same) {
            Some(letter) => letter.premises.push(premise),
            None => letters.push(Envelope {
                owner,
                key: key.clone(),
                premises: vec![premise],
                to: Destination::Own(address),
                line: owner.line,
            }),
        }
    }
    let rest = held.iter().filter(|(_, o)| o.address.is_none()).map(|&(p, _)| p);
    match letters.first_mut() {
        Some(first) => {
            first.premises.extend(rest);
            first.premises.sort_by_key(|p| position(&held, p));
        }
        None => {
            let deliverable = |kind: PremiseKind| held.iter().find(|(p, _)| p.kind == kind);
            let &(premise, owner) =
                deliverable(PremiseKind::Flat).or_else(|| deliverable(PremiseKind::NonResidential)).unwrap_or(&held[0]);
            let premises = held.iter().map(|&(p, _)| p).collect();
            letters.push(Envelope { owner, key, premises, to: Destination::Premise(premise), line: owner.line });
        }
    }
    letters
}

fn position(held: &[(&Premise, &Owner)], premise: &Premise) -> usize {
    held.iter().position(|(p, _)| std::ptr::eq(*p, premise)).unwrap_or(usize::MAX)
}

/// What the organiser must hear of the letters' addresses, each with its registry line: a letter
/// to a parking space or storeroom (no mailbox there), an own address without a postcode or without
/// a place, and an organisation written to at its premises here for want of an address of its own.
pub fn envelope_warnings(envelopes: &[Envelope]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for letter in envelopes {
        let owner = letter.owner.name.clone();
        match letter.to {
            Destination::Own(address) => {
                let parts = AddressParts::parse(address);
                let (address, line) = (address.to_string(), letter.line);
                if parts.postcode.is_none() {
                    warnings.push(Warning::AddressWithoutPostcode {
                        owner: owner.clone(),
                        address: address.clone(),
                        line,
                    });
                }
                if parts.place.is_none() {
                    warnings.push(Warning::AddressWithoutPlace { owner, address, line });
                }
            }
            Destination::Premise(premise) => {
                if matches!(premise.kind, PremiseKind::Parking | PremiseKind::Storage) {
                    let (kind, line) = (premise.kind, letter.line);
                    warnings.push(Warning::LetterToNoMailbox {
                        owner: owner.clone(),
                        premise: premise.label.clone(),
                        kind,
                        line,
                    });
                }
                if letter.owner.kind.votes_as_one() {
                    let premises = letter.labels().into_iter().map(str::to_string).collect();
                    warnings.push(Warning::NoOwnAddress { owner, premises, to: premise.label.clone() });
                }
            }
        }
    }
    warnings
}
