use model::{dependency_order, name_eq, Column, Identity, Schema, Table, TypeKind};
use std::fmt::Write as _;

/// A schema as a markdown document that schemadoc reads back to the same schema: a catalog of
/// tables, then per table a field table (type, nullability, default, constraints, description),
/// its composite keys, indexes and foreign keys as lists, its checks as SQL, and, when every name
/// is one Mermaid can spell, a Mermaid ERD. `title` heads it; nothing else names where the schema
/// came from.
pub fn markdown(schema: &Schema, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", cell(title));
    let order = dependency_order(schema);
    if schema.tables.is_empty() {
        out.push_str("No tables.\n");
        return out;
    }
    if !schema.enums.is_empty() {
        out.push_str("## Types\n\n```sql\n");
        for e in &schema.enums {
            let values: Vec<String> = e.values.iter().map(|v| format!("'{}'", v.replace('\'', "''"))).collect();
            let _ = writeln!(out, "CREATE TYPE {} AS ENUM ({});", sql_name(&e.name), values.join(", "));
        }
        out.push_str("```\n\n");
    }
    out.push_str("| table | description |\n|---|---|\n");
    for &i in &order.tables {
        let t = &schema.tables[i];
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} |",
            cell(&t.qualified_name()),
            anchor(&t.qualified_name()),
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
    // NOTE: Mermaid renames what it cannot spell (Korean, spaces), and a renamed attribute would
    // read back as another column: the diagram is only drawn when it says the same.
    let plain = |n: &str| {
        n.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if schema.tables.iter().all(|t| {
        t.columns.iter().all(|c| plain(&c.name) && !matches!(c.name.to_ascii_lowercase().as_str(), "pk" | "fk" | "uk"))
    }) {
        let _ = write!(out, "\n## ERD\n\n```mermaid\n{}```\n", crate::mermaid(schema));
    }
    out
}

fn table(out: &mut String, schema: &Schema, t: &Table) {
    let name = t.qualified_name();
    let _ = writeln!(out, "\n## {}\n", cell(&name));
    if let Some(c) = &t.comment {
        let _ = writeln!(out, "{}\n", c.trim());
    }
    out.push_str("| column | type | nullable | default | constraints | description |\n|---|---|---|---|---|---|\n");
    let single_pk = t.primary_key.as_ref().filter(|pk| pk.columns.len() == 1);
    for c in &t.columns {
        let mut constraints = Vec::new();
        if single_pk.is_some_and(|pk| name_eq(&pk.columns[0], &c.name)) {
            constraints.push("PK");
        }
        // NOTE: a serial is spelled in the type (below); identity columns have no field-table spelling.
        if matches!(c.identity, Some(Identity::AutoIncrement | Identity::Always | Identity::ByDefault)) {
            constraints.push("AUTO_INCREMENT");
        }
        if t.uniques.iter().any(|u| u.columns.len() == 1 && name_eq(&u.columns[0], &c.name)) {
            constraints.push("UNIQUE");
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            c.name.replace('`', ""),
            cell(&type_text(c)),
            if c.nullable { "Y" } else { "N" },
            cell(&c.default.as_ref().map(ToString::to_string).unwrap_or_default()),
            constraints.join(", "),
            cell(c.comment.as_deref().unwrap_or(""))
        );
    }
    if let Some(pk) = t.primary_key.as_ref().filter(|pk| pk.columns.len() > 1) {
        let _ = writeln!(out, "\n- Primary key: {}", ticked(&pk.columns));
    }
    let mut first = t.primary_key.as_ref().is_none_or(|pk| pk.columns.len() == 1);
    for u in t.uniques.iter().filter(|u| u.columns.len() > 1) {
        let _ = writeln!(out, "{}- Unique: {}", if first { "\n" } else { "" }, ticked(&u.columns));
        first = false;
    }
    let indexes: Vec<_> = schema.indexes_of(&name).collect();
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
                "- {} → {}{}{}",
                ticked(&fk.columns),
                target,
                fk.on_delete.map(|a| format!(" ON DELETE {a}")).unwrap_or_default(),
                fk.on_update.map(|a| format!(" ON UPDATE {a}")).unwrap_or_default()
            );
        }
    }
    if !t.checks.is_empty() {
        out.push_str("\n#### Checks\n\n```sql\n");
        for c in &t.checks {
            let constraint = c.name.as_deref().map(|n| format!("CONSTRAINT {} ", sql_name(n))).unwrap_or_default();
            let _ = writeln!(out, "ALTER TABLE {} ADD {constraint}CHECK ({});", sql_table(t), c.expr.trim());
        }
        out.push_str("```\n");
    }
}

/// A column's type as a field table reads it back: a serial as such, an enum by its name, else
/// the portable type.
fn type_text(c: &Column) -> String {
    match &c.ty.kind {
        TypeKind::Int { bytes } if c.identity == Some(Identity::Serial) => match bytes {
            8 => "bigserial",
            2 => "smallserial",
            _ => "serial",
        }
        .to_string(),
        TypeKind::Enum { name } => name.clone(),
        TypeKind::Other { raw } if !raw.is_empty() => raw.clone(),
        // The engine's own spelling where it has one (MySQL's `datetime` is not a `timestamp`).
        _ if c.ty.exact && !c.ty.spelling.trim().is_empty() => c.ty.spelling.trim().to_string(),
        other => other.to_string(),
    }
}

fn sql_table(t: &Table) -> String {
    match &t.namespace {
        Some(ns) => format!("{}.{}", sql_name(ns), sql_name(&t.name)),
        None => sql_name(&t.name),
    }
}

/// A name as SQL reads it: bare when it is a plain lower-case identifier, double-quoted otherwise.
fn sql_name(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
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
