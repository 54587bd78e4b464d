//! The meeting (`meeting.toml`): building, dates, officers and the
//! agenda, with each question's threshold chosen from its item of ч.2 ст.44 ЖК РФ
//! (ч.1 ст.46 ЖК РФ).

use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::date::parse_date;
use crate::error::{InputError, Problem};
use crate::lang::Lang;
use crate::warning::Warning;

mod document;
pub mod update;

/// How many votes a decision needs (ч.1 ст.46 ЖК РФ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// More than half of the votes that took part (ч.1 ст.46).
    Simple,
    /// More than half of all votes.
    AllMajority,
    /// At least two thirds of all votes.
    AllTwoThirds,
    /// Every owner (ч.3 ст.36).
    Unanimous,
    /// A special quorum and threshold the tool does not compute.
    Manual,
}

impl Threshold {
    const ALL: [Threshold; 5] =
        [Threshold::Simple, Threshold::AllMajority, Threshold::AllTwoThirds, Threshold::Unanimous, Threshold::Manual];

    /// The code used in files and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Threshold::Simple => "simple",
            Threshold::AllMajority => "all_majority",
            Threshold::AllTwoThirds => "all_two_thirds",
            Threshold::Unanimous => "unanimous",
            Threshold::Manual => "manual",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether the base of the percentages is TOTAL rather than the participants.
    pub fn counts_all_votes(self) -> bool {
        self != Threshold::Simple
    }

    /// The rule in words.
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Threshold::Simple => {
                lang.pick("большинство от принявших участие (более 50 %)", "majority of participants (more than 50 %)")
            }
            Threshold::AllMajority => lang.pick("более 50 % от общего числа голосов", "more than 50 % of all votes"),
            Threshold::AllTwoThirds => lang.pick("не менее 2/3 от общего числа голосов", "at least 2/3 of all votes"),
            Threshold::Unanimous => lang.pick("100 % голосов всех собственников", "100 % of all votes"),
            Threshold::Manual => lang.pick("особый порядок: нужна проверка юриста", "special rule: needs legal review"),
        }
    }
}

/// The items of ч.2 ст.44 ЖК РФ, as amended through 2025.
pub const ARTICLE_44_ITEMS: [&str; 24] = [
    "1", "1.1", "1.1-1", "1.2", "1.3", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "4", "4.1",
    "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "5",
];

/// The legal basis of a question: an item of ч.2 ст.44, ч.3 ст.36, or anything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LawItem {
    /// An item of ч.2 ст.44 ЖК РФ, as written: `1`, `1.1`, `1.1-1`, `4.2`.
    Article44(String),
    /// Reducing common property (ч.3 ст.36 ЖК РФ), written `36.3`.
    Article36Part3,
    /// Any other question: chair, secretary, council, current repair …
    Other,
}

impl LawItem {
    /// Parses `"1.1"`, `"1.1-1"`, `"36.3"` or `"other"`; an item that ч.2 ст.44 does not
    /// have is refused, so that no protocol cites a made-up article.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "other" | "иное" | "" => Some(LawItem::Other),
            "36.3" => Some(LawItem::Article36Part3),
            item => ARTICLE_44_ITEMS.contains(&item).then(|| LawItem::Article44(item.to_owned())),
        }
    }

    /// The item as written in the meeting file.
    pub fn code(&self) -> &str {
        match self {
            LawItem::Article44(item) => item,
            LawItem::Article36Part3 => "36.3",
            LawItem::Other => "other",
        }
    }

    /// The threshold the law sets for this item (as amended through 2025).
    pub fn threshold(&self) -> Threshold {
        match self {
            LawItem::Article36Part3 => Threshold::Unanimous,
            LawItem::Other => Threshold::Simple,
            LawItem::Article44(item) => match item.as_str() {
                "1" | "1.1-1" | "1.2" | "1.3" | "2" | "3" | "3.1" | "3.8" | "4.3" => Threshold::AllTwoThirds,
                "1.1" | "4" | "4.2" | "4.7" => Threshold::AllMajority,
                "4.5" | "4.6" => Threshold::Manual,
                _ => Threshold::Simple,
            },
        }
    }

    /// The articles behind the question's threshold, for people and the protocol.
    pub fn article(&self, lang: Lang) -> String {
        match self {
            LawItem::Article44(item) => match lang {
                Lang::Ru => format!("п. {item} ч. 2 ст. 44, ч. 1 ст. 46 ЖК РФ"),
                Lang::En => {
                    format!("item {item} of part 2 art. 44, part 1 art. 46 of the Housing Code")
                }
            },
            LawItem::Article36Part3 => {
                lang.pick("ч. 3 ст. 36, ч. 1 ст. 46 ЖК РФ", "part 3 art. 36, part 1 art. 46 of the Housing Code").into()
            }
            LawItem::Other => lang.pick("ч. 1 ст. 46 ЖК РФ", "part 1 art. 46 of the Housing Code").into(),
        }
    }
}

