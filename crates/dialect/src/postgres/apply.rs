//! A live PostgreSQL database: connecting, inspecting with a fixed number of catalog queries, and
//! applying plans in one transaction under an advisory lock, recorded in `schemadoc_history`.

use super::inspect::{
    self, Catalog, ColumnRow, ConstraintRow, EnumRow, IndexRow, RoutineRow, TableRow, TriggerRow, ViewRow,
};
use crate::migrate::Plan;
use crate::session::{redact, ApplyError, ApplyReport, ConnectOptions, DbError, InspectFilter, Session};
use crate::EngineKind;
use model::Schema;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow};
use sqlx::{AssertSqlSafe, ConnectOptions as _, Row};
use std::str::FromStr;

/// The key of the advisory lock every schemadoc apply takes (`schemadoc` in ASCII, as a number).
pub(super) const LOCK_KEY: i64 = 0x7363_6865_6d61_646f;

/// An open PostgreSQL database.
pub(crate) struct PgSession {
    runtime: tokio::runtime::Runtime,
    conn: PgConnection,
    url: String,
    /// Every secret of the URL, scrubbed from server and driver messages.
    secrets: Vec<String>,
    read_only: bool,
    /// Whether this session holds the apply lock ([`Session::lock`]).
    held: bool,
    queries: u64,
    /// The database's time zone ([`database_time_zone`]), which the session uses.
    zone: Option<String>,
    timeouts: crate::session::Timeouts,
}

/// The time zone a client that sets none gets on this database: the `TimeZone` of `ALTER ROLE …
/// IN DATABASE`, `ALTER ROLE`, `ALTER DATABASE` (in that order), else of the server's
/// configuration (readable by superusers and `pg_read_all_settings`).
// NOTE: sqlx sends `TimeZone=UTC` when it connects, so `current_setting('TimeZone')` and even
// `pg_settings.reset_val` say UTC whatever the database's zone is.
const DATABASE_TIME_ZONE: &str = "SELECT substring(cfg FROM '=(.*)$') FROM pg_db_role_setting s \
     CROSS JOIN LATERAL unnest(s.setconfig) AS cfg \
     WHERE lower(split_part(cfg, '=', 1)) = 'timezone' \
       AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database())) \
       AND s.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = current_user)) \
     ORDER BY (s.setdatabase <> 0 AND s.setrole <> 0) DESC, (s.setrole <> 0) DESC LIMIT 1";
const SERVER_TIME_ZONE: &str =
    "SELECT setting FROM pg_file_settings WHERE lower(name) = 'timezone' AND applied ORDER BY seqno DESC LIMIT 1";

/// The database's time zone, `None` when neither the catalog nor the configuration can be read.
async fn database_time_zone(conn: &mut PgConnection) -> Option<String> {
    let first = sqlx::query_scalar::<_, String>(DATABASE_TIME_ZONE).fetch_optional(&mut *conn).await;
    if let Ok(Some(zone)) = first {
        return Some(zone);
    }
    // NOTE: pg_file_settings is refused to ordinary roles; the error is not a failure here.
    sqlx::query_scalar::<_, String>(SERVER_TIME_ZONE).fetch_optional(&mut *conn).await.ok().flatten()
}

/// Opens `url`; read-only sessions have `default_transaction_read_only` on.
pub(crate) fn connect(url: &str, options: &ConnectOptions) -> Result<Box<dyn Session>, DbError> {
    let shown = redact(url);
    let secrets = crate::session::secrets(url);
    let scrub = |m: String| crate::session::scrub(&m, url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| DbError::Connect { url: shown.clone(), message: e.to_string() })?;
    let opts = PgConnectOptions::from_str(url)
        .map_err(|e| DbError::Connect { url: shown.clone(), message: scrub(e.to_string()) })?
        .disable_statement_logging();
    let mut conn = runtime
        .block_on(opts.connect())
        .map_err(|e| DbError::Connect { url: shown.clone(), message: scrub(e.to_string()) })?;
    // Conversions between timestamps with and without time zone use the database's zone, as a
    // client that sets none would, rather than the driver's UTC.
    let zone = runtime.block_on(database_time_zone(&mut conn));
    if let Some(z) = &zone {
        let set = format!("SET TimeZone = {}", crate::common::string_literal(z, false));
        runtime
            .block_on(sqlx::raw_sql(AssertSqlSafe(set)).execute(&mut conn))
            .map_err(|e| DbError::Connect { url: shown.clone(), message: scrub(e.to_string()) })?;
    }
    if options.read_only {
        runtime
            .block_on(sqlx::raw_sql("SET default_transaction_read_only = on").execute(&mut conn))
            .map_err(|e| DbError::Connect { url: shown.clone(), message: scrub(e.to_string()) })?;
    }
    Ok(Box::new(PgSession {
        runtime,
        conn,
        url: shown,
        secrets,
        read_only: options.read_only,
        held: false,
        queries: 0,
        zone,
        timeouts: options.timeouts,
    }))
}

