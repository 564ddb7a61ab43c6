//! Helpers every engine uses: the engine-independent clean-up of a schema before translation
//! (references to missing tables and columns, duplicate names), creation order, generated names and
//! a scanner for syntax foreign to an engine.

use crate::{Note, Skipped, Translation};
use diff::{Change, ChangeSet};
use model::{
    dependency_order, name_eq, name_key, Column, DefaultValue, ForeignKey, Index, Origin, Schema, Table, TypeKind,
};
use std::collections::{BTreeMap, BTreeSet};

/// schemadoc's own bookkeeping table, where applies are recorded; never part of an inspected schema.
pub(crate) const HISTORY_TABLE: &str = "schemadoc_history";

/// A translation being built.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub tr: Translation,
}

impl Out {
    pub fn skip(&mut self, object: impl Into<String>, reason: impl Into<String>, origin: &Origin) {
        self.tr.skipped.push(Skipped { object: object.into(), reason: reason.into(), origin: origin.clone() });
    }

    pub fn note(&mut self, object: impl Into<String>, note: impl Into<String>, origin: &Origin) {
        self.tr.notes.push(Note { object: object.into(), note: note.into(), origin: origin.clone() });
    }
}

/// `name` between `quote` characters, quotes inside doubled.
pub(crate) fn quote_with(name: &str, quote: char) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push(quote);
    for c in name.chars() {
        if c == quote {
            s.push(quote);
        }
        s.push(c);
    }
    s.push(quote);
    s
}

/// A single-quoted SQL string literal; `backslash` doubles backslashes too (MySQL).
pub(crate) fn string_literal(value: &str, backslash: bool) -> String {
    let mut s = String::with_capacity(value.len() + 2);
    s.push('\'');
    for c in value.chars() {
        match c {
            '\'' => s.push_str("''"),
            '\\' if backslash => s.push_str("\\\\"),
            _ => s.push(c),
        }
    }
    s.push('\'');
    s
}

/// A statement as written, without trailing semicolons and whitespace.
pub(crate) fn strip_terminator(sql: &str) -> &str {
    sql.trim().trim_end_matches(|c: char| c == ';' || c.is_whitespace())
}

/// The text of a quoted run of `chars` whose opening `quote` stands just before `start` (a doubled
/// quote inside stands for one), and the index after its closing quote: the end when it is left open.
pub(crate) fn read_quoted(chars: &[char], start: usize, quote: char) -> (String, usize) {
    let mut s = String::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i] == quote {
            if chars.get(i + 1) == Some(&quote) {
                s.push(quote);
                i += 2;
                continue;
            }
            return (s, i + 1);
        }
        s.push(chars[i]);
        i += 1;
    }
    (s, i)
}

/// The number that starts at `start` of `chars` (with a digit, or a dot before one), as written,
/// and the index after it; letters and dots belong to it (`1.5`, `1e5`, `0x1F`).
pub(crate) fn number_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let c = *chars.get(start)?;
    if !(c.is_ascii_digit() || (c == '.' && chars.get(start + 1).is_some_and(|d| d.is_ascii_digit()))) {
        return None;
    }
    let mut end = start;
    while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '.') {
        end += 1;
    }
    Some((chars[start..end].iter().collect(), end))
}

/// The name keys of the tables `changes` creates.
pub(crate) fn created_tables(changes: &ChangeSet) -> BTreeSet<String> {
    changes
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateTable { table } => Some(name_key(&table.name)),
            _ => None,
        })
        .collect()
}

/// A short deterministic hash (FNV-1a, 32 bits) used to shorten generated names.
fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// `name` cut to at most `max` bytes on a character boundary, with a hash of the whole name
/// appended when it had to be cut, so that different long names stay different.
pub(crate) fn shorten(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let suffix = format!("_{:08x}", fnv(name));
    let mut cut = max.saturating_sub(suffix.len());
    while cut > 0 && !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", &name[..cut], suffix)
}

/// The longest generated name: PostgreSQL truncates names to 63 bytes, MySQL rejects names over
/// 64 characters.
pub(crate) const MAX_NAME: usize = 63;

/// A schema cleaned of what no engine accepts, and what was removed on the way.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub schema: Schema,
    pub out: Out,
}

/// The table `name` names (`orchard.trees`; `public.users` is `users`), as [`Schema::table`]
/// resolves it: a table of another schema (`auth.users`) is not a table of the default one.
pub(crate) fn find_table<'a>(schema: &'a Schema, name: &str) -> Option<&'a Table> {
    schema.table(name)
}

