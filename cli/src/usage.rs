//! The command line in the user's language: `--help` and usage errors in Russian unless `--lang en`
//! (found by a look at the raw arguments before clap parses them). Exit code 0 for help and the
//! version, 2 for a usage error.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, ArgMatches, Command, CommandFactory};
use obhod_core::Lang;

use crate::cli::{BadSpec, Blank, Cli, Forbidden, NotADate, NotANumber, NotAnAddress, NotGrams};
use crate::output::visible;

/// The language asked for on the command line (`--lang en`, `--lang=en`; the last one given
/// wins, as in parsing), before parsing.
pub fn lang_of(args: &[OsString]) -> Lang {
    let mut lang = Lang::Ru;
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.strip_prefix("--lang") {
            Some("") => args.next().map(|v| v.to_string()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => continue,
        };
        lang = if value.as_deref() == Some("en") { Lang::En } else { Lang::Ru };
    }
    lang
}

/// The index of the first argument that is not an option or the value of one (the command).
fn first_word(args: &[OsString]) -> Option<usize> {
    let mut index = 1;
    while let Some(arg) = args.get(index) {
        match arg.to_str() {
            Some("--lang" | "--store") => index += 2,
            Some(option) if option.starts_with('-') => index += 1,
            _ => return Some(index),
        }
    }
    None
}

/// Parses the arguments; on `--help`, `--version` or a usage error, prints and gives the exit code.
pub fn parse(mut args: Vec<OsString>) -> Result<ArgMatches, (String, bool, u8)> {
    let lang = lang_of(&args);
    // `obhod help [COMMAND…]` is `obhod [COMMAND…] --help`, global options before it or not.
    if let Some(index) = first_word(&args).filter(|&i| args[i] == "help") {
        args.remove(index);
        args.push("--help".into());
    }
    command(lang).try_get_matches_from(args).map_err(|error| match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => (help_text(&error, lang), false, 0),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => (help_text(&error, lang), true, 2),
        _ => (format!("obhod: {}\n", message(&error, lang)), true, 2),
    })
}

/// The command with its texts in `lang`.
pub fn command(lang: Lang) -> Command {
    let root = Cli::command()
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .long("version")
                .short('V')
                .action(ArgAction::Version)
                .help(lang.pick("Показать версию", "Print the version")),
        )
        .disable_help_subcommand(true);
    localize(root, lang, "")
}

fn localize(mut command: Command, lang: Lang, path: &str) -> Command {
    let ru = lang == Lang::Ru;
    let path = if path.is_empty() { command.get_name().to_string() } else { format!("{path} {}", command.get_name()) };
    command = command
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .long("help")
                .short('h')
                .action(ArgAction::Help)
                .help(lang.pick("Показать справку", "Print help")),
        )
        .subcommand_help_heading(lang.pick("Команды", "Commands"))
        .subcommand_value_name(lang.pick("КОМАНДА", "COMMAND"));
    if ru {
        if let Some(about) = russian(&path, None) {
            command = command.about(about).long_about(None::<&str>);
        }
        command = command.mut_args(|arg| {
            let mut arg = arg;
            if arg.get_action().takes_values() {
                arg = arg.hide_possible_values(true).hide_default_value(true).hide_env(true);
                let name = arg.get_value_names().and_then(|n| n.first()).map(|n| n.to_string());
                let name = name.unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
                arg = arg.value_name(russian_value_name(&name));
            }
            match russian(&path, Some(arg.get_id().as_str())) {
                Some(help) => arg.help(help).long_help(None::<&str>),
                None => arg,
            }
        });
    }
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        command = command.mut_subcommand(&name, |sub| localize(sub, lang, &path));
    }
    command
}

