//! The whole extraction: scan every file, run each front-end, merge.

use crate::frontend::Partial;
use crate::scan::{self, BlockLang, Document, Item, SqlFlavor};
use crate::sketch::Known;
use crate::{
    boxes, catalog, dbml, expressions, field_table, hints, lists, merge, mermaid, prisma, relational, renames, sql,
    sqlalchemy, unread,
};
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
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for doc in &mut docs {
        scan::select_sections(doc, &options.sections, &options.exclude_sections);
        // What the document says will not exist is not a definition, whichever notation lists it.
        diagnostics.extend(catalog::excluded::set_aside(doc));
    }
    diagnostics.extend(docs.iter().flat_map(|d| d.diagnostics.iter().cloned()));

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
    // Catalogs last: they read only what no other notation took.
    let taken: BTreeSet<(Arc<str>, u32)> = partials.iter().flat_map(|p| p.read.iter().cloned()).collect();
    known.extend(defined_tables(&partials[partials.len() - 1..]));
    partials.push(catalog::extract(&docs, &taken, &known));
    known.extend(defined_tables(&partials));

    // What the front-ends read, so that what nobody read is reported (see `Partial::read`).
    let mut read: BTreeSet<(Arc<str>, u32)> = partials.iter().flat_map(|p| p.read.iter().cloned()).collect();
    // The loosest notations last, on what nothing else read.
    let mut sketched = Known::of(&partials);
    sketched.tables.extend(known.iter().cloned());
    let boxes = boxes::extract(&docs, &sketched, &read);
    read.extend(boxes.read.iter().cloned());
    sketched.tables.extend(defined_tables(std::slice::from_ref(&boxes)));
    partials.push(boxes);
    let relational = relational::extract(&docs, &sketched, &read);
    read.extend(relational.read.iter().cloned());
    partials.push(relational);
    let (mut schema, merge_diagnostics) = merge::merge(partials, &options.prefer);
    diagnostics.extend(merge_diagnostics);
    diagnostics.extend(renames::collect(&docs, &mut schema));
    diagnostics.extend(hints::conventional_keys(&mut schema));
    primary_keys_not_null(&mut schema);
    diagnostics.extend(hints::settle(&mut schema));
    diagnostics.extend(unread::report(&docs, &read, &schema));
    let dialect = options.dialect.or_else(|| labelled_dialect(&docs)).or(dbml.dialect);
    schema.sql_dialect = options.dialect.or_else(|| spelled_dialect(&docs)).map(SqlFlavor::model);
    diagnostics.extend(expressions::validate(&mut schema, dialect));
    diagnostics.sort_by(|a, b| (&a.span, a.rule, &a.message).cmp(&(&b.span, b.rule, &b.message)));
    diagnostics.dedup();
    Extraction { schema, diagnostics, dialect }
}

/// Makes every primary key column NOT NULL, whichever notation stated the key and whichever the
/// column: a key from a catalog row, a `**Primary Key**` paragraph or a bullet applies to columns
/// another notation defines.
// NOTE: databases make primary key columns NOT NULL themselves (PostgreSQL and MySQL silently,
// SQLite only for `INTEGER PRIMARY KEY` and `WITHOUT ROWID`), so every output must say it.
fn primary_keys_not_null(schema: &mut Schema) {
    for t in &mut schema.tables {
        let Some(pk) = &t.primary_key else { continue };
        for c in t.columns.iter_mut().filter(|c| pk.columns.iter().any(|k| model::name_eq(k, &c.name))) {
            c.nullable = false;
        }
    }
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

/// The dialect most SQL blocks are written in: by their label, else by their words.
fn spelled_dialect(docs: &[Document]) -> Option<SqlFlavor> {
    let mut counts: BTreeMap<SqlFlavor, usize> = BTreeMap::new();
    for doc in docs {
        for item in &doc.items {
            if let Item::Block(b) = item {
                if let BlockLang::Sql(flavor) = b.lang {
                    if let Some(f) = flavor.or_else(|| sql::detect_flavor(&b.content)) {
                        *counts.entry(f).or_default() += 1;
                    }
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
        catalog::RULES,
        sqlalchemy::RULES,
        relational::RULES,
        boxes::RULES,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_primary_key_from_any_notation_makes_its_columns_not_null() {
        let md = "### codes\n\n| column | type | null |\n|---|---|---|\n| code | VARCHAR(10) | YES |\n| label | TEXT | YES |\n\n\
| constraint | type | table | columns |\n|---|---|---|---|\n| pk_codes | PK | codes | code |\n\n\
### zones\n\n```sql\nCREATE TABLE zones (zone_id INT, name TEXT);\n```\n\n- zone_id (Primary Key)\n";
        let x = extract(&[SourceFile { name: "t.md".into(), text: md.into() }], &Options::default());
        let nullable = |t: &str, c: &str| x.schema.table(t).and_then(|t| t.column(c)).map(|c| c.nullable);
        assert_eq!(nullable("codes", "code"), Some(false), "a catalog's key");
        assert_eq!(nullable("codes", "label"), Some(true));
        assert_eq!(nullable("zones", "zone_id"), Some(false), "a bullet's key on a SQL table");
    }
}
