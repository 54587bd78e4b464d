//! Warnings: things the organiser must see but that do not stop the count.

use chrono::NaiveDate;

use crate::lang::Lang;
use crate::registry::PremiseKind;

/// Something worth the organiser's attention, with a stable `code` for scripts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A premise with no registered owner: excluded from TOTAL ([choice]).
    UnownedPremise { premise: String },
    /// A room of a communal flat with no registered owner: its area goes to the owned rooms.
    UnownedRoom { premise: String, room: String },
    /// Shares of a premise (or room) sum to less than 1: the rest stays in TOTAL, unvoted.
    SharesIncomplete { premise: String, room: Option<String>, sum: String },
    /// A ballot received after the end of voting is not counted.
    LateBallot { premise: String, owner: String, line: u64, received: NaiveDate },
    /// A ballot received more than a year before the meeting: a mistyped year (`0026`); counted,
    /// as the law counts every ballot received by the end of voting.
    EarlyBallot { premise: String, owner: String, line: u64, received: NaiveDate },
    /// A defective ballot is excluded entirely, quorum included.
    DefectiveBallot { premise: String, owner: String, line: u64, reason: String },
    /// A decision signed under a proxy that gave no right to sign it: excluded entirely.
    DefectiveProxy { premise: String, owner: String, line: u64, defect: crate::representative::ProxyDefect },
    /// One person signed for several owners (premise, owner): counted, listed for review.
    OneRepresentativeForSeveral { representative: String, owners: Vec<(String, String)> },
    /// Joint owners (or one owner across premises) answered a question differently.
    ConflictingAnswers { premise: String, owners: String, question: usize },
    /// Differing ballots recorded for one owner of a premise (on two devices, merged by sync):
    /// the holding takes part, and the questions they answer differently are invalid for it
    /// until one is kept (`obhod conflicts`).
    BallotConflict { premise: String, owner: String, questions: Vec<usize> },
    /// A holding with no ballot row of its own, carried by its owner's ballot for another
    /// premise (an owner's votes are indivisible): counted, but a court may not count it.
    CarriedByOwner { premise: String, owner: String, via_premise: String },
    /// An explicit threshold overrides the one the law item implies.
    ThresholdDiffersFromItem { question: usize, item: String, threshold: &'static str, implied: &'static str },
    /// A question whose quorum and threshold the tool does not compute.
    ManualThreshold { question: usize, item: String },
    /// The notice goes out 10 or 11 days before the meeting: the boundary day is disputed.
    NoticeOnBoundary { days: i64 },
    /// The notice goes out later than 10 days before the meeting: the meeting can be voided.
    NoticeTooLate { days: i64 },
    /// A registered letter sent after D − 10: that owner was not notified in time.
    LetterSentLate { premise: String, owner: String, sent: NaiveDate, deadline: NaiveDate },
    /// A notice handed over against signature after D − 10: that owner was not notified in time.
    DeliveredLate { premise: String, owner: String, signed: NaiveDate, deadline: NaiveDate },
    /// Owners notified ten or eleven days before the meeting: in time, on the disputed boundary.
    NoticesOnBoundary { owners: usize, deadline: NaiveDate },
    /// Owners with neither a signature nor a letter sent: they must be notified by D − 10.
    OwnersUnnotified { owners: usize, deadline: NaiveDate },
    /// An organisation (a legal entity, the municipality, the state) without its own address in
    /// the registry: its letter for `premises` goes to premise `to` here, where nobody may receive it.
    NoOwnAddress { owner: String, premises: Vec<String>, to: String },
    /// A letter addressed to a parking space or a storeroom: the Post has no mailbox there.
    /// `line` is the owner's registry line of that premise.
    LetterToNoMailbox { owner: String, premise: String, kind: PremiseKind, line: u64 },
    /// An owner's own address (registry line `line`) without a six-digit postcode.
    AddressWithoutPostcode { owner: String, address: String, line: u64 },
    /// An owner's own address (registry line `line`) without a town or village the Post can read.
    AddressWithoutPlace { owner: String, address: String, line: u64 },
}

