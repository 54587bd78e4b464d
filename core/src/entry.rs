//! A decision typed by hand (the ballot-entry screen, `Campaign::record_decision`): the premise
//! and owner found as people type them, with the nearest registry names when not found; one
//! answer per question of the agenda; a date after the end of voting recorded but late (ч.1
//! ст.47.1 ЖК РФ: only decisions received by then count); and whether the voter already has a
//! decision that stands, which the commission replaces, keeps beside the new one, or keeps alone.

use chrono::NaiveDate;

use crate::ballots::Ballot;
use crate::lang::Lang;
use crate::registry::Registry;
use crate::text::fold;
use crate::weights::Weights;

/// Why a decision on paper is defective, as the counting commission finds it (ч.6 ст.48 ЖК РФ
/// and the rules of the count): the reason goes into the decision's `defect` in Russian, the
/// language of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    NoSignature,
    NoTitleDocument,
    /// The area or the share written does not match the registry.
    AreaOrShare,
    Unreadable,
    Other(String),
}

impl Defect {
    /// The kinds offered in a list, in order (`Other` takes its text apart).
    pub const LISTED: [Defect; 4] =
        [Defect::NoSignature, Defect::NoTitleDocument, Defect::AreaOrShare, Defect::Unreadable];

    /// The reason in words; `Lang::Ru` is what the decision records.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Defect::NoSignature => lang.pick("нет подписи", "no signature"),
            Defect::NoTitleDocument => lang.pick("нет сведений о документе о праве собственности", "no title document"),
            Defect::AreaOrShare => {
                lang.pick("площадь или доля не совпадают с реестром", "the area or share does not match the registry")
            }
            Defect::Unreadable => lang.pick("не читается", "unreadable"),
            Defect::Other(text) => return text.trim().to_string(),
        }
        .to_string()
    }
}

/// Why a typed decision is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No premise with this label, even ignoring case and look-alike letters; `nearest` are the
    /// registry's labels most like it.
    UnknownPremise { typed: String, nearest: Vec<String> },
    /// The premise has no owner of this name; `nearest` are its owners, the likeliest first.
    UnknownOwner { premise: String, typed: String, nearest: Vec<String> },
    /// Not one answer per question of the agenda.
    Answers { given: usize, questions: usize },
    /// A representative without a name.
    NamelessRepresentative,
    /// «Other» defect with no reason written.
    DefectWithoutReason,
    /// The voter already has a decision that stands (its id): replace it, keep both, or cancel.
    Held { id: String },
    /// The decision to replace is not one of this voter's standing decisions.
    ReplacesAnother { id: String },
}

/// What to do when the voter already has a standing decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Refuse: the commission has not said.
    Ask,
    /// Withdraw this standing decision and record the new one citing it.
    Replace(String),
    /// Record the new one beside the standing one: a conflict until one is kept.
    KeepBoth,
}

/// What the core decided about a typed decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The decision with the premise and owner as the registry writes them.
    pub ballot: Ballot,
    /// The end of voting, when the decision was received after it: recorded, and not counted.
    pub late: Option<NaiveDate>,
    /// The standing decision the new one replaces.
    pub replaces: Option<String>,
}

/// Checks a typed decision against the registry, the agenda (`questions`, `voting_ends`) and the
/// standing decisions (`standing`: id, premise, owner) of the same voter (`signers`, see
/// [`signers`]): refused whole, or what to record.
pub fn check(
    mut ballot: Ballot,
    registry: &Registry,
    signers: &[(String, String)],
    (questions, voting_ends): (usize, NaiveDate),
    standing: &[(&str, &str, &str)],
    intent: &Standing,
) -> Result<Checked, Refusal> {
    let (premise, owner) = find(registry, &ballot.premise, &ballot.owner)?;
    (ballot.premise, ballot.owner) = (premise, owner);
    if ballot.answers.len() != questions {
        return Err(Refusal::Answers { given: ballot.answers.len(), questions });
    }
    if ballot.representative.as_ref().is_some_and(|r| r.name.trim().is_empty()) {
        return Err(Refusal::NamelessRepresentative);
    }
    if ballot.defect.as_ref().is_some_and(|d| d.trim().is_empty()) {
        return Err(Refusal::DefectWithoutReason);
    }
    let same = |p: &str, o: &str| (p, o) == (ballot.premise.as_str(), ballot.owner.as_str());
    let voter = |p: &str, o: &str| same(p, o) || signers.iter().any(|(sp, so)| (sp.as_str(), so.as_str()) == (p, o));
    let held: Vec<&str> = standing.iter().filter(|(_, p, o)| voter(p, o)).map(|(id, ..)| *id).collect();
    let replaces = match (intent, held.first()) {
        (Standing::Replace(id), _) if !held.contains(&id.as_str()) => {
            return Err(Refusal::ReplacesAnother { id: id.clone() });
        }
        (Standing::Replace(id), _) => Some(id.clone()),
        (Standing::Ask, Some(id)) => return Err(Refusal::Held { id: id.to_string() }),
        (Standing::Ask | Standing::KeepBoth, _) => None,
    };
    let late = ballot.received.filter(|day| *day > voting_ends).map(|_| voting_ends);
    Ok(Checked { ballot, late, replaces })
}

