//! The append-only rule, checked before a peer's changes are applied: a member may only add
//! facts and ballots it signed, the organiser's device may also re-sign the group record and
//! update the meeting and the registry (signed), and nothing else is ever taken: no delete, no overwrite of a fact,
//! no new object, no building change. Each change of a sync message (or of a whole
//! document received at join) is decoded and checked op by op against the document and the
//! changes before it; one change that breaks a rule refuses the whole message.

use std::collections::{HashMap, HashSet};

use automerge::legacy::{Key, ObjectId, OpType};
use automerge::{Automerge, Change, ExpandedChange, ReadDoc, ScalarValue};

use crate::doc::Layout;
use crate::error::{Breach, StoreError};
use crate::group::{GROUP_KEY, Group};
use crate::sign::Sealed;

/// What the check needs to know of this replica.
pub(crate) struct Rules<'a> {
    pub doc: &'a Automerge,
    pub layout: &'a Layout,
    pub campaign: &'a str,
    /// The CA key of this device's membership, if it has one.
    pub anchor: Option<&'a [u8]>,
    /// The group record in force in `doc`.
    pub group: Option<Group>,
}

/// The changes of a sync message's chunks that `doc` does not hold yet, each decoded. A chunk is
/// a change, or a whole document (automerge sends one to a peer that has nothing).
pub(crate) fn changes(doc: &Automerge, chunks: impl Iterator<Item = Vec<u8>>) -> Result<Vec<Change>, StoreError> {
    let bad = |detail: String| StoreError::BadSyncMessage { detail };
    let mut out = Vec::new();
    for joined in chunks {
        for chunk in split(&joined).ok_or_else(|| bad("a change chunk cut short".into()))? {
            if let Ok(change) = Change::try_from(chunk) {
                out.push(change);
            } else if let Ok(bundle) = automerge::Bundle::try_from(chunk) {
                out.extend(bundle.to_changes().map_err(|error| bad(error.to_string()))?);
            } else {
                let whole = Automerge::load(chunk).map_err(|error| bad(error.to_string()))?;
                out.extend(whole.get_changes(&[]));
            }
        }
    }
    out.retain(|change| doc.get_change_by_hash(&change.hash()).is_none());
    let mut seen = HashSet::new();
    out.retain(|change| seen.insert(change.hash()));
    Ok(ordered(out))
}

/// The storage chunks one after another in `bytes` (automerge's V2 sync message joins the
/// changes it sends into one): magic (4 bytes), checksum (4), type (1), length (LEB128), data.
fn split(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut chunks = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let mut end = at + 9;
        let (mut length, mut shift) = (0usize, 0u32);
        loop {
            let byte = *bytes.get(end)?;
            end += 1;
            length |= usize::from(byte & 0x7f).checked_shl(shift)?;
            shift += 7;
            if byte & 0x80 == 0 || shift > 63 {
                break;
            }
        }
        let end = end.checked_add(length).filter(|end| *end <= bytes.len())?;
        chunks.push(&bytes[at..end]);
        at = end;
    }
    Some(chunks)
}

/// The changes in an order where each comes after those of its dependencies that are among them.
pub(crate) fn ordered(mut changes: Vec<Change>) -> Vec<Change> {
    let mut ordered = Vec::with_capacity(changes.len());
    let mut placed: HashSet<automerge::ChangeHash> = HashSet::new();
    let pending: HashSet<automerge::ChangeHash> = changes.iter().map(Change::hash).collect();
    while !changes.is_empty() {
        let before = changes.len();
        let mut rest = Vec::new();
        for change in changes {
            if change.deps().iter().all(|dep| !pending.contains(dep) || placed.contains(dep)) {
                placed.insert(change.hash());
                ordered.push(change);
            } else {
                rest.push(change);
            }
        }
        if rest.len() == before {
            // A cycle cannot happen with real hashes; keep the rest as they came.
            ordered.extend(rest);
            break;
        }
        changes = rest;
    }
    ordered
}

