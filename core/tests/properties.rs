//! Laws of the arithmetic, checked on generated buildings: complete shares sum to
//! exactly TOTAL, and the count does not depend on the order of rows.

mod common;

use common::{meeting, try_ballots, try_registry};
use obhod_core::number::exact;
use obhod_core::{Tally, Votes, Weights};
use proptest::prelude::*;

/// A premise as the generator describes it.
#[derive(Debug, Clone)]
enum Shape {
    Sole,
    /// Shares proportional to these positive parts.
    Shared(Vec<u32>),
    /// A joint group of this many members.
    Joint(usize),
    /// Room areas in hundredths of m² and how many owners share each room.
    Communal(Vec<(u32, usize)>),
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        4 => Just(Shape::Sole),
        2 => prop::collection::vec(1u32..12, 2..4).prop_map(Shape::Shared),
        1 => (2usize..4).prop_map(Shape::Joint),
        2 => prop::collection::vec((500u32..3000, 1usize..3), 2..5).prop_map(Shape::Communal),
    ]
}

fn m2(hundredths: u32) -> String {
    format!("{},{:02}", hundredths / 100, hundredths % 100)
}

/// Registry rows (without header) for the shapes, every share complete.
fn rows(shapes: &[(Shape, u32)]) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, (shape, extra)) in shapes.iter().enumerate() {
        let p = i + 1;
        match shape {
            Shape::Sole => rows.push(format!("{p};flat;{};;;;;О{p};;;", m2(2000 + extra))),
            Shape::Shared(parts) => {
                let sum: u32 = parts.iter().sum();
                for (k, part) in parts.iter().enumerate() {
                    rows.push(format!("{p};flat;{};;;;;Д{p}-{k};;{part}/{sum};", m2(3000 + extra)));
                }
            }
            Shape::Joint(members) => {
                for k in 0..*members {
                    rows.push(format!("{p};flat;{};;;;;С{p}-{k};;;семья", m2(4000 + extra)));
                }
            }
            Shape::Communal(rooms) => {
                let area: u32 = rooms.iter().map(|r| r.0).sum::<u32>() + extra;
                for (r, (room_area, owners)) in rooms.iter().enumerate() {
                    for k in 0..*owners {
                        let share = if *owners > 1 { format!("1/{owners}") } else { String::new() };
                        rows.push(format!("{p};flat;{};;;к{r};{};К{p}-{r}-{k};;{share};", m2(area), m2(*room_area)));
                    }
                }
            }
        }
    }
    rows
}

/// One ballot per owner that votes: `(row index, answers)`.
fn ballot_rows(rows: &[String], votes: &[(bool, [u8; 2])]) -> Vec<String> {
    let words = ["за", "против", "воздержался", ""];
    rows.iter()
        .zip(votes.iter().cycle())
        .filter(|(_, (votes, _))| *votes)
        .map(|(row, (_, answers))| {
            let fields: Vec<&str> = row.split(';').collect();
            let a = answers.map(|a| words[a as usize % 4]);
            format!("{};{};{};{};;", fields[0], fields[7], a[0], a[1])
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn complete_shares_sum_exactly_to_total(shapes in prop::collection::vec((shape(), 0u32..5000), 1..40)) {
        let text = rows(&shapes).join("\n");
        let registry = try_registry(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let weights = Weights::compute(&registry);
        let sum: Votes = weights.holdings.iter().map(|h| &h.votes).sum();
        prop_assert_eq!(exact(&sum), exact(&weights.total));
        prop_assert!(weights.warnings.is_empty());
    }

    #[test]
    fn the_count_does_not_depend_on_row_order(
        shapes in prop::collection::vec((shape(), 0u32..5000), 1..25),
        votes in prop::collection::vec((any::<bool>(), any::<[u8; 2]>()), 1..20),
        seed in any::<u64>(),
    ) {
        let registry_rows = rows(&shapes);
        let ballots = ballot_rows(&registry_rows, &votes);
        let m = meeting(&[("other", None), ("4", None)]);
        let count = |registry_rows: &[String], ballot_rows: &[String]| -> Result<_, TestCaseError> {
            let registry = try_registry(&registry_rows.join("\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let ballots = try_ballots(&registry, 2, &ballot_rows.join("\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let tally = Tally::count(&registry, &Weights::compute(&registry), &m, &ballots);
            let mut codes: Vec<_> = tally.warnings.iter().map(|w| (w.code(), w.premise().map(str::to_owned), w.question())).collect();
            codes.sort();
            Ok((tally.total, tally.participated, tally.quorum, tally.questions, tally.strict, codes))
        };
        let reversed_registry: Vec<String> = registry_rows.iter().rev().cloned().collect();
        let mut shuffled_ballots = ballots.clone();
        shuffle(&mut shuffled_ballots, seed);
        prop_assert_eq!(count(&registry_rows, &ballots)?, count(&reversed_registry, &shuffled_ballots)?);
    }

    /// The strict reading never counts more: its total holds every owned vote and the unowned
    /// premises, its participants are among the main count's, and a decision of all votes it
    /// adopts the main count adopts too.
    #[test]
    fn the_strict_reading_never_adopts_what_the_main_count_does_not(
        shapes in prop::collection::vec((shape(), 0u32..5000), 1..25),
        unowned in prop::collection::vec(100u32..9000, 0..4),
        votes in prop::collection::vec((any::<bool>(), any::<[u8; 2]>()), 1..20),
    ) {
        let mut registry_rows = rows(&shapes);
        let ballots = ballot_rows(&registry_rows, &votes);
        for (i, area) in unowned.iter().enumerate() {
            registry_rows.push(format!("П{i};flat;{};;;;;;;;", m2(*area)));
        }
        let registry = try_registry(&registry_rows.join("\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ballots = try_ballots(&registry, 2, &ballots.join("\n")).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let m = meeting(&[("other", None), ("4", None)]);
        let tally = Tally::count(&registry, &Weights::compute(&registry), &m, &ballots);
        let unowned_area: Votes = unowned.iter().map(|a| Votes::new((*a).into(), 100.into())).sum();
        prop_assert_eq!(&tally.strict.total, &(&tally.total + unowned_area));
        prop_assert!(tally.strict.participated <= tally.participated);
        prop_assert!(!tally.strict.quorum || tally.quorum);
        let all_votes = &tally.strict.questions[1];
        prop_assert!(all_votes.adopted != Some(true) || tally.questions[1].adopted == Some(true));
    }
}

/// A deterministic Fisher–Yates shuffle from a seed.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        items.swap(i, (seed >> 33) as usize % (i + 1));
    }
}
