//! The registry of owners (реестр собственников): premises, rooms of communal flats,
//! owners and how they hold each premise (`registry.csv`). Parsing checks
//! everything that can be checked row by row or premise by premise; the arithmetic of
//! votes lives in `weights`.

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;

use num_traits::{One, Zero};

use crate::error::{InputError, Problem};
use crate::number::{ShareError, Votes, parse_decimal, parse_share};
use crate::table::{Column, Row, Table};
pub mod check;
pub mod diff;
mod distinct;
pub mod import;
mod lookup;
pub mod since;
pub mod update;

use distinct::{distinct_labels, distinct_organisations, distinct_owner_ids, distinct_owners, distinct_rooms};
pub use lookup::{Found, Match};

/// What a premise is (the `kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PremiseKind {
    Flat,
    NonResidential,
    Parking,
    Storage,
}

impl PremiseKind {
    fn parse(text: &str) -> Option<Self> {
        crate::table::any_case(text, Self::parse_exact)
    }

    fn parse_exact(text: &str) -> Option<Self> {
        Some(match text.trim_end_matches('.') {
            "flat" | "кв" | "квартира" | "жилое" => PremiseKind::Flat,
            "nonresidential" | "нежилое" => PremiseKind::NonResidential,
            "parking" | "машино-место" | "машиноместо" => PremiseKind::Parking,
            "storage" | "кладовая" => PremiseKind::Storage,
            _ => return None,
        })
    }

    /// The code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            PremiseKind::Flat => "flat",
            PremiseKind::NonResidential => "nonresidential",
            PremiseKind::Parking => "parking",
            PremiseKind::Storage => "storage",
        }
    }

    /// What people call it.
    pub fn title(self, lang: crate::Lang) -> &'static str {
        match self {
            PremiseKind::Flat => lang.pick("квартира", "flat"),
            PremiseKind::NonResidential => lang.pick("нежилое помещение", "non-residential premise"),
            PremiseKind::Parking => lang.pick("машино-место", "parking space"),
            PremiseKind::Storage => lang.pick("кладовая", "storage room"),
        }
    }

    /// Residential premises (жилые) as opposed to non-residential ones, for the protocol.
    pub fn is_residential(self) -> bool {
        self == PremiseKind::Flat
    }
}

/// Who an owner is (the `owner_kind` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum OwnerKind {
    #[default]
    Person,
    Legal,
    Municipal,
    State,
}

impl OwnerKind {
    fn parse(text: &str) -> Option<Self> {
        crate::table::any_case(text, Self::parse_exact)
    }

    fn parse_exact(text: &str) -> Option<Self> {
        Some(match text {
            "" | "person" | "физлицо" | "физ. лицо" | "физическое лицо" => {
                OwnerKind::Person
            }
            "legal" | "юрлицо" | "юр. лицо" | "юридическое лицо" => OwnerKind::Legal,
            "municipal" | "муниципальная" => OwnerKind::Municipal,
            "state" | "государственная" => OwnerKind::State,
            _ => return None,
        })
    }

    /// The code used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            OwnerKind::Person => "person",
            OwnerKind::Legal => "legal",
            OwnerKind::Municipal => "municipal",
            OwnerKind::State => "state",
        }
    }

    /// Legal entities, the municipality and the state are each one owner who votes all
    /// their premises in the building with one answer per question (indivisible votes).
    pub fn votes_as_one(self) -> bool {
        self != OwnerKind::Person
    }
}

/// One owner as the registry names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub name: String,
    pub kind: OwnerKind,
    /// Title document (ЕГРН record), when given.
    pub document: Option<String>,
    /// Postal address for letters when it is not the premise itself.
    pub address: Option<String>,
    /// The identifier the organiser gives a person who owns several premises: rows with one
    /// `owner_id` are one owner for notices, forms and the count.
    pub id: Option<String>,
    /// A legal entity's ОГРН (13 digits, the last checked), when the registry gives it.
    pub ogrn: Option<String>,
    /// The registry line this owner comes from.
    pub line: u64,
}

