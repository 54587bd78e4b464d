//! `registry import`: obhod's registry written from what the organiser has. A register in a
//! workbook or CSV with its own headers (the Moscow sample register, a managing company's export,
//! the registration sheet) is mapped to obhod's columns by the usual names and `--map`; a premise
//! written once above its owners is filled down; tenants and registered residents are left out.
//! ЕГРН extracts in XML are read by `egrn`. The result is checked as a registry before anything
//! is written, its errors pointing at the source's own rows.

use crate::error::{InputError, Problem};
use crate::registry::Registry;
use crate::table::{Source, Table, header_key};

pub mod egrn;

/// What obhod's registry has, and the two things a register says that decide a row: whether it is
/// an owner's and what kind of ownership it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Premise,
    Kind,
    Area,
    Entrance,
    Floor,
    Room,
    RoomArea,
    Owner,
    OwnerKind,
    Share,
    Joint,
    Document,
    Address,
    OwnerId,
    Ogrn,
    /// Whether the row is an owner's (`is_owner`, «статус»): tenants and residents are not.
    IsOwner,
    /// «Вид собственности»: sole, shared, joint, municipal, state.
    Ownership,
}

/// obhod's columns in the order `registry.csv` has them.
pub const COLUMNS: [Field; 15] = [
    Field::Premise,
    Field::Kind,
    Field::Area,
    Field::Entrance,
    Field::Floor,
    Field::Room,
    Field::RoomArea,
    Field::Owner,
    Field::OwnerKind,
    Field::Share,
    Field::Joint,
    Field::Document,
    Field::Address,
    Field::OwnerId,
    Field::Ogrn,
];

const ALL: [Field; 17] = [
    Field::Premise,
    Field::Kind,
    Field::Area,
    Field::Entrance,
    Field::Floor,
    Field::Room,
    Field::RoomArea,
    Field::Owner,
    Field::OwnerKind,
    Field::Share,
    Field::Joint,
    Field::Document,
    Field::Address,
    Field::OwnerId,
    Field::Ogrn,
    Field::IsOwner,
    Field::Ownership,
];

impl Field {
    /// The name in `registry.csv` and in `--map`.
    pub fn name(self) -> &'static str {
        match self {
            Field::Premise => "premise",
            Field::Kind => "kind",
            Field::Area => "area",
            Field::Entrance => "entrance",
            Field::Floor => "floor",
            Field::Room => "room",
            Field::RoomArea => "room_area",
            Field::Owner => "owner",
            Field::OwnerKind => "owner_kind",
            Field::Share => "share",
            Field::Joint => "joint",
            Field::Document => "document",
            Field::Address => "address",
            Field::OwnerId => "owner_id",
            Field::Ogrn => "ogrn",
            Field::IsOwner => "is_owner",
            Field::Ownership => "ownership",
        }
    }

    pub fn parse(name: &str) -> Option<Field> {
        ALL.into_iter().find(|f| f.name() == name.trim())
    }

    /// The headers registers use for this field, as written (compared by `header_key`).
    fn headers(self) -> &'static [&'static str] {
        match self {
            Field::Premise => &[
                "помещение",
                "№ кв.",
                "N кв.",
                "№ квартиры",
                "номер квартиры",
                "квартира",
                "кв.",
                "№ помещения",
                "номер помещения",
                "N кв., помещения",
                "№ кв., помещения",
                "номер квартиры (помещения)",
                "№ квартиры (помещения)",
                "номер помещения (квартиры)",
            ],
            Field::Kind => &["тип", "тип помещения", "вид помещения", "назначение", "назначение помещения"],
            Field::Area => &[
                "площадь",
                "общая площадь",
                "общая площадь помещения",
                "площадь помещения",
                "площадь, м2",
                "площадь, кв. м",
                "общая площадь, кв. м",
                "общая площадь помещения, кв. м",
                "площадь помещения, кв. м",
                "площадь, м²",
            ],
            Field::Entrance => &["подъезд", "№ подъезда"],
            Field::Floor => &["этаж"],
            Field::Room => &["комната", "№ комнаты"],
            Field::RoomArea => &["площадь комнаты"],
            Field::Owner => &[
                "собственник",
                "ФИО собственника",
                "ФИО",
                "собственник (ФИО)",
                "ФИО / наименование собственника",
                "ФИО (наименование) собственника",
                "наименование собственника",
                "ФИО собственника (наименование юридического лица)",
                "правообладатель",
                "собственник помещения",
            ],
            Field::OwnerKind => &["вид собственника", "тип собственника"],
            Field::Share => {
                &["доля", "доля в праве", "размер доли", "доля в праве собственности", "доля собственности"]
            }
            Field::Joint => &["совместная"],
            Field::Document => &[
                "документ",
                "документ, подтверждающий право собственности",
                "документ подтверждающий право собственности",
                "правоустанавливающий документ",
                "реквизиты документа",
                "номер и дата регистрации права",
                "сведения о документе, подтверждающем право собственности",
                "номер регистрации права",
            ],
            Field::Address => &["адрес", "почтовый адрес", "адрес для уведомлений", "адрес для корреспонденции"],
            Field::OwnerId => &["id собственника"],
            Field::Ogrn => &["огрн"],
            Field::IsOwner => {
                &["собственник?", "является собственником", "статус", "отношение к помещению", "категория"]
            }
            Field::Ownership => &["вид собственности", "вид права", "форма собственности", "вид права собственности"],
        }
    }
}

