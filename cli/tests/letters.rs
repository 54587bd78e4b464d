//! End-to-end tests of the registered letters: `mail-list` as form 103 (one row per letter, the
//! sender's full address, the closing block, XLSX laid out for printing, split without parting an
//! addressee), `letters sent` reading a list back (one fact per letter, numbers added later),
//! `mark … sent`, the warnings on stderr and in `--json`, and what `status` then says. Every
//! refusal exits 2, stores nothing and writes no file.

use std::io::Read;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

mod support;
use support::{Workdir as Store, csv_rows, fixture as fixture_file};

fn xlsx_rows(path: &Path) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|row| {
            let mut cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{}", *f as i64),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect();
            while cells.last().is_some_and(String::is_empty) && cells.len() > 1 {
                cells.pop();
            }
            cells
        })
        .collect()
}

/// A CSV row as compared with XLSX: trailing empty cells dropped.
fn trimmed(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|mut r| {
            while r.last().is_some_and(String::is_empty) && r.len() > 1 {
                r.pop();
            }
            r
        })
        .collect()
}

/// A part of an XLSX or DOCX file as text.
fn part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// A tracking number unique to `n`, with the Post's check digit.
fn number(n: usize) -> String {
    let digits = format!("{:013}", 8008280000000_u64 + n as u64);
    let sum: u32 = digits.bytes().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// The list with `tracking` written into the ШПИ column of the row of `owner` and premises `note`.
fn fill_tracking(path: &Path, owner: &str, note: &str, tracking: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(';').collect();
            if fields.get(1) == Some(&owner) && fields.get(6) == Some(&note) {
                fields[3] = tracking;
            }
            fields.join(";")
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// Every row of a form-103 list given a tracking number: the row's number `n` gives `number(n)`.
fn fill_all(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split(';').map(str::to_owned).collect();
            if let Ok(n) = fields[0].trim_start_matches('\u{feff}').parse::<usize>() {
                fields[3] = number(n);
            }
            fields.join(";")
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// The body of a form-103 list: its numbered rows.
fn letters_of(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter().filter(|r| r[0].parse::<u32>().is_ok()).cloned().collect()
}

/// The first owner of a premise in `status --json PREMISE`.
fn owner(store: &Store, premise: &str) -> Value {
    let status: Value = serde_json::from_str(&store.ok(&["--json", "status", premise])).unwrap();
    status["owners"][0].clone()
}

const MUNICIPALITY: &str = "Муниципальное образование город Примерск";

#[test]
fn form_103_names_the_sender_with_the_flat_and_the_postcode_in_csv_and_xlsx() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    store.ok(&["mail-list", "--out", &store.at("list.xlsx")]);
    let sender = "Адрес отправителя: 644010, Омская обл., г. Примерск, ул. Лесная, д. 7, кв. 1";
    let csv = csv_rows(&store.file("list.csv"));
    assert_eq!(csv[2][0], "Отправитель: Орлова Елена Викторовна");
    assert_eq!(csv[3][0], sender, "returned letters come back to the initiator's flat");
    let xlsx = xlsx_rows(&store.file("list.xlsx"));
    assert_eq!(xlsx[3][0], sender);
    assert_eq!(xlsx.len(), csv.len());
    for (n, (x, c)) in xlsx.iter().zip(trimmed(csv)).enumerate() {
        assert_eq!(x, &c, "row {}", n + 1);
    }
}

#[test]
fn the_sender_s_own_address_is_taken_when_the_meeting_gives_one_and_without_either_the_list_is_refused() {
    let files = tempfile::tempdir().unwrap();
    for name in ["meeting.toml", "registry.csv"] {
        let text = std::fs::read_to_string(fixture_file("lesnaya-7", name)).unwrap();
        let text = text.replace(
            "initiator_premise = \"1\"",
            "initiator_address = \"644001, Омская обл., г. Примерск, ул. Мира, д. 3, кв. 7\"",
        );
        std::fs::write(files.path().join(name), text).unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    let sender = &csv_rows(&store.file("list.csv"))[3][0];
    assert_eq!(sender, "Адрес отправителя: 644001, Омская обл., г. Примерск, ул. Мира, д. 3, кв. 7");
    let guide = Store::with("guide-example");
    let message = guide.refused(&["mail-list", "--out", &guide.at("list.csv")]);
    let meeting = fixture_file("guide-example", "meeting.toml");
    assert_eq!(
        message,
        format!(
            "obhod: в собрании кампании нет ключа «meeting.initiator_premise» или «meeting.initiator_address»: он \
             нужен для адреса отправителя в списке ф. 103 (куда вернутся неврученные письма). Кампания хранит своё \
             описание собрания: допишите в {meeting} и запишите его в кампанию: obhod meeting update --meeting \
             {meeting}\n"
        ),
        "the file named is the one the campaign was made from"
    );
    let english = guide.refused(&["--lang", "en", "mail-list", "--out", &guide.at("list.csv")]);
    assert!(
        english.contains("the campaign's meeting lacks `meeting.initiator_premise` or `meeting.initiator_address`")
    );
    assert!(guide.papers().is_empty(), "{:?}", guide.papers());
}

#[test]
fn form_103_ends_with_the_totals_in_words_and_the_block_the_post_office_signs_and_stamps() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mail-list", "--out", &store.at("list.csv"), "--mass", "35"]);
    let rows = csv_rows(&store.file("list.csv"));
    let totals = rows.iter().position(|r| r[0] == "Итого").unwrap();
    assert_eq!(rows[totals][..5], ["Итого", "10 писем", "", "", "350"]);
    let closing: Vec<&str> = rows[totals + 1..].iter().map(|r| r[0].as_str()).filter(|t| !t.is_empty()).collect();
    assert_eq!(
        closing,
        [
            "Всего отправлений: 10 (десять)",
            "Общая масса: 350 г",
            "Сдал: ____________________ / ______________________________ /",
            "(подпись, фамилия и инициалы отправителя)",
            "Принял: ____________________ / ______________________________ /",
            "(подпись, фамилия и инициалы работника ОПС)",
            "Оттиск календарного штемпеля ОПС места приёма",
        ]
    );
}

#[test]
fn an_xlsx_list_and_register_print_on_landscape_a4_with_the_header_on_every_page_and_numbered_pages() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mail-list", "--out", &store.at("list.xlsx")]);
    store.ok(&["register", "--out", &store.at("register.xlsx")]);
    for (file, header_row) in [("list.xlsx", "$7:$7"), ("register.xlsx", "$4:$4")] {
        let sheet = part(&store.file(file), "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{file}: as wide as the page: {sheet}");
        assert!(sheet.contains(r#"paperSize="9" fitToHeight="0" orientation="landscape""#), "{file}: {sheet}");
        assert!(sheet.contains("<oddFooter>&amp;CЛист &amp;P из &amp;N</oddFooter>"), "{file}: page numbers");
        let workbook = part(&store.file(file), "xl/workbook.xml");
        assert!(
            workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">"#)
                && workbook.contains(&format!("!{header_row}</definedName>")),
            "{file}: the header row repeated on every printed page: {workbook}"
        );
    }
}

#[test]
fn one_letter_per_addressee_and_address_naming_all_its_premises() {
    let store = Store::with("lesnaya-7");
    let out = store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    assert_eq!(out, format!("Список заказных писем: 10 писем\n  {}\n", store.at("list.csv")));
    let body = letters_of(&csv_rows(&store.file("list.csv")));
    let named = |owner: &str| body.iter().filter(|r| r[1] == owner).map(|r| r[6].clone()).collect::<Vec<_>>();
    assert_eq!(named(MUNICIPALITY), ["пом. 4, 7"], "one envelope for the city's two flats");
    assert_eq!(named("Орлова Елена Викторовна"), ["пом. 1, ММ-1, К-1"], "one owner_id, one letter to her flat");
    assert_eq!(named("Зайцев Павел Андреевич"), ["пом. 5", "пом. ММ-2"], "no owner_id: two owners by name");
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    store.ok(&["mail-list", "--out", &store.at("after.csv")]);
    let after = letters_of(&csv_rows(&store.file("after.csv")));
    assert!(after.iter().all(|r| r[1] != "Орлова Елена Викторовна"), "signed at her flat: no letter for ММ-1, К-1");
}

#[test]
fn mail_list_warns_on_stderr_and_in_json_about_a_letter_to_a_parking_space_and_owners_not_notified() {
    let store = Store::with("lesnaya-7");
    let (code, stdout, stderr) = store.run(&["mail-list", "--out", &store.at("list.csv")]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains('!'), "the file written on stdout, nothing else: {stdout}");
    assert!(
        stderr.contains(
            "письмо «Зайцев Павел Андреевич» адресовано на машино-место ММ-2 (строка 15 реестра): там нет почтового ящика"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("не уведомлены ни под роспись, ни письмом: 10 собственников; срок — 30.11.2026"),
        "{stderr}"
    );
    let (_, stdout, stderr) = store.run(&["--json", "mail-list", "--out", &store.at("list.csv")]);
    assert!(stderr.is_empty(), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let warnings = json["warnings"].as_array().unwrap();
    let codes: Vec<&str> = warnings.iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["letter_to_no_mailbox", "owners_unnotified"]);
    assert_eq!((&warnings[0]["premise"], &warnings[0]["line"]), (&Value::from("ММ-2"), &Value::from(15)));
    assert_eq!(json["letters"], 10);
}

#[test]
fn a_split_list_makes_numbered_files_and_never_parts_an_addressee() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mail-list", "--out", &store.at("whole.csv"), "--format", "otpravka"]);
    let whole = csv_rows(&store.file("whole.csv"));
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka", "--split", "10"]);
    let files = store.papers().into_iter().filter(|n| n.starts_with("order-")).collect::<Vec<_>>();
    assert_eq!(files.len(), (whole.len() - 1).div_ceil(10));
    let mut rows = Vec::new();
    for file in &files {
        let part = csv_rows(&store.file(file));
        assert!(part.len() <= 11, "{file}: at most 10 letters");
        rows.extend(part.into_iter().skip(1));
    }
    rows.sort();
    let mut expected = whole[1..].to_vec();
    expected.sort();
    assert_eq!(rows, expected, "every letter once, whole, in one file");
    let city: Vec<&Vec<String>> =
        rows.iter().filter(|r| r[12].starts_with("Муниципальное образование городской округ город Примерск")).collect();
    assert_eq!(city.len(), 1, "the municipality's one letter");
    assert_eq!(city[0][20], "пом. 17, 27, 33, 55, 138, 147, Н-4");
    store.ok(&["mail-list", "--out", &store.at("list.xlsx"), "--split", "100"]);
    let counts: Vec<(usize, String)> = (1..=3)
        .map(|n| {
            let rows = xlsx_rows(&store.file(&format!("list-{n}.xlsx")));
            let totals = rows.iter().find(|r| r[0] == "Итого").unwrap()[1].clone();
            (letters_of(&rows).len(), totals)
        })
        .collect();
    assert_eq!(counts, [(100, "100 писем".into()), (100, "100 писем".into()), (84, "84 письма".into())]);
}

#[test]
fn letters_sent_records_one_fact_per_letter_that_notifies_the_owner_at_all_its_premises() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mark", "2", "delivered", "--owner", "Кузнецов Андрей Петрович", "--date", "2026-11-20"]);
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    fill_tracking(&store.file("list.csv"), MUNICIPALITY, "пом. 4, 7", &number(4));
    let out = store.ok(&["letters", "sent", "--list", &store.at("list.csv"), "--date", "20.11.2026"]);
    assert_eq!(out, "Записаны как отправленные 20.11.2026: 9 писем (с ШПИ: 1)\n");
    let status = store.status();
    assert_eq!((status["notified"].as_u64(), status["letters"].as_u64()), (Some(13), Some(0)));
    assert_eq!(owner(&store, "4")["tracking"].as_str(), Some(number(4).as_str()));
    assert_eq!(owner(&store, "7")["notified"], Value::Bool(true), "the same letter, recorded once at flat 4");
    assert_eq!(owner(&store, "К-1")["notified"], Value::Bool(true));
    let visits = |premise: &str| {
        let status: Value = serde_json::from_str(&store.ok(&["--json", "status", premise])).unwrap();
        status["visits"].as_u64()
    };
    assert_eq!((visits("4"), visits("7"), visits("1"), visits("К-1")), (Some(1), Some(0), Some(1), Some(0)));
    assert_eq!(status["warnings"], serde_json::json!([]), "everyone notified in time");
    let again = store.ok(&["letters", "sent", "--list", &store.at("list.csv"), "--date", "20.11.2026"]);
    assert_eq!(again, "Записаны как отправленные 20.11.2026: 0 писем (с ШПИ: 0)\nУже были записаны: 9\n");
    assert_eq!(visits("4"), Some(1), "no second fact for the same letter");
}

#[test]
fn tracking_numbers_added_to_a_list_read_again_reach_the_register() {
    let store = Store::with("lesnaya-7");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    store.ok(&["letters", "sent", "--list", &list, "--date", "2026-11-20"]);
    store.ok(&["register", "--out", &store.at("before.csv")]);
    let before = csv_rows(&store.file("before.csv"));
    assert_eq!(before[4][4..6], ["заказное письмо", "20.11.2026"], "sent, its number not yet known");
    fill_all(&store.file("list.csv"));
    let out = store.ok(&["letters", "sent", "--list", &list, "--date", "2026-11-20"]);
    assert_eq!(
        out,
        "Записаны как отправленные 20.11.2026: 10 писем (с ШПИ: 10)\n\
         из них ШПИ к письмам, записанным раньше без него: 10\n"
    );
    store.ok(&["register", "--out", &store.at("register.csv")]);
    let register = csv_rows(&store.file("register.csv"));
    let row = |premise: &str| register.iter().find(|r| r.get(1).map(String::as_str) == Some(premise)).unwrap().clone();
    assert_eq!(row("1")[4..6], [format!("заказное письмо № {}", number(1)), "20.11.2026".into()]);
    assert_eq!(row("К-1")[4], format!("заказное письмо № {}", number(1)));
    assert_eq!(row("К-1")[8], "по пом. 1");
    assert_eq!(row("7")[4], format!("заказное письмо № {}", number(6)), "the city's letter, by flat 4");
    assert_eq!(owner(&store, "1")["tracking"].as_str(), Some(number(1).as_str()));
    let third = store.ok(&["letters", "sent", "--list", &list, "--date", "2026-11-20"]);
    assert!(third.ends_with("Уже были записаны: 10\n"), "{third}");
}

#[test]
fn an_xlsx_list_reads_back_too() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mail-list", "--out", &store.at("list.xlsx")]);
    let out = store.ok(&["--lang", "en", "letters", "sent", "--list", &store.at("list.xlsx"), "--date", "2026-11-20"]);
    assert_eq!(out, "Recorded as sent on 20.11.2026: 10 letters (with tracking numbers: 0)\n");
    assert_eq!(store.status()["notified"].as_u64(), Some(13));
}

#[test]
fn a_list_with_a_bad_tracking_number_or_an_unknown_premise_or_owner_is_refused_whole() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    let list = store.at("list.csv");
    let sent = ["letters", "sent", "--list", list.as_str(), "--date", "2026-11-20"];
    let lebedeva = "Лебедева Анна Сергеевна";
    fill_tracking(&store.file("list.csv"), lebedeva, "пом. 8", "123");
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:15: ШПИ «123»: 3 цифры, а нужно 14"), "{message}");
    fill_tracking(&store.file("list.csv"), lebedeva, "пом. 8", "8008289312345X");
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &list, "--date", "2026-11-20"]);
    assert!(message.contains("list.csv:15: tracking number \"8008289312345X\": 'X' is not a digit"), "{message}");
    fill_tracking(&store.file("list.csv"), lebedeva, "пом. 8", "80082893123415");
    let message = store.refused(&sent);
    assert!(
        message.contains("list.csv:15: ШПИ «80082893123415»: не сходится контрольная (последняя) цифра"),
        "{message}"
    );
    fill_tracking(&store.file("list.csv"), lebedeva, "пом. 8", "");
    let text = std::fs::read_to_string(store.file("list.csv")).unwrap();
    std::fs::write(store.file("list.csv"), text.replace(";пом. 8\n", ";пом. 77\n")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:15: помещения «77» нет в реестре"), "{message}");
    std::fs::write(store.file("list.csv"), text.replace(lebedeva, "Лебедева Анна")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:15: в помещении 8 нет собственника «Лебедева Анна» по реестру"), "{message}");
    std::fs::write(store.file("list.csv"), text.replace(";пом. 4, 7\n", ";пом. 4, 5\n")).unwrap();
    let message = store.refused(&sent);
    assert!(
        message.contains(&format!("list.csv:13: помещение 5 не из письма «{MUNICIPALITY}»: оно за помещения 4, 7")),
        "{message}"
    );
    std::fs::write(store.file("list.csv"), "a;b\n1;2\n").unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("это не список заказных писем obhod"), "{message}");
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "31.11.2026"]);
    assert!(message.contains("31.11.2026"), "{message}");
}

