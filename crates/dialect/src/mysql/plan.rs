//! Translating a schema for MySQL 8 / MariaDB 10.11, and planning the statements that change one.

use super::types::{
    default_sql, foreign, foreign_in_check, kind_of, map_type, native_type, needs_expression_default, parse_default,
};
use crate::common::{
    check_uses, created_tables, fk_label, index_uses, on_update_is_now, prepare_flat, quote_with, requote, shorten,
    string_literal, view_body, view_order, Order, Out, Prepared,
};
use crate::conversion::{self, inexact_in_float, Effect};
use crate::{Hazard, HazardKind, Mapped, Plan, PlanOptions, PlannedStatement, Skipped, Translated};
use diff::{Change, ChangeSet};
use model::{
    name_eq, name_key, Check, Column, DataType, ForeignKey, Generated, Identity, Index, IndexPart, Notation,
    ReferentialAction, RoutineKind, Schema, SqlDialect, Table, TypeKind, Unique, View,
};
use std::collections::{BTreeMap, BTreeSet};

/// MySQL rejects identifiers longer than this many characters.
const MAX_IDENT: usize = 64;
/// The most bytes the column definitions of one row may take (TEXT/BLOB count only their pointer).
const MAX_ROW_BYTES: u64 = 65_535;
/// The most bytes of one InnoDB index key (DYNAMIC row format).
const MAX_KEY_BYTES: u64 = 3072;
/// MySQL's limits on comments, in characters.
const MAX_COLUMN_COMMENT: usize = 1024;
const MAX_TABLE_COMMENT: usize = 2048;
/// How much of a TEXT or BLOB column a plain index covers.
const PREFIX_CHARS: u32 = 255;

fn q(name: &str) -> String {
    quote_with(name, '`')
}

fn lit(value: &str) -> String {
    string_literal(value, true)
}

/// The name keys of every table, column and view of `s`.
fn known_names(s: &Schema) -> BTreeSet<String> {
    let tables = s.tables.iter().flat_map(|t| std::iter::once(&t.name).chain(t.columns.iter().map(|c| &c.name)));
    tables.chain(s.views.iter().map(|v| &v.name)).map(|n| name_key(n)).collect()
}

/// `expr` with double-quoted names of tables and columns (standard SQL, PostgreSQL, SQLite)
/// quoted with backticks.
// NOTE: without ANSI_QUOTES MySQL reads a double-quoted word as a string, so only names the
// schema defines are rewritten; any other double quote is left for `foreign` to refuse.
fn mysql_expr(expr: &str, names: &BTreeSet<String>) -> String {
    requote(expr, '"', '`', &|n| names.contains(&name_key(n))).unwrap_or_else(|| expr.to_string())
}

fn cols(names: &[String]) -> String {
    names.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ")
}

/// A constraint or index name that fits MySQL's limit.
fn fit(name: &str) -> String {
    if name.chars().count() <= MAX_IDENT {
        name.to_string()
    } else {
        shorten(name, MAX_IDENT)
    }
}

/// A comment cut to `max` characters, and whether it was cut.
fn cut(comment: &str, max: usize) -> (String, bool) {
    if comment.chars().count() <= max {
        (comment.to_string(), false)
    } else {
        (comment.chars().take(max).collect(), true)
    }
}

/// The bytes a column of `sql_type` takes in a row, as MySQL counts towards its 65,535 limit.
fn row_bytes(sql_type: &str) -> u64 {
    let n = |prefix: &str| -> Option<u64> { sql_type.strip_prefix(prefix)?.strip_suffix(')')?.parse().ok() };
    if let Some(len) = n("VARCHAR(") {
        len * 4 + 2
    } else if let Some(len) = n("CHAR(") {
        len * 4
    } else if let Some(len) = n("VARBINARY(") {
        len + 2
    } else if sql_type.starts_with("DECIMAL") {
        30
    } else {
        // TEXT, BLOB and JSON are stored off the row but keep a pointer of up to 12 bytes.
        12
    }
}

/// The bytes a key part of `sql_type` takes in an index, when it counts against the key limit.
// NOTE: InnoDB counts a string key part as its declared length times the bytes per character,
// without the length prefix: VARCHAR(768) in utf8mb4 is exactly the 3,072-byte limit.
fn key_bytes(sql_type: &str) -> u64 {
    let n = |prefix: &str| -> Option<u64> { sql_type.strip_prefix(prefix)?.strip_suffix(')')?.parse().ok() };
    if let Some(len) = n("VARCHAR(").or_else(|| n("CHAR(")) {
        return len * 4;
    }
    if let Some(len) = n("VARBINARY(") {
        return len;
    }
    match sql_type {
        "BIGINT" | "DOUBLE" => 8,
        t if t.starts_with("DATETIME") => 8,
        _ => 4,
    }
}

fn is_json(sql_type: &str) -> bool {
    sql_type == "JSON"
}

/// The names of the columns of `table` that sit in a key, index or foreign key.
fn keyed_columns(s: &Schema, table: &Table) -> BTreeSet<String> {
    let mut keyed = BTreeSet::new();
    let mut add = |cs: &[String]| keyed.extend(cs.iter().map(|c| name_key(c)));
    if let Some(pk) = &table.primary_key {
        add(&pk.columns);
    }
    for u in &table.uniques {
        add(&u.columns);
    }
    for fk in &table.foreign_keys {
        add(&fk.columns);
    }
    for other in &s.tables {
        for fk in other.foreign_keys.iter().filter(|fk| name_key(&fk.ref_table) == name_key(&table.name)) {
            add(&fk.ref_columns);
        }
    }
    // A plain index can use a prefix of a TEXT column; a unique one must see the whole value.
    for index in s.indexes_of(&table.name).filter(|i| i.unique) {
        let plain: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
        add(&plain);
    }
    keyed
}

/// The MySQL types of every table's columns, keyed by `table` then `column` name keys.
type Types = BTreeMap<(String, String), Mapped>;

fn column_types(s: &Schema, out: &mut Out) -> Types {
    let mut types = Types::new();
    let mysql_document = s.sql_dialect == Some(SqlDialect::Mysql);
    for table in &s.tables {
        let keyed = keyed_columns(s, table);
        let mut mapped: Vec<(String, Mapped)> = table
            .columns
            .iter()
            .map(|c| {
                let values = match &c.ty.kind {
                    TypeKind::Enum { name } => s.enum_named(name).map(|e| e.values.as_slice()),
                    _ => None,
                };
                let keyed = keyed.contains(&name_key(&c.name));
                let native = match c.origin.notation {
                    Notation::Prisma | Notation::SqlAlchemy => None,
                    _ => native_type(&c.ty.spelling, keyed, mysql_document),
                };
                (name_key(&c.name), native.map_or_else(|| map_type(&c.ty.kind, keyed, values), Mapped::exact))
            })
            .collect();
        // NOTE: the declared sizes of a row's columns may not exceed 65,535 bytes; long VARCHARs
        // that are not indexed become TEXT, which is stored off the row.
        let mut total: u64 = mapped.iter().map(|(_, m)| row_bytes(&m.sql)).sum();
        while total > MAX_ROW_BYTES {
            let widest = mapped
                .iter()
                .enumerate()
                .filter(|(_, (k, m))| m.sql.starts_with("VARCHAR(") && !keyed.contains(k))
                .max_by_key(|(i, (_, m))| (row_bytes(&m.sql), usize::MAX - i))
                .map(|(i, _)| i);
            let Some(i) = widest else { break };
            let before = row_bytes(&mapped[i].1.sql);
            let was = mapped[i].1.sql.clone();
            mapped[i].1 =
                Mapped::lossy("MEDIUMTEXT", format!("{was} would exceed MySQL's 65,535-byte row; MEDIUMTEXT is used"));
            total = total - before + row_bytes("MEDIUMTEXT");
        }
        for (col, (key, m)) in table.columns.iter().zip(mapped) {
            if let Some(note) = &m.note {
                out.note(format!("column {}.{}", table.name, col.name), note, &col.origin);
            }
            types.insert((name_key(&table.name), key), m);
        }
    }
    types
}

fn ty<'a>(types: &'a Types, table: &str, column: &str) -> &'a str {
    types.get(&(name_key(table), name_key(column))).map_or("", |m| m.sql.as_str())
}

/// The base of an integer type, or the family of any other, for foreign-key compatibility.
fn fk_class(sql_type: &str) -> String {
    let base: String = sql_type.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    match base.as_str() {
        "CHAR" | "VARCHAR" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "ENUM" => "string".to_string(),
        "DECIMAL" => sql_type.to_string(),
        _ => base,
    }
}

