//! The document as PostgreSQL holds it ([`translate`]) and the statements that carry out a change
//! set ([`plan`]). Creating a whole schema is the plan from an empty database
//! ([`crate::Engine::create_schema`]), so there is one way to write DDL.

use super::normalize::{view_fingerprint, VIEW_COMMENT_PREFIX};
use super::types::{default_sql, map_type, parse_default, parse_type};
use crate::common::{
    check_uses, created_tables, find_foreign, fk_label, index_uses, is_postgres_routine, prepare, quote_with, requote,
    routine_key, shorten, string_literal, strip_terminator, view_body, view_order, views_using, Order, Out, Prepared,
    FOREIGN_TO_POSTGRES,
};
use crate::conversion::{self, inexact_in_float, Effect};
use crate::migrate::{Hazard, HazardKind, Plan, PlanOptions, PlannedStatement, Translated};
use diff::{Change, ChangeSet, ColumnChanges};
use model::{
    dependency_order, name_eq, name_key, Check, Column, DefaultValue, Enum, ForeignKey, Identity, Index, Routine,
    RoutineKind, Schema, Table, TypeKind, Unique, View,
};
use std::collections::BTreeSet;

pub(super) fn q(name: &str) -> String {
    quote_with(name, '"')
}

fn lit(value: &str) -> String {
    string_literal(value, false)
}

/// A table's name, qualified with its namespace when it has one.
fn qualified(table: &Table) -> String {
    match &table.namespace {
        Some(ns) => format!("{}.{}", q(ns), q(&table.name)),
        None => q(&table.name),
    }
}

/// `expr` with backtick-quoted names (MySQL, SQLite) quoted the PostgreSQL way; as written when
/// a quote is left open.
fn pg_expr(expr: &str) -> String {
    requote(expr, '`', '"', &|_| true).unwrap_or_else(|| expr.to_string())
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
}

fn uses_vector(kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Vector { .. } => true,
        TypeKind::Array { of } => uses_vector(of),
        _ => false,
    }
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether two column types can be compared by a foreign key.
fn compatible(a: &TypeKind, b: &TypeKind) -> bool {
    match (a, b) {
        (TypeKind::Enum { name: x }, TypeKind::Enum { name: y }) => name_key(x) == name_key(y),
        (TypeKind::Array { of: x }, TypeKind::Array { of: y }) => compatible(x, y),
        // An unrecognised type may well match: do not block on it.
        (TypeKind::Other { .. }, _) | (_, TypeKind::Other { .. }) => true,
        _ => a.family() == b.family(),
    }
}

/// Why PostgreSQL would reject the foreign key for its column types, if it would.
fn type_mismatch(table: &Table, fk: &ForeignKey, target: &Table) -> Option<String> {
    fk.columns.iter().zip(&fk.ref_columns).find_map(|(c, r)| {
        let (col, rcol) = (table.column(c)?, target.column(r)?);
        (!compatible(&col.ty.kind, &rcol.ty.kind)).then(|| {
            format!(
                "{}.{} is {} but {}.{} is {}: PostgreSQL rejects a foreign key between incompatible types",
                table.name,
                col.name,
                map_type(&col.ty.kind).sql,
                target.name,
                rcol.name,
                map_type(&rcol.ty.kind).sql
            )
        })
    })
}

// ---------------------------------------------------------------------------------------------
// Translation

/// The document's schema as PostgreSQL holds it: cleaned by [`prepare`], types and defaults spelled
/// as the server reads them back, and whatever PostgreSQL cannot carry removed with a reason.
pub(super) fn translate(schema: &Schema) -> Translated {
    let Prepared { schema: mut s, mut out } = prepare(schema);
    crate::common::skip_sqlite_table_options(&mut s, "PostgreSQL", &mut out);
    crate::common::skip_mysql_charsets(&mut s, "PostgreSQL", &mut out);
    for e in &mut s.extensions {
        e.name = e.name.trim().trim_matches('"').to_string();
    }
    if let Some(col) = s.tables.iter().flat_map(|t| &t.columns).find(|c| uses_vector(&c.ty.kind)) {
        if !s.has_extension("vector") {
            let origin = col.origin.clone();
            out.note(
                "extension vector",
                "added: vector columns need the pgvector extension, which the schema does not create",
                &origin,
            );
            s.extensions.push(model::Extension { name: "vector".into(), origin });
        }
    }
    let enums: Vec<String> = s.enums.iter().map(|e| name_key(&e.name)).collect();
    let is_enum = |n: &str| enums.contains(&name_key(n));

    let order = Order::new(&s);
    let snapshot = s.clone();
    for &i in &order.tables {
        let table = &mut s.tables[i];
        if table.namespace.as_deref().is_some_and(|n| n.eq_ignore_ascii_case("public")) {
            table.namespace = None;
        }
        let pk: Vec<String> = table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
        let name = table.name.clone();
        for col in &mut table.columns {
            translate_column(&name, col, pk.contains(&name_key(&col.name)), &is_enum, &mut out);
        }
        let checks = std::mem::take(&mut table.checks);
        for mut c in checks {
            let expr = pg_expr(&c.expr);
            if let Some(found) = find_foreign(&expr, FOREIGN_TO_POSTGRES) {
                out.skip(
                    format!("check {} on {}", c.name.as_deref().unwrap_or(&c.expr), table.name),
                    format!("uses `{}`, which PostgreSQL does not have", found.trim()),
                    &c.origin,
                );
                continue;
            }
            c.expr = expr.trim().to_string();
            table.checks.push(c);
        }
        let fks = std::mem::take(&mut table.foreign_keys);
        for fk in fks {
            let Some(target) = snapshot.table(&fk.ref_table) else { continue };
            let source = snapshot.table(&table.qualified_name()).unwrap_or(table);
            if let Some(reason) = type_mismatch(source, &fk, target) {
                out.skip(format!("foreign key {}", fk_label(table, &fk)), reason, &fk.origin);
                continue;
            }
            table.foreign_keys.push(fk);
        }
    }

    let indexes = std::mem::take(&mut s.indexes);
    for index in indexes {
        if let Some(ix) = s.table(&index.table).and_then(|t| translate_index(t, index, &mut out)) {
            s.indexes.push(ix);
        }
    }

    let view_keys: BTreeSet<String> = s.views.iter().map(|v| name_key(&v.name)).collect();
    let mut views = Vec::new();
    for i in view_order(&s) {
        let view = &s.views[i];
        let object = format!("view {}", view.name);
        if let Some(missing) = view.tables.iter().find(|t| s.table(t).is_none() && !view_keys.contains(&name_key(t))) {
            out.skip(object, format!("reads {missing}, which is not defined"), &view.origin);
            continue;
        }
        let Some(body) = view_body(&view.sql).map(pg_expr) else {
            out.skip(object, "not a CREATE VIEW statement", &view.origin);
            continue;
        };
        if let Some(found) = find_foreign(&body, FOREIGN_TO_POSTGRES) {
            out.skip(object, format!("uses `{}`, which PostgreSQL does not have", found.trim()), &view.origin);
            continue;
        }
        let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
        views.push(View { sql: format!("CREATE {kind} {body}"), ..view.clone() });
    }
    s.views = views;

    let functions: BTreeSet<String> =
        s.routines.iter().filter(|r| r.kind != RoutineKind::Trigger).map(|r| routine_key(&r.name)).collect();
    let routines = std::mem::take(&mut s.routines);
    let (plain, triggers): (Vec<Routine>, Vec<Routine>) =
        routines.into_iter().partition(|r| r.kind != RoutineKind::Trigger);
    for r in plain.into_iter().chain(triggers) {
        let kind = match r.kind {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Trigger => "trigger",
        };
        let object = format!("{kind} {}", r.name);
        if !is_postgres_routine(&r.sql) {
            out.skip(object, "not written for PostgreSQL (no dollar-quoted body or EXECUTE FUNCTION)", &r.origin);
            continue;
        }
        if r.kind == RoutineKind::Trigger {
            if let Some(t) = r.table.as_deref().filter(|t| s.table(t).is_none()) {
                out.skip(object, format!("its table {t} is not defined"), &r.origin);
                continue;
            }
            if let Some(f) = r.function.as_deref().filter(|f| !functions.contains(&routine_key(f))) {
                out.skip(object, format!("its function {f} is not defined"), &r.origin);
                continue;
            }
        }
        let name = routine_key(&r.name);
        s.routines.push(Routine { name, sql: strip_terminator(&r.sql).to_string(), ..r });
    }
    // Connection settings (SQLite PRAGMAs) and data statements are not schema on PostgreSQL.
    s.settings.clear();
    Translated { schema: s, skipped: out.tr.skipped, notes: out.tr.notes }
}

fn translate_column(table: &str, col: &mut Column, in_pk: bool, is_enum: &dyn Fn(&str) -> bool, out: &mut Out) {
    let object = format!("column {table}.{}", col.name);
    let mapped = map_type(&col.ty.kind);
    if let Some(note) = &mapped.note {
        out.note(&object, note, &col.origin);
    }
    let original = col.ty.kind.clone();
    col.ty.kind = match &original {
        TypeKind::Enum { .. } => original.clone(),
        TypeKind::Array { of } if matches!(**of, TypeKind::Enum { .. }) => original.clone(),
        _ => parse_type(&mapped.sql, is_enum),
    };
    col.ty.spelling = mapped.sql.clone();
    let is_int = matches!(col.ty.kind, TypeKind::Int { .. });
    if col.identity.is_some() && !is_int {
        out.skip(
            format!("identity of {table}.{}", col.name),
            format!("PostgreSQL generates values only for integer columns, not {}", mapped.sql),
            &col.origin,
        );
        col.identity = None;
    }
    if col.identity == Some(Identity::AutoIncrement) {
        col.identity = Some(Identity::ByDefault);
    }
    if col.identity.is_some() || in_pk {
        col.nullable = false;
    }
    if let Some(default) = col.default.take() {
        if col.identity.is_some() {
            out.skip(
                format!("default of {table}.{}", col.name),
                "the column is generated (identity); PostgreSQL rejects a default on it",
                &col.origin,
            );
        } else {
            match default_sql(&original, &default) {
                Ok(m) => {
                    if let Some(note) = m.note {
                        out.note(format!("default of {table}.{}", col.name), note, &col.origin);
                    }
                    col.default = Some(parse_default(&m.sql));
                }
                Err(reason) => out.skip(format!("default of {table}.{}", col.name), reason, &col.origin),
            }
        }
    }
    if let Some(on_update) = col.on_update.take() {
        out.skip(
            format!("ON UPDATE {on_update} of {table}.{}", col.name),
            "PostgreSQL has no ON UPDATE clause for columns; a trigger is needed",
            &col.origin,
        );
    }
    col.client_default = None;
    if let Some(g) = &mut col.generated {
        if !g.stored {
            // NOTE: PostgreSQL before 18 has only STORED generated columns.
            out.note(
                format!("generated column {table}.{}", col.name),
                "PostgreSQL stores generated columns (no VIRTUAL): the column is STORED",
                &col.origin,
            );
            g.stored = true;
        }
        g.expr = pg_expr(g.expr.trim());
    }
}

