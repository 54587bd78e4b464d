//! This device's copy of the campaign document and its persistence: every change is a row of
//! `change`, written inside the caller's SQLite transaction; from time to time the rows are
//! compacted into one `snapshot`. Other processes writing the same file are caught up with by
//! reading the rows they added.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::sync::{self, SyncDoc};
use automerge::{ActorId, Automerge, ChangeHash, ReadDoc, ScalarValue};
use obhod_core::Fact;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::check::{self, Rules};
use crate::doc::{self, BallotRecord, Layout, Stamp};
use crate::error::StoreError;
use crate::group::Group;
use crate::sign::Sealed;
use crate::sync::Received;

/// Which map of the document an entry goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Map {
    Facts,
    Ballots,
    /// The meeting map: its text, file and the record of the update.
    Meeting,
    /// The registry map: its text, file and the record of the update.
    Registry,
    /// A key of the document's root (the group record, the building's address).
    Root,
}

/// One value to put into the document: `map[key] = text`.
#[derive(Debug, Clone)]
pub struct Entry {
    pub map: Map,
    pub key: String,
    pub text: String,
}

pub struct Replica {
    pub doc: Automerge,
    layout: Layout,
    /// The heads of everything that is in SQLite: the changes after them are this process's own,
    /// not yet written. (`save_incremental` would write the whole history once after a load.)
    persisted: Vec<ChangeHash>,
    /// The highest `change.seq` (or snapshot `upto`) this replica holds.
    seen: i64,
    /// Change rows not yet compacted into the snapshot.
    pub rows: i64,
    /// Decoded facts by id (sorted, so by time).
    pub facts: BTreeMap<String, Fact>,
    /// Decoded ballots by key: every value the key holds, so more than one when devices recorded
    /// different ballots for one owner concurrently (a conflict, shown until resolved).
    pub ballots: BTreeMap<String, Vec<BallotRecord>>,
    /// Facts and ballots this version cannot read (written by a newer obhod): kept in the
    /// document, left out of the fold, counted so that the user is told.
    pub unknown: usize,
    /// The campaign's id (the signatures name it).
    campaign: String,
    /// The CA key of this device's membership: the anchor of the group record.
    anchor: Option<Vec<u8>>,
    /// The group record in force, when a signed one is.
    pub group: Option<Group>,
    /// The fact and ballot keys at the group's base (they count unsigned).
    base: HashSet<String>,
    /// The highest sequence number of each device's records, with the map and key of that record
    /// (the one its next record names as `prev`).
    seqs: HashMap<String, Tail>,
    /// Facts left out: unreadable (`None`) or not counting under the group record (the device).
    skipped: HashMap<String, Option<String>>,
    /// Ballot records left out under the group record, by device.
    skipped_ballots: Vec<String>,
    /// What an earlier run verified (the `verified` row), taken on trust for the keys it covers.
    trusted: Trusted,
    /// Records whose signature this process verified, by key and signature (a ballot is looked at
    /// on every catch-up; a signature copied under another key is not this one).
    verified: HashSet<(String, Vec<u8>)>,
    /// Records whose signature failed: while there are any, no `verified` row is written.
    bad: usize,
    /// Signatures the fold verified itself (neither trusted from the `verified` row nor verified
    /// by the check of what brought them).
    pub folded_verifications: usize,
    /// Signatures the checks of received changes verified.
    pub checked_verifications: usize,
    /// Records the fold under way verified one by one; past [`CHAINS_AFTER`] it verifies the
    /// devices' chains of the whole document at once (`chains_walked`).
    singles: usize,
    chains_walked: bool,
    /// The first fold of a load is under way: every key it reads is one the `verified` row saw
    /// when that row was written at the document's heads.
    loading: bool,
}

/// Records a fold verifies one by one before it verifies the devices' chains at once: a few
/// cost less than reading every record of the document, many far more.
const CHAINS_AFTER: usize = 64;

/// A device's newest record: its sequence number, map and key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tail {
    pub n: u64,
    pub map: &'static str,
    pub key: String,
}