/// Lesnaya, 7 with its meeting a year earlier (10.12.2025), so that a letter sent after its last
/// day of notice (30.11.2025) is a day already past.
fn a_year_ago() -> (tempfile::TempDir, Store) {
    let files = tempfile::tempdir().unwrap();
    for name in ["meeting.toml", "registry.csv"] {
        let text = std::fs::read_to_string(fixture_file("lesnaya-7", name)).unwrap();
        std::fs::write(files.path().join(name), text.replace("2026-12-", "2025-12-")).unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    (files, store)
}

#[test]
fn mark_sent_records_one_letter_and_a_late_one_is_warned_about() {
    let (_files, store) = a_year_ago();
    let kuznetsov = "Кузнецов Андрей Петрович";
    let message = store.refused(&["mark", "2", "sent", "--owner", kuznetsov]);
    assert!(message.contains("для исхода «отправлено» (sent) нужна дата отправки письма: --date"), "{message}");
    let message = store.refused(&["mark", "2", "sent", "--date", "2025-11-20", "--tracking", "12345"]);
    assert!(message.contains("--tracking: ШПИ «12345»: 5 цифр, а нужно 14"), "{message}");
    let message = store.refused(&["mark", "2", "delivered", "--tracking", "80082893123451"]);
    assert!(message.contains("дата отправки и ШПИ записываются только с исходом «отправлено» (sent)"), "{message}");
    let message = store.refused(&["mark", "2", "sent", "--date", "2025-11-20", "--tracking", "80082893123451"]);
    assert!(message.contains("один ШПИ — одно письмо одному адресату; укажите --owner"), "{message}");
    let before = store.status();
    let message = store.refused(&["mark", "2", "sent", "--owner", kuznetsov, "--date", "2099-01-01"]);
    assert!(message.contains("дата отправки 01.01.2099 ещё не наступила (сегодня "), "{message}");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "2099-01-01"]);
    assert!(message.contains("дата отправки 01.01.2099 ещё не наступила"), "{message}");
    assert_eq!(store.status(), before, "nothing recorded");
    let out =
        store.ok(&["mark", "2", "sent", "--owner", kuznetsov, "--date", "2025-12-05", "--tracking", "80082893123451"]);
    assert!(
        out.starts_with(&format!(
            "Записано: 2 — заказное письмо отправлено 05.12.2025, ШПИ 80082893123451 ({kuznetsov})"
        )),
        "{out}"
    );
    let status = store.status();
    let codes: Vec<&str> = status["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["letter_sent_late", "owners_unnotified"]);
    let text = store.ok(&["status"]);
    assert!(
        text.contains(&format!(
            "помещение 2: заказное письмо «{kuznetsov}» отправлено 05.12.2025, позже последнего дня уведомления 30.11.2025"
        )),
        "{text}"
    );
    assert!(text.contains("не уведомлены ни под роспись, ни письмом: 9 собственников; срок — 30.11.2025"), "{text}");
}

