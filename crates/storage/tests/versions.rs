//! Optimistic concurrency in storage, on every backend: a write changes a row
//! only at the version it was based on, and of several writers racing from
//! the same version exactly one wins.

use lodestar_domain::document::PlanDocument;
use lodestar_domain::*;
use lodestar_storage::{StorageError, Store, Versioned, testing};

fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

async fn plan(store: &Store) -> Plan {
    let org = store
        .create_organization(&OrganizationDraft {
            name: name("City of Testville"),
            parent_id: None,
        })
        .await
        .unwrap();
    store
        .create_plan(&PlanDraft {
            organization_id: org.id,
            key: Key::parse("city-it").unwrap(),
            title: name("IT Strategic Plan"),
            period: Period::new(2025, 2029).unwrap(),
            status: PlanStatus::Active,
            vision: None,
            mission: None,
            principles: vec![],
            levels: LevelNames::standard(),
        })
        .await
        .unwrap()
}

fn node_draft(plan: PlanId, title: &str) -> NodeDraft {
    NodeDraft {
        plan_id: plan,
        parent_id: None,
        code: Some(Code::parse("1").unwrap()),
        title: name(title),
        description: None,
        level: None,
        position: None,
        owner_id: None,
        sponsor_id: None,
        department_id: None,
        horizon: None,
        start_date: None,
        due_date: None,
        weight: None,
        cadence: Cadence::Monthly,
    }
}

fn tag_draft(plan: PlanId, title: &str) -> TagDraft {
    TagDraft {
        plan_id: plan,
        key: Key::parse("cloud").unwrap(),
        name: name(title),
        description: None,
    }
}

/// Counts the winners of a race and checks every loser was told it is stale
/// against the winner's version.
fn one_winner<T>(outcomes: Vec<Result<Versioned<T>, StorageError>>, backend: &str) -> usize {
    let mut winners = 0;
    for outcome in outcomes {
        match outcome {
            Ok(stored) => {
                assert_eq!(stored.version, 2, "{backend}");
                winners += 1;
            }
            Err(StorageError::Stale {
                expected: 1,
                current: Some(2),
                ..
            }) => {}
            Err(other) => panic!("{backend}: {other:?}"),
        }
    }
    winners
}

/// The outcomes of spawned writers, in the order they were spawned.
async fn joined<T>(writers: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut outcomes = Vec::with_capacity(writers.len());
    for writer in writers {
        outcomes.push(writer.await.expect("the writer did not panic"));
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_writers_racing_from_one_version_exactly_one_wins() {
    for t in testing::all().await {
        let b = t.backend;
        let p = plan(&t.store).await;
        let node = t
            .store
            .create_node(&node_draft(p.id, "Start"), 0)
            .await
            .unwrap();
        let tag = t.store.create_tag(&tag_draft(p.id, "Start")).await.unwrap();
        let mut node_writers = Vec::new();
        let mut tag_writers = Vec::new();
        for i in 0..8 {
            let title = format!("Writer {i}");
            let (store, draft) = (t.store.clone(), node_draft(p.id, &title));
            node_writers.push(tokio::spawn(async move {
                store.update_node(node.id, 1, &draft, 0, 0).await
            }));
            let (store, draft) = (t.store.clone(), tag_draft(p.id, &title));
            tag_writers.push(tokio::spawn(async move {
                store.update_tag(tag.id, 1, &draft).await
            }));
        }
        let nodes = joined(node_writers).await;
        assert_eq!(
            one_winner(nodes, b),
            1,
            "{b}: nodes, in a transaction under the plan's lock"
        );
        let tags = joined(tag_writers).await;
        assert_eq!(one_winner(tags, b), 1, "{b}: tags, one statement each");

        let stored = t.store.versioned::<Node>(node.id).await.unwrap();
        assert_eq!(stored.version, 2, "{b}");
        assert!(stored.value.title.as_str().starts_with("Writer "), "{b}");
    }
}

#[tokio::test]
async fn a_stale_write_changes_nothing_and_names_the_current_version() {
    for t in testing::all().await {
        let b = t.backend;
        let p = plan(&t.store).await;
        let node = t
            .store
            .create_node(&node_draft(p.id, "Start"), 0)
            .await
            .unwrap();
        let first = t
            .store
            .update_node(node.id, 1, &node_draft(p.id, "First"), 0, 0)
            .await
            .unwrap();
        assert_eq!(first.version, 2, "{b}");
        let err = t
            .store
            .update_node(node.id, 1, &node_draft(p.id, "Blind"), 0, 0)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StorageError::Stale {
                    entity: "node",
                    expected: 1,
                    current: Some(2),
                    ..
                }
            ),
            "{b}: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "node {} was changed by someone else: you sent version 1, it is now at version 2",
                node.id
            )
        );
        let stored = t.store.versioned::<Node>(node.id).await.unwrap();
        assert_eq!(
            (stored.value.title.as_str(), stored.version),
            ("First", 2),
            "{b}"
        );
        assert!(
            matches!(
                t.store.delete_node(node.id, Some(1)).await,
                Err(StorageError::Stale {
                    current: Some(2),
                    ..
                })
            ),
            "{b}: a delete at a stale version is refused"
        );
        t.store.delete_node(node.id, Some(2)).await.unwrap();
        assert!(
            matches!(
                t.store
                    .update_node(node.id, 2, &node_draft(p.id, "Late"), 0, 0)
                    .await,
                Err(StorageError::NotFound { entity: "node", .. })
            ),
            "{b}: a record that is gone is not found, not stale"
        );
    }
}

