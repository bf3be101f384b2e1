//! The sample plan: a fictional city's IT strategic plan, loaded into an empty
//! database so that a newcomer sees a working system at once.
//!
//! The plan itself is plan-as-code (`crates/services/sample/`). Its execution
//! data is not part of the document: once the plan is imported, values of its
//! measures and its owners' check-ins are recorded dated relative to the
//! application's today, so dashboards have something current to show however
//! long after release the sample is loaded.

mod checkins;
mod observations;

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::Plan;

/// The sample plan, in plan-as-code.
pub const SAMPLE_PLAN: &str = include_str!("../../sample/harbor-falls-it-plan.yaml");

/// The name errors give the sample document.
pub const SAMPLE_NAME: &str = "harbor-falls-it-plan.yaml";

impl App {
    /// Loads the sample plan if the database holds no plan, with measure
    /// values and check-ins dated up to today; returns it if loaded.
    ///
    /// If recording the execution data fails, the plan is removed again, so
    /// the database is left empty and the next start tries afresh.
    pub async fn load_sample_if_empty(&self) -> ServiceResult<Option<Plan>> {
        if !self.store().is_empty().await? {
            return Ok(None);
        }
        let plan = self.import_plan_code(SAMPLE_NAME, SAMPLE_PLAN).await?;
        if let Err(error) = self.record_sample_execution(&plan).await {
            tracing::error!(
                plan = %plan.id,
                "recording the sample plan's measure values and check-ins failed: {error}; \
                 removing the sample plan"
            );
            if let Err(cleanup) = self.store().delete_plan(plan.id, None).await {
                tracing::error!(plan = %plan.id, "the sample plan could not be removed: {cleanup}");
            }
            return Err(match error {
                ServiceError::Invalid(e) => ServiceError::InvalidDocument {
                    source_name: SAMPLE_NAME.to_owned(),
                    errors: vec![e],
                },
                other => other,
            });
        }
        Ok(Some(plan))
    }

    /// Records the sample's measure values (in one transaction) and its
    /// owners' check-ins, as of today.
    async fn record_sample_execution(&self, plan: &Plan) -> ServiceResult<()> {
        let today = self.today();
        let measures = self.store().plan_measures(plan.id).await?;
        let inputs = observations::generate(&measures, today).map_err(ServiceError::Invalid)?;
        let (counts, _) = self
            .store()
            .record_observations(plan.id, &inputs, today)
            .await?;
        let filed = checkins::file(self, plan.id, today).await?;
        tracing::info!(
            plan = %plan.id,
            observations = counts.inserted,
            checkins = filed,
            "recorded the sample plan's execution data as of {today}"
        );
        Ok(())
    }
}
