//! Reading a business-service order back: each row's premise and owner from its address and name,
//! whatever the order of rows and columns; identical rows of one addressee given to its premises.
//! And the mass of a letter a list is written with.

use obhod_core::{Meeting, Problem, Registry};
use obhod_papers::PaperError;
use obhod_papers::mail::{ListedLetter, MailOptions, read_list, write};

/// One person at the building (flat 1) and at two addresses of their own (flats 2 and 3); a
/// company with two premises at one address; one more person at the building.
const REGISTRY: &str = "\
помещение;тип;площадь;подъезд;этаж;комната;площадь_комнаты;собственник;вид_собственника;доля;совместная;документ;адрес
1;квартира;30;1;1;;;Петров Пётр Петрович;;;;;
2;квартира;40;1;1;;;Петров Пётр Петрович;;;;;644010, г. Омск, ул. Мира, д. 1, кв. 5
3;квартира;40;1;1;;;Петров Пётр Петрович;;;;;101000, г. Москва, ул. Тверская, д. 2, кв. 7
Н-1;нежилое;100;;1;;;ООО «Ромашка»;юрлицо;;;;644001, г. Омск, ул. Ленина, д. 18, оф. 204
Н-2;нежилое;100;;1;;;ООО «Ромашка»;юрлицо;;;;644001, г. Омск, ул. Ленина, д. 18, оф. 204
4;квартира;30;1;1;;;Сидорова Анна Ивановна;;;;;
";

const HEADER: &str = "index-to;region-to;place-to;street-to;house-to;room-to;surname;given-name;middle-name;barcode";
const PETROV_1: &str = "644000;;г. Омск;ул. Садовая;5;1;Петров;Пётр;Петрович";
const PETROV_2: &str = "644010;;г. Омск;ул. Мира;1;кв. 5;Петров;Пётр;Петрович";
const PETROV_3: &str = "101000;;г. Москва;ул. Тверская;2;кв. 7;Петров;Петр;Петрович";
const ROMASHKA: &str = "644001;;г. Омск;ул. Ленина;18;оф. 204;ООО «Ромашка»;;";

fn registry() -> Registry {
    Registry::parse("registry.csv", REGISTRY.as_bytes()).unwrap()
}

/// A tracking number for the `n`th row, with the Post's check digit.
fn number(n: u64) -> String {
    let digits = format!("{:013}", 8008280000000_u64 + n);
    let sum: u32 = digits.bytes().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// The order with these rows, each with the tracking number of its place.
fn order(rows: &[&str]) -> String {
    let body: Vec<String> = rows.iter().enumerate().map(|(n, row)| format!("{row};{}", number(n as u64))).collect();
    format!("{HEADER}\n{}\n", body.join("\n"))
}

fn read(text: &str, due: &dyn Fn(usize, &str) -> bool) -> Vec<(String, String, u64)> {
    let letters = read_list("order.csv", text.as_bytes(), &registry(), due).unwrap();
    letters.into_iter().map(|l: ListedLetter| (l.premise, l.tracking.unwrap().to_string(), l.line)).collect()
}

/// Why the order is refused.
fn refused(text: &str, due: &dyn Fn(usize, &str) -> bool) -> Problem {
    *read_list("order.csv", text.as_bytes(), &registry(), due).unwrap_err().problem
}

fn all_due(_: usize, _: &str) -> bool {
    true
}

fn letters(list: &[(&str, u64)]) -> Vec<(String, String, u64)> {
    list.iter().map(|&(premise, line)| (premise.to_string(), number(line - 2), line)).collect()
}

#[test]
fn one_name_at_the_building_and_at_two_own_addresses_is_told_apart_by_the_address() {
    let found = read(&order(&[PETROV_3, PETROV_1, PETROV_2]), &all_due);
    assert_eq!(found, letters(&[("3", 2), ("1", 3), ("2", 4)]));
}

#[test]
fn columns_in_another_order_under_a_title_line_are_found_by_their_names() {
    let text = format!(
        "Заказ\n\
         barcode;surname;given-name;middle-name;room-to;house-to;street-to;place-to;region-to;index-to\n\
         {};Петров;Пётр;Петрович;1;5;ул. Садовая;г. Омск;;644000\n",
        number(0)
    );
    let found = read(&text, &all_due);
    assert_eq!(found, [("1".to_string(), number(0), 3)]);
}

#[test]
fn identical_rows_of_one_addressee_go_to_its_premises_in_list_order() {
    let found = read(&order(&[ROMASHKA, PETROV_1, ROMASHKA]), &all_due);
    assert_eq!(found, letters(&[("Н-1", 2), ("1", 3), ("Н-2", 4)]));
}

#[test]
fn fewer_identical_rows_go_to_the_premises_still_due_or_are_refused() {
    let only_second = |premise: usize, _: &str| premise == 4;
    let found = read(&order(&[ROMASHKA]), &only_second);
    assert_eq!(found, letters(&[("Н-2", 2)]));
    let problem = refused(&order(&[ROMASHKA]), &all_due);
    assert_eq!(
        problem,
        Problem::AmbiguousLetters {
            owner: "ООО «Ромашка»".into(),
            premises: vec!["Н-1".into(), "Н-2".into()],
            rows: 1,
            due: 2,
        }
    );
}

#[test]
fn a_row_naming_nobody_or_repeating_a_letter_is_refused_with_which() {
    let stranger = ROMASHKA.replace("Ромашка", "Лютик");
    assert_eq!(refused(&order(&[&stranger]), &all_due), Problem::UnknownAddressee("ООО «Лютик»".into()));
    let elsewhere = PETROV_2.replace("Мира", "Ленина");
    assert_eq!(refused(&order(&[&elsewhere]), &all_due), Problem::UnknownAddressee("Петров Пётр Петрович".into()));
    let twice = Problem::DuplicateLetter {
        premise: "1".into(), owner: "Петров Пётр Петрович".into(), other_line: 2
    };
    assert_eq!(refused(&order(&[PETROV_1, PETROV_1]), &all_due), twice);
    let sidorova = "644000;;г. Омск;ул. Садовая;5;;Сидорова;Анна;Ивановна";
    assert_eq!(refused(&order(&[sidorova]), &all_due), Problem::MissingValue("room-to"));
    let elsewhere = sidorova.replace(";5;;", ";5;3;");
    let problem =
        Problem::UnknownOwner { premise: "3".into(), owner: "Сидорова Анна Ивановна".into() };
    assert_eq!(refused(&order(&[&elsewhere]), &all_due), problem);
    let nowhere = sidorova.replace(";5;;", ";5;9;");
    assert_eq!(refused(&order(&[&nowhere]), &all_due), Problem::UnknownPremise("9".into()));
}

#[test]
fn a_list_of_letters_that_weigh_nothing_or_more_than_a_letter_is_not_written() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/sadovaya-5/meeting.toml");
    let meeting = Meeting::parse("meeting.toml", &std::fs::read_to_string(fixture).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    for grams in [0, 101] {
        let options = MailOptions { grams, ..MailOptions::default() };
        let error = write(&path, "meeting.toml", &meeting, &[], options).unwrap_err();
        assert!(matches!(error, PaperError::BadMass(g) if g == grams), "{error:?}");
        assert!(error.message(obhod_core::Lang::Ru).contains("нужно целое число граммов от 1 до 100"));
        assert!(!path.exists());
    }
    let options = MailOptions { grams: 100, ..MailOptions::default() };
    assert_eq!(write(&path, "meeting.toml", &meeting, &[], options).unwrap(), std::slice::from_ref(&path));
}
