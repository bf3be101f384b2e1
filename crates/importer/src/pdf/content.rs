//! Content streams as a sequence of operators with their operands. Inline
//! images are skipped whole, so their binary data never reads as operators.

use super::lexer::{Lexer, Token, find, is_space};
use super::object::{Object, parse_object};

/// More operands than any operator takes; beyond it the stack is garbage.
const MAX_OPERANDS: usize = 256;

/// Reads the operators of a content stream one at a time.
pub(super) struct Operations<'a> {
    lexer: Lexer<'a>,
    operands: Vec<Object>,
}

impl<'a> Operations<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Self {
            lexer: Lexer::new(data),
            operands: Vec::new(),
        }
    }

    /// The next operator and its operands; `None` at the end of the stream.
    pub(super) fn next_op(&mut self) -> Option<(&'a [u8], &[Object])> {
        self.operands.clear();
        loop {
            let save = self.lexer.pos();
            let operand = match self.lexer.next_token()? {
                Token::Keyword(b"true") => Object::Bool(true),
                Token::Keyword(b"false") => Object::Bool(false),
                Token::Keyword(b"null") => Object::Null,
                Token::Keyword(b"BI") => {
                    self.skip_inline_image();
                    self.operands.clear();
                    continue;
                }
                Token::Keyword(op) => return Some((op, &self.operands)),
                Token::Int(n) => Object::Int(n),
                Token::Real(v) => Object::Real(v),
                Token::Str(s) => Object::Str(s),
                Token::Name(n) => Object::Name(n),
                Token::ArrayStart | Token::DictStart => {
                    self.lexer.set_pos(save);
                    match parse_object(&mut self.lexer) {
                        Some(object) => object,
                        None => continue,
                    }
                }
                Token::ArrayEnd | Token::DictEnd => continue,
            };
            if self.operands.len() >= MAX_OPERANDS {
                self.operands.clear();
            }
            self.operands.push(operand);
        }
    }

    /// Skips `… ID <data> EI` after a `BI`.
    fn skip_inline_image(&mut self) {
        while let Some(token) = self.lexer.next_token() {
            if token == Token::Keyword(b"ID") {
                break;
            }
        }
        let data = self.lexer.data();
        let mut at = self.lexer.pos() + 1;
        while let Some(found) = find(data, b"EI", at) {
            let before = found.checked_sub(1).and_then(|i| data.get(i));
            let after = data.get(found + 2);
            if before.is_some_and(|&b| is_space(b)) && after.is_none_or(|&b| is_space(b)) {
                self.lexer.set_pos(found + 2);
                return;
            }
            at = found + 2;
        }
        self.lexer.set_pos(data.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(String, usize)> {
        let mut operations = Operations::new(data);
        let mut out = Vec::new();
        while let Some((op, operands)) = operations.next_op() {
            out.push((String::from_utf8_lossy(op).into_owned(), operands.len()));
        }
        out
    }

    #[test]
    fn operators_take_the_operands_before_them() {
        assert_eq!(
            ops(b"BT /F1 12 Tf 72 700 Td [(A) -250 (B)] TJ ET"),
            vec![
                ("BT".into(), 0),
                ("Tf".into(), 2),
                ("Td".into(), 2),
                ("TJ".into(), 1),
                ("ET".into(), 0),
            ]
        );
    }

    #[test]
    fn inline_images_are_skipped_whole() {
        assert_eq!(
            ops(b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x00Tj EI\x01 EI Q"),
            vec![("Q".into(), 0)]
        );
    }
}
