//! `demo-data` at small scale, on every backend: the counts are the table's,
//! the same seed gives the same portfolio and another seed another one, the
//! statuses the bulk writer computes are those the ordinary writes give, the
//! audit log holds every row as the ordinary writes log theirs, and the
//! application works on the result (plan statuses, the ranked portfolio).

use lodestar_domain::portfolio::{
    BudgetLimit, CostKind, CostLine, Money, ProposalDraft, Recurrence, RiskLevel,
};
use lodestar_domain::{CheckIn, Key, Name, NodeId, PlanId, ProposalId};
use lodestar_services::App;
use lodestar_services::demo_data::{DemoOptions, DemoProgress, Scale, generate_plan};
use lodestar_storage::testing::{self, TestStore};
use lodestar_storage::{
    Actor, AuditEntry, AuditFilter, Author, CheckInRecord, NewScore, NewTransition,
    ObservationInput, acting_as,
};
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
    portfolio_digest(app, &mut text).await;
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

/// Every organization's proposals (ties and initiatives by node code), their
/// scores and transitions, its capacity and budgets, into `text`.
async fn portfolio_digest(app: &App, text: &mut String) {
    let mut codes: HashMap<NodeId, String> = HashMap::new();
    for plan in app.store().list_plans().await.unwrap() {
        for n in app.store().plan_nodes(plan.id).await.unwrap() {
            codes.insert(n.id, format!("{} {:?}", plan.key.as_str(), n.code));
        }
    }
    for org in app.store().list_organizations().await.unwrap() {
        writeln!(text, "organization {}", org.name.as_str()).unwrap();
        let mut titles: HashMap<ProposalId, String> = HashMap::new();
        for p in app.store().list_proposals(Some(org.id)).await.unwrap() {
            let (p, d) = (&p.value, &p.value.draft);
            let ties: Vec<&String> = d.objectives.iter().map(|n| &codes[n]).collect();
            writeln!(
                text,
                "{} {} {} {:?} {:?} {:?} {:?} {:?} {ties:?} {:?} {:?} {} {:?} {:?}",
                d.title.as_str(),
                p.stage,
                d.risk,
                d.problem,
                d.target_start,
                d.target_end,
                d.costs,
                d.effort,
                p.node_id.map(|n| &codes[&n]),
                p.exception
                    .as_ref()
                    .map(|e| (&e.reason, &e.approver_name, e.granted_at)),
                p.created_by_name,
                p.created_at,
                p.submitted_at,
            )
            .unwrap();
            for t in app.store().proposal_transitions(p.id).await.unwrap() {
                writeln!(
                    text,
                    "  {} {} {} {} {:?} {} {} {:?}",
                    t.from, t.to, t.gate, t.reason, t.checklist, t.actor_name, t.at, t.note
                )
                .unwrap();
            }
            titles.insert(p.id, d.title.as_str().to_owned());
        }
        for (p, s) in app
            .store()
            .proposal_scores(None, Some(org.id))
            .await
            .unwrap()
        {
            writeln!(
                text,
                "{} {} {} {} {:?} {}",
                titles[&p], s.reviewer_name, s.criterion, s.score, s.comment, s.updated_at
            )
            .unwrap();
        }
        writeln!(text, "{:?}", app.store().capacity(org.id).await.unwrap()).unwrap();
        writeln!(text, "{:?}", app.store().budgets(org.id).await.unwrap()).unwrap();
    }
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
        assert_eq!(
            app.store().list_proposals(None).await.unwrap().len(),
            want.proposals,
            "{b}"
        );
    }
}

