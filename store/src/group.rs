//! The group of devices that sync a campaign, as the store keeps it. Shared by every member, in
//! the document: the devices the organiser admitted and the CA-signed list of those shut out
//! (`ROOT.group`, one JSON string written only by the organiser's device, which holds the
//! group's signing key, so no two devices ever write it at once). Kept on this device alone: its
//! membership (its own key and certificate), the invites it made, and what it knows of its peers.
//! The certificates themselves are opaque PEM and DER here; `syncd` reads and checks them.

use std::path::Path;

use std::collections::HashMap;

use automerge::{ChangeHash, ROOT, ReadDoc};
use chrono::{DateTime, FixedOffset};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::campaign::Campaign;
use crate::error::StoreError;
use crate::replica::{Entry, Map};
use crate::sign::{Keys, Sealed};

/// The root key of the group record in the document.
pub(crate) const GROUP_KEY: &str = "group";

/// A peer counts as connected while the daemon confirms it at least this often.
const CONNECTED_FOR_SECONDS: i64 = 60;

/// This device's place in a group (never synced: it holds this device's private key).
#[derive(Clone, PartialEq, Eq)]
pub struct Membership {
    /// The group's id.
    pub group: String,
    pub group_name: String,
    /// This device's name in the group ("Телефон Анны").
    pub device_name: String,
    /// This device's key and certificate and the group's CA certificate, as PEM.
    pub member_pem: String,
    /// The group's certificate authority with its signing key, as PEM: only on the organiser's device.
    pub ca_pem: Option<String>,
}

impl std::fmt::Debug for Membership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Membership")
            .field("group", &self.group)
            .field("group_name", &self.group_name)
            .field("device_name", &self.device_name)
            .field("organiser", &self.ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

/// The group's CA certificate and key in clear, in memory only (`Campaign::authority`).
#[derive(Clone)]
pub struct Authority(String);

impl std::fmt::Debug for Authority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authority(..)")
    }
}

/// A device of the group, as the organiser admitted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    /// The device's id (the one its facts carry).
    pub device: String,
    pub name: String,
    /// Its certificate's serial number, in hex: what a revocation list names.
    pub serial: String,
    pub added: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<DateTime<FixedOffset>>,
    /// The public key its certificate certifies (a raw P-256 point, hex): what its facts are
    /// verified with. Empty in a record made by an older obhod.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// The organiser's device: the one that holds the group's CA.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub organiser: bool,
    /// For a revoked device: the highest sequence number `n` of its facts the organiser held when
    /// revoking it. Every later fact of that device is refused everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<u64>,
}

impl MemberRecord {
    /// A device admitted now, with the public key its certificate certifies (DER).
    pub fn new(device: &str, name: &str, serial: &str, cert_der: &[u8], added: DateTime<FixedOffset>) -> MemberRecord {
        MemberRecord {
            device: device.into(),
            name: name.into(),
            serial: serial.into(),
            added,
            revoked: None,
            key: crate::sign::certified_key(cert_der).map(hex::encode).unwrap_or_default(),
            organiser: false,
            last: None,
        }
    }
}

/// The group's current revocation list: DER signed by the group's CA, and its number (a newer
/// list has a higher one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocations {
    pub number: u64,
    #[serde(with = "hex_bytes")]
    pub der: Vec<u8>,
}

/// The group as the document records it. Signed (a `sig` beside these fields) by the group's CA
/// on the organiser's device; a record made by an older obhod is unsigned and has version 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct GroupRecord {
    /// Grows with each record the organiser signs: a record of a lower or equal version is refused.
    #[serde(default)]
    pub version: u64,
    /// The CA's public key (raw P-256 point, hex), for a replica in no group to read the record.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ca: String,
    /// The document's heads when the organiser first signed the record: the facts and ballots
    /// there are the campaign as the organiser made it and count without signatures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base: Vec<String>,
    pub members: Vec<MemberRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocations: Option<Revocations>,
}

/// The group record in force: the signed record of the highest version that verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub version: u64,
    pub ca: Vec<u8>,
    pub base: Vec<ChangeHash>,
    pub members: HashMap<String, Admitted>,
}

/// A device whose records count: its key, whether it is the organiser's, where its facts stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Admitted {
    pub key: Vec<u8>,
    pub organiser: bool,
    pub last: Option<u64>,
}

