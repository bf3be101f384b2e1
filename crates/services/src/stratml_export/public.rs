//! The published part of a plan as StratML: the same writer, fed only what
//! [`PublicPlan`] holds (published nodes and their measures and values; no
//! people, notes or withheld nodes), for the public portal's download.

use super::{StratmlPart, write};
use crate::ServiceResult;
use crate::publication::{PublicMeasure, PublicNode, PublicPlan};
use lodestar_domain::document::{FORMAT, MeasureEntry, NodeEntry, OrganizationRef, PlanDocument};
use lodestar_domain::{LevelNames, NodeId, Value};
use lodestar_importer::DraftObservation;
use std::collections::HashMap;

/// The published plan as a StratML document of the given part.
pub fn write_public(plan: &PublicPlan, part: StratmlPart) -> ServiceResult<String> {
    let (doc, observations) = document_of(plan);
    write(&doc, &observations, part)
}

/// The published plan as a plan-as-code document (without people,
/// departments or tags) and the values of its measures (without notes).
pub fn document_of(plan: &PublicPlan) -> (PlanDocument, Vec<DraftObservation>) {
    let mut children: HashMap<Option<NodeId>, Vec<&PublicNode>> = HashMap::new();
    for node in &plan.nodes {
        children.entry(node.parent_id).or_default().push(node);
    }
    let mut measures: HashMap<NodeId, Vec<&PublicMeasure>> = HashMap::new();
    for m in &plan.measures {
        measures.entry(m.node_id).or_default().push(m);
    }
    let doc = PlanDocument {
        format: FORMAT.to_owned(),
        organization: OrganizationRef {
            name: plan.organization.clone(),
            parent: None,
        },
        key: plan.key.clone(),
        title: plan.title.clone(),
        period: plan.period,
        status: plan.status,
        vision: plan.vision.clone(),
        mission: plan.mission.clone(),
        principles: plan.principles.clone(),
        levels: LevelNames::standard(),
        departments: Vec::new(),
        people: Vec::new(),
        tags: Vec::new(),
        nodes: entries(None, &children, &measures),
    };
    let observations = plan
        .measures
        .iter()
        .flat_map(|m| {
            m.observations.iter().filter_map(|o| {
                Some(DraftObservation {
                    measure: m.key.clone(),
                    period: o.period,
                    value: Value::new(o.value?).ok()?,
                    note: None,
                })
            })
        })
        .collect();
    (doc, observations)
}

fn entries(
    parent: Option<NodeId>,
    children: &HashMap<Option<NodeId>, Vec<&PublicNode>>,
    measures: &HashMap<NodeId, Vec<&PublicMeasure>>,
) -> Vec<NodeEntry> {
    let Some(nodes) = children.get(&parent) else {
        return Vec::new();
    };
    nodes
        .iter()
        .map(|n| NodeEntry {
            code: n.code.clone(),
            title: n.title.clone(),
            level: None,
            description: n.description.clone(),
            owner: None,
            sponsor: None,
            department: None,
            horizon: None,
            start_date: None,
            due_date: None,
            weight: None,
            cadence: None,
            milestones: Vec::new(),
            measures: measures
                .get(&n.id)
                .map(|ms| ms.iter().map(|m| measure_entry(m)).collect())
                .unwrap_or_default(),
            tags: Vec::new(),
            supports: Vec::new(),
            children: entries(Some(n.id), children, measures),
        })
        .collect()
}

fn measure_entry(m: &PublicMeasure) -> MeasureEntry {
    MeasureEntry {
        key: m.key.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        unit: m.unit.clone(),
        direction: m.direction,
        frequency: m.frequency,
        baseline: m.baseline,
        targets: m.targets.clone(),
        thresholds: None,
        data_source: m.data_source.clone(),
        owner: None,
        formula: None,
        weight: None,
    }
}
