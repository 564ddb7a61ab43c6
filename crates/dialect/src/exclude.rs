//! Tables that belong to someone else: the bookkeeping of migration tools (`alembic_version`,
//! `_prisma_migrations`, …) and whatever `--exclude` or the configuration names. Unless the
//! document defines them, they are left alone: never dropped, altered or reported as drift.

use model::{glob, name_eq, Schema};

/// The tables migration tools keep their history in, under their default names. Generic names
/// some tools use (`migrations`) are not here: they may be a user's own table; `--exclude` names them.
pub const BOOKKEEPING_TABLES: &[&str] = &[
    "alembic_version",                // Alembic
    "_prisma_migrations",             // Prisma Migrate
    "schema_migrations",              // Rails, golang-migrate, dbmate, Ecto
    "ar_internal_metadata",           // Rails
    "django_migrations",              // Django
    "flyway_schema_history",          // Flyway
    "databasechangelog",              // Liquibase
    "databasechangeloglock",          // Liquibase
    "knex_migrations",                // Knex
    "knex_migrations_lock",           // Knex
    "SequelizeMeta",                  // Sequelize
    "__EFMigrationsHistory",          // Entity Framework Core
    "goose_db_version",               // goose
    "atlas_schema_revisions",         // Atlas
    "_sqlx_migrations",               // sqlx
    "__diesel_schema_migrations",     // Diesel
    "seaql_migrations",               // SeaORM
    "pgmigrations",                   // node-pg-migrate
    "__drizzle_migrations",           // Drizzle
    "phinxlog",                       // Phinx
    "mikro_orm_migrations",           // MikroORM
    "doctrine_migration_versions",    // Doctrine
    crate::data::PROGRESS_TABLE,      // schemadoc load, while a MySQL load is interrupted
    crate::data::COPY_PROGRESS_TABLE, // schemadoc copy, while a copy is unfinished
];

/// Which live tables are someone else's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusions {
    /// Name patterns (`*` any run, `?` one character; case-insensitive), matched against a table's
    /// name and its schema-qualified name.
    patterns: Vec<String>,
}

impl Exclusions {
    /// The migration tools' tables and `patterns`.
    pub fn new(patterns: &[String]) -> Self {
        let mut all: Vec<String> = BOOKKEEPING_TABLES.iter().map(|s| s.to_string()).collect();
        all.extend(patterns.iter().cloned());
        Exclusions { patterns: all }
    }

    /// Only `patterns`, without the migration tools' tables.
    pub fn only(patterns: &[String]) -> Self {
        Exclusions { patterns: patterns.to_vec() }
    }

    /// Whether a table called `name` (in `namespace`, if any) is someone else's.
    pub fn matches(&self, namespace: Option<&str>, name: &str) -> bool {
        let qualified = namespace.map(|ns| format!("{ns}.{name}"));
        self.patterns.iter().any(|p| glob(p, name) || qualified.as_deref().is_some_and(|q| glob(p, q)))
    }
}

impl Default for Exclusions {
    fn default() -> Self {
        Exclusions::new(&[])
    }
}

/// Removes from `live` the tables that are someone else's and that `document` does not define,
/// with their indexes, views over nothing else and triggers; returns their qualified names, sorted.
/// A table the document defines is managed whatever its name.
pub fn leave_alone(live: &mut Schema, document: &Schema, exclusions: &Exclusions) -> Vec<String> {
    let mut left: Vec<String> = Vec::new();
    live.tables.retain(|t| {
        let theirs =
            exclusions.matches(t.namespace.as_deref(), &t.name) && document.table(&t.qualified_name()).is_none();
        if theirs {
            left.push(t.qualified_name());
        }
        !theirs
    });
    if left.is_empty() {
        return left;
    }
    let gone = |table: &str| left.iter().any(|l| model::reference_eq(l, table));
    live.indexes.retain(|i| !gone(&i.table));
    live.routines.retain(|r| !r.table.as_deref().is_some_and(gone));
    live.views.retain(|v| {
        let defined = document.views.iter().any(|d| name_eq(&d.name, &v.name));
        defined || !exclusions.matches(None, &v.name)
    });
    left.sort();
    left
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(sql: &str) -> Schema {
        let files = [extract::SourceFile { name: "doc.md".into(), text: format!("```sql\n{sql}\n```\n") }];
        extract::extract(&files, &extract::Options::default()).schema
    }

    #[test]
    fn migration_tools_tables_are_left_alone_unless_the_document_defines_them() {
        let mut live = schema(
            "CREATE TABLE users (id int PRIMARY KEY);\n\
             CREATE TABLE alembic_version (version_num varchar(32) NOT NULL);\n\
             CREATE INDEX alembic_version_num ON alembic_version (version_num);\n\
             CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY);\n\
             CREATE TABLE \"SequelizeMeta\" (name varchar(255) PRIMARY KEY);",
        );
        let document = schema(
            "CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY);",
        );
        let left = leave_alone(&mut live, &document, &Exclusions::default());
        assert_eq!(left, ["SequelizeMeta", "alembic_version"]);
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["users", "_prisma_migrations"]);
        assert!(live.indexes.is_empty(), "an excluded table's indexes go with it");
    }

    #[test]
    fn patterns_match_names_and_qualified_names_case_insensitively() {
        let ex = Exclusions::only(&["legacy_*".into(), "audit.*".into()]);
        assert!(ex.matches(None, "LEGACY_orders"));
        assert!(ex.matches(Some("audit"), "events"));
        assert!(!ex.matches(Some("public"), "events"));
        assert!(!ex.matches(None, "alembic_version"), "`only` leaves out the migration tools' tables");
        assert!(Exclusions::default().matches(None, "alembic_version"));
        assert!(!Exclusions::default().matches(None, "migrations"), "a generic name may be the user's own");
    }
}
