//! A time axis for the roadmap: days of a period mapped onto a horizontal
//! span, bars for date ranges kept inside it, and year and quarter gridlines.
//! Pure geometry; the template draws it.

use time::{Date, Month};

/// A linear map from the days of `[start, end]` onto `[left, left + width]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    start: Date,
    end: Date,
    left: f64,
    width: f64,
}

/// A vertical gridline and its label.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tick {
    /// Where it is drawn.
    pub x: f64,
    /// What it says ("2026", "Q2").
    pub label: String,
    /// A year's start (drawn heavier) rather than a quarter's.
    pub year: bool,
}

/// Rounds to a tenth, enough precision for SVG coordinates.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

impl Scale {
    /// The scale of the days from `start` to `end` (at least one day long)
    /// over `width` units from `left`.
    pub(crate) fn new(start: Date, end: Date, left: f64, width: f64) -> Self {
        let end = if end > start {
            end
        } else {
            start.next_day().unwrap_or(start)
        };
        Self {
            start,
            end,
            left,
            width,
        }
    }

    /// How many days the axis spans; at least one.
    fn days(&self) -> f64 {
        ((self.end - self.start).whole_days().max(1)) as f64
    }

    /// Where `date` falls, held to the axis when it lies outside the period.
    pub(crate) fn x(&self, date: Date) -> f64 {
        let days = (date - self.start).whole_days() as f64;
        tenth(self.left + (days / self.days()).clamp(0.0, 1.0) * self.width)
    }

    /// Whether `date` lies on the axis.
    pub(crate) fn contains(&self, date: Date) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// The left edge and width of a bar from `from` to `to` (the due day
    /// included), clipped to the axis and at least 2 units wide so a short
    /// or clipped range stays visible.
    pub(crate) fn bar(&self, from: Date, to: Date) -> (f64, f64) {
        let (from, to) = if to < from { (to, from) } else { (from, to) };
        let right_edge = self.left + self.width;
        let x = self.x(from);
        let end = self.x(to.next_day().unwrap_or(to));
        let width = (end - x).max(2.0);
        let x = x.min(right_edge - 2.0).max(self.left);
        (tenth(x), tenth(width.min(right_edge - x)))
    }

    /// A gridline at each year's start, labelled with the year, and at each
    /// other quarter's start, labelled Q2, Q3, Q4.
    pub(crate) fn ticks(&self) -> Vec<Tick> {
        let mut ticks = Vec::new();
        for year in self.start.year()..=self.end.year() {
            for (q, month) in [Month::January, Month::April, Month::July, Month::October]
                .into_iter()
                .enumerate()
            {
                let Ok(day) = Date::from_calendar_date(year, month, 1) else {
                    continue;
                };
                if !self.contains(day) {
                    continue;
                }
                ticks.push(Tick {
                    x: self.x(day),
                    label: if q == 0 {
                        year.to_string()
                    } else {
                        format!("Q{}", q + 1)
                    },
                    year: q == 0,
                });
            }
        }
        ticks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn plan() -> Scale {
        Scale::new(date!(2025 - 01 - 01), date!(2029 - 12 - 31), 300.0, 600.0)
    }

    #[test]
    fn a_date_maps_to_its_share_of_the_period() {
        let s = plan();
        assert_eq!(s.x(date!(2025 - 01 - 01)), 300.0);
        assert_eq!(s.x(date!(2029 - 12 - 31)), 900.0);
        let days = (date!(2029 - 12 - 31) - date!(2025 - 01 - 01)).whole_days() as f64;
        let mid = (date!(2027 - 07 - 02) - date!(2025 - 01 - 01)).whole_days() as f64;
        let expected = tenth(300.0 + mid / days * 600.0);
        assert_eq!(s.x(date!(2027 - 07 - 02)), expected);
        assert!((s.x(date!(2027 - 07 - 02)) - 600.0).abs() < 1.0);
    }

    #[test]
    fn dates_outside_the_period_stay_on_the_axis() {
        let s = plan();
        assert_eq!(s.x(date!(2020 - 06 - 01)), 300.0);
        assert_eq!(s.x(date!(2035 - 06 - 01)), 900.0);
    }

    #[test]
    fn bars_never_exceed_the_axis() {
        let s = plan();
        for (from, to) in [
            (date!(2024 - 01 - 01), date!(2031 - 01 - 01)),
            (date!(2029 - 12 - 31), date!(2029 - 12 - 31)),
            (date!(2031 - 01 - 01), date!(2032 - 01 - 01)),
            (date!(2020 - 01 - 01), date!(2021 - 01 - 01)),
            (date!(2026 - 05 - 01), date!(2026 - 03 - 01)),
        ] {
            let (x, w) = s.bar(from, to);
            assert!(x >= 300.0, "{from}..{to} starts at {x}");
            assert!(x + w <= 900.0 + 1e-9, "{from}..{to} ends at {}", x + w);
            assert!(w >= 2.0 - 1e-9, "{from}..{to} is {w} wide");
        }
    }

    #[test]
    fn a_bar_spans_its_dates() {
        let s = plan();
        let (x, w) = s.bar(date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(x, s.x(date!(2026 - 01 - 01)));
        assert!((x + w - s.x(date!(2027 - 01 - 01))).abs() < 0.2);
    }

    #[test]
    fn years_and_quarters_get_gridlines() {
        let ticks = plan().ticks();
        assert_eq!(ticks.len(), 20, "five years of four quarters");
        assert_eq!(ticks[0].label, "2025");
        assert!(ticks[0].year);
        assert_eq!(ticks[1].label, "Q2");
        assert!(!ticks[1].year);
        assert_eq!(ticks[16].label, "2029");
        assert!(ticks.windows(2).all(|w| w[0].x < w[1].x));
    }
}
