//! A changed `meeting.toml` against the campaign's meeting: what changes, key by key, and whether
//! the change may be recorded at all. A new meeting must not falsify what the campaign already
//! holds: the registry is the campaign's own (another command changes it), the building is the
//! same building, and once an owner's decision is recorded the agenda it answers stays as it was.
//! Moving the dates is allowed; what the move does to the notices and decisions already recorded
//! is counted for the organiser's terminal.

use chrono::NaiveDate;

use crate::ballots::Ballot;
use crate::canvass::Canvass;
use crate::lang::Lang;
use crate::mail::{Timeliness, timeliness};
use crate::meeting::{LawItem, Meeting, MeetingForm, MeetingKind, Threshold};

/// The value of one key of the meeting, old or new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    List(Vec<String>),
    Kind(MeetingKind),
    Form(MeetingForm),
    Item(LawItem),
    Threshold(Threshold),
}

impl Value {
    /// The value for people: dates as `10.12.2026` (`2026-12-10` in English), kinds and forms in words.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Date(date) => match lang {
                Lang::Ru => date.format("%d.%m.%Y").to_string(),
                Lang::En => date.format("%Y-%m-%d").to_string(),
            },
            Value::List(items) => items.join("; "),
            Value::Kind(MeetingKind::Annual) => lang.pick("годовое", "annual").into(),
            Value::Kind(MeetingKind::Extraordinary) => lang.pick("внеочередное", "extraordinary").into(),
            Value::Form(form) => form.words(lang).into(),
            Value::Item(item) => item.code().into(),
            Value::Threshold(threshold) => threshold.code().into(),
        }
    }

    /// The value as a script reads it: dates in ISO form, kinds, forms and thresholds as the
    /// codes the file takes.
    pub fn code(&self) -> String {
        match self {
            Value::Date(date) => date.format("%Y-%m-%d").to_string(),
            Value::Kind(MeetingKind::Annual) => "annual".into(),
            Value::Kind(MeetingKind::Extraordinary) => "extraordinary".into(),
            Value::Form(MeetingForm::InPerson) => "in_person".into(),
            Value::Form(MeetingForm::Absentee) => "absentee".into(),
            Value::Form(MeetingForm::InPersonAndAbsentee) => "in_person_and_absentee".into(),
            other => other.text(Lang::En),
        }
    }
}

/// One key whose value changes; `None` where the key is not given (or the question not there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The key as `meeting.toml` names it: `meeting.date`, `question[2].proposal`, `question[4]`.
    pub key: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Change {
    /// What the key is, in words: «дата собрания», «вопрос 2: предложение».
    pub fn label(&self, lang: Lang) -> String {
        if let Some(rest) = self.key.strip_prefix("question[") {
            let (number, field) = rest.split_once(']').unwrap_or((rest, ""));
            let what = match field {
                ".text" => lang.pick(": формулировка", ": wording"),
                ".proposal" => lang.pick(": предложение", ": proposal"),
                ".item" => lang.pick(": пункт ч. 2 ст. 44", ": item of art. 44"),
                ".threshold" => lang.pick(": порог", ": threshold"),
                _ => "",
            };
            return format!("{} {number}{what}", lang.pick("вопрос", "question"));
        }
        let words = KEYS.iter().find(|(key, ..)| *key == self.key).map(|(_, ru, en)| lang.pick(ru, en));
        words.unwrap_or(&self.key).to_string()
    }
}

/// The keys of `[building]` and `[meeting]` in the file's order, with their names in words.
const KEYS: [(&str, &str, &str); 25] = [
    ("building.address", "адрес дома", "building address"),
    ("building.postcode", "индекс", "postcode"),
    ("building.region", "регион", "region"),
    ("building.district", "район", "district"),
    ("building.place", "населённый пункт", "town"),
    ("building.street", "улица", "street"),
    ("building.house", "дом", "house"),
    ("building.registry", "реестр", "registry"),
    ("meeting.kind", "вид собрания", "kind of meeting"),
    ("meeting.form", "форма", "form"),
    ("meeting.date", "дата собрания (D)", "date of the meeting (D)"),
    ("meeting.time", "время", "time"),
    ("meeting.place", "место", "place"),
    ("meeting.voting_ends", "окончание приёма решений (E)", "end of voting (E)"),
    ("meeting.ballots_to", "куда сдавать решения", "where decisions go"),
    ("meeting.initiator", "инициатор", "initiator"),
    ("meeting.initiator_premise", "помещение инициатора", "initiator's premise"),
    ("meeting.initiator_address", "адрес инициатора", "initiator's address"),
    ("meeting.chair", "председатель", "chair"),
    ("meeting.secretary", "секретарь", "secretary"),
    ("meeting.counting_commission", "счётная комиссия", "counting commission"),
    ("meeting.protocol_number", "номер протокола", "protocol number"),
    ("meeting.protocol_date", "дата протокола", "protocol date"),
    ("meeting.storage", "место хранения", "storage"),
    ("meeting.materials", "материалы к повестке", "materials of the agenda"),
];

