//! One sync connection between two members: the signed hellos (the accepting side first), then
//! rounds of the store's sync protocol in turns until neither side has anything to send, each round
//! ending with the contacts exchange. Any protocol error closes the connection.

use obhod_core::Lang;
use obhod_store::{Applied, Campaign, StoreError, SyncSession};
use quinn::{Connection, ConnectionError, TransportErrorCode, VarInt};

use crate::cert::{CertError, Member, member_info};
use crate::net::{self, Channel, NetError, PROTOCOL_ERROR};
use crate::proto::{Contacts, Frame, HELLO_LABEL, Hello, Role};

/// The most turns one round may take before the peer is taken for broken.
const MAX_TURNS: usize = 100_000;

/// What this device is in its group: its membership and the revocation lists it holds.
#[derive(Debug)]
pub struct Identity {
    pub member: Member,
    /// The group CA's revocation lists (DER).
    pub revocations: Vec<Vec<u8>>,
    /// The number of the newest of them (0: none).
    pub revocation_number: u64,
}

impl Identity {
    pub fn new(member: Member) -> Identity {
        Identity { member, revocations: Vec::new(), revocation_number: 0 }
    }

    /// This device's identity as its store keeps it: its membership and the group's revocation list.
    pub fn of(campaign: &Campaign) -> Result<Identity, SyncError> {
        let membership = campaign.membership()?.ok_or(SyncError::NoGroup)?;
        let mut identity = Identity::new(Member::from_pem(&membership.member_pem)?);
        if let Some(list) = campaign.revocations() {
            identity.revocations = vec![list.der];
            identity.revocation_number = list.number;
        }
        Ok(identity)
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
}

impl Refusal {
    const ALL: [Refusal; 7] = [
        Refusal::OtherGroup,
        Refusal::OtherCampaign,
        Refusal::Revoked,
        Refusal::BadHello,
        Refusal::InviteUsed,
        Refusal::InviteExpired,
        Refusal::InviteUnknown,
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
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Net(NetError),
    #[error("store: {0}")]
    Store(#[from] StoreError),
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
    #[error("{0} did not answer")]
    Unreachable(std::net::SocketAddr),
}

impl SyncError {
    /// The error worded for people.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            SyncError::Store(error) => error.message(lang),
            SyncError::RefusedByPeer(refusal) => {
                format!(
                    "{}: {}",
                    lang.pick("устройство отказало в соединении", "the peer refused"),
                    refusal.message(lang)
                )
            }
            SyncError::RefusedPeer(refusal) => format!(
                "{}: {}",
                lang.pick("в соединении отказано", "the connection was refused"),
                refusal.message(lang)
            ),
            SyncError::NoGroup => lang
                .pick(
                    "это устройство не состоит в группе: «obhod group create» или «obhod group join»",
                    "this device is in no group: «obhod group create» or «obhod group join»",
                )
                .into(),
            SyncError::NotOrganiser => lang
                .pick(
                    "это может только устройство организатора (у него ключ группы)",
                    "only the organiser's device (which holds the group's key) can do this",
                )
                .into(),
            SyncError::NoAddress => {
                lang.pick("нет адреса, по которому можно связаться", "no address to reach or listen on").into()
            }
            SyncError::Unreachable(addr) => format!("{addr}: {}", lang.pick("не отвечает", "does not answer")),
            SyncError::Protocol(why) => {
                format!("{}: {why}", lang.pick("устройство нарушило протокол", "the peer broke the protocol"))
            }
            SyncError::Net(error) => format!("{}: {error}", lang.pick("сеть", "network")),
            SyncError::Cert(error) => format!("{}: {error}", lang.pick("сертификат", "certificate")),
        }
    }

