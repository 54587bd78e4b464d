//! Which recorded decisions stand, and who may withdraw one. A decision is never changed: a wrong
//! one is withdrawn by a fact that cites it. The device that recorded a decision may withdraw it;
//! in a group another device's decision is withdrawn only by the organiser's device, as the
//! counting commission's act (no device changes or removes another device's record).

use rustc_hash::{FxHashMap, FxHashSet};

use crate::canvass::{Act, Fact};

/// Who may withdraw a decision another device recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settler<'a> {
    /// A campaign outside a group: its devices are not told apart, any of them may.
    Anyone,
    /// A group: only the organiser's device (`None` when the record names none: nobody).
    Organiser(Option<&'a str>),
}

impl Settler<'_> {
    /// Whether `device` acts for the whole campaign: settles a conflict, changes the meeting,
    /// withdraws any device's decision.
    pub fn is_settler(self, device: &str) -> bool {
        match self {
            Settler::Anyone => true,
            Settler::Organiser(organiser) => organiser == Some(device),
        }
    }
}

/// Why a withdrawal of a decision is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No decision with this id in the campaign.
    Unknown,
    /// The decision is already withdrawn (by the fact with this id).
    AlreadyWithdrawn { by: String },
    /// Another device recorded it, and this one is not the organiser's.
    OtherDevice { device: String },
}

/// Whether a withdrawal by device `by` of a decision recorded by `recorded_by` counts.
pub fn honoured(recorded_by: &str, by: &str, settler: Settler) -> bool {
    match settler {
        Settler::Anyone => true,
        Settler::Organiser(_) => recorded_by == by || settler.is_settler(by),
    }
}

/// The withdrawals that count among `facts`, by the id of the decision each withdraws (the
/// earliest withdrawal's id when there are several): `decisions` maps each decision's id to the
/// device that recorded it, `settler` gives the rule in force when a fact was recorded (a
/// withdrawal made before the group was formed is judged as outside a group). A withdrawal the
/// rule does not honour is left out, wherever it came from.
pub fn withdrawn<'a, 's>(
    decisions: &FxHashMap<&str, &str>,
    facts: impl Iterator<Item = &'a Fact>,
    settler: impl Fn(&Fact) -> Settler<'s>,
) -> FxHashMap<String, String> {
    let mut withdrawn: FxHashMap<String, String> = FxHashMap::default();
    for fact in facts {
        let Act::Withdraw { fact: cited } = &fact.act else { continue };
        let Some(recorded_by) = decisions.get(cited.as_str()) else { continue };
        if !honoured(recorded_by, &fact.device, settler(fact)) {
            continue;
        }
        let earliest = withdrawn.entry(cited.clone()).or_insert_with(|| fact.id.clone());
        if fact.id < *earliest {
            *earliest = fact.id.clone();
        }
    }
    withdrawn
}

/// Whether device `by` may now withdraw decision `id`: `decisions` and `withdrawn` as above.
pub fn may_withdraw(
    id: &str,
    by: &str,
    decisions: &FxHashMap<&str, &str>,
    withdrawn: &FxHashMap<String, String>,
    settler: Settler,
) -> Result<(), Refusal> {
    let recorded_by = decisions.get(id).ok_or(Refusal::Unknown)?;
    if let Some(fact) = withdrawn.get(id) {
        return Err(Refusal::AlreadyWithdrawn { by: fact.clone() });
    }
    match honoured(recorded_by, by, settler) {
        true => Ok(()),
        false => Err(Refusal::OtherDevice { device: recorded_by.to_string() }),
    }
}

/// The ids of the decisions that stand: every one not withdrawn.
pub fn standing<'a>(decisions: &FxHashMap<&'a str, &str>, withdrawn: &FxHashMap<String, String>) -> FxHashSet<&'a str> {
    decisions.keys().filter(|id| !withdrawn.contains_key(**id)).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn withdrawal(id: &str, device: &str, cites: &str) -> Fact {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T19:00:00+03:00").unwrap();
        Fact { id: id.into(), device: device.into(), at, note: None, act: Act::Withdraw { fact: cites.into() } }
    }

    fn decisions() -> FxHashMap<&'static str, &'static str> {
        [("D1", "phone"), ("D2", "laptop")].into_iter().collect()
    }

    #[test]
    fn in_a_group_a_member_withdraws_its_own_decision_and_the_organiser_any() {
        let group = Settler::Organiser(Some("laptop"));
        let none = FxHashMap::default();
        assert_eq!(may_withdraw("D1", "phone", &decisions(), &none, group), Ok(()));
        assert_eq!(may_withdraw("D1", "laptop", &decisions(), &none, group), Ok(()));
        assert_eq!(
            may_withdraw("D2", "phone", &decisions(), &none, group),
            Err(Refusal::OtherDevice { device: "laptop".into() })
        );
        assert_eq!(may_withdraw("D2", "phone", &decisions(), &none, Settler::Anyone), Ok(()));
        assert_eq!(may_withdraw("D9", "laptop", &decisions(), &none, group), Err(Refusal::Unknown));
        assert!(group.is_settler("laptop") && !group.is_settler("phone") && Settler::Anyone.is_settler("phone"));
        assert!(!Settler::Organiser(None).is_settler("laptop"), "a group record naming no organiser: nobody");
    }

    #[test]
    fn a_withdrawal_by_a_member_of_another_devices_decision_does_not_count_wherever_it_came_from() {
        let facts = [withdrawal("W1", "phone", "D2"), withdrawal("W2", "tablet", "D1")];
        let group = Settler::Organiser(Some("laptop"));
        let withdrawn = withdrawn(&decisions(), facts.iter(), |_| group);
        assert!(withdrawn.is_empty(), "{withdrawn:?}");
        assert_eq!(standing(&decisions(), &withdrawn).len(), 2);
        let outside = super::withdrawn(&decisions(), facts.iter(), |_| Settler::Anyone);
        assert_eq!(outside.len(), 2);
        let before_group = |f: &Fact| if f.id == "W1" { Settler::Anyone } else { group };
        let kept = super::withdrawn(&decisions(), facts.iter(), before_group);
        assert_eq!(kept.keys().collect::<Vec<_>>(), vec!["D2"], "made before the group: judged as then");
    }

    #[test]
    fn a_decision_withdrawn_twice_is_refused_and_the_earliest_withdrawal_named() {
        let facts = [withdrawal("W2", "laptop", "D1"), withdrawal("W1", "phone", "D1")];
        let group = Settler::Organiser(Some("laptop"));
        let withdrawn = withdrawn(&decisions(), facts.iter(), |_| group);
        assert_eq!(withdrawn.get("D1").map(String::as_str), Some("W1"));
        assert_eq!(
            may_withdraw("D1", "laptop", &decisions(), &withdrawn, group),
            Err(Refusal::AlreadyWithdrawn { by: "W1".into() })
        );
        assert_eq!(standing(&decisions(), &withdrawn).into_iter().collect::<Vec<_>>(), vec!["D2"]);
    }

    #[test]
    fn withdrawals_in_any_order_give_the_same_standing_decisions() {
        let facts = [withdrawal("W1", "phone", "D1"), withdrawal("W2", "laptop", "D2"), withdrawal("W3", "x", "D2")];
        let group = Settler::Organiser(Some("laptop"));
        let forward = withdrawn(&decisions(), facts.iter(), |_| group);
        let backward = withdrawn(&decisions(), facts.iter().rev(), |_| group);
        assert_eq!(forward, backward);
    }
}
