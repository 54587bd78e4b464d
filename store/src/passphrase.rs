//! The group's CA key sealed with the organiser's passphrase. Whoever holds the organiser's
//! phone or a copy of its store can admit devices and revoke members with the CA key; sealed, the
//! store keeps only the CA certificate in clear and the key encrypted: PBKDF2-HMAC-SHA256 derives
//! a key from the passphrase and a random salt, and ChaCha20-Poly1305 (both from ring) encrypts
//! the PKCS#8 key under it, so a wrong passphrase is told apart from a damaged block.
//!
//! The sealed block is a PEM block of its own (`OBHOD SEALED PRIVATE KEY`) in place of the
//! `PRIVATE KEY` block: `version (1) | iterations (u32, big-endian) | salt (16) | nonce (12) |
//! ciphertext with its tag`.

use std::num::NonZeroU32;

use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use ring::pbkdf2;
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::StoreError;

/// The tag of the sealed key's PEM block.
pub const SEALED_TAG: &str = "OBHOD SEALED PRIVATE KEY";
const KEY_TAG: &str = "PRIVATE KEY";
const VERSION: u8 = 1;
/// OWASP's figure for PBKDF2-HMAC-SHA256: about half a second on a phone, once per command.
const ITERATIONS: u32 = 600_000;
/// Below this a sealed block is refused as not ours (a forged block cannot make opening cheap).
const LEAST_ITERATIONS: u32 = 100_000;
const SALT: usize = 16;
const NONCE: usize = 12;
/// Bound into the ciphertext: a sealed block opens only as obhod's CA key.
const AAD: &[u8] = b"obhod-ca-key/1";
/// The shortest passphrase taken: a passphrase guessed offline against a copied store is the one
/// defence of the key.
pub const LEAST_LENGTH: usize = 8;

/// Whether the CA's PEM text holds its key sealed.
pub fn is_sealed(ca_pem: &str) -> bool {
    pem::parse_many(ca_pem).is_ok_and(|blocks| blocks.iter().any(|b| b.tag() == SEALED_TAG))
}

/// The CA's PEM text with its `PRIVATE KEY` block sealed under `passphrase`; the certificate stays
/// as it is. Refuses a passphrase shorter than `LEAST_LENGTH` characters and a text already sealed.
pub fn seal(ca_pem: &str, passphrase: &str) -> Result<String, StoreError> {
    if passphrase.chars().count() < LEAST_LENGTH {
        return Err(StoreError::PassphraseTooShort { least: LEAST_LENGTH });
    }
    let blocks = pem::parse_many(ca_pem).map_err(|_| StoreError::Damaged("the group's CA key does not read".into()))?;
    if blocks.iter().any(|b| b.tag() == SEALED_TAG) {
        return Err(StoreError::AlreadySealed);
    }
    let rng = SystemRandom::new();
    let random = |len: usize| {
        let mut bytes = vec![0; len];
        rng.fill(&mut bytes).map(|()| bytes).map_err(|_| StoreError::Damaged("no randomness".into()))
    };
    let (salt, nonce) = (random(SALT)?, random(NONCE)?);
    let mut out = Vec::new();
    let mut found = false;
    for block in blocks {
        if block.tag() != KEY_TAG {
            out.push(block);
            continue;
        }
        found = true;
        let mut sealed = block.contents().to_vec();
        key(passphrase, &salt, ITERATIONS)
            .seal_in_place_append_tag(nonce_of(&nonce), Aad::from(AAD), &mut sealed)
            .map_err(|_| StoreError::Damaged("the key could not be sealed".into()))?;
        let mut contents = vec![VERSION];
        contents.extend(ITERATIONS.to_be_bytes());
        contents.extend(&salt);
        contents.extend(&nonce);
        contents.extend(sealed);
        out.push(pem::Pem::new(SEALED_TAG, contents));
    }
    if !found {
        return Err(StoreError::Damaged("the group's CA key is missing".into()));
    }
    Ok(pem::encode_many(&out))
}

