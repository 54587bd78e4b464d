//! obhod's campaign store: the canvass as facts in an automerge document (a CRDT, so replicas
//! merge without losing a fact), kept in SQLite as one row per change plus a compacted snapshot.
//! Phones and e-mails stay out of the document, in a table of their own under an opaque id, so
//! that a withdrawn consent erases them from the files (`contacts`). Replicas on other devices
//! merge through `SyncSession` (automerge's sync protocol, no I/O here).

// The shared test support names this crate as its integration tests do.
#[cfg(test)]
extern crate self as obhod_store;

mod campaign;
mod check;
mod clock;
mod contacts;
mod db;
mod doc;
mod error;
mod fault;
mod group;
mod invites;
pub mod passphrase;
mod rebuild;
mod replica;
mod sign;
#[cfg(test)]
#[path = "../tests/support/mod.rs"]
mod support;
mod sync;

pub use campaign::{
    Campaign, Conflict, Decision, Imported, Mark, MeetingUpdate, NOTE_LIMIT, Recorded, RegistryUpdate, Variant,
};
pub use clock::{Clock, Ids, SteppingClock, SystemClock};
pub use contacts::{Applied, ContactRow, ContactsMessage, Tombstone};
pub use db::{APPLICATION_ID, SCHEMA};
pub use doc::{MeetingRecord, RegistryRecord, Sources};
pub use error::{Breach, StoreError};
pub use fault::FileFault;
pub use group::{Authority, InviteCheck, MemberRecord, Membership, Peer, Revocations};
pub use sign::certified_key;
pub use sync::{Received, SyncSession};
