//! Dates as StratML writes them, and the reporting period a result's dates span.

use lodestar_domain::{CalendarDate, Frequency, ReportingPeriod};

/// A calendar date as StratML writes it (`xsd:date`, time zone ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Ymd {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Ymd {
    /// `YYYY-MM-DD`, optionally followed by a time zone, from 1900 to 2200.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (date, zone) = match raw.get(..10) {
            Some(date) => (date, &raw[10..]),
            None => (raw, ""),
        };
        if !(zone.is_empty() || zone.starts_with(['Z', '+', '-'])) {
            return None;
        }
        let mut parts = date.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u8 = m.parse().ok()?;
        let day: u8 = d.parse().ok()?;
        let valid = (CalendarDate::MIN_YEAR..=CalendarDate::MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(Self { year, month, day })
    }

    pub fn calendar_date(self) -> Option<CalendarDate> {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
            .parse()
            .ok()
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The period a result's dates span, and the frequency that period implies.
pub(super) fn period_of(
    start: Option<Ymd>,
    end: Option<Ymd>,
) -> (Option<ReportingPeriod>, Frequency) {
    let (s, e) = match (start, end) {
        (None, None) => return (None, Frequency::Annually),
        (Some(d), None) | (None, Some(d)) => {
            return (Some(ReportingPeriod::Year(d.year)), Frequency::Annually);
        }
        (Some(s), Some(e)) => (s, e),
    };
    let whole_months = s.day == 1 && e.day == days_in_month(e.year, e.month);
    let months = (e.year - s.year) * 12 + i32::from(e.month) - i32::from(s.month) + 1;
    match (whole_months, months) {
        (true, 1) => (
            Some(ReportingPeriod::Month(s.year, s.month)),
            Frequency::Monthly,
        ),
        (true, 3) if s.month % 3 == 1 => (
            Some(ReportingPeriod::Quarter(s.year, s.month.div_ceil(3))),
            Frequency::Quarterly,
        ),
        (true, 12) if s.month == 1 => (Some(ReportingPeriod::Year(s.year)), Frequency::Annually),
        (true, 12) => (
            Some(ReportingPeriod::FiscalYear(e.year)),
            Frequency::Annually,
        ),
        _ => (Some(ReportingPeriod::Year(e.year)), Frequency::Annually),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(raw: &str) -> Option<Ymd> {
        Ymd::parse(raw)
    }

    #[test]
    fn result_dates_give_months_quarters_and_years() {
        let period = |s: &str, e: &str| period_of(ymd(s), ymd(e)).0.map(|p| p.to_string());
        assert_eq!(
            period("2025-03-01", "2025-03-31").as_deref(),
            Some("2025-03")
        );
        assert_eq!(
            period("2025-04-01", "2025-06-30").as_deref(),
            Some("2025-Q2")
        );
        assert_eq!(period("2025-01-01", "2025-12-31").as_deref(), Some("2025"));
        assert_eq!(
            period("2024-10-01", "2025-09-30").as_deref(),
            Some("FY2025")
        );
        assert_eq!(period("2025-02-15", "2026-06-30").as_deref(), Some("2026"));
        assert_eq!(period("", "2027-12-31").as_deref(), Some("2027"));
        assert_eq!(
            period("2024-02-01", "2024-02-29").as_deref(),
            Some("2024-02")
        );
        assert_eq!(period_of(None, None).0, None);
        assert_eq!(
            period_of(ymd("2025-07-01"), ymd("2025-09-30")).1,
            Frequency::Quarterly
        );
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(ymd("2025-06-30Z").map(|d| d.day), Some(30));
        assert_eq!(ymd("2025-06-30-05:00").map(|d| d.month), Some(6));
        assert_eq!(ymd("2025-02-29"), None);
        assert_eq!(ymd("2025-6-30"), None);
        assert_eq!(ymd("1776-07-04"), None);
        assert_eq!(ymd("June 2025"), None);
        assert_eq!(ymd("2025-06-3é"), None);
        assert_eq!(ymd("2025-06-30é"), None);
    }
}
