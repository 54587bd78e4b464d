//! `obhod group create | members | revoke` as the real binary: the organiser's device makes the
//! group, lists its devices, and shuts one out; what only the organiser may do is refused
//! elsewhere, and every refusal says what to do instead.

use std::path::{Path, PathBuf};

use obhod_store::{Campaign, MemberRecord, Membership};
use serde_json::Value;

mod support;
use support::{fixture, ok, refused};

fn guide(file: &str) -> String {
    fixture("guide-example", file)
}

fn campaign(dir: &Path) -> PathBuf {
    let store = dir.join("a.db");
    ok(&store, &["init", "--meeting", &guide("meeting.toml")]);
    store
}

#[test]
fn the_organiser_makes_a_group_once_and_is_its_first_member() {
    let dir = tempfile::tempdir().unwrap();
    let store = campaign(dir.path());
    let message = refused(&store, &["group", "members"]);
    assert!(message.contains("ещё не в группе") && message.contains("obhod group create"), "{message}");

    let created = ok(&store, &["group", "create", "--name", "Совет дома 5", "--device", "Ноутбук Ивана"]);
    assert!(created.contains("Группа «Совет дома 5» создана") && created.contains("obhod group invite"), "{created}");
    let again = refused(&store, &["group", "create", "--name", "Другая"]);
    assert!(again.contains("уже в группе"), "{again}");

    let members: Value = serde_json::from_str(&ok(&store, &["--json", "group", "members"])).unwrap();
    let members = members.as_array().unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["name"], "Ноутбук Ивана");
    assert_eq!(members[0]["this_device"], true);
    assert_eq!(members[0]["revoked"], Value::Null);
    assert_eq!(members[0]["organiser"], true, "the device the group was made on");
    assert_eq!(members[0]["not_counted"], 0);
    let text = ok(&store, &["group", "members"]);
    assert!(text.contains("Ноутбук Ивана (организатор, это устройство)"), "{text}");

    let blank = refused(&store, &["group", "create", "--name", " "]);
    assert!(!blank.is_empty());
}

#[test]
fn a_lost_phone_is_revoked_once_and_the_organiser_never() {
    let dir = tempfile::tempdir().unwrap();
    let store = campaign(dir.path());
    ok(&store, &["group", "create", "--name", "Совет дома 5"]);
    let mut organiser = Campaign::open(&store).unwrap();
    organiser
        .add_member(&MemberRecord {
            device: "01PHONE".into(),
            name: "Телефон Анны".into(),
            serial: "0a1b2c3d".into(),
            added: chrono::Local::now().fixed_offset(),
            revoked: None,
            key: String::new(),
            organiser: false,
            last: None,
        })
        .unwrap();
    drop(organiser);

    let me = refused(&store, &["group", "revoke", "Организатор"]);
    assert!(me.contains("нельзя отозвать устройство организатора"), "{me}");
    let nobody = refused(&store, &["group", "revoke", "Телефон Бориса"]);
    assert!(nobody.contains("нет устройства «Телефон Бориса»"), "{nobody}");

    let revoked = ok(&store, &["group", "revoke", "телефон анны"]);
    assert!(revoked.contains("«Телефон Анны» отозвано") && revoked.contains("obhod sync"), "{revoked}");
    let campaign = Campaign::open(&store).unwrap();
    let list = campaign.revocations().expect("the list is in the document");
    assert_eq!(list.number, 1);
    assert!(!list.der.is_empty());
    assert!(campaign.members().iter().any(|m| m.device == "01PHONE" && m.revoked.is_some()));
    let twice = refused(&store, &["group", "revoke", "01PHONE"]);
    assert!(twice.contains("уже отозвано"), "{twice}");
    let members = ok(&store, &["--lang", "en", "group", "members"]);
    assert!(members.contains("Телефон Анны") && members.contains("revoked"), "{members}");
}

