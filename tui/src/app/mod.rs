//! The canvassing TUI: a model of the campaign on screen, a stack of layers (screens, and the
//! overlays over them), updated by actions from keys, taps and pastes and drawn by `view`. Every
//! mark goes through `Campaign::mark`, the same path as `obhod mark`.
//!
//! ```text
//! key ─► App::fit ─► keymap::meaning (top layer's rows) ─► App::update ─► screen::update ─► Campaign
//! paste ─► the prompt's text (within its limit), or nothing                   view::draw ◄─┘
//!      └── every second: Campaign::news (another process wrote? the store gone?) ─► refresh ─┘
//! ```

pub mod burst;
pub mod failure;
pub mod keymap;
pub mod layout;
pub mod run;
pub mod screen;
pub mod view;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obhod_core::mail::{Timeliness, notice_deadline, timeliness};
use obhod_core::registry::update::Orphan;
use obhod_core::{Act, Ballot, Canvass, Contact, Fact, Lang, Outcome, Progress, Running, Tally};
use obhod_store::{Campaign, Conflict, Mark, Peer, StoreError};
use ratatui::layout::Rect;

use failure::{Access, StoreFailure};
use keymap::{Action, Meaning};
use layout::Tabs;
pub use screen::walk::Filter;
pub use screen::{Input, Layer};

/// How the screen fits the window (see `App::fit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Full,
    /// A field being typed into, on a window smaller than the screens need.
    Compact,
    TooSmall,
}
use view::outcome_short;

/// What the screen shows of sync, when this device is in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncView {
    pub group: String,
    /// The other devices this one has met, connected ones first.
    pub peers: Vec<Peer>,
    /// Facts no other device is known to hold yet.
    pub not_sent: usize,
}

impl SyncView {
    /// The sync state of the campaign's device; `None` outside a group (or when it cannot be read:
    /// the store's failures are reported by the refresh that reads the facts).
    fn of(campaign: &Campaign) -> Option<SyncView> {
        let membership = campaign.membership().ok()??;
        let mut peers: Vec<Peer> =
            campaign.peers().ok()?.into_iter().filter(|peer| peer.device != campaign.device()).collect();
        peers.sort_by_key(|peer| !peer.connected);
        Some(SyncView { group: membership.group_name, peers, not_sent: campaign.not_sent().ok()? })
    }

    pub fn connected(&self) -> usize {
        self.peers.iter().filter(|peer| peer.connected).count()
    }

    /// When this device last finished a sync with any peer.
    pub fn last_sync(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.peers.iter().filter_map(|peer| peer.last_sync).max()
    }
}

/// A tap that would record a fact this soon after a screen opened or closed is not taken: it is
/// most likely the second tap of a double tap that opened the card under the finger.
pub const TAP_GUARD: Duration = Duration::from_millis(700);

/// The same mark or undo again this soon, on the same premise and owner, is not taken: a key held
/// down (the terminal repeats it), a key that bounced, a double tap on one button.
pub const REPEAT_GUARD: Duration = Duration::from_millis(1000);

