use crate::support::span_named;
use model::{declare_rule, Diagnostic, Schema, Span, Table};
use std::collections::BTreeMap;
use std::sync::Arc;

declare_rule! {
    /// What it does: notes, once per document, the tables it names without stating their columns.
    ///
    /// Such tables are listed in a catalog of tables, named in a relationship line of an ERD, or
    /// said to be "similar to" another table, with their columns stated nowhere.
    ///
    /// Why it matters: such a table is known to exist, but nothing about its columns can be
    /// checked; `drift` compares only its existence, and `plan`, `apply` and `show --format sql`
    /// skip it rather than create an empty table.
    ///
    /// Example:
    /// ```markdown
    /// | 테이블 | 역할 |
    /// |---|---|
    /// | `kilns` | 가마 정보 |
    /// ```
    pub RULE = "columns-not-stated", Info
}

/// How many table names the message lists; the rest are counted (all are related spans).
const SHOWN: usize = 8;

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<Arc<str>, Vec<&Table>> = BTreeMap::new();
    for t in schema.tables.iter().filter(|t| t.is_declared_only()) {
        by_file.entry(t.origin.file.clone()).or_default().push(t);
    }
    for (_, mut tables) in by_file {
        tables.sort_by(|a, b| a.origin.cmp(&b.origin));
        let first = tables[0];
        let mut names: Vec<String> = tables.iter().take(SHOWN).map(|t| format!("`{}`", t.qualified_name())).collect();
        if tables.len() > SHOWN {
            names.push(format!("and {} more", tables.len() - SHOWN));
        }
        let message = match tables.len() {
            1 => format!("columns not stated for table {}: it is known by name only", names[0]),
            n => format!("columns not stated for {n} tables: {}; they are known by name only", names.join(", ")),
        };
        let mut d = RULE.at(span_named(&first.origin, &first.name), message).with_help(
            "state their columns (SQL, a field table, bullets) to check them and create them; until then they are compared by existence only",
        );
        for t in tables.iter().skip(1) {
            d = d.with_related(Span::from(&t.origin), format!("`{}` is declared here", t.qualified_name()));
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::{Severity, Table};

    #[test]
    fn declared_tables_are_noted_once_per_document() {
        let mut s = schema(vec![table("users", 1).col("id", int(), 2).pk(&["id"], 2)]);
        s.tables.push(Table::declared("kilns", at(5)));
        s.tables.push(Table::declared("firings", at(6)));
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, Severity::Info);
        assert_eq!(d[0].span.line, 5);
        assert!(d[0].message.contains("2 tables: `kilns`, `firings`"), "{}", d[0].message);
        assert_eq!(d[0].related.len(), 1);
    }

    #[test]
    fn stated_tables_pass() {
        let s = schema(vec![table("users", 1).col("id", int(), 2).pk(&["id"], 2)]);
        assert!(findings(super::run, &s).is_empty());
    }
}
