//! CMaps: a font's `/ToUnicode` map from character codes to text, and an
//! embedded `/Encoding` CMap from codes to CIDs. Both say how many bytes a
//! code has (the codespace ranges), which is what splits a string into codes.

use super::encoding::glyph_text;
use super::lexer::{Lexer, Token};
use std::collections::HashMap;

/// Where a mapped code leads.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Text(String),
    Cid(u32),
}

/// A range of codes mapped together.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    len: u8,
    low: u32,
    high: u32,
    to: RangeTarget,
}

#[derive(Debug, Clone, PartialEq)]
enum RangeTarget {
    /// UTF-16 text whose last unit counts up with the code.
    Utf16(Vec<u16>),
    /// One text per code.
    List(Vec<String>),
    /// CIDs counting up from this one.
    Cid(u32),
}

/// A parsed CMap.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct CMap {
    /// Codespace ranges: code length, and the low and high byte of each position.
    codespaces: Vec<(usize, Vec<(u8, u8)>)>,
    single: HashMap<(u8, u32), Target>,
    /// Sorted by (length, low).
    ranges: Vec<Range>,
    /// `usecmap` of `Identity-H` or `Identity-V`.
    pub(super) identity: bool,
}

/// A code as bytes: its length and its value.
fn code_of(bytes: &[u8]) -> Option<(u8, u32)> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let value = bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
    Some((bytes.len() as u8, value))
}

/// UTF-16BE bytes as text, skipping what is not valid.
fn utf16_text(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|pair| match *pair {
            [high, low] => u16::from_be_bytes([high, low]),
            [one] => u16::from(one),
            _ => 0,
        })
        .collect();
    char::decode_utf16(units).filter_map(|c| c.ok()).collect()
}

impl CMap {
    /// Reads a CMap stream. Never fails: what cannot be read is left out.
    pub(super) fn parse(data: &[u8]) -> Self {
        let mut cmap = Self::default();
        let mut lexer = Lexer::new(data);
        let mut last_name: Option<Vec<u8>> = None;
        while let Some(token) = lexer.next_token() {
            match token {
                Token::Keyword(b"begincodespacerange") => cmap.read_codespaces(&mut lexer),
                Token::Keyword(b"beginbfchar") => cmap.read_chars(&mut lexer, b"endbfchar"),
                Token::Keyword(b"begincidchar") => cmap.read_chars(&mut lexer, b"endcidchar"),
                Token::Keyword(b"beginbfrange") => cmap.read_ranges(&mut lexer, b"endbfrange"),
                Token::Keyword(b"begincidrange") => cmap.read_ranges(&mut lexer, b"endcidrange"),
                Token::Keyword(b"usecmap") => {
                    if let Some(name) = last_name.take() {
                        cmap.identity |= name.starts_with(b"Identity");
                    }
                }
                Token::Name(name) => last_name = Some(name),
                _ => {}
            }
        }
        cmap.ranges.sort_by_key(|r| (r.len, r.low));
        cmap
    }

    fn read_codespaces(&mut self, lexer: &mut Lexer<'_>) {
        while let Some(Token::Str(low)) = lexer.next_token() {
            let Some(Token::Str(high)) = lexer.next_token() else {
                return;
            };
            if low.len() == high.len() && (1..=4).contains(&low.len()) {
                let bounds = low.iter().copied().zip(high.iter().copied()).collect();
                self.codespaces.push((low.len(), bounds));
            }
        }
    }

    fn read_chars(&mut self, lexer: &mut Lexer<'_>, end: &[u8]) {
        loop {
            let source = match lexer.next_token() {
                Some(Token::Str(s)) => s,
                Some(Token::Keyword(k)) if k != end => continue,
                _ => return,
            };
            let target = match lexer.next_token() {
                Some(Token::Str(text)) => Target::Text(utf16_text(&text)),
                Some(Token::Name(name)) => Target::Text(glyph_text(&name).unwrap_or_default()),
                Some(Token::Int(cid)) => match u32::try_from(cid) {
                    Ok(cid) => Target::Cid(cid),
                    Err(_) => continue,
                },
                _ => return,
            };
            if let Some(code) = code_of(&source) {
                self.single.insert(code, target);
            }
        }
    }

    fn read_ranges(&mut self, lexer: &mut Lexer<'_>, end: &[u8]) {
        loop {
            let low = match lexer.next_token() {
                Some(Token::Str(s)) => s,
                Some(Token::Keyword(k)) if k != end => continue,
                _ => return,
            };
            let Some(Token::Str(high)) = lexer.next_token() else {
                return;
            };
            let to = match lexer.next_token() {
                Some(Token::Str(text)) => RangeTarget::Utf16(
                    text.chunks(2)
                        .map(|p| match *p {
                            [h, l] => u16::from_be_bytes([h, l]),
                            [one] => u16::from(one),
                            _ => 0,
                        })
                        .collect(),
                ),
                Some(Token::Int(cid)) => match u32::try_from(cid) {
                    Ok(cid) => RangeTarget::Cid(cid),
                    Err(_) => continue,
                },
                Some(Token::ArrayStart) => {
                    let mut list = Vec::new();
                    while let Some(Token::Str(text)) = lexer.next_token() {
                        list.push(utf16_text(&text));
                    }
                    RangeTarget::List(list)
                }
                _ => return,
            };
            if let (Some((len, low)), Some((_, high))) = (code_of(&low), code_of(&high))
                && low <= high
            {
                self.ranges.push(Range { len, low, high, to });
            }
        }
    }

