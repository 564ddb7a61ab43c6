//! Everything engine-specific: for SQLite, PostgreSQL and MySQL/MariaDB, how the canonical
//! [`model::Schema`] is spelled as SQL (type mapping, defaults, quoting, creation order), and what an
//! engine cannot carry.
//!
//! Engines differ only through the object-safe [`Engine`] trait; [`engine`] gives the one for an
//! [`EngineKind`]. Each engine lives in its own folder (`sqlite/`, `postgres/`, `mysql/`) with the
//! same file set; code shared by all of them lives in this crate's root modules.

pub mod backup;
mod common;
mod conversion;
pub mod data;
pub mod exclude;
mod foreign;
pub mod guard;
mod migrate;
mod mysql;
mod postgres;
pub mod server_forms;
mod session;
mod sqlite;
pub mod testing;

pub use data::{connect_data, connect_reader, Cell, DataSession, RowTarget};
pub use foreign::foreign_types;
pub use migrate::{Hazard, HazardKind, Plan, PlanOptions, PlannedStatement, Translated};
pub use session::{
    connect, engine_of_url, human, parse_duration, redact, ApplyError, ApplyReport, ConnectOptions, DbError,
    InspectFilter, Session, Timeouts,
};

use diff::{ChangeSet, DiffHooks, Renames};
use model::{DataType, DefaultValue, Origin, Schema};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A database engine schemadoc can speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EngineKind {
    /// SQLite 3.35 or later.
    Sqlite,
    /// PostgreSQL 15.
    Postgres,
    /// MySQL 8 and MariaDB 10.11: SQL emitted for this kind runs on both.
    Mysql,
}

impl EngineKind {
    /// Every engine, in a stable order.
    pub const ALL: [EngineKind; 3] = [EngineKind::Sqlite, EngineKind::Postgres, EngineKind::Mysql];

    /// Parse a user-facing name: `sqlite`/`sqlite3`, `postgres`/`postgresql`/`pg`/`psql`,
    /// `mysql`/`mariadb` (case-insensitive).
    pub fn parse(s: &str) -> Option<EngineKind> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "sqlite" | "sqlite3" => EngineKind::Sqlite,
            "postgres" | "postgresql" | "pg" | "psql" => EngineKind::Postgres,
            "mysql" | "mariadb" => EngineKind::Mysql,
            _ => return None,
        })
    }

    /// The canonical lower-case name (`sqlite`, `postgres`, `mysql`).
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Sqlite => "sqlite",
            EngineKind::Postgres => "postgres",
            EngineKind::Mysql => "mysql",
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of the engines schemadoc knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown database engine `{0}` (expected sqlite, postgres or mysql)")]
pub struct UnknownEngine(pub String);

impl FromStr for EngineKind {
    type Err = UnknownEngine;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EngineKind::parse(s).ok_or_else(|| UnknownEngine(s.to_string()))
    }
}

/// An engine's SQL spelling of something portable, with a note when the mapping loses meaning
/// (`text[]` becoming a SQLite `TEXT` that holds JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    pub sql: String,
    pub note: Option<String>,
}

impl Mapped {
    /// A faithful mapping.
    pub fn exact(sql: impl Into<String>) -> Self {
        Mapped { sql: sql.into(), note: None }
    }

    /// A mapping that loses something, said in `note`.
    pub fn lossy(sql: impl Into<String>, note: impl Into<String>) -> Self {
        Mapped { sql: sql.into(), note: Some(note.into()) }
    }
}

/// One SQL statement, without a trailing semicolon, and the object it creates or changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub sql: String,
    /// What the statement does, naming the object (`create table users`,
    /// `add foreign key personas.template_id → prompt_templates`).
    pub reason: String,
}

/// Something of the schema an engine cannot carry, left out of the SQL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The object left out (`index idx_chat_embedding on chat_messages`, `default of users.id`).
    pub object: String,
    pub reason: String,
    pub origin: Origin,
}

