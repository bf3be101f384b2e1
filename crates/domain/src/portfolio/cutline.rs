//! Ranking and the cut line: which ranked proposals fit the staff hours and
//! the budget left once committed work has taken its share.
//!
//! Committed proposals (stages of kind `committed`: approved, in execution)
//! consume capacity and budget first. Then the ranked proposals, best first,
//! are filled greedily: a proposal is in when, for every fiscal year, its
//! capital and its operating costs fit what remains of that year's capital
//! and operating budget, and, for every role and month, its hours fit what
//! remains of that role's capacity that month; it then consumes them. A
//! proposal that does not fit is out, and the next one is tried: one large
//! proposal does not keep smaller ones below it out. A role and month with
//! no capacity recorded has 0 hours; a fiscal year with no budget recorded
//! has $0.

use super::budget::BudgetLimit;
use super::money::Money;
use super::month::{StaffRole, YearMonth};
use super::proposal::{CostKind, CostLine, EffortLine};
use crate::ProposalId;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// What a proposal needs: money per fiscal year and kind, hours per role and month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demand {
    /// Cost per (fiscal year, kind).
    pub money: BTreeMap<(i32, CostKind), Money>,
    /// Hours per (role, month).
    pub hours: BTreeMap<(StaffRole, YearMonth), u64>,
}

impl Demand {
    /// The demand of a proposal's cost and effort lines (lines of the same
    /// year and kind, or role and month, add up).
    pub fn of(costs: &[CostLine], effort: &[EffortLine]) -> Self {
        let mut d = Self::default();
        for c in costs {
            *d.money.entry((c.fiscal_year, c.kind)).or_default() += c.amount;
        }
        for e in effort {
            *d.hours.entry((e.role.clone(), e.month)).or_default() += u64::from(e.hours);
        }
        d
    }

    /// Adds another demand to this one.
    pub fn add(&mut self, other: &Demand) {
        for (k, v) in &other.money {
            *self.money.entry(*k).or_default() += *v;
        }
        for (k, v) in &other.hours {
            *self.hours.entry(k.clone()).or_default() += *v;
        }
    }
}

/// What the organization has: budget per fiscal year, hours per role and month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Limits {
    /// Budget per fiscal year.
    pub budgets: BTreeMap<i32, BudgetLimit>,
    /// Hours available per (role, month).
    pub capacity: BTreeMap<(StaffRole, YearMonth), u64>,
}

impl Limits {
    fn money(&self, year: i32, kind: CostKind) -> Option<Money> {
        self.budgets.get(&year).map(|b| match kind {
            CostKind::Capital => b.capital,
            CostKind::Operating => b.operating,
        })
    }
}

/// A proposal competing for what is left.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The proposal.
    pub id: ProposalId,
    /// Its weighted score (1–5), if scored.
    pub score: Option<f64>,
    /// When it was first submitted.
    pub submitted_at: Option<OffsetDateTime>,
    /// What it needs.
    pub demand: Demand,
}

/// A ranked proposal, in or out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CutLineEntry {
    /// The proposal.
    pub proposal_id: ProposalId,
    /// Its rank, from 1.
    pub rank: usize,
    /// Its weighted score (1–5); none when unscored (ranked last).
    pub score: Option<f64>,
    /// Whether it fits above the cut line.
    pub fits: bool,
    /// Why, in words: what it uses, or its first shortfall.
    pub reason: String,
}

/// Orders candidates: score descending (unscored last), then earlier
/// submission, then lower id.
pub fn rank_order(a: &Candidate, b: &Candidate) -> Ordering {
    let by_score = match (a.score, b.score) {
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let by_submission = match (a.submitted_at, b.submitted_at) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_score.then(by_submission).then(a.id.cmp(&b.id))
}

/// Ranks `candidates` and draws the cut line under `limits`, after the
/// `committed` demands have taken their share.
pub fn cut_line(
    limits: &Limits,
    committed: &[Demand],
    mut candidates: Vec<Candidate>,
) -> Vec<CutLineEntry> {
    let mut used = Demand::default();
    for d in committed {
        used.add(d);
    }
    candidates.sort_by(rank_order);
    candidates
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let (fits, reason) = match shortfall(limits, &used, &c.demand) {
                Some(why) => (false, format!("out: {why}")),
                None => {
                    used.add(&c.demand);
                    (true, format!("in: {}", uses(&c.demand)))
                }
            };
            CutLineEntry {
                proposal_id: c.id,
                rank: i + 1,
                score: c.score,
                fits,
                reason,
            }
        })
        .collect()
}

/// The first thing `demand` does not fit into, given what is `used` already.
fn shortfall(limits: &Limits, used: &Demand, demand: &Demand) -> Option<String> {
    for (&(year, kind), &need) in &demand.money {
        let limit = limits.money(year, kind);
        let taken = used.money.get(&(year, kind)).copied().unwrap_or_default();
        let left = limit.unwrap_or_default() - taken;
        if need > left {
            let note = if limit.is_none() {
                format!(" (no budget is recorded for FY{year})")
            } else {
                String::new()
            };
            return Some(format!("FY{year} {kind}: needs {need}, {left} left{note}"));
        }
    }
    for ((role, month), &need) in &demand.hours {
        let key = (role.clone(), *month);
        let capacity = limits.capacity.get(&key).copied();
        let taken = used.hours.get(&key).copied().unwrap_or(0);
        let total = capacity.unwrap_or(0);
        let left = total.saturating_sub(taken);
        if need > left {
            let note = if capacity.is_none() {
                " (no capacity is recorded)"
            } else {
                ""
            };
            return Some(format!(
                "{role} in {month}: needs {need} h, {left} h left of {total} h{note}"
            ));
        }
    }
    None
}

