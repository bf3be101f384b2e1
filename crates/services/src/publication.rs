//! Publication and the public portal's one door to the data.
//!
//! A plan is private until published; once published, each of its nodes is
//! public unless it or an ancestor is withheld. [`App::public_plan`] is the
//! only place that decides what an anonymous visitor may read: it returns a
//! [`PublicPlan`] built from public fields only (no people, no e-mail
//! addresses, no help-needed text, no override reasons, no evidence
//! narratives, no observation notes, no check-in links or corrections), and
//! every public page and download is drawn from that value; the public report
//! card ([`App::public_report_card`]) keeps the same nodes. What is and is not
//! published is documented in docs/open-data.md.

use crate::memo::Memoizable;
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::grade::GradingRule;
use lodestar_domain::report_card::ReportCard;
use lodestar_domain::status::Health;
use lodestar_domain::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use utoipa::ToSchema;

/// A published plan as the public may read it: its published nodes in tree
/// order and their measures, statuses as of `as_of`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPlan {
    /// The plan's identifier.
    pub id: PlanId,
    /// Its key, which names it in public addresses (`/public/plans/{key}`).
    pub key: Key,
    /// Its title.
    pub title: Name,
    /// The organization whose plan it is.
    pub organization: Name,
    /// The years it covers.
    pub period: Period,
    /// Draft, active or archived.
    pub status: PlanStatus,
    /// Its vision statement.
    pub vision: Option<LongText>,
    /// Its mission statement.
    pub mission: Option<LongText>,
    /// Its guiding principles.
    pub principles: Vec<Principle>,
    /// The day it was (first) published.
    pub published_on: CalendarDate,
    /// The day the statuses hold for.
    pub as_of: CalendarDate,
    /// Every published node, parents before children.
    pub nodes: Vec<PublicNode>,
    /// Every measure of a published node, in node order then position.
    pub measures: Vec<PublicMeasure>,
}

impl Memoizable for Arc<PublicPlan> {
    /// An estimate: the node titles, and a fixed share per node, measure,
    /// check-in, milestone, evidence and value.
    fn weight(&self) -> usize {
        let nodes: usize = self
            .nodes
            .iter()
            .map(|n| {
                256 + n.title.as_str().len()
                    + 256 * (n.checkins.len() + n.milestones.len() + n.evidence.len())
            })
            .sum();
        let measures: usize = self
            .measures
            .iter()
            .map(|m| 512 + 64 * m.observations.len())
            .sum();
        1024 + nodes + measures
    }
}

/// A published node (goal, objective, initiative…).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicNode {
    /// Its identifier, which names it in public addresses.
    pub id: NodeId,
    /// Its parent; none for a top-level node.
    pub parent_id: Option<NodeId>,
    /// Its code (`G1`, `1.2`).
    pub code: Option<Code>,
    /// Its title.
    pub title: Name,
    /// Its description.
    pub description: Option<LongText>,
    /// Its level, from 1 for goals.
    pub level: u8,
    /// The name of its level (`Goal`, `Objective`).
    pub level_name: String,
    /// How deep it sits: 0 for a top-level node.
    pub depth: usize,
    /// When it starts and is due.
    pub schedule: Schedule,
    /// The status shown.
    pub status: ProgressStatus,
    /// The percent done, when known.
    pub progress: Option<f64>,
    /// The weighted health score from 0 to 100, when anything contributes one.
    pub score: Option<f64>,
    /// The day of the latest check-in.
    pub last_checkin: Option<CalendarDate>,
    /// Its check-ins as summaries, latest first.
    pub checkins: Vec<PublicCheckIn>,
    /// Its milestones, in order.
    pub milestones: Vec<PublicMilestone>,
    /// Its evidence (outcomes achieved), latest first.
    pub evidence: Vec<PublicEvidence>,
}

/// The public summary of a check-in: no author, help needed, links or corrections.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCheckIn {
    /// The day it speaks for.
    pub date: CalendarDate,
    /// Where the node stood.
    pub status: ProgressStatus,
    /// How much of the work was done.
    pub percent: Option<f64>,
    /// What happened.
    pub happened: Option<LongText>,
    /// What comes next.
    pub next: Option<LongText>,
}

