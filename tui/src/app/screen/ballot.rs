//! The ballot-entry screen (`b`): the counting commission types one paper decision step by step
//! (the premise, the voter, one key per answer, the day received, who signed, a defect), reads it
//! back in words and records it with Enter through `Campaign::record_decision`; Esc goes back a
//! step and nothing is recorded before that last Enter. A voter who already has a decision is
//! shown it, to replace it, keep both as a conflict, or withdraw it. In check mode (`e`, double
//! entry) the decision typed is compared with the one recorded for the voter, every difference
//! shown, and nothing written. Text steps are prompts over this screen (`Input::Ballot`), so they
//! take every letter with the keyboard open.

use chrono::NaiveDate;
use obhod_core::entry::{Defect, Standing};
use obhod_core::{Answer, Authority, Ballot, Invalid, Lang, Proxy, Representative};
use obhod_store::{Decision, StoreError};

mod draw;

pub use draw::draw;

use super::prompt::typed_day;
use super::{Input, Layer};
use crate::app::App;
use crate::app::keymap::{Action, Binding, Char, Down, Enter, Esc, Up, bind};

/// A field typed on a prompt over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Premise,
    Received,
    Representative,
    ProxyDate,
    ProxyUntil,
    CertifiedBy,
    DefectOther,
    /// Why a decision is withdrawn.
    WithdrawNote,
}

impl Field {
    pub fn label(self, lang: Lang, short: bool) -> &'static str {
        match (self, short) {
            (Field::Premise, _) => lang.pick("Помещение", "Premise"),
            (Field::Received, false) => lang.pick("Получено (дд.мм)", "Received (dd.mm)"),
            (Field::Received, true) => lang.pick("Получено", "Received"),
            (Field::Representative, false) => lang.pick("Представитель (ФИО)", "Representative (name)"),
            (Field::Representative, true) => lang.pick("Представитель", "Representative"),
            (Field::ProxyDate, false) => lang.pick("Дата доверенности", "Proxy's date"),
            (Field::ProxyDate, true) => lang.pick("Дата дов.", "Proxy date"),
            (Field::ProxyUntil, false) => lang.pick("Доверенность до (пусто — год)", "Proxy until (empty: a year)"),
            (Field::ProxyUntil, true) => lang.pick("Дов. до", "Until"),
            (Field::CertifiedBy, false) => lang.pick("Кем удостоверена", "Certified by"),
            (Field::CertifiedBy, true) => lang.pick("Удостоверил", "Certified"),
            (Field::DefectOther, _) => lang.pick("Дефект (причина)", "Defect (reason)"),
            (Field::WithdrawNote, _) => lang.pick("Причина отзыва", "Why withdrawn"),
        }
    }

    pub fn limit(self) -> usize {
        match self {
            Field::Premise => 40,
            Field::Received | Field::ProxyDate | Field::ProxyUntil => 20,
            _ => 200,
        }
    }
}

/// Who signed the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signer {
    #[default]
    Owner,
    Law,
    Proxy,
    Head,
}

/// Where the entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Premise,
    Voter,
    /// The answer to question `n` (from 0).
    Answer(usize),
    Received,
    Signer,
    Representative,
    ProxyDate,
    ProxyUntil,
    CertifiedBy,
    Defect,
    DefectOther,
    /// The decision in words, recorded by Enter.
    Review,
    /// The voter has a standing decision: replace it, keep both, withdraw it.
    Held,
    WithdrawNote,
    /// Check mode: the differences from the decision recorded.
    Compared,
}

impl Step {
    fn field(self) -> Option<Field> {
        Some(match self {
            Step::Premise => Field::Premise,
            Step::Received => Field::Received,
            Step::Representative => Field::Representative,
            Step::ProxyDate => Field::ProxyDate,
            Step::ProxyUntil => Field::ProxyUntil,
            Step::CertifiedBy => Field::CertifiedBy,
            Step::DefectOther => Field::DefectOther,
            Step::WithdrawNote => Field::WithdrawNote,
            _ => return None,
        })
    }
}

/// A voter of the premise, as the list offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The name the decision is recorded under (a joint group's first member).
    pub owner: String,
    pub words: String,
    /// The voter's standing decision.
    pub held: Option<Box<Decision>>,
}

