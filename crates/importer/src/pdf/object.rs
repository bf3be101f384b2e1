//! PDF objects and the recursive-descent parser that reads them, bounded in
//! nesting so that no input can exhaust the stack.

use super::lexer::{Lexer, Token};
use std::collections::BTreeMap;

/// How deeply arrays and dictionaries may nest; real files stay under ten.
const MAX_NESTING: usize = 64;

/// A dictionary, keyed by name.
pub(super) type Dict = BTreeMap<Vec<u8>, Object>;

/// A PDF object. Streams are not objects here: the document reads a stream's
/// dictionary as an object and locates its data itself.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Object {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Object>),
    Dict(Dict),
    Ref(u32),
    /// A keyword where an object was expected, for the caller to interpret
    /// (an operator in a content stream, `endobj` after a missing value).
    Keyword(Vec<u8>),
}

impl Object {
    pub(super) fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::Int(v) => Some(v as f64),
            Self::Real(v) if v.is_finite() => Some(v),
            _ => None,
        }
    }

    pub(super) fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Int(v) => Some(v),
            Self::Real(v) if v.is_finite() => Some(v as i64),
            _ => None,
        }
    }

    pub(super) fn as_usize(&self) -> Option<usize> {
        usize::try_from(self.as_i64()?).ok()
    }

    pub(super) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Self::Name(n) => Some(n),
            _ => None,
        }
    }

    pub(super) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Self::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub(super) fn as_array(&self) -> Option<&[Object]> {
        match self {
            Self::Array(a) => Some(a),
            _ => None,
        }
    }
}

/// Reads one object. `None` at the end of the data, at a closing bracket
/// that has no opening one, or when nesting is too deep.
pub(super) fn parse_object(lexer: &mut Lexer<'_>) -> Option<Object> {
    parse_nested(lexer, 0)
}

fn parse_nested(lexer: &mut Lexer<'_>, depth: usize) -> Option<Object> {
    let object = match lexer.next_token()? {
        Token::Int(n) => return Some(int_or_ref(lexer, n)),
        Token::Real(v) => Object::Real(v),
        Token::Str(s) => Object::Str(s),
        Token::Name(n) => Object::Name(n),
        Token::ArrayStart if depth < MAX_NESTING => Object::Array(parse_array(lexer, depth)?),
        Token::DictStart if depth < MAX_NESTING => Object::Dict(parse_dict(lexer, depth)?),
        Token::ArrayStart | Token::DictStart | Token::ArrayEnd | Token::DictEnd => return None,
        Token::Keyword(b"true") => Object::Bool(true),
        Token::Keyword(b"false") => Object::Bool(false),
        Token::Keyword(b"null") => Object::Null,
        Token::Keyword(k) => Object::Keyword(k.to_vec()),
    };
    Some(object)
}

/// `n`, or the reference `n g R`.
fn int_or_ref(lexer: &mut Lexer<'_>, n: i64) -> Object {
    let save = lexer.pos();
    if let (Some(Token::Int(_)), Some(Token::Keyword(b"R"))) =
        (lexer.next_token(), lexer.next_token())
        && let Ok(num) = u32::try_from(n)
    {
        return Object::Ref(num);
    }
    lexer.set_pos(save);
    Object::Int(n)
}

/// The items of an array after its `[`; `None` if the data ends first.
fn parse_array(lexer: &mut Lexer<'_>, depth: usize) -> Option<Vec<Object>> {
    let mut items = Vec::new();
    loop {
        let save = lexer.pos();
        match lexer.next_token()? {
            Token::ArrayEnd => return Some(items),
            Token::DictEnd => {
                lexer.set_pos(save);
                return Some(items);
            }
            _ => lexer.set_pos(save),
        }
        match parse_nested(lexer, depth + 1) {
            Some(Object::Keyword(k)) if is_object_end(&k) => {
                lexer.set_pos(save);
                return Some(items);
            }
            Some(item) => items.push(item),
            None if lexer.pos() >= lexer.data().len() => return None,
            None => return Some(items),
        }
    }
}

/// The entries of a dictionary after its `<<`; `None` if the data ends first.
fn parse_dict(lexer: &mut Lexer<'_>, depth: usize) -> Option<Dict> {
    let mut dict = Dict::new();
    loop {
        let save = lexer.pos();
        let key = match lexer.next_token()? {
            Token::DictEnd => return Some(dict),
            Token::Name(key) => key,
            Token::Keyword(k) if is_object_end(k) => {
                lexer.set_pos(save);
                return Some(dict);
            }
            Token::ArrayEnd => {
                lexer.set_pos(save);
                return Some(dict);
            }
            _ => continue,
        };
        let value_start = lexer.pos();
        match parse_nested(lexer, depth + 1) {
            Some(Object::Keyword(k)) if is_object_end(&k) => {
                lexer.set_pos(value_start);
                return Some(dict);
            }
            Some(Object::Null) => {}
            Some(value) => {
                dict.insert(key, value);
            }
            None if lexer.pos() >= lexer.data().len() => return None,
            None => return Some(dict),
        }
    }
}

/// Keywords that end an object however malformed it is.
fn is_object_end(keyword: &[u8]) -> bool {
    matches!(keyword, b"endobj" | b"stream" | b"endstream" | b"obj")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(data: &[u8]) -> Option<Object> {
        parse_object(&mut Lexer::new(data))
    }

    #[test]
    fn references_and_dictionaries() {
        let object = parse(b"<< /Kids [3 0 R 4 0 R] /Count 2 /Skip null >>").unwrap();
        let dict = object.as_dict().unwrap();
        assert_eq!(
            dict.get(b"Kids".as_slice()),
            Some(&Object::Array(vec![Object::Ref(3), Object::Ref(4)]))
        );
        assert_eq!(dict.get(b"Count".as_slice()), Some(&Object::Int(2)));
        assert_eq!(dict.len(), 2);
    }

    #[test]
    fn a_dictionary_cut_short_by_endobj_keeps_what_it_has() {
        let mut lexer = Lexer::new(b"<< /Type /Page /Parent 2 0 R endobj");
        let object = parse_object(&mut lexer).unwrap();
        assert_eq!(object.as_dict().unwrap().len(), 2);
        assert_eq!(lexer.next_token(), Some(Token::Keyword(b"endobj")));
    }

    #[test]
    fn an_object_cut_off_by_the_end_of_the_data_is_no_object() {
        assert_eq!(parse(b"<< /Type /Page /Contents [4 0 R"), None);
        assert_eq!(parse(b"[1 2 (three"), None);
    }

    #[test]
    fn deep_nesting_is_refused_without_exhausting_the_stack() {
        let mut data = vec![b'['; 100_000];
        data.extend(vec![b']'; 100_000]);
        let object = parse(&data).unwrap();
        let mut depth = 0;
        let mut current = &object;
        while let Some([inner, ..]) = current.as_array() {
            depth += 1;
            current = inner;
        }
        assert!(depth <= MAX_NESTING);
    }
}
