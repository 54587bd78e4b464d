//! One sync connection between two members: the signed hellos (the accepting side first), then
//! rounds of the store's sync protocol in turns until neither side has anything to send, each round
//! ending with the contacts exchange. Any protocol error closes the connection; so does a message
//! the store refuses (with its own code) and a peer revoked in the group's record, which is read
//! again before every round.

use std::net::SocketAddr;
use std::time::Duration;

use obhod_store::{Applied, Campaign, StoreError, SyncSession};
use quinn::{Connection, ConnectionError, TransportErrorCode, VarInt};

use crate::cert::{CertError, Member, member_info};
use crate::conversation::{Conversation, Next};
use crate::net::{self, Channel, NetError, PROTOCOL_ERROR};
use crate::proto::{Frame, HELLO_LABEL, Hello, Role};

/// The largest hello: its few names and a signature.
pub const MAX_HELLO: u32 = 16 * 1024;
/// The longest the hellos may take, however the peer spaces its bytes.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(10);

/// What this device is in its group: its membership and the revocation lists it holds.
#[derive(Debug)]
pub struct Identity {
    pub member: Member,
    /// The group CA's revocation lists (DER).
    pub revocations: Vec<Vec<u8>>,
    /// The number of the newest of them (0: none).
    pub revocation_number: u64,
    /// The number of a list in the store that does not parse or verify, and was not taken.
    pub refused_list: Option<u64>,
}

impl Identity {
    pub fn new(member: Member) -> Identity {
        Identity { member, revocations: Vec::new(), revocation_number: 0, refused_list: None }
    }

    /// This device's identity as its store keeps it: its membership and the group's revocation
    /// list, when that list parses and the group's CA signed it; else the list is left out (and
    /// its number noted in `refused_list`): the group's record still names the revoked devices.
    pub fn of(campaign: &Campaign) -> Result<Identity, SyncError> {
        let membership = campaign.membership()?.ok_or(SyncError::NoGroup)?;
        let mut identity = Identity::new(Member::from_pem(&membership.member_pem)?);
        if let Some(list) = campaign.revocations() {
            identity.take_list(list.number, list.der);
        }
        Ok(identity)
    }

    /// Takes a revocation list if it is good; returns whether it was.
    pub fn take_list(&mut self, number: u64, der: Vec<u8>) -> bool {
        match crate::tls::check_revocations(&self.member, &der) {
            Ok(()) => {
                (self.revocations, self.revocation_number, self.refused_list) = (vec![der], number, None);
                true
            }
            Err(error) => {
                tracing::warn!(number, %error, "a revocation list that does not verify: refused");
                self.refused_list = Some(number);
                false
            }
        }
    }
}

/// Why a connection was refused, by this side or the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The other device is not (or no longer presents itself as) a member of this group.
    OtherGroup,
    /// The other device keeps another campaign.
    OtherCampaign,
    /// The device was shut out of the group.
    Revoked,
    /// The hello's signature or names do not match the certificate.
    BadHello,
    InviteUsed,
    InviteExpired,
    InviteUnknown,
    /// A device joined through a member that holds no group key: only the organiser's admits.
    NotOrganiser,
    /// A device without a certificate met a listener that admits none (the daemon of an older obhod).
    CertificateRequired,
    /// The two sides speak no common application protocol (another version of obhod).
    OtherVersion,
    /// The receiving device's store refused a sync message (its reason is in its log).
    MessageRefused,
    /// The device has as many connections open as it takes (from this device, or in all).
    Busy,
    /// The organiser's device admits no one now: its group key is sealed with a passphrase and
    /// the daemon runs without it.
    KeySealed,
}

impl Refusal {
    const ALL: [Refusal; 13] = [
        Refusal::OtherGroup,
        Refusal::OtherCampaign,
        Refusal::Revoked,
        Refusal::BadHello,
        Refusal::InviteUsed,
        Refusal::InviteExpired,
        Refusal::InviteUnknown,
        Refusal::NotOrganiser,
        Refusal::CertificateRequired,
        Refusal::OtherVersion,
        Refusal::MessageRefused,
        Refusal::Busy,
        Refusal::KeySealed,
    ];

    /// The QUIC application close code that tells the peer.
    pub fn code(self) -> VarInt {
        VarInt::from_u32(2 + Refusal::ALL.iter().position(|r| *r == self).expect("listed") as u32)
    }

