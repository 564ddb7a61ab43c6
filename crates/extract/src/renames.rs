//! Renames the document declares: `<!-- schemadoc:renamed from=users.name to=users.full_name -->`
//! (or `from=old_table to=new_table`) anywhere in the document, and `schemadoc:renamed from=name` in a
//! column's comment (`full_name TEXT -- schemadoc:renamed from=name`).

use crate::scan::{Document, Item};
use model::{Diagnostic, Origin, Rename, Schema, Span};

model::declare_rule! {
    /// What it does: flags a `schemadoc:renamed` marker that cannot be used: a missing `from=` or
    /// `to=`, a table rename mixed with a column rename, or a new name the schema does not have.
    ///
    /// Why it matters: a rename that is not understood becomes a drop and an add when the database
    /// is migrated, and the data in the old column or table is refused as destructive (or lost).
    ///
    /// Example: `<!-- schemadoc:renamed from=users.name -->` — write
    /// `<!-- schemadoc:renamed from=users.name to=users.full_name -->`.
    pub INVALID_RENAME = "invalid-rename", Warning
}

/// Rules this module reports.
pub const RULES: &[model::RuleInfo] = &[INVALID_RENAME];

const MARKER: &str = "schemadoc:renamed";

/// Collects declared renames into `schema.renames`, removing comment markers from column comments.
pub fn collect(docs: &[Document], schema: &mut Schema) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        for item in &doc.items {
            let Item::Marker(m) = item else { continue };
            if m.name != "renamed" {
                continue;
            }
            let arg =
                |k: &str| m.args.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
            let span = Span::new(doc.file.clone(), m.line, m.column, 0);
            let origin = Origin::new(doc.file.clone(), m.line, m.column, model::Notation::Sql);
            match (arg("from"), arg("to")) {
                (Some(from), Some(to)) => match (from.split_once('.'), to.split_once('.')) {
                    (None, None) => schema.renames.push(Rename { table: None, from, to, origin }),
                    (Some((_, old)), Some((table, new))) => schema.renames.push(Rename {
                        table: Some(table.to_string()),
                        from: old.to_string(),
                        to: new.to_string(),
                        origin,
                    }),
                    _ => out.push(INVALID_RENAME.at(span, format!("`{from}` → `{to}` mixes a table and a column")).with_help(
                        "write `from=table.old to=table.new` for a column, `from=old to=new` for a table",
                    )),
                },
                // `from=old` alone, next to a table's definition: a column of the table the section is
                // about; the new name is resolved against the live database (the one column it lacks).
                (Some(from), None) => {
                    let known: std::collections::BTreeSet<String> =
                        schema.tables.iter().map(|t| model::name_key(&t.name)).collect();
                    let table = match from.split_once('.') {
                        Some((t, c)) => Some((t.to_string(), c.to_string())),
                        None => crate::context::table_from_headings(&m.headings, &known)
                            .and_then(|key| schema.table(&key).map(|t| (t.name.clone(), from.clone()))),
                    };
                    match table {
                        Some((table, old)) => schema.renames.push(Rename { table: Some(table), from: old, to: String::new(), origin }),
                        None => out.push(
                            INVALID_RENAME
                                .at(span, format!("cannot tell which table's column `{from}` was renamed"))
                                .with_help("write `from=table.old`, or `from=table.old to=table.new`"),
                        ),
                    }
                }
                _ => out.push(
                    INVALID_RENAME
                        .at(span, "a rename marker needs `from=`")
                        .with_help("write `<!-- schemadoc:renamed from=users.name to=users.full_name -->`, or put `schemadoc:renamed from=name` in the new column's comment"),
                ),
            }
        }
    }
    for table in &mut schema.tables {
        for column in &mut table.columns {
            let Some(comment) = column.comment.as_deref() else { continue };
            let Some(at) = comment.find(MARKER) else { continue };
            let rest = &comment[at + MARKER.len()..];
            let from = rest.trim_start().strip_prefix("from=").map(|r| {
                r.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ')')
                    .next()
                    .unwrap_or("")
                    .to_string()
            });
            match from.filter(|f| !f.is_empty()) {
                Some(from) => {
                    schema.renames.push(Rename {
                        table: Some(table.name.clone()),
                        from: from.clone(),
                        to: column.name.clone(),
                        origin: column.origin.clone(),
                    });
                    let end = at + MARKER.len() + rest.find(&from).map(|i| i + from.len()).unwrap_or(rest.len());
                    let kept = format!("{}{}", &comment[..at], &comment[end.min(comment.len())..]);
                    let kept = kept.trim().trim_matches(|c: char| c == '-' || c == ',' || c == ';').trim().to_string();
                    column.comment = (!kept.is_empty()).then_some(kept);
                }
                None => out.push(
                    INVALID_RENAME
                        .at(
                            Span::from(&column.origin),
                            format!(
                                "the comment of `{}.{}` has a rename marker without `from=`",
                                table.name, column.name
                            ),
                        )
                        .with_help("write `schemadoc:renamed from=old_name`"),
                ),
            }
        }
    }
    // The new names must exist.
    for r in &schema.renames {
        let known = match &r.table {
            None => schema.table(&r.to).is_some(),
            Some(t) if r.to.is_empty() => schema.table(t).is_some(),
            Some(t) => schema.table(t).is_some_and(|t| t.column(&r.to).is_some()),
        };
        if !known {
            let what = match &r.table {
                None => format!("table `{}`", r.to),
                Some(t) => format!("column `{t}.{}`", r.to),
            };
            out.push(
                INVALID_RENAME
                    .at(Span::from(&r.origin), format!("renamed to {what}, which the document does not define"))
                    .with_help("the `to=` name is the new name, as the document defines it"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{extract, Options, SourceFile};

    fn run(md: &str) -> (Vec<Rename>, Vec<Diagnostic>) {
        let x = extract(&[SourceFile { name: "t.md".into(), text: md.into() }], &Options::default());
        let d = x.diagnostics.into_iter().filter(|d| d.rule == INVALID_RENAME.name).collect();
        (x.schema.renames, d)
    }

    #[test]
    fn markers_declare_column_and_table_renames() {
        let (r, d) = run("<!-- schemadoc:renamed from=users.name to=users.full_name -->\n<!-- schemadoc:renamed from=people to=users -->\n\n```sql\nCREATE TABLE users (id INT PRIMARY KEY, full_name TEXT);\n```\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].table.as_deref(), r[0].from.as_str(), r[0].to.as_str()), (Some("users"), "name", "full_name"));
        assert_eq!((r[1].table.as_deref(), r[1].from.as_str(), r[1].to.as_str()), (None, "people", "users"));
    }

    #[test]
    fn a_column_comment_declares_a_rename_and_is_cleaned() {
        let md = "```sql\nCREATE TABLE users (\n  id INT PRIMARY KEY,\n  full_name TEXT -- 이름 schemadoc:renamed from=name\n);\n```\n";
        let x = extract(&[SourceFile { name: "t.md".into(), text: md.into() }], &Options::default());
        assert_eq!(x.schema.renames.len(), 1);
        assert_eq!(x.schema.renames[0].from, "name");
        assert_eq!(x.schema.table("users").unwrap().column("full_name").unwrap().comment.as_deref(), Some("이름"));
    }

    #[test]
    fn unusable_markers_are_reported() {
        let (r, d) = run("<!-- schemadoc:renamed from=ghosts.name -->\n<!-- schemadoc:renamed from=a.b to=c -->\n<!-- schemadoc:renamed from=x.y to=users.nope -->\n<!-- schemadoc:renamed to=users.id -->\n\n```sql\nCREATE TABLE users (id INT PRIMARY KEY);\n```\n");
        assert_eq!(d.len(), 4, "{d:#?}");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn a_marker_with_only_the_old_name_belongs_to_the_section_table() {
        let (r, d) = run("## users 테이블\n\n<!-- schemadoc:renamed from=name -->\n\n```sql\nCREATE TABLE users (id INT PRIMARY KEY, full_name TEXT);\n```\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].table.as_deref(), r[0].from.as_str(), r[0].to.as_str()), (Some("users"), "name", ""));
    }
}
