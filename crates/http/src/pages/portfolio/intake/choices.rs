//! What the intake form offers to choose from: organizations, departments,
//! people, risk levels, cost kinds, and the objectives of active plans
//! grouped by goal.

use crate::pages::PageError;
use crate::pages::forms::Choice;
use lodestar_domain::portfolio::{CostKind, Recurrence};
use lodestar_domain::{NodeId, OrganizationId, PlanStatus};
use lodestar_services::{App, ServiceError};
use std::collections::HashMap;

/// The select choices of the form.
pub(super) async fn choices(
    app: &App,
) -> Result<(Vec<Choice>, Vec<Choice>, Vec<Choice>), PageError> {
    let store = app.store();
    let orgs = store
        .list_organizations()
        .await
        .map_err(ServiceError::from)?;
    let several = orgs.len() > 1;
    let org_name: HashMap<OrganizationId, String> =
        orgs.iter().map(|o| (o.id, o.name.to_string())).collect();
    let within = |name: String, org: OrganizationId| match (several, org_name.get(&org)) {
        (true, Some(o)) => format!("{name} ({o})"),
        _ => name,
    };
    let none = || Choice::new("", "(none)");
    let organizations = orgs
        .iter()
        .map(|o| Choice::new(o.id.0.to_string(), o.name.to_string()))
        .collect();
    let departments = std::iter::once(none())
        .chain(
            store
                .list_departments(None)
                .await
                .map_err(ServiceError::from)?
                .into_iter()
                .map(|d| {
                    Choice::new(
                        d.id.0.to_string(),
                        within(d.name.to_string(), d.organization_id),
                    )
                }),
        )
        .collect();
    let people = std::iter::once(none())
        .chain(
            store
                .list_people(None)
                .await
                .map_err(ServiceError::from)?
                .into_iter()
                .map(|p| {
                    Choice::new(
                        p.id.0.to_string(),
                        within(p.name.to_string(), p.organization_id),
                    )
                }),
        )
        .collect();
    Ok((organizations, departments, people))
}

/// The objectives of every active plan, grouped by goal, `chosen` checked.
pub(super) async fn objective_groups(
    app: &App,
    chosen: &[String],
) -> Result<Vec<ObjectiveGroup>, PageError> {
    let store = app.store();
    let mut groups = Vec::new();
    for plan in store.list_plans().await.map_err(ServiceError::from)? {
        if plan.status != PlanStatus::Active {
            continue;
        }
        let level = plan.levels.index_of("objective").unwrap_or(1);
        let nodes = store
            .plan_nodes(plan.id)
            .await
            .map_err(ServiceError::from)?;
        let by_id: HashMap<NodeId, &lodestar_domain::Node> =
            nodes.iter().map(|n| (n.id, n)).collect();
        let label = |n: &lodestar_domain::Node| match &n.code {
            Some(code) => format!("{code} {}", n.title),
            None => n.title.to_string(),
        };
        let goal_of = |n: &lodestar_domain::Node| {
            let mut top = n;
            while let Some(parent) = top.parent_id.and_then(|p| by_id.get(&p)) {
                top = parent;
            }
            top.id
        };
        // The plan's order: each node by the positions on its path from the top.
        let path_of = |n: &lodestar_domain::Node| {
            let mut path = vec![n.position];
            let mut at = n;
            while let Some(parent) = at.parent_id.and_then(|p| by_id.get(&p)) {
                path.push(parent.position);
                at = parent;
            }
            path.reverse();
            path
        };
        let mut ordered: Vec<&lodestar_domain::Node> = nodes.iter().collect();
        ordered.sort_by_cached_key(|n| path_of(n));
        for goal in ordered.iter().filter(|n| n.parent_id.is_none()) {
            let objectives: Vec<ObjectiveBox> = ordered
                .iter()
                .filter(|n| n.level == level && goal_of(n) == goal.id && n.id != goal.id)
                .map(|n| ObjectiveBox {
                    id: n.id.0,
                    label: label(n),
                    checked: chosen.iter().any(|c| c.trim() == n.id.0.to_string()),
                })
                .collect();
            if !objectives.is_empty() {
                groups.push(ObjectiveGroup {
                    plan: plan.title.to_string(),
                    goal: label(goal),
                    objectives,
                });
            }
        }
    }
    Ok(groups)
}

/// The kinds and recurrences of a cost line, as choices.
pub(super) fn cost_choices() -> (Vec<Choice>, Vec<Choice>) {
    (
        CostKind::ALL
            .iter()
            .map(|k| {
                let label = match k {
                    CostKind::Capital => "Capital",
                    CostKind::Operating => "Operating",
                };
                Choice::new(k.as_str(), label)
            })
            .collect(),
        Recurrence::ALL
            .iter()
            .map(|r| {
                let label = match r {
                    Recurrence::OneTime => "One-time",
                    Recurrence::Recurring => "Recurring",
                };
                Choice::new(r.as_str(), label)
            })
            .collect(),
    )
}

/// One objective to tie to.
pub(super) struct ObjectiveBox {
    pub(super) id: i64,
    pub(super) label: String,
    pub(super) checked: bool,
}

/// The objectives under one goal of an active plan.
pub(super) struct ObjectiveGroup {
    pub(super) plan: String,
    pub(super) goal: String,
    pub(super) objectives: Vec<ObjectiveBox>,
}
