//! Signatures over what a device writes: each member device signs its facts, ballots and meeting
//! updates with its own key (the one its member certificate certifies), and the organiser's
//! device signs the group record with the group's CA key. ECDSA P-256 with SHA-256 (ring), over a
//! canonical byte string that names the campaign, the map and the key, so a signed record cannot
//! be replayed under another key or into another campaign.

use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, KeyPair, UnparsedPublicKey};
use serde_json::{Map as JsonMap, Value};
use x509_parser::prelude::{FromDer, X509Certificate};

/// A key this device signs with.
pub(crate) struct Signer {
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl Signer {
    /// The key of a PEM `PRIVATE KEY` block (PKCS#8), if it is a P-256 key.
    fn from_pkcs8(der: &[u8]) -> Option<Signer> {
        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der, &rng).ok()?;
        Some(Signer { key, rng })
    }

    /// The raw public key (an uncompressed P-256 point), as the group record keeps it.
    pub(crate) fn public_key(&self) -> &[u8] {
        self.key.public_key().as_ref()
    }

    /// The signature, or `None` when the system's randomness fails (the record then goes unsigned).
    pub(crate) fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        self.key.sign(&self.rng, message).map(|sig| sig.as_ref().to_vec()).ok()
    }
}

/// What a device's membership gives it to sign and verify with.
#[derive(Default)]
pub(crate) struct Keys {
    /// This device's member key.
    pub member: Option<Signer>,
    /// The group's CA key: the organiser's device only.
    pub ca: Option<Signer>,
    /// The group's CA public key, from the CA certificate in the membership: the anchor every
    /// group record is verified against.
    pub anchor: Option<Vec<u8>>,
    /// The CA's certificate and key as PEM, once readable (in clear in the store, or opened with
    /// the passphrase): what signs members' certificates and revocation lists.
    pub ca_pem: Option<String>,
}

impl Keys {
    /// From a membership's PEM texts (`member_pem`: CA certificate, member certificate, key;
    /// `ca_pem`: CA certificate, CA key). What does not read is left out (and logged).
    pub(crate) fn of(member_pem: &str, ca_pem: Option<&str>) -> Keys {
        let blocks = pem::parse_many(member_pem).unwrap_or_default();
        let anchor = blocks.first().filter(|b| b.tag() == "CERTIFICATE").and_then(|b| certified_key(b.contents()));
        let member = blocks.iter().find(|b| b.tag() == "PRIVATE KEY").and_then(|b| Signer::from_pkcs8(b.contents()));
        if member.is_none() || anchor.is_none() {
            tracing::warn!("the membership's key does not read: what this device writes goes unsigned");
        }
        let mut keys = Keys { member, ca: None, anchor, ca_pem: None };
        if let Some(text) = ca_pem {
            keys.open_ca(text);
        }
        keys
    }

    /// Takes the CA's key from its PEM text in clear (a sealed one gives none).
    pub(crate) fn open_ca(&mut self, ca_pem: &str) {
        let blocks = pem::parse_many(ca_pem).unwrap_or_default();
        self.ca = blocks.iter().find(|b| b.tag() == "PRIVATE KEY").and_then(|b| Signer::from_pkcs8(b.contents()));
        self.ca_pem = self.ca.as_ref().map(|_| ca_pem.to_owned());
    }
}

/// The raw public key a certificate (DER) certifies.
pub fn certified_key(cert_der: &[u8]) -> Option<Vec<u8>> {
    let (_, cert) = X509Certificate::from_der(cert_der).ok()?;
    Some(cert.public_key().subject_public_key.data.to_vec())
}

/// Whether `sig` over `message` was made with the P-256 key `public`.
pub(crate) fn verify(public: &[u8], message: &[u8], sig: &[u8]) -> bool {
    UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, public).verify(message, sig).is_ok()
}

