//! Joining the group as the README tells it, with the real binaries on 127.0.0.1, every process
//! bounded in time: the organiser's laptop runs `obhod syncd` on its port, `obhod group invite`
//! prints a code that carries the daemon's address, the phone joins through the daemon and its
//! marks reach the laptop. A member's daemon refuses a join and says why, and every failure of a
//! join is told per address in Russian with what to do: a closed port, another group's device, a
//! used or an expired invite.

mod devices;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use devices::{Daemon, Invitation, failed, free_port, guide, ok, status};
use obhod_syncd::invite::Invite;

/// The organiser's laptop: a campaign and a group made on it.
fn laptop(dir: &Path) -> PathBuf {
    let store = dir.join("laptop.db");
    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    ok(&store, &["group", "create", "--name", "Совет дома 5"]);
    store
}

/// The lines of a failed join that speak of one address.
fn line_of<'a>(message: &'a str, address: &str) -> &'a str {
    message
        .lines()
        .find(|line| line.trim_start().starts_with(address))
        .unwrap_or_else(|| panic!("{address}: {message}"))
}

#[test]
fn the_readmes_flow_joins_through_the_running_daemon_and_a_mark_on_the_phone_reaches_the_laptop() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop(dir.path());
    let port = free_port();
    let daemon = Daemon::start(&laptop, port, &[]);

    let invitation = Invitation::start(&laptop);
    let (code, printed) = (invitation.code.clone(), invitation.printed.clone());
    let at_daemon = format!("127.0.0.1:{port}");
    let phone = dir.path().join("phone.db");
    let joined = ok(&phone, &["group", "join", &code, "--peer", &at_daemon, "--name", "Телефон Анны"]);
    assert!(joined.contains("Устройство «Телефон Анны» в группе «Совет дома 5»"), "{joined}");
    assert!(joined.contains(&format!("Принято через obhod syncd устройства «Организатор» ({at_daemon})")), "{joined}");
    let (exit, invited) = invitation.finish();
    assert_eq!(exit, 0, "{invited}");
    assert!(invited.contains("Присоединилось устройство «Телефон Анны»"), "group invite says who joined: {invited}");
    let invite = Invite::parse(&code, SystemTime::now()).unwrap();
    assert_eq!(invite.addresses[0].to_string(), at_daemon, "the code carries the daemon's address first");
    assert!(printed.contains(&format!("через работающий obhod syncd (порт {port})")), "{printed}");
    let members = ok(&laptop, &["group", "members"]);
    assert!(members.contains("Телефон Анны"), "{members}");

    let marked = ok(&phone, &["mark", "2", "absent", "--note", "вечером"]);
    assert!(!marked.contains("не учитывает"), "the joined phone's own mark counts there at once: {marked}");
    let synced = ok(&phone, &["sync"]);
    assert!(synced.contains(&format!("Организатор ({at_daemon}): получено 0 фактов, отправлено 1 факт")), "{synced}");
    assert_eq!(status(&laptop), status(&phone), "the phone's mark is on the laptop");
    let premise = ok(&laptop, &["--json", "status", "2"]);
    assert!(premise.contains("вечером") && premise.contains("absent"), "{premise}");

    let (stopped, log) = daemon.terminate();
    assert!(stopped.success() && log.contains("a device joined by invite"), "{log}");
    assert!(!log.contains("Телефон"), "no name in the daemon's log: {log}");
}

#[test]
fn a_members_daemon_refuses_a_join_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop(dir.path());
    let member = dir.path().join("member.db");
    let invitation = Invitation::start(&laptop);
    ok(&member, &["group", "join", &invitation.code, "--name", "Телефон Бориса"]);
    assert_eq!(invitation.finish().0, 0);
    let port = free_port();
    let daemon = Daemon::start(&member, port, &[]);

    let code = Invitation::start(&laptop).kill();
    let (before_laptop, before_member) = (status(&laptop), ok(&laptop, &["--json", "group", "members"]));
    let phone = dir.path().join("phone.db");
    let message = failed(&phone, &["group", "join", &code, "--peer", &format!("127.0.0.1:{port}")]);
    assert!(message.contains("не удалось присоединиться к группе"), "{message}");
    let refusal = line_of(&message, &format!("127.0.0.1:{port}"));
    assert!(refusal.contains("это устройство группы, но не организатора"), "{message}");
    assert!(refusal.contains("только через устройство организатора"), "{message}");
    assert!(!phone.exists(), "nothing stored on the phone");
    assert_eq!((status(&laptop), ok(&laptop, &["--json", "group", "members"])), (before_laptop, before_member));
    daemon.terminate();
}

#[test]
fn every_failure_of_a_join_is_told_per_address_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = laptop(dir.path());
    let code = Invitation::start(&laptop).kill();
    let listener = Invite::parse(&code, SystemTime::now()).unwrap().addresses[0];
    let phone = dir.path().join("phone.db");

    // A wrong address, and the invite's own where nothing listens any more.
    let wrong = free_port();
    let message = failed(&phone, &["group", "join", &code, "--peer", &format!("127.0.0.1:{wrong}")]);
    let closed = line_of(&message, &format!("127.0.0.1:{wrong}"));
    assert!(closed.contains(&format!("устройство есть, но порт {wrong} закрыт")), "{message}");
    assert!(closed.contains(&format!("sudo ufw allow {wrong}/udp")), "{message}");
    assert!(line_of(&message, &listener.to_string()).contains("закрыт"), "{message}");
    assert!(!message.contains("не отвечает") && !phone.exists(), "{message}");

    // Another group's device.
    let stranger = dir.path().join("stranger.db");
    ok(&stranger, &["init", "--meeting", &guide("meeting.toml")]);
    ok(&stranger, &["group", "create", "--name", "Другой дом"]);
    let port = free_port();
    let theirs = Daemon::start(&stranger, port, &[]);
    let message = failed(&phone, &["group", "join", &code, "--peer", &format!("127.0.0.1:{port}")]);
    let other = line_of(&message, &format!("127.0.0.1:{port}"));
    assert!(
        other.contains("там устройство другой группы: отпечаток его группы не совпадает с приглашением"),
        "{message}"
    );
    theirs.terminate();

    // Through the laptop's daemon the same code admits one device, and no other.
    let port = free_port();
    let daemon = Daemon::start(&laptop, port, &[]);
    let peer = format!("127.0.0.1:{port}");
    ok(&phone, &["group", "join", &code, "--peer", &peer, "--name", "Телефон Анны"]);
    let second = dir.path().join("second.db");
    let message = failed(&second, &["group", "join", &code, "--peer", &peer]);
    let used = line_of(&message, &peer);
    assert!(
        used.contains("приглашение уже использовано другим устройством: попросите у организатора новое"),
        "{message}"
    );

    // An invite past its time in the laptop's store.
    let late = Invitation::start(&laptop).kill();
    let store = rusqlite::Connection::open(&laptop).unwrap();
    store.execute("UPDATE invite SET expires = '2026-01-01T00:00:00+03:00' WHERE used_at IS NULL", []).unwrap();
    drop(store);
    let message = failed(&second, &["group", "join", &late, "--peer", &peer]);
    let expired = line_of(&message, &peer);
    assert!(
        expired.contains("срок приглашения истёк: попросите у организатора новое (obhod group invite)"),
        "{message}"
    );
    assert!(!second.exists());
    daemon.terminate();
}