/// [`prepare`] for an engine without schemas inside its database (MySQL, whose schema *is* the
/// database, and SQLite): every table goes to the connected database under its bare name, since
/// `apply` neither creates nor switches databases. A table whose bare name another table takes
/// already (`orchard.trees` after `trees`) is skipped, with what references it.
pub(crate) fn prepare_flat(schema: &Schema, engine: &str) -> Prepared {
    let Prepared { schema: mut s, mut out } = prepare(schema);
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut dropped: BTreeSet<String> = BTreeSet::new();
    // Unqualified names are the default schema's: its tables keep their names first.
    for t in s.tables.iter().filter(|t| t.namespace.is_none()) {
        taken.insert(name_key(&t.name), t.qualified_name());
    }
    s.tables.retain(|t| {
        let shown = t.qualified_name();
        if t.namespace.is_none() {
            return true;
        }
        match taken.get(&name_key(&t.name)) {
            Some(first) => {
                out.skip(
                    format!("table {shown}"),
                    format!("{engine} has no schemas within a database, and `{first}` takes the name `{}`", t.name),
                    &t.origin,
                );
                dropped.insert(t.key());
                false
            }
            None => {
                taken.insert(name_key(&t.name), shown);
                true
            }
        }
    });
    let bare = |s: &Schema, name: &str| s.table(name).map(|t| t.name.clone());
    let snapshot = s.clone();
    s.indexes.retain(|ix| {
        let gone = dropped.contains(&model::reference_key(&ix.table));
        if gone {
            let label = ix.name.clone().unwrap_or_else(|| format!("({})", index_columns_label(ix)));
            out.skip(format!("index {label} on {}", ix.table), format!("table {} is skipped", ix.table), &ix.origin);
        }
        !gone
    });
    for ix in &mut s.indexes {
        if let Some(name) = bare(&snapshot, &ix.table) {
            ix.table = name;
        }
    }
    for t in &mut s.tables {
        let shown = t.qualified_name();
        t.foreign_keys.retain(|fk| {
            let gone = dropped.contains(&model::reference_key(&fk.ref_table));
            if gone {
                let object = format!("foreign key {shown}({})", fk.columns.join(", "));
                out.skip(object, format!("table {} is skipped", fk.ref_table), &fk.origin);
            }
            !gone
        });
        for fk in &mut t.foreign_keys {
            if let Some(name) = bare(&snapshot, &fk.ref_table) {
                fk.ref_table = name;
            }
        }
    }
    for t in &mut s.tables {
        t.namespace = None;
    }
    Prepared { schema: s, out }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let ka: BTreeSet<String> = a.iter().map(|c| name_key(c)).collect();
    let kb: BTreeSet<String> = b.iter().map(|c| name_key(c)).collect();
    a.len() == b.len() && ka == kb
}

/// Whether `columns` are the primary key, a unique constraint or a full unique index of `table`
/// (in any order), as PostgreSQL and MySQL require of a foreign key's target.
pub(crate) fn is_unique_target(schema: &Schema, table: &Table, columns: &[String]) -> bool {
    table.primary_key.as_ref().is_some_and(|pk| same_set(&pk.columns, columns))
        || table.uniques.iter().any(|u| same_set(&u.columns, columns))
        || schema.indexes_of(&table.qualified_name()).any(|i| {
            i.unique
                && i.predicate.is_none()
                && i.parts.iter().all(|p| p.column.is_some())
                && same_set(&i.parts.iter().filter_map(|p| p.column.clone()).collect::<Vec<_>>(), columns)
        })
}

/// The columns of `cols` that `table` does not have.
fn missing<'a>(table: &Table, cols: &'a [String]) -> Vec<&'a str> {
    cols.iter().filter(|c| table.column(c).is_none()).map(String::as_str).collect()
}

fn list(cols: &[String]) -> String {
    cols.join(", ")
}

/// Removes from `schema` what every engine would reject, recording each removal:
/// duplicate tables and columns, keys, checks and indexes naming missing columns, foreign keys to
/// missing tables or to columns that are not a key, enum defaults outside the enum, references to
/// undefined enum types (turned into text). Foreign keys get their referenced columns filled in
/// and unnamed indexes get a name, unique across the schema.
/// Clears the SQLite-only storage options (`STRICT`, `WITHOUT ROWID`) of every table, with a skip
/// saying why: `engine` stores every table its one way.
pub(crate) fn skip_sqlite_table_options(s: &mut Schema, engine: &str, out: &mut Out) {
    for t in &mut s.tables {
        let strict = std::mem::take(&mut t.options.strict);
        let without_rowid = std::mem::take(&mut t.options.without_rowid);
        for (set, option) in [(strict, "STRICT"), (without_rowid, "WITHOUT ROWID")] {
            if set {
                out.skip(
                    format!("{option} of table {}", t.qualified_name()),
                    format!("{option} is SQLite's; {engine} has no such table option"),
                    &t.origin,
                );
            }
        }
    }
}

/// Clears the MySQL-only character sets and collations of every table and column, with a skip
/// saying why: `engine` does not manage them.
pub(crate) fn skip_mysql_charsets(s: &mut Schema, engine: &str, out: &mut Out) {
    for t in &mut s.tables {
        let charset = t.options.charset.take();
        let collation = t.options.collation.take();
        if let Some(what) = charset.or(collation) {
            out.skip(
                format!("default character set or collation of table {}", t.qualified_name()),
                format!("`{what}` is MySQL's table option; {engine} has no such table option"),
                &t.origin,
            );
        }
        for c in &mut t.columns {
            let charset = c.charset.take();
            let collation = c.collation.take();
            if let Some(what) = charset.or(collation) {
                out.skip(
                    format!("character set or collation of column {}.{}", t.name, c.name),
                    format!("`{what}`: schemadoc manages column collations on MySQL/MariaDB only, the column takes {engine}'s default"),
                    &c.origin,
                );
            }
        }
    }
}