#[test]
fn letters_sent_and_register_warn_on_stderr_and_in_json_about_late_and_boundary_notices() {
    let (_files, store) = a_year_ago();
    store.ok(&["mark", "1", "delivered", "--date", "2025-11-29"]);
    store.ok(&["mark", "2", "delivered", "--owner", "Кузнецова Марина Олеговна", "--date", "2025-12-03"]);
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    let (code, stdout, stderr) = store.run(&["letters", "sent", "--list", &list, "--date", "2025-12-01"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "Записаны как отправленные 01.12.2025: 8 писем (с ШПИ: 0)\n");
    assert!(
        stderr.contains(
            "помещение 2: заказное письмо «Кузнецов Андрей Петрович» отправлено 01.12.2025, позже последнего дня уведомления 30.11.2025"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("«Кузнецова Марина Олеговна» — подпись в получении уведомления 03.12.2025"), "{stderr}");
    assert!(stderr.contains("уведомлены за 10–11 дней до собрания (последний день — 30.11.2025): 1 собственник"));
    let (_, stdout, stderr) = store.run(&["--json", "register", "--out", &store.at("register.csv")]);
    assert!(stderr.is_empty(), "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> = json["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "letter_sent_late").count(), 8, "{codes:?}");
    assert!(codes.contains(&"delivered_late") && codes.contains(&"notices_on_boundary"), "{codes:?}");
    let (_, _, stderr) = store.run(&["register", "--out", &store.at("register.csv")]);
    assert!(stderr.contains("Предупреждения:"), "{stderr}");
    let register = csv_rows(&store.file("register.csv"));
    let note = |premise: &str, owner: &str| {
        register.iter().find(|r| r.len() > 8 && r[1] == premise && r[2] == owner).unwrap()[8].clone()
    };
    assert_eq!(note("1", "Орлова Елена Викторовна"), "за 11 дней до собрания", "D − 11, the disputed boundary");
    assert_eq!(note("К-1", "Орлова Елена Викторовна"), "по пом. 1; за 11 дней до собрания");
    assert_eq!(note("2", "Кузнецова Марина Олеговна"), "вручено с опозданием (за 7 дней до собрания)");
    assert_eq!(note("2", "Кузнецов Андрей Петрович"), "письмо отправлено с опозданием (за 9 дней до собрания)");
}

#[test]
fn the_register_notes_refusals_absences_and_letters_needed_and_has_a_column_for_who_handed_it_over() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mark", "3", "absent"]);
    store.ok(&["mark", "5", "refused"]);
    store.ok(&["mark", "8", "letter"]);
    store.ok(&["mark", "Н-1", "delivered", "--date", "2026-11-30"]);
    store.ok(&["register", "--out", &store.at("register.csv")]);
    let rows = csv_rows(&store.file("register.csv"));
    assert_eq!(rows[3][7], "Вручил (Ф. И. О., подпись)");
    let note = |premise: &str| rows.iter().find(|r| r.len() > 8 && r[1] == premise).unwrap()[8].clone();
    assert_eq!(
        [note("3"), note("5"), note("8"), note("Н-1")],
        ["не застали", "отказ", "нужно заказное письмо", "за 10 дней до собрания"]
    );
}

