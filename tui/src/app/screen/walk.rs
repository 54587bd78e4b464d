//! The walk list: the doors of an entrance in stairwell order, filtered (not yet notified, to
//! revisit, refused, marked «letter»), with each door's last note.

use obhod_core::{Lang, Outcome};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::building::draw_tabs;
use crate::app::App;
use crate::app::keymap::{Action, BackTab, Backspace, Binding, Char, Enter, Esc, Tab, bind};
use crate::app::view::{Door, head, hit_row};

/// Which doors the walk list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    NotNotified,
    Revisit,
    Refused,
    Letter,
}

impl Filter {
    const ORDER: [Filter; 5] = [Filter::NotNotified, Filter::Revisit, Filter::Refused, Filter::Letter, Filter::All];

    pub fn next(self) -> Filter {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => lang.pick("все", "all"),
            Filter::NotNotified => lang.pick("не уведомлены", "not notified"),
            Filter::Revisit => lang.pick("повторно (не застали)", "revisit (absent)"),
            Filter::Refused => lang.pick("отказы", "refused"),
            Filter::Letter => lang.pick("отмечены «письмо»", "marked «letter»"),
        }
    }
}

pub const KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Char('f')], "f", Action::Filter, "фильтр", "filter", true),
    bind(&[Tab, Char(']')], "Tab", Action::NextTab, "подъезд", "entrance", true),
    bind(&[BackTab, Char('[')], "[", Action::PrevTab, "пред. подъезд", "prev. entrance", false),
    bind(&[Esc, Backspace], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

pub fn update(app: &mut App, action: Action) -> Option<String> {
    let doors = app.walk_list();
    // The door under the cursor may have left the list (notified, say): the cursor stays on one.
    app.walk = app.walk.min(doors.len().saturating_sub(1));
    match action {
        Action::Filter => {
            app.filter = app.filter.next();
            app.walk = 0;
        }
        Action::NextTab | Action::PrevTab | Action::Tab(_) => app.switch_tab(action),
        action => {
            if let Some(premise) = super::door_list(&mut app.walk, &doors, action) {
                app.open(premise);
            }
        }
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    draw_tabs(frame, app, Rect { height: 1, ..area });
    let doors = app.walk_list();
    app.walk = app.walk.min(doors.len().saturating_sub(1));
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
            .and_then(|f| f.note.as_deref());
        if let Some(note) = last_note {
            // As much of it as the line can show: a note may be long.
            text.push_str(&format!(" «{}»", head(note, usize::from(body.width))));
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

impl App {
    /// The doors of the current tab in stairwell order that pass the filter.
    pub fn walk_list(&self) -> Vec<usize> {
        self.tabs.doors(self.tab).into_iter().filter(|&p| self.passes(p)).collect()
    }

    fn passes(&self, premise: usize) -> bool {
        let status = &self.canvass.premises[premise];
        if status.owners.is_empty() {
            return self.filter == Filter::All;
        }
        match self.filter {
            Filter::All => true,
            Filter::NotNotified => status.owners.iter().any(|o| !o.notified),
            Filter::Revisit => {
                status.last_outcome == Some(Outcome::Absent) && status.owners.iter().any(|o| !o.notified)
            }
            Filter::Refused => status.owners.iter().any(|o| o.refused),
            Filter::Letter => status.owners.iter().any(|o| o.letter),
        }
    }
}
