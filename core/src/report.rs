//! The report model: every figure of a count, taken from the core's weights, tally and meeting as
//! exact rationals and turned into words only here and through `Fmt`. `Count` is what `obhod tally`
//! (text and JSON), the TUI's quorum panel and the papers all print; `Report` adds the holdings,
//! voters and interpretations the papers list. So a paper and `obhod tally` cannot disagree.

use std::collections::HashMap;

use crate::weights::exact_sum;
use crate::{
    Lang, Live, Meeting, Owner, OwnerKey, OwnerKind, Premise, PremiseKind, Prospect, Question, QuestionResult,
    Registry, Settling, Tally, Threshold, Votes, Weights,
};

mod format;

pub use format::Fmt;

/// The figures of one count as every output words them. Cheap: it borrows the meeting and tally.
#[derive(Debug, Clone, Copy)]
pub struct Count<'a> {
    pub lang: Lang,
    pub fmt: Fmt,
    pub meeting: &'a Meeting,
    pub tally: &'a Tally,
}

impl<'a> Count<'a> {
    /// The count of `tally`, which must come from `meeting`.
    pub fn new(meeting: &'a Meeting, tally: &'a Tally, lang: Lang) -> Self {
        Count { lang, fmt: Fmt(lang), meeting, tally }
    }

    /// Votes or m² as printed: `33,33`.
    pub fn votes(&self, value: &Votes) -> String {
        self.fmt.votes(value)
    }

    /// `part` as a percentage of `whole`, with the sign: `6,67 %`.
    pub fn percent(&self, part: &Votes, whole: &Votes) -> String {
        format!("{} %", self.fmt.percent(part, whole))
    }