/// Something carried with a loss of meaning (a type or default spelled differently).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The object concerned (`column users.tags`).
    pub object: String,
    pub note: String,
    pub origin: Origin,
}

/// A schema translated for one engine: statements in creation order, what was left out, and what
/// was carried with a loss.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Translation {
    pub statements: Vec<Statement>,
    pub skipped: Vec<Skipped>,
    pub notes: Vec<Note>,
}

/// A database engine: everything that differs between SQLite, PostgreSQL and MySQL goes through
/// this trait.
pub trait Engine: Send + Sync {
    /// Which engine this is.
    fn kind(&self) -> EngineKind;

    /// An identifier, always quoted with the engine's quote character (quotes inside doubled).
    fn quote_ident(&self, name: &str) -> String;

    /// A string literal, escaped for the engine's default settings.
    fn quote_string(&self, value: &str) -> String;

    /// The engine's type for a portable type, out of context (MySQL cannot tell here whether a
    /// text column is part of a key, nor an enum's values: [`Engine::create_schema`] can).
    fn column_type(&self, ty: &DataType) -> Mapped;

    /// The `DEFAULT` expression for `value` on a column of type `ty`, or why the engine cannot
    /// carry it.
    fn default_sql(&self, ty: &DataType, value: &DefaultValue) -> Result<Mapped, String>;

    /// The statements that create `schema` on an empty database, in an order the engine accepts:
    /// the plan from an empty database to the schema as the engine holds it, so that there is one
    /// way to write DDL.
    fn create_schema(&self, schema: &Schema) -> Translation {
        let target = self.translate(schema);
        let empty = Schema::default();
        let changes = diff::diff(&empty, &target.schema, self.hooks(), &Renames::default());
        let plan = self.plan(&changes, &empty, &target.schema, &PlanOptions::default());
        Translation {
            statements: plan.statements.into_iter().map(|s| Statement { sql: s.sql, reason: s.reason }).collect(),
            skipped: target.skipped.into_iter().chain(plan.skipped).collect(),
            notes: target.notes,
        }
    }

    /// The document's schema as this engine holds it: what it cannot carry removed (in `skipped`),
    /// names, types and defaults as the engine keeps them, so that it compares with what
    /// [`Session::inspect`] reads back after applying it.
    fn translate(&self, schema: &Schema) -> Translated;

    /// How this engine tells equal spellings apart (`int4` and `integer`, a CHECK the server
    /// rewrote), for [`diff::diff`].
    fn hooks(&self) -> &dyn DiffHooks;

    /// The statements that carry out `changes` (computed from `from` to `to`, both as this engine
    /// holds them), in an order the engine accepts, each with its reason and hazards.
    fn plan(&self, changes: &ChangeSet, from: &Schema, to: &Schema, options: &PlanOptions) -> Plan;
}

/// Everything needed to bring a live database (`live`, as inspected) to a document's schema on
/// `engine`: the document as the engine holds it, the changes, and the plan.
pub fn plan_migration(
    engine: &dyn Engine,
    live: &Schema,
    document: &Schema,
    renames: &Renames,
    options: &PlanOptions,
) -> (Translated, ChangeSet, Plan) {
    let target = engine.translate(document);
    let compared = compare(engine, live, &target.schema, renames, options);
    plan_translated(engine, document, target, compared, options)
}

/// [`plan_migration`] comparing like with like: the document's defaults, CHECKs and views are
/// first built by the server in a scratch place ([`Session::server_forms`]) and compared in the
/// forms the server keeps. The last value says why that could not be done, when it could not
/// (the spellings are then compared by schemadoc's own rules).
pub fn plan_migration_on(
    session: &mut dyn Session,
    live: &Schema,
    document: &Schema,
    renames: &Renames,
    options: &PlanOptions,
) -> (Translated, ChangeSet, Plan, Option<String>) {
    let engine = engine(session.kind());
    let mut target = engine.translate(document);
    // Only what the spelling rules find different is built by the server: an up-to-date
    // database costs nothing more, and a large schema is never built whole.
    let mut compared = compare(engine, live, &target.schema, renames, options);
    let mut not_built = None;
    let mut adopted = false;
    for part in server_forms::in_question(&target.schema, &compared.changes).unwrap_or_default() {
        match session.server_forms(&creation_statements(engine, &part)) {
            Ok(server) => {
                server_forms::adopt(&mut target.schema, &server);
                adopted = true;
            }
            Err(why) => {
                not_built = Some(why);
                break;
            }
        }
    }
    // The server's forms may settle some of the differences: compare again with them.
    if adopted {
        compared = compare(engine, live, &target.schema, renames, options);
    }
    let (target, changes, plan) = plan_translated(engine, document, target, compared, options);
    (target, changes, plan, not_built)
}

