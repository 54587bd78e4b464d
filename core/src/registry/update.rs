//! A new registry for a campaign (`obhod registry update`): whether it may replace the campaign's,
//! what changes (the `registry diff` of the two, with the votes each change moves) and which of
//! the facts and decisions already recorded name a premise or an owner the new registry no longer
//! has. Those stay recorded and listed; they are never counted for anyone else (a new owner of a
//! sold flat was not reached by the old owner's notice, and did not sign the old owner's decision).

use chrono::NaiveDate;

use super::Registry;
use super::diff::{Difference, diff};
use super::since::Since;
use crate::ballots::Ballot;
use crate::canvass::{Act, Fact, Outcome, withdrawn};
use crate::lang::Lang;
use crate::meeting::Meeting;

/// Why a new registry cannot replace the campaign's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Voting has ended: the protocol's registry of owners is the one in force on that day.
    VotingEnded { voting_ends: NaiveDate, today: NaiveDate },
    /// The new registry has the same premises, areas, owners and shares as the campaign's.
    Unchanged,
}

/// What a recorded fact or decision is, when the new registry no longer has whom it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    Fact,
    Decision,
}

impl Record {
    pub fn code(self) -> &'static str {
        match self {
            Record::Fact => "fact",
            Record::Decision => "decision",
        }
    }
}

/// A fact or decision about a premise or owner not in the registry: kept, listed, not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    pub record: Record,
    pub id: String,
    pub premise: String,
    /// The owner it names; `None` for a fact about every owner of a premise.
    pub owner: Option<String>,
    /// Whether the premise itself is gone (else only the owner is).
    pub premise_gone: bool,
}

impl Orphan {
    /// «решение 01J…: «Петров П. П.» больше не собственник помещения 2; остаётся записанным и ни
    /// за кого не засчитывается».
    pub fn message(&self, lang: Lang) -> String {
        let premise = &self.premise;
        let what = match self.record {
            Record::Fact => lang.pick("факт", "fact"),
            Record::Decision => lang.pick("решение", "decision"),
        };
        let whom = match (&self.owner, self.premise_gone, lang) {
            (Some(owner), false, Lang::Ru) => format!("«{owner}» больше не собственник помещения {premise}"),
            (Some(owner), false, Lang::En) => format!("`{owner}` no longer owns premise {premise}"),
            (_, _, Lang::Ru) => format!("помещения {premise} нет в реестре"),
            (_, _, Lang::En) => format!("premise {premise} is not in the registry"),
        };
        match lang {
            Lang::Ru => format!("{what} {}: {whom}; остаётся записанным и ни за кого не засчитывается", self.id),
            Lang::En => format!("{what} {}: {whom}; kept as recorded and counted for no one", self.id),
        }
    }
}

/// A standing fact about every owner of a premise (`owner` unset) recorded before the registry
/// that adds owners to the premise: it does not reach them (they were not owners then), so a
/// notice it records is none of theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreached {
    pub id: String,
    pub premise: String,
    pub outcome: Outcome,
    /// The owners the new registry adds to the premise.
    pub owners: Vec<String>,
}

impl Unreached {
    /// What it is, as a fact: the mark stands for the owners it was recorded for, and not for these.
    pub fn message(&self, lang: Lang) -> String {
        let (id, premise, owners, title) =
            (&self.id, &self.premise, self.owners.join("», «"), self.outcome.title(lang));
        let notice = matches!(self.outcome, Outcome::Delivered | Outcome::Sent);
        match lang {
            Lang::Ru => format!(
                "факт {id} («{title}», все собственники помещения {premise}) записан до этого реестра и к «{owners}» не \
                 относится{}",
                if notice { ": уведомлением для них он не считается" } else { "" }
            ),
            Lang::En => format!(
                "fact {id} (`{title}`, every owner of premise {premise}) was recorded before this registry and does not \
                 apply to `{}`{}",
                self.owners.join("`, `"),
                if notice { ": it is no notice to them" } else { "" }
            ),
        }
    }
}

