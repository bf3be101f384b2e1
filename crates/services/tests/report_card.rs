//! The annual report card of the sample plan, on every backend: every goal
//! graded with a basis whose numbers match the plan's statuses, and the
//! recommendations the sample's data calls for.

use lodestar_domain::grade::{Grade, GradingRule};
use lodestar_domain::report_card::{RecommendationKind, ReportCard};
use lodestar_domain::{PlanId, ProgressStatus};
use lodestar_services::{App, ServiceError};
use lodestar_storage::testing::{self, TestStore};
use time::macros::date;

/// Loads the sample into a fresh store on the day the web tests use.
async fn sample(t: &TestStore) -> (App, PlanId) {
    let app = App::new(t.store.clone()).on_day(date!(2026 - 11 - 16));
    let plan = app
        .load_sample_if_empty()
        .await
        .unwrap_or_else(|e| panic!("{}: the sample loads: {e}", t.backend))
        .expect("an empty store gets the sample");
    (app, plan.id)
}

async fn card_2026(app: &App, plan: PlanId) -> ReportCard {
    app.report_card(plan, 2026, &GradingRule::default())
        .await
        .expect("the sample's 2026 report card")
}

#[tokio::test]
async fn every_goal_is_graded_with_a_basis_matching_the_plan_status() {
    for t in testing::all().await {
        let (app, plan) = sample(&t).await;
        let card = card_2026(&app, plan).await;
        let status = app.plan_status(plan).await.unwrap();
        assert_eq!(card.goals.len(), 5, "{}", t.backend);
        assert_eq!(card.period, 2026);
        assert_eq!(card.organization, "City of Harbor Falls");
        let objectives: usize = card.goals.iter().map(|g| g.objectives.len()).sum();
        assert_eq!(objectives, 18, "{}", t.backend);
        for goal in &card.goals {
            assert_ne!(
                goal.grade.grade,
                Grade::NotGraded,
                "{}: {}",
                t.backend,
                goal.title
            );
            assert!(!goal.grade.basis.is_empty());
            // The basis counts the initiatives beneath the goal due in 2026,
            // and those completed, as the plan's statuses have them.
            let root = status
                .nodes
                .iter()
                .position(|n| n.depth == 0 && n.node.title.as_str() == goal.title)
                .unwrap();
            let beneath: Vec<_> = status.nodes[root + 1..]
                .iter()
                .take_while(|n| n.depth > 0)
                .filter(|n| n.depth == 2 && !n.status.status.is_set_aside())
                .filter(|n| n.schedule.due.is_some_and(|d| d.date().year() == 2026))
                .collect();
            let done = beneath
                .iter()
                .filter(|n| n.status.status == ProgressStatus::Completed)
                .count();
            let expected = format!(
                "{done} of {} initiatives due in 2026 completed",
                beneath.len()
            );
            assert!(
                goal.grade.basis.starts_with(&expected) || beneath.is_empty(),
                "{}: {} basis {:?}, expected {expected:?}",
                t.backend,
                goal.title,
                goal.grade.basis
            );
            let due: usize = goal.objectives.iter().map(|o| o.initiatives_due).sum();
            assert_eq!(due, beneath.len(), "{}: {}", t.backend, goal.title);
        }
        let counted: usize = card.counts.iter().map(|c| c.count).sum();
        assert_eq!(
            counted,
            status.nodes.len(),
            "{}: counts cover every node",
            t.backend
        );
    }
}

#[tokio::test]
async fn the_worked_example_of_the_docs_holds() {
    let t = testing::sqlite().await;
    let (app, plan) = sample(&t).await;
    let card = card_2026(&app, plan).await;
    let o = &card.goals[0].objectives[0];
    assert_eq!(o.code, "1.1");
    assert_eq!(o.grade.grade, Grade::D);
    assert_eq!(o.grade.score, Some(66.7));
    assert_eq!(
        o.grade.basis,
        "1 of 3 initiatives due in 2026 completed (33.3%); 1 of 1 measures green, 0 amber (100%)"
    );
    let not_graded = &card.goals[0].objectives[3];
    assert_eq!(
        (not_graded.code.as_str(), not_graded.grade.grade),
        ("1.4", Grade::NotGraded)
    );
    assert!(
        !o.measures.is_empty() && !o.measures[0].series.is_empty(),
        "a trend to draw"
    );
}

#[tokio::test]
async fn recommendations_name_the_sample_known_cases() {
    for t in testing::all().await {
        let (app, plan) = sample(&t).await;
        let card = card_2026(&app, plan).await;
        let has = |kind, code: &str, title: &str| {
            card.recommendations
                .iter()
                .any(|r| r.kind == kind && r.code == code && r.title == title)
        };
        assert!(
            has(
                RecommendationKind::RedTwoPeriods,
                "2.2.3",
                "Median days to patch critical vulnerabilities"
            ),
            "{}: {:#?}",
            t.backend,
            card.recommendations
        );
        assert!(has(
            RecommendationKind::NoMeasure,
            "1.2",
            "Make every digital service accessible"
        ));
        assert!(has(
            RecommendationKind::OverdueTwoPeriods,
            "2.4.2",
            "Add security requirements to technology contracts"
        ));
        // An objective with a measure is never told to add one.
        assert!(!has(
            RecommendationKind::NoMeasure,
            "1.1",
            "Offer one front door to city services"
        ));
        assert!(
            !card.concerns.is_empty() && !card.highlights.is_empty(),
            "{}",
            t.backend
        );
        assert!(card.concerns.iter().all(|c| c.date.date().year() == 2026));
    }
}

#[tokio::test]
async fn a_year_outside_the_plan_is_refused_with_the_reason() {
    let t = testing::sqlite().await;
    let (app, plan) = sample(&t).await;
    let err = app
        .report_card(plan, 2031, &GradingRule::default())
        .await
        .unwrap_err();
    assert!(matches!(err, ServiceError::Invalid(_)), "{err:?}");
    assert!(
        err.to_string()
            .contains("outside the plan's period (2025–2029)"),
        "{err}"
    );
    let earlier = app
        .report_card(plan, 2025, &GradingRule::default())
        .await
        .unwrap();
    assert_eq!(earlier.period, 2025);
}
