//! Bad input is refused whole, naming the line and the problem.

mod common;

use common::{HEADER, registry, try_ballots, try_registry};
use obhod_core::{InputError, Meeting, Problem, Registry};

/// The line and problem of a registry that must be refused.
fn refused(rows: &str) -> (Option<u64>, Problem) {
    let e = try_registry(rows).expect_err("registry must be refused");
    (e.line, *e.problem)
}

#[test]
fn an_empty_file_or_a_missing_column_is_refused() {
    let header_only = Registry::parse("r.csv", format!("{HEADER}\n").as_bytes()).expect_err("header only");
    assert_eq!((header_only.line, *header_only.problem), (Some(1), Problem::NoPremises));
    let nobody = Registry::parse("r.csv", "premise;kind;area;owner\n1;flat;40;\n2;flat;50;\n".as_bytes());
    assert_eq!(*nobody.expect_err("no owner at all").problem, Problem::NoOwners);
    let empty = Registry::parse("r.csv", "".as_bytes()).expect_err("empty");
    assert_eq!((empty.line, *empty.problem), (Some(1), Problem::Empty));
    let bom_only = Registry::parse("r.csv", "\u{feff}\n".as_bytes()).expect_err("only a BOM");
    assert_eq!(*bom_only.problem, Problem::Empty);
    let no_area = Registry::parse("r.csv", "premise;kind\n1;flat\n".as_bytes()).expect_err("no area");
    assert_eq!((no_area.line, *no_area.problem), (Some(1), Problem::MissingColumn("area")));
    let rooms_without_area =
        Registry::parse("r.csv", "premise;kind;area;room\n1;flat;50;к1\n".as_bytes()).expect_err("x");
    assert_eq!(*rooms_without_area.problem, Problem::MissingColumn("room_area"));
}

#[test]
fn a_title_row_above_the_header_is_skipped_and_said_so() {
    let text = format!("Реестр собственников дома 5;;;;;;;;;;\n{HEADER}\n1;flat;50;;;;;А;;;\n2;flat;;;;;;Б;;;\n");
    let e = Registry::read("r.csv", text.as_bytes()).expect_err("line 4 has no area");
    assert_eq!((e.line, *e.problem), (Some(4), Problem::MissingValue("area")), "lines as in the file");
    let text = format!("Реестр собственников дома 5;;;;;;;;;;\n{HEADER}\n1;flat;50;;;;;А;;;\n");
    let (registry, notices) = Registry::read("r.csv", text.as_bytes()).expect("the header under a title");
    assert_eq!(registry.premises[0].line, 3);
    assert_eq!(notices[0].message(obhod_core::Lang::Ru), "r.csv: заголовок таблицы в строке 2");
    let e = Registry::parse("r.csv", "a;b\n1;2\n".as_bytes()).expect_err("no header at all");
    assert_eq!((e.line, *e.problem), (Some(1), Problem::MissingColumn("premise")));
}

#[test]
fn an_area_with_its_thousands_grouped_by_spaces_is_read_and_a_bad_grouping_named() {
    let registry = registry("1;flat;1 100,5;;;;;А;;;");
    assert_eq!(registry.premises[0].area, obhod_core::number::parse_decimal("1100.5").unwrap());
    assert_eq!(
        refused("1;flat;1 10,5;;;;;А;;;"),
        (Some(2), Problem::NotANumber { column: "area", value: "1 10,5".into() })
    );
}

#[test]
fn bad_numbers_name_their_line() {
    assert_eq!(
        refused("1;flat;50;;;;;А;;;\n2;flat;пятьдесят;;;;;Б;;;"),
        (Some(3), Problem::NotANumber { column: "area", value: "пятьдесят".into() })
    );
    assert_eq!(refused("1;flat;0;;;;;А;;;"), (Some(2), Problem::NotPositive { column: "area", value: "0".into() }));
    assert_eq!(refused("1;flat;-5;;;;;А;;;"), (Some(2), Problem::NotPositive { column: "area", value: "-5".into() }));
    assert_eq!(refused("1;flat;;;;;;А;;;"), (Some(2), Problem::MissingValue("area")));
    let huge = "99999999999999999999999999";
    assert_eq!(
        refused(&format!("1;flat;{huge};;;;;А;;;")),
        (Some(2), Problem::TooLarge { column: "area", value: huge.into() })
    );
    assert_eq!(
        refused("1;flat;50;;;к1;100000,01;А;;;"),
        (Some(2), Problem::TooLarge { column: "room_area", value: "100000,01".into() })
    );
    assert!(try_registry("1;parking;100000;;;;;А;;;").is_ok(), "100 000 m² is the largest area taken");
    assert_eq!(
        refused("1;flat;50;;третий;;;А;;;"),
        (Some(2), Problem::NotANumber { column: "floor", value: "третий".into() })
    );
}