/// The statements that create `target` (a schema as `engine` holds it) on an empty database.
pub fn creation_statements(engine: &dyn Engine, target: &Schema) -> Vec<String> {
    let empty = Schema::default();
    let changes = diff::diff(&empty, target, engine.hooks(), &Renames::default());
    engine.plan(&changes, &empty, target, &PlanOptions::default()).statements.into_iter().map(|s| s.sql).collect()
}

/// The live schema as it is compared, and its differences from a target.
struct Compared {
    /// The live schema without the indexes the server does not use.
    live: Schema,
    /// Those indexes.
    invalid: Vec<model::Index>,
    changes: ChangeSet,
}

/// `live` compared with `target`. An index the server does not use (an interrupted CREATE INDEX
/// CONCURRENTLY) is compared as missing: the plan drops it first and builds again what the
/// document has of it.
fn compare(engine: &dyn Engine, live: &Schema, target: &Schema, renames: &Renames, options: &PlanOptions) -> Compared {
    let (valid, invalid) = without_invalid_indexes(live, &options.invalid_indexes);
    let changes = diff::diff(&valid, target, engine.hooks(), renames);
    Compared { live: valid, invalid, changes }
}

fn plan_translated(
    engine: &dyn Engine,
    document: &Schema,
    target: Translated,
    compared: Compared,
    options: &PlanOptions,
) -> (Translated, ChangeSet, Plan) {
    let Compared { live, invalid, mut changes } = compared;
    let live = &live;
    // What the document defines but this engine cannot carry (a plpgsql trigger on MySQL, a GIN
    // index on SQLite) is skipped, not a reason to drop a live object of that name. A table the
    // document declares by name only is compared by existence: it is neither dropped nor altered.
    changes.changes.retain(|c| !defined_but_not_carried(c, document) && !on_declared_table(c, document));
    let dropped = invalid.len();
    changes.changes.splice(0..0, invalid.into_iter().map(|index| diff::Change::DropIndex { index }));
    let mut plan = engine.plan(&changes, live, &target.schema, options);
    uncount_new_columns(engine, &changes, &mut plan);
    for st in plan.statements.iter_mut().filter(|s| s.change < dropped) {
        st.reason = format!(
            "{} (invalid: left by an interrupted CREATE INDEX CONCURRENTLY; built again if the document has it)",
            st.reason
        );
    }
    plan.skipped.extend(target.skipped.iter().cloned());
    plan.notes.extend(target.notes.iter().cloned());
    (target, changes, plan)
}

/// Hazards are counted on the live database before anything runs, so a count that reads a column
/// the same plan adds would fail ("column does not exist"). Such a hazard is not counted, and says
/// why: the column will hold its default in every existing row.
fn uncount_new_columns(engine: &dyn Engine, changes: &ChangeSet, plan: &mut Plan) {
    let added: Vec<(String, String, &str)> = changes
        .changes
        .iter()
        .filter_map(|c| match c {
            diff::Change::AddColumn { table, column } => {
                let bare = model::split_qualified(table).1;
                Some((engine.quote_ident(bare), column.name.clone(), bare))
            }
            _ => None,
        })
        .collect();
    if added.is_empty() {
        return;
    }
    for statement in &mut plan.statements {
        for hazard in &mut statement.hazards {
            let Some(probe) = &hazard.probe else { continue };
            if let Some((_, column, table)) = added.iter().find(|(t, c, _)| probe.contains(t) && mentions(probe, c)) {
                hazard.probe = None;
                hazard.probe_label = None;
                hazard.message.push_str(&format!(
                    " (not counted: {table}.{column} is added by this plan and holds its default in every existing row)"
                ));
            }
        }
    }
}

