//! Importing plan documents of every kind: those the importer reads (text,
//! Markdown, PDF, Word, StratML) and plan-as-code, told apart by content.
//!
//! Reading writes nothing and gives a [`Draft`]: the plan document, the values
//! it reports for its measures, and the importer's warnings. A draft is then
//! stored at once (the CLI) or kept for review and confirmed later, possibly
//! edited (the API). Either way the plan, its values and the warnings are
//! written in one transaction, and the warnings stay with the plan so that
//! its reviewer can check what the importer was unsure about.

pub mod review;

use crate::plan_code::{self, DocFormat};
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::document::PlanDocument;
use lodestar_domain::{
    Key, LongText, Name, ObservationDraft, Plan, PlanId, PlanStatus, ReportingPeriod,
};
use lodestar_importer::ImportOptions;
pub use lodestar_importer::{
    Draft, DraftObservation, ImportError, MAX_INPUT_BYTES, SourceKind, Warning,
};
use lodestar_storage::{ImportedPlan, ImportedValue, NewImport, StorageError, StoredImport};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// What the person importing says, over what the document says.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The organization to file the plan under.
    pub organization: Option<Name>,
    /// The plan's key.
    pub key: Option<Key>,
}

/// A document read and kept as a draft plan, before and after it is confirmed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentImport {
    /// The import's id.
    pub id: i64,
    /// The file name the document came with, if any (`upload` otherwise).
    pub source_name: String,
    /// What kind of document it was.
    pub source: SourceKind,
    /// When it was read.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When the draft was confirmed, if it was.
    #[serde(with = "time::serde::rfc3339::option")]
    pub confirmed_at: Option<OffsetDateTime>,
    /// The plan confirming it created; none before, or once that plan is deleted.
    pub plan_id: Option<PlanId>,
    /// The draft plan.
    pub document: PlanDocument,
    /// Values the document reports for the draft's measures, recorded on confirmation.
    pub observations: Vec<DraftObservation>,
    /// What the importer was unsure about, in document order.
    pub warnings: Vec<Warning>,
}

/// The kind of a document, after the checks every document must pass (not
/// empty, not too large): told by [`SourceKind::detect`] from its content,
/// except that between plan-as-code's two spellings, and between JSON and
/// text, a name ending in `.json`, `.yaml` or `.yml` decides, as it always
/// has for plan-as-code (a broken JSON plan is then reported as JSON).
pub fn detect(source_name: &str, bytes: &[u8]) -> ServiceResult<SourceKind> {
    let options = ImportOptions {
        source_name: source_name.to_owned(),
        ..ImportOptions::default()
    };
    let kind = lodestar_importer::check_and_detect(bytes, &options)
        .map_err(|reason| unreadable(source_name, reason))?;
    let name = source_name.to_ascii_lowercase();
    let yaml_name = name.ends_with(".yaml") || name.ends_with(".yml");
    Ok(match kind {
        SourceKind::Text | SourceKind::Markdown | SourceKind::PlanCodeYaml
            if name.ends_with(".json") =>
        {
            SourceKind::PlanCodeJson
        }
        SourceKind::PlanCodeJson if yaml_name => SourceKind::PlanCodeYaml,
        other => other,
    })
}

/// Whether a kind is plan-as-code, which Lodestar reads itself and stores as written.
pub fn is_plan_code(kind: SourceKind) -> bool {
    matches!(kind, SourceKind::PlanCodeYaml | SourceKind::PlanCodeJson)
}

/// Reads a document of any kind into a draft, writing nothing. Plan-as-code
/// is parsed and checked like any plan document and gives no warnings; other
/// kinds go through the importer. `today` dates the checks and gives the
/// period of a plan that names none.
pub fn read(
    source_name: &str,
    bytes: &[u8],
    overrides: &Overrides,
    today: Date,
) -> ServiceResult<Draft> {
    let source = detect(source_name, bytes)?;
    if is_plan_code(source) {
        let format = if source == SourceKind::PlanCodeJson {
            DocFormat::Json
        } else {
            DocFormat::Yaml
        };
        let mut document = plan_code::parse(source_name, utf8(source_name, bytes)?, format)?;
        if let Some(organization) = &overrides.organization {
            document.organization.name = organization.clone();
        }
        if let Some(key) = &overrides.key {
            document.key = key.clone();
        }
        plan_code::check(source_name, &document, today)?;
        return Ok(Draft {
            source,
            document,
            observations: Vec::new(),
            warnings: Vec::new(),
            lines: Vec::new(),
        });
    }
    let options = ImportOptions {
        source_name: source_name.to_owned(),
        organization: overrides
            .organization
            .as_ref()
            .map(|n| n.as_str().to_owned()),
        key: overrides.key.as_ref().map(|k| k.as_str().to_owned()),
        this_year: today.year(),
    };
    lodestar_importer::import(bytes, &options).map_err(|reason| unreadable(source_name, reason))
}

