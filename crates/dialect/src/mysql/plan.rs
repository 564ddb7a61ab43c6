//! Creating a whole schema on MySQL 8 / MariaDB 10.11.

use super::types::{default_sql, foreign, foreign_in_check, map_type, needs_expression_default};
use crate::common::{
    fk_label, on_update_is_now, prepare, quote_with, requote, shorten, string_literal, view_body, view_order, Order,
    Out, Prepared,
};
use crate::{Mapped, Translation};
use model::{name_key, ForeignKey, Identity, Index, ReferentialAction, RoutineKind, Schema, Table, TypeKind};
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
                (name_key(&c.name), map_type(&c.ty.kind, keyed.contains(&name_key(&c.name)), values))
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

/// Statements creating `schema` on an empty MySQL or MariaDB database.
pub(super) fn create_schema(schema: &Schema) -> Translation {
    let Prepared { schema: s, mut out } = prepare(schema);
    for e in &s.extensions {
        out.skip(format!("extension {}", e.name), "MySQL has no extensions", &e.origin);
    }
    let types = column_types(&s, &mut out);
    let names = known_names(&s);
    let order = Order::new(&s);
    // NOTE: MySQL names foreign keys and checks per database, not per table.
    let mut fk_names = BTreeSet::new();
    let mut check_names = BTreeSet::new();
    let mut deferred: Vec<(&Table, String, String)> = Vec::new();
    for &i in &order.tables {
        let table = &s.tables[i];
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

        let mut lines = Vec::new();
        for col in &table.columns {
            let key = name_key(&col.name);
            let sql_type = t(&col.name);
            let mut def = format!("{} {}", q(&col.name), sql_type);
            let is_auto = auto.as_deref() == Some(key.as_str());
            if !col.nullable || pk_keys.contains(&key) || is_auto {
                def.push_str(" NOT NULL");
            }
            if is_auto {
                def.push_str(" AUTO_INCREMENT");
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
                            def.push_str(&format!(" DEFAULT {}", m.sql));
                        }
                        Err(reason) => out.skip(object, reason, &col.origin),
                    }
                }
            }
            if let Some(on_update) = &col.on_update {
                match sql_type.strip_prefix("DATETIME") {
                    Some(p) if on_update_is_now(on_update) => {
                        def.push_str(&format!(" ON UPDATE CURRENT_TIMESTAMP{}", if p == "(0)" { "" } else { p }));
                    }
                    _ => out.skip(
                        format!("ON UPDATE {} of {}.{}", on_update, table.name, col.name),
                        "MySQL updates only DATETIME/TIMESTAMP columns to the current time",
                        &col.origin,
                    ),
                }
            }
            if let Some(comment) = &col.comment {
                let (c, was_cut) = cut(comment, MAX_COLUMN_COMMENT);
                if was_cut {
                    out.note(
                        format!("comment of {}.{}", table.name, col.name),
                        format!("cut to MySQL's {MAX_COLUMN_COMMENT} characters"),
                        &col.origin,
                    );
                }
                def.push_str(&format!(" COMMENT {}", lit(&c)));
            }
            lines.push(def);
        }
        let json_in = |cs: &[String]| cs.iter().find(|c| is_json(t(c))).cloned();
        if let Some(pk) = &table.primary_key {
            match json_in(&pk.columns) {
                Some(c) => out.skip(
                    format!("primary key of {}", table.name),
                    format!("column {c} is stored as JSON, which MySQL cannot index"),
                    &pk.origin,
                ),
                None => lines.push(format!("PRIMARY KEY ({})", cols(&pk.columns))),
            }
        }
        for u in &table.uniques {
            let object = format!("unique ({}) on {}", u.columns.join(", "), table.name);
            if let Some(c) = json_in(&u.columns) {
                out.skip(object, format!("column {c} is stored as JSON, which MySQL cannot index"), &u.origin);
                continue;
            }
            let bytes: u64 = u.columns.iter().map(|c| key_bytes(t(c))).sum();
            if bytes > MAX_KEY_BYTES {
                out.skip(object, format!("the key takes {bytes} bytes; InnoDB allows {MAX_KEY_BYTES}"), &u.origin);
                continue;
            }
            let name = u.name.as_deref().map(|n| format!("CONSTRAINT {} ", q(&fit(n)))).unwrap_or_default();
            lines.push(format!("{name}UNIQUE ({})", cols(&u.columns)));
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
                Some(n) if check_names.insert(name_key(&n)) => format!("CONSTRAINT {} ", q(&n)),
                Some(n) => {
                    out.note(
                        &object,
                        format!("the name {n} is used by another table's check; left unnamed"),
                        &c.origin,
                    );
                    String::new()
                }
                None => String::new(),
            };
            lines.push(format!("{name}CHECK ({})", expr.trim()));
        }
        for fk in &table.foreign_keys {
            let Some(target) = s.table(&fk.ref_table) else { continue };
            let object = format!("foreign key {}", fk_label(table, fk));
            let mismatch = fk.columns.iter().zip(&fk.ref_columns).find(|(c, r)| {
                let (a, b) = (t(c), ty(&types, &target.name, r));
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
                        target.name,
                        r,
                        ty(&types, &target.name, r)
                    ),
                    &fk.origin,
                );
                continue;
            }
            let clause = fk_clause(table, fk, target, &mut fk_names, &mut out);
            if order.is_deferred(&table.name, &target.name) {
                deferred.push((table, clause, fk_label(table, fk)));
            } else {
                lines.push(clause);
            }
        }
        // NOTE: utf8mb4_bin compares like PostgreSQL and SQLite (case- and accent-sensitive) and
        // exists on both MySQL 8 and MariaDB.
        let mut options = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin".to_string();
        if let Some(comment) = &table.comment {
            let (c, was_cut) = cut(comment, MAX_TABLE_COMMENT);
            if was_cut {
                out.note(
                    format!("comment of {}", table.name),
                    format!("cut to MySQL's {MAX_TABLE_COMMENT} characters"),
                    &table.origin,
                );
            }
            options.push_str(&format!(" COMMENT={}", lit(&c)));
        }
        out.stmt(
            format!("CREATE TABLE {} (\n  {}\n){options}", q(&table.name), lines.join(",\n  ")),
            format!("create table {}", table.name),
        );
    }
    for (table, clause, label) in deferred {
        out.stmt(format!("ALTER TABLE {} ADD {clause}", q(&table.name)), format!("add foreign key {label}"));
    }
    for index in &s.indexes {
        if let Some(table) = s.table(&index.table) {
            create_index(table, index, &types, &mut out);
        }
    }
    create_views(&s, &names, &mut out);
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
    out.tr
}