/// Where a row of the written registry comes from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub sheet: Option<String>,
    pub line: Option<u64>,
}

/// One row of the registry to write: obhod's columns in `COLUMNS` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub place: Place,
    pub cells: [String; 15],
}

impl Draft {
    fn new(place: Place) -> Draft {
        Draft { place, cells: Default::default() }
    }

    pub fn get(&self, field: Field) -> &str {
        COLUMNS.iter().position(|&f| f == field).map_or("", |i| self.cells[i].as_str())
    }

    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        if let Some(i) = COLUMNS.iter().position(|&f| f == field) {
            self.cells[i] = value.into();
        }
    }
}

/// What an import did, for the organiser to check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// (file, field, header) of every column mapped.
    pub mapped: Vec<(String, Field, String)>,
    /// (file, header) of the columns left out.
    pub ignored: Vec<(String, String)>,
    /// Rows whose premise (and its area, kind…) was taken from the row above.
    pub filled: usize,
    /// Rows left out as not an owner's (tenants, registered residents).
    pub not_owners: usize,
    /// Premises whose kind was taken from their number (no kind column): `Н-1` is non-residential.
    pub kinds_guessed: usize,
    /// Owners whose kind was taken from their name (no owner-kind column): `ООО …` is legal.
    pub owner_kinds_guessed: usize,
    /// ЕГРН extracts read.
    pub extracts: usize,
    /// Premises of the extracts left out as common property of the building.
    pub common: Vec<String>,
    /// Premises given an entrance by `--entrances`.
    pub entrances: usize,
    /// How the files were read.
    pub notices: Vec<crate::table::Notice>,
}

