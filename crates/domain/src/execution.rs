//! Executing a plan: where each node stands, its milestones, the check-ins its
//! owner files, and the evidence of what it achieved.

use crate::keyword::keyword_enum;
use crate::{
    CalendarDate, CheckInId, EvidenceId, LongText, MilestoneId, Name, NodeId, PersonId, Url,
    ValidationError,
};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use time::OffsetDateTime;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

keyword_enum!(
    /// Where a node stands, as its owner reports it in a check-in, or as the
    /// roll-up computes it from its children and measures.
    ProgressStatus, what = "status" {
        /// Work has not begun.
        NotStarted = "not-started",
        /// Going as planned.
        OnTrack = "on-track",
        /// Slipping, but recoverable.
        AtRisk = "at-risk",
        /// Will miss its date or outcome without intervention.
        OffTrack = "off-track",
        /// Delivered.
        Completed = "completed",
        /// Postponed; it no longer counts in its parent's roll-up.
        Deferred = "deferred",
        /// Dropped; it no longer counts in its parent's roll-up.
        Cancelled = "cancelled",
    }
);

impl ProgressStatus {
    /// Whether the node has left active work (completed, deferred or cancelled),
    /// so that nobody needs to chase its updates.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Completed | Self::Deferred | Self::Cancelled)
    }

    /// Whether the node is set aside and left out of its parent's roll-up.
    pub fn is_set_aside(self) -> bool {
        matches!(self, Self::Deferred | Self::Cancelled)
    }
}

keyword_enum!(
    /// How often a node's owner is expected to file a check-in.
    Cadence, what = "cadence" {
        /// At least once a month.
        Monthly = "monthly",
        /// At least once a quarter.
        Quarterly = "quarterly",
        /// At least once a year.
        Annually = "annually",
        /// No regular check-in is expected.
        None = "none",
    }
);

impl Cadence {
    /// The most days that may pass after a check-in before the next one is
    /// overdue; none when no check-in is expected.
    pub fn allowed_days(self) -> Option<i64> {
        match self {
            Self::Monthly => Some(31),
            Self::Quarterly => Some(92),
            Self::Annually => Some(366),
            Self::None => None,
        }
    }
}

// Derivable only by adding `Default` to every keyword enum; `None` is the default
// here because most nodes of an imported plan have no agreed cadence yet.
#[allow(clippy::derivable_impls)]
impl Default for Cadence {
    fn default() -> Self {
        Self::None
    }
}

/// A share of work done: a finite number from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Percent(f64);

impl Percent {
    /// Nothing done.
    pub const ZERO: Percent = Percent(0.0);
    /// Everything done.
    pub const FULL: Percent = Percent(100.0);

    /// A percentage, or why it cannot be one.
    pub fn new(value: f64) -> Result<Self, String> {
        if !value.is_finite() || !(0.0..=100.0).contains(&value) {
            return Err(format!(
                "percent must be a number from 0 to 100, got {value}"
            ));
        }
        Ok(Self(value))
    }

    /// The number itself.
    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Percent {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        Self::new(value)
    }
}

impl From<Percent> for f64 {
    fn from(p: Percent) -> f64 {
        p.0
    }
}

impl PartialSchema for Percent {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Number)
            .minimum(Some(0.0))
            .maximum(Some(100.0))
            .examples([serde_json::json!(40)])
            .into()
    }
}

impl ToSchema for Percent {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Percent")
    }
}

/// A dated step on the way to delivering a node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Milestone {
    /// Its identifier.
    pub id: MilestoneId,
    /// The node it belongs to.
    pub node_id: NodeId,
    /// What is reached.
    pub title: Name,
    /// When it is due.
    pub due_date: Option<CalendarDate>,
    /// When it was reached; none while open.
    pub done_date: Option<CalendarDate>,
    /// Its place among the node's milestones, from 0.
    pub position: i32,
}

