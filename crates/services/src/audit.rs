//! The audit log as the front ends show it: a node's history, page by page,
//! and the log (or a plan's part of it) as a CSV file for auditors.

use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::{NodeId, PlanId, ValidationError};
pub use lodestar_storage::{AuditAction, AuditEntry, AuditFilter};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: [&str; 10] = [
    "id",
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "plan_id",
    "node_id",
    "before",
    "after",
];

/// How many entries a page of a node's history holds unless the caller says.
pub const DEFAULT_PAGE: u32 = 50;

/// The most entries one page of a node's history holds.
pub const MAX_PAGE: u32 = 500;

/// How many entries the export reads from the store at a time.
const EXPORT_BATCH: u32 = 1000;

impl App {
    /// A node's history, newest first: what was done to it and to the rows
    /// that belong to it, by whom. At most `limit` entries (default
    /// [`DEFAULT_PAGE`], at most [`MAX_PAGE`]); those older than entry
    /// `before_id` when given, to read on from the last entry of a page. A
    /// deleted node keeps its history; a node that never existed is not found.
    pub async fn node_audit(
        &self,
        node: NodeId,
        before_id: Option<i64>,
        limit: Option<u32>,
    ) -> ServiceResult<Vec<AuditEntry>> {
        let limit = limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
        let entries = self.store().node_audit(node, before_id, limit).await?;
        if entries.is_empty() && before_id.is_none() {
            self.store().get_node(node).await?;
        }
        Ok(entries)
    }

    /// The entries `filter` selects, oldest first, as CSV with the header
    /// [`CSV_COLUMNS`]: one line per logged write, the row before and after
    /// as JSON.
    pub async fn audit_csv(&self, filter: &AuditFilter) -> ServiceResult<String> {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(CSV_COLUMNS).map_err(internal)?;
        let mut after = 0;
        loop {
            let page = self.store().audit_rows(filter, after, EXPORT_BATCH).await?;
            for entry in &page {
                csv.write_record(csv_record(entry)).map_err(internal)?;
            }
            match page.last() {
                Some(last) if page.len() == EXPORT_BATCH as usize => after = last.id,
                _ => break,
            }
        }
        let bytes = csv.into_inner().map_err(|e| internal(e.into_error()))?;
        String::from_utf8(bytes).map_err(internal)
    }
}

/// The filter of an export from its query's parts. `since` and `until` are
/// RFC 3339 times or dates; a date as `until` includes that whole day (UTC).
pub fn audit_filter(
    plan: Option<PlanId>,
    entity: Option<String>,
    since: Option<&str>,
    until: Option<&str>,
) -> ServiceResult<AuditFilter> {
    let since = since.map(|s| bound("since", s, false)).transpose()?;
    let until = until.map(|s| bound("until", s, true)).transpose()?;
    if let (Some(since), Some(until)) = (since, until)
        && until <= since
    {
        return Err(ValidationError::new("until", "must come after since").into());
    }
    let entity = entity.filter(|e| !e.is_empty());
    if let Some(e) = &entity
        && !e
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(
            ValidationError::new("entity", "must be a table name, like nodes or users").into(),
        );
    }
    Ok(AuditFilter {
        plan,
        entity,
        since,
        until,
    })
}

fn bound(field: &str, text: &str, end_of_day: bool) -> ServiceResult<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    let day = Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        ValidationError::new(
            field,
            format!("{text:?} is neither a date (2025-03-31) nor a time (2025-03-31T12:00:00Z)"),
        )
    })?;
    let day = if end_of_day {
        day.next_day().unwrap_or(day)
    } else {
        day
    };
    Ok(day.with_time(Time::MIDNIGHT).assume_utc())
}

fn csv_record(entry: &AuditEntry) -> [String; 10] {
    let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(ToString::to_string).unwrap_or_default();
    [
        entry.id.to_string(),
        entry.at.format(&Rfc3339).unwrap_or_default(),
        spreadsheet_safe(&entry.actor),
        entry.action.as_str().to_owned(),
        spreadsheet_safe(&entry.entity),
        number(entry.entity_id),
        number(entry.plan_id.map(|p| p.0)),
        number(entry.node_id.map(|n| n.0)),
        json(&entry.before),
        json(&entry.after),
    ]
}

/// Text a spreadsheet will not run as a formula: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets a `'` before it.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn internal(e: impl std::error::Error + Send + Sync + 'static) -> ServiceError {
    ServiceError::Internal(Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_date_as_until_includes_the_whole_day() {
        let filter = audit_filter(None, None, Some("2025-03-01"), Some("2025-03-31")).unwrap();
        assert_eq!(filter.since, Some(datetime!(2025-03-01 00:00 UTC)));
        assert_eq!(filter.until, Some(datetime!(2025-04-01 00:00 UTC)));
    }

    #[test]
    fn bounds_in_the_wrong_order_are_refused() {
        let err =
            audit_filter(None, None, Some("2025-03-02T00:00:00Z"), Some("2025-03-01")).unwrap_err();
        assert!(err.to_string().contains("after since"), "{err}");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("ada@city.gov"), "ada@city.gov");
    }
}
