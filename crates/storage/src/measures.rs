//! Measures and their observed values. Every write refreshes the cached
//! statuses it changes in the same transaction (see `rollups.rs`).

use crate::error::{on_conflict, touched};
use crate::plans::json;
use crate::rollups;
use crate::rows::text;
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// The columns of `measures`, in the order `MeasureRow` reads them.
pub(crate) const MEASURE_COLUMNS: &str = "id, plan_id, node_id, measure_key, name, description, unit, direction, \
     baseline_value, baseline_date, targets_json, threshold_basis, threshold_green, threshold_amber, frequency, \
     data_source, owner_id, formula, weight, position";

/// Inserts a measure (`$1`…`$19`) on `$conn`, returning its id; shared by the
/// API and plan-as-code import so both write the same columns.
macro_rules! insert_measure {
    ($conn:expr, $plan:expr, $draft:expr, $position:expr) => {{
        let draft: &MeasureDraft = $draft;
        let thresholds = draft
            .thresholds
            .unwrap_or_else(|| Thresholds::default_for(draft.direction));
        sqlx::query_scalar::<_, i64>(
            "INSERT INTO measures (plan_id, node_id, measure_key, name, description, unit, direction, \
             baseline_value, baseline_date, targets_json, threshold_basis, threshold_green, threshold_amber, \
             frequency, data_source, owner_id, formula, weight, position) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
        )
        .bind($plan.0)
        .bind(draft.node_id.0)
        .bind(draft.key.as_str())
        .bind(draft.name.as_str())
        .bind($crate::rows::text(&draft.description))
        .bind($crate::rows::text(&draft.unit))
        .bind(draft.direction.as_str())
        .bind(draft.baseline.map(|b| b.value.get()))
        .bind(draft.baseline.and_then(|b| b.date).map(CalendarDate::date))
        .bind($crate::plans::json(&draft.targets))
        .bind(thresholds.basis.as_str())
        .bind(thresholds.green.get())
        .bind(thresholds.amber.get())
        .bind(draft.frequency.as_str())
        .bind($crate::rows::text(&draft.data_source))
        .bind(draft.owner_id.map(|p| p.0))
        .bind(draft.formula.as_ref().map(|f| f.source().to_owned()))
        .bind(draft.weight.unwrap_or_default().value())
        .bind($position)
        .fetch_one(&mut *$conn)
        .await
        .map_err($crate::error::on_conflict(
            "key",
            format!("the plan already has a measure with key {:?}", draft.key.as_str()),
        ))
    }};
}
pub(crate) use insert_measure;

#[derive(sqlx::FromRow)]
pub(crate) struct MeasureRow {
    id: i64,
    plan_id: i64,
    node_id: i64,
    measure_key: String,
    name: String,
    description: Option<String>,
    unit: Option<String>,
    direction: String,
    baseline_value: Option<f64>,
    baseline_date: Option<Date>,
    targets_json: String,
    threshold_basis: String,
    threshold_green: f64,
    threshold_amber: f64,
    frequency: String,
    data_source: Option<String>,
    owner_id: Option<i64>,
    formula: Option<String>,
    weight: f64,
    position: i32,
}

fn corrupt(what: &str) -> impl Fn(String) -> StorageError + '_ {
    move |m| StorageError::Corrupt(format!("{what}: {m}"))
}

