//! The real `obhod` binary in a real terminal (a detached tmux session on a private server) when
//! things go wrong: the store's disk fills up under the TUI, SIGQUIT arrives.
//!
//! Without tmux the tests say on the terminal that they were skipped, like the other tmux tests.
//! Filling a disk needs a small file system of its own, mounted as root (`mount -t tmpfs`); where
//! that cannot be done the test says loudly that it was skipped and why. Both fail instead when
//! `OBHOD_REQUIRE_TOOLS=1` (CI).

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use support::run_bounded;

/// How long the screen may take to show what is waited for.
const SCREEN_LIMIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
/// Longer than the TUI's look at the store (every second).
const LOOK: Duration = Duration::from_millis(1500);
const SESSION: &str = "obhod";

/// Whether the tests must have every tool they use (CI), rather than skip what this machine lacks.
fn tools_required() -> bool {
    std::env::var(obhod_test_tools::REQUIRE_TOOLS).is_ok_and(|value| value == "1")
}

/// Says loudly that a test did not run and why; fails instead when tools are required.
fn skipped(test: &str, why: &str) {
    assert!(!tools_required(), "{test}: {why} (OBHOD_REQUIRE_TOOLS=1: every test must run)");
    let rule = "=".repeat(78);
    eprintln!("\n{rule}\nSKIPPED {test}: {why}\n(set OBHOD_REQUIRE_TOOLS=1 to make this a failure)\n{rule}\n");
}

/// A path for a shell command line, in single quotes.
fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path");
    assert!(!text.contains('\''), "{text}");
    format!("'{text}'")
}

/// `obhod --store STORE args…`, its log beside the test's files.
fn obhod(store: &Path, home: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_obhod"));
    command.env_remove("OBHOD_STORE").env("XDG_DATA_HOME", home).arg("--store").arg(store).args(args);
    run_bounded(&mut command).unwrap()
}

