//! Calendar months (`2026-03`) and staff roles (`developer`): the two
//! coordinates of capacity and effort.

use crate::ValidationError;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A calendar month, written `YYYY-MM`, between 1900-01 and 2200-12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// A month, or why it is not one.
    pub fn new(year: i32, month: u8) -> Result<Self, String> {
        if !(1900..=2200).contains(&year) {
            return Err(format!("year {year} is outside 1900–2200"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("there is no month {month}"));
        }
        Ok(Self { year, month })
    }

    /// Its year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// Its month, 1 for January.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The month after it (saturating at 2200-12).
    pub fn next(self) -> Self {
        match (self.year, self.month) {
            (2200, 12) => self,
            (y, 12) => Self {
                year: y + 1,
                month: 1,
            },
            (y, m) => Self {
                year: y,
                month: m + 1,
            },
        }
    }

    /// Every month from `from` to `to`, both included (none when `to` is before `from`).
    pub fn range(from: Self, to: Self) -> Vec<Self> {
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            out.push(m);
            if m.next() == m {
                break;
            }
            m = m.next();
        }
        out
    }
}

impl FromStr for YearMonth {
    type Err = String;
    fn from_str(raw: &str) -> Result<Self, String> {
        let bad = || format!("{raw:?} is not a month of the form YYYY-MM");
        let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        Self::new(year, month)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        raw.parse()
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> String {
        m.to_string()
    }
}

impl PartialSchema for YearMonth {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some("^[0-9]{4}-[0-9]{2}$"))
            .examples([serde_json::json!("2026-03")])
            .into()
    }
}

impl ToSchema for YearMonth {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("YearMonth")
    }
}

/// A kind of staff whose hours are planned: a lower-case keyword such as
/// `developer`, `analyst` or `dba` (letters, digits, inner hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "developer")]
pub struct StaffRole(String);

impl StaffRole {
    /// The longest keyword accepted.
    pub const MAX_CHARS: usize = 40;

    /// Parses a role keyword; upper case is folded to lower case.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let v = raw.trim().to_ascii_lowercase();
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if v.is_empty()
            || v.len() > Self::MAX_CHARS
            || !v.chars().all(ok)
            || v.starts_with('-')
            || v.ends_with('-')
        {
            return Err(format!(
                "{raw:?} is not a staff role: use a lower-case keyword such as `developer` (letters, digits, inner hyphens, at most {} characters)",
                Self::MAX_CHARS
            ));
        }
        Ok(Self(v))
    }

    /// Parses `raw` and names `field` in the error.
    pub fn parse_field(field: &str, raw: &str) -> Result<Self, ValidationError> {
        Self::parse(raw).map_err(|m| ValidationError::new(field, m))
    }

    /// The keyword.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for StaffRole {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse(&raw)
    }
}

impl From<StaffRole> for String {
    fn from(r: StaffRole) -> String {
        r.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_print_and_count() {
        let m: YearMonth = "2026-11".parse().unwrap();
        assert_eq!(m.to_string(), "2026-11");
        let to: YearMonth = "2027-02".parse().unwrap();
        let all: Vec<String> = YearMonth::range(m, to)
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(all, ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert!("2026-13".parse::<YearMonth>().is_err());
        assert!("2026-3".parse::<YearMonth>().is_err());
        assert!(YearMonth::range(to, m).is_empty());
    }

    #[test]
    fn staff_roles_are_keywords() {
        assert_eq!(StaffRole::parse("Developer").unwrap().as_str(), "developer");
        assert!(StaffRole::parse("project manager").is_err());
        assert!(StaffRole::parse("").is_err());
    }
}
