//! The lines over every screen: the building's address, then the campaign's figures as the fields
//! of one table. Each field has its words (a laptop's one line, where they all fit) and a short
//! form (a phone's two lines, the fields needed least left out where they do not fit); the help's
//! «Обозначения» lists the same fields with what each counts, so nothing the header shows goes
//! unexplained.

use obhod_core::Lang;
use obhod_core::mail::notice_deadline;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::{cells, percent};
use crate::app::App;

/// One figure of the header.
pub struct Field {
    /// In words, on a screen wide enough for every field so.
    pub words: String,
    /// In few cells, for a phone.
    pub short: String,
    /// What the short form says, for the help.
    pub meaning: &'static str,
    pub style: Style,
}

impl Field {
    fn plain(words: String, short: String, meaning: &'static str) -> Field {
        Field { words, short, meaning, style: Style::new() }
    }
}

/// The figures, the one needed most first: who is notified, the deadline, conflicts, sync, the
/// letters to send, the consents.
pub fn fields(app: &App) -> Vec<Field> {
    let lang = app.lang;
    let p = &app.progress;
    let share = percent(&p.notified_votes, &app.campaign.weights().total, lang);
    let mut fields = vec![Field::plain(
        format!(
            "{} {}/{} ({share} {})",
            lang.pick("уведомлено", "notified"),
            p.notified,
            p.owners,
            lang.pick("голосов", "of votes")
        ),
        format!("✓{}/{} ({share})", p.notified, p.owners),
        lang.pick(
            "уведомлено собственников из всех; в скобках — их голоса, % от всех",
            "owners notified of all; in brackets their votes, % of all",
        ),
    )];
    fields.push(deadline(app));
    let conflicts = app.conflicts.len();
    if conflicts > 0 {
        let text = format!("{} {conflicts}", lang.pick("конфликтов:", "conflicts:"));
        fields.push(Field {
            words: text.clone(),
            short: text,
            meaning: lang.pick(
                "собственников с разными решениями с двух устройств (c — список)",
                "owners with differing ballots from two devices (c lists them)",
            ),
            style: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        });
    }
    if let Some(sync) = &app.sync {
        let last = sync.last_sync().map_or_else(|| "—".to_string(), |at| at.format("%H:%M").to_string());
        fields.push(Field::plain(
            format!(
                "{} {} · {} {} · {} {last}",
                lang.pick("на связи", "connected"),
                sync.connected(),
                lang.pick("не отправлено", "not sent"),
                sync.not_sent,
                lang.pick("обмен", "last sync"),
            ),
            format!("⇄{} ↑{} {last}", sync.connected(), sync.not_sent),
            lang.pick(
                "⇄ устройств группы на связи, ↑ фактов ещё не отправлено, время последнего обмена (g — устройства)",
                "⇄ the group's devices connected, ↑ facts not sent yet, the time of the last sync (g: devices)",
            ),
        ));
    }
    let letters = format!("{} {}", lang.pick("писем к отправке", "letters to send"), p.letters);
    fields.push(Field::plain(
        letters.clone(),
        letters,
        lang.pick(
            "заказных писем по списку писем: каждому не уведомлённому, кому письмо ещё не отправлено (отметка «письмо» — другое: она на дверях ✉)",
            "registered letters the mail list holds: one to each owner not notified and sent none yet (the mark «letter» is another thing: ✉ on the doors)",
        ),
    ));
    let consents = format!("{} {}", lang.pick("согласий", "consents"), p.consents);
    fields.push(Field::plain(
        consents.clone(),
        consents,
        lang.pick("подписанных согласий на обработку персональных данных", "personal-data consents signed"),
    ));
    fields
}

/// The last day of the notice (D − 10) and the days to it.
fn deadline(app: &App) -> Field {
    let lang = app.lang;
    let deadline = notice_deadline(app.campaign.meeting());
    let days = (deadline - app.today()).num_days();
    let date = deadline.format("%d.%m");
    let short = match (days, lang) {
        (0, Lang::Ru) => format!("срок {date}: сегодня"),
        (0, Lang::En) => format!("due {date}: today"),
        (1.., Lang::Ru) => format!("срок {date}: {days} дн."),
        (1.., Lang::En) => format!("due {date}: {days} d."),
        (_, Lang::Ru) => format!("срок {date} прошёл"),
        (_, Lang::En) => format!("due {date} passed"),
    };
    Field::plain(
        notice_days(days, lang),
        short,
        lang.pick(
            "последний день уведомления в срок (D − 10: за 10 дней до собрания); дн. — дней до него",
            "the last day of a notice in time (D − 10: ten days before the meeting); d. — days left",
        ),
    )
}

