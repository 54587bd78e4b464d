//! The real `obhod` binary in a real terminal: `obhod --store DIR/obhod.db demo` runs in a detached
//! tmux session (a private server, killed at the end however the test ends), keys are sent to it
//! as a canvasser would type them, the screen is read back with `capture-pane`, and the mark the
//! TUI recorded is then read by `obhod status`.
//!
//! Without tmux each test says it was skipped and why, and passes; with OBHOD_REQUIRE_TOOLS=1 (CI
//! installs tmux and sets it) it fails.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use support::run_bounded;

/// How long the screen may take to show what is waited for.
const SCREEN_LIMIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);
/// Longer than obhod takes keys after a paste as its rest.
const AFTER_PASTE: Duration = Duration::from_millis(400);
const SESSION: &str = "obhod";

/// A tmux server on a socket of its own; killed (with whatever runs in it) when dropped, and its
/// socket file removed.
struct Tmux {
    socket: String,
    /// The socket file, known once the server runs.
    path: Option<String>,
    /// Where the program in the session writes its stderr, shown when it quits too early.
    stderr: PathBuf,
}

impl Tmux {
    fn new(stderr: PathBuf) -> Tmux {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().subsec_nanos();
        let socket = format!("obhod-test-{}-{nanos}-{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed));
        Tmux { socket, path: None, stderr }
    }

    /// Starts the server with one session running `command` on a screen of `width`×`height`.
    fn start(&mut self, width: u16, height: u16, command: &[&str]) {
        let (width, height) = (width.to_string(), height.to_string());
        // -P -F: print the socket's path as the session is made, so that it is known even when
        // the session ends at once.
        let mut args =
            vec!["new-session", "-d", "-P", "-F", "#{socket_path}", "-s", SESSION, "-x", &width, "-y", &height];
        args.extend_from_slice(command);
        self.path = Some(self.ok(&args).trim().to_string());
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        // -u: UTF-8 whatever the locale; -f /dev/null: nobody's tmux.conf.
        command.args(["-u", "-f", "/dev/null", "-L", &self.socket]).args(args);
        command.env_remove("TMUX").env_remove("OBHOD_STORE").env("LANG", "C.UTF-8").env("LC_ALL", "C.UTF-8");
        command
    }

    /// Runs a tmux command that must succeed; returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = run_bounded(&mut self.command(args)).unwrap_or_else(|e| panic!("tmux {args:?}: {e}"));
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn running(&self) -> bool {
        run_bounded(&mut self.command(&["has-session", "-t", SESSION])).unwrap().status.success()
    }

    /// The screen; fails when the session is gone.
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

    /// Types text as it is (`-l`: no key names), one key event per character.
    fn type_text(&self, text: &str) {
        self.ok(&["send-keys", "-t", SESSION, "-l", text]);
    }

    /// Pastes text the way a terminal does: in one piece, inside the bracketed-paste markers when
    /// the program asked for them (`-p`); line breaks arrive as carriage returns, as typed Enter.
    fn paste(&self, text: &str) {
        self.ok(&["set-buffer", "-b", "obhod-test", "--", text]);
        self.ok(&["paste-buffer", "-p", "-d", "-b", "obhod-test", "-t", SESSION]);
    }

    /// Pastes as a terminal without bracketed paste does: as if the text were typed, in one burst.
    /// Then waits as long as a person takes to look up: letters typed a moment after a paste are
    /// taken as the last pieces of it.
    fn paste_unbracketed(&self, text: &str) {
        self.ok(&["set-buffer", "-b", "obhod-test", "--", text]);
        self.ok(&["paste-buffer", "-d", "-b", "obhod-test", "-t", SESSION]);
        std::thread::sleep(AFTER_PASTE);
    }

    fn resize(&self, width: u16, height: u16) {
        self.ok(&["resize-window", "-t", SESSION, "-x", &width.to_string(), "-y", &height.to_string()]);
    }

    /// A tmux format of the pane (`#{alternate_on}`).
    fn format(&self, format: &str) -> String {
        self.ok(&["display-message", "-p", "-t", SESSION, format]).trim().to_string()
    }

    /// Polls the screen until it shows every one of `texts`; fails with the last screen after
    /// `SCREEN_LIMIT`.
    fn wait_for(&self, what: &str, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen(what);
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            if started.elapsed() > SCREEN_LIMIT {
                panic!("no {what} ({texts:?}) on screen after {SCREEN_LIMIT:?}; last screen:\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    /// Polls until the session has ended (its shell exited).
    fn wait_for_exit(&self) {
        let started = Instant::now();
        while self.running() {
            if started.elapsed() > SCREEN_LIMIT {
                panic!("obhod still runs {SCREEN_LIMIT:?} after q; last screen:\n{}", self.screen("the end"));
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // The server may be gone already (the session ended with obhod): the error is fine.
        let _ = run_bounded(&mut self.command(&["kill-server"]));
        if let Some(path) = &self.path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A path for a shell command line, in single quotes.
fn quoted(path: &Path) -> String {
    let text = path.to_str().expect("a UTF-8 path");
    assert!(!text.contains('\''), "{text}");
    format!("'{text}'")
}

fn status(store: &Path) -> Value {
    let out = run_bounded(
        Command::new(env!("CARGO_BIN_EXE_obhod"))
            .env_remove("OBHOD_STORE")
            .arg("--store")
            .arg(store)
            .args(["--json", "status"]),
    )
    .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "obhod status: {}{stdout}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// `obhod demo` on a store of its own in a tmux pane, run by a shell that keeps obhod's exit code
/// and stderr (which the pane takes with it when it closes) and, once obhod has ended, the
/// terminal's modes as `stty -a` shows them; with `linger`, the shell then waits so that the pane
/// (and its modes) can still be looked at.
struct Demo {
    _dir: tempfile::TempDir,
    store: PathBuf,
    exit: PathBuf,
    stty: PathBuf,
    tmux: Tmux,
}

impl Demo {
    fn start(width: u16, height: u16, linger: bool) -> Demo {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("obhod.db");
        let (exit, stty, stderr) = (dir.path().join("exit"), dir.path().join("stty"), dir.path().join("stderr"));
        let line = format!(
            "{} --store {} demo 2>{}; echo $? >{}; stty -a >{}.part; mv {}.part {}{}",
            quoted(Path::new(env!("CARGO_BIN_EXE_obhod"))),
            quoted(&store),
            quoted(&stderr),
            quoted(&exit),
            quoted(&stty),
            quoted(&stty),
            quoted(&stty),
            if linger { "; sleep 60" } else { "" }
        );
        let mut tmux = Tmux::new(stderr);
        tmux.start(width, height, &["sh", "-c", &line]);
        tmux.wait_for("building view", &["Подъезд", "Садовая, д. 5"]);
        Demo { _dir: dir, store, exit, stty, tmux }
    }

    /// Quits with `q` and checks that obhod exited with 0.
    fn quit(&self) {
        self.tmux.send("q");
        self.wait_for_end();
        let code = std::fs::read_to_string(&self.exit).expect("the shell wrote obhod's exit code");
        let errors = std::fs::read_to_string(&self.tmux.stderr).unwrap_or_default();
        assert_eq!(code.trim(), "0", "obhod demo exited with {code}: {errors}");
    }

    /// Waits until obhod has ended and the shell has written the terminal's modes.
    fn wait_for_end(&self) -> String {
        let started = Instant::now();
        loop {
            if let Ok(modes) = std::fs::read_to_string(&self.stty) {
                return modes;
            }
            if started.elapsed() > SCREEN_LIMIT {
                panic!("obhod still runs after {SCREEN_LIMIT:?}; last screen:\n{}", self.tmux.screen("the end"));
            }
            std::thread::sleep(POLL);
        }
    }

    /// The process id of obhod: the child of the pane's shell.
    fn obhod_pid(&self) -> String {
        let shell = self.tmux.format("#{pane_pid}");
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
        let mut pids = children.split_whitespace();
        let pid = pids.next().unwrap_or_else(|| panic!("the pane's shell {shell} runs no obhod"));
        assert_eq!(pids.next(), None, "one child: {children}");
        pid.to_string()
    }

    /// The marks in the store, as `obhod status --json` counts them (every premise's visits).
    fn marks(&self) -> u64 {
        let status = status(&self.store);
        status["premises"].as_array().unwrap().iter().map(|p| p["visits"].as_u64().unwrap()).sum()
    }
}

#[test]
fn a_key_in_the_terminal_records_a_mark_in_the_store() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    tmux.wait_for("building view", &["Подъезд", "Садовая, д. 5", "Enter открыть"]);
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "История", "d вручено"]);
    tmux.send("d");
    // «✓ вручено под роспись — …», or «✓ вручено — позже срока …» after D − 10.
    let card = tmux.wait_for("recorded mark", &["✓ вручено"]);
    assert!(!card.contains('✗'), "{card}");
    // Escape alone: sent together with q, the two would read as Alt+q.
    tmux.send("Escape");
    tmux.wait_for("building view again", &["Подъезд", "Enter открыть"]);
    demo.quit();
    tmux.wait_for_exit();

    let status = status(&demo.store);
    assert!(status["notified"].as_u64().unwrap() >= 1, "{status}");
    let flat = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "1").expect("premise 1");
    let owners = flat["owners"].as_array().unwrap();
    assert!(!owners.is_empty(), "{flat}");
    assert!(owners.iter().all(|o| o["notified"] == true), "every owner of flat 1 notified: {flat}");
    assert_eq!(flat["last_outcome"], "delivered", "{flat}");
}

#[test]
fn a_paste_into_the_note_records_nothing() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "n заметка"]);
    tmux.send("n");
    tmux.wait_for("note prompt", &["Заметка: "]);
    // Unbracketed, the line break would save the note and each later letter would be a key.
    tmux.paste("позвонить после 18:00\nкод 12d a r s u q");
    tmux.wait_for("the whole paste in the field", &["Заметка: позвонить после 18:00 код 12d a r s u q▏"]);
    // Esc keeps what was typed as the card's note; x deletes it on purpose.
    tmux.send("Escape");
    tmux.wait_for("the card with the note kept", &["d вручено", "Заметка к отметке: «позвонить"]);
    tmux.send("x");
    tmux.wait_for("the note deleted", &["Заметка к кв. 1 удалена"]);
    demo.quit();
    assert_eq!(demo.marks(), 0, "the paste recorded nothing");
}

#[test]
fn an_unbracketed_paste_records_nothing_either() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "n заметка"]);
    // On the card itself: every letter is a hotkey if read one by one.
    tmux.paste_unbracketed("d a r s\nu p");
    tmux.wait_for("the paste refused", &["Вставка — только в поле ввода"]);
    tmux.send("n");
    tmux.wait_for("note prompt", &["Заметка: "]);
    tmux.paste_unbracketed("код 12\nd");
    tmux.wait_for("the paste in the field", &["Заметка: код 12 d▏"]);
    tmux.send("Escape");
    tmux.wait_for("the card with the note kept", &["d вручено", "Заметка к отметке: «код 12 d»"]);
    tmux.send("x");
    tmux.wait_for("the note deleted", &["Заметка к кв. 1 удалена"]);
    demo.quit();
    assert_eq!(demo.marks(), 0, "the paste recorded nothing");
}

