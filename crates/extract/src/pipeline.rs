//! The whole extraction: scan every file, run each front-end, merge.

use crate::frontend::Partial;
use crate::scan::{self, BlockLang, Document, Item, SqlFlavor};
use crate::{dbml, expressions, field_table, hints, lists, merge, mermaid, prisma, renames, sql, sqlalchemy, unread};
use model::{Diagnostic, Notation, RuleInfo, Schema, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// One input document.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name diagnostics use (the path as the user gave it).
    pub name: Arc<str>,
    pub text: String,
}

/// How to read documents.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read every SQL block in this dialect, whatever its label says.
    pub dialect: Option<SqlFlavor>,
    /// Notations from most to least trusted when they disagree; unnamed ones keep the default order.
    pub prefer: Vec<Notation>,
    /// Keep only items under headings containing one of these (all when empty).
    pub sections: Vec<String>,
    /// Drop items under headings containing one of these.
    pub exclude_sections: Vec<String>,
}

/// The canonical schema of a set of documents and everything found while reading them.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub schema: Schema,
    pub diagnostics: Vec<Diagnostic>,
    /// The SQL dialect the documents are written for, when their labels or a Prisma datasource say.
    pub dialect: Option<SqlFlavor>,
}

/// Reads `files` into one canonical schema. Never fails: problems are diagnostics.
pub fn extract(files: &[SourceFile], options: &Options) -> Extraction {
    let mut docs: Vec<Document> = files.iter().map(|f| scan::scan(f.name.clone(), &f.text)).collect();
    for doc in &mut docs {
        scan::select_sections(doc, &options.sections, &options.exclude_sections);
    }
    let mut diagnostics: Vec<Diagnostic> = docs.iter().flat_map(|d| d.diagnostics.iter().cloned()).collect();

    let dbml = dbml::extract(&docs);
    let mut partials: Vec<Partial> = vec![
        prisma::extract(&docs),
        dbml.partial,
        sqlalchemy::extract(&docs),
        field_table::extract(&docs),
        mermaid::extract(&docs),
    ];
    let mut known: BTreeSet<String> = defined_tables(&partials);
    let sql = sql::extract(&docs, options.dialect, &known);
    known.extend(defined_tables(std::slice::from_ref(&sql)));
    partials.push(sql);
    partials.push(lists::extract(&docs, &known));

    // What the front-ends read, so that what nobody read is reported (see `Partial::read`).
    let read: BTreeSet<(Arc<str>, u32)> = partials.iter().flat_map(|p| p.read.iter().cloned()).collect();
    let (mut schema, merge_diagnostics) = merge::merge(partials, &options.prefer);
    diagnostics.extend(merge_diagnostics);
    diagnostics.extend(renames::collect(&docs, &mut schema));
    diagnostics.extend(hints::settle(&mut schema));
    diagnostics.extend(unread::report(&docs, &read, &schema));
    let dialect = options.dialect.or_else(|| labelled_dialect(&docs)).or(dbml.dialect);
    diagnostics.extend(expressions::validate(&mut schema, dialect));
    diagnostics.sort_by(|a, b| (&a.span, a.rule, &a.message).cmp(&(&b.span, b.rule, &b.message)));
    diagnostics.dedup();
    Extraction { schema, diagnostics, dialect }
}

fn defined_tables(partials: &[Partial]) -> BTreeSet<String> {
    partials
        .iter()
        .flat_map(|p| p.schema.tables.iter().map(Table::key).filter(|k| !p.altered_only.contains(k)))
        .collect()
}

/// The SQL dialect most SQL blocks are labelled with.
fn labelled_dialect(docs: &[Document]) -> Option<SqlFlavor> {
    let mut counts: BTreeMap<SqlFlavor, usize> = BTreeMap::new();
    for doc in docs {
        for item in &doc.items {
            if let Item::Block(b) = item {
                if let BlockLang::Sql(Some(f)) = b.lang {
                    *counts.entry(f).or_default() += 1;
                }
            }
        }
    }
    counts.into_iter().max_by_key(|(f, n)| (*n, std::cmp::Reverse(*f))).map(|(f, _)| f)
}

/// Every rule extraction can report, for documentation and SARIF.
pub fn rules() -> Vec<RuleInfo> {
    let mut all = vec![scan::UNKNOWN_MARKER];
    for set in [
        sql::RULES,
        prisma::RULES,
        dbml::RULES,
        mermaid::RULES,
        field_table::RULES,
        lists::RULES,
        sqlalchemy::RULES,
        merge::RULES,
        renames::RULES,
        hints::RULES,
        unread::RULES,
        expressions::RULES,
    ] {
        all.extend_from_slice(set);
    }
    all
}