/// The index as PostgreSQL can build it, or `None` (with the reason in `out`).
fn translate_index(table: &Table, mut index: Index, out: &mut Out) -> Option<Index> {
    let name = index.name.clone().unwrap_or_default();
    let object = format!("index {name} on {}", table.name);
    let method = index.method.as_deref().map(|m| m.trim().to_ascii_lowercase());
    if let Some(m) = &method {
        if !is_word(m) {
            out.skip(object, format!("`{m}` is not an access method name"), &index.origin);
            return None;
        }
        // NOTE: MySQL's index kinds are not PostgreSQL access methods.
        if m == "fulltext" {
            let why = "PostgreSQL has no FULLTEXT index; a GIN index on to_tsvector(…) searches text";
            out.skip(object, why, &index.origin);
            return None;
        }
        if m == "spatial" {
            out.skip(object, "PostgreSQL has no SPATIAL index; PostGIS indexes geometry with GiST", &index.origin);
            return None;
        }
        if m == "gin" {
            let scalar = index.parts.iter().find(|p| {
                p.opclass.is_none()
                    && p.column.as_deref().and_then(|c| table.column(c)).is_some_and(|c| {
                        !matches!(c.ty.kind, TypeKind::Array { .. } | TypeKind::Jsonb | TypeKind::Other { .. })
                    })
            });
            if let Some(part) = scalar {
                out.skip(
                    object,
                    format!(
                        "GIN has no default operator class for column {}; name one (e.g. pg_trgm's gin_trgm_ops)",
                        part.column.as_deref().unwrap_or_default()
                    ),
                    &index.origin,
                );
                return None;
            }
        }
    }
    index.method = method;
    for p in &mut index.parts {
        if let (None, Some(e)) = (&p.column, &p.expr) {
            let e = pg_expr(e);
            if let Some(found) = find_foreign(&e, FOREIGN_TO_POSTGRES) {
                out.skip(
                    object,
                    format!("expression `{e}` uses `{}`, which PostgreSQL does not have", found.trim()),
                    &index.origin,
                );
                return None;
            }
            p.expr = Some(e.trim().to_string());
        }
        if let Some(op) = &p.opclass {
            if !is_word(op.trim()) {
                out.skip(object, format!("`{op}` is not an operator class name"), &index.origin);
                return None;
            }
            p.opclass = Some(op.trim().to_string());
        }
    }
    index.parts.retain(|p| p.column.is_some() || p.expr.is_some());
    if let Some(pred) = index.predicate.as_deref().map(pg_expr) {
        if let Some(found) = find_foreign(&pred, FOREIGN_TO_POSTGRES) {
            out.skip(
                object,
                format!("predicate `{pred}` uses `{}`, which PostgreSQL does not have", found.trim()),
                &index.origin,
            );
            return None;
        }
        index.predicate = Some(pred.trim().to_string());
    }
    Some(index)
}

// ---------------------------------------------------------------------------------------------
// Planning

/// When a statement runs, in plan order: drops of dependants first, then creation from the
/// bottom up (extensions → types → tables → FKs → indexes → views → functions → triggers), and
/// last what runs outside the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    DropTriggers,
    DropViews,
    DropFunctions,
    DropForeignKeys,
    DropIndexes,
    DropKeys,
    Extensions,
    Types,
    Renames,
    Tables,
    DropPrimaryKeys,
    Columns,
    Keys,
    DropColumns,
    DropTables,
    DropTypes,
    DropExtensions,
    ForeignKeys,
    Indexes,
    Views,
    Functions,
    Triggers,
    Comments,
    /// After the transaction: `CREATE INDEX CONCURRENTLY` (`--online`).
    Concurrent,
    /// After the transaction, each statement committing on its own: `VALIDATE CONSTRAINT` (which
    /// takes only a SHARE UPDATE EXCLUSIVE lock, but would keep the ACCESS EXCLUSIVE lock of the
    /// `NOT VALID` add for the whole scan inside the same transaction), and what needs it done.
    Validate,
}

const PHASES: usize = Phase::Validate as usize + 1;

struct Planner<'a> {
    from: &'a Schema,
    to: &'a Schema,
    changes: &'a ChangeSet,
    options: &'a PlanOptions,
    created: BTreeSet<String>,
    phases: Vec<Vec<PlannedStatement>>,
    /// Live views dropped because a column they read changes (name keys), with the change that
    /// dropped them: created again from the target schema.
    rebuilt_views: Vec<(String, usize)>,
}

/// The statements that carry out `changes` (from `from` to `to`, both as PostgreSQL holds them).
pub(super) fn plan(changes: &ChangeSet, from: &Schema, to: &Schema, options: &PlanOptions) -> Plan {
    let created = created_tables(changes);
    let mut p =
        Planner { from, to, changes, options, created, phases: vec![Vec::new(); PHASES], rebuilt_views: Vec::new() };
    p.tables();
    p.dropped_tables();
    for (i, change) in changes.changes.iter().enumerate() {
        p.change(i, change);
    }
    p.rebuild_views();
    Plan { statements: p.phases.into_iter().flatten().collect(), ..Plan::default() }
}

impl<'a> Planner<'a> {
    fn push(&mut self, phase: Phase, change: usize, sql: String, reason: impl Into<String>, hazards: Vec<Hazard>) {
        let transactional = !matches!(phase, Phase::Concurrent | Phase::Validate);
        self.phases[phase as usize].push(PlannedStatement {
            sql,
            reason: reason.into(),
            hazards,
            transactional,
            change,
        });
    }

