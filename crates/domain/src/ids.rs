//! Typed record identifiers, so a plan id can never be passed where a node id is meant.

use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// Identifies an organization.
    OrganizationId,
    /// Identifies a department.
    DepartmentId,
    /// Identifies a person.
    PersonId,
    /// Identifies a plan.
    PlanId,
    /// Identifies a node of a plan.
    NodeId,
    /// Identifies a cross-cutting tag.
    TagId,
    /// Identifies an alignment link.
    AlignmentId,
    /// Identifies a milestone.
    MilestoneId,
    /// Identifies a check-in.
    CheckInId,
    /// Identifies an evidence record.
    EvidenceId,
    /// Identifies a measure.
    MeasureId,
    /// Identifies an observed value of a measure.
    ObservationId,
    /// Identifies an account.
    UserId,
    /// Identifies an API token.
    TokenId,
    /// Identifies a project proposal.
    ProposalId,
);
