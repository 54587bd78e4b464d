//! Who each row of a business-service order is for. The order has no premise column: an owner
//! written to at the building is found by `room-to` (the premise) and the name, one written to at
//! its own address by the name (and the address, when two such owners share a name).

use std::collections::HashMap;

use obhod_core::text::fold;
use obhod_core::{InputError, Owner, Problem, Registry, Tracking};

use super::address::{Parts, split_address};
use super::read::{ListedLetter, Rows, column, columns, tracking};
use super::{BARCODE_COLUMN, OTPRAVKA_COLUMNS};

/// The columns an order row is identified by: the address in parts, then the name.
const IDENTITY: [&str; 9] = [
    OTPRAVKA_COLUMNS[0],
    OTPRAVKA_COLUMNS[1],
    OTPRAVKA_COLUMNS[2],
    OTPRAVKA_COLUMNS[3],
    OTPRAVKA_COLUMNS[4],
    OTPRAVKA_COLUMNS[5],
    OTPRAVKA_COLUMNS[6],
    OTPRAVKA_COLUMNS[7],
    OTPRAVKA_COLUMNS[8],
];

/// Whether a row is the header of an order: it names the room and the surname columns.
pub(super) fn is_order_header(row: &[String]) -> bool {
    column(row, OTPRAVKA_COLUMNS[5]).is_some() && column(row, OTPRAVKA_COLUMNS[6]).is_some()
}

/// The premise (an index into the registry) and the owner's registry name.
type Holding = (usize, String);

/// Who a row is for.
enum Found {
    Premise(Holding),
    /// An owner written to at its own address: all its premises, in registry order.
    Own(Vec<Holding>),
}

/// The registry's owners by folded name, each with the premise it owns, in registry order.
type Named<'r> = HashMap<String, Vec<(usize, &'r Owner)>>;

fn named(registry: &Registry) -> Named<'_> {
    let mut named: Named = HashMap::new();
    for (i, premise) in registry.premises.iter().enumerate() {
        for owner in premise.owners() {
            named.entry(fold(&owner.name)).or_default().push((i, owner));
        }
    }
    named
}

/// The rows of one owner written to at its own address: identical but for the tracking number.
struct Group {
    members: Vec<Holding>,
    rows: Vec<(u64, Option<Tracking>)>,
}

pub(super) fn read_order(
    file: &str,
    rows: &Rows,
    header: usize,
    registry: &Registry,
    due: &dyn Fn(usize, &str) -> bool,
) -> Result<Vec<ListedLetter>, InputError> {
    let identity = columns(file, &rows[header], IDENTITY)?;
    let barcode = column(&rows[header].1, BARCODE_COLUMN);
    let named = named(registry);
    let mut letters = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (line, row) in &rows[header + 1..] {
        if row.iter().all(String::is_empty) {
            continue;
        }
        let at = |problem| InputError::at(file, *line, problem);
        let cell = |i: usize| row.get(i).map_or("", |c| c.trim());
        let (name, parts) = addressee(identity.map(cell));
        if name.is_empty() {
            return Err(at(Problem::MissingValue(OTPRAVKA_COLUMNS[6])));
        }
        let found = identify(registry, &named, &name, &parts).map_err(|p| at(*p))?;
        let tracking = tracking(barcode.map_or("", cell)).map_err(|p| at(*p))?;
        match found {
            Found::Premise((premise, owner)) => {
                let premise = registry.premises[premise].label.clone();
                letters.push(ListedLetter { premise, owner, tracking, line: *line });
            }
            Found::Own(members) => match groups.iter_mut().find(|g| g.members == members) {
                Some(group) => group.rows.push((*line, tracking)),
                None => groups.push(Group { members, rows: vec![(*line, tracking)] }),
            },
        }
    }
    for group in groups {
        letters.extend(assign(file, registry, group, due)?);
    }
    letters.sort_by_key(|l| l.line);
    Ok(letters)
}

