//! Evidence: the dated, quantified outcomes ("success stories") of a node.

use crate::error::on_conflict;
use crate::milestones::NODE_EXISTS;
use crate::rows::text;
use crate::versions::{EVIDENCE, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use time::Date;

/// The columns of `evidence`, in the order `EvidenceRow` reads them.
pub(crate) const EVIDENCE_COLUMNS: &str =
    "id, node_id, title, evidence_date, before_text, after_text, narrative, source";

#[derive(sqlx::FromRow)]
pub(crate) struct EvidenceRow {
    id: i64,
    node_id: i64,
    title: String,
    evidence_date: Date,
    before_text: Option<String>,
    after_text: Option<String>,
    narrative: Option<String>,
    source: Option<String>,
}

fn corrupt(what: &str) -> impl Fn(String) -> StorageError + '_ {
    move |m| StorageError::Corrupt(format!("{what}: {m}"))
}

fn name(raw: Option<String>, what: &str) -> Result<Option<Name>> {
    raw.map(|t| Name::parse(&t).map_err(corrupt(what)))
        .transpose()
}

impl TryFrom<EvidenceRow> for Evidence {
    type Error = StorageError;
    fn try_from(r: EvidenceRow) -> Result<Self> {
        Ok(Self {
            id: EvidenceId(r.id),
            node_id: NodeId(r.node_id),
            title: Name::parse(&r.title).map_err(corrupt("evidence title"))?,
            date: CalendarDate::new(r.evidence_date).map_err(corrupt("evidence date"))?,
            before: name(r.before_text, "evidence before")?,
            after: name(r.after_text, "evidence after")?,
            narrative: r
                .narrative
                .map(|t| LongText::parse(&t))
                .transpose()
                .map_err(corrupt("evidence narrative"))?,
            source: name(r.source, "evidence source")?,
        })
    }
}

/// What a foreign-key failure on insert means here: the node went away
/// between the check and the write (PostgreSQL only; SQLite has one writer).
const NODE_GONE: &str = "the node was deleted while the evidence was being recorded";

impl Store {
    /// A node's evidence, latest first (date descending, then id). An unknown
    /// node is `NotFound`, not an empty list.
    pub async fn evidence_for(&self, node: NodeId) -> Result<Vec<Evidence>> {
        let sql = format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE node_id = $1 ORDER BY evidence_date DESC, id"
        );
        let (exists, rows): (Option<i64>, Vec<EvidenceRow>) = on_backend!(self, read, pool => {
            let exists = sqlx::query_scalar(NODE_EXISTS).bind(node.0).fetch_optional(pool).await?;
            (exists, sqlx::query_as(&sql).bind(node.0).fetch_all(pool).await?)
        });
        if exists.is_none() {
            return Err(StorageError::not_found("node", node));
        }
        rows.into_iter().map(Evidence::try_from).collect()
    }

    /// One piece of evidence.
    pub async fn evidence(&self, id: EvidenceId) -> Result<Evidence> {
        let sql = format!("SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE id = $1");
        let row: Option<EvidenceRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("evidence", id))?
            .try_into()
    }

    /// Records evidence for a node.
    pub async fn create_evidence(&self, node: NodeId, draft: &EvidenceDraft) -> Result<Evidence> {
        let id: i64 = in_tx!(self, conn => {
            let exists: Option<i64> = sqlx::query_scalar(NODE_EXISTS).bind(node.0).fetch_optional(&mut *conn).await?;
            if exists.is_none() {
                return Err(StorageError::not_found("node", node));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO evidence (node_id, title, evidence_date, before_text, after_text, narrative, source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(node.0)
            .bind(draft.title.as_str())
            .bind(draft.date.date())
            .bind(text(&draft.before))
            .bind(text(&draft.after))
            .bind(text(&draft.narrative))
            .bind(text(&draft.source))
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("node_id", NODE_GONE))?;
            id
        });
        Ok(evidence(EvidenceId(id), node, draft))
    }

    /// Replaces a piece of evidence's fields, if it is still at version
    /// `expected`; it stays on its node.
    pub async fn update_evidence(
        &self,
        id: EvidenceId,
        expected: i64,
        draft: &EvidenceDraft,
    ) -> Result<Versioned<Evidence>> {
        let node: i64 = in_tx!(self, conn => {
            let node = sqlx::query_scalar(
                "UPDATE evidence SET title = $1, evidence_date = $2, before_text = $3, after_text = $4, \
                 narrative = $5, source = $6, version = version + 1 WHERE id = $7 AND version = $8 RETURNING node_id",
            )
            .bind(draft.title.as_str())
            .bind(draft.date.date())
            .bind(text(&draft.before))
            .bind(text(&draft.after))
            .bind(text(&draft.narrative))
            .bind(text(&draft.source))
            .bind(id.0)
            .bind(expected)
            .fetch_optional(&mut *conn)
            .await?;
            match node {
                Some(node) => node,
                None => return Err(missed_version!(&mut *conn, EVIDENCE, id.0, expected)),
            }
        });
        Ok(Versioned {
            value: evidence(id, NodeId(node), draft),
            version: expected + 1,
        })
    }

    /// Deletes a piece of evidence; when `expected` names a version, only if
    /// it is still at that version.
    pub async fn delete_evidence(&self, id: EvidenceId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&EVIDENCE, id.0, expected).await
    }
}

fn evidence(id: EvidenceId, node: NodeId, draft: &EvidenceDraft) -> Evidence {
    Evidence {
        id,
        node_id: node,
        title: draft.title.clone(),
        date: draft.date,
        before: draft.before.clone(),
        after: draft.after.clone(),
        narrative: draft.narrative.clone(),
        source: draft.source.clone(),
    }
}