/// What replacing the registry does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub differences: Vec<Difference>,
    /// The standing facts and decisions the new registry leaves without their premise or owner.
    pub orphans: Vec<Orphan>,
    /// The standing facts about every owner of a premise the new registry adds owners to: they do
    /// not reach those owners.
    pub unreached: Vec<Unreached>,
    /// The new registry's version and since when each of its owners is one.
    pub since: Since,
}

/// Whether `new` may replace `old` on `today`, and what it does to the standing `facts` and the
/// standing `decisions` (each with its id).
pub fn check<'a>(
    old: &Registry,
    new: &Registry,
    meeting: &Meeting,
    today: NaiveDate,
    facts: &[Fact],
    decisions: impl IntoIterator<Item = (&'a str, &'a Ballot)>,
) -> Result<Update, Refusal> {
    if today > meeting.voting_ends {
        return Err(Refusal::VotingEnded { voting_ends: meeting.voting_ends, today });
    }
    let differences = diff(old, new);
    if differences.is_empty() {
        return Err(Refusal::Unchanged);
    }
    let since = Since::next(old, new, today);
    let mut unreached = unreached(new, &since, facts);
    for mark in &mut unreached {
        mark.owners.retain(|owner| since.of(&mark.premise, owner) == since.version);
    }
    unreached.retain(|mark| !mark.owners.is_empty());
    Ok(Update { orphans: orphans(new, facts, decisions), unreached, since, differences })
}

