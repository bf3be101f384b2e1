//! List numbering (word/numbering.xml): the number Word shows before each
//! list paragraph. Word does not store these numbers; it counts paragraphs,
//! so the reader counts them the same way.
//!
//! Counters belong to a list definition (`w:abstractNum`), so lists that
//! share one continue each other's numbering, unless a list instance
//! (`w:num`) restarts a level with `w:startOverride`. Using a level restarts
//! the levels below it, or those whose `w:lvlRestart` says so.

use super::xml::{Item, Ns, Part, attr, is_on, local, number_attr};
use crate::ImportError;
use std::collections::{HashMap, HashSet};

/// Word has nine list levels.
const LEVELS: usize = 9;
/// The most list definitions and instances read; real documents have dozens.
const MAX_LISTS: usize = 20_000;
/// Longer level texts are cut; Word's are a few characters.
const MAX_LEVEL_TEXT: usize = 64;

/// How a level writes its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Decimal,
    DecimalZero,
    UpperLetter,
    LowerLetter,
    UpperRoman,
    LowerRoman,
    Bullet,
    Nothing,
}

impl Format {
    /// A `w:numFmt` value; formats the reader does not write (ordinal,
    /// Chinese counting and others) are written as decimal numbers.
    fn parse(value: &str) -> Self {
        match value {
            "decimalZero" => Self::DecimalZero,
            "upperLetter" => Self::UpperLetter,
            "lowerLetter" => Self::LowerLetter,
            "upperRoman" => Self::UpperRoman,
            "lowerRoman" => Self::LowerRoman,
            "bullet" => Self::Bullet,
            "none" => Self::Nothing,
            _ => Self::Decimal,
        }
    }
}

#[derive(Debug, Clone)]
struct Level {
    start: u32,
    format: Format,
    text: Option<String>,
    restart: Option<u32>,
    legal: bool,
    style: Option<String>,
}

impl Default for Level {
    fn default() -> Self {
        Self {
            start: 1,
            format: Format::Decimal,
            text: None,
            restart: None,
            legal: false,
            style: None,
        }
    }
}

#[derive(Debug, Default)]
struct Definition {
    levels: [Option<Level>; LEVELS],
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Instance {
    definition: u32,
    starts: [Option<u32>; LEVELS],
    levels: [Option<Level>; LEVELS],
}

/// A document's list definitions and list instances.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    definitions: HashMap<u32, Definition>,
    instances: HashMap<u32, Instance>,
    linked: HashMap<String, u32>,
}

/// The counts so far, per list definition and level.
#[derive(Debug, Default)]
pub(super) struct Counters {
    lists: HashMap<u32, [Option<u32>; LEVELS]>,
    started: HashSet<u32>,
}

/// What goes before a list paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Label {
    /// A bullet.
    Bullet,
    /// A number as Word shows it: `3.`, `1.2.`, `b)`, `IV.`.
    Number(String),
}

/// What the parser is inside of.
#[derive(Default)]
struct Open {
    definition: Option<(u32, Definition)>,
    instance: Option<(u32, Instance)>,
    override_level: Option<usize>,
    level: Option<(usize, Level)>,
}

impl Numbering {
    /// Reads the numbering part.
    pub fn parse(part: &str, xml: &str) -> Result<Self, ImportError> {
        let mut reader = Part::new(part, xml);
        let mut numbering = Self::default();
        let mut open = Open::default();
        let mut path: Vec<String> = Vec::new();
        loop {
            match reader.next()? {
                Item::Open(Ns::Word, e) => {
                    let name = local(&e).to_owned();
                    numbering.open(&mut open, &name, path.last(), &e);
                    path.push(name);
                }
                Item::Empty(Ns::Word, e) => {
                    let name = local(&e).to_owned();
                    numbering.open(&mut open, &name, path.last(), &e);
                    numbering.close(&mut open, &name, path.last());
                }
                Item::Open(..) => path.push(String::new()),
                Item::Close => {
                    if let Some(name) = path.pop() {
                        numbering.close(&mut open, &name, path.last());
                    }
                }
                Item::End => return Ok(numbering),
                Item::Empty(..) | Item::Text(_) => {}
            }
        }
    }

