//! The difference between two schemas as an ordered list of changes.
//!
//! `diff(from, to, hooks)` compares a live schema (`from`) with a desired one (`to`). Whether two
//! spellings mean the same thing on an engine (`int4` and `integer`, `now()` and
//! `CURRENT_TIMESTAMP`, a server-rewritten CHECK) is answered by [`DiffHooks`], which each engine
//! implements; this crate knows no SQL. Output order is stable: objects in `to`'s order, then what
//! only `from` has in `from`'s order.

use model::{
    name_eq, name_key, Check, Column, Enum, Extension, ForeignKey, Index, PrimaryKey, ReferentialAction, Routine,
    Schema, Table, TableOptions, Unique, View,
};
use serde::Serialize;

/// Engine knowledge the comparison needs. Every method has a strict default (compare as written).
pub trait DiffHooks {
    /// Whether the column types are the same on this engine.
    fn same_type(&self, from: &Column, to: &Column) -> bool {
        from.ty.kind == to.ty.kind
    }

    /// Whether the defaults are the same on this engine (identity columns aside).
    fn same_default(&self, from: &Column, to: &Column) -> bool {
        from.default == to.default
    }

    /// Whether the columns generate values the same way.
    fn same_identity(&self, from: &Column, to: &Column) -> bool {
        from.identity == to.identity
    }

    /// Whether the columns are computed the same way: both ordinary, or both generated from the
    /// same expression with the same storage (the server may have rewritten the expression).
    fn same_generated(&self, from: &Column, to: &Column) -> bool {
        same_generated_by(from, to, squash)
    }

    /// Whether two CHECK constraints are the same (the server may have rewritten the expression).
    fn same_check(&self, from: &Check, to: &Check) -> bool {
        squash(&from.expr) == squash(&to.expr)
    }

    /// Whether two indexes are the same (names aside).
    fn same_index(&self, from: &Index, to: &Index) -> bool {
        same_index_keys(from, to, squash) && same_index_options(from, to)
    }

    /// Whether two view definitions are the same.
    fn same_view(&self, from: &View, to: &View) -> bool {
        squash(&from.sql) == squash(&to.sql)
    }

    /// Whether two routines (functions, triggers) are the same.
    fn same_routine(&self, from: &Routine, to: &Routine) -> bool {
        squash(&from.sql) == squash(&to.sql)
    }

    /// Whether the engine renames an index or a unique key in place (`ALTER INDEX … RENAME`);
    /// when not, a change of name alone is a drop and a create.
    fn renames_indexes(&self) -> bool {
        true
    }

    /// Whether column comments are compared (engines without comments say no).
    fn compares_comments(&self) -> bool {
        true
    }
}

/// Whether two indexes have the same uniqueness, key parts (columns by name, expressions and the
/// predicate through `expr_key`) and sort directions: the part of [`DiffHooks::same_index`] that
/// engines comparing expressions their own way reuse.
pub fn same_index_keys(from: &Index, to: &Index, expr_key: impl Fn(&str) -> String) -> bool {
    from.unique == to.unique
        && from.parts.len() == to.parts.len()
        && from.parts.iter().zip(&to.parts).all(|(a, b)| {
            a.descending == b.descending
                && match (&a.column, &b.column) {
                    (Some(x), Some(y)) => name_eq(x, y),
                    (None, None) => {
                        expr_key(a.expr.as_deref().unwrap_or("")) == expr_key(b.expr.as_deref().unwrap_or(""))
                    }
                    _ => false,
                }
        })
        && from.predicate.as_deref().map(&expr_key) == to.predicate.as_deref().map(&expr_key)
}

/// Whether two indexes use the same method (`btree` the same as none) and INCLUDE the same columns.
pub fn same_index_options(from: &Index, to: &Index) -> bool {
    let method = |i: &Index| i.method.as_deref().map(name_key).filter(|m| m != "btree").unwrap_or_default();
    method(from) == method(to)
        && from.include.len() == to.include.len()
        && from.include.iter().zip(&to.include).all(|(a, b)| name_eq(a, b))
}

/// Whether two columns are generated alike: both plain, or both generated with the same storage
/// and expressions equal under `key` (an engine's normal form of expression text).
pub fn same_generated_by<K: PartialEq>(from: &Column, to: &Column, key: impl Fn(&str) -> K) -> bool {
    match (&from.generated, &to.generated) {
        (None, None) => true,
        (Some(a), Some(b)) => a.stored == b.stored && key(&a.expr) == key(&b.expr),
        _ => false,
    }
}

