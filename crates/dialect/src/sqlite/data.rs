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
    /// The database file (`None`: in memory).
    path: Option<String>,
}

pub(crate) fn connect_data(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    open(url, false)
}

/// Opens the database to read rows only: nothing about the file is changed (not its journal mode),
/// and a file that does not exist is an error, not a new database.
pub(crate) fn connect_reader(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    open(url, true)
}

fn open(url: &str, read_only: bool) -> Result<Box<dyn DataSession>, DbError> {
    let shown = redact(url);
    let target = parse_url(url)?;
    let fail = |message: String| DbError::Connect { url: shown.clone(), message: scrub(&message, url) };
    if target.read_only && !read_only {
        return Err(DbError::ReadOnly { url: shown });
    }
    let mut opts = SqliteConnectOptions::new().foreign_keys(true).read_only(read_only).create_if_missing(!read_only);
    opts = match &target.path {
        Some(p) if read_only => opts.filename(p),
        Some(p) => opts.filename(p).journal_mode(SqliteJournalMode::Wal),
        None => opts.in_memory(true),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start a runtime: {e}")))?;
    let conn = rt.block_on(opts.connect()).map_err(|e| fail(e.to_string()))?;
    Ok(Box::new(SqliteData { rt, conn, url: shown, path: target.path }))
}

/// Reads every row `sql` returns through SQLite's own API on a read-only connection of its own:
/// several times faster than a driver that hands rows over one at a time, and the source is never
/// written to (not even its journal mode).
fn raw_scan(
    path: &str,
    sql: &str,
    width: usize,
    batch: usize,
    each: &mut dyn FnMut(Vec<Vec<Cell>>) -> bool,
) -> Result<u64, String> {
    use libsqlite3_sys as ffi;
    use std::ffi::{CStr, CString};
    let c_path = CString::new(path).map_err(|_| "the path holds a NUL character".to_string())?;
    let c_sql = CString::new(sql).map_err(|_| "the query holds a NUL character".to_string())?;
    let width = std::os::raw::c_int::try_from(width).map_err(|_| "too many columns".to_string())?;
    // SAFETY: `db` and `stmt` are used only between a successful open/prepare and the close/
    // finalize below; column pointers are read before the next step, for the length SQLite gives.
    unsafe {
        let mut db: *mut ffi::sqlite3 = std::ptr::null_mut();
        let message = |db: *mut ffi::sqlite3| CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy().into_owned();
        if ffi::sqlite3_open_v2(c_path.as_ptr(), &mut db, ffi::SQLITE_OPEN_READONLY, std::ptr::null()) != ffi::SQLITE_OK
        {
            let m = if db.is_null() { "cannot open".to_string() } else { message(db) };
            ffi::sqlite3_close(db);
            return Err(m);
        }
        ffi::sqlite3_busy_timeout(db, 10_000);
        let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        if ffi::sqlite3_prepare_v2(db, c_sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) != ffi::SQLITE_OK {
            let m = message(db);
            ffi::sqlite3_close(db);
            return Err(m);
        }
        let bytes = |p: *const u8, n: std::os::raw::c_int| -> String {
            if p.is_null() || n <= 0 {
                return String::new();
            }
            let slice = std::slice::from_raw_parts(p, n as usize);
            match std::str::from_utf8(slice) {
                Ok(s) => s.to_string(),
                Err(_) => String::from_utf8_lossy(slice).into_owned(),
            }
        };
        let mut rows = 0u64;
        let mut buf: Vec<Vec<Cell>> = Vec::with_capacity(batch);
        let mut outcome = Ok(());
        loop {
            match ffi::sqlite3_step(stmt) {
                ffi::SQLITE_ROW => {
                    let mut row = Vec::with_capacity(width as usize);
                    for i in 0..width {
                        row.push(match ffi::sqlite3_column_type(stmt, i) {
                            ffi::SQLITE_INTEGER => Cell::Int(ffi::sqlite3_column_int64(stmt, i)),
                            ffi::SQLITE_FLOAT => Cell::Float(ffi::sqlite3_column_double(stmt, i)),
                            ffi::SQLITE_NULL => Cell::Null,
                            ffi::SQLITE_BLOB => {
                                let p = ffi::sqlite3_column_blob(stmt, i).cast::<u8>();
                                Cell::Text(bytes(p, ffi::sqlite3_column_bytes(stmt, i)))
                            }
                            _ => {
                                let p = ffi::sqlite3_column_text(stmt, i);
                                Cell::Text(bytes(p, ffi::sqlite3_column_bytes(stmt, i)))
                            }
                        });
                    }
                    buf.push(row);
                    rows += 1;
                    if buf.len() >= batch && !each(std::mem::replace(&mut buf, Vec::with_capacity(batch))) {
                        break;
                    }
                }
                ffi::SQLITE_DONE => {
                    if !buf.is_empty() {
                        each(std::mem::take(&mut buf));
                    }
                    break;
                }
                _ => {
                    outcome = Err(message(db));
                    break;
                }
            }
        }
        ffi::sqlite3_finalize(stmt);
        ffi::sqlite3_close(db);
        outcome.map(|()| rows)
    }
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
        let t = self.quoted_table(namespace, table);
        let list: Vec<String> = columns.iter().map(|c| quote_with(c, '"')).collect();
        let sql = format!("SELECT {} FROM {t}", list.join(", "));
        let Some(path) = self.path.clone() else {
            return Err(
                self.error(&format!("reading {table}"), "an in-memory database cannot be read by another connection")
            );
        };
        raw_scan(&path, &sql, columns.len(), batch, each).map_err(|e| self.error(&format!("reading {table}"), e))
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
