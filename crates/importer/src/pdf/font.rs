//! Fonts, as far as text extraction needs them: how a shown string splits
//! into codes, what text each code stands for, and how wide it is (widths
//! are what tell a word gap from letters that merely follow each other).

use super::cmap::CMap;
use super::document::Document;
use super::encoding::{BaseEncoding, glyph_text};
use super::lexer::{Lexer, Token, find};
use super::metrics::standard_width;
use super::object::{Dict, Object};
use std::cell::RefCell;
use std::collections::HashMap;

/// The width of a glyph when nothing says otherwise, in thousandths of an em.
const DEFAULT_WIDTH: f64 = 500.0;
/// How many decoded codes a composite font keeps, so that a file showing
/// millions of distinct codes cannot grow the cache without bound.
const MAX_DECODED_CODES: usize = 1 << 16;

/// One glyph of a shown string.
pub(super) struct Glyph<'t> {
    /// Its text; empty when the font does not say.
    pub(super) text: &'t str,
    /// Its advance at font size 1, in text space.
    pub(super) width: f64,
    /// A one-byte code 32, to which word spacing (`Tw`) applies.
    pub(super) is_space: bool,
}

/// A font ready to decode strings.
pub(super) struct Font {
    kind: Kind,
    /// Glyph-space units to text space at font size 1 (0.001 but for Type 3).
    width_scale: f64,
    /// The em at font size 1, in text space (1 but for Type 3).
    pub(super) em: f64,
}

enum Kind {
    /// One byte per code: each code's text and width.
    Simple(Vec<(String, f64)>),
    Composite(Box<Composite>),
}

struct Composite {
    /// An embedded encoding CMap; `None` for Identity and unknown predefined ones.
    encoding: Option<CMap>,
    /// Codes are UTF-16 (`UniJIS-UCS2-H` and the like).
    utf16_codes: bool,
    /// Codes are two bytes whatever the ToUnicode map's codespace says.
    two_byte_codes: bool,
    to_unicode: Option<CMap>,
    widths: CidWidths,
    symbol: Option<BaseEncoding>,
    /// Each code's text and width once worked out.
    decoded: RefCell<HashMap<(u8, u32), (String, f64)>>,
}

/// A CID font's widths, from its `/W` and `/DW`.
struct CidWidths {
    default: f64,
    single: HashMap<u32, f64>,
    /// `(first CID, last CID, width)`, sorted.
    ranges: Vec<(u32, u32, f64)>,
}

impl CidWidths {
    fn get(&self, cid: u32) -> f64 {
        if let Some(&w) = self.single.get(&cid) {
            return w;
        }
        let after = self.ranges.partition_point(|r| r.0 <= cid);
        match after.checked_sub(1).and_then(|i| self.ranges.get(i)) {
            Some(&(_, last, w)) if cid <= last => w,
            _ => self.default,
        }
    }
}

impl Font {
    /// The font used when a content stream names none or a missing one.
    pub(super) fn fallback() -> Self {
        let glyphs = (0..=255u8)
            .map(|code| {
                let text = BaseEncoding::WinAnsi
                    .char(code)
                    .map(String::from)
                    .unwrap_or_default();
                (text, DEFAULT_WIDTH)
            })
            .collect();
        Self {
            kind: Kind::Simple(glyphs),
            width_scale: 0.001,
            em: 1.0,
        }
    }

    /// Reads a font dictionary. Never fails: what cannot be read falls back
    /// to defaults, so one odd font does not cost the whole document.
    pub(super) fn load(doc: &Document<'_>, dict: &Dict) -> Self {
        let base_font = dict
            .get(b"BaseFont".as_slice())
            .and_then(Object::as_name)
            .unwrap_or(b"")
            .to_vec();
        let symbol = symbolic_encoding(&base_font);
        let to_unicode = dict
            .get(b"ToUnicode".as_slice())
            .and_then(|o| doc.decoded_stream(o).ok().flatten())
            .map(|(_, data)| CMap::parse(&data));
        match dict.get(b"Subtype".as_slice()).and_then(Object::as_name) {
            Some(b"Type0") => Self {
                kind: Kind::Composite(Box::new(composite(doc, dict, to_unicode, symbol))),
                width_scale: 0.001,
                em: 1.0,
            },
            subtype => {
                let (width_scale, em) = if subtype == Some(b"Type3") {
                    type3_scale(dict)
                } else {
                    (0.001, 1.0)
                };
                let glyphs = simple_glyphs(doc, dict, &base_font, to_unicode.as_ref(), symbol);
                Self {
                    kind: Kind::Simple(glyphs),
                    width_scale,
                    em,
                }
            }
        }
    }

