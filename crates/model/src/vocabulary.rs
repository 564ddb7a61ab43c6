//! The type vocabulary of each SQL engine: which type names a server of that engine accepts, so
//! that a misspelt type (`VARCHR(100)`) is found before it reaches one.

use crate::types::sql_type_base;

/// A SQL engine a document may be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SqlDialect {
    Postgres,
    /// MySQL 8 and MariaDB 10.11 and later.
    Mysql,
    Sqlite,
    /// SQL Server (T-SQL).
    Mssql,
}

impl SqlDialect {
    /// The engine's name in messages.
    pub fn label(self) -> &'static str {
        match self {
            SqlDialect::Postgres => "PostgreSQL",
            SqlDialect::Mysql => "MySQL/MariaDB",
            SqlDialect::Sqlite => "SQLite",
            SqlDialect::Mssql => "SQL Server",
        }
    }

    /// The type names the engine accepts, lower case and without arguments. SQLite accepts any
    /// name; these are the ones documents use for it.
    pub fn type_names(self) -> &'static [&'static str] {
        match self {
            SqlDialect::Postgres => POSTGRES,
            SqlDialect::Mysql => MYSQL,
            SqlDialect::Sqlite => SQLITE,
            SqlDialect::Mssql => MSSQL,
        }
    }

    /// Whether the engine knows the type spelled `spelling` (`VARCHAR(255)`, `int unsigned`,
    /// `timestamp(3) with time zone`, `TEXT[]`). SQLite knows every name.
    pub fn knows_type(self, spelling: &str) -> bool {
        self == SqlDialect::Sqlite || self.type_names().contains(&type_key(spelling).as_str())
    }
}

/// The name a type spelling is looked up under: [`sql_type_base`] without a `pg_catalog.`/`public.`
/// prefix, and `interval` without its fields (`interval day to second`).
pub fn type_key(spelling: &str) -> String {
    let base = sql_type_base(spelling);
    let base = base.strip_prefix("pg_catalog.").or_else(|| base.strip_prefix("public.")).unwrap_or(&base);
    if base.starts_with("interval ") {
        return "interval".to_string();
    }
    base.to_string()
}

/// The known type name `word` (a type key, see [`type_key`]) most likely misspells, among
/// `names`: one edit away (two for names of seven letters or more). Only single words of five
/// letters or more are judged, and never a name with a letter or two added (`uint`, `timestamps`)
/// or cut short by more than one (`integ`): those are other words, not typos.
pub fn misspelt_type<'a>(word: &str, names: &[&'a str]) -> Option<&'a str> {
    let len = word.chars().count();
    if len < 5 || !word.chars().all(|c| c.is_ascii_lowercase()) || names.contains(&word) {
        return None;
    }
    let limit = if len >= 7 { 2 } else { 1 };
    let plain = |name: &&&str| name.chars().all(|c| c.is_ascii_lowercase());
    let other_word = |name: &&str| {
        let grown = word.len() > name.len() && word.len() <= name.len() + 2;
        grown && (word.starts_with(*name) || word.ends_with(*name))
            || name.contains(word) && name.len() > word.len() + 1
    };
    if names.iter().filter(plain).any(other_word) {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for &name in names.iter().filter(plain) {
        let d = crate::edit_distance(word, name);
        if d <= limit && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, name));
        }
    }
    best.map(|(_, name)| name)
}

// NOTE: extension types (vector, citext, hstore, ltree, PostGIS) count as known: a missing
// `CREATE EXTENSION` is the `missing-extension` rule's finding, not an unknown type.
const POSTGRES: &[&str] = &[
    "bigint",
    "int8",
    "bigserial",
    "serial8",
    "bit",
    "bit varying",
    "varbit",
    "boolean",
    "bool",
    "box",
    "bytea",
    "char",
    "character",
    "character varying",
    "varchar",
    "bpchar",
    "nchar",
    "national character",
    "national character varying",
    "national char",
    "cidr",
    "circle",
    "date",
    "double precision",
    "float8",
    "float",
    "float4",
    "real",
    "inet",
    "integer",
    "int",
    "int4",
    "int2",
    "smallint",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "numeric",
    "decimal",
    "dec",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "smallserial",
    "serial2",
    "serial",
    "serial4",
    "text",
    "time",
    "time with time zone",
    "time without time zone",
    "timetz",
    "timestamp",
    "timestamp with time zone",
    "timestamp without time zone",
    "timestamptz",
    "tsquery",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "xml",
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
    "oid",
    "regclass",
    "regproc",
    "regtype",
    "name",
    "record",
    "citext",
    "hstore",
    "ltree",
    "lquery",
    "ltxtquery",
    "cube",
    "earth",
    "isbn",
    "issn",
    "ean13",
    "seg",
    "vector",
    "halfvec",
    "sparsevec",
    "geometry",
    "geography",
    "box2d",
    "box3d",
    "raster",
    "geometry_dump",
];

