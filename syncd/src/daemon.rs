//! The sync daemon: accepts the group's members, dials the peers it is given and knows, keeps one
//! live link per device over the one campaign it opened (a change one link receives wakes the
//! others), redials with backoff, and on stop closes every connection and its store. A device
//! without a certificate may connect only to join by invite: on the organiser's device the daemon
//! admits it as `obhod group invite` would; elsewhere it refuses, saying why.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use obhod_store::Campaign;
use quinn::{Connection, Endpoint};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use crate::join::{self, Invites};
use crate::link::{self, DONE, Live, said_goodbye, stopped};
use crate::listening;
use crate::mdns::{self, Mdns};
use crate::net::{self, NetError};
use crate::proto::Role;
use crate::session::{Identity, Refusal, Round, SyncError, greet, refuse};
use crate::shared::SharedCampaign;
use crate::tls;

/// The port the daemon listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 47_474;
/// The longest wait between two attempts to dial a peer.
pub const MAX_BACKOFF: Duration = Duration::from_secs(30);
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The most connections the daemon keeps open in all (links, joins, its own dials)…
pub const MAX_CONNECTIONS: usize = 32;
/// …of which in their TLS handshake at once (more wait in QUIC's bounded queue of 64)…
pub const MAX_HANDSHAKES: usize = 8;
/// …devices without a certificate joining by invite…
pub const MAX_JOINERS: usize = 4;
/// …and connections of one device, greeting or linked (its daemon and an `obhod sync` or two).
pub const MAX_PER_DEVICE: usize = 3;

#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    pub peers: Vec<SocketAddr>,
    pub store: PathBuf,
    pub live: Live,
    /// Announce and browse mDNS on the local network (a hint; tests keep it off).
    pub mdns: bool,
    /// The group's CA, opened with the organiser's passphrase where it is sealed: without it a
    /// sealed key admits no one (joiners are told why).
    pub authority: Option<obhod_store::Authority>,
}

/// What every task of the daemon shares.
struct Shared {
    endpoint: Endpoint,
    identity: Mutex<Arc<Identity>>,
    campaign: SharedCampaign,
    live: Live,
    stop: watch::Receiver<bool>,
    /// The live links per peer device.
    links: Mutex<HashMap<String, Vec<Connection>>>,
    /// Places for connections in their TLS handshake.
    handshakes: Arc<Semaphore>,
    /// Devices without a certificate being admitted.
    joiners: Arc<AtomicUsize>,
    /// The number of the newest revocation list looked at (taken or refused).
    list_seen: AtomicU64,
}

/// One of a bounded number (joiners), counted until dropped.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    fn take(count: &Arc<AtomicUsize>, max: usize) -> Option<Counted> {
        let taken = count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1));
        taken.ok().map(|_| Counted(count.clone()))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A daemon bound to its address, not yet running.
pub struct Daemon {
    shared: Arc<Shared>,
    /// The store, beside which the daemon notes where it listens.
    store: PathBuf,
    targets: Vec<(SocketAddr, Option<String>)>,
    mdns: bool,
    /// The caller's stop, forwarded to `halt`.
    external: watch::Receiver<bool>,
    /// Stops every task: on the caller's stop, or when the daemon cannot go on.
    halt: watch::Sender<bool>,
}

impl Daemon {
    /// Reads this device's membership from the store and binds the endpoint (needs a tokio runtime).
    pub fn bind(options: Options, stop: watch::Receiver<bool>) -> Result<Daemon, SyncError> {
        let mut campaign = Campaign::open(&options.store)?;
        if let Some(authority) = &options.authority {
            campaign.use_authority(authority)?;
        }
        let identity = Identity::of(&campaign)?;
        let list_seen = campaign.revocations().map_or(0, |list| list.number);
        let endpoint = net::endpoint(options.listen, Some(server_config(&identity)?))?;
        let targets = targets(&campaign, &options.peers)?;
        let (halt, stop_all) = watch::channel(false);
        let shared = Arc::new(Shared {
            endpoint,
            identity: Mutex::new(Arc::new(identity)),
            campaign: SharedCampaign::new(campaign),
            live: options.live,
            stop: stop_all,
            links: Mutex::default(),
            handshakes: Arc::new(Semaphore::new(MAX_HANDSHAKES)),
            joiners: Arc::default(),
            list_seen: AtomicU64::new(list_seen),
        });
        Ok(Daemon { shared, store: options.store, targets, mdns: options.mdns, external: stop, halt })
    }

