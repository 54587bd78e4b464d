//! Every key of the TUI, per mode, in one table: it maps keys to actions, and the same rows
//! feed the key-hint line and the `?` help, so keys and their help never disagree.

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
    Filter,
    Help,
    Mark(Outcome),
    Note,
    Undo,
    /// Select a premise (a tap on its cell or row) and open it.
    Select(usize),
    /// Select an owner on the card (a tap on the row).
    SelectOwner(usize),
    /// Show a tab (a tap on its name).
    Tab(usize),
    Yes,
    No,
}

/// The screens and prompts, each with its own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Building,
    Card,
    Walk,
    Quorum,
    Help,
    /// Typing a note or a contact.
    Input,
    /// A yes/no question (the consent before a contact).
    Confirm,
}

/// One row of the table: the keys, how the hint shows them, what they do.
pub struct Binding {
    pub keys: &'static [KeyCode],
    pub label: &'static str,
    pub action: Action,
    pub ru: &'static str,
    pub en: &'static str,
    /// Shown on the hint line (the rest only in the help).
    pub hint: bool,
}

impl Binding {
    pub fn words(&self, lang: Lang) -> &'static str {
        lang.pick(self.ru, self.en)
    }
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    action: Action,
    ru: &'static str,
    en: &'static str,
    hint: bool,
) -> Binding {
    Binding { keys, label, action, ru, en, hint }
}

use KeyCode::{Backspace, Char, Down, Enter, Esc, Left, Right, Tab, Up};

const MOVE: [Binding; 4] = [
    bind(&[Up, Char('k')], "↑k", Action::Up, "вверх", "up", false),
    bind(&[Down, Char('j')], "↓j", Action::Down, "вниз", "down", false),
    bind(&[Left, Char('h')], "←h", Action::Left, "влево", "left", false),
    bind(&[Right, Char('l')], "→l", Action::Right, "вправо", "right", false),
];

const BUILDING: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Tab, Char(']')], "Tab", Action::NextTab, "подъезд", "entrance", true),
    bind(&[KeyCode::BackTab, Char('[')], "[", Action::PrevTab, "пред. подъезд", "prev. entrance", false),
    bind(&[Char('w')], "w", Action::Walk, "обход", "walk", true),
    bind(&[Char('v')], "v", Action::Quorum, "кворум", "quorum", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", true),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", true),
];

const CARD: &[Binding] = &[
    bind(&[Char('d')], "d", Action::Mark(Outcome::Delivered), "вручено", "delivered", true),
    bind(&[Char('a')], "a", Action::Mark(Outcome::Absent), "не застали", "absent", true),
    bind(&[Char('r')], "r", Action::Mark(Outcome::Refused), "отказ", "refused", true),
    bind(&[Char('s')], "s", Action::Mark(Outcome::Consent), "согласие", "consent", true),
    bind(&[Char('c')], "c", Action::Mark(Outcome::Contact), "контакт", "contact", true),
    bind(&[Char('p')], "p", Action::Mark(Outcome::Letter), "письмо", "letter", true),
    bind(&[Char('n')], "n", Action::Note, "заметка", "note", true),
    bind(&[Char('u')], "u", Action::Undo, "отменить", "undo", true),
    bind(&[Up, Char('k')], "↑↓", Action::Up, "собственник", "owner", false),
    bind(&[Down, Char('j')], "↓j", Action::Down, "собственник", "owner", false),
    bind(&[Esc, Backspace], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

const WALK: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Char('f')], "f", Action::Filter, "фильтр", "filter", true),
    bind(&[Tab, Char(']')], "Tab", Action::NextTab, "подъезд", "entrance", true),
    bind(&[KeyCode::BackTab, Char('[')], "[", Action::PrevTab, "пред. подъезд", "prev. entrance", false),
    bind(&[Esc, Backspace], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

const QUORUM: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "открыть", "open", true),
    bind(&[Esc, Backspace, Char('v')], "Esc", Action::Back, "назад", "back", true),
    bind(&[Char('?')], "?", Action::Help, "помощь", "help", false),
    bind(&[Char('q')], "q", Action::Quit, "выход", "quit", false),
];

const HELP: &[Binding] = &[bind(&[Esc, Char('?'), Char('q')], "Esc", Action::Back, "закрыть", "close", true)];

const INPUT: &[Binding] = &[
    bind(&[Enter], "Enter", Action::Open, "сохранить", "save", true),
    bind(&[Esc], "Esc", Action::Back, "отмена", "cancel", true),
];

const CONFIRM: &[Binding] = &[
    bind(&[Char('y'), Char('д')], "y", Action::Yes, "да", "yes", true),
    bind(&[Char('n'), Char('н'), Esc], "n", Action::No, "нет", "no", true),
];

/// The bindings of a mode, moves first where the mode has them.
pub fn bindings(mode: Mode) -> Vec<&'static Binding> {
    let own: &'static [Binding] = match mode {
        Mode::Building => BUILDING,
        Mode::Card => CARD,
        Mode::Walk => WALK,
        Mode::Quorum => QUORUM,
        Mode::Help => HELP,
        Mode::Input => INPUT,
        Mode::Confirm => CONFIRM,
    };
    let moves: &'static [Binding] = match mode {
        Mode::Building | Mode::Walk | Mode::Quorum => &MOVE,
        _ => &[],
    };
    own.iter().chain(moves).collect()
}

/// The action of a key in a mode. `Ctrl-C` quits from anywhere.
pub fn action(mode: Mode, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == Char('c') {
        return Some(Action::Quit);
    }
    bindings(mode).into_iter().find(|b| b.keys.contains(&key.code)).map(|b| b.action)
}
