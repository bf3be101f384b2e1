//! The storage suite every backend must pass: SQLite always, PostgreSQL when
//! `LODESTAR_TEST_DATABASE_URL` is set.

use lodestar_domain::document::PlanDocument;
use lodestar_domain::*;
use lodestar_storage::{StorageError, Store, testing};

fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

async fn org(store: &Store) -> Organization {
    store
        .create_organization(&OrganizationDraft {
            name: name("City of Testville"),
            parent_id: None,
        })
        .await
        .unwrap()
}

async fn plan(store: &Store, org: OrganizationId, key: &str) -> Plan {
    store
        .create_plan(&PlanDraft {
            organization_id: org,
            key: Key::parse(key).unwrap(),
            title: name("IT Strategic Plan"),
            period: Period::new(2025, 2029).unwrap(),
            status: PlanStatus::Active,
            vision: LongText::parse("Digital by default").ok(),
            mission: None,
            principles: vec![Principle {
                name: name("Open"),
                text: LongText::parse("Publish data").ok(),
            }],
            levels: LevelNames::standard(),
        })
        .await
        .unwrap()
}

fn node_draft(plan: PlanId, parent: Option<NodeId>, code: &str) -> NodeDraft {
    NodeDraft {
        plan_id: plan,
        parent_id: parent,
        code: Some(Code::parse(code).unwrap()),
        title: name(&format!("Node {code}")),
        description: None,
        level: None,
        position: None,
        owner_id: None,
        sponsor_id: None,
        department_id: None,
        horizon: Some(Horizon::ShortTerm),
        start_date: "2025-01-01".parse().ok(),
        due_date: "2026-06-30".parse().ok(),
        weight: None,
        cadence: Cadence::Monthly,
    }
}

fn doc(yaml_like: serde_json::Value) -> PlanDocument {
    serde_json::from_value(yaml_like).unwrap()
}

#[tokio::test]
async fn reopening_a_database_applies_no_migration_twice() {
    let t = testing::sqlite().await;
    let o = org(&t.store).await;
    plan(&t.store, o.id, "p").await;
    drop(t.store.clone());
    // A second store on the same database sees the data and migrates nothing.
    for t in testing::all().await {
        assert!(t.store.is_empty().await.unwrap(), "{}", t.backend);
    }
}

#[tokio::test]
async fn plans_round_trip_with_principles_and_levels() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        let created = plan(&t.store, o.id, "city-it").await;
        let read = t.store.get_plan(created.id).await.unwrap();
        assert_eq!(read, created, "{}", t.backend);
        assert_eq!(t.store.list_plans().await.unwrap(), vec![created.clone()]);
        assert_eq!(
            t.store
                .find_plan_by_key(&Key::parse("city-it").unwrap())
                .await
                .unwrap(),
            Some(created)
        );
    }
}

