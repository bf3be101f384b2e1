//! Builds small Word (.docx) files for tests, from Markdown-like lines, so
//! that tests say what a document holds rather than how Word stores it.
//!
//! The packages are what Word writes in outline: content types,
//! relationships, styles with headings, list numbering, and a header,
//! footer, footnotes and comments whose text must never be read.

use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Text placed in the header, footer, footnotes and comments of every package.
pub const OUTSIDE_BODY: [&str; 4] = [
    "RUNNING HEADER",
    "PAGE FOOTER",
    "FOOTNOTE TEXT",
    "REVIEWER COMMENT",
];

/// A .docx holding `lines`: `# ` to `###### ` start headings, `- ` a bullet,
/// `1. ` a numbered item (indent two spaces per level; each run of numbered
/// lines is a new list starting at 1), `| a | b |` a table row (consecutive
/// rows form one table), anything else a plain paragraph. Each paragraph's
/// text is split into runs of four characters, mid-word.
pub fn docx(lines: &[&str]) -> Vec<u8> {
    package(&body(lines))
}

/// A .docx whose body holds `body_xml`, raw WordprocessingML (prefix `w:`).
pub fn package(body_xml: &str) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>
{body_xml}
<w:sectPr><w:headerReference w:type="default" r:id="rId4"/><w:footerReference w:type="default" r:id="rId5"/></w:sectPr>
</w:body></w:document>"#
    );
    let outside = |root: &str, child: &str, text: &str| {
        format!(
            r#"<w:{root} xmlns:w="{W}"><w:{child} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{child}></w:{root}>"#
        )
    };
    let header = format!(
        r#"<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:hdr>"#,
        OUTSIDE_BODY[0]
    );
    let footer = format!(
        r#"<w:ftr xmlns:w="{W}"><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:ftr>"#,
        OUTSIDE_BODY[1]
    );
    let footnotes = outside("footnotes", "footnote", OUTSIDE_BODY[2]);
    let comments = outside("comments", "comment", OUTSIDE_BODY[3]);
    zip(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("word/_rels/document.xml.rels", document_rels().as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles().as_bytes()),
        ("word/numbering.xml", numbering().as_bytes()),
        ("word/header1.xml", header.as_bytes()),
        ("word/footer1.xml", footer.as_bytes()),
        ("word/footnotes.xml", footnotes.as_bytes()),
        ("word/comments.xml", comments.as_bytes()),
    ])
}

/// A zip archive holding `entries` as given, deflated.
pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in entries {
        writer.start_file(*name, options).expect("start entry");
        writer.write_all(bytes).expect("write entry");
    }
    writer.finish().expect("finish zip").into_inner()
}

/// Makes the entry `name` claim to unpack to `size` bytes, as a zip bomb does.
pub fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    patch(zip, name, (22, 24), &size.to_le_bytes());
}

/// Marks the entry `name` as encrypted.
pub fn mark_encrypted(zip: &mut [u8], name: &str) {
    let found = headers(zip, name);
    assert!(!found.is_empty(), "no entry {name}");
    for (at, central) in found {
        zip[at + if central { 8 } else { 6 }] |= 1;
    }
}

/// Writes `value` into the entry's local header and central directory
/// header, at the two offsets given.
fn patch(zip: &mut [u8], name: &str, (local, central_at): (usize, usize), value: &[u8]) {
    let found = headers(zip, name);
    assert!(!found.is_empty(), "no entry {name}");
    for (at, central) in found {
        let at = at + if central { central_at } else { local };
        zip[at..at + value.len()].copy_from_slice(value);
    }
}

/// Where the local (`PK\3\4`) and central directory (`PK\1\2`) headers of
/// entry `name` start, and whether each is the central one.
fn headers(zip: &[u8], name: &str) -> Vec<(usize, bool)> {
    let mut found = Vec::new();
    for at in 0..zip.len().saturating_sub(46) {
        let central = match &zip[at..at + 4] {
            b"PK\x03\x04" => false,
            b"PK\x01\x02" => true,
            _ => continue,
        };
        let (length_at, name_at) = if central {
            (at + 28, at + 46)
        } else {
            (at + 26, at + 30)
        };
        let length = usize::from(u16::from_le_bytes([zip[length_at], zip[length_at + 1]]));
        if zip.get(name_at..name_at + length) == Some(name.as_bytes()) {
            found.push((at, central));
        }
    }
    found
}

