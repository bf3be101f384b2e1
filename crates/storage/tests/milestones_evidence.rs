//! Milestones and evidence in storage, on every backend: SQLite always,
//! PostgreSQL when `LODESTAR_TEST_DATABASE_URL` is set.

use lodestar_domain::*;
use lodestar_storage::{StorageError, Store, testing};

fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

fn day(s: &str) -> CalendarDate {
    s.parse().unwrap()
}

/// A plan with one goal and one objective beneath it.
async fn two_nodes(store: &Store) -> (Node, Node) {
    let org = store
        .create_organization(&OrganizationDraft {
            name: name("City of Testville"),
            parent_id: None,
        })
        .await
        .unwrap();
    let plan = store
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
        .unwrap();
    let draft = |parent: Option<NodeId>, code: &str| NodeDraft {
        plan_id: plan.id,
        parent_id: parent,
        code: Some(Code::parse(code).unwrap()),
        title: name(&format!("Node {code}")),
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
    };
    let goal = store.create_node(&draft(None, "1"), 0).await.unwrap();
    let objective = store
        .create_node(&draft(Some(goal.id), "1.1"), 1)
        .await
        .unwrap();
    (goal, objective)
}

fn milestone(title: &str, due: Option<&str>, position: Option<i32>) -> MilestoneDraft {
    MilestoneDraft {
        title: name(title),
        due_date: due.map(day),
        done_date: None,
        position,
    }
}

fn evidence(title: &str, on: &str) -> EvidenceDraft {
    EvidenceDraft {
        title: name(title),
        date: day(on),
        before: None,
        after: None,
        narrative: None,
        source: None,
    }
}

fn assert_node_not_found<T: std::fmt::Debug>(result: Result<T, StorageError>, node: NodeId) {
    match result {
        Err(StorageError::NotFound { entity, id }) => {
            assert_eq!((entity, id), ("node", node.to_string()));
        }
        other => panic!("expected node {node} not found, got {other:?}"),
    }
}

