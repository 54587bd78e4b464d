//! An owner's own postal address, as the registry gives it on one line, read into the parts the
//! Post wants (postcode, region, district, place, street, house, room): the business service's
//! order is written from them, and an address a letter may not reach is warned about.

/// An address in parts. Each part keeps the words people wrote (`г. Примерск`, `ул. Ленина`); the
/// house, corpus, building, room and office keep only their number (`18`, `2`, `45`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressParts {
    /// Six digits.
    pub postcode: Option<String>,
    /// A region, territory or republic; a city of federal significance is its own region.
    pub region: Option<String>,
    pub district: Option<String>,
    /// A town or a village.
    pub place: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    pub corpus: Option<String>,
    pub building: Option<String>,
    /// A flat or a premise.
    pub room: Option<String>,
    pub office: Option<String>,
    /// Words with no number that name whom within the addressee (`департамент имущественных
    /// отношений`, `МТУ Росимущества`): they belong with the name, not the address.
    pub attention: Vec<String>,
    /// Parts holding a number that are none of the above: the address cannot be read for certain.
    pub unknown: Vec<String>,
}

/// The cities of federal significance: each is its own region.
const FEDERAL_CITIES: [&str; 3] = ["москва", "санкт-петербург", "севастополь"];

const REGION_ENDS: [&str; 9] =
    [" обл.", " обл", " область", " край", " ао", " автономный округ", " респ.", " республика", " аобл"];
const REGION_STARTS: [&str; 3] = ["респ. ", "республика ", "обл. "];
const DISTRICT_ENDS: [&str; 4] = [" р-н", " р-н.", " район", " муниципальный район"];
const DISTRICT_STARTS: [&str; 2] = ["р-н ", "район "];
const STREET_STARTS: [&str; 27] = [
    "ул.",
    "ул ",
    "улица ",
    "пр-т",
    "пр-кт",
    "просп.",
    "проспект ",
    "пр.",
    "пер.",
    "переулок ",
    "наб.",
    "набережная ",
    "б-р",
    "бульвар ",
    "ш.",
    "шоссе ",
    "пл.",
    "площадь ",
    "проезд ",
    "мкр.",
    "мкр ",
    "микрорайон ",
    "тракт ",
    "аллея ",
    "тупик ",
    "линия ",
    "кв-л ",
];
const STREET_ENDS: [&str; 15] = [
    " ул.",
    " улица",
    " пр-т",
    " проспект",
    " пер.",
    " переулок",
    " наб.",
    " набережная",
    " б-р",
    " бульвар",
    " ш.",
    " шоссе",
    " пл.",
    " площадь",
    " проезд",
];
const PLACE_STARTS: [&str; 22] = [
    "г.",
    "г ",
    "город ",
    "с.",
    "село ",
    "пос.",
    "п.",
    "поселок ",
    "посёлок ",
    "пгт",
    "рп ",
    "р.п.",
    "д.",
    "дер.",
    "деревня ",
    "ст-ца",
    "станица ",
    "х.",
    "хутор ",
    "аул ",
    "сл.",
    "слобода ",
];
const HOUSE_STARTS: [&str; 4] = ["д.", "д ", "дом ", "владение "];
const CORPUS_STARTS: [&str; 3] = ["корп.", "корпус ", "к."];
const BUILDING_STARTS: [&str; 2] = ["стр.", "строение "];
const ROOM_STARTS: [&str; 7] = ["кв.", "квартира ", "пом.", "помещение ", "комн.", "комната ", "к-та "];
const OFFICE_STARTS: [&str; 4] = ["оф.", "офис ", "каб.", "кабинет "];

