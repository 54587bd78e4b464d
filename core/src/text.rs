//! Text people type or paste: folding the Latin letters that look like Cyrillic ones (a
//! premise `H-1` typed on an English layout is `Н-1`), and spotting characters that must
//! never reach a file or a terminal (control codes, bidirectional overrides).

/// Latin letters and the Cyrillic letters they are drawn like; the Cyrillic one is canonical.
const LOOK_ALIKES: [(char, char); 19] = [
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
    ('a', 'а'),
    ('c', 'с'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('x', 'х'),
    ('y', 'у'),
];

/// The Cyrillic twin of a Latin look-alike, or the character itself; `ё` is `е`, as Russian
/// names are written either way (Пётр, Петр) in registries, ballots and typed commands.
fn canonical(c: char) -> char {
    match c {
        'ё' => 'е',
        'Ё' => 'Е',
        c if !c.is_ascii() => c,
        _ => LOOK_ALIKES.iter().find(|(latin, _)| *latin == c).map_or(c, |&(_, cyrillic)| cyrillic),
    }
}

/// The form two labels or names share when a reader could not tell them apart: invisible
/// characters (zero-width spaces, soft hyphens) dropped, any run of spaces (a no-break space
/// from a spreadsheet too) made one space and trimmed, Latin look-alikes made Cyrillic
/// (before case, so that a lower-case Latin `h`, which looks like nothing Cyrillic, stays
/// apart), then lower case; a number's leading zeros go (`01` is flat `1`). One pass, one
/// allocation: the registry folds every name.
pub fn fold(text: &str) -> String {
    folded(text, true)
}

/// [`fold`] keeping every digit: for column names, where `01` must stay apart from `1` to be
/// reported as two columns of one question.
pub fn fold_keeping_zeros(text: &str) -> String {
    folded(text, false)
}

fn folded(text: &str, numbers: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut chars = text.chars().filter(|c| !is_invisible(*c)).peekable();
    while let Some(c) = chars.next() {
        let leading_zero = numbers
            && c == '0'
            && !out.chars().next_back().is_some_and(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(char::is_ascii_digit);
        if leading_zero {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            out.push(' ');
        }
        let c = canonical(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Characters that take no room on screen: zero-width spaces and joiners, the word joiner,
/// a stray byte-order mark, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}')
}

/// Whether `text` has a Latin letter that looks like a Cyrillic one.
pub fn has_look_alike(text: &str) -> bool {
    text.chars().any(|c| LOOK_ALIKES.iter().any(|(latin, _)| *latin == c))
}

/// A character no field may hold: C0 controls (tab and newline included), DEL, C1
/// controls and the bidirectional overrides and isolates that reorder what is shown.
pub fn is_forbidden(c: char) -> bool {
    c < ' '
        || ('\u{7f}'..='\u{9f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// The first forbidden character of `text` with its 0-based char index.
pub fn forbidden(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find(|&(_, c)| is_forbidden(c))
}

/// `U+001B`: how a character is named in messages.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `text` with every forbidden character shown as its code point, safe for a terminal.
pub fn printable(text: &str) -> String {
    if forbidden(text).is_none() {
        return text.to_owned();
    }
    text.chars().map(|c| if is_forbidden(c) { format!("<{}>", code_point(c)) } else { c.to_string() }).collect()
}

/// Whether free text (a note) holds what looks like a Russian phone number (`+7 913 123-45-67`,
/// `89131234567`, `913 123 45 67`) or an e-mail address: personal data that must not ride in a
/// note, which every device of the group keeps and no withdrawal of consent erases. A tracking
/// number (14 digits), a date or a registry record number is not a phone.
pub fn has_phone_or_email(text: &str) -> bool {
    let email = text.split_whitespace().any(|word| {
        word.split_once('@')
            .is_some_and(|(name, domain)| !name.is_empty() && domain.trim_end_matches('.').contains('.'))
    });
    let phone = |run: &str| {
        let digits: Vec<char> = run.chars().filter(char::is_ascii_digit).collect();
        matches!((digits.len(), digits.first()), (11, Some('7' | '8')) | (10, Some('9')))
    };
    let runs = text.split(|c: char| !(c.is_ascii_digit() || " +-()\u{a0}".contains(c)));
    email || runs.clone().any(phone) || runs.flat_map(str::split_whitespace).any(phone)
}

/// The lines of a text, to name the line of a CSV record: the csv crate counts only `\n` and
/// names the line its reading of a record began on, which is the line before for a CRLF file
/// (Excel's) and the first of any blank lines skipped before the record.
pub struct Lines<'a> {
    text: &'a str,
    /// The byte offset where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                starts.push(i + 1);
            }
        }
        Lines { text, starts }
    }

    /// The 1-based line of the first character at or after `byte` that is not a line break: where
    /// a record that csv reports at `byte` really begins.
    pub fn line_at(&self, byte: u64) -> u64 {
        let byte = (byte as usize).min(self.text.len());
        let breaks = self.text.as_bytes()[byte..].iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let start = (byte + breaks).min(self.text.len().saturating_sub(1));
        self.starts.partition_point(|&s| s <= start) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_look_alikes_fold_to_cyrillic_and_case_goes() {
        assert_eq!(fold(" H-1 "), fold("Н-1"));
        assert_eq!(fold("MM-14"), fold("мм-14"));
        assert_eq!(fold("COPOKA"), fold("Сорока"));
        assert_ne!(fold("h-1"), fold("н-1"), "a lower-case Latin h does not look like н");
        assert!(has_look_alike("H-1") && !has_look_alike("Н-1"));
        assert_eq!(fold("Иванов\u{a0} Иван\u{200b}"), "иванов иван", "no-break and zero-width spaces");
        assert_eq!(fold("  Н-1 "), "н-1");
        assert_eq!(
            (fold("01"), fold("Н-007"), fold("100"), fold("0"), fold("10-05")),
            ("1".into(), "н-7".into(), "100".into(), "0".into(), "10-5".into())
        );
        assert_eq!(fold("Пётр Королёв"), fold("Петр Королев"), "ё is written е as often as not");
        assert_eq!(fold("ЁЛКИН"), fold("елкин"));
        assert!(!has_look_alike("Пётр"), "ё is no Latin letter");
    }

    #[test]
    fn control_codes_and_bidi_overrides_are_forbidden() {
        assert_eq!(forbidden("Иванов\u{1b}[31m"), Some((6, '\u{1b}')));
        assert_eq!(forbidden("a\tb"), Some((1, '\t')));
        assert_eq!(forbidden("x\u{202e}y"), Some((1, '\u{202e}')));
        assert_eq!(forbidden("\u{85}"), Some((0, '\u{85}')));
        assert_eq!(forbidden("Собака 🐕 звонить"), None);
        assert_eq!(code_point('\u{1b}'), "U+001B");
        assert_eq!(printable("a\u{1b}b"), "a<U+001B>b");
    }

    #[test]
    fn phones_and_emails_are_spotted_in_a_note_and_other_numbers_are_not() {
        for note in [
            "звонить +7 913 123-45-67 вечером",
            "тел. 8(913)1234567",
            "9131234567",
            "сын: ivan.petrov@mail.ru",
            "a@b.ru.",
            "кв 12 89131234567",
        ] {
            assert!(has_phone_or_email(note), "{note}");
        }
        for note in [
            "собака, звонить дважды",
            "ШПИ 80082893123451",
            "письмо 20.11.2026, кв. 12, этаж 3",
            "запись 55-55/001-55/001/001/2016-1234",
            "код домофона 1234, @ во дворе",
            "",
        ] {
            assert!(!has_phone_or_email(note), "{note}");
        }
    }

    #[test]
    fn a_record_is_on_the_line_where_its_text_begins() {
        let lines = Lines::new("a\r\nb\r\n\r\n\nc\rd\n");
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2, "the \\n of a CRLF");
        assert_eq!(lines.line_at(5), 5, "after two blank lines");
        assert_eq!(lines.line_at(10), 6, "a lone CR ends a line too");
    }
}