impl Group {
    /// The record `text` if it is signed by the group's CA: `anchor` (the CA key of this device's
    /// membership) when there is one, else the key the record names.
    pub(crate) fn verified(text: &str, anchor: Option<&[u8]>, campaign: &str) -> Option<Group> {
        let sealed = Sealed::read(text)?;
        let record: GroupRecord = serde_json::from_value(sealed.value.clone()).ok()?;
        let ca = hex::decode(&record.ca).ok()?;
        if anchor.is_some_and(|anchor| anchor != ca) || !sealed.verifies(&ca, campaign, "root", GROUP_KEY) {
            return None;
        }
        let base = record.base.iter().map(|h| h.parse().ok()).collect::<Option<Vec<ChangeHash>>>()?;
        let members = record
            .members
            .iter()
            .filter_map(|m| {
                let key = hex::decode(&m.key).ok().filter(|k| !k.is_empty())?;
                Some((
                    m.device.clone(),
                    Admitted { key, organiser: m.organiser, last: m.revoked.and(m.last.or(Some(0))) },
                ))
            })
            .collect();
        Some(Group { version: record.version, ca, base, members })
    }

    /// The group record in force in `doc`: of every value the key holds, the highest version
    /// that verifies.
    pub(crate) fn in_force(doc: &automerge::Automerge, anchor: Option<&[u8]>, campaign: &str) -> Option<Group> {
        let values = doc.get_all(ROOT, GROUP_KEY).unwrap_or_default();
        let texts = values.iter().filter_map(|(value, _)| value.as_str());
        texts.filter_map(|text| Group::verified(text, anchor, campaign)).max_by_key(|group| group.version)
    }

    /// Whether this record, in force after `old`, only admits devices: the same CA and base, and
    /// every device of `old` with the same key, role and revocation. What counted under `old`
    /// then counts under this one.
    pub(crate) fn admits_only(&self, old: &Group) -> bool {
        self.ca == old.ca
            && self.base == old.base
            && old.members.iter().all(|(device, admitted)| self.members.get(device) == Some(admitted))
    }

    /// The device whose records count as the organiser's.
    pub(crate) fn organiser(&self) -> Option<&str> {
        self.members.iter().find(|(_, m)| m.organiser).map(|(device, _)| device.as_str())
    }
}

/// Another device of the group, as this device knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    pub device: String,
    pub name: String,
    /// Where it was reached or heard, newest first.
    pub addresses: Vec<String>,
    pub last_seen: Option<DateTime<FixedOffset>>,
    pub last_sync: Option<DateTime<FixedOffset>>,
    /// A connection to it is open now (the daemon says so, and has said it within the last minute).
    pub connected: bool,
}

/// What `take_invite` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteCheck {
    /// Valid until now: it is used from now on.
    Valid,
    /// Never made on this device.
    Unknown,
    /// Already used by another device.
    Used,
    Expired,
}

