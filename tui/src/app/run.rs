//! The terminal shell around the app: raw mode, the alternate screen, mouse capture and bracketed
//! paste on, and all of them off again however the app ends (quit, SIGTERM, SIGHUP, SIGINT, a
//! panic); the event loop with a dirty flag (draw only after a change), and a look at the store
//! every second for what another process (the sync daemon) wrote.

use std::io::{self, IsTerminal};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
    MouseButton, MouseEventKind,
};
use obhod_core::Lang;
use obhod_store::Campaign;
use ratatui::DefaultTerminal;

use super::burst::{Bursts, Terminal};
use super::{App, view};

/// How often the store is checked for other processes' writes.
const REFRESH: Duration = Duration::from_millis(400);
/// The longest wait for an event: how soon a signal to end is noticed.
const TICK: Duration = Duration::from_millis(100);

/// Runs the TUI on a campaign until the user quits or a signal ends it.
pub fn run(campaign: Campaign, lang: Lang) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(lang.pick(
            "интерфейсу обхода нужен терминал; для скриптов есть obhod status и obhod mark",
            "the canvassing TUI needs a terminal; scripts can use obhod status and obhod mark",
        )));
    }
    in_terminal(|terminal, ended| event_loop(terminal, App::new(campaign, lang), ended))
}

/// Runs `body` with the terminal in the TUI's modes and restores the terminal after, however
/// `body` ends: returning, failing, panicking, or on SIGTERM, SIGHUP or SIGINT, which turn the
/// flag it is given true (`body` looks at it often and returns).
pub fn in_terminal<T>(body: impl FnOnce(&mut DefaultTerminal, &AtomicBool) -> io::Result<T>) -> io::Result<T> {
    let ended = Arc::new(AtomicBool::new(false));
    let mut handlers = Vec::new();
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        // A second signal while the first is still being handled ends the process at once.
        handlers.push(signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&ended))?);
        handlers.push(signal_hook::flag::register(signal, Arc::clone(&ended))?);
        handlers.push(signal_hook::flag::register_usize(signal, Arc::clone(&SIGNAL), signal as usize)?);
    }
    let mut terminal = ratatui::init();
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        ratatui_hook(info);
    }));
    let result = crossterm::execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|()| body(&mut terminal, &ended));
    restore();
    for handler in handlers {
        signal_hook::low_level::unregister(handler);
    }
    result
}

/// The signal that ended the TUI, if one did (0 for none).
static SIGNAL: LazyLock<Arc<AtomicUsize>> = LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

/// The signal (SIGTERM, SIGHUP, SIGINT) that ended the last TUI run, so that obhod exits with
/// 128 + its number, as a program ended by a signal does.
pub fn ended_by_signal() -> Option<i32> {
    i32::try_from(SIGNAL.load(Ordering::Relaxed)).ok().filter(|&signal| signal > 0)
}

/// Everything the terminal had before: no mouse capture, no bracketed paste, the normal screen,
/// cooked mode, the cursor. Errors are ignored: the terminal may be gone (SIGHUP).
fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
}

fn event_loop(terminal: &mut DefaultTerminal, mut app: App, ended: &AtomicBool) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = Some((size.width, size.height));
    let (events, _reader) = Reader::start();
    let mut dirty = true;
    let mut checked = Instant::now();
    loop {
        if dirty {
            terminal.draw(|frame| view::draw(frame, &mut app))?;
            dirty = false;
        }
        // A terminal that is gone (its window closed without a SIGHUP reaching us) ends the TUI too.
        if app.quit || ended.load(Ordering::Relaxed) || !io::stdin().is_terminal() {
            return Ok(());
        }
        match events.recv_timeout(REFRESH.saturating_sub(checked.elapsed()).min(TICK)) {
            Ok(burst) => {
                for event in burst? {
                    dirty |= handle(&mut app, event);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(io::Error::other("terminal events ended")),
        }
        if checked.elapsed() >= REFRESH {
            checked = Instant::now();
            dirty |= app.refresh();
        }
    }
}

/// Terminal events read on a thread of their own, in bursts (a paste made one event: see `burst`).
/// The loop never waits inside crossterm: once the terminal is gone, crossterm's `poll` spins on the dead tty and never returns,
/// whatever its timeout (crossterm issue 793), and a loop waiting there would neither notice a
/// signal nor stop. Dropping the reader asks its thread to stop at its next look.
struct Reader {
    stop: Arc<AtomicBool>,
}

impl Reader {
    fn start() -> (mpsc::Receiver<io::Result<Vec<Event>>>, Reader) {
        let stop = Arc::new(AtomicBool::new(false));
        let (sender, receiver) = mpsc::channel();
        let stopped = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut bursts = Bursts::new(Terminal);
            while !stopped.load(Ordering::Relaxed) {
                let read = bursts.poll(TICK).and_then(|ready| ready.then(|| bursts.read()).transpose());
                let failed = read.is_err();
                if let Some(burst) = read.transpose()
                    && (sender.send(burst).is_err() || failed)
                {
                    return;
                }
            }
        });
        (receiver, Reader { stop })
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Feeds one terminal event to the app; true when the screen must change.
fn handle(app: &mut App, event: Event) -> bool {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => app.key(key),
        Event::Mouse(mouse) if mouse.kind == MouseEventKind::Down(MouseButton::Left) => {
            app.tap(mouse.column, mouse.row)
        }
        Event::Paste(text) => app.paste(&text),
        Event::Resize(width, height) => app.resize(width, height),
        _ => return false,
    }
    true
}
