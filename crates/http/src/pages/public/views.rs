//! What the public pages show, drawn from a [`PublicPlan`] only.

use crate::pages::Badge;
use crate::pages::charts::trend::{self, Slot, Trend, number};
use askama::Template;
use lodestar_domain::status::Health;
use lodestar_domain::status::{health_of, target_for};
use lodestar_domain::{Goal, NodeId, ProgressStatus, ReportingPeriod};
use lodestar_services::publication::{PublicMeasure, PublicNode, PublicPlan};

/// A node in a list: link, code, title, status and progress.
pub(crate) struct NodeRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub level_name: String,
    pub badge: Badge,
    pub progress: String,
}

impl NodeRow {
    fn new(n: &PublicNode) -> Self {
        Self {
            id: n.id.0,
            code: n.code.as_ref().map(ToString::to_string).unwrap_or_default(),
            title: n.title.to_string(),
            level_name: n.level_name.clone(),
            badge: Badge::status(n.status),
            progress: n
                .progress
                .map(|p| format!("{}%", p.round()))
                .unwrap_or_else(|| "–".to_owned()),
        }
    }
}

/// A measure in the dashboard's list of concerns.
pub(crate) struct ConcernRow {
    pub name: String,
    pub node_id: i64,
    pub node_title: String,
    pub badge: Badge,
    pub latest: String,
}

/// `/public/plans/{key}`.
#[derive(Template)]
#[template(path = "public/plan.html")]
pub(crate) struct PlanPage {
    pub key: String,
    pub title: String,
    pub organization: String,
    pub period: String,
    pub vision: Option<String>,
    pub mission: Option<String>,
    pub published_on: String,
    pub as_of: String,
    pub counts: Vec<(Badge, usize)>,
    pub goals: Vec<NodeRow>,
    pub concerns: Vec<ConcernRow>,
    pub measure_count: usize,
}

fn with_unit(value: f64, unit: &str) -> String {
    match unit {
        "" => number(value),
        "%" => format!("{}%", number(value)),
        u => format!("{} {u}", number(value)),
    }
}

fn goal_words(goal: Goal, unit: &str) -> String {
    match goal {
        Goal::Value { value } => with_unit(value.get(), unit),
        Goal::Range { low, high } => {
            format!("{}–{}", number(low.get()), with_unit(high.get(), unit))
        }
    }
}

