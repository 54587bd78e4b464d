//! The building view: the tabs of entrances, then the floors top to bottom with a cell per flat;
//! the tab of other premises is a list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keymap::{Action, BackTab, Binding, Char, Enter, Tab, bind};
use crate::app::view::{Door, cells, hit_row, legend, pad_left};
use crate::app::{App, Layer};

pub const KEYS: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Tab, Char(']')], "Tab", Action::NextTab, "подъезд", "entrance", true),
    bind(&[BackTab, Char('[')], "[", Action::PrevTab, "пред. подъезд", "prev. entrance", false),
    bind(&[Char('w')], "w", Action::Walk, "обход", "walk", true),
    bind(&[Char('v')], "v", Action::Quorum, "кворум", "quorum", true),
    bind(&[Char('c')], "c", Action::Conflicts, "конфликты решений", "ballot conflicts", false),
    bind(&[Char('g')], "g", Action::Devices, "устройства", "devices", false),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", true),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", true),
];

pub fn update(app: &mut App, action: Action) -> Option<String> {
    match action {
        Action::Up | Action::Down | Action::Left | Action::Right => {
            app.cursor = app.tabs.step(app.tab, app.cursor, action);
        }
        Action::NextTab | Action::PrevTab | Action::Tab(_) => app.switch_tab(action),
        Action::Open => app.open(app.cursor),
        Action::Select(premise) => app.open(premise),
        Action::Walk => {
            app.walk = 0;
            app.push(Layer::Walk);
        }
        Action::Quorum => {
            app.quorum = 0;
            app.push(Layer::Quorum);
        }
        Action::Conflicts => app.push(Layer::Conflicts { scroll: 0 }),
        Action::Devices => app.push(Layer::Devices),
        _ => {}
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let tabs_area = Rect { height: 1, ..area };
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    draw_tabs(frame, app, tabs_area);
    let Some(tab) = app.tabs.tabs.get(app.tab) else {
        frame.render_widget(Paragraph::new(app.lang.pick("В реестре нет помещений", "No premises")), body);
        return;
    };
    let legend_height = if area.width >= 80 { 1 } else { 2 };
    let grid = Rect { height: body.height.saturating_sub(legend_height), ..body };
    let legend_area = Rect { y: grid.y + grid.height, height: body.height - grid.height, ..body };
    if tab.entrance.is_none() {
        draw_list(frame, app, grid);
    } else if area.width >= 80 {
        let (left, right) = (Rect { width: 40, ..grid }, Rect { x: grid.x + 41, width: grid.width - 41, ..grid });
        draw_grid(frame, app, left);
        super::card::preview(frame, app, right);
    } else {
        draw_grid(frame, app, grid);
    }
    let legend_text = Paragraph::new(legend(app.lang)).wrap(ratatui::widgets::Wrap { trim: true });
    frame.render_widget(legend_text, legend_area);
}

/// `Подъезд 1 2 3 4 · прочие`, each name a tap target.
pub fn draw_tabs(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let mut spans = vec![Span::raw(lang.pick("Подъезд ", "Entrance "))];
    let mut x = area.x + spans[0].width() as u16;
    for (i, tab) in app.tabs.tabs.iter().enumerate() {
        let name = match &tab.entrance {
            Some(entrance) => format!(" {entrance} "),
            None => format!(" {} ", lang.pick("прочие", "other")),
        };
        let cells = cells(&name) as u16;
        let style = if i == app.tab { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        app.hits.push((Rect::new(x, area.y, cells, 1), Action::Tab(i)));
        spans.push(Span::styled(name, style));
        x += cells;
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_grid(frame: &mut Frame, app: &mut App, area: Rect) {
    let tab = &app.tabs.tabs[app.tab];
    let registry = app.campaign.registry();
    let label_width = tab.rows.iter().flat_map(|(_, r)| r).map(|&p| cells(&registry.premises[p].label)).max();
    let cell = label_width.unwrap_or(1) as u16 + 3;
    let floor_width = 4;
    let visible = area.height as usize;
    let cursor_row = tab.rows.iter().position(|(_, r)| r.contains(&app.cursor)).unwrap_or(0);
    let first = (cursor_row + 1).saturating_sub(visible);
    // A floor wider than the screen scrolls sideways with the cursor.
    let columns = (area.width.saturating_sub(floor_width) / cell).max(1) as usize;
    let cursor_column =
        tab.rows.get(cursor_row).and_then(|(_, r)| r.iter().position(|&p| p == app.cursor)).unwrap_or(0);
    let first_column = (cursor_column + 1).saturating_sub(columns);
    let mut lines = Vec::new();
    let mut hits = Vec::new();
    for (row, (floor, flats)) in tab.rows.iter().enumerate().skip(first).take(visible) {
        let y = area.y + (row - first) as u16;
        let floor = floor.map_or_else(|| "  ".to_string(), |f| f.to_string());
        let mut spans = vec![Span::styled(format!("{floor:>2} │"), Style::new().add_modifier(Modifier::DIM))];
        for (column, &premise) in flats.iter().enumerate().skip(first_column) {
            let x = area.x + floor_width + (column - first_column) as u16 * cell;
            if x + cell > area.x + area.width {
                break;
            }
            let door = Door::of(&app.canvass.premises[premise]);
            let label = &registry.premises[premise].label;
            let mut style = door.style();
            if premise == app.cursor {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            spans.push(Span::styled(format!(" {}{}", pad_left(label, cell as usize - 3), door.symbol()), style));
            spans.push(Span::raw(" "));
            hits.push((Rect::new(x, y, cell - 1, 1), Action::Select(premise)));
        }
        lines.push(Line::from(spans));
    }
    app.hits.extend(hits);
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_list(frame: &mut Frame, app: &mut App, area: Rect) {
    let tab = &app.tabs.tabs[app.tab];
    let lang = app.lang;
    let registry = app.campaign.registry();
    let visible = area.height as usize;
    let doors: Vec<usize> = tab.rows.iter().map(|(_, r)| r[0]).collect();
    let selected = doors.iter().position(|&p| p == app.cursor).unwrap_or(0);
    let first = (selected + 1).saturating_sub(visible);
    let mut lines = Vec::new();
    let mut hits = Vec::new();
    for (row, &premise) in doors.iter().enumerate().skip(first).take(visible) {
        let p = &registry.premises[premise];
        let status = &app.canvass.premises[premise];
        let door = Door::of(status);
        let owner = status.owners.first().map_or("", |o| o.owner.name.as_str());
        let mut style = Style::new();
        if premise == app.cursor {
            style = style.add_modifier(Modifier::REVERSED);
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", door.symbol()), door.style()),
            Span::styled(format!("{} · {} · {owner}", p.label, p.kind.title(lang)), style),
        ]));
        hits.push(row - first);
    }
    for row in hits {
        hit_row(app, area, row as u16, Action::Select(doors[first + row]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
