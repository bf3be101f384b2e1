//! Formulas of calculated measures: a KPI computed from other measures of the
//! same period, such as `resolved_within_sla / tickets_total * 100`.
//!
//! The language is our own and deliberately small, so a formula typed into a
//! plan can be stored, shown and evaluated without running anyone's code:
//!
//! ```text
//! formula  := sum
//! sum      := product (('+' | '-') product)*
//! product  := unary (('*' | '/') unary)*
//! unary    := '-' unary | primary
//! primary  := number | key | function '(' sum (',' sum)* ')' | '(' sum ')'
//! number   := digit+ ('.' digit+)?          100, 0.5 (not .5, 5. or 1e3)
//! key      := [A-Za-z_][A-Za-z0-9_]*        case-sensitive
//! function := 'min' | 'max' | 'abs'         min and max take two or more, abs one
//! ```
//!
//! Operators associate to the left; whitespace between tokens is ignored.
//! A formula has no value ("no data", never a made-up number) when an input
//! has none, when it divides by zero, or when a step is not a finite number.
//! Source length and nesting depth are bounded so hostile input cannot
//! exhaust the stack.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use utoipa::openapi::{ObjectBuilder, RefOr, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

const MAX_CHARS: usize = 1000;
const MAX_DEPTH: usize = 64;

/// A parsed formula over measure keys, kept with the text it was written as.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Formula {
    source: String,
    expr: Expr,
}

/// Why a text is not a formula: where (a 0-based character offset into the
/// trimmed text) and what is wrong. Its `Display` counts characters from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    /// The 0-based character offset into the trimmed text where the problem is.
    pub position: usize,
    /// What is wrong, in words.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Number(f64),
    Input(String),
    Neg(Box<Expr>),
    Binary(Op, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Function {
    Min,
    Max,
    Abs,
}

impl Formula {
    /// Parses a formula; surrounding whitespace is dropped from its source.
    pub fn parse(source: &str) -> Result<Formula, FormulaError> {
        let source = source.trim();
        if source.is_empty() {
            return Err(FormulaError::new(0, "the formula is empty"));
        }
        if source.chars().count() > MAX_CHARS {
            return Err(FormulaError::new(
                MAX_CHARS,
                format!("a formula may be at most {MAX_CHARS} characters long"),
            ));
        }
        let mut parser = Parser {
            tokens: lex(source),
            next: 0,
            depth: 0,
        };
        let expr = parser.sum()?;
        let token = parser.peek();
        match &token.kind {
            Kind::End => Ok(Formula {
                source: source.to_owned(),
                expr,
            }),
            Kind::Bad(error) => Err(error.clone()),
            Kind::RParen => Err(FormulaError::new(token.position, "')' has no matching '('")),
            _ => Err(FormulaError::new(
                token.position,
                format!(
                    "expected an operator or the end of the formula but found {}",
                    token.describe()
                ),
            )),
        }
    }

    /// The formula as written, without surrounding whitespace.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The measure keys the formula reads, each once, in sorted order.
    pub fn inputs(&self) -> BTreeSet<&str> {
        let mut keys = BTreeSet::new();
        self.expr.collect_inputs(&mut keys);
        keys
    }

    /// The formula's value given each input's value, or none when an input has
    /// no value, a division is by zero, or any step is not a finite number.
    pub fn eval(&self, lookup: impl Fn(&str) -> Option<f64>) -> Option<f64> {
        self.expr.eval(&lookup)
    }
}

impl Expr {
    fn collect_inputs<'a>(&'a self, keys: &mut BTreeSet<&'a str>) {
        match self {
            Expr::Number(_) => {}
            Expr::Input(key) => {
                keys.insert(key);
            }
            Expr::Neg(inner) => inner.collect_inputs(keys),
            Expr::Binary(_, left, right) => {
                left.collect_inputs(keys);
                right.collect_inputs(keys);
            }
            Expr::Call(_, args) => args.iter().for_each(|a| a.collect_inputs(keys)),
        }
    }

    fn eval(&self, lookup: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        let value = match self {
            Expr::Number(n) => *n,
            Expr::Input(key) => lookup(key)?,
            Expr::Neg(inner) => -inner.eval(lookup)?,
            Expr::Binary(op, left, right) => {
                let (l, r) = (left.eval(lookup)?, right.eval(lookup)?);
                match op {
                    Op::Add => l + r,
                    Op::Sub => l - r,
                    Op::Mul => l * r,
                    Op::Div if r == 0.0 => return None,
                    Op::Div => l / r,
                }
            }
            Expr::Call(function, args) => {
                let mut values = args.iter().map(|a| a.eval(lookup));
                let first = values.next()??;
                match function {
                    Function::Abs => first.abs(),
                    Function::Min => values.try_fold(first, |acc, v| Some(acc.min(v?)))?,
                    Function::Max => values.try_fold(first, |acc, v| Some(acc.max(v?)))?,
                }
            }
        };
        value.is_finite().then_some(value)
    }
}

