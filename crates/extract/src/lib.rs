//! Reads markdown documents: scanning, one front-end per notation, and the merge of everything
//! they say into one canonical [`model::Schema`], with merge conflicts as diagnostics.

pub mod boxes;
pub mod catalog;
pub mod context;
pub mod dbml;
pub mod expressions;
pub mod field_table;
pub mod frontend;
pub mod hints;
pub mod lists;
pub mod merge;
pub mod mermaid;
mod pipeline;
pub mod prisma;
pub mod relational;
pub mod renames;
pub mod scan;
pub mod sections;
pub mod sketch;
pub mod sql;
pub mod sqlalchemy;
pub mod types;
pub mod unread;

pub use pipeline::{extract, rules, Extraction, Options, SourceFile};
