//! The quorum panel: votes in hand against votes needed, each question so far and whether the
//! decisions still to come can change it (the live count: settled, or the votes it needs), the same under the
//! strict reading (premises without a registered owner kept in the total, only premises with a
//! ballot of their own taking part) with each verdict it gives otherwise in the warning colour,
//! and the best doors to knock on (the largest holdings yet to vote).

use obhod_core::{Count, Lang, Live, Prospect, Votes};
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

/// Where the list of best doors stands: the door chosen (a premise) and the first row shown. Kept
/// in the app while the panel is closed, so that it opens again where it was left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub door: Option<usize>,
    pub first: usize,
}

impl Place {
    /// The row of the chosen door among `doors` (the first when it has left the list).
    pub fn row(&self, doors: &[usize]) -> usize {
        self.door.and_then(|door| doors.iter().position(|&p| p == door)).unwrap_or(0)
    }
}

pub fn update(app: &mut App, action: Action) -> Option<String> {
    let doors = app.best_doors();
    let mut row = app.quorum.row(&doors);
    let open = super::door_list(&mut row, &doors, action);
    app.quorum.door = doors.get(row).copied();
    if let Some(premise) = open {
        app.open(premise);
    }
    None
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect) {
    let lang = app.lang;
    let Some(tally) = app.count.as_ref().map(obhod_core::Running::tally) else {
        let text = lang.pick(
            "Решений собственников ещё нет. Добавьте их: obhod ballots import ballots.csv",
            "No ballots yet. Add them: obhod ballots import ballots.csv",
        );
        frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
        return;
    };
    let count = Count::new(app.campaign.meeting(), tally, lang);
    let live = count.live(app.today());
    let quorum = match count.missing_for_quorum() {
        None => lang.pick("кворум есть", "quorum reached").to_string(),
        Some(_) if live.quorum.prospect == Some(Prospect::Lost) => {
            lang.pick("кворума нет, и он уже недостижим", "no quorum, and it is out of reach").to_string()
        }
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
        let carried = if q.depends_on_carried() { "*" } else { "" };
        format!("{}{}{carried}", q.number, verdict(q.adopted))
    });
    lines.extend(packed(lang.pick("Вопросы:", "Questions:"), verdicts, area.width));
    lines.extend(settling(&count, &live, area.width));
    lines.extend(strict(&count, area.width));
    let dim = Style::new().add_modifier(Modifier::DIM);
    if count.named().is_some() {
        let words = lang.pick("* только помещения со своим решением", "* premises with their own ballot only");
        lines.push(Line::from(Span::styled(words, dim)));
    }
    let footnote = match (area.width >= 80, count.named().is_some()) {
        (true, _) => lang.pick(
            "** строгое прочтение: помещения без собственника в общем числе голосов, участвуют только помещения со своим решением",
            "** the strict reading: premises without a registered owner kept in the total, only premises with a ballot of their own take part",
        ),
        (false, true) => lang.pick("** как *, и ничьи в общем числе голосов", "** as *, and unowned in the total"),
        (false, false) => lang.pick(
            "** только помещения со своим решением; ничьи — в общем числе голосов",
            "** own ballots only; unowned premises in the total",
        ),
    };
    lines.extend(wrapped(footnote, area.width).into_iter().map(|line| Line::from(Span::styled(line, dim))));
    lines.push(Line::from(Span::styled(
        lang.pick("Крупнейшие не проголосовавшие:", "Largest holdings yet to vote:"),
        Style::new().add_modifier(Modifier::DIM),
    )));
    let header = lines.len();
    let doors = app.best_doors();
    let visible = (area.height as usize).saturating_sub(header);
    // The list stays where it was shown while the chosen door is on it.
    let chosen = app.quorum.row(&doors);
    let first = app.quorum.first.min(chosen).max((chosen + 1).saturating_sub(visible));
    app.quorum.first = first;
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
        let style = if row == chosen { Style::new().add_modifier(Modifier::REVERSED) } else { Style::new() };
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
        let Some(tally) = self.tally() else { return Vec::new() };
        let weights = self.campaign.weights();
        let mut waiting: Vec<usize> = (0..weights.holdings.len()).filter(|&h| !tally.took_part[h]).collect();
        // By units, whole numbers in the order of the votes: no fraction compared.
        waiting.sort_by(|&a, &b| weights.holdings[b].units.cmp(&weights.holdings[a].units));
        let mut listed = vec![false; self.campaign.registry().premises.len()];
        let mut doors: Vec<usize> = Vec::new();
        for h in waiting {
            let premise = weights.holdings[h].premise;
            if !std::mem::replace(&mut listed[premise], true) {
                doors.push(premise);
            }
        }
        doors
    }
}

