//! Sections that list what will *not* exist ("Out of scope", "Removed tables", "Deprecated
//! columns", "제외", "생성하지 않음", "삭제됨", "미사용"): the tables and columns listed there are
//! not definitions. Their lists and tables are set aside before any front-end reads the
//! document, each with an info at its line; code blocks stay (a `DROP` there is a migration).

use super::names::says_excluded;
use crate::context::identifiers;
use crate::scan::{Document, Item};
use model::{Diagnostic, Span};

model::declare_rule! {
    /// What it does: notes a table or column the document lists as not to be created.
    ///
    /// It is listed under a heading such as "Out of scope", "Removed", "Deprecated", "제외",
    /// "생성하지 않음", "삭제됨" or "미사용", or in a catalog entry that says so.
    ///
    /// Why it matters: the name is mentioned, but not as a definition; schemadoc does not create
    /// it, and says so in case the section was meant otherwise.
    ///
    /// Example: `- legacy_sessions` under `## Out of scope`.
    pub EXCLUDED_FROM_DESIGN = "excluded-from-design", Info
}

/// Removes from `doc` the lists, tables and paragraphs under a section that says its contents
/// will not exist, returning an info for each one that names something.
pub fn set_aside(doc: &mut Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = doc.file.clone();
    doc.items.retain(|item| {
        let Some(h) = excluding_heading(item) else { return true };
        let (line, column, names) = match item {
            Item::ListItem(t) | Item::Paragraph(t) => (t.line, t.column, named(&t.code_spans, &t.text)),
            Item::Table(t) => {
                let first =
                    t.rows.iter().filter_map(|r| r.first()).map(|c| c.text.trim().trim_matches('`').to_string());
                (t.line, 1, first.filter(|n| super::names::is_table_name(n)).collect())
            }
            _ => return true,
        };
        if !names.is_empty() {
            let listed = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            out.push(EXCLUDED_FROM_DESIGN.at(
                Span::new(file.clone(), line, column, 0),
                format!("{listed} listed under \"{}\": not a definition, nothing is created", h.trim()),
            ));
        }
        false
    });
    out
}

/// The text of the heading above `item` (below the title) that says its contents will not
/// exist, unless the innermost heading names a table in backticks (a section about that table).
fn excluding_heading(item: &Item) -> Option<&str> {
    let headings = item.headings();
    if matches!(item, Item::Heading(_)) || !headings.last()?.code_spans.is_empty() {
        return None;
    }
    headings.iter().rev().find(|h| h.level > 1 && says_excluded(&h.text)).map(|h| h.text.as_str())
}

/// The identifiers an item names: its code spans, else the name it starts with, else its
/// snake_case words.
fn named(code_spans: &[String], text: &str) -> Vec<String> {
    let mut names: Vec<String> =
        code_spans.iter().map(|c| c.trim().to_string()).filter(|c| super::names::is_table_name(c)).collect();
    if names.is_empty() {
        let words = identifiers(text);
        let lead = words.first().filter(|w| text.trim_start().starts_with(**w) && super::names::is_plain_table_name(w));
        names = match lead {
            Some(w) => vec![w.to_string()],
            None => words.into_iter().filter(|w| w.contains('_')).map(str::to_string).collect(),
        };
    }
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    #[test]
    fn lists_under_out_of_scope_are_set_aside_with_an_info() {
        let mut d = scan(
            "t.md".into(),
            "## Tables\n- `users` - accounts\n\n## Out of scope\n- `legacy_sessions` - old login\n\n## 제외 테이블\n\n| 테이블 | 사유 |\n|---|---|\n| old_logs | 미사용 |\n",
        );
        let diags = set_aside(&mut d);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(diags[0].message.contains("`legacy_sessions`") && diags[0].span.line == 5);
        assert!(diags[1].message.contains("`old_logs`"));
        assert!(d.items.iter().any(|i| matches!(i, Item::ListItem(t) if t.text.contains("users"))));
        assert!(!d.items.iter().any(|i| matches!(i, Item::Table(_))));
    }

    #[test]
    fn a_section_about_a_table_is_not_an_exclusion() {
        let mut d = scan("t.md".into(), "### `deleted_items` (삭제됨 보관)\n- `id` bigint\n");
        assert!(set_aside(&mut d).is_empty());
        assert_eq!(d.items.len(), 2);
    }
}
