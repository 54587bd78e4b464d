//! Phones and e-mails, kept outside the document (whose history cannot be erased) in the `contact`
//! table under an opaque id; erased, leaving a tombstone of the id and the time, once the contact no
//! longer stands; and the exchange of rows and tombstones between devices (delete wins).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use obhod_core::{Act, Canvass, Contact, Fact, Outcome, Registry};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;

/// The longest phone, e-mail, premise or owner a peer may send, in bytes.
const LONGEST: usize = 512;

/// One contact's values and whose they are.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    /// The id the contact fact in the document carries.
    pub id: String,
    pub premise: String,
    pub owner: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub recorded_at: DateTime<FixedOffset>,
    /// The device that recorded it.
    pub device: String,
}

impl ContactRow {
    pub fn contact(&self) -> Contact {
        Contact { phone: self.phone.clone(), email: self.email.clone() }
    }
}

impl std::fmt::Debug for ContactRow {
    /// Never prints the values, so that they cannot leak into logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactRow").field("id", &self.id).field("contact", &self.contact()).finish_non_exhaustive()
    }
}

/// An erased contact: the id and when, no data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: String,
    pub erased_at: DateTime<FixedOffset>,
}

/// What one device tells another about the campaign's contacts: every row it holds and every
/// tombstone it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactsMessage {
    pub campaign: String,
    pub rows: Vec<ContactRow>,
    pub tombstones: Vec<Tombstone>,
}

/// What applying a `ContactsMessage` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Rows taken.
    pub added: usize,
    /// Rows not taken: tombstoned here, or their contact does not stand here (yet).
    pub refused: usize,
    /// Rows erased here by the peer's tombstones.
    pub erased: usize,
    /// Tombstones new here.
    pub tombstones: usize,
    /// Tombstones not honoured: the document here holds no withdrawal that ends their contact
    /// (not yet, or never: a forged one). Sent again, they count once it arrives.
    pub ignored: usize,
}

/// Every row of the campaign, in id order.
pub fn rows(conn: &Connection, campaign: &str) -> Result<Vec<ContactRow>, StoreError> {
    let mut select = conn.prepare_cached(
        "SELECT id, premise, owner, phone, email, recorded_at, device FROM contact WHERE campaign = ?1 ORDER BY id",
    )?;
    let rows = select.query_map([campaign], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get::<_, String>(5)?, r.get(6)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, premise, owner, phone, email, at, device) = row?;
        let recorded_at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| StoreError::Damaged(format!("contact {id} has no valid time")))?;
        out.push(ContactRow { id, premise, owner, phone, email, recorded_at, device });
    }
    Ok(out)
}

/// Every tombstone of the campaign, in id order.
pub fn tombstones(conn: &Connection, campaign: &str) -> Result<Vec<Tombstone>, StoreError> {
    let mut select =
        conn.prepare_cached("SELECT id, erased_at FROM contact_tombstone WHERE campaign = ?1 ORDER BY id")?;
    let rows = select.query_map([campaign], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, at) = row?;
        let erased_at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| StoreError::Damaged(format!("tombstone {id} has no valid time")))?;
        out.push(Tombstone { id, erased_at });
    }
    Ok(out)
}

/// The values of one contact.
pub fn get(conn: &Connection, campaign: &str, id: &str) -> Result<Option<Contact>, StoreError> {
    Ok(conn
        .query_row("SELECT phone, email FROM contact WHERE campaign = ?1 AND id = ?2", [campaign, id], |r| {
            Ok(Contact { phone: r.get(0)?, email: r.get(1)? })
        })
        .optional()?)
}

/// Stores a row unless it is here already or tombstoned; returns whether it was stored.
pub fn insert(conn: &Connection, campaign: &str, row: &ContactRow) -> Result<bool, StoreError> {
    if tombstoned(conn, &row.id)? {
        return Ok(false);
    }
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO contact (id, campaign, premise, owner, phone, email, recorded_at, device)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let at = row.recorded_at.to_rfc3339();
    Ok(insert.execute(params![row.id, campaign, row.premise, row.owner, row.phone, row.email, at, row.device])? == 1)
}

fn tombstoned(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    let mut select = conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM contact_tombstone WHERE id = ?1)")?;
    Ok(select.query_row([id], |r| r.get(0))?)
}

