//! End-to-end tests of the `obhod` binary: the commands run on real files, their
//! JSON, their human output, and the refusal of bad input (exit code 2,
//! one message naming file:line, nothing on stdout, no panic).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Runs the binary with `args` and returns (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod"))
        .args(args)
        .env_remove("OBHOD_STORE")
        .env("XDG_DATA_HOME", Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-data-home"))
        .output()
        .expect("the obhod binary runs");
    let code = out.status.code().expect("obhod exited normally, not by a signal");
    (
        code,
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

/// Runs the binary, expects success and returns stdout.
fn run_ok(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "obhod {args:?} failed: {stderr}");
    assert!(!stderr.contains("panicked"), "stderr: {stderr}");
    stdout
}

/// Runs the binary with `--json` first, expects success and parses stdout.
fn run_json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let stdout = run_ok(&all);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout of {all:?} is not JSON ({e}): {stdout}"))
}

fn fixture(dir: &str, file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(dir).join(file);
    path.to_str().expect("UTF-8 path").to_owned()
}

fn guide(file: &str) -> String {
    fixture("guide-example", file)
}

/// A fresh temporary directory holding a copy of the guide example; removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    /// Path of `file` inside the directory, as a string for the command line.
    fn path(&self, file: &str) -> String {
        self.0.join(file).to_str().expect("UTF-8 temp path").to_owned()
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.0.join(file)).expect("readable scratch file")
    }

    fn write(&self, file: &str, content: impl AsRef<[u8]>) {
        fs::write(self.0.join(file), content).expect("writable scratch file");
    }

    /// Replaces `from` by `to` on line `line` (1-based) of `file`; the line must contain `from`,
    /// so a changed fixture breaks the test loudly instead of silently testing nothing.
    fn edit_line(&self, file: &str, line: usize, from: &str, to: &str) {
        let text = self.read(file);
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let target = &mut lines[line - 1];
        assert!(target.contains(from), "{file}:{line} does not contain {from:?}: {target}");
        *target = target.replacen(from, to, 1);
        self.write(file, lines.join("\n") + "\n");
    }

    /// Replaces the first occurrence of `from` in `file`, which must be there.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} does not contain {from:?}");
        self.write(file, text.replacen(from, to, 1));
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A fresh directory under the system temp dir, unique per test and process, with the guide
/// example's registry.csv, ballots.csv and meeting.toml copied in.
fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("obhod-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("temp dir");
    for file in ["registry.csv", "ballots.csv", "meeting.toml"] {
        fs::copy(guide(file), dir.join(file)).expect("copy fixture");
    }
    Scratch(dir)
}

/// Asserts that obhod refused the input properly: exit code 2, nothing on stdout, one line on
/// stderr naming `file` (with `:line:` when given) and containing every one of `words`.
#[track_caller]
fn assert_refused(result: (i32, String, String), file: &str, line: Option<usize>, words: &[&str]) -> String {
    let (code, stdout, stderr) = result;
    assert_eq!(code, 2, "exit code; stderr: {stderr}");
    assert!(stdout.is_empty(), "stdout must be empty, got: {stdout}");
    assert!(!stderr.contains("panicked") && !stderr.to_lowercase().contains("backtrace"), "panic: {stderr}");
    let message = stderr.trim_end();
    assert_eq!(message.lines().count(), 1, "one line expected: {stderr}");
    let place = match line {
        Some(n) => format!("{file}:{n}:"),
        None => file.to_owned(),
    };
    assert!(message.contains(&place), "message should name {place}: {message}");
    for word in words {
        assert!(message.contains(word), "message should contain {word:?}: {message}");
    }
    message.to_owned()
}

fn weights_of(s: &Scratch) -> (i32, String, String) {
    run(&["weights", "--registry", &s.path("registry.csv")])
}

fn tally_of(s: &Scratch) -> (i32, String, String) {
    run(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")])
}

fn warning_codes(json: &Value) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for w in json["warnings"].as_array().expect("warnings array") {
        *counts.entry(w["code"].as_str().expect("warning code").to_owned()).or_default() += 1;
    }
    counts
}

fn deadline(json: &Value, step: &str) -> String {
    json["deadlines"]
        .as_array()
        .expect("deadlines array")
        .iter()
        .find(|d| d["step"] == step)
        .unwrap_or_else(|| panic!("no step {step} in {json}"))["date"]
        .as_str()
        .expect("date string")
        .to_owned()
}

// ---------------------------------------------------------------------------------------------
// 1. weights
// ---------------------------------------------------------------------------------------------

