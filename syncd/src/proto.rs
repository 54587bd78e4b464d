//! The messages of a sync connection, one per frame: a kind byte, then the body. The hello is signed
//! with the device's key over a secret of this TLS session, so it cannot be replayed elsewhere.

use obhod_store::ContactsMessage;
use serde::{Deserialize, Serialize};

use crate::cert::{Member, verify_signature};

/// The label of the TLS exporter secret a hello's signature covers.
pub const HELLO_LABEL: &[u8] = b"EXPORTER-obhod-hello";

/// Who speaks, so that a hello cannot be reflected back to its sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The side that accepted the connection: it speaks first.
    Acceptor,
    /// The side that dialled.
    Dialer,
}

/// What a device says first on every connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub group: String,
    pub campaign: String,
    /// The number of the newest revocation list this device holds (0: none).
    pub revocations: u64,
    pub device: String,
    pub name: String,
    /// Hex.
    pub signature: String,
}

impl Hello {
    /// A hello signed by `member` for this session (`exported`: the session's [`HELLO_LABEL`] secret).
    pub fn signed(
        member: &Member,
        campaign: &str,
        revocations: u64,
        role: Role,
        exported: &[u8; 32],
    ) -> Result<Hello, crate::cert::CertError> {
        let info = member.info();
        let mut hello = Hello {
            group: info.group_id.clone(),
            campaign: campaign.into(),
            revocations,
            device: info.device_id.clone(),
            name: info.name.clone(),
            signature: String::new(),
        };
        hello.signature = hex::encode(member.sign(&hello.signed_bytes(role, exported))?);
        Ok(hello)
    }

    /// Whether the signature is the certificate's key's, over this session and role.
    pub fn verify(&self, cert_der: &[u8], role: Role, exported: &[u8; 32]) -> bool {
        let Ok(signature) = hex::decode(&self.signature) else { return false };
        verify_signature(cert_der, &self.signed_bytes(role, exported), &signature)
    }

    fn signed_bytes(&self, role: Role, exported: &[u8; 32]) -> Vec<u8> {
        let fields = (&self.group, &self.campaign, self.revocations, &self.device, &self.name);
        let mut bytes = b"obhod-hello/1".to_vec();
        bytes.push(role as u8);
        bytes.extend_from_slice(exported);
        bytes.extend(serde_json::to_vec(&fields).expect("plain fields serialize"));
        bytes
    }
}

/// What a side tells the other once the documents agree: what it received in this round (so the
/// other learns what it sent) and its contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contacts {
    pub facts_received: usize,
    pub ballots_received: usize,
    pub offer: ContactsMessage,
}

/// One frame of a sync connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    Hello(Hello),
    /// An automerge sync message.
    Sync(Vec<u8>),
    /// Nothing to send this turn.
    Idle,
    Contacts(Box<Contacts>),
    /// The accepting side has changes: the dialler is to start a round.
    Nudge,
}

const HELLO: u8 = 1;
const SYNC: u8 = 2;
const IDLE: u8 = 3;
const CONTACTS: u8 = 4;
const NUDGE: u8 = 5;

/// A frame that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an unreadable message: {0}")]
pub struct BadFrame(pub String);

impl Frame {
    pub fn encode(&self) -> Vec<u8> {
        let json = |kind: u8, body: Vec<u8>| [vec![kind], body].concat();
        match self {
            Frame::Hello(hello) => json(HELLO, serde_json::to_vec(hello).expect("a hello serializes")),
            Frame::Sync(bytes) => [&[SYNC], &bytes[..]].concat(),
            Frame::Idle => vec![IDLE],
            Frame::Contacts(contacts) => json(CONTACTS, serde_json::to_vec(contacts).expect("contacts serialize")),
            Frame::Nudge => vec![NUDGE],
        }
    }

    pub fn decode(bytes: &[u8]) -> Result<Frame, BadFrame> {
        let (kind, body) = bytes.split_first().ok_or_else(|| BadFrame("an empty frame".into()))?;
        let bad = |e: serde_json::Error| BadFrame(e.to_string());
        match (*kind, body.is_empty()) {
            (HELLO, _) => Ok(Frame::Hello(serde_json::from_slice(body).map_err(bad)?)),
            (SYNC, _) => Ok(Frame::Sync(body.to_vec())),
            (IDLE, true) => Ok(Frame::Idle),
            (CONTACTS, _) => Ok(Frame::Contacts(Box::new(serde_json::from_slice(body).map_err(bad)?))),
            (NUDGE, true) => Ok(Frame::Nudge),
            (kind, _) => Err(BadFrame(format!("an unknown message kind {kind}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::GroupCa;

    #[test]
    fn a_hello_verifies_only_for_its_session_role_and_key() {
        let ca = GroupCa::create("G").unwrap();
        let (a, b) = (ca.issue("A", "phone").unwrap(), ca.issue("B", "laptop").unwrap());
        let secret = [7; 32];
        let hello = Hello::signed(&a, "C1", 2, Role::Acceptor, &secret).unwrap();
        assert!(hello.verify(a.cert_der(), Role::Acceptor, &secret));
        assert!(!hello.verify(a.cert_der(), Role::Dialer, &secret), "reflected");
        assert!(!hello.verify(a.cert_der(), Role::Acceptor, &[8; 32]), "replayed on another session");
        assert!(!hello.verify(b.cert_der(), Role::Acceptor, &secret), "another device's key");
        let forged = Hello { campaign: "C2".into(), ..hello };
        assert!(!forged.verify(a.cert_der(), Role::Acceptor, &secret), "a changed field");
    }

    #[test]
    fn frames_round_trip_and_strangers_are_refused() {
        for frame in [Frame::Sync(vec![1, 2, 3]), Frame::Idle, Frame::Nudge] {
            assert_eq!(Frame::decode(&frame.encode()), Ok(frame));
        }
        assert_eq!(Frame::decode(&[]), Err(BadFrame("an empty frame".into())));
        assert_eq!(Frame::decode(&[9]), Err(BadFrame("an unknown message kind 9".into())));
        assert_eq!(Frame::decode(&[IDLE, 0]), Err(BadFrame("an unknown message kind 3".into())));
        assert!(Frame::decode(&[HELLO, b'{']).is_err());
    }
}
