//! `obhod registry update` run as the real binary: every difference shown with the votes it
//! moves, the registry recorded and read by every later command, the records of an owner no
//! longer there listed and counted for no one; refusals (after the end of voting, nothing
//! changed) with exit 2 and nothing written.

use serde_json::Value;

mod support;
use support::{Workdir, fixture};

/// A campaign of the guide's building whose voting ends on `voting_ends` (the command reads
/// today's date), made from copies of its files in the working directory.
fn campaign(year: u32) -> Workdir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["meeting.toml", "registry.csv", "ballots.csv"] {
        std::fs::copy(fixture("guide-example", file), dir.path().join(file)).unwrap();
    }
    let meeting = dir.path().join("meeting.toml");
    let text = std::fs::read_to_string(&meeting).unwrap().replace("2026-12-", &format!("{year}-12-"));
    std::fs::write(&meeting, text).unwrap();
    let workdir = Workdir { dir };
    workdir.ok(&["init", "--meeting", &workdir.at("meeting.toml")]);
    workdir
}

/// Writes `name` in the working directory: the guide's registry with each pair replaced.
fn registry(workdir: &Workdir, name: &str, changes: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(workdir.file("registry.csv")).unwrap();
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    std::fs::write(workdir.file(name), text).unwrap();
    workdir.at(name)
}

const FLAT_1: (&str, &str) = ("1,flat,100,1,1,", "1,flat,120,1,1,");
const SOLD: (&str, &str) = ("Петров Пётр Петрович", "Новиков Павел Андреевич");

#[test]
fn a_corrected_area_is_shown_with_the_votes_it_moves_and_counted_at_once() {
    let workdir = campaign(2099);
    assert_eq!(workdir.status()["total"], "500");
    let file = registry(&workdir, "registry-2.csv", &[FLAT_1]);
    let out = workdir.ok(&["registry", "update", "--registry", &file]);
    for line in [
        "  помещение 1: площадь 100,00 м² в A, 120,00 м² в B; голосов 100,00 в A, 120,00 в B\n",
        "Всего голосов: было 500,00, стало 520,00. Записано в кампанию.\n",
    ] {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }
    let status = workdir.status();
    assert_eq!(status["total"], "520", "every later command reads the new registry");
    assert_eq!(status["registry_versions"], 1);
    let tally: Value = serde_json::from_str(&workdir.ok(&["--json", "tally"])).unwrap();
    assert!(tally.to_string().contains("\"520\""), "{tally}");
}

