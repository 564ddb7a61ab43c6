use model::{dependency_order, Schema, Table};
use std::fmt::Write as _;

/// A schema as a markdown document: a summary of tables, then per table its columns (as a field
/// table schemadoc reads back), keys, indexes and foreign keys, and a Mermaid ERD.
pub fn markdown(schema: &Schema, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(title));
    let order = dependency_order(schema);
    if schema.tables.is_empty() {
        out.push_str("No tables.\n");
        return out;
    }
    out.push_str("| table | columns | comment |\n|---|---|---|\n");
    for &i in &order.tables {
        let t = &schema.tables[i];
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} |",
            cell(&t.name),
            anchor(&t.name),
            t.columns.len(),
            cell(t.comment.as_deref().unwrap_or(""))
        );
    }
    for &i in &order.tables {
        table(&mut out, schema, &schema.tables[i]);
    }
    if !schema.views.is_empty() {
        out.push_str("\n## Views\n\n");
        for v in &schema.views {
            let _ = writeln!(out, "### {}\n\n```sql\n{}\n```\n", cell(&v.name), v.sql.trim());
        }
    }
    if !schema.routines.is_empty() {
        out.push_str("\n## Functions and triggers\n\n");
        for r in &schema.routines {
            let _ = writeln!(out, "### {}\n\n```sql\n{}\n```\n", cell(&r.name), r.sql.trim());
        }
    }
    let _ = write!(out, "\n## ERD\n\n```mermaid\n{}```\n", crate::mermaid(schema));
    out
}

fn table(out: &mut String, schema: &Schema, t: &Table) {
    let _ = writeln!(out, "\n## {}\n", cell(&t.name));
    if let Some(c) = &t.comment {
        let _ = writeln!(out, "{}\n", c.trim());
    }
    out.push_str("| column | type | nullable | default | description |\n|---|---|---|---|---|\n");
    for c in &t.columns {
        let default = match (&c.default, c.identity) {
            (_, Some(identity)) => format!("{identity:?}").to_lowercase(),
            (Some(d), None) => d.to_string(),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            c.name.replace('`', ""),
            cell(&c.ty.kind.to_string()),
            if c.nullable { "Y" } else { "N" },
            cell(&default),
            cell(c.comment.as_deref().unwrap_or(""))
        );
    }
    if let Some(pk) = &t.primary_key {
        let _ = writeln!(out, "\n- Primary key: {}", ticked(&pk.columns));
    }
    for u in &t.uniques {
        let _ = writeln!(out, "- Unique: {}", ticked(&u.columns));
    }
    for c in &t.checks {
        let _ = writeln!(
            out,
            "- Check{}: `{}`",
            c.name.as_deref().map(|n| format!(" `{n}`")).unwrap_or_default(),
            c.expr.replace('`', "")
        );
    }
    let indexes: Vec<_> = schema.indexes_of(&t.qualified_name()).collect();
    if !indexes.is_empty() {
        out.push_str("\n#### Indexes\n\n");
        for i in indexes {
            let parts: Vec<String> = i
                .parts
                .iter()
                .map(|p| {
                    let key = p.column.clone().or_else(|| p.expr.clone()).unwrap_or_default();
                    if p.descending {
                        format!("{key} DESC")
                    } else {
                        key
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "- `{}` ON `{}`{}{}{}",
                i.name.as_deref().unwrap_or("(unnamed)"),
                parts.join(", ").replace('`', ""),
                if i.unique { " (unique)" } else { "" },
                i.method.as_deref().map(|m| format!(" USING {m}")).unwrap_or_default(),
                i.predicate.as_deref().map(|p| format!(" WHERE `{}`", p.replace('`', ""))).unwrap_or_default()
            );
        }
    }
    if !t.foreign_keys.is_empty() {
        out.push_str("\n#### Foreign keys\n\n");
        for fk in &t.foreign_keys {
            let target = if fk.ref_columns.is_empty() {
                format!("`{}`", fk.ref_table)
            } else {
                format!("`{}.{}`", fk.ref_table, fk.ref_columns.join(", "))
            };
            let _ = writeln!(
                out,
                "- {} → {}{}",
                ticked(&fk.columns),
                target,
                fk.on_delete.map(|a| format!(" ON DELETE {a}")).unwrap_or_default()
            );
        }
    }
}

fn ticked(cols: &[String]) -> String {
    cols.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
}

/// Text safe inside a table cell: pipes escaped, line breaks folded.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

fn anchor(name: &str) -> String {
    name.to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == '_' || *c == '-').collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Column, DataType, ForeignKey, Notation, Origin, PrimaryKey, TypeKind};

    #[test]
    fn a_schema_reads_as_a_document() {
        let o = Origin::new("db".into(), 0, 0, Notation::Sql);
        let mut users = Table::new("users", o.clone());
        users.columns.push(Column::new("id", DataType::new(TypeKind::Int { bytes: 8 }, "bigint"), o.clone()));
        users.columns[0].nullable = false;
        users.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: o.clone() });
        let mut posts = Table::new("posts", o.clone());
        posts.columns.push(Column::new("user_id", DataType::new(TypeKind::Int { bytes: 8 }, "bigint"), o.clone()));
        posts.columns[0].comment = Some("author | owner".into());
        posts.foreign_keys.push(ForeignKey {
            name: None,
            columns: vec!["user_id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: Some(model::ReferentialAction::Cascade),
            on_update: None,
            inferred: false,
            origin: o,
        });
        let schema = Schema { tables: vec![posts, users], ..Schema::default() };
        insta::assert_snapshot!(markdown(&schema, "shop (postgres)"));
    }
}