/// The CA's PEM text with its key opened by `passphrase`: as it was before `seal`.
pub fn open(ca_pem: &str, passphrase: &str) -> Result<String, StoreError> {
    let damaged = || StoreError::Damaged("the group's sealed CA key does not read".into());
    let blocks = pem::parse_many(ca_pem).map_err(|_| damaged())?;
    let mut out = Vec::new();
    for block in blocks {
        if block.tag() != SEALED_TAG {
            out.push(block);
            continue;
        }
        let contents = block.contents();
        let head = 1 + 4 + SALT + NONCE;
        if contents.len() < head || contents[0] != VERSION {
            return Err(damaged());
        }
        let iterations = u32::from_be_bytes(contents[1..5].try_into().map_err(|_| damaged())?);
        if !(LEAST_ITERATIONS..=100 * ITERATIONS).contains(&iterations) {
            return Err(damaged());
        }
        let salt = &contents[5..5 + SALT];
        let nonce = &contents[5 + SALT..head];
        let mut sealed = contents[head..].to_vec();
        let plain = key(passphrase, salt, iterations)
            .open_in_place(nonce_of(nonce), Aad::from(AAD), &mut sealed)
            .map_err(|_| StoreError::WrongPassphrase)?;
        out.push(pem::Pem::new(KEY_TAG, plain.to_vec()));
    }
    Ok(pem::encode_many(&out))
}

fn key(passphrase: &str, salt: &[u8], iterations: u32) -> LessSafeKey {
    let mut bytes = [0u8; 32];
    let iterations = NonZeroU32::new(iterations).unwrap_or(NonZeroU32::MIN);
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, passphrase.as_bytes(), &mut bytes);
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &bytes).expect("a 32-byte key is ChaCha20's"))
}

fn nonce_of(bytes: &[u8]) -> Nonce {
    Nonce::try_assume_unique_for_key(bytes).expect("the nonce is 12 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = rcgen::CertificateParams::new(vec!["ca".into()]).unwrap();
        let cert = params.self_signed(&key).unwrap();
        format!("{}{}", cert.pem(), key.serialize_pem())
    }

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_only_and_the_certificate_stays_in_clear() {
        let plain = ca_pem();
        let sealed = seal(&plain, "длинный пароль").unwrap();
        assert!(is_sealed(&sealed) && !is_sealed(&plain));
        assert!(!sealed.contains("BEGIN PRIVATE KEY"), "{sealed}");
        let key_block = pem::parse_many(&plain).unwrap().into_iter().find(|b| b.tag() == KEY_TAG).unwrap();
        let encoded = pem::encode(&key_block);
        let body: String = encoded.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(!sealed.replace('\n', "").contains(&body[..40]), "no part of the key in clear");
        assert!(sealed.contains("BEGIN CERTIFICATE"));
        let opened = open(&sealed, "длинный пароль").unwrap();
        assert_eq!(pem::parse_many(&opened).unwrap(), pem::parse_many(&plain).unwrap(), "as it was");
        assert!(matches!(open(&sealed, "длинный парол"), Err(StoreError::WrongPassphrase)));
    }

    #[test]
    fn a_short_passphrase_a_second_seal_and_a_tampered_block_are_refused() {
        let plain = ca_pem();
        assert!(matches!(seal(&plain, "1234567"), Err(StoreError::PassphraseTooShort { least: 8 })));
        let sealed = seal(&plain, "12345678").unwrap();
        assert!(matches!(seal(&sealed, "12345678"), Err(StoreError::AlreadySealed)));
        let mut blocks = pem::parse_many(&sealed).unwrap();
        let block = blocks.iter_mut().find(|b| b.tag() == SEALED_TAG).unwrap();
        let mut contents = block.contents().to_vec();
        let last = contents.len() - 1;
        contents[last] ^= 1;
        *block = pem::Pem::new(SEALED_TAG, contents.clone());
        assert!(matches!(open(&pem::encode_many(&blocks), "12345678"), Err(StoreError::WrongPassphrase)));
        // A forged block that would make guessing cheap is not taken.
        contents[1..5].copy_from_slice(&1u32.to_be_bytes());
        *blocks.iter_mut().find(|b| b.tag() == SEALED_TAG).unwrap() = pem::Pem::new(SEALED_TAG, contents);
        assert!(matches!(open(&pem::encode_many(&blocks), "12345678"), Err(StoreError::Damaged(_))));
    }
}