#[tokio::test]
async fn a_duplicate_plan_key_is_a_conflict_on_key() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        plan(&t.store, o.id, "dup").await;
        let mut draft_plan = plan(&t.store, o.id, "other").await;
        draft_plan.key = Key::parse("dup").unwrap();
        let draft = PlanDraft {
            organization_id: o.id,
            key: draft_plan.key.clone(),
            title: draft_plan.title,
            period: draft_plan.period,
            status: draft_plan.status,
            vision: None,
            mission: None,
            principles: vec![],
            levels: draft_plan.levels,
        };
        match t.store.create_plan(&draft).await {
            Err(StorageError::Conflict { field, message }) => {
                assert_eq!(field.as_deref(), Some("key"));
                assert!(message.contains("\"dup\""), "{message}");
            }
            other => panic!("{}: expected a conflict, got {other:?}", t.backend),
        }
        assert_eq!(t.store.list_plans().await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn nodes_append_after_their_siblings_and_codes_are_unique_per_plan() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        let p = plan(&t.store, o.id, "p").await;
        let goal = t
            .store
            .create_node(&node_draft(p.id, None, "1"), 0)
            .await
            .unwrap();
        let a = t
            .store
            .create_node(&node_draft(p.id, Some(goal.id), "1.1"), 1)
            .await
            .unwrap();
        let b = t
            .store
            .create_node(&node_draft(p.id, Some(goal.id), "1.2"), 1)
            .await
            .unwrap();
        assert_eq!((a.position, b.position), (0, 1), "{}", t.backend);
        assert_eq!(t.store.get_node(b.id).await.unwrap(), b);
        let err = t
            .store
            .create_node(&node_draft(p.id, None, "1.1"), 0)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StorageError::Conflict { ref field, .. } if field.as_deref() == Some("code")),
            "{err:?}"
        );
        // The same code in another plan is fine.
        let q = plan(&t.store, o.id, "q").await;
        t.store
            .create_node(&node_draft(q.id, None, "1.1"), 0)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn deleting_a_node_deletes_its_subtree_only() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        let p = plan(&t.store, o.id, "p").await;
        let g1 = t
            .store
            .create_node(&node_draft(p.id, None, "1"), 0)
            .await
            .unwrap();
        let o1 = t
            .store
            .create_node(&node_draft(p.id, Some(g1.id), "1.1"), 1)
            .await
            .unwrap();
        t.store
            .create_node(&node_draft(p.id, Some(o1.id), "1.1.1"), 2)
            .await
            .unwrap();
        let g2 = t
            .store
            .create_node(&node_draft(p.id, None, "2"), 0)
            .await
            .unwrap();
        t.store.delete_node(g1.id, None).await.unwrap();
        let left: Vec<NodeId> = t
            .store
            .plan_nodes(p.id)
            .await
            .unwrap()
            .iter()
            .map(|n| n.id)
            .collect();
        assert_eq!(left, vec![g2.id], "{}", t.backend);
        assert!(matches!(
            t.store.get_node(o1.id).await,
            Err(StorageError::NotFound { .. })
        ));
    }
}

#[tokio::test]
async fn an_organization_with_plans_cannot_be_deleted() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        plan(&t.store, o.id, "p").await;
        let err = t.store.delete_organization(o.id, None).await.unwrap_err();
        assert!(
            matches!(err, StorageError::Conflict { .. }),
            "{}: {err:?}",
            t.backend
        );
        assert_eq!(t.store.get_organization(o.id).await.unwrap(), o);
    }
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    for t in testing::all().await {
        assert!(matches!(
            t.store.get_plan(PlanId(999)).await,
            Err(StorageError::NotFound { entity: "plan", .. })
        ));
        assert!(matches!(
            t.store.delete_node(NodeId(999), None).await,
            Err(StorageError::NotFound { entity: "node", .. })
        ));
        let o = org(&t.store).await;
        let draft = OrganizationDraft {
            name: name("X"),
            parent_id: Some(o.id),
        };
        assert!(matches!(
            t.store
                .update_organization(OrganizationId(999), 1, &draft)
                .await,
            Err(StorageError::NotFound { .. })
        ));
    }
}

#[tokio::test]
async fn alignment_links_are_seen_from_both_ends() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        let city = plan(&t.store, o.id, "city").await;
        let dept = plan(&t.store, o.id, "dept").await;
        let target = t
            .store
            .create_node(&node_draft(city.id, None, "2"), 0)
            .await
            .unwrap();
        let source = t
            .store
            .create_node(&node_draft(dept.id, None, "A"), 0)
            .await
            .unwrap();
        let link = t
            .store
            .create_alignment(&AlignmentDraft {
                from_node_id: source.id,
                to_node_id: target.id,
                note: LongText::parse("Delivers the portal").ok(),
            })
            .await
            .unwrap();
        let from_source = t.store.node_alignment_ends(source.id).await.unwrap();
        assert_eq!(from_source.len(), 1, "{}", t.backend);
        assert_eq!(from_source[0].direction, Direction::Supports);
        assert_eq!(from_source[0].node_id, target.id);
        assert_eq!(from_source[0].plan_id, city.id);
        let from_target = t.store.node_alignment_ends(target.id).await.unwrap();
        assert_eq!(from_target[0].direction, Direction::SupportedBy);
        assert_eq!(from_target[0].alignment_id, link.id);
        let dup = t
            .store
            .create_alignment(&AlignmentDraft {
                from_node_id: source.id,
                to_node_id: target.id,
                note: None,
            })
            .await;
        assert!(matches!(dup, Err(StorageError::Conflict { .. })));
    }
}