impl Function {
    fn named(name: &str) -> Option<Function> {
        match name {
            "min" => Some(Function::Min),
            "max" => Some(Function::Max),
            "abs" => Some(Function::Abs),
            _ => None,
        }
    }

    fn check_arity(self, count: usize) -> Result<(), String> {
        match self {
            Function::Abs if count != 1 => Err(format!(
                "abs takes exactly one argument but was given {count}"
            )),
            Function::Min | Function::Max if count < 2 => {
                let name = if self == Function::Min { "min" } else { "max" };
                Err(format!(
                    "{name} takes two or more arguments but was given {count}"
                ))
            }
            _ => Ok(()),
        }
    }
}

impl FormulaError {
    fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position + 1, self.message)
    }
}

impl std::error::Error for FormulaError {}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl FromStr for Formula {
    type Err = FormulaError;

    fn from_str(s: &str) -> Result<Self, FormulaError> {
        Formula::parse(s)
    }
}

impl TryFrom<String> for Formula {
    type Error = FormulaError;

    fn try_from(raw: String) -> Result<Self, FormulaError> {
        Formula::parse(&raw)
    }
}

impl From<Formula> for String {
    fn from(formula: Formula) -> String {
        formula.source
    }
}

impl PartialSchema for Formula {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "Arithmetic over measure keys of the same plan: numbers, keys, `+ - * /`, \
                 unary minus, parentheses, and `min(…)`, `max(…)`, `abs(…)`.",
            ))
            .max_length(Some(MAX_CHARS))
            .examples([serde_json::json!(
                "resolved_within_sla / tickets_total * 100"
            )])
            .into()
    }
}

impl ToSchema for Formula {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Formula")
    }
}

#[derive(Debug)]
struct Token {
    kind: Kind,
    position: usize,
    text: String,
}

#[derive(Debug)]
enum Kind {
    Number(f64),
    Name(String),
    Op(Op),
    LParen,
    RParen,
    Comma,
    End,
    Bad(FormulaError),
}

impl Token {
    fn describe(&self) -> String {
        match self.kind {
            Kind::End => "the end of the formula".to_owned(),
            _ => format!("'{}'", self.text),
        }
    }
}

/// Splits the text into tokens, ending with `End`, or with `Bad` at the first
/// character that starts no token.
fn lex(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let kind = if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                if !chars.get(i).is_some_and(char::is_ascii_digit) {
                    tokens.push(bad(i, "expected a digit after the decimal point"));
                    return tokens;
                }
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = chars[start..i].iter().collect();
            match text.parse::<f64>() {
                Ok(n) if n.is_finite() => Kind::Number(n),
                _ => {
                    tokens.push(bad(start, format!("the number {text} is too large")));
                    return tokens;
                }
            }
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            Kind::Name(chars[start..i].iter().collect())
        } else {
            i += 1;
            match c {
                '+' => Kind::Op(Op::Add),
                '-' => Kind::Op(Op::Sub),
                '*' => Kind::Op(Op::Mul),
                '/' => Kind::Op(Op::Div),
                '(' => Kind::LParen,
                ')' => Kind::RParen,
                ',' => Kind::Comma,
                '.' => {
                    tokens.push(bad(
                        start,
                        "a number must start with a digit (write 0.5, not .5)",
                    ));
                    return tokens;
                }
                _ => {
                    tokens.push(bad(start, format!("unexpected character '{c}'")));
                    return tokens;
                }
            }
        };
        tokens.push(Token {
            kind,
            position: start,
            text: chars[start..i].iter().collect(),
        });
    }
    tokens.push(Token {
        kind: Kind::End,
        position: chars.len(),
        text: String::new(),
    });
    tokens
}

fn bad(position: usize, message: impl Into<String>) -> Token {
    Token {
        kind: Kind::Bad(FormulaError::new(position, message)),
        position,
        text: String::new(),
    }
}

