//! Whether every word of a table fits its column on paper: the width of a word in bold Times New
//! Roman at the cells' size, from the widths of its letters rounded up by class, against the
//! column's width less the cell's margins. A column narrower than its longest word breaks it
//! mid-word («Помещ-ение»), which a reader of the printed page should never see.

use crate::doc::{Block, Doc};

/// The cell's margins, left and right, in twentieths of a point (Word's and LibreOffice's default).
const CELL_MARGINS: u32 = 2 * 108;

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
    let ems: f64 = word.chars().filter(|&c| c != '\u{ad}').map(|c| if c == '\u{a0}' { 0.25 } else { em(c) }).sum();
    let points = ems * super::body::CELL_SIZE as f64 / 2.0;
    (points * 20.0).ceil() as u32
}

/// A letter's width in ems in bold Times New Roman (Liberation Serif Bold has the same metrics),
/// at least its own: the widest of its class.
fn em(c: char) -> f64 {
    match c {
        'ж' | 'м' | 'ф' | 'ш' | 'щ' | 'ы' | 'ю' | 'm' | 'w' => 0.85,
        'з' | 'э' | 'е' | 'ё' | 'с' | 'г' | 'c' | 'e' | 'r' | 's' | 'z' => 0.45,
        'f' | 'i' | 'j' | 'l' | 't' => 0.34,
        'Ж' | 'М' | 'Ф' | 'Ш' | 'Щ' | 'Ы' | 'Ю' | 'M' | 'W' => 1.13,
        '%' | '№' | '—' => 1.01,
        c if c.is_lowercase() => 0.59,
        c if c.is_uppercase() => 0.78,
        c if c.is_ascii_digit() => 0.5,
        _ => 0.34,
    }
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
