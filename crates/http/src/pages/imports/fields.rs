//! The pieces of the review page drawn from the form: the plan's text
//! fields, the level choices, and how the page names a field in messages.

use lodestar_domain::{LevelNames, ValidationError};
use lodestar_services::imports::SourceKind;
use lodestar_services::imports::review::{ReviewForm, Row};

/// A text field of the plan itself (its title, key, years, a level name).
pub(super) struct TextField {
    pub(super) name: String,
    pub(super) label: String,
    pub(super) hint: &'static str,
    pub(super) value: String,
    pub(super) error: Option<String>,
}

/// The message for a form field, if it was refused.
pub(super) fn error(errors: &[ValidationError], field: &str) -> Option<String> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.clone())
}

/// The kind of document in words.
pub(super) fn kind(source: SourceKind) -> &'static str {
    match source {
        SourceKind::Text => "plain text",
        SourceKind::Markdown => "Markdown",
        SourceKind::Pdf => "PDF",
        SourceKind::Docx => "Word",
        SourceKind::Stratml => "StratML",
        SourceKind::PlanCodeYaml => "plan-as-code (YAML)",
        SourceKind::PlanCodeJson => "plan-as-code (JSON)",
    }
}

/// What a field is called on the page, for the summary of problems.
pub(super) fn field_name(field: &str, rows: &[Row]) -> Option<String> {
    let plain = match field {
        "organization" => Some("Organization"),
        "key" => Some("Plan key"),
        "title" => Some("Plan title"),
        "start_year" => Some("First year"),
        "end_year" => Some("Last year"),
        _ => None,
    };
    if let Some(p) = plain {
        return Some(p.to_owned());
    }
    if let Some(k) = field
        .strip_prefix("level-")
        .and_then(|k| k.parse::<usize>().ok())
    {
        return Some(format!("Level {} name", k + 1));
    }
    let (i, what) = field.strip_prefix("node-")?.split_once('-')?;
    let row = rows.get(i.parse::<usize>().ok()?)?;
    Some(format!("{} of {}", capitalized(what), row.label()))
}

/// The word with its first letter in capitals ("title" → "Title").
pub(super) fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The plan's own fields, as typed.
pub(super) fn plan_fields(form: &ReviewForm, errors: &[ValidationError]) -> Vec<TextField> {
    let key_hint = "Unique across Lodestar: lower-case letters, digits and inner hyphens.";
    [
        ("title", "Plan title", "", &form.title),
        ("organization", "Organization", "", &form.organization),
        ("key", "Plan key", key_hint, &form.key),
        ("start_year", "First year", "", &form.start_year),
        ("end_year", "Last year", "", &form.end_year),
    ]
    .into_iter()
    .map(|(name, label, hint, value)| TextField {
        name: name.to_owned(),
        label: label.to_owned(),
        hint,
        value: value.clone(),
        error: error(errors, name),
    })
    .collect()
}

/// The level names as typed, and one blank field to add a level while the
/// plan has fewer than the most it may.
pub(super) fn level_fields(form: &ReviewForm, errors: &[ValidationError]) -> Vec<TextField> {
    let shown = (form.levels.len() + 1).min(LevelNames::MAX);
    (0..shown.max(form.levels.len()))
        .map(|k| {
            let name = format!("level-{k}");
            TextField {
                label: if k < form.levels.len() {
                    format!("Level {}", k + 1)
                } else {
                    format!("Level {} (optional: adds a level)", k + 1)
                },
                hint: "",
                value: form.levels.get(k).cloned().unwrap_or_default(),
                error: error(errors, &name),
                name,
            }
        })
        .collect()
}

/// The choices of every level select: the typed names, or the stored ones
/// where a typed name is blank.
pub(super) fn level_options(form: &ReviewForm, stored: &LevelNames) -> Vec<(String, String)> {
    let stored: Vec<&str> = stored.iter().map(|n| n.as_str()).collect();
    (0..form.levels.len().max(stored.len()))
        .map(|k| {
            let typed = form
                .levels
                .get(k)
                .map(|l| l.trim())
                .filter(|l| !l.is_empty());
            let name = typed
                .or_else(|| stored.get(k).copied())
                .map_or_else(|| format!("Level {}", k + 1), str::to_owned);
            (k.to_string(), name)
        })
        .collect()
}
