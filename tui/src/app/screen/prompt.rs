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
use crate::app::view::{cells, head, wrap_chars};
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
    /// A field of the ballot-entry screen.
    Ballot(super::ballot::Field),
}

impl Input {
    /// The most characters the field takes: a note is read on a phone's card and by every device
    /// of the group; a phone or e-mail is never longer than an e-mail address may be.
    pub fn limit(&self) -> usize {
        match self {
            Input::Note => NOTE_LIMIT,
            Input::Contact { .. } => 254,
            Input::Signed => 40,
            Input::Ballot(field) => field.limit(),
        }
    }

    /// What a letter typed or a paste past the limit says: nothing of it went in.
    pub fn too_long(&self, lang: Lang, paste: bool) -> String {
        let limit = self.limit();
        let field = match self {
            Input::Note => lang.pick("заметка", "a note"),
            Input::Contact { .. } => lang.pick("телефон или e-mail", "a phone or e-mail"),
            Input::Signed => lang.pick("дата", "a date"),
            Input::Ballot(_) => lang.pick("поле", "a field"),
        };
        match (lang, paste) {
            (Lang::Ru, true) => format!("✗ {field} длиннее {limit} знаков: не записано, вставка не добавлена"),
            (Lang::Ru, false) => format!("✗ {field} — не длиннее {limit} знаков: дальше не пишется"),
            (Lang::En, true) => format!("✗ {field} longer than {limit} characters: not recorded, the paste not added"),
            (Lang::En, false) => format!("✗ {field} takes at most {limit} characters: no more is typed"),
        }
    }

    /// The field's name before the text; `short` for a narrow window.
    pub fn label(&self, lang: Lang, short: bool) -> &'static str {
        match (self, short) {
            (Input::Note, _) => lang.pick("Заметка", "Note"),
            (Input::Contact { .. }, false) => lang.pick("Телефон или e-mail", "Phone or e-mail"),
            (Input::Contact { .. }, true) => lang.pick("Тел. или e-mail", "Phone/e-mail"),
            (Input::Signed, false) => lang.pick("Дата подписи (дд.мм)", "Date signed (dd.mm)"),
            (Input::Signed, true) => lang.pick("Дата подписи", "Date signed"),
            (Input::Ballot(field), short) => field.label(lang, short),
        }
    }
}

/// The longest note, in characters: the core's rule, which the store applies on recording.
pub use obhod_core::act::NOTE_LIMIT;

pub const INPUT_KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Save, "сохранить", "save", true),
    bind(&[Esc], "Esc", Action::Back, "назад", "back", true),
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
        Input::Note if text.is_empty() => app.clear_note(),
        Input::Note => app.keep_note(text),
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
        Input::Ballot(field) => super::ballot::typed(app, field, text),
    }
}

impl App {
    /// Keeps a note typed for the card's premise until a mark records it; says so when it is
    /// not the first (a note changed is news, a note typed before a mark is not).
    fn keep_note(&mut self, text: String) -> Option<String> {
        let before = self.notes.insert(self.cursor, text.clone());
        (before.is_some_and(|before| before != text)).then(|| {
            self.lang
                .pick("Заметка изменена: запишется со следующей отметкой", "Note changed: it goes with the next mark")
                .into()
        })
    }

    /// Clears the note kept for the card's premise, on purpose (`x`, or an empty line saved).
    pub fn clear_note(&mut self) -> Option<String> {
        let name = self.premise_name(self.cursor);
        self.notes.remove(&self.cursor).map(|_| match self.lang {
            Lang::Ru => format!("Заметка к {name} удалена"),
            Lang::En => format!("The note for {name} is deleted"),
        })
    }