/// What a demand uses, in words.
fn uses(demand: &Demand) -> String {
    let money: Money = demand.money.values().copied().sum();
    let hours: u64 = demand.hours.values().sum();
    match (money == Money::ZERO, hours == 0) {
        (true, true) => "needs no budget and no staff hours".into(),
        (false, true) => format!("uses {money} of budget and no staff hours"),
        (true, false) => format!("uses no budget and {hours} staff hours"),
        (false, false) => format!("uses {money} of budget and {hours} staff hours"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::proposal::Recurrence;

    fn role(r: &str) -> StaffRole {
        StaffRole::parse(r).unwrap()
    }

    fn month(m: &str) -> YearMonth {
        m.parse().unwrap()
    }

    fn cost(year: i32, kind: CostKind, dollars: i64) -> CostLine {
        CostLine {
            fiscal_year: year,
            kind,
            recurrence: Recurrence::OneTime,
            amount: Money::dollars(dollars),
        }
    }

    fn effort(r: &str, m: &str, hours: u32) -> EffortLine {
        EffortLine {
            role: role(r),
            month: month(m),
            hours,
        }
    }

    fn candidate(id: i64, score: f64, costs: &[CostLine], work: &[EffortLine]) -> Candidate {
        Candidate {
            id: ProposalId(id),
            score: Some(score),
            submitted_at: None,
            demand: Demand::of(costs, work),
        }
    }

    /// FY2026: $100,000 capital, $50,000 operating; developers 400 h in 2026-03.
    /// Committed work already takes $20,000 capital and 240 h.
    fn limits() -> Limits {
        let mut l = Limits::default();
        l.budgets.insert(
            2026,
            BudgetLimit {
                capital: Money::dollars(100_000),
                operating: Money::dollars(50_000),
            },
        );
        l.capacity
            .insert((role("developer"), month("2026-03")), 400);
        l
    }

    #[test]
    fn greedy_fill_skips_what_does_not_fit_and_explains() {
        let committed = [Demand::of(
            &[cost(2026, CostKind::Capital, 20_000)],
            &[effort("developer", "2026-03", 240)],
        )];
        let candidates = vec![
            // Rank 1: fits: $60,000 of $80,000 capital left, 100 h of 160 h.
            candidate(
                1,
                4.5,
                &[cost(2026, CostKind::Capital, 60_000)],
                &[effort("developer", "2026-03", 100)],
            ),
            // Rank 2: fits the budget ($10,000 of $20,000 left) but not the hours (100 h, 60 h left).
            candidate(
                2,
                4.0,
                &[cost(2026, CostKind::Capital, 10_000)],
                &[effort("developer", "2026-03", 100)],
            ),
            // Rank 3: fits the hours but not the budget ($30,000 operating in FY2027: none recorded).
            candidate(
                3,
                3.5,
                &[cost(2027, CostKind::Operating, 30_000)],
                &[effort("developer", "2026-03", 10)],
            ),
            // Rank 4: smaller, fits after 2 and 3 were skipped.
            candidate(
                4,
                3.0,
                &[cost(2026, CostKind::Operating, 5_000)],
                &[effort("developer", "2026-03", 60)],
            ),
        ];
        let line = cut_line(&limits(), &committed, candidates);
        let fits: Vec<bool> = line.iter().map(|e| e.fits).collect();
        assert_eq!(fits, [true, false, false, true]);
        assert_eq!(
            line[0].reason,
            "in: uses $60,000.00 of budget and 100 staff hours"
        );
        assert_eq!(
            line[1].reason,
            "out: developer in 2026-03: needs 100 h, 60 h left of 400 h"
        );
        assert_eq!(
            line[2].reason,
            "out: FY2027 operating: needs $30,000.00, $0.00 left (no budget is recorded for FY2027)"
        );
        assert_eq!(line[3].rank, 4);
    }

    #[test]
    fn ranking_puts_unscored_last_then_earlier_submission_then_id() {
        let mut a = candidate(5, 3.0, &[], &[]);
        let mut b = candidate(4, 3.0, &[], &[]);
        let c = Candidate {
            score: None,
            ..candidate(1, 0.0, &[], &[])
        };
        a.submitted_at = Some(OffsetDateTime::UNIX_EPOCH);
        b.submitted_at = Some(OffsetDateTime::UNIX_EPOCH + time::Duration::days(1));
        let line = cut_line(&Limits::default(), &[], vec![c, b, a]);
        let ids: Vec<i64> = line.iter().map(|e| e.proposal_id.0).collect();
        assert_eq!(ids, [5, 4, 1]);
        assert_eq!(line[2].score, None);
        assert_eq!(line[2].reason, "in: needs no budget and no staff hours");
    }

    #[test]
    fn hours_with_no_capacity_recorded_are_zero() {
        let line = cut_line(
            &Limits::default(),
            &[],
            vec![candidate(1, 5.0, &[], &[effort("dba", "2026-05", 8)])],
        );
        assert_eq!(
            line[0].reason,
            "out: dba in 2026-05: needs 8 h, 0 h left of 0 h (no capacity is recorded)"
        );
    }
}