    /// Every vote of the building (100 %).
    pub fn total(&self) -> &'a Votes {
        &self.tally.total
    }

    /// Half of all votes: quorum needs strictly more than this to take part.
    pub fn half(&self) -> Votes {
        self.total() / Votes::from_integer(2.into())
    }

    /// Without quorum, the votes still missing (the meeting needs strictly more than these).
    pub fn missing_for_quorum(&self) -> Option<Votes> {
        self.tally.missing_for_quorum().map(|missing| missing.max(Votes::default()))
    }

    /// The participation on premises with a ballot row of their own, when it differs from the
    /// participation (indivisible votes carried some premises).
    pub fn named(&self) -> Option<&'a Votes> {
        (self.tally.participated_named != self.tally.participated).then_some(&self.tally.participated_named)
    }

    /// What it means when quorum rests on carried premises, for the organiser; `None` otherwise.
    pub fn quorum_caution(&self) -> Option<String> {
        self.tally.quorum_caution(self.lang)
    }

    /// The strict reading in one line, for the organiser (never on a paper): its total, the
    /// participation and the quorum.
    pub fn strict_summary(&self) -> String {
        let (lang, strict) = (self.lang, &self.tally.strict);
        let quorum = if strict.quorum {
            lang.pick("кворум есть", "quorum")
        } else {
            lang.pick("кворума нет", "no quorum")
        };
        match lang {
            Lang::Ru => format!(
                "Строгое прочтение (помещения без собственника — в общем числе голосов; участвуют только помещения со \
                 своим решением): всего {}, приняли участие {} ({}), {quorum}",
                self.votes(&strict.total),
                self.votes(&strict.participated),
                self.percent(&strict.participated, &strict.total)
            ),
            Lang::En => format!(
                "Strict reading (premises without a registered owner kept in the total; only premises with a ballot of \
                 their own take part): total {}, took part {} ({}), {quorum}",
                self.votes(&strict.total),
                self.votes(&strict.participated),
                self.percent(&strict.participated, &strict.total)
            ),
        }
    }

    /// Each verdict the strict reading gives otherwise, in words for the organiser.
    pub fn strict_differences(&self) -> Vec<String> {
        let (lang, tally) = (self.lang, self.tally);
        let mut out = Vec::new();
        let yes_no =
            |quorum: bool| if quorum { lang.pick("есть", "present") } else { lang.pick("нет", "absent") };
        if tally.strict.quorum != tally.quorum {
            out.push(match lang {
                Lang::Ru => format!(
                    "При строгом прочтении кворума {}: приняли участие {} из {} ({}); в основном подсчёте кворум {}.",
                    yes_no(tally.strict.quorum),
                    self.votes(&tally.strict.participated),
                    self.votes(&tally.strict.total),
                    self.percent(&tally.strict.participated, &tally.strict.total),
                    yes_no(tally.quorum)
                ),
                Lang::En => format!(
                    "Under the strict reading the quorum is {}: {} of {} took part ({}); in the main count it is {}.",
                    yes_no(tally.strict.quorum),
                    self.votes(&tally.strict.participated),
                    self.votes(&tally.strict.total),
                    self.percent(&tally.strict.participated, &tally.strict.total),
                    yes_no(tally.quorum)
                ),
            });
        }
        for (result, strict) in tally.questions.iter().zip(&tally.strict.questions) {
            if result.adopted == strict.adopted {
                continue;
            }
            let threshold = self.meeting.questions.get(result.number - 1).map_or(result.threshold, |q| q.threshold);
            out.push(format!(
                "{} {}: {} — {}, {} {} ({}); {} — {}.",
                lang.pick("Вопрос", "Question"),
                result.number,
                lang.pick("при строгом прочтении", "under the strict reading"),
                verdict_words(strict.adopted, tally.strict.quorum, threshold, lang),
                lang.pick("за", "for"),
                self.votes(&strict.for_votes),
                self.percent(&strict.for_votes, &strict.base),
                lang.pick("в основном подсчёте", "in the main count"),
                verdict_words(result.adopted, tally.quorum, threshold, lang),
            ));
        }
        out
    }

    /// Each question of the agenda with its result.
    pub fn questions(&self) -> impl Iterator<Item = (&'a Question, &'a QuestionResult)> + use<'a> {
        self.meeting.questions.iter().zip(&self.tally.questions)
    }

    /// The base of a question's percentages in words: «от принявших участие» or «от общего числа голосов».
    pub fn base_words(&self, result: &QuestionResult) -> &'static str {
        if result.threshold.counts_all_votes() {
            self.lang.pick("от общего числа голосов", "of all votes")
        } else {
            self.lang.pick("от принявших участие", "of the votes that took part")
        }
    }

    /// The answers of a question: за, против, воздержались, недействительно, each with its votes
    /// and its percentage of the question's base.
    pub fn answers(&self, result: &'a QuestionResult) -> [(&'static str, &'a Votes, String); 4] {
        let lang = self.lang;
        let answer = |name, votes| (name, votes, self.percent(votes, &result.base));
        [
            answer(lang.pick("за", "for"), &result.for_votes),
            answer(lang.pick("против", "against"), &result.against),
            answer(lang.pick("воздержались", "abstain"), &result.abstain),
            answer(lang.pick("недействительно", "invalid"), &result.invalid),
        ]
    }

    /// The live count on `today` (the end of voting decides whether anything is still to come).
    pub fn live(&self, today: chrono::NaiveDate) -> Live {
        Live::of(self.meeting, self.tally, today)
    }

    /// Where a question stands with the decisions still to come, in a sentence: «Уже принято:
    /// ещё не поданные решения этого не изменят.» or «Ещё не решено: нужно ещё более 120,00 гол.
    /// «за».»
    pub fn prospect(&self, settling: &Settling) -> Option<String> {
        let lang = self.lang;
        Some(match settling.prospect? {
            Prospect::Adopted => lang
                .pick(
                    "Уже принято: ещё не поданные решения этого не изменят.",
                    "Already adopted: no decision still to come can change that.",
                )
                .to_owned(),
            Prospect::Lost => lang
                .pick(
                    "Уже не будет принято: ещё не поданные решения этого не изменят.",
                    "Already lost: no decision still to come can change that.",
                )
                .to_owned(),
            Prospect::Open if settling.needs_any() => lang
                .pick("Ещё не решено: нужен ещё хоть один голос «за».", "Still open: needs any further vote for.")
                .to_owned(),
            Prospect::Open => format!(
                "{} {} {} {}",
                lang.pick("Ещё не решено: нужно ещё", "Still open: needs"),
                self.at_least(settling),
                self.votes(settling.needed.as_ref()?),
                lang.pick("гол. «за».", "more votes for.")
            ),
        })
    }

    /// The same in a few words for a phone: «принято», «не принято», «нужно ещё 120,00 гол.».
    pub fn prospect_short(&self, settling: &Settling) -> Option<String> {
        let lang = self.lang;
        Some(match settling.prospect? {
            Prospect::Adopted => lang.pick("принято", "adopted").to_owned(),
            Prospect::Lost => lang.pick("не принято", "lost").to_owned(),
            Prospect::Open if settling.needs_any() => {
                lang.pick("нужен ещё хоть один голос", "needs any vote for").to_owned()
            }
            Prospect::Open => format!(
                "{} {} {}",
                lang.pick("нужно ещё", "needs"),
                self.votes(settling.needed.as_ref()?),
                lang.pick("гол.", "more")
            ),
        })
    }

    /// Where the quorum stands with the decisions still to come, in a sentence.
    pub fn quorum_prospect(&self, live: &Live) -> String {
        let (lang, quorum) = (self.lang, &live.quorum);
        match (quorum.prospect, &quorum.needed) {
            (Some(Prospect::Adopted), _) => lang.pick("Кворум есть.", "Quorum reached.").to_owned(),
            (Some(Prospect::Open), Some(needed)) => format!(
                "{} {} {}",
                lang.pick("До кворума нужно ещё более", "The quorum needs more than"),
                self.votes(needed),
                lang.pick("гол.", "more votes.")
            ),
            _ => lang.pick("Кворума нет, и он уже недостижим.", "No quorum, and it is out of reach.").to_owned(),
        }
    }

    fn at_least(&self, settling: &Settling) -> &'static str {
        if settling.strictly {
            self.lang.pick("более", "more than")
        } else {
            self.lang.pick("не менее", "at least")
        }
    }

    /// The decision on a question in capitals.
    pub fn verdict(&self, result: &QuestionResult) -> &'static str {
        verdict_words(result.adopted, self.tally.quorum, result.threshold, self.lang)
    }

    /// When the decision differs without the carried premises, that decision as a sentence:
    /// «Без помещений, …: НЕ ПРИНЯТО; за 120,00 (40,00 %)».
    pub fn named_verdict(&self, result: &QuestionResult) -> Option<String> {
        if !result.depends_on_carried() {
            return None;
        }
        let lang = self.lang;
        let base = if result.threshold.counts_all_votes() { self.total() } else { &self.tally.participated_named };
        Some(format!(
            "{} {}; {} {} ({})",
            lang.pick(
                "Без помещений, учтённых по решению собственника за другое помещение:",
                "Without premises counted through their owner's ballot for another premise:"
            ),
            verdict_words(result.adopted_named, self.tally.quorum_named, result.threshold, lang),
            lang.pick("за", "for"),
            self.votes(&result.for_named),
            self.percent(&result.for_named, base),
        ))
    }
}

