//! The cached status of every measure and node, kept correct by the writes
//! that change it.
//!
//! Reading a plan's statuses must not recompute a 20,000-node tree on every
//! request, so results live in `measure_rollups` and `node_rollups`:
//!
//! - A measure's latest value is refreshed whenever one of its observations
//!   (or, for a calculated measure, an input's) is written. Its health is
//!   recomputed at the same time.
//! - A node's latest reported status and percent are refreshed by every check-in.
//! - A node's computed status is refreshed, with every ancestor's, by every
//!   check-in, observation and override on it. Structural changes (a node or
//!   measure added, moved, re-weighted or removed) mark the whole plan stale
//!   instead, as does a new day (staleness depends on the date): the next read
//!   recomputes the plan in one pass over cached values, without touching
//!   the observation history.
//!
//! The arithmetic itself is `lodestar_domain::status`, documented in docs/status-rules.md.

use crate::measures::{MEASURE_COLUMNS, MeasureRow};
use crate::tx::Tx;
use crate::{Result, StorageError, Store};
use lodestar_domain::measure::calculated_series;
use lodestar_domain::status::{
    ChildSummary, Health, OwnReport, Rollup, RollupInput, as_child, measure_status, roll_up,
};
use lodestar_domain::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// Rows written per statement when a whole plan is recomputed.
const BATCH: usize = 500;

/// A node's status as the cache holds it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NodeStatus {
    /// The node.
    pub node_id: NodeId,
    /// The status shown: the override's if there is one, else the computed one.
    pub status: ProgressStatus,
    /// What the roll-up computed from children, measures and check-ins.
    pub computed: Rollup,
    /// The owner's override, if any.
    #[serde(rename = "override")]
    pub status_override: Option<StatusOverride>,
    /// The status the latest check-in gave.
    pub reported_status: Option<ProgressStatus>,
    /// The latest percent any check-in gave.
    pub reported_percent: Option<f64>,
    /// The day of the latest check-in.
    pub last_checkin: Option<CalendarDate>,
}

/// A measure's status as the cache holds it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MeasureHealth {
    /// The measure.
    pub measure_id: MeasureId,
    /// Green, amber or red; none for no data.
    pub health: Option<Health>,
    /// The period of the latest value.
    pub period: Option<ReportingPeriod>,
    /// The latest value.
    pub value: Option<f64>,
    /// Why the measure has this status, in words.
    pub reason: String,
}

pub(crate) async fn mark_stale(tx: &mut Tx, plan: PlanId) -> Result<()> {
    on_tx!(tx, conn => {
        sqlx::query(crate::nodes::MARK_PLAN_STALE).bind(plan.0).execute(&mut *conn).await?;
    });
    Ok(())
}

fn corrupt(what: &str) -> impl Fn(String) -> StorageError + '_ {
    move |m| StorageError::Corrupt(format!("{what}: {m}"))
}

async fn load_measure(
    tx: &mut Tx,
    sql_where: &str,
    a: i64,
    b: Option<&str>,
) -> Result<Vec<Measure>> {
    let sql = format!("SELECT {MEASURE_COLUMNS} FROM measures WHERE {sql_where}");
    let rows: Vec<MeasureRow> = on_tx!(tx, conn => {
        let q = sqlx::query_as(&sql).bind(a);
        let q = match b { Some(b) => q.bind(b.to_owned()), None => q };
        q.fetch_all(&mut *conn).await?
    });
    rows.into_iter().map(Measure::try_from).collect()
}

async fn raw_series(tx: &mut Tx, measure: MeasureId) -> Result<BTreeMap<ReportingPeriod, f64>> {
    let rows: Vec<(String, f64)> = on_tx!(tx, conn => {
        sqlx::query_as("SELECT period, value FROM observations WHERE measure_id = $1")
            .bind(measure.0)
            .fetch_all(&mut *conn)
            .await?
    });
    rows.into_iter()
        .map(|(p, v)| Ok((p.parse().map_err(corrupt("period"))?, v)))
        .collect()
}

