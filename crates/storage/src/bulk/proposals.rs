//! A bulk-written plan's portfolio: its organization's proposals with their
//! objective ties, reviewers' scores and stage transitions, and the staff
//! capacity and budgets the ranking's cut line is drawn against.
//!
//! Proposals name the plan's nodes, people and departments the way the rest
//! of a [`BulkPlan`](super::BulkPlan) does (positions in the document, names),
//! and accounts by address, so they can be generated before anything has an id.

use super::{BulkWriter, CHUNK};
use crate::rows::text;
use crate::{Result, StorageError};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use std::collections::HashMap;
use time::OffsetDateTime;

/// The ids of what one bulk-written plan holds.
#[derive(Debug)]
pub(super) struct Written {
    /// The plan's organization's id.
    pub organization: i64,
    /// Node ids in the flattened document's order.
    pub nodes: Vec<i64>,
    /// People ids in the document's order.
    pub people: Vec<i64>,
    /// Department ids by name.
    pub departments: HashMap<String, i64>,
}

/// An account a portfolio row names (a creator, reviewer or actor): found by
/// its address, its name kept with the row as the ordinary writes keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkAccount {
    /// The address it signs in with.
    pub email: Email,
    /// Its display name.
    pub name: Name,
}

/// An exception to the tie rule, as granted.
#[derive(Debug, Clone)]
pub struct BulkException {
    /// Why.
    pub reason: LongText,
    /// Who granted it, as an index into [`BulkPortfolio::accounts`].
    pub approver: u32,
    /// When.
    pub at: OffsetDateTime,
}

/// One reviewer's score of one criterion.
#[derive(Debug, Clone)]
pub struct BulkScore {
    /// The reviewer, as an index into [`BulkPortfolio::accounts`].
    pub reviewer: u32,
    /// The criterion.
    pub criterion: Key,
    /// 1 to 5.
    pub score: u8,
    /// Why, if said.
    pub comment: Option<String>,
    /// When it was given.
    pub at: OffsetDateTime,
}

/// One recorded move between stages.
#[derive(Debug, Clone)]
pub struct BulkTransition {
    /// The stage left.
    pub from: Key,
    /// The stage entered.
    pub to: Key,
    /// The gate's name.
    pub gate: String,
    /// Why.
    pub reason: LongText,
    /// The checklist items confirmed.
    pub checklist: Vec<String>,
    /// Who, as an index into [`BulkPortfolio::accounts`].
    pub actor: u32,
    /// When.
    pub at: OffsetDateTime,
    /// What else happened.
    pub note: Option<String>,
}

/// One proposal of the plan's organization, with everything recorded about it.
#[derive(Debug, Clone)]
pub struct BulkProposal {
    /// Its title.
    pub title: Name,
    /// The requesting department, by name.
    pub department: Option<Name>,
    /// The sponsor, as an index into the document's people.
    pub sponsor: Option<u32>,
    /// The problem it solves.
    pub problem: Option<LongText>,
    /// The benefits expected.
    pub benefits: Option<LongText>,
    /// How much is at stake.
    pub risk: RiskLevel,
    /// When the work should start.
    pub target_start: Option<CalendarDate>,
    /// When it should be done.
    pub target_end: Option<CalendarDate>,
    /// Costs per fiscal year.
    pub costs: Vec<CostLine>,
    /// Effort per role per month.
    pub effort: Vec<EffortLine>,
    /// The stage it is in now.
    pub stage: Key,
    /// The objectives it serves, as indices in the flattened document, first first.
    pub objectives: Vec<u32>,
    /// Leave to go ahead without a tie.
    pub exception: Option<BulkException>,
    /// The initiative that carries it out, once committed (index in the flattened document).
    pub node: Option<u32>,
    /// Who created it, as an index into [`BulkPortfolio::accounts`].
    pub created_by: u32,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it was first submitted.
    pub submitted_at: Option<OffsetDateTime>,
    /// Reviewers' scores.
    pub scores: Vec<BulkScore>,
    /// Its moves between stages, oldest first.
    pub transitions: Vec<BulkTransition>,
}

/// The portfolio of one bulk-written plan's organization.
#[derive(Debug, Clone, Copy)]
pub struct BulkPortfolio<'a> {
    /// The accounts its rows name; each must exist by the time it is written.
    pub accounts: &'a [BulkAccount],
    /// Its proposals.
    pub proposals: &'a [BulkProposal],
    /// Staff hours available per role and month.
    pub capacity: &'a [(StaffRole, YearMonth, u64)],
    /// Budget limits per fiscal year.
    pub budgets: &'a [(i32, BudgetLimit)],
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StorageError::Corrupt(e.to_string()))
}

fn index<T: Copy>(ids: &[T], i: u32, what: &str) -> Result<T> {
    ids.get(i as usize)
        .copied()
        .ok_or_else(|| StorageError::Corrupt(format!("bulk portfolio: no {what} at position {i}")))
}