#[tokio::test]
async fn milestones_round_trip_and_append_after_the_last() {
    for t in testing::all().await {
        let (goal, _) = two_nodes(&t.store).await;
        assert!(t.store.milestones(goal.id).await.unwrap().is_empty());
        let first = t
            .store
            .create_milestone(
                goal.id,
                &milestone("Vendor chosen", Some("2025-03-31"), None),
            )
            .await
            .unwrap();
        let second = t
            .store
            .create_milestone(goal.id, &milestone("Contract signed", None, None))
            .await
            .unwrap();
        assert_eq!((first.position, second.position), (0, 1), "{}", t.backend);
        assert_eq!(first.node_id, goal.id);
        assert_eq!(first.due_date, Some(day("2025-03-31")));
        assert_eq!(t.store.milestone(first.id).await.unwrap(), first);
        assert_eq!(
            t.store.milestones(goal.id).await.unwrap(),
            vec![first.clone(), second.clone()],
            "{}",
            t.backend
        );

        let mut done = milestone("Vendor chosen at last", Some("2025-03-31"), None);
        done.done_date = Some(day("2025-03-02"));
        let updated = t.store.update_milestone(first.id, 1, &done).await.unwrap();
        assert_eq!(updated.version, 2);
        let updated = updated.value;
        assert_eq!(updated.position, 0, "an omitted position keeps its place");
        assert_eq!(updated.node_id, goal.id);
        assert_eq!(updated.done_date, Some(day("2025-03-02")));
        assert_eq!(t.store.milestone(first.id).await.unwrap(), updated);

        done.position = Some(5);
        let moved = t
            .store
            .update_milestone(first.id, 2, &done)
            .await
            .unwrap()
            .value;
        assert_eq!(moved.position, 5);
        let order: Vec<_> = t
            .store
            .milestones(goal.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(order, vec![second.id, first.id], "{}", t.backend);
        let third = t
            .store
            .create_milestone(goal.id, &milestone("Live", None, None))
            .await
            .unwrap();
        assert_eq!(third.position, 6, "after the last, wherever it is");

        t.store.delete_milestone(second.id, None).await.unwrap();
        assert!(matches!(
            t.store.milestone(second.id).await,
            Err(StorageError::NotFound {
                entity: "milestone",
                ..
            })
        ));
        assert!(matches!(
            t.store.delete_milestone(second.id, Some(1)).await,
            Err(StorageError::NotFound {
                entity: "milestone",
                ..
            })
        ));
        assert!(matches!(
            t.store.update_milestone(second.id, 1, &done).await,
            Err(StorageError::NotFound {
                entity: "milestone",
                ..
            })
        ));
        assert_eq!(t.store.milestones(goal.id).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn milestones_order_by_position_then_id() {
    for t in testing::all().await {
        let (goal, objective) = two_nodes(&t.store).await;
        let a = t
            .store
            .create_milestone(goal.id, &milestone("A", None, Some(2)))
            .await
            .unwrap();
        let b = t
            .store
            .create_milestone(goal.id, &milestone("B", None, Some(0)))
            .await
            .unwrap();
        let c = t
            .store
            .create_milestone(goal.id, &milestone("C", None, Some(2)))
            .await
            .unwrap();
        let d = t
            .store
            .create_milestone(goal.id, &milestone("D", None, None))
            .await
            .unwrap();
        assert_eq!(d.position, 3);
        t.store
            .create_milestone(objective.id, &milestone("Elsewhere", None, None))
            .await
            .unwrap();
        let order: Vec<_> = t
            .store
            .milestones(goal.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
        assert_eq!(order, vec![b.id, a.id, c.id, d.id], "{}", t.backend);
        let other = t.store.milestones(objective.id).await.unwrap();
        assert_eq!(other.len(), 1);
        assert_eq!(other[0].position, 0, "positions count per node");
    }
}

#[tokio::test]
async fn evidence_round_trips_latest_first() {
    for t in testing::all().await {
        let (goal, objective) = two_nodes(&t.store).await;
        assert!(t.store.evidence_for(goal.id).await.unwrap().is_empty());
        let full = EvidenceDraft {
            title: name("Permits issued in a day"),
            date: day("2025-05-20"),
            before: Some(name("20–30 minutes per request")),
            after: Some(name("under a minute")),
            narrative: LongText::parse("Line one.\nLine two, with \"quotes\".").ok(),
            source: Some(name("Permit system logs")),
        };
        let first = t.store.create_evidence(goal.id, &full).await.unwrap();
        assert_eq!(first.node_id, goal.id);
        assert_eq!(first.before, full.before);
        assert_eq!(
            t.store.evidence(first.id).await.unwrap(),
            first,
            "{}",
            t.backend
        );
        let older = t
            .store
            .create_evidence(goal.id, &evidence("Older", "2024-11-02"))
            .await
            .unwrap();
        let newer = t
            .store
            .create_evidence(goal.id, &evidence("Newer", "2025-06-01"))
            .await
            .unwrap();
        let same_day = t
            .store
            .create_evidence(goal.id, &evidence("Same day", "2025-05-20"))
            .await
            .unwrap();
        t.store
            .create_evidence(objective.id, &evidence("Elsewhere", "2025-07-01"))
            .await
            .unwrap();
        let order: Vec<_> = t
            .store
            .evidence_for(goal.id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(
            order,
            vec![newer.id, first.id, same_day.id, older.id],
            "{}",
            t.backend
        );

        let replaced = t
            .store
            .update_evidence(first.id, 1, &evidence("Permits in a day", "2025-05-21"))
            .await
            .unwrap()
            .value;
        assert_eq!(replaced.node_id, goal.id);
        assert_eq!(
            (replaced.before, replaced.narrative),
            (None, None),
            "fields are replaced, not merged"
        );
        assert_eq!(
            t.store.evidence(first.id).await.unwrap().date,
            day("2025-05-21")
        );

        t.store.delete_evidence(older.id, None).await.unwrap();
        for result in [
            t.store.evidence(older.id).await.map(|_| ()),
            t.store.delete_evidence(older.id, None).await,
            t.store
                .update_evidence(older.id, 1, &evidence("Gone", "2025-01-01"))
                .await
                .map(|_| ()),
        ] {
            assert!(
                matches!(
                    result,
                    Err(StorageError::NotFound {
                        entity: "evidence",
                        ..
                    })
                ),
                "{}: {result:?}",
                t.backend
            );
        }
        assert_eq!(t.store.evidence_for(goal.id).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn an_unknown_node_is_not_found_by_name() {
    for t in testing::all().await {
        let nowhere = NodeId(987_654);
        assert_node_not_found(t.store.milestones(nowhere).await, nowhere);
        assert_node_not_found(
            t.store
                .create_milestone(nowhere, &milestone("M", None, None))
                .await,
            nowhere,
        );
        assert_node_not_found(t.store.evidence_for(nowhere).await, nowhere);
        assert_node_not_found(
            t.store
                .create_evidence(nowhere, &evidence("E", "2025-01-01"))
                .await,
            nowhere,
        );
        let err = t.store.milestones(nowhere).await.unwrap_err();
        assert_eq!(err.to_string(), "node 987654 not found", "{}", t.backend);
    }
}

#[tokio::test]
async fn deleting_a_node_removes_its_milestones_and_evidence_and_its_subtrees() {
    for t in testing::all().await {
        let (goal, objective) = two_nodes(&t.store).await;
        let own = t
            .store
            .create_milestone(goal.id, &milestone("Goal's", None, None))
            .await
            .unwrap();
        let child = t
            .store
            .create_milestone(objective.id, &milestone("Objective's", None, None))
            .await
            .unwrap();
        let story = t
            .store
            .create_evidence(objective.id, &evidence("Story", "2025-01-01"))
            .await
            .unwrap();
        t.store.delete_node(goal.id, None).await.unwrap();
        for m in [own.id, child.id] {
            assert!(
                matches!(
                    t.store.milestone(m).await,
                    Err(StorageError::NotFound { .. })
                ),
                "{}: milestone {m} outlived its node",
                t.backend
            );
        }
        assert!(matches!(
            t.store.evidence(story.id).await,
            Err(StorageError::NotFound { .. })
        ));
        assert_node_not_found(t.store.milestones(objective.id).await, objective.id);
    }
}
