//! StratML export: a plan written as a StratML Part 2 performance plan
//! (`PerformancePlanOrReport`, with performance indicators carrying targets
//! and actual results) or a Part 1 strategic plan (`StrategicPlan`), valid
//! against the published schemas and read back by Lodestar's importer.
//!
//! Pure: a plan-as-code document and the values of its measures in, text
//! out, so that the same writer serves a whole plan and its published part.
//! The mapping (docs/open-data.md, "Exporting to StratML"):
//! - the plan's top-level nodes are StratML goals; every node beneath a goal,
//!   at whatever depth, is one of its objectives (the schemas do not nest
//!   objectives), in outline order, each with its code as `SequenceIndicator`;
//!   the importer puts an objective whose code extends another's (`1.1.2`
//!   after `1.1`) back beneath it;
//! - owner and sponsor are stakeholders, by name only;
//! - in Part 2 a measure is a performance indicator of its node; a goal's own
//!   measures sit on an objective with the goal's name and code, which the
//!   importer folds back into the goal (Part 2 gives goals no indicators);
//! - identifiers are made from positions, so the same plan gives the same text.

mod indicator;
mod public;
mod xml;

pub use public::{document_of, write_public};

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::document::{NodeEntry, PlanDocument};
use lodestar_domain::{PlanId, ValidationError};
use lodestar_importer::DraftObservation;
use std::collections::HashSet;
use std::io;
use xml::Out;

/// Which part of StratML (ISO 17469) to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StratmlPart {
    /// Part 1, a strategic plan: goals and objectives, no measures.
    Part1,
    /// Part 2, a performance plan or report: also performance indicators
    /// with their target and actual results.
    #[default]
    Part2,
}

impl StratmlPart {
    /// The part numbered `n` (1 or 2).
    pub fn from_number(n: u8) -> Option<Self> {
        match n {
            1 => Some(Self::Part1),
            2 => Some(Self::Part2),
            _ => None,
        }
    }

    fn root(self) -> &'static str {
        match self {
            Self::Part1 => "StrategicPlan",
            Self::Part2 => "PerformancePlanOrReport",
        }
    }

    fn namespace(self) -> &'static str {
        match self {
            Self::Part1 => "urn:ISO:std:iso:17469:tech:xsd:stratml_core",
            Self::Part2 => "urn:ISO:std:iso:17469:tech:xsd:PerformancePlanOrReport",
        }
    }
}

/// The plan as a StratML document. `observations` are the values of its
/// measures (by measure key), written as actual results in Part 2.
pub fn write(
    doc: &PlanDocument,
    observations: &[DraftObservation],
    part: StratmlPart,
) -> ServiceResult<String> {
    if doc.nodes.is_empty() {
        return Err(ValidationError::new(
            "nodes",
            "a StratML document needs at least one goal, and the plan has no nodes",
        )
        .into());
    }
    let internal = |e: io::Error| ServiceError::Internal(Box::new(e));
    let mut writer = Writer {
        out: Out::new().map_err(internal)?,
        part,
        observations,
        indicators: 0,
    };
    writer.plan(doc).map_err(internal)?;
    writer
        .out
        .finish()
        .map_err(|e| ServiceError::Internal(Box::new(e)))
}

struct Writer<'a> {
    out: Out,
    part: StratmlPart,
    observations: &'a [DraftObservation],
    /// Performance indicators written so far, for their identifiers.
    indicators: usize,
}