/// The Russian help of a command (`arg` none) or of one of its arguments.
fn russian(command: &str, arg: Option<&str>) -> Option<&'static str> {
    let text = match (command, arg.unwrap_or("")) {
        (_, "json") => "Вывести результат в JSON вместо таблиц",
        (_, "lang") => "Язык таблиц и сообщений: ru (по умолчанию) или en",
        (_, "store") => "Файл кампании [по умолчанию: $OBHOD_STORE, иначе $XDG_DATA_HOME/obhod/obhod.db]",
        ("obhod", "") => "obhod: обход квартир и подсчёт голосов общего собрания собственников (ОСС)",
        ("obhod", "command") => "Без команды: экран обхода по кампании",
        ("obhod demo", "") => "Экран обхода на демонстрационном доме (во временном хранилище, если не задан --store)",
        ("obhod weights", "") => "Голоса каждого помещения и собственника, общее число голосов, предупреждения",
        ("obhod weights", "registry") => "Реестр собственников (registry.csv); без него — реестр кампании",
        ("obhod tally", "") => "Кворум и итоги по вопросам: по кампании или по файлам собрания и решений",
        ("obhod tally", "meeting") => "Описание собрания (meeting.toml); путь к реестру — от него. Без него — кампания",
        ("obhod tally", "ballots") => "Полученные решения (ballots.csv); без них ещё никто не голосовал",
        ("obhod deadlines", "") => "Сроки собрания по закону: уведомление, голосование, протокол, обжалование",
        ("obhod deadlines", "meeting") => {
            "Описание собрания (meeting.toml); без него — кампания, с предупреждениями о поздних письмах и неуведомлённых"
        }
        ("obhod deadlines", "notice") => {
            "День уведомления (последняя подпись или отправка писем), чтобы проверить срок"
        }
        ("obhod init", "") => {
            "Создать кампанию в хранилище из описания собрания и его реестра (существующую не трогает)"
        }
        ("obhod init", "meeting") => "Описание собрания (meeting.toml); путь к реестру — от него",
        ("obhod meeting", "") => "Собрание кампании",
        ("obhod meeting", "command") => "update — записать изменённое описание собрания",
        ("obhod meeting update", "") => {
            "Записать в кампанию изменённое описание собрания, показав, что меняется (не исказив записанное)"
        }
        ("obhod meeting update", "meeting") => "Изменённое описание собрания (meeting.toml)",
        ("obhod mark", "") => {
            "Записать одну отметку обхода; без --owner — для всех собственников помещения. Исходы: delivered \
             (вручено под роспись), absent (не застали), refused (отказ), consent (согласие на обработку ПД), \
             contact (контакт получен: нужны --phone или --email и согласие), letter (нужно заказное письмо), \
             sent (заказное письмо отправлено: нужна --date и, если известен, --tracking); для delivered \
             --date — день подписи, если отметка вносится позже"
        }
        ("obhod mark", "premise") => "Помещение, как в реестре: 12, Н-3, ММ-14",
        ("obhod mark", "outcome") => "delivered | absent | refused | consent | contact | letter | sent (или по-русски)",
        ("obhod mark", "owner") => "Один собственник помещения, как в реестре",
        ("obhod mark", "note") => "Заметка к следующему визиту",
        ("obhod mark", "phone") => "Телефон (с исходом «контакт», только при согласии)",
        ("obhod mark", "email") => "E-mail (с исходом «контакт», только при согласии)",
        ("obhod mark", "consent") => {
            "Собственник подписывает согласие на обработку ПД сейчас: записать его с контактом"
        }
        ("obhod mark", "date") => {
            "День отправки заказного письма (с исходом «отправлено») или день подписи в реестре вручения \
             (с исходом «вручено»: сегодня или раньше, когда отметка вносится с бумаги позже)"
        }
        ("obhod mark", "tracking") => "ШПИ письма: 14 цифр, последняя — контрольная (с исходом «отправлено»)",
        ("obhod mail-list", "") => {
            "Список заказных писем: все, кто не уведомлён (или отмечен «письмо») и кому письмо ещё не отправлено"
        }
        ("obhod mail-list", "out") => "Куда записать список: ФАЙЛ.csv или ФАЙЛ.xlsx",
        ("obhod mail-list", "format") => {
            "f103 (форма 103 Почты России, по умолчанию) или otpravka (поля заказа сервиса «Отправка»)"
        }
        ("obhod mail-list", "split") => "Списки не длиннее N строк: ФАЙЛ-1, ФАЙЛ-2, …",
        ("obhod mail-list", "mass") => {
            "Масса одного письма в граммах, от 1 до 100 (по умолчанию 20: сообщение на двух листах в конверте)"
        }
        ("obhod register", "") => {
            "Реестр вручения сообщений: как и когда уведомлён каждый собственник, со столбцом для подписи"
        }
        ("obhod register", "out") => "Куда записать реестр: ФАЙЛ.docx, ФАЙЛ.xlsx или ФАЙЛ.csv",
        ("obhod register", "blank") => "Пустые столбцы способа и даты и запасные строки — для обхода",
        ("obhod letters", "") => "Заказные письма",
        ("obhod letters sent", "") => {
            "Записать письма списка obhod как отправленные: формы 103 (ШПИ — в столбце «ШПИ») или заказа \
             «Отправки» (ШПИ — в добавленном столбце barcode), где ШПИ вписаны"
        }
        ("obhod letters sent", "list") => "Список (CSV или XLSX) из obhod mail-list: форма 103 или заказ «Отправки»",
        ("obhod letters sent", "date") => "День отправки писем",
        ("obhod undo", "") => "Отменить отметку: добавляется факт, который на неё ссылается (факты не стираются)",
        ("obhod undo", "fact") => "Номер факта (их показывает obhod status ПОМЕЩЕНИЕ)",
        ("obhod undo", "note") => "Почему отменена",
        ("obhod status", "") => "Ход обхода по подъездам и в целом; с помещением — его собственники и отметки",
        ("obhod status", "premise") => "Одно помещение, подробно",
        ("obhod ballots", "") => "Решения собственников в кампании",
        ("obhod ballots import", "") => {
            "Добавить решения из ballots.csv в кампанию (файл с ошибкой не добавляет ничего)"
        }
        ("obhod ballots import", "file") => "Полученные решения (ballots.csv)",
        ("obhod ballots import", "replaces") => {
            "Единственное решение файла заменяет решение с этим номером (оно отзывается; номера показывает obhod ballots list)"
        }
        ("obhod ballots list", "") => "Внесённые решения с их номерами, действующие и отозванные",
        ("obhod ballots list", "premise") => "Только решения по этому помещению",
        ("obhod ballots check", "") => {
            "Сверить второй ввод тех же бланков (ballots.csv) с внесёнными решениями; ничего не записывает"
        }
        ("obhod ballots check", "file") => "Второй ввод (столбцы как в ballots.csv)",
        ("obhod ballots withdraw", "") => {
            "Отозвать решение: подсчёт сразу без него, само решение остаётся в списке как отозванное"
        }
        ("obhod ballots withdraw", "id") => "Номер решения (их показывает obhod ballots list)",
        ("obhod ballots withdraw", "note") => "Почему отозвано",
        ("obhod registry", "") => {
            "Реестр собственников: собрать из таблицы управляющей компании или выписок ЕГРН, проверить, сравнить, заменить в кампании"
        }
        ("obhod registry import", "") => {
            "Записать реестр obhod (registry.csv) из таблицы (XLSX, ODS, CSV) со своими заголовками или из выписок ЕГРН в XML \
             (файлы, папка, ZIP) и сказать, что сопоставлено, заполнено и пропущено. При любой ошибке ничего не записывается"
        }
        ("obhod registry import", "sources") => "Таблицы (XLSX, ODS, CSV) и выписки ЕГРН (XML, папка или ZIP с ними)",
        ("obhod registry import", "out") => "Куда записать реестр (CSV)",
        ("obhod registry import", "maps") => {
            "Столбец, заголовок которого obhod не знает: ПОЛЕ=ЗАГОЛОВОК, например owner=\"Ф.И.О.\". Поля: premise, kind, area, \
             entrance, floor, room, room_area, owner, owner_kind, share, joint, document, address, owner_id, ogrn, is_owner, ownership"
        }
        ("obhod registry import", "entrances") => {
            "Подъезды по номерам квартир, если в источнике их нет: \"1:1-40,2:41-80\""
        }
        ("obhod registry check", "") => {
            "Что в реестре будет стоить голосов или писем, по строкам: доли, не дающие в сумме единицы, помещения без \
             собственника, одно имя на нескольких помещениях, организации без адреса или ОГРН, адреса без индекса, нет \
             документа о праве, похожие номера, необычные площади; и площади жилых и нежилых помещений. Код выхода 0 при \
             предупреждениях, 2 при ошибках"
        }
        ("obhod registry check", "registry") => "Реестр (CSV, XLSX, ODS)",
        ("obhod registry diff", "") => {
            "Два реестра рядом (управляющей компании и по ЕГРН): помещения только в одном, разные площади, собственники \
             добавленные, выбывшие или написанные иначе, разные доли; сколько голосов меняет каждое различие"
        }
        ("obhod registry diff", "a") => "Первый реестр (А)",
        ("obhod registry diff", "b") => "Второй реестр (Б)",
        ("obhod registry update", "") => {
            "Заменить реестр кампании исправленным или новым (CSV, XLSX, ODS), показав каждое различие с голосами, которые оно \
             меняет, и факты и решения, оставшиеся без своего собственника (хранятся, ни за кого не считаются). В группе — \
             только с устройства организатора; после окончания голосования и когда ничего не меняется — отказ, ничего не записано"
        }
        ("obhod registry update", "registry") => "Новый реестр (CSV, XLSX, ODS)",
        ("obhod group", "") => "Группа устройств, которые синхронизируют эту кампанию между собой",
        ("obhod group create", "") => {
            "Сделать это устройство организатором новой группы устройств (оно приглашает и отзывает остальные)"
        }
        ("obhod group create", "name") => "Название группы для людей: «Совет дома 5»",
        ("obhod group create", "device") => "Имя этого устройства в группе [по умолчанию: Организатор]",
        ("obhod group create", "passphrase") => {
            "Запереть ключ группы паролем (спрашивается дважды, или OBHOD_PASSPHRASE): приглашать и отзывать устройства \
             можно будет только с ним"
        }
        ("obhod group seal", "") => {
            "Запереть ключ группы на устройстве организатора паролем (спрашивается дважды, или OBHOD_PASSPHRASE): \
             приглашать и отзывать устройства можно будет только с ним"
        }
        ("obhod group members", "") => "Устройства группы: когда добавлены, когда были на связи, отозваны ли",
        ("obhod group revoke", "") => {
            "Отозвать устройство (потерянный телефон): остальные откажут ему, как только узнают об этом"
        }
        ("obhod group invite", "") => {
            "Одноразовое приглашение (QR-код и текст) и ожидание, пока по нему присоединится одно устройство"
        }
        ("obhod group invite", "ttl") => "Сколько минут приглашение действительно [по умолчанию: 10]",
        ("obhod group invite", "listen") => {
            "Где ждать (АДРЕС:ПОРТ) [по умолчанию: все адреса этого устройства, свободный порт]"
        }
        ("obhod group join", "") => {
            "Присоединиться к группе по коду приглашения: получить сертификат этого устройства и кампанию"
        }
        ("obhod group join", "code") => "Текст приглашения (OBHOD1-…)",
        ("obhod group join", "peer") => "Адрес пригласившего (АДРЕС:ПОРТ), до адресов из приглашения; можно несколько",
        ("obhod group join", "name") => "Имя этого устройства в группе [по умолчанию: Устройство]",
        ("obhod sync", "") => "Один обмен со всеми доступными устройствами группы (запомненными и --peer) и выход",
        ("obhod sync", "peer") => "Устройство, с которым связаться (АДРЕС:ПОРТ), кроме запомненных; можно несколько",
        ("obhod syncd", "") => {
            "Демон синхронизации: держит кампанию в согласии с устройствами группы, пока его не остановят \
             (SIGTERM, Ctrl-C); на устройстве организатора принимает присоединяющихся по приглашению; журнал — в stderr"
        }
        ("obhod syncd", "listen") => {
            "Где ждать соединений (АДРЕС:ПОРТ) [по умолчанию: все адреса этого устройства, порт 47474]"
        }
        ("obhod syncd", "peer") => "Устройство, с которым связаться (АДРЕС:ПОРТ), кроме запомненных; можно несколько",
        ("obhod syncd", "no_mdns") => "Не объявлять себя и не искать устройства группы в локальной сети (mDNS)",
        ("obhod group revoke", "member") => "Id или имя устройства (их показывает obhod group members)",
        ("obhod conflicts", "") => {
            "Разные решения одного собственника, записанные на разных устройствах, с номерами и источниками; \
             пока не выбрано одно, вопросы с разными ответами не засчитываются"
        }
        ("obhod conflicts", "command") => "resolve — оставить один из вариантов",
        ("obhod conflicts resolve", "") => {
            "Оставить один вариант разных решений собственника (на других устройствах — после синхронизации)"
        }
        ("obhod conflicts resolve", "premise") => "Помещение, как в реестре",
        ("obhod conflicts resolve", "owner") => "Собственник, чьи решения различаются, как в реестре",
        ("obhod conflicts resolve", "keep") => "Номер варианта, который оставить (как в obhod conflicts)",
        ("obhod ballots print", "") => {
            "Бланки решений собственников, заполненные по реестру: по одному на каждого голосующего \
             (.docx или .md); телефонов и e-mail в них нет"
        }
        ("obhod ballots print", "premise") => "Только голосующие по этому помещению (можно указать несколько раз)",
        ("obhod notice", "") => {
            "Сообщение о проведении собрания (инициатор, форма, даты, место, повестка, материалы) в .docx или .md"
        }
        ("obhod protocol", "") => "Проект протокола общего собрания со всеми итогами подсчёта, в .docx или .md",
        ("obhod results", "") => "Сообщение собственникам об итогах голосования, в .docx или .md",
        ("obhod protocol" | "obhod results", "ballots") => {
            "Полученные решения (ballots.csv), вместе с --meeting; без них ещё никто не голосовал"
        }
        (_, "out") => "Файл, куда записать документ; формат — по расширению (.docx или .md)",
        (_, "meeting") => "Описание собрания (meeting.toml) и его реестр; без него — кампания",
        _ => return None,
    };
    Some(text)
}

