//! Terminal events gathered into bursts, and a paste told from typing. A terminal without bracketed
//! paste sends a paste as typed keys, and the pty hands them over in pieces as fast as it likes (a
//! piece may be one key): keys closer together than anyone types are one paste, however split, so
//! that a pasted `d` never records a mark.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

/// The most events read as one burst.
const BURST: usize = 4096;
/// Typed keys with less than this between them belong to one burst: faster than anyone types,
/// and short enough not to be felt as a delay of a key.
pub const GAP: Duration = Duration::from_millis(20);
/// Typed keys this soon after a paste are its last pieces (a pty that stalled mid-paste).
pub const TAIL: Duration = Duration::from_millis(150);
/// The wait for events already read from the terminal: crossterm's poll with no wait at all does
/// not look at what it has read and not yet handed over.
const READY: Duration = Duration::from_millis(1);

/// Where events come from: the terminal, or a script in tests.
pub trait Source {
    /// Whether an event arrives within `timeout`.
    fn poll(&mut self, timeout: Duration) -> io::Result<bool>;
    fn read(&mut self) -> io::Result<Event>;
    fn now(&self) -> Instant;
}

/// The terminal, through crossterm.
pub struct Terminal;

impl Source for Terminal {
    fn poll(&mut self, timeout: Duration) -> io::Result<bool> {
        crossterm::event::poll(timeout)
    }

    fn read(&mut self) -> io::Result<Event> {
        crossterm::event::read()
    }

    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Bursts of events from a source, a paste turned into one `Event::Paste`.
pub struct Bursts<S> {
    source: S,
    /// When the last paste's last piece arrived.
    pasted: Option<Instant>,
}

impl<S: Source> Bursts<S> {
    pub fn new(source: S) -> Bursts<S> {
        Bursts { source, pasted: None }
    }

    pub fn poll(&mut self, timeout: Duration) -> io::Result<bool> {
        self.source.poll(timeout)
    }

    /// The events to handle, read after one arrived: each run of typed keys that is a paste as one
    /// `Event::Paste` (beside resizes), every key that acts (an arrow, Esc, Ctrl-C) as it came.
    pub fn read(&mut self) -> io::Result<Vec<Event>> {
        let mut out = Vec::new();
        let mut run = Vec::new();
        let events = self.gather()?;
        // Two typed keys in one burst are never typed by hand, whatever acts between them (an
        // arrow in a pasted text): each of them is pasted, the first one too.
        let pasted = events.iter().filter(|e| matches!(e, Event::Key(key) if typed(key).is_some())).count() >= 2;
        for event in events {
            if acts(&event) {
                self.flush(&mut run, &mut out, pasted);
                out.push(event);
            } else {
                run.push(event);
            }
        }
        self.flush(&mut run, &mut out, pasted);
        Ok(out)
    }

    /// Moves a run of typed keys (and inert events) to `out`: as a paste when it has two keys or
    /// more, or one soon after a paste or in a burst that is one.
    fn flush(&mut self, run: &mut Vec<Event>, out: &mut Vec<Event>, pasted: bool) {
        let now = self.source.now();
        let tail = pasted || self.pasted.is_some_and(|at| now.duration_since(at) < TAIL);
        match paste_text(run, if tail { 1 } else { 2 }) {
            Some(text) => {
                self.pasted = Some(now);
                out.extend(run.drain(..).filter(|e| matches!(e, Event::Resize(..))));
                out.push(Event::Paste(text));
            }
            None => out.append(run),
        }
    }

    /// Every event that arrived with the first: waiting up to `GAP` for the next while the last
    /// key was a typed one (a paste may go on).
    fn gather(&mut self) -> io::Result<Vec<Event>> {
        let mut events = vec![self.source.read()?];
        let mut typing = false;
        loop {
            let last = events.last().expect("one event at least");
            if !inert(last) {
                typing = !acts(last);
            }
            let wait = if typing { GAP } else { READY };
            if events.len() >= BURST || !self.source.poll(wait)? {
                return Ok(events);
            }
            events.push(self.source.read()?);
        }
    }
}

/// What a key types into a text, if it only types: a letter, Enter, Tab, with neither Ctrl nor Alt.
fn typed(key: &KeyEvent) -> Option<char> {
    if key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

/// Whether an event does nothing in the app (a key release, a mouse move, focus), or only changes
/// the size: such events never make a burst of typed keys more than text.
fn inert(event: &Event) -> bool {
    match event {
        Event::Key(key) => key.kind == KeyEventKind::Release,
        Event::Mouse(mouse) => mouse.kind != MouseEventKind::Down(MouseButton::Left),
        Event::FocusGained | Event::FocusLost | Event::Resize(..) => true,
        Event::Paste(_) => false,
    }
}

/// Whether an event acts in the app other than by typing: an arrow, Esc, Ctrl-C, a tap, a
/// bracketed paste.
fn acts(event: &Event) -> bool {
    !inert(event) && !matches!(event, Event::Key(key) if typed(key).is_some())
}

/// The text of a burst of at least `least` typed keys and nothing else that acts; `None` when a
/// key in it acts (an arrow, Esc, Ctrl-C), a tap is in it, or it has fewer keys.
fn paste_text(events: &[Event], least: usize) -> Option<String> {
    let mut text = String::new();
    for event in events.iter().filter(|e| !inert(e)) {
        let Event::Key(key) = event else { return None };
        text.push(typed(key)?);
    }
    (text.chars().count() >= least).then_some(text)
}

/// A burst's keys as one paste: two or more typed keys arriving together, faster than anyone
/// types, and nothing else that acts.
pub fn as_paste(events: &[Event]) -> Option<String> {
    paste_text(events, 2)
}

#[cfg(test)]
mod tests;
