//! `obhod group create | members | revoke`: the group of devices that sync a campaign, as far as
//! it needs no network. The organiser's device makes the group's certificate authority and its own
//! member certificate; `revoke` signs a new revocation list that every peer learns by sync.

use std::path::Path;
use std::time::SystemTime;

use chrono::{DateTime, FixedOffset};
use obhod_core::Lang;
use obhod_store::{Campaign, MemberRecord, Membership, Revocations};
use obhod_syncd::{CertError, GroupCa, member_serial};
use serde::Serialize;

use crate::failure::Failure;
use crate::output::{json, table};

/// The variable a script or a test gives the organiser's passphrase in, instead of the terminal.
pub const PASSPHRASE_VARIABLE: &str = "OBHOD_PASSPHRASE";

/// The organiser's passphrase: from `OBHOD_PASSPHRASE`, else typed on the terminal unseen (twice
/// with `confirm`); `None` with neither.
pub fn passphrase(confirm: bool, lang: Lang) -> Result<Option<String>, Failure> {
    if let Ok(given) = std::env::var(PASSPHRASE_VARIABLE) {
        return Ok(Some(given));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Ok(None);
    }
    let ask = |prompt: &str| rpassword::prompt_password(prompt).map_err(Failure::Terminal);
    let first = ask(lang.pick("Пароль ключа группы: ", "The group key's passphrase: "))?;
    if confirm && ask(lang.pick("Ещё раз: ", "Again: "))? != first {
        return Err(GroupFailure::PassphrasesDiffer.into());
    }
    Ok(Some(first))
}

/// Opens the group's key of `campaign` with the organiser's passphrase, where it is sealed.
pub fn unseal(campaign: &mut Campaign, lang: Lang) -> Result<(), Failure> {
    if campaign.key_sealed()? {
        let passphrase = passphrase(false, lang)?.ok_or(obhod_store::StoreError::KeySealed)?;
        campaign.unseal(&passphrase)?;
    }
    Ok(())
}

/// `obhod group seal`: seals the organiser's group key with a passphrase.
pub fn seal(store: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    let membership = campaign.membership()?.ok_or(GroupFailure::NoGroup)?;
    if membership.ca_pem.is_none() {
        return Err(GroupFailure::NotOrganiser.into());
    }
    if campaign.key_sealed()? {
        return Err(obhod_store::StoreError::AlreadySealed.into());
    }
    let passphrase = passphrase(true, lang)?.ok_or(obhod_store::StoreError::KeySealed)?;
    campaign.seal_key(&passphrase)?;
    if as_json {
        return Ok(json(&serde_json::json!({"sealed": true})));
    }
    Ok(lang
        .pick(
            "Ключ группы запечатан паролем. Приглашать и отзывать устройства можно только с ним (obhod спросит его или возьмёт из OBHOD_PASSPHRASE); без пароля его не восстановить — запишите его.\n",
            "The group's key is sealed with the passphrase. Inviting and revoking devices now needs it (obhod asks, or reads OBHOD_PASSPHRASE); it cannot be recovered without it: write it down.\n",
        )
        .into())
}

/// Why a group command was refused.
#[derive(Debug)]
pub enum GroupFailure {
    /// The campaign's device is in no group yet.
    NoGroup,
    /// Only the device that holds the group's CA may do this.
    NotOrganiser,
    /// The organiser's own device cannot be shut out.
    RevokeSelf,
    /// The device is already shut out.
    AlreadyRevoked { name: String },
    /// Several devices go by this name.
    Ambiguous { name: String, devices: Vec<String> },
    /// Making or reading a certificate failed.
    Cert(CertError),
    /// The passphrase typed the second time differs from the first.
    PassphrasesDiffer,
}

impl GroupFailure {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            GroupFailure::NoGroup => lang
                .pick(
                    "это устройство ещё не в группе: организатор создаёт её (obhod group create --name ИМЯ), остальные присоединяются по приглашению (obhod group join КОД)",
                    "this device is in no group yet: the organiser makes one (obhod group create --name NAME), the others join by invite (obhod group join CODE)",
                )
                .into(),
            GroupFailure::NotOrganiser => lang
                .pick(
                    "это может только устройство организатора (то, на котором группа создана)",
                    "only the organiser's device (the one the group was made on) can do this",
                )
                .into(),
            GroupFailure::RevokeSelf => {
                lang.pick("нельзя отозвать устройство организатора", "the organiser's device cannot be revoked").into()
            }
            GroupFailure::AlreadyRevoked { name } => match lang {
                Lang::Ru => format!("устройство «{name}» уже отозвано"),
                Lang::En => format!("device «{name}» is already revoked"),
            },
            GroupFailure::Ambiguous { name, devices } => match lang {
                Lang::Ru => format!("«{name}» — имя нескольких устройств; укажите id: {}", devices.join(", ")),
                Lang::En => format!("«{name}» names several devices; give the id: {}", devices.join(", ")),
            },
            GroupFailure::Cert(error) => match lang {
                Lang::Ru => format!("сертификат группы: {error}"),
                Lang::En => format!("the group's certificate: {error}"),
            },
            GroupFailure::PassphrasesDiffer => {
                lang.pick("пароли не совпали; ничего не изменено", "the passphrases differ; nothing changed").into()
            }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            GroupFailure::NoGroup => "no_group",
            GroupFailure::NotOrganiser => "not_organiser",
            GroupFailure::RevokeSelf => "revoke_self",
            GroupFailure::AlreadyRevoked { .. } => "already_revoked",
            GroupFailure::Ambiguous { .. } => "ambiguous_member",
            GroupFailure::Cert(_) => "certificate",
            GroupFailure::PassphrasesDiffer => "passphrases_differ",
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            GroupFailure::Cert(_) => 1,
            _ => 2,
        }
    }
}

