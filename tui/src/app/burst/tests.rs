//! Bursts read from a script of events with their arrival times, on a clock of its own: what
//! arrives when is exact, and nothing waits.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::{Bursts, GAP, Source, TAIL, as_paste};

struct Script {
    start: Instant,
    now: Duration,
    events: VecDeque<(Duration, Event)>,
}

impl Source for Script {
    fn poll(&mut self, timeout: Duration) -> io::Result<bool> {
        match self.events.front() {
            Some(&(at, _)) if at <= self.now + timeout => {
                self.now = self.now.max(at);
                Ok(true)
            }
            _ => {
                self.now += timeout;
                Ok(false)
            }
        }
    }

    fn read(&mut self) -> io::Result<Event> {
        let (at, event) = self.events.pop_front().expect("read only what poll found");
        self.now = self.now.max(at);
        Ok(event)
    }

    fn now(&self) -> Instant {
        self.start + self.now
    }
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Every burst of a script, as the reader hands them to the app.
fn bursts(script: Vec<(Duration, Event)>) -> Vec<Vec<Event>> {
    let mut bursts = Bursts::new(Script { start: Instant::now(), now: Duration::ZERO, events: script.into() });
    let mut out = Vec::new();
    while bursts.poll(Duration::from_secs(60)).unwrap() {
        out.push(bursts.read().unwrap());
    }
    out
}

fn paste(text: &str) -> Vec<Event> {
    vec![Event::Paste(text.into())]
}

#[test]
fn a_paste_whose_first_key_arrives_alone_is_still_one_paste() {
    let script = vec![(ms(0), key(KeyCode::Char('d'))), (ms(5), key(KeyCode::Char('a'))), (ms(6), key(KeyCode::Enter))];
    assert_eq!(bursts(script), vec![paste("da\n")]);
}

#[test]
fn the_last_pieces_of_a_stalled_paste_are_pasted_not_pressed() {
    let stalled = GAP + ms(60);
    let script = vec![
        (ms(0), key(KeyCode::Char('a'))),
        (ms(1), key(KeyCode::Char('a'))),
        (stalled, key(KeyCode::Char('d'))),
        (stalled * 2, key(KeyCode::Char('r'))),
    ];
    assert_eq!(bursts(script), vec![paste("aa"), paste("d"), paste("r")]);
}

#[test]
fn a_key_pressed_after_a_pause_is_a_key() {
    let later = ms(1) + GAP + TAIL + ms(1);
    let script = vec![
        (ms(0), key(KeyCode::Char('d'))),
        (ms(500), key(KeyCode::Char('x'))),
        (ms(501), key(KeyCode::Char('y'))),
        (ms(501) + later, key(KeyCode::Char('a'))),
    ];
    let expected = vec![vec![key(KeyCode::Char('d'))], paste("xy"), vec![key(KeyCode::Char('a'))]];
    assert_eq!(bursts(script), expected);
}

#[test]
fn keys_that_act_are_never_pasted() {
    let script = vec![(ms(0), key(KeyCode::Down)), (ms(30), key(KeyCode::Char('j'))), (ms(300), key(KeyCode::Esc))];
    let expected = vec![vec![key(KeyCode::Down)], vec![key(KeyCode::Char('j'))], vec![key(KeyCode::Esc)]];
    assert_eq!(bursts(script), expected);
}

#[test]
fn a_paste_and_a_key_that_acts_in_one_burst_stay_a_paste_and_the_key() {
    let script = vec![
        (ms(0), key(KeyCode::Char('d'))),
        (ms(1), key(KeyCode::Char('a'))),
        (ms(1), key(KeyCode::Esc)),
        (ms(2), key(KeyCode::Char('r'))),
    ];
    let handled: Vec<Event> = bursts(script).concat();
    assert_eq!(handled, vec![Event::Paste("da".into()), key(KeyCode::Esc), Event::Paste("r".into())]);
}

#[test]
fn a_mouse_moving_during_a_paste_keeps_it_a_paste() {
    let moved =
        Event::Mouse(MouseEvent { kind: MouseEventKind::Moved, column: 1, row: 1, modifiers: KeyModifiers::NONE });
    let script = vec![(ms(0), key(KeyCode::Char('d'))), (ms(1), moved), (ms(2), key(KeyCode::Char('a')))];
    assert_eq!(bursts(script), vec![paste("da")]);
}

#[test]
fn keys_in_one_burst_are_a_paste() {
    let burst = [key(KeyCode::Char('d')), key(KeyCode::Enter), key(KeyCode::Char('a'))];
    assert_eq!(as_paste(&burst).as_deref(), Some("d\na"));
    assert_eq!(as_paste(&burst[..1]), None, "one key is a key");
    let arrows = [key(KeyCode::Down), key(KeyCode::Down)];
    assert_eq!(as_paste(&arrows), None, "arrow keys held down are moves, not text");
    let mixed = [key(KeyCode::Char('d')), Event::Resize(40, 20)];
    assert_eq!(as_paste(&mixed), None);
    let ctrl_c = [key(KeyCode::Char('x')), Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))];
    assert_eq!(as_paste(&ctrl_c), None, "Ctrl-C in a burst still quits");
}

#[test]
fn a_pasted_key_before_an_arrow_in_the_paste_is_pasted_too() {
    let script = vec![(ms(0), key(KeyCode::Char('d'))), (ms(1), key(KeyCode::Down)), (ms(2), key(KeyCode::Char('d')))];
    let handled: Vec<Event> = bursts(script).concat();
    assert_eq!(handled, vec![Event::Paste("d".into()), key(KeyCode::Down), Event::Paste("d".into())]);
}
