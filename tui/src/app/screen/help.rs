//! The help over a screen: every key of the layer under it, on both layouts (`d/в`), from the
//! same rows as its hint line; then «Обозначения»: every short form of the header (from the table
//! the header is drawn from) and of the screen, with what it means. It scrolls where it does not
//! fit.

use obhod_core::Lang;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Layer;
use crate::app::App;
use crate::app::keymap::{Action, Binding, Char, Down, Esc, PageDown, PageUp, Up, bind};
use crate::app::view::{cells, header, pad_left, wrap};

pub const KEYS: &[Binding] = &[
    bind(&[Esc, Char('?'), Char('q')], "Esc", Action::Back, "закрыть", "close", true),
    bind(&[Down, Char('j')], "↓", Action::Down, "дальше", "further", true),
    bind(&[Up, Char('k')], "↑", Action::Up, "назад", "back up", false),
    bind(&[PageDown], "PgDn", Action::PageDown, "страница дальше", "next page", false),
    bind(&[PageUp], "PgUp", Action::PageUp, "страница назад", "page back", false),
];

/// Scrolls the help (the draw keeps it within its lines).
pub fn update(app: &mut App, action: Action) -> Option<String> {
    let page = app.size.map_or(10, |(_, h)| h.saturating_sub(8).max(1));
    app.help_scroll = match action {
        Action::Up => app.help_scroll.saturating_sub(1),
        Action::Down => app.help_scroll.saturating_add(1),
        Action::PageUp => app.help_scroll.saturating_sub(page),
        Action::PageDown => app.help_scroll.saturating_add(page),
        _ => app.help_scroll,
    };
    None
}

/// The short forms a screen shows besides the header's, with their meanings.
fn signs(layer: &Layer, lang: Lang) -> Vec<(&'static str, &'static str)> {
    match layer {
        Layer::Card => super::card::signs(lang),
        Layer::Walk => vec![(lang.pick("эт.", "fl."), lang.pick("этаж", "floor"))],
        Layer::Quorum => vec![(lang.pick("гол.", "votes"), lang.pick("голосов", "votes"))],
        _ => Vec::new(),
    }
}

/// Draws the help for `under` over `area`, or over `spare` more rows below it where it needs
/// them; returns whether it took them.
pub fn draw(frame: &mut Frame, app: &mut App, under: &Layer, area: Rect, spare: u16) -> bool {
    let lang = app.lang;
    let rows = under.rows();
    let mut keys: Vec<(String, &str)> = rows.iter().map(|b| (b.keys_text(), b.words(lang))).collect();
    keys.push(("Ctrl-C".into(), lang.pick("выход отовсюду", "quit from anywhere")));
    let column = keys.iter().map(|(k, _)| cells(k)).max().unwrap_or(0);
    let mut lines: Vec<Line> = keys
        .into_iter()
        .map(|(k, words)| {
            Line::from(vec![Span::styled(pad_left(&k, column), Style::new().bold()), Span::raw(format!(" {words}"))])
        })
        .collect();
    let title = format!(" {}: {} ", lang.pick("Клавиши", "Keys"), under.title(lang));
    // As wide as the keys need, and room for the signs' words; in the middle, the screen it
    // belongs to around it.
    let keys_width = lines.iter().map(|l| l.width()).chain([cells(&title)]).max().unwrap_or(0) as u16;
    let width = (keys_width + 3).max(area.width.min(90)).min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    lines.push(Line::default());
    lines.push(Line::styled(lang.pick("Обозначения", "Signs"), Style::new().add_modifier(Modifier::BOLD)));
    let fields = header::fields(app);
    let mut explained: Vec<(String, &str)> = fields.iter().map(|f| (f.short.clone(), f.meaning)).collect();
    explained.extend(signs(under, lang).into_iter().map(|(sign, meaning)| (sign.to_string(), meaning)));
    for (sign, meaning) in explained {
        for (i, line) in wrap(&format!("{sign} — {meaning}"), inner.saturating_sub(2)).into_iter().enumerate() {
            let indent = if i == 0 { "" } else { "  " };
            lines.push(Line::from(format!("{indent}{line}")));
        }
    }
    let needed = lines.len() as u16 + 2;
    let grown = needed > area.height && spare > 0;
    let area = if grown { Rect { height: area.height + spare, ..area } } else { area };
    let area = area.centered(Constraint::Length(width), Constraint::Length(needed.min(area.height)));
    let shown = area.height.saturating_sub(2);
    let hidden = (lines.len() as u16).saturating_sub(shown);
    app.help_scroll = app.help_scroll.min(hidden);
    let mut block = Block::new().borders(Borders::ALL).title(title);
    if hidden > 0 {
        let below = hidden - app.help_scroll;
        let sign = match (app.help_scroll, below) {
            (_, 1..) => format!(" ↓ {} {below} ", lang.pick("ещё", "more")),
            _ => format!(" ↑ {} {} ", lang.pick("ещё", "more"), app.help_scroll),
        };
        block = block.title_bottom(sign);
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((app.help_scroll, 0)), area);
    grown
}
