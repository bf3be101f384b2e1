//! What each route needs of its caller: the one table, by method and route
//! template. A route missing from it is refused, so a route added without a
//! rule fails closed (and the role × route test names it).

use axum::http::Method;
use lodestar_domain::{AlignmentId, CheckInId, EvidenceId, MeasureId, MilestoneId, NodeId, PlanId};
use lodestar_services::authz::Need;
use lodestar_services::{App, ServiceError, ServiceResult};
use serde_json::Value;

/// The ids a request names: in its path, and for creates in its JSON body.
pub struct Ids<'a> {
    /// `{id}` of the route template, when it has one.
    pub id: Option<i64>,
    /// The JSON body of a create or update that names its parents.
    pub body: Option<&'a Value>,
}

/// Routes whose JSON body names the node or plan that decides who may call them.
pub fn reads_body(method: &Method, template: &str) -> bool {
    matches!(
        (method.as_str(), template),
        ("POST", "/api/v1/nodes")
            | ("PUT", "/api/v1/nodes/{id}")
            | ("POST", "/api/v1/measures")
            | ("POST", "/api/v1/alignments")
    )
}

/// Whether a route is answered without asking who calls it.
pub fn is_public(method: &Method, template: &str) -> bool {
    matches!(
        (method.as_str(), template),
        ("GET", "/healthz")
            | ("GET", "/api/v1/openapi.json")
            | ("POST", "/api/v1/session")
            | ("GET", "/login")
            | ("POST", "/login")
            | ("GET", "/static/{file}")
            // The public portal (crate::pages::public): published content only.
            | ("GET", "/public" | "/public/plans/{key}" | "/public/plans/{key}/nodes/{node}")
            // Open data of published plans (crate::opendata); harvesters' link
            // checkers ask with HEAD.
            | ("GET" | "HEAD", "/data.json")
            | (
                "GET" | "HEAD",
                "/public/plans/{key}/nodes.csv"
                    | "/public/plans/{key}/nodes.json"
                    | "/public/plans/{key}/measures.csv"
                    | "/public/plans/{key}/measures.json"
                    | "/public/plans/{key}/observations.csv"
                    | "/public/plans/{key}/observations.json"
            )
            // The published plan as StratML (crate::pages::public::stratml).
            | ("GET", "/public/plans/{key}/plan.stratml.xml")
            // The published plan's report card (crate::pages::public::report).
            | (
                "GET",
                "/public/plans/{key}/report"
                    | "/public/plans/{key}/report.md"
                    | "/public/plans/{key}/report.csv"
                    | "/public/plans/{key}/report.pdf"
            )
    )
}

