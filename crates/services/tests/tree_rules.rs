//! The rules that keep a plan's tree a tree, on every backend.

use lodestar_domain::*;
use lodestar_services::sample::{SAMPLE_NAME, SAMPLE_PLAN};
use lodestar_services::{App, ServiceError};
use lodestar_storage::testing;

fn draft_from(node: &Node) -> NodeDraft {
    NodeDraft {
        plan_id: node.plan_id,
        parent_id: node.parent_id,
        code: node.code.clone(),
        title: node.title.clone(),
        description: node.description.clone(),
        level: Some(node.level),
        position: Some(node.position),
        owner_id: node.owner_id,
        sponsor_id: node.sponsor_id,
        department_id: node.department_id,
        horizon: node.horizon,
        start_date: node.start_date,
        due_date: node.due_date,
        weight: Some(node.weight),
        cadence: node.cadence,
    }
}

fn field_of(err: &ServiceError) -> &str {
    match err {
        ServiceError::Invalid(e) => &e.field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

async fn sample(app: &App) -> PlanTree {
    let plan = app
        .import_plan_code(SAMPLE_NAME, SAMPLE_PLAN)
        .await
        .unwrap();
    app.store().plan_tree(plan.id).await.unwrap()
}

#[tokio::test]
async fn a_node_cannot_move_beneath_itself() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let goal = &tree.nodes[0];
        let grandchild = &goal.children[0].children[0];
        let mut draft = draft_from(&goal.node);
        draft.parent_id = Some(grandchild.node.id);
        draft.level = None;
        let err = app.update_node(goal.node.id, 1, &draft).await.unwrap_err();
        assert_eq!(field_of(&err), "parent_id");
        assert!(err.to_string().contains("beneath itself"), "{err}");
        assert_eq!(
            app.store().get_node(goal.node.id).await.unwrap(),
            goal.node,
            "{}: unchanged",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_parent_must_be_in_the_same_plan() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let other = app
            .create_plan(&PlanDraft {
                organization_id: tree.plan.organization_id,
                key: Key::parse("other").unwrap(),
                title: Name::parse("Other plan").unwrap(),
                period: Period::new(2025, 2026).unwrap(),
                status: PlanStatus::Draft,
                vision: None,
                mission: None,
                principles: vec![],
                levels: LevelNames::standard(),
            })
            .await
            .unwrap();
        let mut draft = draft_from(&tree.nodes[0].children[0].node);
        draft.plan_id = other.id;
        draft.code = None;
        let err = app.create_node(&draft).await.unwrap_err();
        assert_eq!(field_of(&err), "parent_id");
        assert!(err.to_string().contains("belongs to plan"), "{err}");
        assert!(
            app.store().plan_nodes(other.id).await.unwrap().is_empty(),
            "{}",
            t.backend
        );
    }
}

#[tokio::test]
async fn a_level_must_exist_and_sit_below_the_parent() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let objective = &tree.nodes[0].children[0].node;
        let mut draft = draft_from(objective);
        draft.parent_id = Some(objective.id);
        draft.code = Some(Code::parse("9.9").unwrap());
        draft.level = Some(7);
        let err = app.create_node(&draft).await.unwrap_err();
        assert_eq!(field_of(&err), "level");
        assert!(err.to_string().contains("unknown level 7"), "{err}");
        draft.level = Some(1);
        let err = app.create_node(&draft).await.unwrap_err();
        assert!(
            err.to_string().contains("cannot sit beneath its parent"),
            "{err}"
        );
        draft.level = None;
        let created = app.create_node(&draft).await.unwrap();
        assert_eq!(created.level, 2, "{}: one below the objective", t.backend);
    }
}

#[tokio::test]
async fn a_node_cannot_rise_to_its_childrens_level() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let goal = &tree.nodes[0].node;
        let mut draft = draft_from(goal);
        draft.level = Some(1);
        let err = app.update_node(goal.id, 1, &draft).await.unwrap_err();
        assert_eq!(field_of(&err), "level", "{}", t.backend);
    }
}

#[tokio::test]
async fn references_to_missing_people_are_the_inputs_fault() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let mut draft = draft_from(&tree.nodes[1].node);
        draft.owner_id = Some(PersonId(424242));
        let err = app
            .update_node(tree.nodes[1].node.id, 1, &draft)
            .await
            .unwrap_err();
        assert_eq!(field_of(&err), "owner_id", "{}", t.backend);
        assert!(err.to_string().contains("no person 424242"));
    }
}

#[tokio::test]
async fn alignment_links_join_two_plans() {
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let tree = sample(&app).await;
        let a = tree.nodes[0].node.id;
        let b = tree.nodes[1].node.id;
        let err = app
            .create_alignment(&AlignmentDraft {
                from_node_id: a,
                to_node_id: b,
                note: None,
            })
            .await
            .unwrap_err();
        assert_eq!(field_of(&err), "to_node_id", "{}", t.backend);
        assert!(app.store().list_alignments(None).await.unwrap().is_empty());
    }
}
