//! The review form as typed, read from its fields and drawn from a document.

use super::rows;
use lodestar_domain::LevelNames;
use lodestar_domain::document::PlanDocument;

/// The review form, every value as typed, so that a form that is refused is
/// drawn again exactly as it was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewForm {
    /// The organization's name.
    pub organization: String,
    /// The plan's key.
    pub key: String,
    /// The plan's title.
    pub title: String,
    /// The first year of its period.
    pub start_year: String,
    /// The last year of its period.
    pub end_year: String,
    /// The level names, top first; blank ones at the end are dropped.
    pub levels: Vec<String>,
    /// One entry per row, in the order of [`rows`].
    pub rows: Vec<RowForm>,
}

/// What the form says about one row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowForm {
    /// Its title.
    pub title: String,
    /// Its level, as an index into the level names.
    pub level: String,
    /// The row of its parent, or empty for the top level.
    pub parent: String,
    /// Whether to remove it (and what is beneath it).
    pub remove: bool,
}

impl ReviewForm {
    /// The form as first drawn for a document.
    pub fn of(document: &PlanDocument) -> Self {
        Self {
            organization: document.organization.name.as_str().to_owned(),
            key: document.key.as_str().to_owned(),
            title: document.title.as_str().to_owned(),
            start_year: document.period.start_year.to_string(),
            end_year: document.period.end_year.to_string(),
            levels: document
                .levels
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect(),
            rows: rows(document)
                .into_iter()
                .map(|r| RowForm {
                    title: r.title,
                    level: r.level.to_string(),
                    parent: r.parent.map(|p| p.to_string()).unwrap_or_default(),
                    remove: false,
                })
                .collect(),
        }
    }

    /// The form read from its fields (`title`, `level-0`, `node-3-parent`,
    /// `node-3-remove`…) for a draft of `row_count` rows; a field not sent
    /// is empty, an unknown one ignored.
    pub fn from_fields<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
        row_count: usize,
    ) -> Self {
        let mut form = Self {
            rows: vec![RowForm::default(); row_count],
            levels: vec![String::new(); LevelNames::MAX + 1],
            ..Self::default()
        };
        for (name, value) in fields {
            let value = value.to_owned();
            match name {
                "organization" => form.organization = value,
                "key" => form.key = value,
                "title" => form.title = value,
                "start_year" => form.start_year = value,
                "end_year" => form.end_year = value,
                _ => form.set(name, value),
            }
        }
        while form.levels.last().is_some_and(|l| l.trim().is_empty()) {
            form.levels.pop();
        }
        form
    }

    /// Sets a level name or a row's field from its form field name.
    fn set(&mut self, name: &str, value: String) {
        if let Some(k) = name
            .strip_prefix("level-")
            .and_then(|k| k.parse::<usize>().ok())
        {
            if let Some(slot) = self.levels.get_mut(k) {
                *slot = value;
            }
            return;
        }
        let Some((i, field)) = name
            .strip_prefix("node-")
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)))
        else {
            return;
        };
        let Some(row) = self.rows.get_mut(i) else {
            return;
        };
        match field {
            "title" => row.title = value,
            "level" => row.level = value,
            "parent" => row.parent = value,
            "remove" => row.remove = !value.is_empty(),
            _ => {}
        }
    }
}

/// The field of row `i`'s `what` (`node-3-parent`), as forms and errors name it.
pub fn row_field(i: usize, what: &str) -> String {
    format!("node-{i}-{what}")
}
