//! The layers of the stack: screens (the building, a flat card, the walk list, the quorum panel,
//! the ballot conflicts, the ballot entry)
//! and the overlays drawn over the screen they belong to (help, a prompt, a yes/no question).
//! Each arm's module owns its keys, its update and its drawing; a new screen is a new module and
//! one arm in each match here.

pub mod ballot;
pub mod building;
pub mod card;
pub mod conflicts;
pub mod devices;
pub mod help;
pub mod prompt;
pub mod quorum;
pub mod walk;

use obhod_core::Lang;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::App;
use super::keymap::{Action, Binding, MOVE};
pub use prompt::Input;

/// One layer of the stack; the bottom one is always the building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layer {
    Building,
    Card,
    Walk,
    Quorum,
    /// Owners with differing ballots from different devices, scrolled by `scroll` lines.
    Conflicts {
        scroll: u16,
    },
    /// The group's devices and what is not sent yet.
    Devices,
    /// Typing a paper decision (`b`), step by step.
    Ballot(Box<ballot::Draft>),
    /// Every key of the layer under it.
    Help,
    /// Typing a note or a contact, over the card.
    Prompt {
        input: Input,
        text: String,
    },
    /// The consent question before a contact, over the card.
    Confirm,
}

impl Layer {
    /// The keys of the layer, its own first, then the moves where it has a cursor.
    pub fn rows(&self) -> Vec<&'static Binding> {
        let own: &'static [Binding] = match self {
            Layer::Building => building::KEYS,
            Layer::Card => card::KEYS,
            Layer::Walk => walk::KEYS,
            Layer::Quorum => quorum::KEYS,
            Layer::Conflicts { .. } => conflicts::KEYS,
            Layer::Devices => devices::KEYS,
            Layer::Ballot(draft) => ballot::keys(draft),
            Layer::Help => help::KEYS,
            Layer::Prompt { .. } => prompt::INPUT_KEYS,
            Layer::Confirm => prompt::CONFIRM_KEYS,
        };
        // Lists move up and down only: the help names no key that does nothing.
        let moves: &'static [Binding] = match self {
            Layer::Building => &MOVE,
            Layer::Walk | Layer::Quorum => &MOVE[..2],
            _ => &[],
        };
        own.iter().chain(moves).collect()
    }

    /// Drawn over the screen under it rather than instead of it.
    pub fn is_overlay(&self) -> bool {
        matches!(self, Layer::Help | Layer::Prompt { .. } | Layer::Confirm)
    }

    /// The name in the help's title.
    pub fn title(&self, lang: Lang) -> &'static str {
        match self {
            Layer::Building => lang.pick("дом", "building"),
            Layer::Card => lang.pick("карточка", "card"),
            Layer::Walk => lang.pick("обход", "walk list"),
            Layer::Quorum => lang.pick("кворум", "quorum"),
            Layer::Conflicts { .. } => lang.pick("конфликты", "conflicts"),
            Layer::Devices => lang.pick("устройства", "devices"),
            Layer::Ballot(_) => lang.pick("ввод решения", "ballot entry"),
            Layer::Help => lang.pick("помощь", "help"),
            Layer::Prompt { .. } => lang.pick("ввод", "typing"),
            Layer::Confirm => lang.pick("вопрос", "question"),
        }
    }
}

/// What the top layer does with an action; returns the message to show.
pub fn update(app: &mut App, action: Action) -> Option<String> {
    match app.top() {
        Layer::Building => building::update(app, action),
        Layer::Card => card::update(app, action),
        Layer::Walk => walk::update(app, action),
        Layer::Quorum => quorum::update(app, action),
        Layer::Conflicts { .. } => conflicts::update(app, action),
        Layer::Devices => devices::update(app, action),
        Layer::Ballot(_) => ballot::update(app, action),
        Layer::Help => help::update(app, action),
        Layer::Prompt { .. } => prompt::update_input(app, action),
        Layer::Confirm => prompt::update_confirm(app, action),
    }
}

/// Draws a screen (not an overlay) into the body.
pub fn draw(frame: &mut Frame, app: &mut App, layer: &Layer, area: Rect) {
    match layer {
        Layer::Card => card::draw(frame, app, area),
        Layer::Walk => walk::draw(frame, app, area),
        Layer::Quorum => quorum::draw(frame, app, area),
        Layer::Building => building::draw(frame, app, area),
        Layer::Conflicts { scroll } => conflicts::draw(frame, app, area, *scroll),
        Layer::Devices => devices::draw(frame, app, area),
        Layer::Ballot(draft) => ballot::draw(frame, app, area, draft),
        // Overlays are drawn by `view` over the screen under them.
        Layer::Help | Layer::Prompt { .. } | Layer::Confirm => {}
    }
}

/// A cursor over a list of doors (the walk list, the quorum panel's best doors): moves it, or
/// returns the door to open.
fn door_list(cursor: &mut usize, doors: &[usize], action: Action) -> Option<usize> {
    match action {
        Action::Up => *cursor = cursor.saturating_sub(1),
        Action::Down => *cursor = (*cursor + 1).min(doors.len().saturating_sub(1)),
        Action::Open => return doors.get(*cursor).copied(),
        Action::Select(premise) => return Some(premise),
        _ => {}
    }
    None
}