#[test]
fn weights_json_guide_example() {
    let json = run_json(&["weights", "--registry", &guide("registry.csv")]);
    assert_eq!(json["total"], "500");

    let holdings = json["holdings"].as_array().expect("holdings");
    let find = |premise: &str, room: Option<&str>| -> &Value {
        holdings
            .iter()
            .find(|h| h["premise"] == premise && h["room"].as_str() == room)
            .unwrap_or_else(|| panic!("no holding {premise} {room:?}"))
    };
    // Premise 1: 3/4 and 1/4 of 100 m².
    let ivanov = holdings.iter().find(|h| h["owners"][0] == "Иванов Иван Иванович").expect("Иванов");
    assert_eq!((ivanov["votes"].as_str(), ivanov["percent"].as_str()), (Some("75"), Some("15.00")));
    assert_eq!(ivanov["share"], "3/20");
    // Communal flat 2: rooms 30/20/10 of 60 m² share 100 m².
    assert_eq!(find("2", Some("к1"))["votes"], "50");
    assert_eq!(
        (find("2", Some("к2"))["votes"].as_str(), find("2", Some("к2"))["percent"].as_str()),
        (Some("100/3"), Some("6.67"))
    );
    assert_eq!(
        (find("2", Some("к3"))["votes"].as_str(), find("2", Some("к3"))["percent"].as_str()),
        (Some("50/3"), Some("3.33"))
    );
    // Joint flat 3: one holding with all four members.
    let joint = find("3", None);
    assert_eq!(joint["votes"], "100");
    assert_eq!(joint["percent"], "20.00");
    assert_eq!(
        joint["owners"],
        serde_json::json!([
            "Соколов Андрей Викторович",
            "Соколова Елена Андреевна",
            "Соколов Максим Андреевич",
            "Соколова Мария Андреевна"
        ])
    );
    // The shop.
    let shop = find("Полуподвал", None);
    assert_eq!(shop["votes"], "200");
    assert_eq!(shop["kind"], "nonresidential");
    assert_eq!(shop["percent"], "40.00");
    // The unowned attic is no holding.
    assert!(holdings.iter().all(|h| h["premise"] != "Чердак"), "Чердак must not be a holding");
    assert_eq!(holdings.len(), 7);

    // Owners: one entry per owner, the joint group once under its members' joined names.
    let owners: BTreeMap<&str, (&str, &str, &str)> = json["owners"]
        .as_array()
        .expect("owners")
        .iter()
        .map(|o| {
            let s = |k: &str| o[k].as_str().unwrap_or_else(|| panic!("owner field {k}: {o}"));
            (s("owner"), (s("owner_kind"), s("votes"), s("percent")))
        })
        .collect();
    let expected: BTreeMap<&str, (&str, &str, &str)> = [
        ("Иванов Иван Иванович", ("person", "75", "15.00")),
        ("Сергеев Сергей Сергеевич", ("person", "25", "5.00")),
        ("Петров Пётр Петрович", ("person", "50", "10.00")),
        ("Смирнова Анна Павловна", ("person", "100/3", "6.67")),
        ("Кузнецов Олег Ильич", ("person", "50/3", "3.33")),
        (
            "Соколов Андрей Викторович, Соколова Елена Андреевна, Соколов Максим Андреевич, Соколова Мария Андреевна",
            ("person", "100", "20.00"),
        ),
        ("ООО «Магазин у дома»", ("legal", "200", "40.00")),
    ]
    .into_iter()
    .collect();
    assert_eq!(owners, expected);

    // Exactly one warning: the attic has no owner.
    let warnings = json["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["code"], "unowned_premise");
    assert_eq!(warnings[0]["premise"], "Чердак");
    assert!(warnings[0]["message"].as_str().is_some_and(|m| m.contains("Чердак")));
}

#[test]
fn weights_json_sadovaya_matches_reference_totals() {
    let json = run_json(&["weights", "--registry", &fixture("sadovaya-5", "registry.csv")]);
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(fixture("sadovaya-5", "expected.json")).unwrap()).unwrap();
    assert_eq!(json["total"], expected["total"]);
    assert_eq!(json["holdings"].as_array().map(Vec::len), expected["holdings"].as_u64().map(|n| n as usize));
    assert_eq!(json["owners"].as_array().map(Vec::len), expected["owners"].as_u64().map(|n| n as usize));
}

#[test]
fn weights_human_output_russian_and_english() {
    let ru = run_ok(&["weights", "--registry", &guide("registry.csv")]);
    assert!(ru.contains("Всего голосов (100 %): 500,00"), "{ru}");
    assert!(ru.contains("Чердак"), "{ru}");
    let en = run_ok(&["--lang", "en", "weights", "--registry", &guide("registry.csv")]);
    assert!(en.contains("Чердак has no registered owner"), "{en}");
}

// ---------------------------------------------------------------------------------------------
// 2. tally against the reference implementation
// ---------------------------------------------------------------------------------------------

