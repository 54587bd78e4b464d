//! What the TUI costs while nobody touches it: the real `obhod demo` in a tmux pane, left alone
//! on the building view for a minute (a phone in a pocket between two doors), its CPU time read
//! from `/proc/PID/stat` (user + system, every thread) before and after, printed as a share of one
//! core (goal: < 0.3 %). Also printed: the wakeups of its threads (context switches) per second,
//! which is what a phone's battery pays for.
//!
//! It runs the release binary: `cargo build --release -p obhod`, then
//! `cargo bench -p obhod-tests --bench idle` (`OBHOD_BIN` names another binary, `OBHOD_IDLE_SECS`
//! another length). Linux only (`/proc`); tmux must be installed. Under `cargo test --benches` it
//! watches for 3 seconds and only prints.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// How long the TUI is watched by default.
const WATCH: Duration = Duration::from_secs(60);
/// How long it is watched under `cargo test --benches`.
const TEST_WATCH: Duration = Duration::from_secs(3);
/// Left to settle after the first frame, before the watch starts.
const SETTLE: Duration = Duration::from_secs(2);
/// The goal, in percent of one core.
const GOAL: f64 = 0.3;

fn main() {
    let bench = std::env::args().any(|arg| arg == "--bench");
    let watch = match std::env::var("OBHOD_IDLE_SECS") {
        Ok(secs) => Duration::from_secs(secs.parse().expect("OBHOD_IDLE_SECS: a number of seconds")),
        Err(_) if bench => WATCH,
        Err(_) => TEST_WATCH,
    };
    let binary = obhod_tests::release_binary();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.db");
    let tmux = Tmux::start(&binary, &store);
    let pid = tmux.obhod_pid();
    std::thread::sleep(SETTLE);
    let (cpu, switches) = (Cpu::of(&pid), context_switches(&pid));
    let started = Instant::now();
    std::thread::sleep(watch);
    let (cpu_after, switches_after) = (Cpu::of(&pid), context_switches(&pid));
    let elapsed = started.elapsed().as_secs_f64();
    assert!(tmux.screen().contains("Подъезд"), "the TUI still shows the building:\n{}", tmux.screen());
    let ticks = cpu_after.ticks - cpu.ticks;
    let share = ticks as f64 / cpu.per_second / elapsed * 100.0;
    let runtime = (cpu_after.nanos - cpu.nanos) as f64 / 1e9 / elapsed * 100.0;
    println!(
        "idle TUI ({}, {elapsed:.0} s on the demo's building view): {share:.3} % of a core by /proc/PID/stat \
         ({ticks} ticks of 1/{} s), {runtime:.4} % by the scheduler's run time; {:.1} wakeups a second; goal < {GOAL} %: {}",
        binary.display(),
        cpu.per_second,
        (switches_after - switches) as f64 / elapsed,
        if share < GOAL { "met" } else { "MISSED" }
    );
}

/// The CPU time of a process, every thread: in clock ticks from `/proc/PID/stat` and in
/// nanoseconds from the scheduler's `/proc/PID/task/*/schedstat`.
struct Cpu {
    ticks: u64,
    nanos: u64,
    per_second: f64,
}

impl Cpu {
    fn of(pid: &str) -> Cpu {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        // The fields after the command's name (which may hold spaces) in parentheses: utime is
        // the 14th field of the line, stime the 15th.
        let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
        let ticks = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        let nanos = tasks(pid)
            .iter()
            .filter_map(|task| std::fs::read_to_string(task.join("schedstat")).ok())
            .filter_map(|line| line.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
            .sum();
        Cpu { ticks, nanos, per_second: clock_ticks() }
    }
}

/// The threads of a process.
fn tasks(pid: &str) -> Vec<PathBuf> {
    let dir = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap();
    dir.map(|entry| entry.unwrap().path()).collect()
}

/// Context switches of every thread of a process: each is a thread going to sleep or woken.
fn context_switches(pid: &str) -> u64 {
    let switches = |status: String| -> u64 {
        status
            .lines()
            .filter(|line| line.contains("ctxt_switches"))
            .filter_map(|line| line.split_whitespace().last().and_then(|n| n.parse::<u64>().ok()))
            .sum()
    };
    tasks(pid).iter().filter_map(|task| std::fs::read_to_string(task.join("status")).ok()).map(switches).sum()
}

/// Clock ticks a second (`getconf CLK_TCK`; 100 on Linux).
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// A tmux server of its own running `obhod demo` at a phone's 40×20; killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(binary: &Path, store: &Path) -> Tmux {
        let tmux = Tmux { socket: format!("obhod-idle-{}", std::process::id()) };
        let command = format!("'{}' --store '{}' demo", binary.display(), store.display());
        tmux.ok(&["new-session", "-d", "-s", "idle", "-x", "40", "-y", "20", &command]);
        let started = Instant::now();
        while !tmux.screen().contains("Подъезд") {
            assert!(started.elapsed() < Duration::from_secs(30), "no building view:\n{}", tmux.screen());
            std::thread::sleep(Duration::from_millis(100));
        }
        tmux
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-u", "-f", "/dev/null", "-L", &self.socket])
            .args(args)
            .env_remove("TMUX")
            .env_remove("OBHOD_STORE")
            .env("LANG", "C.UTF-8")
            .output()
            .unwrap_or_else(|error| panic!("tmux (is it installed?): {error}"));
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.ok(&["capture-pane", "-p", "-t", "idle"])
    }

    /// obhod's process: the pane runs it directly.
    fn obhod_pid(&self) -> String {
        self.ok(&["display-message", "-p", "-t", "idle", "#{pane_pid}"]).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).output();
    }
}