pub struct App {
    pub campaign: Campaign,
    pub canvass: Canvass,
    pub progress: Progress,
    /// The standing facts and decisions about owners or premises the registry in force no longer
    /// has (it was updated after them): kept, counted for no one, listed on the card.
    pub orphans: Vec<Orphan>,
    /// The count of the ballots, kept to add the decisions typed here (see `tally`).
    pub count: Option<Running>,
    /// Owners with differing ballots from different devices, until one is kept.
    pub conflicts: Vec<Conflict>,
    pub lang: Lang,
    pub tabs: Tabs,
    /// The screens and overlays, the building at the bottom; the top one takes the keys.
    pub layers: Vec<Layer>,
    pub tab: usize,
    /// The selected premise (index into the registry).
    pub cursor: usize,
    /// The selected owner on the card: 0 = every owner when there are several.
    pub owner: usize,
    /// Whether the owner (or every owner) on the card was chosen by a key or a tap since it opened:
    /// the card opens on every owner, and a signature of every owner is taken only once chosen.
    pub picked: bool,
    pub filter: Filter,
    pub walk: usize,
    /// Where the quorum panel's list of doors stands, kept while the panel is closed.
    pub quorum: screen::quorum::Place,
    /// The notes typed and kept, one per premise (by index), each waiting for the next mark on
    /// its card: kept when the card closes, dropped only when a mark records it or it is cleared
    /// on purpose (`x`, or an empty line typed).
    pub notes: BTreeMap<usize, String>,
    /// The facts of the card's history scrolled past (newest first), and how many the last draw
    /// showed (a page).
    pub history: usize,
    pub history_page: usize,
    /// The first owner line of the card's page of owners (a flat of many owners).
    pub owners_first: usize,
    /// The help's lines scrolled past.
    pub help_scroll: u16,
    /// The first floor (from the top) and the first flat of each floor shown on the building view,
    /// where the entrance is taller or wider than the screen.
    pub grid_top: usize,
    pub grid_left: usize,
    /// The last key asked whether to quit with notes not recorded: the next quit quits.
    pub asked_to_quit: bool,
    /// The day the owner signed, typed for the next delivery (`d`) on the card: a paper register
    /// typed in later. Today's date when `None`.
    pub signed: Option<chrono::NaiveDate>,
    /// The last thing done or refused, shown on the status line.
    pub message: Option<String>,
    /// The message is a warning (a notice recorded late): drawn in the warning colour.
    pub caution: bool,
    /// What keeps the store from keeping facts (a full disk, read-only, no permission, damaged,
    /// vanished, replaced): shown in red, with the file, until the store works again.
    pub error: Option<StoreFailure>,
    /// The sync state when this device is in a group.
    pub sync: Option<SyncView>,
    /// The day the header counts the days to the notice deadline from; today's when `None`.
    pub today: Option<chrono::NaiveDate>,
    /// The size of the terminal, as last drawn or resized; unknown before the first draw.
    pub size: Option<(u16, u16)>,
    /// When a layer was last opened or closed, or the screen under the header moved (see
    /// `TAP_GUARD`).
    pub changed: Option<Instant>,
    /// The first row of the screen under the header, as last drawn: a header that grows by a line
    /// (a conflict, facts from a newer obhod) moves every row under a finger.
    pub body_top: Option<u16>,
    /// The last mark or undo asked for on the card: premise, owner choice, action, when (see
    /// `REPEAT_GUARD`).
    pub recorded: Option<(usize, usize, Action, Instant)>,
    /// Where taps land: filled by each draw.
    pub hits: Vec<(Rect, Action)>,
    pub quit: bool,
    /// The record of the registry's last update as the screen follows it, and the labels of its
    /// premises (to find the chosen one again in the next).
    registry_seen: Option<obhod_store::RegistryRecord>,
    premise_labels: Vec<String>,
}

impl App {
    pub fn new(campaign: Campaign, lang: Lang) -> App {
        let tabs = Tabs::new(campaign.registry());
        let cursor = tabs.first_premise(0).unwrap_or(0);
        let mut app = App {
            canvass: Canvass::fold(campaign.registry(), Vec::new()),
            progress: Progress::default(),
            orphans: Vec::new(),
            count: None,
            conflicts: Vec::new(),
            campaign,
            lang,
            tabs,
            layers: vec![Layer::Building],
            tab: 0,
            cursor,
            owner: 0,
            picked: false,
            filter: Filter::NotNotified,
            walk: 0,
            quorum: screen::quorum::Place::default(),
            notes: BTreeMap::new(),
            history: 0,
            history_page: 1,
            owners_first: 0,
            help_scroll: 0,
            grid_top: 0,
            grid_left: 0,
            asked_to_quit: false,
            signed: None,
            message: None,
            caution: false,
            error: None,
            sync: None,
            today: None,
            size: None,
            changed: None,
            body_top: None,
            recorded: None,
            hits: Vec::new(),
            quit: false,
            registry_seen: None,
            premise_labels: Vec::new(),
        };
        app.registry_seen = app.campaign.registry_record();
        app.premise_labels = app.campaign.registry().premises.iter().map(|p| p.label.clone()).collect();
        app.reload();
        app
    }

    /// The day it is (a fixed day in tests).
    pub fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Recomputes everything shown from the campaign's facts and ballots.
    pub fn reload(&mut self) {
        self.follow_registry();
        self.reload_facts();
        self.sync = SyncView::of(&self.campaign);
        self.count_again();
        self.conflicts = self.campaign.conflicts();
    }

    /// The count of the ballots; `None` before the first.
    pub fn tally(&self) -> Option<&Tally> {
        self.count.as_ref().map(Running::tally)
    }

