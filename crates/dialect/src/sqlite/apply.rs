//! A live SQLite database: connecting by URL, inspecting, and applying a plan in one
//! `BEGIN IMMEDIATE` transaction with its history row.

use super::inspect::{
    interpret, Catalog, ColumnRow, ForeignKeyRow, IndexColumnRow, ObjectRow, COLUMNS_SQL, FOREIGN_KEYS_SQL,
    INDEX_COLUMNS_SQL, OBJECTS_SQL,
};
use crate::common::HISTORY_TABLE;
use crate::migrate::Plan;
use crate::session::{redact, ApplyError, ApplyReport, ConnectOptions, DbError, InspectFilter, Session};
use crate::EngineKind;
use model::{Notation, Origin, Schema};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteRow};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Row};
use std::sync::Arc;

/// Where a `sqlite:` URL points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Target {
    /// The file, or `None` for an in-memory database.
    pub path: Option<String>,
    /// `?mode=ro` asks for a read-only connection.
    pub read_only: bool,
}

/// Reads `sqlite://path`, `sqlite:path`, `sqlite::memory:` (and `sqlite://:memory:`), with an
/// optional `?mode=ro|rw|rwc`.
pub(super) fn parse_url(url: &str) -> Result<Target, DbError> {
    let bad = || DbError::Url(redact(url));
    let (scheme, rest) = url.split_once(':').ok_or_else(bad)?;
    if !scheme.eq_ignore_ascii_case("sqlite") {
        return Err(bad());
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let mut read_only = false;
    for kv in query.unwrap_or("").split('&').filter(|kv| !kv.is_empty()) {
        if let Some(("mode", mode)) = kv.split_once('=') {
            read_only = mode.eq_ignore_ascii_case("ro");
        }
    }
    if path.is_empty() {
        return Err(bad());
    }
    let path = if path == ":memory:" { None } else { Some(path.to_string()) };
    Ok(Target { path, read_only })
}

/// Whether a PRAGMA setting is safe to send as written: a name and a simple value.
fn valid_setting(name: &str, value: &str) -> bool {
    let name_ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let v = value.trim();
    let value_ok = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'));
    name_ok && value_ok
}

/// An open SQLite database.
pub(super) struct SqliteSession {
    rt: tokio::runtime::Runtime,
    conn: SqliteConnection,
    url: String,
    read_only: bool,
    /// While [`Session::lock`] holds the write transaction: whether foreign keys were on before it
    /// (they are switched off for the transaction and back on after).
    held: Option<bool>,
    /// How long a statement waits for another connection's write lock (`busy_timeout`).
    busy: std::time::Duration,
}

/// Opens the database `url` names, creating the file when missing (unless read-only).
pub(super) fn connect(url: &str, options: &ConnectOptions) -> Result<SqliteSession, DbError> {
    let shown = redact(url);
    let target = parse_url(url)?;
    let read_only = options.read_only || target.read_only;
    let fail = |message: String| DbError::Connect { url: shown.clone(), message: crate::session::scrub(&message, url) };
    let mut opts = SqliteConnectOptions::new()
        .foreign_keys(true)
        .read_only(read_only)
        .create_if_missing(!read_only)
        .busy_timeout(options.timeouts.lock);
    // NOTE: a file that does not exist yet is an empty database; reading it must not create it.
    let missing = target.path.as_deref().is_some_and(|p| !std::path::Path::new(p).exists());
    opts = match &target.path {
        Some(p) if !(read_only && missing) => opts.filename(p),
        _ => opts.in_memory(true),
    };
    // NOTE: changing the journal mode writes to the file; a read-only connection keeps the one
    // the file has.
    if !read_only && target.path.is_some() {
        opts = opts.journal_mode(SqliteJournalMode::Wal);
    }
    for (name, value) in &options.settings {
        if !valid_setting(name, value) {
            return Err(fail(format!("setting `{name} = {value}` is not a PRAGMA schemadoc can send")));
        }
        if read_only && name.eq_ignore_ascii_case("journal_mode") {
            continue;
        }
        opts = opts.pragma(name.to_ascii_lowercase(), value.trim().to_string());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(format!("cannot start a runtime: {e}")))?;
    let conn = rt.block_on(opts.connect()).map_err(|e| fail(e.to_string()))?;
    Ok(SqliteSession { rt, conn, url: shown, read_only, held: None, busy: options.timeouts.lock })
}

fn text(row: &SqliteRow, i: usize) -> String {
    row.try_get::<Option<String>, _>(i).ok().flatten().unwrap_or_default()
}

fn opt_text(row: &SqliteRow, i: usize) -> Option<String> {
    row.try_get::<Option<String>, _>(i).ok().flatten()
}

fn int(row: &SqliteRow, i: usize) -> i64 {
    row.try_get::<Option<i64>, _>(i).ok().flatten().unwrap_or(0)
}

/// Whether SQLite reported that another connection holds the write lock.
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            matches!(d.code().as_deref(), Some("5" | "6" | "261" | "517")) || d.message().contains("locked")
        }
        _ => false,
    }
}

