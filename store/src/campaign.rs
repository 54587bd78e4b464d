//! A campaign in a store: the one path every user action takes (CLI command, TUI key, sync import).
//! Each action is checked against the registry and the facts so far, written as one automerge
//! change and one SQLite transaction, and only then reported done. In that transaction a contact's
//! values go to their own table, and every contact that no longer stands is erased.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ChangeHash};
use chrono::{DateTime, FixedOffset};
use obhod_core::act;
use obhod_core::meeting::update::{self, Change};
use obhod_core::registry::diff::Difference;
use obhod_core::registry::update::{self as registry_update, Orphan, Unreached};
use obhod_core::{Act, Ballot, Canvass, Contact, Fact, Letter, Meeting, Outcome, Registry, Tally, Tracking, Weights};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use rustc_hash::FxHashMap;

use crate::clock::{Clock, Ids, SystemClock};
use crate::contacts::{self, Applied, ContactRow, ContactsMessage};
use crate::db;
use crate::doc::{self, BallotRecord, MeetingRecord, RegistryRecord, Sources};
use crate::error::StoreError;
use crate::fault::FileFault;
use crate::replica::{Entry, Map, Replica};
use crate::sign::Keys;
use crate::sync::Received;

mod conflicts;
mod decisions;
mod seal;

pub use conflicts::{Conflict, Variant};
pub use decisions::{Decision, Recorded};

pub use obhod_core::act::NOTE_LIMIT;

/// Change rows kept before they are folded into the snapshot on open.
const COMPACT_ON_OPEN: i64 = 512;
/// Change rows that trigger a compaction during a long session (the TUI, the daemon).
const COMPACT_WHILE_OPEN: i64 = 4096;

/// One canvass outcome to record (`obhod mark`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub premise: String,
    pub outcome: Outcome,
    /// One owner; `None` for every owner of the premise.
    pub owner: Option<String>,
    pub note: Option<String>,
    /// Phone or e-mail, for the `contact` outcome only: kept in the store's `contact` table, never
    /// in the document; the fact carries only its id.
    pub contact: Option<Contact>,
    /// The owner signs the personal-data consent now: record it together with the contact.
    pub consent: bool,
    /// The letter of the `sent` outcome (its sending date and tracking number), and only of it.
    pub sent: Option<Letter>,
    /// The day the owner signed the delivery register (the `delivered` outcome typed in from
    /// paper later), and only of it; without it, today.
    pub signed: Option<chrono::NaiveDate>,
}

impl Mark {
    pub fn new(premise: &str, outcome: Outcome) -> Mark {
        Mark {
            premise: premise.into(),
            outcome,
            owner: None,
            note: None,
            contact: None,
            consent: false,
            sent: None,
            signed: None,
        }
    }

    /// Whether `date` may be the day an owner signed a delivery typed in on `today`, for a meeting
    /// on `meeting`: today or earlier, and not more than a year before the meeting (a mistyped
    /// year). The same check `mark` makes; a screen asks it as the date is typed.
    pub fn check_signed(
        date: chrono::NaiveDate,
        today: chrono::NaiveDate,
        meeting: chrono::NaiveDate,
    ) -> Result<(), StoreError> {
        Ok(act::check_signed(date, today, meeting)?)
    }

    /// The core's rule: a letter or a signing more than a year before the meeting is refused.
    fn sent_in_time(&self, meeting: chrono::NaiveDate) -> Result<(), StoreError> {
        Ok(act::sent_in_time(self.sent.as_ref(), self.signed, meeting)?)
    }

    /// A registered letter sent to one owner of a premise (every owner with `owner: None`).
    pub fn sent(premise: &str, owner: Option<&str>, letter: Letter) -> Mark {
        Mark { owner: owner.map(Into::into), sent: Some(letter), ..Mark::new(premise, Outcome::Sent) }
    }
}

/// What `update_meeting` found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeetingUpdate {
    /// Every key whose value changes, in the file's order.
    pub changes: Vec<Change>,
    /// Whether the new meeting was recorded (not when nothing changes).
    pub recorded: bool,
    /// Owners whose notice was in time for the old date and is late for the new one.
    pub owners_made_late: usize,
    /// Decisions received in time for the old end of voting and after the new one.
    pub ballots_made_late: usize,
}

/// What `update_registry` found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryUpdate {
    /// The differences from the campaign's registry, with the votes each moves.
    pub differences: Vec<Difference>,
    /// The standing facts and decisions the new registry leaves without their premise or owner:
    /// kept, listed, never counted for anyone else.
    pub orphans: Vec<Orphan>,
    /// The standing facts about every owner of a premise recorded before the owners the new
    /// registry adds to it: they do not reach those owners.
    pub unreached: Vec<Unreached>,
}

/// What `import_ballots` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub added: usize,
    /// Ballots already in the campaign with the same decision.
    pub present: usize,
}

pub struct Campaign {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    /// The file opened: a write is done only if the path still leads to it after the commit.
    file: FileId,
    pub(crate) id: String,
    device: String,
    pub(crate) replica: Replica,
    sources: Sources,
    registry: Registry,
    meeting: Meeting,
    weights: Weights,
    pub(crate) clock: Arc<dyn Clock>,
    ids: Ids,
    /// Another process's changes that a write here caught up with, not yet reported by `refresh`:
    /// a reader that only folds in its own new facts would otherwise never see them.
    unseen: bool,
    /// SQLite's `data_version` as of the last `refresh`: it moves when another connection commits.
    version: i64,
    /// What this device signs with, from its membership (nothing before it joins a group).
    pub(crate) keys: Keys,
}

impl Campaign {
    /// Creates the campaign (`obhod init`): the genesis document with the building, the registry
    /// and the meeting. Refuses a store that already holds a campaign.
    pub fn init(path: &Path, sources: Sources) -> Result<Campaign, StoreError> {
        Campaign::create(path, sources).map_err(|error| error.at(path))
    }

    fn create(path: &Path, sources: Sources) -> Result<Campaign, StoreError> {
        let meeting = Meeting::parse(&sources.meeting_file, &sources.meeting_text)?;
        Registry::parse(&sources.registry_file, sources.registry_text.as_bytes())?;
        let id = ulid::Ulid::generate().to_string();
        let mut genesis = Automerge::new();
        genesis.transact(|tx| doc::genesis(tx, &id, &meeting.address, &sources)).map_err(|failure| failure.error)?;
        let now = chrono::Local::now().to_rfc3339();
        let campaign = Campaign::found(path, &id, &now, Replica::new(genesis)?)?;
        tracing::info!(campaign = %id, "campaign created");
        Ok(campaign)
    }

