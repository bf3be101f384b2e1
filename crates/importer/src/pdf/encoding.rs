//! What a byte means in a simple font: the standard encodings a font may
//! name, and the glyph names a `/Differences` array may use.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The base encodings of simple fonts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BaseEncoding {
    Standard,
    WinAnsi,
    MacRoman,
    /// The Symbol font's own encoding (Greek letters, math, the bullet).
    Symbol,
    /// ZapfDingbats, Wingdings and the like: every glyph is an ornament, read as a bullet.
    Dingbats,
}

impl BaseEncoding {
    /// The encoding an `/Encoding` or `/BaseEncoding` name stands for.
    pub(super) fn from_name(name: &[u8]) -> Option<Self> {
        match name {
            b"WinAnsiEncoding" => Some(Self::WinAnsi),
            b"StandardEncoding" => Some(Self::Standard),
            b"MacRomanEncoding" | b"MacExpertEncoding" => Some(Self::MacRoman),
            _ => None,
        }
    }

    /// The character for `code`, if the encoding defines one.
    pub(super) fn char(self, code: u8) -> Option<char> {
        match (self, code) {
            (Self::Dingbats, 0x21..) => Some('•'),
            (Self::Dingbats, _) => (code == b' ').then_some(' '),
            (Self::Symbol, _) => symbol(code),
            (_, 0x20..=0x7e) => Some(match (self, code) {
                (Self::Standard, b'\'') => '’',
                (Self::Standard, b'`') => '‘',
                _ => char::from(code),
            }),
            (Self::WinAnsi, 0x80..=0x9f) => {
                WIN_ANSI_HIGH[usize::from(code - 0x80)].filter(|&c| c != '\0')
            }
            (Self::WinAnsi, 0xa0..) => Some(char::from(code)),
            (Self::MacRoman, 0x80..) => MAC_ROMAN_HIGH.chars().nth(usize::from(code - 0x80)),
            (Self::Standard, 0xa0..) => STANDARD_HIGH
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, ch)| *ch),
            _ => None,
        }
    }
}

const WIN_ANSI_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

const MAC_ROMAN_HIGH: &str = "ÄÅÇÉÑÖÜáàâäãåçéèêëíìîïñóòôöõúùûü†°¢£§•¶ß®©™´¨≠ÆØ∞±≤≥¥µ∂∑∏π∫ªºΩæø\
                              ¿¡¬√ƒ≈∆«»…\u{a0}ÀÃÕŒœ–—“”‘’÷◊ÿŸ⁄¤‹›ﬁﬂ‡·‚„‰ÂÊÁËÈÍÎÏÌÓÔ\u{f8ff}ÒÚÛÙıˆ˜¯˘˙˚¸˝˛ˇ";

const STANDARD_HIGH: &[(u8, char)] = &[
    (0xa1, '¡'),
    (0xa2, '¢'),
    (0xa3, '£'),
    (0xa4, '⁄'),
    (0xa5, '¥'),
    (0xa6, 'ƒ'),
    (0xa7, '§'),
    (0xa8, '¤'),
    (0xa9, '\''),
    (0xaa, '“'),
    (0xab, '«'),
    (0xac, '‹'),
    (0xad, '›'),
    (0xae, 'ﬁ'),
    (0xaf, 'ﬂ'),
    (0xb1, '–'),
    (0xb2, '†'),
    (0xb3, '‡'),
    (0xb4, '·'),
    (0xb6, '¶'),
    (0xb7, '•'),
    (0xb8, '‚'),
    (0xb9, '„'),
    (0xba, '”'),
    (0xbb, '»'),
    (0xbc, '…'),
    (0xbd, '‰'),
    (0xbf, '¿'),
    (0xc1, '`'),
    (0xc2, '´'),
    (0xc3, 'ˆ'),
    (0xc4, '˜'),
    (0xc5, '¯'),
    (0xc6, '˘'),
    (0xc7, '˙'),
    (0xc8, '¨'),
    (0xca, '˚'),
    (0xcb, '¸'),
    (0xcd, '˝'),
    (0xce, '˛'),
    (0xcf, 'ˇ'),
    (0xd0, '—'),
    (0xe1, 'Æ'),
    (0xe3, 'ª'),
    (0xe8, 'Ł'),
    (0xe9, 'Ø'),
    (0xea, 'Œ'),
    (0xeb, 'º'),
    (0xf1, 'æ'),
    (0xf5, 'ı'),
    (0xf8, 'ł'),
    (0xf9, 'ø'),
    (0xfa, 'œ'),
    (0xfb, 'ß'),
];

