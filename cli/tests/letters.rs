//! End-to-end tests of the registered letters: `mail-list` (form 103 and the business service's
//! order, CSV and XLSX, split), `letters sent` reading a list back, `mark … sent`, and what
//! `status` then says. Every refusal exits 2, stores nothing and writes no file.

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

#[test]
fn the_form_103_list_is_the_golden_one() {
    let store = Store::with("guide-example");
    store.ok(&["mark", "1", "delivered"]);
    let out = store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    assert!(out.starts_with("Список заказных писем: 8 писем\n"), "{out}");
    let text = std::fs::read_to_string(store.file("list.csv")).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM, for Excel");
    insta::assert_snapshot!("guide_f103_csv", text.trim_start_matches('\u{feff}'));
}

#[test]
fn every_xlsx_list_reads_back_as_its_csv_row_by_row() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    store.ok(&["mail-list", "--out", &store.at("list.xlsx")]);
    let csv = trimmed(csv_rows(&store.file("list.csv")));
    let xlsx = xlsx_rows(&store.file("list.xlsx"));
    assert_eq!(xlsx.len(), csv.len());
    for (n, (x, c)) in xlsx.iter().zip(&csv).enumerate() {
        assert_eq!(x, c, "row {}", n + 1);
    }
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    store.ok(&["mail-list", "--out", &store.at("order.xlsx"), "--format", "otpravka"]);
    assert_eq!(xlsx_rows(&store.file("order.xlsx")), trimmed(csv_rows(&store.file("order.csv"))));
}

#[test]
fn the_business_service_order_has_its_columns_and_the_address_in_parts() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    let rows = csv_rows(&store.file("order.csv"));
    assert_eq!(
        rows[0].join(";"),
        "index-to;region-to;place-to;street-to;house-to;room-to;surname;given-name;middle-name;mass;mail-type;mail-category"
    );
    assert_eq!(
        rows[1].join(";"),
        "644000;Омская обл.;г. Примерск;ул. Садовая;5;1;Фролова;Дарья;Олеговна;20;LETTER;ORDERED"
    );
    let shop = rows.iter().find(|r| r[6] == "ООО «Продукты у дома»").unwrap();
    assert_eq!(shop.join(";"), "644001;;г. Примерск;ул. Ленина;18;оф. 204;ООО «Продукты у дома»;;;20;LETTER;ORDERED");
}

