//! One test per rule of the count (weights, quorum, answers, thresholds), on small inline buildings.

mod common;

use common::{ballots, meeting, q, registry, tally, votes_by_place};
use obhod_core::number::exact;
use obhod_core::{LawItem, Threshold, Warning, Weights};

fn places(rows: &str) -> Vec<(String, String)> {
    let registry = registry(rows);
    votes_by_place(&registry, &Weights::compute(&registry))
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect()
}

#[test]
fn shared_owners_get_area_times_share() {
    let got = places("7;flat;54,3;;;;;А;;1/3;\n7;flat;54,3;;;;;Б;;2/3;");
    assert_eq!(got, pairs(&[("7", "181/10"), ("7", "181/5")]));
}

#[test]
fn a_joint_group_with_a_share_is_one_block_beside_a_shared_owner() {
    let reg = registry("9;flat;60;;;;;Муж;;1/2;с1\n9;flat;60;;;;;Жена;;;с1\n9;flat;60;;;;;Сын;;1/2;");
    let weights = Weights::compute(&reg);
    assert_eq!(votes_by_place(&reg, &weights), pairs(&[("9", "30"), ("9", "30")]));
    assert!(weights.holdings[0].joint);
    assert_eq!(weights.holdings[0].owners.len(), 2);
    assert!(weights.warnings.is_empty(), "1/2 + 1/2 is complete");
}

#[test]
fn communal_rooms_share_the_flat_in_proportion_and_an_unowned_room_is_warned() {
    // Flat 80 m²; owned rooms 20 and 10 (S = 30), one room of 15 unowned.
    let reg = registry("5;flat;80;;;к1;20;А;;;\n5;flat;80;;;к2;10;Б;;;\n5;flat;80;;;к3;15;;;;");
    let weights = Weights::compute(&reg);
    assert_eq!(votes_by_place(&reg, &weights), pairs(&[("5/к1", "160/3"), ("5/к2", "80/3")]));
    assert_eq!(exact(&weights.total), "80", "a communal flat counts once, with the flat's area");
    assert_eq!(weights.warnings, vec![Warning::UnownedRoom { premise: "5".into(), room: "к3".into() }]);
}

#[test]
fn a_room_held_by_two_owners_splits_its_weight_by_share() {
    let got = places("5;flat;100;;;к1;30;А;;1/2;\n5;flat;100;;;к1;30;Б;;1/2;\n5;flat;100;;;к2;20;В;;;");
    assert_eq!(got, pairs(&[("5/к1", "30"), ("5/к1", "30"), ("5/к2", "40")]));
}

#[test]
fn incomplete_shares_keep_the_rest_in_total_unvoted() {
    let reg = registry("1;flat;100;;;;;А;;1/2;\n2;flat;50;;;;;Б;;;");
    let weights = Weights::compute(&reg);
    assert_eq!(exact(&weights.total), "150");
    assert_eq!(votes_by_place(&reg, &weights), pairs(&[("1", "50"), ("2", "50")]));
    assert_eq!(
        weights.warnings,
        vec![Warning::SharesIncomplete { premise: "1".into(), room: None, sum: "1/2".into() }]
    );
}

#[test]
fn the_municipality_is_one_owner_across_its_premises() {
    let reg = registry(
        "1;flat;40;;;;;Город;municipal;;\n2;flat;60;;;;;Город;муниципальная;;\nН-1;nonresidential;100;;;;;Город;municipal;;\n3;flat;50;;;;;Город;;;",
    );
    let voters = Weights::compute(&reg).voters();
    assert_eq!(voters.len(), 2, "a person with the same name is another owner");
    assert_eq!(
        (voters[0].voter.name(), exact(&voters[0].votes), voters[0].holdings.len()),
        ("Город".into(), "200".into(), 3)
    );
}

#[test]
fn denominators_beyond_i128_stay_exact() {
    // Communal flats whose owned rooms sum to different primes (in hundredths of m²):
    // the common denominator of their rooms' weights is the primes' product, beyond i128.
    let primes = [10007, 10009, 10037, 10039, 10061, 10067, 10069, 10079, 10091, 10093, 10099, 10103];
    let mut rows = String::new();
    for (i, p) in primes.iter().enumerate() {
        let flat = 200_000 + i;
        rows.push_str(&format!("{flat};flat;1000,1;;;к1;{},{:02};А{i};;;\n", (p - 1) / 100, (p - 1) % 100));
        rows.push_str(&format!("{flat};flat;1000,1;;;к2;0,01;Б{i};;;\n"));
    }
    let reg = registry(&rows);
    let weights = Weights::compute(&reg);
    let sum: obhod_core::Votes = weights.holdings.iter().map(|h| &h.votes).sum();
    assert_eq!(sum, weights.total, "the rooms of every flat add up to the flat exactly");
    let odd: obhod_core::Votes = weights.holdings.iter().step_by(2).map(|h| &h.votes).sum();
    assert!(odd.denom().bits() > 128, "the test really needs big integers");
}

