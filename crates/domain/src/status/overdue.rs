//! When a node's owner owes a check-in.

use crate::Cadence;
use time::{Date, Duration};

/// How many days a node's next check-in is overdue on `today`, or none when it
/// is not overdue, no check-in is expected (cadence none) or the node is
/// closed. The clock starts at the last check-in, or at `reference` (the day
/// the node's work starts) when there has been none.
pub fn overdue_days(
    cadence: Cadence,
    closed: bool,
    last_check_in: Option<Date>,
    reference: Date,
    today: Date,
) -> Option<i64> {
    let allowed = cadence.allowed_days()?;
    if closed {
        return None;
    }
    let from = last_check_in.unwrap_or(reference);
    let deadline = from.checked_add(Duration::days(allowed))?;
    (today > deadline).then(|| (today - deadline).whole_days())
}

#[cfg(test)]
mod tests {
    use crate::status::*;
    use crate::*;
    use time::macros::date;

    // ---- overdue --------------------------------------------------------------------

    #[test]
    fn overdue_across_cadences() {
        let start = date!(2026 - 01 - 01);
        let last = Some(date!(2026 - 01 - 01));
        // Monthly: 31 days allowed.
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 02 - 01)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 02 - 02)),
            Some(1)
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, false, last, start, date!(2026 - 03 - 03)),
            Some(30)
        );
        // Quarterly: 92 days; 2026-01-01 + 92 = 2026-04-03.
        assert_eq!(
            overdue_days(
                Cadence::Quarterly,
                false,
                last,
                start,
                date!(2026 - 04 - 03)
            ),
            None
        );
        assert_eq!(
            overdue_days(
                Cadence::Quarterly,
                false,
                last,
                start,
                date!(2026 - 04 - 04)
            ),
            Some(1)
        );
        // Annually: 366 days; 2026-01-01 + 366 = 2027-01-02.
        assert_eq!(
            overdue_days(Cadence::Annually, false, last, start, date!(2027 - 01 - 02)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Annually, false, last, start, date!(2027 - 01 - 12)),
            Some(10)
        );
        // No cadence, or closed: never overdue.
        assert_eq!(
            overdue_days(Cadence::None, false, last, start, date!(2030 - 01 - 01)),
            None
        );
        assert_eq!(
            overdue_days(Cadence::Monthly, true, last, start, date!(2030 - 01 - 01)),
            None
        );
        // Never checked in: the clock starts at the reference day.
        let reference = date!(2026 - 03 - 01);
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                None,
                reference,
                date!(2026 - 04 - 01)
            ),
            None
        );
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                None,
                reference,
                date!(2026 - 04 - 06)
            ),
            Some(5)
        );
        // A reference in the future: not overdue.
        let future = date!(2026 - 09 - 01);
        assert_eq!(
            overdue_days(Cadence::Monthly, false, None, future, date!(2026 - 04 - 06)),
            None
        );
        // A check-in restarts the clock even before the reference day.
        assert_eq!(
            overdue_days(
                Cadence::Monthly,
                false,
                Some(date!(2026 - 02 - 01)),
                future,
                date!(2026 - 03 - 05)
            ),
            Some(1)
        );
    }
}