impl BulkWriter {
    /// Writes the portfolio of `plan`'s organization: proposals tied to its
    /// nodes, their scores and transitions, capacity and budgets. `plan` must
    /// have been written by this writer. Returns how many rows were written.
    pub async fn write_portfolio(
        &mut self,
        plan: PlanId,
        portfolio: &BulkPortfolio<'_>,
    ) -> Result<u64> {
        let written = self.written.remove(&plan.0).ok_or_else(|| {
            StorageError::Corrupt(format!("plan {plan} was not written by this bulk writer"))
        })?;
        let result = self.portfolio_rows(plan.0, &written, portfolio).await;
        self.written.insert(plan.0, written);
        result
    }

    async fn portfolio_rows(
        &mut self,
        plan: i64,
        w: &Written,
        p: &BulkPortfolio<'_>,
    ) -> Result<u64> {
        let accounts = self.account_ids(p.accounts).await?;
        let ids = self
            .proposal_rows(plan, w, &accounts, p.accounts, p.proposals)
            .await?;
        let ties: Vec<(i64, i64, i32)> = ids
            .iter()
            .zip(p.proposals)
            .flat_map(|(id, bp)| {
                bp.objectives
                    .iter()
                    .enumerate()
                    .map(move |(pos, n)| (*id, *n, pos))
            })
            .map(|(id, n, pos)| {
                Ok((
                    id,
                    index(&w.nodes, n, "node")?,
                    i32::try_from(pos).unwrap_or(i32::MAX),
                ))
            })
            .collect::<Result<_>>()?;
        insert_chunks!(
            self.tx,
            ties,
            "INSERT INTO proposal_objectives (proposal_id, node_id, position) ",
            "",
            |b, t| b.push_bind(t.0).push_bind(t.1).push_bind(t.2)
        );
        let scores: Vec<(i64, &BulkScore)> = ids
            .iter()
            .zip(p.proposals)
            .flat_map(|(id, bp)| bp.scores.iter().map(move |s| (*id, s)))
            .collect();
        for (_, s) in &scores {
            index(&accounts, s.reviewer, "account")?;
        }
        insert_chunks!(
            self.tx,
            scores,
            "INSERT INTO proposal_scores (proposal_id, reviewer_id, reviewer_name, criterion, score, comment, \
             created_at, updated_at) ",
            "",
            |b, r| {
                let (id, s) = r;
                b.push_bind(*id)
                    .push_bind(accounts[s.reviewer as usize])
                    .push_bind(p.accounts[s.reviewer as usize].name.as_str())
                    .push_bind(s.criterion.as_str())
                    .push_bind(i32::from(s.score))
                    .push_bind(s.comment.as_deref())
                    .push_bind(s.at)
                    .push_bind(s.at)
            }
        );
        let mut moves: Vec<(i64, &BulkTransition, String)> = Vec::new();
        for (id, bp) in ids.iter().zip(p.proposals) {
            for t in &bp.transitions {
                index(&accounts, t.actor, "account")?;
                moves.push((*id, t, to_json(&t.checklist)?));
            }
        }
        insert_chunks!(
            self.tx,
            moves,
            "INSERT INTO proposal_transitions (proposal_id, from_stage, to_stage, gate, reason, checklist_json, \
             actor_id, actor_name, at, note) ",
            "",
            |b, r| {
                let (id, t, checklist) = r;
                b.push_bind(*id)
                    .push_bind(t.from.as_str())
                    .push_bind(t.to.as_str())
                    .push_bind(t.gate.as_str())
                    .push_bind(t.reason.as_str())
                    .push_bind(checklist.as_str())
                    .push_bind(accounts[t.actor as usize])
                    .push_bind(p.accounts[t.actor as usize].name.as_str())
                    .push_bind(t.at)
                    .push_bind(t.note.as_deref())
            }
        );
        let capacity: Vec<(&StaffRole, String, i64)> = p
            .capacity
            .iter()
            .map(|(role, month, hours)| {
                let hours = i64::try_from(*hours).map_err(|_| {
                    StorageError::Invalid(ValidationError::new("hours", "is too large"))
                })?;
                Ok((role, month.to_string(), hours))
            })
            .collect::<Result<_>>()?;
        let org = w.organization;
        insert_chunks!(
            self.tx,
            capacity,
            "INSERT INTO staff_capacity (organization_id, role, month, hours) ",
            "",
            |b, c| b
                .push_bind(org)
                .push_bind(c.0.as_str())
                .push_bind(c.1.as_str())
                .push_bind(c.2)
        );
        insert_chunks!(
            self.tx,
            p.budgets,
            "INSERT INTO budgets (organization_id, fiscal_year, capital, operating) ",
            "",
            |b, r| b
                .push_bind(org)
                .push_bind(r.0)
                .push_bind(r.1.capital.cents())
                .push_bind(r.1.operating.cents())
        );
        Ok(
            (ids.len() + ties.len() + scores.len() + moves.len() + capacity.len() + p.budgets.len())
                as u64,
        )
    }