/// Lower-cased with white space removed: a tolerant comparison of SQL text.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Renames the user declared (`--rename`, `<!-- schemadoc:renamed from=… -->`): without them a
/// renamed column is a drop and an add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// (old table name, new table name)
    pub tables: Vec<(String, String)>,
    /// (table in `to`, old column name, new column name)
    pub columns: Vec<(String, String, String)>,
}

impl Renames {
    fn table_from(&self, to_name: &str) -> Option<&str> {
        self.tables.iter().find(|(_, new)| name_eq(new, to_name)).map(|(old, _)| old.as_str())
    }

    fn column_from(&self, table: &str, to_name: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(t, _, new)| name_eq(t, table) && name_eq(new, to_name))
            .map(|(_, old, _)| old.as_str())
    }
}

/// The renames `declared` in a document, with the new name of each `from=old`-only column rename
/// resolved against the live schema: the one column the document's table has and the live table
/// lacks. A rename whose old name is gone from the live database is already done and left out.
/// Errors name the renames that cannot be resolved.
pub fn declared_renames(declared: &[model::Rename], live: &Schema, document: &Schema) -> Result<Renames, String> {
    let mut out = Renames::default();
    for r in declared {
        match &r.table {
            None => out.tables.push((r.from.clone(), r.to.clone())),
            Some(t) if !r.to.is_empty() => out.columns.push((t.clone(), r.from.clone(), r.to.clone())),
            Some(t) => {
                let old_table = out.table_from(t).unwrap_or(t);
                let Some(live_table) = live.table(old_table) else { continue };
                if live_table.column(&r.from).is_none() {
                    continue;
                }
                let Some(doc_table) = document.table(t) else { continue };
                let gained: Vec<&str> = doc_table
                    .columns
                    .iter()
                    .filter(|c| live_table.column(&c.name).is_none())
                    .map(|c| c.name.as_str())
                    .collect();
                match gained.as_slice() {
                    [one] => out.columns.push((t.clone(), r.from.clone(), one.to_string())),
                    [] => {
                        return Err(format!(
                            "{}: `{t}.{}` is renamed, but the document's `{t}` has no new column to rename it to",
                            r.origin, r.from
                        ))
                    }
                    many => {
                        return Err(format!(
                            "{}: cannot tell which of {} `{t}.{}` was renamed to; write `to={t}.…` in the marker",
                            r.origin,
                            many.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
                            r.from
                        ))
                    }
                }
            }
        }
    }
    Ok(out)
}

/// What changed in one column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ColumnChanges {
    pub ty: bool,
    pub nullable: bool,
    pub default: bool,
    pub identity: bool,
    pub comment: bool,
    /// The generation expression or its storage changed, or the column became (or stopped
    /// being) a generated one.
    pub generated: bool,
    /// The document states a character set or collation the column does not have.
    pub collation: bool,
}

impl ColumnChanges {
    pub fn any(&self) -> bool {
        self.ty || self.nullable || self.default || self.identity || self.comment || self.generated || self.collation
    }
}

/// One change that turns `from` into `to`. Objects are carried whole so that planners can write
/// statements (and rebuild tables) without looking anything up.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
// NOTE: changes are few (one per differing object) and carried whole on purpose; boxing the large
// variants would only add indirection.
#[allow(clippy::large_enum_variant)]
pub enum Change {
    CreateExtension {
        extension: Extension,
    },
    DropExtension {
        extension: Extension,
    },
    CreateEnum {
        definition: Enum,
    },
    /// New values appended to an enum (PostgreSQL `ALTER TYPE … ADD VALUE`).
    AddEnumValues {
        name: String,
        values: Vec<String>,
    },
    /// An enum whose values were removed or reordered: it must be recreated.
    ReplaceEnum {
        from: Enum,
        to: Enum,
    },
    DropEnum {
        definition: Enum,
    },
    CreateTable {
        table: Table,
    },
    DropTable {
        table: Table,
    },
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
        changes: ColumnChanges,
    },
    SetPrimaryKey {
        table: String,
        from: Option<PrimaryKey>,
        to: Option<PrimaryKey>,
    },
    AddUnique {
        table: String,
        unique: Unique,
    },
    DropUnique {
        table: String,
        unique: Unique,
    },
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    AddForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: String,
        foreign_key: ForeignKey,
    },
    SetTableComment {
        table: String,
        comment: Option<String>,
    },
    /// The table's storage options changed (SQLite `STRICT`, `WITHOUT ROWID`); `origin` is the
    /// document's table.
    SetTableOptions {
        table: String,
        from: TableOptions,
        to: TableOptions,
        origin: model::Origin,
    },
    CreateIndex {
        index: Index,
    },
    /// An index whose definition is unchanged under a new name.
    RenameIndex {
        from: Index,
        to: Index,
    },
    /// A unique key whose columns are unchanged under a new name.
    RenameUnique {
        table: String,
        from: String,
        to: String,
    },
    DropIndex {
        index: Index,
    },
    CreateView {
        view: View,
    },
    DropView {
        view: View,
    },
    CreateRoutine {
        routine: Routine,
    },
    DropRoutine {
        routine: Routine,
    },
}