/// Whether a process still runs (a zombie has ended).
fn runs(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().next()) != Some("Z"))
}

#[test]
fn obhod_ends_when_its_terminal_is_gone() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(80, 24, false);
    let tmux = &demo.tmux;
    tmux.wait_for("the building", &["Подъезд"]);
    let pid = demo.obhod_pid();
    // The terminal vanishes at once, as when a phone kills the terminal app: no orderly exit.
    let server = tmux.format("#{pid}");
    let out = run_bounded(Command::new("kill").args(["-KILL", &server])).unwrap();
    assert!(out.status.success(), "kill -KILL {server}");
    let started = Instant::now();
    while runs(&pid) {
        // Before, it stayed, spinning on the dead terminal at full speed and draining the battery.
        assert!(started.elapsed() < Duration::from_secs(10), "obhod {pid} still runs without a terminal");
        std::thread::sleep(POLL);
    }
}

/// Ends obhod with a signal and checks that the terminal is as it was before.
fn ended_by(signal: &str, number: i32) {
    let demo = Demo::start(100, 30, true);
    let tmux = &demo.tmux;
    assert_eq!(tmux.format("#{alternate_on} #{mouse_any_flag}"), "1 1", "the TUI is on");
    let pid = demo.obhod_pid();
    let out = run_bounded(Command::new("kill").args([&format!("-{signal}"), &pid])).unwrap();
    assert!(out.status.success(), "kill -{signal} {pid}: {}", String::from_utf8_lossy(&out.stderr));
    let modes = demo.wait_for_end();
    let modes: Vec<&str> = modes.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(modes.contains(&mode), "{mode} after SIG{signal}: {modes:?}");
    }
    let flags = "#{alternate_on} #{mouse_any_flag} #{mouse_button_flag} #{mouse_all_flag} #{cursor_flag}";
    assert_eq!(tmux.format(flags), "0 0 0 0 1", "{flags} after SIG{signal}");
    // As a program ended by a signal: 128 + its number, so a script or a shell can tell.
    let code = std::fs::read_to_string(&demo.exit).expect("the shell wrote obhod's exit code");
    assert_eq!(code.trim(), (128 + number).to_string(), "exit code after SIG{signal}");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !support::require("tmux") {
        return;
    }
    ended_by("TERM", 15);
}