/// The premise's label and the owner's name as the registry writes them, found as people type
/// them; refused with the nearest names.
pub fn find(registry: &Registry, premise: &str, owner: &str) -> Result<(String, String), Refusal> {
    let Some(found) = registry.lookup(premise) else {
        let labels = registry.premises.iter().map(|p| p.label.as_str());
        return Err(Refusal::UnknownPremise { typed: premise.trim().into(), nearest: nearest(premise, labels, 3) });
    };
    let found = &registry.premises[found.index];
    let owners = found.owners();
    let typed = fold(owner);
    match owners.iter().find(|o| o.name == owner.trim()).or_else(|| owners.iter().find(|o| fold(&o.name) == typed)) {
        Some(o) => Ok((found.label.clone(), o.name.clone())),
        None => Err(Refusal::UnknownOwner {
            premise: found.label.clone(),
            typed: owner.trim().into(),
            nearest: nearest(owner, owners.iter().map(|o| o.name.as_str()), owners.len()),
        }),
    }
}

/// At most `count` of `names`, the most like `typed` first (by edit distance over the folded
/// text, so that look-alike letters and case do not count).
pub fn nearest<'a>(typed: &str, names: impl Iterator<Item = &'a str>, count: usize) -> Vec<String> {
    let typed = fold(typed);
    let mut scored: Vec<(usize, &str)> = names.map(|name| (strsim::levenshtein(&typed, &fold(name)), name)).collect();
    scored.sort_by_key(|(distance, _)| *distance);
    scored.into_iter().take(count).map(|(_, name)| name.to_string()).collect()
}

/// The (premise, owner) pairs whose decision is the same voter's as `owner`'s in `premise`: every
/// member of a joint group in that premise, and an owner who holds several premises as one (an
/// organisation, a person with an `owner_id`) in each of them.
pub fn signers(registry: &Registry, weights: &Weights, premise: &str, owner: &str) -> Vec<(String, String)> {
    let mut pairs = vec![(premise.to_string(), owner.to_string())];
    let Some(at) = registry.find(premise) else { return pairs };
    let mut add = |premise: usize, name: &str| {
        let pair = (registry.premises[premise].label.clone(), name.to_string());
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    };
    for holding in weights.holdings.iter().filter(|h| h.premise == at) {
        if !holding.owners.iter().any(|o| o.name == owner) {
            continue;
        }
        if holding.joint {
            holding.owners.iter().for_each(|o| add(at, &o.name));
        } else if let [one] = holding.owners.as_slice()
            && one.spans_premises()
        {
            let key = one.key(at);
            for other in &weights.holdings {
                if let [o] = other.owners.as_slice()
                    && !other.joint
                    && o.key(other.premise) == key
                {
                    add(other.premise, &o.name);
                }
            }
        }
    }
    pairs
}

/// What differs between the decisions recorded and the same papers typed again (double entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub premise: String,
    pub owner: String,
    pub field: Differs,
    /// The value recorded; `None` where the decision or the value is not recorded.
    pub recorded: Option<Shown>,
    /// The value typed again; `None` where it was not typed.
    pub entered: Option<Shown>,
}

/// Which part of a decision differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Differs {
    /// The whole decision: recorded and not typed again, or the other way round.
    Decision,
    /// The answer to question `n` (from 1).
    Answer(usize),
    Received,
    Representative,
    Authority,
    ProxyDate,
    ProxyUntil,
    CertifiedBy,
    Defect,
}

