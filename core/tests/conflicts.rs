//! Differing ballots for one owner of a premise (two devices, merged by sync): the holding takes
//! part, agreeing answers stand, differing ones are invalid, and the count warns.

mod common;

use common::{ballots, meeting, registry, tally};
use obhod_core::number::exact;
use obhod_core::{Answer, Ballot, Lang, Registry, Warning};
use proptest::prelude::*;

const ROWS: &str = "1;flat;100;;;;;А;;;\n2;flat;50;;;;;Б;;;\n3;flat;60;;;;;Муж;;;с1\n3;flat;60;;;;;Жена;;;с1";

fn building() -> Registry {
    registry(ROWS)
}

/// `ballot` with its answers replaced.
fn variant(ballot: &Ballot, answers: &[Answer]) -> Ballot {
    Ballot { answers: answers.to_vec(), ..ballot.clone() }
}

#[test]
fn differing_ballots_for_one_owner_take_part_and_make_the_differing_question_invalid() {
    let reg = building();
    let m = meeting(&[("other", None), ("other", None), ("other", None)]);
    let mut all = ballots(&reg, 3, "1;А;за;за;против;;\n2;Б;за;за;за;;");
    all.push(variant(&all[0], &[Answer::For, Answer::Against, Answer::Against]));
    let t = tally(&reg, &m, &all);
    assert_eq!(exact(&t.participated), "150", "the holding is counted once, as taking part");
    assert_eq!(exact(&t.questions[0].for_votes), "150", "the agreeing answer stands");
    assert_eq!(exact(&t.questions[1].invalid), "100", "the differing answer is invalid");
    assert_eq!(exact(&t.questions[1].for_votes), "50");
    assert_eq!(exact(&t.questions[2].against), "100");
    let warning = Warning::BallotConflict { premise: "1".into(), owner: "А".into(), questions: vec![2] };
    assert_eq!(t.warnings, vec![warning.clone()]);
    assert_eq!(warning.code(), "ballot_conflict");
    assert_eq!(
        warning.message(Lang::Ru),
        "помещение 1: для «А» записаны разные решения (с разных устройств); ответ на вопрос 2 недействителен, пока не выбрано одно: obhod conflicts"
    );
    assert_eq!(
        warning.message(Lang::En),
        "premise 1: different ballots are recorded for `А` (from different devices); the answer to question 2 is invalid until one is kept: obhod conflicts"
    );
}

#[test]
fn the_same_decision_twice_is_no_conflict_and_counts_once() {
    let reg = building();
    let m = meeting(&[("other", None)]);
    let mut all = ballots(&reg, 1, "1;А;за;;");
    all.push(Ballot { line: 7, ..all[0].clone() });
    let t = tally(&reg, &m, &all);
    assert!(t.warnings.is_empty(), "{:?}", t.warnings);
    assert_eq!(exact(&t.questions[0].for_votes), "100");
}

#[test]
fn a_joint_members_differing_ballots_void_the_question_for_the_whole_block() {
    let reg = building();
    let m = meeting(&[("other", None)]);
    let mut all = ballots(&reg, 1, "3;Муж;за;;\n3;Жена;за;;");
    all.push(variant(&all[1], &[Answer::Invalid(obhod_core::Invalid::NoMark)]));
    let t = tally(&reg, &m, &all);
    assert_eq!(exact(&t.questions[0].invalid), "60", "the other member's answer does not cover the conflict");
    assert_eq!(
        t.warnings,
        vec![Warning::BallotConflict { premise: "3".into(), owner: "Жена".into(), questions: vec![1] }]
    );
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![Just(Answer::For), Just(Answer::Against), Just(Answer::Abstain)]
}

proptest! {
    #[test]
    fn the_tally_of_conflicting_variants_does_not_depend_on_their_order(
        variants in prop::collection::vec((prop::collection::vec(answer(), 3), 1u64..5, any::<bool>()), 2..5),
        seed in any::<u64>(),
    ) {
        let reg = building();
        let m = meeting(&[("other", None), ("other", None), ("4", None)]);
        let base = ballots(&reg, 3, "2;Б;за;против;за;;");
        let one = ballots(&reg, 3, "1;А;за;за;за;;").remove(0);
        let mut all: Vec<Ballot> = variants
            .iter()
            .map(|(answers, line, late)| Ballot {
                line: *line,
                received: late.then(|| chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()),
                ..variant(&one, answers)
            })
            .collect();
        let first = tally(&reg, &m, &[base.clone(), all.clone()].concat());
        let mut rng = seed;
        for i in (1..all.len()).rev() {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            all.swap(i, (rng >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(tally(&reg, &m, &[base, all].concat()), first);
    }
}
