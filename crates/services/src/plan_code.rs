//! Plan-as-code: reading a plan document (YAML or JSON) into a plan, and
//! writing a stored plan back out as one.
//!
//! Export is deterministic: nodes in tree order, people, departments and tags
//! sorted, empty fields left out. So export → import → export gives the same
//! bytes, and a plan kept in version control diffs cleanly.

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::document::{
    DepartmentEntry, FORMAT, FlatNode, MeasureEntry, MilestoneEntry, NodeEntry, OrganizationRef,
    PersonEntry, PlanDocument, SupportEntry, TagEntry,
};
use lodestar_domain::*;
use lodestar_storage::ExportedPlan;
use std::collections::HashMap;

/// The two spellings of plan-as-code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    /// YAML, for people.
    Yaml,
    /// JSON, for programs.
    Json,
}

impl DocFormat {
    /// The format a file's name says, or, failing that, its content: a
    /// document that starts with `{` is JSON, anything else YAML.
    pub fn detect(source_name: &str, text: &str) -> Self {
        let lower = source_name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Self::Json
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Self::Yaml
        } else if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            Self::Json
        } else {
            Self::Yaml
        }
    }
}

/// Parses a document, reporting malformed input with its source, line and column.
pub fn parse(source_name: &str, text: &str, format: DocFormat) -> ServiceResult<PlanDocument> {
    let text = text.trim_start_matches('\u{feff}');
    match format {
        DocFormat::Json => serde_json::from_str(text).map_err(|e| ServiceError::Syntax {
            source_name: source_name.to_owned(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: strip_json_location(&e.to_string()),
        }),
        DocFormat::Yaml => serde_saphyr::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            ServiceError::Syntax {
                source_name: source_name.to_owned(),
                line,
                column,
                message: yaml_message(&e.to_string()),
            }
        }),
    }
}