#[test]
fn sighup_restores_the_terminal() {
    if !support::require("tmux") {
        return;
    }
    ended_by("HUP", 1);
}

/// A long paste reaches obhod in pieces, as fast as the terminal refills the pty; a piece may be
/// one key. Every piece is still the paste: no letter of it records a mark.
#[test]
fn a_long_paste_arriving_in_pieces_records_nothing() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "d вручено"]);
    for _ in 0..4 {
        tmux.paste_unbracketed(&"dar".repeat(3000));
    }
    // Escape comes after the whole paste: once the card has closed, the paste has been read.
    tmux.send("Escape");
    tmux.wait_for("the building", &["Подъезд", "Enter открыть"]);
    std::thread::sleep(AFTER_PASTE);
    demo.quit();
    assert_eq!(demo.marks(), 0, "the paste recorded nothing");
}

#[test]
fn on_a_too_small_screen_no_key_records_a_mark() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "d вручено"]);
    // The on-screen keyboard of a phone takes the lower rows.
    tmux.resize(40, 15);
    tmux.wait_for("too small", &["Окно мало"]);
    tmux.type_text("dвa");
    std::thread::sleep(AFTER_PASTE);
    // q acts (after the letters, which came first and did nothing).
    demo.quit();
    assert_eq!(demo.marks(), 0, "nothing recorded below 40×20");
}

