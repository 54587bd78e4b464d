//! Pre-filled decision forms (решение собственника, ч. 5.1 ст. 48 ЖК РФ), one per voter: a person
//! or joint group for one premise, the municipality, the state, a legal entity or a person with an
//! `owner_id` for all its premises. Each names the voter (an organisation with its ОГРН), every
//! premise with its area, share, votes and ЕГРН record (a blank for its number and date where the
//! registry has none), the representative who may sign instead and on what authority, a row of
//! boxes per question, the date and the signatures. Each form is a paper of its own in the file:
//! its pages numbered from 1, each headed with the voter and premises. Never a phone or an e-mail.

use obhod_core::{Lang, OwnerKind};

use crate::doc::{Align, Doc, Sheets, col};
use crate::error::PaperError;
use crate::report::{Report, Voter};
use crate::words::{has_absentee, meeting_span, require_thresholds, short_name};

/// The most places a form's running head names before it counts the rest.
const HEAD_PLACES: usize = 5;

/// The forms of every voter, or only of the voters holding one of `premises` (as typed: found as
/// `obhod mark` finds them); a premise the registry lacks is refused.
pub fn forms(report: &Report, premises: &[String]) -> Result<Doc, PaperError> {
    require_thresholds(report.meeting)?;
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
            doc.part(false);
        }
        doc.sheets(head(report, voter));
        one(&mut doc, report, voter);
    }
    Ok(doc)
}

/// The running head of a form's pages: who votes and for which premises.
fn head(report: &Report, voter: &Voter) -> Sheets {
    let lang = report.lang;
    let mut places: Vec<String> = Vec::new();
    for &index in &voter.holdings {
        let place = report.holdings[index].place(lang);
        if !places.contains(&place) {
            places.push(place);
        }
    }
    let count = places.len();
    let mut named = places.iter().take(HEAD_PLACES).cloned().collect::<Vec<_>>().join(", ");
    if count > HEAD_PLACES {
        let more = count - HEAD_PLACES;
        named = match lang {
            Lang::Ru => format!("{named} и ещё {more} (всего {count})"),
            Lang::En => format!("{named} and {more} more ({count} in all)"),
        };
    }
    let who = voter.owners.iter().map(|o| short_name(o)).collect::<Vec<_>>().join(", ");
    let premises = if count == 1 { lang.pick("пом.", "premise") } else { lang.pick("пом.", "premises") };
    Sheets {
        text: format!("{} {who}, {premises} {named}", lang.pick("Решение собственника:", "Owner's decision:")),
        sheet: lang.pick("лист", "sheet"),
        of: lang.pick("из", "of"),
    }
}

fn one(doc: &mut Doc, report: &Report, voter: &Voter) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.title(lang.pick("РЕШЕНИЕ СОБСТВЕННИКА ПОМЕЩЕНИЯ", "DECISION OF THE OWNER OF PREMISES"));
    let during = meeting_span(m, fmt);
    doc.text(format!("{} {during}", lang.pick("по вопросам повестки дня", "on the agenda of")));
    owners(doc, report, voter);
    holdings(doc, report, voter);
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
    doc.text(lang.pick(
        "По каждому вопросу поставьте один знак («V» или «X») в одной из граф: за, против, воздержался. \
         Ответ с несколькими знаками или без знака не учитывается по этому вопросу.",
        "For each question put one mark (\"V\" or \"X\") in one column: for, against, abstain. An answer \
         with several marks or none is not counted for that question.",
    ));
    let columns = vec![
        col(lang.pick("№", "No."), 6, Align::Center),
        col(lang.pick("Вопрос и предложение", "Question and proposal"), 61, Align::Left),
        col(lang.pick("За", "For"), 11, Align::Center),
        col(lang.pick("Против", "Against"), 11, Align::Center),
        col(lang.pick("Воздер\u{ad}жался", "Abstain"), 11, Align::Center),
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
    representative(doc, voter, lang);
    signatures(doc, voter, lang);
}

/// The voter: a person's full name, the members of a joint group, an organisation's name and ОГРН
/// (a blank for it where the registry has none).
fn owners(doc: &mut Doc, report: &Report, voter: &Voter) {
    let lang = report.lang;
    let label = if voter.joint {
        lang.pick("Собственники (общая совместная собственность)", "Owners (joint ownership)")
    } else {
        lang.pick("Собственник", "Owner")
    };
    let names = voter.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
    doc.field(label, names);
    if voter.kind != OwnerKind::Person {
        match voter.owners[0].ogrn.as_deref() {
            Some(ogrn) => doc.field(lang.pick("ОГРН", "OGRN"), ogrn),
            None => doc.blank(lang.pick("ОГРН: ______________________", "OGRN: ______________________")),
        }
    }
}