    /// Calls `each` with every glyph of the string `bytes`.
    pub(super) fn glyphs(&self, bytes: &[u8], mut each: impl FnMut(Glyph<'_>)) {
        match &self.kind {
            Kind::Simple(glyphs) => {
                for &code in bytes {
                    let (text, width) = &glyphs[usize::from(code)];
                    each(Glyph {
                        text,
                        width: width * self.width_scale,
                        is_space: code == b' ',
                    });
                }
            }
            Kind::Composite(font) => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    let len = font.code_len(rest).clamp(1, rest.len().min(4));
                    let (code_bytes, tail) = rest.split_at(len);
                    rest = tail;
                    let code = code_bytes
                        .iter()
                        .fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
                    let key = (len as u8, code);
                    let cached = font.decoded.borrow().contains_key(&key);
                    if !cached {
                        let glyph = (font.text(key.0, code), font.width(key.0, code));
                        let mut decoded = font.decoded.borrow_mut();
                        if decoded.len() >= MAX_DECODED_CODES {
                            decoded.clear();
                        }
                        decoded.insert(key, glyph);
                    }
                    let decoded = font.decoded.borrow();
                    let (text, width) = decoded
                        .get(&key)
                        .map_or(("", 0.0), |(t, w)| (t.as_str(), *w));
                    each(Glyph {
                        text,
                        width: width * self.width_scale,
                        is_space: len == 1 && code == 32,
                    });
                }
            }
        }
    }
}

impl Composite {
    fn code_len(&self, bytes: &[u8]) -> usize {
        match (&self.encoding, &self.to_unicode) {
            (Some(cmap), _) if cmap.has_codespaces() => cmap.code_len(bytes, 2),
            _ if self.two_byte_codes || self.utf16_codes => 2,
            (_, Some(cmap)) if cmap.has_codespaces() => cmap.code_len(bytes, 2),
            _ => 2,
        }
    }

    fn text(&self, len: u8, code: u32) -> String {
        let text = self.to_unicode.as_ref().and_then(|m| m.text(len, code));
        let text = match text {
            Some(text) => text,
            None if self.utf16_codes => char::from_u32(code).map(String::from).unwrap_or_default(),
            None => String::new(),
        };
        match self.symbol {
            Some(symbol) => map_private_use(&text, symbol),
            None => text,
        }
    }

    fn width(&self, len: u8, code: u32) -> f64 {
        let cid = match &self.encoding {
            Some(cmap) => cmap.cid(len, code).unwrap_or(code),
            None => code,
        };
        self.widths.get(cid)
    }
}

fn composite(
    doc: &Document<'_>,
    dict: &Dict,
    to_unicode: Option<CMap>,
    symbol: Option<BaseEncoding>,
) -> Composite {
    let (encoding, utf16_codes, two_byte_codes) = match dict.get(b"Encoding".as_slice()) {
        Some(Object::Name(name)) => {
            let utf16 =
                name.starts_with(b"Uni") && (contains(name, b"UCS2") || contains(name, b"UTF16"));
            (None, utf16, name.starts_with(b"Identity"))
        }
        Some(other) => match doc.decoded_stream(other).ok().flatten() {
            Some((_, data)) => {
                let cmap = CMap::parse(&data);
                let identity = cmap.identity && !cmap.has_codespaces();
                (Some(cmap), false, identity)
            }
            None => (None, false, true),
        },
        None => (None, false, true),
    };
    let descendant = dict
        .get(b"DescendantFonts".as_slice())
        .and_then(|o| doc.resolve(o).ok())
        .and_then(|o| o.as_array().and_then(|a| a.first().cloned()))
        .and_then(|o| doc.dict(Some(&o)).ok().flatten())
        .unwrap_or_default();
    let default = descendant
        .get(b"DW".as_slice())
        .and_then(Object::as_f64)
        .unwrap_or(1000.0);
    let w = descendant
        .get(b"W".as_slice())
        .and_then(|o| doc.resolve(o).ok())
        .unwrap_or(Object::Null);
    Composite {
        encoding,
        utf16_codes,
        two_byte_codes,
        to_unicode,
        widths: cid_widths(doc, w.as_array().unwrap_or(&[]), default),
        symbol,
        decoded: RefCell::new(HashMap::new()),
    }
}

