//! Writing rows to PostgreSQL: each batch is one JSON array bound as a single parameter and read by
//! `json_populate_recordset`, so the server converts every value to its column's type (timestamps,
//! booleans, `jsonb`, arrays) exactly as it reads its own input; `ON CONFLICT … DO UPDATE` upserts.

use crate::common::quote_with;
use crate::data::{Cell, DataSession, RowTarget};
use crate::session::{redact, scrub, DbError};
use crate::EngineKind;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Row};
use std::str::FromStr;

/// Rows per statement: one parameter each, kept to a few megabytes.
const MAX_ROWS: usize = 2_000;

pub(super) struct PgData {
    rt: tokio::runtime::Runtime,
    conn: PgConnection,
    url: String,
    secrets_of: String,
}

pub(crate) fn connect_data(url: &str) -> Result<Box<dyn DataSession>, DbError> {
    let shown = redact(url);
    let fail = |m: String| DbError::Connect { url: shown.clone(), message: scrub(&m, url) };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| fail(e.to_string()))?;
    let opts = PgConnectOptions::from_str(url).map_err(|e| fail(e.to_string()))?.disable_statement_logging();
    let conn = rt.block_on(opts.connect()).map_err(|e| fail(e.to_string()))?;
    Ok(Box::new(PgData { rt, conn, url: shown, secrets_of: url.to_string() }))
}

/// `[{"a":1,"b":"x"},…]`: the rows as the JSON `json_populate_recordset` reads.
fn payload(columns: &[String], rows: &[Vec<Cell>]) -> String {
    let keys: Vec<String> = columns.iter().map(|c| Cell::Text(c.clone()).to_json()).collect();
    let mut out = String::from("[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('{');
        for (j, cell) in row.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&keys[j]);
            out.push(':');
            out.push_str(&cell.to_json());
        }
        out.push('}');
    }
    out.push(']');
    out
}

/// Appends `cell` in `COPY`'s text format: `\N` for NULL, backslash escapes for the separators.
fn copy_text(out: &mut String, cell: &Cell) {
    use std::fmt::Write as _;
    let escaped = |out: &mut String, s: &str| {
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
    };
    match cell {
        Cell::Null => out.push_str("\\N"),
        Cell::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Cell::Float(f) => {
            let _ = write!(out, "{f:?}");
        }
        Cell::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Cell::Text(t) | Cell::Json(t) | Cell::Date(t) => escaped(out, t),
        Cell::Timestamp { text, utc } => {
            out.push_str(text);
            if *utc {
                out.push_str("+00");
            }
        }
    }
}

fn upsert_sql(table: &str, target: &RowTarget) -> String {
    let q = |n: &str| quote_with(n, '"');
    let cols: Vec<String> = target.columns.iter().map(|c| q(c)).collect();
    let list = cols.join(", ");
    // NOTE: OVERRIDING SYSTEM VALUE lets a row keep its own key in a GENERATED ALWAYS identity
    // column; it changes nothing for other columns.
    let mut sql = format!(
        "INSERT INTO {table} ({list}) OVERRIDING SYSTEM VALUE SELECT {list} FROM json_populate_recordset(NULL::{table}, $1::json)"
    );
    if !target.key.is_empty() {
        let key: Vec<String> = target.key.iter().map(|c| q(c)).collect();
        let set: Vec<String> = target.updated().map(|c| format!("{0} = EXCLUDED.{0}", q(c))).collect();
        if set.is_empty() {
            sql.push_str(&format!(" ON CONFLICT ({}) DO NOTHING", key.join(", ")));
        } else {
            sql.push_str(&format!(" ON CONFLICT ({}) DO UPDATE SET {}", key.join(", "), set.join(", ")));
        }
    }
    sql
}

/// A value read as its text output (NULL as NULL).
fn as_text(row: &sqlx::postgres::PgRow, i: usize) -> Cell {
    row.try_get::<Option<String>, _>(i).ok().flatten().map_or(Cell::Null, Cell::Text)
}