#[test]
fn a_premise_must_agree_with_itself() {
    assert_eq!(
        refused("1;flat;50;;;;;А;;1/2;\n1;flat;50,1;;;;;Б;;1/2;"),
        (Some(3), Problem::Differs { premise: "1".into(), column: "area", first_line: 2 })
    );
    assert_eq!(
        refused("1;flat;50;;;;;А;;1/2;\n1;storage;50;;;;;Б;;1/2;"),
        (Some(3), Problem::Differs { premise: "1".into(), column: "kind", first_line: 2 })
    );
    assert_eq!(
        refused("1;flat;50;1;;;;А;;1/2;\n1;flat;50;2;;;;Б;;1/2;"),
        (Some(3), Problem::Differs { premise: "1".into(), column: "entrance", first_line: 2 })
    );
    assert_eq!(
        refused("1;flat;50;;;к1;20;А;;;\n1;flat;50;;;;;Б;;;"),
        (Some(3), Problem::MixedRooms { premise: "1".into(), other_line: 2 })
    );
    assert_eq!(
        refused("1;flat;50;;;к1;20;А;;1/2;\n1;flat;50;;;к1;21;Б;;1/2;"),
        (Some(3), Problem::Differs { premise: "1".into(), column: "room_area", first_line: 2 })
    );
}

#[test]
fn shares_must_be_fractions_summing_to_at_most_one() {
    assert_eq!(refused("1;flat;50;;;;;А;;0,5;"), (Some(2), Problem::NotAFraction("0,5".into())));
    assert_eq!(refused("1;flat;50;;;;;А;;0/2;"), (Some(2), Problem::ZeroShare("0/2".into())));
    assert_eq!(
        refused("1;flat;50;;;;;А;;2/3;\n1;flat;50;;;;;Б;;1/2;"),
        (Some(2), Problem::SharesOverOne { premise: "1".into(), room: None, sum: "7/6".into() })
    );
    assert_eq!(
        refused("1;flat;50;;;;;А;;;\n1;flat;50;;;;;Б;;;"),
        (Some(2), Problem::SharesOverOne { premise: "1".into(), room: None, sum: "2".into() }),
        "two owners with no share each claim the whole premise"
    );
    assert_eq!(
        refused("1;flat;50;;;;;А;;1/2;с1\n1;flat;50;;;;;Б;;1/3;с1"),
        (Some(3), Problem::Differs { premise: "1".into(), column: "share", first_line: 2 })
    );
}

#[test]
fn rooms_cannot_exceed_their_flat() {
    assert_eq!(
        refused("1;flat;50;;;к1;30;А;;;\n1;flat;50;;;к2;20,01;Б;;;"),
        (
            Some(2),
            Problem::RoomsExceedFlat { premise: "1".into(), rooms: common::q("5001/100"), area: common::q("50") }
        )
    );
    let e = try_registry("1;flat;50;;;к1;30;А;;;\n1;flat;50;;;к2;20,01;Б;;;").expect_err("rooms too large");
    assert!(e.message(obhod_core::Lang::Ru).contains("50,01 м² больше площади квартиры 50,00 м²"));
}

#[test]
fn unknown_words_and_owner_mistakes_are_refused() {
    assert_eq!(refused("1;дача;50;;;;;А;;;"), (Some(2), Problem::UnknownKind("дача".into())));
    assert_eq!(refused("1;flat;50;;;;;А;ип;;"), (Some(2), Problem::UnknownOwnerKind("ип".into())));
    assert_eq!(
        refused("1;flat;50;;;;;А;;1/2;\n1;flat;50;;;;;А;;1/2;"),
        (Some(3), Problem::DuplicateOwner { premise: "1".into(), owner: "А".into(), other_line: 2 })
    );
    assert_eq!(
        refused("1;flat;50;;;;;А;;1/2;\n1;flat;50;;;;;;;1/2;"),
        (Some(3), Problem::EmptyOwner { premise: "1".into() })
    );
    assert_eq!(refused(";flat;50;;;;;А;;;"), (Some(2), Problem::MissingValue("premise")));
}

