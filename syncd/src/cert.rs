//! The group's certificates: a certificate authority held by the organiser's device, and a member
//! certificate per device, signed by it over the device's own key. Keys travel only as PEM text for
//! the store to keep, and never appear in `Debug` output or logs.

use std::time::{Duration, SystemTime};

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, RevokedCertParams, SanType, SerialNumber, SubjectPublicKeyInfo,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use serde::{Deserialize, Serialize};
use x509_parser::prelude::{FromDer, X509Certificate};

/// The name every member's certificate is valid for: peers are told apart by the device id inside.
pub const MEMBER_SERVER_NAME: &str = "member.obhod.invalid";
/// The X.500 `uid` attribute: a member certificate's device id.
const UID: [u64; 7] = [0, 9, 2342, 19_200_300, 100, 1, 1];
const UID_OID: &str = "0.9.2342.19200300.100.1.1";
const CA_NAME: &str = "obhod group";

#[derive(Debug, thiserror::Error)]
pub enum CertError {
    #[error("{what} «{value}» is not valid: {why}")]
    BadName { what: &'static str, value: String, why: &'static str },
    #[error("could not make a certificate: {0}")]
    Rcgen(#[from] rcgen::Error),
    #[error("not a certificate of an obhod group: {0}")]
    NotOurs(String),
    #[error("the member certificate was not signed by this group's authority")]
    WrongCa,
    #[error("the member certificate is not for this device's key")]
    WrongKey,
    #[error("unreadable PEM: {0}")]
    Pem(String),
}

/// Who a member certificate names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub group_id: String,
    pub device_id: String,
    pub name: String,
}

/// The SHA-256 of a certificate's DER bytes, shown as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    pub fn of(cert_der: &[u8]) -> Self {
        let digest = ring::digest::digest(&ring::digest::SHA256, cert_der);
        Self(digest.as_ref().try_into().expect("SHA-256 is 32 bytes"))
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl std::str::FromStr for Fingerprint {
    type Err = CertError;
    fn from_str(text: &str) -> Result<Self, CertError> {
        let bad = || CertError::BadName { what: "fingerprint", value: text.into(), why: "not 64 hex digits" };
        let bytes = hex::decode(text).map_err(|_| bad())?;
        Ok(Self(bytes.try_into().map_err(|_| bad())?))
    }
}

/// A device's own key pair, made on the device; only its public half leaves it.
pub struct DeviceKey(KeyPair);

impl DeviceKey {
    pub fn generate() -> Result<Self, CertError> {
        Ok(Self(KeyPair::generate()?))
    }

    /// The public key as DER `SubjectPublicKeyInfo`, for the group's authority to sign.
    pub fn public_key_der(&self) -> Vec<u8> {
        spki(&self.0)
    }

    pub fn to_pem(&self) -> String {
        self.0.serialize_pem()
    }

    pub(crate) fn private_key_der(&self) -> PrivateKeyDer<'static> {
        PrivatePkcs8KeyDer::from(self.0.serialize_der()).into()
    }

    pub fn from_pem(pem: &str) -> Result<Self, CertError> {
        Ok(Self(KeyPair::from_pem(pem)?))
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(..)")
    }
}

/// The group's certificate authority: the organiser's device signs members with it.
pub struct GroupCa {
    group_id: String,
    cert: CertificateDer<'static>,
    key: KeyPair,
}

/// How long a group's certificates last when the campaign's end is not given.
pub const DEFAULT_LIFE: Duration = Duration::from_secs(2 * 365 * 24 * 3600);
/// How far before their making certificates are valid: a phone's clock may be behind.
const CLOCK_SKEW: Duration = Duration::from_secs(24 * 3600);

impl GroupCa {
    /// A new group authority, valid for [`DEFAULT_LIFE`].
    pub fn create(group_id: &str) -> Result<Self, CertError> {
        GroupCa::create_until(group_id, SystemTime::now() + DEFAULT_LIFE)
    }

