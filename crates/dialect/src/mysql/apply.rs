//! A live MySQL/MariaDB session: connecting (optionally read-only), inspecting, counting, and
//! applying plans step by step under `GET_LOCK`, each completed step recorded in
//! `schemadoc_history` so that a failed apply says what ran and the next one resumes after it.

use super::inspect;
use crate::common::HISTORY_TABLE;
use crate::session::{redact, scrub, ApplyError, ApplyReport, ConnectOptions, DbError, InspectFilter, Session};
use crate::{EngineKind, Plan};
use model::Schema;
use sqlx::{Connection, MySqlConnection, Row};
use std::str::FromStr;
use std::time::Duration;

/// Built-in functions that act beyond their result (wait, lock, read files, advance sequences):
/// a hazard's probe that calls one is not run.
const SIDE_EFFECT_FUNCTIONS: &[&str] = &[
    "sleep",
    "benchmark",
    "get_lock",
    "release_lock",
    "release_all_locks",
    "load_file",
    "nextval",
    "setval",
    "master_pos_wait",
    "source_pos_wait",
    "wait_for_executed_gtid_set",
    "uuid_short",
];

/// How long an apply waits for another one to finish before giving up.
const LOCK_WAIT_SECONDS: u32 = 3;

/// An open MySQL or MariaDB database.
pub(crate) struct MysqlSession {
    runtime: tokio::runtime::Runtime,
    conn: MySqlConnection,
    url: String,
    /// Every secret of the URL, scrubbed from server and driver messages.
    secrets: Vec<String>,
    read_only: bool,
    /// Whether this session holds the apply lock ([`Session::lock`]).
    held: bool,
    /// Queries sent so far.
    queries: u64,
    timeouts: crate::session::Timeouts,
    /// Applies found `running` when the lock was taken, and closed as interrupted.
    interrupted: i64,
}

/// Opens the database `url` names (`mysql://` or `mariadb://`).
pub(crate) fn connect(url: &str, options: &ConnectOptions) -> Result<Box<dyn Session>, DbError> {
    let shown = redact(url);
    let connect_error = |message: String| DbError::Connect { url: shown.clone(), message: scrub(&message, url) };
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| connect_error(e.to_string()))?;
    let normalized = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mariadb") || scheme.eq_ignore_ascii_case("mysql") => {
            format!("mysql://{rest}")
        }
        _ => return Err(DbError::Url(shown)),
    };
    // NOTE: sqlx sets the session's time zone to UTC by default; conversions between DATETIME and
    // TIMESTAMP must use the server's, as any other client would.
    let opts = sqlx::mysql::MySqlConnectOptions::from_str(&normalized)
        .map_err(|e| connect_error(e.to_string()))?
        .timezone(None);
    let mut conn = runtime.block_on(MySqlConnection::connect_with(&opts)).map_err(|e| connect_error(e.to_string()))?;
    if options.read_only {
        // NOTE: a read-only session makes the server refuse any write, whatever schemadoc sends.
        runtime
            .block_on(sqlx::raw_sql("SET SESSION TRANSACTION READ ONLY").execute(&mut conn))
            .map_err(|e| connect_error(e.to_string()))?;
    }
    let secrets = crate::session::secrets(url);
    Ok(Box::new(MysqlSession {
        runtime,
        conn,
        url: shown,
        secrets,
        read_only: options.read_only,
        held: false,
        queries: 0,
        timeouts: options.timeouts,
        interrupted: 0,
    }))
}

/// MySQL's lock timeouts are whole seconds, at least one.
fn lock_seconds(d: Duration) -> u64 {
    d.as_secs_f64().ceil().max(1.0) as u64
}

