//! Registered letters: the `sent` outcome notifies from its date, the mail list has one letter per
//! addressee and postal address (naming all its premises) and leaves sent letters out, takes its
//! addresses from the registry and warns about those a letter may not reach, tracking numbers are
//! 14 digits, and late or missing notices are warned about.

mod common;

use chrono::{DateTime, NaiveDate};
use obhod_core::mail::{notice_deadline, notice_warnings};
use obhod_core::{
    Act, BadTracking, Canvass, Destination, Envelope, Fact, Letter, Outcome, PremiseKind, Registry, Tracking, Warning,
    envelope_warnings, envelopes,
};

use common::{HEADER, meeting};

fn building() -> obhod_core::Registry {
    let rows = "1;flat;60;1;1;;;Иванов;;1/2;;;\n\
                1;flat;60;1;1;;;Петрова;;1/2;;;\n\
                Н-1;nonresidential;100;;0;;;ООО «Ромашка»;legal;;;;644001, г. Примерск, ул. Ленина, д. 18\n\
                Чердак;nonresidential;50;;;;;;;;;;";
    let text = format!("{HEADER};document;address\n{rows}");
    obhod_core::Registry::parse("registry.csv", text.as_bytes()).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn fact(n: u32, premise: &str, owner: Option<&str>, outcome: Outcome, sent: Option<Letter>) -> Fact {
    Fact {
        id: format!("01JF{n:022}"),
        device: "phone-1".into(),
        at: DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap(),
        note: None,
        act: Act::Mark {
            premise: premise.into(),
            owner: owner.map(Into::into),
            outcome,
            contact: None,
            sent,
            signed: None,
            under: 0,
        },
    }
}

fn sent(n: u32, premise: &str, owner: &str, date: NaiveDate) -> Fact {
    fact(n, premise, Some(owner), Outcome::Sent, Some(Letter { date, tracking: None }))
}

fn listed(registry: &obhod_core::Registry, canvass: &Canvass) -> Vec<(String, String)> {
    envelopes(registry, canvass).iter().map(|l| (l.labels().join(", "), l.owner.name.clone())).collect()
}

/// The letters of a list as (owner, premises, where to).
fn letters(list: &[Envelope]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|l| {
            let to = match l.to {
                Destination::Premise(p) => format!("пом. {}", p.label),
                Destination::Own(address) => address.to_string(),
            };
            (l.owner.name.clone(), l.labels().join(", "), to)
        })
        .collect()
}

/// The building made for the papers' tests.
fn lesnaya() -> Registry {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/lesnaya-7/registry.csv");
    Registry::parse("registry.csv", std::fs::read(path).unwrap().as_slice()).unwrap()
}

#[test]
fn a_letter_sent_notifies_from_its_date_and_leaves_the_mail_list() {
    let registry = building();
    let canvass = Canvass::fold(&registry, vec![sent(1, "1", "Иванов", day(25))]);
    let ivanov = canvass.premises[0].owner("Иванов").unwrap();
    assert!(ivanov.notified);
    assert_eq!(ivanov.notified_on(), Some(day(25)));
    assert_eq!(listed(&registry, &canvass), [("1".into(), "Петрова".into()), ("Н-1".into(), "ООО «Ромашка»".into())]);
    let progress = canvass.progress(&obhod_core::Weights::compute(&registry), |_| true);
    assert_eq!((progress.notified, progress.sent, progress.letters), (1, 1, 2));
}

#[test]
fn marked_letter_stays_on_the_list_until_sent_and_the_earliest_letter_counts() {
    let registry = building();
    let facts = vec![
        fact(1, "1", None, Outcome::Delivered, None),
        fact(2, "1", Some("Петрова"), Outcome::Letter, None),
        sent(3, "1", "Петрова", day(27)),
        sent(4, "1", "Петрова", day(24)),
    ];
    let before = Canvass::fold(&registry, facts[..2].to_vec());
    assert!(listed(&registry, &before).contains(&("1".into(), "Петрова".into())));
    let after = Canvass::fold(&registry, facts.clone());
    assert!(!listed(&registry, &after).contains(&("1".into(), "Петрова".into())));
    assert_eq!(after.premises[0].owner("Петрова").unwrap().sent.as_ref().map(|l| l.date), Some(day(24)));
    let withdrawn = Fact {
        id: "01JF0000000000000000000009".into(),
        act: Act::Withdraw { fact: facts[3].id.clone() },
        ..facts[0].clone()
    };
    let mut with_undo = facts;
    with_undo.push(withdrawn);
    let canvass = Canvass::fold(&registry, with_undo);
    assert_eq!(canvass.premises[0].owner("Петрова").unwrap().sent.as_ref().map(|l| l.date), Some(day(27)));
}

