//! The sync protocol after the hellos, as a state machine without I/O: it is fed the peer's frames
//! and asked for its own, and reaches the campaign only through synchronous [`Access`] calls. It
//! owns everything a round is: whose turn it is, who said `Idle`, the counts, the peer's nudges,
//! the contacts at the end, and the revocation checks before a round and before contacts go out.
//!
//! A driver (`session::round`, `link::keep`, or a test's simulated network) asks [`Conversation::poll`]
//! what to do next (send a frame, read one now, wait for one without a deadline, or take the
//! finished round), feeds what it reads to [`Conversation::receive_bytes`], and turns an error into
//! the connection's close ([`crate::session::close_of`] says how). After an error the conversation
//! takes nothing more: a new connection starts a new one.

use obhod_store::{Campaign, SyncSession};

use crate::proto::{Contacts, Frame, Role};
use crate::session::{Access, Refusal, Round, SyncError};

/// The most turns one round may take before the peer is taken for broken.
pub const MAX_TURNS: usize = 100_000;
/// A round in which both sides said again what they had just said, this many turns in a row, goes
/// in circles: automerge's sync, whose state counts what it sent as received, never asks again for
/// a change lost on the way (or withheld by the peer), and the two would talk until `MAX_TURNS`.
pub const CIRCLES: usize = 3;

/// What the driver is to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send this frame.
    Send(Frame),
    /// A frame of the peer's is due now: read it (with the read deadline) and feed it.
    Receive,
    /// A round is over.
    Finished(Round),
    /// No round runs: wait for the peer (without a deadline) or start one with `begin`.
    Wait,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Between rounds (or before the first).
    Between,
    /// Turns of sync messages, the dialler first.
    Turns { mine: bool, turns: usize, sent_idle: bool, got_idle: bool },
    /// Both sides had nothing to send: the dialler's contacts are to go out.
    Offer,
    /// The peer's contacts are awaited.
    Await,
    /// The acceptor's contacts are to go out, in answer.
    Reply,
    /// The round is over and not yet handed out.
    Over,
    /// An error closed the conversation.
    Closed,
}

/// One connection's sync above the hellos: rounds, one after another, over one `SyncSession`.
#[derive(Debug)]
pub struct Conversation {
    role: Role,
    /// The peer's device id (from its certificate), for the revocation checks.
    peer: Option<String>,
    session: SyncSession,
    phase: Phase,
    round: Round,
    max_turns: usize,
    /// The peer nudged between rounds: the dialler owes it a round.
    due: bool,
    /// Digests of the last sync message sent and received in this round, whether the one received
    /// repeated the one before, and how many turns in a row both sides repeated themselves.
    said: Option<u64>,
    heard: Option<u64>,
    heard_again: bool,
    circles: usize,
}

impl Conversation {
    /// A new conversation of this side (`role`) with the device `peer`.
    pub fn new(role: Role, peer: Option<String>) -> Conversation {
        Conversation::with_session(role, peer, SyncSession::new())
    }

    /// A conversation that goes on with a session already begun (the rounds of one connection).
    pub fn with_session(role: Role, peer: Option<String>, session: SyncSession) -> Conversation {
        Conversation {
            role,
            peer,
            session,
            phase: Phase::Between,
            round: Round::default(),
            max_turns: MAX_TURNS,
            due: false,
            said: None,
            heard: None,
            heard_again: false,
            circles: 0,
        }
    }

    /// The same with another bound on a round's turns.
    pub fn max_turns(mut self, max: usize) -> Conversation {
        self.max_turns = max;
        self
    }

