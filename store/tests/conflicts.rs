//! Different ballots for one owner recorded on two devices: sync keeps both, `conflicts` lists
//! them, the tally voids the differing question, and keeping one on either device ends the
//! conflict on both after the next sync.

use obhod_core::{Answer, Warning};
use obhod_store::{Campaign, StoreError};

mod support;
use support::{sources, sync};

const HEADER: &str = "premise,owner,1,2,3,received,defect\n";
const PETROV: &str = "Петров Пётр Петрович";

fn pair() -> (tempfile::TempDir, Campaign, Campaign) {
    let dir = tempfile::tempdir().unwrap();
    let a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let b = a.replica_to(&dir.path().join("b.db")).unwrap();
    (dir, a, b)
}

/// Petrov's ballot, answering the first question `first`, on devices a and b apart, then synced.
fn conflicting() -> (tempfile::TempDir, Campaign, Campaign) {
    let (dir, mut a, mut b) = pair();
    a.import_ballots("a.csv", &format!("{HEADER}2,{PETROV},против,за,против,2026-12-16,\n")).unwrap();
    b.import_ballots(
        "b.csv",
        &format!("{HEADER}1,Иванов Иван Иванович,за,за,за,,\n2,{PETROV},за,за,против,2026-12-16,\n"),
    )
    .unwrap();
    sync(&mut a, &mut b);
    (dir, a, b)
}

#[test]
fn differing_ballots_from_two_devices_are_both_kept_and_listed() {
    let (dir, a, b) = conflicting();
    for campaign in [&a, &b, &Campaign::open(&dir.path().join("a.db")).unwrap()] {
        let conflicts = campaign.conflicts();
        assert_eq!(conflicts.len(), 1, "{conflicts:?}");
        let conflict = &conflicts[0];
        assert_eq!((conflict.premise.as_str(), conflict.owner.as_str()), ("2", PETROV));
        assert_eq!(conflict.questions, vec![1]);
        let firsts: Vec<_> = conflict.variants.iter().map(|v| v.answers[0]).collect();
        assert_eq!(firsts, vec![Some(Answer::Against), Some(Answer::For)], "in the order they were recorded");
        let sources: Vec<_> = conflict.variants.iter().map(|v| (v.file.as_str(), v.line, v.device.as_str())).collect();
        assert_eq!(sources, vec![("a.csv", 2, a.device()), ("b.csv", 3, b.device())]);
        assert_eq!(campaign.ballots().len(), 3, "both variants reach the tally");
    }
    let tally = a.tally();
    let warning = Warning::BallotConflict { premise: "2".into(), owner: PETROV.into(), questions: vec![1] };
    assert!(tally.warnings.contains(&warning), "{:?}", tally.warnings);
    assert_eq!(b.tally(), tally, "the same count on both devices");
}

#[test]
fn the_same_decision_on_two_devices_is_no_conflict() {
    let (_dir, mut a, mut b) = pair();
    let row = format!("{HEADER}2,{PETROV},против,за,против,2026-12-16,\n");
    a.import_ballots("a.csv", &row).unwrap();
    b.import_ballots("b.csv", &row).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(a.conflicts(), vec![]);
    assert_eq!(a.ballots().len(), 1);
    assert!(!a.tally().warnings.iter().any(|w| w.code() == "ballot_conflict"));
}

#[test]
fn a_differing_reimport_on_one_device_is_still_refused() {
    let (_dir, mut a, _b) = conflicting();
    let third = a.import_ballots("c.csv", &format!("{HEADER}2,{PETROV},воздержался,за,против,2026-12-16,\n"));
    assert!(matches!(&third, Err(StoreError::BallotConflict { line: 2, .. })), "{third:?}");
    let again = a.import_ballots("b.csv", &format!("{HEADER}2,{PETROV},за,за,против,2026-12-16,\n")).unwrap();
    assert_eq!((again.added, again.present), (0, 1), "one of the variants again is already there");
    assert_eq!(a.conflicts()[0].variants.len(), 2);
}

#[test]
fn keeping_either_variant_ends_the_conflict_on_both_devices() {
    for keep in [1, 2] {
        let (_dir, mut a, mut b) = conflicting();
        let kept = b.conflicts()[0].variants[keep - 1].clone();
        b.resolve_conflict("2", PETROV, keep).unwrap();
        assert_eq!(b.conflicts(), vec![], "keep {keep}: gone where resolved");
        sync(&mut a, &mut b);
        assert_eq!(a.conflicts(), vec![], "keep {keep}: gone on the other device after sync");
        let petrov: Vec<_> = a.ballots().into_iter().filter(|b| b.premise == "2").collect();
        assert_eq!(petrov.len(), 1);
        assert_eq!(Some(petrov[0].answers[0]), kept.answers[0], "keep {keep}: the chosen decision stands");
        assert!(!a.tally().warnings.iter().any(|w| w.code() == "ballot_conflict"));
    }
}

#[test]
fn resolving_what_is_not_a_conflict_is_refused_with_the_reason() {
    let (_dir, _a, mut b) = conflicting();
    for keep in [0, 3] {
        let error = b.resolve_conflict("2", PETROV, keep).unwrap_err();
        assert!(matches!(&error, StoreError::NoSuchVariant { variants: 2, .. }), "{error:?}");
        assert_eq!(
            error.message(obhod_core::Lang::Ru),
            format!(
                "у собственника «{PETROV}» (помещение 2) нет варианта {keep}: укажите в --keep номер от 1 до 2 (obhod conflicts)"
            )
        );
    }
    let error = b.resolve_conflict("1", "Иванов Иван Иванович", 1).unwrap_err();
    assert!(matches!(error, StoreError::NoConflict { .. }), "{error:?}");
    let error = b.resolve_conflict("99", PETROV, 1).unwrap_err();
    assert!(matches!(error, StoreError::UnknownPremise { .. }), "{error:?}");
    let error = b.resolve_conflict("2", "Никто", 1).unwrap_err();
    assert!(matches!(error, StoreError::UnknownOwner { .. }), "{error:?}");
    assert_eq!(b.conflicts().len(), 1, "nothing changed");
}