/// A value of a decision as it is compared and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Answer(crate::ballots::Answer),
    Date(NaiveDate),
    Text(String),
}

impl Shown {
    /// For scripts: an answer's code, a date as `YYYY-MM-DD`, a text as it is.
    pub fn code(&self) -> String {
        match self {
            Shown::Answer(answer) => answer.code().into(),
            Shown::Date(date) => date.to_string(),
            Shown::Text(text) => text.clone(),
        }
    }

    /// For people: an answer in a word, a date as `15.12.2026`.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Shown::Answer(answer) => answer.title(lang).into(),
            Shown::Date(date) => date.format("%d.%m.%Y").to_string(),
            Shown::Text(text) => text.clone(),
        }
    }
}

impl Differs {
    /// For scripts: `decision`, `question_2`, `received`, `proxy_date`, …
    pub fn code(self) -> String {
        match self {
            Differs::Decision => "decision".into(),
            Differs::Answer(n) => format!("question_{n}"),
            Differs::Received => "received".into(),
            Differs::Representative => "representative".into(),
            Differs::Authority => "authority".into(),
            Differs::ProxyDate => "proxy_date".into(),
            Differs::ProxyUntil => "proxy_until".into(),
            Differs::CertifiedBy => "certified_by".into(),
            Differs::Defect => "defect".into(),
        }
    }

    pub fn words(self, lang: Lang) -> String {
        match self {
            Differs::Decision => lang.pick("решение", "decision").into(),
            Differs::Answer(n) => format!("{} {n}", lang.pick("вопрос", "question")),
            Differs::Received => lang.pick("дата получения", "received").into(),
            Differs::Representative => lang.pick("представитель", "representative").into(),
            Differs::Authority => lang.pick("полномочия", "authority").into(),
            Differs::ProxyDate => lang.pick("дата доверенности", "proxy's date").into(),
            Differs::ProxyUntil => lang.pick("срок доверенности", "proxy's term").into(),
            Differs::CertifiedBy => lang.pick("кем удостоверена", "certified by").into(),
            Differs::Defect => lang.pick("дефект", "defect").into(),
        }
    }
}

impl Difference {
    /// The difference in words: «вопрос 2: записано «за», введено «против»».
    pub fn message(&self, lang: Lang) -> String {
        let value = |v: &Option<Shown>| match v {
            Some(v) => format!("«{}»", v.words(lang)),
            None => lang.pick("ничего", "nothing").into(),
        };
        match (self.field, &self.recorded, &self.entered) {
            (Differs::Decision, Some(_), None) => {
                lang.pick("решение записано, а во втором вводе его нет", "recorded, but not in the second entry").into()
            }
            (Differs::Decision, _, _) => lang
                .pick(
                    "решения нет среди записанных, а во втором вводе оно есть",
                    "not recorded, but in the second entry",
                )
                .into(),
            (field, recorded, entered) => match lang {
                Lang::Ru => format!("{}: записано {}, введено {}", field.words(lang), value(recorded), value(entered)),
                Lang::En => format!("{}: recorded {}, entered {}", field.words(lang), value(recorded), value(entered)),
            },
        }
    }
}

/// Every difference between the decisions `recorded` and the same papers typed again (`entered`),
/// matched by premise and owner: each answer, the day received, who signed and by what right, the
/// proxy, the defect; and the decisions on one side only. In the order of `recorded`, then the
/// decisions typed that are not recorded, in their order.
pub fn compare(recorded: &[Ballot], entered: &[Ballot]) -> Vec<Difference> {
    let key = |b: &Ballot| (b.premise.clone(), b.owner.clone());
    let mut differences = Vec::new();
    for old in recorded {
        match entered.iter().find(|new| key(new) == key(old)) {
            Some(new) => differences.extend(differ(old, new)),
            None => differences.push(whole(old, true)),
        }
    }
    for new in entered.iter().filter(|new| !recorded.iter().any(|old| key(old) == key(new))) {
        differences.push(whole(new, false));
    }
    differences
}

fn whole(ballot: &Ballot, recorded: bool) -> Difference {
    let shown = Some(Shown::Text(ballot.owner.clone()));
    let (recorded, entered) = if recorded { (shown, None) } else { (None, shown) };
    Difference {
        premise: ballot.premise.clone(),
        owner: ballot.owner.clone(),
        field: Differs::Decision,
        recorded,
        entered,
    }
}

