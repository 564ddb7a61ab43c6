//! What every notation front-end hands to the merge.

use model::{name_key, Column, DataType, DefaultValue, Diagnostic, Identity, Notation, Schema, Span, Table};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Everything one notation of a document says, before merging with the other notations.
#[derive(Debug, Clone)]
pub struct Partial {
    pub notation: Notation,
    /// The tables (and other objects) this notation describes. A table this notation only alters
    /// (`ALTER TABLE users ADD COLUMN …`, an index list under a heading) appears here too, with
    /// just what was said about it, and its name key is in `altered_only`.
    pub schema: Schema,
    /// `model::name_key`s of tables this notation mentions without defining them.
    pub altered_only: BTreeSet<String>,
    /// (table key, column key) of columns added with `ADD COLUMN IF NOT EXISTS` to a table this
    /// notation does not define: where the column exists, the addition is a no-op.
    pub if_not_exists: BTreeSet<(String, String)>,
    /// Changes to columns and constraints of tables this notation only alters (`ALTER COLUMN …
    /// SET NOT NULL`, `DROP COLUMN`, `COMMENT ON COLUMN`), in document order. The merge applies
    /// them, after what `schema` adds to those tables, to the table another notation defines.
    pub patches: Vec<TablePatch>,
    /// `model::name_key`s of tables this notation mentions only in `ALTER TABLE IF EXISTS`: where
    /// no notation defines them, what those statements say is a no-op, not an error.
    pub if_exists_tables: BTreeSet<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// The markdown items this notation read: (file, [`crate::scan::Item::line`]).
    ///
    /// The contract that keeps anything from being dropped silently: a front-end marks (with
    /// [`Partial::mark_read`]) every item it takes responsibility for, because it read something
    /// from it or reported with a diagnostic why it could not. It leaves alone the items it
    /// merely looked at and found not to be its notation. Once every front-end ran, the pipeline
    /// reports each item nobody marked that looks like schema ([`crate::unread`]), so a new
    /// front-end only has to mark what it reads. A front-end that reads text spanning several
    /// items (unfenced notation across paragraphs) marks each of them.
    pub read: BTreeSet<(Arc<str>, u32)>,
    /// Where each table of `schema` sits, for [`Partial::table_slot`].
    slots: TableSlots,
}

impl Partial {
    pub fn new(notation: Notation) -> Self {
        Partial {
            notation,
            schema: Schema::default(),
            altered_only: BTreeSet::new(),
            if_not_exists: BTreeSet::new(),
            patches: Vec::new(),
            if_exists_tables: BTreeSet::new(),
            diagnostics: Vec::new(),
            read: BTreeSet::new(),
            slots: TableSlots::default(),
        }
    }

    /// The position in `schema.tables` of the table named `name` (compared as [`model::name_eq`]
    /// does, the first of that name), added with `origin` when this notation has none yet. Constant
    /// time however many tables the notation holds, so readers stay linear in the document.
    pub fn table_slot(&mut self, name: &str, origin: &model::Origin) -> usize {
        let tables = &mut self.schema.tables;
        if let Some(i) = self.slots.find(tables, name) {
            return i;
        }
        tables.push(Table::new(name, origin.clone()));
        tables.len() - 1
    }

    /// Records that this notation read (or reported) the item of `file` that starts at `line`.
    pub fn mark_read(&mut self, file: &Arc<str>, line: u32) {
        self.read.insert((file.clone(), line));
    }
}

/// One change a statement makes to a table that another notation defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePatch {
    /// The table, as the statement spells it; empty for a `DROP INDEX name` that names no table
    /// (PostgreSQL, SQLite), whose index is found by its name alone.
    pub table: String,
    pub op: PatchOp,
    /// Written with `IF EXISTS`: a missing column, constraint or index is not an error.
    pub if_exists: bool,
    /// Written `ALTER TABLE IF EXISTS`: a missing table is not an error (the statement is a no-op).
    pub table_if_exists: bool,
    /// The column or constraint name in the statement: where a missing one is reported.
    pub span: Span,
}

