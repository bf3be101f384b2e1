//! A thin layer over quick-xml's writer: elements opened and closed by
//! name, text escaped, and characters that XML 1.0 cannot hold left out, so
//! that whatever a plan holds, the output is well-formed.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::io;

/// An XML document being written, indented by two spaces.
pub(super) struct Out {
    writer: Writer<Vec<u8>>,
}

impl Out {
    /// A document that starts with the XML declaration.
    pub fn new() -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Self { writer })
    }

    /// Opens element `name` with the given attributes.
    pub fn open_with(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        let mut start = BytesStart::new(name);
        for &(key, value) in attributes {
            start.push_attribute((key, clean(value).as_str()));
        }
        self.writer.write_event(Event::Start(start))
    }

    /// Opens element `name`.
    pub fn open(&mut self, name: &str) -> io::Result<()> {
        self.open_with(name, &[])
    }

    /// Closes element `name`.
    pub fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// `<name>text</name>`, the text escaped; an empty element when the text is empty.
    pub fn text(&mut self, name: &str, text: &str) -> io::Result<()> {
        let text = clean(text);
        if text.is_empty() {
            return self.writer.write_event(Event::Empty(BytesStart::new(name)));
        }
        self.open(name)?;
        self.writer
            .write_event(Event::Text(BytesText::new(text.as_str())))?;
        self.close(name)
    }

    /// `<name>text</name>` when there is a text; nothing otherwise.
    pub fn optional(&mut self, name: &str, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(t) => self.text(name, t),
            None => Ok(()),
        }
    }

    /// The document written, ending with a line break.
    pub fn finish(self) -> Result<String, std::string::FromUtf8Error> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        String::from_utf8(bytes)
    }
}

/// The text without the characters XML 1.0 does not allow (control
/// characters other than tab, line feed and carriage return; U+FFFE, U+FFFF).
/// Carriage returns become line feeds, as an XML reader would make them.
pub(super) fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| matches!(c, '\t' | '\n') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_stripped_of_what_xml_cannot_hold() {
        let mut out = Out::new().unwrap();
        out.open_with("Root", &[("a", "x\"<y\u{1}")]).unwrap();
        out.text("Name", "A & B <c> \"d\" \u{0}\u{1b}e\r\nf")
            .unwrap();
        out.text("Empty", "").unwrap();
        out.close("Root").unwrap();
        let xml = out.finish().unwrap();
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(xml.contains("<Root a=\"x&quot;&lt;y\">"), "{xml}");
        assert!(xml.contains("A &amp; B &lt;c&gt;"), "{xml}");
        assert!(xml.contains("e\nf</Name>"), "{xml}");
        assert!(xml.contains("<Empty/>"), "{xml}");
        assert!(!xml.contains('\u{0}') && !xml.contains('\u{1b}'));
    }
}