/// A short stable hash (FNV-1a, 64 bits) of a plan's statements: which plan a history row is about.
pub(super) fn plan_hash(plan: &Plan) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for s in &plan.statements {
        for b in s.sql.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Whether `sql` is one MySQL statement: no `;` outside strings, quoted names, comments and
/// `BEGIN … END` (or `IF`/`CASE`/`LOOP`/`WHILE`/`REPEAT … END`) blocks, except at the very end.
/// Executable comments (`/*! … */`) run as SQL, so any of them makes the answer no.
pub(super) fn one_statement(sql: &str) -> bool {
    let b = sql.as_bytes();
    let mut i = 0;
    let mut depth: usize = 0;
    // The previous word, upper-cased: `END IF` closes one block, it does not open another.
    let mut previous = String::new();
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' => {
                let quote = c;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return false,
                        Some(b'\\') if quote != b'`' => i += 2,
                        Some(&q) if q == quote => {
                            if b.get(i + 1) == Some(&quote) {
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(_) => i += 1,
                    }
                }
                previous.clear();
            }
            b'#' => i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n),
            b'-' if b.get(i + 1) == Some(&b'-')
                && b.get(i + 2).is_none_or(|c| c.is_ascii_whitespace() || c.is_ascii_control()) =>
            {
                i = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |n| i + n)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                if matches!(b.get(i + 2), Some(b'!' | b'M')) {
                    return false;
                }
                match sql[i + 2..].find("*/") {
                    Some(n) => i += n + 4,
                    None => return false,
                }
            }
            b';' => {
                if depth == 0 {
                    let rest = &sql[i + 1..];
                    return rest.trim().is_empty();
                }
                previous.clear();
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                    i += 1;
                }
                let word = sql[start..i].to_ascii_uppercase();
                let after = sql[i..].trim_start();
                let next_word: String =
                    after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
                let opens = match word.as_str() {
                    // `IF(a, b, c)` and `REPEAT(s, n)` are functions; `IF [NOT] EXISTS` is a clause.
                    "IF" => {
                        !after.starts_with('(') && !matches!(next_word.to_ascii_uppercase().as_str(), "NOT" | "EXISTS")
                    }
                    "REPEAT" => !after.starts_with('('),
                    "BEGIN" | "CASE" | "LOOP" | "WHILE" => true,
                    _ => false,
                };
                if word == "END" {
                    depth = depth.saturating_sub(1);
                } else if opens && previous != "END" {
                    depth += 1;
                }
                previous = word;
            }
            _ => {
                if !c.is_ascii_whitespace() {
                    previous.clear();
                }
                i += 1;
            }
        }
    }
    true
}

fn lit(s: &str) -> String {
    crate::common::string_literal(s, true)
}

impl MysqlSession {
    /// Releases the apply lock, if held.
    fn release(&mut self) -> Result<(), DbError> {
        if !self.held {
            return Ok(());
        }
        self.held = false;
        self.scalar("SELECT RELEASE_LOCK(CONCAT('schemadoc.', DATABASE()))")
            .map(|_| ())
            .map_err(|e| self.query_error("releasing the schemadoc lock", e))
    }

    fn query_error(&self, what: &str, e: impl ToString) -> DbError {
        let message = self.secrets.iter().fold(e.to_string(), |m, secret| m.replace(secret.as_str(), "***"));
        DbError::Query { url: self.url.clone(), what: what.to_string(), message }
    }