/// The live count: on a wide screen each question's prospect in a sentence while voting goes on;
/// on a phone, and after the end, the settled questions grouped (`уже принято: 1, 2`) and each open
/// one with the votes it needs (`3: нужно ещё 120,00 гол.`).
fn settling(count: &Count, live: &Live, width: u16) -> Vec<Line<'static>> {
    let lang = count.lang;
    let numbered = || count.tally.questions.iter().map(|q| q.number).zip(&live.questions);
    if width >= 80 && !live.ended {
        let sentences = numbered().filter_map(|(number, s)| {
            Some(format!("{} {number}: {}", lang.pick("Вопрос", "Question"), count.prospect(s)?))
        });
        return sentences.flat_map(|line| wrapped(&line, width)).map(Line::from).collect();
    }
    let mut lines = Vec::new();
    let titles = match live.ended {
        false => [lang.pick("уже принято:", "already adopted:"), lang.pick("уже не принято:", "already lost:")],
        true => [lang.pick("принято:", "adopted:"), lang.pick("не принято:", "not adopted:")],
    };
    for (prospect, title) in [Prospect::Adopted, Prospect::Lost].into_iter().zip(titles) {
        let numbers: Vec<String> =
            numbered().filter(|(_, s)| s.prospect == Some(prospect)).map(|(n, _)| n.to_string()).collect();
        if !numbers.is_empty() {
            lines.extend(wrapped(&format!("{title} {}", numbers.join(", ")), width).into_iter().map(Line::from));
        }
    }
    let open = numbered().filter(|(_, s)| s.prospect == Some(Prospect::Open));
    lines.extend(open.filter_map(|(number, s)| Some(Line::from(format!("{number}: {}", count.prospect_short(s)?)))));
    lines
}

fn verdict(adopted: Option<bool>) -> &'static str {
    match adopted {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "?",
    }
}

/// The count under the strict reading: its participation of its total, its quorum and verdicts,
/// and where it decides otherwise than the main count, in the warning colour (in full words on a
/// wide screen, in short on a phone).
fn strict(count: &Count, width: u16) -> Vec<Line<'static>> {
    let (lang, tally) = (count.lang, count.tally);
    let strict = &tally.strict;
    let mut lines = vec![Line::from(format!(
        "{} {} {} {} ({})",
        lang.pick("Строго**:", "Strict**:"),
        count.votes(&strict.participated),
        lang.pick("из", "of"),
        count.votes(&strict.total),
        count.percent(&strict.participated, &strict.total),
    ))];
    let quorum = if strict.quorum {
        lang.pick("  кворум есть:", "  quorum:")
    } else {
        lang.pick("  кворума нет:", "  no quorum:")
    };
    let verdicts = strict.questions.iter().map(|q| format!("{}{}", q.number, verdict(q.adopted)));
    lines.extend(packed(quorum, verdicts, width));
    let warning = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
    let differences = if width >= 80 { count.strict_differences() } else { short_differences(count) };
    for difference in differences {
        let wrapped = wrapped(&format!("⚠ {difference}"), width.saturating_sub(2));
        let indented = wrapped.into_iter().enumerate().map(|(i, line)| if i == 0 { line } else { format!("  {line}") });
        lines.extend(indented.map(|line| Line::styled(line, warning)));
    }
    lines
}

/// Where the strict reading decides otherwise, in few words: `строго иначе: кворума нет`,
/// `строго иначе: не приняты 1, 2`.
fn short_differences(count: &Count) -> Vec<String> {
    let (lang, tally) = (count.lang, count.tally);
    let mut out = Vec::new();
    let head = lang.pick("строго иначе:", "strict differs:");
    if tally.strict.quorum != tally.quorum {
        let quorum = if tally.strict.quorum {
            lang.pick("кворум есть", "quorum")
        } else {
            lang.pick("кворума нет", "no quorum")
        };
        out.push(format!("{head} {quorum}"));
    }
    for adopted in [false, true] {
        let numbers: Vec<String> = tally
            .questions
            .iter()
            .zip(&tally.strict.questions)
            .filter(|(main, strict)| main.adopted != strict.adopted && strict.adopted == Some(adopted))
            .map(|(main, _)| main.number.to_string())
            .collect();
        if numbers.is_empty() {
            continue;
        }
        let list = numbers.join(", ");
        out.push(match (lang, adopted, numbers.len()) {
            (Lang::Ru, false, 1) => format!("{head} не принят {list}"),
            (Lang::Ru, false, _) => format!("{head} не приняты {list}"),
            (Lang::Ru, true, 1) => format!("{head} принят {list}"),
            (Lang::Ru, true, _) => format!("{head} приняты {list}"),
            (Lang::En, false, _) => format!("{head} {list} not adopted"),
            (Lang::En, true, _) => format!("{head} {list} adopted"),
        });
    }
    out
}

/// A text broken into lines of `width` cells at its spaces (a word longer than a line stays whole).
fn wrapped(text: &str, width: u16) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if last.is_empty() {
            last.push_str(word);
        } else if last.width() + 1 + word.width() > usize::from(width) {
            lines.push(word.to_string());
        } else {
            last.push(' ');
            last.push_str(word);
        }
    }
    lines
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