    /// The table named `name`, as the target has it, else as the live database has it.
    fn table(&self, name: &str) -> Option<&'a Table> {
        self.to.table(name).or_else(|| self.from.table(name))
    }

    /// `name` quoted and qualified with its namespace.
    fn qt(&self, name: &str) -> String {
        match self.table(name) {
            Some(t) => qualified(t),
            None => q(name),
        }
    }

    /// Whether `table` may hold rows: it exists already and is not known to be empty.
    fn populated(&self, table: &str) -> bool {
        let key = name_key(table);
        !self.created.contains(&key) && !self.options.empty_tables.iter().any(|t| name_key(t) == key)
    }

    fn likely_rename(&self, table: &str, column: &str) -> Option<Hazard> {
        self.changes.likely_renames.iter().find(|r| name_eq(&r.table, table) && name_eq(&r.from, column)).map(|r| {
            Hazard::new(
                HazardKind::LikelyRename,
                format!(
                    "{table}.{} looks renamed to {}: declare the rename (`<!-- schemadoc:renamed from={} -->` or \
                     --rename {table}.{}={}) to keep its data",
                    r.from, r.to, r.from, r.from, r.to
                ),
            )
        })
    }

    /// New tables, in an order where referenced tables come first; a foreign key to a table not
    /// yet created (or in a cycle) is added after every table exists.
    fn tables(&mut self) {
        let order = Order::new(self.to);
        let mut created: Vec<(usize, &'a Table)> = Vec::new();
        for (i, change) in self.changes.changes.iter().enumerate() {
            if let Change::CreateTable { table } = change {
                created.push((i, table));
            }
        }
        let position = |t: &Table| {
            order.tables.iter().position(|&i| name_eq(&self.to.tables[i].name, &t.name)).unwrap_or(usize::MAX)
        };
        created.sort_by_key(|(_, t)| position(t));
        for (i, table) in created {
            let mut lines: Vec<String> = Vec::new();
            let pk: Vec<String> =
                table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
            for col in &table.columns {
                lines.push(column_sql(col, pk.contains(&name_key(&col.name))));
            }
            if let Some(pk) = &table.primary_key {
                lines.push(format!("{}PRIMARY KEY ({})", constraint_name(pk.name.as_deref()), cols(&pk.columns)));
            }
            for u in &table.uniques {
                lines.push(format!("{}UNIQUE ({})", constraint_name(u.name.as_deref()), cols(&u.columns)));
            }
            for c in &table.checks {
                lines.push(format!("{}CHECK ({})", constraint_name(c.name.as_deref()), c.expr.trim()));
            }
            for fk in &table.foreign_keys {
                let exists =
                    self.from.table(&fk.ref_table).is_some() && !self.created.contains(&name_key(&fk.ref_table));
                if exists || !order.is_deferred(&table.name, &fk.ref_table) {
                    lines.push(fk_clause(fk, &self.qt(&fk.ref_table)));
                } else {
                    let sql =
                        format!("ALTER TABLE {} ADD {}", qualified(table), fk_clause(fk, &self.qt(&fk.ref_table)));
                    self.push(Phase::ForeignKeys, i, sql, format!("add foreign key {}", fk_label(table, fk)), vec![]);
                }
            }
            let sql = if lines.is_empty() {
                // NOTE: PostgreSQL accepts a table without columns.
                format!("CREATE TABLE {} ()", qualified(table))
            } else {
                format!("CREATE TABLE {} (\n  {}\n)", qualified(table), lines.join(",\n  "))
            };
            if let Some(ns) = table.namespace.as_deref() {
                let exists = self.from.tables.iter().any(|t| t.namespace.as_deref() == Some(ns));
                let stated =
                    self.phases[Phase::Tables as usize].iter().any(|s| s.reason == format!("create schema {ns}"));
                if !exists && !stated {
                    self.push(
                        Phase::Tables,
                        i,
                        format!("CREATE SCHEMA IF NOT EXISTS {}", q(ns)),
                        format!("create schema {ns}"),
                        vec![],
                    );
                }
            }
            self.push(Phase::Tables, i, sql, format!("create table {}", table.qualified_name()), vec![]);
            if let Some(comment) = &table.comment {
                let sql = format!("COMMENT ON TABLE {} IS {}", qualified(table), lit(comment));
                self.push(Phase::Comments, i, sql, format!("comment on table {}", table.name), vec![]);
            }
            for col in &table.columns {
                if let Some(comment) = &col.comment {
                    let sql = format!("COMMENT ON COLUMN {}.{} IS {}", qualified(table), q(&col.name), lit(comment));
                    self.push(
                        Phase::Comments,
                        i,
                        sql,
                        format!("comment on column {}.{}", table.name, col.name),
                        vec![],
                    );
                }
            }
        }
    }

    /// Dropped tables, those referencing others first.
    fn dropped_tables(&mut self) {
        let order = dependency_order(self.from);
        let mut dropped: Vec<(usize, &'a Table)> = Vec::new();
        for (i, change) in self.changes.changes.iter().enumerate() {
            if let Change::DropTable { table } = change {
                dropped.push((i, table));
            }
        }
        let position =
            |t: &Table| order.tables.iter().position(|&i| name_eq(&self.from.tables[i].name, &t.name)).unwrap_or(0);
        dropped.sort_by_key(|(_, t)| std::cmp::Reverse(position(t)));
        for (i, table) in dropped {
            let name = qualified(table);
            let mut hazards =
                vec![Hazard::new(HazardKind::Drop, format!("drops table {} and every row in it", table.name))
                    .counted(format!("SELECT count(*) FROM {name}"), format!("rows in {}", table.name))];
            if let Some(r) = self.changes.changes.iter().find_map(|c| match c {
                Change::CreateTable { table: new } if same_columns(table, new) => Some(new.name.clone()),
                _ => None,
            }) {
                hazards.push(Hazard::new(
                    HazardKind::LikelyRename,
                    format!("{} looks renamed to {r}: declare the rename to keep its rows", table.name),
                ));
            }
            // Foreign keys of other kept tables to this one would block the drop: they are dropped
            // by their own changes, earlier.
            self.push(
                Phase::DropTables,
                i,
                format!("DROP TABLE {name}"),
                format!("drop table {}", table.name),
                hazards,
            );
        }
    }

    fn change(&mut self, i: usize, change: &'a Change) {
        match change {
            // NOTE: table options are SQLite's; translate skips them, so none differ here.
            Change::CreateTable { .. } | Change::DropTable { .. } | Change::SetTableOptions { .. } => {}
            Change::CreateExtension { extension } => {
                let sql = format!("CREATE EXTENSION IF NOT EXISTS {}", q(&extension.name));
                self.push(Phase::Extensions, i, sql, format!("create extension {}", extension.name), vec![]);
            }
            Change::DropExtension { extension } => {
                let hazard = Hazard::new(
                    HazardKind::DataLoss,
                    format!("drops extension {} and the functions and types it installed", extension.name),
                );
                let sql = format!("DROP EXTENSION IF EXISTS {}", q(&extension.name));
                self.push(Phase::DropExtensions, i, sql, change.describe(), vec![hazard]);
            }
            Change::CreateEnum { definition } => {
                let sql = create_enum(definition);
                self.push(Phase::Types, i, sql, format!("create enum type {}", definition.name), vec![]);
            }
            Change::AddEnumValues { name, values } => {
                for v in values {
                    // NOTE: since PostgreSQL 12 ADD VALUE runs inside a transaction, but the new
                    // value cannot be used before the transaction commits.
                    let sql = format!("ALTER TYPE {} ADD VALUE IF NOT EXISTS {}", q(name), lit(v));
                    self.push(Phase::Types, i, sql, change.describe(), vec![]);
                }
            }
            Change::ReplaceEnum { from, to } => self.replace_enum(i, from, to),
            Change::DropEnum { definition } => {
                let sql = format!("DROP TYPE {}", q(&definition.name));
                self.push(Phase::DropTypes, i, sql, change.describe(), vec![]);
            }
            Change::RenameTable { from, to } => {
                let old = self.from.table(from).map(qualified).unwrap_or_else(|| q(from));
                let sql = format!("ALTER TABLE {old} RENAME TO {}", q(to));
                self.push(Phase::Renames, i, sql, change.describe(), vec![]);
            }
            Change::RenameColumn { table, from, to } => {
                let sql = format!("ALTER TABLE {} RENAME COLUMN {} TO {}", self.qt(table), q(from), q(to));
                self.push(Phase::Renames, i, sql, change.describe(), vec![]);
            }
            Change::AddColumn { table, column } => self.add_column(i, table, column),
            Change::DropColumn { table, column } => {
                let t = self.qt(table);
                let mut hazards = Vec::new();
                // NOTE: a generated column's values are derived from the others: dropping it loses nothing.
                if column.generated.is_none() {
                    hazards.push(
                        Hazard::new(HazardKind::Drop, format!("drops column {table}.{} and its values", column.name))
                            .counted(
                                format!("SELECT count(*) FROM {t} WHERE {} IS NOT NULL", q(&column.name)),
                                format!("non-null values in {table}.{}", column.name),
                            ),
                    );
                }
                hazards.extend(self.likely_rename(table, &column.name));
                let sql = format!("ALTER TABLE {t} DROP COLUMN {}", q(&column.name));
                self.push(Phase::DropColumns, i, sql, change.describe(), hazards);
            }
            Change::AlterColumn { table, from, to, changes } => self.alter_column(i, table, from, to, changes),
            Change::SetPrimaryKey { table, from, to } => {
                let t = self.qt(table);
                if let Some(pk) = from {
                    let name = pk.name.clone().unwrap_or_else(|| format!("{table}_pkey"));
                    self.drop_referencing_keys(i, table, &pk.columns);
                    let sql = format!("ALTER TABLE {t} DROP CONSTRAINT {}", q(&name));
                    self.push(Phase::DropPrimaryKeys, i, sql, format!("drop primary key of {table}"), vec![]);
                }
                if let Some(pk) = to {
                    let mut hazards = vec![Hazard::new(
                        HazardKind::Locks,
                        format!("builds a unique index on {table} under an ACCESS EXCLUSIVE lock"),
                    )];
                    if self.populated(table) {
                        let key = cols(&pk.columns);
                        let nulls: Vec<String> = pk.columns.iter().map(|c| format!("{} IS NULL", q(c))).collect();
                        hazards.push(
                            Hazard::new(HazardKind::MayFail, format!("fails if {table} has duplicate or NULL keys"))
                                .counted(
                                    format!(
                                        "SELECT (SELECT count(*) FROM (SELECT 1 FROM {t} GROUP BY {key} HAVING count(*) > 1) d) \
                                         + (SELECT count(*) FROM {t} WHERE {})",
                                        nulls.join(" OR ")
                                    ),
                                    format!("duplicate or NULL keys in {table}({})", pk.columns.join(", ")),
                                ),
                        );
                    }
                    let sql = format!(
                        "ALTER TABLE {t} ADD {}PRIMARY KEY ({})",
                        constraint_name(pk.name.as_deref()),
                        cols(&pk.columns)
                    );
                    self.push(Phase::Keys, i, sql, change.describe(), hazards);
                }
            }
            Change::AddUnique { table, unique } => self.add_unique(i, table, unique, change.describe()),
            Change::DropUnique { table, unique } => {
                let name = unique.name.clone().unwrap_or_else(|| format!("{table}_{}_key", unique.columns.join("_")));
                let sql = format!("ALTER TABLE {} DROP CONSTRAINT {}", self.qt(table), q(&name));
                self.push(Phase::DropKeys, i, sql, change.describe(), vec![]);
            }
            Change::AddCheck { table, check } => self.add_check(i, table, check),
            Change::DropCheck { table, check } => {
                let sql = format!("ALTER TABLE {} DROP CONSTRAINT {}", self.qt(table), q(&check_name(table, check)));
                self.push(Phase::DropKeys, i, sql, change.describe(), vec![]);
            }
            Change::AddForeignKey { table, foreign_key } => self.add_foreign_key(i, table, foreign_key),
            Change::DropForeignKey { table, foreign_key } => {
                let sql = format!("ALTER TABLE {} DROP CONSTRAINT {}", self.qt(table), q(&fk_name(table, foreign_key)));
                self.push(Phase::DropForeignKeys, i, sql, change.describe(), vec![]);
            }
            Change::SetTableComment { table, comment } => {
                let value = comment.as_deref().map(lit).unwrap_or_else(|| "NULL".into());
                let sql = format!("COMMENT ON TABLE {} IS {value}", self.qt(table));
                self.push(Phase::Comments, i, sql, format!("comment on table {table}"), vec![]);
            }
            Change::CreateIndex { index } => self.create_index(i, index),
            Change::RenameIndex { from, to } => {
                let old = match self.table(&from.table).and_then(|t| t.namespace.as_deref()) {
                    Some(ns) => format!("{}.{}", q(ns), q(from.name.as_deref().unwrap_or_default())),
                    None => q(from.name.as_deref().unwrap_or_default()),
                };
                let sql = format!("ALTER INDEX {old} RENAME TO {}", q(to.name.as_deref().unwrap_or_default()));
                self.push(Phase::Indexes, i, sql, change.describe(), vec![]);
            }
            Change::RenameUnique { table, from, to } => {
                let sql = format!("ALTER TABLE {} RENAME CONSTRAINT {} TO {}", self.qt(table), q(from), q(to));
                self.push(Phase::Keys, i, sql, change.describe(), vec![]);
            }
            Change::DropIndex { index } => {
                let name = index.name.clone().unwrap_or_default();
                let qualified_name = match self.table(&index.table).and_then(|t| t.namespace.as_deref()) {
                    Some(ns) => format!("{}.{}", q(ns), q(&name)),
                    None => q(&name),
                };
                let online = self.options.online && self.populated(&index.table);
                if online {
                    let hazard = Hazard::new(
                        HazardKind::NotTransactional,
                        "DROP INDEX CONCURRENTLY runs outside the transaction",
                    );
                    self.push(
                        Phase::Concurrent,
                        i,
                        format!("DROP INDEX CONCURRENTLY IF EXISTS {qualified_name}"),
                        change.describe(),
                        vec![hazard],
                    );
                } else {
                    self.push(
                        Phase::DropIndexes,
                        i,
                        format!("DROP INDEX IF EXISTS {qualified_name}"),
                        change.describe(),
                        vec![],
                    );
                }
            }
            Change::CreateView { view } => {
                let sql = create_view_sql(view);
                self.phases[Phase::Views as usize].extend(sql.into_iter().map(|(sql, reason)| PlannedStatement {
                    sql,
                    reason,
                    hazards: vec![],
                    transactional: true,
                    change: i,
                }));
            }
            Change::DropView { view } => {
                let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
                self.push(
                    Phase::DropViews,
                    i,
                    format!("DROP {kind} IF EXISTS {}", q(&view.name)),
                    change.describe(),
                    vec![],
                );
            }
            Change::CreateRoutine { routine } => {
                let (phase, reason) = match (&routine.kind, &routine.table) {
                    (RoutineKind::Trigger, Some(t)) => {
                        (Phase::Triggers, format!("create trigger {} on {t}", routine.name))
                    }
                    (RoutineKind::Trigger, None) => (Phase::Triggers, format!("create trigger {}", routine.name)),
                    (RoutineKind::Function, _) => (Phase::Functions, format!("create function {}", routine.name)),
                    (RoutineKind::Procedure, _) => (Phase::Functions, format!("create procedure {}", routine.name)),
                };
                self.push(phase, i, or_replace(&routine.sql), reason, vec![]);
            }
            Change::DropRoutine { routine } => self.drop_routine(i, routine),
        }
    }

    fn duplicates(&self, table: &str, columns: &[String]) -> Hazard {
        let key = cols(columns);
        Hazard::new(HazardKind::MayFail, format!("fails if {table} has duplicate ({})", columns.join(", "))).counted(
            format!(
                "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {key} HAVING count(*) > 1) d",
                self.qt(table),
                columns.iter().map(|c| format!("{} IS NOT NULL", q(c))).collect::<Vec<_>>().join(" AND ")
            ),
            format!("duplicated values of {table}({})", columns.join(", ")),
        )
    }

    /// A generated column whose expression changed, or an ordinary column becoming generated:
    /// dropped and added again (PostgreSQL 15 cannot change a generation expression in place).
    fn regenerate(&mut self, i: usize, table: &str, from: &Column, to: &Column) {
        let t = self.qt(table);
        let in_pk = self
            .to
            .table(table)
            .and_then(|t| t.primary_key.as_ref())
            .is_some_and(|pk| pk.columns.iter().any(|c| name_eq(c, &to.name)));
        let reason = format!("alter column {table}.{} (generated expression)", to.name);
        let mut hazards = vec![Hazard::new(
            HazardKind::DataLoss,
            format!("{table}.{} becomes generated: its stored values are replaced", to.name),
        )
        .counted(
            format!("SELECT count(*) FROM {t} WHERE {} IS NOT NULL", q(&from.name)),
            format!("non-null values in {table}.{}", from.name),
        )];
        if from.generated.is_some() {
            hazards.clear();
        }
        hazards.push(Hazard::new(
            HazardKind::Rewrite,
            format!(
                "{table}.{} is dropped and added again: the table is rewritten under an ACCESS EXCLUSIVE lock to \
                 compute it, and indexes or constraints on the column must be created again",
                to.name
            ),
        ));
        // Keys of other tables referencing the column and views reading it would block the drop.
        self.drop_referencing(i, table, &|fk| fk.ref_columns.iter().any(|c| name_eq(c, &from.name)));
        self.drop_dependent_views(i, table, &from.name);
        self.push(Phase::Columns, i, format!("ALTER TABLE {t} DROP COLUMN {}", q(&from.name)), reason.clone(), hazards);
        let sql = format!("ALTER TABLE {t} ADD COLUMN {}", column_sql(to, in_pk));
        self.push(Phase::Columns, i, sql, reason, vec![]);
        if let Some(comment) = &to.comment {
            let sql = format!("COMMENT ON COLUMN {t}.{} IS {}", q(&to.name), lit(comment));
            self.push(Phase::Comments, i, sql, format!("comment on column {table}.{}", to.name), vec![]);
        }
        self.restore_dependents(i, table, &to.name);
    }

    fn add_column(&mut self, i: usize, table: &str, column: &Column) {
        let t = self.qt(table);
        let in_pk = self
            .to
            .table(table)
            .and_then(|t| t.primary_key.as_ref())
            .is_some_and(|pk| pk.columns.iter().any(|c| name_eq(c, &column.name)));
        let mut hazards = Vec::new();
        let populated = self.populated(table);
        if populated
            && !column.nullable
            && column.default.is_none()
            && column.identity.is_none()
            && column.generated.is_none()
        {
            hazards.push(
                Hazard::new(
                    HazardKind::MayFail,
                    format!(
                        "{table}.{} is NOT NULL without a default: adding it fails if {table} has rows",
                        column.name
                    ),
                )
                .counted(
                    format!("SELECT count(*) FROM {t}"),
                    format!("rows in {table} without a value for {}", column.name),
                ),
            );
        }
        let volatile = column.identity.is_some()
            || column.generated.is_some()
            || matches!(column.default, Some(DefaultValue::GeneratedUuid) | Some(DefaultValue::Raw(_)));
        if populated && volatile {
            hazards.push(Hazard::new(
                HazardKind::Rewrite,
                format!(
                    "{table}.{} gets a value per row: the table is rewritten under an ACCESS EXCLUSIVE lock",
                    column.name
                ),
            ));
        }
        let sql = format!("ALTER TABLE {t} ADD COLUMN {}", column_sql(column, in_pk));
        self.push(Phase::Columns, i, sql, format!("add column {table}.{}", column.name), hazards);
        if let Some(comment) = &column.comment {
            let sql = format!("COMMENT ON COLUMN {t}.{} IS {}", q(&column.name), lit(comment));
            self.push(Phase::Comments, i, sql, format!("comment on column {table}.{}", column.name), vec![]);
        }
    }

    fn alter_column(&mut self, i: usize, table: &str, from: &Column, to: &Column, changes: &ColumnChanges) {
        let t = self.qt(table);
        let c = q(&to.name);
        let reason = format!("alter column {table}.{}", to.name);
        let alter = |what: String| format!("ALTER TABLE {t} ALTER COLUMN {c} {what}");
        if changes.generated {
            if from.generated.is_some() && to.generated.is_none() {
                // NOTE: DROP EXPRESSION keeps the computed values as ordinary ones.
                self.push(Phase::Columns, i, alter("DROP EXPRESSION".into()), reason.clone(), vec![]);
            } else {
                self.regenerate(i, table, from, to);
                return;
            }
        }
        let serial_default = from.identity == Some(Identity::Serial);
        // The default is set again after a type or identity change.
        let mut reset_default = changes.default;
        if changes.identity {
            match (from.identity, to.identity) {
                (Some(Identity::Serial), _) => {
                    self.push(Phase::Columns, i, alter("DROP DEFAULT".into()), reason.clone(), vec![]);
                }
                (Some(_), None) | (Some(_), Some(Identity::Serial)) => {
                    self.push(Phase::Columns, i, alter("DROP IDENTITY IF EXISTS".into()), reason.clone(), vec![]);
                }
                _ => {}
            }
            reset_default = true;
        }
        if changes.ty {
            if from.default.is_some() && !serial_default {
                self.push(Phase::Columns, i, alter("DROP DEFAULT".into()), reason.clone(), vec![]);
            }
            let (using, mut hazards) = retype(&t, table, from, to, self.options.time_zone.as_deref());
            let views = self.drop_dependent_views(i, table, &from.name);
            if !views.is_empty() {
                hazards.push(Hazard::new(
                    HazardKind::Locks,
                    format!(
                        "view(s) {} read {table}.{}: they are dropped before the type changes and created again                          after it, in the same transaction",
                        views.join(", "),
                        from.name
                    ),
                ));
            }
            let ty = sql_type(to);
            let sql = match using {
                Some(expr) => alter(format!("TYPE {ty} USING {expr}")),
                None => alter(format!("TYPE {ty}")),
            };
            self.push(Phase::Columns, i, sql, format!("change type of {table}.{} to {ty}", to.name), hazards);
            reset_default = true;
        }
        if changes.nullable {
            if to.nullable {
                self.push(Phase::Columns, i, alter("DROP NOT NULL".into()), reason.clone(), vec![]);
            } else if self.options.online
                && self.populated(table)
                && !changes.ty
                && !changes.identity
                && to.generated.is_none()
            {
                self.set_not_null_online(i, table, &from.name);
            } else {
                let mut hazards = vec![Hazard::new(
                    HazardKind::Locks,
                    format!("scans {table} under an ACCESS EXCLUSIVE lock to check for NULLs"),
                )];
                if self.populated(table) {
                    hazards.push(
                        Hazard::new(HazardKind::MayFail, format!("fails if {table}.{} holds NULLs", from.name))
                            .counted(
                                format!("SELECT count(*) FROM {t} WHERE {} IS NULL", q(&from.name)),
                                format!("NULL values in {table}.{}", from.name),
                            ),
                    );
                }
                self.push(
                    Phase::Columns,
                    i,
                    alter("SET NOT NULL".into()),
                    format!("set not null on {table}.{}", to.name),
                    hazards,
                );
            }
        }
        if changes.identity {
            match to.identity {
                Some(Identity::Serial) => {
                    let seq = format!("{table}_{}_seq", to.name);
                    let qs = match self.table(table).and_then(|x| x.namespace.as_deref()) {
                        Some(ns) => format!("{}.{}", q(ns), q(&seq)),
                        None => q(&seq),
                    };
                    self.push(
                        Phase::Columns,
                        i,
                        format!("CREATE SEQUENCE IF NOT EXISTS {qs} OWNED BY {t}.{c}"),
                        reason.clone(),
                        vec![],
                    );
                    self.push(
                        Phase::Columns,
                        i,
                        alter(format!("SET DEFAULT nextval({}::regclass)", lit(&qs))),
                        reason.clone(),
                        vec![],
                    );
                    let sql =
                        format!("SELECT setval({}::regclass, coalesce(max({c}), 0) + 1, false) FROM {t}", lit(&qs));
                    self.push(Phase::Columns, i, sql, reason.clone(), vec![]);
                }
                Some(id) => {
                    let kind = if id == Identity::Always { "ALWAYS" } else { "BY DEFAULT" };
                    if matches!(from.identity, Some(Identity::Always | Identity::ByDefault | Identity::AutoIncrement)) {
                        self.push(Phase::Columns, i, alter(format!("SET GENERATED {kind}")), reason.clone(), vec![]);
                    } else {
                        if from.default.is_some() && !serial_default && !changes.ty {
                            self.push(Phase::Columns, i, alter("DROP DEFAULT".into()), reason.clone(), vec![]);
                        }
                        if from.nullable && !changes.nullable {
                            self.push(Phase::Columns, i, alter("SET NOT NULL".into()), reason.clone(), vec![]);
                        }
                        self.push(
                            Phase::Columns,
                            i,
                            alter(format!("ADD GENERATED {kind} AS IDENTITY")),
                            reason.clone(),
                            vec![],
                        );
                        let sql = format!(
                            "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({c}), 0) + 1, false) FROM {t}",
                            lit(&t),
                            lit(&to.name)
                        );
                        self.push(Phase::Columns, i, sql, reason.clone(), vec![]);
                    }
                }
                None => {}
            }
        }
        if reset_default && to.identity.is_none() {
            match &to.default {
                Some(d) => self.push(
                    Phase::Columns,
                    i,
                    alter(format!("SET DEFAULT {}", default_text(to, d))),
                    reason.clone(),
                    vec![],
                ),
                None if changes.default && !changes.ty && !(changes.identity && serial_default) => {
                    self.push(Phase::Columns, i, alter("DROP DEFAULT".into()), reason.clone(), vec![])
                }
                None => {}
            }
        }
        if changes.comment {
            let value = to.comment.as_deref().map(lit).unwrap_or_else(|| "NULL".into());
            let sql = format!("COMMENT ON COLUMN {t}.{c} IS {value}");
            self.push(Phase::Comments, i, sql, format!("comment on column {table}.{}", to.name), vec![]);
        }
    }

    /// `SET NOT NULL` on a populated table without scanning it under an ACCESS EXCLUSIVE lock: a
    /// `CHECK (c IS NOT NULL) NOT VALID` is added in the transaction, validated after it (reads and
    /// writes continue), then `SET NOT NULL` uses the valid check instead of a scan (PostgreSQL
    /// 12+), and the check is dropped.
    fn set_not_null_online(&mut self, i: usize, table: &str, column: &str) {
        let t = self.qt(table);
        let c = q(column);
        let name = q(&shorten(&format!("{table}_{column}_not_null"), 63));
        let label = format!("{table}.{column}");
        let hazards = vec![
            Hazard::new(HazardKind::MayFail, format!("validation fails if {label} holds NULLs"))
                .counted(format!("SELECT count(*) FROM {t} WHERE {c} IS NULL"), format!("NULL values in {label}")),
            Hazard::new(
                HazardKind::Locks,
                format!("takes an ACCESS EXCLUSIVE lock on {table} briefly (NOT VALID skips the scan)"),
            ),
        ];
        let sql = format!("ALTER TABLE {t} ADD CONSTRAINT {name} CHECK ({c} IS NOT NULL) NOT VALID");
        self.push(Phase::Keys, i, sql, format!("set not null on {label} (online: check first)"), hazards);
        let scan = vec![Hazard::new(
            HazardKind::Locks,
            format!("scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes continue"),
        )];
        let sql = format!("ALTER TABLE {t} VALIDATE CONSTRAINT {name}");
        self.push(Phase::Validate, i, sql, format!("set not null on {label} (online: validate the check)"), scan);
        let brief = vec![Hazard::new(
            HazardKind::Locks,
            format!("takes an ACCESS EXCLUSIVE lock on {table} briefly: the valid check spares the scan"),
        )];
        let sql = format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL");
        self.push(Phase::Validate, i, sql, format!("set not null on {label}"), brief);
        let sql = format!("ALTER TABLE {t} DROP CONSTRAINT {name}");
        self.push(Phase::Validate, i, sql, format!("set not null on {label} (online: drop the check)"), vec![]);
    }

    fn add_check(&mut self, i: usize, table: &str, check: &Check) {
        let t = self.qt(table);
        let name = check_name(table, check);
        if !self.populated(table) {
            let sql =
                format!("ALTER TABLE {t} ADD {}CHECK ({})", constraint_name(check.name.as_deref()), check.expr.trim());
            self.push(Phase::Keys, i, sql, format!("add check {name} on {table}"), vec![]);
            return;
        }
        let hazards = vec![
            Hazard::new(
                HazardKind::MayFail,
                format!("validation fails if rows of {table} violate `{}`", check.expr.trim()),
            )
            .counted(
                format!("SELECT count(*) FROM {t} WHERE NOT ({})", check.expr.trim()),
                format!("rows of {table} violating check {name}"),
            ),
            Hazard::new(
                HazardKind::Locks,
                format!("takes an ACCESS EXCLUSIVE lock on {table} briefly (NOT VALID skips the scan)"),
            ),
        ];
        let sql = format!("ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({}) NOT VALID", q(&name), check.expr.trim());
        self.push(Phase::Keys, i, sql, format!("add check {name} on {table}"), hazards);
        let validate = vec![Hazard::new(
            HazardKind::Locks,
            format!("scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes continue"),
        )];
        self.push(
            Phase::Validate,
            i,
            format!("ALTER TABLE {t} VALIDATE CONSTRAINT {}", q(&name)),
            format!("validate check {name} on {table}"),
            validate,
        );
    }

    fn add_foreign_key(&mut self, i: usize, table: &str, fk: &ForeignKey) {
        let t = self.qt(table);
        let target = self.qt(&fk.ref_table);
        let label = format!("{table}.{} → {}", fk.columns.join(","), fk.ref_table);
        let mut named = fk.clone();
        named.name = Some(fk_name(table, fk));
        let name = named.name.clone().unwrap_or_default();
        if !self.populated(table) {
            let sql = format!("ALTER TABLE {t} ADD {}", fk_clause(fk, &target));
            self.push(Phase::ForeignKeys, i, sql, format!("add foreign key {label}"), vec![]);
            return;
        }
        let matches: Vec<String> =
            fk.columns.iter().zip(&fk.ref_columns).map(|(c, r)| format!("p.{} = c.{}", q(r), q(c))).collect();
        let present: Vec<String> = fk.columns.iter().map(|c| format!("c.{} IS NOT NULL", q(c))).collect();
        let hazards = vec![
            Hazard::new(
                HazardKind::MayFail,
                format!("validation fails if rows of {table} reference missing {} rows", fk.ref_table),
            )
            .counted(
                format!(
                    "SELECT count(*) FROM {t} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {target} p WHERE {})",
                    present.join(" AND "),
                    matches.join(" AND ")
                ),
                format!("rows of {table} whose {} has no match in {}", fk.columns.join(", "), fk.ref_table),
            ),
            Hazard::new(
                HazardKind::Locks,
                format!(
                    "takes SHARE ROW EXCLUSIVE locks on {table} and {} briefly (NOT VALID skips the scan)",
                    fk.ref_table
                ),
            ),
        ];
        let sql = format!("ALTER TABLE {t} ADD {} NOT VALID", fk_clause(&named, &target));
        self.push(Phase::ForeignKeys, i, sql, format!("add foreign key {label}"), hazards);
        let validate = vec![Hazard::new(
            HazardKind::Locks,
            format!("scans {table} under a SHARE UPDATE EXCLUSIVE lock: reads and writes continue"),
        )];
        self.push(
            Phase::Validate,
            i,
            format!("ALTER TABLE {t} VALIDATE CONSTRAINT {}", q(&name)),
            format!("validate foreign key {label}"),
            validate,
        );
    }

    /// Foreign keys of the live database referencing `table`'s primary key `columns`, which would
    /// block dropping it: dropped first and added again afterwards when the target keeps them.
    fn drop_referencing_keys(&mut self, i: usize, table: &str, columns: &[String]) {
        let same = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_eq(x, y));
        self.drop_referencing(i, table, &|fk| same(&fk.ref_columns, columns));
    }

    /// Foreign keys of the live database referencing `table` that `refers` picks: dropped first and
    /// added again afterwards when the target keeps them (and no change adds them anyway).
    fn drop_referencing(&mut self, i: usize, table: &str, refers: &dyn Fn(&ForeignKey) -> bool) {
        let same = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_eq(x, y));
        let mut found: Vec<(&'a Table, &'a ForeignKey)> = Vec::new();
        for t in &self.from.tables {
            for fk in &t.foreign_keys {
                if name_eq(&fk.ref_table, table) && refers(fk) {
                    found.push((t, fk));
                }
            }
        }
        for (t, fk) in found {
            let dropped_already = self.changes.changes.iter().any(|c| {
                matches!(c, Change::DropForeignKey { table: x, foreign_key: y } if name_eq(x, &t.name) && same(&y.columns, &fk.columns))
            }) || self.changes.changes.iter().any(|c| matches!(c, Change::DropTable { table: x } if name_eq(&x.name, &t.name)));
            if dropped_already {
                continue;
            }
            let sql = format!("ALTER TABLE {} DROP CONSTRAINT {}", qualified(t), q(&fk_name(&t.name, fk)));
            self.push(
                Phase::DropForeignKeys,
                i,
                sql,
                format!("drop foreign key {} while the key changes", fk_label(t, fk)),
                vec![],
            );
            let kept = self.to.table(&t.qualified_name()).and_then(|nt| {
                nt.foreign_keys.iter().find(|x| same(&x.columns, &fk.columns) && name_eq(&x.ref_table, &fk.ref_table))
            });
            let added = self.changes.changes.iter().any(|c| {
                matches!(c, Change::AddForeignKey { table: x, foreign_key: y } if name_eq(x, &t.name) && same(&y.columns, &fk.columns))
            });
            if let (Some(keep), false) = (kept, added) {
                self.add_foreign_key(i, &t.name, keep);
            }
        }
    }

    fn add_unique(&mut self, i: usize, table: &str, unique: &Unique, reason: String) {
        let t = self.qt(table);
        let mut hazards = Vec::new();
        if self.populated(table) {
            hazards.push(self.duplicates(table, &unique.columns));
        }
        let sql = format!(
            "ALTER TABLE {t} ADD {}UNIQUE ({})",
            constraint_name(unique.name.as_deref()),
            cols(&unique.columns)
        );
        self.push(Phase::Keys, i, sql, reason, hazards);
    }

    /// Drops the live views reading `table.column` (and the views reading those) before the column
    /// changes; [`Planner::rebuild_views`] creates them again from the target. The names dropped.
    // NOTE: PostgreSQL refuses to change the type of, or drop, a column a view reads ("cannot alter
    // type of a column used by a view or rule"); views have no data, so they are dropped and
    // created again in the same transaction.
    fn drop_dependent_views(&mut self, i: usize, table: &str, column: &str) -> Vec<String> {
        let order = views_using(self.from, table, column);
        let mut names = Vec::new();
        for &vi in order.iter().rev() {
            let view = &self.from.views[vi];
            names.push(view.name.clone());
            let key = name_key(&view.name);
            if self.rebuilt_views.iter().any(|(k, _)| *k == key) {
                continue;
            }
            self.rebuilt_views.push((key, i));
            let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
            let hazard = Hazard::new(
                HazardKind::Locks,
                format!(
                    "view {} reads {table}.{column}: it is dropped and created again in the same transaction;                      queries on it wait until the transaction commits, and privileges granted on it must be                      granted again",
                    view.name
                ),
            );
            self.push(
                Phase::DropViews,
                i,
                format!("DROP {kind} IF EXISTS {}", q(&view.name)),
                format!("drop view {} while {table}.{column} changes", view.name),
                vec![hazard],
            );
        }
        names.reverse();
        names
    }

    /// Creates again, from the target schema, the views dropped for column changes (unless a
    /// change creates them anyway), first among the views and in dependency order.
    fn rebuild_views(&mut self) {
        let mut statements = Vec::new();
        for vi in view_order(self.to) {
            let view = &self.to.views[vi];
            let key = name_key(&view.name);
            let Some(&(_, i)) = self.rebuilt_views.iter().find(|(k, _)| *k == key) else { continue };
            let created = self
                .changes
                .changes
                .iter()
                .any(|c| matches!(c, Change::CreateView { view: v } if name_key(&v.name) == key));
            if created {
                continue;
            }
            for (sql, _) in create_view_sql(view) {
                statements.push(PlannedStatement {
                    sql,
                    reason: format!("create view {} again", view.name),
                    hazards: vec![],
                    transactional: true,
                    change: i,
                });
            }
        }
        let views = &mut self.phases[Phase::Views as usize];
        let rest = std::mem::take(views);
        *views = statements.into_iter().chain(rest).collect();
    }

    /// After `table.column` was dropped and added again: the target's primary key, indexes, unique
    /// keys, checks and foreign keys using the column (which went with it), and the foreign keys
    /// of other tables referencing it, unless a change of the plan creates them anyway.
    fn restore_dependents(&mut self, i: usize, table: &str, column: &str) {
        let Some(target) = self.to.table(table) else { return };
        let uses = |cs: &[String]| cs.iter().any(|c| name_eq(c, column));
        let same = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_eq(x, y));
        let changes = &self.changes.changes;
        let pk_changes =
            changes.iter().any(|c| matches!(c, Change::SetPrimaryKey { table: x, .. } if name_eq(x, table)));
        if let Some(pk) = target.primary_key.as_ref().filter(|pk| uses(&pk.columns) && !pk_changes) {
            let sql = format!(
                "ALTER TABLE {} ADD {}PRIMARY KEY ({})",
                self.qt(table),
                constraint_name(pk.name.as_deref()),
                cols(&pk.columns)
            );
            let hazards = vec![Hazard::new(
                HazardKind::Locks,
                format!("builds a unique index on {table} under an ACCESS EXCLUSIVE lock"),
            )];
            self.push(Phase::Keys, i, sql, format!("add primary key of {table} again"), hazards);
        }
        for index in self.to.indexes_of(table).filter(|ix| index_uses(ix, column)) {
            let created = changes.iter().any(|c| {
                matches!(c, Change::CreateIndex { index: x } if name_eq(&x.table, table) && x.name.as_deref().map(name_key) == index.name.as_deref().map(name_key))
            });
            if !created {
                self.create_index(i, index);
            }
        }
        for unique in target.uniques.iter().filter(|u| uses(&u.columns)) {
            let added = changes.iter().any(|c| {
                matches!(c, Change::AddUnique { table: x, unique: u } if name_eq(x, table) && same(&u.columns, &unique.columns))
            });
            if !added {
                self.add_unique(
                    i,
                    table,
                    unique,
                    format!("add unique ({}) on {table} again", unique.columns.join(", ")),
                );
            }
        }
        for check in target.checks.iter().filter(|c| check_uses(c, column)) {
            let added = changes.iter().any(|c| {
                matches!(c, Change::AddCheck { table: x, check: k } if name_eq(x, table) && (k.expr == check.expr || (k.name.is_some() && k.name == check.name)))
            });
            if !added {
                self.add_check(i, table, check);
            }
        }
        for fk in target.foreign_keys.iter().filter(|fk| uses(&fk.columns)) {
            let added = changes.iter().any(|c| {
                matches!(c, Change::AddForeignKey { table: x, foreign_key: f } if name_eq(x, table) && same(&f.columns, &fk.columns) && name_eq(&f.ref_table, &fk.ref_table))
            });
            if !added {
                self.add_foreign_key(i, table, fk);
            }
        }
    }

    fn create_index(&mut self, i: usize, index: &Index) {
        let Some(table) = self.table(&index.table) else { return };
        let name = index.name.clone().unwrap_or_default();
        let online = self.options.online && self.populated(&index.table);
        let mut parts = Vec::new();
        for p in &index.parts {
            let mut part = match (&p.column, &p.expr) {
                (Some(c), _) => q(c),
                (None, Some(e)) => format!("({})", e.trim()),
                (None, None) => continue,
            };
            if let Some(op) = &p.opclass {
                part.push(' ');
                part.push_str(op.trim());
            }
            if p.descending {
                part.push_str(" DESC");
            }
            parts.push(part);
        }
        let mut sql = format!(
            "CREATE {}INDEX {}{} ON {}",
            if index.unique { "UNIQUE " } else { "" },
            if online { "CONCURRENTLY " } else { "" },
            q(&name),
            qualified(table)
        );
        if let Some(m) = index.method.as_deref().filter(|m| !m.eq_ignore_ascii_case("btree")) {
            sql.push_str(&format!(" USING {m}"));
        }
        sql.push_str(&format!(" ({})", parts.join(", ")));
        if !index.include.is_empty() {
            sql.push_str(&format!(" INCLUDE ({})", cols(&index.include)));
        }
        if let Some(pred) = &index.predicate {
            sql.push_str(&format!(" WHERE {}", pred.trim()));
        }
        let mut hazards = Vec::new();
        let populated = self.populated(&index.table);
        if index.unique && populated && index.parts.iter().all(|p| p.column.is_some()) && index.predicate.is_none() {
            let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
            hazards.push(self.duplicates(&index.table, &columns));
        }
        let reason = format!("create index {name} on {}", index.table);
        if online {
            hazards.push(Hazard::new(
                HazardKind::NotTransactional,
                "CREATE INDEX CONCURRENTLY runs after the transaction commits; a failure leaves an INVALID index to drop",
            ));
            self.push(Phase::Concurrent, i, sql, reason, hazards);
        } else {
            if populated {
                hazards.push(Hazard::new(
                    HazardKind::Locks,
                    format!("blocks writes to {} while the index builds", index.table),
                ));
            }
            self.push(Phase::Indexes, i, sql, reason, hazards);
        }
    }

    fn drop_routine(&mut self, i: usize, routine: &Routine) {
        match routine.kind {
            RoutineKind::Trigger => {
                let table = routine.table.as_deref().map(|t| self.qt(t)).unwrap_or_default();
                let sql = format!("DROP TRIGGER IF EXISTS {} ON {table}", q(&routine.name));
                self.push(Phase::DropTriggers, i, sql, format!("drop trigger {}", routine.name), vec![]);
            }
            RoutineKind::Function | RoutineKind::Procedure => {
                // A function created again is replaced in place: dropping it would fail while
                // triggers use it.
                let replaced = self.changes.changes.iter().any(|c| {
                    matches!(c, Change::CreateRoutine { routine: r } if r.kind == routine.kind && routine_key(&r.name) == routine_key(&routine.name))
                });
                if replaced {
                    return;
                }
                let kind = if routine.kind == RoutineKind::Procedure { "PROCEDURE" } else { "FUNCTION" };
                let args = signature(&routine.sql).unwrap_or_default();
                let sql = format!("DROP {kind} IF EXISTS {}({args})", q(&routine_key(&routine.name)));
                self.push(
                    Phase::DropFunctions,
                    i,
                    sql,
                    format!("drop {} {}", kind.to_lowercase(), routine.name),
                    vec![],
                );
            }
        }
    }

    fn replace_enum(&mut self, i: usize, from: &Enum, to: &Enum) {
        let old = format!("{}__schemadoc_old", from.name);
        let reason = format!("recreate enum type {}", to.name);
        self.push(
            Phase::Types,
            i,
            format!("ALTER TYPE {} RENAME TO {}", q(&from.name), q(&old)),
            reason.clone(),
            vec![],
        );
        self.push(Phase::Types, i, create_enum(to), reason.clone(), vec![]);
        let removed: Vec<&String> = from.values.iter().filter(|v| !to.values.contains(v)).collect();
        for t in &self.from.tables {
            for c in &t.columns {
                let array = match &c.ty.kind {
                    TypeKind::Enum { name } if name_eq(name, &from.name) => false,
                    TypeKind::Array { of } if matches!(&**of, TypeKind::Enum { name } if name_eq(name, &from.name)) => {
                        true
                    }
                    _ => continue,
                };
                let tq = qualified(t);
                let cq = q(&c.name);
                let mut hazards = vec![Hazard::new(
                    HazardKind::Rewrite,
                    format!("rewrites {} to change the type of {}", t.name, c.name),
                )];
                if !removed.is_empty() && !array {
                    let values: Vec<String> = removed.iter().map(|v| lit(v)).collect();
                    hazards.push(
                        Hazard::new(
                            HazardKind::MayFail,
                            format!("fails if {}.{} holds a removed value", t.name, c.name),
                        )
                        .counted(
                            format!("SELECT count(*) FROM {tq} WHERE {cq}::text IN ({})", values.join(", ")),
                            format!("values of {}.{} that {} no longer has", t.name, c.name, to.name),
                        ),
                    );
                }
                let target = self.to.table(&t.qualified_name()).and_then(|nt| nt.column(&c.name));
                let views = self.drop_dependent_views(i, &t.name, &c.name);
                if !views.is_empty() {
                    hazards.push(Hazard::new(
                        HazardKind::Locks,
                        format!(
                            "view(s) {} read {}.{}: they are dropped before the type changes and created again after \
                             it, in the same transaction",
                            views.join(", "),
                            t.name,
                            c.name
                        ),
                    ));
                }
                if c.default.is_some() {
                    self.push(
                        Phase::Types,
                        i,
                        format!("ALTER TABLE {tq} ALTER COLUMN {cq} DROP DEFAULT"),
                        reason.clone(),
                        vec![],
                    );
                }
                let (ty, cast) = if array {
                    (format!("{}[]", q(&to.name)), format!("{cq}::text[]::{}[]", q(&to.name)))
                } else {
                    (q(&to.name), format!("{cq}::text::{}", q(&to.name)))
                };
                self.push(
                    Phase::Types,
                    i,
                    format!("ALTER TABLE {tq} ALTER COLUMN {cq} TYPE {ty} USING {cast}"),
                    reason.clone(),
                    hazards,
                );
                if let Some((col, d)) = target.and_then(|col| col.default.as_ref().map(|d| (col, d))) {
                    self.push(
                        Phase::Types,
                        i,
                        format!("ALTER TABLE {tq} ALTER COLUMN {cq} SET DEFAULT {}", default_text(col, d)),
                        reason.clone(),
                        vec![],
                    );
                }
            }
        }
        self.push(Phase::Types, i, format!("DROP TYPE {}", q(&old)), reason, vec![]);
    }
}