    fn open(
        &mut self,
        open: &mut Open,
        name: &str,
        parent: Option<&String>,
        e: &quick_xml::events::BytesStart<'_>,
    ) {
        let parent = parent.map_or("", String::as_str);
        let level_index = || number_attr(e, "ilvl").map_or(0, |l| (l as usize).min(LEVELS - 1));
        let val = || attr(e, "val");
        match (parent, name) {
            (_, "abstractNum") => {
                open.definition =
                    number_attr(e, "abstractNumId").map(|id| (id, Definition::default()));
            }
            ("numbering", "num") => {
                open.instance = number_attr(e, "numId").map(|id| (id, Instance::default()));
            }
            ("num", "abstractNumId") => {
                if let (Some((_, instance)), Some(id)) = (&mut open.instance, number_attr(e, "val"))
                {
                    instance.definition = id;
                }
            }
            ("num", "lvlOverride") => open.override_level = Some(level_index()),
            ("lvlOverride", "startOverride") => {
                if let (Some((_, instance)), Some(l)) = (&mut open.instance, open.override_level) {
                    instance.starts[l] = number_attr(e, "val");
                }
            }
            ("abstractNum" | "lvlOverride", "lvl") => {
                open.level = Some((level_index(), Level::default()))
            }
            ("abstractNum", "numStyleLink") => {
                if let Some((_, d)) = &mut open.definition {
                    d.style_link = val();
                }
            }
            ("abstractNum", "styleLink") => {
                if let (Some((id, _)), Some(style)) = (&open.definition, val()) {
                    self.linked.insert(style, *id);
                }
            }
            ("lvl", _) => {
                if let Some((_, level)) = &mut open.level {
                    match name {
                        "start" => level.start = number_attr(e, "val").unwrap_or(level.start),
                        "numFmt" => level.format = Format::parse(&val().unwrap_or_default()),
                        "lvlText" => {
                            level.text = val().map(|t| t.chars().take(MAX_LEVEL_TEXT).collect());
                        }
                        "lvlRestart" => level.restart = number_attr(e, "val"),
                        "isLgl" => level.legal = is_on(e),
                        "pStyle" => level.style = val(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, open: &mut Open, name: &str, parent: Option<&String>) {
        let full = self.definitions.len() + self.instances.len() >= MAX_LISTS;
        match (parent.map_or("", String::as_str), name) {
            (parent, "lvl") => {
                let Some((index, level)) = open.level.take() else {
                    return;
                };
                if parent == "lvlOverride" {
                    if let Some((_, instance)) = &mut open.instance {
                        instance.levels[index] = Some(level);
                    }
                } else if let Some((_, definition)) = &mut open.definition {
                    definition.levels[index] = Some(level);
                }
            }
            (_, "abstractNum") => {
                if let Some((id, definition)) = open.definition.take().filter(|_| !full) {
                    self.definitions.insert(id, definition);
                }
            }
            ("numbering", "num") => {
                if let Some((id, instance)) = open.instance.take().filter(|_| !full) {
                    self.instances.insert(id, instance);
                }
            }
            ("num", "lvlOverride") => open.override_level = None,
            _ => {}
        }
    }

    /// The level of list `num_id` that is tied to paragraph style `style`,
    /// for a paragraph numbered through its style without a level of its own.
    pub fn level_for_style(&self, num_id: u32, style: &str) -> Option<u32> {
        let instance = self.instances.get(&num_id)?;
        let definition = self
            .definitions
            .get(&self.definition_id(instance.definition))?;
        let index = definition
            .levels
            .iter()
            .position(|l| l.as_ref().and_then(|l| l.style.as_deref()) == Some(style))?;
        u32::try_from(index).ok()
    }

    /// Counts a paragraph of list `num_id` at `level` and returns its label;
    /// `None` for a list or level that does not exist or shows nothing.
    pub fn label(&self, counters: &mut Counters, num_id: u32, level: u32) -> Option<Label> {
        let instance = self.instances.get(&num_id)?;
        let definition_id = self.definition_id(instance.definition);
        let definition = self.definitions.get(&definition_id)?;
        let index = (level as usize).min(LEVELS - 1);
        let level_of = |l: usize| {
            instance.levels[l]
                .as_ref()
                .or(definition.levels[l].as_ref())
        };
        let start_of = |l: usize| {
            instance.starts[l]
                .or(level_of(l).map(|x| x.start))
                .unwrap_or(1)
        };
        let this = level_of(index)?;
        let first_use = counters.started.insert(num_id);
        let counts = counters.lists.entry(definition_id).or_default();
        if first_use {
            for (count, start) in counts.iter_mut().zip(&instance.starts) {
                if start.is_some() {
                    *count = None;
                }
            }
        }
        counts[index] = Some(match counts[index] {
            Some(n) => n.saturating_add(1),
            None => start_of(index),
        });
        for (deeper, count) in counts.iter_mut().enumerate().skip(index + 1) {
            let after = level_of(deeper)
                .and_then(|l| l.restart)
                .unwrap_or(deeper as u32);
            if (index as u32) < after {
                *count = None;
            }
        }
        match this.format {
            Format::Bullet => Some(Label::Bullet),
            Format::Nothing => None,
            _ => {
                let template = this
                    .text
                    .clone()
                    .unwrap_or_else(|| format!("%{}.", index + 1));
                let number = fill(&template, |l| {
                    let format = if this.legal {
                        Format::Decimal
                    } else {
                        level_of(l).map_or(Format::Decimal, |x| x.format)
                    };
                    written(counts[l].unwrap_or_else(|| start_of(l)), format)
                });
                let number = number.trim();
                (!number.is_empty()).then(|| Label::Number(number.to_owned()))
            }
        }
    }

    /// A definition that only points to a numbering style resolves to the
    /// definition that style names.
    fn definition_id(&self, id: u32) -> u32 {
        self.definitions
            .get(&id)
            .filter(|d| d.levels.iter().all(Option::is_none))
            .and_then(|d| d.style_link.as_ref())
            .and_then(|style| self.linked.get(style))
            .copied()
            .unwrap_or(id)
    }
}

/// The level text with each `%n` replaced by level n's number.
fn fill(template: &str, number: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let level = chars
            .peek()
            .and_then(|d| d.to_digit(10))
            .filter(|d| (1..=9).contains(d));
        match (c, level) {
            ('%', Some(d)) => {
                chars.next();
                out.push_str(&number(d as usize - 1));
            }
            _ => out.push(c),
        }
    }
    out
}

/// A count written in a level's format: `4`, `04`, `D`, `dd`, `IV`.
fn written(n: u32, format: Format) -> String {
    match format {
        Format::DecimalZero if n < 10 => format!("0{n}"),
        Format::UpperLetter | Format::LowerLetter if (1..=26 * 20).contains(&n) => {
            let letter = char::from(b'A' + ((n - 1) % 26) as u8);
            let times = ((n - 1) / 26 + 1) as usize;
            let text = letter.to_string().repeat(times);
            if format == Format::LowerLetter {
                text.to_ascii_lowercase()
            } else {
                text
            }
        }
        Format::UpperRoman | Format::LowerRoman if (1..4000).contains(&n) => {
            let text = roman(n);
            if format == Format::LowerRoman {
                text.to_ascii_lowercase()
            } else {
                text
            }
        }
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const NUMERALS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="Part %1:"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlRestart w:val="0"/><w:lvlText w:val="%2."/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="2">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/>
        <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
      <w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>
    </w:numbering>"#;

    fn labels(items: &[(u32, u32)]) -> Vec<String> {
        let numbering = Numbering::parse("word/numbering.xml", NUMBERING).unwrap();
        let mut counters = Counters::default();
        items
            .iter()
            .map(
                |&(num, level)| match numbering.label(&mut counters, num, level) {
                    Some(Label::Number(n)) => n,
                    Some(Label::Bullet) => "-".into(),
                    None => String::new(),
                },
            )
            .collect()
    }

    #[test]
    fn levels_count_and_lower_levels_restart() {
        assert_eq!(
            labels(&[
                (1, 0),
                (1, 1),
                (1, 1),
                (1, 2),
                (1, 2),
                (1, 0),
                (1, 1),
                (1, 2)
            ]),
            ["1.", "1.1.", "1.2.", "(a)", "(b)", "2.", "2.1.", "(a)"]
        );
    }

    #[test]
    fn lists_sharing_a_definition_continue_unless_restarted() {
        assert_eq!(
            labels(&[(1, 0), (1, 0), (2, 0), (3, 0), (3, 0)]),
            ["1.", "2.", "3.", "1.", "2."]
        );
    }

    #[test]
    fn roman_letters_and_levels_that_never_restart() {
        assert_eq!(
            labels(&[(4, 0), (4, 1), (4, 1), (4, 0), (4, 1)]),
            ["Part I:", "A.", "B.", "Part II:", "C."]
        );
    }

    #[test]
    fn bullets_and_unknown_lists() {
        assert_eq!(labels(&[(5, 0), (9, 0)]), ["-", ""]);
    }

    #[test]
    fn numbers_are_written_in_each_format() {
        assert_eq!(written(27, Format::UpperLetter), "AA");
        assert_eq!(written(3, Format::LowerLetter), "c");
        assert_eq!(written(1994, Format::UpperRoman), "MCMXCIV");
        assert_eq!(written(9, Format::LowerRoman), "ix");
        assert_eq!(written(7, Format::DecimalZero), "07");
        assert_eq!(written(0, Format::UpperRoman), "0");
    }
}
