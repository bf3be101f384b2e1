//! The fixture the portfolio tests share: a town with an active plan and a
//! draft one, four accounts (one per role), and helpers to write proposals.

use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_services::portfolio::GateOutcome;
use lodestar_services::{App, ServiceError};
use lodestar_storage::{NewUser, testing};

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective, Initiative]
people:
  - { name: Sam Sponsor }
nodes:
  - code: "1"
    title: Reliable services
    children:
      - { code: "1.1", title: Keep the portal up }
      - { code: "1.2", title: Retire old systems }
  - code: "2"
    title: Digital residents
    children:
      - { code: "2.1", title: Online permits }
"#;

const DRAFT_PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-next
title: Testwick Next Plan
period: { start_year: 2029, end_year: 2032 }
status: draft
levels: [Goal, Objective, Initiative]
nodes:
  - code: "1"
    title: Someday
    children:
      - { code: "1.1", title: Not yet active }
"#;

pub struct Fixture {
    pub app: App,
    pub org: OrganizationId,
    pub plan: PlanId,
    pub draft_plan: PlanId,
    pub admin: User,
    pub editor: User,
    pub reviewer: User,
    pub viewer: User,
    pub backend: &'static str,
    _store: testing::TestStore,
}

async fn user(app: &App, email: &str, name: &str, role: Role) -> User {
    app.store()
        .create_user(&NewUser {
            email: &Email::parse(email).unwrap(),
            name: &Name::parse(name).unwrap(),
            role,
            person_id: None,
            password_hash: "not-a-real-hash",
        })
        .await
        .unwrap()
}

pub async fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for t in testing::all().await {
        let app = App::new(t.store.clone());
        let plan = app.import_plan_code("plan.yaml", PLAN).await.unwrap();
        let draft_plan = app
            .import_plan_code("next.yaml", DRAFT_PLAN)
            .await
            .unwrap()
            .id;
        out.push(Fixture {
            admin: user(&app, "ada@testwick.gov", "Ada Admin", Role::Administrator).await,
            editor: user(&app, "eve@testwick.gov", "Eve Editor", Role::PlanEditor).await,
            reviewer: user(&app, "rex@testwick.gov", "Rex Reviewer", Role::Reviewer).await,
            viewer: user(&app, "val@testwick.gov", "Val Viewer", Role::Viewer).await,
            org: plan.organization_id,
            plan: plan.id,
            draft_plan,
            app,
            backend: t.backend,
            _store: t,
        });
    }
    out
}

pub fn money(dollars: i64) -> Money {
    Money::dollars(dollars)
}

pub fn cost(year: i32, kind: CostKind, dollars: i64) -> CostLine {
    CostLine {
        fiscal_year: year,
        kind,
        recurrence: Recurrence::OneTime,
        amount: money(dollars),
    }
}

pub fn effort(role: &str, month: &str, hours: u32) -> EffortLine {
    EffortLine {
        role: StaffRole::parse(role).unwrap(),
        month: month.parse().unwrap(),
        hours,
    }
}

pub fn month(m: &str) -> YearMonth {
    m.parse().unwrap()
}

pub fn invalid(err: ServiceError) -> ValidationError {
    match err {
        ServiceError::Invalid(e) => e,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

impl Fixture {
    pub async fn node(&self, plan: PlanId, code: &str) -> NodeId {
        self.app
            .store()
            .find_node_by_code(plan, &Code::parse(code).unwrap())
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub fn draft(&self, title: &str) -> ProposalDraft {
        ProposalDraft {
            organization_id: self.org,
            plan_id: Some(self.plan),
            title: Name::parse(title).unwrap(),
            department_id: None,
            sponsor_id: None,
            problem: None,
            benefits: None,
            risk: RiskLevel::Medium,
            target_start: None,
            target_end: None,
            links: vec![],
            costs: vec![],
            effort: vec![],
            objectives: vec![],
        }
    }

    pub async fn tied(
        &self,
        title: &str,
        costs: Vec<CostLine>,
        work: Vec<EffortLine>,
    ) -> ProposalId {
        let mut d = self.draft(title);
        d.objectives = vec![self.node(self.plan, "1.1").await];
        d.costs = costs;
        d.effort = work;
        let p = self.app.create_proposal(&self.viewer, &d).await.unwrap();
        self.app
            .submit_proposal(&self.viewer, p.value.id, p.version, None)
            .await
            .unwrap();
        p.value.id
    }

    pub async fn version(&self, id: ProposalId) -> i64 {
        self.app.proposal(id).await.unwrap().version
    }

    pub async fn pass(
        &self,
        who: &User,
        id: ProposalId,
        to: &str,
        checklist: &[String],
    ) -> Result<GateOutcome, ServiceError> {
        let v = self.version(id).await;
        self.app
            .pass_gate(who, id, v, to, "as discussed at the board", checklist)
            .await
    }

    pub fn checklist(&self, gate: usize) -> Vec<String> {
        GovernanceConfig::default().gates[gate].checklist.clone()
    }

    /// Submitted → reviewed (a reviewer) → approved (an administrator).
    pub async fn approve(&self, id: ProposalId) -> GateOutcome {
        self.pass(&self.reviewer, id, "reviewed", &self.checklist(0))
            .await
            .unwrap();
        self.pass(&self.admin, id, "approved", &self.checklist(1))
            .await
            .unwrap()
    }
}
