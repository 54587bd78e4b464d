//! The help over a screen: every key of the layer under it, on both layouts (`d/в`), from the
//! same rows as its hint line.

use obhod_core::Lang;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Layer;
use crate::app::keymap::{Action, Binding, Char, Esc, bind};
use crate::app::view::{cells, pad_left};

pub const KEYS: &[Binding] = &[bind(&[Esc, Char('?'), Char('q')], "Esc", Action::Back, "закрыть", "close", true)];

/// Draws the help for `under` over `area`, or over `spare` more rows below it where the keys need
/// them; returns whether it took them.
pub fn draw(frame: &mut Frame, under: &Layer, lang: Lang, area: Rect, spare: u16) -> bool {
    let rows = under.rows();
    let mut keys: Vec<(String, &str)> = rows.iter().map(|b| (b.keys_text(), b.words(lang))).collect();
    keys.push(("Ctrl-C".into(), lang.pick("выход отовсюду", "quit from anywhere")));
    let column = keys.iter().map(|(k, _)| cells(k)).max().unwrap_or(0);
    let lines: Vec<Line> = keys
        .into_iter()
        .map(|(k, words)| {
            Line::from(vec![Span::styled(pad_left(&k, column), Style::new().bold()), Span::raw(format!(" {words}"))])
        })
        .collect();
    let title = format!(" {}: {} ", lang.pick("Клавиши", "Keys"), under.title(lang));
    let block = Block::new().borders(Borders::ALL).title(title.clone());
    // As large as the keys need, in the middle: the screen it belongs to shows around it.
    let keys_width = lines.iter().map(|l| l.width()).chain([cells(&title)]).max();
    let width = (keys_width.unwrap_or(0) as u16 + 3).min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let height: usize = lines.iter().map(|l| l.width().div_ceil(inner).max(1)).sum();
    let needed = height as u16 + 2;
    let grown = needed > area.height && spare > 0;
    let area = if grown { Rect { height: area.height + spare, ..area } } else { area };
    let area = area.centered(Constraint::Length(width), Constraint::Length(needed.min(area.height)));
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
    grown
}
