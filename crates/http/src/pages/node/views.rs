//! What the node page shows of each record, ready for its template: names
//! resolved, dates and numbers in words, statuses as badges.

use crate::pages::Badge;
use lodestar_domain::{
    AlignmentEnd, CalendarDate, CheckIn, DepartmentId, Evidence, Milestone, Node, PersonId, PlanId,
    StatusOverride, Tag,
};
use lodestar_services::NodeReport;
use std::collections::HashMap;

/// The names of the plan's people and departments, to show ids as names.
pub(super) struct Names {
    /// Each person's name.
    pub people: HashMap<PersonId, String>,
    /// Each department's name.
    pub departments: HashMap<DepartmentId, String>,
}

impl Names {
    /// A person's name, or "" when there is none.
    pub(super) fn person(&self, id: Option<PersonId>) -> String {
        id.and_then(|p| self.people.get(&p).cloned())
            .unwrap_or_default()
    }
}

/// A percent rounded for a progress bar; none when unknown.
pub(super) fn percent(value: Option<f64>) -> Option<u8> {
    value
        .filter(|p| p.is_finite())
        .map(|p| p.clamp(0.0, 100.0).round() as u8)
}

/// A step of the breadcrumbs.
pub(super) struct Crumb {
    /// Where it leads.
    pub href: String,
    /// What it says.
    pub label: String,
}

impl Crumb {
    /// The crumb of an ancestor node.
    pub(super) fn node(node: &Node) -> Self {
        Self {
            href: format!("/nodes/{}", node.id),
            label: labelled(node.code.as_ref().map(ToString::to_string), &node.title),
        }
    }
}

/// A node's code and title together (`1.2 Meet WCAG`), or the title alone.
fn labelled(code: Option<String>, title: &impl ToString) -> String {
    match code {
        Some(code) => format!("{code} {}", title.to_string()),
        None => title.to_string(),
    }
}

/// One line of the facts list; an empty value shows as "Not set".
pub(super) struct Fact {
    /// What it is.
    pub term: &'static str,
    /// Its value in words.
    pub value: String,
}

/// The facts of a node: people, department, dates, cadence, weight, tags.
pub(super) fn facts(
    report: &NodeReport,
    names: &Names,
    tags: &[Tag],
    last_checkin: Option<CalendarDate>,
) -> Vec<Fact> {
    let n = &report.node;
    let date = |d: Option<CalendarDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let from_horizon = |own: Option<CalendarDate>, shown: Option<CalendarDate>| match (own, shown) {
        (None, Some(_)) => format!("{} (from its horizon)", date(shown)),
        _ => date(shown),
    };
    let tags = tags
        .iter()
        .map(|t| t.name.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        Fact {
            term: "Owner",
            value: names.person(n.owner_id),
        },
        Fact {
            term: "Sponsor",
            value: names.person(n.sponsor_id),
        },
        Fact {
            term: "Department",
            value: n
                .department_id
                .and_then(|d| names.departments.get(&d).cloned())
                .unwrap_or_default(),
        },
        Fact {
            term: "Horizon",
            value: n.horizon.map(|h| h.to_string()).unwrap_or_default(),
        },
        Fact {
            term: "Start",
            value: from_horizon(n.start_date, report.schedule.start),
        },
        Fact {
            term: "Due",
            value: from_horizon(n.due_date, report.schedule.due),
        },
        Fact {
            term: "Check-ins expected",
            value: n.cadence.to_string(),
        },
        Fact {
            term: "Latest check-in",
            value: date(last_checkin),
        },
        Fact {
            term: "Weight",
            value: n.weight.value().to_string(),
        },
        Fact {
            term: "Tags",
            value: tags,
        },
    ]
}

/// Who set an override, when, and why.
pub(super) fn override_note(o: &StatusOverride, names: &Names) -> String {
    let who = names.person(o.set_by);
    let by = if who.is_empty() {
        String::new()
    } else {
        format!(" by {who}")
    };
    format!("Status set{by} on {}: {}", o.set_at.date(), o.reason)
}

/// A milestone as its table row shows it.
pub(super) struct MilestoneRow {
    /// What it is.
    pub title: String,
    /// When it is due, if it has a date.
    pub due: String,
    /// Done, overdue or open, in words.
    pub state: String,
    /// `overdue` when it is late, to mark it.
    pub class: &'static str,
}

