//! Where this store's daemon listens, for `obhod group invite` to put in its code: a one-line file
//! beside the store (`obhod.db-syncd`) that the daemon writes once bound and removes when it
//! stops, and a check that a daemon really answers there as this very device (a file left behind
//! by a killed daemon proves nothing; without a file, the default port is tried).

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::daemon::DEFAULT_PORT;
use crate::link::{self, DONE};
use crate::net;
use crate::session::Identity;

/// How long the check of a daemon on this device may take.
const CHECK_TIMEOUT: Duration = Duration::from_secs(3);

/// The file beside `store` that tells where its daemon listens.
pub fn record_path(store: &Path) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push("-syncd");
    PathBuf::from(name)
}

/// Notes that the daemon of `store` listens on `addr` (written whole or not at all).
pub fn record(store: &Path, addr: SocketAddr) -> io::Result<()> {
    let path = record_path(store);
    let mut temporary = path.clone().into_os_string();
    temporary.push(".new");
    std::fs::write(&temporary, format!("{addr}\n"))?;
    std::fs::rename(&temporary, &path)
}

/// Removes the note, unless another daemon has written its own since.
pub fn forget(store: &Path, addr: SocketAddr) {
    if recorded(store) == Some(addr) {
        let _ = std::fs::remove_file(record_path(store));
    }
}

/// Where the daemon of `store` said it listens, if it did.
pub fn recorded(store: &Path) -> Option<SocketAddr> {
    std::fs::read_to_string(record_path(store)).ok()?.trim().parse().ok()
}

/// The address this store's daemon is bound to, if one runs and answers as this device: the one
/// noted beside the store, else the default port on every address. It is dialled over loopback
/// as this device's own member and hung up on at once.
pub async fn running_daemon(store: &Path, identity: &Identity) -> Option<SocketAddr> {
    let bound = recorded(store).unwrap_or((Ipv6Addr::UNSPECIFIED, DEFAULT_PORT).into());
    let dial = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(Ipv4Addr::LOCALHOST.into(), bound.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(Ipv4Addr::LOCALHOST.into(), bound.port()),
        _ => bound,
    };
    let local: SocketAddr =
        if dial.is_ipv4() { (Ipv4Addr::UNSPECIFIED, 0).into() } else { (Ipv6Addr::UNSPECIFIED, 0).into() };
    let endpoint = net::endpoint(local, None).ok()?;
    let answered = tokio::time::timeout(CHECK_TIMEOUT, link::dial(&endpoint, dial, identity)).await;
    let connection = answered.ok()?.ok()?;
    let device = net::peer_info(&connection).ok().map(|info| info.device_id);
    connection.close(DONE.into(), b"checked");
    let _ = tokio::time::timeout(Duration::from_secs(1), endpoint.wait_idle()).await;
    (device.as_deref() == Some(identity.member.info().device_id.as_str())).then_some(bound)
}
