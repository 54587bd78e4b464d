//! What the tests of the group's devices share: `obhod` and its daemon `obhod syncd` run as real
//! processes on stores in a temporary directory, every process bounded in time and every address on
//! 127.0.0.1.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const LIMIT: Duration = Duration::from_secs(60);

pub fn guide(file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(file).to_str().unwrap().to_owned()
}

pub fn command(program: &Path, store: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command.arg("--store").arg(store).args(args).env_remove("OBHOD_STORE");
    command.env("XDG_DATA_HOME", store.parent().unwrap());
    command
}

/// Waits for a child within the limit; kills it and fails the test otherwise.
pub fn finish(mut child: Child) -> Output {
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

pub fn obhod(store: &Path, args: &[&str]) -> (i32, String, String) {
    obhod_with(store, args, &[])
}

/// `obhod` with variables of its environment set (`OBHOD_PASSPHRASE`).
pub fn obhod_with(store: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let child = command(Path::new(env!("CARGO_BIN_EXE_obhod")), store, args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = finish(child);
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

pub fn ok(store: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = obhod(store, args);
    assert_eq!(code, 0, "obhod {args:?}: {stdout}{stderr}");
    stdout
}

/// The message of a command that must fail at run time (exit 1), checked to be worded for people:
/// no library's English, no panic.
pub fn failed(store: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = obhod(store, args);
    assert_eq!(code, 1, "obhod {args:?} should fail: {stdout}{stderr}");
    for english in ["peer sent", "invalid peer certificate", "connection:", "handshake", "panicked", "error 1"] {
        assert!(!stderr.contains(english), "«{english}» in {stderr}");
    }
    stderr
}

/// A UDP port on 127.0.0.1 that nothing listens on.
pub fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `obhod group invite --listen 127.0.0.1:0` running on the organiser's store, its code read.
pub struct Invitation {
    pub child: Child,
    reader: BufReader<ChildStdout>,
    pub code: String,
    /// What it printed up to the code and after, until it waits.
    pub printed: String,
}

impl Invitation {
    pub fn start(organiser: &Path) -> Invitation {
        Invitation::start_with(organiser, &[])
    }

    /// The same, with variables of its environment set (`OBHOD_PASSPHRASE`).
    pub fn start_with(organiser: &Path, env: &[(&str, &str)]) -> Invitation {
        let args = ["group", "invite", "--listen", "127.0.0.1:0"];
        let mut child = command(Path::new(env!("CARGO_BIN_EXE_obhod")), organiser, &args)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut printed = String::new();
        let mut code = None;
        loop {
            let mut line = String::new();
            assert!(reader.read_line(&mut line).unwrap() > 0, "group invite ended: {printed}");
            printed += &line;
            if line.starts_with("OBHOD1-") {
                code = Some(line.trim().to_string());
            }
            if line.starts_with("Жду устройство") || line.starts_with("Waiting") {
                break;
            }
        }
        Invitation { child, reader, code: code.expect("an invite code"), printed }
    }

    /// Waits for it to end (a device joined, or it failed); its exit code and what it printed
    /// after waiting, stdout then stderr.
    pub fn finish(mut self) -> (i32, String) {
        let out = finish(self.child);
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut self.reader, &mut rest).unwrap();
        (out.status.code().unwrap_or(-1), rest + &String::from_utf8_lossy(&out.stderr))
    }

    /// Stops it: the invite stays in the store, but nothing listens at its own address any more.
    pub fn kill(mut self) -> String {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.code
    }
}

pub struct Daemon {
    pub child: Child,
    pub port: u16,
    /// Its log (stderr) so far, read by a thread of its own.
    log: Arc<Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

impl Daemon {
    /// `obhod syncd` on 127.0.0.1:`port`, once its log says it listens.
    pub fn start(store: &Path, port: u16, peers: &[u16]) -> Daemon {
        let daemon = Daemon::spawn(store, port, peers);
        let start = Instant::now();
        while !daemon.log().contains("listening") {
            assert!(start.elapsed() < LIMIT, "the daemon never listened: {}", daemon.log());
            std::thread::sleep(Duration::from_millis(20));
        }
        daemon
    }

    /// `obhod syncd` started, maybe not yet listening.
    pub fn spawn(store: &Path, port: u16, peers: &[u16]) -> Daemon {
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec!["syncd".to_string(), "--no-mdns".to_string(), "--listen".to_string(), listen];
        for peer in peers {
            args.extend(["--peer".to_string(), format!("127.0.0.1:{peer}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut child = command(Path::new(env!("CARGO_BIN_EXE_obhod")), store, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let reader = std::thread::spawn({
            let log = log.clone();
            move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        Daemon { child, port, log, reader }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Stops it with SIGTERM; its exit status and its whole log.
    pub fn terminate(self) -> (std::process::ExitStatus, String) {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        let out = finish(self.child);
        self.reader.join().unwrap();
        let log = self.log.lock().unwrap().clone();
        (out.status, log)
    }
}

pub fn status(store: &Path) -> String {
    ok(store, &["status", "--json"])
}

/// Retries `obhod sync` until it succeeds (the daemon may still be binding).
pub fn sync(store: &Path, port: u16) -> String {
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