    /// The message when a layer is closed by Esc. A note typed and left by Esc is kept as the
    /// card's note (Esc never throws a typed note away); a contact prompt says that nothing was
    /// recorded; a card left with a note kept says that it waits for a mark, with a day signed no
    /// `d` took, that the day is dropped.
    pub fn closed(&mut self, layer: Layer, signed: bool) -> Option<String> {
        let lang = self.lang;
        match layer {
            Layer::Prompt { input: Input::Contact { consent }, .. } => Some(unrecorded(consent, lang)),
            Layer::Prompt { input: Input::Ballot(_), .. } => super::ballot::back(self),
            Layer::Prompt { input: Input::Note, text } => {
                let text = text.trim().to_string();
                let kept = self.note().map(str::to_string);
                if text.is_empty() || kept.as_deref() == Some(text.as_str()) {
                    return kept.is_some().then(|| lang.pick("Заметка не изменена", "Note unchanged").into());
                }
                self.notes.insert(self.cursor, text);
                Some(
                    lang.pick(
                        "Заметка сохранена: запишется со следующей отметкой (x — удалить)",
                        "Note kept: it goes with the next mark (x deletes it)",
                    )
                    .into(),
                )
            }
            Layer::Card => {
                let name = self.premise_name(self.cursor);
                let note = self.note().is_some().then(|| match lang {
                    Lang::Ru => {
                        format!("Заметка к {name} ждёт отметки: она на карточке, пока не записана (x — удалить)")
                    }
                    Lang::En => {
                        format!(
                            "The note for {name} waits for a mark: it stays on the card until recorded (x deletes it)"
                        )
                    }
                });
                let day = signed.then(|| {
                    lang.pick(
                        "Дата подписи сброшена: она действует на своей карточке до d",
                        "Date signed dropped: it holds on its card until d",
                    )
                    .to_string()
                });
                match (note, day) {
                    (Some(note), Some(day)) => Some(format!("{note}. {day}")),
                    (note, day) => note.or(day),
                }
            }
            _ => None,
        }
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

/// The consent question, on the message's line.
pub fn question(lang: Lang) -> Line<'static> {
    let text = lang.pick("Согласие на обработку ПД подписано?", "Personal-data consent signed?");
    Line::styled(text, Style::new().add_modifier(Modifier::BOLD))
}

/// The count of a note's characters once it nears the limit: ` 450/500`.
fn count(input: &Input, text: &str) -> String {
    let n = text.chars().count();
    if *input == Input::Note && n * 5 >= input.limit() * 4 { format!(" {n}/{}", input.limit()) } else { String::new() }
}

/// The field being typed into, under the screen it belongs to: its name and the text with the
/// cursor, over at most `rows` lines of `width` cells (the end of a long text, where the cursor
/// is); `None` when no field has the keys.
pub fn lines(app: &App, width: usize, rows: usize) -> Option<Vec<Line<'static>>> {
    let Layer::Prompt { input, text } = app.top() else { return None };
    let label = format!("{}{}: ", input.label(app.lang, false), count(input, text));
    let mut lines = wrap_chars(&format!("{label}{text}▏"), width);
    if lines.len() > rows {
        // The name stays on the first line, the end of the text under it.
        let typed = wrap_chars(&format!("{text}▏"), width);
        lines = std::iter::once(format!("{label}…"))
            .chain(typed[typed.len().saturating_sub(rows - 1)..].to_vec())
            .collect();
    }
    let bold = Style::new().add_modifier(Modifier::BOLD);
    Some(lines.into_iter().map(|line| Line::styled(line, bold)).collect())
}

/// The field's name on a compact screen, with the premise (the card is not in sight), shortened
/// to `width` cells.
pub fn compact_label(app: &App, width: usize) -> String {
    let Layer::Prompt { input, text } = app.top() else { return String::new() };
    let premise = match input {
        Input::Ballot(_) => super::ballot::premise(app),
        _ => Some(app.cursor),
    };
    let name = premise.map(|p| app.premise_name(p)).unwrap_or_default();
    let (lang, count) = (app.lang, count(input, text));
    let named = |label: &str| match name.is_empty() {
        true => format!("{label}{count}:"),
        false => format!("{label} · {name}{count}:"),
    };
    let candidates = [
        named(input.label(lang, false)),
        named(input.label(lang, true)),
        format!("{}{count}:", input.label(lang, true)),
    ];
    let fitting = candidates.iter().find(|label| cells(label) <= width);
    head(fitting.unwrap_or(&candidates[2]), width)
}

/// The text typed with the cursor, the last `rows` lines of it.
pub fn typed_lines(app: &App, width: usize, rows: usize) -> Vec<String> {
    let Layer::Prompt { text, .. } = app.top() else { return Vec::new() };
    let lines = wrap_chars(&format!("{text}▏"), width);
    lines[lines.len().saturating_sub(rows)..].to_vec()
}