/// The decision being typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    pub step: Option<Step>,
    /// The steps gone through, for Esc.
    pub trail: Vec<Step>,
    pub premise: Option<usize>,
    pub voters: Vec<Choice>,
    pub voter: usize,
    pub answers: Vec<Answer>,
    pub received: Option<NaiveDate>,
    pub signer: Signer,
    pub representative: String,
    pub proxy_date: Option<NaiveDate>,
    pub proxy_until: Option<NaiveDate>,
    pub certified_by: String,
    pub defect: Option<Defect>,
    /// The standing decision shown beside the new one.
    pub held: Option<Box<Decision>>,
    pub standing: Option<Standing>,
    /// Check mode (double entry): compared with what is recorded, never recorded.
    pub check: bool,
    /// Check mode: every difference from the decision recorded, in words.
    pub differences: Vec<String>,
}

impl Draft {
    fn step(&self) -> Step {
        self.step.unwrap_or(Step::Premise)
    }

    fn choice(&self) -> Option<&Choice> {
        self.voters.get(self.voter)
    }

    /// The decision as the core takes it.
    fn ballot(&self, app: &App) -> Ballot {
        let registry = app.campaign.registry();
        let premise = self.premise.map(|p| registry.premises[p].label.clone()).unwrap_or_default();
        let authority = match self.signer {
            Signer::Owner => None,
            Signer::Law => Some(Authority::Law),
            Signer::Head => Some(Authority::Head),
            Signer::Proxy => Some(Authority::Proxy(Proxy {
                date: self.proxy_date,
                until: self.proxy_until,
                certified_by: Some(self.certified_by.trim().to_string()).filter(|c| !c.is_empty()),
            })),
        };
        Ballot {
            line: 0,
            premise,
            owner: self.choice().map(|c| c.owner.clone()).unwrap_or_default(),
            answers: self.answers.clone(),
            received: self.received,
            defect: self.defect.as_ref().map(|d| d.words(Lang::Ru)),
            representative: authority
                .map(|authority| Representative { name: self.representative.trim().to_string(), authority }),
        }
    }
}

const BACK: Binding = bind(&[Esc], "Esc", Action::Previous, "назад на шаг", "a step back", true);
const HELP: Binding = bind(&[Char('?')], "?", Action::Help, "помощь", "help", false);
const QUIT: Binding = bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false);

const VOTER_KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "выбрать", "choose", true),
    bind(&[Up, Char('k')], "↑", Action::Up, "выше", "up", true),
    bind(&[Down, Char('j')], "↓", Action::Down, "ниже", "down", true),
    BACK,
    HELP,
    QUIT,
];

const ANSWER_KEYS: &[Binding] = &[
    bind(&[Char('1')], "1", Action::Pick(1), "за", "for", true),
    bind(&[Char('2')], "2", Action::Pick(2), "против", "against", true),
    bind(&[Char('3')], "3", Action::Pick(3), "воздержался", "abstain", true),
    bind(&[Char('0')], "0", Action::Pick(0), "испорчен", "spoiled", true),
    BACK,
    HELP,
    QUIT,
];

const SIGNER_KEYS: &[Binding] = &[
    bind(&[Char('1')], "1", Action::Pick(1), "сам собственник", "the owner", false),
    bind(&[Char('2')], "2", Action::Pick(2), "законный представитель", "legal representative", false),
    bind(&[Char('3')], "3", Action::Pick(3), "по доверенности", "by proxy", false),
    bind(&[Char('4')], "4", Action::Pick(4), "руководитель организации", "the organisation's head", false),
    BACK,
    HELP,
    QUIT,
];

const DEFECT_KEYS: &[Binding] = &[
    bind(&[Char('0')], "0", Action::Pick(0), "без дефекта", "no defect", false),
    bind(&[Char('1')], "1", Action::Pick(1), "нет подписи", "no signature", false),
    bind(&[Char('2')], "2", Action::Pick(2), "нет документа о праве", "no title document", false),
    bind(&[Char('3')], "3", Action::Pick(3), "площадь или доля не те", "area or share differ", false),
    bind(&[Char('4')], "4", Action::Pick(4), "не читается", "unreadable", false),
    bind(&[Char('5')], "5", Action::Pick(5), "другое", "other", false),
    BACK,
    HELP,
    QUIT,
];

