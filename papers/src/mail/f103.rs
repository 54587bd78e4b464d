//! Form 103 of the Russian Post (список внутренних почтовых отправлений), as the post office takes a
//! batch of registered letters: the kind of item, the sender and the address letters come back to,
//! one numbered row per letter with its tracking number left to fill in, the totals, and the block
//! the sender and the clerk sign and the office stamps.

use obhod_core::Envelope;

use super::{Source, full_address, premise_note, sender_address};
use crate::error::PaperError;
use crate::sheet::{Cell, Sheet};

/// The header of the form's table; `letters sent` finds the table by its first two cells.
pub const F103_COLUMNS: [&str; 7] =
    ["№ п/п", "Адресат", "Адрес (с почтовым индексом)", "ШПИ", "Масса, г", "Объявленная ценность, руб.", "Примечание"];

/// The kind of item in the title: a registered letter has no declared value.
const KIND: &str = "Вид и категория отправлений: письмо заказное (без объявленной ценности)";

/// A line to sign on, and the place for the name under it.
const SIGN: &str = "____________________ / ______________________________ /";

pub(super) fn sheet(source: &Source, letters: &[Envelope], grams: i64) -> Result<Sheet, PaperError> {
    let meeting = source.meeting;
    let sender =
        meeting.initiator.as_deref().ok_or_else(|| PaperError::meeting_lacks(&["meeting.initiator"], "sender"))?;
    let sender = crate::words::name_of(sender);
    let return_address = sender_address(meeting, source.registry)?;
    let mut rows = vec![
        vec![Cell::text("Список № ____ внутренних почтовых отправлений (форма 103)")],
        vec![Cell::text(KIND)],
        vec![Cell::text(format!("Отправитель: {sender}"))],
        vec![Cell::text(format!("Адрес отправителя: {return_address}"))],
        vec![Cell::text("Место приёма (наименование и индекс ОПС): ______________________________")],
        vec![],
        F103_COLUMNS.iter().map(|c| Cell::text(*c)).collect(),
    ];
    let table = rows.len() - 1;
    for (n, letter) in letters.iter().enumerate() {
        rows.push(vec![
            Cell::Int(n as i64 + 1),
            Cell::text(&letter.owner.name),
            Cell::text(full_address(meeting, letter)?),
            Cell::text(""),
            Cell::Int(grams),
            Cell::text(""),
            Cell::text(premise_note(letter)),
        ]);
    }
    let count = letters.len() as u64;
    let total = grams * count as i64;
    let letters_word = obhod_core::Lang::Ru.count(count, ["письмо", "письма", "писем"], ["letter", "letters"]);
    rows.push(vec![
        Cell::text("Итого"),
        Cell::text(letters_word),
        Cell::text(""),
        Cell::text(""),
        Cell::Int(total),
        Cell::text(""),
        Cell::text(""),
    ]);
    let end = rows.len();
    rows.extend([
        vec![],
        vec![Cell::text(format!("Всего отправлений: {count} ({})", in_words(count)))],
        vec![Cell::text(format!("Общая масса: {total} г"))],
        vec![],
        vec![Cell::text(format!("Сдал: {SIGN}"))],
        vec![Cell::text("(подпись, фамилия и инициалы отправителя)")],
        vec![Cell::text(format!("Принял: {SIGN}"))],
        vec![Cell::text("(подпись, фамилия и инициалы работника ОПС)")],
        vec![],
        vec![Cell::text("Оттиск календарного штемпеля ОПС места приёма")],
    ]);
    Ok(Sheet {
        name: "Список".into(),
        rows,
        table,
        end,
        widths: vec![6.0, 36.0, 60.0, 17.0, 9.0, 14.0, 16.0],
        row_height: 0.0,
    })
}

/// A number of items in Russian words, as a total is written out on a postal form: «двести
/// девяносто два»; «одно», «два» (an item, отправление, is neuter), thousands feminine.
pub(super) fn in_words(n: u64) -> String {
    if n == 0 {
        return "ноль".into();
    }
    let mut words: Vec<&str> = Vec::new();
    let (thousands, rest) = (n / 1000, n % 1000);
    if thousands > 0 {
        hundreds(thousands % 1000, ["одна", "две"], &mut words);
        words.push(match (thousands % 100, thousands % 10) {
            (11..=14, _) => "тысяч",
            (_, 1) => "тысяча",
            (_, 2..=4) => "тысячи",
            _ => "тысяч",
        });
    }
    hundreds(rest, ["одно", "два"], &mut words);
    words.join(" ")
}

/// Words for 1..=999, with the given forms of one and two.
fn hundreds(n: u64, one_two: [&'static str; 2], words: &mut Vec<&'static str>) {
    const HUNDREDS: [&str; 10] =
        ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"];
    const TENS: [&str; 10] =
        ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"];
    const TEENS: [&str; 10] = [
        "десять",
        "одиннадцать",
        "двенадцать",
        "тринадцать",
        "четырнадцать",
        "пятнадцать",
        "шестнадцать",
        "семнадцать",
        "восемнадцать",
        "девятнадцать",
    ];
    const UNITS: [&str; 10] = ["", "", "", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"];
    let (h, t, u) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    words.extend([HUNDREDS[h]].into_iter().filter(|w| !w.is_empty()));
    match t {
        1 => words.push(TEENS[u]),
        _ => {
            words.extend([TENS[t]].into_iter().filter(|w| !w.is_empty()));
            match u {
                0 => {}
                1 | 2 => words.push(one_two[u - 1]),
                _ => words.push(UNITS[u]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::in_words;

    #[test]
    fn a_total_is_written_out_in_words() {
        let cases = [
            (1, "одно"),
            (2, "два"),
            (8, "восемь"),
            (11, "одиннадцать"),
            (21, "двадцать одно"),
            (100, "сто"),
            (292, "двести девяносто два"),
            (1000, "одна тысяча"),
            (2012, "две тысячи двенадцать"),
            (5000, "пять тысяч"),
            (11_001, "одиннадцать тысяч одно"),
            (21_345, "двадцать одна тысяча триста сорок пять"),
        ];
        for (n, words) in cases {
            assert_eq!(in_words(n), words, "{n}");
        }
    }
}
