//! Executing a plan: check-ins and their corrections, status overrides, the
//! statuses a plan's nodes roll up to, and the updates that are overdue.

use crate::records::referenced;
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::status::overdue_days;
use lodestar_domain::*;
use lodestar_storage::{CheckInRecord, MeasureHealth, NodeStatus, Versioned};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use time::Date;
use utoipa::ToSchema;

/// A node of a plan with its status, in tree order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeReport {
    /// The node.
    pub node: Node,
    /// The name of its level (`Goal`, `Objective`).
    pub level_name: String,
    /// How deep it sits: 0 for a top-level node.
    pub depth: usize,
    /// When it starts and is due: its own dates, or its horizon's.
    pub schedule: Schedule,
    /// Its status.
    pub status: NodeStatus,
}

/// A measure with its status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureReport {
    /// The measure.
    pub measure: Measure,
    /// Its status.
    pub status: MeasureHealth,
}

/// A whole plan's statuses, as of a day.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusReport {
    /// The plan.
    pub plan: Plan,
    /// The day the statuses hold for.
    pub as_of: CalendarDate,
    /// Every node, parents before children.
    pub nodes: Vec<NodeReport>,
    /// Every measure.
    pub measures: Vec<MeasureReport>,
}

/// A node whose owner owes a check-in.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OverdueNode {
    /// The node.
    pub node_id: NodeId,
    /// Its plan.
    pub plan_id: PlanId,
    /// The plan's key.
    pub plan_key: Key,
    /// The node's code.
    pub code: Option<Code>,
    /// The node's title.
    pub title: Name,
    /// Its owner, to chase.
    pub owner_id: Option<PersonId>,
    /// The owner's name.
    pub owner_name: Option<Name>,
    /// The owner's e-mail address.
    pub owner_email: Option<Email>,
    /// How often a check-in is expected.
    pub cadence: Cadence,
    /// The day of the latest check-in, if there ever was one.
    pub last_checkin: Option<CalendarDate>,
    /// How many days past due the next check-in is.
    pub days_overdue: i64,
}

fn calendar(date: Date) -> ServiceResult<CalendarDate> {
    CalendarDate::new(date).map_err(|m| ValidationError::new("date", m).into())
}

