use crate::support::{find_table, ident, index_name, is_btree, same_columns, ticked};
use model::{declare_rule, name_key, Diagnostic, QueryHint, QueryHintKind, Schema, Table};

declare_rule! {
    /// What it does: notes a read the document describes that no index supports.
    /// Reads are sorts (`created_at DESC`) and lookups (by `email`); they are supported when an index,
    /// the primary key or a unique constraint starts with their columns. `LIKE` searches on the same
    /// table are mentioned in the help: a B-tree index cannot serve `LIKE '%…%'` at all.
    ///
    /// Why it matters: without an index every such read scans and sorts the whole table, which is
    /// fine for a hundred rows and slow for a million.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE runs (id INTEGER PRIMARY KEY, created_at TEXT);
    /// -- the document: "the list shows runs by created_at DESC"
    /// -- missing: CREATE INDEX idx_runs_created_at ON runs (created_at);
    /// ```
    pub RULE = "unindexed-query-pattern", Info
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(String, QueryHintKind, Vec<String>)> = Vec::new();
    let mut noted_like: Vec<String> = Vec::new();
    for hint in &schema.query_hints {
        if hint.kind == QueryHintKind::Like || hint.columns.is_empty() {
            continue;
        }
        let Some(table) = find_table(schema, &hint.table) else { continue };
        if !table.columns.is_empty() && hint.columns.iter().any(|c| table.column(c).is_none()) {
            continue;
        }
        let key = (name_key(&table.name), hint.kind, hint.columns.iter().map(|c| name_key(c)).collect());
        if seen.contains(&key) || supported(schema, table, hint) {
            continue;
        }
        seen.push(key);
        let direction = if hint.descending { " DESC" } else { "" };
        let cols: Vec<String> = hint.columns.iter().map(|c| format!("{c}{direction}")).collect();
        let message = match hint.kind {
            QueryHintKind::OrderBy => {
                format!(
                    "`{}` is read ordered by {}, but no index starts with these columns",
                    table.qualified_name(),
                    ticked(&cols)
                )
            }
            _ => format!(
                "`{}` is looked up by {}, but no index starts with any of these columns",
                table.name,
                ticked(&hint.columns)
            ),
        };
        let mut help = format!(
            "CREATE INDEX {} ON {} ({});",
            index_name(&table.name, &hint.columns),
            ident(&table.name),
            hint.columns.iter().map(|c| ident(c)).collect::<Vec<_>>().join(", ")
        );
        if hint.kind == QueryHintKind::OrderBy && hint.descending {
            help.push_str(" (a B-tree index is read in either direction, so ascending keys serve `DESC` too)");
        }
        let table_key = name_key(&table.name);
        if !noted_like.contains(&table_key) {
            let like = unserved_like_columns(schema, table);
            if !like.is_empty() {
                help.push_str(&format!(
                    "; the `LIKE` searches on {} cannot use a B-tree index when the pattern starts with `%`: \
                     use a trigram index (PostgreSQL `pg_trgm`) or full-text search (SQLite FTS5) if they matter",
                    ticked(&like)
                ));
                noted_like.push(table_key);
            }
        }
        out.push(RULE.at((&hint.origin).into(), message).with_help(help));
    }
}

/// Whether an index, the primary key or a unique constraint starts with the hint's columns (in order
/// and in one direction, for a sort), or with one of them (for a lookup).
fn supported(schema: &Schema, table: &Table, hint: &QueryHint) -> bool {
    let mut keys: Vec<(Vec<String>, Vec<bool>, bool)> = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push((pk.columns.clone(), vec![false; pk.columns.len()], true));
    }
    keys.extend(table.uniques.iter().map(|u| (u.columns.clone(), vec![false; u.columns.len()], true)));
    for index in schema.indexes_of(&table.qualified_name()).filter(|i| i.predicate.is_none()) {
        let lead: Vec<String> = index.leading_columns().into_iter().map(str::to_string).collect();
        let desc = index.parts.iter().map(|p| p.descending).collect();
        keys.push((lead, desc, is_btree(index)));
    }
    let n = hint.columns.len();
    keys.iter().any(|(cols, desc, btree)| match hint.kind {
        QueryHintKind::OrderBy => {
            // NOTE: a B-tree is scanned backwards for the opposite order, but only as a whole:
            // keys of mixed direction serve only their own mix.
            *btree
                && cols.len() >= n
                && same_columns(&cols[..n], &hint.columns)
                && desc.iter().take(n).all(|d| *d == desc[0])
        }
        // An index led by any of the looked-up columns narrows the lookup to a few rows.
        _ => cols.first().is_some_and(|c| hint.columns.iter().any(|h| name_key(h) == name_key(c))),
    })
}

