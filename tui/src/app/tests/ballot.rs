//! The ballot-entry screen: every step at a phone's 40×20 and a laptop's 100×30 and its first
//! field with the keyboard open (45×14); a joint group's decision typed by keys and recorded
//! only by the last Enter, the count following at once; Esc a step back; a proxy; a voter who
//! already has a decision, replaced; the keys on the Russian layout.

use obhod_core::{Answer, Lang};

use super::{Fixture, compact_snapshots, demo, press, screen, snapshot_at, snapshots};
use crate::app::Layer;

/// Flat 14: Павлова Софья Андреевна and Павлов Пётр Николаевич, jointly.
const ANSWERS: &str = "12312310";

fn standing(f: &Fixture) -> Vec<obhod_store::Decision> {
    f.app.campaign.decision_list().into_iter().filter(|d| d.withdrawn.is_none()).collect()
}

#[test]
fn every_step_of_a_joint_groups_decision_by_proxy_and_nothing_recorded_before_the_last_enter() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "b");
    snapshots("ballot_premise", &mut f.app);
    compact_snapshots("ballot_premise_compact", &mut f.app);
    press(&mut f.app, "14\n");
    snapshots("ballot_voter", &mut f.app);
    snapshot_at("ballot_voter_keyboard_open", &mut f.app, 45, 14);
    press(&mut f.app, "\n123");
    snapshots("ballot_answer", &mut f.app);
    // With the keyboard open the keys still answer.
    snapshot_at("ballot_answer_keyboard_open", &mut f.app, 45, 14);
    press(&mut f.app, "12310");
    snapshots("ballot_received", &mut f.app);
    press(&mut f.app, "\n");
    snapshots("ballot_signer", &mut f.app);
    press(&mut f.app, "3");
    snapshots("ballot_representative", &mut f.app);
    press(&mut f.app, "Павлова Анна Петровна\n");
    snapshots("ballot_proxy_date", &mut f.app);
    press(&mut f.app, "01.11\n");
    snapshots("ballot_proxy_until", &mut f.app);
    press(&mut f.app, "\n");
    snapshots("ballot_certified_by", &mut f.app);
    press(&mut f.app, "нотариус Орлова\n");
    snapshots("ballot_defect", &mut f.app);
    press(&mut f.app, "0");
    snapshots("ballot_review", &mut f.app);
    assert!(standing(&f).is_empty(), "nothing recorded before the last Enter");
    assert!(f.app.tally().is_none());
    press(&mut f.app, "\n");
    snapshots("ballot_recorded", &mut f.app);
    let list = standing(&f);
    assert_eq!(list.len(), 1);
    let decision = &list[0];
    assert_eq!((decision.premise.as_str(), decision.owner.as_str()), ("14", "Павлова Софья Андреевна"));
    assert_eq!(decision.answers[..3], [Some(Answer::For), Some(Answer::Against), Some(Answer::Abstain)]);
    assert_eq!(decision.representative.as_deref(), Some("Павлова Анна Петровна"));
    assert_eq!(decision.proxy_date, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
    assert_eq!(decision.received, chrono::NaiveDate::from_ymd_opt(2026, 11, 21), "today by default");
    assert!(f.app.tally().is_some(), "the quorum panel follows at once");
    assert_eq!(*f.app.top(), Layer::Building);
}

#[test]
fn with_the_keyboard_open_the_answers_are_typed_and_recorded() {
    let mut f = demo(false, Lang::Ru);
    f.app.resize(45, 14);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n10\n"));
    assert_eq!(standing(&f).len(), 1, "{:?}", f.app.message);
}

/// Each decision typed moves the quorum panel's count by exactly what counting every ballot again
/// gives: first decisions added to the running count, a replacement counted again.
#[test]
fn the_count_after_each_decision_typed_is_the_full_count() {
    let mut f = demo(false, Lang::Ru);
    for (n, flat) in ["14", "1", "2", "3"].iter().enumerate() {
        press(&mut f.app, &format!("b{flat}\n\n{ANSWERS}\n10\n"));
        assert_eq!(standing(&f).len(), n + 1, "{:?}", f.app.message);
        assert_eq!(f.app.tally(), Some(&f.app.campaign.tally()), "after the decision for {flat}");
    }
    let before = f.app.tally().map(|t| t.questions[0].for_votes.clone());
    press(&mut f.app, &format!("b14\n\n1{}\n10\n", "22222222"));
    assert_eq!(standing(&f).len(), 4, "replaced: {:?}", f.app.message);
    assert_eq!(f.app.tally(), Some(&f.app.campaign.tally()), "after the replacement");
    assert_ne!(f.app.tally().map(|t| t.questions[0].for_votes.clone()), before, "the replacement counts");
}