/// Every key whose value differs between the campaign's meeting and the new one, in the file's
/// order: the building, the meeting, then the agenda question by question. Comments, spacing and
/// the order of keys in the file are no change.
pub fn changes(old: &Meeting, new: &Meeting) -> Vec<Change> {
    let text = |v: &Option<String>| v.clone().map(Value::Text);
    let date = |v: Option<NaiveDate>| v.map(Value::Date);
    let list = |v: &Vec<String>| (!v.is_empty()).then(|| Value::List(v.clone()));
    let pairs = |m: &Meeting| -> Vec<Option<Value>> {
        vec![
            Some(Value::Text(m.address.clone())),
            text(&m.postcode),
            text(&m.postal.region),
            text(&m.postal.district),
            text(&m.postal.place),
            text(&m.postal.street),
            text(&m.postal.house),
            Some(Value::Text(m.registry.clone())),
            Some(Value::Kind(m.kind)),
            Some(Value::Form(m.form)),
            date(Some(m.date)),
            text(&m.time),
            text(&m.place),
            date(Some(m.voting_ends)),
            text(&m.ballots_to),
            text(&m.initiator),
            text(&m.initiator_premise),
            text(&m.initiator_address),
            text(&m.chair),
            text(&m.secretary),
            list(&m.counting_commission),
            text(&m.protocol_number),
            date(m.protocol_date),
            text(&m.storage),
            text(&m.materials),
        ]
    };
    let mut out: Vec<Change> = KEYS
        .iter()
        .zip(pairs(old).into_iter().zip(pairs(new)))
        .filter(|(_, (old, new))| old != new)
        .map(|((key, ..), (old, new))| Change { key: (*key).into(), old, new })
        .collect();
    out.extend(agenda_changes(old, new));
    out
}

fn agenda_changes(old: &Meeting, new: &Meeting) -> Vec<Change> {
    let mut out = Vec::new();
    for number in 1..=old.questions.len().max(new.questions.len()) {
        match (old.questions.get(number - 1), new.questions.get(number - 1)) {
            (Some(a), Some(b)) => {
                let fields = [
                    ("text", Value::Text(a.text.clone()), Value::Text(b.text.clone())),
                    ("proposal", Value::Text(a.proposal.clone()), Value::Text(b.proposal.clone())),
                    ("item", Value::Item(a.item.clone()), Value::Item(b.item.clone())),
                    ("threshold", Value::Threshold(a.threshold), Value::Threshold(b.threshold)),
                ];
                for (field, old, new) in fields.into_iter().filter(|(_, old, new)| old != new) {
                    out.push(Change { key: format!("question[{number}].{field}"), old: Some(old), new: Some(new) });
                }
            }
            (old, new) => out.push(Change {
                key: format!("question[{number}]"),
                old: old.map(|q| Value::Text(q.text.clone())),
                new: new.map(|q| Value::Text(q.text.clone())),
            }),
        }
    }
    out
}

/// Why a new meeting cannot replace the campaign's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `building.registry` names another file: the campaign's registry is changed by a command of
    /// its own, never as a side effect of the meeting. `line` is the key's line in the new file.
    Registry { campaign: String, given: String, line: u64 },
    /// `building.address` is another building (not the same address written otherwise).
    Address { campaign: String, given: String },
    /// The agenda differs while owners' decisions answering it are recorded: they would count as
    /// answers to questions they never saw.
    Agenda { ballots: usize, questions: Vec<usize> },
}

/// Whether the new meeting may replace the campaign's, with `ballots` decisions recorded.
pub fn check(old: &Meeting, new: &Meeting, ballots: usize) -> Result<(), Refusal> {
    if old.registry.trim() != new.registry.trim() {
        return Err(Refusal::Registry {
            campaign: old.registry.clone(),
            given: new.registry.clone(),
            line: new.registry_line,
        });
    }
    if crate::text::fold(&old.address) != crate::text::fold(&new.address) {
        return Err(Refusal::Address { campaign: old.address.clone(), given: new.address.clone() });
    }
    let questions = agenda_differs(old, new);
    if ballots > 0 && !questions.is_empty() {
        return Err(Refusal::Agenda { ballots, questions });
    }
    Ok(())
}