impl Change {
    /// Where the document states what this change makes: the origin of the created, added or
    /// altered element. `None` for drops (the document does not define what they remove), renames
    /// and what the model keeps no origin for.
    pub fn origin(&self) -> Option<&model::Origin> {
        Some(match self {
            Change::CreateExtension { extension } => &extension.origin,
            Change::CreateEnum { definition } => &definition.origin,
            Change::ReplaceEnum { to, .. } => &to.origin,
            Change::CreateTable { table } => &table.origin,
            Change::SetTableOptions { origin, .. } => origin,
            Change::AddColumn { column, .. } => &column.origin,
            Change::AlterColumn { to, .. } => &to.origin,
            Change::SetPrimaryKey { to: Some(pk), .. } => &pk.origin,
            Change::AddUnique { unique, .. } => &unique.origin,
            Change::AddCheck { check, .. } => &check.origin,
            Change::AddForeignKey { foreign_key, .. } => &foreign_key.origin,
            Change::CreateIndex { index } | Change::RenameIndex { to: index, .. } => &index.origin,
            Change::CreateView { view } => &view.origin,
            Change::CreateRoutine { routine } => &routine.origin,
            _ => return None,
        })
    }

    /// Whether the change removes something the document does not define.
    pub fn is_drop(&self) -> bool {
        matches!(
            self,
            Change::DropExtension { .. }
                | Change::DropEnum { .. }
                | Change::DropTable { .. }
                | Change::DropColumn { .. }
                | Change::DropUnique { .. }
                | Change::DropCheck { .. }
                | Change::DropForeignKey { .. }
                | Change::DropIndex { .. }
                | Change::DropView { .. }
                | Change::DropRoutine { .. }
        )
    }