#[test]
fn esc_goes_back_a_step_with_what_was_typed_and_out_of_the_entry_with_nothing_recorded() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "b14\n\n12");
    press(&mut f.app, "\x1b");
    let Layer::Ballot(draft) = f.app.top() else { panic!("{:?}", f.app.top()) };
    assert_eq!(draft.step, Some(crate::app::screen::ballot::Step::Answer(1)), "back to question 2");
    press(&mut f.app, "\x1b\x1b\x1b");
    assert!(matches!(f.app.top(), Layer::Prompt { text, .. } if text == "14"), "the premise typed, again");
    press(&mut f.app, "\x1b");
    assert_eq!(*f.app.top(), Layer::Building);
    assert_eq!(f.app.message.as_deref(), Some("Ввод решения закрыт: ничего не записано"));
    assert!(standing(&f).is_empty());
}

#[test]
fn an_unknown_premise_is_refused_with_the_nearest_labels_and_typed_again() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "bН-99\n");
    let message = f.app.message.clone().unwrap_or_default();
    assert!(message.starts_with("✗ помещения «Н-99» нет в реестре; похожие: "), "{message}");
    assert!(matches!(f.app.top(), Layer::Prompt { text, .. } if text == "Н-99"), "kept to be corrected");
}

#[test]
fn on_the_russian_layout_and_from_the_card_the_entry_starts_at_the_cards_premise() {
    let mut f = demo(false, Lang::Ru);
    f.app.open(f.app.campaign.registry().find("14").unwrap());
    press(&mut f.app, "и");
    let Layer::Ballot(draft) = f.app.top() else { panic!("{:?}", f.app.top()) };
    assert_eq!(draft.premise, f.app.campaign.registry().find("14"));
    press(&mut f.app, &format!("\n{ANSWERS}\n1л0"));
    assert_eq!(standing(&f).len(), 0, "«л» is no key of the defect step: nothing recorded");
    press(&mut f.app, "\n");
    assert_eq!(standing(&f).len(), 1);
}

#[test]
fn a_voter_with_a_decision_is_shown_it_and_a_correction_replaces_it() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n10\n"));
    let first = standing(&f)[0].id.clone();
    // The other member of the joint group: the same voter.
    press(&mut f.app, "b14\n");
    press(&mut f.app, "\n");
    snapshots("ballot_held", &mut f.app);
    press(&mut f.app, &format!("1{}\n10", "22222222"));
    snapshots("ballot_replacement_review", &mut f.app);
    press(&mut f.app, "\n");
    let list = standing(&f);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].replaces.as_deref(), Some(first.as_str()));
    assert!(list[0].answers.iter().all(|a| *a == Some(Answer::Against)));
    let message = f.app.message.clone().unwrap_or_default();
    assert!(message.contains(&format!("вместо {first}")), "{message}");
}

#[test]
fn a_decision_is_withdrawn_with_a_note_from_the_entry() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n10\n"));
    press(&mut f.app, "b14\n\n3");
    snapshots("ballot_withdraw_note", &mut f.app);
    press(&mut f.app, "не тот бланк\n");
    assert!(standing(&f).is_empty());
    let list = f.app.campaign.decision_list();
    let withdrawal = f.app.campaign.fact(list[0].withdrawn.as_ref().unwrap()).unwrap();
    assert_eq!(withdrawal.note.as_deref(), Some("не тот бланк"));
}

#[test]
fn a_decision_received_after_the_end_of_voting_is_recorded_and_said_not_to_count() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}"));
    // The prompt holds today's date: cleared and typed.
    for _ in 0..10 {
        f.app.key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Backspace,
            crossterm::event::KeyModifiers::NONE,
        ));
    }
    press(&mut f.app, "21.12\n10\n");
    let message = f.app.message.clone().unwrap_or_default();
    assert!(message.contains("получено после окончания голосования 20.12.2026: не засчитывается"), "{message}");
    assert!(f.app.caution);
    assert_eq!(standing(&f).len(), 1);
}

