//! `lodestar checkin`: an owner's report on a node, filed from the shell.

use crate::config::{CheckIn, NodeRef};
use crate::error::{CliError, CliResult};
use lodestar_domain::{CheckInDraft, Node, Person, Plan, ValidationError};
use lodestar_services::{App, ServiceError};
use std::io::Write;

/// Finds the node and the author, files the check-in, and says what was filed:
/// `Checked in on 1.2.3 "Title": at-risk, 40% (check-in 17)`.
pub async fn run(app: &App, settings: &CheckIn, out: &mut impl Write) -> CliResult {
    let node = find_node(app, &settings.node).await?;
    let author_id = match &settings.author {
        Some(name) => Some(find_author(app, &node, name).await?.id),
        None => None,
    };
    let draft = CheckInDraft {
        author_id,
        reason: None,
        date: settings.date,
        status: settings.status,
        percent: settings.percent,
        happened: settings.happened.clone(),
        next: settings.next.clone(),
        help_needed: settings.help_needed.clone(),
        links: Vec::new(),
    };
    let checkin = app
        .file_checkin(node.id, &draft)
        .await
        .map_err(name_the_option)?;
    let percent = checkin
        .percent
        .map(|p| format!(", {}%", super::table::number(p.value())))
        .unwrap_or_default();
    writeln!(
        out,
        "Checked in on {} \"{}\": {}{percent} (check-in {})",
        label(&node),
        node.title,
        checkin.status,
        checkin.id
    )
    .map_err(CliError::stdout)
}

/// How messages name a node: its code, or its id when it has none.
fn label(node: &Node) -> String {
    node.code
        .as_ref()
        .map_or_else(|| format!("node {}", node.id), ToString::to_string)
}

/// The node NODE names.
async fn find_node(app: &App, node: &NodeRef) -> CliResult<Node> {
    match node {
        NodeRef::Id(id) => Ok(app
            .store()
            .get_node(*id)
            .await
            .map_err(ServiceError::from)?),
        NodeRef::Code { plan, code } => {
            let plan = app.resolve_plan(plan).await?;
            app.store()
                .find_node_by_code(plan.id, code)
                .await
                .map_err(ServiceError::from)?
                .ok_or_else(|| {
                    CliError::failed(format!("plan {} has no node with code {code}", plan.key))
                })
        }
    }
}

/// The person of the node's organization that `--author` names: the exact
/// name, or else the one name that differs from it only in case.
async fn find_author(app: &App, node: &Node, name: &str) -> CliResult<Person> {
    let plan: Plan = app
        .store()
        .get_plan(node.plan_id)
        .await
        .map_err(ServiceError::from)?;
    let people = app
        .store()
        .list_people(Some(plan.organization_id))
        .await
        .map_err(ServiceError::from)?;
    if let Some(person) = people.iter().find(|p| p.name.as_str() == name) {
        return Ok(person.clone());
    }
    let folded = name.to_lowercase();
    let mut alike = people
        .iter()
        .filter(|p| p.name.as_str().to_lowercase() == folded);
    match (alike.next(), alike.next()) {
        (Some(person), None) => Ok(person.clone()),
        _ => {
            let organization = app
                .store()
                .get_organization(plan.organization_id)
                .await
                .map_err(ServiceError::from)?;
            Err(CliError::failed(format!(
                "--author: no person named {name:?} in {}",
                organization.name
            )))
        }
    }
}

/// A refusal of the check-in's fields, reworded to name the option that
/// supplied the field (`date` → `--date`).
fn name_the_option(err: ServiceError) -> CliError {
    match err {
        ServiceError::Invalid(ValidationError { field, message }) => {
            let option = match field.as_str() {
                "author_id" => "--author",
                "date" => "--date",
                "status" => "--status",
                "percent" => "--percent",
                "happened" => "--note",
                "next" => "--next",
                "help_needed" => "--help-needed",
                _ => return ServiceError::Invalid(ValidationError { field, message }).into(),
            };
            CliError::failed(format!("{option}: {message}"))
        }
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_name_the_option() {
        let err = name_the_option(ServiceError::Invalid(ValidationError::new(
            "date",
            "a check-in cannot speak for a future day",
        )));
        assert_eq!(
            err.to_string(),
            "--date: a check-in cannot speak for a future day"
        );
        let err = name_the_option(ServiceError::Invalid(ValidationError::new("links", "x")));
        assert_eq!(err.to_string(), "links: x");
    }

    #[test]
    fn a_node_without_a_code_is_named_by_its_id() {
        let node: Node = serde_json::from_value(serde_json::json!({
            "id": 17, "plan_id": 1, "parent_id": null, "code": null, "title": "T",
            "description": null, "level": 0, "position": 0, "owner_id": null,
            "sponsor_id": null, "department_id": null, "horizon": null,
            "start_date": null, "due_date": null, "weight": 1, "cadence": "none"
        }))
        .unwrap();
        assert_eq!(label(&node), "node 17");
    }
}
