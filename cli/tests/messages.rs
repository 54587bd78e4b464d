//! What the binary says when it is used wrongly: blank arguments refused before anything is
//! stored, `--help` and usage errors in Russian by default and English with `--lang en`, and
//! terminal escapes from arguments never printed raw.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn obhod(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod")).args(args).env_remove("OBHOD_STORE").output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn guide(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(file).to_str().unwrap().to_owned()
}

struct Store {
    dir: tempfile::TempDir,
}

impl Store {
    fn new() -> Store {
        let store = Store { dir: tempfile::tempdir().unwrap() };
        let (code, _, stderr) = store.run(&["init", "--meeting", &guide("meeting.toml")]);
        assert_eq!(code, 0, "{stderr}");
        store
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("obhod.db")
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let path = self.path();
        let mut all = vec!["--store", path.to_str().unwrap()];
        all.extend_from_slice(args);
        obhod(&all)
    }

    fn facts(&self) -> usize {
        let (code, stdout, stderr) = self.run(&["--json", "status", "1"]);
        assert_eq!(code, 0, "{stderr}");
        let status: Value = serde_json::from_str(&stdout).unwrap();
        status["facts"].as_array().unwrap().len()
    }
}

/// Exit code 2, the message on stderr, and on stdout nothing (or with `--json`, the error as JSON).
fn refused(result: (i32, String, String)) -> String {
    let (code, stdout, stderr) = result;
    assert_eq!(code, 2, "{stdout}{stderr}");
    let json = || serde_json::from_str::<Value>(&stdout).is_ok_and(|j| j["error"]["exit"] == 2);
    assert!(stdout.is_empty() || json(), "{stdout}");
    stderr
}

#[test]
fn blank_text_arguments_are_refused_and_nothing_is_recorded() {
    let store = Store::new();
    for args in [
        &["mark", "1", "delivered", "--owner", ""][..],
        &["mark", "1", "delivered", "--owner", "   "],
        &["mark", "1", "delivered", "--note", ""],
        &["mark", "1", "contact", "--phone", "", "--owner", "Иванов Иван Иванович"],
        &["mark", "1", "contact", "--email", " ", "--owner", "Иванов Иван Иванович"],
        &["mark", "", "delivered"],
        &["mark", "1", " "],
        &["undo", ""],
        &["status", ""],
    ] {
        let message = refused(store.run(args));
        assert!(message.contains("пустое значение"), "{args:?}: {message}");
    }
    assert_eq!(store.facts(), 0);
    let message = refused(store.run(&["--lang", "en", "mark", "1", "delivered", "--owner", ""]));
    assert!(message.contains("--owner <NAME> is empty"), "{message}");
    // A required argument cannot be left out, as an option can.
    let message = refused(store.run(&["undo", ""]));
    assert!(message.contains("obhod: пустое значение <ФАКТ>: укажите его (пустая переменная оболочки?)"), "{message}");
    let message = refused(store.run(&["--lang", "en", "mark", " ", "delivered"]));
    assert!(message.contains("obhod: <PREMISE> is empty: give a value (an unset shell variable?)"), "{message}");
    assert_eq!(store.facts(), 0);
}

#[test]
fn blank_paths_are_refused() {
    for args in [
        &["--store", "", "status"][..],
        &["weights", "--registry", ""],
        &["tally", "--meeting", " "],
        &["deadlines", "--meeting", ""],
        &["init", "--meeting", ""],
        &["ballots", "import", ""],
    ] {
        let message = refused(obhod(args));
        assert!(message.contains("пустое значение"), "{args:?}: {message}");
    }
    // An empty $OBHOD_STORE is not quietly replaced by the default store.
    let out = Command::new(env!("CARGO_BIN_EXE_obhod")).args(["status"]).env("OBHOD_STORE", " ").output().unwrap();
    let message = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains("OBHOD_STORE"), "{message}");
}

