//! The filters the dashboard and the roadmap share: department, owner,
//! horizon, status and cross-cutting tag, read from the query string so a
//! filtered view can be bookmarked, and drawn as a GET form.
//!
//! A value that names nothing (an unknown department, a misspelt status) is
//! reported next to its field and left out; the other filters still apply.

use super::PageError;
use lodestar_domain::{DepartmentId, Horizon, Key, NodeId, PersonId, ProgressStatus};
use lodestar_services::{App, NodeReport, ServiceError, StatusReport};
use serde::Deserialize;
use std::collections::HashMap;

/// The filters as the query string gives them; an empty value is no filter.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct FilterQuery {
    department: Option<String>,
    owner: Option<String>,
    horizon: Option<String>,
    status: Option<String>,
    tag: Option<String>,
}

/// The filters that named something: a node is shown when it meets them all.
#[derive(Debug, Default)]
pub(crate) struct Filters {
    department: Option<DepartmentId>,
    owner: Option<PersonId>,
    horizon: Option<Horizon>,
    status: Option<ProgressStatus>,
    tag: Option<String>,
}

impl Filters {
    /// Whether any filter applies.
    pub(crate) fn active(&self) -> bool {
        self.department.is_some()
            || self.owner.is_some()
            || self.horizon.is_some()
            || self.status.is_some()
            || self.tag.is_some()
    }

    /// Whether `node` meets every filter; `tags` holds each node's tag keys.
    pub(crate) fn matches(&self, node: &NodeReport, tags: &HashMap<NodeId, Vec<Key>>) -> bool {
        let n = &node.node;
        self.department.is_none_or(|d| n.department_id == Some(d))
            && self.owner.is_none_or(|o| n.owner_id == Some(o))
            && self.horizon.is_none_or(|h| n.horizon == Some(h))
            && self.status.is_none_or(|s| node.status.status == s)
            && self.tag.as_deref().is_none_or(|t| {
                tags.get(&n.id)
                    .is_some_and(|keys| keys.iter().any(|k| k.as_str() == t))
            })
    }
}

/// One option of a filter's list.
#[derive(Debug)]
pub(crate) struct Choice {
    /// What the query string carries.
    pub value: String,
    /// What the list shows.
    pub label: String,
    /// Whether it is the filter applied.
    pub selected: bool,
}

/// One filter as the form draws it.
#[derive(Debug)]
pub(crate) struct Field {
    /// The query parameter, also the end of the `<select>`'s id.
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Its options, after "All".
    pub choices: Vec<Choice>,
    /// Why the value given was left out, shown next to the field.
    pub error: Option<String>,
}

/// The filter form of a page.
#[derive(Debug)]
pub(crate) struct FilterForm {
    /// The page the form filters (and the "Clear filters" link goes to).
    pub action: String,
    /// The fields, in order.
    pub fields: Vec<Field>,
    /// The filters applied, in words, for the line above the results.
    pub summary: Vec<String>,
}

