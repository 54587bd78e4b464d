//! The registered-mail list as the papers library writes and reads it: one row per letter (one
//! addressee at one postal address, all its premises named), the business service's order with
//! its columns, an organisation's name whole and a person's in parts, an own address in parts or
//! refused with its registry line; either list read back to its letters, whatever the order of
//! rows and columns, a bad row refused with what is wrong. And the mass of a letter.

use obhod_core::{Canvass, Envelope, InputError, Meeting, Problem, Registry, envelopes, every_envelope};
use obhod_papers::PaperError;
use obhod_papers::mail::{ListedLetter, MailFormat, MailOptions, Source, read_list, write};

/// A person at the building (flat 1), a person living elsewhere (flat 2), an individual
/// entrepreneur (Н-1), a company (Н-2), the city with two flats at its property department, and a
/// person whose own address has no house number (flat 5).
const REGISTRY: &str = "\
помещение;тип;площадь;подъезд;этаж;собственник;вид_собственника;адрес
1;квартира;30;1;1;Петров Пётр Петрович;;
2;квартира;40;1;1;Сидорова Анна Ивановна;;101000, г. Москва, ул. Тверская, д. 2, корп. 1, кв. 7
Н-1;нежилое;100;;1;ИП Иванов Иван Иванович;физлицо;644001, г. Примерск, ул. Ленина, 18, оф. 204
Н-2;нежилое;100;;1;ООО «Ромашка»;юрлицо;644043, Омская обл., г. Омск, ул. Красный Путь, д. 9
3;квартира;40;1;2;Город Примерск;муниципальная;644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений
4;квартира;40;1;2;Город Примерск;муниципальная;644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений
5;квартира;40;1;2;Орлов Олег Олегович;;644050, г. Примерск, ул. Мира
";

const MEETING: &str = "[building]\naddress = \"Омская обл., г. Примерск, ул. Садовая, д. 5\"\npostcode = \"644000\"\n\
    region = \"Омская обл.\"\nplace = \"г. Примерск\"\nstreet = \"ул. Садовая\"\nhouse = \"5\"\nregistry = \"registry.csv\"\n\n\
    [meeting]\nkind = \"annual\"\nform = \"in_person\"\ndate = 2026-12-10\ninitiator = \"Петров Пётр Петрович, кв. 1\"\n\
    initiator_premise = \"1\"\n\n[[question]]\ntext = \"Вопрос\"\n";

fn registry() -> Registry {
    Registry::parse("registry.csv", REGISTRY.as_bytes()).unwrap()
}

fn meeting() -> Meeting {
    Meeting::parse("meeting.toml", MEETING).unwrap()
}

/// A tracking number for the `n`th row, with the Post's check digit.
fn number(n: u64) -> String {
    let digits = format!("{:013}", 8008280000000_u64 + n);
    let sum: u32 = digits.bytes().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

/// The list written as CSV, its rows split on `;`, or why it was not written.
fn written(registry: &Registry, letters: &[Envelope], format: MailFormat) -> Result<Vec<Vec<String>>, PaperError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    let meeting = meeting();
    let source = Source { meeting: &meeting, registry, registry_file: "registry.csv" };
    write(&path, &source, letters, MailOptions { format, ..MailOptions::default() })?;
    let text = std::fs::read_to_string(&path).unwrap();
    Ok(text.trim_start_matches('\u{feff}').lines().map(|l| l.split(';').map(str::to_owned).collect()).collect())
}

/// Every letter but the one to flat 5, whose address cannot go into an order.
fn orderable(registry: &Registry) -> Vec<Envelope<'_>> {
    let mut letters = envelopes(registry, &Canvass::fold(registry, vec![]));
    letters.retain(|l| l.first().label != "5");
    letters
}

fn read(text: &str) -> Result<Vec<ListedLetter>, InputError> {
    let registry = registry();
    read_list("list.csv", text.as_bytes(), &registry, &every_envelope(&registry))
}

/// Why a list is refused, at which line.
fn refused(text: &str) -> (Option<u64>, Problem) {
    let error = read(text).unwrap_err();
    (error.line, *error.problem)
}

