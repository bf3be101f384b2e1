//! Plan revisions and what changed between two of them.
//!
//! Each revision keeps a [`Snapshot`] of the plan as it then stood: its nodes
//! with their ids (so a node keeps its identity through re-wording and moves)
//! and its plan-as-code document. [`diff`] compares two snapshots node by node,
//! matched by id, and lists the changes in tree order. It is pure: the same two
//! snapshots always give the same changes.

use crate::document::PlanDocument;
use crate::{Code, LongText, MeasureKey, Name, NodeId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The plan as it stood at one revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Its live nodes, in tree order.
    pub nodes: Vec<SnapshotNode>,
    /// Its plan-as-code document.
    pub document: PlanDocument,
}

/// One node as a revision saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotNode {
    /// The node's id, the same in every revision.
    pub id: NodeId,
    /// Its parent then, if any.
    pub parent: Option<NodeId>,
    /// Its level then (0 is the top level).
    pub level: u8,
    /// Its code then.
    pub code: Option<Code>,
    /// Its title then.
    pub title: Name,
    /// Its description then.
    pub description: Option<LongText>,
    /// The keys of its measures then, in order.
    pub measures: Vec<MeasureKey>,
}

/// A node named in a change: its id, code and title (in the revision that shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NodeRef {
    /// The node.
    pub id: NodeId,
    /// Its code, if it has one.
    pub code: Option<Code>,
    /// Its title.
    pub title: Name,
}

impl NodeRef {
    fn of(n: &SnapshotNode) -> Self {
        Self {
            id: n.id,
            code: n.code.clone(),
            title: n.title.clone(),
        }
    }

    /// How a report names it: `G1.2 Better service`, or the title alone.
    pub fn label(&self) -> String {
        match &self.code {
            Some(c) => format!("{} {}", c.as_str(), self.title.as_str()),
            None => self.title.as_str().to_owned(),
        }
    }
}

/// One thing that changed about a node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The node is new in the later revision.
    Added,
    /// The node left the plan (its history is kept).
    Retired,
    /// Its title changed.
    Retitled {
        /// The title before.
        from: Name,
        /// The title after.
        to: Name,
    },
    /// Its description changed.
    Redescribed {
        /// The description before.
        from: Option<LongText>,
        /// The description after.
        to: Option<LongText>,
    },
    /// Its code changed.
    Recoded {
        /// The code before.
        from: Option<Code>,
        /// The code after.
        to: Option<Code>,
    },
    /// It moved under another parent (none: the top of the plan).
    Reparented {
        /// The parent before.
        from: Option<NodeRef>,
        /// The parent after.
        to: Option<NodeRef>,
    },
    /// Its level changed.
    Releveled {
        /// The level before (0 is the top).
        from: u8,
        /// The level after.
        to: u8,
    },
    /// A measure was added to it.
    MeasureAdded {
        /// The measure's key.
        key: MeasureKey,
    },
    /// A measure was taken off it.
    MeasureRemoved {
        /// The measure's key.
        key: MeasureKey,
    },
}

/// Everything that changed about one node between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NodeDiff {
    /// The node, as the later revision names it (the earlier one if it was retired).
    pub node: NodeRef,
    /// Its level in that revision.
    pub level: u8,
    /// What changed, in a fixed order.
    pub changes: Vec<Change>,
}

/// The changes from snapshot `from` to snapshot `to`, node by node in tree
/// order: the later revision's order, with each retired node after the node
/// that preceded it in the earlier one. Nodes that did not change are left out.
pub fn diff(from: &Snapshot, to: &Snapshot) -> Vec<NodeDiff> {
    let old: HashMap<NodeId, &SnapshotNode> = from.nodes.iter().map(|n| (n.id, n)).collect();
    let new: HashMap<NodeId, &SnapshotNode> = to.nodes.iter().map(|n| (n.id, n)).collect();
    let mut order: Vec<(NodeId, bool)> = to.nodes.iter().map(|n| (n.id, true)).collect();
    let mut anchor: Option<NodeId> = None;
    for n in &from.nodes {
        if !new.contains_key(&n.id) {
            let at = anchor
                .and_then(|a| order.iter().position(|(id, _)| *id == a))
                .map_or(0, |i| i + 1);
            order.insert(at, (n.id, false));
        }
        anchor = Some(n.id);
    }
    order
        .into_iter()
        .filter_map(|(id, live)| {
            if !live {
                let n = old.get(&id)?;
                return Some(NodeDiff {
                    node: NodeRef::of(n),
                    level: n.level,
                    changes: vec![Change::Retired],
                });
            }
            let n = new.get(&id)?;
            let changes = match old.get(&id) {
                None => vec![Change::Added],
                Some(o) => changes(o, n, &old, &new),
            };
            (!changes.is_empty()).then(|| NodeDiff {
                node: NodeRef::of(n),
                level: n.level,
                changes,
            })
        })
        .collect()
}

