//! End-to-end tests of the business-service order («Отправка»): its columns, the building's
//! address and an owner's own in parts (or refused with the registry's line); the order read back
//! by `letters sent` after the organiser added a `barcode` column with the tracking numbers the
//! service gave, removed or reordered rows: each row found by its order number, its name checked;
//! and the mass of a letter (`mail-list --mass`) in both formats. Every refusal exits 2 and stores
//! nothing.

use std::path::Path;

use serde_json::Value;

mod support;
use support::{Workdir as Store, csv_rows, fixture as fixture_file};

const MUNICIPALITY: &str = "Муниципальное образование городской округ город Примерск";
const DATE: &str = "2026-11-20";
/// The columns of the order: the number, the addressee's name, the premises' note.
const NUMBER: usize = 0;
const NAME: usize = 12;
const NOTE: usize = 20;

fn write_csv(path: &Path, rows: &[Vec<String>]) {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(writer.into_inner().unwrap());
    std::fs::write(path, bytes).unwrap();
}

fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    workbook.save(path).unwrap();
}

/// The order of every letter of the demo building, written by obhod as CSV.
fn ordered() -> (Store, Vec<Vec<String>>) {
    let store = Store::with("sadovaya-5");
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    let rows = csv_rows(&store.file("order.csv"));
    (store, rows)
}

/// The rows with a `barcode` column added: `numbers(row index)` gives the tracking number.
fn with_barcodes(rows: &[Vec<String>], numbers: impl Fn(usize) -> String) -> Vec<Vec<String>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let mut row = row.clone();
            row.push(if i == 0 { "barcode".into() } else { numbers(i) });
            row
        })
        .collect()
}

