//! The commands that talk to other devices: `obhod sync` (one round with every reachable peer),
//! `obhod group invite` (prints the invite at once, then waits for one device) and
//! `obhod group join`. They run the syncd library on a tokio runtime of their own.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::time::{Duration, SystemTime};

use chrono::Local;
use obhod_core::Lang;
use obhod_store::Campaign;
use obhod_syncd::invite::{DEFAULT_TTL, Invite};
use obhod_syncd::join::{self, any_address, inviting_endpoint, organiser, reachable_at, token_hash};
use obhod_syncd::{Identity, PeerRound, SyncError, net, sync_once};
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

#[derive(Debug, Serialize)]
struct SyncReport {
    peers: Vec<PeerReport>,
    unreachable: Vec<String>,
    conflicts: usize,
}

/// `obhod sync`: one round with each peer (given, then remembered), one address per device.
pub fn run(store: &Path, given: &[SocketAddr], as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let identity = Identity::of(&campaign).map_err(Failure::from)?;
    let targets = targets(&campaign, given)?;
    if targets.is_empty() {
        return Err(SyncError::NoAddress.into());
    }
    let (report, refusal) = runtime()?.block_on(rounds(&mut campaign, &identity, targets));
    let text = if as_json { json(&report) } else { table(&report, lang) };
    match refusal {
        Some(error) => Err(Failure::SyncIncomplete { report: text, error: Box::new(error) }),
        None if report.peers.is_empty() => {
            Err(Failure::SyncIncomplete { report: text, error: Box::new(SyncError::NoAddress) })
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

async fn rounds(
    campaign: &mut Campaign,
    identity: &Identity,
    targets: Vec<(SocketAddr, Option<String>)>,
) -> (SyncReport, Option<SyncError>) {
    let mut report = SyncReport { peers: Vec::new(), unreachable: Vec::new(), conflicts: 0 };
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
            Err(error) if error.is_refusal() => {
                tracing::warn!(%addr, %error, "sync refused");
                refusal.get_or_insert(error);
            }
            Err(error) => {
                tracing::info!(%addr, %error, "peer not reached");
                report.unreachable.push(addr.to_string());
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

fn table(report: &SyncReport, lang: Lang) -> String {
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
    for addr in &report.unreachable {
        text += &format!("{addr}: {}\n", lang.pick("не отвечает", "does not answer"));
    }
    if report.conflicts > 0 {
        let n = lang.count(report.conflicts as u64, ["конфликт", "конфликта", "конфликтов"], ["conflict", "conflicts"]);
        text += &format!("{}: {n} (obhod conflicts)\n", lang.pick("Расхождения в решениях", "Ballot conflicts"));
    }
    text
}

/// `obhod group invite`: prints the invite, then serves it until one device joined or it expired.
pub fn invite(store: &Path, ttl: Option<usize>, listen: Option<SocketAddr>, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let (ca, identity) = organiser(&campaign).map_err(Failure::from)?;
    let ttl = ttl.map_or(DEFAULT_TTL, |minutes| Duration::from_secs(60 * minutes as u64));
    let runtime = runtime()?;
    let _entered = runtime.enter();
    let endpoint = inviting_endpoint(listen.unwrap_or_else(any_address), &identity).map_err(Failure::from)?;
    let bound = endpoint.local_addr().map_err(|error| Failure::from(SyncError::Net(error.into())))?;
    let addresses = reachable_at(bound);
    if addresses.is_empty() {
        return Err(SyncError::NoAddress.into());
    }
    let invite =
        Invite::new(ca.group_id(), ca.fingerprint(), addresses, ttl, SystemTime::now()).map_err(Failure::Invite)?;
    let expires = Local::now().fixed_offset() + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::zero());
    campaign.add_invite(token_hash(&invite.token), expires)?;
    drop(campaign);
    show(&invite, ttl, lang)?;
    let joined =
        runtime.block_on(async { tokio::time::timeout(ttl, join::admit(&endpoint, store, invite.token)).await });
    match joined {
        Ok(Ok(joined)) => Ok(match lang {
            Lang::Ru => format!("Присоединилось устройство «{}» ({})\n", joined.name, joined.device),
            Lang::En => format!("Device «{}» joined ({})\n", joined.name, joined.device),
        }),
        Ok(Err(error)) => Err(error.into()),
        Err(_) => Err(Failure::InviteUnused),
    }
}

/// The invite goes out at once: the command then waits.
fn show(invite: &Invite, ttl: Duration, lang: Lang) -> Result<(), Failure> {
    let addresses: Vec<String> = invite.addresses.iter().map(ToString::to_string).collect();
    let minutes = lang.count(ttl.as_secs() / 60, ["минуту", "минуты", "минут"], ["minute", "minutes"]);
    let text = format!(
        "{}\n{}\n\n{}\n{}: {}\n{}\n",
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
    let invite = Invite::parse(code, SystemTime::now()).map_err(Failure::Invite)?;
    let name = name.unwrap_or(lang.pick("Устройство", "Device"));
    let campaign = runtime()?.block_on(join::join(&invite, peers, store, name)).map_err(Failure::from)?;
    let group = campaign.membership()?.map(|m| m.group_name).unwrap_or_default();
    let facts = lang.count(campaign.facts().count() as u64, ["факт", "факта", "фактов"], ["fact", "facts"]);
    Ok(match lang {
        Lang::Ru => {
            format!("Устройство «{name}» в группе «{group}»: кампания «{}», {facts}\n", campaign.meeting().address)
        }
        Lang::En => {
            format!("Device «{name}» is in group «{group}»: campaign «{}», {facts}\n", campaign.meeting().address)
        }
    })
}
