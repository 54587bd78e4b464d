//! Joining a group by invite. The joiner dials the inviter pinning the CA's fingerprint and proves
//! the token over this TLS session and its own public key; the inviter uses the invite up (once),
//! sends the campaign, learns the new store's device id, signs its certificate and records the
//! member. The inviter is `obhod group invite`'s own listener or the organiser's running daemon,
//! which takes a connection without a certificate for this and nothing else. A refused invite
//! stores nothing on either side.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Local;
use std::sync::Arc;

use obhod_store::{Authority, Campaign, InviteCheck, MemberRecord, Membership, StoreError};
use quinn::{Connection, Endpoint};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use crate::cert::{DeviceKey, Fingerprint, GroupCa, Member, member_serial};
use crate::invite::{Invite, Token, token_proof, verify_proof_by_hash};
use crate::link::{self, DONE};
use crate::net::{self, Channel, NetError};
use crate::session::{Access, Attempt, Identity, Refusal, SyncError, refuse};
use crate::tls;

pub use crate::invite::token_hash;

/// How long an inviter waits for a device without a certificate to send its request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest join request: a name, a public key and a proof.
pub const MAX_REQUEST: u32 = 16 * 1024;
/// How many devices `obhod group invite`'s listener serves at once.
pub const MAX_JOINERS: usize = 4;
/// How long after one address is dialled the next one is, while the first has not answered.
pub const STAGGER: Duration = Duration::from_millis(250);

/// The joiner's first words: its name, its public key, and the token proof over both.
#[derive(Debug, Serialize, Deserialize)]
struct Request {
    name: String,
    /// DER `SubjectPublicKeyInfo`, hex.
    public_key: String,
    /// Hex.
    proof: String,
}

