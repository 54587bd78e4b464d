//! Driving a connection: one round with a peer and goodbye (`obhod sync`), or a live link that
//! keeps syncing as either store changes (the daemon). The dialler runs the rounds; the accepting
//! side nudges it when its own store changed.

use std::net::SocketAddr;
use std::time::Duration;

use obhod_store::{Campaign, SyncSession};
use quinn::{Connection, ConnectionError, Endpoint};
use tokio::sync::watch;

use crate::conversation::Conversation;
use crate::net::{self, Channel, NetError};
use crate::proto::{Frame, Hello, Role};
use crate::session::{Identity, Round, SyncError, close, drive, greet, next_idle, round};
use crate::shared::SharedCampaign;
use crate::tls;

/// How long dialling a peer may take before it is taken for unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The application close code of a goodbye.
pub const DONE: u32 = 0;

/// One round with the peer at `addr`, as the dialler.
#[derive(Debug, Clone)]
pub struct PeerRound {
    pub address: SocketAddr,
    pub hello: Hello,
    pub round: Round,
}

/// Dials a member at `addr`, trusting the group's CA minus the revocations.
pub async fn dial(endpoint: &Endpoint, addr: SocketAddr, identity: &Identity) -> Result<Connection, SyncError> {
    let crypto = tls::client_crypto(&identity.member, &identity.revocations).map_err(NetError::from)?;
    reach(endpoint, addr, net::client_config(crypto)?).await
}

/// Dials `addr` and waits for the handshake, at most [`CONNECT_TIMEOUT`]; meanwhile a few plain
/// datagrams learn whether the network says nobody is there, so that a closed port or a missing
/// route is told at once and apart from silence.
pub async fn reach(
    endpoint: &Endpoint,
    addr: SocketAddr,
    config: quinn::ClientConfig,
) -> Result<Connection, SyncError> {
    tokio::select! {
        dialled = tokio::time::timeout(CONNECT_TIMEOUT, net::connect(endpoint, addr, config)) => match dialled {
            Ok(connection) => Ok(connection?),
            Err(_) => Err(SyncError::Unreachable(addr)),
        },
        nobody = net::nobody_there(addr) => Err(match nobody {
            net::Nobody::PortClosed => SyncError::PortClosed(addr),
            net::Nobody::NoRoute => SyncError::NoRoute(addr),
        }),
    }
}

/// Dials `addr`, greets, runs one round and says goodbye.
pub async fn sync_once(
    endpoint: &Endpoint,
    addr: SocketAddr,
    identity: &Identity,
    campaign: &mut Campaign,
) -> Result<PeerRound, SyncError> {
    let connection = dial(endpoint, addr, identity).await?;
    let (mut channel, hello) = greet(&connection, identity, campaign.id(), Role::Dialer).await?;
    let round = round(&mut channel, campaign, &mut SyncSession::new(), Role::Dialer, None).await?;
    connection.close(DONE.into(), b"done");
    Ok(PeerRound { address: addr, hello, round })
}

/// A live link's settings.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    /// How often the store is looked at for another process's writes.
    pub poll: Duration,
}

impl Default for Live {
    fn default() -> Self {
        Live { poll: Duration::from_millis(250) }
    }
}

/// Keeps a greeted connection syncing over the daemon's shared campaign until the peer leaves
/// (Ok), `stop` turns true (Ok, after a goodbye) or something fails. A move of the campaign's heads
/// (another link's receipt, another process's write) wakes it. `done` is told of every round.
pub async fn keep(
    mut channel: Channel,
    campaign: &SharedCampaign,
    role: Role,
    mut stop: watch::Receiver<bool>,
    done: &mut (dyn FnMut(&mut Campaign, &Round) + Send),
) -> Result<(), SyncError> {
    let peer = net::peer_info(channel.connection()).ok().map(|info| info.device_id);
    let mut conversation = Conversation::new(role, peer);
    let mut heads = campaign.heads();
    let mut due = role == Role::Dialer;
    // What the peer was last brought up to (or nudged about): another change calls for a round.
    let mut told = heads.borrow_and_update().clone();
    let mut store = campaign;
    loop {
        while due {
            tracing::debug!(?role, "round");
            let finished = drive(&mut channel, &mut store, &mut conversation, None).await?;
            campaign.with(|campaign| done(campaign, &finished));
            told = finished.heads;
            due = finished.nudged;
        }
        tokio::select! {
            _ = stopped(&mut stop) => {
                channel.connection().close(DONE.into(), b"stopping");
                return Ok(());
            }
            frame = next_idle(&mut channel) => match frame {
                // The dialler's turn begins the acceptor's round (and is a protocol error to the
                // dialler); a nudge makes the dialler's round due (and is one to the acceptor).
                Ok(first @ (Frame::Sync(_) | Frame::Idle)) => {
                    let finished = drive(&mut channel, &mut store, &mut conversation, Some(first)).await?;
                    campaign.with(|campaign| done(campaign, &finished));
                    told = finished.heads;
                }
                Ok(frame) => {
                    conversation.receive(&mut store, frame).map_err(|error| close(&channel, error))?;
                    due = conversation.take_due();
                }
                Err(error) if said_goodbye(&error) => return Ok(()),
                Err(error) => return Err(error),
            },
            Ok(()) = heads.changed() => {
                let now = heads.borrow_and_update().clone();
                if now != told {
                    tracing::debug!(?role, "new changes");
                    told = now;
                    match role {
                        Role::Dialer => due = true,
                        Role::Acceptor => channel.send(&Frame::Nudge.encode()).await?,
                    }
                }
            }
        }
    }
}

/// Returns once `stop` turns true (never, if its sender is gone without saying so).
pub async fn stopped(stop: &mut watch::Receiver<bool>) {
    loop {
        if *stop.borrow_and_update() {
            return;
        }
        if stop.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Whether the peer closed the connection with a goodbye.
pub fn said_goodbye(error: &SyncError) -> bool {
    let SyncError::Net(net) = error else { return false };
    let connection = match net {
        NetError::Connection(e) => e,
        NetError::Read(quinn::ReadError::ConnectionLost(e)) => e,
        NetError::Write(quinn::WriteError::ConnectionLost(e)) => e,
        _ => return false,
    };
    matches!(connection, ConnectionError::ApplicationClosed(close) if close.error_code == DONE.into())
}
