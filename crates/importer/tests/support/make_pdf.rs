//! Builds small PDF files for tests, from text lines, so that tests say what
//! a document shows rather than how a PDF stores it.
//!
//! The files are what PDF producers write: Letter pages of
//! [`LINES_PER_PAGE`] lines with a running page number at the bottom,
//! Flate-compressed content streams, and a classic xref table, or object and
//! xref streams in the PDF 1.5 style. The lines are written in four ways in
//! turn, so that every way of placing text is read back: a plain `Tj` at a
//! `Tm`; a `TJ` array with kerning inside words and without space characters
//! between them; a line split mid-word into two `Tj` that abut; and a line
//! split at a space into two `Tj` with the space left as a gap.

use miniz_oxide::deflate::compress_to_vec_zlib;

/// Body lines per page.
pub const LINES_PER_PAGE: usize = 50;

const FONT_SIZE: f64 = 11.0;
const LEADING: f64 = 14.0;
const LEFT: f64 = 72.0;
const TOP: f64 = 740.0;

/// Helvetica's widths for codes 0x20 to 0x7e, in thousandths of an em.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// How the text's font is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FontStyle {
    /// Helvetica, one byte per character in WinAnsiEncoding.
    Helvetica,
    /// A Type 0 font with Identity-H encoding: two-byte glyph codes that mean
    /// nothing without the font's ToUnicode CMap.
    Type0,
}

/// How to build a file.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The font the lines are shown in.
    pub font: FontStyle,
    /// Object streams and a compressed xref stream instead of an xref table.
    pub xref_stream: bool,
    /// Added to the true `/Length` of every content stream.
    pub length_error: i64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            font: FontStyle::Helvetica,
            xref_stream: false,
            length_error: 0,
        }
    }
}

/// The page number line at the bottom of page `page` of `pages`.
pub fn page_footer(page: usize, pages: usize) -> String {
    format!("Page {page} of {pages}")
}

/// A PDF of `lines` in Helvetica with a classic xref table.
pub fn pdf(lines: &[&str]) -> Vec<u8> {
    pdf_with(lines, Options::default())
}

/// A PDF of `lines`, built as `options` say. Empty lines leave a gap.
pub fn pdf_with(lines: &[&str], options: Options) -> Vec<u8> {
    let font = FontData::new(options.font, lines);
    let pages: Vec<&[&str]> = lines.chunks(LINES_PER_PAGE).collect();
    let mut objects: Vec<Obj> = Vec::new();
    let page_numbers: Vec<usize> = (0..pages.len())
        .map(|i| font.first_free() + 2 * i + 1)
        .collect();
    let kids: Vec<String> = page_numbers.iter().map(|n| format!("{n} 0 R")).collect();
    objects.push(Obj::dict("<< /Type /Catalog /Pages 2 0 R >>"));
    objects.push(Obj::dict(&format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    )));
    objects.extend(font.objects());
    for (i, page_lines) in pages.iter().enumerate() {
        let content = page_content(&font, page_lines, i + 1, pages.len());
        let packed = compress_to_vec_zlib(&content, 6);
        let length = packed.len() as i64 + options.length_error;
        objects.push(Obj {
            dict: format!("<< /Length {length} /Filter /FlateDecode >>"),
            stream: Some(packed),
        });
        objects.push(Obj::dict(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            page_numbers[i] - 1
        )));
    }
    if options.xref_stream {
        write_compact(&objects)
    } else {
        write_classic(&objects)
    }
}

/// Text drawn by the form XObject `/Fm1` of [`pdf_of_pages`].
pub const FORM_TEXT: &str = "Drawn by a form";

