//! Exports of a schema to other notations, one file each, behind one shape: a function from the
//! schema (and, where the notation is tied to an engine, the [`Target`]) to an [`Export`]. Each
//! export reads back through schemadoc's own reader of that notation to the same model.

mod dbml;
mod names;
mod plantuml;
mod prisma;
mod sqlalchemy;

pub use dbml::dbml;
pub use plantuml::plantuml;
pub use prisma::prisma;
pub use sqlalchemy::sqlalchemy;

/// The engine an export that names one is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Postgres,
    Mysql,
    Sqlite,
}

/// An exported document, and what the notation could not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub text: String,
    /// One line per element left out or changed (`orders: index idx_x uses an expression …`).
    pub notes: Vec<String>,
}

/// `schema` without the tables it declares by name only, and without the foreign keys to them:
/// a model or table without fields is invalid in these notations, and a relation to a missing
/// one too. Each is noted.
fn stated_only(schema: &model::Schema) -> (model::Schema, Vec<String>) {
    let mut notes = Vec::new();
    let mut stated = schema.clone();
    for t in schema.tables.iter().filter(|t| t.is_declared_only()) {
        notes.push(format!("{}: its columns are not stated; left out", t.qualified_name()));
    }
    stated.tables.retain(|t| !t.is_declared_only());
    let declared = |name: &str| schema.table(name).is_some_and(model::Table::is_declared_only);
    for t in &mut stated.tables {
        let name = t.name.clone();
        t.foreign_keys.retain(|fk| {
            let keep = !declared(&fk.ref_table);
            if !keep {
                notes.push(format!("{name}: the foreign key to {} is left out with that table", fk.ref_table));
            }
            keep
        });
    }
    (stated, notes)
}
