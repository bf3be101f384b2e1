//! A StratML document as a small tree of elements, each with the line it
//! starts on. The tree is bounded in depth and size; entity references other
//! than XML's five and character references are kept as written, never
//! expanded, so a DOCTYPE cannot pull in files or multiply text.

use crate::{ImportError, Warning};
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

/// Deeper than any StratML document; the schema needs about ten levels.
const MAX_DEPTH: usize = 64;
/// More elements than any real plan or report has.
const MAX_ELEMENTS: usize = 500_000;
/// Text kept per element; a plan's longest prose is a few thousand characters.
const MAX_TEXT_BYTES: usize = 100_000;
/// Warnings about unexpanded entities, at most.
const MAX_ENTITY_WARNINGS: usize = 20;

/// An element: its local name (without namespace prefix), where it starts,
/// its own text and its child elements.
#[derive(Debug, Default)]
pub(super) struct Element {
    pub name: String,
    pub line: u32,
    pub text: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child named `name`, white space collapsed;
    /// `None` when there is no such child or it is empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).and_then(Element::own_text)
    }

    /// This element's text with white space collapsed, or `None` if empty.
    pub fn own_text(&self) -> Option<String> {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    }

    /// The text of the first child named `name` as prose: paragraphs
    /// (separated by blank lines) kept, white space within them collapsed.
    pub fn prose_of(&self, name: &str) -> Option<String> {
        let text = &self.child(name)?.text;
        let mut paragraphs = Vec::new();
        let mut current = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() {
                if !current.is_empty() {
                    paragraphs.push(current.join(" "));
                    current.clear();
                }
            } else {
                current.extend(line.split_whitespace());
            }
        }
        if !current.is_empty() {
            paragraphs.push(current.join(" "));
        }
        (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
    }

    /// The value of attribute `name` (local name).
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The document's root element, and what the parser warned about.
#[derive(Debug)]
pub(super) struct Parsed {
    pub root: Element,
    pub warnings: Vec<Warning>,
}

