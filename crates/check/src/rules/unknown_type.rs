use crate::support::column_span;
use model::{
    declare_rule, misspelt_type, name_key, type_key, Column, Diagnostic, Notation, Schema, Severity, SqlDialect, Table,
    TypeKind, SQL_TYPE_NAMES,
};
use std::collections::BTreeSet;

declare_rule! {
    /// What it does: flags columns whose type no SQL engine knows and the document does not define.
    /// A misspelt type (`VARCHR(100)`, `intger`, `timestmap`) is an error with the name it most
    /// likely meant, among the types of the document's dialect (PostgreSQL, MySQL/MariaDB, SQLite,
    /// SQL Server). In a SQL block whose dialect is known, another name that is neither that
    /// engine's type nor defined by the document (`CREATE TYPE`, `CREATE DOMAIN`, an enum) is a
    /// warning. Types of the other notations (Prisma, Java, TypeScript, Python, Mongo) and extension
    /// types (`vector`, `geometry`, `citext`: see `missing-extension`) are never unknown.
    ///
    /// Why it matters: the server rejects the table (`type "varchr" does not exist`) only when the
    /// document is applied; SQLite accepts it silently and gives the column numeric affinity.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHR(100) NOT NULL);
    /// -- help: did you mean `VARCHAR(100)`?
    /// ```
    pub RULE = "unknown-type", Error
}

/// The rule without knowing the document's dialect: misspellings of any engine's types.
pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    run_in(schema, None, out);
}

/// The rule for a document written for `dialect`.
pub fn run_in(schema: &Schema, dialect: Option<SqlDialect>, out: &mut Vec<Diagnostic>) {
    let mut defined: BTreeSet<String> = schema.enums.iter().map(|e| name_key(&e.name)).collect();
    defined.extend(schema.types.iter().map(|t| name_key(&t.name)));
    // SQLite accepts any name: its typos are judged against every engine's names.
    let names: &[&str] = match dialect {
        Some(d) if d != SqlDialect::Sqlite => d.type_names(),
        _ => SQL_TYPE_NAMES,
    };
    for table in &schema.tables {
        for column in &table.columns {
            if let Some(d) = finding(table, column, dialect, names, &defined) {
                out.push(d);
            }
        }
    }
}

fn finding(
    table: &Table,
    column: &Column,
    dialect: Option<SqlDialect>,
    names: &[&str],
    defined: &BTreeSet<String>,
) -> Option<Diagnostic> {
    // Prisma, SQLAlchemy and inferred types are judged by their own readers.
    let notation = column.origin.notation;
    if !matches!(notation, Notation::Sql | Notation::FieldTable | Notation::List | Notation::Mermaid | Notation::Dbml) {
        return None;
    }
    let raw = other_type(&column.ty.kind)?.trim();
    let key = type_key(raw);
    let bare = key.rsplit('.').next().unwrap_or(&key);
    if key.is_empty() || defined.contains(&name_key(&key)) || defined.contains(&name_key(bare)) {
        return None;
    }
    // Another engine's type is the business of the engine the document is applied to; a known
    // type in another schema (Supabase's `extensions.vector`) is still that type.
    let known = |k: &str| names.contains(&k) || SQL_TYPE_NAMES.contains(&k);
    if known(&key) || known(bare) {
        return None;
    }
    let name = format!("`{}.{}`", table.qualified_name(), column.name);
    if let Some(meant) = misspelt_type(&key, names) {
        let fixed = respelt(raw, &key, meant);
        return Some(
            RULE.at(column_span(column), format!("column {name} has unknown type `{raw}`"))
                .with_help(format!("did you mean `{fixed}`?")),
        );
    }
    // NOTE: only SQL says which engine it is for; a name no engine knows there fails on the server.
    let engine = dialect.filter(|d| *d != SqlDialect::Sqlite && notation == Notation::Sql)?;
    // One name: several words are a type with options schemadoc does not model (`CHARACTER SET`).
    let plain = key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    plain.then(|| {
        Diagnostic::new(
            RULE.name,
            Severity::Warning,
            column_span(column),
            format!(
                "column {name} has type `{raw}`, which is not a {} type and which the document does not define",
                engine.label()
            ),
        )
        .with_help("define it (`CREATE TYPE`, `CREATE DOMAIN`, an enum), or correct its spelling")
    })
}

