//! Devices of one group syncing over QUIC on 127.0.0.1, every step bounded in time: three stores
//! with different marks converge through daemons and one-round syncs; a device of another group or
//! campaign, and a revoked one, are refused and change nothing.

mod support;

use std::collections::BTreeSet;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};
use obhod_syncd::cert::GroupCa;
use obhod_syncd::{Identity, Refusal, SyncError, net, sync_once};
use support::{Group, Running, bounded, eventually};

fn facts(path: &std::path::Path) -> BTreeSet<String> {
    Campaign::open(path).unwrap().facts().map(|f| f.id.clone()).collect()
}

fn client() -> quinn::Endpoint {
    net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap()
}

async fn once(
    path: &std::path::Path,
    identity: &Identity,
    to: std::net::SocketAddr,
) -> Result<obhod_syncd::PeerRound, SyncError> {
    let mut campaign = Campaign::open(path).unwrap();
    let endpoint = client();
    let result = bounded(sync_once(&endpoint, to, identity, &mut campaign)).await;
    endpoint.wait_idle().await;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_devices_with_different_marks_converge() {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let group = Group::new(3);
    for (i, premise) in ["1", "2", "3"].iter().enumerate() {
        group.open(i).mark(Mark::new(premise, Outcome::Absent)).unwrap();
    }
    let a = Running::start(&group.paths[0], vec![]);
    let b = Running::start(&group.paths[1], vec![a.addr]);
    let identity = group.identity(2);
    let round = once(&group.paths[2], &identity, b.addr).await.unwrap();
    assert_eq!((round.round.facts_sent, round.hello.device.as_str()), (1, group.open(1).device()));
    assert!(round.round.facts_received >= 1, "{round:?}");
    let all = |paths: &[std::path::PathBuf]| paths.iter().map(|p| facts(p)).collect::<Vec<_>>();
    eventually(|| all(&group.paths[..2]).iter().all(|f| f.len() == 3)).await;
    let last = once(&group.paths[2], &identity, a.addr).await.unwrap();
    let seen = all(&group.paths);
    assert!(seen.iter().all(|f| *f == seen[0] && f.len() == 3), "{seen:?} after {last:?}");
    assert_eq!(group.open(0).canvass(), group.open(2).canvass());
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn a_device_of_another_campaign_is_refused_and_nothing_changes() {
    let group = Group::new(1);
    let other = group.dir.path().join("other.db");
    Campaign::init(&other, obhod_tests::guide_sources()).unwrap().mark(Mark::new("3", Outcome::Absent)).unwrap();
    group.admit(&other, "stranger", false);
    let before = (facts(&group.paths[0]), facts(&other));
    let a = Running::start(&group.paths[0], vec![]);
    let identity = Identity::of(&Campaign::open(&other).unwrap()).unwrap();
    let refused = once(&other, &identity, a.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedPeer(Refusal::OtherCampaign)), "{refused:?}");
    assert_eq!((facts(&group.paths[0]), facts(&other)), before);
    a.stop().await;
}

#[tokio::test]
async fn a_device_of_another_group_is_refused_and_nothing_changes() {
    let ours = Group::new(2);
    let theirs = GroupCa::create("G").unwrap();
    let mut stranger = ours.open(1);
    stranger.mark(Mark::new("3", Outcome::Absent)).unwrap();
    let member = theirs.issue(stranger.device(), "stranger").unwrap();
    let identity = Identity::new(member);
    let before = (facts(&ours.paths[0]), facts(&ours.paths[1]));
    let a = Running::start(&ours.paths[0], vec![]);
    let refused = once(&ours.paths[1], &identity, a.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedPeer(Refusal::OtherGroup)), "{refused:?}");
    assert_eq!((facts(&ours.paths[0]), facts(&ours.paths[1])), before);
    a.stop().await;
}

#[tokio::test]
async fn a_revoked_device_learns_it_at_once_and_nothing_changes() {
    let group = Group::new(2);
    group.open(1).mark(Mark::new("3", Outcome::Absent)).unwrap();
    let identity = group.identity(1);
    group.revoke(1);
    let before = (facts(&group.paths[0]), facts(&group.paths[1]));
    let a = Running::start(&group.paths[0], vec![]);
    let refused = once(&group.paths[1], &identity, a.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedByPeer(Refusal::Revoked)), "{refused:?}");
    assert!(
        refused.message(obhod_core::Lang::Ru).contains("организатор исключил это устройство из группы"),
        "{}",
        refused.message(obhod_core::Lang::Ru)
    );
    assert_eq!((facts(&group.paths[0]), facts(&group.paths[1])), before);
    a.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_revoked_while_linked_is_dropped_and_its_later_facts_stay_out() {
    let group = Group::new(2);
    let a = Running::start(&group.paths[0], vec![]);
    let b = Running::start(&group.paths[1], vec![a.addr]);
    group.open(1).mark(Mark::new("1", Outcome::Absent)).unwrap();
    eventually(|| facts(&group.paths[0]).len() == 1).await;
    let lost = group.open(1).device().to_string();
    let identity = group.identity(1);
    let linked =
        |connected: bool| group.open(0).peers().unwrap().iter().any(|p| p.device == lost && p.connected == connected);
    eventually(|| linked(true)).await;
    group.revoke(1);
    eventually(|| linked(false)).await;
    group.open(1).mark(Mark::new("2", Outcome::Absent)).unwrap();
    let refused = once(&group.paths[1], &identity, a.addr).await.unwrap_err();
    assert!(matches!(refused, SyncError::RefusedByPeer(Refusal::Revoked)), "{refused:?}");
    assert_eq!(facts(&group.paths[0]).len(), 1, "only the fact from before the revocation");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn a_daemon_whose_store_vanished_stops_instead_of_hanging() {
    let group = Group::new(1);
    let (_stop, stopped) = tokio::sync::watch::channel(false);
    let options = obhod_syncd::daemon::Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        peers: vec!["127.0.0.1:9".parse().unwrap()],
        store: group.paths[0].clone(),
        live: obhod_syncd::Live { poll: std::time::Duration::from_millis(50) },
        mdns: false,
        authority: None,
    };
    let daemon = obhod_syncd::daemon::Daemon::bind(options, stopped).unwrap();
    let running = tokio::spawn(daemon.run());
    std::fs::remove_file(&group.paths[0]).unwrap();
    let ended = bounded(running).await.unwrap().unwrap_err();
    // Vanished when the daemon had it open, no campaign when it looked again after the removal.
    let gone = |e: &obhod_store::StoreError| {
        matches!(e, obhod_store::StoreError::Vanished { .. } | obhod_store::StoreError::NoCampaign { .. })
    };
    assert!(matches!(&ended, SyncError::Store(e) if gone(e)), "{ended:?}");
}
