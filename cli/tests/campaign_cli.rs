//! End-to-end tests of the campaign commands: `init`, `mark`, `undo`, `status`,
//! `ballots import`, and `weights` / `tally` from the store, run as the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A temporary store; every command runs against it through `--store`.
struct Store {
    dir: tempfile::TempDir,
}

impl Store {
    fn new() -> Store {
        Store { dir: tempfile::tempdir().unwrap() }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("obhod.db")
    }

    /// (exit code, stdout, stderr) of `obhod --store PATH args…`.
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let store = self.path();
        let mut all = vec!["--store", store.to_str().unwrap()];
        all.extend_from_slice(args);
        run(&all, &[])
    }

    fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "obhod {args:?}: {stderr}");
        stdout
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Expects exit code 2 with one message and nothing on stdout; returns the message.
    fn refused(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 2, "obhod {args:?} should be refused: {stdout}{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    fn init(&self) {
        self.ok(&["init", "--meeting", &guide("meeting.toml")]);
    }
}

fn run(args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obhod"));
    command.args(args).env_remove("OBHOD_STORE");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn guide(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(file).to_str().unwrap().to_owned()
}

fn campaign() -> Store {
    let store = Store::new();
    store.init();
    store
}

fn owner<'a>(status: &'a Value, premise: &str, name: &str) -> &'a Value {
    let premise = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == premise).unwrap();
    premise["owners"].as_array().unwrap().iter().find(|o| o["owner"] == name).unwrap()
}

#[test]
fn init_reports_the_building_and_refuses_a_second_time() {
    let store = Store::new();
    let init = store.json(&["init", "--meeting", &guide("meeting.toml")]);
    assert_eq!(
        (init["premises"].as_u64(), init["owners"].as_u64(), init["total"].as_str()),
        (Some(5), Some(10), Some("500"))
    );
    let message = store.refused(&["init", "--meeting", &guide("meeting.toml")]);
    assert!(message.contains("уже есть"), "{message}");
}

#[test]
fn status_json_counts_as_the_interface_says() {
    let store = campaign();
    let empty = store.json(&["status"]);
    assert_eq!(
        (empty["owners"].as_u64(), empty["notified"].as_u64(), empty["letters"].as_u64()),
        (Some(10), Some(0), Some(10))
    );
    store.ok(&["mark", "1", "delivered"]);
    store.ok(&["mark", "3", "delivered", "--owner", "Соколова Елена Андреевна"]);
    store.ok(&["mark", "2", "letter", "--owner", "Петров Пётр Петрович"]);
    store.ok(&["mark", "2", "absent"]);
    store.ok(&["mark", "2", "refused", "--owner", "Кузнецов Олег Ильич"]);
    let status = store.json(&["status"]);
    assert_eq!(status["notified"], 3);
    assert_eq!(status["letters"], 7, "10 owners, 3 notified, Петров is marked letter but was not notified anyway");
    assert_eq!(status["refused"], 1);
    // Premise 1 is notified in full (100 votes); of the joint flat 3 only one member: not its votes.
    assert_eq!((status["notified_votes"].as_str(), status["notified_percent"].as_str()), (Some("100"), Some("20.00")));
    let two = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap();
    assert_eq!((two["visits"].as_u64(), two["last_outcome"].as_str()), (Some(3), Some("refused")));
    assert_eq!(owner(&status, "2", "Петров Пётр Петрович")["letter"], true);
    assert_eq!(owner(&status, "3", "Соколова Елена Андреевна")["notified"], true);
    assert_eq!(owner(&status, "3", "Соколов Андрей Викторович")["notified"], false);
}

