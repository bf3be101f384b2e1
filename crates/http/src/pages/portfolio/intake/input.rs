//! The intake form as typed: its fields and repeated rows, and reading them
//! into a proposal draft with every mistake named by its row and column.

use crate::pages::forms::{FieldErrors, date, id as choice_id};
use lodestar_domain::portfolio::{
    CostKind, CostLine, EffortLine, Money, Proposal, ProposalDraft, Recurrence, RiskLevel,
    StaffRole, YearMonth,
};
use lodestar_domain::{DepartmentId, Link, LongText, Name, NodeId, OrganizationId, PersonId, Url};
use std::collections::HashMap;

/// How many empty cost, effort and link rows the form offers to fill.
pub(super) const EMPTY_ROWS: usize = 3;

/// One cost line as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct CostRow {
    pub(super) year: String,
    pub(super) kind: String,
    pub(super) recurrence: String,
    pub(super) amount: String,
}

/// One effort line as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct EffortRow {
    pub(super) role: String,
    pub(super) month: String,
    pub(super) hours: String,
}

/// One link as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkRow {
    pub(super) url: String,
    pub(super) label: String,
}

/// The form as sent: every field as typed, the repeated ones in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Input {
    pub(super) organization_id: String,
    pub(super) title: String,
    pub(super) department_id: String,
    pub(super) sponsor_id: String,
    pub(super) problem: String,
    pub(super) benefits: String,
    pub(super) risk: String,
    pub(super) target_start: String,
    pub(super) target_end: String,
    pub(super) objectives: Vec<String>,
    pub(super) costs: Vec<CostRow>,
    pub(super) effort: Vec<EffortRow>,
    pub(super) links: Vec<LinkRow>,
    pub(super) version: String,
    pub(super) action: String,
}

impl Input {
    /// Reads the form's pairs: the repeated rows by position.
    pub(super) fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut input = Self::default();
        let mut columns: HashMap<String, Vec<String>> = HashMap::new();
        for (name, value) in pairs {
            match name.as_str() {
                "organization_id" => input.organization_id = value,
                "title" => input.title = value,
                "department_id" => input.department_id = value,
                "sponsor_id" => input.sponsor_id = value,
                "problem" => input.problem = value,
                "benefits" => input.benefits = value,
                "risk" => input.risk = value,
                "target_start" => input.target_start = value,
                "target_end" => input.target_end = value,
                "objective" => input.objectives.push(value),
                "version" => input.version = value,
                "action" => input.action = value,
                _ => columns.entry(name).or_default().push(value),
            }
        }
        let mut column = |name: &str| columns.remove(name).unwrap_or_default();
        let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
        let (years, kinds, recurrences, amounts) = (
            column("cost_year"),
            column("cost_kind"),
            column("cost_recurrence"),
            column("cost_amount"),
        );
        let rows = years.len().max(amounts.len());
        input.costs = (0..rows)
            .map(|i| CostRow {
                year: at(&years, i),
                kind: at(&kinds, i),
                recurrence: at(&recurrences, i),
                amount: at(&amounts, i),
            })
            .collect();
        let (roles, months, hours) = (
            column("effort_role"),
            column("effort_month"),
            column("effort_hours"),
        );
        let rows = roles.len().max(months.len()).max(hours.len());
        input.effort = (0..rows)
            .map(|i| EffortRow {
                role: at(&roles, i),
                month: at(&months, i),
                hours: at(&hours, i),
            })
            .collect();
        let (urls, labels) = (column("link_url"), column("link_label"));
        input.links = (0..urls.len().max(labels.len()))
            .map(|i| LinkRow {
                url: at(&urls, i),
                label: at(&labels, i),
            })
            .collect();
        input
    }

    /// The form filled with a stored proposal.
    pub(super) fn of(p: &Proposal, version: i64) -> Self {
        let d = &p.draft;
        let text = |t: &Option<LongText>| t.as_ref().map(|t| t.to_string()).unwrap_or_default();
        Self {
            organization_id: d.organization_id.0.to_string(),
            title: d.title.to_string(),
            department_id: d.department_id.map(|x| x.0.to_string()).unwrap_or_default(),
            sponsor_id: d.sponsor_id.map(|x| x.0.to_string()).unwrap_or_default(),
            problem: text(&d.problem),
            benefits: text(&d.benefits),
            risk: d.risk.as_str().to_owned(),
            target_start: d.target_start.map(|x| x.to_string()).unwrap_or_default(),
            target_end: d.target_end.map(|x| x.to_string()).unwrap_or_default(),
            objectives: d.objectives.iter().map(|n| n.0.to_string()).collect(),
            costs: d
                .costs
                .iter()
                .map(|c| CostRow {
                    year: c.fiscal_year.to_string(),
                    kind: c.kind.as_str().to_owned(),
                    recurrence: c.recurrence.as_str().to_owned(),
                    amount: plain_amount(c.amount),
                })
                .collect(),
            effort: d
                .effort
                .iter()
                .map(|e| EffortRow {
                    role: e.role.to_string(),
                    month: e.month.to_string(),
                    hours: e.hours.to_string(),
                })
                .collect(),
            links: d
                .links
                .iter()
                .map(|l| LinkRow {
                    url: l.url.to_string(),
                    label: l.label.as_ref().map(|x| x.to_string()).unwrap_or_default(),
                })
                .collect(),
            version: version.to_string(),
            action: String::new(),
        }
    }

    /// Whether the user asked to submit rather than save a draft.
    pub(super) fn submits(&self) -> bool {
        self.action == "submit"
    }
}

