//! Raw bytes on a real connection to a listening daemon, after a valid TLS handshake with a member's
//! certificate: garbage, a truncated frame and an oversize length close that connection with a
//! protocol error; the daemon goes on serving other devices and its store stays as it was.

mod support;

use std::collections::BTreeSet;
use std::net::SocketAddr;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};
use obhod_syncd::link::dial;
use obhod_syncd::net::{self, PROTOCOL_ERROR};
use obhod_syncd::proto::HELLO_LABEL;
use obhod_syncd::{Frame, Hello, Identity, MAX_FRAME, Role, sync_once};
use quinn::{ConnectionError, SendStream};
use support::{Group, Running, bounded};

/// What the store holds that a half-applied message would change: its facts and its heads.
fn state(path: &std::path::Path) -> (BTreeSet<String>, Vec<automerge::ChangeHash>) {
    let campaign = Campaign::open(path).unwrap();
    (campaign.facts().map(|f| f.id.clone()).collect(), campaign.heads())
}

fn framed(payload: &[u8]) -> Vec<u8> {
    [&(payload.len() as u32).to_be_bytes()[..], payload].concat()
}

/// Dials the daemon as a member, reads its hello and, when `hello`, answers with a valid one of
/// ours; returns the connection and our side of the stream for the raw bytes.
async fn handshake(
    to: SocketAddr,
    identity: &Identity,
    campaign: &str,
    hello: bool,
) -> (quinn::Connection, SendStream) {
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let connection = dial(&endpoint, to, identity).await.unwrap();
    let (mut send, mut recv) = connection.accept_bi().await.unwrap();
    let mut len = [0; 4];
    recv.read_exact(&mut len).await.unwrap();
    let mut theirs = vec![0; u32::from_be_bytes(len) as usize];
    recv.read_exact(&mut theirs).await.unwrap();
    assert!(matches!(Frame::decode(&theirs), Ok(Frame::Hello(_))), "the daemon speaks first");
    if hello {
        let exported = net::exported(&connection, HELLO_LABEL).unwrap();
        let ours = Hello::signed(&identity.member, campaign, 0, Role::Dialer, &exported).unwrap();
        send.write_all(&framed(&Frame::Hello(ours).encode())).await.unwrap();
    }
    (connection, send)
}

/// Sends `bytes` (and ends the stream when `finish`) and returns how the daemon closed the connection.
async fn send_raw(
    to: SocketAddr,
    identity: &Identity,
    campaign: &str,
    hello: bool,
    bytes: &[u8],
    finish: bool,
) -> ConnectionError {
    let (connection, mut send) = handshake(to, identity, campaign, hello).await;
    send.write_all(bytes).await.unwrap();
    if finish {
        send.finish().unwrap();
    }
    connection.closed().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_truncated_and_oversize_frames_close_the_connection_and_change_nothing() {
    let group = Group::new(3);
    group.open(1).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let campaign = group.open(0).id().to_string();
    let daemon = Running::start(&group.paths[0], vec![]);
    let before = state(&group.paths[0]);
    let intruder = group.identity(1);
    let oversize = (MAX_FRAME + 1).to_be_bytes();
    let cases: [(&str, bool, Vec<u8>, bool); 6] = [
        ("garbage instead of a hello", false, framed(b"\xff\x00garbage"), false),
        ("a frame of an unknown kind", true, framed(b"\x09garbage"), false),
        ("garbage in a sync message", true, framed(&Frame::Sync(b"not automerge".to_vec()).encode()), false),
        ("bytes that are no frame at all", true, b"\x00\x00".to_vec(), true),
        ("a truncated frame", true, [&1000u32.to_be_bytes()[..], &[2; 10]].concat(), true),
        ("an oversize length, the stream left open", true, oversize.to_vec(), false),
    ];
    for (what, hello, bytes, finish) in cases {
        let closed = bounded(send_raw(daemon.addr, &intruder, &campaign, hello, &bytes, finish)).await;
        match closed {
            ConnectionError::ApplicationClosed(close) => {
                assert_eq!(close.error_code, expected(what), "{what}: {close:?}")
            }
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(state(&group.paths[0]), before, "{what}: the store changed");
    }

    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let mut other = group.open(2);
    let served = bounded(sync_once(&endpoint, daemon.addr, &group.identity(2), &mut other)).await.unwrap();
    assert_eq!(served.round.facts_received, 0);
    endpoint.wait_idle().await;
    assert_eq!(state(&group.paths[0]), before, "another device is served and nothing arrived");
    daemon.stop().await;
}

/// How the daemon closes a connection for each case: a sync message its store refuses is told as
/// such; anything else is a protocol error.
fn expected(what: &str) -> quinn::VarInt {
    if what.contains("sync message") { obhod_syncd::Refusal::MessageRefused.code() } else { PROTOCOL_ERROR }
}
