//! The conflicts screen: owners with different ballots recorded on different devices, which
//! questions differ, each variant in brief, and the command that keeps one. Until one is kept,
//! the tally leaves those questions invalid for the owner's holding.

use std::path::Path;

use obhod_core::Lang;
use obhod_store::{Conflict, Variant};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Layer;
use crate::app::App;
use crate::app::keymap::{Action, Backspace, Binding, Char, Down, Esc, Up, bind};

pub const KEYS: &[Binding] = &[
    bind(&[Esc, Backspace, Char('c')], "Esc", Action::Back, "назад", "back", true),
    bind(&[Up, Char('k')], "↑", Action::Up, "прокрутить вверх", "scroll up", false),
    bind(&[Down, Char('j')], "↓", Action::Down, "прокрутить вниз", "scroll down", false),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", true),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", true),
];

/// Scrolls the list.
pub fn update(app: &mut App, action: Action) -> Option<String> {
    if let Some(Layer::Conflicts { scroll }) = app.layers.last_mut() {
        match action {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            _ => {}
        }
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect, scroll: u16) {
    let lang = app.lang;
    let mut lines = Vec::new();
    if app.conflicts.is_empty() {
        lines.push(Line::from(lang.pick("Конфликтов нет.", "No conflicts.")));
    } else {
        let count = app.conflicts.len() as u64;
        let title = lang.count(
            count,
            ["конфликт решений", "конфликта решений", "конфликтов решений"],
            ["ballot conflict", "ballot conflicts"],
        );
        lines.push(Line::from(Span::styled(title, Style::new().fg(Color::Red).add_modifier(Modifier::BOLD))));
        lines.push(Line::from(Span::styled(
            lang.pick(
                "На разных устройствах записаны разные решения одного собственника. Пока не выбрано одно, вопросы с разными ответами не засчитываются.",
                "Different ballots of one owner were recorded on different devices. Until one is kept, the questions answered differently do not count.",
            ),
            Style::new().add_modifier(Modifier::DIM),
        )));
        for conflict in &app.conflicts {
            lines.extend(conflict_lines(conflict, lang));
        }
    }
    // Scrolled no further than the last line (counted before wrapping) can reach the top.
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    if let Some(Layer::Conflicts { scroll: kept }) =
        app.layers.iter_mut().rev().find(|l| matches!(l, Layer::Conflicts { .. }))
    {
        *kept = scroll;
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
}

fn conflict_lines(conflict: &Conflict, lang: Lang) -> Vec<Line<'static>> {
    let questions = conflict.questions.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    let differ = match conflict.questions.len() {
        0 => lang
            .pick("ответы совпадают; различаются дата или дефект", "the answers agree; date or defect differ")
            .to_string(),
        1 => format!("{} {questions}", lang.pick("различается вопрос", "differs: question")),
        _ => format!("{} {questions}", lang.pick("различаются вопросы", "differ: questions")),
    };
    let mut lines = vec![
        Line::default(),
        Line::from(Span::styled(
            format!("{} · {}", conflict.premise, conflict.owner),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        Line::from(format!("  {differ}")),
    ];
    for (n, variant) in conflict.variants.iter().enumerate() {
        lines.push(Line::from(format!("  {}) {}", n + 1, brief(variant, &conflict.questions, lang))));
    }
    lines.push(Line::from(Span::styled(
        format!("  {}", conflict.resolve_command(lang.pick("НОМЕР", "N"))),
        Style::new().fg(Color::Cyan),
    )));
    lines
}

/// A variant in brief: its answers to the questions that differ, then the file and line it came
/// from.
fn brief(variant: &Variant, questions: &[usize], lang: Lang) -> String {
    let answer = |q: usize| variant.answers.get(q - 1).copied().flatten().map_or("?", |a| a.title(lang));
    let mut parts: Vec<String> = questions.iter().map(|&q| format!("{q}: {}", answer(q))).collect();
    if questions.is_empty() {
        parts.extend(variant.received.map(|d| d.format("%d.%m.%Y").to_string()));
        parts.extend(variant.defect.clone());
    }
    let file = Path::new(&variant.file).file_name().map_or(variant.file.clone(), |f| f.to_string_lossy().into_owned());
    let source = match file.is_empty() {
        true => variant.source(lang),
        false => format!("{file}:{}", variant.line),
    };
    format!("{} — {source}", parts.join("; "))
}
