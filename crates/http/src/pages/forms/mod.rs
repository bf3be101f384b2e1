//! The forms that change a plan: a new check-in, a measure's new value, a
//! node's fields, a new measure. Each validates on the server, collects every
//! field's problem before asking the services layer, and on failure answers
//! the form again with what the user typed, an error summary and each message
//! beside its field. This module holds what they share: [`FieldErrors`], the
//! parsers of form text, the [`Field`] a template draws, and the mapping of a
//! service's errors to fields.

mod checkin;
mod field;
mod measure;
mod node_edit;
mod observation;

use super::PageError;
use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use lodestar_domain::{CalendarDate, Node, Percent, Plan};
use lodestar_services::{App, ServiceError};

pub(crate) use field::{Choice, Field};

/// The forms' routes.
pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/nodes/{id}/checkins/new", get(checkin::form))
        .route("/nodes/{id}/checkins", post(checkin::submit))
        .route("/measures/{id}/observations/new", get(observation::form))
        .route("/measures/{id}/observations", post(observation::submit))
        .route(
            "/nodes/{id}/edit",
            get(node_edit::form).post(node_edit::submit),
        )
        .route("/nodes/{id}/measures/new", get(measure::form))
        .route("/nodes/{id}/measures", post(measure::submit))
}

/// What is wrong with a submitted form: a message per field (the first one
/// found), and messages that belong to no field of the form.
#[derive(Debug, Default)]
pub(crate) struct FieldErrors {
    fields: Vec<(String, String)>,
    general: Vec<String>,
}

impl FieldErrors {
    /// Notes that `field` is wrong; a field keeps its first message.
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.fields
                .push((field.to_owned(), sentence(&message.into())));
        }
    }

    /// Notes a problem that no field of the form can be pointed at for.
    pub(crate) fn add_general(&mut self, message: impl Into<String>) {
        self.general.push(sentence(&message.into()));
    }

    /// The message of `field`, if it is wrong.
    pub(crate) fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Every field's message, in the order they were found.
    pub(crate) fn cells(&self) -> impl Iterator<Item = (&str, &str)> {
        self.fields.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// The messages that belong to no field.
    pub(crate) fn general_messages(&self) -> &[String] {
        &self.general
    }

    /// Whether nothing is wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// Parses a field that must be filled in; `missing` says what to enter.
    pub(crate) fn required<T>(
        &mut self,
        field: &str,
        raw: &str,
        missing: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            self.add(field, missing);
            return None;
        }
        self.optional(field, raw, parse)
    }

    /// Parses a field that may be left empty: none when it is (or when it
    /// is wrong, which is noted).
    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        raw: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        if raw.trim().is_empty() {
            return None;
        }
        parse(raw.trim())
            .map_err(|message| self.add(field, message))
            .ok()
    }

    /// Notes what the services layer refused, beside the form field that
    /// `to_field` names for the draft's field (the summary when none does).
    /// Errors that no field explains (a missing record, a failure on our
    /// side) are the page's error instead.
    pub(crate) fn add_service_error(
        &mut self,
        err: ServiceError,
        to_field: impl Fn(&str) -> Option<&'static str>,
    ) -> Result<(), PageError> {
        self.add_refusal(err, &to_field)
    }

    fn add_refusal(
        &mut self,
        err: ServiceError,
        to_field: &dyn Fn(&str) -> Option<&'static str>,
    ) -> Result<(), PageError> {
        let (field, message) = match err {
            ServiceError::Invalid(e) => (Some(e.field), e.message),
            ServiceError::Conflict { field, message } => (field, message),
            ServiceError::InvalidDocument { errors, .. } => {
                for e in errors {
                    self.add_refusal(ServiceError::Invalid(e), to_field)?;
                }
                return Ok(());
            }
            other => return Err(other.into()),
        };
        let root = field
            .as_deref()
            .map(|f| f.split(['.', '[']).next().unwrap_or_default().to_owned());
        match field
            .as_deref()
            .and_then(to_field)
            .or_else(|| root.as_deref().and_then(to_field))
        {
            Some(form_field) => self.add(form_field, message),
            None => self.add_general(message),
        }
        Ok(())
    }
}

/// A message as a sentence: capitalized.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A finite number as people write it (`42`, `97.5`, `-3`, `1,250`).
pub(crate) fn number(raw: &str) -> Result<f64, String> {
    raw.replace([',', '_'], "")
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("{raw:?} is not a number; write digits, such as 42 or 97.5"))
}

