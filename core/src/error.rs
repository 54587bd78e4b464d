//! Input errors: a bad file is refused whole, with the file, the line (and column
//! where it helps) and what is wrong, in the reader's language.

use std::fmt;

use crate::lang::Lang;

/// A refused input file: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::En))]
pub struct InputError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line, when the problem has one.
    pub line: Option<u64>,
    /// 1-based column, when it helps.
    pub column: Option<u64>,
    /// The workbook's sheet, when the file is a workbook (`line` is then its row).
    pub sheet: Option<String>,
    pub problem: Box<Problem>,
}

impl InputError {
    pub fn new(file: &str, line: Option<u64>, problem: Problem) -> Self {
        InputError { file: file.to_owned(), line, column: None, sheet: None, problem: Box::new(problem) }
    }

    /// The same error on a workbook's sheet (`None`: a text file).
    pub fn on_sheet(mut self, sheet: Option<&str>) -> Self {
        self.sheet = sheet.map(str::to_owned);
        self
    }

    pub fn at(file: &str, line: u64, problem: Problem) -> Self {
        Self::new(file, Some(line), problem)
    }

    /// `file:line:column: problem`, in `lang`; in a workbook, `file, sheet "S", row N: problem`.
    pub fn message(&self, lang: Lang) -> String {
        if let (Some(sheet), Some(line)) = (&self.sheet, self.line) {
            let place = match lang {
                Lang::Ru => format!("{}, лист «{sheet}», строка {line}", self.file),
                Lang::En => format!("{}, sheet \"{sheet}\", row {line}", self.file),
            };
            return format!("{place}: {}", self.problem.message(lang));
        }
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        format!("{out}: {}", self.problem.message(lang))
    }
}