/// The extensions a plan creates (`CREATE EXTENSION IF NOT EXISTS "x"`).
pub(super) fn plan_extensions(plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .statements
        .iter()
        .filter_map(|s| s.sql.strip_prefix("CREATE EXTENSION IF NOT EXISTS "))
        .map(super::types::unquote_ident)
        .collect();
    out.sort();
    out.dedup();
    out
}

impl PgSession {
    fn scrub(&self, m: String) -> String {
        self.secrets.iter().fold(m, |m, secret| m.replace(secret.as_str(), "***"))
    }

    fn query_error(&self, what: &str, e: sqlx::Error) -> DbError {
        DbError::Query { url: self.url.clone(), what: what.to_string(), message: self.scrub(db_message(&e)) }
    }

    fn rows(&mut self, what: &str, sql: &str, schemas: &[String]) -> Result<Vec<PgRow>, DbError> {
        self.queries += 1;
        let query = sqlx::query(AssertSqlSafe(sql.to_string())).bind(schemas.to_vec());
        let result = self.runtime.block_on(query.fetch_all(&mut self.conn));
        result.map_err(|e| self.query_error(what, e))
    }

    fn run(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.runtime.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_string())).execute(&mut self.conn)).map(|_| ())
    }

    /// Runs one planned statement through the extended protocol, where the server refuses a
    /// string that holds more than one statement ("cannot insert multiple commands into a prepared
    /// statement"), so that text a document supplied can never smuggle in a second one.
    fn run_one(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        self.queries += 1;
        let query = sqlx::query(AssertSqlSafe(sql.to_string())).persistent(false);
        self.runtime.block_on(query.execute(&mut self.conn)).map(|_| ())
    }

    fn catalog(&mut self, schemas: &[String]) -> Result<Catalog, DbError> {
        let get = |what: &str, e: sqlx::Error| DbError::Query {
            url: String::new(),
            what: format!("reading {what}"),
            message: e.to_string(),
        };
        let mut c = Catalog::default();
        for r in self.rows("reading tables", inspect::TABLES, schemas)? {
            c.tables.push(TableRow {
                schema: r.try_get(0).map_err(|e| get("tables", e))?,
                name: r.try_get(1).map_err(|e| get("tables", e))?,
                comment: r.try_get(2).map_err(|e| get("tables", e))?,
            });
        }
        for r in self.rows("reading columns", inspect::COLUMNS, schemas)? {
            let g = |e| get("columns", e);
            c.columns.push(ColumnRow {
                schema: r.try_get(0).map_err(g)?,
                table: r.try_get(1).map_err(g)?,
                name: r.try_get(2).map_err(g)?,
                type_sql: r.try_get(3).map_err(g)?,
                not_null: r.try_get(4).map_err(g)?,
                default: r.try_get(5).map_err(g)?,
                identity: r.try_get(6).map_err(g)?,
                generated: r.try_get(7).map_err(g)?,
                owns_sequence: r.try_get(8).map_err(g)?,
                comment: r.try_get(9).map_err(g)?,
            });
        }
        for r in self.rows("reading constraints", inspect::CONSTRAINTS, schemas)? {
            let g = |e| get("constraints", e);
            c.constraints.push(ConstraintRow {
                schema: r.try_get(0).map_err(g)?,
                table: r.try_get(1).map_err(g)?,
                name: r.try_get(2).map_err(g)?,
                kind: r.try_get(3).map_err(g)?,
                columns: r.try_get(4).map_err(g)?,
                check: r.try_get(5).map_err(g)?,
                ref_table: r.try_get(6).map_err(g)?,
                ref_columns: r.try_get(7).map_err(g)?,
                on_delete: r.try_get(8).map_err(g)?,
                on_update: r.try_get(9).map_err(g)?,
            });
        }
        for r in self.rows("reading indexes", inspect::INDEXES, schemas)? {
            let g = |e| get("indexes", e);
            c.indexes.push(IndexRow {
                schema: r.try_get(0).map_err(g)?,
                table: r.try_get(1).map_err(g)?,
                name: r.try_get(2).map_err(g)?,
                unique: r.try_get(3).map_err(g)?,
                constraint: r.try_get(4).map_err(g)?,
                method: r.try_get(5).map_err(g)?,
                key_count: r.try_get(6).map_err(g)?,
                keys: r.try_get(7).map_err(g)?,
                defs: r.try_get(8).map_err(g)?,
                options: r.try_get(9).map_err(g)?,
                opclasses: r.try_get(10).map_err(g)?,
                predicate: r.try_get(11).map_err(g)?,
            });
        }
        for r in self.rows("reading enums", inspect::ENUMS, schemas)? {
            let g = |e| get("enums", e);
            c.enums.push(EnumRow {
                schema: r.try_get(0).map_err(g)?,
                name: r.try_get(1).map_err(g)?,
                values: r.try_get(2).map_err(g)?,
            });
        }
        self.queries += 1;
        let ext = self.runtime.block_on(sqlx::query(inspect::EXTENSIONS).fetch_all(&mut self.conn));
        for r in ext.map_err(|e| self.query_error("reading extensions", e))? {
            c.extensions.push(r.try_get(0).map_err(|e| get("extensions", e))?);
        }
        for r in self.rows("reading views", &inspect::views_query(), schemas)? {
            let g = |e| get("views", e);
            c.views.push(ViewRow {
                schema: r.try_get(0).map_err(g)?,
                name: r.try_get(1).map_err(g)?,
                definition: r.try_get(2).map_err(g)?,
                md5: r.try_get(3).map_err(g)?,
                materialized: r.try_get(4).map_err(g)?,
                comment: r.try_get(5).map_err(g)?,
            });
        }
        for r in self.rows("reading functions", &inspect::routines_query(), schemas)? {
            let g = |e| get("functions", e);
            c.routines.push(RoutineRow {
                schema: r.try_get(0).map_err(g)?,
                name: r.try_get(1).map_err(g)?,
                definition: r.try_get(2).map_err(g)?,
                language: r.try_get(3).map_err(g)?,
                kind: r.try_get(4).map_err(g)?,
            });
        }
        for r in self.rows("reading triggers", inspect::TRIGGERS, schemas)? {
            let g = |e| get("triggers", e);
            c.triggers.push(TriggerRow {
                schema: r.try_get(0).map_err(g)?,
                table: r.try_get(1).map_err(g)?,
                name: r.try_get(2).map_err(g)?,
                definition: r.try_get(3).map_err(g)?,
                function: r.try_get(4).map_err(g)?,
            });
        }
        Ok(c)
    }

    /// Says how the statements after the transaction ended, on the apply's row (the latest one),
    /// so that an apply stays one row of `schemadoc_history`.
    fn record_after(&mut self, outcome: &str, steps: usize) -> Result<(), sqlx::Error> {
        let update = sqlx::query(
            "UPDATE schemadoc_history SET outcome = $1, steps_done = $2 \
             WHERE id = (SELECT max(id) FROM schemadoc_history)",
        )
        .bind(outcome.to_string())
        .bind(i32::try_from(steps).unwrap_or(i32::MAX));
        self.runtime.block_on(update.execute(&mut self.conn)).map(|_| ())
    }

    /// Records an apply in `schemadoc_history` (created when missing), on the current connection.
    fn record(&mut self, hash: &str, plan: &Plan, outcome: &str, steps: usize) -> Result<(), sqlx::Error> {
        let statements: Vec<&str> = plan.statements.iter().map(|s| s.sql.as_str()).collect();
        self.run(HISTORY_DDL)?;
        let insert = sqlx::query(
            "INSERT INTO schemadoc_history (document_hash, statements, outcome, steps_done) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash.to_string())
        .bind(statements.join(";\n"))
        .bind(outcome.to_string())
        .bind(i32::try_from(steps).unwrap_or(i32::MAX));
        self.runtime.block_on(insert.execute(&mut self.conn)).map(|_| ())
    }

    /// Runs the plan's transactional statements in one transaction, left open on success; on a
    /// failure it is rolled back and the failing statement's index and error are returned.
    fn transaction(&mut self, plan: &Plan) -> Result<Vec<usize>, (Option<usize>, sqlx::Error)> {
        self.run("BEGIN").map_err(|e| (None, e))?;
        let mut executed = Vec::new();
        for (i, st) in plan.statements.iter().enumerate().filter(|(_, s)| s.transactional) {
            if let Err(e) = self.run_one(&st.sql) {
                let _ = self.run("ROLLBACK");
                return Err((Some(i), e));
            }
            executed.push(i);
        }
        Ok(executed)
    }

    /// The line said when statement `i` met a lock timeout and is tried again.
    fn retry_line(&self, plan: &Plan, i: usize, attempt: u32, what: &str) -> String {
        let t = self.timeouts;
        format!(
            "statement {} ({}) waited {} for a lock and gave up; {what} again in {} (attempt {} of {})",
            i + 1,
            plan.statements[i].reason,
            crate::session::human(t.lock),
            crate::session::human(t.backoff(attempt)),
            attempt + 1,
            t.attempts
        )
    }

    fn apply_locked(&mut self, plan: &Plan, hash: &str) -> Result<ApplyReport, ApplyError> {
        // NOTE: session settings (not SET LOCAL) so that they hold for the statements after the
        // transaction too; they are reset when the apply ends.
        let t = self.timeouts;
        let statement_ms = t.statement.map_or(0, |d| d.as_millis());
        let set = format!("SET lock_timeout = '{}ms'", t.lock.as_millis().max(1));
        self.run(&set).map_err(|e| self.query_error("setting lock_timeout", e))?;
        let set = format!("SET statement_timeout = '{statement_ms}ms'");
        self.run(&set).map_err(|e| self.query_error("setting statement_timeout", e))?;
        let result = self.apply_limited(plan, hash);
        let _ = self.run("RESET lock_timeout");
        let _ = self.run("RESET statement_timeout");
        result
    }

    fn apply_limited(&mut self, plan: &Plan, hash: &str) -> Result<ApplyReport, ApplyError> {
        let url = self.url.clone();
        let mut report = ApplyReport::default();
        let mut attempt = 1;
        report.executed = loop {
            match self.transaction(plan) {
                Ok(executed) => break executed,
                Err((Some(i), e)) if is_lock_timeout(&e) && attempt < self.timeouts.attempts => {
                    report.retries.push(self.retry_line(plan, i, attempt, "the transaction is rolled back and tried"));
                    std::thread::sleep(self.timeouts.backoff(attempt));
                    attempt += 1;
                }
                Err((None, e)) => return Err(self.query_error("starting the transaction", e).into()),
                Err((Some(i), e)) => {
                    let message = self.failure(&e, attempt);
                    let _ = self.record(hash, plan, &format!("failed at statement {}: {message}", i + 1), 0);
                    return Err(ApplyError::Statement {
                        statement: i,
                        reason: plan.statements[i].reason.clone(),
                        message,
                        executed: Vec::new(),
                        rolled_back: true,
                    });
                }
            }
        };
        let pending = plan.statements.iter().filter(|s| !s.transactional).count();
        let outcome = if pending == 0 {
            "applied".to_string()
        } else {
            format!("committed; {pending} statements follow outside the transaction")
        };
        if let Err(e) = self.record(hash, plan, &outcome, report.executed.len()) {
            let _ = self.run("ROLLBACK");
            return Err(self.query_error("recording the apply in schemadoc_history", e).into());
        }
        if let Err(e) = self.run("COMMIT") {
            return Err(DbError::Query { url, what: "committing".into(), message: self.scrub(db_message(&e)) }.into());
        }
        // Each statement outside the transaction (CONCURRENTLY, VALIDATE) commits on its own and
        // is tried again on its own after a lock timeout.
        for (i, st) in plan.statements.iter().enumerate().filter(|(_, s)| !s.transactional) {
            let mut attempt = 1;
            let result = loop {
                match self.run_one(&st.sql) {
                    Err(e) if is_lock_timeout(&e) && attempt < self.timeouts.attempts => {
                        report.retries.push(self.retry_line(plan, i, attempt, "tried"));
                        std::thread::sleep(self.timeouts.backoff(attempt));
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            if let Err(e) = result {
                let message = self.failure(&e, attempt);
                let done = report.executed.len();
                let _ = self
                    .record_after(&format!("failed at statement {} (outside the transaction): {message}", i + 1), done);
                return Err(ApplyError::Statement {
                    statement: i,
                    reason: st.reason.clone(),
                    message,
                    executed: report.executed,
                    rolled_back: false,
                });
            }
            report.executed.push(i);
        }
        if pending > 0 {
            let done = report.executed.len();
            let _ = self.record_after("applied", done);
        }
        Ok(report)
    }

    /// The message for a statement that failed after `attempts` tries.
    fn failure(&self, e: &sqlx::Error, attempts: u32) -> String {
        let message = self.scrub(db_message(e));
        if is_lock_timeout(e) {
            format!(
                "{message} (waited {} for a lock, {attempts} time(s)); another session holds it: try again later, \
                 or raise --lock-timeout",
                crate::session::human(self.timeouts.lock)
            )
        } else if is_statement_timeout(e) {
            format!("{message} (over the statement timeout); raise --statement-timeout, or 0 for none")
        } else {
            message
        }
    }
}

/// Whether `e` is PostgreSQL giving up waiting for a lock (`lock_timeout`: SQLSTATE 55P03).
fn is_lock_timeout(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("55P03"))
}

/// Whether `e` is a statement cancelled by `statement_timeout` (SQLSTATE 57014).
fn is_statement_timeout(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("57014"))
}

/// Where [`Session::server_forms`] builds a document: a schema that exists only inside a
/// transaction that is rolled back.
const SCRATCH_SCHEMA: &str = "schemadoc_scratch";

/// `schemadoc_history`: one row per apply.
const HISTORY_DDL: &str = "CREATE TABLE IF NOT EXISTS schemadoc_history (
  id bigserial PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now(),
  document_hash text NOT NULL,
  statements text NOT NULL,
  outcome text NOT NULL,
  steps_done integer NOT NULL
)";

