//! ASCII box ERDs: tables drawn as boxes (`┌─┐│└┘`, `╔═╗`, `+---+`) in unlabelled or text
//! blocks, one table per box: the title line names it (wrapped over two lines or cut short with
//! `..`/`…`, resolved against the names the documents write elsewhere), the lines below are its
//! columns with `PK`/`FK`/`UK` marks and optional types (untyped otherwise), and lines drawn
//! between boxes are relationships, paired with the column that holds them.
//!
//! A drawing is a lower-trust notation: it ranks with the ERD below field tables, and what it
//! cannot read it says.

mod geometry;
mod grid;
mod read;

use crate::context::identifiers;
use crate::frontend::Partial;
use crate::scan::{BlockLang, Document, Item};
use crate::sketch::{self, is_name, Known, Link, Sketch};
use crate::types::parse_sql_type;
use model::{name_key, Notation, RuleInfo, Span, TypeKind};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: notes what a box diagram holds but schemadoc could not read: a line inside
    /// a table's box that is not a column, a name cut short (`inventory_tr..`) that matches no
    /// name written elsewhere, or more than one.
    ///
    /// Why it matters: the column or table is missing from the schema, or kept under its
    /// shortened name.
    ///
    /// Example: `│ stores one row per loan │` inside a table's box.
    pub BOX_DIAGRAM_UNREAD = "box-diagram-unread", Info
}

model::declare_rule! {
    /// What it does: notes a column marked `FK` in a box diagram whose target nothing tells: no
    /// line from its box pairs with it and its name names no table.
    ///
    /// Why it matters: no foreign key can be made, so the reference is not enforced.
    ///
    /// Example: `│ owner (FK) │` with no line from the box and no `owners` table.
    pub BOX_FOREIGN_KEY_WITHOUT_TARGET = "box-foreign-key-without-target", Info
}

model::declare_rule! {
    /// What it does: notes a line between two boxes that no column holds: neither box has a
    /// column named after the other (`patron_id`) or one `FK` column left to pair with it.
    ///
    /// Why it matters: the drawing shows a relationship the tables cannot hold; no foreign key
    /// is made.
    ///
    /// Example: `patrons ──── checkouts` where `checkouts` has no `patron_id`.
    pub BOX_RELATIONSHIP_WITHOUT_FOREIGN_KEY = "box-relationship-without-foreign-key", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] =
    &[BOX_DIAGRAM_UNREAD, BOX_FOREIGN_KEY_WITHOUT_TARGET, BOX_RELATIONSHIP_WITHOUT_FOREIGN_KEY];

const SKETCH_RULES: sketch::Rules = sketch::Rules {
    fk_without_target: BOX_FOREIGN_KEY_WITHOUT_TARGET,
    link_without_fk: BOX_RELATIONSHIP_WITHOUT_FOREIGN_KEY,
};

/// Reads the box diagrams of `docs` that no other front-end read (`read`); `known` holds the
/// tables other notations define.
pub fn extract(docs: &[Document], known: &Known, read: &BTreeSet<(Arc<str>, u32)>) -> Partial {
    let mut partial = Partial::new(Notation::BoxDiagram);
    let mut words: Option<BTreeSet<String>> = None;
    let mut sketches = Vec::new();
    let mut links = Vec::new();
    for doc in docs {
        for item in &doc.items {
            let Item::Block(b) = item else { continue };
            if read.contains(&(doc.file.clone(), b.fence_line)) || !text_block(&b.lang) {
                continue;
            }
            if !b.content.contains(['┌', '╔', '╭', '┏', '+']) {
                continue;
            }
            let g = grid::Grid::new(&b.content, b.first_line, b.indent);
            let rects = geometry::boxes(&g);
            let drawn: Vec<Option<read::Boxed>> = rects.iter().map(|r| read::read(&g, r)).collect();
            // Boxes are tables only in a drawing where some box shows a key, a type or an id
            // column: `│ API │ - REST │` boxes are architecture, not schema.
            if !drawn.iter().flatten().any(|b| b.columns.iter().any(looks_like_schema)) {
                continue;
            }
            let words = words.get_or_insert_with(|| written_names(docs, &known.tables));
            let mut names: Vec<Option<String>> = vec![None; rects.len()];
            let mut any = false;
            for (k, boxed) in drawn.into_iter().enumerate() {
                let Some(boxed) = boxed else { continue };
                any = true;
                let (row, cell) = boxed.title_at;
                let (line, column) = (g.line(row), g.column(row, cell));
                let (name, _label) = table_name(&boxed.title);
                let name = resolve_cut(&name, true, words, &doc.file, line, column, &mut partial);
                names[k] = Some(name.clone());
                let mut columns = boxed.columns;
                for c in &mut columns {
                    c.name = resolve_cut(&c.name, false, words, &doc.file, c.line, c.column, &mut partial);
                }
                for (r, at, text) in boxed.unread {
                    partial.diagnostics.push(BOX_DIAGRAM_UNREAD.at(
                        Span::new(doc.file.clone(), g.line(r), g.column(r, at), text.chars().count() as u32),
                        format!("`{text}` in the box of `{name}` is not a column; it is skipped"),
                    ));
                }
                sketches.push(Sketch { name, file: doc.file.clone(), line, column, columns });
            }
            if !any {
                continue;
            }
            partial.mark_read(&doc.file, b.fence_line);
            for w in geometry::wires(&g, &rects) {
                let (Some(a), Some(bn)) = (&names[w.a], &names[w.b]) else { continue };
                links.push(Link {
                    a: a.clone(),
                    b: bn.clone(),
                    a_is_parent: w.a_is_parent,
                    file: doc.file.clone(),
                    line: g.line(w.row),
                    column: g.column(w.row, w.col),
                });
            }
        }
    }
    sketch::lower(sketches, links, Notation::BoxDiagram, known, &SKETCH_RULES, &mut partial);
    partial
}

