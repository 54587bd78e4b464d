//! Drawing the ballot entry: the step's question and choices (the numbered ones from the step's
//! key rows) above the decision so far, in words.

use obhod_core::{Answer, Lang};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{Draft, Signer, Step, day, keys};
use crate::app::App;
use crate::app::keymap::Action;

/// The answers in brief, each after its question's number, as the paper is checked against it:
/// `1 за, 2 против, 3 ·` (a no-break space keeps a number with its answer).
fn answers_words(answers: &[Option<Answer>], questions: usize, lang: Lang) -> String {
    (0..questions)
        .map(|n| format!("{}\u{a0}{}", n + 1, answers.get(n).copied().flatten().map_or("·", |a| a.title(lang))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The decision so far in words, a line for each thing the paper says.
fn summary(app: &App, draft: &Draft) -> Vec<String> {
    let (lang, questions) = (app.lang, app.campaign.meeting().questions.len());
    let mut lines = Vec::new();
    if let Some(choice) = draft.choice().filter(|_| draft.step() != Step::Voter) {
        lines.push(format!("{}: {}", lang.pick("Голосует", "Voter"), choice.words));
    }
    if !draft.answers.is_empty() {
        let answers: Vec<Option<Answer>> = draft.answers.iter().copied().map(Some).collect();
        lines.push(format!("{}: {}", lang.pick("Ответы", "Answers"), answers_words(&answers, questions, lang)));
    }
    let past = |step: Step| draft.trail.contains(&step);
    if let Some(received) = draft.received.filter(|_| past(Step::Received)) {
        lines.push(format!("{}: {}", lang.pick("Получено", "Received"), day(received)));
    }
    if past(Step::Signer) {
        lines.push(format!("{}: {}", lang.pick("Подписал", "Signed by"), signer_words(draft, lang)));
        // The count will leave it out (ст.186 ГК РФ): said before it is recorded.
        let proxy = obhod_core::Proxy { date: draft.proxy_date, until: draft.proxy_until, certified_by: None };
        if let Some(defect) =
            proxy.defect(draft.received).filter(|_| draft.signer == Signer::Proxy && past(Step::CertifiedBy))
        {
            let words = lang.pick("не будет засчитано", "will not count");
            lines.push(format!("⚠ {}: {words}", defect.words(lang)));
        }
    }
    if past(Step::Defect) || past(Step::DefectOther) {
        let defect = draft.defect.as_ref().map_or_else(|| lang.pick("нет", "none").to_string(), |d| d.words(lang));
        lines.push(format!("{}: {defect}", lang.pick("Дефект", "Defect")));
    }
    lines
}

fn signer_words(draft: &Draft, lang: Lang) -> String {
    let name = draft.representative.trim();
    // The name once typed, then the right: «Петров П. П., по доверенности»; the right alone before.
    let named = |right: String| if name.is_empty() { right } else { format!("{name}, {right}") };
    match draft.signer {
        Signer::Owner => lang.pick("сам собственник", "the owner").into(),
        Signer::Law => named(lang.pick("законный представитель", "legal representative").into()),
        Signer::Head => named(lang.pick("руководитель", "head of the organisation").into()),
        Signer::Proxy => {
            let mut words = match (draft.proxy_date, draft.trail.contains(&Step::ProxyDate)) {
                (Some(date), _) => named(format!("{} {}", lang.pick("по доверенности от", "by proxy of"), day(date))),
                (None, true) => named(lang.pick("по доверенности без даты", "by an undated proxy").into()),
                (None, false) => named(lang.pick("по доверенности", "by proxy").into()),
            };
            if let Some(until) = draft.proxy_until {
                words.push_str(&format!(" {} {}", lang.pick("до", "until"), day(until)));
            }
            if !draft.certified_by.trim().is_empty() {
                words.push_str(&format!(
                    ", {} {}",
                    lang.pick("удостоверил", "certified by"),
                    draft.certified_by.trim()
                ));
            }
            words
        }
    }
}

/// What the step asks, above the decision so far.
fn asked(app: &App, draft: &Draft) -> Vec<Line<'static>> {
    let lang = app.lang;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let questions = &app.campaign.meeting().questions;
    let text = |words: &str| Line::from(words.to_string());
    match draft.step() {
        Step::Premise => vec![text(lang.pick("Введите номер помещения.", "Type the premise's number."))],
        Step::Voter => {
            let mut lines = vec![Line::styled(lang.pick("Кто голосует?", "Who votes?"), bold)];
            for (i, choice) in draft.voters.iter().enumerate() {
                let mark = if i == draft.voter { "▶ " } else { "  " };
                let held = match &choice.held {
                    Some(_) => lang.pick(" · есть решение", " · has a decision"),
                    None => "",
                };
                let line = format!("{mark}{}{held}", choice.words);
                lines.push(if i == draft.voter { Line::styled(line, bold) } else { text(&line) });
            }
            lines
        }
        Step::Answer(n) => {
            let question = questions.get(n).map(|q| q.text.clone()).unwrap_or_default();
            let head = match lang {
                Lang::Ru => format!("Вопрос {} из {}: {question}", n + 1, questions.len()),
                Lang::En => format!("Question {} of {}: {question}", n + 1, questions.len()),
            };
            vec![Line::styled(head, bold)]
        }
        Step::Signer => {
            let mut lines = vec![Line::styled(lang.pick("Кто подписал решение?", "Who signed the decision?"), bold)];
            lines.extend(options(draft, lang));
            lines
        }
        Step::Defect => {
            let mut lines = vec![Line::styled(lang.pick("Есть ли дефект?", "Is there a defect?"), bold)];
            lines.extend(options(draft, lang));
            lines
        }
        Step::Review if draft.check => vec![Line::styled(
            lang.pick(
                "Проверьте ввод: Enter — сверить с записанным, Esc — назад",
                "Check what was typed: Enter compares it with the record, Esc goes back",
            ),
            bold,
        )],
        Step::Review => vec![Line::styled(
            lang.pick(
                "Проверьте решение: Enter — записать, Esc — назад",
                "Check the decision: Enter records, Esc goes back",
            ),
            bold,
        )],
        Step::Compared if draft.differences.is_empty() => {
            vec![Line::styled(lang.pick("✓ Совпадает с записанным решением", "✓ Matches the decision recorded"), bold)]
        }
        Step::Compared => {
            let words = match lang {
                Lang::Ru => format!("✗ Расхождений с записанным: {} (ничего не записано)", draft.differences.len()),
                Lang::En => format!("✗ Differences from the record: {} (nothing recorded)", draft.differences.len()),
            };
            let mut lines = vec![Line::styled(words, bold)];
            lines.extend(draft.differences.iter().map(|d| text(&format!("  {d}"))));
            lines
        }
        Step::Held | Step::WithdrawNote => {
            let Some(held) = &draft.held else { return Vec::new() };
            let words = match lang {
                Lang::Ru => format!("У голосующего уже есть решение {}:", held.id),
                Lang::En => format!("The voter already has decision {}:", held.id),
            };
            let mut lines = vec![Line::styled(words, bold)];
            lines.push(text(&format!("  {}", answers_words(&held.answers, questions.len(), lang))));
            let received = held.received.map(day).unwrap_or_else(|| "—".into());
            let mut more = format!("  {} {received}", lang.pick("получено", "received"));
            if let Some(name) = &held.representative {
                more.push_str(&format!(", {} {name}", lang.pick("подписал", "signed by")));
            }
            if let Some(defect) = &held.defect {
                more.push_str(&format!(", {} {defect}", lang.pick("дефект:", "defect:")));
            }
            lines.push(text(&more));
            if draft.step() == Step::Held {
                lines.extend(options(draft, lang));
            }
            lines
        }
        _ => Vec::new(),
    }
}

/// The step's numbered choices, one a line, from its key rows (the help lists the same).
fn options(draft: &Draft, lang: Lang) -> Vec<Line<'static>> {
    let picks = keys(draft).iter().filter(|row| matches!(row.action, Action::Pick(_)));
    picks.map(|row| Line::from(format!("  {} {}", row.keys_text(), row.words(lang)))).collect()
}

pub fn draw(frame: &mut Frame, app: &mut App, area: Rect, draft: &Draft) {
    let lang = app.lang;
    let name = draft.premise.map(|p| app.premise_name(p)).unwrap_or_else(|| "…".into());
    let mode = match draft.check {
        true => lang.pick("Сверка (второй ввод)", "Check (second entry)"),
        false => lang.pick("Ввод решения", "Ballot entry"),
    };
    let title = format!("{mode} · {name}");
    let mut lines = vec![Line::styled(title, Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED))];
    lines.extend(asked(app, draft));
    let dim = Style::new().add_modifier(Modifier::DIM);
    lines.extend(summary(app, draft).into_iter().map(|line| Line::styled(line, dim)));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}
