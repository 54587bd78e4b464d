//! The terminal shell around the app: raw mode, the alternate screen, mouse capture and bracketed
//! paste on, and all of them off again however the app ends (quit, SIGTERM, SIGHUP, SIGINT,
//! SIGQUIT, a panic); the event loop with a dirty flag (draw only after a change), asleep until
//! something wakes it: terminal events, a signal, or the look at the store every second for what
//! another process (the sync daemon, `obhod mark`) wrote.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
    MouseButton, MouseEventKind,
};
use obhod_core::Lang;
use obhod_store::Campaign;
use ratatui::DefaultTerminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use super::burst::{Bursts, Terminal};
use super::failure::Access;
use super::{App, view};

/// How often the loop looks whether another process wrote to the store, and whether the terminal
/// is still there. A look costs a stat of the file and a read of SQLite's shared memory; the
/// store is read only when it changed.
const LOOK: Duration = Duration::from_secs(1);

/// The signals that end the TUI, the terminal restored first.
const ENDING: [i32; 4] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT];

/// Runs the TUI on a campaign until the user quits or a signal ends it.
pub fn run(campaign: Campaign, lang: Lang) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(lang.pick(
            "интерфейсу обхода нужен терминал; для скриптов есть obhod status и obhod mark",
            "the canvassing TUI needs a terminal; scripts can use obhod status and obhod mark",
        )));
    }
    in_terminal(|terminal, wakes| event_loop(terminal, App::new(campaign, lang), wakes))
}

/// What wakes the loop.
pub enum Wake {
    /// A burst of terminal events, or the terminal failing.
    Events(io::Result<Vec<Event>>),
    /// A signal that ends the TUI.
    Signal,
}

/// The loop's wake-ups, terminal events and signals alike, on one channel: between them the loop
/// sleeps.
pub struct Wakes {
    sender: mpsc::Sender<Wake>,
    receiver: mpsc::Receiver<Wake>,
    ended: Arc<AtomicBool>,
}

impl Wakes {
    /// Whether a signal asked the TUI to end.
    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::Relaxed)
    }

    /// A sender for a thread that wakes the loop (the terminal's reader).
    pub fn sender(&self) -> mpsc::Sender<Wake> {
        self.sender.clone()
    }

    /// The next wake-up, waiting at most `timeout`; `None` when none came.
    pub fn next(&self, timeout: Duration) -> Option<Wake> {
        self.receiver.recv_timeout(timeout).ok()
    }
}

/// Runs `body` with the terminal in the TUI's modes and restores the terminal after, however
/// `body` ends: returning, failing, panicking, or on SIGTERM, SIGHUP, SIGINT or SIGQUIT, which
/// wake it through `Wakes` with `ended` true (`body` returns then).
pub fn in_terminal<T>(body: impl FnOnce(&mut DefaultTerminal, &Wakes) -> io::Result<T>) -> io::Result<T> {
    let (sender, receiver) = mpsc::channel();
    let wakes = Wakes { sender, receiver, ended: Arc::new(AtomicBool::new(false)) };
    let mut handlers = Vec::new();
    for signal in ENDING {
        // A second signal while the first is still being handled ends the process at once.
        handlers.push(signal_hook::flag::register_conditional_shutdown(signal, 1, Arc::clone(&wakes.ended))?);
        handlers.push(signal_hook::flag::register(signal, Arc::clone(&wakes.ended))?);
        handlers.push(signal_hook::flag::register_usize(signal, Arc::clone(&SIGNAL), signal as usize)?);
    }
    // A thread asleep on signal-hook's self-pipe wakes the loop when a signal has set the flags.
    let mut signals = signal_hook::iterator::Signals::new(ENDING)?;
    let signals_handle = signals.handle();
    let waker = wakes.sender();
    let listener = std::thread::spawn(move || {
        for _ in signals.forever() {
            if waker.send(Wake::Signal).is_err() {
                return;
            }
        }
    });
    let mut terminal = ratatui::init();
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        ratatui_hook(info);
    }));
    let result = crossterm::execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)
        .and_then(|()| body(&mut terminal, &wakes));
    restore();
    signals_handle.close();
    let _ = listener.join();
    for handler in handlers {
        signal_hook::low_level::unregister(handler);
    }
    result
}

/// The signal that ended the TUI, if one did (0 for none).
static SIGNAL: LazyLock<Arc<AtomicUsize>> = LazyLock::new(|| Arc::new(AtomicUsize::new(0)));

/// The signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) that ended the last TUI run, so that obhod exits
/// with 128 + its number, as a program ended by a signal does.
pub fn ended_by_signal() -> Option<i32> {
    i32::try_from(SIGNAL.load(Ordering::Relaxed)).ok().filter(|&signal| signal > 0)
}

/// Everything the terminal had before: no mouse capture, no bracketed paste, the normal screen,
/// cooked mode, the cursor. Errors are ignored: the terminal may be gone (SIGHUP).
fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
}

fn event_loop(terminal: &mut DefaultTerminal, mut app: App, wakes: &Wakes) -> io::Result<()> {
    let size = terminal.size()?;
    app.size = Some((size.width, size.height));
    read_terminal(wakes.sender());
    let mut dirty = true;
    let mut look = Instant::now() + LOOK;
    loop {
        if dirty {
            terminal.draw(|frame| view::draw(frame, &mut app))?;
            dirty = false;
        }
        // A terminal that is gone (its window closed without a SIGHUP reaching us) ends the TUI too.
        if app.quit || wakes.ended() || !io::stdin().is_terminal() {
            return Ok(());
        }
        match wakes.next(look.saturating_duration_since(Instant::now())) {
            Some(Wake::Events(burst)) => {
                for event in burst? {
                    dirty |= handle(&mut app, event);
                }
            }
            // Looked at above.
            Some(Wake::Signal) | None => {}
        }
        if Instant::now() >= look {
            look = Instant::now() + LOOK;
            dirty |= look_at_store(&mut app);
        }
    }
}

/// Reads the store again when another process wrote to it, or while a read of it fails; true
/// when the screen must change.
fn look_at_store(app: &mut App) -> bool {
    let failing_read = app.error.as_ref().is_some_and(|failure| failure.during == Access::Read);
    match app.campaign.news() {
        Ok(false) if !failing_read => false,
        // A store that fails is reported by the refresh, which fails the same way.
        Ok(_) | Err(_) => app.refresh(),
    }
}

/// Reads terminal events on a thread of its own, asleep in the read until one arrives, and hands
/// them to the loop in bursts (a paste made one event: see `burst`).
///
/// A read that blocks, not a poll with a timeout: crossterm ends each timeout with zero-timeout
/// polls for its last fraction of a millisecond (some 330 a second with 100 ms timeouts, at 0.9 %
/// of a core). And the loop never waits inside crossterm: once the terminal is gone, crossterm
/// spins on the dead tty and never returns (crossterm issue 793); the loop, woken by the look
/// every second, finds stdin no longer a terminal and ends, and the process with it. The thread
/// ends with the first event read after the loop has gone.
fn read_terminal(sender: mpsc::Sender<Wake>) {
    std::thread::spawn(move || {
        let mut bursts = Bursts::new(Terminal);
        loop {
            let burst = bursts.read();
            let failed = burst.is_err();
            if sender.send(Wake::Events(burst)).is_err() || failed {
                return;
            }
        }
    });
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