/// A placeholder of a value in Russian.
fn russian_value_name(name: &str) -> &'static str {
    match name {
        "PREMISE" => "ПОМЕЩЕНИЕ",
        "OUTCOME" => "ИСХОД",
        "NAME" => "ИМЯ",
        "TEXT" => "ТЕКСТ",
        "PHONE" => "ТЕЛЕФОН",
        "EMAIL" => "EMAIL",
        "FILE" => "ФАЙЛ",
        "PATH" => "ПУТЬ",
        "LANG" => "ЯЗЫК",
        "DATE" => "ДАТА",
        "FACT" => "ФАКТ",
        "ШПИ" => "ШПИ",
        "ROWS" => "СТРОК",
        "GRAMS" => "ГРАММЫ",
        "DEVICE" => "УСТРОЙСТВО",
        "MEMBER" => "УСТРОЙСТВО",
        "N" => "НОМЕР",
        "HOST:PORT" => "АДРЕС:ПОРТ",
        "MINUTES" => "МИНУТЫ",
        "CODE" => "КОД",
        "SOURCE" => "ИСТОЧНИК",
        "ID" => "НОМЕР",
        "FORMAT" => "ФОРМАТ",
        "FIELD=HEADER" => "ПОЛЕ=ЗАГОЛОВОК",
        "SPEC" => "ПОДЪЕЗДЫ",
        "A" => "ФАЙЛ_А",
        "B" => "ФАЙЛ_Б",
        _ => "ЗНАЧЕНИЕ",
    }
}