    /// A new group authority whose certificates (its own and the members') are valid from a day
    /// ago until `until`: the campaign's life, not forever.
    pub fn create_until(group_id: &str, until: SystemTime) -> Result<Self, CertError> {
        check_id("group id", group_id)?;
        let key = KeyPair::generate()?;
        let mut params = ca_params(group_id);
        valid_until(&mut params, until);
        let cert = params.self_signed(&key)?.der().clone();
        Ok(Self { group_id: group_id.into(), cert, key })
    }

    /// The end of the authority's validity, which its members' certificates share.
    pub fn valid_until(&self) -> Result<SystemTime, CertError> {
        let (_, cert) = X509Certificate::from_der(&self.cert).map_err(not_ours)?;
        let seconds = u64::try_from(cert.validity().not_after.timestamp()).unwrap_or(0);
        Ok(std::time::UNIX_EPOCH + Duration::from_secs(seconds))
    }

    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    pub fn cert_der(&self) -> &[u8] {
        &self.cert
    }

    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.cert)
    }

    /// A member certificate (DER) for a device's public key (DER `SubjectPublicKeyInfo`).
    pub fn sign_member(&self, device_id: &str, name: &str, public_key_der: &[u8]) -> Result<Vec<u8>, CertError> {
        check_id("device id", device_id)?;
        check_name(name)?;
        let public_key = SubjectPublicKeyInfo::from_der(public_key_der)?;
        let issuer = Issuer::new(ca_params(&self.group_id), &self.key);
        let mut params = member_params(&self.group_id, device_id, name);
        valid_until(&mut params, self.valid_until()?);
        let cert = params.signed_by(&public_key, &issuer)?;
        Ok(cert.der().to_vec())
    }

    /// A revocation list numbered `number` (each new list a higher number), shutting out the member
    /// certificates with these serial numbers (see [`member_serial`]); DER, for the store to keep
    /// and for peers to check handshakes against.
    pub fn revocation_list(&self, number: u64, serials: &[Vec<u8>], now: SystemTime) -> Result<Vec<u8>, CertError> {
        let now = time::OffsetDateTime::from(now);
        let revoked_certs = serials
            .iter()
            .map(|serial| RevokedCertParams {
                serial_number: SerialNumber::from_slice(serial),
                revocation_time: now,
                reason_code: None,
                invalidity_date: None,
            })
            .collect();
        let params = CertificateRevocationListParams {
            this_update: now,
            next_update: now + Duration::from_secs(100 * 365 * 24 * 3600),
            crl_number: SerialNumber::from_slice(&number.to_be_bytes()),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: rcgen::KeyIdMethod::Sha256,
        };
        let issuer = Issuer::new(ca_params(&self.group_id), &self.key);
        Ok(params.signed_by(&issuer)?.der().to_vec())
    }

    /// A new device of the group, with its key made here (the organiser's own device, tests).
    pub fn issue(&self, device_id: &str, name: &str) -> Result<Member, CertError> {
        let key = DeviceKey::generate()?;
        let cert = self.sign_member(device_id, name, &key.public_key_der())?;
        Member::new(self.cert.to_vec(), cert, key)
    }

    /// The certificate and the private key, as two PEM blocks, for the store to keep.
    pub fn to_pem(&self) -> String {
        pem::encode_many(&[
            pem::Pem::new("CERTIFICATE", self.cert.to_vec()),
            pem::Pem::new("PRIVATE KEY", self.key.serialize_der()),
        ])
    }

    pub fn from_pem(text: &str) -> Result<Self, CertError> {
        let [cert, key] = pem_blocks(text, ["CERTIFICATE", "PRIVATE KEY"])?;
        let group_id = read_ca(&cert)?;
        let key = KeyPair::try_from(key.as_slice())?;
        if read_public_key(&cert)? != spki(&key) {
            return Err(CertError::WrongKey);
        }
        Ok(Self { group_id, cert: cert.into(), key })
    }
}

impl std::fmt::Debug for GroupCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCa").field("group_id", &self.group_id).field("fingerprint", &self.fingerprint()).finish()
    }
}