/// A tracking number unique to row `i`, with the Post's check digit.
fn number(i: usize) -> String {
    let digits = format!("{:013}", 8008280000000_u64 + i as u64);
    let sum: u32 = digits.bytes().enumerate().map(|(n, d)| u32::from(d - b'0') * if n % 2 == 0 { 3 } else { 1 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// The index of the row with this order number.
fn row_of(rows: &[Vec<String>], order_num: &str) -> usize {
    rows.iter().position(|r| r[NUMBER] == order_num).unwrap()
}

fn sent(store: &Store, list: &str) -> String {
    store.ok(&["letters", "sent", "--list", &store.at(list), "--date", DATE])
}

fn refused(store: &Store, list: &str) -> String {
    store.refused(&["letters", "sent", "--list", &store.at(list), "--date", DATE])
}

/// The first owner of a premise in `status --json PREMISE`.
fn owner(store: &Store, premise: &str) -> Value {
    let status: Value = serde_json::from_str(&store.ok(&["--json", "status", premise])).unwrap();
    status["owners"][0].clone()
}

#[test]
fn the_order_has_the_service_s_columns_and_the_addresses_in_parts() {
    let (_, rows) = ordered();
    assert_eq!(
        rows[0].join(";"),
        "order-num;address-type-to;index-to;region-to;area-to;place-to;street-to;house-to;corpus-to;building-to;\
         room-to;office-to;recipient-name;surname;given-name;middle-name;mass;mail-type;mail-category;mail-direct;comment"
    );
    assert_eq!(
        rows[1].join(";"),
        "1/1;DEFAULT;644000;Омская обл.;;г. Примерск;ул. Садовая;5;;;1;;Фролова Дарья Олеговна;Фролова;Дарья;Олеговна;\
         20;LETTER;ORDERED;643;пом. 1"
    );
    let shop = &rows[row_of(&rows, "Н-1/1")];
    assert_eq!(
        shop.join(";"),
        "Н-1/1;DEFAULT;644001;Омская обл.;;г. Примерск;ул. Ленина;18;;;;204;ООО «Продукты у дома»;;;;20;LETTER;ORDERED;\
         643;пом. Н-1, ММ-20, К-12",
        "one letter for the shop, its parking space and storeroom; the name whole, no surname"
    );
    let city = &rows[row_of(&rows, "17/1")];
    assert_eq!(city[3..8], ["Омская обл.", "", "г. Примерск", "ул. Гагарина", "32"], "no department in the place");
    assert_eq!(
        city[NAME],
        format!("{MUNICIPALITY}, департамент имущественных отношений Администрации города Примерска")
    );
    assert_eq!(rows.iter().filter(|r| r[NAME].starts_with(MUNICIPALITY)).count(), 1, "seven premises, one letter");
}

#[test]
fn the_order_without_the_building_in_parts_is_refused_and_no_file_is_written() {
    let store = Store::with("guide-example");
    let message = store.refused(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    assert!(
        message.starts_with(
            "obhod: в собрании кампании нет ключей «building.region», «building.place», «building.street», \
             «building.house»: они нужны для адреса по частям в заказе сервиса «Отправка» Почты России. Кампания \
             хранит своё описание собрания: допишите в "
        ),
        "{message}"
    );
    assert!(message.ends_with("meeting.toml\n") && message.contains("obhod meeting update --meeting "), "{message}");
    let english =
        store.refused(&["--lang", "en", "mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    assert!(english.contains("the campaign's meeting lacks `building.region`, `building.place`"), "{english}");
    let pdf = store.refused(&["mail-list", "--out", &store.at("list.pdf")]);
    assert!(pdf.contains("list.pdf: неизвестное расширение файла; нужно .csv, .xlsx"), "{pdf}");
    let zero = store.refused(&["mail-list", "--out", &store.at("list.csv"), "--split", "0"]);
    assert!(zero.contains("--split: нужно число строк больше нуля"), "{zero}");
    assert!(store.papers().is_empty(), "{:?}", store.papers());
}

#[test]
fn an_own_address_that_cannot_be_put_in_parts_refuses_the_order_with_its_registry_line() {
    let files = tempfile::tempdir().unwrap();
    for name in ["meeting.toml", "registry.csv"] {
        let text = std::fs::read_to_string(fixture_file("lesnaya-7", name)).unwrap();
        std::fs::write(files.path().join(name), text.replace("пр-т Мира, д. 10, кв. 45", "пр-т Мира 10-45")).unwrap();
    }
    let store = Store::of_meeting(files.path().join("meeting.toml").to_str().unwrap());
    let message = store.refused(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    assert!(
        message.contains(
            "registry.csv:11: адрес «Лебедева Анна Сергеевна» «644050, Омская обл., г. Примерск, пр-т Мира 10-45» не \
             разложить на части для заказа «Отправки»: нет номера дома (д. 5)"
        ),
        "{message}"
    );
    assert!(store.papers().is_empty(), "{:?}", store.papers());
    store.ok(&["mail-list", "--out", &store.at("list.csv")]);
}

#[test]
fn an_order_with_barcodes_round_trips_and_notifies_everyone_on_it() {
    let (store, rows) = ordered();
    assert_eq!(rows.len(), 285, "the header and 284 letters");
    let filled = with_barcodes(&rows, number);
    write_csv(&store.file("order.csv"), &filled);
    assert_eq!(sent(&store, "order.csv"), "Записаны как отправленные 20.11.2026: 284 письма (с ШПИ: 284)\n");
    let status = store.status();
    assert_eq!(
        (status["owners"].as_u64(), status["notified"].as_u64(), status["sent"].as_u64(), status["letters"].as_u64()),
        (Some(292), Some(292), Some(284), Some(0)),
        "292 owners of premises, each notified; one fact per letter"
    );
    let flat = owner(&store, "2");
    assert_eq!(flat["owner"], "Никитин Анатолий Иванович");
    assert_eq!((flat["sent"].as_str(), flat["tracking"].as_str()), (Some(DATE), Some(number(2).as_str())));
    assert_eq!(owner(&store, "Н-1")["tracking"].as_str(), Some(number(row_of(&rows, "Н-1/1")).as_str()));
    assert_eq!(owner(&store, "17")["tracking"].as_str(), Some(number(row_of(&rows, "17/1")).as_str()));
    assert_eq!(owner(&store, "147")["notified"], Value::Bool(true), "by the city's one letter");
    let again = sent(&store, "order.csv");
    assert_eq!(again, "Записаны как отправленные 20.11.2026: 0 писем (с ШПИ: 0)\nУже были записаны: 284\n");
    store.ok(&["mail-list", "--out", &store.at("after.csv"), "--format", "otpravka"]);
    assert_eq!(csv_rows(&store.file("after.csv")).len(), 1, "nothing left to send");
}

#[test]
fn reordered_rows_and_columns_are_found_by_their_order_numbers() {
    let (store, rows) = ordered();
    let filled = with_barcodes(&rows, number);
    let mut reversed: Vec<Vec<String>> = vec![filled[0].iter().rev().cloned().collect()];
    reversed.extend(filled[1..].iter().rev().map(|r| r.iter().rev().cloned().collect()));
    write_csv(&store.file("order.csv"), &reversed);
    assert!(sent(&store, "order.csv").contains("284 письма (с ШПИ: 284)"));
    assert_eq!(owner(&store, "1")["tracking"].as_str(), Some(number(1).as_str()), "flat 1 keeps its own number");
    assert_eq!(owner(&store, "17")["tracking"].as_str(), Some(number(row_of(&rows, "17/1")).as_str()));
}

#[test]
fn a_removed_row_leaves_that_letter_to_send() {
    let (store, mut rows) = ordered();
    rows.remove(row_of(&rows, "17/1"));
    write_csv(&store.file("order.csv"), &rows);
    assert!(sent(&store, "order.csv").contains(": 283 письма (с ШПИ: 0)"));
    assert_eq!(owner(&store, "27")["notified"], Value::Bool(false));
    store.ok(&["mail-list", "--out", &store.at("after.csv"), "--format", "otpravka"]);
    let after = csv_rows(&store.file("after.csv"));
    assert_eq!(after.len(), 2);
    assert_eq!(after[1][NOTE], "пом. 17, 27, 33, 55, 138, 147, Н-4", "the city's letter, whole");
}

#[test]
fn an_owner_notified_by_hand_at_one_premise_gets_no_letter_for_the_others() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mark", "17", "delivered", "--date", "2026-11-20"]);
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    let rows = csv_rows(&store.file("order.csv"));
    assert_eq!(
        rows.iter().filter(|r| r[NAME].starts_with(MUNICIPALITY)).count(),
        0,
        "notified once, whichever premise"
    );
    assert_eq!(owner(&store, "27")["notified"], Value::Bool(true));
    assert_eq!(owner(&store, "27")["sent"], Value::Null);
}

#[test]
fn a_row_whose_name_or_number_is_not_its_letter_s_is_refused_with_its_line() {
    let (store, rows) = ordered();
    let flat = row_of(&rows, "2/1");
    let line = flat + 1;
    let mut edited = rows.clone();
    edited[flat][NAME] = "Никитен Анатолий Иванович".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!(
            "order.csv:{line}: в помещении 2 нет собственника «Никитен Анатолий Иванович» по реестру"
        )),
        "{message}"
    );
    let mut edited = rows.clone();
    edited[flat][NUMBER] = "777/1".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(message.contains(&format!("order.csv:{line}: помещения «777» нет в реестре")), "{message}");
    let mut edited = rows.clone();
    edited[flat][NUMBER] = "2".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!(
            "order.csv:{line}: номер заказа (order-num) «2» не из списка obhod: там «помещение/номер собственника», например 12/1"
        )),
        "{message}"
    );
}

#[test]
fn a_duplicate_row_is_refused_with_both_lines() {
    let (store, rows) = ordered();
    let mut edited = rows.clone();
    edited.push(rows[1].clone());
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!(
            "order.csv:{}: письмо «Фролова Дарья Олеговна» (помещение 1) уже есть в строке 2: уберите повтор",
            edited.len()
        )),
        "{message}"
    );
}

