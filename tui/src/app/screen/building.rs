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
    bind(&[Char('b')], "b", Action::Ballot, "ввод решения", "enter a ballot", false),
    bind(&[Char('e')], "e", Action::Check, "сверка решения", "check a ballot", false),
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
        // The panel opens where it was left: the door chosen, the rows shown.
        Action::Quorum => app.push(Layer::Quorum),
        Action::Conflicts => app.push(Layer::Conflicts { scroll: 0 }),
        Action::Devices => app.push(Layer::Devices),
        Action::Ballot => super::ballot::open(app, None, false),
        Action::Check => super::ballot::open(app, None, true),
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

/// `Подъезд 1 2 3 4 · прочие`, each name a tap target. Where they do not all fit (a building of
/// twenty entrances on a phone), the one shown is named first, «Подъезд 17 из 20», then the tabs
/// around it, with `‹` and `›` where some are left out (a tap there shows the one before or after).
pub fn draw_tabs(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let names: Vec<String> = app
        .tabs
        .tabs
        .iter()
        .map(|tab| match &tab.entrance {
            Some(entrance) => format!(" {entrance} "),
            None => format!(" {} ", lang.pick("прочие", "other")),
        })
        .collect();
    let prefix = lang.pick("Подъезд ", "Entrance ");
    let all = cells(prefix) + names.iter().map(|name| cells(name)).sum::<usize>();
    let (label, window) = if all <= usize::from(area.width) {
        (prefix.to_string(), 0..names.len())
    } else {
        let entrances = app.tabs.tabs.iter().filter(|tab| tab.entrance.is_some()).count();
        let label = match app.tabs.tabs.get(app.tab).and_then(|tab| tab.entrance.as_ref()) {
            Some(entrance) => format!("{prefix}{entrance} {} {entrances} ", lang.pick("из", "of")),
            None => lang.pick("Прочие помещения ", "Other premises ").to_string(),
        };
        let room = usize::from(area.width).saturating_sub(cells(&label) + 2);
        (label, window(&names, app.tab, room))
    };
    let scrolled = window.len() < names.len();
    let mut spans = vec![Span::raw(label)];
    let mut hits = Vec::new();
    let mut x = area.x + spans[0].width() as u16;
    if scrolled {
        if window.start > 0 {
            hits.push((Rect::new(x, area.y, 1, 1), Action::PrevTab));
        }
        spans.push(Span::raw(if window.start > 0 { "‹" } else { " " }));
        x += 1;
    }
    for i in window.clone() {
        let cells = cells(&names[i]) as u16;
        let style = if i == app.tab { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
        hits.push((Rect::new(x, area.y, cells, 1), Action::Tab(i)));
        spans.push(Span::styled(names[i].clone(), style));
        x += cells;
    }
    if scrolled && window.end < names.len() {
        hits.push((Rect::new(x, area.y, 1, 1), Action::NextTab));
        spans.push(Span::raw("›"));
    }
    app.hits.extend(hits);
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The most tabs around `current` that fit in `room` cells.
fn window(names: &[String], current: usize, room: usize) -> std::ops::Range<usize> {
    let current = current.min(names.len().saturating_sub(1));
    let (mut start, mut end) = (current, current + 1);
    let mut used = names.get(current).map_or(0, |name| cells(name));
    loop {
        let right = names.get(end).map(|name| cells(name)).filter(|w| used + w <= room);
        if let Some(w) = right {
            (end, used) = (end + 1, used + w);
        }
        let left = start.checked_sub(1).map(|i| cells(&names[i])).filter(|w| used + w <= room);
        if let Some(w) = left {
            (start, used) = (start - 1, used + w);
        }
        if right.is_none() && left.is_none() {
            return start..end;
        }
    }
}

/// The floors of an entrance, a cell per flat. A floor wider than the screen scrolls sideways
/// with the cursor (the columns shown stay while it moves within them), and a floor with flats
/// out of sight says so: `‹` in place of its wall, `›` after its last cell shown.
fn draw_grid(frame: &mut Frame, app: &mut App, area: Rect) {
    let tab = &app.tabs.tabs[app.tab];
    let registry = app.campaign.registry();
    let label_width = tab.rows.iter().flat_map(|(_, r)| r).map(|&p| cells(&registry.premises[p].label)).max();
    let cell = label_width.unwrap_or(1) as u16 + 3;
    let floor_width = 4;
    let cursor_row = tab.rows.iter().position(|(_, r)| r.contains(&app.cursor)).unwrap_or(0);
    // More floors than rows: a line over them, under them or both count the floors out of sight,
    // and the floors shown stay while the cursor moves within them.
    let (total, height) = (tab.rows.len(), area.height as usize);
    let keep = |visible: usize| {
        app.grid_top.min(cursor_row).max((cursor_row + 1).saturating_sub(visible)).min(total - visible)
    };
    let (first, visible, above, below) = match total.checked_sub(height) {
        None | Some(0) => (0, total, false, false),
        Some(_) if height < 3 => (keep(1), 1, false, false),
        Some(_) => match keep(height - 1) {
            0 => (0, height - 1, false, true),
            first if first + height - 1 == total => (first, height - 1, true, false),
            _ => (keep(height - 2), height - 2, true, true),
        },
    };
    let columns = (area.width.saturating_sub(floor_width) / cell).max(1) as usize;
    let cursor_column =
        tab.rows.get(cursor_row).and_then(|(_, r)| r.iter().position(|&p| p == app.cursor)).unwrap_or(0);
    let widest = tab.rows.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
    let left = app.grid_left.min(cursor_column).max((cursor_column + 1).saturating_sub(columns));
    let left = left.min(widest.saturating_sub(columns));
    let mut lines = Vec::new();
    let mut hits = Vec::new();
    let dim = Style::new().add_modifier(Modifier::DIM);
    let floors = |n: usize, arrow: &str, side: (&str, &str)| {
        let n_floors = app.lang.count(n as u64, ["этаж", "этажа", "этажей"], ["floor", "floors"]);
        let text = if n == 0 {
            String::new()
        } else {
            format!("   {arrow} {} {n_floors} {}", app.lang.pick("ещё", "more"), app.lang.pick(side.0, side.1))
        };
        Line::from(Span::styled(text, dim))
    };
    if above {
        lines.push(floors(first, "↑", ("выше", "above")));
    }
    let top = area.y + u16::from(above);
    for (row, (floor, flats)) in tab.rows.iter().enumerate().skip(first).take(visible) {
        let y = top + (row - first) as u16;
        let floor = floor.map_or_else(|| "  ".to_string(), |f| f.to_string());
        let wall = if left > 0 && flats.len() > left { "‹" } else { "│" };
        let mut spans = vec![Span::styled(format!("{floor:>2} {wall}"), dim)];
        for (column, &premise) in flats.iter().enumerate().skip(left).take(columns) {
            let x = area.x + floor_width + (column - left) as u16 * cell;
            let door = Door::of(&app.canvass.premises[premise]);
            let label = &registry.premises[premise].label;
            let mut style = door.style();
            if premise == app.cursor {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            spans.push(Span::styled(format!(" {}{}", pad_left(label, cell as usize - 3), door.symbol()), style));
            // The last cell's space says when more flats of the floor are to the right.
            let more = column + 1 == left + columns && flats.len() > left + columns;
            spans.push(Span::styled(if more { "›" } else { " " }, dim));
            hits.push((Rect::new(x, y, cell - 1, 1), Action::Select(premise)));
        }
        lines.push(Line::from(spans));
    }
    if below {
        lines.push(floors(total - first - visible, "↓", ("ниже", "below")));
    }
    app.grid_top = first;
    app.grid_left = left;
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
