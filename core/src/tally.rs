//! Counting the votes: who took part, quorum (ч.3 ст.45 ЖК РФ) and each
//! question's result against its threshold (ч.1 ст.46 ЖК РФ), exactly.

use rustc_hash::FxHashMap as HashMap;

use num_bigint::BigInt;
use num_traits::Zero;

use crate::ballots::{Answer, Ballot, Invalid};
use crate::lang::Lang;
use crate::meeting::{Meeting, Threshold};
use crate::number::Votes;
use crate::registry::OwnerKey;
use crate::registry::Registry;
use crate::representative::{ProxyDefect, Representative};
use crate::warning::Warning;
use crate::weights::Weights;

mod live;
mod running;
mod variants;

pub use live::{Live, Prospect, Settling};
pub use running::Running;

/// The result of one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionResult {
    pub number: usize,
    pub threshold: Threshold,
    /// The base of the percentages: the participants for `simple`, TOTAL otherwise.
    pub base: Votes,
    pub for_votes: Votes,
    pub against: Votes,
    pub abstain: Votes,
    pub invalid: Votes,
    /// `None` for a `manual` question; always `Some(false)` without quorum.
    pub adopted: Option<bool>,
    /// Votes for, on holdings with a ballot row of their own, answered by those rows alone.
    pub for_named: Votes,
    /// The decision on holdings with a ballot row of their own (see `Tally::participated_named`).
    pub adopted_named: Option<bool>,
}

impl QuestionResult {
    /// Whether the decision stands only thanks to premises carried by their owner's ballot.
    pub fn depends_on_carried(&self) -> bool {
        self.adopted != self.adopted_named
    }
}

/// Participation and answers summed in whole units of 1/`Weights::denominator`: integer
/// additions, reduced once at the end.
#[derive(Debug, Clone)]
struct Sums {
    participated: BigInt,
    /// Per question: for, against, abstain, invalid.
    answers: Vec<[BigInt; 4]>,
}

/// `Sums` as exact votes, with the quorum they make.
struct Counted {
    participated: Votes,
    quorum: bool,
    /// Per question: votes for.
    for_votes: Vec<Votes>,
    /// Per question: against, abstain, invalid; empty when not asked for.
    others: Vec<[Votes; 3]>,
}

impl Sums {
    fn new(questions: usize) -> Self {
        let zero = BigInt::zero;
        Sums { participated: zero(), answers: vec![[zero(), zero(), zero(), zero()]; questions] }
    }

    /// Adds one holding of `units` whose answer to question `q` is `answer(q)`.
    fn add(&mut self, units: &BigInt, mut answer: impl FnMut(usize) -> Answer) {
        self.participated += units;
        for (q, buckets) in self.answers.iter_mut().enumerate() {
            let bucket = match answer(q) {
                Answer::For => 0,
                Answer::Against => 1,
                Answer::Abstain => 2,
                Answer::Invalid(_) => 3,
            };
            buckets[bucket] += units;
        }
    }

    /// The sums as votes: participation and the votes for, and the other answers when `others`
    /// (each is reduced by a gcd of numbers of hundreds of digits: only those shown are made).
    fn votes(&self, weights: &Weights, total: &Votes, others: bool) -> Counted {
        let votes = |units: &BigInt| weights.votes_of_units(units.clone());
        let participated = votes(&self.participated);
        let for_votes = self.answers.iter().map(|[for_votes, ..]| votes(for_votes)).collect();
        let others = match others {
            true => self.answers.iter().map(|[_, rest @ ..]| rest.each_ref().map(votes)).collect(),
            false => Vec::new(),
        };
        Counted { quorum: has_quorum(&participated, total), participated, for_votes, others }
    }
}

/// What the sums decide: participation, quorum and each question's result, in both readings.
struct Figures {
    total: Votes,
    participated: Votes,
    quorum: bool,
    participated_named: Votes,
    quorum_named: bool,
    questions: Vec<QuestionResult>,
    strict: Strict,
}