    /// The ids of `accounts`, in order; an address no account has is an error.
    async fn account_ids(&mut self, accounts: &[BulkAccount]) -> Result<Vec<i64>> {
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(accounts.len());
        for chunk in accounts.chunks(CHUNK) {
            let rows: Vec<(String, i64)> = on_tx!(&mut self.tx, conn => {
                let mut q = sqlx::QueryBuilder::new("SELECT email, id FROM users WHERE email IN (");
                let mut list = q.separated(", ");
                for a in chunk {
                    list.push_bind(a.email.as_str());
                }
                q.push(")");
                q.build_query_as().fetch_all(&mut *conn).await?
            });
            ids.extend(rows);
        }
        accounts
            .iter()
            .map(|a| {
                ids.get(a.email.as_str()).copied().ok_or_else(|| {
                    StorageError::Corrupt(format!(
                        "bulk portfolio: no account has the address {}",
                        a.email.as_str()
                    ))
                })
            })
            .collect()
    }

    /// Inserts the proposals and returns their ids in `rows`' order. Each
    /// statement numbers its rows in the order of its `VALUES` (on both
    /// backends), so the ids it returns, sorted, follow the rows.
    async fn proposal_rows(
        &mut self,
        plan: i64,
        w: &Written,
        accounts: &[i64],
        named: &[BulkAccount],
        rows: &[BulkProposal],
    ) -> Result<Vec<i64>> {
        struct Row<'a> {
            p: &'a BulkProposal,
            department: Option<i64>,
            sponsor: Option<i64>,
            node: Option<i64>,
            created_by: (i64, &'a str),
            exception_by: Option<(i64, &'a str)>,
            costs: String,
            effort: String,
        }
        let account = |i: u32| -> Result<(i64, &str)> {
            Ok((
                index(accounts, i, "account")?,
                named[i as usize].name.as_str(),
            ))
        };
        let prepared: Vec<Row> = rows
            .iter()
            .map(|p| {
                Ok(Row {
                    p,
                    department: p
                        .department
                        .as_ref()
                        .and_then(|d| w.departments.get(d.as_str()).copied()),
                    sponsor: p
                        .sponsor
                        .map(|s| index(&w.people, s, "person"))
                        .transpose()?,
                    node: p.node.map(|n| index(&w.nodes, n, "node")).transpose()?,
                    created_by: account(p.created_by)?,
                    exception_by: p
                        .exception
                        .as_ref()
                        .map(|e| account(e.approver))
                        .transpose()?,
                    costs: to_json(&p.costs)?,
                    effort: to_json(&p.effort)?,
                })
            })
            .collect::<Result<_>>()?;
        let mut ids = Vec::with_capacity(rows.len());
        for chunk in prepared.chunks(CHUNK) {
            let mut got: Vec<i64> = on_tx!(&mut self.tx, conn => {
                let mut q = sqlx::QueryBuilder::new(
                    "INSERT INTO proposals (organization_id, plan_id, title, department_id, sponsor_id, problem, \
                     benefits, risk, target_start, target_end, links_json, costs_json, effort_json, stage, \
                     exception_reason, exception_by, exception_by_name, exception_at, node_id, created_by, \
                     created_by_name, created_at, submitted_at) ",
                );
                q.push_values(chunk, |mut b, r| {
                    let p = r.p;
                    let exception = p.exception.as_ref();
                    b.push_bind(w.organization)
                        .push_bind(plan)
                        .push_bind(p.title.as_str())
                        .push_bind(r.department)
                        .push_bind(r.sponsor)
                        .push_bind(text(&p.problem))
                        .push_bind(text(&p.benefits))
                        .push_bind(p.risk.as_str())
                        .push_bind(p.target_start.map(CalendarDate::date))
                        .push_bind(p.target_end.map(CalendarDate::date))
                        .push_bind("[]")
                        .push_bind(r.costs.as_str())
                        .push_bind(r.effort.as_str())
                        .push_bind(p.stage.as_str())
                        .push_bind(exception.map(|e| e.reason.as_str()))
                        .push_bind(r.exception_by.map(|(id, _)| id))
                        .push_bind(r.exception_by.map(|(_, name)| name))
                        .push_bind(exception.map(|e| e.at))
                        .push_bind(r.node)
                        .push_bind(r.created_by.0)
                        .push_bind(r.created_by.1)
                        .push_bind(p.created_at)
                        .push_bind(p.submitted_at);
                });
                q.push(" RETURNING id");
                q.build_query_scalar().fetch_all(&mut *conn).await?
            });
            got.sort_unstable();
            ids.extend(got);
        }
        Ok(ids)
    }
}
