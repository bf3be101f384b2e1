//! Portfolio governance: intake of proposals tied to the plan, scoring and
//! ranking against the cut line, stage gates, and capacity and budget.
//!
//! The arithmetic lives in `lodestar_domain::portfolio`; this layer loads
//! what it needs, checks the rules that depend on stored data (an objective
//! belongs to an active plan, a role may pass a gate), and writes the result
//! in one transaction. See docs/portfolio.md.
//!
//! Operations that depend on who acts take the acting account (`caller`)
//! and check its role themselves where the governance configuration decides
//! (gates, exceptions) or where the rule is fixed (scoring: reviewers, plan
//! editors, administrators; the configuration: administrators). The others
//! (capacity, budgets) leave authorization to the front end, which asks
//! [`Need::Directory`](crate::authz::Need::Directory).

mod gates;
mod intake;
mod ranking;
mod resources;

pub use ranking::ScoreEntry;
pub use resources::MAX_REPORT_MONTHS;

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::Versioned;
use serde::Serialize;
use utoipa::ToSchema;

/// An organization's governance configuration as in force.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GovernanceSettings {
    /// The organization.
    pub organization_id: OrganizationId,
    /// The configuration.
    pub config: GovernanceConfig,
    /// Its stored version; none while the organization uses the default
    /// (storing one then needs no version).
    pub version: Option<i64>,
}

/// A proposal with everything its page shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalDetail {
    /// The proposal.
    pub proposal: Proposal,
    /// Its version, for the next write.
    pub version: i64,
    /// Its stage's name and kind (none for a draft).
    pub stage: Option<Stage>,
    /// Every reviewer's scores.
    pub scores: Vec<ReviewerScore>,
    /// The weighted score.
    pub summary: ScoreSummary,
    /// Every move so far, oldest first.
    pub transitions: Vec<Transition>,
    /// The gates that lead on from its stage.
    pub next_gates: Vec<Gate>,
}

/// What passing a gate did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GateOutcome {
    /// The proposal after the move.
    pub proposal: Proposal,
    /// Its new version.
    pub version: i64,
    /// The move as recorded.
    pub transition: Transition,
    /// The initiative created by a first approval, if one was.
    pub initiative: Option<NodeId>,
}

/// A proposal that carries an exception to the tie rule.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExceptionEntry {
    /// The proposal.
    pub proposal_id: ProposalId,
    /// Its organization.
    pub organization_id: OrganizationId,
    /// Its title.
    pub title: Name,
    /// Its stage.
    pub stage: Key,
    /// Whether it is tied to an objective all the same.
    pub tied: bool,
    /// The exception.
    pub exception: ProposalException,
}

/// One proposal of the ranked portfolio.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedProposal {
    /// The proposal.
    pub proposal: Proposal,
    /// Its weighted score.
    pub summary: ScoreSummary,
    /// Its rank, in or out, and why.
    pub entry: CutLineEntry,
}

/// The portfolio of an organization: committed work, and the ranked
/// proposals with the cut line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Portfolio {
    /// The organization.
    pub organization_id: OrganizationId,
    /// Proposals in committed stages (they consume capacity and budget first).
    pub committed: Vec<Proposal>,
    /// Proposals in entry and open stages, best first, each in or out.
    pub ranked: Vec<RankedProposal>,
    /// Proposals in other stages (drafts, paused, closed, rejected).
    pub others: Vec<Proposal>,
}

/// The roles that may score proposals.
pub const SCORING_ROLES: &[Role] = &[Role::Reviewer, Role::PlanEditor, Role::Administrator];

/// `Forbidden` unless `caller` has one of `roles`, naming them.
fn require_role(caller: &User, roles: &[Role], what: &str) -> ServiceResult<()> {
    if roles.contains(&caller.role) {
        return Ok(());
    }
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    Err(ServiceError::Forbidden(format!(
        "only {} may {what}; {} is {}",
        names.join(", "),
        caller.email.as_str(),
        caller.role
    )))
}

impl App {
    /// The configuration in force for an organization: its own, or the default.
    pub async fn governance_settings(
        &self,
        organization: OrganizationId,
    ) -> ServiceResult<GovernanceSettings> {
        self.store().get_organization(organization).await?;
        Ok(match self.store().governance_config(organization).await? {
            Some(Versioned { value, version }) => GovernanceSettings {
                organization_id: organization,
                config: value,
                version: Some(version),
            },
            None => GovernanceSettings {
                organization_id: organization,
                config: GovernanceConfig::default(),
                version: None,
            },
        })
    }

    /// The configuration in force for an organization (without its version).
    async fn config_of(&self, organization: OrganizationId) -> ServiceResult<GovernanceConfig> {
        Ok(self.governance_settings(organization).await?.config)
    }
}
