use crate::support::span_named;
use model::{declare_rule, Diagnostic, Schema, Table};

declare_rule! {
    /// What it does: flags a table without a primary key.
    /// A unique key whose columns are all NOT NULL counts as one.
    ///
    /// Why it matters: without a key a row cannot be addressed: duplicates creep in, updates and
    /// deletes by key are impossible, other tables cannot reference it, and logical replication
    /// (PostgreSQL) refuses UPDATE and DELETE on it.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE audit_log (at TIMESTAMPTZ, message TEXT);  -- no key
    /// ```
    pub RULE = "missing-primary-key", Warning
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        // NOTE: a table without columns is only named (a relationship line); nothing to key yet.
        if table.primary_key.is_some() || table.columns.is_empty() || has_not_null_unique(schema, table) {
            continue;
        }
        let help = match table.column("id") {
            Some(id) => format!("make `{}` the primary key: `PRIMARY KEY ({})`", id.name, id.name),
            None => "add a primary key: `PRIMARY KEY (…)` over the columns that identify a row, or an `id` column"
                .to_string(),
        };
        out.push(
            RULE.at(
                span_named(&table.origin, &table.name),
                format!("table `{}` has no primary key", table.qualified_name()),
            )
            .with_help(help),
        );
    }
}

/// Whether a unique constraint or full unique index covers only NOT NULL columns (a key in all but name).
fn has_not_null_unique(schema: &Schema, table: &Table) -> bool {
    let not_null = |cols: &[String]| {
        !cols.is_empty() && cols.iter().all(|c| table.column(c).is_some_and(|c| !c.nullable || c.identity.is_some()))
    };
    table.uniques.iter().any(|u| not_null(&u.columns))
        || crate::support::indexes_on(schema, table).into_iter().any(|i| {
            let lead: Vec<String> = i.leading_columns().into_iter().map(str::to_string).collect();
            i.unique && i.predicate.is_none() && lead.len() == i.parts.len() && not_null(&lead)
        })
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn keyed_tables_pass() {
        let mut s = schema(vec![
            table("a", 1).col("id", int(), 2).pk(&["id"], 2),
            table("b", 3).req("code", text(), 4).unique(&["code"], 4),
            table("c", 5).req("code", text(), 6),
            table("only_named", 7),
        ]);
        let mut u = index("u", "c", &["code"], 8);
        u.unique = true;
        s.indexes.push(u);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn keyless_tables_are_warned() {
        let s = schema(vec![
            table("log", 1).col("id", int(), 2),
            table("b", 3).col("code", text(), 4).unique(&["code"], 4),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("missing-primary-key", Severity::Warning, 1));
        assert_eq!(d[0].message, "table `log` has no primary key");
        assert_eq!(d[0].help.as_deref(), Some("make `id` the primary key: `PRIMARY KEY (id)`"));
        assert_eq!(d[1].span.line, 3);
    }
}