    /// Writes a new store at `path` holding `replica`'s document as campaign `id`, with its own
    /// new device id. Refuses a store that already holds a campaign.
    fn found(path: &Path, id: &str, created_at: &str, mut replica: Replica) -> Result<Campaign, StoreError> {
        let conn = db::open(path, true)?;
        {
            let tx = Transaction::new_unchecked(&conn, TransactionBehavior::Immediate)?;
            if existing(&tx)?.is_some() {
                return Err(StoreError::CampaignExists { path: path.into() });
            }
            tx.execute("INSERT INTO campaign (id, created_at) VALUES (?1, ?2)", [id, created_at])?;
            replica.persist(&tx, id)?;
            tx.commit()?;
        }
        Campaign::from_connection(conn, path)
    }

    /// Writes a new store at `path` holding this campaign's document, with its own new device id:
    /// a second device's replica (a copied file would share this device's id, and its facts would
    /// pass for this device's). Contact values are not copied: they follow by the contacts
    /// exchange. Refuses a store that already holds a campaign.
    pub fn replica_to(&self, path: &Path) -> Result<Campaign, StoreError> {
        self.fork(path).map_err(|error| error.at(path))
    }

    fn fork(&self, path: &Path) -> Result<Campaign, StoreError> {
        let created: String =
            self.conn.query_row("SELECT created_at FROM campaign WHERE id = ?1", [&self.id], |r| r.get(0))?;
        let replica = Replica::new(Automerge::load(&self.replica.doc.save())?)?;
        let campaign = Campaign::found(path, &self.id, &created, replica)?;
        tracing::info!(campaign = %self.id, "replica written");
        Ok(campaign)
    }

    /// A new store at `path` from a whole campaign document received from a peer (joining a
    /// group), with its own new device id. The document is checked as a campaign (its layout, its
    /// meeting and registry) before anything is written.
    pub(crate) fn adopt(path: &Path, bytes: &[u8], anchor: Option<&[u8]>) -> Result<Campaign, StoreError> {
        let received = || StoreError::BadSyncMessage { detail: "not a campaign document".into() };
        let doc = Automerge::load(bytes).map_err(|_| received())?;
        let mut replica = Replica::new(doc).map_err(|_| received())?;
        let verified = replica.check_whole(anchor)?;
        replica.fold_checked(anchor, verified);
        let id = doc::string(&replica.doc, &automerge::ROOT, "campaign").map_err(|_| received())?;
        let sources = doc::sources(&replica.doc).map_err(|_| received())?;
        Meeting::parse(&sources.meeting_file, &sources.meeting_text).map_err(StoreError::StoredFilesRefused)?;
        Registry::parse(&sources.registry_file, sources.registry_text.as_bytes())
            .map_err(StoreError::StoredFilesRefused)?;
        let now = chrono::Local::now().to_rfc3339();
        let folded = replica.folded_verifications;
        let mut campaign = Campaign::found(path, &id, &now, replica)?;
        campaign.replica.folded_verifications += folded;
        tracing::info!(campaign = %id, "campaign received");
        Ok(campaign)
    }

    /// Opens the campaign of the store at `path`.
    pub fn open(path: &Path) -> Result<Campaign, StoreError> {
        let opened = db::open(path, false).and_then(|conn| Campaign::from_connection(conn, path));
        let mut campaign = opened.map_err(|error| error.at(path))?;
        if campaign.replica.rows > COMPACT_ON_OPEN {
            campaign.compact()?;
        }
        campaign.erase_fallen();
        Ok(campaign)
    }

    fn from_connection(conn: Connection, path: &Path) -> Result<Campaign, StoreError> {
        let file =
            FileId::of(path).map_err(|error| StoreError::File { path: path.into(), fault: FileFault::of(&error) })?;
        let id = existing(&conn)?.ok_or_else(|| StoreError::NoCampaign { path: path.into() })?;
        let device = db::device(&conn)?;
        let keys = crate::group::keys(&conn, &id)?;
        let replica = Replica::load(&conn, &id, keys.anchor.clone())?;
        let sources = doc::sources(&replica.doc)?;
        let damaged = StoreError::StoredFilesRefused;
        let meeting = Meeting::parse(&sources.meeting_file, &sources.meeting_text).map_err(damaged)?;
        let mut registry =
            Registry::parse(&sources.registry_file, sources.registry_text.as_bytes()).map_err(damaged)?;
        registry.since = RegistryRecord::read(&replica.doc).map(|record| record.since()).unwrap_or_default();
        let weights = Weights::compute(&registry);
        let version = data_version(&conn)?;
        Ok(Campaign {
            conn,
            path: path.into(),
            file,
            id,
            device,
            replica,
            sources,
            registry,
            meeting,
            weights,
            clock: Arc::new(SystemClock),
            ids: Ids::random(),
            unseen: false,
            version,
            keys,
        })
    }

    /// Ends a short-lived process's use of the store (one command, then exit): the connection is
    /// closed as a drop closes it, and the decoded campaign is left for the process's exit to
    /// reclaim (freeing 20,000 decoded facts and the document one allocation at a time took
    /// 7–10 ms of a 110 ms `obhod mark`).
    pub fn close(self) {
        let Campaign { conn, replica, sources, registry, meeting, weights, .. } = self;
        drop(conn);
        std::mem::forget((replica, sources, registry, meeting, weights));
    }