/// A milestone of a published node.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicMilestone {
    /// What is to be done.
    pub title: Name,
    /// When it is due.
    pub due_date: Option<CalendarDate>,
    /// When it was done.
    pub done_date: Option<CalendarDate>,
}

/// Evidence of a published node, without its narrative.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicEvidence {
    /// The outcome in one line.
    pub title: Name,
    /// When it was observed.
    pub date: CalendarDate,
    /// How things were before.
    pub before: Option<Name>,
    /// How things are after.
    pub after: Option<Name>,
    /// Where the figures come from.
    pub source: Option<Name>,
}

/// A measure of a published node, with its values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicMeasure {
    /// Its identifier.
    pub id: MeasureId,
    /// The node it measures.
    pub node_id: NodeId,
    /// Its key within the plan.
    pub key: MeasureKey,
    /// Its name.
    pub name: Name,
    /// Its description.
    pub description: Option<LongText>,
    /// Its unit.
    pub unit: Option<Name>,
    /// Whether higher or lower is better.
    pub direction: MeasureDirection,
    /// Where it started.
    pub baseline: Option<Baseline>,
    /// What it aims for.
    pub targets: Vec<Target>,
    /// The limits that make a value green, amber or red.
    pub thresholds: Thresholds,
    /// How often it is measured.
    pub frequency: Frequency,
    /// Where its values come from.
    pub data_source: Option<Name>,
    /// Whether its values are calculated from other measures.
    pub calculated: bool,
    /// Green, amber or red; none for no data.
    #[schema(value_type = Option<String>)]
    pub health: Option<Health>,
    /// The period of the latest value.
    pub latest_period: Option<ReportingPeriod>,
    /// The latest value.
    pub latest_value: Option<f64>,
    /// Its values, oldest period first.
    pub observations: Vec<PublicObservation>,
}

/// One value of a published measure (no note).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicObservation {
    /// The period it is for.
    pub period: ReportingPeriod,
    /// The value; none where a calculated measure has none.
    pub value: Option<f64>,
    /// The day it was observed.
    pub observed_on: Option<CalendarDate>,
    /// Where it comes from.
    pub source: Option<Name>,
}

/// A published plan's report card for one year, with the years a report
/// card may be asked for.
#[derive(Debug, Clone)]
pub struct PublicReportCard {
    /// The card, drawn from published content only.
    pub card: ReportCard,
    /// The plan's period: report cards cover the year before it to its last.
    pub plan_period: Period,
}

/// A published plan as the portal's front page lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPlanSummary {
    /// Its key.
    pub key: Key,
    /// Its title.
    pub title: Name,
    /// The organization whose plan it is.
    pub organization: Name,
    /// The years it covers.
    pub period: Period,
    /// The day it was published.
    pub published_on: CalendarDate,
}

impl PublicPlan {
    /// The published node with this id.
    pub fn node(&self, id: NodeId) -> Option<&PublicNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// The published children of a node (of the plan for `None`), in order.
    pub fn children(&self, parent: Option<NodeId>) -> impl Iterator<Item = &PublicNode> {
        self.nodes.iter().filter(move |n| n.parent_id == parent)
    }

    /// The measures of a node, in order.
    pub fn measures_of(&self, node: NodeId) -> impl Iterator<Item = &PublicMeasure> {
        self.measures.iter().filter(move |m| m.node_id == node)
    }
}

/// The one answer for an unknown, unpublished or withheld thing, so that the
/// public cannot tell them apart.
fn not_public(what: &'static str, id: impl ToString) -> ServiceError {
    ServiceError::NotFound {
        entity: what,
        id: id.to_string(),
    }
}

