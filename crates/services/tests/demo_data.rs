//! `demo-data` at small scale, on every backend: the counts are the table's,
//! the same seed gives the same portfolio and another seed another one, the
//! statuses the bulk writer computes are those the ordinary writes give, and
//! the application works on the result.

use lodestar_domain::{CheckIn, NodeId, PlanId};
use lodestar_services::App;
use lodestar_services::demo_data::{DemoOptions, DemoProgress, Scale, generate_plan};
use lodestar_storage::testing::{self, TestStore};
use lodestar_storage::{Actor, AuditFilter, CheckInRecord, ObservationInput, acting_as};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use time::Date;
use time::macros::date;

const AS_OF: Date = date!(2026 - 06 - 15);

struct Quiet;
impl DemoProgress for Quiet {
    fn advance(&mut self, _: u64) {}
    fn plan(&mut self, _: usize, _: usize) {}
}

fn options(seed: u64) -> DemoOptions {
    DemoOptions {
        scale: Scale::Small,
        seed,
        as_of: AS_OF,
        force: false,
    }
}

async fn write(t: &TestStore, seed: u64) -> App {
    let app = App::new(t.store.clone()).on_day(AS_OF);
    app.write_demo_data(options(seed), "demo password for tests", &mut Quiet)
        .await
        .unwrap_or_else(|e| panic!("{}: demo-data writes: {e}", t.backend));
    app
}

async fn checkins_of(app: &App, plan: PlanId) -> Vec<CheckIn> {
    let mut all = Vec::new();
    for node in app.store().plan_nodes(plan).await.unwrap() {
        all.extend(app.store().checkins(node.id).await.unwrap());
    }
    all
}