impl App {
    /// Completes a check-in draft: the author defaults to the node's owner,
    /// the date to today (never later), and a completed node is 100% done.
    async fn complete_checkin<'a>(
        &self,
        node: &Node,
        draft: &'a CheckInDraft,
    ) -> ServiceResult<CheckInRecord<'a>> {
        draft.validate()?;
        let author = draft.author_id.or(node.owner_id);
        if let Some(author) = author {
            referenced(
                self.store().get_person(author),
                "author_id",
                "person",
                author,
            )
            .await?;
        }
        let today = calendar(self.today())?;
        let date = draft.date.unwrap_or(today);
        if date > today {
            return Err(ValidationError::new(
                "date",
                format!("a check-in cannot speak for a future day ({date}; today is {today})"),
            )
            .into());
        }
        let plan = self.store().get_plan(node.plan_id).await?;
        let earliest = plan.period.start_year - 1;
        if date.date().year() < earliest {
            return Err(ValidationError::new(
                "date",
                format!(
                    "{date} is long before the plan's period ({}–{}); a check-in may be dated from {earliest} on",
                    plan.period.start_year, plan.period.end_year
                ),
            )
            .into());
        }
        let percent = match draft.status {
            ProgressStatus::Completed => Some(Percent::FULL),
            _ => draft.percent,
        };
        Ok(CheckInRecord {
            node: node.id,
            plan: node.plan_id,
            author,
            date,
            percent,
            draft,
        })
    }

    /// Files a check-in on a node.
    pub async fn file_checkin(&self, node: NodeId, draft: &CheckInDraft) -> ServiceResult<CheckIn> {
        let node = self.store().get_node(node).await?;
        if draft.reason.is_some() {
            return Err(ValidationError::new(
                "reason",
                "a reason is given only when correcting a check-in (PUT /api/v1/checkins/{id})",
            )
            .into());
        }
        let record = self.complete_checkin(&node, draft).await?;
        Ok(self.store().create_checkin(&record, self.today()).await?)
    }

    /// Corrects a filed check-in still at revision `expected`; the text it
    /// replaces is kept with the reason.
    pub async fn correct_checkin(
        &self,
        id: CheckInId,
        expected: i64,
        draft: &CheckInDraft,
    ) -> ServiceResult<CheckIn> {
        let current = self.store().get_checkin(id).await?;
        if i64::from(current.revision) != expected {
            return Err(ServiceError::Stale {
                entity: "check-in",
                id: id.to_string(),
                expected,
                current: Some(i64::from(current.revision)),
            });
        }
        let Some(reason) = &draft.reason else {
            return Err(ValidationError::new(
                "reason",
                "say why the check-in is corrected; the earlier text is kept with the reason",
            )
            .into());
        };
        let node = self.store().get_node(current.node_id).await?;
        let mut record = self.complete_checkin(&node, draft).await?;
        if draft.date.is_none() {
            record.date = current.date;
        }
        Ok(self
            .store()
            .correct_checkin(id, expected, &record, reason, self.today())
            .await?)
    }

    /// Overrides a node's computed status, with a reason, and returns the
    /// status with the override's version. `expected` names the version of
    /// the override this one replaces; `None` when the node has none.
    pub async fn set_status_override(
        &self,
        node: NodeId,
        expected: Option<i64>,
        draft: &StatusOverrideDraft,
    ) -> ServiceResult<(NodeStatus, i64)> {
        let node = self.store().get_node(node).await?;
        if let Some(by) = draft.set_by {
            referenced(self.store().get_person(by), "set_by", "person", by).await?;
        }
        let version = self
            .store()
            .set_override(node.plan_id, node.id, expected, draft, self.today())
            .await?;
        Ok((self.node_status(node.id).await?, version))
    }

    /// A node's current override with its version; 404 when it has none.
    pub async fn status_override(&self, node: NodeId) -> ServiceResult<Versioned<StatusOverride>> {
        self.store().get_node(node).await?;
        self.store()
            .status_override(node)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                entity: "status override of node",
                id: node.to_string(),
            })
    }

    /// Removes a node's override (only if still at version `expected`, when
    /// given); 404 when it had none.
    pub async fn clear_status_override(
        &self,
        node: NodeId,
        expected: Option<i64>,
    ) -> ServiceResult<NodeStatus> {
        let found = self.store().get_node(node).await?;
        if !self
            .store()
            .clear_override(found.plan_id, node, expected, self.today())
            .await?
        {
            return Err(ServiceError::NotFound {
                entity: "status override of node",
                id: node.to_string(),
            });
        }
        self.node_status(node).await
    }

    /// One node's status, brought up to date.
    pub async fn node_status(&self, node: NodeId) -> ServiceResult<NodeStatus> {
        let found = self.store().get_node(node).await?;
        self.store()
            .ensure_rollups(found.plan_id, self.today())
            .await?;
        Ok(self.store().node_status(node).await?)
    }

    /// Every status of a plan, brought up to date, nodes in tree order.
    pub async fn plan_status(&self, plan: PlanId) -> ServiceResult<StatusReport> {
        let today = self.today();
        self.store().ensure_rollups(plan, today).await?;
        let tree = self.store().plan_tree(plan).await?;
        let mut statuses: HashMap<NodeId, NodeStatus> = self
            .store()
            .plan_statuses(plan)
            .await?
            .into_iter()
            .map(|s| (s.node_id, s))
            .collect();
        let mut nodes = Vec::with_capacity(statuses.len());
        let mut depths: HashMap<NodeId, usize> = HashMap::new();
        for t in tree.walk() {
            let depth = t
                .node
                .parent_id
                .and_then(|p| depths.get(&p))
                .map_or(0, |d| d + 1);
            depths.insert(t.node.id, depth);
            if let Some(status) = statuses.remove(&t.node.id) {
                nodes.push(NodeReport {
                    schedule: t.node.schedule(tree.plan.period),
                    node: t.node.clone(),
                    level_name: t.level_name.clone(),
                    depth,
                    status,
                });
            }
        }
        let mut healths: HashMap<MeasureId, MeasureHealth> = self
            .store()
            .measure_healths(plan)
            .await?
            .into_iter()
            .map(|h| (h.measure_id, h))
            .collect();
        let measures = self
            .store()
            .plan_measures(plan)
            .await?
            .into_iter()
            .filter_map(|m| {
                healths
                    .remove(&m.id)
                    .map(|status| MeasureReport { measure: m, status })
            })
            .collect();
        Ok(StatusReport {
            plan: tree.plan,
            as_of: calendar(today)?,
            nodes,
            measures,
        })
    }

    /// The nodes whose owners owe a check-in, most overdue first: a node with
    /// a cadence, not completed, deferred or cancelled, whose latest check-in
    /// (or, if it never had one, its start) is further back than the cadence allows.
    /// Without a plan, only active plans are searched: nobody chases updates
    /// on a draft under review or an archived plan.
    pub async fn overdue(&self, plan: Option<PlanId>) -> ServiceResult<Vec<OverdueNode>> {
        let plans = match plan {
            Some(id) => vec![self.store().get_plan(id).await?],
            None => self
                .store()
                .list_plans()
                .await?
                .into_iter()
                .filter(|p| p.status == lodestar_domain::PlanStatus::Active)
                .collect(),
        };
        let today = self.today();
        let mut late = Vec::new();
        for plan in &plans {
            self.store().ensure_rollups(plan.id, today).await?;
            let statuses: HashMap<NodeId, NodeStatus> = self
                .store()
                .plan_statuses(plan.id)
                .await?
                .into_iter()
                .map(|s| (s.node_id, s))
                .collect();
            let nodes = self.store().plan_nodes(plan.id).await?;
            let pairs = nodes
                .iter()
                .filter_map(|n| statuses.get(&n.id).map(|s| (n, s)));
            late.extend(overdue_among(plan, pairs, today)?);
        }
        self.with_owners(late).await
    }

    /// The overdue nodes of a plan whose statuses are already at hand (the
    /// dashboard's), as [`App::overdue`] gives them for that plan.
    pub async fn overdue_in(&self, report: &StatusReport) -> ServiceResult<Vec<OverdueNode>> {
        let pairs = report.nodes.iter().map(|n| (&n.node, &n.status));
        let late = overdue_among(&report.plan, pairs, report.as_of.date())?;
        self.with_owners(late).await
    }

    /// Names each overdue node's owner, reading each organization's people
    /// once, and sorts them most overdue first.
    async fn with_owners(&self, mut late: Vec<OverdueNode>) -> ServiceResult<Vec<OverdueNode>> {
        let mut people: HashMap<PersonId, Person> = HashMap::new();
        let mut read: HashSet<OrganizationId> = HashSet::new();
        for n in &mut late {
            let Some(owner) = n.owner_id else { continue };
            if !people.contains_key(&owner) {
                let org = self.store().get_person(owner).await?.organization_id;
                if read.insert(org) {
                    people.extend(
                        self.store()
                            .list_people(Some(org))
                            .await?
                            .into_iter()
                            .map(|p| (p.id, p)),
                    );
                }
            }
            if let Some(p) = people.get(&owner) {
                n.owner_name = Some(p.name.clone());
                n.owner_email = p.email.clone();
            }
        }
        late.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then(a.plan_id.cmp(&b.plan_id))
                .then(a.node_id.cmp(&b.node_id))
        });
        Ok(late)
    }

    /// A check-in with the earlier texts it replaced, oldest first.
    pub async fn checkin_with_history(
        &self,
        id: CheckInId,
    ) -> ServiceResult<(CheckIn, Vec<CheckInRevision>)> {
        let checkin = self.store().get_checkin(id).await?;
        let history = self.store().checkin_revisions(id).await?;
        Ok((checkin, history))
    }
}

