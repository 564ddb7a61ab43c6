//! Type and default spellings shared by the front-ends: SQL type names of every dialect,
//! SQLAlchemy types, loose ERD words, the type words of other languages ([`vocabulary`]), and SQL
//! default expressions.
//!
//! Front-ends that read a type cell or attribute ask [`familiar_type`] (every vocabulary, `None`
//! when no vocabulary knows the word) or [`parse_written_type`] (the same, keeping an unfamiliar
//! type as written in [`TypeKind::Other`]): a column is never dropped for its type.

pub mod vocabulary;

use model::{DataType, DefaultValue, TypeKind};
pub use vocabulary::{strip_optional, Vocabulary};

// ---------------------------------------------------------------------------------------------
// Every vocabulary at once.

/// Reads a type written in any vocabulary schemadoc knows, in this order: SQLAlchemy
/// (`String(36)`), the words of Prisma, Java, TypeScript, Python and MongoDB (`Long`, `string`,
/// `Optional[float]`, `ObjectId`), SQL of any engine (`VARCHAR(255)`, `POINT`,
/// `geography(Point,4326)`), and underscore spellings (`varchar_255`). Marks of optionality
/// (`String?`, `T | null`) are read past, not kept in the type. `None` when no vocabulary knows it.
pub fn familiar_type(spelling: &str) -> Option<DataType> {
    let written = spelling.trim();
    let (bare, _) = strip_optional(written);
    if bare.is_empty() {
        return None;
    }
    let one_word = match bare.find('(') {
        Some(open) => bare.ends_with(')') && !bare[..open].contains(char::is_whitespace),
        None => !bare.contains(char::is_whitespace),
    };
    if one_word {
        if let Some(mut ty) = parse_sqlalchemy_type(bare) {
            ty.spelling = written.to_string();
            return Some(ty);
        }
    }
    if let Some((ty, _)) = vocabulary::familiar(written) {
        return Some(ty);
    }
    // Before the SQL names: `timestamptz_3` is `timestamptz(3)`, not a `timestamp…` prefix.
    if let Some(sql) = underscore_spelling(bare) {
        return Some(DataType::new(sql_kind(&sql), written));
    }
    let kind = sql_kind(bare);
    (!matches!(kind, TypeKind::Other { .. }) || model::is_sql_type(bare)).then(|| DataType::new(kind, written))
}

/// Reads a type as written: see [`familiar_type`]; anything else is kept as written in
/// [`TypeKind::Other`].
pub fn parse_written_type(spelling: &str) -> DataType {
    let written = spelling.trim();
    familiar_type(written).unwrap_or_else(|| DataType::new(TypeKind::Other { raw: written.to_string() }, written))
}

/// Whether text has the shape of a type name, known or not: one word of letters, digits, `_` and
/// `.`, with optional arguments (`Money(2)`), generic parameters (`Ref<User>`), array marks (`[]`)
/// or an optional mark (`?`). Prose (`관리자`, `see below`) does not.
pub fn looks_like_type(text: &str) -> bool {
    let t = text.trim();
    let head_len = t.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(t.len());
    let (head, tail) = t.split_at(head_len);
    if head.is_empty() || head.len() > 40 || !head.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    let mut tail = tail.strip_suffix('?').unwrap_or(tail);
    while let Some(inner) = tail.strip_suffix("[]") {
        tail = inner;
    }
    tail.is_empty()
        || (tail.starts_with('(') && tail.ends_with(')') || tail.starts_with('<') && tail.ends_with('>'))
            && tail.len() <= 40
            && !tail[1..tail.len() - 1].contains(['(', '<', '|'])
}

/// `varchar_255` → `varchar(255)`, `decimal_10_2` → `decimal(10,2)`: SQL types some ERD tools
/// spell with underscores because their syntax forbids brackets.
fn underscore_spelling(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('_').collect();
    let first_num = parts.iter().position(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))?;
    let args = &parts[first_num..];
    if first_num == 0 || args.len() > 2 || !args.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let base = parts[..first_num].join(" ");
    model::is_sql_type(&base).then(|| format!("{base}({})", args.join(",")))
}