/// The spelling of an unmodelled type (`Other`, also as an array's item); empty and unstated
/// types have none.
fn other_type(kind: &TypeKind) -> Option<&str> {
    match kind {
        TypeKind::Other { raw } if !raw.trim().is_empty() => Some(raw),
        TypeKind::Array { of } => other_type(of),
        _ => None,
    }
}

/// `raw` with its misspelt name `key` replaced by `meant`, in the case the document writes types:
/// `VARCHR(100)` → `VARCHAR(100)`.
fn respelt(raw: &str, key: &str, meant: &str) -> String {
    let upper = raw.chars().find(|c| c.is_alphabetic()).is_some_and(|c| c.is_uppercase());
    let meant = if upper { meant.to_uppercase() } else { meant.to_string() };
    let lower = raw.to_ascii_lowercase();
    match lower.find(key) {
        Some(at) if key.is_ascii() => format!("{}{meant}{}", &raw[..at], &raw[at + key.len()..]),
        _ => meant,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::{DataType, Enum, Origin, TypeDef};

    fn other(raw: &str) -> DataType {
        DataType::new(TypeKind::Other { raw: raw.into() }, raw)
    }

    fn of(types: &[&str]) -> Schema {
        let mut t = table("items", 1);
        for (i, ty) in types.iter().enumerate() {
            t = t.col(&format!("c{i}"), other(ty), i as u32 + 2);
        }
        schema(vec![t])
    }

    fn run_for(s: &Schema, dialect: Option<SqlDialect>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        run_in(s, dialect, &mut out);
        out
    }

    #[test]
    fn a_misspelt_type_is_an_error_with_the_name_it_meant() {
        let d = findings(super::run, &of(&["VARCHR(100)", "intger", "TIMESTMAP(3)"]));
        assert_eq!(d.len(), 3, "{d:#?}");
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("unknown-type", Severity::Error, 2));
        assert_eq!(d[0].message, "column `items.c0` has unknown type `VARCHR(100)`");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `VARCHAR(100)`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `integer`?"));
        assert_eq!(d[2].help.as_deref(), Some("did you mean `TIMESTAMP(3)`?"));
    }

    #[test]
    fn known_defined_and_foreign_words_are_never_unknown() {
        let mut s = of(&[
            "mood",
            "email",
            "uint",
            "int64",
            "timestamps",
            "geometry(Point,4326)",
            "VECTOR(3)",
            "citext",
            "ObjectId",
            "datetime",
            "NVARCHAR(MAX)",
            "public.mood",
            "Strng2",
            "사용자",
            "",
        ]);
        s.enums.push(Enum { name: "mood".into(), values: vec!["a".into()], origin: at(0) });
        s.types.push(TypeDef { name: "email".into(), origin: at(0) });
        for dialect in [None, Some(SqlDialect::Postgres), Some(SqlDialect::Sqlite)] {
            let d = run_for(&s, dialect);
            let errors: Vec<_> = d.iter().filter(|d| d.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{dialect:?}: {errors:#?}");
        }
        // without a stated dialect, a name that is no typo is not judged at all
        assert!(run_for(&s, None).is_empty());
    }

    #[test]
    fn an_undefined_name_in_sql_of_a_known_engine_is_a_warning() {
        let s = of(&["address_kind", "extensions.vector", "varchar(9) character set utf8mb4"]);
        let d = run_for(&s, Some(SqlDialect::Postgres));
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("not a PostgreSQL type"), "{}", d[0].message);
        assert!(run_for(&s, Some(SqlDialect::Sqlite)).is_empty());
        assert!(run_for(&s, None).is_empty());
    }

    #[test]
    fn typos_are_judged_against_the_dialect_and_only_in_table_notations() {
        // `datetim` is one edit from MySQL's `datetime`, which PostgreSQL does not have.
        let s = of(&["datetim"]);
        assert_eq!(run_for(&s, Some(SqlDialect::Mysql))[0].help.as_deref(), Some("did you mean `datetime`?"));
        let mut prisma = of(&["VARCHR(10)"]);
        prisma.tables[0].columns[0].origin = Origin::new(FILE.into(), 2, 1, Notation::Prisma);
        assert!(run_for(&prisma, None).is_empty());
        let mut table_cell = of(&["VARCHR(10)"]);
        table_cell.tables[0].columns[0].origin = Origin::new(FILE.into(), 2, 1, Notation::FieldTable);
        assert_eq!(run_for(&table_cell, None).len(), 1);
    }
}
