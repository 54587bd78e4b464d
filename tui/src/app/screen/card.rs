//! The flat card: the premise, its owners with shares, votes and statuses, and the facts history
//! (who, when, what, note), newest first. Contact data is never shown, only that there is some.

use obhod_core::mail::{Timeliness, timeliness};
use obhod_core::{Act, Lang, Outcome};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Input;
use crate::app::keymap::{Action, Backspace, Binding, Char, Down, Esc, Up, bind};
use crate::app::view::{Door, cells, head, hit_row, outcome_short, votes};
use crate::app::{App, Layer};

pub const KEYS: &[Binding] = &[
    bind(&[Char('d')], "d", Action::Mark(Outcome::Delivered), "вручено", "delivered", true),
    bind(&[Char('a')], "a", Action::Mark(Outcome::Absent), "не застали", "absent", true),
    bind(&[Char('r')], "r", Action::Mark(Outcome::Refused), "отказ", "refused", true),
    bind(&[Char('s')], "s", Action::Mark(Outcome::Consent), "согласие", "consent", true),
    bind(&[Char('c')], "c", Action::Mark(Outcome::Contact), "контакт", "contact", true),
    bind(&[Char('p')], "p", Action::Mark(Outcome::Letter), "письмо", "letter", true),
    bind(&[Char('n')], "n", Action::Note, "заметка", "note", true),
    bind(&[Char('t')], "t", Action::Signed, "дата", "date", true),
    bind(&[Char('u')], "u", Action::Undo, "отменить", "undo", true),
    bind(&[Up, Char('k')], "↑↓", Action::Up, "собственник выше", "owner above", false),
    bind(&[Down, Char('j')], "↓j", Action::Down, "собственник ниже", "owner below", false),
    bind(&[Esc, Backspace], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

pub fn update(app: &mut App, action: Action) -> Option<String> {
    let owners = app.canvass.premises[app.cursor].owners.len();
    let choices = if owners > 1 { owners + 1 } else { owners.max(1) };
    let several = owners > 1;
    match action {
        Action::Up | Action::Down | Action::SelectOwner(_) => {
            app.picked = true;
            app.owner = match action {
                Action::Up => app.owner.saturating_sub(1),
                Action::Down => (app.owner + 1).min(choices - 1),
                Action::SelectOwner(i) => i.min(choices - 1),
                _ => app.owner,
            };
        }
        Action::Note => {
            let text = app.note.clone().unwrap_or_default();
            app.push(Layer::Prompt { input: Input::Note, text });
        }
        Action::Signed => {
            let text = app.signed.map(|day| day.format("%d.%m.%Y").to_string()).unwrap_or_default();
            app.push(Layer::Prompt { input: Input::Signed, text });
        }
        Action::Undo | Action::Mark(_) if app.repeats(action) => {
            // A key held down repeats as long as it is held: the second is counted from the last
            // press, so that holding it longer never lets a repeat through.
            app.did(action);
            return Some(app.lang.pick(REPEAT_RU, REPEAT_EN).into());
        }
        Action::Undo => {
            app.did(action);
            return Some(app.undo_last());
        }
        // The card opens on every owner: one key is not taken as what every owner did (signed,
        // refused) when only one may have opened the door.
        Action::Mark(Outcome::Delivered | Outcome::Refused) if several && app.owner == 0 && !app.picked => {
            return Some(app.lang.pick(WHO_WAS_IT_RU, WHO_WAS_IT_EN).into());
        }
        Action::Mark(Outcome::Contact) => return ask_contact(app),
        // A consent is one owner's signature: the card asks for the owner as it does for a contact.
        Action::Mark(Outcome::Consent)
            if app.chosen_owner().is_none() && app.canvass.premises[app.cursor].owners.len() > 1 =>
        {
            return Some(choose_owner(app.lang));
        }
        Action::Mark(outcome) => {
            app.did(action);
            return Some(app.mark(outcome, None, false));
        }
        _ => {}
    }
    None
}

const WHO_WAS_IT_RU: &str = "Кто это был? Выберите собственника или «все» (↑↓)";
const WHO_WAS_IT_EN: &str = "Who was it? Choose an owner, or every owner (↑↓)";
const REPEAT_RU: &str = "Повтор не записан: если он нужен, нажмите ещё раз через секунду";
const REPEAT_EN: &str = "The repeat is not recorded: if you mean it, press again in a second";

/// A contact needs the owner's consent: asked first unless it already stands.
fn ask_contact(app: &mut App) -> Option<String> {
    if app.canvass.premises[app.cursor].owners.is_empty() {
        // Nobody to choose: the store says why nothing can be recorded.
        return Some(app.mark(Outcome::Contact, None, false));
    }
    let Some(owner) = app.chosen_owner() else { return Some(choose_owner(app.lang)) };
    if app.canvass.premises[app.cursor].owner(owner).is_some_and(|o| o.consent) {
        app.push(Layer::Prompt { input: Input::Contact { consent: false }, text: String::new() });
    } else {
        app.push(Layer::Confirm);
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let wide = area.width >= 80;
    let mut lines = vec![title(app, wide)];
    let owners = owner_lines(app, wide, area.width);
    // Under the owners: the chosen one's holding, the note, the day signed, the history's title and
    // two of its rows.
    let below = 3
        + u16::from(!wide && app.chosen_owner().is_some())
        + u16::from(app.note.is_some())
        + u16::from(app.signed.is_some());
    let room = usize::from(area.height.saturating_sub(1 + below));
    let first_owner_row = lines.len() as u16;
    let shown = scrolled(owners, app.owner, room, lang);
    for (row, line) in shown.into_iter().enumerate() {
        if let Some(choice) = line.1 {
            hit_row(app, area, first_owner_row + row as u16, Action::SelectOwner(choice));
        }
        lines.push(line.0);
    }
    if !wide && let Some(text) = chosen_holding(app) {
        lines.push(Line::from(Span::styled(format!("  {text}"), Style::new().add_modifier(Modifier::DIM))));
    }
    if let Some(note) = &app.note {
        lines.push(Line::from(format!("{} «{note}»", lang.pick("Заметка к отметке:", "Note for the mark:"))));
    }
    if let Some(day) = app.signed {
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} {}", lang.pick("подпись:", "signed:"), day.format("%d.%m.%Y")),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(lang.pick(" — для d", " — for d")),
        ]));
    }
    lines.push(Line::from(Span::styled(lang.pick("История", "History"), Style::new().add_modifier(Modifier::DIM))));
    let head = (lines.len() as u16).min(area.height);
    frame.render_widget(Paragraph::new(lines), Rect { height: head, ..area });
    let rest = Rect { y: area.y + head, height: area.height - head, ..area };
    frame.render_widget(Paragraph::new(history(app, wide, rest.height as usize)).wrap(Wrap { trim: false }), rest);
}

