//! Exports of a schema to other notations, one file each, behind one shape: a function from the
//! schema (and, where the notation is tied to an engine, the [`Target`]) to an [`Export`]. Each
//! export reads back through schemadoc's own reader of that notation to the same model.

mod dbml;
mod names;
mod prisma;
mod sqlalchemy;

pub use dbml::dbml;
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