impl FilterForm {
    /// Whether some value named nothing, so the page answers 400.
    pub(crate) fn invalid(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

/// The names a page needs beside the filters: people by id, and the tag
/// keys of every node.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// People of the plan's organization.
    pub people: HashMap<PersonId, String>,
    /// Each node's tag keys.
    pub node_tags: HashMap<NodeId, Vec<Key>>,
}

/// What a query's filters mean for a plan: the filters, the form and the names.
pub(crate) struct Filtering {
    /// The filters that apply.
    pub filters: Filters,
    /// The form showing them.
    pub form: FilterForm,
    /// Names of people, tags of nodes.
    pub names: Names,
}

/// A query value, trimmed; none when absent or blank.
fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Orders horizons as plans list them: short-term, long-term, then fiscal years.
fn horizon_rank(h: &Horizon) -> (u8, i32) {
    match h {
        Horizon::ShortTerm => (0, 0),
        Horizon::LongTerm => (1, 0),
        Horizon::FiscalYear(y) => (2, *y),
    }
}

/// Reads the filters of `query` against `report`'s plan with four bulk
/// queries (departments, people, tags, node tags); the form's action is `action`.
pub(crate) async fn read(
    app: &App,
    report: &StatusReport,
    query: &FilterQuery,
    action: String,
) -> Result<Filtering, PageError> {
    let store = app.store();
    let org = Some(report.plan.organization_id);
    let (departments, people, tags, node_tags) = tokio::try_join!(
        store.list_departments(org),
        store.list_people(org),
        store.list_tags(Some(report.plan.id)),
        store.plan_node_tags(report.plan.id),
    )
    .map_err(ServiceError::from)?;
    let mut filters = Filters::default();
    let mut summary = Vec::new();
    let leave_out = "; this filter is left out.";

    let raw = given(&query.department);
    filters.department = raw.and_then(|v| {
        let id = v.parse().ok().map(DepartmentId)?;
        departments.iter().any(|d| d.id == id).then_some(id)
    });
    let wanted = filters.department.map(|d| d.0.to_string());
    let department = Field {
        name: "department",
        label: "Department",
        choices: departments
            .iter()
            .map(|d| choice(d.id.0.to_string(), d.name.to_string(), wanted.as_deref()))
            .collect(),
        error: (raw.is_some() && filters.department.is_none()).then(|| {
            format!(
                "There is no department “{}” in this plan's organization{leave_out}",
                raw.unwrap_or_default()
            )
        }),
    };
    if let Some(d) = departments
        .iter()
        .find(|d| Some(d.id) == filters.department)
    {
        summary.push(format!("Department: {}", d.name));
    }

    let raw = given(&query.owner);
    filters.owner = raw.and_then(|v| {
        let id = v.parse().ok().map(PersonId)?;
        people.iter().any(|p| p.id == id).then_some(id)
    });
    let wanted = filters.owner.map(|p| p.0.to_string());
    let owner = Field {
        name: "owner",
        label: "Owner",
        choices: people
            .iter()
            .map(|p| choice(p.id.0.to_string(), p.name.to_string(), wanted.as_deref()))
            .collect(),
        error: (raw.is_some() && filters.owner.is_none()).then(|| {
            format!(
                "There is no person “{}” in this plan's organization{leave_out}",
                raw.unwrap_or_default()
            )
        }),
    };
    if let Some(p) = people.iter().find(|p| Some(p.id) == filters.owner) {
        summary.push(format!("Owner: {}", p.name));
    }

    let raw = given(&query.horizon);
    filters.horizon = raw.and_then(|v| v.parse::<Horizon>().ok());
    let mut horizons: Vec<Horizon> = report.nodes.iter().filter_map(|n| n.node.horizon).collect();
    horizons.extend(filters.horizon);
    horizons.sort_by_key(horizon_rank);
    horizons.dedup();
    let wanted = filters.horizon.map(|h| h.to_string());
    let horizon = Field {
        name: "horizon",
        label: "Horizon",
        choices: horizons
            .iter()
            .map(|h| choice(h.to_string(), h.to_string(), wanted.as_deref()))
            .collect(),
        error: (raw.is_some() && filters.horizon.is_none()).then(|| {
            format!(
                "“{}” is not a horizon (short-term, long-term or a fiscal year such as FY2026){leave_out}",
                raw.unwrap_or_default()
            )
        }),
    };
    if let Some(h) = &wanted {
        summary.push(format!("Horizon: {h}"));
    }

    let raw = given(&query.status);
    filters.status = raw.and_then(|v| v.parse::<ProgressStatus>().ok());
    let wanted = filters.status.map(ProgressStatus::as_str);
    let status = Field {
        name: "status",
        label: "Status",
        choices: ProgressStatus::ALL
            .iter()
            .map(|s| {
                let label = super::Badge::status(*s).label.to_owned();
                choice(s.as_str().to_owned(), label, wanted)
            })
            .collect(),
        error: (raw.is_some() && filters.status.is_none()).then(|| {
            format!(
                "“{}” is not a status (on-track, at-risk, off-track, not-started, completed, deferred or cancelled){leave_out}",
                raw.unwrap_or_default()
            )
        }),
    };
    if let Some(s) = filters.status {
        summary.push(format!("Status: {}", super::Badge::status(s).label));
    }

    let raw = given(&query.tag);
    filters.tag = raw
        .filter(|v| tags.iter().any(|t| t.key.as_str() == *v))
        .map(str::to_owned);
    let tag = Field {
        name: "tag",
        label: "Tag",
        choices: tags
            .iter()
            .map(|t| {
                choice(
                    t.key.to_string(),
                    t.name.to_string(),
                    filters.tag.as_deref(),
                )
            })
            .collect(),
        error: (raw.is_some() && filters.tag.is_none()).then(|| {
            format!(
                "This plan has no tag “{}”{leave_out}",
                raw.unwrap_or_default()
            )
        }),
    };
    if let Some(t) = tags
        .iter()
        .find(|t| Some(t.key.as_str()) == filters.tag.as_deref())
    {
        summary.push(format!("Tag: {}", t.name));
    }

    Ok(Filtering {
        filters,
        form: FilterForm {
            action,
            fields: vec![department, owner, horizon, status, tag],
            summary,
        },
        names: Names {
            people: people
                .into_iter()
                .map(|p| (p.id, p.name.to_string()))
                .collect(),
            node_tags,
        },
    })
}

/// An option, selected when it is the value `wanted`.
fn choice(value: String, label: String, wanted: Option<&str>) -> Choice {
    Choice {
        selected: wanted == Some(value.as_str()),
        value,
        label,
    }
}
