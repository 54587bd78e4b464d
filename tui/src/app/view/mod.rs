//! Drawing the app: a header with progress, the screen of the current mode, the message line
//! and the key hints (tappable). Every state reads without colour too: a symbol goes with it.

mod building;
mod card;
mod lists;

use obhod_core::number::{decimal, percent};
use obhod_core::{Lang, Outcome, PremiseStatus, Votes};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::App;
use super::keymap::{self, Action, Mode};

/// The smallest screen the app is laid out for (a phone in Termux).
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 20;

/// How a door reads on the building view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Notified,
    Partly,
    Letter,
    Refused,
    Absent,
    Untouched,
    Unowned,
}

impl Door {
    pub fn of(status: &PremiseStatus) -> Door {
        let owners = &status.owners;
        if owners.is_empty() {
            Door::Unowned
        } else if owners.iter().all(|o| o.notified) {
            Door::Notified
        } else if owners.iter().any(|o| o.notified) {
            Door::Partly
        } else if owners.iter().any(|o| o.letter) {
            Door::Letter
        } else if owners.iter().any(|o| o.refused) {
            Door::Refused
        } else if status.visits > 0 {
            Door::Absent
        } else {
            Door::Untouched
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Door::Notified => "✓",
            Door::Partly => "◐",
            Door::Letter => "✉",
            Door::Refused => "✗",
            Door::Absent => "○",
            Door::Untouched => "·",
            Door::Unowned => "–",
        }
    }

    pub fn style(self) -> Style {
        let color = match self {
            Door::Notified => Color::Green,
            Door::Partly => Color::Yellow,
            Door::Letter => Color::Magenta,
            Door::Refused => Color::Red,
            Door::Absent => Color::Cyan,
            Door::Untouched => Color::Reset,
            Door::Unowned => Color::DarkGray,
        };
        Style::new().fg(color)
    }

    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Door::Notified => lang.pick("уведомлены", "notified"),
            Door::Partly => lang.pick("уведомлены не все", "partly notified"),
            Door::Letter => lang.pick("нужно письмо", "letter needed"),
            Door::Refused => lang.pick("отказ", "refused"),
            Door::Absent => lang.pick("не застали", "nobody home"),
            Door::Untouched => lang.pick("ещё не были", "not yet visited"),
            Door::Unowned => lang.pick("нет собственника", "no owner"),
        }
    }

    /// The word for the legend, short enough for a phone.
    pub fn short(self, lang: Lang) -> &'static str {
        match self {
            Door::Notified => lang.pick("вручено", "notified"),
            Door::Partly => lang.pick("не всем", "partly"),
            Door::Letter => lang.pick("письмо", "letter"),
            Door::Refused => lang.pick("отказ", "refused"),
            Door::Absent => lang.pick("нет дома", "absent"),
            Door::Untouched => lang.pick("не были", "to visit"),
            Door::Unowned => lang.pick("ничьё", "no owner"),
        }
    }

    pub const LEGEND: [Door; 6] =
        [Door::Notified, Door::Partly, Door::Absent, Door::Refused, Door::Letter, Door::Untouched];
}

/// Draws the whole screen and records where taps land.
pub fn draw(frame: &mut Frame, app: &mut App) {
    app.hits.clear();
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, app.lang, area);
        return;
    }
    let screen = if matches!(app.mode, Mode::Help | Mode::Input | Mode::Confirm) { app.under } else { app.mode };
    let hint_height = hint_lines(app, area.width);
    let [header, body, message, hints] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(hint_height),
    ])
    .areas(area);
    draw_header(frame, app, header);
    match screen {
        Mode::Card => card::draw(frame, app, body),
        Mode::Walk => lists::walk(frame, app, body),
        Mode::Quorum => lists::quorum(frame, app, body),
        _ => building::draw(frame, app, body),
    }
    draw_message(frame, app, message);
    draw_hints(frame, app, hints);
    if app.mode == Mode::Help {
        help(frame, app, body);
    }
}

