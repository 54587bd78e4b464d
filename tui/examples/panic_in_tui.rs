//! A helper for the tmux tests: the TUI's terminal set-up around a program that panics on the
//! first key, to show that a panic restores the terminal (raw mode, alternate screen, mouse
//! capture, bracketed paste). Not for users.

use crossterm::event::{self, Event};
use obhod_tui::app::run::in_terminal;
use ratatui::widgets::Paragraph;

fn main() -> std::io::Result<()> {
    in_terminal(|terminal, _| {
        terminal.draw(|frame| frame.render_widget(Paragraph::new("ready: a key panics"), frame.area()))?;
        while !matches!(event::read()?, Event::Key(_)) {}
        panic!("a bug on purpose");
    })
}