/// What this device's membership gives it to sign and verify with (nothing outside a group).
pub(crate) fn keys(conn: &rusqlite::Connection, campaign: &str) -> Result<Keys, StoreError> {
    let row: Option<(String, Option<String>)> = conn
        .query_row("SELECT member_pem, ca_pem FROM membership WHERE campaign = ?1", [campaign], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    Ok(row.map(|(member, ca)| Keys::of(&member, ca.as_deref())).unwrap_or_default())
}

impl Campaign {
    /// This device's membership of a group, if it has joined one (or made one).
    pub fn membership(&self) -> Result<Option<Membership>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT grp, group_name, device_name, member_pem, ca_pem FROM membership WHERE campaign = ?1",
                [&self.id],
                |r| {
                    Ok(Membership {
                        group: r.get(0)?,
                        group_name: r.get(1)?,
                        device_name: r.get(2)?,
                        member_pem: r.get(3)?,
                        ca_pem: r.get(4)?,
                    })
                },
            )
            .optional();
        row.map_err(|error| StoreError::from(error).at(&self.path))
    }

    /// Makes this device a member of a group; refuses when it already is one.
    pub fn set_membership(&mut self, membership: &Membership) -> Result<(), StoreError> {
        self.keep_private();
        self.write(|writer| {
            let exists: bool = writer.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM membership WHERE campaign = ?1)",
                [writer.campaign],
                |r| r.get(0),
            )?;
            if exists {
                return Err(StoreError::AlreadyInGroup);
            }
            let m = membership;
            writer.conn.execute(
                "INSERT INTO membership (campaign, grp, group_name, device_name, member_pem, ca_pem)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![writer.campaign, m.group, m.group_name, m.device_name, m.member_pem, m.ca_pem],
            )?;
            Ok(((), Vec::new()))
        })?;
        self.keys = Keys::of(&membership.member_pem, membership.ca_pem.as_deref());
        self.replica.set_anchor(self.keys.anchor.clone());
        Ok(())
    }

    /// Whether this device is the organiser and its CA key is sealed with a passphrase.
    pub fn key_sealed(&self) -> Result<bool, StoreError> {
        Ok(self.membership()?.and_then(|m| m.ca_pem).is_some_and(|pem| crate::passphrase::is_sealed(&pem)))
    }

    /// Opens the group's sealed CA key with `passphrase` for this process (nothing is written):
    /// the group record, members' certificates and revocations can be signed from now on. Nothing
    /// to do when the key is not sealed.
    pub fn unseal(&mut self, passphrase: &str) -> Result<(), StoreError> {
        let Some(ca_pem) = self.membership()?.and_then(|m| m.ca_pem) else { return Ok(()) };
        if crate::passphrase::is_sealed(&ca_pem) {
            self.keys.open_ca(&crate::passphrase::open(&ca_pem, passphrase)?);
        }
        Ok(())
    }

    /// The group's CA (certificate and key, PEM) to sign members and revocations with: `None` on a
    /// device that is not the organiser's; `KeySealed` while its key is sealed and not opened.
    pub fn group_authority(&self) -> Result<Option<String>, StoreError> {
        Ok(self.authority()?.map(|a| a.0))
    }

    /// The group's CA, opened, to hand to another process's or task's `Campaign` of this store
    /// (`use_authority`) without asking for the passphrase again.
    pub fn authority(&self) -> Result<Option<Authority>, StoreError> {
        if let Some(pem) = &self.keys.ca_pem {
            return Ok(Some(Authority(pem.clone())));
        }
        match self.membership()?.and_then(|m| m.ca_pem) {
            Some(pem) if crate::passphrase::is_sealed(&pem) => Err(StoreError::KeySealed),
            Some(pem) => Ok(Some(Authority(pem))),
            None => Ok(None),
        }
    }

    /// Signs with `authority`, opened from this store's sealed key elsewhere; refused unless it
    /// is this group's CA.
    pub fn use_authority(&mut self, authority: &Authority) -> Result<(), StoreError> {
        let certificate = |text: &str| {
            pem::parse_many(text).ok()?.into_iter().find(|b| b.tag() == "CERTIFICATE").map(|b| b.into_contents())
        };
        let ours = self.membership()?.and_then(|m| m.ca_pem).and_then(|pem| certificate(&pem));
        if ours.is_none() || ours != certificate(&authority.0) {
            return Err(StoreError::OrganiserOnly);
        }
        self.keys.open_ca(&authority.0);
        Ok(())
    }

    /// Seals the group's CA key in the store with `passphrase` (`obhod group seal`); this process
    /// keeps it open. The key in clear is overwritten in the database file and its journal.
    pub fn seal_key(&mut self, passphrase: &str) -> Result<(), StoreError> {
        let Some(ca_pem) = self.membership()?.and_then(|m| m.ca_pem) else { return Err(StoreError::OrganiserOnly) };
        let sealed = crate::passphrase::seal(&ca_pem, passphrase)?;
        self.conn.pragma_update(None, "secure_delete", true).map_err(|e| StoreError::from(e).at(&self.path))?;
        self.write(|writer| {
            writer
                .conn
                .execute("UPDATE membership SET ca_pem = ?1 WHERE campaign = ?2", params![sealed, writer.campaign])?;
            Ok(((), Vec::new()))
        })?;
        // The page that held the key in clear is overwritten (secure_delete) once the journal is
        // checkpointed into the database; the journal itself is then emptied.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| StoreError::from(e).at(&self.path))?;
        self.keys.open_ca(&ca_pem);
        Ok(())
    }

    /// The store now holds this device's private key: only its owner may read the files.
    fn keep_private(&self) {
        #[cfg(unix)]
        for suffix in ["", "-wal", "-shm"] {
            use std::os::unix::fs::PermissionsExt;
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            if let Err(error) = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                && error.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(%error, "store file permissions not narrowed");
            }
        }
    }

    /// The devices the organiser admitted, in the order they were added.
    pub fn members(&self) -> Vec<MemberRecord> {
        group_record(self.automerge()).members
    }

    /// The group's current revocation list, if a device was ever shut out.
    pub fn revocations(&self) -> Option<Revocations> {
        group_record(self.automerge()).revocations
    }

    /// Adds a device to the group's record in the document (the organiser's device, on a join).
    /// A device already there is replaced (a re-join after a lost key gets a new certificate).
    pub fn add_member(&mut self, member: &MemberRecord) -> Result<(), StoreError> {
        self.write(|writer| {
            let mut group = group_record(&writer.replica.doc);
            group.members.retain(|m| m.device != member.device);
            group.members.push(member.clone());
            Ok(((), vec![group_entry(&group)]))
        })
    }

    /// Shuts a device out: marks it revoked and puts the new CA-signed list in the document.
    pub fn revoke(&mut self, device: &str, list: &Revocations) -> Result<(), StoreError> {
        let at = self.clock.now();
        self.write(|writer| {
            let mut group = group_record(&writer.replica.doc);
            let member = group.members.iter_mut().find(|m| m.device == device);
            let member = member.ok_or_else(|| StoreError::UnknownMember { member: device.into() })?;
            member.revoked.get_or_insert(at);
            member.last = Some(writer.replica.last_n(device));
            if group.revocations.as_ref().is_some_and(|old| old.number >= list.number) {
                return Err(StoreError::StaleRevocations);
            }
            group.revocations = Some(list.clone());
            Ok(((), vec![group_entry(&group)]))
        })
    }

    /// Remembers an invite made on this device (by the hash of its token) until `expires`.
    pub fn add_invite(&mut self, token_hash: [u8; 32], expires: DateTime<FixedOffset>) -> Result<(), StoreError> {
        self.write(|writer| {
            writer.conn.execute(
                "INSERT INTO invite (token_hash, campaign, expires) VALUES (?1, ?2, ?3)",
                params![token_hash.as_slice(), writer.campaign, expires.to_rfc3339()],
            )?;
            Ok(((), Vec::new()))
        })
    }

    /// Checks an invite's token and, when it is valid, uses it up in the same transaction: a token
    /// admits one device, however many try it at once.
    pub fn take_invite(&mut self, token_hash: [u8; 32]) -> Result<InviteCheck, StoreError> {
        let now = self.clock.now();
        self.write(|writer| {
            let row: Option<(String, Option<String>)> = writer
                .conn
                .query_row(
                    "SELECT expires, used_at FROM invite WHERE token_hash = ?1 AND campaign = ?2",
                    params![token_hash.as_slice(), writer.campaign],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let check = match row {
                None => InviteCheck::Unknown,
                Some((_, Some(_))) => InviteCheck::Used,
                Some((expires, None)) if parse_time(&expires).is_none_or(|expires| expires <= now) => {
                    InviteCheck::Expired
                }
                Some(_) => {
                    writer.conn.execute(
                        "UPDATE invite SET used_at = ?1 WHERE token_hash = ?2",
                        params![now.to_rfc3339(), token_hash.as_slice()],
                    )?;
                    InviteCheck::Valid
                }
            };
            Ok((check, Vec::new()))
        })
    }

    /// The group's other devices this device has met, with where and when.
    pub fn peers(&self) -> Result<Vec<Peer>, StoreError> {
        self.read_peers().map_err(|error| error.at(&self.path))
    }

    fn read_peers(&self) -> Result<Vec<Peer>, StoreError> {
        let now = self.clock.now();
        let mut select = self.conn.prepare_cached(
            "SELECT device, name, last_seen, last_sync, connected FROM peer WHERE campaign = ?1 ORDER BY name, device",
        )?;
        let rows = select.query_map([&self.id], |r| {
            let (last_seen, last_sync) = (r.get::<_, Option<String>>(2)?, r.get::<_, Option<String>>(3)?);
            let last_seen = last_seen.as_deref().and_then(parse_time);
            let fresh = last_seen.is_some_and(|seen| (now - seen).num_seconds() < CONNECTED_FOR_SECONDS);
            Ok(Peer {
                device: r.get(0)?,
                name: r.get(1)?,
                addresses: Vec::new(),
                last_seen,
                last_sync: last_sync.as_deref().and_then(parse_time),
                connected: r.get::<_, bool>(4)? && fresh,
            })
        })?;
        let mut peers = rows.collect::<Result<Vec<_>, _>>()?;
        let mut addresses =
            self.conn.prepare_cached("SELECT address FROM peer_address WHERE device = ?1 ORDER BY seen_at DESC")?;
        for peer in &mut peers {
            peer.addresses = addresses.query_map([&peer.device], |r| r.get(0))?.collect::<Result<_, _>>()?;
        }
        Ok(peers)
    }

    /// Notes that a peer was met now (at `address`, when known): it is remembered for next time.
    pub fn peer_seen(&mut self, device: &str, name: &str, address: Option<&str>) -> Result<(), StoreError> {
        let now = self.clock.now().to_rfc3339();
        self.write(|writer| {
            writer.conn.execute(
                "INSERT INTO peer (device, campaign, name, last_seen) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (device) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen",
                params![device, writer.campaign, name, now],
            )?;
            if let Some(address) = address {
                writer.conn.execute(
                    "INSERT INTO peer_address (device, address, seen_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (device, address) DO UPDATE SET seen_at = excluded.seen_at",
                    params![device, address, now],
                )?;
            }
            Ok(((), Vec::new()))
        })
    }

    /// Notes that a sync with a peer just completed: it holds everything this device has now.
    pub fn peer_synced(&mut self, device: &str) -> Result<(), StoreError> {
        let now = self.clock.now().to_rfc3339();
        let heads: Vec<u8> = self.automerge().get_heads().iter().flat_map(|h| h.0).collect();
        self.write(|writer| {
            writer.conn.execute(
                "UPDATE peer SET last_sync = ?1, last_seen = ?1, heads = ?2 WHERE device = ?3",
                params![now, heads, device],
            )?;
            Ok(((), Vec::new()))
        })
    }

    /// Notes whether a connection to a peer is open (the daemon says so again now and then).
    pub fn peer_connected(&mut self, device: &str, connected: bool) -> Result<(), StoreError> {
        let now = self.clock.now().to_rfc3339();
        self.write(|writer| {
            writer.conn.execute(
                "UPDATE peer SET connected = ?1, last_seen = CASE WHEN ?1 THEN ?2 ELSE last_seen END WHERE device = ?3",
                params![connected, now, device],
            )?;
            Ok(((), Vec::new()))
        })
    }

    /// Facts recorded or received here that no peer is known to hold yet (none when this device
    /// has never synced: then every fact is "not sent", which the caller shows only in a group).
    pub fn not_sent(&self) -> Result<usize, StoreError> {
        let mut select =
            self.conn.prepare_cached("SELECT heads FROM peer WHERE campaign = ?1 AND heads IS NOT NULL")?;
        let blobs = select.query_map([&self.id], |r| r.get::<_, Vec<u8>>(0))?.collect::<Result<Vec<_>, _>>()?;
        let doc = self.automerge();
        let mut heads: Vec<automerge::ChangeHash> = blobs
            .iter()
            .flat_map(|blob| blob.chunks_exact(32))
            .filter_map(|chunk| automerge::ChangeHash::try_from(chunk).ok())
            .filter(|hash| doc.get_change_by_hash(hash).is_some())
            .collect();
        heads.sort();
        heads.dedup();
        let facts = self.facts_map();
        let known = if heads.is_empty() { 0 } else { doc.keys_at(&facts, &heads).count() };
        Ok(doc.length(&facts).saturating_sub(known))
    }

    /// The whole document, for a device that joins the group.
    pub fn document(&self) -> Vec<u8> {
        self.automerge().save()
    }

    /// Writes a new store at `path` from a campaign document received when joining a group, with
    /// its own new device id. Refuses bytes that are not an obhod campaign, and a store that
    /// already holds a campaign.
    /// `ca_cert`: the group's CA certificate (DER) the joiner was given by the invite's pinned
    /// channel: the document's changes after the group's base must keep the group's rules under
    /// the record it signed (`check`), or nothing is written.
    pub fn from_document(path: &Path, bytes: &[u8], ca_cert: Option<&[u8]>) -> Result<Campaign, StoreError> {
        let anchor = ca_cert.and_then(crate::sign::certified_key);
        Campaign::adopt(path, bytes, anchor.as_deref()).map_err(|error| error.at(path))
    }
}

/// The group record in a document (empty when no group was ever made): of several values put at
/// once, the highest version.
pub(crate) fn group_record(doc: &automerge::Automerge) -> GroupRecord {
    let values = doc.get_all(ROOT, GROUP_KEY).unwrap_or_default();
    let texts = values.iter().filter_map(|(value, _)| value.as_str());
    texts
        .filter_map(|text| serde_json::from_str::<GroupRecord>(text).ok())
        .max_by_key(|g| g.version)
        .unwrap_or_default()
}

/// The group record's entry, unsigned: the write path signs it (`campaign::seal`).
pub(crate) fn group_entry(group: &GroupRecord) -> Entry {
    Entry {
        map: Map::Root,
        key: GROUP_KEY.into(),
        text: serde_json::to_string(group).expect("a group record always serialises"),
    }
}

fn parse_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// Bytes as a hex string in JSON.
mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        hex::decode(text).map_err(serde::de::Error::custom)
    }
}
