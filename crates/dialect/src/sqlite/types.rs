//! SQLite spellings of portable types and defaults.
//!
//! NOTE: SQLite stores any value in any column; a declared type only gives the column an affinity
//! (INTEGER, REAL, NUMERIC, TEXT, BLOB). Names are chosen so that the affinity matches the meaning.

use crate::common::{
    array_literal_as_json, coerce_default, find_foreign, is_plain_literal, number_literal, string_literal,
    POSTGRES_ONLY,
};
use crate::Mapped;
use model::{DefaultValue, TypeKind};

/// Functions and syntax of PostgreSQL or MySQL that SQLite does not have, beyond
/// [`POSTGRES_ONLY`].
pub(super) const NOT_IN_SQLITE: &[&str] = &[
    "now(",
    "extract(",
    "char_length(",
    "character_length(",
    "concat(",
    "concat_ws(",
    "position(",
    "greatest(",
    "least(",
    "left(",
    "right(",
    "regexp",
    "uuid(",
    "curdate(",
    "curtime(",
    "date_format(",
    "if(",
    "json_contains(",
    "to_char(",
];

/// The first PostgreSQL- or MySQL-only construct in `expr`, if any.
pub(super) fn foreign(expr: &str) -> Option<&'static str> {
    find_foreign(expr, POSTGRES_ONLY).or_else(|| find_foreign(expr, NOT_IN_SQLITE))
}

/// Whether `raw` is a type name SQLite's grammar accepts: words, optionally followed by one or two
/// signed numbers in parentheses.
fn is_type_name(raw: &str) -> bool {
    let (words, args) = match raw.split_once('(') {
        Some((w, rest)) => (w, Some(rest)),
        None => (raw, None),
    };
    let words_ok = !words.trim().is_empty()
        && words.split_whitespace().all(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && words.trim().starts_with(|c: char| c.is_ascii_alphabetic());
    let args_ok = args.is_none()
        || args.is_some_and(|a| {
            a.trim_end().strip_suffix(')').is_some_and(|inner| {
                let nums: Vec<&str> = inner.split(',').collect();
                nums.len() <= 2 && nums.iter().all(|n| n.trim().parse::<f64>().is_ok())
            })
        });
    words_ok && args_ok
}

/// The affinity SQLite would give a column declared `raw`, from the words outside parentheses.
// NOTE: SQLite's rules look for INT, then CHAR/CLOB/TEXT, then BLOB, then REAL/FLOA/DOUB; anything
// else is NUMERIC. Here an unrecognised name gets TEXT, which stores any value unchanged.
fn affinity_of(raw: &str) -> &'static str {
    let mut words = String::new();
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => words.extend(c.to_uppercase()),
            _ => {}
        }
    }
    let has = |parts: &[&str]| parts.iter().any(|p| words.contains(p));
    // An inline enum or set holds strings (and ENUM would read as NUM).
    if matches!(words.split_whitespace().next(), Some("ENUM" | "SET")) {
        "TEXT"
    } else if has(&["INT"]) {
        "INTEGER"
    } else if has(&["CHAR", "CLOB", "TEXT"]) {
        "TEXT"
    } else if has(&["BLOB"]) {
        "BLOB"
    } else if has(&["REAL", "FLOA", "DOUB"]) {
        "REAL"
    } else if has(&["DEC", "NUM"]) {
        "NUMERIC"
    } else {
        "TEXT"
    }
}

/// The SQLite type for `kind`.
pub(super) fn map_type(kind: &TypeKind) -> Mapped {
    match kind {
        TypeKind::Int { .. } => Mapped::exact("INTEGER"),
        TypeKind::Decimal { precision, .. } if !matches!(precision, Some(p) if *p <= 15) => Mapped::lossy(
            "NUMERIC",
            "SQLite keeps decimals as 64-bit integers or doubles: beyond 15 significant digits values are rounded",
        ),
        TypeKind::Decimal { .. } => Mapped::exact("NUMERIC"),
        TypeKind::Float { .. } => Mapped::exact("REAL"),
        TypeKind::Bool => Mapped::exact("INTEGER"),
        TypeKind::Text | TypeKind::Varchar { .. } | TypeKind::Char { .. } => Mapped::exact("TEXT"),
        TypeKind::Bytes => Mapped::exact("BLOB"),
        TypeKind::Uuid | TypeKind::Json | TypeKind::Jsonb | TypeKind::Date => Mapped::exact("TEXT"),
        TypeKind::Time { tz: false } | TypeKind::Timestamp { tz: false, .. } => Mapped::exact("TEXT"),
        TypeKind::Time { tz: true } | TypeKind::Timestamp { tz: true, .. } => {
            Mapped::lossy("TEXT", "SQLite has no time zone type: the offset is kept only if written into the text")
        }
        TypeKind::Interval => Mapped::lossy("TEXT", "SQLite has no interval type: stored as text"),
        TypeKind::Array { of } => Mapped::lossy("TEXT", format!("SQLite has no arrays: a JSON array of {of} in TEXT")),
        TypeKind::Enum { .. } => Mapped::exact("TEXT"),
        TypeKind::Vector { .. } => Mapped::lossy(
            "TEXT",
            "SQLite has no vector type: a JSON array of numbers in TEXT, without similarity search",
        ),
        TypeKind::Other { raw } if is_type_name(raw.trim()) => Mapped::exact(raw.trim().to_string()),
        TypeKind::Other { raw } => {
            let affinity = affinity_of(raw);
            Mapped::lossy(affinity, format!("type `{raw}` is not valid in SQLite: {affinity} keeps its affinity"))
        }
    }
}

