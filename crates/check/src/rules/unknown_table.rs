use crate::support::{external_schema, find_table, is_system_name, suggest};
use model::{declare_rule, name_key, Diagnostic, Notation, Origin, RoutineKind, Schema, Severity};

declare_rule! {
    /// What it does: flags a foreign key, index, trigger or view that names a table the schema does not define.
    /// The finding suggests the closest defined name.
    ///
    /// Why it matters: the database rejects the statement (`relation "admin_characters" does not
    /// exist`), so applying the document fails halfway; usually the name is a typo or a table the
    /// document forgot to define.
    ///
    /// A reference written in a field table, a bullet or a diagram to a table no defined name
    /// resembles is a warning: such documents often describe part of a system.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE users (id BIGINT PRIMARY KEY);
    /// CREATE INDEX idx_posts_user ON post (user_id);  -- no table `post`
    /// ```
    pub RULE = "unknown-table", Error
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let mut report = |name: &str, what: String, origin: &Origin| {
        // NOTE: field tables, bullets and diagrams describe; a document of them often covers part
        // of a system and names tables described elsewhere. Such a reference is a warning unless
        // a defined name is close to it (a typo), which stays an error.
        let descriptive = matches!(origin.notation, Notation::FieldTable | Notation::List | Notation::Mermaid);
        // A table of a schema the document does not manage is `external-table`'s.
        if name.trim().is_empty() || find_table(schema, name).is_some() || external_schema(schema, name).is_some() {
            return;
        }
        // NOTE: the origin is where the referencing object starts, not where the table name is written:
        // mark the point, not a width.
        let mut d = RULE.at(origin.into(), format!("{what} table `{name}`, which is not defined"));
        let names: Vec<String> = schema.tables.iter().map(model::Table::qualified_name).collect();
        if let Some(s) = suggest(name, names.iter().map(String::as_str)) {
            if let Some(t) = schema.table(&s) {
                d = d.with_related((&t.origin).into(), format!("table `{}` is defined here", t.qualified_name()));
            }
            d = d.with_help(format!("did you mean `{s}`?"));
        } else if descriptive {
            d.severity = Severity::Warning;
            d = d.with_help(format!(
                "describe table `{name}` in the document, or correct the name; apply leaves out a foreign key to a table it does not know"
            ));
        } else {
            d = d.with_help(format!("define table `{name}` or correct the name"));
        }
        out.push(d);
    };

    for table in &schema.tables {
        // NOTE: a guessed target is a hint (`inferred-foreign-key`), never an error of the document.
        for fk in table.foreign_keys.iter().filter(|fk| !fk.inferred) {
            let what = format!("foreign key `{}.{}` references", table.qualified_name(), fk.columns.join(", "));
            report(&fk.ref_table, what, &fk.origin);
        }
    }
    for index in &schema.indexes {
        let what = match &index.name {
            Some(n) => format!("index `{n}` is on"),
            None => "an index is on".to_string(),
        };
        report(&index.table, what, &index.origin);
    }
    for routine in schema.routines.iter().filter(|r| r.kind == RoutineKind::Trigger) {
        if let Some(table) = &routine.table {
            report(table, format!("trigger `{}` is attached to", routine.name), &routine.origin);
        }
    }
    for view in &schema.views {
        for name in &view.tables {
            // NOTE: a view may read another view, and catalogs (`pg_catalog`, `information_schema`)
            // exist in every database without being defined.
            let is_view = schema.views.iter().any(|v| name_key(&v.name) == name_key(name));
            if is_view || is_system_name(name) || is_cte(&view.sql, name) {
                continue;
            }
            report(name, format!("view `{}` reads", view.name), &view.origin);
        }
    }
}

/// Whether the query defines `name` itself as a common table expression (`WITH recent AS (…)`).
fn is_cte(sql: &str, name: &str) -> bool {
    let sql: String = sql.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    let key = name_key(name);
    [format!("{key} as ("), format!("{key} as("), format!("\"{key}\" as (")].iter().any(|p| sql.contains(p.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::{Routine, View};

    #[test]
    fn known_tables_pass() {
        let mut s = schema(vec![
            table("users", 1).col("id", int(), 2).pk(&["id"], 2),
            table("posts", 4).col("user_id", int(), 5).fk(&["user_id"], "public.users", &["id"], 5),
        ]);
        s.indexes.push(index("idx", "posts", &["user_id"], 7));
        s.views.push(View {
            name: "v".into(),
            sql: "WITH recent AS (SELECT 1) SELECT * FROM users, recent".into(),
            materialized: false,
            tables: strings(&["users", "pg_catalog.pg_class", "recent"]),
            origin: at(9),
        });
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn unknown_targets_are_errors_with_suggestions() {
        let mut s = schema(vec![
            table("users", 1).col("id", int(), 2).pk(&["id"], 2),
            table("posts", 4).col("user_id", int(), 5).fk(&["user_id"], "user", &["id"], 5),
        ]);
        s.indexes.push(index("idx_admin", "admin_characters", &["id"], 7));
        s.routines.push(Routine {
            kind: RoutineKind::Trigger,
            name: "trg".into(),
            sql: String::new(),
            language: None,
            table: Some("postz".into()),
            function: None,
            tables: vec![],
            origin: at(9),
        });
        s.views.push(View {
            name: "v".into(),
            sql: String::new(),
            materialized: false,
            tables: strings(&["comments"]),
            origin: at(11),
        });
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d.iter().all(|d| d.rule == "unknown-table" && d.severity == Severity::Error));
        assert_eq!(d[0].span.line, 5);
        assert!(d[0].message.contains("`user`"));
        assert_eq!(d[0].help.as_deref(), Some("did you mean `users`?"));
        assert_eq!(d[0].related[0].span.line, 1);
        assert_eq!(d[1].span.line, 7);
        assert!(d[1].message.contains("index `idx_admin` is on table `admin_characters`"));
        assert_eq!(d[2].help.as_deref(), Some("did you mean `posts`?"));
        assert!(d[3].message.contains("view `v` reads table `comments`"));
    }

    #[test]
    fn a_described_reference_to_a_table_described_elsewhere_is_a_warning_but_a_typo_an_error() {
        let mut s = schema(vec![
            table("studios", 1).col("id", int(), 2).pk(&["id"], 2),
            table("classes", 4)
                .col("owner", int(), 5)
                .fk(&["owner"], "owners", &["id"], 5)
                .col("studio_id", int(), 6)
                .fk(&["studio_id"], "studio", &["id"], 6),
        ]);
        for fk in &mut s.tables[1].foreign_keys {
            fk.origin.notation = Notation::FieldTable;
        }
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!((d[0].severity, d[0].span.line), (Severity::Warning, 5), "{d:#?}");
        assert_eq!((d[1].severity, d[1].span.line), (Severity::Error, 6), "a near name is a typo: {d:#?}");
    }
}