    fn run(&mut self, sql: &str) -> Result<(), String> {
        self.queries += 1;
        self.runtime
            .block_on(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string())).execute(&mut self.conn))
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Runs one planned statement as a prepared statement, which the server parses as exactly one
    /// statement, so that text a document supplied can never smuggle in a second one.
    fn run_one(&mut self, sql: &str) -> Result<(), String> {
        self.queries += 1;
        let prepared = sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).persistent(false);
        match self.runtime.block_on(prepared.execute(&mut self.conn)) {
            Ok(_) => Ok(()),
            // NOTE: MySQL 8 cannot prepare CREATE PROCEDURE/FUNCTION/TRIGGER/EVENT (error 1295,
            // ER_UNSUPPORTED_PS; MariaDB can). Those go through the text protocol, which runs
            // several statements, so only after our own lexer has found exactly one.
            Err(sqlx::Error::Database(e))
                if e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>().is_some_and(|e| e.number() == 1295) =>
            {
                if !one_statement(sql) {
                    return Err("refusing to send text that holds more than one statement".to_string());
                }
                self.run(sql)
            }
            Err(e) => Err(e.to_string()),
        }
    }

    fn scalar(&mut self, sql: &str) -> Result<Option<String>, String> {
        self.queries += 1;
        let row = self
            .runtime
            .block_on(
                sqlx::query(sqlx::AssertSqlSafe(format!("SELECT CAST(({sql}) AS CHAR)"))).fetch_one(&mut self.conn),
            )
            .map_err(|e| e.to_string())?;
        row.try_get::<Option<String>, _>(0).map_err(|e| e.to_string())
    }

    /// Sets the session's lock and statement timeouts for the apply.
    fn limit(&mut self) -> Result<(), ApplyError> {
        let seconds = lock_seconds(self.timeouts.lock);
        let set = format!("SET SESSION lock_wait_timeout = {seconds}, innodb_lock_wait_timeout = {seconds}");
        self.run(&set).map_err(|e| self.query_error("setting lock timeouts", e))?;
        // NOTE: MariaDB's `max_statement_time` (seconds) limits every statement; MySQL has no
        // such setting for DDL (`max_execution_time` is for SELECT), so a failure is ignored.
        let limit = self.timeouts.statement.map_or(0.0, |d| d.as_secs_f64());
        let _ = self.run(&format!("SET SESSION max_statement_time = {limit}"));
        Ok(())
    }

    /// Marks the applies recorded as `running` as `interrupted`: under the apply lock no other apply
    /// runs, so such a row is one whose process was killed or lost its connection. Says how many.
    fn close_interrupted(&mut self) -> Result<i64, DbError> {
        let stale = self
            .scalar(&format!("SELECT count(*) FROM {HISTORY_TABLE} WHERE outcome = 'running'"))
            .map_err(|e| self.query_error("reading schemadoc_history", e))?;
        let stale: i64 = stale.and_then(|n| n.parse().ok()).unwrap_or(0);
        if stale > 0 {
            let update = format!(
                "UPDATE {HISTORY_TABLE} SET outcome = 'interrupted', error = {} WHERE outcome = 'running'",
                lit("stopped before finishing (killed or disconnected); a later apply re-planned from the live schema")
            );
            self.run(&update).map_err(|e| self.query_error("closing interrupted applies in schemadoc_history", e))?;
        }
        Ok(stale)
    }

    fn apply_locked(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError> {
        // NOTE: the history table is plain DDL too; creating it commits on its own.
        let create = format!(
            "CREATE TABLE IF NOT EXISTS {HISTORY_TABLE} (\n  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n  \
             applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n  document_hash VARCHAR(128) NOT NULL,\n  \
             plan_hash CHAR(16) NOT NULL,\n  statements LONGTEXT NOT NULL,\n  outcome VARCHAR(16) NOT NULL,\n  \
             steps_total INT NOT NULL,\n  steps_done INT NOT NULL,\n  error TEXT\n) \
             ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
        );
        self.run(&create).map_err(|e| self.query_error("creating schemadoc_history", e))?;
        // NOTE: resume is by state, not by step number: the plan was made from the live schema
        // under this lock, so whatever an interrupted or failed apply left done is not in it, and
        // what was undone by hand since is in it again. Nothing is skipped.
        let hash = plan_hash(plan);
        let interrupted = std::mem::take(&mut self.interrupted) + self.close_interrupted()?;
        let statements: String = plan.statements.iter().map(|s| format!("{};\n", s.sql)).collect::<Vec<_>>().concat();
        let insert = format!(
            "INSERT INTO {HISTORY_TABLE} (document_hash, plan_hash, statements, outcome, steps_total, steps_done) \
             VALUES ({}, {}, {}, 'running', {}, 0)",
            lit(document_hash),
            lit(&hash),
            lit(&statements),
            plan.statements.len()
        );
        self.run(&insert).map_err(|e| self.query_error("recording the apply in schemadoc_history", e))?;
        let id = self
            .scalar("SELECT LAST_INSERT_ID()")
            .map_err(|e| self.query_error("recording the apply in schemadoc_history", e))?
            .unwrap_or_default();
        let mut executed = Vec::new();
        let mut retries = Vec::new();
        for (i, st) in plan.statements.iter().enumerate() {
            let mut attempt = 1;
            let result = loop {
                match self.run_one(&st.sql) {
                    // NOTE: error 1205 is a lock wait timeout, on a metadata lock
                    // (`lock_wait_timeout`) or a row lock (`innodb_lock_wait_timeout`).
                    Err(m) if m.contains("1205") && attempt < self.timeouts.attempts => {
                        let t = self.timeouts;
                        retries.push(format!(
                            "statement {} ({}) waited {} for a lock and gave up; tried again in {} (attempt {} of {})",
                            i + 1,
                            st.reason,
                            crate::session::human(Duration::from_secs(lock_seconds(t.lock))),
                            crate::session::human(t.backoff(attempt)),
                            attempt + 1,
                            t.attempts
                        ));
                        std::thread::sleep(t.backoff(attempt));
                        attempt += 1;
                    }
                    other => break other,
                }
            };
            if let Err(message) = result {
                let message = self.secrets.iter().fold(message, |m, secret| m.replace(secret.as_str(), "***"));
                let update = format!(
                    "UPDATE {HISTORY_TABLE} SET outcome = 'failed', error = {} WHERE id = {}",
                    lit(&message),
                    lit(&id)
                );
                // The failure itself is what the caller needs; a failed bookkeeping write adds nothing.
                let _ = self.run(&update);
                return Err(ApplyError::Statement {
                    statement: i,
                    reason: st.reason.clone(),
                    message,
                    executed,
                    rolled_back: false,
                });
            }
            executed.push(i);
            let update = format!("UPDATE {HISTORY_TABLE} SET steps_done = {} WHERE id = {}", i + 1, lit(&id));
            self.run(&update).map_err(|e| self.query_error("recording a step in schemadoc_history", e))?;
        }
        let update = format!("UPDATE {HISTORY_TABLE} SET outcome = 'applied' WHERE id = {}", lit(&id));
        self.run(&update).map_err(|e| self.query_error("recording the apply in schemadoc_history", e))?;
        Ok(ApplyReport { executed, interrupted, retries })
    }
}