/// The notes of flat `premise`'s facts, as `obhod status PREMISE --json` gives them.
fn notes(store: &Path, premise: &str) -> Vec<Value> {
    facts(store, premise).iter().map(|fact| fact["note"].clone()).collect()
}

/// A note typed on a phone: the keyboard opens mid-word and shrinks the window to 45×14, below the
/// 40×20 the screens need; every letter still goes into the note, «й» and «q» among them, and
/// nothing quits.
#[test]
fn a_note_typed_while_the_keyboard_opens_keeps_every_letter() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "n заметка"]);
    tmux.send("n");
    tmux.wait_for("note prompt", &["Заметка: ▏"]);
    tmux.type_text("соба");
    tmux.wait_for("the start of the word", &["Заметка: соба▏"]);
    tmux.resize(45, 14);
    tmux.wait_for("the compact field", &["Заметка · кв. 1:", "соба▏", "Enter сохранить"]);
    tmux.type_text("ка ");
    tmux.wait_for("the word", &["собака ▏"]);
    tmux.type_text("злой");
    tmux.wait_for("«злой» in the note", &["собака злой▏"]);
    // q and й quit on a screen without a field, w and ц open the walk list: letters here.
    tmux.type_text(" йq цw");
    tmux.wait_for("the letters in the note", &["собака злой йq цw▏"]);
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("the card waits for a bigger window", &["Окно мало", "Отметки ждут"]);
    tmux.resize(40, 20);
    tmux.wait_for("the card with its note", &["Заметка к отметке: «собака злой йq цw»", "d вручено"]);
    tmux.send("d");
    tmux.wait_for("recorded mark", &["✓ вручено"]);
    assert!(tmux.running(), "nothing quit");
    demo.quit();
    assert_eq!(notes(&demo.store, "1"), [Value::from("собака злой йq цw")], "the whole note, recorded with the mark");
}

