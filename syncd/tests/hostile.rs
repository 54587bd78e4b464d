//! A hostile member (and a stranger) against a real daemon and store over 127.0.0.1, built on the
//! same libraries: endless hellos, a peer that stops midway, too many connections, a message far
//! over one frame, a revocation list that does not verify, a device revoked a moment ago. After
//! each, the daemon is still up and honest devices still sync. Every step is bounded in time.

mod support;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use chrono::Local;

use obhod_core::Outcome;
use obhod_store::{Mark, Revocations};
use obhod_syncd::cert::{DeviceKey, GroupCa};
use obhod_syncd::frame::{self, MAX_MESSAGE};
use obhod_syncd::invite::{Invite, token_proof};
use obhod_syncd::join;
use obhod_syncd::link::dial;
use obhod_syncd::net::{self, Channel, NetError, PROTOCOL_ERROR, TIMED_OUT};
use obhod_syncd::proto::HELLO_LABEL;
use obhod_syncd::{Frame, Hello, Identity, Refusal, Role, SyncError, greet, sync_once, tls};
use quinn::{ConnectionError, VarInt};
use support::{Group, Running, bounded};

fn client() -> quinn::Endpoint {
    net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap()
}

/// One round from device `i` to `to`.
async fn once(group: &Group, i: usize, to: SocketAddr) -> Result<obhod_syncd::PeerRound, SyncError> {
    let mut campaign = group.open(i);
    let endpoint = client();
    let result = bounded(sync_once(&endpoint, to, &group.identity(i), &mut campaign)).await;
    endpoint.close(0u32.into(), b"done");
    result
}

fn framed(payload: &[u8]) -> Vec<u8> {
    [&(payload.len() as u32).to_be_bytes()[..], payload].concat()
}

/// Dials as a member, reads the daemon's hello and, when `hello`, answers with a valid one; then
/// writes `bytes` and leaves the stream open. Returns how the daemon closed the connection.
/// `Err`: the daemon refused the connection before its TLS handshake.
async fn send_after_hello(
    endpoint: quinn::Endpoint,
    to: SocketAddr,
    identity: Arc<Identity>,
    campaign: String,
    hello: bool,
    bytes: Vec<u8>,
) -> Result<ConnectionError, SyncError> {
    let connection = dial(&endpoint, to, &identity).await?;
    let (mut send, mut recv) = match connection.accept_bi().await {
        Ok(streams) => streams,
        Err(closed) => return Ok(closed),
    };
    let mut len = [0; 4];
    recv.read_exact(&mut len).await.unwrap();
    let mut theirs = vec![0; u32::from_be_bytes(len) as usize];
    recv.read_exact(&mut theirs).await.unwrap();
    let mut ours = Vec::new();
    if hello {
        let exported = net::exported(&connection, HELLO_LABEL).unwrap();
        let hello = Hello::signed(&identity.member, &campaign, 0, Role::Dialer, &exported).unwrap();
        ours = framed(&Frame::Hello(hello).encode());
    }
    // In one write, as an honest dialler's hello and first message often arrive.
    let _ = send.write_all(&[ours, bytes].concat()).await;
    Ok(connection.closed().await)
}