/// What a [`TablePatch`] changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatchOp {
    /// `ALTER COLUMN c SET NOT NULL` (`not_null`) or `DROP NOT NULL`.
    SetNotNull { column: String, not_null: bool },
    /// `ALTER COLUMN c SET DEFAULT …`, or `DROP DEFAULT` (`None`).
    SetDefault { column: String, default: Option<DefaultValue> },
    /// `ALTER COLUMN c TYPE …`.
    SetType { column: String, ty: DataType },
    /// `ALTER COLUMN c ADD GENERATED … AS IDENTITY` (or a serial type).
    SetIdentity { column: String, identity: Identity },
    /// `COMMENT ON COLUMN t.c IS …`; `IS NULL` removes the comment.
    Comment { column: String, comment: Option<String> },
    /// `RENAME COLUMN c TO to`.
    Rename { column: String, to: String },
    /// MySQL `MODIFY COLUMN` / `CHANGE COLUMN`: the column replaced by a new definition, which may
    /// carry a new name.
    Redefine { column: String, with: Box<Column> },
    /// `DROP COLUMN c`, with the keys and constraints that use it.
    Drop { column: String },
    /// `DROP CONSTRAINT name` (MySQL `DROP FOREIGN KEY name`).
    DropConstraint { name: String },
    /// `DROP PRIMARY KEY`.
    DropPrimaryKey,
    /// `ALTER TABLE t RENAME TO to`: later statements name the table `to`.
    RenameTable { to: String },
    /// `DROP INDEX name` (PostgreSQL, SQLite: [`TablePatch::table`] is empty) or MySQL `ALTER TABLE
    /// t DROP INDEX name` / `DROP INDEX name ON t`.
    DropIndex { name: String },
}

impl PatchOp {
    /// The column the change is about, if it is about one.
    pub fn column(&self) -> Option<&str> {
        match self {
            PatchOp::SetNotNull { column, .. }
            | PatchOp::SetDefault { column, .. }
            | PatchOp::SetType { column, .. }
            | PatchOp::SetIdentity { column, .. }
            | PatchOp::Comment { column, .. }
            | PatchOp::Rename { column, .. }
            | PatchOp::Redefine { column, .. }
            | PatchOp::Drop { column } => Some(column),
            PatchOp::DropConstraint { .. }
            | PatchOp::DropPrimaryKey
            | PatchOp::RenameTable { .. }
            | PatchOp::DropIndex { .. } => None,
        }
    }

    /// The statement that makes the change, for messages (`ALTER COLUMN`).
    pub fn statement(&self) -> &'static str {
        match self {
            PatchOp::SetNotNull { .. }
            | PatchOp::SetDefault { .. }
            | PatchOp::SetType { .. }
            | PatchOp::SetIdentity { .. } => "ALTER COLUMN",
            PatchOp::Comment { .. } => "COMMENT ON COLUMN",
            PatchOp::Rename { .. } => "RENAME COLUMN",
            PatchOp::Redefine { .. } => "MODIFY COLUMN",
            PatchOp::Drop { .. } => "DROP COLUMN",
            PatchOp::DropConstraint { .. } => "DROP CONSTRAINT",
            PatchOp::DropPrimaryKey => "DROP PRIMARY KEY",
            PatchOp::RenameTable { .. } => "RENAME TO",
            PatchOp::DropIndex { .. } => "DROP INDEX",
        }
    }

    /// Applies the change to `table`; keys and constraints follow a renamed or dropped column.
    /// Returns `false`, changing nothing, when the column or constraint it names does not exist.
    /// Indexes and references from other tables are the caller's to update: a `DropIndex` here
    /// only removes the unique key MySQL would know by that index name.
    pub fn apply(&self, table: &mut Table) -> bool {
        match self {
            PatchOp::RenameTable { to } => {
                table.name.clone_from(to);
                true
            }
            PatchOp::DropIndex { name } => drop_unique_index(table, name),
            PatchOp::Rename { column, to } => rename_column(table, column, to),
            PatchOp::Drop { column } => drop_column(table, column),
            PatchOp::DropConstraint { name } => drop_constraint(table, name),
            PatchOp::DropPrimaryKey => table.primary_key.take().is_some(),
            PatchOp::Redefine { column, with } => {
                let Some(pos) = table.columns.iter().position(|c| name_key(&c.name) == name_key(column)) else {
                    return false;
                };
                let new_name = with.name.clone();
                table.columns[pos] = (**with).clone();
                if name_key(&new_name) != name_key(column) {
                    rename_in_constraints(table, column, &new_name);
                }
                true
            }
            PatchOp::SetNotNull { column, not_null } => with_column(table, column, |c| {
                c.nullable = !not_null;
                c.stated.nullable = true;
            }),
            PatchOp::SetDefault { column, default } => with_column(table, column, |c| {
                c.default = default.clone();
                c.stated.default = true;
            }),
            PatchOp::SetType { column, ty } => with_column(table, column, |c| c.ty = ty.clone()),
            PatchOp::SetIdentity { column, identity } => with_column(table, column, |c| c.identity = Some(*identity)),
            PatchOp::Comment { column, comment } => with_column(table, column, |c| c.comment = comment.clone()),
        }
    }
}

fn with_column(table: &mut Table, column: &str, change: impl FnOnce(&mut Column)) -> bool {
    match table.column_mut(column) {
        Some(c) => {
            change(c);
            true
        }
        None => false,
    }
}

