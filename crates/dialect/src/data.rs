//! Writing rows: the engine-neutral cell values the `data` crate produces, and a [`DataSession`]
//! per engine that upserts them in batches. Each engine writes in its own `data.rs`.

use crate::session::{engine_of_url, DbError};
use crate::EngineKind;

/// One value to write, already converted to what its column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Float(f64),
    /// Written as `0`/`1` where the engine has no boolean type (SQLite, MySQL `TINYINT(1)`).
    Bool(bool),
    /// Text, and numbers kept exact as written (decimals).
    Text(String),
    /// A JSON document, serialized: a `json`/`jsonb` value on PostgreSQL, text elsewhere.
    Json(String),
    /// `YYYY-MM-DD HH:MM:SS[.fff]`; `utc` when the source stated its zone (the text is then in UTC).
    Timestamp {
        text: String,
        utc: bool,
    },
    /// `YYYY-MM-DD`.
    Date(String),
}

impl Cell {
    /// The value as text, to compare keys across engines (`5`, `a1b2…`); `None` for NULL.
    pub fn key_text(&self) -> Option<String> {
        Some(match self {
            Cell::Null => return None,
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => f.to_string(),
            Cell::Bool(b) => if *b { "1" } else { "0" }.to_string(),
            Cell::Text(s) | Cell::Json(s) | Cell::Date(s) => s.clone(),
            Cell::Timestamp { text, .. } => text.clone(),
        })
    }

    /// The value as a JSON literal (what PostgreSQL's `json_populate_recordset` reads).
    pub fn to_json(&self) -> String {
        match self {
            Cell::Null => "null".to_string(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) if f.is_finite() => f.to_string(),
            Cell::Float(f) => json_string(&f.to_string()),
            Cell::Bool(b) => b.to_string(),
            Cell::Json(s) => s.clone(),
            Cell::Text(s) | Cell::Date(s) => json_string(s),
            Cell::Timestamp { text, utc: true } => json_string(&format!("{text}+00:00")),
            Cell::Timestamp { text, utc: false } => json_string(text),
        }
    }
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where rows go: a table, the columns each row gives (in order), and the key an upsert matches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowTarget {
    /// The table's namespace, when not the default one.
    pub namespace: Option<String>,
    pub table: String,
    pub columns: Vec<String>,
    /// The primary key or unique columns a row replaces an existing one by; empty: plain inserts.
    pub key: Vec<String>,
}

impl RowTarget {
    /// The columns an upsert updates: those that are not part of the key.
    pub fn updated(&self) -> impl Iterator<Item = &String> {
        self.columns.iter().filter(|c| !self.key.iter().any(|k| model::name_eq(k, c)))
    }
}

/// An open database rows are written to.
pub trait DataSession: Send {
    fn kind(&self) -> EngineKind;

    /// The URL with any password replaced by `***`.
    fn url(&self) -> &str;

    /// Whether a file's rows are written in one transaction (SQLite, PostgreSQL). MySQL commits
    /// each batch instead, and a load resumes after the last batch committed.
    fn transactional(&self) -> bool;

    /// The table written to, quoted for the engine (`"orchard"."trees"`).
    fn quoted_table(&self, namespace: Option<&str>, table: &str) -> String;

    fn begin(&mut self) -> Result<(), DbError>;
    fn commit(&mut self) -> Result<(), DbError>;
    fn rollback(&mut self) -> Result<(), DbError>;

    /// Inserts `rows` (each one cell per column of `target`), replacing rows with the same key:
    /// `ON CONFLICT … DO UPDATE` (SQLite, PostgreSQL), `ON DUPLICATE KEY UPDATE` (MySQL).
    fn upsert(&mut self, target: &RowTarget, rows: &[Vec<Cell>]) -> Result<(), DbError>;

    /// Writes `rows` into a table being filled (no upsert): PostgreSQL through `COPY … FROM STDIN`,
    /// the others through multi-row inserts.
    fn insert_rows(&mut self, target: &RowTarget, rows: &[Vec<Cell>]) -> Result<(), DbError> {
        let plain = RowTarget { key: Vec::new(), ..target.clone() };
        self.upsert(&plain, rows)
    }

    /// Reads every row of `table` (`columns`, in order), handing them to `each` `batch` rows at a
    /// time; `each` returns false to stop. SQLite gives values as stored; PostgreSQL and MySQL as
    /// their text output, which the caller converts by the column's type. Returns the rows read.
    fn scan(
        &mut self,
        namespace: Option<&str>,
        table: &str,
        columns: &[String],
        batch: usize,
        each: &mut dyn FnMut(Vec<Vec<Cell>>) -> bool,
    ) -> Result<u64, DbError>;