#[test]
fn a_csv_row_with_too_many_fields_is_refused_with_its_line() {
    let e = Registry::parse("r.csv", format!("{HEADER}\n1;flat;50;;;;;А;;;\n2;flat;54,3;;;;;Б;;;;;extra\n").as_bytes())
        .expect_err("ragged row");
    assert_eq!(e.line, Some(3));
    assert_eq!(*e.problem, Problem::FieldCount { found: 13, expected: 11 });
}

#[test]
fn windows_1251_is_read_and_said_so() {
    let mut bytes = format!("{HEADER}\n1;flat;50;;;;;").into_bytes();
    bytes.extend_from_slice(&[0xC8, 0xE2, 0xE0, 0xED, 0xEE, 0xE2]); // "Иванов" in Windows-1251
    bytes.extend_from_slice(b";;;\n");
    let (registry, notices) = Registry::read("r.csv", bytes.as_slice()).expect("cp1251");
    assert_eq!(registry.premises[0].owners()[0].name, "Иванов");
    assert_eq!(notices.len(), 1);
    let message = notices[0].message(obhod_core::Lang::Ru);
    assert!(message.contains("Windows-1251"), "{message}");
}

#[test]
fn a_broken_workbook_is_refused_and_utf16_text_is_read() {
    let e = Registry::parse("r.xlsx", &b"PK\x03\x04\x14\x00rest of a zip"[..]).expect_err("a broken workbook");
    assert!(matches!(*e.problem, Problem::BadWorkbook(_)), "{e}");
    assert!(e.message(obhod_core::Lang::Ru).contains("книгу не открыть"), "{e}");
    let text = format!("{HEADER}\n1;flat;50;;;;;Иванов Иван;;;\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let read = Registry::parse("r.csv", utf16.as_slice()).expect("UTF-16 with its mark");
    assert_eq!(read, Registry::parse("r.csv", text.as_bytes()).unwrap());
    let e = Registry::parse("r.txt", &utf16[..utf16.len() - 1]).expect_err("odd bytes");
    assert_eq!(*e.problem, Problem::Undecodable);
}

#[test]
fn ballots_must_name_known_owners_once_with_known_answers() {
    let reg = registry("1;flat;50;;;;;А;;;\n2;flat;50;;;;;Б;;;");
    let refused = |rows: &str| -> (Option<u64>, Problem) {
        let e = try_ballots(&reg, 2, rows).expect_err("ballots must be refused");
        (e.line, *e.problem)
    };
    assert_eq!(refused("1;А;за;за;;\n9;А;за;за;;"), (Some(3), Problem::UnknownPremise("9".into())));
    assert_eq!(refused("1;Б;за;за;;"), (Some(2), Problem::UnknownOwner { premise: "1".into(), owner: "Б".into() }));
    assert_eq!(
        refused("1;А;за;за;;\n2;Б;за;за;;\n1;А;против;за;;"),
        (Some(4), Problem::DuplicateBallot { premise: "1".into(), owner: "А".into(), other_line: 2 })
    );
    assert_eq!(refused("1;А;да;за;;"), (Some(2), Problem::UnknownAnswer { question: 1, value: "да".into() }));
    assert_eq!(refused("1;А;за;за;18/12/2026;"), (Some(2), Problem::BadDate("18/12/2026".into())));
    let e = obhod_core::parse_ballots("b.csv", "premise;owner;1\n1;А;за\n".as_bytes(), &reg, 2).expect_err("q2");
    assert_eq!(*e.problem, Problem::MissingQuestion(2));
    let e =
        obhod_core::parse_ballots("b.csv", "premise;owner;1;2;3\n1;А;за;за;за\n".as_bytes(), &reg, 2).expect_err("q3");
    assert_eq!(*e.problem, Problem::ExtraQuestion { column: "3".into(), questions: 2 });
}

fn meeting_error(toml: &str) -> InputError {
    Meeting::parse("meeting.toml", toml).expect_err("meeting must be refused")
}

const GOOD: &str = "[building]\naddress = \"д. 5\"\nregistry = \"registry.csv\"\n\n[meeting]\nkind = \"annual\"\n\
                    form = \"absentee\"\ndate = 2026-12-10\nvoting_ends = 2026-12-20\n\n[[question]]\ntext = \"Председатель\"\n";

#[test]
fn a_complete_meeting_parses_and_dates_come_in_both_forms() {
    let m = Meeting::parse("meeting.toml", GOOD).expect("good meeting");
    let russian = Meeting::parse("meeting.toml", &GOOD.replace("2026-12-10", "\"10.12.2026\"")).expect("dd.mm.yyyy");
    assert_eq!(m.date, russian.date);
    assert_eq!(m.questions[0].proposal, "Председатель", "the proposal defaults to the text");
    let in_person =
        GOOD.replace("form = \"absentee\"", "form = \"in_person\"").replace("voting_ends = 2026-12-20\n", "");
    let m = Meeting::parse("meeting.toml", &in_person).expect("in person needs no voting_ends");
    assert_eq!(m.voting_ends, m.date);
}

#[test]
fn the_meeting_time_is_an_hour_of_a_day() {
    let at = |time: &str| GOOD.replace("date = 2026-12-10\n", &format!("date = 2026-12-10\ntime = \"{time}\"\n"));
    for good in ["19:00", "9:30", "19.00", " 07:05 "] {
        let m = Meeting::parse("meeting.toml", &at(good)).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert_eq!(m.time.as_deref(), Some(good.trim()));
    }
    assert_eq!(Meeting::parse("meeting.toml", &at(" ")).unwrap().time, None);
    for bad in ["25:00", "19:60", "вечером", "19"] {
        let e = meeting_error(&at(bad));
        assert_eq!(e.line, Some(9), "{bad}");
        assert!(
            matches!(*e.problem, Problem::BadValue { ref key, ref value, .. } if key == "meeting.time" && value == bad)
        );
    }
}

#[test]
fn meeting_mistakes_name_the_key_and_line() {
    let e = meeting_error(&GOOD.replace("date = 2026-12-10\n", ""));
    assert_eq!((e.line, *e.problem), (Some(5), Problem::MissingKey("meeting.date".into())));
    let e = meeting_error(&GOOD.replace("2026-12-10", "\"10 декабря\""));
    assert_eq!(e.line, Some(8));
    assert!(matches!(*e.problem, Problem::BadValue { ref key, .. } if key == "meeting.date"));
    let e = meeting_error(&GOOD.replace("\"absentee\"", "\"online\""));
    assert_eq!(e.line, Some(7));
    let e = meeting_error(&GOOD.replace("2026-12-20", "2026-12-01"));
    assert_eq!(*e.problem, Problem::EndsBeforeStart);
    let e = meeting_error(&format!("{GOOD}item = \"п. 4\"\n"));
    assert_eq!((e.line, *e.problem), (Some(13), Problem::BadItem("п. 4".into())));
    let e = meeting_error(&GOOD.replace("[[question]]\ntext = \"Председатель\"\n", ""));
    assert_eq!(*e.problem, Problem::NoQuestions);
    let e = meeting_error(&GOOD.replace("registry = \"registry.csv\"\n", ""));
    assert_eq!(*e.problem, Problem::MissingKey("building.registry".into()));
    let e = meeting_error(&GOOD.replace("kind = \"annual\"", "kind = annual"));
    assert_eq!(e.line, Some(6));
    assert!(matches!(*e.problem, Problem::Toml(_)));
}

#[test]
fn messages_speak_russian_by_default_and_english_on_request() {
    let e = try_registry("1;flat;0;;;;;А;;;").expect_err("zero area");
    assert_eq!(
        e.message(obhod_core::Lang::Ru),
        "registry.csv:2: «0» в столбце «area»: значение должно быть больше нуля"
    );
    assert_eq!(e.message(obhod_core::Lang::En), "registry.csv:2: `0` in column `area` must be greater than zero");
}
