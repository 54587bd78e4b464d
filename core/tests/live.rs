//! The live count: whether a question is already adopted, already lost or still open while
//! decisions may come, the votes it still needs, and the same for the quorum; checked on worked
//! examples and, as laws, on generated buildings and orders of decisions.

mod common;

use chrono::NaiveDate;
use common::{ballots, meeting, q, registry, tally};
use obhod_core::{Live, Meeting, Prospect, Registry, Settling, Tally};
use proptest::prelude::*;

const THRESHOLDS: [&str; 4] = ["simple", "all_majority", "all_two_thirds", "unanimous"];

fn agenda() -> Meeting {
    let questions: Vec<(&str, Option<&str>)> = THRESHOLDS.iter().map(|t| ("other", Some(*t))).collect();
    meeting(&questions)
}

fn during() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()
}

fn after() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()
}

/// Premises 1…n of the given areas, one owner each (`О1`, …).
fn building(areas: &[u32]) -> Registry {
    let rows: Vec<String> =
        areas.iter().enumerate().map(|(i, a)| format!("{};flat;{a};;;;;О{};;;", i + 1, i + 1)).collect();
    registry(&rows.join("\n"))
}

/// The live count after ballots `(premise number, answer to every question)`.
fn live_after(registry: &Registry, votes: &[(usize, &str)], today: NaiveDate) -> (Tally, Live) {
    let meeting = agenda();
    let rows: Vec<String> = votes.iter().map(|(p, a)| format!("{p};О{p};{a};{a};{a};{a};;")).collect();
    let tally = tally(registry, &meeting, &ballots(registry, 4, &rows.join("\n")));
    let live = Live::of(&meeting, &tally, today);
    (tally, live)
}

fn settled(prospect: Prospect, needed: Option<&str>) -> (Option<Prospect>, Option<obhod_core::Votes>) {
    (Some(prospect), needed.map(q))
}

fn pair(s: &Settling) -> (Option<Prospect>, Option<obhod_core::Votes>) {
    (s.prospect, s.needed.clone())
}

#[test]
fn a_question_of_all_votes_needs_its_for_votes_out_of_those_not_yet_cast() {
    // 1000 votes; 600 in, all «за»: more than half of all votes is in hand.
    let registry = building(&[300, 300, 200, 200]);
    let (_, live) = live_after(&registry, &[(1, "за"), (2, "за")], during());
    assert_eq!(pair(&live.quorum), settled(Prospect::Adopted, Some("0")));
    assert_eq!(pair(&live.questions[0]), settled(Prospect::Adopted, Some("0")), "600 of 1000 whatever comes");
    assert_eq!(pair(&live.questions[1]), settled(Prospect::Adopted, Some("0")));
    assert_eq!(pair(&live.questions[2]), settled(Prospect::Open, Some("200/3")), "two thirds: 666 2/3 needed");
    assert_eq!(pair(&live.questions[3]), settled(Prospect::Open, Some("400")), "unanimity needs every vote");
    assert!(!live.questions[2].strictly && live.questions[0].strictly);
}

#[test]
fn a_simple_majority_counts_that_every_later_vote_raises_the_base() {
    // 1000 votes; 600 in: 400 «за», 200 «против». Passing now, but 400 still to come could all
    // go against (400 of 1000): it needs more than 500 «за» to be sure.
    let registry = building(&[400, 200, 200, 200]);
    let (tally, live) = live_after(&registry, &[(1, "за"), (2, "против")], during());
    assert_eq!(tally.questions[0].adopted, Some(true), "adopted on the figures in hand");
    assert_eq!(pair(&live.questions[0]), settled(Prospect::Open, Some("100")));
    assert_eq!(pair(&live.questions[1]), settled(Prospect::Open, Some("100")));
    assert_eq!(pair(&live.questions[3]), settled(Prospect::Lost, None), "200 against: never unanimous");
}

#[test]
fn without_quorum_a_question_needs_the_quorum_too_and_the_quorum_says_how_far_it_is() {
    let registry = building(&[100, 300, 300, 300]);
    let (_, live) = live_after(&registry, &[(1, "против")], during());
    assert_eq!(pair(&live.quorum), settled(Prospect::Open, Some("400")), "more than 500 of 1000 must take part");
    assert_eq!(pair(&live.questions[0]), settled(Prospect::Open, Some("500")));
    assert_eq!(pair(&live.questions[2]), settled(Prospect::Open, Some("2000/3")));
}

#[test]
fn after_the_end_of_voting_nothing_is_open_and_the_verdict_is_the_counts() {
    let registry = building(&[400, 200, 200, 200]);
    let (tally, live) = live_after(&registry, &[(1, "за"), (2, "против")], after());
    assert_eq!(live.to_come, q("0"));
    assert_eq!(pair(&live.questions[0]), settled(Prospect::Adopted, Some("0")));
    assert_eq!(tally.questions[0].adopted, Some(true));
    for settling in &live.questions[1..] {
        assert_eq!(pair(settling), settled(Prospect::Lost, None));
    }
    let (_, live) = live_after(&registry, &[(1, "за")], after());
    assert_eq!(pair(&live.quorum), settled(Prospect::Lost, None), "400 of 1000 and nobody else may come");
}

#[test]
fn a_manual_question_is_left_unsettled() {
    let meeting = meeting(&[("other", Some("manual"))]);
    let registry = building(&[100]);
    let tally = tally(&registry, &meeting, &ballots(&registry, 1, "1;О1;за;;"));
    let live = Live::of(&meeting, &tally, during());
    assert_eq!(pair(&live.questions[0]), (None, None));
}