/// A device's membership: the group's CA certificate, its member certificate and its key.
pub struct Member {
    info: MemberInfo,
    ca_cert: CertificateDer<'static>,
    cert: CertificateDer<'static>,
    key: DeviceKey,
}

impl Member {
    /// Checks that `cert_der` is signed by the CA and is for `key`, and reads who it names.
    pub fn new(ca_cert_der: Vec<u8>, cert_der: Vec<u8>, key: DeviceKey) -> Result<Self, CertError> {
        let info = member_info(&cert_der)?;
        let (_, ca) = X509Certificate::from_der(&ca_cert_der).map_err(not_ours)?;
        let (_, cert) = X509Certificate::from_der(&cert_der).map_err(not_ours)?;
        if read_ca(&ca_cert_der)? != info.group_id || cert.verify_signature(Some(ca.public_key())).is_err() {
            return Err(CertError::WrongCa);
        }
        if cert.public_key().raw != key.public_key_der() {
            return Err(CertError::WrongKey);
        }
        Ok(Self { info, ca_cert: ca_cert_der.into(), cert: cert_der.into(), key })
    }

    pub fn info(&self) -> &MemberInfo {
        &self.info
    }

    pub fn ca_fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.ca_cert)
    }

    pub fn ca_cert_der(&self) -> &[u8] {
        &self.ca_cert
    }

    pub fn cert_der(&self) -> &[u8] {
        &self.cert
    }

    /// The certificate chain a member presents in TLS: its own, then the group's CA.
    pub(crate) fn chain(&self) -> Vec<CertificateDer<'static>> {
        vec![self.cert.clone(), self.ca_cert.clone()]
    }

    pub(crate) fn private_key_der(&self) -> PrivateKeyDer<'static> {
        self.key.private_key_der()
    }

    /// Signs `message` with the device's key (ECDSA P-256, SHA-256, ASN.1 DER).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CertError> {
        Ok(rcgen::SigningKey::sign(&self.key.0, message)?)
    }

    /// The CA certificate, the member certificate and the device key, as three PEM blocks.
    pub fn to_pem(&self) -> String {
        pem::encode_many(&[
            pem::Pem::new("CERTIFICATE", self.ca_cert.to_vec()),
            pem::Pem::new("CERTIFICATE", self.cert.to_vec()),
            pem::Pem::new("PRIVATE KEY", self.key.0.serialize_der()),
        ])
    }

    pub fn from_pem(text: &str) -> Result<Self, CertError> {
        let [ca, cert, key] = pem_blocks(text, ["CERTIFICATE", "CERTIFICATE", "PRIVATE KEY"])?;
        Self::new(ca, cert, DeviceKey(KeyPair::try_from(key.as_slice())?))
    }
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member").field("info", &self.info).field("ca", &self.ca_fingerprint()).finish()
    }
}

/// A member certificate's serial number, by which it is revoked.
pub fn member_serial(cert_der: &[u8]) -> Result<Vec<u8>, CertError> {
    let (_, cert) = X509Certificate::from_der(cert_der).map_err(not_ours)?;
    Ok(cert.raw_serial().to_vec())
}

/// Whether `signature` over `message` was made with the key `cert_der` certifies.
pub fn verify_signature(cert_der: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok((_, cert)) = X509Certificate::from_der(cert_der) else { return false };
    let key = cert.public_key().subject_public_key.data.as_ref();
    let key = ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, key);
    key.verify(message, signature).is_ok()
}

/// Who a member certificate names (its signature is not checked here: TLS does that).
pub fn member_info(cert_der: &[u8]) -> Result<MemberInfo, CertError> {
    let (_, cert) = X509Certificate::from_der(cert_der).map_err(not_ours)?;
    let subject = cert.subject();
    let field = |values: Vec<&str>, what: &str| match values[..] {
        [value] => Ok(value.to_owned()),
        _ => Err(CertError::NotOurs(format!("no single {what} in the subject"))),
    };
    let strings = |oid: &str| {
        let oid = oid.parse().expect("a valid OID");
        subject.iter_by_oid(&oid).filter_map(|a| a.as_str().ok()).collect::<Vec<_>>()
    };
    Ok(MemberInfo {
        group_id: field(subject.iter_organization().filter_map(|a| a.as_str().ok()).collect(), "group id")?,
        device_id: field(strings(UID_OID), "device id")?,
        name: field(subject.iter_common_name().filter_map(|a| a.as_str().ok()).collect(), "name")?,
    })
}