/// Every premise of the voter with its area, share, votes and ЕГРН record.
fn holdings(doc: &mut Doc, report: &Report, voter: &Voter) {
    let (lang, fmt) = (report.lang, report.fmt);
    let columns = vec![
        col(lang.pick("Помещение", "Premise"), 5, Align::Left),
        col(lang.pick("Площадь, м²", "Area, m²"), 4, Align::Right),
        col(lang.pick("Доля", "Share"), 3, Align::Right),
        col(lang.pick("Голосов", "Votes"), 4, Align::Right),
        col(lang.pick("№ и дата записи ЕГРН", "No. and date of the title record"), 14, Align::Left),
    ];
    let rows = voter
        .holdings
        .iter()
        .map(|&i| {
            let line = &report.holdings[i];
            let share = fmt.share(line.share);
            let share = if line.joint { format!("{share} ({})", lang.pick("совм.", "joint")) } else { share };
            vec![
                line.place(lang),
                report.votes(line.area),
                share,
                report.votes(line.votes),
                record(&line.documents(), lang),
            ]
        })
        .collect();
    doc.table(columns, rows);
}

/// The title record as the form states it: the registry's, with a blank for its date when it
/// names none; a blank for both where the registry has none.
fn record(document: &str, lang: Lang) -> String {
    let of = lang.pick("от", "of");
    match document {
        "" => format!("№ ______________ {of} ____________"),
        document if has_date(document) => document.to_owned(),
        document => format!("{document} {of} ____________"),
    }
}

/// Whether `text` holds a date as people write it: `12.03.2019`.
fn has_date(text: &str) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    text.as_bytes()
        .windows(10)
        .any(|w| digits(&w[..2]) && w[2] == b'.' && digits(&w[3..5]) && w[5] == b'.' && digits(&w[6..]))
}

/// Who may sign instead of the owner, and on what authority: a proxy with its date, the law for a
/// parent of a child under 14, the head of an organisation without a proxy.
fn representative(doc: &mut Doc, voter: &Voter, lang: Lang) {
    let person = voter.kind == OwnerKind::Person;
    doc.blank(if person {
        lang.pick(
            "Представитель: ____________________________ (Ф. И. О.), действует на основании:",
            "Representative: ______________________________________ (full name), acting under:",
        )
    } else {
        lang.pick(
            "Представитель: ____________________ (Ф. И. О., должность), действует на основании:",
            "Representative: ____________________________ (full name, position), acting under:",
        )
    });
    if !person {
        doc.blank(lang.pick("□ полномочий руководителя (без доверенности)", "□ the powers of its head (no proxy)"));
    }
    doc.blank(lang.pick(
        "□ доверенности от «__» __________ 20__\u{a0}г. №\u{a0}______, удостоверенной ______________",
        "□ a proxy of ____________ No.\u{a0}______, certified by ____________________",
    ));
    if person {
        doc.blank(lang.pick(
            "□ закона (родитель, усыновитель, опекун несовершеннолетнего до 14 лет)",
            "□ the law (a parent, adoptive parent or guardian of a child under 14)",
        ));
    }
}

fn signatures(doc: &mut Doc, voter: &Voter, lang: Lang) {
    let date = lang.pick("Дата заполнения: «___» ____________ 20__\u{a0}г.", "Date: ____________");
    doc.blank(date);
    if voter.kind == OwnerKind::Person {
        let role = lang.pick("Подпись собственника", "Owner's signature");
        for owner in &voter.owners {
            doc.signature(format!("{role}: ____________________ / {} /", owner.name));
        }
    } else {
        // The last page of a long form names whose decision it is, as the first does.
        let names = voter.owners.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ");
        doc.right(format!("{}: {names}", lang.pick("От имени собственника", "On behalf of the owner")));
    }
    let role = lang.pick("Подпись представителя", "Representative's signature");
    doc.signature(format!("{role}: ____________________ / ____________________ /"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_of_the_representative_fits_a_line_of_the_page() {
        for lang in [Lang::Ru, Lang::En] {
            let mut doc = Doc::new();
            for kind in [OwnerKind::Person, OwnerKind::Legal] {
                let voter = Voter { owners: Vec::new(), joint: false, kind, holdings: Vec::new() };
                representative(&mut doc, &voter, lang);
            }
            for line in doc.plain_text().lines() {
                assert!(crate::docx::one_line(line), "«{line}» runs onto a second line");
            }
        }
    }

    #[test]
    fn a_record_gets_a_blank_for_what_the_registry_lacks() {
        assert_eq!(record("", Lang::Ru), "№ ______________ от ____________");
        assert_eq!(
            record("55:36:070402:101-55/036/2019-3", Lang::Ru),
            "55:36:070402:101-55/036/2019-3 от ____________"
        );
        assert_eq!(record("55-АА № 123456 от 12.03.2009", Lang::Ru), "55-АА № 123456 от 12.03.2009");
    }
}