/// The Symbol font: Greek for Latin letters, a few signs, the bullet.
fn symbol(code: u8) -> Option<char> {
    const LOWER: &str = "αβχδεφγηιϕκλμνοπθρστυϖωξψζ";
    const UPPER: &str = "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ";
    match code {
        b'a'..=b'z' => LOWER.chars().nth(usize::from(code - b'a')),
        b'A'..=b'Z' => UPPER.chars().nth(usize::from(code - b'A')),
        0xb7 => Some('•'),
        0xb1 => Some('±'),
        0xb4 => Some('×'),
        0xb8 => Some('÷'),
        0xa3 => Some('≤'),
        0xb3 => Some('≥'),
        0xae => Some('→'),
        0xac => Some('←'),
        0xd7 => Some('⋅'),
        0xa5 => Some('∞'),
        0x20..=0x7e => Some(char::from(code)),
        _ => None,
    }
}

/// Names for codes 0x20 to 0x7e, in order.
const ASCII_NAMES: [&str; 95] = [
    "space",
    "exclam",
    "quotedbl",
    "numbersign",
    "dollar",
    "percent",
    "ampersand",
    "quotesingle",
    "parenleft",
    "parenright",
    "asterisk",
    "plus",
    "comma",
    "hyphen",
    "period",
    "slash",
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "colon",
    "semicolon",
    "less",
    "equal",
    "greater",
    "question",
    "at",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
    "H",
    "I",
    "J",
    "K",
    "L",
    "M",
    "N",
    "O",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "W",
    "X",
    "Y",
    "Z",
    "bracketleft",
    "backslash",
    "bracketright",
    "asciicircum",
    "underscore",
    "grave",
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "w",
    "x",
    "y",
    "z",
    "braceleft",
    "bar",
    "braceright",
    "asciitilde",
];

/// Names for U+00A0 to U+00FF, in order.
const LATIN1_NAMES: [&str; 96] = [
    "nbspace",
    "exclamdown",
    "cent",
    "sterling",
    "currency",
    "yen",
    "brokenbar",
    "section",
    "dieresis",
    "copyright",
    "ordfeminine",
    "guillemotleft",
    "logicalnot",
    "sfthyphen",
    "registered",
    "macron",
    "degree",
    "plusminus",
    "twosuperior",
    "threesuperior",
    "acute",
    "mu",
    "paragraph",
    "periodcentered",
    "cedilla",
    "onesuperior",
    "ordmasculine",
    "guillemotright",
    "onequarter",
    "onehalf",
    "threequarters",
    "questiondown",
    "Agrave",
    "Aacute",
    "Acircumflex",
    "Atilde",
    "Adieresis",
    "Aring",
    "AE",
    "Ccedilla",
    "Egrave",
    "Eacute",
    "Ecircumflex",
    "Edieresis",
    "Igrave",
    "Iacute",
    "Icircumflex",
    "Idieresis",
    "Eth",
    "Ntilde",
    "Ograve",
    "Oacute",
    "Ocircumflex",
    "Otilde",
    "Odieresis",
    "multiply",
    "Oslash",
    "Ugrave",
    "Uacute",
    "Ucircumflex",
    "Udieresis",
    "Yacute",
    "Thorn",
    "germandbls",
    "agrave",
    "aacute",
    "acircumflex",
    "atilde",
    "adieresis",
    "aring",
    "ae",
    "ccedilla",
    "egrave",
    "eacute",
    "ecircumflex",
    "edieresis",
    "igrave",
    "iacute",
    "icircumflex",
    "idieresis",
    "eth",
    "ntilde",
    "ograve",
    "oacute",
    "ocircumflex",
    "otilde",
    "odieresis",
    "divide",
    "oslash",
    "ugrave",
    "uacute",
    "ucircumflex",
    "udieresis",
    "yacute",
    "thorn",
    "ydieresis",
];

