//! The governance configuration, and passing stage gates (with the
//! initiative a first approval creates).

use super::{GateOutcome, GovernanceSettings, require_role};
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::{Author, NewInitiative, NewTransition, Versioned};
use time::OffsetDateTime;

impl App {
    /// Stores an organization's governance configuration (administrators
    /// only). `expected` is the stored version it replaces, or `None` when
    /// the organization still uses the default. The configuration must be
    /// valid, and may not drop a stage that proposals are in.
    pub async fn put_governance_config(
        &self,
        caller: &User,
        organization: OrganizationId,
        expected: Option<i64>,
        config: &GovernanceConfig,
    ) -> ServiceResult<GovernanceSettings> {
        require_role(
            caller,
            &[Role::Administrator],
            "change the governance configuration",
        )?;
        self.store().get_organization(organization).await?;
        config.validate()?;
        for stage in self.store().proposal_stages_in_use(organization).await? {
            if stage != DRAFT_STAGE && config.stage(&stage).is_none() {
                return Err(ValidationError::new(
                    "stages",
                    format!(
                        "proposals are in stage {stage}; move them out of it before removing it"
                    ),
                )
                .into());
            }
        }
        let stored = self
            .store()
            .put_governance_config(organization, expected, config)
            .await?;
        Ok(GovernanceSettings {
            organization_id: organization,
            config: stored.value,
            version: Some(stored.version),
        })
    }

    /// Moves a proposal at version `expected` through the gate that leads
    /// from its stage to `to`, on behalf of `caller`.
    ///
    /// Refused with `Forbidden` (naming the roles allowed) when the caller's
    /// role may not pass that gate; with a validation error on `to` (naming
    /// the allowed next stages) when no gate leads there, on `reason` when
    /// no reason is given, and on `checklist` when an item is not confirmed
    /// (`checklist` holds the texts of the items confirmed). The move is
    /// recorded with who, when, from, to, why and the checklist.
    ///
    /// Entering a committed stage for the first time (approval) creates an
    /// initiative under the proposal's first objective, in the same
    /// transaction: its title, a description from the problem and benefits,
    /// the target dates as its schedule, the sponsor as its owner, and an
    /// alignment link to each other objective. A proposal approved by
    /// exception without a tie creates no node, and the record says so.
    pub async fn pass_gate(
        &self,
        caller: &User,
        id: ProposalId,
        expected: i64,
        to: &str,
        reason: &str,
        checklist: &[String],
    ) -> ServiceResult<GateOutcome> {
        let Versioned {
            value: proposal,
            version,
        } = self.store().get_proposal(id).await?;
        if version != expected {
            return Err(ServiceError::Stale {
                entity: "proposal",
                id: id.to_string(),
                expected,
                current: Some(version),
            });
        }
        if proposal.is_draft() {
            return Err(ValidationError::new(
                "to",
                "a draft is submitted first; it passes no gate",
            )
            .into());
        }
        let config = self.config_of(proposal.draft.organization_id).await?;
        let gate = check_passage(
            &config,
            proposal.stage.as_str(),
            to,
            caller.role,
            reason,
            checklist,
        )
        .map_err(|r| match r {
            GateRefusal::Forbidden(m) => ServiceError::Forbidden(m),
            GateRefusal::Invalid(e) => ServiceError::Invalid(e),
        })?;
        let reason = LongText::parse(reason).map_err(|m| ValidationError::new("reason", m))?;
        let committing = config.kind_of(to) == Some(StageKind::Committed);
        let first_commitment =
            committing && proposal.node_id.is_none() && !self.was_committed(&config, id).await?;
        let (draft, level) = match (first_commitment, proposal.draft.objectives.first()) {
            (true, Some(&objective)) => {
                let (draft, level) = self.initiative_draft(&proposal, objective).await?;
                (Some(draft), level)
            }
            _ => (None, 0),
        };
        let note = match (&draft, first_commitment) {
            (Some(_), _) => Some(format!(
                "created an initiative under objective {}{}",
                proposal.draft.objectives[0],
                if proposal.draft.objectives.len() > 1 {
                    format!(
                        ", aligned to objective(s) {}",
                        proposal.draft.objectives[1..]
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    String::new()
                }
            )),
            (None, true) => Some(
                "approved by exception without a tie to an objective: no initiative was created"
                    .into(),
            ),
            (None, false) => None,
        };
        let to_key = Key::parse(to).map_err(|m| ValidationError::new("to", m))?;
        let t = NewTransition {
            proposal: id,
            expected,
            from: &proposal.stage,
            to: &to_key,
            gate: gate.name.as_str(),
            reason: &reason,
            checklist,
            actor: Author {
                user_id: Some(caller.id),
                name: caller.name.as_str(),
                at: OffsetDateTime::now_utc(),
            },
            note: note.clone(),
            initiative: draft.as_ref().map(|d| NewInitiative {
                draft: d,
                level,
                also_serves: &proposal.draft.objectives[1..],
            }),
        };
        let (transition, initiative) = self.store().record_transition(&t).await?;
        let Versioned { value, version } = self.store().get_proposal(id).await?;
        Ok(GateOutcome {
            proposal: value,
            version,
            transition,
            initiative,
        })
    }

    /// Whether the proposal has ever entered a committed stage.
    async fn was_committed(
        &self,
        config: &GovernanceConfig,
        id: ProposalId,
    ) -> ServiceResult<bool> {
        Ok(self
            .store()
            .proposal_transitions(id)
            .await?
            .iter()
            .any(|t| config.kind_of(t.to.as_str()) == Some(StageKind::Committed)))
    }

    /// The initiative an approval creates under `objective`, and its level.
    async fn initiative_draft(
        &self,
        proposal: &Proposal,
        objective: NodeId,
    ) -> ServiceResult<(NodeDraft, u8)> {
        let parent = self.store().get_node(objective).await.map_err(|_| {
            ServiceError::Invalid(ValidationError::new(
                "objectives[0]",
                format!("objective {objective} no longer exists; tie the proposal again before approving it"),
            ))
        })?;
        let plan = self.store().get_plan(parent.plan_id).await?;
        let level = parent.level.saturating_add(1);
        if plan.levels.name(level).is_none() {
            return Err(ValidationError::new(
                "objectives[0]",
                format!(
                    "plan {} has no level below {}, so no initiative can be created there",
                    plan.key, parent.title
                ),
            )
            .into());
        }
        let d = &proposal.draft;
        let description = match (&d.problem, &d.benefits) {
            (Some(p), Some(b)) => Some(format!("{p}\n\nExpected benefits: {b}")),
            (Some(p), None) => Some(p.to_string()),
            (None, Some(b)) => Some(format!("Expected benefits: {b}")),
            (None, None) => None,
        };
        let description = description
            .map(|t| t.chars().take(LongText::MAX_CHARS).collect::<String>())
            .map(|t| LongText::parse(&t).map_err(|m| ValidationError::new("problem", m)))
            .transpose()?;
        Ok((
            NodeDraft {
                plan_id: plan.id,
                parent_id: Some(objective),
                code: None,
                title: d.title.clone(),
                description,
                level: Some(level),
                position: None,
                owner_id: d.sponsor_id,
                sponsor_id: None,
                department_id: d.department_id,
                horizon: None,
                start_date: d.target_start,
                due_date: d.target_end,
                weight: None,
                cadence: Cadence::default(),
            },
            level,
        ))
    }
}
