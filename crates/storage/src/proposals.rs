//! Portfolio proposals: their fields, their ties to objectives, and every
//! move between stages (with the initiative an approval creates, written in
//! the same transaction).

use crate::error::on_conflict;
use crate::nodes::{MARK_PLAN_STALE, bind_node_columns};
use crate::rows::text;
use crate::versions::{PROPOSALS, Versioned};
use crate::{Result, StorageError, Store};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

const PROPOSAL_COLUMNS: &str = "id, organization_id, plan_id, title, department_id, sponsor_id, problem, benefits, \
     risk, target_start, target_end, links_json, costs_json, effort_json, stage, exception_reason, exception_by, \
     exception_by_name, exception_at, node_id, created_by, created_by_name, created_at, submitted_at, version";

const TRANSITION_COLUMNS: &str = "id, proposal_id, from_stage, to_stage, gate, reason, checklist_json, actor_id, actor_name, at, note";

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    organization_id: i64,
    plan_id: Option<i64>,
    title: String,
    department_id: Option<i64>,
    sponsor_id: Option<i64>,
    problem: Option<String>,
    benefits: Option<String>,
    risk: String,
    target_start: Option<Date>,
    target_end: Option<Date>,
    links_json: String,
    costs_json: String,
    effort_json: String,
    stage: String,
    exception_reason: Option<String>,
    exception_by: Option<i64>,
    exception_by_name: Option<String>,
    exception_at: Option<OffsetDateTime>,
    node_id: Option<i64>,
    created_by: Option<i64>,
    created_by_name: String,
    created_at: OffsetDateTime,
    submitted_at: Option<OffsetDateTime>,
    version: i64,
}

fn corrupt(what: &'static str) -> impl Fn(String) -> StorageError {
    move |m| StorageError::Corrupt(format!("proposal {what}: {m}"))
}

fn json<T: serde::de::DeserializeOwned>(what: &'static str, raw: &str) -> Result<T> {
    serde_json::from_str(raw).map_err(|e| corrupt(what)(e.to_string()))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Corrupt(e.to_string()))
}

fn long(what: &'static str, raw: Option<String>) -> Result<Option<LongText>> {
    raw.map(|r| LongText::parse(&r).map_err(corrupt(what)))
        .transpose()
}

fn day(what: &'static str, raw: Option<Date>) -> Result<Option<CalendarDate>> {
    raw.map(|d| CalendarDate::new(d).map_err(corrupt(what)))
        .transpose()
}