/// Laravel's `$table->timestamps()` (or a field named `timestamps`): the two columns it adds.
pub fn laravel_timestamps(text: &str) -> Option<[&'static str; 2]> {
    let t = text.trim().trim_start_matches("$table->").trim_end_matches(';').trim_end_matches("()");
    matches!(t, "timestamps" | "timestampsTz" | "nullableTimestamps").then_some(["created_at", "updated_at"])
}

// ---------------------------------------------------------------------------------------------
// SQL.

/// Reads a SQL type as written in any dialect (`VARCHAR(255)`, `int4`, `TIMESTAMP WITH TIME ZONE`,
/// `TEXT[]`, `VECTOR(1536)`, `DECIMAL(10, 2)`, `tinyint(1)`, `double precision`, `serial`).
/// Unknown names become [`TypeKind::Other`]. Serial types give an integer; ask [`is_serial`] for
/// the identity.
pub fn parse_sql_type(spelling: &str) -> DataType {
    DataType::new(sql_kind(spelling.trim()), spelling.trim())
}

/// Whether a SQL type name implies an auto-generated integer (`SERIAL`, `BIGSERIAL`, `SMALLSERIAL`).
pub fn is_serial(spelling: &str) -> bool {
    matches!(
        spelling.trim().to_ascii_lowercase().as_str(),
        "serial" | "serial4" | "bigserial" | "serial8" | "smallserial" | "serial2"
    )
}

fn sql_kind(s: &str) -> TypeKind {
    let lower = s.to_ascii_lowercase();
    let lower = lower.trim();
    // Arrays: `text[]`, `integer[][]`, `_text`, `text ARRAY`.
    if let Some(inner) = lower.strip_suffix("[]") {
        return TypeKind::Array { of: Box::new(sql_kind(inner)) };
    }
    if let Some(inner) = lower.strip_suffix(" array") {
        return TypeKind::Array { of: Box::new(sql_kind(inner)) };
    }
    if let Some(kind) = tsql_kind(lower) {
        return kind;
    }
    let (base, args) = split_args(lower);
    let base = base.split_whitespace().collect::<Vec<_>>().join(" ");
    let n0 = args.first().copied();
    let n1 = args.get(1).copied();
    let tz_words = |b: &str| b.contains("with time zone") && !b.contains("without");
    match base.as_str() {
        "tinyint" if n0 == Some(1) => TypeKind::Bool,
        "tinyint" | "int1" => TypeKind::Int { bytes: 1 },
        "smallint" | "int2" | "smallserial" | "serial2" | "year" => TypeKind::Int { bytes: 2 },
        "int" | "integer" | "int4" | "mediumint" | "serial" | "serial4" | "int unsigned" | "integer unsigned"
        | "smallint unsigned" | "mediumint unsigned" | "tinyint unsigned" => TypeKind::Int { bytes: 4 },
        "bigint" | "int8" | "bigserial" | "serial8" | "bigint unsigned" => TypeKind::Int { bytes: 8 },
        "decimal" | "numeric" | "dec" | "money" | "number" => TypeKind::Decimal { precision: n0, scale: n1 },
        "real" | "float4" => TypeKind::Float { bytes: 4 },
        "float" => TypeKind::Float { bytes: if n0.is_some_and(|p| p <= 24) { 4 } else { 8 } },
        "double" | "double precision" | "float8" => TypeKind::Float { bytes: 8 },
        "bool" | "boolean" | "bit" if n0.unwrap_or(1) == 1 => TypeKind::Bool,
        "text" | "tinytext" | "mediumtext" | "longtext" | "clob" | "citext" | "string" => TypeKind::Text,
        "varchar" | "character varying" | "nvarchar" | "varchar2" | "nvarchar2" => TypeKind::Varchar { len: n0 },
        "char" | "character" | "nchar" | "bpchar" => TypeKind::Char { len: n0.or(Some(1)) },
        "bytea" | "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary" => TypeKind::Bytes,
        "uuid" | "uniqueidentifier" => TypeKind::Uuid,
        "json" => TypeKind::Json,
        "jsonb" => TypeKind::Jsonb,
        "date" => TypeKind::Date,
        "time" | "time without time zone" => TypeKind::Time { tz: false },
        "timetz" | "time with time zone" => TypeKind::Time { tz: true },
        "timestamp" | "datetime" | "timestamp without time zone" => TypeKind::Timestamp { tz: false, precision: n0 },
        "timestamptz" | "timestamp with time zone" => TypeKind::Timestamp { tz: true, precision: n0 },
        "interval" => TypeKind::Interval,
        "vector" => TypeKind::Vector { dims: n0 },
        b if b.starts_with("timestamp") && tz_words(b) => TypeKind::Timestamp { tz: true, precision: n0 },
        b if b.starts_with("timestamp") => TypeKind::Timestamp { tz: false, precision: n0 },
        b if b.starts_with("time ") && tz_words(b) => TypeKind::Time { tz: true },
        b if b.starts_with("interval") => TypeKind::Interval,
        b if b.starts_with("enum") => TypeKind::Other { raw: s.to_string() },
        _ => TypeKind::Other { raw: s.to_string() },
    }
}