impl TryFrom<MeasureRow> for Measure {
    type Error = StorageError;
    fn try_from(r: MeasureRow) -> Result<Self> {
        let opt_name = |raw: Option<String>, what: &str| {
            raw.map(|v| Name::parse(&v).map_err(corrupt(what)))
                .transpose()
        };
        let baseline = match r.baseline_value {
            Some(v) => Some(Baseline {
                value: Value::new(v).map_err(corrupt("baseline"))?,
                date: r
                    .baseline_date
                    .map(CalendarDate::new)
                    .transpose()
                    .map_err(corrupt("baseline date"))?,
            }),
            None => None,
        };
        Ok(Self {
            id: MeasureId(r.id),
            plan_id: PlanId(r.plan_id),
            node_id: NodeId(r.node_id),
            key: MeasureKey::parse(&r.measure_key).map_err(corrupt("measure key"))?,
            name: Name::parse(&r.name).map_err(corrupt("measure name"))?,
            description: r
                .description
                .map(|d| LongText::parse(&d))
                .transpose()
                .map_err(corrupt("measure description"))?,
            unit: opt_name(r.unit, "unit")?,
            direction: r.direction.parse().map_err(corrupt("direction"))?,
            baseline,
            targets: serde_json::from_str(&r.targets_json)
                .map_err(|e| corrupt("targets")(e.to_string()))?,
            thresholds: Thresholds {
                basis: r
                    .threshold_basis
                    .parse()
                    .map_err(corrupt("threshold basis"))?,
                green: Value::new(r.threshold_green).map_err(corrupt("green threshold"))?,
                amber: Value::new(r.threshold_amber).map_err(corrupt("amber threshold"))?,
            },
            frequency: r.frequency.parse().map_err(corrupt("frequency"))?,
            data_source: opt_name(r.data_source, "data source")?,
            owner_id: r.owner_id.map(PersonId),
            formula: r
                .formula
                .map(|f| f.parse::<Formula>().map_err(|e| e.to_string()))
                .transpose()
                .map_err(corrupt("formula"))?,
            weight: Weight::new(r.weight).map_err(corrupt("measure weight"))?,
            position: r.position,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ObservationRow {
    id: i64,
    measure_id: i64,
    period: String,
    value: f64,
    observed_on: Option<Date>,
    note: Option<String>,
    source: Option<String>,
}

const OBSERVATION_COLUMNS: &str = "id, measure_id, period, value, observed_on, note, source";

impl TryFrom<ObservationRow> for Observation {
    type Error = StorageError;
    fn try_from(r: ObservationRow) -> Result<Self> {
        Ok(Self {
            id: ObservationId(r.id),
            measure_id: MeasureId(r.measure_id),
            period: r.period.parse().map_err(corrupt("period"))?,
            value: Value::new(r.value).map_err(corrupt("value"))?,
            observed_on: r
                .observed_on
                .map(CalendarDate::new)
                .transpose()
                .map_err(corrupt("observed on"))?,
            note: r
                .note
                .map(|n| LongText::parse(&n))
                .transpose()
                .map_err(corrupt("note"))?,
            source: r
                .source
                .map(|s| Name::parse(&s))
                .transpose()
                .map_err(corrupt("source"))?,
        })
    }
}

/// What recording one value did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Recorded {
    /// The measure had no value for the period; now it has.
    Inserted,
    /// The period's value was replaced; the earlier one is kept in history.
    Updated,
    /// The same value, note and source were already there.
    Unchanged,
}

/// A value to record for the measure with the given id.
#[derive(Debug, Clone)]
pub struct ObservationInput {
    /// The measure.
    pub measure: MeasureId,
    /// The value and its period.
    pub draft: ObservationDraft,
}

/// How many values an import inserted, replaced and found already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportCounts {
    /// Values for periods that had none.
    pub inserted: usize,
    /// Values that replaced a different earlier value.
    pub updated: usize,
    /// Values that were already recorded exactly so.
    pub unchanged: usize,
}

impl Store {
    /// The measures of a plan, by node and position.
    pub async fn plan_measures(&self, plan: PlanId) -> Result<Vec<Measure>> {
        let sql = format!(
            "SELECT {MEASURE_COLUMNS} FROM measures WHERE plan_id = $1 ORDER BY node_id, position, id"
        );
        let rows: Vec<MeasureRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(plan.0).fetch_all(pool).await?
        });
        rows.into_iter().map(Measure::try_from).collect()
    }