const REVIEW_KEYS: &[Binding] = &[bind(&[Enter], "Enter", Action::Save, "записать", "record", true), BACK, HELP, QUIT];

const CHECK_KEYS: &[Binding] =
    &[bind(&[Enter], "Enter", Action::Save, "сверить с записанным", "compare with the record", true), BACK, HELP, QUIT];

const COMPARED_KEYS: &[Binding] = &[bind(&[Enter], "Enter", Action::Save, "закрыть", "close", true), BACK, HELP, QUIT];

const HELD_KEYS: &[Binding] = &[
    bind(&[Char('1')], "1", Action::Pick(1), "заменить его новым", "replace it", false),
    bind(&[Char('2')], "2", Action::Pick(2), "оставить оба (конфликт)", "keep both (a conflict)", false),
    bind(&[Char('3')], "3", Action::Pick(3), "отозвать его", "withdraw it", false),
    bind(&[Esc], "Esc", Action::Previous, "отмена", "cancel", true),
    HELP,
    QUIT,
];

/// The keys of the step the entry stands at.
pub fn keys(draft: &Draft) -> &'static [Binding] {
    match draft.step() {
        Step::Voter => VOTER_KEYS,
        Step::Answer(_) => ANSWER_KEYS,
        Step::Signer => SIGNER_KEYS,
        Step::Defect => DEFECT_KEYS,
        Step::Held => HELD_KEYS,
        Step::Compared => COMPARED_KEYS,
        _ if draft.check => CHECK_KEYS,
        _ => REVIEW_KEYS,
    }
}

/// Opens the entry: at the card's premise (`premise`), or asking for one; `check` for double
/// entry.
pub fn open(app: &mut App, premise: Option<usize>, check: bool) {
    let mut draft = Draft { check, ..Draft::default() };
    match premise {
        Some(premise) => {
            draft.premise = Some(premise);
            draft.voters = voters(app, premise);
            draft.step = Some(Step::Voter);
            app.push(Layer::Ballot(Box::new(draft)));
        }
        None => {
            app.push(Layer::Ballot(Box::new(draft)));
            prompt(app, Field::Premise, String::new());
        }
    }
}

fn prompt(app: &mut App, field: Field, text: String) {
    app.push(Layer::Prompt { input: Input::Ballot(field), text });
}

/// The premise of the entry under the prompts, once typed.
pub fn premise(app: &App) -> Option<usize> {
    app.layers.iter().rev().find_map(|layer| match layer {
        Layer::Ballot(draft) => draft.premise,
        _ => None,
    })
}

/// The premise of a decision being typed to be recorded (not a check), once its premise is known:
/// quitting asks first.
pub fn unrecorded(app: &App) -> Option<usize> {
    app.layers.iter().rev().find_map(|layer| match layer {
        Layer::Ballot(draft) if !draft.check => draft.premise,
        _ => None,
    })
}

/// The entry under the prompts, when there is one.
fn draft(app: &mut App) -> Option<&mut Draft> {
    app.layers.iter_mut().rev().find_map(|layer| match layer {
        Layer::Ballot(draft) => Some(draft.as_mut()),
        _ => None,
    })
}

/// Each voter of the premise once: an owner, a joint group as one (recorded under its first
/// member), an owner of several premises (whose decision carries them all), with the decision
/// that stands for it.
fn voters(app: &App, premise: usize) -> Vec<Choice> {
    let (registry, weights, lang) = (app.campaign.registry(), app.campaign.weights(), app.lang);
    let label = &registry.premises[premise].label;
    let standing: Vec<Decision> = app.campaign.decision_list().into_iter().filter(|d| d.withdrawn.is_none()).collect();
    let mut choices: Vec<Choice> = Vec::new();
    for holding in weights.holdings.iter().filter(|h| h.premise == premise) {
        let Some(first) = holding.owners.first() else { continue };
        if choices.iter().any(|c| c.owner == first.name) {
            continue;
        }
        let mut words = holding.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        if holding.joint {
            words.push_str(lang.pick(" (совместная)", " (joint)"));
        }
        let others = match first.spans_premises() && !holding.joint {
            true => weights.holdings.iter().filter(|h| h.premise != premise && h.owners.first() == Some(first)).count(),
            false => 0,
        };
        if others > 0 {
            words.push_str(&match lang {
                Lang::Ru => format!(" (и ещё {others} пом.)"),
                Lang::En => format!(" (and {others} more premises)"),
            });
        }
        let signers = obhod_core::entry::signers(registry, weights, label, &first.name);
        let held = standing.iter().find(|d| signers.iter().any(|(p, o)| (p, o) == (&d.premise, &d.owner)));
        choices.push(Choice { owner: first.name.clone(), words, held: held.cloned().map(Box::new) });
    }
    choices
}