#[test]
fn tally_json_sadovaya_equals_reference() {
    let json = run_json(&[
        "tally",
        "--meeting",
        &fixture("sadovaya-5", "meeting.toml"),
        "--ballots",
        &fixture("sadovaya-5", "ballots.csv"),
    ]);
    let expected: Value =
        serde_json::from_str(&fs::read_to_string(fixture("sadovaya-5", "expected.json")).unwrap()).unwrap();
    let fields = ["total", "participated", "participated_percent", "quorum"];
    for field in fields.into_iter().chain(["participated_named", "participated_named_percent", "quorum_named"]) {
        assert_eq!(json[field], expected[field], "field {field}");
    }
    // Every field of the reference's questions; the live count's `outcome` and `needed` depend on
    // today and are checked in tests/live.rs.
    let questions = expected["questions"].as_array().unwrap();
    assert_eq!(json["questions"].as_array().map(Vec::len), Some(questions.len()));
    for (question, reference) in json["questions"].as_array().unwrap().iter().zip(questions) {
        for (key, value) in reference.as_object().unwrap() {
            assert_eq!(&question[key], value, "question {}: {key}", reference["number"]);
        }
    }
    let expected_codes: BTreeMap<String, u64> =
        serde_json::from_value(expected["warnings"].clone()).expect("expected warning counts");
    assert_eq!(warning_codes(&json), expected_codes);
}