/// One question of the agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// 1-based, the order in the file; ballots name their columns by it.
    pub number: usize,
    pub text: String,
    pub proposal: String,
    pub item: LawItem,
    /// The threshold applied: the explicit one when given, else the item's.
    pub threshold: Threshold,
}

/// Annual (годовое) or extraordinary (внеочередное).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingKind {
    Annual,
    Extraordinary,
}

/// How the owners meet and vote (ст.44.1 ЖК РФ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingForm {
    InPerson,
    Absentee,
    InPersonAndAbsentee,
}

impl MeetingForm {
    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            MeetingForm::InPerson => lang.pick("очное", "in person"),
            MeetingForm::Absentee => lang.pick("заочное", "absentee"),
            MeetingForm::InPersonAndAbsentee => lang.pick("очно-заочное", "in person and absentee"),
        }
    }
}

/// The building's address split as the Russian Post business service wants it (optional keys of
/// `[building]`); each part is `None` when the file does not give it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    /// Region (субъект РФ): `Омская обл.`.
    pub region: Option<String>,
    /// District (район), where the place is in one.
    pub district: Option<String>,
    /// Town or village: `г. Примерск`.
    pub place: Option<String>,
    /// Street: `ул. Садовая`.
    pub street: Option<String>,
    /// House with its building or block: `5`, `5 к. 2`.
    pub house: Option<String>,
}

/// A meeting as described by `meeting.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub address: String,
    pub postcode: Option<String>,
    /// The same address in parts, for the Russian Post service's order.
    pub postal: PostalAddress,
    /// The registry path as written, relative to the meeting file.
    pub registry: String,
    /// The line of the `registry` key, for "not found" messages.
    pub registry_line: u64,
    pub kind: MeetingKind,
    pub form: MeetingForm,
    /// D: the in-person part or the start of voting.
    pub date: NaiveDate,
    pub time: Option<String>,
    pub place: Option<String>,
    /// E: the last day decisions are accepted (D for an in-person meeting).
    pub voting_ends: NaiveDate,
    pub ballots_to: Option<String>,
    pub initiator: Option<String>,
    /// The initiator's premise in this building, as the registry labels it: the sender's address
    /// of registered letters when `initiator_address` is not given.
    pub initiator_premise: Option<String>,
    /// The initiator's full postal address (with postcode and flat) when it is not in this building.
    pub initiator_address: Option<String>,
    pub chair: Option<String>,
    pub secretary: Option<String>,
    pub counting_commission: Vec<String>,
    pub protocol_number: Option<String>,
    /// The date of the protocol (the end of the count), once it is drawn up.
    pub protocol_date: Option<NaiveDate>,
    pub storage: Option<String>,
    /// Where owners can read the materials of the agenda before the vote (ч.5 ст.45 ЖК РФ).
    pub materials: Option<String>,
    pub questions: Vec<Question>,
    /// Explicit thresholds that disagree with their items, and manual questions.
    pub warnings: Vec<Warning>,
}