fn body(lines: &[&str]) -> String {
    let mut xml = String::new();
    let mut in_table = false;
    let mut list: Option<u32> = None;
    let mut next_list = 10;
    for line in lines {
        let row = line.trim().starts_with('|');
        if in_table && !row {
            xml.push_str("</w:tbl>");
        }
        if row && !in_table {
            xml.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
        }
        in_table = row;
        let numbered = numbered_item(line);
        if numbered.is_none() {
            list = None;
        }
        if row {
            xml.push_str("<w:tr>");
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            for cell in inner.split('|') {
                xml.push_str(&format!("<w:tc>{}</w:tc>", paragraph("", cell.trim())));
            }
            xml.push_str("</w:tr>");
        } else if let Some((level, text)) = numbered {
            let num = *list.get_or_insert_with(|| {
                next_list += 1;
                next_list
            });
            let props = format!(
                r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#
            );
            xml.push_str(&paragraph(&props, text));
        } else if let Some(text) = line.strip_prefix("- ") {
            let props = r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#;
            xml.push_str(&paragraph(props, text));
        } else if let Some((hashes, text)) = line.split_once(' ').filter(|(h, _)| is_heading(h)) {
            let props = format!(r#"<w:pStyle w:val="Heading{}"/>"#, hashes.len());
            xml.push_str(&paragraph(&props, text));
        } else {
            xml.push_str(&paragraph("", line));
        }
    }
    if in_table {
        xml.push_str("</w:tbl>");
    }
    xml
}

/// `(level, text)` of a line like `1. text` or `  2. text`.
fn numbered_item(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let text = rest[digits..].strip_prefix(". ")?;
    (digits > 0).then_some((indent / 2, text))
}

fn is_heading(marks: &str) -> bool {
    (1..=6).contains(&marks.len()) && marks.chars().all(|c| c == '#')
}

/// A paragraph with properties `props` and `text` in runs of four characters.
fn paragraph(props: &str, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let runs: String = chars
        .chunks(4)
        .map(|chunk| {
            let piece: String = chunk.iter().collect();
            format!(
                r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
                escape(&piece)
            )
        })
        .collect();
    let props = if props.is_empty() {
        String::new()
    } else {
        format!("<w:pPr>{props}</w:pPr>")
    };
    format!("<w:p>{props}{runs}</w:p>")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn styles() -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/></w:style>
"#
    );
    for level in 1..=6 {
        xml.push_str(&format!(
            r#"<w:style w:type="paragraph" w:styleId="Heading{level}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="{}"/></w:pPr></w:style>
"#,
            level - 1
        ));
    }
    xml.push_str("</w:styles>");
    xml
}

/// List 1 is bulleted; lists 11 and up are decimal outlines (`1.`, `1.1.`),
/// each restarting at 1.
fn numbering() -> String {
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#8226;"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
"#
    );
    for num in 11..=40 {
        xml.push_str(&format!(
            r#"<w:num w:numId="{num}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
"#
        ));
    }
    xml.push_str("</w:numbering>");
    xml
}

fn document_rels() -> String {
    let rel = |id: &str, kind: &str, target: &str| {
        format!(r#"<Relationship Id="{id}" Type="{R}/{kind}" Target="{target}"/>"#)
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}{}{}{}{}{}</Relationships>"#,
        rel("rId1", "styles", "styles.xml"),
        rel("rId2", "numbering", "numbering.xml"),
        rel("rId3", "footnotes", "footnotes.xml"),
        rel("rId4", "header", "header1.xml"),
        rel("rId5", "footer", "footer1.xml"),
        rel("rId6", "comments", "comments.xml"),
    )
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
</Types>"#;
