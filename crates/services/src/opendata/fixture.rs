//! A small published plan built in place, for the builders' tests.

use crate::publication::{PublicMeasure, PublicNode, PublicObservation, PublicPlan};
use lodestar_domain::measure::{Baseline, Goal, Target, Thresholds, Value};
use lodestar_domain::status::Health;
use lodestar_domain::*;

fn date(raw: &str) -> CalendarDate {
    raw.parse().unwrap()
}

fn node(id: i64, parent: Option<i64>, code: &str, level: u8, level_name: &str) -> PublicNode {
    PublicNode {
        id: NodeId(id),
        parent_id: parent.map(NodeId),
        code: Some(Code::parse(code).unwrap()),
        title: Name::parse(&format!("Item {code}")).unwrap(),
        description: Some(LongText::parse("Line one, \"quoted\"\nline two").unwrap()),
        level,
        level_name: level_name.to_owned(),
        depth: usize::from(level),
        schedule: Schedule {
            start: Some(date("2025-01-01")),
            due: None,
        },
        status: ProgressStatus::AtRisk,
        progress: Some(40.0),
        score: Some(50.0),
        last_checkin: Some(date("2026-10-01")),
        checkins: vec![],
        milestones: vec![],
        evidence: vec![],
    }
}

fn value(v: f64) -> Value {
    Value::new(v).unwrap()
}

fn measure(id: i64, node: i64, key: &str, targets: Vec<Target>) -> PublicMeasure {
    PublicMeasure {
        id: MeasureId(id),
        node_id: NodeId(node),
        key: MeasureKey::parse(key).unwrap(),
        name: Name::parse("Uptime").unwrap(),
        description: None,
        unit: Some(Name::parse("%").unwrap()),
        direction: MeasureDirection::HigherIsBetter,
        baseline: Some(Baseline {
            value: value(97.5),
            date: Some(date("2024-12-31")),
        }),
        targets,
        thresholds: Thresholds::default_for(MeasureDirection::HigherIsBetter),
        frequency: Frequency::Quarterly,
        data_source: Some(Name::parse("Monitoring").unwrap()),
        calculated: false,
        health: None,
        latest_period: None,
        latest_value: None,
        observations: vec![],
    }
}

/// A plan of a goal and an objective, two measures and three values.
pub(super) fn plan() -> PublicPlan {
    let mut uptime = measure(
        1,
        2,
        "uptime",
        vec![
            Target {
                period: Some("2026".parse().unwrap()),
                goal: Goal::Value { value: value(99.0) },
            },
            Target {
                period: None,
                goal: Goal::Value { value: value(99.9) },
            },
        ],
    );
    uptime.health = Some(Health::Green);
    uptime.latest_period = Some("2026-Q2".parse().unwrap());
    uptime.latest_value = Some(99.95);
    uptime.observations = vec![
        PublicObservation {
            period: "2026-Q1".parse().unwrap(),
            value: Some(98.1),
            observed_on: Some(date("2026-04-02")),
            source: None,
        },
        PublicObservation {
            period: "2026-Q2".parse().unwrap(),
            value: Some(99.95),
            observed_on: Some(date("2026-07-03")),
            source: Some(Name::parse("Monitoring, weekly").unwrap()),
        },
    ];
    let mut budget = measure(
        2,
        1,
        "budget",
        vec![Target {
            period: Some("2026".parse().unwrap()),
            goal: Goal::Range {
                low: value(-5.0),
                high: value(5.0),
            },
        }],
    );
    budget.observations = vec![PublicObservation {
        period: "2026".parse().unwrap(),
        value: None,
        observed_on: None,
        source: None,
    }];
    PublicPlan {
        id: PlanId(1),
        key: Key::parse("city-it").unwrap(),
        title: Name::parse("City IT plan").unwrap(),
        organization: Name::parse("City of Harbor Falls").unwrap(),
        period: Period {
            start_year: 2025,
            end_year: 2029,
        },
        status: PlanStatus::Active,
        vision: None,
        mission: None,
        principles: vec![],
        published_on: date("2026-01-05"),
        as_of: date("2026-11-16"),
        nodes: vec![
            node(1, None, "1", 1, "Goal"),
            node(2, Some(1), "1.1", 2, "Objective"),
        ],
        measures: vec![uptime, budget],
    }
}
