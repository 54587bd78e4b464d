//! Joining by invite on 127.0.0.1, every step bounded in time: a device joins, gets the campaign
//! and its certificate, and syncs; a used, an expired or an unknown invite is refused and stores
//! nothing on either side.

mod support;

use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::Local;
use obhod_core::Outcome;
use obhod_store::Mark;
use obhod_syncd::invite::{Invite, Token};
use obhod_syncd::join::{self, admit, inviting_endpoint, token_hash};
use obhod_syncd::{Identity, Refusal, SyncError, net, sync_once};
use support::{Group, Running, bounded};

/// An invite of the group's organiser, remembered in its store as valid for `ttl_minutes`
/// (negative: already expired), and an endpoint listening for it.
fn invite(group: &Group, ttl_minutes: i64) -> (Invite, quinn::Endpoint) {
    let mut organiser = group.open(0);
    let identity = Identity::of(&organiser).unwrap();
    let endpoint = inviting_endpoint("127.0.0.1:0".parse().unwrap(), &identity).unwrap();
    let addr = endpoint.local_addr().unwrap();
    let invite =
        Invite::new("G", group.ca.fingerprint(), vec![addr], Duration::from_secs(600), SystemTime::now()).unwrap();
    let expires = Local::now().fixed_offset() + chrono::Duration::minutes(ttl_minutes);
    organiser.add_invite(token_hash(&invite.token), expires).unwrap();
    (invite, endpoint)
}

fn serve(
    group: &Group,
    endpoint: quinn::Endpoint,
    token: Token,
) -> tokio::task::JoinHandle<Result<join::Joined, SyncError>> {
    let store = group.paths[0].clone();
    tokio::spawn(async move { admit(&endpoint, &store, token).await })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_joins_by_invite_gets_the_campaign_and_syncs() {
    let group = Group::new(1);
    group.open(0).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let (invite, endpoint) = invite(&group, 10);
    let inviter = serve(&group, endpoint, invite.token);
    let path = group.dir.path().join("joined.db");
    let mut joined = bounded(join::join(&invite, &[], &path, "Телефон Анны")).await.unwrap();
    let admitted = bounded(inviter).await.unwrap().unwrap();
    assert_eq!((admitted.device.as_str(), admitted.name.as_str()), (joined.device(), "Телефон Анны"));
    let organiser = group.open(0);
    assert_eq!(joined.id(), organiser.id());
    assert_eq!(joined.facts().count(), 1);
    assert!(organiser.members().iter().any(|m| m.device == joined.device() && m.name == "Телефон Анны"));
    let membership = joined.membership().unwrap().unwrap();
    assert_eq!((membership.group.as_str(), membership.ca_pem.is_none()), ("G", true));
    assert!(!group.dir.path().join("joined.db.joining").exists());

    joined.mark(Mark::new("2", Outcome::Absent)).unwrap();
    let daemon = Running::start(&group.paths[0], vec![]);
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let identity = Identity::of(&joined).unwrap();
    let round = bounded(sync_once(&endpoint, daemon.addr, &identity, &mut joined)).await.unwrap();
    assert_eq!(round.round.facts_sent, 1);
    assert_eq!(group.open(0).facts().count(), 2);
    daemon.stop().await;
}

/// The one address's error of a join refused there; nothing stored on either side.
async fn refused(group: &Group, invite: &Invite, path: &Path) -> SyncError {
    let members = group.open(0).members();
    let Err(error) = bounded(join::join(invite, &[], path, "Чужой")).await else { panic!("joined") };
    assert!(!path.exists(), "nothing is stored by the joiner");
    assert!(!Path::new(&format!("{}.joining", path.display())).exists());
    assert_eq!(group.open(0).members(), members, "nothing is stored by the inviter");
    let SyncError::Attempts(mut attempts) = error else { panic!("{error:?}") };
    assert_eq!(attempts.len(), 1, "{attempts:?}");
    assert_eq!(attempts[0].address, invite.addresses[0]);
    attempts.remove(0).error
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_used_invite_is_refused() {
    let group = Group::new(1);
    let (invite, endpoint) = invite(&group, 10);
    let first = serve(&group, endpoint.clone(), invite.token);
    bounded(join::join(&invite, &[], &group.dir.path().join("first.db"), "Первый")).await.unwrap();
    bounded(first).await.unwrap().unwrap();
    let again = serve(&group, endpoint, invite.token);
    let error = refused(&group, &invite, &group.dir.path().join("second.db")).await;
    assert!(matches!(error, SyncError::RefusedByPeer(Refusal::InviteUsed)), "{error:?}");
    assert!(error.message(obhod_core::Lang::Ru).contains("приглашение уже использовано другим устройством"));
    again.abort();
}

#[tokio::test]
async fn an_expired_invite_is_refused() {
    let group = Group::new(1);
    let (invite, endpoint) = invite(&group, -1);
    let inviter = serve(&group, endpoint, invite.token);
    let error = refused(&group, &invite, &group.dir.path().join("late.db")).await;
    assert!(matches!(error, SyncError::RefusedByPeer(Refusal::InviteExpired)), "{error:?}");
    inviter.abort();
}

#[tokio::test]
async fn a_wrong_token_is_refused() {
    let group = Group::new(1);
    let (invite, endpoint) = invite(&group, 10);
    let inviter = serve(&group, endpoint, invite.token);
    let forged = Invite { token: Token([0; 16]), ..invite };
    let error = refused(&group, &forged, &group.dir.path().join("forged.db")).await;
    assert!(matches!(error, SyncError::RefusedByPeer(Refusal::InviteUnknown)), "{error:?}");
    inviter.abort();
}