#[test]
fn quorum_is_strictly_more_than_half() {
    let reg = registry("1;flat;50;;;;;А;;;\n2;flat;50;;;;;Б;;;\n3;flat;0,01;;;;;В;;;");
    let m = meeting(&[("other", None)]);
    let half = tally(&reg, &m, &ballots(&reg, 1, "1;А;за;;"));
    assert!(!half.quorum, "50 of 100.01 is less than half");
    let reg = registry("1;flat;50;;;;;А;;;\n2;flat;50;;;;;Б;;;");
    let exactly_half = tally(&reg, &m, &ballots(&reg, 1, "1;А;за;;"));
    assert!(!exactly_half.quorum, "exactly half is no quorum");
    assert_eq!(exactly_half.missing_for_quorum(), Some(q("0")));
    assert_eq!(exactly_half.questions[0].adopted, Some(false), "nothing is adopted without quorum");
    let more = tally(&reg, &m, &ballots(&reg, 1, "1;А;за;;\n2;Б;против;;"));
    assert!(more.quorum);
}

#[test]
fn an_all_invalid_ballot_counts_towards_quorum_but_a_defective_one_does_not() {
    let reg = registry("1;flat;60;;;;;А;;;\n2;flat;40;;;;;Б;;;");
    let m = meeting(&[("other", None), ("other", None)]);
    let spoiled = tally(&reg, &m, &ballots(&reg, 2, "1;А;испорчен;за+против;;"));
    assert!(spoiled.quorum);
    assert_eq!(exact(&spoiled.questions[0].invalid), "60");
    assert_eq!(exact(&spoiled.questions[1].invalid), "60");
    let defective = tally(&reg, &m, &ballots(&reg, 2, "1;А;за;за;;нет подписи"));
    assert!(!defective.quorum);
    assert_eq!(exact(&defective.participated), "0");
}

