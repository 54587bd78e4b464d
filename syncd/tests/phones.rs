//! A phone recorded on one device travels to another over a real sync on 127.0.0.1 beside the
//! document, never in it; once its consent is withdrawn and the devices sync again, its bytes are
//! in neither device's database nor WAL file.

#[path = "../../store/tests/support/mod.rs"]
mod store_support;
mod support;

use std::path::{Path, PathBuf};

use obhod_core::{Contact, Outcome};
use obhod_store::{Campaign, Mark};
use obhod_syncd::{net, sync_once};
use store_support::automerge_bytes;
use support::{Group, Running, bounded};

const IVANOV: &str = "Иванов Иван Иванович";
const PHONE: &str = "+7 913 555-01-77";

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The store's database and WAL files as they are on disk.
fn files(path: &Path) -> Vec<u8> {
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    [std::fs::read(path).unwrap(), std::fs::read(wal).unwrap_or_default()].concat()
}

/// One round of device `i` with the daemon at `to`.
async fn sync(group: &Group, i: usize, to: std::net::SocketAddr) {
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let mut campaign = group.open(i);
    bounded(sync_once(&endpoint, to, &group.identity(i), &mut campaign)).await.unwrap();
    drop(campaign);
    bounded(endpoint.wait_idle()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_reaches_the_other_device_beside_the_document_and_a_withdrawal_erases_it_on_both() {
    let group = Group::new(2);
    let phone = Contact { phone: Some(PHONE.into()), email: None };
    let mark =
        Mark { owner: Some(IVANOV.into()), contact: Some(phone), consent: true, ..Mark::new("1", Outcome::Contact) };
    let ids = group.open(1).mark(mark).unwrap();
    let daemon = Running::start(&group.paths[0], vec![]);
    sync(&group, 1, daemon.addr).await;

    let organiser = group.open(0);
    let id = organiser.canvass().premises[0].owner(IVANOV).unwrap().contact.clone().expect("the contact fact arrived");
    assert_eq!(organiser.contact(&id).unwrap().and_then(|c| c.phone).as_deref(), Some(PHONE));
    drop(organiser);
    for path in &group.paths {
        assert!(!holds(&automerge_bytes(path), PHONE), "{}: the phone is in the document", path.display());
        assert!(holds(&files(path), PHONE), "{}: the phone is on disk", path.display());
    }

    group.open(1).undo(&ids[0], None).unwrap();
    sync(&group, 1, daemon.addr).await;
    for path in &group.paths {
        assert_eq!(Campaign::open(path).unwrap().contact(&id).unwrap(), None, "{}", path.display());
        assert!(!holds(&files(path), PHONE), "{}: the phone is still on disk", path.display());
    }
    daemon.stop().await;
}
