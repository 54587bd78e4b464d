//! The languages people read obhod in. Russian is the default everywhere; English is
//! offered for the organiser's helpers who do not read Russian.

/// A user-facing language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    /// Picks the text for this language.
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// The decimal separator people expect: a comma in Russian.
    pub fn decimal_separator(self) -> char {
        self.pick(",", ".").chars().next().unwrap_or('.')
    }
}

/// The Russian form of a noun after the number `n`: `[one, few, many]` as in
/// `["поле", "поля", "полей"]` (1 поле, 2 поля, 5 полей, 11 полей, 21 поле, 22 поля).
pub fn plural(n: u64, forms: [&str; 3]) -> &str {
    let [one, few, many] = forms;
    match (n % 10, n % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

impl Lang {
    /// `n` and its noun in this language: `ru` as in [`plural`], `en` as `[singular, plural]`.
    pub fn count(self, n: u64, ru: [&str; 3], en: [&str; 2]) -> String {
        let noun = match self {
            Lang::Ru => plural(n, ru),
            Lang::En if n == 1 => en[0],
            Lang::En => en[1],
        };
        format!("{n} {noun}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals_follow_the_last_two_digits() {
        let forms = ["поле", "поля", "полей"];
        let said: Vec<&str> =
            [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112, 1004].map(|n| plural(n, forms)).to_vec();
        assert_eq!(
            said,
            [
                "полей",
                "поле",
                "поля",
                "поля",
                "полей",
                "полей",
                "полей",
                "полей",
                "поле",
                "поля",
                "полей",
                "поле",
                "полей",
                "полей",
                "поля"
            ]
        );
        assert_eq!(Lang::En.count(1, forms, ["field", "fields"]), "1 field");
        assert_eq!(Lang::Ru.count(3, forms, ["field", "fields"]), "3 поля");
    }
}
