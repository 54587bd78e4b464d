//! The group as the store keeps it: this device's membership (refused twice), the members and the
//! revocation list in the document (they reach every replica by sync), one-time invites, what is
//! known of peers, the facts no peer holds yet, and a joining device's store made from a received
//! document.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, FixedOffset};
use obhod_core::Outcome;
use obhod_store::{Campaign, Clock, InviteCheck, Mark, MemberRecord, Membership, Revocations, StoreError};

mod support;
use support::{sources, sync};

/// A clock the test moves by hand.
struct HandClock(Mutex<DateTime<FixedOffset>>);

impl HandClock {
    fn new() -> Arc<HandClock> {
        Arc::new(HandClock(Mutex::new(DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap())))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for HandClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap()
    }
}

fn membership(device_name: &str, organiser: bool) -> Membership {
    Membership {
        group: "G1".into(),
        group_name: "Совет дома".into(),
        device_name: device_name.into(),
        member_pem: "-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n".into(),
        ca_pem: organiser.then(|| "CA".into()),
    }
}

fn member(device: &str, name: &str, serial: &str) -> MemberRecord {
    MemberRecord {
        device: device.into(),
        name: name.into(),
        serial: serial.into(),
        added: DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap(),
        revoked: None,
        key: String::new(),
        organiser: false,
        last: None,
    }
}

#[test]
fn a_device_joins_one_group_and_its_key_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut campaign = Campaign::init(&path, sources()).unwrap();
    assert_eq!(campaign.membership().unwrap(), None);
    campaign.set_membership(&membership("Ноутбук", true)).unwrap();
    let again = campaign.set_membership(&membership("Ноутбук", true));
    assert!(matches!(again, Err(StoreError::AlreadyInGroup)), "{again:?}");
    let reopened = Campaign::open(&path).unwrap().membership().unwrap().unwrap();
    assert_eq!(reopened, membership("Ноутбук", true));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the store holds the device's private key");
    }
    let shown = format!("{reopened:?}");
    assert!(!shown.contains("secret") && !shown.contains("CA\""), "{shown}");
}

#[test]
fn members_and_revocations_reach_a_replica_by_sync() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    a.add_member(&member("D1", "Ноутбук", "01")).unwrap();
    a.add_member(&member("D2", "Телефон Анны", "02")).unwrap();
    sync(&mut a, &mut b);
    assert_eq!(b.members().iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["Ноутбук", "Телефон Анны"]);
    assert_eq!(b.revocations(), None);

    let list = Revocations { number: 1, der: vec![0x30, 0x03, 0x02, 0x01, 0x01] };
    a.revoke("D2", &list).unwrap();
    sync(&mut a, &mut b);
    let b = Campaign::open(b.path()).unwrap();
    assert_eq!(b.revocations(), Some(list.clone()));
    assert!(b.members()[1].revoked.is_some() && b.members()[0].revoked.is_none());

    assert!(matches!(a.revoke("D2", &list), Err(StoreError::StaleRevocations)));
    let unknown = a.revoke("D9", &Revocations { number: 2, der: vec![1] });
    assert!(matches!(unknown, Err(StoreError::UnknownMember { .. })), "{unknown:?}");
    assert_eq!(Campaign::open(a.path()).unwrap().revocations(), Some(list));
}

#[test]
fn an_invite_admits_one_device_until_it_expires() {
    let dir = tempfile::tempdir().unwrap();
    let mut campaign = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let clock = HandClock::new();
    campaign.set_clock(clock.clone());
    let (token, other, late) = ([1u8; 32], [2u8; 32], [3u8; 32]);
    campaign.add_invite(token, clock.now() + Duration::minutes(10)).unwrap();
    campaign.add_invite(late, clock.now() + Duration::minutes(10)).unwrap();
    assert_eq!(campaign.take_invite(other).unwrap(), InviteCheck::Unknown);
    assert_eq!(campaign.take_invite(token).unwrap(), InviteCheck::Valid);
    assert_eq!(campaign.take_invite(token).unwrap(), InviteCheck::Used);
    clock.advance(Duration::minutes(10));
    assert_eq!(campaign.take_invite(late).unwrap(), InviteCheck::Expired);
    assert_eq!(campaign.take_invite(late).unwrap(), InviteCheck::Expired, "an expired token stays unused");
}

#[test]
fn peers_are_remembered_with_their_newest_address_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut campaign = Campaign::init(&path, sources()).unwrap();
    let clock = HandClock::new();
    campaign.set_clock(clock.clone());
    campaign.peer_seen("D2", "Телефон Анны", Some("192.168.1.20:7469")).unwrap();
    clock.advance(Duration::seconds(5));
    campaign.peer_seen("D2", "Телефон Анны", Some("10.0.0.7:7469")).unwrap();
    campaign.peer_connected("D2", true).unwrap();
    let peers = campaign.peers().unwrap();
    assert_eq!(peers.len(), 1);
    assert_eq!(peers[0].addresses, ["10.0.0.7:7469", "192.168.1.20:7469"]);
    assert!(peers[0].connected);
    assert_eq!(peers[0].last_sync, None);

    campaign.peer_synced("D2").unwrap();
    assert!(campaign.peers().unwrap()[0].last_sync.is_some());
    clock.advance(Duration::minutes(2));
    assert!(!campaign.peers().unwrap()[0].connected, "a daemon silent for two minutes is not connected");
    campaign.peer_connected("D2", false).unwrap();
    clock.advance(Duration::seconds(-120));
    assert!(!campaign.peers().unwrap()[0].connected);
}

#[test]
fn facts_not_sent_are_those_no_peer_has_synced() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    a.mark(Mark::new("2", Outcome::Absent)).unwrap();
    assert_eq!(a.not_sent().unwrap(), 2);
    sync(&mut a, &mut b);
    a.peer_seen(b.device(), "B", None).unwrap();
    a.peer_synced(b.device()).unwrap();
    assert_eq!(a.not_sent().unwrap(), 0);
    a.mark(Mark::new("3", Outcome::Absent)).unwrap();
    assert_eq!(a.not_sent().unwrap(), 1);
}

#[test]
fn a_joining_device_gets_its_own_store_from_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = Campaign::init(&dir.path().join("a.db"), sources()).unwrap();
    a.mark(Mark::new("1", Outcome::Absent)).unwrap();
    a.add_member(&member(a.device(), "Ноутбук", "01")).unwrap();
    let bytes = a.document();

    let path = dir.path().join("joined.db");
    let mut joined = Campaign::from_document(&path, &bytes, None).unwrap();
    assert_eq!(joined.id(), a.id());
    assert_ne!(joined.device(), a.device());
    assert_eq!(joined.facts().count(), 1);
    assert_eq!(joined.members().len(), 1);
    joined.mark(Mark::new("2", Outcome::Absent)).unwrap();
    sync(&mut a, &mut joined);
    assert_eq!(a.facts().count(), 2);

    let again = Campaign::from_document(&path, &bytes, None);
    assert!(matches!(again, Err(StoreError::CampaignExists { .. })), "{:?}", again.err());
    let garbage = Campaign::from_document(&dir.path().join("g.db"), b"not a document", None);
    assert!(matches!(garbage, Err(StoreError::BadSyncMessage { .. })), "{:?}", garbage.err());
    assert!(!dir.path().join("g.db").exists(), "nothing is written for bytes that are not a campaign");
    let empty = automerge::Automerge::new().save();
    assert!(Campaign::from_document(&dir.path().join("e.db"), &empty, None).is_err());
}
