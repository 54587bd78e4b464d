//! Invites: their text survives typing and scanning, a typo, a malformed text or an expired invite
//! is refused, and the token's proof holds only for the TLS session and key it was made for.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use obhod_syncd::cert::{DeviceKey, GroupCa};
use obhod_syncd::invite::{
    DEFAULT_TTL, Invite, InviteError, PREFIX, Token, token_hash, token_proof, verify_proof_by_hash, verify_token_proof,
};
use obhod_syncd::net::{self, Channel, NetError};
use obhod_syncd::tls;
use proptest::prelude::*;

fn noon() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_780_000_000)
}

fn invite() -> Invite {
    let ca = GroupCa::create("01JGROUP").unwrap();
    let addresses = vec!["192.168.1.5:4433".parse().unwrap(), "[fe80::1]:4433".parse().unwrap()];
    Invite::new("01JGROUP", ca.fingerprint(), addresses, DEFAULT_TTL, noon()).unwrap()
}

#[test]
fn an_invite_survives_its_text() {
    let invite = invite();
    let text = invite.encode();
    assert!(text.starts_with(PREFIX), "{text}");
    assert!(text.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'), "{text}");
    assert_eq!(Invite::parse(&text, noon()).unwrap(), invite);
    let typed = text
        .to_lowercase()
        .chars()
        .enumerate()
        .flat_map(|(i, c)| [c].into_iter().chain((i % 8 == 7).then_some(' ')))
        .collect::<String>();
    assert_eq!(Invite::parse(&typed, noon()).unwrap(), invite);
}

#[test]
fn an_invite_is_valid_ten_minutes_by_default() {
    let invite = invite();
    let text = invite.encode();
    assert_eq!(invite.expires, 1_780_000_600);
    assert!(Invite::parse(&text, noon() + Duration::from_secs(599)).is_ok());
    assert_eq!(Invite::parse(&text, noon() + DEFAULT_TTL), Err(InviteError::Expired { expires: 1_780_000_600 }));
}

#[test]
fn a_typo_is_caught_by_the_checksum() {
    let text = invite().encode();
    let at = PREFIX.len() + 10;
    let typo = if &text[at..=at] == "A" { "B" } else { "A" };
    let changed = format!("{}{typo}{}", &text[..at], &text[at + 1..]);
    assert_eq!(Invite::parse(&changed, noon()), Err(InviteError::Checksum));
}

#[test]
fn malformed_invites_are_refused() {
    let text = invite().encode();
    let cases = [
        ("hello", InviteError::Malformed("it does not start with OBHOD1-")),
        ("OBHOD1-", InviteError::Malformed("too short")),
        ("OBHOD1-ABC1", InviteError::Malformed("not base32")),
    ];
    for (text, error) in cases {
        assert_eq!(Invite::parse(text, noon()), Err(error), "{text}");
    }
    for cut in 1..12 {
        let refused = Invite::parse(&text[..text.len() - cut], noon());
        assert!(matches!(refused, Err(InviteError::Checksum | InviteError::Malformed(_))), "{refused:?}");
    }
}

#[test]
fn a_bad_group_or_too_many_addresses_make_no_invite() {
    let fingerprint = GroupCa::create("G").unwrap().fingerprint();
    assert_eq!(Invite::new("a b", fingerprint, vec![], DEFAULT_TTL, noon()), Err(InviteError::BadGroup));
    let many: Vec<SocketAddr> = (0..17).map(|i| SocketAddr::from(([10, 0, 0, i], 1))).collect();
    assert_eq!(Invite::new("G", fingerprint, many, DEFAULT_TTL, noon()), Err(InviteError::TooManyAddresses));
}

#[test]
fn tokens_are_fresh_and_never_shown() {
    assert_ne!(Token::generate(), Token::generate());
    let invite = invite();
    assert!(!format!("{invite:?}").contains(&format!("{:?}", invite.token.0)));
}

#[test]
fn the_qr_code_is_drawn_in_half_blocks() {
    let qr = invite().qr();
    let lines: Vec<&str> = qr.lines().collect();
    assert!(lines.len() > 20, "{qr}");
    let width = lines[0].chars().count();
    assert!(lines.iter().all(|line| line.chars().count() == width), "{qr}");
    assert!(qr.chars().all(|c| " █▀▄".contains(c) || c == '\n'), "{qr}");
}

#[test]
fn a_proof_holds_only_for_its_token_session_and_key() {
    let (token, secret, request) = (Token::generate(), [7; 32], b"public key".as_slice());
    let proof = token_proof(&token, &secret, request);
    assert!(verify_token_proof(&token, &secret, request, &proof));
    assert!(!verify_token_proof(&Token::generate(), &secret, request, &proof));
    assert!(!verify_token_proof(&token, &[8; 32], request, &proof));
    assert!(!verify_token_proof(&token, &secret, b"another key", &proof));
    assert!(!verify_token_proof(&token, &secret, request, &proof[..31]));
}

#[test]
fn a_proof_is_checked_from_the_tokens_hash_alone() {
    let (token, secret, request) = (Token::generate(), [7; 32], b"public key".as_slice());
    let proof = token_proof(&token, &secret, request);
    let hash = token_hash(&token);
    assert!(verify_proof_by_hash(&hash, &secret, request, &proof), "what the store keeps is enough");
    assert!(!verify_proof_by_hash(&token.0.repeat(2).try_into().unwrap(), &secret, request, &proof));
    assert!(!verify_proof_by_hash(&hash, &[8; 32], request, &proof));
}

proptest! {
    #[test]
    fn any_text_is_parsed_without_panic(text in "\\PC{0,300}", body in "[A-Z2-7]{0,200}") {
        let _ = Invite::parse(&text, noon());
        let _ = Invite::parse(&format!("{PREFIX}{body}"), noon());
    }
}

/// A joiner with no certificate dials a member that accepts joiners, pinning the CA, and sends its
/// proof over a frame; the member checks it against the token and its own side of the session.
async fn join(proof_of: impl FnOnce(&Token, [u8; 32], &[u8]) -> [u8; 32]) -> bool {
    let ca = GroupCa::create("G1").unwrap();
    let member = ca.issue("A", "phone").unwrap();
    let token = Token::generate();
    let config = net::server_config(tls::joining_server_crypto(&member, &[]).unwrap()).unwrap();
    let server = net::endpoint("127.0.0.1:0".parse().unwrap(), Some(config)).unwrap();
    let addr = server.local_addr().unwrap();
    let checked = tokio::spawn(async move {
        let connection = server.accept().await.unwrap().await.unwrap();
        assert!(matches!(net::peer_info(&connection), Err(NetError::NoPeerCertificate)));
        let secret = net::exported_secret(&connection).unwrap();
        let frame = Channel::accept(&connection).await.unwrap().recv().await.unwrap().unwrap();
        let (proof, request) = frame.split_at(32);
        verify_token_proof(&token, &secret, request, proof)
    });
    let client = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let crypto = tls::pinned_client_crypto(ca.fingerprint(), None).unwrap();
    let connection = net::connect(&client, addr, net::client_config(crypto).unwrap()).await.unwrap();
    let request = DeviceKey::generate().unwrap().public_key_der();
    let proof = proof_of(&token, net::exported_secret(&connection).unwrap(), &request);
    let mut channel = Channel::open(&connection).await.unwrap();
    channel.send(&[&proof[..], &request].concat()).await.unwrap();
    channel.finish();
    checked.await.unwrap()
}

#[tokio::test]
async fn a_joiner_proves_its_token_bound_to_the_session() {
    let limit = Duration::from_secs(20);
    let honest = tokio::time::timeout(limit, join(|token, secret, request| token_proof(token, &secret, request)));
    assert!(honest.await.unwrap());
    let replayed = tokio::time::timeout(limit, join(|token, _, request| token_proof(token, &[0; 32], request)));
    assert!(!replayed.await.unwrap());
    let guessed =
        tokio::time::timeout(limit, join(|_, secret, request| token_proof(&Token::generate(), &secret, request)));
    assert!(!guessed.await.unwrap());
}

#[tokio::test]
async fn a_member_that_accepts_no_joiners_refuses_a_device_without_certificate() {
    let ca = GroupCa::create("G1").unwrap();
    let member = ca.issue("A", "phone").unwrap();
    let config = net::server_config(tls::server_crypto(&member, &[]).unwrap()).unwrap();
    let server = net::endpoint("127.0.0.1:0".parse().unwrap(), Some(config)).unwrap();
    let addr = server.local_addr().unwrap();
    let accepted = tokio::spawn(async move { server.accept().await.unwrap().await });
    let client = net::endpoint("127.0.0.1:0".parse().unwrap(), None).unwrap();
    let crypto = tls::pinned_client_crypto(ca.fingerprint(), None).unwrap();
    let _ = net::connect(&client, addr, net::client_config(crypto).unwrap()).await;
    let refused = tokio::time::timeout(Duration::from_secs(20), accepted).await.unwrap().unwrap().unwrap_err();
    assert!(refused.to_string().contains("certificate"), "{refused}");
}