/// What is wrong with an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NotFound,
    Unreadable(String),
    /// Text in no encoding obhod reads (UTF-8, UTF-16 with its mark, Windows-1251).
    Undecodable,
    /// An Excel or LibreOffice workbook where a text file is read.
    Workbook,
    /// A workbook that cannot be opened (damaged, encrypted, not a workbook at all).
    BadWorkbook(String),
    Empty,
    Csv(String),
    FieldCount {
        found: u64,
        expected: u64,
    },
    NoPremises,
    /// Not one premise has an owner: there is no vote to count.
    NoOwners,
    MissingColumn(&'static str),
    DuplicateColumn(String),
    MissingValue(&'static str),
    NotANumber {
        column: &'static str,
        value: String,
    },
    /// An area larger than any premise (a misplaced separator, digits typed twice).
    TooLarge {
        column: &'static str,
        value: String,
    },
    NotPositive {
        column: &'static str,
        value: String,
    },
    NotAFraction(String),
    ZeroShare(String),
    UnknownKind(String),
    UnknownOwnerKind(String),
    /// A value that must be equal on every row of a premise (or room) differs.
    Differs {
        premise: String,
        column: &'static str,
        first_line: u64,
    },
    MixedRooms {
        premise: String,
        other_line: u64,
    },
    RoomsExceedFlat {
        premise: String,
        rooms: crate::number::Votes,
        area: crate::number::Votes,
    },
    SharesOverOne {
        premise: String,
        room: Option<String>,
        sum: String,
    },
    EmptyOwner {
        premise: String,
    },
    DuplicateOwner {
        premise: String,
        owner: String,
        other_line: u64,
    },
    UnknownPremise(String),
    UnknownOwner {
        premise: String,
        owner: String,
    },
    DuplicateBallot {
        premise: String,
        owner: String,
        other_line: u64,
    },
    MissingQuestion(usize),
    ExtraQuestion {
        column: String,
        questions: usize,
    },
    UnknownAnswer {
        question: usize,
        value: String,
    },
    BadDate(String),
    /// A decision signed by a representative without the right they signed by.
    MissingAuthority {
        representative: String,
    },
    UnknownAuthority(String),
    /// A column about the representative filled on a decision the owner signed.
    WithoutRepresentative {
        column: &'static str,
    },
    /// A proxy's column filled for a representative by law or an organisation's head.
    NotAProxy {
        column: &'static str,
        authority: String,
    },
    Toml(String),
    MissingKey(String),
    BadValue {
        key: String,
        value: String,
        expected: String,
    },
    BadItem(String),
    NoQuestions,
    EndsBeforeStart,
    RegistryNotFound(String),
    /// Two ballot columns that both mean one question (`1` and `01`).
    DuplicateQuestion {
        question: usize,
        first: String,
        second: String,
    },
    /// A control character or a bidirectional override in a field.
    ForbiddenCharacter {
        field: String,
        character: char,
    },
    /// Two premise labels a reader cannot tell apart (`H-1` in Latin, `Н-1` in Cyrillic).
    LookAlikePremises {
        premise: String,
        other: String,
        other_line: u64,
    },
    /// Two owners of one premise whose names differ only by look-alike letters or case.
    LookAlikeOwners {
        premise: String,
        owner: String,
        other: String,
        other_line: u64,
    },
    /// One name in one premise as two kinds of owner (a person and a legal entity).
    OwnerKindsDiffer {
        premise: String,
        owner: String,
        other_line: u64,
    },
    /// A joint group whose members are different kinds of owner.
    JointKindsDiffer {
        premise: String,
        joint: String,
        other_line: u64,
    },
    /// A key of `meeting.toml` that obhod does not read (a typo would be ignored in silence).
    UnknownKey {
        key: String,
        known: String,
    },
    /// A key of `meeting.toml` that must not be blank.
    EmptyValue(String),
    /// Two rooms of one communal flat whose labels a reader cannot tell apart.
    LookAlikeRooms {
        premise: String,
        room: String,
        other: String,
        other_line: u64,
    },
    /// A tracking number (ШПИ) that is not 14 digits.
    BadTracking(crate::mail::BadTracking),
    /// A file that is not a registered-mail list obhod wrote (no table header found).
    NotAMailList,
    /// A second row of a mail list for one owner and premise.
    DuplicateLetter {
        premise: String,
        owner: String,
        other_line: u64,
    },
    /// One tracking number on two rows of a mail list.
    DuplicateTracking {
        tracking: String,
        other_line: u64,
    },
    /// A mail list's letter to an owner already recorded as sent on another date or with another
    /// tracking number: one letter is not sent twice.
    LetterSentBefore {
        premise: String,
        owner: String,
        date: chrono::NaiveDate,
        tracking: Option<String>,
        fact: String,
    },
    /// A tracking number a standing letter already carries (for all owners when `owner` is `None`).
    TrackingRecorded {
        tracking: String,
        premise: String,
        owner: Option<String>,
        date: chrono::NaiveDate,
        fact: String,
    },
    /// A form-103 row whose note names a premise the letter to that owner is not for.
    LetterPremises {
        owner: String,
        premise: String,
        letter: Vec<String>,
    },
    /// A business-service order row whose `order-num` is not one obhod writes (`premise/owner`).
    BadOrderNum(String),
    /// An owner's own address that cannot be split into the parts the business service's order
    /// needs: what is missing or cannot be read.
    AddressNotInParts {
        owner: String,
        address: String,
        missing: Vec<&'static str>,
        unreadable: Vec<String>,
    },
    /// An `ogrn` that is not 13 digits with the right check digit.
    BadOgrn(String),
    /// An `ogrn` on a person's row: only organisations have one.
    OgrnOfPerson(String),
    /// A header `registry import --map` names that the file does not have.
    MapHeaderMissing {
        header: String,
    },
    /// A register without a column `registry import` needs, under any header it knows.
    ImportColumnMissing(&'static str),
    /// A file `registry import` cannot read as a register or a ЕГРН extract.
    NotAnExtract(String),
    /// One `owner_id` on rows of two names (or kinds of owner).
    OwnerIdNames {
        id: String,
        owner: String,
        other: String,
        other_line: u64,
    },
}

impl Problem {
    /// The problem in `lang`, with a hint where one exists.
    pub fn message(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let t = |r: String, e: String| if ru { r } else { e };
        match self {
            Problem::NotFound => t("файл не найден".into(), "file not found".into()),
            Problem::Unreadable(why) => {
                t(format!("не удаётся прочитать файл: {why}"), format!("cannot read the file: {why}"))
            }
            Problem::Workbook => t(
                "это книга Excel, а здесь нужен текстовый файл".into(),
                "this is a spreadsheet workbook, and a text file is expected here".into(),
            ),
            Problem::BadWorkbook(why) => t(
                format!("книгу не открыть (повреждена, защищена паролем или это не книга Excel/LibreOffice): {why}"),
                format!("the workbook cannot be opened (damaged, password-protected or not a workbook): {why}"),
            ),
            Problem::Undecodable => t(
                "текст не в UTF-8 и не в Windows-1251: пересохраните его в UTF-8 (таблицу в Excel — как «CSV UTF-8», текст в Блокноте — с кодировкой UTF-8)".into(),
                "the text is neither UTF-8 nor Windows-1251: save it again as UTF-8 (a table in Excel as \"CSV UTF-8\", a text in Notepad with the UTF-8 encoding)".into(),
            ),
            Problem::Empty => t("файл пуст: нет строки заголовка".into(), "the file is empty: no header row".into()),
            Problem::Csv(why) => t(format!("ошибка CSV: {why}"), format!("malformed CSV: {why}")),
            Problem::FieldCount { found, expected } => {
                let fields = |n| lang.count(n, ["поле", "поля", "полей"], ["field", "fields"]);
                let (found, expected) = (fields(*found), fields(*expected));
                t(
                    format!(
                        "{found}, а в заголовке {expected}: проверьте разделители и кавычки (в файле с «,» пишите \"54,3\" в кавычках)"
                    ),
                    format!(
                        "{found} where the header has {expected}: check delimiters and quotes (quote \"54,3\" in a comma-separated file)"
                    ),
                )
            }
            Problem::NoPremises => t(
                "в реестре нет ни одного помещения: только строка заголовка".into(),
                "the registry has no premises: only a header row".into(),
            ),
            Problem::NoOwners => t(
                "в реестре нет ни одного собственника: столбец собственника пуст во всех строках, и голосовать некому"
                    .into(),
                "the registry has no owner: the owner column is empty on every row, so nobody has a vote".into(),
            ),
            Problem::MissingColumn(c) => {
                t(format!("нет обязательного столбца «{c}»"), format!("required column `{c}` is missing"))
            }
            Problem::DuplicateColumn(c) => {
                t(format!("столбец «{c}» указан дважды"), format!("column `{c}` appears twice"))
            }
            Problem::MissingValue(c) => {
                t(format!("пустое значение в обязательном столбце «{c}»"), format!("required column `{c}` is empty"))
            }
            Problem::NotANumber { column, value } => t(
                format!("«{value}» в столбце «{column}» не число (пример: 54,3)"),
                format!("`{value}` in column `{column}` is not a number (example: 54.3)"),
            ),
            Problem::TooLarge { column, value } => t(
                format!(
                    "«{value}» в столбце «{column}»: больше {} м², такого помещения не бывает; проверьте запятую и цифры",
                    crate::registry::MAX_AREA
                ),
                format!(
                    "`{value}` in column `{column}`: above {} m², larger than any premise; check the separator and the digits",
                    crate::registry::MAX_AREA
                ),
            ),
            Problem::NotPositive { column, value } => t(
                format!("«{value}» в столбце «{column}»: значение должно быть больше нуля"),
                format!("`{value}` in column `{column}` must be greater than zero"),
            ),
            Problem::NotAFraction(v) => t(
                format!("доля «{v}» не дробь (пишите 1/3, 3/4 или 1)"),
                format!("share `{v}` is not a fraction (write 1/3, 3/4 or 1)"),
            ),
            Problem::ZeroShare(v) => t(
                format!("доля «{v}»: числитель и знаменатель должны быть больше нуля"),
                format!("share `{v}`: numerator and denominator must be greater than zero"),
            ),
            Problem::UnknownKind(v) => t(
                format!("неизвестный тип помещения «{v}» (квартира, нежилое, машино-место, кладовая)"),
                format!("unknown premise kind `{v}` (flat, nonresidential, parking, storage)"),
            ),
            Problem::UnknownOwnerKind(v) => t(
                format!("неизвестный вид собственника «{v}» (физлицо, юрлицо, муниципальная, государственная)"),
                format!("unknown owner kind `{v}` (person, legal, municipal, state)"),
            ),
            Problem::Differs { premise, column, first_line } => t(
                format!(
                    "помещение {premise}: «{column}» отличается от строки {first_line}; значение должно быть одинаковым во всех строках"
                ),
                format!(
                    "premise {premise}: `{column}` differs from line {first_line}; it must be the same on every row"
                ),
            ),
            Problem::MixedRooms { premise, other_line } => t(
                format!(
                    "помещение {premise}: строки с комнатами и без комнат (см. строку {other_line}); в коммунальной квартире укажите комнату в каждой строке"
                ),
                format!(
                    "premise {premise}: rows with and without rooms (see line {other_line}); give a room on every row of a communal flat"
                ),
            ),
            Problem::RoomsExceedFlat { premise, rooms, area } => {
                let m2 = |v| crate::number::decimal(v, 2, lang.decimal_separator());
                let (rooms, area) = (m2(rooms), m2(area));
                t(
                    format!("помещение {premise}: площадь комнат {rooms} м² больше площади квартиры {area} м²"),
                    format!("premise {premise}: rooms total {rooms} m², more than the flat's {area} m²"),
                )
            }
            Problem::SharesOverOne { premise, room, sum } => {
                let place = match room {
                    Some(r) => t(format!("помещение {premise}, комната {r}"), format!("premise {premise}, room {r}")),
                    None => t(format!("помещение {premise}"), format!("premise {premise}")),
                };
                t(
                    format!("{place}: сумма долей {sum} больше 1 (пустая доля означает всё помещение)"),
                    format!("{place}: shares sum to {sum}, more than 1 (an empty share means the whole premise)"),
                )
            }
            Problem::EmptyOwner { premise } => t(
                format!("помещение {premise}: пустой собственник в помещении, где есть другие собственники"),
                format!("premise {premise}: an empty owner on a premise that has other owners"),
            ),
            Problem::DuplicateOwner { premise, owner, other_line } => t(
                format!("помещение {premise}: собственник «{owner}» уже указан в строке {other_line}"),
                format!("premise {premise}: owner `{owner}` already appears on line {other_line}"),
            ),
            Problem::UnknownPremise(p) => {
                t(format!("помещения «{p}» нет в реестре"), format!("premise `{p}` is not in the registry"))
            }
            Problem::UnknownOwner { premise, owner } => t(
                format!("в помещении {premise} нет собственника «{owner}» по реестру"),
                format!("the registry has no owner `{owner}` in premise {premise}"),
            ),
            Problem::DuplicateBallot { premise, owner, other_line } => t(
                format!("повторное решение: помещение {premise}, «{owner}» уже в строке {other_line}"),
                format!("duplicate ballot: premise {premise}, `{owner}` already on line {other_line}"),
            ),
            Problem::MissingQuestion(n) => t(format!("нет столбца вопроса {n}"), format!("no column for question {n}")),
            Problem::ExtraQuestion { column, questions } => {
                let n = lang.count(*questions as u64, ["вопрос", "вопроса", "вопросов"], ["question", "questions"]);
                t(
                    format!("столбец «{column}»: в повестке только {n}"),
                    format!("column `{column}`: the agenda has only {n}"),
                )
            }
            Problem::UnknownAnswer { question, value } => t(
                format!("вопрос {question}: непонятный ответ «{value}» (за, против, воздержался, пусто, испорчен)"),
                format!("question {question}: unknown answer `{value}` (for, against, abstain, empty, spoiled)"),
            ),
            Problem::BadDate(v) => t(
                format!("«{v}» не дата (пишите 2026-12-18 или 18.12.2026)"),
                format!("`{v}` is not a date (write 2026-12-18 or 18.12.2026)"),
            ),
            Problem::MissingAuthority { representative } => t(
                format!(
                    "решение подписал представитель «{representative}», но не указаны его полномочия (столбец «полномочия»: доверенность, закон или руководитель)"
                ),
                format!(
                    "the decision was signed by the representative `{representative}` but the right is missing (column `authority`: proxy, law or head)"
                ),
            ),
            Problem::UnknownAuthority(v) => t(
                format!("непонятные полномочия «{v}» (доверенность, закон, руководитель)"),
                format!("unknown authority `{v}` (proxy, law, head)"),
            ),
            Problem::WithoutRepresentative { column } => t(
                format!("заполнен столбец «{column}», но представитель не указан (столбец «представитель»)"),
                format!("column `{column}` is filled but no representative is named (column `representative`)"),
            ),
            Problem::NotAProxy { column, authority } => t(
                format!("заполнен столбец «{column}», но полномочия «{authority}» — не доверенность"),
                format!("column `{column}` is filled but the authority `{authority}` is not a proxy"),
            ),
            Problem::Toml(why) => match toml_hint(why) {
                Some(hint) => t(format!("ошибка TOML: {hint} ({why})"), format!("malformed TOML: {why}")),
                None => t(format!("ошибка TOML: {why}"), format!("malformed TOML: {why}")),
            },
            Problem::MissingKey(k) => {
                t(format!("нет обязательного ключа «{k}»"), format!("required key `{k}` is missing"))
            }
            Problem::BadValue { key, value, expected } => t(
                format!("«{key}» = «{value}»: ожидается {expected}"),
                format!("`{key}` = `{value}`: expected {expected}"),
            ),
            Problem::BadItem(v) => {
                let items = crate::meeting::ARTICLE_44_ITEMS.join(", ");
                t(
                    format!("«{v}» не пункт ч. 2 ст. 44 ЖК РФ; пункты: {items}; «36.3» — ч. 3 ст. 36; иначе «other»"),
                    format!(
                        "`{v}` is not an item of part 2 art. 44; items: {items}; \"36.3\" for part 3 art. 36; else \"other\""
                    ),
                )
            }
            Problem::NoQuestions => t(
                "в повестке нет вопросов: добавьте хотя бы один [[question]]".into(),
                "the agenda has no questions: add at least one [[question]]".into(),
            ),
            Problem::EndsBeforeStart => {
                t("voting_ends раньше даты собрания date".into(), "voting_ends is before the meeting date".into())
            }
            Problem::RegistryNotFound(p) => t(
                format!("файл реестра «{p}» не найден (путь считается от файла собрания)"),
                format!("registry file `{p}` not found (the path is relative to the meeting file)"),
            ),
            Problem::DuplicateQuestion { question, first, second } => t(
                format!("столбцы «{first}» и «{second}» оба означают вопрос {question}: оставьте один"),
                format!("columns `{first}` and `{second}` both mean question {question}: keep one"),
            ),
            Problem::ForbiddenCharacter { field, character } => {
                let code = crate::text::code_point(*character);
                t(
                    format!(
                        "поле «{field}»: недопустимый управляющий символ {code}; удалите его (часто попадает при копировании)"
                    ),
                    format!(
                        "field `{field}`: forbidden control character {code}; delete it (it often comes with a paste)"
                    ),
                )
            }
            Problem::LookAlikePremises { premise, other, other_line } => t(
                format!(
                    "помещение «{premise}» неотличимо на вид от «{other}» в строке {other_line} (латинские и русские буквы, регистр или нули впереди): это одно помещение? Исправьте номер"
                ),
                format!(
                    "premise `{premise}` looks the same as `{other}` on line {other_line} (Latin and Cyrillic letters, case or leading zeros): is it one premise? Fix the label"
                ),
            ),
            Problem::BadOgrn(value) => t(
                format!(
                    "ОГРН «{value}» неверен: это 13 цифр, последняя — контрольная; проверьте по выписке ЕГРЮЛ"
                ),
                format!("OGRN `{value}` is wrong: 13 digits, the last a check digit; check it against the register"),
            ),
            Problem::OgrnOfPerson(value) => t(
                format!(
                    "ОГРН «{value}» указан у физического лица: ОГРН бывает только у организаций (укажите вид_собственника)"
                ),
                format!("OGRN `{value}` is given for a person: only organisations have one (set owner_kind)"),
            ),
            Problem::OwnerIdNames { id, owner, other, other_line } => t(
                format!(
                    "id_собственника «{id}» дан «{owner}», а в строке {other_line} — «{other}»: строки одного id — один собственник, имя и вид должны совпадать"
                ),
                format!(
                    "owner_id `{id}` is given to `{owner}`, and on line {other_line} to `{other}`: the rows of one id are one owner, with one name and kind"
                ),
            ),
            Problem::LookAlikeOwners { premise, owner, other, other_line } => t(
                format!(
                    "помещение {premise}: собственник «{owner}» неотличим на вид от «{other}» в строке {other_line} (латинские и русские буквы или регистр)"
                ),
                format!(
                    "premise {premise}: owner `{owner}` looks the same as `{other}` on line {other_line} (Latin and Cyrillic letters, or case)"
                ),
            ),
            Problem::OwnerKindsDiffer { premise, owner, other_line } => t(
                format!(
                    "помещение {premise}: «{owner}» указан и в строке {other_line}, но с другим видом собственника (физлицо и юрлицо?): укажите одного"
                ),
                format!(
                    "premise {premise}: `{owner}` also appears on line {other_line} with another owner kind (a person and a legal entity?): keep one"
                ),
            ),
            Problem::JointKindsDiffer { premise, joint, other_line } => t(
                format!(
                    "помещение {premise}, совместная собственность «{joint}»: вид собственника отличается от строки {other_line}; у совместных собственников он один"
                ),
                format!(
                    "premise {premise}, joint group `{joint}`: the owner kind differs from line {other_line}; joint owners share one kind"
                ),
            ),
            Problem::UnknownKey { key, known } => t(
                format!("неизвестный ключ «{key}» (опечатка?); здесь допустимы: {known}"),
                format!("unknown key `{key}` (a typo?); allowed here: {known}"),
            ),
            Problem::BadTracking(bad) => bad.message(lang),
            Problem::NotAMailList => t(
                "это не список заказных писем obhod: нет строки заголовка ни формы 103 («№ п/п; Адресат; …»), \
                 ни заказа сервиса «Отправка» («index-to; …; room-to; surname; …»)"
                    .into(),
                "not a registered-mail list written by obhod: no header row of form 103 (\"№ п/п; Адресат; …\") \
                 or of a business-service order (\"index-to; …; room-to; surname; …\")"
                    .into(),
            ),
            Problem::DuplicateLetter { premise, owner, other_line } => t(
                format!("письмо «{owner}» (помещение {premise}) уже есть в строке {other_line}: уберите повтор"),
                format!(
                    "the letter to `{owner}` (premise {premise}) is already on line {other_line}: remove the repeat"
                ),
            ),
            Problem::DuplicateTracking { tracking, other_line } => t(
                format!("ШПИ {tracking} уже есть в строке {other_line}: у каждого письма свой ШПИ"),
                format!("tracking number {tracking} is already on line {other_line}: each letter has its own"),
            ),
            Problem::LetterSentBefore { premise, owner, date, tracking, fact } => {
                letter_sent_before(premise, owner, *date, tracking.as_deref(), fact, lang)
            }
            Problem::TrackingRecorded { tracking, premise, owner, date, fact } => {
                tracking_recorded(tracking, premise, owner.as_deref(), *date, fact, lang)
            }
            Problem::LetterPremises { owner, premise, letter } => t(
                format!(
                    "помещение {premise} не из письма «{owner}»: оно за помещения {}; верните примечание, как его написал obhod",
                    letter.join(", ")
                ),
                format!(
                    "premise {premise} is not one of the letter to `{owner}`, which is for premises {}; restore the note as obhod wrote it",
                    letter.join(", ")
                ),
            ),
            Problem::BadOrderNum(text) => t(
                format!(
                    "номер заказа (order-num) «{text}» не из списка obhod: там «помещение/номер собственника», например 12/1; верните его, как его написал obhod"
                ),
                format!(
                    "order number (order-num) \"{text}\" is not one obhod wrote (\"premise/owner number\", such as 12/1); restore it as obhod wrote it"
                ),
            ),
            Problem::AddressNotInParts { owner, address, missing, unreadable } => {
                address_not_in_parts(owner, address, missing, unreadable, lang)
            }
            Problem::LookAlikeRooms { premise, room, other, other_line } => t(
                format!(
                    "помещение {premise}: комната «{room}» неотличима на вид от «{other}» в строке {other_line} (латинские и русские буквы или регистр)"
                ),
                format!(
                    "premise {premise}: room `{room}` looks the same as `{other}` on line {other_line} (Latin and Cyrillic letters, or case)"
                ),
            ),
            Problem::MapHeaderMissing { header } => t(
                format!("в заголовке нет столбца «{header}», названного в --map; проверьте, как он написан"),
                format!("the header has no column `{header}` named by --map; check how it is written"),
            ),
            Problem::ImportColumnMissing(field) => t(
                format!(
                    "не найден столбец «{field}» ни под одним из известных заголовков; укажите его заголовок: --map {field}=\"заголовок, как в файле\""
                ),
                format!(
                    "no column for `{field}` under any header obhod knows; name its header: --map {field}=\"the header as written\""
                ),
            ),
            Problem::NotAnExtract(why) => t(
                format!("это не выписка ЕГРН о помещении или машино-месте: {why}"),
                format!("not a ЕГРН extract about a premise or parking space: {why}"),
            ),
            Problem::EmptyValue(key) => {
                t(format!("«{key}» пусто: заполните значение"), format!("`{key}` is blank: fill it in"))
            }
        }
    }
}

/// Why identical order rows of one addressee cannot be matched to its premises, and what to do.
fn letter_sent_before(
    premise: &str,
    owner: &str,
    date: chrono::NaiveDate,
    tracking: Option<&str>,
    fact: &str,
    lang: Lang,
) -> String {
    let date = date.format("%d.%m.%Y");
    let number = tracking.map(|t| format!(", {} {t}", lang.pick("ШПИ", "tracking number"))).unwrap_or_default();
    match lang {
        Lang::Ru => format!(
            "письмо «{owner}» (помещение {premise}) уже записано как отправленное {date}{number} [{fact}]: одно письмо не отправляют дважды; \
             если там ошибка в дате или ШПИ, отмените ту отметку (obhod undo {fact}) и прочитайте список снова; другое письмо отмечают командой obhod mark"
        ),
        Lang::En => format!(
            "the letter to `{owner}` (premise {premise}) is recorded as sent on {date}{number} already [{fact}]: a letter is not sent twice; \
             if its date or number is wrong, withdraw that fact (obhod undo {fact}) and read the list again; record another letter with obhod mark"
        ),
    }
}

fn tracking_recorded(
    tracking: &str,
    premise: &str,
    owner: Option<&str>,
    date: chrono::NaiveDate,
    fact: &str,
    lang: Lang,
) -> String {
    let date = date.format("%d.%m.%Y");
    let whom = match (owner, lang) {
        (Some(owner), Lang::Ru) => format!("«{owner}»"),
        (Some(owner), Lang::En) => format!("`{owner}`"),
        (None, _) => lang.pick("всем собственникам", "every owner").into(),
    };
    match lang {
        Lang::Ru => format!(
            "ШПИ {tracking} уже записан: письмо {whom} (помещение {premise}), отправленное {date} [{fact}]; у каждого письма свой ШПИ, проверьте цифры"
        ),
        Lang::En => format!(
            "tracking number {tracking} is recorded already: the letter to {whom} (premise {premise}) sent on {date} [{fact}]; each letter has its own, check the digits"
        ),
    }
}

/// The TOML parser's usual complaints, said in Russian.
fn toml_hint(why: &str) -> Option<&'static str> {
    const HINTS: [(&str, &str); 7] = [
        ("string values must be quoted", "текст нужно взять в кавычки, например kind = \"annual\""),
        ("duplicate key", "ключ указан дважды"),
        ("unclosed", "не закрыта скобка или кавычка"),
        ("missing comma", "пропущена запятая"),
        ("extra comma", "лишняя запятая"),
        ("missing value", "у ключа нет значения"),
        ("invalid", "неверная запись"),
    ];
    HINTS.iter().find(|(english, _)| why.contains(english)).map(|&(_, russian)| russian)
}

/// Why an own address cannot go into the business service's order in parts.
fn address_not_in_parts(owner: &str, address: &str, missing: &[&str], unreadable: &[String], lang: Lang) -> String {
    let mut parts: Vec<String> = missing
        .iter()
        .map(|part| match (*part, lang) {
            ("postcode", Lang::Ru) => "почтового индекса из 6 цифр",
            ("region", Lang::Ru) => "области (края, республики)",
            ("place", Lang::Ru) => "населённого пункта (г., с., пос. …)",
            (_, Lang::Ru) => "номера дома (д. 5)",
            ("postcode", Lang::En) => "a six-digit postcode",
            ("region", Lang::En) => "a region",
            ("place", Lang::En) => "a town or village (г., с., пос. …)",
            (_, Lang::En) => "a house number (д. 5)",
        })
        .map(|part| lang.pick("нет ", "no ").to_string() + part)
        .collect();
    parts.extend(unreadable.iter().map(|part| match lang {
        Lang::Ru => format!("не понять, что такое «{part}»"),
        Lang::En => format!("\"{part}\" cannot be read"),
    }));
    match lang {
        Lang::Ru => format!(
            "адрес «{owner}» «{address}» не разложить на части для заказа «Отправки»: {}; \
             исправьте столбец address реестра (части через запятую: индекс, область, г. …, ул. …, д. …, кв. …)",
            parts.join(", ")
        ),
        Lang::En => format!(
            "the address of `{owner}` \"{address}\" cannot be split into the business service's parts: {}; \
             correct the registry's address column (parts between commas: postcode, region, г. …, ул. …, д. …, кв. …)",
            parts.join(", ")
        ),
    }
}

/// Decodes a text file's bytes (UTF-8, UTF-16 with its mark or Windows-1251), as `table`'s
/// source does for every file.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, InputError> {
    crate::table::source::decode(file, bytes).map(|(text, _)| text)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}