/// A fact id as the write path makes them: a ULID, its time far enough from the end of the ULID's
/// range that the ids made after it (`Ids::after`, the hybrid clock) still sort after it.
fn orderable(id: &str) -> bool {
    const YEAR_MS: u64 = 366 * 24 * 3600 * 1000;
    ulid::Ulid::from_string(id).is_ok_and(|ulid| ulid.timestamp_ms() < (1u64 << 48) - 100 * YEAR_MS)
}

/// The most a fact or ballot record may take: a note at its limit in Cyrillic is about 1 KiB and
/// the rest of a record a few hundred bytes, so anything near this is no record the write path made.
/// What a check let through: the records whose signatures it verified (by key and signature),
/// and how many signatures it verified to know.
pub(crate) struct Checked {
    pub verified: Vec<(String, Vec<u8>)>,
    pub signatures: usize,
}

pub(crate) const RECORD_LIMIT: usize = 16 * 1024;

/// A record over `RECORD_LIMIT` bytes, or with a note over the note limit (in characters, as the
/// write path counts them), checked before the record is taken: a member cannot make every device
/// hold a note that hides a flat's history.
fn too_large(text: &str, sealed: Option<&Sealed>) -> bool {
    let note = sealed.and_then(|s| s.value.get("note")).and_then(|note| note.as_str());
    text.len() > RECORD_LIMIT || note.is_some_and(|note| note.chars().count() > crate::campaign::NOTE_LIMIT)
}

/// What the changes checked so far have added, and the records whose signature was verified.
#[derive(Default)]
struct Added {
    keys: HashSet<(String, String)>,
    verified: Vec<(String, Vec<u8>)>,
    chains: Chains,
}

/// The facts and ballots of the changes being checked, read ahead by device: each record names
/// the digest of its device's record before it (`prev`), so one verified signature of a device's
/// newest record vouches for every record it chains back to, as the device signed them. A
/// record outside such a chain is verified on its own, as any record was before.
#[derive(Default)]
pub(crate) struct Chains {
    links: Vec<Link>,
    by_device: HashMap<String, Vec<usize>>,
    by_digest: HashMap<[u8; 32], usize>,
    /// Devices whose chains were verified.
    done: HashSet<String>,
    /// The digests of the records that verified, by their own signature or a later one's.
    authentic: HashSet<[u8; 32]>,
    /// Signatures verified.
    pub verifications: usize,
}

struct Link {
    map: &'static str,
    key: String,
    device: String,
    n: u64,
    digest: [u8; 32],
    prev: Option<[u8; 32]>,
    sealed: Sealed,
}

impl Chains {
    /// The signed facts and ballots put by `changes` into the maps `facts` and `ballots` (ids).
    fn read(changes: &[ExpandedChange], campaign: &str, facts: &str, ballots: &str) -> Chains {
        let mut chains = Chains::default();
        for op in changes.iter().flat_map(|change| &change.operations) {
            let map = match &op.obj {
                ObjectId::Id(id) if id.to_string() == facts => "facts",
                ObjectId::Id(id) if id.to_string() == ballots => "ballots",
                _ => continue,
            };
            let (Key::Map(key), OpType::Put(ScalarValue::Str(text)), false) = (&op.key, &op.action, op.insert) else {
                continue;
            };
            chains.push(map, key, text, campaign);
        }
        chains
    }

    /// The signed records `(map, key, text)` of a document, for a fold that has many to verify.
    pub(crate) fn of_records<'a>(
        records: impl Iterator<Item = (&'static str, &'a str, &'a str)>,
        campaign: &str,
    ) -> Chains {
        let mut chains = Chains::default();
        for (map, key, text) in records {
            chains.push(map, key, text, campaign);
        }
        chains
    }

    fn push(&mut self, map: &'static str, key: &str, text: &str, campaign: &str) {
        let Some(sealed) = Sealed::read(text) else { return };
        let (Some(device), Some(n), Some(_)) = (sealed.device(), sealed.n(), sealed.sig.as_ref()) else { return };
        let digest = crate::sign::digest(campaign, map, key, &sealed.value);
        let device = device.to_string();
        let at = self.links.len();
        self.by_device.entry(device.clone()).or_default().push(at);
        self.by_digest.insert(digest, at);
        let prev = sealed.prev();
        self.links.push(Link { map, key: key.to_string(), device, n, digest, prev, sealed });
    }

