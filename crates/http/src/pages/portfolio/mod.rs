//! Portfolio governance pages (issue 8; see docs/portfolio.md): intake of
//! proposals (`/proposals`, the form, a proposal's page with its scores,
//! gates and exception), the ranked portfolio and its cut line
//! (`/portfolio`), capacity against demand (`/capacity`), the budget
//! roll-up (`/budget`) and the exceptions granted (`/proposals/exceptions`).
//!
//! Every page is drawn from the `App` portfolio methods; controls are shown
//! only where `App::authorize` and the configuration's roles would allow.

mod intake;
mod proposal;
mod reports;

use super::PageError;
use axum::Router;
use axum::routing::{get, post};
use lodestar_domain::portfolio::{GovernanceConfig, StageKind};
use lodestar_domain::{Organization, OrganizationId, Role};
use lodestar_services::{App, ServiceError};

/// The portfolio pages' routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/proposals", get(reports::proposals).post(intake::create))
        .route("/proposals/new", get(intake::new_form))
        .route("/proposals/exceptions", get(reports::exceptions))
        .route("/proposals/{id}", get(proposal::show))
        .route(
            "/proposals/{id}/edit",
            get(intake::edit_form).post(intake::update),
        )
        .route("/proposals/{id}/scores", post(proposal::score))
        .route("/proposals/{id}/gate", post(proposal::gate))
        .route("/proposals/{id}/exception", post(proposal::exception))
        .route("/portfolio", get(reports::portfolio))
        .route("/capacity", get(reports::capacity))
        .route("/budget", get(reports::budget))
}

/// A proposal's stage as a page shows it: its name, a symbol that tells
/// the kinds of stage apart without colour, and the class that colours it.
#[derive(Debug, Clone)]
pub(crate) struct StageBadge {
    /// The stage's name (`In execution`).
    pub label: String,
    /// A symbol per kind of stage.
    pub symbol: &'static str,
    /// The CSS class (`stage-committed`).
    pub class: &'static str,
}

impl StageBadge {
    /// How stage `key` of `config` is shown; `draft` and stages the
    /// configuration no longer has are shown by their key.
    pub(crate) fn of(config: &GovernanceConfig, key: &str) -> Self {
        let (label, kind) = match config.stage(key) {
            Some(s) => (s.name.to_string(), Some(s.kind)),
            None if key == lodestar_domain::portfolio::DRAFT_STAGE => ("Draft".to_owned(), None),
            None => (key.to_owned(), None),
        };
        let (symbol, class) = match kind {
            None => ("✎", "stage-draft"),
            Some(StageKind::Entry) => ("●", "stage-entry"),
            Some(StageKind::Open) => ("◆", "stage-open"),
            Some(StageKind::Committed) => ("✓", "stage-committed"),
            Some(StageKind::Closed) => ("★", "stage-closed"),
            Some(StageKind::Rejected) => ("✕", "stage-rejected"),
            Some(StageKind::Paused) => ("‖", "stage-paused"),
        };
        Self {
            label,
            symbol,
            class,
        }
    }
}

/// Roles in words, joined ("Plan editor or Administrator").
pub(crate) fn roles_in_words(roles: &[Role]) -> String {
    let names: Vec<&str> = roles
        .iter()
        .map(|r| super::chrome::role_label(*r))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// An organization to choose in a report's picker.
#[derive(Debug, Clone)]
pub(crate) struct OrgChoice {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Whether it is the one shown.
    pub selected: bool,
}

/// The organizations, and the one a page is about: `asked` if given (it
/// must exist), otherwise the first one with proposals, otherwise the first.
pub(crate) async fn organizations(
    app: &App,
    asked: Option<i64>,
) -> Result<(Vec<OrgChoice>, Option<Organization>), PageError> {
    let orgs = app
        .store()
        .list_organizations()
        .await
        .map_err(ServiceError::from)?;
    let chosen = match asked {
        Some(id) => Some(
            orgs.iter()
                .find(|o| o.id == OrganizationId(id))
                .cloned()
                .ok_or_else(|| PageError::not_found(format!("organization {id} not found")))?,
        ),
        None => {
            let with_proposals = app
                .store()
                .organizations_with_proposals()
                .await
                .map_err(ServiceError::from)?;
            orgs.iter()
                .find(|o| with_proposals.contains(&o.id))
                .or(orgs.first())
                .cloned()
        }
    };
    let choices = orgs
        .iter()
        .map(|o| OrgChoice {
            id: o.id.0,
            name: o.name.to_string(),
            selected: chosen.as_ref().is_some_and(|c| c.id == o.id),
        })
        .collect();
    Ok((choices, chosen))
}

/// A score on the 1–5 scale as shown (`3.71`), or a dash.
pub(crate) fn score_text(score: Option<f64>) -> String {
    score.map_or_else(|| "–".to_owned(), |s| format!("{s:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_stage_has_its_own_symbol_and_a_name() {
        let config = GovernanceConfig::default();
        let mut badges: Vec<StageBadge> = config
            .stages
            .iter()
            .map(|s| StageBadge::of(&config, s.key.as_str()))
            .collect();
        badges.push(StageBadge::of(&config, "draft"));
        assert_eq!(badges.last().unwrap().label, "Draft");
        assert_eq!(badges[3].label, "In execution");
        for (i, a) in badges.iter().enumerate() {
            for b in &badges[i + 1..] {
                if a.class != b.class {
                    assert_ne!(a.symbol, b.symbol, "{} and {}", a.label, b.label);
                }
            }
        }
    }

    #[test]
    fn roles_read_as_a_list() {
        use Role::*;
        assert_eq!(roles_in_words(&[Administrator]), "Administrator");
        assert_eq!(
            roles_in_words(&[Reviewer, PlanEditor, Administrator]),
            "Reviewer, Plan editor or Administrator"
        );
        assert_eq!(score_text(None), "–");
        assert_eq!(score_text(Some(315.0 / 85.0)), "3.71");
    }
}
