//! The running count (`Running`, the ballot-entry screen's): a decision added to it gives exactly
//! the full count of all the ballots, whatever came before — decisions added, withdrawn, for a
//! voter who already had one, defective, late, early, for an owner of several premises.

mod common;

use common::{meeting, try_ballots, try_registry};
use obhod_core::{Ballot, Registry, Running, Tally, Weights};
use proptest::prelude::*;

/// A premise as the generator describes it.
#[derive(Debug, Clone)]
enum Shape {
    Sole,
    /// Shares proportional to these positive parts.
    Shared(Vec<u32>),
    /// A joint group of this many members.
    Joint(usize),
    /// Room areas in hundredths of m².
    Communal(Vec<u32>),
    /// A flat of the municipality, which votes all its flats with one decision.
    Municipal,
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        4 => Just(Shape::Sole),
        2 => prop::collection::vec(1u32..12, 2..4).prop_map(Shape::Shared),
        1 => (2usize..4).prop_map(Shape::Joint),
        1 => prop::collection::vec(500u32..3000, 2..4).prop_map(Shape::Communal),
        1 => Just(Shape::Municipal),
    ]
}

const MUNICIPALITY: &str = "Администрация города";

fn m2(hundredths: u32) -> String {
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}

/// Registry rows (without header) and every (premise, owner) who may sign.
fn building(shapes: &[(Shape, u32)]) -> (String, Vec<(String, String)>) {
    let (mut rows, mut voters) = (Vec::new(), Vec::new());
    for (i, (shape, extra)) in shapes.iter().enumerate() {
        let p = (i + 1).to_string();
        let mut row = |area: u32, room: Option<(usize, u32)>, owner: String, kind: &str, share: String, joint: &str| {
            let (room, room_area) = room.map_or((String::new(), String::new()), |(r, a)| (format!("к{r}"), m2(a)));
            rows.push(format!("{p};flat;{};;;{room};{room_area};{owner};{kind};{share};{joint}", m2(area)));
            voters.push((p.clone(), owner));
        };
        match shape {
            Shape::Sole => row(2000 + extra, None, format!("О{p}"), "", String::new(), ""),
            Shape::Shared(parts) => {
                let sum: u32 = parts.iter().sum();
                for (k, part) in parts.iter().enumerate() {
                    row(3000 + extra, None, format!("Д{p}-{k}"), "", format!("{part}/{sum}"), "");
                }
            }
            Shape::Joint(members) => {
                for k in 0..*members {
                    row(4000 + extra, None, format!("С{p}-{k}"), "", String::new(), "семья");
                }
            }
            Shape::Communal(rooms) => {
                let area = rooms.iter().sum::<u32>() + extra;
                for (r, room_area) in rooms.iter().enumerate() {
                    row(area, Some((r, *room_area)), format!("К{p}-{r}"), "", String::new(), "");
                }
            }
            Shape::Municipal => row(5000 + extra, None, MUNICIPALITY.into(), "municipal", String::new(), ""),
        }
    }
    voters.dedup();
    (rows.join("\n"), voters)
}

/// What happens next on the screen.
#[derive(Debug, Clone)]
enum Step {
    /// A decision of voter `n` (modulo their number): answers, and how it was received.
    Add { voter: usize, answers: [u8; 2], kind: u8 },
    /// Decision `n` (modulo their number) withdrawn.
    Withdraw(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => (any::<usize>(), any::<[u8; 2]>(), 0u8..12).prop_map(|(voter, answers, kind)| Step::Add { voter, answers, kind }),
        1 => any::<usize>().prop_map(Step::Withdraw),
    ]
}

/// One ballot of `voter`: mostly plain, sometimes defective, late, early or dated in time.
fn ballot(registry: &Registry, (premise, owner): &(String, String), answers: [u8; 2], kind: u8) -> Ballot {
    let words = ["за", "против", "воздержался", ""];
    let [a, b] = answers.map(|a| words[usize::from(a) % 4]);
    let (received, defect) = match kind {
        0 => ("2026-12-25", ""),
        1 => ("2025-01-10", ""),
        2 => ("", "нет подписи"),
        3 => ("2026-12-15", ""),
        _ => ("", ""),
    };
    let row = format!("{premise};{owner};{a};{b};{received};{defect}");
    let mut ballots = try_ballots(registry, 2, &row).unwrap_or_else(|e| panic!("{row}: {e}"));
    ballots.remove(0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_running_count_is_the_full_count_after_any_steps(
        shapes in prop::collection::vec((shape(), 0u32..5000), 1..16),
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let (rows, voters) = building(&shapes);
        let registry = try_registry(&rows).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let weights = Weights::compute(&registry);
        let m = meeting(&[("other", None), ("4", None)]);
        let mut ballots: Vec<Ballot> = Vec::new();
        let mut running = Running::count(&registry, &weights, &m, &ballots);
        for step in steps {
            match step {
                Step::Add { voter, answers, kind } => {
                    let ballot = ballot(&registry, &voters[voter % voters.len()], answers, kind);
                    ballots.push(ballot.clone());
                    if !running.add(&registry, &weights, &m, &ballot) {
                        running = Running::count(&registry, &weights, &m, &ballots);
                    }
                }
                Step::Withdraw(n) if !ballots.is_empty() => {
                    ballots.remove(n % ballots.len());
                    running = Running::count(&registry, &weights, &m, &ballots);
                }
                Step::Withdraw(_) => {}
            }
            prop_assert_eq!(running.tally(), &Tally::count(&registry, &weights, &m, &ballots));
        }
    }
}

/// The common case is added, not counted again: a sole owner's decision, then a joint group's,
/// then a communal room's; the municipality's (its votes span premises), a second decision of one
/// owner and a late one are not.
#[test]
fn a_first_decision_on_time_is_added_and_the_rest_counted_again() {
    let shapes = [
        (Shape::Sole, 0),
        (Shape::Joint(2), 10),
        (Shape::Communal(vec![1200, 1800]), 300),
        (Shape::Municipal, 0),
        (Shape::Municipal, 7),
        (Shape::Sole, 5),
    ];
    let (rows, _) = building(&shapes);
    let registry = try_registry(&rows).unwrap();
    let weights = Weights::compute(&registry);
    let m = meeting(&[("other", None), ("4", None)]);
    let mut ballots = Vec::new();
    let mut running = Running::count(&registry, &weights, &m, &ballots);
    let voter = |premise: &str, owner: &str| (premise.to_string(), owner.to_string());
    let cases = [
        (voter("1", "О1"), 9, true),
        (voter("2", "С2-1"), 9, true),
        (voter("3", "К3-0"), 9, true),
        (voter("4", MUNICIPALITY), 9, false),
        (voter("1", "О1"), 9, false),
        (voter("2", "С2-0"), 9, false),
        (voter("6", "О6"), 0, false),
    ];
    for (voter, kind, added) in cases {
        let ballot = ballot(&registry, &voter, [0, 1], kind);
        ballots.push(ballot.clone());
        assert_eq!(running.add(&registry, &weights, &m, &ballot), added, "{voter:?}");
        if !added {
            running = Running::count(&registry, &weights, &m, &ballots);
        }
        assert_eq!(running.tally(), &Tally::count(&registry, &weights, &m, &ballots), "{voter:?}");
    }
    assert!(running.tally().quorum, "the decisions make quorum");
}
