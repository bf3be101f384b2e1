//! Cross-cutting tags and alignment links between plans.

use crate::{AlignmentId, Key, LongText, Name, NodeId, PlanId, TagId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A theme that cuts across a plan's tree, such as one of the "future state
/// capabilities" a federal plan lists beside its goals. Attached to any nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Tag {
    /// Its identifier.
    pub id: TagId,
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// Its handle, unique within the plan.
    pub key: Key,
    /// Its name as the plan prints it.
    pub name: Name,
    /// What it means.
    pub description: Option<LongText>,
}

/// What a client sends to create or replace a tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagDraft {
    /// The plan it belongs to.
    pub plan_id: PlanId,
    /// Its handle, unique within the plan.
    pub key: Key,
    /// Its name.
    pub name: Name,
    /// What it means.
    #[serde(default)]
    pub description: Option<LongText>,
}

/// A statement that one node supports a node of another plan: a department's
/// objective supports an enterprise objective, an agency goal a department goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Alignment {
    /// Its identifier.
    pub id: AlignmentId,
    /// The supporting node.
    pub from_node_id: NodeId,
    /// The node it supports, in another plan.
    pub to_node_id: NodeId,
    /// How it supports it.
    pub note: Option<LongText>,
}

/// What a client sends to create or replace an alignment link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlignmentDraft {
    /// The supporting node.
    pub from_node_id: NodeId,
    /// The node it supports, in another plan.
    pub to_node_id: NodeId,
    /// How it supports it.
    #[serde(default)]
    pub note: Option<LongText>,
}

/// Which way an alignment link points, seen from one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// This node supports the other.
    Supports,
    /// The other node supports this one.
    SupportedBy,
}

/// An alignment link seen from one of its nodes, with enough of the node at
/// the other end (and its plan) to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AlignmentEnd {
    /// The link.
    pub alignment_id: AlignmentId,
    /// Which way it points from the node asked about.
    pub direction: Direction,
    /// The node at the other end.
    pub node_id: NodeId,
    /// Its code.
    pub node_code: Option<crate::Code>,
    /// Its title.
    pub node_title: Name,
    /// Its plan.
    pub plan_id: PlanId,
    /// Its plan's title.
    pub plan_title: Name,
    /// How the one supports the other.
    pub note: Option<LongText>,
}