/// The nodes of a published plan the public may see: those not withheld
/// whose ancestors are all visible (`nodes` in tree order).
fn public_nodes(nodes: &[crate::NodeReport], withheld: &HashSet<NodeId>) -> HashSet<NodeId> {
    let mut visible = HashSet::new();
    for r in nodes {
        let parent_visible = r.node.parent_id.is_none_or(|p| visible.contains(&p));
        if parent_visible && !withheld.contains(&r.node.id) {
            visible.insert(r.node.id);
        }
    }
    visible
}

fn day(at: time::OffsetDateTime) -> ServiceResult<CalendarDate> {
    CalendarDate::new(at.date()).map_err(|m| ValidationError::new("published_at", m).into())
}

impl App {
    /// Publishes a plan: its nodes not withheld become public. Publishing
    /// again changes nothing. Returns the day it was first published.
    pub async fn publish_plan(&self, plan: PlanId) -> ServiceResult<CalendarDate> {
        day(self.store().publish_plan(plan).await?)
    }

    /// Makes a plan private again; its withheld nodes stay withheld for the
    /// next publication. False when it was not published.
    pub async fn unpublish_plan(&self, plan: PlanId) -> ServiceResult<bool> {
        Ok(self.store().unpublish_plan(plan).await?)
    }

    /// Withholds a node and its whole subtree from the public. False when it
    /// was withheld already.
    pub async fn withhold_node(&self, node: NodeId) -> ServiceResult<bool> {
        Ok(self.store().withhold_node(node).await?)
    }

    /// Releases a withheld node: it is public again when its plan is and no
    /// ancestor is withheld. False when it was not withheld.
    pub async fn release_node(&self, node: NodeId) -> ServiceResult<bool> {
        Ok(self.store().release_node(node).await?)
    }

    /// Whether a plan is published, and the nodes withheld in it, for the
    /// people who manage publication.
    pub async fn publication(
        &self,
        plan: PlanId,
    ) -> ServiceResult<(Option<CalendarDate>, Vec<NodeId>)> {
        let at = self.store().plan_published_at(plan).await?;
        let withheld = self.store().withheld_nodes(plan).await?;
        Ok((at.map(day).transpose()?, withheld))
    }

    /// Every published plan, by title.
    pub async fn public_plans(&self) -> ServiceResult<Vec<PublicPlanSummary>> {
        let mut out = Vec::new();
        for (plan, at) in self.store().published_plans().await? {
            let org = self.store().get_organization(plan.organization_id).await?;
            out.push(PublicPlanSummary {
                key: plan.key,
                title: plan.title,
                organization: org.name,
                period: plan.period,
                published_on: day(at)?,
            });
        }
        Ok(out)
    }

    /// The published content of the plan with this key, and nothing else:
    /// the only way the public portal and the open-data downloads read a plan.
    /// An unknown key and an unpublished plan give the same `NotFound`. Kept
    /// ([`App::memoized`]) until something is written: assembling it reads
    /// every published node's check-ins, milestones and evidence.
    pub async fn public_plan(&self, key: &str) -> ServiceResult<PublicPlan> {
        let kept = self
            .memoized(&format!("public plan {key}"), async {
                self.assemble_public_plan(key).await.map(Arc::new)
            })
            .await?;
        Ok(PublicPlan::clone(&kept))
    }

    async fn assemble_public_plan(&self, key: &str) -> ServiceResult<PublicPlan> {
        let (plan, published_at, withheld) = self.published(key).await?;
        let report = self.plan_status(plan.id).await?;
        let visible = public_nodes(&report.nodes, &withheld);
        let mut nodes = Vec::new();
        for r in report.nodes {
            if visible.contains(&r.node.id) {
                nodes.push(self.public_node(r).await?);
            }
        }
        let mut measures = Vec::new();
        for m in report.measures {
            if visible.contains(&m.measure.node_id) {
                measures.push(self.public_measure(m).await?);
            }
        }
        let order: HashMap<NodeId, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
        measures.sort_by_key(|m| order.get(&m.node_id).copied());
        let org = self.store().get_organization(plan.organization_id).await?;
        Ok(PublicPlan {
            id: plan.id,
            key: plan.key,
            title: plan.title,
            organization: org.name,
            period: plan.period,
            status: plan.status,
            vision: plan.vision,
            mission: plan.mission,
            principles: plan.principles,
            published_on: day(published_at)?,
            as_of: report.as_of,
            nodes,
            measures,
        })
    }

