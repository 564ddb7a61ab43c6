//! Writing rows to MySQL/MariaDB: multi-row `INSERT … ON DUPLICATE KEY UPDATE` with bound
//! parameters, in the session time zone UTC so that timestamps keep their instant.

use crate::common::quote_with;
use crate::data::{Cell, DataSession, RowTarget};
use crate::session::{redact, scrub, DbError};
use crate::EngineKind;
use sqlx::mysql::{MySqlArguments, MySqlConnectOptions, MySqlConnection};
use sqlx::{AssertSqlSafe, Connection as _, Row};
use std::str::FromStr;

/// The server's limit on placeholders in one statement (65535), with a margin.
const MAX_PARAMS: usize = 60_000;
const MAX_ROWS: usize = 1_000;

pub(super) struct MysqlData {
    rt: tokio::runtime::Runtime,
    conn: MySqlConnection,
    url: String,
    secrets_of: String,
}

pub(crate) fn connect_data(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    let shown = redact(url);
    let fail = |m: String| DbError::Connect { url: shown.clone(), message: scrub(&m, url) };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let normalized = match url.split_once("://") {
        Some((_, rest)) => format!("mysql://{rest}"),
        None => return Err(DbError::Url(shown)),
    };
    let opts = MySqlConnectOptions::from_str(&normalized).map_err(|e| fail(e.to_string()))?;
    let mut conn = rt.block_on(MySqlConnection::connect_with(&opts)).map_err(|e| fail(e.to_string()))?;
    // NOTE: `TIMESTAMP` values are read in the session zone; schemadoc sends them in UTC. The
    // data crate has checked every reference already, so rows may come before the rows they
    // reference within a file (MySQL checks foreign keys row by row and cannot defer them).
    rt.block_on(sqlx::raw_sql("SET time_zone = '+00:00', foreign_key_checks = 0").execute(&mut conn))
        .map_err(|e| fail(e.to_string()))?;
    Ok(Box::new(MysqlData { rt, conn, url: shown, secrets_of: url.to_string() }))
}

fn bind<'a>(
    q: sqlx::query::Query<'a, sqlx::MySql, MySqlArguments>,
    cell: &Cell,
) -> sqlx::query::Query<'a, sqlx::MySql, MySqlArguments> {
    match cell {
        Cell::Null => q.bind(None::<i64>),
        Cell::Int(i) => q.bind(*i),
        Cell::Float(f) => q.bind(*f),
        Cell::Bool(b) => q.bind(i64::from(*b)),
        Cell::Text(s) | Cell::Json(s) | Cell::Date(s) => q.bind(s.clone()),
        Cell::Timestamp { text, .. } => q.bind(text.clone()),
    }
}

fn upsert_sql(table: &str, target: &RowTarget, rows: usize) -> String {
    let q = |n: &str| quote_with(n, '`');
    let cols: Vec<String> = target.columns.iter().map(|c| q(c)).collect();
    let one = format!("({})", vec!["?"; cols.len()].join(", "));
    let mut sql = format!("INSERT INTO {table} ({}) VALUES {}", cols.join(", "), vec![one; rows].join(", "));
    if !target.key.is_empty() {
        // NOTE: `VALUES(c)` is what both MariaDB and MySQL 8 accept (MySQL's row alias is not MariaDB's).
        let mut set: Vec<String> = target.updated().map(|c| format!("{0} = VALUES({0})", q(c))).collect();
        if set.is_empty() {
            let k = q(&target.key[0]);
            set.push(format!("{k} = {k}"));
        }
        sql.push_str(&format!(" ON DUPLICATE KEY UPDATE {}", set.join(", ")));
    }
    sql
}

/// A value read as its text output (NULL as NULL).
fn as_text(row: &sqlx::mysql::MySqlRow, i: usize) -> Cell {
    row.try_get::<Option<String>, _>(i).ok().flatten().map_or(Cell::Null, Cell::Text)
}

impl MysqlData {
    fn error(&self, what: &str, e: impl std::fmt::Display) -> DbError {
        DbError::Query {
            url: self.url.clone(),
            what: what.to_string(),
            message: scrub(&e.to_string(), &self.secrets_of),
        }
    }

    fn run(&mut self, sql: &str, what: &str) -> Result<(), DbError> {
        let done = self.rt.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut self.conn));
        done.map(|_| ()).map_err(|e| self.error(what, e))
    }
}

impl DataSession for MysqlData {
    fn kind(&self) -> EngineKind {
        EngineKind::Mysql
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn transactional(&self) -> bool {
        false
    }

    fn quoted_table(&self, _namespace: Option<&str>, table: &str) -> String {
        // NOTE: MySQL holds a document's schemas flattened into the connected database.
        quote_with(table, '`')
    }

    fn begin(&mut self) -> Result<(), DbError> {
        self.run("START TRANSACTION", "starting a transaction")
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
            let mut q = sqlx::query(AssertSqlSafe(upsert_sql(&table, target, chunk.len()))).persistent(false);
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
        let list: Vec<String> = columns.iter().map(|c| format!("CAST({} AS CHAR)", quote_with(c, '`'))).collect();
        let sql = format!("SELECT {} FROM {t}", list.join(", "));
        let width = columns.len();
        let conn = &mut self.conn;
        let read = self.rt.block_on(async move {
            let mut stream = sqlx::query(AssertSqlSafe(sql)).persistent(false).fetch(conn);
            let mut buf = Vec::with_capacity(batch);
            let mut n = 0u64;
            while let Some(row) = stream.try_next().await? {
                buf.push((0..width).map(|i| as_text(&row, i)).collect::<Vec<Cell>>());
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
        let c = quote_with(column, '`');
        let mut out = Vec::new();
        for chunk in values.chunks(MAX_ROWS) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!("SELECT CAST({c} AS CHAR) FROM {t} WHERE {c} IN ({marks})");
            let mut q = sqlx::query(AssertSqlSafe(sql)).persistent(false);
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
        let q = sqlx::query(AssertSqlSafe(sql.to_string())).persistent(false);
        let row = self.rt.block_on(q.fetch_optional(&mut self.conn));
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