#[derive(Deserialize)]
struct RawFile {
    building: Option<Spanned<RawBuilding>>,
    meeting: Option<Spanned<RawMeeting>>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
struct RawBuilding {
    address: Option<Spanned<String>>,
    postcode: Option<String>,
    region: Option<String>,
    district: Option<String>,
    place: Option<String>,
    street: Option<String>,
    house: Option<String>,
    registry: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct RawMeeting {
    kind: Option<Spanned<String>>,
    form: Option<Spanned<String>>,
    date: Option<Spanned<toml::Value>>,
    time: Option<Spanned<String>>,
    place: Option<String>,
    voting_ends: Option<Spanned<toml::Value>>,
    ballots_to: Option<String>,
    initiator: Option<String>,
    initiator_premise: Option<Spanned<toml::Value>>,
    initiator_address: Option<String>,
    chair: Option<String>,
    secretary: Option<String>,
    #[serde(default)]
    counting_commission: Vec<String>,
    protocol_number: Option<String>,
    protocol_date: Option<Spanned<toml::Value>>,
    storage: Option<String>,
    materials: Option<String>,
}

#[derive(Deserialize)]
struct RawQuestion {
    text: Option<String>,
    proposal: Option<String>,
    item: Option<Spanned<toml::Value>>,
    threshold: Option<Spanned<String>>,
}

/// Turns byte offsets into line numbers of one source text.
struct Source<'a> {
    file: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn line(&self, span: &Range<usize>) -> u64 {
        1 + self.text[..span.start.min(self.text.len())].bytes().filter(|&b| b == b'\n').count() as u64
    }

    fn error(&self, span: &Range<usize>, problem: Problem) -> InputError {
        InputError::at(self.file, self.line(span), problem)
    }

    /// The 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (u64, u64) {
        let before = &self.text[..offset.min(self.text.len())];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (self.line(&(offset..offset)), 1 + before[line_start..].chars().count() as u64)
    }

    fn required<T>(&self, value: Option<T>, span: &Range<usize>, key: &str) -> Result<T, InputError> {
        value.ok_or_else(|| self.error(span, Problem::MissingKey(key.into())))
    }

    /// The text of a key that must not be blank.
    fn filled(&self, value: Spanned<String>, key: &str) -> Result<String, InputError> {
        if value.get_ref().trim().is_empty() {
            return Err(self.error(&value.span(), Problem::EmptyValue(key.into())));
        }
        Ok(value.into_inner())
    }

    fn bad(&self, span: &Range<usize>, key: &str, value: &str, expected: &str) -> InputError {
        self.error(span, Problem::BadValue { key: key.into(), value: value.into(), expected: expected.into() })
    }

    /// The time of the meeting as written, if any: hours and minutes of a day (`19:00`, `9.30`),
    /// so that a notice never names an hour that does not exist.
    fn time(&self, value: Spanned<String>) -> Result<Option<String>, InputError> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Ok(None);
        }
        match chrono::NaiveTime::parse_from_str(&text.replace('.', ":"), "%H:%M") {
            Ok(_) => Ok(Some(text.to_string())),
            Err(_) => Err(self.bad(&value.span(), "meeting.time", text, "\"19:00\"")),
        }
    }

    fn date(&self, value: &Spanned<toml::Value>, key: &str) -> Result<NaiveDate, InputError> {
        let text = match value.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => other.to_string(),
        };
        parse_date(&text).ok_or_else(|| self.bad(&value.span(), key, &text, "2026-12-10 / 10.12.2026"))
    }
}

