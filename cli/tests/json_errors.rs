//! With `--json`, a refused or failed command still prints JSON on stdout, an `error` object with
//! its code, exit code and message (and the file and line of a bad input), so that a script never
//! reads an empty stdout; the message for people stays on stderr.

use serde_json::Value;

mod support;
use support::{Workdir, fixture};

/// (exit code, the JSON on stdout, stderr) of a command that fails.
fn failed(workdir: &Workdir, args: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = workdir.run(args);
    assert_ne!(code, 0, "obhod {args:?} should fail: {stdout}");
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("obhod {args:?}: not JSON ({e}): {stdout}"));
    (code, json, stderr)
}

#[test]
fn a_refused_mark_prints_its_error_as_json() {
    let workdir = Workdir::with("guide-example");
    let (code, json, stderr) = failed(&workdir, &["--json", "mark", "99", "delivered"]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["exit"], 2);
    assert_eq!(json["error"]["message"], "помещения «99» нет в реестре");
    assert_eq!(stderr, "obhod: помещения «99» нет в реестре\n");
    let (_, json, _) = failed(&workdir, &["--json", "--lang", "en", "undo", "NOSUCHFACT"]);
    assert_eq!(json["error"]["code"], "unknown_fact");
    assert!(json["error"]["message"].as_str().unwrap().contains("NOSUCHFACT"), "{json}");
}

#[test]
fn a_bad_file_names_its_file_and_line_in_the_json() {
    let workdir = Workdir::with("guide-example");
    std::fs::write(workdir.file("ballots.csv"), "premise,owner,1,2,3\n99,Никто,за,за,за\n").unwrap();
    let (code, json, _) = failed(&workdir, &["--json", "ballots", "import", &workdir.at("ballots.csv")]);
    assert_eq!(code, 2);
    assert_eq!(json["error"]["code"], "input");
    assert!(json["error"]["file"].as_str().unwrap().ends_with("ballots.csv"), "{json}");
    assert_eq!(json["error"]["line"], 2);
    let registry = fixture("guide-example", "nope.csv");
    let (code, json, _) = failed(&workdir, &["--json", "weights", "--registry", &registry]);
    assert_eq!((code, json["error"]["code"].as_str()), (2, Some("input")));
}

#[test]
fn a_usage_error_and_a_failure_at_run_time_are_json_too() {
    let workdir = Workdir::with("guide-example");
    let (code, json, stderr) = failed(&workdir, &["--json", "mark", "1"]);
    assert_eq!((code, json["error"]["code"].as_str()), (2, Some("usage")));
    assert!(json["error"]["message"].as_str().unwrap().starts_with("не хватает аргумента: <ИСХОД>"), "{json}");
    assert!(stderr.starts_with("obhod: не хватает аргумента"), "{stderr}");
    let (code, json, _) = failed(&workdir, &["mark", "1", "--json"]);
    assert_eq!((code, json["error"]["exit"].as_u64()), (2, Some(2)));
    // Not in a group: sync fails at run time, exit 1.
    let (code, json, _) = failed(&workdir, &["--json", "sync"]);
    assert_eq!((code, json["error"]["exit"].as_u64()), (1, Some(1)));
    // Without --json, stdout stays empty.
    let (code, stdout, _) = workdir.run(&["mark", "99", "delivered"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
}

#[test]
fn a_sync_that_reached_nobody_reports_as_one_json_on_stdout() {
    let workdir = Workdir::with("guide-example");
    workdir.ok(&["group", "create", "--name", "Совет дома"]);
    // A loopback port held by a socket that never answers; the round gives up after its timeout.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let peer = silent.local_addr().unwrap().to_string();
    let (code, json, stderr) = failed(&workdir, &["--json", "sync", "--peer", &peer]);
    assert_eq!((code, json["error"]["code"].as_str()), (1, Some("sync")));
    assert_eq!(json["unreachable"], serde_json::json!([peer]), "the report beside the error: {json}");
    assert!(json["error"]["message"].as_str().unwrap().starts_with("ни одно устройство группы не ответило"), "{json}");
    assert!(stderr.starts_with("obhod: ни одно устройство группы не ответило") && !stderr.contains('{'), "{stderr}");
}
