//! Publication on every backend: a plan is private until published, a
//! withheld node hides its subtree and measures, and `public_plan` answers an
//! unpublished plan exactly as an unknown one.

use lodestar_domain::{Code, NodeId};
use lodestar_services::{App, ServiceError};
use lodestar_storage::testing;
use time::macros::date;

const KEY: &str = "harbor-falls-it-2025";

async fn node(app: &App, plan: lodestar_domain::PlanId, code: &str) -> NodeId {
    app.store()
        .find_node_by_code(plan, &Code::parse(code).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

fn not_found(err: ServiceError) -> String {
    match err {
        ServiceError::NotFound { .. } => err.to_string(),
        other => panic!("expected not found, got {other:?}"),
    }
}

#[tokio::test]
async fn public_plan_holds_published_nodes_only_and_hides_unpublished_plans() {
    for store in testing::all().await {
        let app = App::new(store.store.clone()).on_day(date!(2026 - 11 - 16));
        app.load_sample_if_empty().await.unwrap().unwrap();
        let plan = app.resolve_plan(KEY).await.unwrap();
        let b = store.backend;

        let unpublished = not_found(app.public_plan(KEY).await.unwrap_err());
        let unknown = not_found(app.public_plan("no-such-plan").await.unwrap_err());
        assert_eq!(
            unpublished.replace(KEY, "X"),
            unknown.replace("no-such-plan", "X"),
            "{b}"
        );
        assert!(app.public_plans().await.unwrap().is_empty(), "{b}");

        let day = app.publish_plan(plan.id).await.unwrap();
        assert_eq!(
            app.publish_plan(plan.id).await.unwrap(),
            day,
            "{b}: publishing again keeps the date"
        );
        let all = app.public_plan(KEY).await.unwrap();
        let status = app.plan_status(plan.id).await.unwrap();
        assert_eq!(
            all.nodes.len(),
            status.nodes.len(),
            "{b}: every node is public by default"
        );
        assert_eq!(all.measures.len(), status.measures.len(), "{b}");
        assert_eq!(app.public_plans().await.unwrap().len(), 1, "{b}");

        let objective = node(&app, plan.id, "1.1").await;
        assert!(app.withhold_node(objective).await.unwrap(), "{b}");
        assert!(
            !app.withhold_node(objective).await.unwrap(),
            "{b}: already withheld"
        );
        let some = app.public_plan(KEY).await.unwrap();
        assert!(some.node(objective).is_none(), "{b}");
        assert!(
            some.node(node(&app, plan.id, "1.1.1").await).is_none(),
            "{b}: the subtree goes too"
        );
        assert!(
            some.node(node(&app, plan.id, "1").await).is_some(),
            "{b}: the parent stays"
        );
        assert!(
            some.measures.iter().all(|m| some.node(m.node_id).is_some()),
            "{b}"
        );
        assert!(some.nodes.len() < all.nodes.len(), "{b}");
        let mut seen = std::collections::HashSet::new();
        for n in &some.nodes {
            assert!(
                n.parent_id.is_none_or(|p| seen.contains(&p)),
                "{b}: parents come first"
            );
            seen.insert(n.id);
        }

        assert!(app.unpublish_plan(plan.id).await.unwrap(), "{b}");
        assert!(!app.unpublish_plan(plan.id).await.unwrap(), "{b}");
        not_found(app.public_plan(KEY).await.unwrap_err());
        let (published, withheld) = app.publication(plan.id).await.unwrap();
        assert_eq!(
            (published, withheld),
            (None, vec![objective]),
            "{b}: withheld stays for next time"
        );
        assert!(app.release_node(objective).await.unwrap(), "{b}");
        not_found(app.withhold_node(NodeId(999_999)).await.unwrap_err());
    }
}