    fn target(&self, len: u8, code: u32) -> Option<Target> {
        if let Some(target) = self.single.get(&(len, code)) {
            return Some(target.clone());
        }
        let after = self
            .ranges
            .partition_point(|r| (r.len, r.low) <= (len, code));
        let range = self.ranges.get(after.checked_sub(1)?)?;
        if range.len != len || code > range.high {
            return None;
        }
        let offset = code - range.low;
        Some(match &range.to {
            RangeTarget::Cid(first) => Target::Cid(first.checked_add(offset)?),
            RangeTarget::List(list) => Target::Text(list.get(offset as usize)?.clone()),
            RangeTarget::Utf16(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(offset as u16);
                Target::Text(char::decode_utf16(units).filter_map(|c| c.ok()).collect())
            }
        })
    }

    /// The text a code of `len` bytes stands for.
    pub(super) fn text(&self, len: u8, code: u32) -> Option<String> {
        match self.target(len, code)? {
            Target::Text(text) if !text.is_empty() && text != "\0" => Some(text),
            _ => None,
        }
    }

    /// The CID a code stands for.
    pub(super) fn cid(&self, len: u8, code: u32) -> Option<u32> {
        match self.target(len, code)? {
            Target::Cid(cid) => Some(cid),
            Target::Text(_) => None,
        }
    }

    /// Whether the CMap says how long codes are.
    pub(super) fn has_codespaces(&self) -> bool {
        !self.codespaces.is_empty()
    }

    /// The length of the code that starts `bytes`, from the codespace
    /// ranges; `fallback` when none matches.
    pub(super) fn code_len(&self, bytes: &[u8], fallback: usize) -> usize {
        for len in 1..=4 {
            let Some(code) = bytes.get(..len) else { break };
            let matches = self.codespaces.iter().any(|(l, bounds)| {
                *l == len
                    && code
                        .iter()
                        .zip(bounds)
                        .all(|(&b, &(low, high))| (low..=high).contains(&b))
            });
            if matches {
                return len;
            }
        }
        fallback
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TO_UNICODE: &[u8] = b"/CIDInit /ProcSet findresource begin
        12 dict begin begincmap
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        3 beginbfchar
        <0003> <0020>
        <0011> <00660069>
        <0012> <D83DDE00>
        endbfchar
        2 beginbfrange
        <0024> <0026> <0041>
        <0030> <0031> [<2018> <2019>]
        endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_bfrange_map_two_byte_codes_to_text() {
        let cmap = CMap::parse(TO_UNICODE);
        assert_eq!(cmap.text(2, 0x03).as_deref(), Some(" "));
        assert_eq!(cmap.text(2, 0x11).as_deref(), Some("fi"));
        assert_eq!(cmap.text(2, 0x12).as_deref(), Some("😀"));
        assert_eq!(cmap.text(2, 0x24).as_deref(), Some("A"));
        assert_eq!(cmap.text(2, 0x26).as_deref(), Some("C"));
        assert_eq!(cmap.text(2, 0x27), None);
        assert_eq!(cmap.text(2, 0x31).as_deref(), Some("’"));
        assert_eq!(cmap.text(1, 0x24), None);
        assert_eq!(cmap.code_len(&[0, 0x24, 0, 0x25], 1), 2);
    }

    #[test]
    fn one_byte_codespaces_split_mixed_strings() {
        let cmap = CMap::parse(
            b"2 begincodespacerange <00> <80> <8140> <9FFC> endcodespacerange
              1 beginbfchar <41> <0041> endbfchar
              1 begincidrange <8140> <817E> 633 endcidrange",
        );
        assert_eq!(cmap.code_len(b"A", 2), 1);
        assert_eq!(cmap.code_len(&[0x81, 0x40], 1), 2);
        assert_eq!(cmap.cid(2, 0x8141), Some(634));
        assert_eq!(cmap.text(1, 0x41).as_deref(), Some("A"));
    }

    #[test]
    fn a_huge_range_is_not_expanded() {
        let cmap = CMap::parse(b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange");
        assert_eq!(cmap.ranges.len(), 1);
        assert_eq!(cmap.text(4, 1).as_deref(), Some("B"));
    }

    #[test]
    fn garbage_yields_an_empty_map() {
        let cmap = CMap::parse(b"beginbfrange <01> ] ) endbfchar beginbfchar <<>> (");
        assert!(cmap.single.is_empty() && cmap.ranges.is_empty());
    }
}