impl Session for MysqlSession {
    fn kind(&self) -> EngineKind {
        EngineKind::Mysql
    }

    fn url(&self) -> &str {
        &self.url
    }

    fn inspect(&mut self, filter: &InspectFilter) -> Result<Schema, DbError> {
        self.queries += inspect::CATALOG_QUERIES;
        let catalog = self
            .runtime
            .block_on(inspect::read(&mut self.conn, filter))
            .map_err(|(what, message)| self.query_error(&what, message))?;
        Ok(inspect::interpret(&catalog, filter, &self.url))
    }

    fn count(&mut self, sql: &str) -> Result<i64, DbError> {
        // NOTE: in a READ ONLY transaction the server refuses every write, even one a stored
        // function in the probe attempts.
        self.run("START TRANSACTION READ ONLY").map_err(|e| self.query_error("starting a read-only transaction", e))?;
        let value = self.scalar(sql);
        let _ = self.run("ROLLBACK");
        let value = value.map_err(|e| self.query_error("counting", e))?;
        let value = value.unwrap_or_else(|| "0".to_string());
        value.trim().parse::<i64>().map_err(|_| self.query_error("counting", format!("`{value}` is not a count")))
    }

    fn limits(&self) -> Option<String> {
        let mut t = self.timeouts;
        t.lock = Duration::from_secs(lock_seconds(t.lock));
        Some(t.describe())
    }

    fn time_zone(&mut self) -> Result<Option<String>, DbError> {
        self.queries += 1;
        let sql = "SELECT IF(@@session.time_zone = 'SYSTEM', CONCAT('SYSTEM (', @@system_time_zone, ')'), \
                   @@session.time_zone)";
        let zone = self.runtime.block_on(sqlx::query_scalar::<_, String>(sql).fetch_one(&mut self.conn));
        zone.map(Some).map_err(|e| self.query_error("reading the time zone", e))
    }

    fn available_extensions(&mut self) -> Result<Vec<String>, DbError> {
        Ok(Vec::new())
    }

    fn unsafe_to_count(&mut self, sql: &str) -> Result<Option<String>, DbError> {
        let names = crate::common::called_functions(sql);
        let mut found: Vec<String> =
            names.iter().filter(|n| SIDE_EFFECT_FUNCTIONS.contains(&n.as_str())).cloned().collect();
        if !names.is_empty() {
            // Stored functions that declare they modify data.
            let list: Vec<String> = names.iter().map(|n| lit(n)).collect();
            let sql = format!(
                "SELECT GROUP_CONCAT(DISTINCT LOWER(ROUTINE_NAME) ORDER BY ROUTINE_NAME SEPARATOR ', ') \
                 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE = 'FUNCTION' \
                 AND SQL_DATA_ACCESS = 'MODIFIES SQL DATA' AND LOWER(ROUTINE_NAME) IN ({})",
                list.join(", ")
            );
            let writing = self.scalar(&sql).map_err(|e| self.query_error("reading stored functions", e))?;
            found.extend(writing.into_iter().filter(|w| !w.is_empty()));
        }
        Ok((!found.is_empty()).then(|| format!("it calls {}, which may have side effects", found.join(", "))))
    }