/// A digest of everything generated except ids and write times.
async fn digest(app: &App) -> String {
    let mut text = String::new();
    for plan in app.store().list_plans().await.unwrap() {
        writeln!(
            text,
            "{} {} {:?}",
            plan.key.as_str(),
            plan.title.as_str(),
            plan.period
        )
        .unwrap();
        let mut nodes = app.store().plan_nodes(plan.id).await.unwrap();
        nodes.sort_by(|a, b| a.code.cmp(&b.code));
        for n in &nodes {
            writeln!(
                text,
                "{:?} {} {:?} {:?} {:?}",
                n.code,
                n.title.as_str(),
                n.start_date,
                n.due_date,
                n.weight
            )
            .unwrap();
        }
        let measures = app.store().plan_measures(plan.id).await.unwrap();
        for m in &measures {
            writeln!(
                text,
                "{} {} {:?} {:?}",
                m.key.as_str(),
                m.name.as_str(),
                m.baseline,
                m.targets
            )
            .unwrap();
        }
        let ids: Vec<_> = measures.iter().map(|m| m.id).collect();
        for o in app.store().observations_of(&ids).await.unwrap() {
            writeln!(text, "{} {}", o.period, o.value).unwrap();
        }
        for c in checkins_of(app, plan.id).await {
            writeln!(
                text,
                "{} {} {:?} {:?}",
                c.date, c.status, c.percent, c.happened
            )
            .unwrap();
        }
    }
    for u in app.store().list_users().await.unwrap() {
        writeln!(text, "{} {} {}", u.email.as_str(), u.name.as_str(), u.role).unwrap();
    }
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

#[tokio::test]
async fn small_holds_exactly_what_the_table_says() {
    let want = Scale::Small.counts();
    for t in testing::all().await {
        let app = write(&t, 1).await;
        let b = t.backend;
        let plans = app.store().list_plans().await.unwrap();
        assert_eq!(plans.len(), want.plans, "{b}");
        assert_eq!(
            app.store().list_organizations().await.unwrap().len(),
            want.organizations,
            "{b}"
        );
        let (mut levels, mut measures, mut values, mut checkins) = ([0; 3], 0, 0, 0);
        for plan in &plans {
            for n in app.store().plan_nodes(plan.id).await.unwrap() {
                levels[usize::from(n.level)] += 1;
            }
            let ms = app.store().plan_measures(plan.id).await.unwrap();
            measures += ms.len();
            let ids: Vec<_> = ms.iter().map(|m| m.id).collect();
            values += app.store().observations_of(&ids).await.unwrap().len();
            checkins += checkins_of(&app, plan.id).await.len();
        }
        assert_eq!(
            levels,
            [want.goals, want.objectives, want.initiatives],
            "{b}"
        );
        assert_eq!(measures, want.measures, "{b}");
        assert_eq!(values, want.observations, "{b}");
        assert_eq!(checkins, want.checkins, "{b}");
        assert_eq!(
            app.store().list_users().await.unwrap().len(),
            want.users,
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_same_seed_gives_the_same_portfolio_and_another_seed_another() {
    for (a, b, c) in [(
        testing::sqlite().await,
        testing::sqlite().await,
        testing::sqlite().await,
    )] {
        let first = digest(&write(&a, 1).await).await;
        assert_eq!(first, digest(&write(&b, 1).await).await, "seed 1 twice");
        assert_ne!(first, digest(&write(&c, 2).await).await, "seeds 1 and 2");
    }
    if let (Some(pg), Some(lite)) = (testing::postgres().await, Some(testing::sqlite().await)) {
        assert_eq!(
            digest(&write(&pg, 5).await).await,
            digest(&write(&lite, 5).await).await,
            "PostgreSQL and SQLite hold the same portfolio"
        );
    }
}

#[tokio::test]
async fn a_database_with_plans_is_refused_and_left_as_it_was() {
    for t in testing::all().await {
        let app = write(&t, 1).await;
        let before = digest(&app).await;
        let err = app
            .write_demo_data(options(2), "demo password for tests", &mut Quiet)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("--force"), "{}: {err}", t.backend);
        assert_eq!(digest(&app).await, before, "{}", t.backend);
    }
}

/// Writes plan 0 of small/seed 3 through the ordinary one-row-at-a-time
/// services: import, record values, file check-ins.
async fn write_slowly(app: &App) -> PlanId {
    let demo = generate_plan(Scale::Small, 3, 0, AS_OF).unwrap();
    let plan = app
        .import_document("demo.yaml", &demo.document)
        .await
        .unwrap()
        .id;
    let flat = demo.document.validate().unwrap();
    let nodes = app.store().plan_nodes(plan).await.unwrap();
    let node_id = |i: u32| -> NodeId {
        let code = flat[i as usize].entry.code.clone();
        nodes.iter().find(|n| n.code == code).unwrap().id
    };
    let measures = app.store().plan_measures(plan).await.unwrap();
    let keys: Vec<_> = flat
        .iter()
        .flat_map(|f| f.entry.measures.iter().map(|m| m.key.clone()))
        .collect();
    let inputs: Vec<ObservationInput> = demo
        .observations
        .iter()
        .map(|o| ObservationInput {
            measure: measures
                .iter()
                .find(|m| m.key == keys[o.measure as usize])
                .unwrap()
                .id,
            draft: o.draft.clone(),
        })
        .collect();
    app.store()
        .record_observations(plan, &inputs, AS_OF)
        .await
        .unwrap();
    let people = app.store().list_people(None).await.unwrap();
    for c in &demo.checkins {
        let author_name = &demo.document.people[c.author.unwrap() as usize].name;
        let author = people.iter().find(|p| &p.name == author_name).map(|p| p.id);
        let record = CheckInRecord {
            node: node_id(c.node),
            plan,
            author,
            date: c.date,
            percent: c.draft.percent,
            draft: &c.draft,
        };
        app.store().create_checkin(&record, AS_OF).await.unwrap();
    }
    plan
}

#[tokio::test]
async fn bulk_statuses_match_those_of_ordinary_writes() {
    for (bulk_store, slow_store) in [(testing::sqlite().await, testing::sqlite().await)]
        .into_iter()
        .chain(testing::postgres().await.zip(testing::postgres().await))
    {
        let bulk = App::new(bulk_store.store.clone()).on_day(AS_OF);
        let demo = generate_plan(Scale::Small, 3, 0, AS_OF).unwrap();
        let mut opts = options(3);
        opts.scale = Scale::Small;
        bulk.write_demo_data(opts, "demo password for tests", &mut Quiet)
            .await
            .unwrap();
        let bulk_plan = bulk
            .store()
            .find_plan_by_key(&demo.document.key)
            .await
            .unwrap()
            .unwrap()
            .id;
        let slow = App::new(slow_store.store.clone()).on_day(AS_OF);
        let slow_plan = write_slowly(&slow).await;

        let by_code = |app: &App, plan| {
            let app = app.clone();
            async move {
                let report = app.plan_status(plan).await.unwrap();
                let nodes = app.store().plan_nodes(plan).await.unwrap();
                let mut out: HashMap<String, String> = HashMap::new();
                for n in report.nodes {
                    let node = nodes.iter().find(|x| x.id == n.node.id).unwrap();
                    out.insert(
                        format!("{:?}", node.code),
                        format!("{:?} {:?}", n.status.status, n.status.computed),
                    );
                }
                for m in report.measures {
                    out.insert(m.measure.key.as_str().to_owned(), format!("{:?}", m.status));
                }
                out
            }
        };
        assert_eq!(
            by_code(&bulk, bulk_plan).await,
            by_code(&slow, slow_plan).await,
            "{}",
            bulk_store.backend
        );
    }
}

#[tokio::test]
async fn the_generated_plans_report_their_status() {
    for t in testing::all().await {
        let app = write(&t, 1).await;
        for plan in app.store().list_plans().await.unwrap() {
            let report = app.plan_status(plan.id).await.unwrap();
            assert!(!report.nodes.is_empty(), "{}", t.backend);
        }
    }
}

/// Per table: how many rows the plan's audit log holds, with which fields,
/// which of them name a node, and who is named as the actor.
async fn audit_shape(
    app: &App,
    plan: PlanId,
) -> BTreeMap<String, (usize, Vec<String>, usize, Vec<String>)> {
    let filter = AuditFilter {
        plan: Some(plan),
        ..AuditFilter::default()
    };
    let entries = app.store().audit_rows(&filter, 0, 100_000).await.unwrap();
    let mut out: BTreeMap<String, (usize, Vec<String>, usize, Vec<String>)> = BTreeMap::new();
    for e in entries {
        let slot = out
            .entry(format!("{} {}", e.entity, e.action.as_str()))
            .or_default();
        slot.0 += 1;
        let mut keys: Vec<String> = e
            .after
            .as_ref()
            .and_then(|a| a.as_object())
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        slot.1 = keys;
        slot.2 += usize::from(e.node_id.is_some());
        if !slot.3.contains(&e.actor) {
            slot.3.push(e.actor);
        }
    }
    out
}

#[tokio::test]
async fn the_audit_log_holds_every_generated_row_as_ordinary_writes_log_theirs() {
    let actor = || Actor {
        user_id: None,
        name: "cli:tests".into(),
    };
    for (bulk_store, slow_store) in [(testing::sqlite().await, testing::sqlite().await)]
        .into_iter()
        .chain(testing::postgres().await.zip(testing::postgres().await))
    {
        let bulk = App::new(bulk_store.store.clone()).on_day(AS_OF);
        let key = generate_plan(Scale::Small, 3, 0, AS_OF)
            .unwrap()
            .document
            .key;
        acting_as(
            actor(),
            bulk.write_demo_data(options(3), "demo password for tests", &mut Quiet),
        )
        .await
        .unwrap();
        let bulk_plan = bulk
            .store()
            .find_plan_by_key(&key)
            .await
            .unwrap()
            .unwrap()
            .id;
        let slow = App::new(slow_store.store.clone()).on_day(AS_OF);
        let slow_plan = acting_as(actor(), write_slowly(&slow)).await;
        let shape = audit_shape(&bulk, bulk_plan).await;
        assert!(
            shape.contains_key("observations insert"),
            "{}: {shape:?}",
            bulk_store.backend
        );
        assert_eq!(
            shape,
            audit_shape(&slow, slow_plan).await,
            "{}",
            bulk_store.backend
        );
    }
}