fn code(closed: &ConnectionError) -> Option<VarInt> {
    match closed {
        ConnectionError::ApplicationClosed(close) => Some(close.error_code),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_hellos_are_refused_from_their_length_and_honest_devices_still_sync() {
    let group = Group::new(3);
    group.open(0).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let campaign = group.open(0).id().to_string();
    let daemon = Running::start(&group.paths[0], vec![]);
    let hostile = Arc::new(group.identity(1));
    let endpoint = client();
    // A 15 MB hello that never ends, on 20 connections at once.
    let endless = [&15_000_000u32.to_be_bytes()[..], &[b'{'; 60_000]].concat();
    let attacks = (0..20).map(|_| {
        send_after_hello(endpoint.clone(), daemon.addr, hostile.clone(), campaign.clone(), false, endless.clone())
    });
    let closed = bounded(futures_join_all(attacks.collect())).await;
    let count = |wanted: Option<VarInt>| closed.iter().filter(|c| c.as_ref().ok().map(code) == Some(wanted)).count();
    let (protocol, busy) = (count(Some(PROTOCOL_ERROR)), count(Some(Refusal::Busy.code())));
    let refused = closed.iter().filter(|c| c.is_err()).count();
    assert_eq!(protocol + busy + refused, 20, "{closed:?}");
    assert!(protocol >= 1, "{closed:?}");
    assert_eq!(frame::joining(), 0, "nothing is held for messages being joined");
    assert_eq!(once(&group, 2, daemon.addr).await.unwrap().round.facts_received, 1);
    daemon.stop().await;
}

/// Runs the futures at once and gathers their outputs.
async fn futures_join_all<T: Send + 'static>(futures: Vec<impl Future<Output = T> + Send + 'static>) -> Vec<T> {
    let mut set = tokio::task::JoinSet::new();
    for (i, future) in futures.into_iter().enumerate() {
        set.spawn(async move { (i, future.await) });
    }
    let mut out: Vec<(usize, T)> = Vec::new();
    while let Some(done) = set.join_next().await {
        out.push(done.unwrap());
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, t)| t).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hello_followed_at_once_by_a_long_message_is_no_long_hello() {
    let group = Group::new(2);
    let campaign = group.open(0).id().to_string();
    let daemon = Running::start(&group.paths[0], vec![]);
    let long = framed(&Frame::Sync(vec![7; 100_000]).encode());
    let member = Arc::new(group.identity(1));
    let closed = bounded(send_after_hello(client(), daemon.addr, member, campaign, true, long)).await;
    // The hello is taken; the message after it is the store's to refuse (it is no sync message).
    assert_eq!(code(&closed.unwrap()), Some(Refusal::MessageRefused.code()));
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_that_stops_midway_is_dropped_and_honest_devices_still_sync() {
    let group = Group::new(3);
    let campaign = group.open(0).id().to_string();
    let daemon = Running::start(&group.paths[0], vec![]);
    // After a good hello, the first 10 bytes of a 1000-byte message, then silence.
    let stalled = [&1000u32.to_be_bytes()[..], &[2; 10]].concat();
    let hostile = Arc::new(group.identity(1));
    let closed =
        bounded(send_after_hello(client(), daemon.addr, hostile.clone(), campaign.clone(), true, stalled)).await;
    assert_eq!(code(&closed.unwrap()), Some(TIMED_OUT));
    // A hello that never comes.
    let closed = bounded(send_after_hello(client(), daemon.addr, hostile, campaign, false, Vec::new())).await;
    assert_eq!(code(&closed.unwrap()), Some(TIMED_OUT));
    once(&group, 2, daemon.addr).await.unwrap();
    daemon.stop().await;
}

/// Greets as the accepting side, then vanishes for the dialler: its connection stays up, but it
/// never answers again.
async fn silent_peer(group: &Group, i: usize) -> (quinn::Endpoint, SocketAddr, tokio::task::JoinHandle<()>) {
    let identity = group.identity(i);
    let campaign = group.open(i).id().to_string();
    let crypto = tls::server_crypto(&identity.member, &[]).unwrap();
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), Some(net::server_config(crypto).unwrap())).unwrap();
    let addr = endpoint.local_addr().unwrap();
    let accepting = endpoint.clone();
    let task = tokio::spawn(async move {
        let connection = accepting.accept().await.unwrap().await.unwrap();
        let _greeted = greet(&connection, &identity, &campaign, Role::Acceptor).await.unwrap();
        std::future::pending::<()>().await;
    });
    (endpoint, addr, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_against_a_peer_that_vanished_midway_returns_within_fifteen_seconds() {
    let group = Group::new(2);
    group.open(1).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let (_endpoint, addr, task) = silent_peer(&group, 0).await;
    let mut campaign = group.open(1);
    let endpoint = client();
    let identity = group.identity(1);
    let answered = tokio::time::timeout(Duration::from_secs(15), sync_once(&endpoint, addr, &identity, &mut campaign));
    let error = answered.await.expect("obhod sync answers within 15 s").unwrap_err();
    assert!(matches!(error, SyncError::Net(NetError::TimedOut(_))), "{error:?}");
    assert_eq!(error.code(), "timed_out");
    task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_far_over_one_frame_crosses_in_pieces() {
    let ca = GroupCa::create("G").unwrap();
    let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let crypto = tls::server_crypto(&a, &[]).unwrap();
    let server = net::endpoint("127.0.0.1:0".parse().unwrap(), Some(net::server_config(crypto).unwrap())).unwrap();
    let addr = server.local_addr().unwrap();
    // 40 MiB: more than the old 16 MiB cap on one message, and ten times a frame.
    let message: Vec<u8> = (0..40 * 1024 * 1024).map(|i: usize| (i % 251) as u8).collect();
    let sent = message.clone();
    let receiving = tokio::spawn(async move {
        let connection = server.accept().await.unwrap().await.unwrap();
        let mut channel = Channel::accept(&connection).await.unwrap();
        let got = channel.recv().await.unwrap().unwrap();
        channel.send(b"thanks").await.unwrap();
        channel.finish();
        connection.closed().await;
        got
    });
    let endpoint = client();
    let crypto = tls::client_crypto(&b, &[]).unwrap();
    let connection = bounded(net::connect(&endpoint, addr, net::client_config(crypto).unwrap())).await.unwrap();
    let mut channel = Channel::open(&connection).await.unwrap();
    bounded(channel.send(&sent)).await.unwrap();
    assert_eq!(bounded(channel.recv()).await.unwrap().as_deref(), Some(&b"thanks"[..]));
    connection.close(0u32.into(), b"done");
    let got = bounded(receiving).await.unwrap();
    assert!(got == message, "the message came back whole ({} of {} bytes)", got.len(), message.len());
    assert!(MAX_MESSAGE > got.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_list_that_does_not_verify_is_refused_and_the_daemon_runs_on() {
    let group = Group::new(3);
    group.open(2).mark(Mark::new("1", Outcome::Absent)).unwrap();
    // Device 1 is shut out in the group's record, with a list the group's CA never signed.
    let stranger = GroupCa::create("G").unwrap();
    let lost = group.open(1).device().to_string();
    let forged = stranger.revocation_list(1, &[vec![1]], std::time::SystemTime::now()).unwrap();
    group.open(0).revoke(&lost, &Revocations { number: 1, der: forged }).unwrap();
    let identity = Identity::of(&group.open(0)).unwrap();
    assert_eq!((identity.refused_list, identity.revocation_number), (Some(1), 0));
    let daemon = Running::start(&group.paths[0], vec![]);
    assert_eq!(once(&group, 2, daemon.addr).await.unwrap().round.facts_sent, 1);
    // Another, not even a list, arrives while it runs: refused too, and the daemon goes on.
    let mut organiser = group.open(0);
    let record = organiser.members().into_iter().find(|m| m.device == group.open(2).device()).unwrap();
    organiser.revoke(&record.device, &Revocations { number: 2, der: b"not a list".to_vec() }).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let refused = once(&group, 1, daemon.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedByPeer(Refusal::Revoked)), "{refused:?}");
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_revoked_a_moment_ago_is_refused_before_the_daemon_looks() {
    let group = Group::new(2);
    group.open(1).mark(Mark::new("1", Outcome::Absent)).unwrap();
    // The daemon looks at its store only every minute: the record is read again on each connection.
    let daemon = Running::polling(&group.paths[0], vec![], Duration::from_secs(60));
    once(&group, 1, daemon.addr).await.unwrap();
    group.open(1).mark(Mark::new("2", Outcome::Absent)).unwrap();
    group.revoke(1);
    let refused = once(&group, 1, daemon.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedByPeer(Refusal::Revoked)), "{refused:?}");
    assert_eq!(group.open(0).facts().count(), 1, "nothing of the revoked device's later facts");
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_linked_by_its_daemon_may_also_run_obhod_sync() {
    let group = Group::new(2);
    group.open(1).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let a = Running::start(&group.paths[0], vec![]);
    let b = Running::start(&group.paths[1], vec![a.addr]);
    support::eventually(|| group.open(0).facts().count() == 1).await;
    group.open(1).mark(Mark::new("2", Outcome::Absent)).unwrap();
    let round = once(&group, 1, a.addr).await.unwrap();
    assert_eq!(round.hello.device, group.open(0).device());
    support::eventually(|| group.open(0).facts().count() == 2).await;
    b.stop().await;
    a.stop().await;
}

/// An invite of the group's organiser, valid for ten minutes, and a listener serving it.
fn serve_invite(group: &Group) -> (Invite, tokio::task::JoinHandle<Result<join::Joined, SyncError>>) {
    let mut organiser = group.open(0);
    let identity = Identity::of(&organiser).unwrap();
    let endpoint = join::inviting_endpoint("127.0.0.1:0".parse().unwrap(), &identity).unwrap();
    let addr = endpoint.local_addr().unwrap();
    let invite = Invite::new("G", group.ca.fingerprint(), vec![addr], Duration::from_secs(600), SystemTime::now());
    let invite = invite.unwrap();
    let expires = Local::now().fixed_offset() + chrono::Duration::minutes(10);
    organiser.add_invite(join::token_hash(&invite.token), expires).unwrap();
    let (store, token) = (group.paths[0].clone(), invite.token);
    (invite, tokio::spawn(async move { join::admit(&endpoint, &store, token).await }))
}

/// A connection to the inviter without a certificate, as a joiner makes.
async fn stranger(invite: &Invite) -> quinn::Connection {
    let crypto = tls::pinned_client_crypto(invite.ca, None).unwrap();
    bounded(net::connect(&client(), invite.addresses[0], net::client_config(crypto).unwrap())).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stranger_holding_the_invite_window_keeps_no_device_out() {
    let group = Group::new(1);
    let (invite, inviter) = serve_invite(&group);
    // One connects and says nothing; another proves no token.
    let silent = stranger(&invite).await;
    let guessing = stranger(&invite).await;
    let mut channel = Channel::open(&guessing).await.unwrap();
    let request = serde_json::json!({ "name": "Чужой", "public_key": "00", "proof": "00" });
    channel.send(request.to_string().as_bytes()).await.unwrap();
    // Both are served while the silent one still waits for its request's deadline.
    let within = join::REQUEST_TIMEOUT;
    let closed = tokio::time::timeout(within, guessing.closed()).await.expect("served beside the silent one");
    assert_eq!(code(&closed), Some(Refusal::InviteUnknown.code()));
    let path = group.dir.path().join("joined.db");
    let joining = tokio::time::timeout(within, join::join(&invite, &[], &path, "Телефон"));
    let joined = joining.await.expect("served beside the silent one").unwrap();
    // The silent one held its connection all along: it is dropped only once the inviter is done.
    let held = silent.close_reason();
    assert!(held.as_ref().is_none_or(|closed| code(closed) == Some(0u32.into())), "{held:?}");
    assert_eq!(bounded(inviter).await.unwrap().unwrap().device, joined.device());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_that_breaks_off_after_the_token_check_leaves_the_invite_for_another_try() {
    let group = Group::new(1);
    let (invite, inviter) = serve_invite(&group);
    let hash = join::token_hash(&invite.token);
    // A device that holds the token takes the document, then vanishes before it is admitted.
    let connection = stranger(&invite).await;
    let key = DeviceKey::generate().unwrap();
    let public_key = key.public_key_der();
    let proof = token_proof(&invite.token, &net::exported_secret(&connection).unwrap(), &public_key);
    let request =
        serde_json::json!({ "name": "Ушедший", "public_key": hex::encode(&public_key), "proof": hex::encode(proof) });
    let mut channel = Channel::open(&connection).await.unwrap();
    channel.send(request.to_string().as_bytes()).await.unwrap();
    let _offer = bounded(channel.recv()).await.unwrap().unwrap();
    let document = bounded(channel.recv()).await.unwrap().unwrap();
    assert_eq!(document, group.open(0).document(), "the whole campaign came");
    connection.close(0u32.into(), b"gone");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(group.open(0).invite_used(hash).unwrap(), None, "the invite is still good");
    let path = group.dir.path().join("joined.db");
    let joined = bounded(join::join(&invite, &[], &path, "Телефон")).await.unwrap();
    assert_eq!(bounded(inviter).await.unwrap().unwrap().device, joined.device());
    assert!(group.open(0).invite_used(hash).unwrap().is_some());
    assert_eq!(group.open(0).members().len(), 2, "the organiser and the one device that finished");
}

#[test]
fn a_joiner_whose_clock_is_off_reads_the_invite_and_leaves_expiry_to_the_inviter() {
    let now = SystemTime::now();
    let ca = GroupCa::create("G").unwrap();
    let addr = "127.0.0.1:47474".parse().unwrap();
    let invite = Invite::new("G", ca.fingerprint(), vec![addr], Duration::from_secs(600), now).unwrap();
    let fast = now + Duration::from_secs(15 * 60);
    assert!(Invite::parse(&invite.encode(), fast).is_err(), "the local clock alone would refuse it");
    assert_eq!(Invite::read(&invite.encode()).unwrap(), invite);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_longer_than_a_piece_joins_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d0.db");
    // The meeting file carries a long comment that does not compress: the document outgrows a piece.
    let mut sources = obhod_tests::guide_sources();
    let mut rng = obhod_tests::SplitMix::new(7);
    let noise: String = (0..NOISE / 16).map(|_| format!("{:016x}", rng.next_u64())).collect();
    sources.meeting_text = format!("# {noise}\n{}", sources.meeting_text);
    drop(obhod_store::Campaign::init(&path, sources).unwrap());
    let group = Group { dir, ca: GroupCa::create("G").unwrap(), paths: vec![path] };
    group.admit(&group.paths[0], "device 0", true);
    let document = group.open(0).document();
    assert!(document.len() > frame::PIECE, "the document ({} bytes) goes in pieces", document.len());
    let (invite, inviter) = serve_invite(&group);
    let path = group.dir.path().join("joined.db");
    let joined = bounded(join::join(&invite, &[], &path, "Телефон")).await.unwrap();
    assert_eq!(bounded(inviter).await.unwrap().unwrap().device, joined.device());
    // The whole campaign came, and with the certificate the change that records the new member.
    assert_eq!(joined.heads(), group.open(0).heads(), "the joined device holds what the organiser holds");
    assert_eq!(joined.sources().meeting_text, group.open(0).sources().meeting_text);
}

/// Hex digits of noise: half a byte each once compressed, the document well over one piece.
const NOISE: usize = 3 * 1024 * 1024;
