//! Measures and their observed values. Every write refreshes the cached
//! statuses it changes in the same transaction (see `rollups.rs`).

use crate::error::on_conflict;
use crate::plans::json;
use crate::rollups;
use crate::rows::text;
use crate::tx::Tx;
use crate::versions::{MEASURES, Versioned, WithVersion};
use crate::{Result, StorageError, Store};
use lodestar_domain::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
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

/// How many values one statement looks up or inserts during an import.
const OBSERVATION_BATCH: usize = 500;

/// A stored value, as an import compares it with the one it brings.
#[derive(sqlx::FromRow)]
struct StoredObservation {
    id: i64,
    measure_id: i64,
    period: String,
    value: f64,
    observed_on: Option<Date>,
    note: Option<String>,
    source: Option<String>,
    recorded_at: OffsetDateTime,
}

impl StoredObservation {
    fn same_as(&self, d: &ObservationDraft) -> bool {
        self.value == d.value.get()
            && self.observed_on == d.observed_on.map(CalendarDate::date)
            && self.note.as_deref() == text(&d.note)
            && self.source.as_deref() == text(&d.source)
    }
}

/// The stored values for the measures and periods of `chunk`, by (measure, period).
async fn existing_observations(
    tx: &mut Tx,
    chunk: &[ObservationInput],
) -> Result<HashMap<(i64, String), StoredObservation>> {
    let rows: Vec<StoredObservation> = on_tx!(tx, conn => {
        let mut q = sqlx::QueryBuilder::new(
            "SELECT id, measure_id, period, value, observed_on, note, source, recorded_at FROM observations \
             WHERE (measure_id, period) IN (VALUES ",
        );
        for (i, input) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(");
            q.push_bind(input.measure.0);
            q.push(", ");
            q.push_bind(input.draft.period.to_string());
            q.push(")");
        }
        q.push(")");
        // Planned afresh each time: a plan cached while the table was small
        // (a scan) would stay in use as an import grows it to millions of rows.
        q.build_query_as().persistent(false).fetch_all(&mut *conn).await?
    });
    Ok(rows
        .into_iter()
        .map(|r| ((r.measure_id, r.period.clone()), r))
        .collect())
}

/// Inserts new values, a batch per statement.
async fn insert_observations(
    tx: &mut Tx,
    inserts: &[&ObservationInput],
    now: OffsetDateTime,
) -> Result<()> {
    if inserts.is_empty() {
        return Ok(());
    }
    on_tx!(tx, conn => {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO observations (measure_id, period, period_start, period_end, value, observed_on, note, \
             source, recorded_at) ",
        );
        q.push_values(inserts, |mut b, input| {
            let d = &input.draft;
            let (start, end) = d.period.bounds();
            b.push_bind(input.measure.0)
                .push_bind(d.period.to_string())
                .push_bind(start)
                .push_bind(end)
                .push_bind(d.value.get())
                .push_bind(d.observed_on.map(CalendarDate::date))
                .push_bind(d.note.as_ref().map(|n| n.as_str().to_owned()))
                .push_bind(d.source.as_ref().map(|n| n.as_str().to_owned()))
                .push_bind(now);
        });
        q.build().execute(&mut *conn).await?;
    });
    Ok(())
}

