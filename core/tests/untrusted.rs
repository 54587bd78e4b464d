//! Input a user would not trust is refused with its file, line and problem: duplicate
//! question columns, look-alike labels and names, control characters, one name as two
//! kinds of owner. A label that matches only after folding look-alikes is that premise.

mod common;

use common::{HEADER, registry, try_registry};
use obhod_core::{Lang, Match, Meeting, Problem, Registry, parse_ballots};

fn refused(rows: &str) -> (Option<u64>, Problem) {
    let e = try_registry(rows).expect_err("registry must be refused");
    (e.line, *e.problem)
}

#[test]
fn two_columns_meaning_one_question_are_refused_naming_both() {
    let reg = registry("1;flat;50;;;;;А;;;");
    for (first, second) in [("1", "01"), ("+1", " 1 "), ("01", "001")] {
        let csv = format!("premise;owner;{first};2;{second}\n1;А;за;за;против\n");
        let e = parse_ballots("b.csv", csv.as_bytes(), &reg, 2).expect_err("duplicate question column");
        let want = Problem::DuplicateQuestion { question: 1, first: first.trim().into(), second: second.trim().into() };
        assert_eq!((e.line, *e.problem.clone()), (Some(1), want));
        assert!(e.message(Lang::Ru).starts_with("b.csv:1: столбцы"), "{}", e.message(Lang::Ru));
    }
}

#[test]
fn a_zero_padded_question_column_alone_is_still_that_question() {
    let reg = registry("1;flat;50;;;;;А;;;");
    let ballots = parse_ballots("b.csv", "premise;owner;02;01\n1;А;против;за\n".as_bytes(), &reg, 2).expect("ballots");
    assert_eq!(ballots[0].answers, [obhod_core::Answer::For, obhod_core::Answer::Against]);
}

#[test]
fn premise_labels_differing_only_by_look_alikes_or_case_are_refused() {
    assert_eq!(
        refused("Н-1;nonresidential;50;;;;;А;;;\n2;flat;40;;;;;Б;;;\nH-1;nonresidential;50;;;;;В;;;"),
        (Some(4), Problem::LookAlikePremises { premise: "H-1".into(), other: "Н-1".into(), other_line: 2 })
    );
    assert_eq!(
        refused("мм-1;parking;15;;;;;А;;;\nММ-1;parking;15;;;;;Б;;;"),
        (Some(3), Problem::LookAlikePremises { premise: "ММ-1".into(), other: "мм-1".into(), other_line: 2 })
    );
}

#[test]
fn room_labels_differing_only_by_look_alikes_are_refused() {
    assert_eq!(
        refused("1;flat;50;;;К1;20;А;;;\n1;flat;50;;;K1;20;Б;;;"),
        (
            Some(3),
            Problem::LookAlikeRooms { premise: "1".into(), room: "K1".into(), other: "К1".into(), other_line: 2 }
        )
    );
}

#[test]
fn a_typed_label_finds_its_premise_and_says_how() {
    let reg = registry("Н-1;nonresidential;50;;;;;А;;;\n12;flat;40;;;;;Б;;;");
    let how = |label: &str| reg.lookup(label).map(|f| (f.index, f.how));
    assert_eq!(how("Н-1"), Some((0, Match::Exact)));
    assert_eq!(how(" н-1 "), Some((0, Match::Case)));
    assert_eq!(how("H-1"), Some((0, Match::LookAlike)), "Latin H");
    assert_eq!(how("h-1"), None, "a lower-case Latin h does not look like н");
    assert_eq!(reg.find("H-1"), Some(0));
    assert_eq!(how("12"), Some((1, Match::Exact)));
}

#[test]
fn a_ballot_for_a_look_alike_label_or_name_is_for_the_registered_one() {
    let reg = registry("Н-1;nonresidential;50;;;;;ООО Ромашка;legal;;\n2;flat;50;;;;;Сорокина;;;");
    let csv = "premise;owner;1\nH-1;OOO Pомашка;за\n2;сорокина;против\n";
    let ballots = parse_ballots("b.csv", csv.as_bytes(), &reg, 1).expect("folded matches");
    let names: Vec<(&str, &str)> = ballots.iter().map(|b| (b.premise.as_str(), b.owner.as_str())).collect();
    assert_eq!(names, [("Н-1", "ООО Ромашка"), ("2", "Сорокина")]);
    let twice = "premise;owner;1\nН-1;ООО Ромашка;за\nH-1;OOO Ромашка;против\n";
    let e = parse_ballots("b.csv", twice.as_bytes(), &reg, 1).expect_err("the same ballot twice");
    assert_eq!(
        (e.line, *e.problem),
        (Some(3), Problem::DuplicateBallot { premise: "Н-1".into(), owner: "ООО Ромашка".into(), other_line: 2 })
    );
}