impl PgData {
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

impl DataSession for PgData {
    fn kind(&self) -> EngineKind {
        EngineKind::Postgres
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn transactional(&self) -> bool {
        true
    }

    fn quoted_table(&self, namespace: Option<&str>, table: &str) -> String {
        match namespace.filter(|n| !model::is_default_namespace(n)) {
            Some(ns) => format!("{}.{}", quote_with(ns, '"'), quote_with(table, '"')),
            None => quote_with(table, '"'),
        }
    }

    fn begin(&mut self) -> Result<(), DbError> {
        self.run("BEGIN; SET CONSTRAINTS ALL DEFERRED", "starting a transaction")
    }

    fn commit(&mut self) -> Result<(), DbError> {
        self.run("COMMIT", "committing")
    }

    fn rollback(&mut self) -> Result<(), DbError> {
        self.run("ROLLBACK", "rolling back")
    }

    fn upsert(&mut self, target: &RowTarget, rows: &[Vec<Cell>]) -> Result<(), DbError> {
        let table = self.quoted_table(target.namespace.as_deref(), &target.table);
        let sql = upsert_sql(&table, target);
        for chunk in rows.chunks(MAX_ROWS) {
            let q = sqlx::query(AssertSqlSafe(sql.clone())).bind(payload(&target.columns, chunk));
            let done = self.rt.block_on(q.execute(&mut self.conn));
            done.map_err(|e| self.error(&format!("writing rows to {}", target.table), e))?;
        }
        Ok(())
    }

    fn insert_rows(&mut self, target: &RowTarget, rows: &[Vec<Cell>]) -> Result<(), DbError> {
        let table = self.quoted_table(target.namespace.as_deref(), &target.table);
        let cols: Vec<String> = target.columns.iter().map(|c| quote_with(c, '"')).collect();
        let sql = format!("COPY {table} ({}) FROM STDIN", cols.join(", "));
        let mut buf = String::with_capacity(rows.len() * 64);
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    buf.push('\t');
                }
                copy_text(&mut buf, cell);
            }
            buf.push('\n');
        }
        let conn = &mut self.conn;
        let done = self.rt.block_on(async move {
            let mut copy = conn.copy_in_raw(&sql).await?;
            copy.send(buf.as_bytes()).await?;
            copy.finish().await
        });
        done.map(|_| ()).map_err(|e| self.error(&format!("copying rows into {}", target.table), e))
    }

    fn move_identity(&mut self, namespace: Option<&str>, table: &str, column: &str) -> Result<(), DbError> {
        let t = self.quoted_table(namespace, table);
        let c = quote_with(column, '"');
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence({}, {}), COALESCE(MAX({c}), 0) + 1, false) FROM {t}",
            crate::common::string_literal(&t, false),
            crate::common::string_literal(column, false)
        );
        let q = sqlx::query(AssertSqlSafe(sql)).persistent(false);
        let done = self.rt.block_on(q.fetch_optional(&mut self.conn));
        done.map(|_| ()).map_err(|e| self.error(&format!("moving the sequence of {table}.{column}"), e))
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
        let list: Vec<String> = columns.iter().map(|c| format!("{}::text", quote_with(c, '"'))).collect();
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
        let c = quote_with(column, '"');
        // The candidate keys are converted to the column's type by the server, so the lookup uses
        // the column's index.
        let sql = format!(
            "SELECT r.{c}::text FROM json_populate_recordset(NULL::{t}, $1::json) r \
             WHERE EXISTS (SELECT 1 FROM {t} x WHERE x.{c} = r.{c})"
        );
        let mut out = Vec::new();
        let columns = [column.to_string()];
        for chunk in values.chunks(MAX_ROWS) {
            let rows: Vec<Vec<Cell>> = chunk.iter().map(|v| vec![v.clone()]).collect();
            let q = sqlx::query(AssertSqlSafe(sql.clone())).bind(payload(&columns, &rows));
            let found = self.rt.block_on(q.fetch_all(&mut self.conn));
            let found = found.map_err(|e| self.error(&format!("reading keys of {table}"), e))?;
            out.extend(found.iter().filter_map(|r| r.try_get::<Option<String>, _>(0).ok().flatten()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_separators() {
        let mut out = String::new();
        for (i, cell) in
            [Cell::Text("a\tb\\c\n한".into()), Cell::Null, Cell::Bool(true), Cell::Float(0.1)].iter().enumerate()
        {
            if i > 0 {
                out.push('\t');
            }
            copy_text(&mut out, cell);
        }
        assert_eq!(out, "a\\tb\\\\c\\n한\t\\N\tt\t0.1");
    }

    #[test]
    fn rows_travel_as_one_json_array() {
        let rows = vec![vec![Cell::Int(1), Cell::Text("김".into())], vec![Cell::Int(2), Cell::Null]];
        assert_eq!(payload(&["id".into(), "name".into()], &rows), r#"[{"id":1,"name":"김"},{"id":2,"name":null}]"#);
    }
}