/// Removes `column` from `table` with the primary key, uniques, foreign keys and checks that use
/// it (as `ALTER TABLE … DROP COLUMN` does). `false` when the table has no such column.
pub(crate) fn drop_column(table: &mut Table, column: &str) -> bool {
    let ck = name_key(column);
    let before = table.columns.len();
    table.columns.retain(|c| name_key(&c.name) != ck);
    if before == table.columns.len() {
        return false;
    }
    let mentions = |cols: &[String]| cols.iter().any(|c| name_key(c) == ck);
    if table.primary_key.as_ref().is_some_and(|pk| mentions(&pk.columns)) {
        table.primary_key = None;
    }
    table.uniques.retain(|u| !mentions(&u.columns));
    table.foreign_keys.retain(|f| !mentions(&f.columns));
    table.checks.retain(|c| !mentions(&c.columns));
    true
}

/// Renames column `old` of `table` to `new`, in its keys and constraints too. `false` when the
/// table has no column `old`.
pub(crate) fn rename_column(table: &mut Table, old: &str, new: &str) -> bool {
    let Some(col) = table.column_mut(old) else { return false };
    col.name = new.to_string();
    rename_in_constraints(table, old, new);
    true
}

fn rename_in_constraints(table: &mut Table, old: &str, new: &str) {
    let ok = name_key(old);
    let fix = |cols: &mut Vec<String>| {
        for c in cols.iter_mut() {
            if name_key(c) == ok {
                *c = new.to_string();
            }
        }
    };
    if let Some(pk) = table.primary_key.as_mut() {
        fix(&mut pk.columns);
    }
    table.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
    table.foreign_keys.iter_mut().for_each(|f| fix(&mut f.columns));
    table.checks.iter_mut().for_each(|c| fix(&mut c.columns));
}

/// Removes the constraint called `name` from `table`, by its declared name or, for an unnamed
/// one, the name PostgreSQL gives it. `false` when nothing has that name.
pub(crate) fn drop_constraint(table: &mut Table, name: &str) -> bool {
    let nk = name_key(name);
    let tk = name_key(&table.name);
    // NOTE: PostgreSQL names unnamed constraints `t_pkey`, `t_a_b_key`, `t_a_fkey`,
    // `t_a_check`; a DROP CONSTRAINT may use those names.
    let is = |n: &Option<String>, cols: &[String], suffix: &str| match n {
        Some(n) => name_key(n) == nk,
        None => {
            let cols: Vec<String> = cols.iter().map(|c| name_key(c)).collect();
            let implicit =
                if cols.is_empty() { format!("{tk}_{suffix}") } else { format!("{tk}_{}_{suffix}", cols.join("_")) };
            implicit == nk
        }
    };
    let t = table;
    let before = t.uniques.len() + t.checks.len() + t.foreign_keys.len() + usize::from(t.primary_key.is_some());
    if t.primary_key.as_ref().is_some_and(|p| is(&p.name, &[], "pkey")) {
        t.primary_key = None;
    }
    t.uniques.retain(|u| !is(&u.name, &u.columns, "key"));
    t.checks.retain(|c| !is(&c.name, &c.columns[..c.columns.len().min(1)], "check"));
    t.foreign_keys.retain(|f| !is(&f.name, &f.columns, "fkey"));
    let after = t.uniques.len() + t.checks.len() + t.foreign_keys.len() + usize::from(t.primary_key.is_some());
    before != after
}

