//! Cross-reference data: where each object of a file is, as its xref tables
//! and xref streams say, or as a scan of the whole file finds it when they
//! do not hold up.

use super::lexer::{Lexer, Token, find, is_delimiter, is_space};
use super::object::{Dict, Object, parse_object};
use std::collections::HashMap;

/// How far after a `trailer` keyword its dictionary may reach.
const MAX_TRAILER_BYTES: usize = 64 * 1024;

/// Where an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    At(usize),
    InStream { stream: u32, index: usize },
}

/// What the file's trailer says that matters here.
#[derive(Debug, Clone, Default)]
pub(super) struct Trailer {
    pub(super) root: Option<Object>,
    pub(super) encrypted: bool,
}

/// Every `N G obj` header in `data` (the last one for each number, as
/// incremental updates append newer versions), and what the `trailer`
/// dictionaries say.
pub(super) fn scan_headers(data: &[u8]) -> (HashMap<u32, usize>, Trailer) {
    let mut headers = HashMap::new();
    let mut at = 0;
    while let Some(found) = find(data, b"obj", at) {
        at = found + 3;
        if let Some((num, start)) = object_header_before(data, found, at) {
            headers.insert(num, start);
        }
    }
    let mut trailer = Trailer::default();
    at = 0;
    while let Some(found) = find(data, b"trailer", at) {
        at = found + 7;
        let window = &data[at..data.len().min(at + MAX_TRAILER_BYTES)];
        if let Some(Object::Dict(dict)) = parse_object(&mut Lexer::new(window)) {
            note_trailer(&dict, &mut trailer);
        }
    }
    (headers, trailer)
}

/// Notes what a trailer (or an xref stream's dictionary) says.
pub(super) fn note_trailer(dict: &Dict, trailer: &mut Trailer) {
    if let Some(root) = dict.get(b"Root".as_slice()) {
        trailer.root = Some(root.clone());
    }
    trailer.encrypted |= dict.contains_key(b"Encrypt".as_slice());
}

/// If `obj` at `found` ends an `N G obj` header, the object number and where
/// the header starts. `after` is the offset just past `obj`.
fn object_header_before(data: &[u8], found: usize, after: usize) -> Option<(u32, usize)> {
    if data
        .get(after)
        .is_some_and(|&b| !is_space(b) && !is_delimiter(b))
    {
        return None;
    }
    let mut i = found;
    let skip_space = |mut i: usize| {
        while i > 0 && is_space(data[i - 1]) {
            i -= 1;
        }
        i
    };
    let skip_digits = |mut i: usize| {
        let end = i;
        while i > 0 && data[i - 1].is_ascii_digit() && end - i < 10 {
            i -= 1;
        }
        (i, end)
    };
    let gen_end = skip_space(i);
    if gen_end == i {
        return None;
    }
    let (gen_start, _) = skip_digits(gen_end);
    if gen_start == gen_end {
        return None;
    }
    i = skip_space(gen_start);
    if i == gen_start {
        return None;
    }
    let (num_start, num_end) = skip_digits(i);
    if num_start == num_end
        || (num_start > 0 && !is_space(data[num_start - 1]) && !is_delimiter(data[num_start - 1]))
    {
        return None;
    }
    let num = std::str::from_utf8(&data[num_start..num_end])
        .ok()?
        .parse()
        .ok()?;
    Some((num, num_start))
}

/// A classic `xref` table, after its keyword; returns its trailer.
pub(super) fn read_xref_table(
    lexer: &mut Lexer<'_>,
    xref: &mut HashMap<u32, Entry>,
) -> Option<Dict> {
    loop {
        let save = lexer.pos();
        match lexer.next_token()? {
            Token::Int(start) => {
                let Some(Token::Int(count)) = lexer.next_token() else {
                    return None;
                };
                let start = u32::try_from(start).ok()?;
                let remaining = lexer.data().len().saturating_sub(lexer.pos());
                let count = usize::try_from(count).ok()?.min(remaining / 4);
                for i in 0..count {
                    let entry_start = lexer.pos();
                    let (Some(Token::Int(offset)), Some(Token::Int(_)), Some(Token::Keyword(kind))) =
                        (lexer.next_token(), lexer.next_token(), lexer.next_token())
                    else {
                        lexer.set_pos(entry_start);
                        break;
                    };
                    let num = u32::try_from(i).ok().and_then(|i| start.checked_add(i))?;
                    if kind == b"n"
                        && let Ok(offset) = usize::try_from(offset)
                        && offset > 0
                    {
                        xref.entry(num).or_insert(Entry::At(offset));
                    }
                }
            }
            Token::Keyword(b"trailer") => {
                return match parse_object(lexer)? {
                    Object::Dict(d) => Some(d),
                    _ => None,
                };
            }
            _ => {
                lexer.set_pos(save);
                return None;
            }
        }
    }
}

/// The entries of a decoded xref stream.
pub(super) fn read_xref_stream(dict: &Dict, data: &[u8], xref: &mut HashMap<u32, Entry>) {
    let widths: Vec<usize> = dict
        .get(b"W".as_slice())
        .and_then(Object::as_array)
        .unwrap_or(&[])
        .iter()
        .map(|w| w.as_usize().unwrap_or(0))
        .collect();
    let [w0, w1, w2] = widths[..] else { return };
    if w0 > 8 || w1 > 8 || w2 > 8 || w0 + w1 + w2 == 0 {
        return;
    }
    let row = w0 + w1 + w2;
    let size = dict
        .get(b"Size".as_slice())
        .and_then(Object::as_i64)
        .unwrap_or(0);
    let ranges: Vec<i64> = match dict.get(b"Index".as_slice()).and_then(Object::as_array) {
        Some(items) => items.iter().filter_map(Object::as_i64).collect(),
        None => vec![0, size],
    };
    let mut rows = data.chunks_exact(row);
    for pair in ranges.chunks_exact(2) {
        let (Ok(start), Ok(count)) = (u32::try_from(pair[0]), usize::try_from(pair[1])) else {
            return;
        };
        for i in 0..count {
            let Some(fields) = rows.next() else { return };
            let Some(num) = u32::try_from(i).ok().and_then(|i| start.checked_add(i)) else {
                return;
            };
            let field = |from: usize, width: usize| {
                fields[from..from + width]
                    .iter()
                    .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
            };
            let kind = if w0 == 0 { 1 } else { field(0, w0) };
            let second = usize::try_from(field(w0, w1)).unwrap_or(usize::MAX);
            let third = usize::try_from(field(w0 + w1, w2)).unwrap_or(usize::MAX);
            let entry = match kind {
                1 if second > 0 => Entry::At(second),
                2 => match u32::try_from(second) {
                    Ok(stream) => Entry::InStream {
                        stream,
                        index: third,
                    },
                    Err(_) => continue,
                },
                _ => continue,
            };
            xref.entry(num).or_insert(entry);
        }
    }
}
