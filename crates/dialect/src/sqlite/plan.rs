//! Translating a document for SQLite and planning changes: native `ALTER TABLE` where SQLite has
//! one, the documented twelve-step table rebuild everywhere else.

use super::normalize::stored_create;
use super::types::{
    affinity, declared_kind, declared_type, default_sql, default_text, foreign, is_constant_default, map_type,
    parse_default,
};
use crate::common::{
    created_tables, is_postgres_routine, prepare_flat, quote_with, string_literal, strip_terminator, view_body,
    view_order, Order, Out, Prepared,
};
use crate::conversion::{inexact_in_float, Effect};
use crate::migrate::{Hazard, HazardKind, Plan, PlanOptions, PlannedStatement, Translated};
use diff::{Change, ChangeSet};
use model::{
    name_eq, name_key, Check, Column, DataType, DefaultValue, Generated, Identity, Index, IndexPart, Routine,
    RoutineKind, Schema, Table, TableOptions, TypeKind, View,
};
use std::collections::{BTreeMap, BTreeSet};

fn q(name: &str) -> String {
    quote_with(name, '"')
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default()
}

/// The prefix of the table a rebuild creates before it takes the old table's place.
pub(super) const REBUILD_PREFIX: &str = "_schemadoc_new_";

// ---------------------------------------------------------------------------------------------
// Translation

/// The column that becomes `INTEGER PRIMARY KEY AUTOINCREMENT`: the single integer primary-key
/// column, when it is generated (never in a `WITHOUT ROWID` table, which has no rowid to count).
fn autoincrement_column(table: &Table) -> Option<&Column> {
    if table.options.without_rowid {
        return None;
    }
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else { return None };
    table.column(only).filter(|c| c.identity.is_some() && matches!(c.ty.kind, TypeKind::Int { .. }))
}

/// The document's schema as SQLite holds it.
pub(super) fn translate(schema: &Schema) -> Translated {
    let Prepared { schema: mut s, mut out } = prepare_flat(schema, "SQLite");
    crate::common::skip_mysql_charsets(&mut s, "SQLite", &mut out);
    for e in &s.extensions {
        out.skip(format!("extension {}", e.name), "SQLite has no extensions", &e.origin);
    }
    let order = Order::new(&s);
    let mut tables: Vec<Option<Table>> = vec![None; s.tables.len()];
    for &i in &order.tables {
        tables[i] = translate_table(&s, &s.tables[i], &mut out);
    }
    let tables: Vec<Table> = tables.into_iter().flatten().collect();
    let mut indexes = Vec::new();
    for index in &s.indexes {
        if let Some(table) = tables.iter().find(|t| name_eq(&t.name, &index.table)) {
            if let Some(ix) = translate_index(table, index, &mut out) {
                indexes.push(ix);
            }
        }
    }
    let views = translate_views(&s, &mut out);
    let routines = translate_routines(&s, &tables, &mut out);
    Translated {
        schema: Schema { tables, indexes, enums: Vec::new(), extensions: Vec::new(), views, routines, ..s },
        skipped: out.tr.skipped,
        notes: out.tr.notes,
    }
}

fn translate_table(s: &Schema, table: &Table, out: &mut Out) -> Option<Table> {
    if table.columns.is_empty() {
        out.skip(format!("table {}", table.name), "SQLite needs at least one column", &table.origin);
        return None;
    }
    let mut t = table.clone();
    t.namespace = None;
    t.checks.clear();
    if t.options.without_rowid && t.primary_key.is_none() {
        out.skip(
            format!("WITHOUT ROWID of table {}", table.name),
            "a WITHOUT ROWID table needs a PRIMARY KEY, and this one has none",
            &table.origin,
        );
        t.options.without_rowid = false;
    }
    let auto = autoincrement_column(&t).map(|c| name_key(&c.name));
    for col in &mut t.columns {
        let object = format!("column {}.{}", table.name, col.name);
        let original = col.ty.kind.clone();
        let mapped = map_type(&original);
        if let Some(note) = &mapped.note {
            out.note(&object, note, &col.origin);
        }
        col.ty = DataType::new(declared_kind(&mapped.sql), mapped.sql.clone());
        if t.options.strict && !STRICT_TYPES.contains(&mapped.sql.to_ascii_uppercase().as_str()) {
            let strict = strict_type(&mapped.sql);
            out.note(
                &object,
                format!(
                    "a STRICT table allows only INT, INTEGER, REAL, TEXT, BLOB and ANY: `{}` is declared {strict}",
                    mapped.sql
                ),
                &col.origin,
            );
            col.ty = DataType::new(declared_kind(strict), strict);
        }
        let is_auto = auto.as_deref() == Some(name_key(&col.name).as_str());
        if is_auto {
            col.identity = Some(Identity::AutoIncrement);
        } else if col.identity.take().is_some() {
            let reason = if t.options.without_rowid {
                "SQLite generates values only for the INTEGER PRIMARY KEY of a rowid table, and this table is WITHOUT ROWID"
            } else {
                "SQLite generates values only for a single-column INTEGER PRIMARY KEY"
            };
            out.skip(format!("identity of {}.{}", table.name, col.name), reason, &col.origin);
        }
        if let Some(default) = col.default.take() {
            let object = format!("default of {}.{}", table.name, col.name);
            if is_auto {
                out.skip(object, "the column is generated (AUTOINCREMENT)", &col.origin);
            } else {
                match default_sql(&original, &default) {
                    Ok(m) => {
                        if let Some(note) = &m.note {
                            out.note(&object, note, &col.origin);
                        }
                        col.default = Some(parse_default(&m.sql));
                    }
                    Err(reason) => out.skip(object, reason, &col.origin),
                }
            }
        }
        if let Some(on_update) = col.on_update.take() {
            out.skip(
                format!("ON UPDATE {} of {}.{}", on_update, table.name, col.name),
                "SQLite has no ON UPDATE clause for columns; a trigger is needed",
                &col.origin,
            );
        }
        if let Some(found) = col.generated.as_ref().and_then(|g| foreign(&g.expr)) {
            out.skip(
                format!("generated expression of {}.{}", table.name, col.name),
                format!("uses `{}`, which SQLite does not have; the column is an ordinary one", found.trim()),
                &col.origin,
            );
            col.generated = None;
        }
    }
    for col in &table.columns {
        // NOTE: SQLite has no enum type; a CHECK keeps the column to the enum's values.
        if let TypeKind::Enum { name } = &col.ty.kind {
            if let Some(e) = s.enum_named(name) {
                let values: Vec<String> = e.values.iter().map(|v| string_literal(v, false)).collect();
                t.checks.push(Check {
                    name: None,
                    expr: format!("{} IN ({})", q(&col.name), values.join(", ")),
                    columns: vec![col.name.clone()],
                    origin: col.origin.clone(),
                });
            }
        }
    }
    for c in &table.checks {
        if let Some(found) = foreign(&c.expr) {
            out.skip(
                format!("check {} on {}", c.name.as_deref().unwrap_or(&c.expr), table.name),
                format!("uses `{}`, which SQLite does not have", found.trim()),
                &c.origin,
            );
            continue;
        }
        t.checks.push(Check { expr: c.expr.trim().to_string(), ..c.clone() });
    }
    Some(t)
}

