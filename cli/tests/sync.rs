//! The group's evening merge through the real binaries on 127.0.0.1, every process bounded in
//! time: the organiser invites two devices, each joins, the three record different marks, and
//! `obhod syncd` plus `obhod sync` bring all three to the same `status --json`; the daemon stops
//! cleanly on SIGTERM; a peer killed mid-sync and restarted loses nothing; a bad address is
//! refused, and a closed port and a revoked device are each told for what they are, in the user's
//! language with what to do.

mod devices;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use devices::{Daemon, Invitation, LIMIT, failed, free_port, guide, obhod, ok, status, sync};

/// The organiser invites, the device at `store` joins as `name`.
fn join(organiser: &Path, store: &Path, name: &str) {
    let invitation = Invitation::start(organiser);
    let joined = ok(store, &["group", "join", &invitation.code, "--name", name]);
    assert!(joined.contains(&format!("Устройство «{name}» в группе «Дом»")), "{joined}");
    let (code, invited) = invitation.finish();
    assert_eq!(code, 0, "{invited}");
    assert!(invited.contains(&format!("Присоединилось устройство «{name}»")), "{invited}");
}

/// Three devices of one group, each with a different mark.
fn group(dir: &Path) -> [PathBuf; 3] {
    let [a, b, c] = ["a.db", "b.db", "c.db"].map(|name| dir.join(name));
    ok(&a, &["init", "--meeting", &guide("meeting.toml")]);
    ok(&a, &["group", "create", "--name", "Дом"]);
    join(&a, &b, "Телефон Б");
    join(&a, &c, "Телефон В");
    for (store, premise) in [(&a, "1"), (&b, "2"), (&c, "3")] {
        ok(store, &["mark", premise, "absent"]);
    }
    [a, b, c]
}

#[test]
fn three_devices_joined_by_invite_converge_through_the_daemon_and_obhod_sync() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, c] = group(dir.path());
    let port = free_port();
    let daemon = Daemon::start(&a, port, &[]);
    let first = sync(&b, port);
    assert!(first.contains("Организатор") && first.contains("получено 1 факт, отправлено 1 факт"), "{first}");
    sync(&c, port);
    sync(&b, port);
    let (stopped, log) = daemon.terminate();
    assert!(stopped.success(), "a clean stop: {log}");
    assert!(log.contains("stopping") && !log.contains("Телефон"), "{log}");
    let statuses = [status(&a), status(&b), status(&c)];
    assert_eq!(statuses[0], statuses[1]);
    assert_eq!(statuses[0], statuses[2]);
    assert!(statuses[0].contains("\"absent\""), "{}", statuses[0]);
}