#[test]
fn the_order_without_the_building_in_parts_is_refused_and_no_file_is_written() {
    let store = Store::with("guide-example");
    let message = store.refused(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    assert!(message.contains("meeting.toml: нет ключа «building.region»: он нужен для адреса по частям"), "{message}");
    let english =
        store.refused(&["--lang", "en", "mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    assert!(english.contains("key `building.region` is missing"), "{english}");
    let pdf = store.refused(&["mail-list", "--out", &store.at("list.pdf")]);
    assert!(pdf.contains("list.pdf: неизвестное расширение файла; нужно .csv, .xlsx"), "{pdf}");
    let zero = store.refused(&["mail-list", "--out", &store.at("list.csv"), "--split", "0"]);
    assert!(zero.contains("--split: нужно число строк больше нуля"), "{zero}");
    assert!(store.papers().is_empty(), "{:?}", store.papers());
}

#[test]
fn a_split_list_makes_numbered_files_of_at_most_n_rows_each_with_its_totals() {
    let store = Store::with("guide-example");
    let out = store.ok(&["mail-list", "--out", &store.at("list.xlsx"), "--split", "4"]);
    assert!(out.contains("list-1.xlsx") && out.contains("list-3.xlsx"), "{out}");
    assert_eq!(store.papers(), ["list-1.xlsx", "list-2.xlsx", "list-3.xlsx"]);
    let counts: Vec<(usize, String)> = (1..=3)
        .map(|n| {
            let rows = xlsx_rows(&store.file(&format!("list-{n}.xlsx")));
            let numbered = rows.iter().filter(|r| r[0].parse::<u32>().is_ok()).count();
            (numbered, rows.last().unwrap()[1].clone())
        })
        .collect();
    assert_eq!(
        counts,
        [(4, "4 письма".into()), (4, "4 письма".into()), (2, "2 письма".into())],
        "10 owners: 4 + 4 + 2, each list numbered from 1 with its own totals"
    );
}

/// The list with `tracking` written into the ШПИ column of the row of `owner`.
fn fill_tracking(path: &Path, owner: &str, tracking: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split(';').collect();
            if fields.get(1) == Some(&owner) {
                fields[3] = tracking;
            }
            fields.join(";")
        })
        .collect();
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn letters_sent_round_trip_notifies_everyone_on_the_list() {
    let store = Store::with("guide-example");
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "80082 89312 3451");
    let out = store.ok(&["letters", "sent", "--list", &store.at("list.csv"), "--date", "20.11.2026"]);
    assert_eq!(out, "Записаны как отправленные 20.11.2026: 8 писем (с ШПИ: 1)\n");
    let status = store.status();
    assert_eq!(
        (status["notified"].as_u64(), status["sent"].as_u64(), status["letters"].as_u64()),
        (Some(10), Some(8), Some(0))
    );
    let petrov = &status["premises"][1]["owners"][0];
    assert_eq!((petrov["owner"].as_str(), petrov["sent"].as_str()), (Some("Петров Пётр Петрович"), Some("2026-11-20")));
    assert_eq!(petrov["tracking"].as_str(), Some("80082893123451"));
    assert_eq!(status["warnings"], serde_json::json!([]), "everyone notified in time");
    store.ok(&["mail-list", "--out", &store.at("after.csv")]);
    assert_eq!(csv_rows(&store.file("after.csv")).last().unwrap()[1], "0 писем");
    let again = store.ok(&["letters", "sent", "--list", &store.at("list.csv"), "--date", "20.11.2026"]);
    assert_eq!(again, "Записаны как отправленные 20.11.2026: 0 писем (с ШПИ: 0)\nУже были записаны: 8\n");
    assert_eq!(store.status()["premises"][1]["visits"].as_u64(), Some(3), "no second fact for the same letter");
}

#[test]
fn an_xlsx_list_reads_back_too() {
    let store = Store::with("guide-example");
    store.ok(&["mail-list", "--out", &store.at("list.xlsx")]);
    let out = store.ok(&["--lang", "en", "letters", "sent", "--list", &store.at("list.xlsx"), "--date", "2026-11-20"]);
    assert_eq!(out, "Recorded as sent on 20.11.2026: 10 letters (with tracking numbers: 0)\n");
    assert_eq!(store.status()["sent"].as_u64(), Some(10));
}

#[test]
fn a_list_with_a_bad_tracking_number_or_an_unknown_premise_or_owner_is_refused_whole() {
    let store = Store::with("guide-example");
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
    let list = store.at("list.csv");
    let sent = ["letters", "sent", "--list", list.as_str(), "--date", "2026-11-20"];
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "123");
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:9: ШПИ «123»: 3 цифры, а нужно 14"), "{message}");
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "8008289312345X");
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &list, "--date", "2026-11-20"]);
    assert!(message.contains("list.csv:9: tracking number \"8008289312345X\": 'X' is not a digit"), "{message}");
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "80082893123415");
    let message = store.refused(&sent);
    assert!(
        message.contains("list.csv:9: ШПИ «80082893123415»: не сходится контрольная (последняя) цифра"),
        "{message}"
    );
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "");
    let text = std::fs::read_to_string(store.file("list.csv")).unwrap();
    std::fs::write(store.file("list.csv"), text.replace(";пом. 2\n", ";пом. 77\n")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:9: помещения «77» нет в реестре"), "{message}");
    std::fs::write(store.file("list.csv"), text.replace("Петров Пётр Петрович", "Петров Пётр")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:9: в помещении 2 нет собственника «Петров Пётр» по реестру"), "{message}");
    std::fs::write(store.file("list.csv"), "a;b\n1;2\n").unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("это не список заказных писем obhod"), "{message}");
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "31.11.2026"]);
    assert!(message.contains("31.11.2026"), "{message}");
}

