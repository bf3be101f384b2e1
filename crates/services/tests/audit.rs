//! The audit log through the services layer, on every backend: what a write
//! records, whom it names, what a failed write leaves, and the CSV export.

use lodestar_domain::*;
use lodestar_services::audit::{AuditAction, AuditEntry, CSV_COLUMNS, audit_filter};
use lodestar_services::{App, FIRST_VERSION, ServiceError, acting_as};
use lodestar_storage::{Actor, testing};
use serde_json::json;

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective]
nodes:
  - code: "1"
    title: Reliable services
    children:
      - code: "1.1"
        title: Keep the portal up
        cadence: monthly
        measures:
          - { key: uptime, name: Portal uptime, direction: higher-is-better, frequency: monthly }
"#;

struct Fixture {
    app: App,
    plan: PlanId,
    backend: &'static str,
    _store: testing::TestStore,
}

async fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for t in testing::all().await {
        let app = App::new(t.store.clone());
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

fn ada() -> Actor {
    Actor {
        user_id: Some(7),
        name: "ada@testwick.example.gov".into(),
    }
}

impl Fixture {
    async fn node(&self, code: &str) -> Node {
        let code = Code::parse(code).unwrap();
        self.app
            .store()
            .find_node_by_code(self.plan, &code)
            .await
            .unwrap()
            .unwrap()
    }

    async fn history(&self, node: NodeId) -> Vec<AuditEntry> {
        self.app.node_audit(node, None, None).await.unwrap()
    }

    async fn csv(&self, plan: Option<PlanId>) -> Vec<csv::StringRecord> {
        let filter = audit_filter(plan, None, None, None).unwrap();
        let text = self.app.audit_csv(&filter).await.unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        reader.records().map(Result::unwrap).collect()
    }
}

fn renamed(node: &Node, title: &str) -> NodeDraft {
    serde_json::from_value(json!({
        "plan_id": node.plan_id,
        "parent_id": node.parent_id,
        "code": node.code,
        "title": title,
        "cadence": "monthly",
    }))
    .unwrap()
}

#[tokio::test]
async fn a_node_update_records_the_row_before_and_after_and_who_made_it() {
    for f in fixtures().await {
        let node = f.node("1.1").await;
        acting_as(
            ada(),
            f.app.update_node(
                node.id,
                FIRST_VERSION,
                &renamed(&node, "Keep the portal running"),
            ),
        )
        .await
        .unwrap();
        let history = f.history(node.id).await;
        let update = &history[0];
        assert_eq!(update.action, AuditAction::Update, "{}", f.backend);
        assert_eq!(update.entity, "nodes", "{}", f.backend);
        assert_eq!(update.entity_id, Some(node.id.0), "{}", f.backend);
        assert_eq!(
            (update.plan_id, update.node_id),
            (Some(f.plan), Some(node.id)),
            "{}",
            f.backend
        );
        assert_eq!(update.actor, "ada@testwick.example.gov", "{}", f.backend);
        assert_eq!(update.actor_id, Some(7), "{}", f.backend);
        let (before, after) = (
            update.before.as_ref().unwrap(),
            update.after.as_ref().unwrap(),
        );
        assert_eq!(before["title"], "Keep the portal up", "{}", f.backend);
        assert_eq!(after["title"], "Keep the portal running", "{}", f.backend);
        assert_eq!(after["code"], "1.1", "{}", f.backend);
    }
}

#[tokio::test]
async fn writes_made_outside_acting_as_are_the_systems() {
    for f in fixtures().await {
        let node = f.node("1").await;
        let history = f.history(node.id).await;
        assert_eq!(history.len(), 1, "{}: {history:?}", f.backend);
        let insert = &history[0];
        assert_eq!(insert.action, AuditAction::Insert, "{}", f.backend);
        assert_eq!(
            (insert.actor.as_str(), insert.actor_id),
            ("system", None),
            "{}",
            f.backend
        );
        assert_eq!(insert.before, None, "{}", f.backend);
        assert_eq!(
            insert.after.as_ref().unwrap()["title"],
            "Reliable services",
            "{}",
            f.backend
        );
    }
}

#[tokio::test]
async fn a_write_that_rolls_back_leaves_no_audit_entry() {
    for f in fixtures().await {
        let before = f.csv(None).await.len();
        // A new organization is written first, then the plan's key clashes
        // and the whole import rolls back.
        let clash = PLAN.replace("Town of Testwick", "County of Testwick");
        let err = acting_as(ada(), f.app.import_plan_code("again.yaml", &clash))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                ServiceError::Conflict { .. } | ServiceError::InvalidDocument { .. }
            ),
            "{}: {err:?}",
            f.backend
        );
        let rows = f.csv(None).await;
        assert_eq!(rows.len(), before, "{}", f.backend);
        assert!(
            rows.iter()
                .all(|r| !r.iter().any(|cell| cell.contains("County of Testwick"))),
            "{}",
            f.backend
        );
    }
}

