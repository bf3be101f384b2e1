//! Plan-as-code through the services layer, on every backend.

use lodestar_domain::PlanStatus;
use lodestar_services::plan_code::DocFormat;
use lodestar_services::sample::{SAMPLE_NAME, SAMPLE_PLAN};
use lodestar_services::{App, ServiceError};
use lodestar_storage::testing;

#[tokio::test]
async fn export_import_export_is_byte_identical() {
    for format in [DocFormat::Yaml, DocFormat::Json] {
        for (first, second) in testing::all().await.into_iter().zip(testing::all().await) {
            let a = App::new(first.store.clone());
            let plan = a.import_plan_code(SAMPLE_NAME, SAMPLE_PLAN).await.unwrap();
            let exported = a.export_plan_code(plan.id, format).await.unwrap();

            let b = App::new(second.store.clone());
            let name = if format == DocFormat::Json {
                "plan.json"
            } else {
                "plan.yaml"
            };
            let again = b.import_plan_code(name, &exported).await.unwrap();
            let re_exported = b.export_plan_code(again.id, format).await.unwrap();
            assert_eq!(exported, re_exported, "{format:?} on {}", first.backend);
        }
    }
}

#[tokio::test]
async fn the_sample_loads_once_into_an_empty_database() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let plan = app
            .load_sample_if_empty()
            .await
            .unwrap()
            .expect("loaded into an empty store");
        assert_eq!(plan.status, PlanStatus::Active);
        assert!(
            app.load_sample_if_empty().await.unwrap().is_none(),
            "not loaded twice"
        );
        let tree = app.store().plan_tree(plan.id).await.unwrap();
        assert_eq!(tree.nodes.len(), 5, "{}: five goals", t.backend);
        let levels: Vec<u8> = tree.walk().iter().map(|n| n.node.level).collect();
        assert!(levels.contains(&2), "initiatives present");
    }
}

#[tokio::test]
async fn the_sample_uses_every_field_of_the_model() {
    let doc =
        lodestar_services::plan_code::parse(SAMPLE_NAME, SAMPLE_PLAN, DocFormat::Yaml).unwrap();
    assert!(doc.vision.is_some() && doc.mission.is_some() && !doc.principles.is_empty());
    assert!(!doc.departments.is_empty() && !doc.people.is_empty() && !doc.tags.is_empty());
    let flat = doc.validate().unwrap();
    let any =
        |f: &dyn Fn(&lodestar_domain::document::NodeEntry) -> bool| flat.iter().any(|n| f(n.entry));
    assert!(any(&|e| e.owner.is_some()));
    assert!(any(&|e| e.sponsor.is_some()));
    assert!(any(&|e| e.department.is_some()));
    assert!(any(&|e| e.horizon.is_some()));
    assert!(any(&|e| e.start_date.is_some() && e.due_date.is_some()));
    assert!(any(&|e| e.weight.is_some()));
    assert!(any(&|e| !e.tags.is_empty()));
    assert!(any(&|e| e.description.is_some()));
}

