//! A JSON value turned into what its column holds, or why it cannot be.

use crate::time;
use dialect::Cell;
use model::{Column, Schema, TypeKind};
use serde_json::Value;

/// What a JSON value is, for messages (`a string`, `an object`).
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if shown.len() < s.len() { "…" } else { "" };
            format!("the string \"{shown}{more}\"")
        }
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// `value` as a cell of `column` (whose type is `ty`), or the reason it does not fit.
pub fn convert(value: &Value, column: &Column, schema: &Schema) -> Result<Cell, String> {
    if value.is_null() {
        return Ok(Cell::Null);
    }
    let ty = &column.ty.kind;
    let wrong = || format!("expected {}, found {}", expected(ty), describe(value));
    match ty {
        TypeKind::Int { .. } => match value {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
                .map(Cell::Int)
                .ok_or_else(wrong),
            Value::Bool(b) => Ok(Cell::Int(i64::from(*b))),
            // A boolean where booleans are integers (SQLite, MySQL): PostgreSQL's text output is `true`.
            Value::String(s) => match s.trim() {
                "true" | "t" => Ok(Cell::Int(1)),
                "false" | "f" => Ok(Cell::Int(0)),
                t => t.parse::<i64>().map(Cell::Int).map_err(|_| wrong()),
            },
            _ => Err(wrong()),
        },
        TypeKind::Float { .. } => match value {
            Value::Number(n) => n.as_f64().map(Cell::Float).ok_or_else(wrong),
            Value::String(s) => {
                s.trim().parse::<f64>().ok().filter(|f| f.is_finite()).map(Cell::Float).ok_or_else(wrong)
            }
            _ => Err(wrong()),
        },
        TypeKind::Decimal { .. } => match value {
            Value::Number(n) => Ok(Cell::Text(n.to_string())),
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                Ok(Cell::Text(s.trim().to_string()))
            }
            _ => Err(wrong()),
        },
        TypeKind::Bool => match value {
            Value::Bool(b) => Ok(Cell::Bool(*b)),
            Value::Number(n) if n.as_i64() == Some(0) || n.as_i64() == Some(1) => Ok(Cell::Bool(n.as_i64() == Some(1))),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "1" | "yes" | "y" => Ok(Cell::Bool(true)),
                "false" | "f" | "0" | "no" | "n" => Ok(Cell::Bool(false)),
                _ => Err(wrong()),
            },
            _ => Err(wrong()),
        },
        TypeKind::Timestamp { .. } => match value {
            Value::String(s) => {
                time::parse_iso(s).map(|i| Cell::Timestamp { text: i.text, utc: i.utc }).ok_or_else(wrong)
            }
            Value::Number(n) => n
                .as_i64()
                .and_then(time::from_epoch)
                .map(|i| Cell::Timestamp { text: i.text, utc: i.utc })
                .ok_or_else(wrong),
            _ => Err(wrong()),
        },
        TypeKind::Date => match value {
            Value::String(s) => time::date_of_iso(s).map(Cell::Date).ok_or_else(wrong),
            Value::Number(n) => {
                n.as_i64().and_then(time::from_epoch).map(|i| Cell::Date(i.text[..10].to_string())).ok_or_else(wrong)
            }
            _ => Err(wrong()),
        },
        TypeKind::Json | TypeKind::Jsonb | TypeKind::Array { .. } => Ok(Cell::Json(json_of(value))),
        TypeKind::Uuid => match value {
            Value::String(s) if is_uuid(s) => Ok(Cell::Text(s.clone())),
            _ => Err(wrong()),
        },
        TypeKind::Enum { name } => {
            let text = scalar_text(value).ok_or_else(wrong)?;
            match schema.enum_named(name) {
                Some(e) if !e.values.contains(&text) => {
                    Err(format!("`{text}` is not a value of enum `{name}` ({})", e.values.join(", ")))
                }
                _ => Ok(Cell::Text(text)),
            }
        }
        TypeKind::Varchar { len: Some(n) } | TypeKind::Char { len: Some(n) } => {
            let text = text_of(value);
            let chars = text.chars().count();
            if chars > *n as usize && column.ty.exact {
                return Err(format!("{chars} characters do not fit `{}`", column.ty.spelling));
            }
            Ok(Cell::Text(text))
        }
        _ => Ok(Cell::Text(text_of(value))),
    }
}