/// Who an owner is across the building: the municipality, the state and a legal entity by name;
/// a person by the registry's `owner_id`, and without one by name within one premise only (two
/// people may share a name). One key is one owner: notified once, one decision form, one vote
/// of all its premises.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OwnerKey {
    Organisation(OwnerKind, String),
    Person(String),
    /// A person without an `owner_id`: the premise (an index into `Registry::premises`) and name.
    PersonAt(usize, String),
}

impl Owner {
    /// Who this owner of premise `premise` (an index into `Registry::premises`) is across the building.
    pub fn key(&self, premise: usize) -> OwnerKey {
        match (&self.id, self.kind) {
            (_, kind) if kind.votes_as_one() => OwnerKey::Organisation(kind, self.name.clone()),
            (Some(id), _) => OwnerKey::Person(id.clone()),
            (None, _) => OwnerKey::PersonAt(premise, self.name.clone()),
        }
    }

    /// Whether this owner may hold several premises of the building as one owner: an
    /// organisation, or a person the registry gives an `owner_id`.
    pub fn spans_premises(&self) -> bool {
        self.kind.votes_as_one() || self.id.is_some()
    }
}

/// The unit that votes inside a premise or room: one owner, or one joint group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// One owner, or every member of a joint group in registry order.
    pub owners: Vec<Owner>,
    /// The joint group's label, for joint ownership (общая совместная).
    pub joint: Option<String>,
    /// The fraction of the premise (or room) held; the whole of it when `None`.
    pub share: Option<Votes>,
}

impl Holder {
    /// The share as a number: 1 when the holder has the whole premise or room.
    pub fn fraction(&self) -> Votes {
        self.share.clone().unwrap_or_else(Votes::one)
    }
}

/// A room of a communal flat with its owners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub label: String,
    pub area: Votes,
    /// Empty when the room has no registered owner.
    pub holders: Vec<Holder>,
}

/// How a premise is held: as a whole, or room by room (a communal flat, ст.42 ЖК РФ).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Empty when the premise has no registered owner.
    Whole(Vec<Holder>),
    Rooms(Vec<Room>),
}

/// A premise of the building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Premise {
    /// The number as people say it: `12`, `Н-3`, `ММ-14`.
    pub label: String,
    pub kind: PremiseKind,
    pub area: Votes,
    pub entrance: Option<String>,
    pub floor: Option<i32>,
    pub layout: Layout,
    /// The first registry line of this premise.
    pub line: u64,
}

impl Premise {
    /// Every holder of the premise with the room it holds in, in registry order.
    pub fn holders(&self) -> Vec<(Option<&Room>, &Holder)> {
        match &self.layout {
            Layout::Whole(holders) => holders.iter().map(|h| (None, h)).collect(),
            Layout::Rooms(rooms) => rooms.iter().flat_map(|r| r.holders.iter().map(move |h| (Some(r), h))).collect(),
        }
    }

    /// Every owner of the premise once (each member of a joint group apart), in registry order.
    pub fn owners(&self) -> Vec<&Owner> {
        let mut owners: Vec<&Owner> = Vec::new();
        for (_, holder) in self.holders() {
            for owner in &holder.owners {
                if !owners.iter().any(|o| o.name == owner.name) {
                    owners.push(owner);
                }
            }
        }
        owners
    }

    /// Whether anyone holds any part of the premise.
    pub fn is_owned(&self) -> bool {
        match &self.layout {
            Layout::Whole(holders) => !holders.is_empty(),
            Layout::Rooms(rooms) => rooms.iter().any(|r| !r.holders.is_empty()),
        }
    }
}

/// The registry of a building.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Registry {
    pub premises: Vec<Premise>,
    /// Its version in the campaign and since when each owner is one (`since`); a registry read
    /// from a file is version 0 with every owner since then, until the campaign says otherwise.
    pub since: since::Since,
}

