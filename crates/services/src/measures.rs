//! Measures: definitions checked against their plan, and values recorded one
//! at a time or from a CSV file (layout in docs/measures-csv.md).

use crate::records::referenced;
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::measure::{calculated_series, check_measure_rules, formula_cycle};
use lodestar_domain::*;
use lodestar_storage::{ImportCounts, ObservationInput, Recorded, Versioned};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// The columns a CSV file of values may have; the first three are required.
pub const CSV_COLUMNS: [&str; 6] = [
    "measure",
    "period",
    "value",
    "observed_on",
    "note",
    "source",
];

/// The most problems one rejected file reports.
const MAX_PROBLEMS: usize = 100;

/// One value of a measure's series: stored, or for a calculated measure
/// computed from its inputs (none where the formula has no value).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SeriesPoint {
    /// The period.
    pub period: ReportingPeriod,
    /// The value; none for a calculated measure whose formula has no value
    /// for the period (a division by zero).
    pub value: Option<f64>,
    /// The stored observation, for a measure that is not calculated.
    pub observation: Option<Observation>,
}

impl App {
    /// Checks a measure draft against the stored plan and returns the plan it
    /// belongs to. `replacing` is the measure being replaced, if any.
    async fn check_measure(
        &self,
        draft: &MeasureDraft,
        replacing: Option<&Measure>,
    ) -> ServiceResult<PlanId> {
        let node = referenced(
            self.store().get_node(draft.node_id),
            "node_id",
            "node",
            draft.node_id,
        )
        .await?;
        if let Some(current) = replacing
            && current.plan_id != node.plan_id
        {
            return Err(
                ValidationError::new("node_id", "a measure cannot move to another plan").into(),
            );
        }
        if let Some(owner) = draft.owner_id {
            referenced(self.store().get_person(owner), "owner_id", "person", owner).await?;
        }
        let thresholds = draft
            .thresholds
            .unwrap_or_else(|| Thresholds::default_for(draft.direction));
        check_measure_rules(
            draft.direction,
            &draft.targets,
            &thresholds,
            &draft.key,
            draft.formula.as_ref(),
        )?;
        let others: Vec<Measure> = self
            .store()
            .plan_measures(node.plan_id)
            .await?
            .into_iter()
            .filter(|m| Some(m.id) != replacing.map(|r| r.id))
            .collect();
        if let Some(current) = replacing
            && current.key != draft.key
            && let Some(user) = others.iter().find(|m| {
                m.formula
                    .as_ref()
                    .is_some_and(|f| f.inputs().contains(current.key.as_str()))
            })
        {
            return Err(ServiceError::Conflict {
                field: Some("key".into()),
                message: format!(
                    "measure {} is used in the formula of {}; change that formula first",
                    current.key, user.key
                ),
            });
        }
        if let Some(formula) = &draft.formula {
            for input in formula.inputs() {
                if !others.iter().any(|m| m.key.as_str() == input) {
                    return Err(ValidationError::new(
                        "formula",
                        format!("{input:?} is not a measure of this plan"),
                    )
                    .into());
                }
            }
            let mut graph: HashMap<&str, Vec<&str>> = others
                .iter()
                .filter_map(|m| {
                    m.formula
                        .as_ref()
                        .map(|f| (m.key.as_str(), f.inputs().into_iter().collect()))
                })
                .collect();
            graph.insert(draft.key.as_str(), formula.inputs().into_iter().collect());
            if let Some(cycle) = formula_cycle(&graph) {
                return Err(ValidationError::new(
                    "formula",
                    format!("formulas would go round in a circle: {}", cycle.join(" → ")),
                )
                .into());
            }
        }
        Ok(node.plan_id)
    }

    /// Creates a measure of a node.
    pub async fn create_measure(&self, draft: &MeasureDraft) -> ServiceResult<Measure> {
        let plan = self.check_measure(draft, None).await?;
        Ok(self
            .store()
            .create_measure(plan, draft, self.today())
            .await?)
    }

