//! Who an owner is across the building: organisations by name, people by the registry's
//! `owner_id` (one owner for the count, the forms and the notice), and without one apart in each
//! premise, however alike their names.

mod common;

use common::{ballots, meeting, tally};
use obhod_core::number::exact;
use obhod_core::{Act, Canvass, Fact, InputError, Outcome, Problem, Registry, Warning, Weights};

const HEADER: &str = "premise;kind;area;owner;owner_kind;owner_id;ogrn";

fn registry(rows: &str) -> Result<Registry, InputError> {
    Registry::parse("registry.csv", format!("{HEADER}\n{rows}").as_bytes())
}

/// Орлова owns flat 1 and parking space ММ-1 under one id; two people named Зайцев own flat 2
/// and parking space ММ-2 without one.
const BUILDING: &str = "1;flat;50;Орлова Елена;;orlova;\n\
                        ММ-1;parking;15;Орлова Елена;;orlova;\n\
                        2;flat;60;Зайцев Павел;;;\n\
                        ММ-2;parking;14;Зайцев Павел;;;\n\
                        3;flat;70;Другой Человек;;;";

#[test]
fn people_are_one_owner_across_premises_only_by_owner_id() {
    let registry = registry(BUILDING).unwrap();
    let voters = Weights::compute(&registry).voters();
    let names: Vec<(String, String)> = voters.iter().map(|v| (v.voter.name(), exact(&v.votes))).collect();
    assert_eq!(
        names,
        [
            ("Орлова Елена".to_string(), "65".to_string()),
            ("Зайцев Павел".into(), "60".into()),
            ("Зайцев Павел".into(), "14".into()),
            ("Другой Человек".into(), "70".into()),
        ],
        "one owner_id is one owner; one name without it is one owner per premise"
    );
}

#[test]
fn a_ballot_of_an_owner_with_an_owner_id_carries_all_its_premises_and_is_warned_about() {
    let registry = registry(BUILDING).unwrap();
    let meeting = meeting(&[("other", None)]);
    let ballots = ballots(&registry, 1, "1;Орлова Елена;за;;\n2;Зайцев Павел;за;;");
    let tally = tally(&registry, &meeting, &ballots);
    assert_eq!(exact(&tally.participated), "125", "flat 1, its parking space and flat 2; not ММ-2");
    assert_eq!(exact(&tally.participated_named), "110");
    assert!(tally.warnings.contains(&Warning::CarriedByOwner {
        premise: "ММ-1".into(),
        owner: "Орлова Елена".into(),
        via_premise: "1".into(),
    }));
    assert_eq!(exact(&tally.strict.participated), "110", "the strict reading counts own ballots only");
}

fn delivered(id: u32, premise: &str, owner: &str) -> Fact {
    Fact {
        id: format!("01JF{id:022}"),
        device: "phone".into(),
        at: chrono::DateTime::parse_from_rfc3339("2026-11-20T19:00:00+06:00").unwrap(),
        note: None,
        act: Act::mark(premise, Some(owner), Outcome::Delivered),
    }
}

#[test]
fn an_owner_notified_at_one_premise_is_notified_at_all_of_its_premises() {
    let registry = registry(BUILDING).unwrap();
    let canvass = Canvass::fold(&registry, vec![delivered(1, "1", "Орлова Елена"), delivered(2, "2", "Зайцев Павел")]);
    let status = |premise: usize| &canvass.premises[premise].owners[0];
    assert!(status(1).notified, "ММ-1: Орлова signed at her flat");
    assert_eq!(status(1).delivered, None, "no signature at the parking space itself");
    assert_eq!(status(1).notice().map(|n| n.premise), Some(0), "the notice came by flat 1");
    assert!(!status(3).notified, "ММ-2: another Зайцев, as far as the registry says");
    let letters: Vec<&str> = canvass.mail_list().map(|(p, _)| registry.premises[p.premise].label.as_str()).collect();
    assert_eq!(letters, ["ММ-2", "3"]);
}

#[test]
fn an_owner_id_on_two_names_and_a_bad_ogrn_are_refused_with_their_lines() {
    let error = registry("1;flat;50;Орлова Елена;;orlova;\n2;flat;50;Орлов Иван;;orlova;").unwrap_err();
    assert_eq!(error.line, Some(3));
    assert!(matches!(*error.problem, Problem::OwnerIdNames { .. }), "{error:?}");
    let error = registry("Н-1;nonresidential;100;ООО «Аптека»;legal;;1027700132194").unwrap_err();
    assert_eq!((error.line, *error.problem), (Some(2), Problem::BadOgrn("1027700132194".into())));
    let error = registry("1;flat;50;Орлова Елена;;;1027700132195").unwrap_err();
    assert_eq!(*error.problem, Problem::OgrnOfPerson("1027700132195".into()));
    let ok = registry("Н-1;nonresidential;100;ООО «Аптека»;legal;;1027700132195").unwrap();
    assert_eq!(ok.premises[0].owners()[0].ogrn.as_deref(), Some("1027700132195"));
}