#[test]
fn a_legal_entity_gets_its_letter_at_its_own_address() {
    let registry = building();
    let canvass = Canvass::fold(&registry, vec![]);
    let rows = envelopes(&registry, &canvass);
    assert_eq!(rows.len(), 3, "the unowned attic gets no letter");
    assert_eq!(rows[0].to, Destination::Premise(&registry.premises[0]));
    assert_eq!(rows[2].to, Destination::Own("644001, г. Примерск, ул. Ленина, д. 18"));
    assert_eq!(envelope_warnings(&rows), [], "a person at the premise, a company at its address");
}

#[test]
fn an_organisation_without_its_own_address_is_warned_about_once_with_its_premises() {
    let rows = "1;flat;60;1;1;;;Иванов;;;;;\n\
                Н-1;nonresidential;100;;0;;;Администрация города;municipal;;;;\n\
                Н-2;nonresidential;30;;0;;;Администрация города;municipal;;;;\n\
                Н-3;nonresidential;30;;0;;;ООО «Ромашка»;legal;;;;";
    let registry =
        obhod_core::Registry::parse("registry.csv", format!("{HEADER};document;address\n{rows}").as_bytes()).unwrap();
    let canvass = Canvass::fold(&registry, vec![fact(1, "Н-3", None, Outcome::Delivered, None)]);
    let list = envelopes(&registry, &canvass);
    assert_eq!(list.len(), 2, "one letter to Ivanov, one to the city for both its premises");
    let warnings = envelope_warnings(&list);
    assert_eq!(
        warnings,
        [Warning::NoOwnAddress {
            owner: "Администрация города".into(),
            premises: vec!["Н-1".into(), "Н-2".into()],
            to: "Н-1".into()
        }],
        "the company signed for its notice: no letter, no warning"
    );
    assert!(
        warnings[0].message(obhod_core::Lang::Ru).starts_with(
            "у «Администрация города» нет своего адреса в реестре (столбец address): письмо за помещения Н-1, Н-2 адресовано на помещение Н-1;"
        )
    );
}

#[test]
fn a_tracking_number_is_fourteen_digits() {
    assert_eq!(Tracking::parse(" 80082 89312 3451 ").unwrap().as_str(), "80082893123451");
    assert_eq!(Tracking::parse("8008289312345"), Err(BadTracking::Length { text: "8008289312345".into(), digits: 13 }));
    assert_eq!(
        Tracking::parse("RA123456789RU"),
        Err(BadTracking::NotDigit { text: "RA123456789RU".into(), character: 'R' })
    );
    let short = Tracking::parse("1").unwrap_err();
    assert_eq!(short.message(obhod_core::Lang::Ru), "ШПИ «1»: 1 цифра, а нужно 14");
    let three = Tracking::parse("123").unwrap_err();
    assert_eq!(three.message(obhod_core::Lang::Ru), "ШПИ «123»: 3 цифры, а нужно 14");
    assert_eq!(three.message(obhod_core::Lang::En), "tracking number \"123\": 3 digits, 14 expected");
}

#[test]
fn a_tracking_number_may_carry_dashes_but_not_a_spreadsheets_exponent() {
    assert_eq!(Tracking::parse("8008-2893-1234-51").unwrap().as_str(), "80082893123451");
    let lost = Tracking::parse("8,00829E+13").unwrap_err();
    assert_eq!(lost, BadTracking::Exponent { text: "8,00829E+13".into() });
    assert!(
        lost.message(obhod_core::Lang::Ru).contains("таблица записала номер как число и потеряла его цифры"),
        "{lost:?}"
    );
    assert!(lost.message(obhod_core::Lang::En).contains("format the column as text"), "{lost:?}");
}

#[test]
fn a_mistyped_or_swapped_digit_of_a_tracking_number_is_caught_by_its_check_digit() {
    for valid in ["80082893123451", "10000000000007", "64400012345676", "99999999999997"] {
        assert!(Tracking::parse(valid).is_ok(), "{valid}");
    }
    assert_eq!(
        Tracking::parse("80082893123456"),
        Err(BadTracking::CheckDigit { text: "80082893123456".into(), expected: '1' })
    );
    // Two neighbours swapped: 3 and 9 trade their weights.
    assert!(matches!(Tracking::parse("80082839123451"), Err(BadTracking::CheckDigit { .. })));
    let message = Tracking::parse("64400012345678").unwrap_err().message(obhod_core::Lang::Ru);
    assert_eq!(
        message,
        "ШПИ «64400012345678»: не сходится контрольная (последняя) цифра, по остальным она 6; \
         проверьте, не ошиблись ли в цифре"
    );
    // A fact already recorded is read back whatever its check digit.
    assert_eq!(Tracking::stored("80082893123456").unwrap().as_str(), "80082893123456");
}