/// The days left to the last day of the notice (D − 10), in words.
fn notice_days(days: i64, lang: Lang) -> String {
    let n = lang.count(days.unsigned_abs(), ["день", "дня", "дней"], ["day", "days"]);
    match (days, lang) {
        (0, _) => lang.pick("D − 10 сегодня", "D − 10 is today").into(),
        (1.., Lang::Ru) => format!("до D − 10: {n}"),
        (1.., Lang::En) => format!("{n} to D − 10"),
        (_, Lang::Ru) => format!("D − 10 прошёл {n} назад"),
        (_, Lang::En) => format!("D − 10 was {n} ago"),
    }
}

const SEPARATOR: &str = " · ";

/// The header: the address, the figures (in words on one line where they all fit, else in short
/// on up to two lines), and a warning line when facts from a newer obhod are in the store.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines = vec![Line::from(Span::styled(
        app.campaign.meeting().address.clone(),
        Style::new().add_modifier(Modifier::BOLD),
    ))];
    let fields = fields(app);
    let words: Vec<(&str, Style)> = fields.iter().map(|f| (f.words.as_str(), f.style)).collect();
    let in_words = words.iter().map(|(text, _)| cells(text)).sum::<usize>() + cells(SEPARATOR) * (words.len() - 1);
    if in_words <= width {
        lines.push(line(&words));
    } else {
        lines.extend(packed(fields.iter().map(|f| (f.short.as_str(), f.style)), width, 2).iter().map(|l| line(l)));
    }
    if let Some(unknown) = unknown_facts(app, width) {
        lines.push(unknown);
    }
    lines
}

/// The fields placed in order into at most `max` lines of `width` cells, each into the first line
/// with room for it; one with no room left is left out.
fn packed<'a>(fields: impl Iterator<Item = (&'a str, Style)>, width: usize, max: usize) -> Vec<Vec<(&'a str, Style)>> {
    let mut lines: Vec<Vec<(&str, Style)>> = Vec::new();
    for field in fields {
        let fits = |line: &Vec<(&str, Style)>| {
            line.iter().map(|(text, _)| cells(text) + cells(SEPARATOR)).sum::<usize>() + cells(field.0) <= width
        };
        match lines.iter().position(fits) {
            Some(at) => lines[at].push(field),
            None if lines.len() < max => lines.push(vec![field]),
            None => {}
        }
    }
    lines
}

fn line(fields: &[(&str, Style)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (text, style)) in fields.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(SEPARATOR));
        }
        spans.push(Span::styled(text.to_string(), *style));
    }
    Line::from(spans)
}

/// Records the group does not accept (unsigned, from outside the group, after a revocation),
/// counted in the same place, not dropped silently.
fn unverified_facts(app: &App, width: usize) -> Option<Line<'static>> {
    let lang = app.lang;
    let refused = app.campaign.refused_facts().values().sum::<usize>() as u64;
    if refused == 0 {
        return None;
    }
    let text = if width >= 80 {
        let facts = lang.count(refused, ["запись", "записи", "записей"], ["record", "records"]);
        format!(
            "⚠ {facts} {}",
            lang.pick("без подписи устройства группы: не учтены", "without a group device's signature: left out")
        )
    } else {
        format!("⚠ {} {refused}", lang.pick("не учтено записей:", "records left out:"))
    };
    Some(Line::from(Span::styled(text, Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))))
}

/// Facts written by a newer obhod, counted, not dropped silently.
fn unknown_facts(app: &App, width: usize) -> Option<Line<'static>> {
    let lang = app.lang;
    let unknown = app.campaign.unknown_facts() as u64;
    if unknown == 0 {
        return unverified_facts(app, width);
    }
    let text = if width >= 80 {
        let facts = lang.count(unknown, ["факт", "факта", "фактов"], ["fact", "facts"]);
        format!(
            "⚠ {facts} {}",
            lang.pick("от более новой версии obhod: обновите obhod", "from a newer obhod: update obhod")
        )
    } else {
        format!(
            "⚠ {} {unknown}, {}",
            lang.pick("непонятных фактов:", "unknown facts:"),
            lang.pick("обновите obhod", "update obhod")
        )
    };
    Some(Line::from(Span::styled(text, Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))))
}