/// `CREATE VIEW` for a view as PostgreSQL holds it, and the statement recording which document query
/// produced it, each with its reason.
fn create_view_sql(view: &View) -> Vec<(String, String)> {
    let kind = if view.materialized { "MATERIALIZED VIEW" } else { "VIEW" };
    let name = q(&view.name);
    // NOTE: the server rewrites a view's query; the comment records which document query produced
    // the definition it holds now, so that inspection can tell.
    let record = format!(
        "DO $schemadoc$BEGIN EXECUTE {} || quote_literal({} || md5(pg_get_viewdef({}::regclass))); END$schemadoc$",
        lit(&format!("COMMENT ON {kind} {name} IS ")),
        lit(&format!("{VIEW_COMMENT_PREFIX}{}:", view_fingerprint(&view.sql))),
        lit(&name)
    );
    vec![
        (view.sql.clone(), format!("create view {}", view.name)),
        (record, format!("record the document query of view {}", view.name)),
    ]
}

/// Whether two tables have the same column names (a dropped table recreated under a new name).
fn same_columns(a: &Table, b: &Table) -> bool {
    a.columns.len() == b.columns.len() && a.columns.iter().zip(&b.columns).all(|(x, y)| name_eq(&x.name, &y.name))
}

fn create_enum(e: &Enum) -> String {
    let values: Vec<String> = e.values.iter().map(|v| lit(v)).collect();
    format!("CREATE TYPE {} AS ENUM ({})", q(&e.name), values.join(", "))
}

