//! The dashboard's sections, built from one status report and a few bulk
//! reads: every node a section lists meets the filters.

use crate::pages::Badge;
use crate::pages::charts::bars::{self, Segment};
use crate::pages::filters::{Filters, Names};
use lodestar_domain::status::{Health, target_for};
use lodestar_domain::{CheckIn, Goal, Measure, NodeId, ProgressStatus};
use lodestar_services::{NodeReport, OverdueNode, StatusReport};
use std::collections::HashMap;
use time::Date;

/// How wide a goal's status bar is drawn, in SVG units.
pub(super) const BAR_WIDTH: u32 = 240;

/// The order statuses are stacked in: done first, then by how much they need.
const ORDER: [ProgressStatus; 7] = [
    ProgressStatus::Completed,
    ProgressStatus::OnTrack,
    ProgressStatus::AtRisk,
    ProgressStatus::OffTrack,
    ProgressStatus::NotStarted,
    ProgressStatus::Deferred,
    ProgressStatus::Cancelled,
];

/// A goal with its progress and its initiatives counted by status.
pub(super) struct GoalCard {
    pub id: i64,
    pub name: String,
    pub badge: Badge,
    /// The roll-up's percent done, rounded; none when unknown.
    pub progress: Option<u32>,
    /// How many of its initiatives meet the filters.
    pub total: usize,
    /// The count of each status that has any, in stacking order.
    pub counts: Vec<(Badge, usize)>,
    pub segments: Vec<Segment>,
    /// The bar's text alternative.
    pub description: String,
}

/// A measure that is red or amber.
pub(super) struct MeasureAlert {
    pub node_id: i64,
    pub node: String,
    pub measure_id: i64,
    pub name: String,
    pub badge: Badge,
    pub value: String,
    pub period: String,
    pub target: String,
    pub reason: String,
}

/// A node whose owner owes a check-in.
pub(super) struct OverdueRow {
    pub node_id: i64,
    pub node: String,
    pub owner: String,
    pub days: i64,
    pub last: String,
}

/// An initiative due soon.
pub(super) struct DueRow {
    pub node_id: i64,
    pub node: String,
    pub owner: String,
    pub due: String,
    pub days_left: i64,
    pub badge: Badge,
}

/// A check-in filed lately.
pub(super) struct CheckinRow {
    pub node_id: i64,
    pub node: String,
    pub date: String,
    pub badge: Badge,
    pub who: String,
}

/// A node as lists name it: its code, then its title.
pub(super) fn label(node: &NodeReport) -> String {
    match &node.node.code {
        Some(code) => format!("{code} {}", node.node.title),
        None => node.node.title.to_string(),
    }
}

/// The level the plan's initiatives sit at: the deepest any node has.
pub(super) fn initiative_level(report: &StatusReport) -> u8 {
    report.nodes.iter().map(|n| n.node.level).max().unwrap_or(0)
}

/// Each node's goal (its top-level ancestor); the report lists parents first.
fn goals_of(report: &StatusReport) -> HashMap<NodeId, NodeId> {
    let mut goal = HashMap::new();
    for n in &report.nodes {
        let top = n
            .node
            .parent_id
            .and_then(|p| goal.get(&p).copied())
            .unwrap_or(n.node.id);
        goal.insert(n.node.id, top);
    }
    goal
}

/// Every goal with its initiatives that meet the filters counted by status.
pub(super) fn goal_cards(report: &StatusReport, filters: &Filters, names: &Names) -> Vec<GoalCard> {
    let level = initiative_level(report);
    let goal_of = goals_of(report);
    let mut counts: HashMap<NodeId, HashMap<ProgressStatus, usize>> = HashMap::new();
    for n in &report.nodes {
        if n.node.level == level
            && filters.matches(n, &names.node_tags)
            && let Some(goal) = goal_of.get(&n.node.id)
        {
            *counts
                .entry(*goal)
                .or_default()
                .entry(n.status.status)
                .or_default() += 1;
        }
    }
    report
        .nodes
        .iter()
        .filter(|n| n.depth == 0)
        .map(|g| {
            let mine = counts.remove(&g.node.id).unwrap_or_default();
            let counts: Vec<(Badge, usize)> = ORDER
                .iter()
                .filter_map(|s| mine.get(s).map(|c| (Badge::status(*s), *c)))
                .collect();
            let parts: Vec<_> = counts.iter().map(|(b, c)| (b.class, b.label, *c)).collect();
            let total = counts.iter().map(|c| c.1).sum();
            let told: Vec<String> = counts
                .iter()
                .map(|(b, c)| format!("{c} {}", b.label))
                .collect();
            let name = label(g);
            let description = if total == 0 {
                format!("{name}: no initiatives to count")
            } else {
                format!("{name}: {total} initiatives; {}", told.join(", "))
            };
            GoalCard {
                id: g.node.id.0,
                name,
                badge: Badge::status(g.status.status),
                progress: g
                    .status
                    .computed
                    .progress
                    .map(|p| p.clamp(0.0, 100.0).round() as u32),
                total,
                segments: bars::stacked(BAR_WIDTH, &parts),
                counts,
                description,
            }
        })
        .collect()
}

