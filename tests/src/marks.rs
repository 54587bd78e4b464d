//! Marks and withdrawals a property test of sync asks a replica for, by numbers it drew.

use std::collections::BTreeSet;

use obhod_core::{Act, Contact, Outcome, Registry};
use obhod_store::{Campaign, Mark};

use crate::guide_file;

/// The guide's registry.
pub fn registry() -> Registry {
    Registry::parse("registry.csv", guide_file("registry.csv").as_bytes()).unwrap()
}

/// A mark the store accepts: consent and contact name one owner, a contact comes with its consent.
pub fn mark(registry: &Registry, premise: usize, outcome: usize, owner: usize, n: usize) -> Mark {
    let premise = &registry.premises[premise % registry.premises.len()];
    let owners: Vec<String> = premise.owners().iter().map(|o| o.name.clone()).collect();
    if owners.is_empty() {
        return Mark::new(&premise.label, Outcome::Absent);
    }
    let outcome = Outcome::ALL[outcome];
    let mut mark = Mark::new(&premise.label, outcome);
    if matches!(outcome, Outcome::Consent | Outcome::Contact) || owner.is_multiple_of(3) {
        mark.owner = Some(owners[owner % owners.len()].clone());
    }
    if outcome == Outcome::Contact {
        mark.contact = Some(Contact { phone: Some(format!("+7 900 000-00-{:02}", n % 100)), email: None });
        mark.consent = true;
    }
    mark
}

/// A mark of this node's view that no withdrawal cites yet.
pub fn undoable(campaign: &Campaign, pick: usize) -> Option<String> {
    let cited: BTreeSet<&str> = campaign
        .facts()
        .filter_map(|f| match &f.act {
            Act::Withdraw { fact } => Some(fact.as_str()),
            Act::Mark { .. } => None,
        })
        .collect();
    let open: Vec<&str> = campaign
        .facts()
        .filter(|f| matches!(f.act, Act::Mark { .. }) && !cited.contains(f.id.as_str()))
        .map(|f| f.id.as_str())
        .collect();
    (!open.is_empty()).then(|| open[pick % open.len()].to_string())
}
