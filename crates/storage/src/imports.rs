//! Imports of plan documents: a draft kept until someone confirms it, then
//! the plan it became, written whole with the values its document reports.
//!
//! The draft and its warnings are kept as JSON that the services layer writes
//! and reads: their shape belongs to the importer, not to the plan model.

use crate::documents::write_document;
use crate::measures::{ObservationInput, record_in};
use crate::tx::Tx;
use crate::{Result, StorageError, Store};
use lodestar_domain::document::{FlatNode, PlanDocument};
use lodestar_domain::{MeasureId, MeasureKey, ObservationDraft, PlanId};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

/// A draft as the importer made it, ready to keep.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    /// The file (or upload) it was read from.
    pub source_name: &'a str,
    /// The kind of document it was, as the importer names it (`pdf`).
    pub source_kind: &'a str,
    /// The draft plan document and the values it reports, as JSON.
    pub draft_json: String,
    /// What the importer was unsure about, as JSON.
    pub warnings_json: String,
}

/// An import as stored.
#[derive(Debug, Clone)]
pub struct StoredImport {
    /// Its id.
    pub id: i64,
    /// The file (or upload) it was read from.
    pub source_name: String,
    /// The kind of document it was, as the importer names it.
    pub source_kind: String,
    /// The draft plan document and the values it reports, as JSON.
    pub draft_json: String,
    /// What the importer was unsure about, as JSON.
    pub warnings_json: String,
    /// When the document was read.
    pub created_at: OffsetDateTime,
    /// When the draft was confirmed, if it was.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The plan it created; none before confirmation, or once that plan is deleted.
    pub plan_id: Option<PlanId>,
}

#[derive(sqlx::FromRow)]
struct ImportRow {
    id: i64,
    source_name: String,
    source_kind: String,
    draft_json: String,
    warnings_json: String,
    created_at: OffsetDateTime,
    confirmed_at: Option<OffsetDateTime>,
    plan_id: Option<i64>,
}

impl From<ImportRow> for StoredImport {
    fn from(r: ImportRow) -> Self {
        Self {
            id: r.id,
            source_name: r.source_name,
            source_kind: r.source_kind,
            draft_json: r.draft_json,
            warnings_json: r.warnings_json,
            created_at: r.created_at,
            confirmed_at: r.confirmed_at,
            plan_id: r.plan_id.map(PlanId),
        }
    }
}

const IMPORT_COLUMNS: &str =
    "id, source_name, source_kind, draft_json, warnings_json, created_at, confirmed_at, plan_id";

/// A value the document reports for one of its measures, named by key: the
/// measure gets its id only when the plan is written.
#[derive(Debug, Clone)]
pub struct ImportedValue {
    /// The measure's key in the plan document.
    pub measure: MeasureKey,
    /// The value and its period.
    pub draft: ObservationDraft,
}

/// What confirming an import writes: a validated document (`flat` is what
/// `PlanDocument::validate` returned) and the values of its measures.
#[derive(Debug, Clone, Copy)]
pub struct ImportedPlan<'a> {
    /// The plan document.
    pub document: &'a PlanDocument,
    /// Its nodes in tree order.
    pub flat: &'a [FlatNode<'a>],
    /// Values for its measures, at most one per measure and period. Values
    /// of measures the document does not have, or that are calculated, are
    /// left out: a reviewer may have removed the measure from the draft.
    pub values: &'a [ImportedValue],
}

