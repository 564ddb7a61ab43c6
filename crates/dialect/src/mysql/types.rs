//! MySQL/MariaDB spellings of portable types and defaults.

use crate::common::{
    array_literal_as_json, coerce_default, find_foreign, is_plain_literal, number_literal, string_literal,
    POSTGRES_ONLY,
};
use crate::Mapped;
use model::{DefaultValue, TypeKind};

/// The longest indexable VARCHAR in utf8mb4: an InnoDB key part holds at most 3072 bytes.
pub(super) const MAX_KEY_CHARS: u32 = 768;

/// Syntax of PostgreSQL or SQLite that MySQL rejects or reads differently, beyond
/// [`POSTGRES_ONLY`].
pub(super) const NOT_IN_MYSQL: &[&str] = &[
    // NOTE: without ANSI_QUOTES a double-quoted name is a string, and `||` is a logical OR.
    "\"",
    "||",
    "datetime(",
    "strftime(",
    "julianday(",
    "unixepoch(",
    "randomblob(",
    " glob ",
    "typeof(",
    "printf(",
];

/// Functions MySQL forbids in CHECK constraints because they are not deterministic.
const NOT_DETERMINISTIC: &[&str] = &[
    "now(",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtime",
    "curdate(",
    "curtime(",
    "sysdate(",
    "rand(",
    "uuid(",
    "unix_timestamp(",
];

/// The first construct of `expr` MySQL does not read as written, if any.
pub(super) fn foreign(expr: &str) -> Option<&'static str> {
    find_foreign(expr, POSTGRES_ONLY).or_else(|| find_foreign(expr, NOT_IN_MYSQL))
}

/// Like [`foreign`], also rejecting what a CHECK constraint may not call.
pub(super) fn foreign_in_check(expr: &str) -> Option<&'static str> {
    foreign(expr).or_else(|| find_foreign(expr, NOT_DETERMINISTIC))
}

/// Base type names MySQL and MariaDB both know.
const KNOWN: &[&str] = &[
    "TINYINT",
    "SMALLINT",
    "MEDIUMINT",
    "INT",
    "INTEGER",
    "BIGINT",
    "DECIMAL",
    "NUMERIC",
    "FLOAT",
    "DOUBLE",
    "REAL",
    "BIT",
    "BOOL",
    "BOOLEAN",
    "DATE",
    "DATETIME",
    "TIMESTAMP",
    "TIME",
    "YEAR",
    "CHAR",
    "VARCHAR",
    "BINARY",
    "VARBINARY",
    "TINYBLOB",
    "BLOB",
    "MEDIUMBLOB",
    "LONGBLOB",
    "TINYTEXT",
    "TEXT",
    "MEDIUMTEXT",
    "LONGTEXT",
    "JSON",
    "GEOMETRY",
    "POINT",
    "LINESTRING",
    "POLYGON",
];

fn varchar(n: u32, keyed: bool) -> Mapped {
    if keyed && n > MAX_KEY_CHARS {
        Mapped::lossy(
            format!("VARCHAR({MAX_KEY_CHARS})"),
            format!("shortened from {n}: an indexed utf8mb4 column holds at most {MAX_KEY_CHARS} characters"),
        )
    } else if n > 16383 {
        Mapped::lossy("MEDIUMTEXT", format!("VARCHAR({n}) exceeds MySQL's row size in utf8mb4; MEDIUMTEXT is used"))
    } else {
        Mapped::exact(format!("VARCHAR({n})"))
    }
}