    /// Reads the time of what is recorded from `clock` from now on (the system clock by default).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// Makes the ids of what is recorded from now on with `ids` (random ULIDs by default).
    pub fn set_ids(&mut self, ids: Ids) {
        self.ids = ids;
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This device's id, carried by every fact recorded here.
    pub fn device(&self) -> &str {
        &self.device
    }

    pub fn sources(&self) -> &Sources {
        &self.sources
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn meeting(&self) -> &Meeting {
        &self.meeting
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Every fact, oldest first.
    pub fn facts(&self) -> impl Iterator<Item = &Fact> {
        self.replica.facts.values()
    }

    /// One fact by its id.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.replica.facts.get(id)
    }

    /// Facts (and ballots) written by a newer obhod that this version cannot read: they stay in
    /// the store, but the statuses and the count leave them out until obhod is updated.
    pub fn unknown_facts(&self) -> usize {
        self.replica.unknown
    }

    /// Facts and ballots the fold leaves out because they do not count under the group record in
    /// force (a device outside the group, one past its revocation, an unsigned record after the
    /// group was made), by the device they name.
    pub fn refused_facts(&self) -> std::collections::BTreeMap<String, usize> {
        self.replica.refused()
    }

    /// Signatures this process's fold verified itself since the store was opened: what an earlier
    /// run (the `verified` row) or the check of the message that brought a record verified is not
    /// verified again.
    pub fn signatures_verified(&self) -> usize {
        self.replica.folded_verifications
    }

    /// Signatures this process verified checking changes received from other devices (a
    /// device's records chained by their `prev` digests cost one).
    pub fn signatures_checked(&self) -> usize {
        self.replica.checked_verifications
    }

    /// The statuses folded from every fact this version understands.
    pub fn canvass(&self) -> Canvass {
        Canvass::fold(&self.registry, self.replica.facts.values().cloned().collect())
    }

    /// The ballots in the registry's order of premises, each file's lines in order. Where devices
    /// recorded different decisions for one owner (a conflict), each of them: the tally counts
    /// the holding once and voids the questions they answer differently. A decision that answers
    /// another number of questions than the agenda has is left out (see `off_agenda`).
    pub fn ballots(&self) -> Vec<Ballot> {
        let questions = self.meeting.questions.len();
        let mut ballots: Vec<Ballot> = self.decisions().filter(|b| b.answers.len() == questions).collect();
        // In the registry's order: each label looked up once in a map rather than searched for
        // through every premise per ballot (a record names its premise as the registry does).
        let premises = &self.registry.premises;
        let order: FxHashMap<&str, usize> =
            premises.iter().enumerate().rev().map(|(i, p)| (p.label.as_str(), i)).collect();
        let at = |premise: &str| order.get(premise.trim()).copied().or_else(|| self.registry.find(premise));
        ballots.sort_by_cached_key(|b| (at(&b.premise), b.line));
        ballots
    }

    fn decisions(&self) -> impl Iterator<Item = Ballot> + '_ {
        let standing = standing_by_owner(&self.replica).into_values();
        standing.flat_map(|records| conflicts::decisions(&records)).filter_map(|(_, record)| record.ballot())
    }

    /// Decisions recorded against another agenda: a device changed the agenda while another
    /// imported decisions, before they synced (each refuses it alone). They stay in the store and
    /// out of the count.
    pub fn off_agenda(&self) -> usize {
        let questions = self.meeting.questions.len();
        self.decisions().filter(|b| b.answers.len() != questions).count()
    }

    /// How many versions of the meeting stand side by side: 1, or more where two devices updated
    /// it at once (every device reads the same one of them; `meeting update` again settles it).
    pub fn meeting_versions(&self) -> usize {
        doc::meeting_versions(&self.replica.doc)
    }

    /// Who last updated the meeting, when and which keys; `None` while it is the meeting of `init`.
    pub fn meeting_record(&self) -> Option<MeetingRecord> {
        MeetingRecord::read(&self.replica.doc)
    }

    /// Reads the meeting and the registry again where the document's differ from the ones read
    /// (another process or a peer updated them).
    fn follow_sources(&mut self) {
        follow_sources(&self.replica.doc, &mut self.sources, &mut self.meeting, &mut self.registry, &mut self.weights);
    }

    /// Quorum and decisions from the campaign's ballots.
    pub fn tally(&self) -> Tally {
        Tally::count(&self.registry, &self.weights, &self.meeting, &self.ballots())
    }

    /// The heads of the document: they move with every change, made here or read from elsewhere
    /// (a write catches up too, so `refresh` alone may not tell that something arrived).
    pub fn heads(&self) -> Vec<automerge::ChangeHash> {
        self.replica.doc.get_heads()
    }

    /// Reads what another process (the TUI, the sync daemon) has written; true when anything was new
    /// since the last refresh, including what a write here caught up with on the way.
    /// Fails when the store file was deleted or replaced since it was opened.
    pub fn refresh(&mut self) -> Result<bool, StoreError> {
        self.still_there()?;
        // Read before catching up: a commit landing in between is news for the next look.
        self.version = data_version(&self.conn).map_err(|error| error.at(&self.path))?;
        let caught_up = (|| {
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
            let changed = self.replica.catch_up(&tx, &self.id)?;
            tx.commit()?;
            Ok(changed)
        })();
        let changed = caught_up.map_err(|error: StoreError| error.at(&self.path))? | std::mem::take(&mut self.unseen);
        if changed {
            self.follow_sources();
            self.erase_fallen();
        }
        Ok(changed)
    }

    /// Whether `refresh` has anything to read: another process committed to the store since the
    /// last refresh (SQLite's `data_version`, read from the WAL's index in shared memory, not from
    /// the disk), or a write here caught up with such changes. Fails as `refresh` does when the
    /// file was deleted or replaced. Cheap enough to ask every second.
    pub fn news(&mut self) -> Result<bool, StoreError> {
        self.still_there()?;
        let version = data_version(&self.conn).map_err(|error| error.at(&self.path))?;
        Ok(version != self.version || self.unseen)
    }

    /// Catches up with what other processes wrote, without the write lock, keeping it for the next
    /// `refresh` to report.
    fn look(&mut self) -> Result<(), StoreError> {
        self.still_there().map_err(|error| error.at(&self.path))?;
        let caught_up = (|| {
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
            let changed = self.replica.catch_up(&tx, &self.id)?;
            tx.commit()?;
            Ok(changed)
        })();
        self.unseen |= caught_up.map_err(|error: StoreError| error.at(&self.path))?;
        self.follow_sources();
        Ok(())
    }

    /// Erases the contacts that no longer stand (another process brought the withdrawal of their
    /// consent), through the write path; looks first without the write lock. A failure (a read-only
    /// store, say) is logged, not returned: reading goes on, and the next write or open erases.
    fn erase_fallen(&mut self) {
        let fallen = contacts::fallen(&self.conn, &self.id, &self.registry, self.replica.facts.values());
        let erased = match fallen {
            Ok(fallen) if fallen.is_empty() => Ok(()),
            Ok(_) => self.write(|_| Ok(((), Vec::new()))),
            Err(error) => Err(error.at(&self.path)),
        };
        if let Err(error) = erased {
            tracing::warn!(error = error.code(), "contacts whose consent no longer stands not erased yet");
        }
    }

    /// The values of one contact, by the id its fact carries; `None` once erased (or not yet
    /// received from the device that recorded it).
    pub fn contact(&self, id: &str) -> Result<Option<Contact>, StoreError> {
        contacts::get(&self.conn, &self.id, id).map_err(|error| error.at(&self.path))
    }

    /// What this device tells a peer about the contacts: every row it holds, every tombstone.
    pub fn contacts_offer(&self) -> Result<ContactsMessage, StoreError> {
        let read = (|| {
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
            let message = ContactsMessage {
                campaign: self.id.clone(),
                rows: contacts::rows(&tx, &self.id)?,
                tombstones: contacts::tombstones(&tx, &self.id)?,
            };
            tx.commit()?;
            Ok(message)
        })();
        read.map_err(|error: StoreError| error.at(&self.path))
    }

    /// Takes a peer's contacts: its tombstones erase rows here (delete wins) and are kept; its rows
    /// are taken unless tombstoned here or their contact does not stand here. All or nothing, in
    /// one transaction of the write path; applying the same message again changes nothing.
    pub fn apply_contacts(&mut self, message: &ContactsMessage) -> Result<Applied, StoreError> {
        self.write(|writer| {
            let facts = writer.replica.facts.values();
            let applied = contacts::apply(writer.conn, writer.campaign, writer.registry, facts, message)?;
            Ok((applied, Vec::new()))
        })
        .inspect(|applied| {
            if applied.erased > 0 {
                contacts::checkpoint(&self.conn);
            }
        })
    }

    /// Whether the store's path still leads to the file this campaign opened.
    fn still_there(&self) -> Result<(), StoreError> {
        let path = self.path.clone();
        match FileId::of(&self.path) {
            Ok(file) if file == self.file => Ok(()),
            Ok(_) => Err(StoreError::Replaced { path }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Err(StoreError::Vanished { path }),
            Err(error) => Err(StoreError::File { path, fault: FileFault::of(&error) }),
        }
    }

    /// Records one canvass outcome (with `consent`, a consent fact first); returns the ids written,
    /// the mark's last. Returns only once the facts are durable.
    pub fn mark(&mut self, mark: Mark) -> Result<Vec<String>, StoreError> {
        let at = self.clock.now();
        self.write(|writer| {
            mark.sent_in_time(writer.meeting.date)?;
            let tracked = if mark.sent.as_ref().is_some_and(|l| l.tracking.is_some()) {
                writer.letters_by_tracking()
            } else {
                FxHashMap::default()
            };
            let facts = writer.mark_facts(mark, at, &tracked)?;
            let ids = facts.iter().map(|f| f.id.clone()).collect();
            Ok((ids, facts.iter().map(fact_entry).collect()))
        })
    }

    /// Records several marks (the letters of a mail list) in one write: all of them or, when any
    /// is refused, none. Returns the ids written, in the order of the marks.
    pub fn mark_all(&mut self, marks: Vec<Mark>) -> Result<Vec<String>, StoreError> {
        let at = self.clock.now();
        self.write(|writer| {
            marks.iter().try_for_each(|mark| mark.sent_in_time(writer.meeting.date))?;
            let tracked = writer.letters_by_tracking();
            let mut facts = Vec::new();
            for mark in marks {
                facts.extend(writer.mark_facts(mark, at, &tracked)?);
            }
            let ids = facts.iter().map(|f| f.id.clone()).collect();
            Ok((ids, facts.iter().map(fact_entry).collect()))
        })
    }

    /// Records a changed meeting (`obhod meeting update`): the new text of meeting.toml, named
    /// `file`, replaces the campaign's, with who changed it and when. Refused with its reason when
    /// it would falsify what is recorded (another registry, another building, another agenda once
    /// decisions are recorded); nothing is written when nothing changes. Returns what changes and
    /// what the new dates do to the notices and decisions already recorded.
    pub fn update_meeting(&mut self, file: &str, text: &str) -> Result<MeetingUpdate, StoreError> {
        let new = Meeting::parse(file, text)?;
        // Nothing to write when nothing changes, against the meeting as it now stands: looked at
        // without the write lock (a read-only store still answers), and checked again under it.
        self.look()?;
        if update::changes(&self.meeting, &new).is_empty() {
            return Ok(MeetingUpdate::default());
        }
        let at = self.clock.now();
        self.write(|writer| {
            if !decisions::settler(writer.replica).is_settler(writer.device) {
                return Err(StoreError::OrganiserOnly);
            }
            let old = writer.meeting;
            let changes = update::changes(old, &new);
            let standing = standing_by_owner(writer.replica);
            update::check(old, &new, standing.values().map(Vec::len).sum())
                .map_err(|refusal| StoreError::MeetingRefused { file: file.into(), refusal })?;
            if changes.is_empty() {
                return Ok((MeetingUpdate::default(), Vec::new()));
            }
            let canvass = Canvass::fold(writer.registry, writer.replica.facts.values().cloned().collect());
            let ballots: Vec<Ballot> = standing.values().flatten().filter_map(|(_, r)| r.ballot()).collect();
            let record = MeetingRecord {
                device: writer.device.into(),
                at,
                file: file.into(),
                keys: changes.iter().map(|c| c.key.clone()).collect(),
            };
            let done = MeetingUpdate {
                owners_made_late: update::owners_made_late(old, &new, &canvass),
                ballots_made_late: update::ballots_made_late(old, &new, &ballots),
                changes,
                recorded: true,
            };
            // Always these four, in this order: two devices updating at once then see the same
            // update win on every key (automerge orders concurrent puts by their op counters).
            let entries = vec![
                Entry { map: Map::Meeting, key: "text".into(), text: text.into() },
                Entry { map: Map::Meeting, key: "file".into(), text: file.into() },
                Entry { map: Map::Meeting, key: "updated".into(), text: record.encode() },
                Entry { map: Map::Root, key: "address".into(), text: new.address.clone() },
            ];
            Ok((done, entries))
        })
    }

    /// Replaces the campaign's registry with a corrected or newer one (`obhod registry update`):
    /// organiser-only in a group, refused after the end of voting and when nothing changes; the
    /// weights, the canvass and the count follow at once, here and on every replica.
    pub fn update_registry(&mut self, file: &str, text: &str) -> Result<RegistryUpdate, StoreError> {
        let new = Registry::parse(file, text.as_bytes())?;
        let at = self.clock.now();
        self.write(|writer| {
            if !decisions::settler(writer.replica).is_settler(writer.device) {
                return Err(StoreError::OrganiserOnly);
            }
            let facts: Vec<Fact> = writer.replica.facts.values().cloned().collect();
            let standing = standing_by_owner(writer.replica);
            let ballots: Vec<(String, Ballot)> = standing
                .values()
                .flatten()
                .filter_map(|(id, record)| record.ballot().map(|ballot| (id.clone(), ballot)))
                .collect();
            let decisions = ballots.iter().map(|(id, ballot)| (id.as_str(), ballot));
            let checked =
                registry_update::check(writer.registry, &new, writer.meeting, at.date_naive(), &facts, decisions)
                    .map_err(|refusal| StoreError::RegistryRefused { file: file.into(), refusal })?;
            let record = RegistryRecord {
                device: writer.device.into(),
                at,
                file: file.into(),
                differences: checked.differences.len(),
                version: checked.since.version,
                since: checked.since.owners,
                days: checked.since.days,
            };
            // Always these three, in this order, as the meeting's: two devices updating at once
            // see the same update win on every key.
            let entries = vec![
                Entry { map: Map::Registry, key: "text".into(), text: text.into() },
                Entry { map: Map::Registry, key: "file".into(), text: file.into() },
                Entry { map: Map::Registry, key: "updated".into(), text: record.encode() },
            ];
            let done = RegistryUpdate {
                differences: checked.differences,
                orphans: checked.orphans,
                unreached: checked.unreached,
            };
            Ok((done, entries))
        })
    }

    /// How many versions of the registry stand side by side, as `meeting_versions`.
    pub fn registry_versions(&self) -> usize {
        doc::registry_versions(&self.replica.doc)
    }

    /// Who last updated the registry, when and from which file; `None` while it is `init`'s.
    pub fn registry_record(&self) -> Option<RegistryRecord> {
        RegistryRecord::read(&self.replica.doc)
    }

    /// The standing facts and decisions naming a premise or owner the registry does not have
    /// (the registry was updated after they were recorded): kept and listed, never counted.
    pub fn orphans(&self) -> Vec<Orphan> {
        let facts: Vec<Fact> = self.replica.facts.values().cloned().collect();
        let standing = standing_by_owner(&self.replica);
        let ballots: Vec<(String, Ballot)> = standing
            .values()
            .flatten()
            .filter_map(|(id, record)| record.ballot().map(|ballot| (id.clone(), ballot)))
            .collect();
        registry_update::orphans(&self.registry, &facts, ballots.iter().map(|(id, ballot)| (id.as_str(), ballot)))
    }

    /// The standing marks for every owner of a premise recorded before some of its owners came
    /// (a later registry added them): they do not reach those owners.
    pub fn unreached(&self) -> Vec<Unreached> {
        let facts: Vec<Fact> = self.replica.facts.values().cloned().collect();
        registry_update::unreached(&self.registry, &self.registry.since, &facts)
    }

    /// Withdraws a fact (`obhod undo`) by adding a fact that cites it; returns the new fact's id.
    /// An id of a decision is withdrawn as `withdraw_decision` does.
    pub fn undo(&mut self, id: &str, note: Option<String>) -> Result<String, StoreError> {
        let at = self.clock.now();
        let id = id.trim().to_uppercase();
        if self.fact(&id).is_none() && self.is_decision(&id) {
            return self.withdraw_decision(&id, note);
        }
        check_note(note.as_deref())?;
        self.write(|writer| {
            act::check_undo(&id, writer.replica.facts.values())?;
            let fact = writer.fact(at, note, Act::Withdraw { fact: id.clone() });
            Ok((fact.id.clone(), vec![fact_entry(&fact)]))
        })
    }

    /// Adds the ballots of a `ballots.csv`, each a decision under its own new id. A ballot already
    /// standing in the campaign with the same decision is skipped; a different one for the same
    /// owner refuses the whole file (withdraw the one recorded first). The file is read under the
    /// lock, against the registry and the agenda in force after catching up (another process or
    /// device may have updated them), as `record_decision` reads a decision.
    pub fn import_ballots(&mut self, file: &str, text: &str) -> Result<Imported, StoreError> {
        let at = self.clock.now();
        self.write(|writer| {
            let questions = writer.meeting.questions.len();
            let ballots = obhod_core::parse_ballots(file, text.as_bytes(), writer.registry, questions)?;
            let mut imported = Imported { added: 0, present: 0 };
            let mut entries = Vec::new();
            let standing: HashMap<String, Vec<(String, BallotRecord)>> = standing_by_owner(writer.replica)
                .into_iter()
                .map(|(key, records)| (key, records.into_iter().map(|(id, r)| (id, r.clone())).collect()))
                .collect();
            for ballot in &ballots {
                let record = BallotRecord::new(ballot, file, writer.device, at);
                let key = BallotRecord::key(&ballot.premise, &ballot.owner);
                let held = standing.get(&key).map(Vec::as_slice).unwrap_or_default();
                if held.iter().any(|(_, earlier)| earlier.same_decision(&record)) {
                    imported.present += 1;
                } else if let Some((id, earlier)) = held.first() {
                    return Err(StoreError::BallotConflict {
                        file: file.into(),
                        line: ballot.line,
                        premise: ballot.premise.clone(),
                        owner: ballot.owner.clone(),
                        // A decision typed on the screen has no file: its id names it.
                        earlier: match earlier.file.is_empty() {
                            true => id.clone(),
                            false => format!("{}:{}", earlier.file, earlier.line),
                        },
                        id: id.as_str().into(),
                    });
                } else {
                    imported.added += 1;
                    let id = writer.next_id(at).to_string();
                    entries.push(Entry { map: Map::Ballots, key: id, text: record.encode() });
                }
            }
            Ok((imported, entries))
        })
    }

    /// Folds the change rows into one snapshot.
    pub fn compact(&mut self) -> Result<(), StoreError> {
        let compacted = (|| {
            let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
            self.still_there()?;
            self.unseen |= self.replica.catch_up(&tx, &self.id)?;
            self.replica.compact(&tx, &self.id)?;
            tx.commit()?;
            Ok(())
        })();
        self.follow_sources();
        compacted.map_err(|error: StoreError| error.at(&self.path))
    }

    /// The one write path: under the store's write lock, catch up with other processes, check the
    /// action against the current state and build its entries, write them as one change, commit.
    /// Done only if the path still leads to the file opened, before and after the commit: SQLite
    /// goes on writing to a deleted file, and a fact there is lost.
    pub(crate) fn write<T>(
        &mut self,
        act: impl FnOnce(&mut Writer) -> Result<(T, Vec<Entry>), StoreError>,
    ) -> Result<T, StoreError> {
        let written = self.write_locked(act);
        // Whatever the write brought from elsewhere (a caught-up process, a peer's message), or
        // wrote itself (a meeting update), the meeting read from now on is the document's.
        self.follow_sources();
        written.map_err(|error| {
            let error = error.at(&self.path);
            tracing::warn!(error = error.code(), "action not recorded");
            error
        })
    }

    fn write_locked<T>(
        &mut self,
        act: impl FnOnce(&mut Writer) -> Result<(T, Vec<Entry>), StoreError>,
    ) -> Result<T, StoreError> {
        let tx = Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)?;
        self.still_there()?;
        let caught_up = self.replica.catch_up(&tx, &self.id)?;
        self.unseen |= caught_up;
        if caught_up {
            follow_sources(
                &self.replica.doc,
                &mut self.sources,
                &mut self.meeting,
                &mut self.registry,
                &mut self.weights,
            );
        }
        let heads = self.replica.doc.get_heads();
        let mut writer = Writer {
            registry: &self.registry,
            weights: &self.weights,
            meeting: &self.meeting,
            replica: &mut self.replica,
            device: &self.device,
            ids: &mut self.ids,
            conn: &tx,
            campaign: &self.id,
        };
        let (value, entries) = match act(&mut writer) {
            Ok(done) => done,
            Err(error) => {
                drop(tx);
                return Err(self.forget_unwritten(&heads, error));
            }
        };
        let revoked =
            self.replica.group.as_ref().and_then(|g| g.members.get(&self.device)).is_some_and(|m| m.last.is_some());
        if revoked && entries.iter().any(|e| matches!(e.map, Map::Facts | Map::Ballots)) {
            drop(tx);
            return Err(self.forget_unwritten(&heads, StoreError::DeviceRevoked));
        }
        let entries = seal::seal(&self.keys, &self.replica, &self.id, &self.device, entries);
        let public = self.keys.member.as_ref().map(crate::sign::Signer::public_key);
        self.replica.signed_here(&entries, &self.device, public);
        // Marks only add: a contact can fall only by a withdrawal, or by changes from elsewhere
        // (another process, a peer), so the sweep is skipped for a plain mark. A write of nothing
        // is the erasure `erase_fallen` asks for.
        let received = caught_up || self.replica.doc.get_heads() != heads;
        let sweep = received || entries.is_empty() || entries.iter().any(is_withdrawal);
        let written = finish(tx, &mut self.replica, &self.id, &self.registry, &entries, sweep, self.clock.now());
        let erased = match written {
            Ok(erased) => erased,
            Err(error) if entries.is_empty() => return Err(self.forget_unwritten(&heads, error)),
            Err(error) => {
                self.replica = Replica::load(&self.conn, &self.id, self.keys.anchor.clone())?;
                self.unseen = true;
                return Err(error);
            }
        };
        if erased > 0 {
            contacts::checkpoint(&self.conn);
        }
        self.still_there()?;
        if entries.is_empty() && self.replica.doc.get_heads() == heads {
            return Ok(value);
        }
        if self.replica.rows > COMPACT_WHILE_OPEN
            && let Err(error) = self.compact()
        {
            // The action is durable; compaction is retried at the next write or open.
            tracing::warn!(error = error.code(), "compaction failed");
        }
        tracing::info!(entries = entries.len(), "action recorded");
        Ok(value)
    }
}

impl Campaign {
    /// After a failed write: the document may hold a change that never reached the disk (one
    /// received from a peer, say), so it is loaded again from the file.
    fn forget_unwritten(&mut self, heads: &[ChangeHash], error: StoreError) -> StoreError {
        if self.replica.doc.get_heads() == heads {
            return error;
        }
        match Replica::load(&self.conn, &self.id, self.keys.anchor.clone()) {
            Ok(replica) => self.replica = replica,
            Err(reload) => return reload,
        }
        error
    }