impl ProposalRow {
    fn into_proposal(self, objectives: Vec<NodeId>) -> Result<Versioned<Proposal>> {
        let exception = match (
            self.exception_reason,
            self.exception_by_name,
            self.exception_at,
        ) {
            (Some(reason), Some(name), Some(at)) => Some(ProposalException {
                reason: LongText::parse(&reason).map_err(corrupt("exception reason"))?,
                approver_id: self.exception_by.map(UserId),
                approver_name: Name::parse(&name).map_err(corrupt("exception approver"))?,
                granted_at: at,
            }),
            _ => None,
        };
        let draft = ProposalDraft {
            organization_id: OrganizationId(self.organization_id),
            plan_id: self.plan_id.map(PlanId),
            title: Name::parse(&self.title).map_err(corrupt("title"))?,
            department_id: self.department_id.map(DepartmentId),
            sponsor_id: self.sponsor_id.map(PersonId),
            problem: long("problem", self.problem)?,
            benefits: long("benefits", self.benefits)?,
            risk: self.risk.parse().map_err(corrupt("risk"))?,
            target_start: day("target start", self.target_start)?,
            target_end: day("target end", self.target_end)?,
            links: json("links", &self.links_json)?,
            costs: json("costs", &self.costs_json)?,
            effort: json("effort", &self.effort_json)?,
            objectives,
        };
        Ok(Versioned {
            value: Proposal {
                id: ProposalId(self.id),
                draft,
                stage: Key::parse(&self.stage).map_err(corrupt("stage"))?,
                exception,
                node_id: self.node_id.map(NodeId),
                created_by: self.created_by.map(UserId),
                created_by_name: self.created_by_name,
                created_at: self.created_at,
                submitted_at: self.submitted_at,
            },
            version: self.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TransitionRow {
    id: i64,
    proposal_id: i64,
    from_stage: String,
    to_stage: String,
    gate: String,
    reason: String,
    checklist_json: String,
    actor_id: Option<i64>,
    actor_name: String,
    at: OffsetDateTime,
    note: Option<String>,
}

impl TryFrom<TransitionRow> for Transition {
    type Error = StorageError;
    fn try_from(r: TransitionRow) -> Result<Self> {
        Ok(Self {
            id: r.id,
            proposal_id: ProposalId(r.proposal_id),
            from: Key::parse(&r.from_stage).map_err(corrupt("transition stage"))?,
            to: Key::parse(&r.to_stage).map_err(corrupt("transition stage"))?,
            gate: r.gate,
            reason: LongText::parse(&r.reason).map_err(corrupt("transition reason"))?,
            checklist: json("transition checklist", &r.checklist_json)?,
            actor_id: r.actor_id.map(UserId),
            actor_name: r.actor_name,
            at: r.at,
            note: r.note,
        })
    }
}

/// Who creates a proposal, and when.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    /// The account.
    pub user_id: Option<UserId>,
    /// Its name, kept with the record.
    pub name: &'a str,
    /// When.
    pub at: OffsetDateTime,
}

/// The initiative an approval creates, and the other objectives it is aligned to.
#[derive(Debug, Clone)]
pub struct NewInitiative<'a> {
    /// The node, under the proposal's first objective.
    pub draft: &'a NodeDraft,
    /// Its level (one below the objective's).
    pub level: u8,
    /// The proposal's other objectives: each gets an alignment link from the new node.
    pub also_serves: &'a [NodeId],
}

/// A move of a proposal between stages, to record.
#[derive(Debug, Clone)]
pub struct NewTransition<'a> {
    /// The proposal.
    pub proposal: ProposalId,
    /// The version the caller read it at; the move fails if it has changed since.
    pub expected: i64,
    /// The stage it is in.
    pub from: &'a Key,
    /// The stage it goes to.
    pub to: &'a Key,
    /// The gate's name.
    pub gate: &'a str,
    /// Why.
    pub reason: &'a LongText,
    /// The checklist items confirmed.
    pub checklist: &'a [String],
    /// Who, and when.
    pub actor: Author<'a>,
    /// What else happened, for the record.
    pub note: Option<String>,
    /// The initiative to create, on a first approval with a tie.
    pub initiative: Option<NewInitiative<'a>>,
}

/// Binds a proposal draft's columns `$1`…`$14`, in the order of the statements below.
macro_rules! bind_proposal {
    ($query:expr, $d:expr, $links:expr, $costs:expr, $effort:expr) => {
        $query
            .bind($d.organization_id.0)
            .bind($d.plan_id.map(|p| p.0))
            .bind($d.title.as_str())
            .bind($d.department_id.map(|p| p.0))
            .bind($d.sponsor_id.map(|p| p.0))
            .bind(text(&$d.problem))
            .bind(text(&$d.benefits))
            .bind($d.risk.as_str())
            .bind($d.target_start.map(CalendarDate::date))
            .bind($d.target_end.map(CalendarDate::date))
            .bind($links)
            .bind($costs)
            .bind($effort)
    };
}

/// Replaces the objective ties of proposal `$id` with `$objectives`, on `$conn`.
macro_rules! write_ties {
    ($conn:expr, $id:expr, $objectives:expr) => {{
        sqlx::query("DELETE FROM proposal_objectives WHERE proposal_id = $1")
            .bind($id)
            .execute(&mut *$conn)
            .await?;
        for (position, node) in $objectives.iter().enumerate() {
            sqlx::query("INSERT INTO proposal_objectives (proposal_id, node_id, position) VALUES ($1, $2, $3)")
                .bind($id)
                .bind(node.0)
                .bind(i32::try_from(position).unwrap_or(i32::MAX))
                .execute(&mut *$conn)
                .await
                .map_err(on_conflict("objectives", "an objective was deleted while the proposal was saved"))?;
        }
    }};
}

impl Store {
    /// One proposal, with its version.
    pub async fn get_proposal(&self, id: ProposalId) -> Result<Versioned<Proposal>> {
        let sql = format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1");
        let (row, ties): (Option<ProposalRow>, Vec<(i64,)>) = on_backend!(self, read, pool => {
            let row = sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?;
            let ties = sqlx::query_as("SELECT node_id FROM proposal_objectives WHERE proposal_id = $1 ORDER BY position, id")
                .bind(id.0).fetch_all(pool).await?;
            (row, ties)
        });
        let row = row.ok_or_else(|| StorageError::not_found("proposal", id))?;
        row.into_proposal(ties.into_iter().map(|(n,)| NodeId(n)).collect())
    }