/// The MySQL type for `kind`. `keyed` says the column is part of a key, index or foreign key
/// (MySQL cannot index TEXT, BLOB or unbounded types without a prefix length); `enum_values` are the
/// values of an enum type.
pub(super) fn map_type(kind: &TypeKind, keyed: bool, enum_values: Option<&[String]>) -> Mapped {
    match kind {
        TypeKind::Int { bytes: 1 } => Mapped::exact("TINYINT"),
        TypeKind::Int { bytes: 2 } => Mapped::exact("SMALLINT"),
        TypeKind::Int { bytes: 3 } => Mapped::exact("MEDIUMINT"),
        TypeKind::Int { bytes: 8 } => Mapped::exact("BIGINT"),
        TypeKind::Int { .. } => Mapped::exact("INT"),
        TypeKind::Decimal { precision: None, .. } => Mapped::lossy(
            "DECIMAL(65,30)",
            "an unconstrained decimal has no MySQL equivalent; DECIMAL(65,30) is the widest",
        ),
        TypeKind::Decimal { precision: Some(p), scale } => {
            let s = scale.unwrap_or(0);
            if *p > 65 || s > 30 || s > *p {
                let (p2, s2) = ((*p).min(65), s.min(30).min((*p).min(65)));
                Mapped::lossy(
                    format!("DECIMAL({p2},{s2})"),
                    format!("MySQL decimals hold at most 65 digits, 30 after the point; decimal({p},{s}) narrowed"),
                )
            } else if scale.is_some() {
                Mapped::exact(format!("DECIMAL({p},{s})"))
            } else {
                Mapped::exact(format!("DECIMAL({p})"))
            }
        }
        TypeKind::Float { bytes: 4 } => Mapped::exact("FLOAT"),
        TypeKind::Float { .. } => Mapped::exact("DOUBLE"),
        // NOTE: BOOLEAN is an alias of TINYINT(1) in MySQL and MariaDB.
        TypeKind::Bool => Mapped::exact("TINYINT(1)"),
        TypeKind::Text if keyed => Mapped::lossy(
            "VARCHAR(255)",
            "MySQL cannot index TEXT without a prefix length; VARCHAR(255) holds at most 255 characters",
        ),
        TypeKind::Text => Mapped::exact("TEXT"),
        TypeKind::Varchar { len: Some(n) } => varchar(*n, keyed),
        TypeKind::Varchar { len: None } if keyed => {
            Mapped::lossy("VARCHAR(255)", "a varchar without length needs one in MySQL; 255 is used")
        }
        TypeKind::Varchar { len: None } => {
            Mapped::lossy("TEXT", "a varchar without length needs one in MySQL; TEXT is used")
        }
        TypeKind::Char { len: Some(n) } if *n <= 255 => Mapped::exact(format!("CHAR({n})")),
        TypeKind::Char { len: Some(n) } => varchar(*n, keyed),
        TypeKind::Char { len: None } => Mapped::exact("CHAR(1)"),
        TypeKind::Bytes if keyed => Mapped::lossy(
            "VARBINARY(255)",
            "MySQL cannot index BLOB without a prefix length; VARBINARY(255) holds at most 255 bytes",
        ),
        TypeKind::Bytes => Mapped::exact("LONGBLOB"),
        TypeKind::Uuid => Mapped::lossy("CHAR(36)", "MySQL has no uuid type: stored as CHAR(36) text"),
        TypeKind::Json | TypeKind::Jsonb => Mapped::exact("JSON"),
        TypeKind::Date => Mapped::exact("DATE"),
        TypeKind::Time { tz: false } => Mapped::exact("TIME(6)"),
        TypeKind::Time { tz: true } => Mapped::lossy("TIME(6)", "MySQL times have no time zone: the offset is lost"),
        TypeKind::Timestamp { tz, precision } => {
            let p = precision.unwrap_or(6).min(6);
            if *tz {
                Mapped::lossy(
                    format!("DATETIME({p})"),
                    "MySQL DATETIME has no time zone: store UTC (TIMESTAMP would convert but ends in 2038)",
                )
            } else {
                Mapped::exact(format!("DATETIME({p})"))
            }
        }
        TypeKind::Interval => Mapped::lossy("VARCHAR(64)", "MySQL has no interval type: stored as text"),
        TypeKind::Array { of } => Mapped::lossy("JSON", format!("MySQL has no arrays: a JSON array of {of}")),
        TypeKind::Enum { name } => match enum_values {
            Some(values) => {
                let v: Vec<String> = values.iter().map(|v| string_literal(v, true)).collect();
                Mapped::exact(format!("ENUM({})", v.join(",")))
            }
            None => {
                Mapped::lossy("VARCHAR(255)", format!("the values of enum {name} are unknown here: stored as text"))
            }
        },
        TypeKind::Vector { .. } => {
            Mapped::lossy("JSON", "MySQL has no vector type: a JSON array of numbers, without similarity search")
        }
        TypeKind::Other { raw } if inline_values(raw).is_some() => {
            let (base, values) = inline_values(raw).unwrap_or_default();
            let v: Vec<String> = values.iter().map(|v| string_literal(v, true)).collect();
            Mapped::exact(format!("{base}({})", v.join(",")))
        }
        TypeKind::Other { raw } => {
            let raw = raw.trim();
            let base: String = raw.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if KNOWN.contains(&base.to_ascii_uppercase().as_str()) && !raw.contains(['\'', '"', ';', '`']) {
                Mapped::exact(raw.to_string())
            } else if keyed {
                Mapped::lossy("VARCHAR(255)", format!("type `{raw}` is unknown to MySQL: stored as text"))
            } else {
                Mapped::lossy("LONGTEXT", format!("type `{raw}` is unknown to MySQL: stored as text"))
            }
        }
    }
}