pub(crate) fn prepare(schema: &Schema) -> Prepared {
    let mut out = Out::default();
    let mut s = Schema { tables: Vec::new(), indexes: Vec::new(), ..schema.clone() };

    // Tables and their own members.
    let mut seen_tables = BTreeSet::new();
    for table in &schema.tables {
        if !seen_tables.insert(table.key()) {
            out.skip(
                format!("table {}", table.qualified_name()),
                "defined twice; the first definition is used",
                &table.origin,
            );
            continue;
        }
        let mut t = table.clone();
        t.columns.clear();
        let mut seen_cols = BTreeSet::new();
        for col in &table.columns {
            if !seen_cols.insert(name_key(&col.name)) {
                out.skip(
                    format!("column {}.{}", table.name, col.name),
                    "defined twice in the table; the first definition is used",
                    &col.origin,
                );
                continue;
            }
            let mut c = col.clone();
            let object = format!("column {}.{}", table.name, col.name);
            if let Some(name) = enum_name(&c.ty.kind) {
                match schema.enum_named(&name) {
                    None => {
                        replace_enum(&mut c.ty.kind);
                        out.note(&object, format!("enum type {name} is not defined; the column holds text"), &c.origin);
                    }
                    Some(e) => {
                        if let (Some(DefaultValue::String(v)), TypeKind::Enum { .. }) = (&c.default, &c.ty.kind) {
                            if !e.values.contains(v) {
                                out.skip(
                                    format!("default of {}.{}", table.name, col.name),
                                    format!("'{v}' is not a value of enum {}", e.name),
                                    &c.origin,
                                );
                                c.default = None;
                            }
                        }
                    }
                }
            }
            generated_only(&mut c, &table.name, &mut out);
            t.columns.push(c);
        }
        if let Some(pk) = &table.primary_key {
            let miss = missing(&t, &pk.columns);
            if !miss.is_empty() || pk.columns.is_empty() {
                out.skip(
                    format!("primary key of {}", table.name),
                    format!("names missing column(s) {}", miss.join(", ")),
                    &pk.origin,
                );
                t.primary_key = None;
            }
        }
        t.uniques.clear();
        for u in &table.uniques {
            let object = format!("unique ({}) on {}", list(&u.columns), table.name);
            let miss = missing(&t, &u.columns);
            if u.columns.is_empty() || !miss.is_empty() {
                out.skip(object, format!("names missing column(s) {}", miss.join(", ")), &u.origin);
            } else if t.uniques.iter().any(|o| {
                o.columns == u.columns
                    || (u.name.is_some() && o.name.as_deref().map(name_key) == u.name.as_deref().map(name_key))
            }) {
                out.skip(object, "declared twice; the first declaration is used", &u.origin);
            } else {
                t.uniques.push(u.clone());
            }
        }
        let checks = std::mem::take(&mut t.checks);
        for c in checks {
            let miss = missing(&t, &c.columns);
            if miss.is_empty() {
                t.checks.push(c);
                continue;
            }
            out.skip(
                format!("check {} on {}", c.name.as_deref().unwrap_or(&c.expr), table.name),
                format!("names missing column(s) {}", miss.join(", ")),
                &c.origin,
            );
        }
        s.tables.push(t);
    }

    // Foreign keys, once every table's keys are known.
    let snapshot = s.clone();
    for t in &mut s.tables {
        let fks = std::mem::take(&mut t.foreign_keys);
        for mut fk in fks {
            let object = format!("foreign key {}.{} → {}", t.name, list(&fk.columns), fk.ref_table);
            let miss = missing(t, &fk.columns);
            if fk.columns.is_empty() || !miss.is_empty() {
                out.skip(object, format!("names missing column(s) {}", miss.join(", ")), &fk.origin);
                continue;
            }
            let Some(target) = find_table(&snapshot, &fk.ref_table) else {
                let reason = match model::split_qualified(&fk.ref_table).0.filter(|ns| !snapshot.has_namespace(ns)) {
                    Some(ns) => format!(
                        "table {} is external (the document does not manage schema {ns}); add the foreign key where it exists",
                        fk.ref_table
                    ),
                    None => format!("table {} is not defined", fk.ref_table),
                };
                out.skip(object, reason, &fk.origin);
                continue;
            };
            if fk.ref_columns.is_empty() {
                match &target.primary_key {
                    Some(pk) => fk.ref_columns = pk.columns.clone(),
                    None => {
                        out.skip(
                            object,
                            format!("names no columns and {} has no primary key", target.name),
                            &fk.origin,
                        );
                        continue;
                    }
                }
            }
            let miss = missing(target, &fk.ref_columns);
            if !miss.is_empty() {
                out.skip(object, format!("{} has no column(s) {}", target.name, miss.join(", ")), &fk.origin);
                continue;
            }
            if fk.ref_columns.len() != fk.columns.len() {
                out.skip(object, "the numbers of referencing and referenced columns differ", &fk.origin);
                continue;
            }
            if !is_unique_target(&snapshot, target, &fk.ref_columns) {
                out.skip(
                    object,
                    format!(
                        "{}({}) is neither a primary key nor unique, which PostgreSQL and MySQL require",
                        target.name,
                        list(&fk.ref_columns)
                    ),
                    &fk.origin,
                );
                continue;
            }
            // Canonical spellings of the target (with its schema), so later lookups resolve alike.
            fk.ref_table = target.qualified_name();
            fk.ref_columns = fk
                .ref_columns
                .iter()
                .map(|c| target.column(c).map_or_else(|| c.clone(), |col| col.name.clone()))
                .collect();
            let duplicate = t.foreign_keys.iter().any(|o| {
                o.columns == fk.columns
                    && name_key(&o.ref_table) == name_key(&fk.ref_table)
                    && o.ref_columns == fk.ref_columns
            });
            if duplicate {
                out.skip(object, "declared twice; the first declaration is used", &fk.origin);
                continue;
            }
            t.foreign_keys.push(fk);
        }
    }

    // Indexes: existing table and columns, and a name unique among tables and indexes.
    let mut used: BTreeSet<String> = s.tables.iter().map(|t| name_key(&t.name)).collect();
    for t in &s.tables {
        // NOTE: PostgreSQL names unnamed keys `<table>_pkey` and `<table>_<columns>_key`; an index
        // given such a name would collide with them.
        used.insert(name_key(&format!("{}_pkey", t.name)));
        for u in t.uniques.iter().filter(|u| u.name.is_none()) {
            used.insert(name_key(&format!("{}_{}_key", t.name, u.columns.join("_"))));
        }
        for name in
            t.primary_key.iter().filter_map(|p| p.name.as_ref()).chain(t.uniques.iter().filter_map(|u| u.name.as_ref()))
        {
            used.insert(name_key(name));
        }
    }
    for index in &schema.indexes {
        let label = index.name.clone().unwrap_or_else(|| format!("({})", index_columns_label(index)));
        let object = format!("index {label} on {}", index.table);
        let Some(table) = find_table(&s, &index.table) else {
            out.skip(object, format!("table {} is not defined", index.table), &index.origin);
            continue;
        };
        let cols: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
        let miss = missing(table, &cols);
        if index.parts.is_empty() || !miss.is_empty() {
            out.skip(object, format!("names missing column(s) {}", miss.join(", ")), &index.origin);
            continue;
        }
        let mut ix = index.clone();
        ix.table = table.qualified_name();
        let miss_include = missing(table, &ix.include);
        if !miss_include.is_empty() {
            out.skip(
                format!("INCLUDE columns of index {label}"),
                format!("names missing column(s) {}", miss_include.join(", ")),
                &index.origin,
            );
            ix.include.clear();
        }
        let wanted = match &ix.name {
            Some(n) => n.clone(),
            None => shorten(
                &format!("{}_{}_{}", table.name, index_columns_label(&ix), if ix.unique { "key" } else { "idx" }),
                MAX_NAME,
            ),
        };
        let mut name = wanted.clone();
        let mut n = 2;
        while used.contains(&name_key(&name)) {
            name = shorten(&format!("{wanted}_{n}"), MAX_NAME);
            n += 1;
        }
        if ix.name.is_some() && name != wanted {
            out.note(&object, format!("the name {wanted} is already taken; the index is named {name}"), &index.origin);
        }
        used.insert(name_key(&name));
        ix.name = Some(name);
        s.indexes.push(ix);
    }
    Prepared { schema: s, out }
}

