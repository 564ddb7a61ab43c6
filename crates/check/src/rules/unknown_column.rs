use crate::support::{find_table, span_named, suggest};
use model::{declare_rule, name_key, Diagnostic, Origin, Schema, Table};

declare_rule! {
    /// What it does: flags a key, constraint or index that names a column its table does not have.
    /// Primary keys, unique constraints, CHECKs, index keys and `INCLUDE` columns, and both ends of
    /// foreign keys are checked; the finding suggests the closest existing column.
    ///
    /// Why it matters: the database rejects the statement (`column "keywords" does not exist`);
    /// usually a column was renamed in one place of the document and not in another.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE personas (id UUID PRIMARY KEY, custom_keywords TEXT[]);
    /// ALTER TABLE personas ADD CONSTRAINT kw CHECK (array_length(keywords, 1) <= 10);
    /// ```
    pub RULE = "unknown-column", Error
}

/// Words a CHECK expression may contain that are types, literals or keywords, not columns.
// NOTE: casts (`'a'::text`) and `= ANY (ARRAY[…])` are how PostgreSQL prints `IN` lists back.
const NOT_COLUMNS: &[&str] = &[
    "any",
    "all",
    "array",
    "some",
    "true",
    "false",
    "null",
    "unknown",
    "text",
    "varchar",
    "character",
    "varying",
    "char",
    "integer",
    "int",
    "bigint",
    "smallint",
    "numeric",
    "decimal",
    "real",
    "double",
    "precision",
    "boolean",
    "bool",
    "json",
    "jsonb",
    "uuid",
    "date",
    "time",
    "timestamp",
    "timestamptz",
    "interval",
    "zone",
    "current_date",
    "current_time",
    "current_timestamp",
    "now",
    "value",
];

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        if let Some(pk) = &table.primary_key {
            check_names(table, &pk.columns, "primary key", &pk.origin, out);
        }
        for u in &table.uniques {
            check_names(table, &u.columns, &named("unique constraint", &u.name), &u.origin, out);
        }
        for c in &table.checks {
            let cols: Vec<String> =
                c.columns.iter().filter(|n| !NOT_COLUMNS.contains(&name_key(n).as_str())).cloned().collect();
            check_names(table, &cols, &named("check constraint", &c.name), &c.origin, out);
        }
        for fk in &table.foreign_keys {
            check_names(table, &fk.columns, &named("foreign key", &fk.name), &fk.origin, out);
            if let Some(target) = find_table(schema, &fk.ref_table) {
                let what = format!("foreign key of `{}`", table.qualified_name());
                check_names(target, &fk.ref_columns, &what, &fk.origin, out);
            }
        }
    }
    for index in &schema.indexes {
        let Some(table) = find_table(schema, &index.table) else { continue };
        let keys: Vec<String> = index.parts.iter().filter_map(|p| p.column.clone()).collect();
        check_names(table, &keys, &named("index", &index.name), &index.origin, out);
        check_names(table, &index.include, &format!("INCLUDE of {}", named("index", &index.name)), &index.origin, out);
    }
}

fn named(what: &str, name: &Option<String>) -> String {
    match name {
        Some(n) => format!("{what} `{n}`"),
        None => what.to_string(),
    }
}

/// Reports each of `names` that `table` does not have (nothing when the table lists no columns at
/// all: its definition is incomplete, not its references).
fn check_names(table: &Table, names: &[String], what: &str, origin: &Origin, out: &mut Vec<Diagnostic>) {
    if table.columns.is_empty() {
        return;
    }
    let mut seen: Vec<String> = Vec::new();
    for name in names {
        let key = name_key(name);
        if key.is_empty() || table.column(name).is_some() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let mut d = RULE.at(
            span_named(origin, name),
            format!("{what} names unknown column `{}.{}`", table.qualified_name(), name.trim()),
        );
        match suggest(name, table.columns.iter().map(|c| c.name.as_str())).and_then(|s| table.column(&s)) {
            Some(c) => {
                d = d
                    .with_related(
                        (&c.origin).into(),
                        format!("`{}.{}` is defined here", table.qualified_name(), c.name),
                    )
                    .with_help(format!("did you mean `{}`?", c.name));
            }
            None => {
                d = d.with_related(
                    (&table.origin).into(),
                    format!("table `{}` is defined here", table.qualified_name()),
                );
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    fn personas() -> T {
        table("personas", 1)
            .req("id", uuid(), 2)
            .col("custom_keywords", text(), 3)
            .col("user_id", int(), 4)
            .pk(&["id"], 2)
    }

    #[test]
    fn existing_columns_pass() {
        let mut s =
            schema(vec![
                personas()
                    .check("status = ANY (ARRAY['a'::text])", &["custom_keywords", "ANY", "ARRAY", "text"], 6)
                    .fk(&["user_id"], "users", &["id"], 4),
                table("users", 8).col("id", int(), 9),
                table("empty", 11).fk(&["x"], "users", &["id"], 11),
            ]);
        s.indexes.push(index("i", "personas", &["custom_keywords"], 12));
        s.indexes.push(index("j", "missing_table", &["whatever"], 13));
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn unknown_columns_are_errors_with_suggestions() {
        let mut s = schema(vec![
            personas().check("array_length(keywords, 1) <= 10", &["keywords"], 6).fk(&["usr_id"], "users", &["uid"], 7),
            table("users", 8).col("id", int(), 9),
        ]);
        let mut i = index("i", "personas", &["custom_keywords"], 12);
        i.include = strings(&["nickname"]);
        s.indexes.push(i);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d.iter().all(|d| d.rule == "unknown-column" && d.severity == Severity::Error));
        assert_eq!(d[0].span.line, 6);
        assert_eq!(d[0].message, "check constraint names unknown column `personas.keywords`");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `custom_keywords`?"));
        assert_eq!(d[0].related[0].span.line, 3);
        assert_eq!(d[0].span.len, 8);
        assert_eq!(d[1].help.as_deref(), Some("did you mean `user_id`?"));
        assert_eq!(d[2].message, "foreign key of `personas` names unknown column `users.uid`");
        assert!(d[3].message.starts_with("INCLUDE of index `i`"));
    }
}