#[test]
fn owners_of_one_premise_must_be_told_apart() {
    assert_eq!(
        refused("1;flat;50;;;;;Иванов Иван;;1/2;\n1;flat;50;;;;;Ивaнов Иван;;1/2;"),
        (
            Some(3),
            Problem::LookAlikeOwners {
                premise: "1".into(),
                owner: "Ивaнов Иван".into(),
                other: "Иванов Иван".into(),
                other_line: 2
            }
        )
    );
    assert_eq!(
        refused("1;flat;50;;;к1;20;Иванов;;;\n1;flat;50;;;к2;30;ИВАНОВ;;;"),
        (
            Some(3),
            Problem::LookAlikeOwners {
                premise: "1".into(),
                owner: "ИВАНОВ".into(),
                other: "Иванов".into(),
                other_line: 2
            }
        ),
        "across the rooms of a communal flat too"
    );
    registry("1;flat;50;;;к1;20;Иванов;;;\n1;flat;50;;;к2;30;Иванов;;;");
    let (_, problem) = refused("1;flat;50;;;;;Иванов Иван;;1/2;\n1;flat;50;;;;;Иванов\u{a0}Иван;;1/2;");
    assert!(matches!(problem, Problem::LookAlikeOwners { other_line: 2, .. }), "a no-break space: {problem:?}");
}

#[test]
fn one_organisation_written_two_ways_across_the_building_is_refused() {
    assert_eq!(
        refused(
            "Н-1;nonresidential;50;;;;;ООО Ромашка;legal;;\n1;flat;40;;;;;А;;;\nММ-1;parking;15;;;;;OOO Ромашка;legal;;"
        ),
        (
            Some(4),
            Problem::LookAlikeOwners {
                premise: "ММ-1".into(),
                owner: "OOO Ромашка".into(),
                other: "ООО Ромашка".into(),
                other_line: 2
            }
        )
    );
    registry("1;flat;40;;;;;Иванов Иван;;;\n2;flat;40;;;;;ИВАНОВ ИВАН;;;");
}

#[test]
fn a_person_and_a_legal_entity_with_one_name_in_one_premise_are_refused() {
    let (line, problem) = refused("1;flat;50;;;;;Альфа;;1/2;\n1;flat;50;;;;;Альфа;legal;1/2;");
    assert_eq!(
        (line, problem.clone()),
        (Some(3), Problem::OwnerKindsDiffer { premise: "1".into(), owner: "Альфа".into(), other_line: 2 })
    );
    assert!(problem.message(Lang::Ru).contains("строке 2"));
}

#[test]
fn an_ansi_escape_in_an_owner_name_is_refused_naming_field_and_character() {
    let e = try_registry("1;flat;50;;;;;А;;;\n2;flat;50;;;;;Иванов\u{1b}[2J;;;").expect_err("escape");
    assert_eq!(
        (e.line, *e.problem.clone()),
        (Some(3), Problem::ForbiddenCharacter { field: "owner".into(), character: '\u{1b}' })
    );
    assert_eq!(
        e.message(Lang::Ru),
        "registry.csv:3: поле «owner»: недопустимый управляющий символ U+001B; удалите его (часто попадает при копировании)"
    );
    for bad in ['\t', '\u{7f}', '\u{9b}', '\u{202e}', '\u{2066}'] {
        let e = try_registry(&format!("1;flat;50;;;;;А{bad};;;")).expect_err("control character");
        assert_eq!(*e.problem, Problem::ForbiddenCharacter { field: "owner".into(), character: bad });
    }
    let quoted = format!("{HEADER}\n1;flat;50;;;;;\"Иванов\nИван\";;;\n");
    let e = Registry::parse("r.csv", quoted.as_bytes()).expect_err("a newline inside a quoted name");
    assert_eq!(*e.problem, Problem::ForbiddenCharacter { field: "owner".into(), character: '\n' });
    let reg = registry("1;flat;50;;;;;А;;;");
    let e = parse_ballots("b.csv", "premise;owner;1;defect\n1;А;за;\u{1b}[0m\n".as_bytes(), &reg, 1)
        .expect_err("escape in a ballot");
    assert_eq!(
        (e.line, *e.problem),
        (Some(2), Problem::ForbiddenCharacter { field: "defect".into(), character: '\u{1b}' })
    );
}

