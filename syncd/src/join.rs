//! Joining a group by invite. The joiner dials the inviter pinning the CA's fingerprint, proves the
//! token over this TLS session and its own public key; the inviter uses the invite up (once), sends
//! the campaign, learns the new store's device id, signs its certificate and records the member.
//! A refused invite stores nothing on either side.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Local;
use obhod_store::{Campaign, InviteCheck, MemberRecord, Membership};
use quinn::{Connection, Endpoint};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cert::{DeviceKey, Fingerprint, GroupCa, Member, member_serial};
use crate::invite::{Invite, Token, token_proof, verify_token_proof};
use crate::link::{CONNECT_TIMEOUT, DONE};
use crate::net::{self, Channel, NetError};
use crate::session::{Identity, Refusal, SyncError, refuse};
use crate::tls;

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
}

#[derive(Debug, Serialize, Deserialize)]
struct Device {
    device: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Certificate {
    /// Hex.
    cert: String,
}

/// Who joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub device: String,
    pub name: String,
}

/// The SHA-256 of a token: what the store keeps of an invite.
pub fn token_hash(token: &Token) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, &token.0);
    digest.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// The organiser's group authority and this device's membership, from its store.
pub fn organiser(campaign: &Campaign) -> Result<(GroupCa, Identity), SyncError> {
    let membership = campaign.membership()?.ok_or(SyncError::NoGroup)?;
    let ca = membership.ca_pem.as_deref().ok_or(SyncError::NotOrganiser)?;
    Ok((GroupCa::from_pem(ca)?, Identity::of(campaign)?))
}

/// An endpoint that lets a device without a certificate in, to prove an invite's token.
pub fn inviting_endpoint(addr: SocketAddr, identity: &Identity) -> Result<Endpoint, SyncError> {
    let crypto = tls::joining_server_crypto(&identity.member, &identity.revocations).map_err(NetError::from)?;
    Ok(net::endpoint(addr, Some(net::server_config(crypto)?))?)
}

/// Serves joiners on `endpoint` until one device has joined with `token`; a refused attempt does
/// not end it. The store at `store` must be the organiser's.
pub async fn admit(endpoint: &Endpoint, store: &Path, token: Token) -> Result<Joined, SyncError> {
    loop {
        let incoming = endpoint.accept().await.ok_or(SyncError::NoAddress)?;
        let from = incoming.remote_address();
        let result = match incoming.await {
            Ok(connection) => admit_one(&connection, store, &token).await,
            Err(error) => Err(NetError::from(error).into()),
        };
        match result {
            Ok(joined) => return Ok(joined),
            Err(error) => tracing::warn!(%from, %error, "join refused"),
        }
    }
}

async fn admit_one(connection: &Connection, store: &Path, token: &Token) -> Result<Joined, SyncError> {
    let mut campaign = Campaign::open(store)?;
    let (ca, _) = organiser(&campaign)?;
    let mut channel = Channel::accept(connection).await?;
    let request: Request = json(&mut channel).await?;
    let public_key = hex::decode(&request.public_key).map_err(|_| bad(&channel, "a public key not in hex"))?;
    let proof = hex::decode(&request.proof).map_err(|_| bad(&channel, "a proof not in hex"))?;
    let exported = net::exported_secret(connection)?;
    if !verify_token_proof(token, &exported, &public_key, &proof) {
        return Err(refuse(connection, Refusal::InviteUnknown));
    }
    match campaign.take_invite(token_hash(token))? {
        InviteCheck::Valid => {}
        InviteCheck::Used => return Err(refuse(connection, Refusal::InviteUsed)),
        InviteCheck::Expired => return Err(refuse(connection, Refusal::InviteExpired)),
        InviteCheck::Unknown => return Err(refuse(connection, Refusal::InviteUnknown)),
    }
    let membership = campaign.membership()?.ok_or(SyncError::NoGroup)?;
    let offer =
        Offer { group: membership.group, group_name: membership.group_name, ca_cert: hex::encode(ca.cert_der()) };
    send_json(&mut channel, &offer).await?;
    channel.send(&campaign.document()).await?;
    let Device { device } = json(&mut channel).await?;
    let cert = ca.sign_member(&device, &request.name, &public_key)?;
    let record = MemberRecord {
        device: device.clone(),
        name: request.name.clone(),
        serial: hex::encode(member_serial(&cert)?),
        added: Local::now().fixed_offset(),
        revoked: None,
    };
    campaign.add_member(&record)?;
    send_json(&mut channel, &Certificate { cert: hex::encode(cert) }).await?;
    channel.finish();
    let _ = tokio::time::timeout(Duration::from_secs(5), connection.closed()).await;
    Ok(Joined { device, name: request.name })
}

/// Joins the group of `invite` as `name`, dialling `peers` first, then the invite's addresses; the
/// new store is written at `store` only once the membership is complete.
pub async fn join(invite: &Invite, peers: &[SocketAddr], store: &Path, name: &str) -> Result<Campaign, SyncError> {
    if store.exists() {
        return Err(obhod_store::StoreError::CampaignExists { path: store.into() }.into());
    }
    let key = DeviceKey::generate()?;
    let endpoint = net::endpoint(any_address(), None)?;
    let connection = reach(&endpoint, invite, peers).await?;
    let partial = partial_path(store);
    let result = handshake(&connection, invite, &key, name, &partial).await;
    match result {
        Ok(membership) => {
            connection.close(DONE.into(), b"joined");
            endpoint.wait_idle().await;
            move_store(&partial, store)?;
            let mut campaign = Campaign::open(store)?;
            campaign.set_membership(&membership)?;
            Ok(campaign)
        }
        Err(error) => {
            remove_store(&partial);
            Err(error)
        }
    }
}

async fn handshake(
    connection: &Connection,
    invite: &Invite,
    key: &DeviceKey,
    name: &str,
    partial: &Path,
) -> Result<Membership, SyncError> {
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
        let campaign = Campaign::from_document(partial, &document)?;
        campaign.device().to_string()
    };
    send_json(&mut channel, &Device { device }).await?;
    let Certificate { cert } = json(&mut channel).await?;
    let cert = hex::decode(cert).map_err(|_| bad(&channel, "a certificate not in hex"))?;
    let member = Member::new(ca_cert, cert, DeviceKey::from_pem(&key.to_pem())?)?;
    Ok(Membership {
        group: offer.group,
        group_name: offer.group_name,
        device_name: name.into(),
        member_pem: member.to_pem(),
        ca_pem: None,
    })
}

/// The first of `peers`, then of the invite's addresses, that answers.
async fn reach(endpoint: &Endpoint, invite: &Invite, peers: &[SocketAddr]) -> Result<Connection, SyncError> {
    let crypto = tls::pinned_client_crypto(invite.ca, None).map_err(NetError::from)?;
    let config = net::client_config(crypto)?;
    let mut last = None;
    for addr in peers.iter().chain(&invite.addresses) {
        match tokio::time::timeout(CONNECT_TIMEOUT, net::connect(endpoint, *addr, config.clone())).await {
            Ok(Ok(connection)) => return Ok(connection),
            Ok(Err(error)) => last = Some(SyncError::from(error)),
            Err(_) => last = Some(SyncError::Unreachable(*addr)),
        }
    }
    Err(last.unwrap_or(SyncError::NoAddress))
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