    fn from_code(code: VarInt) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }

    fn reason(self) -> &'static [u8] {
        match self {
            Refusal::OtherGroup => b"another group",
            Refusal::OtherCampaign => b"another campaign",
            Refusal::Revoked => b"revoked",
            Refusal::BadHello => b"bad hello",
            Refusal::InviteUsed => b"invite used",
            Refusal::InviteExpired => b"invite expired",
            Refusal::InviteUnknown => b"invite unknown",
            Refusal::NotOrganiser => b"not the organiser's device",
            Refusal::CertificateRequired => b"certificate required",
            Refusal::OtherVersion => b"another version",
            Refusal::MessageRefused => b"message refused",
            Refusal::Busy => b"busy",
            Refusal::KeySealed => b"group key sealed",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Net(NetError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// This device's store refused what the peer sent; the peer was told.
    #[error("we refused the peer's message: {0}")]
    MessageRefused(StoreError),
    /// The other side refused this device.
    #[error("the peer refused us: {0:?}")]
    RefusedByPeer(Refusal),
    /// This side refused the other.
    #[error("we refused the peer: {0:?}")]
    RefusedPeer(Refusal),
    #[error("the peer broke the protocol: {0}")]
    Protocol(String),
    #[error(transparent)]
    Cert(#[from] CertError),
    #[error("this device is in no group")]
    NoGroup,
    #[error("only the organiser's device (which holds the group's key) can do this")]
    NotOrganiser,
    #[error("no address to dial or listen on")]
    NoAddress,
    /// No address of the group's devices is known, and none was given.
    #[error("no address of the group's devices is known")]
    NoPeers,
    /// Nothing came back from the address within the dialling time.
    #[error("{0} did not answer")]
    Unreachable(SocketAddr),
    /// The network said that nothing listens on that port.
    #[error("{0}: the port is closed")]
    PortClosed(SocketAddr),
    /// The network said there is no way to that address.
    #[error("{0}: no route")]
    NoRoute(SocketAddr),
    /// What went wrong at one address.
    #[error("{address}: {error}")]
    At { address: SocketAddr, error: Box<SyncError> },
    /// Joining failed at every address tried: what happened at each, in the order tried.
    #[error("no address admitted the device: {0:?}")]
    Attempts(Vec<Attempt>),
    /// No device of the group was reached (what happened at each address is told beside).
    #[error("no device of the group was reached")]
    NoneReached,
    /// The invite was used up, but the device did not finish joining.
    #[error("the invite was used, but no device finished joining")]
    JoinUnfinished,
}

/// One address a device tried to join through, and why it did not.
#[derive(Debug)]
pub struct Attempt {
    pub address: SocketAddr,
    pub error: SyncError,
}

impl SyncError {
    /// Whether the connection was refused (by either side): a reason to stop, not to retry.
    pub fn is_refusal(&self) -> bool {
        match self {
            // A device that is busy now is worth another try.
            SyncError::RefusedByPeer(Refusal::Busy) | SyncError::RefusedPeer(Refusal::Busy) => false,
            SyncError::RefusedByPeer(_) | SyncError::RefusedPeer(_) | SyncError::MessageRefused(_) => true,
            SyncError::At { error, .. } => error.is_refusal(),
            _ => false,
        }
    }

    /// Whether nothing answered at the address (no answer, a closed port, no route).
    pub fn is_unreached(&self) -> bool {
        match self {
            SyncError::Unreachable(_) | SyncError::PortClosed(_) | SyncError::NoRoute(_) => true,
            SyncError::At { error, .. } => error.is_unreached(),
            _ => false,
        }
    }
}

impl From<NetError> for SyncError {
    fn from(error: NetError) -> Self {
        if let Some(refusal) = refusal_of(&error) {
            return SyncError::RefusedByPeer(refusal);
        }
        match &error {
            NetError::Connection(ConnectionError::TransportError(local)) => match local_refusal(local.code) {
                Some(refusal) => SyncError::RefusedPeer(refusal),
                None => SyncError::Net(error),
            },
            _ => SyncError::Net(error),
        }
    }
}

/// A refusal the peer closed the connection with: ours by code, or a TLS alert on its certificate check.
fn refusal_of(error: &NetError) -> Option<Refusal> {
    let connection = match error {
        NetError::Connection(e) => e,
        NetError::Read(quinn::ReadError::ConnectionLost(e)) => e,
        NetError::Write(quinn::WriteError::ConnectionLost(e)) => e,
        _ => return None,
    };
    match connection {
        ConnectionError::ApplicationClosed(close) => Refusal::from_code(close.error_code),
        ConnectionError::ConnectionClosed(close) => local_refusal(close.error_code),
        _ => None,
    }
}

/// The TLS alerts of a certificate check (certificate revoked, a certificate required, or any other
/// certificate failure) and of no common application protocol.
fn local_refusal(code: TransportErrorCode) -> Option<Refusal> {
    if code == TransportErrorCode::crypto(44) {
        return Some(Refusal::Revoked);
    }
    if code == TransportErrorCode::crypto(116) {
        return Some(Refusal::CertificateRequired);
    }
    if code == TransportErrorCode::crypto(120) {
        return Some(Refusal::OtherVersion);
    }
    [42, 43, 45, 46, 48, 49, 51]
        .iter()
        .any(|alert| code == TransportErrorCode::crypto(*alert))
        .then_some(Refusal::OtherGroup)
}

/// Closes the connection telling the peer why, and returns the error for this side.
pub fn refuse(connection: &Connection, refusal: Refusal) -> SyncError {
    connection.close(refusal.code(), refusal.reason());
    SyncError::RefusedPeer(refusal)
}

pub(crate) fn broken(channel: &Channel, why: String) -> SyncError {
    channel.connection().close(PROTOCOL_ERROR, b"protocol error");
    SyncError::Protocol(why)
}

/// The hellos of a new connection: the accepting side speaks first. Checks the peer's (group,
/// campaign, signature over this session) and refuses it, closing the connection, when they do not
/// match. Returns the channel and the peer's hello.
pub async fn greet(
    connection: &Connection,
    identity: &Identity,
    campaign: &str,
    role: Role,
) -> Result<(Channel, Hello), SyncError> {
    match tokio::time::timeout(HELLO_TIMEOUT, greet_now(connection, identity, campaign, role)).await {
        Ok(greeted) => greeted,
        Err(_) => {
            connection.close(net::TIMED_OUT, b"no hello in time");
            Err(SyncError::Net(NetError::TimedOut(HELLO_TIMEOUT)))
        }
    }
}

async fn greet_now(
    connection: &Connection,
    identity: &Identity,
    campaign: &str,
    role: Role,
) -> Result<(Channel, Hello), SyncError> {
    let exported = net::exported(connection, HELLO_LABEL)?;
    let ours = Hello::signed(&identity.member, campaign, identity.revocation_number, role, &exported)?;
    let mut channel = match role {
        Role::Acceptor => {
            let mut channel = Channel::open(connection).await?;
            channel.send(&Frame::Hello(ours.clone()).encode()).await?;
            channel
        }
        Role::Dialer => Channel::accept(connection).await?,
    };
    let bytes = channel.recv_short(MAX_HELLO).await?.ok_or_else(|| SyncError::Protocol("no hello".into()))?;
    let theirs = match Frame::decode(&bytes).map_err(|error| broken(&channel, error.to_string()))? {
        Frame::Hello(hello) => hello,
        other => return Err(broken(&channel, format!("expected a hello, got {other:?}"))),
    };
    let peer_role = if role == Role::Acceptor { Role::Dialer } else { Role::Acceptor };
    check_hello(connection, identity, campaign, &theirs, peer_role, &exported)?;
    if role == Role::Dialer {
        channel.send(&Frame::Hello(ours).encode()).await?;
    }
    Ok((channel, theirs))
}

fn check_hello(
    connection: &Connection,
    identity: &Identity,
    campaign: &str,
    hello: &Hello,
    role: Role,
    exported: &[u8; 32],
) -> Result<(), SyncError> {
    let cert = net::peer_certificate(connection)?;
    let info = member_info(&cert)?;
    let group = &identity.member.info().group_id;
    if info.group_id != *group || hello.group != *group {
        return Err(refuse(connection, Refusal::OtherGroup));
    }
    if info.device_id != hello.device || !hello.verify(&cert, role, exported) {
        return Err(refuse(connection, Refusal::BadHello));
    }
    if hello.campaign != campaign {
        return Err(refuse(connection, Refusal::OtherCampaign));
    }
    Ok(())
}

/// The next frame, due now; the peer finishing its stream or sending garbage is an error.
pub async fn next(channel: &mut Channel) -> Result<Frame, SyncError> {
    let bytes = channel.recv().await?;
    decode(channel, bytes)
}

/// The next frame, however long the peer takes to begin it (a live link between rounds).
pub async fn next_idle(channel: &mut Channel) -> Result<Frame, SyncError> {
    let bytes = channel.recv_idle().await?;
    decode(channel, bytes)
}

fn decode(channel: &Channel, bytes: Option<Vec<u8>>) -> Result<Frame, SyncError> {
    let bytes = bytes.ok_or_else(|| SyncError::Protocol("the peer ended the stream".into()))?;
    Frame::decode(&bytes).map_err(|error| broken(channel, error.to_string()))
}

/// How a round reaches the campaign: one of its own (`obhod sync`), or the daemon's, shared by its
/// links. `with` runs synchronous store calls only, so a shared campaign is never held across an
/// `.await`.
pub trait Access {
    fn with<T>(&mut self, act: impl FnOnce(&mut Campaign) -> T) -> T;
}

impl Access for Campaign {
    fn with<T>(&mut self, act: impl FnOnce(&mut Campaign) -> T) -> T {
        act(self)
    }
}

/// What one round with a peer did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Round {
    /// This side's document heads when both sides had nothing more to send: the peer holds them.
    pub heads: Vec<automerge::ChangeHash>,
    pub facts_received: usize,
    pub ballots_received: usize,
    /// Facts (and ballots) the peer received from us, as it reports.
    pub facts_sent: usize,
    pub ballots_sent: usize,
    /// Sync messages sent and received (each turn one way).
    pub messages_sent: usize,
    pub messages_received: usize,
    /// Bytes this side sent and received in the round, frame headers included.
    pub bytes_sent: u64,
    pub bytes_received: u64,
    /// Contacts taken from the peer.
    pub contacts: Applied,
    /// The peer asked for another round meanwhile.
    pub nudged: bool,
}

/// One round: turns of sync messages (the dialler first) until both sides, one after the other,
/// had nothing to send; then the dialler's contacts and the acceptor's reply. `first` is a frame
/// of the round already received (the acceptor's loop reads it while waiting). The round itself is
/// a [`Conversation`]; this sends what it gives and feeds it what the peer sends, each read with
/// the read deadline.
pub async fn round(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    session: &mut SyncSession,
    role: Role,
    first: Option<Frame>,
) -> Result<Round, SyncError> {
    let peer = net::peer_info(channel.connection()).ok().map(|info| info.device_id);
    let mut conversation = Conversation::with_session(role, peer, std::mem::take(session));
    let round = drive(channel, campaign, &mut conversation, first).await;
    *session = conversation.into_session();
    round
}

/// Drives `conversation` through one round over `channel` (beginning it, or taking `first`, when
/// none runs): sends what it gives, reads what it awaits (within the read deadline), and closes the
/// connection as its error says. Returns the round with the bytes it took on the wire.
pub async fn drive(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    conversation: &mut Conversation,
    first: Option<Frame>,
) -> Result<Round, SyncError> {
    match first {
        Some(frame) => conversation.receive(campaign, frame),
        None => conversation.begin(campaign),
    }
    .map_err(|error| close(channel, error))?;
    let start = channel.bytes();
    loop {
        match conversation.poll(campaign).map_err(|error| close(channel, error))? {
            Next::Send(frame) => channel.send(&frame.encode()).await?,
            Next::Receive => {
                let bytes = channel.recv().await?;
                let bytes = bytes.ok_or_else(|| SyncError::Protocol("the peer ended the stream".into()))?;
                conversation.receive_bytes(campaign, &bytes).map_err(|error| close(channel, error))?;
            }
            Next::Finished(mut round) => {
                let end = channel.bytes();
                (round.bytes_sent, round.bytes_received) = (end.0 - start.0, end.1 - start.1);
                return Ok(round);
            }
            Next::Wait => return Err(close(channel, SyncError::Protocol("a round that did not begin".into()))),
        }
    }
}

/// How the connection closes after a conversation's error, as the peer is told: a refusal by its
/// code and reason, a message the store refused by `MessageRefused` and the store's error code, a
/// protocol error by [`PROTOCOL_ERROR`]. Other errors (this side's store) close nothing here.
pub fn close_of(error: &SyncError) -> Option<(VarInt, Vec<u8>)> {
    match error {
        SyncError::RefusedPeer(refusal) => Some((refusal.code(), refusal.reason().to_vec())),
        SyncError::MessageRefused(error) => Some((Refusal::MessageRefused.code(), error.code().as_bytes().to_vec())),
        SyncError::Protocol(_) => Some((PROTOCOL_ERROR, b"protocol error".to_vec())),
        _ => None,
    }
}

/// Closes the connection as `error` says (see [`close_of`]) and returns it.
pub(crate) fn close(channel: &Channel, error: SyncError) -> SyncError {
    if let Some((code, reason)) = close_of(&error) {
        channel.connection().close(code, &reason);
    }
    error
}
