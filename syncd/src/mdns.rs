//! mDNS on the local network, as a hint only: the daemon announces `_obhod._udp.local.` (instance:
//! its device id, TXT `group`: the group's id) and reports the addresses of the same group's
//! devices it hears. Android phones often hear no multicast, so nothing depends on it.

use std::net::SocketAddr;

use mdns_sd::{ServiceDaemon, ServiceEvent, ServiceInfo};

/// The service type every obhod daemon announces.
pub const SERVICE: &str = "_obhod._udp.local.";

/// A running announcement and browse; stopped when dropped.
pub struct Mdns {
    daemon: ServiceDaemon,
    events: mdns_sd::Receiver<ServiceEvent>,
    device: String,
    group: String,
}

/// A device of the group heard on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heard {
    pub device: String,
    pub addresses: Vec<SocketAddr>,
}

impl Mdns {
    /// Announces this device listening on `port` and starts browsing.
    pub fn start(device: &str, group: &str, port: u16) -> Result<Mdns, mdns_sd::Error> {
        let daemon = ServiceDaemon::new()?;
        let host = format!("obhod-{}.local.", device.to_ascii_lowercase());
        let info = ServiceInfo::new(SERVICE, device, &host, "", port, &[("group", group)][..])?.enable_addr_auto();
        daemon.register(info)?;
        let events = daemon.browse(SERVICE)?;
        Ok(Mdns { daemon, events, device: device.into(), group: group.into() })
    }

    /// The next device of this group heard (never this one); `None` once mDNS has stopped.
    pub async fn next(&self) -> Option<Heard> {
        loop {
            let ServiceEvent::ServiceResolved(service) = self.events.recv_async().await.ok()? else { continue };
            let instance = service.get_fullname().strip_suffix(&format!(".{SERVICE}")).unwrap_or_default();
            if instance == self.device || service.get_property_val_str("group") != Some(self.group.as_str()) {
                continue;
            }
            let port = service.get_port();
            let addresses = service.get_addresses_v4().into_iter().map(|ip| SocketAddr::new(ip.into(), port)).collect();
            return Some(Heard { device: instance.into(), addresses });
        }
    }
}

impl Drop for Mdns {
    fn drop(&mut self) {
        let _ = self.daemon.shutdown();
    }
}