/// `CREATE FUNCTION` as `CREATE OR REPLACE FUNCTION`, so that a changed function is replaced in
/// place; other statements as written.
fn or_replace(sql: &str) -> String {
    let trimmed = strip_terminator(sql);
    let lower = trimmed.to_ascii_lowercase();
    for kind in ["function", "procedure"] {
        let plain = format!("create {kind}");
        if lower.starts_with(&plain) {
            return format!("CREATE OR REPLACE {}{}", kind.to_uppercase(), &trimmed[plain.len()..]);
        }
    }
    trimmed.to_string()
}

/// The argument list of a `CREATE FUNCTION` statement, without the parentheses.
fn signature(sql: &str) -> Option<String> {
    let open = sql.find('(')?;
    let mut depth = 0;
    for (i, c) in sql[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(sql[open + 1..open + i].to_string());
                }
            }
            _ => {}
        }
    }
    None
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default()
}

/// The name PostgreSQL gives an unnamed check: `<table>_<first column>_check`.
fn check_name(table: &str, check: &Check) -> String {
    check.name.clone().unwrap_or_else(|| match check.columns.first() {
        Some(c) => crate::common::shorten(&format!("{table}_{c}_check"), crate::common::MAX_NAME),
        None => crate::common::shorten(&format!("{table}_check"), crate::common::MAX_NAME),
    })
}

