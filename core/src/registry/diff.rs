//! `registry diff`: two registries of one building side by side (the managing company's against
//! ЕГРН): premises only in one, areas that differ, owners added, gone or spelt differently
//! (look-alike letters, е and ё, initials for names), shares that differ; each with the votes it
//! moves, exact, as `weights` computes them.

use num_traits::Zero;

use super::Registry;
use crate::lang::Lang;
use crate::number::{Votes, decimal, exact};
use crate::text::fold;
use crate::weights::Weights;
use rustc_hash::FxHashMap as HashMap;

/// Which registry a premise or owner is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    A,
    B,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    PremiseOnlyIn(Side),
    Area {
        a: Votes,
        b: Votes,
    },
    OwnerAdded,
    OwnerGone,
    /// One owner written differently: (as in A, as in B).
    Spelling {
        a: String,
        b: String,
    },
    Share {
        a: Option<Votes>,
        b: Option<Votes>,
    },
}

/// One difference: where it is, and the votes of what it touches in each registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub premise: String,
    pub owner: Option<String>,
    /// The premise's (or the owner's) line in A and in B, where it is there.
    pub line_a: Option<u64>,
    pub line_b: Option<u64>,
    pub change: Change,
    pub votes_a: Votes,
    pub votes_b: Votes,
}

impl Difference {
    pub fn code(&self) -> &'static str {
        match self.change {
            Change::PremiseOnlyIn(Side::A) => "premise_only_in_a",
            Change::PremiseOnlyIn(Side::B) => "premise_only_in_b",
            Change::Area { .. } => "area_differs",
            Change::OwnerAdded => "owner_added",
            Change::OwnerGone => "owner_gone",
            Change::Spelling { .. } => "owner_spelt_differently",
            Change::Share { .. } => "share_differs",
        }
    }

    /// The votes it moves: in B less in A.
    pub fn moved(&self) -> Votes {
        &self.votes_b - &self.votes_a
    }

    pub fn message(&self, lang: Lang) -> String {
        let t = |ru: String, en: String| if lang == Lang::Ru { ru } else { en };
        let m2 = |v: &Votes| decimal(v, 2, lang.decimal_separator());
        let premise = &self.premise;
        let owner = self.owner.as_deref().unwrap_or_default();
        let share = |s: &Option<Votes>| s.as_ref().map_or_else(|| "1".to_owned(), exact);
        let what = match &self.change {
            Change::PremiseOnlyIn(Side::A) => {
                t(format!("помещение {premise} есть только в A"), format!("premise {premise} is only in A"))
            }
            Change::PremiseOnlyIn(Side::B) => {
                t(format!("помещение {premise} есть только в B"), format!("premise {premise} is only in B"))
            }
            Change::Area { a, b } => t(
                format!("помещение {premise}: площадь {} м² в A, {} м² в B", m2(a), m2(b)),
                format!("premise {premise}: area {} m² in A, {} m² in B", m2(a), m2(b)),
            ),
            Change::OwnerAdded => t(
                format!("помещение {premise}: «{owner}» есть только в B"),
                format!("premise {premise}: `{owner}` is only in B"),
            ),
            Change::OwnerGone => t(
                format!("помещение {premise}: «{owner}» есть только в A"),
                format!("premise {premise}: `{owner}` is only in A"),
            ),
            Change::Spelling { a, b } => t(
                format!("помещение {premise}: собственник написан по-разному: «{a}» в A, «{b}» в B"),
                format!("premise {premise}: the owner is written differently: `{a}` in A, `{b}` in B"),
            ),
            Change::Share { a, b } => t(
                format!("помещение {premise}: доля «{owner}» {} в A, {} в B", share(a), share(b)),
                format!("premise {premise}: the share of `{owner}` is {} in A, {} in B", share(a), share(b)),
            ),
        };
        let moved = self.moved();
        if moved.is_zero() {
            return what;
        }
        t(
            format!("{what}; голосов {} в A, {} в B", m2(&self.votes_a), m2(&self.votes_b)),
            format!("{what}; votes {} in A, {} in B", m2(&self.votes_a), m2(&self.votes_b)),
        )
    }
}

/// A name compared across registries: look-alike letters, case, ё and the kind of quotes around an
/// organisation's name («Уют», "Уют", “Уют”) do not matter.
fn name_key(name: &str) -> String {
    let quote = |c: char| matches!(c, '«' | '»' | '"' | '“' | '”' | '„' | '\'');
    fold(name).replace('ё', "е").chars().map(|c| if quote(c) { '"' } else { c }).collect()
}

