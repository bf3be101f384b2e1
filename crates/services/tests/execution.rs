//! Check-ins, measures, roll-ups and overdue detection through the services
//! layer, on every backend. The numbers asserted here are worked by hand from
//! docs/status-rules.md.

use lodestar_domain::status::Health;
use lodestar_domain::*;
use lodestar_services::{App, NodeStatus, ServiceError, StatusReport};
use lodestar_storage::testing;
use time::macros::date;

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective, Initiative]
people:
  - { name: Ada Owner, email: ada@testwick.example.gov }
  - { name: Ben Owner }
nodes:
  - code: "1"
    title: Reliable services
    children:
      - code: "1.1"
        title: Keep the portal up
        measures:
          - key: uptime
            name: Portal uptime
            unit: "%"
            direction: higher-is-better
            frequency: monthly
            targets: [{ period: "2026", value: 99.5 }]
            thresholds: { basis: absolute, green: 99.5, amber: 99.0 }
          - key: tickets_total
            name: Tickets
            direction: higher-is-better
            frequency: monthly
            weight: 0
          - key: tickets_in_sla
            name: Tickets within SLA
            direction: higher-is-better
            frequency: monthly
            weight: 0
          - key: sla_rate
            name: SLA rate
            unit: "%"
            direction: higher-is-better
            frequency: monthly
            targets: [{ value: 90 }]
            formula: tickets_in_sla / tickets_total * 100
            weight: 0
        children:
          - { code: "1.1.1", title: Monitoring, owner: Ada Owner, weight: 3, cadence: monthly, start_date: "2026-01-01" }
          - { code: "1.1.2", title: Failover, owner: Ben Owner, cadence: quarterly, start_date: "2026-01-01" }
      - code: "1.2"
        title: Retire old systems
        children:
          - { code: "1.2.1", title: Mainframe exit, owner: Ada Owner, cadence: monthly, start_date: "2026-05-01" }
"#;

const TODAY: time::Date = date!(2026 - 06 - 15);

struct Fixture {
    app: App,
    plan: PlanId,
    backend: &'static str,
    _store: testing::TestStore,
}

async fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for t in testing::all().await {
        let app = App::new(t.store.clone()).on_day(TODAY);
        let plan = app
            .import_plan_code("testwick.yaml", PLAN)
            .await
            .unwrap()
            .id;
        out.push(Fixture {
            app,
            plan,
            backend: t.backend,
            _store: t,
        });
    }
    out
}

impl Fixture {
    async fn node(&self, code: &str) -> NodeId {
        self.app
            .store()
            .find_node_by_code(self.plan, &Code::parse(code).unwrap())
            .await
            .unwrap()
            .unwrap()
            .id
    }

    async fn measure(&self, key: &str) -> MeasureId {
        let measures = self.app.store().plan_measures(self.plan).await.unwrap();
        measures.iter().find(|m| m.key.as_str() == key).unwrap().id
    }

    async fn check_in(&self, code: &str, json: &str) -> CheckIn {
        let draft: CheckInDraft = serde_json::from_str(json).unwrap();
        let node = self.node(code).await;
        self.app.file_checkin(node, &draft).await.unwrap()
    }

    async fn record(&self, key: &str, period: &str, value: f64) {
        let draft = ObservationDraft {
            period: period.parse().unwrap(),
            value: Value::new(value).unwrap(),
            observed_on: None,
            note: None,
            source: None,
        };
        let measure = self.measure(key).await;
        self.app.record_observation(measure, &draft).await.unwrap();
    }

    async fn status(&self, code: &str) -> NodeStatus {
        self.app.node_status(self.node(code).await).await.unwrap()
    }