/// A JSON value stored in a JSON column. A string that holds a JSON object or array (a JSON
/// column exported as text) is stored as that document.
fn json_of(value: &Value) -> String {
    if let Value::String(s) = value {
        let t = s.trim_start();
        if t.starts_with('{') || t.starts_with('[') {
            if let Ok(inner) = serde_json::from_str::<Value>(s) {
                return inner.to_string();
            }
        }
    }
    value.to_string()
}

/// A value stored in a text column: strings as they are, numbers and booleans as written, objects
/// and arrays as JSON text.
fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn is_uuid(s: &str) -> bool {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    let dashed = s.len() == 36 && [8, 13, 18, 23].iter().all(|&i| s.as_bytes()[i] == b'-');
    (dashed || s.len() == 32) && hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn expected(ty: &TypeKind) -> &'static str {
    match ty {
        TypeKind::Int { .. } => "an integer",
        TypeKind::Float { .. } | TypeKind::Decimal { .. } => "a number",
        TypeKind::Bool => "a boolean (true/false, 0/1)",
        TypeKind::Timestamp { .. } => "an ISO 8601 date-time or an epoch timestamp",
        TypeKind::Date => "an ISO 8601 date",
        TypeKind::Uuid => "a UUID string",
        TypeKind::Enum { .. } => "a string",
        _ => "a value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataType, Notation, Origin};
    use serde_json::json;

    fn col(kind: TypeKind, spelling: &str) -> Column {
        Column::new("c", DataType::new(kind, spelling), Origin::new("d.md".into(), 1, 1, Notation::Sql))
    }

    #[test]
    fn values_convert_to_their_column_types() {
        let s = Schema::default();
        let int = col(TypeKind::Int { bytes: 4 }, "INTEGER");
        assert_eq!(convert(&json!(5), &int, &s), Ok(Cell::Int(5)));
        assert_eq!(convert(&json!(true), &int, &s), Ok(Cell::Int(1)));
        assert_eq!(convert(&json!("7"), &int, &s), Ok(Cell::Int(7)));
        assert_eq!(convert(&json!("true"), &int, &s), Ok(Cell::Int(1)));
        assert_eq!(convert(&json!("x"), &int, &s), Err("expected an integer, found the string \"x\"".to_string()));
        let ts = col(TypeKind::Timestamp { tz: true, precision: None }, "TIMESTAMPTZ");
        assert_eq!(
            convert(&json!(1_762_240_348_566i64), &ts, &s),
            Ok(Cell::Timestamp { text: "2025-11-04 07:12:28.566".into(), utc: true })
        );
        let b = col(TypeKind::Bool, "BOOLEAN");
        assert_eq!(convert(&json!(0), &b, &s), Ok(Cell::Bool(false)));
        assert!(convert(&json!("maybe"), &b, &s).is_err());
        let j = col(TypeKind::Jsonb, "JSONB");
        assert_eq!(convert(&json!({"a": [1]}), &j, &s), Ok(Cell::Json("{\"a\":[1]}".into())));
        assert_eq!(convert(&json!("[\"x\"]"), &j, &s), Ok(Cell::Json("[\"x\"]".into())));
        let t = col(TypeKind::Text, "TEXT");
        assert_eq!(convert(&json!({"k": "한"}), &t, &s), Ok(Cell::Text("{\"k\":\"한\"}".into())));
        let v = col(TypeKind::Varchar { len: Some(3) }, "VARCHAR(3)");
        assert_eq!(convert(&json!("가나다"), &v, &s), Ok(Cell::Text("가나다".into())));
        assert!(convert(&json!("가나다라"), &v, &s).is_err());
        let u = col(TypeKind::Uuid, "UUID");
        assert!(convert(&json!("959413a3-15a0-4818-82b2-5c97600b9740"), &u, &s).is_ok());
        assert!(convert(&json!("959413a3"), &u, &s).is_err());
    }
}