/// Other glyph names documents use, with their text.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("quoteleft", "‘"),
    ("quoteright", "’"),
    ("quotedblleft", "“"),
    ("quotedblright", "”"),
    ("quotesinglbase", "‚"),
    ("quotedblbase", "„"),
    ("guilsinglleft", "‹"),
    ("guilsinglright", "›"),
    ("endash", "–"),
    ("emdash", "—"),
    ("bullet", "•"),
    ("ellipsis", "…"),
    ("dagger", "†"),
    ("daggerdbl", "‡"),
    ("perthousand", "‰"),
    ("florin", "ƒ"),
    ("fraction", "⁄"),
    ("trademark", "™"),
    ("Euro", "€"),
    ("minus", "−"),
    ("fi", "fi"),
    ("fl", "fl"),
    ("ff", "ff"),
    ("ffi", "ffi"),
    ("ffl", "ffl"),
    ("OE", "Œ"),
    ("oe", "œ"),
    ("Scaron", "Š"),
    ("scaron", "š"),
    ("Zcaron", "Ž"),
    ("zcaron", "ž"),
    ("Ydieresis", "Ÿ"),
    ("Lslash", "Ł"),
    ("lslash", "ł"),
    ("dotlessi", "ı"),
    ("circumflex", "ˆ"),
    ("tilde", "˜"),
    ("breve", "˘"),
    ("dotaccent", "˙"),
    ("ring", "˚"),
    ("hungarumlaut", "˝"),
    ("ogonek", "˛"),
    ("caron", "ˇ"),
    ("nonbreakingspace", "\u{a0}"),
    ("middot", "·"),
    ("uni00A0", "\u{a0}"),
    ("Cacute", "Ć"),
    ("cacute", "ć"),
    ("Ccaron", "Č"),
    ("ccaron", "č"),
    ("Dcaron", "Ď"),
    ("dcaron", "ď"),
    ("Dcroat", "Đ"),
    ("dcroat", "đ"),
    ("Ecaron", "Ě"),
    ("ecaron", "ě"),
    ("Eogonek", "Ę"),
    ("eogonek", "ę"),
    ("Aogonek", "Ą"),
    ("aogonek", "ą"),
    ("Gbreve", "Ğ"),
    ("gbreve", "ğ"),
    ("Idotaccent", "İ"),
    ("Nacute", "Ń"),
    ("nacute", "ń"),
    ("Ncaron", "Ň"),
    ("ncaron", "ň"),
    ("Ohungarumlaut", "Ő"),
    ("ohungarumlaut", "ő"),
    ("Rcaron", "Ř"),
    ("rcaron", "ř"),
    ("Sacute", "Ś"),
    ("sacute", "ś"),
    ("Scedilla", "Ş"),
    ("scedilla", "ş"),
    ("Tcaron", "Ť"),
    ("tcaron", "ť"),
    ("Uring", "Ů"),
    ("uring", "ů"),
    ("Uhungarumlaut", "Ű"),
    ("uhungarumlaut", "ű"),
    ("Zacute", "Ź"),
    ("zacute", "ź"),
    ("Zdotaccent", "Ż"),
    ("zdotaccent", "ż"),
    ("arrowright", "→"),
    ("arrowleft", "←"),
    ("checkmark", "✓"),
    ("notequal", "≠"),
    ("lessequal", "≤"),
    ("greaterequal", "≥"),
    ("infinity", "∞"),
    ("approxequal", "≈"),
    ("summation", "∑"),
    ("lozenge", "◊"),
    ("Delta", "∆"),
    ("Omega", "Ω"),
];