    async fn report(&self) -> StatusReport {
        self.app.plan_status(self.plan).await.unwrap()
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

/// Statuses as (code, status, score, progress), for comparing two reports.
fn summary(report: &StatusReport) -> Vec<(String, ProgressStatus, Option<f64>, Option<f64>)> {
    report
        .nodes
        .iter()
        .map(|n| {
            let code = n.node.code.as_ref().map_or("", Code::as_str).to_owned();
            let round = |v: Option<f64>| v.map(|v| (v * 1e6).round() / 1e6);
            (
                code,
                n.status.status,
                round(n.status.computed.score),
                round(n.status.computed.progress),
            )
        })
        .collect()
}

#[tokio::test]
async fn check_ins_roll_up_by_weight_and_stay_correct_after_each_write() {
    for f in fixtures().await {
        let b = f.backend;
        let fresh = f.status("1").await;
        assert_eq!(fresh.status, ProgressStatus::NotStarted, "{b}");

        f.check_in("1.1.1", r#"{"status":"on-track","percent":50}"#)
            .await;
        f.check_in("1.1.2", r#"{"status":"off-track","percent":20}"#)
            .await;
        // 1.1: (3×100 + 1×0) / 4 = 75 → at-risk; progress (3×50 + 1×20) / 4 = 42.5.
        let o = f.status("1.1").await;
        assert_eq!(o.status, ProgressStatus::AtRisk, "{b}");
        assert!(close(o.computed.score, 75.0), "{b}: {o:?}");
        assert!(close(o.computed.progress, 42.5), "{b}: {o:?}");
        // 1: only 1.1 has a score; progress averages 1.1 (42.5) and 1.2 (0).
        let g = f.status("1").await;
        assert_eq!(g.status, ProgressStatus::AtRisk, "{b}");
        assert!(close(g.computed.progress, 21.25), "{b}: {g:?}");

        // A green measure on 1.1 joins the score: (300 + 0 + 100) / 5 = 80 → on-track.
        f.record("uptime", "2026-05", 99.7).await;
        let o = f.status("1.1").await;
        assert!(close(o.computed.score, 80.0), "{b}: {o:?}");
        assert_eq!(o.status, ProgressStatus::OnTrack, "{b}");
        assert_eq!(f.status("1").await.status, ProgressStatus::OnTrack, "{b}");

        // An amber value replaces it: (300 + 0 + 50) / 5 = 70 → at-risk.
        f.record("uptime", "2026-05", 99.2).await;
        assert!(close(f.status("1.1").await.computed.score, 70.0), "{b}");

        // An override on 1.1.2 is shown as such and counts upward: (300 + 100 + 50) / 5 = 90.
        let node = f.node("1.1.2").await;
        let over: StatusOverrideDraft = serde_json::from_str(
            r#"{"status":"on-track","reason":"Vendor fix landed after the report"}"#,
        )
        .unwrap();
        let (s, version) = f.app.set_status_override(node, None, &over).await.unwrap();
        assert_eq!(version, 1, "{b}");
        assert_eq!(s.status, ProgressStatus::OnTrack, "{b}");
        assert_eq!(
            s.computed.status,
            ProgressStatus::OffTrack,
            "{b}: the computed status stays visible"
        );
        assert!(s.status_override.is_some(), "{b}");
        assert!(close(f.status("1.1").await.computed.score, 90.0), "{b}");
        f.app.clear_status_override(node, Some(1)).await.unwrap();
        assert!(close(f.status("1.1").await.computed.score, 70.0), "{b}");

        // Deferring the only initiative of 1.2 sets 1.2 aside: 1's progress is now 1.1's alone.
        f.check_in("1.2.1", r#"{"status":"deferred"}"#).await;
        assert_eq!(
            f.status("1.2").await.status,
            ProgressStatus::Deferred,
            "{b}"
        );
        assert!(close(f.status("1").await.computed.progress, 42.5), "{b}");

        // Deleting 1.1.2 (a structural change) is reflected on the next read.
        f.app.store().delete_node(node, None).await.unwrap();
        let o = f.status("1.1").await;
        // (3×100 + 50) / 4 = 87.5 → on-track; progress 50.
        assert!(close(o.computed.score, 87.5), "{b}: {o:?}");
        assert!(close(o.computed.progress, 50.0), "{b}: {o:?}");
    }
}

#[tokio::test]
async fn incremental_refresh_agrees_with_a_full_recomputation() {
    for f in fixtures().await {
        f.report().await;
        f.check_in("1.1.1", r#"{"status":"at-risk","percent":35}"#)
            .await;
        f.record("uptime", "2026-05", 98.0).await;
        f.check_in("1.1.2", r#"{"status":"completed"}"#).await;
        f.record("tickets_total", "2026-05", 200.0).await;
        f.record("tickets_in_sla", "2026-05", 190.0).await;
        let incremental = summary(&f.report().await);
        // Moving the clock a day forces the full recomputation from cached values.
        let next_day = App::new(f.app.store().clone()).on_day(date!(2026 - 06 - 16));
        let full = summary(&next_day.plan_status(f.plan).await.unwrap());
        assert_eq!(incremental, full, "{}", f.backend);
    }
}

#[tokio::test]
async fn measure_status_follows_targets_thresholds_and_age() {
    for f in fixtures().await {
        let b = f.backend;
        let health = |r: &StatusReport, key: &str| {
            let m = r
                .measures
                .iter()
                .find(|m| m.measure.key.as_str() == key)
                .unwrap();
            (m.status.health, m.status.reason.clone())
        };
        let r = f.report().await;
        assert_eq!(health(&r, "uptime").0, None, "{b}: no data yet");

        f.record("uptime", "2026-05", 98.5).await;
        assert_eq!(
            health(&f.report().await, "uptime").0,
            Some(Health::Red),
            "{b}"
        );

        // A value from January is too old for a monthly measure in mid-June.
        let old = App::new(f.app.store().clone()).on_day(TODAY);
        f.app
            .store()
            .delete_observation(
                f.plan,
                f.app
                    .measure_series(f.measure("uptime").await)
                    .await
                    .unwrap()[0]
                    .observation
                    .as_ref()
                    .unwrap()
                    .id,
                TODAY,
            )
            .await
            .unwrap();
        f.record("uptime", "2026-01", 99.9).await;
        let (h, reason) = health(&old.plan_status(f.plan).await.unwrap(), "uptime");
        assert_eq!(h, None, "{b}: {reason}");
        assert!(reason.contains("2026-01"), "{b}: {reason}");

        // Calculated: 45 of 50 within SLA is 90% → green against the final target 90.
        f.record("tickets_total", "2026-05", 50.0).await;
        f.record("tickets_in_sla", "2026-05", 45.0).await;
        let r = f.report().await;
        let sla = r
            .measures
            .iter()
            .find(|m| m.measure.key.as_str() == "sla_rate")
            .unwrap();
        assert_eq!(
            sla.status.health,
            Some(Health::Green),
            "{b}: {}",
            sla.status.reason
        );
        assert!(close(sla.status.value, 90.0), "{b}");

        // Zero tickets: the formula has no value, so the measure has no data, not a number.
        f.record("tickets_total", "2026-06", 0.0).await;
        f.record("tickets_in_sla", "2026-06", 0.0).await;
        let (h, reason) = health(&f.report().await, "sla_rate");
        assert_eq!(h, None, "{b}");
        assert!(reason.contains("division by zero"), "{b}: {reason}");
        let series = f
            .app
            .measure_series(f.measure("sla_rate").await)
            .await
            .unwrap();
        assert_eq!(series.len(), 2, "{b}");
        assert!(
            close(series[0].value, 90.0) && series[1].value.is_none(),
            "{b}: {series:?}"
        );
    }
}

#[tokio::test]
async fn csv_import_is_idempotent_and_all_or_nothing() {
    for f in fixtures().await {
        let b = f.backend;
        let csv = "measure,period,value,note\nuptime,2026-04,99.6,\nuptime,2026-05,99.7,after upgrade\ntickets_total,2026-05,120,\n";
        let first = f
            .app
            .import_observations_csv(f.plan, "v.csv", csv)
            .await
            .unwrap();
        assert_eq!(
            (first.inserted, first.updated, first.unchanged),
            (3, 0, 0),
            "{b}"
        );
        let again = f
            .app
            .import_observations_csv(f.plan, "v.csv", csv)
            .await
            .unwrap();
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 0, 3),
            "{b}"
        );

        let corrected = csv.replace("99.7", "99.8");
        let fix = f
            .app
            .import_observations_csv(f.plan, "v.csv", &corrected)
            .await
            .unwrap();
        assert_eq!((fix.inserted, fix.updated, fix.unchanged), (0, 1, 2), "{b}");

        let bad = "measure,period,value\nuptime,2026-06,99.1\nuptime,2026-07,n/a\n";
        let err = f
            .app
            .import_observations_csv(f.plan, "bad.csv", bad)
            .await
            .unwrap_err();
        let ServiceError::InvalidDocument { errors, .. } = err else {
            panic!("{b}: expected the rows' problems, got {err:?}")
        };
        assert_eq!(errors[0].field, "row 3 column value", "{b}");
        let series = f
            .app
            .measure_series(f.measure("uptime").await)
            .await
            .unwrap();
        assert_eq!(
            series.len(),
            2,
            "{b}: the good row of the bad file was not written"
        );

        let header = "measure,period,amount\nuptime,2026-06,1\n";
        assert!(
            f.app
                .import_observations_csv(f.plan, "h.csv", header)
                .await
                .is_err(),
            "{b}"
        );
    }
}

#[tokio::test]
async fn corrections_keep_the_earlier_text() {
    for f in fixtures().await {
        let b = f.backend;
        let first = f
            .check_in(
                "1.1.1",
                r#"{"status":"on-track","percent":60,"happened":"Dashboards live"}"#,
            )
            .await;
        assert_eq!(first.revision, 1, "{b}");
        let no_reason: CheckInDraft =
            serde_json::from_str(r#"{"status":"at-risk","percent":40}"#).unwrap();
        let err = f
            .app
            .correct_checkin(first.id, 1, &no_reason)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ServiceError::Invalid(e) if e.field == "reason"),
            "{b}: {err:?}"
        );

        let fix: CheckInDraft = serde_json::from_str(
            r#"{"status":"at-risk","percent":40,"happened":"Dashboards live for two of five systems","reason":"Overstated progress"}"#,
        )
        .unwrap();
        let now = f.app.correct_checkin(first.id, 1, &fix).await.unwrap();
        assert_eq!(
            (now.revision, now.status),
            (2, ProgressStatus::AtRisk),
            "{b}"
        );
        assert_eq!(now.date, first.date, "{b}: the date stays unless corrected");
        let (_, history) = f.app.checkin_with_history(first.id).await.unwrap();
        assert_eq!(history.len(), 1, "{b}");
        assert_eq!(
            history[0].happened.as_ref().unwrap().as_str(),
            "Dashboards live",
            "{b}"
        );
        assert_eq!(history[0].reason.as_str(), "Overstated progress", "{b}");
        assert_eq!(
            f.status("1.1.1").await.reported_status,
            Some(ProgressStatus::AtRisk),
            "{b}"
        );
    }
}

#[tokio::test]
async fn bad_check_ins_are_refused_and_write_nothing() {
    for f in fixtures().await {
        let b = f.backend;
        let node = f.node("1.1.1").await;
        for (json, field) in [
            (r#"{"status":"on-track","date":"2026-07-01"}"#, "date"),
            (r#"{"status":"on-track","date":"1950-01-01"}"#, "date"),
            (r#"{"status":"completed","percent":50}"#, "percent"),
            (r#"{"status":"on-track","author_id":999}"#, "author_id"),
            (r#"{"status":"on-track","reason":"why"}"#, "reason"),
        ] {
            let draft: CheckInDraft = serde_json::from_str(json).unwrap();
            let err = f.app.file_checkin(node, &draft).await.unwrap_err();
            assert!(
                matches!(&err, ServiceError::Invalid(e) if e.field == field),
                "{b} {json}: {err:?}"
            );
        }
        assert!(
            f.app.store().checkins(node).await.unwrap().is_empty(),
            "{b}"
        );
        assert!(
            serde_json::from_str::<CheckInDraft>(r#"{"status":"on-track","percent":101}"#).is_err()
        );
        assert!(serde_json::from_str::<CheckInDraft>(r#"{"status":"late"}"#).is_err());
    }
}

#[tokio::test]
async fn overdue_updates_follow_each_cadence() {
    for f in fixtures().await {
        let b = f.backend;
        let codes = |list: &[lodestar_services::OverdueNode]| {
            list.iter()
                .map(|o| (o.code.as_ref().unwrap().as_str().to_owned(), o.days_overdue))
                .collect::<Vec<_>>()
        };
        // 1.1.1 monthly since 2026-01-01: due 2026-02-01, 134 days ago on 2026-06-15.
        // 1.1.2 quarterly since 2026-01-01: due 2026-04-03, 73 days ago.
        // 1.2.1 monthly since 2026-05-01: due 2026-06-01, 14 days ago.
        let list = f.app.overdue(Some(f.plan)).await.unwrap();
        assert_eq!(
            codes(&list),
            [
                ("1.1.1".into(), 134),
                ("1.1.2".into(), 73),
                ("1.2.1".into(), 14)
            ],
            "{b}"
        );
        assert_eq!(
            list[0].owner_name.as_ref().unwrap().as_str(),
            "Ada Owner",
            "{b}"
        );
        assert_eq!(
            list[0].owner_email.as_ref().unwrap().as_str(),
            "ada@testwick.example.gov",
            "{b}"
        );
        let everywhere = f.app.overdue(None).await.unwrap();
        assert_eq!(
            everywhere.len(),
            3,
            "{b}: active plans are searched without a plan"
        );
        let plan = f.app.store().get_plan(f.plan).await.unwrap();
        let draft: PlanDraft = serde_json::from_value(serde_json::json!({
            "organization_id": plan.organization_id, "key": plan.key, "title": plan.title,
            "period": plan.period, "status": "archived", "levels": plan.levels,
        }))
        .unwrap();
        f.app.update_plan(f.plan, 1, &draft).await.unwrap();
        assert!(
            f.app.overdue(None).await.unwrap().is_empty(),
            "{b}: archived plans are not chased"
        );
        assert_eq!(
            f.app.overdue(Some(f.plan)).await.unwrap().len(),
            3,
            "{b}: unless named"
        );
        let draft = PlanDraft {
            status: PlanStatus::Active,
            ..draft
        };
        f.app.update_plan(f.plan, 2, &draft).await.unwrap();

        // A check-in 40 days ago: overdue by 9 for monthly; within the quarter for quarterly.
        f.check_in("1.1.1", r#"{"status":"on-track","date":"2026-05-06"}"#)
            .await;
        f.check_in("1.1.2", r#"{"status":"on-track","date":"2026-05-06"}"#)
            .await;
        // Closed nodes are never chased.
        f.check_in("1.2.1", r#"{"status":"cancelled"}"#).await;
        let list = f.app.overdue(Some(f.plan)).await.unwrap();
        assert_eq!(codes(&list), [("1.1.1".into(), 9)], "{b}");
        assert_eq!(
            list[0].last_checkin.unwrap().to_string(),
            "2026-05-06",
            "{b}"
        );
    }
}

#[tokio::test]
async fn moving_a_node_moves_its_weight_to_the_new_parent() {
    for f in fixtures().await {
        let b = f.backend;
        f.check_in("1.1.1", r#"{"status":"on-track","percent":50}"#)
            .await;
        f.check_in("1.1.2", r#"{"status":"off-track","percent":20}"#)
            .await;
        assert_eq!(
            f.status("1.2").await.status,
            ProgressStatus::NotStarted,
            "{b}"
        );

        let id = f.node("1.1.2").await;
        let node = f.app.store().get_node(id).await.unwrap();
        let mut draft: NodeDraft = serde_json::from_value(serde_json::json!({
            "plan_id": node.plan_id, "title": node.title, "code": node.code,
            "parent_id": f.node("1.2").await, "owner_id": node.owner_id, "cadence": "quarterly",
        }))
        .unwrap();
        draft.weight = Some(node.weight);
        f.app.update_node(id, 1, &draft).await.unwrap();

        // 1.1 keeps only 1.1.1: 100, progress 50. 1.2 now holds 1.1.2 (0) and 1.2.1 (no score):
        // off-track, progress (20 + 0) / 2 = 10.
        let o1 = f.status("1.1").await;
        assert!(
            close(o1.computed.score, 100.0) && close(o1.computed.progress, 50.0),
            "{b}: {o1:?}"
        );
        let o2 = f.status("1.2").await;
        assert_eq!(o2.status, ProgressStatus::OffTrack, "{b}");
        assert!(close(o2.computed.progress, 10.0), "{b}: {o2:?}");
    }
}

#[tokio::test]
async fn a_large_import_spans_batches_and_stays_idempotent() {
    for f in fixtures().await {
        let b = f.backend;
        let days: Vec<String> = (0..1_234)
            .map(|i| (date!(2023 - 01 - 01) + time::Duration::days(i)).to_string())
            .collect();
        let csv = |changed: Option<usize>| {
            let mut text = String::from("measure,period,value\n");
            for (i, day) in days.iter().enumerate() {
                let value = if Some(i) == changed { 1.0 } else { i as f64 };
                text.push_str(&format!("tickets_total,{day},{value}\n"));
            }
            text
        };
        let first = f
            .app
            .import_observations_csv(f.plan, "big.csv", &csv(None))
            .await
            .unwrap();
        assert_eq!(
            (first.inserted, first.updated, first.unchanged),
            (1_234, 0, 0),
            "{b}"
        );
        // Row 1,001 sits in the third batch of 500.
        let again = f
            .app
            .import_observations_csv(f.plan, "big.csv", &csv(Some(1_000)))
            .await
            .unwrap();
        assert_eq!(
            (again.inserted, again.updated, again.unchanged),
            (0, 1, 1_233),
            "{b}"
        );
        let series = f
            .app
            .measure_series(f.measure("tickets_total").await)
            .await
            .unwrap();
        assert_eq!(series.len(), 1_234, "{b}");
        assert!(close(series[1_000].value, 1.0), "{b}");
    }
}

#[tokio::test]
async fn concurrent_check_ins_leave_the_same_roll_up_as_a_full_recomputation() {
    // Each check-in refreshes its parent from the siblings' cached statuses; on
    // PostgreSQL the plan lock keeps concurrent writers (here, tasks on one
    // pool; in production, instances) from computing a parent from a sibling
    // another transaction has not committed yet. Races are timing-dependent:
    // with the lock removed this test failed in some runs, not all.
    for f in fixtures().await {
        f.report().await;
        let statuses = ["on-track", "off-track", "at-risk", "completed"];
        let mut tasks = Vec::new();
        for round in 0..15 {
            for (i, code) in ["1.1.1", "1.1.2", "1.2.1"].into_iter().enumerate() {
                let app = f.app.clone();
                let node = f.node(code).await;
                let status = statuses[(round + i) % statuses.len()];
                tasks.push(tokio::spawn(async move {
                    let draft: CheckInDraft = serde_json::from_str(&format!(
                        r#"{{"status":"{status}","percent":{}}}"#,
                        if status == "completed" {
                            100
                        } else {
                            5 * (round + 1)
                        }
                    ))
                    .unwrap();
                    app.file_checkin(node, &draft).await.unwrap();
                }));
            }
        }
        for t in tasks {
            t.await.unwrap();
        }
        let incremental = summary(&f.report().await);
        let next_day = App::new(f.app.store().clone()).on_day(date!(2026 - 06 - 16));
        let full = summary(&next_day.plan_status(f.plan).await.unwrap());
        assert_eq!(incremental, full, "{}", f.backend);
    }
}
