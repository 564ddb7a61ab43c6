use serde::Serialize;
use std::fmt;

/// A portable column type. The original spelling is kept in [`DataType::spelling`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeKind {
    /// A signed integer of `bytes` width (1, 2, 4 or 8).
    Int {
        bytes: u8,
    },
    Decimal {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    /// A binary floating point number of `bytes` width (4 or 8).
    Float {
        bytes: u8,
    },
    Bool,
    Text,
    Varchar {
        len: Option<u32>,
    },
    Char {
        len: Option<u32>,
    },
    Bytes,
    Uuid,
    Json,
    Jsonb,
    Date,
    Time {
        tz: bool,
    },
    Timestamp {
        tz: bool,
        precision: Option<u32>,
    },
    Interval,
    Array {
        of: Box<TypeKind>,
    },
    /// A named enum type (see [`crate::Enum`]).
    Enum {
        name: String,
    },
    /// A pgvector embedding of `dims` dimensions.
    Vector {
        dims: Option<u32>,
    },
    /// Anything else, spelled as written.
    Other {
        raw: String,
    },
}

impl TypeKind {
    /// The family a type belongs to: types of one family hold the same kind of value.
    pub fn family(&self) -> &'static str {
        match self {
            TypeKind::Int { .. } => "integer",
            TypeKind::Decimal { .. } => "decimal",
            TypeKind::Float { .. } => "float",
            TypeKind::Bool => "boolean",
            TypeKind::Text | TypeKind::Varchar { .. } | TypeKind::Char { .. } => "string",
            TypeKind::Bytes => "bytes",
            TypeKind::Uuid => "uuid",
            TypeKind::Json | TypeKind::Jsonb => "json",
            TypeKind::Date => "date",
            TypeKind::Time { .. } => "time",
            TypeKind::Timestamp { .. } => "timestamp",
            TypeKind::Interval => "interval",
            TypeKind::Array { .. } => "array",
            TypeKind::Enum { .. } => "enum",
            TypeKind::Vector { .. } => "vector",
            TypeKind::Other { .. } => "other",
        }
    }
}

impl fmt::Display for TypeKind {
    /// A canonical, dialect-neutral spelling (`varchar(255)`, `timestamptz`, `text[]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeKind::Int { bytes: 1 } => f.write_str("tinyint"),
            TypeKind::Int { bytes: 2 } => f.write_str("smallint"),
            TypeKind::Int { bytes: 8 } => f.write_str("bigint"),
            TypeKind::Int { .. } => f.write_str("integer"),
            TypeKind::Decimal { precision: Some(p), scale: Some(s) } => write!(f, "decimal({p},{s})"),
            TypeKind::Decimal { precision: Some(p), scale: None } => write!(f, "decimal({p})"),
            TypeKind::Decimal { .. } => f.write_str("decimal"),
            TypeKind::Float { bytes: 4 } => f.write_str("real"),
            TypeKind::Float { .. } => f.write_str("double"),
            TypeKind::Bool => f.write_str("boolean"),
            TypeKind::Text => f.write_str("text"),
            TypeKind::Varchar { len: Some(n) } => write!(f, "varchar({n})"),
            TypeKind::Varchar { len: None } => f.write_str("varchar"),
            TypeKind::Char { len: Some(n) } => write!(f, "char({n})"),
            TypeKind::Char { len: None } => f.write_str("char"),
            TypeKind::Bytes => f.write_str("bytes"),
            TypeKind::Uuid => f.write_str("uuid"),
            TypeKind::Json => f.write_str("json"),
            TypeKind::Jsonb => f.write_str("jsonb"),
            TypeKind::Date => f.write_str("date"),
            TypeKind::Time { tz: false } => f.write_str("time"),
            TypeKind::Time { tz: true } => f.write_str("timetz"),
            TypeKind::Timestamp { tz, precision } => {
                f.write_str(if *tz { "timestamptz" } else { "timestamp" })?;
                if let Some(p) = precision {
                    write!(f, "({p})")?;
                }
                Ok(())
            }
            TypeKind::Interval => f.write_str("interval"),
            TypeKind::Array { of } => write!(f, "{of}[]"),
            TypeKind::Enum { name } => write!(f, "enum {name}"),
            TypeKind::Vector { dims: Some(n) } => write!(f, "vector({n})"),
            TypeKind::Vector { dims: None } => f.write_str("vector"),
            TypeKind::Other { raw } => f.write_str(raw),
        }
    }
}

/// A column type as the document wrote it, with its portable meaning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DataType {
    pub kind: TypeKind,
    /// The type exactly as written (`VARCHAR(255)`, `String(36)`, `DateTime @db.Timestamptz(3)`).
    pub spelling: String,
    /// False when the notation only names a family (a Mermaid `string`), so lengths and widths
    /// are unknown and must not be compared.
    pub exact: bool,
}

impl DataType {
    pub fn new(kind: TypeKind, spelling: impl Into<String>) -> Self {
        DataType { kind, spelling: spelling.into(), exact: true }
    }

    /// A type of which only the family is known.
    pub fn loose(kind: TypeKind, spelling: impl Into<String>) -> Self {
        DataType { kind, spelling: spelling.into(), exact: false }
    }

    /// The type of a column the document names without stating its type (a bullet `` `opened_at` ``,
    /// a box-diagram line): nothing about it is known, so it never disagrees with a stated type.
    pub fn unstated() -> Self {
        DataType { kind: TypeKind::Other { raw: String::new() }, spelling: String::new(), exact: false }
    }