/// A percentage from 0 to 100 (a trailing `%` is allowed).
pub(crate) fn percent(raw: &str) -> Result<Percent, String> {
    let value = number(raw.trim_end_matches('%')).map_err(|_| {
        format!("{raw:?} is not a number; enter a number from 0 to 100, such as 40")
    })?;
    Percent::new(value).map_err(|_| format!("enter a number from 0 to 100, not {value}"))
}

/// A calendar date as a date input sends it (`2026-03-31`).
pub(crate) fn date(raw: &str) -> Result<CalendarDate, String> {
    raw.parse()
}

/// A record's id chosen in a select.
pub(crate) fn id(raw: &str) -> Result<i64, String> {
    raw.parse()
        .map_err(|_| format!("{raw:?} is not one of the choices"))
}

/// Today as the application sees it, as a calendar date.
pub(crate) fn today(app: &App) -> Option<CalendarDate> {
    CalendarDate::new(app.today()).ok()
}

/// A node as headings name it: its code and title.
pub(crate) fn node_label(node: &Node) -> String {
    match &node.code {
        Some(code) => format!("{code} {}", node.title),
        None => node.title.to_string(),
    }
}

/// A node and its plan, for a form about the node.
pub(crate) async fn node_and_plan(app: &App, id: i64) -> Result<(Node, Plan), PageError> {
    let node = app
        .store()
        .get_node(lodestar_domain::NodeId(id))
        .await
        .map_err(ServiceError::from)?;
    let plan = app
        .store()
        .get_plan(node.plan_id)
        .await
        .map_err(ServiceError::from)?;
    Ok((node, plan))
}

/// A form page answered with `status`.
pub(crate) fn respond(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// A line of the error summary: the message, and the field it links to.
#[derive(Debug, Clone)]
pub(crate) struct SummaryItem {
    /// The id of the field, for `href="#…"`; none for a problem of no field.
    pub field: Option<&'static str>,
    /// The field's label and its message.
    pub text: String,
}

/// The error summary of a form whose fields are `fields`, in their order;
/// a message for a field not among them is listed without a link.
pub(crate) fn summarize(fields: &[&Field], errors: &FieldErrors) -> Vec<SummaryItem> {
    let mut items: Vec<SummaryItem> = fields
        .iter()
        .filter_map(|f| {
            errors.get(f.id).map(|m| SummaryItem {
                field: Some(f.id),
                text: format!("{}: {m}", f.label),
            })
        })
        .collect();
    let orphans = errors
        .fields
        .iter()
        .filter(|(name, _)| !fields.iter().any(|f| f.id == name))
        .map(|(_, m)| m);
    items.extend(orphans.chain(&errors.general).map(|m| SummaryItem {
        field: None,
        text: m.clone(),
    }));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_collected_once_per_field() {
        let mut errors = FieldErrors::default();
        assert_eq!(errors.optional("percent", "abc", percent), None);
        assert_eq!(
            errors.required("title", "  ", "Enter a title", |t| Ok(t.to_owned())),
            None
        );
        errors.add("title", "second message");
        assert_eq!(errors.get("title"), Some("Enter a title"));
        assert!(
            errors
                .get("percent")
                .unwrap()
                .contains("\"abc\" is not a number")
        );
        assert_eq!(
            errors.optional("note", "", |_| Err::<(), _>("x".into())),
            None
        );
        assert_eq!(errors.get("note"), None);
    }

    #[test]
    fn numbers_and_percents_are_read_as_people_write_them() {
        assert_eq!(number("1,250"), Ok(1250.0));
        assert_eq!(percent("40%").map(Percent::value), Ok(40.0));
        assert!(percent("140").unwrap_err().contains("0 to 100"));
        assert!(number("NaN").is_err());
    }

    #[test]
    fn service_errors_land_on_their_field_or_in_the_summary() {
        let mut errors = FieldErrors::default();
        let to_field = |f: &str| (f == "targets").then_some("target_value");
        let invalid =
            |f: &str| ServiceError::Invalid(lodestar_domain::ValidationError::new(f, "bad"));
        errors
            .add_service_error(invalid("targets[0]"), to_field)
            .unwrap();
        errors
            .add_service_error(invalid("formula"), to_field)
            .unwrap();
        assert_eq!(errors.get("target_value"), Some("Bad"));
        let field = Field::text("target_value", "Target", "");
        let summary = summarize(&[&field], &errors);
        assert_eq!(summary.len(), 2);
        assert_eq!(summary[0].field, Some("target_value"));
        assert_eq!(summary[1].field, None);
        let missing = ServiceError::NotFound {
            entity: "node",
            id: "1".into(),
        };
        assert!(errors.add_service_error(missing, to_field).is_err());
    }
}