fn valid_until(params: &mut CertificateParams, until: SystemTime) {
    params.not_before = time::OffsetDateTime::from(SystemTime::now() - CLOCK_SKEW);
    params.not_after = time::OffsetDateTime::from(until);
}

fn ca_params(group_id: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, CA_NAME);
    params.distinguished_name.push(DnType::OrganizationName, group_id);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    params
}

fn member_params(group_id: &str, device_id: &str, name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.distinguished_name.push(DnType::CommonName, name);
    params.distinguished_name.push(DnType::OrganizationName, group_id);
    params.distinguished_name.push(DnType::CustomDnType(UID.to_vec()), device_id);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    params.subject_alt_names = vec![SanType::DnsName(MEMBER_SERVER_NAME.try_into().expect("a valid DNS name"))];
    params.use_authority_key_identifier_extension = true;
    params.serial_number = Some(random_serial());
    params
}

/// 128 random bits, positive and with no leading zero byte, so that DER keeps them as they are.
fn random_serial() -> SerialNumber {
    let mut bytes = [0; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("the system's randomness");
    bytes[0] = (bytes[0] & 0x7f).max(1);
    SerialNumber::from_slice(&bytes)
}

/// The group id of a CA certificate of ours.
fn read_ca(cert_der: &[u8]) -> Result<String, CertError> {
    let (_, cert) = X509Certificate::from_der(cert_der).map_err(not_ours)?;
    let names: Vec<_> = cert.subject().iter_common_name().filter_map(|a| a.as_str().ok()).collect();
    let groups: Vec<_> = cert.subject().iter_organization().filter_map(|a| a.as_str().ok()).collect();
    match (&names[..], &groups[..], cert.is_ca()) {
        ([CA_NAME], [group], true) => Ok((*group).to_owned()),
        _ => Err(CertError::NotOurs("not a group's authority".into())),
    }
}

fn read_public_key(cert_der: &[u8]) -> Result<Vec<u8>, CertError> {
    let (_, cert) = X509Certificate::from_der(cert_der).map_err(not_ours)?;
    Ok(cert.public_key().raw.to_vec())
}

fn spki(key: &KeyPair) -> Vec<u8> {
    rcgen::PublicKeyData::subject_public_key_info(key)
}

fn pem_blocks<const N: usize>(text: &str, tags: [&str; N]) -> Result<[Vec<u8>; N], CertError> {
    let blocks = pem::parse_many(text).map_err(|e| CertError::Pem(e.to_string()))?;
    let found: Vec<&str> = blocks.iter().map(|b| b.tag()).collect();
    if found != tags {
        return Err(CertError::Pem(format!("expected {tags:?}, found {found:?}")));
    }
    Ok(blocks.into_iter().map(pem::Pem::into_contents).collect::<Vec<_>>().try_into().expect("N blocks"))
}

fn not_ours(error: impl std::fmt::Display) -> CertError {
    CertError::NotOurs(error.to_string())
}

pub(crate) fn check_id(what: &'static str, value: &str) -> Result<(), CertError> {
    let ok =
        (1..=64).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(()).ok_or(CertError::BadName {
        what,
        value: value.into(),
        why: "1 to 64 Latin letters, digits, '-' or '_'",
    })
}

fn check_name(value: &str) -> Result<(), CertError> {
    let ok = (1..=64).contains(&value.chars().count()) && !value.chars().any(char::is_control);
    ok.then_some(()).ok_or(CertError::BadName {
        what: "device name",
        value: value.chars().take(80).collect(),
        why: "1 to 64 characters, no control characters",
    })
}
