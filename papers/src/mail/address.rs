//! An address and a name in the parts the business service's order wants them in: the building's
//! from the campaign's meeting, an owner's own from the registry's line (or refused with that
//! line), and a person's name split into surname, given name and patronymic where it is one.

use obhod_core::text::fold;
use obhod_core::{AddressParts, InputError, Meeting, OwnerKind, Premise, Problem};

use super::Source;
use crate::error::PaperError;

/// An address in the order's parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Parts {
    pub index: String,
    pub region: String,
    pub area: String,
    pub place: String,
    pub street: String,
    pub house: String,
    pub corpus: String,
    pub building: String,
    pub room: String,
    pub office: String,
}

/// A premise of the building: the building's address in parts from the campaign's meeting, the
/// premise as the room.
pub(super) fn of_building(meeting: &Meeting, premise: &Premise) -> Result<Parts, PaperError> {
    let postal = &meeting.postal;
    let keys = [
        ("building.postcode", &meeting.postcode),
        ("building.region", &postal.region),
        ("building.place", &postal.place),
        ("building.street", &postal.street),
        ("building.house", &postal.house),
    ];
    let missing: Vec<&'static str> = keys.iter().filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
    if !missing.is_empty() {
        return Err(PaperError::meeting_lacks(&missing, "otpravka"));
    }
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(Parts {
        index: value(&meeting.postcode),
        region: value(&postal.region),
        area: value(&postal.district),
        place: value(&postal.place),
        street: value(&postal.street),
        house: value(&postal.house),
        room: premise.label.clone(),
        ..Parts::default()
    })
}

/// An owner's own address in parts, and the words that name whom within the addressee (a
/// department); refused with the registry's line when a part the Post needs is missing or a part
/// cannot be read. A place without a region is in the building's region when it is the building's
/// place; a city of federal significance is its own region.
pub(super) fn of_own(
    source: &Source,
    owner: &str,
    address: &str,
    line: u64,
) -> Result<(Parts, Vec<String>), PaperError> {
    let parts = AddressParts::parse(address);
    let postal = &source.meeting.postal;
    let same_place = |place: &String| postal.place.as_ref().is_some_and(|p| fold(p) == fold(place));
    let region =
        parts.region.clone().or_else(|| parts.place.as_ref().filter(|p| same_place(p)).and(postal.region.clone()));
    let missing: Vec<&'static str> = [
        ("postcode", parts.postcode.is_none()),
        ("region", region.is_none() && parts.place.is_some()),
        ("place", parts.place.is_none()),
        ("house", parts.house.is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(part, _)| part)
    .collect();
    if !missing.is_empty() || !parts.unknown.is_empty() {
        let problem = Problem::AddressNotInParts {
            owner: owner.into(),
            address: address.into(),
            missing,
            unreadable: parts.unknown.clone(),
        };
        return Err(InputError::at(source.registry_file, line, problem).into());
    }
    let text = |v: Option<String>| v.unwrap_or_default();
    let order = Parts {
        index: text(parts.postcode),
        region: text(region),
        area: text(parts.district),
        place: text(parts.place),
        street: text(parts.street),
        house: text(parts.house),
        corpus: text(parts.corpus),
        building: text(parts.building),
        room: text(parts.room),
        office: text(parts.office),
    };
    Ok((order, parts.attention))
}

/// The organisational forms a name may open with: such a name is not a person's full name.
const FORMS: [&str; 16] =
    ["ип", "ооо", "оао", "зао", "пао", "ао", "нко", "тсж", "тсн", "жск", "гуп", "муп", "фгуп", "ано", "фонд", "кфх"];

/// Surname, given name and patronymic of a person whose name is written as one (two or three words
/// of letters, each capitalised); empty otherwise: an organisation, «ИП Иванов И. И.», initials.
/// The whole name always goes into the order's `recipient-name`.
pub(super) fn names(kind: OwnerKind, name: &str) -> (String, String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    let person_word = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().count() > 1
            && w.chars().all(|c| c.is_alphabetic() || c == '-')
    };
    let form = words.first().is_some_and(|w| FORMS.contains(&w.to_lowercase().as_str()));
    if kind != OwnerKind::Person || form || !(2..=3).contains(&words.len()) || !words.iter().all(person_word) {
        return Default::default();
    }
    (words[0].into(), words[1].into(), words.get(2).copied().unwrap_or_default().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_s_name_splits_into_three_and_anything_else_stays_whole() {
        let split = |kind, name| names(kind, name);
        assert_eq!(
            split(OwnerKind::Person, "Иванов Иван Иванович"),
            ("Иванов".into(), "Иван".into(), "Иванович".into())
        );
        assert_eq!(split(OwnerKind::Person, "Мамедов Рашид"), ("Мамедов".into(), "Рашид".into(), String::new()));
        for (kind, name) in [
            (OwnerKind::Legal, "ООО «Ромашка»"),
            (OwnerKind::Person, "ИП Иванов Иван Иванович"),
            (OwnerKind::Legal, "ИП Иванов И. И."),
            (OwnerKind::Person, "Иванов И. И."),
            (OwnerKind::Municipal, "Муниципальное образование город Примерск"),
            (OwnerKind::Person, "Оглы Мамед Гусейн Али"),
        ] {
            assert_eq!(split(kind, name), Default::default(), "{name}");
        }
    }
}
