//! The end of the protocol: the rules of counting applied where the law is silent, storage, the
//! attachments, the signatures, and the two attachments obhod draws itself (the registry of
//! owners; the premises that took part, without answers or contacts).

use obhod_core::Lang;
use obhod_core::deadlines::Step;

use crate::doc::{Align, Doc, col};
use crate::report::{Interpretation, Report};
use crate::words::{has_absentee, has_in_person, sign};

pub fn interpretations(doc: &mut Doc, report: &Report) {
    let lang = report.lang;
    doc.heading(lang.pick("Правила подсчёта голосов, применённые при подсчёте", "Rules of counting applied"));
    doc.text(lang.pick(
        "Кворум — более 50 % от общего числа голосов (ч. 3 ст. 45 ЖК РФ); количество голосов пропорционально \
         площади помещения в собственности (ч. 3 ст. 48 ЖК РФ); все вычисления точные, проценты округлены до \
         сотых.",
        "Quorum is more than 50 % of all votes (part 3 art. 45 of the Housing Code); votes are proportional to \
         owned area (part 3 art. 48); every sum is exact, percentages are rounded to hundredths.",
    ));
    for interpretation in &report.interpretations {
        doc.text(words(interpretation, report));
    }
}

fn words(interpretation: &Interpretation, report: &Report) -> String {
    let (lang, tally, total) = (report.lang, report.tally, report.total);
    match interpretation {
        Interpretation::Indivisible { carried } => {
            let both = format!(
                "{} {} ({}), {} {}; {} {} ({}), {} {}",
                lang.pick("с ними —", "with them:"),
                report.votes(&tally.participated),
                report.percent(&tally.participated, total),
                lang.pick("кворум", "quorum"),
                yes_no(tally.quorum, lang),
                lang.pick("без них —", "without them:"),
                report.votes(&tally.participated_named),
                report.percent(&tally.participated_named, total),
                lang.pick("кворум", "quorum"),
                yes_no(tally.quorum_named, lang),
            );
            match lang {
                Lang::Ru => format!(
                    "Голоса муниципального образования, государства и юридического лица неделимы (письмо Минстроя \
                     России от 05.10.2017 №\u{a0}35851-ЕС/04): их решение по одному помещению учтено по всем их \
                     помещениям в доме. Так учтены помещения: {}. Участие {both}.",
                    carried.join(", ")
                ),
                Lang::En => format!(
                    "The votes of the municipality, the state and a legal entity are indivisible (Minstroy's letter \
                     of 05.10.2017 No. 35851-ЕС/04): their decision for one premise counts for all their premises \
                     in the building. Premises counted so: {}. Participation {both}.",
                    carried.join(", ")
                ),
            }
        }
        Interpretation::SimpleBase { questions } => {
            let list = questions.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
            match lang {
                Lang::Ru => format!(
                    "{} {list} решение принимается большинством голосов от принявших участие; в это число \
                     входят голоса воздержавшихся и недействительные ответы.",
                    if questions.len() == 1 { "По вопросу" } else { "По вопросам" }
                ),
                Lang::En => format!(
                    "{} {list} {} decided by a majority of the votes that took part, abstentions and \
                     invalid answers included.",
                    if questions.len() == 1 { "Question" } else { "Questions" },
                    if questions.len() == 1 { "is" } else { "are" }
                ),
            }
        }
        Interpretation::Joint { groups } => match lang {
            Lang::Ru => format!(
                "Общая совместная собственность ({}): решение одного из совместных собственников учтено за всю \
                 их долю; при разных ответах нескольких из них ответ на этот вопрос недействителен.",
                lang.count(*groups as u64, ["группа", "группы", "групп"], ["group", "groups"])
            ),
            Lang::En => format!(
                "Joint ownership ({}): one joint owner's decision counts for the whole block; where several \
                 answer differently, the answer to that question is invalid.",
                lang.count(*groups as u64, ["группа", "группы", "групп"], ["group", "groups"])
            ),
        },
    }
}

fn yes_no(quorum: bool, lang: Lang) -> &'static str {
    if quorum { lang.pick("есть", "yes") } else { lang.pick("нет", "no") }
}

pub fn closing(doc: &mut Doc, report: &Report) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.field(
        lang.pick("Место хранения протокола и решений", "The protocol and decisions are kept at"),
        m.storage.as_deref().unwrap_or_default(),
    );
    doc.text(match lang {
        Lang::Ru => format!(
            "Подлинники протокола и решений собственников передаются в управляющую организацию (или в орган \
             государственного жилищного надзора) не позднее {}.",
            fmt.date(report.deadline(Step::Originals))
        ),
        Lang::En => format!(
            "The originals of the protocol and the decisions go to the managing organisation (or the housing \
             inspectorate) no later than {}.",
            fmt.date(report.deadline(Step::Originals))
        ),
    });
}

