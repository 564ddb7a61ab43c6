//! Plans: the statements that turn a live database into the document's schema, each with the
//! change that caused it and what could go wrong.

use model::Schema;
use serde::Serialize;

/// A schema as one engine can hold it: the document's schema with what the engine cannot carry
/// removed (and said in `skipped`) and what it carries with a loss said in `notes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Translated {
    pub schema: Schema,
    pub skipped: Vec<crate::Skipped>,
    pub notes: Vec<crate::Note>,
}

/// How to plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Build PostgreSQL indexes `CONCURRENTLY`, outside the transaction.
    pub online: bool,
    /// Tables that already hold rows (so adding a foreign key or CHECK validates existing data):
    /// name keys. Planners treat unknown tables as populated.
    pub empty_tables: Vec<String>,
    /// The database's time zone ([`crate::Session::time_zone`]), named in the hazards of
    /// timestamp conversions that depend on it.
    pub time_zone: Option<String>,
    /// Indexes of the live database the server does not use ([`crate::Session::invalid_indexes`]):
    /// dropped, and built again when the document has them.
    pub invalid_indexes: Vec<String>,
}

/// What could go wrong with a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// A table or column the document does not define is dropped, with whatever it holds: refused
    /// without `--allow-destructive` even when it is empty now (it may not be by the time it runs).
    Drop,
    /// Values are lost or changed: a narrowed type, a conversion.
    DataLoss,
    /// The statement fails if existing rows violate it (NOT NULL, CHECK, UNIQUE, FK, a type cast).
    MayFail,
    /// The table is rewritten (SQLite rebuild, PostgreSQL type change): time and space grow with it.
    Rewrite,
    /// Writes (or reads) to the table are blocked while it runs.
    Locks,
    /// The statement cannot run inside a transaction (`CREATE INDEX CONCURRENTLY`, MySQL DDL).
    NotTransactional,
    /// A drop and an add that look like an undeclared rename.
    LikelyRename,
}

/// A hazard and, when it can be measured, the query that counts what it affects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub message: String,
    /// A query returning one integer: how many rows or values the hazard affects
    /// (`SELECT count(*) FROM "messages" WHERE "audio_url" IS NOT NULL`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe: Option<String>,
    /// What the count means, to complete "12,345 {what}" ("non-null values in messages.audio_url").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probe_label: Option<String>,
}

impl Hazard {
    pub fn new(kind: HazardKind, message: impl Into<String>) -> Self {
        Hazard { kind, message: message.into(), probe: None, probe_label: None }
    }

    pub fn counted(mut self, probe: impl Into<String>, label: impl Into<String>) -> Self {
        self.probe = Some(probe.into());
        self.probe_label = Some(label.into());
        self
    }

    /// Whether applying needs `--allow-destructive` (data is lost, or the change can fail on data).
    pub fn is_destructive(&self) -> bool {
        matches!(self.kind, HazardKind::Drop | HazardKind::DataLoss | HazardKind::LikelyRename)
    }
}

/// One statement of a plan (read back from `plan --out` files too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PlannedStatement {
    pub sql: String,
    /// Why it is there: the change it implements (`add column users.email`).
    pub reason: String,
    pub hazards: Vec<Hazard>,
    /// False for statements that must run outside a transaction.
    pub transactional: bool,
    /// Index into the [`diff::ChangeSet`] this statement implements (kept in plan files, whose
    /// documents and database are checked unchanged, so that their steps trace back too).
    #[serde(default)]
    pub change: usize,
}

/// The statements that turn a live database into a schema, in order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Plan {
    pub statements: Vec<PlannedStatement>,
    /// What the target engine cannot carry.
    pub skipped: Vec<crate::Skipped>,
    pub notes: Vec<crate::Note>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The hazards that need `--allow-destructive`.
    pub fn destructive(&self) -> impl Iterator<Item = (&PlannedStatement, &Hazard)> {
        self.statements.iter().flat_map(|s| s.hazards.iter().filter(|h| h.is_destructive()).map(move |h| (s, h)))
    }
}