/// The name PostgreSQL gives an unnamed foreign key: `<table>_<columns>_fkey`.
fn fk_name(table: &str, fk: &ForeignKey) -> String {
    fk.name.clone().unwrap_or_else(|| {
        crate::common::shorten(&format!("{table}_{}_fkey", fk.columns.join("_")), crate::common::MAX_NAME)
    })
}

fn fk_clause(fk: &ForeignKey, target: &str) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(fk.name.as_deref()),
        cols(&fk.columns),
        target,
        cols(&fk.ref_columns)
    );
    if let Some(a) = fk.on_delete {
        s.push_str(&format!(" ON DELETE {}", a.as_sql()));
    }
    if let Some(a) = fk.on_update {
        s.push_str(&format!(" ON UPDATE {}", a.as_sql()));
    }
    s
}

/// The SQL type of a translated or inspected column: its spelling when that is a PostgreSQL
/// spelling of its type, else the mapping of its type.
fn sql_type(col: &Column) -> String {
    let kind = &col.ty.kind;
    let is_enum = |n: &str| {
        matches!(kind, TypeKind::Enum { name } if name_eq(name, n))
            || matches!(kind, TypeKind::Array { of } if matches!(&**of, TypeKind::Enum { name } if name_eq(name, n)))
    };
    let spelled = col.ty.spelling.trim();
    let valid = !spelled.is_empty() && spelled.chars().all(|c| c.is_ascii_alphanumeric() || " _(),.[]\"".contains(c));
    if valid && parse_type(spelled, &is_enum) == *kind {
        spelled.to_string()
    } else {
        map_type(kind).sql
    }
}