fn translate_index(table: &Table, index: &Index, out: &mut Out) -> Option<Index> {
    let name = index.name.clone().unwrap_or_default();
    let object = format!("index {name} on {}", table.name);
    if let Some(m) = index.method.as_deref().filter(|m| !m.trim().eq_ignore_ascii_case("btree")) {
        out.skip(object, format!("SQLite has only b-tree indexes, not {m}"), &index.origin);
        return None;
    }
    let mut parts = Vec::new();
    for p in &index.parts {
        match (&p.column, &p.expr) {
            (Some(c), _) => parts.push(IndexPart { column: Some(c.clone()), expr: None, opclass: None, ..p.clone() }),
            (None, Some(e)) => {
                if let Some(found) = foreign(e) {
                    out.skip(
                        object,
                        format!("expression `{e}` uses `{}`, which SQLite does not have", found.trim()),
                        &index.origin,
                    );
                    return None;
                }
                parts.push(IndexPart { column: None, expr: Some(e.trim().to_string()), opclass: None, ..p.clone() });
            }
            (None, None) => continue,
        }
        if let Some(op) = &p.opclass {
            out.skip(
                format!("operator class {op} of index {name}"),
                "SQLite has no operator classes; the index uses the default ordering",
                &index.origin,
            );
        }
    }
    if !index.include.is_empty() {
        out.skip(
            format!("INCLUDE ({}) of index {name}", index.include.join(", ")),
            "SQLite has no INCLUDE columns; the index keeps only its key columns",
            &index.origin,
        );
    }
    if let Some(pred) = &index.predicate {
        if let Some(found) = foreign(pred) {
            out.skip(
                object,
                format!("predicate `{pred}` uses `{}`, which SQLite does not have", found.trim()),
                &index.origin,
            );
            return None;
        }
    }
    Some(Index {
        parts,
        method: None,
        include: Vec::new(),
        predicate: index.predicate.as_ref().map(|p| p.trim().to_string()),
        ..index.clone()
    })
}

fn translate_views(s: &Schema, out: &mut Out) -> Vec<View> {
    let view_keys: BTreeSet<String> = s.views.iter().map(|v| name_key(&v.name)).collect();
    let mut views = Vec::new();
    for i in view_order(s) {
        let view = &s.views[i];
        let object = format!("view {}", view.name);
        if view.materialized {
            out.skip(object, "SQLite has no materialized views", &view.origin);
            continue;
        }
        if let Some(missing) = view.tables.iter().find(|t| s.table(t).is_none() && !view_keys.contains(&name_key(t))) {
            out.skip(object, format!("reads {missing}, which is not defined"), &view.origin);
            continue;
        }
        let Some(body) = view_body(&view.sql) else {
            out.skip(object, "not a CREATE VIEW statement", &view.origin);
            continue;
        };
        if let Some(found) = foreign(body) {
            out.skip(object, format!("uses `{}`, which SQLite does not have", found.trim()), &view.origin);
            continue;
        }
        views.push(View { sql: format!("CREATE VIEW {body}"), ..view.clone() });
    }
    // Keep the document's order: the plan orders views itself.
    views.sort_by_key(|v| s.views.iter().position(|x| name_eq(&x.name, &v.name)));
    views
}

fn translate_routines(s: &Schema, tables: &[Table], out: &mut Out) -> Vec<Routine> {
    let mut routines = Vec::new();
    for r in &s.routines {
        match r.kind {
            RoutineKind::Function | RoutineKind::Procedure => {
                let kind = if r.kind == RoutineKind::Function { "function" } else { "procedure" };
                out.skip(format!("{kind} {}", r.name), "SQLite has no stored functions or procedures", &r.origin);
            }
            RoutineKind::Trigger => {
                let object = format!("trigger {}", r.name);
                if is_postgres_routine(&r.sql) {
                    out.skip(
                        object,
                        "it executes a PostgreSQL function; SQLite triggers hold their statements inline",
                        &r.origin,
                    );
                } else if let Some(t) = r.table.as_deref().filter(|t| !tables.iter().any(|x| name_eq(&x.name, t))) {
                    out.skip(object, format!("its table {t} is not defined"), &r.origin);
                } else if let Some(found) = foreign(&r.sql) {
                    out.skip(object, format!("uses `{}`, which SQLite does not have", found.trim()), &r.origin);
                } else {
                    routines.push(Routine { sql: stored_create(&r.sql), ..r.clone() });
                }
            }
        }
    }
    routines
}

// ---------------------------------------------------------------------------------------------
// Writing SQL

/// The declared types a `STRICT` table allows.
const STRICT_TYPES: &[&str] = &["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"];

/// The type a `STRICT` table declares for a column SQLite would declare `decl`: the one of its
/// affinity, `ANY` for NUMERIC (which keeps integers and reals as given).
fn strict_type(decl: &str) -> &'static str {
    match affinity(decl) {
        "NUMERIC" => "ANY",
        a => a,
    }
}

/// The `CREATE TABLE` suffix of a table's options (`STRICT, WITHOUT ROWID`), empty for none.
fn options_suffix(options: &TableOptions) -> String {
    let mut parts = Vec::new();
    if options.strict {
        parts.push("STRICT");
    }
    if options.without_rowid {
        parts.push("WITHOUT ROWID");
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(", "))
    }
}

/// `CREATE TABLE` for `table` under the name `name`.
fn create_table_sql(table: &Table, name: &str) -> String {
    let auto = autoincrement_column(table).map(|c| name_key(&c.name));
    let pk: Vec<String> = table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
    let mut lines = Vec::new();
    for col in &table.columns {
        let key = name_key(&col.name);
        let is_auto = auto.as_deref() == Some(key.as_str());
        let mut def = if is_auto {
            format!("{} INTEGER PRIMARY KEY AUTOINCREMENT", q(&col.name))
        } else {
            format!("{} {}", q(&col.name), declared_type(&col.ty))
        };
        if let Some(g) = col.generated.as_ref().filter(|_| !is_auto) {
            def.push_str(&generated_clause(g));
        }
        if !is_auto && (!col.nullable || pk.contains(&key)) {
            def.push_str(" NOT NULL");
        }
        if let Some(text) = col
            .default
            .as_ref()
            .filter(|_| !is_auto && col.generated.is_none())
            .and_then(|d| default_text(&col.ty.kind, d))
        {
            def.push_str(&format!(" DEFAULT {text}"));
        }
        lines.push(def);
    }
    if let Some(pk) = table.primary_key.as_ref().filter(|_| auto.is_none()) {
        lines.push(format!("{}PRIMARY KEY ({})", constraint_name(pk.name.as_deref()), cols(&pk.columns)));
    }
    for u in &table.uniques {
        lines.push(format!("{}UNIQUE ({})", constraint_name(u.name.as_deref()), cols(&u.columns)));
    }
    for c in &table.checks {
        lines.push(format!("{}CHECK ({})", constraint_name(c.name.as_deref()), c.expr.trim()));
    }
    for fk in &table.foreign_keys {
        let mut clause = format!(
            "{}FOREIGN KEY ({}) REFERENCES {} ({})",
            constraint_name(fk.name.as_deref()),
            cols(&fk.columns),
            q(&fk.ref_table),
            cols(&fk.ref_columns)
        );
        if let Some(a) = fk.on_delete {
            clause.push_str(&format!(" ON DELETE {}", a.as_sql()));
        }
        if let Some(a) = fk.on_update {
            clause.push_str(&format!(" ON UPDATE {}", a.as_sql()));
        }
        lines.push(clause);
    }
    format!("CREATE TABLE {} (\n  {}\n){}", q(name), lines.join(",\n  "), options_suffix(&table.options))
}

