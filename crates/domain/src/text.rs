//! Text values with rules: names, codes, keys, e-mail addresses, long prose.

use crate::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, max = $max:expr, check = $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(try_from = "String", into = "String")]
        #[schema(value_type = String)]
        pub struct $name(String);

        impl $name {
            /// The longest value accepted, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Parses `raw` (surrounding white space is dropped), or says why it is not valid.
            pub fn parse(raw: &str) -> Result<Self, String> {
                let value = raw.trim();
                let chars = value.chars().count();
                if chars > Self::MAX_CHARS {
                    return Err(format!("must be at most {} characters, got {chars}", Self::MAX_CHARS));
                }
                let check: fn(&str) -> Result<(), String> = $check;
                check(value)?;
                Ok(Self(value.to_owned()))
            }

            /// Parses `raw` and names `field` in the error.
            pub fn parse_field(field: &str, raw: &str) -> Result<Self, ValidationError> {
                Self::parse(raw).map_err(|m| ValidationError::new(field, m))
            }

            /// The text itself.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

fn no_control_chars(value: &str) -> Result<(), String> {
    if value.chars().any(|c| c.is_control()) {
        return Err("must be a single line without control characters".into());
    }
    Ok(())
}

fn not_empty(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("must not be empty".into());
    }
    Ok(())
}

text_type!(
    /// A one-line name or title: a plan's title, a node's title, a person's name.
    Name,
    max = 500,
    check = |v| {
        not_empty(v)?;
        no_control_chars(v)
    }
);

text_type!(
    /// Prose of any length up to a generous bound: a description, a vision, a principle's text.
    /// Line breaks are kept; an empty text is represented by its absence.
    LongText,
    max = 20_000,
    check = |v| {
        not_empty(v)?;
        if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err("must not contain control characters".into());
        }
        Ok(())
    }
);

text_type!(
    /// A node's code as printed in the plan: `1`, `1.1`, `3:4`, `A-2`.
    /// Unique within a plan, and the handle by which plan-as-code refers to a node.
    Code,
    max = 32,
    check = |v| {
        not_empty(v)?;
        match v.chars().find(|c| !(c.is_alphanumeric() || matches!(c, '.' | ':' | '-' | '_' | '/'))) {
            Some(c) => Err(format!(
                "may hold only letters, digits and . : - _ /, found {c:?}"
            )),
            None => Ok(()),
        }
    }
);

text_type!(
    /// A short, stable, URL-safe handle: a plan's key (`city-it-2025`) or a tag's key (`cloud`).
    Key,
    max = 64,
    check = |v| {
        not_empty(v)?;
        let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if !v.chars().all(ok_char) || v.starts_with('-') || v.ends_with('-') {
            return Err(
                "must be lower-case letters, digits and inner hyphens, such as `city-it-2025`".into(),
            );
        }
        Ok(())
    }
);

text_type!(
    /// An e-mail address, checked only for its shape (something@domain).
    Email,
    max = 254,
    check = |v| {
        no_control_chars(v)?;
        match v.split_once('@') {
            Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !v.contains(' ') =>
            {
                Ok(())
            }
            _ => Err("must be an e-mail address such as name@example.gov".into()),
        }
    }
);

text_type!(
    /// A measure's handle within its plan, usable as a name in a formula:
    /// a lower-case letter, then lower-case letters, digits and underscores (`tickets_total`).
    MeasureKey,
    max = 64,
    check = |v| {
        not_empty(v)?;
        let mut chars = v.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        if !first_ok || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(
                "must start with a lower-case letter and hold only lower-case letters, digits and underscores, such as `tickets_total`".into(),
            );
        }
        Ok(())
    }
);

text_type!(
    /// A web address a check-in or a record links to: `http://` or `https://`, no spaces.
    Url,
    max = 2000,
    check = |v| {
        let rest = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !v.chars().any(|c| c.is_whitespace() || c.is_control()) => Ok(()),
            _ => Err("must be a web address starting with http:// or https://".into()),
        }
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_never_empty() {
        assert_eq!(Name::parse("  Modernize  ").unwrap().as_str(), "Modernize");
        assert_eq!(Name::parse("   ").unwrap_err(), "must not be empty");
        assert!(Name::parse("two\nlines").is_err());
        assert!(
            Name::parse(&"x".repeat(501))
                .unwrap_err()
                .contains("at most 500")
        );
    }

    #[test]
    fn codes_accept_the_numbering_real_plans_use() {
        for code in ["1", "1.1", "3:4", "A-2", "G1/O2"] {
            assert!(Code::parse(code).is_ok(), "{code}");
        }
        assert!(Code::parse("1 1").unwrap_err().contains("found ' '"));
    }

    #[test]
    fn keys_are_url_safe() {
        assert!(Key::parse("city-it-2025").is_ok());
        assert!(Key::parse("City").is_err());
        assert!(Key::parse("-x").is_err());
    }

    #[test]
    fn long_text_keeps_line_breaks() {
        assert_eq!(LongText::parse("a\nb").unwrap().as_str(), "a\nb");
        assert!(LongText::parse("a\u{7}b").is_err());
    }

    #[test]
    fn emails_need_a_domain() {
        assert!(Email::parse("cio@example.gov").is_ok());
        assert!(Email::parse("cio@localhost").is_err());
        assert!(Email::parse("@example.gov").is_err());
    }

    #[test]
    fn serde_rejects_invalid_text() {
        let err = serde_json::from_str::<Name>("\"\"").unwrap_err();
        assert!(err.to_string().contains("must not be empty"));
    }
}