/// The rows of a register in a workbook or CSV, mapped by `maps` ((field, header) pairs) and the
/// usual headers.
pub fn sheet(
    file: &str,
    bytes: &[u8],
    maps: &[(Field, String)],
    report: &mut Report,
) -> Result<Vec<Draft>, InputError> {
    let mut known: Vec<&str> = ALL.iter().flat_map(|f| f.headers().iter().copied()).collect();
    known.extend(COLUMNS.iter().map(|f| f.name()));
    known.extend(maps.iter().map(|(_, h)| h.as_str()));
    let table = Table::find_in(file, Source::read(file, bytes)?, &known)?;
    report.notices.extend(table.notices.iter().cloned());
    let columns = map_columns(&table, maps)?;
    for (header, index) in table.headers() {
        match columns.iter().find(|(_, i)| *i == index) {
            Some((field, _)) => report.mapped.push((file.to_owned(), *field, header.to_owned())),
            None if !header.is_empty() => report.ignored.push((file.to_owned(), header.to_owned())),
            None => {}
        }
    }
    let column = |field: Field| columns.iter().find(|(f, _)| *f == field).map(|&(_, i)| i);
    if column(Field::Premise).is_none() {
        return Err(table.error(table.header_line, Problem::ImportColumnMissing(Field::Premise.name())));
    }
    if column(Field::Area).is_none() {
        return Err(table.error(table.header_line, Problem::ImportColumnMissing(Field::Area.name())));
    }
    let mut drafts: Vec<Draft> = Vec::new();
    let mut above: Option<Draft> = None;
    for row in &table.rows {
        let place = Place { file: file.to_owned(), sheet: table.sheet.clone(), line: Some(row.line) };
        let mut draft = Draft::new(place);
        for &(field, index) in &columns {
            let text = row.get(Some(index));
            match field {
                Field::IsOwner | Field::Ownership => {}
                _ => draft.set(field, text),
            }
        }
        if !is_owner(row.get(column(Field::IsOwner))) {
            report.not_owners += 1;
            if !draft.get(Field::Premise).is_empty() {
                above = Some(draft);
            }
            continue;
        }
        if draft.get(Field::Premise).is_empty() {
            let Some(premise) = &above else {
                return Err(table.error(row.line, Problem::MissingValue(Field::Premise.name())));
            };
            for field in [Field::Premise, Field::Kind, Field::Area, Field::Entrance, Field::Floor] {
                if draft.get(field).is_empty() {
                    draft.set(field, premise.get(field).to_owned());
                }
            }
            report.filled += 1;
        } else {
            above = Some(draft.clone());
        }
        ownership(&mut draft, row.get(column(Field::Ownership)));
        normalise(&mut draft, report);
        if draft.get(Field::Owner).is_empty()
            && drafts.iter().any(|d| d.get(Field::Premise) == draft.get(Field::Premise))
        {
            continue; // the premise's own line above its owners
        }
        drafts.retain(|d| d.get(Field::Premise) != draft.get(Field::Premise) || !d.get(Field::Owner).is_empty());
        drafts.push(draft);
    }
    Ok(drafts)
}

/// Each field's column: `--map` first, then the usual headers, then obhod's own names.
fn map_columns(table: &Table, maps: &[(Field, String)]) -> Result<Vec<(Field, usize)>, InputError> {
    let headers: Vec<(String, usize)> = table.headers().map(|(h, i)| (header_key(h), i)).collect();
    let mut columns: Vec<(Field, usize)> = Vec::new();
    for (field, header) in maps {
        let key = header_key(header);
        let Some(&(_, index)) = headers.iter().find(|(h, _)| *h == key) else {
            return Err(table.error(table.header_line, Problem::MapHeaderMissing { header: header.clone() }));
        };
        columns.push((*field, index));
    }
    for field in ALL {
        if columns.iter().any(|(f, _)| *f == field) {
            continue;
        }
        let names: Vec<String> = field.headers().iter().chain([field.name()].iter()).map(|h| header_key(h)).collect();
        let free = |i: &usize| !columns.iter().any(|(_, taken)| taken == i);
        if let Some(&(_, index)) = headers.iter().find(|(h, i)| names.contains(h) && free(i)) {
            columns.push((field, index));
        }
    }
    Ok(columns)
}

/// Whether a status cell says the row is an owner's: empty, «собственник», yes; not a tenant
/// («наниматель», «арендатор»), a registered resident («зарегистрирован», «проживает») or no.
fn is_owner(status: &str) -> bool {
    let status = status.to_lowercase();
    let no = ["наним", "аренд", "зарегистр", "прожива", "член семьи", "жилец", "tenant", "resident"];
    if no.iter().any(|w| status.contains(w)) {
        return false;
    }
    !matches!(status.trim(), "нет" | "no" | "false" | "0" | "н")
}