/// Whether `sql` is exactly one statement, as SQLite's parser reads it (`sqlite3_prepare_v2`
/// reports where the first statement ends; what follows must prepare to nothing).
fn one_statement(db: std::ptr::NonNull<libsqlite3_sys::sqlite3>, sql: &str) -> Result<(), String> {
    use libsqlite3_sys as ffi;
    use std::os::raw::{c_char, c_int};
    // NOTE: SQLite stops reading at a NUL byte, sqlx does not: text after one would be unseen here.
    if sql.contains('\0') {
        return Err("the statement holds a NUL character".to_string());
    }
    let len = c_int::try_from(sql.len()).map_err(|_| "the statement is too long".to_string())?;
    let prepare = |text: *const c_char, len: c_int| -> Result<(bool, *const c_char), String> {
        let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        let mut tail: *const c_char = std::ptr::null();
        // SAFETY: `db` is the open handle sqlx locked for us; `text` points into `sql` for `len`
        // bytes; the prepared statement is finalized before returning.
        unsafe {
            let rc = ffi::sqlite3_prepare_v2(db.as_ptr(), text, len, &mut stmt, &mut tail);
            if rc != ffi::SQLITE_OK {
                let message = std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())).to_string_lossy().into_owned();
                ffi::sqlite3_finalize(stmt);
                return Err(message);
            }
            let found = !stmt.is_null();
            ffi::sqlite3_finalize(stmt);
            Ok((found, tail))
        }
    };
    let start = sql.as_ptr().cast::<c_char>();
    let (_, tail) = prepare(start, len)?;
    let used = if tail.is_null() { sql.len() } else { (tail as usize).saturating_sub(start as usize).min(sql.len()) };
    let rest = &sql[used..];
    if rest.trim().is_empty() {
        return Ok(());
    }
    let rest_len = c_int::try_from(rest.len()).unwrap_or(c_int::MAX);
    match prepare(rest.as_ptr().cast::<c_char>(), rest_len) {
        Ok((false, _)) => Ok(()),
        _ => Err(format!("refusing to run more than one statement: `{}` follows the first", rest.trim())),
    }
}

impl SqliteSession {
    fn query_error(&self, what: &str, e: impl std::fmt::Display) -> DbError {
        DbError::Query { url: self.url.clone(), what: what.to_string(), message: e.to_string() }
    }

    fn fetch(&mut self, sql: &'static str, what: &str) -> Result<Vec<SqliteRow>, DbError> {
        let rows = self.rt.block_on(sqlx::query(sql).fetch_all(&mut self.conn));
        rows.map_err(|e| self.query_error(what, e))
    }