/// Replaces a stored value, copying the old one into the history first.
async fn replace_observation(
    tx: &mut Tx,
    old: &StoredObservation,
    d: &ObservationDraft,
    now: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO observation_revisions (observation_id, value, observed_on, note, source, \
             recorded_at, replaced_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(old.id)
        .bind(old.value)
        .bind(old.observed_on)
        .bind(old.note.as_deref())
        .bind(old.source.as_deref())
        .bind(old.recorded_at)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "UPDATE observations SET value = $1, observed_on = $2, note = $3, source = $4, \
             recorded_at = $5 WHERE id = $6",
        )
        .bind(d.value.get())
        .bind(d.observed_on.map(CalendarDate::date))
        .bind(text(&d.note))
        .bind(text(&d.source))
        .bind(now)
        .bind(old.id)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
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

    /// Replaces a measure's definition, if it is still at version
    /// `expected`; its observations stay.
    pub async fn update_measure(
        &self,
        id: MeasureId,
        expected: i64,
        plan: PlanId,
        draft: &MeasureDraft,
        position: i32,
        today: Date,
    ) -> Result<Versioned<Measure>> {
        let thresholds = draft
            .thresholds
            .unwrap_or_else(|| Thresholds::default_for(draft.direction));
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        let stored: WithVersion<MeasureRow> = on_tx!(&mut tx, conn => {
            let rows = sqlx::query(
                "UPDATE measures SET node_id = $1, measure_key = $2, name = $3, description = $4, unit = $5, \
                 direction = $6, baseline_value = $7, baseline_date = $8, targets_json = $9, threshold_basis = $10, \
                 threshold_green = $11, threshold_amber = $12, frequency = $13, data_source = $14, owner_id = $15, \
                 formula = $16, weight = $17, position = $18, version = version + 1 \
                 WHERE id = $19 AND plan_id = $20 AND version = $21",
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
            .bind(expected)
            .execute(&mut *conn)
            .await
            .map_err(on_conflict(
                "key",
                format!("the plan already has a measure with key {:?}", draft.key.as_str()),
            ))?
            .rows_affected();
            if rows == 0 {
                return Err(missed_version!(&mut *conn, MEASURES, id.0, expected));
            }
            sqlx::query_as(&format!("SELECT {MEASURE_COLUMNS}, version FROM measures WHERE id = $1"))
                .bind(id.0)
                .fetch_one(&mut *conn)
                .await?
        });
        rollups::refresh_measures(&mut tx, plan, &[id], today).await?;
        rollups::mark_stale(&mut tx, plan).await?;
        tx.commit().await?;
        stored.into_versioned()
    }

    /// Deletes a measure and its observations; when `expected` names a
    /// version, only if the measure is still at that version. Refused (as a
    /// conflict) while a calculated measure's formula uses it; the caller
    /// checks that first.
    pub async fn delete_measure(
        &self,
        id: MeasureId,
        expected: Option<i64>,
        plan: PlanId,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.lock_plan(plan).await?;
        crate::versions::delete_at_version(&mut tx, &MEASURES, id.0, expected, StorageError::from)
            .await?;
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
    /// already there. If any write fails, none is kept. A measure and period
    /// may appear once in `inputs`.
    ///
    /// Values are looked up and inserted a batch at a time: the cost of a large
    /// import is in round trips to the database, not in the statements.
    pub async fn record_observations(
        &self,
        plan: PlanId,
        inputs: &[ObservationInput],
        today: Date,
    ) -> Result<(ImportCounts, Vec<Recorded>)> {
        let mut tx = self.begin().await?;
        let recorded = record_in(&mut tx, plan, inputs, today).await?;
        tx.commit().await?;
        Ok(recorded)
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

/// Records values for measures of one plan within `tx`, as
/// [`Store::record_observations`] describes.
pub(crate) async fn record_in(
    tx: &mut Tx,
    plan: PlanId,
    inputs: &[ObservationInput],
    today: Date,
) -> Result<(ImportCounts, Vec<Recorded>)> {
    let mut seen = HashSet::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        if !seen.insert((input.measure, input.draft.period)) {
            return Err(StorageError::Invalid(ValidationError::new(
                format!("observations[{i}].period"),
                format!(
                    "measure {} already has a value for {} earlier in the same batch",
                    input.measure, input.draft.period
                ),
            )));
        }
    }
    let now = OffsetDateTime::now_utc();
    tx.lock_plan(plan).await?;
    let mut counts = ImportCounts::default();
    let mut outcomes = Vec::with_capacity(inputs.len());
    let mut changed: BTreeSet<MeasureId> = BTreeSet::new();
    for chunk in inputs.chunks(OBSERVATION_BATCH) {
        let existing = existing_observations(tx, chunk).await?;
        let mut inserts = Vec::new();
        for input in chunk {
            let d = &input.draft;
            let outcome = match existing.get(&(input.measure.0, d.period.to_string())) {
                None => {
                    inserts.push(input);
                    Recorded::Inserted
                }
                Some(old) if old.same_as(d) => Recorded::Unchanged,
                Some(old) => {
                    replace_observation(tx, old, d, now).await?;
                    Recorded::Updated
                }
            };
            match outcome {
                Recorded::Inserted => counts.inserted += 1,
                Recorded::Updated => counts.updated += 1,
                Recorded::Unchanged => counts.unchanged += 1,
            }
            if outcome != Recorded::Unchanged {
                changed.insert(input.measure);
            }
            outcomes.push(outcome);
        }
        insert_observations(tx, &inserts, now).await?;
    }
    if !changed.is_empty() {
        let changed: Vec<MeasureId> = changed.into_iter().collect();
        let nodes = rollups::refresh_measures(tx, plan, &changed, today).await?;
        rollups::refresh_nodes(tx, plan, nodes, today).await?;
    }
    Ok((counts, outcomes))
}