/// MySQL types no other engine spells the same way: written so, they can only mean MySQL's.
/// (`BIT` is a boolean in SQL Server, so it counts only in a MySQL document.)
const MYSQL_ONLY: &[&str] =
    &["tinytext", "mediumtext", "longtext", "tinyblob", "mediumblob", "year", "datetime", "binary", "varbinary"];

/// Types whose MySQL spelling adds nothing to their portable meaning, or that need the portable
/// path's care (key-length limits, `SERIAL`'s implied key, MariaDB's JSON alias, booleans).
const PORTABLE_ONLY: &[&str] = &["serial", "json", "bool", "boolean", "tinyint(1)", "char", "varchar", "enum", "set"];

/// The column type exactly as the document wrote it (normalized: `BIGINT UNSIGNED`, `TINYTEXT`,
/// `YEAR`, `DATETIME`, `FLOAT(7,3)`) when it says more than its portable kind: unsigned or
/// zero-filled integers and MySQL-only types always, and any MySQL type when the document is
/// written for MySQL (`mysql_document`: there `TIMESTAMP`, `TIME` and `BLOB` mean MySQL's). `None`
/// leaves the column to the portable mapping, as for a text or blob column in a key (MySQL cannot
/// index it whole).
pub(super) fn native_type(spelling: &str, keyed: bool, mysql_document: bool) -> Option<String> {
    if spelling.contains(['\'', '"', ';', '`', '@']) {
        return None;
    }
    let normalized = normalize_type(spelling);
    let (head, args) = match normalized.find('(') {
        Some(i) => (&normalized[..i], &normalized[i..]),
        None => (normalized.as_str(), ""),
    };
    let mut head_words = head.split_whitespace();
    let base = head_words.next().unwrap_or_default();
    let head_tail: Vec<&str> = head_words.collect();
    let (args, tail) = match args.find(')') {
        Some(i) if head_tail.is_empty() => (&args[..=i], args[i + 1..].trim().to_string()),
        Some(_) => return None,
        None => ("", head_tail.join(" ")),
    };
    let signed_words = tail.split_whitespace().all(|w| matches!(w, "unsigned" | "signed" | "zerofill"));
    // Only lengths and precisions: `DateTime(timezone=True)` is another notation's spelling.
    let numeric_args = args.trim_matches(['(', ')']).split(',').all(|a| a.trim().chars().all(|c| c.is_ascii_digit()));
    if !numeric_args {
        return None;
    }
    if !KNOWN.contains(&base.to_ascii_uppercase().as_str()) || !signed_words {
        return None;
    }
    if PORTABLE_ONLY.contains(&base) || PORTABLE_ONLY.contains(&normalized.as_str()) {
        return None;
    }
    let text_like = base.ends_with("text") || base.ends_with("blob");
    if keyed && text_like {
        return None;
    }
    if !tail.is_empty() || MYSQL_ONLY.contains(&base) || mysql_document {
        let mut words: Vec<&str> = tail.split_whitespace().collect();
        // NOTE: ZEROFILL implies UNSIGNED; the catalog says both.
        if words.contains(&"zerofill") && !words.contains(&"unsigned") {
            words.insert(0, "unsigned");
        }
        let tail = words.iter().map(|w| format!(" {}", w.to_ascii_uppercase())).collect::<String>();
        return Some(format!("{}{args}{tail}", base.to_ascii_uppercase()));
    }
    None
}

/// The base (`ENUM` or `SET`) and values of a MySQL inline enum or set type such as
/// `enum('a','it''s')`, or `None` when `raw` is not one.
fn inline_values(raw: &str) -> Option<(&'static str, Vec<String>)> {
    let raw = raw.trim();
    let (word, rest) = raw.split_once('(')?;
    let base = match word.trim().to_ascii_uppercase().as_str() {
        "ENUM" => "ENUM",
        "SET" => "SET",
        _ => return None,
    };
    let mut chars = rest.trim_end().strip_suffix(')')?.trim().chars().peekable();
    let mut values = Vec::new();
    loop {
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                // NOTE: a backslash may be an escape (MySQL) or a character (standard SQL).
                '\\' => return None,
                c => value.push(c),
            }
        }
        values.push(value);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some((base, values)),
            Some(',') => {}
            Some(_) => return None,
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
    }
}

/// Whether MySQL 8 accepts only an expression, not a literal, as the default of `sql_type`.
// NOTE: MySQL 8.0.13+ accepts `DEFAULT ('…')` on TEXT, BLOB and JSON; a bare literal is rejected.
// MariaDB accepts both spellings.
pub(super) fn needs_expression_default(sql_type: &str) -> bool {
    let u = sql_type.to_ascii_uppercase();
    ["TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB", "JSON", "GEOMETRY"]
        .iter()
        .any(|t| u == *t || u.starts_with(&format!("{t}(")))
}