/// An amount as a form holds it (`1234.56`).
fn plain_amount(m: Money) -> String {
    let c = m.cents();
    format!("{}.{:02}", c / 100, (c % 100).abs())
}

/// Reads the whole form, noting every problem; a draft when nothing is wrong.
pub(super) fn read(input: &Input, errors: &mut FieldErrors) -> Option<ProposalDraft> {
    let organization = errors.required(
        "organization_id",
        &input.organization_id,
        "Choose the organization asking",
        choice_id,
    );
    let title = errors.required("title", &input.title, "Enter a title", Name::parse);
    let department = errors.optional("department_id", &input.department_id, choice_id);
    let sponsor = errors.optional("sponsor_id", &input.sponsor_id, choice_id);
    let problem = errors.optional("problem", &input.problem, LongText::parse);
    let benefits = errors.optional("benefits", &input.benefits, LongText::parse);
    let risk = errors.required(
        "risk",
        &input.risk,
        "Choose a risk level",
        str::parse::<RiskLevel>,
    );
    let target_start = errors.optional("target_start", &input.target_start, date);
    let target_end = errors.optional("target_end", &input.target_end, date);
    let mut objectives = Vec::new();
    for raw in &input.objectives {
        match choice_id(raw.trim()) {
            Ok(id) => objectives.push(NodeId(id)),
            Err(m) => errors.add("objectives", m),
        }
    }
    let mut costs = Vec::new();
    for (i, c) in input.costs.iter().enumerate() {
        if c.year.trim().is_empty() && c.amount.trim().is_empty() {
            continue;
        }
        let year = errors.required(
            &format!("cost-{i}-year"),
            &c.year,
            "Enter the fiscal year, such as 2026",
            |raw| {
                raw.parse::<i32>()
                    .map_err(|_| format!("{raw:?} is not a year; write four digits, such as 2026"))
            },
        );
        let amount = errors.required(
            &format!("cost-{i}-amount"),
            &c.amount,
            "Enter the amount, such as 12500.00",
            str::parse::<Money>,
        );
        let kind = c.kind.parse::<CostKind>();
        let recurrence = c.recurrence.parse::<Recurrence>();
        match (year, amount, kind, recurrence) {
            (Some(fiscal_year), Some(amount), Ok(kind), Ok(recurrence)) => costs.push(CostLine {
                fiscal_year,
                kind,
                recurrence,
                amount,
            }),
            (_, _, Err(m), _) | (_, _, _, Err(m)) => errors.add("costs", m),
            _ => {}
        }
    }
    let mut effort = Vec::new();
    for (i, e) in input.effort.iter().enumerate() {
        if effort_is_empty(e) {
            continue;
        }
        let role = errors.required(
            &format!("effort-{i}-role"),
            &e.role,
            "Enter the kind of staff, such as developer",
            StaffRole::parse,
        );
        let month = errors.required(
            &format!("effort-{i}-month"),
            &e.month,
            "Enter the month, such as 2026-03",
            str::parse::<YearMonth>,
        );
        let hours = errors.required(
            &format!("effort-{i}-hours"),
            &e.hours,
            "Enter the hours, such as 120",
            |raw| {
                raw.replace(',', "")
                    .parse::<u32>()
                    .map_err(|_| format!("{raw:?} is not a whole number of hours, such as 120"))
            },
        );
        if let (Some(role), Some(month), Some(hours)) = (role, month, hours) {
            effort.push(EffortLine { role, month, hours });
        }
    }
    let mut links = Vec::new();
    for (i, l) in input.links.iter().enumerate() {
        if l.url.trim().is_empty() && l.label.trim().is_empty() {
            continue;
        }
        let url = errors.required(
            &format!("link-{i}-url"),
            &l.url,
            "Give the link's address, or clear its label",
            Url::parse,
        );
        let label = errors.optional(&format!("link-{i}-label"), &l.label, Name::parse);
        if let Some(url) = url {
            links.push(Link { url, label });
        }
    }
    if !errors.is_empty() {
        return None;
    }
    Some(ProposalDraft {
        organization_id: OrganizationId(organization?),
        plan_id: None,
        title: title?,
        department_id: department.map(DepartmentId),
        sponsor_id: sponsor.map(PersonId),
        problem,
        benefits,
        risk: risk?,
        target_start,
        target_end,
        links,
        costs,
        effort,
        objectives,
    })
}

