//! Evidence ("success stories") of a node: `/api/v1/nodes/{id}/evidence` to
//! list and record, `/api/v1/evidence/{id}` to read, replace and delete one.

use lodestar_domain::{Evidence, EvidenceDraft, EvidenceId};

super::node_record_handlers! {
    tag: "evidence", what: "evidence record",
    collection: "/api/v1/nodes/{id}/evidence", item: "/api/v1/evidence/{id}",
    entity: Evidence, draft: EvidenceDraft, id: EvidenceId,
    list: evidence_for ("its evidence, latest date first"),
    create: create_evidence, update: update_evidence, delete: delete_evidence,
    rules: "A field breaks a rule (empty title, bad date, date in the future)",
}
