//! Stubs: a section about a table that says only that it is like another one ("Same structure
//! as `orders`.", "`orders` 테이블과 동일", `### order_archive (orders와 동일)`). The table exists;
//! its columns are not stated here.

use super::names::{is_table_name, similar_to};
use super::{origin, Catalog};
use crate::context::heading_table;
use crate::scan::{Document, Item};
use std::collections::BTreeSet;

/// Reads the stubs of `doc`: a paragraph or bullet saying "similar to X" right under a heading
/// that names another table.
pub(super) fn read(doc: &Document, unread: &dyn Fn(u32) -> bool, known: &BTreeSet<String>, out: &mut Catalog) {
    for item in &doc.items {
        // A heading that is the whole stub: `### order_archive (same as orders)`.
        if let Item::Heading(h) = item {
            let Some(model) = similar_to(&h.text) else { continue };
            let Some(named) = heading_table(h, known, false) else { continue };
            if is_table_name(&named.name) && !model::name_eq(&named.name, &model) && !out.has_table(&named.name) {
                let comment = format!("{} (columns as in `{model}`, not stated here)", h.text.trim());
                out.declare(&named.name, origin(&doc.file, h.line, 1), Some(comment));
            }
            continue;
        }
        let (Item::Paragraph(p) | Item::ListItem(p)) = item else { continue };
        if !unread(p.line) || p.text.chars().count() > 160 {
            continue;
        }
        let Some(model) = similar_to(&p.text) else { continue };
        // The bullet's own name (`` - `x`: same as `y` ``), else the table the heading names.
        let own = matches!(item, Item::ListItem(_)).then(|| super::bullets::entry(&p.raw)).flatten();
        let (name, line, column) = match own {
            Some(e) if e.marked || p.code_spans.len() > 1 => (e.name, p.line, p.column),
            _ => {
                let Some(h) = p.headings.last() else { continue };
                let Some(named) = heading_table(h, known, false) else { continue };
                (named.name, h.line, 1)
            }
        };
        if !is_table_name(&name) || model::name_eq(&name, &model) || out.has_table(&name) {
            continue;
        }
        out.mark_read(&doc.file, p.line);
        let comment = format!("{} (columns as in `{model}`, not stated here)", p.text.trim());
        out.declare(&name, origin(&doc.file, line, column), Some(comment));
    }
}
