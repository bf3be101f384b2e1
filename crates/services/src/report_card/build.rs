//! Lays the facts of a year out as a report card: counts per node summed up
//! the tree, graded by the rule, with each objective's evidence.

use super::Facts;
use super::advice::{highlights_and_concerns, narrative, recommendations};
use crate::ServiceResult;
use crate::execution::{MeasureReport, NodeReport};
use lodestar_domain::grade::{GradeCounts, GradingRule};
use lodestar_domain::report_card::*;
use lodestar_domain::status::{Health, health_of, measure_status, target_for};
use lodestar_domain::*;
use std::collections::HashMap;
use time::Date;

/// Depth of the nodes graded as goals; objectives are one below, initiatives below that.
const GOAL: usize = 0;
const OBJECTIVE: usize = 1;

/// The report card from the facts, as drawn up on `today`.
pub(crate) fn assemble(
    facts: &Facts,
    rule: &GradingRule,
    today: Date,
) -> ServiceResult<ReportCard> {
    let nodes = &facts.status.nodes;
    let period = facts.year.to_string();
    let index: HashMap<NodeId, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.node.id, i))
        .collect();

    // Each node's own counts, then summed up the tree (children come after
    // their parents in tree order, so a reverse walk sees children first).
    let mut lines: HashMap<NodeId, Vec<MeasureLine>> = HashMap::new();
    let mut counts: Vec<GradeCounts> = nodes.iter().map(|n| own_counts(n, facts)).collect();
    for m in &facts.status.measures {
        let line = measure_line(m, facts);
        if let Some(&i) = index.get(&m.measure.node_id) {
            match line.health {
                Some(Health::Green) => counts[i].measures_green += 1,
                Some(Health::Amber) => counts[i].measures_amber += 1,
                Some(Health::Red) => counts[i].measures_red += 1,
                None => counts[i].measures_unknown += 1,
            }
        }
        lines.entry(m.measure.node_id).or_default().push(line);
    }
    let mut total = counts.clone();
    for i in (0..nodes.len()).rev() {
        if let Some(&p) = nodes[i].node.parent_id.as_ref().and_then(|p| index.get(p)) {
            let child = total[i];
            total[p] += child;
        }
    }

    // The objective (and goal) each node belongs to.
    let mut objective_of: HashMap<NodeId, NodeId> = HashMap::new();
    for n in nodes.iter().filter(|n| n.depth >= OBJECTIVE) {
        let owner = if n.depth == OBJECTIVE {
            Some(n.node.id)
        } else {
            n.node.parent_id.and_then(|p| objective_of.get(&p).copied())
        };
        if let Some(o) = owner {
            objective_of.insert(n.node.id, o);
        }
    }
    let mut latest: HashMap<NodeId, &CheckIn> = HashMap::new();
    for c in &facts.checkins {
        if let Some(o) = objective_of.get(&c.node_id) {
            latest.entry(*o).or_insert(c);
        }
    }

    let mut goals = Vec::new();
    let mut overall = GradeCounts::default();
    for (i, n) in nodes.iter().enumerate() {
        match n.depth {
            GOAL => {
                overall += total[i];
                goals.push(GoalCard {
                    code: code(&n.node),
                    title: n.node.title.to_string(),
                    status: Some(n.status.status),
                    grade: rule.grade(&total[i], &period),
                    measures: lines.remove(&n.node.id).unwrap_or_default(),
                    objectives: Vec::new(),
                });
            }
            OBJECTIVE => {
                let mut measures = Vec::new();
                for d in subtree(nodes, i) {
                    measures.extend(lines.remove(&d.node.id).unwrap_or_default());
                }
                let card = ObjectiveCard {
                    code: code(&n.node),
                    title: n.node.title.to_string(),
                    status: Some(n.status.status),
                    grade: rule.grade(&total[i], &period),
                    initiatives_due: total[i].initiatives_due,
                    initiatives_completed: total[i].initiatives_completed,
                    measures,
                    latest_narrative: latest
                        .get(&n.node.id)
                        .map(|c| narrative(c, &nodes[index[&c.node_id]].node)),
                };
                if let Some(goal) = goals.last_mut() {
                    goal.objectives.push(card);
                }
            }
            _ => {}
        }
    }

    let mut by_status: HashMap<ProgressStatus, usize> = HashMap::new();
    for n in nodes {
        *by_status.entry(n.status.status).or_default() += 1;
    }
    let status_counts = ProgressStatus::ALL
        .iter()
        .filter_map(|&s| {
            by_status
                .get(&s)
                .map(|&count| StatusCount { status: s, count })
        })
        .collect();
    let (highlights, concerns) = highlights_and_concerns(facts, &index);
    Ok(ReportCard {
        organization: facts.organization.clone(),
        plan_title: facts.status.plan.title.to_string(),
        plan_key: facts.status.plan.key.to_string(),
        period: facts.year,
        as_of: CalendarDate::new(today).map_err(|m| ValidationError::new("date", m))?,
        scale: rule.scale,
        rule: rule.describe(),
        overall: rule.grade(&overall, &period),
        counts: status_counts,
        highlights,
        concerns,
        goals,
        recommendations: recommendations(facts, &index),
    })
}