/// A step on: to `next`, with a prompt over the screen when it is a text field.
fn advance(app: &mut App, next: Step) {
    let Some(draft) = draft(app) else { return };
    let here = draft.step();
    draft.trail.push(here);
    draft.step = Some(next);
    reopen(app, next);
}

/// The prompt of a text step, with what the draft holds for it (the day received: today).
fn reopen(app: &mut App, step: Step) {
    let Some(field) = step.field() else { return };
    let today = app.today();
    let registry = app.campaign.registry();
    let Some(draft) = app.layers.iter().rev().find_map(|layer| match layer {
        Layer::Ballot(draft) => Some(draft.as_ref()),
        _ => None,
    }) else {
        return;
    };
    let text = match field {
        Field::Premise => draft.premise.map(|p| registry.premises[p].label.clone()).unwrap_or_default(),
        Field::WithdrawNote => String::new(),
        Field::Received => day(draft.received.unwrap_or(today)),
        Field::Representative => draft.representative.clone(),
        Field::ProxyDate => draft.proxy_date.map(day).unwrap_or_default(),
        Field::ProxyUntil => draft.proxy_until.map(day).unwrap_or_default(),
        Field::CertifiedBy => draft.certified_by.clone(),
        Field::DefectOther => match &draft.defect {
            Some(Defect::Other(text)) => text.clone(),
            _ => String::new(),
        },
    };
    prompt(app, field, text);
}

/// Esc: a step back (its prompt opened again with what was typed), or out of the entry from its
/// first step. Nothing is recorded.
pub fn back(app: &mut App) -> Option<String> {
    let lang = app.lang;
    let draft = draft(app)?;
    match draft.trail.pop() {
        Some(step) => {
            draft.step = Some(step);
            reopen(app, step);
            None
        }
        None => {
            app.pop();
            Some(lang.pick("Ввод решения закрыт: ничего не записано", "Ballot entry closed: nothing recorded").into())
        }
    }
}

fn day(date: NaiveDate) -> String {
    date.format("%d.%m.%Y").to_string()
}

/// A date typed on the entry: `24.11`, `24.11.2026`, …; a day without a year is the one within
/// the year before half a year past the end of voting (a decision comes in by then).
fn typed_date(app: &App, text: &str) -> Option<NaiveDate> {
    let ends = app.campaign.meeting().voting_ends.max(app.today());
    typed_day(text, ends + chrono::Days::new(182))
}

