//! obhod's campaign store: the canvass as facts in an automerge document (a CRDT, so replicas
//! merge without losing a fact), kept in SQLite as one row per change plus a compacted snapshot.

mod campaign;
mod db;
mod doc;
mod error;
mod fault;
mod replica;

pub use campaign::{Campaign, Imported, Mark};
pub use db::{APPLICATION_ID, SCHEMA};
pub use doc::Sources;
pub use error::StoreError;
pub use fault::FileFault;