/// A CID font's `/W` array: `c [w1 w2 …]` and `c_first c_last w` entries.
fn cid_widths(doc: &Document<'_>, items: &[Object], default: f64) -> CidWidths {
    let mut single = HashMap::new();
    let mut ranges = Vec::new();
    let mut i = 0;
    while let Some(first) = items.get(i).and_then(Object::as_i64) {
        let Ok(first) = u32::try_from(first) else {
            break;
        };
        match items.get(i + 1) {
            Some(list @ (Object::Array(_) | Object::Ref(_))) => {
                let list = doc.resolve(list).unwrap_or(Object::Null);
                for (cid, w) in (first..=u32::MAX).zip(list.as_array().unwrap_or(&[])) {
                    if let Some(w) = w.as_f64() {
                        single.insert(cid, w);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(w)) = (
                    last.as_i64().and_then(|l| u32::try_from(l).ok()),
                    items.get(i + 2).and_then(Object::as_f64),
                ) else {
                    break;
                };
                ranges.push((first, last, w));
                i += 3;
            }
            None => break,
        }
    }
    ranges.sort_by_key(|r| r.0);
    CidWidths {
        default,
        single,
        ranges,
    }
}

/// Each code's text and width in a simple font.
fn simple_glyphs(
    doc: &Document<'_>,
    dict: &Dict,
    base_font: &[u8],
    to_unicode: Option<&CMap>,
    symbol: Option<BaseEncoding>,
) -> Vec<(String, f64)> {
    let encoding = dict
        .get(b"Encoding".as_slice())
        .and_then(|o| doc.resolve(o).ok())
        .unwrap_or(Object::Null);
    let (base_name, differences) = match &encoding {
        Object::Name(name) => (Some(name.as_slice()), None),
        Object::Dict(d) => (
            d.get(b"BaseEncoding".as_slice()).and_then(Object::as_name),
            d.get(b"Differences".as_slice())
                .and_then(|o| doc.resolve(o).ok()),
        ),
        _ => (None, None),
    };
    let base = symbol
        .or_else(|| base_name.and_then(BaseEncoding::from_name))
        .unwrap_or(
            match dict.get(b"Subtype".as_slice()).and_then(Object::as_name) {
                Some(b"TrueType") => BaseEncoding::WinAnsi,
                _ => BaseEncoding::Standard,
            },
        );
    let descriptor = dict
        .get(b"FontDescriptor".as_slice())
        .and_then(|o| doc.dict(Some(o)).ok().flatten())
        .unwrap_or_default();
    let symbolic = descriptor
        .get(b"Flags".as_slice())
        .and_then(Object::as_i64)
        .is_some_and(|flags| flags & 4 != 0);
    let mut names = match base_name {
        None if differences.is_none() || symbolic => builtin_encoding(doc, &descriptor),
        _ => None,
    }
    .unwrap_or_else(|| vec![None; 256]);
    if let Some(Object::Array(items)) = differences {
        let mut code = 0usize;
        for item in items {
            match item {
                Object::Int(n) => code = usize::try_from(n).unwrap_or(256),
                Object::Name(name) => {
                    if let Some(slot) = names.get_mut(code) {
                        *slot = Some(name.clone());
                    }
                    code = code.saturating_add(1);
                }
                _ => {}
            }
        }
    }
    let widths = simple_widths(doc, dict, base_font);
    (0..=255u8)
        .map(|code| {
            let mapped = to_unicode.and_then(|m| {
                m.text(1, u32::from(code))
                    .or_else(|| m.text(2, u32::from(code)))
            });
            let text = mapped
                .or_else(|| names[usize::from(code)].as_deref().and_then(glyph_text))
                .or_else(|| base.char(code).map(String::from))
                .unwrap_or_default();
            let text = match symbol {
                Some(symbol) => map_private_use(&text, symbol),
                None => text,
            };
            (text, widths[usize::from(code)])
        })
        .collect()
}

/// The encoding built into an embedded Type 1 font program: the
/// `dup code /name put` entries of its clear-text part. TeX's fonts rely on
/// it for their bullets, dashes and quotes.
fn builtin_encoding(doc: &Document<'_>, descriptor: &Dict) -> Option<Vec<Option<Vec<u8>>>> {
    let (file, data) = doc
        .decoded_stream(descriptor.get(b"FontFile".as_slice())?)
        .ok()??;
    let clear_len = file
        .get(b"Length1".as_slice())
        .and_then(Object::as_usize)
        .unwrap_or(data.len())
        .min(data.len());
    let clear = &data[..clear_len];
    let clear = &clear[..find(clear, b"eexec", 0).unwrap_or(clear.len())];
    let mut names = vec![None; 256];
    let mut found = false;
    let mut lexer = Lexer::new(clear);
    while let Some(token) = lexer.next_token() {
        if token != Token::Keyword(b"dup") {
            continue;
        }
        if let (Some(Token::Int(code)), Some(Token::Name(name)), Some(Token::Keyword(b"put"))) =
            (lexer.next_token(), lexer.next_token(), lexer.next_token())
            && let Some(slot) = usize::try_from(code).ok().and_then(|c| names.get_mut(c))
        {
            *slot = Some(name);
            found = true;
        }
    }
    found.then_some(names)
}

fn simple_widths(doc: &Document<'_>, dict: &Dict, base_font: &[u8]) -> Vec<f64> {
    let first = dict
        .get(b"FirstChar".as_slice())
        .and_then(Object::as_usize)
        .unwrap_or(0);
    let listed = dict
        .get(b"Widths".as_slice())
        .and_then(|o| doc.resolve(o).ok())
        .unwrap_or(Object::Null);
    let listed = listed.as_array().unwrap_or(&[]);
    let missing = dict
        .get(b"FontDescriptor".as_slice())
        .and_then(|o| doc.dict(Some(o)).ok().flatten())
        .and_then(|d| d.get(b"MissingWidth".as_slice()).and_then(Object::as_f64))
        .filter(|w| *w > 0.0);
    (0..=255u8)
        .map(|code| {
            usize::from(code)
                .checked_sub(first)
                .and_then(|i| listed.get(i))
                .and_then(Object::as_f64)
                .or(missing)
                .or_else(|| standard_width(base_font, code))
                .unwrap_or(DEFAULT_WIDTH)
        })
        .collect()
}

/// A Type 3 font's glyph-to-text scale and em, from its `/FontMatrix`.
fn type3_scale(dict: &Dict) -> (f64, f64) {
    let matrix: Vec<f64> = dict
        .get(b"FontMatrix".as_slice())
        .and_then(Object::as_array)
        .unwrap_or(&[])
        .iter()
        .filter_map(Object::as_f64)
        .collect();
    match matrix[..] {
        [a, _, _, d, _, _] if a.abs() > 1e-9 && d.abs() > 1e-9 => {
            (a.abs().min(1.0), (d.abs() * 1000.0).clamp(0.01, 100.0))
        }
        _ => (0.001, 1.0),
    }
}

/// The encoding of fonts whose glyphs are symbols, told by name.
fn symbolic_encoding(base_font: &[u8]) -> Option<BaseEncoding> {
    let name = String::from_utf8_lossy(base_font).to_ascii_lowercase();
    if name.contains("dingbat") || name.contains("wingding") || name.contains("webding") {
        Some(BaseEncoding::Dingbats)
    } else if name.contains("symbol") {
        Some(BaseEncoding::Symbol)
    } else {
        None
    }
}

/// Symbol fonts map their glyphs to the private-use area (U+F020–U+F0FF);
/// the glyph is the one the symbol encoding gives the low byte.
fn map_private_use(text: &str, symbol: BaseEncoding) -> String {
    text.chars()
        .map(|c| match u32::from(c) {
            v @ 0xf020..=0xf0ff => symbol.char((v - 0xf000) as u8).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