impl Figures {
    /// From the sums of all, named and strict participation (in that order).
    fn of(sums: &[Sums; 3], weights: &Weights, meeting: &Meeting, total: Votes, strict_total: Votes) -> Figures {
        let [all, named, strict] = sums;
        let all = all.votes(weights, &total, true);
        let named = named.votes(weights, &total, false);
        let strict = strict.votes(weights, &strict_total, false);
        let strict = Strict {
            questions: meeting
                .questions
                .iter()
                .zip(&strict.for_votes)
                .map(|(question, for_votes)| {
                    let threshold = question.threshold;
                    let base =
                        if threshold.counts_all_votes() { strict_total.clone() } else { strict.participated.clone() };
                    StrictQuestion {
                        number: question.number,
                        adopted: adopted(threshold, strict.quorum, for_votes, &strict.participated, &strict_total),
                        base,
                        for_votes: for_votes.clone(),
                    }
                })
                .collect(),
            total: strict_total,
            participated: strict.participated,
            quorum: strict.quorum,
        };
        let questions = meeting
            .questions
            .iter()
            .zip(all.for_votes.into_iter().zip(all.others))
            .zip(named.for_votes)
            .map(|((question, (for_votes, [against, abstain, invalid])), for_named)| {
                let threshold = question.threshold;
                let base = if threshold.counts_all_votes() { total.clone() } else { all.participated.clone() };
                QuestionResult {
                    number: question.number,
                    threshold,
                    adopted: adopted(threshold, all.quorum, &for_votes, &all.participated, &total),
                    adopted_named: adopted(threshold, named.quorum, &for_named, &named.participated, &total),
                    base,
                    for_votes,
                    against,
                    abstain,
                    invalid,
                    for_named,
                }
            })
            .collect();
        Figures {
            total,
            participated: all.participated,
            quorum: all.quorum,
            participated_named: named.participated,
            quorum_named: named.quorum,
            questions,
            strict,
        }
    }
}

/// The count with every open point read against adoption (the strict reading): premises
/// without a registered owner stay in the total, unvoted, and only holdings with a ballot of
/// their own take part, each answering as in the main count. Some courts and inspectors count
/// so; the organiser is shown it, the papers never.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Strict {
    /// TOTAL with the areas of the premises without a registered owner.
    pub total: Votes,
    pub participated: Votes,
    pub quorum: bool,
    pub questions: Vec<StrictQuestion>,
}

/// One question under the strict reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictQuestion {
    pub number: usize,
    /// The base of the percentages: the strict participation for `simple`, the strict total otherwise.
    pub base: Votes,
    pub for_votes: Votes,
    /// `None` for a `manual` question; always `Some(false)` without the strict quorum.
    pub adopted: Option<bool>,
}

/// The count of a whole meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub total: Votes,
    /// Votes of the holdings that took part.
    pub participated: Votes,
    pub quorum: bool,
    /// Votes of the holdings that took part with a ballot row of their own (a joint
    /// group's member's row is the group's own), leaving out those carried by their
    /// owner's ballot for another premise: the count a court reading ballots premise by
    /// premise would make.
    pub participated_named: Votes,
    /// Quorum on `participated_named` alone.
    pub quorum_named: bool,
    pub questions: Vec<QuestionResult>,
    /// Per holding (same order as `Weights::holdings`): whether it took part.
    pub took_part: Vec<bool>,
    /// The same ballots counted under the strict reading.
    pub strict: Strict,
    /// Per holding (same order as `Weights::holdings`): the premise of the ballot that carried it
    /// when it took part without a ballot of its own (its owner's votes are indivisible).
    pub carried: Vec<Option<String>>,
    /// The ballots left out of the count (defective, received after the end of voting), in the
    /// order of the ballots given: the protocol lists them with their reasons.
    pub excluded: Vec<Excluded>,
    /// The ballots a representative signed, in the order given, counted or not: the protocol
    /// names the representative beside the owner and lists the proxies.
    pub signed: Vec<Signed>,
    /// Late and defective ballots, conflicting answers.
    pub warnings: Vec<Warning>,
}

/// A ballot signed by a representative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub premise: String,
    /// The owner as the registry names it.
    pub owner: String,
    pub line: u64,
    pub representative: Representative,
}

/// A ballot left out of the count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub premise: String,
    /// The owner as the registry names it.
    pub owner: String,
    pub line: u64,
    pub reason: Exclusion,
}

/// Why a ballot was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Defective (no signature, no title document, …): the organiser's words for the defect.
    Defective(String),
    /// Received after the last day decisions were accepted.
    Late(chrono::NaiveDate),
    /// Signed under a proxy that gave no right to sign it.
    Proxy(ProxyDefect),
}

impl Exclusion {
    /// Why the ballot is left out, as the protocol and the commission's workbook say it.
    pub fn words(&self, voting_ends: chrono::NaiveDate, lang: Lang) -> String {
        let fmt = crate::report::Fmt(lang);
        let invalid = lang.pick("решение недействительно", "invalid decision");
        match self {
            Exclusion::Defective(defect) => format!("{invalid}: {defect}"),
            Exclusion::Proxy(defect) => format!("{invalid}: {}", defect.words(lang)),
            Exclusion::Late(received) => match lang {
                Lang::Ru => format!(
                    "поступило {}, после окончания приёма решений {}",
                    fmt.date(*received),
                    fmt.date(voting_ends)
                ),
                Lang::En => {
                    format!("received on {}, after decisions closed on {}", fmt.date(*received), fmt.date(voting_ends))
                }
            },
        }
    }
}

