//! What kind of document a file is, told from its content first and its name
//! only where the content cannot tell (a YAML file looks like text).

use serde::Serialize;
use utoipa::ToSchema;

/// The kinds of document the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// Plain text, typically extracted from a PDF.
    Text,
    /// Markdown.
    Markdown,
    /// A PDF file.
    Pdf,
    /// A Word (.docx) file.
    Docx,
    /// StratML XML, Part 1 (`StrategicPlan`) or Part 2 (`PerformancePlanOrReport`).
    Stratml,
    /// Lodestar plan-as-code in YAML.
    PlanCodeYaml,
    /// Lodestar plan-as-code in JSON.
    PlanCodeJson,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [Self; 7] = [
        Self::Text,
        Self::Markdown,
        Self::Pdf,
        Self::Docx,
        Self::Stratml,
        Self::PlanCodeYaml,
        Self::PlanCodeJson,
    ];

    /// The kind that [`SourceKind::as_str`] names.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kind's name as the CLI and the API print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Stratml => "stratml",
            Self::PlanCodeYaml => "plan-code-yaml",
            Self::PlanCodeJson => "plan-code-json",
        }
    }

    /// Tells the kind of a document from its first bytes, and from its file
    /// name (`source_name`, may be empty) only between text, Markdown and YAML.
    /// `None` for binary data of no known kind.
    pub fn detect(source_name: &str, bytes: &[u8]) -> Option<Self> {
        let head = &bytes[..bytes.len().min(8192)];
        let start = skip_bom_and_space(head);
        if start.starts_with(b"%PDF-") || head.windows(5).take(1024).any(|w| w == b"%PDF-") {
            return Some(Self::Pdf);
        }
        if start.starts_with(b"PK\x03\x04") {
            return Some(Self::Docx);
        }
        if head.contains(&0) {
            return None;
        }
        if start.starts_with(b"<") {
            let text = String::from_utf8_lossy(head);
            if text.contains("StrategicPlan") || text.contains("PerformancePlanOrReport") {
                return Some(Self::Stratml);
            }
        }
        if start.starts_with(b"{") {
            return Some(Self::PlanCodeJson);
        }
        let lower = source_name.to_ascii_lowercase();
        if looks_like_plan_code(head) || lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Some(Self::PlanCodeYaml);
        }
        if lower.ends_with(".md") || lower.ends_with(".markdown") || looks_like_markdown(head) {
            return Some(Self::Markdown);
        }
        Some(Self::Text)
    }
}

fn skip_bom_and_space(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let first = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[first..]
}

/// A YAML plan document names its format, or has top-level `key:` and `nodes:`.
fn looks_like_plan_code(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let top = |field: &str| text.lines().any(|l| l.starts_with(field));
    top("format: lodestar-plan/") || (top("key:") && top("nodes:") && top("title:"))
}

/// Markdown headings (`# `) or tables (`| `) at the start of lines.
fn looks_like_markdown(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.lines()
        .filter(|l| l.starts_with("# ") || l.starts_with("## ") || l.starts_with("| "))
        .take(2)
        .count()
        >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_before_the_file_name() {
        assert_eq!(
            SourceKind::detect("plan.txt", b"%PDF-1.7\n"),
            Some(SourceKind::Pdf)
        );
        assert_eq!(
            SourceKind::detect("plan.pdf", b"PK\x03\x04rest"),
            Some(SourceKind::Docx)
        );
        assert_eq!(
            SourceKind::detect("plan.txt", b"<?xml version=\"1.0\"?>\n<StrategicPlan>"),
            Some(SourceKind::Stratml)
        );
        assert_eq!(
            SourceKind::detect("plan.md", b"{\"key\": 1}"),
            Some(SourceKind::PlanCodeJson)
        );
        assert_eq!(
            SourceKind::detect("plan.txt", b"format: lodestar-plan/1\nkey: x\n"),
            Some(SourceKind::PlanCodeYaml)
        );
    }

    #[test]
    fn the_name_tells_text_from_markdown_and_yaml() {
        assert_eq!(
            SourceKind::detect("a.md", b"Goal 1"),
            Some(SourceKind::Markdown)
        );
        assert_eq!(
            SourceKind::detect("a.yml", b"title: x"),
            Some(SourceKind::PlanCodeYaml)
        );
        assert_eq!(
            SourceKind::detect("a", b"# One\n## Two\n"),
            Some(SourceKind::Markdown)
        );
        assert_eq!(
            SourceKind::detect("", b"GOAL 1: Do it"),
            Some(SourceKind::Text)
        );
    }

    #[test]
    fn every_kind_is_found_by_its_name() {
        for kind in SourceKind::ALL {
            assert_eq!(SourceKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(SourceKind::from_name("rtf"), None);
    }

    #[test]
    fn binary_data_is_no_known_kind() {
        assert_eq!(SourceKind::detect("a.txt", b"\x00\x01\x02garbage"), None);
    }
}
