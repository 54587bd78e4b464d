//! The quorum panel: votes in hand against votes needed, each question so far, and the best
//! doors to knock on (the largest holdings yet to vote).

use obhod_core::Votes;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::app::keymap::{Action, Backspace, Binding, Char, Enter, Esc, bind};
use crate::app::view::{hit_row, outcome_short, votes};

pub const KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Esc, Backspace, Char('v')], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

pub fn update(app: &mut App, action: Action) -> Option<String> {
    let doors = app.best_doors();
    match action {
        Action::Up => app.quorum = app.quorum.saturating_sub(1),
        Action::Down => app.quorum = (app.quorum + 1).min(doors.len().saturating_sub(1)),
        Action::Open => {
            if let Some(&premise) = doors.get(app.quorum) {
                app.open(premise);
            }
        }
        Action::Select(premise) => app.open(premise),
        _ => {}
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
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

impl App {
    /// Premises holding the largest holdings that have not voted yet: the best doors tonight.
    pub fn best_doors(&self) -> Vec<usize> {
        let Some(tally) = &self.tally else { return Vec::new() };
        let weights = self.campaign.weights();
        let mut waiting: Vec<usize> = (0..weights.holdings.len()).filter(|&h| !tally.took_part[h]).collect();
        waiting.sort_by(|&a, &b| weights.holdings[b].votes.cmp(&weights.holdings[a].votes));
        let mut doors: Vec<usize> = Vec::new();
        for h in waiting {
            let premise = weights.holdings[h].premise;
            if !doors.contains(&premise) {
                doors.push(premise);
            }
        }
        doors
    }
}