#[tokio::test]
async fn status_override_versions_never_repeat() {
    for t in testing::all().await {
        let b = t.backend;
        let p = plan(&t.store).await;
        let node = t
            .store
            .create_node(&node_draft(p.id, "Start"), 0)
            .await
            .unwrap();
        let today = time::macros::date!(2026 - 01 - 15);
        let draft = |reason: &str| StatusOverrideDraft {
            status: ProgressStatus::OnTrack,
            reason: LongText::parse(reason).unwrap(),
            set_by: None,
        };
        let set = |expected: Option<i64>, reason: &'static str| {
            let d = draft(reason);
            let store = t.store.clone();
            async move { store.set_override(p.id, node.id, expected, &d, today).await }
        };
        assert_eq!(set(None, "First").await.unwrap(), 1, "{b}");
        assert!(
            matches!(
                set(None, "Blind").await,
                Err(StorageError::VersionRequired { current: 1, .. })
            ),
            "{b}: replacing an override must name its version"
        );
        assert_eq!(set(Some(1), "Second").await.unwrap(), 2, "{b}");
        assert!(
            t.store
                .clear_override(p.id, node.id, Some(2), today)
                .await
                .unwrap()
        );
        assert!(
            matches!(
                set(Some(2), "Stale").await,
                Err(StorageError::Stale { current: None, .. })
            ),
            "{b}: the override it would replace was cleared"
        );
        assert_eq!(
            set(None, "Third").await.unwrap(),
            3,
            "{b}: a new override continues the count, so version 1 and 2 mean nothing now"
        );
        let current = t.store.status_override(node.id).await.unwrap().unwrap();
        assert_eq!(
            (current.value.reason.as_str(), current.version),
            ("Third", 3)
        );
        assert!(matches!(
            t.store.clear_override(p.id, node.id, Some(2), today).await,
            Err(StorageError::Stale {
                current: Some(3),
                ..
            })
        ));
    }
}

#[tokio::test]
async fn an_import_that_changes_a_person_raises_their_version() {
    for t in testing::all().await {
        let b = t.backend;
        let doc = |key: &str, email: Option<&str>| -> PlanDocument {
            serde_json::from_value(serde_json::json!({
                "organization": {"name": "Newtown"},
                "key": key,
                "title": "Newtown IT",
                "period": {"start_year": 2025, "end_year": 2027},
                "people": [{"name": "Ana", "email": email}],
                "nodes": [{"code": "1", "title": "Goal", "owner": "Ana"}]
            }))
            .unwrap()
        };
        let first = doc("one", None);
        t.store
            .import_document(&first, &first.validate().unwrap())
            .await
            .unwrap();
        let ana = t.store.list_people(None).await.unwrap()[0].id;
        let same = doc("two", None);
        t.store
            .import_document(&same, &same.validate().unwrap())
            .await
            .unwrap();
        let version = |id| {
            let store = t.store.clone();
            async move { store.versioned::<Person>(id).await.unwrap().version }
        };
        assert_eq!(
            version(ana).await,
            1,
            "{b}: nothing changed, no new version"
        );
        let with_email = doc("three", Some("ana@newtown.example"));
        t.store
            .import_document(&with_email, &with_email.validate().unwrap())
            .await
            .unwrap();
        assert_eq!(
            version(ana).await,
            2,
            "{b}: the import gave Ana an e-mail address"
        );
    }
}
