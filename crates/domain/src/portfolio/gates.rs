//! Passing a gate: which moves a stage allows, who may make them, and what
//! must be said and confirmed to make one.

use super::config::{Gate, GovernanceConfig};
use crate::{Role, ValidationError};

/// Why a gate may not be passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateRefusal {
    /// The caller's role may not pass this gate; the message names who may.
    Forbidden(String),
    /// The move or its record is wrong; the error names the field.
    Invalid(ValidationError),
}

impl From<ValidationError> for GateRefusal {
    fn from(e: ValidationError) -> Self {
        Self::Invalid(e)
    }
}

/// The gates that lead out of stage `from`.
pub fn gates_from<'a>(config: &'a GovernanceConfig, from: &str) -> Vec<&'a Gate> {
    config
        .gates
        .iter()
        .filter(|g| g.from.iter().any(|f| f.as_str() == from))
        .collect()
}

/// The gate from `from` to `to`, if the caller (with `role`) may pass it now:
/// a reason is given and every checklist item is confirmed (`confirmed`
/// holds the items' texts; items not on the checklist are refused too).
pub fn check_passage<'a>(
    config: &'a GovernanceConfig,
    from: &str,
    to: &str,
    role: Role,
    reason: &str,
    confirmed: &[String],
) -> Result<&'a Gate, GateRefusal> {
    let out = gates_from(config, from);
    let Some(gate) = out.iter().copied().find(|g| g.to.as_str() == to) else {
        let next: Vec<&str> = out.iter().map(|g| g.to.as_str()).collect();
        let allowed = if next.is_empty() {
            format!("no stage follows {from}")
        } else {
            format!("from {from} a proposal may move to: {}", next.join(", "))
        };
        return Err(ValidationError::new(
            "to",
            format!("no gate leads from {from} to {to}; {allowed}"),
        )
        .into());
    };
    if !gate.roles.contains(&role) {
        let roles: Vec<&str> = gate.roles.iter().map(|r| r.as_str()).collect();
        return Err(GateRefusal::Forbidden(format!(
            "the gate {} ({from} → {to}) may be passed only by: {}; this account is {role}",
            gate.name,
            roles.join(", ")
        )));
    }
    if reason.trim().is_empty() {
        return Err(ValidationError::new("reason", "say why the proposal moves on").into());
    }
    for item in &gate.checklist {
        if !confirmed.iter().any(|c| c.trim() == item.trim()) {
            return Err(ValidationError::new(
                "checklist",
                format!("confirm {item:?} to pass the gate {}", gate.name),
            )
            .into());
        }
    }
    if let Some(extra) = confirmed
        .iter()
        .find(|c| !gate.checklist.iter().any(|i| i.trim() == c.trim()))
    {
        return Err(ValidationError::new(
            "checklist",
            format!(
                "{extra:?} is not an item of the gate {}'s checklist",
                gate.name
            ),
        )
        .into());
    }
    Ok(gate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(gate: &Gate) -> Vec<String> {
        gate.checklist.clone()
    }

    #[test]
    fn only_the_gate_roles_may_pass() {
        let c = GovernanceConfig::default();
        let approval = &c.gates[1];
        let refusal = check_passage(
            &c,
            "reviewed",
            "approved",
            Role::PlanEditor,
            "fits",
            &all(approval),
        )
        .unwrap_err();
        let GateRefusal::Forbidden(message) = refusal else {
            panic!("expected Forbidden, got {refusal:?}");
        };
        assert!(message.contains("only by: administrator"), "{message}");
        let gate = check_passage(
            &c,
            "reviewed",
            "approved",
            Role::Administrator,
            "fits",
            &all(approval),
        )
        .unwrap();
        assert_eq!(gate.name.as_str(), "Approval");
    }

    #[test]
    fn an_unknown_move_names_the_allowed_next_stages() {
        let c = GovernanceConfig::default();
        let GateRefusal::Invalid(e) =
            check_passage(&c, "submitted", "approved", Role::Administrator, "x", &[]).unwrap_err()
        else {
            panic!("expected Invalid");
        };
        assert_eq!(e.field, "to");
        assert!(
            e.message
                .contains("may move to: reviewed, rejected, on-hold"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_reason_and_every_checklist_item_are_required() {
        let c = GovernanceConfig::default();
        let review = &c.gates[0];
        let err = |r: GateRefusal| match r {
            GateRefusal::Invalid(e) => e,
            other => panic!("expected Invalid, got {other:?}"),
        };
        let e = err(check_passage(
            &c,
            "submitted",
            "reviewed",
            Role::Reviewer,
            " ",
            &all(review),
        )
        .unwrap_err());
        assert_eq!(e.field, "reason");
        let e = err(check_passage(
            &c,
            "submitted",
            "reviewed",
            Role::Reviewer,
            "ok",
            &all(review)[..1],
        )
        .unwrap_err());
        assert_eq!(e.field, "checklist");
        assert!(e.message.contains("Every criterion has been scored"));
        assert!(
            check_passage(
                &c,
                "submitted",
                "reviewed",
                Role::Reviewer,
                "ok",
                &all(review)
            )
            .is_ok()
        );
    }
}
