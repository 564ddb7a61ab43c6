//! PostgreSQL spellings of portable types and defaults.

use crate::common::{coerce_default, find_foreign, number_literal, quote_with, string_literal, FOREIGN_TO_POSTGRES};
use crate::Mapped;
use model::{DefaultValue, TypeKind};

/// The PostgreSQL type for `kind`.
pub(super) fn map_type(kind: &TypeKind) -> Mapped {
    match kind {
        TypeKind::Int { bytes: 1 } => Mapped::lossy("smallint", "PostgreSQL has no 1-byte integer; smallint is used"),
        TypeKind::Int { bytes: 2 } => Mapped::exact("smallint"),
        TypeKind::Int { bytes: 8 } => Mapped::exact("bigint"),
        TypeKind::Int { .. } => Mapped::exact("integer"),
        TypeKind::Decimal { precision: Some(p), scale: Some(s) } => Mapped::exact(format!("numeric({p},{s})")),
        TypeKind::Decimal { precision: Some(p), scale: None } => Mapped::exact(format!("numeric({p})")),
        TypeKind::Decimal { .. } => Mapped::exact("numeric"),
        TypeKind::Float { bytes: 4 } => Mapped::exact("real"),
        TypeKind::Float { .. } => Mapped::exact("double precision"),
        TypeKind::Bool => Mapped::exact("boolean"),
        TypeKind::Text => Mapped::exact("text"),
        TypeKind::Varchar { len: Some(n) } => Mapped::exact(format!("varchar({n})")),
        TypeKind::Varchar { len: None } => Mapped::exact("varchar"),
        TypeKind::Char { len: Some(n) } => Mapped::exact(format!("char({n})")),
        TypeKind::Char { len: None } => Mapped::exact("char"),
        TypeKind::Bytes => Mapped::exact("bytea"),
        TypeKind::Uuid => Mapped::exact("uuid"),
        TypeKind::Json => Mapped::exact("json"),
        TypeKind::Jsonb => Mapped::exact("jsonb"),
        TypeKind::Date => Mapped::exact("date"),
        TypeKind::Time { tz: false } => Mapped::exact("time"),
        TypeKind::Time { tz: true } => Mapped::exact("timetz"),
        TypeKind::Timestamp { tz, precision } => {
            let base = if *tz { "timestamptz" } else { "timestamp" };
            Mapped::exact(match precision {
                Some(p) => format!("{base}({})", (*p).min(6)),
                None => base.to_string(),
            })
        }
        TypeKind::Interval => Mapped::exact("interval"),
        TypeKind::Array { of } => {
            let inner = map_type(of);
            Mapped { sql: format!("{}[]", inner.sql), note: inner.note }
        }
        TypeKind::Enum { name } => Mapped::exact(quote_with(name, '"')),
        TypeKind::Vector { dims: Some(n) } => Mapped::exact(format!("vector({n})")),
        TypeKind::Vector { dims: None } => Mapped::exact("vector"),
        TypeKind::Other { raw } => other_type(raw),
    }
}

/// Types of MySQL and SQLite PostgreSQL does not know, and its spelling of each.
const FOREIGN_TYPES: &[(&str, &str)] = &[
    ("tinyint", "smallint"),
    ("mediumint", "integer"),
    ("int", "integer"),
    ("double", "double precision"),
    ("datetime", "timestamp"),
    ("year", "smallint"),
    ("tinytext", "text"),
    ("mediumtext", "text"),
    ("longtext", "text"),
    ("clob", "text"),
    ("nvarchar", "varchar"),
    ("nchar", "char"),
    ("tinyblob", "bytea"),
    ("blob", "bytea"),
    ("mediumblob", "bytea"),
    ("longblob", "bytea"),
    ("binary", "bytea"),
    ("varbinary", "bytea"),
];

