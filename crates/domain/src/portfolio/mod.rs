//! Portfolio governance: project proposals tied to the plan, scored on
//! weighted criteria, ranked against the staff hours and budget available,
//! and moved through configurable stage gates. See docs/portfolio.md.
//!
//! Everything here is pure: the services layer loads what is stored and
//! hands it to these functions, so the arithmetic is tested without a
//! database.

pub mod budget;
pub mod capacity;
pub mod config;
pub mod cutline;
pub mod gates;
pub mod money;
pub mod month;
pub mod proposal;
pub mod scoring;

pub use budget::{
    BudgetLimit, BudgetRollup, BudgetRow, BudgetYear, CommittedCosts, Placement, roll_up,
};
pub use capacity::{CapacityRow, capacity_report};
pub use config::{Criterion, Gate, GovernanceConfig, Stage, StageKind};
pub use cutline::{Candidate, CutLineEntry, Demand, Limits, cut_line};
pub use gates::{GateRefusal, check_passage, gates_from};
pub use money::Money;
pub use month::{StaffRole, YearMonth};
pub use proposal::{
    CostKind, CostLine, DRAFT_STAGE, EffortLine, Proposal, ProposalDraft, ProposalException,
    Recurrence, RiskLevel, Transition,
};
pub use scoring::{CriterionScore, ReviewerScore, ScoreSummary, summarize};
