//! The XML of one part of a Word file as a stream of elements and text, with
//! errors that name the part and the line, and a bound on nesting.

use crate::ImportError;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};
use std::borrow::Cow;

/// Deeper nesting than any real Word document has; a bound on every stack a reader keeps.
pub(super) const MAX_DEPTH: usize = 256;

const WORD: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];
const COMPAT: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// The vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// WordprocessingML, transitional or strict.
    Word,
    /// Markup compatibility (`mc:AlternateContent` and its branches).
    Compat,
    /// Anything else: drawings, math, custom XML.
    Other,
}

/// One step through a part.
pub(super) enum Item<'a> {
    /// An element with content follows.
    Open(Ns, BytesStart<'a>),
    /// An element without content.
    Empty(Ns, BytesStart<'a>),
    /// The end of the innermost open element.
    Close,
    /// Character data, references resolved.
    Text(Cow<'a, str>),
    /// The end of the part.
    End,
}

/// A reader over one part.
pub(super) struct Part<'a> {
    name: &'a str,
    text: &'a str,
    reader: NsReader<&'a [u8]>,
    depth: usize,
}

impl<'a> Part<'a> {
    /// Starts reading the part `name`, whose content is `text`.
    pub fn new(name: &'a str, text: &'a str) -> Self {
        Self {
            name,
            text,
            reader: NsReader::from_str(text),
            depth: 0,
        }
    }

    /// The next element boundary or piece of text.
    pub fn next(&mut self) -> Result<Item<'a>, ImportError> {
        loop {
            let (ns, event) = match self.reader.read_resolved_event() {
                Ok((resolved, event)) => (namespace(&resolved), event),
                Err(e) => return Err(self.error_at(self.reader.error_position(), e)),
            };
            return Ok(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(
                            self.error(format!("elements are nested more than {MAX_DEPTH} deep"))
                        );
                    }
                    Item::Open(ns, e)
                }
                Event::Empty(e) => Item::Empty(ns, e),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Item::Close
                }
                Event::Text(e) => Item::Text(e.xml10_content()),
                Event::CData(e) => Item::Text(e.into_inner()),
                Event::GeneralRef(e) => match e.resolve_char_ref() {
                    Ok(Some(c)) => Item::Text(Cow::Owned(c.to_string())),
                    Ok(None) => Item::Text(match resolve_predefined_entity(&e) {
                        Some(s) => Cow::Borrowed(s),
                        None => Cow::Owned(format!("&{};", &*e)),
                    }),
                    Err(err) => return Err(self.error(err)),
                },
                Event::Eof if self.depth > 0 => {
                    return Err(self.error("the part ends before all its elements are closed"));
                }
                Event::Eof => Item::End,
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// An error about the place the reader has reached.
    pub fn error(&self, message: impl std::fmt::Display) -> ImportError {
        self.error_at(self.reader.buffer_position(), message)
    }

    fn error_at(&self, position: u64, message: impl std::fmt::Display) -> ImportError {
        let end = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let line = self.text.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        ImportError::Docx(format!("{} line {line}: {message}", self.name))
    }
}

fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    match resolved {
        ResolveResult::Bound(ns) if WORD.contains(&ns.0) => Ns::Word,
        ResolveResult::Bound(ns) if ns.0 == COMPAT => Ns::Compat,
        _ => Ns::Other,
    }
}

/// The element's local name (`p` for `w:p`).
pub(super) fn local<'e>(element: &'e BytesStart<'_>) -> &'e str {
    element.local_name().into_inner()
}

/// The value of the element's attribute with local name `name` (`val` for `w:val`).
pub(super) fn attr(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| match a.normalized_value(XmlVersion::Implicit1_0) {
            Ok(value) => value.into_owned(),
            Err(_) => a.value.into_owned(),
        })
}

/// A numeric attribute, when present and a number.
pub(super) fn number_attr(element: &BytesStart<'_>, name: &str) -> Option<u32> {
    attr(element, name)?.trim().parse().ok()
}

/// Whether an on/off property (`<w:vanish/>`, `<w:isLgl w:val="0"/>`) is on.
pub(super) fn is_on(element: &BytesStart<'_>) -> bool {
    !matches!(
        attr(element, "val").as_deref().map(str::trim),
        Some("0" | "false" | "off")
    )
}