/// The records an earlier run verified: the keys of the facts and ballots at the heads it wrote,
/// with the key each device signed with then.
#[derive(Default)]
struct Trusted {
    /// The heads the row was written at.
    heads: Vec<ChangeHash>,
    /// The keys at those heads; `None` until first needed after a load at those very heads (the
    /// common case: every key of the load is covered, and no walk over 20,000 keys is made).
    keys: Option<HashSet<String>>,
    signers: HashMap<String, Vec<u8>>,
}

impl Replica {
    /// A replica from nothing but a genesis document (before it is first persisted).
    pub fn new(doc: Automerge) -> Result<Replica, StoreError> {
        let layout = Layout::find(&doc)?;
        let campaign = doc::string(&doc, &automerge::ROOT, "campaign")?;
        Ok(Replica {
            campaign,
            anchor: None,
            group: None,
            base: HashSet::new(),
            seqs: HashMap::new(),
            skipped: HashMap::new(),
            skipped_ballots: Vec::new(),
            trusted: Trusted::none(),
            verified: HashSet::new(),
            bad: 0,
            folded_verifications: 0,
            checked_verifications: 0,
            singles: 0,
            chains_walked: false,
            loading: false,
            doc,
            layout,
            persisted: Vec::new(),
            seen: 0,
            rows: 0,
            facts: BTreeMap::new(),
            ballots: BTreeMap::new(),
            unknown: 0,
        })
    }

    /// Loads the campaign from the snapshot and the change rows after it, read in one transaction
    /// so that another process's compaction cannot fall between the two reads.
    pub fn load(conn: &Connection, campaign: &str, anchor: Option<Vec<u8>>) -> Result<Replica, StoreError> {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
        let (mut doc, seen, rows) = read_document(conn, campaign)?;
        tx.commit()?;
        doc.set_actor(ActorId::random());
        let mut replica = Replica::new(doc)?;
        replica.seen = seen;
        replica.rows = rows;
        replica.persisted = replica.doc.get_heads();
        replica.anchor = anchor;
        replica.trusted = trusted(conn, campaign, &replica.doc, &replica.layout)?;
        replica.loading = true;
        replica.reindex();
        replica.loading = false;
        Ok(replica)
    }