#[test]
fn tally_shows_when_quorum_rests_on_premises_carried_by_their_owner() {
    let s = scratch("tally_carried_by_owner");
    // The shop's company also owns the attic: its ballot for the shop carries the attic.
    s.edit_line(
        "registry.csv",
        11,
        "Чердак,nonresidential,100,,,,,,",
        "Чердак,nonresidential,100,,,,,ООО «Магазин у дома»,legal",
    );
    let args = ["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")];
    let json = run_json(&args);
    assert_eq!((&json["participated"], &json["quorum"]), (&Value::from("375"), &Value::Bool(true)));
    assert_eq!(json["participated_named"], "275");
    assert_eq!(json["participated_named_percent"], "45.83");
    assert_eq!(json["quorum_named"], false);
    let q1 = &json["questions"][0];
    assert_eq!(
        (&q1["adopted"], &q1["for_named"], &q1["adopted_named"]),
        (&Value::Bool(true), &Value::from("200"), &Value::Bool(false))
    );
    let carried: Vec<&Value> =
        json["warnings"].as_array().unwrap().iter().filter(|w| w["code"] == "carried_by_owner").collect();
    assert_eq!(carried.len(), 1, "{json}");
    assert_eq!(carried[0]["premise"], "Чердак");
    assert_eq!(
        (&carried[0]["owner"], &carried[0]["via_premise"]),
        (&Value::from("ООО «Магазин у дома»"), &Value::from("Полуподвал"))
    );
    let ru = run_ok(&args);
    for needle in [
        "Приняли участие: 375,00 (62,50 %)",
        "без помещений, учтённых по решению собственника за другое помещение: 275,00 (45,83 %)",
        "кворума НЕТ (45,83 %); суд может посчитать так",
        "помещение Чердак: своего решения нет; учтено решение «ООО «Магазин у дома»» по помещению Полуподвал",
        "Итог: ПРИНЯТО\nБез помещений, учтённых по решению собственника за другое помещение: НЕ ПРИНЯТО (нет кворума); за 200,00 (72,73 %)",
    ] {
        assert!(ru.contains(needle), "missing {needle:?} in:\n{ru}");
    }
    let en = run_ok(&[&["--lang", "en"][..], &args].concat());
    assert!(en.contains("there is NO quorum (45.83 %); a court may count it that way"), "{en}");
    // With the guide's own registry nothing is carried: the named figure equals the main one.
    let plain = run_json(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")]);
    assert_eq!((&plain["participated_named"], &plain["quorum_named"]), (&plain["participated"], &Value::Bool(true)));
    assert!(
        !run_ok(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")])
            .contains("Внимание")
    );
}

// ---------------------------------------------------------------------------------------------
// 3. tally on the guide example
// ---------------------------------------------------------------------------------------------

#[test]
fn tally_json_guide_example() {
    let json = run_json(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")]);
    assert_eq!(json["total"], "500");
    assert_eq!(json["participated"], "275");
    assert_eq!(json["participated_percent"], "55.00");
    assert_eq!(json["quorum"], true);
    let q = json["questions"].as_array().expect("questions");
    let adopted: Vec<&Value> = q.iter().map(|q| &q["adopted"]).collect();
    assert_eq!(adopted, [&Value::Bool(true), &Value::Bool(false), &Value::Bool(false)]);
    assert_eq!(q[0]["threshold"], "simple");
    assert_eq!(q[0]["base"], "275");
    assert_eq!(
        (q[0]["for"].as_str(), q[0]["against"].as_str(), q[0]["abstain"].as_str()),
        (Some("200"), Some("50"), Some("25"))
    );
    assert_eq!(q[1]["threshold"], "all_majority");
    assert_eq!(q[1]["for"], "250", "exactly half of all votes is not a majority");
    assert_eq!(q[2]["threshold"], "all_two_thirds");
    let codes = warning_codes(&json);
    assert_eq!(codes.get("late_ballot"), Some(&1), "{codes:?}");
    assert_eq!(codes.get("defective_ballot"), Some(&1), "{codes:?}");
}

#[test]
fn tally_human_russian() {
    let out = run_ok(&["tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")]);
    for needle in ["Кворум: ЕСТЬ", "ПРИНЯТО", "НЕ ПРИНЯТО", "ч. 1 ст. 46 ЖК РФ", "Приняли участие: 275,00 (55,00 %)"]
    {
        assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
    }
    // Question 1 is adopted: an «Итог: ПРИНЯТО» line that is not «НЕ ПРИНЯТО».
    assert!(out.lines().any(|l| l.trim() == "Итог: ПРИНЯТО"), "{out}");
    // Late and defective ballots are explained with their line numbers.
    assert!(out.contains("строка 5") && out.contains("строка 6"), "{out}");
}

#[test]
fn tally_human_english() {
    let out =
        run_ok(&["--lang", "en", "tally", "--meeting", &guide("meeting.toml"), "--ballots", &guide("ballots.csv")]);
    assert!(out.contains("ADOPTED"), "{out}");
    assert!(out.contains("Quorum: YES"), "{out}");
    assert!(!out.contains("Кворум"), "English output must not carry Russian labels:\n{out}");
}

#[test]
fn tally_without_ballots_has_no_quorum() {
    let out = run_ok(&["tally", "--meeting", &guide("meeting.toml")]);
    assert!(out.contains("Кворум: НЕТ"), "{out}");
    assert!(out.contains("не хватает более 250,00 голосов"), "{out}");
    assert!(!out.contains("Итог: ПРИНЯТО"), "{out}");

    let json = run_json(&["tally", "--meeting", &guide("meeting.toml")]);
    assert_eq!(json["quorum"], false);
    assert_eq!(json["participated"], "0");
    assert!(json["questions"].as_array().unwrap().iter().all(|q| q["adopted"] == false), "{json}");
}

// ---------------------------------------------------------------------------------------------
// 4. deadlines
// ---------------------------------------------------------------------------------------------

#[test]
fn deadlines_json_guide_example() {
    let json = run_json(&["deadlines", "--meeting", &guide("meeting.toml")]);
    assert_eq!(deadline(&json, "notice_last_day"), "2026-11-30");
    assert_eq!(deadline(&json, "meeting"), "2026-12-10");
    assert_eq!(deadline(&json, "voting_ends"), "2026-12-20");
    assert_eq!(deadline(&json, "protocol"), "2026-12-30");
    assert_eq!(deadline(&json, "challenge_deadline"), "2027-06-20");
    assert_eq!(json["warnings"], serde_json::json!([]));
}

#[test]
fn deadlines_notice_checks() {
    let codes = |notice: &str| {
        warning_codes(&run_json(&["deadlines", "--meeting", &guide("meeting.toml"), "--notice", notice]))
    };
    let one = |code: &str| BTreeMap::from([(code.to_owned(), 1)]);
    assert_eq!(codes("2026-11-28"), BTreeMap::new(), "12 days ahead is safe");
    assert_eq!(codes("2026-11-29"), one("notice_on_boundary"));
    assert_eq!(codes("2026-11-30"), one("notice_on_boundary"));
    assert_eq!(codes("2026-12-05"), one("notice_too_late"));
    assert_eq!(codes("01.12.2026"), one("notice_too_late"), "dd.mm.yyyy accepted for --notice");
}

#[test]
fn deadlines_human_shows_boundary_warning() {
    let out = run_ok(&["deadlines", "--meeting", &guide("meeting.toml"), "--notice", "2026-11-29"]);
    assert!(out.contains("30.11.2026"), "{out}");
    assert!(out.contains("ч. 4 ст. 45 ЖК РФ"), "{out}");
    assert!(out.contains("Предупреждения"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 5. bad input: registry
// ---------------------------------------------------------------------------------------------

#[test]
fn registry_missing_file() {
    let s = scratch("registry_missing_file");
    let path = s.path("nope.csv");
    assert_refused(run(&["weights", "--registry", &path]), "nope.csv", None, &["не найден"]);
    let (code, stdout, _) = run(&["--json", "weights", "--registry", &path]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((code, json["error"]["code"].as_str()), (2, Some("input")), "with --json, the error as JSON");
}

#[test]
fn registry_empty_file() {
    let s = scratch("registry_empty_file");
    s.write("registry.csv", "");
    assert_refused(weights_of(&s), "registry.csv", Some(1), &["пуст"]);
}

#[test]
fn registry_missing_column() {
    let s = scratch("registry_missing_column");
    s.edit_line("registry.csv", 1, ",area,", ",square,");
    assert_refused(weights_of(&s), "registry.csv", Some(1), &["«area»"]);
}

#[test]
fn registry_non_numeric_area() {
    let s = scratch("registry_non_numeric_area");
    s.edit_line("registry.csv", 3, ",100,", ",сто,");
    assert_refused(weights_of(&s), "registry.csv", Some(3), &["«сто»", "area"]);
}

#[test]
fn registry_zero_area() {
    let s = scratch("registry_zero_area");
    s.edit_line("registry.csv", 12, ",200,", ",0,");
    assert_refused(weights_of(&s), "registry.csv", Some(12), &["area", "больше нуля"]);
}

#[test]
fn a_ballot_received_a_year_before_the_meeting_is_counted_with_a_warning() {
    let s = scratch("ballot_early_year");
    let before = run_json(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")]);
    s.edit_line("ballots.csv", 3, "2026-12-16", "0026-12-16");
    let json = run_json(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")]);
    assert_eq!(json["participated"], before["participated"], "still counted");
    assert_eq!(warning_codes(&json).get("early_ballot"), Some(&1));
    let (_, text, _) = tally_of(&s);
    assert!(
        text.contains("строка 3: решение «Петров Пётр Петрович» (помещение 2) получено 16.12.0026, больше чем за год до собрания: проверьте год"),
        "{text}"
    );
}

#[test]
fn a_crlf_file_or_one_with_blank_lines_names_the_right_line() {
    let s = scratch("registry_crlf_line");
    s.edit_line("registry.csv", 12, ",200,", ",0,");
    let text = std::fs::read_to_string(s.path("registry.csv")).unwrap();
    s.write("registry.csv", text.replace('\n', "\r\n"));
    assert_refused(weights_of(&s), "registry.csv", Some(12), &["area", "больше нуля"]);
    s.write("registry.csv", text.replacen('\n', "\n\n\n", 1));
    assert_refused(weights_of(&s), "registry.csv", Some(14), &["area", "больше нуля"]);
    let ballots = std::fs::read_to_string(s.path("ballots.csv")).unwrap().replace('\n', "\r\n");
    s.write("registry.csv", text.replace(",0,", ",200,"));
    s.write("ballots.csv", ballots.replace("против,за,против", "да,за,против"));
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["«да»"]);
}

#[test]
fn registry_area_differs_within_premise() {
    let s = scratch("registry_area_differs_within_premise");
    s.edit_line("registry.csv", 3, ",100,", ",101,");
    assert_refused(weights_of(&s), "registry.csv", Some(3), &["area", "строки 2"]);
}

#[test]
fn registry_share_not_a_fraction() {
    let s = scratch("registry_share_not_a_fraction");
    s.edit_line("registry.csv", 2, ",3/4,", ",\"0,5\",");
    assert_refused(weights_of(&s), "registry.csv", Some(2), &["0,5", "не дробь"]);
}

#[test]
fn registry_shares_over_one() {
    let s = scratch("registry_shares_over_one");
    s.edit_line("registry.csv", 3, ",1/4,", ",1/2,");
    assert_refused(weights_of(&s), "registry.csv", None, &["5/4", "больше 1"]);
}

#[test]
fn registry_rooms_larger_than_flat() {
    let s = scratch("registry_rooms_larger_than_flat");
    s.edit_line("registry.csv", 4, ",к1,30,", ",к1,90,");
    assert_refused(weights_of(&s), "registry.csv", None, &["помещение 2", "комнат"]);
}

#[test]
fn registry_rows_with_and_without_rooms() {
    let s = scratch("registry_rows_with_and_without_rooms");
    s.edit_line("registry.csv", 6, ",к3,10,", ",,,");
    assert_refused(weights_of(&s), "registry.csv", Some(6), &["помещение 2", "комнат"]);
}

#[test]
fn registry_unknown_kind() {
    let s = scratch("registry_unknown_kind");
    s.edit_line("registry.csv", 7, ",flat,", ",castle,");
    assert_refused(weights_of(&s), "registry.csv", Some(7), &["«castle»"]);
}

#[test]
fn registry_unknown_owner_kind() {
    let s = scratch("registry_unknown_owner_kind");
    s.edit_line("registry.csv", 12, ",legal,", ",alien,");
    assert_refused(weights_of(&s), "registry.csv", Some(12), &["«alien»"]);
}

#[test]
fn registry_duplicate_owner_in_premise() {
    let s = scratch("registry_duplicate_owner_in_premise");
    s.edit_line("registry.csv", 3, "Сергеев Сергей Сергеевич", "Иванов Иван Иванович");
    assert_refused(weights_of(&s), "registry.csv", Some(3), &["Иванов Иван Иванович", "строке 2"]);
}

#[test]
fn registry_ragged_row() {
    let s = scratch("registry_ragged_row");
    s.edit_line("registry.csv", 5, ",Смирнова Анна Павловна,", ",Смирнова Анна Павловна,лишнее,");
    assert_refused(weights_of(&s), "registry.csv", Some(5), &[]);
}

#[test]
fn registry_error_message_in_english() {
    let s = scratch("registry_error_message_in_english");
    s.edit_line("registry.csv", 3, ",100,", ",abc,");
    let result = run(&["--lang", "en", "weights", "--registry", &s.path("registry.csv")]);
    assert_refused(result, "registry.csv", Some(3), &["not a number"]);
}

// ---------------------------------------------------------------------------------------------
// 5. bad input: ballots
// ---------------------------------------------------------------------------------------------

#[test]
fn ballots_unknown_premise() {
    let s = scratch("ballots_unknown_premise");
    s.edit_line("ballots.csv", 3, "2,", "99,");
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["«99»"]);
}

#[test]
fn ballots_unknown_owner() {
    let s = scratch("ballots_unknown_owner");
    s.edit_line("ballots.csv", 3, "Петров Пётр Петрович", "Петров Пётр");
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["«Петров Пётр»"]);
}

#[test]
fn ballots_duplicate_names_both_lines() {
    let s = scratch("ballots_duplicate_names_both_lines");
    let text = s.read("ballots.csv");
    let line4 = text.lines().nth(3).expect("line 4").to_owned();
    assert!(line4.contains("Сергеев"), "{line4}");
    s.write("ballots.csv", format!("{text}{line4}\n"));
    assert_refused(tally_of(&s), "ballots.csv", Some(7), &["Сергеев Сергей Сергеевич", "строке 4"]);
}

#[test]
fn ballots_two_columns_for_one_question_are_refused() {
    let s = scratch("ballots_two_columns_for_one_question");
    s.edit_line("ballots.csv", 1, "premise,owner,1,2,3,", "premise,owner,1,2,3,01,");
    let text: String =
        s.read("ballots.csv").lines().skip(1).map(|l| l.replacen(",2026", ",против,2026", 1) + "\n").collect();
    s.write("ballots.csv", format!("premise,owner,1,2,3,01,received,defect\n{text}"));
    assert_refused(tally_of(&s), "ballots.csv", Some(1), &["«1»", "«01»", "вопрос 1"]);
}

#[test]
fn ballots_for_a_latin_look_alike_label_count_for_the_cyrillic_premise() {
    let s = scratch("ballots_latin_look_alike");
    s.edit_line("registry.csv", 12, "Полуподвал", "Н-1");
    s.edit_line("ballots.csv", 2, "Полуподвал", "H-1");
    let json = run_json(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")]);
    assert_eq!(json["participated"], "275", "the Latin H-1 ballot is the shop's");
}

#[test]
fn registry_latin_and_cyrillic_look_alike_labels_are_refused() {
    let s = scratch("registry_look_alike_labels");
    s.edit_line("registry.csv", 11, "Чердак", "Н-1");
    s.edit_line("registry.csv", 12, "Полуподвал", "H-1");
    assert_refused(weights_of(&s), "registry.csv", Some(12), &["«H-1»", "«Н-1»", "строке 11"]);
}

#[test]
fn registry_escape_in_an_owner_name_is_refused_and_never_printed_raw() {
    let s = scratch("registry_escape_in_owner");
    s.edit_line("registry.csv", 4, "Петров Пётр Петрович", "Петров\u{1b}[2J Пётр Петрович");
    let result = weights_of(&s);
    assert!(!result.2.contains('\u{1b}'), "the escape must not reach the terminal: {:?}", result.2);
    assert_refused(result, "registry.csv", Some(4), &["«owner»", "U+001B"]);
}

#[test]
fn registry_person_and_company_with_one_name_in_one_premise_are_refused() {
    let s = scratch("registry_person_and_company");
    s.edit_line("registry.csv", 3, "Сергеев Сергей Сергеевич,person", "Иванов Иван Иванович,legal");
    assert_refused(weights_of(&s), "registry.csv", Some(3), &["Иванов Иван Иванович", "строке 2"]);
}

#[test]
fn weights_counts_holdings_and_owners_with_russian_plurals() {
    let s = scratch("weights_plurals");
    s.write("registry.csv", "premise,kind,area,owner\n1,flat,50,Иванов\n");
    assert!(run_ok(&["weights", "--registry", &s.path("registry.csv")]).contains("(1 владение, 1 собственник)"));
    let guide_ru = run_ok(&["weights", "--registry", &guide("registry.csv")]);
    assert!(guide_ru.contains("(7 владений, 7 собственников)"), "{guide_ru}");
}

#[test]
fn meeting_escape_in_a_string_is_refused_with_line_and_column() {
    let s = scratch("meeting_escape");
    s.edit("meeting.toml", "chair = \"Иванов Иван Иванович\"", "chair = \"Иванов\\u001b[2J\"");
    let (code, stdout, stderr) = tally_of(&s);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let line = s.read("meeting.toml").lines().position(|l| l.starts_with("chair")).expect("chair line") + 1;
    let message = assert_refused((code, stdout, stderr), &format!("meeting.toml:{line}:9:"), None, &["meeting.chair"]);
    assert!(message.contains("U+001B"), "{message}");
}

#[test]
fn ballots_unknown_answer() {
    let s = scratch("ballots_unknown_answer");
    s.edit_line("ballots.csv", 3, ",против,", ",может быть,");
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["«может быть»"]);
}

#[test]
fn ballots_missing_question_column() {
    let s = scratch("ballots_missing_question_column");
    // Drop column "3" (the fifth field) from every line.
    let text: String = s
        .read("ballots.csv")
        .lines()
        .map(|l| {
            let mut fields: Vec<&str> = l.split(',').collect();
            fields.remove(4);
            fields.join(",") + "\n"
        })
        .collect();
    assert!(text.starts_with("premise,owner,1,2,received"), "{text}");
    s.write("ballots.csv", text);
    assert_refused(tally_of(&s), "ballots.csv", Some(1), &["3"]);
}

#[test]
fn ballots_bad_date() {
    let s = scratch("ballots_bad_date");
    s.edit_line("ballots.csv", 3, "2026-12-16", "16/12/2026");
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["16/12/2026"]);
    s.edit_line("ballots.csv", 3, "16/12/2026", "2026-02-30");
    assert_refused(tally_of(&s), "ballots.csv", Some(3), &["2026-02-30"]);
}

#[test]
fn ballots_missing_file() {
    let s = scratch("ballots_missing_file");
    let result = run(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("none.csv")]);
    assert_refused(result, "none.csv", None, &[]);
}

// ---------------------------------------------------------------------------------------------
// 5. bad input: meeting
// ---------------------------------------------------------------------------------------------

fn tally_meeting_only(s: &Scratch) -> (i32, String, String) {
    run(&["tally", "--meeting", &s.path("meeting.toml")])
}

#[test]
fn meeting_missing_key() {
    let s = scratch("meeting_missing_key");
    s.edit_line("meeting.toml", 11, "date = 2026-12-10", "");
    assert_refused(tally_meeting_only(&s), "meeting.toml", None, &["date"]);
    // deadlines reads the same file and refuses it the same way.
    assert_refused(run(&["deadlines", "--meeting", &s.path("meeting.toml")]), "meeting.toml", None, &["date"]);
}

#[test]
fn meeting_bad_date_value() {
    let s = scratch("meeting_bad_date_value");
    s.edit_line("meeting.toml", 11, "2026-12-10", "\"вчера\"");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(11), &["«вчера»"]);
}

#[test]
fn meeting_unknown_form() {
    let s = scratch("meeting_unknown_form");
    s.edit_line("meeting.toml", 10, "\"in_person_and_absentee\"", "\"online\"");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(10), &["«online»"]);
}

