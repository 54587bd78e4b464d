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
