//! Sync with a peer, without I/O: a `SyncSession` per connection turns the peer's messages into
//! changes made durable through the campaign's one write path, and says what to send next. The
//! transport (and the contacts exchange beside it) belongs to the caller.
//!
//! A session holds automerge's sync state for one connection only: it is never persisted, and a
//! new connection starts a new session (the first messages then exchange heads and Bloom filters,
//! so a peer that was away catches up without being sent what it has).

use automerge::ActorId;
use automerge::sync::{Message, State, SyncDoc};

use crate::campaign::Campaign;
use crate::error::StoreError;

/// What one received message brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Facts new to this device (any kind, including ones this version cannot read).
    pub facts: usize,
    /// Ballots new to this device, a differing one for an owner already here (a conflict) included.
    pub ballots: usize,
}

/// The sync with one peer over one connection.
#[derive(Debug, Default)]
pub struct SyncSession {
    state: State,
    /// The actor of the in-memory document last seen: a new one means the campaign was reopened
    /// or reloaded after a failed write.
    document: Option<ActorId>,
}

impl SyncSession {
    pub fn new() -> SyncSession {
        SyncSession::default()
    }

    /// The heads the peer last told of (what it holds), once it has said.
    pub fn their_heads(&self) -> Option<Vec<automerge::ChangeHash>> {
        self.state.their_heads.clone()
    }

    /// The next message for the peer, or `None` when there is nothing to tell it (it is up to date,
    /// or a reply is awaited). Call it after each received message and after each local change
    /// (a `refresh` that found another process's writes included).
    pub fn generate(&mut self, campaign: &Campaign) -> Option<Vec<u8>> {
        self.notice_reload(campaign);
        campaign.automerge().generate_sync_message(&mut self.state).map(Message::encode)
    }

    /// Takes a message from the peer. Its changes are durable when this returns Ok. On an error
    /// nothing of it is kept and the session starts over, asking the peer to send again (closing
    /// the connection is as good). A message that cannot be read is `StoreError::BadSyncMessage`
    /// (bad input) and changes nothing.
    pub fn receive(&mut self, campaign: &mut Campaign, message: &[u8]) -> Result<Received, StoreError> {
        self.notice_reload(campaign);
        let decoded = Message::decode(message).map_err(|error| {
            self.start_over();
            StoreError::BadSyncMessage { detail: error.to_string() }
        })?;
        campaign.receive_sync(&mut self.state, decoded).inspect_err(|_| self.start_over())
    }

    /// Changes received but waiting for their dependencies live only in memory: when the campaign
    /// was reopened or reloaded they are gone, while the peer's session counts them as sent.
    fn notice_reload(&mut self, campaign: &Campaign) {
        let actor = campaign.automerge().get_actor();
        if self.document.as_ref().is_some_and(|seen| seen != actor) {
            self.start_over();
        }
        self.document = Some(actor.clone());
    }

    /// A fresh sync state whose first message asks the peer to forget what it sent (automerge's
    /// sync reset), so that it sends again whatever this side lacks.
    fn start_over(&mut self) {
        self.state = State::new();
        self.state.needs_reset = true;
    }
}