/// The length of a 'YYYY-MM-DD hh:mm:ss' time written as text.
const TIME_TEXT_CHARS: u32 = 19;

/// The `DEFAULT` giving the current time to a column spelled `sql_type`.
fn current_time_default(sql_type: &str) -> Result<Mapped, String> {
    let upper = sql_type.trim().to_ascii_uppercase();
    let (base, arg) = match upper.split_once('(') {
        Some((base, rest)) => (base.trim(), rest.strip_suffix(')').map(str::trim)),
        None => (upper.as_str(), None),
    };
    let number = arg.map(|a| a.parse::<u32>().map_err(|_| format!("`{sql_type}` has no valid length or precision")));
    Ok(match (base, number.transpose()?) {
        // NOTE: MySQL requires the default's fractional precision to equal the column's.
        ("DATETIME" | "TIMESTAMP", None | Some(0)) => Mapped::exact("CURRENT_TIMESTAMP"),
        ("DATETIME" | "TIMESTAMP", Some(p)) => Mapped::exact(format!("CURRENT_TIMESTAMP({p})")),
        ("DATE", _) => Mapped::exact("(CURRENT_DATE)"),
        ("TIME", _) => Mapped::exact("(CURRENT_TIME)"),
        ("CHAR" | "VARCHAR", Some(n)) if n < TIME_TEXT_CHARS => {
            return Err(format!("a {sql_type} column is too short for the current time as text"))
        }
        // NOTE: MySQL 8.0.13+ and MariaDB 10.2+ accept any expression in parentheses as a default,
        // also on TEXT; the time is converted to text in the session time zone.
        ("CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT", _) => Mapped::lossy(
            "(CURRENT_TIMESTAMP)",
            "the column holds text: the current time is written as 'YYYY-MM-DD hh:mm:ss' in the session time zone",
        ),
        _ => return Err(format!("MySQL cannot default a {sql_type} column to the current time")),
    })
}

/// The MySQL `DEFAULT` expression for `value` on a column of `kind` spelled `sql_type`.
pub(super) fn default_sql(kind: &TypeKind, sql_type: &str, value: &DefaultValue) -> Result<Mapped, String> {
    let expr_only = needs_expression_default(sql_type);
    let wrap = |s: String| if expr_only { format!("({s})") } else { s };
    Ok(match coerce_default(kind, value) {
        DefaultValue::Null => Mapped::exact("NULL"),
        DefaultValue::Bool(b) => Mapped::exact(wrap(if b { "1" } else { "0" }.to_string())),
        DefaultValue::Number(n) => Mapped::exact(wrap(number_literal(&n)?)),
        DefaultValue::String(s) => match kind {
            TypeKind::Array { .. } | TypeKind::Vector { .. } => match array_literal_as_json(&s) {
                Some(json) if json == s.trim() => Mapped::exact(wrap(string_literal(&json, true))),
                Some(json) => Mapped::lossy(
                    wrap(string_literal(&json, true)),
                    format!("the array literal '{s}' is written as the JSON array {json}"),
                ),
                None => return Err(format!("the array literal '{s}' cannot be written as JSON")),
            },
            _ => Mapped::exact(wrap(string_literal(&s, true))),
        },
        DefaultValue::CurrentTimestamp => current_time_default(sql_type)?,
        DefaultValue::CurrentDate => Mapped::exact("(CURRENT_DATE)"),
        DefaultValue::CurrentTime => Mapped::exact("(CURRENT_TIME)"),
        DefaultValue::GeneratedUuid => Mapped::exact("(UUID())"),
        DefaultValue::Raw(raw) if is_plain_literal(&raw) => {
            let r = raw.trim();
            Mapped::exact(if expr_only && !r.starts_with('(') { format!("({r})") } else { r.to_string() })
        }
        DefaultValue::Raw(raw) => return Err(format!("`{}` is not portable to MySQL", raw.trim())),
    })
}

