//! A table of open data: fixed column names and typed cells, written as CSV
//! (RFC 4180, UTF-8, one header row) or as a JSON array of objects with the
//! same names. One definition feeds both, so the two formats cannot drift.

use serde_json::{Map, Value};

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value: an empty CSV field, JSON `null`.
    Null,
    /// Text, as is.
    Text(String),
    /// A whole number.
    Int(i64),
    /// Yes or no: `true` / `false` in both formats.
    Bool(bool),
    /// A number; written in its shortest exact form (`12`, `99.5`).
    Number(f64),
    /// Several words (tag keys): `;`-separated in CSV, an array in JSON.
    List(Vec<String>),
}

impl Cell {
    /// Text, or `Null` when there is none.
    pub fn text<S: ToString>(value: Option<S>) -> Self {
        value.map_or(Self::Null, |v| Self::Text(v.to_string()))
    }

    /// A number, or `Null` when there is none.
    pub fn number(value: Option<f64>) -> Self {
        value.map_or(Self::Null, Self::Number)
    }

    /// The cell as a CSV field.
    pub fn to_csv_field(&self) -> String {
        match self {
            Self::Null => String::new(),
            Self::Text(s) => s.clone(),
            Self::Int(i) => i.to_string(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => n.to_string(),
            Self::List(words) => words.join(";"),
        }
    }

    /// The cell as a JSON value.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Null => Value::Null,
            Self::Text(s) => Value::String(s.clone()),
            Self::Int(i) => Value::from(*i),
            Self::Bool(b) => Value::Bool(*b),
            Self::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
            Self::List(words) => Value::Array(words.iter().cloned().map(Value::String).collect()),
        }
    }
}

/// Rows under fixed column names.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The column names, in order (snake_case, documented in docs/open-data.md).
    pub columns: &'static [&'static str],
    /// The rows; each has one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as CSV: a header row, then one record per row, CRLF line
    /// ends, fields quoted when they hold a comma, quote or line break.
    pub fn to_csv(&self) -> Result<Vec<u8>, String> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let fail = |e: csv::Error| format!("cannot write CSV: {e}");
        out.write_record(self.columns).map_err(fail)?;
        for row in &self.rows {
            out.write_record(row.iter().map(Cell::to_csv_field))
                .map_err(fail)?;
        }
        out.into_inner()
            .map_err(|e| format!("cannot write CSV: {}", e.error()))
    }

    /// The table as a JSON array of objects, one key per column.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    let object: Map<String, Value> = self
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(name, cell)| ((*name).to_owned(), cell.to_json()))
                        .collect();
                    Value::Object(object)
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            columns: &["name", "value", "count", "tags"],
            rows: vec![
                vec![
                    Cell::Text("Say \"hi\", then\nleave".into()),
                    Cell::Number(99.5),
                    Cell::Int(3),
                    Cell::List(vec!["a".into(), "b".into()]),
                ],
                vec![
                    Cell::Null,
                    Cell::Number(12.0),
                    Cell::Int(0),
                    Cell::List(vec![]),
                ],
            ],
        }
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_quoting() {
        let csv = String::from_utf8(table().to_csv().unwrap()).unwrap();
        assert_eq!(
            csv,
            "name,value,count,tags\r\n\"Say \"\"hi\"\", then\nleave\",99.5,3,a;b\r\n,12,0,\r\n"
        );
    }

    #[test]
    fn csv_reads_back_to_the_same_fields() {
        let bytes = table().to_csv().unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let first = reader.records().next().unwrap().unwrap();
        assert_eq!(&first[0], "Say \"hi\", then\nleave");
        assert_eq!(&first[3], "a;b");
    }

    #[test]
    fn json_is_an_array_of_objects_with_the_column_names() {
        let json = table().to_json();
        assert_eq!(json[0]["name"], "Say \"hi\", then\nleave");
        assert_eq!(json[0]["value"], 99.5);
        assert_eq!(json[0]["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(json[1]["name"], Value::Null);
        assert_eq!(json[1]["count"], 0);
        let mut keys: Vec<&String> = json[0].as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["count", "name", "tags", "value"]);
    }
}