/// The parts of one decision that differ.
fn differ(old: &Ballot, new: &Ballot) -> Vec<Difference> {
    let mut pairs: Vec<(Differs, Option<Shown>, Option<Shown>)> = Vec::new();
    for n in 0..old.answers.len().max(new.answers.len()) {
        let answer = |b: &Ballot| b.answers.get(n).copied().map(Shown::Answer);
        pairs.push((Differs::Answer(n + 1), answer(old), answer(new)));
    }
    let date = |d: Option<NaiveDate>| d.map(Shown::Date);
    let text = |t: Option<&str>| t.map(str::trim).filter(|t| !t.is_empty()).map(|t| Shown::Text(t.into()));
    pairs.push((Differs::Received, date(old.received), date(new.received)));
    let signer = |b: &Ballot| b.representative.clone();
    let (a, b) = (signer(old), signer(new));
    let name = |r: &Option<crate::Representative>| text(r.as_ref().map(|r| r.name.as_str()));
    let authority = |r: &Option<crate::Representative>| text(r.as_ref().map(|r| r.authority.code()));
    let proxy = |r: &Option<crate::Representative>| r.as_ref().and_then(|r| r.authority.proxy().cloned());
    pairs.push((Differs::Representative, name(&a), name(&b)));
    pairs.push((Differs::Authority, authority(&a), authority(&b)));
    let (pa, pb) = (proxy(&a), proxy(&b));
    pairs.push((Differs::ProxyDate, date(pa.as_ref().and_then(|p| p.date)), date(pb.as_ref().and_then(|p| p.date))));
    pairs.push((Differs::ProxyUntil, date(pa.as_ref().and_then(|p| p.until)), date(pb.as_ref().and_then(|p| p.until))));
    let certified = |p: &Option<crate::Proxy>| text(p.as_ref().and_then(|p| p.certified_by.as_deref()));
    pairs.push((Differs::CertifiedBy, certified(&pa), certified(&pb)));
    pairs.push((Differs::Defect, text(old.defect.as_deref()), text(new.defect.as_deref())));
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, recorded, entered)| Difference {
            premise: old.premise.clone(),
            owner: old.owner.clone(),
            field,
            recorded,
            entered,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_names_come_first_whatever_the_case_and_look_alikes() {
        let names = ["12", "120", "21", "Н-3", "Н-4"];
        assert_eq!(nearest("H-3", names.into_iter(), 2), vec!["Н-3", "Н-4"]);
        assert_eq!(nearest("Иванов И.", ["Петров П. П.", "Иванова И. И."].into_iter(), 1), vec!["Иванова И. И."]);
    }

    fn ballot(premise: &str, owner: &str, answers: &[crate::Answer]) -> Ballot {
        Ballot { premise: premise.into(), owner: owner.into(), answers: answers.to_vec(), ..Ballot::default() }
    }

    #[test]
    fn every_difference_is_listed_by_premise_owner_and_question_and_equal_decisions_give_none() {
        use crate::Answer::{Against, For};
        let recorded = [ballot("1", "Иванов", &[For, For]), ballot("2", "Петров", &[For, For])];
        assert!(compare(&recorded, &recorded).is_empty());
        let mut typo = ballot("1", "Иванов", &[For, Against]);
        typo.defect = Some("нет подписи".into());
        let entered = [typo, ballot("3", "Сидоров", &[For, For])];
        let differences = compare(&recorded, &entered);
        let fields: Vec<_> = differences.iter().map(|d| (d.premise.as_str(), d.field.code())).collect();
        assert_eq!(
            fields,
            [
                ("1", "question_2".to_string()),
                ("1", "defect".into()),
                ("2", "decision".into()),
                ("3", "decision".into())
            ]
        );
        assert_eq!(differences[0].message(Lang::Ru), "вопрос 2: записано «за», введено «против»");
        assert_eq!(differences[1].message(Lang::En), "defect: recorded nothing, entered «нет подписи»");
        assert_eq!(differences[2].message(Lang::Ru), "решение записано, а во втором вводе его нет");
    }

    #[test]
    fn a_defect_records_its_reason_in_russian_and_other_its_own_text() {
        assert_eq!(Defect::NoSignature.words(Lang::Ru), "нет подписи");
        assert_eq!(Defect::Other(" залито водой ".into()).words(Lang::En), "залито водой");
    }
}