/// A measure's values by period; `None` where a formula has no value.
type Series = BTreeMap<ReportingPeriod, Option<f64>>;
type SeriesFuture<'a> = std::pin::Pin<Box<dyn Future<Output = Result<Series>> + Send + 'a>>;

/// Evaluates calculated measures period by period, memoizing each series.
struct Calculator<'a> {
    plan: PlanId,
    by_key: HashMap<String, Measure>,
    series: HashMap<MeasureId, BTreeMap<ReportingPeriod, Option<f64>>>,
    tx: &'a mut Tx,
}

impl Calculator<'_> {
    async fn measure(&mut self, key: &str) -> Result<Option<Measure>> {
        if let Some(m) = self.by_key.get(key) {
            return Ok(Some(m.clone()));
        }
        let found = load_measure(
            self.tx,
            "plan_id = $1 AND measure_key = $2",
            self.plan.0,
            Some(key),
        )
        .await?;
        let found = found.into_iter().next();
        if let Some(m) = &found {
            self.by_key.insert(key.to_owned(), m.clone());
        }
        Ok(found)
    }

    /// The series of a measure: stored values, or for a calculated measure the
    /// formula at every period where all inputs have a value (`None` where the
    /// formula has no value there, such as a division by zero).
    fn series(&mut self, measure: Measure, depth: usize) -> SeriesFuture<'_> {
        Box::pin(async move {
            if let Some(s) = self.series.get(&measure.id) {
                return Ok(s.clone());
            }
            let result = match &measure.formula {
                None => raw_series(self.tx, measure.id)
                    .await?
                    .into_iter()
                    .map(|(p, v)| (p, Some(v)))
                    .collect(),
                Some(_) if depth > 16 => BTreeMap::new(),
                Some(formula) => {
                    let mut inputs: HashMap<&str, Series> = HashMap::new();
                    for key in formula.inputs() {
                        let series = match self.measure(key).await? {
                            Some(input) => self.series(input, depth + 1).await?,
                            None => BTreeMap::new(),
                        };
                        inputs.insert(key, series);
                    }
                    calculated_series(formula, &inputs)
                }
            };
            self.series.insert(measure.id, result.clone());
            Ok(result)
        })
    }
}

fn latest_of<V: Copy>(series: &BTreeMap<ReportingPeriod, V>) -> Option<(ReportingPeriod, V)> {
    series
        .iter()
        .max_by_key(|(p, _)| (p.end(), p.start()))
        .map(|(p, v)| (*p, *v))
}

/// The health of a measure whose latest period and value are known; a
/// calculated measure can have a latest period without a value.
fn judge(
    measure: &Measure,
    latest: Option<(ReportingPeriod, Option<f64>)>,
    today: Date,
) -> MeasureStatus {
    match latest {
        Some((period, None)) => MeasureStatus {
            health: None,
            period: Some(period),
            value: None,
            goal: None,
            reason: format!(
                "the formula has no value for {period} (a division by zero or a missing input)"
            ),
        },
        Some((period, Some(v))) => measure_status(&measure.rule(), Some((period, v)), today),
        None => measure_status(&measure.rule(), None, today),
    }
}

use lodestar_domain::status::MeasureStatus;

async fn write_measure_rollup(
    tx: &mut Tx,
    m: &Measure,
    latest: Option<(ReportingPeriod, Option<f64>)>,
    status: &MeasureStatus,
    today: Date,
) -> Result<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO measure_rollups (measure_id, plan_id, latest_period, latest_value, health, reason, computed_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (measure_id) DO UPDATE SET \
             latest_period = excluded.latest_period, latest_value = excluded.latest_value, health = excluded.health, \
             reason = excluded.reason, computed_on = excluded.computed_on",
        )
        .bind(m.id.0)
        .bind(m.plan_id.0)
        .bind(latest.map(|(p, _)| p.to_string()))
        .bind(latest.and_then(|(_, v)| v))
        .bind(status.health.map(Health::as_str))
        .bind(&status.reason)
        .bind(today)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