/// SQL Server (T-SQL) type names that no other dialect spells alike, lower-cased: `[nvarchar](max)`,
/// `datetime2(7)`, `money`, `bit`, `uniqueidentifier`. `None` for names the shared vocabulary reads.
fn tsql_kind(lower: &str) -> Option<TypeKind> {
    // `[nvarchar](50)`: a bracketed type name is the name.
    let unbracketed: String = lower.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    let lower = unbracketed.trim();
    let (base, args) = match lower.find('(') {
        Some(open) => (lower[..open].trim(), lower[open + 1..].trim_end_matches(')').trim()),
        None => (lower, ""),
    };
    let max = args.eq_ignore_ascii_case("max");
    let precision = args.split(',').next().and_then(|a| a.trim().parse::<u32>().ok());
    Some(match base {
        // NOTE: `(max)` holds up to 2 GB: a text, not a bounded varchar.
        "nvarchar" | "varchar" | "nchar" if max => TypeKind::Text,
        "varbinary" | "binary" if max => TypeKind::Bytes,
        "ntext" => TypeKind::Text,
        "image" | "rowversion" => TypeKind::Bytes,
        "datetime2" => TypeKind::Timestamp { tz: false, precision: precision.or(Some(7)).filter(|&p| p <= 6) },
        "smalldatetime" => TypeKind::Timestamp { tz: false, precision: None },
        "datetimeoffset" => TypeKind::Timestamp { tz: true, precision: precision.filter(|&p| p <= 6) },
        "money" => TypeKind::Decimal { precision: Some(19), scale: Some(4) },
        "smallmoney" => TypeKind::Decimal { precision: Some(10), scale: Some(4) },
        "uniqueidentifier" => TypeKind::Uuid,
        "bit" if args.is_empty() => TypeKind::Bool,
        _ => return None,
    })
}

/// Splits `varchar(255)` into (`varchar`, [255]); `timestamp(3) with time zone` into
/// (`timestamp with time zone`, [3]). Non-numeric arguments are dropped.
fn split_args(s: &str) -> (String, Vec<u32>) {
    let Some(open) = s.find('(') else { return (s.to_string(), Vec::new()) };
    let Some(close) = s[open..].find(')').map(|i| i + open) else { return (s.to_string(), Vec::new()) };
    let args = s[open + 1..close].split(',').filter_map(|a| a.trim().parse().ok()).collect();
    let base = format!("{} {}", s[..open].trim(), s[close + 1..].trim());
    (base.trim().to_string(), args)
}