#[test]
fn meeting_bad_item() {
    let s = scratch("meeting_bad_item");
    s.edit_line("meeting.toml", 31, "item = \"4\"", "item = \"четыре\"");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(31), &["«четыре»"]);
}

#[test]
fn meeting_registry_not_found() {
    let s = scratch("meeting_registry_not_found");
    s.edit_line("meeting.toml", 6, "registry.csv", "nowhere.csv");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(6), &["nowhere.csv"]);
}

#[test]
fn meeting_registry_is_relative_to_meeting_file() {
    // The scratch copy's registry.csv is bad; the meeting must read it, not the one in the cwd.
    let s = scratch("meeting_registry_is_relative_to_meeting_file");
    s.edit_line("registry.csv", 3, ",100,", ",abc,");
    assert_refused(tally_meeting_only(&s), "registry.csv", Some(3), &["«abc»"]);
}

#[test]
fn meeting_toml_syntax_error() {
    let s = scratch("meeting_toml_syntax_error");
    s.edit_line("meeting.toml", 12, "\"19:00\"", "\"19:00");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(12), &["TOML"]);
}

#[test]
fn meeting_voting_ends_before_date() {
    let s = scratch("meeting_voting_ends_before_date");
    s.edit("meeting.toml", "voting_ends = 2026-12-20", "voting_ends = 2026-12-01");
    assert_refused(tally_meeting_only(&s), "meeting.toml", Some(14), &["voting_ends"]);
}

