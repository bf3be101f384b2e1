//! The PDF report card: a valid PDF whose text (as `pdftotext` reads it)
//! holds the cover, every goal and objective with its grade, and titles
//! exactly as written even when they look like Typst markup.
//!
//! The `pdftotext` checks need Debian's poppler-utils (.ci/run installs it);
//! without it they print a notice and check only the PDF header.

use lodestar_domain::grade::{Grade, GradeScale, Graded};
use lodestar_domain::report_card::{
    GoalCard, MeasureLine, Narrative, ObjectiveCard, Recommendation, RecommendationKind,
    ReportCard, StatusCount, TrendPoint,
};
use lodestar_domain::status::Health;
use lodestar_domain::{CalendarDate, ProgressStatus};
use lodestar_report::pdf::render;
use lodestar_report::testing::pdf_text;

fn date(s: &str) -> CalendarDate {
    s.parse().expect("a valid date")
}

fn graded(grade: Grade, score: Option<f64>, basis: &str) -> Graded {
    Graded {
        grade,
        score,
        basis: basis.to_string(),
    }
}

fn measure(key: &str, name: &str, target: f64, values: &[f64], health: Health) -> MeasureLine {
    MeasureLine {
        key: key.into(),
        name: name.into(),
        unit: "%".into(),
        target: Some(format!("≥ {target}")),
        target_value: Some(target),
        latest: values.last().copied(),
        latest_period: Some(format!("2025-Q{}", values.len())),
        health: Some(health),
        reason: format!("latest value against a target of at least {target}"),
        series: values
            .iter()
            .enumerate()
            .map(|(i, v)| TrendPoint {
                period: format!("2025-Q{}", i + 1),
                value: *v,
            })
            .collect(),
    }
}

fn narrative(code: &str, title: &str, status: ProgressStatus, text: &str) -> Narrative {
    Narrative {
        code: code.into(),
        title: title.into(),
        status,
        date: date("2025-11-03"),
        text: text.into(),
        help_needed: None,
    }
}

fn objective(
    code: &str,
    title: &str,
    grade: Grade,
    score: f64,
    measures: Vec<MeasureLine>,
) -> ObjectiveCard {
    ObjectiveCard {
        code: code.into(),
        title: title.into(),
        status: Some(ProgressStatus::OnTrack),
        grade: graded(
            grade,
            Some(score),
            "3 of 4 initiatives due in 2025 completed (75%); 1 of 1 measures green, 0 amber (100%)",
        ),
        initiatives_due: 4,
        initiatives_completed: 3,
        measures,
        latest_narrative: Some(narrative(
            code,
            title,
            ProgressStatus::OnTrack,
            "Migration finished in October.\nNext: decommission the old racks.",
        )),
    }
}

/// A card shaped like the sample plan's.
fn card() -> ReportCard {
    let goals = vec![
        GoalCard {
            code: "1".into(),
            title: "Reliable, secure city services".into(),
            status: Some(ProgressStatus::OnTrack),
            grade: graded(
                Grade::B,
                Some(84.0),
                "7 of 9 initiatives due in 2025 completed (77.8%); 4 of 5 measures green, 1 amber (90%)",
            ),
            measures: vec![],
            objectives: vec![
                objective(
                    "1.1",
                    "Keep core systems available",
                    Grade::A,
                    92.5,
                    vec![
                        measure(
                            "uptime",
                            "Core system uptime",
                            99.5,
                            &[99.1, 99.6, 99.7, 99.8],
                            Health::Green,
                        ),
                        measure(
                            "patching",
                            "Critical patches within 14 days",
                            95.0,
                            &[80.0, 88.0, 91.0, 93.0],
                            Health::Amber,
                        ),
                    ],
                ),
                objective(
                    "1.2",
                    "Harden the network against ransomware",
                    Grade::C,
                    71.0,
                    vec![measure(
                        "mfa",
                        "Staff enrolled in multi-factor sign-in",
                        100.0,
                        &[60.0, 75.0, 82.0],
                        Health::Red,
                    )],
                ),
            ],
        },
        GoalCard {
            code: "2".into(),
            title: "Digital services residents want to use".into(),
            status: Some(ProgressStatus::AtRisk),
            grade: graded(
                Grade::D,
                Some(62.0),
                "2 of 5 initiatives due in 2025 completed (40%); 1 of 1 measures green, 0 amber (100%)",
            ),
            measures: vec![measure(
                "satisfaction",
                "Resident satisfaction",
                80.0,
                &[71.0, 74.0, 79.0, 81.0],
                Health::Green,
            )],
            objectives: vec![objective(
                "2.1",
                "Put the top 20 permits online",
                Grade::F,
                40.0,
                vec![],
            )],
        },
        GoalCard {
            code: "3".into(),
            title: "A skilled, supported IT workforce".into(),
            status: None,
            grade: graded(
                Grade::NotGraded,
                None,
                "no initiatives due in 2025; no measure with a value",
            ),
            measures: vec![],
            objectives: vec![],
        },
    ];
    ReportCard {
        organization: "City of Harbor Falls, Department of Information Technology".into(),
        plan_title: "Harbor Falls IT Strategic Plan 2025–2028".into(),
        plan_key: "harbor-falls-it".into(),
        period: 2025,
        as_of: date("2026-11-16"),
        scale: GradeScale::LETTERS,
        rule: "score = weighted mean of initiatives completed of those due (weight 1) and measures green, amber counting half (weight 1)".into(),
        overall: graded(Grade::C, Some(74.3), "9 of 14 initiatives due in 2025 completed (64.3%); 5 of 6 measures green, 1 amber (91.7%)"),
        counts: vec![
            StatusCount { status: ProgressStatus::OnTrack, count: 11 },
            StatusCount { status: ProgressStatus::AtRisk, count: 3 },
            StatusCount { status: ProgressStatus::Completed, count: 9 },
        ],
        highlights: vec![narrative("1.1", "Keep core systems available", ProgressStatus::Completed, "Data centre migration done.")],
        concerns: vec![Narrative {
            help_needed: Some("Budget for two more developers.".into()),
            ..narrative("2.1", "Put the top 20 permits online", ProgressStatus::OffTrack, "Vendor slipped twice.")
        }],
        goals,
        recommendations: vec![
            Recommendation { kind: RecommendationKind::RedTwoPeriods, code: "1.2".into(), title: "Staff enrolled in multi-factor sign-in".into(), text: "Red in 2025-Q2 and 2025-Q3: revisit the target or the approach.".into() },
            Recommendation { kind: RecommendationKind::NoMeasure, code: "2.1".into(), title: "Put the top 20 permits online".into(), text: "Add a measure so progress can be graded.".into() },
        ],
    }
}