#[test]
fn help_is_russian_by_default_and_english_with_lang_en() {
    let (code, stdout, _) = obhod(&["--help"]);
    assert_eq!(code, 0);
    for words in ["Использование: obhod", "Команды:", "Параметры:", "Показать справку", "Записать одну отметку"]
    {
        assert!(stdout.contains(words), "{words}: {stdout}");
    }
    assert!(!stdout.contains("Usage:") && !stdout.contains("Options:"), "{stdout}");
    let (code, stdout, _) = obhod(&["mark", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Аргументы:") && stdout.contains("<ПОМЕЩЕНИЕ>"), "{stdout}");
    let (code, stdout, _) = obhod(&["--lang", "en", "mark", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Usage: obhod mark") && stdout.contains("Records one canvass fact"), "{stdout}");
    let (code, stdout, _) = obhod(&["--lang=en", "--help"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Commands:"), "{stdout}");
    let (code, stdout, _) = obhod(&["help", "mark"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("Использование: obhod mark"), "{stdout}");
    let (code, stdout, stderr) = obhod(&["--lang", "en", "help", "mark"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Usage: obhod mark"), "{stdout}");
    let (code, stdout, stderr) = obhod(&["--json", "--store", "x.db", "help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Использование: obhod"), "{stdout}");
    // An option given twice (an alias adds one): the last one wins.
    let (code, stdout, stderr) = obhod(&["--lang=en", "--lang", "ru", "--help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Использование: obhod"), "{stdout}");
    let (code, stdout, stderr) = obhod(&["--lang=en", "status", "--lang", "ru", "--help"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Использование: obhod status"), "{stdout}");
    let (code, stdout, _) = obhod(&["--version"]);
    assert_eq!((code, stdout.starts_with("obhod ")), (0, true));
}

#[test]
fn a_mistyped_command_gets_a_suggestion() {
    let message = refused(obhod(&["marc", "1", "delivered"]));
    assert!(message.contains("неизвестная команда «marc»; может быть, mark?"), "{message}");
    let message = refused(obhod(&["--lang", "en", "stauts"]));
    assert!(message.contains("unknown command «stauts»; did you mean status?"), "{message}");
    // A phone left on the Russian layout types `ьфкл` for `mark`.
    let message = refused(obhod(&["ьфкл", "1", "delivered"]));
    assert!(
        message.contains("неизвестная команда «ьфкл»; может быть, mark? (набрано в русской раскладке)"),
        "{message}"
    );
}

#[test]
fn an_owner_given_twice_is_refused_as_given_twice() {
    let store = Store::new();
    let args = ["mark", "1", "delivered", "--owner", "Иванов Иван Иванович", "--owner", "Сергеев Сергей Сергеевич"];
    let message = refused(store.run(&args));
    assert!(message.contains("--owner <ИМЯ> указан дважды"), "{message}");
    assert_eq!(store.facts(), 0);
}

#[test]
fn usage_errors_are_russian_by_default_and_english_with_lang_en() {
    let cases: [(&[&str], &str, &str); 6] = [
        (&["mark", "1", "delivered", "--bogus"], "неизвестный параметр «--bogus»", "unknown option «--bogus»"),
        (&["mark", "1"], "не хватает аргумента: <ИСХОД>", "missing argument: <OUTCOME>"),
        (&["status", "--store"], "у --store <ПУТЬ> нет значения", "--store <PATH> needs a value"),
        (&["--json", "frobnicate"], "неизвестная команда «frobnicate»", "unknown command «frobnicate»"),
        (&["deadlines", "--meeting", "m.toml", "--notice", "33"], "«33» не дата", "«33» is not a date"),
        (&["--lang", "de", "status"], "недопустимое значение «de» для --lang", "invalid value «de» for --lang"),
    ];
    for (args, russian, english) in cases {
        let message = refused(obhod(args));
        assert!(message.contains(russian), "{args:?}: {message}");
        let mut en = vec!["--lang", "en"];
        en.extend_from_slice(args);
        if args[0] == "--lang" {
            en = vec!["--lang", "de", "--lang=en", "status"];
        }
        let message = refused(obhod(&en));
        assert!(message.contains(english), "{en:?}: {message}");
    }
    // A value clap cannot parse is named in the user's language, without clap's English.
    let message = refused(obhod(&["mail-list", "--out", "m.csv", "--split", "x"]));
    assert!(message.starts_with("obhod: --split") && message.contains("«x»"), "{message}");
    assert!(!message.contains("invalid") && !message.contains("For more information"), "{message}");
    // A command group without its command: its help, and exit code 2.
    let message = refused(obhod(&["ballots"]));
    assert!(message.contains("import"), "{message}");
}

#[test]
fn control_characters_in_arguments_are_refused_by_name_and_never_printed_raw() {
    let store = Store::new();
    for (args, code) in [
        (&["mark", "1", "absent", "--note", "звонить \u{1b}[2J\u{1b}]0;x\u{7}после 18"][..], "U+001B"),
        (&["mark", "1", "absent", "--note", "a\u{202e}b"], "U+202E"),
        (&["mark", "1\u{1b}[31m", "delivered"], "U+001B"),
        (&["mark", "1", "delivered", "--owner", "\u{1b}[1mX"], "U+001B"),
        (&["undo", "x\u{85}"], "U+0085"),
    ] {
        let message = refused(store.run(args));
        assert!(!message.contains('\u{1b}') && !message.contains('\u{202e}'), "{message:?}");
        assert!(message.contains("недопустимый управляющий символ") && message.contains(code), "{args:?}: {message}");
    }
    assert_eq!(store.facts(), 0);
    let message = refused(store.run(&["--lang", "en", "mark", "1", "absent", "--note", "a\tb"]));
    assert!(message.contains("--note <TEXT>: forbidden control character U+0009"), "{message}");
}

#[test]
fn an_input_path_that_is_no_file_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::os::unix::fs::symlink(&a, &b).unwrap();
    std::os::unix::fs::symlink(&b, &a).unwrap();
    let dir_path = dir.path().to_str().unwrap();
    let cases: [(&str, &str, &str); 4] = [
        (dir_path, "это каталог, а не файл", "this is a directory, not a file"),
        ("/dev/zero", "не обычный файл", "not a regular file"),
        (a.to_str().unwrap(), "символические ссылки образуют петлю", "the symbolic links form a loop"),
        ("/nonexistent/registry.csv", "файл не найден", "file not found"),
    ];
    for (path, russian, english) in cases {
        let message = refused(obhod(&["weights", "--registry", path]));
        assert!(message.contains(path) && message.contains(russian), "{path}: {message}");
        let message = refused(obhod(&["--lang", "en", "weights", "--registry", path]));
        assert!(message.contains(english), "{path}: {message}");
    }
    // The registry path named in a meeting file: the meeting's line, then the registry's path.
    std::fs::create_dir(dir.path().join("registry.csv")).unwrap();
    let meeting = std::fs::read_to_string(guide("meeting.toml")).unwrap();
    std::fs::write(dir.path().join("meeting.toml"), meeting).unwrap();
    let message = refused(obhod(&["tally", "--meeting", dir.path().join("meeting.toml").to_str().unwrap()]));
    assert!(message.contains("meeting.toml:") && message.contains("registry.csv: это каталог"), "{message}");
}

#[test]
fn a_store_that_is_a_directory_or_garbage_is_named_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let message = refused(obhod(&["--store", dir.path().to_str().unwrap(), "status"]));
    assert!(message.contains("это каталог, а не файл"), "{message}");
    let garbage = dir.path().join("x.db");
    std::fs::write(&garbage, (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
    let message = refused(obhod(&["--store", garbage.to_str().unwrap(), "mark", "1", "absent"]));
    assert!(message.contains("x.db: это не хранилище obhod"), "{message}");
    let message = refused(obhod(&["--lang", "en", "--store", "/dev/zero", "status"]));
    assert!(message.contains("/dev/zero: not a regular file"), "{message}");
}