    /// Replaces the definition of a measure still at version `expected`;
    /// its values stay.
    pub async fn update_measure(
        &self,
        id: MeasureId,
        expected: i64,
        draft: &MeasureDraft,
    ) -> ServiceResult<Versioned<Measure>> {
        let current = self.store().at_version::<Measure>(id, expected).await?;
        let plan = self.check_measure(draft, Some(&current)).await?;
        let position = draft.position.unwrap_or(current.position);
        Ok(self
            .store()
            .update_measure(id, expected, plan, draft, position, self.today())
            .await?)
    }

    /// Deletes a measure and its values, unless a formula still uses it;
    /// when `expected` names a version, only if the measure is still at it.
    pub async fn delete_measure(&self, id: MeasureId, expected: Option<i64>) -> ServiceResult<()> {
        let current = self.store().get_measure(id).await?;
        let measures = self.store().plan_measures(current.plan_id).await?;
        if let Some(user) = measures.iter().find(|m| {
            m.formula
                .as_ref()
                .is_some_and(|f| f.inputs().contains(current.key.as_str()))
        }) {
            return Err(ServiceError::Conflict {
                field: None,
                message: format!(
                    "measure {} is used in the formula of {}; change that formula first",
                    current.key, user.key
                ),
            });
        }
        Ok(self
            .store()
            .delete_measure(id, expected, current.plan_id)
            .await?)
    }

    /// Records one value of a measure; a value for a period that has one
    /// replaces it (the earlier value is kept in history).
    pub async fn record_observation(
        &self,
        measure: MeasureId,
        draft: &ObservationDraft,
    ) -> ServiceResult<Recorded> {
        let m = self.store().get_measure(measure).await?;
        if m.formula.is_some() {
            return Err(calculated(&m.key, "value"));
        }
        let input = ObservationInput {
            measure,
            draft: draft.clone(),
        };
        let (_, outcomes) = self
            .store()
            .record_observations(m.plan_id, &[input], self.today())
            .await?;
        Ok(outcomes[0])
    }

    /// The series of a measure, oldest period first.
    pub async fn measure_series(&self, id: MeasureId) -> ServiceResult<Vec<SeriesPoint>> {
        let m = self.store().get_measure(id).await?;
        let Some(formula) = &m.formula else {
            return Ok(self
                .store()
                .observations(id)
                .await?
                .into_iter()
                .map(|o| SeriesPoint {
                    period: o.period,
                    value: Some(o.value.get()),
                    observation: Some(o),
                })
                .collect());
        };
        let measures = self.store().plan_measures(m.plan_id).await?;
        let mut inputs: HashMap<&str, BTreeMap<ReportingPeriod, Option<f64>>> = HashMap::new();
        for key in formula.inputs() {
            let series = match measures.iter().find(|x| x.key.as_str() == key) {
                Some(input) => Box::pin(self.measure_series(input.id))
                    .await?
                    .into_iter()
                    .map(|p| (p.period, p.value))
                    .collect(),
                None => BTreeMap::new(),
            };
            inputs.insert(key, series);
        }
        let mut points: Vec<SeriesPoint> = calculated_series(formula, &inputs)
            .into_iter()
            .map(|(period, value)| SeriesPoint {
                period,
                value,
                observation: None,
            })
            .collect();
        points.sort_by_key(|p| (p.period.end(), p.period.start()));
        Ok(points)
    }

    /// Imports values of a plan's measures from CSV text, all or nothing:
    /// one bad row rejects the file, and every problem found is named by row
    /// and column. Importing the same file twice changes nothing.
    pub async fn import_observations_csv(
        &self,
        plan: PlanId,
        source_name: &str,
        text: &str,
    ) -> ServiceResult<ImportCounts> {
        self.store().get_plan(plan).await?;
        let measures: HashMap<String, Measure> = self
            .store()
            .plan_measures(plan)
            .await?
            .into_iter()
            .map(|m| (m.key.as_str().to_owned(), m))
            .collect();
        let inputs =
            parse_csv(text, &measures).map_err(|errors| ServiceError::InvalidDocument {
                source_name: source_name.to_owned(),
                errors,
            })?;
        let (counts, _) = self
            .store()
            .record_observations(plan, &inputs, self.today())
            .await?;
        Ok(counts)
    }
}