    /// The measures of one node, in order.
    pub async fn node_measures(&self, node: NodeId) -> Result<Vec<Measure>> {
        let sql = format!(
            "SELECT {MEASURE_COLUMNS} FROM measures WHERE node_id = $1 ORDER BY position, id"
        );
        let rows: Vec<MeasureRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(node.0).fetch_all(pool).await?
        });
        rows.into_iter().map(Measure::try_from).collect()
    }

    /// One measure.
    pub async fn get_measure(&self, id: MeasureId) -> Result<Measure> {
        let sql = format!("SELECT {MEASURE_COLUMNS} FROM measures WHERE id = $1");
        let row: Option<MeasureRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(id.0).fetch_optional(pool).await?
        });
        row.ok_or_else(|| StorageError::not_found("measure", id))?
            .try_into()
    }

    /// Creates a measure of a node in `plan` (the node's plan, checked by the caller).
    pub async fn create_measure(
        &self,
        plan: PlanId,
        draft: &MeasureDraft,
        today: Date,
    ) -> Result<Measure> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let id = on_tx!(&mut tx, conn => {
            let position = match draft.position {
                Some(p) => p,
                None => {
                    let last: Option<i32> = sqlx::query_scalar("SELECT MAX(position) FROM measures WHERE node_id = $1")
                        .bind(draft.node_id.0)
                        .fetch_one(&mut *conn)
                        .await?;
                    last.map_or(0, |p| p.saturating_add(1))
                }
            };
            insert_measure!(conn, plan, draft, position)?
        });
        let id = MeasureId(id);
        rollups::refresh_measures(&mut tx, plan, &[id], today).await?;
        rollups::mark_stale(&mut tx, plan).await?;
        tx.commit().await?;
        self.get_measure(id).await
    }

    /// Replaces a measure's definition; its observations stay.
    pub async fn update_measure(
        &self,
        id: MeasureId,
        plan: PlanId,
        draft: &MeasureDraft,
        position: i32,
        today: Date,
    ) -> Result<Measure> {
        let thresholds = draft
            .thresholds
            .unwrap_or_else(|| Thresholds::default_for(draft.direction));
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let rows = on_tx!(&mut tx, conn => {
            sqlx::query(
                "UPDATE measures SET node_id = $1, measure_key = $2, name = $3, description = $4, unit = $5, \
                 direction = $6, baseline_value = $7, baseline_date = $8, targets_json = $9, threshold_basis = $10, \
                 threshold_green = $11, threshold_amber = $12, frequency = $13, data_source = $14, owner_id = $15, \
                 formula = $16, weight = $17, position = $18 WHERE id = $19 AND plan_id = $20",
            )
            .bind(draft.node_id.0)
            .bind(draft.key.as_str())
            .bind(draft.name.as_str())
            .bind(text(&draft.description))
            .bind(text(&draft.unit))
            .bind(draft.direction.as_str())
            .bind(draft.baseline.map(|b| b.value.get()))
            .bind(draft.baseline.and_then(|b| b.date).map(CalendarDate::date))
            .bind(json(&draft.targets))
            .bind(thresholds.basis.as_str())
            .bind(thresholds.green.get())
            .bind(thresholds.amber.get())
            .bind(draft.frequency.as_str())
            .bind(text(&draft.data_source))
            .bind(draft.owner_id.map(|p| p.0))
            .bind(draft.formula.as_ref().map(|f| f.source().to_owned()))
            .bind(draft.weight.unwrap_or_default().value())
            .bind(position)
            .bind(id.0)
            .bind(plan.0)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict(
                "key",
                format!("the plan already has a measure with key {:?}", draft.key.as_str()),
            ))?
            .rows_affected()
        });
        touched(rows, "measure", id)?;
        rollups::refresh_measures(&mut tx, plan, &[id], today).await?;
        rollups::mark_stale(&mut tx, plan).await?;
        tx.commit().await?;
        self.get_measure(id).await
    }

    /// Deletes a measure and its observations. Refused (as a conflict) while a
    /// calculated measure's formula uses it; the caller checks that first.
    pub async fn delete_measure(&self, id: MeasureId, plan: PlanId) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let rows = on_tx!(&mut tx, conn => {
            sqlx::query("DELETE FROM measures WHERE id = $1").bind(id.0).execute(&mut *conn).await?.rows_affected()
        });
        touched(rows, "measure", id)?;
        rollups::mark_stale(&mut tx, plan).await?;
        tx.commit().await
    }

    /// The recorded values of a measure, oldest period first.
    pub async fn observations(&self, measure: MeasureId) -> Result<Vec<Observation>> {
        let sql = format!(
            "SELECT {OBSERVATION_COLUMNS} FROM observations WHERE measure_id = $1 ORDER BY period_end, period_start, id"
        );
        let rows: Vec<ObservationRow> = on_backend!(self, read, pool => {
            sqlx::query_as(&sql).bind(measure.0).fetch_all(pool).await?
        });
        rows.into_iter().map(Observation::try_from).collect()
    }

    /// The recorded values of several measures (the inputs of a formula).
    pub async fn observations_of(&self, measures: &[MeasureId]) -> Result<Vec<Observation>> {
        let mut all = Vec::new();
        for m in measures {
            all.extend(self.observations(*m).await?);
        }
        Ok(all)
    }

    /// Records values for measures of one plan in one transaction: each value
    /// is inserted, replaces a different earlier value (kept in history), or is
    /// already there. If any write fails, none is kept.
    pub async fn record_observations(
        &self,
        plan: PlanId,
        inputs: &[ObservationInput],
        today: Date,
    ) -> Result<(ImportCounts, Vec<Recorded>)> {
        let now = OffsetDateTime::now_utc();
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let mut counts = ImportCounts::default();
        let mut outcomes = Vec::with_capacity(inputs.len());
        let mut changed: Vec<MeasureId> = Vec::new();
        for input in inputs {
            let d = &input.draft;
            let (start, end) = d.period.bounds();
            let outcome = on_tx!(&mut tx, conn => {
                type Existing = (i64, f64, Option<Date>, Option<String>, Option<String>, OffsetDateTime);
                let existing: Option<Existing> = sqlx::query_as(
                    "SELECT id, value, observed_on, note, source, recorded_at FROM observations \
                     WHERE measure_id = $1 AND period = $2",
                )
                .bind(input.measure.0)
                .bind(d.period.to_string())
                .fetch_optional(&mut *conn)
                .await?;
                let new_on = d.observed_on.map(CalendarDate::date);
                match existing {
                    None => {
                        sqlx::query(
                            "INSERT INTO observations (measure_id, period, period_start, period_end, value, observed_on, \
                             note, source, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        )
                        .bind(input.measure.0)
                        .bind(d.period.to_string())
                        .bind(start)
                        .bind(end)
                        .bind(d.value.get())
                        .bind(new_on)
                        .bind(text(&d.note))
                        .bind(text(&d.source))
                        .bind(now)
                        .execute(&mut *conn)
                        .await?;
                        Recorded::Inserted
                    }
                    Some((_, value, on, note, source, _))
                        if value == d.value.get()
                            && on == new_on
                            && note.as_deref() == text(&d.note)
                            && source.as_deref() == text(&d.source) =>
                    {
                        Recorded::Unchanged
                    }
                    Some((id, value, on, note, source, recorded_at)) => {
                        sqlx::query(
                            "INSERT INTO observation_revisions (observation_id, value, observed_on, note, source, \
                             recorded_at, replaced_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(id)
                        .bind(value)
                        .bind(on)
                        .bind(note)
                        .bind(source)
                        .bind(recorded_at)
                        .bind(now)
                        .execute(&mut *conn)
                        .await?;
                        sqlx::query(
                            "UPDATE observations SET value = $1, observed_on = $2, note = $3, source = $4, \
                             recorded_at = $5 WHERE id = $6",
                        )
                        .bind(d.value.get())
                        .bind(new_on)
                        .bind(text(&d.note))
                        .bind(text(&d.source))
                        .bind(now)
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                        Recorded::Updated
                    }
                }
            });
            match outcome {
                Recorded::Inserted => counts.inserted += 1,
                Recorded::Updated => counts.updated += 1,
                Recorded::Unchanged => counts.unchanged += 1,
            }
            if outcome != Recorded::Unchanged && !changed.contains(&input.measure) {
                changed.push(input.measure);
            }
            outcomes.push(outcome);
        }
        if !changed.is_empty() {
            let nodes = rollups::refresh_measures(&mut tx, plan, &changed, today).await?;
            rollups::refresh_nodes(&mut tx, plan, nodes, today).await?;
        }
        tx.commit().await?;
        Ok((counts, outcomes))
    }

    /// Deletes one recorded value.
    pub async fn delete_observation(
        &self,
        plan: PlanId,
        id: ObservationId,
        today: Date,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let measure: Option<i64> = on_tx!(&mut tx, conn => {
            sqlx::query_scalar(
                "DELETE FROM observations WHERE id = $1 AND measure_id IN (SELECT id FROM measures WHERE plan_id = $2) \
                 RETURNING measure_id",
            )
            .bind(id.0)
            .bind(plan.0)
            .fetch_optional(&mut *conn)
            .await?
        });
        let measure = measure.ok_or_else(|| StorageError::not_found("observation", id))?;
        let nodes = rollups::refresh_measures(&mut tx, plan, &[MeasureId(measure)], today).await?;
        rollups::refresh_nodes(&mut tx, plan, nodes, today).await?;
        tx.commit().await
    }
}
