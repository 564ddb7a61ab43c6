//! How Prisma Migrate maps Prisma types to database types, per datasource provider.

use super::syntax::{Arg, ExprKind};
use model::{Identity, TypeKind};

/// The database a Prisma `datasource` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Provider {
    Postgres,
    Cockroach,
    Mysql,
    Sqlite,
    SqlServer,
    Mongo,
}

impl Provider {
    /// Reads a `provider = "…"` value.
    pub fn parse(s: &str) -> Option<Provider> {
        Some(match s.to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => Provider::Postgres,
            "cockroachdb" => Provider::Cockroach,
            "mysql" => Provider::Mysql,
            "sqlite" => Provider::Sqlite,
            "sqlserver" => Provider::SqlServer,
            "mongodb" => Provider::Mongo,
            _ => return None,
        })
    }

    /// How `@default(autoincrement())` generates values.
    pub fn autoincrement(self) -> Identity {
        match self {
            // NOTE: Prisma Migrate emits SERIAL / BIGSERIAL on PostgreSQL and CockroachDB.
            Provider::Postgres | Provider::Cockroach => Identity::Serial,
            _ => Identity::AutoIncrement,
        }
    }
}

const SCALARS: &[&str] = &["String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"];

pub fn is_scalar(name: &str) -> bool {
    SCALARS.contains(&name)
}

/// The column type Prisma Migrate creates for a scalar without a `@db.` native type.
pub fn scalar_kind(provider: Provider, name: &str) -> TypeKind {
    use Provider::*;
    use TypeKind as K;
    match (name, provider) {
        ("String", Mysql) => K::Varchar { len: Some(191) },
        ("String", SqlServer) => K::Varchar { len: Some(1000) },
        ("String", _) => K::Text,
        ("Boolean", _) => K::Bool,
        ("Int", _) => K::Int { bytes: 4 },
        ("BigInt", _) => K::Int { bytes: 8 },
        ("Float", _) => K::Float { bytes: 8 },
        ("Decimal", Sqlite) => K::Decimal { precision: None, scale: None },
        ("Decimal", SqlServer) => K::Decimal { precision: Some(32), scale: Some(16) },
        ("Decimal", _) => K::Decimal { precision: Some(65), scale: Some(30) },
        ("DateTime", Postgres | Cockroach | Mysql) => K::Timestamp { tz: false, precision: Some(3) },
        ("DateTime", _) => K::Timestamp { tz: false, precision: None },
        ("Json", Postgres | Cockroach) => K::Jsonb,
        ("Json", Mysql) => K::Json,
        // NOTE: SQLite and SQL Server keep Json as text.
        ("Json", _) => K::Text,
        ("Bytes", _) => K::Bytes,
        (other, _) => K::Other { raw: other.to_string() },
    }
}

/// The column type of a native type attribute `@db.<name>(<args>)`.
pub fn native_kind(name: &str, args: &[Arg]) -> TypeKind {
    let lower = name.to_ascii_lowercase();
    let sql = match lower.as_str() {
        "doubleprecision" => "double precision".to_string(),
        "datetime2" | "smalldatetime" => "timestamp".to_string(),
        "datetimeoffset" => "timestamptz".to_string(),
        "image" => "blob".to_string(),
        "varbit" => "bit varying".to_string(),
        l => match l.strip_prefix("unsigned") {
            Some(base) => format!("{base} unsigned"),
            None => l.to_string(),
        },
    };
    let parts: Vec<String> = args
        .iter()
        .map(|a| match &a.value.kind {
            ExprKind::Num(n) => n.clone(),
            _ => a.value.text.to_ascii_lowercase(),
        })
        .collect();
    let spelled = if parts.is_empty() { sql } else { format!("{sql}({})", parts.join(",")) };
    crate::types::parse_sql_type(&spelled).kind
}

/// The operator class an index `ops:` value names (`JsonbPathOps` → `jsonb_path_ops`).
pub fn ops_name(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether an unknown attribute name looks like a native type written without `@db.`.
pub fn looks_native(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "varchar"
            | "text"
            | "char"
            | "uuid"
            | "timestamptz"
            | "timestamp"
            | "decimal"
            | "smallint"
            | "bigint"
            | "jsonb"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_per_provider() {
        assert_eq!(scalar_kind(Provider::Postgres, "String"), TypeKind::Text);
        assert_eq!(scalar_kind(Provider::Mysql, "String"), TypeKind::Varchar { len: Some(191) });
        assert_eq!(scalar_kind(Provider::Postgres, "DateTime"), TypeKind::Timestamp { tz: false, precision: Some(3) });
        assert_eq!(scalar_kind(Provider::Sqlite, "DateTime"), TypeKind::Timestamp { tz: false, precision: None });
        assert_eq!(scalar_kind(Provider::Postgres, "Json"), TypeKind::Jsonb);
        assert_eq!(scalar_kind(Provider::Sqlite, "Json"), TypeKind::Text);
        assert_eq!(
            scalar_kind(Provider::Postgres, "Decimal"),
            TypeKind::Decimal { precision: Some(65), scale: Some(30) }
        );
    }

    #[test]
    fn native_types() {
        assert_eq!(native_kind("DoublePrecision", &[]), TypeKind::Float { bytes: 8 });
        assert_eq!(native_kind("UnsignedInt", &[]), TypeKind::Int { bytes: 4 });
        assert_eq!(native_kind("JsonB", &[]), TypeKind::Jsonb);
        assert_eq!(native_kind("Uuid", &[]), TypeKind::Uuid);
        assert_eq!(native_kind("ByteA", &[]), TypeKind::Bytes);
        assert_eq!(ops_name("JsonbPathOps"), "jsonb_path_ops");
    }
}