fn create_index_sql(index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .filter_map(|p| {
            let mut part = match (&p.column, &p.expr) {
                (Some(c), _) => q(c),
                (None, Some(e)) => format!("({})", e.trim()),
                (None, None) => return None,
            };
            if p.descending {
                part.push_str(" DESC");
            }
            Some(part)
        })
        .collect();
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        q(index.name.as_deref().unwrap_or_default()),
        q(&index.table),
        parts.join(", ")
    );
    if let Some(pred) = &index.predicate {
        sql.push_str(&format!(" WHERE {}", pred.trim()));
    }
    sql
}

/// ` GENERATED ALWAYS AS (expr) STORED|VIRTUAL`.
fn generated_clause(g: &Generated) -> String {
    format!(" GENERATED ALWAYS AS ({}) {}", g.expr.trim(), if g.stored { "STORED" } else { "VIRTUAL" })
}

fn column_sql(col: &Column) -> String {
    let mut def = format!("{} {}", q(&col.name), declared_type(&col.ty));
    if let Some(g) = &col.generated {
        def.push_str(&generated_clause(g));
    }
    if !col.nullable {
        def.push_str(" NOT NULL");
    }
    if let Some(text) =
        col.default.as_ref().filter(|_| col.generated.is_none()).and_then(|d| default_text(&col.ty.kind, d))
    {
        def.push_str(&format!(" DEFAULT {text}"));
    }
    def
}

fn view_sql(view: &View) -> String {
    match view_body(&view.sql) {
        Some(body) => format!("CREATE VIEW {body}"),
        None => strip_terminator(&view.sql).to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Planning

/// A plan being built.
struct Builder<'a> {
    plan: Plan,
    options: &'a PlanOptions,
    /// Tables the plan creates: they hold no rows.
    created: BTreeSet<String>,
}

impl Builder<'_> {
    fn push(&mut self, sql: String, reason: String, hazards: Vec<Hazard>, change: usize) {
        self.plan.statements.push(PlannedStatement { sql, reason, hazards, transactional: true, change });
    }

    /// Whether `table` may hold rows that a constraint would reject.
    fn populated(&self, table: &str) -> bool {
        let key = name_key(table);
        !self.created.contains(&key) && !self.options.empty_tables.iter().any(|t| name_key(t) == key)
    }
}

/// The reason of a change, naming the table of an index or trigger too.
fn reason(change: &Change) -> String {
    match change {
        Change::CreateIndex { index } | Change::DropIndex { index } => {
            format!("{} on {}", change.describe(), index.table)
        }
        Change::CreateRoutine { routine } | Change::DropRoutine { routine } => match &routine.table {
            Some(t) => format!("{} on {t}", change.describe()),
            None => change.describe(),
        },
        _ => change.describe(),
    }
}

/// Whether `sql` mentions `name` as a word (quoted or not), outside string literals.
fn mentions(sql: &str, name: &str) -> bool {
    let key = name_key(name);
    super::inspect::words(sql).iter().any(|w| name_key(w) == key)
}

/// Changes to one existing table, by index into the change set.
#[derive(Default)]
struct TableChanges {
    renames: Vec<usize>,
    others: Vec<usize>,
}