    /// Where it listens (tests bind port 0).
    pub fn local_addr(&self) -> Result<SocketAddr, SyncError> {
        Ok(self.shared.endpoint.local_addr().map_err(NetError::from)?)
    }

    /// Runs until `stop` turns true (or the store cannot be read any more), then closes every
    /// connection and returns.
    pub async fn run(self) -> Result<(), SyncError> {
        let address = self.local_addr()?;
        tracing::info!(%address, peers = self.targets.len(), "listening");
        if let Err(error) = listening::record(&self.store, address) {
            tracing::warn!(%error, "where the daemon listens is not noted beside the store");
        }
        let (halt, mut external) = (self.halt, self.external);
        let forward = {
            let halt = halt.clone();
            tokio::spawn(async move {
                stopped(&mut external).await;
                halt.send_replace(true);
            })
        };
        let shared = self.shared;
        let mut tasks = JoinSet::new();
        for (addr, device) in self.targets {
            tasks.spawn(dial_loop(shared.clone(), addr, device));
        }
        tasks.spawn(accept_loop(shared.clone()));
        if self.mdns {
            tasks.spawn(hear(shared.clone()));
        }
        let watching = watch_store(&shared).await;
        halt.send_replace(true);
        forward.abort();
        tracing::info!("stopping");
        shared.endpoint.close(DONE.into(), b"stopping");
        while tasks.join_next().await.is_some() {}
        let _ = tokio::time::timeout(Duration::from_secs(2), shared.endpoint.wait_idle()).await;
        listening::forget(&self.store, address);
        watching
    }
}

/// Where the daemon listens unless told otherwise: every address of this device (IPv6 and IPv4
/// where the system has IPv6) on `DEFAULT_PORT`.
pub fn default_listen() -> SocketAddr {
    SocketAddr::new(join::any_address().ip(), DEFAULT_PORT)
}

/// Runs the daemon as `obhod syncd` does: on a runtime of its own, until SIGTERM or SIGINT (then it
/// closes its connections and its store and returns `Ok`), or until it cannot go on. Where it
/// logs is the caller's choice (the command line sends the daemon's log to stderr).
pub fn serve(options: Options) -> Result<(), SyncError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    let runtime = runtime.map_err(|error| SyncError::Net(NetError::Io(error)))?;
    runtime.block_on(async {
        let (stop, stopped) = watch::channel(false);
        let daemon = Daemon::bind(options, stopped)?;
        tokio::spawn(async move {
            signals().await;
            stop.send_replace(true);
        });
        daemon.run().await
    })
}

