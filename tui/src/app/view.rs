//! Drawing the app: a header with progress, the screen under the top of the stack with its
//! overlays, a red line while the store cannot keep facts, the message line and the key hints of
//! the top layer (tappable); on a window too small for that, a field being typed into alone
//! (`compact`), or what the window needs (`too_small`). Every state reads without colour too: a
//! symbol goes with it. Widths are terminal cells (a wide letter or an emoji takes two), never
//! chars.

use obhod_core::{Fmt, Lang, Outcome, PremiseStatus, Votes};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use unicode_width::UnicodeWidthStr;

use super::keymap::Action;
use super::screen::{self, help, prompt};
use super::{App, Fit, Layer};

pub mod header;

/// The smallest screen the app is laid out for (a phone in Termux).
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 20;
/// The least height the ballot entry is drawn in full at (from `MIN_WIDTH` wide): its steps are
/// keys typed on a phone with the keyboard open (45×14).
pub const BALLOT_HEIGHT: u16 = 12;
/// The smallest window a field can be typed into (a phone with its keyboard open, turned).
pub const COMPACT_WIDTH: u16 = 20;
pub const COMPACT_HEIGHT: u16 = 5;

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
            Door::Letter => lang.pick("отмечено «письмо»", "marked «letter»"),
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
    // A write here may have caught up with a registry another process updated, and a refused one
    // reloads nothing: no index into the old registry is drawn.
    app.follow_registry();
    app.hits.clear();
    let area = frame.area();
    app.size = Some((area.width, area.height));
    match app.fit() {
        Fit::Full => {}
        Fit::Compact => return compact(frame, app, area),
        Fit::TooSmall => return too_small(frame, app, area),
    }
    let top = app.top().clone();
    let hint_height = hint_lines(&top, app.lang, area.width);
    // The store's failure, named with its file, on up to three lines.
    let error_lines = app.error.as_ref().map_or_else(Vec::new, |f| f.lines(app.lang, usize::from(area.width), 3));
    let error_height = error_lines.len() as u16;
    let header_lines = header::lines(app, area.width);
    // A message too long for one line (why a mark was refused) takes two rather than lose its end;
    // a field being typed into takes up to three lines under it, the message (a letter refused) on
    // one line over it; the consent question its one line.
    let prompt = prompt::lines(app, usize::from(area.width), 3);
    let message_cells = app.message.as_deref().map_or(0, cells);
    let message_lines = message_cells.div_ceil(usize::from(area.width)).clamp(1, 2) as u16;
    let message_height = match (&top, &prompt) {
        (Layer::Confirm, _) => 1,
        (_, Some(prompt)) => prompt.len() as u16 + u16::from(app.message.is_some()),
        _ => message_lines,
    };
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
        help_over_message = help::draw(frame, app, &below, body, spare);
    }
    if !error_lines.is_empty() {
        let style = Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD);
        let lines: Vec<Line> = error_lines.into_iter().map(Line::from).collect();
        frame.render_widget(Paragraph::new(lines).style(style), error);
    }
    match (&top, prompt) {
        (Layer::Confirm, _) => frame.render_widget(Paragraph::new(prompt::question(app.lang)), message),
        (_, Some(prompt)) => {
            let typed =
                Rect { y: message.y + message.height - prompt.len() as u16, height: prompt.len() as u16, ..message };
            draw_message(frame, app, Rect { height: message.height - typed.height, ..message });
            frame.render_widget(Paragraph::new(prompt), typed);
        }
        // The help reaches over the message's line (see above).
        _ if help_over_message => {}
        _ => draw_message(frame, app, message),
    }
    draw_hints(frame, app, &top, hints);
}