    /// Every proposal, of one organization or of all, oldest first.
    pub async fn list_proposals(
        &self,
        organization: Option<OrganizationId>,
    ) -> Result<Vec<Versioned<Proposal>>> {
        let sql = format!(
            "SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE ($1 IS NULL OR organization_id = $1) ORDER BY id"
        );
        let org = organization.map(|o| o.0);
        let (rows, ties): (Vec<ProposalRow>, Vec<(i64, i64)>) = on_backend!(self, read, pool => {
            let rows = sqlx::query_as(&sql).bind(org).fetch_all(pool).await?;
            let ties = sqlx::query_as(
                "SELECT t.proposal_id, t.node_id FROM proposal_objectives t JOIN proposals p ON p.id = t.proposal_id \
                 WHERE ($1 IS NULL OR p.organization_id = $1) ORDER BY t.proposal_id, t.position, t.id",
            )
            .bind(org)
            .fetch_all(pool)
            .await?;
            (rows, ties)
        });
        let mut by_proposal: HashMap<i64, Vec<NodeId>> = HashMap::new();
        for (p, n) in ties {
            by_proposal.entry(p).or_default().push(NodeId(n));
        }
        rows.into_iter()
            .map(|r| {
                let ties = by_proposal.remove(&r.id).unwrap_or_default();
                r.into_proposal(ties)
            })
            .collect()
    }

    /// Stores a new proposal in the `draft` stage.
    pub async fn create_proposal(
        &self,
        draft: &ProposalDraft,
        author: Author<'_>,
    ) -> Result<Versioned<Proposal>> {
        let (links, costs, effort) = (
            to_json(&draft.links)?,
            to_json(&draft.costs)?,
            to_json(&draft.effort)?,
        );
        let id: i64 = in_tx!(self, conn => {
            let id: i64 = bind_proposal!(
                sqlx::query_scalar(
                    "INSERT INTO proposals (organization_id, plan_id, title, department_id, sponsor_id, problem, benefits, \
                     risk, target_start, target_end, links_json, costs_json, effort_json, stage, created_by, created_by_name, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'draft', $14, $15, $16) RETURNING id",
                ),
                draft, &links, &costs, &effort
            )
            .bind(author.user_id.map(|u| u.0))
            .bind(author.name)
            .bind(author.at)
            .fetch_one(&mut *conn)
            .await
            .map_err(on_conflict("organization_id", "a record the proposal names was deleted meanwhile"))?;
            write_ties!(conn, id, draft.objectives);
            id
        });
        self.get_proposal(ProposalId(id)).await
    }

