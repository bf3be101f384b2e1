//! The application's open-data operations: every table and the catalog are
//! drawn from [`App::public_plan`] and [`App::public_plans`], never from the
//! store directly.

use super::{
    Kind, OpenDataSettings, Table, catalog, measures_table, nodes_table, observations_table,
};
use crate::{App, ServiceResult};
use serde_json::Value;
use std::sync::Arc;

impl App {
    /// The same application with these open-data settings.
    pub fn with_open_data(self, settings: OpenDataSettings) -> Self {
        Self {
            open_data: Arc::new(settings),
            ..self
        }
    }

    /// The open-data settings in force.
    pub fn open_data_settings(&self) -> &OpenDataSettings {
        &self.open_data
    }

    /// One table of a published plan; `NotFound` for a plan that is not
    /// published, as for one that does not exist.
    pub async fn open_data_table(&self, plan_key: &str, kind: Kind) -> ServiceResult<Table> {
        let plan = self.public_plan(plan_key).await?;
        Ok(match kind {
            Kind::Nodes => nodes_table(&plan),
            Kind::Measures => measures_table(&plan),
            Kind::Observations => observations_table(&plan),
        })
    }

    /// The DCAT-US 1.1 catalog of every published plan, with its URLs under
    /// `base` (the configured public URL, else the caller's idea of it).
    pub async fn data_catalog(&self, base: &str) -> ServiceResult<Value> {
        let mut plans = Vec::new();
        for summary in self.public_plans().await? {
            plans.push(self.public_plan(summary.key.as_str()).await?);
        }
        let base = self.open_data.public_url.as_deref().unwrap_or(base);
        Ok(catalog(base, &self.open_data, &plans))
    }
}