/// «Иванов И. И.» and «Иванов Иван Иванович»: one surname, and each other word the start of the other's.
fn same_by_initials(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        name_key(s).split([' ', '.']).filter(|w| !w.is_empty()).map(str::to_owned).collect()
    };
    let (a, b) = (words(a), words(b));
    a.len() == b.len()
        && a.len() > 1
        && a[0] == b[0]
        && a[1..].iter().zip(&b[1..]).all(|(x, y)| x.starts_with(y.as_str()) || y.starts_with(x.as_str()))
}

/// A registry with its weights: a premise's votes, an owner's share and votes (a joint group's whole),
/// and its premises by label, each looked up once.
struct Counted<'r> {
    registry: &'r Registry,
    weights: Weights,
    /// The holdings of each premise (indices into `weights.holdings`).
    holdings: Vec<Vec<usize>>,
    /// Each premise by its label's key (`label_key`).
    by_label: HashMap<String, usize>,
}

impl<'r> Counted<'r> {
    fn new(registry: &'r Registry) -> Self {
        let weights = Weights::compute(registry);
        let mut holdings = vec![Vec::new(); registry.premises.len()];
        for (n, holding) in weights.holdings.iter().enumerate() {
            holdings[holding.premise].push(n);
        }
        let mut by_label = HashMap::default();
        for (index, premise) in registry.premises.iter().enumerate() {
            by_label.entry(label_key(&premise.label)).or_insert(index);
        }
        Counted { registry, weights, holdings, by_label }
    }

    fn premise_votes(&self, index: usize) -> Votes {
        self.holdings[index].iter().map(|&n| self.weights.holdings[n].votes.clone()).sum()
    }

    fn owner_votes(&self, index: usize, name: &str) -> Votes {
        let holdings = self.holdings[index].iter().map(|&n| &self.weights.holdings[n]);
        holdings.filter(|h| h.owners.iter().any(|o| o.name == name)).map(|h| h.votes.clone()).sum()
    }

    fn share(&self, index: usize, name: &str) -> Option<Votes> {
        let premise = &self.registry.premises[index];
        let holder = premise.holders().into_iter().find(|(_, h)| h.owners.iter().any(|o| o.name == name));
        holder.and_then(|(_, h)| h.share.clone())
    }

    fn find(&self, label: &str) -> Option<usize> {
        self.by_label.get(&label_key(label)).copied()
    }
}

/// A premise's label as two registries are matched by it: folded (case, spaces, Latin look-alikes),
/// without dashes, dots and spaces, and its letters before its number, so that the managing
/// company's «Н-1» is ЕГРН's «1Н» and «ММ-14» is «14ММ».
pub(super) fn label_key(label: &str) -> String {
    let key: String = fold(label).chars().filter(|c| !matches!(c, '-' | '.' | ' ' | '/')).collect();
    let split = key.find(|c: char| !c.is_ascii_digit()).unwrap_or(key.len());
    let (digits, letters) = key.split_at(split);
    if !digits.is_empty() && !letters.is_empty() && letters.chars().all(char::is_alphabetic) {
        return format!("{letters}{digits}");
    }
    key
}

/// Each owner of a premise in A (`a`, by name) with the owner of the same premise in B it is:
/// the same name, else a look-alike spelling, else the same by initials (each of B's taken once by
/// the last two); `None` where B has no such owner.
pub(super) fn pair_owners<'b>(a: &[&str], b: &[&'b str]) -> Vec<Option<&'b str>> {
    let mut matched: Vec<&str> = Vec::new();
    let mut pairs = Vec::with_capacity(a.len());
    for &name in a {
        let exact_match = b.iter().find(|&&n| n == name);
        let alike = || b.iter().find(|&&n| !matched.contains(&n) && name_key(n) == name_key(name));
        let initials = || b.iter().find(|&&n| !matched.contains(&n) && same_by_initials(n, name));
        let paired = exact_match.or_else(alike).or_else(initials).copied();
        matched.extend(paired);
        pairs.push(paired);
    }
    pairs
}