/// A decision in words, in capitals: adopted; not adopted, saying why when it is the missing
/// quorum or a threshold of all votes; or left to a lawyer for a `manual` question.
fn verdict_words(adopted: Option<bool>, quorum: bool, threshold: Threshold, lang: Lang) -> &'static str {
    match adopted {
        None => lang.pick(
            "ТРЕБУЕТ ПРОВЕРКИ ЮРИСТА (особый порядок, не вычисляется)",
            "NEEDS LEGAL REVIEW (special rule, not computed)",
        ),
        Some(true) => lang.pick("ПРИНЯТО", "ADOPTED"),
        Some(false) if !quorum => lang.pick("НЕ ПРИНЯТО (нет кворума)", "NOT ADOPTED (no quorum)"),
        Some(false) if threshold.counts_all_votes() => {
            lang.pick("НЕ ПРИНЯТО (недостаточно голосов от общего числа)", "NOT ADOPTED (not enough of all votes)")
        }
        Some(false) => lang.pick("НЕ ПРИНЯТО", "NOT ADOPTED"),
    }
}

/// One holding as the registry of owners attached to the protocol lists it.
#[derive(Debug, Clone)]
pub struct HoldingLine<'a> {
    pub owners: Vec<&'a Owner>,
    pub joint: bool,
    pub premise: &'a str,
    /// The premise as an index into `Registry::premises`.
    pub premise_index: usize,
    pub premise_kind: PremiseKind,
    pub room: Option<&'a str>,
    /// The area held in: the premise's, or the room's.
    pub area: &'a Votes,
    /// The share of that area; `None` for the whole.
    pub share: Option<&'a Votes>,
    pub votes: &'a Votes,
    pub took_part: bool,
    /// When it took part through its owner's ballot for another premise: that premise.
    pub carried_by: Option<&'a str>,
}

