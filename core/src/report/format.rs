//! The one place where a figure of the count becomes text in a document: votes and areas to two
//! decimals (as `obhod tally` prints them), percentages rounded half-up to two places, shares as
//! reduced fractions, dates as people write them.

use crate::number::{decimal, exact, percent};
use crate::{Lang, Votes};
use chrono::NaiveDate;

/// Formats figures in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fmt(pub Lang);

impl Fmt {
    /// Votes or m²: `33,33` (Russian) or `33.33`.
    pub fn votes(self, value: &Votes) -> String {
        decimal(value, 2, self.0.decimal_separator())
    }

    /// `part` as a percentage of `whole`, half-up to two places, without the sign: `6,67`.
    pub fn percent(self, part: &Votes, whole: &Votes) -> String {
        percent(part, whole, self.0.decimal_separator())
    }

    /// A share of a premise as a reduced fraction (`3/4`), `1` for the whole.
    pub fn share(self, share: Option<&Votes>) -> String {
        share.map_or_else(|| "1".to_owned(), exact)
    }

    /// A date: `10.12.2026`.
    pub fn date(self, date: NaiveDate) -> String {
        date.format("%d.%m.%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_rational::BigRational;

    fn q(n: i64, d: i64) -> Votes {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn figures_are_rounded_half_up_with_the_languages_separator() {
        let ru = Fmt(Lang::Ru);
        assert_eq!(ru.votes(&q(100, 3)), "33,33");
        assert_eq!(Fmt(Lang::En).votes(&q(50, 3)), "16.67");
        assert_eq!(ru.percent(&q(1, 1), &q(800, 1)), "0,13");
        assert_eq!(ru.share(Some(&q(6, 8))), "3/4");
        assert_eq!(ru.share(None), "1");
        assert_eq!(ru.date(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()), "01.12.2026");
    }
}
