//! TLS 1.3 on the ring provider, with mutual authentication against the group's CA: a member trusts
//! only its own group's authority, and a device joining by invite trusts only the CA whose
//! fingerprint the invite pins.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, CertificateRevocationListDer, ServerName, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::cert::{Fingerprint, Member};

/// The application protocol both sides must speak.
pub const ALPN: &[u8] = b"obhod-sync/1";

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("TLS certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    #[error("QUIC needs a TLS 1.3 cipher suite: {0}")]
    Quic(#[from] quinn::crypto::rustls::NoInitialCipherSuite),
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn crls(revocations: &[Vec<u8>]) -> Vec<CertificateRevocationListDer<'static>> {
    revocations.iter().map(|crl| CertificateRevocationListDer::from(crl.clone())).collect()
}

fn group_roots(ca_cert: CertificateDer<'static>) -> Result<Arc<RootCertStore>, TlsError> {
    let mut roots = RootCertStore::empty();
    roots.add(ca_cert)?;
    Ok(Arc::new(roots))
}

/// The accepting side: presents the member's certificate and demands one from the same group that
/// none of the `revocations` (the group CA's revocation lists, DER) names.
pub fn server_crypto(member: &Member, revocations: &[Vec<u8>]) -> Result<rustls::ServerConfig, TlsError> {
    let roots = group_roots(member.ca_cert_der().to_vec().into())?;
    let clients =
        WebPkiClientVerifier::builder_with_provider(roots, provider()).with_crls(crls(revocations)).build()?;
    server_with(member, clients)
}

fn server_with(
    member: &Member,
    clients: Arc<dyn rustls::server::danger::ClientCertVerifier>,
) -> Result<rustls::ServerConfig, TlsError> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_client_cert_verifier(clients)
        .with_single_cert(member.chain(), member.private_key_der())?;
    config.alpn_protocols = vec![ALPN.to_vec()];
    Ok(config)
}

/// Whether `crl` is a revocation list the group's CA signed and this version can read: it parses,
/// and it decides for this member's own certificate (revoked or not) with a good signature.
pub fn check_revocations(member: &Member, crl: &[u8]) -> Result<(), TlsError> {
    let roots = group_roots(member.ca_cert_der().to_vec().into())?;
    let verifier =
        WebPkiClientVerifier::builder_with_provider(roots, provider()).with_crls(crls(&[crl.to_vec()])).build()?;
    let own = CertificateDer::from(member.cert_der().to_vec());
    match verifier.verify_client_cert(&own, &[], UnixTime::now()) {
        Ok(_) | Err(rustls::Error::InvalidCertificate(CertificateError::Revoked)) => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Like [`server_crypto`], but a device with no certificate yet (one joining by invite) may also
/// connect; a certificate from another CA is still refused. Such a peer may do nothing but prove
/// its token.
pub fn joining_server_crypto(member: &Member, revocations: &[Vec<u8>]) -> Result<rustls::ServerConfig, TlsError> {
    let roots = group_roots(member.ca_cert_der().to_vec().into())?;
    let clients = WebPkiClientVerifier::builder_with_provider(roots, provider())
        .with_crls(crls(revocations))
        .allow_unauthenticated()
        .build()?;
    server_with(member, clients)
}

/// The dialling member: trusts only its group's CA, refuses a server that the `revocations` name,
/// and presents its own certificate.
pub fn client_crypto(member: &Member, revocations: &[Vec<u8>]) -> Result<rustls::ClientConfig, TlsError> {
    let roots = group_roots(member.ca_cert_der().to_vec().into())?;
    let servers =
        WebPkiServerVerifier::builder_with_provider(roots, provider()).with_crls(crls(revocations)).build()?;
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .with_webpki_verifier(servers)
        .with_client_auth_cert(member.chain(), member.private_key_der())?;
    Ok(with_alpn(config))
}

/// A dialling device that knows the group only by its CA's fingerprint (an invite): the server's
/// chain must end in a CA with that fingerprint, which must have signed the server's certificate.
pub fn pinned_client_crypto(pin: Fingerprint, identity: Option<&Member>) -> Result<rustls::ClientConfig, TlsError> {
    let provider = provider();
    let verifier = Arc::new(PinnedCa { pin, algorithms: provider.signature_verification_algorithms });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let config = match identity {
        Some(member) => builder.with_client_auth_cert(member.chain(), member.private_key_der())?,
        None => builder.with_no_client_auth(),
    };
    Ok(with_alpn(config))
}

fn with_alpn(mut config: rustls::ClientConfig) -> rustls::ClientConfig {
    config.alpn_protocols = vec![ALPN.to_vec()];
    config
}

#[derive(Debug)]
struct PinnedCa {
    pin: Fingerprint,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedCa {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let ca = intermediates
            .iter()
            .find(|cert| Fingerprint::of(cert) == self.pin)
            .ok_or(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))?;
        let roots = group_roots(ca.clone().into_owned()).map_err(|_| CertificateError::BadEncoding)?;
        let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
        webpki.verify_server_cert(end_entity, &[], server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::PeerIncompatible(rustls::PeerIncompatible::Tls12NotOffered))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
