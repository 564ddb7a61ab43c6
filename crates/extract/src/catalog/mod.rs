//! Tables declared by name: catalogs of tables, which say that a table exists (and what it is
//! for) without always stating its columns.
//!
//! The forms read here:
//! - bullets under a heading that says "tables" (`` - `animals` - individual animals ``),
//! - markdown tables whose header names a table column and otherwise roles, descriptions, main
//!   columns or keys (`| 테이블 | 역할 |`, `| table | main columns | keys |`),
//! - fenced name lists, grouped by schema (`catalog   artwork · artist`),
//! - stubs: a section about a table that says only that it is "similar to `orders`".
//!
//! A table whose catalog entry lists no columns is [declared](model::Table::declared): its
//! columns are not stated. One whose entry lists columns has them, untyped. Entries and sections
//! that say a table will not exist ([`excluded`]) declare nothing.
//!
//! False positives are worse than misses: a list or table is read only when a header word or a
//! heading says it is a catalog and every entry names an identifier.

mod bullets;
pub mod excluded;
mod fenced;
mod names;
mod stubs;
mod tables;
#[cfg(test)]
mod tests;

use crate::frontend::Partial;
use crate::scan::Document;
use model::{Notation, Origin, RuleInfo, Span, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

model::declare_rule! {
    /// What it does: notes an entry of a table catalog that could not be read.
    ///
    /// A name that is not an identifier, a key or constraint that names no column the entry
    /// lists, a columns cell that holds something else.
    ///
    /// Why it matters: the catalog says something the schema does not hold; the message says
    /// what was left out.
    ///
    /// Example: `| 회원 | 회원 정보 |` in a `| 테이블 | 역할 |` catalog (no physical name).
    pub CATALOG_ENTRY_NOT_READ = "catalog-entry-not-read", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[CATALOG_ENTRY_NOT_READ, excluded::EXCLUDED_FROM_DESIGN];

/// Reads the catalogs of `docs`, skipping the items another front-end already read (`read`).
pub fn extract(docs: &[Document], read: &BTreeSet<(Arc<str>, u32)>, known: &BTreeSet<String>) -> Partial {
    let mut out = Catalog { partial: Partial::new(Notation::Catalog), positions: BTreeMap::new() };
    for doc in docs {
        let unread = |line: u32| !read.contains(&(doc.file.clone(), line));
        bullets::read(doc, &unread, &mut out);
        tables::read(doc, &unread, &mut out);
        fenced::read(doc, &unread, &mut out);
        stubs::read(doc, &unread, known, &mut out);
    }
    out.partial
}

/// The partial being built, with the helpers every form uses.
struct Catalog {
    partial: Partial,
    /// Table key → position in `partial.schema.tables`.
    positions: BTreeMap<String, usize>,
}

impl Catalog {
    /// Declares the table `name` (`schema.table` allowed) at `origin`, with its columns not
    /// stated; a second entry for the same table adds only what the first lacked. Returns its
    /// position.
    fn declare(&mut self, name: &str, origin: Origin, comment: Option<String>) -> usize {
        let (namespace, bare) = names::split(name);
        let key = model::table_key(namespace.as_deref(), &bare);
        if let Some(&i) = self.positions.get(&key) {
            let t = &mut self.partial.schema.tables[i];
            if t.comment.is_none() {
                t.comment = comment;
            }
            return i;
        }
        let mut t = Table::declared(bare, origin);
        t.namespace = namespace;
        t.comment = comment.filter(|c| !c.trim().is_empty());
        self.partial.schema.tables.push(t);
        self.positions.insert(key, self.partial.schema.tables.len() - 1);
        self.partial.schema.tables.len() - 1
    }

    fn mark_read(&mut self, file: &Arc<str>, line: u32) {
        self.partial.mark_read(file, line);
    }

    fn note(&mut self, span: Span, message: String) {
        self.partial.diagnostics.push(CATALOG_ENTRY_NOT_READ.at(span, message));
    }

    fn has_table(&self, name: &str) -> bool {
        self.positions.contains_key(&model::reference_key(name))
    }
}

/// The origin of a catalog entry at `line`, `column` of `file`.
fn origin(file: &Arc<str>, line: u32, column: u32) -> Origin {
    Origin::new(file.clone(), line, column, Notation::Catalog)
}
