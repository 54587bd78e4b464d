//! Joining through a running daemon on 127.0.0.1, every step bounded in time: the organiser's
//! daemon admits a device by an invite its store holds (once, however many try), sends the
//! campaign it shares with its links and is remembered by the joiner; a member's daemon refuses a
//! join saying why; a device without a certificate that does anything but prove an invite is
//! closed with a protocol error and changes nothing. And how a dial fails: a closed port at once,
//! silence after the dialling time, each worded in Russian with what to do.

mod support;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use chrono::Local;
use obhod_core::{Lang, Outcome};
use obhod_store::{Campaign, Mark, SyncSession};
use obhod_syncd::cert::{Fingerprint, GroupCa};
use obhod_syncd::invite::Invite;
use obhod_syncd::join::{self, dial_order, token_hash};
use obhod_syncd::link::{self, CONNECT_TIMEOUT};
use obhod_syncd::net::{self, PROTOCOL_ERROR};
use obhod_syncd::{Context, Frame, Refusal, SyncError, listening, sync_once, tls};
use quinn::ConnectionError;
use support::{Group, Running, bounded};

/// What a join or a stray connection could change on the organiser's device.
#[derive(Debug, PartialEq, Eq)]
struct State {
    facts: BTreeSet<String>,
    heads: Vec<automerge::ChangeHash>,
    members: usize,
    invites: Vec<[u8; 32]>,
}

fn state(path: &Path) -> State {
    let campaign = Campaign::open(path).unwrap();
    State {
        facts: campaign.facts().map(|f| f.id.clone()).collect(),
        heads: campaign.heads(),
        members: campaign.members().len(),
        invites: campaign.invite_hashes().unwrap(),
    }
}

/// An invite of the group for `addresses`, recorded in the organiser's store as valid for
/// `minutes` (negative: already expired).
fn invite(group: &Group, addresses: Vec<SocketAddr>, minutes: i64) -> Invite {
    let invite =
        Invite::new("G", group.ca.fingerprint(), addresses, Duration::from_secs(600), SystemTime::now()).unwrap();
    let expires = Local::now().fixed_offset() + chrono::Duration::minutes(minutes);
    group.open(0).add_invite(token_hash(&invite.token), expires).unwrap();
    invite
}