/// A note saved and left by Esc stays with its card; q asks before quitting without it.
#[test]
fn esc_and_q_keep_a_note_not_recorded_and_say_so() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "n заметка"]);
    tmux.send("n");
    tmux.wait_for("note prompt", &["Заметка: ▏"]);
    tmux.type_text("код 12");
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("the note on the card", &["Заметка к отметке: «код 12»"]);
    tmux.send("Escape");
    tmux.wait_for("the building, the note kept", &["Подъезд", "Заметка к кв. 1 ждёт отметки"]);
    tmux.send("q");
    tmux.wait_for("the question", &["Заметка к кв. 1 НЕ записана. q ещё раз", "выйти без неё"]);
    assert!(tmux.running(), "the first q quits nothing");
    tmux.send("Enter");
    tmux.wait_for("the card again, its note there", &["квартира 1 ", "Заметка к отметке: «код 12»"]);
    tmux.send("a");
    tmux.wait_for("recorded mark", &["✓ не застали"]);
    assert_eq!(notes(&demo.store, "1"), [Value::from("код 12")]);
    // Nothing left to lose: one q quits.
    demo.quit();
}

#[test]
fn a_paste_longer_than_a_note_may_be_is_refused_whole() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "n заметка"]);
    tmux.send("n");
    tmux.wait_for("note prompt", &["Заметка: ▏"]);
    tmux.paste(&"я".repeat(501));
    tmux.wait_for("the paste refused", &["длиннее 500 знаков: не", "Заметка: ▏"]);
    tmux.paste(&"я".repeat(500));
    tmux.wait_for("500 taken", &["Заметка 500/500: "]);
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("the note on the card", &["Заметка к отметке: «яяя"]);
    tmux.send("a");
    tmux.wait_for("recorded mark", &["✓ не застали"]);
    demo.quit();
    assert_eq!(notes(&demo.store, "1"), [Value::from("я".repeat(500))]);
}

#[test]
fn russian_layout_keys_record_marks() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "d вручено"]);
    tmux.type_text("в");
    tmux.wait_for("recorded mark", &["✓ вручено"]);
    tmux.type_text("ж");
    tmux.wait_for("unbound key message", &["«ж» здесь ничего не делает"]);
    tmux.type_text("й");
    demo.wait_for_end();
    let status = status(&demo.store);
    let flat = status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "1").expect("premise 1");
    assert_eq!(flat["last_outcome"], "delivered", "{flat}");
}

/// The facts of a premise as `obhod status PREMISE --json` lists them.
fn facts(store: &Path, premise: &str) -> Vec<Value> {
    let out = run_bounded(
        Command::new(env!("CARGO_BIN_EXE_obhod"))
            .env_remove("OBHOD_STORE")
            .arg("--store")
            .arg(store)
            .args(["--json", "status", premise]),
    )
    .unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    status["facts"].as_array().unwrap().clone()
}

#[test]
fn a_day_signed_typed_on_a_phone_dates_the_delivery_and_a_late_one_is_said() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "t дата"]);
    tmux.send("t");
    tmux.wait_for("the date prompt", &["Дата подписи (дд.мм): ▏"]);
    tmux.type_text("32.11");
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("the bad date refused", &["«32.11» — не дата"]);
    // The Russian layout: е is t, and the key of the dot types ю.
    tmux.type_text("е");
    tmux.wait_for("the date prompt again", &["Дата подписи (дд.мм): ▏"]);
    tmux.type_text("20ю11");
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("the day on the card", &["подпись: 20.11.2026 — для d"]);
    tmux.send("d");
    tmux.wait_for("recorded as signed", &["✓ вручено под роспись"]);
    tmux.send("Escape");
    tmux.wait_for("building view", &["Подъезд"]);
    tmux.send("l");
    // Keys closer than a person types them would be a paste.
    std::thread::sleep(AFTER_PASTE);
    tmux.send("Enter");
    tmux.wait_for("card of flat 2", &["квартира 2 "]);
    tmux.send("d");
    // Today (typed as today) is after D − 10 of the demo's meeting on 10.12.2026.
    let card = tmux.wait_for("the late notice said", &["позже срока", "уведомление с", "✓!"]);
    assert!(card.contains("опозданием"), "{card}");
    demo.quit();
    let signed: Vec<Value> = facts(&demo.store, "1").iter().map(|f| f["signed"].clone()).collect();
    assert_eq!(signed, [Value::from("2026-11-20")], "the fact keeps the day signed");
    let status = status(&demo.store);
    let owner = &status["premises"].as_array().unwrap().iter().find(|p| p["premise"] == "2").unwrap()["owners"][0];
    assert_eq!(owner["notice"]["late"], true, "{owner}");
}