/// The portable type of a column MySQL or MariaDB reports as `column_type` (`int(11)`,
/// `tinyint(1)`, `varchar(255)`, `enum('a','b')`, `datetime(3)`, `int(10) unsigned`). Types without
/// a portable meaning keep their normalized spelling in [`TypeKind::Other`]. `json` is only known
/// from the spelling here: MariaDB's `longtext` with a `json_valid` CHECK is recognised by the caller.
pub(super) fn kind_of(column_type: &str) -> TypeKind {
    let spelled = normalize_type(column_type);
    let (base, args) = match spelled.split_once('(') {
        Some((b, rest)) if !b.contains(' ') => (b, rest.split_once(')').map(|(a, tail)| (a, tail.trim()))),
        _ => (spelled.as_str(), None),
    };
    let (args, tail) = match args {
        Some((a, t)) => (Some(a), t),
        None => (None, ""),
    };
    let base_word = base.split_whitespace().next().unwrap_or_default();
    if spelled.contains(" unsigned") || spelled.contains(" zerofill") || !tail.is_empty() {
        return TypeKind::Other { raw: spelled };
    }
    let num = |i: usize| args.and_then(|a| a.split(',').nth(i)).and_then(|x| x.trim().parse::<u32>().ok());
    match base_word {
        "tinyint" if args == Some("1") => TypeKind::Bool,
        "bool" | "boolean" => TypeKind::Bool,
        "tinyint" => TypeKind::Int { bytes: 1 },
        "smallint" => TypeKind::Int { bytes: 2 },
        "mediumint" => TypeKind::Int { bytes: 3 },
        "int" | "integer" => TypeKind::Int { bytes: 4 },
        "bigint" => TypeKind::Int { bytes: 8 },
        "decimal" | "numeric" => match num(0) {
            Some(p) => TypeKind::Decimal { precision: Some(p), scale: Some(num(1).unwrap_or(0)) },
            None => TypeKind::Decimal { precision: Some(10), scale: Some(0) },
        },
        "float" if args.is_none() => TypeKind::Float { bytes: 4 },
        "double" | "real" if args.is_none() => TypeKind::Float { bytes: 8 },
        "char" => TypeKind::Char { len: Some(num(0).unwrap_or(1)) },
        "varchar" => match num(0) {
            Some(n) => TypeKind::Varchar { len: Some(n) },
            None => TypeKind::Other { raw: spelled },
        },
        "text" => TypeKind::Text,
        "longblob" => TypeKind::Bytes,
        "json" => TypeKind::Json,
        "date" => TypeKind::Date,
        "time" => TypeKind::Time { tz: false },
        "datetime" => TypeKind::Timestamp { tz: false, precision: Some(num(0).unwrap_or(0)) },
        "timestamp" => TypeKind::Timestamp { tz: true, precision: Some(num(0).unwrap_or(0)) },
        _ => TypeKind::Other { raw: spelled },
    }
}

/// A MySQL column type spelled the way the catalog compares it: the type words lower-cased,
/// integer display widths (`int(11)`, MariaDB) dropped except `tinyint(1)`, `integer` as `int`;
/// enum and set values keep their case.
pub(super) fn normalize_type(column_type: &str) -> String {
    let t = column_type.trim();
    let (head, values) = match t.find('(') {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let head = head.trim().to_ascii_lowercase();
    let head = match head.as_str() {
        "integer" => "int".to_string(),
        "bool" | "boolean" => return "tinyint(1)".to_string(),
        _ => head,
    };
    if matches!(head.as_str(), "enum" | "set") {
        return format!("{head}{values}");
    }
    let (args, tail) = match values.find(')') {
        Some(i) => (&values[..=i], values[i + 1..].trim().to_ascii_lowercase()),
        None => ("", values.trim().to_ascii_lowercase()),
    };
    let args: String = args.chars().filter(|c| !c.is_whitespace()).collect();
    // NOTE: MariaDB reports `year(4)`; a display width is all the number can be.
    let int = matches!(head.as_str(), "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "year");
    let args = if int && !(head == "tinyint" && args == "(1)") { String::new() } else { args };
    let mut words: Vec<&str> = tail.split_whitespace().collect();
    // NOTE: ZEROFILL implies UNSIGNED; the catalog says both.
    if words.contains(&"zerofill") && !words.contains(&"unsigned") {
        words.retain(|w| *w != "zerofill");
        words.extend(["unsigned", "zerofill"]);
    }
    let tail = words.join(" ");
    if tail.is_empty() {
        format!("{head}{args}")
    } else {
        format!("{head}{args} {tail}")
    }
}

/// A column default as MySQL or MariaDB reports it (`COLUMN_DEFAULT`), or as schemadoc writes it,
/// as a portable value. `literal` says the text is a bare literal (MySQL 8 reports `x` for
/// `DEFAULT 'x'`, marking expressions with `DEFAULT_GENERATED`); `None` means no default
/// (`NULL` included: a nullable column without default defaults to NULL anyway).
pub(super) fn parse_default(text: &str, literal: bool, kind: &TypeKind) -> Option<DefaultValue> {
    if literal {
        let numeric =
            matches!(kind, TypeKind::Int { .. } | TypeKind::Decimal { .. } | TypeKind::Float { .. } | TypeKind::Bool);
        return Some(if numeric && text.trim().parse::<f64>().is_ok() {
            DefaultValue::Number(canonical_number(text))
        } else {
            DefaultValue::String(text.to_string())
        });
    }
    let mut t = text.trim();
    while let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        t = inner.trim();
    }
    // NOTE: MySQL 8 reports string literals of expression defaults with their character set
    // (`_utf8mb4\'x\'`).
    let unintroduced =
        t.strip_prefix("_utf8mb4").or_else(|| t.strip_prefix("_utf8mb3")).or_else(|| t.strip_prefix("_latin1"));
    if let Some(rest) = unintroduced {
        let rest = rest.trim();
        if let Some(inner) = rest.strip_prefix("\\'").and_then(|r| r.strip_suffix("\\'")) {
            return Some(DefaultValue::String(unescape(inner)));
        }
        t = rest;
    }
    let lower = t.to_ascii_lowercase();
    let call = lower.split('(').next().unwrap_or_default().trim().to_string();
    Some(match call.as_str() {
        "null" => return None,
        "current_timestamp" | "now" | "localtimestamp" | "localtime" => DefaultValue::CurrentTimestamp,
        "current_date" | "curdate" => DefaultValue::CurrentDate,
        "current_time" | "curtime" => DefaultValue::CurrentTime,
        "uuid" => DefaultValue::GeneratedUuid,
        "true" => DefaultValue::Number("1".into()),
        "false" => DefaultValue::Number("0".into()),
        _ if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') => {
            DefaultValue::String(unescape(&t[1..t.len() - 1]))
        }
        _ if t.parse::<f64>().is_ok() => DefaultValue::Number(canonical_number(t)),
        _ => DefaultValue::Raw(t.to_string()),
    })
}