/// A random version-4 UUID in its usual text form, built from SQLite's `randomblob`.
const UUID_EXPR: &str = "(lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))))";

/// Functions that show a raw default was written for SQLite itself.
const SQLITE_TIME_FUNCTIONS: &[&str] = &["datetime(", "date(", "time(", "strftime(", "julianday(", "unixepoch("];

/// The SQLite `DEFAULT` expression for `value` on a column of `kind`.
pub(super) fn default_sql(kind: &TypeKind, value: &DefaultValue) -> Result<Mapped, String> {
    Ok(match coerce_default(kind, value) {
        DefaultValue::Null => Mapped::exact("NULL"),
        DefaultValue::Bool(b) => Mapped::exact(if b { "1" } else { "0" }),
        DefaultValue::Number(n) => Mapped::exact(number_literal(&n)?),
        DefaultValue::String(s) => match kind {
            TypeKind::Array { .. } | TypeKind::Vector { .. } => match array_literal_as_json(&s) {
                Some(json) if json == s.trim() => Mapped::exact(string_literal(&json, false)),
                Some(json) => Mapped::lossy(
                    string_literal(&json, false),
                    format!("the array literal '{s}' is written as the JSON array {json}"),
                ),
                None => return Err(format!("the array literal '{s}' cannot be written as JSON")),
            },
            _ => Mapped::exact(string_literal(&s, false)),
        },
        DefaultValue::CurrentTimestamp if matches!(kind, TypeKind::Date) => Mapped::exact("CURRENT_DATE"),
        DefaultValue::CurrentTimestamp => Mapped::exact("CURRENT_TIMESTAMP"),
        DefaultValue::CurrentDate => Mapped::exact("CURRENT_DATE"),
        DefaultValue::CurrentTime => Mapped::exact("CURRENT_TIME"),
        DefaultValue::GeneratedUuid => Mapped::lossy(
            UUID_EXPR,
            "SQLite has no UUID function: an expression builds a random version-4 UUID from randomblob()",
        ),
        DefaultValue::Raw(raw) => {
            let r = raw.trim();
            let lower = r.trim_start_matches('(').to_ascii_lowercase();
            let native = SQLITE_TIME_FUNCTIONS.iter().any(|f| lower.starts_with(f));
            if is_plain_literal(r) || (native && foreign(r).is_none()) {
                Mapped::exact(if r.starts_with('(') { r.to_string() } else { format!("({r})") })
            } else {
                return Err(format!("`{r}` is not portable to SQLite"));
            }
        }
    })
}