#[test]
fn letters_sent_after_the_last_day_and_owners_never_notified_are_warned_about() {
    let registry = building();
    let meeting = meeting(&[("other", None)]);
    assert_eq!(notice_deadline(&meeting), day(30));
    let facts =
        vec![sent(1, "1", "Иванов", day(30)), sent(2, "1", "Петрова", NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())];
    use obhod_core::mail::{Timeliness, timeliness};
    let on = |d| timeliness(&meeting, day(d));
    assert_eq!([on(28), on(29), on(30)], [Timeliness::InTime, Timeliness::Boundary, Timeliness::Boundary]);
    assert_eq!(timeliness(&meeting, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), Timeliness::Late, "after D − 10");
    let warnings = notice_warnings(&meeting, &registry, &Canvass::fold(&registry, facts));
    assert_eq!(
        warnings,
        [
            Warning::LetterSentLate {
                premise: "1".into(),
                owner: "Петрова".into(),
                sent: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
                deadline: day(30)
            },
            Warning::NoticesOnBoundary { owners: 1, deadline: day(30) },
            Warning::OwnersUnnotified { owners: 1, deadline: day(30) },
        ]
    );
    assert_eq!(
        warnings[1].message(obhod_core::Lang::Ru),
        "уведомлены за 10–11 дней до собрания (последний день — 30.11.2026): 1 собственник; граничный день спорен"
    );
    assert_eq!(
        warnings[2].message(obhod_core::Lang::Ru),
        "не уведомлены ни под роспись, ни письмом: 1 собственник; срок — 30.11.2026 (ч. 4 ст. 45 ЖК РФ)"
    );
}

#[test]
fn the_building_may_give_its_address_in_parts_for_the_post() {
    let toml = "[building]\naddress = \"г. Примерск, ул. Садовая, д. 5\"\nregion = \"Омская обл.\"\n\
                place = \"г. Примерск\"\nstreet = \"ул. Садовая\"\nhouse = \"5\"\nregistry = \"registry.csv\"\n\n\
                [meeting]\nkind = \"annual\"\nform = \"in_person\"\ndate = 2026-12-10\n\n[[question]]\ntext = \"Вопрос\"\n";
    let meeting = obhod_core::Meeting::parse("meeting.toml", toml).unwrap();
    assert_eq!(meeting.postal.region.as_deref(), Some("Омская обл."));
    assert_eq!((meeting.postal.street.as_deref(), meeting.postal.house.as_deref()), (Some("ул. Садовая"), Some("5")));
    assert_eq!(meeting.postal.district, None);
    let typo = toml.replace("region", "regoin");
    let error = obhod_core::Meeting::parse("meeting.toml", &typo).unwrap_err();
    assert_eq!(
        (error.line, error.problem.message(obhod_core::Lang::En).starts_with("unknown key")),
        (Some(3), true),
        "{error}"
    );
}

#[test]
fn the_municipality_of_several_flats_gets_one_letter_naming_them_all() {
    let registry = lesnaya();
    let list = envelopes(&registry, &Canvass::fold(&registry, vec![]));
    let municipal: Vec<_> =
        letters(&list).into_iter().filter(|(owner, ..)| owner == "Муниципальное образование город Примерск").collect();
    let address = "644024, Омская обл., г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений";
    assert_eq!(municipal, [("Муниципальное образование город Примерск".into(), "4, 7".into(), address.into())]);
    assert_eq!(list.len(), 10, "nine owners of eleven owned premises: Зайцев twice (no owner_id), Орлова once");
}

#[test]
fn an_owner_with_an_owner_id_notified_at_her_flat_gets_no_letter_for_her_parking_space_or_storeroom() {
    let registry = lesnaya();
    let before = letters(&envelopes(&registry, &Canvass::fold(&registry, vec![])));
    assert_eq!(
        before[0],
        ("Орлова Елена Викторовна".into(), "1, ММ-1, К-1".into(), "пом. 1".into()),
        "one letter, to her flat"
    );
    let signed = Canvass::fold(&registry, vec![fact(1, "1", None, Outcome::Delivered, None)]);
    let after = letters(&envelopes(&registry, &signed));
    assert!(after.iter().all(|(owner, ..)| owner != "Орлова Елена Викторовна"), "{after:?}");
    assert!(signed.premises[12].owners[0].notified, "her storeroom К-1 is notified by her flat");
}

