//! The commands that talk to other devices: `obhod sync` (one round with every reachable peer),
//! `obhod group invite` (prints the invite at once, then waits for one device, which may join
//! through its own listener or through this device's running daemon) and `obhod group join`. They
//! run the syncd library on a tokio runtime of their own. Every failure at an address is told in
//! the user's language with what to do (syncd's `words`).

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::Local;
use obhod_core::Lang;
use obhod_store::Campaign;
use obhod_syncd::invite::{DEFAULT_TTL, Invite};
use obhod_syncd::join::{self, Joined, any_address, inviting_endpoint, organiser, reachable_at, token_hash};
use obhod_syncd::{Context, Identity, PeerRound, SyncError, listening, net, sync_once};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{json, visible};

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build();
    runtime.map_err(|error| SyncError::Net(obhod_syncd::NetError::Io(error)).into())
}

/// What `obhod sync` did with one peer.
#[derive(Debug, Serialize)]
struct PeerReport {
    address: String,
    device: String,
    name: String,
    facts_received: usize,
    facts_sent: usize,
    ballots_received: usize,
    ballots_sent: usize,
    contacts_received: usize,
}

/// Why one address gave nothing.
#[derive(Debug, Serialize)]
struct Trouble {
    address: String,
    /// The kind in a word: `no_answer`, `port_closed`, `revoked`, `other_group`, …
    code: &'static str,
    message: String,
    #[serde(skip)]
    refusal: bool,
}

#[derive(Debug, Serialize)]
struct SyncReport {
    peers: Vec<PeerReport>,
    /// The addresses where nothing answered (a subset of `failures`).
    unreachable: Vec<String>,
    /// Every address that gave nothing, and why.
    failures: Vec<Trouble>,
    conflicts: usize,
    /// The number of a revocation list in the store that does not verify and was not taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    revocations_refused: Option<u64>,
}

/// `obhod sync`: one round with each peer (given, then remembered), one address per device.
pub fn run(store: &Path, given: &[SocketAddr], as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let identity = Identity::of(&campaign).map_err(Failure::from)?;
    let targets = targets(&campaign, given)?;
    if targets.is_empty() {
        return Err(SyncError::NoPeers.into());
    }
    let (report, refusal) = runtime()?.block_on(rounds(&mut campaign, &identity, targets, lang));
    let text = if as_json { json(&report) } else { table(&report, lang, refusal.as_ref()) };
    match refusal {
        Some(error) => Err(Failure::SyncIncomplete { report: text, error: Box::new(error) }),
        None if report.peers.is_empty() => {
            // Nothing but silence: nobody answered. A closed port or a refusal is no silence.
            let silent = report.failures.iter().all(|trouble| trouble.code == "no_answer");
            let error = if silent { SyncError::NoAddress } else { SyncError::NoneReached };
            Err(Failure::SyncIncomplete { report: text, error: Box::new(error) })
        }
        None => Ok(text),
    }
}

/// Given addresses first, then every remembered address of each known peer that is not revoked.
fn targets(campaign: &Campaign, given: &[SocketAddr]) -> Result<Vec<(SocketAddr, Option<String>)>, Failure> {
    let revoked: Vec<String> =
        campaign.members().into_iter().filter(|m| m.revoked.is_some()).map(|m| m.device).collect();
    let mut targets: Vec<(SocketAddr, Option<String>)> = given.iter().map(|a| (*a, None)).collect();
    for peer in campaign.peers()?.into_iter().filter(|p| !revoked.contains(&p.device)) {
        for addr in peer.addresses.iter().filter_map(|a| a.parse().ok()) {
            if !targets.iter().any(|(known, _)| *known == addr) {
                targets.push((addr, Some(peer.device.clone())));
            }
        }
    }
    Ok(targets)
}