/// Recomputes the latest value and health of `measures` and of every
/// calculated measure that depends on them; returns the nodes they measure.
pub(crate) async fn refresh_measures(
    tx: &mut Tx,
    plan: PlanId,
    measures: &[MeasureId],
    today: Date,
) -> Result<BTreeSet<NodeId>> {
    let calculated = load_measure(tx, "plan_id = $1 AND formula IS NOT NULL", plan.0, None).await?;
    let mut todo: Vec<Measure> = Vec::new();
    for id in measures {
        todo.extend(load_measure(tx, "id = $1", id.0, None).await?);
    }
    let mut keys: BTreeSet<String> = todo.iter().map(|m| m.key.as_str().to_owned()).collect();
    loop {
        let before = keys.len();
        for c in &calculated {
            let uses = c
                .formula
                .as_ref()
                .is_some_and(|f| f.inputs().iter().any(|k| keys.contains(*k)));
            if uses && keys.insert(c.key.as_str().to_owned()) {
                todo.push(c.clone());
            }
        }
        if keys.len() == before {
            break;
        }
    }
    let mut calc = Calculator {
        plan,
        by_key: HashMap::new(),
        series: HashMap::new(),
        tx,
    };
    let mut results = Vec::with_capacity(todo.len());
    for m in &todo {
        let latest = if m.formula.is_some() {
            latest_of(&calc.series(m.clone(), 0).await?)
        } else {
            latest_raw(calc.tx, m.id).await?.map(|(p, v)| (p, Some(v)))
        };
        results.push(latest);
    }
    let mut nodes = BTreeSet::new();
    for (m, latest) in todo.into_iter().zip(results) {
        let status = judge(&m, latest, today);
        write_measure_rollup(tx, &m, latest, &status, today).await?;
        nodes.insert(m.node_id);
    }
    Ok(nodes)
}

async fn latest_raw(tx: &mut Tx, measure: MeasureId) -> Result<Option<(ReportingPeriod, f64)>> {
    let row: Option<(String, f64)> = on_tx!(tx, conn => {
        sqlx::query_as(
            "SELECT period, value FROM observations WHERE measure_id = $1 \
             ORDER BY period_end DESC, period_start DESC, id DESC LIMIT 1",
        )
        .bind(measure.0)
        .fetch_optional(&mut *conn)
        .await?
    });
    row.map(|(p, v)| Ok((p.parse().map_err(corrupt("period"))?, v)))
        .transpose()
}