/// The document's schema as MySQL/MariaDB holds it: what the engine cannot carry removed (said
/// in `skipped`), types spelled as MySQL writes them (with the portable kind MySQL reports back),
/// defaults as the server reads them, and unique indexes as unique keys (MySQL cannot tell them
/// apart).
pub(super) fn translate(schema: &Schema) -> Translated {
    let Prepared { schema: mut s, mut out } = prepare_flat(schema, "MySQL");
    crate::common::skip_sqlite_table_options(&mut s, "MySQL", &mut out);
    for t in &mut s.tables {
        canonical_charsets(&mut t.options.charset, &mut t.options.collation);
        for c in &mut t.columns {
            canonical_charsets(&mut c.charset, &mut c.collation);
        }
    }
    for e in &s.extensions {
        out.skip(format!("extension {}", e.name), "MySQL has no extensions", &e.origin);
    }
    let types = column_types(&s, &mut out);
    let names = known_names(&s);
    let mut target = Schema {
        tables: Vec::new(),
        indexes: Vec::new(),
        enums: Vec::new(),
        extensions: Vec::new(),
        views: Vec::new(),
        routines: Vec::new(),
        ..s.clone()
    };
    // NOTE: MySQL names foreign keys and checks per database, not per table.
    let mut fk_names = BTreeSet::new();
    let mut check_names = BTreeSet::new();
    for table in &s.tables {
        if table.columns.is_empty() {
            out.skip(format!("table {}", table.name), "MySQL needs at least one column", &table.origin);
            continue;
        }
        let t = |c: &str| ty(&types, &table.name, c);
        let pk_keys: Vec<String> =
            table.primary_key.iter().flat_map(|p| p.columns.iter().map(|c| name_key(c))).collect();
        // NOTE: an AUTO_INCREMENT column must lead some key, and a table has at most one.
        let leads_key = |c: &str| {
            let k = name_key(c);
            pk_keys.first() == Some(&k)
                || table.uniques.iter().any(|u| u.columns.first().map(|x| name_key(x)) == Some(k.clone()))
                || s.indexes_of(&table.name).any(|i| {
                    i.predicate.is_none()
                        && i.parts.first().and_then(|p| p.column.as_deref()).map(name_key) == Some(k.clone())
                })
        };
        let auto = table
            .columns
            .iter()
            .find(|c| c.identity.is_some() && matches!(c.ty.kind, TypeKind::Int { .. }) && leads_key(&c.name))
            .map(|c| name_key(&c.name));
        // Columns feeding a cascading foreign-key action may not appear in a CHECK.
        let action_cols: BTreeSet<String> = table
            .foreign_keys
            .iter()
            .filter(|fk| {
                [fk.on_delete, fk.on_update].iter().any(|a| {
                    matches!(
                        a,
                        Some(ReferentialAction::Cascade | ReferentialAction::SetNull | ReferentialAction::SetDefault)
                    )
                })
            })
            .flat_map(|fk| fk.columns.iter().map(|c| name_key(c)))
            .collect();

        let mut tt = Table {
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            ..table.clone()
        };
        for col in &table.columns {
            let key = name_key(&col.name);
            let sql_type = t(&col.name);
            let kind = kind_of(sql_type);
            let is_auto = auto.as_deref() == Some(key.as_str());
            let mut c = col.clone();
            c.ty = DataType::new(kind.clone(), sql_type);
            c.nullable = col.nullable && !pk_keys.contains(&key) && !is_auto;
            c.identity = None;
            c.default = None;
            c.on_update = None;
            c.comment = None;
            c.client_default = None;
            if is_auto {
                c.identity = Some(Identity::AutoIncrement);
                if col.identity == Some(Identity::Always) {
                    out.note(
                        format!("column {}.{}", table.name, col.name),
                        "AUTO_INCREMENT also accepts explicit values, unlike GENERATED ALWAYS",
                        &col.origin,
                    );
                }
            } else if col.identity.is_some() {
                out.skip(
                    format!("identity of {}.{}", table.name, col.name),
                    if matches!(col.ty.kind, TypeKind::Int { .. }) {
                        "MySQL allows AUTO_INCREMENT only on one integer column that leads a key"
                    } else {
                        "MySQL generates values only for integer columns"
                    },
                    &col.origin,
                );
            }
            if let Some(default) = &col.default {
                let object = format!("default of {}.{}", table.name, col.name);
                if is_auto {
                    out.skip(object, "the column is generated (AUTO_INCREMENT)", &col.origin);
                } else {
                    match default_sql(&col.ty.kind, sql_type, default) {
                        Ok(m) => {
                            if let Some(note) = m.note {
                                out.note(&object, note, &col.origin);
                            }
                            c.default = parse_default(&m.sql, false, &kind);
                        }
                        Err(reason) => out.skip(object, reason, &col.origin),
                    }
                }
            }
            if let Some(on_update) = &col.on_update {
                if (sql_type.starts_with("DATETIME") || sql_type.starts_with("TIMESTAMP"))
                    && on_update_is_now(on_update)
                {
                    c.on_update = Some("CURRENT_TIMESTAMP".to_string());
                } else {
                    out.skip(
                        format!("ON UPDATE {} of {}.{}", on_update, table.name, col.name),
                        "MySQL updates only DATETIME/TIMESTAMP columns to the current time",
                        &col.origin,
                    );
                }
            }
            if let Some(comment) = &col.comment {
                let (cm, was_cut) = cut(comment, MAX_COLUMN_COMMENT);
                if was_cut {
                    out.note(
                        format!("comment of {}.{}", table.name, col.name),
                        format!("cut to MySQL's {MAX_COLUMN_COMMENT} characters"),
                        &col.origin,
                    );
                }
                c.comment = Some(cm).filter(|x| !x.is_empty());
            }
            if let Some(g) = &col.generated {
                let object = format!("column {}.{}", table.name, col.name);
                let expr = mysql_expr(g.expr.trim(), &names);
                if let Some(found) = foreign(&expr) {
                    out.skip(
                        format!("generated expression of {}.{}", table.name, col.name),
                        format!("uses `{}`, which MySQL does not have; the column is an ordinary one", found.trim()),
                        &col.origin,
                    );
                    c.generated = None;
                } else if pk_keys.contains(&key) {
                    out.skip(
                        format!("generated expression of {}.{}", table.name, col.name),
                        "MariaDB does not allow a generated column in the primary key; the column is an ordinary one",
                        &col.origin,
                    );
                    c.generated = None;
                } else {
                    // NOTE: MariaDB rejects NOT NULL on a generated column (MySQL 8 accepts it).
                    if !c.nullable {
                        out.note(&object, "MariaDB does not allow NOT NULL on a generated column", &col.origin);
                        c.nullable = true;
                    }
                    c.generated = Some(Generated { expr, stored: g.stored });
                }
            }
            tt.columns.push(c);
        }
        let json_in = |cs: &[String]| cs.iter().find(|c| is_json(t(c))).cloned();
        if let Some(pk) = &table.primary_key {
            match json_in(&pk.columns) {
                Some(c) => out.skip(
                    format!("primary key of {}", table.name),
                    format!("column {c} is stored as JSON, which MySQL cannot index"),
                    &pk.origin,
                ),
                None => tt.primary_key = Some(pk.clone()),
            }
        }
        let uniques = table.uniques.iter().cloned().map(|u| (u, false)).chain(
            // NOTE: a unique index is a unique key in MySQL: the catalog cannot tell them apart.
            s.indexes_of(&table.name).filter(|i| unique_key_index(i, &types, &table.name)).map(|i| {
                (
                    Unique {
                        name: i.name.clone(),
                        columns: i.parts.iter().filter_map(|p| p.column.clone()).collect(),
                        origin: i.origin.clone(),
                    },
                    true,
                )
            }),
        );
        for (u, from_index) in uniques {
            let object = if from_index {
                format!("index {} on {}", u.name.as_deref().unwrap_or_default(), table.name)
            } else {
                format!("unique ({}) on {}", u.columns.join(", "), table.name)
            };
            if let Some(c) = json_in(&u.columns) {
                out.skip(object, format!("column {c} is stored as JSON, which MySQL cannot index"), &u.origin);
                continue;
            }
            let bytes: u64 = u.columns.iter().map(|c| key_bytes(t(c))).sum();
            if bytes > MAX_KEY_BYTES {
                out.skip(object, format!("the key takes {bytes} bytes; InnoDB allows {MAX_KEY_BYTES}"), &u.origin);
                continue;
            }
            let keys = |cs: &[String]| cs.iter().map(|c| name_key(c)).collect::<Vec<_>>();
            if tt.uniques.iter().any(|o| keys(&o.columns) == keys(&u.columns)) {
                continue;
            }
            tt.uniques.push(Unique { name: u.name.as_deref().map(fit), ..u });
        }
        for c in &table.checks {
            let object = format!("check {} on {}", c.name.as_deref().unwrap_or(&c.expr), table.name);
            let expr = mysql_expr(&c.expr, &names);
            if let Some(found) = foreign_in_check(&expr) {
                out.skip(object, format!("uses `{}`, which MySQL does not accept in a CHECK", found.trim()), &c.origin);
                continue;
            }
            let mentioned = |set: &dyn Fn(&str) -> bool| c.columns.iter().find(|x| set(x)).cloned();
            if let Some(x) = mentioned(&|x| auto.as_deref() == Some(name_key(x).as_str())) {
                out.skip(object, format!("MySQL forbids AUTO_INCREMENT column {x} in a CHECK"), &c.origin);
                continue;
            }
            if let Some(x) = mentioned(&|x| action_cols.contains(&name_key(x))) {
                out.skip(
                    object,
                    format!("MySQL forbids column {x}, used by a cascading foreign-key action, in a CHECK"),
                    &c.origin,
                );
                continue;
            }
            let name = match c.name.as_deref().map(fit) {
                Some(n) if check_names.insert(name_key(&n)) => Some(n),
                Some(n) => {
                    out.note(
                        &object,
                        format!("the name {n} is used by another table's check; left unnamed"),
                        &c.origin,
                    );
                    None
                }
                None => None,
            };
            tt.checks.push(Check { name, expr: expr.trim().to_string(), ..c.clone() });
        }
        for fk in &table.foreign_keys {
            let Some(target_table) = s.table(&fk.ref_table) else { continue };
            let object = format!("foreign key {}", fk_label(table, fk));
            let mismatch = fk.columns.iter().zip(&fk.ref_columns).find(|(c, r)| {
                let (a, b) = (t(c), ty(&types, &target_table.name, r));
                is_json(a) || is_json(b) || fk_class(a) != fk_class(b)
            });
            if let Some((c, r)) = mismatch {
                out.skip(
                    object,
                    format!(
                        "{}.{} is {} but {}.{} is {}: MySQL needs matching key types",
                        table.name,
                        c,
                        t(c),
                        target_table.name,
                        r,
                        ty(&types, &target_table.name, r)
                    ),
                    &fk.origin,
                );
                continue;
            }
            tt.foreign_keys.push(carried_fk(table, fk, &mut fk_names, &mut out));
        }
        if let Some(comment) = &table.comment {
            let (c, was_cut) = cut(comment, MAX_TABLE_COMMENT);
            if was_cut {
                out.note(
                    format!("comment of {}", table.name),
                    format!("cut to MySQL's {MAX_TABLE_COMMENT} characters"),
                    &table.origin,
                );
            }
            tt.comment = Some(c).filter(|x| !x.is_empty());
        }
        target.tables.push(tt);
    }
    for index in &s.indexes {
        let Some(table) = s.table(&index.table) else { continue };
        if target.table(&table.name).is_none() {
            continue;
        }
        if unique_key_index(index, &types, &table.name) {
            continue;
        }
        if let Some(ix) = carried_index(table, index, &types, &mut out) {
            target.indexes.push(ix);
        }
    }
    carried_views(&s, &names, &mut target, &mut out);
    for r in &s.routines {
        let kind = match r.kind {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Trigger => "trigger",
        };
        let reason = if crate::common::is_postgres_routine(&r.sql) {
            "written for PostgreSQL (PL/pgSQL or EXECUTE FUNCTION); MySQL runs neither"
        } else {
            "routines are not translated to MySQL; write the MySQL version by hand"
        };
        out.skip(format!("{kind} {}", r.name), reason, &r.origin);
    }
    Translated { schema: target, skipped: out.tr.skipped, notes: out.tr.notes }
}

