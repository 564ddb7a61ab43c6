//! Live databases: connecting by URL, reading the catalog into a [`Schema`], counting what a
//! hazard affects, and applying plans. Each engine implements [`Session`] in its own folder; the
//! API is blocking (each session drives its own single-threaded runtime).

use crate::migrate::Plan;
use crate::EngineKind;
use model::Schema;
use serde::Serialize;

/// How to open a database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Refuse every change: the session is read-only at the server (PostgreSQL/MySQL read-only
    /// transactions, SQLite `mode=ro`).
    pub read_only: bool,
    /// Connection settings the document asks for (`PRAGMA journal_mode = WAL`): (name, value).
    pub settings: Vec<(String, String)>,
}

/// Which part of a database to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InspectFilter {
    /// Database schemas (namespaces) to read; empty means the default one (`public`, the current
    /// MySQL database, SQLite's `main`).
    pub schemas: Vec<String>,
    /// Only these tables (name keys); empty means all.
    pub tables: Vec<String>,
}

impl InspectFilter {
    /// Whether `table` passes the table filter.
    pub fn wants(&self, table: &str) -> bool {
        self.tables.is_empty() || self.tables.iter().any(|t| model::name_eq(t, table))
    }
}

/// What happened during an apply.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Statements executed by this apply, by index into the plan.
    pub executed: Vec<usize>,
    /// Statements found already done by an earlier, interrupted apply (MySQL), by index.
    pub resumed: Vec<usize>,
}

/// A failure of the tool or the database (not a problem in the document).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL `{0}`: expected sqlite://PATH, postgres://… or mysql://…")]
    Url(String),
    #[error("cannot connect to {url}: {message}")]
    Connect { url: String, message: String },
    #[error("{what} failed on {url}: {message}")]
    Query { url: String, what: String, message: String },
    #[error("{url} is opened read-only: schemadoc will not change it")]
    ReadOnly { url: String },
    #[error("another schemadoc apply is running on {url}; try again when it has finished")]
    Locked { url: String },
}

/// Why an apply stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Db(#[from] DbError),
    /// A statement failed. `rolled_back` says whether everything before it was undone (one
    /// transaction) or stays done (MySQL DDL, `CONCURRENTLY`), in which case `executed` lists it.
    #[error("statement {} of the plan failed ({reason}): {message}", statement + 1)]
    Statement { statement: usize, reason: String, message: String, executed: Vec<usize>, rolled_back: bool },
}

/// An open database.
pub trait Session: Send {
    fn kind(&self) -> EngineKind;

    /// The URL with any password replaced by `***`.
    fn url(&self) -> &str;

    /// The live schema, read with a bounded number of catalog queries whatever the number of tables.
    fn inspect(&mut self, filter: &InspectFilter) -> Result<Schema, DbError>;

    /// Runs a query returning one integer (a hazard's probe).
    fn count(&mut self, sql: &str) -> Result<i64, DbError>;

    /// Extensions the server can create (PostgreSQL `pg_available_extensions`); other engines have none.
    fn available_extensions(&mut self) -> Result<Vec<String>, DbError>;

    /// Applies `plan`, holding the engine's lock so two applies cannot interleave, and records it in
    /// `schemadoc_history` with `document_hash`.
    fn apply(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError>;

    /// Runs SQL as given (several statements allowed), outside any plan: for tests and fixtures.
    fn execute(&mut self, sql: &str) -> Result<(), DbError>;

    /// How many queries this session has sent, for engines that count them (benchmarks check that
    /// inspection issues a bounded number); `None` when the engine does not count.
    fn queries_issued(&self) -> Option<u64> {
        None
    }
}

/// The engine a URL names, from its scheme.
pub fn engine_of_url(url: &str) -> Result<EngineKind, DbError> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase()).unwrap_or_default();
    match scheme.as_str() {
        "sqlite" => Ok(EngineKind::Sqlite),
        "postgres" | "postgresql" => Ok(EngineKind::Postgres),
        "mysql" | "mariadb" => Ok(EngineKind::Mysql),
        _ => Err(DbError::Url(redact(url))),
    }
}

/// `url` with the password, if any, replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let Some(at) = authority.rfind('@') else { return url.to_string() };
    let (userinfo, host) = (&authority[..at], &authority[at..]);
    let user = match userinfo.split_once(':') {
        Some((user, _password)) => format!("{user}:***"),
        None => userinfo.to_string(),
    };
    // Query parameters may carry a password too (`?password=…`).
    let path = match path.split_once('?') {
        Some((p, query)) => {
            let q: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{p}?{}", q.join("&"))
        }
        None => path.to_string(),
    };
    format!("{scheme}://{user}{host}{path}")
}

/// Opens the database `url` names.
pub fn connect(url: &str, options: &ConnectOptions) -> Result<Box<dyn Session>, DbError> {
    match engine_of_url(url)? {
        EngineKind::Sqlite => crate::sqlite::connect(url, options),
        EngineKind::Postgres => crate::postgres::connect(url, options),
        EngineKind::Mysql => crate::mysql::connect(url, options),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/shop"), "postgres://app:***@db:5432/shop");
        assert_eq!(redact("mysql://root@127.0.0.1/x"), "mysql://root@127.0.0.1/x");
        assert_eq!(
            redact("postgres://u:p@h/db?sslmode=disable&password=x"),
            "postgres://u:***@h/db?sslmode=disable&password=***"
        );
        assert_eq!(redact("sqlite://data/app.db"), "sqlite://data/app.db");
        assert_eq!(redact("postgres://u:p%40ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn schemes_name_engines() {
        assert_eq!(engine_of_url("sqlite://x.db"), Ok(EngineKind::Sqlite));
        assert_eq!(engine_of_url("postgresql://h/db"), Ok(EngineKind::Postgres));
        assert_eq!(engine_of_url("mariadb://h/db"), Ok(EngineKind::Mysql));
        assert!(matches!(engine_of_url("oracle://u:pw@h"), Err(DbError::Url(u)) if !u.contains("pw")));
    }
}