/// The nodes among `nodes` (with their statuses) whose owners owe a check-in
/// on `today`, owners not yet named.
fn overdue_among<'a>(
    plan: &Plan,
    nodes: impl Iterator<Item = (&'a Node, &'a NodeStatus)>,
    today: Date,
) -> ServiceResult<Vec<OverdueNode>> {
    let plan_start = Date::from_calendar_date(plan.period.start_year, time::Month::January, 1)
        .map_err(|e| ValidationError::new("period", e.to_string()))?;
    let mut out = Vec::new();
    for (node, status) in nodes {
        let reference = node
            .schedule(plan.period)
            .start
            .map_or(plan_start, CalendarDate::date);
        let closed = status.status.is_closed()
            || status
                .reported_status
                .is_some_and(ProgressStatus::is_closed);
        let Some(days) = overdue_days(
            node.cadence,
            closed,
            status.last_checkin.map(CalendarDate::date),
            reference,
            today,
        ) else {
            continue;
        };
        out.push(OverdueNode {
            node_id: node.id,
            plan_id: plan.id,
            plan_key: plan.key.clone(),
            code: node.code.clone(),
            title: node.title.clone(),
            owner_id: node.owner_id,
            owner_name: None,
            owner_email: None,
            cadence: node.cadence,
            last_checkin: status.last_checkin,
            days_overdue: days,
        });
    }
    Ok(out)
}
