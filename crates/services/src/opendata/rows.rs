//! The rows of the three downloads, built from a [`PublicPlan`] and nothing
//! else: what `App::public_plan` left out cannot appear in a download.
//!
//! Column names are a published interface (docs/open-data.md): add columns
//! at the end, never rename or remove one.

use super::table::{Cell, Table};
use crate::publication::PublicPlan;
use lodestar_domain::NodeId;
use lodestar_domain::measure::Goal;
use std::collections::HashMap;

/// The columns of `nodes.csv` / `nodes.json`.
pub const NODE_COLUMNS: &[&str] = &[
    "plan_key",
    "node_id",
    "code",
    "parent_node_id",
    "parent_code",
    "level",
    "level_name",
    "title",
    "description",
    "status",
    "progress_percent",
    "start_date",
    "due_date",
    "last_checkin",
];

/// The columns of `measures.csv` / `measures.json`.
pub const MEASURE_COLUMNS: &[&str] = &[
    "plan_key",
    "measure_key",
    "node_id",
    "node_code",
    "name",
    "description",
    "unit",
    "direction",
    "frequency",
    "calculated",
    "data_source",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_low",
    "target_high",
    "target_period",
    "latest_value",
    "latest_period",
    "health",
    "threshold_basis",
    "threshold_green",
    "threshold_amber",
];

/// The columns of `observations.csv` / `observations.json`.
pub const OBSERVATION_COLUMNS: &[&str] = &[
    "plan_key",
    "measure_key",
    "period",
    "period_start",
    "period_end",
    "value",
    "observed_on",
    "source",
];

fn key_cell(plan: &PublicPlan) -> Cell {
    Cell::Text(plan.key.as_str().to_owned())
}

/// One row per published node, parents before children.
pub fn nodes_table(plan: &PublicPlan) -> Table {
    let rows = plan
        .nodes
        .iter()
        .map(|node| {
            let parent = node.parent_id.and_then(|p| plan.node(p));
            vec![
                key_cell(plan),
                Cell::Int(node.id.0),
                Cell::text(node.code.as_ref().map(|c| c.as_str())),
                parent.map_or(Cell::Null, |p| Cell::Int(p.id.0)),
                Cell::text(parent.and_then(|p| p.code.as_ref()).map(|c| c.as_str())),
                Cell::Int(i64::from(node.level)),
                Cell::Text(node.level_name.clone()),
                Cell::Text(node.title.as_str().to_owned()),
                Cell::text(node.description.as_ref().map(|d| d.as_str())),
                Cell::Text(node.status.to_string()),
                Cell::number(node.progress),
                Cell::text(node.schedule.start),
                Cell::text(node.schedule.due),
                Cell::text(node.last_checkin),
            ]
        })
        .collect();
    Table {
        columns: NODE_COLUMNS,
        rows,
    }
}

/// One row per published measure, in node order: its target is the final
/// one (the target without a period), else the one for the latest period.
pub fn measures_table(plan: &PublicPlan) -> Table {
    let codes: HashMap<NodeId, Option<&str>> = plan
        .nodes
        .iter()
        .map(|n| (n.id, n.code.as_ref().map(|c| c.as_str())))
        .collect();
    let rows = plan
        .measures
        .iter()
        .map(|m| {
            let target = m
                .targets
                .iter()
                .find(|t| t.period.is_none())
                .or_else(|| m.targets.iter().max_by_key(|t| t.period));
            let (value, low, high) = match target.map(|t| t.goal) {
                Some(Goal::Value { value }) => (Some(value.get()), None, None),
                Some(Goal::Range { low, high }) => (None, Some(low.get()), Some(high.get())),
                None => (None, None, None),
            };
            vec![
                key_cell(plan),
                Cell::Text(m.key.as_str().to_owned()),
                Cell::Int(m.node_id.0),
                Cell::text(codes.get(&m.node_id).copied().flatten()),
                Cell::Text(m.name.as_str().to_owned()),
                Cell::text(m.description.as_ref().map(|d| d.as_str())),
                Cell::text(m.unit.as_ref().map(|u| u.as_str())),
                Cell::Text(m.direction.to_string()),
                Cell::Text(m.frequency.to_string()),
                Cell::Bool(m.calculated),
                Cell::text(m.data_source.as_ref().map(|s| s.as_str())),
                Cell::number(m.baseline.map(|b| b.value.get())),
                Cell::text(m.baseline.and_then(|b| b.date)),
                Cell::number(value),
                Cell::number(low),
                Cell::number(high),
                Cell::text(target.and_then(|t| t.period)),
                Cell::number(m.latest_value),
                Cell::text(m.latest_period),
                Cell::text(m.health),
                Cell::Text(m.thresholds.basis.to_string()),
                Cell::Number(m.thresholds.green.get()),
                Cell::Number(m.thresholds.amber.get()),
            ]
        })
        .collect();
    Table {
        columns: MEASURE_COLUMNS,
        rows,
    }
}

/// One row per value of a published measure, by measure (in node order) and
/// period.
pub fn observations_table(plan: &PublicPlan) -> Table {
    let rows = plan
        .measures
        .iter()
        .flat_map(|m| m.observations.iter().map(move |o| (m, o)))
        .map(|(m, o)| {
            let (start, end) = o.period.bounds();
            vec![
                key_cell(plan),
                Cell::Text(m.key.as_str().to_owned()),
                Cell::Text(o.period.to_string()),
                Cell::Text(start.to_string()),
                Cell::Text(end.to_string()),
                Cell::number(o.value),
                Cell::text(o.observed_on),
                Cell::text(o.source.as_ref().map(|s| s.as_str())),
            ]
        })
        .collect();
    Table {
        columns: OBSERVATION_COLUMNS,
        rows,
    }
}
