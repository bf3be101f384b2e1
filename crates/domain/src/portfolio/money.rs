//! Amounts of money, in whole cents: never floating point, so that sums and
//! splits are exact and a budget never fails by a rounding error.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Sub};
use std::str::FromStr;
use utoipa::ToSchema;

/// An amount in cents (`Money(123_456)` is $1,234.56). Serialized as the
/// integer number of cents.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// No money.
    pub const ZERO: Money = Money(0);

    /// An amount of whole dollars.
    pub const fn dollars(dollars: i64) -> Money {
        Money(dollars * 100)
    }

    /// The number of cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Splits the amount into `parts` shares that add up to it exactly: equal
    /// shares of whole cents, the cents left over going to the first share.
    pub fn split(self, parts: usize) -> Vec<Money> {
        if parts == 0 {
            return Vec::new();
        }
        let n = i64::try_from(parts).unwrap_or(i64::MAX);
        let share = self.0 / n;
        let mut out = vec![Money(share); parts];
        out[0] = Money(self.0 - share * (n - 1));
        out
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

/// `$1,234.56`, `-$5.00`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let dollars = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}${grouped}.{:02}", abs % 100)
    }
}

/// Reads `1234.56`, `$1,234.56`, `1234` or `1234.5` (dollars, at most two decimals).
impl FromStr for Money {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, String> {
        let bad = || format!("{raw:?} is not an amount such as 1234.56 or $1,234.56");
        let trimmed = raw.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let rest: String = rest.trim_start_matches('$').replace(',', "");
        let (whole, frac) = rest.split_once('.').unwrap_or((&rest, ""));
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let dollars: i64 = whole.parse().map_err(|_| bad())?;
        let cents: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = dollars
            .checked_mul(100)
            .and_then(|d| d.checked_add(cents))
            .ok_or_else(bad)?;
        Ok(Money(if negative { -total } else { total }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_dollars_with_separators_and_cents() {
        assert_eq!(Money(123_456).to_string(), "$1,234.56");
        assert_eq!(Money(12_000_000).to_string(), "$120,000.00");
        assert_eq!(Money(5).to_string(), "$0.05");
        assert_eq!(Money(-500).to_string(), "-$5.00");
        assert_eq!(Money::dollars(100_000_000).to_string(), "$100,000,000.00");
    }

    #[test]
    fn reads_the_ways_people_write_amounts() {
        assert_eq!("1234.56".parse(), Ok(Money(123_456)));
        assert_eq!("$1,234.5".parse(), Ok(Money(123_450)));
        assert_eq!("80000".parse(), Ok(Money::dollars(80_000)));
        assert!("12.345".parse::<Money>().is_err());
        assert!("abc".parse::<Money>().is_err());
    }

    #[test]
    fn splits_add_up_with_the_remainder_first() {
        assert_eq!(Money(100).split(3), vec![Money(34), Money(33), Money(33)]);
        assert_eq!(Money(100).split(3).into_iter().sum::<Money>(), Money(100));
        assert_eq!(Money(90).split(1), vec![Money(90)]);
    }
}