mod col {
    use crate::table::Column;
    macro_rules! columns {
        ($($id:ident = $en:literal / $ru:literal;)*) => {
            $(pub const $id: Column = Column { name: $en, ru: $ru };)*
        };
    }
    /// Every column, for finding the header row.
    pub const ALL: [Column; 15] = [
        PREMISE, KIND, AREA, ENTRANCE, FLOOR, ROOM, ROOM_AREA, OWNER, OWNER_KIND, SHARE, JOINT, DOCUMENT, ADDRESS,
        OWNER_ID, OGRN,
    ];
    columns! {
        PREMISE = "premise" / "помещение";
        KIND = "kind" / "тип";
        AREA = "area" / "площадь";
        ENTRANCE = "entrance" / "подъезд";
        FLOOR = "floor" / "этаж";
        ROOM = "room" / "комната";
        ROOM_AREA = "room_area" / "площадь_комнаты";
        OWNER = "owner" / "собственник";
        OWNER_KIND = "owner_kind" / "вид_собственника";
        SHARE = "share" / "доля";
        JOINT = "joint" / "совместная";
        DOCUMENT = "document" / "документ";
        ADDRESS = "address" / "адрес";
        OWNER_ID = "owner_id" / "id_собственника";
        OGRN = "ogrn" / "огрн";
    }
}

pub(crate) use col::{OWNER as OWNER_COLUMN, PREMISE as PREMISE_COLUMN};

/// Where each column sits in this file.
struct Columns {
    premise: usize,
    kind: usize,
    area: usize,
    entrance: Option<usize>,
    floor: Option<usize>,
    room: Option<usize>,
    room_area: Option<usize>,
    owner: Option<usize>,
    owner_kind: Option<usize>,
    share: Option<usize>,
    joint: Option<usize>,
    document: Option<usize>,
    address: Option<usize>,
    owner_id: Option<usize>,
    ogrn: Option<usize>,
}

impl Columns {
    fn locate(table: &Table) -> Result<Self, InputError> {
        let columns = Columns {
            premise: table.require(col::PREMISE)?,
            kind: table.require(col::KIND)?,
            area: table.require(col::AREA)?,
            entrance: table.find(col::ENTRANCE)?,
            floor: table.find(col::FLOOR)?,
            room: table.find(col::ROOM)?,
            room_area: table.find(col::ROOM_AREA)?,
            owner: table.find(col::OWNER)?,
            owner_kind: table.find(col::OWNER_KIND)?,
            share: table.find(col::SHARE)?,
            joint: table.find(col::JOINT)?,
            document: table.find(col::DOCUMENT)?,
            address: table.find(col::ADDRESS)?,
            owner_id: table.find(col::OWNER_ID)?,
            ogrn: table.find(col::OGRN)?,
        };
        if columns.room.is_some() && columns.room_area.is_none() {
            return Err(table.error(table.header_line, Problem::MissingColumn(col::ROOM_AREA.name)));
        }
        Ok(columns)
    }
}

/// The owner fields of one registry row, borrowed from the file.
struct OwnerRow<'a> {
    name: &'a str,
    kind: OwnerKind,
    document: Option<&'a str>,
    address: Option<&'a str>,
    id: Option<&'a str>,
    ogrn: Option<&'a str>,
}

/// One registry row, with every field checked on its own.
struct Entry<'a> {
    line: u64,
    premise: &'a str,
    kind: PremiseKind,
    area: Votes,
    entrance: Option<&'a str>,
    floor: Option<i32>,
    room: Option<(&'a str, Votes)>,
    owner: Option<OwnerRow<'a>>,
    share: Option<Votes>,
    joint: Option<&'a str>,
}

/// The largest area of a premise or room, m²: a premise of a residential building is far smaller,
/// so a larger figure is a typo that would take over the count.
pub const MAX_AREA: u32 = 100_000;

fn positive(table: &Table, line: u64, column: Column, text: &str) -> Result<Votes, InputError> {
    if text.is_empty() {
        return Err(table.error(line, Problem::MissingValue(column.name)));
    }
    if text.starts_with('-') && parse_decimal(&text[1..]).is_some() {
        return Err(table.error(line, Problem::NotPositive { column: column.name, value: text.into() }));
    }
    let value = parse_decimal(text)
        .ok_or_else(|| table.error(line, Problem::NotANumber { column: column.name, value: text.into() }))?;
    if value.is_zero() {
        return Err(table.error(line, Problem::NotPositive { column: column.name, value: text.into() }));
    }
    if value > Votes::from_integer(MAX_AREA.into()) {
        return Err(table.error(line, Problem::TooLarge { column: column.name, value: text.into() }));
    }
    Ok(value)
}