/// SIGTERM or SIGINT (Ctrl-C).
#[cfg(unix)]
async fn signals() {
    use tokio::signal::unix::{SignalKind, signal};
    match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Ctrl-C, where there are no Unix signals.
#[cfg(not(unix))]
async fn signals() {
    let _ = tokio::signal::ctrl_c().await;
}

/// Members with a certificate of the group that is not revoked, and devices without one (to join).
fn server_config(identity: &Identity) -> Result<quinn::ServerConfig, SyncError> {
    let crypto = tls::joining_server_crypto(&identity.member, &identity.revocations).map_err(NetError::from)?;
    Ok(net::server_config(crypto)?)
}

/// The addresses to dial: those given, then those remembered of each known peer (its newest three).
fn targets(campaign: &Campaign, given: &[SocketAddr]) -> Result<Vec<(SocketAddr, Option<String>)>, SyncError> {
    let mut targets: Vec<(SocketAddr, Option<String>)> = given.iter().map(|addr| (*addr, None)).collect();
    let revoked: Vec<String> =
        campaign.members().into_iter().filter(|m| m.revoked.is_some()).map(|m| m.device).collect();
    for peer in campaign.peers()?.into_iter().filter(|p| !revoked.contains(&p.device)) {
        for addr in peer.addresses.iter().filter_map(|a| a.parse::<SocketAddr>().ok()).take(3) {
            if !targets.iter().any(|(known, _)| *known == addr) {
                targets.push((addr, Some(peer.device.clone())));
            }
        }
    }
    Ok(targets)
}

/// Until stopped: catches up with other processes' writes (which wakes the links), looks for a new
/// revocation list (then refuses those devices from now on and drops their links) and tells the
/// store which links stand.
async fn watch_store(shared: &Shared) -> Result<(), SyncError> {
    let mut stop = shared.stop.clone();
    let mut ticker = tokio::time::interval(shared.live.poll);
    let mut last_beat = Instant::now();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => return Ok(()),
            _ = ticker.tick() => {}
        }
        let beat = last_beat.elapsed() > HEARTBEAT;
        if beat {
            last_beat = Instant::now();
        }
        shared.campaign.with(|campaign| look(shared, campaign, beat))?;
    }
}

fn look(shared: &Shared, campaign: &mut Campaign, beat: bool) -> Result<(), SyncError> {
    campaign.refresh()?;
    if let Some(list) = campaign.revocations()
        && list.number > shared.list_seen.swap(list.number, Ordering::AcqRel)
    {
        shared.take_list(list.number, list.der)?;
    }
    shared.drop_revoked(campaign);
    if beat {
        for device in shared.linked() {
            campaign.peer_connected(&device, true)?;
        }
    }
    Ok(())
}

/// Announces this device on mDNS under a name only the group's members recognise, renewed every
/// window, and dials the group's devices heard there, each address once.
async fn hear(shared: Arc<Shared>) {
    let identity = shared.identity();
    let campaign = shared.campaign.with(|campaign| campaign.id().to_string());
    let secret = mdns::group_secret(&identity.member.info().group_id, &campaign);
    let port = shared.endpoint.local_addr().map_or(DEFAULT_PORT, |a| a.port());
    let mut mdns = match Mdns::start(secret, port) {
        Ok(mdns) => mdns,
        Err(error) => return tracing::warn!(%error, "no mDNS: peers are found by address only"),
    };
    let mut stop = shared.stop.clone();
    let mut dialled: Vec<SocketAddr> = Vec::new();
    let mut dials = JoinSet::new();
    let mut renew = tokio::time::interval_at(tokio::time::Instant::now() + mdns::WINDOW, mdns::WINDOW);
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = renew.tick() => {
                if let Err(error) = mdns.renew() {
                    tracing::warn!(%error, "the mDNS name not renewed");
                }
            }
            heard = mdns.next() => {
                let Some(heard) = heard else { break };
                for addr in heard.addresses {
                    if dialled.contains(&addr) {
                        continue;
                    }
                    tracing::info!(%addr, "heard on mDNS");
                    dialled.push(addr);
                    dials.spawn(dial_loop(shared.clone(), addr, None));
                }
            }
        }
    }
    while dials.join_next().await.is_some() {}
}

/// How often the store is told again that the links stand.
const HEARTBEAT: Duration = Duration::from_secs(20);