/// The one place where the importer's refusal becomes a service error.
fn unreadable(source_name: &str, reason: ImportError) -> ServiceError {
    ServiceError::Unreadable {
        source_name: source_name.to_owned(),
        reason,
    }
}

/// Plan-as-code as text; bytes that are not UTF-8 are a syntax error at the first bad one.
fn utf8<'a>(source_name: &str, bytes: &'a [u8]) -> ServiceResult<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        ServiceError::Syntax {
            source_name: source_name.to_owned(),
            line: valid.iter().filter(|b| **b == b'\n').count() as u64 + 1,
            column: column as u64,
            message: format!(
                "not UTF-8 text (byte 0x{:02X}); plan-as-code documents are YAML or JSON in UTF-8",
                bytes[e.valid_up_to()]
            ),
        }
    })
}

/// The draft as kept in storage: its document and the values it reports.
#[derive(Serialize)]
struct DraftJson<'a> {
    document: &'a PlanDocument,
    observations: &'a [DraftObservation],
}

/// [`DraftJson`] read back.
#[derive(Deserialize)]
struct StoredDraft {
    document: PlanDocument,
    observations: Vec<DraftObservation>,
}

fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("drafts always serialize")
}

/// Stored JSON read back; `what` names it in the error if it no longer reads.
fn from_json<T: for<'de> Deserialize<'de>>(what: &str, json: &str) -> ServiceResult<T> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("{what}: {e}")))
}

fn corrupt(message: String) -> ServiceError {
    ServiceError::from(StorageError::Corrupt(message))
}

fn new_import<'a>(source_name: &'a str, draft: &Draft) -> NewImport<'a> {
    NewImport {
        source_name,
        source_kind: draft.source.as_str(),
        draft_json: to_json(&DraftJson {
            document: &draft.document,
            observations: &draft.observations,
        }),
        warnings_json: to_json(&draft.warnings),
    }
}

impl TryFrom<StoredImport> for DocumentImport {
    type Error = ServiceError;
    fn try_from(s: StoredImport) -> ServiceResult<Self> {
        let draft: StoredDraft =
            from_json(&format!("the draft of import {}", s.id), &s.draft_json)?;
        let source = SourceKind::from_name(&s.source_kind).ok_or_else(|| {
            corrupt(format!(
                "import {}: unknown source kind {:?}",
                s.id, s.source_kind
            ))
        })?;
        Ok(Self {
            id: s.id,
            source_name: s.source_name,
            source,
            created_at: s.created_at,
            confirmed_at: s.confirmed_at,
            plan_id: s.plan_id,
            document: draft.document,
            observations: draft.observations,
            warnings: from_json(
                &format!("the warnings of import {}", s.id),
                &s.warnings_json,
            )?,
        })
    }
}

/// The values to record, one per measure and period (the last one a document
/// gives wins), each naming the document as its source.
fn values(source_name: &str, observations: &[DraftObservation]) -> Vec<ImportedValue> {
    let file = source_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(source_name);
    let source = Name::parse(file).ok();
    let mut values: Vec<ImportedValue> = Vec::with_capacity(observations.len());
    let mut index: HashMap<(&str, ReportingPeriod), usize> = HashMap::new();
    for o in observations {
        let note = o.note.as_deref().and_then(|n| {
            let cut: String = n.trim().chars().take(LongText::MAX_CHARS).collect();
            LongText::parse(&cut).ok()
        });
        let value = ImportedValue {
            measure: o.measure.clone(),
            draft: ObservationDraft {
                period: o.period,
                value: o.value,
                observed_on: None,
                note,
                source: source.clone(),
            },
        };
        match index.entry((o.measure.as_str(), o.period)) {
            Entry::Occupied(earlier) => values[*earlier.get()] = value,
            Entry::Vacant(slot) => {
                slot.insert(values.len());
                values.push(value);
            }
        }
    }
    values
}