/// A generated column keeps only what engines allow beside a generation expression.
// NOTE: no engine accepts a DEFAULT, an identity or an ON UPDATE clause on a generated column;
// an empty expression cannot be generated at all, so the column stays an ordinary one.
fn generated_only(c: &mut Column, table: &str, out: &mut Out) {
    let Some(g) = &c.generated else { return };
    if g.expr.trim().is_empty() {
        out.skip(format!("generated expression of {table}.{}", c.name), "the expression is empty", &c.origin);
        c.generated = None;
        return;
    }
    if let Some(d) = c.default.take() {
        out.skip(format!("default {d} of {table}.{}", c.name), "a generated column cannot have a default", &c.origin);
    }
    if c.identity.take().is_some() {
        out.skip(format!("identity of {table}.{}", c.name), "a generated column cannot be an identity", &c.origin);
    }
    if let Some(u) = c.on_update.take() {
        out.skip(format!("ON UPDATE {u} of {table}.{}", c.name), "a generated column cannot have one", &c.origin);
    }
}

fn enum_name(kind: &TypeKind) -> Option<String> {
    match kind {
        TypeKind::Enum { name } => Some(name.clone()),
        TypeKind::Array { of } => enum_name(of),
        _ => None,
    }
}

fn replace_enum(kind: &mut TypeKind) {
    match kind {
        TypeKind::Enum { .. } => *kind = TypeKind::Text,
        TypeKind::Array { of } => replace_enum(of),
        _ => {}
    }
}

fn index_columns_label(index: &Index) -> String {
    index.parts.iter().map(|p| p.column.clone().unwrap_or_else(|| "expr".to_string())).collect::<Vec<_>>().join("_")
}

/// The identifiers `sql` names outside string literals, as name keys: bare words and names quoted
/// with `"` or `` ` `` (a qualified `t.c` gives both `t` and `c`).
pub(crate) fn identifiers(sql: &str) -> BTreeSet<String> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i = read_quoted(&chars, i + 1, '\'').1;
        } else if c == '"' || c == '`' {
            let (name, next) = read_quoted(&chars, i + 1, c);
            out.insert(name_key(&name));
            i = next;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            out.insert(name_key(&chars[start..i].iter().collect::<String>()));
        } else if c.is_ascii_digit() {
            // A number with letters in it (`1e5`, `0x1F`) is no name.
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether `sql` (an expression or a query) names `name` outside string literals.
pub(crate) fn mentions(sql: &str, name: &str) -> bool {
    identifiers(sql).contains(&name_key(name))
}

/// Whether `index` of a table uses its column `column`: as a key part, in an expression, in its
/// predicate or as an INCLUDE column.
pub(crate) fn index_uses(index: &Index, column: &str) -> bool {
    index.parts.iter().any(|p| {
        p.column.as_deref().is_some_and(|c| name_key(c) == name_key(column))
            || p.expr.as_deref().is_some_and(|e| mentions(e, column))
    }) || index.predicate.as_deref().is_some_and(|e| mentions(e, column))
        || index.include.iter().any(|c| name_key(c) == name_key(column))
}

/// Whether `check` uses `column`.
pub(crate) fn check_uses(check: &model::Check, column: &str) -> bool {
    check.columns.iter().any(|c| name_key(c) == name_key(column)) || mentions(&check.expr, column)
}

/// The views of `schema` that read `table`'s column `column`, and the views reading those, in an
/// order where every view comes after the views it reads (drop them in reverse).
pub(crate) fn views_using(schema: &Schema, table: &str, column: &str) -> Vec<usize> {
    let reads = |v: &model::View, name: &str| {
        v.tables.iter().any(|t| name_key(t) == name_key(name) || t.rsplit('.').next().is_some_and(|x| name_eq(x, name)))
            || mentions(&v.sql, name)
    };
    let mut hit: BTreeSet<usize> = BTreeSet::new();
    for (i, v) in schema.views.iter().enumerate() {
        // NOTE: inspected view text lists the columns a `SELECT *` expands to, so the column's
        // name is in it whenever the view reads the column.
        if reads(v, table) && mentions(&v.sql, column) {
            hit.insert(i);
        }
    }
    loop {
        let more: Vec<usize> = (0..schema.views.len())
            .filter(|i| !hit.contains(i) && hit.iter().any(|&h| reads(&schema.views[*i], &schema.views[h].name)))
            .collect();
        if more.is_empty() {
            break;
        }
        hit.extend(more);
    }
    // NOTE: inspected views name no tables (only their text does), so the order is worked out here
    // from what each view's text reads rather than with `view_order`.
    let mut left: Vec<usize> = hit.into_iter().collect();
    let mut order = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|&i| !left.iter().any(|&j| j != i && reads(&schema.views[i], &schema.views[j].name)))
            .unwrap_or(0);
        order.push(left.remove(ready));
    }
    order
}

