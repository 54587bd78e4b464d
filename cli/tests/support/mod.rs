//! What the binary's end-to-end tests share: running `obhod` on a store, and a temporary working
//! directory holding a campaign's store beside the files commands write.

#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A file of a bundled fixture building, as a path argument.
pub fn fixture(dir: &str, file: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(dir).join(file).to_str().unwrap().to_owned()
}

/// (exit code, stdout, stderr) of `obhod --store STORE args…`, with the log under `home` when given.
pub fn obhod(store: &Path, home: Option<&Path>, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obhod"));
    command.arg("--store").arg(store).args(args).env_remove("OBHOD_STORE");
    if let Some(home) = home {
        command.env("XDG_DATA_HOME", home);
    }
    let out = command.output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The stdout of a command that must succeed.
pub fn ok(store: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = obhod(store, None, args);
    assert_eq!(code, 0, "obhod {args:?}: {stderr}");
    stdout
}

/// The message of a command that must be refused: exit code 2, nothing on stdout, no panic.
pub fn refused(store: &Path, args: &[&str]) -> String {
    let (code, stdout, stderr) = obhod(store, None, args);
    assert_eq!(code, 2, "obhod {args:?} should be refused: {stdout}{stderr}");
    assert!(stdout.is_empty() && !stderr.contains("panicked"), "{stdout}{stderr}");
    stderr
}

/// A temporary directory with a campaign's store (`obhod.db`) and the log; commands write their
/// files here.
pub struct Workdir {
    pub dir: tempfile::TempDir,
}

impl Workdir {
    /// A store made from the fixture building `name`.
    pub fn with(name: &str) -> Workdir {
        Workdir::of_meeting(&fixture(name, "meeting.toml"))
    }

    /// A campaign of the meeting file at `meeting`.
    pub fn of_meeting(meeting: &str) -> Workdir {
        let workdir = Workdir { dir: tempfile::tempdir().unwrap() };
        workdir.ok(&["init", "--meeting", meeting]);
        workdir
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A file here, as a path argument.
    pub fn at(&self, name: &str) -> String {
        self.file(name).to_str().unwrap().to_owned()
    }

    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        obhod(&self.file("obhod.db"), Some(self.dir.path()), args)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 0, "obhod {args:?}: {stderr}");
        stdout
    }

    pub fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["--json", "status"])).unwrap()
    }

    /// Exit code 2, nothing on stdout, nothing stored; returns the message.
    pub fn refused(&self, args: &[&str]) -> String {
        let before = self.status();
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 2, "obhod {args:?} should be refused: {stdout}{stderr}");
        assert!(stdout.is_empty() && !stderr.contains("panicked"), "{stdout}{stderr}");
        assert_eq!(self.status(), before, "nothing stored");
        stderr
    }

    /// The names here other than the store and the log: what the commands wrote or left behind.
    pub fn papers(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("obhod.db") && n != "obhod")
            .collect();
        names.sort();
        names
    }
}

/// The rows of a `;`-separated CSV file obhod wrote (its byte-order mark dropped), as text.
pub fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// Whether a test that drives a program obhod does not ship (tmux) may run: where it is missing,
/// the test says it was skipped and why, or fails under `OBHOD_REQUIRE_TOOLS=1` (CI). First in the
/// test: `if !support::require("tmux") { return; }`.
#[track_caller]
pub fn require(tool: &str) -> bool {
    obhod_test_tools::require(tool)
}

/// How long one tmux or obhod command (not the TUI) may take.
pub const COMMAND_LIMIT: Duration = Duration::from_secs(20);

/// Runs a command to the end with its output captured, killing it after `COMMAND_LIMIT`.
pub fn run_bounded(command: &mut Command) -> std::io::Result<Output> {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    // Read both pipes while waiting: a child whose output fills a pipe would never finish.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > COMMAND_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish in {COMMAND_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Ok(Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() })
}
