//! A proposal: a request for an IT project or purchase, with what it costs,
//! the staff effort it needs, and the objectives it serves.

use super::money::Money;
use super::month::{StaffRole, YearMonth};
use crate::keyword::keyword_enum;
use crate::{
    CalendarDate, DepartmentId, Key, Link, LongText, Name, NodeId, OrganizationId, PersonId,
    PlanId, ProposalId, UserId, ValidationError,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The stage every proposal starts in: editable, not yet under governance,
/// and not part of any configuration's stages.
pub const DRAFT_STAGE: &str = "draft";

/// The most cost lines, effort lines, links or objective ties a proposal may have.
pub const MAX_LINES: usize = 500;

keyword_enum!(
    /// How much could go wrong if the work fails or is not done.
    RiskLevel, what = "risk level" {
        /// Little at stake.
        Low = "low",
        /// Noticeable harm, recoverable.
        Medium = "medium",
        /// Serious harm to a service or to the public.
        High = "high",
        /// A failure of a critical service, safety or law.
        Critical = "critical",
    }
);

keyword_enum!(
    /// Which budget a cost is paid from.
    CostKind, what = "cost kind" {
        /// Capital: purchases and building things that last.
        Capital = "capital",
        /// Operating: subscriptions, support, staff augmentation.
        Operating = "operating",
    }
);

keyword_enum!(
    /// Whether a cost is paid once or comes back every year.
    Recurrence, what = "recurrence" {
        /// Paid once, in its fiscal year.
        OneTime = "one-time",
        /// Paid every year; each year it is due has its own line.
        Recurring = "recurring",
    }
);

/// A cost in one fiscal year. Recurring costs are entered once per fiscal
/// year they fall in, so every line counts against its own year's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CostLine {
    /// The fiscal year it is paid in (`2026` for FY2026).
    pub fiscal_year: i32,
    /// Capital or operating.
    pub kind: CostKind,
    /// One-time or recurring.
    pub recurrence: Recurrence,
    /// How much, in cents.
    pub amount: Money,
}

/// Staff hours of one role in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EffortLine {
    /// The kind of staff (`developer`).
    pub role: StaffRole,
    /// The month (`2026-03`).
    pub month: YearMonth,
    /// How many hours.
    pub hours: u32,
}

/// Leave to go ahead without a tie to an objective, granted by an account
/// whose role the governance configuration allows to grant it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProposalException {
    /// Why the proposal may proceed without a tie.
    pub reason: LongText,
    /// The account that granted it, while that account exists.
    pub approver_id: Option<UserId>,
    /// That account's name when it granted it.
    pub approver_name: Name,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
}

/// What a client sends to create or replace a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalDraft {
    /// The organization asking.
    pub organization_id: OrganizationId,
    /// The plan it is meant for, if one.
    #[serde(default)]
    pub plan_id: Option<PlanId>,
    /// A short title.
    pub title: Name,
    /// The requesting department.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// The sponsor.
    #[serde(default)]
    pub sponsor_id: Option<PersonId>,
    /// The problem it solves.
    #[serde(default)]
    pub problem: Option<LongText>,
    /// The benefits expected.
    #[serde(default)]
    pub benefits: Option<LongText>,
    /// How much is at stake.
    pub risk: RiskLevel,
    /// When the work should start.
    #[serde(default)]
    pub target_start: Option<CalendarDate>,
    /// When it should be done.
    #[serde(default)]
    pub target_end: Option<CalendarDate>,
    /// Attachments, as links.
    #[serde(default)]
    pub links: Vec<Link>,
    /// Costs per fiscal year.
    #[serde(default)]
    pub costs: Vec<CostLine>,
    /// Effort per role per month.
    #[serde(default)]
    pub effort: Vec<EffortLine>,
    /// The objectives it serves (objective-level nodes of active plans).
    #[serde(default)]
    pub objectives: Vec<NodeId>,
}

impl ProposalDraft {
    /// Checks what the draft can check on its own: dates in order, amounts
    /// and hours positive, fiscal years sensible, no objective twice.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if let (Some(start), Some(end)) = (self.target_start, self.target_end)
            && end < start
        {
            return Err(ValidationError::new(
                "target_end",
                format!("ends ({end}) before it starts ({start})"),
            ));
        }
        for (field, len) in [
            ("links", self.links.len()),
            ("costs", self.costs.len()),
            ("effort", self.effort.len()),
            ("objectives", self.objectives.len()),
        ] {
            if len > MAX_LINES {
                return Err(ValidationError::new(
                    field,
                    format!("at most {MAX_LINES} entries, got {len}"),
                ));
            }
        }
        for (i, line) in self.costs.iter().enumerate() {
            if !(1900..=2200).contains(&line.fiscal_year) {
                return Err(ValidationError::new(
                    format!("costs[{i}].fiscal_year"),
                    format!(
                        "{} is not a fiscal year from 1900 to 2200",
                        line.fiscal_year
                    ),
                ));
            }
            if line.amount <= Money::ZERO {
                return Err(ValidationError::new(
                    format!("costs[{i}].amount"),
                    "must be more than zero",
                ));
            }
        }
        for (i, line) in self.effort.iter().enumerate() {
            if line.hours == 0 {
                return Err(ValidationError::new(
                    format!("effort[{i}].hours"),
                    "must be more than zero",
                ));
            }
        }
        for (i, node) in self.objectives.iter().enumerate() {
            if self.objectives[..i].contains(node) {
                return Err(ValidationError::new(
                    format!("objectives[{i}]"),
                    format!("objective {node} is listed twice"),
                ));
            }
        }
        Ok(())
    }
}

