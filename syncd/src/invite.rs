//! One-time invites into a group: the group id, its CA's fingerprint, where the inviter listens, a
//! single-use 128-bit token and an expiry, as compact text (base32, a checksum against typos) and as
//! a QR code for the terminal. The clock is the caller's, so that expiry is testable.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use data_encoding::BASE32_NOPAD;

use crate::cert::{CertError, Fingerprint, check_id};

/// What every invite's text starts with.
pub const PREFIX: &str = "OBHOD1-";
/// How long an invite is valid unless asked otherwise.
pub const DEFAULT_TTL: Duration = Duration::from_secs(10 * 60);
const MAX_ADDRESSES: usize = 16;
const CHECKSUM: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    #[error("not an obhod invite: {0}")]
    Malformed(&'static str),
    #[error("the invite has a typo (its checksum does not match)")]
    Checksum,
    #[error("the invite expired at {expires} (Unix time); ask for a new one")]
    Expired { expires: u64 },
    #[error("the invite names a bad group id")]
    BadGroup,
    #[error("an invite carries at most {MAX_ADDRESSES} addresses")]
    TooManyAddresses,
}

/// A single-use 128-bit secret; never shown in `Debug` output.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token(pub [u8; 16]);

impl Token {
    pub fn generate() -> Self {
        let mut bytes = [0; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("the system's randomness");
        Self(bytes)
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub group_id: String,
    pub ca: Fingerprint,
    pub addresses: Vec<SocketAddr>,
    pub token: Token,
    /// Unix time in seconds after which the invite is refused.
    pub expires: u64,
}

impl Invite {
    /// A new invite with a fresh token, valid for `ttl` from `now`.
    pub fn new(
        group_id: &str,
        ca: Fingerprint,
        addresses: Vec<SocketAddr>,
        ttl: Duration,
        now: SystemTime,
    ) -> Result<Self, InviteError> {
        check_id("group id", group_id).map_err(|_: CertError| InviteError::BadGroup)?;
        if addresses.len() > MAX_ADDRESSES {
            return Err(InviteError::TooManyAddresses);
        }
        let expires = unix(now).saturating_add(ttl.as_secs());
        Ok(Self { group_id: group_id.into(), ca, addresses, token: Token::generate(), expires })
    }

    /// The invite as text; its group id and addresses are as [`Invite::new`] or [`Invite::parse`]
    /// checked them.
    pub fn encode(&self) -> String {
        let mut bytes = vec![self.group_id.len() as u8];
        bytes.extend_from_slice(self.group_id.as_bytes());
        bytes.extend_from_slice(&self.ca.0);
        bytes.extend_from_slice(&self.token.0);
        bytes.extend_from_slice(&self.expires.to_be_bytes());
        bytes.push(self.addresses.len() as u8);
        self.addresses.iter().for_each(|address| put_address(&mut bytes, address));
        bytes.extend_from_slice(&checksum(&bytes));
        format!("{PREFIX}{}", BASE32_NOPAD.encode(&bytes))
    }

    /// Reads an invite typed or scanned (any case, spaces ignored), refusing it once expired.
    pub fn parse(text: &str, now: SystemTime) -> Result<Self, InviteError> {
        let invite = Invite::read(text)?;
        if unix(now) >= invite.expires {
            return Err(InviteError::Expired { expires: invite.expires });
        }
        Ok(invite)
    }

    /// Reads an invite without looking at this device's clock: a joiner's clock may be off, and
    /// the inviter, whose clock set the expiry, refuses an expired invite itself.
    pub fn read(text: &str) -> Result<Self, InviteError> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let body = text.strip_prefix(PREFIX).ok_or(InviteError::Malformed("it does not start with OBHOD1-"))?;
        let bytes = BASE32_NOPAD.decode(body.as_bytes()).map_err(|_| InviteError::Malformed("not base32"))?;
        let (data, sum) = bytes
            .split_at_checked(bytes.len().saturating_sub(CHECKSUM))
            .filter(|(_, s)| s.len() == CHECKSUM)
            .ok_or(InviteError::Malformed("too short"))?;
        if checksum(data) != sum {
            return Err(InviteError::Checksum);
        }
        read(&mut Reader(data))
    }

    /// The invite's text as a QR code in Unicode half blocks, drawn for a dark terminal (the light
    /// modules are the blocks), with its quiet zone.
    pub fn qr(&self) -> String {
        use qrcode::render::unicode::Dense1x2;
        let code = qrcode::QrCode::new(self.encode().as_bytes()).expect("an invite fits in a QR code");
        code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).build()
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn checksum(data: &[u8]) -> [u8; CHECKSUM] {
    let digest = ring::digest::digest(&ring::digest::SHA256, data);
    digest.as_ref()[..CHECKSUM].try_into().expect("a digest is longer")
}

fn put_address(bytes: &mut Vec<u8>, address: &SocketAddr) {
    match address.ip() {
        IpAddr::V4(ip) => bytes.extend(std::iter::once(4).chain(ip.octets())),
        IpAddr::V6(ip) => bytes.extend(std::iter::once(6).chain(ip.octets())),
    }
    bytes.extend_from_slice(&address.port().to_be_bytes());
}

fn read(r: &mut Reader) -> Result<Invite, InviteError> {
    let len = r.byte()?;
    let group_id = String::from_utf8(r.take(len.into())?.to_vec()).map_err(|_| InviteError::BadGroup)?;
    check_id("group id", &group_id).map_err(|_| InviteError::BadGroup)?;
    let ca = Fingerprint(r.array()?);
    let token = Token(r.array()?);
    let expires = u64::from_be_bytes(r.array()?);
    let count = r.byte()?;
    if usize::from(count) > MAX_ADDRESSES {
        return Err(InviteError::TooManyAddresses);
    }
    let addresses = (0..count).map(|_| read_address(r)).collect::<Result<_, _>>()?;
    if !r.0.is_empty() {
        return Err(InviteError::Malformed("bytes left over"));
    }
    Ok(Invite { group_id, ca, addresses, token, expires })
}

fn read_address(r: &mut Reader) -> Result<SocketAddr, InviteError> {
    let ip = match r.byte()? {
        4 => IpAddr::from(r.array::<4>()?),
        6 => IpAddr::from(r.array::<16>()?),
        _ => return Err(InviteError::Malformed("an unknown address family")),
    };
    Ok(SocketAddr::new(ip, u16::from_be_bytes(r.array()?)))
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], InviteError> {
        let (head, rest) = self.0.split_at_checked(n).ok_or(InviteError::Malformed("cut short"))?;
        self.0 = rest;
        Ok(head)
    }

    fn byte(&mut self) -> Result<u8, InviteError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], InviteError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
}

