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

/// The portable type of a PostgreSQL type name, as `format_type` spells it (`character varying(255)`,
/// `timestamp(3) without time zone`, `text[]`) or as [`map_type`] writes it (`varchar(255)`,
/// `timestamptz(3)`). `enums` says whether a bare name is a user enum type. Unknown names become
/// [`TypeKind::Other`].
pub(super) fn parse_type(spelled: &str, is_enum: &dyn Fn(&str) -> bool) -> TypeKind {
    let s = spelled.trim();
    if let Some(inner) = s.strip_suffix("[]") {
        return TypeKind::Array { of: Box::new(parse_type(inner, is_enum)) };
    }
    let lower = s.to_ascii_lowercase();
    // The argument list, if any, and the name with it removed (`timestamp(3) with time zone`).
    let (name, args) = match (lower.find('('), lower.find(')')) {
        (Some(open), Some(close)) if close > open => {
            let name = format!("{} {}", lower[..open].trim(), lower[close + 1..].trim());
            let args: Vec<Option<u32>> = lower[open + 1..close].split(',').map(|a| a.trim().parse().ok()).collect();
            (name.trim().to_string(), args)
        }
        _ => (lower.clone(), Vec::new()),
    };
    let arg = |i: usize| args.get(i).copied().flatten();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.as_str() {
        "smallint" | "int2" | "smallserial" => TypeKind::Int { bytes: 2 },
        "integer" | "int" | "int4" | "serial" => TypeKind::Int { bytes: 4 },
        "bigint" | "int8" | "bigserial" => TypeKind::Int { bytes: 8 },
        "numeric" | "decimal" => TypeKind::Decimal {
            precision: arg(0),
            // NOTE: numeric(p) is numeric(p,0); format_type spells it so.
            scale: arg(1).or(arg(0).map(|_| 0)),
        },
        "real" | "float4" => TypeKind::Float { bytes: 4 },
        "double precision" | "float8" => TypeKind::Float { bytes: 8 },
        "boolean" | "bool" => TypeKind::Bool,
        "text" => TypeKind::Text,
        "character varying" | "varchar" => TypeKind::Varchar { len: arg(0) },
        // NOTE: a bare `char` is character(1); `bpchar` is the unbounded internal name.
        "character" | "char" => TypeKind::Char { len: arg(0).or(Some(1)) },
        "bpchar" => TypeKind::Char { len: arg(0) },
        "bytea" => TypeKind::Bytes,
        "uuid" => TypeKind::Uuid,
        "json" => TypeKind::Json,
        "jsonb" => TypeKind::Jsonb,
        "date" => TypeKind::Date,
        "time" | "time without time zone" => TypeKind::Time { tz: false },
        "timetz" | "time with time zone" => TypeKind::Time { tz: true },
        "timestamp" | "timestamp without time zone" => TypeKind::Timestamp { tz: false, precision: arg(0) },
        "timestamptz" | "timestamp with time zone" => TypeKind::Timestamp { tz: true, precision: arg(0) },
        "interval" => TypeKind::Interval,
        "vector" => TypeKind::Vector { dims: arg(0) },
        _ => {
            let bare = unquote_ident(s);
            if is_enum(&bare) {
                TypeKind::Enum { name: bare }
            } else {
                TypeKind::Other { raw: s.to_string() }
            }
        }
    }
}

/// An identifier as PostgreSQL prints it (`"Mood"`, `public.mood`), without quotes or the
/// `public.` schema.
pub(super) fn unquote_ident(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix("public.").unwrap_or(s);
    match s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

/// A default expression as the server prints it (`pg_get_expr`) or as [`default_sql`] writes it,
/// read back into a portable value: `'draft'::character varying` is the string `draft`, `now()`
/// and `CURRENT_TIMESTAMP` the current time, anything unrecognised stays [`DefaultValue::Raw`].
pub(super) fn parse_default(expr: &str) -> DefaultValue {
    let mut e = expr.trim();
    while let Some(inner) = e.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        e = inner.trim();
    }
    let lower = e.to_ascii_lowercase();
    match lower.as_str() {
        "true" => return DefaultValue::Bool(true),
        "false" => return DefaultValue::Bool(false),
        "now()" | "current_timestamp" | "transaction_timestamp()" | "localtimestamp" => {
            return DefaultValue::CurrentTimestamp
        }
        "current_date" => return DefaultValue::CurrentDate,
        "current_time" | "localtime" => return DefaultValue::CurrentTime,
        "gen_random_uuid()" | "uuid_generate_v4()" => return DefaultValue::GeneratedUuid,
        _ => {}
    }
    if lower == "null" || lower.starts_with("null::") {
        return DefaultValue::Null;
    }
    if number_literal(e).is_ok() && !e.starts_with('+') {
        return DefaultValue::Number(e.to_string());
    }
    // A string literal, possibly cast: 'x', 'x'::text, 'x'::character varying(20), '{}'::text[].
    if let Some((literal, rest)) = split_string_literal(e) {
        let rest = rest.trim();
        if rest.is_empty() || cast_only(rest) {
            let cast = rest.trim_start_matches(':').trim().to_ascii_lowercase();
            let numeric = ["integer", "bigint", "smallint", "numeric", "real", "double precision"];
            if numeric.iter().any(|n| cast.starts_with(n)) && number_literal(&literal).is_ok() {
                return DefaultValue::Number(literal);
            }
            if cast == "boolean" {
                match literal.as_str() {
                    "true" | "t" => return DefaultValue::Bool(true),
                    "false" | "f" => return DefaultValue::Bool(false),
                    _ => {}
                }
            }
            return DefaultValue::String(literal);
        }
    }
    DefaultValue::Raw(e.to_string())
}

