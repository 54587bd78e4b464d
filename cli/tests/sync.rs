//! The group's evening merge through the real binaries on 127.0.0.1, every process bounded in
//! time: the organiser invites two devices, each joins, the three record different marks, and
//! `obhod-syncd` plus `obhod sync` bring all three to the same `status --json`; the daemon stops
//! cleanly on SIGTERM; a peer killed mid-sync and restarted loses nothing; bad addresses and
//! unreachable peers are refused with a clear message.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(60);

fn guide(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(file).to_str().unwrap().to_owned()
}

/// The daemon's binary, next to `obhod` (built here if the workspace build has not built it yet).
fn syncd() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_obhod")).with_file_name("obhod-syncd");
    if !path.exists() {
        let built = Command::new(env!("CARGO")).args(["build", "-q", "-p", "obhod-syncd"]).status().unwrap();
        assert!(built.success());
    }
    path
}

fn command(program: &Path, store: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.arg("--store").arg(store).args(args).env_remove("OBHOD_STORE");
    command.env("XDG_DATA_HOME", store.parent().unwrap());
    command
}

/// Waits for a child within the limit; kills it and fails the test otherwise.
fn finish(mut child: Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > LIMIT {
            child.kill().unwrap();
            panic!("a process did not end in time");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn obhod(store: &Path, args: &[&str]) -> (i32, String, String) {
    let child = command(Path::new(env!("CARGO_BIN_EXE_obhod")), store, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = finish(child);
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn ok(store: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = obhod(store, args);
    assert_eq!(code, 0, "obhod {args:?}: {stdout}{stderr}");
    stdout
}

fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The organiser invites, the device at `store` joins as `name`.
fn join(organiser: &Path, store: &Path, name: &str) {
    let mut inviter =
        command(Path::new(env!("CARGO_BIN_EXE_obhod")), organiser, &["group", "invite", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
    let lines = BufReader::new(inviter.stdout.take().unwrap()).lines();
    let code = lines.map(Result::unwrap).find(|line| line.starts_with("OBHOD1-")).expect("an invite code");
    let joined = ok(store, &["group", "join", &code, "--name", name]);
    assert!(joined.contains(&format!("Устройство «{name}» в группе «Дом»")), "{joined}");
    let invited = finish(inviter);
    assert!(invited.status.success(), "{}", String::from_utf8_lossy(&invited.stderr));
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

struct Daemon(Child);

impl Daemon {
    fn start(store: &Path, port: u16, peers: &[u16]) -> Daemon {
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec!["--no-mdns".to_string(), "--listen".to_string(), listen];
        for peer in peers {
            args.extend(["--peer".to_string(), format!("127.0.0.1:{peer}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Daemon(command(&syncd(), store, &args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap())
    }

    fn terminate(self) -> Output {
        Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status().unwrap();
        finish(self.0)
    }
}

fn status(store: &Path) -> String {
    ok(store, &["status", "--json"])
}

/// Retries `obhod sync` until it succeeds (the daemon may still be binding).
fn sync(store: &Path, port: u16) -> String {
    let peer = format!("127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        let (code, stdout, stderr) = obhod(store, &["sync", "--peer", &peer]);
        if code == 0 {
            return stdout;
        }
        assert!(start.elapsed() < LIMIT, "obhod sync kept failing: {stdout}{stderr}");
        std::thread::sleep(Duration::from_millis(200));
    }
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
    let stopped = daemon.terminate();
    assert!(stopped.status.success(), "a clean stop: {}", String::from_utf8_lossy(&stopped.stderr));
    let log = String::from_utf8_lossy(&stopped.stderr);
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
    let mut daemon_b = Daemon::start(&b, port_b, &[port_a]);
    std::thread::sleep(Duration::from_millis(300));
    daemon_b.0.kill().unwrap();
    daemon_b.0.wait().unwrap();
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
fn a_bad_address_is_refused_and_no_reachable_peer_fails() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("a.db");
    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    let (code, _, stderr) = obhod(&store, &["sync", "--peer", "nowhere"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("«nowhere» не адрес (АДРЕС:ПОРТ"), "{stderr}");
    let (code, _, stderr) = obhod(&store, &["sync", "--peer", "127.0.0.1:9"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("не состоит в группе"), "{stderr}");
    ok(&store, &["group", "create", "--name", "Дом"]);
    let port = free_port().to_string();
    let (code, _, stderr) = obhod(&store, &["--lang", "en", "sync", "--peer", &format!("127.0.0.1:{port}")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("does not answer") && stderr.contains("no device of the group answered"), "{stderr}");
}

#[test]
fn a_revoked_device_is_refused_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let [a, _, c] = group(dir.path());
    ok(&a, &["group", "revoke", "Телефон В"]);
    let port = free_port();
    let daemon = Daemon::start(&a, port, &[]);
    let before = status(&a);
    let peer = format!("127.0.0.1:{port}");
    let start = Instant::now();
    let stderr = loop {
        let (code, stdout, stderr) = obhod(&c, &["sync", "--peer", &peer]);
        if !stderr.contains("не отвечает") {
            assert_eq!(code, 1, "{stdout}{stderr}");
            break stderr;
        }
        assert!(start.elapsed() < LIMIT, "the daemon never answered: {stderr}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(stderr.contains("устройство исключено из группы"), "{stderr}");
    assert_eq!(status(&a), before, "nothing of the revoked device was taken");
    daemon.terminate();
}