impl Writer<'_> {
    fn plan(&mut self, doc: &PlanDocument) -> io::Result<()> {
        let part = self.part;
        let mut attributes = vec![("xmlns", part.namespace())];
        if part == StratmlPart::Part2 {
            // Required by Part 2: a report when it carries actual results.
            let reports = doc_has_values(doc, self.observations);
            attributes.push((
                "Type",
                if reports {
                    "Performance_Report"
                } else {
                    "Performance_Plan"
                },
            ));
        }
        self.out.open_with(part.root(), &attributes)?;
        self.out.text("Name", doc.title.as_str())?;
        self.out.text(
            "OtherInformation",
            &format!("Exported from Lodestar, plan {}.", doc.key.as_str()),
        )?;
        self.out.open("StrategicPlanCore")?;
        self.out.open("Organization")?;
        self.out.text("Name", doc.organization.name.as_str())?;
        self.out.optional(
            "Description",
            doc.organization
                .parent
                .as_ref()
                .map(|p| format!("Part of {}.", p.as_str()))
                .as_deref(),
        )?;
        self.out.close("Organization")?;
        for (name, text) in [("Vision", &doc.vision), ("Mission", &doc.mission)] {
            if let Some(text) = text {
                self.out.open(name)?;
                self.out.text("Description", text.as_str())?;
                self.out.close(name)?;
            }
        }
        for value in &doc.principles {
            self.out.open("Value")?;
            self.out.text("Name", value.name.as_str())?;
            self.out
                .optional("Description", value.text.as_ref().map(|t| t.as_str()))?;
            self.out.close("Value")?;
        }
        let mut codes = Codes::of(&doc.nodes);
        for (i, goal) in doc.nodes.iter().enumerate() {
            self.goal(goal, i + 1, &mut codes)?;
        }
        self.out.close("StrategicPlanCore")?;
        self.out.open("AdministrativeInformation")?;
        if part == StratmlPart::Part2 {
            self.out
                .text("Identifier", &format!("plan_{}", doc.key.as_str()))?;
        }
        self.out
            .text("StartDate", &format!("{:04}-01-01", doc.period.start_year))?;
        self.out
            .text("EndDate", &format!("{:04}-12-31", doc.period.end_year))?;
        self.out.close("AdministrativeInformation")?;
        self.out.close(part.root())
    }

    fn goal(&mut self, goal: &NodeEntry, number: usize, codes: &mut Codes) -> io::Result<()> {
        let code = codes.of_node(goal, None, number);
        self.out.open("Goal")?;
        self.out.text("Name", goal.title.as_str())?;
        self.out.text(
            "Description",
            goal.description.as_ref().map_or("", |d| d.as_str()),
        )?;
        self.out.text("Identifier", &format!("goal_{number}"))?;
        self.out.text("SequenceIndicator", &code)?;
        self.stakeholders(goal)?;
        let mut objectives = 0;
        if self.part == StratmlPart::Part2 && !goal.measures.is_empty() {
            objectives += 1;
            self.out.open("Objective")?;
            self.out.text("Name", goal.title.as_str())?;
            self.out
                .text("Identifier", &format!("goal_{number}_indicators"))?;
            self.out.text("SequenceIndicator", &code)?;
            self.out.text(
                "OtherInformation",
                "The goal's own performance indicators: StratML Part 2 places indicators on objectives only.",
            )?;
            self.indicators_of(goal)?;
            self.out.close("Objective")?;
        }
        let mut below = Vec::new();
        outline(&goal.children, &code, codes, &mut below);
        for (node, code) in below {
            objectives += 1;
            self.out.open("Objective")?;
            self.out.text("Name", node.title.as_str())?;
            self.out
                .optional("Description", node.description.as_ref().map(|d| d.as_str()))?;
            self.out.text(
                "Identifier",
                &format!("goal_{number}_objective_{objectives}"),
            )?;
            self.out.text("SequenceIndicator", &code)?;
            self.stakeholders(node)?;
            if self.part == StratmlPart::Part2 {
                self.indicators_of(node)?;
            }
            self.out.close("Objective")?;
        }
        self.out.close("Goal")
    }

    /// The node's sponsor and owner, by name.
    fn stakeholders(&mut self, node: &NodeEntry) -> io::Result<()> {
        let people = match (&node.sponsor, &node.owner) {
            (Some(s), Some(o)) if s == o => vec![(s, "Sponsor and owner")],
            (s, o) => s
                .iter()
                .map(|s| (s, "Sponsor"))
                .chain(o.iter().map(|o| (o, "Owner")))
                .collect(),
        };
        for (name, role) in people {
            self.out
                .open_with("Stakeholder", &[("StakeholderTypeType", "Person")])?;
            self.out.text("Name", name.as_str())?;
            self.out.text("Description", role)?;
            self.out.close("Stakeholder")?;
        }
        Ok(())
    }

    fn indicators_of(&mut self, node: &NodeEntry) -> io::Result<()> {
        for measure in &node.measures {
            self.indicators += 1;
            let values: Vec<&DraftObservation> = self
                .observations
                .iter()
                .filter(|o| o.measure == measure.key)
                .collect();
            indicator::write(&mut self.out, measure, &values, self.indicators)?;
        }
        Ok(())
    }
}

/// Whether the plan has a baseline or a recorded value to report.
fn doc_has_values(doc: &PlanDocument, observations: &[DraftObservation]) -> bool {
    fn any_baseline(nodes: &[NodeEntry]) -> bool {
        nodes
            .iter()
            .any(|n| n.measures.iter().any(|m| m.baseline.is_some()) || any_baseline(&n.children))
    }
    !observations.is_empty() || any_baseline(&doc.nodes)
}

/// Every node beneath a goal, in outline order, with its code.
fn outline<'a>(
    nodes: &'a [NodeEntry],
    parent: &str,
    codes: &mut Codes,
    out: &mut Vec<(&'a NodeEntry, String)>,
) {
    for (i, node) in nodes.iter().enumerate() {
        let code = codes.of_node(node, Some(parent), i + 1);
        out.push((node, code.clone()));
        outline(&node.children, &code, codes, out);
    }
}

/// The plan's codes, so that a node without one gets one made from its
/// parent's and its position (`1.2.3`, as the importer would make it) that
/// no other node has.
struct Codes(HashSet<String>);

impl Codes {
    fn of(nodes: &[NodeEntry]) -> Self {
        fn collect(nodes: &[NodeEntry], into: &mut HashSet<String>) {
            for node in nodes {
                into.extend(node.code.as_ref().map(|c| c.as_str().to_owned()));
                collect(&node.children, into);
            }
        }
        let mut codes = HashSet::new();
        collect(nodes, &mut codes);
        Self(codes)
    }

    fn of_node(&mut self, node: &NodeEntry, parent: Option<&str>, position: usize) -> String {
        if let Some(code) = &node.code {
            return code.as_str().to_owned();
        }
        let base = match parent {
            Some(p) => format!("{p}.{position}"),
            None => position.to_string(),
        };
        let mut code = base.clone();
        let mut n = 2;
        while !self.0.insert(code.clone()) {
            code = format!("{base}-{n}");
            n += 1;
        }
        code
    }
}

impl App {
    /// The plan as a StratML document of the given part, with every value
    /// recorded for its measures (calculated measures have none stored).
    pub async fn export_stratml(&self, plan: PlanId, part: StratmlPart) -> ServiceResult<String> {
        let doc = self.export_document(plan).await?;
        let measures = self.store().plan_measures(plan).await?;
        let ids: Vec<_> = measures.iter().map(|m| m.id).collect();
        let observations: Vec<DraftObservation> = self
            .store()
            .observations_of(&ids)
            .await?
            .into_iter()
            .filter_map(|o| {
                let measure = measures.iter().find(|m| m.id == o.measure_id)?;
                Some(DraftObservation {
                    measure: measure.key.clone(),
                    period: o.period,
                    value: o.value,
                    note: o.note.map(|n| n.as_str().to_owned()),
                })
            })
            .collect();
        write(&doc, &observations, part)
    }
}