/// Reads a SQLAlchemy type as written in a field table or a `Column(...)` call: `String(36)`,
/// `Text`, `Boolean`, `Integer`, `Float`, `DateTime(timezone=True)`, `JSON`, `Numeric(10, 2)`,
/// `sa.Enum(...)`. Returns `None` when the word is not a SQLAlchemy type.
pub fn parse_sqlalchemy_type(spelling: &str) -> Option<DataType> {
    let s = spelling.trim();
    let s_noprefix = s.trim_start_matches("sa.").trim_start_matches("sqlalchemy.").trim_start_matches("db.");
    let (name, args) = match s_noprefix.find('(') {
        Some(i) => (&s_noprefix[..i], s_noprefix[i + 1..].trim_end_matches(')')),
        None => (s_noprefix, ""),
    };
    let first_num: Option<u32> = args.split(',').next().and_then(|a| a.trim().parse().ok());
    let second_num: Option<u32> = args.split(',').nth(1).and_then(|a| a.trim().parse().ok());
    let kind = match name {
        "String" | "Unicode" | "VARCHAR" => match first_num {
            Some(n) => TypeKind::Varchar { len: Some(n) },
            None => TypeKind::Varchar { len: None },
        },
        "Text" | "UnicodeText" | "TEXT" => TypeKind::Text,
        "Boolean" | "BOOLEAN" => TypeKind::Bool,
        "Integer" | "INTEGER" => TypeKind::Int { bytes: 4 },
        "SmallInteger" => TypeKind::Int { bytes: 2 },
        "BigInteger" | "BIGINT" => TypeKind::Int { bytes: 8 },
        "Float" | "FLOAT" => TypeKind::Float { bytes: 8 },
        "Numeric" | "DECIMAL" | "NUMERIC" => TypeKind::Decimal { precision: first_num, scale: second_num },
        "DateTime" | "DATETIME" | "TIMESTAMP" => {
            let compact = args.replace(' ', "");
            // `postgresql.TIMESTAMP(timezone=True, precision=3)`
            let precision = compact.split(',').find_map(|a| a.strip_prefix("precision=")).and_then(|p| p.parse().ok());
            TypeKind::Timestamp { tz: compact.contains("timezone=True"), precision }
        }
        "Date" | "DATE" => TypeKind::Date,
        "Time" | "TIME" => TypeKind::Time { tz: args.replace(' ', "").contains("timezone=True") },
        "Interval" => TypeKind::Interval,
        "JSON" => TypeKind::Json,
        "JSONB" => TypeKind::Jsonb,
        "UUID" | "Uuid" => TypeKind::Uuid,
        "LargeBinary" | "BLOB" | "LargeBlob" => TypeKind::Bytes,
        "ARRAY" => {
            TypeKind::Array { of: Box::new(parse_sqlalchemy_type(args).map(|t| t.kind).unwrap_or(TypeKind::Text)) }
        }
        "Enum" => TypeKind::Other { raw: s.to_string() },
        _ => return None,
    };
    Some(DataType::new(kind, s))
}

/// Reads a type word from a notation that only names families (a Mermaid attribute type:
/// `string`, `int`, `datetime`, `boolean`, `float`, `TEXT`, `uuid`, `json`). Exact SQL spellings
/// (`varchar(255)`, `TEXT`, `INTEGER`) are read as SQL but still marked loose when no length is given.
pub fn parse_loose_type(spelling: &str) -> DataType {
    let lower = spelling.trim().to_ascii_lowercase();
    let kind = match lower.as_str() {
        "string" | "str" | "varchar" => TypeKind::Text,
        "int" | "integer" | "number" => TypeKind::Int { bytes: 4 },
        "datetime" | "timestamp" | "date_time" => TypeKind::Timestamp { tz: false, precision: None },
        "bool" | "boolean" => TypeKind::Bool,
        // NOTE: `real` is SQL's single-precision name, read as SQL below.
        "float" | "double" => TypeKind::Float { bytes: 8 },
        _ => match familiar_type(spelling) {
            Some(ty) => ty.kind,
            None => TypeKind::Other { raw: spelling.trim().to_string() },
        },
    };
    let exact = lower.contains('(')
        || underscore_spelling(&lower).is_some()
        || matches!(kind, TypeKind::Uuid | TypeKind::Json | TypeKind::Jsonb | TypeKind::Date);
    DataType { kind, spelling: spelling.trim().to_string(), exact }
}

