//! The organiser's group key sealed with a passphrase, as the real binaries use it on 127.0.0.1:
//! the key never reaches the store in clear; inviting, admitting and revoking need the passphrase
//! (OBHOD_PASSPHRASE here, typed unseen on a terminal); a daemon started without it keeps syncing
//! but admits no one and tells the joiner why; a wrong or short passphrase changes nothing.

mod devices;

use std::path::{Path, PathBuf};

use devices::{Daemon, Invitation, failed, free_port, guide, obhod_with, ok};

const SECRET: &str = "верный пароль";

fn run(store: &Path, args: &[&str], passphrase: Option<&str>) -> (i32, String, String) {
    let env: Vec<(&str, &str)> = passphrase.map(|p| ("OBHOD_PASSPHRASE", p)).into_iter().collect();
    obhod_with(store, args, &env)
}

fn passes(store: &Path, args: &[&str], passphrase: Option<&str>) -> String {
    let (code, stdout, stderr) = run(store, args, passphrase);
    assert_eq!(code, 0, "obhod {args:?}: {stdout}{stderr}");
    stdout
}

/// Exit 2 and the message, nothing on stdout.
fn refused(store: &Path, args: &[&str], passphrase: Option<&str>) -> String {
    let (code, stdout, stderr) = run(store, args, passphrase);
    assert_eq!(code, 2, "obhod {args:?} should be refused: {stdout}{stderr}");
    assert!(stdout.is_empty() && !stderr.contains("panicked"), "{stdout}{stderr}");
    stderr
}

/// The CA's PEM text as the store keeps it.
fn stored_ca(store: &Path) -> String {
    let conn = rusqlite::Connection::open(store).unwrap();
    conn.query_row("SELECT ca_pem FROM membership", [], |r| r.get(0)).unwrap()
}

fn laptop(dir: &Path) -> PathBuf {
    let store = dir.join("laptop.db");
    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    store
}

#[test]
fn a_sealed_key_admits_and_revokes_only_with_the_passphrase_and_a_daemon_without_it_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop(dir.path());
    let created = passes(&laptop, &["group", "create", "--name", "Совет дома 5", "--passphrase"], Some(SECRET));
    assert!(created.contains("Группа «Совет дома 5» создана"), "{created}");
    let ca = stored_ca(&laptop);
    assert!(ca.contains("OBHOD SEALED PRIVATE KEY") && !ca.contains("BEGIN PRIVATE KEY"), "{ca}");
    let members: serde_json::Value = serde_json::from_str(&ok(&laptop, &["--json", "group", "members"])).unwrap();
    assert_eq!(members[0]["organiser"], true, "the group record is signed at once: {members}");

    let sealed = refused(&laptop, &["group", "invite"], None);
    assert!(sealed.contains("ключ группы запечатан паролем") && sealed.contains("OBHOD_PASSPHRASE"), "{sealed}");
    let wrong = refused(&laptop, &["group", "invite"], Some("неверный пароль"));
    assert!(wrong.contains("пароль не подходит"), "{wrong}");

    // The daemon runs without the passphrase: it syncs, and a joiner is told why it is not let in.
    let port = free_port();
    let daemon = Daemon::start(&laptop, port, &[]);
    let code = Invitation::start_with(&laptop, &[("OBHOD_PASSPHRASE", SECRET)]).kill();
    let phone = dir.path().join("phone.db");
    let message = failed(&phone, &["group", "join", &code, "--peer", &format!("127.0.0.1:{port}")]);
    assert!(message.contains("запечатан паролем") && message.contains("obhod group invite"), "{message}");
    assert!(!phone.exists(), "nothing stored on the phone");
    let (stopped, log) = daemon.terminate();
    assert!(stopped.success(), "{log}");
    assert!(log.contains("новых устройств не принимает"), "the daemon says it admits no one: {log}");

    let invitation = Invitation::start_with(&laptop, &[("OBHOD_PASSPHRASE", SECRET)]);
    ok(&phone, &["group", "join", &invitation.code, "--name", "Телефон Анны"]);
    assert_eq!(invitation.finish().0, 0);
    assert!(ok(&laptop, &["group", "members"]).contains("Телефон Анны"));

    let before = ok(&laptop, &["--json", "group", "members"]);
    let sealed = refused(&laptop, &["group", "revoke", "Телефон Анны"], None);
    assert!(sealed.contains("ключ группы запечатан паролем"), "{sealed}");
    let wrong = refused(&laptop, &["group", "revoke", "Телефон Анны"], Some("неверный пароль"));
    assert!(wrong.contains("пароль не подходит"), "{wrong}");
    assert_eq!(ok(&laptop, &["--json", "group", "members"]), before, "nothing changed");
    let revoked = passes(&laptop, &["group", "revoke", "Телефон Анны"], Some(SECRET));
    assert!(revoked.contains("«Телефон Анны» отозвано"), "{revoked}");
}

#[test]
fn a_group_made_in_clear_is_sealed_later_once_with_a_passphrase_long_enough() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop(dir.path());
    ok(&laptop, &["group", "create", "--name", "Совет дома 5"]);
    assert!(stored_ca(&laptop).contains("BEGIN PRIVATE KEY"));
    let short = refused(&laptop, &["group", "seal"], Some("1234567"));
    assert!(short.contains("пароль короче 8 знаков"), "{short}");
    let none = refused(&laptop, &["group", "seal"], None);
    assert!(none.contains("OBHOD_PASSPHRASE"), "without a terminal it says where a passphrase goes: {none}");
    assert!(stored_ca(&laptop).contains("BEGIN PRIVATE KEY"), "still in clear: nothing changed");

    let sealed = passes(&laptop, &["group", "seal"], Some(SECRET));
    assert!(sealed.contains("запечатан") && sealed.contains("запишите"), "{sealed}");
    let ca = stored_ca(&laptop);
    assert!(ca.contains("OBHOD SEALED PRIVATE KEY") && !ca.contains("BEGIN PRIVATE KEY"), "{ca}");
    let bytes = std::fs::read(&laptop).unwrap();
    let wal = std::fs::read(laptop.with_extension("db-wal")).unwrap_or_default();
    let in_clear = |b: &[u8]| b.windows(27).filter(|w| w == b"-----BEGIN PRIVATE KEY-----").count();
    assert_eq!(in_clear(&bytes) + in_clear(&wal), 1, "only the device's own key is left in clear");
    let twice = refused(&laptop, &["group", "seal"], Some(SECRET));
    assert!(twice.contains("уже запечатан"), "{twice}");

    let member = dir.path().join("member.db");
    let invitation = Invitation::start_with(&laptop, &[("OBHOD_PASSPHRASE", SECRET)]);
    ok(&member, &["group", "join", &invitation.code, "--name", "Телефон Бориса"]);
    assert_eq!(invitation.finish().0, 0);
    let not_organiser = refused(&member, &["group", "seal"], Some(SECRET));
    assert!(not_organiser.contains("только устройство организатора"), "{not_organiser}");
}