#[test]
fn on_a_laptop_screen_caps_lock_records_nothing_and_the_deadline_shows() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(80, 24, false);
    let tmux = &demo.tmux;
    tmux.wait_for("the deadline in the header", &["срок "]);
    tmux.send("Enter");
    tmux.wait_for("card of flat 1", &["квартира 1 ", "d вручено"]);
    tmux.type_text("D");
    tmux.wait_for("the Caps Lock message", &["«D» — заглавная: выключите Caps Lock"]);
    demo.quit();
    assert_eq!(demo.marks(), 0, "a capital records nothing");
}

#[test]
fn sigint_restores_the_terminal() {
    if !support::require("tmux") {
        return;
    }
    ended_by("INT", 2);
}

/// The example that panics inside the TUI's terminal set-up; built here when `cargo test` was
/// told to build only this test.
fn panic_example() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_obhod")).parent().unwrap().join("examples").join("panic_in_tui");
    if !path.exists() {
        let out =
            run_bounded(Command::new(env!("CARGO")).args(["build", "-p", "obhod-tui", "--example", "panic_in_tui"]))
                .unwrap();
        assert!(out.status.success(), "cargo build --example: {}", String::from_utf8_lossy(&out.stderr));
    }
    path
}

#[test]
fn a_panic_restores_the_terminal() {
    if !support::require("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (stty, stderr) = (dir.path().join("stty"), dir.path().join("stderr"));
    let line = format!(
        "{} 2>{}; stty -a >{}.part; mv {}.part {}; sleep 60",
        quoted(&panic_example()),
        quoted(&stderr),
        quoted(&stty),
        quoted(&stty),
        quoted(&stty)
    );
    let mut tmux = Tmux::new(stderr.clone());
    tmux.start(60, 20, &["sh", "-c", &line]);
    tmux.wait_for("the example", &["ready: a key panics"]);
    assert_eq!(tmux.format("#{alternate_on} #{mouse_any_flag}"), "1 1", "the TUI's modes are on");
    tmux.send("x");
    let started = Instant::now();
    let modes = loop {
        if let Ok(modes) = std::fs::read_to_string(&stty) {
            break modes;
        }
        assert!(started.elapsed() < SCREEN_LIMIT, "the example did not end: {}", tmux.screen("the end"));
        std::thread::sleep(POLL);
    };
    let errors = std::fs::read_to_string(&stderr).unwrap();
    assert!(errors.contains("a bug on purpose"), "the panic message is printed: {errors}");
    let modes: Vec<&str> = modes.split_whitespace().collect();
    for mode in ["icanon", "echo", "isig"] {
        assert!(modes.contains(&mode), "{mode} after a panic: {modes:?}");
    }
    let flags = "#{alternate_on} #{mouse_any_flag} #{mouse_button_flag} #{mouse_all_flag} #{cursor_flag}";
    assert_eq!(tmux.format(flags), "0 0 0 0 1", "{flags} after a panic");
}

/// With no campaign, `obhod` offers the demo; Ctrl-D (the end of input) is no answer, so no.
#[test]
fn the_end_of_input_at_the_demo_offer_does_not_open_the_demo() {
    if !support::require("tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (store, exit) = (dir.path().join("obhod.db"), dir.path().join("exit"));
    let line = format!(
        "{} --store {}; echo $? >{}; sleep 60",
        quoted(Path::new(env!("CARGO_BIN_EXE_obhod"))),
        quoted(&store),
        quoted(&exit)
    );
    let mut tmux = Tmux::new(dir.path().join("stderr"));
    tmux.start(100, 30, &["sh", "-c", &line]);
    tmux.wait_for("the demo offer", &["Открыть демонстрационный дом?"]);
    tmux.send("C-d");
    let started = Instant::now();
    while !exit.exists() {
        assert!(started.elapsed() < SCREEN_LIMIT, "obhod still runs:\n{}", tmux.screen("the end"));
        std::thread::sleep(POLL);
    }
    let screen = tmux.screen("the end");
    assert!(!screen.contains("Подъезд"), "the demo opened:\n{screen}");
    assert_eq!(std::fs::read_to_string(&exit).unwrap().trim(), "0");
}

/// The decisions of a premise as `obhod ballots list --json` gives them.
fn decisions(store: &Path, premise: &str) -> Vec<Value> {
    let out = run_bounded(
        Command::new(env!("CARGO_BIN_EXE_obhod")).env_remove("OBHOD_STORE").arg("--store").arg(store).args([
            "--json",
            "ballots",
            "list",
            "--premise",
            premise,
        ]),
    )
    .unwrap();
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    list["decisions"].as_array().unwrap().clone()
}

/// Types a field of the ballot entry and saves it: the text, a rest (a key right after typed
/// text would be taken as the end of a paste), Enter; then waits for the next step.
fn fill(tmux: &Tmux, text: &str, next: &[&str]) {
    if !text.is_empty() {
        tmux.type_text(text);
        tmux.wait_for("the text typed", &[&format!("{text}▏")]);
        std::thread::sleep(AFTER_PASTE);
    }
    tmux.send("Enter");
    tmux.wait_for("the next step", next);
}

/// One key per question of the demo's eight, each once the question is on screen.
fn answer_all(tmux: &Tmux, keys: &str) {
    for (n, key) in keys.chars().enumerate() {
        tmux.wait_for("the question", &[&format!("Вопрос {} из 8", n + 1)]);
        tmux.type_text(&key.to_string());
    }
    // «Получено (дд.мм):» in full, «Получено (дд.мм) · кв. 23:» on a compact screen.
    tmux.wait_for("the day received", &["Получено (дд.мм)"]);
}

#[test]
fn a_joint_groups_decision_is_typed_on_the_russian_layout_and_recorded_by_the_last_enter() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    // «и» is the key of «b».
    tmux.type_text("и");
    tmux.wait_for("the premise field", &["Помещение: ▏"]);
    fill(tmux, "23", &["Кто голосует?", "(совместная)"]);
    tmux.send("Enter");
    answer_all(tmux, "12312310");
    fill(tmux, "", &["Кто подписал решение?"]);
    tmux.type_text("1");
    tmux.wait_for("the defect step", &["Есть ли дефект?"]);
    tmux.type_text("0");
    tmux.wait_for("the decision in words", &["Проверьте решение", "Подписал: сам собственник", "Дефект: нет"]);
    assert!(decisions(&demo.store, "23").is_empty(), "nothing recorded before the last Enter");
    tmux.send("Enter");
    tmux.wait_for("recorded", &["✓ Решение записано — кв. 23"]);
    demo.quit();
    let list = decisions(&demo.store, "23");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["owner"], "Новикова Любовь Владимировна", "the joint group, under its first member");
    assert_eq!(list[0]["answers"]["1"], "for");
    assert_eq!(list[0]["answers"]["8"], "spoiled");
}

