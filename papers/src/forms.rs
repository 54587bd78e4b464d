//! Pre-filled decision forms (решение собственника), one per voter: a person or joint group for
//! one premise, the municipality, the state or a legal entity for all its premises. Each names the
//! owners, premises, areas, shares, votes and title documents, leaves a blank for the СНИЛС (or the
//! organisation's ОГРН), and has a row of boxes per question. Never a phone or an e-mail.

use obhod_core::{Lang, OwnerKind};

use crate::doc::{Align, Doc, col};
use crate::error::PaperError;
use crate::report::{Report, Voter};
use crate::words::{has_absentee, meeting_span};

/// The forms of every voter, or only of the voters holding one of `premises` (as typed: found as
/// `obhod mark` finds them); a premise the registry lacks is refused.
pub fn forms(report: &Report, premises: &[String]) -> Result<Doc, PaperError> {
    let mut wanted = Vec::new();
    for typed in premises {
        let found = report.registry.lookup(typed).ok_or_else(|| PaperError::UnknownPremise(typed.clone()))?;
        wanted.push(report.registry.premises[found.index].label.as_str());
    }
    let voters = report.voters();
    let chosen = voters
        .iter()
        .filter(|v| wanted.is_empty() || v.holdings.iter().any(|&i| wanted.contains(&report.holdings[i].premise)));
    let mut doc = Doc::new();
    for (index, voter) in chosen.enumerate() {
        if index > 0 {
            doc.page_break();
        }
        one(&mut doc, report, voter);
    }
    Ok(doc)
}

fn one(doc: &mut Doc, report: &Report, voter: &Voter) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.title(lang.pick("РЕШЕНИЕ СОБСТВЕННИКА", "OWNER'S DECISION"));
    let during = meeting_span(m, fmt);
    doc.text(format!("{} {during}", lang.pick("по вопросам повестки дня", "on the agenda of")));
    owners(doc, report, voter);
    holdings(doc, report, voter);
    doc.text(lang.pick(
        "По каждому вопросу поставьте один знак («V» или «X») в одной из граф: за, против, воздержался. \
         Ответ с несколькими знаками или без знака не учитывается по этому вопросу.",
        "For each question put one mark (\"V\" or \"X\") in one column: for, against, abstain. An answer \
         with several marks or none is not counted for that question.",
    ));
    let columns = vec![
        col(lang.pick("№", "No."), 7, Align::Center),
        col(lang.pick("Вопрос и предложение", "Question and proposal"), 57, Align::Left),
        col(lang.pick("За", "For"), 12, Align::Center),
        col(lang.pick("Против", "Against"), 12, Align::Center),
        col(lang.pick("Воздер\u{ad}жался", "Abstain"), 12, Align::Center),
    ];
    let rows = m
        .questions
        .iter()
        .map(|q| {
            let text = format!("{}\n{}: {}", q.text, lang.pick("Предложено", "Proposed"), q.proposal);
            vec![q.number.to_string(), text, String::new(), String::new(), String::new()]
        })
        .collect();
    doc.table(columns, rows);
    if has_absentee(m) {
        let to = m.ballots_to.as_deref().unwrap_or("—");
        doc.field(lang.pick("Передать до", "Hand in by"), format!("{} — {to}", fmt.date(m.voting_ends)));
    }
    signatures(doc, voter, lang);
}

fn owners(doc: &mut Doc, report: &Report, voter: &Voter) {
    let lang = report.lang;
    let label = match (voter.joint, voter.owners.len()) {
        (true, _) => lang.pick("Собственники (общая совместная собственность)", "Owners (joint ownership)"),
        _ => lang.pick("Собственник", "Owner"),
    };
    let names = voter.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
    doc.field(label, names);
    if voter.kind == OwnerKind::Person {
        for owner in &voter.owners {
            doc.blank(format!("{} ({}): ______________________", lang.pick("СНИЛС", "SNILS"), owner.name));
        }
    } else {
        doc.blank(lang.pick("ОГРН / ИНН: ______________________", "OGRN / INN: ______________________"));
        doc.blank(lang.pick(
            "Представитель (Ф. И. О., документ о полномочиях): ____________________________________________",
            "Representative (name, document of authority): ____________________________________________",
        ));
    }
    let votes = report.voter_votes(voter);
    doc.field(
        lang.pick("Количество голосов", "Votes"),
        format!(
            "{} ({} {})",
            report.votes(&votes),
            report.percent(&votes, report.total),
            lang.pick("от общего числа голосов", "of all votes")
        ),
    );
}

fn holdings(doc: &mut Doc, report: &Report, voter: &Voter) {
    let (lang, fmt) = (report.lang, report.fmt);
    let columns = vec![
        col(lang.pick("Помещение", "Premise"), 6, Align::Left),
        col(lang.pick("Площадь, м²", "Area, m²"), 5, Align::Right),
        col(lang.pick("Доля", "Share"), 4, Align::Right),
        col(lang.pick("Голосов", "Votes"), 4, Align::Right),
        col(lang.pick("Документ о праве собственности", "Title document"), 11, Align::Left),
    ];
    let rows = voter
        .holdings
        .iter()
        .map(|&i| {
            let line = &report.holdings[i];
            let share = fmt.share(line.share);
            let share = if line.joint { format!("{share} ({})", lang.pick("совм.", "joint")) } else { share };
            vec![line.place(lang), report.votes(line.area), share, report.votes(line.votes), line.documents()]
        })
        .collect();
    doc.table(columns, rows);
}

fn signatures(doc: &mut Doc, voter: &Voter, lang: Lang) {
    let date = lang.pick("Дата заполнения: «___» ____________ 20__\u{a0}г.", "Date: ____________");
    doc.blank(date);
    let role = lang.pick("Подпись", "Signature");
    if voter.kind == OwnerKind::Person {
        for owner in &voter.owners {
            doc.signature(format!("{role}: ____________________ / {} /", owner.name));
        }
    } else {
        // The last page of a long form names whose decision it is, as the first does.
        let names = voter.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        doc.right(format!("{}: {names}", lang.pick("От имени собственника", "On behalf of the owner")));
        let role = lang.pick("Подпись представителя", "Representative's signature");
        doc.signature(format!("{role}: ____________________ / ____________________ /"));
    }
}
