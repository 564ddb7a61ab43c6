//! Catalogs written as bullets: `` - `animals` - individual animals `` under a heading that says
//! "tables", one table per bullet.

use super::names::{is_plain_table_name, is_table_name, says_excluded, similar_to, under_catalog_heading};
use super::{origin, Catalog};
use crate::scan::{Document, Item, TextItem};
use model::Span;

/// One bullet of a catalog: the table it names and what it says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub name: String,
    /// The description after the name, if any.
    pub description: Option<String>,
    /// Whether the name was set apart (backticks or bold), which plain prose never does.
    pub marked: bool,
}

/// Reads the bullet catalogs of `doc`.
pub(super) fn read(doc: &Document, unread: &dyn Fn(u32) -> bool, out: &mut Catalog) {
    let mut run: Vec<&TextItem> = Vec::new();
    let mut lead_in: Option<&str> = None;
    let mut previous: Option<&str> = None;
    for item in &doc.items {
        match item {
            Item::ListItem(li) if unread(li.line) => {
                let same = run.first().is_none_or(|f| same_section(f, li));
                if !same {
                    read_run(doc, &run, lead_in, out);
                    run.clear();
                }
                if run.is_empty() {
                    lead_in = previous;
                }
                run.push(li);
            }
            _ => {
                read_run(doc, &run, lead_in, out);
                run.clear();
                previous = match item {
                    Item::Paragraph(p) => Some(p.text.as_str()),
                    _ => None,
                };
            }
        }
    }
    read_run(doc, &run, lead_in, out);
}

fn same_section(a: &TextItem, b: &TextItem) -> bool {
    a.headings.last().map(|h| h.line) == b.headings.last().map(|h| h.line)
}

/// Reads one run of consecutive bullets when it is a catalog: under a catalog heading or
/// lead-in, every bullet either names a table or is a group label above such bullets, and no
/// table bullet has bullets of its own (that is a table with its columns, for the list reader).
fn read_run(doc: &Document, run: &[&TextItem], lead_in: Option<&str>, out: &mut Catalog) {
    // NOTE: the scanner emits a nested item before the item holding it; read in line order.
    let mut run = run.to_vec();
    run.sort_by_key(|li| li.line);
    let Some(first) = run.first() else { return };
    if !under_catalog_heading(&first.headings, lead_in) {
        return;
    }
    let entries: Vec<Option<Entry>> = run.iter().map(|li| entry(&li.raw)).collect();
    for (i, li) in run.iter().enumerate() {
        let has_children = run.get(i + 1).is_some_and(|next| next.column > li.column);
        match (&entries[i], has_children) {
            (Some(_), true) | (None, false) => return,
            _ => {}
        }
    }
    let found: Vec<(&TextItem, &Entry)> =
        run.iter().zip(&entries).filter_map(|(li, e)| Some((*li, e.as_ref()?))).collect();
    if found.is_empty() || (found.len() < 2 && !found.iter().any(|(_, e)| e.marked)) {
        return;
    }
    for li in &run {
        out.mark_read(&doc.file, li.line);
    }
    for (li, e) in found {
        declare_entry(out, &doc.file, li.line, li.column, e);
    }
}

/// Declares the table of one catalog entry (bullet or row), unless its description says the
/// table will not exist. Returns the table's position.
pub(super) fn declare_entry(
    out: &mut Catalog,
    file: &std::sync::Arc<str>,
    line: u32,
    column: u32,
    e: &Entry,
) -> Option<usize> {
    let description = e.description.as_deref().unwrap_or("");
    if says_excluded(description) {
        out.partial.diagnostics.push(super::excluded::EXCLUDED_FROM_DESIGN.at(
            Span::new(file.clone(), line, column, 0),
            format!("`{}` is listed as not to be created (\"{description}\"); it is not a definition", e.name),
        ));
        return None;
    }
    let comment = match similar_to(description) {
        Some(model) if !description.is_empty() && !out.has_table(&e.name) => {
            Some(format!("{description} (columns as in `{model}`, not stated here)"))
        }
        _ => e.description.clone(),
    };
    Some(out.declare(&e.name, origin(file, line, column), comment))
}