#[test]
fn only_the_organisers_device_revokes() {
    let dir = tempfile::tempdir().unwrap();
    let store = campaign(dir.path());
    ok(&store, &["group", "create", "--name", "Совет дома 5"]);
    let other = dir.path().join("b.db");
    let mut replica = Campaign::open(&store).unwrap().replica_to(&other).unwrap();
    replica
        .set_membership(&Membership {
            group: "G".into(),
            group_name: "Совет дома 5".into(),
            device_name: "Телефон".into(),
            member_pem: String::new(),
            ca_pem: None,
        })
        .unwrap();
    let message = refused(&other, &["--lang", "en", "group", "revoke", "Организатор"]);
    assert!(message.contains("only the organiser's device"), "{message}");
}

/// Makes `campaign`'s device a member of the organiser's group, recorded on `organiser`.
fn admit(ca: &obhod_syncd::GroupCa, campaign: &mut Campaign, organiser: &mut Campaign, name: &str) {
    let member = ca.issue(campaign.device(), name).unwrap();
    campaign
        .set_membership(&Membership {
            group: ca.group_id().into(),
            group_name: "Совет дома 5".into(),
            device_name: name.into(),
            member_pem: member.to_pem(),
            ca_pem: None,
        })
        .unwrap();
    let serial = hex::encode(obhod_syncd::member_serial(member.cert_der()).unwrap());
    let now = chrono::Local::now().fixed_offset();
    organiser.add_member(&MemberRecord::new(campaign.device(), name, &serial, member.cert_der(), now)).unwrap();
}

/// Passes sync messages between two stores until neither has anything to say; what `into`'s
/// messages bring `from` may be refused (and is left out).
fn pull(from: &mut Campaign, into: &mut Campaign) {
    let (mut sf, mut si) = (obhod_store::SyncSession::new(), obhod_store::SyncSession::new());
    for _ in 0..30 {
        let m = sf.generate(from);
        if let Some(m) = &m {
            si.receive(into, m).unwrap();
        }
        let r = si.generate(into);
        if let Some(r) = &r {
            let _ = sf.receive(from, r);
        }
        if m.is_none() && r.is_none() {
            return;
        }
    }
}

#[test]
fn status_tells_of_records_the_group_does_not_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = campaign(dir.path());
    ok(&store, &["group", "create", "--name", "Совет дома 5"]);
    let mut a = Campaign::open(&store).unwrap();
    let ca = obhod_syncd::GroupCa::from_pem(a.membership().unwrap().unwrap().ca_pem.as_deref().unwrap()).unwrap();
    let mut b = a.replica_to(&dir.path().join("b.db")).unwrap();
    let mut c = a.replica_to(&dir.path().join("c.db")).unwrap();
    admit(&ca, &mut b, &mut a, "Телефон Анны");
    admit(&ca, &mut c, &mut a, "Телефон Олега");
    pull(&mut a, &mut b);
    pull(&mut a, &mut c);
    drop(a);
    ok(&store, &["group", "revoke", "Телефон Олега"]);
    // The revoked phone records on; Anna's phone takes it before it hears of the revocation.
    c.mark(obhod_store::Mark::new("1", obhod_core::Outcome::Delivered)).unwrap();
    pull(&mut c, &mut b);
    // Then it hears of it from the organiser's device (which refuses what Anna's phone holds).
    b.receive_changes(&Campaign::open(&store).unwrap().changes_since(&[])).unwrap();
    let text = ok(b.path(), &["status"]);
    assert!(
        text.contains(&format!("Записей, которые группа не принимает (не подписаны её устройством или сделаны после отзыва): 1 ({}: 1) — не учтены", c.device())),
        "{text}"
    );
    let json: Value = serde_json::from_str(&ok(b.path(), &["--json", "status"])).unwrap();
    assert_eq!(json["unverified_facts"][c.device()], 1, "{json}");
    let members: Value = serde_json::from_str(&ok(b.path(), &["--json", "group", "members"])).unwrap();
    let oleg = members.as_array().unwrap().iter().find(|m| m["device"] == c.device()).unwrap();
    assert_eq!(oleg["not_counted"], 1);
    let organiser: Value = serde_json::from_str(&ok(&store, &["--json", "status"])).unwrap();
    assert!(organiser.get("unverified_facts").is_none(), "the organiser's device never took it: {organiser}");
}