/// Types whose parenthesised argument PostgreSQL rejects or reads differently (a display width, a
/// byte length): the argument is dropped.
const WITHOUT_ARGUMENT: &[&str] = &["smallint", "integer", "bytea", "double precision"];

/// The PostgreSQL spelling of a type the model does not know, written for any engine.
fn other_type(raw: &str) -> Mapped {
    let raw = raw.trim();
    let lower = raw.to_ascii_lowercase();
    // NOTE: UNSIGNED, ZEROFILL and SIGNED are MySQL modifiers; PostgreSQL has no unsigned types.
    let words: Vec<&str> = lower.split_whitespace().collect();
    let kept: Vec<&str> = words.iter().copied().filter(|w| !matches!(*w, "unsigned" | "zerofill" | "signed")).collect();
    let unsigned = kept.len() != words.len();
    let spelled = kept.join(" ");
    let (base, arg) = match spelled.split_once('(') {
        Some((b, rest)) => (b.trim(), Some(format!("({rest}"))),
        None => (spelled.as_str(), None),
    };
    if matches!(base, "enum" | "set") {
        return Mapped::lossy("text", format!("PostgreSQL has no inline {base} type: `{raw}` is stored as text"));
    }
    let valid = !spelled.is_empty()
        && spelled.starts_with(|c: char| c.is_ascii_alphabetic())
        && spelled.chars().all(|c| c.is_ascii_alphanumeric() || " _(),.[]".contains(c));
    if !valid {
        return Mapped::lossy("text", format!("type `{raw}` is not a PostgreSQL type name: stored as text"));
    }
    let mapped = FOREIGN_TYPES.iter().find(|(name, _)| *name == base).map(|(_, pg)| *pg);
    let sql = match mapped {
        Some(pg) if WITHOUT_ARGUMENT.contains(&pg) => pg.to_string(),
        Some(pg) => format!("{pg}{}", arg.unwrap_or_default()),
        // Written as in the document: PostgreSQL folds unquoted names to lower case anyway.
        None if !unsigned => raw.to_string(),
        None => spelled,
    };
    match (mapped, unsigned) {
        (_, true) => Mapped::lossy(sql, format!("PostgreSQL has no unsigned types: `{raw}` accepts negative values")),
        (Some(_), false) => Mapped::lossy(sql, format!("PostgreSQL has no type `{raw}`")),
        (None, false) => Mapped::exact(sql),
    }
}

