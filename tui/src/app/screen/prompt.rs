//! The prompts over the card: a line to type a note, a contact or the day an owner signed into,
//! and the consent question before a contact. Its letters count as typed, since they mean yes or no themselves: yes is Enter,
//! `y` or `д` (да), no is Esc, `n`, `н` (нет) or `т` (on the `n` key); the key that types `y` in
//! one layout types `н` in the other, so it is never yes there.

use chrono::{Datelike, NaiveDate};
use obhod_core::{Contact, Lang, Outcome};
use obhod_store::{Mark, StoreError};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use crate::app::keymap::{Action, Binding, Char, Enter, Esc, bind, exact};
use crate::app::view::{cells, tail};
use crate::app::{App, Layer};

/// What the typed line is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Note,
    /// A phone or e-mail; `consent` when the owner has just signed it.
    Contact {
        consent: bool,
    },
    /// The day the owner signed the delivery register, for the next `d` (a register typed in later).
    Signed,
}

pub const INPUT_KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Save, "сохранить", "save", true),
    bind(&[Esc], "Esc", Action::Back, "отмена", "cancel", true),
];

pub const CONFIRM_KEYS: &[Binding] = &[
    exact(bind(&[Enter, Char('y'), Char('д')], "Enter/y/д", Action::Yes, "да", "yes", true)),
    exact(bind(&[Esc, Char('n'), Char('н'), Char('т')], "Esc/n/н", Action::No, "нет", "no", true)),
];

/// A character as it goes into a field: a control character (a newline, a tab, an escape) or
/// a bidirectional override becomes a space, so that a pasted line break never submits and
/// never reaches the keys, and nothing kept can reorder or restyle what a terminal shows.
pub fn printable(c: char) -> char {
    if obhod_core::text::is_forbidden(c) { ' ' } else { c }
}

pub fn update_input(app: &mut App, action: Action) -> Option<String> {
    if action != Action::Save {
        return None;
    }
    let Some(Layer::Prompt { input, text }) = app.pop() else { return None };
    let text = text.trim().to_string();
    match input {
        Input::Note => {
            app.note = (!text.is_empty()).then_some(text);
            None
        }
        Input::Contact { consent } if text.is_empty() => Some(unrecorded(consent, app.lang)),
        Input::Contact { consent } => {
            let contact = if text.contains('@') {
                Contact { phone: None, email: Some(text) }
            } else {
                Contact { phone: Some(text), email: None }
            };
            Some(app.mark(Outcome::Contact, Some(contact), consent))
        }
        Input::Signed => Some(signed(app, &text)),
    }
}

/// Takes the day signed typed for the next delivery: kept until `d` records with it, the card
/// closes, or it is cleared (an empty line); refused when unreadable, still to come, or a year
/// before the meeting (the check `mark` makes).
fn signed(app: &mut App, text: &str) -> String {
    let lang = app.lang;
    if text.is_empty() {
        return match app.signed.take() {
            Some(_) => lang.pick(
                "Дата подписи снята: d запишет вручение сегодняшним днём",
                "Date signed cleared: d records the delivery as of today",
            ),
            None => lang.pick("Дата подписи не задана", "No date signed given"),
        }
        .into();
    }
    let meeting = app.campaign.meeting().date;
    let Some(day) = typed_day(text, meeting) else {
        return match lang {
            Lang::Ru => format!("✗ «{text}» — не дата: пишите 24.11, 24.11.2026 или 2026-11-24"),
            Lang::En => format!("✗ «{text}» is not a date: type 24.11, 24.11.2026 or 2026-11-24"),
        };
    };
    // The store's rule, in words short enough for a phone's two lines.
    let shown = day.format("%d.%m.%Y");
    match Mark::check_signed(day, app.today(), meeting) {
        Ok(()) => {}
        Err(StoreError::NotSignedYet { .. }) => {
            return match lang {
                Lang::Ru => format!("✗ {shown} ещё не наступило: день подписи — сегодня или раньше"),
                Lang::En => format!("✗ {shown} is still to come: the day signed is today or earlier"),
            };
        }
        Err(StoreError::SignedLongBefore { .. }) => {
            return match lang {
                Lang::Ru => format!("✗ {shown} — больше чем за год до собрания: проверьте год"),
                Lang::En => format!("✗ {shown} is more than a year before the meeting: check the year"),
            };
        }
        Err(error) => return format!("✗ {}", error.message(lang)),
    }
    app.signed = Some(day);
    match lang {
        Lang::Ru => format!("Дата подписи {}: d запишет вручение этим днём", day.format("%d.%m.%Y")),
        Lang::En => format!("Date signed {}: d records the delivery as of that day", day.format("%d.%m.%Y")),
    }
}