#[tokio::test]
async fn tags_attach_once_and_show_in_the_tree() {
    for t in testing::all().await {
        let o = org(&t.store).await;
        let p = plan(&t.store, o.id, "p").await;
        let n = t
            .store
            .create_node(&node_draft(p.id, None, "1"), 0)
            .await
            .unwrap();
        let tag = t
            .store
            .create_tag(&TagDraft {
                plan_id: p.id,
                key: Key::parse("cloud").unwrap(),
                name: name("Cloud"),
                description: None,
            })
            .await
            .unwrap();
        t.store.attach_tag(n.id, tag.id).await.unwrap();
        t.store.attach_tag(n.id, tag.id).await.unwrap();
        let tree = t.store.plan_tree(p.id).await.unwrap();
        assert_eq!(
            tree.nodes[0].tags,
            vec![Key::parse("cloud").unwrap()],
            "{}",
            t.backend
        );
        t.store.detach_tag(n.id, tag.id).await.unwrap();
        assert!(t.store.node_tags(n.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn an_import_that_fails_midway_writes_nothing() {
    for t in testing::all().await {
        let d = doc(serde_json::json!({
            "organization": {"name": "Newtown", "parent": "Newtown County"},
            "key": "newtown-it",
            "title": "Newtown IT",
            "period": {"start_year": 2025, "end_year": 2027},
            "people": [{"name": "Ana"}],
            "departments": [{"name": "IT"}],
            "nodes": [
                {"code": "1", "title": "Goal", "owner": "Ana", "department": "IT"},
                {"code": "2", "title": "Goal two", "supports": [{"plan": "missing-plan", "code": "9"}]}
            ]
        }));
        let flat = d.validate().unwrap();
        let err = t.store.import_document(&d, &flat).await.unwrap_err();
        match err {
            StorageError::Invalid(e) => {
                assert_eq!(e.field, "nodes[1].supports[0]");
                assert!(e.message.contains("missing-plan"), "{e}");
            }
            other => panic!("{}: {other:?}", t.backend),
        }
        assert!(
            t.store.list_organizations().await.unwrap().is_empty(),
            "{}",
            t.backend
        );
        assert!(t.store.list_people(None).await.unwrap().is_empty());
        assert!(t.store.is_empty().await.unwrap());
    }
}

#[tokio::test]
async fn an_imported_document_is_read_back_for_export() {
    for t in testing::all().await {
        let d = doc(serde_json::json!({
            "organization": {"name": "Newtown", "parent": "Newtown County"},
            "key": "newtown-it",
            "title": "Newtown IT",
            "period": {"start_year": 2025, "end_year": 2027},
            "people": [{"name": "Ana", "department": "IT"}, {"name": "Unused"}],
            "departments": [{"name": "IT"}],
            "tags": [{"key": "cloud", "name": "Cloud"}],
            "nodes": [{"code": "1", "title": "Goal", "sponsor": "Ana", "tags": ["cloud"],
                       "children": [{"code": "1.1", "title": "Objective"}]}]
        }));
        let flat = d.validate().unwrap();
        let id = t.store.import_document(&d, &flat).await.unwrap();
        let parts = t.store.export_parts(id).await.unwrap();
        assert_eq!(parts.organization.name.as_str(), "Newtown", "{}", t.backend);
        assert_eq!(
            parts.parent_organization.as_ref().map(Name::as_str),
            Some("Newtown County")
        );
        assert_eq!(parts.nodes.len(), 2);
        let people: Vec<&str> = parts.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(people, vec!["Ana"], "only the people the plan refers to");
        assert_eq!(parts.departments.len(), 1);
        assert_eq!(parts.tags.len(), 1);
        assert_eq!(parts.node_tags.values().flatten().count(), 1);
        // Unreferenced people are still kept as records of the organization.
        assert_eq!(t.store.list_people(None).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn a_database_from_a_newer_lodestar_is_refused_not_misread() {
    let dir = std::env::temp_dir().join(format!("lodestar-newer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lodestar.db");
    let store = Store::open_sqlite(&path).await.unwrap();
    store.close().await;
    let url = format!("sqlite://{}", path.display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("INSERT INTO lodestar_migrations (version, name) VALUES (9999, 'from the future')")
        .execute(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let Err(err) = Store::open_sqlite(&path).await else {
        panic!("a database from a newer Lodestar was opened");
    };
    assert!(
        matches!(err, StorageError::NewerSchema { found: 9999, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("newer than this Lodestar knows"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
