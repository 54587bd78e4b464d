//! The group's devices: which are connected, when each last synced, and how many facts recorded
//! here no device holds yet. Outside a group it says how to start one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::keymap::{Action, Backspace, Binding, Char, Esc, bind};
use crate::app::view::head;

pub const KEYS: &[Binding] = &[
    bind(&[Esc, Backspace, Char('g')], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

pub fn update(_app: &mut App, _action: Action) -> Option<String> {
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let Some(sync) = &app.sync else {
        let text = lang.pick(
            "Это устройство не в группе: факты остаются на нём. Чтобы устройства группы обменивались отметками, \
             организатор создаёт группу (obhod group create --name …) и приглашает (obhod group invite), \
             остальные присоединяются (obhod group join КОД).",
            "This device is in no group: its facts stay on it. For the group's devices to share their marks, the \
             organiser makes a group (obhod group create --name …) and invites (obhod group invite); the others \
             join (obhod group join CODE).",
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    let width = usize::from(area.width);
    let mut lines = vec![Line::from(Span::styled(
        head(&format!("{} «{}»", lang.pick("Группа", "Group"), sync.group), width),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    let not_sent = lang.count(sync.not_sent as u64, ["факт", "факта", "фактов"], ["fact", "facts"]);
    lines.push(Line::from(format!("{} {not_sent}", lang.pick("Ещё не отправлено:", "Not sent yet:"))));
    if sync.peers.is_empty() {
        lines.push(Line::from(lang.pick(
            "Других устройств ещё не было на связи: пригласите (obhod group invite) и запустите obhod syncd или obhod sync.",
            "No other device has been in touch yet: invite one (obhod group invite) and run obhod syncd or obhod sync.",
        )));
    }
    for peer in &sync.peers {
        let (mark, style) = if peer.connected {
            ("●", Style::new().fg(Color::Green))
        } else {
            ("○", Style::new().fg(Color::DarkGray))
        };
        let state = if peer.connected {
            lang.pick("на связи", "connected").to_string()
        } else {
            match peer.last_seen {
                Some(seen) => format!("{} {}", lang.pick("был", "seen"), seen.format("%d.%m %H:%M")),
                None => lang.pick("не был на связи", "never seen").to_string(),
            }
        };
        let synced = match peer.last_sync {
            Some(at) => format!("{} {}", lang.pick("обмен", "synced"), at.format("%d.%m %H:%M")),
            None => lang.pick("обмена не было", "never synced").to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(head(&format!("{} — {state}, {synced}", peer.name), width.saturating_sub(2))),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