    /// The sync session, for the connection's next round.
    pub fn into_session(self) -> SyncSession {
        self.session
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Whether a round runs (a frame of the peer's is due or one of ours is to go).
    pub fn in_round(&self) -> bool {
        !matches!(self.phase, Phase::Between | Phase::Closed)
    }

    /// Whether an error closed it.
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// Whether the peer nudged between rounds (the dialler is to begin one); clears it.
    pub fn take_due(&mut self) -> bool {
        std::mem::take(&mut self.due)
    }

    /// Begins a round (the dialler; the acceptor begins on the dialler's first turn): the group's
    /// record is read again and a revoked peer refused. Nothing happens inside a round.
    pub fn begin(&mut self, campaign: &mut impl Access) -> Result<(), SyncError> {
        match self.phase {
            Phase::Between => {}
            Phase::Closed => return Err(closed()),
            _ => return Ok(()),
        }
        self.guard(|me| {
            campaign.with(Campaign::refresh)?;
            me.check_not_revoked(campaign)?;
            me.round = Round::default();
            me.due = false;
            (me.said, me.heard, me.heard_again, me.circles) = (None, None, false, 0);
            me.phase = Phase::Turns { mine: me.role == Role::Dialer, turns: 0, sent_idle: false, got_idle: false };
            Ok(())
        })
    }

    /// What to do next. Sync messages are generated here, on this side's turn, and the contacts
    /// offer once both sides were idle.
    pub fn poll(&mut self, campaign: &mut impl Access) -> Result<Next, SyncError> {
        self.guard(|me| me.step(campaign))
    }

    /// Takes the bytes of one frame from the peer; a frame that is not one of ours is a protocol error.
    pub fn receive_bytes(&mut self, campaign: &mut impl Access, bytes: &[u8]) -> Result<(), SyncError> {
        if self.phase == Phase::Closed {
            return Err(closed());
        }
        match Frame::decode(bytes) {
            Ok(frame) => self.receive(campaign, frame),
            Err(error) => {
                self.phase = Phase::Closed;
                Err(SyncError::Protocol(error.to_string()))
            }
        }
    }

    /// Takes one frame from the peer.
    pub fn receive(&mut self, campaign: &mut impl Access, frame: Frame) -> Result<(), SyncError> {
        self.guard(|me| me.take(campaign, frame))
    }

    /// Runs `act`; an error closes the conversation.
    fn guard<T>(&mut self, act: impl FnOnce(&mut Self) -> Result<T, SyncError>) -> Result<T, SyncError> {
        if self.phase == Phase::Closed {
            return Err(closed());
        }
        act(self).inspect_err(|_| self.phase = Phase::Closed)
    }

    fn step(&mut self, campaign: &mut impl Access) -> Result<Next, SyncError> {
        match self.phase {
            Phase::Between => Ok(Next::Wait),
            Phase::Turns { mine: false, .. } | Phase::Await => Ok(Next::Receive),
            Phase::Turns { mine: true, turns, got_idle, .. } => {
                if turns >= self.max_turns {
                    return Err(SyncError::Protocol("a round that never ends".into()));
                }
                let message = campaign.with(|campaign| self.session.generate(campaign));
                self.circle(message.as_deref())?;
                let sent_idle = message.is_none();
                self.round.messages_sent += usize::from(!sent_idle);
                if sent_idle && got_idle {
                    self.both_idle(campaign);
                } else {
                    self.phase = Phase::Turns { mine: false, turns: turns + 1, sent_idle, got_idle };
                }
                Ok(Next::Send(message.map_or(Frame::Idle, Frame::Sync)))
            }
            Phase::Offer => {
                let contacts = self.contacts(campaign)?;
                self.phase = Phase::Await;
                Ok(Next::Send(contacts))
            }
            Phase::Reply => {
                let contacts = self.contacts(campaign)?;
                self.phase = Phase::Over;
                Ok(Next::Send(contacts))
            }
            Phase::Over => {
                self.phase = Phase::Between;
                Ok(Next::Finished(std::mem::take(&mut self.round)))
            }
            Phase::Closed => Err(closed()),
        }
    }

    fn take(&mut self, campaign: &mut impl Access, frame: Frame) -> Result<(), SyncError> {
        match (self.phase, frame) {
            (Phase::Turns { .. } | Phase::Await, Frame::Nudge) => {
                self.round.nudged = true;
                Ok(())
            }
            (Phase::Turns { mine: false, turns, sent_idle, .. }, frame) => {
                if turns >= self.max_turns {
                    return Err(SyncError::Protocol("a round that never ends".into()));
                }
                let got_idle = self.take_turn(campaign, frame)?;
                if got_idle && sent_idle {
                    self.both_idle(campaign);
                } else {
                    self.phase = Phase::Turns { mine: true, turns: turns + 1, sent_idle, got_idle };
                }
                Ok(())
            }
            (Phase::Await, Frame::Contacts(theirs)) => self.take_contacts(campaign, *theirs),
            (Phase::Await, other) => Err(SyncError::Protocol(format!("expected contacts, got {other:?}"))),
            (Phase::Between, Frame::Nudge) if self.role == Role::Dialer => {
                self.due = true;
                Ok(())
            }
            (Phase::Between, frame @ (Frame::Sync(_) | Frame::Idle)) if self.role == Role::Acceptor => {
                self.begin(campaign)?;
                self.take(campaign, frame)
            }
            (_, other) => Err(SyncError::Protocol(format!("unexpected {other:?}"))),
        }
    }

    /// Counts the turns in which both sides said again what they had just said; too many in a
    /// row are a protocol error (the connection closes and a new one starts afresh).
    fn circle(&mut self, message: Option<&[u8]>) -> Result<(), SyncError> {
        let digest = message.map(digest);
        let again = digest.is_some() && digest == self.said;
        self.said = digest;
        self.circles = if again && self.heard_again { self.circles + 1 } else { 0 };
        if self.circles >= CIRCLES {
            return Err(SyncError::Protocol("a round that goes in circles".into()));
        }
        Ok(())
    }

    /// Both sides had nothing to send: the heads now are what the peer holds; the contacts follow.
    fn both_idle(&mut self, campaign: &mut impl Access) {
        self.round.heads = campaign.with(|campaign| campaign.heads());
        self.phase = if self.role == Role::Dialer { Phase::Offer } else { Phase::Await };
    }

    /// Takes the peer's turn; true when it had nothing to send.
    fn take_turn(&mut self, campaign: &mut impl Access, frame: Frame) -> Result<bool, SyncError> {
        match frame {
            Frame::Idle => {
                (self.heard, self.heard_again) = (None, false);
                Ok(true)
            }
            Frame::Sync(message) => {
                let digest = Some(digest(&message));
                self.heard_again = self.heard == digest;
                self.heard = digest;
                let received = campaign.with(|campaign| self.session.receive(campaign, &message)).map_err(|error| {
                    tracing::warn!(error = error.code(), "a sync message refused: closing the connection");
                    SyncError::MessageRefused(error)
                })?;
                self.round.messages_received += 1;
                self.round.facts_received += received.facts;
                self.round.ballots_received += received.ballots;
                Ok(false)
            }
            other => Err(SyncError::Protocol(format!("expected a sync message, got {other:?}"))),
        }
    }

    fn take_contacts(&mut self, campaign: &mut impl Access, theirs: Contacts) -> Result<(), SyncError> {
        if theirs.offer.campaign != campaign.with(|campaign| campaign.id().to_string()) {
            return Err(SyncError::Protocol("contacts of another campaign".into()));
        }
        self.round.contacts = campaign.with(|campaign| campaign.apply_contacts(&theirs.offer))?;
        self.round.facts_sent = theirs.facts_received;
        self.round.ballots_sent = theirs.ballots_received;
        self.phase = if self.role == Role::Acceptor { Phase::Reply } else { Phase::Over };
        Ok(())
    }

    /// This side's contacts and counts. The record is read again first: a device revoked
    /// meanwhile gets none.
    fn contacts(&self, campaign: &mut impl Access) -> Result<Frame, SyncError> {
        campaign.with(Campaign::refresh)?;
        self.check_not_revoked(campaign)?;
        let contacts = Contacts {
            facts_received: self.round.facts_received,
            ballots_received: self.round.ballots_received,
            offer: campaign.with(|campaign| campaign.contacts_offer())?,
        };
        Ok(Frame::Contacts(Box::new(contacts)))
    }

    /// A peer revoked in the group's record this device holds: no round begins and no contacts go to it.
    fn check_not_revoked(&self, campaign: &mut impl Access) -> Result<(), SyncError> {
        let Some(peer) = &self.peer else { return Ok(()) };
        let revoked = campaign.with(|campaign| {
            campaign.members().iter().any(|member| member.device == *peer && member.revoked.is_some())
        });
        if revoked {
            tracing::info!(%peer, "the device was shut out: closing its connection");
            return Err(SyncError::RefusedPeer(Refusal::Revoked));
        }
        Ok(())
    }
}

fn digest(message: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    message.hash(&mut hasher);
    hasher.finish()
}

fn closed() -> SyncError {
    SyncError::Protocol("the conversation was closed by an error".into())
}