#[test]
fn a_decision_signed_by_proxy_is_typed_with_the_proxys_date_and_certifier() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    tmux.send("b");
    tmux.wait_for("the premise field", &["Помещение: ▏"]);
    fill(tmux, "7", &["Кто голосует?", "Тарасов Геннадий Александрович"]);
    tmux.send("Enter");
    answer_all(tmux, "11111111");
    fill(tmux, "", &["Кто подписал решение?"]);
    tmux.type_text("3");
    tmux.wait_for("the representative's field", &["Представитель (ФИО): ▏"]);
    fill(tmux, "Тарасова Инна Петровна", &["Дата доверенности: ▏"]);
    fill(tmux, "01.11.2026", &["Доверенность до (пусто — год): ▏"]);
    fill(tmux, "", &["Кем удостоверена: ▏"]);
    fill(tmux, "нотариус Орлова", &["Есть ли дефект?"]);
    tmux.type_text("0");
    tmux.wait_for("the decision in words", &["Тарасова Инна Петровна, по доверенности от 01.11.2026"]);
    tmux.send("Enter");
    tmux.wait_for("recorded", &["✓ Решение записано — кв. 7"]);
    demo.quit();
    let list = decisions(&demo.store, "7");
    assert_eq!(list[0]["representative"], "Тарасова Инна Петровна");
    assert_eq!((&list[0]["authority"], &list[0]["proxy_date"]), (&Value::from("proxy"), &Value::from("2026-11-01")));
}