    /// Replaces a draft proposal's fields, if it is still at version
    /// `expected` and still a draft (a submitted proposal is not edited).
    pub async fn update_proposal(
        &self,
        id: ProposalId,
        expected: i64,
        draft: &ProposalDraft,
    ) -> Result<Versioned<Proposal>> {
        let (links, costs, effort) = (
            to_json(&draft.links)?,
            to_json(&draft.costs)?,
            to_json(&draft.effort)?,
        );
        in_tx!(self, conn => {
            let done: Option<i64> = bind_proposal!(
                sqlx::query_scalar(
                    "UPDATE proposals SET organization_id = $1, plan_id = $2, title = $3, department_id = $4, sponsor_id = $5, \
                     problem = $6, benefits = $7, risk = $8, target_start = $9, target_end = $10, links_json = $11, \
                     costs_json = $12, effort_json = $13, version = version + 1 \
                     WHERE id = $14 AND version = $15 AND stage = 'draft' RETURNING id",
                ),
                draft, &links, &costs, &effort
            )
            .bind(id.0)
            .bind(expected)
            .fetch_optional(&mut *conn)
            .await
            .map_err(on_conflict("organization_id", "a record the proposal names was deleted meanwhile"))?;
            if done.is_none() {
                let stage: Option<String> = sqlx::query_scalar("SELECT stage FROM proposals WHERE id = $1 AND version = $2")
                    .bind(id.0).bind(expected).fetch_optional(&mut *conn).await?;
                return Err(match stage {
                    Some(stage) => StorageError::conflict("stage", format!("the proposal is {stage}, no longer a draft; only drafts are edited")),
                    None => missed_version!(&mut *conn, PROPOSALS, id.0, expected),
                });
            }
            write_ties!(conn, id.0, draft.objectives);
        });
        self.get_proposal(id).await
    }

    /// Records an exception to the tie rule on a proposal at version `expected`.
    pub async fn grant_proposal_exception(
        &self,
        id: ProposalId,
        expected: i64,
        exception: &ProposalException,
    ) -> Result<Versioned<Proposal>> {
        in_tx!(self, conn => {
            let done: Option<i64> = sqlx::query_scalar(
                "UPDATE proposals SET exception_reason = $1, exception_by = $2, exception_by_name = $3, exception_at = $4, \
                 version = version + 1 WHERE id = $5 AND version = $6 RETURNING id",
            )
            .bind(exception.reason.as_str())
            .bind(exception.approver_id.map(|u| u.0))
            .bind(exception.approver_name.as_str())
            .bind(exception.granted_at)
            .bind(id.0)
            .bind(expected)
            .fetch_optional(&mut *conn)
            .await?;
            if done.is_none() {
                return Err(missed_version!(&mut *conn, PROPOSALS, id.0, expected));
            }
        });
        self.get_proposal(id).await
    }