#[tokio::test]
async fn every_organization_has_a_ranked_portfolio_with_scores_and_limits() {
    for t in testing::all().await {
        let app = write(&t, 1).await;
        let b = t.backend;
        let mut all = 0;
        for org in app.store().list_organizations().await.unwrap() {
            let proposals = app.store().list_proposals(Some(org.id)).await.unwrap();
            let portfolio = app.portfolio(org.id).await.unwrap();
            assert_eq!(
                portfolio.committed.len() + portfolio.ranked.len() + portfolio.others.len(),
                proposals.len(),
                "{b}"
            );
            assert!(!portfolio.ranked.is_empty(), "{b}: {}", org.name.as_str());
            assert!(
                portfolio.ranked.iter().any(|r| r.summary.score.is_some()
                    && r.summary.criteria_scored == r.summary.criteria_total),
                "{b}: a fully scored proposal in {}",
                org.name.as_str()
            );
            let ranks: Vec<usize> = portfolio.ranked.iter().map(|r| r.entry.rank).collect();
            assert_eq!(ranks, (1..=ranks.len()).collect::<Vec<_>>(), "{b}");
            assert!(
                !app.store().capacity(org.id).await.unwrap().is_empty(),
                "{b}"
            );
            assert!(
                !app.store().budgets(org.id).await.unwrap().is_empty(),
                "{b}"
            );
            for p in &proposals {
                let p = &p.value;
                assert!(
                    !p.draft.objectives.is_empty() || p.exception.is_some(),
                    "{b}: {} has a tie or an exception",
                    p.draft.title.as_str()
                );
                assert!(
                    p.draft.sponsor_id.is_some() && !p.draft.costs.is_empty(),
                    "{b}"
                );
                assert_eq!(p.is_draft(), p.submitted_at.is_none(), "{b}");
            }
            all += proposals.len();
        }
        assert_eq!(all, Scale::Small.counts().proposals, "{b}");
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

/// The tables of the portfolio (issue 8), compared on their own: their
/// ordinary writes insert and then update where the bulk writer inserts
/// each row as it ends up.
const PORTFOLIO_TABLES: &[&str] = &[
    "proposals",
    "proposal_objectives",
    "proposal_scores",
    "proposal_transitions",
    "staff_capacity",
    "budgets",
];

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
        if PORTFOLIO_TABLES.contains(&e.entity.as_str()) {
            continue;
        }
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

/// Writes one of each portfolio row for `plan` through the ordinary store
/// writes: a proposal tied to an objective, submitted, scored, and its
/// organization's capacity and budget for a period.
async fn write_portfolio_slowly(app: &App, plan: PlanId) {
    use lodestar_domain::portfolio::{StaffRole, YearMonth};
    use lodestar_domain::{Email, LongText, Role};
    let store = app.store();
    let org = store.get_plan(plan).await.unwrap().organization_id;
    let objective = store
        .plan_nodes(plan)
        .await
        .unwrap()
        .into_iter()
        .find(|n| n.level == 1)
        .unwrap()
        .id;
    let reviewer = store
        .create_user(&lodestar_storage::NewUser {
            email: &Email::parse("rita.reviewer@example.gov").unwrap(),
            name: &Name::parse("Rita Reviewer").unwrap(),
            role: Role::Reviewer,
            person_id: None,
            password_hash: "not a real hash",
        })
        .await
        .unwrap();
    let author = Author {
        user_id: Some(reviewer.id),
        name: reviewer.name.as_str(),
        at: time::OffsetDateTime::now_utc(),
    };
    let draft = ProposalDraft {
        organization_id: org,
        plan_id: Some(plan),
        title: Name::parse("Replace the permitting system").unwrap(),
        department_id: None,
        sponsor_id: None,
        problem: None,
        benefits: None,
        risk: RiskLevel::Medium,
        target_start: None,
        target_end: None,
        links: vec![],
        costs: vec![CostLine {
            fiscal_year: 2027,
            kind: CostKind::Capital,
            recurrence: Recurrence::OneTime,
            amount: Money::dollars(1_000),
        }],
        effort: vec![],
        objectives: vec![objective],
    };
    let proposal = store.create_proposal(&draft, author).await.unwrap();
    let (draft_stage, submitted) = (
        Key::parse("draft").unwrap(),
        Key::parse("submitted").unwrap(),
    );
    store
        .record_transition(&NewTransition {
            proposal: proposal.value.id,
            expected: proposal.version,
            from: &draft_stage,
            to: &submitted,
            gate: "Submit",
            reason: &LongText::parse("submitted for review").unwrap(),
            checklist: &[],
            actor: author,
            note: None,
            initiative: None,
        })
        .await
        .unwrap();
    store
        .put_scores(&[NewScore {
            proposal: proposal.value.id,
            reviewer_id: reviewer.id,
            reviewer_name: reviewer.name.as_str(),
            criterion: &Key::parse("value").unwrap(),
            score: 4,
            comment: None,
            at: author.at,
        }])
        .await
        .unwrap();
    let month = YearMonth::new(2026, 7).unwrap();
    store
        .set_capacity(org, &StaffRole::parse("developer").unwrap(), month, 160)
        .await
        .unwrap();
    let limit = BudgetLimit {
        capital: Money::dollars(1_000),
        operating: Money::dollars(500),
    };
    store.set_budget(org, 2027, limit).await.unwrap();
}

/// Per portfolio table: the fields its insert entries carry and the actors
/// named. Checks on the way that each entry names its row, and the plan and
/// node the row leads to, as the trigger does: a proposal its own plan and
/// initiative, a tie its objective and that objective's plan, the others none.
async fn portfolio_audit(app: &App) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    let mut plan_of: HashMap<i64, PlanId> = HashMap::new();
    for plan in app.store().list_plans().await.unwrap() {
        for n in app.store().plan_nodes(plan.id).await.unwrap() {
            plan_of.insert(n.id.0, plan.id);
        }
    }
    let mut out: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for table in PORTFOLIO_TABLES {
        let filter = AuditFilter {
            entity: Some((*table).to_owned()),
            ..AuditFilter::default()
        };
        let entries: Vec<AuditEntry> = app.store().audit_rows(&filter, 0, 100_000).await.unwrap();
        for e in entries.iter().filter(|e| e.action.as_str() == "insert") {
            let after = e.after.as_ref().unwrap();
            let field = |f: &str| after.get(f).and_then(serde_json::Value::as_i64);
            assert_eq!(e.entity_id, field("id"), "{table}: {after}");
            let (plan, node) = match *table {
                "proposals" => (field("plan_id").map(PlanId), field("node_id")),
                "proposal_objectives" => (field("node_id").map(|n| plan_of[&n]), field("node_id")),
                _ => (None, None),
            };
            assert_eq!(
                (e.plan_id, e.node_id.map(|n| n.0)),
                (plan, node),
                "{table}: {after}"
            );
            let slot = out.entry((*table).to_owned()).or_default();
            let mut keys: Vec<String> = after.as_object().unwrap().keys().cloned().collect();
            keys.sort();
            slot.0 = keys;
            if !slot.1.contains(&e.actor) {
                slot.1.push(e.actor.clone());
            }
        }
    }
    out
}

#[tokio::test]
async fn the_audit_log_holds_every_generated_portfolio_row_as_ordinary_writes_log_theirs() {
    let actor = || Actor {
        user_id: None,
        name: "cli:tests".into(),
    };
    for (bulk_store, slow_store) in [(testing::sqlite().await, testing::sqlite().await)]
        .into_iter()
        .chain(testing::postgres().await.zip(testing::postgres().await))
    {
        let b = bulk_store.backend;
        let bulk = App::new(bulk_store.store.clone()).on_day(AS_OF);
        acting_as(
            actor(),
            bulk.write_demo_data(options(3), "demo password for tests", &mut Quiet),
        )
        .await
        .unwrap();
        let slow = App::new(slow_store.store.clone()).on_day(AS_OF);
        let slow_plan = acting_as(actor(), write_slowly(&slow)).await;
        acting_as(actor(), write_portfolio_slowly(&slow, slow_plan)).await;
        let shape = portfolio_audit(&bulk).await;
        assert_eq!(
            shape.keys().map(String::as_str).collect::<Vec<_>>(),
            {
                let mut all = PORTFOLIO_TABLES.to_vec();
                all.sort_unstable();
                all
            },
            "{b}"
        );
        assert_eq!(shape, portfolio_audit(&slow).await, "{b}");

        let count = |entity: &str| {
            let bulk = bulk.clone();
            let filter = AuditFilter {
                entity: Some(entity.to_owned()),
                ..AuditFilter::default()
            };
            async move {
                bulk.store()
                    .audit_rows(&filter, 0, 100_000)
                    .await
                    .unwrap()
                    .len()
            }
        };
        let proposals = bulk.store().list_proposals(None).await.unwrap();
        let scores = bulk.store().proposal_scores(None, None).await.unwrap();
        let mut transitions = 0;
        for p in &proposals {
            transitions += bulk
                .store()
                .proposal_transitions(p.value.id)
                .await
                .unwrap()
                .len();
        }
        let ties: usize = proposals
            .iter()
            .map(|p| p.value.draft.objectives.len())
            .sum();
        let (mut capacity, mut budgets) = (0, 0);
        for org in bulk.store().list_organizations().await.unwrap() {
            capacity += bulk.store().capacity(org.id).await.unwrap().len();
            budgets += bulk.store().budgets(org.id).await.unwrap().len();
        }
        assert_eq!(count("proposals").await, proposals.len(), "{b}");
        assert_eq!(count("proposal_objectives").await, ties, "{b}");
        assert_eq!(count("proposal_scores").await, scores.len(), "{b}");
        assert_eq!(count("proposal_transitions").await, transitions, "{b}");
        assert_eq!(count("staff_capacity").await, capacity, "{b}");
        assert_eq!(count("budgets").await, budgets, "{b}");
    }
}
