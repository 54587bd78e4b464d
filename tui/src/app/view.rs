//! Drawing the app: a header with progress, the screen under the top of the stack with its
//! overlays, a red line while the store cannot keep facts, the message line and the key hints of
//! the top layer (tappable). Every state reads without colour too: a symbol goes with it. Widths
//! are terminal cells (a wide letter or an emoji takes two), never chars.

use obhod_core::{Fmt, Lang, Outcome, PremiseStatus, Votes};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use super::keymap::Action;
use super::screen::{self, help, prompt};
use super::{App, Layer};

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
    /// Visited and spoken to (a consent, a contact), nobody notified yet.
    Met,
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
        } else if status.last_outcome == Some(Outcome::Absent) {
            Door::Absent
        } else if status.visits > 0 {
            Door::Met
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
            Door::Met => "◌",
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
            Door::Met => Color::Blue,
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
            Door::Met => lang.pick("говорили, не вручено", "met, not notified"),
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
            Door::Met => lang.pick("говорили", "met"),
            Door::Untouched => lang.pick("не были", "to visit"),
            Door::Unowned => lang.pick("ничьё", "no owner"),
        }
    }

    pub const LEGEND: [Door; 7] =
        [Door::Notified, Door::Partly, Door::Absent, Door::Refused, Door::Letter, Door::Met, Door::Untouched];
}

/// Draws the whole screen and records where taps land.
pub fn draw(frame: &mut Frame, app: &mut App) {
    app.hits.clear();
    let area = frame.area();
    app.size = Some((area.width, area.height));
    if app.too_small() {
        too_small(frame, app.lang, area);
        return;
    }
    let top = app.top().clone();
    let hint_height = hint_lines(&top, app.lang, area.width);
    // The store's failure, named with its file, on up to three lines.
    let error_lines = app.error.as_ref().map_or_else(Vec::new, |f| f.lines(app.lang, usize::from(area.width), 3));
    let error_height = error_lines.len() as u16;
    let header_lines = header(app, area.width);
    // A message too long for one line (why a mark was refused) takes two rather than lose its end;
    // a prompt keeps its one line.
    let prompting = matches!(top, Layer::Prompt { .. } | Layer::Confirm);
    let message_cells = app.message.as_deref().map_or(0, cells);
    let message_height = if prompting { 1 } else { message_cells.div_ceil(usize::from(area.width)).clamp(1, 2) as u16 };
    let [header_area, body, error, message, hints] = Layout::vertical([
        Constraint::Length(header_lines.len() as u16),
        Constraint::Min(1),
        Constraint::Length(error_height),
        Constraint::Length(message_height),
        Constraint::Length(hint_height),
    ])
    .areas(area);
    if app.body_top.is_some_and(|top| top != body.y) {
        app.changed = Some(std::time::Instant::now());
    }
    app.body_top = Some(body.y);
    frame.render_widget(Paragraph::new(header_lines), header_area);
    let under = app.screen().clone();
    screen::draw(frame, app, &under, body);
    if top.is_overlay() {
        // Only the overlay answers taps: nothing under it can be opened or marked by a tap.
        app.hits.clear();
    }
    let mut help_over_message = false;
    if top == Layer::Help {
        let below = app.layers.iter().rev().nth(1).cloned().unwrap_or(Layer::Building);
        // Where the keys do not fit the body (the card's on a phone's 20 rows), the help takes the
        // message's line too; never the red line of a store that fails.
        let spare = if error.height == 0 { message.height } else { 0 };
        help_over_message = help::draw(frame, &below, app.lang, body, spare);
    }
    if !error_lines.is_empty() {
        let style = Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD);
        let lines: Vec<Line> = error_lines.into_iter().map(Line::from).collect();
        frame.render_widget(Paragraph::new(lines).style(style), error);
    }
    match prompt::line(&top, app.lang, message.width as usize) {
        Some(line) => frame.render_widget(Paragraph::new(line), message),
        // The help reaches over the message's line (see above).
        None if help_over_message => {}
        None => draw_message(frame, app, message),
    }
    draw_hints(frame, app, &top, hints);
}