impl App {
    /// Reads a document (see [`read`]) off the async runtime, since a large
    /// PDF takes a while.
    async fn read_off_runtime<B>(
        &self,
        source_name: &str,
        bytes: B,
        overrides: &Overrides,
    ) -> ServiceResult<Draft>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        let (name, overrides, today) = (source_name.to_owned(), overrides.clone(), self.today());
        tokio::task::spawn_blocking(move || read(&name, bytes.as_ref(), &overrides, today))
            .await
            .map_err(|e| ServiceError::Internal(Box::new(e)))?
    }

    /// Reads a document and keeps its draft for review; no plan is written
    /// until the import is confirmed.
    pub async fn start_import<B>(
        &self,
        source_name: &str,
        bytes: B,
        overrides: &Overrides,
    ) -> ServiceResult<DocumentImport>
    where
        B: AsRef<[u8]> + Send + 'static,
    {
        let draft = self.read_off_runtime(source_name, bytes, overrides).await?;
        let stored = self
            .store()
            .create_import(&new_import(source_name, &draft))
            .await?;
        tracing::info!(
            import = stored.id,
            source = draft.source.as_str(),
            warnings = draft.warnings.len(),
            "read a document for import"
        );
        Ok(DocumentImport {
            id: stored.id,
            source_name: stored.source_name,
            source: draft.source,
            created_at: stored.created_at,
            confirmed_at: None,
            plan_id: None,
            document: draft.document,
            observations: draft.observations,
            warnings: draft.warnings,
        })
    }

    /// One import, pending or confirmed.
    pub async fn get_import(&self, id: i64) -> ServiceResult<DocumentImport> {
        self.store().get_import(id).await?.try_into()
    }

    /// Replaces the document of a pending import with a reviewed one, kept
    /// with the values and warnings it had, so that a reviewer's edits
    /// survive until the import is confirmed. The document is checked like
    /// any plan document; an import already confirmed is a conflict.
    pub async fn revise_import(
        &self,
        id: i64,
        document: PlanDocument,
    ) -> ServiceResult<DocumentImport> {
        let mut pending = self.get_import(id).await?;
        if pending.confirmed_at.is_some() {
            return Err(ServiceError::Conflict {
                field: None,
                message: format!(
                    "import {id} was already confirmed; its draft can no longer change"
                ),
            });
        }
        plan_code::check(&pending.source_name, &document, self.today())?;
        let json = to_json(&DraftJson {
            document: &document,
            observations: &pending.observations,
        });
        self.store().update_import_document(id, &json).await?;
        tracing::info!(import = id, "revised an import's draft");
        pending.document = document;
        Ok(pending)
    }

    /// Stores a kept draft as a new plan, with the values its document
    /// reports and its warnings, all or nothing; `edited` replaces the
    /// draft's document. A document the importer read is stored as a draft
    /// plan whatever status the edit gives; plan-as-code keeps its own.
    /// An import is confirmed once: a second time is a conflict naming the plan.
    pub async fn confirm_import(
        &self,
        id: i64,
        edited: Option<PlanDocument>,
    ) -> ServiceResult<Plan> {
        let pending = self.get_import(id).await?;
        let mut document = edited.unwrap_or(pending.document);
        if !is_plan_code(pending.source) {
            document.status = PlanStatus::Draft;
        }
        let name = &pending.source_name;
        let today = self.today();
        let flat = plan_code::check(name, &document, today)?;
        let values = values(name, &pending.observations);
        let plan = ImportedPlan {
            document: &document,
            flat: &flat,
            values: &values,
        };
        let plan_id = self
            .store()
            .confirm_import(id, plan, today)
            .await
            .map_err(|e| plan_code::stored(name, e))?;
        tracing::info!(import = id, plan = %plan_id, key = document.key.as_str(), "confirmed an import");
        Ok(self.store().get_plan(plan_id).await?)
    }

    /// Stores a draft at once as a new plan, with the values its document
    /// reports, keeping its warnings for the plan's reviewer; all or nothing.
    pub async fn store_draft(&self, source_name: &str, draft: &Draft) -> ServiceResult<Plan> {
        let today = self.today();
        let flat = plan_code::check(source_name, &draft.document, today)?;
        let values = values(source_name, &draft.observations);
        let plan = ImportedPlan {
            document: &draft.document,
            flat: &flat,
            values: &values,
        };
        let plan_id = self
            .store()
            .import_draft(&new_import(source_name, draft), plan, today)
            .await
            .map_err(|e| plan_code::stored(source_name, e))?;
        tracing::info!(plan = %plan_id, key = draft.document.key.as_str(), source = draft.source.as_str(), warnings = draft.warnings.len(), "imported a document");
        Ok(self.store().get_plan(plan_id).await?)
    }

    /// The warnings of the import that created a plan; none when the plan
    /// was made some other way.
    pub async fn import_warnings(&self, plan: PlanId) -> ServiceResult<Vec<Warning>> {
        self.store().get_plan(plan).await?;
        match self.store().plan_import_warnings(plan).await? {
            Some(json) => from_json(&format!("the import warnings of plan {plan}"), &json),
            None => Ok(Vec::new()),
        }
    }
}