    /// Moves the sequence behind a generated key column past the largest key the table holds
    /// (PostgreSQL `setval`); the other engines do so by themselves when keys are inserted.
    fn move_identity(&mut self, _namespace: Option<&str>, _table: &str, _column: &str) -> Result<(), DbError> {
        Ok(())
    }

    /// Which of `values` (keys as [`Cell::key_text`] spells them) `table.column` holds.
    fn present(
        &mut self,
        namespace: Option<&str>,
        table: &str,
        column: &str,
        values: &[Cell],
    ) -> Result<Vec<String>, DbError>;

    /// Runs a query that returns one integer, or no row.
    fn scalar(&mut self, sql: &str) -> Result<Option<i64>, DbError>;

    /// Runs a query that returns one text column.
    fn texts(&mut self, sql: &str) -> Result<Vec<String>, DbError>;

    /// Runs SQL that returns nothing.
    fn execute(&mut self, sql: &str) -> Result<(), DbError>;
}

/// Opens `url` to write rows.
pub fn connect_data(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    match engine_of_url(url)? {
        EngineKind::Sqlite => crate::sqlite::connect_data(url),
        EngineKind::Postgres => crate::postgres::connect_data(url),
        EngineKind::Mysql => crate::mysql::connect_data(url),
    }
}

/// Opens `url` to read rows only (`copy`'s source): a SQLite file is opened read-only and left as
/// it is; the servers are read through an ordinary session.
pub fn connect_reader(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    match engine_of_url(url)? {
        EngineKind::Sqlite => crate::sqlite::connect_reader(url),
        EngineKind::Postgres => crate::postgres::connect_data(url),
        EngineKind::Mysql => crate::mysql::connect_data(url),
    }
}

/// The table that remembers how far a batched (non-transactional) load got, per source.
pub const PROGRESS_TABLE: &str = "schemadoc_load_progress";

/// The table in a copy's target that remembers which tables are copied whole.
pub const COPY_PROGRESS_TABLE: &str = "schemadoc_copy_progress";

/// How many rows of `source` an earlier, interrupted load committed (0 when none).
pub fn progress(session: &mut dyn DataSession, source: &str) -> Result<u64, DbError> {
    session.execute(&format!(
        "CREATE TABLE IF NOT EXISTS {PROGRESS_TABLE} (source VARCHAR(255) NOT NULL PRIMARY KEY, rows_done BIGINT NOT NULL)"
    ))?;
    let engine = crate::engine(session.kind());
    let sql = format!("SELECT rows_done FROM {PROGRESS_TABLE} WHERE source = {}", engine.quote_string(source));
    Ok(session.scalar(&sql)?.map_or(0, |n| n.max(0) as u64))
}

/// Records that the first `rows` rows of `source` are committed.
pub fn record_progress(session: &mut dyn DataSession, source: &str, rows: u64) -> Result<(), DbError> {
    let target = RowTarget {
        namespace: None,
        table: PROGRESS_TABLE.to_string(),
        columns: vec!["source".into(), "rows_done".into()],
        key: vec!["source".into()],
    };
    session.upsert(&target, &[vec![Cell::Text(source.to_string()), Cell::Int(rows as i64)]])
}

/// Forgets `source`'s progress once it is loaded whole, and the table when no load is left unfinished.
pub fn clear_progress(session: &mut dyn DataSession, source: &str) -> Result<(), DbError> {
    let engine = crate::engine(session.kind());
    session.execute(&format!("DELETE FROM {PROGRESS_TABLE} WHERE source = {}", engine.quote_string(source)))?;
    if session.scalar(&format!("SELECT COUNT(*) FROM {PROGRESS_TABLE}"))? == Some(0) {
        session.execute(&format!("DROP TABLE {PROGRESS_TABLE}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_spell_as_json() {
        assert_eq!(Cell::Text("a\"b\n한".into()).to_json(), "\"a\\\"b\\n한\"");
        assert_eq!(
            Cell::Timestamp { text: "2024-01-02 03:04:05".into(), utc: true }.to_json(),
            "\"2024-01-02 03:04:05+00:00\""
        );
        assert_eq!(Cell::Json("{\"a\":1}".into()).to_json(), "{\"a\":1}");
        assert_eq!(Cell::Null.to_json(), "null");
        assert_eq!(Cell::Bool(true).key_text().as_deref(), Some("1"));
    }
}