impl HoldingLine<'_> {
    /// The owner, or the joint group's members joined by `, `.
    pub fn owner_names(&self) -> String {
        self.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The title documents of the owners, each once.
    pub fn documents(&self) -> String {
        let mut documents: Vec<&str> = Vec::new();
        for document in self.owners.iter().filter_map(|o| o.document.as_deref()) {
            if !documents.contains(&document) {
                documents.push(document);
            }
        }
        documents.join("; ")
    }

    /// The premise as people write it, with the room of a communal flat: `12, комн. 2`.
    pub fn place(&self, lang: Lang) -> String {
        match self.room {
            Some(room) => format!("{}, {} {room}", self.premise, lang.pick("комн.", "room")),
            None => self.premise.to_owned(),
        }
    }
}

/// Who fills in one decision form, and the holdings it covers: a person or joint group for one
/// premise (or room); the municipality, the state, a legal entity or a person the registry gives
/// an `owner_id` for all its premises.
#[derive(Debug, Clone)]
pub struct Voter<'a> {
    pub owners: Vec<&'a Owner>,
    pub joint: bool,
    pub kind: OwnerKind,
    /// Indices into `Report::holdings`.
    pub holdings: Vec<usize>,
}

/// A premise counted through its owner's ballot for another premise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub premise: String,
    /// The premise of the ballot that carried it.
    pub via: String,
    pub owner: String,
}

/// A rule the count applied where the law is silent, stated in the protocol as a fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interpretation {
    /// Premises counted through their owner's ballot for another premise (indivisible votes).
    Indivisible { carried: Vec<Carried> },
    /// Some question is decided by a majority of participants, whose base includes abstentions
    /// and invalid answers.
    SimpleBase { questions: Vec<usize> },
    /// Joint owners took part: one member's ballot carries the block.
    Joint { groups: usize },
    /// Rooms of communal flats without a registered owner (premise, room): their area goes to the
    /// owned rooms of the flat (ст. 42 ЖК РФ).
    UnownedRooms { rooms: Vec<(String, String)> },
    /// Premises whose owners' shares sum to less than 1: the rest stays in TOTAL, unvoted.
    IncompleteShares { premises: Vec<String> },
}

/// Every figure of the count and the meeting, for the papers.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub lang: Lang,
    pub registry: &'a Registry,
    pub fmt: Fmt,
    pub meeting: &'a Meeting,
    pub tally: &'a Tally,
    /// TOTAL: every vote of the building (100 %).
    pub total: &'a Votes,
    /// The areas of all premises as the registry lists them, owned or not: residential, and
    /// non-residential (shops, parking spaces, storerooms).
    pub residential_area: Votes,
    pub other_area: Votes,
    /// The premises without a registered owner (left out of TOTAL), and their area.
    pub unowned: Vec<&'a Premise>,
    pub unowned_area: Votes,
    pub holdings: Vec<HoldingLine<'a>>,
    pub interpretations: Vec<Interpretation>,
}

impl<'a> Report<'a> {
    /// The model of one count: `weights` and `tally` must come from `registry` and `meeting`.
    pub fn new(
        registry: &'a Registry,
        weights: &'a Weights,
        meeting: &'a Meeting,
        tally: &'a Tally,
        lang: Lang,
    ) -> Self {
        let holdings: Vec<HoldingLine> = weights
            .holdings
            .iter()
            .enumerate()
            .map(|(index, h)| {
                let premise = &registry.premises[h.premise];
                HoldingLine {
                    owners: h.owners.iter().collect(),
                    joint: h.joint,
                    premise: &premise.label,
                    premise_index: h.premise,
                    premise_kind: premise.kind,
                    room: h.room.as_deref(),
                    area: &h.area,
                    share: h.share.as_ref(),
                    votes: &h.votes,
                    took_part: tally.took_part.get(index).copied().unwrap_or(false),
                    carried_by: tally.carried.get(index).and_then(Option::as_deref),
                }
            })
            .collect();
        let all = || registry.premises.iter();
        let residential_area = exact_sum(all().filter(|p| p.kind.is_residential()).map(|p| &p.area));
        let other_area = exact_sum(all().filter(|p| !p.kind.is_residential()).map(|p| &p.area));
        let unowned: Vec<&Premise> = all().filter(|p| !p.is_owned()).collect();
        let unowned_area = exact_sum(unowned.iter().map(|p| &p.area));
        let interpretations = interpretations(meeting, &holdings, &weights.warnings);
        Report {
            lang,
            registry,
            fmt: Fmt(lang),
            meeting,
            tally,
            total: &weights.total,
            residential_area,
            other_area,
            unowned,
            unowned_area,
            holdings,
            interpretations,
        }
    }