/// A building of sole owners, some of whose ballots come in the order given, each with one
/// answer (0 за, 1 против, 2 воздержался, 3 no mark) to every question.
fn generated() -> impl Strategy<Value = (Vec<u32>, Vec<(usize, [u8; 4])>)> {
    prop::collection::vec(1u32..60, 2..9).prop_flat_map(|areas| {
        let n = areas.len();
        let order = Just((0..n).collect::<Vec<usize>>()).prop_shuffle();
        let answers = prop::collection::vec(prop::array::uniform4(0u8..4), n);
        let voters = 0..=n;
        (Just(areas), order, answers, voters).prop_map(|(areas, order, answers, voters)| {
            let ballots = order.into_iter().take(voters).map(|i| (i + 1, answers[i])).collect();
            (areas, ballots)
        })
    })
}

fn lives(areas: &[u32], ballots: &[(usize, [u8; 4])], today: NaiveDate) -> Vec<(Tally, Live)> {
    let registry = building(areas);
    let meeting = agenda();
    (0..=ballots.len())
        .map(|k| {
            let rows: Vec<String> = ballots[..k].iter().map(|(p, a)| row(*p, a)).collect();
            let tally = tally(&registry, &meeting, &ballots_of(&registry, &rows));
            let live = Live::of(&meeting, &tally, today);
            (tally, live)
        })
        .collect()
}

/// A ballot row of premise `p`'s owner with the generated answers.
fn row(p: usize, answers: &[u8; 4]) -> String {
    let words = answers.map(|a| ["за", "против", "воздержался", ""][a as usize]);
    format!("{p};О{p};{};;", words.join(";"))
}

fn ballots_of(registry: &Registry, rows: &[String]) -> Vec<obhod_core::Ballot> {
    if rows.is_empty() { Vec::new() } else { ballots(registry, 4, &rows.join("\n")) }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_further_decision_never_unsettles_a_verdict((areas, ballots) in generated()) {
        let (_, last) = lives(&areas, &ballots, after()).pop().unwrap();
        let lives = lives(&areas, &ballots, during());
        for (_, live) in &lives {
            for (s, end) in live.questions.iter().zip(&last.questions) {
                if s.prospect != Some(Prospect::Open) {
                    prop_assert_eq!(s.prospect, end.prospect, "settled before the end, otherwise at it");
                }
            }
        }
        for step in lives.windows(2) {
            let (before, after) = (&step[0].1, &step[1].1);
            for (b, a) in before.questions.iter().chain([&before.quorum]).zip(after.questions.iter().chain([&after.quorum])) {
                if b.prospect != Some(Prospect::Open) {
                    prop_assert_eq!(a.prospect, b.prospect, "a settled verdict moved");
                }
            }
        }
    }

    #[test]
    fn nothing_is_needed_exactly_when_adopted_but_at_a_tie_of_a_strict_majority((areas, ballots) in generated()) {
        for (tally, live) in lives(&areas, &ballots, during()) {
            for (index, s) in live.questions.iter().enumerate() {
                let zero = s.needed.as_ref().is_some_and(|n| *n == q("0"));
                match s.prospect {
                    Some(Prospect::Adopted) => prop_assert!(zero),
                    Some(Prospect::Lost) => prop_assert!(s.needed.is_none()),
                    _ => {
                        let result = &tally.questions[index];
                        let tie = s.strictly && (result.for_votes.clone() * q("2") == tally.total
                            || tally.participated.clone() * q("2") == tally.total);
                        prop_assert!(!zero || tie, "open with nothing needed: {:?}", s);
                    }
                }
            }
        }
    }

    #[test]
    fn at_the_end_the_verdict_is_the_final_counts((areas, ballots) in generated()) {
        let (tally, live) = lives(&areas, &ballots, after()).pop().unwrap();
        for (result, s) in tally.questions.iter().zip(&live.questions) {
            let expected = if result.adopted == Some(true) { Prospect::Adopted } else { Prospect::Lost };
            prop_assert_eq!(s.prospect, Some(expected));
        }
        let quorum = if tally.quorum { Prospect::Adopted } else { Prospect::Lost };
        prop_assert_eq!(live.quorum.prospect, Some(quorum));
    }

    #[test]
    fn the_votes_needed_for_it_settle_an_open_question_whatever_the_rest_do((areas, ballots) in generated()) {
        // The holdings still to come vote «за» in order until the need is met (exceeded for a
        // strict majority); the rest vote «против», or stay away: either way it is adopted.
        let (_, live) = lives(&areas, &ballots, during()).pop().unwrap();
        let registry = building(&areas);
        let meeting = agenda();
        let waiting: Vec<usize> = (1..=areas.len()).filter(|p| !ballots.iter().any(|(b, _)| b == p)).collect();
        let words = |answer: &str, j: usize| {
            let mut all = ["против"; 4];
            all[j] = answer;
            all.join(";")
        };
        for (j, s) in live.questions.iter().enumerate() {
            if s.prospect != Some(Prospect::Open) {
                continue;
            }
            let needed = s.needed.clone().unwrap();
            let mut given = q("0");
            let mut rows: Vec<String> = ballots.iter().map(|(p, a)| row(*p, a)).collect();
            let mut away = rows.clone();
            for p in &waiting {
                let met = if s.strictly { given > needed } else { given >= needed };
                if met {
                    rows.push(format!("{p};О{p};{};;", words("против", j)));
                } else {
                    given += q(&areas[p - 1].to_string());
                    rows.push(format!("{p};О{p};{};;", words("за", j)));
                    away.push(format!("{p};О{p};{};;", words("за", j)));
                }
            }
            for rows in [rows, away] {
                let tally = tally(&registry, &meeting, &ballots_of(&registry, &rows));
                prop_assert_eq!(tally.questions[j].adopted, Some(true), "question {} with {} given", j + 1, given);
            }
        }
    }
}