/// The server's message with its detail and hint (`out of shared memory; hint: You might need to
/// increase max_locks_per_transaction.`) rather than sqlx's wrapping: the hint is often the fix.
fn db_message(e: &sqlx::Error) -> String {
    let sqlx::Error::Database(db) = e else { return e.to_string() };
    let mut message = db.message().to_string();
    if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        if let Some(detail) = pg.detail() {
            message.push_str("; ");
            message.push_str(detail);
        }
        if let Some(hint) = pg.hint() {
            message.push_str("; hint: ");
            message.push_str(hint);
        }
    }
    message
}

impl Session for PgSession {
    fn kind(&self) -> EngineKind {
        EngineKind::Postgres
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn inspect(&mut self, filter: &InspectFilter) -> Result<Schema, DbError> {
        let schemas = if filter.schemas.is_empty() { vec!["public".to_string()] } else { filter.schemas.clone() };
        // NOTE: one REPEATABLE READ transaction gives every catalog query the same snapshot.
        let begin = self.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        begin.map_err(|e| self.query_error("starting the inspection", e))?;
        let catalog = self.catalog(&schemas);
        let _ = self.run("COMMIT");
        let url = self.url.clone();
        let catalog = catalog.map_err(|e| match e {
            DbError::Query { url: u, what, message } if u.is_empty() => {
                DbError::Query { url: url.clone(), what, message }
            }
            other => other,
        })?;
        Ok(inspect::interpret(&catalog, filter, &self.url))
    }

    fn server_forms(&mut self, create: &[String]) -> Result<Schema, String> {
        // NOTE: PostgreSQL DDL is transactional: everything built here vanishes with the
        // ROLLBACK. Statements that would end the transaction or act beyond it are not run, and a
        // materialized view (whose query runs when it is created) is left to the spelling rules.
        let unsafe_here = |sql: &str| {
            let first = sql.split_whitespace().next().unwrap_or_default().to_ascii_uppercase();
            matches!(
                first.as_str(),
                "BEGIN"
                    | "COMMIT"
                    | "END"
                    | "ROLLBACK"
                    | "ABORT"
                    | "SAVEPOINT"
                    | "RELEASE"
                    | "PREPARE"
                    | "CALL"
                    | "DO"
                    | "VACUUM"
                    | "COPY"
                    | "INSERT"
                    | "UPDATE"
                    | "DELETE"
                    | "SET"
                    | "RESET"
                    | "LOCK"
                    | "GRANT"
                    | "REVOKE"
            ) || sql.to_ascii_uppercase().contains("MATERIALIZED VIEW")
                || sql.to_ascii_uppercase().starts_with("CREATE EXTENSION")
                || sql.to_ascii_uppercase().contains("CONCURRENTLY")
        };
        self.run("BEGIN READ WRITE").map_err(|e| db_message(&e))?;
        let mut built = || -> Result<(), sqlx::Error> {
            self.run_one(&format!("CREATE SCHEMA {SCRATCH_SCHEMA}"))?;
            self.run_one(&format!("SET LOCAL search_path TO {SCRATCH_SCHEMA}, public"))?;
            self.run_one("SET LOCAL statement_timeout = '10s'")?;
            for sql in create.iter().filter(|s| !unsafe_here(s)) {
                self.run_one(sql)?;
            }
            Ok(())
        };
        let result = built().map_err(|e| db_message(&e));
        let catalog = match result {
            Ok(()) => self.catalog(&[SCRATCH_SCHEMA.to_string()]).map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let _ = self.run("ROLLBACK");
        let catalog = catalog.map_err(|e| self.scrub(e))?;
        let filter = InspectFilter { schemas: vec![SCRATCH_SCHEMA.to_string()], tables: Vec::new() };
        let mut schema = inspect::interpret(&catalog, &filter, "scratch");
        for t in &mut schema.tables {
            t.namespace = None;
        }
        for v in &mut schema.views {
            if let Some(at) = v.sql.find(super::normalize::FINGERPRINT_MARK) {
                v.sql.truncate(at);
                v.sql.truncate(v.sql.trim_end().len());
            }
        }
        Ok(schema)
    }

    fn count(&mut self, sql: &str) -> Result<i64, DbError> {
        self.queries += 1;
        // NOTE: a transaction that starts READ ONLY stays so: once the query has taken its
        // snapshot, neither `SET TRANSACTION READ WRITE` nor `set_config('transaction_read_only',
        // …)` in an expression can lift it (a session setting could be switched off by one), and
        // it is rolled back, so what PostgreSQL lets through (`lo_create`) does not stay.
        let begin = self.run("BEGIN READ ONLY");
        begin.map_err(|e| self.query_error("starting a read-only transaction", e))?;
        // NOTE: count(*) is bigint but a sum is numeric: the scalar subquery is cast to one type.
        let query = sqlx::query(AssertSqlSafe(format!("SELECT ({})::bigint", sql.trim().trim_end_matches(';'))));
        let row = self.runtime.block_on(query.fetch_one(&mut self.conn));
        let _ = self.run("ROLLBACK");
        let row = row.map_err(|e| self.query_error("counting", e))?;
        row.try_get::<Option<i64>, _>(0).map(|n| n.unwrap_or(0)).map_err(|e| self.query_error("counting", e))
    }

    fn unsafe_to_count(&mut self, sql: &str) -> Result<Option<String>, DbError> {
        let names = crate::common::called_functions(sql);
        if names.is_empty() {
            return Ok(None);
        }
        self.queries += 1;
        // NOTE: `provolatile` 'v' (volatile) functions may write (`lo_create`), wait (`pg_sleep`)
        // or change settings (`set_config`); immutable and stable ones only read.
        let query = sqlx::query(
            "SELECT string_agg(DISTINCT proname, ', ' ORDER BY proname) FROM pg_proc \
             WHERE lower(proname) = ANY($1) AND provolatile NOT IN ('i', 's')",
        )
        .bind(names);
        let row = self.runtime.block_on(query.fetch_one(&mut self.conn));
        let row = row.map_err(|e| self.query_error("reading function volatility", e))?;
        let volatile: Option<String> =
            row.try_get(0).map_err(|e| self.query_error("reading function volatility", e))?;
        Ok(volatile.map(|v| format!("it calls {v}, which may have side effects (not immutable or stable)")))
    }

    fn time_zone(&mut self) -> Result<Option<String>, DbError> {
        Ok(self.zone.clone())
    }

    fn limits(&self) -> Option<String> {
        Some(self.timeouts.describe())
    }

    fn invalid_indexes(&mut self, filter: &InspectFilter) -> Result<Vec<String>, DbError> {
        let schemas = if filter.schemas.is_empty() { vec!["public".to_string()] } else { filter.schemas.clone() };
        let rows = self.rows("reading invalid indexes", inspect::INVALID_INDEXES, &schemas)?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(|e| self.query_error("reading invalid indexes", e)))
            .collect()
    }

    fn available_extensions(&mut self) -> Result<Vec<String>, DbError> {
        self.queries += 1;
        let rows = self.runtime.block_on(sqlx::query(inspect::AVAILABLE_EXTENSIONS).fetch_all(&mut self.conn));
        let rows = rows.map_err(|e| self.query_error("listing available extensions", e))?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(|e| self.query_error("listing available extensions", e)))
            .collect()
    }