#[test]
fn one_invalid_answer_leaves_the_other_answers_standing() {
    let reg = registry("1;flat;100;;;;;А;;;");
    let m = meeting(&[("other", None), ("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 2, "1;А;;за;;"));
    assert_eq!(exact(&t.questions[0].invalid), "100");
    assert_eq!(exact(&t.questions[1].for_votes), "100");
}

#[test]
fn joint_owners_one_ballot_carries_the_block_and_disagreement_is_invalid() {
    let reg = registry("1;flat;100;;;;;Муж;;;с1\n1;flat;100;;;;;Жена;;;с1\n2;flat;50;;;;;Сосед;;;");
    let m = meeting(&[("other", None), ("other", None), ("other", None)]);
    let one = tally(&reg, &m, &ballots(&reg, 3, "1;Жена;за;против;;;"));
    assert_eq!(exact(&one.participated), "100", "one member's ballot carries the whole block");
    assert_eq!(one.participated_named, one.participated, "a member's row is the group's own row");
    let two = tally(&reg, &m, &ballots(&reg, 3, "1;Муж;за;за;;;\n1;Жена;за;против;воздержался;;"));
    assert_eq!(exact(&two.participated), "100", "the block is counted once");
    assert_eq!(exact(&two.questions[0].for_votes), "100", "agreeing answers stand");
    assert_eq!(exact(&two.questions[1].invalid), "100", "differing answers are invalid");
    assert_eq!(exact(&two.questions[2].abstain), "100", "a blank from one member defers to the other's valid answer");
    assert_eq!(
        two.warnings,
        vec![Warning::ConflictingAnswers { premise: "1".into(), owners: "Муж, Жена".into(), question: 2 }]
    );
    assert_eq!(
        two.warnings[0].message(obhod_core::Lang::Ru),
        "помещение 1: в решениях «Муж, Жена» разные ответы на вопрос 2; ответ недействителен"
    );
}

#[test]
fn shared_owners_answer_only_for_their_own_holding() {
    let reg = registry("1;flat;100;;;;;А;;3/4;\n1;flat;100;;;;;Б;;1/4;");
    let m = meeting(&[("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "1;Б;за;;"));
    assert_eq!(exact(&t.participated), "25");
}

#[test]
fn a_legal_entity_votes_all_its_premises_with_one_ballot() {
    let reg = registry(
        "Н-1;nonresidential;200;;;;;ООО Ромашка;legal;;\nММ-1;parking;15;;;;;ООО Ромашка;legal;;\n1;flat;100;;;;;А;;;",
    );
    let m = meeting(&[("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "Н-1;ООО Ромашка;за;;"));
    assert_eq!(exact(&t.participated), "215");
    assert_eq!(t.took_part, vec![true, true, false]);
}

#[test]
fn a_premise_carried_by_its_owners_ballot_for_another_is_shown_and_counted_apart() {
    let reg =
        registry("1;flat;30;;;;;Город;municipal;;\nН-1;nonresidential;25;;;;;Город;municipal;;\n2;flat;45;;;;;Б;;;");
    let m = meeting(&[("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "1;Город;за;;"));
    assert_eq!((exact(&t.participated), t.quorum), ("55".into(), true), "indivisible votes: Н-1 takes part");
    assert_eq!((exact(&t.participated_named), t.quorum_named), ("30".into(), false), "premise by premise: no quorum");
    assert!(t.quorum_depends_on_carried());
    assert_eq!(
        t.warnings,
        [Warning::CarriedByOwner { premise: "Н-1".into(), owner: "Город".into(), via_premise: "1".into() }]
    );
    assert_eq!(t.warnings[0].code(), "carried_by_owner");
    assert_eq!((t.questions[0].adopted, t.questions[0].adopted_named), (Some(true), Some(false)));
    assert!(t.quorum_caution(obhod_core::Lang::Ru).expect("verdicts differ").contains("кворума НЕТ (30,00 %)"));
    let both = tally(&reg, &m, &ballots(&reg, 1, "1;Город;за;;\nН-1;Город;за;;"));
    assert_eq!((&both.participated_named, both.quorum_named), (&both.participated, true));
    assert!(both.warnings.is_empty() && !both.quorum_depends_on_carried());
}

#[test]
fn a_decision_carried_only_by_an_owners_other_premise_is_shown_apart() {
    let reg =
        registry("1;flat;30;;;;;Город;municipal;;\nН-1;nonresidential;25;;;;;Город;municipal;;\n2;flat;45;;;;;Б;;;");
    let m = meeting(&[("4", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "1;Город;за;;\n2;Б;против;;"));
    assert!(t.quorum && t.quorum_named, "75 of 100 took part with their own rows");
    let q = &t.questions[0];
    assert_eq!((exact(&q.for_votes), exact(&q.for_named)), ("55".into(), "30".into()));
    assert_eq!((q.adopted, q.adopted_named), (Some(true), Some(false)), "more than half of all votes only with Н-1");
    assert!(q.depends_on_carried() && t.quorum_caution(obhod_core::Lang::En).is_none());
}

#[test]
fn late_ballots_are_not_counted_and_the_last_day_is_on_time() {
    let reg = registry("1;flat;60;;;;;А;;;\n2;flat;40;;;;;Б;;;");
    let m = meeting(&[("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "1;А;за;21.12.2026;\n2;Б;за;2026-12-20;"));
    assert_eq!(exact(&t.participated), "40");
    assert_eq!(t.warnings.iter().map(Warning::code).collect::<Vec<_>>(), ["late_ballot"]);
}

#[test]
fn thresholds_follow_the_items_of_article_44() {
    let cases = [
        ("1", Threshold::AllTwoThirds),
        ("1.1", Threshold::AllMajority),
        ("1.1-1", Threshold::AllTwoThirds),
        ("1.2", Threshold::AllTwoThirds),
        ("1.3", Threshold::AllTwoThirds),
        ("2", Threshold::AllTwoThirds),
        ("3", Threshold::AllTwoThirds),
        ("3.1", Threshold::AllTwoThirds),
        ("3.8", Threshold::AllTwoThirds),
        ("4", Threshold::AllMajority),
        ("4.2", Threshold::AllMajority),
        ("4.3", Threshold::AllTwoThirds),
        ("4.5", Threshold::Manual),
        ("4.6", Threshold::Manual),
        ("4.7", Threshold::AllMajority),
        ("36.3", Threshold::Unanimous),
        ("other", Threshold::Simple),
        ("3.4", Threshold::Simple),
    ];
    for (item, threshold) in cases {
        assert_eq!(LawItem::parse(item).map(|i| i.threshold()), Some(threshold), "item {item}");
    }
    for made_up in ["п.4", "99", "0", "4.9", "2.0", "1.1-7"] {
        assert_eq!(LawItem::parse(made_up), None, "{made_up} is not an item of ч.2 ст.44");
    }
}

#[test]
fn an_explicit_threshold_wins_with_a_warning() {
    let m = meeting(&[("4", Some("simple")), ("other", Some("all_majority")), ("4.5", None)]);
    assert_eq!(m.questions[0].threshold, Threshold::Simple);
    let codes: Vec<_> = m.warnings.iter().map(|w| (w.code(), w.question())).collect();
    assert_eq!(
        codes,
        [
            ("threshold_differs_from_item", Some(1)),
            ("threshold_differs_from_item", Some(2)),
            ("manual_threshold", Some(3))
        ]
    );
}

#[test]
fn decisions_at_each_threshold_boundary() {
    // TOTAL 300: А 100, Б 100, В 100.
    let reg = registry("1;flat;100;;;;;А;;;\n2;flat;100;;;;;Б;;;\n3;flat;100;;;;;В;;;");
    let m = meeting(&[("other", None), ("4", None), ("1", None), ("36.3", None), ("4.5", None)]);
    let two_for = tally(&reg, &m, &ballots(&reg, 5, "1;А;за;за;за;за;за;;\n2;Б;против;за;за;за;за;;"));
    let adopted: Vec<_> = two_for.questions.iter().map(|r| r.adopted).collect();
    // simple: 100 of 200 is a tie → not adopted; all_majority: 200 > 150; two thirds: 200·3 = 300·2;
    // unanimous: 200 ≠ 300; manual: never computed.
    assert_eq!(adopted, [Some(false), Some(true), Some(true), Some(false), None]);
    assert_eq!(exact(&two_for.questions[0].base), "200");
    assert_eq!(exact(&two_for.questions[1].base), "300");
    let everyone =
        tally(&reg, &m, &ballots(&reg, 5, "1;А;за;за;за;за;за;;\n2;Б;за;за;за;за;за;;\n3;В;за;за;за;за;за;;"));
    assert_eq!(everyone.questions[3].adopted, Some(true), "unanimous needs every vote");
}

#[test]
fn abstentions_and_invalid_answers_count_in_the_simple_base() {
    let reg = registry("1;flat;100;;;;;А;;;\n2;flat;100;;;;;Б;;;\n3;flat;100;;;;;В;;;");
    let m = meeting(&[("other", None)]);
    let t = tally(&reg, &m, &ballots(&reg, 1, "1;А;за;;\n2;Б;воздержался;;\n3;В;;;"));
    assert_eq!(exact(&t.questions[0].base), "300");
    assert_eq!(t.questions[0].adopted, Some(false), "100 for of 300 participants is not a majority");
}

#[test]
fn the_strict_reading_keeps_unowned_premises_in_the_total_and_counts_own_ballots_only() {
    // 100 m² owned (60 + 40), a premise of 50 m² without a registered owner.
    let reg = registry("1;flat;60;;;;;А;;;\n2;flat;40;;;;;Б;;;\n3;flat;50;;;;;;;;");
    let meeting = meeting(&[("other", None), ("4", None)]);
    let tally = tally(&reg, &meeting, &ballots(&reg, 2, "1;А;за;за;;"));
    assert!(tally.quorum, "60 of 100 took part");
    assert_eq!(tally.questions[1].adopted, Some(true), "60 of all 100 votes are for");
    assert_eq!((exact(&tally.strict.total), exact(&tally.strict.participated)), ("150".into(), "60".into()));
    assert!(!tally.strict.quorum, "60 of 150 is no quorum");
    assert_eq!(tally.strict.questions[1].adopted, Some(false));
    assert!(tally.strict_differs());
    let count = obhod_core::Count::new(&meeting, &tally, obhod_core::Lang::Ru);
    let differences = count.strict_differences();
    assert_eq!(differences.len(), 3, "the quorum and both questions: {differences:?}");
    assert!(differences[0].starts_with("При строгом прочтении кворума нет: приняли участие 60,00 из 150,00 (40,00 %)"));
}

#[test]
fn an_explicit_threshold_on_a_question_outside_the_items_is_worded_without_an_item() {
    let m = meeting(&[("other", Some("all_majority"))]);
    let warning = m.warnings.iter().find(|w| w.code() == "threshold_differs_from_item").expect("warned");
    let text = warning.message(obhod_core::Lang::Ru);
    assert!(!text.contains("п. other"), "{text}");
    assert!(text.contains("вопрос вне пунктов ч. 2 ст. 44 ЖК РФ решается порогом «simple»"), "{text}");
}