pub fn attachments(doc: &mut Doc, report: &Report) {
    let (m, lang) = (report.meeting, report.lang);
    doc.heading(lang.pick("Приложения", "Attachments"));
    let mut list = vec![
        lang.pick("Реестр собственников помещений (приложение №\u{a0}1)", "The registry of owners (attachment 1)"),
        lang.pick("Список помещений, собственники которых приняли участие в голосовании (приложение №\u{a0}2)", "The premises whose owners took part (attachment 2)"),
        lang.pick("Сообщение о проведении общего собрания (приложение №\u{a0}3)", "The notice of the meeting (attachment 3)"),
        lang.pick(
            "Документы об уведомлении собственников: реестр вручения сообщений, списки заказных писем (ф.\u{a0}103) (приложение №\u{a0}4)",
            "Proof of notice: the delivery register, the lists of registered letters (form 103) (attachment 4)",
        ),
    ];
    if has_in_person(m) {
        list.push(lang.pick(
            "Список присутствовавших на очном обсуждении (приложение №\u{a0}5)",
            "The list of those present (attachment 5)",
        ));
    }
    list.push(lang.pick("Доверенности представителей собственников", "Proxies of the owners' representatives"));
    list.push(lang.pick("Материалы по вопросам повестки дня", "The materials of the agenda"));
    if has_absentee(m) {
        list.push(lang.pick("Решения собственников по вопросам повестки дня", "The owners' decisions"));
    }
    for (number, item) in list.iter().enumerate() {
        doc.text(format!("{}. {item}.", number + 1));
    }
    signatures(doc, report);
    registry(doc, report);
    participants(doc, report);
}

fn signatures(doc: &mut Doc, report: &Report) {
    let (m, lang) = (report.meeting, report.lang);
    doc.heading(lang.pick("Подписи", "Signatures"));
    sign(doc, lang.pick("Председатель собрания", "Chair"), m.chair.as_deref().unwrap_or_default(), lang);
    sign(doc, lang.pick("Секретарь собрания", "Secretary"), m.secretary.as_deref().unwrap_or_default(), lang);
    for member in &m.counting_commission {
        sign(doc, lang.pick("Член счётной комиссии", "Member of the counting commission"), member, lang);
    }
}

fn registry(doc: &mut Doc, report: &Report) {
    let (lang, fmt) = (report.lang, report.fmt);
    doc.part(true);
    doc.right(lang.pick("Приложение №\u{a0}1 к протоколу", "Attachment 1 to the protocol"));
    doc.title(lang.pick("Реестр собственников помещений", "Registry of owners"));
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Собственник", "Owner"), 6, Align::Left),
        col(lang.pick("Помещение", "Premise"), 3, Align::Left),
        col(lang.pick("Документ о праве собственности", "Title document"), 7, Align::Left),
        col(lang.pick("Доля", "Share"), 2, Align::Right),
        col(lang.pick("Голосов", "Votes"), 2, Align::Right),
        col("%", 2, Align::Right),
    ];
    let rows = report
        .holdings
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let share = fmt.share(line.share);
            let share = if line.joint { format!("{share} ({})", lang.pick("совм.", "joint")) } else { share };
            let percent = fmt.percent(line.votes, report.total);
            vec![
                (i + 1).to_string(),
                line.owner_names(),
                line.place(lang),
                line.documents(),
                share,
                report.votes(line.votes),
                percent,
            ]
        })
        .collect();
    doc.table(columns, rows);
    doc.field(lang.pick("Всего голосов", "Total votes"), format!("{} (100 %)", report.votes(report.total)));
}

fn participants(doc: &mut Doc, report: &Report) {
    let lang = report.lang;
    doc.part(false);
    doc.right(lang.pick("Приложение №\u{a0}2 к протоколу", "Attachment 2 to the protocol"));
    doc.title(
        lang.pick("Помещения, собственники которых приняли участие в голосовании", "Premises whose owners took part"),
    );
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Помещение", "Premise"), 4, Align::Left),
        col(lang.pick("Голосов", "Votes"), 3, Align::Right),
        col("%", 2, Align::Right),
    ];
    let rows = report
        .participants
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                (i + 1).to_string(),
                p.premise.to_owned(),
                report.votes(&p.votes),
                report.fmt.percent(&p.votes, report.total),
            ]
        })
        .collect();
    doc.table(columns, rows);
    let tally = report.tally;
    doc.field(
        lang.pick("Итого приняли участие", "Took part in all"),
        format!("{} ({})", report.votes(&tally.participated), report.percent(&tally.participated, report.total)),
    );
}