#[test]
fn a_bad_or_repeated_barcode_is_refused_with_its_line() {
    let (store, rows) = ordered();
    let bad = with_barcodes(&rows, |i| if i == 5 { "123".into() } else { String::new() });
    write_csv(&store.file("order.csv"), &bad);
    let message = refused(&store, "order.csv");
    assert!(message.contains("order.csv:6: ШПИ «123»: 3 цифры, а нужно 14"), "{message}");
    let letter = with_barcodes(&rows, |i| if i == 3 { "8008289312345Ж".into() } else { String::new() });
    write_csv(&store.file("order.csv"), &letter);
    let message = store.refused(&["--lang", "en", "letters", "sent", "--list", &store.at("order.csv"), "--date", DATE]);
    assert!(message.contains("order.csv:4: tracking number \"8008289312345Ж\": 'Ж' is not a digit"), "{message}");
    let twice = with_barcodes(&rows, |i| if i == 3 || i == 9 { number(0) } else { String::new() });
    write_csv(&store.file("order.csv"), &twice);
    let message = refused(&store, "order.csv");
    assert!(message.contains(&format!("order.csv:10: ШПИ {} уже есть в строке 4", number(0))), "{message}");
}

#[test]
fn an_xlsx_order_reads_back_as_written_and_with_barcodes_added() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mail-list", "--out", &store.at("order.xlsx"), "--format", "otpravka"]);
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    let rows = csv_rows(&store.file("order.csv"));
    let filled = with_barcodes(&rows[..11], number);
    write_xlsx(&store.file("filled.xlsx"), &filled);
    assert_eq!(sent(&store, "filled.xlsx"), "Записаны как отправленные 20.11.2026: 10 писем (с ШПИ: 10)\n");
    assert_eq!(owner(&store, "2")["tracking"].as_str(), Some(number(2).as_str()));
    assert!(sent(&store, "order.xlsx").contains(": 274 письма (с ШПИ: 0)\nУже были записаны: 10\n"));
    assert_eq!(store.status()["letters"].as_u64(), Some(0));
    let mut bad = filled.clone();
    bad[4][21] = "12345".into();
    write_xlsx(&store.file("bad.xlsx"), &bad);
    let message = refused(&store, "bad.xlsx");
    assert!(message.contains("bad.xlsx:5: ШПИ «12345»: 5 цифр, а нужно 14"), "{message}");
}

