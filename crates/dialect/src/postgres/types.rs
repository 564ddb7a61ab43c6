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
        TypeKind::Other { raw } => Mapped::exact(raw.trim()),
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