/// Table creation order, and which foreign keys must be added after all tables exist.
pub(crate) struct Order {
    /// Indexes into the schema's tables, in creation order.
    pub tables: Vec<usize>,
    position: BTreeMap<String, usize>,
    cycle_of: BTreeMap<String, usize>,
}

impl Order {
    pub fn new(schema: &Schema) -> Order {
        let dep = dependency_order(schema);
        let position = dep.tables.iter().enumerate().map(|(pos, &i)| (name_key(&schema.tables[i].name), pos)).collect();
        let cycle_of =
            dep.cycles.iter().enumerate().flat_map(|(c, names)| names.iter().map(move |n| (name_key(n), c))).collect();
        Order { tables: dep.tables, position, cycle_of }
    }

    /// Whether a foreign key of `table` to `target` points forward in creation order or sits in a
    /// cycle, so it must be added after both tables exist.
    pub fn is_deferred(&self, table: &str, target: &str) -> bool {
        let (a, b) = (name_key(table), name_key(target));
        if a == b {
            return false;
        }
        let forward = match (self.position.get(&a), self.position.get(&b)) {
            (Some(pa), Some(pb)) => pb > pa,
            _ => false,
        };
        let cycle = matches!((self.cycle_of.get(&a), self.cycle_of.get(&b)), (Some(x), Some(y)) if x == y);
        forward || cycle
    }
}

/// The views of `schema` ordered so that a view comes after the views it reads.
pub(crate) fn view_order(schema: &Schema) -> Vec<usize> {
    let keys: Vec<String> = schema.views.iter().map(|v| name_key(&v.name)).collect();
    let mut placed = vec![false; keys.len()];
    let mut order = Vec::with_capacity(keys.len());
    while order.len() < keys.len() {
        let ready = (0..keys.len()).find(|&i| {
            !placed[i]
                && schema.views[i].tables.iter().all(|t| {
                    let k = name_key(t);
                    keys.iter().enumerate().all(|(j, kj)| *kj != k || j == i || placed[j])
                })
        });
        // A cycle between views cannot be created anyway: keep document order for it.
        let i = ready.unwrap_or_else(|| (0..keys.len()).find(|&i| !placed[i]).unwrap_or(0));
        placed[i] = true;
        order.push(i);
    }
    order
}

/// The part of a `CREATE [OR REPLACE] [MATERIALIZED] VIEW [IF NOT EXISTS]` statement after those
/// words (the name, optional columns and `AS …`), or `None` when `sql` is not such a statement.
pub(crate) fn view_body(sql: &str) -> Option<&str> {
    let mut rest = strip_terminator(sql);
    let mut saw_view = false;
    for word in
        ["create", "or", "replace", "temp", "temporary", "materialized", "recursive", "view", "if", "not", "exists"]
    {
        let trimmed = rest.trim_start();
        let Some(head) = trimmed.get(..word.len()) else { continue };
        let boundary = !matches!(trimmed[word.len()..].chars().next(), Some(c) if c.is_alphanumeric() || c == '_');
        if head.eq_ignore_ascii_case(word) && boundary {
            rest = &trimmed[word.len()..];
            if word == "view" {
                saw_view = true;
            }
        } else if word == "create" {
            return None;
        }
    }
    saw_view.then(|| rest.trim_start())
}

/// How a foreign key is named in reasons: `personas.template_id → prompt_templates`.
pub(crate) fn fk_label(table: &Table, fk: &ForeignKey) -> String {
    format!("{}.{} → {}", table.name, fk.columns.join(","), fk.ref_table)
}

/// The key under which a routine name is compared: without arguments, schema or quotes.
pub(crate) fn routine_key(name: &str) -> String {
    let bare = name.split('(').next().unwrap_or(name).trim();
    let last = bare.rsplit('.').next().unwrap_or(bare);
    name_key(last)
}

/// Whether a routine is written for PostgreSQL (dollar-quoted body, a `LANGUAGE` clause, or a
/// trigger executing a function).
pub(crate) fn is_postgres_routine(sql: &str) -> bool {
    let l = sql.to_ascii_lowercase();
    l.contains("$$")
        || l.contains("language")
        || l.contains("execute function")
        || l.contains("execute procedure")
        || l.contains("returns trigger")
}