    /// Whether the connection was refused (by either side): a reason to stop, not to retry.
    pub fn is_refusal(&self) -> bool {
        matches!(self, SyncError::RefusedByPeer(_) | SyncError::RefusedPeer(_))
    }
}

impl Refusal {
    pub fn message(self, lang: Lang) -> String {
        let (ru, en) = match self {
            Refusal::OtherGroup => ("устройство не из этой группы", "the device is not of this group"),
            Refusal::OtherCampaign => ("у устройства другая кампания", "the device keeps another campaign"),
            Refusal::Revoked => ("устройство исключено из группы", "the device was shut out of the group"),
            Refusal::BadHello => (
                "приветствие устройства не сходится с его сертификатом",
                "the device's hello does not match its certificate",
            ),
            Refusal::InviteUsed => {
                ("приглашение уже использовано; попросите новое", "the invite was already used; ask for a new one")
            }
            Refusal::InviteExpired => {
                ("срок приглашения истёк; попросите новое", "the invite expired; ask for a new one")
            }
            Refusal::InviteUnknown => ("такого приглашения нет на этом устройстве", "this device made no such invite"),
        };
        lang.pick(ru, en).into()
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

/// The TLS alerts of a certificate check: certificate revoked, or any other certificate failure.
fn local_refusal(code: TransportErrorCode) -> Option<Refusal> {
    if code == TransportErrorCode::crypto(44) {
        return Some(Refusal::Revoked);
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
    let theirs = match next(&mut channel).await? {
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

/// The next frame; the peer finishing its stream or sending garbage is an error.
pub async fn next(channel: &mut Channel) -> Result<Frame, SyncError> {
    let bytes = channel.recv().await?.ok_or_else(|| SyncError::Protocol("the peer ended the stream".into()))?;
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
/// of the round already received (the acceptor's loop reads it while waiting).
pub async fn round(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    session: &mut SyncSession,
    role: Role,
    first: Option<Frame>,
) -> Result<Round, SyncError> {
    campaign.with(Campaign::refresh)?;
    let start = channel.bytes();
    let mut round = round_turns(channel, campaign, session, role, first).await?;
    let end = channel.bytes();
    (round.bytes_sent, round.bytes_received) = (end.0 - start.0, end.1 - start.1);
    Ok(round)
}

async fn round_turns(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    session: &mut SyncSession,
    role: Role,
    first: Option<Frame>,
) -> Result<Round, SyncError> {
    let mut round = Round::default();
    let mut pending = first;
    let mut my_turn = role == Role::Dialer && pending.is_none();
    let (mut sent_idle, mut got_idle) = (false, false);
    for _ in 0..MAX_TURNS {
        if my_turn {
            let message = campaign.with(|campaign| session.generate(campaign));
            sent_idle = message.is_none();
            channel.send(&message.map_or(Frame::Idle, Frame::Sync).encode()).await?;
            round.messages_sent += usize::from(!sent_idle);
            if sent_idle && got_idle {
                round.heads = campaign.with(|campaign| campaign.heads());
                return finish(channel, campaign, role, round).await;
            }
        } else {
            let frame = match pending.take() {
                Some(frame) => frame,
                None => next_turn(channel, &mut round).await?,
            };
            got_idle = campaign.with(|campaign| take_turn(channel, campaign, session, frame, &mut round))?;
            if got_idle && sent_idle {
                round.heads = campaign.with(|campaign| campaign.heads());
                return finish(channel, campaign, role, round).await;
            }
        }
        my_turn = !my_turn;
    }
    Err(broken(channel, "a round that never ends".into()))
}

/// The peer's next turn, passing over its nudges.
async fn next_turn(channel: &mut Channel, round: &mut Round) -> Result<Frame, SyncError> {
    loop {
        match next(channel).await? {
            Frame::Nudge => round.nudged = true,
            frame => return Ok(frame),
        }
    }
}

/// Takes the peer's turn; true when it had nothing to send.
fn take_turn(
    channel: &Channel,
    campaign: &mut Campaign,
    session: &mut SyncSession,
    frame: Frame,
    round: &mut Round,
) -> Result<bool, SyncError> {
    match frame {
        Frame::Idle => Ok(true),
        Frame::Sync(message) => {
            let received = session.receive(campaign, &message).inspect_err(|error| {
                if error.is_bad_input() {
                    channel.connection().close(PROTOCOL_ERROR, b"bad sync message");
                }
            })?;
            round.messages_received += 1;
            round.facts_received += received.facts;
            round.ballots_received += received.ballots;
            Ok(false)
        }
        other => Err(broken(channel, format!("expected a sync message, got {other:?}"))),
    }
}

/// The contacts at the end of a round: the dialler offers first, the acceptor answers.
async fn finish(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    role: Role,
    mut round: Round,
) -> Result<Round, SyncError> {
    if role == Role::Dialer {
        send_contacts(channel, campaign, &round).await?;
    }
    let theirs = loop {
        match next(channel).await? {
            Frame::Nudge => round.nudged = true,
            Frame::Contacts(contacts) => break contacts,
            other => return Err(broken(channel, format!("expected contacts, got {other:?}"))),
        }
    };
    if theirs.offer.campaign != campaign.with(|campaign| campaign.id().to_string()) {
        return Err(broken(channel, "contacts of another campaign".into()));
    }
    round.contacts = campaign.with(|campaign| campaign.apply_contacts(&theirs.offer))?;
    round.facts_sent = theirs.facts_received;
    round.ballots_sent = theirs.ballots_received;
    if role == Role::Acceptor {
        send_contacts(channel, campaign, &round).await?;
    }
    Ok(round)
}

async fn send_contacts(
    channel: &mut Channel,
    campaign: &mut (impl Access + Send),
    round: &Round,
) -> Result<(), SyncError> {
    let contacts = Contacts {
        facts_received: round.facts_received,
        ballots_received: round.ballots_received,
        offer: campaign.with(|campaign| campaign.contacts_offer())?,
    };
    Ok(channel.send(&Frame::Contacts(Box::new(contacts)).encode()).await?)
}