    /// Counts every ballot of the campaign again.
    fn count_again(&mut self) {
        let (campaign, ballots) = (&self.campaign, self.campaign.ballots());
        self.count = (!ballots.is_empty())
            .then(|| Running::count(campaign.registry(), campaign.weights(), campaign.meeting(), &ballots));
    }

    /// What `reload` does after a decision typed here was recorded (`first`: the voter had no
    /// decision standing, so it withdrew nothing and makes no conflict): where nothing else came
    /// in with the write and it is a first decision on time, it is added to the running count
    /// (exactly the full count, without reading and counting every ballot again) and the facts and
    /// conflicts stay as they are; otherwise everything is read again.
    pub fn reload_after_decision(&mut self, ballot: &Ballot, first: bool) {
        // Another process's writes, caught up with by this one, are read the whole way.
        let news = self.campaign.news().unwrap_or(true) || self.follow_registry();
        let campaign = &self.campaign;
        let add = |count: &mut Running| count.add(campaign.registry(), campaign.weights(), campaign.meeting(), ballot);
        if news || !first || !self.count.as_mut().is_some_and(add) {
            return self.reload();
        }
        self.sync = SyncView::of(&self.campaign);
    }

    /// Recomputes what the facts decide.
    fn reload_facts(&mut self) {
        self.canvass = self.campaign.canvass();
        self.progress = self.canvass.progress(self.campaign.weights(), |_| true);
        self.orphans = self.campaign.orphans();
    }

    /// Folds in the facts just recorded here (their premise alone, not the whole building).
    fn add_facts(&mut self, ids: &[String]) {
        if self.follow_registry() {
            return;
        }
        let facts: Vec<Fact> = ids.iter().filter_map(|id| self.campaign.fact(id).cloned()).collect();
        // A mark is checked against the registry in force, so only a withdrawal changes the orphans.
        let withdraws = facts.iter().any(|f| matches!(f.act, Act::Withdraw { .. }));
        self.canvass.extend(self.campaign.registry(), facts);
        self.progress = self.canvass.progress(self.campaign.weights(), |_| true);
        if withdraws {
            self.orphans = self.campaign.orphans();
        }
    }

    /// Picks up what another process (the sync daemon) wrote; true when the screen must change.
    /// A store that cannot be read is reported until it can be again.
    pub fn refresh(&mut self) -> bool {
        let dates = (self.campaign.meeting().date, self.campaign.meeting().voting_ends);
        match self.campaign.refresh() {
            Ok(changed) => {
                if changed {
                    self.follow_registry();
                    self.meeting_moved(dates);
                    // The walk list changes under the cursor: it stays on the door it was on.
                    let door = self.walk_list().get(self.walk).copied();
                    self.reload();
                    if let Some(at) = door.and_then(|door| self.walk_list().iter().position(|&p| p == door)) {
                        self.walk = at;
                    }
                }
                // The daemon notes connections and syncs beside the document: looked at each time.
                let sync = if changed { self.sync.clone() } else { SyncView::of(&self.campaign) };
                let sync_changed = sync != self.sync;
                self.sync = sync;
                changed | sync_changed | self.store_worked(Access::Read)
            }
            Err(error) => self.store_failed(&error, Access::Read),
        }
    }

    /// Follows a registry another process or device updated (`obhod registry update`, caught up
    /// with by a refresh or by a write here): every index into the old one is gone. The building is
    /// shown again on the premise it was on (or the first), the notes kept on the premises they
    /// were typed for, the canvass and the count made again, and the change said. True when it
    /// changed.
    pub(crate) fn follow_registry(&mut self) -> bool {
        let record = self.campaign.registry_record();
        if record == self.registry_seen {
            return false;
        }
        self.registry_seen = record;
        let old = std::mem::take(&mut self.premise_labels);
        let registry = self.campaign.registry();
        self.premise_labels = registry.premises.iter().map(|p| p.label.clone()).collect();
        let find = |label: &String| registry.premises.iter().position(|p| &p.label == label);
        self.tabs = Tabs::new(registry);
        self.tab = 0;
        self.cursor = old.get(self.cursor).and_then(find).or_else(|| self.tabs.first_premise(0)).unwrap_or(0);
        let notes = std::mem::take(&mut self.notes);
        self.notes = notes.into_iter().filter_map(|(i, note)| Some((find(old.get(i)?)?, note))).collect();
        self.layers = vec![Layer::Building];
        (self.owner, self.picked, self.walk, self.history, self.owners_first) = (0, false, 0, 0, 0);
        (self.grid_top, self.grid_left, self.recorded) = (0, 0, None);
        self.quorum = screen::quorum::Place::default();
        self.changed = Some(Instant::now());
        self.caution = true;
        self.message = Some(
            self.lang
                .pick(
                    "Реестр собственников обновлён: голоса и обход пересчитаны",
                    "The registry of owners was updated: votes and the canvass counted again",
                )
                .into(),
        );
        self.reload_facts();
        self.count_again();
        self.conflicts = self.campaign.conflicts();
        true
    }

