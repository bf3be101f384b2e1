//! A form's field as a template draws it, and the choices of a select.

use lodestar_domain::CalendarDate;

use super::FieldErrors;

/// One choice of a select.
#[derive(Debug, Clone)]
pub(crate) struct Choice {
    /// What the form sends.
    pub value: String,
    /// What the user reads.
    pub label: String,
}

impl Choice {
    /// A choice sending `value`, reading `label`.
    pub(crate) fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// A field as `templates/forms/fields.html` draws it: labelled, with its
/// hint and its message tied to the control by `aria-describedby`.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The control's id and name.
    pub id: &'static str,
    /// Its label, without the "(required)" mark.
    pub label: String,
    /// `input`, `select` or `textarea`.
    pub control: &'static str,
    /// The input's type (`text`, `date`).
    pub input_type: &'static str,
    /// The `inputmode` for an on-screen keyboard; empty for none.
    pub inputmode: &'static str,
    /// The latest day a date may be; empty for none.
    pub max: String,
    /// What it holds.
    pub value: String,
    /// A hint below the label; empty for none.
    pub hint: String,
    /// What is wrong with it.
    pub error: Option<String>,
    /// Whether it must be filled in.
    pub required: bool,
    /// A select's choices.
    pub options: Vec<Choice>,
}

impl Field {
    /// A one-line text input holding `value`.
    pub(crate) fn text(id: &'static str, label: impl Into<String>, value: &str) -> Self {
        Self {
            id,
            label: label.into(),
            control: "input",
            input_type: "text",
            inputmode: "",
            max: String::new(),
            value: value.to_owned(),
            hint: String::new(),
            error: None,
            required: false,
            options: Vec::new(),
        }
    }

    /// A text input for a number; it keeps whatever was typed, so a mistake
    /// comes back to be corrected.
    pub(crate) fn number(id: &'static str, label: impl Into<String>, value: &str) -> Self {
        Self {
            inputmode: "decimal",
            ..Self::text(id, label, value)
        }
    }

    /// A date input.
    pub(crate) fn date(id: &'static str, label: impl Into<String>, value: &str) -> Self {
        Self {
            input_type: "date",
            ..Self::text(id, label, value)
        }
    }

    /// A text area for prose.
    pub(crate) fn textarea(id: &'static str, label: impl Into<String>, value: &str) -> Self {
        Self {
            control: "textarea",
            ..Self::text(id, label, value)
        }
    }

    /// A select of `options`, with `value` chosen.
    pub(crate) fn select(
        id: &'static str,
        label: impl Into<String>,
        value: &str,
        options: Vec<Choice>,
    ) -> Self {
        Self {
            control: "select",
            options,
            ..Self::text(id, label, value)
        }
    }

    /// The same field, with a hint.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// The same field, marked as required.
    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same date field, offering no day after `day` in the picker.
    pub(crate) fn max(mut self, day: Option<CalendarDate>) -> Self {
        self.max = day.map(|d| d.to_string()).unwrap_or_default();
        self
    }

    /// The same field, with its message from `errors` if it has one.
    pub(crate) fn checked(mut self, errors: &FieldErrors) -> Self {
        self.error = errors.get(self.id).map(str::to_owned);
        self
    }

    /// The ids of the hint and the message, for `aria-describedby`.
    pub(crate) fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }

    /// What it holds, as the user reads it (a select's chosen label).
    pub(crate) fn shown(&self) -> String {
        let value = self.value.trim();
        let shown = self
            .options
            .iter()
            .find(|c| c.value == value)
            .map_or(value, |c| c.label.as_str());
        if shown.is_empty() {
            "(empty)".to_owned()
        } else {
            shown.to_owned()
        }
    }
}
