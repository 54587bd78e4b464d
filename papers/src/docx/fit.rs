//! Whether every word of a table fits its column on paper: the width of a word in bold Times New
//! Roman at the cells' size, from the widths of its letters, against the column's width less the
//! cell's margins. A column narrower than its longest word breaks it
//! mid-word («Помещ-ение»), which a reader of the printed page should never see.

use crate::doc::{Block, Doc};

/// The cell's margins, left and right, in twentieths of a point (Word's and LibreOffice's default).
pub(super) const CELL_MARGINS: u32 = 2 * 108;

/// Every word of a table of `doc` wider than its column, as «column: word» in the order found.
pub fn narrow_columns(doc: &Doc) -> Vec<String> {
    let mut found = Vec::new();
    for part in &doc.parts {
        let page = super::usable_width(part.landscape);
        for block in &part.blocks {
            let Block::Table { columns, rows, .. } = block else { continue };
            for (index, (column, width)) in columns.iter().zip(super::body::widths(columns, page)).enumerate() {
                let cells = std::iter::once(column.header.as_str()).chain(rows.iter().map(|r| r[index].as_str()));
                for text in cells.map(super::typeset::typeset) {
                    for word in words(&text) {
                        let needs = word_width(word) + CELL_MARGINS;
                        let line = format!("«{}»: «{word}» ({needs} > {width})", column.header);
                        if needs > width && !found.contains(&line) {
                            found.push(line);
                        }
                    }
                }
            }
        }
    }
    found
}

/// The pieces a line may not be broken inside: words (joined by no-break spaces as typeset),
/// split after a hyphen or a soft hyphen.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', '\n']).filter(|w| !w.is_empty()).flat_map(|w| w.split_inclusive(['-', '\u{ad}']))
}

/// The width of `word` in twentieths of a point, set in bold at the cells' size, rounded up.
pub fn word_width(word: &str) -> u32 {
    text_width(word, super::body::CELL_SIZE, true)
}

/// The width of `text` in twentieths of a point at `half_points` (Word's unit of size), bold or
/// regular, rounded up; a soft hyphen takes no room.
pub fn text_width(text: &str, half_points: usize, bold: bool) -> u32 {
    let ems: f64 = text.chars().filter(|&c| c != '\u{ad}').map(|c| em(c, bold)).sum();
    (ems * half_points as f64 * 10.0).ceil() as u32
}

/// Times New Roman's advance widths in thousandths of an em, regular and bold, from Liberation
/// Serif, which has the same metrics: а..я, А..Я, a..z, A..Z.
const CYRILLIC_LOWER: [[u16; 32]; 2] = [
    [
        444, 509, 472, 410, 509, 444, 691, 395, 535, 535, 486, 499, 633, 535, 500, 535, 500, 444, 437, 500, 648, 500,
        535, 503, 770, 770, 517, 672, 456, 429, 747, 460,
    ],
    [
        500, 500, 540, 454, 506, 444, 725, 402, 576, 576, 576, 561, 681, 576, 500, 576, 556, 444, 491, 500, 692, 500,
        576, 564, 844, 844, 583, 781, 529, 432, 764, 541,
    ],
];
const CYRILLIC_UPPER: [[u16; 32]; 2] = [
    [
        722, 574, 667, 578, 682, 611, 896, 501, 722, 722, 667, 678, 889, 722, 722, 722, 556, 667, 611, 708, 790, 722,
        722, 650, 1009, 1009, 706, 872, 574, 660, 1028, 667,
    ],
    [
        722, 661, 667, 636, 688, 667, 989, 528, 778, 778, 725, 745, 944, 778, 778, 778, 611, 722, 667, 734, 859, 722,
        778, 734, 1098, 1098, 765, 982, 661, 678, 1126, 722,
    ],
];
const LATIN_LOWER: [[u16; 26]; 2] = [
    [
        444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500,
        722, 500, 500, 444,
    ],
    [
        500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500,
        722, 500, 500, 444,
    ],
];
const LATIN_UPPER: [[u16; 26]; 2] = [
    [
        722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722,
        944, 722, 722, 611,
    ],
    [
        722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722,
        1000, 722, 722, 667,
    ],
];

/// A character's width in ems in Times New Roman; one the table lacks counts as a full em, more
/// than any letter but the widest capitals.
fn em(c: char, bold: bool) -> f64 {
    let b = usize::from(bold);
    let thousandths = match c {
        'а'..='я' => CYRILLIC_LOWER[b][c as usize - 'а' as usize],
        'А'..='Я' => CYRILLIC_UPPER[b][c as usize - 'А' as usize],
        'ё' => 444,
        'Ё' => [611, 667][b],
        'a'..='z' => LATIN_LOWER[b][c as usize - 'a' as usize],
        'A'..='Z' => LATIN_UPPER[b][c as usize - 'A' as usize],
        '0'..='9' | '«' | '»' | '_' | '*' | '#' | '–' => 500,
        ' ' | '\u{a0}' | '.' | ',' => 250,
        ';' | ':' => [278, 333][b],
        '!' | '(' | ')' | '[' | ']' | '-' => 333,
        '?' => [444, 500][b],
        '/' => 278,
        '—' => 1000,
        '%' => [833, 1000][b],
        '№' => [954, 1005][b],
        '²' => 300,
        '"' => [408, 555][b],
        '\'' => [180, 278][b],
        '□' => 604,
        '+' | '=' | '<' | '>' => [564, 570][b],
        '&' => [778, 833][b],
        '@' => [921, 930][b],
        '|' => [200, 220][b],
        _ => 1000,
    };
    f64::from(thousandths) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Align, col};

    #[test]
    fn a_word_is_at_least_as_wide_as_liberation_serif_bold_sets_it() {
        // 11 pt, from the font's advance widths: «Воздержался» 5.85 em, «Помещение» 5.29 em.
        assert!((1287..1450).contains(&word_width("Воздержался")), "{}", word_width("Воздержался"));
        assert!((1164..1300).contains(&word_width("Помещение")), "{}", word_width("Помещение"));
        assert_eq!(word_width("Воз\u{ad}"), word_width("Воз"));
    }

    #[test]
    fn a_column_narrower_than_its_word_is_found() {
        let mut doc = Doc::new();
        doc.table(
            vec![col("Помещение", 1, Align::Left), col("Текст", 12, Align::Left)],
            vec![vec!["Н-1".into(), "широкая колонка".into()]],
        );
        assert_eq!(narrow_columns(&doc).len(), 1, "{:?}", narrow_columns(&doc));
        assert!(narrow_columns(&doc)[0].starts_with("«Помещение»: «Помещение»"));
        doc.parts[0].blocks.clear();
        doc.table(
            vec![col("Помещение", 4, Align::Left), col("Текст", 9, Align::Left)],
            vec![vec!["Н-1".into(), "широкая колонка".into()]],
        );
        assert_eq!(narrow_columns(&doc), Vec::<String>::new());
    }
}
