//! Name lists in a plain fenced block, grouped by schema:
//!
//! ```text
//! catalog     artwork · artist · medium
//! loans:      loan_request, loan_item
//! billing.invoice
//! storage/
//! ├── buckets
//! └── objects
//! ```
//!
//! Read only under a heading (or lead-in) that says the block lays out tables or schemas, and
//! only when every line has one of these shapes.

use super::names::{is_layout_heading, is_plain_table_name, is_table_name};
use super::{origin, Catalog};
use crate::scan::{BlockLang, CodeBlock, Document, Item};

/// Reads the fenced name lists of `doc`.
pub(super) fn read(doc: &Document, unread: &dyn Fn(u32) -> bool, out: &mut Catalog) {
    for item in &doc.items {
        let Item::Block(b) = item else { continue };
        let plain = match &b.lang {
            BlockLang::Unlabelled => true,
            BlockLang::Other(l) => matches!(l.as_str(), "text" | "txt" | "plain" | "plaintext" | "tree"),
            _ => false,
        };
        if !plain || !unread(b.fence_line) {
            continue;
        }
        let says = b.headings.last().is_some_and(|h| is_layout_heading(&h.text))
            || b.preceding_text.as_deref().is_some_and(is_layout_heading);
        if !says {
            continue;
        }
        let Some(names) = names(b) else { continue };
        if names.len() < 2 {
            continue;
        }
        out.mark_read(&doc.file, b.fence_line);
        for (name, line, column) in names {
            out.declare(&name, origin(&doc.file, line, column), None);
        }
    }
}

/// The (qualified name, line, column) of every table the block lists, or `None` when a line is
/// not a name list.
fn names(b: &CodeBlock) -> Option<Vec<(String, u32, u32)>> {
    let mut out = Vec::new();
    // The schema a `schema/` or `schema:` line opened, for the indented or tree lines below it.
    let mut group: Option<String> = None;
    for (i, line) in b.content.lines().enumerate() {
        let line_no = b.first_line + i as u32;
        let at = |text: &str| -> u32 {
            let offset = line.find(text).unwrap_or(0);
            line[..offset].chars().count() as u32 + 1 + b.indent
        };
        if line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with([' ', '\t', '│', '├', '└', '|', '`', '-', '+', '*']);
        let body = line.trim().trim_start_matches(['│', '├', '└', '─', '|', '`', '-', '+', '*', ' ']).trim();
        if indented && group.is_some() {
            let name = body.trim_end_matches(['/', ',']);
            if !is_table_name(name) || name.contains('.') {
                return None;
            }
            let qualified = format!("{}.{name}", group.as_deref().unwrap_or_default());
            out.push((qualified, line_no, at(name)));
            continue;
        }
        // `schema/` or `schema:` alone opens a group.
        if let Some(g) = body.strip_suffix('/').or_else(|| body.strip_suffix(':')) {
            if is_plain_table_name(g) && !g.contains('.') {
                group = Some(g.to_string());
                continue;
            }
            return None;
        }
        group = None;
        let (head, rest) = split_head(body);
        match rest {
            // `schema   a · b · c`, `schema: a, b`.
            Some(rest) => {
                if !is_plain_table_name(head) || head.contains('.') {
                    return None;
                }
                for name in list(rest)? {
                    out.push((format!("{head}.{name}"), line_no, at(name)));
                }
            }
            // `a · b · c`, `schema.table`, or one name.
            None => {
                for name in list(body)? {
                    out.push((name.to_string(), line_no, at(name)));
                }
            }
        }
    }
    Some(out)
}

/// Splits `schema   a · b` or `schema: a, b` into the schema and its list; `None` for the list
/// part when the line is not grouped (one list of names).
fn split_head(body: &str) -> (&str, Option<&str>) {
    if let Some((head, rest)) = body.split_once(':') {
        return (head.trim(), Some(rest.trim()));
    }
    for sep in ["\t", "  ", " → ", " -> ", " — ", " - "] {
        if let Some((head, rest)) = body.split_once(sep) {
            let head = head.trim();
            if !head.contains([',', '·']) {
                return (head, Some(rest.trim()));
            }
        }
    }
    (body, None)
}

/// The names of a list separated by `·`, `,`, `|` or `/`.
fn list(text: &str) -> Option<Vec<&str>> {
    let names: Vec<&str> =
        text.split(['·', ',', '|', '/', '•']).map(|n| n.trim().trim_matches('`')).filter(|n| !n.is_empty()).collect();
    (!names.is_empty() && names.iter().all(|n| is_plain_table_name(n))).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::scan;

    fn block(text: &str) -> CodeBlock {
        let d = scan("t.md".into(), text);
        d.items.into_iter().find_map(|i| if let Item::Block(b) = i { Some(b) } else { None }).expect("a block")
    }

    fn listed(text: &str) -> Option<Vec<String>> {
        names(&block(text)).map(|v| v.into_iter().map(|(n, _, _)| n).collect())
    }

    #[test]
    fn grouped_lists_qualify_their_names() {
        let got = listed("```\ncatalog     artwork · artist · medium\nloans       loan_request · loan_item\n```\n");
        assert_eq!(
            got.unwrap(),
            ["catalog.artwork", "catalog.artist", "catalog.medium", "loans.loan_request", "loans.loan_item"]
        );
        let got = listed("```\nstorage/\n├── buckets\n└── objects\nbilling.invoice\n```\n");
        assert_eq!(got.unwrap(), ["storage.buckets", "storage.objects", "billing.invoice"]);
        assert_eq!(listed("```\nsales: orders, order_items\n```\n").unwrap(), ["sales.orders", "sales.order_items"]);
    }

    #[test]
    fn other_text_is_no_list() {
        assert_eq!(listed("```\nnpm install\ncargo run --release\n```\n"), None);
        assert_eq!(listed("```\nusers  -> 회원 정보\n```\n"), None);
        assert_eq!(listed("```\nSELECT * FROM users;\n```\n"), None);
    }
}