/// Whether a column line is what tables have: a key mark, a target, a SQL type, an id.
fn looks_like_schema(c: &sketch::SketchColumn) -> bool {
    let key = name_key(&c.name);
    c.pk || c.fk
        || c.unique
        || c.target.is_some()
        || c.ty.as_deref().is_some_and(|t| !matches!(parse_sql_type(t).kind, TypeKind::Other { .. }))
        || key == "id"
        || key.ends_with("_id")
        || c.name.ends_with("Id")
}

fn text_block(lang: &BlockLang) -> bool {
    match lang {
        BlockLang::Unlabelled => true,
        BlockLang::Other(l) => matches!(l.as_str(), "text" | "txt" | "plain" | "plaintext" | "none" | "ascii" | "erd"),
        _ => false,
    }
}

/// The table name in a box title, and the rest as a label: `` `users` `` and `회원 (members)`
/// give `users`, `members`; a title of one name is that name.
fn table_name(title: &str) -> (String, Option<String>) {
    let t = title.trim();
    if let Some(code) = t.split('`').nth(1).filter(|c| is_name(c)) {
        return (code.to_string(), Some(t.to_string()));
    }
    let bare = t.trim_matches(['*', '[', ']', '<', '>']).trim();
    if is_name(bare.trim_end_matches(['.', '…'])) {
        return (bare.to_string(), None);
    }
    // An ASCII identifier among other words (`회원 (members)`, `Members table`).
    let ids = identifiers(t);
    let pick = ids
        .iter()
        .find(|w| w.contains('_'))
        .or_else(|| ids.iter().find(|w| !GENERIC.contains(&w.to_ascii_lowercase().as_str())));
    match pick {
        Some(w) => (w.to_string(), Some(t.to_string())),
        None => (t.split_whitespace().collect::<Vec<_>>().join("_"), None),
    }
}

const GENERIC: &[&str] = &["table", "entity", "tbl", "the", "of", "master", "pk", "fk"];

/// Names written anywhere in the documents (text, tables, blocks), and the known tables: what a
/// name cut short may stand for.
fn written_names(docs: &[Document], known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = known.clone();
    let mut add = |text: &str| {
        for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if w.chars().count() >= 3 {
                out.insert(w.to_string());
            }
        }
    };
    for doc in docs {
        for item in &doc.items {
            match item {
                Item::Block(b) => add(&b.content),
                Item::Table(t) => t.header.iter().chain(t.rows.iter().flatten()).for_each(|c| add(&c.text)),
                Item::ListItem(t) | Item::Paragraph(t) => add(&t.raw),
                Item::Heading(h) => add(&h.text),
                Item::Marker(_) => {}
            }
        }
    }
    out
}

/// The full name a name cut short (`inventory_tr..`) stands for: the one longer name written
/// elsewhere that starts with it (for a table, names of `…_id` columns aside). Other names are
/// returned as they are; a cut name that matches none or several is kept without its dots, and
/// said.
fn resolve_cut(
    name: &str,
    table: bool,
    words: &BTreeSet<String>,
    file: &Arc<str>,
    line: u32,
    column: u32,
    partial: &mut Partial,
) -> String {
    let Some(prefix) = name.strip_suffix("..").or_else(|| name.strip_suffix('…')) else {
        return name.to_string();
    };
    let prefix = prefix.trim_end_matches('.');
    let key = name_key(prefix);
    let hits: BTreeSet<String> = words
        .iter()
        .filter(|w| w.chars().count() > prefix.chars().count() && name_key(w).starts_with(&key))
        .map(|w| w.to_string())
        .collect();
    let mut hits: Vec<&String> = {
        let mut seen = BTreeSet::new();
        hits.iter().filter(|w| seen.insert(name_key(w))).collect()
    };
    // A table's name is not a column that references it (`inventory_transfer_id`).
    if table && hits.len() > 1 {
        let tables: Vec<&String> = hits.iter().copied().filter(|w| !name_key(w).ends_with("_id")).collect();
        if !tables.is_empty() {
            hits = tables;
        }
    }
    match hits[..] {
        [one] => one.clone(),
        _ => {
            let what = if hits.is_empty() {
                "no name written elsewhere starts with it".to_string()
            } else {
                format!("it may be any of {}", hits.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", "))
            };
            partial.diagnostics.push(
                BOX_DIAGRAM_UNREAD
                    .at(
                        Span::new(file.clone(), line, column, name.chars().count() as u32),
                        format!("`{name}` is cut short and {what}; it is kept as `{prefix}`"),
                    )
                    .with_help("write the full name in the box, or once elsewhere in the document"),
            );
            prefix.to_string()
        }
    }
}

#[cfg(test)]
mod tests;
