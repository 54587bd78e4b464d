//! A phone over the real protocol on 127.0.0.1: recorded on one device, it reaches the other's
//! contacts table through a daemon, is in no automerge byte of either, and after the consent is
//! withdrawn and the devices sync again it is gone from both devices' files (database and WAL).

mod support;

use std::path::{Path, PathBuf};

use obhod_core::{Act, Contact, Outcome};
use obhod_store::{Campaign, Mark};
use obhod_syncd::{net, sync_once};
use support::{Group, Running, bounded};

const IVANOV: &str = "Иванов Иван Иванович";
const PHONE: &str = "+7 913 555-01-77";

fn holds(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The database file and its WAL, as they lie on the disk.
fn files(path: &Path) -> Vec<u8> {
    let wal = std::fs::read(PathBuf::from(format!("{}-wal", path.display()))).unwrap_or_default();
    [std::fs::read(path).unwrap(), wal].concat()
}

async fn sync(path: &Path, daemon: &Running, identity: &obhod_syncd::Identity) {
    let endpoint = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let mut campaign = Campaign::open(path).unwrap();
    bounded(sync_once(&endpoint, daemon.addr, identity, &mut campaign)).await.unwrap();
    endpoint.wait_idle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_crosses_beside_the_document_and_a_withdrawal_erases_it_on_both_devices() {
    let group = Group::new(2);
    let mark = Mark {
        owner: Some(IVANOV.into()),
        contact: Some(Contact { phone: Some(PHONE.into()), email: None }),
        consent: true,
        ..Mark::new("1", Outcome::Contact)
    };
    let ids = group.open(1).mark(mark).unwrap();
    let daemon = Running::start(&group.paths[0], vec![]);
    let identity = group.identity(1);
    sync(&group.paths[1], &daemon, &identity).await;

    let organiser = group.open(0);
    let contact = organiser.facts().find_map(|f| match &f.act {
        Act::Mark { contact: Some(id), .. } => Some(id.clone()),
        _ => None,
    });
    let contact = contact.expect("the contact fact arrived");
    assert_eq!(organiser.contact(&contact).unwrap().and_then(|c| c.phone).as_deref(), Some(PHONE));
    for i in 0..2 {
        assert!(!holds(&group.open(i).document(), PHONE), "a phone in device {i}'s document");
    }
    drop(organiser);

    let consent = ids.first().unwrap();
    group.open(1).undo(consent, None).unwrap();
    sync(&group.paths[1], &daemon, &identity).await;
    daemon.stop().await;
    for path in &group.paths {
        assert_eq!(Campaign::open(path).unwrap().contact(&contact).unwrap(), None);
        assert!(!holds(&files(path), PHONE), "the phone is still in {}", path.display());
    }
}
