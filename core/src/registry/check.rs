//! `registry check`: what in a registry that parses will still cost votes or letters, each
//! finding at its line. Errors lose votes (shares that do not add up: the rest counts in the
//! total and nobody can vote it); warnings cost letters or invite a challenge (a premise nobody
//! owns, an organisation without its address or ОГРН, an
//! address without a postcode, a missing title document, one name on several premises without
//! an `owner_id`, labels that look alike, an area out of the ordinary).

use num_traits::{One, Zero};

use super::{Layout, OwnerKind, PremiseKind, Registry};
use crate::lang::Lang;
use crate::number::{Votes, decimal, exact};
use crate::text::fold;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One thing worth fixing, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub line: u64,
    pub premise: String,
    pub owner: Option<String>,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    SharesIncomplete { room: Option<String>, sum: String },
    Unowned,
    SameNameElsewhere { premises: Vec<String> },
    NoAddress,
    NoOgrn,
    NoPostcode { address: String },
    NoDocument,
    LookAlike { other: String, other_line: u64 },
    UnusualArea { area: String, kind: PremiseKind },
}

impl Finding {
    /// A stable code for scripts.
    pub fn code(&self) -> &'static str {
        match self.what {
            What::SharesIncomplete { .. } => "shares_incomplete",
            What::Unowned => "unowned_premise",
            What::SameNameElsewhere { .. } => "same_name_without_owner_id",
            What::NoAddress => "organisation_without_address",
            What::NoOgrn => "organisation_without_ogrn",
            What::NoPostcode { .. } => "address_without_postcode",
            What::NoDocument => "missing_document",
            What::LookAlike { .. } => "look_alike_labels",
            What::UnusualArea { .. } => "unusual_area",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let t = |ru: String, en: String| if lang == Lang::Ru { ru } else { en };
        let premise = &self.premise;
        let owner = self.owner.as_deref().unwrap_or_default();
        match &self.what {
            What::SharesIncomplete { room, sum } => {
                let place = match room {
                    Some(room) => {
                        t(format!("помещение {premise}, комната {room}"), format!("premise {premise}, room {room}"))
                    }
                    None => t(format!("помещение {premise}"), format!("premise {premise}")),
                };
                t(
                    format!("{place}: сумма долей {sum}, меньше 1 — голоса остальной части никто не подаст"),
                    format!("{place}: shares sum to {sum}, less than 1: nobody votes the rest"),
                )
            }
            What::Unowned => t(
                format!("помещение {premise}: нет собственника — его голоса никто не подаст"),
                format!("premise {premise}: no owner, so nobody votes it"),
            ),
            What::SameNameElsewhere { premises } => t(
                format!(
                    "«{owner}» — собственник и помещений {}: если это один человек, дайте ему id_собственника (одно уведомление, один бланк)",
                    premises.join(", ")
                ),
                format!(
                    "`{owner}` also owns premises {}: if it is one person, give them an owner_id (one notice, one form)",
                    premises.join(", ")
                ),
            ),
            What::NoAddress => t(
                format!("помещение {premise}: у «{owner}» нет своего адреса — заказное письмо уйдёт в само помещение"),
                format!(
                    "premise {premise}: `{owner}` has no address of its own; the letter goes to the premise itself"
                ),
            ),
            What::NoOgrn => t(
                format!("помещение {premise}: у «{owner}» нет ОГРН — он нужен в бланке решения и в протоколе"),
                format!("premise {premise}: `{owner}` has no OGRN, needed on its form and in the protocol"),
            ),
            What::NoPostcode { address } => t(
                format!("помещение {premise}: в адресе «{owner}» «{address}» нет почтового индекса"),
                format!("premise {premise}: the address of `{owner}` \"{address}\" has no postcode"),
            ),
            What::NoDocument => t(
                format!(
                    "помещение {premise}: у «{owner}» нет документа о праве собственности (номер записи ЕГРН) — он нужен в реестре к протоколу"
                ),
                format!(
                    "premise {premise}: `{owner}` has no title document (ЕГРН record), needed in the protocol's registry"
                ),
            ),
            What::LookAlike { other, other_line } => t(
                format!("помещение «{premise}» похоже на «{other}» в строке {other_line}: это разные помещения?"),
                format!("premise `{premise}` looks like `{other}` on line {other_line}: are they different premises?"),
            ),
            What::UnusualArea { area, kind } => t(
                format!(
                    "помещение {premise}: площадь {area} м² необычна для вида «{}»; проверьте цифры",
                    kind.title(lang)
                ),
                format!(
                    "premise {premise}: an area of {area} m² is unusual for a {}; check the digits",
                    kind.title(lang)
                ),
            ),
        }
    }
}

/// The registry's areas by kind, m².
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    pub residential: Votes,
    pub nonresidential: Votes,
}

