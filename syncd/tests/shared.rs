//! One campaign per daemon, shared by its links: what one link receives is sent on by the others
//! at once, without the daemon looking at its store again.

mod support;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use obhod_core::Outcome;
use obhod_store::{Campaign, Mark};
use obhod_syncd::{net, sync_once};
use support::{Group, Running, bounded, eventually};

/// Longer than any test may take: the daemons never look at their stores for other writers.
const NEVER: Duration = Duration::from_secs(3_600);

fn facts(path: &Path) -> BTreeSet<String> {
    Campaign::open(path).unwrap().facts().map(|f| f.id.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fact_received_on_one_link_is_sent_on_by_another() {
    let group = Group::new(3);
    let hub = Running::polling(&group.paths[0], vec![], NEVER);
    let linked = Running::polling(&group.paths[1], vec![hub.addr], NEVER);
    let device = group.open(1).device().to_string();
    let synced = || group.open(0).peers().unwrap().iter().any(|p| p.device == device && p.last_sync.is_some());
    eventually(synced).await;

    let ids = group.open(2).mark(Mark::new("1", Outcome::Absent)).unwrap();
    let mut visitor = group.open(2);
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let round = bounded(sync_once(&endpoint, hub.addr, &group.identity(2), &mut visitor)).await.unwrap();
    assert_eq!(round.round.facts_sent, 1);

    eventually(|| facts(&group.paths[1]).contains(&ids[0])).await;
    assert_eq!(facts(&group.paths[1]), facts(&group.paths[0]));
    linked.stop().await;
    hub.stop().await;
}
