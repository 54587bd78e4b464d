//! An address and a name in the parts the business service's order wants them in: written by
//! the order, and compared with when a filled-in order is read back.

use obhod_core::OwnerKind;

/// An address in parts, as the business service wants it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Parts {
    pub index: String,
    pub region: String,
    pub place: String,
    pub street: String,
    pub house: String,
    pub room: String,
}

/// An owner's own address split on its commas by the usual abbreviations; what is not
/// recognised (a department's name) stays with the place.
pub(super) fn split_address(address: &str) -> Parts {
    let mut parts = Parts::default();
    let mut rest = Vec::new();
    for part in address.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_lowercase();
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| lower.starts_with(p));
        let ends = |suffixes: &[&str]| suffixes.iter().any(|s| lower.ends_with(s));
        if part.len() == 6 && part.chars().all(|c| c.is_ascii_digit()) {
            parts.index = part.into();
        } else if ends(&[" обл.", " область", " край", " респ."]) || starts(&["респ.", "республика"])
        {
            parts.region = part.into();
        } else if starts(&["ул.", "пр-т", "пр.", "пер.", "наб.", "б-р", "ш.", "пл.", "проезд", "улица"])
        {
            parts.street = part.into();
        } else if starts(&["д.", "дом "]) {
            parts.house = part.trim_start_matches("дом").trim_start_matches("д.").trim().into();
        } else if starts(&["кв.", "оф.", "пом.", "комн."]) {
            parts.room = part.into();
        } else if starts(&["г.", "с.", "пос.", "п.", "пгт", "город"]) && parts.place.is_empty() {
            parts.place = part.into();
        } else {
            rest.push(part);
        }
    }
    if !rest.is_empty() {
        let extra = rest.join(", ");
        parts.place = if parts.place.is_empty() { extra } else { format!("{}, {extra}", parts.place) };
    }
    parts
}

/// Surname, given name and patronymic of a person; an organisation's whole name as the surname.
pub(super) fn names(kind: OwnerKind, name: &str) -> (String, String, String) {
    if kind != OwnerKind::Person {
        return (name.to_string(), String::new(), String::new());
    }
    let mut words = name.split_whitespace();
    let surname = words.next().unwrap_or_default().to_string();
    let given = words.next().unwrap_or_default().to_string();
    (surname, given, words.collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_own_address_is_split_by_its_abbreviations() {
        let parts = split_address("644001, г. Примерск, ул. Ленина, д. 18, оф. 204");
        assert_eq!(
            parts,
            Parts {
                index: "644001".into(),
                region: String::new(),
                place: "г. Примерск".into(),
                street: "ул. Ленина".into(),
                house: "18".into(),
                room: "оф. 204".into(),
            }
        );
        let department = split_address("644024, г. Примерск, ул. Гагарина, д. 32, департамент имущественных отношений");
        assert_eq!(department.place, "г. Примерск, департамент имущественных отношений");
        assert_eq!(department.house, "32");
    }

    #[test]
    fn a_person_s_name_splits_into_three() {
        assert_eq!(
            names(OwnerKind::Person, "Иванов Иван Иванович"),
            ("Иванов".into(), "Иван".into(), "Иванович".into())
        );
        assert_eq!(names(OwnerKind::Legal, "ООО «Ромашка»"), ("ООО «Ромашка»".into(), String::new(), String::new()));
    }
}