#[test]
fn every_xlsx_list_reads_back_as_its_csv_row_by_row() {
    let store = Store::with("sadovaya-5");
    for format in ["f103", "otpravka"] {
        store.ok(&["mail-list", "--out", &store.at("list.csv"), "--format", format]);
        store.ok(&["mail-list", "--out", &store.at("list.xlsx"), "--format", format]);
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(store.file("list.xlsx")).unwrap();
        let range = calamine::Reader::worksheet_range_at(&mut workbook, 0).unwrap().unwrap();
        let text = |c: &calamine::Data| match c {
            calamine::Data::Float(f) => format!("{}", *f as i64),
            other => other.to_string(),
        };
        let xlsx: Vec<Vec<String>> = range
            .rows()
            .map(|r| {
                let mut cells: Vec<String> = r.iter().map(text).collect();
                while cells.len() > 1 && cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                cells
            })
            .collect();
        let csv: Vec<Vec<String>> = csv_rows(&store.file("list.csv"))
            .into_iter()
            .map(|mut r| {
                while r.len() > 1 && r.last().is_some_and(String::is_empty) {
                    r.pop();
                }
                r
            })
            .collect();
        assert_eq!(xlsx, csv, "{format}");
    }
}

#[test]
fn the_mass_of_a_letter_is_in_both_formats_and_the_totals() {
    let (store, rows) = ordered();
    assert!(rows[1..].iter().all(|r| r[16] == "20"), "20 g by default");
    store.ok(&["mail-list", "--out", &store.at("heavy.csv"), "--format", "otpravka", "--mass", "35"]);
    let heavy = csv_rows(&store.file("heavy.csv"));
    assert_eq!(heavy[0][16], "mass");
    assert!(heavy[1..].iter().all(|r| r[16] == "35"), "{:?}", heavy[1]);
    store.ok(&["mail-list", "--out", &store.at("f103.xlsx"), "--mass", "35"]);
    store.ok(&["mail-list", "--out", &store.at("f103.csv"), "--mass", "35"]);
    let form = csv_rows(&store.file("f103.csv"));
    assert_eq!(form[1][0], "Вид и категория отправлений: письмо заказное (без объявленной ценности)");
    let header = form.iter().position(|r| r[0] == "№ п/п").unwrap();
    assert_eq!(form[header][4..6], ["Масса, г", "Объявленная ценность, руб."]);
    let totals = form.iter().position(|r| r[0] == "Итого").unwrap();
    let body = &form[header + 1..totals];
    assert_eq!(body.len(), 284);
    assert!(body.iter().all(|r| r[4] == "35" && r[5].is_empty()), "{:?}", body[0]);
    assert_eq!((form[totals][1].as_str(), form[totals][4].as_str()), ("284 письма", "9940"));
    assert!(form.iter().any(|r| r[0] == "Всего отправлений: 284 (двести восемьдесят четыре)"));
    assert!(form.iter().any(|r| r[0] == "Общая масса: 9940 г"));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(store.file("f103.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut workbook, 0).unwrap().unwrap();
    let totals = range.rows().find(|r| r[0] == "Итого").unwrap();
    assert_eq!(totals[4].to_string(), "9940");
}

#[test]
fn a_mass_that_is_not_a_letter_s_is_refused() {
    let store = Store::with("sadovaya-5");
    for (value, shown) in [("0", "0"), ("abc", "abc"), ("101", "101"), ("-5", "-5"), ("2.5", "2.5")] {
        let message = store.refused(&["mail-list", "--out", &store.at("list.csv"), &format!("--mass={value}")]);
        assert!(
            message.contains(&format!(
                "--mass <ГРАММЫ>: «{shown}» не масса письма: нужно целое число граммов от 1 до 100"
            )),
            "{value}: {message}"
        );
    }
    let english = store.refused(&["--lang", "en", "mail-list", "--out", &store.at("list.csv"), "--mass", "0"]);
    assert!(english.contains("«0» is not a letter's mass: a whole number of grams from 1 to 100"), "{english}");
    assert!(store.papers().is_empty(), "{:?}", store.papers());
}
