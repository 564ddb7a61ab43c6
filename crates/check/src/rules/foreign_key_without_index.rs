use crate::support::{ident, ident_list, index_name, indexed_column_lists, leads_with_set, span_named};
use model::{declare_rule, name_key, Diagnostic, Schema};

declare_rule! {
    /// What it does: flags foreign-key columns that no index, primary key or unique constraint starts with.
    /// The help gives the `CREATE INDEX` to add. Partial indexes do not count.
    ///
    /// Why it matters: databases index the referenced key, not the referencing columns. Without an
    /// index, every delete or key update on the parent scans the child table (and locks it in
    /// MySQL), and joins from parent to children cannot use an index.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE messages (id INT PRIMARY KEY, session_id INT REFERENCES sessions (id));
    /// -- missing: CREATE INDEX idx_messages_session_id ON messages (session_id);
    /// ```
    pub RULE = "foreign-key-without-index", Warning
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        let lists = indexed_column_lists(schema, table);
        let mut seen: Vec<Vec<String>> = Vec::new();
        for fk in &table.foreign_keys {
            let mut key: Vec<String> = fk.columns.iter().map(|c| name_key(c)).collect();
            key.sort();
            // NOTE: columns the table does not have are `unknown-column`'s to report, not an index's.
            let unknown = fk.columns.iter().any(|c| table.column(c).is_none());
            if fk.columns.is_empty() || unknown || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            if lists.iter().any(|l| leads_with_set(l, &fk.columns)) {
                continue;
            }
            let shown: Vec<String> = fk.columns.iter().map(|c| format!("`{}.{}`", table.qualified_name(), c)).collect();
            let message = if shown.len() == 1 {
                format!("foreign key column {} is not indexed", shown[0])
            } else {
                format!("foreign key columns {} are not indexed", shown.join(", "))
            };
            // NOTE: an inline `REFERENCES` sits on the column's line; mark the column name there.
            let span = match table.column(&fk.columns[0]) {
                Some(c) if fk.columns.len() == 1 && c.origin.line == fk.origin.line => span_named(&c.origin, &c.name),
                _ => (&fk.origin).into(),
            };
            out.push(RULE.at(span, message).with_help(format!(
                "CREATE INDEX {} ON {} ({});",
                index_name(&table.name, &fk.columns),
                ident(&table.name),
                ident_list(&fk.columns)
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn indexed_foreign_keys_pass() {
        let mut s = schema(vec![
            table("sessions", 1).col("id", int(), 2).pk(&["id"], 2),
            table("messages", 4)
                .col("id", int(), 5)
                .col("session_id", int(), 6)
                .col("author_id", int(), 7)
                .col("room_id", int(), 8)
                .pk(&["id"], 5)
                .fk(&["session_id"], "sessions", &[], 6)
                .fk(&["author_id", "room_id"], "x", &[], 9)
                .fk(&["id"], "sessions", &[], 10),
        ]);
        s.indexes.push(index("i1", "messages", &["session_id", "created_at"], 12));
        s.indexes.push(index("i2", "messages", &["room_id", "author_id", "id"], 13));
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn unindexed_foreign_keys_are_warned_once() {
        let mut s = schema(vec![
            table("sessions", 1).col("id", int(), 2).pk(&["id"], 2),
            table("messages", 4)
                .col("id", int(), 5)
                .col("session_id", int(), 6)
                .col("a", int(), 7)
                .col("b", int(), 8)
                .pk(&["id"], 5)
                .fk(&["session_id"], "sessions", &[], 6)
                .fk(&["session_id"], "sessions", &["id"], 9)
                .fk(&["a", "b"], "x", &[], 10),
        ]);
        let mut partial = index("p", "messages", &["session_id"], 12);
        partial.predicate = Some("a > 0".into());
        s.indexes.push(partial);
        s.indexes.push(index("second", "messages", &["id", "a"], 13));
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("foreign-key-without-index", Severity::Warning, 6));
        assert_eq!(d[0].message, "foreign key column `messages.session_id` is not indexed");
        assert_eq!(d[0].span.len, 10);
        assert_eq!(d[0].help.as_deref(), Some("CREATE INDEX idx_messages_session_id ON messages (session_id);"));
        assert_eq!(d[1].span.line, 10);
        assert_eq!(d[1].message, "foreign key columns `messages.a`, `messages.b` are not indexed");
    }
}