/// Takes what was typed into a field (its prompt already closed): on to the next step, or the
/// prompt again with a word on what is wrong.
pub fn typed(app: &mut App, field: Field, text: String) -> Option<String> {
    let lang = app.lang;
    let not_a_date = || match lang {
        Lang::Ru => format!("✗ «{text}» — не дата: пишите 15.12 или 15.12.2026"),
        Lang::En => format!("✗ «{text}» is not a date: type 15.12 or 15.12.2026"),
    };
    let again = |app: &mut App, words: String| {
        prompt(app, field, text.clone());
        Some(words)
    };
    let date = match field {
        Field::Received | Field::ProxyDate | Field::ProxyUntil if !text.is_empty() => match typed_date(app, &text) {
            Some(date) => Some(date),
            None => return again(app, not_a_date()),
        },
        _ => None,
    };
    match field {
        Field::Premise => {
            let registry = app.campaign.registry();
            let Some(found) = registry.lookup(&text) else {
                let labels = registry.premises.iter().map(|p| p.label.as_str());
                let nearest = obhod_core::entry::nearest(&text, labels, 3).join(", ");
                return again(
                    app,
                    match lang {
                        Lang::Ru => format!("✗ помещения «{text}» нет в реестре; похожие: {nearest}"),
                        Lang::En => format!("✗ premise «{text}» is not in the registry; nearest: {nearest}"),
                    },
                );
            };
            let note = found.note(&text, registry, lang);
            let voters = voters(app, found.index);
            if voters.is_empty() {
                let name = app.premise_name(found.index);
                return again(
                    app,
                    match lang {
                        Lang::Ru => format!("✗ у {name} нет собственников в реестре: голосовать некому"),
                        Lang::En => format!("✗ {name} has no owner in the registry: nobody votes for it"),
                    },
                );
            }
            let draft = draft(app)?;
            draft.premise = Some(found.index);
            draft.voters = voters;
            draft.voter = 0;
            advance(app, Step::Voter);
            return note;
        }
        Field::Received => {
            let today = app.today();
            draft(app)?.received = Some(date.unwrap_or(today));
            advance(app, Step::Signer);
        }
        Field::Representative if text.is_empty() => {
            let words = lang.pick("✗ впишите имя представителя", "✗ type the representative's name");
            return again(app, words.into());
        }
        Field::Representative => {
            let draft = draft(app)?;
            draft.representative = text;
            let next = if draft.signer == Signer::Proxy { Step::ProxyDate } else { Step::Defect };
            advance(app, next);
        }
        Field::ProxyDate => {
            draft(app)?.proxy_date = date;
            advance(app, Step::ProxyUntil);
            if date.is_none() {
                return Some(
                    lang.pick(
                        "⚠ доверенность без даты ничтожна: решение не будет засчитано",
                        "⚠ a proxy without a date is void: the decision will not count",
                    )
                    .into(),
                );
            }
        }
        Field::ProxyUntil => {
            draft(app)?.proxy_until = date;
            advance(app, Step::CertifiedBy);
        }
        Field::CertifiedBy => {
            draft(app)?.certified_by = text;
            advance(app, Step::Defect);
        }
        Field::DefectOther if text.is_empty() => {
            return again(app, lang.pick("✗ впишите причину дефекта", "✗ type the defect's reason").into());
        }
        Field::DefectOther => {
            draft(app)?.defect = Some(Defect::Other(text));
            advance(app, Step::Review);
        }
        Field::WithdrawNote => return withdraw(app, text),
    }
    None
}

/// What a key does on the entry's step.
pub fn update(app: &mut App, action: Action) -> Option<String> {
    let questions = app.campaign.meeting().questions.len();
    let draft = draft(app)?;
    let step = draft.step();
    match (step, action) {
        (_, Action::Previous) => return back(app),
        (Step::Voter, Action::Up) => draft.voter = draft.voter.saturating_sub(1),
        (Step::Voter, Action::Down) => draft.voter = (draft.voter + 1).min(draft.voters.len().saturating_sub(1)),
        (Step::Voter, Action::Open) => {
            let held = draft.choice()?.held.clone();
            draft.answers.clear();
            (draft.held, draft.standing) = (held.clone(), None);
            // Double entry is typed blind: the decision recorded is not shown before the end.
            let next = if held.is_some() && !draft.check { Step::Held } else { Step::Answer(0) };
            advance(app, next);
        }
        (Step::Answer(n), Action::Pick(key)) => {
            let answer = match key {
                1 => Answer::For,
                2 => Answer::Against,
                3 => Answer::Abstain,
                _ => Answer::Invalid(Invalid::Spoiled),
            };
            draft.answers.truncate(n);
            draft.answers.push(answer);
            advance(app, if n + 1 < questions { Step::Answer(n + 1) } else { Step::Received });
        }
        (Step::Signer, Action::Pick(key)) => {
            draft.signer = match key {
                2 => Signer::Law,
                3 => Signer::Proxy,
                4 => Signer::Head,
                _ => Signer::Owner,
            };
            let next = if draft.signer == Signer::Owner { Step::Defect } else { Step::Representative };
            advance(app, next);
        }
        (Step::Defect, Action::Pick(5)) => advance(app, Step::DefectOther),
        (Step::Defect, Action::Pick(key)) => {
            draft.defect = Defect::LISTED.get(usize::from(key).wrapping_sub(1)).cloned();
            advance(app, Step::Review);
        }
        (Step::Held, Action::Pick(key @ (1 | 2))) => {
            let id = draft.held.as_ref()?.id.clone();
            draft.standing = Some(if key == 1 { Standing::Replace(id) } else { Standing::KeepBoth });
            // Typed again from the first answer: a replacement is the whole decision.
            let next = if draft.answers.len() == questions { Step::Review } else { Step::Answer(0) };
            advance(app, next);
        }
        (Step::Held, Action::Pick(3)) => advance(app, Step::WithdrawNote),
        (Step::Review, Action::Save) if draft.check => compare(app),
        (Step::Review, Action::Save) => return record(app),
        (Step::Compared, Action::Save) => {
            app.pop();
            let words = app.lang.pick("Сверка закрыта: ничего не записано", "Check closed: nothing recorded");
            return Some(words.into());
        }
        _ => {}
    }
    None
}