    /// Whether the document did not state this type (see [`DataType::unstated`]).
    pub fn is_unstated(&self) -> bool {
        self.spelling.is_empty() && matches!(&self.kind, TypeKind::Other { raw } if raw.is_empty())
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

/// Type names some SQL engine accepts (PostgreSQL with its common extensions, MySQL and MariaDB,
/// SQLite, SQL Server), lower case and without arguments: `varchar`, `double precision`, `geometry`.
pub const SQL_TYPE_NAMES: &[&str] = &[
    // Numbers.
    "bigint",
    "bigserial",
    "bit",
    "bit varying",
    "bool",
    "boolean",
    "dec",
    "decimal",
    "double",
    "double precision",
    "fixed",
    "float",
    "float4",
    "float8",
    "int",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "integer",
    "mediumint",
    "middleint",
    "money",
    "number",
    "numeric",
    "real",
    "serial",
    "serial2",
    "serial4",
    "serial8",
    "smallint",
    "smallmoney",
    "smallserial",
    "tinyint",
    "varbit",
    "oid",
    "regclass",
    // Text.
    "bpchar",
    "char",
    "character",
    "character varying",
    "citext",
    "clob",
    "long",
    "long varchar",
    "longtext",
    "mediumtext",
    "name",
    "national char",
    "national character",
    "national character varying",
    "national varchar",
    "nchar",
    "ntext",
    "nvarchar",
    "nvarchar2",
    "set",
    "enum",
    "string",
    "text",
    "tinytext",
    "varchar",
    "varchar2",
    "varying character",
    "native character",
    "sysname",
    // Bytes.
    "binary",
    "blob",
    "bytea",
    "image",
    "longblob",
    "mediumblob",
    "tinyblob",
    "varbinary",
    "long varbinary",
    "raw",
    // Dates and times.
    "date",
    "datetime",
    "datetime2",
    "datetimeoffset",
    "interval",
    "smalldatetime",
    "time",
    "timestamp",
    "timestamp with time zone",
    "timestamp without time zone",
    "time with time zone",
    "time without time zone",
    "timestamptz",
    "timetz",
    "year",
    "rowversion",
    // Structured.
    "json",
    "jsonb",
    "jsonpath",
    "xml",
    "uuid",
    "uniqueidentifier",
    "hstore",
    "ltree",
    "lquery",
    "ltxtquery",
    "cube",
    "sql_variant",
    "hierarchyid",
    "tsvector",
    "tsquery",
    "txid_snapshot",
    "pg_lsn",
    "pg_snapshot",
    "record",
    // Network.
    "cidr",
    "inet",
    "macaddr",
    "macaddr8",
    // Ranges.
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
    "int4multirange",
    "int8multirange",
    "nummultirange",
    "tsmultirange",
    "tstzmultirange",
    "datemultirange",
    // Geometry (built-in, MySQL spatial, PostGIS).
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "geometry",
    "geography",
    "linestring",
    "multipoint",
    "multilinestring",
    "multipolygon",
    "geometrycollection",
    "geomcollection",
    "box2d",
    "box3d",
    "raster",
    "geometry_dump",
    // Vectors (pgvector) and other extensions.
    "vector",
    "halfvec",
    "sparsevec",
    "earth",
    "isbn",
    "issn",
    "ean13",
    "seg",
    // SQLite's untyped column.
    "any",
];

/// The name a SQL type spelling is looked up under in [`SQL_TYPE_NAMES`]: lower case, without
/// arguments, array marks and MySQL sign modifiers (`VARCHAR(255)` → `varchar`, `int(10) unsigned` →
/// `int`, `TEXT[]` → `text`, `timestamp(3) with time zone` → `timestamp with time zone`).
pub fn sql_type_base(spelling: &str) -> String {
    let mut s = spelling.trim().to_ascii_lowercase();
    while let Some(inner) = s.strip_suffix("[]") {
        s = inner.trim_end().to_string();
    }
    if let Some(inner) = s.strip_suffix(" array") {
        s = inner.trim_end().to_string();
    }
    // Drop every parenthesised argument list.
    let mut out = String::new();
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> =
        out.split_whitespace().filter(|w| !matches!(*w, "unsigned" | "signed" | "zerofill")).collect();
    words.join(" ")
}

/// Whether some SQL engine knows the type spelled `spelling` (see [`SQL_TYPE_NAMES`]).
pub fn is_sql_type(spelling: &str) -> bool {
    let base = sql_type_base(spelling);
    let base = base.strip_prefix("pg_catalog.").or_else(|| base.strip_prefix("public.")).unwrap_or(&base);
    SQL_TYPE_NAMES.contains(&base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_type_names_are_looked_up_without_arguments() {
        assert_eq!(sql_type_base("VARCHAR(255)"), "varchar");
        assert_eq!(sql_type_base("int(10) unsigned"), "int");
        assert_eq!(sql_type_base("TEXT[]"), "text");
        assert_eq!(sql_type_base("timestamp(3) with time zone"), "timestamp with time zone");
        assert_eq!(sql_type_base("VARCHAR(20) NOT NULL"), "varchar not null");
        assert_eq!(sql_type_base("geography(Point,4326)"), "geography");
        assert!(is_sql_type("NVARCHAR(MAX)"));
        assert!(is_sql_type("enum('a','b')"));
        assert!(is_sql_type("DOUBLE PRECISION"));
        assert!(!is_sql_type("VARCHR(100)"));
        assert!(!is_sql_type("LocalDateTime"));
    }
}
