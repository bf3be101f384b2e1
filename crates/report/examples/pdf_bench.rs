//! How long `lodestar_report::pdf::render` takes for a large plan: 6 goals of
//! 125 objectives each (750), 3 measures per objective with 8-point series.
//! Prints the median of 5 runs; the issue asks for under 2 seconds.
//!
//! `cargo run --release -p lodestar-report --example pdf_bench`

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use lodestar_domain::grade::{Grade, GradeScale, Graded};
use lodestar_domain::report_card::{
    GoalCard, MeasureLine, Narrative, ObjectiveCard, Recommendation, RecommendationKind,
    ReportCard, StatusCount, TrendPoint,
};
use lodestar_domain::status::Health;
use lodestar_domain::{CalendarDate, ProgressStatus};

const GOALS: usize = 6;
const OBJECTIVES_PER_GOAL: usize = 125;
const MEASURES_PER_OBJECTIVE: usize = 3;
const POINTS: usize = 8;
const RUNS: usize = 5;

fn graded(i: usize) -> Graded {
    let grades = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::F];
    Graded {
        grade: grades[i % grades.len()],
        score: Some(95.0 - (i % 5) as f64 * 10.0),
        basis: format!(
            "{} of 4 initiatives due in 2025 completed; 2 of 3 measures green, 1 amber",
            i % 5
        ),
    }
}

fn measure(g: usize, o: usize, m: usize) -> MeasureLine {
    let series: Vec<TrendPoint> = (0..POINTS)
        .map(|p| TrendPoint {
            period: format!("2025-{:02}", p + 1),
            value: 80.0 + ((g * 7 + o * 3 + m * 5 + p * 11) % 20) as f64,
        })
        .collect();
    let health = [Health::Green, Health::Amber, Health::Red][(o + m) % 3];
    MeasureLine {
        key: format!("m-{g}-{o}-{m}"),
        name: format!("Measure {m} of objective {}.{}", g + 1, o + 1),
        unit: "%".into(),
        target: Some("≥ 90".into()),
        target_value: Some(90.0),
        latest: series.last().map(|p| p.value),
        latest_period: series.last().map(|p| p.period.clone()),
        health: Some(health),
        reason: "latest value against a target of at least 90".into(),
        series,
    }
}

fn narrative(code: String, title: String, date: CalendarDate) -> Narrative {
    Narrative {
        code,
        title,
        status: ProgressStatus::OnTrack,
        date,
        text: "Work continues as planned; the vendor delivered the second release in October."
            .into(),
        help_needed: None,
    }
}

fn card() -> ReportCard {
    let date: CalendarDate = "2025-12-31".parse().expect("a date");
    let goals = (0..GOALS)
        .map(|g| GoalCard {
            code: format!("{}", g + 1),
            title: format!("Goal {} of the large benchmark plan", g + 1),
            status: Some(ProgressStatus::OnTrack),
            grade: graded(g),
            measures: vec![],
            objectives: (0..OBJECTIVES_PER_GOAL)
                .map(|o| {
                    let code = format!("{}.{}", g + 1, o + 1);
                    let title = format!("Objective {code}: modernize a line-of-business system");
                    ObjectiveCard {
                        code: code.clone(),
                        title: title.clone(),
                        status: Some(ProgressStatus::AtRisk),
                        grade: graded(o),
                        initiatives_due: 4,
                        initiatives_completed: o % 5,
                        measures: (0..MEASURES_PER_OBJECTIVE)
                            .map(|m| measure(g, o, m))
                            .collect(),
                        latest_narrative: Some(narrative(code, title, date)),
                    }
                })
                .collect(),
        })
        .collect();
    ReportCard {
        organization: "City of Benchmark Falls".into(),
        plan_title: "Large plan of 750 objectives".into(),
        plan_key: "bench".into(),
        period: 2025,
        as_of: date,
        scale: GradeScale::LETTERS,
        rule: "score = weighted mean of delivery (weight 1) and measures (weight 1)".into(),
        overall: graded(1),
        counts: vec![StatusCount {
            status: ProgressStatus::OnTrack,
            count: 756,
        }],
        highlights: (0..10)
            .map(|i| narrative(format!("1.{i}"), "A highlight".into(), date))
            .collect(),
        concerns: (0..10)
            .map(|i| narrative(format!("2.{i}"), "A concern".into(), date))
            .collect(),
        goals,
        recommendations: (0..40)
            .map(|i| Recommendation {
                kind: RecommendationKind::RedTwoPeriods,
                code: format!("3.{i}"),
                title: "A measure".into(),
                text: "Red in the last two periods.".into(),
            })
            .collect(),
    }
}

fn main() {
    let card = card();
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let pdf = lodestar_report::pdf::render(&card).expect("the benchmark card renders");
        times.push(start.elapsed());
        size = pdf.len();
    }
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "pdf::render, {} objectives x {MEASURES_PER_OBJECTIVE} measures x {POINTS} points: median {:.3} s of {RUNS} runs (min {:.3} s, max {:.3} s), {size} bytes",
        GOALS * OBJECTIVES_PER_GOAL,
        median.as_secs_f64(),
        times[0].as_secs_f64(),
        times[RUNS - 1].as_secs_f64(),
    );
}
