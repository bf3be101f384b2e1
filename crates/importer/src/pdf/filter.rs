//! Stream filters: the compressions a content stream, an object stream or an
//! xref stream may use. Every decoder stops at a caller-given output limit,
//! so a small file cannot expand into unbounded memory.

use super::object::{Dict, Object};
use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZFlush, MZStatus};

/// Why a stream could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum FilterError {
    /// The data would exceed the limit it was decoded under.
    TooLarge,
    /// A filter the importer does not read (an image compression, usually).
    Unsupported(String),
    /// The data is not what the filter expects.
    Corrupt(&'static str),
}

/// Applies the filters named in `dict` (`/Filter`, `/DecodeParms`) to `data`.
pub(super) fn decode(dict: &Dict, data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let filters: Vec<&[u8]> = match dict.get(b"Filter".as_slice()) {
        Some(Object::Name(name)) => vec![name],
        Some(Object::Array(items)) => items.iter().filter_map(Object::as_name).collect(),
        _ => Vec::new(),
    };
    let parms: Vec<Option<&Dict>> = match dict.get(b"DecodeParms".as_slice()) {
        Some(Object::Dict(d)) => vec![Some(d)],
        Some(Object::Array(items)) => items.iter().map(Object::as_dict).collect(),
        _ => Vec::new(),
    };
    let mut current = data.to_vec();
    if current.len() > limit && filters.is_empty() {
        return Err(FilterError::TooLarge);
    }
    for (i, filter) in filters.iter().enumerate() {
        let parm = parms.get(i).copied().flatten();
        current = match *filter {
            b"FlateDecode" | b"Fl" => predict(inflate_limited(&current, limit)?, parm, limit)?,
            b"LZWDecode" | b"LZW" => {
                let early = parm
                    .and_then(|p| p.get(b"EarlyChange".as_slice()))
                    .and_then(Object::as_i64)
                    .unwrap_or(1);
                predict(lzw(&current, early != 0, limit)?, parm, limit)?
            }
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&current),
            b"ASCII85Decode" | b"A85" => ascii85(&current, limit)?,
            b"RunLengthDecode" | b"RL" => run_length(&current, limit)?,
            b"Crypt" => current,
            other => {
                return Err(FilterError::Unsupported(
                    String::from_utf8_lossy(other).into_owned(),
                ));
            }
        };
    }
    Ok(current)
}

/// Inflates zlib data, falling back to raw deflate; keeps what a damaged
/// stream yields before the damage, as PDF viewers do.
fn inflate_limited(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let zlib = inflate_format(data, DataFormat::ZLibIgnoreChecksum, limit)?;
    if !zlib.is_empty() {
        return Ok(zlib);
    }
    let raw = inflate_format(data, DataFormat::Raw, limit)?;
    if raw.is_empty() && !data.iter().all(|b| super::lexer::is_space(*b)) {
        return Err(FilterError::Corrupt("the compressed data is damaged"));
    }
    Ok(raw)
}

fn inflate_format(data: &[u8], format: DataFormat, limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut state = InflateState::new_boxed(format);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut input = data;
    loop {
        let result = inflate(&mut state, input, &mut chunk, MZFlush::None);
        let written = chunk.get(..result.bytes_written).unwrap_or(&[]);
        if out.len() + written.len() > limit {
            return Err(FilterError::TooLarge);
        }
        out.extend_from_slice(written);
        input = input.get(result.bytes_consumed..).unwrap_or(&[]);
        match result.status {
            Ok(MZStatus::Ok) if result.bytes_consumed > 0 || result.bytes_written > 0 => {}
            _ => return Ok(out),
        }
    }
}