/// The one address's error of a join refused there; nothing is stored by the joiner.
async fn refused(invite: &Invite, path: &Path) -> SyncError {
    let Err(error) = bounded(join::join(invite, &[], path, "Чужой")).await else { panic!("joined") };
    assert!(!path.exists(), "nothing is stored by the joiner");
    let SyncError::Attempts(mut attempts) = error else { panic!("{error:?}") };
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    attempts.remove(0).error
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_joins_through_the_organisers_daemon_and_syncs_with_it() {
    let group = Group::new(1);
    group.open(0).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let daemon = Running::start(&group.paths[0], vec![]);
    let invite = invite(&group, vec![daemon.addr], 10);
    let path = group.dir.path().join("phone.db");
    let mut phone = bounded(join::join(&invite, &[], &path, "Телефон Анны")).await.unwrap();

    let organiser = group.open(0);
    assert!(organiser.members().iter().any(|m| m.device == phone.device() && m.name == "Телефон Анны"));
    assert!(organiser.invite_used(token_hash(&invite.token)).unwrap().is_some(), "the invite is used up");
    assert_eq!((phone.id(), phone.facts().count()), (organiser.id(), 1));
    assert!(phone.membership().unwrap().unwrap().ca_pem.is_none());
    let peers = phone.peers().unwrap();
    assert_eq!(peers.len(), 1, "{peers:?}");
    assert_eq!((peers[0].device.as_str(), peers[0].name.as_str()), (organiser.device(), "device 0"));
    assert_eq!(peers[0].addresses, vec![daemon.addr.to_string()], "the daemon's address is remembered");

    phone.mark(Mark::new("2", Outcome::Absent)).unwrap();
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let identity = obhod_syncd::Identity::of(&phone).unwrap();
    let round = bounded(sync_once(&endpoint, daemon.addr, &identity, &mut phone)).await.unwrap();
    assert_eq!(round.round.facts_sent, 1);
    assert_eq!(group.open(0).facts().count(), 2, "the phone's mark reached the organiser through the daemon");
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invite_admits_one_device_through_the_daemon_and_an_expired_one_none() {
    let group = Group::new(1);
    let daemon = Running::start(&group.paths[0], vec![]);
    let invite = invite(&group, vec![daemon.addr], 10);
    let (a, b) = (group.dir.path().join("a.db"), group.dir.path().join("b.db"));
    let (first, second) =
        tokio::join!(bounded(join::join(&invite, &[], &a, "A")), bounded(join::join(&invite, &[], &b, "B")));
    assert_eq!(usize::from(first.is_ok()) + usize::from(second.is_ok()), 1, "one device for one invite");
    let members = group.open(0).members().len();
    assert_eq!(members, 2);

    let before = state(&group.paths[0]);
    let used = refused(&invite, &group.dir.path().join("c.db")).await;
    assert!(matches!(used, SyncError::RefusedByPeer(Refusal::InviteUsed)), "{used:?}");
    assert!(used.reason(Lang::Ru, Context::Join).contains("приглашение уже использовано другим устройством"));

    let expired = self::invite(&group, vec![daemon.addr], -1);
    let before_expired = state(&group.paths[0]);
    let late = refused(&expired, &group.dir.path().join("d.db")).await;
    assert!(matches!(late, SyncError::RefusedByPeer(Refusal::InviteExpired)), "{late:?}");
    assert!(late.reason(Lang::Ru, Context::Join).contains("срок приглашения истёк"));
    assert_eq!(state(&group.paths[0]), before_expired, "nothing changed");
    assert_eq!(before.members, group.open(0).members().len());
    daemon.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_on_a_members_device_refuses_a_join_and_says_why() {
    let group = Group::new(2);
    let member = Running::start(&group.paths[1], vec![]);
    let invite = invite(&group, vec![member.addr], 10);
    let before = (state(&group.paths[0]), state(&group.paths[1]));
    let error = refused(&invite, &group.dir.path().join("phone.db")).await;
    assert!(matches!(error, SyncError::RefusedByPeer(Refusal::NotOrganiser)), "{error:?}");
    let words = error.reason(Lang::Ru, Context::Join);
    assert!(words.contains("это устройство группы, но не организатора"), "{words}");
    assert_eq!((state(&group.paths[0]), state(&group.paths[1])), before, "nothing changed on either device");
    assert!(group.open(0).invite_used(token_hash(&invite.token)).unwrap().is_none(), "the invite still stands");
    member.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_of_another_group_is_told_by_its_fingerprint() {
    let group = Group::new(1);
    let daemon = Running::start(&group.paths[0], vec![]);
    let theirs = GroupCa::create("G").unwrap();
    let invite =
        Invite::new("G", theirs.fingerprint(), vec![daemon.addr], Duration::from_secs(600), SystemTime::now()).unwrap();
    let before = state(&group.paths[0]);
    let error = refused(&invite, &group.dir.path().join("phone.db")).await;
    assert!(matches!(error, SyncError::RefusedPeer(Refusal::OtherGroup)), "{error:?}");
    let words = error.reason(Lang::Ru, Context::Join);
    assert!(words.contains("устройство другой группы: отпечаток его группы не совпадает с приглашением"), "{words}");
    assert_eq!(state(&group.paths[0]), before);
    daemon.stop().await;
}

/// How the daemon ended a connection without a certificate that sends `frames` (none: it waits for
/// the daemon to speak first, as a member's dialler would).
async fn certificate_less(pin: Fingerprint, to: SocketAddr, frames: Vec<Vec<u8>>) -> ConnectionError {
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let crypto = tls::pinned_client_crypto(pin, None).unwrap();
    let connection = net::connect(&endpoint, to, net::client_config(crypto).unwrap()).await.unwrap();
    if frames.is_empty() {
        let spoke = connection.accept_bi().await;
        assert!(spoke.is_err(), "the daemon opened a stream to a device without a certificate");
    } else {
        let mut channel = net::Channel::open(&connection).await.unwrap();
        for frame in frames {
            channel.send(&frame).await.unwrap();
        }
    }
    connection.closed().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_without_a_certificate_that_skips_the_proof_and_syncs_is_closed_and_nothing_changes() {
    let group = Group::new(2);
    group.open(1).mark(Mark::new("3", Outcome::Absent)).unwrap();
    let message = SyncSession::new().generate(&group.open(1)).expect("a sync message with the new mark");
    let daemon = Running::start(&group.paths[0], vec![]);
    let _invite = invite(&group, vec![daemon.addr], 10);
    let before = state(&group.paths[0]);
    let hello = br#"{"group":"G","campaign":"C","revocations":0,"device":"X","name":"X","signature":""}"#;
    let cases: [(&str, Vec<Vec<u8>>); 4] = [
        ("a sync message", vec![Frame::Sync(message.clone()).encode()]),
        ("a hello, then a sync message", vec![[&[1u8][..], hello].concat(), Frame::Sync(message).encode()]),
        ("an idle turn", vec![Frame::Idle.encode()]),
        ("nothing, waiting for the daemon's hello", vec![]),
    ];
    let tries: Vec<_> = cases
        .iter()
        .map(|(_, frames)| tokio::spawn(certificate_less(group.ca.fingerprint(), daemon.addr, frames.clone())))
        .collect();
    for ((what, _), tried) in cases.iter().zip(tries) {
        let closed = bounded(tried).await.unwrap();
        match closed {
            ConnectionError::ApplicationClosed(close) => assert_eq!(close.error_code, PROTOCOL_ERROR, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    assert_eq!(state(&group.paths[0]), before, "nothing reached the store");

    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let mut member = group.open(1);
    let served = bounded(sync_once(&endpoint, daemon.addr, &group.identity(1), &mut member)).await.unwrap();
    assert_eq!(served.round.facts_sent, 1, "a member is served as before");
    daemon.stop().await;
}

#[tokio::test]
async fn a_closed_port_is_told_at_once_and_silence_after_the_dialling_time() {
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let crypto = tls::pinned_client_crypto(GroupCa::create("G").unwrap().fingerprint(), None).unwrap();
    let config = net::client_config(crypto).unwrap();

    let closed: SocketAddr = {
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.local_addr().unwrap()
    };
    let started = Instant::now();
    let error = bounded(link::reach(&endpoint, closed, config.clone())).await.unwrap_err();
    assert!(matches!(error, SyncError::PortClosed(addr) if addr == closed), "{error:?}");
    assert!(started.elapsed() < CONNECT_TIMEOUT, "told before the dialling time: {:?}", started.elapsed());
    let words = error.message(Lang::Ru);
    let port = closed.port();
    assert!(words.contains(&format!("{closed}: устройство есть, но порт {port} закрыт")), "{words}");
    assert!(words.contains(&format!("sudo ufw allow {port}/udp")) && !words.contains("не отвечает"), "{words}");

    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let quiet = silent.local_addr().unwrap();
    let error = bounded(link::reach(&endpoint, quiet, config)).await.unwrap_err();
    assert!(matches!(error, SyncError::Unreachable(addr) if addr == quiet), "{error:?}");
    let words = error.message(Lang::Ru);
    assert!(words.contains("нет ответа за 5 с") && words.contains(&format!("sudo ufw allow {}/udp", quiet.port())));
    drop(silent);
}

#[test]
fn given_addresses_are_dialled_first_then_those_on_this_devices_networks() {
    let addr = |text: &str| text.parse::<SocketAddr>().unwrap();
    let networks = [("192.168.1.20".parse().unwrap(), "255.255.255.0".parse().unwrap())];
    let invited = [addr("172.17.0.1:5000"), addr("192.168.1.10:5000"), addr("10.0.0.5:47474")];
    let order = dial_order(&[addr("10.0.0.5:47474"), addr("192.168.1.10:47474")], &invited, &networks);
    assert_eq!(
        order,
        ["10.0.0.5:47474", "192.168.1.10:47474", "192.168.1.10:5000", "172.17.0.1:5000"].map(addr),
        "given first, then this device's network, then the rest, each once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_daemon_is_found_by_its_note_and_only_as_this_device() {
    let group = Group::new(2);
    let identity = group.identity(0);
    assert_eq!(listening::running_daemon(&group.paths[0], &identity).await, None, "none runs");
    let daemon = Running::start(&group.paths[0], vec![]);
    support::eventually(|| listening::recorded(&group.paths[0]) == Some(daemon.addr)).await;
    assert_eq!(listening::running_daemon(&group.paths[0], &identity).await, Some(daemon.addr));

    let other = Running::start(&group.paths[1], vec![]);
    support::eventually(|| listening::recorded(&group.paths[1]) == Some(other.addr)).await;
    listening::record(&group.paths[0], other.addr).unwrap();
    assert_eq!(listening::running_daemon(&group.paths[0], &identity).await, None, "another device's daemon");
    other.stop().await;
    assert_eq!(listening::recorded(&group.paths[1]), None, "a stopped daemon takes its note away");
    daemon.stop().await;
}