impl From<CertError> for Failure {
    fn from(error: CertError) -> Self {
        Failure::Group(GroupFailure::Cert(error))
    }
}

impl From<GroupFailure> for Failure {
    fn from(failure: GroupFailure) -> Self {
        Failure::Group(failure)
    }
}

/// The default name of the organiser's device.
const ORGANISER_DEVICE: [&str; 2] = ["Организатор", "Organiser"];

#[derive(Serialize)]
struct CreatedJson {
    group: String,
    name: String,
    device: String,
    device_name: String,
    fingerprint: String,
}

/// How long the group's certificates last: a year past the meeting's last day of voting, and
/// at least a year from now.
fn certificates_until(campaign: &Campaign) -> std::time::SystemTime {
    let year = std::time::Duration::from_secs(365 * 24 * 3600);
    let ends = campaign.meeting().voting_ends.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp());
    let ends = std::time::UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(ends).unwrap_or(0));
    (ends + year).max(std::time::SystemTime::now() + year)
}

/// `obhod group create --name NAME [--device DEVICE]`.
pub fn create(
    store: &Path,
    name: &str,
    device_name: Option<&str>,
    sealed: bool,
    as_json: bool,
    lang: Lang,
) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    if campaign.membership()?.is_some() {
        return Err(obhod_store::StoreError::AlreadyInGroup.into());
    }
    let passphrase = match sealed {
        true => Some(passphrase(true, lang)?.ok_or(obhod_store::StoreError::KeySealed)?),
        false => None,
    };
    let device_name = device_name.unwrap_or(lang.pick(ORGANISER_DEVICE[0], ORGANISER_DEVICE[1])).to_string();
    let group = ulid::Ulid::generate().to_string();
    let ca = GroupCa::create_until(&group, certificates_until(&campaign))?;
    let member = ca.issue(campaign.device(), &device_name)?;
    // Sealed before it is stored: the key never reaches the file in clear.
    let ca_pem = match &passphrase {
        Some(passphrase) => obhod_store::passphrase::seal(&ca.to_pem(), passphrase)?,
        None => ca.to_pem(),
    };
    campaign.set_membership(&Membership {
        group: group.clone(),
        group_name: name.into(),
        device_name: device_name.clone(),
        member_pem: member.to_pem(),
        ca_pem: Some(ca_pem),
    })?;
    if let Some(passphrase) = &passphrase {
        campaign.unseal(passphrase)?;
    }
    let serial = hex::encode(member_serial(member.cert_der())?);
    let added = chrono::Local::now().fixed_offset();
    let record = MemberRecord {
        organiser: true,
        ..MemberRecord::new(campaign.device(), &device_name, &serial, member.cert_der(), added)
    };
    campaign.add_member(&record)?;
    let fingerprint = ca.fingerprint().to_string();
    if as_json {
        return Ok(json(&CreatedJson {
            group,
            name: name.into(),
            device: campaign.device().into(),
            device_name,
            fingerprint,
        }));
    }
    Ok(match lang {
        Lang::Ru => format!(
            "Группа «{name}» создана; это устройство («{device_name}») — организатор: только оно приглашает и отзывает устройства.\n\
             Отпечаток группы: {fingerprint}\n\
             Дальше: obhod group invite — приглашение для следующего устройства.\n"
        ),
        Lang::En => format!(
            "Group «{name}» created; this device («{device_name}») is the organiser: only it invites and revokes devices.\n\
             Group fingerprint: {fingerprint}\n\
             Next: obhod group invite makes an invite for the next device.\n"
        ),
    })
}

#[derive(Serialize)]
struct MemberJson {
    device: String,
    name: String,
    this_device: bool,
    added: String,
    last_seen: Option<String>,
    last_sync: Option<String>,
    connected: bool,
    revoked: Option<String>,
    /// The organiser's device: the one whose signature the group's list and the meeting carry.
    organiser: bool,
    /// Records of this device the group does not count (after its revocation, unsigned).
    not_counted: usize,
}

