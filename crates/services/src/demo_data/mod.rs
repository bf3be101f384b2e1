//! A deterministic synthetic portfolio for demonstrations and benchmarks:
//! `lodestar demo-data --scale small|city|federal --seed N`.
//!
//! Generation ([`generate`]) is pure: from the scale, the seed and the day the
//! data is "as of", it builds each organization's plan as a plan-as-code
//! document (checked by the same rules as an import), the measures' values,
//! the owners' check-ins and the accounts, and its organization's change
//! proposals with the capacity and budgets they are ranked against. Writing
//! ([`App::write_demo_data`]) hands those to the storage layer's bulk writer,
//! which inserts them in chunks inside one transaction and computes every
//! status cache before it commits. See docs/demo-data.md.

mod execution;
pub mod generate;
mod proposals;
mod rng;
mod words;

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::PlanId;
use std::fmt;
use std::str::FromStr;
use time::Date;

pub use generate::{DemoPlan, generate_plan};

/// How big a portfolio to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Two small plans, for tests.
    Small,
    /// One city's IT plan.
    City,
    /// A federal department's portfolio: 25 agencies.
    Federal,
}

/// What one scale holds, in total over all its plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Organizations (one plan each).
    pub organizations: usize,
    /// Plans.
    pub plans: usize,
    /// Goals (top-level nodes).
    pub goals: usize,
    /// Objectives (beneath goals).
    pub objectives: usize,
    /// Initiatives (beneath objectives).
    pub initiatives: usize,
    /// Measures.
    pub measures: usize,
    /// Observed values of those measures.
    pub observations: usize,
    /// Check-ins on initiatives.
    pub checkins: usize,
    /// People, each with an account.
    pub users: usize,
    /// Change proposals, with their ties, scores and transitions.
    pub proposals: usize,
}

/// The one table of what each scale generates; docs/demo-data.md repeats it.
pub const SCALES: &[(Scale, Counts)] = &[
    (
        Scale::Small,
        Counts {
            organizations: 2,
            plans: 2,
            goals: 4,
            objectives: 8,
            initiatives: 30,
            measures: 10,
            observations: 500,
            checkins: 60,
            users: 6,
            proposals: 4,
        },
    ),
    (
        Scale::City,
        Counts {
            organizations: 1,
            plans: 1,
            goals: 6,
            objectives: 30,
            initiatives: 600,
            measures: 120,
            observations: 40_000,
            checkins: 4_000,
            users: 20,
            proposals: 200,
        },
    ),
    (
        Scale::Federal,
        Counts {
            organizations: 25,
            plans: 25,
            goals: 150,
            objectives: 750,
            initiatives: 15_000,
            measures: 3_000,
            observations: 1_000_000,
            checkins: 100_000,
            users: 500,
            proposals: 2_000,
        },
    ),
];

impl Scale {
    /// What this scale generates.
    pub fn counts(self) -> Counts {
        SCALES
            .iter()
            .find(|(s, _)| *s == self)
            .map(|(_, c)| *c)
            .expect("every scale is in the table")
    }

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Small => "small",
            Self::City => "city",
            Self::Federal => "federal",
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "small" => Ok(Self::Small),
            "city" => Ok(Self::City),
            "federal" => Ok(Self::Federal),
            other => Err(format!(
                "unknown scale {other:?}; choose small, city or federal"
            )),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// How much.
    pub scale: Scale,
    /// The seed: the same seed, scale and day give the same portfolio.
    pub seed: u64,
    /// The day the data is as of: values and check-ins end before it, plan
    /// periods and due dates are placed around it.
    pub as_of: Date,
    /// Write even when the database already holds plans.
    pub force: bool,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    /// The plans created, in order.
    pub plans: Vec<PlanId>,
    /// What they hold.
    pub counts: Counts,
    /// The address of the administrator account.
    pub admin_email: String,
}

/// Progress of a write: rows written so far out of the total expected.
pub trait DemoProgress: Send {
    /// `rows` more rows were written.
    fn advance(&mut self, rows: u64);
    /// The next plan starts (`index` of `of`).
    fn plan(&mut self, index: usize, of: usize);
}