/// The numbers of the questions whose wording, proposal, item or threshold differ, or that one of
/// the two agendas lacks.
fn agenda_differs(old: &Meeting, new: &Meeting) -> Vec<usize> {
    let same = |a: &crate::meeting::Question, b: &crate::meeting::Question| {
        (&a.text, &a.proposal, &a.item, a.threshold) == (&b.text, &b.proposal, &b.item, b.threshold)
    };
    (1..=old.questions.len().max(new.questions.len()))
        .filter(|&n| match (old.questions.get(n - 1), new.questions.get(n - 1)) {
            (Some(a), Some(b)) => !same(a, b),
            _ => true,
        })
        .collect()
}

/// The owners whose notice (the earliest, at any of their premises) was in time for the old date
/// and comes after D − 10 of the new one.
pub fn owners_made_late(old: &Meeting, new: &Meeting, canvass: &Canvass) -> usize {
    let mut seen = std::collections::HashSet::new();
    canvass
        .owners()
        .filter(|(_, owner)| seen.insert(&owner.key))
        .filter_map(|(_, owner)| owner.notice())
        .filter(|notice| {
            timeliness(old, notice.date) != Timeliness::Late && timeliness(new, notice.date) == Timeliness::Late
        })
        .count()
}

/// The decisions received in time for the old end of voting and after the new one.
pub fn ballots_made_late(old: &Meeting, new: &Meeting, ballots: &[Ballot]) -> usize {
    let late = |received: NaiveDate, meeting: &Meeting| received > meeting.voting_ends;
    ballots.iter().filter_map(|b| b.received).filter(|&day| !late(day, old) && late(day, new)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEETING: &str = r#"
[building]
address = "г. Примерск, ул. Садовая, д. 5"
registry = "registry.csv"

[meeting]
kind = "extraordinary"
form = "in_person_and_absentee"
date = 2026-12-10
voting_ends = 2026-12-20
chair = "Фролова Д. О."

[[question]]
text = "Избрание председателя"
item = "other"

[[question]]
text = "Капитальный ремонт крыши"
item = "1"
"#;

    fn meeting(text: &str) -> Meeting {
        Meeting::parse("meeting.toml", text).unwrap()
    }

    #[test]
    fn only_what_differs_is_a_change_and_comments_are_none() {
        let old = meeting(MEETING);
        assert_eq!(changes(&old, &meeting(&format!("# a comment\n{MEETING}"))), Vec::new());
        let moved =
            MEETING.replace("date = 2026-12-10", "date = 2026-12-17").replace("chair = \"Фролова Д. О.\"\n", "");
        let found = changes(&old, &meeting(&moved));
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["meeting.date", "meeting.chair"]);
        assert_eq!(found[0].old.as_ref().unwrap().text(Lang::Ru), "10.12.2026");
        assert_eq!(found[0].new.as_ref().unwrap().code(), "2026-12-17");
        assert_eq!(found[1].new, None, "a key left out");
        assert_eq!(found[0].label(Lang::Ru), "дата собрания (D)");
    }

    #[test]
    fn the_agenda_is_compared_question_by_question() {
        let old = meeting(MEETING);
        let new = meeting(&format!(
            "{}\n[[question]]\ntext = \"Утверждение сметы\"\n",
            MEETING.replace("item = \"1\"", "item = \"1\"\nproposal = \"Провести ремонт в 2027 году\"")
        ));
        let found = changes(&old, &new);
        let keys: Vec<&str> = found.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["question[2].proposal", "question[3]"]);
        assert_eq!(found[1].old, None);
        assert_eq!(found[0].label(Lang::Ru), "вопрос 2: предложение");
        assert_eq!(check(&old, &new, 0), Ok(()), "no decision recorded yet");
        assert_eq!(check(&old, &new, 3), Err(Refusal::Agenda { ballots: 3, questions: vec![2, 3] }));
    }

    #[test]
    fn another_registry_or_building_is_refused() {
        let old = meeting(MEETING);
        let other = meeting(&MEETING.replace("registry.csv", "new.csv"));
        assert!(matches!(check(&old, &other, 0), Err(Refusal::Registry { line: 4, .. })));
        let elsewhere = meeting(&MEETING.replace("д. 5", "д. 7"));
        assert!(matches!(check(&old, &elsewhere, 0), Err(Refusal::Address { .. })));
        let respelled = meeting(&MEETING.replace("ул. Садовая", "ул.  САДОВАЯ"));
        assert_eq!(check(&old, &respelled, 0), Ok(()), "the same address written otherwise");
    }
}