    /// The published plan's report card for `year`, drawn from its published
    /// nodes only: grades count published work and measures, check-ins are
    /// quoted without help-needed text, and nothing names a person.
    pub async fn public_report_card(
        &self,
        key: &str,
        year: i32,
        rule: &GradingRule,
    ) -> ServiceResult<PublicReportCard> {
        let (plan, _, withheld) = self.published(key).await?;
        let facts = self.report_facts(plan.id, year, rule).await?;
        let visible = public_nodes(&facts.status.nodes, &withheld);
        let card = self.assemble_report(&facts.published_only(&visible), rule)?;
        Ok(PublicReportCard {
            card,
            plan_period: plan.period,
        })
    }

    /// The plan with this key if it is published, when it was, and the
    /// nodes withheld in it; the same `NotFound` for unknown and unpublished.
    async fn published(
        &self,
        key: &str,
    ) -> ServiceResult<(Plan, time::OffsetDateTime, HashSet<NodeId>)> {
        let parsed = Key::parse(key).map_err(|_| not_public("public plan", key))?;
        let plan = self
            .store()
            .find_plan_by_key(&parsed)
            .await?
            .ok_or_else(|| not_public("public plan", key))?;
        let Some(published_at) = self.store().plan_published_at(plan.id).await? else {
            return Err(not_public("public plan", key));
        };
        let withheld = self
            .store()
            .withheld_nodes(plan.id)
            .await?
            .into_iter()
            .collect();
        Ok((plan, published_at, withheld))
    }

    async fn public_node(&self, r: crate::NodeReport) -> ServiceResult<PublicNode> {
        let id = r.node.id;
        let checkins = self
            .store()
            .checkins(id)
            .await?
            .into_iter()
            .map(|c| PublicCheckIn {
                date: c.date,
                status: c.status,
                percent: c.percent.map(Percent::value),
                happened: c.happened,
                next: c.next,
            })
            .collect();
        let milestones = self
            .store()
            .milestones(id)
            .await?
            .into_iter()
            .map(|m| PublicMilestone {
                title: m.title,
                due_date: m.due_date,
                done_date: m.done_date,
            })
            .collect();
        let evidence = self
            .store()
            .evidence_for(id)
            .await?
            .into_iter()
            .map(|e| PublicEvidence {
                title: e.title,
                date: e.date,
                before: e.before,
                after: e.after,
                source: e.source,
            })
            .collect();
        Ok(PublicNode {
            id,
            parent_id: r.node.parent_id,
            code: r.node.code,
            title: r.node.title,
            description: r.node.description,
            level: r.node.level,
            level_name: r.level_name,
            depth: r.depth,
            schedule: r.schedule,
            status: r.status.status,
            progress: r.status.computed.progress,
            score: r.status.computed.score,
            last_checkin: r.status.last_checkin,
            checkins,
            milestones,
            evidence,
        })
    }

    async fn public_measure(
        &self,
        r: crate::execution::MeasureReport,
    ) -> ServiceResult<PublicMeasure> {
        let m = r.measure;
        let observations = self
            .measure_series(m.id)
            .await?
            .into_iter()
            .map(|p| PublicObservation {
                period: p.period,
                value: p.value,
                observed_on: p.observation.as_ref().and_then(|o| o.observed_on),
                source: p.observation.and_then(|o| o.source),
            })
            .collect();
        Ok(PublicMeasure {
            id: m.id,
            node_id: m.node_id,
            key: m.key,
            name: m.name,
            description: m.description,
            unit: m.unit,
            direction: m.direction,
            baseline: m.baseline,
            targets: m.targets,
            thresholds: m.thresholds,
            frequency: m.frequency,
            data_source: m.data_source,
            calculated: m.formula.is_some(),
            health: r.status.health,
            latest_period: r.status.period,
            latest_value: r.status.value,
            observations,
        })
    }
}