impl Tally {
    /// Counts `ballots` for `meeting` over the building's `weights`.
    pub fn count(registry: &Registry, weights: &Weights, meeting: &Meeting, ballots: &[Ballot]) -> Tally {
        Tally::count_with_sums(registry, weights, meeting, ballots).0
    }

    /// The count, and the sums of units it was made of (for `Running`).
    fn count_with_sums(
        registry: &Registry,
        weights: &Weights,
        meeting: &Meeting,
        ballots: &[Ballot],
    ) -> (Tally, [Sums; 3]) {
        let mut warnings = Vec::new();
        let (ballots, differing) = variants::reconcile(ballots, &mut warnings);
        let signed = ballots
            .iter()
            .filter_map(|b| {
                let representative = b.representative.clone()?;
                Some(Signed { premise: b.premise.clone(), owner: b.owner.clone(), line: b.line, representative })
            })
            .collect();
        let mut excluded = Vec::new();
        let counted: Vec<&Ballot> =
            ballots.iter().filter(|b| accepted(b, meeting, &mut warnings, &mut excluded)).collect();
        representatives_of_several(&counted, &mut warnings);
        let Applying { ballots: applying, own } = applying_ballots(registry, weights, &counted);
        carried_warnings(registry, weights, &applying, &own, &mut warnings);
        let carried = applying
            .iter()
            .zip(&own)
            .map(|(applying, own)| applying.first().filter(|_| own.is_empty()).map(|b| b.premise.clone()))
            .collect();

        let questions = meeting.questions.len();
        let mut sums = [Sums::new(questions), Sums::new(questions), Sums::new(questions)];
        let mut took_part = vec![false; weights.holdings.len()];
        for (index, holding) in weights.holdings.iter().enumerate() {
            if applying[index].is_empty() {
                continue;
            }
            took_part[index] = true;
            let answers: Vec<Answer> = (0..questions)
                .map(|q| {
                    if applying[index].iter().any(|b| differing.at(b, q)) {
                        return Answer::Invalid(Invalid::Several);
                    }
                    block_answer(applying[index].iter().map(|b| b.answers[q])).unwrap_or_else(|| {
                        let premise = registry.premises[holding.premise].label.clone();
                        let owners = holding.voter().name();
                        warnings.push(Warning::ConflictingAnswers { premise, owners, question: q + 1 });
                        Answer::Invalid(Invalid::Several)
                    })
                })
                .collect();
            let [all, named, strict] = &mut sums;
            all.add(&holding.units, |q| answers[q]);
            if !own[index].is_empty() {
                strict.add(&holding.units, |q| answers[q]);
                named.add(&holding.units, |q| {
                    let differs = own[index].iter().any(|b| differing.at(b, q));
                    let answer = block_answer(own[index].iter().map(|b| b.answers[q])).filter(|_| !differs);
                    answer.unwrap_or(Answer::Invalid(Invalid::Several))
                });
            }
        }

        let total = weights.total.clone();
        let unowned = crate::weights::exact_sum(registry.premises.iter().filter(|p| !p.is_owned()).map(|p| &p.area));
        let strict_total = &total + unowned;
        let figures = Figures::of(&sums, weights, meeting, total, strict_total);
        let tally = Tally {
            total: figures.total,
            participated: figures.participated,
            quorum: figures.quorum,
            participated_named: figures.participated_named,
            quorum_named: figures.quorum_named,
            questions: figures.questions,
            took_part,
            strict: figures.strict,
            carried,
            excluded,
            signed,
            warnings,
        };
        (tally, sums)
    }

    /// Whether some verdict (the quorum, a question's decision) differs under the strict reading.
    pub fn strict_differs(&self) -> bool {
        self.strict.quorum != self.quorum
            || self.questions.iter().zip(&self.strict.questions).any(|(q, s)| q.adopted != s.adopted)
    }

    /// Whether the two readings of indivisible votes give different quorum verdicts: the
    /// quorum stands only thanks to premises carried by their owner's ballot for another.
    pub fn quorum_depends_on_carried(&self) -> bool {
        self.quorum != self.quorum_named
    }

