//! The group's certificates: who they name, which authority and key they belong to, and their PEM
//! form for the store, with no private key in `Debug` output.

use obhod_syncd::cert::{CertError, DeviceKey, Fingerprint, GroupCa, Member, MemberInfo, member_info, member_serial};

fn info(group: &str, device: &str, name: &str) -> MemberInfo {
    MemberInfo { group_id: group.into(), device_id: device.into(), name: name.into() }
}

#[test]
fn a_member_certificate_names_its_group_device_and_name() {
    let ca = GroupCa::create("G1").unwrap();
    let member = ca.issue("D1", "Телефон Анны").unwrap();
    assert_eq!(member.info(), &info("G1", "D1", "Телефон Анны"));
    assert_eq!(member_info(member.cert_der()).unwrap(), info("G1", "D1", "Телефон Анны"));
    assert_eq!(member.ca_fingerprint(), ca.fingerprint());
}

#[test]
fn the_fingerprint_is_the_sha256_of_the_ca_certificate_in_hex() {
    let ca = GroupCa::create("G1").unwrap();
    let text = ca.fingerprint().to_string();
    assert_eq!(text.len(), 64);
    assert_eq!(text.parse::<Fingerprint>().unwrap(), ca.fingerprint());
    assert_eq!(ca.fingerprint(), Fingerprint::of(ca.cert_der()));
    assert!(matches!("abc".parse::<Fingerprint>(), Err(CertError::BadName { what: "fingerprint", .. })));
}

#[test]
fn a_device_signs_up_with_its_own_key() {
    let ca = GroupCa::create("G1").unwrap();
    let key = DeviceKey::generate().unwrap();
    let cert = ca.sign_member("D2", "laptop", &key.public_key_der()).unwrap();
    let member = Member::new(ca.cert_der().to_vec(), cert, key).unwrap();
    assert_eq!(member.info().device_id, "D2");
}

fn split_key(pem: &str) -> (String, String) {
    let (cert, key) = pem.split_once("-----BEGIN PRIVATE KEY-----").unwrap();
    (cert.to_owned(), key.to_owned())
}

#[test]
fn a_certificate_of_another_group_or_key_is_refused() {
    let ours = GroupCa::create("G1").unwrap();
    let theirs = GroupCa::create("G2").unwrap();
    let key = DeviceKey::generate().unwrap();
    let cert = theirs.sign_member("D1", "phone", &key.public_key_der()).unwrap();
    assert!(matches!(Member::new(ours.cert_der().to_vec(), cert, key), Err(CertError::WrongCa)));

    let (our_cert, _) = split_key(&ours.to_pem());
    let (_, their_key) = split_key(&theirs.to_pem());
    let mixed = format!("{our_cert}-----BEGIN PRIVATE KEY-----{their_key}");
    assert!(matches!(GroupCa::from_pem(&mixed), Err(CertError::WrongKey)));

    let cert = ours.sign_member("D1", "phone", &DeviceKey::generate().unwrap().public_key_der()).unwrap();
    let other_key = DeviceKey::generate().unwrap();
    assert!(matches!(Member::new(ours.cert_der().to_vec(), cert, other_key), Err(CertError::WrongKey)));
}

#[test]
fn same_group_id_but_another_authority_is_refused() {
    let ours = GroupCa::create("G1").unwrap();
    let forged = GroupCa::create("G1").unwrap();
    let key = DeviceKey::generate().unwrap();
    let cert = forged.sign_member("D1", "phone", &key.public_key_der()).unwrap();
    assert!(matches!(Member::new(ours.cert_der().to_vec(), cert, key), Err(CertError::WrongCa)));
}

#[test]
fn the_authority_and_a_member_survive_their_pem_form() {
    let ca = GroupCa::create("G1").unwrap();
    let restored = GroupCa::from_pem(&ca.to_pem()).unwrap();
    assert_eq!((restored.group_id(), restored.fingerprint()), ("G1", ca.fingerprint()));
    let member = restored.issue("D3", "планшет").unwrap();
    assert_eq!(member.ca_fingerprint(), ca.fingerprint());
    let again = Member::from_pem(&member.to_pem()).unwrap();
    assert_eq!((again.info(), again.cert_der()), (member.info(), member.cert_der()));
    let key = DeviceKey::from_pem(&DeviceKey::generate().unwrap().to_pem()).unwrap();
    assert!(!key.public_key_der().is_empty());
}

#[test]
fn a_pem_with_the_wrong_blocks_is_refused() {
    let ca = GroupCa::create("G1").unwrap();
    let member = ca.issue("D1", "phone").unwrap();
    assert!(matches!(GroupCa::from_pem(&member.to_pem()), Err(CertError::Pem(_))));
    assert!(matches!(Member::from_pem(&ca.to_pem()), Err(CertError::Pem(_))));
    assert!(matches!(Member::from_pem("garbage"), Err(CertError::Pem(_))));
}

#[test]
fn debug_output_shows_no_private_key() {
    let ca = GroupCa::create("G1").unwrap();
    let member = ca.issue("D1", "phone").unwrap();
    let key = DeviceKey::generate().unwrap();
    let key_body = |key: &str| key.lines().nth(1).unwrap().to_owned();
    for (debug, pem) in
        [(format!("{ca:?}"), ca.to_pem()), (format!("{member:?}"), member.to_pem()), (format!("{key:?}"), key.to_pem())]
    {
        assert!(!debug.contains(&key_body(&split_key(&pem).1)), "{debug}");
        assert!(!debug.contains("PRIVATE"), "{debug}");
    }
    assert!(format!("{ca:?}").contains(&ca.fingerprint().to_string()));
}

#[test]
fn bad_ids_and_names_are_refused() {
    assert!(matches!(GroupCa::create(""), Err(CertError::BadName { what: "group id", .. })));
    assert!(matches!(GroupCa::create("a b"), Err(CertError::BadName { what: "group id", .. })));
    let ca = GroupCa::create("G1").unwrap();
    assert!(matches!(ca.issue("D/1", "phone"), Err(CertError::BadName { what: "device id", .. })));
    assert!(matches!(ca.issue("D1", ""), Err(CertError::BadName { what: "device name", .. })));
    assert!(matches!(ca.issue("D1", "a\nb"), Err(CertError::BadName { what: "device name", .. })));
}

#[test]
fn every_member_certificate_has_its_own_serial_to_be_revoked_by() {
    let ca = GroupCa::create("G1").unwrap();
    let [a, b] = ["A", "B"].map(|id| member_serial(ca.issue(id, "phone").unwrap().cert_der()).unwrap());
    assert_eq!((a.len(), b.len()), (16, 16));
    assert_ne!(a, b);
    let list = ca.revocation_list(1, &[a], std::time::SystemTime::now()).unwrap();
    assert!(!list.is_empty());
}

#[test]
fn certificates_last_the_campaign_from_a_day_ago_not_forever() {
    use x509_parser::prelude::{FromDer, X509Certificate};
    let now = std::time::SystemTime::now();
    let until = now + std::time::Duration::from_secs(400 * 24 * 3600);
    let ca = GroupCa::create_until("G", until).unwrap();
    let member = ca.issue("D1", "phone").unwrap();
    let unix = |t: std::time::SystemTime| t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    for der in [ca.cert_der(), member.cert_der()] {
        let (_, cert) = X509Certificate::from_der(der).unwrap();
        let validity = cert.validity();
        assert_eq!(validity.not_after.timestamp(), unix(until));
        let before = unix(now) - validity.not_before.timestamp();
        assert!((86_000..=86_500).contains(&before), "valid from a day ago: {before} s");
    }
}