/// The owner lines that fit in `room` rows, the chosen one always among them: when they do not all
/// fit, the page of them it is on (the last page the last that fit), between two lines that count the owners above and below. A page
/// stays put while the choice moves within it, so that no owner moves under a finger tapping twice.
/// Each line comes with the choice a tap on it makes.
fn scrolled(lines: Vec<Line<'static>>, chosen: usize, room: usize, lang: Lang) -> Vec<(Line<'static>, Option<usize>)> {
    let count = lines.len();
    if count <= room {
        return lines.into_iter().enumerate().map(|(i, line)| (line, Some(i))).collect();
    }
    let inner = room.saturating_sub(2).max(1);
    // The last page is full too: it ends with the last owner rather than leaving rows empty.
    let start = (chosen / inner * inner).min(count.saturating_sub(inner));
    let more = |n: usize, arrow: &str| {
        let text = if n == 0 { String::new() } else { format!("  {arrow} {} {n}", lang.pick("ещё", "more")) };
        (Line::from(Span::styled(text, Style::new().add_modifier(Modifier::DIM))), None)
    };
    let mut shown = vec![more(start, "↑")];
    shown.extend(lines.into_iter().enumerate().skip(start).take(inner).map(|(i, line)| (line, Some(i))));
    shown.push(more(count.saturating_sub(start + inner), "↓"));
    shown
}

/// The selected flat beside the building view on a wide screen.
pub fn preview(frame: &mut Frame, app: &App, area: Rect) {
    let mut lines = vec![title(app, false)];
    lines.extend(
        owner_lines(app, false, area.width)
            .into_iter()
            .skip(usize::from(app.canvass.premises[app.cursor].owners.len() > 1)),
    );
    lines.extend(history(app, false, area.height as usize));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn title(app: &App, wide: bool) -> Line<'static> {
    let lang = app.lang;
    let premise = &app.campaign.registry().premises[app.cursor];
    let door = Door::of(&app.canvass.premises[app.cursor]);
    let mut text = format!("{} {}", premise.kind.title(lang), premise.label);
    if let Some(entrance) = &premise.entrance {
        text.push_str(&format!(" · {} {entrance}", lang.pick("под.", "ent.")));
    }
    if let Some(floor) = premise.floor {
        text.push_str(&format!(" · {} {floor}", lang.pick("эт.", "fl.")));
    }
    if wide {
        text.push_str(&format!(" · {} м²", votes(&premise.area, lang)));
    }
    Line::from(vec![
        Span::styled(format!("{} ", door.symbol()), door.style()),
        Span::styled(text, Style::new().add_modifier(Modifier::BOLD)),
    ])
}

