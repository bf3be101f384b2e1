//! Lodestar's domain model.
//!
//! A public IT organization runs on a strategic plan: a vision and mission,
//! goals, objectives beneath them, initiatives beneath those. Real plans name
//! these levels differently (Goal/Objective/Initiative, Pillar/Strategy/Action,
//! Strategic goal/Strategic objective/Performance goal), so a plan carries the
//! names of its own levels and nodes form a tree of any depth.
//!
//! This crate holds only types and rules: no I/O, no database, no HTTP. Every
//! value that has a rule (a title is never empty, a period never ends before
//! it starts, a weight is never negative) is a type that cannot hold a value
//! breaking it, so the layers above parse input once, at the edge.

pub mod account;
pub mod document;
pub mod error;
pub mod execution;
pub mod formula;
pub mod grade;
pub mod ids;
mod keyword;
pub mod measure;
pub mod node;
pub mod org;
pub mod plan;
pub mod portfolio;
pub mod report_card;
pub mod revision_diff;
pub mod status;
pub mod tag;
pub mod text;
pub mod tree;
pub mod when;

pub use account::{Role, TokenScope, User, check_password};
pub use error::ValidationError;
pub use execution::{
    Cadence, CheckIn, CheckInDraft, CheckInRevision, Evidence, EvidenceDraft, Link, Milestone,
    MilestoneDraft, Percent, ProgressStatus, StatusOverride, StatusOverrideDraft,
};
pub use formula::Formula;
pub use ids::*;
pub use measure::{
    Baseline, Frequency, Goal, Measure, MeasureDirection, MeasureDraft, Observation,
    ObservationDraft, ReportingPeriod, Target, ThresholdBasis, Thresholds, Value,
};
pub use node::{Horizon, Node, NodeDraft, Schedule, Weight};
pub use org::{Department, DepartmentDraft, Organization, OrganizationDraft, Person, PersonDraft};
pub use plan::{LevelNames, Period, Plan, PlanDraft, PlanStatus, Principle};
pub use tag::{Alignment, AlignmentDraft, AlignmentEnd, Direction, Tag, TagDraft};
pub use text::{Code, Email, Key, LongText, MeasureKey, Name, Url};
pub use tree::{PlanTree, TreeNode};
pub use when::CalendarDate;