/// A day as people type it on a phone or on either keyboard layout: `24.11`, `24.11.2026`,
/// `24.11.26`, `2026-11-24`; the dot may come as `,` `/` `-` or as `ю`/`б` (the keys of `.` and
/// `,` on the Russian layout). Without a year: the meeting's, or the year before where that day
/// would fall after the meeting (a notice comes before its meeting).
pub fn typed_day(text: &str, meeting: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    if text.chars().any(|c| !c.is_ascii_digit() && !".,/-юбЮБ ".contains(c)) {
        return None;
    }
    let groups: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let short = |g: &str| (1..=2).contains(&g.len());
    let number = |g: &str| g.parse::<u32>().ok();
    match groups.as_slice() {
        [y, m, d] if y.len() == 4 && short(m) && short(d) => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, number(m)?, number(d)?)
        }
        [d, m, y] if short(d) && short(m) && y.len() == 4 => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, number(m)?, number(d)?)
        }
        [d, m, y] if short(d) && short(m) && y.len() == 2 => {
            NaiveDate::from_ymd_opt(2000 + y.parse::<i32>().ok()?, number(m)?, number(d)?)
        }
        [d, m] if short(d) && short(m) => {
            let (d, m) = (number(d)?, number(m)?);
            match NaiveDate::from_ymd_opt(meeting.year(), m, d) {
                Some(day) if day <= meeting => Some(day),
                _ => NaiveDate::from_ymd_opt(meeting.year() - 1, m, d),
            }
        }
        _ => None,
    }
}

/// What a contact prompt closed without a contact says: nothing is recorded, not even the consent
/// just confirmed (it has a key of its own).
pub fn unrecorded(consent: bool, lang: Lang) -> String {
    match consent {
        true => lang.pick(
            "Ничего не записано, и согласие тоже (его записывает клавиша s)",
            "Nothing recorded, not the consent either (the s key records it)",
        ),
        false => lang.pick("Контакт не записан", "No contact recorded"),
    }
    .into()
}

/// The message when a layer is closed by Esc: a contact prompt, or a card left with a note that no
/// mark took, says that nothing was recorded; a card left with a day signed no `d` took, that it
/// is dropped.
pub fn closed(layer: &Layer, note: bool, signed: bool, lang: Lang) -> Option<String> {
    match layer {
        Layer::Prompt { input: Input::Contact { consent }, .. } => Some(unrecorded(*consent, lang)),
        Layer::Card if note => Some(
            lang.pick("Заметка не записана: она записывается с отметкой", "Note not recorded: it goes with a mark")
                .into(),
        ),
        Layer::Card if signed => Some(
            lang.pick(
                "Дата подписи сброшена: она действует на своей карточке до d",
                "Date signed dropped: it holds on its card until d",
            )
            .into(),
        ),
        _ => None,
    }
}

pub fn update_confirm(app: &mut App, action: Action) -> Option<String> {
    match action {
        Action::Yes => {
            app.pop();
            app.push(Layer::Prompt { input: Input::Contact { consent: true }, text: String::new() });
            None
        }
        Action::No => {
            app.pop();
            Some(app.lang.pick("Без согласия контакт не записывается", "No contact without consent").into())
        }
        _ => None,
    }
}

/// The line a prompt shows in place of the message, `width` cells at most (the end of a long
/// text, where the cursor is).
pub fn line(layer: &Layer, lang: Lang, width: usize) -> Option<Line<'static>> {
    let text = match layer {
        Layer::Prompt { input, text } => {
            let prompt = match input {
                Input::Note => lang.pick("Заметка: ", "Note: "),
                Input::Contact { .. } => lang.pick("Телефон или e-mail: ", "Phone or e-mail: "),
                Input::Signed => lang.pick("Дата подписи (дд.мм): ", "Date signed (dd.mm): "),
            };
            format!("{prompt}{}▏", tail(text, width.saturating_sub(cells(prompt) + 1)))
        }
        Layer::Confirm => lang.pick("Согласие на обработку ПД подписано?", "Personal-data consent signed?").into(),
        _ => return None,
    };
    Some(Line::styled(text, Style::new().add_modifier(Modifier::BOLD)))
}