/// `obhod group members`: the group's devices with when each was added, last seen and revoked.
pub fn members(store: &Path, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let campaign = Campaign::open(store)?;
    let membership = campaign.membership()?.ok_or(GroupFailure::NoGroup)?;
    let peers = campaign.peers()?;
    let refused = campaign.refused_facts();
    let rows: Vec<MemberJson> = campaign
        .members()
        .into_iter()
        .map(|m| {
            let peer = peers.iter().find(|p| p.device == m.device);
            MemberJson {
                this_device: m.device == campaign.device(),
                added: m.added.to_rfc3339(),
                last_seen: peer.and_then(|p| p.last_seen).map(|t| t.to_rfc3339()),
                last_sync: peer.and_then(|p| p.last_sync).map(|t| t.to_rfc3339()),
                connected: peer.is_some_and(|p| p.connected),
                revoked: m.revoked.map(|t| t.to_rfc3339()),
                organiser: m.organiser,
                not_counted: refused.get(&m.device).copied().unwrap_or(0),
                device: m.device,
                name: m.name,
            }
        })
        .collect();
    if as_json {
        return Ok(json(&rows));
    }
    let mut out = table(
        &[
            lang.pick("устройство", "device"),
            "id",
            lang.pick("добавлено", "added"),
            lang.pick("на связи", "last seen"),
            lang.pick("отозвано", "revoked"),
        ],
        usize::MAX,
    );
    for row in &rows {
        let mut marks = Vec::new();
        if row.organiser {
            marks.push(lang.pick("организатор", "organiser"));
        }
        if row.this_device {
            marks.push(lang.pick("это устройство", "this device"));
        }
        let name = if marks.is_empty() { row.name.clone() } else { format!("{} ({})", row.name, marks.join(", ")) };
        let seen = if row.this_device {
            "—".to_string()
        } else if row.connected {
            lang.pick("сейчас", "now").to_string()
        } else {
            row.last_seen.as_deref().map_or_else(|| lang.pick("ещё нет", "not yet").to_string(), minute)
        };
        out.add_row(vec![
            name,
            row.device.clone(),
            minute(&row.added),
            seen,
            row.revoked.as_deref().map_or_else(|| "—".to_string(), minute),
        ]);
    }
    Ok(format!("{} «{}»\n{out}\n", lang.pick("Группа", "Group"), membership.group_name))
}

/// A time as people read it: date, hours and minutes.
fn minute(rfc3339: &str) -> String {
    DateTime::<FixedOffset>::parse_from_rfc3339(rfc3339)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.into())
}

/// `obhod group revoke MEMBER`: shuts a device out of the group (by id or name).
pub fn revoke(store: &Path, who: &str, as_json: bool, lang: Lang) -> Result<String, Failure> {
    let mut campaign = Campaign::open(store)?;
    campaign.membership()?.ok_or(GroupFailure::NoGroup)?;
    unseal(&mut campaign, lang)?;
    let ca = GroupCa::from_pem(&campaign.group_authority()?.ok_or(GroupFailure::NotOrganiser)?)?;
    let members = campaign.members();
    let member = find_member(&members, who)?;
    if member.device == campaign.device() {
        return Err(GroupFailure::RevokeSelf.into());
    }
    if member.revoked.is_some() {
        return Err(GroupFailure::AlreadyRevoked { name: member.name.clone() }.into());
    }
    let mut serials: Vec<Vec<u8>> =
        members.iter().filter(|m| m.revoked.is_some()).filter_map(|m| hex::decode(&m.serial).ok()).collect();
    serials
        .push(hex::decode(&member.serial).map_err(|_| obhod_store::StoreError::UnknownMember { member: who.into() })?);
    let number = campaign.revocations().map_or(1, |list| list.number + 1);
    let der = ca.revocation_list(number, &serials, SystemTime::now())?;
    campaign.revoke(&member.device, &Revocations { number, der })?;
    if as_json {
        return Ok(json(&serde_json::json!({"revoked": member.device, "name": member.name, "number": number})));
    }
    Ok(match lang {
        Lang::Ru => format!(
            "Устройство «{}» отозвано. Остальные устройства откажут ему при следующем соединении, как только получат это решение: запустите obhod sync (или держите obhod syncd включённым).\n",
            member.name
        ),
        Lang::En => format!(
            "Device «{}» is revoked. The other devices refuse it at its next connection as soon as they learn this: run obhod sync (or keep obhod syncd running).\n",
            member.name
        ),
    })
}

/// The member named by `who`: a device id, or a name that only one device goes by.
fn find_member<'a>(members: &'a [MemberRecord], who: &str) -> Result<&'a MemberRecord, Failure> {
    if let Some(member) = members.iter().find(|m| m.device == who) {
        return Ok(member);
    }
    let folded = obhod_core::text::fold(who);
    let named: Vec<&MemberRecord> = members.iter().filter(|m| obhod_core::text::fold(&m.name) == folded).collect();
    match named.as_slice() {
        [member] => Ok(member),
        [] => Err(obhod_store::StoreError::UnknownMember { member: who.into() }.into()),
        several => Err(GroupFailure::Ambiguous {
            name: who.into(),
            devices: several.iter().map(|m| m.device.clone()).collect(),
        }
        .into()),
    }
}