    /// The document, for a sync session to generate its next message from.
    pub(crate) fn automerge(&self) -> &Automerge {
        &self.replica.doc
    }

    /// The document's map of facts.
    pub(crate) fn facts_map(&self) -> automerge::ObjId {
        self.replica.facts_map().clone()
    }

    /// The changes made since `heads`, as bytes another device applies with `receive_changes`.
    pub fn changes_since(&self, heads: &[ChangeHash]) -> Vec<u8> {
        self.replica.doc.get_changes(heads).iter().flat_map(|change| change.raw_bytes().to_vec()).collect()
    }

    /// Takes changes another device handed over outside a sync session (the inviter's record of
    /// this device, at join): checked as a sync message's are, durable when this returns Ok.
    pub fn receive_changes(&mut self, bytes: &[u8]) -> Result<(), StoreError> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.write(|writer| {
            writer.replica.receive_changes(writer.conn, writer.campaign, bytes)?;
            Ok(((), Vec::new()))
        })
    }

    /// Applies a peer's sync message through the write path: the changes it brings are durable
    /// when this returns Ok, and on any failure none of them stays in memory either.
    pub(crate) fn receive_sync(
        &mut self,
        state: &mut sync::State,
        message: sync::Message,
    ) -> Result<Received, StoreError> {
        if message.changes.is_empty() {
            // Heads, needs and Bloom filters only: the document is not touched, no lock is needed.
            self.replica
                .doc
                .receive_sync_message(state, message)
                .map_err(|error| StoreError::BadSyncMessage { detail: error.to_string() })?;
            return Ok(Received::default());
        }
        self.write(|writer| {
            let received = writer.replica.receive(writer.conn, writer.campaign, state, message)?;
            Ok((received, Vec::new()))
        })
    }
}

