//! Sync with a peer, without I/O: a `SyncSession` per connection turns the peer's messages into
//! changes made durable through the campaign's one write path, and says what to send next. The
//! transport (and the contacts exchange beside it) belongs to the caller.
//!
//! A session holds automerge's sync state for one connection only: it is never persisted, and a
//! new connection starts a new session (the first messages then exchange heads and Bloom filters,
//! so a peer that was away catches up without being sent what it has).

use automerge::sync::{Message, State, SyncDoc};

use crate::campaign::Campaign;
use crate::error::StoreError;

/// What one received message brought.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Received {
    /// Facts new to this device (any kind, including ones this version cannot read).
    pub facts: usize,
    /// Ballots new to this device.
    pub ballots: usize,
}

/// The sync with one peer over one connection.
#[derive(Debug, Default)]
pub struct SyncSession {
    state: State,
}

impl SyncSession {
    pub fn new() -> SyncSession {
        SyncSession::default()
    }

    /// The next message for the peer, or `None` when there is nothing to tell it (it is up to date,
    /// or a reply is awaited). Call it after each received message and after each local change
    /// (a `refresh` that found another process's writes included).
    pub fn generate(&mut self, campaign: &Campaign) -> Option<Vec<u8>> {
        campaign.document().generate_sync_message(&mut self.state).map(Message::encode)
    }

    /// Takes a message from the peer. Its changes are durable when this returns Ok. On an error
    /// nothing of it is kept and the connection should be closed: the peer's session believes it
    /// delivered, so both sides start new sessions on the next connection. A message that cannot
    /// be read is `StoreError::BadSyncMessage` (bad input) and changes nothing.
    pub fn receive(&mut self, campaign: &mut Campaign, message: &[u8]) -> Result<Received, StoreError> {
        let decoded = Message::decode(message).map_err(|error| {
            self.state = State::new();
            StoreError::BadSyncMessage { detail: error.to_string() }
        })?;
        campaign.receive_sync(&mut self.state, decoded).inspect_err(|_| self.state = State::new())
    }
}
