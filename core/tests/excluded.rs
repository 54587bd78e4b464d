//! What the count hands the protocol beside its figures: the decisions it left out, with their
//! reasons, and for each holding carried by its owner's decision for another premise, that premise.

mod common;

use chrono::NaiveDate;
use common::{ballots, meeting, registry, tally};
use obhod_core::{Excluded, Exclusion};

#[test]
fn the_count_lists_the_decisions_it_left_out_with_their_reasons_in_the_order_given() {
    let registry = registry("1;flat;50;;;;;Иванов;;;\n2;flat;50;;;;;Петров;;;\n3;flat;50;;;;;Сидоров;;;");
    let meeting = meeting(&[("other", None)]);
    let rows = "3;Сидоров;за;2026-12-21;\n1;Иванов;за;2026-12-12;нет подписи\n2;Петров;за;2026-12-20;";
    let tally = tally(&registry, &meeting, &ballots(&registry, 1, rows));
    let late = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    assert_eq!(
        tally.excluded,
        [
            Excluded { premise: "3".into(), owner: "Сидоров".into(), line: 2, reason: Exclusion::Late(late) },
            Excluded {
                premise: "1".into(),
                owner: "Иванов".into(),
                line: 3,
                reason: Exclusion::Defective("нет подписи".into())
            },
        ]
    );
    assert_eq!(tally.took_part, [false, true, false], "the last day of voting still counts");
}

#[test]
fn a_holding_carried_by_its_owners_decision_for_another_premise_names_that_premise() {
    let registry = registry(
        "1;flat;50;;;;;Город;municipal;;\nН-1;nonresidential;30;;;;;Город;municipal;;\n2;flat;50;;;;;Петров;;;",
    );
    let meeting = meeting(&[("other", None)]);
    let tally = tally(&registry, &meeting, &ballots(&registry, 1, "Н-1;Город;за;;\n2;Петров;против;;"));
    assert_eq!(tally.carried, [Some("Н-1".to_owned()), None, None]);
    assert_eq!(tally.took_part, [true, true, true]);
}