#[test]
fn deadlines_of_the_campaign_warn_about_late_letters_and_owners_not_notified() {
    let (_files, store) = a_year_ago();
    store.ok(&["mark", "1", "delivered", "--date", "2025-11-20"]);
    store.ok(&["mark", "2", "sent", "--owner", "Кузнецов Андрей Петрович", "--date", "2025-12-01"]);
    let text = store.ok(&["deadlines"]);
    assert!(
        text.contains(
            "заказное письмо «Кузнецов Андрей Петрович» отправлено 01.12.2025, позже последнего дня уведомления 30.11.2025"
        ),
        "{text}"
    );
    assert!(text.contains("не уведомлены ни под роспись, ни письмом: 8 собственников"), "{text}");
    let json: Value = serde_json::from_str(&store.ok(&["--json", "--lang", "en", "deadlines"])).unwrap();
    let codes: Vec<&str> = json["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["letter_sent_late", "owners_unnotified"]);
    let files = store.ok(&["deadlines", "--meeting", &fixture_file("guide-example", "meeting.toml")]);
    assert!(!files.contains("не уведомлены"), "from the files alone, no canvass: {files}");
}

#[test]
fn mail_list_warns_about_a_company_without_its_own_address() {
    let files = tempfile::tempdir().unwrap();
    for name in ["meeting.toml", "registry.csv"] {
        let text = std::fs::read_to_string(fixture_file("lesnaya-7", name)).unwrap();
        std::fs::write(
            files.path().join(name),
            text.replace("644099, Омская обл., г. Примерск, ул. Ленина, д. 18, оф. 204", ""),
        )
        .unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    let json: Value = serde_json::from_str(&store.ok(&["--json", "mail-list", "--out", &store.at("l.csv")])).unwrap();
    let warnings: Vec<&Value> =
        json["warnings"].as_array().unwrap().iter().filter(|w| w["code"] == "no_own_address").collect();
    assert_eq!(warnings.len(), 1, "{json}");
    assert_eq!(warnings[0]["owner"], "ООО «Лесная аптека»");
    let (_, _, stderr) = store.run(&["mail-list", "--out", &store.at("l.csv")]);
    assert!(
        stderr.contains(
            "нет своего адреса в реестре (столбец address): письмо за помещения Н-1 адресовано на помещение Н-1"
        ),
        "{stderr}"
    );
}

#[test]
fn a_list_read_again_under_another_date_or_with_another_number_is_refused_whole() {
    let store = Store::with("lesnaya-7");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Лебедева Анна Сергеевна", "пом. 8", "80082893123451");
    store.ok(&["letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "21.11.2026"]);
    assert!(
        message.contains(
            "list.csv:8: письмо «Орлова Елена Викторовна» (помещение 1) уже записано как отправленное 20.11.2026 ["
        ),
        "{message}"
    );
    assert!(message.contains("одно письмо не отправляют дважды"), "{message}");
    fill_tracking(&store.file("list.csv"), "Лебедева Анна Сергеевна", "пом. 8", "80082893123468");
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    assert!(
        message.contains(
            "list.csv:15: the letter to `Лебедева Анна Сергеевна` (premise 8) is recorded as sent on 20.11.2026, tracking number 80082893123451 already ["
        ),
        "{message}"
    );
    fill_tracking(&store.file("list.csv"), "Лебедева Анна Сергеевна", "пом. 8", "");
    let again = store.ok(&["letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    assert!(again.ends_with("Уже были записаны: 10\n"), "{again}");
}

#[test]
fn a_tracking_number_of_a_standing_letter_is_refused_for_another_letter() {
    let store = Store::with("lesnaya-7");
    let first = ["mark", "2", "sent", "--owner", "Кузнецов Андрей Петрович", "--date", "2026-11-20"];
    let id = store.ok(&[&["--json"][..], &first, &["--tracking", "80082893123451"]].concat());
    let id: Value = serde_json::from_str(&id).unwrap();
    let second = ["mark", "3", "sent", "--owner", "Смирнов Игорь Валентинович", "--date", "2026-11-21"];
    let args = [&second[..], &["--tracking", "8008 2893 1234 51"]].concat();
    let message = store.refused(&args);
    assert!(
        message.contains(
            "--tracking: ШПИ 80082893123451 уже записан: письмо «Кузнецов Андрей Петрович» (помещение 2), отправленное 20.11.2026"
        ),
        "{message}"
    );
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Лебедева Анна Сергеевна", "пом. 8", "80082893123451");
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "2026-11-21"]);
    assert!(
        message.contains("list.csv:14: ШПИ 80082893123451 уже записан: письмо «Кузнецов Андрей Петрович»"),
        "{message}"
    );
    // Once the first letter is withdrawn, its number is free for the right one.
    store.ok(&["undo", id["id"].as_str().unwrap()]);
    store.ok(&args);
}

#[test]
fn a_register_or_list_saved_under_the_registrys_name_does_not_destroy_it() {
    let store = Store::with("lesnaya-7");
    let registry = std::fs::read(fixture_file("lesnaya-7", "registry.csv")).unwrap();
    std::fs::write(store.file("реестр.csv"), &registry).unwrap();
    let message = store.refused(&["register", "--out", &store.at("реестр.csv")]);
    assert!(message.contains("реестр.csv: это таблица с данными (в заголовке есть столбец «помещение»"), "{message}");
    let message = store.refused(&["--lang", "en", "mail-list", "--out", &store.at("реестр.csv")]);
    assert!(message.contains("реестр.csv: this is a data table"), "{message}");
    assert_eq!(std::fs::read(store.file("реестр.csv")).unwrap(), registry, "the registry untouched");
    store.ok(&["register", "--out", &store.at("register.csv")]);
    store.ok(&["register", "--out", &store.at("register.csv")]);
}

#[test]
fn a_sending_date_with_a_mistyped_year_is_refused() {
    let store = Store::with("lesnaya-7");
    let kuznetsov = ["mark", "2", "sent", "--owner", "Кузнецов Андрей Петрович", "--date"];
    let message = store.refused(&[&kuznetsov[..], &["20.11.0026"]].concat());
    assert!(
        message.contains(
            "дата отправки 20.11.0026 больше чем за год до собрания 10.12.2026: проверьте год; ничего не записано"
        ),
        "{message}"
    );
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &list, "--date", "09.12.2025"]);
    assert!(
        message.contains("the sending date 09.12.2025 is more than a year before the meeting on 10.12.2026"),
        "{message}"
    );
    store.ok(&[&kuznetsov[..], &["10.12.2025"]].concat());
}

#[test]
fn a_list_saved_by_excel_with_crlf_or_tabs_names_the_right_line() {
    let store = Store::with("lesnaya-7");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Лебедева Анна Сергеевна", "пом. 8", "123");
    let text = std::fs::read_to_string(store.file("list.csv")).unwrap();
    std::fs::write(store.file("list.csv"), text.replace('\n', "\r\n")).unwrap();
    let sent = ["letters", "sent", "--list", list.as_str(), "--date", "2026-11-20"];
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:15: ШПИ «123»: 3 цифры, а нужно 14"), "{message}");
    std::fs::write(store.file("list.csv"), text.replace(';', "\t")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:15: ШПИ «123»"), "a tab-separated list is read: {message}");
}

#[test]
fn the_delivery_register_given_as_a_mail_list_is_named_as_not_one() {
    let store = Store::with("lesnaya-7");
    store.ok(&["register", "--out", &store.at("register.csv")]);
    let message = store.refused(&["letters", "sent", "--list", &store.at("register.csv"), "--date", "2026-11-20"]);
    assert!(message.contains("register.csv: это не список заказных писем obhod"), "{message}");
}

#[test]
fn the_xlsx_register_reads_back_as_its_csv() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    store.ok(&["register", "--out", &store.at("register.csv")]);
    store.ok(&["register", "--out", &store.at("register.xlsx")]);
    let csv = trimmed(csv_rows(&store.file("register.csv")));
    let xlsx = xlsx_rows(&store.file("register.xlsx"));
    assert_eq!(xlsx.len(), csv.len());
    for (n, (x, c)) in xlsx.iter().zip(&csv).enumerate() {
        assert_eq!(x, c, "row {}", n + 1);
    }
}

#[test]
fn the_docx_register_is_landscape_with_its_header_repeated_and_page_numbers() {
    let store = Store::with("lesnaya-7");
    store.ok(&["register", "--out", &store.at("register.docx")]);
    let xml = part(&store.file("register.docx"), "word/document.xml");
    assert!(xml.contains(r#"w:orient="landscape""#), "landscape A4");
    assert_eq!(xml.matches("<w:tblHeader").count(), 1, "the header row repeats on every page");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(store.file("register.docx")).unwrap()).unwrap();
    let footer = (0..archive.len()).any(|i| {
        let mut part = archive.by_index(i).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut part, &mut xml).unwrap_or_default();
        part.name().contains("footer") && xml.contains("PAGE")
    });
    assert!(footer, "a page number in the footer");
}

#[test]
fn a_blank_register_has_every_owner_and_spare_rows_but_no_methods() {
    let store = Store::with("lesnaya-7");
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    let out = store.ok(&["--lang", "en", "register", "--out", &store.at("blank.csv"), "--blank"]);
    assert!(out.starts_with("Delivery register (23 rows): "), "{out}");
    let rows = csv_rows(&store.file("blank.csv"));
    let header = rows.iter().position(|r| r[0] == "No.").unwrap();
    let body: Vec<&Vec<String>> = rows[header + 1..].iter().filter(|r| r.len() > 1).collect();
    assert_eq!(body.len(), 23);
    assert!(body.iter().all(|r| r[4..].iter().all(String::is_empty)), "no method, date or note: {body:?}");
    assert!(body[13..].iter().all(|r| r[1..].iter().all(String::is_empty)), "spare rows");
    let message = store.refused(&["register", "--out", &store.at("register.pdf")]);
    assert!(message.contains("register.pdf: неизвестное расширение файла; нужно .docx, .xlsx, .csv"), "{message}");
    assert_eq!(store.papers(), ["blank.csv"]);
}

#[test]
fn status_counts_the_letters_the_list_writes_one_per_addressee() {
    let store = Store::with("lesnaya-7");
    let out = store.ok(&["--json", "mail-list", "--out", &store.at("list.csv")]);
    let written: Value = serde_json::from_str(&out).unwrap();
    let letters = written["letters"].as_u64().unwrap();
    assert_eq!(store.status()["letters"].as_u64(), Some(letters), "status and the list agree");
    assert!(letters < 13, "one letter to Орлова for her flat, parking space and storeroom: {letters}");
}

#[test]
fn status_and_the_tui_count_the_letters_of_the_big_building_as_the_list_writes_them() {
    let store = Store::with("sadovaya-5");
    let out = store.ok(&["--json", "mail-list", "--out", &store.at("list.csv")]);
    let written: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(store.status()["letters"], written["letters"]);
}

#[test]
fn a_delivery_typed_in_later_names_the_day_signed_and_says_when_it_came_late() {
    let store = Store::with("lesnaya-7");
    let out = store.ok(&["mark", "1", "delivered", "--date", "20.11.2026"]);
    assert!(out.starts_with("Записано: 1 — вручено под роспись (подпись 20.11.2026) (все собственники)"), "{out}");
    assert!(!out.contains("опозданием"), "in time: {out}");
    let out = store.ok(&["mark", "5", "delivered", "--date", "02.12.2026"]);
    assert!(
        out.contains(
            "! «Зайцев Павел Андреевич»: уведомление 02.12.2026, позже последнего дня уведомления 30.11.2026, — \
             с опозданием (ч. 4 ст. 45 ЖК РФ)"
        ),
        "{out}"
    );
    let refused = store.refused(&["mark", "2", "delivered", "--date", "01.01.2099"]);
    assert!(refused.contains("день подписи 01.01.2099 ещё не наступил"), "{refused}");
}