    /// Says so when another process or device moved the meeting's dates (`obhod meeting update`):
    /// the header's deadline and every late mark follow them.
    fn meeting_moved(&mut self, (date, voting_ends): (chrono::NaiveDate, chrono::NaiveDate)) {
        let meeting = self.campaign.meeting();
        if (meeting.date, meeting.voting_ends) == (date, voting_ends) {
            return;
        }
        let (day, deadline) = (meeting.date.format("%d.%m.%Y"), notice_deadline(meeting).format("%d.%m"));
        self.caution = true;
        self.message = Some(match self.lang {
            Lang::Ru => format!("Собрание перенесено: D {day}, последний день уведомления {deadline}"),
            Lang::En => format!("The meeting moved: D {day}, the last day of the notice {deadline}"),
        });
    }

    /// The layer on top, which takes the keys.
    pub fn top(&self) -> &Layer {
        self.layers.last().expect("the building is always at the bottom")
    }

    /// The screen the top overlays belong to (the top layer itself when it is a screen).
    pub fn screen(&self) -> &Layer {
        self.layers.iter().rev().find(|l| !l.is_overlay()).expect("the building is a screen")
    }

    pub fn push(&mut self, layer: Layer) {
        self.layers.push(layer);
        self.changed = Some(Instant::now());
    }

    /// Back to where the user came from; the building stays. Returns the layer closed.
    pub fn pop(&mut self) -> Option<Layer> {
        if self.layers.len() == 1 {
            return None;
        }
        self.changed = Some(Instant::now());
        let layer = self.layers.pop();
        if layer == Some(Layer::Card) {
            self.signed = None;
        }
        layer
    }