/// Help or version as clap renders it, with its remaining English words in `lang`.
fn help_text(error: &clap::Error, lang: Lang) -> String {
    let text = error.render().to_string();
    match lang {
        Lang::En => text,
        Lang::Ru => text
            .replace("[OPTIONS]", "[ПАРАМЕТРЫ]")
            .replace("Usage:", "Использование:")
            .replace("\nArguments:\n", "\nАргументы:\n")
            .replace("\nOptions:\n", "\nПараметры:\n"),
    }
}

/// A usage error in `lang`, with where to look for help.
pub fn message(error: &clap::Error, lang: Lang) -> String {
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => visible(s),
        Some(ContextValue::Strings(list)) => visible(&list.join(", ")),
        _ => String::new(),
    };
    let (arg, value) = (text(ContextKind::InvalidArg), text(ContextKind::InvalidValue));
    let (valid, suggested) = (text(ContextKind::ValidValue), text(ContextKind::SuggestedArg));
    let subcommand = text(ContextKind::InvalidSubcommand);
    let source = std::error::Error::source(error);
    let forbidden = source.and_then(|s| s.downcast_ref::<Forbidden>()).map(|f| obhod_core::text::code_point(f.0));
    let t = |ru: String, en: String| if lang == Lang::Ru { ru } else { en };
    let what = match error.kind() {
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<Blank>()) && arg.starts_with("--store") => t(
            format!("пустое значение {arg} (или пустая переменная OBHOD_STORE): укажите путь или уберите её"),
            format!("{arg} is empty (or the OBHOD_STORE variable is): give a path or unset it"),
        ),
        // A required argument cannot be left out: only an option can.
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<Blank>()) && arg.starts_with('<') => t(
            format!("пустое значение {arg}: укажите его (пустая переменная оболочки?)"),
            format!("{arg} is empty: give a value (an unset shell variable?)"),
        ),
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<Blank>()) => t(
            format!("пустое значение {arg}: укажите его или уберите параметр"),
            format!("{arg} is empty: give a value or leave the option out"),
        ),
        ErrorKind::ValueValidation if forbidden.is_some() => {
            let code = forbidden.unwrap_or_default();
            t(
                format!("{arg}: недопустимый управляющий символ {code}; удалите его (он часто приходит со вставкой)"),
                format!("{arg}: forbidden control character {code}; delete it (it often comes with a paste)"),
            )
        }
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<NotADate>()) => t(
            format!("{arg}: «{value}» не дата (2026-12-18 или 18.12.2026)"),
            format!("{arg}: «{value}» is not a date (2026-12-18 or 18.12.2026)"),
        ),
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<NotAnAddress>()) => t(
            format!("{arg}: «{value}» не адрес (АДРЕС:ПОРТ, например 192.168.1.5:47474)"),
            format!("{arg}: «{value}» is not an address (HOST:PORT, e.g. 192.168.1.5:47474)"),
        ),
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<NotGrams>()) => t(
            format!("{arg}: «{value}» не масса письма: {}", obhod_papers::mail::mass_rule(lang)),
            format!("{arg}: «{value}» is not a letter's mass: {}", obhod_papers::mail::mass_rule(lang)),
        ),
        ErrorKind::ValueValidation if source.and_then(|s| s.downcast_ref::<BadSpec>()) == Some(&BadSpec::Map) => t(
            format!(
                "{arg}: «{value}» — нужно ПОЛЕ=ЗАГОЛОВОК, например owner=\"Ф.И.О.\"; поля: premise, kind, area, entrance, floor, room, room_area, owner, owner_kind, share, joint, document, address, owner_id, ogrn, is_owner, ownership"
            ),
            format!(
                "{arg}: «{value}» — expected FIELD=HEADER, such as owner=\"Ф.И.О.\"; fields: premise, kind, area, entrance, floor, room, room_area, owner, owner_kind, share, joint, document, address, owner_id, ogrn, is_owner, ownership"
            ),
        ),
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<BadSpec>()) => t(
            format!("{arg}: «{value}» — нужно ПОДЪЕЗД:С-ПО через запятую, например 1:1-40,2:41-80"),
            format!("{arg}: «{value}» — expected ENTRANCE:FROM-TO, …, such as 1:1-40,2:41-80"),
        ),
        ErrorKind::ValueValidation if source.is_some_and(|s| s.is::<NotANumber>()) => {
            t(format!("{arg}: «{value}» не номер (1, 2, …)"), format!("{arg}: «{value}» is not a number (1, 2, …)"))
        }
        ErrorKind::ValueValidation => {
            let why = source.map(|s| s.to_string()).unwrap_or_default();
            t(format!("{arg}: недопустимое значение «{value}»"), format!("{arg}: invalid value «{value}» ({why})"))
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            t(format!("у {arg} нет значения"), format!("{arg} needs a value"))
        }
        ErrorKind::InvalidValue => t(
            format!("недопустимое значение «{value}» для {arg}; возможны: {valid}"),
            format!("invalid value «{value}» for {arg}; possible: {valid}"),
        ),
        ErrorKind::UnknownArgument if !suggested.is_empty() => t(
            format!("неизвестный параметр «{arg}»; может быть, {suggested}?"),
            format!("unknown option «{arg}»; did you mean {suggested}?"),
        ),
        ErrorKind::UnknownArgument => t(format!("неизвестный параметр «{arg}»"), format!("unknown option «{arg}»")),
        ErrorKind::InvalidSubcommand if !text(ContextKind::SuggestedSubcommand).is_empty() => {
            // clap lists its suggestions from the least likely to the most: only the best is said.
            let suggested = match error.get(ContextKind::SuggestedSubcommand) {
                Some(ContextValue::Strings(list)) => list.last().map(|s| visible(s)).unwrap_or_default(),
                _ => text(ContextKind::SuggestedSubcommand),
            };
            t(
                format!("неизвестная команда «{subcommand}»; может быть, {suggested}?"),
                format!("unknown command «{subcommand}»; did you mean {suggested}?"),
            )
        }
        ErrorKind::InvalidSubcommand => match typed_on_the_russian_layout(&subcommand) {
            Some(meant) => t(
                format!("неизвестная команда «{subcommand}»; может быть, {meant}? (набрано в русской раскладке)"),
                format!("unknown command «{subcommand}»; did you mean {meant}? (typed on the Russian layout)"),
            ),
            None => t(format!("неизвестная команда «{subcommand}»"), format!("unknown command «{subcommand}»")),
        },
        ErrorKind::MissingRequiredArgument => {
            t(format!("не хватает аргумента: {arg}"), format!("missing argument: {arg}"))
        }
        ErrorKind::MissingSubcommand => t("не указана команда".into(), "no command given".into()),
        ErrorKind::ArgumentConflict if text(ContextKind::PriorArg) == arg => t(
            format!("{arg} указан дважды: укажите один раз (одна отметка — для одного собственника или для всех)"),
            format!("{arg} is given twice: give it once (one mark is for one owner or for all)"),
        ),
        ErrorKind::ArgumentConflict => t(
            format!("{arg} нельзя указывать вместе с другим из данных параметров"),
            format!("{arg} cannot be used with another option given"),
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => t(
            format!("лишнее или недостающее значение: {value} {arg}"),
            format!("too many or too few values: {value} {arg}"),
        ),
        ErrorKind::InvalidUtf8 => t("аргумент не в UTF-8".into(), "an argument is not UTF-8".into()),
        _ => visible(error.to_string().trim_start_matches("error: ").trim()),
    };
    format!("{what}\n{}", lang.pick("Подробнее: obhod --help", "See: obhod --help"))
}

