//! The end of the protocol: the rules of counting applied where the law is silent (stated as
//! facts), storage, the one numbered list of attachments with their sheets, the signatures, and
//! the attachments obhod draws itself: the registry of owners, the owners who took part (a mark on
//! premises counted through their owner's decision for another premise, the representative beside
//! the owner who signed through one), for a meeting in person the list of those present to sign on
//! arrival, and the list of the proxies decisions were signed under.

use obhod_core::deadlines::Step;
use obhod_core::{Lang, Meeting, OwnerKind, Signed, Tally};

use crate::doc::{Align, Doc, col};
use crate::report::{Carried, HoldingLine, Interpretation, Report};
use crate::words::{has_absentee, has_in_person, protocol_ref, sign};

/// An attachment of the protocol (ч. 1 ст. 46 ЖК РФ, order 266/пр).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attachment {
    Registry,
    Participants,
    Notice,
    NoticeProof,
    Present,
    Proxies,
    Materials,
    Decisions,
}

/// The attachments of one meeting, numbered 1.. in the order listed.
pub struct Attachments(Vec<Attachment>);

impl Attachments {
    /// The attachments of `meeting` counted as `tally`: the proxies only when a decision was
    /// signed under one.
    pub fn of(meeting: &Meeting, tally: &Tally) -> Attachments {
        use Attachment::*;
        let mut list = vec![Registry, Participants, Notice, NoticeProof];
        if has_in_person(meeting) {
            list.push(Present);
        }
        if proxies(tally).next().is_some() {
            list.push(Proxies);
        }
        list.push(Materials);
        if has_absentee(meeting) {
            list.push(Decisions);
        }
        Attachments(list)
    }

    pub fn number(&self, attachment: Attachment) -> Option<usize> {
        self.0.iter().position(|&a| a == attachment).map(|i| i + 1)
    }

    /// «приложение № 5», when the meeting has that attachment.
    pub fn cite(&self, attachment: Attachment, lang: Lang) -> Option<String> {
        let number = self.number(attachment)?;
        Some(format!("{}{number}", lang.pick("приложение №\u{a0}", "attachment ")))
    }
}

impl Attachment {
    fn title(self, lang: Lang) -> &'static str {
        match self {
            Attachment::Registry => lang.pick(
                "Реестр собственников помещений в многоквартирном доме",
                "The registry of the owners of premises in the building",
            ),
            Attachment::Participants => lang.pick(
                "Список собственников помещений, принявших участие в голосовании",
                "The list of the owners who took part in the vote",
            ),
            Attachment::Notice => {
                lang.pick("Сообщение о проведении общего собрания", "The notice of the general meeting")
            }
            Attachment::NoticeProof => lang.pick(
                "Документы, подтверждающие уведомление собственников о собрании: реестр вручения сообщений, списки \
                 заказных писем (ф.\u{a0}103)",
                "Proof that the owners were notified: the delivery register, the lists of registered letters (form \
                 103)",
            ),
            Attachment::Present => lang.pick(
                "Список присутствовавших на очном обсуждении",
                "The list of those present at the in-person meeting",
            ),
            Attachment::Proxies => {
                lang.pick("Доверенности представителей собственников", "The proxies of the owners' representatives")
            }
            Attachment::Materials => lang.pick("Материалы по вопросам повестки дня", "The materials of the agenda"),
            Attachment::Decisions => {
                lang.pick("Решения собственников по вопросам повестки дня", "The owners' decisions on the agenda")
            }
        }
    }
}

/// The rules of counting applied, as facts.
pub fn rules(doc: &mut Doc, report: &Report) {
    let lang = report.lang;
    doc.heading(lang.pick("Порядок подсчёта голосов", "How the votes were counted"));
    doc.text(lang.pick(
        "Кворум — более 50 % от общего числа голосов (ч. 3 ст. 45 ЖК РФ); количество голосов собственника \
         пропорционально площади принадлежащего ему помещения (ч. 3 ст. 48 ЖК РФ); голоса сложены точно, \
         проценты округлены до сотых.",
        "Quorum is more than 50 % of all votes (part 3 art. 45 of the Housing Code); an owner's votes are \
         proportional to the area owned (part 3 art. 48); the votes are summed exactly, percentages rounded to \
         hundredths.",
    ));
    for interpretation in &report.interpretations {
        doc.text(words(interpretation, lang));
    }
}

