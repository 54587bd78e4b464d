//! End-to-end tests of the business-service order («Отправка») read back by `letters sent`: the
//! organiser adds a `barcode` column with the tracking numbers the service gave, may remove or
//! reorder rows, and obhod finds each row's premise and owner from its address and name; and the
//! mass of a letter (`mail-list --mass`) in both formats. Every refusal exits 2 and stores nothing.

use std::path::Path;

use serde_json::Value;

mod support;
use support::{Workdir as Store, csv_rows};

const MUNICIPALITY: &str = "Муниципальное образование городской округ город Примерск";
/// The seven premises of the municipality, in registry order.
const MUNICIPAL: [&str; 7] = ["17", "27", "33", "55", "138", "147", "Н-4"];
const DATE: &str = "2026-11-20";

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

/// The index of the row for `room` and `surname` (the first one, for identical rows).
fn row_of(rows: &[Vec<String>], room: &str, surname: &str) -> usize {
    rows.iter().position(|r| r[5] == room && r[6] == surname).unwrap()
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
fn an_order_with_barcodes_round_trips_and_notifies_everyone_on_it() {
    let (store, rows) = ordered();
    assert_eq!(rows.len(), 293, "the header and 292 letters");
    let filled = with_barcodes(&rows, number);
    write_csv(&store.file("order.csv"), &filled);
    assert_eq!(sent(&store, "order.csv"), "Записаны как отправленные 20.11.2026: 292 письма (с ШПИ: 292)\n");
    let status = store.status();
    assert_eq!(
        (status["owners"].as_u64(), status["notified"].as_u64(), status["sent"].as_u64(), status["letters"].as_u64()),
        (Some(292), Some(292), Some(292), Some(0))
    );
    let flat = owner(&store, "2");
    assert_eq!(flat["owner"], "Никитин Анатолий Иванович");
    assert_eq!((flat["sent"].as_str(), flat["tracking"].as_str()), (Some(DATE), Some(number(2).as_str())));
    let shop = row_of(&rows, "оф. 204", "ООО «Продукты у дома»");
    assert_eq!(owner(&store, "Н-1")["tracking"].as_str(), Some(number(shop).as_str()));
    let first = row_of(&rows, "", MUNICIPALITY);
    assert_eq!(owner(&store, "17")["tracking"].as_str(), Some(number(first).as_str()));
    let again = sent(&store, "order.csv");
    assert_eq!(again, "Записаны как отправленные 20.11.2026: 0 писем (с ШПИ: 0)\nУже были записаны: 292\n");
    store.ok(&["mail-list", "--out", &store.at("after.csv"), "--format", "otpravka"]);
    assert_eq!(csv_rows(&store.file("after.csv")).len(), 1, "nothing left to send");
}

#[test]
fn reordered_rows_are_found_by_address_and_name_and_identical_ones_taken_in_list_order() {
    let (store, rows) = ordered();
    let filled = with_barcodes(&rows, number);
    let mut reversed = vec![filled[0].clone()];
    reversed.extend(filled[1..].iter().rev().cloned());
    write_csv(&store.file("order.csv"), &reversed);
    assert!(sent(&store, "order.csv").contains("292 письма (с ШПИ: 292)"));
    assert_eq!(owner(&store, "1")["tracking"].as_str(), Some(number(1).as_str()), "flat 1 keeps its own number");
    let municipal: Vec<String> =
        reversed.iter().filter(|r| r[6] == MUNICIPALITY).map(|r| r.last().unwrap().clone()).collect();
    for (premise, tracking) in MUNICIPAL.iter().zip(&municipal) {
        let found = owner(&store, premise);
        assert_eq!(found["owner"], MUNICIPALITY);
        assert_eq!(found["tracking"].as_str(), Some(tracking.as_str()), "premise {premise}");
    }
}

#[test]
fn a_removed_row_of_a_flat_leaves_that_letter_to_send() {
    let (store, mut rows) = ordered();
    let flat = row_of(&rows, "2", "Никитин");
    rows.remove(flat);
    write_csv(&store.file("order.csv"), &rows);
    assert!(sent(&store, "order.csv").contains(": 291 письмо (с ШПИ: 0)"));
    assert_eq!(store.status()["letters"].as_u64(), Some(1));
    assert_eq!(owner(&store, "2")["sent"], Value::Null);
}

#[test]
fn a_removed_row_of_an_owner_with_several_premises_at_its_own_address_is_refused() {
    let (store, mut rows) = ordered();
    let first = row_of(&rows, "", MUNICIPALITY);
    rows.remove(first);
    write_csv(&store.file("order.csv"), &rows);
    let line = row_of(&rows, "", MUNICIPALITY) + 1;
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!(
            "order.csv:{line}: «{MUNICIPALITY}» получает письма по своему адресу за помещения 17, 27, 33, 55, 138, \
             147, Н-4, и их строки в списке одинаковы; в списке 6 строк, а писем к отправке — 7: не понять, какая \
             строка к какому помещению."
        )),
        "{message}"
    );
    assert!(message.contains("obhod mark ПОМЕЩЕНИЕ sent --owner … --date …"), "{message}");
    let english = store.refused(&["--lang", "en", "letters", "sent", "--list", &store.at("order.csv"), "--date", DATE]);
    assert!(
        english.contains(&format!(
            "order.csv:{line}: `{MUNICIPALITY}` is written to at its own address for premises 17, 27, 33, 55, 138, \
             147, Н-4, and its rows in the list are identical; the list has 6 rows and 7 letters are due"
        )),
        "{english}"
    );
}

