//! Budget limits per fiscal year, and the roll-up of committed proposals'
//! costs by goal and objective, by fiscal year, capital versus operating.
//!
//! A proposal tied to several objectives has each cost line split equally
//! between them, in whole cents, the cents left over going to its first tie,
//! so the roll-up adds up exactly to the proposals' costs. A proposal with no
//! tie (approved by exception) is rolled up under no objective.

use super::money::Money;
use super::proposal::{CostKind, CostLine};
use crate::{Name, NodeId, ProposalId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// What an organization may spend in one fiscal year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLimit {
    /// Capital budget.
    pub capital: Money,
    /// Operating budget.
    pub operating: Money,
}

/// Where a cost lands: an objective and the goal above it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    /// The goal (the objective's top-level ancestor), if known.
    pub goal_id: Option<NodeId>,
    /// Its title.
    pub goal_title: Option<Name>,
    /// The objective; none for a proposal approved by exception.
    pub objective_id: Option<NodeId>,
    /// Its title.
    pub objective_title: Option<Name>,
}

/// A committed proposal's costs and where they land.
#[derive(Debug, Clone, PartialEq)]
pub struct CommittedCosts {
    /// The proposal.
    pub proposal_id: ProposalId,
    /// Its cost lines.
    pub costs: Vec<CostLine>,
    /// Its ties, first first; empty when approved by exception.
    pub placements: Vec<Placement>,
}

/// Committed cost of one objective in one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetRow {
    /// Where.
    #[serde(flatten)]
    pub placement: Placement,
    /// The fiscal year.
    pub fiscal_year: i32,
    /// Capital committed.
    pub capital: Money,
    /// Operating committed.
    pub operating: Money,
}

/// One fiscal year: its limits, what is committed, and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetYear {
    /// The fiscal year.
    pub fiscal_year: i32,
    /// Its limits; none when no budget is recorded (treated as $0).
    pub limit: Option<BudgetLimit>,
    /// Capital committed.
    pub capital: Money,
    /// Operating committed.
    pub operating: Money,
    /// Capital left (negative when over).
    pub capital_left: Money,
    /// Operating left (negative when over).
    pub operating_left: Money,
}

/// The roll-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BudgetRollup {
    /// Per objective and fiscal year, ordered by goal, objective, year.
    pub rows: Vec<BudgetRow>,
    /// Per fiscal year, every year with a limit or a committed cost.
    pub years: Vec<BudgetYear>,
}

/// Rolls up committed costs by placement and fiscal year against `limits`.
pub fn roll_up(limits: &BTreeMap<i32, BudgetLimit>, committed: &[CommittedCosts]) -> BudgetRollup {
    let untied = [Placement {
        goal_id: None,
        goal_title: None,
        objective_id: None,
        objective_title: None,
    }];
    let mut rows: BTreeMap<(Placement, i32), (Money, Money)> = BTreeMap::new();
    let mut years: BTreeMap<i32, (Money, Money)> = BTreeMap::new();
    for p in committed {
        let places: &[Placement] = if p.placements.is_empty() {
            &untied
        } else {
            &p.placements
        };
        for line in &p.costs {
            for (place, share) in places.iter().zip(line.amount.split(places.len())) {
                let row = rows.entry((place.clone(), line.fiscal_year)).or_default();
                let year = years.entry(line.fiscal_year).or_default();
                match line.kind {
                    CostKind::Capital => {
                        row.0 += share;
                        year.0 += share;
                    }
                    CostKind::Operating => {
                        row.1 += share;
                        year.1 += share;
                    }
                }
            }
        }
    }
    for y in limits.keys() {
        years.entry(*y).or_default();
    }
    BudgetRollup {
        rows: rows
            .into_iter()
            .map(
                |((placement, fiscal_year), (capital, operating))| BudgetRow {
                    placement,
                    fiscal_year,
                    capital,
                    operating,
                },
            )
            .collect(),
        years: years
            .into_iter()
            .map(|(fiscal_year, (capital, operating))| {
                let limit = limits.get(&fiscal_year).copied();
                let l = limit.unwrap_or_default();
                BudgetYear {
                    fiscal_year,
                    limit,
                    capital,
                    operating,
                    capital_left: l.capital - capital,
                    operating_left: l.operating - operating,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::proposal::Recurrence;

    fn place(goal: i64, objective: i64) -> Placement {
        Placement {
            goal_id: Some(NodeId(goal)),
            goal_title: Some(Name::parse(&format!("Goal {goal}")).unwrap()),
            objective_id: Some(NodeId(objective)),
            objective_title: Some(Name::parse(&format!("Objective {objective}")).unwrap()),
        }
    }

    #[test]
    fn costs_split_equally_between_ties_and_add_up() {
        let committed = [CommittedCosts {
            proposal_id: ProposalId(1),
            costs: vec![CostLine {
                fiscal_year: 2026,
                kind: CostKind::Capital,
                recurrence: Recurrence::OneTime,
                amount: Money(100_001),
            }],
            placements: vec![place(1, 11), place(1, 12), place(2, 21)],
        }];
        let mut limits = BTreeMap::new();
        limits.insert(
            2026,
            BudgetLimit {
                capital: Money::dollars(2_000),
                operating: Money::ZERO,
            },
        );
        let r = roll_up(&limits, &committed);
        let shares: Vec<Money> = r.rows.iter().map(|row| row.capital).collect();
        assert_eq!(shares, [Money(33_335), Money(33_333), Money(33_333)]);
        assert_eq!(r.years[0].capital, Money(100_001));
        assert_eq!(r.years[0].capital_left, Money(99_999));
    }

    #[test]
    fn untied_costs_land_under_no_objective() {
        let committed = [CommittedCosts {
            proposal_id: ProposalId(2),
            costs: vec![CostLine {
                fiscal_year: 2027,
                kind: CostKind::Operating,
                recurrence: Recurrence::Recurring,
                amount: Money::dollars(10),
            }],
            placements: vec![],
        }];
        let r = roll_up(&BTreeMap::new(), &committed);
        assert_eq!(r.rows[0].placement.objective_id, None);
        assert_eq!(r.years[0].limit, None);
        assert_eq!(r.years[0].operating_left, Money::dollars(-10));
    }
}