#[test]
fn the_order_has_the_service_s_columns_an_organisation_s_name_whole_and_an_own_address_in_parts() {
    let registry = registry();
    let rows = written(&registry, &orderable(&registry), MailFormat::Otpravka).unwrap();
    assert_eq!(
        rows[0].join(";"),
        "order-num;address-type-to;index-to;region-to;area-to;place-to;street-to;house-to;corpus-to;building-to;\
         room-to;office-to;recipient-name;surname;given-name;middle-name;mass;mail-type;mail-category;mail-direct;comment"
    );
    let body: Vec<String> = rows[1..].iter().map(|r| r.join(";")).collect();
    assert_eq!(
        body,
        [
            "1/1;DEFAULT;644000;Омская обл.;;г. Примерск;ул. Садовая;5;;;1;;Петров Пётр Петрович;Петров;Пётр;Петрович;20;LETTER;ORDERED;643;пом. 1",
            "2/1;DEFAULT;101000;г. Москва;;г. Москва;ул. Тверская;2;1;;7;;Сидорова Анна Ивановна;Сидорова;Анна;Ивановна;20;LETTER;ORDERED;643;пом. 2",
            "Н-1/1;DEFAULT;644001;Омская обл.;;г. Примерск;ул. Ленина;18;;;;204;ИП Иванов Иван Иванович;;;;20;LETTER;ORDERED;643;пом. Н-1",
            "Н-2/1;DEFAULT;644043;Омская обл.;;г. Омск;ул. Красный Путь;9;;;;;ООО «Ромашка»;;;;20;LETTER;ORDERED;643;пом. Н-2",
            "3/1;DEFAULT;644024;Омская обл.;;г. Примерск;ул. Гагарина;32;;;;;Город Примерск, департамент имущественных отношений;;;;20;LETTER;ORDERED;643;пом. 3, 4",
        ],
        "a region from the building's when the place is its own; «ИП» is no surname; the department is whom, not where"
    );
}

#[test]
fn an_own_address_that_cannot_be_put_in_parts_refuses_the_order_with_its_registry_line() {
    let registry = registry();
    let letters = envelopes(&registry, &Canvass::fold(&registry, vec![]));
    let error = written(&registry, &letters, MailFormat::Otpravka).unwrap_err();
    let PaperError::Input(error) = error else { panic!("{error:?}") };
    assert_eq!((error.file.as_str(), error.line), ("registry.csv", Some(8)));
    assert_eq!(
        error.message(obhod_core::Lang::Ru),
        "registry.csv:8: адрес «Орлов Олег Олегович» «644050, г. Примерск, ул. Мира» не разложить на части для заказа \
         «Отправки»: нет номера дома (д. 5); исправьте столбец address реестра (части через запятую: индекс, область, \
         г. …, ул. …, д. …, кв. …)"
    );
    assert!(written(&registry, &letters, MailFormat::F103).is_ok(), "form 103 takes the address as written");
}

#[test]
fn the_order_reads_back_by_its_order_numbers_whatever_the_order_of_rows_and_columns() {
    let registry = registry();
    let mut rows = written(&registry, &orderable(&registry), MailFormat::Otpravka).unwrap();
    rows[0].push("barcode".into());
    for (n, row) in rows.iter_mut().enumerate().skip(1) {
        row.push(number(n as u64));
        row.reverse();
    }
    rows[0].reverse();
    let body: Vec<String> = rows[1..].iter().rev().map(|r| r.join(";")).collect();
    let text = format!("Заказ\n{}\n{}\n", rows[0].join(";"), body.join("\n"));
    let found: Vec<(String, Vec<String>, String, u64)> = read(&text)
        .unwrap()
        .into_iter()
        .map(|l| (l.owner, l.premises, l.tracking.unwrap().to_string(), l.line))
        .collect();
    let expected = |owner: &str, premises: &[&str], n: u64, line: u64| {
        (owner.to_string(), premises.iter().map(|p| p.to_string()).collect(), number(n), line)
    };
    assert_eq!(
        found,
        [
            expected("Город Примерск", &["3", "4"], 5, 3),
            expected("ООО «Ромашка»", &["Н-2"], 4, 4),
            expected("ИП Иванов Иван Иванович", &["Н-1"], 3, 5),
            expected("Сидорова Анна Ивановна", &["2"], 2, 6),
            expected("Петров Пётр Петрович", &["1"], 1, 7),
        ]
    );
}