/// The entry a bullet's markdown states: a name (in backticks, bold, or plain snake_case) alone or
/// followed by a description (`` `animals` - individual animals ``, `**kilns**: 가마`,
/// `feeding_logs (daily)`). Bullets that state columns or types are not entries.
pub(super) fn entry(raw: &str) -> Option<Entry> {
    let raw = strip_marker(raw.trim());
    let raw = raw.strip_prefix("[ ] ").or_else(|| raw.strip_prefix("[x] ")).unwrap_or(raw);
    let (name, rest, marked) = leading_name(raw)?;
    if !is_table_name(&name) || (!marked && !is_plain_table_name(&name)) {
        return None;
    }
    let rest = rest.trim();
    let description = if rest.is_empty() {
        None
    } else {
        let sep = [" - ", "- ", " — ", "— ", " – ", "– ", ": ", " : ", "：", "-- "];
        let stripped = sep.iter().find_map(|s| rest.strip_prefix(s.trim_start()).or_else(|| rest.strip_prefix(s)));
        match stripped {
            Some(d) => Some(d.trim().to_string()),
            None if rest.starts_with('(') || rest.starts_with('（') => Some(rest.to_string()),
            // A description in other words right after a marked name (`` `kilns` 가마 정보 ``).
            None if marked && !rest.starts_with(|c: char| c.is_ascii_punctuation()) => Some(rest.to_string()),
            None => return None,
        }
    };
    if description.as_deref().is_some_and(states_columns) {
        return None;
    }
    let description = description.map(|d| d.replace('`', "")).filter(|d| !d.is_empty());
    Some(Entry { name, description, marked })
}

/// The text of a list item without its marker (`- `, `* `, `+ `, `1. `, `2) `).
fn strip_marker(raw: &str) -> &str {
    if let Some(rest) = raw.strip_prefix(['-', '*', '+']) {
        return rest.trim_start();
    }
    let digits = raw.find(|c: char| !c.is_ascii_digit()).unwrap_or(0);
    match raw[digits..].strip_prefix(['.', ')']) {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => raw,
    }
}

/// The name a bullet starts with, what follows it, and whether it was marked up.
fn leading_name(raw: &str) -> Option<(String, &str, bool)> {
    // A link to the table's section: `[users](#users)`, `` [`users`](#users) ``.
    if let Some(rest) = raw.strip_prefix('[') {
        let close = rest.find("](")?;
        let after = &rest[close + 2..];
        let end = after.find(')')?;
        let name = rest[..close].trim().trim_matches(['`', '*']).trim();
        return Some((name.to_string(), &after[end + 1..], true));
    }
    for (open, close) in [("**`", "`**"), ("`", "`"), ("**", "**"), ("__", "__")] {
        if let Some(rest) = raw.strip_prefix(open) {
            let end = rest.find(close)?;
            return Some((rest[..end].trim().to_string(), &rest[end + close.len()..], true));
        }
    }
    let end = raw.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).unwrap_or(raw.len());
    let name = raw[..end].trim_end_matches('.');
    Some((name.to_string(), &raw[name.len()..], false))
}

/// Whether a description states columns or types rather than what the table is for: a list of
/// identifiers (`id, name, city`), a type (`bigint PK`), column parentheses (`(id, name)`).
fn states_columns(d: &str) -> bool {
    let d = d.trim().replace('`', "");
    let inner = d.strip_prefix('(').and_then(|x| x.strip_suffix(')')).unwrap_or(&d);
    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
    let typed = |p: &str| {
        let mut words = p.split_whitespace();
        matches!((words.next(), words.next()), (Some(n), Some(t)) if is_table_name(n) && is_type(t))
    };
    if parts.len() >= 2 && parts.iter().all(|p| is_table_name(p) || typed(p)) {
        return true;
    }
    let first = d.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or("");
    matches!(first.to_ascii_uppercase().as_str(), "PK" | "FK" | "UNIQUE" | "NOT" | "NULL" | "INDEX") || is_type(first)
}

/// Whether a word is an SQL type (`bigint`, `varchar(40)`).
fn is_type(w: &str) -> bool {
    w.is_ascii() && !w.is_empty() && model::is_sql_type(w)
}