fn name_table() -> &'static HashMap<&'static str, String> {
    static TABLE: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let ascii = ASCII_NAMES
            .iter()
            .zip(0x20..=0x7eu8)
            .map(|(name, code)| (*name, char::from(code).to_string()));
        let latin1 = LATIN1_NAMES
            .iter()
            .zip(0xa0..=0xffu8)
            .map(|(name, code)| (*name, char::from(code).to_string()));
        let other = OTHER_NAMES
            .iter()
            .map(|(name, text)| (*name, (*text).to_string()));
        ascii.chain(latin1).chain(other).collect()
    })
}

/// The text of a glyph name: a standard name (`quoteright`), a `uniXXXX` or
/// `uXXXX[XX]` name, a suffixed variant (`a.sc`) or a ligature (`f_f_i`).
pub(super) fn glyph_text(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    if let Some(text) = name_table().get(name) {
        return Some(text.clone());
    }
    let base = name.split('.').next().unwrap_or("");
    if base.is_empty() {
        return None;
    }
    if base != name {
        return glyph_text(base.as_bytes());
    }
    if base.contains('_') {
        return base
            .split('_')
            .map(|part| glyph_text(part.as_bytes()))
            .collect();
    }
    if let Some(hex) = base.strip_prefix("uni")
        && !hex.is_empty()
        && hex.len() % 4 == 0
    {
        return hex
            .as_bytes()
            .chunks(4)
            .map(|group| {
                let group = std::str::from_utf8(group).ok()?;
                char::from_u32(u32::from_str_radix(group, 16).ok()?)
            })
            .collect();
    }
    if let Some(hex) = base.strip_prefix('u')
        && (4..=6).contains(&hex.len())
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return char::from_u32(u32::from_str_radix(hex, 16).ok()?).map(String::from);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_differ_where_they_should() {
        assert_eq!(BaseEncoding::WinAnsi.char(0x92), Some('’'));
        assert_eq!(BaseEncoding::Standard.char(b'\''), Some('’'));
        assert_eq!(BaseEncoding::MacRoman.char(0xd5), Some('’'));
        assert_eq!(BaseEncoding::WinAnsi.char(0xe9), Some('é'));
        assert_eq!(BaseEncoding::MacRoman.char(0x8e), Some('é'));
        assert_eq!(BaseEncoding::Standard.char(0xe9), Some('Ø'));
        assert_eq!(BaseEncoding::WinAnsi.char(0x81), None);
        assert_eq!(MAC_ROMAN_HIGH.chars().count(), 128);
        assert_eq!(BaseEncoding::Symbol.char(0xb7), Some('•'));
        assert_eq!(BaseEncoding::Dingbats.char(b'l'), Some('•'));
    }

    #[test]
    fn glyph_names_in_all_their_forms() {
        let text = |n: &str| glyph_text(n.as_bytes());
        assert_eq!(text("quoteright").as_deref(), Some("’"));
        assert_eq!(text("eacute").as_deref(), Some("é"));
        assert_eq!(text("fi").as_deref(), Some("fi"));
        assert_eq!(text("uni2019").as_deref(), Some("’"));
        assert_eq!(text("uni00660069").as_deref(), Some("fi"));
        assert_eq!(text("u1F600").as_deref(), Some("😀"));
        assert_eq!(text("a.sc").as_deref(), Some("a"));
        assert_eq!(text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(text("g123"), None);
        assert_eq!(text(".notdef"), None);
        assert_eq!(text("uniD800"), None);
    }
}