/// `expr` lower-cased with the contents of string literals blanked and the spaces before `(`
/// removed, for pattern scans that must not look inside strings.
fn scannable(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut in_string = false;
    for c in expr.chars() {
        if c == '\'' {
            in_string = !in_string;
            out.push(c);
        } else if in_string {
            out.push(' ');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    let mut compact = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '(' {
            while compact.ends_with(' ') || compact.ends_with('\t') || compact.ends_with('\n') {
                compact.pop();
            }
        }
        compact.push(c);
    }
    compact
}

/// The first of `patterns` found in `expr` outside string literals, matched at a word start when
/// the pattern starts with a letter.
pub(crate) fn find_foreign(expr: &str, patterns: &[&'static str]) -> Option<&'static str> {
    let s = scannable(expr);
    patterns.iter().copied().find(|p| {
        let wordy = p.starts_with(|c: char| c.is_ascii_alphabetic());
        s.match_indices(p).any(|(at, _)| {
            !wordy || !matches!(s[..at].chars().next_back(), Some(c) if c.is_alphanumeric() || c == '_' || c == '.')
        })
    })
}

/// `expr` with identifiers quoted by `from` quoted by `to` instead, when `rename` accepts the
/// name; other quoted names and string literals are kept as written. `None` when a quote is left
/// open.
pub(crate) fn requote(expr: &str, from: char, to: char, rename: &dyn Fn(&str) -> bool) -> Option<String> {
    let mut out = String::with_capacity(expr.len());
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // A string literal, copied whole ('' inside is an escaped quote).
            out.push(c);
            loop {
                let next = chars.next()?;
                out.push(next);
                if next == '\'' {
                    if chars.peek() == Some(&'\'') {
                        chars.next();
                        out.push('\'');
                    } else {
                        break;
                    }
                }
            }
        } else if c == from {
            let mut name = String::new();
            loop {
                let next = chars.next()?;
                if next == from {
                    if chars.peek() == Some(&from) {
                        chars.next();
                        name.push(from);
                    } else {
                        break;
                    }
                } else {
                    name.push(next);
                }
            }
            if rename(&name) {
                out.push_str(&quote_with(&name, to));
            } else {
                out.push_str(&quote_with(&name, from));
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Syntax only PostgreSQL understands, rejected by SQLite and MySQL.
pub(crate) const POSTGRES_ONLY: &[&str] = &[
    "::",
    " ilike ",
    " ~ ",
    "~*",
    "!~",
    " similar to ",
    "$",
    "array[",
    "any(",
    "all(",
    "@>",
    "<@",
    "?|",
    "?&",
    "jsonb",
    "json_build",
    "array_",
    "cardinality(",
    "unnest(",
    "to_tsvector(",
    "to_tsquery(",
    "plainto_tsquery(",
    "interval '",
    "gen_random_uuid(",
    "uuid_generate",
    "nextval(",
    "currval(",
    "current_setting(",
    "date_trunc(",
    "age(",
    "btrim(",
    "split_part(",
    "string_agg(",
    "array_agg(",
    "e'",
    "nulls first",
    "nulls last",
    "is distinct from",
    "is not distinct from",
    "timestamptz",
    "regclass",
];

/// Syntax of SQLite or MySQL that PostgreSQL rejects.
pub(crate) const FOREIGN_TO_POSTGRES: &[&str] = &[
    "`",
    "datetime(",
    "strftime(",
    "julianday(",
    "unixepoch(",
    "ifnull(",
    "randomblob(",
    "group_concat(",
    " glob ",
    "curdate(",
    "curtime(",
    "uuid(",
    "date_format(",
    "json_extract(",
    "last_insert_id(",
    "if(",
];

/// A string default as it should read in a JSON column: PostgreSQL array literals (`{}`,
/// `{a,b}`) become JSON arrays; anything else is kept when it is already JSON-looking.
pub(crate) fn array_literal_as_json(value: &str) -> Option<String> {
    let v = value.trim();
    if v.starts_with('[') && v.ends_with(']') {
        return Some(v.to_string());
    }
    let inner = v.strip_prefix('{')?.strip_suffix('}')?;
    if inner.trim().is_empty() {
        return Some("[]".to_string());
    }
    if inner.contains(['"', '{', '}', '\\']) {
        return None;
    }
    let items: Vec<String> = inner
        .split(',')
        .map(|item| {
            let item = item.trim();
            if item.eq_ignore_ascii_case("null") {
                "null".to_string()
            } else if item.parse::<f64>().is_ok() {
                item.to_string()
            } else {
                format!("\"{item}\"")
            }
        })
        .collect();
    Some(format!("[{}]", items.join(",")))
}

/// `default` adjusted to the column's type family: a `0`/`1` default on a boolean becomes
/// false/true and a boolean default on an integer becomes 0/1 (documents written for SQLite or
/// MySQL spell booleans as integers, which PostgreSQL rejects).
pub(crate) fn coerce_default(kind: &TypeKind, default: &DefaultValue) -> DefaultValue {
    match (kind, default) {
        (TypeKind::Bool, DefaultValue::Number(n)) if n.trim() == "0" => DefaultValue::Bool(false),
        (TypeKind::Bool, DefaultValue::Number(n)) if n.trim() == "1" => DefaultValue::Bool(true),
        (TypeKind::Bool, DefaultValue::String(s)) if matches!(s.to_ascii_lowercase().as_str(), "true" | "t" | "1") => {
            DefaultValue::Bool(true)
        }
        (TypeKind::Bool, DefaultValue::String(s)) if matches!(s.to_ascii_lowercase().as_str(), "false" | "f" | "0") => {
            DefaultValue::Bool(false)
        }
        (TypeKind::Int { .. }, DefaultValue::Bool(b)) => DefaultValue::Number(if *b { "1" } else { "0" }.to_string()),
        _ => default.clone(),
    }
}

/// A numeric literal, checked to be one (it is spliced into SQL).
pub(crate) fn number_literal(n: &str) -> Result<String, String> {
    let t = n.trim();
    if t.parse::<f64>().is_ok() && !t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        Ok(t.to_string())
    } else {
        Err(format!("`{t}` is not a number"))
    }
}

/// Whether `raw` is a plain literal every engine reads the same way: a number, a single-quoted
/// string, NULL, TRUE or FALSE, optionally in parentheses.
pub(crate) fn is_plain_literal(raw: &str) -> bool {
    let mut r = raw.trim();
    while let Some(inner) = r.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        r = inner.trim();
    }
    let quoted = r.len() >= 2
        && r.starts_with('\'')
        && r.ends_with('\'')
        && !r[1..r.len() - 1].replace("''", "").contains('\'')
        && !r.contains('\\');
    quoted || r.parse::<f64>().is_ok() || ["null", "true", "false"].contains(&r.to_ascii_lowercase().as_str())
}

/// Whether a column's `ON UPDATE` clause asks for the current time.
pub(crate) fn on_update_is_now(on_update: &str) -> bool {
    let l = on_update.to_ascii_lowercase();
    l.contains("current_timestamp") || l.contains("now(") || l.contains("localtimestamp")
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, DataType, IndexPart, Notation, PrimaryKey, Unique};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::Sql)
    }

    #[test]
    fn quoted_runs_end_at_the_closing_quote() {
        let chars: Vec<char> = "'it''s' x".chars().collect();
        assert_eq!(read_quoted(&chars, 1, '\''), ("it's".to_string(), 7));
        let chars: Vec<char> = "`a``b`".chars().collect();
        assert_eq!(read_quoted(&chars, 1, '`'), ("a`b".to_string(), 6));
        let open: Vec<char> = "\"never closed".chars().collect();
        assert_eq!(read_quoted(&open, 1, '"'), ("never closed".to_string(), 13));
    }

    #[test]
    fn numbers_are_read_as_written() {
        let chars: Vec<char> = "x >= 10.50) or .5 1e5".chars().collect();
        assert_eq!(number_at(&chars, 0), None);
        assert_eq!(number_at(&chars, 5), Some(("10.50".to_string(), 10)));
        assert_eq!(number_at(&chars, 15), Some((".5".to_string(), 17)));
        assert_eq!(number_at(&chars, 18), Some(("1e5".to_string(), 21)));
        let dot: Vec<char> = "a.b".chars().collect();
        assert_eq!(number_at(&dot, 1), None);
        assert_eq!(number_at(&dot, 3), None);
    }

    fn table(name: &str, cols: &[&str], pk: &[&str]) -> Table {
        let mut t = Table::new(name, origin());
        for c in cols {
            t.columns.push(Column::new(*c, DataType::new(TypeKind::Int { bytes: 4 }, "int"), origin()));
        }
        if !pk.is_empty() {
            t.primary_key =
                Some(PrimaryKey { name: None, columns: pk.iter().map(|c| c.to_string()).collect(), origin: origin() });
        }
        t
    }

    fn fk(cols: &[&str], target: &str, ref_cols: &[&str]) -> ForeignKey {
        ForeignKey {
            name: None,
            columns: cols.iter().map(|c| c.to_string()).collect(),
            ref_table: target.into(),
            ref_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: origin(),
        }
    }

    #[test]
    fn foreign_keys_are_resolved_or_skipped() {
        let mut a = table("a", &["id", "b_id", "code", "dup"], &["id"]);
        a.foreign_keys.push(fk(&["b_id"], "public.b", &[]));
        a.foreign_keys.push(fk(&["code"], "b", &["code"]));
        a.foreign_keys.push(fk(&["dup"], "nowhere", &[]));
        a.foreign_keys.push(fk(&["ghost"], "b", &[]));
        let b = table("b", &["id", "code"], &["id"]);
        let p = prepare(&Schema { tables: vec![a, b], ..Schema::default() });
        let fks = &p.schema.tables[0].foreign_keys;
        assert_eq!(fks.len(), 1);
        assert_eq!((fks[0].ref_table.as_str(), fks[0].ref_columns.clone()), ("b", vec!["id".to_string()]));
        let reasons: Vec<&str> = p.out.tr.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].contains("neither a primary key nor unique"));
        assert!(reasons[1].contains("nowhere is not defined"));
        assert!(reasons[2].contains("missing column(s) ghost"));
    }

    #[test]
    fn duplicates_and_dangling_members_are_dropped() {
        let mut t = table("t", &["a", "a", "b"], &["a"]);
        t.uniques.push(Unique { name: None, columns: vec!["b".into()], origin: origin() });
        t.uniques.push(Unique { name: None, columns: vec!["b".into()], origin: origin() });
        t.uniques.push(Unique { name: None, columns: vec!["zz".into()], origin: origin() });
        let p = prepare(&Schema { tables: vec![t], ..Schema::default() });
        assert_eq!(p.schema.tables[0].columns.len(), 2);
        assert_eq!(p.schema.tables[0].uniques.len(), 1);
        assert_eq!(p.out.tr.skipped.len(), 3);
    }

    #[test]
    fn index_names_are_generated_and_kept_apart() {
        let mut t = table("t", &["a", "b"], &["a"]);
        t.uniques.push(Unique { name: None, columns: vec!["b".into()], origin: origin() });
        let ix = |name: Option<&str>, col: &str, unique: bool| Index {
            name: name.map(String::from),
            table: "t".into(),
            parts: vec![IndexPart::column(col)],
            unique,
            method: None,
            predicate: None,
            include: vec![],
            origin: origin(),
        };
        let schema = Schema {
            tables: vec![t],
            indexes: vec![ix(None, "b", true), ix(Some("t"), "a", false), ix(None, "a", false), ix(None, "a", false)],
            ..Schema::default()
        };
        let p = prepare(&schema);
        let names: Vec<String> = p.schema.indexes.iter().filter_map(|i| i.name.clone()).collect();
        // `t_b_key` is what PostgreSQL calls the unnamed unique constraint; `t` is the table.
        assert_eq!(names, ["t_b_key_2", "t_2", "t_a_idx", "t_a_idx_2"]);
    }

    #[test]
    fn names_are_found_outside_strings_and_views_follow_their_columns() {
        assert!(mentions("\"Total\" >= 0 AND qty > 1e5", "Total"));
        assert!(mentions("items.total * 2", "total"));
        assert!(!mentions("label = 'total'", "total"));
        assert!(!mentions("subtotal > 0", "total"));
        let view = |name: &str, sql: &str| model::View {
            name: name.into(),
            sql: sql.into(),
            materialized: false,
            tables: vec![],
            origin: origin(),
        };
        let schema = Schema {
            views: vec![
                view("top", "CREATE VIEW top AS SELECT name FROM names WHERE id < 10"),
                view("names", "CREATE VIEW names AS SELECT users.id, users.name FROM users"),
                view("scores", "CREATE VIEW scores AS SELECT users.score FROM users"),
            ],
            ..Schema::default()
        };
        // Dependants after what they read; a view not reading the column is left alone.
        assert_eq!(views_using(&schema, "users", "name"), [1, 0]);
        assert_eq!(views_using(&schema, "users", "bio"), Vec::<usize>::new());
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "a".repeat(80);
        let short = shorten(&long, MAX_NAME);
        assert_eq!(short.len(), MAX_NAME);
        assert_ne!(short, shorten(&"b".repeat(80), MAX_NAME));
        assert_eq!(shorten("users_email_idx", MAX_NAME), "users_email_idx");
        // Multi-byte names are cut on a character boundary.
        let korean = "사용자".repeat(10);
        assert!(shorten(&korean, MAX_NAME).len() <= MAX_NAME);
    }

    #[test]
    fn foreign_syntax_is_found_outside_strings_only() {
        assert_eq!(find_foreign("array_length(keywords, 1) <= 10", POSTGRES_ONLY), Some("array_"));
        assert_eq!(find_foreign("status IN ('a::b', 'array_x')", POSTGRES_ONLY), None);
        assert_eq!(find_foreign("amount::numeric > 0", POSTGRES_ONLY), Some("::"));
        assert_eq!(find_foreign("my_age (x)", POSTGRES_ONLY), None);
        assert_eq!(find_foreign("age (x)", POSTGRES_ONLY), Some("age("));
        assert_eq!(find_foreign("(datetime('now'))", FOREIGN_TO_POSTGRES), Some("datetime("));
    }

    #[test]
    fn quoted_identifiers_are_requoted_outside_strings() {
        let all = |_: &str| true;
        assert_eq!(requote("`price` >= 0", '`', '"', &all).as_deref(), Some("\"price\" >= 0"));
        assert_eq!(requote("`a``b` = 'it''s `x`'", '`', '"', &all).as_deref(), Some("\"a`b\" = 'it''s `x`'"));
        let columns = |n: &str| n == "status";
        assert_eq!(requote("\"status\" <> \"draft\"", '"', '`', &columns).as_deref(), Some("`status` <> \"draft\""));
        assert_eq!(requote("`open", '`', '"', &all), None);
        assert_eq!(requote("a = 'open", '`', '"', &all), None);
    }

    #[test]
    fn view_body_follows_the_create_words() {
        assert_eq!(view_body("CREATE OR REPLACE VIEW v AS SELECT 1;"), Some("v AS SELECT 1"));
        assert_eq!(view_body("create view if not exists \"v\" as select 1"), Some("\"v\" as select 1"));
        assert_eq!(view_body("CREATE MATERIALIZED VIEW m AS SELECT 1"), Some("m AS SELECT 1"));
        assert_eq!(view_body("SELECT 1"), None);
        assert_eq!(view_body("CREATE TABLE t (a int)"), None);
    }

    #[test]
    fn postgres_array_literals_become_json() {
        assert_eq!(array_literal_as_json("{}").as_deref(), Some("[]"));
        assert_eq!(array_literal_as_json("{a, b,1}").as_deref(), Some("[\"a\",\"b\",1]"));
        assert_eq!(array_literal_as_json("[1,2]").as_deref(), Some("[1,2]"));
        assert_eq!(array_literal_as_json("{\"a,b\"}"), None);
        assert_eq!(array_literal_as_json("draft"), None);
    }

    #[test]
    fn integer_booleans_are_coerced() {
        assert_eq!(coerce_default(&TypeKind::Bool, &DefaultValue::Number("0".into())), DefaultValue::Bool(false));
        assert_eq!(
            coerce_default(&TypeKind::Int { bytes: 4 }, &DefaultValue::Bool(true)),
            DefaultValue::Number("1".into())
        );
        assert_eq!(
            coerce_default(&TypeKind::Text, &DefaultValue::Number("0".into())),
            DefaultValue::Number("0".into())
        );
    }

    #[test]
    fn plain_literals() {
        assert!(is_plain_literal("0"));
        assert!(is_plain_literal("('it''s')"));
        assert!(is_plain_literal("-1.5"));
        assert!(!is_plain_literal("now()"));
        assert!(!is_plain_literal("'a' || 'b'"));
    }
}

