//! The canvassing TUI: a model of the campaign on screen, updated by actions (from keys and taps)
//! and drawn by `view`. Every mark goes through `Campaign::mark`, the same path as `obhod mark`.
//!
//! ```text
//! crossterm event ─► keymap::action ─► App::update ─► Campaign (store) ─► App::reload ─► view::draw
//!            └── every second: Campaign::refresh (another process wrote?) ─► reload ─┘
//! ```

pub mod keymap;
pub mod layout;
pub mod run;
pub mod view;

use crossterm::event::{KeyCode, KeyEvent};
use obhod_core::{Act, Canvass, Contact, Lang, Outcome, Progress, Tally};
use obhod_store::{Campaign, Mark, StoreError};
use ratatui::layout::Rect;

use keymap::{Action, Mode};
use layout::Tabs;

/// Which doors the walk list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    NotNotified,
    Revisit,
    Refused,
    Letter,
}

impl Filter {
    const ORDER: [Filter; 5] = [Filter::NotNotified, Filter::Revisit, Filter::Refused, Filter::Letter, Filter::All];

    pub fn next(self) -> Filter {
        let i = Self::ORDER.iter().position(|f| *f == self).unwrap_or(0);
        Self::ORDER[(i + 1) % Self::ORDER.len()]
    }

    pub fn words(self, lang: Lang) -> &'static str {
        match self {
            Filter::All => lang.pick("все", "all"),
            Filter::NotNotified => lang.pick("не уведомлены", "not notified"),
            Filter::Revisit => lang.pick("повторно (не застали)", "revisit (absent)"),
            Filter::Refused => lang.pick("отказы", "refused"),
            Filter::Letter => lang.pick("нужно письмо", "letter needed"),
        }
    }
}

/// What the input line is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Note,
    /// A phone or e-mail; `consent` when the owner has just signed it.
    Contact {
        consent: bool,
    },
}

pub struct App {
    pub campaign: Campaign,
    pub canvass: Canvass,
    pub progress: Progress,
    pub tally: Option<Tally>,
    pub lang: Lang,
    pub tabs: Tabs,
    pub mode: Mode,
    /// The mode under the help overlay or prompt.
    pub under: Mode,
    pub tab: usize,
    /// The selected premise (index into the registry).
    pub cursor: usize,
    /// The selected owner on the card: 0 = every owner when there are several.
    pub owner: usize,
    pub filter: Filter,
    pub walk: usize,
    pub quorum: usize,
    pub input: Option<(Input, String)>,
    /// A note waiting for the next outcome on the card.
    pub note: Option<String>,
    /// The last thing done or refused, shown on the status line.
    pub message: Option<String>,
    /// Where taps land: filled by each draw.
    pub hits: Vec<(Rect, Action)>,
    pub quit: bool,
}

impl App {
    pub fn new(campaign: Campaign, lang: Lang) -> App {
        let tabs = Tabs::new(campaign.registry());
        let cursor = tabs.first_premise(0).unwrap_or(0);
        let mut app = App {
            canvass: Canvass::fold(campaign.registry(), Vec::new()),
            progress: Progress::default(),
            tally: None,
            campaign,
            lang,
            tabs,
            mode: Mode::Building,
            under: Mode::Building,
            tab: 0,
            cursor,
            owner: 0,
            filter: Filter::NotNotified,
            walk: 0,
            quorum: 0,
            input: None,
            note: None,
            message: None,
            hits: Vec::new(),
            quit: false,
        };
        app.reload();
        app
    }

    /// Recomputes everything shown from the campaign's facts and ballots.
    pub fn reload(&mut self) {
        self.reload_facts();
        let ballots = self.campaign.ballots();
        self.tally = (!ballots.is_empty()).then(|| self.campaign.tally());
    }

    /// Recomputes what the facts decide.
    fn reload_facts(&mut self) {
        self.canvass = self.campaign.canvass();
        self.progress = self.canvass.progress(self.campaign.weights(), |_| true);
    }

    /// Folds in the facts just recorded here (their premise alone, not the whole building).
    fn add_facts(&mut self, ids: &[String]) {
        let facts = ids.iter().filter_map(|id| self.campaign.fact(id).cloned()).collect();
        self.canvass.extend(self.campaign.registry(), facts);
        self.progress = self.canvass.progress(self.campaign.weights(), |_| true);
    }

    /// Picks up what another process (the sync daemon) wrote; true when the screen must change.
    pub fn refresh(&mut self) -> bool {
        match self.campaign.refresh() {
            Ok(true) => {
                self.reload();
                true
            }
            Ok(false) => false,
            Err(error) => {
                self.message = Some(error.message(self.lang));
                true
            }
        }
    }

    /// Handles a key press.
    pub fn key(&mut self, key: KeyEvent) {
        if self.mode == Mode::Input && self.type_into_input(key) {
            return;
        }
        if let Some(action) = keymap::action(self.mode, key) {
            self.update(action);
        }
    }

