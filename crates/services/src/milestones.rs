//! Milestones of plan nodes: a milestone may be reached early, but never on a
//! day that has not come yet.

use crate::{App, ServiceResult};
use lodestar_domain::*;
use lodestar_storage::Versioned;
use time::Date;

/// Refuses a done date later than today.
fn check_milestone(draft: &MilestoneDraft, today: Date) -> ServiceResult<()> {
    if let Some(done) = draft.done_date
        && done.date() > today
    {
        return Err(ValidationError::new(
            "done_date",
            format!("a milestone cannot be done on a future date ({done}; today is {today})"),
        )
        .into());
    }
    Ok(())
}

impl App {
    /// Adds a milestone to a node, after its last one unless a position is given.
    pub async fn create_milestone(
        &self,
        node: NodeId,
        draft: &MilestoneDraft,
    ) -> ServiceResult<Milestone> {
        self.store().get_node(node).await?;
        check_milestone(draft, self.today())?;
        Ok(self.store().create_milestone(node, draft).await?)
    }

    /// Replaces the fields of a milestone still at version `expected`; it
    /// keeps its place unless a position is given.
    pub async fn update_milestone(
        &self,
        id: MilestoneId,
        expected: i64,
        draft: &MilestoneDraft,
    ) -> ServiceResult<Versioned<Milestone>> {
        self.store().at_version::<Milestone>(id, expected).await?;
        check_milestone(draft, self.today())?;
        Ok(self.store().update_milestone(id, expected, draft).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft(done: Option<&str>) -> MilestoneDraft {
        MilestoneDraft {
            title: Name::parse("Contract signed").unwrap(),
            due_date: "2025-03-31".parse().ok(),
            done_date: done.map(|d| d.parse().unwrap()),
            position: None,
        }
    }

    #[test]
    fn a_milestone_may_be_done_early_or_today_but_not_tomorrow() {
        let today = date!(2025 - 02 - 10);
        assert!(check_milestone(&draft(None), today).is_ok());
        assert!(check_milestone(&draft(Some("2025-01-15")), today).is_ok());
        assert!(check_milestone(&draft(Some("2025-02-10")), today).is_ok());
        let err = check_milestone(&draft(Some("2025-02-11")), today).unwrap_err();
        assert!(
            err.to_string()
                .contains("done_date: a milestone cannot be done on a future date"),
            "{err}"
        );
    }
}
