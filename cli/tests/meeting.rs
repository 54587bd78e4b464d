//! `obhod meeting update` run as the real binary: the changes shown key by key, the meeting
//! recorded and read by every later command (the deadlines, the warnings, the papers), refusals
//! with nothing written, and the campaign's copy of meeting.toml named where a key is missing.

use serde_json::Value;

mod support;
use support::{Workdir, fixture};

/// A campaign of the guide's building made from copies of its files in the working directory,
/// so that the test edits meeting.toml as an organiser would.
fn campaign() -> Workdir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["meeting.toml", "registry.csv", "ballots.csv"] {
        std::fs::copy(fixture("guide-example", file), dir.path().join(file)).unwrap();
    }
    let workdir = Workdir { dir };
    workdir.ok(&["init", "--meeting", &workdir.at("meeting.toml")]);
    workdir
}

/// Edits meeting.toml in the working directory (each pair: the text and what replaces it).
fn edit(workdir: &Workdir, changes: &[(&str, &str)]) {
    let path = workdir.file("meeting.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    std::fs::write(path, text).unwrap();
}

fn update(workdir: &Workdir) -> String {
    workdir.ok(&["meeting", "update", "--meeting", &workdir.at("meeting.toml")])
}

fn deadlines(workdir: &Workdir) -> Value {
    serde_json::from_str(&workdir.ok(&["--json", "deadlines"])).unwrap()
}

fn step<'a>(deadlines: &'a Value, code: &str) -> &'a Value {
    &deadlines["deadlines"].as_array().unwrap().iter().find(|d| d["step"] == code).unwrap()["date"]
}

#[test]
fn a_moved_date_is_shown_key_by_key_recorded_and_the_deadlines_follow() {
    let workdir = campaign();
    assert_eq!(deadlines(&workdir)["meeting_date"], "2026-12-10");
    edit(
        &workdir,
        &[("date = 2026-12-10", "date = 2026-12-17"), ("voting_ends = 2026-12-20", "voting_ends = 2026-12-27")],
    );
    let out = update(&workdir);
    for line in [
        "  дата собрания (D) [meeting.date]: «10.12.2026» → «17.12.2026»\n",
        "  окончание приёма решений (E) [meeting.voting_ends]: «20.12.2026» → «27.12.2026»\n",
        "Записано в кампанию. Последний день уведомления (D − 10): 07.12.2026.",
    ] {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }
    let after = deadlines(&workdir);
    assert_eq!(
        (&after["meeting_date"], &after["voting_ends"]),
        (&Value::from("2026-12-17"), &Value::from("2026-12-27"))
    );
    assert_eq!(step(&after, "notice_last_day"), "2026-12-07");
    let text = workdir.ok(&["deadlines"]);
    assert!(text.contains("17.12.2026 чт"), "{text}");
    assert_eq!(
        update(&workdir),
        "г. Примерск, ул. Примерная, д. 1\nИзменений нет: собрание в кампании такое же; ничего не записано\n",
        "the same file again"
    );
}

#[test]
fn json_lists_each_change_and_whether_it_was_recorded() {
    let workdir = campaign();
    edit(&workdir, &[("chair = \"Иванов Иван Иванович\"", "chair = \"Смирнова Анна Павловна\"")]);
    let args = ["--json", "meeting", "update", "--meeting", &workdir.at("meeting.toml")];
    let done: Value = serde_json::from_str(&workdir.ok(&args)).unwrap();
    assert_eq!(done["recorded"], true);
    assert_eq!(
        done["changed"],
        serde_json::json!([{"key": "meeting.chair", "label": "председатель", "old": "Иванов Иван Иванович", "new": "Смирнова Анна Павловна"}])
    );
    let again: Value = serde_json::from_str(&workdir.ok(&args)).unwrap();
    assert_eq!((&again["changed"], &again["recorded"]), (&serde_json::json!([]), &Value::from(false)));
}