async fn assert_nothing_written(app: &App) {
    assert!(app.store().is_empty().await.unwrap());
    assert!(app.store().list_organizations().await.unwrap().is_empty());
    assert!(app.store().list_people(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn malformed_yaml_is_reported_with_line_and_column_and_writes_nothing() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let broken = SAMPLE_PLAN.replacen("start_year: 2025", "start_year: [2025", 1);
        let err = app
            .import_plan_code("city.yaml", &broken)
            .await
            .unwrap_err();
        let ServiceError::Syntax {
            source_name, line, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(source_name, "city.yaml");
        let expected_line = SAMPLE_PLAN
            .lines()
            .position(|l| l.contains("start_year: 2025"))
            .unwrap() as u64
            + 1;
        assert!(*line >= expected_line, "{err}");
        assert_nothing_written(&app).await;
    }
}

#[tokio::test]
async fn a_duplicate_code_rejects_the_whole_document() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let broken = SAMPLE_PLAN.replacen("code: \"1.2\"", "code: \"1.1\"", 1);
        assert_ne!(broken, SAMPLE_PLAN, "the fixture has a node 1.2");
        let err = app
            .import_plan_code("city.yaml", &broken)
            .await
            .unwrap_err();
        let ServiceError::InvalidDocument { errors, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(
            errors.iter().any(
                |e| e.field.ends_with(".code") && e.message.contains("\"1.1\" is already used")
            ),
            "{errors:?}"
        );
        assert_nothing_written(&app).await;
    }
}

#[tokio::test]
async fn an_unknown_level_rejects_the_whole_document() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let yaml = "organization: {name: Town}\nkey: town\ntitle: Town plan\nperiod: {start_year: 2025, end_year: 2026}\n\
                    nodes:\n  - title: A goal\n    level: Pillar\n";
        let err = app.import_plan_code("town.yaml", yaml).await.unwrap_err();
        let ServiceError::InvalidDocument {
            errors,
            source_name,
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(source_name, "town.yaml");
        assert_eq!(errors[0].field, "nodes[0].level");
        assert!(
            errors[0].message.contains("unknown level \"Pillar\""),
            "{}",
            errors[0]
        );
        assert_nothing_written(&app).await;
    }
}

#[tokio::test]
async fn importing_a_plan_key_twice_is_a_conflict() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        app.import_plan_code(SAMPLE_NAME, SAMPLE_PLAN)
            .await
            .unwrap();
        let err = app
            .import_plan_code(SAMPLE_NAME, SAMPLE_PLAN)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ServiceError::Conflict { ref field, .. } if field.as_deref() == Some("key")),
            "{err:?}"
        );
        assert_eq!(app.store().list_plans().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn alignment_links_survive_the_round_trip() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        app.import_plan_code(SAMPLE_NAME, SAMPLE_PLAN)
            .await
            .unwrap();
        let dept = "organization: {name: Harbor Falls Library, parent: City of Harbor Falls}\nkey: library-it\n\
                    title: Library technology plan\nperiod: {start_year: 2026, end_year: 2028}\n\
                    nodes:\n  - code: L1\n    title: Public computers for everyone\n    supports:\n      - plan: harbor-falls-it-2025\n        code: \"1.1\"\n        note: Branch devices feed the resident portal\n";
        let plan = app.import_plan_code("library.yaml", dept).await.unwrap();
        let tree = app.store().plan_tree(plan.id).await.unwrap();
        let ends = app
            .store()
            .node_alignment_ends(tree.nodes[0].node.id)
            .await
            .unwrap();
        assert_eq!(ends.len(), 1, "{}", t.backend);
        assert_eq!(ends[0].node_code.as_ref().unwrap().as_str(), "1.1");
        let exported = app
            .export_plan_code(plan.id, DocFormat::Yaml)
            .await
            .unwrap();
        assert!(
            exported.contains("plan: harbor-falls-it-2025"),
            "{exported}"
        );
        assert!(
            exported.contains("parent: City of Harbor Falls"),
            "{exported}"
        );
    }
}

#[tokio::test]
async fn a_milestone_done_in_the_future_is_refused_on_import() {
    let t = testing::sqlite().await;
    let app = App::new(t.store.clone()).on_day(time::macros::date!(2026 - 06 - 15));
    let doc = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
levels: [Goal]
nodes:
  - code: "1"
    title: Reliable services
    milestones:
      - { title: Monitoring live, done_date: "2026-06-15" }
      - { title: Failover tested, done_date: "2026-06-16" }
"#;
    let err = app.import_plan_code("t.yaml", doc).await.unwrap_err();
    let ServiceError::InvalidDocument { errors, .. } = err else {
        panic!("expected the document's problems, got {err:?}")
    };
    assert_eq!(errors.len(), 1, "{errors:?}: today is not the future");
    assert_eq!(errors[0].field, "nodes[0].milestones[1].done_date");
    assert!(
        app.store().list_plans().await.unwrap().is_empty(),
        "nothing stored"
    );
}