/// serde_json appends " at line L column C"; the location is reported on its own.
fn strip_json_location(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The YAML parser's first line, without its own "error: line L column C:" prefix
/// (and without the source excerpt it draws below it).
fn yaml_message(display: &str) -> String {
    let first = display.lines().next().unwrap_or_default();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(rest) = first.strip_prefix("line ")
        && let Some((_, message)) = rest.split_once(": ")
    {
        return message.to_owned();
    }
    first.to_owned()
}

/// Writes a document in the given format, ending with a newline.
pub fn render(doc: &PlanDocument, format: DocFormat) -> String {
    let mut out = match format {
        DocFormat::Json => {
            serde_json::to_string_pretty(doc).expect("plan documents always serialize")
        }
        DocFormat::Yaml => serde_saphyr::to_string(doc).expect("plan documents always serialize"),
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Builds the document of a stored plan.
pub fn assemble(parts: ExportedPlan) -> ServiceResult<PlanDocument> {
    let ExportedPlan {
        plan,
        organization,
        parent_organization,
        nodes,
        tags,
        mut node_tags,
        people,
        departments,
        supports,
        milestones,
        measures,
    } = parts;
    let mut milestones_of: HashMap<NodeId, Vec<MilestoneEntry>> = HashMap::new();
    for m in milestones {
        milestones_of
            .entry(m.node_id)
            .or_default()
            .push(MilestoneEntry {
                title: m.title,
                due_date: m.due_date,
                done_date: m.done_date,
            });
    }
    let mut measures_of: HashMap<NodeId, Vec<MeasureEntry>> = HashMap::new();
    for m in measures {
        let owner = m
            .owner_id
            .and_then(|p| people.iter().find(|x| x.id == p))
            .map(|p| p.name.clone());
        let default_thresholds = Thresholds::default_for(m.direction);
        measures_of
            .entry(m.node_id)
            .or_default()
            .push(MeasureEntry {
                key: m.key,
                name: m.name,
                description: m.description,
                unit: m.unit,
                direction: m.direction,
                frequency: m.frequency,
                baseline: m.baseline,
                targets: m.targets,
                thresholds: (m.thresholds != default_thresholds).then_some(m.thresholds),
                data_source: m.data_source,
                owner,
                formula: m.formula,
                weight: (m.weight != Weight::DEFAULT).then_some(m.weight),
            });
    }
    let person_names: HashMap<PersonId, Name> =
        people.iter().map(|p| (p.id, p.name.clone())).collect();
    let department_names: HashMap<DepartmentId, Name> =
        departments.iter().map(|d| (d.id, d.name.clone())).collect();
    let mut links: HashMap<NodeId, Vec<SupportEntry>> = HashMap::new();
    for link in supports {
        let Some(code) = link.code else {
            return Err(ServiceError::Conflict {
                field: None,
                message: format!(
                    "node {} supports {:?} in plan {:?}, which has no code; give that node a code to export this plan",
                    link.from,
                    link.title.as_str(),
                    link.plan_key.as_str()
                ),
            });
        };
        links.entry(link.from).or_default().push(SupportEntry {
            plan: link.plan_key,
            code,
            note: link.note,
        });
    }
    let tree = PlanTree::build(plan, nodes, HashMap::new());
    let entries: Vec<NodeEntry> = {
        let mut ctx = EntryContext {
            levels: &tree.plan.levels,
            person_names: &person_names,
            department_names: &department_names,
            tags: &mut node_tags,
            links,
            milestones: milestones_of,
            measures: measures_of,
        };
        tree.nodes.iter().map(|n| ctx.entry(n, None)).collect()
    };
    let plan = tree.plan;
    Ok(PlanDocument {
        format: FORMAT.to_owned(),
        organization: OrganizationRef {
            name: organization.name,
            parent: parent_organization,
        },
        key: plan.key,
        title: plan.title,
        period: plan.period,
        status: plan.status,
        vision: plan.vision,
        mission: plan.mission,
        principles: plan.principles,
        levels: plan.levels,
        departments: departments
            .into_iter()
            .map(|d| DepartmentEntry { name: d.name })
            .collect(),
        people: people
            .iter()
            .map(|p| PersonEntry {
                name: p.name.clone(),
                email: p.email.clone(),
                department: p
                    .department_id
                    .and_then(|d| department_names.get(&d).cloned()),
            })
            .collect(),
        tags: tags
            .into_iter()
            .map(|t| TagEntry {
                key: t.key,
                name: t.name,
                description: t.description,
            })
            .collect(),
        nodes: entries,
    })
}

struct EntryContext<'a> {
    levels: &'a LevelNames,
    person_names: &'a HashMap<PersonId, Name>,
    department_names: &'a HashMap<DepartmentId, Name>,
    tags: &'a mut HashMap<NodeId, Vec<Key>>,
    links: HashMap<NodeId, Vec<SupportEntry>>,
    milestones: HashMap<NodeId, Vec<MilestoneEntry>>,
    measures: HashMap<NodeId, Vec<MeasureEntry>>,
}

impl EntryContext<'_> {
    fn entry(&mut self, tree: &TreeNode, parent_level: Option<u8>) -> NodeEntry {
        let n = &tree.node;
        let implied = parent_level.map_or(0, |l| l + 1);
        let level = (n.level != implied)
            .then(|| self.levels.name(n.level).cloned())
            .flatten();
        let person = |id: Option<PersonId>| id.and_then(|p| self.person_names.get(&p).cloned());
        NodeEntry {
            code: n.code.clone(),
            title: n.title.clone(),
            level,
            description: n.description.clone(),
            owner: person(n.owner_id),
            sponsor: person(n.sponsor_id),
            department: n
                .department_id
                .and_then(|d| self.department_names.get(&d).cloned()),
            horizon: n.horizon,
            start_date: n.start_date,
            due_date: n.due_date,
            weight: (n.weight != Weight::DEFAULT).then_some(n.weight),
            cadence: (n.cadence != Cadence::None).then_some(n.cadence),
            milestones: self.milestones.remove(&n.id).unwrap_or_default(),
            measures: self.measures.remove(&n.id).unwrap_or_default(),
            tags: self.tags.remove(&n.id).unwrap_or_default(),
            supports: self.links.remove(&n.id).unwrap_or_default(),
            children: tree
                .children
                .iter()
                .map(|c| self.entry(c, Some(n.level)))
                .collect(),
        }
    }
}

/// Checks every rule of a plan document that needs no stored data, as of
/// `today` (a milestone cannot be done in the future), and returns its nodes
/// in tree order. `source_name` is how errors refer to the document.
pub fn check<'a>(
    source_name: &str,
    doc: &'a PlanDocument,
    today: time::Date,
) -> ServiceResult<Vec<FlatNode<'a>>> {
    let invalid = |errors| ServiceError::InvalidDocument {
        source_name: source_name.to_owned(),
        errors,
    };
    let flat = doc.validate().map_err(invalid)?;
    let future: Vec<ValidationError> = flat
        .iter()
        .flat_map(|f| {
            f.entry
                .milestones
                .iter()
                .enumerate()
                .filter_map(move |(i, m)| {
                    m.done_date.filter(|d| d.date() > today).map(|d| {
                        ValidationError::new(
                            format!("{}.milestones[{i}].done_date", f.path),
                            format!("a milestone cannot be done on a future date ({d})"),
                        )
                    })
                })
        })
        .collect();
    if future.is_empty() {
        Ok(flat)
    } else {
        Err(invalid(future))
    }
}