#[test]
fn meeting_missing_file() {
    let s = scratch("meeting_missing_file");
    assert_refused(run(&["tally", "--meeting", &s.path("zzz.toml")]), "zzz.toml", None, &[]);
    assert_refused(run(&["deadlines", "--meeting", &s.path("zzz.toml")]), "zzz.toml", None, &[]);
}

// ---------------------------------------------------------------------------------------------
// 6. accepted file variants
// ---------------------------------------------------------------------------------------------

#[test]
fn registry_with_bom_comma_delimiter_and_decimal_comma() {
    let s = scratch("registry_with_bom_comma_delimiter_and_decimal_comma");
    s.edit_line("registry.csv", 2, ",100,", ",\"100,0\",");
    s.edit_line("registry.csv", 3, ",100,", ",\"100,0\",");
    s.edit_line("registry.csv", 12, ",200,", ",\"200,5\",");
    let text = s.read("registry.csv");
    s.write("registry.csv", format!("\u{feff}{text}"));
    let json = run_json(&["weights", "--registry", &s.path("registry.csv")]);
    assert_eq!(json["total"], "1001/2", "500 + 0.5 m²");
    let shop = json["holdings"].as_array().unwrap().iter().find(|h| h["premise"] == "Полуподвал").expect("shop");
    assert_eq!(shop["votes"], "401/2");
    // The BOM must not stick to the first header name nor to the first premise.
    assert_eq!(json["holdings"][0]["premise"], "1");
}