/// The nodes of the subtree rooted at `nodes[i]`, itself first.
pub(crate) fn subtree(nodes: &[NodeReport], i: usize) -> impl Iterator<Item = &NodeReport> {
    let depth = nodes[i].depth;
    std::iter::once(&nodes[i]).chain(nodes[i + 1..].iter().take_while(move |n| n.depth > depth))
}

/// A node's code as printed, empty when it has none.
pub(crate) fn code(node: &Node) -> String {
    node.code
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Whether an initiative is due within the year reported on, and counted:
/// deferred and cancelled work is set aside, as in the roll-up.
fn own_counts(n: &NodeReport, facts: &Facts) -> GradeCounts {
    let mut c = GradeCounts::default();
    if n.depth > OBJECTIVE && !n.status.status.is_set_aside() {
        let due = n.schedule.due.map(CalendarDate::date);
        if due.is_some_and(|d| d.year() == facts.year) {
            c.initiatives_due = 1;
            c.initiatives_completed = usize::from(n.status.status == ProgressStatus::Completed);
        }
    }
    c
}

/// A measure's line: its latest value of the year against its target, and its trend.
fn measure_line(m: &MeasureReport, facts: &Facts) -> MeasureLine {
    let series = facts
        .series
        .get(&m.measure.id)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let rule = m.measure.rule();
    let latest = series.last().copied();
    let status = measure_status(&rule, latest, facts.cut);
    let goal = latest
        .and_then(|(p, _)| target_for(&m.measure.targets, p))
        .map(|t| t.goal);
    MeasureLine {
        key: m.measure.key.to_string(),
        name: m.measure.name.to_string(),
        unit: m
            .measure
            .unit
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        target: goal.map(|g| goal_text(g, m.measure.direction)),
        target_value: goal.map(|g| match g {
            Goal::Value { value } => value.get(),
            Goal::Range { low, high } => (low.get() + high.get()) / 2.0,
        }),
        latest: latest.map(|(_, v)| v),
        latest_period: latest.map(|(p, _)| p.to_string()),
        health: status.health,
        reason: status.reason,
        series: series
            .iter()
            .map(|(p, v)| TrendPoint {
                period: p.to_string(),
                value: *v,
            })
            .collect(),
    }
}

/// The colour of one value of a measure against its period's target, if it has one.
pub(crate) fn health_at(measure: &Measure, period: ReportingPeriod, value: f64) -> Option<Health> {
    let goal = target_for(&measure.targets, period).map(|t| t.goal);
    health_of(measure.direction, &measure.thresholds, goal, value).ok()
}

/// A goal as printed: `≥ 99.5`, `≤ 4`, `90–95`.
pub(crate) fn goal_text(goal: Goal, direction: MeasureDirection) -> String {
    match goal {
        Goal::Value { value } => match direction {
            MeasureDirection::LowerIsBetter => format!("≤ {value}"),
            _ => format!("≥ {value}"),
        },
        Goal::Range { low, high } => format!("{low}–{high}"),
    }
}