fn words(interpretation: &Interpretation, lang: Lang) -> String {
    match interpretation {
        Interpretation::Indivisible { carried } => {
            let each = by_ballot(carried, lang);
            match lang {
                Lang::Ru => format!(
                    "Голоса собственника нескольких помещений неделимы (письмо Минстроя России от 05.10.2017 \
                     №\u{a0}35851-ЕС/04): решение собственника по одному из его помещений учтено по всем его \
                     помещениям в доме. Так учтены: {each}."
                ),
                Lang::En => format!(
                    "The votes of an owner of several premises are indivisible (Minstroy's letter of 05.10.2017 \
                     No.\u{a0}35851-ЕС/04): the owner's decision for one of its premises counts for all its premises \
                     in the building. Counted so: {each}."
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
        Interpretation::UnownedRooms { rooms } => {
            let each = rooms.iter().map(|(premise, room)| match lang {
                Lang::Ru => format!("комната {room} в помещении {premise}"),
                Lang::En => format!("room {room} of premise {premise}"),
            });
            let each = each.collect::<Vec<_>>().join(", ");
            match lang {
                Lang::Ru => format!(
                    "Не оформлены в собственность: {each}; площадь такой комнаты распределена между собственниками \
                     других комнат той же квартиры пропорционально площади их комнат (ст. 42 ЖК РФ)."
                ),
                Lang::En => format!(
                    "Without a registered owner: {each}; the area of such a room is shared among the owners of the \
                     flat's other rooms in proportion to their rooms (art. 42 of the Housing Code)."
                ),
            }
        }
        Interpretation::IncompleteShares { premises } => {
            let list = premises.join(", ");
            match lang {
                Lang::Ru => format!(
                    "Доли собственников {} {list} по реестру в сумме меньше единицы; голоса, приходящиеся на \
                     остальную часть площади, входят в общее количество голосов и в голосовании не участвовали.",
                    if premises.len() == 1 { "помещения" } else { "помещений" }
                ),
                Lang::En => format!(
                    "The owners' shares of {} {list} in the registry sum to less than one; the votes of the rest of \
                     the area are in the total votes and took no part.",
                    if premises.len() == 1 { "premise" } else { "premises" }
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

/// «помещение 7 — по решению Муниципального … по помещению 4; помещения ММ-1, К-1 — …».
fn by_ballot(carried: &[Carried], lang: Lang) -> String {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for c in carried {
        match groups.iter_mut().find(|(owner, via, _)| *owner == c.owner && *via == c.via) {
            Some((_, _, premises)) => premises.push(&c.premise),
            None => groups.push((&c.owner, &c.via, vec![&c.premise])),
        }
    }
    let each = groups.iter().map(|(owner, via, premises)| {
        let noun = match (lang, premises.len()) {
            (Lang::Ru, 1) => "помещение",
            (Lang::Ru, _) => "помещения",
            (Lang::En, 1) => "premise",
            (Lang::En, _) => "premises",
        };
        match lang {
            Lang::Ru => format!("{noun} {} — по решению «{owner}» по помещению {via}", premises.join(", ")),
            Lang::En => format!("{noun} {} — by the decision of «{owner}» for premise {via}", premises.join(", ")),
        }
    });
    each.collect::<Vec<_>>().join("; ")
}

/// Storage, the originals, the attachments, the signatures, then the attachments obhod draws.
pub fn closing(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.field(
        lang.pick("Место хранения протокола и решений собственников", "The protocol and decisions are kept at"),
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
    doc.heading(lang.pick("Приложения", "Attachments"));
    // Lines with a blank for the sheets, kept with the signatures that follow: none of them ever
    // stands on a page alone.
    for (index, attachment) in attachments.0.iter().enumerate() {
        let sheets = lang.pick("на ___ л.", "on ___ sheets");
        doc.blank(format!("{}. {} — {sheets}", index + 1, attachment.title(lang)));
    }
    signatures(doc, report);
    registry(doc, report, attachments);
    participants(doc, report, attachments);
    if attachments.number(Attachment::Present).is_some() {
        present(doc, report, attachments);
    }
    if attachments.number(Attachment::Proxies).is_some() {
        proxy_list(doc, report, attachments);
    }
}

/// The ballots signed under a written proxy, in the order given.
fn proxies(tally: &Tally) -> impl Iterator<Item = (&Signed, &obhod_core::Proxy)> {
    tally.signed.iter().filter_map(|s| Some((s, s.representative.authority.proxy()?)))
}

/// Each proxy a decision was signed under: the owner, the premise, the representative, the
/// proxy's date, its term (one year from its date when it names none) and who certified it.
fn proxy_list(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (lang, fmt) = (report.lang, report.fmt);
    doc.part(false);
    head(doc, report, attachments, Attachment::Proxies);
    let columns = vec![
        // Widths in hundredths of the page, each the narrowest its header and a date fit.
        col(lang.pick("№", "No."), 6, Align::Right),
        col(lang.pick("Собственник", "Owner"), 17, Align::Left),
        col(lang.pick("Помещение", "Premise"), 15, Align::Left),
        col(lang.pick("Представитель", "Representative"), 19, Align::Left),
        col(lang.pick("Дата", "Dated"), 13, Align::Left),
        col(lang.pick("Срок действия", "Valid until"), 13, Align::Left),
        col(lang.pick("Кем удостоверена", "Certified by"), 17, Align::Left),
    ];
    let rows = proxies(report.tally)
        .enumerate()
        .map(|(i, (signed, proxy))| {
            let date = proxy.date.map_or_else(|| lang.pick("не указана", "none").to_owned(), |d| fmt.date(d));
            let term = match (proxy.until, proxy.ends()) {
                (Some(until), _) => fmt.date(until),
                (None, Some(ends)) => {
                    format!("{} ({})", fmt.date(ends), lang.pick("один год с даты выдачи", "one year from its date"))
                }
                (None, None) => "—".to_owned(),
            };
            vec![
                (i + 1).to_string(),
                signed.owner.clone(),
                signed.premise.clone(),
                signed.representative.name.clone(),
                date,
                term,
                proxy.certified_by.clone().unwrap_or_else(|| "—".to_owned()),
            ]
        })
        .collect();
    doc.table(columns, rows);
}

/// The owner as the list of participants names them, with whoever signed their counted decision.
fn signed_by(line: &HoldingLine, report: &Report) -> String {
    let (lang, tally) = (report.lang, report.tally);
    let mut names = owner_of(line, lang);
    let counted = |s: &Signed| !tally.excluded.iter().any(|e| e.line == s.line && e.premise == s.premise);
    let signers = tally
        .signed
        .iter()
        .filter(|s| s.premise == line.premise && line.owners.iter().any(|o| o.name == s.owner) && counted(s));
    for signed in signers {
        let representative = &signed.representative;
        let whom = if line.owners.len() > 1 { format!("{} — ", signed.owner) } else { String::new() };
        names.push_str(&format!(
            " ({whom}{}: {}, {})",
            lang.pick("представитель", "representative"),
            representative.name,
            representative.authority.words(lang)
        ));
    }
    names
}

fn signatures(doc: &mut Doc, report: &Report) {
    let (m, lang) = (report.meeting, report.lang);
    sign(doc, lang.pick("Председатель общего собрания", "Chair"), m.chair.as_deref().unwrap_or_default(), lang);
    sign(doc, lang.pick("Секретарь общего собрания", "Secretary"), m.secretary.as_deref().unwrap_or_default(), lang);
    for member in &m.counting_commission {
        sign(doc, lang.pick("Член счётной комиссии", "Member of the counting commission"), member, lang);
    }
}

/// «Приложение № 1 к протоколу № 1 от 25.12.2026» and the attachment's title.
fn head(doc: &mut Doc, report: &Report, attachments: &Attachments, attachment: Attachment) {
    let lang = report.lang;
    let number = attachments.number(attachment).unwrap_or_default();
    doc.right(format!(
        "{}{number} {} {}",
        lang.pick("Приложение №\u{a0}", "Attachment "),
        lang.pick("к протоколу общего собрания", "to the minutes"),
        protocol_ref(report.meeting, report.fmt)
    ));
    doc.title(attachment.title(lang));
}

/// An owner as a list names it: an organisation with its ОГРН.
fn owner_of(line: &HoldingLine, lang: Lang) -> String {
    let names = line.owner_names();
    match line.owners.first() {
        Some(owner) if owner.kind != OwnerKind::Person && !line.joint => match &owner.ogrn {
            Some(ogrn) => format!("{names}, {} {ogrn}", lang.pick("ОГРН", "OGRN")),
            None => names,
        },
        _ => names,
    }
}

fn registry(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (lang, fmt) = (report.lang, report.fmt);
    doc.part(true);
    head(doc, report, attachments, Attachment::Registry);
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Собственник", "Owner"), 7, Align::Left),
        col(lang.pick("Помещение", "Premise"), 4, Align::Left),
        col(lang.pick("Площадь, м²", "Area, m²"), 3, Align::Right),
        col(lang.pick("Документ о праве собственности", "Title document"), 9, Align::Left),
        col(lang.pick("Доля", "Share"), 3, Align::Right),
        col(lang.pick("Голосов", "Votes"), 3, Align::Right),
        col("%", 2, Align::Right),
    ];
    let rows = report
        .holdings
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let share = fmt.share(line.share);
            let share = if line.joint { format!("{share} ({})", lang.pick("совм.", "joint")) } else { share };
            vec![
                (i + 1).to_string(),
                owner_of(line, lang),
                line.place(lang),
                report.votes(line.area),
                line.documents(),
                share,
                report.votes(line.votes),
                fmt.percent(line.votes, report.total),
            ]
        })
        .collect();
    doc.table(columns, rows);
    doc.field(lang.pick("Всего голосов", "Total votes"), format!("{} (100 %)", report.votes(report.total)));
    if !report.unowned.is_empty() {
        let each = report
            .unowned
            .iter()
            .map(|p| format!("{} ({}\u{a0}{})", p.label, report.votes(&p.area), lang.pick("м²", "m²")));
        doc.field(
            lang.pick(
                "Помещения без зарегистрированного собственника (в общее количество голосов не включены)",
                "Premises without a registered owner (not included in the total votes)",
            ),
            each.collect::<Vec<_>>().join(", "),
        );
    }
}

fn participants(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (lang, fmt) = (report.lang, report.fmt);
    doc.part(false);
    head(doc, report, attachments, Attachment::Participants);
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Собственник", "Owner"), 9, Align::Left),
        col(lang.pick("Помещение", "Premise"), 4, Align::Left),
        col(lang.pick("Голосов", "Votes"), 3, Align::Right),
        col("%", 3, Align::Right),
    ];
    let took_part = report.holdings.iter().filter(|l| l.took_part);
    let rows = took_part
        .enumerate()
        .map(|(i, line)| {
            let mark = if line.carried_by.is_some() { "*" } else { "" };
            vec![
                (i + 1).to_string(),
                signed_by(line, report),
                format!("{}{mark}", line.place(lang)),
                report.votes(line.votes),
                fmt.percent(line.votes, report.total),
            ]
        })
        .collect();
    doc.table(columns, rows);
    let tally = report.tally;
    doc.field(
        lang.pick("Итого приняли участие", "Took part in all"),
        format!("{} ({})", report.votes(&tally.participated), report.percent(&tally.participated, report.total)),
    );
    if let Some(Interpretation::Indivisible { carried }) =
        report.interpretations.iter().find(|i| matches!(i, Interpretation::Indivisible { .. }))
    {
        doc.text(match lang {
            Lang::Ru => format!(
                "* Помещение учтено по решению его собственника, поданному по другому его помещению (голоса \
                 собственника неделимы): {}.",
                by_ballot(carried, lang)
            ),
            Lang::En => format!(
                "* Counted through its owner's decision for another of its premises (an owner's votes are \
                 indivisible): {}.",
                by_ballot(carried, lang)
            ),
        });
    }
}

/// The sheet those present at the in-person meeting sign on arrival: a numbered blank row each,
/// one for every voter up to two pages.
fn present(doc: &mut Doc, report: &Report, attachments: &Attachments) {
    let (m, lang, fmt) = (report.meeting, report.lang, report.fmt);
    doc.part(false);
    head(doc, report, attachments, Attachment::Present);
    let when = match m.time.as_deref() {
        Some(time) => format!("{} {} {time}", fmt.date(m.date), lang.pick("в", "at")),
        None => fmt.date(m.date),
    };
    doc.text(format!("{when}, {}", m.place.as_deref().unwrap_or("—")));
    let columns = vec![
        col(lang.pick("№", "No."), 2, Align::Right),
        col(lang.pick("Ф. И. О. собственника или представителя", "Owner or representative"), 9, Align::Left),
        col(lang.pick("Помещение", "Premise"), 4, Align::Left),
        col(lang.pick("Документ представителя", "Representative's document"), 6, Align::Left),
        col(lang.pick("Подпись", "Signature"), 5, Align::Left),
    ];
    let count = report.voters().len().clamp(MIN_PRESENT_ROWS, MAX_PRESENT_ROWS);
    let rows = (1..=count).map(|i| vec![i.to_string(), String::new(), String::new(), String::new(), String::new()]);
    doc.signing_table(columns, rows.collect(), PRESENT_ROW);
}

/// The rows of the list of those present: one per voter, at least a page and at most two.
const MIN_PRESENT_ROWS: usize = 10;
const MAX_PRESENT_ROWS: usize = 40;
/// A row tall enough to sign in: 1 cm.
const PRESENT_ROW: u32 = 567;