/// The portable type a declared SQLite column type names (`INTEGER`, `varchar(255)`, `DATETIME`).
/// Names SQLite gives no particular meaning to stay [`TypeKind::Other`], spelled as declared.
pub(super) fn declared_kind(decl: &str) -> TypeKind {
    let raw = decl.trim();
    let lower = raw.to_ascii_lowercase();
    let (base, args) = match lower.split_once('(') {
        Some((b, rest)) => (b.split_whitespace().collect::<Vec<_>>().join(" "), Some(rest.trim_end_matches(')'))),
        None => (lower.split_whitespace().collect::<Vec<_>>().join(" "), None),
    };
    let nums: Option<Vec<u32>> = args.and_then(|a| a.split(',').map(|n| n.trim().parse::<u32>().ok()).collect());
    let first = nums.as_ref().and_then(|n| n.first().copied());
    let other = || TypeKind::Other { raw: raw.to_string() };
    if args.is_some() && nums.is_none() {
        return other();
    }
    match (base.as_str(), nums.as_ref().map_or(0, Vec::len)) {
        ("integer" | "bigint" | "int8", 0) => TypeKind::Int { bytes: 8 },
        ("int" | "int4" | "mediumint", 0) => TypeKind::Int { bytes: 4 },
        ("smallint" | "int2", 0) => TypeKind::Int { bytes: 2 },
        ("tinyint", 0) => TypeKind::Int { bytes: 1 },
        ("real" | "double" | "double precision" | "float8" | "float", 0) => TypeKind::Float { bytes: 8 },
        ("float4", 0) => TypeKind::Float { bytes: 4 },
        ("numeric" | "decimal", n) if n <= 2 => {
            TypeKind::Decimal { precision: first, scale: nums.as_ref().and_then(|v| v.get(1).copied()) }
        }
        ("boolean" | "bool", 0) => TypeKind::Bool,
        ("text" | "clob", 0) => TypeKind::Text,
        ("varchar" | "character varying" | "nvarchar" | "varying character", n) if n <= 1 => {
            TypeKind::Varchar { len: first }
        }
        ("char" | "character" | "nchar" | "native character", n) if n <= 1 => TypeKind::Char { len: first },
        ("blob", 0) => TypeKind::Bytes,
        ("date", 0) => TypeKind::Date,
        ("datetime" | "timestamp", n) if n <= 1 => TypeKind::Timestamp { tz: false, precision: first },
        ("timestamptz", n) if n <= 1 => TypeKind::Timestamp { tz: true, precision: first },
        ("time", 0) => TypeKind::Time { tz: false },
        ("json", 0) => TypeKind::Json,
        ("jsonb", 0) => TypeKind::Jsonb,
        ("uuid", 0) => TypeKind::Uuid,
        _ => other(),
    }
}

/// SQLite's affinity of a declared type, by its documented rules (section 3.1 of "Datatypes In
/// SQLite"): INT → INTEGER; CHAR, CLOB, TEXT → TEXT; BLOB or nothing → BLOB; REAL, FLOA, DOUB →
/// REAL; anything else NUMERIC.
pub(super) fn affinity(decl: &str) -> &'static str {
    let upper = decl.to_ascii_uppercase();
    let has = |parts: &[&str]| parts.iter().any(|p| upper.contains(p));
    if has(&["INT"]) {
        "INTEGER"
    } else if has(&["CHAR", "CLOB", "TEXT"]) {
        "TEXT"
    } else if upper.trim().is_empty() || has(&["BLOB"]) {
        "BLOB"
    } else if has(&["REAL", "FLOA", "DOUB"]) {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// The affinity a column of portable type `kind` gets when schemadoc declares it.
pub(super) fn affinity_of_kind(kind: &TypeKind) -> &'static str {
    affinity(&map_type(kind).sql)
}

/// The declared type to write for a column: its spelling when that is a SQLite declaration of the
/// same type (a translated or inspected column), otherwise the mapping of its portable type.
pub(super) fn declared_type(ty: &model::DataType) -> String {
    let spelled = ty.spelling.trim();
    if !spelled.is_empty() && is_type_name(spelled) && declared_kind(spelled) == ty.kind {
        spelled.to_string()
    } else {
        map_type(&ty.kind).sql
    }
}

/// `s` without the parentheses that enclose all of it (`((x))` → `x`), trimmed.
pub(super) fn strip_outer_parens(s: &str) -> &str {
    let mut t = s.trim();
    loop {
        let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) else { return t };
        // Only when the first parenthesis closes at the very end: `(a) + (b)` stays.
        let mut depth = 0i32;
        let mut in_string = false;
        let mut closes_early = false;
        for (i, c) in t.char_indices() {
            match c {
                '\'' => in_string = !in_string,
                '(' if !in_string => depth += 1,
                ')' if !in_string => {
                    depth -= 1;
                    if depth == 0 && i + 1 < t.len() {
                        closes_early = true;
                        break;
                    }
                }
                _ => {}
            }
        }
        if closes_early {
            return t;
        }
        t = inner.trim();
    }
}

/// The portable default a SQLite `DEFAULT` expression means, as the catalog spells it
/// (`pragma_table_xinfo.dflt_value`).
pub(super) fn parse_default(text: &str) -> DefaultValue {
    let raw = text.trim();
    let inner = strip_outer_parens(raw);
    let lower = inner.to_ascii_lowercase();
    let squashed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if lower == "null" {
        return DefaultValue::Null;
    }
    if lower == "true" || lower == "false" {
        return DefaultValue::Bool(lower == "true");
    }
    if number_literal(inner).is_ok() && !inner.is_empty() && inner.parse::<f64>().is_ok() {
        return DefaultValue::Number(inner.to_string());
    }
    if inner.len() >= 2 && inner.starts_with('\'') && inner.ends_with('\'') {
        let body = &inner[1..inner.len() - 1];
        if !body.replace("''", "").contains('\'') {
            return DefaultValue::String(body.replace("''", "'"));
        }
    }
    match squashed.as_str() {
        "current_timestamp" | "datetime('now')" => return DefaultValue::CurrentTimestamp,
        "current_date" | "date('now')" => return DefaultValue::CurrentDate,
        "current_time" | "time('now')" => return DefaultValue::CurrentTime,
        _ => {}
    }
    let uuid: String = UUID_EXPR.to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if squashed == strip_outer_parens(&uuid) || format!("({squashed})") == uuid {
        return DefaultValue::GeneratedUuid;
    }
    DefaultValue::Raw(raw.to_string())
}