#[tokio::test]
async fn deleting_a_node_logs_what_went_with_it_under_the_node_and_its_plan() {
    for f in fixtures().await {
        let node = f.node("1.1").await;
        let draft: MilestoneDraft =
            serde_json::from_value(json!({"title": "Monitoring live"})).unwrap();
        f.app.create_milestone(node.id, &draft).await.unwrap();
        acting_as(ada(), f.app.store().delete_node(node.id, None))
            .await
            .unwrap();
        let history = f.app.node_audit(node.id, None, None).await.unwrap();
        let deletes: Vec<&AuditEntry> = history
            .iter()
            .filter(|e| e.action == AuditAction::Delete)
            .collect();
        let mut entities: Vec<&str> = deletes.iter().map(|e| e.entity.as_str()).collect();
        entities.sort_unstable();
        assert_eq!(
            entities,
            ["measures", "milestones", "nodes"],
            "{}",
            f.backend
        );
        for entry in deletes {
            assert_eq!(entry.plan_id, Some(f.plan), "{}: {entry:?}", f.backend);
            assert_eq!(entry.actor, "ada@testwick.example.gov", "{}", f.backend);
            assert_eq!(entry.after, None, "{}", f.backend);
        }
    }
}

#[tokio::test]
async fn reading_statuses_logs_nothing() {
    for f in fixtures().await {
        let before = f.csv(None).await.len();
        f.app.plan_status(f.plan).await.unwrap();
        assert_eq!(f.csv(None).await.len(), before, "{}", f.backend);
    }
}

#[tokio::test]
async fn the_csv_export_has_a_header_and_one_line_per_write() {
    for f in fixtures().await {
        let rows = f.csv(Some(f.plan)).await;
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            CSV_COLUMNS,
            "{}",
            f.backend
        );
        // The import wrote the plan, its two nodes and a measure; the
        // organization belongs to no plan.
        let lines: Vec<(&str, &str)> = rows[1..].iter().map(|r| (&r[3], &r[4])).collect();
        let inserts = [
            ("insert", "plans"),
            ("insert", "nodes"),
            ("insert", "nodes"),
            ("insert", "measures"),
        ];
        assert_eq!(lines, inserts, "{}", f.backend);
        let node = f.node("1").await;
        acting_as(
            ada(),
            f.app.update_node(
                node.id,
                FIRST_VERSION,
                &renamed(&node, "Dependable services"),
            ),
        )
        .await
        .unwrap();
        let rows = f.csv(Some(f.plan)).await;
        assert_eq!(rows.len(), 6, "{}", f.backend);
        let last = &rows[5];
        assert_eq!(
            (&last[2], &last[3], &last[7]),
            (
                "ada@testwick.example.gov",
                "update",
                node.id.to_string().as_str()
            )
        );
        let after: serde_json::Value = serde_json::from_str(&last[9]).unwrap();
        assert_eq!(after["title"], "Dependable services", "{}", f.backend);
        assert!(
            f.csv(None).await.iter().any(|r| &r[4] == "organizations"),
            "{}",
            f.backend
        );
    }
}

#[tokio::test]
async fn the_export_keeps_to_its_time_range() {
    for f in fixtures().await {
        let future = audit_filter(None, None, Some("2999-01-01"), None).unwrap();
        let text = f.app.audit_csv(&future).await.unwrap();
        assert_eq!(text.lines().count(), 1, "{}: {text}", f.backend);
        let past = audit_filter(None, None, Some("2000-01-01"), Some("2999-12-31")).unwrap();
        assert!(
            f.app.audit_csv(&past).await.unwrap().lines().count() > 1,
            "{}",
            f.backend
        );
    }
}

#[tokio::test]
async fn a_node_that_never_existed_has_no_history() {
    for f in fixtures().await {
        let err = f
            .app
            .node_audit(NodeId(999_999), None, None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ServiceError::NotFound { .. }),
            "{}: {err:?}",
            f.backend
        );
    }
}

#[tokio::test]
async fn a_history_is_read_page_by_page_newest_first() {
    for f in fixtures().await {
        let node = f.node("1").await;
        for (version, title) in [(1, "Two"), (2, "Three")] {
            f.app
                .update_node(node.id, version, &renamed(&node, title))
                .await
                .unwrap();
        }
        let first = f.app.node_audit(node.id, None, Some(2)).await.unwrap();
        let titles: Vec<&serde_json::Value> = first
            .iter()
            .map(|e| &e.after.as_ref().unwrap()["title"])
            .collect();
        assert_eq!(titles, ["Three", "Two"], "{}", f.backend);
        let rest = f
            .app
            .node_audit(node.id, Some(first[1].id), Some(2))
            .await
            .unwrap();
        assert_eq!(rest.len(), 1, "{}", f.backend);
        assert_eq!(rest[0].action, AuditAction::Insert, "{}", f.backend);
    }
}

#[tokio::test]
async fn rows_that_name_their_node_through_another_row_are_in_its_history() {
    for f in fixtures().await {
        let node = f.node("1.1").await;
        let filed: CheckInDraft =
            serde_json::from_value(json!({"status": "on-track", "percent": 40})).unwrap();
        let checkin = f.app.file_checkin(node.id, &filed).await.unwrap();
        let corrected: CheckInDraft = serde_json::from_value(
            json!({"status": "at-risk", "percent": 30, "reason": "Vendor slipped"}),
        )
        .unwrap();
        f.app
            .correct_checkin(checkin.id, 1, &corrected)
            .await
            .unwrap();
        let measure = f.app.store().node_measures(node.id).await.unwrap()[0].id;
        let value: ObservationDraft =
            serde_json::from_value(json!({"period": "2025-03", "value": 99.1})).unwrap();
        f.app.record_observation(measure, &value).await.unwrap();
        let history = f.history(node.id).await;
        for entity in ["checkins", "checkin_revisions", "observations"] {
            let entry = history.iter().find(|e| e.entity == entity);
            let entry =
                entry.unwrap_or_else(|| panic!("{}: no {entity} in {history:?}", f.backend));
            assert_eq!(entry.plan_id, Some(f.plan), "{}: {entry:?}", f.backend);
        }
    }
}