#[test]
fn a_control_character_in_a_meeting_string_is_refused_with_line_and_column() {
    let toml = "[building]\naddress = \"д. 5\"\nregistry = \"registry.csv\"\n\n[meeting]\nkind = \"annual\"\n\
                form = \"absentee\"\ndate = 2026-12-10\nvoting_ends = 2026-12-20\nchair = \"Петров\\u001b[31m\"\n\n\
                [[question]]\ntext = \"Председатель\"\n\n[[question]]\ntext = \"Совет\\u202e\"\n";
    let e = Meeting::parse("meeting.toml", toml).expect_err("escape in the chair's name");
    assert_eq!((e.line, e.column), (Some(10), Some(9)));
    assert_eq!(*e.problem, Problem::ForbiddenCharacter { field: "meeting.chair".into(), character: '\u{1b}' });
    let e = Meeting::parse("meeting.toml", &toml.replace("\\u001b[31m", "")).expect_err("override in a question");
    assert_eq!(e.line, Some(16));
    assert_eq!(*e.problem, Problem::ForbiddenCharacter { field: "question[2].text".into(), character: '\u{202e}' });
    assert!(
        e.message(Lang::En)
            .starts_with("meeting.toml:16:8: field `question[2].text`: forbidden control character U+202E")
    );
}

#[test]
fn counts_in_messages_take_the_right_russian_form() {
    let row = format!("1;flat;50;;;;;А{}", ";".repeat(13));
    let e = Registry::parse("r.csv", format!("{HEADER}\n{row}\n").as_bytes()).expect_err("21 fields");
    assert!(e.message(Lang::Ru).contains("21 поле, а в заголовке 11 полей"), "{}", e.message(Lang::Ru));
    let reg = registry("1;flat;50;;;;;А;;;");
    let e = parse_ballots("b.csv", "premise;owner;1;2\n1;А;за;за\n".as_bytes(), &reg, 1).expect_err("extra");
    assert!(e.message(Lang::Ru).ends_with("в повестке только 1 вопрос"), "{}", e.message(Lang::Ru));
    let late = |days| obhod_core::Warning::NoticeTooLate { days }.message(Lang::Ru);
    assert!(late(1).contains("всего за 1 день до"), "{}", late(1));
    assert!(late(3).contains("всего за 3 дня до"), "{}", late(3));
    assert!(late(5).contains("всего за 5 дней до"), "{}", late(5));
    let boundary = obhod_core::Warning::NoticeOnBoundary { days: 11 }.message(Lang::En);
    assert!(boundary.contains("the notice is 11 days before"), "{boundary}");
}

#[test]
fn a_joint_group_of_different_owner_kinds_is_refused() {
    assert_eq!(
        refused("1;flat;50;;;;;Муж;;;с1\n1;flat;50;;;;;ООО Ромашка;legal;;с1"),
        (Some(3), Problem::JointKindsDiffer { premise: "1".into(), joint: "с1".into(), other_line: 2 })
    );
}

#[test]
fn a_misspelt_meeting_key_is_refused_not_ignored() {
    let toml = "[building]\naddress = \"д. 5\"\nregistry = \"registry.csv\"\n\n[meeting]\nkind = \"annual\"\n\
                form = \"absentee\"\ndate = 2026-12-10\nvoting_ends = 2026-12-20\n\n\
                [[question]]\ntext = \"Крыша\"\nitem = \"other\"\n  treshold = \"unanimous\"\n";
    let e = Meeting::parse("meeting.toml", toml).expect_err("a typo in threshold");
    assert_eq!((e.line, e.column), (Some(14), Some(3)));
    assert_eq!(
        *e.problem,
        Problem::UnknownKey { key: "question[1].treshold".into(), known: "text, proposal, item, threshold".into() }
    );
    let e = Meeting::parse("meeting.toml", &toml.replace("voting_ends", "voting_end")).expect_err("voting_end");
    assert_eq!(e.line, Some(9));
    assert!(matches!(*e.problem, Problem::UnknownKey { ref key, .. } if key == "meeting.voting_end"), "{e}");
    assert!(e.message(Lang::Ru).contains("неизвестный ключ «meeting.voting_end» (опечатка?)"), "{e}");
}