/// One round with each target; the report, and the first refusal (worded with its address).
async fn rounds(
    campaign: &mut Campaign,
    identity: &Identity,
    targets: Vec<(SocketAddr, Option<String>)>,
    lang: Lang,
) -> (SyncReport, Option<SyncError>) {
    let mut report = SyncReport {
        peers: Vec::new(),
        unreachable: Vec::new(),
        failures: Vec::new(),
        conflicts: 0,
        revocations_refused: identity.refused_list,
    };
    let mut refusal = None;
    let endpoint = match net::endpoint(any_address(), None) {
        Ok(endpoint) => endpoint,
        Err(error) => return (report, Some(error.into())),
    };
    let mut done: Vec<String> = Vec::new();
    for (addr, device) in targets {
        if device.is_some_and(|d| done.contains(&d)) {
            continue;
        }
        match sync_once(&endpoint, addr, identity, campaign).await {
            Ok(round) if done.contains(&round.hello.device) => {}
            Ok(round) => {
                note(campaign, &round);
                done.push(round.hello.device.clone());
                report.peers.push(peer_report(&round));
            }
            Err(error) => {
                let refused = error.is_refusal();
                if refused {
                    tracing::warn!(%addr, %error, "sync refused");
                } else {
                    tracing::info!(%addr, %error, "peer not reached");
                }
                if error.is_unreached() {
                    report.unreachable.push(addr.to_string());
                }
                report.failures.push(Trouble {
                    address: addr.to_string(),
                    code: error.code(),
                    message: error.reason(lang, Context::Sync),
                    refusal: refused,
                });
                if refused && refusal.is_none() {
                    refusal = Some(SyncError::At { address: addr, error: Box::new(error) });
                }
            }
        }
    }
    endpoint.close(0u32.into(), b"done");
    let _ = tokio::time::timeout(Duration::from_secs(2), endpoint.wait_idle()).await;
    report.conflicts = campaign.conflicts().len();
    (report, refusal)
}

/// Remembers where the peer was reached and that it holds everything this device had.
fn note(campaign: &mut Campaign, round: &PeerRound) {
    let device = &round.hello.device;
    let noted = campaign
        .peer_seen(device, &round.hello.name, Some(&round.address.to_string()))
        .and_then(|()| campaign.peer_synced(device));
    if let Err(error) = noted {
        tracing::warn!(error = error.code(), "peer not remembered");
    }
}

fn peer_report(round: &PeerRound) -> PeerReport {
    let r = &round.round;
    PeerReport {
        address: round.address.to_string(),
        device: round.hello.device.clone(),
        name: round.hello.name.clone(),
        facts_received: r.facts_received,
        facts_sent: r.facts_sent,
        ballots_received: r.ballots_received,
        ballots_sent: r.ballots_sent,
        contacts_received: r.contacts.added,
    }
}

/// The report as text; the refusal that ends the command is told after it, not twice.
fn table(report: &SyncReport, lang: Lang, refusal: Option<&SyncError>) -> String {
    let mut text = String::new();
    for peer in &report.peers {
        let facts = |n: usize| lang.count(n as u64, ["факт", "факта", "фактов"], ["fact", "facts"]);
        text += &format!(
            "{} ({}): {} {}, {} {}\n",
            peer.name,
            peer.address,
            lang.pick("получено", "received"),
            facts(peer.facts_received),
            lang.pick("отправлено", "sent"),
            facts(peer.facts_sent),
        );
    }
    let told_after = |trouble: &Trouble| matches!(refusal, Some(SyncError::At { address, .. }) if trouble.refusal && address.to_string() == trouble.address);
    for trouble in report.failures.iter().filter(|trouble| !told_after(trouble)) {
        text += &format!("{}: {}\n", trouble.address, trouble.message);
    }
    if let Some(number) = report.revocations_refused {
        text += &match lang {
            Lang::Ru => format!(
                "Список исключённых устройств № {number} не прошёл проверку подписи группы и не принят: устройства, исключённые в записи группы, по-прежнему отвергаются; сообщите организатору\n"
            ),
            Lang::En => format!(
                "Revocation list no. {number} does not verify against the group's key and was not taken: the devices the group's record shuts out are still refused; tell the organiser\n"
            ),
        };
    }
    if report.conflicts > 0 {
        let n = lang.count(report.conflicts as u64, ["конфликт", "конфликта", "конфликтов"], ["conflict", "conflicts"]);
        text += &format!("{}: {n} (obhod conflicts)\n", lang.pick("Расхождения в решениях", "Ballot conflicts"));
    }
    text
}