/// What a client sends to create or replace a milestone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MilestoneDraft {
    /// What is reached.
    pub title: Name,
    /// When it is due.
    #[serde(default)]
    pub due_date: Option<CalendarDate>,
    /// When it was reached.
    #[serde(default)]
    pub done_date: Option<CalendarDate>,
    /// Its place among the node's milestones; after the last one when omitted.
    #[serde(default)]
    pub position: Option<i32>,
}

/// A link a check-in points to: a status report, a ticket, a demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The address.
    pub url: Url,
    /// What it is, in a few words.
    #[serde(default)]
    pub label: Option<Name>,
}

/// What a client sends to file a check-in, or to correct one. A correction
/// carries a `reason`; the text it replaces is kept as a revision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInDraft {
    /// Who files (or corrects) it; the node's owner when omitted.
    #[serde(default)]
    pub author_id: Option<PersonId>,
    /// Why the earlier text was wrong: required to correct a check-in, refused when filing one.
    #[serde(default)]
    pub reason: Option<Name>,
    /// The day the report speaks for; today when omitted.
    #[serde(default)]
    pub date: Option<CalendarDate>,
    /// Where the node stands.
    pub status: ProgressStatus,
    /// How much of the work is done; 100 when the status is completed. When
    /// omitted, the check-in stores none and the node's progress keeps the
    /// latest figure an earlier check-in gave.
    #[serde(default)]
    pub percent: Option<Percent>,
    /// What happened since the last check-in.
    #[serde(default)]
    pub happened: Option<LongText>,
    /// What comes next.
    #[serde(default)]
    pub next: Option<LongText>,
    /// What help is needed, and from whom.
    #[serde(default)]
    pub help_needed: Option<LongText>,
    /// Supporting links.
    #[serde(default)]
    pub links: Vec<Link>,
}

impl CheckInDraft {
    /// The most links one check-in may carry.
    pub const MAX_LINKS: usize = 20;

    /// Checks the rules the draft's fields keep together.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.links.len() > Self::MAX_LINKS {
            return Err(ValidationError::new(
                "links",
                format!(
                    "a check-in may carry at most {} links, got {}",
                    Self::MAX_LINKS,
                    self.links.len()
                ),
            ));
        }
        if self.status == ProgressStatus::Completed
            && let Some(p) = self.percent
            && p != Percent::FULL
        {
            return Err(ValidationError::new(
                "percent",
                format!(
                    "a completed node is 100% done, but the check-in says {}%",
                    p.value()
                ),
            ));
        }
        Ok(())
    }
}

/// A filed check-in, as it reads now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CheckIn {
    /// Its identifier.
    pub id: CheckInId,
    /// The node it reports on.
    pub node_id: NodeId,
    /// Who filed it.
    pub author_id: Option<PersonId>,
    /// The day it speaks for.
    pub date: CalendarDate,
    /// Where the node stood.
    pub status: ProgressStatus,
    /// How much of the work was done.
    pub percent: Option<Percent>,
    /// What happened.
    pub happened: Option<LongText>,
    /// What comes next.
    pub next: Option<LongText>,
    /// What help is needed.
    pub help_needed: Option<LongText>,
    /// Supporting links.
    pub links: Vec<Link>,
    /// 1 as filed; one more for each correction.
    pub revision: i32,
    /// When it was filed.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// An earlier text of a corrected check-in, kept so no report is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CheckInRevision {
    /// The revision this text was (1 for the text as filed).
    pub revision: i32,
    /// Who filed or last corrected this text.
    pub author_id: Option<PersonId>,
    /// The day it spoke for.
    pub date: CalendarDate,
    /// The status it gave.
    pub status: ProgressStatus,
    /// The percent it gave.
    pub percent: Option<Percent>,
    /// What happened.
    pub happened: Option<LongText>,
    /// What came next.
    pub next: Option<LongText>,
    /// What help was needed.
    pub help_needed: Option<LongText>,
    /// Its links.
    pub links: Vec<Link>,
    /// Who replaced it.
    pub replaced_by: Option<PersonId>,
    /// When it was replaced.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub replaced_at: OffsetDateTime,
    /// Why it was replaced.
    pub reason: Name,
}