/// The guide's campaign with its meeting a year earlier (10.12.2025), so that a letter sent after
/// its last day of notice (30.11.2025) is a day already past.
fn a_year_ago() -> (tempfile::TempDir, Store) {
    let files = tempfile::tempdir().unwrap();
    for name in ["meeting.toml", "registry.csv"] {
        let text = std::fs::read_to_string(fixture_file("guide-example", name)).unwrap();
        std::fs::write(files.path().join(name), text.replace("2026-12-", "2025-12-")).unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    (files, store)
}

#[test]
fn mark_sent_records_one_letter_and_a_late_one_is_warned_about() {
    let (_files, store) = a_year_ago();
    let message = store.refused(&["mark", "2", "sent", "--owner", "Петров Пётр Петрович"]);
    assert!(message.contains("для исхода «отправлено» (sent) нужна дата отправки письма: --date"), "{message}");
    let message = store.refused(&["mark", "2", "sent", "--date", "2026-11-20", "--tracking", "12345"]);
    assert!(message.contains("--tracking: ШПИ «12345»: 5 цифр, а нужно 14"), "{message}");
    let message = store.refused(&["mark", "2", "delivered", "--tracking", "80082893123451"]);
    assert!(message.contains("дата отправки и ШПИ записываются только с исходом «отправлено» (sent)"), "{message}");
    let message = store.refused(&["mark", "2", "absent", "--date", "2026-11-20"]);
    assert!(message.contains("--date — это день подписи для «вручено» (delivered)"), "{message}");
    let message = store.refused(&["mark", "2", "sent", "--date", "2025-11-20", "--tracking", "80082893123451"]);
    assert!(message.contains("один ШПИ — одно письмо одному адресату; укажите --owner"), "{message}");
    // A letter is marked once it has gone: a sending date still to come is refused.
    let before = store.status();
    let message = store.refused(&["mark", "2", "sent", "--owner", "Петров Пётр Петрович", "--date", "2099-01-01"]);
    assert!(message.contains("дата отправки 01.01.2099 ещё не наступила (сегодня "), "{message}");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "2099-01-01"]);
    assert!(message.contains("дата отправки 01.01.2099 ещё не наступила"), "{message}");
    assert_eq!(store.status(), before, "nothing recorded");
    let out = store.ok(&[
        "mark",
        "2",
        "sent",
        "--owner",
        "Петров Пётр Петрович",
        "--date",
        "2025-12-05",
        "--tracking",
        "80082893123451",
    ]);
    assert!(
        out.starts_with(
            "Записано: 2 — заказное письмо отправлено 05.12.2025, ШПИ 80082893123451 (Петров Пётр Петрович)"
        ),
        "{out}"
    );
    let status = store.status();
    let codes: Vec<&str> = status["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["letter_sent_late", "owners_unnotified"]);
    let text = store.ok(&["status"]);
    assert!(
        text.contains("помещение 2: заказное письмо «Петров Пётр Петрович» отправлено 05.12.2025, позже последнего дня уведомления 30.11.2025"),
        "{text}"
    );
    assert!(text.contains("не уведомлены ни под роспись, ни письмом: 9 собственников; срок — 30.11.2025"), "{text}");
    let detail = store.ok(&["status", "2"]);
    assert!(
        detail.contains("заказное письмо отправлено (Петров Пётр Петрович) 05.12.2025, ШПИ 80082893123451"),
        "{detail}"
    );
}

/// Flat 1 delivered today, a letter to one owner of flat 2 with its tracking number, one owner of
/// flat 3 marked for a letter.
fn canvassed() -> Store {
    let store = Store::with("guide-example");
    store.ok(&["mark", "1", "delivered"]);
    store.ok(&[
        "mark",
        "2",
        "sent",
        "--owner",
        "Петров Пётр Петрович",
        "--date",
        "2026-11-20",
        "--tracking",
        "80082893123451",
    ]);
    store.ok(&["mark", "3", "letter", "--owner", "Соколова Мария Андреевна"]);
    store
}

/// The text of a file with today's date (of the signatures) put as ДАТА.
fn dated(text: &str) -> String {
    text.replace(&chrono::Local::now().format("%d.%m.%Y").to_string(), "ДАТА")
}

#[test]
fn the_delivery_register_is_the_golden_one_and_its_xlsx_reads_back_the_same() {
    let store = canvassed();
    let out = store.ok(&["register", "--out", &store.at("register.csv")]);
    assert!(out.starts_with("Реестр вручения (10 строк): "), "{out}");
    let text = std::fs::read_to_string(store.file("register.csv")).unwrap();
    insta::assert_snapshot!("guide_register_csv", dated(text.trim_start_matches('\u{feff}')));
    store.ok(&["register", "--out", &store.at("register.xlsx")]);
    let csv = trimmed(csv_rows(&store.file("register.csv")));
    let xlsx = xlsx_rows(&store.file("register.xlsx"));
    assert_eq!(xlsx.len(), csv.len());
    for (n, (x, c)) in xlsx.iter().zip(&csv).enumerate() {
        assert_eq!(x, c, "row {}", n + 1);
    }
}