/// Removes the unique key of `table` that MySQL knows as index `name`: its declared name or,
/// for an unnamed one, the name MySQL gives it (its first column). `false` when none has it.
pub(crate) fn drop_unique_index(table: &mut Table, name: &str) -> bool {
    let nk = name_key(name);
    // NOTE: MySQL names the index behind an unnamed UNIQUE after its first column.
    let is = |n: &Option<String>, cols: &[String]| match n {
        Some(n) => name_key(n) == nk,
        None => cols.first().is_some_and(|c| name_key(c) == nk),
    };
    let before = table.uniques.len();
    table.uniques.retain(|u| !is(&u.name, &u.columns));
    before != table.uniques.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Check, ForeignKey, Origin, PrimaryKey, Unique};

    fn origin() -> Origin {
        Origin::new("t.md".into(), 1, 1, Notation::FieldTable)
    }

    fn users() -> Table {
        let mut t = Table::new("users", origin());
        for name in ["id", "email", "org_id"] {
            t.columns.push(Column::new(name, model::DataType::new(model::TypeKind::Text, "TEXT"), origin()));
        }
        t.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: origin() });
        t.uniques.push(Unique { name: None, columns: vec!["email".into()], origin: origin() });
        t.checks.push(Check {
            name: Some("email_len".into()),
            expr: "length(email) > 3".into(),
            columns: vec!["email".into()],
            origin: origin(),
        });
        t.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["org_id".into()],
            ref_table: "orgs".into(),
            ref_columns: vec!["id".into()],
            on_delete: None,
            on_update: None,
            inferred: false,
            origin: origin(),
        });
        t
    }

    #[test]
    fn column_changes_say_what_they_state() {
        let mut t = users();
        t.columns[1].stated = model::Stated { nullable: false, default: false };
        let op = PatchOp::SetNotNull { column: "EMAIL".into(), not_null: true };
        assert!(op.apply(&mut t));
        let email = t.column("email").unwrap();
        assert!(!email.nullable && email.stated.nullable);
        assert!(!email.stated.default);
        let op = PatchOp::SetDefault { column: "email".into(), default: Some(DefaultValue::Null) };
        assert!(op.apply(&mut t));
        assert!(t.column("email").unwrap().stated.default);
        assert!(!PatchOp::SetNotNull { column: "nope".into(), not_null: true }.apply(&mut t));
    }

    #[test]
    fn rename_and_drop_follow_keys_and_constraints() {
        let mut t = users();
        assert!(PatchOp::Rename { column: "email".into(), to: "mail".into() }.apply(&mut t));
        assert_eq!(t.uniques[0].columns, ["mail"]);
        assert_eq!(t.checks[0].columns, ["mail"]);
        assert!(PatchOp::Drop { column: "mail".into() }.apply(&mut t));
        assert!(t.uniques.is_empty() && t.checks.is_empty());
        assert!(!PatchOp::Drop { column: "mail".into() }.apply(&mut t));
        assert!(PatchOp::DropConstraint { name: "users_org_id_fkey".into() }.apply(&mut t));
        assert!(t.foreign_keys.is_empty());
        assert!(!PatchOp::DropConstraint { name: "users_org_id_fkey".into() }.apply(&mut t));
        assert!(PatchOp::DropPrimaryKey.apply(&mut t));
        assert!(!PatchOp::DropPrimaryKey.apply(&mut t));
    }

    #[test]
    fn table_renames_and_index_drops_reach_the_table() {
        let mut t = users();
        assert!(PatchOp::RenameTable { to: "members".into() }.apply(&mut t));
        assert_eq!(t.name, "members");
        // MySQL knows the unnamed UNIQUE (email) as index `email`.
        assert!(!PatchOp::DropIndex { name: "users_email_key".into() }.apply(&mut t));
        assert!(PatchOp::DropIndex { name: "EMAIL".into() }.apply(&mut t));
        assert!(t.uniques.is_empty());
        assert!(!PatchOp::DropIndex { name: "email".into() }.apply(&mut t));
        assert_eq!(PatchOp::DropIndex { name: "x".into() }.column(), None);
        assert_eq!(PatchOp::RenameTable { to: "x".into() }.statement(), "RENAME TO");
    }

    #[test]
    fn redefine_replaces_the_column_in_place() {
        let mut t = users();
        let with = Column::new("e_mail", model::DataType::new(model::TypeKind::Text, "TEXT"), origin());
        assert!(PatchOp::Redefine { column: "email".into(), with: Box::new(with) }.apply(&mut t));
        assert_eq!(t.columns[1].name, "e_mail");
        assert_eq!(t.uniques[0].columns, ["e_mail"]);
    }
}

/// Table positions by name key: the tables pushed since the last lookup are indexed on the next one,
/// and a hit is confirmed against the table itself, so whatever else changes `tables` (a removal, a
/// rename) costs one rebuild, never a wrong answer.
#[derive(Debug, Clone, Default)]
struct TableSlots {
    by_key: std::collections::HashMap<String, usize>,
    indexed: usize,
}

impl TableSlots {
    fn find(&mut self, tables: &[Table], name: &str) -> Option<usize> {
        let key = name_key(name);
        for _ in 0..2 {
            if self.indexed > tables.len() {
                self.by_key.clear();
                self.indexed = 0;
            }
            for (i, t) in tables.iter().enumerate().skip(self.indexed) {
                self.by_key.entry(name_key(&t.name)).or_insert(i);
            }
            self.indexed = tables.len();
            match self.by_key.get(&key) {
                Some(&i) if tables.get(i).is_some_and(|t| model::name_eq(&t.name, name)) => return Some(i),
                None => return None,
                // Stale: the tables changed under us; index them afresh once.
                Some(_) => {
                    self.by_key.clear();
                    self.indexed = 0;
                }
            }
        }
        tables.iter().position(|t| model::name_eq(&t.name, name))
    }
}