fn changes(
    o: &SnapshotNode,
    n: &SnapshotNode,
    old: &HashMap<NodeId, &SnapshotNode>,
    new: &HashMap<NodeId, &SnapshotNode>,
) -> Vec<Change> {
    let mut out = Vec::new();
    if o.code != n.code {
        out.push(Change::Recoded {
            from: o.code.clone(),
            to: n.code.clone(),
        });
    }
    if o.title != n.title {
        out.push(Change::Retitled {
            from: o.title.clone(),
            to: n.title.clone(),
        });
    }
    if o.description != n.description {
        out.push(Change::Redescribed {
            from: o.description.clone(),
            to: n.description.clone(),
        });
    }
    if o.parent != n.parent {
        let name = |map: &HashMap<NodeId, &SnapshotNode>, id: Option<NodeId>| {
            id.and_then(|p| map.get(&p).map(|p| NodeRef::of(p)))
        };
        out.push(Change::Reparented {
            from: name(old, o.parent),
            to: name(new, n.parent),
        });
    }
    if o.level != n.level {
        out.push(Change::Releveled {
            from: o.level,
            to: n.level,
        });
    }
    for key in n.measures.iter().filter(|k| !o.measures.contains(k)) {
        out.push(Change::MeasureAdded { key: key.clone() });
    }
    for key in o.measures.iter().filter(|k| !n.measures.contains(k)) {
        out.push(Change::MeasureRemoved { key: key.clone() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, parent: Option<i64>, level: u8, title: &str) -> SnapshotNode {
        SnapshotNode {
            id: NodeId(id),
            parent: parent.map(NodeId),
            level,
            code: Some(Code::parse(&format!("N{id}")).unwrap()),
            title: Name::parse(title).unwrap(),
            description: None,
            measures: Vec::new(),
        }
    }

    fn snapshot(nodes: Vec<SnapshotNode>) -> Snapshot {
        let document: PlanDocument = serde_json::from_value(serde_json::json!({
            "organization": {"name": "City"}, "key": "p", "title": "P",
            "period": {"start_year": 2025, "end_year": 2027}
        }))
        .unwrap();
        Snapshot { nodes, document }
    }

    fn kinds(d: &[NodeDiff]) -> Vec<(i64, Vec<Change>)> {
        d.iter().map(|d| (d.node.id.0, d.changes.clone())).collect()
    }

    #[test]
    fn a_snapshot_compared_with_itself_has_no_changes() {
        let s = snapshot(vec![node(1, None, 0, "A"), node(2, Some(1), 1, "B")]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn additions_retirements_rewording_and_moves_are_listed_in_tree_order() {
        let before = snapshot(vec![
            node(1, None, 0, "Goal one"),
            node(2, Some(1), 1, "Old wording"),
            node(3, Some(1), 1, "Dropped"),
            node(4, None, 0, "Goal two"),
            node(5, Some(4), 1, "Moving"),
        ]);
        let mut reworded = node(2, Some(1), 1, "New wording");
        reworded.measures = vec![MeasureKey::parse("uptime").unwrap()];
        let after = snapshot(vec![
            node(1, None, 0, "Goal one"),
            reworded,
            node(5, Some(1), 1, "Moving"),
            node(4, None, 0, "Goal two"),
            node(6, Some(4), 1, "Brand new"),
        ]);
        let d = diff(&before, &after);
        assert_eq!(
            kinds(&d),
            vec![
                (
                    2,
                    vec![
                        Change::Retitled {
                            from: Name::parse("Old wording").unwrap(),
                            to: Name::parse("New wording").unwrap(),
                        },
                        Change::MeasureAdded {
                            key: MeasureKey::parse("uptime").unwrap()
                        },
                    ]
                ),
                (3, vec![Change::Retired]),
                (
                    5,
                    vec![Change::Reparented {
                        from: Some(NodeRef::of(&before.nodes[3])),
                        to: Some(NodeRef::of(&after.nodes[0])),
                    }]
                ),
                (6, vec![Change::Added]),
            ]
        );
        assert_eq!(d[1].node.title.as_str(), "Dropped");
    }

    #[test]
    fn a_node_moved_to_the_top_changes_level_and_has_no_parent() {
        let before = snapshot(vec![node(1, None, 0, "A"), node(2, Some(1), 1, "B")]);
        let after = snapshot(vec![node(1, None, 0, "A"), node(2, None, 0, "B")]);
        let d = diff(&before, &after);
        assert_eq!(
            d[0].changes,
            vec![
                Change::Reparented {
                    from: Some(NodeRef::of(&before.nodes[0])),
                    to: None
                },
                Change::Releveled { from: 1, to: 0 },
            ]
        );
        let back = diff(&after, &before);
        assert_eq!(back.len(), 1);
    }

    #[test]
    fn a_retired_first_node_comes_first_and_the_reverse_diff_adds_it() {
        let before = snapshot(vec![node(1, None, 0, "A"), node(2, None, 0, "B")]);
        let after = snapshot(vec![node(2, None, 0, "B")]);
        assert_eq!(
            kinds(&diff(&before, &after)),
            vec![(1, vec![Change::Retired])]
        );
        assert_eq!(
            kinds(&diff(&after, &before)),
            vec![(1, vec![Change::Added])]
        );
    }

    #[test]
    fn snapshots_survive_json() {
        let s = snapshot(vec![node(1, None, 0, "A")]);
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Snapshot>(&text).unwrap(), s);
    }
}
