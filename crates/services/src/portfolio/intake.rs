//! Intake: creating and editing draft proposals, exceptions to the tie
//! rule, and submission.

use super::{ExceptionEntry, ProposalDetail, require_role};
use crate::records::{of_organization, referenced};
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::{Author, NewTransition, Versioned};
use time::OffsetDateTime;

/// The gate name recorded for draft → entry.
pub(super) const SUBMIT_GATE: &str = "Submit";

/// The roles that may edit or submit anyone's proposal (its author always may).
const EDITOR_ROLES: &[Role] = &[Role::PlanEditor, Role::Administrator];

impl App {
    /// Checks the references of a proposal draft against what is stored:
    /// the organization exists, the plan, department and sponsor belong to
    /// it, and every objective is an objective-level, live node of an
    /// active plan.
    async fn check_proposal_draft(&self, draft: &ProposalDraft) -> ServiceResult<()> {
        draft.validate()?;
        let org = draft.organization_id;
        referenced(
            self.store().get_organization(org),
            "organization_id",
            "organization",
            org,
        )
        .await?;
        if let Some(plan) = draft.plan_id {
            let p = referenced(self.store().get_plan(plan), "plan_id", "plan", plan).await?;
            of_organization("plan_id", "plan", plan, p.organization_id, org)?;
        }
        if let Some(d) = draft.department_id {
            let dep = referenced(
                self.store().get_department(d),
                "department_id",
                "department",
                d,
            )
            .await?;
            of_organization("department_id", "department", d, dep.organization_id, org)?;
        }
        if let Some(p) = draft.sponsor_id {
            let person = referenced(self.store().get_person(p), "sponsor_id", "person", p).await?;
            of_organization("sponsor_id", "person", p, person.organization_id, org)?;
        }
        for (i, node) in draft.objectives.iter().enumerate() {
            self.check_objective(*node).await.map_err(|e| match e {
                ServiceError::Invalid(v) => {
                    ServiceError::Invalid(v.within(&format!("objectives[{i}]")))
                }
                other => other,
            })?;
        }
        Ok(())
    }

    /// Whether `node` may be tied to: an objective-level node (the level
    /// named "Objective", or else the second level) of an active plan, not
    /// retired. Errors name no field; the caller adds it.
    async fn check_objective(&self, node: NodeId) -> ServiceResult<()> {
        let n = referenced(self.store().get_node(node), "", "node", node).await?;
        let plan = self.store().get_plan(n.plan_id).await?;
        if plan.status != PlanStatus::Active {
            return Err(ValidationError::new(
                "",
                format!(
                    "node {node} belongs to plan {}, which is {}, not active",
                    plan.key, plan.status
                ),
            )
            .into());
        }
        let objective_level = plan.levels.index_of("objective").unwrap_or(1);
        if n.level != objective_level {
            let level = plan
                .levels
                .name(n.level)
                .map_or("?", Name::as_str)
                .to_owned();
            let wanted = plan
                .levels
                .name(objective_level)
                .map_or("Objective", Name::as_str)
                .to_owned();
            return Err(ValidationError::new(
                "",
                format!(
                    "node {node} ({}) is a {level}; tie the proposal to a node of level {wanted}",
                    n.title
                ),
            )
            .into());
        }
        if self.store().node_retirement(node).await?.is_some() {
            return Err(
                ValidationError::new("", format!("node {node} was retired from its plan")).into(),
            );
        }
        Ok(())
    }

    /// Creates a proposal in the `draft` stage, on behalf of `caller` (any
    /// signed-in account). A draft may lack ties; submitting needs one.
    pub async fn create_proposal(
        &self,
        caller: &User,
        draft: &ProposalDraft,
    ) -> ServiceResult<Versioned<Proposal>> {
        self.check_proposal_draft(draft).await?;
        let author = Author {
            user_id: Some(caller.id),
            name: caller.name.as_str(),
            at: OffsetDateTime::now_utc(),
        };
        Ok(self.store().create_proposal(draft, author).await?)
    }

    /// Replaces a draft proposal's fields, if it is still at version
    /// `expected`. Its author, plan editors and administrators may; a
    /// submitted proposal is no longer edited (`Conflict` on `stage`).
    pub async fn update_proposal(
        &self,
        caller: &User,
        id: ProposalId,
        expected: i64,
        draft: &ProposalDraft,
    ) -> ServiceResult<Versioned<Proposal>> {
        let current = self.store().get_proposal(id).await?.value;
        self.may_edit(caller, &current)?;
        self.check_proposal_draft(draft).await?;
        Ok(self.store().update_proposal(id, expected, draft).await?)
    }

    fn may_edit(&self, caller: &User, proposal: &Proposal) -> ServiceResult<()> {
        if proposal.created_by == Some(caller.id) {
            return Ok(());
        }
        require_role(
            caller,
            EDITOR_ROLES,
            "change a proposal someone else created",
        )
    }

    /// One proposal with its version.
    pub async fn proposal(&self, id: ProposalId) -> ServiceResult<Versioned<Proposal>> {
        Ok(self.store().get_proposal(id).await?)
    }

