//! When two spellings mean the same thing on SQLite: the diff hooks.

use super::types::{affinity_of_kind, default_text, strip_outer_parens};
use crate::common::{strip_terminator, view_body};
use diff::{same_index_keys, squash, DiffHooks};
use model::{Check, Column, DefaultValue, Index, Routine, View};

/// SQLite's answers to "is this the same?".
#[derive(Debug, Clone, Copy)]
pub(super) struct SqliteHooks;

/// An expression compared loosely: outer parentheses, white space and case do not count.
pub(super) fn expr_key(expr: &str) -> String {
    squash(strip_outer_parens(expr))
}

/// A `CREATE TRIGGER` (or other `CREATE`) statement as `sqlite_schema.sql` keeps it: without
/// `IF NOT EXISTS`, `TEMP` or a trailing semicolon, `CREATE` and the object word upper-cased.
pub(super) fn stored_create(sql: &str) -> String {
    let body = strip_terminator(sql);
    let mut rest = body.trim_start();
    let mut words = Vec::new();
    for word in ["create", "temp", "temporary", "unique", "trigger", "view", "index", "table", "if", "not", "exists"] {
        let Some(head) = rest.get(..word.len()) else { continue };
        let boundary = !matches!(rest[word.len()..].chars().next(), Some(c) if c.is_alphanumeric() || c == '_');
        if head.eq_ignore_ascii_case(word) && boundary {
            if !matches!(word, "temp" | "temporary" | "if" | "not" | "exists") {
                words.push(word.to_ascii_uppercase());
            }
            rest = rest[word.len()..].trim_start();
        } else if word == "create" {
            return body.to_string();
        }
    }
    format!("{} {rest}", words.join(" "))
}

/// The default as SQLite writes it, or `None` for no default (`DEFAULT NULL` is no default).
fn default_key(col: &Column) -> Option<String> {
    match &col.default {
        None | Some(DefaultValue::Null) => None,
        Some(d) => Some(expr_key(&default_text(&col.ty.kind, d).unwrap_or_else(|| d.to_string()))),
    }
}

impl DiffHooks for SqliteHooks {
    // NOTE: SQLite cannot rename an index; a new name is a drop and a create.
    fn renames_indexes(&self) -> bool {
        false
    }

    // NOTE: a declared type only gives a SQLite column its affinity; `BIGINT`, `INT` and `INTEGER`
    // (or `VARCHAR(20)` and `TEXT`) store values identically, so only the affinity is compared.
    fn same_type(&self, from: &Column, to: &Column) -> bool {
        affinity_of_kind(&from.ty.kind) == affinity_of_kind(&to.ty.kind)
    }

    fn same_default(&self, from: &Column, to: &Column) -> bool {
        default_key(from) == default_key(to)
    }

    fn same_identity(&self, from: &Column, to: &Column) -> bool {
        from.identity.is_some() == to.identity.is_some()
    }

    fn same_check(&self, from: &Check, to: &Check) -> bool {
        expr_key(&from.expr) == expr_key(&to.expr)
    }

    // NOTE: SQLite keeps the generation expression exactly as the CREATE TABLE text wrote it.
    fn same_generated(&self, from: &Column, to: &Column) -> bool {
        diff::same_generated_by(from, to, expr_key)
    }

    // NOTE: SQLite has one index method and no INCLUDE columns or operator classes; translation
    // removes them from the document, so they are not compared.
    fn same_index(&self, from: &Index, to: &Index) -> bool {
        same_index_keys(from, to, expr_key)
    }

    fn same_view(&self, from: &View, to: &View) -> bool {
        let body = |v: &View| view_body(&v.sql).map(squash).unwrap_or_else(|| squash(&v.sql));
        body(from) == body(to)
    }

    fn same_routine(&self, from: &Routine, to: &Routine) -> bool {
        squash(&stored_create(&from.sql)) == squash(&stored_create(&to.sql))
    }

    // NOTE: SQLite has no COMMENT statement; comments live only as `--` text in CREATE TABLE.
    fn compares_comments(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{DataType, Notation, Origin, TypeKind};

    fn col(kind: TypeKind, default: Option<DefaultValue>) -> Column {
        let mut c = Column::new("c", DataType::new(kind, "x"), Origin::new("t".into(), 1, 1, Notation::Sql));
        c.default = default;
        c
    }

    #[test]
    fn types_of_one_affinity_are_the_same() {
        let h = SqliteHooks;
        let int = col(TypeKind::Int { bytes: 4 }, None);
        assert!(h.same_type(&int, &col(TypeKind::Int { bytes: 8 }, None)));
        assert!(h.same_type(&int, &col(TypeKind::Bool, None)));
        assert!(h.same_type(&col(TypeKind::Varchar { len: Some(20) }, None), &col(TypeKind::Text, None)));
        assert!(!h.same_type(&int, &col(TypeKind::Text, None)));
        assert!(!h.same_type(&int, &col(TypeKind::Float { bytes: 8 }, None)));
    }

    #[test]
    fn defaults_compare_as_sqlite_writes_them() {
        let h = SqliteHooks;
        let b = col(TypeKind::Int { bytes: 8 }, Some(DefaultValue::Bool(true)));
        assert!(h.same_default(&b, &col(TypeKind::Int { bytes: 8 }, Some(DefaultValue::Number("1".into())))));
        let ts = col(TypeKind::Text, Some(DefaultValue::CurrentTimestamp));
        assert!(h.same_default(&ts, &col(TypeKind::Text, Some(DefaultValue::Raw("CURRENT_TIMESTAMP".into())))));
        assert!(h.same_default(&col(TypeKind::Text, None), &col(TypeKind::Text, Some(DefaultValue::Null))));
        assert!(!h.same_default(&ts, &col(TypeKind::Text, None)));
    }

    #[test]
    fn stored_create_text_drops_if_not_exists() {
        assert_eq!(
            stored_create("create trigger if not exists t AFTER UPDATE ON x BEGIN SELECT 1; END;"),
            "CREATE TRIGGER t AFTER UPDATE ON x BEGIN SELECT 1; END"
        );
        assert_eq!(stored_create("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn checks_ignore_outer_parentheses_and_spacing() {
        let o = Origin::new("t".into(), 1, 1, Notation::Sql);
        let c = |e: &str| Check { name: None, expr: e.into(), columns: vec![], origin: o.clone() };
        assert!(SqliteHooks.same_check(&c("(amount >= 0)"), &c("amount>=0")));
        assert!(!SqliteHooks.same_check(&c("(a) + (b) > 0"), &c("a + b > 1")));
    }
}
