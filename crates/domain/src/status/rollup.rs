//! A node's status, score and progress, rolled up from its own latest
//! check-in, its children and its measures.

use super::{Health, at_least};
use crate::ProgressStatus;
use serde::{Deserialize, Serialize};

/// The lowest score of an on-track node.
const ON_TRACK_FROM: f64 = 80.0;

/// The lowest score of an at-risk node; below it a node is off-track.
const AT_RISK_FROM: f64 = 50.0;

/// The latest check-in's status and the latest percent any check-in gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OwnReport {
    /// The status the latest check-in gave.
    pub status: ProgressStatus,
    /// The latest percent done any check-in gave.
    pub percent: Option<f64>,
}

/// What a parent sees of a child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChildSummary {
    /// The effective status: the override if there is one, else the computed status.
    pub status: ProgressStatus,
    /// Its health score from 0 to 100; none when nothing gives it one.
    pub score: Option<f64>,
    /// Its percent done; none when unknown.
    pub progress: Option<f64>,
    /// How much it counts in its parent; 0 leaves it out.
    pub weight: f64,
}

/// Everything a node's roll-up depends on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RollupInput<'a> {
    /// The owner's latest report, if any check-in was filed.
    pub own: Option<OwnReport>,
    /// The node's children, as their parent sees them (see [`as_child`]).
    pub children: &'a [ChildSummary],
    /// The node's measures: each one's weight and health (none for no data).
    pub measures: &'a [(f64, Option<Health>)],
}

/// A node's computed status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rollup {
    /// The status the rules give.
    pub status: ProgressStatus,
    /// The weighted health score from 0 to 100; none when nothing contributes one.
    pub score: Option<f64>,
    /// The percent done; none when unknown.
    pub progress: Option<f64>,
}

/// What a status counts for in a score: on-track and completed 100, at-risk
/// 50, off-track 0; not-started, deferred and cancelled nothing.
pub fn status_score(status: ProgressStatus) -> Option<f64> {
    match status {
        ProgressStatus::OnTrack | ProgressStatus::Completed => Some(100.0),
        ProgressStatus::AtRisk => Some(50.0),
        ProgressStatus::OffTrack => Some(0.0),
        ProgressStatus::NotStarted | ProgressStatus::Deferred | ProgressStatus::Cancelled => None,
    }
}

/// The status, score and progress of a node, from its own latest check-in,
/// its children and its measures (rules 1–5 of docs/status-rules.md).
pub fn roll_up(input: &RollupInput) -> Rollup {
    // Rule 1: the owner's closing word wins over children.
    if let Some(own) = input.own
        && own.status.is_closed()
    {
        return if own.status == ProgressStatus::Completed {
            Rollup {
                status: ProgressStatus::Completed,
                score: Some(100.0),
                progress: Some(100.0),
            }
        } else {
            Rollup {
                status: own.status,
                score: None,
                progress: own.percent,
            }
        };
    }

    // Rule 2: the children that count.
    let counted: Vec<&ChildSummary> = input
        .children
        .iter()
        .filter(|c| c.weight > 0.0 && !c.status.is_set_aside())
        .collect();

    // Rule 3: the weighted health score.
    let mut weighted = 0.0;
    let mut total = 0.0;
    let mut add = |w: f64, s: f64| {
        weighted += w * s;
        total += w;
    };
    for child in &counted {
        if let Some(s) = child.score {
            add(child.weight, s);
        }
    }
    for &(w, health) in input.measures {
        if w > 0.0
            && let Some(h) = health
        {
            add(w, h.score());
        }
    }
    if let Some(own) = input.own
        && matches!(
            own.status,
            ProgressStatus::OnTrack | ProgressStatus::AtRisk | ProgressStatus::OffTrack
        )
        && let Some(s) = status_score(own.status)
    {
        add(1.0, s);
    }
    let score = (total > 0.0).then(|| weighted / total);

    // Rule 4: progress.
    let own_percent = input.own.and_then(|o| o.percent);
    let progress = if counted.is_empty() {
        match own_percent {
            Some(p) => Some(p),
            None if input.children.is_empty() => Some(0.0),
            None => None,
        }
    } else {
        let weights: f64 = counted.iter().map(|c| c.weight).sum();
        let done: f64 = counted
            .iter()
            .map(|c| c.weight * c.progress.unwrap_or(0.0))
            .sum();
        Some(done / weights)
    };

    // Rule 5: status.
    if !counted.is_empty()
        && counted
            .iter()
            .all(|c| c.status == ProgressStatus::Completed)
    {
        return Rollup {
            status: ProgressStatus::Completed,
            score,
            progress: Some(100.0),
        };
    }
    let status = if let Some(s) = score {
        if at_least(s, ON_TRACK_FROM) {
            ProgressStatus::OnTrack
        } else if at_least(s, AT_RISK_FROM) {
            ProgressStatus::AtRisk
        } else {
            ProgressStatus::OffTrack
        }
    } else if !input.children.is_empty() && input.children.iter().all(|c| c.status.is_set_aside()) {
        if input
            .children
            .iter()
            .all(|c| c.status == ProgressStatus::Cancelled)
        {
            ProgressStatus::Cancelled
        } else {
            ProgressStatus::Deferred
        }
    } else {
        ProgressStatus::NotStarted
    };
    Rollup {
        status,
        score,
        progress,
    }
}

