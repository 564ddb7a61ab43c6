//! Moving data into the tables a document defines: JSON files read as a stream, their fields
//! mapped to columns, values converted to the column types and checked (NOT NULL, types,
//! references within the loaded files and the database), then upserted per file in dependency
//! order through a [`dialect::DataSession`].

pub mod backup;
mod convert;
pub mod copy;
mod fields;
mod load;
mod rows;
mod source;
pub mod time;

pub use convert::convert;
pub use fields::{loose, FieldMap, TableMap};
pub use load::{load, source_id};
pub use source::{read_records, ReadStop, Record};

use serde::Serialize;
use std::path::PathBuf;

/// A failure of the tool (not a row that does not fit, which is a [`Problem`]).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Option(String),
    #[error("`{}`: {detail}", path.display())]
    NoTable { path: PathBuf, detail: String },
    #[error("cannot read `{}`: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error(transparent)]
    Db(#[from] dialect::DbError),
}

/// How to load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub fields: Vec<FieldMap>,
    pub tables: Vec<TableMap>,
    /// Write the rows that fit and leave out the others (reported), instead of writing nothing
    /// from a file with a row that does not fit.
    pub skip_bad_rows: bool,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
}

/// A row that does not fit its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The record's position in the file (0-based).
    pub index: u64,
    /// The key it is stored under, in a file keyed by id.
    pub key: Option<String>,
    /// The JSON field concerned, when one is.
    pub field: Option<String>,
    /// The column concerned (`users.email`), when one is.
    pub column: Option<String>,
    pub message: String,
    /// What to do about it, when something can be said.
    pub help: Option<String>,
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// Its rows were written (all of them, or those that fit with `skip_bad_rows`).
    Written,
    /// A row did not fit: nothing from the file was written.
    Refused,
    /// Checked only (`dry_run`).
    Checked,
    /// Reading or writing failed; nothing from the file was written (MySQL keeps the batches
    /// committed before, and a new load resumes after them).
    Failed { message: String },
}

/// The outcome of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub table: String,
    /// Records read.
    pub records: u64,
    /// Rows that fit and were (or, in a dry run, would be) written.
    pub rows: u64,
    /// How many rows did not fit.
    pub bad_rows: u64,
    /// The first problems found (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// Fields no column takes, with how many records have them.
    pub unmapped: Vec<(String, u64)>,
    /// Records skipped because an earlier, interrupted load committed them (MySQL).
    pub resumed: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// How many problems of one file are kept for the report.
pub const MAX_PROBLEMS: usize = 50;

/// The outcome of a load, file by file, in the order the files were loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadReport {
    pub files: Vec<FileReport>,
}

impl LoadReport {
    /// Whether every file was written (or checked) whole, without a row left out.
    pub fn clean(&self) -> bool {
        self.files.iter().all(|f| f.bad_rows == 0 && matches!(f.outcome, Outcome::Written | Outcome::Checked))
    }
}
