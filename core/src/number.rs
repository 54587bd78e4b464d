//! Exact vote arithmetic: parsing areas and shares into big rationals, and the only
//! place where an exact number becomes text (exact strings for JSON, rounded decimals
//! and percentages for people). Floats never appear.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// Votes, areas and shares: exact rationals over big integers. Communal flats make
/// denominators that overflow i64 and i128 in real buildings, so nothing smaller will do.
pub type Votes = BigRational;

/// Parses a positive-or-zero decimal number as people write it: `54`, `54.3` or `54,3`, the
/// whole part perhaps in groups of three digits split by spaces as Russian spreadsheets print it
/// (`1 100,5`, with a space or a no-break space). Returns `None` for anything else (signs,
/// exponents, other thousands separators, groups that are not of three digits, empty).
pub fn parse_decimal(text: &str) -> Option<Votes> {
    let text = text.trim();
    let (whole, frac) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let point = text.len() > whole.len();
    let grouped;
    let whole = if whole.contains(GROUP_SPACES) {
        grouped = ungrouped(whole)?;
        grouped.as_str()
    } else {
        whole
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (point && frac.is_empty()) {
        return None;
    }
    let digits = whole.len() + frac.len();
    if digits <= 18 {
        let numer = whole.bytes().chain(frac.bytes()).fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        return Some(small_fraction(numer, 10u64.pow(frac.len() as u32)));
    }
    let numer: BigInt = format!("{whole}{frac}").parse().ok()?;
    let denom = BigInt::from(10u32).pow(frac.len() as u32);
    Some(BigRational::new(numer, denom))
}

/// The spaces that split a number's digits into groups of three.
const GROUP_SPACES: [char; 3] = [' ', '\u{a0}', '\u{202f}'];

/// The digits of a whole part written in groups (`1 100` → `1100`): the first group of one to
/// three digits, every other of three, one space between them.
fn ungrouped(whole: &str) -> Option<String> {
    let mut groups = whole.split(GROUP_SPACES);
    let first = groups.next()?;
    if !(1..=3).contains(&first.len()) {
        return None;
    }
    let mut digits = first.to_string();
    for group in groups {
        if group.len() != 3 {
            return None;
        }
        digits.push_str(group);
    }
    Some(digits)
}

/// A reduced fraction from machine integers: cheaper than reducing big integers.
fn small_fraction(numer: u64, denom: u64) -> Votes {
    let g = numer.gcd(&denom);
    BigRational::new_raw(BigInt::from(numer / g), BigInt::from(denom / g))
}

/// `a × b`, in machine integers when every part fits in 64 bits (areas in hundredths of
/// m² and shares such as 3/4 always do), exactly as `a * b` would give.
pub fn mul(a: &Votes, b: &Votes) -> Votes {
    let parts = (a.numer().to_i64(), a.denom().to_i64(), b.numer().to_i64(), b.denom().to_i64());
    if let (Some(an), Some(ad), Some(bn), Some(bd)) = parts {
        let (n, d) = (i128::from(an) * i128::from(bn), i128::from(ad) * i128::from(bd));
        let g = n.gcd(&d);
        return BigRational::new_raw(BigInt::from(n / g), BigInt::from(d / g));
    }
    a * b
}

/// `a / b` for a non-zero `b`, with the same fast path as `mul`.
pub fn div(a: &Votes, b: &Votes) -> Votes {
    mul(a, &b.recip())
}

/// Why a text is not a share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// Not of the form `n/d` or a whole number.
    NotAFraction,
    /// Zero or a zero denominator.
    NotPositive,
}

/// Parses an ownership share: a fraction `n/d` (spaces around `/` allowed) or a whole
/// number such as `1`. Decimal shares are refused: title documents write fractions.
pub fn parse_share(text: &str) -> Result<Votes, ShareError> {
    let int = |s: &str| -> Result<BigInt, ShareError> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ShareError::NotAFraction);
        }
        s.parse().map_err(|_| ShareError::NotAFraction)
    };
    let (numer, denom) = match text.split_once('/') {
        Some((n, d)) => (int(n)?, int(d)?),
        None => (int(text)?, BigInt::one()),
    };
    if numer.is_zero() || denom.is_zero() {
        return Err(ShareError::NotPositive);
    }
    Ok(match (numer.to_u64(), denom.to_u64()) {
        (Some(n), Some(d)) => small_fraction(n, d),
        _ => BigRational::new(numer, denom),
    })
}

/// The exact form used in JSON: `"500"` or the reduced fraction `"100/3"`.
pub fn exact(value: &Votes) -> String {
    if value.is_integer() { value.numer().to_string() } else { format!("{}/{}", value.numer(), value.denom()) }
}

