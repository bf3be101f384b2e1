//! Cross-cutting tags, their attachment to nodes, and alignment links between plans.

use crate::error::{on_conflict, touched};
use crate::rows::{AlignmentRow, TagRow, convert, text};
use crate::versions::{ALIGNMENTS, TAGS, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;

pub(crate) const TAG_COLUMNS: &str = "id, plan_id, tag_key, name, description";
pub(crate) const ALIGNMENT_COLUMNS: &str = "id, from_node_id, to_node_id, note";

fn duplicate_tag(draft: &TagDraft) -> String {
    format!(
        "the plan already has a tag with key {:?}",
        draft.key.as_str()
    )
}

const DUPLICATE_LINK: &str = "these two nodes are already linked";

impl Store {
    /// Tags, of one plan or of all, by key.
    pub async fn list_tags(&self, plan: Option<PlanId>) -> Result<Vec<Tag>> {
        let sql = format!(
            "SELECT {TAG_COLUMNS} FROM tags WHERE ($1 IS NULL OR plan_id = $1) ORDER BY tag_key, id"
        );
        let rows: Vec<TagRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.map(|p| p.0)).fetch_all(pool).await?
        });
        convert(rows)
    }

    /// One tag.
    pub async fn get_tag(&self, id: TagId) -> Result<Tag> {
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags WHERE id = $1");
        let row: Option<TagRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("tag", id))?
            .try_into()
    }

    /// Creates a tag.
    pub async fn create_tag(&self, draft: &TagDraft) -> Result<Tag> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar("INSERT INTO tags (plan_id, tag_key, name, description) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(draft.plan_id.0)
                .bind(draft.key.as_str())
                .bind(draft.name.as_str())
                .bind(text(&draft.description))
                .fetch_one(&mut *conn)
                .await
                .map_err(on_conflict("key", duplicate_tag(draft)))?
        });
        Ok(tag(TagId(id), draft))
    }

    /// Replaces a tag's fields, if it is still at version `expected`.
    pub async fn update_tag(
        &self,
        id: TagId,
        expected: i64,
        draft: &TagDraft,
    ) -> Result<Versioned<Tag>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE tags SET plan_id = $1, tag_key = $2, name = $3, description = $4, version = version + 1 \
                 WHERE id = $5 AND version = $6",
            )
            .bind(draft.plan_id.0)
            .bind(draft.key.as_str())
            .bind(draft.name.as_str())
            .bind(text(&draft.description))
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("key", duplicate_tag(draft)))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, TAGS, id.0, expected));
            }
        });
        Ok(Versioned {
            value: tag(id, draft),
            version: expected + 1,
        })
    }

    /// Deletes a tag and detaches it from every node; when `expected` names
    /// a version, only if the tag is still at that version.
    pub async fn delete_tag(&self, id: TagId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&TAGS, id.0, expected).await
    }

    /// The tags attached to a node, by key.
    pub async fn node_tags(&self, node: NodeId) -> Result<Vec<Tag>> {
        let sql = "SELECT t.id, t.plan_id, t.tag_key, t.name, t.description FROM tags t \
                   JOIN node_tags nt ON nt.tag_id = t.id WHERE nt.node_id = $1 ORDER BY t.tag_key";
        let rows: Vec<TagRow> = on_backend!(self, read, pool => sqlx::query_as(sql).bind(node.0).fetch_all(pool).await?);
        convert(rows)
    }

    /// Attaches a tag to a node; attaching it twice changes nothing.
    pub async fn attach_tag(&self, node: NodeId, tag: TagId) -> Result<()> {
        in_tx!(self, conn => {
            sqlx::query("INSERT INTO node_tags (node_id, tag_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(node.0)
                .bind(tag.0)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Detaches a tag from a node.
    pub async fn detach_tag(&self, node: NodeId, tag: TagId) -> Result<()> {
        let rows = in_tx!(self, conn => {
            sqlx::query("DELETE FROM node_tags WHERE node_id = $1 AND tag_id = $2")
                .bind(node.0)
                .bind(tag.0)
                .execute(&mut *conn)
                .await?
                .rows_affected()
        });
        touched(rows, "tag on node", format!("{tag} on {node}"))
    }

    /// Alignment links, all of them or those touching one node (either end).
    pub async fn list_alignments(&self, node: Option<NodeId>) -> Result<Vec<Alignment>> {
        let sql = format!(
            "SELECT {ALIGNMENT_COLUMNS} FROM alignments \
             WHERE ($1 IS NULL OR from_node_id = $1 OR to_node_id = $1) ORDER BY id"
        );
        let rows: Vec<AlignmentRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(node.map(|n| n.0)).fetch_all(pool).await?
        });
        convert(rows)
    }

    /// One alignment link.
    pub async fn get_alignment(&self, id: AlignmentId) -> Result<Alignment> {
        let sql = format!("SELECT {ALIGNMENT_COLUMNS} FROM alignments WHERE id = $1");
        let row: Option<AlignmentRow> = on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?);
        row.ok_or_else(|| StorageError::not_found("alignment", id))?
            .try_into()
    }

    /// Creates an alignment link.
    pub async fn create_alignment(&self, draft: &AlignmentDraft) -> Result<Alignment> {
        let id: i64 = in_tx!(self, conn => {
            sqlx::query_scalar("INSERT INTO alignments (from_node_id, to_node_id, note) VALUES ($1, $2, $3) RETURNING id")
                .bind(draft.from_node_id.0)
                .bind(draft.to_node_id.0)
                .bind(text(&draft.note))
                .fetch_one(&mut *conn)
                .await
                .map_err(on_conflict("to_node_id", DUPLICATE_LINK))?
        });
        Ok(alignment(AlignmentId(id), draft))
    }

    /// Replaces an alignment link's fields, if it is still at version `expected`.
    pub async fn update_alignment(
        &self,
        id: AlignmentId,
        expected: i64,
        draft: &AlignmentDraft,
    ) -> Result<Versioned<Alignment>> {
        in_tx!(self, conn => {
            let rows = sqlx::query(
                "UPDATE alignments SET from_node_id = $1, to_node_id = $2, note = $3, version = version + 1 \
                 WHERE id = $4 AND version = $5",
            )
            .bind(draft.from_node_id.0)
            .bind(draft.to_node_id.0)
            .bind(text(&draft.note))
            .bind(id.0)
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict("to_node_id", DUPLICATE_LINK))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, ALIGNMENTS, id.0, expected));
            }
        });
        Ok(Versioned {
            value: alignment(id, draft),
            version: expected + 1,
        })
    }

    /// Deletes an alignment link; when `expected` names a version, only if
    /// the link is still at that version.
    pub async fn delete_alignment(&self, id: AlignmentId, expected: Option<i64>) -> Result<()> {
        self.delete_versioned(&ALIGNMENTS, id.0, expected).await
    }

    /// A node's alignment links in both directions, with the node and plan at the other end.
    pub async fn node_alignment_ends(&self, node: NodeId) -> Result<Vec<AlignmentEnd>> {
        let sql = "SELECT a.id, a.from_node_id = $1 AS outgoing, o.id, o.code, o.title, p.id, p.title, a.note \
                   FROM alignments a \
                   JOIN nodes o ON o.id = CASE WHEN a.from_node_id = $1 THEN a.to_node_id ELSE a.from_node_id END \
                   JOIN plans p ON p.id = o.plan_id \
                   WHERE a.from_node_id = $1 OR a.to_node_id = $1 ORDER BY p.title, o.code, a.id";
        type EndRow = (
            i64,
            bool,
            i64,
            Option<String>,
            String,
            i64,
            String,
            Option<String>,
        );
        let rows: Vec<EndRow> = on_backend!(self, read, pool => sqlx::query_as(sql).bind(node.0).fetch_all(pool).await?);
        let corrupt = |m: String| StorageError::Corrupt(format!("alignment: {m}"));
        rows.into_iter()
            .map(
                |(id, outgoing, node_id, code, title, plan_id, plan_title, note)| {
                    Ok(AlignmentEnd {
                        alignment_id: AlignmentId(id),
                        direction: if outgoing {
                            Direction::Supports
                        } else {
                            Direction::SupportedBy
                        },
                        node_id: NodeId(node_id),
                        node_code: code.map(|c| Code::parse(&c)).transpose().map_err(corrupt)?,
                        node_title: Name::parse(&title).map_err(corrupt)?,
                        plan_id: PlanId(plan_id),
                        plan_title: Name::parse(&plan_title).map_err(corrupt)?,
                        note: note
                            .map(|n| LongText::parse(&n))
                            .transpose()
                            .map_err(corrupt)?,
                    })
                },
            )
            .collect()
    }
}

fn tag(id: TagId, draft: &TagDraft) -> Tag {
    Tag {
        id,
        plan_id: draft.plan_id,
        key: draft.key.clone(),
        name: draft.name.clone(),
        description: draft.description.clone(),
    }
}

fn alignment(id: AlignmentId, draft: &AlignmentDraft) -> Alignment {
    Alignment {
        id,
        from_node_id: draft.from_node_id,
        to_node_id: draft.to_node_id,
        note: draft.note.clone(),
    }
}
