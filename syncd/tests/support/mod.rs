//! A group of devices for sync tests: stores of one campaign in a temporary directory, each a member
//! of one group whose CA the test holds; daemons on 127.0.0.1 that stop when dropped.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::Local;
use obhod_store::{Campaign, MemberRecord, Membership, Revocations};
use obhod_syncd::cert::{GroupCa, member_serial};
use obhod_syncd::daemon::{Daemon, Options};
use obhod_syncd::{Identity, Live};
use tokio::sync::watch;

pub const LIMIT: Duration = Duration::from_secs(30);

pub async fn bounded<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, future).await.expect("the step finished in time")
}

pub struct Group {
    pub dir: tempfile::TempDir,
    pub ca: GroupCa,
    pub paths: Vec<PathBuf>,
}

impl Group {
    /// `n` devices of one new campaign of the guide's example, members of group `G`; the first is
    /// the organiser.
    pub fn new(n: usize) -> Group {
        let dir = tempfile::tempdir().unwrap();
        let ca = GroupCa::create("G").unwrap();
        let first = Campaign::init(&dir.path().join("d0.db"), obhod_tests::guide_sources()).unwrap();
        let mut paths = vec![first.path().to_path_buf()];
        for i in 1..n {
            paths.push(first.replica_to(&dir.path().join(format!("d{i}.db"))).unwrap().path().to_path_buf());
        }
        drop(first);
        let group = Group { dir, ca, paths };
        for (i, path) in group.paths.iter().enumerate() {
            group.admit(path, &format!("device {i}"), i == 0);
        }
        group
    }

    /// Makes the store at `path` a member (with the group's key when `organiser`), and records it
    /// on the organiser's device.
    pub fn admit(&self, path: &Path, name: &str, organiser: bool) {
        let mut campaign = Campaign::open(path).unwrap();
        let member = self.ca.issue(campaign.device(), name).unwrap();
        campaign
            .set_membership(&Membership {
                group: "G".into(),
                group_name: "Дом".into(),
                device_name: name.into(),
                member_pem: member.to_pem(),
                ca_pem: organiser.then(|| self.ca.to_pem()),
            })
            .unwrap();
        let serial = hex::encode(member_serial(member.cert_der()).unwrap());
        let added = Local::now().fixed_offset();
        let record =
            MemberRecord { organiser, ..MemberRecord::new(campaign.device(), name, &serial, member.cert_der(), added) };
        Campaign::open(&self.paths[0]).unwrap().add_member(&record).unwrap();
    }

    pub fn open(&self, i: usize) -> Campaign {
        Campaign::open(&self.paths[i]).unwrap()
    }

    pub fn identity(&self, i: usize) -> Identity {
        Identity::of(&self.open(i)).unwrap()
    }

    /// Shuts device `i` out, on the organiser's store.
    pub fn revoke(&self, i: usize) {
        let lost = self.open(i);
        let mut organiser = self.open(0);
        let record = organiser.members().into_iter().find(|m| m.device == lost.device()).unwrap();
        let serial = hex::decode(record.serial).unwrap();
        let der = self.ca.revocation_list(1, &[serial], SystemTime::now()).unwrap();
        organiser.revoke(lost.device(), &Revocations { number: 1, der }).unwrap();
    }
}

/// A daemon on 127.0.0.1 over a store; stops (and is waited for) when dropped or `stop`ped.
pub struct Running {
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<Result<(), obhod_syncd::SyncError>>>,
}

impl Running {
    pub fn start(store: &Path, peers: Vec<SocketAddr>) -> Running {
        Running::polling(store, peers, Duration::from_millis(50))
    }

    /// A daemon that looks at its store for other processes' writes every `poll`.
    pub fn polling(store: &Path, peers: Vec<SocketAddr>, poll: Duration) -> Running {
        let (stop, stopped) = watch::channel(false);
        let options = Options {
            listen: "127.0.0.1:0".parse().unwrap(),
            peers,
            store: store.to_path_buf(),
            live: Live { poll },
            mdns: false,
            authority: None,
        };
        let daemon = Daemon::bind(options, stopped).unwrap();
        let addr = daemon.local_addr().unwrap();
        Running { addr, stop, task: Some(tokio::spawn(daemon.run())) }
    }

    pub async fn stop(mut self) {
        self.stop.send_replace(true);
        let task = self.task.take().unwrap();
        bounded(task).await.unwrap().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

/// Polls `check` until it holds, within the limit.
pub async fn eventually(mut check: impl FnMut() -> bool) {
    bounded(async {
        while !check() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}