/// A storage error met while writing a plan document: a rule only the stored
/// data can tell (an alignment target that does not exist) is a problem in
/// the document, reported with its place.
pub(crate) fn stored(source_name: &str, err: lodestar_storage::StorageError) -> ServiceError {
    match ServiceError::from(err) {
        ServiceError::Invalid(e) => ServiceError::InvalidDocument {
            source_name: source_name.to_owned(),
            errors: vec![e],
        },
        other => other,
    }
}

impl App {
    /// Reads a plan document and stores it as a new plan, all or nothing.
    /// `source_name` (a file name) is how errors refer to the document.
    pub async fn import_plan_code(&self, source_name: &str, text: &str) -> ServiceResult<Plan> {
        let doc = parse(source_name, text, DocFormat::detect(source_name, text))?;
        self.import_document(source_name, &doc).await
    }

    /// Stores a parsed plan document as a new plan, all or nothing.
    pub async fn import_document(
        &self,
        source_name: &str,
        doc: &PlanDocument,
    ) -> ServiceResult<Plan> {
        let flat = check(source_name, doc, self.today())?;
        let id = self
            .store()
            .import_document(doc, &flat)
            .await
            .map_err(|e| stored(source_name, e))?;
        tracing::info!(plan = %id, key = doc.key.as_str(), nodes = flat.len(), "imported plan");
        Ok(self.store().get_plan(id).await?)
    }

    /// The plan-as-code document of a stored plan.
    pub async fn export_document(&self, plan: PlanId) -> ServiceResult<PlanDocument> {
        assemble(self.store().export_parts(plan).await?)
    }

    /// The plan-as-code text of a stored plan.
    pub async fn export_plan_code(&self, plan: PlanId, format: DocFormat) -> ServiceResult<String> {
        Ok(render(&self.export_document(plan).await?, format))
    }

    /// The plan that `reference` names: its id (`3`) or its key (`city-it-2025`).
    pub async fn resolve_plan(&self, reference: &str) -> ServiceResult<Plan> {
        if let Ok(id) = reference.parse::<i64>() {
            return Ok(self.store().get_plan(PlanId(id)).await?);
        }
        let key = Key::parse(reference).map_err(|_| ServiceError::NotFound {
            entity: "plan",
            id: reference.to_owned(),
        })?;
        self.store()
            .find_plan_by_key(&key)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                entity: "plan",
                id: reference.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_comes_from_the_name_then_the_content() {
        assert_eq!(DocFormat::detect("plan.JSON", "x: 1"), DocFormat::Json);
        assert_eq!(DocFormat::detect("plan.yml", "{}"), DocFormat::Yaml);
        assert_eq!(DocFormat::detect("upload", "  {\"a\": 1}"), DocFormat::Json);
        assert_eq!(DocFormat::detect("upload", "key: x"), DocFormat::Yaml);
    }

    #[test]
    fn malformed_yaml_names_the_file_line_and_column() {
        let err = parse(
            "plan.yaml",
            "format: lodestar-plan/1\nkey: x\ntitle: \"\"\n",
            DocFormat::Yaml,
        )
        .unwrap_err();
        match err {
            ServiceError::Syntax {
                source_name,
                line,
                column,
                message,
            } => {
                assert_eq!((source_name.as_str(), line, column), ("plan.yaml", 3, 8));
                assert_eq!(message, "must not be empty");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn malformed_json_names_the_line_and_what_was_expected() {
        let err = parse(
            "plan.json",
            "{\n  \"key\": \"x\",\n  \"title\": 5\n}",
            DocFormat::Json,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("plan.json:3:"), "{text}");
        assert!(text.contains("expected a string"), "{text}");
    }

    #[test]
    fn unknown_fields_are_errors_not_silently_dropped() {
        let yaml = "organization: {name: X}\nkey: x\ntitle: X\nperiod: {start_year: 2025, end_year: 2026}\nvison: typo\n";
        let err = parse("p.yaml", yaml, DocFormat::Yaml)
            .unwrap_err()
            .to_string();
        assert!(err.contains("vison"), "{err}");
        assert!(err.starts_with("p.yaml:5:"), "{err}");
    }
}