/// Every difference between `a` and `b`, premise by premise in A's order, then B's own.
pub fn diff(a: &Registry, b: &Registry) -> Vec<Difference> {
    let (sa, sb) = (Counted::new(a), Counted::new(b));
    let mut differences = Vec::new();
    for (ia, pa) in a.premises.iter().enumerate() {
        let Some(ib) = sb.find(&pa.label) else {
            differences.push(Difference {
                premise: pa.label.clone(),
                owner: None,
                line_a: Some(pa.line),
                line_b: None,
                change: Change::PremiseOnlyIn(Side::A),
                votes_a: sa.premise_votes(ia),
                votes_b: Votes::zero(),
            });
            continue;
        };
        let pb = &b.premises[ib];
        let base = Difference {
            premise: pa.label.clone(),
            owner: None,
            line_a: Some(pa.line),
            line_b: Some(pb.line),
            change: Change::OwnerAdded,
            votes_a: Votes::zero(),
            votes_b: Votes::zero(),
        };
        if pa.area != pb.area {
            differences.push(Difference {
                change: Change::Area { a: pa.area.clone(), b: pb.area.clone() },
                votes_a: sa.premise_votes(ia),
                votes_b: sb.premise_votes(ib),
                ..base.clone()
            });
        }
        let owners_a: Vec<&str> = pa.owners().iter().map(|o| o.name.as_str()).collect();
        let owners_b: Vec<&str> = pb.owners().iter().map(|o| o.name.as_str()).collect();
        let pairs = pair_owners(&owners_a, &owners_b);
        let matched_b: Vec<&str> = pairs.iter().flatten().copied().collect();
        for (owner, paired) in pa.owners().into_iter().zip(pairs) {
            let name = owner.name.as_str();
            let Some(other) = paired else {
                differences.push(Difference {
                    owner: Some(name.to_owned()),
                    line_a: Some(owner.line),
                    line_b: None,
                    change: Change::OwnerGone,
                    votes_a: sa.owner_votes(ia, name),
                    ..base.clone()
                });
                continue;
            };
            let line_b = pb.owners().iter().find(|o| o.name == other).map(|o| o.line);
            let at = Difference { owner: Some(name.to_owned()), line_a: Some(owner.line), line_b, ..base.clone() };
            if other != name {
                let change = Change::Spelling { a: name.to_owned(), b: other.to_owned() };
                differences.push(Difference { change, ..at.clone() });
            }
            let (share_a, share_b) = (sa.share(ia, name), sb.share(ib, other));
            if share_a != share_b {
                differences.push(Difference {
                    change: Change::Share { a: share_a, b: share_b },
                    votes_a: sa.owner_votes(ia, name),
                    votes_b: sb.owner_votes(ib, other),
                    ..at
                });
            }
        }
        for owner in pb.owners().into_iter().filter(|o| !matched_b.contains(&o.name.as_str())) {
            differences.push(Difference {
                owner: Some(owner.name.clone()),
                line_a: None,
                line_b: Some(owner.line),
                change: Change::OwnerAdded,
                votes_b: sb.owner_votes(ib, &owner.name),
                ..base.clone()
            });
        }
    }
    for (ib, pb) in b.premises.iter().enumerate() {
        if sa.find(&pb.label).is_none() {
            differences.push(Difference {
                premise: pb.label.clone(),
                owner: None,
                line_a: None,
                line_b: Some(pb.line),
                change: Change::PremiseOnlyIn(Side::B),
                votes_a: Votes::zero(),
                votes_b: sb.premise_votes(ib),
            });
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_premise_is_matched_whichever_side_its_letters_stand_on() {
        assert_eq!(label_key("Н-1"), label_key("1Н"));
        assert_eq!(label_key("н1"), label_key("1-Н"));
        assert_eq!(label_key("ММ-14"), label_key("14 ММ"));
        assert_ne!(label_key("Н-1"), label_key("Н-11"));
        assert_ne!(label_key("12"), label_key("Н-12"));
        assert_eq!(label_key("12"), label_key(" 12 "));
    }

    #[test]
    fn initials_and_yo_are_one_name() {
        assert!(same_by_initials("Иванов И. И.", "Иванов Иван Иванович"));
        assert!(same_by_initials("Ёлкин П.С.", "Елкин Пётр Семёнович"));
        assert!(!same_by_initials("Иванов И. П.", "Иванов Иван Иванович"));
        assert_eq!(name_key("Пётр"), name_key("ПЕТР"));
        assert_eq!(name_key("ООО «Уют»"), name_key("ООО \"Уют\""));
    }
}