/// Statements carrying out `changes` on SQLite.
pub(super) fn plan(changes: &ChangeSet, from: &Schema, to: &Schema, options: &PlanOptions) -> Plan {
    let list = &changes.changes;
    let mut b = Builder { plan: Plan::default(), options, created: created_tables(changes) };
    // Old name of each renamed table, by new name key.
    let old_name: BTreeMap<String, String> = list
        .iter()
        .filter_map(|c| match c {
            Change::RenameTable { from, to } => Some((name_key(to), from.clone())),
            _ => None,
        })
        .collect();
    let live_name = |t: &str| old_name.get(&name_key(t)).cloned().unwrap_or_else(|| t.to_string());

    // Changes of existing tables, in change order per table (tables in first-change order).
    let mut per_table: Vec<(String, TableChanges)> = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let table = match c {
            Change::RenameColumn { table, .. }
            | Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::SetPrimaryKey { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::SetTableOptions { table, .. } => table,
            _ => continue,
        };
        let pos = match per_table.iter().position(|(t, _)| name_eq(t, table)) {
            Some(p) => p,
            None => {
                per_table.push((table.clone(), TableChanges::default()));
                per_table.len() - 1
            }
        };
        if matches!(c, Change::RenameColumn { .. }) {
            per_table[pos].1.renames.push(i);
        } else {
            per_table[pos].1.others.push(i);
        }
    }
    let dropped_indexes: Vec<&Index> = list
        .iter()
        .filter_map(|c| match c {
            Change::DropIndex { index } => Some(index),
            _ => None,
        })
        .collect();
    let rebuilt: Vec<&str> = per_table
        .iter()
        .filter(|(t, tc)| {
            let live = from.table(&live_name(t));
            tc.others.iter().any(|&i| needs_rebuild(&list[i], live, to.table(t), from, &dropped_indexes))
        })
        .map(|(t, _)| t.as_str())
        .collect();

    // Views and triggers that read a rebuilt table must go while it is replaced (SQLite checks
    // every view and trigger when the new table is renamed), and come back after.
    let (dep_views, dep_triggers) = dependents(from, &rebuilt.iter().map(|t| live_name(t)).collect::<Vec<_>>());

    // 1. Triggers and views that go.
    let mut dropped_triggers = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        if let Change::DropRoutine { routine } = c {
            if routine.kind == RoutineKind::Trigger && dropped_triggers.insert(name_key(&routine.name)) {
                b.push(format!("DROP TRIGGER {}", q(&routine.name)), reason(c), vec![], i);
            }
        }
    }
    for r in &dep_triggers {
        if dropped_triggers.insert(name_key(&r.name)) {
            let why = format!("drop trigger {} while its tables are rebuilt", r.name);
            b.push(format!("DROP TRIGGER {}", q(&r.name)), why, vec![], first_rebuild_change(list, &rebuilt));
        }
    }
    let mut dropped_views = BTreeSet::new();
    let view_drops: Vec<(usize, &View, String)> = list
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::DropView { view } => Some((i, view, reason(c))),
            _ => None,
        })
        .chain(dep_views.iter().map(|v| {
            (first_rebuild_change(list, &rebuilt), *v, format!("drop view {} while its tables are rebuilt", v.name))
        }))
        .collect();
    // Views that read other views go first.
    for i in view_order(from).into_iter().rev() {
        let v = &from.views[i];
        if let Some((change, view, why)) = view_drops.iter().find(|(_, x, _)| name_eq(&x.name, &v.name)) {
            if dropped_views.insert(name_key(&view.name)) {
                b.push(format!("DROP VIEW {}", q(&view.name)), why.clone(), vec![], *change);
            }
        }
    }
    for (change, view, why) in &view_drops {
        if dropped_views.insert(name_key(&view.name)) {
            b.push(format!("DROP VIEW {}", q(&view.name)), why.clone(), vec![], *change);
        }
    }

    // 2. Indexes that go, renamed tables, new tables.
    for (i, c) in list.iter().enumerate() {
        if let Change::DropIndex { index } = c {
            b.push(format!("DROP INDEX {}", q(index.name.as_deref().unwrap_or_default())), reason(c), vec![], i);
        }
    }
    for (i, c) in list.iter().enumerate() {
        if let Change::RenameTable { from, to } = c {
            b.push(format!("ALTER TABLE {} RENAME TO {}", q(from), q(to)), reason(c), vec![], i);
        }
    }
    let creates: BTreeMap<String, usize> = list
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::CreateTable { table } => Some((name_key(&table.name), i)),
            _ => None,
        })
        .collect();
    for &t in &Order::new(to).tables {
        if let Some(&i) = creates.get(&name_key(&to.tables[t].name)) {
            if let Change::CreateTable { table } = &list[i] {
                b.push(create_table_sql(table, &table.name), reason(&list[i]), vec![], i);
            }
        }
    }

    // 3. Existing tables: renamed columns, then native ALTERs or a rebuild.
    let created_indexes: Vec<&Index> = list
        .iter()
        .filter_map(|c| match c {
            Change::CreateIndex { index } => Some(index),
            _ => None,
        })
        .collect();
    for (table, tc) in &per_table {
        for &i in &tc.renames {
            if let Change::RenameColumn { table, from, to } = &list[i] {
                let sql = format!("ALTER TABLE {} RENAME COLUMN {} TO {}", q(table), q(from), q(to));
                b.push(sql, reason(&list[i]), vec![], i);
            }
        }
        let (Some(live), Some(target)) = (from.table(&live_name(table)), to.table(table)) else { continue };
        if rebuilt.iter().any(|r| name_eq(r, table)) {
            rebuild(&mut b, changes, tc, live, target, to, &created_indexes);
        } else {
            for &i in &tc.others {
                native(&mut b, changes, i, live);
            }
        }
    }

    // 4. Tables that go, children first.
    let drops: BTreeMap<String, usize> = list
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::DropTable { table } => Some((name_key(&table.name), i)),
            _ => None,
        })
        .collect();
    for &t in Order::new(from).tables.iter().rev() {
        if let Some(&i) = drops.get(&name_key(&from.tables[t].name)) {
            if let Change::DropTable { table } = &list[i] {
                let hazard = Hazard::new(HazardKind::Drop, format!("drops table {} and all its rows", table.name))
                    .counted(format!("SELECT count(*) FROM {}", q(&table.name)), format!("rows in {}", table.name));
                b.push(format!("DROP TABLE {}", q(&table.name)), reason(&list[i]), vec![hazard], i);
            }
        }
    }

    // 5. New indexes, views and triggers (with those a rebuild removed).
    for (i, c) in list.iter().enumerate() {
        if let Change::CreateIndex { index } = c {
            let mut hazards = Vec::new();
            if index.unique && b.populated(&index.table) {
                if let Some(h) = duplicates_hazard(&live_name(&index.table), index, from) {
                    hazards.push(h);
                }
            }
            b.push(create_index_sql(index), reason(c), hazards, i);
        }
    }
    let mut view_creates: Vec<(usize, &View, String)> = list
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::CreateView { view } => Some((i, view, reason(c))),
            _ => None,
        })
        .collect();
    for v in &dep_views {
        if let Some(target) = to.views.iter().find(|x| name_eq(&x.name, &v.name)) {
            if !view_creates.iter().any(|(_, x, _)| name_eq(&x.name, &v.name)) {
                let why = format!("recreate view {} after its tables were rebuilt", v.name);
                view_creates.push((first_rebuild_change(list, &rebuilt), target, why));
            }
        }
    }
    for i in view_order(to) {
        let name = &to.views[i].name;
        if let Some((change, view, why)) = view_creates.iter().find(|(_, x, _)| name_eq(&x.name, name)) {
            b.push(view_sql(view), why.clone(), vec![], *change);
        }
    }
    let mut created_triggers = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        if let Change::CreateRoutine { routine } = c {
            if routine.kind == RoutineKind::Trigger && created_triggers.insert(name_key(&routine.name)) {
                b.push(strip_terminator(&routine.sql).to_string(), reason(c), vec![], i);
            }
        }
    }
    for r in &dep_triggers {
        if let Some(target) = to.routines.iter().find(|x| x.kind == RoutineKind::Trigger && name_eq(&x.name, &r.name)) {
            if created_triggers.insert(name_key(&target.name)) {
                let why = format!("recreate trigger {} after its tables were rebuilt", target.name);
                b.push(strip_terminator(&target.sql).to_string(), why, vec![], first_rebuild_change(list, &rebuilt));
            }
        }
    }
    b.plan
}

/// The first change of a rebuilt table, the cause given to statements a rebuild needs elsewhere.
fn first_rebuild_change(list: &[Change], rebuilt: &[&str]) -> usize {
    list.iter().position(|c| c.table().is_some_and(|t| rebuilt.iter().any(|r| name_eq(r, t)))).unwrap_or(0)
}

/// Views and triggers of `schema` that read one of `tables`, directly or through another such
/// view, and the triggers attached to those tables.
fn dependents<'a>(schema: &'a Schema, tables: &[String]) -> (Vec<&'a View>, Vec<&'a Routine>) {
    let mut names: Vec<String> = tables.to_vec();
    let mut views: Vec<&View> = Vec::new();
    loop {
        let before = views.len();
        for v in &schema.views {
            if !views.iter().any(|x| name_eq(&x.name, &v.name)) && names.iter().any(|n| mentions(&v.sql, n)) {
                views.push(v);
                names.push(v.name.clone());
            }
        }
        if views.len() == before || tables.is_empty() {
            break;
        }
    }
    let triggers = schema
        .routines
        .iter()
        .filter(|r| r.kind == RoutineKind::Trigger)
        .filter(|r| {
            r.table.as_deref().is_some_and(|t| tables.iter().any(|x| name_eq(x, t)))
                || names.iter().any(|n| mentions(&r.sql, n))
        })
        .collect();
    (views, triggers)
}

/// Whether SQLite's `ALTER TABLE` cannot carry `change` out, so the table must be rebuilt.
fn needs_rebuild(
    change: &Change,
    live: Option<&Table>,
    target: Option<&Table>,
    from: &Schema,
    dropped: &[&Index],
) -> bool {
    match change {
        Change::AddColumn { column, .. } => !can_add_natively(column, target),
        Change::DropColumn { column, .. } => live.is_none_or(|t| !can_drop_natively(t, &column.name, from, dropped)),
        Change::AlterColumn { changes, .. } => {
            changes.ty || changes.nullable || changes.default || changes.identity || changes.generated
        }
        Change::SetPrimaryKey { .. }
        | Change::AddUnique { .. }
        | Change::DropUnique { .. }
        | Change::AddCheck { .. }
        | Change::DropCheck { .. }
        | Change::AddForeignKey { .. }
        | Change::DropForeignKey { .. }
        | Change::SetTableOptions { .. } => true,
        _ => false,
    }
}

