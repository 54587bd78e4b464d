//! ЕГРН extracts in XML (the Rosreestr formats in force since 2020: `extract_about_property_room`,
//! `extract_base_params_room` and their parking-space twins): the premise's number, area, purpose
//! and floor, and each ownership right with its holders, share, record number and date. Only
//! these elements are read, by their paths; everything else an extract carries about a person
//! (СНИЛС, the identity document, the birth date and place, the mailing address) is skipped
//! unread, so it cannot reach a file obhod writes.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Draft, Field, Place, Report};
use crate::error::{InputError, Problem};

const ROOTS: [&str; 4] = [
    "extract_about_property_room",
    "extract_base_params_room",
    "extract_about_property_car_parking_space",
    "extract_base_params_car_parking_space",
];

/// Whether the bytes look like XML (what `registry import` reads as an extract).
pub fn is_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

#[derive(Default)]
struct Premise {
    parking: bool,
    cad_number: String,
    number: String,
    area: String,
    purpose: String,
    name: String,
    floor: String,
    common: bool,
    rights: Vec<Right>,
}

#[derive(Default)]
struct Right {
    kind: String,
    code: String,
    number: String,
    date: String,
    numerator: String,
    denominator: String,
    holders: Vec<Holder>,
}

#[derive(Default)]
struct Holder {
    surname: String,
    name: String,
    patronymic: String,
    legal: String,
    ogrn: String,
    municipal: Option<String>,
    state: Option<String>,
}

/// Where the text being read goes, by the element's path from the root.
fn target<'p>(path: &[String], premise: &'p mut Premise) -> Option<&'p mut String> {
    let ends = |tail: &[&str]| path.len() >= tail.len() && path[path.len() - tail.len()..].iter().eq(tail.iter());
    let in_right = path.iter().any(|p| p == "right_record");
    if in_right {
        let right = premise.rights.last_mut()?;
        if path.iter().any(|p| p == "right_holder") {
            let holder = right.holders.last_mut()?;
            return match () {
                _ if ends(&["individual", "surname"]) => Some(&mut holder.surname),
                _ if ends(&["individual", "name"]) => Some(&mut holder.name),
                _ if ends(&["individual", "patronymic"]) => Some(&mut holder.patronymic),
                _ if ends(&["entity", "resident", "name"])
                    || ends(&["entity", "not_resident", "name"])
                    || ends(&["entity", "govement_entity", "name"]) =>
                {
                    Some(&mut holder.legal)
                }
                _ if ends(&["entity", "resident", "ogrn"]) || ends(&["entity", "govement_entity", "ogrn"]) => {
                    Some(&mut holder.ogrn)
                }
                _ if ends(&["public_formation_type", "municipality", "name"]) => {
                    Some(holder.municipal.get_or_insert_with(String::new))
                }
                _ if ends(&["public_formation_type", "subject_of_rf", "name"])
                    || ends(&["public_formation_type", "russia", "name"]) =>
                {
                    Some(holder.state.get_or_insert_with(String::new))
                }
                _ => None,
            };
        }
        return match () {
            _ if ends(&["record_info", "registration_date"]) => Some(&mut right.date),
            _ if ends(&["right_data", "right_type", "value"]) => Some(&mut right.kind),
            _ if ends(&["right_data", "right_type", "code"]) => Some(&mut right.code),
            _ if ends(&["right_data", "right_number"]) => Some(&mut right.number),
            _ if ends(&["shares", "share", "numerator"]) => Some(&mut right.numerator),
            _ if ends(&["shares", "share", "denominator"]) => Some(&mut right.denominator),
            _ => None,
        };
    }
    match () {
        _ if ends(&["object", "common_data", "cad_number"]) => Some(&mut premise.cad_number),
        _ if ends(&["params", "area"]) => Some(&mut premise.area),
        _ if ends(&["params", "purpose", "value"]) => Some(&mut premise.purpose),
        _ if ends(&["params", "name"]) => Some(&mut premise.name),
        _ if ends(&["params", "common_property"]) => None,
        _ if ends(&["apartment", "name_apartment"]) => Some(&mut premise.number),
        _ if ends(&["location_in_build", "level", "floor"]) || ends(&["location_in_build", "floor"]) => {
            Some(&mut premise.floor)
        }
        _ => None,
    }
}