    fn run(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.rt.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut self.conn)).map(|_| ())
    }

    /// Runs one planned statement, after SQLite's own parser has said it is exactly one: the
    /// driver would otherwise run every statement the text holds.
    fn run_one(&mut self, sql: &str) -> Result<(), String> {
        self.check_one(sql)?;
        self.run(sql).map_err(|e| e.to_string())
    }

    /// Prepares `sql` and then what follows the first statement: the rest must hold no statement.
    fn check_one(&mut self, sql: &str) -> Result<(), String> {
        let mut handle = self.rt.block_on(self.conn.lock_handle()).map_err(|e| e.to_string())?;
        one_statement(handle.as_raw_handle(), sql)
    }

    fn read_catalog(&mut self) -> Result<Catalog, DbError> {
        let objects = self
            .fetch(OBJECTS_SQL, "reading sqlite_schema")?
            .iter()
            .map(|r| ObjectRow { kind: text(r, 0), name: text(r, 1), table: text(r, 2), sql: opt_text(r, 3) })
            .collect();
        let columns = self
            .fetch(COLUMNS_SQL, "reading columns")?
            .iter()
            .map(|r| ColumnRow {
                table: text(r, 0),
                cid: int(r, 1),
                name: text(r, 2),
                declared: text(r, 3),
                not_null: int(r, 4) != 0,
                default: opt_text(r, 5),
                pk: int(r, 6),
                hidden: int(r, 7),
            })
            .collect();
        let foreign_keys = self
            .fetch(FOREIGN_KEYS_SQL, "reading foreign keys")?
            .iter()
            .map(|r| ForeignKeyRow {
                table: text(r, 0),
                id: int(r, 1),
                seq: int(r, 2),
                ref_table: text(r, 3),
                from: text(r, 4),
                to: opt_text(r, 5),
                on_update: text(r, 6),
                on_delete: text(r, 7),
            })
            .collect();
        let index_columns = self
            .fetch(INDEX_COLUMNS_SQL, "reading indexes")?
            .iter()
            .map(|r| IndexColumnRow {
                table: text(r, 0),
                index: text(r, 1),
                unique: int(r, 2) != 0,
                origin: text(r, 3),
                partial: int(r, 4) != 0,
                seqno: int(r, 5),
                cid: int(r, 6),
                column: opt_text(r, 7),
                desc: int(r, 8) != 0,
            })
            .collect();
        Ok(Catalog { objects, columns, foreign_keys, index_columns })
    }

    /// Runs `PRAGMA foreign_key_check(…)`: rows are violations, which abort the apply.
    fn foreign_key_check(&mut self, sql: &str) -> Result<(), String> {
        self.check_one(sql)?;
        let rows = self
            .rt
            .block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_string())).fetch_all(&mut self.conn))
            .map_err(|e| e.to_string())?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut per_table: std::collections::BTreeMap<(String, String), usize> = Default::default();
        for r in &rows {
            *per_table.entry((text(r, 0), text(r, 2))).or_default() += 1;
        }
        let parts: Vec<String> = per_table
            .iter()
            .map(|((table, parent), n)| format!("{n} row(s) of {table} reference missing rows of {parent}"))
            .collect();
        Err(format!("foreign key check failed: {}", parts.join("; ")))
    }

    /// Records an apply in `schemadoc_history` (inside the current transaction, if any).
    fn record(&mut self, plan: &Plan, hash: &str, outcome: &str, steps: usize) -> Result<(), sqlx::Error> {
        self.run(&format!(
            "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  \
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),\n  \
             document_hash TEXT NOT NULL,\n  statements TEXT NOT NULL,\n  outcome TEXT NOT NULL,\n  \
             steps_done INTEGER NOT NULL\n)"
        ))?;
        let statements: Vec<String> = plan.statements.iter().map(|s| format!("{};", s.sql)).collect();
        let insert =
            format!("INSERT INTO {HISTORY_TABLE} (document_hash, statements, outcome, steps_done) VALUES (?, ?, ?, ?)");
        let steps = i64::try_from(steps).unwrap_or(i64::MAX);
        self.rt
            .block_on(
                sqlx::query(AssertSqlSafe(insert))
                    .bind(hash.to_string())
                    .bind(statements.join("\n"))
                    .bind(outcome.to_string())
                    .bind(steps)
                    .execute(&mut self.conn),
            )
            .map(|_| ())
    }

    /// The transaction part of an apply: every statement, then the history row.
    fn apply_in_transaction(&mut self, plan: &Plan, hash: &str) -> Result<Vec<usize>, (usize, String, Vec<usize>)> {
        let mut executed = Vec::new();
        for (i, st) in plan.statements.iter().enumerate() {
            let is_check = st.sql.trim_start().to_ascii_lowercase().starts_with("pragma foreign_key_check");
            let result = if is_check { self.foreign_key_check(&st.sql) } else { self.run_one(&st.sql) };
            if let Err(message) = result {
                return Err((i, message, executed));
            }
            executed.push(i);
        }
        let steps = executed.len();
        self.record(plan, hash, "applied", steps).map_err(|e| {
            (plan.statements.len(), format!("recording the apply in {HISTORY_TABLE}: {e}"), executed.clone())
        })?;
        Ok(executed)
    }
}

impl Session for SqliteSession {
    // NOTE: SQLite keeps a table's SQL as written and reads defaults and checks back from that
    // text: the document's spelling already is the server's form.
    fn server_forms(&mut self, _create: &[String]) -> Result<Schema, String> {
        Ok(Schema::default())
    }

