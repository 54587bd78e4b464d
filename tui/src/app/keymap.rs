//! Keys in one table per layer: each row maps keys to an action and names it, and the same rows
//! feed the key-hint line and the `?` help, so keys and their help never disagree. A letter works
//! on its physical key in the Russian layout too (`d` and `в`), derived from one layout table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::{Lang, Outcome};

/// What the user asked for, whatever key or tap it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Left,
    Right,
    Open,
    Back,
    Quit,
    NextTab,
    PrevTab,
    Walk,
    Quorum,
    Conflicts,
    /// The group's devices and the sync state.
    Devices,
    Filter,
    Help,
    Mark(Outcome),
    Note,
    /// Delete the note kept for the card's premise.
    ClearNote,
    /// A page back or on, in a long list (the card's history, the help).
    PageUp,
    PageDown,
    /// Type the day the owner signed, for the next delivery (`d`) on the card.
    Signed,
    Undo,
    /// Select a premise (a tap on its cell or row) and open it.
    Select(usize),
    /// Select an owner on the card (a tap on the row).
    SelectOwner(usize),
    /// Show a tab (a tap on its name).
    Tab(usize),
    /// Keep what was typed.
    Save,
    Yes,
    No,
    /// Open the ballot-entry screen.
    Ballot,
    /// Open the ballot-entry screen in check mode (double entry).
    Check,
    /// A numbered choice on the ballot-entry screen (an answer, who signed, a defect).
    Pick(u8),
    /// A step back on the ballot-entry screen.
    Previous,
}

/// One row of a table: the keys, how the hint shows them, what they do.
pub struct Binding {
    pub keys: &'static [KeyCode],
    /// The short name of the keys on the hint line.
    pub label: &'static str,
    pub action: Action,
    pub ru: &'static str,
    pub en: &'static str,
    /// Shown on the hint line (the rest only in the help).
    pub hint: bool,
    /// Whether a letter also works where it sits on the other layout (not for yes and no, whose
    /// letters mean something themselves).
    pub twins: bool,
}

impl Binding {
    pub fn words(&self, lang: Lang) -> &'static str {
        lang.pick(self.ru, self.en)
    }

    /// Whether a key (with no modifier but Shift) is one of this row's, on either layout.
    pub fn matches(&self, code: KeyCode) -> bool {
        self.keys.iter().any(|&key| {
            key == code
                || self.twins
                    && matches!((key, code), (KeyCode::Char(own), KeyCode::Char(typed)) if twin(own) == Some(typed))
        })
    }

    /// Every key of the row for the help, a letter with its Russian twin: `d/в`, `↑ k/л`.
    pub fn keys_text(&self) -> String {
        let names: Vec<String> = self.keys.iter().map(|&key| key_name(key, self.twins)).collect();
        names.join(" ")
    }
}

pub const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    ru: &'static str,
    en: &'static str,
    hint: bool,
) -> Binding {
    Binding { keys, label, action, ru, en, hint, twins: true }
}

/// A row whose letters work only as typed, on whichever layout types them.
pub const fn exact(binding: Binding) -> Binding {
    Binding { twins: false, ..binding }
}

/// The standard US keys and, at the same positions, what the standard Russian layout (ЙЦУКЕН)
/// types on them. The number row is left out: its shifted signs differ and no key uses them.
const LATIN: &str = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?";
const RUSSIAN: &str = "ёйцукенгшщзхъфывапролджэячсмитьбю.ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,";

/// What the Russian layout types on the key that types `c` in the US layout.
pub fn twin(c: char) -> Option<char> {
    LATIN.chars().position(|l| l == c).and_then(|i| RUSSIAN.chars().nth(i))
}

/// What the US layout types on the key that types `c` in the Russian layout (`ь` → `m`).
pub fn latin_twin(c: char) -> Option<char> {
    RUSSIAN.chars().position(|r| r == c).and_then(|i| LATIN.chars().nth(i))
}

fn key_name(key: KeyCode, twins: bool) -> String {
    match key {
        KeyCode::Char(c) => match twin(c).filter(|_| twins) {
            Some(t) => format!("{c}/{t}"),
            None => c.to_string(),
        },
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Backspace => "⌫".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        other => format!("{other:?}"),
    }
}

pub use KeyCode::{BackTab, Backspace, Char, Down, Enter, Esc, Left, PageDown, PageUp, Right, Tab, Up};

/// The moves of the screens that have a cursor.
pub const MOVE: [Binding; 4] = [
    bind(&[Up, Char('k')], "↑k", Action::Up, "вверх", "up", false),
    bind(&[Down, Char('j')], "↓j", Action::Down, "вниз", "down", false),
    bind(&[Left, Char('h')], "←h", Action::Left, "влево", "left", false),
    bind(&[Right, Char('l')], "→l", Action::Right, "вправо", "right", false),
];

/// What a key press means on a layer with these rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    Act(Action),
    /// A printable key that no row has: the user is told that `?` lists the keys.
    Unbound(char),
    /// Anything else (a function key, Alt or Ctrl with a key): nothing happens.
    Nothing,
}

/// The meaning of a key among `rows`. `Ctrl-C` quits from anywhere; no other key with Ctrl or Alt
/// acts, so that Alt+d (Esc and d sent together) or Ctrl-D never records a mark.
pub fn meaning(rows: &[&Binding], key: KeyEvent) -> Meaning {
    let modifiers = key.modifiers - KeyModifiers::SHIFT;
    if modifiers == KeyModifiers::CONTROL && matches!(key.code, Char('c' | 'с')) {
        return Meaning::Act(Action::Quit);
    }
    if !modifiers.is_empty() {
        return Meaning::Nothing;
    }
    match rows.iter().find(|b| b.matches(key.code)) {
        Some(binding) => Meaning::Act(binding.action),
        None => match key.code {
            Char(c) if !obhod_core::text::is_forbidden(c) && !c.is_whitespace() => Meaning::Unbound(c),
            _ => Meaning::Nothing,
        },
    }
}