/// Whether `sql` names `column` (quoted or not) as a whole word, in any case.
fn mentions(sql: &str, column: &str) -> bool {
    let (sql, column) = (sql.to_lowercase(), column.to_lowercase());
    let word = |c: char| c.is_alphanumeric() || c == '_';
    sql.match_indices(&column).any(|(i, _)| {
        !sql[..i].chars().next_back().is_some_and(word) && !sql[i + column.len()..].chars().next().is_some_and(word)
    })
}

/// `live` without the indexes named in `invalid`, and those indexes.
fn without_invalid_indexes(live: &Schema, invalid: &[String]) -> (Schema, Vec<model::Index>) {
    let mut valid = live.clone();
    let is_invalid = |i: &model::Index| i.name.as_deref().is_some_and(|n| invalid.iter().any(|x| model::name_eq(x, n)));
    let (out, kept): (Vec<model::Index>, Vec<model::Index>) = valid.indexes.drain(..).partition(is_invalid);
    valid.indexes = kept;
    (valid, out)
}

/// The tables `document` declares by name only that `live` lacks, as changes that would create
/// them: drift, though no plan can create a table whose columns are not stated.
pub fn missing_declared_tables(live: &Schema, document: &Schema) -> Vec<diff::Change> {
    document
        .tables
        .iter()
        .filter(|t| t.is_declared_only() && live.table(&t.qualified_name()).is_none())
        .map(|t| diff::Change::CreateTable { table: t.clone() })
        .collect()
}

/// `translate` applied to `schema` without the tables it declares by name only (their columns not
/// stated), with a skip for each: such a table is never created empty.
fn translate_stated(schema: &Schema, translate: fn(&Schema) -> Translated) -> Translated {
    let (stated, declared) = without_declared(schema);
    let mut target = translate(&stated);
    explain_declared(&mut target.skipped, schema);
    target.skipped.splice(0..0, declared);
    target
}

/// `schema` without the tables it declares by name only (their columns not stated), and a skip
/// for each.
fn without_declared(schema: &Schema) -> (Schema, Vec<Skipped>) {
    let mut stated = schema.clone();
    stated.tables.retain(|t| !t.is_declared_only());
    let skipped = schema
        .tables
        .iter()
        .filter(|t| t.is_declared_only())
        .map(|t| Skipped {
            object: format!("table {}", t.qualified_name()),
            reason: "its columns are not stated (declared by name only); it is not created".to_string(),
            origin: t.origin.clone(),
        })
        .collect();
    (stated, skipped)
}

/// Says why a foreign key to a table declared by name only was skipped: the table is known, its
/// columns are not.
fn explain_declared(skipped: &mut [Skipped], document: &Schema) {
    for s in skipped.iter_mut() {
        let Some(target) = s.reason.strip_prefix("table ").and_then(|r| r.strip_suffix(" is not defined")) else {
            continue;
        };
        if document.table(target).is_some_and(model::Table::is_declared_only) {
            s.reason = format!("the columns of table {target} are not stated, so it is not created");
        }
    }
}

/// Whether `change` alters a table the document declares by name only.
fn on_declared_table(change: &diff::Change, document: &Schema) -> bool {
    let declared = |name: &str| document.table(name).is_some_and(model::Table::is_declared_only);
    match change.table() {
        Some(name) => declared(name),
        None => false,
    }
}

