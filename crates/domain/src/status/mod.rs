//! The one formula that turns measures and check-ins into statuses and rolls
//! them up the tree of a plan.
//!
//! Everything here is a pure function of its arguments (today's date is an
//! argument too); the storage layer calls these functions and caches their
//! results. The rules are written out for sponsors, with worked examples, in
//! `docs/status-rules.md`; a change here is a change there.
//!
//! - `measure`: which target applies to a value and what colour it gets.
//! - `rollup`: a node's status, score and progress from its children,
//!   measures and check-ins.
//! - `overdue`: when a node's owner owes a check-in.

mod measure;
mod overdue;
mod rollup;
#[cfg(test)]
mod test_support;

pub use measure::{MeasureRule, MeasureStatus, health_of, measure_status, target_for};
pub use overdue::overdue_days;
pub use rollup::{ChildSummary, OwnReport, Rollup, RollupInput, as_child, roll_up, status_score};

use crate::keyword::keyword_enum;

/// How far apart two numbers may be and still count as equal when compared
/// with a threshold, so that float rounding (`0.1 + 0.2`) does not flip a colour.
const TOLERANCE: f64 = 1e-9;

/// `a ≥ b`, allowing for float rounding.
fn at_least(a: f64, b: f64) -> bool {
    a >= b - TOLERANCE
}

/// `a ≤ b`, allowing for float rounding.
fn at_most(a: f64, b: f64) -> bool {
    a <= b + TOLERANCE
}

keyword_enum!(
    /// The colour of a measure's latest value against its target and thresholds.
    Health, what = "health" {
        /// At or better than the green threshold.
        Green = "green",
        /// Short of green but within the amber threshold.
        Amber = "amber",
        /// Beyond the amber threshold.
        Red = "red",
    }
);

impl Health {
    /// What the colour counts for in a node's score: green 100, amber 50, red 0.
    pub fn score(self) -> f64 {
        match self {
            Self::Green => 100.0,
            Self::Amber => 50.0,
            Self::Red => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProgressStatus::*;

    // ---- health words and scores ------------------------------------------

    #[test]
    fn health_spells_and_scores() {
        assert_eq!("GREEN".parse::<Health>(), Ok(Health::Green));
        assert_eq!(Health::Amber.to_string(), "amber");
        assert_eq!(serde_json::to_string(&Health::Red).unwrap(), r#""red""#);
        assert_eq!(
            Health::ALL.iter().map(|h| h.score()).collect::<Vec<_>>(),
            [100.0, 50.0, 0.0]
        );
        assert_eq!(status_score(OnTrack), Some(100.0));
        assert_eq!(status_score(Completed), Some(100.0));
        assert_eq!(status_score(AtRisk), Some(50.0));
        assert_eq!(status_score(OffTrack), Some(0.0));
        assert_eq!(status_score(NotStarted), None);
        assert_eq!(status_score(Deferred), None);
        assert_eq!(status_score(Cancelled), None);
    }
}
