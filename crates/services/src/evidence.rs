//! Evidence ("success stories") of plan nodes: an outcome is recorded once it
//! has been observed, so its date cannot be in the future.

use crate::{App, ServiceResult};
use lodestar_domain::*;
use lodestar_storage::Versioned;
use time::Date;

/// Refuses an observation date later than today.
fn check_evidence(draft: &EvidenceDraft, today: Date) -> ServiceResult<()> {
    if draft.date.date() > today {
        return Err(ValidationError::new(
            "date",
            format!(
                "evidence cannot be dated in the future ({}; today is {today})",
                draft.date
            ),
        )
        .into());
    }
    Ok(())
}

impl App {
    /// Records evidence for a node.
    pub async fn create_evidence(
        &self,
        node: NodeId,
        draft: &EvidenceDraft,
    ) -> ServiceResult<Evidence> {
        self.store().get_node(node).await?;
        check_evidence(draft, self.today())?;
        Ok(self.store().create_evidence(node, draft).await?)
    }

    /// Replaces the fields of a piece of evidence still at version `expected`.
    pub async fn update_evidence(
        &self,
        id: EvidenceId,
        expected: i64,
        draft: &EvidenceDraft,
    ) -> ServiceResult<Versioned<Evidence>> {
        self.store().at_version::<Evidence>(id, expected).await?;
        check_evidence(draft, self.today())?;
        Ok(self.store().update_evidence(id, expected, draft).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft(on: &str) -> EvidenceDraft {
        EvidenceDraft {
            title: Name::parse("Permits issued in a day").unwrap(),
            date: on.parse().unwrap(),
            before: Name::parse("3 weeks").ok(),
            after: Name::parse("1 day").ok(),
            narrative: None,
            source: None,
        }
    }

    #[test]
    fn evidence_may_be_dated_today_but_not_tomorrow() {
        let today = date!(2025 - 02 - 10);
        assert!(check_evidence(&draft("2024-12-01"), today).is_ok());
        assert!(check_evidence(&draft("2025-02-10"), today).is_ok());
        let err = check_evidence(&draft("2025-02-11"), today).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("date: evidence cannot be dated in the future"),
            "{err}"
        );
    }
}