    /// The table this change is about, if any.
    pub fn table(&self) -> Option<&str> {
        match self {
            Change::CreateTable { table } | Change::DropTable { table } => Some(&table.name),
            Change::RenameTable { to, .. } => Some(to),
            Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::RenameColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::SetPrimaryKey { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::SetTableComment { table, .. }
            | Change::SetTableOptions { table, .. } => Some(table),
            Change::CreateIndex { index } | Change::DropIndex { index } | Change::RenameIndex { to: index, .. } => {
                Some(&index.table)
            }
            Change::RenameUnique { table, .. } => Some(table),
            Change::CreateRoutine { routine } | Change::DropRoutine { routine } => routine.table.as_deref(),
            _ => None,
        }
    }

    /// A short description: "add column users.email".
    pub fn describe(&self) -> String {
        let idx = |i: &Index| i.name.clone().unwrap_or_else(|| format!("on {}", i.table));
        match self {
            Change::CreateExtension { extension } => format!("create extension {}", extension.name),
            Change::DropExtension { extension } => format!("drop extension {}", extension.name),
            Change::CreateEnum { definition } => format!("create enum {}", definition.name),
            Change::AddEnumValues { name, values } => format!("add values {} to enum {name}", values.join(", ")),
            Change::ReplaceEnum { to, .. } => format!("recreate enum {}", to.name),
            Change::DropEnum { definition } => format!("drop enum {}", definition.name),
            Change::CreateTable { table } => format!("create table {}", table.name),
            Change::DropTable { table } => format!("drop table {}", table.name),
            Change::RenameTable { from, to } => format!("rename table {from} to {to}"),
            Change::AddColumn { table, column } => format!("add column {table}.{}", column.name),
            Change::DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            Change::RenameColumn { table, from, to } => format!("rename column {table}.{from} to {to}"),
            Change::AlterColumn { table, to, changes, .. } => {
                let mut what = Vec::new();
                if changes.ty {
                    what.push("type");
                }
                if changes.nullable {
                    what.push(if to.nullable { "drop not null" } else { "set not null" });
                }
                if changes.default {
                    what.push("default");
                }
                if changes.identity {
                    what.push("identity");
                }
                if changes.comment {
                    what.push("comment");
                }
                if changes.generated {
                    what.push("generated expression");
                }
                if changes.collation {
                    what.push("collation");
                }
                format!("alter column {table}.{} ({})", to.name, what.join(", "))
            }
            Change::SetPrimaryKey { table, to, .. } => match to {
                Some(pk) => format!("set primary key of {table} to ({})", pk.columns.join(", ")),
                None => format!("drop primary key of {table}"),
            },
            Change::AddUnique { table, unique } => format!("add unique ({}) on {table}", unique.columns.join(", ")),
            Change::DropUnique { table, unique } => format!("drop unique ({}) on {table}", unique.columns.join(", ")),
            Change::AddCheck { table, check } => {
                format!("add check {} on {table}", check.name.as_deref().unwrap_or(&check.expr))
            }
            Change::DropCheck { table, check } => {
                format!("drop check {} on {table}", check.name.as_deref().unwrap_or(&check.expr))
            }
            Change::AddForeignKey { table, foreign_key: fk } => {
                format!("add foreign key {table}.{} → {}", fk.columns.join(", "), fk.ref_table)
            }
            Change::DropForeignKey { table, foreign_key: fk } => {
                format!("drop foreign key {table}.{} → {}", fk.columns.join(", "), fk.ref_table)
            }
            Change::SetTableComment { table, .. } => format!("set comment on {table}"),
            Change::SetTableOptions { table, from, to, .. } => {
                let mut what = Vec::new();
                if from.strict != to.strict {
                    what.push(if to.strict { "make STRICT" } else { "drop STRICT" });
                }
                if from.without_rowid != to.without_rowid {
                    what.push(if to.without_rowid { "make WITHOUT ROWID" } else { "drop WITHOUT ROWID" });
                }
                if from.charset != to.charset || from.collation != to.collation {
                    what.push("set default character set and collation");
                }
                format!("{} of {table}", what.join(", "))
            }
            Change::CreateIndex { index } => format!("create index {}", idx(index)),
            Change::DropIndex { index } => format!("drop index {}", idx(index)),
            Change::RenameIndex { from, to } => format!("rename index {} to {}", idx(from), idx(to)),
            Change::RenameUnique { table, from, to } => format!("rename unique key {from} on {table} to {to}"),
            Change::CreateView { view } => format!("create view {}", view.name),
            Change::DropView { view } => format!("drop view {}", view.name),
            Change::CreateRoutine { routine } => format!("create {:?} {}", routine.kind, routine.name).to_lowercase(),
            Change::DropRoutine { routine } => format!("drop {:?} {}", routine.kind, routine.name).to_lowercase(),
        }
    }

    /// Whether applying the change can lose data that exists now.
    pub fn loses_data(&self) -> bool {
        match self {
            Change::DropTable { .. } | Change::DropColumn { .. } => true,
            // NOTE: a generated column's values are derived: retyping or recomputing it loses
            // nothing, but turning an ordinary column into a generated one replaces its values.
            Change::AlterColumn { from, changes, .. } => from.generated.is_none() && (changes.ty || changes.generated),
            _ => false,
        }
    }
}

/// A column dropped and one added with the same type in the same table: probably a rename the
/// document did not declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LikelyRename {
    pub table: String,
    pub from: String,
    pub to: String,
}

/// The changes that turn one schema into another, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChangeSet {
    pub changes: Vec<Change>,
    pub likely_renames: Vec<LikelyRename>,
}

