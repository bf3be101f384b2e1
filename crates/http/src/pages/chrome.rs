//! What every page shares: who is looking (the [`Viewer`]), the frame drawn
//! around each page ([`Chrome`]: the signed-in account, the CSRF token forms
//! carry, the plan's sections), and how a status is shown in words and a
//! symbol as well as colour.

use super::PageError;
use crate::auth::Caller;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use lodestar_domain::status::Health;
use lodestar_domain::{ProgressStatus, Role};
use lodestar_services::App;
use lodestar_services::accounts::{Credential, Principal};
use lodestar_services::authz::Need;

/// The signed-in account a page is drawn for. Every page but sign-in needs
/// one; the access gate has already turned anonymous visitors away.
#[derive(Debug, Clone)]
pub(crate) struct Viewer(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .map(|c| Self(c.0.clone()))
            .ok_or_else(|| PageError::new(StatusCode::UNAUTHORIZED, "sign in to see this page"))
    }
}

impl Viewer {
    /// Whether the viewer may do what `need` describes, so that a page shows
    /// a control only where using it would succeed.
    pub(crate) async fn may(&self, app: &App, need: Need) -> bool {
        app.authorize(Some(&self.0), need).await.is_ok()
    }

    /// The token every form this viewer submits must carry.
    pub(crate) fn csrf_token(&self) -> &str {
        match &self.0.via {
            Credential::Session { csrf_token, .. } => csrf_token,
            Credential::Token(_) => "",
        }
    }
}

/// A section of a plan's pages, for the plan's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// The enterprise dashboard, the plan's home.
    Dashboard,
    /// The tree of goals, objectives and initiatives.
    Explorer,
    /// Initiatives on a timeline.
    Roadmap,
    /// The plan's revisions and what changed between them.
    Revisions,
    /// A page inside the plan that is none of the above (a node, a form).
    Inside,
}

/// The plan a page belongs to, for the navigation between its sections.
#[derive(Debug, Clone)]
pub(crate) struct PlanNav {
    /// The plan's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The section shown.
    pub section: Section,
}

impl PlanNav {
    /// `aria-current` for the link to `section`: "page" on the one shown.
    pub(crate) fn current(&self, section: &str) -> &'static str {
        let shown = match self.section {
            Section::Dashboard => "dashboard",
            Section::Explorer => "explorer",
            Section::Roadmap => "roadmap",
            Section::Revisions => "revisions",
            Section::Inside => "",
        };
        if shown == section { "page" } else { "false" }
    }
}

/// The frame of every signed-in page.
#[derive(Debug, Clone)]
pub(crate) struct Chrome {
    /// The account's display name.
    pub user_name: String,
    /// Its role, in words.
    pub role: &'static str,
    /// The CSRF token for the page's forms (the sign-out button's too).
    pub csrf_token: String,
    /// Whether to offer importing a plan.
    pub can_import: bool,
    /// Whether to offer the portfolio pages (every signed-in viewer may read them).
    pub portfolio: bool,
    /// The plan the page belongs to, if any.
    pub plan: Option<PlanNav>,
    /// What the search box holds.
    pub query: String,
}

impl Chrome {
    /// The frame for `viewer`, outside any plan.
    pub(crate) fn new(viewer: &Viewer) -> Self {
        let user = &viewer.0.user;
        let editor = matches!(user.role, Role::Administrator | Role::PlanEditor);
        Self {
            user_name: user.name.to_string(),
            role: role_label(user.role),
            csrf_token: viewer.csrf_token().to_owned(),
            can_import: editor,
            portfolio: true,
            plan: None,
            query: String::new(),
        }
    }

    /// The same frame, inside a plan's `section`.
    pub(crate) fn in_plan(mut self, id: i64, title: impl Into<String>, section: Section) -> Self {
        self.plan = Some(PlanNav {
            id,
            title: title.into(),
            section,
        });
        self
    }
}

/// A role in words.
pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::Administrator => "Administrator",
        Role::PlanEditor => "Plan editor",
        Role::Reviewer => "Reviewer",
        Role::Viewer => "Viewer",
    }
}

/// A status as a page shows it: a word, a symbol beside it (so colour is
/// never the only carrier) and the CSS class that colours both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Badge {
    /// The status in words.
    pub label: &'static str,
    /// A symbol that tells the statuses apart without colour.
    pub symbol: &'static str,
    /// The CSS class (`status-on-track`, `health-red`).
    pub class: &'static str,
}

impl Badge {
    /// How a node's status is shown.
    pub(crate) fn status(status: ProgressStatus) -> Self {
        use ProgressStatus::*;
        let (label, symbol, class) = match status {
            NotStarted => ("Not started", "○", "status-not-started"),
            OnTrack => ("On track", "✓", "status-on-track"),
            AtRisk => ("At risk", "▲", "status-at-risk"),
            OffTrack => ("Off track", "✕", "status-off-track"),
            Completed => ("Completed", "★", "status-completed"),
            Deferred => ("Deferred", "‖", "status-deferred"),
            Cancelled => ("Cancelled", "⊘", "status-cancelled"),
        };
        Self {
            label,
            symbol,
            class,
        }
    }

    /// How a measure's health is shown; none means no value yet.
    pub(crate) fn health(health: Option<Health>) -> Self {
        let (label, symbol, class) = match health {
            Some(Health::Green) => ("Green", "✓", "health-green"),
            Some(Health::Amber) => ("Amber", "▲", "health-amber"),
            Some(Health::Red) => ("Red", "✕", "health-red"),
            None => ("No data", "–", "health-none"),
        };
        Self {
            label,
            symbol,
            class,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_own_word_and_symbol() {
        use ProgressStatus::*;
        let all = [
            NotStarted, OnTrack, AtRisk, OffTrack, Completed, Deferred, Cancelled,
        ];
        let badges: Vec<Badge> = all.into_iter().map(Badge::status).collect();
        for (i, a) in badges.iter().enumerate() {
            for b in &badges[i + 1..] {
                assert_ne!(a.label, b.label);
                assert_ne!(
                    a.symbol, b.symbol,
                    "{} and {} share a symbol",
                    a.label, b.label
                );
            }
        }
    }

    #[test]
    fn health_is_told_apart_without_colour() {
        let symbols: Vec<_> = [
            Some(Health::Green),
            Some(Health::Amber),
            Some(Health::Red),
            None,
        ]
        .into_iter()
        .map(|h| Badge::health(h).symbol)
        .collect();
        let mut unique = symbols.clone();
        unique.dedup();
        assert_eq!(unique.len(), symbols.len());
    }
}
