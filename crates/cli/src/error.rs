//! Why a command failed, and how that is told on standard error.
//!
//! Every failure ends the run with exit code 1 and a message that starts with
//! `error: `. A plan document or CSV file that cannot be imported is reported
//! the way compilers report source files, one problem per line with its place in
//! the file (`FILE:LINE:COLUMN: MESSAGE`, `FILE: FIELD: MESSAGE` or
//! `FILE: row 5 column value: MESSAGE`), so editors and scripts can point at it.
//! Usage errors are clap's and exit with 2.

use lodestar_domain::ValidationError;
use lodestar_services::ServiceError;
use std::fmt;
use std::io::{self, Write};

/// A failed command.
#[derive(Debug)]
pub enum CliError {
    /// The application refused or failed, for the reason it gives.
    Service(ServiceError),
    /// A file other than a plan document (a CSV file of measure values) was
    /// refused as a whole; every problem is listed with its place in the file.
    InvalidFile {
        /// The file as named on the command line, or `<stdin>`.
        source_name: String,
        /// What the file was meant to be (`CSV file of measure values`).
        kind: &'static str,
        /// Every problem, each naming its place (`row 5 column value`).
        errors: Vec<ValidationError>,
    },
    /// Anything else, already worded for the user.
    Failed(String),
    /// Standard output was closed by the reader (`lodestar export x | head`).
    StdoutClosed,
}

/// Shorthand for command results.
pub type CliResult<T = ()> = Result<T, CliError>;

impl CliError {
    /// A failure described in words.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::Failed(message.into())
    }

    /// Writing to standard output failed.
    pub fn stdout(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Self::StdoutClosed
        } else {
            Self::failed(format!("cannot write to standard output: {err}"))
        }
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            // Whoever closed the pipe has all they wanted; that is not a failure.
            Self::StdoutClosed => 0,
            Self::Service(_) | Self::InvalidFile { .. } | Self::Failed(_) => 1,
        }
    }

    /// Writes the message for the user.
    pub fn report(&self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            Self::Service(ServiceError::InvalidDocument {
                source_name,
                errors,
            }) => report_problems(w, source_name, "plan document", errors),
            Self::InvalidFile {
                source_name,
                kind,
                errors,
            } => report_problems(w, source_name, kind, errors),
            Self::Service(syntax @ ServiceError::Syntax { source_name, .. }) => {
                writeln!(w, "{syntax}")?;
                writeln!(
                    w,
                    "error: {source_name} could not be read as a plan document; nothing was imported"
                )
            }
            Self::StdoutClosed => Ok(()),
            other => writeln!(w, "error: {other}"),
        }
    }
}

/// One line per problem, `FILE: PLACE: MESSAGE`, then one line that sums up.
fn report_problems(
    w: &mut dyn Write,
    source_name: &str,
    kind: &str,
    errors: &[ValidationError],
) -> io::Result<()> {
    for error in errors {
        writeln!(w, "{source_name}: {error}")?;
    }
    writeln!(
        w,
        "error: {source_name} is not a valid {kind} ({}); nothing was imported",
        problems(errors.len())
    )
}

fn problems(n: usize) -> String {
    match n {
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Service(err) => err.fmt(f),
            Self::InvalidFile {
                source_name,
                kind,
                errors,
            } => write!(
                f,
                "{source_name} is not a valid {kind} ({})",
                problems(errors.len())
            ),
            Self::Failed(message) => f.write_str(message),
            Self::StdoutClosed => f.write_str("standard output was closed"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<ServiceError> for CliError {
    fn from(err: ServiceError) -> Self {
        Self::Service(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reported(err: CliError) -> String {
        let mut out = Vec::new();
        err.report(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_document_problem_gets_a_line_naming_file_and_field() {
        let err = CliError::from(ServiceError::InvalidDocument {
            source_name: "plan.yaml".into(),
            errors: vec![
                ValidationError::new("people[0].department", "there is no department \"X\""),
                ValidationError::new("nodes[2].title", "must not be empty"),
            ],
        });
        let text = reported(err);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..2],
            [
                "plan.yaml: people[0].department: there is no department \"X\"",
                "plan.yaml: nodes[2].title: must not be empty",
            ]
        );
        assert!(lines[2].starts_with("error: plan.yaml"), "{text}");
    }

    #[test]
    fn every_row_problem_of_a_csv_file_gets_a_line_naming_row_and_column() {
        let err = CliError::InvalidFile {
            source_name: "values.csv".into(),
            kind: "CSV file of measure values",
            errors: vec![ValidationError::new(
                "row 5 column value",
                "\"9 7\" is not a number",
            )],
        };
        assert_eq!(
            reported(err),
            "values.csv: row 5 column value: \"9 7\" is not a number\n\
             error: values.csv is not a valid CSV file of measure values (1 problem); nothing was imported\n"
        );
    }

    #[test]
    fn syntax_errors_give_file_line_and_column() {
        let err = CliError::from(ServiceError::Syntax {
            source_name: "plan.yaml".into(),
            line: 3,
            column: 8,
            message: "must not be empty".into(),
        });
        assert!(reported(err).starts_with("plan.yaml:3:8: must not be empty\nerror: "));
    }

    #[test]
    fn other_errors_are_one_line() {
        let err = CliError::from(ServiceError::NotFound {
            entity: "plan",
            id: "nope".into(),
        });
        assert_eq!(reported(err), "error: plan nope not found\n");
    }
}