/// Whether `change` drops an object that `document` defines (and translation therefore skipped).
fn defined_but_not_carried(change: &diff::Change, document: &Schema) -> bool {
    use diff::Change::*;
    use model::name_eq;
    match change {
        DropRoutine { routine } => {
            document.routines.iter().any(|r| r.kind == routine.kind && name_eq(&r.name, &routine.name))
        }
        DropView { view } => document.views.iter().any(|v| name_eq(&v.name, &view.name)),
        DropIndex { index } => index
            .name
            .as_deref()
            .is_some_and(|n| document.indexes.iter().any(|i| i.name.as_deref().is_some_and(|m| name_eq(m, n)))),
        DropTable { table } => document.table(&table.qualified_name()).is_some(),
        DropExtension { extension } => document.has_extension(&extension.name),
        _ => false,
    }
}

/// The engine of `kind`.
pub fn engine(kind: EngineKind) -> &'static dyn Engine {
    match kind {
        EngineKind::Sqlite => &sqlite::Sqlite,
        EngineKind::Postgres => &postgres::Postgres,
        EngineKind::Mysql => &mysql::Mysql,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_objects_the_engine_cannot_carry_are_not_dropped() {
        let origin = Origin::new("doc.md".into(), 1, 1, model::Notation::Sql);
        let trigger = model::Routine {
            kind: model::RoutineKind::Trigger,
            name: "touch_users".into(),
            sql: "CREATE TRIGGER touch_users BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();".into(),
            language: None,
            table: Some("users".into()),
            function: Some("touch".into()),
            tables: vec![],
            origin: origin.clone(),
        };
        let document = Schema { routines: vec![trigger.clone()], ..Schema::default() };
        let live = Schema {
            routines: vec![trigger.clone(), model::Routine { name: "stray".into(), ..trigger }],
            ..Schema::default()
        };
        let (_, changes, _) =
            plan_migration(engine(EngineKind::Mysql), &live, &document, &Renames::default(), &PlanOptions::default());
        let drops: Vec<String> = changes.changes.iter().map(|c| c.describe()).collect();
        assert_eq!(drops, ["drop trigger stray"], "the document's own trigger stays; a stray one goes");
    }

    #[test]
    fn engine_names_parse_case_insensitively() {
        assert_eq!(EngineKind::parse("SQLite3"), Some(EngineKind::Sqlite));
        assert_eq!(EngineKind::parse("PostgreSQL"), Some(EngineKind::Postgres));
        assert_eq!(EngineKind::parse("pg"), Some(EngineKind::Postgres));
        assert_eq!(EngineKind::parse("psql"), Some(EngineKind::Postgres));
        assert_eq!(EngineKind::parse("MariaDB"), Some(EngineKind::Mysql));
        assert_eq!(EngineKind::parse("oracle"), None);
        assert_eq!("mysql".parse::<EngineKind>(), Ok(EngineKind::Mysql));
        assert_eq!(
            "db2".parse::<EngineKind>().map_err(|e| e.to_string()),
            Err("unknown database engine `db2` (expected sqlite, postgres or mysql)".to_string())
        );
    }

    #[test]
    fn each_kind_gives_its_engine() {
        for kind in EngineKind::ALL {
            assert_eq!(engine(kind).kind(), kind);
            assert_eq!(EngineKind::parse(&kind.to_string()), Some(kind));
        }
    }

    #[test]
    fn identifiers_are_quoted_with_the_engine_quote() {
        assert_eq!(engine(EngineKind::Postgres).quote_ident("user"), "\"user\"");
        assert_eq!(engine(EngineKind::Sqlite).quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(engine(EngineKind::Mysql).quote_ident("or`der"), "`or``der`");
    }

    #[test]
    fn strings_are_escaped_per_engine() {
        assert_eq!(engine(EngineKind::Postgres).quote_string("it's a\\b"), "'it''s a\\b'");
        assert_eq!(engine(EngineKind::Sqlite).quote_string("it's"), "'it''s'");
        // NOTE: MySQL treats backslash as an escape character in strings unless NO_BACKSLASH_ESCAPES is set.
        assert_eq!(engine(EngineKind::Mysql).quote_string("it's a\\b"), "'it''s a\\\\b'");
    }
}