fn calculated(key: &MeasureKey, field: &str) -> ServiceError {
    ValidationError::new(
        field,
        format!(
            "measure {key} is calculated from its formula; record values of its inputs instead"
        ),
    )
    .into()
}

/// Reads CSV text into values for the plan's measures, or every problem found.
fn parse_csv(
    text: &str,
    measures: &HashMap<String, Measure>,
) -> Result<Vec<ObservationInput>, Vec<ValidationError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![ValidationError::new(
                "row 1",
                format!("the header cannot be read: {e}"),
            )]
        })?
        .clone();
    let mut columns: HashMap<&str, usize> = HashMap::new();
    let mut errors = Vec::new();
    for (i, raw) in headers.iter().enumerate() {
        let name = raw.to_ascii_lowercase();
        match CSV_COLUMNS.iter().find(|c| **c == name) {
            Some(known) => {
                if columns.insert(known, i).is_some() {
                    errors.push(ValidationError::new(
                        format!("row 1 column {}", i + 1),
                        format!("column {known:?} appears twice in the header"),
                    ));
                }
            }
            None => errors.push(ValidationError::new(
                format!("row 1 column {}", i + 1),
                format!(
                    "unknown column {raw:?}; the columns are {} (the first three required)",
                    CSV_COLUMNS.join(", ")
                ),
            )),
        }
    }
    for required in &CSV_COLUMNS[..3] {
        if !columns.contains_key(required) {
            errors.push(ValidationError::new(
                "row 1",
                format!(
                    "the header has no {required:?} column; expected {}",
                    CSV_COLUMNS.join(",")
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut inputs = Vec::new();
    let mut seen: HashMap<(MeasureId, ReportingPeriod), u64> = HashMap::new();
    for record in reader.records() {
        if errors.len() >= MAX_PROBLEMS {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                errors.push(ValidationError::new(format!("row {row}"), e.to_string()));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |name: &str| columns.get(name).and_then(|&i| record.get(i)).unwrap_or("");
        let at = |name: &str| format!("row {row} column {name}");
        let mut problem =
            |name: &str, message: String| errors.push(ValidationError::new(at(name), message));

        let key = cell("measure");
        let measure = match measures.get(key) {
            Some(m) if m.formula.is_some() => {
                problem(
                    "measure",
                    format!(
                        "measure {key} is calculated from its formula; import its inputs instead"
                    ),
                );
                None
            }
            Some(m) => Some(m),
            None if key.is_empty() => {
                problem(
                    "measure",
                    "is empty; give the key of one of the plan's measures".into(),
                );
                None
            }
            None => {
                problem(
                    "measure",
                    format!("the plan has no measure with key {key:?}"),
                );
                None
            }
        };
        let period = cell("period")
            .parse::<ReportingPeriod>()
            .map_err(|m| problem("period", m))
            .ok();
        let raw_value = cell("value");
        let value = match raw_value.parse::<f64>() {
            Ok(v) => Value::new(v).map_err(|m| problem("value", m)).ok(),
            Err(_) if raw_value.is_empty() => {
                problem("value", "is empty; give a number such as 95.5".into());
                None
            }
            Err(_) => {
                problem(
                    "value",
                    format!(
                        "{raw_value:?} is not a number; write it like 1234.5, without thousands separators or units"
                    ),
                );
                None
            }
        };
        let observed_on = match cell("observed_on") {
            "" => Some(None),
            raw => raw
                .parse::<CalendarDate>()
                .map(Some)
                .map_err(|m| problem("observed_on", m))
                .ok(),
        };
        let note = match cell("note") {
            "" => Some(None),
            raw => LongText::parse(raw)
                .map(Some)
                .map_err(|m| problem("note", m))
                .ok(),
        };
        let source = match cell("source") {
            "" => Some(None),
            raw => Name::parse(raw)
                .map(Some)
                .map_err(|m| problem("source", m))
                .ok(),
        };
        let (Some(measure), Some(period), Some(value), Some(observed_on), Some(note), Some(source)) =
            (measure, period, value, observed_on, note, source)
        else {
            continue;
        };
        if let Some(first) = seen.insert((measure.id, period), row) {
            problem(
                "period",
                format!(
                    "measure {key} already has a value for {period} on row {first}; give each period once"
                ),
            );
            continue;
        }
        inputs.push(ObservationInput {
            measure: measure.id,
            draft: ObservationDraft {
                period,
                value,
                observed_on,
                note,
                source,
            },
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if inputs.is_empty() {
        return Err(vec![ValidationError::new(
            "row 2",
            "the file has a header but no values",
        )]);
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures() -> HashMap<String, Measure> {
        let m = |id: i64, key: &str, formula: Option<&str>| Measure {
            id: MeasureId(id),
            plan_id: PlanId(1),
            node_id: NodeId(1),
            key: MeasureKey::parse(key).unwrap(),
            name: Name::parse(key).unwrap(),
            description: None,
            unit: None,
            direction: MeasureDirection::HigherIsBetter,
            baseline: None,
            targets: vec![],
            thresholds: Thresholds::default_for(MeasureDirection::HigherIsBetter),
            frequency: Frequency::Monthly,
            data_source: None,
            owner_id: None,
            formula: formula.map(|f| f.parse().unwrap()),
            weight: Weight::DEFAULT,
            position: 0,
        };
        [
            m(1, "uptime", None),
            m(2, "tickets", None),
            m(3, "ratio", Some("uptime / tickets")),
        ]
        .into_iter()
        .map(|m| (m.key.as_str().to_owned(), m))
        .collect()
    }

    #[test]
    fn reads_a_well_formed_file_in_any_column_order() {
        let csv = "period,value,measure,note\n2026-01,99.5,uptime,\n2026-Q1, 120 ,tickets,from ServiceNow\n";
        let inputs = parse_csv(csv, &measures()).unwrap();
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs[1].draft.value.get(), 120.0);
        assert_eq!(
            inputs[1].draft.note.as_ref().unwrap().as_str(),
            "from ServiceNow"
        );
    }

    #[test]
    fn names_the_row_and_column_of_every_problem() {
        let csv = "measure,period,value\nuptime,2026-01,99\nuptme,2026-02,98\nuptime,2026-13,97\nuptime,2026-04,9 7\nratio,2026-01,1\n";
        let errors = parse_csv(csv, &measures()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "row 3 column measure",
                "row 4 column period",
                "row 5 column value",
                "row 6 column measure"
            ]
        );
        assert!(errors[0].message.contains("\"uptme\""));
        assert!(errors[3].message.contains("calculated"));
    }

    #[test]
    fn rejects_a_wrong_header() {
        let errors =
            parse_csv("measure,period,amount\nuptime,2026-01,1\n", &measures()).unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("unknown column \"amount\""))
        );
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("no \"value\" column"))
        );
    }

    #[test]
    fn rejects_a_period_given_twice_and_an_empty_file() {
        let errors = parse_csv(
            "measure,period,value\nuptime,2026-01,1\nuptime,2026-01,2\n",
            &measures(),
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "row 3 column period");
        assert!(errors[0].message.contains("row 2"));
        let empty = parse_csv("measure,period,value\n", &measures()).unwrap_err();
        assert!(empty[0].message.contains("no values"));
    }

    #[test]
    fn rejects_ragged_rows() {
        let errors = parse_csv("measure,period,value\nuptime,2026-01\n", &measures()).unwrap_err();
        assert_eq!(errors[0].field, "row 2");
    }
}
