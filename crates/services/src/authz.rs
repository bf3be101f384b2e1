//! Who may do what: the one policy every front end asks before acting.
//!
//! An account's role gives it installation-wide rights; the person it is
//! linked to gives it rights over particular nodes (a goal's sponsor edits
//! beneath it, a node's owner reports on it). An API token acts for its
//! account, never beyond it, and only within its scopes.

use crate::accounts::{Credential, Principal};
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::{NodeId, PlanId, Role, TokenScope};

/// What an operation needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: public pages, the health check, signing in.
    Public,
    /// Any signed-in account: reading everything internal.
    Read,
    /// The caller's own account (signing out, changing one's password, own tokens).
    Own,
    /// The directory and plans as a whole: organizations, people,
    /// departments, tags, plan imports. Plan editors and administrators.
    Directory,
    /// A plan's own fields or the whole plan. Plan editors and administrators.
    Plan(PlanId),
    /// A node and what lies beneath it: plan editors, administrators, and the
    /// sponsor of that node or of any node above it.
    Beneath(NodeId),
    /// Reporting on a node (check-ins, milestones, evidence): its owner, or
    /// whoever may edit beneath it.
    Report(NodeId),
    /// Recording values of a node's measures: as [`Need::Report`], and open
    /// to `write-measures` tokens.
    Measures(NodeId),
    /// Recording values of any measure of a plan (a CSV file): plan editors
    /// and administrators, and `write-measures` tokens of such accounts.
    PlanMeasures(PlanId),
    /// Scoring proposals: reviewers, plan editors, administrators.
    Review,
    /// Writing proposals and asking for their moves (create, edit, submit,
    /// pass a gate, grant an exception): any signed-in account, and API
    /// tokens with the `admin` scope. The services then check the role each
    /// step needs (the gate's roles, the configuration's exception roles).
    Intake,
    /// Accounts and everyone's tokens: administrators.
    Accounts,
    /// An organization's portfolio governance configuration (criteria,
    /// stages, gates, who grants exceptions): administrators (issue 8).
    Governance,
}

impl Need {
    /// Whether this need only reads.
    fn reads(self) -> bool {
        matches!(self, Self::Public | Self::Read)
    }

    /// Whether this need records measure values.
    fn records_values(self) -> bool {
        matches!(self, Self::Measures(_) | Self::PlanMeasures(_))
    }
}

impl App {
    /// Allows the operation, or says why not: 401 when no one is signed in,
    /// 403 when the caller may not.
    pub async fn authorize(&self, caller: Option<&Principal>, need: Need) -> ServiceResult<()> {
        if need == Need::Public {
            return Ok(());
        }
        let Some(caller) = caller else {
            return Err(ServiceError::Unauthenticated(
                "sign in, or send an API token as `Authorization: Bearer …`".into(),
            ));
        };
        if let Credential::Token(token) = &caller.via {
            let allowed = token.scopes.iter().any(|scope| match scope {
                TokenScope::Admin => true,
                TokenScope::WriteMeasures => {
                    need.reads() || need == Need::Own || need.records_values()
                }
                TokenScope::Read => need.reads(),
            });
            if !allowed {
                let scopes: Vec<&str> = token.scopes.iter().map(|s| s.as_str()).collect();
                return Err(ServiceError::Forbidden(format!(
                    "this token's scopes ({}) do not allow this",
                    scopes.join(", ")
                )));
            }
        }
        if self.account_may(caller, need).await? {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "{} ({}) may not do this",
                caller.user.email.as_str(),
                caller.user.role
            )))
        }
    }

    async fn account_may(&self, caller: &Principal, need: Need) -> ServiceResult<bool> {
        let role = caller.user.role;
        let editor = matches!(role, Role::Administrator | Role::PlanEditor);
        Ok(match need {
            Need::Public | Need::Read | Need::Own | Need::Intake => true,
            Need::Accounts | Need::Governance => role == Role::Administrator,
            Need::Directory | Need::Plan(_) | Need::PlanMeasures(_) => editor,
            Need::Review => editor || role == Role::Reviewer,
            Need::Beneath(node) => editor || self.sponsors(caller, node).await?,
            Need::Report(node) | Need::Measures(node) => {
                editor || self.owns(caller, node).await? || self.sponsors(caller, node).await?
            }
        })
    }

    /// Whether the caller's person sponsors `node` or a node above it.
    async fn sponsors(&self, caller: &Principal, node: NodeId) -> ServiceResult<bool> {
        let Some(person) = caller.user.person_id else {
            return Ok(false);
        };
        let mut next = Some(node);
        let mut steps = 0;
        while let Some(id) = next {
            let found = self.store().get_node(id).await?;
            if found.sponsor_id == Some(person) {
                return Ok(true);
            }
            next = found.parent_id;
            steps += 1;
            if steps > 64 {
                break;
            }
        }
        Ok(false)
    }

    /// Whether the caller's person owns `node`.
    async fn owns(&self, caller: &Principal, node: NodeId) -> ServiceResult<bool> {
        let Some(person) = caller.user.person_id else {
            return Ok(false);
        };
        Ok(self.store().get_node(node).await?.owner_id == Some(person))
    }
}