    /// Verifies `device`'s records newest first with its key `public`, each one that verifies
    /// vouching for the records it chains back to.
    pub(crate) fn walk(&mut self, device: &str, public: &[u8], campaign: &str) {
        let mut newest_first = self.by_device.get(device).cloned().unwrap_or_default();
        newest_first.sort_by_key(|&at| std::cmp::Reverse(self.links[at].n));
        for at in newest_first {
            let link = &self.links[at];
            if self.authentic.contains(&link.digest) {
                continue;
            }
            self.verifications += 1;
            if !link.sealed.verifies(public, campaign, link.map, &link.key) {
                continue;
            }
            let mut next = Some(at);
            while let Some(at) = next.filter(|&at| self.authentic.insert(self.links[at].digest)) {
                let prev = self.links[at].prev.and_then(|prev| self.by_digest.get(&prev)).copied();
                next = prev.filter(|&before| self.links[before].device == device);
            }
        }
    }

    /// The records that verified: key and signature.
    pub(crate) fn verified_records(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.links.iter().filter(|link| self.authentic.contains(&link.digest)).filter_map(|link| {
            let sig = link.sealed.sig.as_deref()?;
            Some((link.key.as_str(), sig))
        })
    }

    /// Whether `sealed` at `map[key]` is `device`'s as signed with `public`: the first time a
    /// device is asked, its records here are verified newest first, each one that verifies
    /// vouching for the records it chains back to.
    fn verified(&mut self, sealed: &Sealed, device: &str, public: &[u8], campaign: &str, map: &str, key: &str) -> bool {
        let digest = crate::sign::digest(campaign, map, key, &sealed.value);
        if self.authentic.contains(&digest) {
            return true;
        }
        if self.done.insert(device.to_string()) {
            self.walk(device, public, campaign);
            if self.authentic.contains(&digest) {
                return true;
            }
        }
        // Not read ahead (or verified before under another key): on its own.
        self.verifications += 1;
        let good = sealed.verifies(public, campaign, map, key);
        if good {
            self.authentic.insert(digest);
        }
        good
    }
}