/// Undoes a PNG or TIFF predictor (`/Predictor` in the decode parameters).
fn predict(data: Vec<u8>, parm: Option<&Dict>, limit: usize) -> Result<Vec<u8>, FilterError> {
    let Some(parm) = parm else { return Ok(data) };
    let get = |key: &[u8], default: i64| parm.get(key).and_then(Object::as_i64).unwrap_or(default);
    let predictor = get(b"Predictor", 1);
    if predictor < 2 {
        return Ok(data);
    }
    let colors = usize::try_from(get(b"Colors", 1).clamp(1, 32)).unwrap_or(1);
    let bits = usize::try_from(get(b"BitsPerComponent", 8).clamp(1, 16)).unwrap_or(8);
    let columns = usize::try_from(get(b"Columns", 1).clamp(1, 1 << 24)).unwrap_or(1);
    let pixel = (colors * bits).div_ceil(8).max(1);
    let row = (colors * bits)
        .saturating_mul(columns)
        .div_ceil(8)
        .min(data.len().max(1));
    if predictor == 2 {
        return Ok(tiff_predictor(data, row, pixel, bits));
    }
    let mut out = Vec::with_capacity(data.len().min(limit));
    let mut previous = vec![0u8; row];
    for line in data.chunks(row + 1) {
        let (&kind, bytes) = line.split_first().unwrap_or((&0, &[]));
        let mut current = vec![0u8; row];
        for (i, &b) in bytes.iter().enumerate() {
            let left = if i >= pixel { current[i - pixel] } else { 0 };
            let up = previous[i];
            let up_left = if i >= pixel { previous[i - pixel] } else { 0 };
            current[i] = match kind {
                1 => b.wrapping_add(left),
                2 => b.wrapping_add(up),
                3 => b.wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => b.wrapping_add(paeth(left, up, up_left)),
                _ => b,
            };
        }
        out.extend_from_slice(&current[..bytes.len()]);
        previous = current;
    }
    Ok(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn tiff_predictor(mut data: Vec<u8>, row: usize, pixel: usize, bits: usize) -> Vec<u8> {
    if bits != 8 || row == 0 {
        return data;
    }
    for line in data.chunks_mut(row) {
        for i in pixel..line.len() {
            line[i] = line[i].wrapping_add(line[i - pixel]);
        }
    }
    data
}

/// LZW as PDF uses it: 9- to 12-bit codes, 256 clears, 257 ends.
fn lzw(data: &[u8], early_change: bool, limit: usize) -> Result<Vec<u8>, FilterError> {
    // Each entry: the code of its prefix (u16::MAX for none) and its last byte.
    let mut table: Vec<(u16, u8)> = (0..=255u8).map(|b| (u16::MAX, b)).collect();
    table.push((u16::MAX, 0));
    table.push((u16::MAX, 0));
    let mut out = Vec::new();
    let mut width = 9u32;
    let mut buffer = 0u32;
    let mut bits = 0u32;
    let mut previous: Option<u16> = None;
    let mut scratch = Vec::new();
    for &byte in data {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= width {
            let code = ((buffer >> (bits - width)) & ((1 << width) - 1)) as u16;
            bits -= width;
            buffer &= (1 << bits) - 1;
            match code {
                256 => {
                    table.truncate(258);
                    width = 9;
                    previous = None;
                    continue;
                }
                257 => return Ok(out),
                _ => {}
            }
            let known = usize::from(code) < table.len();
            if usize::from(code) > table.len() {
                return Err(FilterError::Corrupt("the LZW data is damaged"));
            }
            let entry = if known {
                code
            } else {
                let Some(prev) = previous else {
                    return Err(FilterError::Corrupt("the LZW data is damaged"));
                };
                prev
            };
            scratch.clear();
            let mut at = entry;
            while let Some(&(prefix, last)) = table.get(usize::from(at)) {
                scratch.push(last);
                if prefix == u16::MAX || scratch.len() > table.len() {
                    break;
                }
                at = prefix;
            }
            scratch.reverse();
            let first = scratch.first().copied().unwrap_or(0);
            if !known {
                scratch.push(first);
            }
            if out.len() + scratch.len() > limit {
                return Err(FilterError::TooLarge);
            }
            out.extend_from_slice(&scratch);
            if let Some(prev) = previous
                && table.len() < 4096
            {
                table.push((prev, first));
            }
            previous = Some(code);
            let threshold = table.len() + usize::from(early_change);
            width = match threshold {
                0..=511 => 9,
                512..=1023 => 10,
                1024..=2047 => 11,
                _ => 12,
            };
        }
    }
    Ok(out)
}

fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut high: Option<u8> = None;
    for &b in data {
        if b == b'>' {
            break;
        }
        let Some(v) = super::lexer::hex_value(b) else {
            continue;
        };
        match high.take() {
            Some(h) => out.push(h * 16 + v),
            None => high = Some(v),
        }
    }
    if let Some(h) = high {
        out.push(h * 16);
    }
    out
}

fn ascii85(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::with_capacity(data.len() * 4 / 5);
    let mut group = [0u8; 5];
    let mut n = 0;
    let push_group = |out: &mut Vec<u8>, group: &[u8; 5], count: usize| {
        let value = group.iter().fold(0u64, |acc, &d| {
            acc * 85 + u64::from(d.wrapping_sub(b'!').min(84))
        });
        let bytes = ((value & 0xffff_ffff) as u32).to_be_bytes();
        out.extend_from_slice(&bytes[..count.saturating_sub(1)]);
    };
    for &b in data {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = b;
                n += 1;
                if n == 5 {
                    push_group(&mut out, &group, 5);
                    n = 0;
                }
            }
            _ => {}
        }
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
    }
    if n > 1 {
        group[n..].fill(b'u');
        push_group(&mut out, &group, n);
    }
    Ok(out)
}