/// Rounds half away from zero to `places` decimals and prints with `separator`
/// (`.` in JSON, `,` for Russian readers).
pub fn decimal(value: &Votes, places: u32, separator: char) -> String {
    let scale = BigInt::from(10u32).pow(places);
    // Whole-number division of the parts as they are: reducing the scaled fraction first (a gcd of
    // numbers of hundreds of digits) would give the same quotient and remainder's half.
    let denom = value.denom().abs();
    let (q, r) = (value.numer().abs() * &scale).div_rem(&denom);
    let rounded = if r * 2 >= denom { q + 1 } else { q };
    let (int, frac) = rounded.div_rem(&scale);
    let sign = if value.is_negative() && !(&int + &frac).is_zero() { "-" } else { "" };
    if places == 0 {
        return format!("{sign}{int}");
    }
    format!("{sign}{int}{separator}{frac:0>width$}", width = places as usize)
}

/// `part` as a percentage of `whole`, rounded half-up to 2 decimals; `0.00` when the
/// whole is zero (an empty building has no percentages to speak of).
pub fn percent(part: &Votes, whole: &Votes, separator: char) -> String {
    if whole.is_zero() {
        return decimal(&Votes::zero(), 2, separator);
    }
    // part / whole × 100 as a fraction left unreduced: `decimal` only divides its parts.
    let ratio = BigRational::new_raw(part.numer() * whole.denom() * 100u32, part.denom() * whole.numer());
    decimal(&ratio, 2, separator)
}

/// A whole number of votes, as a rational.
pub fn votes(n: i64) -> Votes {
    BigRational::from_integer(n.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(n: i64, d: i64) -> Votes {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn decimals_may_group_their_thousands_with_spaces() {
        assert_eq!(parse_decimal("1 100,5"), Some(q(11005, 10)));
        assert_eq!(parse_decimal("12\u{a0}345.25"), Some(q(1234525, 100)));
        assert_eq!(parse_decimal("1 234 567"), Some(q(1234567, 1)));
        for bad in ["1 10", "1  100", "1100 5", "1 100,5 0", "12345 678", " 1 00", "1,100.5", "1 1001"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn decimals_accept_point_and_comma() {
        assert_eq!(parse_decimal("54,3"), Some(q(543, 10)));
        assert_eq!(parse_decimal("54.30"), Some(q(543, 10)));
        assert_eq!(parse_decimal(" 100 "), Some(votes(100)));
        assert_eq!(parse_decimal("0,05"), Some(q(1, 20)));
    }

    #[test]
    fn decimals_refuse_what_is_not_a_plain_number() {
        for bad in ["", "abc", "-5", "1e3", "5,", ",5", "1 0 0", "1.2.3", "5,3,1", "+4"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn shares_are_fractions_or_wholes() {
        assert_eq!(parse_share("3/4"), Ok(q(3, 4)));
        assert_eq!(parse_share(" 2 / 6 "), Ok(q(1, 3)));
        assert_eq!(parse_share("1"), Ok(votes(1)));
        assert_eq!(parse_share("0,5"), Err(ShareError::NotAFraction));
        assert_eq!(parse_share("1/"), Err(ShareError::NotAFraction));
        assert_eq!(parse_share("a/b"), Err(ShareError::NotAFraction));
        assert_eq!(parse_share("0/3"), Err(ShareError::NotPositive));
        assert_eq!(parse_share("1/0"), Err(ShareError::NotPositive));
    }

    #[test]
    fn the_fast_product_equals_the_big_one() {
        let big = BigRational::new(BigInt::from(u64::MAX) * 3, BigInt::from(7));
        for (a, b) in [(q(543, 10), q(3, 4)), (q(0, 1), q(1, 3)), (q(-5, 6), q(6, 5)), (big.clone(), q(7, 3))] {
            assert_eq!(mul(&a, &b), &a * &b);
            assert_eq!(div(&a, &b), &a / &b);
        }
        assert!(mul(&q(2, 4), &q(1, 1)).denom() == &BigInt::from(2), "reduced");
    }

    #[test]
    fn exact_strings_are_reduced() {
        assert_eq!(exact(&votes(500)), "500");
        assert_eq!(exact(&q(200, 6)), "100/3");
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(&q(100, 3), &votes(500), '.'), "6.67");
        assert_eq!(percent(&q(50, 3), &votes(500), '.'), "3.33");
        assert_eq!(percent(&votes(1), &votes(8), '.'), "12.50");
        // 1/800 = 0.125 % exactly: half rounds up.
        assert_eq!(percent(&votes(1), &votes(800), ','), "0,13");
        assert_eq!(percent(&votes(1), &votes(0), '.'), "0.00");
        assert_eq!(decimal(&q(2, 3), 0, '.'), "1");
        assert_eq!(decimal(&q(-1, 3), 2, '.'), "-0.33");
        // Parts left unreduced, a negative whole: the same figures.
        assert_eq!(decimal(&BigRational::new_raw(200.into(), 6.into()), 2, '.'), "33.33");
        assert_eq!(decimal(&BigRational::new_raw(1.into(), (-3).into()), 2, '.'), "-0.33");
        assert_eq!(percent(&q(-1, 3), &votes(2), '.'), "-16.67");
        assert_eq!(percent(&q(1, 3), &votes(-2), '.'), "-16.67");
    }
}