/// «Вид собственности» made obhod's columns: joint ownership a group per premise, the
/// municipality's and the state's their owner kinds.
fn ownership(draft: &mut Draft, text: &str) {
    let text = text.to_lowercase();
    if text.contains("совмест") && draft.get(Field::Joint).is_empty() {
        draft.set(Field::Joint, "с1");
    }
    if draft.get(Field::OwnerKind).is_empty() {
        if text.contains("муниципал") {
            draft.set(Field::OwnerKind, "муниципальная");
        } else if text.contains("государств") || text.contains("федерал") || text.contains("субъект")
        {
            draft.set(Field::OwnerKind, "государственная");
        }
    }
}

/// Words and figures as registers write them, made what obhod's registry reads.
fn normalise(draft: &mut Draft, report: &mut Report) {
    let kind = draft.get(Field::Kind).to_lowercase();
    let premise = draft.get(Field::Premise).to_lowercase();
    let kind = if kind.contains("нежил") {
        Some("нежилое")
    } else if kind.contains("машино") || kind.contains("парков") {
        Some("машино-место")
    } else if kind.contains("кладов") {
        Some("кладовая")
    } else if kind.contains("жил") || kind.contains("кварт") || kind.contains("комнат") {
        Some("квартира")
    } else if kind.is_empty() {
        report.kinds_guessed += 1;
        if premise.starts_with("мм") || premise.contains("м/м") || premise.contains("машино") {
            Some("машино-место")
        } else if premise.starts_with('н') || premise.contains("нежил") || premise.ends_with('н') {
            Some("нежилое")
        } else {
            Some("квартира")
        }
    } else {
        None // an unknown word: the registry's check names it at its row
    };
    if let Some(kind) = kind {
        draft.set(Field::Kind, kind);
    }
    let area = number_in(draft.get(Field::Area));
    draft.set(Field::Area, area);
    let share = share_in(draft.get(Field::Share));
    draft.set(Field::Share, share);
    if draft.get(Field::OwnerKind).is_empty()
        && let Some(kind) = owner_kind_of(draft.get(Field::Owner), draft.get(Field::Ogrn))
    {
        draft.set(Field::OwnerKind, kind);
        report.owner_kinds_guessed += 1;
    }
}

/// The kind of an owner a register names without saying it: an organisation by its legal form
/// or its ОГРН, the municipality and the state by their names.
fn owner_kind_of(name: &str, ogrn: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let first = lower.split([' ', '«', '"']).next().unwrap_or("");
    const FORMS: [&str; 12] = ["ооо", "ао", "пао", "зао", "оао", "нао", "тсж", "тсн", "жск", "гуп", "муп", "ано"];
    if ["муниципальн", "администрац", "городской округ", "городского округа"].iter().any(|w| lower.contains(w))
    {
        return Some("муниципальная");
    }
    if lower.starts_with("российская федерация") || lower.contains("субъект российской федерации")
    {
        return Some("государственная");
    }
    let legal = FORMS.contains(&first) || lower.starts_with("общество с") || lower.starts_with("акционерное общество");
    (legal || ogrn.chars().filter(char::is_ascii_digit).count() == 13).then_some("юрлицо")
}

/// `52,4 кв. м` is `52,4`.
fn number_in(text: &str) -> String {
    let end =
        text.find(|c: char| !(c.is_ascii_digit() || matches!(c, ',' | '.' | ' ' | '\u{a0}'))).unwrap_or(text.len());
    let number = text[..end].trim();
    if number.is_empty() { text.to_owned() } else { number.to_owned() }
}

/// `1/2 доли` is `1/2`, `100%` the whole, `целая` the whole.
fn share_in(text: &str) -> String {
    let t = text.trim().to_lowercase();
    if t.is_empty() || t == "100%" || t == "целая" || t == "1" || t == "1/1" {
        return String::new();
    }
    let fraction: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '/' || c.is_whitespace()).collect();
    let fraction = fraction.split_whitespace().collect::<String>();
    if fraction.contains('/') { fraction } else { text.trim().to_owned() }
}

