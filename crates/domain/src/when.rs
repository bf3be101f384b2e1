//! Calendar dates within a range that a plan can sensibly use.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Date, Month};
use utoipa::ToSchema;

/// A calendar date (`2026-03-31`) between the years 1900 and 2200: a typo such
/// as `20266-03-31` or `0026-03-31` is rejected rather than stored.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, format = Date, example = "2026-03-31")]
pub struct CalendarDate(Date);

impl CalendarDate {
    /// The earliest year a date may have.
    pub const MIN_YEAR: i32 = 1900;
    /// The latest year a date may have.
    pub const MAX_YEAR: i32 = 2200;

    /// Wraps a date, or says why it is out of range.
    pub fn new(date: Date) -> Result<Self, String> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&date.year()) {
            return Err(format!(
                "year {} is outside {}–{}",
                date.year(),
                Self::MIN_YEAR,
                Self::MAX_YEAR
            ));
        }
        Ok(Self(date))
    }

    /// The date itself.
    pub fn date(self) -> Date {
        self.0
    }
}

impl FromStr for CalendarDate {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, String> {
        let bad = || format!("{raw:?} is not a date of the form YYYY-MM-DD");
        let mut parts = raw.trim().splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let day: u8 = d.parse().map_err(|_| bad())?;
        let month = Month::try_from(month).map_err(|_| format!("{raw:?} has no month {month}"))?;
        let date = Date::from_calendar_date(year, month, day)
            .map_err(|_| format!("{raw:?} is not a day of the calendar"))?;
        Self::new(date)
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<CalendarDate> for String {
    fn from(value: CalendarDate) -> String {
        value.to_string()
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let d: CalendarDate = "2026-03-31".parse().unwrap();
        assert_eq!(d.to_string(), "2026-03-31");
    }

    #[test]
    fn rejects_impossible_and_insane_dates() {
        assert!(
            "2026-02-30"
                .parse::<CalendarDate>()
                .unwrap_err()
                .contains("not a day")
        );
        assert!(
            "2026-13-01"
                .parse::<CalendarDate>()
                .unwrap_err()
                .contains("no month 13")
        );
        assert!(
            "0026-03-31"
                .parse::<CalendarDate>()
                .unwrap_err()
                .contains("outside")
        );
        assert!("31/03/2026".parse::<CalendarDate>().is_err());
    }
}