#[test]
fn mark_prints_the_fact_id_and_undo_withdraws_it() {
    let store = campaign();
    let id = store.json(&["mark", "1", "delivered", "--note", "подписали оба"])["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 26, "a ULID: {id}");
    assert_eq!(store.json(&["status"])["notified"], 2);
    let detail = store.ok(&["status", "1"]);
    assert!(detail.contains(&id) && detail.contains("подписали оба"), "{detail}");
    let undo = store.json(&["undo", &id]);
    assert_eq!(undo["withdrawn"], id.as_str());
    let status = store.json(&["status"]);
    assert_eq!((status["notified"].as_u64(), status["premises"][0]["visits"].as_u64()), (Some(0), Some(0)));
    assert!(store.ok(&["status", "1"]).contains("[отменён]"));
    let joint = store.ok(&["status", "3"]);
    assert!(joint.contains("100,00 совм."), "a joint group's block is marked as shared: {joint}");
    assert!(store.refused(&["undo", &id]).contains("уже отменён"));
    assert!(store.refused(&["undo", "01ABCDEFGHJKMNPQRSTVWXYZ00"]).contains("нет в кампании"));
}

#[test]
fn status_of_a_premise_lists_its_facts_so_that_undo_can_be_scripted() {
    let store = campaign();
    store.ok(&["mark", "1", "absent", "--note", "собака"]);
    store.ok(&["mark", "1", "contact", "--owner", "Иванов Иван Иванович", "--phone", "+79001112233", "--consent"]);
    store.ok(&["mark", "2", "delivered"]);
    let premise = store.json(&["status", "1"]);
    assert_eq!(premise["unknown_facts"], 0);
    let facts = premise["facts"].as_array().unwrap();
    let outcomes: Vec<&str> = facts.iter().map(|f| f["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["absent", "consent", "contact"]);
    let absent = &facts[0];
    assert_eq!(
        (absent["owner"].is_null(), absent["note"].as_str(), absent["withdrawn"].as_bool()),
        (true, Some("собака"), Some(false))
    );
    assert_eq!(facts[2]["owner"], "Иванов Иван Иванович");
    assert!(chrono::DateTime::parse_from_rfc3339(absent["time"].as_str().unwrap()).is_ok(), "{absent}");
    assert_eq!(absent["device"].as_str().unwrap().len(), 26);
    assert!(!premise.to_string().contains("1112233"), "never a phone: {premise}");

    let id = absent["id"].as_str().unwrap();
    store.ok(&["undo", id]);
    let facts = store.json(&["status", "1"])["facts"].clone();
    assert_eq!(facts[0]["withdrawn"], true);
    assert_eq!(facts[1]["withdrawn"], false);
    assert!(store.json(&["status"])["premises"][0].get("facts").is_none(), "the summary stays short");
    // The text says a letter is still needed, which the JSON's `letter` (the mark) is not.
    let text = store.ok(&["status", "3"]);
    assert!(text.contains("┆ Нужно письмо ┆") && text.contains("┆           да ┆"), "{text}");
    assert_eq!(store.json(&["status", "3"])["owners"][0]["letter"], false, "nobody marked a letter");
}

#[test]
fn bad_marks_exit_2_and_store_nothing() {
    let store = campaign();
    let owner = ["--owner", "Иванов Иван Иванович", "--consent"];
    let phone =
        |p: &'static str| -> Vec<&'static str> { [&["mark", "1", "contact", "--phone", p][..], &owner].concat() };
    let email =
        |e: &'static str| -> Vec<&'static str> { [&["mark", "1", "contact", "--email", e][..], &owner].concat() };
    // A slip of the thumb is not a phone number: refused, and never repeated in the message.
    for args in [
        phone("abc"),
        phone("42"),
        phone("+7 900 123-45-67 звонить"),
        email("ivan@"),
        email("ivan.mail.ru"),
        email("a b@c.ru"),
    ] {
        let message = store.refused(&args);
        assert!(message.contains("не похоже на"), "{args:?}: {message}");
        assert!(!message.contains(args[4]), "{args:?}: the refusal repeats the data: {message}");
    }
    let cases: [(&[&str], &str); 6] = [
        (&["mark", "99", "delivered"], "помещения «99» нет"),
        (
            &["mark", "1", "delivered", "--consent"],
            "--consent записывает согласие только вместе с исходом «контакт» (contact)",
        ),
        (&["mark", "1", "delivered", "--owner", "Петров Пётр Петрович"], "Иванов Иван Иванович"),
        (&["mark", "1", "teleported"], "вручено (delivered), не застали (absent)"),
        (&["mark", "1", "contact", "--owner", "Иванов Иван Иванович", "--phone", "+79001234567"], "согласия"),
        (&["mark", "1", "consent"], "несколько собственников"),
    ];
    for (args, words) in cases {
        let message = store.refused(args);
        assert!(message.contains(words), "{args:?}: {message}");
        assert!(!message.contains("+79001234567"), "a refusal never repeats personal data");
    }
    let status = store.json(&["status"]);
    assert!(status["premises"].as_array().unwrap().iter().all(|p| p["visits"] == 0));
}

#[test]
fn a_contact_needs_consent_and_is_never_printed() {
    let store = campaign();
    let phone = "+7 900 555-12-34";
    let marked =
        store.json(&["mark", "1", "contact", "--owner", "Иванов Иван Иванович", "--phone", phone, "--consent"]);
    assert!(marked["consent"].is_string() && marked["id"].is_string());
    let status = store.json(&["status"]);
    assert_eq!((status["consents"].as_u64(), status["contacts"].as_u64()), (Some(1), Some(1)));
    for args in [&["status"][..], &["status", "1"], &["--json", "status"], &["--json", "status", "1"], &["tally"]] {
        assert!(!store.ok(args).contains("555-12-34"), "{args:?} printed the phone");
    }
}

#[test]
fn a_phone_or_email_in_a_note_is_refused_and_nothing_is_stored() {
    let store = campaign();
    let message = store.refused(&["mark", "1", "absent", "--note", "звонить сыну 8 913 123-45-67"]);
    assert!(message.contains("в заметке телефон или e-mail: заметку видят все устройства группы"), "{message}");
    let id =
        store.json(&["mark", "1", "absent", "--note", "собака, ШПИ 80082893123451"])["id"].as_str().unwrap().to_owned();
    let message = store.refused(&["--lang", "en", "undo", &id, "--note", "wrong flat, see petrov@mail.ru"]);
    assert!(message.contains("the note holds a phone or e-mail"), "{message}");
    let facts = store.json(&["status", "1"])["facts"].as_array().unwrap().len();
    assert_eq!(facts, 1, "only the mark without personal data");
}

#[test]
fn commands_on_a_missing_store_say_how_to_start_and_create_nothing() {
    let store = Store::new();
    for args in [&["status"][..], &["mark", "1", "absent"], &["tally"], &["weights"], &["undo", "X"]] {
        assert!(store.refused(args).contains("obhod init"), "{args:?}");
    }
    assert!(!store.path().exists());
}

#[test]
fn a_file_that_is_not_a_store_is_left_untouched() {
    let store = Store::new();
    std::fs::write(store.path(), "фамилия;телефон\n").unwrap();
    let message = store.refused(&["init", "--meeting", &guide("meeting.toml")]);
    assert!(message.contains("не хранилище obhod"), "{message}");
    store.refused(&["status"]);
    assert_eq!(std::fs::read_to_string(store.path()).unwrap(), "фамилия;телефон\n");
}

#[test]
fn weights_and_tally_from_the_campaign_equal_the_file_forms() {
    let store = campaign();
    assert_eq!(store.json(&["weights"]), store.json(&["weights", "--registry", &guide("registry.csv")]));
    let imported = store.json(&["ballots", "import", &guide("ballots.csv")]);
    assert_eq!((imported["added"].as_u64(), imported["present"].as_u64()), (Some(5), Some(0)));
    let again = store.json(&["ballots", "import", &guide("ballots.csv")]);
    assert_eq!((again["added"].as_u64(), again["present"].as_u64()), (Some(0), Some(5)));
    let from_files = store.json(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")]);
    assert_eq!(store.json(&["tally"]), from_files);
}

#[test]
fn representatives_imported_into_the_campaign_count_as_from_the_file() {
    let store = campaign();
    let file = store.dir.path().join("ballots.csv");
    std::fs::write(
        &file,
        "premise,owner,1,2,3,received,representative,authority,proxy_date,certified_by\n\
         2,Петров Пётр Петрович,за,за,за,2026-12-16,Орлов Олег,доверенность,,\n\
         1,Иванов Иван Иванович,за,за,за,2026-12-16,Орлов Олег,proxy,01.12.2026,нотариус\n\
         1,Сергеев Сергей Сергеевич,за,за,за,2026-12-16,орлов олег,закон,,\n",
    )
    .unwrap();
    store.ok(&["ballots", "import", file.to_str().unwrap()]);
    let tally = store.json(&["tally"]);
    let from_file = store.json(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", file.to_str().unwrap()]);
    assert_eq!(tally, from_file);
    let codes: Vec<&str> = tally["warnings"].as_array().unwrap().iter().filter_map(|w| w["code"].as_str()).collect();
    assert!(codes.contains(&"defective_proxy"), "{codes:?}");
    let several = tally["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "one_representative_for_several");
    let message = several.expect("one representative for several owners is listed")["message"].as_str().unwrap();
    assert!(message.contains("«Иванов Иван Иванович» (пом. 1), «Сергеев Сергей Сергеевич» (пом. 1)"), "{message}");
    assert!(!message.contains("Петров"), "the void proxy's decision names Петров too: {message}");
}

#[test]
fn a_bad_ballots_file_imports_nothing() {
    let store = campaign();
    let bad = store.dir.path().join("ballots.csv");
    std::fs::write(&bad, "premise,owner,1,2,3\n1,Иванов Иван Иванович,за,за,за\n77,Никто,за,за,за\n").unwrap();
    let message = store.refused(&["ballots", "import", bad.to_str().unwrap()]);
    assert!(message.contains("ballots.csv:3"), "{message}");
    assert_eq!(store.json(&["tally"])["participated"], "0");
}

#[test]
fn the_store_comes_from_obhod_store_or_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = guide("meeting.toml");
    let (code, _, stderr) = run(&["init", "--meeting", &meeting], &[("XDG_DATA_HOME", dir.path())]);
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.path().join("obhod/obhod.db").is_file());
    let env_store = dir.path().join("env.db");
    let (code, _, stderr) = run(&["init", "--meeting", &meeting], &[("OBHOD_STORE", &env_store)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(env_store.is_file());
}

#[test]
fn a_mark_reports_the_premise_and_owner_as_the_registry_names_them() {
    let store = Store::new();
    store.init();
    // A Latin «o» in «Полуподвал», as a phone's keyboard may type it.
    let out = store.ok(&["mark", "Пoлуподвал", "absent"]);
    assert!(out.contains("«Пoлуподвал» понято как помещение Полуподвал (латинские буквы вместо русских)"), "{out}");
    assert!(out.contains("Записано: Полуподвал — не застали"), "{out}");
    let out = store.ok(&["mark", "1", "delivered", "--owner", "иванов  иван иванович"]);
    assert!(out.contains("Записано: 1 — вручено под роспись (Иванов Иван Иванович)"), "{out}");
    let status = store.ok(&["status", "Пoлуподвал"]);
    assert!(status.starts_with("«Пoлуподвал» понято как помещение Полуподвал"), "{status}");
}

#[test]
fn an_owner_typed_with_e_for_yo_or_latin_look_alikes_is_the_registrys_owner() {
    let store = campaign();
    for typed in ["Петров Петр Петрович", "Пeтpoв Пётр Петрович", "ПЕТРОВ  ПЕТР ПЕТРОВИЧ"]
    {
        store.ok(&["mark", "2", "delivered", "--owner", typed]);
    }
    let facts = store.json(&["status", "2"])["facts"].as_array().unwrap().clone();
    assert_eq!(facts.len(), 3);
    assert!(facts.iter().all(|f| f["owner"] == "Петров Пётр Петрович"), "{facts:?}");
}

#[test]
fn an_unknown_outcome_lists_the_russian_words_in_russian() {
    let store = Store::new();
    store.init();
    let message = store.refused(&["mark", "1", "вручен"]);
    assert!(
        message.contains(
            "неизвестный исход «вручен»; возможны: вручено (delivered), не застали (absent), отказ (refused), \
             согласие (consent), контакт (contact), письмо (letter), отправлено (sent)"
        ),
        "{message}"
    );
    let message = store.refused(&["--lang", "en", "mark", "1", "handed"]);
    assert!(message.contains("unknown outcome «handed»; one of: delivered, absent, refused,"), "{message}");
    for outcome in obhod_core::Outcome::ALL {
        assert_eq!(obhod_core::Outcome::parse(outcome.word()), Some(outcome), "every word listed is taken");
    }
    assert_eq!(store.json(&["status", "1"])["facts"].as_array().unwrap().len(), 0, "nothing stored");
}

#[test]
fn the_demo_in_a_store_of_its_own_reopens_there_and_no_other_campaign_is_touched() {
    let store = Store::new();
    let needs_a_terminal = "obhod: терминал недоступен: интерфейсу обхода нужен терминал";
    for _ in 0..2 {
        // Without a terminal the TUI cannot run; the demo's store is made (once) before it says so.
        let (code, stdout, stderr) = store.run(&["demo"]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
        assert!(stderr.starts_with(needs_a_terminal), "{stderr}");
    }
    assert!(store.ok(&["status"]).contains("Садовая, д. 5"), "the demo building's campaign");
    let other = Store::new();
    other.init();
    let message = other.refused(&["demo"]);
    assert!(message.contains("кампания уже есть и не будет перезаписана"), "{message}");
}

#[test]
fn status_gives_each_owners_notice_and_says_which_came_late() {
    let store = campaign();
    store.ok(&["mark", "1", "delivered", "--date", "2026-11-20"]);
    store.ok(&["mark", "2", "delivered", "--date", "2026-12-02", "--owner", "Петров Пётр Петрович"]);
    store.ok(&["mark", "Полуподвал", "sent", "--date", "2026-11-29"]);
    let status = store.json(&["status"]);
    let notice = |premise: &str, name: &str| owner(&status, premise, name)["notice"].clone();
    assert_eq!(
        notice("1", "Иванов Иван Иванович"),
        serde_json::json!({"date": "2026-11-20", "by": "signature", "premise": "1", "late": false, "boundary": false})
    );
    assert_eq!(
        notice("2", "Петров Пётр Петрович"),
        serde_json::json!({"date": "2026-12-02", "by": "signature", "premise": "2", "late": true, "boundary": false})
    );
    assert_eq!(
        notice("Полуподвал", "ООО «Магазин у дома»"),
        serde_json::json!({"date": "2026-11-29", "by": "letter", "premise": "Полуподвал", "late": false, "boundary": true})
    );
    assert_eq!(notice("2", "Смирнова Анна Павловна"), Value::Null, "not notified");
    let codes: Vec<&str> = status["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["delivered_late", "notices_on_boundary", "owners_unnotified"]);
    let flat = store.ok(&["status", "2"]);
    assert!(flat.contains("да, 02.12.2026 — ПОЗДНО"), "{flat}");
    assert!(flat.contains("(подпись 02.12.2026)"), "the day signed beside the time typed: {flat}");
    let letter = store.ok(&["status", "Полуподвал"]);
    assert!(letter.contains("да, 29.11.2026 — граница"), "{letter}");
    assert!(store.ok(&["status", "1"]).contains("┆        да ┆"), "in time: yes alone");
}