// NOTE: SQLite's ADD COLUMN refuses PRIMARY KEY and UNIQUE columns, non-constant defaults
// (CURRENT_TIMESTAMP, expressions), NOT NULL without a non-NULL default and STORED generated
// columns (a VIRTUAL one is computed when read, so it can be added).
fn can_add_natively(column: &Column, target: Option<&Table>) -> bool {
    let Some(t) = target else { return false };
    let in_key = t.primary_key.iter().any(|pk| pk.columns.iter().any(|c| name_eq(c, &column.name)))
        || t.uniques.iter().any(|u| u.columns.iter().any(|c| name_eq(c, &column.name)));
    let default_ok = match (&column.generated, &column.default) {
        (Some(g), _) => !g.stored && column.nullable,
        (None, None | Some(DefaultValue::Null)) => column.nullable,
        (None, Some(d)) => is_constant_default(d),
    };
    !in_key && default_ok && column.identity.is_none()
}

// NOTE: SQLite's DROP COLUMN (3.35+) refuses a column of the primary key, a UNIQUE constraint,
// an index, a foreign key, a CHECK or a generated column's expression.
fn can_drop_natively(live: &Table, column: &str, from: &Schema, dropped: &[&Index]) -> bool {
    let named = |list: &[String]| list.iter().any(|c| name_eq(c, column));
    let in_keys = live.primary_key.as_ref().is_some_and(|pk| named(&pk.columns))
        || live.uniques.iter().any(|u| named(&u.columns))
        || live.foreign_keys.iter().any(|fk| named(&fk.columns))
        || live.checks.iter().any(|c| named(&c.columns) || mentions(&c.expr, column))
        || live
            .columns
            .iter()
            .any(|c| !name_eq(&c.name, column) && c.generated.as_ref().is_some_and(|g| mentions(&g.expr, column)));
    let indexed = from.indexes_of(&live.name).any(|ix| {
        let uses = ix.parts.iter().any(|p| {
            p.column.as_deref().is_some_and(|c| name_eq(c, column))
                || p.expr.as_deref().is_some_and(|e| mentions(e, column))
        }) || ix.predicate.as_deref().is_some_and(|p| mentions(p, column));
        uses && !dropped.iter().any(|d| d.name.as_deref().map(name_key) == ix.name.as_deref().map(name_key))
    });
    !in_keys && !indexed
}

/// A native ALTER for one change of a table that is not rebuilt.
fn native(b: &mut Builder, changes: &ChangeSet, i: usize, live: &Table) {
    let c = &changes.changes[i];
    match c {
        Change::AddColumn { table, column } => {
            b.push(format!("ALTER TABLE {} ADD COLUMN {}", q(table), column_sql(column)), reason(c), vec![], i);
        }
        Change::DropColumn { table, column } => {
            let hazards = drop_column_hazards(changes, table, &live.name, column);
            b.push(format!("ALTER TABLE {} DROP COLUMN {}", q(table), q(&column.name)), reason(c), hazards, i);
        }
        // Nothing else reaches here (everything else needs a rebuild); comments do not exist.
        _ => {}
    }
}

fn drop_column_hazards(changes: &ChangeSet, table: &str, live_table: &str, col: &Column) -> Vec<Hazard> {
    let column = col.name.as_str();
    let mut hazards = Vec::new();
    // NOTE: a generated column's values are derived from the others: dropping it loses nothing.
    if col.generated.is_none() {
        hazards.push(Hazard::new(HazardKind::Drop, format!("drops column {table}.{column} and its values")).counted(
            format!("SELECT count(*) FROM {} WHERE {} IS NOT NULL", q(live_table), q(column)),
            format!("non-null values in {table}.{column}"),
        ));
    }
    if let Some(r) = changes.likely_renames.iter().find(|r| name_eq(&r.table, table) && name_eq(&r.from, column)) {
        hazards.push(Hazard::new(
            HazardKind::LikelyRename,
            format!(
                "{table}.{} is dropped and {table}.{} added with the same type: if it was renamed, declare the \
                 rename to keep its data",
                r.from, r.to
            ),
        ));
    }
    hazards
}

/// The hazard of a unique index or key on rows that may hold duplicates.
fn duplicates_hazard(live_table: &str, index: &Index, from: &Schema) -> Option<Hazard> {
    let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
    if columns.len() != index.parts.len() || from.table(live_table).is_none() {
        return None;
    }
    Some(unique_hazard(live_table, &index.table, &columns))
}

fn unique_hazard(live_table: &str, table: &str, columns: &[String]) -> Hazard {
    let list = cols(columns);
    let not_null = columns.iter().map(|c| format!("{} IS NOT NULL", q(c))).collect::<Vec<_>>().join(" AND ");
    Hazard::new(HazardKind::MayFail, format!("fails if {table} holds duplicate ({})", columns.join(", "))).counted(
        format!(
            "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM {} WHERE {not_null} GROUP BY {list} \
             HAVING count(*) > 1)",
            q(live_table)
        ),
        format!("rows of {table} sharing ({}) with another row", columns.join(", ")),
    )
}

/// Whether retyping from `from` to `to` can change stored values: SQLite converts text that looks
/// like a number when the new affinity is numeric (`'007'` becomes 7).
fn sqlite_effects(from: &str, to: &str) -> Vec<Effect> {
    // NOTE: SQLite keeps every value as it is except where the new column's affinity converts it:
    // an integer in a REAL column becomes a double (inexact beyond 2^53), and text that is a
    // well-formed number in an INTEGER, REAL or NUMERIC column becomes that number. A timestamp
    // held as text stays text whatever the declared type.
    match (from, to) {
        ("INTEGER" | "NUMERIC", "REAL") => vec![Effect::Mantissa { bits: 53 }],
        (a, "INTEGER" | "REAL" | "NUMERIC") if a != to && !matches!(a, "INTEGER" | "REAL" | "NUMERIC") => {
            vec![Effect::TextToNumber]
        }
        _ => Vec::new(),
    }
}

/// The condition that tells a value of column `c` that `effect` changes when the table is copied
/// into its new definition.
fn changed(effect: Effect, c: &str, affinity: &str) -> String {
    let number = if affinity == "REAL" { "REAL" } else { "NUMERIC" };
    match effect {
        Effect::Mantissa { bits } => format!("typeof({c}) = 'integer' AND {}", inexact_in_float(c, bits)),
        // NOTE: text converts when it is a well-formed number (surrounding spaces allowed); it
        // changes when the number's text is not the original (`007`, ` 12`, `1e3`, `+5`). Text
        // with characters no number has is kept; the glob leaves out all of it.
        _ => format!(
            "typeof({c}) = 'text' AND trim({c}) GLOB '*[0-9]*' AND trim({c}) NOT GLOB '*[^0-9.eE+-]*' \
             AND CAST({c} AS {number}) || '' <> {c}"
        ),
    }
}