#[test]
fn an_order_s_row_with_a_wrong_number_or_name_or_twice_is_refused_with_its_line() {
    let header = "order-num;recipient-name;barcode";
    let rows = |body: &str| format!("{header}\n{body}\n");
    assert_eq!(refused(&rows("1/1;Петров Пётр Петрович;\n;Сидорова Анна Ивановна;")).0, Some(3));
    assert_eq!(refused(&rows(";Сидорова Анна Ивановна;")).1, Problem::MissingValue("order-num"));
    assert_eq!(refused(&rows("1;Петров Пётр Петрович;")).1, Problem::BadOrderNum("1".into()));
    assert_eq!(refused(&rows("1/2;Петров Пётр Петрович;")).1, Problem::BadOrderNum("1/2".into()));
    assert_eq!(refused(&rows("9/1;Петров Пётр Петрович;")).1, Problem::UnknownPremise("9".into()));
    assert_eq!(
        refused(&rows("1/1;Петрова Анна;")).1,
        Problem::UnknownOwner { premise: "1".into(), owner: "Петрова Анна".into() },
        "the number names another owner than the row"
    );
    assert_eq!(
        refused(&rows("3/1;Город Примерск, департамент;\n3/1;Город Примерск;")),
        (
            Some(3),
            Problem::DuplicateLetter {
                premise: "3".into(), owner: "Город Примерск".into(), other_line: 2
            }
        )
    );
    let twice = format!("1/1;Петров Пётр Петрович;{}\n2/1;Сидорова Анна Ивановна;{}", number(1), number(1));
    assert_eq!(refused(&rows(&twice)), (Some(3), Problem::DuplicateTracking { tracking: number(1), other_line: 2 }));
    assert_eq!(read(&rows("4/1;город примерск;")).unwrap()[0].premises, ["3", "4"], "any premise of the letter");
}

#[test]
fn form_103_reads_back_by_addressee_and_the_premises_of_its_note() {
    let registry = registry();
    let rows = written(&registry, &envelopes(&registry, &Canvass::fold(&registry, vec![])), MailFormat::F103).unwrap();
    let header = rows.iter().position(|r| r[0] == "№ п/п").unwrap();
    assert_eq!(rows[header + 5][6], "пом. 3, 4", "one row for the city, naming both flats");
    let mut text: Vec<String> = rows.iter().map(|r| r.join(";")).collect();
    text[header + 5] = text[header + 5].replacen(";;20;", &format!(";{};20;", number(7)), 1);
    let found = read(&text.join("\n")).unwrap();
    assert_eq!(found.len(), 6);
    assert_eq!(
        (found[4].premises.clone(), found[4].tracking.clone().map(|t| t.to_string())),
        (vec!["3".into(), "4".into()], Some(number(7)))
    );
    let other = text.join("\n").replace("пом. 3, 4", "пом. 3, 5");
    assert_eq!(
        refused(&other),
        (
            Some(header as u64 + 6),
            Problem::LetterPremises {
                owner: "Город Примерск".into(),
                premise: "5".into(),
                letter: vec!["3".into(), "4".into()]
            }
        )
    );
    let old = text.join("\n").replace("пом. 3, 4", "пом. 3") + "\n9;Город Примерск;;;20;;пом. 4";
    assert_eq!(
        refused(&old).1,
        Problem::DuplicateLetter {
            premise: "3".into(), owner: "Город Примерск".into(), other_line: header as u64 + 6
        },
        "a row per premise, as lists were once written: the second is the same letter"
    );
}

#[test]
fn a_list_of_letters_that_weigh_nothing_or_more_than_a_letter_is_not_written() {
    let (registry, meeting) = (registry(), meeting());
    let source = Source { meeting: &meeting, registry: &registry, registry_file: "registry.csv" };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
    for grams in [0, 101] {
        let options = MailOptions { grams, ..MailOptions::default() };
        let error = write(&path, &source, &[], options).unwrap_err();
        assert!(matches!(error, PaperError::BadMass(g) if g == grams), "{error:?}");
        assert!(error.message(obhod_core::Lang::Ru).contains("нужно целое число граммов от 1 до 100"));
        assert!(!path.exists());
    }
    let options = MailOptions { grams: 100, ..MailOptions::default() };
    assert_eq!(write(&path, &source, &[], options).unwrap(), std::slice::from_ref(&path));
}