/// About how many rows a proposal brings: itself, its ties, scores,
/// transitions, and its share of capacity and budgets.
const ROWS_PER_PROPOSAL: usize = 20;

impl Counts {
    /// Every row the write makes, about: for a progress bar's length.
    pub fn rows(&self) -> u64 {
        (self.organizations
            + self.goals
            + self.objectives
            + self.initiatives
            + self.measures
            + self.observations
            + self.checkins
            + self.users * 2
            + self.organizations * words::DEPARTMENTS.len().min(6)
            + self.proposals * ROWS_PER_PROPOSAL) as u64
    }
}

impl App {
    /// Generates the portfolio `options` names and writes it, all in one
    /// transaction: on any failure nothing is written. Every account gets
    /// `password`, hashed once.
    ///
    /// Refuses, unless `options.force`, when the database already holds a
    /// plan: the demo portfolio is meant for an empty database, and mixing it
    /// into real data is rarely what anyone wants.
    pub async fn write_demo_data(
        &self,
        options: DemoOptions,
        password: &str,
        progress: &mut dyn DemoProgress,
    ) -> ServiceResult<DemoSummary> {
        let existing = self.store().list_plans().await?.len();
        if existing > 0 && !options.force {
            return Err(ServiceError::Conflict {
                field: None,
                message: format!(
                    "the database already holds {existing} plan(s); demo-data fills an empty database. \
                     Point --data-dir or --database-url at a new one, or pass --force to add the demo \
                     portfolio beside what is there"
                ),
            });
        }
        let hash = crate::accounts::hash_password(password)?;
        let counts = options.scale.counts();
        let mut writer = self.store().bulk_writer(options.as_of).await?;
        let mut plans = Vec::with_capacity(counts.plans);
        let mut admin: Option<lodestar_storage::BulkAccount> = None;
        for index in 0..counts.plans {
            progress.plan(index, counts.plans);
            let demo = generate_plan(options.scale, options.seed, index, options.as_of)?;
            let admin = admin.get_or_insert_with(|| lodestar_storage::BulkAccount {
                email: demo.users[0].email.clone(),
                name: demo.users[0].name.clone(),
            });
            let flat = crate::plan_code::check("demo-data", &demo.document, options.as_of)?;
            let plan = lodestar_storage::BulkPlan {
                document: &demo.document,
                flat: &flat,
                observations: &demo.observations,
                checkins: &demo.checkins,
                users: &demo.users,
                password_hash: &hash,
            };
            let mut advance = |rows| progress.advance(rows);
            let id = writer.write_plan(&plan, &mut advance).await?;
            let rows =
                write_proposals(&mut writer, options, index, &demo, &flat, id, admin).await?;
            progress.advance(rows);
            plans.push(id);
        }
        writer.commit().await?;
        tracing::info!(scale = %options.scale, seed = options.seed, plans = plans.len(), "wrote the demo portfolio");
        Ok(DemoSummary {
            plans,
            counts,
            admin_email: admin
                .map(|a| a.email.as_str().to_owned())
                .unwrap_or_default(),
        })
    }
}

/// Generates plan `index`'s change proposals (`Counts::proposals` spread
/// over the plans), its organization's capacity and budgets, and writes them
/// with the plan `id` just written, in the same transaction. Returns how
/// many rows that was.
async fn write_proposals(
    writer: &mut lodestar_storage::BulkWriter,
    options: DemoOptions,
    index: usize,
    demo: &DemoPlan,
    flat: &[lodestar_domain::document::FlatNode<'_>],
    id: PlanId,
    admin: &lodestar_storage::BulkAccount,
) -> ServiceResult<u64> {
    let portfolio = proposals::generate_portfolio(
        options.scale,
        options.seed,
        index,
        options.as_of,
        demo,
        flat,
        admin,
    )?;
    let bulk = lodestar_storage::BulkPortfolio {
        accounts: &portfolio.accounts,
        proposals: &portfolio.proposals,
        capacity: &portfolio.capacity,
        budgets: &portfolio.budgets,
    };
    Ok(writer.write_portfolio(id, &bulk).await?)
}