/// The twelve-step rebuild of one table (lang_altertable.html, "Making Other Kinds Of Table
/// Schema Changes"), without steps 1 and 12 (`PRAGMA foreign_keys`), which the apply does around
/// its transaction.
fn rebuild(
    b: &mut Builder,
    changes: &ChangeSet,
    tc: &TableChanges,
    live: &Table,
    target: &Table,
    to: &Schema,
    created_indexes: &[&Index],
) {
    let list = &changes.changes;
    let first = tc.others.first().copied().unwrap_or(0);
    let name = &target.name;
    let new_name = format!("{REBUILD_PREFIX}{name}");
    let what: Vec<String> = tc.others.iter().map(|&i| list[i].describe()).collect();
    let why = |step: &str| format!("{} (rebuild of {name}: {step})", what.join("; "));
    // Columns' names in the live table after this plan's renames.
    let renamed = |old: &str| -> String {
        tc.renames
            .iter()
            .find_map(|&i| match &list[i] {
                Change::RenameColumn { from, to, .. } if name_eq(from, old) => Some(to.clone()),
                _ => None,
            })
            .unwrap_or_else(|| old.to_string())
    };
    let live_columns: Vec<String> = live.columns.iter().map(|c| renamed(&c.name)).collect();
    let kept: Vec<String> = target
        .columns
        .iter()
        // NOTE: SQLite refuses to INSERT into a generated column; it computes the values itself.
        .filter(|c| c.generated.is_none() && live_columns.iter().any(|l| name_eq(l, &c.name)))
        .map(|c| c.name.clone())
        .collect();

    // Hazards, counted on the live table as it is before the plan runs.
    let original = |col: &str| -> String {
        tc.renames
            .iter()
            .find_map(|&i| match &list[i] {
                Change::RenameColumn { from, to, .. } if name_eq(to, col) => Some(from.clone()),
                _ => None,
            })
            .unwrap_or_else(|| col.to_string())
    };
    let lt = q(&live.name);
    let populated = b.populated(name);
    let mut hazards = vec![Hazard::new(
        HazardKind::Rewrite,
        format!("{name} is copied into a new table: time and space grow with its rows"),
    )
    .counted(format!("SELECT count(*) FROM {lt}"), format!("rows of {name} copied"))];
    for &i in &tc.others {
        match &list[i] {
            Change::DropColumn { table, column } => {
                hazards.extend(drop_column_hazards(changes, table, &live.name, column));
            }
            Change::AlterColumn { from: old, to: new, changes: cc, .. } => {
                let col = q(&old.name);
                if cc.ty && new.generated.is_none() && old.generated.is_none() {
                    let (from_aff, to_aff) = (affinity(&declared_type(&old.ty)), affinity(&declared_type(&new.ty)));
                    let label = format!("{name}.{}", new.name);
                    for effect in sqlite_effects(from_aff, to_aff) {
                        let condition = changed(effect, &col, to_aff);
                        hazards.push(effect.hazard(&lt, &label, to_aff, None, Some(condition)));
                    }
                }
                if cc.generated && old.generated.is_none() {
                    hazards.push(
                        Hazard::new(
                            HazardKind::DataLoss,
                            format!("{name}.{} becomes generated: its stored values are replaced", new.name),
                        )
                        .counted(
                            format!("SELECT count(*) FROM {lt} WHERE {col} IS NOT NULL"),
                            format!("non-null values in {name}.{}", new.name),
                        ),
                    );
                }
                if cc.nullable && !new.nullable && populated {
                    hazards.push(
                        Hazard::new(HazardKind::MayFail, format!("fails if {name}.{} holds NULL", new.name)).counted(
                            format!("SELECT count(*) FROM {lt} WHERE {col} IS NULL"),
                            format!("NULL values in {name}.{}", new.name),
                        ),
                    );
                }
            }
            Change::AddColumn { column, .. }
                if !column.nullable
                    && matches!(column.default, None | Some(DefaultValue::Null))
                    && column.identity.is_none()
                    && populated =>
            {
                hazards.push(
                    Hazard::new(
                        HazardKind::MayFail,
                        format!("fails if {name} has rows: the new NOT NULL column {} has no default", column.name),
                    )
                    .counted(format!("SELECT count(*) FROM {lt}"), format!("rows in {name}")),
                );
            }
            Change::SetPrimaryKey { to: Some(pk), .. } if populated => {
                let live_cols: Vec<String> = pk.columns.iter().map(|c| original(c)).collect();
                hazards.push(unique_hazard(&live.name, name, &live_cols));
                let nulls = live_cols.iter().map(|c| format!("{} IS NULL", q(c))).collect::<Vec<_>>().join(" OR ");
                hazards.push(
                    Hazard::new(HazardKind::MayFail, format!("fails if the new primary key of {name} holds NULL"))
                        .counted(
                            format!("SELECT count(*) FROM {lt} WHERE {nulls}"),
                            format!("rows of {name} with a NULL key"),
                        ),
                );
            }
            Change::AddUnique { unique, .. } if populated => {
                let live_cols: Vec<String> = unique.columns.iter().map(|c| original(c)).collect();
                hazards.push(unique_hazard(&live.name, name, &live_cols));
            }
            Change::AddCheck { check, .. } if populated => {
                let label = check.name.clone().unwrap_or_else(|| check.expr.clone());
                hazards.push(
                    Hazard::new(HazardKind::MayFail, format!("fails if rows of {name} violate check {label}")).counted(
                        format!("SELECT count(*) FROM {lt} WHERE NOT ({})", check.expr.trim()),
                        format!("rows of {name} violating check {label}"),
                    ),
                );
            }
            Change::AddForeignKey { foreign_key: fk, .. } if populated => {
                let live_cols: Vec<String> = fk.columns.iter().map(|c| original(c)).collect();
                let not_null =
                    live_cols.iter().map(|c| format!("c.{} IS NOT NULL", q(c))).collect::<Vec<_>>().join(" AND ");
                let joins = live_cols
                    .iter()
                    .zip(&fk.ref_columns)
                    .map(|(c, r)| format!("p.{} = c.{}", q(r), q(c)))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                // NOTE: the probe runs before the plan; a parent the plan creates holds no rows yet.
                let probe = if b.created.contains(&name_key(&fk.ref_table)) {
                    format!("SELECT count(*) FROM {lt} AS c WHERE {not_null}")
                } else {
                    format!(
                        "SELECT count(*) FROM {lt} AS c WHERE {not_null} AND NOT EXISTS (SELECT 1 FROM {} AS p \
                         WHERE {joins})",
                        q(&fk.ref_table)
                    )
                };
                hazards.push(
                    Hazard::new(
                        HazardKind::MayFail,
                        format!(
                            "fails if rows of {name} reference missing {} rows (checked by PRAGMA foreign_key_check)",
                            fk.ref_table
                        ),
                    )
                    .counted(
                        probe,
                        format!("rows of {name} whose {} has no match in {}", fk.columns.join(", "), fk.ref_table),
                    ),
                );
            }
            _ => {}
        }
    }

    b.push(create_table_sql(target, &new_name), why("create the new table"), vec![], first);
    let copy = format!("INSERT INTO {} ({}) SELECT {} FROM {}", q(&new_name), cols(&kept), cols(&kept), q(name));
    b.push(copy, why("copy the rows"), hazards, first);
    if live.columns.iter().any(|c| c.identity.is_some()) && autoincrement_column(target).is_some() {
        // NOTE: AUTOINCREMENT never reuses a value; the counter moves to the new table so that
        // values of deleted rows stay unused.
        let new_lit = string_literal(&new_name, false);
        b.push(format!("DELETE FROM sqlite_sequence WHERE name = {new_lit}"), why("reset its counter"), vec![], first);
        b.push(
            format!(
                "INSERT INTO sqlite_sequence (name, seq) SELECT {new_lit}, seq FROM sqlite_sequence WHERE name = {}",
                string_literal(name, false)
            ),
            why("keep the AUTOINCREMENT counter"),
            vec![],
            first,
        );
    }
    b.push(format!("DROP TABLE {}", q(name)), why("drop the old table"), vec![], first);
    b.push(format!("ALTER TABLE {} RENAME TO {}", q(&new_name), q(name)), why("rename the new table"), vec![], first);
    for index in to.indexes_of(name) {
        let created =
            created_indexes.iter().any(|c| c.name.as_deref().map(name_key) == index.name.as_deref().map(name_key));
        if !created {
            let reason =
                format!("recreate index {} on {name} (rebuild of {name})", index.name.as_deref().unwrap_or(""));
            b.push(create_index_sql(index), reason, vec![], first);
        }
    }
    // Step 10: the rows of the rebuilt table and of the tables referencing it still match.
    let mut checked: Vec<&str> = Vec::new();
    if !target.foreign_keys.is_empty() {
        checked.push(name);
    }
    for t in &to.tables {
        if !name_eq(&t.name, name) && t.foreign_keys.iter().any(|fk| name_eq(&fk.ref_table, name)) {
            checked.push(&t.name);
        }
    }
    for t in checked {
        b.push(
            format!("PRAGMA foreign_key_check({})", q(t)),
            why(&format!("check the foreign keys of {t}")),
            vec![],
            first,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::SqliteHooks;
    use super::*;
    use diff::Renames;
    use model::{ForeignKey, Notation, Origin, PrimaryKey};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::Sql)
    }

    fn column(name: &str, kind: TypeKind) -> Column {
        let spelling = kind.to_string();
        Column::new(name, DataType::new(kind, spelling), origin())
    }

    fn table(name: &str, columns: Vec<Column>) -> Table {
        let mut t = Table::new(name, origin());
        t.columns = columns;
        t.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: origin() });
        t
    }

    fn planned(from: &Schema, to: &Schema) -> Plan {
        let from = translate(from).schema;
        let to = translate(to).schema;
        let changes = diff::diff(&from, &to, &SqliteHooks, &Renames::default());
        plan(&changes, &from, &to, &PlanOptions::default())
    }

    fn users(extra: Vec<Column>) -> Schema {
        let mut cols = vec![column("id", TypeKind::Int { bytes: 8 }), column("name", TypeKind::Text)];
        cols.extend(extra);
        Schema { tables: vec![table("users", cols)], ..Schema::default() }
    }

    #[test]
    fn strict_and_without_rowid_are_created_and_a_change_of_either_rebuilds() {
        let plain = users(vec![]);
        let mut strict = users(vec![column("score", TypeKind::Decimal { precision: Some(10), scale: Some(2) })]);
        strict.tables[0].options = TableOptions { strict: true, without_rowid: true, ..TableOptions::default() };
        let t = translate(&strict);
        let sql = create_table_sql(&t.schema.tables[0], "users");
        assert!(sql.ends_with(") STRICT, WITHOUT ROWID"), "{sql}");
        // NUMERIC is not a STRICT type: ANY keeps integers and reals as given.
        assert!(sql.contains("\"score\" ANY"), "{sql}");
        assert!(t.notes.iter().any(|n| n.note.contains("STRICT table allows only")), "{:?}", t.notes);

        let mut plain_too = plain.clone();
        plain_too.tables[0].columns.push(column("score", TypeKind::Decimal { precision: Some(10), scale: Some(2) }));
        let p = planned(&plain_too, &strict);
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert!(sql[0].starts_with("CREATE TABLE \"_schemadoc_new_users\""), "{sql:?}");
        assert!(sql[0].ends_with("STRICT, WITHOUT ROWID"), "{sql:?}");
        assert!(p.statements[0].reason.contains("make STRICT, make WITHOUT ROWID"), "{}", p.statements[0].reason);
        assert!(planned(&strict, &strict).statements.is_empty());
    }

    #[test]
    fn without_rowid_needs_a_primary_key_and_takes_no_autoincrement() {
        let mut s = users(vec![]);
        s.tables[0].options.without_rowid = true;
        s.tables[0].columns[0].identity = Some(Identity::AutoIncrement);
        let t = translate(&s);
        let sql = create_table_sql(&t.schema.tables[0], "users");
        assert!(!sql.contains("AUTOINCREMENT") && sql.ends_with(") WITHOUT ROWID"), "{sql}");
        assert!(t.skipped.iter().any(|k| k.reason.contains("WITHOUT ROWID")), "{:?}", t.skipped);

        s.tables[0].primary_key = None;
        let t = translate(&s);
        assert!(!t.schema.tables[0].options.without_rowid);
        assert!(t.skipped.iter().any(|k| k.reason.contains("needs a PRIMARY KEY")), "{:?}", t.skipped);
    }

    #[test]
    fn a_nullable_column_is_added_natively() {
        let p = planned(&users(vec![]), &users(vec![column("email", TypeKind::Varchar { len: Some(100) })]));
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["ALTER TABLE \"users\" ADD COLUMN \"email\" TEXT"]);
        assert_eq!(p.statements[0].reason, "add column users.email");
    }

    #[test]
    fn a_column_with_a_time_default_needs_a_rebuild() {
        let mut c = column("created_at", TypeKind::Timestamp { tz: false, precision: None });
        c.default = Some(DefaultValue::CurrentTimestamp);
        let p = planned(&users(vec![]), &users(vec![c]));
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert!(sql[0].starts_with("CREATE TABLE \"_schemadoc_new_users\""), "{sql:?}");
        assert!(sql[0].contains("\"created_at\" TEXT DEFAULT CURRENT_TIMESTAMP"), "{sql:?}");
        assert_eq!(
            sql[1],
            "INSERT INTO \"_schemadoc_new_users\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"users\""
        );
        assert_eq!(sql[2], "DROP TABLE \"users\"");
        assert_eq!(sql[3], "ALTER TABLE \"_schemadoc_new_users\" RENAME TO \"users\"");
        assert_eq!(sql.len(), 4);
        assert!(p.statements[1].hazards.iter().any(|h| h.kind == HazardKind::Rewrite));
    }

    #[test]
    fn retyping_to_a_number_is_data_loss_with_a_count() {
        let from = users(vec![column("zip", TypeKind::Text)]);
        let to = users(vec![column("zip", TypeKind::Int { bytes: 4 })]);
        let p = planned(&from, &to);
        let copy = &p.statements[1];
        let loss = copy.hazards.iter().find(|h| h.kind == HazardKind::DataLoss).expect("a data-loss hazard");
        let probe = loss.probe.as_deref().expect("counted");
        assert!(probe.starts_with("SELECT count(*) FROM \"users\" WHERE typeof(\"zip\") = 'text'"), "{probe}");
        assert!(probe.ends_with("CAST(\"zip\" AS NUMERIC) || '' <> \"zip\""), "{probe}");
        // Widening keeps every value: no data loss.
        let p = planned(&to, &from);
        assert!(p.statements.iter().all(|s| s.hazards.iter().all(|h| h.kind != HazardKind::DataLoss)));
    }

    #[test]
    fn a_dropped_indexed_column_rebuilds_unless_its_index_goes_too() {
        let mut from = users(vec![column("email", TypeKind::Text)]);
        from.tables[0].uniques.push(model::Unique { name: None, columns: vec!["email".into()], origin: origin() });
        let p = planned(&from, &users(vec![]));
        assert!(p.statements.iter().any(|s| s.sql.starts_with("CREATE TABLE \"_schemadoc_new_users\"")));
        let dropped = p.statements.iter().find(|s| s.sql.starts_with("INSERT")).expect("copy");
        assert!(dropped.hazards.iter().any(|h| h.kind == HazardKind::Drop));

        let plain = users(vec![column("email", TypeKind::Text)]);
        let p = planned(&plain, &users(vec![]));
        assert_eq!(p.statements.len(), 1);
        assert_eq!(p.statements[0].sql, "ALTER TABLE \"users\" DROP COLUMN \"email\"");
        assert_eq!(
            p.statements[0].hazards[0].probe.as_deref(),
            Some("SELECT count(*) FROM \"users\" WHERE \"email\" IS NOT NULL")
        );
    }

    #[test]
    fn adding_a_foreign_key_rebuilds_and_checks_it() {
        let teams = table("teams", vec![column("id", TypeKind::Int { bytes: 8 })]);
        let mut from = users(vec![column("team_id", TypeKind::Int { bytes: 8 })]);
        from.tables.push(teams);
        let mut to = from.clone();
        to.tables[0].foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["team_id".into()],
            ref_table: "teams".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some(model::ReferentialAction::Cascade),
            on_update: None,
            inferred: false,
            origin: origin(),
        });
        let p = planned(&from, &to);
        let last = p.statements.last().expect("statements");
        assert_eq!(last.sql, "PRAGMA foreign_key_check(\"users\")");
        let copy = p.statements.iter().find(|s| s.sql.starts_with("INSERT")).expect("copy");
        let fk = copy.hazards.iter().find(|h| h.kind == HazardKind::MayFail).expect("may fail");
        assert!(fk.probe.as_deref().is_some_and(|p| p.contains("NOT EXISTS (SELECT 1 FROM \"teams\" AS p")), "{fk:?}");
        assert!(p.statements.iter().all(|s| s.transactional));
    }

    #[test]
    fn views_reading_a_rebuilt_table_are_dropped_and_recreated() {
        let mut from = users(vec![column("age", TypeKind::Text)]);
        from.views.push(View {
            name: "adults".into(),
            sql: "CREATE VIEW adults AS SELECT id FROM users WHERE age > 17".into(),
            materialized: false,
            tables: vec!["users".into()],
            origin: origin(),
        });
        let mut to = from.clone();
        to.tables[0].columns[2].ty = DataType::new(TypeKind::Int { bytes: 4 }, "int");
        let p = planned(&from, &to);
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql.first(), Some(&"DROP VIEW \"adults\""));
        assert_eq!(sql.last(), Some(&"CREATE VIEW adults AS SELECT id FROM users WHERE age > 17"));
    }

    #[test]
    fn renames_are_real_renames() {
        let from = users(vec![column("mail", TypeKind::Text)]);
        let to = users(vec![column("email", TypeKind::Text)]);
        let (from, to) = (translate(&from).schema, translate(&to).schema);
        let renames = Renames { tables: vec![], columns: vec![("users".into(), "mail".into(), "email".into())] };
        let changes = diff::diff(&from, &to, &SqliteHooks, &renames);
        let p = plan(&changes, &from, &to, &PlanOptions::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["ALTER TABLE \"users\" RENAME COLUMN \"mail\" TO \"email\""]);
    }

    fn generated(name: &str, kind: TypeKind, expr: &str, stored: bool) -> Column {
        let mut c = column(name, kind);
        c.generated = Some(Generated { expr: expr.into(), stored });
        c
    }

    #[test]
    fn generated_columns_are_written_with_their_clause_and_without_defaults() {
        let mut total = generated("total", TypeKind::Float { bytes: 8 }, "id * 2", true);
        total.default = Some(DefaultValue::Number("0".into()));
        total.nullable = false;
        let t = translate(&users(vec![total, generated("label", TypeKind::Text, "'#' || id", false)]));
        assert!(t.skipped.iter().any(|s| s.object.starts_with("default 0 of users.total")), "{:?}", t.skipped);
        let sql = create_table_sql(&t.schema.tables[0], "users");
        assert!(sql.contains("\"total\" REAL GENERATED ALWAYS AS (id * 2) STORED NOT NULL,"), "{sql}");
        assert!(sql.contains("\"label\" TEXT GENERATED ALWAYS AS ('#' || id) VIRTUAL,"), "{sql}");
    }

    #[test]
    fn a_stored_generated_column_is_added_by_a_rebuild_that_does_not_copy_it() {
        let stored = generated("total", TypeKind::Int { bytes: 8 }, "id * 2", true);
        let p = planned(&users(vec![]), &users(vec![stored.clone()]));
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert!(sql[0].starts_with("CREATE TABLE \"_schemadoc_new_users\""), "{sql:?}");
        assert_eq!(
            sql[1],
            "INSERT INTO \"_schemadoc_new_users\" (\"id\", \"name\") SELECT \"id\", \"name\" FROM \"users\""
        );

        let virt = generated("half", TypeKind::Float { bytes: 8 }, "id / 2.0", false);
        let p = planned(&users(vec![]), &users(vec![virt]));
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["ALTER TABLE \"users\" ADD COLUMN \"half\" REAL GENERATED ALWAYS AS (id / 2.0) VIRTUAL"]);

        // A changed expression rebuilds: a rewrite, no data loss, the column not copied.
        let changed = generated("total", TypeKind::Int { bytes: 8 }, "id * 3", true);
        let p = planned(&users(vec![stored.clone()]), &users(vec![changed]));
        let copy = p.statements.iter().find(|s| s.sql.starts_with("INSERT")).expect("a copy");
        assert!(!copy.sql.contains("total"), "{}", copy.sql);
        assert!(copy.hazards.iter().any(|h| h.kind == HazardKind::Rewrite));
        assert!(p.statements.iter().all(|s| s.hazards.iter().all(|h| h.kind != HazardKind::DataLoss)));

        // Dropping a generated column loses nothing.
        let p =
            planned(&users(vec![generated("half", TypeKind::Float { bytes: 8 }, "id / 2.0", false)]), &users(vec![]));
        assert_eq!(p.statements[0].sql, "ALTER TABLE \"users\" DROP COLUMN \"half\"");
        assert!(p.statements[0].hazards.is_empty());
    }
}
