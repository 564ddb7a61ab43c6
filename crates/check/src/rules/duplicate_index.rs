use crate::support::{is_btree, same_columns, span_named};
use model::{declare_rule, name_key, Diagnostic, Index, Origin, Schema, Span, Table};
use std::collections::BTreeMap;

declare_rule! {
    /// What it does: flags an index or unique constraint that repeats another one or the primary key.
    /// An index repeats another when keys, order, direction, operator classes, method, uniqueness,
    /// `INCLUDE` and predicate are the same; a plain index on exactly the columns of the primary key or
    /// of a unique constraint repeats the index the key creates.
    ///
    /// Why it matters: a redundant index serves no query the other does not, yet every write
    /// updates it and it takes space; a repeated constraint usually means the document adds again
    /// what a `CREATE TABLE` already declares.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE users (id INT PRIMARY KEY, email TEXT UNIQUE);
    /// CREATE UNIQUE INDEX idx_users_email ON users (email);  -- same as the UNIQUE constraint
    /// ```
    pub RULE = "duplicate-index", Warning
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    // Each index is compared with the earlier ones of its own table only, signatures computed once:
    // thousands of indexes stay cheap.
    let signatures: Vec<_> = schema.indexes.iter().map(signature).collect();
    let mut by_table: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let tables: BTreeMap<String, &Table> = schema.tables.iter().rev().map(|t| (name_key(&t.name), t)).collect();
    for (j, index) in schema.indexes.iter().enumerate() {
        let peers = by_table.entry(name_key(&index.table)).or_default();
        let earlier = peers.iter().find(|&&i| signatures[i] == signatures[j]).map(|&i| &schema.indexes[i]);
        peers.push(j);
        if let Some(first) = earlier {
            let same_name = first.name.is_some()
                && first.name.as_ref().map(|n| name_key(n)) == index.name.as_ref().map(|n| name_key(n));
            let message = if same_name {
                format!("{} is declared twice", describe(index))
            } else {
                format!("{} duplicates {}", describe(index), describe(first))
            };
            out.push(
                RULE.at(index_span(index), message)
                    .with_related(index_span(first), format!("{} is declared here", describe(first)))
                    .with_help("remove one of them: both serve the same lookups, and each write updates both"),
            );
            continue;
        }
        // An index on exactly a key's columns repeats the index the key already creates.
        let Some(&table) = tables.get(&name_key(&index.table)) else { continue };
        let plain = index.predicate.is_none()
            && index.include.is_empty()
            && is_btree(index)
            && index.parts.iter().all(|p| p.column.is_some() && p.opclass.is_none())
            && (index.parts.len() == 1 || index.parts.iter().all(|p| !p.descending));
        if !plain || index.parts.is_empty() {
            continue;
        }
        let columns = index.leading_columns();
        let key: Option<(String, &Origin)> = table
            .primary_key
            .as_ref()
            .filter(|pk| same_columns(&pk.columns, &columns))
            .map(|pk| (format!("the primary key of `{}`", table.qualified_name()), &pk.origin))
            .or_else(|| {
                table
                    .uniques
                    .iter()
                    .find(|u| same_columns(&u.columns, &columns))
                    .map(|u| (constraint_name(&u.name, &table.name, &u.columns), &u.origin))
            });
        if let Some((what, origin)) = key {
            out.push(
                RULE.at(index_span(index), format!("{} duplicates {what}", describe(index)))
                    .with_related(Span::from(origin), format!("{what} is declared here"))
                    .with_help("remove the index: the key already creates one on these columns"),
            );
        }
    }
    for table in &schema.tables {
        for (j, u) in table.uniques.iter().enumerate() {
            let pk = table.primary_key.as_ref().filter(|pk| same_columns(&pk.columns, &u.columns));
            let earlier = table.uniques[..j].iter().find(|e| same_columns(&e.columns, &u.columns));
            let (what, origin) = match (pk, earlier) {
                (Some(pk), _) => (format!("the primary key of `{}`", table.qualified_name()), &pk.origin),
                (None, Some(e)) => (constraint_name(&e.name, &table.name, &e.columns), &e.origin),
                (None, None) => continue,
            };
            out.push(
                RULE.at(
                    Span::from(&u.origin),
                    format!("{} duplicates {what}", constraint_name(&u.name, &table.name, &u.columns)),
                )
                .with_related(Span::from(origin), format!("{what} is declared here"))
                .with_help("remove the repeated constraint"),
            );
        }
    }
}

/// What makes two indexes the same: normalised keys, uniqueness, method, `INCLUDE` and predicate.
fn signature(index: &Index) -> impl PartialEq {
    let compact = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    let parts: Vec<_> = index
        .parts
        .iter()
        .map(|p| {
            (
                p.column.as_deref().map(name_key),
                p.expr.as_deref().map(compact),
                p.descending,
                p.opclass.as_deref().map(name_key),
            )
        })
        .collect();
    let method = index.method.as_deref().map(name_key).unwrap_or_else(|| "btree".to_string());
    let mut include: Vec<String> = index.include.iter().map(|c| name_key(c)).collect();
    include.sort();
    (parts, index.unique, method, include, index.predicate.as_deref().map(compact))
}

fn describe(index: &Index) -> String {
    match &index.name {
        Some(n) => format!("index `{n}`"),
        None => format!("an index on `{}`", index.table),
    }
}

fn constraint_name(name: &Option<String>, table: &str, columns: &[String]) -> String {
    match name {
        Some(n) => format!("unique constraint `{n}`"),
        None => format!("the unique constraint on `{table}` ({})", columns.join(", ")),
    }
}

fn index_span(index: &Index) -> Span {
    span_named(&index.origin, index.name.as_deref().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::Severity;

    fn users() -> Schema {
        schema(vec![table("users", 1)
            .col("id", int(), 2)
            .col("email", text(), 3)
            .col("name", text(), 4)
            .pk(&["id"], 2)
            .unique(&["email"], 3)])
    }

    #[test]
    fn distinct_indexes_pass() {
        let mut s = users();
        s.indexes.push(index("a", "users", &["name"], 10));
        let mut desc = index("b", "users", &["name"], 11);
        desc.parts[0].descending = true;
        s.indexes.push(desc);
        let mut partial = index("c", "users", &["email"], 12);
        partial.predicate = Some("name IS NOT NULL".into());
        s.indexes.push(partial);
        s.indexes.push(index("d", "users", &["id", "name"], 13));
        s.indexes.push(index("e", "other", &["name"], 14));
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn duplicates_are_warned_at_the_later_one() {
        let mut s = users();
        s.indexes.push(index("a", "users", &["name"], 10));
        s.indexes.push(index("a2", "USERS", &["NAME"], 11));
        s.indexes.push(index("by_email", "users", &["email"], 12));
        s.indexes.push(index("by_id", "users", &["id"], 13));
        s.tables[0].uniques.push(model::Unique {
            name: Some("again".into()),
            columns: strings(&["email"]),
            origin: at(14),
        });
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d.iter().all(|d| d.rule == "duplicate-index" && d.severity == Severity::Warning));
        assert_eq!(d[0].message, "index `a2` duplicates index `a`");
        assert_eq!((d[0].span.line, d[0].related[0].span.line), (11, 10));
        assert_eq!(d[1].message, "index `by_email` duplicates the unique constraint on `users` (email)");
        assert_eq!(d[2].message, "index `by_id` duplicates the primary key of `users`");
        assert_eq!(d[3].message, "unique constraint `again` duplicates the unique constraint on `users` (email)");
        assert_eq!((d[3].span.line, d[3].related[0].span.line), (14, 3));
    }
}
