//! The sample plan: a fictional city's IT strategic plan, loaded into an empty
//! database so that a newcomer sees a working system at once.

use crate::{App, ServiceResult};
use lodestar_domain::Plan;

/// The sample plan, in plan-as-code.
pub const SAMPLE_PLAN: &str = include_str!("../sample/harbor-falls-it-plan.yaml");

/// The name errors give the sample document.
pub const SAMPLE_NAME: &str = "harbor-falls-it-plan.yaml";

impl App {
    /// Loads the sample plan if the database holds no plan; returns it if loaded.
    pub async fn load_sample_if_empty(&self) -> ServiceResult<Option<Plan>> {
        if !self.store().is_empty().await? {
            return Ok(None);
        }
        let plan = self.import_plan_code(SAMPLE_NAME, SAMPLE_PLAN).await?;
        Ok(Some(plan))
    }
}
