//! Small helpers shared by the rules: name lookup and suggestions, spans, key coverage.

use model::{name_key, reference_key, split_qualified, Column, Index, Origin, Schema, Span, Table};
use std::cell::RefCell;
use std::collections::HashMap;

/// The table a reference names (`orchard.trees`, `public.users` = `users`), resolved as
/// [`Schema::table`] does; in constant time while a [`Lookup`] of `schema` is in scope.
pub fn find_table<'a>(schema: &'a Schema, name: &str) -> Option<&'a Table> {
    let position = LOOKUP.with_borrow(|l| match l {
        Some(l) if l.is_of(schema) => Some(l.position(name)),
        _ => None,
    });
    match position {
        Some(p) => p.map(|i| &schema.tables[i]),
        None => schema.table(name),
    }
}

/// The indexes declared on `table`, as [`Schema::indexes_of`] finds them; without a scan of every
/// index while a [`Lookup`] of `schema` is in scope.
pub fn indexes_on<'a>(schema: &'a Schema, table: &Table) -> Vec<&'a Index> {
    let found = LOOKUP.with_borrow(|l| match l {
        Some(l) if l.is_of(schema) => {
            let at = l.position(&table.qualified_name())?;
            Some(l.indexes[at].iter().map(|&i| &schema.indexes[i]).collect())
        }
        _ => None,
    });
    found.unwrap_or_else(|| schema.indexes_of(&table.qualified_name()).collect())
}

thread_local! {
    static LOOKUP: RefCell<Option<Lookup>> = const { RefCell::new(None) };
}

/// The tables of one schema by key, and the indexes of each table, built once for a whole check so
/// that rules resolving thousands of references stay linear. It lives in a thread-local only while
/// [`Lookup::scope`] holds the schema borrowed, so it can never describe a changed schema.
pub struct Lookup {
    schema: *const Schema,
    by_key: HashMap<String, usize>,
    by_bare_name: HashMap<String, Vec<usize>>,
    indexes: Vec<Vec<usize>>,
}

impl Lookup {
    /// Runs `f` with lookups of `schema` in constant time.
    pub fn scope<R>(schema: &Schema, f: impl FnOnce() -> R) -> R {
        struct Reset;
        impl Drop for Reset {
            fn drop(&mut self) {
                LOOKUP.set(None);
            }
        }
        LOOKUP.set(Some(Lookup::new(schema)));
        let _reset = Reset;
        f()
    }

    fn new(schema: &Schema) -> Lookup {
        let mut by_key = HashMap::new();
        let mut by_bare_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in schema.tables.iter().enumerate() {
            by_key.entry(t.key()).or_insert(i);
            by_bare_name.entry(name_key(&t.name)).or_default().push(i);
        }
        let mut lookup = Lookup { schema, by_key, by_bare_name, indexes: vec![Vec::new(); schema.tables.len()] };
        for (i, index) in schema.indexes.iter().enumerate() {
            if let Some(t) = lookup.position(&index.table) {
                lookup.indexes[t].push(i);
            }
        }
        lookup
    }

    fn is_of(&self, schema: &Schema) -> bool {
        std::ptr::eq(self.schema, schema)
    }

    /// [`Schema::table_position`], by map.
    fn position(&self, reference: &str) -> Option<usize> {
        if let Some(&i) = self.by_key.get(&reference_key(reference)) {
            return Some(i);
        }
        let (namespace, bare) = split_qualified(reference);
        if namespace.is_some() {
            return None;
        }
        match self.by_bare_name.get(&name_key(bare)).map(Vec::as_slice) {
            Some(&[only]) => Some(only),
            _ => None,
        }
    }
}

/// Schemas that hosted platforms create and own (Supabase's `auth.users`, `storage.objects`):
/// a document references their tables but never defines them.
pub const PLATFORM_SCHEMAS: &[&str] = &[
    "auth",
    "storage",
    "realtime",
    "extensions",
    "graphql",
    "graphql_public",
    "vault",
    "supabase_functions",
    "net",
    "cron",
    "pgsodium",
];

/// The schema of a reference to a table outside the document: one the document neither creates
/// (`CREATE SCHEMA`) nor puts a table in, such as a platform's `auth`. `None` for a reference
/// the document is answerable for (unqualified, or in a schema it manages).
pub fn external_schema<'a>(schema: &Schema, name: &'a str) -> Option<&'a str> {
    let (namespace, _) = split_qualified(name);
    let namespace = namespace?;
    (!is_system_name(name) && !schema.has_namespace(namespace)).then_some(namespace)
}