impl Rules<'_> {
    /// Checks every change; the first that breaks a rule refuses them all. Returns the records
    /// whose signature it verified (by key and signature), for the fold not to verify them again.
    pub(crate) fn check(mut self, changes: &[Change]) -> Result<Checked, StoreError> {
        if changes.iter().any(|change| change.deps().is_empty()) && !self.doc.get_heads().is_empty() {
            return Err(StoreError::SyncOfAnotherCampaign);
        }
        let decoded: Vec<ExpandedChange> = changes.iter().map(Change::decode).collect();
        let (facts, ballots) = (self.layout.facts.to_string(), self.layout.ballots.to_string());
        let mut added = Added { chains: Chains::read(&decoded, self.campaign, &facts, &ballots), ..Added::default() };
        for change in &decoded {
            self.check_change(change, &mut added)?;
        }
        Ok(Checked { verified: added.verified, signatures: added.chains.verifications })
    }

    fn check_change(&mut self, change: &ExpandedChange, added: &mut Added) -> Result<(), StoreError> {
        let ids = (self.layout.facts.to_string(), self.layout.ballots.to_string(), self.layout.meeting.to_string());
        let registry_id = self.layout.registry.to_string();
        let mut meeting: HashMap<String, String> = HashMap::new();
        let mut registry: HashMap<String, String> = HashMap::new();
        let mut address = None;
        let mut device = None;
        for op in &change.operations {
            let refuse = |device: Option<String>, reason| StoreError::ChangeRefused { device, reason };
            let recorded =
                matches!(&op.obj, ObjectId::Id(id) if { let id = id.to_string(); id == ids.0 || id == ids.1 });
            if matches!(op.action, OpType::Delete) && recorded {
                // Outside a group a ballot's conflict may be settled by deleting the other values
                // (what automerge writes when the value kept is put again as it is).
                if self.group.is_none() && matches!(&op.obj, ObjectId::Id(id) if id.to_string() == ids.1) {
                    continue;
                }
                return Err(refuse(device.clone(), Breach::Overwrite));
            }
            let (Key::Map(key), OpType::Put(ScalarValue::Str(text)), false) = (&op.key, &op.action, op.insert) else {
                return Err(refuse(device.clone(), Breach::Structure));
            };
            let (key, text) = (key.as_str(), text.as_str());
            let obj = match &op.obj {
                ObjectId::Root => "root".to_string(),
                ObjectId::Id(id) => id.to_string(),
            };
            let fresh = op.pred.is_empty();
            if obj == ids.0 || obj == ids.1 {
                let map = if obj == ids.0 { "facts" } else { "ballots" };
                if map == "facts" && self.group.is_some() && !orderable(key) {
                    return Err(refuse(device.clone(), Breach::Structure));
                }
                let sealed = Sealed::read(text);
                device = sealed.as_ref().and_then(|s| s.device()).map(str::to_string).or(device);
                if too_large(text, sealed.as_ref()) {
                    return Err(refuse(device.clone(), Breach::TooLarge));
                }
                let present = self.present(map, key) || added.keys.contains(&(map.to_string(), key.to_string()));
                // A fact, and a decision under its own id, is never written over nor beside: a
                // second value would hide which record a withdrawal cites. Under an older obhod's
                // owner key, two devices may import different ballots for one owner at once: a
                // second value beside the first (superseding nothing) is a conflict, settled then
                // by the organiser's overwrite.
                let immutable = map == "facts" || ulid::Ulid::from_string(key).is_ok();
                let overwrite = !fresh || (present && immutable);
                if overwrite
                    && (immutable || self.group.is_some())
                    && (immutable || !self.by_organiser(sealed.as_ref(), map, key, text, &mut added.chains))
                {
                    return Err(refuse(device.clone(), Breach::Overwrite));
                }
                self.signed(sealed.as_ref(), map, key, &mut added.chains)
                    .map_err(|reason| refuse(device.clone(), reason))?;
                if let Some(sig) = sealed.and_then(|s| s.sig).filter(|_| self.group.is_some()) {
                    added.verified.push((key.to_string(), sig));
                }
                added.keys.insert((map.to_string(), key.to_string()));
            } else if obj == ids.2 && matches!(key, "text" | "file" | "updated") {
                meeting.insert(key.into(), text.into());
            } else if obj == registry_id && matches!(key, "text" | "file" | "updated") {
                registry.insert(key.into(), text.into());
            } else if obj == "root" && key == "address" {
                address = Some(text.to_string());
            } else if obj == "root" && key == GROUP_KEY {
                self.regroup(text).map_err(|reason| refuse(device.clone(), reason))?;
            } else {
                return Err(refuse(device.clone(), Breach::Structure));
            }
        }
        if (!meeting.is_empty() || address.is_some()) && self.group.is_some() {
            self.meeting_signed(&meeting, address.as_deref())
                .map_err(|reason| StoreError::ChangeRefused { device: device.clone(), reason })?;
        }
        if !registry.is_empty() && self.group.is_some() {
            self.registry_signed(&registry).map_err(|reason| StoreError::ChangeRefused { device, reason })?;
        }
        Ok(())
    }

    fn present(&self, map: &str, key: &str) -> bool {
        let obj = if map == "facts" { &self.layout.facts } else { &self.layout.ballots };
        self.doc.get(obj, key).ok().flatten().is_some()
    }

    /// A record signed by a device of the group in force (revoked or not); anything reads
    /// while no signed group record is in force (a campaign before any group).
    fn signed(&self, sealed: Option<&Sealed>, map: &str, key: &str, chains: &mut Chains) -> Result<(), Breach> {
        let Some(group) = &self.group else { return Ok(()) };
        let sealed = sealed.ok_or(Breach::Unsigned)?;
        let device = sealed.device().ok_or(Breach::Unsigned)?;
        let member = group.members.get(device).ok_or(Breach::UnknownDevice)?;
        sealed.n().ok_or(Breach::Unsigned)?;
        if sealed.sig.is_none() {
            return Err(Breach::Unsigned);
        }
        if !chains.verified(sealed, device, &member.key, self.campaign, map, key) {
            return Err(Breach::BadSignature);
        }
        // A fact past the device's revocation is taken but never counted (the fold leaves it out
        // and reports it): a device that took it before it heard of the revocation has built on
        // it, and refusing it would cut that honest device off from the group for good.
        Ok(())
    }

    /// A ballot put over the values there by the organiser's device: signed by it, and not one
    /// of the values there put again (a member replaying the organiser's record to settle a
    /// conflict its own way).
    fn by_organiser(&self, sealed: Option<&Sealed>, map: &str, key: &str, text: &str, chains: &mut Chains) -> bool {
        let Some(group) = &self.group else { return false };
        let device = sealed.and_then(Sealed::device);
        let values = self.doc.get_all(&self.layout.ballots, key).unwrap_or_default();
        let replayed = values.iter().any(|(value, _)| value.as_str() == Some(text));
        map == "ballots"
            && device.is_some()
            && device == group.organiser()
            && !replayed
            && self.signed(sealed, map, key, chains).is_ok()
    }

    /// A new group record: signed by the group's CA, of a higher version than the one in force.
    /// An unsigned one (an older obhod's) only while none is signed.
    fn regroup(&mut self, text: &str) -> Result<(), Breach> {
        let anchor = self.anchor.map(<[u8]>::to_vec).or_else(|| self.group.as_ref().map(|g| g.ca.clone()));
        match Group::verified(text, anchor.as_deref(), self.campaign) {
            Some(group) if self.group.as_ref().is_none_or(|now| group.version > now.version) => {
                self.group = Some(group);
                Ok(())
            }
            Some(_) => Err(Breach::StaleGroup),
            None if self.group.is_none() && Sealed::read(text).is_some_and(|s| s.sig.is_none()) => Ok(()),
            None => Err(Breach::GroupForged),
        }
    }

    /// A meeting update: its `updated` record signed by the organiser's device over the new text,
    /// file and address.
    fn meeting_signed(&self, meeting: &HashMap<String, String>, address: Option<&str>) -> Result<(), Breach> {
        self.update_signed("meeting", meeting, address).then_some(()).ok_or(Breach::MeetingUnsigned)
    }

    /// A registry update: its `updated` record signed by the organiser's device over the new text
    /// and file.
    fn registry_signed(&self, registry: &HashMap<String, String>) -> Result<(), Breach> {
        self.update_signed("registry", registry, None).then_some(()).ok_or(Breach::RegistryUnsigned)
    }

    /// Whether the values put into `map` (the meeting's or the registry's) come with an `updated`
    /// record the organiser's device signed over them (and over the building's `address`).
    fn update_signed(&self, map: &str, values: &HashMap<String, String>, address: Option<&str>) -> bool {
        let Some(group) = self.group.as_ref() else { return false };
        let Some(sealed) = values.get("updated").and_then(|text| Sealed::read(text)) else { return false };
        let member = sealed.device().and_then(|device| group.members.get(device)).filter(|m| m.organiser);
        if !member.is_some_and(|member| sealed.verifies(&member.key, self.campaign, map, "updated")) {
            return false;
        }
        let field = |name: &str| sealed.value.get(name).and_then(|v| v.as_str()).map(str::to_string);
        let text_hash = values.get("text").map(|text| crate::sign::sha256_hex(text));
        let (file, hash, signed_address) = (field("file"), field("text_sha256"), field("address"));
        values.get("file").is_none_or(|f| Some(f) == file.as_ref())
            && text_hash.is_none_or(|h| Some(h) == hash)
            && address.is_none_or(|a| Some(a) == signed_address.as_deref())
    }
}