/// Whether `index` is a plain unique key MySQL reports as a unique constraint: unique, whole
/// columns, ascending, no predicate, and no column that would need a prefix.
fn unique_key_index(index: &Index, types: &Types, table: &str) -> bool {
    let t = |c: &str| ty(types, table, c);
    index.unique
        && index.predicate.is_none()
        && index.method.as_deref().is_none_or(|m| matches!(m.trim().to_ascii_lowercase().as_str(), "btree" | "hash"))
        && !index.parts.is_empty()
        && index.parts.iter().all(|p| p.column.is_some() && !p.descending && p.opclass.is_none())
        && index.include.is_empty()
        && index.parts.iter().all(|p| !needs_expression_default(t(p.column.as_deref().unwrap_or_default())))
}

/// A foreign key as MySQL keeps it: a name that fits and is free, actions InnoDB supports.
fn carried_fk(table: &Table, fk: &ForeignKey, names: &mut BTreeSet<String>, out: &mut Out) -> ForeignKey {
    let object = format!("foreign key {}", fk_label(table, fk));
    let name = match fk.name.as_deref().map(fit) {
        Some(n) if names.insert(name_key(&n)) => Some(n),
        Some(n) => {
            out.note(&object, format!("the name {n} is used by another foreign key; left unnamed"), &fk.origin);
            None
        }
        None => None,
    };
    let not_null = fk.columns.iter().find(|c| table.column(c).is_some_and(|c| !c.nullable)).cloned();
    let mut action = |word: &str, action: Option<ReferentialAction>| match action {
        // NOTE: InnoDB rejects SET DEFAULT actions.
        Some(ReferentialAction::SetDefault) => {
            out.skip(
                format!("ON {word} SET DEFAULT of {object}"),
                "InnoDB does not support SET DEFAULT; the default action (RESTRICT) applies",
                &fk.origin,
            );
            None
        }
        Some(ReferentialAction::SetNull) if not_null.is_some() => {
            out.skip(
                format!("ON {word} SET NULL of {object}"),
                format!(
                    "column {} is NOT NULL, so MySQL rejects SET NULL; the default action (RESTRICT) applies",
                    not_null.as_deref().unwrap_or_default()
                ),
                &fk.origin,
            );
            None
        }
        a => a,
    };
    let on_delete = action("DELETE", fk.on_delete);
    let on_update = action("UPDATE", fk.on_update);
    ForeignKey { name, on_delete, on_update, inferred: false, ..fk.clone() }
}

/// An index as MySQL keeps it, or `None` (said in `out`) when MySQL cannot build it.
fn carried_index(table: &Table, index: &Index, types: &Types, out: &mut Out) -> Option<Index> {
    let name = fit(index.name.as_deref().unwrap_or_default());
    let object = format!("index {name} on {}", table.name);
    let t = |c: &str| ty(types, &table.name, c);
    let mut method: Option<String> = None;
    match index.method.as_deref().map(|m| m.trim().to_ascii_lowercase()) {
        None => {}
        Some(m) if m == "btree" => {}
        // NOTE: InnoDB has full-text indexes (MySQL 5.6+, MariaDB 10.0.5+) and spatial ones.
        Some(m) if m == "fulltext" || m == "spatial" => method = Some(m),
        // NOTE: InnoDB builds every index as a b-tree; USING HASH is silently ignored.
        Some(m) if m == "hash" => out.note(&object, "InnoDB has no hash indexes; a b-tree is built", &index.origin),
        Some(m) => {
            out.skip(object, format!("MySQL has no {m} indexes"), &index.origin);
            return None;
        }
    }
    if let Some(pred) = &index.predicate {
        out.skip(object, format!("MySQL and MariaDB have no partial indexes (WHERE {pred})"), &index.origin);
        return None;
    }
    if let Some(e) = index.parts.iter().find_map(|p| p.expr.as_deref().filter(|_| p.column.is_none())) {
        out.skip(object, format!("MariaDB cannot index the expression `{e}`"), &index.origin);
        return None;
    }
    let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
    if let Some(c) = columns.iter().find(|c| is_json(t(c))) {
        out.skip(object, format!("column {c} is stored as JSON, which MySQL cannot index"), &index.origin);
        return None;
    }
    // NOTE: TEXT and BLOB columns can only be indexed by a prefix; a unique index never gets
    // here with one (its columns are mapped to VARCHAR/VARBINARY).
    let prefixed = |c: &str| needs_expression_default(t(c));
    let bytes: u64 =
        columns.iter().map(|c| if prefixed(c) { u64::from(PREFIX_CHARS) * 4 } else { key_bytes(t(c)) }).sum();
    if bytes > MAX_KEY_BYTES && method.is_none() {
        out.skip(object, format!("the key takes {bytes} bytes; InnoDB allows {MAX_KEY_BYTES}"), &index.origin);
        return None;
    }
    for p in &index.parts {
        if let Some(op) = &p.opclass {
            out.skip(
                format!("operator class {op} of index {name}"),
                "MySQL has no operator classes; the index uses the default ordering",
                &index.origin,
            );
        }
    }
    if !index.include.is_empty() {
        out.skip(
            format!("INCLUDE ({}) of index {name}", index.include.join(", ")),
            "MySQL has no INCLUDE columns; the index keeps only its key columns",
            &index.origin,
        );
    }
    if let Some(c) = columns.iter().find(|c| prefixed(c)).filter(|_| method.is_none()) {
        out.note(
            &object,
            format!("{c} is {}: only its first {PREFIX_CHARS} characters are indexed", t(c)),
            &index.origin,
        );
    }
    let parts = index
        .parts
        .iter()
        .filter_map(|p| {
            p.column.clone().map(|c| IndexPart { column: Some(c), expr: None, descending: p.descending, opclass: None })
        })
        .collect();
    Some(Index {
        name: Some(name),
        table: table.name.clone(),
        parts,
        unique: index.unique,
        method,
        predicate: None,
        include: Vec::new(),
        origin: index.origin.clone(),
    })
}

fn carried_views(s: &Schema, names: &BTreeSet<String>, target: &mut Schema, out: &mut Out) {
    let view_keys: BTreeSet<String> = s.views.iter().map(|v| name_key(&v.name)).collect();
    for i in view_order(s) {
        let view = &s.views[i];
        let object = format!("view {}", view.name);
        if view.materialized {
            out.skip(object, "MySQL has no materialized views", &view.origin);
            continue;
        }
        if let Some(missing) = view.tables.iter().find(|t| s.table(t).is_none() && !view_keys.contains(&name_key(t))) {
            out.skip(object, format!("reads {missing}, which is not defined"), &view.origin);
            continue;
        }
        let Some(body) = view_body(&view.sql).map(|b| mysql_expr(b, names)) else {
            out.skip(object, "not a CREATE VIEW statement", &view.origin);
            continue;
        };
        if let Some(found) = foreign(&body) {
            out.skip(object, format!("uses `{}`, which MySQL does not read as written", found.trim()), &view.origin);
            continue;
        }
        target.views.push(View { sql: format!("CREATE VIEW {body}"), ..view.clone() });
    }
}

/// The SQL type, nullability, generation, default, `ON UPDATE` and comment of `col`.
/// Character set and collation names as the server reports them: lower case, and `utf8` (an
/// alias) as `utf8mb3`, which both MariaDB 10.6+ and MySQL 8 report.
fn canonical_charsets(charset: &mut Option<String>, collation: &mut Option<String>) {
    let canonical = |name: &str| {
        let lower = name.to_ascii_lowercase();
        match lower.strip_prefix("utf8") {
            Some(rest) if rest.is_empty() || rest.starts_with('_') => format!("utf8mb3{rest}"),
            _ => lower,
        }
    };
    for name in [charset, collation].into_iter().flatten() {
        *name = canonical(name);
    }
}

