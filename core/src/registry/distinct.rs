//! Identities a reader must be able to tell apart: premise labels, the owners of one premise
//! (and one name as one kind of owner), the rooms of one communal flat.

use rustc_hash::FxHashMap as HashMap;

use super::{Entry, OwnerKind};
use crate::error::{InputError, Problem};
use crate::table::Table;
use crate::text::fold;

/// Refuses two premise labels a reader could not tell apart: equal but for case, spaces
/// around, or Latin letters that look like Cyrillic ones.
pub(super) fn distinct_labels(
    table: &Table,
    order: &[&str],
    groups: &HashMap<&str, Vec<&Entry>>,
) -> Result<(), InputError> {
    let mut seen: HashMap<String, &str> = HashMap::default();
    for &label in order {
        if let Some(other) = seen.insert(fold(label), label) {
            let problem = Problem::LookAlikePremises {
                premise: label.into(),
                other: other.into(),
                other_line: groups[other][0].line,
            };
            return Err(table.error(groups[label][0].line, problem));
        }
    }
    Ok(())
}

/// Refuses two owners of one premise a reader could not tell apart (names equal once folded
/// but written differently), and one name as two kinds of owner (a person and a company).
pub(super) fn distinct_owners(table: &Table, premise: &str, rows: &[&Entry]) -> Result<(), InputError> {
    let mut seen: HashMap<String, (&str, OwnerKind, u64)> = HashMap::default();
    for e in rows {
        let Some(row) = &e.owner else { continue };
        let &mut (other, kind, other_line) = seen.entry(fold(row.name)).or_insert((row.name, row.kind, e.line));
        if other_line == e.line {
            continue;
        }
        let (premise, owner) = (premise.to_owned(), row.name.to_owned());
        if other != row.name {
            let problem = Problem::LookAlikeOwners { premise, owner, other: other.into(), other_line };
            return Err(table.error(e.line, problem));
        }
        if kind != row.kind {
            return Err(table.error(e.line, Problem::OwnerKindsDiffer { premise, owner, other_line }));
        }
    }
    Ok(())
}

/// Refuses two rooms of one communal flat whose labels a reader could not tell apart.
pub(super) fn distinct_rooms(
    table: &Table,
    premise: &str,
    order: &[&str],
    by_room: &HashMap<&str, Vec<&Entry>>,
) -> Result<(), InputError> {
    let mut folded: HashMap<String, &str> = HashMap::default();
    for &label in order {
        if let Some(other) = folded.insert(fold(label), label) {
            let (room, other_line) = (label.to_owned(), by_room[other][0].line);
            let problem = Problem::LookAlikeRooms { premise: premise.into(), room, other: other.into(), other_line };
            return Err(table.error(by_room[label][0].line, problem));
        }
    }
    Ok(())
}

/// Refuses one organisation written two ways across the building (`OOO Ромашка` with Latin
/// O's beside `ООО Ромашка`): the municipality, the state and a legal entity vote all their
/// premises as one owner, so a spelling nobody can see must not split them in two.
pub(super) fn distinct_organisations(table: &Table, entries: &[Entry]) -> Result<(), InputError> {
    let mut seen: HashMap<(OwnerKind, String), (&str, u64)> = HashMap::default();
    for e in entries {
        let Some(row) = e.owner.as_ref().filter(|o| o.kind.votes_as_one()) else { continue };
        let &mut (other, other_line) = seen.entry((row.kind, fold(row.name))).or_insert((row.name, e.line));
        if other != row.name {
            let (premise, owner) = (e.premise.to_owned(), row.name.to_owned());
            return Err(
                table.error(e.line, Problem::LookAlikeOwners { premise, owner, other: other.into(), other_line })
            );
        }
    }
    Ok(())
}

/// Refuses one `owner_id` on rows of different names or kinds of owner: the rows of one id are
/// one owner, so a name typed two ways (or an id copied onto the wrong row) would merge two people.
pub(super) fn distinct_owner_ids(table: &Table, entries: &[Entry]) -> Result<(), InputError> {
    let mut seen: HashMap<&str, (&str, OwnerKind, u64)> = HashMap::default();
    for e in entries {
        let Some(row) = e.owner.as_ref() else { continue };
        let Some(id) = row.id else { continue };
        let &mut (name, kind, other_line) = seen.entry(id).or_insert((row.name, row.kind, e.line));
        if name != row.name || kind != row.kind {
            let problem =
                Problem::OwnerIdNames { id: id.into(), owner: row.name.into(), other: name.into(), other_line };
            return Err(table.error(e.line, problem));
        }
    }
    Ok(())
}
