//! Writing rows to SQLite: multi-row `INSERT … ON CONFLICT … DO UPDATE` with bound parameters,
//! booleans as 0/1, timestamps and JSON as text.

use super::apply::parse_url;
use crate::common::quote_with;
use crate::data::{Cell, DataSession, RowTarget};
use crate::session::{redact, scrub, DbError};
use crate::EngineKind;
use sqlx::sqlite::{SqliteArguments, SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Row};

/// SQLite's limit on bound parameters in one statement (32766 since 3.32), with a margin.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement: more gains nothing measurable.
const MAX_ROWS: usize = 500;

pub(super) struct SqliteData {
    rt: tokio::runtime::Runtime,
    conn: SqliteConnection,
    url: String,
}

pub(crate) fn connect_data(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    let shown = redact(url);
    let target = parse_url(url)?;
    let fail = |message: String| DbError::Connect { url: shown.clone(), message: scrub(&message, url) };
    if target.read_only {
        return Err(DbError::ReadOnly { url: shown });
    }
    let mut opts = SqliteConnectOptions::new().foreign_keys(true).create_if_missing(true);
    opts = match &target.path {
        Some(p) => opts.filename(p).journal_mode(SqliteJournalMode::Wal),
        None => opts.in_memory(true),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start a runtime: {e}")))?;
    let conn = rt.block_on(opts.connect()).map_err(|e| fail(e.to_string()))?;
    Ok(Box::new(SqliteData { rt, conn, url: shown }))
}

fn bind<'a>(
    q: sqlx::query::Query<'a, sqlx::Sqlite, SqliteArguments>,
    cell: &Cell,
) -> sqlx::query::Query<'a, sqlx::Sqlite, SqliteArguments> {
    match cell {
        Cell::Null => q.bind(None::<i64>),
        Cell::Int(i) => q.bind(*i),
        Cell::Float(f) => q.bind(*f),
        Cell::Bool(b) => q.bind(i64::from(*b)),
        Cell::Text(s) | Cell::Json(s) | Cell::Date(s) => q.bind(s.clone()),
        Cell::Timestamp { text, .. } => q.bind(text.clone()),
    }
}

/// A value as SQLite stores it: integer, real, text (a blob as text, invalid UTF-8 replaced).
fn stored(row: &sqlx::sqlite::SqliteRow, i: usize) -> Cell {
    use sqlx::{TypeInfo as _, ValueRef as _};
    let Ok(raw) = row.try_get_raw(i) else { return Cell::Null };
    if raw.is_null() {
        return Cell::Null;
    }
    let kind = raw.type_info().name().to_string();
    let cell = match kind.as_str() {
        "INTEGER" => row.try_get::<i64, _>(i).map(Cell::Int),
        "REAL" => row.try_get::<f64, _>(i).map(Cell::Float),
        "BLOB" => row.try_get::<Vec<u8>, _>(i).map(|b| Cell::Text(String::from_utf8_lossy(&b).into_owned())),
        _ => row.try_get::<String, _>(i).map(Cell::Text),
    };
    cell.unwrap_or(Cell::Null)
}

impl SqliteData {
    fn error(&self, what: &str, e: impl std::fmt::Display) -> DbError {
        DbError::Query { url: self.url.clone(), what: what.to_string(), message: e.to_string() }
    }

    fn run(&mut self, sql: &str, what: &str) -> Result<(), DbError> {
        let done = self.rt.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut self.conn));
        done.map(|_| ()).map_err(|e| self.error(what, e))
    }
}

/// `INSERT INTO t (…) VALUES (?, …), … ON CONFLICT (key) DO UPDATE SET c = excluded.c` for `rows` rows.
fn upsert_sql(table: &str, target: &RowTarget, rows: usize) -> String {
    let q = |n: &str| quote_with(n, '"');
    let cols: Vec<String> = target.columns.iter().map(|c| q(c)).collect();
    let one = format!("({})", vec!["?"; cols.len()].join(", "));
    let values = vec![one; rows].join(", ");
    let mut sql = format!("INSERT INTO {table} ({}) VALUES {values}", cols.join(", "));
    if !target.key.is_empty() {
        let key: Vec<String> = target.key.iter().map(|c| q(c)).collect();
        let set: Vec<String> = target.updated().map(|c| format!("{0} = excluded.{0}", q(c))).collect();
        if set.is_empty() {
            sql.push_str(&format!(" ON CONFLICT ({}) DO NOTHING", key.join(", ")));
        } else {
            sql.push_str(&format!(" ON CONFLICT ({}) DO UPDATE SET {}", key.join(", "), set.join(", ")));
        }
    }
    sql
}