/// Reads a SQL default expression as written after `DEFAULT` (without the keyword).
pub fn parse_sql_default(expr: &str) -> DefaultValue {
    let e = expr.trim();
    let e = strip_parens(e);
    let lower = e.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(lit) = sql_string_literal(e) {
        return DefaultValue::String(lit);
    }
    // `'{}'::jsonb`, `'active'::character varying`
    if let Some((lhs, _cast)) = e.split_once("::") {
        if let Some(lit) = sql_string_literal(lhs.trim()) {
            return DefaultValue::String(lit);
        }
    }
    match compact.as_str() {
        "null" => return DefaultValue::Null,
        "true" => return DefaultValue::Bool(true),
        "false" => return DefaultValue::Bool(false),
        "now()"
        | "current_timestamp"
        | "current_timestamp()"
        | "localtimestamp"
        | "localtimestamp()"
        | "datetime('now')"
        | "(datetime('now'))"
        | "clock_timestamp()"
        | "transaction_timestamp()"
        | "statement_timestamp()"
        | "func.now()"
        | "getdate()"
        | "sysdate()"
        | "utc_timestamp()"
        | "current_timestamp(3)"
        | "now(3)"
        | "current_timestamp(6)"
        | "now(6)"
        | "timezone('utc'::text,now())"
        | "timezone('utc',now())"
        | "(now()attimezone'utc')"
        | "nowattimezone'utc'" => return DefaultValue::CurrentTimestamp,
        "current_date" | "current_date()" | "date('now')" | "curdate()" => return DefaultValue::CurrentDate,
        "current_time" | "current_time()" | "time('now')" | "curtime()" => return DefaultValue::CurrentTime,
        "gen_random_uuid()" | "uuid_generate_v4()" | "uuid()" | "uuid_generate_v7()" | "newid()" => {
            return DefaultValue::GeneratedUuid
        }
        _ => {}
    }
    if let Some(value) = tsql_default(&compact) {
        return value;
    }
    if compact.starts_with("now()at") || compact.starts_with("current_timestampat") {
        return DefaultValue::CurrentTimestamp;
    }
    if is_number(e) {
        return DefaultValue::Number(e.to_string());
    }
    DefaultValue::Raw(e.to_string())
}

/// SQL Server's functions for the current time and new identifiers (compact, lower-cased).
fn tsql_default(compact: &str) -> Option<DefaultValue> {
    match compact {
        "sysdatetime()" | "sysutcdatetime()" | "getutcdate()" | "sysdatetimeoffset()" => {
            Some(DefaultValue::CurrentTimestamp)
        }
        "newsequentialid()" => Some(DefaultValue::GeneratedUuid),
        "convert(date,getdate())" | "cast(getdate()asdate)" => Some(DefaultValue::CurrentDate),
        _ => None,
    }
}