    fn apply(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() }.into());
        }
        self.lock()?;
        let result = self.limit().and_then(|()| self.apply_locked(plan, document_hash));
        let released = self.release();
        match (result, released) {
            (Err(e), _) => Err(e),
            (Ok(_), Err(e)) => Err(e.into()),
            (Ok(report), Ok(())) => Ok(report),
        }
    }

    fn lock(&mut self) -> Result<(), DbError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() });
        }
        if self.held {
            return Ok(());
        }
        // NOTE: GET_LOCK is server-wide; the name carries the database so that applies to
        // different databases of one server do not wait for each other.
        let got = self
            .scalar(&format!("SELECT GET_LOCK(CONCAT('schemadoc.', DATABASE()), {LOCK_WAIT_SECONDS})"))
            .map_err(|e| self.query_error("taking the schemadoc lock", e))?;
        if got.as_deref() != Some("1") {
            return Err(DbError::Locked { url: self.url.clone() });
        }
        self.held = true;
        // An apply killed after its last statement leaves nothing to plan, but its row says
        // `running`: it is closed now, whether or not this apply has anything to do.
        let history = format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() \
             AND table_name = '{HISTORY_TABLE}'"
        );
        let exists = self.scalar(&history).map_err(|e| self.query_error("reading schemadoc_history", e))?;
        if exists.as_deref() == Some("1") {
            self.interrupted += self.close_interrupted()?;
        }
        Ok(())
    }

    fn unlock(&mut self) {
        let _ = self.release();
    }

    fn queries_issued(&self) -> Option<u64> {
        Some(self.queries)
    }

    fn execute(&mut self, sql: &str) -> Result<(), DbError> {
        if self.read_only {
            return Err(DbError::ReadOnly { url: self.url.clone() });
        }
        self.run(sql).map_err(|e| self.query_error("executing SQL", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_scrubbed_from_driver_messages() {
        assert_eq!(scrub("access denied for s3cret", "mysql://u:s3cret@h/db"), "access denied for ***");
        assert_eq!(scrub("no route", "mysql://u@h/db"), "no route");
    }

    #[test]
    fn one_statement_is_told_from_several() {
        assert!(one_statement("CREATE TABLE t (a INT)"));
        assert!(one_statement("CREATE TABLE t (a INT);\n"));
        assert!(!one_statement("CREATE TABLE t (a INT); DROP TABLE u"));
        assert!(one_statement("ALTER TABLE t ADD CHECK (a <> ';')"));
        assert!(
            one_statement(r"ALTER TABLE t ADD CHECK (a <> 'x\'; DROP TABLE u; -- ')"),
            "a backslash escapes the quote"
        );
        assert!(!one_statement(r"ALTER TABLE t ADD CHECK (a <> 'x\\'); DROP TABLE u; -- ')"));
        assert!(one_statement("CREATE TABLE `a;b` (`c``;` INT)"));
        assert!(one_statement(
            "CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; lbl: LOOP LEAVE lbl; END LOOP; \
             SELECT CASE WHEN a THEN 1 END; SELECT IF(a, 1, 2); END"
        ));
        assert!(!one_statement("CREATE PROCEDURE p() BEGIN SELECT 1; END; DROP TABLE u"));
        assert!(!one_statement(
            "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = IF(1, 2, 3); DROP TABLE u"
        ));
        assert!(!one_statement("SELECT 1 /*! ; DROP TABLE u */"), "executable comments run");
        assert!(!one_statement("CREATE PROCEDURE IF NOT EXISTS p() BEGIN SELECT 1; END; DROP TABLE u"));
        assert!(one_statement("SELECT 1 -- ; DROP TABLE u"));
        assert!(one_statement("SELECT 1 # ; DROP TABLE u"));
        assert!(!one_statement("SELECT 1 # x\n; DROP TABLE u"));
        assert!(!one_statement("SELECT 'unterminated"));
    }

    #[test]
    fn plan_hashes_follow_the_statements() {
        let st = |sql: &str| crate::PlannedStatement {
            sql: sql.into(),
            reason: String::new(),
            hazards: vec![],
            transactional: false,
            change: 0,
        };
        let a = Plan { statements: vec![st("A"), st("B")], ..Plan::default() };
        let b = Plan { statements: vec![st("AB")], ..Plan::default() };
        assert_ne!(plan_hash(&a), plan_hash(&b));
        assert_eq!(plan_hash(&a), plan_hash(&a.clone()));
    }
}