/// The label under which both ends of a connection derive the secret a token proof is bound to.
pub const EXPORTER_LABEL: &[u8] = b"EXPORTER-obhod-invite-token";

/// The SHA-256 of a token: what the inviting device keeps of an invite, and the key of the proof.
pub fn token_hash(token: &Token) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, &token.0);
    digest.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// A joining device's proof that it holds the invite's token: an HMAC-SHA256 keyed by the token's
/// hash over this TLS session's exported secret and the device's certificate request (its public
/// key), so the proof is worthless on another connection or for another key. Keyed by the hash,
/// the proof can be checked by any process on the inviting device, the sync daemon included, from
/// what its store keeps (never the token itself).
pub fn token_proof(token: &Token, exported: &[u8; 32], request: &[u8]) -> [u8; 32] {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &token_hash(token));
    let tag = ring::hmac::sign(&key, &proof_message(exported, request));
    tag.as_ref().try_into().expect("HMAC-SHA256 is 32 bytes")
}

/// Checks a proof in constant time.
pub fn verify_token_proof(token: &Token, exported: &[u8; 32], request: &[u8], proof: &[u8]) -> bool {
    verify_proof_by_hash(&token_hash(token), exported, request, proof)
}

/// Checks a proof against an invite known only by its token's hash, in constant time.
pub fn verify_proof_by_hash(hash: &[u8; 32], exported: &[u8; 32], request: &[u8], proof: &[u8]) -> bool {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, hash);
    ring::hmac::verify(&key, &proof_message(exported, request), proof).is_ok()
}

fn proof_message(exported: &[u8; 32], request: &[u8]) -> Vec<u8> {
    [&exported[..], request].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(data: &[u8]) -> String {
        format!("{PREFIX}{}", BASE32_NOPAD.encode(&[data, &checksum(data)].concat()))
    }

    #[test]
    fn a_well_sealed_but_wrong_body_is_refused_for_what_is_wrong() {
        let now = UNIX_EPOCH;
        assert_eq!(Invite::parse(&sealed(&[5, b'G']), now), Err(InviteError::Malformed("cut short")));
        assert_eq!(Invite::parse(&sealed(&[3, b'a', b' ', b'b']), now), Err(InviteError::BadGroup));
        let mut body = vec![1, b'G'];
        body.extend([0; 48]);
        body.extend(u64::MAX.to_be_bytes());
        assert_eq!(Invite::parse(&sealed(&[&body[..], &[17]].concat()), now), Err(InviteError::TooManyAddresses));
        assert_eq!(
            Invite::parse(&sealed(&[&body[..], &[1, 5]].concat()), now),
            Err(InviteError::Malformed("an unknown address family"))
        );
        assert_eq!(
            Invite::parse(&sealed(&[&body[..], &[0, 9]].concat()), now),
            Err(InviteError::Malformed("bytes left over"))
        );
        assert_eq!(Invite::parse(&sealed(&[&body[..], &[0]].concat()), now).unwrap().addresses, vec![]);
    }
}