    /// When the verdicts differ, what that means, in words for the organiser (text output,
    /// TUI, protocol): without the carried premises there is no quorum, and a court may say so.
    pub fn quorum_caution(&self, lang: Lang) -> Option<String> {
        if !self.quorum_depends_on_carried() {
            return None;
        }
        let percent = crate::number::percent(&self.participated_named, &self.total, lang.decimal_separator());
        Some(match lang {
            Lang::Ru => format!(
                "Внимание: без помещений, учтённых по решению их собственника за другое помещение (голоса собственника неделимы), кворума НЕТ ({percent} %); суд может посчитать так. Надёжнее получить решение по каждому такому помещению (см. предупреждения)."
            ),
            Lang::En => format!(
                "Attention: without the premises counted through their owner's ballot for another premise (an owner's votes are indivisible), there is NO quorum ({percent} %); a court may count it that way. Safer to get a ballot for each such premise (see the warnings)."
            ),
        })
    }

    /// Without quorum, the votes that are still missing: the meeting needs strictly more
    /// than this many more votes to take part.
    pub fn missing_for_quorum(&self) -> Option<Votes> {
        (!self.quorum).then(|| &self.total / Votes::from_integer(2.into()) - &self.participated)
    }
}

/// Whether a ballot counts at all: defective ones are excluded entirely and late ones
/// are not counted; both leave a warning.
fn accepted(ballot: &Ballot, meeting: &Meeting, warnings: &mut Vec<Warning>, excluded: &mut Vec<Excluded>) -> bool {
    let (premise, owner, line) = (ballot.premise.clone(), ballot.owner.clone(), ballot.line);
    let mut exclude = |reason| excluded.push(Excluded { premise: premise.clone(), owner: owner.clone(), line, reason });
    if let Some(reason) = &ballot.defect {
        exclude(Exclusion::Defective(reason.clone()));
        warnings.push(Warning::DefectiveBallot { premise, owner, line, reason: reason.clone() });
        return false;
    }
    let proxy = ballot.representative.as_ref().and_then(|r| r.authority.proxy());
    if let Some(defect) = proxy.and_then(|proxy| proxy.defect(ballot.received)) {
        exclude(Exclusion::Proxy(defect));
        warnings.push(Warning::DefectiveProxy { premise, owner, line, defect });
        return false;
    }
    match ballot.received {
        Some(received) if received > meeting.voting_ends => {
            exclude(Exclusion::Late(received));
            warnings.push(Warning::LateBallot { premise, owner, line, received });
            false
        }
        Some(received) if meeting.date.checked_sub_months(chrono::Months::new(12)).is_some_and(|y| received < y) => {
            warnings.push(Warning::EarlyBallot { premise, owner, line, received });
            true
        }
        _ => true,
    }
}

/// One person who signed the counted decisions of several owners: lawful, but listed
/// for review, naming the owners (premise and name). The same in any order of the ballots: by the
/// person's name, the owners sorted.
fn representatives_of_several(ballots: &[&Ballot], warnings: &mut Vec<Warning>) {
    let mut signed: Vec<(String, Vec<(&str, &str)>)> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::default();
    for ballot in ballots {
        let Some(representative) = &ballot.representative else { continue };
        let at = *by_name.entry(crate::text::fold(&representative.name)).or_insert_with(|| {
            signed.push((representative.name.clone(), Vec::new()));
            signed.len() - 1
        });
        let (name, owners) = &mut signed[at];
        if representative.name < *name {
            representative.name.clone_into(name);
        }
        if !owners.contains(&(ballot.premise.as_str(), ballot.owner.as_str())) {
            owners.push((&ballot.premise, &ballot.owner));
        }
    }
    signed.sort_by_key(|(name, _)| crate::text::fold(name));
    for (representative, mut owners) in signed {
        let first = owners.first().map(|(_, owner)| crate::text::fold(owner));
        if owners.iter().any(|(_, owner)| Some(crate::text::fold(owner)) != first) {
            owners.sort_unstable();
            let owners = owners.into_iter().map(|(p, o)| (p.to_owned(), o.to_owned())).collect();
            warnings.push(Warning::OneRepresentativeForSeveral { representative, owners });
        }
    }
}

/// Quorum (ч.3 ст.45 ЖК РФ): strictly more than half of all votes.
fn has_quorum(participated: &Votes, total: &Votes) -> bool {
    times(participated, 2, total, 1).is_gt()
}

/// `a × k` against `b × j`, exactly, by cross-multiplying: no fraction is made and reduced (a gcd
/// of numbers of hundreds of digits each time).
pub(crate) fn times(a: &Votes, k: u32, b: &Votes, j: u32) -> std::cmp::Ordering {
    (a.numer() * k * b.denom()).cmp(&(b.numer() * j * a.denom()))
}