/// The text of every paragraph of a DOCX, and its document.xml.
fn docx(path: &Path) -> (String, String) {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some((_, rest)) = piece.split_once('>') else { continue };
        text.push_str(rest.split("</w:t>").next().unwrap_or(""));
        text.push(' ');
    }
    // The DOCX joins «д. 1», «№ 8008…» by no-break spaces, where a printed line must not break.
    (text.replace('\u{a0}', " "), xml)
}

#[test]
fn the_docx_register_is_landscape_with_its_header_repeated_and_page_numbers() {
    let store = canvassed();
    store.ok(&["register", "--out", &store.at("register.docx")]);
    let (text, xml) = docx(&store.file("register.docx"));
    for expected in [
        "Реестр вручения сообщений о проведении общего собрания собственников помещений в многоквартирном доме",
        "Адрес: г. Примерск, ул. Примерная, д. 1; собрание 10.12.2026 (очно-заочное)",
        "Способ вручения",
        "Петров Пётр Петрович",
        "заказное письмо № 80082893123451",
        "20.11.2026",
        "под роспись",
        "комн. к1: единоличная",
        "долевая, 3/4",
        "нужно заказное письмо",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
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
    let store = canvassed();
    let out = store.ok(&["--lang", "en", "register", "--out", &store.at("blank.csv"), "--blank"]);
    assert!(out.starts_with("Delivery register (20 rows): "), "{out}");
    let rows = csv_rows(&store.file("blank.csv"));
    let header = rows.iter().position(|r| r[0] == "No.").unwrap();
    let body = &rows[header + 1..];
    assert_eq!(body.len(), 20);
    assert!(body.iter().all(|r| r[4].is_empty() && r[5].is_empty()), "no method or date: {body:?}");
    assert_eq!(body[19][0], "20");
    assert!(body[10..].iter().all(|r| r[1..].iter().all(String::is_empty)), "spare rows");
    let message = store.refused(&["register", "--out", &store.at("register.pdf")]);
    assert!(message.contains("register.pdf: неизвестное расширение файла; нужно .docx, .xlsx, .csv"), "{message}");
    assert_eq!(store.papers(), ["blank.csv"]);
}

#[test]
fn deadlines_of_the_campaign_warn_about_late_letters_and_owners_not_notified() {
    let (_files, store) = a_year_ago();
    store.ok(&["mark", "1", "delivered", "--date", "2025-11-20"]);
    store.ok(&["mark", "2", "sent", "--owner", "Петров Пётр Петрович", "--date", "2025-12-01"]);
    let text = store.ok(&["deadlines"]);
    assert!(
        text.contains(
            "заказное письмо «Петров Пётр Петрович» отправлено 01.12.2025, позже последнего дня уведомления 30.11.2025"
        ),
        "{text}"
    );
    assert!(text.contains("не уведомлены ни под роспись, ни письмом: 7 собственников"), "{text}");
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
        let text = std::fs::read_to_string(fixture_file("guide-example", name)).unwrap();
        std::fs::write(files.path().join(name), text.replace("\"644000, г. Примерск, ул. Лесная, д. 1, офис 2\"", ""))
            .unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    let json: Value = serde_json::from_str(&store.ok(&["--json", "mail-list", "--out", &store.at("l.csv")])).unwrap();
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{json}");
    assert_eq!(
        (&warnings[0]["code"], &warnings[0]["owner"]),
        (&Value::from("no_own_address"), &Value::from("ООО «Магазин у дома»"))
    );
    let text = store.ok(&["mail-list", "--out", &store.at("l.csv")]);
    assert!(
        text.contains("нет своего адреса в реестре (столбец address): письмо адресовано на помещение Полуподвал"),
        "{text}"
    );
    let with_address = Store::with("guide-example");
    let json: Value =
        serde_json::from_str(&with_address.ok(&["--json", "mail-list", "--out", &with_address.at("l.csv")])).unwrap();
    assert_eq!(json["warnings"], Value::Array(vec![]));
}

#[test]
fn a_list_read_again_under_another_date_or_with_another_number_is_refused_whole() {
    let store = Store::with("guide-example");
    store.ok(&["mark", "1", "delivered"]);
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "80082893123451");
    store.ok(&["letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "21.11.2026"]);
    assert!(
        message.contains(
            "list.csv:7: письмо «Петров Пётр Петрович» (помещение 2) уже записано как отправленное 20.11.2026, ШПИ 80082893123451 ["
        ),
        "{message}"
    );
    assert!(message.contains("одно письмо не отправляют дважды"), "{message}");
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "80082893123468");
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    assert!(
        message.contains(
            "list.csv:7: the letter to `Петров Пётр Петрович` (premise 2) is recorded as sent on 20.11.2026, tracking number 80082893123451 already ["
        ),
        "{message}"
    );
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "");
    let again = store.ok(&["letters", "sent", "--list", &list, "--date", "20.11.2026"]);
    assert!(again.ends_with("Уже были записаны: 8\n"), "{again}");
}