/// The share and votes of the chosen owner, for a screen too narrow to show them on every row.
fn chosen_holding(app: &App) -> Option<String> {
    let name = app.chosen_owner()?;
    let holding = app.campaign.weights().holdings_of(app.cursor, name).next()?;
    Some(format!(
        "{} · {} {}",
        share_text(holding, app.lang),
        votes(&holding.votes, app.lang),
        app.lang.pick("гол.", "votes")
    ))
}

fn share_text(holding: &obhod_core::Holding, lang: Lang) -> String {
    match &holding.share {
        _ if holding.joint => lang.pick("совм.", "joint").to_string(),
        Some(share) => obhod_core::number::exact(share),
        None => "1".to_string(),
    }
}

/// One line per owner (after «every owner» when there are several), each within `width` cells:
/// a long name is cut, never the status flags after it.
fn owner_lines(app: &App, wide: bool, width: u16) -> Vec<Line<'static>> {
    let lang = app.lang;
    let status = &app.canvass.premises[app.cursor];
    let weights = app.campaign.weights();
    let mut lines = Vec::new();
    let several = status.owners.len() > 1;
    if several {
        lines.push(choice(app.owner == 0, lang.pick("все собственники", "every owner").into(), String::new()));
    }
    if status.owners.is_empty() {
        lines.push(Line::from(lang.pick("  нет зарегистрированных собственников", "  no registered owner")));
    }
    let meeting = app.campaign.meeting();
    for (i, owner) in status.owners.iter().enumerate() {
        let selected = if several { app.owner == i + 1 } else { true };
        // A notice after D − 10 is marked by a sign, and coloured: never by colour alone.
        let late = owner.notice().is_some_and(|n| timeliness(meeting, n.date) == Timeliness::Late);
        let mut flags = String::new();
        for (on, flag) in [
            (owner.notified && !late, "✓"),
            (late, "✓!"),
            (owner.letter, "✉"),
            (owner.refused, "✗"),
            (owner.consent, lang.pick("С", "C")),
            (owner.contact.is_some(), lang.pick("К", "K")),
        ] {
            if on {
                flags.push_str(flag);
            }
        }
        let mut name = owner.owner.name.clone();
        if wide {
            let holding = weights.holdings_of(app.cursor, &owner.owner.name).next();
            if let Some(h) = holding {
                name = format!(
                    "{name}  {}  {} {}",
                    share_text(h, lang),
                    votes(&h.votes, lang),
                    lang.pick("гол.", "votes")
                );
            }
        }
        let room = usize::from(width).saturating_sub(3 + cells(&flags));
        let mut line = choice(selected, head(&name, room), flags);
        if late {
            line.spans[2].style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
        }
        lines.push(line);
    }
    lines
}

fn choice(selected: bool, text: String, flags: String) -> Line<'static> {
    let marker = if selected { "▸ " } else { "  " };
    let style = if selected { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
    Line::from(vec![Span::raw(marker), Span::styled(text, style), Span::raw(format!(" {flags}"))])
}

/// The newest `rows` facts of the flat (only what can be seen is formatted).
fn history(app: &App, wide: bool, rows: usize) -> Vec<Line<'static>> {
    let lang: Lang = app.lang;
    let status = &app.canvass.premises[app.cursor];
    if status.history.is_empty() {
        return vec![Line::from(lang.pick("  ещё не были", "  not yet visited"))];
    }
    status
        .history
        .iter()
        .rev()
        .take(rows)
        .map(|&i| {
            let fact = &app.canvass.facts[i];
            let Act::Mark { owner, outcome, signed, .. } = &fact.act else { return Line::default() };
            let when = if wide { fact.at.format("%d.%m.%Y %H:%M") } else { fact.at.format("%d.%m %H:%M") };
            let whom = owner.as_deref().unwrap_or(lang.pick("все", "all"));
            let mut text = format!("  {when} {}", outcome_short(*outcome, lang));
            // A delivery typed in later: the day the owner signed, which the notice counts from.
            if let Some(day) = signed.filter(|day| *day != fact.at.date_naive()) {
                text.push_str(&format!(" ({} {})", lang.pick("подпись", "signed"), day.format("%d.%m")));
            }
            text.push_str(&format!(" · {whom}"));
            if wide {
                text.push_str(&format!(" · {}", short_device(&fact.device)));
            }
            if let Some(note) = &fact.note {
                text.push_str(&format!(" «{note}»"));
            }
            let style = if app.canvass.is_standing(fact) {
                Style::new()
            } else {
                text.push_str(lang.pick(" [отменён]", " [withdrawn]"));
                Style::new().add_modifier(Modifier::CROSSED_OUT | Modifier::DIM)
            };
            Line::from(Span::styled(text, style))
        })
        .collect()
}

/// The device that recorded a fact, as its last characters (enough to tell devices apart).
fn short_device(device: &str) -> String {
    let chars: Vec<char> = device.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn choose_owner(lang: Lang) -> String {
    lang.pick("Выберите собственника (↑↓)", "Choose an owner (↑↓)").into()
}
