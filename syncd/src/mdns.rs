//! mDNS on the local network, as a hint only: the daemon announces `_obhod._udp.local.` under a
//! name that tells strangers nothing (a random nonce and a tag: an HMAC of the ten-minute window
//! and the nonce under a secret only the campaign's members hold), renews it every window, and
//! reports the addresses of the devices whose tag it recognises. No group, device or host name is
//! announced. Android phones often hear no multicast, so nothing depends on it.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};
use ring::hmac;

/// The service type every obhod daemon announces.
pub const SERVICE: &str = "_obhod._udp.local.";
/// How long one announced name lasts; a tag of the window before or after is recognised too.
pub const WINDOW: Duration = Duration::from_secs(600);
const NONCE: usize = 8;
const TAG: usize = 12;

/// The secret the members of one campaign share and strangers do not: the campaign's id never
/// leaves the group's encrypted, mutually authenticated connections.
pub fn group_secret(group: &str, campaign: &str) -> [u8; 32] {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in [b"obhod-mdns/1".as_slice(), group.as_bytes(), &[0], campaign.as_bytes()] {
        context.update(part);
    }
    context.finish().as_ref().try_into().expect("SHA-256 is 32 bytes")
}

/// The name announced in `window` with `nonce`: the nonce, then its tag.
pub fn instance_name(secret: &[u8; 32], window: u64, nonce: &str) -> String {
    format!("{nonce}-{}", tag(secret, window, nonce))
}

/// Whether `instance` is a name a member announced in `window` or next to it.
pub fn recognised(secret: &[u8; 32], window: u64, instance: &str) -> bool {
    let Some((nonce, _)) = instance.split_once('-') else { return false };
    [window.saturating_sub(1), window, window + 1].iter().any(|w| instance_name(secret, *w, nonce) == instance)
}

fn tag(secret: &[u8; 32], window: u64, nonce: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let mut message = window.to_be_bytes().to_vec();
    message.extend_from_slice(nonce.as_bytes());
    hex::encode(&hmac::sign(&key, &message).as_ref()[..TAG / 2])
}

/// The ten-minute window of `now`.
pub fn window(now: SystemTime) -> u64 {
    now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) / WINDOW.as_secs()
}

fn nonce() -> String {
    let mut bytes = [0; NONCE / 2];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).expect("the system's randomness");
    hex::encode(bytes)
}

/// A running announcement and browse; stopped when dropped.
pub struct Mdns {
    daemon: ServiceDaemon,
    events: mdns_sd::Receiver<ServiceEvent>,
    secret: [u8; 32],
    port: u16,
    /// The full name announced now.
    announced: String,
}

/// A device of the group heard on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    pub addresses: Vec<SocketAddr>,
}

impl Mdns {
    /// Announces this device listening on `port` and starts browsing.
    pub fn start(secret: [u8; 32], port: u16) -> Result<Mdns, mdns_sd::Error> {
        let daemon = ServiceDaemon::new()?;
        let events = daemon.browse(SERVICE)?;
        let mut mdns = Mdns { daemon, events, secret, port, announced: String::new() };
        mdns.renew()?;
        Ok(mdns)
    }

    /// Announces a new name for the present window (with a new nonce), withdrawing the old one.
    pub fn renew(&mut self) -> Result<(), mdns_sd::Error> {
        if !self.announced.is_empty() {
            let _ = self.daemon.unregister(&self.announced);
        }
        let instance = instance_name(&self.secret, window(SystemTime::now()), &nonce());
        let host = format!("{instance}.local.");
        let info = ServiceInfo::new(SERVICE, &instance, &host, "", self.port, None)?.enable_addr_auto();
        self.announced = info.get_fullname().to_string();
        self.daemon.register(info)
    }

    /// The next device of this group heard (never this one); `None` once mDNS has stopped.
    pub async fn next(&self) -> Option<Heard> {
        loop {
            let ServiceEvent::ServiceResolved(service) = self.events.recv_async().await.ok()? else { continue };
            let fullname = service.get_fullname();
            let instance = fullname.strip_suffix(&format!(".{SERVICE}")).unwrap_or_default();
            if fullname == self.announced || !recognised(&self.secret, window(SystemTime::now()), instance) {
                continue;
            }
            let port = service.get_port();
            let addresses = service.get_addresses_v4().into_iter().map(|ip| SocketAddr::new(ip.into(), port)).collect();
            return Some(Heard { addresses });
        }
    }
}

impl Drop for Mdns {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_recognises_a_name_that_tells_strangers_nothing() {
        let secret = group_secret("G", "01J0CAMPAIGN");
        let name = instance_name(&secret, 100, "a1b2c3d4");
        assert!(!name.contains('G') && !name.contains("CAMPAIGN"), "{name}");
        assert!(recognised(&secret, 100, &name));
        assert!(recognised(&secret, 101, &name), "the next window still knows it");
        assert!(!recognised(&secret, 102, &name), "two windows on it is gone");
        assert!(!recognised(&group_secret("G", "another campaign"), 100, &name), "another campaign's");
        assert!(!recognised(&secret, 100, "a1b2c3d4-000000000000"));
        assert!(!recognised(&secret, 100, "no dash"));
        assert_ne!(instance_name(&secret, 100, "a1b2c3d4"), instance_name(&secret, 101, "a1b2c3d4"), "it rotates");
    }
}