fn column_def(col: &Column) -> String {
    let mut def = format!("{} {}", q(&col.name), col.ty.spelling);
    if let Some(charset) = &col.charset {
        def.push_str(&format!(" CHARACTER SET {charset}"));
    }
    if let Some(collation) = &col.collation {
        def.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(g) = &col.generated {
        def.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {}",
            g.expr.trim(),
            if g.stored { "STORED" } else { "VIRTUAL" }
        ));
    }
    if !col.nullable {
        def.push_str(" NOT NULL");
    }
    if col.identity.is_some() {
        def.push_str(" AUTO_INCREMENT");
    }
    if let Some(d) = col.default.as_ref().filter(|_| col.generated.is_none()) {
        if let Ok(m) = default_sql(&col.ty.kind, &col.ty.spelling, d) {
            def.push_str(&format!(" DEFAULT {}", m.sql));
        }
    }
    if col.on_update.as_deref().is_some_and(on_update_is_now) {
        let upper = col.ty.spelling.to_ascii_uppercase();
        let p = upper.strip_prefix("DATETIME").or_else(|| upper.strip_prefix("TIMESTAMP")).unwrap_or_default();
        def.push_str(&format!(" ON UPDATE CURRENT_TIMESTAMP{}", if p == "(0)" { "" } else { p }));
    }
    if let Some(comment) = &col.comment {
        def.push_str(&format!(" COMMENT {}", lit(comment)));
    }
    def
}

fn fk_sql(fk: &ForeignKey) -> String {
    let name = fk.name.as_deref().map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default();
    let mut s = format!(
        "{name}FOREIGN KEY ({}) REFERENCES {} ({})",
        cols(&fk.columns),
        q(&fk.ref_table),
        cols(&fk.ref_columns)
    );
    for (word, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        if let Some(a) = action {
            s.push_str(&format!(" ON {word} {}", a.as_sql()));
        }
    }
    s
}

fn unique_sql(u: &Unique) -> String {
    let name = u.name.as_deref().map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default();
    format!("{name}UNIQUE ({})", cols(&u.columns))
}

fn check_sql(c: &Check) -> String {
    let name = c.name.as_deref().map(|n| format!("CONSTRAINT {} ", q(n))).unwrap_or_default();
    format!("{name}CHECK ({})", c.expr.trim())
}

/// `CREATE TABLE` for `table`, with the foreign keys `inline` accepts. `binary_collation` makes
/// text compare like PostgreSQL and SQLite (for a document written for them); a document written
/// for MySQL gets the server's default collation, as its own `CREATE TABLE` would.
fn create_table_sql(table: &Table, inline: &dyn Fn(&ForeignKey) -> bool, binary_collation: bool) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(column_def).collect();
    if let Some(pk) = &table.primary_key {
        lines.push(format!("PRIMARY KEY ({})", cols(&pk.columns)));
    }
    lines.extend(table.uniques.iter().map(unique_sql));
    lines.extend(table.checks.iter().map(check_sql));
    lines.extend(table.foreign_keys.iter().filter(|fk| inline(fk)).map(fk_sql));
    // NOTE: utf8mb4_bin compares like PostgreSQL and SQLite (case- and accent-sensitive) and
    // exists on both MySQL 8 and MariaDB.
    let charset = table.options.charset.as_deref().unwrap_or("utf8mb4");
    let mut options = format!(" ENGINE=InnoDB DEFAULT CHARSET={charset}");
    match &table.options.collation {
        Some(collation) => options.push_str(&format!(" COLLATE={collation}")),
        None if binary_collation && table.options.charset.is_none() => options.push_str(" COLLATE=utf8mb4_bin"),
        None => {}
    }
    if let Some(comment) = &table.comment {
        options.push_str(&format!(" COMMENT={}", lit(comment)));
    }
    format!("CREATE TABLE {} (\n  {}\n){options}", q(&table.name), lines.join(",\n  "))
}

fn create_index_sql(index: &Index, table: Option<&Table>) -> String {
    let kind = match index.method.as_deref() {
        Some("fulltext") => "FULLTEXT ",
        Some("spatial") => "SPATIAL ",
        _ if index.unique => "UNIQUE ",
        _ => "",
    };
    let whole = kind.starts_with('F') || kind.starts_with('S');
    let prefixed = |c: &str| {
        !whole && table.and_then(|t| t.column(c)).is_some_and(|col| needs_expression_default(&col.ty.spelling))
    };
    let parts: Vec<String> = index
        .parts
        .iter()
        .filter_map(|p| {
            p.column.as_deref().map(|c| {
                let prefix = if prefixed(c) { format!("({PREFIX_CHARS})") } else { String::new() };
                format!("{}{prefix}{}", q(c), if p.descending { " DESC" } else { "" })
            })
        })
        .collect();
    format!(
        "CREATE {kind}INDEX {} ON {} ({})",
        q(index.name.as_deref().unwrap_or_default()),
        q(&index.table),
        parts.join(", ")
    )
}

/// A query counting the groups of rows of `table` that share values of `columns` (what a new
/// unique key would reject).
fn duplicates_probe(table: &str, columns: &[String]) -> String {
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1) AS d",
        q(table),
        columns.iter().map(|c| format!("{} IS NOT NULL", q(c))).collect::<Vec<_>>().join(" AND "),
        cols(columns)
    )
}

/// Whether every value of `from` fits `to` unchanged.
fn widens(from: &TypeKind, to: &TypeKind) -> bool {
    use TypeKind::*;
    let chars = |k: &TypeKind| match k {
        Varchar { len: Some(n) } | Char { len: Some(n) } => Some(u64::from(*n)),
        Text => Some(65_535),
        Other { raw } if raw == "mediumtext" => Some(16_777_215),
        Other { raw } if raw == "longtext" => Some(u64::MAX),
        _ => None,
    };
    match (from, to) {
        (a, b) if a == b => true,
        (Bool, Int { .. }) => true,
        (Int { bytes: a }, Int { bytes: b }) => a <= b,
        (Int { bytes }, Decimal { precision: Some(p), scale }) => {
            u32::from(*bytes) * 5 / 2 < p.saturating_sub(scale.unwrap_or(0))
        }
        (Int { bytes }, Float { bytes: 8 }) => *bytes <= 4,
        (Float { bytes: 4 }, Float { bytes: 8 }) => true,
        (Decimal { precision: Some(p1), scale: s1 }, Decimal { precision: Some(p2), scale: s2 }) => {
            let (s1, s2) = (s1.unwrap_or(0), s2.unwrap_or(0));
            s2 >= s1 && p2.saturating_sub(s2) >= p1.saturating_sub(s1)
        }
        (Timestamp { tz: t1, precision: a }, Timestamp { tz: t2, precision: b }) => {
            t1 == t2 && a.unwrap_or(0) <= b.unwrap_or(0)
        }
        (Date, Timestamp { tz: false, .. }) => true,
        (a, b) => match (chars(a), chars(b)) {
            (Some(x), Some(y)) => x <= y,
            _ => false,
        },
    }
}

/// A query counting the values of `table.column` that a change of type to `to` would cut or
/// reject, when one can be written.
fn narrowing_probe(table: &str, column: &str, to: &TypeKind) -> Option<String> {
    let c = q(column);
    let condition = match to {
        TypeKind::Varchar { len: Some(n) } | TypeKind::Char { len: Some(n) } => format!("char_length({c}) > {n}"),
        TypeKind::Text => format!("length({c}) > 65535"),
        TypeKind::Int { bytes } if *bytes < 8 => {
            let bits = u32::from(*bytes) * 8 - 1;
            let max = (1i64 << bits) - 1;
            format!("{c} NOT BETWEEN {} AND {max}", -max - 1)
        }
        TypeKind::Bool => format!("{c} NOT BETWEEN -128 AND 127"),
        TypeKind::Decimal { precision: Some(p), scale } => {
            let digits = p.saturating_sub(scale.unwrap_or(0));
            format!("abs({c}) >= 1e{digits}")
        }
        _ => return None,
    };
    Some(format!("SELECT count(*) FROM {} WHERE {c} IS NOT NULL AND {condition}", q(table)))
}

/// The condition that tells a value of column `c` that `effect` changes (going from `from` to `to`),
/// as MySQL converts on `MODIFY COLUMN`; `None` when it cannot be told exactly.
fn changed(effect: Effect, c: &str, from: &TypeKind, to: &TypeKind) -> Option<String> {
    let decimal = |precision: &Option<u32>, scale: &Option<u32>| {
        format!("DECIMAL({},{})", precision.unwrap_or(10), scale.unwrap_or(0))
    };
    Some(match effect {
        Effect::Scale { .. } => match to {
            // NOTE: CAST rounds as the column does (half away from zero), and clamps what is too
            // large, which is counted too: either way the stored value is not the old one.
            TypeKind::Decimal { precision, scale } => format!("CAST({c} AS {}) <> {c}", decimal(precision, scale)),
            _ => return None,
        },
        Effect::Fraction => format!("{c} <> ROUND({c})"),
        Effect::Mantissa { bits } => inexact_in_float(c, bits),
        Effect::FloatPrecision => match (from, to) {
            (TypeKind::Float { .. }, TypeKind::Float { .. }) => format!("CAST({c} AS FLOAT) <> {c}"),
            _ => return None,
        },
        Effect::TimeOfDay => format!("TIME({c}) <> '00:00:00'"),
        Effect::SubSecond { precision } => format!("CAST({c} AS DATETIME({precision})) <> {c}"),
        // NOTE: UNIX_TIMESTAMP reads a DATETIME in the session's zone and gives 0 outside the
        // TIMESTAMP range; FROM_UNIXTIME writes it back, moving a time of a daylight-saving gap.
        Effect::ZoneInterpretation => {
            format!("(UNIX_TIMESTAMP({c}) = 0 OR FROM_UNIXTIME(UNIX_TIMESTAMP({c})) <> {c})")
        }
        // NOTE: a TIMESTAMP reads as the session's local time; in the repeated hour of a
        // daylight-saving change two instants read alike, and only one comes back.
        Effect::ZoneDropped => format!("UNIX_TIMESTAMP(CAST({c} AS DATETIME(6))) <> UNIX_TIMESTAMP({c})"),
        Effect::TextToNumber => match to {
            // NOTE: a string becomes an integer rounded (`1.5` → 2), from its leading number
            // (`12abc` → 12, or an error in strict mode); compared as bytes, so `007` ≠ `7`.
            TypeKind::Int { .. } => {
                format!("CONCAT(ROUND(CAST({c} AS DECIMAL(65,30)))) <> CAST({c} AS BINARY)")
            }
            TypeKind::Decimal { precision, scale } => format!(
                "({c} NOT REGEXP '^[-+]?[0-9]+([.][0-9]+)?$' OR CAST({c} AS {}) <> CAST({c} AS DECIMAL(65,30)))",
                decimal(precision, scale)
            ),
            _ => format!("{c} NOT REGEXP '^[-+]?[0-9]+([.][0-9]+)?$'"),
        },
    })
}

