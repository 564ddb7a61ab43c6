//! Creating a whole schema on SQLite.

use super::types::{default_sql, foreign, map_type};
use crate::common::{
    is_postgres_routine, prepare, quote_with, string_literal, strip_terminator, view_body, view_order, Order, Out,
    Prepared,
};
use crate::Translation;
use model::{name_key, Column, Index, RoutineKind, Schema, Table, TypeKind};
use std::collections::BTreeSet;

fn q(name: &str) -> String {
    quote_with(name, '"')
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default()
}

/// Statements creating `schema` on an empty SQLite database.
pub(super) fn create_schema(schema: &Schema) -> Translation {
    let Prepared { schema: s, mut out } = prepare(schema);

    for e in &s.extensions {
        out.skip(format!("extension {}", e.name), "SQLite has no extensions", &e.origin);
    }

    // NOTE: SQLite accepts a foreign key to a table created later and cannot add one afterwards,
    // so every foreign key is declared inside its table.
    let order = Order::new(&s);
    for &i in &order.tables {
        create_table(&s, &s.tables[i], &mut out);
    }
    for index in &s.indexes {
        if let Some(table) = s.table(&index.table) {
            create_index(table, index, &mut out);
        }
    }
    create_views(&s, &mut out);
    create_routines(&s, &mut out);
    out.tr
}

/// The column that becomes `INTEGER PRIMARY KEY AUTOINCREMENT`: the single integer primary-key
/// column, when it is generated.
fn autoincrement_column(table: &Table) -> Option<&Column> {
    let pk = table.primary_key.as_ref()?;
    let [only] = pk.columns.as_slice() else { return None };
    table.column(only).filter(|c| c.identity.is_some() && matches!(c.ty.kind, TypeKind::Int { .. }))
}

fn create_table(s: &Schema, table: &Table, out: &mut Out) {
    if table.columns.is_empty() {
        out.skip(format!("table {}", table.name), "SQLite needs at least one column", &table.origin);
        return;
    }
    let auto = autoincrement_column(table).map(|c| name_key(&c.name));
    let pk: Vec<String> = table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
    let mut lines = Vec::new();
    for col in &table.columns {
        let key = name_key(&col.name);
        let object = format!("column {}.{}", table.name, col.name);
        let mapped = map_type(&col.ty.kind);
        if let Some(note) = &mapped.note {
            out.note(&object, note, &col.origin);
        }
        let mut def = format!("{} {}", q(&col.name), mapped.sql);
        let is_auto = auto.as_deref() == Some(key.as_str());
        if is_auto {
            def = format!("{} INTEGER PRIMARY KEY AUTOINCREMENT", q(&col.name));
        } else if col.identity.is_some() {
            out.skip(
                format!("identity of {}.{}", table.name, col.name),
                "SQLite generates values only for a single-column INTEGER PRIMARY KEY",
                &col.origin,
            );
        }
        if !is_auto && (!col.nullable || pk.contains(&key)) {
            def.push_str(" NOT NULL");
        }
        if let Some(default) = &col.default {
            let object = format!("default of {}.{}", table.name, col.name);
            if is_auto {
                out.skip(object, "the column is generated (AUTOINCREMENT)", &col.origin);
            } else {
                match default_sql(&col.ty.kind, default) {
                    Ok(m) => {
                        if let Some(note) = m.note {
                            out.note(&object, note, &col.origin);
                        }
                        def.push_str(&format!(" DEFAULT {}", m.sql));
                    }
                    Err(reason) => out.skip(object, reason, &col.origin),
                }
            }
        }
        if let Some(on_update) = &col.on_update {
            out.skip(
                format!("ON UPDATE {} of {}.{}", on_update, table.name, col.name),
                "SQLite has no ON UPDATE clause for columns; a trigger is needed",
                &col.origin,
            );
        }
        lines.push(def);
    }
    if let Some(pk) = table.primary_key.as_ref().filter(|_| auto.is_none()) {
        lines.push(format!("{}PRIMARY KEY ({})", constraint_name(pk.name.as_deref()), cols(&pk.columns)));
    }
    for u in &table.uniques {
        lines.push(format!("{}UNIQUE ({})", constraint_name(u.name.as_deref()), cols(&u.columns)));
    }
    for col in &table.columns {
        // NOTE: SQLite has no enum type; a CHECK keeps the column to the enum's values.
        if let TypeKind::Enum { name } = &col.ty.kind {
            if let Some(e) = s.enum_named(name) {
                let values: Vec<String> = e.values.iter().map(|v| string_literal(v, false)).collect();
                lines.push(format!("CHECK ({} IN ({}))", q(&col.name), values.join(", ")));
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
    out.stmt(
        format!("CREATE TABLE {} (\n  {}\n)", q(&table.name), lines.join(",\n  ")),
        format!("create table {}", table.name),
    );
}

fn create_index(table: &Table, index: &Index, out: &mut Out) {
    let name = index.name.clone().unwrap_or_default();
    let object = format!("index {name} on {}", table.name);
    if let Some(m) = index.method.as_deref().filter(|m| !m.trim().eq_ignore_ascii_case("btree")) {
        out.skip(object, format!("SQLite has only b-tree indexes, not {m}"), &index.origin);
        return;
    }
    let mut parts = Vec::new();
    for p in &index.parts {
        let mut part = match (&p.column, &p.expr) {
            (Some(c), _) => q(c),
            (None, Some(e)) => {
                if let Some(found) = foreign(e) {
                    out.skip(
                        object,
                        format!("expression `{e}` uses `{}`, which SQLite does not have", found.trim()),
                        &index.origin,
                    );
                    return;
                }
                format!("({})", e.trim())
            }
            (None, None) => continue,
        };
        if let Some(op) = &p.opclass {
            out.skip(
                format!("operator class {op} of index {name}"),
                "SQLite has no operator classes; the index uses the default ordering",
                &index.origin,
            );
        }
        if p.descending {
            part.push_str(" DESC");
        }
        parts.push(part);
    }
    if !index.include.is_empty() {
        out.skip(
            format!("INCLUDE ({}) of index {name}", index.include.join(", ")),
            "SQLite has no INCLUDE columns; the index keeps only its key columns",
            &index.origin,
        );
    }
    let mut sql = format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        q(&name),
        q(&table.name),
        parts.join(", ")
    );
    if let Some(pred) = &index.predicate {
        if let Some(found) = foreign(pred) {
            out.skip(
                object,
                format!("predicate `{pred}` uses `{}`, which SQLite does not have", found.trim()),
                &index.origin,
            );
            return;
        }
        sql.push_str(&format!(" WHERE {}", pred.trim()));
    }
    out.stmt(sql, format!("create index {name} on {}", table.name));
}

fn create_views(s: &Schema, out: &mut Out) {
    let view_keys: BTreeSet<String> = s.views.iter().map(|v| name_key(&v.name)).collect();
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
        out.stmt(format!("CREATE VIEW {body}"), format!("create view {}", view.name));
    }
}

fn create_routines(s: &Schema, out: &mut Out) {
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
                } else if let Some(t) = r.table.as_deref().filter(|t| s.table(t).is_none()) {
                    out.skip(object, format!("its table {t} is not defined"), &r.origin);
                } else if let Some(found) = foreign(&r.sql) {
                    out.skip(object, format!("uses `{}`, which SQLite does not have", found.trim()), &r.origin);
                } else {
                    let on = r.table.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
                    out.stmt(strip_terminator(&r.sql), format!("create trigger {}{on}", r.name));
                }
            }
        }
    }
}
