//! Dates as people write them: ISO `2026-12-18` or Russian `18.12.2026`.

use chrono::NaiveDate;

/// Parses `2026-12-18` or `18.12.2026`; `None` for anything else or an impossible date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
        .filter(|_| text.len() == 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_are_the_same_day() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 18);
        assert_eq!(parse_date("2026-12-18"), day);
        assert_eq!(parse_date("18.12.2026"), day);
    }

    #[test]
    fn impossible_or_partial_dates_are_refused() {
        for bad in ["2026-02-30", "31.11.2026", "18.12.26", "2026-1-5", "завтра", ""] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