#[test]
fn an_owner_notified_by_hand_at_one_premise_gets_no_letter_for_the_others() {
    let store = Store::with("sadovaya-5");
    store.ok(&["mark", "17", "delivered", "--date", "2026-11-20"]);
    store.ok(&["mail-list", "--out", &store.at("order.csv"), "--format", "otpravka"]);
    let rows = csv_rows(&store.file("order.csv"));
    assert_eq!(rows.iter().filter(|r| r[6] == MUNICIPALITY).count(), 0, "notified once, whichever premise");
    assert_eq!(owner(&store, "27")["notified"], Value::Bool(true));
    assert_eq!(owner(&store, "27")["sent"], Value::Null);
}

#[test]
fn an_unknown_name_is_refused_with_its_line() {
    let (store, rows) = ordered();
    let mut edited = rows.clone();
    let flat = row_of(&rows, "2", "Никитин");
    edited[flat][6] = "Никитен".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    let line = flat + 1;
    assert!(
        message.contains(&format!(
            "order.csv:{line}: в помещении 2 нет собственника «Никитен Анатолий Иванович» по реестру"
        )),
        "{message}"
    );
    let mut edited = rows.clone();
    let shop = row_of(&rows, "оф. 204", "ООО «Продукты у дома»");
    edited[shop][6] = "ООО «Ромашка»".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!("order.csv:{}: в реестре нет собственника «ООО «Ромашка»»", shop + 1)),
        "{message}"
    );
    let mut edited = rows.clone();
    edited[flat][5] = "777".into();
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(message.contains(&format!("order.csv:{line}: помещения «777» нет в реестре")), "{message}");
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
    let mut edited = rows.clone();
    let state = row_of(&rows, "", "Российская Федерация");
    edited.insert(state + 1, rows[state].clone());
    write_csv(&store.file("order.csv"), &edited);
    let message = refused(&store, "order.csv");
    assert!(
        message.contains(&format!(
            "order.csv:{}: письмо «Российская Федерация» (помещение Н-5) уже есть в строке {}",
            state + 2,
            state + 1
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
    assert!(sent(&store, "order.xlsx").contains(": 282 письма (с ШПИ: 0)\nУже были записаны: 10\n"));
    assert_eq!(store.status()["letters"].as_u64(), Some(0));
    let mut bad = filled.clone();
    bad[4][12] = "12345".into();
    write_xlsx(&store.file("bad.xlsx"), &bad);
    let message = refused(&store, "bad.xlsx");
    assert!(message.contains("bad.xlsx:5: ШПИ «12345»: 5 цифр, а нужно 14"), "{message}");
}

#[test]
fn the_mass_of_a_letter_is_in_both_formats_and_the_totals() {
    let (store, rows) = ordered();
    assert!(rows[1..].iter().all(|r| r[9] == "20"), "20 g by default");
    store.ok(&["mail-list", "--out", &store.at("heavy.csv"), "--format", "otpravka", "--mass", "35"]);
    let heavy = csv_rows(&store.file("heavy.csv"));
    assert_eq!(heavy[0][9], "mass");
    assert!(heavy[1..].iter().all(|r| r[9] == "35"), "{:?}", heavy[1]);
    store.ok(&["mail-list", "--out", &store.at("f103.xlsx"), "--mass", "35"]);
    store.ok(&["mail-list", "--out", &store.at("f103.csv"), "--mass", "35"]);
    let form = csv_rows(&store.file("f103.csv"));
    assert_eq!(form[1][0], "Вид и категория отправлений: письмо заказное (без объявленной ценности)");
    let header = form.iter().position(|r| r[0] == "№ п/п").unwrap();
    assert_eq!(form[header][4..6], ["Масса, г", "Объявленная ценность, руб."]);
    let body = &form[header + 1..form.len() - 1];
    assert_eq!(body.len(), 292);
    assert!(body.iter().all(|r| r[4] == "35" && r[5].is_empty()), "{:?}", body[0]);
    let totals = form.last().unwrap();
    assert_eq!((totals[0].as_str(), totals[1].as_str(), totals[4].as_str()), ("Итого", "292 письма", "10220"));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(store.file("f103.xlsx")).unwrap();
    let range = calamine::Reader::worksheet_range_at(&mut workbook, 0).unwrap().unwrap();
    let last = range.rows().next_back().unwrap();
    assert_eq!((last[0].to_string(), last[4].to_string()), ("Итого".into(), "10220".into()));
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