#[test]
fn a_tracking_number_of_a_standing_letter_is_refused_for_another_letter() {
    let store = Store::with("guide-example");
    let petrov = ["mark", "2", "sent", "--owner", "Петров Пётр Петрович", "--date", "2026-11-20"];
    let id = store.ok(&[&["--json"][..], &petrov, &["--tracking", "80082893123451"]].concat());
    let id: Value = serde_json::from_str(&id).unwrap();
    let sokolov = ["mark", "3", "sent", "--owner", "Соколов Андрей Викторович", "--date", "2026-11-21"];
    let args = [&sokolov[..], &["--tracking", "8008 2893 1234 51"]].concat();
    let message = store.refused(&args);
    assert!(
        message.contains(
            "--tracking: ШПИ 80082893123451 уже записан: письмо «Петров Пётр Петрович» (помещение 2), отправленное 20.11.2026"
        ),
        "{message}"
    );
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Смирнова Анна Павловна", "80082893123451");
    let message = store.refused(&["letters", "sent", "--list", &list, "--date", "2026-11-21"]);
    assert!(message.contains("list.csv:9: ШПИ 80082893123451 уже записан: письмо «Петров Пётр Петрович»"), "{message}");
    // Once the first letter is withdrawn, its number is free for the right one.
    store.ok(&["undo", id["id"].as_str().unwrap()]);
    store.ok(&args);
}

#[test]
fn a_register_or_list_saved_under_the_registrys_name_does_not_destroy_it() {
    let store = Store::with("guide-example");
    let registry = std::fs::read(fixture_file("guide-example", "registry.csv")).unwrap();
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
    let store = Store::with("guide-example");
    let petrov = ["mark", "2", "sent", "--owner", "Петров Пётр Петрович", "--date"];
    let message = store.refused(&[&petrov[..], &["20.11.0026"]].concat());
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
    store.ok(&[&petrov[..], &["10.12.2025"]].concat());
}

#[test]
fn a_list_saved_by_excel_with_crlf_or_tabs_names_the_right_line() {
    let store = Store::with("guide-example");
    let list = store.at("list.csv");
    store.ok(&["mail-list", "--out", &list]);
    fill_tracking(&store.file("list.csv"), "Петров Пётр Петрович", "123");
    let text = std::fs::read_to_string(store.file("list.csv")).unwrap();
    std::fs::write(store.file("list.csv"), text.replace('\n', "\r\n")).unwrap();
    let sent = ["letters", "sent", "--list", list.as_str(), "--date", "2026-11-20"];
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:9: ШПИ «123»: 3 цифры, а нужно 14"), "{message}");
    std::fs::write(store.file("list.csv"), text.replace(';', "\t")).unwrap();
    let message = store.refused(&sent);
    assert!(message.contains("list.csv:9: ШПИ «123»"), "a tab-separated list is read: {message}");
}

#[test]
fn the_delivery_register_given_as_a_mail_list_is_named_as_not_one() {
    let store = Store::with("guide-example");
    store.ok(&["register", "--out", &store.at("register.csv")]);
    let message = store.refused(&["letters", "sent", "--list", &store.at("register.csv"), "--date", "2026-11-20"]);
    assert!(message.contains("register.csv: это не список заказных писем obhod"), "{message}");
}