/// Whether `rest` is only a cast to a type name (`::character varying(20)`, `::text[]`).
fn cast_only(rest: &str) -> bool {
    let Some(ty) = rest.strip_prefix("::") else { return false };
    !ty.is_empty() && ty.chars().all(|c| c.is_ascii_alphanumeric() || " _(),[]\"".contains(c))
}

/// Whether the parentheses of `s` (outside strings) balance without going negative.
fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    for c in s.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A leading single-quoted literal (unescaped) and what follows it.
fn split_string_literal(e: &str) -> Option<(String, &str)> {
    let body = e.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if matches!(chars.peek(), Some((_, '\''))) {
                chars.next();
                out.push('\'');
            } else {
                return Some((out, &body[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_type_spellings_are_read() {
        let no_enum = |_: &str| false;
        let cases: Vec<(&str, TypeKind)> = vec![
            ("character varying(255)", TypeKind::Varchar { len: Some(255) }),
            ("timestamp(3) without time zone", TypeKind::Timestamp { tz: false, precision: Some(3) }),
            ("timestamp with time zone", TypeKind::Timestamp { tz: true, precision: None }),
            ("timestamptz(3)", TypeKind::Timestamp { tz: true, precision: Some(3) }),
            ("text[]", TypeKind::Array { of: Box::new(TypeKind::Text) }),
            ("vector(1536)", TypeKind::Vector { dims: Some(1536) }),
            ("numeric(10)", TypeKind::Decimal { precision: Some(10), scale: Some(0) }),
            ("numeric(12,2)", TypeKind::Decimal { precision: Some(12), scale: Some(2) }),
            ("numeric", TypeKind::Decimal { precision: None, scale: None }),
            ("character(2)", TypeKind::Char { len: Some(2) }),
            ("char", TypeKind::Char { len: Some(1) }),
            ("double precision", TypeKind::Float { bytes: 8 }),
            ("time without time zone", TypeKind::Time { tz: false }),
            ("inet", TypeKind::Other { raw: "inet".into() }),
        ];
        for (spelled, want) in cases {
            assert_eq!(parse_type(spelled, &no_enum), want, "{spelled}");
        }
        let moods = |n: &str| n == "Mood";
        assert_eq!(
            parse_type("\"Mood\"[]", &moods),
            TypeKind::Array { of: Box::new(TypeKind::Enum { name: "Mood".into() }) }
        );
    }

    #[test]
    fn server_defaults_are_read_back() {
        assert_eq!(parse_default("'draft'::character varying"), DefaultValue::String("draft".into()));
        assert_eq!(parse_default("'{}'::text[]"), DefaultValue::String("{}".into()));
        assert_eq!(parse_default("'it''s'::text"), DefaultValue::String("it's".into()));
        assert_eq!(parse_default("now()"), DefaultValue::CurrentTimestamp);
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), DefaultValue::CurrentTimestamp);
        assert_eq!(parse_default("'-1'::integer"), DefaultValue::Number("-1".into()));
        assert_eq!(parse_default("(-1)"), DefaultValue::Number("-1".into()));
        assert_eq!(parse_default("0"), DefaultValue::Number("0".into()));
        assert_eq!(parse_default("true"), DefaultValue::Bool(true));
        assert_eq!(parse_default("NULL::text"), DefaultValue::Null);
        assert_eq!(parse_default("gen_random_uuid()"), DefaultValue::GeneratedUuid);
        assert_eq!(
            parse_default("floor((random() * (10)::double precision))"),
            DefaultValue::Raw("floor((random() * (10)::double precision))".into())
        );
        assert_eq!(parse_default("'a' || 'b'"), DefaultValue::Raw("'a' || 'b'".into()));
    }

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