fn unit_of(m: &PublicMeasure) -> String {
    m.unit.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn latest_words(m: &PublicMeasure) -> String {
    match (m.latest_value, m.latest_period) {
        (Some(v), Some(p)) => format!("{} for {p}", with_unit(v, &unit_of(m))),
        _ => "No value yet".to_owned(),
    }
}

impl PlanPage {
    /// The dashboard of `plan`.
    pub(crate) fn new(plan: &PublicPlan) -> Self {
        use ProgressStatus::*;
        let counts = [
            NotStarted, OnTrack, AtRisk, OffTrack, Completed, Deferred, Cancelled,
        ]
        .into_iter()
        .map(|s| {
            (
                Badge::status(s),
                plan.nodes.iter().filter(|n| n.status == s).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
        let concerns = plan
            .measures
            .iter()
            .filter(|m| matches!(m.health, Some(Health::Red | Health::Amber)))
            .map(|m| ConcernRow {
                name: m.name.to_string(),
                node_id: m.node_id.0,
                node_title: plan
                    .node(m.node_id)
                    .map(|n| n.title.to_string())
                    .unwrap_or_default(),
                badge: Badge::health(m.health),
                latest: latest_words(m),
            })
            .collect();
        Self {
            key: plan.key.to_string(),
            title: plan.title.to_string(),
            organization: plan.organization.to_string(),
            period: format!("{}–{}", plan.period.start_year, plan.period.end_year),
            vision: plan.vision.as_ref().map(ToString::to_string),
            mission: plan.mission.as_ref().map(ToString::to_string),
            published_on: plan.published_on.to_string(),
            as_of: plan.as_of.to_string(),
            counts,
            goals: plan.children(None).map(NodeRow::new).collect(),
            concerns,
            measure_count: plan.measures.len(),
        }
    }
}

/// One value in a measure's table.
pub(crate) struct ValueRow {
    pub period: String,
    pub value: String,
    pub target: String,
    pub badge: Badge,
}

/// A measure's section of a public node page.
pub(crate) struct MeasureView {
    pub id: i64,
    pub name: String,
    pub description: Option<String>,
    pub latest: String,
    pub badge: Badge,
    pub targets: String,
    pub source: Option<String>,
    pub chart: Option<Trend>,
    pub summary: String,
    pub rows: Vec<ValueRow>,
}

impl MeasureView {
    fn new(m: &PublicMeasure) -> Self {
        let unit = unit_of(m);
        let goal_of = |p: ReportingPeriod| target_for(&m.targets, p).map(|t| t.goal);
        let slots: Vec<Slot> = m
            .observations
            .iter()
            .map(|o| {
                let goal = goal_of(o.period);
                Slot {
                    label: o.period.to_string(),
                    value: o.value,
                    goal,
                    bands: trend::bands(m.direction, &m.thresholds, goal),
                }
            })
            .collect();
        let rows = slots
            .iter()
            .map(|s| ValueRow {
                period: s.label.clone(),
                value: s
                    .value
                    .map_or_else(|| "No value".to_owned(), |v| with_unit(v, &unit)),
                target: s.goal.map(|g| goal_words(g, &unit)).unwrap_or_default(),
                badge: Badge::health(
                    s.value
                        .and_then(|v| health_of(m.direction, &m.thresholds, s.goal, v).ok()),
                ),
            })
            .collect();
        let targets = m
            .targets
            .iter()
            .map(|t| {
                let when = t
                    .period
                    .map_or_else(|| "final".to_owned(), |p| p.to_string());
                format!("{when}: {}", goal_words(t.goal, &unit))
            })
            .collect::<Vec<_>>()
            .join(" · ");
        let latest = latest_words(m);
        let badge = Badge::health(m.health);
        let counted = slots.iter().filter(|s| s.value.is_some()).count();
        let summary = format!(
            "Trend of {}: {counted} value(s). Latest: {latest}, {}.",
            m.name, badge.label
        );
        Self {
            id: m.id.0,
            name: m.name.to_string(),
            description: m.description.as_ref().map(ToString::to_string),
            latest,
            badge,
            targets,
            source: m.data_source.as_ref().map(ToString::to_string),
            chart: trend::draw(&slots),
            summary,
            rows,
        }
    }
}

/// A check-in summary.
pub(crate) struct CheckInView {
    pub date: String,
    pub badge: Badge,
    pub percent: Option<String>,
    pub happened: Option<String>,
    pub next: Option<String>,
}

/// A milestone or a piece of evidence in words.
pub(crate) struct Line {
    pub title: String,
    pub detail: String,
}

/// `/public/plans/{key}/nodes/{node}`.
#[derive(Template)]
#[template(path = "public/node.html")]
pub(crate) struct NodePage {
    pub key: String,
    pub plan_title: String,
    pub trail: Vec<NodeRow>,
    pub node: NodeRow,
    pub description: Option<String>,
    pub schedule: String,
    pub measures: Vec<MeasureView>,
    pub checkins: Vec<CheckInView>,
    pub milestones: Vec<Line>,
    pub evidence: Vec<Line>,
    pub children: Vec<NodeRow>,
}

impl NodePage {
    /// The page of node `id` of `plan`; none when it is not published.
    pub(crate) fn new(plan: &PublicPlan, id: NodeId) -> Option<Self> {
        let n = plan.node(id)?;
        let mut trail = Vec::new();
        let mut up = n.parent_id;
        while let Some(p) = up.and_then(|p| plan.node(p)) {
            trail.insert(0, NodeRow::new(p));
            up = p.parent_id;
        }
        let schedule = match (n.schedule.start, n.schedule.due) {
            (Some(s), Some(d)) => format!("{s} to {d}"),
            (None, Some(d)) => format!("due {d}"),
            (Some(s), None) => format!("from {s}"),
            (None, None) => "Not scheduled".to_owned(),
        };
        Some(Self {
            key: plan.key.to_string(),
            plan_title: plan.title.to_string(),
            trail,
            node: NodeRow::new(n),
            description: n.description.as_ref().map(ToString::to_string),
            schedule,
            measures: plan.measures_of(id).map(MeasureView::new).collect(),
            checkins: n
                .checkins
                .iter()
                .map(|c| CheckInView {
                    date: c.date.to_string(),
                    badge: Badge::status(c.status),
                    percent: c.percent.map(|p| format!("{}%", p.round())),
                    happened: c.happened.as_ref().map(ToString::to_string),
                    next: c.next.as_ref().map(ToString::to_string),
                })
                .collect(),
            milestones: n
                .milestones
                .iter()
                .map(|m| Line {
                    title: m.title.to_string(),
                    detail: match (m.done_date, m.due_date) {
                        (Some(d), _) => format!("done {d}"),
                        (None, Some(d)) => format!("due {d}"),
                        (None, None) => String::new(),
                    },
                })
                .collect(),
            evidence: n
                .evidence
                .iter()
                .map(|e| Line {
                    title: e.title.to_string(),
                    detail: [
                        Some(e.date.to_string()),
                        e.before.as_ref().map(|b| format!("before: {b}")),
                        e.after.as_ref().map(|a| format!("after: {a}")),
                        e.source.as_ref().map(|s| format!("source: {s}")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                })
                .collect(),
            children: plan.children(Some(id)).map(NodeRow::new).collect(),
        })
    }
}