/// Deletes a contact's values and keeps its tombstone; returns whether there were values here.
fn erase(conn: &Connection, campaign: &str, id: &str, at: DateTime<FixedOffset>) -> Result<bool, StoreError> {
    let deleted = conn.execute("DELETE FROM contact WHERE campaign = ?1 AND id = ?2", [campaign, id])?;
    conn.execute(
        "INSERT OR IGNORE INTO contact_tombstone (id, campaign, erased_at) VALUES (?1, ?2, ?3)",
        [id, campaign, &at.to_rfc3339()],
    )?;
    Ok(deleted > 0)
}

/// Which contacts stand, by the facts: a contact whose fact is known stands as the fold says (its
/// fact stands, and an earlier consent of its owner) and only for the premise and owner the fact
/// names; one whose fact has not arrived yet stands while a consent of its owner stands.
struct Standing {
    canvass: Canvass,
    /// Every contact id a known fact carries, with the premise and owner it names.
    known: BTreeMap<String, (String, Option<String>)>,
    standing: BTreeSet<String>,
    /// The premise and owner of every consent or contact a withdrawal here ended (`None`: every
    /// owner of the premise).
    withdrawn: BTreeSet<(String, Option<String>)>,
    /// Premise label to its index in the registry.
    premises: BTreeMap<String, usize>,
}

impl Standing {
    /// Folds the facts of `premises` only (and every withdrawal): a contact depends on no other.
    fn of<'a>(registry: &Registry, facts: impl Iterator<Item = &'a Fact>, premises: &BTreeSet<&str>) -> Standing {
        let relevant: Vec<Fact> = facts.filter(|f| f.premise().is_none_or(|p| premises.contains(p))).cloned().collect();
        let known = relevant
            .iter()
            .filter_map(|f| match &f.act {
                Act::Mark { contact: Some(id), premise, owner, .. } => {
                    Some((id.clone(), (premise.clone(), owner.clone())))
                }
                _ => None,
            })
            .collect();
        let cited: BTreeSet<&str> = relevant
            .iter()
            .filter_map(|f| match &f.act {
                Act::Withdraw { fact } => Some(fact.as_str()),
                _ => None,
            })
            .collect();
        let withdrawn = relevant
            .iter()
            .filter(|f| cited.contains(f.id.as_str()))
            .filter_map(|f| match &f.act {
                Act::Mark { premise, owner, outcome: Outcome::Consent | Outcome::Contact, .. } => {
                    Some((premise.clone(), owner.clone()))
                }
                _ => None,
            })
            .collect();
        let canvass = Canvass::fold(registry, relevant);
        let standing = canvass.premises.iter().flat_map(|p| p.contacts.iter().cloned()).collect();
        let premises = registry.premises.iter().enumerate().map(|(i, p)| (p.label.clone(), i)).collect();
        Standing { canvass, known, standing, withdrawn, premises }
    }

    /// Whether a withdrawal here ended this contact, now or at some time: it no longer stands, or
    /// a consent or contact of its owner was withdrawn (a device that erased it then keeps it
    /// erased though a later consent of the owner would let it stand again). A tombstone of a
    /// contact no withdrawal here ever touched is forged, or ahead of its facts.
    fn ended(&self, id: &str) -> bool {
        let Some((premise, owner)) = self.known.get(id) else { return false };
        !self.standing.contains(id)
            || self.withdrawn.contains(&(premise.clone(), owner.clone()))
            || self.withdrawn.contains(&(premise.clone(), None))
    }

    fn stands(&self, id: &str, premise: &str, owner: &str) -> bool {
        if let Some((p, o)) = self.known.get(id) {
            return self.standing.contains(id) && p == premise && o.as_deref() == Some(owner);
        }
        let status = self.premises.get(premise).map(|&p| &self.canvass.premises[p]);
        status.and_then(|s| s.owner(owner)).is_some_and(|o| o.consent)
    }
}

