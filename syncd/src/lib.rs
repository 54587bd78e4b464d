//! Peer-to-peer sync between the devices of one initiative group: QUIC with mutual TLS against the
//! group's own certificate authority, and length-delimited frames carrying the store's sync messages.
//! The protocol itself lives in the store (sans I/O); this crate is the network shell around it.

pub mod frame;

pub use frame::{FrameDecoder, FrameError, MAX_FRAME};
pub mod cert;
pub use cert::{CertError, DeviceKey, Fingerprint, GroupCa, Member, MemberInfo, member_info};