/// A number as people write it: no trailing zeros, at most two decimals.
pub(super) fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// A value with the measure's unit: `52.3%`, `26 days`.
fn with_unit(measure: &Measure, v: f64) -> String {
    match measure.unit.as_ref().map(|u| u.to_string()) {
        Some(u) if u == "%" => format!("{}%", number(v)),
        Some(u) => format!("{} {u}", number(v)),
        None => number(v),
    }
}

/// The red and amber measures of nodes that meet the filters, red first.
pub(super) fn alerts(report: &StatusReport, filters: &Filters, names: &Names) -> Vec<MeasureAlert> {
    let nodes: HashMap<NodeId, &NodeReport> = report.nodes.iter().map(|n| (n.node.id, n)).collect();
    let mut out: Vec<(u8, MeasureAlert)> = report
        .measures
        .iter()
        .filter_map(|m| {
            let rank = match m.status.health {
                Some(Health::Red) => 0,
                Some(Health::Amber) => 1,
                _ => return None,
            };
            let node = nodes.get(&m.measure.node_id)?;
            if !filters.matches(node, &names.node_tags) {
                return None;
            }
            let target = m
                .status
                .period
                .and_then(|p| target_for(&m.measure.targets, p))
                .map_or_else(
                    || "None set".to_owned(),
                    |t| match t.goal {
                        Goal::Value { value } => with_unit(&m.measure, value.get()),
                        Goal::Range { low, high } => format!(
                            "{} to {}",
                            with_unit(&m.measure, low.get()),
                            with_unit(&m.measure, high.get())
                        ),
                    },
                );
            Some((
                rank,
                MeasureAlert {
                    node_id: node.node.id.0,
                    node: label(node),
                    measure_id: m.measure.id.0,
                    name: m.measure.name.to_string(),
                    badge: Badge::health(m.status.health),
                    value: m
                        .status
                        .value
                        .map_or_else(|| "–".to_owned(), |v| with_unit(&m.measure, v)),
                    period: m.status.period.map(|p| p.to_string()).unwrap_or_default(),
                    target,
                    reason: m.status.reason.clone(),
                },
            ))
        })
        .collect();
    out.sort_by_key(|(rank, _)| *rank);
    out.into_iter().map(|(_, a)| a).collect()
}

/// The overdue updates of nodes that meet the filters, most overdue first.
pub(super) fn overdue(
    report: &StatusReport,
    late: Vec<OverdueNode>,
    filters: &Filters,
    names: &Names,
) -> Vec<OverdueRow> {
    let nodes: HashMap<NodeId, &NodeReport> = report.nodes.iter().map(|n| (n.node.id, n)).collect();
    late.into_iter()
        .filter_map(|o| {
            let node = nodes.get(&o.node_id)?;
            filters.matches(node, &names.node_tags).then(|| OverdueRow {
                node_id: o.node_id.0,
                node: label(node),
                owner: o
                    .owner_name
                    .map_or_else(|| "No owner".to_owned(), |n| n.to_string()),
                days: o.days_overdue,
                last: o
                    .last_checkin
                    .map_or_else(|| "Never".to_owned(), |d| d.to_string()),
            })
        })
        .collect()
}

/// The open initiatives that meet the filters and are due within `days` of
/// `today`, soonest first.
pub(super) fn due_soon(
    report: &StatusReport,
    today: Date,
    days: i64,
    filters: &Filters,
    names: &Names,
) -> Vec<DueRow> {
    let level = initiative_level(report);
    let mut rows: Vec<DueRow> = report
        .nodes
        .iter()
        .filter(|n| n.node.level == level && !n.status.status.is_closed())
        .filter(|n| filters.matches(n, &names.node_tags))
        .filter_map(|n| {
            let due = n.schedule.due?;
            let left = (due.date() - today).whole_days();
            (0..=days).contains(&left).then(|| DueRow {
                node_id: n.node.id.0,
                node: label(n),
                owner: n
                    .node
                    .owner_id
                    .and_then(|o| names.people.get(&o).cloned())
                    .unwrap_or_else(|| "No owner".to_owned()),
                due: due.to_string(),
                days_left: left,
                badge: Badge::status(n.status.status),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.days_left.cmp(&b.days_left).then(a.node.cmp(&b.node)));
    rows
}

/// The latest `limit` of `checkins` on nodes that meet the filters.
pub(super) fn recent(
    report: &StatusReport,
    checkins: Vec<CheckIn>,
    limit: usize,
    filters: &Filters,
    names: &Names,
) -> Vec<CheckinRow> {
    let nodes: HashMap<NodeId, &NodeReport> = report.nodes.iter().map(|n| (n.node.id, n)).collect();
    checkins
        .into_iter()
        .filter_map(|c| {
            let node = nodes.get(&c.node_id)?;
            filters.matches(node, &names.node_tags).then(|| CheckinRow {
                node_id: c.node_id.0,
                node: label(node),
                date: c.date.to_string(),
                badge: Badge::status(c.status),
                who: c
                    .author_id
                    .and_then(|a| names.people.get(&a).cloned())
                    .unwrap_or_else(|| "Unknown".to_owned()),
            })
        })
        .take(limit)
        .collect()
}
