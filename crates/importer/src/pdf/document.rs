//! The object store of a PDF file: the cross-reference data (classic tables,
//! xref streams, object streams) that says where each object is, and the
//! reading of objects and streams from it.
//!
//! Real files are often slightly broken — offsets that are off, a `/Length`
//! that lies, an xref table that is missing. Where a viewer would still show
//! the file, this reads it too: by scanning the file for its objects when the
//! cross-reference data does not hold up.

use super::filter::{self, FilterError};
use super::lexer::{Lexer, Token, find, rfind};
use super::object::{Dict, Object, parse_object};
use super::xref::{Entry, Trailer, note_trailer, read_xref_stream, read_xref_table, scan_headers};
use super::{Result, damaged};
use crate::ImportError;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// How much decoded stream data one document may produce in all.
const MAX_DECODED_BYTES: usize = 256 * 1024 * 1024;
/// How many lookups may nest: a reference to a reference, an object in an
/// object stream whose `/Length` is a reference, and so on.
const MAX_LOOKUP_DEPTH: u32 = 24;
/// How many cross-reference sections a `/Prev` chain may have.
const MAX_XREF_SECTIONS: usize = 512;
/// How many bytes of object text one document may have parsed, in all: many
/// times what a real file needs, and a stop for files built so that every
/// lookup reads to their end.
const MAX_PARSED_BYTES: usize = 256 * 1024 * 1024;

/// An object stream, decoded once and kept.
struct ObjectStream {
    data: Vec<u8>,
    /// Each object's number and the offset of its text in `data`.
    objects: Vec<(u32, usize)>,
}

/// A parsed PDF file, read lazily: objects are parsed when asked for.
pub(super) struct Document<'a> {
    data: &'a [u8],
    xref: HashMap<u32, Entry>,
    root: Object,
    /// The index made by scanning the whole file, once it was needed.
    scanned: RefCell<Option<Rc<Scan>>>,
    object_streams: RefCell<HashMap<u32, Rc<ObjectStream>>>,
    decoded_left: Cell<usize>,
    parsed_left: Cell<usize>,
    depth: Cell<u32>,
    /// Whether the cross-reference data is loaded, so `/Length` references resolve.
    ready: Cell<bool>,
}

/// The result of scanning a file for `N G obj` headers.
struct Scan {
    index: HashMap<u32, Entry>,
    trailer: Trailer,
}

/// An object as stored, with its stream data when it is a stream.
pub(super) struct Stored<'a> {
    pub(super) object: Object,
    pub(super) stream: Option<&'a [u8]>,
}

impl<'a> Document<'a> {
    /// Opens a file: finds its header, cross-reference data and catalog.
    pub(super) fn open(bytes: &'a [u8]) -> Result<Self> {
        let header = find(&bytes[..bytes.len().min(1024)], b"%PDF-", 0)
            .ok_or_else(|| damaged("the file does not start with a PDF header (%PDF-)"))?;
        let mut doc = Self {
            data: &bytes[header..],
            xref: HashMap::new(),
            root: Object::Null,
            scanned: RefCell::new(None),
            object_streams: RefCell::new(HashMap::new()),
            decoded_left: Cell::new(MAX_DECODED_BYTES),
            parsed_left: Cell::new(MAX_PARSED_BYTES),
            depth: Cell::new(0),
            ready: Cell::new(false),
        };
        let trailer = match doc.read_xref_chain() {
            Some((xref, trailer)) if trailer.root.is_some() => {
                doc.xref = xref;
                trailer
            }
            _ => {
                let scan = doc.scan()?;
                let trailer = Trailer {
                    root: scan.trailer.root.clone(),
                    encrypted: scan.trailer.encrypted,
                };
                if scan.index.is_empty() {
                    return Err(damaged(
                        "the file is damaged: it contains no readable PDF objects",
                    ));
                }
                doc.xref = scan.index.clone();
                trailer
            }
        };
        if trailer.encrypted {
            return Err(ImportError::Pdf(
                "the PDF is encrypted (password-protected or restricted); open it in a PDF \
                 viewer, save or print an unencrypted copy, and import that"
                    .into(),
            ));
        }
        doc.ready.set(true);
        doc.root = trailer.root.ok_or_else(|| {
            damaged("the file is damaged or truncated: it has no document catalog")
        })?;
        Ok(doc)
    }

    /// The document catalog.
    pub(super) fn catalog(&self) -> Result<Dict> {
        match self.resolve(&self.root)? {
            Object::Dict(d) => Ok(d),
            _ => Err(damaged(
                "the file is damaged or truncated: its document catalog is missing",
            )),
        }
    }

