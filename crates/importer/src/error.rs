//! Why a document could not be read at all. Doubts about a document that
//! could be read are [`crate::Warning`]s, not errors.

/// A document that yields no draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Nothing to read.
    #[error("the document is empty")]
    Empty,
    /// Larger than [`crate::MAX_INPUT_BYTES`].
    #[error("the document is {size} bytes; the importer reads at most {limit} bytes")]
    TooLarge {
        /// The document's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not a format the importer knows.
    #[error(
        "unrecognized document format ({0}); expected text, Markdown, PDF, Word (.docx), StratML XML, or plan-as-code YAML/JSON"
    )]
    Unrecognized(String),
    /// A PDF that could not be read.
    #[error("cannot read the PDF: {0}")]
    Pdf(String),
    /// A Word file that could not be read.
    #[error("cannot read the Word document: {0}")]
    Docx(String),
    /// XML that is malformed or not StratML.
    #[error("cannot read the StratML document at line {line}: {message}")]
    Xml {
        /// The 1-based line of the problem.
        line: u32,
        /// What is wrong.
        message: String,
    },
    /// More items than any plan holds: not a plan, or a runaway document.
    #[error("the document holds more than {limit} items; split it into several plans")]
    TooManyItems {
        /// The most items a document may hold.
        limit: usize,
    },
    /// Readable, but nothing in it looks like a plan item.
    #[error("found no goals, objectives or other plan items in the document")]
    NoPlan,
}
