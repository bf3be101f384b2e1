//! What the report card says beyond grades: highlights and concerns quoted
//! from the year's check-ins, and recommendations for the annual review.

use super::Facts;
use super::build::{code, goal_text, health_at, subtree};
use lodestar_domain::report_card::{Narrative, Recommendation, RecommendationKind};
use lodestar_domain::status::{Health, overdue_days, target_for};
use lodestar_domain::*;
use std::collections::{HashMap, HashSet};
use time::{Date, Month};

/// How many highlights and how many concerns the summary quotes.
const QUOTED: usize = 5;

/// A check-in quoted in the report.
pub(crate) fn narrative(c: &CheckIn, node: &Node) -> Narrative {
    let text = c
        .happened
        .as_ref()
        .or(c.next.as_ref())
        .map(ToString::to_string)
        .unwrap_or_default();
    Narrative {
        code: code(node),
        title: node.title.to_string(),
        status: c.status,
        date: c.date,
        text,
        help_needed: c.help_needed.as_ref().map(ToString::to_string),
    }
}

/// The latest check-in of the year on each node, sorted into highlights
/// (completed or on track, with text) and concerns (off track, at risk, or
/// asking for help), newest first, at most five of each.
pub(crate) fn highlights_and_concerns(
    facts: &Facts,
    index: &HashMap<NodeId, usize>,
) -> (Vec<Narrative>, Vec<Narrative>) {
    let mut seen = HashSet::new();
    let mut highlights = Vec::new();
    let mut concerns = Vec::new();
    for c in facts
        .checkins
        .iter()
        .filter(|c| c.date.date() >= facts.start)
    {
        if !seen.insert(c.node_id) {
            continue;
        }
        let Some(&i) = index.get(&c.node_id) else {
            continue;
        };
        let node = &facts.status.nodes[i].node;
        let worried = matches!(c.status, ProgressStatus::OffTrack | ProgressStatus::AtRisk)
            || c.help_needed.is_some();
        if worried {
            if concerns.len() < QUOTED {
                concerns.push(narrative(c, node));
            }
        } else if matches!(
            c.status,
            ProgressStatus::Completed | ProgressStatus::OnTrack
        ) && c.happened.is_some()
            && highlights.len() < QUOTED
        {
            highlights.push(narrative(c, node));
        }
    }
    (highlights, concerns)
}

/// Recommendations for the annual review, in plan order within each kind:
/// nodes overdue for two periods of their cadence, measures red in their
/// last two values, objectives with no measure on them or beneath them.
pub(crate) fn recommendations(
    facts: &Facts,
    index: &HashMap<NodeId, usize>,
) -> Vec<Recommendation> {
    let nodes = &facts.status.nodes;
    let mut out = Vec::new();

    let mut last: HashMap<NodeId, Date> = HashMap::new();
    for c in &facts.checkins {
        last.entry(c.node_id).or_insert(c.date.date());
    }
    let plan_start =
        Date::from_calendar_date(facts.status.plan.period.start_year, Month::January, 1)
            .unwrap_or(facts.start);
    for n in nodes {
        let Some(allowed) = n.node.cadence.allowed_days() else {
            continue;
        };
        let closed = n.status.status.is_closed()
            || n.status
                .reported_status
                .is_some_and(ProgressStatus::is_closed);
        let reference = n.schedule.start.map_or(plan_start, CalendarDate::date);
        let previous = last.get(&n.node.id).copied();
        let Some(days) = overdue_days(n.node.cadence, closed, previous, reference, facts.cut)
        else {
            continue;
        };
        if days <= allowed {
            continue;
        }
        let since = match previous {
            Some(d) => format!("no check-in since {d}"),
            None => format!("no check-in since work started on {reference}"),
        };
        out.push(Recommendation {
            kind: RecommendationKind::OverdueTwoPeriods,
            code: code(&n.node),
            title: n.node.title.to_string(),
            text: format!(
                "{since}, more than two {} periods ({} days past due on {}): confirm the owner and the cadence, or defer it",
                n.node.cadence, days, facts.cut
            ),
        });
    }

    for m in &facts.status.measures {
        let series = facts
            .series
            .get(&m.measure.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let [.., (p1, v1), (p2, v2)] = series else {
            continue;
        };
        let red = |p: ReportingPeriod, v: f64| health_at(&m.measure, p, v) == Some(Health::Red);
        if !(red(*p1, *v1) && red(*p2, *v2)) {
            continue;
        }
        let target = target_for(&m.measure.targets, *p2)
            .map(|t| {
                format!(
                    " against a target of {}",
                    goal_text(t.goal, m.measure.direction)
                )
            })
            .unwrap_or_default();
        let node = index.get(&m.measure.node_id).map(|&i| &nodes[i].node);
        out.push(Recommendation {
            kind: RecommendationKind::RedTwoPeriods,
            code: node.map(code).unwrap_or_default(),
            title: m.measure.name.to_string(),
            text: format!(
                "red in {p1} ({v1}) and {p2} ({v2}){target}: review the target or the approach"
            ),
        });
    }

    let measured: HashSet<NodeId> = facts
        .status
        .measures
        .iter()
        .map(|m| m.measure.node_id)
        .collect();
    for (i, n) in nodes.iter().enumerate() {
        if n.depth != 1 || n.status.status.is_set_aside() {
            continue;
        }
        if subtree(nodes, i).any(|d| measured.contains(&d.node.id)) {
            continue;
        }
        out.push(Recommendation {
            kind: RecommendationKind::NoMeasure,
            code: code(&n.node),
            title: n.node.title.to_string(),
            text: "no measure on it or beneath it: add one so its progress can be judged".into(),
        });
    }
    out
}