async fn accept_loop(shared: Arc<Shared>) {
    let mut links = JoinSet::new();
    let mut stop = shared.stop.clone();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            incoming = shared.endpoint.accept() => {
                let Some(incoming) = incoming else { break };
                let from = incoming.remote_address();
                if shared.endpoint.open_connections() >= MAX_CONNECTIONS {
                    tracing::warn!(%from, "too many connections: refused");
                    incoming.refuse();
                    continue;
                }
                // The next handshakes wait (in QUIC's bounded queue) while this many are under way.
                let handshake = tokio::select! {
                    _ = stopped(&mut stop) => break,
                    place = shared.handshakes.clone().acquire_owned() => place.expect("the semaphore is never closed"),
                };
                let shared = shared.clone();
                links.spawn(async move {
                    let connection = incoming.await;
                    drop(handshake);
                    let result = match connection {
                        Ok(connection) if net::peer_certificate(&connection).is_err() => {
                            admit(&shared, &connection).await
                        }
                        Ok(connection) => link(&shared, connection, Role::Acceptor).await,
                        Err(error) => Err(SyncError::from(NetError::from(error))),
                    };
                    report(from, result);
                });
            }
        }
    }
    while links.join_next().await.is_some() {}
}

/// Dials `addr` again and again with backoff while no link to its device (if known, or once
/// learnt) stands; an address that turns out to be this very device is dropped.
async fn dial_loop(shared: Arc<Shared>, addr: SocketAddr, mut device: Option<String>) {
    let mut backoff = FIRST_BACKOFF;
    let mut stop = shared.stop.clone();
    while !*stop.borrow() {
        let started = Instant::now();
        if !device.as_ref().is_some_and(|device| shared.linked().contains(device)) {
            let identity = shared.identity();
            let result = match link::dial(&shared.endpoint, addr, &identity).await {
                Ok(connection) => {
                    let peer = net::peer_info(&connection).map(|info| info.device_id).ok();
                    if peer.as_ref() == Some(&identity.member.info().device_id) {
                        connection.close(DONE.into(), b"this device");
                        tracing::debug!(%addr, "this very device: not dialled again");
                        return;
                    }
                    device = device.or(peer);
                    link(&shared, connection, Role::Dialer).await
                }
                Err(error) => Err(error),
            };
            report(addr, result);
        }
        backoff = if started.elapsed() > MAX_BACKOFF { FIRST_BACKOFF } else { (backoff * 2).min(MAX_BACKOFF) };
        tokio::select! {
            _ = stopped(&mut stop) => break,
            _ = tokio::time::sleep(backoff) => {}
        }
    }
}

/// A device without a certificate: it may only join by an invite this device made.
async fn admit(shared: &Shared, connection: &Connection) -> Result<(), SyncError> {
    let Some(_joiner) = Counted::take(&shared.joiners, MAX_JOINERS) else {
        return Err(refuse(connection, Refusal::Busy));
    };
    let joined = join::admit_one(connection, &mut &shared.campaign, Invites::Any, true).await?;
    tracing::info!(device = %joined.device, "a device joined by invite");
    Ok(())
}

fn report(addr: SocketAddr, result: Result<(), SyncError>) {
    match result {
        Ok(()) => tracing::info!(%addr, "link ended"),
        Err(error) if said_goodbye(&error) => tracing::info!(%addr, "peer left"),
        Err(error) => tracing::warn!(%addr, %error, "link failed"),
    }
}

/// Greets, then keeps the link while it lasts, a few per device. The group's record is read
/// again first: a device revoked a moment ago (`obhod group revoke` in another process) is refused
/// before its hello.
async fn link(shared: &Shared, connection: Connection, role: Role) -> Result<(), SyncError> {
    let peer = net::peer_info(&connection)?.device_id;
    let revoked = |campaign: &mut Campaign| {
        campaign.refresh()?;
        Ok::<_, SyncError>(campaign.members().iter().any(|m| m.device == peer && m.revoked.is_some()))
    };
    if shared.campaign.with(revoked)? {
        return Err(refuse(&connection, Refusal::Revoked));
    }
    if !shared.register(&peer, &connection) {
        return Err(refuse(&connection, Refusal::Busy));
    }
    let result = greet_and_keep(shared, &connection, role).await;
    shared.unregister(&peer, &connection);
    result
}