/// Whether an effort row was left empty.
pub(super) fn effort_is_empty(e: &EffortRow) -> bool {
    e.role.trim().is_empty() && e.month.trim().is_empty() && e.hours.trim().is_empty()
}

/// A table cell's id in words (`cost-0-amount` → "Cost line 1, amount");
/// none for what is not a cell.
pub(super) fn cell_label(field: &str) -> Option<String> {
    let mut parts = field.splitn(3, '-');
    let (table, row, column) = (
        parts.next()?,
        parts.next()?.parse::<usize>().ok()?,
        parts.next()?,
    );
    let table = match table {
        "cost" => "Cost line",
        "effort" => "Effort line",
        "link" => "Link",
        _ => return None,
    };
    let column = match column {
        "year" => "fiscal year",
        "url" => "address",
        other => other,
    };
    Some(format!("{table} {}, {column}", row + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    pub(super) fn repeated_rows_are_read_by_position_and_empty_rows_are_skipped() {
        let input = Input::from_pairs(pairs(&[
            ("organization_id", "1"),
            ("title", "Kiosks"),
            ("risk", "low"),
            ("objective", "7"),
            ("objective", "9"),
            ("cost_year", "2026"),
            ("cost_kind", "capital"),
            ("cost_recurrence", "one-time"),
            ("cost_amount", "$1,200.50"),
            ("cost_year", ""),
            ("cost_kind", "operating"),
            ("cost_recurrence", "recurring"),
            ("cost_amount", ""),
            ("effort_role", "developer"),
            ("effort_month", "2026-03"),
            ("effort_hours", "120"),
            ("effort_role", ""),
            ("effort_month", ""),
            ("effort_hours", ""),
            ("action", "submit"),
        ]));
        assert!(input.submits());
        assert_eq!(input.costs.len(), 2);
        let mut errors = FieldErrors::default();
        let draft = read(&input, &mut errors).expect("nothing wrong");
        assert_eq!(draft.objectives, [NodeId(7), NodeId(9)]);
        assert_eq!(draft.costs.len(), 1, "the empty row is skipped");
        assert_eq!(draft.costs[0].amount, Money(120_050));
        assert_eq!(draft.effort.len(), 1);
        assert_eq!(plain_amount(draft.costs[0].amount), "1200.50");
    }

    #[test]
    pub(super) fn a_wrong_cell_is_named_by_its_row_and_column() {
        let input = Input::from_pairs(pairs(&[
            ("organization_id", "1"),
            ("title", "Kiosks"),
            ("risk", "low"),
            ("cost_year", "2026"),
            ("cost_kind", "capital"),
            ("cost_recurrence", "one-time"),
            ("cost_amount", "lots"),
            ("effort_role", "developer"),
            ("effort_month", "March"),
            ("effort_hours", "120"),
        ]));
        let mut errors = FieldErrors::default();
        assert!(read(&input, &mut errors).is_none());
        assert!(errors.get("cost-0-amount").unwrap().contains("\"lots\""));
        assert!(errors.get("effort-0-month").is_some());
        assert_eq!(
            cell_label("cost-0-amount").as_deref(),
            Some("Cost line 1, amount")
        );
        assert_eq!(
            cell_label("effort-2-month").as_deref(),
            Some("Effort line 3, month")
        );
        assert_eq!(cell_label("version"), None);
    }
}