/// The digest a device's next record names as its `prev`: SHA-256 of the bytes signed for the
/// record `value` (without its `sig`) at `map[key]`.
pub(crate) fn digest(campaign: &str, map: &str, key: &str, value: &Value) -> [u8; 32] {
    let digest = ring::digest::digest(&ring::digest::SHA256, &message(campaign, map, key, value));
    digest.as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// SHA-256 of a text, as hex.
pub(crate) fn sha256_hex(text: &str) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, text.as_bytes()))
}

/// The bytes signed for the record `value` (without its `sig`) at `map[key]` of campaign `campaign`.
pub(crate) fn message(campaign: &str, map: &str, key: &str, value: &Value) -> Vec<u8> {
    let mut out = format!("obhod-sig/1\n{campaign}\n{map}\n{key}\n");
    canonical(value, &mut out);
    out.into_bytes()
}

/// JSON with object keys sorted and no spaces: the same bytes on every device and version.
fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A record read with its signature taken off.
#[derive(Debug, Clone)]
pub(crate) struct Sealed {
    pub value: Value,
    pub sig: Option<Vec<u8>>,
}

impl Sealed {
    pub(crate) fn read(text: &str) -> Option<Sealed> {
        let mut value: Value = serde_json::from_str(text).ok()?;
        let object = value.as_object_mut()?;
        let sig = match object.remove("sig") {
            Some(Value::String(hex)) => Some(hex::decode(hex).ok()?),
            Some(_) => return None,
            None => None,
        };
        Some(Sealed { value, sig })
    }

    pub(crate) fn device(&self) -> Option<&str> {
        self.value.get("device")?.as_str()
    }

    pub(crate) fn n(&self) -> Option<u64> {
        self.value.get("n")?.as_u64()
    }

    /// The digest of the device's record before this one, which this one's signature covers.
    pub(crate) fn prev(&self) -> Option<[u8; 32]> {
        hex::decode(self.value.get("prev")?.as_str()?).ok()?.try_into().ok()
    }

    pub(crate) fn verifies(&self, public: &[u8], campaign: &str, map: &str, key: &str) -> bool {
        self.sig.as_ref().is_some_and(|sig| verify(public, &message(campaign, map, key, &self.value), sig))
    }
}

/// `text` (a JSON object) with `fields` set and signed by `signer` for `map[key]` of `campaign`.
pub(crate) fn seal(
    signer: &Signer,
    campaign: &str,
    map: &str,
    key: &str,
    text: &str,
    fields: JsonMap<String, Value>,
) -> Option<String> {
    let mut value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object_mut()?;
    object.remove("sig");
    object.extend(fields);
    let sig = signer.sign(&message(campaign, map, key, &value))?;
    value.as_object_mut()?.insert("sig".into(), Value::String(hex::encode(sig)));
    Some(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        let rng = SystemRandom::new();
        let der = EcdsaKeyPair::generate_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        Signer::from_pkcs8(der.as_ref()).unwrap()
    }

    #[test]
    fn a_sealed_record_verifies_only_where_it_was_signed_and_as_it_was_signed() {
        let (signer, other) = (signer(), signer());
        let text = seal(&signer, "C1", "facts", "F1", r#"{"b":1,"a":"x"}"#, JsonMap::new()).unwrap();
        let sealed = Sealed::read(&text).unwrap();
        assert!(sealed.verifies(signer.public_key(), "C1", "facts", "F1"));
        assert!(!sealed.verifies(other.public_key(), "C1", "facts", "F1"), "another device's key");
        assert!(!sealed.verifies(signer.public_key(), "C1", "facts", "F2"), "moved under another key");
        assert!(!sealed.verifies(signer.public_key(), "C2", "facts", "F1"), "replayed into another campaign");
        let forged = Sealed::read(&text.replace("\"x\"", "\"y\"")).unwrap();
        assert!(!forged.verifies(signer.public_key(), "C1", "facts", "F1"), "a field changed");
    }
}