    /// The object a reference points to (following chains of references),
    /// or a copy of a direct object. A missing object is `Null`, as the PDF
    /// specification says.
    pub(super) fn resolve(&self, object: &Object) -> Result<Object> {
        let mut current = object.clone();
        for _ in 0..MAX_LOOKUP_DEPTH {
            match current {
                Object::Ref(num) => current = self.get(num)?.object,
                other => return Ok(other),
            }
        }
        Ok(Object::Null)
    }

    /// `object` resolved, if it is a dictionary.
    pub(super) fn dict(&self, object: Option<&Object>) -> Result<Option<Dict>> {
        Ok(match object {
            Some(o) => match self.resolve(o)? {
                Object::Dict(d) => Some(d),
                _ => None,
            },
            None => None,
        })
    }

    /// Object `num` as stored.
    pub(super) fn get(&self, num: u32) -> Result<Stored<'a>> {
        let depth = self.depth.get();
        if depth >= MAX_LOOKUP_DEPTH {
            return Err(damaged(
                "the file is damaged: its objects refer to each other in a loop",
            ));
        }
        self.depth.set(depth + 1);
        let result = self.lookup(num);
        self.depth.set(depth);
        result
    }

    fn lookup(&self, num: u32) -> Result<Stored<'a>> {
        let entry = self.xref.get(&num).copied();
        if let Some(entry) = entry
            && let Some(stored) = self.read_entry(num, entry)?
        {
            return Ok(stored);
        }
        let scan = self.scan()?;
        match scan.index.get(&num).copied() {
            Some(found) if Some(found) != entry => {
                Ok(self.read_entry(num, found)?.unwrap_or(Stored {
                    object: Object::Null,
                    stream: None,
                }))
            }
            _ => Ok(Stored {
                object: Object::Null,
                stream: None,
            }),
        }
    }

    fn read_entry(&self, num: u32, entry: Entry) -> Result<Option<Stored<'a>>> {
        match entry {
            Entry::At(offset) => self.read_at(offset, Some(num)),
            Entry::InStream { stream, index } => {
                let Some(objects) = self.object_stream(stream)? else {
                    return Ok(None);
                };
                let offset = match objects.objects.get(index) {
                    Some(&(n, offset)) if n == num => Some(offset),
                    _ => objects
                        .objects
                        .iter()
                        .find(|(n, _)| *n == num)
                        .map(|(_, o)| *o),
                };
                let Some(offset) = offset else {
                    return Ok(None);
                };
                let mut lexer = Lexer::at(&objects.data, offset);
                let object = parse_object(&mut lexer);
                self.charge(lexer.pos().saturating_sub(offset))?;
                Ok(object.map(|object| Stored {
                    object,
                    stream: None,
                }))
            }
        }
    }

    /// The indirect object whose header is at `offset`; `None` when there is
    /// no header there, or it is for another object than `expected`.
    fn read_at(&self, offset: usize, expected: Option<u32>) -> Result<Option<Stored<'a>>> {
        let mut lexer = Lexer::at(self.data, offset);
        let (Some(Token::Int(num)), Some(Token::Int(_)), Some(Token::Keyword(b"obj"))) =
            (lexer.next_token(), lexer.next_token(), lexer.next_token())
        else {
            return Ok(None);
        };
        if expected.is_some_and(|e| i64::from(e) != num) {
            return Ok(None);
        }
        let object = parse_object(&mut lexer);
        self.charge(lexer.pos().saturating_sub(offset))?;
        let Some(object) = object else {
            return Ok(None);
        };
        let after_object = lexer.pos();
        let stream = match (&object, lexer.next_token()) {
            (Object::Dict(dict), Some(Token::Keyword(b"stream"))) => {
                lexer.skip_stream_eol();
                Some(self.stream_data(dict, lexer.pos(), num)?)
            }
            _ => {
                lexer.set_pos(after_object);
                None
            }
        };
        Ok(Some(Stored { object, stream }))
    }

    /// The data of a stream that starts at `start`: `/Length` bytes when
    /// `endstream` follows them, else up to the next `endstream`.
    fn stream_data(&self, dict: &Dict, start: usize, num: i64) -> Result<&'a [u8]> {
        let length = match dict.get(b"Length".as_slice()) {
            Some(Object::Ref(r)) if self.ready.get() => {
                self.get(*r).ok().and_then(|s| s.object.as_usize())
            }
            Some(other) => other.as_usize(),
            None => None,
        };
        if let Some(length) = length
            && let Some(end) = start.checked_add(length)
            && end <= self.data.len()
        {
            let mut after = Lexer::at(self.data, end);
            after.skip_space();
            if self.data[after.pos()..].starts_with(b"endstream") {
                return Ok(&self.data[start..end]);
            }
        }
        let found = find(self.data, b"endstream", start);
        self.charge(found.unwrap_or(self.data.len()).saturating_sub(start))?;
        match found {
            Some(mut end) => {
                if self.data[..end].ends_with(b"\r\n") {
                    end -= 2;
                } else if self.data[..end].ends_with(b"\n") || self.data[..end].ends_with(b"\r") {
                    end -= 1;
                }
                Ok(&self.data[start..end.max(start)])
            }
            None => Err(damaged(&format!(
                "the file is truncated or damaged: the data of object {num} has no end"
            ))),
        }
    }

    /// A stream's dictionary and decoded data; `None` if `object` is not a stream.
    pub(super) fn decoded_stream(&self, object: &Object) -> Result<Option<(Dict, Vec<u8>)>> {
        let mut current = object.clone();
        for _ in 0..MAX_LOOKUP_DEPTH {
            let Object::Ref(num) = current else {
                return Ok(None);
            };
            let stored = self.get(num)?;
            match (stored.object, stored.stream) {
                (Object::Dict(dict), Some(raw)) => {
                    let data = self.decode(&dict, raw, num)?;
                    return Ok(Some((dict, data)));
                }
                (Object::Ref(next), None) => current = Object::Ref(next),
                _ => return Ok(None),
            }
        }
        Ok(None)
    }

    /// Counts `bytes` more of object text parsed.
    fn charge(&self, bytes: usize) -> Result<()> {
        let left = self.parsed_left.get();
        if bytes > left {
            return Err(damaged(
                "the PDF is too complex to read: reading its objects takes far longer than any real document",
            ));
        }
        self.parsed_left.set(left - bytes);
        Ok(())
    }

    /// Decodes a stream within what the document may still decode.
    fn decode_counted(&self, dict: &Dict, raw: &[u8]) -> std::result::Result<Vec<u8>, FilterError> {
        let left = self.decoded_left.get();
        let data = filter::decode(dict, raw, left)?;
        self.decoded_left.set(left.saturating_sub(data.len()));
        Ok(data)
    }

    fn decode(&self, dict: &Dict, raw: &[u8], num: u32) -> Result<Vec<u8>> {
        match self.decode_counted(dict, raw) {
            Ok(data) => Ok(data),
            Err(FilterError::TooLarge) => Err(damaged(&format!(
                "the PDF's compressed data expands to more than {} MiB, more than the importer reads",
                MAX_DECODED_BYTES / (1024 * 1024)
            ))),
            Err(FilterError::Unsupported(name)) => Err(damaged(&format!(
                "object {num} uses the {name} compression, which the importer does not read"
            ))),
            Err(FilterError::Corrupt(what)) => Err(damaged(&format!(
                "the file is damaged: in object {num}, {what}"
            ))),
        }
    }

    fn object_stream(&self, num: u32) -> Result<Option<Rc<ObjectStream>>> {
        let cached = self.object_streams.borrow().get(&num).cloned();
        if cached.is_some() {
            return Ok(cached);
        }
        let mut stored = match self.xref.get(&num) {
            Some(&Entry::At(offset)) => self.read_at(offset, Some(num))?,
            _ => None,
        };
        if stored.is_none() {
            let scanned = self.scanned.borrow().as_ref().map(Rc::clone);
            if let Some(scan) = scanned
                && let Some(&Entry::At(offset)) = scan.index.get(&num)
            {
                stored = self.read_at(offset, Some(num))?;
            }
        }
        let Some(Stored {
            object: Object::Dict(dict),
            stream: Some(raw),
        }) = stored
        else {
            return Ok(None);
        };
        let data = self.decode(&dict, raw, num)?;
        let count = dict
            .get(b"N".as_slice())
            .and_then(Object::as_usize)
            .unwrap_or(0)
            .min(data.len());
        let first = dict
            .get(b"First".as_slice())
            .and_then(Object::as_usize)
            .unwrap_or(0);
        let mut lexer = Lexer::new(&data);
        let mut objects = Vec::with_capacity(count);
        for _ in 0..count {
            let (Some(Token::Int(n)), Some(Token::Int(offset))) =
                (lexer.next_token(), lexer.next_token())
            else {
                break;
            };
            let (Ok(n), Some(offset)) = (
                u32::try_from(n),
                usize::try_from(offset)
                    .ok()
                    .and_then(|o| o.checked_add(first)),
            ) else {
                break;
            };
            objects.push((n, offset));
        }
        let stream = Rc::new(ObjectStream { data, objects });
        self.object_streams
            .borrow_mut()
            .insert(num, Rc::clone(&stream));
        Ok(Some(stream))
    }

    /// Reads the cross-reference sections from `startxref` back along `/Prev`.
    fn read_xref_chain(&self) -> Option<(HashMap<u32, Entry>, Trailer)> {
        let tail_start = self.data.len().saturating_sub(64 * 1024);
        let at = rfind(&self.data[tail_start..], b"startxref")? + tail_start;
        let mut lexer = Lexer::at(self.data, at + b"startxref".len());
        let mut next = match lexer.next_token() {
            Some(Token::Int(offset)) => usize::try_from(offset).ok(),
            _ => None,
        };
        let mut xref = HashMap::new();
        let mut trailer = Trailer::default();
        let mut seen = HashSet::new();
        while let Some(offset) = next.take() {
            if !seen.insert(offset) || seen.len() > MAX_XREF_SECTIONS {
                break;
            }
            let Some(dict) = self.read_xref_section(offset, &mut xref) else {
                break;
            };
            if let Some(stream_offset) = dict.get(b"XRefStm".as_slice()).and_then(Object::as_usize)
                && seen.insert(stream_offset)
            {
                self.read_xref_section(stream_offset, &mut xref);
            }
            if trailer.root.is_none() {
                trailer.root = dict.get(b"Root".as_slice()).cloned();
            }
            trailer.encrypted |= dict.contains_key(b"Encrypt".as_slice());
            next = dict.get(b"Prev".as_slice()).and_then(Object::as_usize);
        }
        Some((xref, trailer))
    }

    /// Reads one section into `xref` (keeping entries already there, which
    /// are newer) and returns its trailer dictionary.
    fn read_xref_section(&self, offset: usize, xref: &mut HashMap<u32, Entry>) -> Option<Dict> {
        let mut lexer = Lexer::at(self.data, offset);
        let save = lexer.pos();
        if lexer.next_token() == Some(Token::Keyword(b"xref")) {
            return read_xref_table(&mut lexer, xref);
        }
        lexer.set_pos(save);
        let stored = self.read_at(offset, None).ok()??;
        let (Object::Dict(dict), Some(raw)) = (stored.object, stored.stream) else {
            return None;
        };
        let data = self.decode_counted(&dict, raw).ok()?;
        read_xref_stream(&dict, &data, xref);
        Some(dict)
    }

    /// The index of every object in the file, made by scanning it once.
    fn scan(&self) -> Result<Rc<Scan>> {
        if let Some(scan) = self.scanned.borrow().as_ref() {
            return Ok(Rc::clone(scan));
        }
        let (headers, mut trailer) = scan_headers(self.data);
        let mut index: HashMap<u32, Entry> =
            headers.iter().map(|(&n, &o)| (n, Entry::At(o))).collect();
        let mut streams = Vec::new();
        let mut catalog = None;
        let mut direct: Vec<(u32, usize)> = headers.into_iter().collect();
        direct.sort_unstable_by_key(|&(_, o)| o);
        for (i, &(num, offset)) in direct.iter().enumerate() {
            // Up to the next header, so that a damaged object cannot make
            // every object before it read the rest of the file.
            let end = direct.get(i + 1).map_or(self.data.len(), |&(_, o)| o);
            let mut lexer = Lexer::new(&self.data[offset..end.max(offset)]);
            for _ in 0..3 {
                lexer.next_token();
            }
            let Some(Object::Dict(dict)) = parse_object(&mut lexer) else {
                continue;
            };
            match dict.get(b"Type".as_slice()).and_then(Object::as_name) {
                Some(b"ObjStm") => streams.push(num),
                Some(b"XRef") => note_trailer(&dict, &mut trailer),
                Some(b"Catalog") if dict.contains_key(b"Pages".as_slice()) => {
                    catalog = Some(Object::Ref(num));
                }
                _ => {}
            }
        }
        // Object streams are located through the scan so far.
        *self.scanned.borrow_mut() = Some(Rc::new(Scan {
            index: index.clone(),
            trailer: Trailer::default(),
        }));
        for stream in streams {
            let Ok(Some(objects)) = self.object_stream(stream) else {
                continue;
            };
            for (i, &(num, _)) in objects.objects.iter().enumerate() {
                index
                    .entry(num)
                    .or_insert(Entry::InStream { stream, index: i });
            }
        }
        if trailer.root.is_none() {
            trailer.root = catalog;
        }
        let scan = Rc::new(Scan { index, trailer });
        *self.scanned.borrow_mut() = Some(Rc::clone(&scan));
        Ok(scan)
    }
}
