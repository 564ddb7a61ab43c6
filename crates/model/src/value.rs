use serde::Serialize;
use std::fmt;

/// A column default as a portable expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    Null,
    Bool(bool),
    /// A numeric literal, as written (`0`, `-1.5`).
    Number(String),
    /// A string literal, unquoted (`draft`, `{}`, `[]`).
    String(String),
    /// `now()`, `CURRENT_TIMESTAMP`, `datetime('now')`, `func.now()`.
    CurrentTimestamp,
    CurrentDate,
    CurrentTime,
    /// A server-generated UUID (`gen_random_uuid()`, `uuid_generate_v4()`, `UUID()`).
    GeneratedUuid,
    /// Any other expression, as written.
    Raw(String),
}

impl fmt::Display for DefaultValue {
    /// A neutral spelling used in messages and JSON: literals as SQL, functions as `now()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::Null => f.write_str("NULL"),
            DefaultValue::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            DefaultValue::Number(n) => f.write_str(n),
            DefaultValue::String(s) => write!(f, "'{}'", s.replace('\'', "''")),
            DefaultValue::CurrentTimestamp => f.write_str("now()"),
            DefaultValue::CurrentDate => f.write_str("current_date"),
            DefaultValue::CurrentTime => f.write_str("current_time"),
            DefaultValue::GeneratedUuid => f.write_str("gen_random_uuid()"),
            DefaultValue::Raw(r) => f.write_str(r),
        }
    }
}

/// What a foreign key does when the referenced row is deleted or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReferentialAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Parse `CASCADE`, `set null`, Prisma's `SetNull`, SQLAlchemy's `"CASCADE"`.
    pub fn parse(s: &str) -> Option<Self> {
        let norm: String = s.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>().to_ascii_lowercase();
        Some(match norm.as_str() {
            "noaction" => ReferentialAction::NoAction,
            "restrict" => ReferentialAction::Restrict,
            "cascade" => ReferentialAction::Cascade,
            "setnull" => ReferentialAction::SetNull,
            "setdefault" => ReferentialAction::SetDefault,
            _ => return None,
        })
    }
}

impl fmt::Display for ReferentialAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sql())
    }
}