/// The default expression of a column.
fn default_text(col: &Column, d: &DefaultValue) -> String {
    default_sql(&col.ty.kind, d).map(|m| m.sql).unwrap_or_else(|_| match d {
        DefaultValue::Raw(r) => r.trim().to_string(),
        other => other.to_string(),
    })
}

/// A column definition in `CREATE TABLE` or `ADD COLUMN`.
fn column_sql(col: &Column, in_pk: bool) -> String {
    let mut ty = sql_type(col);
    let mut generated = "";
    match col.identity {
        Some(Identity::Serial) => {
            ty = match col.ty.kind {
                TypeKind::Int { bytes: 1 | 2 } => "smallserial",
                TypeKind::Int { bytes: 8 } => "bigserial",
                _ => "serial",
            }
            .to_string();
        }
        Some(Identity::Always) => generated = " GENERATED ALWAYS AS IDENTITY",
        Some(Identity::ByDefault | Identity::AutoIncrement) => generated = " GENERATED BY DEFAULT AS IDENTITY",
        None => {}
    }
    let mut def = format!("{} {}{}", q(&col.name), ty, generated);
    if let Some(g) = &col.generated {
        def.push_str(&format!(" GENERATED ALWAYS AS ({}) STORED", g.expr.trim()));
    }
    if !col.nullable || in_pk || col.identity.is_some() {
        def.push_str(" NOT NULL");
    }
    if let (Some(d), None, None) = (&col.default, col.identity, &col.generated) {
        def.push_str(&format!(" DEFAULT {}", default_text(col, d)));
    }
    def
}

/// How a column's type change is written (`USING`, when no assignment cast exists) and what it
/// risks, with probes on the live table `t`.
fn retype(t: &str, table: &str, from: &Column, to: &Column, zone: Option<&str>) -> (Option<String>, Vec<Hazard>) {
    let c = q(&from.name);
    let label = format!("{table}.{}", from.name);
    let ty = sql_type(to);
    let mut hazards = vec![Hazard::new(
        HazardKind::Rewrite,
        format!("{label} changes type: {table} may be rewritten under an ACCESS EXCLUSIVE lock"),
    )];
    let may_fail = |what: String, probe: String, counted: String| {
        Hazard::new(HazardKind::MayFail, what).counted(format!("SELECT count(*) FROM {t} WHERE {probe}"), counted)
    };
    let (a, b) = (&from.ty.kind, &to.ty.kind);
    let string = |k: &TypeKind| matches!(k, TypeKind::Text | TypeKind::Varchar { .. } | TypeKind::Char { .. });
    let int_range = |bytes: u8| match bytes {
        1 | 2 => Some((-32768i64, 32767i64)),
        4 => Some((-2147483648, 2147483647)),
        _ => None,
    };
    let mut using = None;
    match (a, b) {
        (_, TypeKind::Text) if string(a) => hazards.clear(),
        (_, TypeKind::Varchar { len: Some(n) } | TypeKind::Char { len: Some(n) }) if string(a) => {
            let wider = matches!(a, TypeKind::Varchar { len: Some(m) } | TypeKind::Char { len: Some(m) } if m <= n);
            if wider {
                hazards.clear();
            } else {
                // NOTE: without USING the assignment cast rejects values that are too long;
                // an explicit cast would silently cut them.
                hazards.push(may_fail(
                    format!("fails if values of {label} are longer than {n} characters"),
                    format!("length({c}) > {n}"),
                    format!("values in {label} longer than {n} characters"),
                ));
            }
        }
        (_, TypeKind::Varchar { len: None }) if string(a) => hazards.clear(),
        (TypeKind::Int { bytes: x }, TypeKind::Int { bytes: y }) => {
            if y < x {
                if let Some((lo, hi)) = int_range(*y) {
                    hazards.push(may_fail(
                        format!("fails if values of {label} do not fit {ty}"),
                        format!("{c} NOT BETWEEN {lo} AND {hi}"),
                        format!("values in {label} out of the range of {ty}"),
                    ));
                }
            }
        }
        (TypeKind::Decimal { precision: p1, scale: s1 }, TypeKind::Decimal { precision: p2, scale: s2 }) => {
            if let (Some(s2v), Some(p2v)) = (s2, p2) {
                let narrower = match (p1, s1) {
                    (Some(p1v), Some(s1v)) => p1v.saturating_sub(*s1v) > p2v.saturating_sub(*s2v),
                    _ => true,
                };
                if narrower {
                    let digits = p2v.saturating_sub(*s2v);
                    hazards.push(may_fail(
                        format!("fails if values of {label} need more than {digits} integer digits"),
                        format!("abs({c}) >= 1e{digits}"),
                        format!("values in {label} too large for {ty}"),
                    ));
                }
            }
        }
        (TypeKind::Decimal { .. } | TypeKind::Float { .. }, TypeKind::Int { bytes }) => {
            if let Some((lo, hi)) = int_range(*bytes) {
                hazards.push(may_fail(
                    format!("fails if values of {label} do not fit {ty}"),
                    format!("{c} NOT BETWEEN {lo} AND {hi}"),
                    format!("values in {label} out of the range of {ty}"),
                ));
            }
        }
        (TypeKind::Int { .. } | TypeKind::Float { .. }, TypeKind::Decimal { .. }) => {}
        (TypeKind::Int { .. } | TypeKind::Decimal { .. } | TypeKind::Float { .. }, TypeKind::Float { .. }) => {}
        (TypeKind::Timestamp { .. } | TypeKind::Date, TypeKind::Timestamp { .. } | TypeKind::Date) => {}
        (TypeKind::Json, TypeKind::Jsonb) | (TypeKind::Jsonb, TypeKind::Json) => using = Some(format!("{c}::{ty}")),
        (_, TypeKind::Uuid) if string(a) => {
            using = Some(format!("{c}::uuid"));
            hazards.push(may_fail(
                format!("fails if values of {label} are not UUIDs"),
                format!(
                    "{c} !~* '^\\{{?[0-9a-f]{{8}}-?[0-9a-f]{{4}}-?[0-9a-f]{{4}}-?[0-9a-f]{{4}}-?[0-9a-f]{{12}}\\}}?$'"
                ),
                format!("values in {label} that are not UUIDs"),
            ));
        }
        (_, TypeKind::Int { .. }) if string(a) => {
            using = Some(format!("trim({c})::{ty}"));
            hazards.push(may_fail(
                format!("fails if values of {label} are not integers"),
                format!("trim({c}) !~ '^[-+]?[0-9]+$'"),
                format!("values in {label} that are not integers"),
            ));
        }
        (_, TypeKind::Enum { name }) => {
            using = Some(format!("{c}::text::{}", q(name)));
            hazards
                .push(Hazard::new(HazardKind::MayFail, format!("fails if values of {label} are not values of {name}")));
        }
        (_, k) if string(k) => {}
        _ => {
            using = Some(format!("{c}::{ty}"));
            hazards
                .push(Hazard::new(HazardKind::MayFail, format!("fails if values of {label} cannot be read as {ty}")));
        }
    }
    for effect in conversion::effects(a, b, 6) {
        let condition = changed(effect, &c, a, b);
        hazards.push(effect.hazard(t, &label, &ty, zone, condition));
    }
    if !hazards.is_empty() && !hazards.iter().any(|h| h.kind == HazardKind::Locks) {
        hazards.push(Hazard::new(
            HazardKind::Locks,
            format!("{table} is locked (ACCESS EXCLUSIVE) while the column changes"),
        ));
    }
    (using, hazards)
}