/// Recursive descent over the tokens. Every recursion into a nested operand
/// (a parenthesis, a function call, a minus sign) counts towards `MAX_DEPTH`.
struct Parser {
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) {
        if self.next < self.tokens.len() - 1 {
            self.next += 1;
        }
    }

    fn sum(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.product()?;
        while let Kind::Op(op @ (Op::Add | Op::Sub)) = self.peek().kind {
            self.advance();
            let right = self.product()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Kind::Op(op @ (Op::Mul | Op::Div)) = self.peek().kind {
            self.advance();
            let right = self.unary()?;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        if let Kind::Op(Op::Sub) = self.peek().kind {
            let position = self.peek().position;
            self.advance();
            let inner = self.nested(position, Self::unary)?;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, FormulaError> {
        let token = self.peek();
        let position = token.position;
        match &token.kind {
            Kind::Number(n) => {
                let n = *n;
                self.advance();
                Ok(Expr::Number(n))
            }
            Kind::Name(name) => {
                let name = name.clone();
                self.advance();
                if !matches!(self.peek().kind, Kind::LParen) {
                    return Ok(Expr::Input(name));
                }
                let Some(function) = Function::named(&name) else {
                    return Err(FormulaError::new(
                        position,
                        format!("unknown function '{name}'; the functions are min, max and abs"),
                    ));
                };
                let open = self.peek().position;
                self.advance();
                let args = self.nested(position, |p| p.arguments(open))?;
                function
                    .check_arity(args.len())
                    .map_err(|message| FormulaError::new(position, message))?;
                Ok(Expr::Call(function, args))
            }
            Kind::LParen => {
                self.advance();
                self.nested(position, |p| {
                    let inner = p.sum()?;
                    p.close(position)?;
                    Ok(inner)
                })
            }
            Kind::Bad(error) => Err(error.clone()),
            _ => Err(FormulaError::new(
                position,
                format!(
                    "expected a number, a measure key or '(' but found {}",
                    token.describe()
                ),
            )),
        }
    }

    /// The arguments of a call whose `(` has been consumed, through its `)`.
    fn arguments(&mut self, open: usize) -> Result<Vec<Expr>, FormulaError> {
        let mut args = Vec::new();
        if matches!(self.peek().kind, Kind::RParen) {
            self.advance();
            return Ok(args);
        }
        loop {
            args.push(self.sum()?);
            if matches!(self.peek().kind, Kind::Comma) {
                self.advance();
            } else {
                self.close(open)?;
                return Ok(args);
            }
        }
    }

    /// Consumes the `)` closing the `(` at `open`.
    fn close(&mut self, open: usize) -> Result<(), FormulaError> {
        let token = self.peek();
        match &token.kind {
            Kind::RParen => {
                self.advance();
                Ok(())
            }
            Kind::Bad(error) => Err(error.clone()),
            _ => Err(FormulaError::new(
                token.position,
                format!(
                    "expected ')' to close the '(' at character {} but found {}",
                    open + 1,
                    token.describe()
                ),
            )),
        }
    }

    fn nested<T>(
        &mut self,
        position: usize,
        parse: impl FnOnce(&mut Self) -> Result<T, FormulaError>,
    ) -> Result<T, FormulaError> {
        if self.depth >= MAX_DEPTH {
            return Err(FormulaError::new(
                position,
                format!("parentheses, functions and minus signs nest more than {MAX_DEPTH} deep"),
            ));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(source: &str) -> Option<f64> {
        Formula::parse(source).unwrap().eval(|_| None)
    }

    fn with(source: &str, inputs: &[(&str, f64)]) -> Option<f64> {
        Formula::parse(source)
            .unwrap()
            .eval(|k| inputs.iter().find(|(n, _)| *n == k).map(|(_, v)| *v))
    }

    fn error(source: &str) -> (usize, String) {
        let e = Formula::parse(source).unwrap_err();
        (e.position, e.message)
    }

    #[test]
    fn precedence_and_left_associativity() {
        assert_eq!(value("10 - 4 - 3"), Some(3.0));
        assert_eq!(value("2 + 3 * 4"), Some(14.0));
        assert_eq!(value("(2+3)*4"), Some(20.0));
        assert_eq!(value("8 / 4 / 2"), Some(1.0));
        assert_eq!(value("1 - 2 + 3"), Some(2.0));
        assert_eq!(value("0.5 * 3"), Some(1.5));
        assert_eq!(value(" \t12\n"), Some(12.0));
    }

    #[test]
    fn unary_minus() {
        assert_eq!(with("-a + 3", &[("a", 5.0)]), Some(-2.0));
        assert_eq!(value("--2"), Some(2.0));
        assert_eq!(value("2 - -3"), Some(5.0));
        assert_eq!(value("-2 * 3"), Some(-6.0));
        assert_eq!(value("-(1 + 2)"), Some(-3.0));
    }

    #[test]
    fn functions() {
        assert_eq!(value("min(3, 1, 2)"), Some(1.0));
        assert_eq!(value("max(3, 1 + 4, 2)"), Some(5.0));
        assert_eq!(value("abs(2 - 7)"), Some(5.0));
        assert_eq!(with("min(a, b)", &[("a", 1.0)]), None);
        let f = Formula::parse("max(a, min(b, 1))").unwrap();
        assert_eq!(f.inputs().into_iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn the_example_from_the_plan() {
        let f = Formula::parse("  resolved_within_sla / tickets_total * 100 ").unwrap();
        assert_eq!(f.source(), "resolved_within_sla / tickets_total * 100");
        assert_eq!(f.to_string(), f.source());
        let v = f.eval(|k| match k {
            "resolved_within_sla" => Some(45.0),
            "tickets_total" => Some(50.0),
            _ => None,
        });
        assert_eq!(v, Some(90.0));
    }

    #[test]
    fn inputs_are_deduplicated_and_case_sensitive() {
        let f = Formula::parse("b + a * b - (A / _c1) + 2").unwrap();
        assert_eq!(
            f.inputs().into_iter().collect::<Vec<_>>(),
            ["A", "_c1", "a", "b"]
        );
        assert!(Formula::parse("1 + 2").unwrap().inputs().is_empty());
    }

    #[test]
    fn no_data_is_not_a_number() {
        assert_eq!(with("a + b", &[("a", 1.0)]), None);
        assert_eq!(with("a / b", &[("a", 1.0), ("b", 0.0)]), None);
        assert_eq!(with("a / (b - b)", &[("a", 1.0), ("b", 7.0)]), None);
        assert_eq!(value("1 / -0"), None);
        assert_eq!(with("a * 2", &[("a", f64::NAN)]), None);
        assert_eq!(with("a * a", &[("a", 1e200)]), None);
        assert_eq!(with("a * a / a", &[("a", 1e200)]), None);
        assert_eq!(with("0 / a", &[("a", 4.0)]), Some(0.0));
    }

    #[test]
    fn parse_errors_say_where_and_what() {
        assert_eq!(error("   ").0, 0);
        assert!(error("").1.contains("empty"));
        assert_eq!(
            error("a + b * * c"),
            (
                8,
                "expected a number, a measure key or '(' but found '*'".into()
            )
        );
        assert_eq!(
            Formula::parse("a + b * * c").unwrap_err().to_string(),
            "at character 9: expected a number, a measure key or '(' but found '*'"
        );
        assert_eq!(error("a + # b"), (4, "unexpected character '#'".into()));
        assert_eq!(
            error("a +"),
            (
                3,
                "expected a number, a measure key or '(' but found the end of the formula".into()
            )
        );
        assert_eq!(
            error("(a + b"),
            (
                6,
                "expected ')' to close the '(' at character 1 but found the end of the formula"
                    .into()
            )
        );
        assert_eq!(error("a + b)"), (5, "')' has no matching '('".into()));
        assert_eq!(
            error("a b"),
            (
                2,
                "expected an operator or the end of the formula but found 'b'".into()
            )
        );
        assert_eq!(error("2(3)").0, 1);
        assert_eq!(error("()").0, 1);
        assert_eq!(error("+2").0, 0);
        assert!(error("sqrt(a)").1.starts_with("unknown function 'sqrt'"));
        assert_eq!(error("x * abs(a, b)").0, 4);
        assert!(error("abs()").1.contains("exactly one"));
        assert!(error("min(a)").1.contains("two or more"));
        assert_eq!(error("min(a,)").0, 6);
        assert_eq!(error(".5").0, 0);
        assert_eq!(error("5.").0, 2);
        assert_eq!(error("5.x").0, 2);
        assert!(error(&"9".repeat(400)).1.contains("too large"));
        assert_eq!(with("a-b", &[("a", 3.0), ("b", 1.0)]), Some(2.0));
        assert_eq!(error("é").0, 0);
        assert_eq!(error("é + *"), (0, "unexpected character 'é'".into()));
        assert_eq!(error("ab + é").0, 5);
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "(".repeat(65), ")".repeat(65));
        assert!(error(&deep).1.contains("more than 64 deep"));
        let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(value(&ok), Some(1.0));
        assert!(error(&"-".repeat(200)).1.contains("deep"));
        assert!(error(&"abs(".repeat(100)).1.contains("deep"));
        let long = format!("a{}", " + a".repeat(250));
        assert!(error(&long).1.contains("at most 1000"));
        let longest = format!("a{}", " + a".repeat(249));
        assert_eq!(with(&longest, &[("a", 1.0)]), Some(250.0));
    }

    #[test]
    fn serde_and_from_str_round_trip() {
        let f: Formula = "a / b * 100".parse().unwrap();
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, "\"a / b * 100\"");
        let back: Formula = serde_json::from_str(&json).unwrap();
        assert_eq!(back, f);
        let bad = serde_json::from_str::<Formula>("\"a * \"").unwrap_err();
        assert!(bad.to_string().contains("at character 4"));
    }
}
