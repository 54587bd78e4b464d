//! The quorum panel: votes in hand against votes needed, each question so far, and the best
//! doors to knock on (the largest holdings yet to vote).

use obhod_core::{Count, Votes};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

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
    if let Some(premise) = super::door_list(&mut app.quorum, &doors, action) {
        app.open(premise);
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
    let count = Count::new(app.campaign.meeting(), tally, lang);
    let quorum = match count.missing_for_quorum() {
        None => lang.pick("кворум есть", "quorum reached").to_string(),
        Some(missing) => format!("{} {}", lang.pick("не хватает более", "missing more than"), count.votes(&missing)),
    };
    let mut lines = vec![Line::from(format!(
        "{} {} {} {} ({})",
        lang.pick("Голосов:", "Votes:"),
        count.votes(&tally.participated),
        lang.pick("из", "of"),
        count.votes(count.total()),
        count.percent(&tally.participated, count.total()),
    ))];
    if let Some(named) = count.named() {
        lines.push(Line::from(format!(
            "{} {} ({})",
            lang.pick("Свои решения*:", "Own ballots*:"),
            count.votes(named),
            count.percent(named, count.total()),
        )));
    }
    lines.push(Line::from(format!(
        "{} {}",
        lang.pick("Для кворума нужно больше", "Quorum needs more than"),
        count.votes(&count.half())
    )));
    lines.push(Line::from(Span::styled(quorum, Style::new().add_modifier(Modifier::BOLD))));
    if tally.quorum_depends_on_carried() {
        let caution = lang.pick("⚠ без помещений* кворума НЕТ", "⚠ without the premises* NO quorum");
        lines.push(Line::from(Span::styled(caution, Style::new().fg(Color::Red).add_modifier(Modifier::BOLD))));
    }
    let verdicts = tally.questions.iter().map(|q| {
        let mark = match q.adopted {
            Some(true) => "✓",
            Some(false) => "✗",
            None => "?",
        };
        let carried = if q.depends_on_carried() { "*" } else { "" };
        format!("{}{mark}{carried}", q.number)
    });
    lines.extend(packed(lang.pick("Вопросы:", "Questions:"), verdicts, area.width));
    if count.named().is_some() {
        lines.push(Line::from(Span::styled(
            lang.pick("* только помещения со своим решением", "* premises with their own ballot only"),
            Style::new().add_modifier(Modifier::DIM),
        )));
    }
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

/// Words after a title, packed into as many lines of `width` cells as they need.
fn packed(title: &str, words: impl Iterator<Item = String>, width: u16) -> Vec<Line<'static>> {
    let mut lines = vec![title.to_string()];
    for word in words {
        let last = lines.last_mut().expect("one line at least");
        if last.width() + 1 + word.width() > usize::from(width) {
            lines.push(word);
        } else {
            last.push(' ');
            last.push_str(&word);
        }
    }
    lines.into_iter().map(Line::from).collect()
}