/// The marks in the store, as `obhod status --json` counts them (every premise's visits).
fn marks(store: &Path, home: &Path) -> u64 {
    let out = obhod(store, home, &["--json", "status"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "obhod status: {}{stdout}", String::from_utf8_lossy(&out.stderr));
    let status: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    status["premises"].as_array().unwrap().iter().map(|p| p["visits"].as_u64().unwrap()).sum()
}

/// A tmux server on a socket of its own running one program; killed (with whatever runs in it)
/// when dropped.
struct Tmux {
    socket: String,
    path: Option<String>,
    /// Where the program in the session writes its stderr, shown when it quits too early.
    stderr: PathBuf,
}

impl Tmux {
    fn start(stderr: PathBuf, width: u16, height: u16, command: &str) -> Tmux {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let socket = format!("obhod-failures-{}-{nanos}", std::process::id());
        let mut tmux = Tmux { socket, path: None, stderr };
        let (width, height) = (width.to_string(), height.to_string());
        let args =
            ["new-session", "-d", "-P", "-F", "#{socket_path}", "-s", SESSION, "-x", &width, "-y", &height, "sh", "-c"];
        let mut args = args.to_vec();
        args.push(command);
        tmux.path = Some(tmux.ok(&args).trim().to_string());
        tmux
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-u", "-f", "/dev/null", "-L", &self.socket]).args(args);
        command.env_remove("TMUX").env_remove("OBHOD_STORE").env("LANG", "C.UTF-8").env("LC_ALL", "C.UTF-8");
        command
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = run_bounded(&mut self.command(args)).unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self, what: &str) -> String {
        let out = run_bounded(&mut self.command(&["capture-pane", "-p", "-t", SESSION])).unwrap();
        if !out.status.success() {
            let stderr = std::fs::read_to_string(&self.stderr).unwrap_or_default();
            panic!("obhod quit while waiting for {what}; its stderr: {stderr}");
        }
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn send(&self, key: &str) {
        self.ok(&["send-keys", "-t", SESSION, key]);
    }

    fn format(&self, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", SESSION, format]).trim().to_string()
    }

    /// Polls the screen until it shows every one of `texts`.
    fn wait_for(&self, what: &str, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen(what);
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(started.elapsed() < SCREEN_LIMIT, "no {what} ({texts:?}) on screen; last screen:\n{screen}");
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = run_bounded(&mut self.command(&["kill-server"]));
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// `obhod --store STORE demo` in a tmux pane, run by a shell that keeps obhod's exit code, its
/// stderr and, once obhod has ended, the terminal's modes (`stty -a`); then the shell waits, so
/// that the pane can still be looked at.
struct Demo {
    dir: tempfile::TempDir,
    exit: PathBuf,
    stty: PathBuf,
    tmux: Tmux,
}

impl Demo {
    fn start(store: &Path, width: u16, height: u16) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let (exit, stty, stderr) = (dir.path().join("exit"), dir.path().join("stty"), dir.path().join("stderr"));
        let line = format!(
            "XDG_DATA_HOME={} {} --store {} demo 2>{}; echo $? >{}; stty -a >{}.part; mv {}.part {}; sleep 60",
            quoted(dir.path()),
            quoted(Path::new(env!("CARGO_BIN_EXE_obhod"))),
            quoted(store),
            quoted(&stderr),
            quoted(&exit),
            quoted(&stty),
            quoted(&stty),
            quoted(&stty),
        );
        let tmux = Tmux::start(stderr, width, height, &line);
        tmux.wait_for("building view", &["Подъезд", "Садовая, д. 5"]);
        Demo { dir, exit, stty, tmux }
    }

    /// Waits until obhod has ended and the shell has written the terminal's modes.
    fn wait_for_end(&self) -> String {
        let started = Instant::now();
        loop {
            if let Ok(modes) = std::fs::read_to_string(&self.stty) {
                return modes;
            }
            assert!(started.elapsed() < SCREEN_LIMIT, "obhod still runs:\n{}", self.tmux.screen("the end"));
            std::thread::sleep(POLL);
        }
    }

    fn exit_code(&self) -> String {
        std::fs::read_to_string(&self.exit).expect("the shell wrote obhod's exit code").trim().to_string()
    }

    /// The process id of obhod: the child of the pane's shell.
    fn obhod_pid(&self) -> String {
        let shell = self.tmux.format("#{pane_pid}");
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
        children.split_whitespace().next().unwrap_or_else(|| panic!("the pane's shell {shell} runs no obhod")).into()
    }

    /// Opens the card of the flat the cursor is on, records «nobody home» with `a`, closes the card.
    fn mark_absent(&self) -> String {
        self.tmux.send("Enter");
        self.tmux.wait_for("a card", &["a не застали"]);
        self.tmux.send("a");
        let screen = self.tmux.wait_for("the mark kept", &["✓ не застали — "]);
        self.tmux.send("Escape");
        self.tmux.wait_for("the building", &["Подъезд"]);
        screen
    }
}

#[test]
fn sigquit_restores_the_terminal() {
    if !support::require("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let demo = Demo::start(&dir.path().join("obhod.db"), 100, 30);
    let tmux = &demo.tmux;
    assert_eq!(tmux.format("#{alternate_on} #{mouse_any_flag}"), "1 1", "the TUI is on");
    let out = run_bounded(Command::new("kill").args(["-QUIT", &demo.obhod_pid()])).unwrap();
    assert!(out.status.success(), "kill -QUIT: {}", String::from_utf8_lossy(&out.stderr));
    let modes = demo.wait_for_end();
    let modes: Vec<&str> = modes.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(modes.contains(&mode), "{mode} after SIGQUIT: {modes:?}");
    }
    let flags = "#{alternate_on} #{mouse_any_flag} #{mouse_button_flag} #{mouse_all_flag} #{cursor_flag}";
    assert_eq!(tmux.format(flags), "0 0 0 0 1", "{flags} after SIGQUIT");
    // Before, SIGQUIT's default action ended obhod at once (with a core dump): the terminal
    // stayed raw on the alternate screen, and the exit code was 131 all the same.
    assert_eq!(demo.exit_code(), "131", "128 + 3, as a program ended by SIGQUIT");
    let stderr = std::fs::read_to_string(&tmux.stderr).unwrap();
    assert!(stderr.contains("завершено сигналом SIGQUIT (3); всё записанное сохранено"), "{stderr}");
}

/// A file system of its own (tmpfs), small enough to fill; unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// A 2 MiB file system, or `None` (said loudly) where this test cannot mount one.
    fn mount(test: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = run_bounded(
            Command::new("mount").args(["-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs"]).arg(dir.path()),
        );
        match mounted {
            Ok(out) if out.status.success() => Some(SmallDisk { dir }),
            Ok(out) => {
                let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
                skipped(test, &format!("cannot mount a small tmpfs to fill (run as root): {why}"));
                None
            }
            Err(error) => {
                skipped(test, &format!("cannot run mount: {error}"));
                None
            }
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Fills the disk to the last byte with a file of zeros.
    fn fill(&self) {
        let mut file = std::fs::File::create(self.path("fill")).unwrap();
        for chunk in [64 * 1024, 4096, 512, 1] {
            while file.write_all(&vec![0; chunk]).is_ok() {}
        }
        let _ = file.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(self.path("fill")).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let unmounted = run_bounded(Command::new("umount").arg(self.dir.path())).is_ok_and(|out| out.status.success());
        if !unmounted {
            // Still busy (a process ending): detached now, gone once it is free.
            let _ = run_bounded(Command::new("umount").arg("-l").arg(self.dir.path()));
        }
    }
}

/// The disk under the TUI fills up mid-evening: the mark is refused on a red line naming what
/// happened and the file, the line stays after Esc and the looks at the store, and once space is
/// freed the next mark is kept and the line goes. Every mark acknowledged with ✓ is in the store.
#[test]
fn a_full_disk_under_the_tui_is_said_in_red_until_a_mark_is_kept_again() {
    const TEST: &str = "a_full_disk_under_the_tui_is_said_in_red_until_a_mark_is_kept_again";
    if !support::require("tmux") {
        return;
    }
    let Some(disk) = SmallDisk::mount(TEST) else { return };
    let store = disk.path("obhod.db");
    let demo = Demo::start(&store, 40, 20);
    let (tmux, home) = (&demo.tmux, demo.dir.path());
    demo.mark_absent();

    disk.fill();
    tmux.send("Right");
    tmux.send("Enter");
    tmux.wait_for("a card", &["a не застали"]);
    tmux.send("a");
    let screen = tmux.wait_for("the failure in red", &["✗ на диске нет места;", "— файл", "✗ не записано"]);
    assert!(!screen.contains("✓ не застали"), "nothing acknowledged: {screen}");
    tmux.send("Escape");
    tmux.wait_for("the building", &["Подъезд"]);
    std::thread::sleep(LOOK);
    let screen = tmux.wait_for("the building", &["Подъезд"]);
    assert!(screen.contains("✗ на диске нет места;"), "the line stays after Esc and a look at the store:\n{screen}");
    assert!(!screen.contains("✗ не записано"), "Esc took the message, not the red line:\n{screen}");
    // The command line says the same meanwhile.
    let out = obhod(&store, home, &["mark", "5", "absent"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{}: на диске нет места; ничего не записано", store.display())), "{stderr}");

    disk.free();
    let screen = demo.mark_absent();
    assert!(!screen.contains("на диске нет места"), "a mark kept again: the line goes\n{screen}");
    tmux.send("q");
    demo.wait_for_end();
    assert_eq!(demo.exit_code(), "0");
    assert_eq!(marks(&store, home), 2, "both marks acknowledged with ✓ are kept, the refused ones are not");

    // Full again, with no process holding the store: SQLite cannot even set up its shared memory
    // and says «disk I/O error»; obhod names the full disk all the same.
    disk.fill();
    let out = obhod(&store, home, &["status"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("{}: на диске нет места", store.display())), "{stderr}");
    disk.free();
    assert_eq!(marks(&store, home), 2);
}
