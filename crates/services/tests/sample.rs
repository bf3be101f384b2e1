//! The sample plan comes with execution data dated relative to the day it is
//! loaded, on every backend: statuses of every colour, a calculated measure
//! with a value, and owners who owe a check-in.

use lodestar_domain::status::Health;
use lodestar_domain::{PlanId, ProgressStatus};
use lodestar_services::{App, StatusReport};
use lodestar_storage::testing::{self, TestStore};
use std::collections::HashMap;
use time::Date;
use time::macros::date;

/// Loads the sample into a fresh store as of `day`.
async fn load_on(t: &TestStore, day: Date) -> (App, PlanId) {
    let app = App::new(t.store.clone()).on_day(day);
    let plan = app
        .load_sample_if_empty()
        .await
        .unwrap_or_else(|e| panic!("{}: the sample loads on {day}: {e}", t.backend))
        .expect("an empty store gets the sample");
    (app, plan.id)
}

fn healths(report: &StatusReport) -> HashMap<&str, Option<Health>> {
    report
        .measures
        .iter()
        .map(|m| (m.measure.key.as_str(), m.status.health))
        .collect()
}

#[tokio::test]
async fn the_sample_shows_every_colour_and_who_is_late() {
    for t in testing::all().await {
        let (app, plan) = load_on(&t, date!(2026 - 11 - 23)).await;
        let report = app.plan_status(plan).await.unwrap();
        let nodes = app.store().plan_nodes(plan).await.unwrap();
        assert_eq!(
            nodes.len(),
            75,
            "{}: 5 goals, 18 objectives, 52 initiatives",
            t.backend
        );
        assert_eq!(
            report.nodes.len(),
            nodes.len(),
            "{}: every node has a status",
            t.backend
        );

        let colours = healths(&report);
        for wanted in [Health::Green, Health::Amber, Health::Red] {
            assert!(
                colours.values().any(|h| *h == Some(wanted)),
                "{}: no {wanted} measure in {colours:?}",
                t.backend
            );
        }
        let sla = report
            .measures
            .iter()
            .find(|m| m.measure.key.as_str() == "sla_rate")
            .expect("the sample has a service-level rate");
        assert!(sla.measure.formula.is_some());
        let value = sla
            .status
            .value
            .expect("the calculated measure has a value");
        assert!((50.0..=100.0).contains(&value), "sla_rate {value}");
        assert_eq!(
            sla.status.health,
            Some(Health::Green),
            "{}",
            sla.status.reason
        );

        let count = |s: ProgressStatus| {
            report
                .nodes
                .iter()
                .filter(|n| n.status.reported_status == Some(s))
                .count()
        };
        assert!(
            count(ProgressStatus::OnTrack) >= 30,
            "{}: most initiatives on track",
            t.backend
        );
        assert!(count(ProgressStatus::AtRisk) >= 4);
        assert!(count(ProgressStatus::OffTrack) >= 2);
        assert!(count(ProgressStatus::Completed) >= 3);
        assert_eq!(count(ProgressStatus::Deferred), 1);
        let shown: Vec<ProgressStatus> = report.nodes.iter().map(|n| n.status.status).collect();
        assert!(
            shown.contains(&ProgressStatus::AtRisk) && shown.contains(&ProgressStatus::OffTrack)
        );

        let overdue = app.overdue(Some(plan)).await.unwrap();
        assert!(overdue.len() >= 3, "{}: {overdue:?}", t.backend);
        for late in &overdue {
            assert!(
                late.owner_name.is_some() && late.owner_email.is_some(),
                "{}: {late:?} has an owner to chase",
                t.backend
            );
            assert!(
                late.last_checkin.is_some(),
                "{late:?} was checked in on, just not lately"
            );
        }
    }
}

#[tokio::test]
async fn the_sample_does_not_go_stale() {
    for t in testing::all().await {
        let day = date!(2027 - 06 - 01);
        let (app, plan) = load_on(&t, day).await;
        let report = app.plan_status(plan).await.unwrap();
        let colours = healths(&report);
        let with_data = colours.values().filter(|h| h.is_some()).count();
        assert!(
            with_data >= 10,
            "{}: measures with data on {day}: {colours:?}",
            t.backend
        );
        for wanted in [Health::Green, Health::Amber, Health::Red] {
            assert!(
                colours.values().any(|h| *h == Some(wanted)),
                "{}: no {wanted} on {day}",
                t.backend
            );
        }
        let latest = report
            .measures
            .iter()
            .filter_map(|m| m.status.period)
            .max_by_key(|p| p.end())
            .unwrap();
        assert_eq!(latest.to_string(), "2027-05", "values run up to last month");
        assert!(!app.overdue(Some(plan)).await.unwrap().is_empty());
        // Initiatives that had not started by the first test's day have now.
        let started = report
            .nodes
            .iter()
            .find(|n| n.node.code.as_ref().is_some_and(|c| c.as_str() == "3.1.3"))
            .unwrap();
        assert_eq!(
            started.status.reported_status,
            Some(ProgressStatus::OnTrack)
        );
    }
}

#[tokio::test]
async fn initiatives_not_yet_started_get_no_check_in() {
    for t in testing::all().await {
        let (app, plan) = load_on(&t, date!(2026 - 11 - 23)).await;
        let report = app.plan_status(plan).await.unwrap();
        for n in &report.nodes {
            let future = n
                .node
                .start_date
                .is_some_and(|s| s.date() > date!(2026 - 11 - 23));
            if future {
                assert_eq!(n.status.last_checkin, None, "{:?}", n.node.code);
                assert_eq!(
                    n.status.status,
                    ProgressStatus::NotStarted,
                    "{:?}",
                    n.node.code
                );
            } else if n.node.level == 2 {
                assert!(
                    n.status.last_checkin.is_some(),
                    "{:?} has a check-in",
                    n.node.code
                );
            }
        }
    }
}

#[tokio::test]
async fn the_sample_is_loaded_only_into_an_empty_database() {
    for t in testing::all().await {
        let (app, plan) = load_on(&t, date!(2026 - 11 - 23)).await;
        assert!(app.load_sample_if_empty().await.unwrap().is_none());
        assert_eq!(app.store().list_plans().await.unwrap().len(), 1);
        let measures = app.store().plan_measures(plan).await.unwrap();
        let raw: Vec<_> = measures
            .iter()
            .filter(|m| m.formula.is_none())
            .map(|m| m.id)
            .collect();
        let values = app.store().observations_of(&raw).await.unwrap();
        assert!(
            values.len() >= 100,
            "{}: {} values",
            t.backend,
            values.len()
        );
    }
}
