use crate::support::{find_table, ident, ident_list};
use model::{declare_rule, name_key, singular_plural_variants, Diagnostic, Schema};

declare_rule! {
    /// What it does: notes each foreign key whose target schemadoc guessed because the document does not state it.
    /// Targets are guessed from the column name (`job_id` → `jobs.id`) or from a relationship line
    /// that names only the tables.
    ///
    /// Why it matters: a wrong guess creates a constraint nobody asked for, and rejects valid rows.
    /// Writing the target makes the document say what the database will enforce.
    ///
    /// Example:
    /// ```mermaid
    /// erDiagram
    ///   YOUTUBE_UPLOADS { INTEGER job_id FK }
    /// ```
    /// (`job_id` is marked FK but nothing says it references `jobs.id`.)
    pub RULE = "inferred-foreign-key", Info
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        for fk in table.foreign_keys.iter().filter(|fk| fk.inferred) {
            let columns: Vec<String> = fk.columns.iter().map(|c| format!("{}.{}", table.qualified_name(), c)).collect();
            let referenced = find_table(schema, &fk.ref_table).map(|t| fk.referenced_columns(t)).unwrap_or_default();
            let target = if referenced.is_empty() {
                fk.ref_table.clone()
            } else {
                referenced.iter().map(|c| format!("{}.{}", fk.ref_table, c)).collect::<Vec<_>>().join(", ")
            };
            let from_name = fk.columns.iter().any(|c| named_after(c, &fk.ref_table));
            let source = if from_name { " from the column name" } else { "" };
            let declaration = format!(
                "FOREIGN KEY ({}) REFERENCES {}{}",
                ident_list(&fk.columns),
                ident(&fk.ref_table),
                if referenced.is_empty() { String::new() } else { format!(" ({})", ident_list(&referenced)) }
            );
            let mut d = RULE
                .at(
                    (&fk.origin).into(),
                    format!("the target of foreign key `{}` was inferred as `{target}`{source}", columns.join("`, `")),
                )
                .with_help(format!("if that is right, state it: `{declaration}`"));
            if let Some(t) = find_table(schema, &fk.ref_table) {
                d = d.with_related((&t.origin).into(), format!("`{}` is defined here", t.qualified_name()));
            }
            out.push(d);
        }
    }
}

/// Whether a column is named after a table (`job_id` → `jobs`).
fn named_after(column: &str, table: &str) -> bool {
    let key = name_key(column);
    let stem = key.strip_suffix("_id").unwrap_or(&key);
    let table = name_key(table);
    stem == table || singular_plural_variants(stem).contains(&table)
}

#[cfg(test)]
mod tests {
    use crate::fixtures::*;
    use model::Severity;

    #[test]
    fn stated_foreign_keys_pass() {
        let s = schema(vec![
            table("jobs", 1).col("id", int(), 2).pk(&["id"], 2),
            table("uploads", 3).col("job_id", int(), 4).fk(&["job_id"], "jobs", &[], 4),
        ]);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn inferred_foreign_keys_are_noted() {
        let s = schema(vec![
            table("jobs", 1).col("id", int(), 2).pk(&["id"], 2),
            table("youtube_uploads", 3)
                .col("job_id", int(), 4)
                .col("owner", int(), 5)
                .inferred_fk(&["job_id"], "jobs", &[], 4)
                .inferred_fk(&["owner"], "jobs", &["id"], 5),
        ]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 2);
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("inferred-foreign-key", Severity::Info, 4));
        assert_eq!(
            d[0].message,
            "the target of foreign key `youtube_uploads.job_id` was inferred as `jobs.id` from the column name"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("if that is right, state it: `FOREIGN KEY (job_id) REFERENCES jobs (id)`")
        );
        assert_eq!(d[1].message, "the target of foreign key `youtube_uploads.owner` was inferred as `jobs.id`");
    }
}
