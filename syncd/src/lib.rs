//! Peer-to-peer sync between the devices of one initiative group: QUIC with mutual TLS against the
//! group's own certificate authority, and length-delimited frames carrying the store's sync messages.
//! The protocol itself lives in the store (sans I/O); this crate is the network shell around it.

pub mod cert;
pub mod conversation;
pub mod daemon;
pub mod frame;
pub mod invite;
pub mod join;
pub mod link;
pub mod listening;
pub mod mdns;
pub mod net;
pub mod proto;
pub mod session;
pub mod shared;
pub mod tls;
pub mod words;

pub use cert::{CertError, DeviceKey, Fingerprint, GroupCa, Member, MemberInfo, member_info, member_serial};
pub use frame::{FrameDecoder, FrameError, MAX_FRAME};
pub use invite::{Invite, InviteError, Token, token_hash, token_proof, verify_proof_by_hash, verify_token_proof};
pub use link::{Live, PeerRound, keep, sync_once};
pub use net::{Channel, NetError, client_config, connect, endpoint, exported_secret, peer_info, server_config};
pub use proto::{Frame, Hello, Role};
pub use session::{Access, Attempt, Identity, Refusal, Round, SyncError, greet, round};
pub use shared::SharedCampaign;
pub use tls::{ALPN, TlsError, client_crypto, joining_server_crypto, pinned_client_crypto, server_crypto};
pub use words::Context;