/// What the parent sees of a node whose computed status is `computed`: an
/// override (if any) replaces the computed status, and its score is
/// [`status_score`] of the override (progress becomes 100 when the override is
/// completed, and stays the computed progress otherwise); without an override
/// the computed status, score and progress pass up unchanged.
pub fn as_child(
    computed: &Rollup,
    override_status: Option<ProgressStatus>,
    weight: f64,
) -> ChildSummary {
    match override_status {
        Some(status) => ChildSummary {
            status,
            score: status_score(status),
            progress: if status == ProgressStatus::Completed {
                Some(100.0)
            } else {
                computed.progress
            },
            weight,
        },
        None => ChildSummary {
            status: computed.status,
            score: computed.score,
            progress: computed.progress,
            weight,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::ProgressStatus::*;
    use crate::status::*;
    use crate::*;

    // ---- roll_up: leaves -----------------------------------------------------

    #[test]
    fn leaf_without_check_in_is_not_started_at_zero() {
        assert_eq!(rollup(None, &[], &[]), r(NotStarted, None, Some(0.0)));
    }

    #[test]
    fn leaf_with_check_in_takes_its_word() {
        assert_eq!(
            rollup(own(OnTrack, Some(40.0)), &[], &[]),
            r(OnTrack, Some(100.0), Some(40.0))
        );
        assert_eq!(
            rollup(own(AtRisk, None), &[], &[]),
            r(AtRisk, Some(50.0), Some(0.0))
        );
        assert_eq!(
            rollup(own(OffTrack, Some(10.0)), &[], &[]),
            r(OffTrack, Some(0.0), Some(10.0))
        );
        // Not-started gives no score.
        assert_eq!(
            rollup(own(NotStarted, Some(5.0)), &[], &[]),
            r(NotStarted, None, Some(5.0))
        );
        // Closing words.
        assert_eq!(
            rollup(own(Completed, None), &[], &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
        assert_eq!(
            rollup(own(Deferred, Some(30.0)), &[], &[]),
            r(Deferred, None, Some(30.0))
        );
        assert_eq!(
            rollup(own(Cancelled, None), &[], &[]),
            r(Cancelled, None, None)
        );
    }

    #[test]
    fn leaf_with_only_measures() {
        let m = [
            (1.0, Some(Health::Green)),
            (1.0, Some(Health::Amber)),
            (1.0, None),
        ];
        // (100 + 50) / 2 = 75 → at-risk; no children and no percent → progress 0.
        assert_eq!(rollup(None, &[], &m), r(AtRisk, Some(75.0), Some(0.0)));
        // Measures without data give no score.
        assert_eq!(
            rollup(None, &[], &[(1.0, None)]),
            r(NotStarted, None, Some(0.0))
        );
        // The check-in joins at weight 1: (100 + 50 + 100) / 3 = 83.33 → on-track.
        let s = rollup(own(OnTrack, Some(60.0)), &[], &m);
        assert_eq!(s.status, OnTrack);
        assert!((s.score.unwrap() - 250.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.progress, Some(60.0));
    }

    #[test]
    fn mixed_measure_directions_on_one_node() {
        // Uptime, higher-is-better: 99.9 against 99.5 → green.
        let up_t = pct(100.0, 99.0);
        let up_targets = [target(Some("2026"), goal(99.5))];
        let uptime = MeasureRule {
            direction: HIGHER,
            thresholds: &up_t,
            targets: &up_targets,
            frequency: Frequency::Monthly,
        };
        // Downtime hours, lower-is-better: 6 against 4 = 150% → red.
        let down_t = pct(100.0, 110.0);
        let down_targets = [target(Some("2026-Q1"), goal(4.0))];
        let downtime = MeasureRule {
            direction: LOWER,
            thresholds: &down_t,
            targets: &down_targets,
            frequency: Frequency::Monthly,
        };
        let a = measure_status(&uptime, Some((p("2026-03"), 99.9)), D);
        let b = measure_status(&downtime, Some((p("2026-03"), 6.0)), D);
        assert_eq!(a.health, Some(Health::Green), "{}", a.reason);
        assert_eq!(b.health, Some(Health::Red), "{}", b.reason);
        // (100 + 0) / 2 = 50 → at-risk.
        assert_eq!(
            rollup(None, &[], &[(1.0, a.health), (1.0, b.health)]),
            r(AtRisk, Some(50.0), Some(0.0))
        );
        // Weighted 3 : 1 toward uptime: 300 / 4 = 75 → at-risk.
        assert_eq!(
            rollup(None, &[], &[(3.0, a.health), (1.0, b.health)]),
            r(AtRisk, Some(75.0), Some(0.0))
        );
        // Weighted 1 : 3 toward downtime: 100 / 4 = 25 → off-track.
        assert_eq!(
            rollup(None, &[], &[(1.0, a.health), (3.0, b.health)]),
            r(OffTrack, Some(25.0), Some(0.0))
        );
    }

    // ---- roll_up: children -----------------------------------------------------

    #[test]
    fn weighted_children() {
        let kids = [reported(OnTrack, 50.0, 3.0), reported(OffTrack, 20.0, 1.0)];
        // Score (3×100 + 1×0) / 4 = 75 → at-risk; progress (3×50 + 1×20) / 4 = 42.5.
        assert_eq!(rollup(None, &kids, &[]), r(AtRisk, Some(75.0), Some(42.5)));
        // A green measure of weight 1 joins: (300 + 0 + 100) / 5 = 80 → on-track.
        assert_eq!(
            rollup(None, &kids, &[(1.0, Some(Health::Green))]),
            r(OnTrack, Some(80.0), Some(42.5))
        );
    }

    #[test]
    fn score_bands() {
        let g = || reported(OnTrack, 0.0, 1.0);
        let a = || reported(AtRisk, 0.0, 1.0);
        let red = || reported(OffTrack, 0.0, 1.0);
        assert_eq!(rollup(None, &[g(), a()], &[]).score, Some(75.0));
        assert_eq!(rollup(None, &[g(), a()], &[]).status, AtRisk);
        assert_eq!(rollup(None, &[g(), g(), g(), a()], &[]).score, Some(87.5));
        assert_eq!(rollup(None, &[g(), g(), g(), a()], &[]).status, OnTrack);
        assert_eq!(rollup(None, &[g(), red()], &[]).status, AtRisk); // exactly 50
        assert_eq!(
            rollup(None, &[g(), g(), g(), g(), red()], &[]).status,
            OnTrack
        ); // exactly 80
        assert_eq!(rollup(None, &[a(), red()], &[]).status, OffTrack); // 25
        // Scores a hair below a band because of float arithmetic stay in it.
        // Weights 0.1 each for green, amber and red: 15 / 0.3 is 49.99999999999999.
        let kids = [
            child(OnTrack, Some(100.0), None, 0.1),
            child(AtRisk, Some(50.0), None, 0.1),
            child(OffTrack, Some(0.0), None, 0.1),
        ];
        let s = rollup(None, &kids, &[]);
        assert!(s.score.unwrap() < 50.0);
        assert_eq!(s.status, AtRisk);
    }

    #[test]
    fn children_without_scores_count_in_progress_only() {
        let kids = [
            reported(OnTrack, 60.0, 1.0),
            child(NotStarted, None, None, 1.0),
        ];
        // Score is the on-track child's alone; the not-started child adds 0% progress.
        assert_eq!(
            rollup(None, &kids, &[]),
            r(OnTrack, Some(100.0), Some(30.0))
        );
        // No child has a score and there are no measures: not-started.
        let idle = [
            child(NotStarted, None, Some(0.0), 1.0),
            child(NotStarted, None, None, 2.0),
        ];
        assert_eq!(rollup(None, &idle, &[]), r(NotStarted, None, Some(0.0)));
    }

    #[test]
    fn all_children_deferred_or_cancelled() {
        let deferred = [reported(Deferred, 30.0, 1.0), reported(Deferred, 0.0, 2.0)];
        assert_eq!(rollup(None, &deferred, &[]), r(Deferred, None, None));
        let cancelled = [
            reported(Cancelled, 10.0, 1.0),
            reported(Cancelled, 0.0, 1.0),
        ];
        assert_eq!(rollup(None, &cancelled, &[]), r(Cancelled, None, None));
        let mixed = [reported(Deferred, 30.0, 1.0), reported(Cancelled, 0.0, 1.0)];
        assert_eq!(rollup(None, &mixed, &[]), r(Deferred, None, None));
        // The node's own percent is its progress when no child counts.
        assert_eq!(
            rollup(own(NotStarted, Some(15.0)), &mixed, &[]),
            r(Deferred, None, Some(15.0))
        );
        // A node's own health still counts: an on-track report beats set-aside children.
        assert_eq!(
            rollup(own(OnTrack, None), &mixed, &[]),
            r(OnTrack, Some(100.0), None)
        );
    }

    #[test]
    fn a_deferred_child_is_set_aside() {
        let kids = [
            reported(OnTrack, 80.0, 1.0),
            reported(Deferred, 10.0, 1.0),
            reported(AtRisk, 30.0, 2.0),
        ];
        // Score (100 + 2×50) / 3 = 66.67 → at-risk; progress (80 + 2×30) / 3 = 46.67.
        let s = rollup(None, &kids, &[]);
        assert_eq!(s.status, AtRisk);
        assert!((s.score.unwrap() - 200.0 / 3.0).abs() < 1e-12);
        assert!((s.progress.unwrap() - 140.0 / 3.0).abs() < 1e-12);
        // Every counted child completed: completed, even with a deferred sibling.
        let done = [
            reported(Completed, 100.0, 1.0),
            reported(Deferred, 10.0, 1.0),
        ];
        assert_eq!(
            rollup(None, &done, &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
    }

    #[test]
    fn zero_weights() {
        // A zero-weight red child does not pull the parent down.
        let kids = [reported(OnTrack, 60.0, 1.0), reported(OffTrack, 0.0, 0.0)];
        assert_eq!(
            rollup(None, &kids, &[]),
            r(OnTrack, Some(100.0), Some(60.0))
        );
        // Nor does a zero-weight red measure.
        assert_eq!(
            rollup(None, &kids, &[(0.0, Some(Health::Red))]),
            r(OnTrack, Some(100.0), Some(60.0))
        );
        // All weights zero: nothing counts.
        let zero = [reported(OnTrack, 60.0, 0.0), reported(OffTrack, 0.0, 0.0)];
        assert_eq!(
            rollup(None, &zero, &[(0.0, Some(Health::Green))]),
            r(NotStarted, None, None)
        );
        // A zero-weight completed child does not make the parent completed.
        let z = [reported(Completed, 100.0, 0.0)];
        assert_eq!(rollup(None, &z, &[]), r(NotStarted, None, None));
    }

    #[test]
    fn completed_check_in_wins_over_red_children() {
        let kids = [reported(OffTrack, 20.0, 1.0), reported(OffTrack, 0.0, 1.0)];
        let m = [(1.0, Some(Health::Red))];
        assert_eq!(
            rollup(own(Completed, Some(100.0)), &kids, &m),
            r(Completed, Some(100.0), Some(100.0))
        );
        assert_eq!(
            rollup(own(Deferred, Some(40.0)), &kids, &m),
            r(Deferred, None, Some(40.0))
        );
        // An open check-in does not: (0 + 0 + 0 + 100) / 4 = 25 → off-track.
        assert_eq!(
            rollup(own(OnTrack, Some(70.0)), &kids, &m),
            r(OffTrack, Some(25.0), Some(10.0))
        );
    }

    #[test]
    fn all_children_completed_completes_the_parent() {
        let kids = [
            reported(Completed, 100.0, 1.0),
            reported(Completed, 100.0, 3.0),
        ];
        assert_eq!(
            rollup(None, &kids, &[]),
            r(Completed, Some(100.0), Some(100.0))
        );
        // Measures still shape the score, not the status.
        assert_eq!(
            rollup(None, &kids, &[(4.0, Some(Health::Red))]),
            r(Completed, Some(50.0), Some(100.0))
        );
    }

    // ---- overrides ----------------------------------------------------------------

    #[test]
    fn override_propagates_through_as_child() {
        let green = rollup(own(OnTrack, Some(70.0)), &[], &[]);
        assert_eq!(green, r(OnTrack, Some(100.0), Some(70.0)));
        // Without an override the computed figures pass up.
        assert_eq!(
            as_child(&green, None, 2.0),
            child(OnTrack, Some(100.0), Some(70.0), 2.0)
        );
        // An off-track override counts 0 and keeps the computed progress.
        let over = as_child(&green, Some(OffTrack), 1.0);
        assert_eq!(over, child(OffTrack, Some(0.0), Some(70.0), 1.0));
        // Against one green sibling: (100 + 0) / 2 = 50 → at-risk.
        let sib = reported(OnTrack, 30.0, 1.0);
        assert_eq!(
            rollup(None, &[sib, over], &[]),
            r(AtRisk, Some(50.0), Some(50.0))
        );
        // Against a green sibling and an amber one: (100 + 50 + 0) / 3 = 50 → at-risk;
        // against an amber sibling alone: (50 + 0) / 2 = 25 → off-track.
        let amber = reported(AtRisk, 30.0, 1.0);
        assert_eq!(rollup(None, &[sib, amber, over], &[]).status, AtRisk);
        assert_eq!(
            rollup(None, &[amber, over], &[]),
            r(OffTrack, Some(25.0), Some(50.0))
        );
        // Completed overrides give 100 and progress 100; set-aside ones drop out.
        assert_eq!(
            as_child(&green, Some(Completed), 1.0),
            child(Completed, Some(100.0), Some(100.0), 1.0)
        );
        let deferred = as_child(&green, Some(Deferred), 1.0);
        assert_eq!(deferred, child(Deferred, None, Some(70.0), 1.0));
        assert_eq!(
            rollup(None, &[amber, deferred], &[]),
            r(AtRisk, Some(50.0), Some(30.0))
        );
        // A not-started override gives no score.
        assert_eq!(as_child(&green, Some(NotStarted), 1.0).score, None);
    }
}