    fn kind(&self) -> EngineKind {
        EngineKind::Sqlite
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn inspect(&mut self, filter: &InspectFilter) -> Result<Schema, DbError> {
        if let Some(other) = filter.schemas.iter().find(|s| !s.eq_ignore_ascii_case("main")) {
            return Err(self.query_error("inspecting", format!("SQLite has only the schema `main`, not `{other}`")));
        }
        let catalog = self.read_catalog()?;
        let origin = Origin::new(Arc::from(self.url.as_str()), 0, 0, Notation::Sql);
        Ok(interpret(&catalog, &origin, filter))
    }

    fn count(&mut self, sql: &str) -> Result<i64, DbError> {
        let row = self.rt.block_on(sqlx::query(AssertSqlSafe(sql.to_string())).fetch_one(&mut self.conn));
        let row = row.map_err(|e| self.query_error(&format!("counting with `{sql}`"), e))?;
        row.try_get::<i64, _>(0).map_err(|e| self.query_error(&format!("counting with `{sql}`"), e))
    }

    fn limits(&self) -> Option<String> {
        Some(format!(
            "busy timeout {}: a statement waits that long for another connection's write lock (--lock-timeout)",
            crate::session::human(self.busy)
        ))
    }

    fn available_extensions(&mut self) -> Result<Vec<String>, DbError> {
        Ok(Vec::new())
    }

    fn apply(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() }.into());
        }
        self.lock()?;
        let fk_on = self.held.take().unwrap_or(false);
        let outcome = self.apply_in_lock(plan, document_hash);
        if fk_on {
            let restored = self.run("PRAGMA foreign_keys = ON");
            if let (Ok(_), Err(e)) = (&outcome, restored) {
                return Err(self.query_error("PRAGMA foreign_keys = ON", e).into());
            }
        }
        outcome
    }

    fn lock(&mut self) -> Result<(), DbError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() });
        }
        if self.held.is_some() {
            return Ok(());
        }
        // NOTE: `PRAGMA foreign_keys` is a no-op inside a transaction, so it is switched off
        // before BEGIN: dropping a rebuilt table must not cascade to (or fail on) its children.
        // Consistency is checked by the plan's `PRAGMA foreign_key_check` statements instead.
        let fk_on = self
            .rt
            .block_on(sqlx::query("PRAGMA foreign_keys").fetch_one(&mut self.conn))
            .map(|r| int(&r, 0) != 0)
            .map_err(|e| self.query_error("reading PRAGMA foreign_keys", e))?;
        if fk_on {
            self.run("PRAGMA foreign_keys = OFF").map_err(|e| self.query_error("PRAGMA foreign_keys = OFF", e))?;
        }
        // NOTE: BEGIN IMMEDIATE takes the write lock now, so a second apply waits (busy_timeout)
        // and then fails instead of interleaving; reads in between see this transaction.
        if let Err(e) = self.run("BEGIN IMMEDIATE") {
            if fk_on {
                let _ = self.run("PRAGMA foreign_keys = ON");
            }
            return Err(if is_busy(&e) {
                DbError::Locked { url: self.url.clone() }
            } else {
                self.query_error("BEGIN IMMEDIATE", e)
            });
        }
        self.held = Some(fk_on);
        Ok(())
    }

    fn unlock(&mut self) {
        if let Some(fk_on) = self.held.take() {
            let _ = self.run("ROLLBACK");
            if fk_on {
                let _ = self.run("PRAGMA foreign_keys = ON");
            }
        }
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.run(sql).map_err(|e| self.query_error("executing SQL", e))
    }
}

impl SqliteSession {
    /// Runs `plan` in the write transaction [`Session::lock`] began, then commits (or rolls back
    /// and records the failure).
    fn apply_in_lock(&mut self, plan: &Plan, hash: &str) -> Result<ApplyReport, ApplyError> {
        match self.apply_in_transaction(plan, hash) {
            Ok(executed) => match self.run("COMMIT") {
                Ok(()) => Ok(ApplyReport { executed, ..ApplyReport::default() }),
                Err(e) => {
                    let _ = self.run("ROLLBACK");
                    Err(self.query_error("COMMIT", e).into())
                }
            },
            Err((statement, message, executed)) => {
                let _ = self.run("ROLLBACK");
                let reason = plan
                    .statements
                    .get(statement)
                    .map_or_else(|| format!("recording in {HISTORY_TABLE}"), |s| s.reason.clone());
                // The failure is recorded too, in its own transaction; nothing of the plan remains.
                let _ = self.record(plan, hash, &format!("failed at statement {}: {message}", statement + 1), 0);
                Err(ApplyError::Statement { statement, reason, message, executed, rolled_back: true })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_files_or_memory() {
        let file = |p: &str| Ok(Target { path: Some(p.to_string()), read_only: false });
        assert_eq!(parse_url("sqlite://data/app.db"), file("data/app.db"));
        assert_eq!(parse_url("sqlite:///tmp/x.db"), file("/tmp/x.db"));
        assert_eq!(parse_url("sqlite:app.db"), file("app.db"));
        assert_eq!(parse_url("sqlite::memory:"), Ok(Target { path: None, read_only: false }));
        assert_eq!(parse_url("sqlite://:memory:"), Ok(Target { path: None, read_only: false }));
        assert_eq!(parse_url("sqlite://x.db?mode=ro"), Ok(Target { path: Some("x.db".into()), read_only: true }));
        assert!(parse_url("sqlite://").is_err());
        assert!(parse_url("postgres://h/db").is_err());
    }

    #[test]
    fn settings_are_checked_before_they_are_sent() {
        assert!(valid_setting("cache_size", "-20000"));
        assert!(valid_setting("synchronous", "NORMAL"));
        assert!(!valid_setting("x; DROP TABLE t", "1"));
        assert!(!valid_setting("cache_size", "1; DROP TABLE t"));
    }
}