/// Parses the whole document into a tree.
pub(super) fn parse(text: &str) -> Result<Parsed, ImportError> {
    let mut reader = Reader::from_str(text);
    let mut lines = Lines::new(text);
    let mut open: Vec<Element> = Vec::new();
    let mut root = None;
    let mut count = 0usize;
    let mut warnings = Vec::new();
    let mut entity_warnings = 0;
    loop {
        let start = reader.buffer_position();
        let event = reader.read_event().map_err(|e| ImportError::Xml {
            line: lines.at(reader.error_position()),
            message: e.to_string(),
        })?;
        let line = lines.at(start);
        let fail = |message: String| ImportError::Xml { line, message };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                return Err(fail(format!(
                    "a second root element <{}> after the document's end",
                    String::from_utf8_lossy(e.name().into_inner().as_bytes())
                )));
            }
            Event::Start(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(fail(format!(
                        "more than {MAX_ELEMENTS} elements; the importer reads smaller documents"
                    )));
                }
                if open.len() >= MAX_DEPTH {
                    return Err(fail(format!("elements nested more than {MAX_DEPTH} deep")));
                }
                open.push(element(&e, line));
            }
            Event::Empty(e) => {
                count += 1;
                let child = element(&e, line);
                match open.last_mut() {
                    Some(parent) => parent.children.push(child),
                    None => root = Some(child),
                }
            }
            Event::End(_) => {
                let Some(done) = open.pop() else {
                    return Err(fail("a closing tag without an opening one".into()));
                };
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => push_text(&mut open, &t.xml10_content()),
            Event::CData(t) => push_text(&mut open, &t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => s.to_owned(),
                        None => {
                            if entity_warnings < MAX_ENTITY_WARNINGS {
                                entity_warnings += 1;
                                warnings.push(Warning::at(
                                    line,
                                    format!(
                                        "the entity &{}; is kept as written: the importer does not expand entities a DOCTYPE defines",
                                        &*r
                                    ),
                                ));
                            }
                            format!("&{};", &*r)
                        }
                    },
                    Err(e) => return Err(fail(e.to_string())),
                };
                push_text(&mut open, &resolved);
            }
            Event::Eof => {
                if let Some(unclosed) = open.last() {
                    return Err(ImportError::Xml {
                        line: lines.at(reader.buffer_position()),
                        message: format!(
                            "the document ends before <{}> (line {}) is closed",
                            unclosed.name, unclosed.line
                        ),
                    });
                }
                return match root {
                    Some(root) => Ok(Parsed { root, warnings }),
                    None => Err(fail("the document has no root element".into())),
                };
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn element(e: &BytesStart<'_>, line: u32) -> Element {
    let attributes = e
        .attributes()
        .flatten()
        .map(|a| {
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (a.key.local_name().into_inner().to_owned(), value)
        })
        .collect();
    Element {
        name: e.local_name().into_inner().to_owned(),
        line,
        attributes,
        ..Element::default()
    }
}

fn push_text(open: &mut [Element], text: &str) {
    if let Some(current) = open.last_mut()
        && current.text.len() < MAX_TEXT_BYTES
    {
        let room = MAX_TEXT_BYTES - current.text.len();
        let mut cut = text.len().min(room);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        current.text.push_str(&text[..cut]);
    }
}

/// Line numbers of byte positions, counted as the reader moves forward.
struct Lines<'a> {
    text: &'a [u8],
    position: usize,
    line: u32,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            position: 0,
            line: 1,
        }
    }

    /// The 1-based line of byte `position`.
    fn at(&mut self, position: u64) -> u32 {
        let position = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        if position < self.position {
            self.position = 0;
            self.line = 1;
        }
        let newlines = self.text[self.position..position]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.position = position;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_carry_their_lines_text_and_attributes() {
        let doc = "<?xml version=\"1.0\"?>\n<a:Plan xmlns:a=\"urn:x\">\n  <Name>Harbor &amp; Falls&#x21;</Name>\n  <Goal Kind=\"Main\"><![CDATA[<raw>]]></Goal>\n</a:Plan>";
        let parsed = parse(doc).unwrap();
        let root = parsed.root;
        assert_eq!(root.name, "Plan");
        assert_eq!(root.line, 2);
        assert_eq!(root.text_of("Name").as_deref(), Some("Harbor & Falls!"));
        let goal = root.child("Goal").unwrap();
        assert_eq!(goal.line, 4);
        assert_eq!(goal.attribute("Kind"), Some("Main"));
        assert_eq!(goal.own_text().as_deref(), Some("<raw>"));
    }

    #[test]
    fn prose_keeps_paragraphs() {
        let doc =
            "<A><Description>\n  One line\n  wrapped.\n\n  Second   paragraph.\n</Description></A>";
        let root = parse(doc).unwrap().root;
        assert_eq!(
            root.prose_of("Description").as_deref(),
            Some("One line wrapped.\n\nSecond paragraph.")
        );
    }

    #[test]
    fn malformed_xml_is_an_error_at_its_line() {
        let err = parse("<A>\n<B>\n</A>").unwrap_err();
        assert!(matches!(err, ImportError::Xml { line: 3, .. }), "{err:?}");
        let err = parse("<A>\n<B>\n").unwrap_err();
        assert!(err.to_string().contains("ends before <B>"), "{err}");
        assert!(matches!(
            parse("just text").unwrap_err(),
            ImportError::Xml { .. }
        ));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<A>".repeat(MAX_DEPTH + 1) + &"</A>".repeat(MAX_DEPTH + 1);
        let err = parse(&deep).unwrap_err();
        assert!(err.to_string().contains("nested more than"), "{err}");
    }

    #[test]
    fn doctype_entities_are_not_expanded() {
        let doc = "<!DOCTYPE A [\n<!ENTITY lol \"lollollollol\">\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n<A><Name>&lol;&xxe;</Name></A>";
        let parsed = parse(doc).unwrap();
        assert_eq!(parsed.root.text_of("Name").as_deref(), Some("&lol;&xxe;"));
        assert_eq!(parsed.warnings.len(), 2);
        assert_eq!(parsed.warnings[0].line, Some(5));
    }
}