/// The counted ballots that carry each holding, and whether one of them is its own row.
struct Applying<'a> {
    ballots: Vec<Vec<&'a Ballot>>,
    /// Per holding: the ballot rows that name its premise and one of its owners.
    own: Vec<Vec<&'a Ballot>>,
}

/// For each holding, the counted ballots that carry it: the owner's own ballot in that
/// premise; any member's ballot for a joint group; for an owner who may hold several premises as
/// one (the municipality, the state, a legal entity, a person the registry gives an `owner_id`),
/// any of its ballots in the building (its votes are indivisible).
fn applying_ballots<'a>(registry: &Registry, weights: &Weights, ballots: &[&'a Ballot]) -> Applying<'a> {
    let mut by_signer: HashMap<(&str, &str), Vec<usize>> = HashMap::default();
    let mut by_owner: HashMap<OwnerKey, Vec<usize>> = HashMap::default();
    for (index, holding) in weights.holdings.iter().enumerate() {
        let premise = registry.premises[holding.premise].label.as_str();
        for owner in &holding.owners {
            by_signer.entry((premise, owner.name.as_str())).or_default().push(index);
        }
        if let [owner] = holding.owners.as_slice()
            && !holding.joint
            && owner.spans_premises()
        {
            by_owner.entry(owner.key(holding.premise)).or_default().push(index);
        }
    }
    let mut applying: Vec<Vec<&Ballot>> = vec![Vec::new(); weights.holdings.len()];
    let mut own: Vec<Vec<&Ballot>> = vec![Vec::new(); weights.holdings.len()];
    for ballot in ballots {
        // A ballot of a premise or owner the registry does not have (the registry was updated
        // after it was recorded: a sold flat's old owner) applies to no holding: never counted
        // for anyone else (`registry::update::orphans` lists it).
        let Some(signed) = by_signer.get(&(ballot.premise.as_str(), ballot.owner.as_str())) else { continue };
        for &index in signed {
            own[index].push(ballot);
            let holding = &weights.holdings[index];
            let owner = &holding.owners[0];
            let one_voter = if holding.joint { None } else { by_owner.get(&owner.key(holding.premise)) };
            let carried = one_voter.map_or(std::slice::from_ref(&index), Vec::as_slice);
            for &h in carried {
                if !applying[h].iter().any(|b| std::ptr::eq(*b, *ballot)) {
                    applying[h].push(ballot);
                }
            }
        }
    }
    Applying { ballots: applying, own }
}

/// A warning for every holding that takes part only through its owner's ballot for another
/// premise (indivisible votes), naming that premise.
fn carried_warnings(
    registry: &Registry,
    weights: &Weights,
    applying: &[Vec<&Ballot>],
    own: &[Vec<&Ballot>],
    warnings: &mut Vec<Warning>,
) {
    for (index, holding) in weights.holdings.iter().enumerate() {
        let Some(via) = applying[index].first().filter(|_| own[index].is_empty()) else { continue };
        warnings.push(Warning::CarriedByOwner {
            premise: registry.premises[holding.premise].label.clone(),
            owner: holding.voter().name(),
            via_premise: via.premise.clone(),
        });
    }
}

/// One block's answer from all the ballots that carry it ([choice], see README): the valid
/// answers if they all agree, invalid if none is valid. `None` when valid answers
/// disagree: the answer is then invalid too, and the caller reports the conflict.
fn block_answer(answers: impl Iterator<Item = Answer>) -> Option<Answer> {
    let mut agreed: Option<Answer> = None;
    for answer in answers.filter(|a| a.is_valid()) {
        match agreed {
            None => agreed = Some(answer),
            Some(previous) if previous != answer => return None,
            Some(_) => {}
        }
    }
    Some(agreed.unwrap_or(Answer::Invalid(Invalid::NoMark)))
}

/// Whether a decision is adopted (ч.1 ст.46, ч.3 ст.36 ЖК РФ). Without quorum nothing
/// is; a tie is not a majority; every comparison is exact.
fn adopted(threshold: Threshold, quorum: bool, for_votes: &Votes, participated: &Votes, total: &Votes) -> Option<bool> {
    let passes = match threshold {
        Threshold::Manual => return None,
        Threshold::Simple => times(for_votes, 2, participated, 1).is_gt(),
        Threshold::AllMajority => times(for_votes, 2, total, 1).is_gt(),
        Threshold::AllTwoThirds => times(for_votes, 3, total, 2).is_ge(),
        Threshold::Unanimous => times(for_votes, 1, total, 1).is_eq(),
    };
    Some(quorum && passes)
}