impl MilestoneRow {
    /// `m` as of `today`.
    pub(super) fn new(m: &Milestone, today: CalendarDate) -> Self {
        let (state, class) = match (m.done_date, m.due_date) {
            (Some(done), _) => (format!("✓ Done on {done}"), ""),
            (None, Some(due)) if due < today => ("! Overdue".to_owned(), "overdue"),
            _ => ("Open".to_owned(), ""),
        };
        Self {
            title: m.title.to_string(),
            due: m.due_date.map(|d| d.to_string()).unwrap_or_default(),
            state,
            class,
        }
    }
}

/// A check-in as the history shows it.
pub(super) struct CheckInView {
    /// Its day.
    pub date: String,
    /// The status it reported.
    pub badge: Badge,
    /// The percent done it reported.
    pub percent: Option<String>,
    /// What happened.
    pub happened: Option<String>,
    /// Next steps.
    pub next: Option<String>,
    /// Help needed.
    pub help: Option<String>,
    /// Who filed it.
    pub author: String,
    /// Where it points: address and words.
    pub links: Vec<(String, String)>,
    /// Whether it was corrected after it was filed.
    pub corrected: bool,
}

impl CheckInView {
    /// `c`, its author named.
    pub(super) fn new(c: &CheckIn, names: &Names) -> Self {
        let text = |t: &Option<lodestar_domain::LongText>| t.as_ref().map(ToString::to_string);
        Self {
            date: c.date.to_string(),
            badge: Badge::status(c.status),
            percent: c
                .percent
                .map(|p| format!("{}%", (p.value() * 10.0).round() / 10.0)),
            happened: text(&c.happened),
            next: text(&c.next),
            help: text(&c.help_needed),
            author: names.person(c.author_id),
            links: c
                .links
                .iter()
                .map(|l| {
                    let url = l.url.to_string();
                    let label = l
                        .label
                        .as_ref()
                        .map_or_else(|| url.clone(), ToString::to_string);
                    (url, label)
                })
                .collect(),
            corrected: c.revision > 1,
        }
    }
}

/// A piece of evidence as the page lists it.
pub(super) struct EvidenceView {
    /// The outcome in one line.
    pub title: String,
    /// When it was observed.
    pub date: String,
    /// Before and after, if given (`20 minutes → under a minute`).
    pub change: Option<String>,
    /// The story.
    pub narrative: Option<String>,
    /// Where the figures come from.
    pub source: Option<String>,
}

impl EvidenceView {
    /// `e` in words.
    pub(super) fn new(e: &Evidence) -> Self {
        let change = match (&e.before, &e.after) {
            (Some(b), Some(a)) => Some(format!("Before: {b}. After: {a}.")),
            (Some(b), None) => Some(format!("Before: {b}.")),
            (None, Some(a)) => Some(format!("After: {a}.")),
            (None, None) => None,
        };
        Self {
            title: e.title.to_string(),
            date: e.date.to_string(),
            change,
            narrative: e.narrative.as_ref().map(ToString::to_string),
            source: e.source.as_ref().map(ToString::to_string),
        }
    }
}

/// The node at the other end of an alignment link.
pub(super) struct AlignView {
    /// Its page.
    pub href: String,
    /// Its code and title.
    pub label: String,
    /// Its plan's title, when that is another plan.
    pub other_plan: Option<String>,
    /// How the one supports the other.
    pub note: Option<String>,
}

impl AlignView {
    /// The other end of `e`, seen from a node of `plan`.
    pub(super) fn new(e: &AlignmentEnd, plan: PlanId) -> Self {
        Self {
            href: format!("/nodes/{}", e.node_id),
            label: labelled(e.node_code.as_ref().map(ToString::to_string), &e.node_title),
            other_plan: (e.plan_id != plan).then(|| e.plan_title.to_string()),
            note: e.note.as_ref().map(ToString::to_string),
        }
    }
}

/// A child as the children table shows it.
pub(super) struct ChildRow {
    /// Its id, for the link.
    pub id: i64,
    /// Its code.
    pub code: String,
    /// Its title.
    pub title: String,
    /// Its level's name.
    pub level_name: String,
    /// Its status.
    pub badge: Badge,
    /// Its percent done.
    pub progress: Option<u8>,
    /// Its owner.
    pub owner: String,
    /// When it is due.
    pub due: String,
}

impl ChildRow {
    /// The row of `r`.
    pub(super) fn new(r: &NodeReport, names: &Names) -> Self {
        Self {
            id: r.node.id.0,
            code: r
                .node
                .code
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            title: r.node.title.to_string(),
            level_name: r.level_name.clone(),
            badge: Badge::status(r.status.status),
            progress: percent(r.status.computed.progress),
            owner: names.person(r.node.owner_id),
            due: r.schedule.due.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}