/// Reads one extract into the registry's rows; a premise of the building's common property is
/// left out and named in the report.
pub fn read(file: &str, bytes: &[u8], report: &mut Report) -> Result<Vec<Draft>, InputError> {
    let (text, _) = crate::table::source::decode(file, bytes)?;
    let premise = parse(file, &text)?;
    report.extracts += 1;
    let label = if premise.number.trim().is_empty() { premise.cad_number.trim() } else { premise.number.trim() };
    if label.is_empty() {
        return Err(InputError::new(file, None, Problem::NotAnExtract("нет номера помещения".into())));
    }
    if premise.common {
        report.common.push(label.to_owned());
        return Ok(Vec::new());
    }
    let place = Place { file: file.to_owned(), sheet: None, line: None };
    let mut base = Draft::new(place);
    base.set(Field::Premise, label);
    base.set(Field::Kind, kind(&premise));
    base.set(Field::Area, premise.area.trim());
    base.set(Field::Floor, premise.floor.trim().trim_start_matches('+'));
    let mut drafts = Vec::new();
    let ownership = premise.rights.iter().filter(|r| r.is_ownership());
    for (index, right) in ownership.enumerate() {
        let joint = right.kind.to_lowercase().contains("совмест") || right.code.starts_with("001003");
        for holder in &right.holders {
            let mut draft = base.clone();
            let (owner, kind) = holder.owner();
            if owner.is_empty() {
                continue;
            }
            draft.set(Field::Owner, owner);
            draft.set(Field::OwnerKind, kind);
            draft.set(Field::Ogrn, holder.ogrn.trim());
            if joint {
                draft.set(Field::Joint, format!("с{}", index + 1));
            }
            if !right.numerator.trim().is_empty() && !right.denominator.trim().is_empty() {
                draft.set(Field::Share, format!("{}/{}", right.numerator.trim(), right.denominator.trim()));
            }
            draft.set(Field::Document, right.document());
            drafts.push(draft);
        }
    }
    if drafts.is_empty() {
        drafts.push(base);
    }
    Ok(drafts)
}

fn kind(premise: &Premise) -> &'static str {
    let purpose = format!("{} {}", premise.purpose, premise.name).to_lowercase();
    match () {
        _ if premise.parking => "машино-место",
        _ if purpose.contains("нежил") => "нежилое",
        _ if purpose.contains("кладов") => "кладовая",
        _ => "квартира",
    }
}

impl Right {
    /// Ownership, sole or common (code 001001–001003), not a lease or a right of management.
    fn is_ownership(&self) -> bool {
        self.code.starts_with("00100") || self.kind.to_lowercase().contains("собственност")
    }

    /// The right's record number and date, as the registry's title document.
    fn document(&self) -> String {
        let date = self.date.trim();
        let date = match (date.get(0..4), date.get(5..7), date.get(8..10)) {
            (Some(y), Some(m), Some(d)) if date.as_bytes().get(4) == Some(&b'-') => format!("{d}.{m}.{y}"),
            _ => date.to_owned(),
        };
        match (self.number.trim(), date.as_str()) {
            ("", date) => date.to_owned(),
            (number, "") => number.to_owned(),
            (number, date) => format!("{number} от {date}"),
        }
    }
}

impl Holder {
    fn owner(&self) -> (String, &'static str) {
        if let Some(name) = &self.municipal {
            let name =
                if name.trim().is_empty() { "муниципальное образование" } else { name.trim() };
            return (name.to_owned(), "муниципальная");
        }
        if let Some(name) = &self.state {
            let name = if name.trim().is_empty() { "Российская Федерация" } else { name.trim() };
            return (name.to_owned(), "государственная");
        }
        if !self.legal.trim().is_empty() {
            return (self.legal.trim().to_owned(), "юрлицо");
        }
        let parts = [&self.surname, &self.name, &self.patronymic];
        let name: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
        (name.join(" "), "физлицо")
    }
}

fn parse(file: &str, text: &str) -> Result<Premise, InputError> {
    let bad = |why: String| InputError::new(file, None, Problem::NotAnExtract(why));
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut premise = Premise::default();
    loop {
        let event = reader.read_event().map_err(|e| bad(e.to_string()))?;
        match event {
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if !ROOTS.contains(&name.as_str()) {
                        return Err(bad(format!("корневой элемент «{name}»")));
                    }
                    premise.parking = name.contains("car_parking_space");
                }
                match name.as_str() {
                    "right_record" => premise.rights.push(Right::default()),
                    "right_holder" => {
                        if let Some(right) = premise.rights.last_mut() {
                            right.holders.push(Holder::default());
                        }
                    }
                    _ => {}
                }
                path.push(name);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(text) => {
                let text = text.decode().map_err(|e| bad(e.to_string()))?;
                if path.last().is_some_and(|p| p == "common_property") && path.iter().any(|p| p == "params") {
                    premise.common = matches!(text.trim(), "true" | "1");
                } else if let Some(field) = target(&path, &mut premise) {
                    field.push_str(&text);
                }
            }
            Event::GeneralRef(reference) => {
                let character = match reference.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(c) => c,
                    None => match reference.decode().map_err(|e| bad(e.to_string()))?.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => continue,
                    },
                };
                if let Some(field) = target(&path, &mut premise) {
                    field.push(character);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if premise.area.trim().is_empty() && premise.number.is_empty() && premise.cad_number.is_empty() {
        return Err(bad("нет сведений о помещении".into()));
    }
    Ok(premise)
}