/// An owner's decision to show a status other than the computed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatusOverride {
    /// The status shown instead of the computed one.
    pub status: ProgressStatus,
    /// Why, in words a sponsor can check.
    pub reason: LongText,
    /// Who decided it.
    pub set_by: Option<PersonId>,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub set_at: OffsetDateTime,
}

/// What a client sends to override a node's computed status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusOverrideDraft {
    /// The status to show.
    pub status: ProgressStatus,
    /// Why; required, because an override without a reason cannot be checked.
    pub reason: LongText,
    /// Who decides it.
    #[serde(default)]
    pub set_by: Option<PersonId>,
}

/// A dated, quantified outcome a node achieved: a "success story".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    /// Its identifier.
    pub id: EvidenceId,
    /// The node it is evidence for.
    pub node_id: NodeId,
    /// The outcome in one line.
    pub title: Name,
    /// When it was observed.
    pub date: CalendarDate,
    /// How things were before (`20–30 minutes per request`).
    pub before: Option<Name>,
    /// How things are after (`under a minute`).
    pub after: Option<Name>,
    /// The story in full.
    pub narrative: Option<LongText>,
    /// Where the figures come from.
    pub source: Option<Name>,
}

/// What a client sends to record or replace evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceDraft {
    /// The outcome in one line.
    pub title: Name,
    /// When it was observed.
    pub date: CalendarDate,
    /// How things were before.
    #[serde(default)]
    pub before: Option<Name>,
    /// How things are after.
    #[serde(default)]
    pub after: Option<Name>,
    /// The story in full.
    #[serde(default)]
    pub narrative: Option<LongText>,
    /// Where the figures come from.
    #[serde(default)]
    pub source: Option<Name>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_loose_spellings_and_name_the_choices() {
        assert_eq!(
            "At Risk".parse::<ProgressStatus>(),
            Ok(ProgressStatus::AtRisk)
        );
        assert_eq!(
            "on_track".parse::<ProgressStatus>(),
            Ok(ProgressStatus::OnTrack)
        );
        let err = "late".parse::<ProgressStatus>().unwrap_err();
        assert!(err.contains("not-started, on-track"), "{err}");
    }

    #[test]
    fn percent_is_bounded() {
        assert!(Percent::new(100.0).is_ok());
        assert!(Percent::new(100.5).is_err());
        assert!(Percent::new(-1.0).is_err());
        assert!(Percent::new(f64::INFINITY).is_err());
    }

    #[test]
    fn a_completed_check_in_cannot_be_partly_done() {
        let draft: CheckInDraft =
            serde_json::from_str(r#"{"status":"completed","percent":60}"#).unwrap();
        assert_eq!(draft.validate().unwrap_err().field, "percent");
    }

    #[test]
    fn check_in_drafts_read_flat_json() {
        let draft: CheckInDraft = serde_json::from_str(
            r#"{"author_id":3,"status":"at-risk","percent":40,"happened":"Vendor slipped",
                "links":[{"url":"https://example.gov/r/1","label":"Report"}]}"#,
        )
        .unwrap();
        assert_eq!(draft.author_id, Some(PersonId(3)));
        assert_eq!(draft.status, ProgressStatus::AtRisk);
        assert_eq!(draft.links.len(), 1);
        assert!(
            serde_json::from_str::<CheckInDraft>(r#"{"status":"on-track","bogus":1}"#).is_err()
        );
    }

    #[test]
    fn cadences_allow_a_month_a_quarter_a_year() {
        assert_eq!(Cadence::Monthly.allowed_days(), Some(31));
        assert_eq!(Cadence::Quarterly.allowed_days(), Some(92));
        assert_eq!(Cadence::None.allowed_days(), None);
    }
}
