//! The walk list (the doors of an entrance in stairwell order, filtered) and the quorum panel
//! (votes in hand against votes needed, each question so far, the best doors to knock on).

use obhod_core::Votes;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::building::draw_tabs;
use super::{Door, hit_row, outcome_short, votes};
use crate::app::App;
use crate::app::keymap::Action;

pub fn walk(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    draw_tabs(frame, app, Rect { height: 1, ..area });
    let doors = app.walk_list();
    let next = doors.first().map_or(String::new(), |&p| {
        format!(" · {} {}", lang.pick("следующая", "next"), app.campaign.registry().premises[p].label)
    });
    let mut lines = vec![Line::from(vec![
        Span::raw(lang.pick("Фильтр: ", "Filter: ")),
        Span::styled(app.filter.words(lang), Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(format!(" ({}){next}", doors.len())),
    ])];
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    let visible = body.height.saturating_sub(1) as usize;
    let first = (app.walk + 1).saturating_sub(visible);
    let registry = app.campaign.registry();
    for (row, &premise) in doors.iter().enumerate().skip(first).take(visible) {
        let p = &registry.premises[premise];
        let status = &app.canvass.premises[premise];
        let door = Door::of(status);
        let mut text = format!("{} ", p.label);
        if let Some(floor) = p.floor {
            text.push_str(&format!("{} {floor} ", lang.pick("эт.", "fl.")));
        }
        text.push_str(&format!("· {}", door.words(lang)));
        let last_note = status
            .history
            .iter()
            .rev()
            .map(|&i| &app.canvass.facts[i])
            .find(|f| app.canvass.is_standing(f) && f.note.is_some())
            .and_then(|f| f.note.clone());
        if let Some(note) = last_note {
            text.push_str(&format!(" «{note}»"));
        }
        let style = if row == app.walk { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", door.symbol()), door.style()),
            Span::styled(text, style),
        ]));
    }
    if doors.is_empty() {
        lines.push(Line::from(lang.pick("  здесь таких дверей нет", "  no such doors here")));
    }
    for row in 0..doors.len().saturating_sub(first).min(visible) {
        hit_row(app, body, row as u16 + 1, Action::Select(doors[first + row]));
    }
    frame.render_widget(Paragraph::new(lines), body);
}

pub fn quorum(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let Some(tally) = &app.tally else {
        let text = lang.pick(
            "Решений собственников ещё нет. Добавьте их: obhod ballots import ballots.csv",
            "No ballots yet. Add them: obhod ballots import ballots.csv",
        );
        frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
        return;
    };
    let half = &tally.total / Votes::from_integer(2.into());
    let quorum = if tally.quorum {
        lang.pick("кворум есть", "quorum reached").to_string()
    } else {
        format!(
            "{} {}",
            lang.pick("не хватает более", "missing more than"),
            votes(&(&half - &tally.participated), lang)
        )
    };
    let mut lines = vec![
        Line::from(format!(
            "{} {} {} {}",
            lang.pick("Голосов:", "Votes:"),
            votes(&tally.participated, lang),
            lang.pick("из", "of"),
            votes(&tally.total, lang),
        )),
        Line::from(format!(
            "{} {}",
            lang.pick("Для кворума нужно больше", "Quorum needs more than"),
            votes(&half, lang)
        )),
        Line::from(Span::styled(quorum, Style::new().add_modifier(Modifier::BOLD))),
    ];
    let mut verdicts = vec![Span::raw(lang.pick("Вопросы: ", "Questions: "))];
    for q in &tally.questions {
        let mark = match q.adopted {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        verdicts.push(Span::raw(format!("{}{mark} ", q.number)));
    }
    lines.push(Line::from(verdicts));
    lines.push(Line::from(Span::styled(
        lang.pick("Крупнейшие не проголосовавшие:", "Largest holdings yet to vote:"),
        Style::new().add_modifier(Modifier::DIM),
    )));
    let header = lines.len();
    let doors = app.best_doors();
    let visible = (area.height as usize).saturating_sub(header);
    let first = (app.quorum + 1).saturating_sub(visible);
    let weights = app.campaign.weights();
    let registry = app.campaign.registry();
    for (row, &premise) in doors.iter().enumerate().skip(first).take(visible) {
        let waiting: Vec<&Votes> = weights
            .holdings
            .iter()
            .enumerate()
            .filter(|(h, holding)| holding.premise == premise && !tally.took_part[*h])
            .map(|(_, holding)| &holding.votes)
            .collect();
        let sum = obhod_core::weights::exact_sum(waiting.into_iter());
        let last = app.canvass.premises[premise].last_outcome.map_or("", |o| outcome_short(o, lang));
        let text = format!(
            "{} · {} {} {last}",
            registry.premises[premise].label,
            votes(&sum, lang),
            lang.pick("гол.", "votes")
        );
        let style = if row == app.quorum { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        lines.push(Line::from(Span::styled(text, style)));
    }
    for row in 0..doors.len().saturating_sub(first).min(visible) {
        hit_row(app, area, (header + row) as u16, Action::Select(doors[first + row]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
