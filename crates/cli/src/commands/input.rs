//! Reading a command's input file (or standard input) whole.
//!
//! Reading the input is kept apart from interpreting it: [`read`] returns the
//! raw bytes and the name errors should use, and only then are they decoded.
//! Other kinds of document can be converted at that point without changing
//! how input is read or results are reported.

use crate::config::Source;
use crate::error::{CliError, CliResult};
use std::io::Read;

/// The name errors give standard input.
const STDIN_NAME: &str = "<stdin>";

/// An input as read, not yet interpreted.
pub struct Input {
    /// How messages refer to it: the path as given, or `<stdin>`.
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Reads the whole input.
pub fn read(source: &Source) -> CliResult<Input> {
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

impl Input {
    /// The input as text; `expected` says what it should have been
    /// (`plan documents are YAML or JSON in UTF-8`).
    pub fn text(&self, expected: &str) -> CliResult<&str> {
        std::str::from_utf8(&self.bytes).map_err(|e| {
            CliError::failed(format!(
                "{} is not UTF-8 text (invalid byte at offset {}); {expected}",
                self.name,
                e.valid_up_to()
            ))
        })
    }
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
        let err = input
            .text("plan documents are UTF-8")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("plan.yaml is not UTF-8 text"), "{err}");
        assert!(err.contains("offset 8"), "{err}");
        assert!(err.ends_with("; plan documents are UTF-8"), "{err}");
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