fn strip_parens(mut e: &str) -> &str {
    while e.starts_with('(') && e.ends_with(')') && balanced(&e[1..e.len() - 1]) {
        e = e[1..e.len() - 1].trim();
    }
    e
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = false;
    for c in s.chars() {
        match c {
            '\'' => quote = !quote,
            '(' if !quote => depth += 1,
            ')' if !quote => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0 && !quote
}

/// `'it''s'` → `it's`; `E'x'` and `N'x'` too. `None` when `s` is not a single string literal.
pub fn sql_string_literal(s: &str) -> Option<String> {
    let s = s.trim();
    let s = s.strip_prefix(['E', 'e', 'N', 'n']).filter(|r| r.starts_with('\'')).unwrap_or(s);
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    // Reject `'a' || 'b'`: an unescaped quote inside.
    let mut chars = inner.chars().peekable();
    let mut out = String::new();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
            } else {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') && s.chars().filter(|&c| c == '.').count() <= 1
}

/// Reads a default written in prose or a field table (`DEFAULT=True`, `"google"`, `'pending'`,
/// `0`, `now()`): quoted text is a string, `True`/`False` booleans, numbers numbers, the rest as SQL.
pub fn parse_loose_default(text: &str) -> DefaultValue {
    let t = text.trim().trim_end_matches(',');
    if let Some(inner) = t.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return DefaultValue::String(inner.to_string());
    }
    match t {
        "True" | "true" | "TRUE" => DefaultValue::Bool(true),
        "False" | "false" | "FALSE" => DefaultValue::Bool(false),
        "None" | "null" | "NULL" => DefaultValue::Null,
        _ => parse_sql_default(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_types_of_every_dialect() {
        assert_eq!(parse_sql_type("VARCHAR(255)").kind, TypeKind::Varchar { len: Some(255) });
        assert_eq!(parse_sql_type("character varying(20)").kind, TypeKind::Varchar { len: Some(20) });
        assert_eq!(parse_sql_type("TIMESTAMP WITH TIME ZONE").kind, TypeKind::Timestamp { tz: true, precision: None });
        assert_eq!(parse_sql_type("timestamp(3)").kind, TypeKind::Timestamp { tz: false, precision: Some(3) });
        assert_eq!(parse_sql_type("TEXT[]").kind, TypeKind::Array { of: Box::new(TypeKind::Text) });
        assert_eq!(parse_sql_type("VECTOR(1536)").kind, TypeKind::Vector { dims: Some(1536) });
        assert_eq!(parse_sql_type("DECIMAL(10, 2)").kind, TypeKind::Decimal { precision: Some(10), scale: Some(2) });
        assert_eq!(parse_sql_type("tinyint(1)").kind, TypeKind::Bool);
        assert_eq!(parse_sql_type("double precision").kind, TypeKind::Float { bytes: 8 });
        assert_eq!(parse_sql_type("BIGSERIAL").kind, TypeKind::Int { bytes: 8 });
        assert!(is_serial("bigserial"));
        assert_eq!(parse_sql_type("INT UNSIGNED").kind, TypeKind::Int { bytes: 4 });
        assert_eq!(parse_sql_type("geometry").kind, TypeKind::Other { raw: "geometry".into() });
        assert_eq!(parse_sql_type("VARCHAR(255)").spelling, "VARCHAR(255)");
    }

    #[test]
    fn sqlalchemy_types() {
        assert_eq!(parse_sqlalchemy_type("String(36)").unwrap().kind, TypeKind::Varchar { len: Some(36) });
        assert_eq!(
            parse_sqlalchemy_type("DateTime(timezone=True)").unwrap().kind,
            TypeKind::Timestamp { tz: true, precision: None }
        );
        assert_eq!(parse_sqlalchemy_type("Boolean").unwrap().kind, TypeKind::Bool);
        assert_eq!(parse_sqlalchemy_type("Float").unwrap().kind, TypeKind::Float { bytes: 8 });
        assert!(parse_sqlalchemy_type("Whatever").is_none());
    }

    #[test]
    fn every_vocabulary_is_familiar_and_the_rest_is_kept_as_written() {
        let kind = |s: &str| familiar_type(s).map(|t| t.kind);
        assert_eq!(kind("String(36)"), Some(TypeKind::Varchar { len: Some(36) }));
        assert_eq!(kind("Long"), Some(TypeKind::Int { bytes: 8 }));
        assert_eq!(kind("LocalDate"), Some(TypeKind::Date));
        assert_eq!(kind("Optional[float]"), Some(TypeKind::Float { bytes: 8 }));
        assert_eq!(kind("varchar_255"), Some(TypeKind::Varchar { len: Some(255) }));
        assert_eq!(kind("decimal_10_2"), Some(TypeKind::Decimal { precision: Some(10), scale: Some(2) }));
        assert_eq!(kind("POINT"), Some(TypeKind::Other { raw: "POINT".into() }));
        assert_eq!(kind("geography(Point,4326)"), Some(TypeKind::Other { raw: "geography(Point,4326)".into() }));
        assert_eq!(kind("VARCHAR(255) NOT NULL"), None, "constraint words are not part of a type");
        assert_eq!(kind("Address"), None);
        assert_eq!(kind("snake_case_1"), None);
        let kept = parse_written_type("Address");
        assert_eq!((kept.kind, kept.spelling.as_str()), (TypeKind::Other { raw: "Address".into() }, "Address"));
        assert_eq!(parse_written_type("String?").spelling, "String?");
    }

    #[test]
    fn type_shapes_and_laravel_timestamps() {
        for t in ["Money", "Ref<User>", "Tag[]", "Geo(2)", "Address?", "pkg.Type"] {
            assert!(looks_like_type(t), "{t}");
        }
        for t in ["관리자", "see below", "", "1st", "a (b) c", "x | y"] {
            assert!(!looks_like_type(t), "{t}");
        }
        assert_eq!(laravel_timestamps("$table->timestamps();"), Some(["created_at", "updated_at"]));
        assert_eq!(laravel_timestamps("timestamps"), Some(["created_at", "updated_at"]));
        assert_eq!(laravel_timestamps("timestamp"), None);
    }

    #[test]
    fn loose_types_are_families_only() {
        let t = parse_loose_type("string");
        assert_eq!(t.kind, TypeKind::Text);
        assert!(!t.exact);
        assert!(parse_loose_type("uuid").exact);
        let java = parse_loose_type("BigDecimal");
        assert_eq!(
            (java.kind, java.spelling.as_str()),
            (TypeKind::Decimal { precision: None, scale: None }, "BigDecimal")
        );
        assert_eq!(parse_loose_type("varchar_120").kind, TypeKind::Varchar { len: Some(120) });
        assert_eq!(parse_loose_type("timestamptz_3").kind, TypeKind::Timestamp { tz: true, precision: Some(3) });
        assert_eq!(parse_loose_type("timestamp_6").kind, TypeKind::Timestamp { tz: false, precision: Some(6) });
        assert_eq!(parse_loose_type("real").kind, TypeKind::Float { bytes: 4 });
        assert!(parse_loose_type("varchar_120").exact);
        assert_eq!(parse_loose_type("Gadget").kind, TypeKind::Other { raw: "Gadget".into() });
    }

    #[test]
    fn defaults() {
        assert_eq!(parse_sql_default("NOW()"), DefaultValue::CurrentTimestamp);
        assert_eq!(parse_sql_default("CURRENT_TIMESTAMP"), DefaultValue::CurrentTimestamp);
        assert_eq!(parse_sql_default("(datetime('now'))"), DefaultValue::CurrentTimestamp);
        assert_eq!(parse_sql_default("gen_random_uuid()"), DefaultValue::GeneratedUuid);
        assert_eq!(parse_sql_default("'{}'"), DefaultValue::String("{}".into()));
        assert_eq!(parse_sql_default("'{}'::jsonb"), DefaultValue::String("{}".into()));
        assert_eq!(parse_sql_default("'it''s'"), DefaultValue::String("it's".into()));
        assert_eq!(parse_sql_default("0"), DefaultValue::Number("0".into()));
        assert_eq!(parse_sql_default("FALSE"), DefaultValue::Bool(false));
        assert_eq!(parse_sql_default("'a' || 'b'"), DefaultValue::Raw("'a' || 'b'".into()));
        assert_eq!(parse_loose_default("\"google\""), DefaultValue::String("google".into()));
        assert_eq!(parse_loose_default("True"), DefaultValue::Bool(true));
        assert_eq!(parse_loose_default("'pending'"), DefaultValue::String("pending".into()));
    }
}