/// What the route needs, after looking up the records its ids name. None
/// for a route this table does not know.
pub async fn needs(
    app: &App,
    method: &Method,
    template: &str,
    ids: Ids<'_>,
) -> ServiceResult<Option<Vec<Need>>> {
    use Need::*;
    let id = || {
        ids.id
            .ok_or_else(|| ServiceError::Internal(format!("route {template} has no id").into()))
    };
    let body_id = |field: &str| ids.body.and_then(|b| b.get(field)).and_then(Value::as_i64);
    let store = app.store();
    let need = match (method.as_str(), template) {
        _ if is_public(method, template) => vec![Public],

        ("DELETE", "/api/v1/session") | ("POST", "/api/v1/session/password") => vec![Own],
        ("POST", "/api/v1/tokens") | ("DELETE", "/api/v1/tokens/{id}") => vec![Own],
        ("POST", "/logout") => vec![Own],
        (_, t) if t.starts_with("/api/v1/users") => vec![Accounts],
        // The whole log names accounts and tokens: for administrators. A
        // node's history is for everyone who may read the node.
        ("GET", "/api/v1/audit.csv") => vec![Accounts],

        // Pages whose only purpose is a change: refused up front to whoever
        // could not make it, rather than offering a form that will fail.
        ("GET" | "HEAD", "/imports/new" | "/imports/{id}") => vec![Directory],
        ("GET" | "HEAD", "/nodes/{id}/edit" | "/nodes/{id}/measures/new") => {
            vec![Beneath(NodeId(id()?))]
        }
        ("GET" | "HEAD", "/nodes/{id}/checkins/new") => vec![Report(NodeId(id()?))],
        ("GET" | "HEAD", "/measures/{id}/observations/new") => {
            vec![Measures(store.get_measure(MeasureId(id()?)).await?.node_id)]
        }
        // Portfolio pages (issue 8): the intake form is for whoever may
        // write proposals; the lists and reports are read by everyone.
        ("GET" | "HEAD", "/proposals/new" | "/proposals/{id}/edit") => vec![Intake],

        ("GET" | "HEAD", _) => vec![Read],

        // The forms of the web pages.
        ("POST", "/account/password") => vec![Own],
        ("POST", "/imports" | "/imports/{id}" | "/imports/{id}/confirm") => vec![Directory],
        ("POST", "/nodes/{id}/edit" | "/nodes/{id}/measures") => vec![Beneath(NodeId(id()?))],
        ("POST", "/nodes/{id}/checkins") => vec![Report(NodeId(id()?))],
        ("POST", "/measures/{id}/observations") => {
            vec![Measures(store.get_measure(MeasureId(id()?)).await?.node_id)]
        }
        // Portfolio forms (issue 8): the services then check the role each
        // step needs (the gate's roles, the exception roles, the author).
        (
            "POST",
            "/proposals"
            | "/proposals/{id}/edit"
            | "/proposals/{id}/gate"
            | "/proposals/{id}/exception",
        ) => vec![Intake],
        ("POST", "/proposals/{id}/scores") => vec![Review],

        (
            "POST",
            "/api/v1/plans"
            | "/api/v1/plans/import"
            | "/api/v1/imports"
            | "/api/v1/imports/{id}/confirm",
        ) => {
            vec![Directory]
        }
        (
            "POST",
            "/api/v1/organizations" | "/api/v1/people" | "/api/v1/departments" | "/api/v1/tags",
        ) => {
            vec![Directory]
        }
        (
            "PUT" | "DELETE",
            "/api/v1/organizations/{id}"
            | "/api/v1/people/{id}"
            | "/api/v1/departments/{id}"
            | "/api/v1/tags/{id}",
        ) => vec![Directory],

        ("PUT" | "DELETE", "/api/v1/plans/{id}") => vec![Plan(PlanId(id()?))],
        ("POST", "/api/v1/plans/{id}/revisions") => vec![Plan(PlanId(id()?))],
        ("PUT" | "DELETE", "/api/v1/plans/{id}/publication") => vec![Plan(PlanId(id()?))],
        ("PUT" | "DELETE", "/api/v1/nodes/{id}/publication") => vec![Beneath(NodeId(id()?))],

        ("POST", "/api/v1/nodes") => match (body_id("parent_id"), body_id("plan_id")) {
            (Some(parent), _) => vec![Beneath(NodeId(parent))],
            (None, Some(plan)) => vec![Plan(PlanId(plan))],
            (None, None) => vec![Directory],
        },
        ("PUT", "/api/v1/nodes/{id}") => {
            let mut needs = vec![Beneath(NodeId(id()?))];
            if let Some(parent) = body_id("parent_id") {
                needs.push(Beneath(NodeId(parent)));
            }
            needs
        }
        ("DELETE", "/api/v1/nodes/{id}")
        | ("PUT" | "DELETE", "/api/v1/nodes/{id}/status-override")
        | ("PUT" | "DELETE", "/api/v1/nodes/{id}/tags/{tag_id}") => vec![Beneath(NodeId(id()?))],

        ("POST", "/api/v1/alignments") => match body_id("from_node_id") {
            Some(from) => vec![Beneath(NodeId(from))],
            None => vec![Directory],
        },
        ("PUT" | "DELETE", "/api/v1/alignments/{id}") => {
            vec![Beneath(
                store.get_alignment(AlignmentId(id()?)).await?.from_node_id,
            )]
        }

        (
            "POST",
            "/api/v1/nodes/{id}/checkins"
            | "/api/v1/nodes/{id}/milestones"
            | "/api/v1/nodes/{id}/evidence",
        ) => {
            vec![Report(NodeId(id()?))]
        }
        ("PUT", "/api/v1/checkins/{id}") => {
            vec![Report(store.get_checkin(CheckInId(id()?)).await?.node_id)]
        }
        ("PUT" | "DELETE", "/api/v1/milestones/{id}") => {
            vec![Report(store.milestone(MilestoneId(id()?)).await?.node_id)]
        }
        ("PUT" | "DELETE", "/api/v1/evidence/{id}") => {
            vec![Report(store.evidence(EvidenceId(id()?)).await?.node_id)]
        }

        ("POST", "/api/v1/measures") => match body_id("node_id") {
            Some(node) => vec![Beneath(NodeId(node))],
            None => vec![Directory],
        },
        ("PUT" | "DELETE", "/api/v1/measures/{id}") => {
            vec![Beneath(store.get_measure(MeasureId(id()?)).await?.node_id)]
        }
        ("POST", "/api/v1/measures/{id}/observations") => {
            vec![Measures(store.get_measure(MeasureId(id()?)).await?.node_id)]
        }
        ("POST", "/api/v1/plans/{id}/observations")
        | ("DELETE", "/api/v1/plans/{id}/observations/{observation_id}") => {
            vec![PlanMeasures(PlanId(id()?))]
        }

        // Portfolio governance (issue 8). Writing proposals and asking for
        // their moves admits every signed-in account (tokens: admin scope);
        // the services then check the role each step needs (author or plan
        // editor to edit and submit, the configuration's roles for gates and
        // exceptions) and answer 403 naming the roles allowed.
        ("POST", "/api/v1/proposals")
        | ("PUT", "/api/v1/proposals/{id}" | "/api/v1/proposals/{id}/exception")
        | ("POST", "/api/v1/proposals/{id}/submit" | "/api/v1/proposals/{id}/transitions") => {
            vec![Intake]
        }
        ("POST", "/api/v1/proposals/{id}/scores") => vec![Review],
        // Capacity and budgets: plan editors and administrators.
        ("PUT", "/api/v1/organizations/{id}/capacity" | "/api/v1/organizations/{id}/budgets") => {
            vec![Directory]
        }
        ("PUT", "/api/v1/organizations/{id}/governance") => vec![Governance],

        _ => return Ok(None),
    };
    Ok(Some(need))
}