/// Writes an action's entries as one change, with `sweep` erases the contacts that no longer
/// stand, and commits; returns how many contacts were erased.
/// Whether an entry withdraws a fact (and so may withdraw a consent).
fn is_withdrawal(entry: &Entry) -> bool {
    entry.map == Map::Facts
        && doc::decode_fact(&entry.key, &entry.text).is_some_and(|f| matches!(f.act, Act::Withdraw { .. }))
}

fn finish(
    tx: Transaction,
    replica: &mut Replica,
    campaign: &str,
    registry: &Registry,
    entries: &[Entry],
    sweep: bool,
    now: DateTime<FixedOffset>,
) -> Result<usize, StoreError> {
    if !entries.is_empty() {
        replica.commit(&tx, campaign, entries)?;
    }
    let erased = if sweep { contacts::sweep(&tx, campaign, registry, replica.facts.values(), now)? } else { 0 };
    tx.commit()?;
    Ok(erased)
}

/// Reads the meeting and the registry again where the document's differ from `sources` (another
/// process or a peer updated them), the weights with the registry.
fn follow_sources(
    doc: &Automerge,
    sources: &mut Sources,
    meeting: &mut Meeting,
    registry: &mut Registry,
    weights: &mut Weights,
) {
    follow_meeting(doc, sources, meeting);
    follow_registry(doc, sources, registry, weights);
}