/// The group's key for `obhod syncd` on the organiser's device: opened with the passphrase where
/// it is sealed; where none is given (no terminal, no OBHOD_PASSPHRASE) the daemon runs and admits
/// no one, and says so.
pub fn daemon_authority(store: &Path, lang: Lang) -> Result<Option<obhod_store::Authority>, Failure> {
    let Ok(mut campaign) = Campaign::open(store) else { return Ok(None) };
    if !campaign.key_sealed().unwrap_or(false) {
        return Ok(None);
    }
    match crate::command::group::passphrase(false, lang)? {
        Some(passphrase) => {
            campaign.unseal(&passphrase)?;
            Ok(campaign.authority()?)
        }
        None => {
            eprintln!(
                "{}",
                lang.pick(
                    "Ключ группы запечатан паролем, а пароль не задан: этот obhod syncd синхронизирует, но новых устройств не принимает (для этого — obhod group invite или запуск с OBHOD_PASSPHRASE).",
                    "The group's key is sealed and no passphrase was given: this obhod syncd syncs but admits no new device (use obhod group invite, or start it with OBHOD_PASSPHRASE)."
                )
            );
            Ok(None)
        }
    }
}

/// How often a waiting `obhod group invite` looks whether the daemon used its invite.
const WATCH: Duration = Duration::from_millis(250);
/// How long after its invite was used a waiting `obhod group invite` waits for the new member.
const FINISH: Duration = Duration::from_secs(30);

/// `obhod group invite`: prints the invite, then serves it until one device joined or it expired.
/// With this store's daemon running, the code carries the daemon's addresses too (first: they
/// last), and a device that joins through the daemon is seen in the store.
pub fn invite(store: &Path, ttl: Option<usize>, listen: Option<SocketAddr>, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    if campaign.membership()?.is_some() {
        crate::command::group::unseal(&mut campaign, lang)?;
    }
    let (ca, identity) = organiser(&campaign).map_err(Failure::from)?;
    let authority = campaign.authority()?.map(std::sync::Arc::new);
    let ttl = ttl.map_or(DEFAULT_TTL, |minutes| Duration::from_secs(60 * minutes as u64));
    let runtime = runtime()?;
    let _entered = runtime.enter();
    let endpoint = inviting_endpoint(listen.unwrap_or_else(any_address), &identity).map_err(Failure::from)?;
    let bound = endpoint.local_addr().map_err(|error| Failure::from(SyncError::Net(error.into())))?;
    let daemon = runtime.block_on(listening::running_daemon(store, &identity));
    let mut addresses = daemon.map(reachable_at).unwrap_or_default();
    for addr in reachable_at(bound) {
        if !addresses.contains(&addr) {
            addresses.push(addr);
        }
    }
    addresses.truncate(16);
    if addresses.is_empty() {
        return Err(SyncError::NoAddress.into());
    }
    let invite =
        Invite::new(ca.group_id(), ca.fingerprint(), addresses, ttl, SystemTime::now()).map_err(Failure::Invite)?;
    let expires = Local::now().fixed_offset() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::zero());
    let hash = token_hash(&invite.token);
    campaign.add_invite(hash, expires)?;
    let members: Vec<String> = campaign.members().into_iter().map(|m| m.device).collect();
    show(&invite, ttl, daemon, lang)?;
    let joined = runtime.block_on(async {
        let admitting = tokio::spawn({
            let (endpoint, store) = (endpoint.clone(), store.to_path_buf());
            async move { join::admit_with(&endpoint, &store, invite.token, authority).await }
        });
        let busy = || endpoint.open_connections() > 0;
        let waited = tokio::time::timeout(ttl, wait(admitting, busy, &mut campaign, hash, &members)).await;
        endpoint.close(0u32.into(), b"done");
        waited
    });
    match joined {
        Ok(Ok(joined)) => Ok(match lang {
            Lang::Ru => format!("Присоединилось устройство «{}» ({})\n", joined.name, joined.device),
            Lang::En => format!("Device «{}» joined ({})\n", joined.name, joined.device),
        }),
        Ok(Err(error)) => Err(error.into()),
        Err(_) => Err(Failure::InviteUnused),
    }
}