    /// The figures of the count, as `obhod tally` and the TUI print them.
    pub fn count(&self) -> Count<'a> {
        Count::new(self.meeting, self.tally, self.lang)
    }

    /// Votes or m² as printed: `33,33`.
    pub fn votes(&self, value: &Votes) -> String {
        self.fmt.votes(value)
    }

    /// `part` as a percentage of `whole`, with the sign: `6,67 %`.
    pub fn percent(&self, part: &Votes, whole: &Votes) -> String {
        self.count().percent(part, whole)
    }

    /// The voters who each fill in one decision form, in registry order.
    pub fn voters(&self) -> Vec<Voter<'a>> {
        let mut voters: Vec<Voter> = Vec::new();
        let mut as_one: HashMap<OwnerKey, usize> = HashMap::new();
        for (index, line) in self.holdings.iter().enumerate() {
            let owner = line.owners[0];
            let key = owner.key(line.premise_index);
            if !line.joint
                && owner.spans_premises()
                && let Some(&at) = as_one.get(&key)
            {
                voters[at].holdings.push(index);
                continue;
            }
            if !line.joint && owner.spans_premises() {
                as_one.insert(key, voters.len());
            }
            let kind = if line.joint { OwnerKind::Person } else { owner.kind };
            voters.push(Voter { owners: line.owners.clone(), joint: line.joint, kind, holdings: vec![index] });
        }
        voters
    }

    /// The votes of one voter: the sum over its holdings.
    pub fn voter_votes(&self, voter: &Voter) -> Votes {
        voter.holdings.iter().map(|&i| self.holdings[i].votes).sum()
    }

    /// The premises of one voter, each once, in registry order: `1, ММ-1, К-1`.
    pub fn voter_premises(&self, voter: &Voter) -> Vec<&'a str> {
        let mut premises: Vec<&str> = Vec::new();
        for &index in &voter.holdings {
            let premise = self.holdings[index].premise;
            if !premises.contains(&premise) {
                premises.push(premise);
            }
        }
        premises
    }

    /// The votes that took part through their owner's ballot for another premise.
    pub fn carried(&self) -> impl Iterator<Item = &HoldingLine<'a>> {
        self.holdings.iter().filter(|l| l.carried_by.is_some())
    }
}

fn interpretations(meeting: &Meeting, holdings: &[HoldingLine], warnings: &[crate::Warning]) -> Vec<Interpretation> {
    let mut out = Vec::new();
    let rooms: Vec<(String, String)> = warnings
        .iter()
        .filter_map(|w| match w {
            crate::Warning::UnownedRoom { premise, room } => Some((premise.clone(), room.clone())),
            _ => None,
        })
        .collect();
    if !rooms.is_empty() {
        out.push(Interpretation::UnownedRooms { rooms });
    }
    let mut premises: Vec<String> = Vec::new();
    for warning in warnings {
        if let crate::Warning::SharesIncomplete { premise, .. } = warning
            && !premises.contains(premise)
        {
            premises.push(premise.clone());
        }
    }
    if !premises.is_empty() {
        out.push(Interpretation::IncompleteShares { premises });
    }
    let carried: Vec<Carried> = holdings
        .iter()
        .filter_map(|line| {
            let via = line.carried_by?;
            Some(Carried { premise: line.premise.to_owned(), via: via.to_owned(), owner: line.owner_names() })
        })
        .collect();
    if !carried.is_empty() {
        out.push(Interpretation::Indivisible { carried });
    }
    let simple: Vec<usize> =
        meeting.questions.iter().filter(|q| q.threshold == crate::Threshold::Simple).map(|q| q.number).collect();
    if !simple.is_empty() {
        out.push(Interpretation::SimpleBase { questions: simple });
    }
    let groups = holdings.iter().filter(|l| l.joint && l.took_part).count();
    if groups > 0 {
        out.push(Interpretation::Joint { groups });
    }
    out
}

impl Report<'_> {
    /// The date of a step of the legal timeline (the protocol, the results: E + 10 days).
    pub fn deadline(&self, step: crate::deadlines::Step) -> chrono::NaiveDate {
        let timeline = crate::deadlines::timeline(self.meeting, None);
        timeline.deadlines.iter().find(|d| d.step == step).map_or(self.meeting.voting_ends, |d| d.date)
    }
}