impl DataSession for SqliteData {
    fn kind(&self) -> EngineKind {
        EngineKind::Sqlite
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn transactional(&self) -> bool {
        true
    }

    fn quoted_table(&self, _namespace: Option<&str>, table: &str) -> String {
        // NOTE: SQLite holds a document's schemas flattened into `main`.
        quote_with(table, '"')
    }

    fn begin(&mut self) -> Result<(), DbError> {
        // Foreign keys are checked at commit, so that rows may reference rows later in the file.
        self.run("BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON", "starting a transaction")
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.run("COMMIT", "committing")
    }

    fn rollback(&mut self) -> Result<(), DbError> {
        self.run("ROLLBACK", "rolling back")
    }

    fn upsert(&mut self, target: &RowTarget, rows: &[Vec<Cell>]) -> Result<(), DbError> {
        let table = self.quoted_table(target.namespace.as_deref(), &target.table);
        let per = (MAX_PARAMS / target.columns.len().max(1)).clamp(1, MAX_ROWS);
        for chunk in rows.chunks(per) {
            let sql = upsert_sql(&table, target, chunk.len());
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for row in chunk {
                for cell in row {
                    q = bind(q, cell);
                }
            }
            let done = self.rt.block_on(q.execute(&mut self.conn));
            done.map_err(|e| self.error(&format!("writing rows to {}", target.table), e))?;
        }
        Ok(())
    }

    fn scan(
        &mut self,
        namespace: Option<&str>,
        table: &str,
        columns: &[String],
        batch: usize,
        each: &mut dyn FnMut(Vec<Vec<Cell>>) -> bool,
    ) -> Result<u64, DbError> {
        use futures_util::TryStreamExt as _;
        let t = self.quoted_table(namespace, table);
        let list: Vec<String> = columns.iter().map(|c| quote_with(c, '"')).collect();
        let sql = format!("SELECT {} FROM {t}", list.join(", "));
        let width = columns.len();
        let conn = &mut self.conn;
        let read = self.rt.block_on(async move {
            let mut stream = sqlx::query(AssertSqlSafe(sql)).persistent(false).fetch(conn);
            let mut buf = Vec::with_capacity(batch);
            let mut n = 0u64;
            while let Some(row) = stream.try_next().await? {
                buf.push((0..width).map(|i| stored(&row, i)).collect::<Vec<Cell>>());
                n += 1;
                if buf.len() >= batch && !each(std::mem::take(&mut buf)) {
                    return Ok(n);
                }
            }
            if !buf.is_empty() {
                each(buf);
            }
            Ok::<u64, sqlx::Error>(n)
        });
        read.map_err(|e| self.error(&format!("reading {table}"), e))
    }

    fn present(
        &mut self,
        namespace: Option<&str>,
        table: &str,
        column: &str,
        values: &[Cell],
    ) -> Result<Vec<String>, DbError> {
        let t = self.quoted_table(namespace, table);
        let c = quote_with(column, '"');
        let mut out = Vec::new();
        for chunk in values.chunks(MAX_ROWS) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT CAST({c} AS TEXT) FROM {t} WHERE {c} IN ({marks})");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for cell in chunk {
                q = bind(q, cell);
            }
            let rows = self.rt.block_on(q.fetch_all(&mut self.conn));
            let rows = rows.map_err(|e| self.error(&format!("reading keys of {table}"), e))?;
            out.extend(rows.iter().filter_map(|r| r.try_get::<Option<String>, _>(0).ok().flatten()));
        }
        Ok(out)
    }

    fn scalar(&mut self, sql: &str) -> Result<Option<i64>, DbError> {
        let row = self.rt.block_on(sqlx::query(AssertSqlSafe(sql.to_string())).fetch_optional(&mut self.conn));
        let row = row.map_err(|e| self.error("a query", e))?;
        Ok(row.and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten()))
    }

    fn texts(&mut self, sql: &str) -> Result<Vec<String>, DbError> {
        let rows =
            self.rt.block_on(sqlx::query(AssertSqlSafe(sql.to_string())).persistent(false).fetch_all(&mut self.conn));
        let rows = rows.map_err(|e| self.error("a query", e))?;
        Ok(rows.iter().filter_map(|r| r.try_get::<Option<String>, _>(0).ok().flatten()).collect())
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.run(sql, "a statement")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upserts_update_the_columns_outside_the_key() {
        let target = RowTarget {
            namespace: None,
            table: "users".into(),
            columns: vec!["id".into(), "name".into()],
            key: vec!["id".into()],
        };
        assert_eq!(
            upsert_sql("\"users\"", &target, 2),
            "INSERT INTO \"users\" (\"id\", \"name\") VALUES (?, ?), (?, ?) ON CONFLICT (\"id\") DO UPDATE SET \"name\" = excluded.\"name\""
        );
    }
}