/// The inviter's answer to a good request; the document follows in its own frame.
#[derive(Debug, Serialize, Deserialize)]
struct Offer {
    group: String,
    group_name: String,
    /// Hex.
    ca_cert: String,
    /// The inviting device, so that the joiner can remember where it was reached.
    #[serde(default)]
    inviter: Option<Inviter>,
    /// The inviter is a running daemon: its address is worth remembering for `obhod sync`.
    #[serde(default)]
    lasting: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Inviter {
    device: String,
    name: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Device {
    device: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Certificate {
    /// Hex.
    cert: String,
    /// The changes the inviter made after sending the campaign (its record of the new member, so
    /// that the new device's own records count there at once), hex.
    #[serde(default)]
    changes: String,
}

/// Who joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub device: String,
    pub name: String,
}

/// Which invites a joiner may prove.
#[derive(Debug, Clone, Copy)]
pub enum Invites {
    /// Only this one (by its token's hash): `obhod group invite`'s own listener.
    One([u8; 32]),
    /// Any the store holds: the daemon, which holds no token.
    Any,
}

/// The organiser's group authority and this device's membership, from its store.
pub fn organiser(campaign: &Campaign) -> Result<(GroupCa, Identity), SyncError> {
    Ok((group_ca(campaign)?, Identity::of(campaign)?))
}

fn group_ca(campaign: &Campaign) -> Result<GroupCa, SyncError> {
    campaign.membership()?.ok_or(SyncError::NoGroup)?;
    let ca = campaign.group_authority()?.ok_or(SyncError::NotOrganiser)?;
    Ok(GroupCa::from_pem(&ca)?)
}

/// An endpoint that lets a device without a certificate in, to prove an invite's token.
pub fn inviting_endpoint(addr: SocketAddr, identity: &Identity) -> Result<Endpoint, SyncError> {
    let crypto = tls::joining_server_crypto(&identity.member, &identity.revocations).map_err(NetError::from)?;
    Ok(net::endpoint(addr, Some(net::server_config(crypto)?))?)
}

/// Serves joiners on `endpoint`, a few at once, until one device has joined with `token`; a
/// refused or stalled attempt does not end it nor hold the others up. The store at `store` must
/// be the organiser's.
pub async fn admit(endpoint: &Endpoint, store: &Path, token: Token) -> Result<Joined, SyncError> {
    admit_with(endpoint, store, token, None).await
}

/// `admit`, with the group key `authority` opened beforehand when it is sealed.
pub async fn admit_with(
    endpoint: &Endpoint,
    store: &Path,
    token: Token,
    authority: Option<Arc<Authority>>,
) -> Result<Joined, SyncError> {
    let invites = Invites::One(token_hash(&token));
    let mut tries = JoinSet::new();
    loop {
        tokio::select! {
            incoming = endpoint.accept() => {
                let incoming = incoming.ok_or(SyncError::NoAddress)?;
                if tries.len() >= MAX_JOINERS {
                    tracing::warn!(from = %incoming.remote_address(), "too many joiners at once: refused");
                    incoming.refuse();
                    continue;
                }
                let store = store.to_path_buf();
                let authority = authority.clone();
                tries.spawn(async move {
                    let from = incoming.remote_address();
                    let opened = |store: &Path| {
                        let mut campaign = Campaign::open(store)?;
                        authority.map_or(Ok(()), |authority| campaign.use_authority(&authority)).map(|()| campaign)
                    };
                    let result = match incoming.await {
                        Ok(connection) => match opened(&store) {
                            Ok(mut campaign) => admit_one(&connection, &mut campaign, invites, false).await,
                            Err(error) => Err(error.into()),
                        },
                        Err(error) => Err(NetError::from(error).into()),
                    };
                    (from, result)
                });
            }
            Some(tried) = tries.join_next() => match tried {
                Ok((_, Ok(joined))) => return Ok(joined),
                Ok((from, Err(error))) if link::said_goodbye(&error) => tracing::debug!(%from, "a joiner left"),
                Ok((from, Err(error))) => tracing::warn!(%from, %error, "join refused"),
                Err(error) => tracing::warn!(%error, "a join attempt ended"),
            },
        }
    }
}

/// Admits the device without a certificate on `connection` if it proves one of `invites` that is
/// still valid: sends the campaign, then uses the invite up (so that a join that fails midway
/// leaves it for another try), signs the device's certificate and records the member. Refuses, telling the device why, on a device that holds no group key.
/// Anything but a join request (a sync message, a hello, nothing at all) closes the connection
/// with a protocol error. `lasting`: this is the daemon, whose address the joiner may keep.
pub async fn admit_one(
    connection: &Connection,
    store: &mut (impl Access + Send),
    invites: Invites,
    lasting: bool,
) -> Result<Joined, SyncError> {
    let ca = match store.with(|campaign| group_ca(campaign)) {
        Ok(ca) => ca,
        Err(SyncError::NotOrganiser) => return Err(refuse(connection, Refusal::NotOrganiser)),
        Err(SyncError::Store(StoreError::KeySealed)) => return Err(refuse(connection, Refusal::KeySealed)),
        Err(error) => return Err(error),
    };
    let (mut channel, request) = match tokio::time::timeout(REQUEST_TIMEOUT, request(connection)).await {
        Ok(request) => request?,
        Err(_) => {
            connection.close(net::PROTOCOL_ERROR, b"no join request");
            return Err(SyncError::Protocol("no join request in time".into()));
        }
    };
    let public_key = hex::decode(&request.public_key).map_err(|_| bad(&channel, "a public key not in hex"))?;
    let proof = hex::decode(&request.proof).map_err(|_| bad(&channel, "a proof not in hex"))?;
    let exported = net::exported_secret(connection)?;
    let hashes = match invites {
        Invites::One(hash) => vec![hash],
        Invites::Any => store.with(|campaign| campaign.invite_hashes())?,
    };
    let Some(hash) = hashes.into_iter().find(|hash| verify_proof_by_hash(hash, &exported, &public_key, &proof)) else {
        return Err(refuse(connection, Refusal::InviteUnknown));
    };
    if store.with(|campaign| campaign.invite_used(hash))?.is_some() {
        return Err(refuse(connection, Refusal::InviteUsed));
    }
    let (membership, inviter, document, heads) = store.with(|campaign| {
        let membership = campaign.membership()?.ok_or(SyncError::NoGroup)?;
        let inviter = Inviter { device: campaign.device().into(), name: membership.device_name.clone() };
        Ok::<_, SyncError>((membership, inviter, campaign.document(), campaign.heads()))
    })?;
    let offer = Offer {
        group: membership.group,
        group_name: membership.group_name,
        ca_cert: hex::encode(ca.cert_der()),
        inviter: Some(inviter),
        lasting,
    };
    send_json(&mut channel, &offer).await?;
    channel.send(&document).await?;
    let Device { device } = json(&mut channel).await?;
    match store.with(|campaign| campaign.take_invite(hash))? {
        InviteCheck::Valid => {}
        InviteCheck::Used => return Err(refuse(connection, Refusal::InviteUsed)),
        InviteCheck::Expired => return Err(refuse(connection, Refusal::InviteExpired)),
        InviteCheck::Unknown => return Err(refuse(connection, Refusal::InviteUnknown)),
    }
    let cert = ca.sign_member(&device, &request.name, &public_key)?;
    // The key recorded is the one the certificate issued here certifies, never one the device claims.
    let serial = hex::encode(member_serial(&cert)?);
    let record = MemberRecord::new(&device, &request.name, &serial, &cert, Local::now().fixed_offset());
    let changes = store.with(|campaign| {
        campaign.add_member(&record)?;
        Ok::<_, SyncError>(campaign.changes_since(&heads))
    })?;
    send_json(&mut channel, &Certificate { cert: hex::encode(cert), changes: hex::encode(changes) }).await?;
    channel.finish();
    let _ = tokio::time::timeout(Duration::from_secs(5), connection.closed()).await;
    Ok(Joined { device, name: request.name })
}

/// The joiner's request: the first frame of the stream it opens.
async fn request(connection: &Connection) -> Result<(Channel, Request), SyncError> {
    let mut channel = Channel::accept(connection).await?;
    let bytes = channel.recv_short(MAX_REQUEST).await?;
    let bytes = bytes.ok_or_else(|| SyncError::Protocol("the peer ended the stream".into()))?;
    let request = serde_json::from_slice(&bytes).map_err(|error| bad(&channel, &error.to_string()))?;
    Ok((channel, request))
}

/// Joins the group of `invite` as `name` through the first address that admits it: the `peers`
/// given, then the invite's own (those on this device's networks first), each dialled
/// [`STAGGER`] after the one before while that one has not answered. The new store is written at
/// `store` only once the membership is complete; a daemon that admitted it is remembered as the
/// inviter's address. When no address admits it, says what happened at each.
pub async fn join(invite: &Invite, peers: &[SocketAddr], store: &Path, name: &str) -> Result<Campaign, SyncError> {
    if store.exists() {
        return Err(obhod_store::StoreError::CampaignExists { path: store.into() }.into());
    }
    let key = DeviceKey::generate()?;
    let endpoint = net::endpoint(any_address(), None)?;
    let crypto = tls::pinned_client_crypto(invite.ca, None).map_err(NetError::from)?;
    let config = net::client_config(crypto)?;
    let order = dial_order(peers, &invite.addresses, &local_networks());
    if order.is_empty() {
        return Err(SyncError::NoPeers);
    }
    let mut dials = JoinSet::new();
    for (i, addr) in order.iter().copied().enumerate() {
        let (endpoint, config) = (endpoint.clone(), config.clone());
        dials.spawn(async move {
            tokio::time::sleep(STAGGER * i as u32).await;
            (addr, link::reach(&endpoint, addr, config).await)
        });
    }
    let partial = partial_path(store);
    let mut attempts = Vec::new();
    while let Some(dialled) = dials.join_next().await {
        let (addr, dialled) = dialled.expect("a dial does not panic");
        let joined = match dialled {
            Ok(connection) => match handshake(&connection, invite, &key, name, &partial).await {
                Ok(joined) => Ok((connection, joined)),
                Err(error) => {
                    remove_store(&partial);
                    Err(error)
                }
            },
            Err(error) => Err(error),
        };
        match joined {
            Ok((connection, (membership, inviter))) => {
                dials.abort_all();
                connection.close(DONE.into(), b"joined");
                endpoint.wait_idle().await;
                move_store(&partial, store)?;
                let mut campaign = Campaign::open(store)?;
                campaign.set_membership(&membership)?;
                if let Some(inviter) = inviter {
                    remember(&mut campaign, &inviter, addr);
                }
                return Ok(campaign);
            }
            Err(error) => {
                tracing::info!(%addr, %error, "not joined here");
                attempts.push(Attempt { address: addr, error });
            }
        }
    }
    attempts.sort_by_key(|attempt| order.iter().position(|a| *a == attempt.address));
    Err(SyncError::Attempts(attempts))
}

/// Remembers the daemon that admitted this device, so that `obhod sync` finds it without an address.
fn remember(campaign: &mut Campaign, inviter: &Inviter, addr: SocketAddr) {
    if let Err(error) = campaign.peer_seen(&inviter.device, &inviter.name, Some(&addr.to_string())) {
        tracing::warn!(error = error.code(), "the inviter's address not remembered");
    }
}

async fn handshake(
    connection: &Connection,
    invite: &Invite,
    key: &DeviceKey,
    name: &str,
    partial: &Path,
) -> Result<(Membership, Option<Inviter>), SyncError> {
    let mut channel = Channel::open(connection).await?;
    let public_key = key.public_key_der();
    let proof = token_proof(&invite.token, &net::exported_secret(connection)?, &public_key);
    let request = Request { name: name.into(), public_key: hex::encode(&public_key), proof: hex::encode(proof) };
    send_json(&mut channel, &request).await?;
    let offer: Offer = json(&mut channel).await?;
    let ca_cert = hex::decode(&offer.ca_cert).map_err(|_| bad(&channel, "a CA certificate not in hex"))?;
    if offer.group != invite.group_id || Fingerprint::of(&ca_cert) != invite.ca {
        return Err(bad(&channel, "another group than the invite's"));
    }
    let document = channel.recv().await?.ok_or_else(|| bad(&channel, "no campaign"))?;
    let device = {
        let campaign = Campaign::from_document(partial, &document, Some(ca_cert.as_slice()))?;
        campaign.device().to_string()
    };
    send_json(&mut channel, &Device { device }).await?;
    let Certificate { cert, changes } = json(&mut channel).await?;
    let cert = hex::decode(cert).map_err(|_| bad(&channel, "a certificate not in hex"))?;
    let changes = hex::decode(changes).map_err(|_| bad(&channel, "changes not in hex"))?;
    Campaign::open(partial)?.receive_changes(&changes)?;
    let member = Member::new(ca_cert, cert, DeviceKey::from_pem(&key.to_pem())?)?;
    let membership = Membership {
        group: offer.group,
        group_name: offer.group_name,
        device_name: name.into(),
        member_pem: member.to_pem(),
        ca_pem: None,
    };
    Ok((membership, offer.inviter.filter(|_| offer.lasting)))
}

/// The order to dial in: the addresses given first, as given; then the invite's, those on a
/// network this device is on before the others (a laptop's other interfaces, a container bridge,
/// are seldom reachable from a phone); each address once.
pub fn dial_order(given: &[SocketAddr], invited: &[SocketAddr], networks: &[(IpAddr, IpAddr)]) -> Vec<SocketAddr> {
    let near = |addr: &SocketAddr| networks.iter().any(|(ip, mask)| same_network(addr.ip(), *ip, *mask));
    let (mut ours, others): (Vec<SocketAddr>, Vec<SocketAddr>) = invited.iter().partition(|a| near(a));
    ours.extend(others);
    let mut order: Vec<SocketAddr> = Vec::new();
    for addr in given.iter().chain(&ours) {
        if !order.contains(addr) {
            order.push(*addr);
        }
    }
    order
}

fn same_network(ip: IpAddr, network: IpAddr, mask: IpAddr) -> bool {
    match (ip, network, mask) {
        (IpAddr::V4(ip), IpAddr::V4(net), IpAddr::V4(mask)) => {
            let mask = u32::from(mask);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(net), IpAddr::V6(mask)) => {
            let mask = u128::from(mask);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// This device's addresses with their netmasks.
fn local_networks() -> Vec<(IpAddr, IpAddr)> {
    let interfaces = if_addrs::get_if_addrs().unwrap_or_default();
    interfaces
        .into_iter()
        .map(|interface| match interface.addr {
            if_addrs::IfAddr::V4(v4) => (IpAddr::V4(v4.ip), IpAddr::V4(v4.netmask)),
            if_addrs::IfAddr::V6(v6) => (IpAddr::V6(v6.ip), IpAddr::V6(v6.netmask)),
        })
        .collect()
}

/// An address to dial from: IPv4 and IPv6 on a dual-stack socket where the system has one.
pub fn any_address() -> SocketAddr {
    match std::net::UdpSocket::bind("[::]:0") {
        Ok(_) => "[::]:0".parse().expect("an address"),
        Err(_) => "0.0.0.0:0".parse().expect("an address"),
    }
}

/// Where a device listening on `bound` can be reached: the bound address itself when it is a
/// specific one, else every non-loopback address of this device with the bound port.
pub fn reachable_at(bound: SocketAddr) -> Vec<SocketAddr> {
    if !bound.ip().is_unspecified() {
        return vec![bound];
    }
    let interfaces = if_addrs::get_if_addrs().unwrap_or_default();
    let ips = interfaces.into_iter().filter(|i| !i.is_loopback()).map(|i| i.ip());
    // A link-local IPv6 address is useless without its interface, which an invite cannot carry.
    let link_local =
        |ip: &std::net::IpAddr| matches!(ip, std::net::IpAddr::V6(v6) if v6.segments()[0] & 0xffc0 == 0xfe80);
    let ips = ips.filter(|ip| (bound.is_ipv6() || ip.is_ipv4()) && !link_local(ip));
    let mut addrs: Vec<SocketAddr> = ips.map(|ip| SocketAddr::new(ip, bound.port())).collect();
    addrs.sort_by_key(|a| a.is_ipv6());
    addrs.dedup();
    addrs.truncate(16);
    addrs
}

fn partial_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(".joining");
    PathBuf::from(name)
}

fn move_store(from: &Path, to: &Path) -> Result<(), SyncError> {
    for suffix in ["-wal", "-shm", ""] {
        let (mut a, mut b) = (from.as_os_str().to_owned(), to.as_os_str().to_owned());
        a.push(suffix);
        b.push(suffix);
        match std::fs::rename(&a, &b) {
            Err(error) if suffix.is_empty() || error.kind() != std::io::ErrorKind::NotFound => {
                return Err(SyncError::Net(NetError::Io(error)));
            }
            _ => {}
        }
    }
    Ok(())
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn bad(channel: &Channel, why: &str) -> SyncError {
    crate::session::broken(channel, why.into())
}

async fn send_json(channel: &mut Channel, value: &impl Serialize) -> Result<(), SyncError> {
    Ok(channel.send(&serde_json::to_vec(value).expect("plain values serialize")).await?)
}

async fn json<T: DeserializeOwned>(channel: &mut Channel) -> Result<T, SyncError> {
    let bytes = channel.recv().await?.ok_or_else(|| SyncError::Protocol("the peer ended the stream".into()))?;
    serde_json::from_slice(&bytes).map_err(|error| bad(channel, &error.to_string()))
}
