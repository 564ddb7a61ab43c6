//! Creating a whole schema on PostgreSQL.

use super::types::{default_sql, map_type};
use crate::common::{
    find_foreign, fk_label, is_postgres_routine, prepare, quote_with, requote, routine_key, string_literal,
    strip_terminator, view_body, view_order, Order, Out, Prepared, FOREIGN_TO_POSTGRES,
};
use crate::Translation;
use model::{name_key, Column, ForeignKey, Identity, Index, RoutineKind, Schema, Table, TypeKind};
use std::collections::BTreeSet;

fn q(name: &str) -> String {
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

/// Statements creating `schema` on an empty PostgreSQL database.
pub(super) fn create_schema(schema: &Schema) -> Translation {
    let Prepared { schema: s, mut out } = prepare(schema);

    let namespaces: BTreeSet<&str> =
        s.tables.iter().filter_map(|t| t.namespace.as_deref()).filter(|n| !n.eq_ignore_ascii_case("public")).collect();
    for ns in namespaces {
        out.stmt(format!("CREATE SCHEMA IF NOT EXISTS {}", q(ns)), format!("create schema {ns}"));
    }

    for e in &s.extensions {
        let name = e.name.trim().trim_matches('"');
        out.stmt(format!("CREATE EXTENSION IF NOT EXISTS {}", q(name)), format!("create extension {name}"));
    }
    if let Some(col) = s.tables.iter().flat_map(|t| &t.columns).find(|c| uses_vector(&c.ty.kind)) {
        if !s.has_extension("vector") {
            out.stmt("CREATE EXTENSION IF NOT EXISTS \"vector\"", "create extension vector");
            out.note(
                "extension vector",
                "added: vector columns need the pgvector extension, which the schema does not create",
                &col.origin,
            );
        }
    }

    for e in &s.enums {
        let values: Vec<String> = e.values.iter().map(|v| lit(v)).collect();
        out.stmt(
            format!("CREATE TYPE {} AS ENUM ({})", q(&e.name), values.join(", ")),
            format!("create enum type {}", e.name),
        );
    }

    let order = Order::new(&s);
    let mut deferred: Vec<(&Table, &ForeignKey)> = Vec::new();
    for &i in &order.tables {
        let table = &s.tables[i];
        let mut lines: Vec<String> = Vec::new();
        let pk: Vec<String> = table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
        for col in &table.columns {
            lines.push(column_def(table, col, pk.contains(&name_key(&col.name)), &mut out));
        }
        if let Some(pk) = &table.primary_key {
            lines.push(format!("{}PRIMARY KEY ({})", constraint_name(pk.name.as_deref()), cols(&pk.columns)));
        }
        for u in &table.uniques {
            lines.push(format!("{}UNIQUE ({})", constraint_name(u.name.as_deref()), cols(&u.columns)));
        }
        for c in &table.checks {
            let expr = pg_expr(&c.expr);
            if let Some(found) = find_foreign(&expr, FOREIGN_TO_POSTGRES) {
                out.skip(
                    format!("check {} on {}", c.name.as_deref().unwrap_or(&c.expr), table.name),
                    format!("uses `{}`, which PostgreSQL does not have", found.trim()),
                    &c.origin,
                );
                continue;
            }
            lines.push(format!("{}CHECK ({})", constraint_name(c.name.as_deref()), expr.trim()));
        }
        for fk in &table.foreign_keys {
            let Some(target) = s.table(&fk.ref_table) else { continue };
            if let Some(reason) = type_mismatch(table, fk, target) {
                out.skip(format!("foreign key {}", fk_label(table, fk)), reason, &fk.origin);
                continue;
            }
            if order.is_deferred(&table.name, &target.name) {
                deferred.push((table, fk));
            } else {
                lines.push(fk_clause(fk, target));
            }
        }
        if lines.is_empty() {
            // NOTE: PostgreSQL accepts a table without columns.
            out.stmt(format!("CREATE TABLE {} ()", qualified(table)), format!("create table {}", table.name));
        } else {
            out.stmt(
                format!("CREATE TABLE {} (\n  {}\n)", qualified(table), lines.join(",\n  ")),
                format!("create table {}", table.name),
            );
        }
    }

    for (table, fk) in deferred {
        if let Some(target) = s.table(&fk.ref_table) {
            out.stmt(
                format!("ALTER TABLE {} ADD {}", qualified(table), fk_clause(fk, target)),
                format!("add foreign key {}", fk_label(table, fk)),
            );
        }
    }

    for index in &s.indexes {
        if let Some(table) = s.table(&index.table) {
            create_index(table, index, &mut out);
        }
    }

    create_views(&s, &mut out);
    create_routines(&s, &mut out);

    for &i in &order.tables {
        let table = &s.tables[i];
        if let Some(comment) = &table.comment {
            out.stmt(
                format!("COMMENT ON TABLE {} IS {}", qualified(table), lit(comment)),
                format!("comment on table {}", table.name),
            );
        }
        for col in &table.columns {
            if let Some(comment) = &col.comment {
                out.stmt(
                    format!("COMMENT ON COLUMN {}.{} IS {}", qualified(table), q(&col.name), lit(comment)),
                    format!("comment on column {}.{}", table.name, col.name),
                );
            }
        }
    }
    out.tr
}

fn constraint_name(name: Option<&str>) -> String {
    name.map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default()
}

fn fk_clause(fk: &ForeignKey, target: &Table) -> String {
    let mut s = format!(
        "{}FOREIGN KEY ({}) REFERENCES {} ({})",
        constraint_name(fk.name.as_deref()),
        cols(&fk.columns),
        qualified(target),
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

fn column_def(table: &Table, col: &Column, in_pk: bool, out: &mut Out) -> String {
    let object = format!("column {}.{}", table.name, col.name);
    let mapped = map_type(&col.ty.kind);
    if let Some(note) = &mapped.note {
        out.note(&object, note, &col.origin);
    }
    let mut ty = mapped.sql;
    let mut generated = "";
    let is_int = matches!(col.ty.kind, TypeKind::Int { .. });
    let identity = match col.identity {
        Some(_) if !is_int => {
            out.skip(
                format!("identity of {}.{}", table.name, col.name),
                format!("PostgreSQL generates values only for integer columns, not {ty}"),
                &col.origin,
            );
            false
        }
        Some(Identity::Serial) => {
            ty = match col.ty.kind {
                TypeKind::Int { bytes: 1 | 2 } => "smallserial",
                TypeKind::Int { bytes: 8 } => "bigserial",
                _ => "serial",
            }
            .to_string();
            true
        }
        Some(Identity::Always) => {
            generated = " GENERATED ALWAYS AS IDENTITY";
            true
        }
        Some(Identity::ByDefault | Identity::AutoIncrement) => {
            generated = " GENERATED BY DEFAULT AS IDENTITY";
            true
        }
        None => false,
    };
    let mut def = format!("{} {}{}", q(&col.name), ty, generated);
    if !col.nullable || in_pk || identity {
        def.push_str(" NOT NULL");
    }
    if let Some(default) = &col.default {
        if identity {
            out.skip(
                format!("default of {}.{}", table.name, col.name),
                "the column is generated (identity); PostgreSQL rejects a default on it",
                &col.origin,
            );
        } else {
            match default_sql(&col.ty.kind, default) {
                Ok(m) => {
                    if let Some(note) = m.note {
                        out.note(format!("default of {}.{}", table.name, col.name), note, &col.origin);
                    }
                    def.push_str(&format!(" DEFAULT {}", m.sql));
                }
                Err(reason) => out.skip(format!("default of {}.{}", table.name, col.name), reason, &col.origin),
            }
        }
    }
    if let Some(on_update) = &col.on_update {
        out.skip(
            format!("ON UPDATE {} of {}.{}", on_update, table.name, col.name),
            "PostgreSQL has no ON UPDATE clause for columns; a trigger is needed",
            &col.origin,
        );
    }
    def
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn create_index(table: &Table, index: &Index, out: &mut Out) {
    let name = index.name.clone().unwrap_or_default();
    let object = format!("index {name} on {}", table.name);
    let method = index.method.as_deref().map(|m| m.trim().to_ascii_lowercase());
    if let Some(m) = &method {
        if !is_word(m) {
            out.skip(object, format!("`{m}` is not an access method name"), &index.origin);
            return;
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
                return;
            }
        }
    }
    let mut parts = Vec::new();
    for p in &index.parts {
        let mut part = match (&p.column, &p.expr) {
            (Some(c), _) => q(c),
            (None, Some(e)) => {
                let e = pg_expr(e);
                if let Some(found) = find_foreign(&e, FOREIGN_TO_POSTGRES) {
                    out.skip(
                        object,
                        format!("expression `{e}` uses `{}`, which PostgreSQL does not have", found.trim()),
                        &index.origin,
                    );
                    return;
                }
                format!("({})", e.trim())
            }
            (None, None) => continue,
        };
        if let Some(op) = &p.opclass {
            if !is_word(op.trim()) {
                out.skip(object, format!("`{op}` is not an operator class name"), &index.origin);
                return;
            }
            part.push(' ');
            part.push_str(op.trim());
        }
        if p.descending {
            part.push_str(" DESC");
        }
        parts.push(part);
    }
    let mut sql =
        format!("CREATE {}INDEX {} ON {}", if index.unique { "UNIQUE " } else { "" }, q(&name), qualified(table));
    if let Some(m) = &method {
        sql.push_str(&format!(" USING {m}"));
    }
    sql.push_str(&format!(" ({})", parts.join(", ")));
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", cols(&index.include)));
    }
    if let Some(pred) = index.predicate.as_deref().map(pg_expr) {
        if let Some(found) = find_foreign(&pred, FOREIGN_TO_POSTGRES) {
            out.skip(
                object,
                format!("predicate `{pred}` uses `{}`, which PostgreSQL does not have", found.trim()),
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
        out.stmt(format!("CREATE {kind} {body}"), format!("create view {}", view.name));
    }
}

fn create_routines(s: &Schema, out: &mut Out) {
    let functions: BTreeSet<String> =
        s.routines.iter().filter(|r| r.kind != RoutineKind::Trigger).map(|r| routine_key(&r.name)).collect();
    let ordered = s
        .routines
        .iter()
        .filter(|r| r.kind != RoutineKind::Trigger)
        .chain(s.routines.iter().filter(|r| r.kind == RoutineKind::Trigger));
    for r in ordered {
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
        let reason = match (&r.kind, &r.table) {
            (RoutineKind::Trigger, Some(t)) => format!("create trigger {} on {t}", r.name),
            _ => format!("create {kind} {}", r.name),
        };
        out.stmt(strip_terminator(&r.sql), reason);
    }
}
