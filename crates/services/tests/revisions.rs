//! Plan revisions on every backend: the annual review re-words, moves, adds
//! and retires nodes; history stays with the nodes; the diff says what changed.

use lodestar_domain::document::{NodeEntry, PlanDocument};
use lodestar_domain::revision_diff::Change;
use lodestar_domain::{Code, Name, NodeId};
use lodestar_services::{App, ServiceError};
use lodestar_storage::testing;
use time::macros::date;

fn find<'a>(nodes: &'a mut [NodeEntry], code: &str) -> Option<&'a mut NodeEntry> {
    for n in nodes {
        if n.code.as_ref().is_some_and(|c| c.as_str() == code) {
            return Some(n);
        }
        if let Some(found) = find(&mut n.children, code) {
            return Some(found);
        }
    }
    None
}

fn take(nodes: &mut Vec<NodeEntry>, code: &str) -> Option<NodeEntry> {
    if let Some(i) = nodes
        .iter()
        .position(|n| n.code.as_ref().is_some_and(|c| c.as_str() == code))
    {
        return Some(nodes.remove(i));
    }
    nodes.iter_mut().find_map(|n| take(&mut n.children, code))
}

fn leaves(nodes: &[NodeEntry], out: &mut Vec<String>) {
    for n in nodes {
        if n.children.is_empty() {
            out.extend(n.code.as_ref().map(|c| c.as_str().to_owned()));
        }
        leaves(&n.children, out);
    }
}

/// A leaf of the sample with check-ins and a measure with values, to drop.
async fn leaf_with_history(app: &App, plan: lodestar_domain::PlanId, doc: &PlanDocument) -> NodeId {
    let mut codes = Vec::new();
    leaves(&doc.nodes, &mut codes);
    for code in codes.iter().filter(|c| c.starts_with("2.")) {
        let node = app
            .store()
            .find_node_by_code(plan, &Code::parse(code).unwrap())
            .await
            .unwrap()
            .unwrap();
        let checkins = app.store().checkins(node.id).await.unwrap();
        let measures = app.store().node_measures(node.id).await.unwrap();
        let ids: Vec<_> = measures.iter().map(|m| m.id).collect();
        let observed = app.store().observations_of(&ids).await.unwrap();
        if !checkins.is_empty() && !observed.is_empty() {
            return node.id;
        }
    }
    panic!("the sample has a leaf under goal 2 with check-ins and measure values");
}