fn too_small(frame: &mut Frame, lang: Lang, area: Rect) {
    let text = format!(
        "{} {MIN_WIDTH}×{MIN_HEIGHT} ({} {}×{}). {}",
        lang.pick("Окно мало: нужно не меньше", "The window is too small: at least"),
        lang.pick("сейчас", "now"),
        area.width,
        area.height,
        lang.pick("Пока оно мало, клавиши не действуют; q — выход.", "Until it grows, keys do nothing; q quits.")
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// The lines over every screen: the address and the progress (one more line is one more push).
fn header(app: &App, width: u16) -> Vec<Line<'static>> {
    let lang = app.lang;
    let p = &app.progress;
    let total = &app.campaign.weights().total;
    let share = percent(&p.notified_votes, total, lang);
    let wide = width >= 80;
    let days = (obhod_core::mail::notice_deadline(app.campaign.meeting()) - app.today()).num_days();
    let long = format!(
        "{} {}/{} · {} {} · {} {} · {} {share} {} · {}",
        lang.pick("уведомлено", "notified"),
        p.notified,
        p.owners,
        lang.pick("писем к отправке", "letters to send"),
        p.letters,
        lang.pick("согласий", "consents"),
        p.consents,
        lang.pick("голоса:", "votes:"),
        lang.pick("от всех", "of all"),
        notice_days(days, lang)
    );
    // In words while they fit (the deadline last, so never cut off), else in signs.
    let progress = if long.width() <= usize::from(width) {
        long
    } else {
        let cons = lang.pick("согл.", "cons.");
        let due = lang.pick("срок", "due");
        format!("✓{}/{} ✉{} {cons}{} {share} {due} {days}", p.notified, p.owners, p.letters, p.consents)
    };
    let room = usize::from(width).saturating_sub(progress.width() + 1);
    let progress = match sync_status(app, room) {
        Some(sync) => format!("{progress} {sync}"),
        None => progress,
    };
    let mut lines = vec![
        Line::from(Span::styled(app.campaign.meeting().address.clone(), Style::new().add_modifier(Modifier::BOLD))),
        Line::from(progress),
    ];
    if let Some(conflicts) = conflicts_field(app) {
        // On the progress line while it fits, else on a line of its own.
        if cells(&lines[1].to_string()) + 3 + cells(&conflicts.content) <= usize::from(width) {
            lines[1].push_span(Span::raw(" · "));
            lines[1].push_span(conflicts);
        } else {
            lines.push(Line::from(conflicts));
        }
    }
    let unknown = app.campaign.unknown_facts() as u64;
    if unknown > 0 {
        let text = if wide {
            let facts = lang.count(unknown, ["факт", "факта", "фактов"], ["fact", "facts"]);
            format!(
                "⚠ {facts} {}",
                lang.pick("от более новой версии obhod: обновите obhod", "from a newer obhod: update obhod")
            )
        } else {
            format!(
                "⚠ {} {unknown}, {}",
                lang.pick("непонятных фактов:", "unknown facts:"),
                lang.pick("обновите obhod", "update obhod")
            )
        };
        lines.push(Line::from(Span::styled(text, Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))));
    }
    lines
}

/// The days left to the last day of the notice (D − 10), in words.
fn notice_days(days: i64, lang: Lang) -> String {
    let n = lang.count(days.unsigned_abs(), ["день", "дня", "дней"], ["day", "days"]);
    match (days, lang) {
        (0, _) => lang.pick("D − 10 сегодня", "D − 10 is today").into(),
        (1.., Lang::Ru) => format!("до D − 10: {n}"),
        (1.., Lang::En) => format!("{n} to D − 10"),
        (_, Lang::Ru) => format!("D − 10 прошёл {n} назад"),
        (_, Lang::En) => format!("D − 10 was {n} ago"),
    }
}

/// `конфликтов: N` in red while some owner has differing ballots from different devices.
fn conflicts_field(app: &App) -> Option<Span<'static>> {
    let n = app.conflicts.len();
    let text = format!("{} {n}", app.lang.pick("конфликтов:", "conflicts:"));
    (n > 0).then(|| Span::styled(text, Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)))
}

