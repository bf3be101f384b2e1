//! The zip package of a Word file. Every part is read within one budget of
//! unpacked bytes, so a small file that unpacks into gigabytes is refused
//! instead of filling memory.

use super::xml::{Item, Part, attr, local};
use crate::ImportError;
use std::io::{Cursor, Read};
use zip::ZipArchive;
use zip::result::ZipError;

/// The most that the parts of one Word file may unpack to, together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The most relationships read from one relationships part.
const MAX_RELATIONSHIPS: usize = 10_000;

/// An opened package and what is left of its budget.
pub(super) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Package<'a> {
    /// Opens the zip archive, or says why the bytes are not one.
    pub fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(super::error(
                "this is an older Word (.doc) file or a password-protected document, not a .docx; \
                 save it as .docx without a password and import that",
            ));
        }
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            super::error(format!(
                "not a zip archive, so not a Word (.docx) file ({e})"
            ))
        })?;
        Ok(Self {
            archive,
            budget: MAX_UNPACKED_BYTES,
        })
    }

    /// The text of the part `name`, or `None` when the package has no such part.
    pub fn part(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        let Some(index) = self.index_of(name) else {
            return Ok(None);
        };
        let limit = MAX_UNPACKED_BYTES / (1024 * 1024);
        let too_large = |size: String| {
            super::error(format!(
                "{name} would unpack to {size} bytes; the importer unpacks at most {limit} MiB from a Word file"
            ))
        };
        let mut file = self.archive.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
                super::error(format!(
                    "{name} is encrypted; save the document without a password and import that"
                ))
            }
            other => super::error(format!("{name} cannot be unpacked: {other}")),
        })?;
        if file.size() > self.budget {
            return Err(too_large(file.size().to_string()));
        }
        let capacity = usize::try_from(file.size().min(16 * 1024 * 1024)).unwrap_or(0);
        let mut bytes = Vec::with_capacity(capacity);
        file.by_ref()
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| super::error(format!("{name} cannot be unpacked: {e}")))?;
        let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if read > self.budget {
            return Err(too_large(format!("more than {}", self.budget)));
        }
        self.budget -= read;
        decode(name, bytes).map(Some)
    }

    /// The part that the part `source` (empty for the package itself) names
    /// as its relationship of `kind` (`officeDocument`, `styles`, `numbering`).
    /// `None` when there is no such relationship or its part cannot be read.
    pub fn related(&mut self, source: &str, kind: &str) -> Option<String> {
        let (dir, file) = source.rsplit_once('/').unwrap_or(("", source));
        let rels = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let xml = self.part(&rels).ok()??;
        let target = relationship_target(&rels, &xml, kind)?;
        Some(resolve(dir, &target))
    }

    /// The index of the part, found by name and, since part names in a package
    /// ignore case, by name in any case.
    fn index_of(&self, name: &str) -> Option<usize> {
        self.archive.index_for_name(name).or_else(|| {
            self.archive
                .file_names()
                .position(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        })
    }
}

fn relationship_target(part: &str, xml: &str, kind: &str) -> Option<String> {
    let mut reader = Part::new(part, xml);
    let suffix = format!("/{kind}");
    for _ in 0..MAX_RELATIONSHIPS {
        match reader.next().ok()? {
            Item::Open(_, e) | Item::Empty(_, e) if local(&e) == "Relationship" => {
                let external = attr(&e, "TargetMode").is_some_and(|m| m == "External");
                if !external && attr(&e, "Type").is_some_and(|t| t.ends_with(&suffix)) {
                    return attr(&e, "Target");
                }
            }
            Item::End => return None,
            _ => {}
        }
    }
    None
}

/// A relationship's target as a part name: relative to the source's folder
/// unless it starts with `/`, with `.` and `..` resolved.
fn resolve(dir: &str, target: &str) -> String {
    let full = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if dir.is_empty() => target.to_owned(),
        None => format!("{dir}/{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in full.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// A part's bytes as text: UTF-8, or UTF-16 when it starts with a byte-order mark.
fn decode(name: &str, bytes: Vec<u8>) -> Result<String, ImportError> {
    let utf16 = |bytes: &[u8], word: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|p| word([p[0], p[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return Ok(utf16(rest, u16::from_le_bytes));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return Ok(utf16(rest, u16::from_be_bytes));
    }
    let mut text =
        String::from_utf8(bytes).map_err(|_| super::error(format!("{name} is not UTF-8 text")))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_part_zip() -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in ["word/a.xml", "word/b.xml"] {
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut writer, &[b'x'; 100]).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn the_budget_bounds_all_parts_together() {
        let bytes = two_part_zip();
        let mut package = Package::open(&bytes).unwrap();
        package.budget = 150;
        assert_eq!(package.part("word/a.xml").unwrap().unwrap().len(), 100);
        let err = package.part("word/b.xml").unwrap_err().to_string();
        assert!(
            err.contains("word/b.xml would unpack to 100 bytes"),
            "{err}"
        );
    }

    #[test]
    fn part_names_ignore_case() {
        let bytes = two_part_zip();
        let mut package = Package::open(&bytes).unwrap();
        assert_eq!(package.part("WORD/A.XML").unwrap().unwrap().len(), 100);
        assert_eq!(package.part("word/missing.xml").unwrap(), None);
    }

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("word", "/word/numbering.xml"), "word/numbering.xml");
        assert_eq!(resolve("word/sub", "../styles.xml"), "word/styles.xml");
    }

    #[test]
    fn the_main_document_is_found_through_the_package_relationships() {
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/main.xml"/>
        </Relationships>"#;
        assert_eq!(
            relationship_target("_rels/.rels", rels, "officeDocument").as_deref(),
            Some("word/main.xml")
        );
        assert_eq!(relationship_target("_rels/.rels", rels, "styles"), None);
    }

    #[test]
    fn parts_may_be_utf16_with_a_byte_order_mark() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("<a>é</a>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode("p", bytes).unwrap(), "<a>é</a>");
        assert!(
            decode("word/document.xml", vec![0xc3, 0x28])
                .unwrap_err()
                .to_string()
                .contains("word/document.xml is not UTF-8")
        );
    }
}