/// Gives an entrance to every premise numbered in a range of `spec` (`1:1-40,2:41-80`) that has
/// none.
pub fn assign_entrances(drafts: &mut [Draft], spec: &[(String, u32, u32)], report: &mut Report) {
    for draft in drafts.iter_mut().filter(|d| d.get(Field::Entrance).is_empty()) {
        let Ok(number) = draft.get(Field::Premise).parse::<u32>() else { continue };
        if let Some((entrance, _, _)) = spec.iter().find(|(_, from, to)| (*from..=*to).contains(&number)) {
            draft.set(Field::Entrance, entrance.clone());
            report.entrances += 1;
        }
    }
}

/// Reads `1:1-40,2:41-80`; `None` when it is not that.
pub fn parse_entrances(spec: &str) -> Option<Vec<(String, u32, u32)>> {
    spec.split(',')
        .map(|part| {
            let (entrance, range) = part.trim().split_once(':')?;
            let (from, to) = range.trim().split_once('-').unwrap_or((range, range));
            let (from, to) = (from.trim().parse().ok()?, to.trim().parse().ok()?);
            (!entrance.trim().is_empty() && from <= to).then(|| (entrance.trim().to_owned(), from, to))
        })
        .collect()
}

/// The registry's CSV text (UTF-8 with a BOM, `;`, as a Russian Excel opens it).
pub fn csv_text(drafts: &[Draft]) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(COLUMNS.iter().map(|f| f.name())).expect("writing to memory does not fail");
    for draft in drafts {
        writer.write_record(&draft.cells).expect("writing to memory does not fail");
    }
    String::from_utf8(writer.into_inner().expect("writing to memory does not fail")).expect("text")
}

/// The registry the drafts make, checked as `weights --registry` will read it; an error names
/// the source's own file and row.
pub fn check(out: &str, drafts: &[Draft]) -> Result<(String, Registry), InputError> {
    let text = csv_text(drafts);
    match Registry::parse(out, text.as_bytes()) {
        Ok(registry) => Ok((text, registry)),
        Err(mut error) => {
            let draft = error.line.and_then(|line| line.checked_sub(2)).and_then(|i| drafts.get(i as usize));
            if let Some(draft) = draft {
                error.file = draft.place.file.clone();
                error.sheet = draft.place.sheet.clone();
                error.line = draft.place.line;
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entrances_are_ranges_of_flat_numbers() {
        let spec = parse_entrances("1:1-40, 2:41-80,3:81").unwrap();
        assert_eq!(spec, [("1".into(), 1, 40), ("2".into(), 41, 80), ("3".into(), 81, 81)]);
        assert_eq!(parse_entrances("1:40-1"), None);
        assert_eq!(parse_entrances("1-40"), None);
    }

    #[test]
    fn tenants_and_residents_are_not_owners() {
        for status in ["", "собственник", "да", "Собственник (1/2)"] {
            assert!(is_owner(status), "{status}");
        }
        for status in ["наниматель", "Арендатор", "зарегистрирован", "проживает", "нет", "член семьи"]
        {
            assert!(!is_owner(status), "{status}");
        }
    }

    #[test]
    fn figures_as_registers_write_them() {
        assert_eq!(number_in("52,4 кв. м"), "52,4");
        assert_eq!(number_in("1 100,5"), "1 100,5");
        assert_eq!(share_in("1/2 доли"), "1/2");
        assert_eq!(share_in("100%"), "");
        assert_eq!(owner_kind_of("ООО «Уют»", ""), Some("юрлицо"));
        assert_eq!(owner_kind_of("Администрация города Омска", ""), Some("муниципальная"));
        assert_eq!(owner_kind_of("Ооржак Айдын", ""), None, "a surname is not a legal form");
    }
}