    /// A proposal with its scores, weighted score, transitions and the gates open to it.
    pub async fn proposal_detail(&self, id: ProposalId) -> ServiceResult<ProposalDetail> {
        let Versioned {
            value: proposal,
            version,
        } = self.store().get_proposal(id).await?;
        let config = self.config_of(proposal.draft.organization_id).await?;
        let scores: Vec<ReviewerScore> = self
            .store()
            .proposal_scores(Some(id), None)
            .await?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        let next_gates = if proposal.is_draft() {
            Vec::new()
        } else {
            gates_from(&config, proposal.stage.as_str())
                .into_iter()
                .cloned()
                .collect()
        };
        Ok(ProposalDetail {
            summary: summarize(&config, &scores),
            stage: config.stage(proposal.stage.as_str()).cloned(),
            transitions: self.store().proposal_transitions(id).await?,
            proposal,
            version,
            scores,
            next_gates,
        })
    }

    /// Every proposal, of one organization or of all, oldest first.
    pub async fn list_proposals(
        &self,
        organization: Option<OrganizationId>,
    ) -> ServiceResult<Vec<Versioned<Proposal>>> {
        Ok(self.store().list_proposals(organization).await?)
    }

    /// Grants a proposal at version `expected` an exception to the tie rule,
    /// with a reason. Only accounts whose role is among the configuration's
    /// `exception_roles` may; anyone else is `Forbidden`.
    pub async fn grant_exception(
        &self,
        caller: &User,
        id: ProposalId,
        expected: i64,
        reason: &str,
    ) -> ServiceResult<Versioned<Proposal>> {
        let proposal = self.store().get_proposal(id).await?.value;
        let config = self.config_of(proposal.draft.organization_id).await?;
        require_role(
            caller,
            &config.exception_roles,
            "grant an exception to the tie rule",
        )?;
        let reason = LongText::parse(reason).map_err(|m| ValidationError::new("reason", m))?;
        let exception = ProposalException {
            reason,
            approver_id: Some(caller.id),
            approver_name: caller.name.clone(),
            granted_at: OffsetDateTime::now_utc(),
        };
        Ok(self
            .store()
            .grant_proposal_exception(id, expected, &exception)
            .await?)
    }

    /// Every proposal carrying an exception, of one organization or all.
    pub async fn exceptions_report(
        &self,
        organization: Option<OrganizationId>,
    ) -> ServiceResult<Vec<ExceptionEntry>> {
        Ok(self
            .store()
            .list_proposals(organization)
            .await?
            .into_iter()
            .filter_map(|Versioned { value: p, .. }| {
                let exception = p.exception?;
                Some(ExceptionEntry {
                    proposal_id: p.id,
                    organization_id: p.draft.organization_id,
                    title: p.draft.title,
                    stage: p.stage,
                    tied: !p.draft.objectives.is_empty(),
                    exception,
                })
            })
            .collect())
    }

    /// Submits a draft proposal at version `expected`: it enters the
    /// configuration's entry stage (`submitted`). Refused, with a
    /// validation error on `objectives`, unless it is tied to at least one
    /// objective of an active plan or carries an exception. Its author, plan
    /// editors and administrators may submit it. `note` is recorded as the
    /// transition's reason (a default when empty).
    pub async fn submit_proposal(
        &self,
        caller: &User,
        id: ProposalId,
        expected: i64,
        note: Option<&str>,
    ) -> ServiceResult<super::GateOutcome> {
        let proposal = self.store().get_proposal(id).await?.value;
        self.may_edit(caller, &proposal)?;
        if !proposal.is_draft() {
            return Err(ServiceError::Conflict {
                field: Some("stage".into()),
                message: format!("the proposal is {}, already submitted", proposal.stage),
            });
        }
        proposal.check_submittable()?;
        for (i, node) in proposal.draft.objectives.iter().enumerate() {
            self.check_objective(*node).await.map_err(|e| match e {
                ServiceError::Invalid(v) => {
                    ServiceError::Invalid(v.within(&format!("objectives[{i}]")))
                }
                other => other,
            })?;
        }
        let config = self.config_of(proposal.draft.organization_id).await?;
        let entry = config.entry_stage().key.clone();
        let reason = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => LongText::parse(n).map_err(|m| ValidationError::new("reason", m))?,
            None => LongText::parse("submitted for review").expect("a valid text"),
        };
        let from = Key::parse(DRAFT_STAGE).expect("draft is a key");
        let t = NewTransition {
            proposal: id,
            expected,
            from: &from,
            to: &entry,
            gate: SUBMIT_GATE,
            reason: &reason,
            checklist: &[],
            actor: Author {
                user_id: Some(caller.id),
                name: caller.name.as_str(),
                at: OffsetDateTime::now_utc(),
            },
            note: proposal
                .exception
                .as_ref()
                .filter(|_| proposal.draft.objectives.is_empty())
                .map(|e| {
                    format!(
                        "submitted without a tie, by exception granted by {}",
                        e.approver_name
                    )
                }),
            initiative: None,
        };
        let (transition, _) = self.store().record_transition(&t).await?;
        let Versioned { value, version } = self.store().get_proposal(id).await?;
        Ok(super::GateOutcome {
            proposal: value,
            version,
            transition,
            initiative: None,
        })
    }
}
