//! ЕГРН extracts in XML (the Rosreestr formats in force since 2020: `extract_about_property_room`,
//! `extract_base_params_room` and their parking-space twins; and the older `KPOKS` extract about a
//! flat with its `ExtractObjectRight`): the premise's number, area, purpose and floor, and each
//! ownership right with its holders, share, record number and date. Only
//! these elements are read, by their paths; everything else an extract carries about a person
//! (СНИЛС, the identity document, the birth date and place, the mailing address) is skipped
//! unread, so it cannot reach a file obhod writes.

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{Draft, Field, Place, Report};
use crate::error::{InputError, Problem};

const ROOTS: [&str; 5] = [
    "extract_about_property_room",
    "extract_base_params_room",
    "extract_about_property_car_parking_space",
    "extract_base_params_car_parking_space",
    "KPOKS",
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
    /// The older format's `Person/Content`: the name, then what else the extract says of the
    /// person after a comma (only the name is taken).
    content: String,
    /// The older format's `Governance`: the municipality or the state, told apart by its name.
    governance: Option<String>,
}

fn ends(path: &[String], tail: &[&str]) -> bool {
    path.len() >= tail.len() && path[path.len() - tail.len()..].iter().eq(tail.iter())
}

/// Where the text being read goes in the older `KPOKS` format, by the element's path.
fn target_old<'p>(path: &[String], premise: &'p mut Premise) -> Option<&'p mut String> {
    let ends = |tail: &[&str]| ends(path, tail);
    if path.iter().any(|p| p == "ObjectRight") {
        let right = premise.rights.last_mut()?;
        if path.iter().any(|p| p == "Owner") {
            let holder = right.holders.last_mut()?;
            return match () {
                _ if ends(&["Owner", "Person", "Content"]) => Some(&mut holder.content),
                _ if ends(&["Owner", "Organization", "Name"]) => Some(&mut holder.legal),
                _ if ends(&["Owner", "Governance", "Name"]) || ends(&["Owner", "Governance", "Content"]) => {
                    Some(holder.governance.get_or_insert_with(String::new))
                }
                _ => None,
            };
        }
        return match () {
            _ if ends(&["Right", "Registration", "Name"]) => Some(&mut right.kind),
            _ if ends(&["Right", "Registration", "RegNumber"]) => Some(&mut right.number),
            _ if ends(&["Right", "Registration", "RegDate"]) => Some(&mut right.date),
            _ if ends(&["Right", "Registration", "ShareText"]) => Some(&mut right.numerator),
            _ => None,
        };
    }
    match () {
        _ if ends(&["Realty", "Flat", "Area"]) => Some(&mut premise.area),
        _ if ends(&["Realty", "Flat", "Assignation", "AssignationCode"]) => Some(&mut premise.purpose),
        _ => None,
    }
}

/// The attributes the older format keeps its numbers in: the flat's cadastral number, its number
/// in the address, its floor.
fn attributes_old(
    path: &[String],
    element: &quick_xml::events::BytesStart,
    decoder: quick_xml::encoding::Decoder,
    premise: &mut Premise,
) {
    let wanted = match () {
        _ if ends(path, &["Realty", "Flat"]) => "CadastralNumber",
        _ if ends(path, &["Flat", "Address", "Apartment"]) => "Value",
        _ if ends(path, &["Flat", "PositionInObject", "Levels", "Level"]) => "Number",
        _ => return,
    };
    let value = element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == wanted.as_bytes())
        .and_then(|a| a.decode_and_unescape_value(decoder).ok().map(|v| v.into_owned()));
    let Some(value) = value else { return };
    let field = match wanted {
        "CadastralNumber" => &mut premise.cad_number,
        "Value" => &mut premise.number,
        _ => &mut premise.floor,
    };
    if field.is_empty() {
        *field = value;
    }
}

/// Where the text being read goes, by the element's path from the root.
fn target<'p>(path: &[String], premise: &'p mut Premise) -> Option<&'p mut String> {
    if path.first().is_some_and(|root| root == "KPOKS") {
        return target_old(path, premise);
    }
    let ends = |tail: &[&str]| ends(path, tail);
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
    let kind = kind(&premise);
    base.set(Field::Premise, label_of(label, kind));
    base.set(Field::Kind, kind);
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
            if let Some((numerator, denominator)) = right.numerator.split_once('/') {
                // The older format's «ShareText»: «1/2», «доля в праве 1/2».
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                let (n, d) = (digits(numerator.rsplit(' ').next().unwrap_or("")), digits(denominator));
                if !n.is_empty() && !d.is_empty() {
                    draft.set(Field::Share, format!("{n}/{d}"));
                }
            } else if !right.numerator.trim().is_empty() && !right.denominator.trim().is_empty() {
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

/// A bare number is a flat's: a parking space's becomes `ММ-14` and a non-residential premise's
/// `Н-3`, as registers write them, so that they stay apart from flat 14 and flat 3.
fn label_of(number: &str, kind: &str) -> String {
    let bare = number.chars().all(|c| c.is_ascii_digit());
    match kind {
        "машино-место" if bare => format!("ММ-{number}"),
        "нежилое" if bare => format!("Н-{number}"),
        _ => number.to_owned(),
    }
}

fn kind(premise: &Premise) -> &'static str {
    let purpose = format!("{} {}", premise.purpose, premise.name).to_lowercase();
    match () {
        _ if premise.parking => "машино-место",
        _ if purpose.starts_with("206001") => "нежилое",
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
        if let Some(name) = &self.governance {
            let lower = name.to_lowercase();
            let state = lower.contains("российская федерация") && !lower.contains("муниципал");
            return (name.trim().to_owned(), if state { "государственная" } else { "муниципальная" });
        }
        if !self.content.trim().is_empty() {
            // Only the name before the first comma: what follows is the birth date and documents.
            let name = self.content.split(',').next().unwrap_or("").trim();
            let name = if name.chars().any(|c| c.is_ascii_digit()) { "" } else { name };
            return (name.to_owned(), "физлицо");
        }
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
                path.push(name.clone());
                attributes_old(&path, &element, reader.decoder(), &mut premise);
                path.pop();
                let old_right = name == "Right" && path.last().is_some_and(|p| p == "ObjectRight");
                let old_owner = name == "Owner" && path.last().is_some_and(|p| p == "Right");
                match name.as_str() {
                    "right_record" => premise.rights.push(Right::default()),
                    _ if old_right => premise.rights.push(Right::default()),
                    "right_holder" => {
                        if let Some(right) = premise.rights.last_mut() {
                            right.holders.push(Holder::default());
                        }
                    }
                    _ if old_owner => {
                        if let Some(right) = premise.rights.last_mut() {
                            right.holders.push(Holder::default());
                        }
                    }
                    _ => {}
                }
                path.push(name);
            }
            Event::Empty(element) => {
                path.push(String::from_utf8_lossy(element.local_name().as_ref()).into_owned());
                attributes_old(&path, &element, reader.decoder(), &mut premise);
                path.pop();
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
