//! QUIC between the group's devices on 127.0.0.1, every step bounded in time: members talk, a device
//! of another group or a wrong pinned CA is refused, and a broken frame closes the connection.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use obhod_syncd::cert::{GroupCa, Member, member_serial};
use obhod_syncd::frame::FrameError;
use obhod_syncd::net::{self, Channel, NetError, PROTOCOL_ERROR};
use obhod_syncd::tls;
use quinn::{ConnectionError, Endpoint};

const LIMIT: Duration = Duration::from_secs(20);

fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

fn listen(member: &Member) -> (Endpoint, SocketAddr) {
    listen_revoking(member, &[])
}

fn listen_revoking(member: &Member, revocations: &[Vec<u8>]) -> (Endpoint, SocketAddr) {
    let crypto = tls::server_crypto(member, revocations).unwrap();
    let endpoint = net::endpoint(localhost(), Some(net::server_config(crypto).unwrap())).unwrap();
    let addr = endpoint.local_addr().unwrap();
    (endpoint, addr)
}

async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future).await.expect("the step finished in time")
}

/// Accepts one connection, answers one frame with `reply`, and says who called.
async fn answer_once(endpoint: Endpoint, reply: &'static [u8]) -> Result<(String, Vec<u8>), NetError> {
    let connection = endpoint.accept().await.expect("an incoming connection").await?;
    let caller = net::peer_info(&connection)?.device_id;
    let mut channel = Channel::accept(&connection).await?;
    let got = channel.recv().await?.expect("a frame");
    channel.send(reply).await?;
    channel.finish();
    connection.closed().await;
    Ok((caller, got))
}

async fn call(member: &Member, crypto: rustls::ClientConfig, addr: SocketAddr) -> Result<(String, Vec<u8>), NetError> {
    let client = net::endpoint(localhost(), None)?;
    let connection = net::connect(&client, addr, net::client_config(crypto)?).await?;
    let callee = net::peer_info(&connection)?.device_id;
    let mut channel = Channel::open(&connection).await?;
    channel.send(format!("hello from {}", member.info().name).as_bytes()).await?;
    let reply = channel.recv().await?.expect("a reply");
    connection.close(0u32.into(), b"done");
    client.wait_idle().await;
    Ok((callee, reply))
}

#[tokio::test]
async fn two_members_of_a_group_exchange_frames_both_ways() {
    let ca = GroupCa::create("G1").unwrap();
    let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let (endpoint, addr) = listen(&a);
    let server = tokio::spawn(answer_once(endpoint, b"hello from phone"));
    let (callee, reply) = bounded(call(&b, tls::client_crypto(&b, &[]).unwrap(), addr)).await.unwrap();
    assert_eq!((callee.as_str(), reply.as_slice()), ("A", &b"hello from phone"[..]));
    let (caller, got) = bounded(server).await.unwrap().unwrap();
    assert_eq!((caller.as_str(), got.as_slice()), ("B", &b"hello from laptop"[..]));
}

#[tokio::test]
async fn a_device_pinning_the_right_ca_gets_through() {
    let ca = GroupCa::create("G1").unwrap();
    let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let (endpoint, addr) = listen(&a);
    let server = tokio::spawn(answer_once(endpoint, b"ok"));
    let crypto = tls::pinned_client_crypto(ca.fingerprint(), Some(&b)).unwrap();
    let (callee, _) = bounded(call(&b, crypto, addr)).await.unwrap();
    assert_eq!(callee, "A");
    bounded(server).await.unwrap().unwrap();
}

#[tokio::test]
async fn a_device_of_another_group_is_refused_by_the_server() {
    let ours = GroupCa::create("G1").unwrap();
    let theirs = GroupCa::create("G2").unwrap();
    let a = ours.issue("A", "phone").unwrap();
    let stranger = theirs.issue("X", "stranger").unwrap();
    let (endpoint, addr) = listen(&a);
    let server = tokio::spawn(answer_once(endpoint, b"secret"));
    // The stranger knows our CA's fingerprint, so only the server's check of its certificate stops it.
    let crypto = tls::pinned_client_crypto(ours.fingerprint(), Some(&stranger)).unwrap();
    let client = bounded(call(&stranger, crypto, addr)).await;
    assert!(client.is_err(), "the stranger got {client:?}");
    let refused = bounded(server).await.unwrap().unwrap_err();
    let NetError::Connection(ConnectionError::TransportError(error)) = refused else {
        panic!("expected a handshake refusal, got {refused:?}");
    };
    assert!(error.to_string().contains("UnknownIssuer"), "{error}");
}