#[test]
fn a_person_without_an_owner_id_gets_a_letter_for_the_flat_and_one_for_the_parking_space_which_is_warned_about() {
    let registry = lesnaya();
    let list = envelopes(&registry, &Canvass::fold(&registry, vec![]));
    let zaitsev: Vec<_> = letters(&list).into_iter().filter(|(owner, ..)| owner == "Зайцев Павел Андреевич").collect();
    assert_eq!(
        zaitsev,
        [
            ("Зайцев Павел Андреевич".into(), "5".into(), "пом. 5".into()),
            ("Зайцев Павел Андреевич".into(), "ММ-2".into(), "пом. ММ-2".into()),
        ]
    );
    let warnings = envelope_warnings(&list);
    let expected = Warning::LetterToNoMailbox {
        owner: "Зайцев Павел Андреевич".into(),
        premise: "ММ-2".into(),
        kind: PremiseKind::Parking,
        line: 15,
    };
    assert_eq!(warnings, std::slice::from_ref(&expected), "the only letter that may not arrive");
    assert_eq!(
        expected.message(obhod_core::Lang::Ru),
        "письмо «Зайцев Павел Андреевич» адресовано на машино-место ММ-2 (строка 15 реестра): там нет почтового ящика, \
         письмо не вручат; впишите адрес собственника в столбец address реестра"
    );
}

#[test]
fn an_owner_with_only_a_parking_space_and_a_storeroom_is_written_to_at_the_first_and_warned_about() {
    let rows = "ММ-1;parking;15;;;;;Сидоров;;;;;\nК-1;storage;4;;;;;Сидоров;;;;;";
    let registry = Registry::parse("registry.csv", format!("{HEADER};document;address\n{rows}").as_bytes()).unwrap();
    let list = envelopes(&registry, &Canvass::fold(&registry, vec![]));
    assert_eq!(letters(&list).len(), 2, "two owners by name alone, each of one premise");
    let codes: Vec<_> = envelope_warnings(&list).iter().map(|w| (w.code(), w.premise().map(str::to_owned))).collect();
    assert_eq!(
        codes,
        [("letter_to_no_mailbox", Some("ММ-1".into())), ("letter_to_no_mailbox", Some("К-1".into()))],
        "{codes:?}"
    );
    assert!(envelope_warnings(&list)[1].message(obhod_core::Lang::Ru).contains("адресовано на кладовую К-1"));
}

#[test]
fn an_own_address_without_a_postcode_or_a_place_is_warned_about_with_its_line() {
    let rows = "1;flat;60;1;1;;;Иванов;;;;;г. Примерск, ул. Мира, д. 1, кв. 2\n\
                2;flat;60;1;1;;;Петров;;;;;644000, ул. Мира, д. 1, кв. 3\n\
                3;flat;60;1;1;;;Сидоров;;;;;644000, Омская обл., г. Примерск, ул. Мира, д. 1, кв. 4";
    let registry = Registry::parse("registry.csv", format!("{HEADER};document;address\n{rows}").as_bytes()).unwrap();
    let warnings = envelope_warnings(&envelopes(&registry, &Canvass::fold(&registry, vec![])));
    assert_eq!(
        warnings,
        [
            Warning::AddressWithoutPostcode {
                owner: "Иванов".into(),
                address: "г. Примерск, ул. Мира, д. 1, кв. 2".into(),
                line: 2
            },
            Warning::AddressWithoutPlace {
                owner: "Петров".into(),
                address: "644000, ул. Мира, д. 1, кв. 3".into(),
                line: 3
            },
        ]
    );
    assert_eq!(
        warnings[0].message(obhod_core::Lang::Ru),
        "адрес «Иванов» (строка 2 реестра) без почтового индекса из 6 цифр: «г. Примерск, ул. Мира, д. 1, кв. 2»; \
         допишите индекс в столбец address"
    );
}

#[test]
fn one_owner_with_two_addresses_gets_a_letter_at_each_and_a_premise_without_one_goes_with_the_first() {
    let header = format!("{HEADER};document;address;owner_id");
    let rows = "1;flat;60;1;1;;;Иванов;;;;;644000, Омская обл., г. Омск, ул. Мира, д. 1, кв. 2;iv\n\
                ММ-1;parking;15;;;;;Иванов;;;;;;iv\n\
                2;flat;60;1;1;;;Иванов;;;;;101000, г. Москва, ул. Тверская, д. 2, кв. 7;iv";
    let registry = Registry::parse("registry.csv", format!("{header}\n{rows}").as_bytes()).unwrap();
    let list = envelopes(&registry, &Canvass::fold(&registry, vec![]));
    let found: Vec<_> = letters(&list).into_iter().map(|(_, premises, to)| (premises, to)).collect();
    assert_eq!(
        found,
        [
            ("1, ММ-1".into(), "644000, Омская обл., г. Омск, ул. Мира, д. 1, кв. 2".into()),
            ("2".into(), "101000, г. Москва, ул. Тверская, д. 2, кв. 7".into()),
        ]
    );
    assert_eq!(envelope_warnings(&list), [], "no letter to the parking space itself");
}
