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
    fn rows_travel_as_one_json_array() {
        let rows = vec![vec![Cell::Int(1), Cell::Text("김".into())], vec![Cell::Int(2), Cell::Null]];
        assert_eq!(payload(&["id".into(), "name".into()], &rows), r#"[{"id":1,"name":"김"},{"id":2,"name":null}]"#);
    }
}