impl AddressParts {
    /// Reads an address written on one line with its parts between commas, by the usual words and
    /// abbreviations of Russian addresses. Never fails: what it cannot tell goes to `unknown`.
    pub fn parse(address: &str) -> AddressParts {
        let mut parts = AddressParts::default();
        for part in address.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            parts.take(part);
        }
        parts
    }

    fn take(&mut self, part: &str) {
        let lower = part.to_lowercase();
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
        let numbered = |prefixes: &[&str]| number_after(part, &lower, prefixes);
        let bare = lower.trim_start_matches("г.").trim_start_matches("город ").trim_start_matches("г ").trim();
        if part.len() == 6 && part.chars().all(|c| c.is_ascii_digit()) && self.postcode.is_none() {
            self.postcode = Some(part.into());
        } else if FEDERAL_CITIES.contains(&bare) && self.region.is_none() {
            self.region = Some(part.into());
            self.place = Some(part.into());
        } else if (ends(&REGION_ENDS) || starts(&REGION_STARTS)) && self.region.is_none() {
            self.region = Some(part.into());
        } else if (ends(&DISTRICT_ENDS) || starts(&DISTRICT_STARTS)) && self.district.is_none() {
            self.district = Some(part.into());
        } else if let Some(number) = numbered(&HOUSE_STARTS).filter(|_| self.house.is_none()) {
            self.house = Some(number);
        } else if let Some(number) = numbered(&CORPUS_STARTS).filter(|_| self.corpus.is_none()) {
            self.corpus = Some(number);
        } else if let Some(number) = numbered(&BUILDING_STARTS).filter(|_| self.building.is_none()) {
            self.building = Some(number);
        } else if let Some(number) = numbered(&ROOM_STARTS).filter(|_| self.room.is_none()) {
            self.room = Some(number);
        } else if let Some(number) = numbered(&OFFICE_STARTS).filter(|_| self.office.is_none()) {
            self.office = Some(number);
        } else if (starts(&STREET_STARTS) || ends(&STREET_ENDS)) && self.street.is_none() {
            self.street = Some(part.into());
        } else if starts(&PLACE_STARTS) && named_after(&lower, &PLACE_STARTS) && self.place_is_open() {
            self.place = Some(part.into());
        } else if is_house_number(part) && self.house.is_none() && (self.street.is_some() || self.place.is_some()) {
            self.house = Some(part.into());
        } else if part.chars().any(|c| c.is_ascii_digit()) {
            self.unknown.push(part.into());
        } else {
            self.attention.push(part.into());
        }
    }

    /// A place may still be taken: none yet, or only the federal city that is the region too
    /// (`г. Москва, г. Зеленоград`).
    fn place_is_open(&self) -> bool {
        self.place.is_none() || self.place == self.region
    }
}

/// The number after one of `prefixes` (`д. 18` → `18`, `кв.45` → `45`), when the part is that and
/// nothing more.
fn number_after(part: &str, lower: &str, prefixes: &[&str]) -> Option<String> {
    let prefix = prefixes.iter().find(|p| lower.starts_with(*p))?;
    let rest = part[prefix.len()..].trim();
    is_house_number(rest).then(|| rest.to_string())
}

/// Whether the words after the place's abbreviation are a name (`г. Примерск`), not a number
/// (`д. 18` is a house, not a village).
fn named_after(lower: &str, prefixes: &[&str]) -> bool {
    prefixes
        .iter()
        .filter(|p| lower.starts_with(*p))
        .any(|p| lower[p.len()..].trim_start().chars().next().is_some_and(char::is_alphabetic))
}

/// A house or flat number as addresses write it: digits, maybe a letter, a slash or a dash with
/// more (`18`, `18а`, `18/2`, `12-б`).
fn is_house_number(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_digit())
        && text.chars().count() <= 12
        && chars.all(|c| c.is_ascii_digit() || c.is_alphabetic() || matches!(c, '/' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn an_address_splits_by_its_abbreviations() {
        let parts = AddressParts::parse("644050, Омская обл., г. Примерск, пр-т Мира, д. 10, кв. 45");
        assert_eq!(
            parts,
            AddressParts {
                postcode: some("644050"),
                region: some("Омская обл."),
                place: some("г. Примерск"),
                street: some("пр-т Мира"),
                house: some("10"),
                room: some("45"),
                ..AddressParts::default()
            }
        );
        let office = AddressParts::parse("644099, г. Примерск, ул. Ленина, 18, корп. 2, оф. 204");
        assert_eq!((office.house, office.corpus, office.office), (some("18"), some("2"), some("204")));
    }

    #[test]
    fn a_department_is_whom_not_where_and_a_village_is_not_a_house() {
        let parts =
            AddressParts::parse("644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений");
        assert_eq!(parts.attention, ["департамент имущественных отношений"]);
        assert_eq!((parts.place, parts.house), (some("г. Примерск"), some("32")));
        let village = AddressParts::parse("646800, Омская обл., Таврический р-н, д. Ивановка, д. 5");
        assert_eq!(
            (village.district, village.place, village.house),
            (some("Таврический р-н"), some("д. Ивановка"), some("5"))
        );
        let moscow = AddressParts::parse("101000, г. Москва, ул. Тверская, д. 2, кв. 7");
        assert_eq!((moscow.region, moscow.place), (some("г. Москва"), some("г. Москва")));
    }

    #[test]
    fn what_cannot_be_told_is_kept_apart() {
        let parts = AddressParts::parse("Примерск, Ленина 18-45");
        assert_eq!((parts.postcode, parts.place), (None, None));
        assert_eq!(parts.unknown, ["Ленина 18-45"]);
        assert_eq!(parts.attention, ["Примерск"]);
    }
}