/// The PostgreSQL `DEFAULT` expression for `value` on a column of `kind`.
pub(super) fn default_sql(kind: &TypeKind, value: &DefaultValue) -> Result<Mapped, String> {
    Ok(Mapped::exact(match coerce_default(kind, value) {
        DefaultValue::Null => "NULL".to_string(),
        DefaultValue::Bool(b) => if b { "true" } else { "false" }.to_string(),
        DefaultValue::Number(n) => number_literal(&n)?,
        // NOTE: an untyped literal takes the column's type, so '{}' on text[] stays an empty array.
        DefaultValue::String(s) => string_literal(&s, false),
        DefaultValue::CurrentTimestamp => match kind {
            TypeKind::Date => "CURRENT_DATE".to_string(),
            _ => "now()".to_string(),
        },
        DefaultValue::CurrentDate => "CURRENT_DATE".to_string(),
        DefaultValue::CurrentTime => "CURRENT_TIME".to_string(),
        // NOTE: gen_random_uuid() is built in since PostgreSQL 13; no extension needed.
        DefaultValue::GeneratedUuid => "gen_random_uuid()".to_string(),
        DefaultValue::Raw(raw) => {
            if let Some(found) = find_foreign(&raw, FOREIGN_TO_POSTGRES) {
                return Err(format!("`{raw}` uses `{}`, which PostgreSQL does not have", found.trim()));
            }
            // NOTE: the model holds no sequences, so a sequence named here would not exist.
            if find_foreign(&raw, &["nextval("]).is_some() {
                return Err(format!(
                    "`{}` reads a sequence the schema does not create; an identity column does this",
                    raw.trim()
                ));
            }
            raw.trim().to_string()
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_postgres_names() {
        let cases: Vec<(TypeKind, &str)> = vec![
            (TypeKind::Int { bytes: 2 }, "smallint"),
            (TypeKind::Int { bytes: 4 }, "integer"),
            (TypeKind::Int { bytes: 8 }, "bigint"),
            (TypeKind::Decimal { precision: Some(10), scale: Some(2) }, "numeric(10,2)"),
            (TypeKind::Float { bytes: 8 }, "double precision"),
            (TypeKind::Timestamp { tz: true, precision: Some(3) }, "timestamptz(3)"),
            (TypeKind::Timestamp { tz: false, precision: None }, "timestamp"),
            (TypeKind::Array { of: Box::new(TypeKind::Text) }, "text[]"),
            (TypeKind::Vector { dims: Some(1536) }, "vector(1536)"),
            (TypeKind::Enum { name: "Mood".into() }, "\"Mood\""),
            (TypeKind::Uuid, "uuid"),
            (TypeKind::Jsonb, "jsonb"),
            (TypeKind::Other { raw: "inet".into() }, "inet"),
        ];
        for (kind, want) in cases {
            assert_eq!(map_type(&kind).sql, want, "{kind:?}");
        }
        assert!(map_type(&TypeKind::Int { bytes: 1 }).note.is_some());
    }

    #[test]
    fn foreign_type_names_are_respelled() {
        let other = |raw: &str| map_type(&TypeKind::Other { raw: raw.into() });
        assert_eq!(other("geometry(Point, 4326)"), Mapped::exact("geometry(Point, 4326)"));
        let unsigned = other("DECIMAL(10,2) UNSIGNED");
        assert_eq!(unsigned.sql, "decimal(10,2)");
        assert!(unsigned.note.is_some_and(|n| n.contains("unsigned")));
        assert_eq!(other("int(11) unsigned zerofill").sql, "integer");
        assert_eq!(other("DOUBLE").sql, "double precision");
        assert_eq!(other("datetime(3)").sql, "timestamp(3)");
        assert_eq!(other("LONGBLOB").sql, "bytea");
        assert_eq!(other("nvarchar(40)").sql, "varchar(40)");
        assert_eq!(other("ENUM('a','b')").sql, "text");
        assert_eq!(other("SET('x')").sql, "text");
        assert_eq!(other("text; drop table x").sql, "text");
    }

    #[test]
    fn defaults_are_spelled_for_postgres() {
        let arr = TypeKind::Array { of: Box::new(TypeKind::Text) };
        assert_eq!(default_sql(&arr, &DefaultValue::String("{}".into())).map(|m| m.sql), Ok("'{}'".into()));
        assert_eq!(default_sql(&TypeKind::Bool, &DefaultValue::Number("1".into())).map(|m| m.sql), Ok("true".into()));
        assert_eq!(
            default_sql(&TypeKind::Uuid, &DefaultValue::GeneratedUuid).map(|m| m.sql),
            Ok("gen_random_uuid()".into())
        );
        assert_eq!(
            default_sql(&TypeKind::Text, &DefaultValue::String("it's".into())).map(|m| m.sql),
            Ok("'it''s'".into())
        );
        assert!(default_sql(&TypeKind::Text, &DefaultValue::Raw("(datetime('now'))".into())).is_err());
        assert!(default_sql(&TypeKind::Int { bytes: 4 }, &DefaultValue::Number("1; drop".into())).is_err());
        assert!(default_sql(&TypeKind::Int { bytes: 4 }, &DefaultValue::Raw("nextval('s')".into())).is_err());
        assert_eq!(
            default_sql(&TypeKind::Int { bytes: 4 }, &DefaultValue::Raw("floor(random() * 10)".into())).map(|m| m.sql),
            Ok("floor(random() * 10)".into())
        );
    }
}