/// Reads the registry again where the document's differs from `sources`, as `follow_meeting`.
fn follow_registry(doc: &Automerge, sources: &mut Sources, registry: &mut Registry, weights: &mut Weights) {
    if doc::holds(doc, "registry", &sources.registry_file, &sources.registry_text) {
        return;
    }
    let (file, text) = match doc::registry(doc) {
        Ok(source) => source,
        Err(error) => return tracing::warn!(error = error.code(), "the campaign's registry cannot be read"),
    };
    if (&file, &text) == (&sources.registry_file, &sources.registry_text) {
        return;
    }
    match Registry::parse(&file, text.as_bytes()) {
        Ok(mut read) => {
            read.since = RegistryRecord::read(doc).map(|record| record.since()).unwrap_or_default();
            *weights = Weights::compute(&read);
            *registry = read;
            sources.registry_file = file;
            sources.registry_text = text;
            tracing::info!("the registry was updated; read again");
        }
        Err(_) => tracing::warn!("an updated registry this version refuses; the one read before stays"),
    }
}

/// Reads the meeting again where the document's differs from `sources` (another process or a
/// peer updated it). A text this version refuses leaves the meeting read before, and says so in
/// the log: opening the store again reports it.
fn follow_meeting(doc: &Automerge, sources: &mut Sources, meeting: &mut Meeting) {
    if doc::holds(doc, "meeting", &sources.meeting_file, &sources.meeting_text) {
        return;
    }
    let (file, text) = match doc::meeting(doc) {
        Ok(source) => source,
        Err(error) => return tracing::warn!(error = error.code(), "the campaign's meeting cannot be read"),
    };
    if (&file, &text) == (&sources.meeting_file, &sources.meeting_text) {
        return;
    }
    match Meeting::parse(&file, &text) {
        Ok(read) => {
            *meeting = read;
            sources.meeting_file = file;
            sources.meeting_text = text;
            tracing::info!("the meeting was updated; read again");
        }
        Err(_) => tracing::warn!("an updated meeting this version refuses; the one read before stays"),
    }
}

/// The core's rule for a new note (its length, no phone or e-mail in it).
fn check_note(note: Option<&str>) -> Result<(), StoreError> {
    Ok(act::check_note(note)?)
}