    /// Reads what other processes have written since; returns whether anything was new. The caller
    /// holds a transaction, so that the snapshot and the rows are read from one state of the file.
    pub fn catch_up(&mut self, conn: &Connection, campaign: &str) -> Result<bool, StoreError> {
        let snapshot: Option<(i64, Vec<u8>)> = conn
            .query_row(
                "SELECT upto, data FROM snapshot WHERE campaign = ?1 AND upto > ?2",
                params![campaign, self.seen],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let mut changed = false;
        if let Some((upto, data)) = snapshot {
            self.doc.load_incremental(&data)?;
            self.seen = upto;
            self.rows = 0;
            changed = true;
        }
        let (last, rows) = read_rows(conn, campaign, self.seen, &mut self.doc)?;
        if let Some(last) = last {
            self.seen = last;
            self.rows += rows;
            changed = true;
        }
        if changed {
            self.persisted = self.doc.get_heads();
            self.reindex();
        }
        Ok(changed)
    }

    /// Puts the entries into the document as one change and writes it as a row in `tx`. The
    /// caller commits `tx`; if that fails, this replica must be dropped and loaded again.
    pub fn commit(&mut self, conn: &Connection, campaign: &str, entries: &[Entry]) -> Result<(), StoreError> {
        let (facts, ballots, meeting, registry) = (
            self.layout.facts.clone(),
            self.layout.ballots.clone(),
            self.layout.meeting.clone(),
            self.layout.registry.clone(),
        );
        self.doc
            .transact(|tx| {
                use automerge::transaction::Transactable;
                for entry in entries {
                    let map = match entry.map {
                        Map::Facts => &facts,
                        Map::Ballots => &ballots,
                        Map::Meeting => &meeting,
                        Map::Registry => &registry,
                        Map::Root => &automerge::ROOT,
                    };
                    tx.put(map, entry.key.as_str(), ScalarValue::Str(entry.text.as_str().into()))?;
                }
                Ok::<_, automerge::AutomergeError>(())
            })
            .map_err(|failure| StoreError::from(failure.error))?;
        self.persist(conn, campaign)?;
        for entry in entries {
            self.index(entry);
        }
        Ok(())
    }

    /// Applies a peer's sync message and writes the changes it brought as rows in `conn`'s
    /// transaction. Refuses (leaving the document to be reloaded) a message that cannot be
    /// applied or that brings another campaign's document.
    pub fn receive(
        &mut self,
        conn: &Connection,
        campaign: &str,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<Received, StoreError> {
        let (facts, ballots, heads) = (self.facts.len(), self.ballot_records(), self.doc.get_heads());
        self.check(message.changes.iter().map(<[u8]>::to_vec))?;
        self.doc
            .receive_sync_message(state, message)
            .map_err(|error| StoreError::BadSyncMessage { detail: error.to_string() })?;
        if self.doc.get_heads() == heads {
            return Ok(Received::default());
        }
        // The genesis writes the root's keys once: a second value means another campaign's genesis.
        let ids = self.doc.get_all(automerge::ROOT, "campaign")?;
        let ours = ids.len() == 1
            && ids[0].0.as_str() == Some(campaign)
            && Layout::find(&self.doc).is_ok_and(|layout| layout == self.layout);
        if !ours {
            return Err(StoreError::SyncOfAnotherCampaign);
        }
        self.persist(conn, campaign)?;
        self.reindex();
        Ok(Received {
            facts: self.facts.len().saturating_sub(facts),
            ballots: self.ballot_records().saturating_sub(ballots),
        })
    }

    /// Applies changes handed over outside a sync session (the inviter's record of a new member,
    /// at join), checked like a sync message's, and writes them as rows in `conn`'s transaction.
    pub fn receive_changes(&mut self, conn: &Connection, campaign: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.check(std::iter::once(bytes.to_vec()))?;
        self.doc.load_incremental(bytes).map_err(|error| StoreError::BadSyncMessage { detail: error.to_string() })?;
        self.persist(conn, campaign)?;
        self.reindex();
        Ok(())
    }

    /// Checks changes from elsewhere against the append-only rule (`check`), before any is applied.
    pub fn check(&mut self, chunks: impl Iterator<Item = Vec<u8>>) -> Result<(), StoreError> {
        let changes = check::changes(&self.doc, chunks)?;
        if changes.is_empty() {
            return Ok(());
        }
        let rules = Rules {
            doc: &self.doc,
            layout: &self.layout,
            campaign: &self.campaign,
            anchor: self.anchor.as_deref(),
            group: self.group.clone(),
        };
        let checked = rules.check(&changes)?;
        self.verified.extend(checked.verified);
        self.checked_verifications += checked.signatures;
        Ok(())
    }

    /// Checks a whole document received at join: the changes after the base of the group record
    /// in force (verified against `anchor`) keep the append-only rule, as if received one by one.
    /// A document with no signed group record (an older organiser's) is taken as it is.
    /// Returns the records whose signature it verified, for the fold not to verify them again.
    pub fn check_whole(&self, anchor: Option<&[u8]>) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let refuse = || StoreError::ChangeRefused { device: None, reason: crate::error::Breach::GroupForged };
        let Some(group) = Group::in_force(&self.doc, anchor, &self.campaign) else {
            // No record signed by this group's CA: only an older organiser's unsigned one passes.
            let values = self.doc.get_all(automerge::ROOT, crate::group::GROUP_KEY)?;
            let signed = values.iter().filter_map(|(value, _)| value.as_str()).any(|text| text.contains("\"sig\""));
            return if signed { Err(refuse()) } else { Ok(Vec::new()) };
        };
        let base = self.doc.fork_at(&group.base).map_err(|_| refuse())?;
        let layout = Layout::find(&base).map_err(|_| refuse())?;
        if layout != self.layout {
            return Err(refuse());
        }
        let changes = self.doc.get_changes(&group.base);
        let rules = Rules { doc: &base, layout: &layout, campaign: &self.campaign, anchor, group: None };
        Ok(rules.check(&check::ordered(changes))?.verified)
    }

    /// Folds a document received whole under `anchor`, taking the signatures `check_whole`
    /// verified as verified: persisting it then writes the `verified` row, and no open of the
    /// new store verifies them again.
    pub fn fold_checked(&mut self, anchor: Option<&[u8]>, verified: Vec<(String, Vec<u8>)>) {
        self.verified.extend(verified);
        self.anchor = anchor.map(<[u8]>::to_vec);
        self.reindex();
    }

    /// Takes the facts and ballots among `entries` that this device signed with its member key
    /// `public` as verified, when the group record in force names that key for `device`: a
    /// signature made here by that very key needs no check.
    pub fn signed_here(&mut self, entries: &[Entry], device: &str, public: Option<&[u8]>) {
        let member = self.group.as_ref().and_then(|group| group.members.get(device));
        if public.is_none() || member.is_none_or(|member| Some(member.key.as_slice()) != public) {
            return;
        }
        for entry in entries.iter().filter(|entry| matches!(entry.map, Map::Facts | Map::Ballots)) {
            if let Some(sig) = Sealed::read(&entry.text).and_then(|sealed| sealed.sig) {
                self.verified.insert((entry.key.clone(), sig));
            }
        }
    }

    /// Sets the CA key records are verified against (a membership was made) and folds again.
    pub fn set_anchor(&mut self, anchor: Option<Vec<u8>>) {
        if self.anchor != anchor {
            self.anchor = anchor;
            self.reindex();
        }
    }

    /// The highest sequence number of `device`'s records in the document (0 when none).
    pub fn last_n(&self, device: &str) -> u64 {
        self.seqs.get(device).map_or(0, |tail| tail.n)
    }

    /// The digest of `device`'s newest record, which its next record names as `prev`; `None`
    /// when it has none or that record does not read.
    pub(crate) fn tail_digest(&self, device: &str) -> Option<[u8; 32]> {
        let tail = self.seqs.get(device)?;
        let obj = if tail.map == "facts" { &self.layout.facts } else { &self.layout.ballots };
        let texts = self.doc.get_all(obj, tail.key.as_str()).ok()?;
        let sealed = texts
            .iter()
            .filter_map(|(value, _)| value.as_str().and_then(Sealed::read))
            .find(|sealed| sealed.device() == Some(device) && sealed.n() == Some(tail.n))?;
        Some(crate::sign::digest(&self.campaign, tail.map, &tail.key, &sealed.value))
    }

    /// Facts and ballots left out because they do not count under the group record in force
    /// (unknown device, past its revocation, unsigned), by device.
    pub fn refused(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        let facts = self.skipped.values().flatten();
        for device in facts.chain(&self.skipped_ballots) {
            *counts.entry(device.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// The document's map of facts.
    pub fn facts_map(&self) -> &automerge::ObjId {
        &self.layout.facts
    }

    /// Writes every change after the persisted heads as a row of `change`.
    pub fn persist(&mut self, conn: &Connection, campaign: &str) -> Result<(), StoreError> {
        let mut insert =
            conn.prepare_cached("INSERT OR IGNORE INTO change (campaign, hash, data) VALUES (?1, ?2, ?3)")?;
        for change in self.doc.get_changes(&self.persisted) {
            if insert.execute(params![campaign, change.hash().0.as_slice(), change.raw_bytes()])? == 1 {
                self.seen = conn.last_insert_rowid().max(self.seen);
                self.rows += 1;
            }
        }
        self.persisted = self.doc.get_heads();
        if let Some(group) = self.group.as_ref().filter(|_| self.bad == 0) {
            let heads: Vec<u8> = self.persisted.iter().flat_map(|h| h.0).collect();
            let keys: BTreeMap<&String, String> =
                group.members.iter().map(|(device, member)| (device, hex::encode(&member.key))).collect();
            let keys = serde_json::to_string(&keys).expect("strings always serialise");
            conn.prepare_cached(
                "INSERT INTO verified (campaign, heads, keys) VALUES (?1, ?2, ?3)
                 ON CONFLICT (campaign) DO UPDATE SET heads = excluded.heads, keys = excluded.keys",
            )?
            .execute(params![campaign, heads, keys])?;
        }
        Ok(())
    }

    /// Folds every change row into one snapshot, in `tx` (which must hold the write lock and have
    /// caught up, so that no row is deleted that the snapshot lacks).
    pub fn compact(&mut self, conn: &Connection, campaign: &str) -> Result<(), StoreError> {
        if !self.doc.get_missing_deps(&[]).is_empty() {
            // Some change waits for one this replica never saw: a snapshot of it would lose both.
            tracing::warn!("compaction skipped: the document is missing changes");
            return Ok(());
        }
        let data = self.doc.save();
        let now = chrono::Local::now().to_rfc3339();
        conn.execute(
            "INSERT INTO snapshot (campaign, data, upto, saved_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (campaign) DO UPDATE SET data = excluded.data, upto = excluded.upto, saved_at = excluded.saved_at",
            params![campaign, data, self.seen, now],
        )?;
        conn.execute("DELETE FROM change WHERE campaign = ?1 AND seq <= ?2", params![campaign, self.seen])?;
        tracing::info!(rows = self.rows, bytes = data.len(), "store compacted");
        self.rows = 0;
        Ok(())
    }

    /// Rebuilds the decoded facts and ballots from the document.
    /// A fact is immutable under its id and never leaves the document, so only ids not decoded yet
    /// are read: catching up with a few new changes costs a walk over the keys, not a decoding of
    /// every fact (the daemon catches up on every other device's write). A new group record in
    /// force folds everything again (a revocation may leave facts out).
    fn reindex(&mut self) {
        let group = Group::in_force(&self.doc, self.anchor.as_deref(), &self.campaign);
        if group != self.group {
            let admits_only = self.group.as_ref().zip(group.as_ref()).is_some_and(|(old, new)| new.admits_only(old));
            let old = std::mem::replace(&mut self.group, group);
            if admits_only {
                // Every fact counted stays counted: only those of a device left out before are
                // looked at again.
                self.take_again();
            } else {
                self.base = match &self.group {
                    Some(group) if old.is_some_and(|old| old.base == group.base) => std::mem::take(&mut self.base),
                    Some(group) if !group.base.is_empty() => {
                        let facts = self.doc.keys_at(&self.layout.facts, &group.base);
                        facts.chain(self.doc.keys_at(&self.layout.ballots, &group.base)).collect()
                    }
                    _ => HashSet::new(),
                };
                self.facts.clear();
                self.skipped.clear();
                self.seqs.clear();
            }
        }
        if self.doc.length(&self.layout.facts) < self.facts.len() + self.skipped.len() {
            // A fact left the document (only an older obhod took such a change): fold again.
            self.facts.clear();
            self.skipped.clear();
        }
        if self.facts.is_empty() && self.skipped.is_empty() {
            // A load: one pass over keys and values (and, if it has many to verify, one walk
            // over the devices' chains).
            (self.singles, self.chains_walked) = (0, false);
            let all: Vec<(String, String)> = doc::strings(&self.doc, &self.layout.facts).collect();
            for (id, text) in all {
                self.take_fact(id, &text);
            }
        } else {
            // Catching up: the keys alone (no value is read for a fact already decoded).
            let new: Vec<String> = self
                .doc
                .keys(&self.layout.facts)
                .filter(|id| !self.facts.contains_key(id) && !self.skipped.contains_key(id))
                .collect();
            for id in new {
                let Ok(Some((value, _))) = self.doc.get(&self.layout.facts, id.as_str()) else { continue };
                match value.as_str().map(str::to_string) {
                    Some(text) => self.take_fact(id, &text),
                    None => {
                        self.skipped.insert(id, None);
                    }
                }
            }
        }
        self.ballots.clear();
        self.skipped_ballots.clear();
        let mut unreadable_ballots = 0;
        let all: Vec<(String, Vec<String>)> = doc::all_strings(&self.doc, &self.layout.ballots).collect();
        for (key, texts) in all {
            let mut records = Vec::new();
            let decoded: Vec<BallotRecord> = texts.iter().filter_map(|text| BallotRecord::decode(text)).collect();
            if decoded.is_empty() {
                unreadable_ballots += 1;
            }
            for record in decoded {
                note_seq(&mut self.seqs, &record.device, record.n, "ballots", &key);
                if self.counts("ballots", &key, &record.device, record.stamp()) {
                    records.push(record);
                } else {
                    self.skipped_ballots.push(record.device);
                }
            }
            if !records.is_empty() {
                self.ballots.insert(key, records);
            }
        }
        // Every entry of the two maps that did not decode, strings and other values alike.
        self.unknown = self.skipped.values().filter(|device| device.is_none()).count() + unreadable_ballots;
        if self.unknown > 0 {
            tracing::warn!(count = self.unknown, "facts not understood by this version; left out");
        }
        let refused = self.skipped.len() - self.skipped.values().filter(|d| d.is_none()).count();
        if refused + self.skipped_ballots.len() > 0 {
            tracing::warn!(
                count = refused + self.skipped_ballots.len(),
                "facts that do not count under the group record; left out"
            );
        }
    }

    /// Takes into the fold again the facts left out under the group record before (not the
    /// unreadable ones): the record in force now admits more devices and changes nothing else.
    fn take_again(&mut self) {
        let again: Vec<String> =
            self.skipped.iter().filter(|(_, device)| device.is_some()).map(|(id, _)| id.clone()).collect();
        for id in again {
            self.skipped.remove(&id);
            let text = self.doc.get(&self.layout.facts, id.as_str()).ok().flatten();
            match text.and_then(|(value, _)| value.as_str().map(str::to_string)) {
                Some(text) => self.take_fact(id, &text),
                None => {
                    self.skipped.insert(id, None);
                }
            }
        }
    }

    /// Decodes one fact and takes it into the fold, or counts it out.
    fn take_fact(&mut self, id: String, text: &str) {
        match doc::read_fact(&id, text) {
            Some((fact, stamp)) => {
                note_seq(&mut self.seqs, &fact.device, stamp.n, "facts", &id);
                if self.counts("facts", &id, &fact.device, stamp) {
                    self.facts.insert(id, fact);
                } else {
                    self.skipped.insert(id, Some(fact.device));
                }
            }
            None => {
                self.skipped.insert(id, None);
            }
        }
    }

    /// Whether a record counts under the group record in force: any record while none is signed;
    /// then one at the group's base, or signed by a device of the group within its revocation,
    /// its signature verified (once: what an earlier run verified under the same key is trusted).
    fn counts(&mut self, map: &str, key: &str, device: &str, stamp: Stamp) -> bool {
        let Some(group) = &self.group else { return true };
        if self.base.contains(key) {
            return true;
        }
        let Some(member) = group.members.get(device) else { return false };
        let within = stamp.n.is_some_and(|n| member.last.is_none_or(|last| n <= last));
        if !within || stamp.sig.is_none() {
            return false;
        }
        let signer_trusted = self.trusted.signers.get(device) == Some(&member.key);
        if signer_trusted && self.loading && self.trusted.keys.is_none() {
            // The load at the row's heads: every key is covered, no signature is even decoded.
            return true;
        }
        let Some(sig) = stamp.sig.and_then(|sig| hex::decode(sig).ok()) else { return false };
        let seen = (key.to_string(), sig);
        // Before the row: a record just received or written here is in no `verified` row, and
        // asking the row about a key after the load walks every key at the row's heads.
        if self.verified.contains(&seen) {
            return true;
        }
        if signer_trusted && covers(&mut self.trusted, self.loading, &self.doc, &self.layout, key) {
            return true;
        }
        if self.singles >= CHAINS_AFTER && !self.chains_walked {
            self.walk_chains();
            if self.verified.contains(&seen) {
                return true;
            }
        }
        self.singles += 1;
        let Some(member) = self.group.as_ref().and_then(|group| group.members.get(device)) else { return false };
        let obj = if map == "facts" { &self.layout.facts } else { &self.layout.ballots };
        let texts = self.doc.get_all(obj, key).unwrap_or_default();
        let good = texts.iter().filter_map(|(value, _)| value.as_str()).filter_map(Sealed::read).any(|sealed| {
            sealed.sig.as_deref() == Some(seen.1.as_slice()) && sealed.verifies(&member.key, &self.campaign, map, key)
        });
        self.folded_verifications += 1;
        if good {
            self.verified.insert(seen);
        } else {
            self.bad += 1;
            tracing::warn!(device, "a record whose signature does not verify; left out");
        }
        good
    }

    /// Verifies the chains of every device of the group record in force over the whole
    /// document (each record names the digest of its device's record before it, see
    /// `check::Chains`): one signature for a device's newest record instead of one per record,
    /// for a fold that meets many records no earlier run verified (a store first opened by this
    /// version, or one that holds a record whose signature failed and so keeps no `verified` row).
    fn walk_chains(&mut self) {
        self.chains_walked = true;
        let Some(group) = &self.group else { return };
        let facts: Vec<(String, String)> = doc::strings(&self.doc, &self.layout.facts).collect();
        let ballots: Vec<(String, Vec<String>)> = doc::all_strings(&self.doc, &self.layout.ballots).collect();
        let records = facts.iter().map(|(key, text)| ("facts", key.as_str(), text.as_str())).chain(
            ballots
                .iter()
                .flat_map(|(key, texts)| texts.iter().map(move |text| ("ballots", key.as_str(), text.as_str()))),
        );
        let mut chains = crate::check::Chains::of_records(records, &self.campaign);
        for (device, member) in &group.members {
            chains.walk(device, &member.key, &self.campaign);
        }
        self.folded_verifications += chains.verifications;
        let verified: Vec<(String, Vec<u8>)> =
            chains.verified_records().map(|(key, sig)| (key.to_string(), sig.to_vec())).collect();
        self.verified.extend(verified);
    }

    /// Whether a fact or ballot key was in the document before the group was formed (it counts
    /// unsigned, and a withdrawal there is judged as outside a group).
    pub(crate) fn at_base(&self, key: &str) -> bool {
        self.group.is_some() && self.base.contains(key)
    }

    /// Every ballot value held, conflicting ones included.
    fn ballot_records(&self) -> usize {
        self.ballots.values().map(Vec::len).sum()
    }

    fn index(&mut self, entry: &Entry) {
        match entry.map {
            Map::Facts => {
                self.take_fact(entry.key.clone(), &entry.text);
                if matches!(self.skipped.get(&entry.key), Some(None)) {
                    self.unknown += 1;
                }
            }
            // A put replaces every value the key held: a conflict it resolves is gone.
            Map::Ballots => match BallotRecord::decode(&entry.text) {
                Some(record) => {
                    note_seq(&mut self.seqs, &record.device, record.n, "ballots", &entry.key);
                    self.ballots.insert(entry.key.clone(), vec![record]);
                }
                None => self.unknown += 1,
            },
            Map::Meeting | Map::Registry => {}
            // A group record written here: fold again under it.
            Map::Root => self.reindex(),
        }
    }
}

impl Trusted {
    /// Nothing trusted: no row, or one this document does not reach.
    fn none() -> Trusted {
        Trusted { keys: Some(HashSet::new()), ..Trusted::default() }
    }
}

/// Whether the `verified` row covers `key`. While the document is loaded at the row's heads
/// (`loading`) every key is; after that, the keys at those heads are read once.
fn covers(trusted: &mut Trusted, loading: bool, doc: &Automerge, layout: &Layout, key: &str) -> bool {
    if trusted.keys.is_none() && loading {
        return true;
    }
    let heads = &trusted.heads;
    let keys = trusted.keys.get_or_insert_with(|| match heads.is_empty() {
        true => HashSet::new(),
        false => doc.keys_at(&layout.facts, heads).chain(doc.keys_at(&layout.ballots, heads)).collect(),
    });
    keys.contains(key)
}

/// What the `verified` row of an earlier run covers of `doc` (nothing when its heads are not all
/// in the document).
fn trusted(conn: &Connection, campaign: &str, doc: &Automerge, layout: &Layout) -> Result<Trusted, StoreError> {
    let row: Option<(Vec<u8>, String)> = conn
        .query_row("SELECT heads, keys FROM verified WHERE campaign = ?1", [campaign], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((heads, signers)) = row else { return Ok(Trusted::none()) };
    let heads: Vec<ChangeHash> = heads.chunks_exact(32).filter_map(|chunk| ChangeHash::try_from(chunk).ok()).collect();
    if heads.iter().any(|head| doc.get_change_by_hash(head).is_none()) {
        return Ok(Trusted::none());
    }
    let Ok(signers) = serde_json::from_str::<HashMap<String, String>>(&signers) else { return Ok(Trusted::none()) };
    let signers = signers.into_iter().filter_map(|(device, key)| Some((device, hex::decode(key).ok()?))).collect();
    // At the document's own heads every key is covered, and `reindex` is told so by `loading`.
    let keys = (heads != doc.get_heads())
        .then(|| doc.keys_at(&layout.facts, &heads).chain(doc.keys_at(&layout.ballots, &heads)).collect());
    Ok(Trusted { heads, keys, signers })
}

/// The document as stored: the snapshot and the change rows after it; with the last seq (or
/// snapshot `upto`) read and the number of rows. The caller holds a transaction.
pub fn read_document(conn: &Connection, campaign: &str) -> Result<(Automerge, i64, i64), StoreError> {
    let snapshot: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT upto, data FROM snapshot WHERE campaign = ?1", [campaign], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seen, mut doc) = match snapshot {
        Some((upto, data)) => (upto, Automerge::load(&data)?),
        None => (0, Automerge::new()),
    };
    let (last, rows) = read_rows(conn, campaign, seen, &mut doc)?;
    Ok((doc, last.unwrap_or(seen), rows))
}

/// Loads the change rows after `seen` into `doc` in one go (one `load_incremental` per row
/// would redo the document's indexes each time); returns the last seq and the number of rows.
fn read_rows(
    conn: &Connection,
    campaign: &str,
    seen: i64,
    doc: &mut Automerge,
) -> Result<(Option<i64>, i64), StoreError> {
    let mut select =
        conn.prepare_cached("SELECT seq, data FROM change WHERE campaign = ?1 AND seq > ?2 ORDER BY seq")?;
    let mut rows = select.query(params![campaign, seen])?;
    let mut bytes = Vec::new();
    let (mut last, mut count) = (None, 0);
    while let Some(row) = rows.next()? {
        last = Some(row.get::<_, i64>(0)?);
        bytes.extend_from_slice(&row.get::<_, Vec<u8>>(1)?);
        count += 1;
    }
    if !bytes.is_empty() {
        doc.load_incremental(&bytes)?;
    }
    Ok((last, count))
}

/// Notes a record of `device` numbered `n` at `map[key]`: its tail when it is the newest.
fn note_seq(seqs: &mut HashMap<String, Tail>, device: &str, n: Option<u64>, map: &'static str, key: &str) {
    let n = n.unwrap_or(0);
    match seqs.get_mut(device) {
        Some(tail) if tail.n >= n => {}
        Some(tail) => *tail = Tail { n, map, key: key.to_string() },
        None => {
            seqs.insert(device.to_string(), Tail { n, map, key: key.to_string() });
        }
    }
}