/// The standing facts about every owner of a premise of `new` recorded before some of its owners
/// came (by `since`), with those owners, in id order.
pub fn unreached(new: &Registry, since: &Since, facts: &[Fact]) -> Vec<Unreached> {
    let withdrawn = withdrawn(facts.iter());
    let mut found: Vec<Unreached> = facts
        .iter()
        .filter(|fact| !withdrawn.contains(&fact.id))
        .filter_map(|fact| {
            let Act::Mark { premise, owner: None, outcome, under, .. } = &fact.act else { return None };
            let owners: Vec<String> = new
                .premise(premise)?
                .owners()
                .iter()
                .filter(|o| !Since::reaches(*under, since.of(premise, &o.name)))
                .map(|o| o.name.clone())
                .collect();
            (!owners.is_empty()).then(|| Unreached {
                id: fact.id.clone(),
                premise: premise.clone(),
                outcome: *outcome,
                owners,
            })
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}

/// The standing facts and decisions naming a premise or owner `registry` does not have, facts
/// first, each in id order.
pub fn orphans<'a>(
    registry: &Registry,
    facts: &[Fact],
    decisions: impl IntoIterator<Item = (&'a str, &'a Ballot)>,
) -> Vec<Orphan> {
    let gone = |premise: &str, owner: Option<&str>| -> Option<bool> {
        match registry.premise(premise) {
            None => Some(true),
            Some(p) => owner.filter(|name| !p.owners().iter().any(|o| o.name == *name)).map(|_| false),
        }
    };
    let withdrawn = withdrawn(facts.iter());
    let mut found: Vec<Orphan> = facts
        .iter()
        .filter(|fact| !withdrawn.contains(&fact.id))
        .filter_map(|fact| {
            let Act::Mark { premise, owner, .. } = &fact.act else { return None };
            let premise_gone = gone(premise, owner.as_deref())?;
            Some(Orphan {
                record: Record::Fact,
                id: fact.id.clone(),
                premise: premise.clone(),
                owner: owner.clone(),
                premise_gone,
            })
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    let mut ballots: Vec<Orphan> = decisions
        .into_iter()
        .filter_map(|(id, ballot)| {
            let premise_gone = gone(&ballot.premise, Some(&ballot.owner))?;
            Some(Orphan {
                record: Record::Decision,
                id: id.into(),
                premise: ballot.premise.clone(),
                owner: Some(ballot.owner.clone()),
                premise_gone,
            })
        })
        .collect();
    ballots.sort_by(|a, b| a.id.cmp(&b.id));
    found.extend(ballots);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTRY: &str = "premise,kind,area,owner,owner_kind,share\n\
        1,flat,50,Иванов Иван Иванович,person,\n\
        2,flat,60,Петрова Анна Сергеевна,person,\n\
        3,flat,40,Сидоров Пётр,person,\n";

    const MEETING: &str = r#"
[building]
address = "г. Примерск, ул. Садовая, д. 5"
registry = "registry.csv"

[meeting]
kind = "extraordinary"
form = "in_person_and_absentee"
date = 2026-12-10
voting_ends = 2026-12-20

[[question]]
text = "Избрание председателя"
item = "other"
"#;

    fn registry(text: &str) -> Registry {
        Registry::parse("registry.csv", text.as_bytes()).unwrap()
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn fact(id: &str, act: Act) -> Fact {
        Fact { id: id.into(), device: "a".into(), at: "2026-12-01T10:00:00+03:00".parse().unwrap(), note: None, act }
    }

    #[test]
    fn after_the_end_of_voting_or_with_nothing_changed_it_is_refused() {
        let meeting = Meeting::parse("meeting.toml", MEETING).unwrap();
        let old = registry(REGISTRY);
        let new = registry(&REGISTRY.replace("1,flat,50", "1,flat,52"));
        let ended = check(&old, &new, &meeting, day(21), &[], []);
        assert_eq!(ended, Err(Refusal::VotingEnded { voting_ends: day(20), today: day(21) }));
        assert!(check(&old, &new, &meeting, day(20), &[], []).is_ok(), "the last day of voting still takes it");
        let respaced = registry(&REGISTRY.replace("\n2,", "\n\n2,"));
        assert_eq!(check(&old, &respaced, &meeting, day(1), &[], []), Err(Refusal::Unchanged));
    }

    #[test]
    fn a_corrected_area_is_a_difference_with_the_votes_it_moves() {
        let meeting = Meeting::parse("meeting.toml", MEETING).unwrap();
        let old = registry(REGISTRY);
        let new = registry(&REGISTRY.replace("1,flat,50", "1,flat,52"));
        let update = check(&old, &new, &meeting, day(1), &[], []).unwrap();
        assert_eq!(update.differences.len(), 1);
        assert_eq!(update.differences[0].code(), "area_differs");
        assert_eq!(update.differences[0].moved(), crate::number::Votes::from_integer(2.into()));
        assert!(update.orphans.is_empty());
    }

    #[test]
    fn facts_and_decisions_of_an_owner_or_premise_gone_are_listed_and_withdrawn_ones_not() {
        let meeting = Meeting::parse("meeting.toml", MEETING).unwrap();
        let old = registry(REGISTRY);
        let sold =
            REGISTRY.replace("Петрова Анна Сергеевна", "Кузнецов Олег").replace("3,flat,40,Сидоров Пётр,person,\n", "");
        let new = registry(&sold);
        let facts = vec![
            fact("01A", Act::mark("2", Some("Петрова Анна Сергеевна"), Outcome::Delivered)),
            fact("01B", Act::mark("3", None, Outcome::Absent)),
            fact("01C", Act::mark("1", Some("Иванов Иван Иванович"), Outcome::Delivered)),
            fact("01D", Act::mark("3", Some("Сидоров Пётр"), Outcome::Delivered)),
            fact("01E", Act::Withdraw { fact: "01D".into() }),
        ];
        let ballot = Ballot {
            premise: "2".into(), owner: "Петрова Анна Сергеевна".into(), ..Ballot::default()
        };
        let kept =
            Ballot { premise: "1".into(), owner: "Иванов Иван Иванович".into(), ..Ballot::default() };
        let update = check(&old, &new, &meeting, day(1), &facts, [("D2", &ballot), ("D1", &kept)]).unwrap();
        let listed: Vec<(&str, Record, bool)> =
            update.orphans.iter().map(|o| (o.id.as_str(), o.record, o.premise_gone)).collect();
        assert_eq!(
            listed,
            [("01A", Record::Fact, false), ("01B", Record::Fact, true), ("D2", Record::Decision, false)]
        );
        assert_eq!(update.orphans[2].owner.as_deref(), Some("Петрова Анна Сергеевна"));
        assert_eq!(
            update.orphans[2].message(Lang::Ru),
            "решение D2: «Петрова Анна Сергеевна» больше не собственник помещения 2; остаётся записанным и ни за \
             кого не засчитывается"
        );
        assert_eq!(
            update.orphans[1].message(Lang::En),
            "fact 01B: premise 3 is not in the registry; kept as recorded and counted for no one"
        );
    }

    #[test]
    fn the_count_and_the_fold_give_an_old_owners_records_to_no_one() {
        let meeting = Meeting::parse("meeting.toml", MEETING).unwrap();
        let new = registry(&REGISTRY.replace("Петрова Анна Сергеевна", "Кузнецов Олег"));
        let weights = crate::weights::Weights::compute(&new);
        let ballot = Ballot {
            premise: "2".into(),
            owner: "Петрова Анна Сергеевна".into(),
            answers: vec![crate::ballots::Answer::For],
            received: Some(day(15)),
            ..Ballot::default()
        };
        let tally = crate::tally::Tally::count(&new, &weights, &meeting, &[ballot]);
        assert!(
            tally.took_part.iter().all(|took| !took),
            "the decision of an owner not in the registry counts nowhere"
        );
        assert_eq!(tally.participated, crate::number::Votes::from_integer(0.into()));
        let delivered = fact("01A", Act::mark("2", Some("Петрова Анна Сергеевна"), Outcome::Delivered));
        let canvass = crate::canvass::Canvass::fold(&new, vec![delivered]);
        assert_eq!(canvass.stray, [0], "set aside, kept");
        assert!(canvass.premises[1].owner("Кузнецов Олег").unwrap().notice().is_none());
    }

    #[test]
    fn a_mark_for_every_owner_of_a_premise_that_gains_an_owner_is_said_not_to_reach_him() {
        let meeting = Meeting::parse("meeting.toml", MEETING).unwrap();
        let old = registry(REGISTRY);
        let joint = REGISTRY.replace(
            "2,flat,60,Петрова Анна Сергеевна,person,\n",
            "2,flat,60,Петрова Анна Сергеевна,person,1/2\n2,flat,60,Кузнецов Олег,person,1/2\n",
        );
        let new = registry(&joint);
        let facts = vec![
            fact("01A", Act::mark("2", None, Outcome::Delivered)),
            fact("01B", Act::mark("1", None, Outcome::Delivered)),
            fact("01C", Act::mark("2", None, Outcome::Absent)),
            fact("01D", Act::Withdraw { fact: "01C".into() }),
        ];
        let update = check(&old, &new, &meeting, day(1), &facts, []).unwrap();
        let unreached = Unreached {
            id: "01A".into(),
            premise: "2".into(),
            outcome: Outcome::Delivered,
            owners: vec!["Кузнецов Олег".into()],
        };
        assert_eq!(update.unreached, [unreached]);
        assert_eq!(
            update.unreached[0].message(Lang::Ru),
            "факт 01A («вручено под роспись», все собственники помещения 2) записан до этого реестра и к «Кузнецов \
             Олег» не относится: уведомлением для них он не считается"
        );
        assert!(!update.unreached[0].message(Lang::Ru).contains("undo"), "nothing to withdraw");
        let mut in_force = new.clone();
        in_force.since = update.since;
        let canvass = crate::canvass::Canvass::fold(&in_force, facts);
        let flat = &canvass.premises[1];
        assert!(flat.owner("Петрова Анна Сергеевна").unwrap().notified, "the owner it was recorded for");
        assert!(!flat.owner("Кузнецов Олег").unwrap().notified, "the buyer was never notified");
        assert_eq!(
            canvass.mail_list().map(|(_, o)| o.owner.name.as_str()).collect::<Vec<_>>(),
            ["Кузнецов Олег", "Сидоров Пётр"]
        );
    }
}