async fn greet_and_keep(shared: &Shared, connection: &Connection, role: Role) -> Result<(), SyncError> {
    let connection = connection.clone();
    let identity = shared.identity();
    let campaign_id = shared.campaign.with(|campaign| campaign.id().to_string());
    let (channel, hello) = greet(&connection, &identity, &campaign_id, role).await?;

    let device = hello.device.clone();
    tracing::info!(peer = %device, address = %connection.remote_address(), "linked");
    let address = (role == Role::Dialer).then(|| connection.remote_address().to_string());
    shared.campaign.with(|campaign| {
        campaign.peer_seen(&device, &hello.name, address.as_deref())?;
        campaign.peer_connected(&device, true)
    })?;
    let mut done = |campaign: &mut Campaign, round: &Round| {
        tracing::info!(peer = %device, received = round.facts_received, sent = round.facts_sent, "synced");
        if let Err(error) = campaign.peer_synced(&device) {
            tracing::warn!(error = error.code(), "sync not noted");
        }
    };
    let result = link::keep(channel, &shared.campaign, role, shared.stop.clone(), &mut done).await;
    if let Err(error) = shared.campaign.with(|campaign| campaign.peer_connected(&hello.device, false)) {
        tracing::warn!(error = error.code(), "link's end not noted");
    }
    result
}

impl Shared {
    fn identity(&self) -> Arc<Identity> {
        self.identity.lock().expect("not poisoned").clone()
    }

    fn linked(&self) -> Vec<String> {
        self.links.lock().expect("not poisoned").keys().cloned().collect()
    }

    /// Takes a new revocation list when it verifies: new handshakes are checked against it. One
    /// that does not is refused and reported; the daemon goes on with the list it held.
    fn take_list(&self, number: u64, der: Vec<u8>) -> Result<(), SyncError> {
        let old = self.identity();
        let mut identity = Identity::new(crate::cert::Member::from_pem(&old.member.to_pem())?);
        (identity.revocations, identity.revocation_number) = (old.revocations.clone(), old.revocation_number);
        if !identity.take_list(number, der) {
            tracing::warn!(
                number,
                kept = old.revocation_number,
                "the new revocation list refused; the last good one stays"
            );
            *self.identity.lock().expect("not poisoned") = Arc::new(identity);
            return Ok(());
        }
        self.endpoint.set_server_config(Some(server_config(&identity)?));
        tracing::info!(number, "new revocation list");
        *self.identity.lock().expect("not poisoned") = Arc::new(identity);
        Ok(())
    }

    /// Closes every link to a device the group's record says is revoked.
    fn drop_revoked(&self, campaign: &Campaign) {
        let links = self.links.lock().expect("not poisoned");
        if links.is_empty() {
            return;
        }
        for member in campaign.members().into_iter().filter(|m| m.revoked.is_some()) {
            for connection in links.get(&member.device).into_iter().flatten() {
                tracing::info!(peer = %member.device, "dropping a revoked device");
                connection.close(Refusal::Revoked.code(), b"revoked");
            }
        }
    }

    /// Takes the link unless the device has as many as it may.
    fn register(&self, device: &str, connection: &Connection) -> bool {
        let mut links = self.links.lock().expect("not poisoned");
        let standing = links.entry(device.into()).or_default();
        standing.retain(|old| old.close_reason().is_none());
        if standing.len() >= MAX_PER_DEVICE {
            return false;
        }
        standing.push(connection.clone());
        true
    }

    fn unregister(&self, device: &str, connection: &Connection) {
        let mut links = self.links.lock().expect("not poisoned");
        if let Some(standing) = links.get_mut(device) {
            standing.retain(|c| c.stable_id() != connection.stable_id());
            if standing.is_empty() {
                links.remove(device);
            }
        }
    }
}
