//! Milestones of a node: `/api/v1/nodes/{id}/milestones` to list and add,
//! `/api/v1/milestones/{id}` to read, replace and delete one.

use lodestar_domain::{Milestone, MilestoneDraft, MilestoneId};

super::node_record_handlers! {
    tag: "milestones", what: "milestone",
    collection: "/api/v1/nodes/{id}/milestones", item: "/api/v1/milestones/{id}",
    entity: Milestone, draft: MilestoneDraft, id: MilestoneId,
    list: milestones ("its milestones, by position"),
    create: create_milestone, update: update_milestone, delete: delete_milestone,
    rules: "A field breaks a rule (empty title, bad date, done in the future)",
}