#[test]
fn a_correction_replaces_the_recorded_decision_citing_it() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    let old = decisions(&demo.store, "14")[0]["id"].as_str().unwrap().to_string();
    tmux.send("b");
    tmux.wait_for("the premise field", &["Помещение: ▏"]);
    fill(tmux, "14", &["Кто голосует?", "есть решение"]);
    tmux.send("Enter");
    tmux.wait_for("the decision recorded", &[&format!("У голосующего уже есть решение {old}"), "1 заменить его новым"]);
    tmux.type_text("1");
    answer_all(tmux, "22222222");
    fill(tmux, "", &["Кто подписал решение?"]);
    tmux.type_text("1");
    tmux.wait_for("the defect step", &["Есть ли дефект?"]);
    tmux.type_text("0");
    tmux.wait_for("the decision in words", &["Проверьте решение"]);
    tmux.send("Enter");
    tmux.wait_for("recorded in its place", &[&format!("✓ Решение записано вместо {old}")]);
    demo.quit();
    let list = decisions(&demo.store, "14");
    let replaced = list.iter().find(|d| d["id"] == old.as_str()).unwrap();
    assert_eq!(replaced["withdrawn"], true);
    let new = list.iter().find(|d| d["withdrawn"] == false).unwrap();
    assert_eq!(new["replaces"], old.as_str());
    assert_eq!(new["answers"]["1"], "against");
}

#[test]
fn check_mode_lists_the_differences_from_the_recorded_decision_and_writes_nothing() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(100, 30, false);
    let tmux = &demo.tmux;
    let before = decisions(&demo.store, "14");
    tmux.send("e");
    tmux.wait_for("the premise field", &["Сверка (второй ввод)", "Помещение: ▏"]);
    fill(tmux, "14", &["Кто голосует?"]);
    tmux.send("Enter");
    // Recorded: за ×6, воздержался, против; typed with question 7 wrong.
    answer_all(tmux, "11111112");
    // The day received comes filled in with today's: cleared key by key, slower than a paste.
    for _ in 0.."dd.mm.yyyy".len() {
        tmux.send("BSpace");
        std::thread::sleep(Duration::from_millis(60));
    }
    tmux.wait_for("an empty field", &["Получено (дд.мм): ▏"]);
    fill(tmux, "11.12.2026", &["Кто подписал решение?"]);
    tmux.type_text("1");
    tmux.wait_for("the defect step", &["Есть ли дефект?"]);
    tmux.type_text("0");
    tmux.wait_for("the decision in words", &["Enter сверить с записанным"]);
    tmux.send("Enter");
    tmux.wait_for("the difference", &["Расхождений с записанным: 1", "вопрос 7: записано «воздержался», введено «за»"]);
    demo.quit();
    assert_eq!(decisions(&demo.store, "14"), before, "nothing written");
}

#[test]
fn a_whole_decision_is_typed_with_the_phones_keyboard_open() {
    if !support::require("tmux") {
        return;
    }
    let demo = Demo::start(40, 20, false);
    let tmux = &demo.tmux;
    tmux.resize(45, 14);
    tmux.wait_for("the building waiting for a bigger window", &["Окно мало"]);
    tmux.send("b");
    tmux.wait_for("the compact premise field", &["Помещение:", "Enter сохранить"]);
    fill(tmux, "23", &["Кто голосует?"]);
    tmux.send("Enter");
    answer_all(tmux, "33333333");
    fill(tmux, "", &["Кто подписал решение?"]);
    tmux.type_text("1");
    tmux.wait_for("the defect step", &["Есть ли дефект?"]);
    tmux.type_text("0");
    tmux.wait_for("the decision in words", &["Проверьте решение"]);
    tmux.send("Enter");
    tmux.wait_for("recorded", &["✓ Решение записано"]);
    demo.quit();
    let list = decisions(&demo.store, "23");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["answers"]["8"], "abstain");
}