    /// Moves a proposal between stages and records the move, all in one
    /// transaction: on a first approval it also creates the initiative,
    /// links it to the proposal, and aligns it to the proposal's other
    /// objectives. Fails (`Stale`) if the proposal moved on since `expected`.
    pub async fn record_transition(
        &self,
        t: &NewTransition<'_>,
    ) -> Result<(Transition, Option<NodeId>)> {
        let checklist = to_json(&t.checklist)?;
        let mut tx = self.begin().await?;
        if let Some(init) = &t.initiative {
            tx.lock_plan(init.draft.plan_id).await?;
        }
        let (id, node) = on_tx!(&mut tx, conn => {
            let moved: Option<i64> = sqlx::query_scalar(
                "UPDATE proposals SET stage = $1, version = version + 1, \
                 submitted_at = CASE WHEN $2 = 'draft' THEN COALESCE(submitted_at, $3) ELSE submitted_at END \
                 WHERE id = $4 AND version = $5 AND stage = $2 RETURNING id",
            )
            .bind(t.to.as_str())
            .bind(t.from.as_str())
            .bind(t.actor.at)
            .bind(t.proposal.0)
            .bind(t.expected)
            .fetch_optional(&mut *conn)
            .await?;
            if moved.is_none() {
                return Err(missed_version!(&mut *conn, PROPOSALS, t.proposal.0, Some(t.expected)));
            }
            let mut node = None;
            if let Some(init) = &t.initiative {
                let draft = init.draft;
                let last: Option<i32> = sqlx::query_scalar("SELECT MAX(position) FROM nodes WHERE parent_id = $1")
                    .bind(draft.parent_id.map(|p| p.0))
                    .fetch_one(&mut *conn)
                    .await?;
                let position = last.map_or(0, |p| p.saturating_add(1));
                let id: i64 = bind_node_columns!(
                    sqlx::query_scalar(
                        "INSERT INTO nodes (plan_id, parent_id, code, title, description, level, position, owner_id, \
                         sponsor_id, department_id, horizon, start_date, due_date, weight, cadence) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                    ),
                    draft,
                    init.level,
                    position
                )
                .fetch_one(&mut *conn)
                .await
                .map_err(on_conflict("objectives", "the objective was deleted while the proposal was approved"))?;
                sqlx::query(MARK_PLAN_STALE).bind(draft.plan_id.0).execute(&mut *conn).await?;
                for other in init.also_serves {
                    sqlx::query("INSERT INTO alignments (from_node_id, to_node_id, note) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(other.0)
                        .bind(format!("proposal {} also serves this objective", t.proposal))
                        .execute(&mut *conn)
                        .await
                        .map_err(on_conflict("objectives", "an objective was deleted while the proposal was approved"))?;
                }
                sqlx::query("UPDATE proposals SET node_id = $1 WHERE id = $2")
                    .bind(id)
                    .bind(t.proposal.0)
                    .execute(&mut *conn)
                    .await?;
                node = Some(NodeId(id));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO proposal_transitions (proposal_id, from_stage, to_stage, gate, reason, checklist_json, \
                 actor_id, actor_name, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(t.proposal.0)
            .bind(t.from.as_str())
            .bind(t.to.as_str())
            .bind(t.gate)
            .bind(t.reason.as_str())
            .bind(&checklist)
            .bind(t.actor.user_id.map(|u| u.0))
            .bind(t.actor.name)
            .bind(t.actor.at)
            .bind(&t.note)
            .fetch_one(&mut *conn)
            .await?;
            (id, node)
        });
        tx.commit().await?;
        Ok((
            Transition {
                id,
                proposal_id: t.proposal,
                from: t.from.clone(),
                to: t.to.clone(),
                gate: t.gate.to_owned(),
                reason: t.reason.clone(),
                checklist: t.checklist.to_vec(),
                actor_id: t.actor.user_id,
                actor_name: t.actor.name.to_owned(),
                at: t.actor.at,
                note: t.note.clone(),
            },
            node,
        ))
    }

    /// A proposal's transitions, oldest first.
    pub async fn proposal_transitions(&self, id: ProposalId) -> Result<Vec<Transition>> {
        let sql = format!(
            "SELECT {TRANSITION_COLUMNS} FROM proposal_transitions WHERE proposal_id = $1 ORDER BY id"
        );
        let rows: Vec<TransitionRow> =
            on_backend!(self, read, pool => sqlx::query_as(&sql).bind(id.0).fetch_all(pool).await?);
        rows.into_iter().map(Transition::try_from).collect()
    }

    /// The organizations that have at least one proposal, each once: read
    /// from the index on `(organization_id, stage)`, without loading any
    /// proposal (a page that picks the first of them need not read them all).
    pub async fn organizations_with_proposals(&self) -> Result<Vec<OrganizationId>> {
        let ids: Vec<i64> = on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT DISTINCT organization_id FROM proposals ORDER BY organization_id")
                .fetch_all(pool).await?
        });
        Ok(ids.into_iter().map(OrganizationId).collect())
    }

    /// The stages an organization's proposals are in, each once.
    pub async fn proposal_stages_in_use(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<String>> {
        Ok(on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT DISTINCT stage FROM proposals WHERE organization_id = $1 ORDER BY stage")
                .bind(organization.0).fetch_all(pool).await?
        }))
    }
}