fn run_length(data: &[u8], limit: usize) -> Result<Vec<u8>, FilterError> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&length) = data.get(i) {
        i += 1;
        match length {
            128 => break,
            0..=127 => {
                let end = (i + usize::from(length) + 1).min(data.len());
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            _ => {
                let Some(&b) = data.get(i) else { break };
                i += 1;
                out.resize(out.len() + 257 - usize::from(length), b);
            }
        }
        if out.len() > limit {
            return Err(FilterError::TooLarge);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(filter: &str) -> Dict {
        let mut d = Dict::new();
        d.insert(b"Filter".to_vec(), Object::Name(filter.as_bytes().to_vec()));
        d
    }

    #[test]
    fn flate_round_trips_and_respects_the_limit() {
        let text = b"BT /F1 12 Tf (Hello) Tj ET ".repeat(100);
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&text, 6);
        assert_eq!(
            decode(&dict("FlateDecode"), &packed, 1 << 20),
            Ok(text.clone())
        );
        assert_eq!(
            decode(&dict("FlateDecode"), &packed, 100),
            Err(FilterError::TooLarge)
        );
    }

    #[test]
    fn a_damaged_flate_stream_keeps_what_precedes_the_damage() {
        let text = b"BT (Goal 1) Tj ET ".repeat(2000);
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&text, 6);
        let cut = &packed[..packed.len() / 2];
        let out = decode(&dict("FlateDecode"), cut, 1 << 20).unwrap();
        assert!(!out.is_empty() && text.starts_with(&out));
        assert!(decode(&dict("FlateDecode"), b"not zlib at all", 1 << 20).is_err());
    }

    #[test]
    fn png_up_predictor_rows() {
        let mut d = dict("FlateDecode");
        let mut parms = Dict::new();
        parms.insert(b"Predictor".to_vec(), Object::Int(12));
        parms.insert(b"Columns".to_vec(), Object::Int(3));
        d.insert(b"DecodeParms".to_vec(), Object::Dict(parms));
        let rows = [2u8, 1, 2, 3, 2, 1, 1, 1];
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&rows, 6);
        assert_eq!(decode(&d, &packed, 1 << 20), Ok(vec![1, 2, 3, 2, 3, 4]));
    }

    #[test]
    fn lzw_ascii85_hex_and_run_length() {
        // "-----A---B" LZW-encoded, from the PDF reference's example.
        let lzw_data = [0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01];
        assert_eq!(
            decode(&dict("LZWDecode"), &lzw_data, 1 << 20),
            Ok(b"-----A---B".to_vec())
        );
        assert_eq!(
            decode(&dict("ASCII85Decode"), b"87cURD]i,\"Ebo7~>", 1 << 20),
            Ok(b"Hello World".to_vec())
        );
        assert_eq!(
            decode(&dict("ASCIIHexDecode"), b"48 69>", 1 << 20),
            Ok(b"Hi".to_vec())
        );
        assert_eq!(
            decode(
                &dict("RunLengthDecode"),
                &[1, b'a', b'b', 254, b'c', 128],
                1 << 20
            ),
            Ok(b"abccc".to_vec())
        );
    }

    #[test]
    fn image_compressions_are_named_as_unsupported() {
        assert_eq!(
            decode(&dict("DCTDecode"), b"\xff\xd8", 1 << 20),
            Err(FilterError::Unsupported("DCTDecode".into()))
        );
    }
}