/// Re-reads a node's latest check-in into the cache.
pub(crate) async fn refresh_report(
    tx: &mut Tx,
    plan: PlanId,
    node: NodeId,
    today: Date,
) -> Result<()> {
    on_tx!(tx, conn => {
        let latest: Option<(Date, String)> = sqlx::query_as(
            "SELECT checkin_date, status FROM checkins WHERE node_id = $1 ORDER BY checkin_date DESC, id DESC LIMIT 1",
        )
        .bind(node.0)
        .fetch_optional(&mut *conn)
        .await?;
        let percent: Option<f64> = sqlx::query_scalar(
            "SELECT percent FROM checkins WHERE node_id = $1 AND percent IS NOT NULL \
             ORDER BY checkin_date DESC, id DESC LIMIT 1",
        )
        .bind(node.0)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
        sqlx::query(
            "INSERT INTO node_rollups (node_id, plan_id, last_checkin_date, reported_status, reported_percent, status, \
             computed_on) VALUES ($1, $2, $3, $4, $5, 'not-started', $6) ON CONFLICT (node_id) DO UPDATE SET \
             last_checkin_date = excluded.last_checkin_date, reported_status = excluded.reported_status, \
             reported_percent = excluded.reported_percent",
        )
        .bind(node.0)
        .bind(plan.0)
        .bind(latest.as_ref().map(|(d, _)| *d))
        .bind(latest.map(|(_, s)| s))
        .bind(percent)
        .bind(today)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

fn parse_status(raw: Option<String>) -> Result<Option<ProgressStatus>> {
    raw.map(|s| s.parse().map_err(corrupt("status")))
        .transpose()
}

/// Recomputes `nodes` and their ancestors, deepest first, when the plan's
/// cache is current; a stale plan is left for the next read to rebuild.
pub(crate) async fn refresh_nodes(
    tx: &mut Tx,
    plan: PlanId,
    nodes: impl IntoIterator<Item = NodeId>,
    today: Date,
) -> Result<()> {
    let fresh: Option<Date> = on_tx!(tx, conn => {
        sqlx::query_scalar("SELECT rollups_on FROM plans WHERE id = $1").bind(plan.0).fetch_optional(&mut *conn).await?.flatten()
    });
    if fresh != Some(today) {
        return Ok(());
    }
    let mut chain: HashMap<i64, i32> = HashMap::new();
    for node in nodes {
        let mut next = Some(node.0);
        while let Some(id) = next {
            if chain.contains_key(&id) {
                break;
            }
            let row: Option<(Option<i64>, i32)> = on_tx!(tx, conn => {
                sqlx::query_as("SELECT parent_id, level FROM nodes WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?
            });
            let Some((parent, level)) = row else { break };
            chain.insert(id, level);
            next = parent;
        }
    }
    let mut order: Vec<(i32, i64)> = chain.into_iter().map(|(id, level)| (level, id)).collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    for (_, id) in order {
        recompute_node(tx, NodeId(id), today).await?;
    }
    Ok(())
}

type ChildRow = (
    f64,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<String>,
);
type OwnRow = (Option<String>, Option<f64>);
type MeasureWeightRow = (f64, Option<String>);

async fn recompute_node(tx: &mut Tx, node: NodeId, today: Date) -> Result<()> {
    let (own, children, measures): (Option<OwnRow>, Vec<ChildRow>, Vec<MeasureWeightRow>) = on_tx!(tx, conn => {
        let own = sqlx::query_as("SELECT reported_status, reported_percent FROM node_rollups WHERE node_id = $1")
            .bind(node.0)
            .fetch_optional(&mut *conn)
            .await?;
        let children = sqlx::query_as(
            "SELECT n.weight, r.status, r.score, r.progress, o.status FROM nodes n \
             LEFT JOIN node_rollups r ON r.node_id = n.id LEFT JOIN status_overrides o ON o.node_id = n.id \
             WHERE n.parent_id = $1 AND n.retired_in_revision IS NULL",
        )
        .bind(node.0)
        .fetch_all(&mut *conn)
        .await?;
        let measures = sqlx::query_as(
            "SELECT m.weight, r.health FROM measures m LEFT JOIN measure_rollups r ON r.measure_id = m.id \
             WHERE m.node_id = $1",
        )
        .bind(node.0)
        .fetch_all(&mut *conn)
        .await?;
        (own, children, measures)
    });
    let own = match own {
        Some((status, percent)) => {
            parse_status(status)?.map(|status| OwnReport { status, percent })
        }
        None => None,
    };
    let children = children
        .into_iter()
        .map(|(weight, status, score, progress, over)| {
            let computed = Rollup {
                status: parse_status(status)?.unwrap_or(ProgressStatus::NotStarted),
                score,
                progress,
            };
            Ok(as_child(&computed, parse_status(over)?, weight))
        })
        .collect::<Result<Vec<ChildSummary>>>()?;
    let measures = measures
        .into_iter()
        .map(|(w, h)| {
            Ok((
                w,
                h.map(|h| h.parse::<Health>().map_err(corrupt("health")))
                    .transpose()?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let rollup = roll_up(&RollupInput {
        own,
        children: &children,
        measures: &measures,
    });
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO node_rollups (node_id, plan_id, status, score, progress, computed_on) \
             SELECT id, plan_id, $2, $3, $4, $5 FROM nodes WHERE id = $1 \
             ON CONFLICT (node_id) DO UPDATE SET status = excluded.status, score = excluded.score, \
             progress = excluded.progress, computed_on = excluded.computed_on",
        )
        .bind(node.0)
        .bind(rollup.status.as_str())
        .bind(rollup.score)
        .bind(rollup.progress)
        .bind(today)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

type NodeShape = (i64, Option<i64>, i32, f64);
type ReportRow = (i64, Option<String>, Option<f64>);
type MeasureCacheRow = (i64, Option<String>, Option<f64>);
type RebuildRows = (
    Vec<NodeShape>,
    Vec<ReportRow>,
    Vec<(i64, String)>,
    Vec<MeasureCacheRow>,
);
type HealthRow = (
    i64,
    Option<String>,
    Option<String>,
    Option<f64>,
    Option<String>,
);

/// Recomputes every measure's health and every node's status of a plan from
/// cached values, bottom-up, and marks the plan current for `today`.
pub(crate) async fn rebuild(tx: &mut Tx, plan: PlanId, today: Date) -> Result<()> {
    let (shapes, reports, overrides, cache): RebuildRows = on_tx!(tx, conn => {
        let shapes = sqlx::query_as("SELECT id, parent_id, level, weight FROM nodes WHERE plan_id = $1 AND retired_in_revision IS NULL")
            .bind(plan.0).fetch_all(&mut *conn).await?;
        let reports = sqlx::query_as(
            "SELECT node_id, reported_status, reported_percent FROM node_rollups WHERE plan_id = $1",
        ).bind(plan.0).fetch_all(&mut *conn).await?;
        let overrides = sqlx::query_as(
            "SELECT o.node_id, o.status FROM status_overrides o JOIN nodes n ON n.id = o.node_id WHERE n.plan_id = $1",
        ).bind(plan.0).fetch_all(&mut *conn).await?;
        let cache = sqlx::query_as(
            "SELECT measure_id, latest_period, latest_value FROM measure_rollups WHERE plan_id = $1",
        ).bind(plan.0).fetch_all(&mut *conn).await?;
        (shapes, reports, overrides, cache)
    });
    let measures = load_measure(tx, "plan_id = $1", plan.0, None).await?;

    let cache: HashMap<i64, (Option<String>, Option<f64>)> =
        cache.into_iter().map(|(id, p, v)| (id, (p, v))).collect();
    let mut measure_rows = Vec::with_capacity(measures.len());
    let mut node_measures: HashMap<i64, Vec<(f64, Option<Health>)>> = HashMap::new();
    for m in measures {
        let latest = match cache.get(&m.id.0) {
            Some((Some(p), v)) => {
                Some((p.parse::<ReportingPeriod>().map_err(corrupt("period"))?, *v))
            }
            _ => None,
        };
        let status = judge(&m, latest, today);
        node_measures
            .entry(m.node_id.0)
            .or_default()
            .push((m.weight.value(), status.health));
        measure_rows.push((m.id.0, latest, status));
    }

    let reports: HashMap<i64, OwnReport> = reports
        .into_iter()
        .filter_map(|(id, status, percent)| match parse_status(status) {
            Ok(Some(status)) => Some(Ok((id, OwnReport { status, percent }))),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_>>()?;
    let overrides: HashMap<i64, ProgressStatus> = overrides
        .into_iter()
        .map(|(id, s)| Ok((id, s.parse().map_err(corrupt("override status"))?)))
        .collect::<Result<_>>()?;
    let mut children_of: HashMap<i64, Vec<i64>> = HashMap::new();
    let weights: HashMap<i64, f64> = shapes.iter().map(|(id, _, _, w)| (*id, *w)).collect();
    for (id, parent, _, _) in &shapes {
        if let Some(p) = parent {
            children_of.entry(*p).or_default().push(*id);
        }
    }
    let mut order: Vec<(i32, i64)> = shapes
        .iter()
        .map(|(id, _, level, _)| (*level, *id))
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let mut computed: HashMap<i64, Rollup> = HashMap::with_capacity(order.len());
    let no_measures = Vec::new();
    for (_, id) in &order {
        let children: Vec<ChildSummary> = children_of
            .get(id)
            .into_iter()
            .flatten()
            .map(|c| as_child(&computed[c], overrides.get(c).copied(), weights[c]))
            .collect();
        let rollup = roll_up(&RollupInput {
            own: reports.get(id).copied(),
            children: &children,
            measures: node_measures.get(id).unwrap_or(&no_measures),
        });
        computed.insert(*id, rollup);
    }

    for chunk in measure_rows.chunks(BATCH) {
        on_tx!(tx, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO measure_rollups (measure_id, plan_id, latest_period, latest_value, health, reason, computed_on) ",
            );
            q.push_values(chunk, |mut b, (id, latest, status)| {
                b.push_bind(*id)
                    .push_bind(plan.0)
                    .push_bind(latest.map(|(p, _)| p.to_string()))
                    .push_bind(latest.and_then(|(_, v)| v))
                    .push_bind(status.health.map(Health::as_str))
                    .push_bind(status.reason.clone())
                    .push_bind(today);
            });
            q.push(
                " ON CONFLICT (measure_id) DO UPDATE SET latest_period = excluded.latest_period, \
                 latest_value = excluded.latest_value, health = excluded.health, reason = excluded.reason, \
                 computed_on = excluded.computed_on",
            );
            q.build().execute(&mut *conn).await?;
        });
    }
    let node_rows: Vec<(&i64, &Rollup)> = computed.iter().collect();
    for chunk in node_rows.chunks(BATCH) {
        on_tx!(tx, conn => {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO node_rollups (node_id, plan_id, status, score, progress, computed_on) ",
            );
            q.push_values(chunk, |mut b, (id, r)| {
                b.push_bind(**id)
                    .push_bind(plan.0)
                    .push_bind(r.status.as_str())
                    .push_bind(r.score)
                    .push_bind(r.progress)
                    .push_bind(today);
            });
            q.push(
                " ON CONFLICT (node_id) DO UPDATE SET status = excluded.status, score = excluded.score, \
                 progress = excluded.progress, computed_on = excluded.computed_on",
            );
            q.build().execute(&mut *conn).await?;
        });
    }
    on_tx!(tx, conn => {
        sqlx::query("UPDATE plans SET rollups_on = $1 WHERE id = $2").bind(today).bind(plan.0).execute(&mut *conn).await?;
    });
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StatusRow {
    id: i64,
    status: Option<String>,
    score: Option<f64>,
    progress: Option<f64>,
    reported_status: Option<String>,
    reported_percent: Option<f64>,
    last_checkin_date: Option<Date>,
    override_status: Option<String>,
    override_reason: Option<String>,
    override_by: Option<i64>,
    override_at: Option<OffsetDateTime>,
}

impl TryFrom<StatusRow> for NodeStatus {
    type Error = StorageError;
    fn try_from(r: StatusRow) -> Result<Self> {
        let computed = Rollup {
            status: parse_status(r.status)?.unwrap_or(ProgressStatus::NotStarted),
            score: r.score,
            progress: r.progress,
        };
        let status_override = match (r.override_status, r.override_reason, r.override_at) {
            (Some(status), Some(reason), Some(at)) => Some(StatusOverride {
                status: status.parse().map_err(corrupt("override status"))?,
                reason: LongText::parse(&reason).map_err(corrupt("override reason"))?,
                set_by: r.override_by.map(PersonId),
                set_at: at,
            }),
            _ => None,
        };
        Ok(Self {
            node_id: NodeId(r.id),
            status: status_override
                .as_ref()
                .map_or(computed.status, |o| o.status),
            computed,
            status_override,
            reported_status: parse_status(r.reported_status)?,
            reported_percent: r.reported_percent,
            last_checkin: r
                .last_checkin_date
                .map(CalendarDate::new)
                .transpose()
                .map_err(corrupt("check-in date"))?,
        })
    }
}

const STATUS_SELECT: &str = "SELECT n.id, r.status, r.score, r.progress, r.reported_status, r.reported_percent, \
     r.last_checkin_date, o.status AS override_status, o.reason AS override_reason, o.set_by AS override_by, \
     o.set_at AS override_at FROM nodes n LEFT JOIN node_rollups r ON r.node_id = n.id \
     LEFT JOIN status_overrides o ON o.node_id = n.id";

impl Store {
    /// Brings a plan's cached statuses up to date for `today` if they are not:
    /// once per plan per day, or after a structural change. Safe to call from
    /// several instances at once: the first recomputes, the others find it done.
    pub async fn ensure_rollups(&self, plan: PlanId, today: Date) -> Result<()> {
        let current: Option<Option<Date>> = on_backend!(self, read, pool => {
            sqlx::query_scalar("SELECT rollups_on FROM plans WHERE id = $1").bind(plan.0).fetch_optional(pool).await?
        });
        match current {
            None => return Err(StorageError::not_found("plan", plan)),
            Some(Some(day)) if day == today => return Ok(()),
            Some(_) => {}
        }
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let again: Option<Date> = on_tx!(&mut tx, conn => {
            sqlx::query_scalar("SELECT rollups_on FROM plans WHERE id = $1").bind(plan.0).fetch_one(&mut *conn).await?
        });
        if again != Some(today) {
            rebuild(&mut tx, plan, today).await?;
        }
        tx.commit().await
    }

    /// The cached status of every node of a plan (call `ensure_rollups` first).
    pub async fn plan_statuses(&self, plan: PlanId) -> Result<Vec<NodeStatus>> {
        let sql = format!(
            "{STATUS_SELECT} WHERE n.plan_id = $1 AND n.retired_in_revision IS NULL ORDER BY n.id"
        );
        let rows: Vec<StatusRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.0).fetch_all(pool).await?
        });
        rows.into_iter().map(NodeStatus::try_from).collect()
    }

    /// The cached status of one node (call `ensure_rollups` first).
    pub async fn node_status(&self, node: NodeId) -> Result<NodeStatus> {
        let sql = format!("{STATUS_SELECT} WHERE n.id = $1");
        let row: Option<StatusRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(node.0).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("node", node))?
            .try_into()
    }

    /// The cached status of every measure of a plan (call `ensure_rollups` first).
    /// A measure without a cached row has never had a value.
    pub async fn measure_healths(&self, plan: PlanId) -> Result<Vec<MeasureHealth>> {
        let rows: Vec<HealthRow> = on_backend!(self, read, pool => {
            sqlx::query_as(
                "SELECT m.id, r.health, r.latest_period, r.latest_value, r.reason FROM measures m \
                 LEFT JOIN measure_rollups r ON r.measure_id = m.id WHERE m.plan_id = $1 ORDER BY m.id",
            )
            .bind(plan.0)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(id, health, period, value, reason)| {
                Ok(MeasureHealth {
                    measure_id: MeasureId(id),
                    health: health
                        .map(|h| h.parse().map_err(corrupt("health")))
                        .transpose()?,
                    period: period
                        .map(|p| p.parse().map_err(corrupt("period")))
                        .transpose()?,
                    value,
                    reason: reason.unwrap_or_else(|| "no data yet".to_owned()),
                })
            })
            .collect()
    }
}