#[test]
fn an_earlier_date_that_makes_notices_late_is_recorded_with_a_warning_and_the_warnings_follow() {
    let workdir = campaign();
    workdir.ok(&["mark", "1", "delivered", "--date", "2026-11-29"]);
    workdir.ok(&["mark", "2", "delivered", "--date", "2026-11-20"]);
    assert!(!workdir.status()["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "delivered_late"));
    edit(&workdir, &[("date = 2026-12-10", "date = 2026-12-08")]);
    let out = update(&workdir);
    assert!(
        out.contains(
            "  ! с новой датой собрания уведомлены с опозданием (позже D − 10): 2 собственника, уведомленных в срок для прежней даты\n"
        ),
        "{out}"
    );
    let late: Vec<Value> = workdir.status()["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "delivered_late")
        .cloned()
        .collect();
    assert_eq!(late.len(), 2, "status follows the new date: {late:?}");
    let owner = &workdir.status()["premises"][0]["owners"][0];
    assert_eq!(owner["notice"]["late"], true, "{owner}");
}

#[test]
fn another_registry_another_building_or_a_new_agenda_after_decisions_is_refused() {
    let workdir = campaign();
    let args = ["meeting", "update", "--meeting", &workdir.at("meeting.toml")];
    let check = |changes: &[(&str, &str)], words: &str| {
        let saved = std::fs::read_to_string(workdir.file("meeting.toml")).unwrap();
        edit(&workdir, changes);
        let before = deadlines(&workdir);
        let message = workdir.refused(&args);
        assert!(message.contains(words), "{words:?} in {message}");
        assert!(message.trim_end().ends_with("ничего не записано"), "{message}");
        assert_eq!(deadlines(&workdir), before, "the campaign's meeting is as it was");
        std::fs::write(workdir.file("meeting.toml"), saved).unwrap();
    };
    let moved = ("date = 2026-12-10", "date = 2026-12-17");
    check(&[moved, ("registry = \"registry.csv\"", "registry = \"другой.csv\"")], "meeting.toml:6: building.registry");
    check(&[moved, ("д. 1\"", "д. 3\"")], "это другой дом");
    workdir.ok(&["ballots", "import", &workdir.at("ballots.csv")]);
    check(&[moved, ("в 2027 году", "в 2028 году")], "повестка другая (вопрос 3)");
    // The dates alone may still move.
    edit(&workdir, &[moved]);
    assert!(update(&workdir).contains("Записано в кампанию"));
}

#[test]
fn a_file_that_cannot_be_read_is_refused_with_its_line() {
    let workdir = campaign();
    edit(&workdir, &[("date = 2026-12-10", "date = 2026-12-40")]);
    let message = workdir.refused(&["meeting", "update", "--meeting", &workdir.at("meeting.toml")]);
    assert!(message.contains("meeting.toml:11: "), "{message}");
    let (code, stdout, _) = workdir.run(&["--json", "meeting", "update", "--meeting", &workdir.at("meeting.toml")]);
    let error: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((code, &error["error"]["line"]), (2, &Value::from(11)));
}

#[test]
fn a_key_the_campaigns_meeting_lacks_says_how_to_record_it_and_then_the_list_is_written() {
    let workdir = campaign();
    let list = workdir.at("list.xlsx");
    let args = ["mail-list", "--format", "otpravka", "--out", &list];
    let message = workdir.refused(&args);
    let meeting = workdir.at("meeting.toml");
    assert!(message.contains("building.region"), "{message}");
    assert!(message.contains(&format!("obhod meeting update --meeting {meeting}")), "{message}");
    edit(
        &workdir,
        &[(
            "postcode = \"644000\"\n",
            "postcode = \"644000\"\nregion = \"Омская обл.\"\nplace = \"г. Примерск\"\nstreet = \"ул. Примерная\"\nhouse = \"1\"\n",
        )],
    );
    assert!(workdir.refused(&args).contains("building.region"), "the file alone changes nothing");
    update(&workdir);
    workdir.ok(&args);
    assert!(workdir.file("list.xlsx").exists());
}

/// Passes sync messages between two campaigns until neither has anything to say.
fn sync(a: &mut obhod_store::Campaign, b: &mut obhod_store::Campaign) {
    let (mut sa, mut sb) = (obhod_store::SyncSession::new(), obhod_store::SyncSession::new());
    loop {
        let to_b = sa.generate(a);
        if let Some(message) = &to_b {
            sb.receive(b, message).unwrap();
        }
        let to_a = sb.generate(b);
        if let Some(message) = &to_a {
            sa.receive(a, message).unwrap();
        }
        if to_a.is_none() && to_b.is_none() {
            return;
        }
    }
}

#[test]
fn status_says_when_two_devices_updated_the_meeting_at_once_or_decisions_answer_another_agenda() {
    use obhod_store::{Campaign, Sources};
    let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
    let text = |file: &str| std::fs::read_to_string(fixture("guide-example", file)).unwrap();
    let sources = Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: text("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: text("registry.csv"),
    };
    let mut laptop = Campaign::init(&workdir.file("obhod.db"), sources).unwrap();
    let mut phone = laptop.replica_to(&workdir.file("phone.db")).unwrap();
    let four = format!("{}\n[[question]]\ntext = \"Утверждение сметы\"\n", text("meeting.toml"));
    laptop.update_meeting("meeting.toml", &four).unwrap();
    phone.update_meeting("meeting.toml", &text("meeting.toml").replace("2026-12-10", "2026-12-11")).unwrap();
    phone.import_ballots("ballots.csv", &text("ballots.csv")).unwrap();
    sync(&mut laptop, &mut phone);
    drop((laptop, phone));
    let status = workdir.status();
    assert_eq!(status["meeting_versions"], 2);
    let out = workdir.ok(&["status"]);
    assert!(out.contains("Собрание изменено на двух устройствах одновременно"), "{out}");
    let questions = workdir.ok(&["--json", "tally"]);
    let tally: Value = serde_json::from_str(&questions).unwrap();
    let agenda = tally["questions"].as_array().unwrap().len();
    let off = status["off_agenda"].as_u64().unwrap();
    // Whichever update won, the count runs on its agenda, and decisions of the other stay out.
    assert_eq!((agenda, off), if agenda == 4 { (4, 5) } else { (3, 0) }, "{out}");
    if off > 0 {
        assert!(out.contains("Записаны по другой повестке"), "{out}");
    }
}
