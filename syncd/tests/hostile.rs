//! A member's device that sends garbage to a running daemon on 127.0.0.1: an oversize length, a
//! frame cut short, an unknown message, a sync message that is not one. Each closes the connection
//! with a protocol error; the daemon goes on serving and its store is unchanged.

mod support;

use std::time::Duration;

use obhod_core::Outcome;
use obhod_store::Mark;
use obhod_syncd::link::dial;
use obhod_syncd::net::{self, PROTOCOL_ERROR};
use obhod_syncd::{Identity, Role, greet, sync_once};
use quinn::{Connection, ConnectionError};
use support::{Group, Running, bounded};

fn client() -> quinn::Endpoint {
    net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap()
}

/// Dials as a member and, before any hello of ours, writes `bytes` raw on the daemon's stream.
async fn raw(
    endpoint: &quinn::Endpoint,
    identity: &Identity,
    addr: std::net::SocketAddr,
    bytes: &[u8],
    end: bool,
) -> Connection {
    let connection = bounded(dial(endpoint, addr, identity)).await.unwrap();
    let (mut send, _recv) = bounded(connection.accept_bi()).await.unwrap();
    send.write_all(bytes).await.unwrap();
    if end {
        send.finish().unwrap();
    }
    connection
}

async fn closed_for_protocol(connection: &Connection) {
    let closed = bounded(connection.closed()).await;
    assert!(
        matches!(&closed, ConnectionError::ApplicationClosed(close) if close.error_code == PROTOCOL_ERROR),
        "{closed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_truncated_and_oversize_frames_close_the_connection_and_change_nothing() {
    let group = Group::new(2);
    group.open(0).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let heads = group.open(0).heads();
    let daemon = Running::start(&group.paths[0], vec![]);
    let identity = group.identity(1);
    let endpoint = client();

    let oversize = raw(&endpoint, &identity, daemon.addr, &u32::MAX.to_be_bytes(), false).await;
    closed_for_protocol(&oversize).await;
    let truncated = raw(&endpoint, &identity, daemon.addr, &[0, 0, 0, 100, 1, 2, 3], true).await;
    closed_for_protocol(&truncated).await;
    let unknown = raw(&endpoint, &identity, daemon.addr, &[0, 0, 0, 1, 9], false).await;
    closed_for_protocol(&unknown).await;

    let campaign = group.open(1);
    let connection = bounded(dial(&endpoint, daemon.addr, &identity)).await.unwrap();
    let (mut channel, _) = bounded(greet(&connection, &identity, campaign.id(), Role::Dialer)).await.unwrap();
    channel.send(&[2, 0xff, 0x00, 0x13, 0x37]).await.unwrap();
    closed_for_protocol(&connection).await;

    assert_eq!(group.open(0).heads(), heads, "the daemon's store is unchanged");
    let mut campaign = group.open(1);
    let round = bounded(sync_once(&endpoint, daemon.addr, &identity, &mut campaign)).await.unwrap();
    assert_eq!(round.round.facts_received, 1, "the daemon still serves");
    tokio::time::timeout(Duration::from_secs(5), endpoint.wait_idle()).await.ok();
    daemon.stop().await;
}
