//! Open data: the downloads of a published plan (nodes, measures and
//! observations, as CSV and JSON) and the DCAT-US 1.1 catalog that lists
//! them (`/data.json`). Documented in docs/open-data.md.
//!
//! Everything here is built from what [`App::public_plan`] returns, the one
//! reader of published content; the builders themselves are pure.

mod app;
mod catalog;
mod rows;
mod table;

pub use catalog::{CONFORMS_TO, catalog, contact_email, download_url, modified};
pub use rows::{
    MEASURE_COLUMNS, NODE_COLUMNS, OBSERVATION_COLUMNS, measures_table, nodes_table,
    observations_table,
};
pub use table::{Cell, Table};

use lodestar_domain::Email;

/// Which table of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The plan's items: goals, objectives, initiatives.
    Nodes,
    /// The measures and their targets and latest values.
    Measures,
    /// Every observed value of every measure.
    Observations,
}

impl Kind {
    /// Every kind, in catalog order.
    pub const ALL: [Kind; 3] = [Kind::Nodes, Kind::Measures, Kind::Observations];

    /// The file name without extension (`nodes`).
    pub fn file_stem(self) -> &'static str {
        match self {
            Self::Nodes => "nodes",
            Self::Measures => "measures",
            Self::Observations => "observations",
        }
    }

    /// The column names of its table.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Nodes => NODE_COLUMNS,
            Self::Measures => MEASURE_COLUMNS,
            Self::Observations => OBSERVATION_COLUMNS,
        }
    }

    /// Its title in the catalog.
    pub fn title(self) -> &'static str {
        match self {
            Self::Nodes => "Goals, objectives and initiatives",
            Self::Measures => "Measures",
            Self::Observations => "Observed values of the measures",
        }
    }

    /// What its rows are, for the catalog.
    pub fn description(self) -> &'static str {
        match self {
            Self::Nodes => {
                "One row per published item of the plan, with its place in the plan, \
                 status, progress and dates."
            }
            Self::Measures => {
                "One row per published measure, with its unit, direction, baseline, \
                 target, latest value and health."
            }
            Self::Observations => {
                "One row per observed value of a published measure, with the period it is for."
            }
        }
    }
}

/// Which file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// RFC 4180 CSV, UTF-8, with a header row.
    Csv,
    /// A JSON array of objects.
    Json,
}

impl Format {
    /// Both formats, in catalog order.
    pub const ALL: [Format; 2] = [Format::Csv, Format::Json];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    /// The media type the catalog declares (the response adds the charset).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Json => "application/json",
        }
    }

    /// Its human-readable name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Json => "JSON",
        }
    }
}

/// How the catalog names the site and who answers for the data; set by the
/// operator (`lodestar serve`), none of it comes from a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenDataSettings {
    /// The public address of the site (`https://plans.example.gov`), for the
    /// catalog's absolute URLs; without it they are built from the request.
    pub public_url: Option<String>,
    /// The contact's name; default: the publishing organization's name.
    pub contact_name: Option<String>,
    /// The contact's e-mail address; default: `webmaster@` the public host.
    pub contact_email: Option<Email>,
    /// `bureauCode`; `000:00` (not applicable) outside the US federal government.
    pub bureau_code: String,
    /// `programCode`; `000:000` (not applicable) outside the US federal government.
    pub program_code: String,
}

impl Default for OpenDataSettings {
    fn default() -> Self {
        Self {
            public_url: None,
            contact_name: None,
            contact_email: None,
            bureau_code: "000:00".to_owned(),
            program_code: "000:000".to_owned(),
        }
    }
}

impl OpenDataSettings {
    /// Checks a public URL: `http://` or `https://` and a host; the trailing
    /// slash is dropped.
    pub fn parse_public_url(raw: &str) -> Result<String, String> {
        let url = raw.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| format!("public URL {raw:?} must start with https:// or http://"))?;
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(format!("public URL {raw:?} has no host"));
        }
        Ok(url.to_owned())
    }
}

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod rows_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_needs_a_scheme_and_a_host() {
        assert_eq!(
            OpenDataSettings::parse_public_url("https://plans.example.gov/").unwrap(),
            "https://plans.example.gov"
        );
        assert!(OpenDataSettings::parse_public_url("plans.example.gov").is_err());
        assert!(OpenDataSettings::parse_public_url("https://").is_err());
    }
}
