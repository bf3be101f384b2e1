//! Nodes: where they may sit in their plan's tree.

use crate::records::referenced;
use crate::{App, ServiceResult};
use lodestar_domain::node::check_dates;
use lodestar_domain::tree::would_cycle;
use lodestar_domain::*;
use lodestar_storage::Versioned;

impl App {
    /// Checks where a node would sit and returns its level: the parent must be
    /// in the same plan, the level must be one the plan names and below the
    /// parent's, and the people and department it names must exist.
    async fn place_node(&self, draft: &NodeDraft) -> ServiceResult<u8> {
        let plan = referenced(
            self.store().get_plan(draft.plan_id),
            "plan_id",
            "plan",
            draft.plan_id,
        )
        .await?;
        let parent = match draft.parent_id {
            Some(p) => {
                let parent = referenced(self.store().get_node(p), "parent_id", "node", p).await?;
                if parent.plan_id != draft.plan_id {
                    return Err(ValidationError::new(
                        "parent_id",
                        format!(
                            "node {p} belongs to plan {}, not to plan {}",
                            parent.plan_id, draft.plan_id
                        ),
                    )
                    .into());
                }
                Some(parent)
            }
            None => None,
        };
        let lowest = parent.as_ref().map_or(0, |p| p.level + 1);
        let level = draft.level.unwrap_or(lowest);
        if usize::from(level) >= plan.levels.len() {
            return Err(ValidationError::new(
                "level",
                format!(
                    "unknown level {level}; plan {} has levels 0 to {} ({})",
                    plan.id,
                    plan.levels.len() - 1,
                    plan.levels.describe()
                ),
            )
            .into());
        }
        if level < lowest {
            return Err(ValidationError::new(
                "level",
                format!(
                    "level {level} cannot sit beneath its parent at level {}",
                    lowest - 1
                ),
            )
            .into());
        }
        for (field, person) in [
            ("owner_id", draft.owner_id),
            ("sponsor_id", draft.sponsor_id),
        ] {
            if let Some(p) = person {
                referenced(self.store().get_person(p), field, "person", p).await?;
            }
        }
        if let Some(d) = draft.department_id {
            referenced(
                self.store().get_department(d),
                "department_id",
                "department",
                d,
            )
            .await?;
        }
        check_dates(draft.start_date, draft.due_date)?;
        Ok(level)
    }

    /// Creates a node in its plan's tree.
    pub async fn create_node(&self, draft: &NodeDraft) -> ServiceResult<Node> {
        let level = self.place_node(draft).await?;
        Ok(self.store().create_node(draft, level).await?)
    }

    /// Replaces a node still at version `expected`, possibly moving it under
    /// another parent of the same plan. A node cannot move to another plan,
    /// beneath itself, or to a level at or below its children's.
    pub async fn update_node(
        &self,
        id: NodeId,
        expected: i64,
        draft: &NodeDraft,
    ) -> ServiceResult<Versioned<Node>> {
        let current = self.store().at_version::<Node>(id, expected).await?;
        if current.plan_id != draft.plan_id {
            return Err(
                ValidationError::new("plan_id", "a node cannot move to another plan").into(),
            );
        }
        if let Some(parent) = draft.parent_id {
            let nodes = self.store().plan_nodes(current.plan_id).await?;
            let parents: std::collections::HashMap<NodeId, Option<NodeId>> =
                nodes.iter().map(|n| (n.id, n.parent_id)).collect();
            if would_cycle(id, parent, |n| parents.get(&n).copied().flatten()) {
                return Err(ValidationError::new(
                    "parent_id",
                    format!("node {parent} is {id} itself or beneath it; a node cannot sit beneath itself"),
                )
                .into());
            }
        }
        let level = self.place_node(draft).await?;
        if let Some(child_level) = self.store().shallowest_child_level(id).await?
            && child_level <= level
        {
            return Err(ValidationError::new(
                "level",
                format!(
                    "the node has children at level {child_level}; its own level must stay above it"
                ),
            )
            .into());
        }
        let position = draft.position.unwrap_or(current.position);
        Ok(self
            .store()
            .update_node(id, expected, draft, level, position)
            .await?)
    }
}