fn entry<'a>(table: &Table, c: &Columns, row: &'a Row) -> Result<Entry<'a>, InputError> {
    let line = row.line;
    let err = |p| table.error(line, p);
    let premise = row.get(Some(c.premise));
    if premise.is_empty() {
        return Err(err(Problem::MissingValue(col::PREMISE.name)));
    }
    let kind_text = row.get(Some(c.kind));
    if kind_text.is_empty() {
        return Err(err(Problem::MissingValue(col::KIND.name)));
    }
    let kind = PremiseKind::parse(kind_text).ok_or_else(|| err(Problem::UnknownKind(kind_text.into())))?;
    let area = positive(table, line, col::AREA, row.get(Some(c.area)))?;
    let floor = match row.opt(c.floor) {
        None => None,
        Some(f) => Some(f.parse().map_err(|_| err(Problem::NotANumber { column: col::FLOOR.name, value: f.into() }))?),
    };
    let room = match row.opt(c.room) {
        None => None,
        Some(label) => Some((label, positive(table, line, col::ROOM_AREA, row.get(c.room_area))?)),
    };
    let kind_text = row.get(c.owner_kind);
    let owner_kind = OwnerKind::parse(kind_text).ok_or_else(|| err(Problem::UnknownOwnerKind(kind_text.into())))?;
    let ogrn = row.opt(c.ogrn);
    if let Some(ogrn) = ogrn {
        if !owner_kind.votes_as_one() {
            return Err(err(Problem::OgrnOfPerson(ogrn.into())));
        }
        if !valid_ogrn(ogrn) {
            return Err(err(Problem::BadOgrn(ogrn.into())));
        }
    }
    let owner = row.opt(c.owner).map(|name| OwnerRow {
        name,
        kind: owner_kind,
        document: row.opt(c.document),
        address: row.opt(c.address),
        id: row.opt(c.owner_id),
        ogrn,
    });
    let share = match row.opt(c.share) {
        None => None,
        Some(text) => Some(parse_share(text).map_err(|e| match e {
            ShareError::NotAFraction => err(Problem::NotAFraction(text.into())),
            ShareError::NotPositive => err(Problem::ZeroShare(text.into())),
        })?),
    };
    Ok(Entry {
        line,
        premise,
        kind,
        area,
        entrance: row.opt(c.entrance),
        floor,
        room,
        owner,
        share,
        joint: row.opt(c.joint),
    })
}

impl Registry {
    /// Parses `registry.csv`. `file` names the file in messages.
    pub fn parse(file: &str, reader: impl Read) -> Result<Registry, InputError> {
        Registry::read(file, reader).map(|(registry, _)| registry)
    }

    /// Parses a registry in any format `table` reads (CSV, XLSX, ODS), with what is worth saying
    /// about how it was read (its encoding, the sheet and row of its header).
    pub fn read(file: &str, reader: impl Read) -> Result<(Registry, Vec<crate::table::Notice>), InputError> {
        let table = Table::read(file, reader, &crate::table::names(&col::ALL))?;
        let columns = Columns::locate(&table)?;
        let entries = table.rows.iter().map(|row| entry(&table, &columns, row)).collect::<Result<Vec<_>, _>>()?;
        let mut order: Vec<&str> = Vec::new();
        let mut groups: HashMap<&str, Vec<&Entry>> = HashMap::default();
        for e in &entries {
            groups.entry(e.premise).or_insert_with(|| {
                order.push(e.premise);
                Vec::new()
            });
            groups.get_mut(e.premise).expect("just inserted").push(e);
        }
        if order.is_empty() {
            return Err(table.error(table.header_line, Problem::NoPremises));
        }
        distinct_labels(&table, &order, &groups)?;
        distinct_organisations(&table, &entries)?;
        distinct_owner_ids(&table, &entries)?;
        let premises: Vec<Premise> =
            order.iter().map(|label| premise(&table, &groups[label])).collect::<Result<_, _>>()?;
        if !premises.iter().any(Premise::is_owned) {
            return Err(table.error(table.header_line, Problem::NoOwners));
        }
        Ok((Registry { premises, since: since::Since::default() }, table.notices))
    }