impl ChangeSet {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The changes that turn `from` into `to`.
pub fn diff(from: &Schema, to: &Schema, hooks: &dyn DiffHooks, renames: &Renames) -> ChangeSet {
    let mut out = ChangeSet::default();
    let changes = &mut out.changes;

    // Extensions and enums first: tables use them.
    for x in &to.extensions {
        if !from.has_extension(&x.name) {
            changes.push(Change::CreateExtension { extension: x.clone() });
        }
    }
    for e in &to.enums {
        match from.enum_named(&e.name) {
            None => changes.push(Change::CreateEnum { definition: e.clone() }),
            Some(old) if old.values == e.values => {}
            Some(old) if e.values.starts_with(&old.values) => changes
                .push(Change::AddEnumValues { name: e.name.clone(), values: e.values[old.values.len()..].to_vec() }),
            Some(old) => changes.push(Change::ReplaceEnum { from: old.clone(), to: e.clone() }),
        }
    }

    // Tables, matched by name or by a declared rename.
    let mut matched_from: Vec<bool> = vec![false; from.tables.len()];
    for t in &to.tables {
        // A declared rename applies while the old name is there and the new one is not: once
        // applied, the document's marker is history.
        let renamed = renames
            .table_from(&t.name)
            .filter(|old| from.table(old).is_some() && from.table(&t.qualified_name()).is_none());
        // Tables are told apart by schema and name (`orchard.trees` is not `trees`).
        let found = match renamed {
            Some(old_name) => from.tables.iter().position(|f| name_eq(&f.name, old_name) && f.namespace == t.namespace),
            None => from.tables.iter().position(|f| f.key() == t.key()),
        };
        match found {
            None => changes.push(Change::CreateTable { table: t.clone() }),
            Some(i) => {
                matched_from[i] = true;
                let f = &from.tables[i];
                if !name_eq(&f.name, &t.name) {
                    changes.push(Change::RenameTable { from: f.name.clone(), to: t.name.clone() });
                }
                diff_table(f, t, hooks, renames, &mut out.likely_renames, changes);
            }
        }
    }

    // Indexes: matched by table and definition; a renamed table's indexes follow it.
    let table_of = |name: &str| -> String {
        renames
            .tables
            .iter()
            .find(|(old, _)| name_eq(old, name))
            .map(|(_, new)| new.clone())
            .unwrap_or(name.to_string())
    };
    let mut matched_index: Vec<bool> = vec![false; from.indexes.len()];
    let named = |a: &Index, b: &Index| match (&a.name, &b.name) {
        (Some(x), Some(y)) => name_eq(x, y),
        _ => true,
    };
    for index in &to.indexes {
        let same = |i: usize, f: &Index| {
            !matched_index[i] && name_eq(&table_of(&f.table), &index.table) && hooks.same_index(f, index)
        };
        // The same definition under the same name first; else under another name: a rename.
        let found = from.indexes.iter().enumerate().position(|(i, f)| same(i, f) && named(f, index));
        let found = found.or_else(|| from.indexes.iter().enumerate().position(|(i, f)| same(i, f)));
        match found {
            Some(i) => {
                matched_index[i] = true;
                let f = &from.indexes[i];
                if !named(f, index) {
                    if hooks.renames_indexes() {
                        changes.push(Change::RenameIndex { from: f.clone(), to: index.clone() });
                    } else {
                        changes.push(Change::DropIndex { index: f.clone() });
                        changes.push(Change::CreateIndex { index: index.clone() });
                    }
                }
            }
            None => changes.push(Change::CreateIndex { index: index.clone() }),
        }
    }
    let dropped_tables: Vec<&Table> =
        from.tables.iter().enumerate().filter(|(i, _)| !matched_from[*i]).map(|(_, t)| t).collect();
    for (i, index) in from.indexes.iter().enumerate() {
        // Dropping a table drops its indexes.
        if !matched_index[i] && !dropped_tables.iter().any(|t| t.is_named(&index.table)) {
            changes.push(Change::DropIndex { index: index.clone() });
        }
    }

    for v in &to.views {
        match from.views.iter().find(|f| name_eq(&f.name, &v.name)) {
            None => changes.push(Change::CreateView { view: v.clone() }),
            Some(f) if !hooks.same_view(f, v) => {
                changes.push(Change::DropView { view: f.clone() });
                changes.push(Change::CreateView { view: v.clone() });
            }
            Some(_) => {}
        }
    }
    for r in &to.routines {
        match from.routines.iter().find(|f| f.kind == r.kind && name_eq(&f.name, &r.name)) {
            None => changes.push(Change::CreateRoutine { routine: r.clone() }),
            Some(f) if !hooks.same_routine(f, r) => {
                changes.push(Change::DropRoutine { routine: f.clone() });
                changes.push(Change::CreateRoutine { routine: r.clone() });
            }
            Some(_) => {}
        }
    }

    // What only `from` has, last.
    for r in &from.routines {
        if !to.routines.iter().any(|t| t.kind == r.kind && name_eq(&t.name, &r.name)) {
            changes.push(Change::DropRoutine { routine: r.clone() });
        }
    }
    for v in &from.views {
        if !to.views.iter().any(|t| name_eq(&t.name, &v.name)) {
            changes.push(Change::DropView { view: v.clone() });
        }
    }
    for t in dropped_tables {
        changes.push(Change::DropTable { table: t.clone() });
    }
    for e in &from.enums {
        if to.enum_named(&e.name).is_none() {
            changes.push(Change::DropEnum { definition: e.clone() });
        }
    }
    for x in &from.extensions {
        if !to.has_extension(&x.name) {
            changes.push(Change::DropExtension { extension: x.clone() });
        }
    }
    out
}

fn diff_table(
    f: &Table,
    t: &Table,
    hooks: &dyn DiffHooks,
    renames: &Renames,
    likely: &mut Vec<LikelyRename>,
    changes: &mut Vec<Change>,
) {
    let table = t.name.clone();
    let mut matched: Vec<bool> = vec![false; f.columns.len()];
    let mut added: Vec<&Column> = Vec::new();
    for c in &t.columns {
        let old_name = renames
            .column_from(&t.name, &c.name)
            .filter(|old| f.column(old).is_some() && f.column(&c.name).is_none())
            .unwrap_or(&c.name);
        match f.columns.iter().position(|x| name_eq(&x.name, old_name)) {
            None => {
                added.push(c);
                changes.push(Change::AddColumn { table: table.clone(), column: c.clone() });
            }
            Some(i) => {
                matched[i] = true;
                let old = &f.columns[i];
                if !name_eq(&old.name, &c.name) {
                    changes.push(Change::RenameColumn {
                        table: table.clone(),
                        from: old.name.clone(),
                        to: c.name.clone(),
                    });
                }
                let in_pk = |tb: &Table, col: &Column| {
                    tb.primary_key.as_ref().is_some_and(|pk| pk.columns.iter().any(|p| name_eq(p, &col.name)))
                };
                let nullable_old = old.nullable && !in_pk(f, old);
                let nullable_new = c.nullable && !in_pk(t, c);
                let identity = !hooks.same_identity(old, c);
                let generated = !hooks.same_generated(old, c);
                // NOTE: generated columns cannot have defaults; a default on either side is
                // whatever the generated change brings.
                let computed = old.generated.is_some() || c.generated.is_some();
                let cc = ColumnChanges {
                    ty: !hooks.same_type(old, c),
                    nullable: nullable_old != nullable_new,
                    default: !identity && !computed && old.identity.is_none() && !hooks.same_default(old, c),
                    identity,
                    comment: hooks.compares_comments() && old.comment != c.comment,
                    generated,
                    collation: !stated_same(&c.charset, &old.charset) || !stated_same(&c.collation, &old.collation),
                };
                if cc.any() {
                    changes.push(Change::AlterColumn {
                        table: table.clone(),
                        from: old.clone(),
                        to: c.clone(),
                        changes: cc,
                    });
                }
            }
        }
    }
    for (i, c) in f.columns.iter().enumerate() {
        if !matched[i] {
            if let Some(a) = added.iter().find(|a| hooks.same_type(c, a)) {
                likely.push(LikelyRename { table: table.clone(), from: c.name.clone(), to: a.name.clone() });
            }
            changes.push(Change::DropColumn { table: table.clone(), column: c.clone() });
        }
    }

    let pk_cols =
        |p: &Option<PrimaryKey>| p.as_ref().map(|p| p.columns.iter().map(|c| name_key(c)).collect::<Vec<_>>());
    let renamed_pk = f.primary_key.as_ref().map(|p| PrimaryKey {
        columns: p.columns.iter().map(|c| renamed_column(renames, t, c)).collect(),
        ..p.clone()
    });
    if pk_cols(&renamed_pk) != pk_cols(&t.primary_key) {
        changes.push(Change::SetPrimaryKey {
            table: table.clone(),
            from: f.primary_key.clone(),
            to: t.primary_key.clone(),
        });
    }

    let cols = |c: &[String]| c.iter().map(|x| name_key(&renamed_column(renames, t, x))).collect::<Vec<_>>();
    for u in &t.uniques {
        match f.uniques.iter().find(|x| cols(&x.columns) == cols(&u.columns)) {
            None => changes.push(Change::AddUnique { table: table.clone(), unique: u.clone() }),
            Some(x) => match (&x.name, &u.name) {
                (Some(old), Some(new)) if !name_eq(old, new) => {
                    if hooks.renames_indexes() {
                        changes.push(Change::RenameUnique { table: table.clone(), from: old.clone(), to: new.clone() });
                    } else {
                        changes.push(Change::DropUnique { table: table.clone(), unique: x.clone() });
                        changes.push(Change::AddUnique { table: table.clone(), unique: u.clone() });
                    }
                }
                _ => {}
            },
        }
    }
    for u in &f.uniques {
        if !t.uniques.iter().any(|x| cols(&x.columns) == cols(&u.columns)) {
            changes.push(Change::DropUnique { table: table.clone(), unique: u.clone() });
        }
    }
    let same_check = |a: &Check, b: &Check| match (&a.name, &b.name) {
        (Some(x), Some(y)) if !name_eq(x, y) => false,
        _ => hooks.same_check(a, b),
    };
    for c in &t.checks {
        if !f.checks.iter().any(|x| same_check(x, c)) {
            changes.push(Change::AddCheck { table: table.clone(), check: c.clone() });
        }
    }
    for c in &f.checks {
        if !t.checks.iter().any(|x| same_check(c, x)) {
            changes.push(Change::DropCheck { table: table.clone(), check: c.clone() });
        }
    }
    let action = |a: Option<ReferentialAction>| a.unwrap_or(ReferentialAction::NoAction);
    let same_fk = |a: &ForeignKey, b: &ForeignKey| {
        cols(&a.columns) == cols(&b.columns)
            && name_eq(&a.ref_table, &b.ref_table)
            && (a.ref_columns.is_empty()
                || b.ref_columns.is_empty()
                || a.ref_columns.iter().map(|c| name_key(c)).eq(b.ref_columns.iter().map(|c| name_key(c))))
            && equivalent_action(action(a.on_delete), action(b.on_delete))
            && equivalent_action(action(a.on_update), action(b.on_update))
    };
    for fk in &t.foreign_keys {
        if !f.foreign_keys.iter().any(|x| same_fk(x, fk)) {
            changes.push(Change::AddForeignKey { table: table.clone(), foreign_key: fk.clone() });
        }
    }
    for fk in &f.foreign_keys {
        if !t.foreign_keys.iter().any(|x| same_fk(fk, x)) {
            changes.push(Change::DropForeignKey { table: table.clone(), foreign_key: fk.clone() });
        }
    }
    if hooks.compares_comments() && f.comment != t.comment {
        changes.push(Change::SetTableComment { table: table.clone(), comment: t.comment.clone() });
    }
    let options_differ = f.options.strict != t.options.strict
        || f.options.without_rowid != t.options.without_rowid
        || !stated_same(&t.options.charset, &f.options.charset)
        || !stated_same(&t.options.collation, &f.options.collation);
    if options_differ {
        changes.push(Change::SetTableOptions {
            table,
            from: f.options.clone(),
            to: t.options.clone(),
            origin: t.origin.clone(),
        });
    }
}

/// Whether the live value `live` is what the document's `stated` says, when it says anything: an
/// unstated character set or collation is the server's default and never drift.
fn stated_same(stated: &Option<String>, live: &Option<String>) -> bool {
    match stated {
        None => true,
        Some(s) => live.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(s)),
    }
}

/// NOTE: `NO ACTION` and `RESTRICT` differ only in when the check runs (end of statement vs
/// immediately); engines report either for an FK declared without an action.
fn equivalent_action(a: ReferentialAction, b: ReferentialAction) -> bool {
    use ReferentialAction::*;
    a == b || matches!((a, b), (NoAction, Restrict) | (Restrict, NoAction))
}

/// The name a `from` column has in `to` after declared renames.
fn renamed_column(renames: &Renames, to: &Table, old: &str) -> String {
    renames
        .columns
        .iter()
        .find(|(t, o, _)| name_eq(t, &to.name) && name_eq(o, old))
        .map(|(_, _, new)| new.clone())
        .unwrap_or_else(|| old.to_string())
}

#[cfg(test)]
mod tests;