/// The sync state for the header in at most `room` cells (in words when they fit): devices
/// connected, facts not sent yet, when last synced.
fn sync_status(app: &App, room: usize) -> Option<String> {
    let sync = app.sync.as_ref()?;
    let lang = app.lang;
    let last = sync.last_sync().map_or_else(|| "—".to_string(), |at| at.format("%H:%M").to_string());
    let words = format!(
        "· {} {} · {} {} · {} {last}",
        lang.pick("на связи", "connected"),
        sync.connected(),
        lang.pick("не отправлено", "not sent"),
        sync.not_sent,
        lang.pick("синхр.", "synced"),
    );
    let signs = format!("⇄{} ↑{} {last}", sync.connected(), sync.not_sent);
    let least = format!("⇄{} ↑{}", sync.connected(), sync.not_sent);
    [words, signs].into_iter().find(|text| text.width() <= room).or(Some(least))
}

fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let text = head(app.message.as_deref().unwrap_or_default(), usize::from(area.width * area.height));
    // A warning (a notice recorded late) in the warning colour; its words say it without colour.
    let style = match app.caution {
        true => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        false => Style::new().add_modifier(Modifier::ITALIC),
    };
    let paragraph = Paragraph::new(text).style(style);
    frame.render_widget(paragraph.wrap(Wrap { trim: true }), area);
}

/// How many lines the key hints of a layer take at this width (at most 3).
fn hint_lines(top: &Layer, lang: Lang, width: u16) -> u16 {
    let (mut lines, mut x) = (1u16, 0u16);
    for binding in top.rows().into_iter().filter(|b| b.hint) {
        let w = (cells(binding.label) + cells(binding.words(lang)) + 2) as u16;
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
    // No-break spaces inside an entry: a narrow screen wraps between entries, never inside one.
    for door in Door::LEGEND {
        spans.push(Span::styled(door.symbol(), door.style()));
        spans.push(Span::raw(format!("\u{a0}{}  ", door.short(lang).replace(' ', "\u{a0}"))));
    }
    Line::from(spans)
}

/// The key hints of the top layer; each one is a tap target for its action.
fn draw_hints(frame: &mut Frame, app: &mut App, top: &Layer, area: Rect) {
    let mut spans = Vec::new();
    let (mut x, mut y) = (area.x, area.y);
    for binding in top.rows().into_iter().filter(|b| b.hint) {
        let text = format!("{} {}", binding.label, binding.words(app.lang));
        let w = cells(&text) as u16;
        if x > area.x && x + w > area.x + area.width {
            if y + 1 >= area.y + area.height {
                break;
            }
            spans.push(Span::raw("\n"));
            (x, y) = (area.x, y + 1);
        }
        app.hits.push((Rect::new(x, y, w, 1), binding.action));
        spans.push(Span::styled(binding.label, Style::new().add_modifier(Modifier::REVERSED)));
        spans.push(Span::raw(format!(" {} ", binding.words(app.lang))));
        x += w + 1;
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

/// A share of a whole for people: `64,20 %`.
pub fn percent(part: &Votes, whole: &Votes, lang: Lang) -> String {
    format!("{} %", Fmt(lang).percent(part, whole))
}

/// Votes for people, as every output prints them: `33,33`.
pub fn votes(value: &Votes, lang: Lang) -> String {
    Fmt(lang).votes(value)
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
        Outcome::Sent => lang.pick("отправлено", "sent"),
    }
}

/// A tap target over a line of the body.
pub fn hit_row(app: &mut App, area: Rect, row: u16, action: Action) {
    if row < area.height {
        app.hits.push((Rect::new(area.x, area.y + row, area.width, 1), action));
    }
}

/// How many terminal cells a text takes.
pub fn cells(text: &str) -> usize {
    text.width()
}

/// A text right-aligned in `cells` cells (left as it is when wider).
pub fn pad_left(text: &str, cells: usize) -> String {
    format!("{}{text}", " ".repeat(cells.saturating_sub(self::cells(text))))
}

/// The start of a text that fits in `cells` cells, with `…` where it is cut.
pub fn head(text: &str, cells: usize) -> String {
    if self::cells(text) <= cells {
        return text.to_string();
    }
    let mut used = 1;
    let mut out = String::new();
    for c in text.chars() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > cells {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// The end of a text that fits in `cells` cells.
pub fn tail(text: &str, cells: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices().rev() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > cells {
            return &text[i + c.len_utf8()..];
        }
    }
    text
}