    /// The registry file as text a campaign keeps: a text file decoded as it is (its lines stay
    /// the lines of messages), a workbook's registry table written as CSV.
    pub fn text(file: &str, bytes: &[u8]) -> Result<String, InputError> {
        if !crate::table::source::is_workbook(bytes) {
            return crate::table::source::decode(file, bytes).map(|(text, _)| text);
        }
        Ok(Table::read(file, bytes, &crate::table::names(&col::ALL))?.to_csv())
    }

    /// Finds a premise by its label.
    pub fn premise(&self, label: &str) -> Option<&Premise> {
        self.premises.iter().find(|p| p.label == label)
    }
}

/// Checks that a value is the same on every row of a premise (or room).
fn same<'e, 'a: 'e, T: PartialEq + 'e>(
    table: &Table,
    premise: &str,
    column: Column,
    rows: &[&'e Entry<'a>],
    get: impl Fn(&'e Entry<'a>) -> T,
) -> Result<(), InputError> {
    let first = get(rows[0]);
    match rows.iter().find(|e| get(e) != first) {
        Some(e) => Err(table.error(
            e.line,
            Problem::Differs { premise: premise.into(), column: column.name, first_line: rows[0].line },
        )),
        None => Ok(()),
    }
}

fn premise(table: &Table, rows: &[&Entry]) -> Result<Premise, InputError> {
    let first = rows[0];
    let label = first.premise;
    same(table, label, col::KIND, rows, |e| e.kind)?;
    same(table, label, col::AREA, rows, |e| &e.area)?;
    let with_entrance: Vec<_> = rows.iter().copied().filter(|e| e.entrance.is_some()).collect();
    if !with_entrance.is_empty() {
        same(table, label, col::ENTRANCE, &with_entrance, |e| e.entrance)?;
    }
    let with_floor: Vec<_> = rows.iter().copied().filter(|e| e.floor.is_some()).collect();
    if !with_floor.is_empty() {
        same(table, label, col::FLOOR, &with_floor, |e| e.floor)?;
    }
    distinct_owners(table, label, rows)?;
    if let Some(other) = rows.iter().find(|e| e.room.is_some() != first.room.is_some()) {
        return Err(table.error(other.line, Problem::MixedRooms { premise: label.into(), other_line: first.line }));
    }
    let layout = if first.room.is_some() {
        Layout::Rooms(rooms(table, label, &first.area, rows)?)
    } else {
        Layout::Whole(holders(table, label, None, rows)?)
    };
    Ok(Premise {
        label: label.to_owned(),
        kind: first.kind,
        area: first.area.clone(),
        entrance: with_entrance.first().and_then(|e| e.entrance).map(str::to_owned),
        floor: with_floor.first().and_then(|e| e.floor),
        layout,
        line: first.line,
    })
}

fn rooms(table: &Table, premise: &str, area: &Votes, rows: &[&Entry]) -> Result<Vec<Room>, InputError> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_room: HashMap<&str, Vec<&Entry>> = HashMap::default();
    for e in rows {
        let (room, _) = e.room.as_ref().expect("checked: every row has a room");
        by_room.entry(room).or_insert_with(|| {
            order.push(room);
            Vec::new()
        });
        by_room.get_mut(room).expect("just inserted").push(e);
    }
    distinct_rooms(table, premise, &order, &by_room)?;
    let mut rooms = Vec::with_capacity(order.len());
    for label in order {
        let rows = &by_room[label];
        same(table, premise, col::ROOM_AREA, rows, |e| e.room.as_ref().map(|r| &r.1))?;
        let room_area = rows[0].room.as_ref().expect("room row").1.clone();
        rooms.push(Room {
            label: label.to_owned(),
            area: room_area,
            holders: holders(table, premise, Some(label), rows)?,
        });
    }
    let sum: Votes = rooms.iter().map(|r| &r.area).sum();
    if &sum > area {
        return Err(table.error(
            rows[0].line,
            Problem::RoomsExceedFlat { premise: premise.into(), rooms: sum, area: area.clone() },
        ));
    }
    Ok(rooms)
}