#[test]
fn registry_russian_headers_and_semicolons() {
    let s = scratch("registry_russian_headers_and_semicolons");
    s.write(
        "registry.csv",
        "Помещение;Тип;Площадь;Собственник;Доля\n1;квартира;54,3;Иванов Иван;1/2\n1;квартира;54,3;Петров Пётр;1/2\n",
    );
    let json = run_json(&["weights", "--registry", &s.path("registry.csv")]);
    assert_eq!(json["total"], "543/10");
    assert_eq!(json["holdings"][0]["votes"], "543/20");
}

#[test]
fn ballots_with_dotted_dates() {
    let s = scratch("ballots_with_dotted_dates");
    // The late ballot of line 5, dated 19.12.2026 instead, is now counted.
    s.edit_line("ballots.csv", 5, "2026-12-21", "19.12.2026");
    s.edit_line("ballots.csv", 3, "2026-12-16", "16.12.2026");
    let (code, stdout, stderr) = tally_of(&s);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Приняли участие: 350,00 (70,00 %)"), "{stdout}");
    let json = run_json(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")]);
    assert_eq!(json["participated"], "350");
    assert_eq!(warning_codes(&json).get("late_ballot"), None);

    // And 21.12.2026 is after voting_ends = 2026-12-20: late, not counted.
    s.edit_line("ballots.csv", 5, "19.12.2026", "21.12.2026");
    let json = run_json(&["tally", "--meeting", &s.path("meeting.toml"), "--ballots", &s.path("ballots.csv")]);
    assert_eq!(json["participated"], "275");
    assert_eq!(warning_codes(&json).get("late_ballot"), Some(&1));
}

// ---------------------------------------------------------------------------------------------
// 7. usage errors
// ---------------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &["frobnicate"],
        &["weights", "--registry"],
        &["tally", "--ballots", "ballots.csv"],
        &["deadlines"],
        &["--lang", "de", "weights", "--registry", "registry.csv"],
        &["deadlines", "--meeting", "meeting.toml", "--notice", "завтра"],
        &["weights", "--registry", "registry.csv", "extra"],
    ];
    for args in cases {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, 2, "obhod {args:?}: stderr {stderr}");
        assert!(stdout.is_empty(), "obhod {args:?}: stdout {stdout}");
        assert!(!stderr.trim().is_empty(), "obhod {args:?}: a usage error explains itself");
        assert!(!stderr.contains("panicked"), "obhod {args:?}: {stderr}");
    }
    // Without files, weights and tally read the campaign; with none, they say how to start one.
    for args in [&["weights"][..], &["tally"]] {
        let (code, _, stderr) = run(args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("obhod init"), "{stderr}");
    }
}