/// The condition that tells a value of column `c` that `effect` changes (going from `from` to `to`);
/// `None` when PostgreSQL cannot tell it exactly.
// NOTE: conversions that would fail are guarded (CASE … ELSE false), so that counting never
// raises the error the statement itself would (those rows are counted as `MayFail`).
fn changed(effect: Effect, c: &str, from: &TypeKind, to: &TypeKind) -> Option<String> {
    let number = "'^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]+)?$'";
    Some(match effect {
        Effect::Scale { scale } => format!("{c} <> round({c}::numeric, {scale})"),
        Effect::Fraction => format!("{c} <> trunc({c})"),
        Effect::Mantissa { bits } => inexact_in_float(c, bits),
        Effect::FloatPrecision => match (from, to) {
            (TypeKind::Float { .. }, _) => format!("CASE WHEN abs({c}) > 3.4e38 THEN false ELSE {c}::real <> {c} END"),
            (_, TypeKind::Float { bytes }) if *bytes <= 4 => {
                format!("CASE WHEN abs({c}) > 3.4e38 THEN false ELSE {c}::real::numeric <> {c} END")
            }
            _ => format!("{c}::double precision::numeric <> {c}"),
        },
        Effect::TimeOfDay => format!("{c}::date <> {c}"),
        Effect::SubSecond { precision } => match from {
            TypeKind::Timestamp { tz: true, .. } => format!("{c}::timestamptz({precision}) <> {c}"),
            _ => format!("{c}::timestamp({precision}) <> {c}"),
        },
        Effect::ZoneInterpretation => format!("{c}::timestamptz::timestamp <> {c}"),
        Effect::ZoneDropped => format!("{c}::timestamp::timestamptz <> {c}"),
        Effect::TextToNumber => match to {
            TypeKind::Int { .. } => {
                format!("CASE WHEN trim({c}) ~ '^[-+]?[0-9]+$' THEN trim({c})::numeric::text <> {c} ELSE false END")
            }
            TypeKind::Decimal { scale: Some(s), .. } => format!(
                "CASE WHEN trim({c}) ~ {number} THEN trim({c})::numeric::text <> {c} \
                 OR trim({c})::numeric <> round(trim({c})::numeric, {s}) ELSE false END"
            ),
            _ => format!("CASE WHEN trim({c}) ~ {number} THEN trim({c})::numeric::text <> {c} ELSE false END"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::super::normalize::PgHooks;
    use super::*;
    use diff::Renames;
    use model::{DataType, Notation, Origin, PrimaryKey};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::Sql)
    }

    fn col(name: &str, kind: TypeKind) -> Column {
        let spelling = map_type(&kind).sql;
        Column::new(name, DataType::new(kind, spelling), origin())
    }

    fn table(name: &str, columns: Vec<Column>) -> Table {
        let mut t = Table::new(name, origin());
        t.columns = columns;
        t.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: origin() });
        t
    }

    fn plan_between(from: &Schema, to: &Schema, options: &PlanOptions) -> Plan {
        let changes = diff::diff(from, to, &PgHooks, &Renames::default());
        plan(&changes, from, to, options)
    }

    fn schema(tables: Vec<Table>) -> Schema {
        Schema { tables, ..Schema::default() }
    }

    #[test]
    fn a_check_on_a_populated_table_is_added_not_valid_then_validated() {
        let from =
            schema(vec![table("t", vec![col("id", TypeKind::Int { bytes: 4 }), col("n", TypeKind::Int { bytes: 4 })])]);
        let mut to = from.clone();
        to.tables[0].checks.push(Check {
            name: None,
            expr: "n > 0".into(),
            columns: vec!["n".into()],
            origin: origin(),
        });
        let p = plan_between(&from, &to, &PlanOptions::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "ALTER TABLE \"t\" ADD CONSTRAINT \"t_n_check\" CHECK (n > 0) NOT VALID",
                "ALTER TABLE \"t\" VALIDATE CONSTRAINT \"t_n_check\""
            ]
        );
        let probe = p.statements[0].hazards.iter().find_map(|h| h.probe.clone());
        assert_eq!(probe.as_deref(), Some("SELECT count(*) FROM \"t\" WHERE NOT (n > 0)"));
        // An empty table gets the plain constraint.
        let empty = PlanOptions { empty_tables: vec!["t".into()], ..PlanOptions::default() };
        let p = plan_between(&from, &to, &empty);
        assert_eq!(p.statements.len(), 1);
        assert!(p.statements[0].hazards.is_empty());
    }

    #[test]
    fn foreign_keys_follow_both_tables_and_validate_separately() {
        let parent = table("parent", vec![col("id", TypeKind::Int { bytes: 4 })]);
        let child =
            table("child", vec![col("id", TypeKind::Int { bytes: 4 }), col("parent_id", TypeKind::Int { bytes: 4 })]);
        let from = schema(vec![parent.clone(), child.clone()]);
        let mut to = from.clone();
        to.tables[1].foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["parent_id".into()],
            ref_table: "parent".into(),
            ref_columns: vec!["id".into()],
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: origin(),
        });
        let p = plan_between(&from, &to, &PlanOptions::default());
        assert_eq!(p.statements.len(), 2);
        assert!(p.statements[0].sql.ends_with("NOT VALID"), "{}", p.statements[0].sql);
        assert!(p.statements[0].sql.contains("CONSTRAINT \"child_parent_id_fkey\""));
        assert!(p.statements[0].hazards.iter().any(|h| h.kind == HazardKind::MayFail && h.probe.is_some()));
        assert_eq!(p.statements[1].sql, "ALTER TABLE \"child\" VALIDATE CONSTRAINT \"child_parent_id_fkey\"");
    }

    #[test]
    fn dropping_a_column_counts_what_is_lost() {
        let from =
            schema(vec![table("t", vec![col("id", TypeKind::Int { bytes: 4 }), col("audio_url", TypeKind::Text)])]);
        let to = schema(vec![table("t", vec![col("id", TypeKind::Int { bytes: 4 })])]);
        let p = plan_between(&from, &to, &PlanOptions::default());
        let h = &p.statements[0].hazards[0];
        assert_eq!(h.kind, HazardKind::Drop);
        assert_eq!(h.probe.as_deref(), Some("SELECT count(*) FROM \"t\" WHERE \"audio_url\" IS NOT NULL"));
        assert_eq!(h.probe_label.as_deref(), Some("non-null values in t.audio_url"));
    }

    #[test]
    fn narrowing_a_varchar_may_fail_with_a_probe_and_widening_is_free() {
        let from = schema(vec![table(
            "t",
            vec![col("id", TypeKind::Int { bytes: 4 }), col("s", TypeKind::Varchar { len: Some(50) })],
        )]);
        let mut to = from.clone();
        to.tables[0].columns[1] = col("s", TypeKind::Varchar { len: Some(10) });
        let p = plan_between(&from, &to, &PlanOptions::default());
        assert_eq!(p.statements[0].sql, "ALTER TABLE \"t\" ALTER COLUMN \"s\" TYPE varchar(10)");
        assert!(p.statements[0].hazards.iter().any(|h| h.kind == HazardKind::MayFail
            && h.probe.as_deref() == Some("SELECT count(*) FROM \"t\" WHERE length(\"s\") > 10")));
        to.tables[0].columns[1] = col("s", TypeKind::Varchar { len: Some(100) });
        let p = plan_between(&from, &to, &PlanOptions::default());
        assert!(p.statements[0].hazards.is_empty(), "{:?}", p.statements[0].hazards);
        to.tables[0].columns[1] = col("s", TypeKind::Uuid);
        let p = plan_between(&from, &to, &PlanOptions::default());
        assert_eq!(p.statements[0].sql, "ALTER TABLE \"t\" ALTER COLUMN \"s\" TYPE uuid USING \"s\"::uuid");
    }

    #[test]
    fn online_indexes_are_built_concurrently_after_the_transaction() {
        let from =
            schema(vec![table("t", vec![col("id", TypeKind::Int { bytes: 4 }), col("n", TypeKind::Int { bytes: 4 })])]);
        let mut to = from.clone();
        to.indexes.push(Index {
            name: Some("t_n_idx".into()),
            table: "t".into(),
            parts: vec![model::IndexPart::column("n")],
            unique: false,
            method: None,
            predicate: None,
            include: vec![],
            origin: origin(),
        });
        to.tables[0].comment = Some("x".into());
        let p = plan_between(&from, &to, &PlanOptions { online: true, ..PlanOptions::default() });
        let last = p.statements.last().expect("statements");
        assert_eq!(last.sql, "CREATE INDEX CONCURRENTLY \"t_n_idx\" ON \"t\" (\"n\")");
        assert!(!last.transactional);
        assert!(p.statements[..p.statements.len() - 1].iter().all(|s| s.transactional));
    }

    #[test]
    fn a_replaced_function_is_not_dropped_and_signatures_are_read() {
        assert_eq!(
            signature("CREATE FUNCTION public.f(a integer, b text)\n RETURNS int").as_deref(),
            Some("a integer, b text")
        );
        assert_eq!(
            or_replace("create function f() returns int as $$ select 1 $$ language sql;"),
            "CREATE OR REPLACE FUNCTION f() returns int as $$ select 1 $$ language sql"
        );
    }

    #[test]
    fn generated_columns_are_stored_and_a_changed_expression_is_dropped_and_added() {
        let mut total = col("total", TypeKind::Int { bytes: 8 });
        total.generated = Some(model::Generated { expr: "id * 2".into(), stored: false });
        total.default = Some(DefaultValue::Number("1".into()));
        let doc = schema(vec![table("items", vec![col("id", TypeKind::Int { bytes: 8 }), total])]);
        let t = translate(&doc);
        assert!(t.notes.iter().any(|n| n.note.contains("STORED")), "{:?}", t.notes);
        assert!(t.skipped.iter().any(|s| s.object.starts_with("default 1 of items.total")), "{:?}", t.skipped);
        let created = plan_between(&Schema::default(), &t.schema, &PlanOptions::default());
        let sql = &created.statements[0].sql;
        assert!(sql.contains("\"total\" bigint GENERATED ALWAYS AS (id * 2) STORED,"), "{sql}");
        assert!(!sql.contains("DEFAULT"), "{sql}");

        let mut changed = t.schema.clone();
        if let Some(g) = &mut changed.tables[0].columns[1].generated {
            g.expr = "id * 3".into();
        }
        let p = plan_between(&t.schema, &changed, &PlanOptions::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "ALTER TABLE \"items\" DROP COLUMN \"total\"",
                "ALTER TABLE \"items\" ADD COLUMN \"total\" bigint GENERATED ALWAYS AS (id * 3) STORED"
            ]
        );
        assert_eq!(p.destructive().count(), 0);
        assert!(p.statements[0].hazards.iter().any(|h| h.kind == HazardKind::Rewrite));

        // Back to an ordinary column: the computed values stay.
        let mut plain = t.schema.clone();
        plain.tables[0].columns[1].generated = None;
        let p = plan_between(&t.schema, &plain, &PlanOptions::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["ALTER TABLE \"items\" ALTER COLUMN \"total\" DROP EXPRESSION"]);
    }
}
