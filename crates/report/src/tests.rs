//! Markdown and CSV forms of a small, hand-made report card.

use crate::{csv, markdown};
use lodestar_domain::grade::{Grade, GradeCounts, GradeScale, GradingRule};
use lodestar_domain::report_card::*;
use lodestar_domain::status::Health;
use lodestar_domain::{CalendarDate, ProgressStatus};

fn card() -> ReportCard {
    let rule = GradingRule::default();
    let graded = |due, done, green| {
        rule.grade(
            &GradeCounts {
                initiatives_due: due,
                initiatives_completed: done,
                measures_green: green,
                ..GradeCounts::default()
            },
            "2025",
        )
    };
    let objective = ObjectiveCard {
        code: "1.1".into(),
        title: "Launch a resident portal".into(),
        status: Some(ProgressStatus::OnTrack),
        grade: graded(2, 2, 1),
        initiatives_due: 2,
        initiatives_completed: 2,
        measures: vec![MeasureLine {
            key: "uptime".into(),
            name: "Portal uptime".into(),
            unit: "%".into(),
            target: Some("≥ 99.5".into()),
            target_value: Some(99.5),
            latest: Some(99.7),
            latest_period: Some("2025-Q4".into()),
            health: Some(Health::Green),
            reason: "at target".into(),
            series: vec![TrendPoint {
                period: "2025-Q4".into(),
                value: 99.7,
            }],
        }],
        latest_narrative: None,
    };
    ReportCard {
        organization: "City of Testing".into(),
        plan_title: "IT Plan".into(),
        plan_key: "it".into(),
        period: 2025,
        as_of: "2026-01-15".parse::<CalendarDate>().unwrap(),
        scale: GradeScale::LETTERS,
        rule: rule.describe(),
        overall: graded(3, 2, 1),
        counts: vec![StatusCount {
            status: ProgressStatus::OnTrack,
            count: 3,
        }],
        highlights: vec![],
        concerns: vec![Narrative {
            code: "2".into(),
            title: "Staff | skills".into(),
            status: ProgressStatus::AtRisk,
            date: "2025-11-01".parse().unwrap(),
            text: "Hiring is slow.".into(),
            help_needed: Some("Budget for two posts.".into()),
        }],
        goals: vec![
            GoalCard {
                code: "1".into(),
                title: "Digital services".into(),
                status: Some(ProgressStatus::OnTrack),
                grade: graded(2, 2, 1),
                measures: vec![],
                objectives: vec![objective],
            },
            GoalCard {
                code: "2".into(),
                title: "Staff, \"skills\"".into(),
                status: None,
                grade: graded(0, 0, 0),
                measures: vec![],
                objectives: vec![],
            },
        ],
        recommendations: vec![Recommendation {
            kind: RecommendationKind::NoMeasure,
            code: "2".into(),
            title: "Staff".into(),
            text: "no measure".into(),
        }],
    }
}

#[test]
fn markdown_has_every_grade_beside_its_basis() {
    let md = markdown::render(&card());
    assert!(md.starts_with("# IT Plan — Report card 2025\n"), "{md}");
    assert!(md.contains("**Overall grade: B** (score 83.3)"), "{md}");
    assert!(md.contains("## 1 Digital services"), "{md}");
    assert!(md.contains(
        "**Grade: A** (score 100) — 2 of 2 initiatives due in 2025 completed (100%); 1 of 1 measures green, 0 amber (100%)"
    ), "{md}");
    assert!(
        md.contains("**Grade: Not graded** — not graded: no initiatives due in 2025"),
        "{md}"
    );
    assert!(
        md.contains("| Portal uptime | ≥ 99.5 % | 99.7 % (2025-Q4) | green | 2025-Q4 99.7 |"),
        "{md}"
    );
    assert!(
        md.contains("Staff \\| skills"),
        "a pipe in a title is escaped: {md}"
    );
    assert!(md.contains("> Help needed: Budget for two posts."), "{md}");
    assert!(
        md.contains("- **No measure** — 2 Staff: no measure"),
        "{md}"
    );
}

#[test]
fn csv_has_one_row_per_goal_and_objective() {
    let text = csv::render(&card());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "level,code,title,grade,score,basis");
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[1].starts_with("goal,1,Digital services,A,100,"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("objective,1.1,Launch a resident portal,A,100,"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("goal,2,\"Staff, \"\"skills\"\"\",Not graded,,"),
        "{text}"
    );
    assert_eq!(Grade::NotGraded.label(), "Not graded");
}