/// Records the decision read back (Enter on the last step).
fn record(app: &mut App) -> Option<String> {
    let lang = app.lang;
    let draft = draft(app)?.clone();
    let ballot = draft.ballot(app);
    let name = draft.premise.map(|p| app.premise_name(p)).unwrap_or_default();
    let standing = draft.standing.clone().unwrap_or(Standing::Ask);
    // Recorded when asked for alone: the voter had no decision standing.
    let first = standing == Standing::Ask;
    match app.campaign.record_decision(ballot, standing) {
        Ok(recorded) => {
            app.error = None;
            app.pop();
            app.reload_after_decision(&recorded.ballot, first);
            let owner = draft.choice().map(|c| c.owner.clone()).unwrap_or_default();
            let what = match (lang, &recorded.replaced) {
                (Lang::Ru, Some(id)) => format!("✓ Решение записано вместо {id} — {name}, {owner}"),
                (Lang::Ru, None) => format!("✓ Решение записано — {name}, {owner}"),
                (Lang::En, Some(id)) => format!("✓ Decision recorded in place of {id} — {name}, {owner}"),
                (Lang::En, None) => format!("✓ Decision recorded — {name}, {owner}"),
            };
            Some(match recorded.late {
                Some(ends) => {
                    app.caution = true;
                    match lang {
                        Lang::Ru => {
                            format!("{what}; получено после окончания голосования {}: не засчитывается", day(ends))
                        }
                        Lang::En => format!("{what}; received after voting ended {}: not counted", day(ends)),
                    }
                }
                None => what,
            })
        }
        Err(StoreError::DecisionHeld { existing }) => {
            let draft = self::draft(app)?;
            draft.held = Some(existing);
            advance(app, Step::Held);
            None
        }
        Err(error) => Some(app.refusal(error)),
    }
}

/// Check mode: the decision typed compared with the voter's decision recorded (the core's
/// `compare`, as `obhod ballots check`); nothing is written.
fn compare(app: &mut App) {
    let lang = app.lang;
    let Some(draft) = draft(app).cloned() else { return };
    let mut entered = draft.ballot(app);
    let recorded: Vec<Ballot> = match &draft.held {
        Some(held) => {
            let same = |b: &Ballot| (&b.premise, &b.owner) == (&held.premise, &held.owner);
            app.campaign.ballots().into_iter().filter(same).take(1).collect()
        }
        None => Vec::new(),
    };
    // A joint group's decision may be recorded under another member: the same voter.
    if let Some(first) = recorded.first() {
        entered.owner = first.owner.clone();
    }
    let differences: Vec<String> =
        obhod_core::entry::compare(&recorded, &[entered]).iter().map(|d| d.message(lang)).collect();
    if let Some(draft) = self::draft(app) {
        draft.differences = differences;
    }
    advance(app, Step::Compared);
}

/// Withdraws the voter's standing decision with the note typed.
fn withdraw(app: &mut App, note: String) -> Option<String> {
    let lang = app.lang;
    let id = draft(app)?.held.as_ref()?.id.clone();
    let note = Some(note).filter(|n| !n.is_empty());
    match app.campaign.withdraw_decision(&id, note) {
        Ok(_) => {
            app.error = None;
            app.pop();
            app.reload();
            Some(match lang {
                Lang::Ru => format!("✓ Решение {id} отозвано"),
                Lang::En => format!("✓ Decision {id} withdrawn"),
            })
        }
        Err(error) => {
            prompt(app, Field::WithdrawNote, String::new());
            Some(app.refusal(error))
        }
    }
}