/// A stored proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    /// Its id.
    pub id: ProposalId,
    /// Its fields as last saved.
    #[serde(flatten)]
    #[schema(schema_with = stored_fields)]
    pub draft: ProposalDraft,
    /// Where it is: `draft`, or one of the configuration's stages.
    pub stage: Key,
    /// Leave to proceed without a tie, if granted.
    pub exception: Option<ProposalException>,
    /// The initiative its approval created, if any.
    pub node_id: Option<NodeId>,
    /// The account that created it, while that account exists.
    pub created_by: Option<UserId>,
    /// That account's name when it created the proposal.
    pub created_by_name: String,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was first submitted.
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
}

/// The draft's fields as a stored proposal carries them: the draft's schema
/// without its `additionalProperties: false` (a client may send no other
/// field), which would otherwise forbid the stored proposal's own fields
/// (`id`, `stage`…) beside them.
fn stored_fields() -> utoipa::openapi::Schema {
    use utoipa::openapi::{RefOr, Schema};
    match <ProposalDraft as utoipa::PartialSchema>::schema() {
        RefOr::T(Schema::Object(mut object)) => {
            object.additional_properties = None;
            Schema::Object(object)
        }
        RefOr::T(other) => other,
        RefOr::Ref(_) => unreachable!("a derived struct schema is inline"),
    }
}

impl Proposal {
    /// Whether it is still a draft (editable, not yet submitted).
    pub fn is_draft(&self) -> bool {
        self.stage.as_str() == DRAFT_STAGE
    }

    /// Why it may not be submitted, or `Ok`: it needs a tie to an objective
    /// or an exception.
    pub fn check_submittable(&self) -> Result<(), ValidationError> {
        if self.draft.objectives.is_empty() && self.exception.is_none() {
            return Err(ValidationError::new(
                "objectives",
                "tie the proposal to at least one objective of an active plan, or have an exception granted",
            ));
        }
        Ok(())
    }
}

/// A move of a proposal from one stage to another, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Transition {
    /// Its id.
    pub id: i64,
    /// The proposal moved.
    pub proposal_id: ProposalId,
    /// The stage it left.
    pub from: Key,
    /// The stage it entered.
    pub to: Key,
    /// The gate passed (`Submit` for draft → submitted).
    pub gate: String,
    /// Why, in the actor's words.
    pub reason: LongText,
    /// The checklist items the actor confirmed.
    pub checklist: Vec<String>,
    /// The account that moved it, while that account exists.
    pub actor_id: Option<UserId>,
    /// That account's name at the time.
    pub actor_name: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// What else happened (the initiative created, or why none was).
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ProposalDraft {
        ProposalDraft {
            organization_id: OrganizationId(1),
            plan_id: None,
            title: Name::parse("New permitting system").unwrap(),
            department_id: None,
            sponsor_id: None,
            problem: None,
            benefits: None,
            risk: RiskLevel::High,
            target_start: None,
            target_end: None,
            links: vec![],
            costs: vec![],
            effort: vec![],
            objectives: vec![],
        }
    }

    #[test]
    fn draft_checks_name_the_field() {
        let mut d = draft();
        d.target_start = Some("2026-06-01".parse().unwrap());
        d.target_end = Some("2026-01-01".parse().unwrap());
        assert_eq!(d.validate().unwrap_err().field, "target_end");
        let mut d = draft();
        d.costs.push(CostLine {
            fiscal_year: 2026,
            kind: CostKind::Capital,
            recurrence: Recurrence::OneTime,
            amount: Money::ZERO,
        });
        assert_eq!(d.validate().unwrap_err().field, "costs[0].amount");
        let mut d = draft();
        d.objectives = vec![NodeId(3), NodeId(3)];
        assert_eq!(d.validate().unwrap_err().field, "objectives[1]");
    }

    #[test]
    fn proposals_round_trip_through_json() {
        let p = Proposal {
            id: ProposalId(7),
            draft: draft(),
            stage: Key::parse(DRAFT_STAGE).unwrap(),
            exception: None,
            node_id: None,
            created_by: Some(UserId(1)),
            created_by_name: "Ada".into(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            submitted_at: None,
        };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["title"], "New permitting system");
        assert_eq!(serde_json::from_value::<Proposal>(json).unwrap(), p);
    }

    #[test]
    fn a_stored_proposals_schema_admits_its_own_fields_beside_the_drafts() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(Proposal::schema()).unwrap();
        let parts = schema["allOf"]
            .as_array()
            .expect("the draft's fields and the others");
        assert!(parts[0]["additionalProperties"].is_null(), "{schema}");
        assert!(parts[0]["properties"]["title"].is_object(), "{schema}");
        assert!(parts[1]["properties"]["stage"].is_object(), "{schema}");
        // A client's draft still may not carry unknown fields.
        let draft = serde_json::to_value(ProposalDraft::schema()).unwrap();
        assert_eq!(draft["additionalProperties"], false);
    }

    #[test]
    fn cost_lines_read_as_json() {
        let line: CostLine = serde_json::from_str(
            r#"{"fiscal_year": 2027, "kind": "operating", "recurrence": "recurring", "amount": 1200000}"#,
        )
        .unwrap();
        assert_eq!(line.amount.to_string(), "$12,000.00");
        assert_eq!(line.recurrence, Recurrence::Recurring);
    }
}