/// The ids of the rows here whose contact no longer stands.
pub fn fallen<'a>(
    conn: &Connection,
    campaign: &str,
    registry: &Registry,
    facts: impl Iterator<Item = &'a Fact>,
) -> Result<Vec<String>, StoreError> {
    let mut select = conn.prepare_cached("SELECT id, premise, owner FROM contact WHERE campaign = ?1")?;
    let held = select
        .query_map([campaign], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let premises = held.iter().map(|(_, premise, _)| premise.as_str()).collect();
    let standing = Standing::of(registry, facts, &premises);
    Ok(held
        .into_iter()
        .filter(|(id, premise, owner)| !standing.stands(id, premise, owner))
        .map(|(id, ..)| id)
        .collect())
}

/// Erases every row whose contact no longer stands; returns how many.
pub fn sweep<'a>(
    conn: &Connection,
    campaign: &str,
    registry: &Registry,
    facts: impl Iterator<Item = &'a Fact>,
    at: DateTime<FixedOffset>,
) -> Result<usize, StoreError> {
    let fallen = fallen(conn, campaign, registry, facts)?;
    for id in &fallen {
        erase(conn, campaign, id, at)?;
    }
    if !fallen.is_empty() {
        tracing::info!(count = fallen.len(), "contacts erased: their consent no longer stands");
    }
    Ok(fallen.len())
}

/// Applies a peer's message: its tombstones erase rows here and are kept, when the facts here end
/// their contact (a withdrawal of the contact or of its consent; others are ignored and counted);
/// its rows are taken unless tombstoned here or their contact does not stand here. Refuses a
/// malformed message whole.
pub fn apply<'a>(
    conn: &Connection,
    campaign: &str,
    registry: &Registry,
    facts: impl Iterator<Item = &'a Fact>,
    message: &ContactsMessage,
) -> Result<Applied, StoreError> {
    check(campaign, message)?;
    let facts: Vec<&Fact> = facts.collect();
    let cited: BTreeSet<&str> = message.tombstones.iter().map(|t| t.id.as_str()).collect();
    let mut premises: BTreeSet<&str> = message.rows.iter().map(|r| r.premise.as_str()).collect();
    premises.extend(facts.iter().filter_map(|f| match &f.act {
        Act::Mark { contact: Some(id), premise, .. } if cited.contains(id.as_str()) => Some(premise.as_str()),
        _ => None,
    }));
    let standing = Standing::of(registry, facts.iter().copied(), &premises);
    let mut applied = Applied::default();
    for tombstone in &message.tombstones {
        let ended = standing.ended(&tombstone.id);
        if !ended {
            applied.ignored += usize::from(!tombstoned(conn, &tombstone.id)?);
            continue;
        }
        applied.tombstones += usize::from(!tombstoned(conn, &tombstone.id)?);
        applied.erased += usize::from(erase(conn, campaign, &tombstone.id, tombstone.erased_at)?);
    }
    if applied.ignored > 0 {
        tracing::warn!(count = applied.ignored, "contact tombstones without a withdrawal here; ignored");
    }
    for row in &message.rows {
        if get(conn, campaign, &row.id)?.is_some() {
            continue;
        }
        if standing.stands(&row.id, &row.premise, &row.owner) && insert(conn, campaign, row)? {
            applied.added += 1;
        } else {
            applied.refused += 1;
        }
    }
    Ok(applied)
}

/// Refuses a message of another campaign, or one with a bad id, an empty or oversized field.
fn check(campaign: &str, message: &ContactsMessage) -> Result<(), StoreError> {
    if message.campaign != campaign {
        return Err(StoreError::ContactsOfAnotherCampaign { campaign: message.campaign.clone() });
    }
    let bad = |id: &str| StoreError::BadContacts { id: id.chars().take(40).collect() };
    let is_id = |id: &str| ulid::Ulid::from_string(id).is_ok();
    let fits = |s: &str| !s.trim().is_empty() && s.len() <= LONGEST;
    for tombstone in &message.tombstones {
        if !is_id(&tombstone.id) {
            return Err(bad(&tombstone.id));
        }
    }
    for row in &message.rows {
        let values = [&row.phone, &row.email].into_iter().flatten();
        let ok = is_id(&row.id)
            && [&row.premise, &row.owner, &row.device].iter().all(|s| fits(s))
            && (row.phone.is_some() || row.email.is_some())
            && values.into_iter().all(|v| fits(v));
        if !ok {
            return Err(bad(&row.id));
        }
    }
    Ok(())
}

/// Moves every page of the WAL into the database file and empties the WAL, so that erased values
/// (zeroed in the pages by `secure_delete`) are gone from both files. Only logs if readers keep it
/// from finishing: the values are deleted all the same, and the next erasure checkpoints again.
pub fn checkpoint(conn: &Connection) {
    let done = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0));
    match done {
        Ok(0) => {}
        Ok(_) => tracing::warn!("WAL checkpoint after an erasure was blocked by a reader"),
        Err(error) => tracing::warn!(%error, "WAL checkpoint after an erasure failed"),
    }
}
