//! `lodestar import`: a plan-as-code document read into a new plan.
//!
//! Reading the input is kept apart from interpreting it: [`read`] returns the
//! raw bytes and the name errors should use, and only then are they decoded
//! as a YAML or JSON document. Other kinds of document can be converted at
//! that point without changing how input is read or results are reported.

use crate::config::{Import, Source};
use crate::error::{CliError, CliResult};
use lodestar_services::{App, ServiceError};
use std::io::{Read, Write};

/// The name errors give standard input.
const STDIN_NAME: &str = "<stdin>";

/// A document as read, not yet interpreted.
struct Input {
    /// How messages refer to it: the path as given, or `<stdin>`.
    name: String,
    /// Its content.
    bytes: Vec<u8>,
}

/// Imports the document and reports the new plan: its id, key, title and size.
pub async fn run(app: &App, settings: &Import, out: &mut impl Write) -> CliResult {
    let input = read(&settings.source)?;
    let text = as_text(&input)?;
    let plan = app.import_plan_code(&input.name, text).await?;
    let nodes = app
        .store()
        .plan_nodes(plan.id)
        .await
        .map_err(ServiceError::from)?
        .len();
    let noun = if nodes == 1 { "node" } else { "nodes" };
    writeln!(
        out,
        "Imported plan {} {}: {} ({nodes} {noun})",
        plan.id, plan.key, plan.title
    )
    .map_err(CliError::stdout)
}

/// Reads the whole input.
fn read(source: &Source) -> CliResult<Input> {
    match source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| CliError::failed(format!("cannot read standard input: {e}")))?;
            Ok(Input {
                name: STDIN_NAME.to_owned(),
                bytes,
            })
        }
        Source::File(path) => {
            let name = path.display().to_string();
            let bytes = std::fs::read(path)
                .map_err(|e| CliError::failed(format!("cannot read {name}: {e}")))?;
            Ok(Input { name, bytes })
        }
    }
}

/// The input as text; plan documents are UTF-8.
fn as_text(input: &Input) -> CliResult<&str> {
    std::str::from_utf8(&input.bytes).map_err(|e| {
        CliError::failed(format!(
            "{} is not UTF-8 text (invalid byte at offset {}); plan documents are YAML or JSON in UTF-8",
            input.name,
            e.valid_up_to()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_is_not_utf8_is_refused_naming_the_input() {
        let input = Input {
            name: "plan.yaml".into(),
            bytes: b"key: caf\xe9\n".to_vec(),
        };
        let err = as_text(&input).unwrap_err().to_string();
        assert!(err.starts_with("plan.yaml is not UTF-8 text"), "{err}");
        assert!(err.contains("offset 8"), "{err}");
    }

    #[test]
    fn a_missing_file_is_named() {
        let path = std::env::temp_dir().join("lodestar-no-such-file.yaml");
        let err = read(&Source::File(path.clone())).err().unwrap().to_string();
        assert!(
            err.starts_with(&format!("cannot read {}", path.display())),
            "{err}"
        );
    }
}