    /// The terminal changed size (a phone turned, its keyboard shown or hidden): until the next draw
    /// nothing is where the last one put it, so no tap lands, and a tap that would record waits
    /// out the guard as after a screen change.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = Some((width, height));
        self.hits.clear();
        self.changed = Some(Instant::now());
    }

    /// Whether `action` repeats the last mark or undo of the card too soon (see `REPEAT_GUARD`).
    pub fn repeats(&self, action: Action) -> bool {
        self.recorded.is_some_and(|(premise, owner, last, at)| {
            (premise, owner, last) == (self.cursor, self.owner, action) && at.elapsed() < REPEAT_GUARD
        })
    }

    /// Notes a mark or undo asked for now (see `repeats`).
    pub fn did(&mut self, action: Action) {
        self.recorded = Some((self.cursor, self.owner, action, Instant::now()));
    }

    /// How the screen fits the window: in full from 40×20 (the ballot entry from 40×12, since its
    /// keys are typed with the keyboard open); a field being typed into, in a compact layout down
    /// to 20×5 (a phone's keyboard takes half the screen while one types); else only that the
    /// window is too small.
    pub fn fit(&self) -> Fit {
        let Some((w, h)) = self.size else { return Fit::Full };
        if w >= view::MIN_WIDTH && h >= view::MIN_HEIGHT {
            Fit::Full
        } else if matches!(self.top(), Layer::Ballot(_)) && w >= view::MIN_WIDTH && h >= view::BALLOT_HEIGHT {
            // The ballot entry's keys are typed on a phone's keyboard, which stays open.
            Fit::Full
        } else if self.typing() && w >= view::COMPACT_WIDTH && h >= view::COMPACT_HEIGHT {
            Fit::Compact
        } else {
            Fit::TooSmall
        }
    }

    /// Below the minimum size (and no field being typed into) the screen shows only that it is
    /// too small, and no mark can be made.
    pub fn too_small(&self) -> bool {
        self.fit() == Fit::TooSmall
    }

    /// Whether a text field has the keys: every printable key goes into it, none is a command.
    pub fn typing(&self) -> bool {
        matches!(self.top(), Layer::Prompt { .. })
    }

    /// Handles a key press.
    pub fn key(&mut self, key: KeyEvent) {
        let asked = std::mem::take(&mut self.asked_to_quit);
        if self.too_small() {
            self.key_on_a_small_screen(key, asked);
            return;
        }
        let meaning = keymap::meaning(&self.top().rows(), key);
        if self.type_into_prompt(key) {
            return;
        }
        match meaning {
            Meaning::Act(action) => {
                self.asked_to_quit = asked && action == Action::Quit;
                self.update(action);
            }
            Meaning::Unbound(c) => {
                // A capital whose small letter acts here: Caps Lock is on (or Shift held); the
                // key does nothing, since a mark is taken only from the key meant for it.
                let lower = KeyEvent::new(KeyCode::Char(c.to_lowercase().next().unwrap_or(c)), KeyModifiers::NONE);
                let caps = c.is_uppercase() && matches!(keymap::meaning(&self.top().rows(), lower), Meaning::Act(_));
                self.caution = false;
                self.message = Some(if caps { capital(c, self.lang) } else { unbound(c, self.lang) });
            }
            Meaning::Nothing => {}
        }
    }

    /// A key while the window is too small for the screen on top: the screen says «q — выход», so
    /// q quits whatever is open (the help, the card; a note not recorded is asked about first),
    /// and on a card the keys that open a field (`n`, `t`) open it, drawn compact. Marks and moves
    /// wait for the window to grow: nothing of what they would change can be seen. A field being
    /// typed into on a window smaller than even the compact layout takes no letter (the screen
    /// says so), and q is one of its letters, never quit. `b` and `e` open the ballot entry, whose
    /// keys are typed with the keyboard open.
    fn key_on_a_small_screen(&mut self, key: KeyEvent, asked: bool) {
        let quit = keymap::meaning(&Layer::Building.rows(), key) == Meaning::Act(Action::Quit);
        let ctrl_c = (key.modifiers - KeyModifiers::SHIFT) == KeyModifiers::CONTROL;
        if quit && (ctrl_c || !self.typing()) {
            self.asked_to_quit = asked;
            self.update(Action::Quit);
            return;
        }
        if *self.top() == Layer::Card
            && let Meaning::Act(action @ (Action::Note | Action::Signed)) = keymap::meaning(&self.top().rows(), key)
        {
            self.update(action);
        }
        // The ballot entry opens on a field or on keys typed with the keyboard open.
        if matches!(self.top(), Layer::Building | Layer::Card)
            && let Meaning::Act(action @ (Action::Ballot | Action::Check)) = keymap::meaning(&self.top().rows(), key)
        {
            self.update(action);
        }
    }

    /// Handles a paste: it goes whole into the field being typed (on one line), and nowhere else;
    /// a note it would make longer than a note may be is refused whole.
    pub fn paste(&mut self, pasted: &str) {
        self.asked_to_quit = false;
        if self.too_small() {
            return;
        }
        let lang = self.lang;
        match self.layers.last_mut() {
            Some(Layer::Prompt { input, text }) => {
                let room = input.limit().saturating_sub(text.chars().count());
                if pasted.chars().count() > room {
                    self.caution = true;
                    self.message = Some(input.too_long(lang, true));
                    return;
                }
                text.extend(pasted.chars().map(screen::prompt::printable));
            }
            _ => {
                let words = lang.pick("Вставка — только в поле ввода", "Paste goes into a text field only");
                self.message = Some(words.into());
            }
        }
    }

    /// Handles a tap at a screen position.
    pub fn tap(&mut self, column: u16, row: u16) {
        let asked = std::mem::take(&mut self.asked_to_quit);
        if self.too_small() {
            return;
        }
        let hit = self
            .hits
            .iter()
            .rev()
            .find(|(r, _)| column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height);
        let Some(&(_, action)) = hit else { return };
        let guarded = self.changed.is_some_and(|at| at.elapsed() < TAP_GUARD);
        // An owner row that just moved may be under the finger in place of the one aimed at.
        if guarded && matches!(action, Action::SelectOwner(_)) {
            return;
        }
        let records = matches!(action, Action::Mark(_) | Action::Undo);
        if records && guarded {
            let words = self.lang.pick("Коснитесь ещё раз, чтобы записать", "Tap again to record");
            self.message = Some(words.into());
            return;
        }
        self.asked_to_quit = asked && action == Action::Quit;
        self.update(action);
    }

    /// Typing into a prompt: a character (never a control one) or Backspace; true when taken.
    /// A letter past the field's limit is refused, and the message says so.
    fn type_into_prompt(&mut self, key: KeyEvent) -> bool {
        let lang = self.lang;
        let Some(Layer::Prompt { input, text }) = self.layers.last_mut() else { return false };
        let plain = (key.modifiers - KeyModifiers::SHIFT).is_empty();
        match key.code {
            KeyCode::Char(c) if plain && !obhod_core::text::is_forbidden(c) => {
                if text.chars().count() >= input.limit() {
                    let words = input.too_long(lang, false);
                    (self.caution, self.message) = (true, Some(words));
                } else {
                    text.push(c);
                }
            }
            KeyCode::Backspace => {
                text.pop();
            }
            _ => return false,
        }
        true
    }

    pub fn update(&mut self, action: Action) {
        self.caution = false;
        self.message = match action {
            Action::Quit => self.quit_or_ask(),
            Action::Help => {
                self.help_scroll = 0;
                self.push(Layer::Help);
                None
            }
            Action::Back => {
                let signed = self.signed.is_some();
                self.pop().and_then(|closed| self.closed(closed, signed))
            }
            action => screen::update(self, action),
        };
    }

    /// Quits, unless a note typed (or a decision on the ballot entry) is not recorded yet and this
    /// is the first quit asked for since: then it says which and that they are not recorded, and
    /// the next quit quits without them.
    fn quit_or_ask(&mut self) -> Option<String> {
        let unsaved = self.unsaved_notes();
        let draft = screen::ballot::unrecorded(self);
        if unsaved.is_empty() && draft.is_none() || std::mem::take(&mut self.asked_to_quit) {
            self.quit = true;
            return None;
        }
        self.asked_to_quit = true;
        self.caution = true;
        if let Some(premise) = draft.filter(|_| unsaved.is_empty()) {
            let name = self.premise_name(premise);
            return Some(match self.lang {
                Lang::Ru => format!("Решение по {name} НЕ записано. q ещё раз — выйти без него"),
                Lang::En => format!("The decision for {name} is NOT recorded. q again quits without it"),
            });
        }
        // The first few by name, so that the key to press is never cut off a phone's two lines.
        let mut names: Vec<String> = unsaved.iter().take(3).map(|&premise| self.premise_name(premise)).collect();
        if unsaved.len() > 3 {
            names.push(match self.lang {
                Lang::Ru => format!("ещё {}", unsaved.len() - 3),
                Lang::En => format!("{} more", unsaved.len() - 3),
            });
        }
        let names = names.join(", ");
        Some(match (self.lang, unsaved.len()) {
            (Lang::Ru, 1) => format!("Заметка к {names} НЕ записана. q ещё раз — выйти без неё"),
            (Lang::Ru, _) => format!("Заметки к {names} НЕ записаны. q ещё раз — выйти без них"),
            (Lang::En, 1) => format!("The note for {names} is NOT recorded. q again quits without it"),
            (Lang::En, _) => format!("The notes for {names} are NOT recorded. q again quits without them"),
        })
    }

    /// The premises with a note typed that no mark has recorded: those kept, and the one being
    /// typed.
    pub fn unsaved_notes(&self) -> Vec<usize> {
        let mut premises: Vec<usize> = self.notes.keys().copied().collect();
        if let Layer::Prompt { input: Input::Note, text } = self.top()
            && !text.trim().is_empty()
            && !premises.contains(&self.cursor)
        {
            premises.push(self.cursor);
            premises.sort_unstable();
        }
        premises
    }

    /// A premise as a message names it: «кв. 14», «пом. Н-4».
    pub fn premise_name(&self, premise: usize) -> String {
        let premise = &self.campaign.registry().premises[premise];
        let kind = match premise.kind {
            obhod_core::PremiseKind::Flat => self.lang.pick("кв.", "flat"),
            _ => self.lang.pick("пом.", "premise"),
        };
        format!("{kind} {}", premise.label)
    }

    /// The note kept for the card's premise.
    pub fn note(&self) -> Option<&str> {
        self.notes.get(&self.cursor).map(String::as_str)
    }

    /// Opens the card of a premise over the current screen.
    pub fn open(&mut self, premise: usize) {
        self.cursor = premise;
        self.owner = 0;
        self.picked = false;
        self.signed = None;
        self.history = 0;
        self.owners_first = 0;
        self.push(Layer::Card);
    }

    /// Shows another entrance (a tab) on the building or the walk list.
    pub fn switch_tab(&mut self, action: Action) {
        let count = self.tabs.count();
        self.tab = match action {
            Action::NextTab => (self.tab + 1) % count,
            Action::PrevTab => (self.tab + count - 1) % count,
            Action::Tab(tab) => tab.min(count - 1),
            _ => self.tab,
        };
        self.cursor = self.tabs.first_premise(self.tab).unwrap_or(self.cursor);
        self.walk = 0;
        (self.grid_top, self.grid_left) = (0, 0);
    }

    /// The owner chosen on the card; `None` for every owner.
    pub fn chosen_owner(&self) -> Option<&str> {
        let owners = &self.canvass.premises[self.cursor].owners;
        match owners.len() {
            0 => None,
            1 => Some(&owners[0].owner.name),
            _ if self.owner == 0 => None,
            _ => owners.get(self.owner - 1).map(|o| o.owner.name.as_str()),
        }
    }

    /// Records an outcome for the chosen owner (or all) through the store; reports what happened.
    /// ✓ only once the store has said the fact is kept.
    pub fn mark(&mut self, outcome: Outcome, contact: Option<Contact>, consent: bool) -> String {
        let premise = self.campaign.registry().premises[self.cursor].label.clone();
        let owner = self.chosen_owner().map(str::to_string);
        // The note (and the day signed, for a delivery) go with the fact recorded; a refused mark
        // leaves them for the next one.
        let signed = self.signed.filter(|_| outcome == Outcome::Delivered);
        let mark = Mark {
            owner: owner.clone(),
            note: self.note().map(str::to_string),
            contact,
            consent,
            signed,
            ..Mark::new(&premise, outcome)
        };
        match self.campaign.mark(mark) {
            Ok(ids) => {
                self.error = None;
                self.notes.remove(&self.cursor);
                if outcome == Outcome::Delivered {
                    self.signed = None;
                }
                self.add_facts(&ids);
                if let Some(words) = self.notice_words(outcome, owner.as_deref()) {
                    self.caution = true;
                    return words;
                }
                let whom = owner.unwrap_or_else(|| self.lang.pick("все", "all").into());
                format!("✓ {} — {whom}", outcome.title(self.lang))
            }
            Err(error) => self.refusal(error),
        }
    }

    /// What a delivery just recorded means for the deadline when it is not simply in time: the
    /// owners it reached (`owner`, or every owner of the card) whose notice, the earliest at any
    /// of their premises, came after D − 10 or on the disputed boundary days.
    fn notice_words(&self, outcome: Outcome, owner: Option<&str>) -> Option<String> {
        if outcome != Outcome::Delivered {
            return None;
        }
        let (lang, meeting) = (self.lang, self.campaign.meeting());
        let owners = &self.canvass.premises[self.cursor].owners;
        let reached: Vec<_> = owners.iter().filter(|o| owner.is_none_or(|name| o.owner.name == name)).collect();
        let count = |kind: Timeliness| {
            reached.iter().filter(|o| o.notice().is_some_and(|n| timeliness(meeting, n.date) == kind)).count()
        };
        let (late, boundary, all) = (count(Timeliness::Late), count(Timeliness::Boundary), reached.len());
        let deadline = notice_deadline(meeting).format("%d.%m");
        let title = outcome_short(outcome, lang);
        if late > 0 {
            let who = match (lang, late == all, all) {
                (Lang::Ru, true, 1) => "уведомление с опозданием".to_string(),
                (Lang::Ru, true, _) => "уведомлены с опозданием".to_string(),
                (Lang::Ru, false, _) => format!("с опозданием уведомлены {late} из {all}"),
                (Lang::En, true, _) => "notified late".to_string(),
                (Lang::En, false, _) => format!("{late} of {all} notified late"),
            };
            return Some(match lang {
                Lang::Ru => format!("✓ {title} — позже срока уведомления {deadline}: {who}"),
                Lang::En => format!("✓ {title} — after the notice deadline {deadline}: {who}"),
            });
        }
        (boundary > 0).then(|| match lang {
            Lang::Ru => format!("✓ {title} — за 10–11 дней до собрания (срок {deadline}): граничный день спорен"),
            Lang::En => {
                format!(
                    "✓ {title} — 10 or 11 days before the meeting (deadline {deadline}): the boundary day is disputed"
                )
            }
        })
    }

    /// Withdraws the last standing fact this device recorded for the card's premise, and for the
    /// owner chosen on it (a mark for every owner is withdrawn with «все» chosen): a fact that
    /// came from another pair's phone is withdrawn only by its id (`obhod undo`), never by a key
    /// pressed to take back one's own last mark; nor is a letter sent (`obhod letters sent`), which
    /// no key here records.
    pub fn undo_last(&mut self) -> String {
        let status = &self.canvass.premises[self.cursor];
        let device = self.campaign.device();
        let chosen = (status.owners.len() > 1).then(|| self.chosen_owner()).flatten();
        let concerned = |&i: &usize| {
            let fact = &self.canvass.facts[i];
            let owner = match &fact.act {
                Act::Mark { owner, .. } => owner.as_deref(),
                Act::Withdraw { .. } => None,
            };
            (self.canvass.is_standing(fact) && (chosen.is_none() || owner == chosen)).then_some(fact)
        };
        let sent = |fact: &Fact| matches!(fact.act, Act::Mark { outcome: Outcome::Sent, .. });
        let last = status.history.iter().rev().filter_map(concerned).find(|f| f.device == device && !sent(f));
        let Some(fact) = last else {
            let letters = status.history.iter().filter_map(concerned).any(sent);
            let others = status.history.iter().any(|i| concerned(i).is_some());
            return match (others, chosen) {
                _ if letters => self.lang.pick(
                    "Отметку о письме отменяет obhod undo НОМЕР, не клавиша",
                    "A letter sent is withdrawn by obhod undo ID, not by a key",
                ),
                (true, _) => self.lang.pick(
                    "Здесь нет отметок этого устройства; чужую отменяет obhod undo НОМЕР",
                    "No mark of this device here; another's is withdrawn by obhod undo ID",
                ),
                (false, Some(_)) => self.lang.pick(
                    "У этого собственника нечего отменять (отметку для всех — при выборе «все»)",
                    "Nothing to undo for this owner (a mark for all: with «every owner» chosen)",
                ),
                (false, None) => self.lang.pick("Нечего отменять", "Nothing to undo"),
            }
            .into();
        };
        let (id, title, owner) = match &fact.act {
            Act::Mark { outcome, owner, .. } => (fact.id.clone(), outcome.title(self.lang), owner.clone()),
            Act::Withdraw { .. } => unreachable!("history holds marks only"),
        };
        let whom = owner.unwrap_or_else(|| self.lang.pick("все", "all").into());
        match self.campaign.undo(&id, None) {
            Ok(undo) => {
                self.error = None;
                self.add_facts(&[undo]);
                format!("{} {title} — {whom}", self.lang.pick("Отменено:", "Withdrawn:"))
            }
            Err(error) => self.refusal(error),
        }
    }

    /// A refused mark: the message when only the request was refused; when the store itself
    /// failed (a full disk, read-only, gone, replaced, damaged), the red line says why and the
    /// message only that nothing was recorded, so the same words are not shown twice.
    fn refusal(&mut self, error: StoreError) -> String {
        if !error.is_store_failure() {
            return format!("✗ {}", error.message(self.lang));
        }
        self.store_failed(&error, Access::Write);
        format!("✗ {}", self.lang.pick("не записано", "not recorded"))
    }
}

/// What the user reads after a capital letter whose small letter acts here.
fn capital(c: char, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("«{c}» — заглавная: выключите Caps Lock; клавиши — строчные буквы"),
        Lang::En => format!("«{c}» is a capital: turn Caps Lock off; the keys are small letters"),
    }
}

/// What the user reads after a key that does nothing here (on an unexpected layout, say).
fn unbound(c: char, lang: Lang) -> String {
    match lang {
        Lang::Ru => format!("Клавиша «{c}» здесь ничего не делает; все клавиши — ?"),
        Lang::En => format!("The key «{c}» does nothing here; ? lists the keys"),
    }
}

#[cfg(test)]
mod tests;