/// The columns a `LIKE` hint of the table names that no trigram, pattern or GIN/GiST index covers.
fn unserved_like_columns(schema: &Schema, table: &Table) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let hints = schema.query_hints.iter().filter(|h| h.kind == QueryHintKind::Like);
    for column in
        hints.filter(|h| find_table(schema, &h.table).is_some_and(|t| t.name == table.name)).flat_map(|h| &h.columns)
    {
        let key = name_key(column);
        let served = schema.indexes_of(&table.qualified_name()).any(|i| {
            let method = i.method.as_deref().map(name_key).unwrap_or_default();
            i.parts.iter().any(|p| {
                let on_column = p.column.as_deref().is_some_and(|c| name_key(c) == key)
                    || p.expr.as_deref().is_some_and(|e| e.to_lowercase().contains(&key));
                let opclass = p.opclass.as_deref().map(name_key).unwrap_or_default();
                on_column
                    && (opclass.contains("trgm")
                        || opclass.contains("pattern_ops")
                        || method == "gin"
                        || method == "gist")
            })
        });
        if !served && !out.iter().any(|c| name_key(c) == key) {
            out.push(column.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::{IndexPart, Severity};

    fn runs() -> Schema {
        schema(vec![table("launch_runs", 1)
            .col("id", int(), 2)
            .col("created_at", text(), 3)
            .col("product_name", text(), 4)
            .col("status", text(), 5)
            .col("user_id", int(), 6)
            .pk(&["id"], 2)])
    }

    #[test]
    fn supported_reads_pass() {
        let mut s = runs();
        s.indexes.push(index("i1", "launch_runs", &["created_at"], 10));
        s.indexes.push(index("i2", "launch_runs", &["user_id", "status"], 11));
        s.query_hints = vec![
            hint("launch_runs", QueryHintKind::OrderBy, &["created_at"], true, 20),
            hint("launch_runs", QueryHintKind::Filter, &["status", "user_id"], false, 21),
            // An index led by one of the looked-up columns narrows the lookup enough.
            hint("launch_runs", QueryHintKind::Filter, &["product_name", "user_id"], false, 26),
            hint("launch_runs", QueryHintKind::Filter, &["id"], false, 22),
            hint("launch_runs", QueryHintKind::Like, &["product_name"], false, 23),
            hint("launch_runs", QueryHintKind::Filter, &["not_a_column"], false, 24),
            hint("nowhere", QueryHintKind::Filter, &["x"], false, 25),
        ];
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn unsupported_reads_are_noted_once() {
        let mut s = runs();
        let mut mixed = index("mixed", "launch_runs", &["status", "created_at"], 10);
        mixed.parts[1].descending = true;
        s.indexes.push(mixed);
        let mut trgm = index("trgm", "launch_runs", &[], 11);
        trgm.parts = vec![IndexPart { opclass: Some("gin_trgm_ops".into()), ..IndexPart::column("status") }];
        s.indexes.push(trgm);
        s.query_hints = vec![
            hint("launch_runs", QueryHintKind::OrderBy, &["created_at"], true, 20),
            hint("launch_runs", QueryHintKind::OrderBy, &["created_at"], true, 21),
            hint("launch_runs", QueryHintKind::Like, &["product_name", "status"], false, 22),
            hint("launch_runs", QueryHintKind::OrderBy, &["status", "created_at"], true, 23),
            hint("launch_runs", QueryHintKind::Filter, &["user_id"], false, 24),
        ];
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 3, "{d:#?}");
        assert!(d.iter().all(|d| d.rule == "unindexed-query-pattern" && d.severity == Severity::Info));
        assert_eq!(d[0].span.line, 20);
        assert_eq!(
            d[0].message,
            "`launch_runs` is read ordered by `created_at DESC`, but no index starts with these columns"
        );
        let help = d[0].help.as_deref().unwrap_or("");
        assert!(help.starts_with("CREATE INDEX idx_launch_runs_created_at ON launch_runs (created_at);"), "{help}");
        assert!(help.contains("serve `DESC` too"));
        assert!(help.contains("`LIKE` searches on `product_name` cannot"), "{help}");
        assert_eq!(d[1].span.line, 23);
        assert!(!d[1].help.as_deref().unwrap_or("").contains("LIKE"));
        assert_eq!(
            d[2].message,
            "`launch_runs` is looked up by `user_id`, but no index starts with any of these columns"
        );
    }
}