/// What an action may read and use while the write lock is held.
pub(crate) struct Writer<'a> {
    /// The registry and its weights as the document holds them after catching up.
    registry: &'a Registry,
    weights: &'a Weights,
    /// The meeting as the document holds it after catching up.
    meeting: &'a Meeting,
    pub(crate) replica: &'a mut Replica,
    device: &'a str,
    ids: &'a mut Ids,
    /// The write transaction, for what goes beside the document (contact values, the group's
    /// local tables).
    pub(crate) conn: &'a Connection,
    pub(crate) campaign: &'a str,
}

impl Writer<'_> {
    /// This device's id.
    pub(crate) fn device(&self) -> &str {
        self.device
    }

    /// The standing letters by tracking number: a number names one mail item, so a second letter
    /// with it is a typo or the same list read again under another date.
    fn letters_by_tracking(&self) -> FxHashMap<Tracking, Fact> {
        let withdrawn = obhod_core::canvass::withdrawn(self.replica.facts.values());
        let mut letters = FxHashMap::default();
        for fact in self.replica.facts.values().filter(|f| !withdrawn.contains(&f.id)) {
            if let Act::Mark { sent: Some(Letter { tracking: Some(tracking), .. }), .. } = &fact.act {
                letters.insert(tracking.clone(), fact.clone());
            }
        }
        letters
    }

    /// Checks a mark against the registry and the standing facts (`tracked`: the standing letters
    /// by tracking number) and turns it into facts.
    fn mark_facts(
        &mut self,
        mark: Mark,
        at: DateTime<FixedOffset>,
        tracked: &FxHashMap<Tracking, Fact>,
    ) -> Result<Vec<Fact>, StoreError> {
        check_note(mark.note.as_deref())?;
        let tracking = mark.sent.as_ref().and_then(|l| l.tracking.as_ref());
        let target =
            act::target(self.registry, &mark.premise, mark.owner.as_deref(), mark.outcome, tracking.is_some())?;
        let shape = act::MarkShape {
            outcome: mark.outcome,
            contact: mark.contact.is_some(),
            consent: mark.consent,
            sent: mark.sent.as_ref(),
            signed: mark.signed,
        };
        act::check_mark(shape, at.date_naive())?;
        if let Some(tracking) = tracking {
            act::check_tracking(tracking, tracked)?;
        }
        let mut facts = Vec::new();
        if mark.outcome == Outcome::Contact {
            act::contact_values(mark.contact.as_ref())?;
            let name = target.owner.clone().expect("a contact names one owner");
            let standing = if mark.consent { None } else { self.standing_consent(target.premise, &name) };
            match act::consent_for_contact(&target, mark.consent, standing)? {
                Some(consent) => self.ids_after(&consent),
                None => facts.push(self.fact(at, None, Act::mark(&target.label, Some(&name), Outcome::Consent))),
            }
        }
        let act::Target { label, owner, .. } = target;
        let contact = match (mark.outcome, mark.contact, &owner) {
            (Outcome::Contact, Some(values), Some(owner)) => Some(self.keep_contact(&label, owner, values, at)?),
            _ => None,
        };
        let under = self.registry.since.under(mark.signed, at.date_naive());
        let (outcome, sent, signed) = (mark.outcome, mark.sent, mark.signed);
        let act = Act::Mark { premise: label, owner, outcome, contact, sent, signed, under };
        facts.push(self.fact(at, mark.note, act));
        Ok(facts)
    }

    /// The id of a new record made at `at`: after every fact the document holds (the hybrid
    /// clock), and after every decision.
    fn next_id(&mut self, at: DateTime<FixedOffset>) -> ulid::Ulid {
        let facts = self.replica.facts.keys().next_back();
        let decisions = self.replica.ballots.keys().rev().find(|key| ulid::Ulid::from_string(key).is_ok());
        for latest in facts.into_iter().chain(decisions).filter_map(|id| ulid::Ulid::from_string(id).ok()) {
            self.ids.after(latest);
        }
        self.ids.next(at)
    }

    /// Stores a contact's values beside the document; returns the id its fact carries.
    fn keep_contact(
        &mut self,
        premise: &str,
        owner: &str,
        values: Contact,
        at: DateTime<FixedOffset>,
    ) -> Result<String, StoreError> {
        let id = self.ids.next(at).to_string();
        let row = ContactRow {
            id: id.clone(),
            premise: premise.into(),
            owner: owner.into(),
            phone: values.phone,
            email: values.email,
            recorded_at: at,
            device: self.device.into(),
        };
        contacts::insert(self.conn, self.campaign, &row)?;
        Ok(id)
    }

    /// The id of the newest standing consent of the owner: the fold of the premise's facts and the
    /// withdrawals alone (the same rule as the full fold, without folding every door of the building).
    fn standing_consent(&self, premise: usize, owner: &str) -> Option<String> {
        let label = &self.registry.premises[premise].label;
        let relevant =
            self.replica.facts.values().filter(|f| f.premise().is_none_or(|p| p == label)).cloned().collect();
        let canvass = Canvass::fold(self.registry, relevant);
        let consent = |f: &&Fact| {
            canvass.is_standing(f)
                && matches!(&f.act, Act::Mark { outcome: Outcome::Consent, owner: o, .. }
                    if o.as_deref().is_none_or(|o| o == owner))
        };
        canvass.premises[premise].history.iter().map(|&n| &canvass.facts[n]).filter(consent).map(|f| f.id.clone()).max()
    }

    /// Makes the ids generated next sort after `id`. A contact stands only after the consent it
    /// rests on, by id; a consent from a device whose clock runs ahead must not void it.
    fn ids_after(&mut self, id: &str) {
        if let Ok(ulid) = ulid::Ulid::from_string(id) {
            self.ids.after(ulid);
        }
    }

    /// A new fact made at `at` (the wall clock, shown as it is). Its id, which orders the facts,
    /// comes after every fact the document holds (a hybrid logical clock): a device whose clock
    /// runs fast does not win «last outcome» over what others record after seeing its fact.
    fn fact(&mut self, at: DateTime<FixedOffset>, note: Option<String>, act: Act) -> Fact {
        let id = self.next_id(at);
        let note = note.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        Fact { id: id.to_string(), device: self.device.to_string(), at, note, act }
    }
}

/// A file's identity (device and inode), to notice the store deleted or replaced while open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    #[cfg(unix)]
    fn of(path: &Path) -> std::io::Result<FileId> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)?;
        Ok(FileId { device: meta.dev(), inode: meta.ino() })
    }

    #[cfg(not(unix))]
    fn of(path: &Path) -> std::io::Result<FileId> {
        std::fs::metadata(path).map(|_| FileId { device: 0, inode: 0 })
    }
}

/// SQLite's `PRAGMA data_version`: it changes when another connection commits to the file.
fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "data_version", |row| row.get(0))?)
}

/// The campaign id in the store, if there is one.
fn existing(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row("SELECT id FROM campaign LIMIT 1", [], |r| r.get(0)).optional()?)
}