/// A PDF whose pages have exactly the content streams `contents`, with
/// resources `/F1` (Helvetica), `/Im1` (a 2×2 grey image) and `/Fm1` (a form
/// that shows [`FORM_TEXT`] at its origin).
pub fn pdf_of_pages(contents: &[&str]) -> Vec<u8> {
    let font = FontData::new(FontStyle::Helvetica, &[]);
    let mut objects = vec![
        Obj::dict("<< /Type /Catalog /Pages 2 0 R >>"),
        Obj::dict(&format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            (0..contents.len())
                .map(|i| format!("{} 0 R", 8 + 2 * i))
                .collect::<Vec<_>>()
                .join(" "),
            contents.len()
        )),
    ];
    objects.extend(font.objects());
    objects.push(Obj {
        dict: "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
               /BitsPerComponent 8 /Length 4 >>"
            .into(),
        stream: Some(vec![0, 255, 255, 0]),
    });
    let form = format!("BT /F1 11 Tf 0 0 Td {} Tj ET", font.string(FORM_TEXT));
    objects.push(Obj {
        dict: format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] \
             /Resources << /Font << /F1 3 0 R >> >> /Length {} >>",
            form.len()
        ),
        stream: Some(form.into_bytes()),
    });
    objects.push(Obj::dict("<< /Producer (make_pdf) >>"));
    for (i, content) in contents.iter().enumerate() {
        objects.push(
            Obj {
                dict: String::new(),
                stream: Some(content.as_bytes().to_vec()),
            }
            .with_length(),
        );
        objects.push(Obj::dict(&format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << \
             /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R /Fm1 5 0 R >> >> /Contents {} 0 R >>",
            7 + 2 * i
        )));
    }
    write_classic(&objects)
}

/// One indirect object, numbered by its place in the list (from 1).
struct Obj {
    dict: String,
    stream: Option<Vec<u8>>,
}

impl Obj {
    fn dict(text: &str) -> Self {
        Self {
            dict: text.into(),
            stream: None,
        }
    }
}

fn header() -> Vec<u8> {
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec()
}

fn write_object(out: &mut Vec<u8>, num: usize, obj: &Obj) {
    out.extend_from_slice(format!("{num} 0 obj\n{}\n", obj.dict).as_bytes());
    if let Some(data) = &obj.stream {
        out.extend_from_slice(b"stream\n");
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\n");
    }
    out.extend_from_slice(b"endobj\n");
}

fn write_classic(objects: &[Obj]) -> Vec<u8> {
    let mut out = header();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        write_object(&mut out, i + 1, obj);
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Dictionaries go into one object stream; streams stay outside it; an
/// xref stream with the PNG Up predictor indexes both.
fn write_compact(objects: &[Obj]) -> Vec<u8> {
    let object_stream_num = objects.len() + 1;
    let xref_num = objects.len() + 2;
    let mut header_part = String::new();
    let mut body = String::new();
    // (type, field 2, field 3) per object number.
    let mut entries = vec![(0u8, 0u32, 65535u16); xref_num + 1];
    let mut index = 0u16;
    for (i, obj) in objects.iter().enumerate() {
        if obj.stream.is_none() {
            header_part.push_str(&format!("{} {} ", i + 1, body.len()));
            body.push_str(&obj.dict);
            body.push('\n');
            entries[i + 1] = (2, object_stream_num as u32, index);
            index += 1;
        }
    }
    let first = header_part.len();
    let packed = compress_to_vec_zlib(format!("{header_part}{body}").as_bytes(), 6);
    let mut out = header();
    for (i, obj) in objects.iter().enumerate() {
        if obj.stream.is_some() {
            entries[i + 1] = (1, out.len() as u32, 0);
            write_object(&mut out, i + 1, obj);
        }
    }
    entries[object_stream_num] = (1, out.len() as u32, 0);
    let object_stream = Obj {
        dict: format!(
            "<< /Type /ObjStm /N {index} /First {first} /Length {} /Filter /FlateDecode >>",
            packed.len()
        ),
        stream: Some(packed),
    };
    write_object(&mut out, object_stream_num, &object_stream);
    let xref_offset = out.len();
    entries[xref_num] = (1, xref_offset as u32, 0);
    let mut rows = Vec::new();
    let mut previous = [0u8; 7];
    for (kind, second, third) in entries {
        let mut row = [0u8; 7];
        row[0] = kind;
        row[1..5].copy_from_slice(&second.to_be_bytes());
        row[5..7].copy_from_slice(&third.to_be_bytes());
        rows.push(2u8);
        rows.extend(row.iter().zip(previous).map(|(b, p)| b.wrapping_sub(p)));
        previous = row;
    }
    let packed = compress_to_vec_zlib(&rows, 6);
    let xref = Obj {
        dict: format!(
            "<< /Type /XRef /Size {} /W [1 4 2] /Root 1 0 R /Length {} /Filter /FlateDecode \
             /DecodeParms << /Predictor 12 /Columns 7 >> >>",
            xref_num + 1,
            packed.len()
        ),
        stream: Some(packed),
    };
    write_object(&mut out, xref_num, &xref);
    out.extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF\n").as_bytes());
    out
}

/// The page's content: its lines, then its page number.
fn page_content(font: &FontData, lines: &[&str], page: usize, pages: usize) -> Vec<u8> {
    let mut out = format!("BT\n/F1 {FONT_SIZE} Tf\n{LEADING} TL\n").into_bytes();
    let mut line_start = (0.0, 0.0);
    for (k, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let y = TOP - LEADING * k as f64;
        let mut ops = String::new();
        if k % 4 == 0 {
            ops.push_str(&format!("1 0 0 1 {LEFT} {y} Tm\n"));
        } else {
            ops.push_str(&format!(
                "{} {} Td\n",
                LEFT - line_start.0,
                y - line_start.1
            ));
        }
        line_start = (LEFT, y);
        match k % 4 {
            1 => ops.push_str(&font.kerned(line)),
            2 | 3 => {
                let (first, gap, second) = split(line, k % 4 == 3);
                let shift = font.width(first) + if gap { font.width(" ") } else { 0.0 };
                ops.push_str(&format!(
                    "{} Tj\n{shift:.3} 0 Td\n{} Tj\n",
                    font.string(first),
                    font.string(second)
                ));
                line_start.0 += shift;
            }
            _ => ops.push_str(&format!("{} Tj\n", font.string(line))),
        }
        out.extend_from_slice(ops.as_bytes());
    }
    let footer = page_footer(page, pages);
    out.extend_from_slice(
        format!(
            "ET\nBT\n/F1 9 Tf\n1 0 0 1 290 30 Tm\n{} Tj\nET\n",
            font.string(&footer)
        )
        .as_bytes(),
    );
    out
}

/// The line in two: mid-word, or at its middle space (which is then left
/// out). The bool says whether a space was left out.
fn split(line: &str, at_space: bool) -> (&str, bool, &str) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let middle = chars.get(chars.len() / 2).map_or(line.len(), |(i, _)| *i);
    if at_space {
        let space = line[..middle]
            .rfind(' ')
            .or_else(|| line[middle..].find(' ').map(|i| i + middle));
        if let Some(space) = space {
            return (&line[..space], true, &line[space + 1..]);
        }
    }
    (&line[..middle], false, &line[middle..])
}