/// Until a device joins: through this command's own listener (`admitting`), or through the daemon,
/// which uses the invite up in the store and adds the member there. A member that appears while
/// the listener is `busy` with a connection is the listener's to report, once it is done.
async fn wait(
    mut admitting: tokio::task::JoinHandle<Result<Joined, SyncError>>,
    busy: impl Fn() -> bool,
    campaign: &mut Campaign,
    hash: [u8; 32],
    before: &[String],
) -> Result<Joined, SyncError> {
    let mut used_at: Option<std::time::Instant> = None;
    loop {
        tokio::select! {
            admitted = &mut admitting => return admitted.unwrap_or(Err(SyncError::NoAddress)),
            _ = tokio::time::sleep(WATCH) => {}
        }
        if used_at.is_none() && campaign.invite_used(hash)?.is_some() {
            used_at = Some(std::time::Instant::now());
        }
        let Some(used) = used_at else { continue };
        campaign.refresh()?;
        let new = campaign.members().into_iter().find(|m| !before.contains(&m.device));
        match new {
            Some(member) if !busy() => {
                admitting.abort();
                return Ok(Joined { device: member.device, name: member.name });
            }
            None if used.elapsed() > FINISH => return Err(SyncError::JoinUnfinished),
            _ => {}
        }
    }
}

/// The invite goes out at once: the command then waits.
fn show(invite: &Invite, ttl: Duration, daemon: Option<SocketAddr>, lang: Lang) -> Result<(), Failure> {
    let addresses: Vec<String> = invite.addresses.iter().map(ToString::to_string).collect();
    let minutes = lang.count(ttl.as_secs() / 60, ["минуту", "минуты", "минут"], ["minute", "minutes"]);
    let through = match (daemon, lang) {
        (Some(daemon), Lang::Ru) => {
            format!("Присоединиться можно и через работающий obhod syncd (порт {}).\n", daemon.port())
        }
        (Some(daemon), Lang::En) => {
            format!("The device may join through the running obhod syncd too (port {}).\n", daemon.port())
        }
        (None, _) => String::new(),
    };
    let text = format!(
        "{}\n{}\n\n{}\n{}: {}\n{through}{}\n",
        invite.qr(),
        invite.encode(),
        match lang {
            Lang::Ru => format!("Приглашение действует {minutes} и впускает одно устройство:"),
            Lang::En => format!("The invite is valid for {minutes} and admits one device:"),
        } + &format!(" obhod group join {}", invite.encode()),
        lang.pick("Адреса", "Addresses"),
        addresses.join(", "),
        lang.pick("Жду устройство…", "Waiting for the device…"),
    );
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(visible(&text).as_bytes())?;
    Ok(stdout.flush()?)
}

/// `obhod group join CODE`: a new store at `store` with the group's campaign and this device's
/// membership.
pub fn join(store: &Path, code: &str, peers: &[SocketAddr], name: Option<&str>, lang: Lang) -> Result<String, Failure> {
    // The organiser's clock decides whether the invite expired: this device's may be off.
    let invite = Invite::read(code).map_err(Failure::Invite)?;
    let name = name.unwrap_or(lang.pick("Устройство", "Device"));
    let campaign = runtime()?.block_on(join::join(&invite, peers, store, name)).map_err(Failure::from)?;
    let group = campaign.membership()?.map(|m| m.group_name).unwrap_or_default();
    let facts = lang.count(campaign.facts().count() as u64, ["факт", "факта", "фактов"], ["fact", "facts"]);
    let mut text = match lang {
        Lang::Ru => {
            format!("Устройство «{name}» в группе «{group}»: кампания «{}», {facts}\n", campaign.meeting().address)
        }
        Lang::En => {
            format!("Device «{name}» is in group «{group}»: campaign «{}», {facts}\n", campaign.meeting().address)
        }
    };
    // A daemon that admitted this device is remembered: the next `obhod sync` finds it.
    for peer in campaign.peers()? {
        let Some(address) = peer.addresses.first() else { continue };
        text += &match lang {
            Lang::Ru => format!(
                "Принято через obhod syncd устройства «{}» ({address}); адрес запомнен: obhod sync найдёт его сам.\n",
                peer.name
            ),
            Lang::En => format!(
                "Admitted through the obhod syncd of «{}» ({address}); the address is remembered: obhod sync finds it.\n",
                peer.name
            ),
        };
    }
    Ok(text)
}