    /// Handles a tap at a screen position.
    pub fn tap(&mut self, column: u16, row: u16) {
        let hit = self
            .hits
            .iter()
            .rev()
            .find(|(r, _)| column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height);
        if let Some(&(_, action)) = hit {
            self.update(action);
        }
    }

    fn type_into_input(&mut self, key: KeyEvent) -> bool {
        let Some((_, text)) = self.input.as_mut() else { return false };
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL) => text.push(c),
            KeyCode::Backspace => {
                text.pop();
            }
            _ => return false,
        }
        true
    }

    pub fn update(&mut self, action: Action) {
        self.message = match (self.mode, action) {
            (_, Action::Quit) => {
                self.quit = true;
                None
            }
            (Mode::Help, Action::Back) => {
                self.mode = self.under;
                None
            }
            (mode, Action::Help) => {
                self.under = mode;
                self.mode = Mode::Help;
                None
            }
            (Mode::Input, Action::Open) => self.submit_input(),
            (Mode::Input, Action::Back) => {
                self.input = None;
                self.mode = Mode::Card;
                None
            }
            (Mode::Confirm, Action::Yes) => {
                self.input = Some((Input::Contact { consent: true }, String::new()));
                self.mode = Mode::Input;
                None
            }
            (Mode::Confirm, Action::No) => {
                self.mode = Mode::Card;
                Some(self.lang.pick("Без согласия контакт не записывается", "No contact without consent").into())
            }
            (Mode::Card, action) => self.card_action(action),
            (_, Action::Select(premise)) => {
                self.open(premise);
                None
            }
            (Mode::Building | Mode::Walk, Action::Tab(tab)) => {
                self.tab = tab.min(self.tabs.count() - 1);
                self.cursor = self.tabs.first_premise(self.tab).unwrap_or(self.cursor);
                self.walk = 0;
                None
            }
            (Mode::Building, action) => self.building_action(action),
            (Mode::Walk, action) => self.walk_action(action),
            (Mode::Quorum, action) => self.quorum_action(action),
            _ => self.message.take(),
        };
    }

    fn open(&mut self, premise: usize) {
        self.cursor = premise;
        self.owner = 0;
        self.note = None;
        self.under = self.mode;
        self.mode = Mode::Card;
    }

    fn building_action(&mut self, action: Action) -> Option<String> {
        match action {
            Action::Up | Action::Down | Action::Left | Action::Right => {
                self.cursor = self.tabs.step(self.tab, self.cursor, action);
            }
            Action::NextTab | Action::PrevTab => self.switch_tab(action),
            Action::Open => self.open(self.cursor),
            Action::Walk => {
                self.walk = 0;
                self.mode = Mode::Walk;
            }
            Action::Quorum => {
                self.quorum = 0;
                self.mode = Mode::Quorum;
            }
            _ => {}
        }
        None
    }

    fn switch_tab(&mut self, action: Action) {
        let count = self.tabs.count();
        self.tab = if action == Action::NextTab { (self.tab + 1) % count } else { (self.tab + count - 1) % count };
        self.cursor = self.tabs.first_premise(self.tab).unwrap_or(self.cursor);
        self.walk = 0;
    }

    fn walk_action(&mut self, action: Action) -> Option<String> {
        let doors = self.walk_list();
        match action {
            Action::Up => self.walk = self.walk.saturating_sub(1),
            Action::Down => self.walk = (self.walk + 1).min(doors.len().saturating_sub(1)),
            Action::Filter => {
                self.filter = self.filter.next();
                self.walk = 0;
            }
            Action::NextTab | Action::PrevTab => self.switch_tab(action),
            Action::Open => {
                if let Some(&premise) = doors.get(self.walk) {
                    self.open(premise);
                }
            }
            Action::Back => self.mode = Mode::Building,
            _ => {}
        }
        None
    }

    fn quorum_action(&mut self, action: Action) -> Option<String> {
        let doors = self.best_doors();
        match action {
            Action::Up => self.quorum = self.quorum.saturating_sub(1),
            Action::Down => self.quorum = (self.quorum + 1).min(doors.len().saturating_sub(1)),
            Action::Open => {
                if let Some(&premise) = doors.get(self.quorum) {
                    self.open(premise);
                }
            }
            Action::Back => self.mode = Mode::Building,
            _ => {}
        }
        None
    }

    fn card_action(&mut self, action: Action) -> Option<String> {
        let owners = self.canvass.premises[self.cursor].owners.len();
        let choices = if owners > 1 { owners + 1 } else { owners.max(1) };
        match action {
            Action::Up => self.owner = self.owner.saturating_sub(1),
            Action::Down => self.owner = (self.owner + 1).min(choices - 1),
            Action::SelectOwner(i) => self.owner = i.min(choices - 1),
            Action::Back => {
                self.mode = if self.under == Mode::Card { Mode::Building } else { self.under };
                self.note = None;
            }
            Action::Note => {
                self.input = Some((Input::Note, self.note.clone().unwrap_or_default()));
                self.mode = Mode::Input;
            }
            Action::Undo => return Some(self.undo_last()),
            Action::Mark(Outcome::Contact) => return self.ask_contact(),
            Action::Mark(outcome) => return Some(self.mark(outcome, None, false)),
            _ => {}
        }
        None
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

    fn ask_contact(&mut self) -> Option<String> {
        let Some(owner) = self.chosen_owner() else {
            return Some(self.lang.pick("Выберите собственника (↑↓)", "Choose an owner (↑↓)").into());
        };
        let consent = self.canvass.premises[self.cursor].owner(owner).is_some_and(|o| o.consent);
        if consent {
            self.input = Some((Input::Contact { consent: false }, String::new()));
            self.mode = Mode::Input;
        } else {
            self.mode = Mode::Confirm;
        }
        None
    }

    fn submit_input(&mut self) -> Option<String> {
        let (input, text) = self.input.take()?;
        self.mode = Mode::Card;
        let text = text.trim().to_string();
        match input {
            Input::Note => {
                self.note = (!text.is_empty()).then_some(text);
                None
            }
            Input::Contact { .. } if text.is_empty() => None,
            Input::Contact { consent } => {
                let contact = if text.contains('@') {
                    Contact { phone: None, email: Some(text) }
                } else {
                    Contact { phone: Some(text), email: None }
                };
                Some(self.mark(Outcome::Contact, Some(contact), consent))
            }
        }
    }

    /// Records an outcome for the chosen owner (or all) through the store; reports what happened.
    fn mark(&mut self, outcome: Outcome, contact: Option<Contact>, consent: bool) -> String {
        let premise = self.campaign.registry().premises[self.cursor].label.clone();
        let owner = self.chosen_owner().map(str::to_string);
        let mark = Mark { premise, outcome, owner: owner.clone(), note: self.note.take(), contact, consent };
        match self.campaign.mark(mark) {
            Ok(ids) => {
                self.add_facts(&ids);
                let whom = owner.unwrap_or_else(|| self.lang.pick("все", "all").into());
                format!("✓ {} — {whom}", outcome.title(self.lang))
            }
            Err(error) => self.refusal(error),
        }
    }

    fn undo_last(&mut self) -> String {
        let status = &self.canvass.premises[self.cursor];
        let last = status.history.iter().rev().map(|&i| &self.canvass.facts[i]).find(|f| self.canvass.is_standing(f));
        let Some(fact) = last else {
            return self.lang.pick("Нечего отменять", "Nothing to undo").into();
        };
        let (id, title) = match &fact.act {
            Act::Mark { outcome, .. } => (fact.id.clone(), outcome.title(self.lang)),
            Act::Withdraw { .. } => unreachable!("history holds marks only"),
        };
        match self.campaign.undo(&id, None) {
            Ok(undo) => {
                self.add_facts(&[undo]);
                format!("{} {title}", self.lang.pick("Отменено:", "Withdrawn:"))
            }
            Err(error) => self.refusal(error),
        }
    }

    fn refusal(&self, error: StoreError) -> String {
        format!("✗ {}", error.message(self.lang))
    }

    /// The doors of the current tab in stairwell order that pass the filter.
    pub fn walk_list(&self) -> Vec<usize> {
        self.tabs.doors(self.tab).into_iter().filter(|&p| self.passes(p)).collect()
    }

    fn passes(&self, premise: usize) -> bool {
        let status = &self.canvass.premises[premise];
        if status.owners.is_empty() {
            return self.filter == Filter::All;
        }
        match self.filter {
            Filter::All => true,
            Filter::NotNotified => status.owners.iter().any(|o| !o.notified),
            Filter::Revisit => {
                status.last_outcome == Some(Outcome::Absent) && status.owners.iter().any(|o| !o.notified)
            }
            Filter::Refused => status.owners.iter().any(|o| o.refused),
            Filter::Letter => status.owners.iter().any(|o| o.letter),
        }
    }

    /// Premises holding the largest holdings that have not voted yet: the best doors tonight.
    pub fn best_doors(&self) -> Vec<usize> {
        let Some(tally) = &self.tally else { return Vec::new() };
        let weights = self.campaign.weights();
        let mut waiting: Vec<usize> = (0..weights.holdings.len()).filter(|&h| !tally.took_part[h]).collect();
        waiting.sort_by(|&a, &b| weights.holdings[b].votes.cmp(&weights.holdings[a].votes));
        let mut doors: Vec<usize> = Vec::new();
        for h in waiting {
            let premise = weights.holdings[h].premise;
            if !doors.contains(&premise) {
                doors.push(premise);
            }
        }
        doors
    }
}

#[cfg(test)]
mod tests;