/// The text of a MySQL string literal's body: `''` and backslash escapes resolved.
fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some('Z') => out.push('\u{1a}'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

/// A numeric literal written one way: no `+`, no leading zeros, no trailing fractional zeros
/// (`0.00` and `0` are one default on a DECIMAL column).
pub(super) fn canonical_number(n: &str) -> String {
    let t = n.trim().trim_start_matches('+');
    if t.contains(['e', 'E']) {
        return t.parse::<f64>().map(|f| f.to_string()).unwrap_or_else(|_| t.to_string());
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let body = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
    if neg && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_map_to_mysql_names() {
        assert_eq!(map_type(&TypeKind::Int { bytes: 8 }, false, None).sql, "BIGINT");
        assert_eq!(map_type(&TypeKind::Bool, false, None).sql, "TINYINT(1)");
        assert_eq!(map_type(&TypeKind::Uuid, false, None).sql, "CHAR(36)");
        assert_eq!(map_type(&TypeKind::Jsonb, false, None), Mapped::exact("JSON"));
        assert_eq!(map_type(&TypeKind::Text, false, None), Mapped::exact("TEXT"));
        let keyed = map_type(&TypeKind::Text, true, None);
        assert_eq!(keyed.sql, "VARCHAR(255)");
        assert!(keyed.note.is_some());
        let tz = map_type(&TypeKind::Timestamp { tz: true, precision: None }, false, None);
        assert_eq!(tz.sql, "DATETIME(6)");
        assert!(tz.note.is_some_and(|n| n.contains("time zone")));
        assert_eq!(map_type(&TypeKind::Array { of: Box::new(TypeKind::Text) }, false, None).sql, "JSON");
        assert_eq!(map_type(&TypeKind::Vector { dims: Some(3) }, false, None).sql, "JSON");
        let values = vec!["a".to_string(), "it's".to_string()];
        assert_eq!(map_type(&TypeKind::Enum { name: "e".into() }, false, Some(&values)).sql, "ENUM('a','it''s')");
        assert_eq!(map_type(&TypeKind::Varchar { len: Some(1000) }, true, None).sql, "VARCHAR(768)");
        assert_eq!(map_type(&TypeKind::Other { raw: "inet".into() }, false, None).sql, "LONGTEXT");
        assert_eq!(map_type(&TypeKind::Other { raw: "MEDIUMTEXT".into() }, false, None).sql, "MEDIUMTEXT");
        assert_eq!(
            map_type(&TypeKind::Other { raw: "DECIMAL(10,2) UNSIGNED".into() }, false, None).sql,
            "DECIMAL(10,2) UNSIGNED"
        );
    }

    #[test]
    fn types_only_mysql_has_are_kept_as_written() {
        assert_eq!(native_type("BIGINT UNSIGNED", false, false).as_deref(), Some("BIGINT UNSIGNED"));
        assert_eq!(native_type("int(10) unsigned zerofill", false, false).as_deref(), Some("INT UNSIGNED ZEROFILL"));
        assert_eq!(native_type("MEDIUMINT ZEROFILL", false, false).as_deref(), Some("MEDIUMINT UNSIGNED ZEROFILL"));
        assert_eq!(native_type("tinytext", false, false).as_deref(), Some("TINYTEXT"));
        assert_eq!(native_type("YEAR", false, false).as_deref(), Some("YEAR"));
        assert_eq!(native_type("DATETIME", false, false).as_deref(), Some("DATETIME"));
        assert_eq!(native_type("datetime(3)", false, false).as_deref(), Some("DATETIME(3)"));
        assert_eq!(native_type("MEDIUMTEXT", true, true), None, "a key cannot hold a whole text");
        // Spellings other engines share mean MySQL's only in a MySQL document.
        assert_eq!(native_type("TIMESTAMP", false, false), None);
        assert_eq!(native_type("TIMESTAMP", false, true).as_deref(), Some("TIMESTAMP"));
        assert_eq!(native_type("BLOB", false, true).as_deref(), Some("BLOB"));
        assert_eq!(native_type("float(7,3)", false, true).as_deref(), Some("FLOAT(7,3)"));
        for portable in [
            "DateTime(timezone=True)",
            "SERIAL",
            "VARCHAR(20)",
            "BOOLEAN",
            "JSON",
            "bit varying(8)",
            "double precision",
            "text[]",
        ] {
            assert_eq!(native_type(portable, false, true), None, "{portable}");
        }
    }

    #[test]
    fn inline_enums_and_sets_are_kept() {
        let other = |raw: &str| map_type(&TypeKind::Other { raw: raw.into() }, true, None);
        assert_eq!(other("enum('a', 'c''d')"), Mapped::exact("ENUM('a','c''d')"));
        assert_eq!(other("SET('x','y')"), Mapped::exact("SET('x','y')"));
        assert_eq!(other("ENUM()").sql, "VARCHAR(255)");
        assert_eq!(other("ENUM('a' 'b')").sql, "VARCHAR(255)");
        assert_eq!(other("ENUM('a\\'')").sql, "VARCHAR(255)");
        assert_eq!(other("ENUM('open").sql, "VARCHAR(255)");
    }

    #[test]
    fn defaults_are_spelled_for_mysql() {
        let arr = TypeKind::Array { of: Box::new(TypeKind::Text) };
        assert_eq!(default_sql(&arr, "JSON", &DefaultValue::String("{}".into())).map(|m| m.sql), Ok("('[]')".into()));
        assert_eq!(
            default_sql(&TypeKind::Text, "TEXT", &DefaultValue::String("x".into())).map(|m| m.sql),
            Ok("('x')".into())
        );
        assert_eq!(
            default_sql(&TypeKind::Text, "VARCHAR(255)", &DefaultValue::String("a\\b".into())).map(|m| m.sql),
            Ok("'a\\\\b'".into())
        );
        let ts = TypeKind::Timestamp { tz: true, precision: Some(3) };
        assert_eq!(
            default_sql(&ts, "DATETIME(3)", &DefaultValue::CurrentTimestamp).map(|m| m.sql),
            Ok("CURRENT_TIMESTAMP(3)".into())
        );
        assert_eq!(
            default_sql(&TypeKind::Uuid, "CHAR(36)", &DefaultValue::GeneratedUuid).map(|m| m.sql),
            Ok("(UUID())".into())
        );
        assert_eq!(
            default_sql(&TypeKind::Bool, "TINYINT(1)", &DefaultValue::Bool(true)).map(|m| m.sql),
            Ok("1".into())
        );
        assert!(default_sql(&TypeKind::Int { bytes: 8 }, "BIGINT", &DefaultValue::Raw("nextval('s')".into())).is_err());
        assert!(default_sql(&TypeKind::Int { bytes: 4 }, "INT", &DefaultValue::CurrentTimestamp).is_err());
    }

    #[test]
    fn the_current_time_fits_the_column() {
        let now = |sql_type: &str| default_sql(&TypeKind::Text, sql_type, &DefaultValue::CurrentTimestamp);
        assert_eq!(now("DATETIME(0)").map(|m| m.sql), Ok("CURRENT_TIMESTAMP".into()));
        assert_eq!(now("DATETIME(6)").map(|m| m.sql), Ok("CURRENT_TIMESTAMP(6)".into()));
        assert_eq!(now("timestamp(3)").map(|m| m.sql), Ok("CURRENT_TIMESTAMP(3)".into()));
        assert_eq!(now("TIMESTAMP").map(|m| m.sql), Ok("CURRENT_TIMESTAMP".into()));
        assert_eq!(now("DATE").map(|m| m.sql), Ok("(CURRENT_DATE)".into()));
        assert_eq!(now("TIME(6)").map(|m| m.sql), Ok("(CURRENT_TIME)".into()));
        // A SQLite document's `TEXT DEFAULT (datetime('now'))` keeps its default, as text.
        let text = now("TEXT");
        assert_eq!(text.as_ref().map(|m| m.sql.as_str()), Ok("(CURRENT_TIMESTAMP)"));
        assert!(text.is_ok_and(|m| m.note.is_some_and(|n| n.contains("text"))));
        assert_eq!(now("VARCHAR(19)").map(|m| m.sql), Ok("(CURRENT_TIMESTAMP)".into()));
        assert!(now("VARCHAR(10)").is_err());
        assert!(now("DATETIME(x)").is_err());
        assert!(now("LONGBLOB").is_err());
    }

    #[test]
    fn checks_may_not_call_the_clock() {
        assert_eq!(foreign_in_check("created_at <= now()"), Some("now("));
        assert_eq!(foreign("\"status\" = 'a'"), Some("\""));
        assert_eq!(foreign("status IN ('a', 'b')"), None);
    }

    #[test]
    fn reported_types_have_portable_kinds() {
        assert_eq!(kind_of("int(11)"), TypeKind::Int { bytes: 4 });
        assert_eq!(kind_of("INT"), TypeKind::Int { bytes: 4 });
        assert_eq!(kind_of("tinyint(1)"), TypeKind::Bool);
        assert_eq!(kind_of("tinyint(4)"), TypeKind::Int { bytes: 1 });
        assert_eq!(kind_of("bigint(20)"), TypeKind::Int { bytes: 8 });
        assert_eq!(kind_of("varchar(255)"), TypeKind::Varchar { len: Some(255) });
        assert_eq!(kind_of("decimal(10,0)"), kind_of("DECIMAL(10)"));
        assert_eq!(kind_of("datetime"), TypeKind::Timestamp { tz: false, precision: Some(0) });
        assert_eq!(kind_of("datetime(3)"), TypeKind::Timestamp { tz: false, precision: Some(3) });
        assert_eq!(kind_of("json"), TypeKind::Json);
        assert_eq!(kind_of("enum('a','B')"), TypeKind::Other { raw: "enum('a','B')".into() });
        assert_eq!(kind_of("ENUM('a','B')"), kind_of("enum('a','B')"));
        assert_eq!(kind_of("int(10) unsigned"), TypeKind::Other { raw: "int unsigned".into() });
        assert_eq!(kind_of("INT UNSIGNED"), kind_of("int(10) unsigned"));
        assert_eq!(kind_of("mediumtext"), TypeKind::Other { raw: "mediumtext".into() });
        assert_eq!(kind_of("geometry"), TypeKind::Other { raw: "geometry".into() });
        assert_eq!(kind_of(""), TypeKind::Other { raw: String::new() });
        assert!(matches!(kind_of("varchar("), TypeKind::Other { .. }));
    }

    #[test]
    fn reported_defaults_are_portable_values() {
        let text = TypeKind::Text;
        assert_eq!(parse_default("'x'", false, &text), Some(DefaultValue::String("x".into())));
        assert_eq!(parse_default("'it''s \\\\'", false, &text), Some(DefaultValue::String("it's \\".into())));
        assert_eq!(parse_default("('x')", false, &text), Some(DefaultValue::String("x".into())));
        assert_eq!(parse_default("_utf8mb4\\'x\\'", false, &text), Some(DefaultValue::String("x".into())));
        assert_eq!(parse_default("NULL", false, &text), None);
        assert_eq!(parse_default("current_timestamp(3)", false, &text), Some(DefaultValue::CurrentTimestamp));
        assert_eq!(parse_default("CURRENT_TIMESTAMP", false, &text), Some(DefaultValue::CurrentTimestamp));
        assert_eq!(parse_default("curdate()", false, &text), Some(DefaultValue::CurrentDate));
        assert_eq!(parse_default("(uuid())", false, &text), Some(DefaultValue::GeneratedUuid));
        assert_eq!(parse_default("0.00", false, &text), Some(DefaultValue::Number("0".into())));
        assert_eq!(parse_default("x", true, &text), Some(DefaultValue::String("x".into())));
        assert_eq!(
            parse_default("1.50", true, &TypeKind::Decimal { precision: None, scale: None }),
            Some(DefaultValue::Number("1.5".into()))
        );
        assert_eq!(parse_default("rand()", false, &text), Some(DefaultValue::Raw("rand()".into())));
    }

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(canonical_number("0.00"), "0");
        assert_eq!(canonical_number("-0.0"), "0");
        assert_eq!(canonical_number("+012.50"), "12.5");
        assert_eq!(canonical_number("-3"), "-3");
    }
}