    fn apply(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() }.into());
        }
        // Refuse before any change when the server lacks an extension the plan creates.
        let needed = plan_extensions(plan);
        if !needed.is_empty() {
            let available = self.available_extensions()?;
            let missing: Vec<&String> = needed.iter().filter(|n| !available.iter().any(|a| a == *n)).collect();
            if !missing.is_empty() {
                let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
                return Err(DbError::Query {
                    url: self.url.clone(),
                    what: "checking extensions".into(),
                    message: format!(
                        "the schema needs extension {} which this server does not have (install it, e.g. pgvector for \
                         `vector`); nothing was changed",
                        names.join(", ")
                    ),
                }
                .into());
            }
        }
        self.lock()?;
        let result = self.apply_locked(plan, document_hash);
        self.unlock();
        result
    }

    fn lock(&mut self) -> Result<(), DbError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() });
        }
        if self.held {
            return Ok(());
        }
        let locked = self
            .runtime
            .block_on(sqlx::query("SELECT pg_try_advisory_lock($1)").bind(LOCK_KEY).fetch_one(&mut self.conn));
        let locked: bool =
            locked.and_then(|r| r.try_get(0)).map_err(|e| self.query_error("taking the apply lock", e))?;
        if !locked {
            return Err(DbError::Locked { url: self.url.clone() });
        }
        self.held = true;
        Ok(())
    }

    fn unlock(&mut self) {
        if self.held {
            let _ = self
                .runtime
                .block_on(sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK_KEY).execute(&mut self.conn));
            self.held = false;
        }
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        self.queries += 1;
        self.run(sql).map_err(|e| self.query_error("executing SQL", e))
    }

    fn queries_issued(&self) -> Option<u64> {
        Some(self.queries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrate::PlannedStatement;

    #[test]
    fn a_plan_names_the_extensions_it_creates() {
        let st = |sql: &str| PlannedStatement {
            sql: sql.into(),
            reason: String::new(),
            hazards: vec![],
            transactional: true,
            change: 0,
        };
        let plan = Plan {
            statements: vec![
                st("CREATE EXTENSION IF NOT EXISTS \"vector\""),
                st("CREATE TABLE t ()"),
                st("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\""),
            ],
            ..Plan::default()
        };
        assert_eq!(plan_extensions(&plan), ["uuid-ossp", "vector"]);
    }
}