/// Statements of a plan being built, each a separate, non-transactional step.
struct Steps<'a> {
    statements: Vec<PlannedStatement>,
    options: &'a PlanOptions,
    /// The live schema, the target and the changes between them.
    from: &'a Schema,
    to: &'a Schema,
    changes: &'a ChangeSet,
}

impl Steps<'_> {
    fn push(&mut self, change: usize, sql: String, reason: String, mut hazards: Vec<Hazard>) {
        // NOTE: MySQL commits every DDL statement on its own: a failed plan stays applied up to
        // the failing statement, which is why apply records each completed step.
        hazards.push(Hazard::new(
            HazardKind::NotTransactional,
            "MySQL commits DDL immediately: if a later step fails, this one stays done",
        ));
        self.statements.push(PlannedStatement { sql, reason, hazards, transactional: false, change });
    }

    fn populated(&self, table: &str) -> bool {
        !self.options.empty_tables.iter().any(|t| name_key(t) == name_key(table))
    }
}

/// The statements that carry out `changes` on MySQL/MariaDB. Each runs on its own (MySQL DDL is
/// not transactional), in an order the server accepts: views and foreign keys are dropped first,
/// then keys and indexes; renames; new tables (in dependency order, foreign keys inline when the
/// referenced table already exists); column changes; dropped tables; new foreign keys; new
/// indexes; new views.
pub(super) fn plan(changes: &ChangeSet, from: &Schema, to: &Schema, options: &PlanOptions) -> Plan {
    let mut steps = Steps { statements: Vec::new(), options, from, to, changes };
    let mut skipped = Vec::new();
    let list: Vec<(usize, &Change)> = changes.changes.iter().enumerate().collect();
    let each = |f: &dyn Fn(&Change) -> bool| list.iter().filter(move |(_, c)| f(c)).copied().collect::<Vec<_>>();
    let dropped_tables: BTreeSet<String> = changes
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::DropTable { table } => Some(name_key(&table.name)),
            _ => None,
        })
        .collect();
    let created = created_tables(changes);

    // 1. What depends on tables and keys goes first: views, routines, foreign keys.
    for (i, c) in each(&|c| matches!(c, Change::DropView { .. } | Change::DropRoutine { .. })) {
        match c {
            Change::DropView { view } => {
                steps.push(i, format!("DROP VIEW IF EXISTS {}", q(&view.name)), c.describe(), Vec::new())
            }
            Change::DropRoutine { routine } => {
                let kind = match routine.kind {
                    RoutineKind::Function => "FUNCTION",
                    RoutineKind::Procedure => "PROCEDURE",
                    RoutineKind::Trigger => "TRIGGER",
                };
                steps.push(i, format!("DROP {kind} IF EXISTS {}", q(&routine.name)), c.describe(), Vec::new());
            }
            _ => {}
        }
    }
    for (i, c) in &list {
        match c {
            Change::DropForeignKey { table, foreign_key } => match &foreign_key.name {
                Some(n) => steps.push(
                    *i,
                    format!("ALTER TABLE {} DROP FOREIGN KEY {}", q(table), q(n)),
                    c.describe(),
                    Vec::new(),
                ),
                None => skipped.push(unnamed(c, &foreign_key.origin)),
            },
            // A dropped table's foreign keys go first, so dropped tables can go in any order.
            Change::DropTable { table } => {
                for fk in table.foreign_keys.iter().filter(|fk| dropped_tables.contains(&name_key(&fk.ref_table))) {
                    if let Some(n) = &fk.name {
                        steps.push(
                            *i,
                            format!("ALTER TABLE {} DROP FOREIGN KEY {}", q(&table.name), q(n)),
                            format!("drop foreign key {} (table {} is dropped)", fk_label(table, fk), table.name),
                            Vec::new(),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    // 2. Keys, checks and indexes that go away.
    for (i, c) in &list {
        match c {
            Change::DropIndex { index } => steps.push(
                *i,
                format!("DROP INDEX {} ON {}", q(index.name.as_deref().unwrap_or_default()), q(&index.table)),
                format!("drop index {} on {}", index.name.as_deref().unwrap_or_default(), index.table),
                Vec::new(),
            ),
            Change::RenameIndex { from, to } => steps.push(
                *i,
                format!(
                    "ALTER TABLE {} RENAME INDEX {} TO {}",
                    q(&to.table),
                    q(from.name.as_deref().unwrap_or_default()),
                    q(to.name.as_deref().unwrap_or_default())
                ),
                c.describe(),
                Vec::new(),
            ),
            // NOTE: a MySQL unique key is an index.
            Change::RenameUnique { table, from, to } => steps.push(
                *i,
                format!("ALTER TABLE {} RENAME INDEX {} TO {}", q(table), q(from), q(to)),
                c.describe(),
                Vec::new(),
            ),
            Change::DropUnique { table, unique } => match &unique.name {
                Some(n) => {
                    steps.push(*i, format!("ALTER TABLE {} DROP INDEX {}", q(table), q(n)), c.describe(), Vec::new())
                }
                None => skipped.push(unnamed(c, &unique.origin)),
            },
            Change::DropCheck { table, check } => match &check.name {
                Some(n) => steps.push(
                    *i,
                    format!("ALTER TABLE {} DROP CONSTRAINT {}", q(table), q(n)),
                    c.describe(),
                    Vec::new(),
                ),
                None => skipped.push(unnamed(c, &check.origin)),
            },
            _ => {}
        }
    }
    // 3. Renames keep the data.
    for (i, c) in &list {
        match c {
            Change::RenameTable { from, to } => {
                steps.push(*i, format!("RENAME TABLE {} TO {}", q(from), q(to)), c.describe(), Vec::new())
            }
            Change::RenameColumn { table, from, to } => steps.push(
                *i,
                // NOTE: RENAME COLUMN needs MariaDB 10.5 or MySQL 8.0.
                format!("ALTER TABLE {} RENAME COLUMN {} TO {}", q(table), q(from), q(to)),
                c.describe(),
                Vec::new(),
            ),
            _ => {}
        }
    }
    // 4. New tables, referenced ones first.
    let order = Order::new(to);
    let position = |name: &str| order.tables.iter().position(|&t| name_eq(&to.tables[t].name, name));
    let mut creates: Vec<(usize, &Table)> = list
        .iter()
        .filter_map(|(i, c)| match c {
            Change::CreateTable { table } => Some((*i, table)),
            _ => None,
        })
        .collect();
    creates.sort_by_key(|(i, t)| (position(&t.name).unwrap_or(usize::MAX), *i));
    let mut deferred: Vec<(usize, &Table, &ForeignKey)> = Vec::new();
    for (i, table) in &creates {
        let defer = |fk: &ForeignKey| {
            created.contains(&name_key(&fk.ref_table)) && order.is_deferred(&table.name, &fk.ref_table)
        };
        deferred.extend(table.foreign_keys.iter().filter(|fk| defer(fk)).map(|fk| (*i, *table, fk)));
        let binary_collation = to.sql_dialect != Some(SqlDialect::Mysql);
        let sql = create_table_sql(table, &|fk| !defer(fk), binary_collation);
        steps.push(*i, sql, format!("create table {}", table.name), Vec::new());
    }
    // 5. Column changes, keys and checks of existing tables; columns dropped last.
    let alters = |gaining_identity: bool| {
        each(
            &|c| matches!(c, Change::AlterColumn { from, to, .. } if (to.identity.is_some() && from.identity.is_none()) == gaining_identity),
        )
    };
    for (i, c) in each(&|c| matches!(c, Change::AddColumn { .. })) {
        if let Change::AddColumn { table, column } = c {
            let mut hazards = Vec::new();
            if !column.nullable && column.default.is_none() && column.identity.is_none() && steps.populated(table) {
                hazards.push(Hazard::new(
                    HazardKind::MayFail,
                    format!(
                        "{table}.{} is NOT NULL without a default: existing rows get the type's zero value",
                        column.name
                    ),
                ));
            }
            hazards.push(Hazard::new(HazardKind::Locks, format!("{table} may be copied while the column is added")));
            steps.push(i, format!("ALTER TABLE {} ADD COLUMN {}", q(table), column_def(column)), c.describe(), hazards);
        }
    }
    for (i, c) in alters(false) {
        alter_column(&mut steps, i, c);
    }
    for (i, c) in each(&|c| matches!(c, Change::SetPrimaryKey { .. })) {
        if let Change::SetPrimaryKey { table, from: old, to: new } = c {
            let mut parts = Vec::new();
            if old.is_some() {
                parts.push("DROP PRIMARY KEY".to_string());
            }
            let mut hazards = vec![Hazard::new(HazardKind::Rewrite, format!("{table} is rebuilt"))];
            if let Some(pk) = new {
                parts.push(format!("ADD PRIMARY KEY ({})", cols(&pk.columns)));
                if steps.populated(table) {
                    hazards.push(
                        Hazard::new(
                            HazardKind::MayFail,
                            format!(
                                "rows of {table} sharing ({}) make the new primary key fail",
                                pk.columns.join(", ")
                            ),
                        )
                        .counted(
                            duplicates_probe(table, &pk.columns),
                            format!("duplicated ({}) in {table}", pk.columns.join(", ")),
                        ),
                    );
                }
            }
            steps.push(i, format!("ALTER TABLE {} {}", q(table), parts.join(", ")), c.describe(), hazards);
        }
    }
    for (i, c) in &list {
        match c {
            Change::AddUnique { table, unique } => {
                let mut hazards = Vec::new();
                if steps.populated(table) {
                    hazards.push(
                        Hazard::new(
                            HazardKind::MayFail,
                            format!("rows of {table} sharing ({}) make the key fail", unique.columns.join(", ")),
                        )
                        .counted(
                            duplicates_probe(table, &unique.columns),
                            format!("duplicated ({}) in {table}", unique.columns.join(", ")),
                        ),
                    );
                }
                steps.push(*i, format!("ALTER TABLE {} ADD {}", q(table), unique_sql(unique)), c.describe(), hazards);
            }
            Change::AddCheck { table, check } => {
                let mut hazards = Vec::new();
                if steps.populated(table) {
                    hazards.push(
                        Hazard::new(HazardKind::MayFail, format!("rows of {table} violating the check make it fail"))
                            .counted(
                                format!("SELECT count(*) FROM {} WHERE NOT ({})", q(table), check.expr.trim()),
                                format!("rows of {table} violating the check"),
                            ),
                    );
                }
                steps.push(*i, format!("ALTER TABLE {} ADD {}", q(table), check_sql(check)), c.describe(), hazards);
            }
            Change::SetTableComment { table, comment } => steps.push(
                *i,
                format!("ALTER TABLE {} COMMENT = {}", q(table), lit(comment.as_deref().unwrap_or_default())),
                c.describe(),
                Vec::new(),
            ),
            // NOTE: the table's default applies to columns added later; existing columns keep
            // theirs (a column the document states a collation for is altered on its own).
            Change::SetTableOptions { table, to, .. } if to.charset.is_some() || to.collation.is_some() => {
                let mut sql = format!("ALTER TABLE {}", q(table));
                if let Some(charset) = &to.charset {
                    sql.push_str(&format!(" DEFAULT CHARSET={charset}"));
                }
                if let Some(collation) = &to.collation {
                    sql.push_str(&format!(" COLLATE={collation}"));
                }
                steps.push(*i, sql, c.describe(), Vec::new());
            }
            _ => {}
        }
    }
    for (i, c) in alters(true) {
        alter_column(&mut steps, i, c);
    }
    for (i, c) in each(&|c| matches!(c, Change::DropColumn { .. })) {
        if let Change::DropColumn { table, column } = c {
            let mut hazards = Vec::new();
            // NOTE: a generated column's values are derived from the others: dropping it loses nothing.
            if column.generated.is_none() {
                hazards.push(
                    Hazard::new(HazardKind::Drop, format!("the values of {table}.{} are deleted", column.name))
                        .counted(
                            format!("SELECT count(*) FROM {} WHERE {} IS NOT NULL", q(table), q(&column.name)),
                            format!("non-null values in {table}.{}", column.name),
                        ),
                );
            }
            if let Some(r) =
                changes.likely_renames.iter().find(|r| name_eq(&r.table, table) && name_eq(&r.from, &column.name))
            {
                hazards.push(Hazard::new(
                    HazardKind::LikelyRename,
                    format!(
                        "{table}.{} is dropped and {table}.{} added with the same type: if it was renamed, declare it (--rename {table}.{}={}) to keep the data",
                        r.from, r.to, r.from, r.to
                    ),
                ));
            }
            steps.push(i, format!("ALTER TABLE {} DROP COLUMN {}", q(table), q(&column.name)), c.describe(), hazards);
        }
    }
    // 6. Tables that go away.
    for (i, c) in each(&|c| matches!(c, Change::DropTable { .. })) {
        if let Change::DropTable { table } = c {
            let hazards = vec![Hazard::new(HazardKind::Drop, format!("every row of {} is deleted", table.name))
                .counted(format!("SELECT count(*) FROM {}", q(&table.name)), format!("rows in {}", table.name))];
            steps.push(i, format!("DROP TABLE {}", q(&table.name)), c.describe(), hazards);
        }
    }
    // 7. Foreign keys, once both ends exist.
    for (i, table, fk) in deferred {
        steps.push(
            i,
            format!("ALTER TABLE {} ADD {}", q(&table.name), fk_sql(fk)),
            format!("add foreign key {}", fk_label(table, fk)),
            Vec::new(),
        );
    }
    for (i, c) in each(&|c| matches!(c, Change::AddForeignKey { .. })) {
        if let Change::AddForeignKey { table, foreign_key: fk } = c {
            let mut hazards = Vec::new();
            if steps.populated(table) {
                let probe = format!(
                    "SELECT count(*) FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
                    q(table),
                    fk.columns.iter().map(|x| format!("c.{} IS NOT NULL", q(x))).collect::<Vec<_>>().join(" AND "),
                    q(&fk.ref_table),
                    fk.columns
                        .iter()
                        .zip(&fk.ref_columns)
                        .map(|(a, b)| format!("p.{} = c.{}", q(b), q(a)))
                        .collect::<Vec<_>>()
                        .join(" AND ")
                );
                hazards.push(
                    Hazard::new(
                        HazardKind::MayFail,
                        format!("rows of {table} referring to missing {} rows make it fail", fk.ref_table),
                    )
                    .counted(probe, format!("rows of {table} without a matching {}", fk.ref_table)),
                );
            }
            steps.push(i, format!("ALTER TABLE {} ADD {}", q(table), fk_sql(fk)), c.describe(), hazards);
        }
    }
    // 8. Indexes, then views.
    for (i, c) in each(&|c| matches!(c, Change::CreateIndex { .. })) {
        if let Change::CreateIndex { index } = c {
            let table = to.table(&index.table).or_else(|| from.table(&index.table));
            let mut hazards = Vec::new();
            if index.unique && steps.populated(&index.table) && !created.contains(&name_key(&index.table)) {
                let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
                hazards.push(
                    Hazard::new(
                        HazardKind::MayFail,
                        format!("duplicated ({}) make the index fail", columns.join(", ")),
                    )
                    .counted(
                        duplicates_probe(&index.table, &columns),
                        format!("duplicated ({}) in {}", columns.join(", "), index.table),
                    ),
                );
            }
            steps.push(
                i,
                create_index_sql(index, table),
                format!("create index {} on {}", index.name.as_deref().unwrap_or_default(), index.table),
                hazards,
            );
        }
    }
    let views: Vec<&View> = list
        .iter()
        .filter_map(|(_, c)| match c {
            Change::CreateView { view } => Some(view),
            _ => None,
        })
        .collect();
    let view_schema = Schema { views: views.iter().map(|v| (*v).clone()).collect(), ..Schema::default() };
    for vi in view_order(&view_schema) {
        let view = views[vi];
        let i = list
            .iter()
            .find(|(_, c)| matches!(c, Change::CreateView { view: v } if v.name == view.name))
            .map_or(0, |(i, _)| *i);
        steps.push(i, view.sql.clone(), format!("create view {}", view.name), Vec::new());
    }
    for (_, c) in each(&|c| matches!(c, Change::CreateRoutine { .. })) {
        if let Change::CreateRoutine { routine } = c {
            skipped.push(Skipped {
                object: c.describe(),
                reason: "routines are not translated to MySQL; write the MySQL version by hand".into(),
                origin: routine.origin.clone(),
            });
        }
    }
    Plan { statements: steps.statements, skipped, notes: Vec::new() }
}

fn unnamed(change: &Change, origin: &model::Origin) -> Skipped {
    Skipped {
        object: change.describe(),
        reason: "the constraint has no name to drop it by".into(),
        origin: origin.clone(),
    }
}

fn alter_column(steps: &mut Steps<'_>, i: usize, change: &Change) {
    let Change::AlterColumn { table, from, to, changes } = change else { return };
    if changes.generated && to.generated.is_some() {
        regenerate(steps, i, change, table, from, to);
        return;
    }
    if changes.generated && from.generated.as_ref().is_some_and(|g| !g.stored) {
        materialize(steps, i, change, table, from, to);
        return;
    }
    let mut hazards = Vec::new();
    let populated = steps.populated(table);
    if changes.ty {
        hazards.push(Hazard::new(HazardKind::Rewrite, format!("{table} is copied to change the type")));
        hazards.push(Hazard::new(HazardKind::Locks, format!("writes to {table} wait while it is copied")));
        if populated && !widens(&from.ty.kind, &to.ty.kind) {
            let effects = conversion::effects(&from.ty.kind, &to.ty.kind, 0);
            let message = format!(
                "{table}.{} narrows from {} to {}: values that do not fit are cut (or, in strict mode, make the statement fail)",
                to.name, from.ty.spelling, to.ty.spelling
            );
            let hazard = Hazard::new(HazardKind::DataLoss, message);
            match narrowing_probe(table, &from.name, &to.ty.kind) {
                Some(probe) => hazards.push(
                    hazard.counted(probe, format!("values of {table}.{} that do not fit {}", to.name, to.ty.spelling)),
                ),
                None if effects.is_empty() => hazards.push(hazard),
                None => {}
            }
            let (c, label) = (q(&from.name), format!("{table}.{}", from.name));
            for effect in effects {
                let condition = changed(effect, &c, &from.ty.kind, &to.ty.kind);
                let zone = steps.options.time_zone.as_deref();
                hazards.push(effect.hazard(&q(table), &label, &to.ty.spelling, zone, condition));
            }
        }
    }
    if changes.nullable && !to.nullable && populated {
        hazards.push(
            Hazard::new(HazardKind::MayFail, format!("NULLs in {table}.{} make NOT NULL fail", to.name)).counted(
                format!("SELECT count(*) FROM {} WHERE {} IS NULL", q(table), q(&from.name)),
                format!("NULL values in {table}.{}", to.name),
            ),
        );
    }
    steps.push(i, format!("ALTER TABLE {} MODIFY COLUMN {}", q(table), column_def(to)), change.describe(), hazards);
}

/// A generated column whose expression or storage changed, or an ordinary column becoming
/// generated: dropped and added again.
// NOTE: MariaDB refuses MODIFY COLUMN between VIRTUAL and STORED and from an ordinary column to a
// generated one ("not yet supported for generated columns"); a drop and an add works everywhere.
fn regenerate(steps: &mut Steps<'_>, i: usize, change: &Change, table: &str, from: &Column, to: &Column) {
    let mut hazards = vec![Hazard::new(
        HazardKind::Rewrite,
        format!(
            "{table}.{} is dropped and added again: {table} is copied to compute it, and indexes on the column \
             must be created again",
            to.name
        ),
    )];
    if from.generated.is_none() {
        hazards.push(
            Hazard::new(
                HazardKind::DataLoss,
                format!("{table}.{} becomes generated: its values are replaced", to.name),
            )
            .counted(
                format!("SELECT count(*) FROM {} WHERE {} IS NOT NULL", q(table), q(&from.name)),
                format!("non-null values in {table}.{}", from.name),
            ),
        );
    }
    release(steps, i, table, &from.name);
    steps.push(i, format!("ALTER TABLE {} DROP COLUMN {}", q(table), q(&from.name)), change.describe(), hazards);
    steps.push(i, format!("ALTER TABLE {} ADD COLUMN {}", q(table), column_def(to)), change.describe(), Vec::new());
    restore(steps, i, table, &to.name);
}

/// Before `table.column` is dropped to be added again: drops the live indexes, unique keys,
/// checks and foreign keys using it and the foreign keys of other tables referencing it, unless a
/// change of the plan drops them already.
// NOTE: MariaDB refuses to drop a column a CHECK or a foreign key uses, and dropping a column of a
// multi-column index leaves the index on the other columns; dropping them first avoids both.
fn release(steps: &mut Steps<'_>, i: usize, table: &str, column: &str) {
    let (from, changes) = (steps.from, steps.changes);
    let uses = |cs: &[String]| cs.iter().any(|c| name_eq(c, column));
    let dropped = |f: &dyn Fn(&Change) -> bool| changes.changes.iter().any(f);
    let reason = |what: String| format!("drop {what} while {table}.{column} is added again");
    for t in &from.tables {
        for fk in &t.foreign_keys {
            let using = (name_eq(&t.name, table) && uses(&fk.columns))
                || (name_eq(&fk.ref_table, table) && uses(&fk.ref_columns));
            let Some(name) = fk.name.as_deref().filter(|_| using) else { continue };
            let gone = dropped(&|c| match c {
                Change::DropForeignKey { table: x, foreign_key: f } => {
                    name_eq(x, &t.name) && f.name.as_deref().is_some_and(|n| name_eq(n, name))
                }
                Change::DropTable { table: x } => name_eq(&x.name, &t.name),
                _ => false,
            });
            if !gone {
                let sql = format!("ALTER TABLE {} DROP FOREIGN KEY {}", q(&t.name), q(name));
                steps.push(i, sql, reason(format!("foreign key {}", fk_label(t, fk))), Vec::new());
            }
        }
    }
    let Some(live) = from.table(table) else { return };
    for check in live.checks.iter().filter(|c| check_uses(c, column)) {
        let Some(name) = check.name.as_deref() else { continue };
        let gone = dropped(
            &|c| matches!(c, Change::DropCheck { table: x, check: k } if name_eq(x, table) && k.name.as_deref().is_some_and(|n| name_eq(n, name))),
        );
        if !gone {
            let sql = format!("ALTER TABLE {} DROP CONSTRAINT {}", q(table), q(name));
            steps.push(i, sql, reason(format!("check {name} on {table}")), Vec::new());
        }
    }
    for unique in live.uniques.iter().filter(|u| uses(&u.columns)) {
        let Some(name) = unique.name.as_deref() else { continue };
        let gone = dropped(
            &|c| matches!(c, Change::DropUnique { table: x, unique: u } if name_eq(x, table) && u.name.as_deref().is_some_and(|n| name_eq(n, name))),
        );
        if !gone {
            let sql = format!("ALTER TABLE {} DROP INDEX {}", q(table), q(name));
            steps.push(i, sql, reason(format!("unique key {name} on {table}")), Vec::new());
        }
    }
    for index in from.indexes_of(table).filter(|ix| index_uses(ix, column)) {
        let Some(name) = index.name.as_deref() else { continue };
        let gone = dropped(
            &|c| matches!(c, Change::DropIndex { index: x } if name_eq(&x.table, table) && x.name.as_deref().is_some_and(|n| name_eq(n, name))),
        );
        if !gone {
            let sql = format!("DROP INDEX {} ON {}", q(name), q(table));
            steps.push(i, sql, reason(format!("index {name} on {table}")), Vec::new());
        }
    }
}

/// After `table.column` was added again: the target's indexes, unique keys, checks and foreign
/// keys using it and the foreign keys of other tables referencing it, unless a change of the plan
/// creates them anyway (later in the plan).
fn restore(steps: &mut Steps<'_>, i: usize, table: &str, column: &str) {
    let (to, changes) = (steps.to, steps.changes);
    let Some(target) = to.table(table) else { return };
    let uses = |cs: &[String]| cs.iter().any(|c| name_eq(c, column));
    let same = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_eq(x, y));
    let planned = |f: &dyn Fn(&Change) -> bool| changes.changes.iter().any(f);
    let populated = steps.populated(table);
    let reason = |what: String| format!("add {what} again after {table}.{column} was added again");
    for index in to.indexes_of(table).filter(|ix| index_uses(ix, column)) {
        let created = planned(
            &|c| matches!(c, Change::CreateIndex { index: x } if name_eq(&x.table, table) && x.name.as_deref().map(name_key) == index.name.as_deref().map(name_key)),
        );
        if !created {
            let what = format!("index {} on {table}", index.name.as_deref().unwrap_or_default());
            steps.push(i, create_index_sql(index, Some(target)), reason(what), Vec::new());
        }
    }
    for unique in target.uniques.iter().filter(|u| uses(&u.columns)) {
        let added = planned(
            &|c| matches!(c, Change::AddUnique { table: x, unique: u } if name_eq(x, table) && same(&u.columns, &unique.columns)),
        );
        if added {
            continue;
        }
        let mut hazards = Vec::new();
        if populated {
            hazards.push(
                Hazard::new(
                    HazardKind::MayFail,
                    format!("rows of {table} sharing ({}) make the key fail", unique.columns.join(", ")),
                )
                .counted(
                    duplicates_probe(table, &unique.columns),
                    format!("duplicated ({}) in {table}", unique.columns.join(", ")),
                ),
            );
        }
        let what = format!("unique ({}) on {table}", unique.columns.join(", "));
        steps.push(i, format!("ALTER TABLE {} ADD {}", q(table), unique_sql(unique)), reason(what), hazards);
    }
    for check in target.checks.iter().filter(|c| check_uses(c, column)) {
        let added = planned(
            &|c| matches!(c, Change::AddCheck { table: x, check: k } if name_eq(x, table) && (k.expr == check.expr || (k.name.is_some() && k.name == check.name))),
        );
        if added {
            continue;
        }
        let mut hazards = Vec::new();
        if populated {
            hazards.push(
                Hazard::new(HazardKind::MayFail, format!("rows of {table} violating the check make it fail")).counted(
                    format!("SELECT count(*) FROM {} WHERE NOT ({})", q(table), check.expr.trim()),
                    format!("rows of {table} violating the check"),
                ),
            );
        }
        let what = format!("check {} on {table}", check.name.as_deref().unwrap_or(check.expr.trim()));
        steps.push(i, format!("ALTER TABLE {} ADD {}", q(table), check_sql(check)), reason(what), hazards);
    }
    for t in &to.tables {
        for fk in &t.foreign_keys {
            let using = (name_eq(&t.name, table) && uses(&fk.columns))
                || (name_eq(&fk.ref_table, table) && uses(&fk.ref_columns));
            if !using {
                continue;
            }
            let added = planned(&|c| match c {
                Change::AddForeignKey { table: x, foreign_key: f } => {
                    name_eq(x, &t.name) && same(&f.columns, &fk.columns) && name_eq(&f.ref_table, &fk.ref_table)
                }
                Change::CreateTable { table: x } => name_eq(&x.name, &t.name),
                _ => false,
            });
            if !added {
                let what = format!("foreign key {}", fk_label(t, fk));
                steps.push(i, format!("ALTER TABLE {} ADD {}", q(&t.name), fk_sql(fk)), reason(what), Vec::new());
            }
        }
    }
}

/// A VIRTUAL generated column becoming an ordinary one: its values are copied into a new column
/// that takes its place.
// NOTE: MariaDB refuses MODIFY COLUMN from a VIRTUAL generated column to an ordinary one; a STORED
// one is modified in place and keeps its values.
fn materialize(steps: &mut Steps<'_>, i: usize, change: &Change, table: &str, from: &Column, to: &Column) {
    let temp = fit(&format!("_schemadoc_{}", to.name));
    let column = Column { name: temp.clone(), nullable: true, ..to.clone() };
    let rewrite = Hazard::new(HazardKind::Rewrite, format!("{table}.{} is copied into a new column", to.name));
    let t = q(table);
    steps.push(i, format!("ALTER TABLE {t} ADD COLUMN {}", column_def(&column)), change.describe(), vec![rewrite]);
    steps.push(i, format!("UPDATE {t} SET {} = {}", q(&temp), q(&from.name)), change.describe(), Vec::new());
    release(steps, i, table, &from.name);
    steps.push(i, format!("ALTER TABLE {t} DROP COLUMN {}", q(&from.name)), change.describe(), Vec::new());
    let mut hazards = Vec::new();
    if !to.nullable && steps.populated(table) {
        hazards.push(
            Hazard::new(HazardKind::MayFail, format!("NULLs in {table}.{} make NOT NULL fail", to.name)).counted(
                format!("SELECT count(*) FROM {t} WHERE {} IS NULL", q(&from.name)),
                format!("NULL values in {table}.{}", to.name),
            ),
        );
    }
    steps.push(i, format!("ALTER TABLE {t} CHANGE COLUMN {} {}", q(&temp), column_def(to)), change.describe(), hazards);
    restore(steps, i, table, &to.name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use diff::Renames;
    use model::{Notation, Origin};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::Sql)
    }

    fn table(name: &str, cols: &[(&str, TypeKind)]) -> Table {
        let mut t = Table::new(name, origin());
        for (c, k) in cols {
            t.columns.push(Column::new(*c, DataType::new(k.clone(), k.to_string()), origin()));
        }
        t.primary_key = Some(model::PrimaryKey { name: None, columns: vec![cols[0].0.to_string()], origin: origin() });
        t
    }

    fn fk(col: &str, target: &str) -> ForeignKey {
        ForeignKey {
            name: Some(format!("fk_{col}")),
            columns: vec![col.into()],
            ref_table: target.into(),
            ref_columns: vec!["id".into()],
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: origin(),
        }
    }

    fn planned(from: &Schema, to: &Schema) -> Plan {
        let m = super::super::Mysql;
        let from = crate::Engine::translate(&m, from).schema;
        let to = crate::Engine::translate(&m, to).schema;
        let changes = diff::diff(&from, &to, &super::super::normalize::Hooks, &Renames::default());
        plan(&changes, &from, &to, &PlanOptions::default())
    }

    const INT: TypeKind = TypeKind::Int { bytes: 8 };

    #[test]
    fn stated_charsets_and_collations_are_written_and_utf8_is_utf8mb3() {
        let origin = Origin::new("t.md".into(), 1, 1, model::Notation::Sql);
        let mut t = Table::new("notes", origin.clone());
        t.options.charset = Some("UTF8".into());
        let mut body = Column::new("body", DataType::new(TypeKind::Text, "TEXT"), origin.clone());
        body.charset = Some("ascii".into());
        body.collation = Some("ascii_bin".into());
        t.columns = vec![Column::new("id", DataType::new(TypeKind::Int { bytes: 4 }, "INT"), origin), body];
        let s = Schema { tables: vec![t], sql_dialect: Some(model::SqlDialect::Mysql), ..Schema::default() };
        let tr = translate(&s);
        let table = &tr.schema.tables[0];
        assert_eq!(table.options.charset.as_deref(), Some("utf8mb3"));
        let sql = create_table_sql(table, &|_| true, true);
        assert!(sql.contains("`body` TEXT CHARACTER SET ascii COLLATE ascii_bin"), "{sql}");
        // A stated character set takes its own default collation, never utf8mb4_bin.
        assert!(sql.ends_with("ENGINE=InnoDB DEFAULT CHARSET=utf8mb3"), "{sql}");

        let mut live = tr.schema.clone();
        live.tables[0].options.charset = Some("utf8mb4".into());
        live.tables[0].options.collation = Some("utf8mb4_general_ci".into());
        let changes = diff::diff(&live, &tr.schema, &super::super::normalize::Hooks, &Renames::default());
        let p = plan(&changes, &live, &tr.schema, &PlanOptions::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql, ["ALTER TABLE `notes` DEFAULT CHARSET=utf8mb3"]);
    }

    #[test]
    fn cyclic_foreign_keys_are_added_once_both_tables_exist() {
        let mut a = table("a", &[("id", INT), ("b_id", INT)]);
        let mut b = table("b", &[("id", INT), ("a_id", INT)]);
        a.foreign_keys.push(fk("b_id", "b"));
        b.foreign_keys.push(fk("a_id", "a"));
        let p = planned(&Schema::default(), &Schema { tables: vec![a, b], ..Schema::default() });
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql.len(), 4, "{sql:#?}");
        assert!(sql[0].starts_with("CREATE TABLE") && sql[1].starts_with("CREATE TABLE"));
        for s in &sql[2..] {
            assert!(s.starts_with("ALTER TABLE") && s.contains("FOREIGN KEY"), "{s}");
        }
        assert!(p.statements.iter().all(|s| !s.transactional));
    }

    #[test]
    fn dropped_tables_lose_their_foreign_keys_first_and_count_their_rows() {
        let mut a = table("a", &[("id", INT), ("b_id", INT)]);
        let mut b = table("b", &[("id", INT), ("a_id", INT)]);
        a.foreign_keys.push(fk("b_id", "b"));
        b.foreign_keys.push(fk("a_id", "a"));
        let p = planned(&Schema { tables: vec![a, b], ..Schema::default() }, &Schema::default());
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "ALTER TABLE `a` DROP FOREIGN KEY `fk_b_id`",
                "ALTER TABLE `b` DROP FOREIGN KEY `fk_a_id`",
                "DROP TABLE `a`",
                "DROP TABLE `b`"
            ]
        );
        let loss: Vec<&Hazard> = p.destructive().map(|(_, h)| h).collect();
        assert_eq!(loss.len(), 2);
        assert_eq!(loss[0].probe.as_deref(), Some("SELECT count(*) FROM `a`"));
        assert_eq!(loss[0].probe_label.as_deref(), Some("rows in a"));
    }

    #[test]
    fn column_changes_carry_their_hazards() {
        let before = table("t", &[("id", INT), ("name", TypeKind::Varchar { len: Some(100) }), ("n", INT)]);
        let mut after = table("t", &[("id", INT), ("name", TypeKind::Varchar { len: Some(10) }), ("n", INT)]);
        after.columns[2].nullable = false;
        let p = planned(
            &Schema { tables: vec![before], ..Schema::default() },
            &Schema { tables: vec![after], ..Schema::default() },
        );
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            ["ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(10)", "ALTER TABLE `t` MODIFY COLUMN `n` BIGINT NOT NULL"]
        );
        let narrow = p.statements[0].hazards.iter().find(|h| h.kind == HazardKind::DataLoss).expect("narrowing");
        assert_eq!(
            narrow.probe.as_deref(),
            Some("SELECT count(*) FROM `t` WHERE `name` IS NOT NULL AND char_length(`name`) > 10")
        );
        let nulls = p.statements[1].hazards.iter().find(|h| h.kind == HazardKind::MayFail).expect("not null");
        assert_eq!(nulls.probe.as_deref(), Some("SELECT count(*) FROM `t` WHERE `n` IS NULL"));
    }

    #[test]
    fn widening_is_told_from_narrowing() {
        assert!(widens(&TypeKind::Int { bytes: 4 }, &INT));
        assert!(!widens(&INT, &TypeKind::Int { bytes: 4 }));
        assert!(widens(&TypeKind::Varchar { len: Some(10) }, &TypeKind::Text));
        assert!(!widens(&TypeKind::Text, &TypeKind::Varchar { len: Some(10) }));
        let dec = |p, s| TypeKind::Decimal { precision: Some(p), scale: Some(s) };
        assert!(widens(&dec(10, 2), &dec(12, 2)));
        assert!(!widens(&dec(10, 2), &dec(10, 3)));
    }

    #[test]
    fn generated_columns_keep_their_kind_and_are_replaced_when_they_change() {
        let mut from =
            Schema { tables: vec![table("items", &[("id", INT), ("qty", INT), ("total", INT)])], ..Schema::default() };
        let total = &mut from.tables[0].columns[2];
        total.generated = Some(model::Generated { expr: "\"qty\" * 2".into(), stored: false });
        total.nullable = false;
        total.default = Some(model::DefaultValue::Number("0".into()));
        let t = crate::Engine::translate(&super::super::Mysql, &from);
        assert!(t.notes.iter().any(|n| n.note.contains("NOT NULL")), "{:?}", t.notes);
        let created = planned(&Schema::default(), &from);
        let sql = &created.statements[0].sql;
        assert!(sql.contains("`total` BIGINT GENERATED ALWAYS AS (`qty` * 2) VIRTUAL,"), "{sql}");

        let mut to = from.clone();
        to.tables[0].columns[2].generated = Some(model::Generated { expr: "qty * 3".into(), stored: true });
        let p = planned(&from, &to);
        let sql: Vec<&str> = p.statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(
            sql,
            [
                "ALTER TABLE `items` DROP COLUMN `total`",
                "ALTER TABLE `items` ADD COLUMN `total` BIGINT GENERATED ALWAYS AS (qty * 3) STORED"
            ]
        );
        assert!(p.destructive().next().is_none());
        assert!(p.statements[0].hazards.iter().any(|h| h.kind == HazardKind::Rewrite));
    }
}