#[test]
fn a_header_differing_only_by_invisible_details_is_still_its_column() {
    // A Cyrillic «о» in "owner", a space in "вид собственника", upper case and spaces around.
    let csv = "premise;kind;area; \u{43e}wner ;Вид собственника\nН-1;nonresidential;100;ООО Ромашка;юрлицо\n";
    let reg = Registry::parse("r.csv", csv.as_bytes()).expect("registry");
    let owners = reg.premises[0].owners();
    assert_eq!((owners[0].name.as_str(), owners[0].kind), ("ООО Ромашка", obhod_core::OwnerKind::Legal));
    let both = "premise;kind;area;owner;вид собственника;вид_собственника\n1;flat;50;А;;\n";
    let e = Registry::parse("r.csv", both.as_bytes()).expect_err("one column twice");
    assert_eq!((e.line, *e.problem), (Some(1), Problem::DuplicateColumn("вид_собственника".into())));
}

#[test]
fn a_blank_address_or_registry_is_refused_and_blank_commission_names_dropped() {
    let good = "[building]\naddress = \"д. 5\"\nregistry = \"registry.csv\"\n\n[meeting]\nkind = \"annual\"\n\
                form = \"absentee\"\ndate = 2026-12-10\nvoting_ends = 2026-12-20\ncounting_commission = [\"\", \"Петров\"]\n\n\
                [[question]]\ntext = \"Крыша\"\n";
    let m = Meeting::parse("meeting.toml", good).expect("good");
    assert_eq!(m.counting_commission, ["Петров"]);
    let e = Meeting::parse("meeting.toml", &good.replace("\"д. 5\"", "\"  \"")).expect_err("blank address");
    assert_eq!((e.line, *e.problem), (Some(2), Problem::EmptyValue("building.address".into())));
    let e = Meeting::parse("meeting.toml", &good.replace("\"registry.csv\"", "\"\"")).expect_err("blank registry");
    assert_eq!((e.line, *e.problem), (Some(3), Problem::EmptyValue("building.registry".into())));
}

#[test]
fn the_usual_toml_mistakes_are_explained_in_russian() {
    let toml = "[building]\naddress = \"д. 5\"\nregistry = \"registry.csv\"\n\n[meeting]\nkind = annual\n";
    let e = Meeting::parse("meeting.toml", toml).expect_err("unquoted");
    assert!(e.message(Lang::Ru).starts_with("meeting.toml:6: ошибка TOML: текст нужно взять в кавычки"), "{e}");
    let e = Meeting::parse("meeting.toml", "[building]\naddress = \"д. 5\"\naddress = \"д. 6\"\n").expect_err("twice");
    assert!(e.message(Lang::Ru).contains("ключ указан дважды"), "{}", e.message(Lang::Ru));
}

#[test]
fn a_tab_separated_paste_reads_as_columns_not_as_control_characters() {
    let reg = Registry::parse("r.tsv", "premise\tkind\tarea\towner\n1\tflat\t50,5\tИванов\n".as_bytes()).expect("tsv");
    assert_eq!(reg.premises[0].owners()[0].name, "Иванов");
}

#[test]
fn a_premise_written_with_a_leading_zero_is_the_same_premise() {
    let text = "premise;kind;area;owner\n1;кв;40;Иванов Иван\n01;кв;40;Петров Пётр\n";
    let error = obhod_core::Registry::parse("r.csv", text.as_bytes()).expect_err("1 and 01 are one flat");
    let message = error.message(obhod_core::Lang::Ru);
    assert!(message.starts_with("r.csv:3: помещение «01» неотличимо на вид от «1» в строке 2"), "{message}");
    let registry =
        obhod_core::Registry::parse("r.csv", "premise;kind;area;owner\nН-7;нежилое;40;ООО А\n".as_bytes()).unwrap();
    let found = registry.lookup("Н-07").expect("a typed leading zero finds the premise");
    let note = found.note("Н-07", &registry, obhod_core::Lang::Ru).expect("and says how it was read");
    assert_eq!(note, "«Н-07» понято как помещение Н-7 (нули впереди, невидимые символы или пробелы)");
}