fn fk_clause(table: &Table, fk: &ForeignKey, target: &Table, names: &mut BTreeSet<String>, out: &mut Out) -> String {
    let object = format!("foreign key {}", fk_label(table, fk));
    let name = match fk.name.as_deref().map(fit) {
        Some(n) if names.insert(name_key(&n)) => format!("CONSTRAINT {} ", q(&n)),
        Some(n) => {
            out.note(&object, format!("the name {n} is used by another foreign key; left unnamed"), &fk.origin);
            String::new()
        }
        None => String::new(),
    };
    let mut s =
        format!("{name}FOREIGN KEY ({}) REFERENCES {} ({})", cols(&fk.columns), q(&target.name), cols(&fk.ref_columns));
    let not_null = fk.columns.iter().find(|c| table.column(c).is_some_and(|c| !c.nullable)).cloned();
    for (word, action) in [("DELETE", fk.on_delete), ("UPDATE", fk.on_update)] {
        match action {
            None => {}
            // NOTE: InnoDB rejects SET DEFAULT actions.
            Some(ReferentialAction::SetDefault) => out.skip(
                format!("ON {word} SET DEFAULT of {object}"),
                "InnoDB does not support SET DEFAULT; the default action (RESTRICT) applies",
                &fk.origin,
            ),
            Some(ReferentialAction::SetNull) if not_null.is_some() => out.skip(
                format!("ON {word} SET NULL of {object}"),
                format!(
                    "column {} is NOT NULL, so MySQL rejects SET NULL; the default action (RESTRICT) applies",
                    not_null.as_deref().unwrap_or_default()
                ),
                &fk.origin,
            ),
            Some(a) => s.push_str(&format!(" ON {word} {}", a.as_sql())),
        }
    }
    s
}

fn create_index(table: &Table, index: &Index, types: &Types, out: &mut Out) {
    let name = fit(index.name.as_deref().unwrap_or_default());
    let object = format!("index {name} on {}", table.name);
    let t = |c: &str| ty(types, &table.name, c);
    match index.method.as_deref().map(|m| m.trim().to_ascii_lowercase()) {
        None => {}
        Some(m) if m == "btree" => {}
        // NOTE: InnoDB builds every index as a b-tree; USING HASH is silently ignored.
        Some(m) if m == "hash" => out.note(&object, "InnoDB has no hash indexes; a b-tree is built", &index.origin),
        Some(m) => {
            out.skip(object, format!("MySQL has no {m} indexes"), &index.origin);
            return;
        }
    }
    if let Some(pred) = &index.predicate {
        out.skip(object, format!("MySQL and MariaDB have no partial indexes (WHERE {pred})"), &index.origin);
        return;
    }
    if let Some(e) = index.parts.iter().find_map(|p| p.expr.as_deref().filter(|_| p.column.is_none())) {
        out.skip(object, format!("MariaDB cannot index the expression `{e}`"), &index.origin);
        return;
    }
    let columns: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
    if let Some(c) = columns.iter().find(|c| is_json(t(c))) {
        out.skip(object, format!("column {c} is stored as JSON, which MySQL cannot index"), &index.origin);
        return;
    }
    // NOTE: TEXT and BLOB columns can only be indexed by a prefix; a unique index never gets
    // here with one (its columns are mapped to VARCHAR/VARBINARY).
    let prefixed = |c: &str| needs_expression_default(t(c));
    let bytes: u64 =
        columns.iter().map(|c| if prefixed(c) { u64::from(PREFIX_CHARS) * 4 } else { key_bytes(t(c)) }).sum();
    if bytes > MAX_KEY_BYTES {
        out.skip(object, format!("the key takes {bytes} bytes; InnoDB allows {MAX_KEY_BYTES}"), &index.origin);
        return;
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
    if let Some(c) = columns.iter().find(|c| prefixed(c)) {
        out.note(
            &object,
            format!("{c} is {}: only its first {PREFIX_CHARS} characters are indexed", t(c)),
            &index.origin,
        );
    }
    out.stmt(
        format!(
            "CREATE {}INDEX {} ON {} ({})",
            if index.unique { "UNIQUE " } else { "" },
            q(&name),
            q(&table.name),
            parts.join(", ")
        ),
        format!("create index {name} on {}", table.name),
    );
}

fn create_views(s: &Schema, names: &BTreeSet<String>, out: &mut Out) {
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
        out.stmt(format!("CREATE VIEW {body}"), format!("create view {}", view.name));
    }
}
