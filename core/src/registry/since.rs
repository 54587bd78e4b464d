//! Since when each owner of the registry in force is an owner: the registry's version (0 for
//! `init`'s, one more with each `registry update`) and, per owner, the version since which the
//! registry names it. A mark for every owner of a premise reaches only the owners the premise
//! had when it was recorded (ч.4 ст.45 ЖК РФ: each owner is notified; a buyer after the visit
//! was not).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use rustc_hash::FxHashMap as HashMap;

use super::Registry;
use super::diff::{label_key, pair_owners};

/// The registry's version and the version since which each of its owners is one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Since {
    /// 0 for the registry `init` recorded; one more with each update.
    pub version: u64,
    /// Premise label → owner name → version, for the owners who came after `init`; every owner
    /// not here is one since version 0.
    pub owners: BTreeMap<String, BTreeMap<String, u64>>,
    /// The day of each update, in order: the first made version 1.
    pub days: Vec<NaiveDate>,
}

impl Since {
    /// The version since which `owner` is an owner of `premise`.
    pub fn of(&self, premise: &str, owner: &str) -> u64 {
        self.owners.get(premise).and_then(|owners| owners.get(owner)).copied().unwrap_or(0)
    }

    /// The version a mark recorded `today` is made under: the one in force; for a delivery typed
    /// in from paper, signed on an earlier day, the one in force before that day (an update of
    /// that very day is not counted: its new owners may not have signed).
    pub fn under(&self, signed: Option<NaiveDate>, today: NaiveDate) -> u64 {
        match signed {
            Some(day) if day < today && self.days.len() as u64 == self.version => {
                self.days.iter().filter(|&&updated| updated < day).count() as u64
            }
            _ => self.version,
        }
    }

    /// What `new` replacing `old` (with its `since`) on `today` makes of it: the next version; an
    /// owner of `new` who is one of `old` (the same premise and owner as `registry diff` matches
    /// them, look-alike spellings and initials alike) keeps its version, any other has the new one.
    pub fn next(old: &Registry, new: &Registry, today: NaiveDate) -> Since {
        let version = old.since.version + 1;
        let mut by_label: HashMap<String, usize> = HashMap::default();
        for (index, premise) in old.premises.iter().enumerate() {
            by_label.entry(label_key(&premise.label)).or_insert(index);
        }
        let mut owners: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
        for premise in &new.premises {
            let names: Vec<&str> = premise.owners().iter().map(|o| o.name.as_str()).collect();
            let mut since: BTreeMap<String, u64> = names.iter().map(|&name| (name.to_owned(), version)).collect();
            if let Some(&index) = by_label.get(&label_key(&premise.label)) {
                let before = &old.premises[index];
                let old_names: Vec<&str> = before.owners().iter().map(|o| o.name.as_str()).collect();
                for (old_name, paired) in old_names.iter().zip(pair_owners(&old_names, &names)) {
                    if let Some(name) = paired {
                        since.insert(name.to_owned(), old.since.of(&before.label, old_name));
                    }
                }
            }
            since.retain(|_, v| *v > 0);
            if !since.is_empty() {
                owners.insert(premise.label.clone(), since);
            }
        }
        let mut days = old.since.days.clone();
        days.push(today);
        Since { version, owners, days }
    }

    /// Whether a mark for every owner of a premise recorded under registry version `under`
    /// reaches an owner who is one since `since`: only one who was an owner then.
    pub fn reaches(under: u64, since: u64) -> bool {
        since <= under
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "premise,kind,area,owner,owner_kind,share\n\
        1,flat,50,Иванов Иван Иванович,person,\n\
        2,flat,60,Петрова Анна Сергеевна,person,\n\
        3,flat,40,Сидоров Пётр,person,\n";

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn registry(text: &str) -> Registry {
        Registry::parse("registry.csv", text.as_bytes()).unwrap()
    }

    #[test]
    fn a_buyer_is_an_owner_since_the_update_and_everyone_else_keeps_their_version() {
        let old = registry(REGISTRY);
        let mut sold = registry(&REGISTRY.replace("Петрова Анна Сергеевна", "Кузнецов Олег"));
        sold.since = Since::next(&old, &sold, day(5));
        assert_eq!(sold.since.version, 1);
        assert_eq!(sold.since.of("2", "Кузнецов Олег"), 1);
        assert_eq!(sold.since.of("1", "Иванов Иван Иванович"), 0);
        let respelt = REGISTRY
            .replace("Петрова Анна Сергеевна", "Кузнецов Олег")
            .replace("Иванов Иван Иванович", "Иванов И. И.")
            .replace(
                "3,flat,40,Сидоров Пётр,person,\n",
                "3,flat,40,Сидоров Пётр,person,1/2\n3,flat,40,Сидорова Ольга,person,1/2\n",
            );
        let mut again = registry(&respelt);
        again.since = Since::next(&sold, &again, day(9));
        assert_eq!(again.since.version, 2);
        assert_eq!(again.since.of("2", "Кузнецов Олег"), 1, "the buyer keeps the version he came with");
        assert_eq!(again.since.of("1", "Иванов И. И."), 0, "initials are the same owner");
        assert_eq!(again.since.of("3", "Сидорова Ольга"), 2);
        assert_eq!(again.since.of("3", "Сидоров Пётр"), 0);
        assert!(Since::reaches(1, again.since.of("2", "Кузнецов Олег")));
        assert!(!Since::reaches(0, again.since.of("2", "Кузнецов Олег")));
        assert_eq!(again.since.days, [day(5), day(9)]);
    }

    #[test]
    fn a_delivery_typed_in_later_is_made_under_the_registry_of_the_day_before_it_was_signed() {
        let since = Since { version: 2, owners: BTreeMap::new(), days: vec![day(5), day(9)] };
        assert_eq!(since.under(None, day(12)), 2);
        assert_eq!(since.under(Some(day(12)), day(12)), 2, "signed today: the registry in force");
        assert_eq!(since.under(Some(day(10)), day(12)), 2);
        assert_eq!(since.under(Some(day(9)), day(12)), 1, "the update of that day is not counted");
        assert_eq!(since.under(Some(day(4)), day(12)), 0);
    }
}
