//! Staff capacity per role per month, budgets per fiscal year, and the
//! reports that set committed work against them.

use crate::{App, ServiceResult};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::Versioned;
use std::collections::{BTreeMap, HashMap};

/// The most months one capacity report covers (ten years).
pub const MAX_REPORT_MONTHS: usize = 120;

impl App {
    /// Records the hours `role` has available in `month` (0 clears them).
    /// The front end authorizes [`Need::Directory`](crate::authz::Need::Directory).
    pub async fn set_capacity(
        &self,
        organization: OrganizationId,
        role: &StaffRole,
        month: YearMonth,
        hours: u64,
    ) -> ServiceResult<()> {
        self.store().get_organization(organization).await?;
        if hours > 100_000 {
            return Err(ValidationError::new(
                "hours",
                format!("{hours} h in one month is not plausible; at most 100000"),
            )
            .into());
        }
        Ok(self
            .store()
            .set_capacity(organization, role, month, hours)
            .await?)
    }

    /// Records an organization's budget for a fiscal year.
    /// The front end authorizes [`Need::Directory`](crate::authz::Need::Directory).
    pub async fn set_budget(
        &self,
        organization: OrganizationId,
        fiscal_year: i32,
        limit: BudgetLimit,
    ) -> ServiceResult<()> {
        self.store().get_organization(organization).await?;
        if !(1900..=2200).contains(&fiscal_year) {
            return Err(ValidationError::new(
                "fiscal_year",
                format!("{fiscal_year} is not a fiscal year from 1900 to 2200"),
            )
            .into());
        }
        for (field, amount) in [("capital", limit.capital), ("operating", limit.operating)] {
            if amount < Money::ZERO {
                return Err(ValidationError::new(field, "must not be negative").into());
            }
        }
        Ok(self
            .store()
            .set_budget(organization, fiscal_year, limit)
            .await?)
    }

    /// Budgets recorded for an organization, by fiscal year.
    pub async fn budgets(
        &self,
        organization: OrganizationId,
    ) -> ServiceResult<BTreeMap<i32, BudgetLimit>> {
        self.store().get_organization(organization).await?;
        Ok(self.store().budgets(organization).await?)
    }

    /// Committed proposals of an organization (stages of kind `committed`).
    async fn committed_proposals(
        &self,
        organization: OrganizationId,
    ) -> ServiceResult<Vec<Proposal>> {
        let config = self.config_of(organization).await?;
        Ok(self
            .store()
            .list_proposals(Some(organization))
            .await?
            .into_iter()
            .map(|Versioned { value, .. }| value)
            .filter(|p| config.kind_of(p.stage.as_str()) == Some(StageKind::Committed))
            .collect())
    }

    /// Capacity against the demand of committed work, per role and month
    /// from `from` to `to` (both included), over-allocated months flagged.
    pub async fn capacity_report(
        &self,
        organization: OrganizationId,
        from: YearMonth,
        to: YearMonth,
    ) -> ServiceResult<Vec<CapacityRow>> {
        if to < from {
            return Err(ValidationError::new("to", format!("{to} is before {from}")).into());
        }
        if YearMonth::range(from, to).len() > MAX_REPORT_MONTHS {
            return Err(ValidationError::new(
                "to",
                format!("a report covers at most {MAX_REPORT_MONTHS} months"),
            )
            .into());
        }
        let capacity = self.store().capacity(organization).await?;
        let mut demand = Demand::default();
        for p in self.committed_proposals(organization).await? {
            demand.add(&Demand::of(&p.draft.costs, &p.draft.effort));
        }
        Ok(capacity_report(&capacity, &demand.hours, from, to))
    }

    /// Committed proposals' costs rolled up by goal and objective, by fiscal
    /// year, capital versus operating, against the budgets. A proposal tied
    /// to several objectives is split equally between them (the odd cents
    /// to its first).
    pub async fn budget_rollup(&self, organization: OrganizationId) -> ServiceResult<BudgetRollup> {
        let limits = self.store().budgets(organization).await?;
        let mut places: HashMap<NodeId, Placement> = HashMap::new();
        let mut committed = Vec::new();
        for p in self.committed_proposals(organization).await? {
            let mut placements = Vec::new();
            for objective in &p.draft.objectives {
                if !places.contains_key(objective) {
                    let place = self.placement(*objective).await?;
                    places.insert(*objective, place);
                }
                placements.push(places[objective].clone());
            }
            committed.push(CommittedCosts {
                proposal_id: p.id,
                costs: p.draft.costs,
                placements,
            });
        }
        Ok(roll_up(&limits, &committed))
    }

    /// An objective and its top-level ancestor (its goal).
    async fn placement(&self, objective: NodeId) -> ServiceResult<Placement> {
        let node = self.store().get_node(objective).await?;
        let mut goal = node.clone();
        let mut steps = 0;
        while let Some(parent) = goal.parent_id {
            goal = self.store().get_node(parent).await?;
            steps += 1;
            if steps > 64 {
                break;
            }
        }
        let has_goal = goal.id != node.id;
        Ok(Placement {
            goal_id: has_goal.then_some(goal.id),
            goal_title: has_goal.then(|| goal.title.clone()),
            objective_id: Some(node.id),
            objective_title: Some(node.title),
        })
    }
}
