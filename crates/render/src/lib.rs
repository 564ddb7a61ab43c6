//! Pure renderers from the model and its diagnostics to text. Nothing here touches a database
//! or the filesystem; every function returns the finished text, ending in a newline.
//!
//! - [`human`]: diagnostics for a terminal, in the style of rustc, quoting [`Sources`].
//! - [`concise`]: diagnostics one line each, with counts per rule.
//! - [`diagnostics_json`]: diagnostics as the JSON `schemadoc check --format json` prints.
//! - [`sarif`]: diagnostics as a SARIF 2.1.0 log for code-scanning services.
//! - [`schema_json`]: a schema as the JSON `schemadoc show --format json` prints.
//! - [`export`]: the schema in other notations (Prisma, SQLAlchemy, DBML, PlantUML).
//! - [`docs`]: generated documentation, an index and a page per table.
//! - [`erd`]: entity-relationship diagrams: Mermaid `erDiagram`, Graphviz DOT (and a group overview).
//! - [`html`]: a self-contained HTML report: table browser, findings, zoomable ERD, drift.
//! - [`markdown`]: a schema as a markdown document (field tables schemadoc reads back, and an ERD).
//! - [`sync`]: the generated regions of a document, rewritten from its schema.
//! - [`sql_script`]: an engine's translation of a schema as a SQL script.

mod concise;
mod diagnostics;
mod diagnostics_json;
pub mod docs;
pub mod erd;
pub mod export;
pub mod html;
mod markdown;
mod sarif;
mod schema_json;
mod sources;
mod sql_script;
pub mod sync;

pub use concise::concise;
pub use diagnostics::{human, marker_position};
pub use diagnostics_json::diagnostics_json;
pub use erd::mermaid;
pub use markdown::markdown;
pub use sarif::sarif;
pub use schema_json::schema_json;
pub use sources::Sources;
pub use sql_script::{sql_comment, sql_script, terminated};

/// Pretty-printed JSON followed by a newline.
fn to_pretty_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing plain structs of strings, numbers, options and vectors cannot fail.
    let mut text = serde_json::to_string_pretty(value).expect("renderer JSON types always serialize");
    text.push('\n');
    text
}
