//! The flat card: the premise, its owners with shares, votes and statuses, the records of its
//! former owners (counted for no one), and the facts history (who, when, what, note), newest
//! first. Contact data is never shown, only that there is some.

use obhod_core::mail::{Timeliness, timeliness};
use obhod_core::registry::update::Record;
use obhod_core::{Act, Lang, Outcome};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Input;
use crate::app::keymap::{Action, Backspace, Binding, Char, Down, Esc, PageDown, PageUp, Up, bind};
use crate::app::view::{Door, cells, elide, head, hit_row, outcome_short, votes, wrap};
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
    bind(&[Char('b')], "b", Action::Ballot, "ввод решения", "enter a ballot", false),
    bind(&[Char('e')], "e", Action::Check, "сверка решения", "check a ballot", false),
    bind(&[Char('x')], "x", Action::ClearNote, "удалить заметку", "delete the note", false),
    bind(&[Up, Char('k')], "↑↓", Action::Up, "собственник выше", "owner above", false),
    bind(&[Down, Char('j')], "↓j", Action::Down, "собственник ниже", "owner below", false),
    bind(&[PageUp], "PgUp", Action::PageUp, "история: новее", "history: newer", false),
    bind(&[PageDown], "PgDn", Action::PageDown, "история: раньше", "history: older", false),
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
            let text = app.note().unwrap_or_default().to_string();
            app.push(Layer::Prompt { input: Input::Note, text });
        }
        Action::ClearNote => {
            let none = app.lang.pick("Заметки нет: удалять нечего", "No note to delete");
            return Some(app.clear_note().unwrap_or_else(|| none.into()));
        }
        Action::PageUp => app.history = app.history.saturating_sub(app.history_page.max(1)),
        Action::PageDown => {
            let facts = app.canvass.premises[app.cursor].history.len();
            app.history = (app.history + app.history_page.max(1)).min(facts.saturating_sub(1));
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
        Action::Ballot => super::ballot::open(app, Some(app.cursor), false),
        Action::Check => super::ballot::open(app, Some(app.cursor), true),
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
    // Two former owners' lines where the screen is tall enough, one on a phone with its keyboard open.
    let former = orphan_lines(app, area.width, if area.height >= 12 { 2 } else { 1 });
    // Under the owners: the chosen one's holding, the former owners, the note, the day signed, the
    // history's title and two of its rows.
    let below = 3
        + former.len() as u16
        + u16::from(!wide && app.chosen_owner().is_some())
        + u16::from(app.note().is_some())
        + u16::from(app.signed.is_some());
    let room = usize::from(area.height.saturating_sub(1 + below));
    let first_owner_row = lines.len() as u16;
    let (shown, first) = scrolled(owners, app.owner, app.owners_first, room, lang);
    app.owners_first = first;
    for (row, line) in shown.into_iter().enumerate() {
        if let Some(choice) = line.1 {
            hit_row(app, area, first_owner_row + row as u16, Action::SelectOwner(choice));
        }
        lines.push(line.0);
    }
    if !wide && let Some(text) = chosen_holding(app) {
        lines.push(Line::from(Span::styled(format!("  {text}"), Style::new().add_modifier(Modifier::DIM))));
    }
    lines.extend(former);
    if let Some(note) = app.note() {
        // One line of it: the whole note is in the field `n` opens.
        let text = format!("{} «{note}»", lang.pick("Заметка к отметке:", "Note for the mark:"));
        lines.push(Line::from(head(&text, usize::from(area.width))));
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
    let history = history(app, wide, rest.width, rest.height as usize, app.history);
    app.history = history.skip;
    app.history_page = history.shown.max(1);
    if let Some(row) = history.above {
        hit_row(app, rest, row, Action::PageUp);
    }
    if let Some(row) = history.below {
        hit_row(app, rest, row, Action::PageDown);
    }
    frame.render_widget(Paragraph::new(history.lines), rest);
}

/// The owner lines that fit in `room` rows, the chosen one always among them: when they do not all
/// fit, a page of them between two lines that count the owners above and below. The page shown
/// (from `first`) stays put while the choice moves within it, so that no owner moves under a
/// finger tapping twice; else it is the page the choice is on (the last page the last that fit).
/// Each line comes with the choice a tap on it makes; the page's first line is returned too.
fn scrolled(
    lines: Vec<Line<'static>>,
    chosen: usize,
    first: usize,
    room: usize,
    lang: Lang,
) -> (Vec<(Line<'static>, Option<usize>)>, usize) {
    let count = lines.len();
    if count <= room {
        return (lines.into_iter().enumerate().map(|(i, line)| (line, Some(i))).collect(), 0);
    }
    let inner = room.saturating_sub(2).max(1);
    let last = count.saturating_sub(inner);
    // The last page is full too: it ends with the last owner rather than leaving rows empty.
    let start = if (first..first + inner).contains(&chosen) && first <= last {
        first
    } else {
        (chosen / inner * inner).min(last)
    };
    let more = |n: usize, arrow: &str| {
        let text = if n == 0 { String::new() } else { format!("  {arrow} {} {n}", lang.pick("ещё", "more")) };
        (Line::from(Span::styled(text, Style::new().add_modifier(Modifier::DIM))), None)
    };
    let mut shown = vec![more(start, "↑")];
    shown.extend(lines.into_iter().enumerate().skip(start).take(inner).map(|(i, line)| (line, Some(i))));
    shown.push(more(count.saturating_sub(start + inner), "↓"));
    (shown, start)
}

/// The selected flat beside the building view on a wide screen.
pub fn preview(frame: &mut Frame, app: &App, area: Rect) {
    let mut lines = vec![title(app, false)];
    lines.extend(
        owner_lines(app, false, area.width)
            .into_iter()
            .skip(usize::from(app.canvass.premises[app.cursor].owners.len() > 1)),
    );
    let rows = (area.height as usize).saturating_sub(lines.len());
    lines.extend(history(app, false, area.width, rows, 0).lines);
    frame.render_widget(Paragraph::new(lines), area);
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

/// The records of the premise's former owners (the registry was updated after them): a line
/// saying how many there are, kept and counted for no one, then one line per former owner (at
/// most `cap`) with what was recorded of it. None when there are none.
fn orphan_lines(app: &App, width: u16, cap: usize) -> Vec<Line<'static>> {
    let lang = app.lang;
    let label = &app.campaign.registry().premises[app.cursor].label;
    let mut former: Vec<(&str, Vec<&'static str>)> = Vec::new();
    for orphan in app.orphans.iter().filter(|o| &o.premise == label) {
        let Some(name) = orphan.owner.as_deref() else { continue };
        let what = match orphan.record {
            Record::Decision => lang.pick("решение", "decision"),
            Record::Fact => match app.campaign.fact(&orphan.id).map(|f| &f.act) {
                Some(Act::Mark { outcome, .. }) => outcome_short(*outcome, lang),
                _ => continue,
            },
        };
        match former.iter_mut().find(|(n, _)| *n == name) {
            Some((_, whats)) if !whats.contains(&what) => whats.push(what),
            Some(_) => {}
            None => former.push((name, vec![what])),
        }
    }
    if former.is_empty() {
        return Vec::new();
    }
    let width = usize::from(width);
    let count = former.len();
    let header = match lang {
        Lang::Ru => format!("Бывшие собственники ({count}), не в счёт:"),
        Lang::En => format!("Former owners ({count}), counted for none:"),
    };
    let warn = Style::new().fg(Color::Yellow);
    let mut lines = vec![Line::from(Span::styled(head(&header, width), warn))];
    for (name, whats) in former.into_iter().take(cap) {
        let text = format!("  – {name}: {}", whats.join(", "));
        lines.push(Line::from(Span::styled(head(&text, width), Style::new().add_modifier(Modifier::DIM))));
    }
    lines
}

fn choice(selected: bool, text: String, flags: String) -> Line<'static> {
    let marker = if selected { "▸ " } else { "  " };
    let style = if selected { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
    Line::from(vec![Span::raw(marker), Span::styled(text, style), Span::raw(format!(" {flags}"))])
}

/// The lines of a fact's note at most, under its first line: a long note is cut with «…», so the
/// rest of the history stays on the screen (the whole note is in `obhod status PREMISE`).
const NOTE_LINES: usize = 3;

/// The history as drawn: its lines, the facts scrolled past, how many are shown, and the rows
/// that say how many more there are above and below (a tap there pages).
struct History {
    lines: Vec<Line<'static>>,
    skip: usize,
    shown: usize,
    above: Option<u16>,
    below: Option<u16>,
}

/// The facts of the flat, newest first, from `skip` facts on, as many as fit in `rows` lines of
/// `width` cells, with a line counting the facts above and below when some are left out. Only
/// what can be seen is formatted.
fn history(app: &App, wide: bool, width: u16, rows: usize, skip: usize) -> History {
    let lang = app.lang;
    let facts = &app.canvass.premises[app.cursor].history;
    let total = facts.len();
    let skip = skip.min(total.saturating_sub(1));
    let mut history = History { lines: Vec::new(), skip, shown: 0, above: None, below: None };
    if total == 0 {
        history.lines.push(Line::from(lang.pick("  ещё не были", "  not yet visited")));
        return history;
    }
    let dim = Style::new().add_modifier(Modifier::DIM);
    let more = |n: usize, arrow: &str, key: &str| {
        Line::from(Span::styled(format!("  {arrow} {} {n} ({key})", lang.pick("ещё", "more")), dim))
    };
    if skip > 0 {
        history.above = Some(0);
        history.lines.push(more(skip, "↑", "PgUp"));
    }
    for (n, &i) in facts.iter().rev().enumerate().skip(skip) {
        let later = total - n - 1;
        let room = rows.saturating_sub(history.lines.len() + usize::from(later > 0));
        let (lines, whole) = fact_lines(app, i, wide, usize::from(width), room);
        history.lines.extend(lines);
        // A fact cut for the room left ends the page, and the next page starts with it; the first
        // fact of a page is never left out for its length.
        if whole || history.shown == 0 {
            history.shown += 1;
        }
        if !whole || room == 0 {
            break;
        }
    }
    let below = total - skip - history.shown;
    if below > 0 {
        history.below = Some(history.lines.len() as u16);
        history.lines.push(more(below, "↓", "PgDn"));
    }
    history
}

/// One fact as at most `room` lines of `width` cells: when, what, for whom, then its note, cut
/// with «…» where it is longer; and whether it is whole.
fn fact_lines(app: &App, i: usize, wide: bool, width: usize, room: usize) -> (Vec<Line<'static>>, bool) {
    let lang = app.lang;
    let fact = &app.canvass.facts[i];
    let Act::Mark { owner, outcome, signed, under, .. } = &fact.act else { return (vec![Line::default()], true) };
    let when = if wide { fact.at.format("%d.%m.%Y %H:%M") } else { fact.at.format("%d.%m %H:%M") };
    // A mark for every owner made before an owner came (a registry update) is not his.
    let before = app.canvass.premises[app.cursor].unreached(*under).next().is_some();
    let every = if before { lang.pick("все прежние", "all at the time") } else { lang.pick("все", "all") };
    let whom = owner.as_deref().unwrap_or(every);
    let mut text = format!("{when} {}", outcome_short(*outcome, lang));
    // A delivery typed in later: the day the owner signed, which the notice counts from.
    if let Some(day) = signed.filter(|day| *day != fact.at.date_naive()) {
        text.push_str(&format!(" ({} {})", lang.pick("подпись", "signed"), day.format("%d.%m")));
    }
    text.push_str(&format!(" · {whom}"));
    if wide {
        text.push_str(&format!(" · {}", short_device(&fact.device)));
    }
    let standing = app.canvass.is_standing(fact);
    if !standing {
        text.push_str(lang.pick(" [отменён]", " [withdrawn]"));
    }
    if let Some(note) = &fact.note {
        // A note of any length (one recorded by an older obhod, or by `obhod mark`) is looked at
        // only as far as the lines it may take.
        let start: String = note.chars().take((NOTE_LINES + 1) * width).collect();
        let cut = if start.len() < note.len() { "…" } else { "" };
        text.push_str(&format!(" «{start}{cut}»"));
    }
    let style = if standing { Style::new() } else { Style::new().add_modifier(Modifier::CROSSED_OUT | Modifier::DIM) };
    // Indented, so that where one fact ends and the next begins reads at a glance.
    let lines = elide(wrap(&text, width.saturating_sub(2)), 1 + NOTE_LINES, width.saturating_sub(2));
    let whole = lines.len() <= room;
    let lines = elide(lines, room, width.saturating_sub(2));
    let lines = lines.into_iter().take(room).map(|line| Line::from(Span::styled(format!("  {line}"), style)));
    (lines.collect(), whole)
}

/// The device that recorded a fact, as its last characters (enough to tell devices apart).
fn short_device(device: &str) -> String {
    let chars: Vec<char> = device.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

fn choose_owner(lang: Lang) -> String {
    lang.pick("Выберите собственника (↑↓)", "Choose an owner (↑↓)").into()
}

/// The short forms on the card, for the help.
pub fn signs(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        ("✓", lang.pick("собственник уведомлён", "the owner is notified")),
        ("✓!", lang.pick("уведомлён поздно: после D − 10", "notified late: after D − 10")),
        ("✉", lang.pick("отмечено «письмо»: нужно заказное письмо", "marked «letter»: a registered letter needed")),
        ("✗", lang.pick("отказ", "refused")),
        (lang.pick("С", "C"), lang.pick("согласие на обработку ПД подписано", "personal-data consent signed")),
        (lang.pick("К", "K"), lang.pick("контакт есть (он не показывается)", "a contact is kept (never shown)")),
        (lang.pick("совм.", "joint"), lang.pick("совместная собственность", "joint ownership")),
        (lang.pick("гол.", "votes"), lang.pick("голосов", "votes")),
        (lang.pick("под.", "ent."), lang.pick("подъезд", "entrance")),
        (lang.pick("эт.", "fl."), lang.pick("этаж", "floor")),
    ]
}
