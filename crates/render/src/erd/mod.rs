//! Entity-relationship diagrams, one file per output notation, sharing what a diagram says about
//! keys and relationships:
//!
//! - [`mermaid`]: a Mermaid `erDiagram`.
//! - [`dot`]: a Graphviz DOT graph (tables as boxes listing their columns), which `dot` turns into
//!   SVG or PNG; [`overview`] draws the groups of a large schema and the references between them.

mod dot;
mod mermaid;

pub use dot::{dot, overview, DotOptions, Groups};

pub use mermaid::mermaid;

use model::{name_key, Column, ForeignKey, Schema, Table};
use std::collections::BTreeSet;

/// What a diagram's tables are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// By database schema when the tables live in more than one; else by document section when
    /// the diagram is large (more than [`LARGE`] tables) and the document has several sections;
    /// else not grouped.
    Auto,
    /// By database schema (namespace); tables with none are in the default one.
    Schema,
    /// By the document section (heading) each table is written in.
    Section,
    /// One picture without groups.
    None,
}

/// Above this many tables a diagram is grouped by section when [`GroupBy::Auto`] is asked for.
pub const LARGE: usize = 30;

/// The group of each table (by [`name_key`] of its qualified name) under `by`; `sections` is what
/// `extract::sections::table_sections` found in the documents.
pub fn groups(schema: &Schema, by: GroupBy, sections: &Groups) -> Groups {
    let by_schema = || -> Groups {
        schema
            .tables
            .iter()
            .map(|t| (name_key(&t.qualified_name()), t.namespace.clone().unwrap_or_else(|| "(default)".to_string())))
            .collect()
    };
    match by {
        GroupBy::None => Groups::new(),
        GroupBy::Schema => by_schema(),
        GroupBy::Section => sections.clone(),
        GroupBy::Auto => {
            let namespaces: BTreeSet<Option<&str>> = schema.tables.iter().map(|t| t.namespace.as_deref()).collect();
            let distinct_sections: BTreeSet<&String> = sections.values().collect();
            if namespaces.len() > 1 {
                by_schema()
            } else if schema.tables.len() > LARGE && distinct_sections.len() > 1 {
                sections.clone()
            } else {
                Groups::new()
            }
        }
    }
}

/// What a diagram draws for one foreign key: a line from the referencing (child) table to the
/// referenced (parent) one, with the cardinality its constraints imply.
///
/// The parent side is "exactly one" when the FK columns are `NOT NULL` and "zero or one" when one
/// is nullable; the child side is "zero or one" when the FK columns are unique (a primary key,
/// unique constraint or full unique index lies within them) and "zero or more" otherwise. Nothing
/// in a schema forces a parent to have children, so "one or more" is never drawn. The line is
/// identifying when the FK columns are part of the child's primary key.
pub(crate) struct Relationship<'a> {
    /// The referenced table, as the schema spells it when it defines it.
    pub parent: &'a str,
    pub optional: bool,
    pub unique: bool,
    pub identifying: bool,
    /// The FK columns, else the constraint name, else empty.
    pub label: String,
}

impl<'a> Relationship<'a> {
    pub fn of(child: &'a Table, fk: &'a ForeignKey, schema: &'a Schema) -> Self {
        let parent = schema.table(&fk.ref_table).map_or(fk.ref_table.as_str(), |t| t.name.as_str());
        let optional = fk.columns.iter().filter_map(|c| child.column(c)).any(|c| c.nullable);
        let unique = unique_keys(child, schema).iter().any(|key| key.iter().all(|k| contains(&fk.columns, k)));
        let identifying = !fk.columns.is_empty()
            && child.primary_key.as_ref().is_some_and(|pk| fk.columns.iter().all(|c| contains(&pk.columns, c)));
        let label = if fk.columns.is_empty() { fk.name.clone().unwrap_or_default() } else { fk.columns.join(", ") };
        Relationship { parent, optional, unique, identifying, label }
    }
}

/// The key marks of a column: `PK`, `FK`, and `UK` for a single-column unique key that is not the
/// primary key.
pub(crate) fn key_marks(table: &Table, column: &Column, schema: &Schema) -> Vec<&'static str> {
    let mut keys = Vec::new();
    if table.primary_key.as_ref().is_some_and(|pk| contains(&pk.columns, &column.name)) {
        keys.push("PK");
    }
    if table.foreign_keys.iter().any(|fk| contains(&fk.columns, &column.name)) {
        keys.push("FK");
    }
    if unique_keys(table, schema).iter().any(|k| k.len() == 1 && contains(k, &column.name)) && !keys.contains(&"PK") {
        keys.push("UK");
    }
    keys
}

fn contains(columns: &[String], name: &str) -> bool {
    let key = name_key(name);
    columns.iter().any(|c| name_key(c) == key)
}

/// The column sets that are unique in `table`: its primary key, unique constraints and unique
/// indexes over plain columns without a predicate.
fn unique_keys<'a>(table: &'a Table, schema: &'a Schema) -> Vec<Vec<String>> {
    let mut keys: Vec<Vec<String>> = Vec::new();
    if let Some(pk) = &table.primary_key {
        keys.push(pk.columns.clone());
    }
    keys.extend(table.uniques.iter().map(|u| u.columns.clone()));
    for index in schema.indexes_of(&table.qualified_name()) {
        if index.unique && index.predicate.is_none() && index.parts.iter().all(|p| p.column.is_some()) {
            keys.push(index.parts.iter().filter_map(|p| p.column.clone()).collect());
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}