/// Groups the rows of one premise (or room) into holders: single owners and joint groups.
fn holders(table: &Table, premise: &str, room: Option<&str>, rows: &[&Entry]) -> Result<Vec<Holder>, InputError> {
    if rows.len() == 1 && rows[0].owner.is_none() {
        return Ok(Vec::new());
    }
    let mut holders: Vec<Holder> = Vec::new();
    let mut seen: HashMap<(OwnerKind, &str), u64> = HashMap::default();
    let mut share_lines: HashMap<usize, u64> = HashMap::default();
    for e in rows {
        let row =
            e.owner.as_ref().ok_or_else(|| table.error(e.line, Problem::EmptyOwner { premise: premise.into() }))?;
        if let Some(other_line) = seen.insert((row.kind, row.name), e.line) {
            return Err(table.error(
                e.line,
                Problem::DuplicateOwner { premise: premise.into(), owner: row.name.into(), other_line },
            ));
        }
        let owner = Owner {
            name: row.name.to_owned(),
            kind: row.kind,
            document: row.document.map(str::to_owned),
            address: row.address.map(str::to_owned),
            id: row.id.map(str::to_owned),
            ogrn: row.ogrn.map(str::to_owned),
            line: e.line,
        };
        let group = e.joint.and_then(|label| holders.iter().position(|h| h.joint.as_deref() == Some(label)));
        match group {
            Some(index) => {
                let holder = &mut holders[index];
                let first = &holder.owners[0];
                if first.kind != owner.kind {
                    let joint = e.joint.unwrap_or_default().to_owned();
                    let problem = Problem::JointKindsDiffer { premise: premise.into(), joint, other_line: first.line };
                    return Err(table.error(e.line, problem));
                }
                holder.owners.push(owner);
                if let Some(share) = &e.share {
                    match &holder.share {
                        Some(existing) if existing != share => {
                            return Err(table.error(
                                e.line,
                                Problem::Differs {
                                    premise: premise.into(),
                                    column: col::SHARE.name,
                                    first_line: share_lines[&index],
                                },
                            ));
                        }
                        Some(_) => {}
                        None => {
                            holder.share = Some(share.clone());
                            share_lines.insert(index, e.line);
                        }
                    }
                }
            }
            None => {
                if e.share.is_some() {
                    share_lines.insert(holders.len(), e.line);
                }
                holders.push(Holder { owners: vec![owner], joint: e.joint.map(str::to_owned), share: e.share.clone() });
            }
        }
    }
    let sum: Votes = holders.iter().map(Holder::fraction).sum();
    if sum > Votes::one() {
        return Err(table.error(
            rows[0].line,
            Problem::SharesOverOne {
                premise: premise.into(),
                room: room.map(str::to_owned),
                sum: crate::number::exact(&sum),
            },
        ));
    }
    Ok(holders)
}

/// Checks an ОГРН: 13 digits, the last the remainder of the first twelve (as a number) divided
/// by 11, taken modulo 10.
fn valid_ogrn(text: &str) -> bool {
    if text.len() != 13 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let number: u64 = text[..12].parse().unwrap_or_default();
    text.as_bytes()[12] - b'0' == (number % 11 % 10) as u8
}

#[cfg(test)]
mod ogrn_tests {
    #[test]
    fn an_ogrn_is_checked_by_its_last_digit() {
        assert!(super::valid_ogrn("1027700132195"));
        assert!(!super::valid_ogrn("1027700132194"));
        assert!(!super::valid_ogrn("102770013219"));
        assert!(!super::valid_ogrn("10277001321a5"));
    }
}