#[tokio::test]
async fn a_member_refuses_a_server_of_another_group() {
    let ours = GroupCa::create("G1").unwrap();
    let theirs = GroupCa::create("G2").unwrap();
    let (imposter, b) = (theirs.issue("Z", "imposter").unwrap(), ours.issue("B", "laptop").unwrap());
    let (endpoint, addr) = listen(&imposter);
    let _server = tokio::spawn(answer_once(endpoint, b"trust me"));
    let refused = bounded(call(&b, tls::client_crypto(&b, &[]).unwrap(), addr)).await.unwrap_err();
    assert_local_refusal(refused, "UnknownIssuer");
}

#[tokio::test]
async fn a_client_pinning_a_wrong_ca_fingerprint_refuses_the_server() {
    let ca = GroupCa::create("G1").unwrap();
    let other = GroupCa::create("G1").unwrap();
    let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let (endpoint, addr) = listen(&a);
    let _server = tokio::spawn(answer_once(endpoint, b"never"));
    let crypto = tls::pinned_client_crypto(other.fingerprint(), Some(&b)).unwrap();
    let refused = bounded(call(&b, crypto, addr)).await.unwrap_err();
    assert_local_refusal(refused, "UnknownIssuer");
}

fn assert_local_refusal(refused: NetError, why: &str) {
    let NetError::Connection(ConnectionError::TransportError(error)) = refused else {
        panic!("expected the client to refuse the handshake, got {refused:?}");
    };
    assert!(error.to_string().contains(why), "{error}");
}

#[tokio::test]
async fn an_oversize_frame_closes_the_connection() {
    let ca = GroupCa::create("G1").unwrap();
    let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let (endpoint, addr) = listen(&a);
    let server = tokio::spawn(async move {
        let connection = endpoint.accept().await.unwrap().await.unwrap();
        let mut channel = Channel::accept(&connection).await.unwrap();
        channel.recv().await
    });
    let client = net::endpoint(localhost(), None).unwrap();
    let config = net::client_config(tls::client_crypto(&b, &[]).unwrap()).unwrap();
    let connection = bounded(net::connect(&client, addr, config)).await.unwrap();
    let (mut send, _recv) = connection.open_bi().await.unwrap();
    send.write_all(&u32::MAX.to_be_bytes()).await.unwrap();
    let refused = bounded(server).await.unwrap().unwrap_err();
    assert!(matches!(refused, NetError::Frame(FrameError::TooLong { len: 4_294_967_295, .. })), "{refused:?}");
    let closed = bounded(connection.closed()).await;
    assert!(
        matches!(&closed, ConnectionError::ApplicationClosed(close) if close.error_code == PROTOCOL_ERROR),
        "{closed:?}"
    );
}

#[tokio::test]
async fn a_revoked_device_is_refused_and_the_others_still_get_through() {
    let ca = GroupCa::create("G1").unwrap();
    let [a, lost, c] = ["A", "LOST", "C"].map(|id| ca.issue(id, "phone").unwrap());
    let revocations = [ca.revocation_list(1, &[member_serial(lost.cert_der()).unwrap()], SystemTime::now()).unwrap()];
    let (endpoint, addr) = listen_revoking(&a, &revocations);
    let server = tokio::spawn(async move {
        let refused = endpoint.accept().await.unwrap().await.unwrap_err();
        (refused, answer_once(endpoint, b"welcome").await)
    });
    let shut_out = bounded(call(&lost, tls::client_crypto(&lost, &[]).unwrap(), addr)).await;
    assert!(shut_out.is_err(), "the lost phone got {shut_out:?}");
    let (callee, _) = bounded(call(&c, tls::client_crypto(&c, &revocations).unwrap(), addr)).await.unwrap();
    assert_eq!(callee, "A");
    let (refused, answered) = bounded(server).await.unwrap();
    assert!(refused.to_string().contains("Revoked"), "{refused}");
    assert_eq!(answered.unwrap().0, "C");
}

#[tokio::test]
async fn a_member_refuses_a_revoked_server() {
    let ca = GroupCa::create("G1").unwrap();
    let (lost, b) = (ca.issue("LOST", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
    let revocations = [ca.revocation_list(1, &[member_serial(lost.cert_der()).unwrap()], SystemTime::now()).unwrap()];
    let (endpoint, addr) = listen(&lost);
    let _server = tokio::spawn(answer_once(endpoint, b"stale"));
    let refused = bounded(call(&b, tls::client_crypto(&b, &revocations).unwrap(), addr)).await.unwrap_err();
    assert_local_refusal(refused, "Revoked");
}