/// Clears the field on top (the day received comes filled in).
fn clear(app: &mut crate::app::App) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for _ in 0..12 {
        app.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
}

#[test]
fn check_mode_shows_every_difference_from_the_decision_recorded_and_writes_nothing() {
    // Flat 14's decision in the demo: Павлов, за ×6, воздержался, против, received 11.12.2026.
    let mut f = demo(true, Lang::Ru);
    let before = f.app.campaign.decision_list();
    press(&mut f.app, "e14\n");
    snapshots("ballot_check_voter", &mut f.app);
    // Typed blind: the decision recorded is not shown; question 7 mistyped, today's date kept.
    press(&mut f.app, "\n11111112\n10");
    snapshots("ballot_check_review", &mut f.app);
    press(&mut f.app, "\n");
    snapshots("ballot_check_differences", &mut f.app);
    let Layer::Ballot(draft) = f.app.top() else { panic!("{:?}", f.app.top()) };
    assert_eq!(
        draft.differences,
        [
            "вопрос 7: записано «воздержался», введено «за»",
            "дата получения: записано «11.12.2026», введено «21.11.2026»"
        ]
    );
    press(&mut f.app, "\n");
    assert_eq!(*f.app.top(), Layer::Building);
    assert_eq!(f.app.message.as_deref(), Some("Сверка закрыта: ничего не записано"));
    assert_eq!(f.app.campaign.decision_list(), before, "nothing written");
}

#[test]
fn check_mode_says_so_when_the_second_entry_matches() {
    let mut f = demo(true, Lang::Ru);
    f.app.open(f.app.campaign.registry().find("14").unwrap());
    // «у» is the key of «e».
    press(&mut f.app, "у\n11111132");
    clear(&mut f.app);
    press(&mut f.app, "11.12.2026\n10\n");
    let Layer::Ballot(draft) = f.app.top() else { panic!("{:?}", f.app.top()) };
    assert!(draft.differences.is_empty(), "{:?}", draft.differences);
    assert!(screen(&mut f.app, 40, 20).contains("✓ Совпадает с записанным решением"));
}

#[test]
fn an_other_defect_takes_its_reason_and_a_blank_one_is_asked_again() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n15"));
    snapshots("ballot_defect_other", &mut f.app);
    press(&mut f.app, "\n");
    assert_eq!(f.app.message.as_deref(), Some("✗ впишите причину дефекта"));
    press(&mut f.app, "залито водой\n");
    assert!(screen(&mut f.app, 40, 20).contains("Дефект: залито водой"));
    press(&mut f.app, "\n");
    assert_eq!(standing(&f)[0].defect.as_deref(), Some("залито водой"));
    assert!(f.app.tally().is_some_and(|t| !t.excluded.is_empty()), "a defective decision is left out");
}

#[test]
fn q_in_the_middle_of_a_decision_asks_once_before_quitting_without_it() {
    let mut f = demo(false, Lang::Ru);
    press(&mut f.app, "b14\n\n12q");
    assert!(!f.app.quit);
    assert_eq!(f.app.message.as_deref(), Some("Решение по кв. 14 НЕ записано. q ещё раз — выйти без него"));
    press(&mut f.app, "3");
    let Layer::Ballot(draft) = f.app.top() else { panic!("{:?}", f.app.top()) };
    assert_eq!(draft.answers.len(), 3, "the entry goes on after the question");
    press(&mut f.app, "qq");
    assert!(f.app.quit);
}

#[test]
fn a_proxy_dated_after_the_decision_is_said_not_to_count_before_it_is_recorded() {
    let mut f = demo(false, Lang::Ru);
    // Received today, 21.11.2026; the proxy dated 25.11.2026.
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n3Павлова Анна\n25.11.2026\n\n\n0"));
    let review = screen(&mut f.app, 100, 30);
    assert!(
        review.contains("⚠ доверенность от 25.11.2026 выдана после решения (21.11.2026): не будет засчитано"),
        "{review}"
    );
}

#[test]
fn the_entry_in_english() {
    let mut f = demo(false, Lang::En);
    press(&mut f.app, &format!("b14\n\n{ANSWERS}\n2Павлова Анна\n0"));
    snapshots("ballot_review_en", &mut f.app);
}