/// The lower-case names of the functions `sql` calls (a word followed by `(`, outside strings,
/// quoted names and comments; a schema prefix dropped), sorted and without repeats.
pub(crate) fn called_functions(sql: &str) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = std::collections::BTreeSet::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            i += 1;
            while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                i += if b[i] == b'\'' { 2 } else { 1 };
            }
            i += 1;
        } else if c == b'-' && b.get(i + 1) == Some(&b'-') {
            i = sql[i..].find('\n').map_or(b.len(), |k| i + k);
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = sql[i + 2..].find("*/").map_or(b.len(), |k| i + k + 4);
        } else if c == b'"' || c == b'`' || c.is_ascii_alphabetic() || c == b'_' {
            let (name, end) = if c == b'"' || c == b'`' {
                let end = sql[i + 1..].find(c as char).map_or(b.len(), |k| i + 1 + k);
                (sql[i + 1..end].to_string(), (end + 1).min(b.len()))
            } else {
                let end = sql[i..]
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$'))
                    .map_or(b.len(), |k| i + k);
                (sql[i..end].to_string(), end)
            };
            let rest = sql[end..].trim_start();
            if rest.starts_with('(') {
                out.insert(name.to_lowercase());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod called_functions_tests {
    use super::called_functions;

    #[test]
    fn function_calls_are_found_outside_strings() {
        assert_eq!(
            called_functions("SELECT count(*) FROM t WHERE NOT (lo_create(0) > 0 AND x <> 'pg_sleep(1)') -- random()"),
            ["count", "lo_create", "not"]
        );
        assert_eq!(called_functions("SELECT public.\"Evil\"(1) + coalesce (a, 0)"), ["coalesce", "evil"]);
    }
}