/// The font of a file: how its strings are written, and its objects.
struct FontData {
    style: FontStyle,
    /// For Type 0: the characters in glyph order (glyph 1 is the first).
    glyphs: Vec<char>,
}

impl FontData {
    fn new(style: FontStyle, lines: &[&str]) -> Self {
        let mut glyphs: Vec<char> = lines
            .iter()
            .flat_map(|l| l.chars())
            .chain("Page of 0123456789 ".chars())
            .collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        // Glyph numbers unlike Unicode's, as in a subset font.
        let half = glyphs.len() / 2;
        glyphs.rotate_left(half);
        Self { style, glyphs }
    }

    /// The first object number after the font's objects.
    fn first_free(&self) -> usize {
        match self.style {
            FontStyle::Helvetica => 4,
            FontStyle::Type0 => 6,
        }
    }

    fn char_width(&self, c: char) -> f64 {
        code_width(win_ansi(c))
    }

    /// The advance of `text`, in points.
    fn width(&self, text: &str) -> f64 {
        text.chars().map(|c| self.char_width(c)).sum::<f64>() * FONT_SIZE / 1000.0
    }

    fn glyph(&self, c: char) -> u16 {
        self.glyphs
            .iter()
            .position(|&g| g == c)
            .map_or(0, |i| i as u16 + 1)
    }

    /// `text` as a string operand.
    fn string(&self, text: &str) -> String {
        match self.style {
            FontStyle::Helvetica => {
                let mut out = String::from("(");
                for c in text.chars() {
                    match win_ansi(c) {
                        b'(' | b')' | b'\\' => {
                            out.push('\\');
                            out.push(c);
                        }
                        code @ 0x20..=0x7e => out.push(char::from(code)),
                        code => out.push_str(&format!("\\{code:03o}")),
                    }
                }
                out.push(')');
                out
            }
            FontStyle::Type0 => {
                let hex: String = text
                    .chars()
                    .map(|c| format!("{:04X}", self.glyph(c)))
                    .collect();
                format!("<{hex}>")
            }
        }
    }