impl Warning {
    /// A stable code for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::UnownedPremise { .. } => "unowned_premise",
            Warning::UnownedRoom { .. } => "unowned_room",
            Warning::SharesIncomplete { .. } => "shares_incomplete",
            Warning::LateBallot { .. } => "late_ballot",
            Warning::EarlyBallot { .. } => "early_ballot",
            Warning::DefectiveBallot { .. } => "defective_ballot",
            Warning::DefectiveProxy { .. } => "defective_proxy",
            Warning::OneRepresentativeForSeveral { .. } => "one_representative_for_several",
            Warning::ConflictingAnswers { .. } => "conflicting_answers",
            Warning::BallotConflict { .. } => "ballot_conflict",
            Warning::CarriedByOwner { .. } => "carried_by_owner",
            Warning::ThresholdDiffersFromItem { .. } => "threshold_differs_from_item",
            Warning::ManualThreshold { .. } => "manual_threshold",
            Warning::NoticeOnBoundary { .. } => "notice_on_boundary",
            Warning::NoticeTooLate { .. } => "notice_too_late",
            Warning::LetterSentLate { .. } => "letter_sent_late",
            Warning::DeliveredLate { .. } => "delivered_late",
            Warning::NoticesOnBoundary { .. } => "notices_on_boundary",
            Warning::OwnersUnnotified { .. } => "owners_unnotified",
            Warning::NoOwnAddress { .. } => "no_own_address",
            Warning::LetterToNoMailbox { .. } => "letter_to_no_mailbox",
            Warning::AddressWithoutPostcode { .. } => "address_without_postcode",
            Warning::AddressWithoutPlace { .. } => "address_without_place",
        }
    }

    /// The premise the warning is about, if any.
    pub fn premise(&self) -> Option<&str> {
        match self {
            Warning::UnownedPremise { premise }
            | Warning::UnownedRoom { premise, .. }
            | Warning::SharesIncomplete { premise, .. }
            | Warning::LateBallot { premise, .. }
            | Warning::EarlyBallot { premise, .. }
            | Warning::DefectiveBallot { premise, .. }
            | Warning::DefectiveProxy { premise, .. }
            | Warning::ConflictingAnswers { premise, .. }
            | Warning::BallotConflict { premise, .. }
            | Warning::CarriedByOwner { premise, .. }
            | Warning::LetterSentLate { premise, .. }
            | Warning::DeliveredLate { premise, .. }
            | Warning::LetterToNoMailbox { premise, .. } => Some(premise),
            _ => None,
        }
    }

    /// The registry line the warning names, if any.
    pub fn registry_line(&self) -> Option<u64> {
        match self {
            Warning::LetterToNoMailbox { line, .. }
            | Warning::AddressWithoutPostcode { line, .. }
            | Warning::AddressWithoutPlace { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The question the warning is about, if any.
    pub fn question(&self) -> Option<usize> {
        match self {
            Warning::ConflictingAnswers { question, .. }
            | Warning::ThresholdDiffersFromItem { question, .. }
            | Warning::ManualThreshold { question, .. } => Some(*question),
            _ => None,
        }
    }

    /// The warning in `lang`, for people.
    pub fn message(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let t = |r: String, e: String| if ru { r } else { e };
        match self {
            Warning::UnownedPremise { premise } => t(
                format!("помещение {premise} не оформлено в собственность: не входит в общее число голосов"),
                format!("premise {premise} has no registered owner: left out of the total votes"),
            ),
            Warning::UnownedRoom { premise, room } => t(
                format!(
                    "помещение {premise}, комната {room} не оформлена в собственность: её площадь распределена между собственниками других комнат"
                ),
                format!(
                    "premise {premise}, room {room} has no registered owner: its area is shared among the other rooms' owners"
                ),
            ),
            Warning::SharesIncomplete { premise, room, sum } => {
                let place = match room {
                    Some(r) => t(format!("помещение {premise}, комната {r}"), format!("premise {premise}, room {r}")),
                    None => t(format!("помещение {premise}"), format!("premise {premise}")),
                };
                t(
                    format!(
                        "{place}: доли не сходятся (сумма {sum} меньше 1); остаток входит в общее число голосов, но не голосует"
                    ),
                    format!("{place}: shares sum to {sum}, less than 1; the rest stays in the total votes, unvoted"),
                )
            }
            Warning::EarlyBallot { premise, owner, line, received } => t(
                format!(
                    "строка {line}: решение «{owner}» (помещение {premise}) получено {}, больше чем за год до собрания: проверьте год",
                    received.format("%d.%m.%Y")
                ),
                format!(
                    "line {line}: the ballot of `{owner}` (premise {premise}) was received on {received}, more than a year before the meeting: check the year"
                ),
            ),
            Warning::LateBallot { premise, owner, line, received } => t(
                format!(
                    "строка {line}: решение «{owner}» (помещение {premise}) получено {} после окончания приёма, не учтено",
                    received.format("%d.%m.%Y")
                ),
                format!(
                    "line {line}: the ballot of `{owner}` (premise {premise}) was received on {received}, after voting ended; not counted"
                ),
            ),
            Warning::DefectiveBallot { premise, owner, line, reason } => t(
                format!(
                    "строка {line}: решение «{owner}» (помещение {premise}) с дефектом ({reason}), исключено полностью"
                ),
                format!(
                    "line {line}: the ballot of `{owner}` (premise {premise}) is defective ({reason}) and excluded entirely"
                ),
            ),
            Warning::DefectiveProxy { premise, owner, line, defect } => t(
                format!(
                    "строка {line}: решение «{owner}» (помещение {premise}) подписано по доверенности, которая не даёт права: {}; исключено полностью",
                    defect.words(lang)
                ),
                format!(
                    "line {line}: the ballot of `{owner}` (premise {premise}) was signed under a proxy that gives no right: {}; excluded entirely",
                    defect.words(lang)
                ),
            ),
            Warning::OneRepresentativeForSeveral { representative, owners } => {
                let list = owners
                    .iter()
                    .map(|(premise, owner)| t(format!("«{owner}» (пом. {premise})"), format!("`{owner}` (premise {premise})")))
                    .collect::<Vec<_>>()
                    .join(", ");
                t(
                    format!("«{representative}» подписал решения за нескольких собственников: {list}; учтены, проверьте полномочия"),
                    format!("`{representative}` signed the ballots of several owners: {list}; counted, check the authority"),
                )
            }
            Warning::ConflictingAnswers { premise, owners, question } => t(
                format!(
                    "помещение {premise}: в решениях «{owners}» разные ответы на вопрос {question}; ответ недействителен"
                ),
                format!(
                    "premise {premise}: the ballots of `{owners}` answer question {question} differently; the answer is invalid"
                ),
            ),
            Warning::BallotConflict { premise, owner, questions } => ballot_conflict(premise, owner, questions, lang),
            Warning::CarriedByOwner { premise, owner, via_premise } => t(
                format!(
                    "помещение {premise}: своего решения нет; учтено решение «{owner}» по помещению {via_premise} (голоса собственника неделимы)"
                ),
                format!(
                    "premise {premise}: no ballot of its own; counted with the ballot of `{owner}` for premise {via_premise} (an owner's votes are indivisible)"
                ),
            ),
            Warning::ThresholdDiffersFromItem { question, item, threshold, implied } if item == "other" => t(
                format!(
                    "вопрос {question}: указан порог «{threshold}», а вопрос вне пунктов ч. 2 ст. 44 ЖК РФ решается порогом «{implied}» (ч. 1 ст. 46)"
                ),
                format!(
                    "question {question}: threshold `{threshold}` is set, but a question outside the items of part 2 art. 44 is decided by `{implied}` (part 1 art. 46)"
                ),
            ),
            Warning::ThresholdDiffersFromItem { question, item, threshold, implied } => t(
                format!(
                    "вопрос {question}: указан порог «{threshold}», а п. {item} ч. 2 ст. 44 ЖК РФ требует «{implied}»"
                ),
                format!(
                    "question {question}: threshold `{threshold}` is set, but item {item} of part 2 art. 44 implies `{implied}`"
                ),
            ),
            Warning::ManualThreshold { question, item } => t(
                format!(
                    "вопрос {question} (п. {item}): особый кворум и порог, нужна проверка юриста; итог не вычисляется"
                ),
                format!(
                    "question {question} (item {item}): special quorum and threshold; needs legal review, not computed"
                ),
            ),
            Warning::NoticeOnBoundary { days } => {
                let days = days_count(*days, lang);
                t(
                    format!("уведомление за {days} до собрания: граничный день спорен, лучше не позднее чем за 12 дней"),
                    format!("the notice is {days} before the meeting: the boundary day is disputed, aim for 12 days"),
                )
            }
            Warning::NoticeTooLate { days } if *days <= 0 => t(
                "дата уведомления не раньше даты собрания: уведомить нужно не позднее чем за 10 дней (ч. 4 ст. 45 ЖК РФ)".into(),
                "the notice date is not before the meeting: notify at least 10 days ahead (part 4 art. 45)".into(),
            ),
            Warning::NoticeTooLate { days } => {
                let days = days_count(*days, lang);
                t(
                    format!("уведомление всего за {days} до собрания: закон требует не менее 10 дней (ч. 4 ст. 45 ЖК РФ)"),
                    format!(
                        "the notice is only {days} before the meeting: the law requires at least 10 (part 4 art. 45)"
                    ),
                )
            }
            Warning::LetterSentLate { premise, owner, sent, deadline } => t(
                format!(
                    "помещение {premise}: заказное письмо «{owner}» отправлено {}, позже последнего дня уведомления {} (ч. 4 ст. 45 ЖК РФ)",
                    sent.format("%d.%m.%Y"),
                    deadline.format("%d.%m.%Y")
                ),
                format!(
                    "premise {premise}: the registered letter to `{owner}` was sent on {sent}, after the last day of the notice {deadline} (part 4 art. 45)"
                ),
            ),
            Warning::DeliveredLate { premise, owner, signed, deadline } => t(
                format!(
                    "помещение {premise}: «{owner}» — подпись в получении уведомления {}, позже последнего дня уведомления {}: уведомление с опозданием (ч. 4 ст. 45 ЖК РФ)",
                    signed.format("%d.%m.%Y"),
                    deadline.format("%d.%m.%Y")
                ),
                format!(
                    "premise {premise}: `{owner}` signed for the notice on {signed}, after the last day of the notice {deadline}: notified late (part 4 art. 45)"
                ),
            ),
            Warning::NoticesOnBoundary { owners, deadline } => {
                let owners = lang.count(*owners as u64, ["собственник", "собственника", "собственников"], ["owner", "owners"]);
                t(
                    format!(
                        "уведомлены за 10–11 дней до собрания (последний день — {}): {owners}; граничный день спорен",
                        deadline.format("%d.%m.%Y")
                    ),
                    format!(
                        "notified 10 or 11 days before the meeting (the last day is {deadline}): {owners}; the boundary day is disputed"
                    ),
                )
            }
            Warning::OwnersUnnotified { owners, deadline } => {
                let owners = lang.count(*owners as u64, ["собственник", "собственника", "собственников"], ["owner", "owners"]);
                t(
                    format!(
                        "не уведомлены ни под роспись, ни письмом: {owners}; срок — {} (ч. 4 ст. 45 ЖК РФ)",
                        deadline.format("%d.%m.%Y")
                    ),
                    format!(
                        "notified neither against signature nor by letter: {owners}; the last day is {deadline} (part 4 art. 45)"
                    ),
                )
            }
            Warning::NoOwnAddress { owner, premises, to } => no_own_address(owner, premises, to, lang),
            Warning::LetterToNoMailbox { owner, premise, kind, line } => t(
                format!(
                    "письмо «{owner}» адресовано на {} {premise} (строка {line} реестра): там нет почтового ящика, письмо не вручат; впишите адрес собственника в столбец address реестра",
                    if *kind == PremiseKind::Storage { "кладовую" } else { kind.title(lang) }
                ),
                format!(
                    "the letter to `{owner}` is addressed to {} {premise} (registry line {line}): there is no mailbox there, it will not be delivered; put the owner's address in the registry's address column",
                    kind.title(lang)
                ),
            ),
            Warning::AddressWithoutPostcode { owner, address, line } => t(
                format!(
                    "адрес «{owner}» (строка {line} реестра) без почтового индекса из 6 цифр: «{address}»; допишите индекс в столбец address"
                ),
                format!(
                    "the address of `{owner}` (registry line {line}) has no six-digit postcode: \"{address}\"; add it in the address column"
                ),
            ),
            Warning::AddressWithoutPlace { owner, address, line } => t(
                format!(
                    "адрес «{owner}» (строка {line} реестра) без населённого пункта (г., с., пос. …): «{address}»; допишите его в столбец address"
                ),
                format!(
                    "the address of `{owner}` (registry line {line}) names no town or village (г., с., пос. …): \"{address}\"; add it in the address column"
                ),
            ),
        }
    }
}

fn no_own_address(owner: &str, premises: &[String], to: &str, lang: Lang) -> String {
    let list = premises.join(", ");
    match lang {
        Lang::Ru => format!(
            "у «{owner}» нет своего адреса в реестре (столбец address): письмо за помещения {list} адресовано на помещение {to}; организации пишут по её юридическому адресу (муниципалитету и государству — в их орган по управлению имуществом): пошлите письмо и туда, отметив его obhod mark … sent"
        ),
        Lang::En => format!(
            "`{owner}` has no address of its own in the registry (the address column): its letter for premises {list} is addressed to premise {to}; an organisation is written to at its legal address (the municipality and the state at their property body): send a letter there too and mark it with obhod mark … sent"
        ),
    }
}

fn ballot_conflict(premise: &str, owner: &str, questions: &[usize], lang: Lang) -> String {
    let list = questions.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    let which = match (lang, questions.len()) {
        (Lang::Ru, 0) => "ответы совпадают, различаются дата или дефект".to_string(),
        (Lang::Ru, 1) => format!("ответ на вопрос {list} недействителен"),
        (Lang::Ru, _) => format!("ответы на вопросы {list} недействительны"),
        (Lang::En, 0) => "the answers agree; the date or defect differs".to_string(),
        (Lang::En, 1) => format!("the answer to question {list} is invalid"),
        (Lang::En, _) => format!("the answers to questions {list} are invalid"),
    };
    match lang {
        Lang::Ru => format!(
            "помещение {premise}: для «{owner}» записаны разные решения (с разных устройств); {which}, пока не выбрано одно: obhod conflicts"
        ),
        Lang::En => format!(
            "premise {premise}: different ballots are recorded for `{owner}` (from different devices); {which} until one is kept: obhod conflicts"
        ),
    }
}

/// `1 день`, `3 дня`, `10 дней`.
fn days_count(days: i64, lang: Lang) -> String {
    lang.count(days.unsigned_abs(), ["день", "дня", "дней"], ["day", "days"])
}
