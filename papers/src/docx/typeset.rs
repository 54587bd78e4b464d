//! Typography for print: a no-break space wherever a printed line must not break, in obhod's own
//! words and in the organiser's (addresses, names, proposals): after «№», an abbreviation or an
//! initial, before «%», a dash, a unit or «г.» after a year, inside a number's groups of digits.

use std::borrow::Cow;

const NBSP: char = '\u{a0}';

/// Abbreviations that belong to the word after them: «г. Примерск», «д. 5», «ст. 46», «No. 5».
const ABBREVIATIONS: [&str; 22] = [
    "г.",
    "ул.",
    "д.",
    "кв.",
    "пом.",
    "комн.",
    "корп.",
    "стр.",
    "оф.",
    "пр.",
    "пер.",
    "пл.",
    "обл.",
    "ст.",
    "ч.",
    "п.",
    "пп.",
    "т.",
    "тел.",
    "No.",
    "art.",
    "room",
];

/// Words that belong to the number before them: «7719,90 м²», «3 000 рублей», «ст. 46 ЖК РФ».
const UNITS: [&str; 5] = ["м²", "m²", "руб.", "рублей", "ЖК"];

/// `text` with a no-break space in place of each space a line must not break at.
pub fn typeset(text: &str) -> Cow<'_, str> {
    if !text.contains(' ') {
        return Cow::Borrowed(text);
    }
    let mut words = text.split(' ');
    let mut before = words.next().unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(before);
    for word in words {
        out.push(if binds(before, word) { NBSP } else { ' ' });
        out.push_str(word);
        before = word;
    }
    Cow::Owned(out)
}

/// Whether the space between `before` and `after` must not break.
fn binds(before: &str, after: &str) -> bool {
    if before.is_empty() || after.is_empty() {
        return false;
    }
    let bare = before.trim_start_matches(['(', '«', '"']);
    let digits = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    after.starts_with(['%', '—', '–'])
        || before.ends_with('№')
        || ABBREVIATIONS.contains(&bare)
        || initial(bare)
        || initial(after.trim_end_matches([',', ';', ')'])) && before.ends_with(char::is_alphabetic)
        || UNITS.contains(&after.trim_end_matches([',', ';', ')'])) && before.ends_with(|c: char| c.is_ascii_digit())
        || before == "ЖК" && after.starts_with("РФ")
        || after.starts_with("г.") && before.ends_with(|c: char| c.is_ascii_digit() || c == '_')
        || digits(before) && after.chars().take(3).filter(char::is_ascii_digit).count() == 3
}

/// «Д.»: a capital letter and a full stop.
fn initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        typeset(text).replace(NBSP, "~")
    }

    #[test]
    fn no_line_breaks_where_russian_typography_forbids_one() {
        assert_eq!(shown("г. Примерск, ул. Садовая, д. 5, кв. 12"), "г.~Примерск, ул.~Садовая, д.~5, кв.~12");
        assert_eq!(shown("заказное письмо № 64400012345678"), "заказное письмо №~64400012345678");
        assert_eq!(shown("председатель — Фролова Д. О. (кв. 1)"), "председатель~— Фролова~Д.~О.~(кв.~1)");
        assert_eq!(shown("более 50 % (ч. 3 ст. 45 ЖК РФ)"), "более 50~% (ч.~3 ст.~45~ЖК~РФ)");
        assert_eq!(shown("смету в размере 8 400 000 рублей"), "смету в размере 8~400~000~рублей");
        assert_eq!(shown("«___» ____________ 20__ г., 2027 г."), "«___» ____________ 20__~г., 2027~г.");
        assert_eq!(shown("7719,90 м²; No. 5, room к1"), "7719,90~м²; No.~5, room~к1");
        assert_eq!(shown("в 2027 году"), "в 2027 году", "a year is not a group of digits");
        assert_eq!(shown("Площадь, м²"), "Площадь, м²", "a unit belongs to a number only");
        assert!(matches!(typeset("Н-1"), Cow::Borrowed(_)));
    }
}