impl Meeting {
    /// Parses `meeting.toml`. `file` names the file in messages.
    pub fn parse(file: &str, text: &str) -> Result<Meeting, InputError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = Source { file, text };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| src.line(&s));
            InputError::new(file, line, Problem::Toml(e.message().trim().to_owned()))
        })?;
        document::forbidden_characters(&src)?;
        document::unknown_keys(&src)?;
        let whole = 0..0;
        let building = src.required(raw.building, &whole, "building")?;
        let building_span = building.span();
        let building = building.into_inner();
        let meeting = src.required(raw.meeting, &whole, "meeting")?;
        let meeting_span = meeting.span();
        let m = meeting.into_inner();

        let address =
            src.filled(src.required(building.address, &building_span, "building.address")?, "building.address")?;
        let registry = src.required(building.registry, &building_span, "building.registry")?;
        src.filled(registry.clone(), "building.registry")?;
        let kind_value = src.required(m.kind, &meeting_span, "meeting.kind")?;
        let kind = match kind_value.get_ref().as_str() {
            "annual" | "годовое" => MeetingKind::Annual,
            "extraordinary" | "внеочередное" => MeetingKind::Extraordinary,
            other => {
                return Err(src.bad(&kind_value.span(), "meeting.kind", other, "\"annual\" | \"extraordinary\""));
            }
        };
        let form_value = src.required(m.form, &meeting_span, "meeting.form")?;
        let form = match form_value.get_ref().as_str() {
            "in_person" | "очное" => MeetingForm::InPerson,
            "absentee" | "заочное" => MeetingForm::Absentee,
            "in_person_and_absentee" | "очно-заочное" => MeetingForm::InPersonAndAbsentee,
            other => {
                return Err(src.bad(
                    &form_value.span(),
                    "meeting.form",
                    other,
                    "\"in_person\" | \"absentee\" | \"in_person_and_absentee\"",
                ));
            }
        };
        let date = src.date(&src.required(m.date, &meeting_span, "meeting.date")?, "meeting.date")?;
        let voting_ends = match (&m.voting_ends, form) {
            (Some(value), _) => src.date(value, "meeting.voting_ends")?,
            (None, MeetingForm::InPerson) => date,
            (None, _) => {
                return Err(src.error(&meeting_span, Problem::MissingKey("meeting.voting_ends".into())));
            }
        };
        if voting_ends < date {
            let span = m.voting_ends.as_ref().map_or(meeting_span.clone(), Spanned::span);
            return Err(src.error(&span, Problem::EndsBeforeStart));
        }
        let protocol_date = m.protocol_date.as_ref().map(|v| src.date(v, "meeting.protocol_date")).transpose()?;
        let (questions, warnings) = questions(&src, raw.question)?;
        let nonempty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        Ok(Meeting {
            address,
            postcode: nonempty(building.postcode),
            postal: PostalAddress {
                region: nonempty(building.region),
                district: nonempty(building.district),
                place: nonempty(building.place),
                street: nonempty(building.street),
                house: nonempty(building.house),
            },
            registry_line: src.line(&registry.span()),
            registry: registry.into_inner(),
            kind,
            form,
            date,
            time: m.time.map(|t| src.time(t)).transpose()?.flatten(),
            place: nonempty(m.place),
            voting_ends,
            ballots_to: nonempty(m.ballots_to),
            initiator: nonempty(m.initiator),
            initiator_premise: nonempty(m.initiator_premise.map(|v| match v.into_inner() {
                toml::Value::String(s) => s,
                other => other.to_string(),
            })),
            initiator_address: nonempty(m.initiator_address),
            chair: nonempty(m.chair),
            secretary: nonempty(m.secretary),
            counting_commission: m.counting_commission.into_iter().filter(|name| !name.trim().is_empty()).collect(),
            protocol_number: nonempty(m.protocol_number),
            protocol_date,
            storage: nonempty(m.storage),
            materials: nonempty(m.materials),
            questions,
            warnings,
        })
    }
}

fn questions(src: &Source, raw: Vec<Spanned<RawQuestion>>) -> Result<(Vec<Question>, Vec<Warning>), InputError> {
    if raw.is_empty() {
        return Err(InputError::new(src.file, None, Problem::NoQuestions));
    }
    let mut questions = Vec::with_capacity(raw.len());
    let mut warnings = Vec::new();
    for (index, spanned) in raw.into_iter().enumerate() {
        let number = index + 1;
        let span = spanned.span();
        let q = spanned.into_inner();
        let text = src.required(q.text.filter(|t| !t.trim().is_empty()), &span, &format!("question[{number}].text"))?;
        let item = match &q.item {
            None => LawItem::Other,
            Some(value) => {
                let written = match value.get_ref() {
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                LawItem::parse(&written).ok_or_else(|| src.error(&value.span(), Problem::BadItem(written.clone())))?
            }
        };
        let implied = item.threshold();
        let threshold = match &q.threshold {
            None => implied,
            Some(value) => {
                let explicit = Threshold::parse(value.get_ref()).ok_or_else(|| {
                    src.bad(
                        &value.span(),
                        "threshold",
                        value.get_ref(),
                        "simple | all_majority | all_two_thirds | unanimous | manual",
                    )
                })?;
                if explicit != implied && q.item.is_some() {
                    warnings.push(Warning::ThresholdDiffersFromItem {
                        question: number,
                        item: item.code().into(),
                        threshold: explicit.code(),
                        implied: implied.code(),
                    });
                }
                explicit
            }
        };
        if threshold == Threshold::Manual {
            warnings.push(Warning::ManualThreshold { question: number, item: item.code().into() });
        }
        let proposal = q.proposal.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| text.clone());
        questions.push(Question { number, text, proposal, item, threshold });
    }
    Ok((questions, warnings))
}