/// Every finding, in registry order (errors and warnings mixed, by line).
pub fn check(registry: &Registry) -> Vec<Finding> {
    let mut findings = Vec::new();
    let names = names(registry);
    for (index, premise) in registry.premises.iter().enumerate() {
        let at = |line: u64, owner: Option<&str>, severity, what| Finding {
            severity,
            line,
            premise: premise.label.clone(),
            owner: owner.map(str::to_owned),
            what,
        };
        if !premise.is_owned() {
            findings.push(at(premise.line, None, Severity::Warning, What::Unowned));
        }
        let parts: Vec<(Option<&str>, Votes)> = match &premise.layout {
            Layout::Whole(holders) if !holders.is_empty() => vec![(None, holders.iter().map(|h| h.fraction()).sum())],
            Layout::Rooms(rooms) => rooms
                .iter()
                .filter(|r| !r.holders.is_empty())
                .map(|r| (Some(r.label.as_str()), r.holders.iter().map(|h| h.fraction()).sum()))
                .collect(),
            Layout::Whole(_) => Vec::new(),
        };
        for (room, sum) in parts {
            if sum < Votes::one() && !sum.is_zero() {
                let what = What::SharesIncomplete { room: room.map(str::to_owned), sum: exact(&sum) };
                findings.push(at(premise.line, None, Severity::Error, what));
            }
        }
        for owner in premise.owners() {
            let name = Some(owner.name.as_str());
            if owner.kind.votes_as_one() && owner.address.is_none() {
                findings.push(at(owner.line, name, Severity::Warning, What::NoAddress));
            }
            if owner.kind == OwnerKind::Legal && owner.ogrn.is_none() {
                findings.push(at(owner.line, name, Severity::Warning, What::NoOgrn));
            }
            if let Some(address) = owner.address.as_deref().filter(|a| !has_postcode(a)) {
                let what = What::NoPostcode { address: address.to_owned() };
                findings.push(at(owner.line, name, Severity::Warning, what));
            }
            if owner.document.is_none() {
                findings.push(at(owner.line, name, Severity::Warning, What::NoDocument));
            }
            if owner.kind == OwnerKind::Person && owner.id.is_none() {
                let same = names.get(&fold(&owner.name)).map(Vec::as_slice).unwrap_or_default();
                let elsewhere: Vec<String> =
                    same.iter().filter(|&&i| i != index).map(|&i| registry.premises[i].label.clone()).collect();
                if !elsewhere.is_empty() {
                    findings.push(at(
                        owner.line,
                        name,
                        Severity::Warning,
                        What::SameNameElsewhere { premises: elsewhere },
                    ));
                }
            }
        }
        if let Some(area) = unusual(premise.kind, &premise.area) {
            findings.push(at(premise.line, None, Severity::Warning, What::UnusualArea { area, kind: premise.kind }));
        }
    }
    findings.extend(look_alikes(registry));
    findings.sort_by_key(|f| f.line);
    findings
}

/// The premises (indices, in registry order) of every person without an `owner_id`, by folded name.
fn names(registry: &Registry) -> HashMap<String, Vec<usize>> {
    let mut names: HashMap<String, Vec<usize>> = HashMap::default();
    for (index, premise) in registry.premises.iter().enumerate() {
        for owner in premise.owners() {
            if owner.kind == OwnerKind::Person && owner.id.is_none() {
                names.entry(fold(&owner.name)).or_default().push(index);
            }
        }
    }
    names
}

/// Labels equal once hyphens, spaces, dots and a `№` are gone (`Н1` and `Н-1`, `12 А` and `12а`).
fn look_alikes(registry: &Registry) -> Vec<Finding> {
    let key = |label: &str| fold(label).replace(['-', ' ', '.', '№', '/', '_'], "");
    // The first premise of each key: a later one is said to look like it.
    let mut seen: HashMap<String, (&str, u64)> = HashMap::default();
    let mut findings = Vec::new();
    for premise in &registry.premises {
        let k = key(&premise.label);
        if let Some((other, other_line)) = seen.get(&k) {
            findings.push(Finding {
                severity: Severity::Warning,
                line: premise.line,
                premise: premise.label.clone(),
                owner: None,
                what: What::LookAlike { other: (*other).to_owned(), other_line: *other_line },
            });
        } else {
            seen.insert(k, (&premise.label, premise.line));
        }
    }
    findings
}

/// An area no premise of its kind has in an apartment building, as text, or `None`.
fn unusual(kind: PremiseKind, area: &Votes) -> Option<String> {
    let (least, most) = match kind {
        PremiseKind::Flat => (9, 500),
        PremiseKind::Parking => (7, 60),
        PremiseKind::Storage => (1, 50),
        PremiseKind::NonResidential => (1, 10_000),
    };
    let out = *area < Votes::from_integer(least.into()) || *area > Votes::from_integer(most.into());
    out.then(|| decimal(area, 2, ','))
}

/// Whether an address has a six-digit postcode.
fn has_postcode(address: &str) -> bool {
    address.split(|c: char| !c.is_ascii_digit()).any(|digits| digits.len() == 6)
}

/// The areas of residential and non-residential premises (parking spaces and storage rooms are
/// non-residential).
pub fn areas(registry: &Registry) -> Areas {
    let mut areas = Areas { residential: Votes::zero(), nonresidential: Votes::zero() };
    for premise in &registry.premises {
        if premise.kind.is_residential() {
            areas.residential += &premise.area;
        } else {
            areas.nonresidential += &premise.area;
        }
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postcode_is_six_digits() {
        assert!(has_postcode("644024, г. Омск, ул. Гагарина, д. 32"));
        assert!(!has_postcode("г. Омск, ул. Гагарина, д. 32, кв. 644"));
    }
}