/// The command meant when its name was typed with the Russian layout on (`ьфкл` is `mark`).
fn typed_on_the_russian_layout(typed: &str) -> Option<String> {
    let latin: String = typed.chars().map(|c| obhod_tui::app::keymap::latin_twin(c).unwrap_or(c)).collect();
    let command = command(Lang::En);
    let known = command.get_subcommands().any(|c| c.get_name() == latin);
    (known && latin != typed).then_some(latin)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and subcommand path with its command.
    fn every(command: &Command, path: &str, out: &mut Vec<(String, Command)>) {
        let path =
            if path.is_empty() { command.get_name().to_string() } else { format!("{path} {}", command.get_name()) };
        out.push((path.clone(), command.clone()));
        for sub in command.get_subcommands() {
            every(sub, &path, out);
        }
    }

    #[test]
    fn every_command_argument_and_placeholder_has_its_russian_words() {
        let mut commands = Vec::new();
        every(&Cli::command(), "", &mut commands);
        let mut missing = Vec::new();
        for (path, command) in &commands {
            if russian(path, None).is_none() {
                missing.push(format!("{path}: the command"));
            }
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") || arg.is_hide_set() {
                    continue;
                }
                if russian(path, Some(id)).is_none() {
                    missing.push(format!("{path} {id}"));
                }
                let names = arg.get_value_names().map(|names| names.iter().map(|n| n.to_string()).collect());
                for name in names.unwrap_or_else(Vec::<String>::new) {
                    if arg.get_action().takes_values() && russian_value_name(&name) == "ЗНАЧЕНИЕ" {
                        missing.push(format!("{path} {id}: the placeholder {name}"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "help left in English:\n{}", missing.join("\n"));
    }
}
