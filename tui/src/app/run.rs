//! The terminal shell around the app: raw mode and the alternate screen, the event loop with a
//! dirty flag (draw only after a change), and a look at the store every second for what another
//! process (the sync daemon) wrote.

use std::io::{self, IsTerminal};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use obhod_core::Lang;
use obhod_store::Campaign;
use ratatui::DefaultTerminal;

use super::{App, view};

/// How often the store is checked for other processes' writes.
const REFRESH: Duration = Duration::from_secs(1);

/// Runs the TUI on a campaign until the user quits.
pub fn run(campaign: Campaign, lang: Lang) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(lang.pick(
            "интерфейсу обхода нужен терминал; для скриптов есть obhod status и obhod mark",
            "the canvassing TUI needs a terminal; scripts can use obhod status and obhod mark",
        )));
    }
    let mut terminal = ratatui::init();
    crossterm::execute!(io::stdout(), EnableMouseCapture)?;
    let result = event_loop(&mut terminal, App::new(campaign, lang));
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, mut app: App) -> io::Result<()> {
    let mut dirty = true;
    let mut checked = Instant::now();
    loop {
        if dirty {
            terminal.draw(|frame| view::draw(frame, &mut app))?;
            dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        if event::poll(REFRESH.saturating_sub(checked.elapsed()))? {
            dirty |= match event::read()? {
                Event::Key(key) if key.kind != KeyEventKind::Release => {
                    app.key(key);
                    true
                }
                Event::Mouse(mouse) if mouse.kind == MouseEventKind::Down(MouseButton::Left) => {
                    app.tap(mouse.column, mouse.row);
                    true
                }
                Event::Resize(..) => true,
                _ => false,
            };
        }
        if checked.elapsed() >= REFRESH {
            checked = Instant::now();
            dirty |= app.refresh();
        }
    }
}