    /// `text` as a `TJ`: no space characters, a kerning of a space and a bit
    /// between words, and small kernings inside longer words.
    fn kerned(&self, text: &str) -> String {
        let space = -(self.char_width(' ') + 40.0);
        let mut parts = Vec::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            if !parts.is_empty() {
                parts.push(format!("{space}"));
            }
            let chars: Vec<char> = word.chars().collect();
            if chars.len() > 3 {
                let head: String = chars[..2].iter().collect();
                let tail: String = chars[2..].iter().collect();
                parts.push(self.string(&head));
                parts.push("-60".into());
                parts.push(self.string(&tail));
                parts.push("25".into());
            } else {
                parts.push(self.string(word));
            }
        }
        format!("[{}] TJ\n", parts.join(" "))
    }

    /// The font's objects, numbered from 3.
    fn objects(&self) -> Vec<Obj> {
        match self.style {
            FontStyle::Helvetica => {
                let widths: Vec<String> = (32..=255u8)
                    .map(|code| code_width(code).to_string())
                    .collect();
                vec![Obj::dict(&format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica \
                     /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] >>",
                    widths.join(" ")
                ))]
            }
            FontStyle::Type0 => {
                let widths: Vec<String> = self
                    .glyphs
                    .iter()
                    .map(|&c| format!("{}", self.char_width(c)))
                    .collect();
                vec![
                    Obj::dict(
                        "<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Helvetica \
                         /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
                    ),
                    Obj::dict(&format!(
                        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Helvetica \
                         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                         /DW 1000 /W [1 [{}]] >>",
                        widths.join(" ")
                    )),
                    Obj {
                        dict: String::new(),
                        stream: Some(self.to_unicode()),
                    }
                    .with_length(),
                ]
            }
        }
    }

    /// The ToUnicode CMap: a bfrange where glyphs and characters run up in
    /// step, a bfchar for each other glyph.
    fn to_unicode(&self) -> Vec<u8> {
        let utf16 = |c: char| {
            let mut units = [0u16; 2];
            c.encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect::<String>()
        };
        let (mut singles, mut ranges) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < self.glyphs.len() {
            let mut j = i;
            while self.glyphs.get(j + 1).is_some_and(|&next| {
                u32::from(next) == u32::from(self.glyphs[j]) + 1 && next < '\u{ff00}'
            }) {
                j += 1;
            }
            if j > i {
                ranges.push(format!(
                    "<{:04X}> <{:04X}> <{}>",
                    i + 1,
                    j + 1,
                    utf16(self.glyphs[i])
                ));
            } else {
                singles.push(format!("<{:04X}> <{}>", i + 1, utf16(self.glyphs[i])));
            }
            i = j + 1;
        }
        format!(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n\
             {} beginbfchar\n{}\nendbfchar\n{} beginbfrange\n{}\nendbfrange\n\
             endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n",
            singles.len(),
            singles.join("\n"),
            ranges.len(),
            ranges.join("\n")
        )
        .into_bytes()
    }
}

impl Obj {
    fn with_length(mut self) -> Self {
        let packed = compress_to_vec_zlib(self.stream.as_deref().unwrap_or(&[]), 6);
        self.dict = format!("<< /Length {} /Filter /FlateDecode >>", packed.len());
        self.stream = Some(packed);
        self
    }
}

/// The width of a WinAnsiEncoding code, in thousandths of an em.
fn code_width(code: u8) -> f64 {
    f64::from(match code {
        0x20..=0x7e => HELVETICA[usize::from(code - 0x20)],
        0x91 | 0x92 => 222,
        0x93 | 0x94 => 333,
        0x95 => 350,
        0x85 | 0x97 => 1000,
        _ => 556,
    })
}

/// The WinAnsiEncoding code of `c`; `?` for characters it lacks.
fn win_ansi(c: char) -> u8 {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match u32::from(c) {
        v @ (0x20..=0x7e | 0xa0..=0xff) => v as u8,
        _ => HIGH
            .iter()
            .position(|&h| h == c)
            .map_or(b'?', |i| 0x80 + i as u8),
    }
}