/// The `DEFAULT` expression to write for `value` on a column of `kind`: an expression read from a
/// live database (`Raw`) is kept as it is, anything else is spelled by [`default_sql`].
pub(super) fn default_text(kind: &TypeKind, value: &DefaultValue) -> Option<String> {
    match value {
        DefaultValue::Raw(r) if r.trim().starts_with('(') => Some(r.trim().to_string()),
        DefaultValue::Raw(r) if is_plain_literal(r) => Some(r.trim().to_string()),
        DefaultValue::Raw(r) => Some(format!("({})", r.trim())),
        _ => default_sql(kind, value).ok().map(|m| m.sql),
    }
}

/// Whether SQLite can add a column with this default by `ALTER TABLE … ADD COLUMN` (a constant).
pub(super) fn is_constant_default(value: &DefaultValue) -> bool {
    match value {
        DefaultValue::Null | DefaultValue::Bool(_) | DefaultValue::Number(_) | DefaultValue::String(_) => true,
        DefaultValue::Raw(r) => is_plain_literal(r),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_keep_sqlite_affinity() {
        assert_eq!(map_type(&TypeKind::Int { bytes: 8 }).sql, "INTEGER");
        assert_eq!(map_type(&TypeKind::Bool).sql, "INTEGER");
        assert_eq!(map_type(&TypeKind::Float { bytes: 4 }).sql, "REAL");
        assert_eq!(map_type(&TypeKind::Bytes).sql, "BLOB");
        assert_eq!(map_type(&TypeKind::Decimal { precision: Some(10), scale: Some(2) }), Mapped::exact("NUMERIC"));
        let arr = map_type(&TypeKind::Array { of: Box::new(TypeKind::Text) });
        assert_eq!(arr.sql, "TEXT");
        assert!(arr.note.is_some_and(|n| n.contains("JSON")));
        assert_eq!(map_type(&TypeKind::Uuid), Mapped::exact("TEXT"));
        assert_eq!(map_type(&TypeKind::Other { raw: "MEDIUMINT(8)".into() }), Mapped::exact("MEDIUMINT(8)"));
        assert_eq!(map_type(&TypeKind::Other { raw: "geometry(Point, 4326)".into() }).sql, "TEXT");
        // Types SQLite's grammar rejects keep the affinity their name implies.
        let unsigned = map_type(&TypeKind::Other { raw: "DECIMAL(10,2) UNSIGNED".into() });
        assert_eq!(unsigned.sql, "NUMERIC");
        assert!(unsigned.note.is_some());
        assert_eq!(map_type(&TypeKind::Other { raw: "int(11) zerofill".into() }).sql, "INTEGER");
        assert_eq!(map_type(&TypeKind::Other { raw: "double(8,2) unsigned".into() }).sql, "REAL");
        // Values inside parentheses do not count: `print` is not an INT.
        assert_eq!(map_type(&TypeKind::Other { raw: "ENUM('print','web')".into() }).sql, "TEXT");
    }

    #[test]
    fn defaults_are_spelled_for_sqlite() {
        let arr = TypeKind::Array { of: Box::new(TypeKind::Text) };
        assert_eq!(default_sql(&arr, &DefaultValue::String("{}".into())).map(|m| m.sql), Ok("'[]'".into()));
        assert_eq!(default_sql(&TypeKind::Bool, &DefaultValue::Bool(true)).map(|m| m.sql), Ok("1".into()));
        assert!(default_sql(&TypeKind::Uuid, &DefaultValue::GeneratedUuid).is_ok_and(|m| m.note.is_some()));
        assert_eq!(
            default_sql(&TypeKind::Text, &DefaultValue::Raw("datetime('now')".into())).map(|m| m.sql),
            Ok("(datetime('now'))".into())
        );
        assert!(default_sql(&TypeKind::Int { bytes: 8 }, &DefaultValue::Raw("nextval('seq')".into())).is_err());
        assert!(default_sql(&TypeKind::Text, &DefaultValue::Raw("now()".into())).is_err());
    }
}