/// An owner by name as typed: exact, else ignoring case and repeated spaces.
fn find_owner(premise: &str, owners: &[String], name: &str) -> Result<String, StoreError> {
    // After the exact name, the folded one (spaces, case, Latin look-alikes, ё), as a ballot's
    // owner is matched; the registry keeps owners of one premise apart after folding.
    let folded = obhod_core::text::fold(name);
    owners
        .iter()
        .find(|o| o.as_str() == name)
        .or_else(|| owners.iter().find(|o| obhod_core::text::fold(o) == folded))
        .cloned()
        .ok_or_else(|| StoreError::UnknownOwner {
            premise: premise.into(),
            owner: name.into(),
            owners: owners.to_vec(),
        })
}

/// The standing decision records with their ids, by owner's key (premise and owner).
type ByOwner<'a> = std::collections::BTreeMap<String, Vec<(String, &'a BallotRecord)>>;

fn standing_by_owner(replica: &Replica) -> ByOwner<'_> {
    let book = decisions::Book::of(replica);
    let mut by_owner = ByOwner::new();
    for (id, record) in book.standing() {
        by_owner.entry(BallotRecord::key(&record.premise, &record.owner)).or_default().push((id.to_string(), record));
    }
    by_owner
}

fn fact_entry(fact: &Fact) -> Entry {
    Entry { map: Map::Facts, key: fact.id.clone(), text: doc::encode_fact(fact) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::sources;

    /// What a newer obhod might write: a fact of an act and an outcome this version does not know.
    fn from_the_future(campaign: &mut Campaign) {
        let facts = [
            r#"{"act":"sign","device":"d","at":"2026-11-21T19:05:03+06:00","premise":"1"}"#,
            r#"{"act":"mark","device":"d","at":"2026-11-21T19:05:04+06:00","premise":"1","outcome":"teleported"}"#,
        ];
        campaign
            .write(|_| {
                let entries = facts.iter().enumerate().map(|(n, text)| Entry {
                    map: Map::Facts,
                    key: format!("01JF00000000000000000000F{n}"),
                    text: text.to_string(),
                });
                Ok(((), entries.collect()))
            })
            .unwrap();
    }

    #[test]
    fn a_fact_deleted_in_a_stored_document_never_makes_the_unknown_count_wrap() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("obhod.db");
        let mut campaign = Campaign::init(&path, sources()).unwrap();
        let mut other = Campaign::open(&path).unwrap();
        let id = campaign.mark(Mark::new("1", Outcome::Absent)).unwrap().pop().unwrap();
        campaign.mark(Mark::new("2", Outcome::Absent)).unwrap();
        assert!(other.refresh().unwrap());
        // What an older obhod could take from a hostile peer: the fact deleted in the document.
        let facts = campaign.replica.facts_map().clone();
        campaign
            .replica
            .doc
            .transact(|tx| automerge::transaction::Transactable::delete(tx, &facts, id.as_str()))
            .unwrap();
        let tx = Transaction::new_unchecked(&campaign.conn, TransactionBehavior::Immediate).unwrap();
        campaign.replica.persist(&tx, &campaign.id).unwrap();
        tx.commit().unwrap();
        assert!(other.refresh().unwrap());
        assert_eq!(other.unknown_facts(), 0, "not 18446744073709551615");
        assert_eq!(other.facts().count(), 1);
        assert_eq!(Campaign::open(&path).unwrap().unknown_facts(), 0);
        assert_eq!(Campaign::open(&path).unwrap().facts().count(), 1);
    }

    #[test]
    fn facts_from_a_newer_version_are_counted_not_dropped_silently() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("obhod.db");
        let mut campaign = Campaign::init(&path, sources()).unwrap();
        let mut other = Campaign::open(&path).unwrap();
        campaign.mark(Mark::new("1", Outcome::Absent)).unwrap();
        from_the_future(&mut campaign);
        assert_eq!((campaign.unknown_facts(), campaign.facts().count()), (2, 1));
        assert!(other.refresh().unwrap());
        assert_eq!((other.unknown_facts(), other.facts().count()), (2, 1), "caught up with another process");
        drop((campaign, other));
        let reopened = Campaign::open(&path).unwrap();
        assert_eq!((reopened.unknown_facts(), reopened.facts().count()), (2, 1));
        assert_eq!(reopened.canvass().premises[0].visits, 1, "the fold leaves them out");
    }

    /// A note over the limit that an older obhod (or one of its devices, by sync) stored: read
    /// and kept whole; only a new note is held to the limit.
    #[test]
    fn a_long_note_already_stored_stays_readable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("obhod.db");
        let mut campaign = Campaign::init(&path, sources()).unwrap();
        let note = "у".repeat(NOTE_LIMIT * 3);
        let fact = format!(
            r#"{{"act":"mark","device":"old","at":"2026-11-21T19:05:03+06:00","premise":"1","outcome":"absent","note":"{note}"}}"#
        );
        let entry = Entry { map: Map::Facts, key: "01JF00000000000000000000A1".into(), text: fact };
        campaign.write(|_| Ok(((), vec![entry]))).unwrap();
        drop(campaign);
        let mut campaign = Campaign::open(&path).unwrap();
        assert_eq!(campaign.facts().next().and_then(|f| f.note.clone()), Some(note));
        assert_eq!(campaign.canvass().premises[0].visits, 1);
        campaign.undo("01JF00000000000000000000A1", Some("ошибся дверью".into())).unwrap();
    }

    #[test]
    fn a_contact_stands_on_a_consent_from_a_device_whose_clock_runs_ahead() {
        let dir = tempfile::tempdir().unwrap();
        let mut campaign = Campaign::init(&dir.path().join("obhod.db"), sources()).unwrap();
        let ahead = ulid::Ulid::from_datetime(std::time::SystemTime::now() + std::time::Duration::from_secs(3600));
        let consent = r#"{"act":"mark","premise":"1","owner":"Иванов Иван Иванович","outcome":"consent","device":"ahead","at":"2026-11-21T19:05:03+06:00"}"#;
        let entry = Entry { map: Map::Facts, key: ahead.to_string(), text: consent.into() };
        campaign.write(|_| Ok(((), vec![entry]))).unwrap();
        let values = Contact { phone: Some("+7 913 555-01-77".into()), email: None };
        let mark = Mark {
            owner: Some("Иванов Иван Иванович".into()),
            contact: Some(values.clone()),
            ..Mark::new("1", Outcome::Contact)
        };
        let ids = campaign.mark(mark).unwrap();
        assert!(ids[0] > ahead.to_string(), "the contact sorts after the consent it rests on");
        let canvass = campaign.canvass();
        let id = canvass.premises[0].owner("Иванов Иван Иванович").unwrap().contact.clone().expect("it stands");
        assert_eq!(campaign.contact(&id).unwrap(), Some(values), "and its values are kept");
    }
}
