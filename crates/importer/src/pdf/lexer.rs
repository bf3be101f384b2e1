//! PDF tokens: the one byte-level reader that objects, content streams and
//! CMaps all share, so each of them handles hostile bytes the same way.

/// One PDF token. Strings are raw bytes; names have their `#xx` escapes decoded.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token<'a> {
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    /// Anything else: `obj`, `R`, `true`, an operator such as `Tj`.
    Keyword(&'a [u8]),
}

/// PDF whitespace.
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

/// The bytes that end a token without being part of it.
pub(super) fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

/// A cursor over PDF bytes.
#[derive(Debug, Clone)]
pub(super) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub(super) fn at(data: &'a [u8], pos: usize) -> Self {
        Self {
            data,
            pos: pos.min(data.len()),
        }
    }

    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    pub(super) fn data(&self) -> &'a [u8] {
        self.data
    }

    pub(super) fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.data.len());
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Skips whitespace and comments.
    pub(super) fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or `None` at the end of the data. Never fails: bytes
    /// that make no sense become keywords for the caller to reject.
    pub(super) fn next_token(&mut self) -> Option<Token<'a>> {
        self.skip_space();
        let b = self.peek()?;
        let token = match b {
            b'/' => {
                self.pos += 1;
                Token::Name(self.name())
            }
            b'(' => {
                self.pos += 1;
                Token::Str(self.literal_string())
            }
            b'<' if self.data.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                Token::DictStart
            }
            b'<' => {
                self.pos += 1;
                Token::Str(self.hex_string())
            }
            b'>' if self.data.get(self.pos + 1) == Some(&b'>') => {
                self.pos += 2;
                Token::DictEnd
            }
            b'[' => {
                self.pos += 1;
                Token::ArrayStart
            }
            b']' => {
                self.pos += 1;
                Token::ArrayEnd
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(),
            _ if is_regular(b) => Token::Keyword(self.word()),
            _ => {
                // A stray `)`, `>`, `{` or `}`: a one-byte keyword.
                self.pos += 1;
                Token::Keyword(&self.data[self.pos - 1..self.pos])
            }
        };
        Some(token)
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn number(&mut self) -> Token<'a> {
        let word = self.word();
        parse_number(word).unwrap_or(Token::Keyword(word))
    }

    fn name(&mut self) -> Vec<u8> {
        let raw = self.word();
        let mut name = Vec::with_capacity(raw.len());
        let mut i = 0;
        while let Some(&b) = raw.get(i) {
            let escaped = (b == b'#')
                .then(|| Some(hex_value(*raw.get(i + 1)?)? * 16 + hex_value(*raw.get(i + 2)?)?))
                .flatten();
            match escaped {
                Some(byte) => {
                    name.push(byte);
                    i += 3;
                }
                None => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        name
    }

    fn literal_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' if depth == 0 => return out,
                b')' => {
                    depth -= 1;
                    out.push(b);
                }
                b'\\' => self.escape(&mut out),
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
        out
    }

    fn escape(&mut self, out: &mut Vec<u8>) {
        let Some(b) = self.peek() else { return };
        self.pos += 1;
        match b {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut value = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                out.push((value & 0xff) as u8);
            }
            b'\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            b'\n' => {}
            _ => out.push(b),
        }
    }

    fn hex_string(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            let Some(v) = hex_value(b) else { continue };
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

    /// Moves past the end-of-line that follows a `stream` keyword.
    pub(super) fn skip_stream_eol(&mut self) {
        match self.peek() {
            Some(b'\r') => {
                self.pos += 1;
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            Some(b'\n') => self.pos += 1,
            _ => {}
        }
    }
}

/// The value of one hexadecimal digit.
pub(super) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A number as PDF writers actually write them, including `-.5`, `4.` and
/// the occasional doubled sign.
fn parse_number(word: &[u8]) -> Option<Token<'static>> {
    let text = std::str::from_utf8(word).ok()?;
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches(['+', '-']);
    if digits.is_empty() || digits.contains(['+', '-']) {
        return None;
    }
    if !digits.contains('.') {
        return Some(match digits.parse::<i64>() {
            Ok(v) => Token::Int(if negative { -v } else { v }),
            Err(_) => {
                let v = digits.parse::<f64>().ok()?;
                Token::Real(if negative { -v } else { v })
            }
        });
    }
    if digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') && digits.matches('.').count() == 1 {
        let v = digits.parse::<f64>().ok().filter(|v| v.is_finite())?;
        return Some(Token::Real(if negative { -v } else { v }));
    }
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction: String = parts
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let v = format!("0{whole}.{fraction}0").parse::<f64>().ok()?;
    Some(Token::Real(if negative { -v } else { v }))
}

/// Finds `needle` in `haystack` at or after `from`.
pub(super) fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i < haystack.len() {
        let rest = haystack.get(i..)?;
        let offset = rest.iter().position(|&b| b == first)?;
        i += offset;
        if haystack.get(i..)?.starts_with(needle) {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Finds the last `needle` in `haystack`.
pub(super) fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(data: &[u8]) -> Vec<Token<'_>> {
        let mut lexer = Lexer::new(data);
        std::iter::from_fn(|| lexer.next_token()).collect()
    }

    #[test]
    fn numbers_as_writers_write_them() {
        assert_eq!(
            tokens(b"12 -3 .5 -.25 4. +7 --2"),
            vec![
                Token::Int(12),
                Token::Int(-3),
                Token::Real(0.5),
                Token::Real(-0.25),
                Token::Real(4.0),
                Token::Int(7),
                Token::Int(-2),
            ]
        );
    }

    #[test]
    fn strings_decode_escapes_and_nesting() {
        assert_eq!(
            tokens(br"(a (b) \(c\) \101\n) <48 65 6C6C 6F7> /A#20B"),
            vec![
                Token::Str(b"a (b) (c) A\n".to_vec()),
                Token::Str(b"Hello\x70".to_vec()),
                Token::Name(b"A B".to_vec()),
            ]
        );
    }

    #[test]
    fn comments_and_dictionaries() {
        assert_eq!(
            tokens(b"<< /K [1 R] >> % note\nendobj"),
            vec![
                Token::DictStart,
                Token::Name(b"K".to_vec()),
                Token::ArrayStart,
                Token::Int(1),
                Token::Keyword(b"R"),
                Token::ArrayEnd,
                Token::DictEnd,
                Token::Keyword(b"endobj"),
            ]
        );
    }

    #[test]
    fn unterminated_strings_end_at_the_end_of_the_data() {
        assert_eq!(tokens(b"(abc"), vec![Token::Str(b"abc".to_vec())]);
        assert_eq!(tokens(b"<41"), vec![Token::Str(b"A".to_vec())]);
        assert_eq!(tokens(b"(\\"), vec![Token::Str(Vec::new())]);
    }
}