/// The name and the address of a row, from the cells of [`IDENTITY`].
fn addressee(cells: [&str; 9]) -> (String, Parts) {
    let [index, region, place, street, house, room, surname, given, middle] = cells;
    let name = [surname, given, middle].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    let parts = Parts {
        index: index.into(),
        region: region.into(),
        place: place.into(),
        street: street.into(),
        house: house.into(),
        room: room.into(),
    };
    (name, parts)
}

fn identify(registry: &Registry, named: &Named, name: &str, parts: &Parts) -> Result<Found, Box<Problem>> {
    let owners = named.get(&fold(name)).map_or(&[][..], Vec::as_slice);
    let room = (!parts.room.is_empty()).then(|| registry.find(&parts.room)).flatten();
    let at_building = owners.iter().find(|(p, o)| Some(*p) == room && o.address.is_none());
    if let Some((premise, owner)) = at_building {
        return Ok(Found::Premise((*premise, owner.name.clone())));
    }
    let own: Vec<(usize, &Owner)> = owners.iter().filter(|(_, o)| o.address.is_some()).copied().collect();
    if !own.is_empty() {
        return at_address(own, name, parts).map(Found::Own);
    }
    Err(Box::new(match room {
        Some(premise) => {
            Problem::UnknownOwner { premise: registry.premises[premise].label.clone(), owner: name.into() }
        }
        None if owners.is_empty() => Problem::UnknownAddressee(name.into()),
        None if parts.room.is_empty() => Problem::MissingValue(OTPRAVKA_COLUMNS[5]),
        None => Problem::UnknownPremise(parts.room.clone()),
    }))
}

/// The premises of the owner named so with its own address; of the one whose address is the
/// row's, when owners of one name have different addresses.
fn at_address(own: Vec<(usize, &Owner)>, name: &str, parts: &Parts) -> Result<Vec<Holding>, Box<Problem>> {
    let address = |o: &Owner| fold(o.address.as_deref().unwrap_or_default());
    let first = address(own[0].1);
    let own = if own.iter().all(|(_, o)| address(o) == first) {
        own
    } else {
        let row = folded(parts);
        let own: Vec<_> = own
            .into_iter()
            .filter(|(_, o)| folded(&split_address(o.address.as_deref().unwrap_or_default())) == row)
            .collect();
        match own.first() {
            Some((_, o)) if own.iter().all(|(_, other)| address(other) == address(o)) => own,
            _ => return Err(Box::new(Problem::UnknownAddressee(name.into()))),
        }
    };
    Ok(own.into_iter().map(|(premise, o)| (premise, o.name.clone())).collect())
}

fn folded(parts: &Parts) -> [String; 6] {
    [&parts.index, &parts.region, &parts.place, &parts.street, &parts.house, &parts.room].map(|p| fold(p))
}

/// The rows of a group given to its premises in registry order: to all of them, or to those whose
/// letters are due when the rows are as many.
fn assign(
    file: &str,
    registry: &Registry,
    group: Group,
    due: &dyn Fn(usize, &str) -> bool,
) -> Result<Vec<ListedLetter>, InputError> {
    let Group { members, rows } = group;
    let members = if rows.len() == members.len() {
        members
    } else {
        let pending: Vec<Holding> = members.iter().filter(|(p, o)| due(*p, o)).cloned().collect();
        if pending.len() != rows.len() {
            let label = |p: usize| registry.premises[p].label.clone();
            let (owner, first) = (members[0].1.clone(), rows[0].0);
            let problem = match members.len() {
                1 => Problem::DuplicateLetter { premise: label(members[0].0), owner, other_line: first },
                _ => Problem::AmbiguousLetters {
                    owner,
                    premises: members.iter().map(|(p, _)| label(*p)).collect(),
                    rows: rows.len(),
                    due: pending.len(),
                },
            };
            let line = if members.len() == 1 { rows[1].0 } else { first };
            return Err(InputError::at(file, line, problem));
        }
        pending
    };
    Ok(members
        .into_iter()
        .zip(rows)
        .map(|((premise, owner), (line, tracking))| ListedLetter {
            premise: registry.premises[premise].label.clone(),
            owner,
            tracking,
            line,
        })
        .collect())
}