impl Store {
    /// Keeps a draft until someone confirms it.
    pub async fn create_import(&self, new: &NewImport<'_>) -> Result<StoredImport> {
        let now = OffsetDateTime::now_utc();
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar(
                "INSERT INTO imports (source_name, source_kind, draft_json, warnings_json, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(new.source_name)
            .bind(new.source_kind)
            .bind(&new.draft_json)
            .bind(&new.warnings_json)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        });
        self.get_import(id).await
    }

    /// One import.
    pub async fn get_import(&self, id: i64) -> Result<StoredImport> {
        let sql = format!("SELECT {IMPORT_COLUMNS} FROM imports WHERE id = $1");
        let row: Option<ImportRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        row.map(StoredImport::from)
            .ok_or_else(|| StorageError::not_found("import", id))
    }

    /// Replaces the draft of a pending import with a reviewed one (its
    /// document and values, as JSON); an import already confirmed is a
    /// conflict, since its plan was written from the draft it had then.
    pub async fn update_import_document(&self, id: i64, draft_json: &str) -> Result<()> {
        let updated = in_tx!(self, conn => {
            sqlx::query("UPDATE imports SET draft_json = $1 WHERE id = $2 AND confirmed_at IS NULL")
                .bind(draft_json)
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        if updated == 1 {
            return Ok(());
        }
        let found = self.get_import(id).await?;
        Err(StorageError::Conflict {
            field: None,
            message: match found.plan_id {
                Some(plan) => format!("import {id} was already confirmed: it created plan {plan}"),
                None => format!("import {id} was already confirmed"),
            },
        })
    }

    /// Confirms a kept draft: writes its plan, the plan's values and the
    /// import's link to it in one transaction. A draft is confirmed once;
    /// the second attempt is a conflict that names the plan.
    pub async fn confirm_import(
        &self,
        id: i64,
        plan: ImportedPlan<'_>,
        today: Date,
    ) -> Result<PlanId> {
        let mut tx = self.begin().await?;
        claim(&mut tx, id).await?;
        let plan_id = write_plan(&mut tx, plan, today).await?;
        on_tx!(&mut tx, conn => {
            sqlx::query("UPDATE imports SET plan_id = $1 WHERE id = $2")
                .bind(plan_id.0)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        tx.commit().await?;
        Ok(plan_id)
    }

    /// Writes a draft's plan and values and keeps the import, confirmed, in
    /// one transaction: for an import that needs no review before it is stored.
    pub async fn import_draft(
        &self,
        new: &NewImport<'_>,
        plan: ImportedPlan<'_>,
        today: Date,
    ) -> Result<PlanId> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        let plan_id = write_plan(&mut tx, plan, today).await?;
        on_tx!(&mut tx, conn => {
            sqlx::query(
                "INSERT INTO imports (source_name, source_kind, draft_json, warnings_json, created_at, \
                 confirmed_at, plan_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(new.source_name)
            .bind(new.source_kind)
            .bind(&new.draft_json)
            .bind(&new.warnings_json)
            .bind(now)
            .bind(now)
            .bind(plan_id.0)
            .execute(&mut *conn)
            .await?;
        });
        tx.commit().await?;
        Ok(plan_id)
    }

    /// The warnings of the import that created a plan, as JSON; none when
    /// the plan was not imported from a document.
    pub async fn plan_import_warnings(&self, plan: PlanId) -> Result<Option<String>> {
        Ok(on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT warnings_json FROM imports WHERE plan_id = $1")
                .bind(plan.0)
                .fetch_optional(pool)
                .await?
        }))
    }
}

/// Marks the import confirmed, or says why it cannot be: it does not exist,
/// or it was confirmed before. On PostgreSQL the update locks the row, so of
/// two instances confirming at once the second waits and then finds it done.
async fn claim(tx: &mut Tx, id: i64) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    let claimed = on_tx!(tx, conn => {
        sqlx::query("UPDATE imports SET confirmed_at = $1 WHERE id = $2 AND confirmed_at IS NULL")
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if claimed == 1 {
        return Ok(());
    }
    let found: Option<(Option<i64>, Option<String>)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT i.plan_id, p.plan_key FROM imports i LEFT JOIN plans p ON p.id = i.plan_id WHERE i.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    });
    let message = match found {
        None => return Err(StorageError::not_found("import", id)),
        Some((Some(plan), Some(key))) => {
            format!("import {id} was already confirmed: it created plan {plan} ({key})")
        }
        Some(_) => {
            format!("import {id} was already confirmed; the plan it created has since been deleted")
        }
    };
    Err(StorageError::Conflict {
        field: None,
        message,
    })
}

/// Writes the plan and records the values of its measures.
async fn write_plan(tx: &mut Tx, plan: ImportedPlan<'_>, today: Date) -> Result<PlanId> {
    let id = write_document(tx, plan.document, plan.flat).await?;
    if plan.values.is_empty() {
        return Ok(id);
    }
    let measures: Vec<(i64, String)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT id, measure_key FROM measures WHERE plan_id = $1 AND formula IS NULL")
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await?
    });
    let by_key: HashMap<&str, i64> = measures.iter().map(|(m, k)| (k.as_str(), *m)).collect();
    let inputs: Vec<ObservationInput> = plan
        .values
        .iter()
        .filter_map(|v| {
            by_key
                .get(v.measure.as_str())
                .map(|&measure| ObservationInput {
                    measure: MeasureId(measure),
                    draft: v.draft.clone(),
                })
        })
        .collect();
    record_in(tx, id, &inputs, today).await?;
    Ok(id)
}
