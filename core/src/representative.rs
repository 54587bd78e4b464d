//! Who signed a decision for its owner, and by what right (ч.1 ст.48 ЖК РФ; ст.185, 185.1, 186
//! ГК РФ): a parent or guardian by law, an organisation's head, anyone else by a written proxy,
//! which is void without a date and lasts one year from it when it names no term.

use chrono::{Months, NaiveDate};

use crate::lang::Lang;

/// A representative who signed a decision instead of the owner.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Representative {
    /// The representative's name as written on the decision.
    pub name: String,
    pub authority: Authority,
}

/// By what right a representative signs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Authority {
    /// A written proxy (доверенность, ст.185 ГК РФ).
    Proxy(Proxy),
    /// A parent or guardian of a minor or a ward (законный представитель).
    Law,
    /// The head of an organisation, acting without a proxy.
    Head,
}

/// A written proxy as the decision's attachment shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Proxy {
    /// The proxy's date; `None` makes it void (ч.1 ст.186 ГК РФ).
    pub date: Option<NaiveDate>,
    /// The term written in it; `None` is one year from its date.
    pub until: Option<NaiveDate>,
    /// Who certified it (a notary, an employer, …), as written on it.
    pub certified_by: Option<String>,
}

/// Why a proxy does not give the right to sign a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProxyDefect {
    /// A proxy without a date is void (ч.1 ст.186 ГК РФ).
    Undated,
    /// Dated after the decision it signed.
    DatedAfter { date: NaiveDate, decision: NaiveDate },
    /// Its term ended before the decision.
    Expired { until: NaiveDate, decision: NaiveDate },
}

impl Authority {
    /// Reads the `authority` [`полномочия`] cell: `proxy`/`доверенность`, `law`/`закон`,
    /// `head`/`руководитель`, in any case; the proxy's details come from the other columns.
    pub fn parse(text: &str, proxy: Proxy) -> Option<Authority> {
        crate::table::any_case(text.trim(), |word| match word {
            "proxy" | "доверенность" | "по доверенности" => {
                Some(Authority::Proxy(proxy.clone()))
            }
            "law" | "закон" | "по закону" => Some(Authority::Law),
            "head" | "руководитель" => Some(Authority::Head),
            _ => None,
        })
    }

    /// A stable code for scripts: `proxy`, `law`, `head`.
    pub fn code(&self) -> &'static str {
        match self {
            Authority::Proxy(_) => "proxy",
            Authority::Law => "law",
            Authority::Head => "head",
        }
    }

    /// The right in words, as the protocol's list says it.
    pub fn words(&self, lang: Lang) -> &'static str {
        match self {
            Authority::Proxy(_) => lang.pick("по доверенности", "by proxy"),
            Authority::Law => lang.pick("законный представитель", "legal representative"),
            Authority::Head => lang.pick("руководитель", "head of the organisation"),
        }
    }

    pub fn proxy(&self) -> Option<&Proxy> {
        match self {
            Authority::Proxy(proxy) => Some(proxy),
            _ => None,
        }
    }
}

impl Proxy {
    /// The last day the proxy is valid: its term, or one year from its date (ч.1 ст.186 ГК РФ).
    pub fn ends(&self) -> Option<NaiveDate> {
        self.until.or_else(|| self.date?.checked_add_months(Months::new(12)))
    }

    /// Whether the proxy gave the right to sign a decision dated `decision` (the day it was
    /// received when that is all there is): void without a date, too late when dated after the
    /// decision, spent after its term.
    pub fn defect(&self, decision: Option<NaiveDate>) -> Option<ProxyDefect> {
        let Some(date) = self.date else { return Some(ProxyDefect::Undated) };
        let decision = decision?;
        if date > decision {
            return Some(ProxyDefect::DatedAfter { date, decision });
        }
        let until = self.ends()?;
        (decision > until).then_some(ProxyDefect::Expired { until, decision })
    }
}

impl ProxyDefect {
    /// The reason the decision is excluded, in words.
    pub fn words(&self, lang: Lang) -> String {
        let day = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
        match (self, lang) {
            (ProxyDefect::Undated, Lang::Ru) => "доверенность без даты ничтожна (ст. 186 ГК РФ)".into(),
            (ProxyDefect::Undated, Lang::En) => "the proxy has no date and is void (art. 186 of the Civil Code)".into(),
            (ProxyDefect::DatedAfter { date, decision }, Lang::Ru) => {
                format!("доверенность от {} выдана после решения ({})", day(date), day(decision))
            }
            (ProxyDefect::DatedAfter { date, decision }, Lang::En) => {
                format!("the proxy of {} is dated after the decision ({})", day(date), day(decision))
            }
            (ProxyDefect::Expired { until, decision }, Lang::Ru) => {
                format!("срок доверенности истёк {} до решения ({})", day(until), day(decision))
            }
            (ProxyDefect::Expired { until, decision }, Lang::En) => {
                format!("the proxy's term ended on {} before the decision ({})", day(until), day(decision))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_proxy_without_a_term_lasts_one_year_to_the_day() {
        let proxy = Proxy { date: Some(day(2025, 12, 10)), ..Proxy::default() };
        assert_eq!(proxy.defect(Some(day(2026, 12, 10))), None);
        assert_eq!(
            proxy.defect(Some(day(2026, 12, 11))),
            Some(ProxyDefect::Expired { until: day(2026, 12, 10), decision: day(2026, 12, 11) })
        );
    }

    #[test]
    fn an_undated_proxy_is_void_even_without_a_decision_date() {
        assert_eq!(Proxy::default().defect(None), Some(ProxyDefect::Undated));
        assert_eq!(Proxy::default().defect(Some(day(2026, 12, 1))), Some(ProxyDefect::Undated));
    }

    #[test]
    fn a_proxy_dated_after_the_decision_is_refused_but_the_same_day_holds() {
        let proxy = Proxy { date: Some(day(2026, 12, 5)), until: Some(day(2027, 1, 1)), certified_by: None };
        assert_eq!(proxy.defect(Some(day(2026, 12, 5))), None);
        assert_eq!(
            proxy.defect(Some(day(2026, 12, 4))),
            Some(ProxyDefect::DatedAfter { date: day(2026, 12, 5), decision: day(2026, 12, 4) })
        );
    }
}