#[tokio::test]
async fn a_revision_rewords_moves_adds_and_retires_keeping_history() {
    for t in testing::all().await {
        let app = App::new(t.store.clone()).on_day(date!(2026 - 11 - 16));
        let plan = app.load_sample_if_empty().await.unwrap().unwrap().id;
        let mut doc = app.export_document(plan).await.unwrap();
        let dropped = leaf_with_history(&app, plan, &doc).await;
        let dropped_node = app.store().get_node(dropped).await.unwrap();
        let dropped_code = dropped_node.code.clone().unwrap();
        let checkins_before = app.store().checkins(dropped).await.unwrap().len();
        let measures = app.store().node_measures(dropped).await.unwrap();
        let ids: Vec<_> = measures.iter().map(|m| m.id).collect();
        let observations_before = app.store().observations_of(&ids).await.unwrap().len();

        find(&mut doc.nodes, "1.1").unwrap().title =
            Name::parse("Reliable, modern core systems").unwrap();
        let moved = take(&mut doc.nodes, "1.2.1").unwrap();
        find(&mut doc.nodes, "1.3").unwrap().children.push(moved);
        let mut added = find(&mut doc.nodes, "1.3.1").unwrap().clone();
        added.code = Some(Code::parse("1.3.9").unwrap());
        added.title = Name::parse("Pilot a shared service desk").unwrap();
        added.measures.clear();
        added.children.clear();
        added.supports.clear();
        find(&mut doc.nodes, "1.3").unwrap().children.push(added);
        take(&mut doc.nodes, dropped_code.as_str()).unwrap();

        let revision = app
            .revise_plan(plan, "review-2026.yaml", &doc, Some("annual review 2026"))
            .await
            .unwrap();
        assert_eq!(
            revision.number, 2,
            "{}: revision 1 is the plan as first stored",
            t.backend
        );
        let listed = app.revisions(plan).await.unwrap();
        assert_eq!(
            listed.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(listed[1].note.as_deref(), Some("annual review 2026"));

        // The retired node left the live plan…
        let tree = app.store().plan_tree(plan).await.unwrap();
        assert!(
            tree.walk().iter().all(|n| n.node.id != dropped),
            "{}",
            t.backend
        );
        app.store().ensure_rollups(plan, app.today()).await.unwrap();
        let statuses = app.store().plan_statuses(plan).await.unwrap();
        assert!(statuses.iter().all(|s| s.node_id != dropped));
        let parent = dropped_node.parent_id.unwrap();
        assert!(
            statuses.iter().any(|s| s.node_id == parent),
            "its old parent still rolls up"
        );
        // …but keeps its history, and still answers by id.
        assert_eq!(
            app.store().checkins(dropped).await.unwrap().len(),
            checkins_before
        );
        assert_eq!(
            app.store().observations_of(&ids).await.unwrap().len(),
            observations_before
        );
        assert_eq!(
            app.store().get_node(dropped).await.unwrap().title,
            dropped_node.title
        );
        let retired = app.store().node_retirement(dropped).await.unwrap().unwrap();
        assert_eq!(retired.revision, 2);
        let moved = app
            .store()
            .find_node_by_code(plan, &Code::parse("1.2.1").unwrap())
            .await
            .unwrap()
            .unwrap();
        let new_parent = app
            .store()
            .find_node_by_code(plan, &Code::parse("1.3").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            moved.parent_id,
            Some(new_parent.id),
            "moved in place, same id"
        );

        let d = app.diff_revisions(plan, 1, 2).await.unwrap();
        let summary: Vec<(String, &Change)> = d
            .nodes
            .iter()
            .map(|n| {
                (
                    n.node.code.as_ref().unwrap().as_str().to_owned(),
                    &n.changes[0],
                )
            })
            .collect();
        assert_eq!(d.nodes.len(), 4, "{}: {summary:?}", t.backend);
        assert!(
            matches!(summary[0], (ref c, Change::Retitled { .. }) if c == "1.1"),
            "{summary:?}"
        );
        assert!(
            matches!(summary[1], (ref c, Change::Reparented { .. }) if c == "1.2.1"),
            "{summary:?}"
        );
        assert!(
            matches!(summary[2], (ref c, Change::Added) if c == "1.3.9"),
            "{summary:?}"
        );
        assert!(
            matches!(summary[3], (ref c, Change::Retired) if *c == dropped_code.as_str()),
            "{summary:?}"
        );
        let text = d.to_text();
        assert!(
            text.contains("re-worded:") && text.contains("retired"),
            "{text}"
        );

        assert!(
            app.diff_revisions(plan, 2, 2)
                .await
                .unwrap()
                .nodes
                .is_empty()
        );
        let err = app.diff_revisions(plan, 1, 9).await.unwrap_err();
        assert!(
            matches!(
                err,
                ServiceError::NotFound {
                    entity: "revision",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("revision 9"), "{err}");
    }
}

#[tokio::test]
async fn a_revision_that_fails_changes_nothing() {
    for t in testing::all().await {
        let app = App::new(t.store.clone()).on_day(date!(2026 - 11 - 16));
        let plan = app.load_sample_if_empty().await.unwrap().unwrap().id;
        let original = app.export_document(plan).await.unwrap();

        // Invalid before anything is written: two nodes with one code.
        let mut twice = original.clone();
        let copy = twice.nodes[0].clone();
        twice.nodes.push(copy);
        let err = app
            .revise_plan(plan, "bad.yaml", &twice, None)
            .await
            .unwrap_err();
        assert!(
            matches!(err, ServiceError::InvalidDocument { .. }),
            "{err:?}"
        );

        // Refused half-way through the transaction: a re-worded plan that
        // also drops a measure from a node it keeps.
        let mut dropping = original.clone();
        dropping.title = Name::parse("Re-titled plan").unwrap();
        find(&mut dropping.nodes, "1.1").unwrap().title = Name::parse("Changed").unwrap();
        let removed = dropping.nodes[0].measures.remove(0).key;
        let err = app
            .revise_plan(plan, "drop.yaml", &dropping, None)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains(removed.as_str()),
            "{}: {err}",
            t.backend
        );

        assert_eq!(
            app.export_document(plan).await.unwrap(),
            original,
            "{}",
            t.backend
        );
        assert_eq!(app.revisions(plan).await.unwrap().len(), 1);
        let other = app.store().get_plan(plan).await.unwrap();
        assert_ne!(other.title.as_str(), "Re-titled plan");
    }
}
