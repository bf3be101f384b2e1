//! A plan's nodes arranged as the tree they form.

use crate::{Key, Node, NodeId, Plan};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A node with its level's name, its tags and its children, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TreeNode {
    /// The node itself.
    #[serde(flatten)]
    pub node: Node,
    /// The name of its level in this plan ("Objective", "Strategy").
    pub level_name: String,
    /// The keys of the cross-cutting tags attached to it.
    pub tags: Vec<Key>,
    /// Its children, in position order.
    #[schema(no_recursion)]
    pub children: Vec<TreeNode>,
}

/// A whole plan and its tree, as one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanTree {
    /// The plan.
    pub plan: Plan,
    /// Its top-level nodes, each with its subtree.
    pub nodes: Vec<TreeNode>,
}

impl PlanTree {
    /// Arranges a plan's nodes (in any order) into its tree. Siblings are
    /// ordered by position, then by id so equal positions stay stable.
    pub fn build(plan: Plan, mut nodes: Vec<Node>, mut tags: HashMap<NodeId, Vec<Key>>) -> Self {
        nodes.sort_by_key(|n| (n.position, n.id));
        let mut children: HashMap<Option<NodeId>, Vec<Node>> = HashMap::new();
        for node in nodes {
            children.entry(node.parent_id).or_default().push(node);
        }
        let roots = assemble(&plan, None, &mut children, &mut tags);
        Self { plan, nodes: roots }
    }

    /// Every node of the tree, parents before their children.
    pub fn walk(&self) -> Vec<&TreeNode> {
        fn visit<'a>(nodes: &'a [TreeNode], out: &mut Vec<&'a TreeNode>) {
            for n in nodes {
                out.push(n);
                visit(&n.children, out);
            }
        }
        let mut out = Vec::new();
        visit(&self.nodes, &mut out);
        out
    }
}

fn assemble(
    plan: &Plan,
    parent: Option<NodeId>,
    children: &mut HashMap<Option<NodeId>, Vec<Node>>,
    tags: &mut HashMap<NodeId, Vec<Key>>,
) -> Vec<TreeNode> {
    let Some(list) = children.remove(&parent) else {
        return Vec::new();
    };
    list.into_iter()
        .map(|node| {
            let id = node.id;
            let level_name = plan
                .levels
                .name(node.level)
                .map(|n| n.as_str().to_owned())
                .unwrap_or_else(|| format!("Level {}", node.level + 1));
            TreeNode {
                node,
                level_name,
                tags: tags.remove(&id).unwrap_or_default(),
                children: assemble(plan, Some(id), children, tags),
            }
        })
        .collect()
}

/// Whether making `new_parent` the parent of `node` would put `node` beneath
/// itself. `parent_of` answers each node's current parent.
pub fn would_cycle(
    node: NodeId,
    new_parent: NodeId,
    parent_of: impl Fn(NodeId) -> Option<NodeId>,
) -> bool {
    let mut cursor = Some(new_parent);
    let mut steps = 0usize;
    while let Some(current) = cursor {
        if current == node {
            return true;
        }
        steps += 1;
        if steps > 1_000_000 {
            return true;
        }
        cursor = parent_of(current);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LevelNames, Name, OrganizationId, Period, PlanId, PlanStatus, Weight};

    fn plan() -> Plan {
        Plan {
            id: PlanId(1),
            organization_id: OrganizationId(1),
            key: Key::parse("p").unwrap(),
            title: Name::parse("Plan").unwrap(),
            period: Period::new(2025, 2029).unwrap(),
            status: PlanStatus::Active,
            vision: None,
            mission: None,
            principles: vec![],
            levels: LevelNames::standard(),
        }
    }

    fn node(id: i64, parent: Option<i64>, level: u8, position: i32) -> Node {
        Node {
            id: NodeId(id),
            plan_id: PlanId(1),
            parent_id: parent.map(NodeId),
            code: None,
            title: Name::parse(&format!("n{id}")).unwrap(),
            description: None,
            level,
            position,
            owner_id: None,
            sponsor_id: None,
            department_id: None,
            horizon: None,
            start_date: None,
            due_date: None,
            weight: Weight::DEFAULT,
            cadence: crate::Cadence::None,
        }
    }

    #[test]
    fn builds_children_in_position_order() {
        let nodes = vec![
            node(3, Some(1), 1, 1),
            node(1, None, 0, 0),
            node(2, Some(1), 1, 0),
        ];
        let tree = PlanTree::build(plan(), nodes, HashMap::new());
        assert_eq!(tree.nodes.len(), 1);
        let kids: Vec<i64> = tree.nodes[0].children.iter().map(|c| c.node.id.0).collect();
        assert_eq!(kids, vec![2, 3]);
        assert_eq!(tree.nodes[0].children[0].level_name, "Objective");
        assert_eq!(tree.walk().len(), 3);
    }

    #[test]
    fn detects_a_move_beneath_itself() {
        // 1 -> 2 -> 3
        let parent = |n: NodeId| match n.0 {
            3 => Some(NodeId(2)),
            2 => Some(NodeId(1)),
            _ => None,
        };
        assert!(would_cycle(NodeId(1), NodeId(3), parent));
        assert!(would_cycle(NodeId(2), NodeId(2), parent));
        assert!(!would_cycle(NodeId(3), NodeId(1), parent));
    }
}