const MYSQL: &[&str] = &[
    "tinyint",
    "smallint",
    "mediumint",
    "int",
    "integer",
    "bigint",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "middleint",
    "decimal",
    "dec",
    "numeric",
    "fixed",
    "float",
    "float4",
    "float8",
    "double",
    "double precision",
    "real",
    "bit",
    "bool",
    "boolean",
    "serial",
    "date",
    "datetime",
    "timestamp",
    "time",
    "year",
    "char",
    "character",
    "varchar",
    "character varying",
    "char varying",
    "nchar",
    "national char",
    "national character",
    "nvarchar",
    "national varchar",
    "nchar varchar",
    "long",
    "long varchar",
    "binary",
    "varbinary",
    "long varbinary",
    "tinyblob",
    "blob",
    "mediumblob",
    "longblob",
    "tinytext",
    "text",
    "mediumtext",
    "longtext",
    "enum",
    "set",
    "json",
    "geometry",
    "point",
    "linestring",
    "polygon",
    "multipoint",
    "multilinestring",
    "multipolygon",
    "geometrycollection",
    "geomcollection",
    "uuid",
    "inet4",
    "inet6",
    "vector",
];

const SQLITE: &[&str] = &[
    "integer",
    "int",
    "tinyint",
    "smallint",
    "mediumint",
    "bigint",
    "unsigned big int",
    "int2",
    "int8",
    "real",
    "double",
    "double precision",
    "float",
    "numeric",
    "decimal",
    "boolean",
    "bool",
    "date",
    "datetime",
    "timestamp",
    "time",
    "text",
    "character",
    "varchar",
    "varying character",
    "nchar",
    "native character",
    "nvarchar",
    "clob",
    "char",
    "blob",
    "json",
    "uuid",
    "any",
];

const MSSQL: &[&str] = &[
    "bigint",
    "int",
    "integer",
    "smallint",
    "tinyint",
    "bit",
    "decimal",
    "dec",
    "numeric",
    "money",
    "smallmoney",
    "float",
    "real",
    "double precision",
    "date",
    "datetime",
    "datetime2",
    "datetimeoffset",
    "smalldatetime",
    "time",
    "char",
    "character",
    "varchar",
    "character varying",
    "text",
    "nchar",
    "national character",
    "nvarchar",
    "national character varying",
    "ntext",
    "binary",
    "varbinary",
    "image",
    "uniqueidentifier",
    "xml",
    "sql_variant",
    "hierarchyid",
    "geometry",
    "geography",
    "rowversion",
    "timestamp",
    "sysname",
    "json",
    "vector",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_engine_knows_its_own_types() {
        assert!(SqlDialect::Postgres.knows_type("TIMESTAMP(3) WITH TIME ZONE"));
        assert!(SqlDialect::Postgres.knows_type("interval day to second"));
        assert!(SqlDialect::Postgres.knows_type("pg_catalog.int4"));
        assert!(!SqlDialect::Postgres.knows_type("DATETIME"));
        assert!(SqlDialect::Mysql.knows_type("int(10) unsigned"));
        assert!(!SqlDialect::Mysql.knows_type("jsonb"));
        assert!(SqlDialect::Mssql.knows_type("NVARCHAR(MAX)"));
        assert!(SqlDialect::Sqlite.knows_type("anything at all"));
    }

    #[test]
    fn typos_are_one_or_two_edits_from_a_name_and_never_a_word_of_their_own() {
        let pg = SqlDialect::Postgres.type_names();
        assert_eq!(misspelt_type("varchr", pg), Some("varchar"));
        assert_eq!(misspelt_type("intger", pg), Some("integer"));
        assert_eq!(misspelt_type("timestmap", pg), Some("timestamp"));
        assert_eq!(misspelt_type("booelan", pg), Some("boolean"));
        assert_eq!(misspelt_type("varcha", pg), Some("varchar"));
        for other in [
            "uint",
            "timestamps",
            "int64",
            "integ",
            "email",
            "address",
            "mood",
            "varchar",
            "uuidv4",
            "xyz",
            "file",
            "data",
            "long text",
            "state",
            "phone",
            "status",
        ] {
            assert_eq!(misspelt_type(other, pg), None, "{other}");
        }
    }
}