/// Whether a reference names a catalog object of the database itself (`pg_catalog.pg_class`,
/// `information_schema.tables`, `sqlite_master`), which a document never defines.
pub fn is_system_name(name: &str) -> bool {
    let key = name_key(name);
    let first = key.split('.').next().unwrap_or("");
    key.starts_with("pg_")
        || key.starts_with("sqlite_")
        || matches!(first, "pg_catalog" | "information_schema" | "mysql" | "performance_schema" | "sys")
}

/// A span at `origin` marking `name` (its length counted in characters).
pub fn span_named(origin: &Origin, name: &str) -> Span {
    let mut span = Span::from(origin);
    span.len = u32::try_from(name.chars().count()).unwrap_or(0);
    span
}

/// The span of a column's definition, marking its name.
pub fn column_span(column: &Column) -> Span {
    span_named(&column.origin, &column.name)
}

/// A list of names in backticks: `` `a`, `b` ``.
pub fn ticked(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// A name as an SQL identifier: as written when it is a plain identifier, double-quoted otherwise.
pub fn ident(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Comma-separated SQL identifiers.
pub fn ident_list(names: &[String]) -> String {
    names.iter().map(|n| ident(n)).collect::<Vec<_>>().join(", ")
}

/// A conventional index name: `idx_<table>_<col>_<col>`.
pub fn index_name(table: &str, columns: &[String]) -> String {
    let mut name = format!("idx_{}", name_key(table));
    for c in columns {
        name.push('_');
        name.push_str(&name_key(c));
    }
    name.chars().map(|c| if c.is_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

/// Whether two lists name the same columns in the same order.
pub fn same_columns<A: AsRef<str>, B: AsRef<str>>(a: &[A], b: &[B]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| name_key(x.as_ref()) == name_key(y.as_ref()))
}

/// Whether the first `wanted.len()` of `leading` are the columns of `wanted` in any order.
pub fn leads_with_set<A: AsRef<str>, B: AsRef<str>>(leading: &[A], wanted: &[B]) -> bool {
    if wanted.is_empty() || leading.len() < wanted.len() {
        return false;
    }
    let mut head: Vec<String> = leading[..wanted.len()].iter().map(|c| name_key(c.as_ref())).collect();
    let mut want: Vec<String> = wanted.iter().map(|c| name_key(c.as_ref())).collect();
    head.sort();
    want.sort();
    head == want
}

/// The key column lists of a table that a database keeps an index for: its primary key, its
/// unique constraints, and every full (non-partial) index declared on it.
pub fn indexed_column_lists(schema: &Schema, table: &Table) -> Vec<Vec<String>> {
    let mut lists = Vec::new();
    if let Some(pk) = &table.primary_key {
        lists.push(pk.columns.clone());
    }
    lists.extend(table.uniques.iter().map(|u| u.columns.clone()));
    lists.extend(
        indexes_on(schema, table)
            .into_iter()
            .filter(|i| i.predicate.is_none())
            .map(|i| i.leading_columns().into_iter().map(str::to_string).collect()),
    );
    lists
}

/// Whether the index is a B-tree (the default access method).
pub fn is_btree(index: &Index) -> bool {
    match index.method.as_deref() {
        None => true,
        Some(m) => name_key(m) == "btree",
    }
}

/// The candidate a misspelled name most likely meant (see [`model::suggest_name`]).
pub use model::suggest_name as suggest;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_prefer_plural_then_part_then_distance() {
        assert_eq!(suggest("user", ["accounts", "users"]).as_deref(), Some("users"));
        assert_eq!(suggest("keywords", ["id", "custom_keywords", "name"]).as_deref(), Some("custom_keywords"));
        assert_eq!(suggest("emial", ["id", "email"]).as_deref(), Some("email"));
        assert_eq!(suggest("admin_characters", ["users", "rooms"]), None);
        assert_eq!(suggest("x", std::iter::empty()), None);
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(ident("users"), "users");
        assert_eq!(ident("user list"), "\"user list\"");
        assert_eq!(ident("사용자"), "\"사용자\"");
    }

    #[test]
    fn leading_set_ignores_order() {
        assert!(leads_with_set(&["b", "a", "c"], &["a", "b"]));
        assert!(!leads_with_set(&["a"], &["a", "b"]));
        assert!(!leads_with_set::<&str, &str>(&["a"], &[]));
    }
}