/// A field being typed into on a window too small for the screens (a phone with its keyboard
/// open): the field's name, the text with the cursor over every row it has, the message (a letter
/// refused), the store's failure, and the keys Enter and Esc.
fn compact(frame: &mut Frame, app: &mut App, area: Rect) {
    let top = app.top().clone();
    let hint_height = hint_lines(&top, app.lang, area.width).min(2);
    let width = usize::from(area.width);
    // The field keeps one row at least; the message and the store's failure take one each if
    // they leave it that.
    let mut spare = area.height.saturating_sub(1 + hint_height + 1);
    let mut one_line = |present: bool| {
        let take = present && spare > 0;
        spare -= u16::from(take);
        u16::from(take)
    };
    let error_height = one_line(app.error.is_some());
    let message_height = one_line(app.message.is_some());
    let [label, text, message, error, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message_height),
        Constraint::Length(error_height),
        Constraint::Length(hint_height),
    ])
    .areas(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    frame.render_widget(Paragraph::new(Span::styled(prompt::compact_label(app, width), bold)), label);
    let typed = prompt::typed_lines(app, width, usize::from(text.height));
    frame.render_widget(Paragraph::new(typed.into_iter().map(Line::from).collect::<Vec<_>>()), text);
    if message_height > 0 {
        let text = head(app.message.as_deref().unwrap_or_default(), width);
        frame.render_widget(Paragraph::new(text).style(message_style(app.caution)), message);
    }
    if error_height > 0 {
        // The failure fitted to one line: the reason and its file, shortened as it must be.
        let text = app.error.as_ref().and_then(|f| f.lines(app.lang, width, 1).into_iter().next()).unwrap_or_default();
        let style = Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD);
        frame.render_widget(Paragraph::new(text).style(style), error);
    }
    draw_hints(frame, app, &top, hints);
}

/// The window is too small for the screen on top: what it needs, what still works, and the
/// message (the question before quitting with a note not recorded).
fn too_small(frame: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang;
    let now = format!("{} {}×{}", lang.pick("сейчас", "now"), area.width, area.height);
    let text = if app.typing() {
        // Short enough for the few rows it has.
        format!(
            "{} {COMPACT_WIDTH}×{COMPACT_HEIGHT} ({now}): {}",
            lang.pick("Окно меньше", "The window is under"),
            lang.pick("буквы не принимаются. Ctrl-C — выход", "no letter is taken. Ctrl-C quits")
        )
    } else {
        let keys = match app.top() {
            Layer::Card => lang.pick(
                "Отметки ждут, пока оно вырастет; n — заметка, t — дата подписи, q — выход.",
                "Marks wait until it grows; n types a note, t the date signed, q quits.",
            ),
            _ => lang
                .pick("Пока оно мало, клавиши не действуют; q — выход.", "Until it grows, keys do nothing; q quits."),
        };
        format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT} ({now}). {keys}",
            lang.pick("Окно мало: нужно не меньше", "The window is too small: at least"),
        )
    };
    // The message first: on the smallest window it is what must be read (a quit asked about).
    let mut lines = Vec::new();
    if let Some(message) = &app.message {
        lines.push(Line::from(Span::styled(message.clone(), message_style(app.caution))));
    }
    lines.push(Line::from(text));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let text = head(app.message.as_deref().unwrap_or_default(), usize::from(area.width * area.height));
    let paragraph = Paragraph::new(text).style(message_style(app.caution));
    frame.render_widget(paragraph.wrap(Wrap { trim: true }), area);
}

/// A warning (a notice recorded late, a note not recorded) in the warning colour; its words say it
/// without colour.
fn message_style(caution: bool) -> Style {
    match caution {
        true => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        false => Style::new().add_modifier(Modifier::ITALIC),
    }
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

/// A text broken into lines of at most `width` cells: at spaces where it can be, inside a word
/// longer than a line where it must (a pasted string without spaces).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        let needed = cells(word) + usize::from(!last.is_empty());
        if cells(last) + needed <= width {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
            continue;
        }
        if cells(word) <= width {
            lines.push(word.to_string());
            continue;
        }
        // A word longer than a line: split it by cells, going on from where the line stands.
        if !last.is_empty() {
            last.push(' ');
        }
        for c in word.chars() {
            let last = lines.last_mut().expect("one line at least");
            if cells(last) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > width {
                lines.push(String::new());
            }
            lines.last_mut().expect("one line at least").push(c);
        }
    }
    lines
}

/// At most `max` of the lines, the last one ending in `…` where some are left out.
pub fn elide(mut lines: Vec<String>, max: usize, width: usize) -> Vec<String> {
    if lines.len() > max {
        lines.truncate(max.max(1));
        let last = lines.last_mut().expect("one line at least");
        while !last.is_empty() && cells(last) + 1 > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// A text broken into lines of at most `width` cells wherever a line is full, as typed text is
/// shown (the cursor at its end).
pub fn wrap_chars(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width.max(2) {
            lines.push(String::new());
            used = 0;
        }
        lines.last_mut().expect("one line at least").push(c);
        used += w;
    }
    lines
}
