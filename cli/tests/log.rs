//! The log file in the data directory: what the store did, never who it was about.

use std::path::Path;
use std::process::Command;

fn obhod(data: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_obhod"))
        .args(args)
        .env_remove("OBHOD_STORE")
        .env("XDG_DATA_HOME", data)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn meeting() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example/meeting.toml").to_str().unwrap().into()
}

#[test]
fn the_log_records_actions_and_failures_without_personal_data() {
    let data = tempfile::tempdir().unwrap();
    assert_eq!(obhod(data.path(), &["init", "--meeting", &meeting()]).0, 0);
    let owner = "Иванов Иван Иванович";
    let personal =
        ["--owner", owner, "--phone", "+7 900 765-43-21", "--email", "ivanov@example.ru", "--note", "код 12d"];
    let mut contact = vec!["mark", "1", "contact", "--consent"];
    contact.extend_from_slice(&personal[..6]);
    assert_eq!(obhod(data.path(), &contact).0, 0);
    assert_eq!(obhod(data.path(), &["mark", "1", "absent", "--note", "код 12d"]).0, 0);
    let (code, stderr) = obhod(data.path(), &["mark", "2", "delivered", "--owner", owner]);
    assert_eq!(code, 2);
    assert!(stderr.contains(owner), "the user is told which owner: {stderr}");

    let log = std::fs::read_to_string(data.path().join("obhod/obhod.log")).unwrap();
    assert!(log.contains("action recorded"), "{log}");
    assert!(log.contains("command failed") && log.contains("unknown_owner"), "{log}");
    for secret in ["Иванов", "765-43-21", "ivanov@", "код 12d", "Петров"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
    #[cfg(unix)]
    for file in std::fs::read_dir(data.path().join("obhod")).unwrap() {
        use std::os::unix::fs::PermissionsExt;
        let file = file.unwrap();
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{:?} holds contacts or names devices: its owner's alone", file.file_name());
    }
}

#[test]
fn a_full_log_starts_over_keeping_one_older_file() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("obhod")).unwrap();
    let old = "старая строка\n".repeat(100_000);
    std::fs::write(data.path().join("obhod/obhod.log"), &old).unwrap();
    obhod(data.path(), &["status"]);
    assert_eq!(std::fs::read_to_string(data.path().join("obhod/obhod.log.1")).unwrap(), old);
    let log = std::fs::read_to_string(data.path().join("obhod/obhod.log")).unwrap();
    assert!(log.len() < 10_000 && log.contains("no_campaign"), "{log}");
}