#[test]
fn a_daemon_killed_mid_sync_and_restarted_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, _] = group(dir.path());
    let (port_a, port_b) = (free_port(), free_port());
    let daemon_a = Daemon::start(&a, port_a, &[]);
    for _ in 0..30 {
        ok(&b, &["mark", "2", "absent"]);
    }
    let mut daemon_b = Daemon::spawn(&b, port_b, &[port_a]);
    std::thread::sleep(Duration::from_millis(300));
    daemon_b.child.kill().unwrap();
    daemon_b.child.wait().unwrap();
    let daemon_b = Daemon::start(&b, port_b, &[port_a]);
    let start = Instant::now();
    while status(&a) != status(&b) {
        assert!(start.elapsed() < LIMIT, "no convergence after the restart");
        std::thread::sleep(Duration::from_millis(200));
    }
    let visits = |store: &Path| {
        let status: serde_json::Value = serde_json::from_str(&status(store)).unwrap();
        status["premises"].as_array().unwrap().iter().map(|p| p["visits"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(visits(&a)[..3], [1, 31, 0], "every mark of the killed device arrived");
    daemon_b.terminate();
    daemon_a.terminate();
}

#[test]
fn a_bad_address_is_refused_and_a_closed_port_is_told_from_a_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("a.db");
    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    let (code, _, stderr) = obhod(&store, &["sync", "--peer", "nowhere"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("«nowhere» не адрес (АДРЕС:ПОРТ"), "{stderr}");
    let stderr = failed(&store, &["sync", "--peer", "127.0.0.1:9"]);
    assert!(stderr.contains("не состоит в группе"), "{stderr}");
    ok(&store, &["group", "create", "--name", "Дом"]);
    let stderr = failed(&store, &["sync"]);
    assert!(stderr.contains("адреса устройств группы ещё неизвестны") && stderr.contains("--peer"), "{stderr}");
    let port = free_port();
    let stderr = failed(&store, &["--lang", "en", "sync", "--peer", &format!("127.0.0.1:{port}")]);
    assert!(stderr.contains(&format!("127.0.0.1:{port}: the device is there, but port {port} is closed")), "{stderr}");
    assert!(stderr.contains(&format!("sudo ufw allow {port}/udp")), "{stderr}");
    assert!(stderr.contains("no device of the group was reached") && !stderr.contains("does not answer"), "{stderr}");
    let stderr = failed(&store, &["sync", "--peer", &format!("127.0.0.1:{port}")]);
    assert!(stderr.contains(&format!("127.0.0.1:{port}: устройство есть, но порт {port} закрыт")), "{stderr}");
    assert!(stderr.contains("ни с одним устройством группы связаться не удалось"), "{stderr}");
    let (_, stdout, _) = obhod(&store, &["--json", "sync", "--peer", &format!("127.0.0.1:{port}")]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["failures"][0]["code"], "port_closed", "{report}");
    assert_eq!(report["unreachable"][0], format!("127.0.0.1:{port}"), "{report}");
}

#[test]
fn a_revoked_device_is_refused_and_told_what_happened_not_that_nobody_answered() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _, c] = group(dir.path());
    ok(&a, &["group", "revoke", "Телефон В"]);
    let port = free_port();
    let daemon = Daemon::start(&a, port, &[]);
    let before = status(&a);
    let stderr = failed(&c, &["sync", "--peer", &format!("127.0.0.1:{port}")]);
    assert!(stderr.contains(&format!("127.0.0.1:{port}: организатор исключил это устройство из группы")), "{stderr}");
    assert!(stderr.contains("obhod group invite") && !stderr.contains("не отвечает"), "{stderr}");
    assert_eq!(status(&a), before, "nothing of the revoked device was taken");
    let (_, stdout, _) = obhod(&c, &["--json", "sync", "--peer", &format!("127.0.0.1:{port}")]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((&report["failures"][0]["code"], &report["error"]["exit"]), (&"revoked".into(), &1.into()), "{report}");
    daemon.terminate();
}

/// The daemon is a command of the one binary, `obhod syncd`, spoken to like the others: help and
/// usage errors in Russian (English with `--lang en`), a store it cannot serve refused with the
/// reason and exit 2, the reason as JSON with `--json`, and its log on stderr, not in obhod.log.
#[test]
fn the_daemon_is_obhod_syncd_with_help_and_refusals_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("a.db");
    let help = ok(&store, &["syncd", "--help"]);
    for words in ["Демон синхронизации", "--listen <АДРЕС:ПОРТ>", "--peer <АДРЕС:ПОРТ>", "--no-mdns", "порт 47474"]
    {
        assert!(help.contains(words), "{words}: {help}");
    }
    let help = ok(&store, &["--lang", "en", "syncd", "--help"]);
    assert!(help.contains("The sync daemon") && help.contains("--listen <HOST:PORT>"), "{help}");
    let commands = ok(&store, &["--help"]);
    assert!(commands.contains("syncd") && commands.contains("Демон синхронизации"), "{commands}");

    let (code, stdout, stderr) = obhod(&store, &["syncd", "--listen", "nowhere"]);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("«nowhere» не адрес (АДРЕС:ПОРТ"), "{stderr}");
    let (code, _, stderr) = obhod(&store, &["syncd", "--peers", "127.0.0.1:1"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("неизвестный параметр «--peers»; может быть, --peer?"), "{stderr}");

    let listen = ["syncd", "--no-mdns", "--listen", "127.0.0.1:0"];
    let (code, stdout, stderr) = obhod(&store, &listen);
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("obhod: ") && stderr.contains("кампании нет; создайте её: obhod init"), "{stderr}");
    let (code, stdout, _) = obhod(&store, &[&["--json"][..], &listen].concat());
    let error: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!((code, &error["error"]["exit"]), (2, &2.into()), "{error}");

    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    let stderr = failed(&store, &["--lang", "en", "syncd", "--no-mdns", "--listen", "127.0.0.1:0"]);
    assert!(stderr.contains("obhod: ") && stderr.contains("group create"), "{stderr}");
    assert!(stderr.contains("start command=\"syncd\""), "the daemon logs to stderr: {stderr}");
    let log = std::fs::read_to_string(dir.path().join("obhod/obhod.log")).unwrap_or_default();
    assert!(!log.contains("syncd"), "the daemon's log is not obhod.log: {log}");
}

#[test]
fn a_revocation_list_that_does_not_verify_is_told_in_the_summary_and_sync_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, c] = group(dir.path());
    let port = free_port();
    let daemon = Daemon::start(&a, port, &[]);
    sync(&b, port);
    // A list the group's authority never signed, shutting out device C, lands in the organiser's
    // store (a member cannot write the group's record: its peers refuse the change) and reaches B.
    let forged = obhod_syncd::GroupCa::create("X").unwrap();
    let der = forged.revocation_list(1, &[vec![1]], std::time::SystemTime::now()).unwrap();
    let lost = obhod_store::Campaign::open(&c).unwrap().device().to_string();
    let mut campaign = obhod_store::Campaign::open(&a).unwrap();
    campaign.revoke(&lost, &obhod_store::Revocations { number: 1, der }).unwrap();
    drop(campaign);
    sync(&b, port);
    let summary = sync(&b, port);
    assert!(summary.contains("Организатор"), "B still syncs with the organiser: {summary}");
    assert!(summary.contains("Список исключённых устройств № 1 не прошёл проверку подписи группы"), "{summary}");
    let (stopped, log) = daemon.terminate();
    assert!(stopped.success(), "{log}");
}