#[test]
fn the_pdf_holds_every_goal_objective_and_grade() {
    let card = card();
    let pdf = render(&card).expect("the card renders");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let Some(text) = pdf_text(&pdf) else { return };
    for needle in [
        "City of Harbor Falls, Department of Information Technology",
        "Harbor Falls IT Strategic Plan 2025–2028",
        "Annual report card 2025",
        "Contents",
        "Summary",
        "Recommendations",
        "Red for two periods",
        "Budget for two more developers.",
        "3 of 4 due in 2025 completed",
        "Core system uptime",
        "Amber",
        "page 2 of",
    ] {
        assert!(
            text.contains(needle),
            "the PDF text lacks {needle:?}:\n{text}"
        );
    }
    assert!(text.contains(&format!("Overall grade {}", card.overall.grade.label())));
    for goal in &card.goals {
        assert!(text.contains(&goal.title), "goal {:?} missing", goal.title);
        assert!(
            text.contains(&format!("Grade {}", goal.grade.grade.label())),
            "grade of {:?} missing",
            goal.title
        );
        for objective in &goal.objectives {
            assert!(
                text.contains(&objective.title),
                "objective {:?} missing",
                objective.title
            );
            assert!(text.contains(&format!("Grade {}", objective.grade.grade.label())));
        }
    }
}

#[test]
fn markup_in_titles_is_printed_literally() {
    let nasty = r#"#set text(red) *bold* $x^2$ @ref <lbl> ] \ = "quoted" // 1. _em_"#;
    let mut card = card();
    card.plan_title = format!("Plan {nasty}");
    card.organization = format!("Org ]#[ {nasty}");
    card.goals[0].title = format!("Goal {nasty}");
    card.goals[0].objectives[0].title = format!("Objective {nasty}");
    card.goals[0].objectives[0].measures[0].name = format!("Measure {nasty}");
    card.recommendations[0].text = format!("Text {nasty}");
    let pdf = render(&card).expect("markup characters do not break the document");
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&pdf) else { return };
    for prefix in ["Plan", "Goal", "Objective", "Measure", "Text"] {
        let expected = format!("{prefix} {nasty}");
        assert!(
            text.contains(&expected),
            "{expected:?} not printed literally:\n{text}"
        );
    }
    assert!(
        text.contains("Org ]#[ #set"),
        "organization not literal:\n{text}"
    );
}

#[test]
fn a_card_without_goals_still_renders() {
    let mut card = card();
    card.goals.clear();
    card.recommendations.clear();
    card.highlights.clear();
    card.concerns.clear();
    card.counts.clear();
    card.overall = graded(
        Grade::NotGraded,
        None,
        "no initiatives due in 2025; no measure with a value",
    );
    let pdf = render(&card).expect("an empty card renders");
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = pdf_text(&pdf) else { return };
    for needle in [
        "This plan has no goals to grade.",
        "Overall grade Not graded",
        "No adjustments are recommended",
    ] {
        assert!(
            text.contains(needle),
            "the PDF text lacks {needle:?}:\n{text}"
        );
    }
}