fn too_small(frame: &mut Frame, lang: Lang, area: Rect) {
    let text = format!(
        "{} {MIN_WIDTH}×{MIN_HEIGHT} ({} {}×{})",
        lang.pick("Окно мало: нужно не меньше", "The window is too small: at least"),
        lang.pick("сейчас", "now"),
        area.width,
        area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn draw_header(frame: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang;
    let p = &app.progress;
    let total = &app.campaign.weights().total;
    let share = format!("{} %", percent(&p.notified_votes, total, lang.decimal_separator()));
    let wide = area.width >= 80;
    let progress = if wide {
        format!(
            "{} {}/{} · {} {} · {} {} · {} {share} {}",
            lang.pick("уведомлено", "notified"),
            p.notified,
            p.owners,
            lang.pick("писем", "letters"),
            p.letters,
            lang.pick("согласий", "consents"),
            p.consents,
            lang.pick("голоса:", "votes:"),
            lang.pick("от всех", "of all")
        )
    } else {
        format!("✓{}/{} ✉{} {}{} {share}", p.notified, p.owners, p.letters, lang.pick("согл.", "cons."), p.consents)
    };
    let lines = vec![
        Line::from(Span::styled(app.campaign.meeting().address.clone(), Style::new().add_modifier(Modifier::BOLD))),
        Line::from(progress),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let (text, style) = match (&app.input, app.mode) {
        (Some((input, text)), Mode::Input) => {
            let prompt = match input {
                super::Input::Note => app.lang.pick("Заметка: ", "Note: "),
                super::Input::Contact { .. } => app.lang.pick("Телефон или e-mail: ", "Phone or e-mail: "),
            };
            (format!("{prompt}{text}▏"), Style::new().add_modifier(Modifier::BOLD))
        }
        (_, Mode::Confirm) => (
            app.lang.pick("Согласие на обработку ПД подписано?", "Personal-data consent signed?").to_string(),
            Style::new().add_modifier(Modifier::BOLD),
        ),
        _ => (app.message.clone().unwrap_or_default(), Style::new().add_modifier(Modifier::ITALIC)),
    };
    frame.render_widget(Paragraph::new(text).style(style), area);
}

/// How many lines the key hints of the mode take at this width (at most 3).
fn hint_lines(app: &App, width: u16) -> u16 {
    let (mut lines, mut x) = (1u16, 0u16);
    for binding in keymap::bindings(app.mode).into_iter().filter(|b| b.hint) {
        let w = (binding.label.chars().count() + binding.words(app.lang).chars().count() + 2) as u16;
        if x > 0 && x + w > width {
            lines += 1;
            x = 0;
        }
        x += w;
    }
    lines.min(3)
}

/// The symbols of the building view in words, so that it reads without colour.
pub fn legend(lang: Lang) -> Line<'static> {
    let mut spans = Vec::new();
    for door in Door::LEGEND {
        spans.push(Span::styled(door.symbol(), door.style()));
        spans.push(Span::raw(format!(" {}  ", door.short(lang))));
    }
    Line::from(spans)
}

/// The key hints of the current mode; each one is a tap target for its action.
fn draw_hints(frame: &mut Frame, app: &mut App, area: Rect) {
    let mut spans = Vec::new();
    let (mut x, mut y) = (area.x, area.y);
    for binding in keymap::bindings(app.mode).into_iter().filter(|b| b.hint) {
        let text = format!("{} {}", binding.label, binding.words(app.lang));
        let width = text.chars().count() as u16;
        if x > area.x && x + width > area.x + area.width {
            if y + 1 >= area.y + area.height {
                break;
            }
            spans.push(Span::raw("\n"));
            (x, y) = (area.x, y + 1);
        }
        app.hits.push((Rect::new(x, y, width, 1), binding.action));
        spans.push(Span::styled(binding.label, Style::new().add_modifier(Modifier::REVERSED)));
        spans.push(Span::raw(format!(" {} ", binding.words(app.lang))));
        x += width + 1;
    }
    let lines: Vec<Line> = split_lines(spans);
    frame.render_widget(Paragraph::new(lines), area);
}

fn split_lines(spans: Vec<Span<'static>>) -> Vec<Line<'static>> {
    let mut lines = vec![Line::default()];
    for span in spans {
        if span.content == "\n" {
            lines.push(Line::default());
        } else {
            lines.last_mut().expect("one line at least").push_span(span);
        }
    }
    lines
}

/// The help popup: every key of the mode under it, from the same table as the hints.
fn help(frame: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang;
    let mut lines: Vec<Line> = keymap::bindings(app.under)
        .into_iter()
        .map(|b| {
            Line::from(vec![Span::styled(format!("{:>6} ", b.label), Style::new().bold()), Span::raw(b.words(lang))])
        })
        .collect();
    lines.push(Line::from(format!("{:>6} {}", "Ctrl-C", lang.pick("выход отовсюду", "quit from anywhere"))));
    if app.under == Mode::Building {
        lines.push(legend(lang));
    }
    let block = Block::new().borders(Borders::ALL).title(lang.pick(" Клавиши ", " Keys "));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// Votes for people: two decimals with the language's separator.
pub fn votes(value: &Votes, lang: Lang) -> String {
    decimal(value, 2, lang.decimal_separator())
}

/// The name people use for an outcome, short.
pub fn outcome_short(outcome: Outcome, lang: Lang) -> &'static str {
    match outcome {
        Outcome::Delivered => lang.pick("вручено", "delivered"),
        Outcome::Absent => lang.pick("не застали", "absent"),
        Outcome::Refused => lang.pick("отказ", "refused"),
        Outcome::Consent => lang.pick("согласие", "consent"),
        Outcome::Contact => lang.pick("контакт", "contact"),
        Outcome::Letter => lang.pick("письмо", "letter"),
    }
}

/// A tap target over a line of the body.
pub fn hit_row(app: &mut App, area: Rect, row: u16, action: Action) {
    if row < area.height {
        app.hits.push((Rect::new(area.x, area.y + row, area.width, 1), action));
    }
}
