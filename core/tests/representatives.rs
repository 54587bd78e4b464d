//! Decisions signed by a representative (art. 48 part 2 of the Housing Code, art. 185.1 and 186 of the Civil Code): the columns read in both languages, a bad
//! value refused with its line, a void or spent proxy excluding the decision with its reason, and
//! one person signing for several owners counted but listed for review.

mod common;

use chrono::NaiveDate;
use common::{meeting, registry, tally};
use obhod_core::{
    Authority, Ballot, Exclusion, Lang, Problem, Proxy, ProxyDefect, Registry, Representative, Warning, parse_ballots,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn building() -> Registry {
    registry("1;flat;50;;;;;Иванов;;;\n2;flat;50;;;;;Петров;;;\n3;flat;50;;;;;Сидоров;;;")
}

fn read(csv: &str) -> Result<Vec<Ballot>, obhod_core::InputError> {
    parse_ballots("ballots.csv", csv.as_bytes(), &building(), 1)
}

#[test]
fn the_russian_columns_give_the_same_representative_as_the_english_ones_and_both_date_forms_agree() {
    let ru = "помещение;собственник;1;получено;представитель;полномочия;дата_доверенности;доверенность_до;удостоверена\n\
              1;Иванов;за;2026-12-15;Смирнова Ольга;Доверенность;01.12.2026;;нотариус Кузнецов\n\
              2;Петров;за;2026-12-15;Петрова Мария;закон;;;";
    let en = "premise;owner;1;received;representative;authority;proxy_date;proxy_until;certified_by\n\
              1;Иванов;за;2026-12-15;Смирнова Ольга;proxy;2026-12-01;;нотариус Кузнецов\n\
              2;Петров;за;2026-12-15;Петрова Мария;law;;;";
    let ru = read(ru).unwrap();
    assert_eq!(ru, read(en).unwrap());
    let proxy = Proxy {
        date: Some(day(2026, 12, 1)), until: None, certified_by: Some("нотариус Кузнецов".into())
    };
    assert_eq!(
        ru[0].representative,
        Some(Representative { name: "Смирнова Ольга".into(), authority: Authority::Proxy(proxy) })
    );
    assert_eq!(ru[1].representative.as_ref().map(|r| &r.authority), Some(&Authority::Law));
}

#[test]
fn a_file_without_the_columns_reads_as_before_with_the_owners_signing() {
    let ballots = read("premise;owner;1\n1;Иванов;за").unwrap();
    assert_eq!(ballots[0].representative, None);
}

#[test]
fn bad_representative_values_are_refused_with_their_line_and_nothing_is_read() {
    let header = "premise;owner;1;representative;authority;proxy_date;proxy_until;certified_by\n1;Иванов;за;;;;;\n";
    let cases = [
        ("2;Петров;за;Петрова;;;;", Problem::MissingAuthority { representative: "Петрова".into() }),
        ("2;Петров;за;Петрова;мама;;;", Problem::UnknownAuthority("мама".into())),
        ("2;Петров;за;Петрова;proxy;32.12.2026;;", Problem::BadDate("32.12.2026".into())),
        ("2;Петров;за;;proxy;2026-12-01;;", Problem::WithoutRepresentative { column: "authority" }),
        ("2;Петров;за;;;;;нотариус", Problem::WithoutRepresentative { column: "certified_by" }),
        ("2;Петров;за;Петрова;law;2026-12-01;;", Problem::NotAProxy { column: "proxy_date", authority: "law".into() }),
    ];
    for (row, problem) in cases {
        let error = read(&format!("{header}{row}")).expect_err(row);
        assert_eq!((error.line, *error.problem), (Some(3), problem), "{row}");
    }
    let error = read(&format!("{header}2;Петров;за;Петрова;;;;")).unwrap_err();
    assert!(error.message(Lang::Ru).contains("полномочия"), "{}", error.message(Lang::Ru));
}

/// Three decisions for one question, each signed by proxy as `proxies` give (date, term) with
/// the decision received on 2026-12-15.
fn counted(proxies: [(&str, &str); 3]) -> obhod_core::Tally {
    let registry = building();
    let mut csv = String::from("premise;owner;1;received;representative;authority;proxy_date;proxy_until\n");
    for ((premise, owner), (date, until)) in
        [("1", "Иванов"), ("2", "Петров"), ("3", "Сидоров")].into_iter().zip(proxies)
    {
        csv.push_str(&format!("{premise};{owner};за;15.12.2026;Доверенный {premise};proxy;{date};{until}\n"));
    }
    let ballots = parse_ballots("ballots.csv", csv.as_bytes(), &registry, 1).unwrap();
    tally(&registry, &meeting(&[("other", None)]), &ballots)
}

#[test]
fn an_undated_a_late_or_a_spent_proxy_excludes_the_decision_with_its_reason() {
    let tally = counted([("", ""), ("2026-12-16", ""), ("2025-12-14", "")]);
    let reasons: Vec<&Exclusion> = tally.excluded.iter().map(|e| &e.reason).collect();
    assert_eq!(
        reasons,
        [
            &Exclusion::Proxy(ProxyDefect::Undated),
            &Exclusion::Proxy(ProxyDefect::DatedAfter { date: day(2026, 12, 16), decision: day(2026, 12, 15) }),
            &Exclusion::Proxy(ProxyDefect::Expired { until: day(2026, 12, 14), decision: day(2026, 12, 15) }),
        ]
    );
    assert_eq!(tally.took_part, [false, false, false]);
    let messages: Vec<String> =
        tally.warnings.iter().filter(|w| w.code() == "defective_proxy").map(|w| w.message(Lang::Ru)).collect();
    assert_eq!(messages.len(), 3);
    assert!(messages[0].contains("доверенность без даты ничтожна"), "{}", messages[0]);
    assert!(messages[2].contains("срок доверенности истёк 14.12.2026"), "{}", messages[2]);
}

#[test]
fn a_proxy_within_its_year_or_its_written_term_lets_the_decision_count() {
    let tally = counted([("2025-12-15", ""), ("2026-12-15", ""), ("2025-01-01", "2026-12-31")]);
    assert!(tally.excluded.is_empty(), "{:?}", tally.excluded);
    assert_eq!(tally.took_part, [true, true, true]);
}

#[test]
fn one_person_signing_for_several_owners_is_counted_and_listed_for_review_naming_them() {
    let registry = building();
    let csv = "premise;owner;1;representative;authority\n\
               1;Иванов;за;Смирнова О. П.;закон\n\
               2;Петров;против;смирнова о. п.;закон\n\
               3;Сидоров;за;Кузнецов;закон";
    let ballots = parse_ballots("ballots.csv", csv.as_bytes(), &registry, 1).unwrap();
    let tally = tally(&registry, &meeting(&[("other", None)]), &ballots);
    assert_eq!(tally.took_part, [true, true, true]);
    let several: Vec<&Warning> =
        tally.warnings.iter().filter(|w| w.code() == "one_representative_for_several").collect();
    assert_eq!(
        several,
        [&Warning::OneRepresentativeForSeveral {
            representative: "Смирнова О. П.".into(),
            owners: vec![("1".into(), "Иванов".into()), ("2".into(), "Петров".into())],
        }]
    );
    let message = several[0].message(Lang::En);
    assert!(message.contains("`Иванов` (premise 1), `Петров` (premise 2)"), "{message}");
}