#[test]
fn a_sold_rooms_old_owners_delivery_and_decision_are_listed_and_count_for_no_one() {
    let workdir = campaign(2099);
    workdir.ok(&["mark", "2", "delivered", "--owner", "Петров Пётр Петрович"]);
    workdir.ok(&["ballots", "import", &workdir.at("ballots.csv")]);
    let file = registry(&workdir, "sold.csv", &[SOLD]);
    let out: Value = serde_json::from_str(&workdir.ok(&["--json", "registry", "update", "--registry", &file])).unwrap();
    let kinds: Vec<&str> = out["orphans"].as_array().unwrap().iter().map(|o| o["record"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["fact", "decision"]);
    let mut codes: Vec<&str> =
        out["differences"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["owner_added", "owner_gone"], "a new owner, not the old one spelt otherwise");
    let status = workdir.status();
    assert_eq!(status["orphans"], out["orphans"], "listed by status for as long as the registry stands");
    let flat = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap();
    let new_owner = flat["owners"].as_array().unwrap().iter().find(|o| o["owner"] == SOLD.1).unwrap();
    assert_eq!(new_owner["notified"], false, "the old owner's notice is not his");
    let text = workdir.ok(&["status"]);
    assert!(text.contains("«Петров Пётр Петрович» больше не собственник помещения 2"), "{text}");
}

#[test]
fn after_the_end_of_voting_the_registry_is_refused_and_nothing_written() {
    let workdir = campaign(2020);
    let file = registry(&workdir, "registry-2.csv", &[FLAT_1]);
    let message = workdir.refused(&["registry", "update", "--registry", &file]);
    assert!(message.contains("приём решений окончен 20.12.2020"), "{message}");
    assert!(message.contains("ничего не записано"), "{message}");
    let english = workdir.refused(&["--lang", "en", "registry", "update", "--registry", &file]);
    assert!(english.contains("voting ended on 2020-12-20"), "{english}");
}

#[test]
fn the_same_registry_again_is_refused_and_nothing_written() {
    let workdir = campaign(2099);
    let file = registry(&workdir, "same.csv", &[]);
    let message = workdir.refused(&["registry", "update", "--registry", &file]);
    assert!(message.contains("те же, что в реестре кампании"), "{message}");
}

#[test]
fn a_delivery_to_every_owner_of_a_flat_that_gains_an_owner_is_said_not_to_reach_him_and_he_is_not_notified() {
    let workdir = campaign(2099);
    let id: Value = serde_json::from_str(&workdir.ok(&["--json", "mark", "2", "delivered"])).unwrap();
    let id = id["id"].as_str().unwrap();
    let file = registry(&workdir, "sold.csv", &[SOLD]);
    let out = workdir.ok(&["registry", "update", "--registry", &file]);
    let line = format!(
        "  ! факт {id} («вручено под роспись», все собственники помещения 2) записан до этого реестра и к «Новиков \
         Павел Андреевич» не относится: уведомлением для них он не считается\n"
    );
    assert!(out.contains(&line), "{line:?} in:\n{out}");
    assert!(!out.contains("obhod undo"), "nothing to withdraw: {out}");

    let status = workdir.status();
    let flat = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap();
    let owner = |name: &str| flat["owners"].as_array().unwrap().iter().find(|o| o["owner"] == name).unwrap().clone();
    assert_eq!(owner(SOLD.1)["notified"], false, "the buyer was never handed the notice");
    assert_eq!(owner("Смирнова Анна Павловна")["notified"], true, "those who stay keep it");
    assert_eq!(status["registry_version"], 1);
    assert_eq!(status["unreached"][0]["id"], id, "status names the mark as long as the registry stands");
    assert_eq!(status["unreached"][0]["owners"], serde_json::json!([SOLD.1]));
    let text = workdir.ok(&["status"]);
    assert!(text.contains("не касаются новых собственников"), "{text}");
    let card = workdir.ok(&["status", "2"]);
    assert!(card.contains("(все собственники на тот момент, не «Новиков Павел Андреевич»)"), "{card}");
    let card: Value = serde_json::from_str(&workdir.ok(&["--json", "status", "2"])).unwrap();
    assert_eq!(card["facts"][0]["unreached"], serde_json::json!([SOLD.1]));

    workdir.ok(&["mark", "2", "delivered"]);
    let again = workdir.status();
    let flat = again["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap();
    let buyer = flat["owners"].as_array().unwrap().iter().find(|o| o["owner"] == SOLD.1).unwrap();
    assert_eq!(buyer["notified"], true, "a mark under the new registry reaches him");
}

#[test]
fn the_json_of_an_update_names_the_marks_that_do_not_reach_the_new_owners() {
    let workdir = campaign(2099);
    let id: Value = serde_json::from_str(&workdir.ok(&["--json", "mark", "2", "absent"])).unwrap();
    let file = registry(&workdir, "sold.csv", &[SOLD]);
    let out: Value = serde_json::from_str(&workdir.ok(&["--json", "registry", "update", "--registry", &file])).unwrap();
    assert_eq!(out["version"], 1);
    let unreached = &out["unreached"][0];
    assert_eq!(unreached["id"], id["id"]);
    assert_eq!((&unreached["premise"], &unreached["outcome"]), (&Value::from("2"), &Value::from("absent")));
    assert_eq!(unreached["owners"], serde_json::json!([SOLD.1]));
    assert_eq!(out["unreached"].as_array().unwrap().len(), 1);
}

#[test]
fn a_letter_sent_to_every_owner_before_the_sale_is_not_the_buyers_and_his_own_is_recorded() {
    // Dates around today: the sending date may be neither to come nor a year before the meeting.
    let today = chrono::Local::now().date_naive();
    let workdir = campaign(2099);
    let meeting = workdir.file("meeting.toml");
    let text = std::fs::read_to_string(&meeting)
        .unwrap()
        .replace("2099-12-10", &(today + chrono::Days::new(20)).to_string())
        .replace("2099-12-20", &(today + chrono::Days::new(30)).to_string())
        .replace("\ninitiator = ", "\ninitiator_premise = \"1\"\ninitiator = ");
    std::fs::write(&meeting, text).unwrap();
    workdir.ok(&["meeting", "update", "--meeting", &workdir.at("meeting.toml")]);
    let day = today.format("%d.%m.%Y").to_string();
    workdir.ok(&["mark", "2", "sent", "--date", &day]);
    let file = registry(&workdir, "sold.csv", &[SOLD]);
    workdir.ok(&["registry", "update", "--registry", &file]);
    workdir.ok(&["mail-list", "--out", &workdir.at("list.csv")]);
    let list = std::fs::read_to_string(workdir.file("list.csv")).unwrap();
    assert!(list.contains(SOLD.1) && !list.contains("Смирнова"), "{list}");
    let out = workdir.ok(&["letters", "sent", "--list", &workdir.at("list.csv"), "--date", &day]);
    assert!(!out.contains("Уже были записаны"), "the old letter was not to him: {out}");
    let status = workdir.status();
    let flat = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap();
    let buyer = flat["owners"].as_array().unwrap().iter().find(|o| o["owner"] == SOLD.1).unwrap();
    assert_eq!((&buyer["notified"], &buyer["sent"]), (&Value::Bool(true), &Value::from(today.to_string())));
}
