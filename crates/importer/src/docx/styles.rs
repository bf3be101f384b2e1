//! Paragraph styles (word/styles.xml): which styles are headings, at which
//! level, and which carry list numbering.

use super::xml::{Item, Ns, Part, attr, local, number_attr};
use crate::ImportError;
use std::collections::HashMap;

/// The most styles read; real documents have a few hundred.
const MAX_STYLES: usize = 20_000;
/// The longest chain of `basedOn` links followed.
const MAX_CHAIN: usize = 16;

/// The paragraph styles of a document, by style id.
#[derive(Debug, Default)]
pub(super) struct Styles(HashMap<String, Style>);

#[derive(Debug, Default)]
struct Style {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u32>,
    num_id: Option<u32>,
    level: Option<u32>,
}

impl Styles {
    /// Reads the styles part.
    pub fn parse(part: &str, xml: &str) -> Result<Self, ImportError> {
        let mut reader = Part::new(part, xml);
        let mut styles = HashMap::new();
        let mut current: Option<(String, Style)> = None;
        let mut path: Vec<String> = Vec::new();
        loop {
            let (element, empty) = match reader.next()? {
                Item::Open(Ns::Word, e) => (e, false),
                Item::Empty(Ns::Word, e) => (e, true),
                Item::Open(..) => {
                    path.push(String::new());
                    continue;
                }
                Item::Close => {
                    if path.pop().as_deref() == Some("style")
                        && let Some((id, style)) = current.take()
                        && styles.len() < MAX_STYLES
                    {
                        styles.insert(id, style);
                    }
                    continue;
                }
                Item::End => break,
                Item::Empty(..) | Item::Text(_) => continue,
            };
            let name = local(&element);
            let parent = path.last().map_or("", String::as_str);
            match (name, current.as_mut()) {
                ("style", None) => {
                    let paragraph = attr(&element, "type").is_none_or(|t| t == "paragraph");
                    if let (true, Some(id)) = (paragraph, attr(&element, "styleId")) {
                        current = Some((id, Style::default()));
                    }
                }
                ("name", Some((_, s))) if parent == "style" => s.name = attr(&element, "val"),
                ("basedOn", Some((_, s))) if parent == "style" => {
                    s.based_on = attr(&element, "val");
                }
                ("outlineLvl", Some((_, s))) if parent == "pPr" => {
                    s.outline = number_attr(&element, "val");
                }
                ("numId", Some((_, s))) if parent == "numPr" => {
                    s.num_id = number_attr(&element, "val");
                }
                ("ilvl", Some((_, s))) if parent == "numPr" => {
                    s.level = number_attr(&element, "val");
                }
                _ => {}
            }
            if empty {
                if name == "style"
                    && let Some((id, style)) = current.take()
                    && styles.len() < MAX_STYLES
                {
                    styles.insert(id, style);
                }
            } else {
                path.push(name.to_owned());
            }
        }
        Ok(Self(styles))
    }

    /// The heading level (1 for the title and for "heading 1") of paragraphs
    /// in the style, from its name or its outline level, or those of the
    /// styles it is based on.
    pub fn heading_level(&self, id: &str) -> Option<usize> {
        if !self.0.contains_key(id) {
            return heading_by_name(id);
        }
        for style in self.chain(id) {
            if let Some(level) = style.name.as_deref().and_then(heading_by_name) {
                return Some(level);
            }
            if let Some(outline) = style.outline {
                return (outline < 9).then(|| outline as usize + 1);
            }
        }
        None
    }

    /// The list a style numbers its paragraphs in, and at which level if it says.
    pub fn numbering(&self, id: &str) -> (Option<u32>, Option<u32>) {
        let mut num_id = None;
        let mut level = None;
        for style in self.chain(id) {
            num_id = num_id.or(style.num_id);
            level = level.or(style.level);
        }
        (num_id, level)
    }

    fn chain<'s>(&'s self, id: &'s str) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let style = self.0.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(MAX_CHAIN)
    }
}

/// "Title" is level 1; "heading 3", or the id "Heading3", is level 3.
fn heading_by_name(name: &str) -> Option<usize> {
    let lower = name.trim().to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let digits = lower.strip_prefix("heading")?.trim_start();
    match digits.parse::<usize>() {
        Ok(level @ 1..=9) => Some(level),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="GoalHeading"><w:name w:val="Goal Heading"/><w:basedOn w:val="berschrift1"/>
        <w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Pillar"><w:name w:val="Pillar"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="BodyOutline"><w:name w:val="Body"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
      <w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="Heading 1 Char"/></w:style>
      <w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>
    </w:styles>"#;

    #[test]
    fn headings_are_found_by_name_outline_level_and_inheritance() {
        let styles = Styles::parse("word/styles.xml", STYLES).unwrap();
        assert_eq!(styles.heading_level("berschrift1"), Some(1));
        assert_eq!(styles.heading_level("GoalHeading"), Some(1));
        assert_eq!(styles.heading_level("Pillar"), Some(2));
        assert_eq!(styles.heading_level("BodyOutline"), None);
        assert_eq!(styles.heading_level("Normal"), None);
        assert_eq!(styles.heading_level("Loop"), None);
        assert_eq!(styles.heading_level("Heading1Char"), None);
        assert_eq!(styles.heading_level("Heading4"), Some(4));
        assert_eq!(styles.heading_level("Title"), Some(1));
    }

    #[test]
    fn numbering_is_inherited_from_the_style() {
        let styles = Styles::parse("word/styles.xml", STYLES).unwrap();
        assert_eq!(styles.numbering("GoalHeading"), (Some(4), None));
        assert_eq!(styles.numbering("Normal"), (None, None));
    }
}
