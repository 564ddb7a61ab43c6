//! Live databases: connecting by URL, reading the catalog into a [`Schema`], counting what a
//! hazard affects, and applying plans. Each engine implements [`Session`] in its own folder; the
//! API is blocking (each session drives its own single-threaded runtime).

use crate::migrate::Plan;
use crate::EngineKind;
use model::Schema;
use serde::Serialize;
use std::time::Duration;

/// How long an apply lets each statement wait for a lock and run, and how often a statement that
/// gave up waiting for a lock is tried (after a pause that doubles each time) before the apply
/// fails. A busy database then sees each schema change queue for at most `lock`, instead of
/// every other session queueing behind it for as long as the longest transaction runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// PostgreSQL `lock_timeout`, MySQL `lock_wait_timeout` and `innodb_lock_wait_timeout`
    /// (whole seconds, at least 1), SQLite `busy_timeout`.
    pub lock: Duration,
    /// PostgreSQL `statement_timeout`, MariaDB `max_statement_time`; `None`: no limit.
    pub statement: Option<Duration>,
    /// Tries of a statement (or of PostgreSQL's transaction) that met a lock timeout.
    pub attempts: u32,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { lock: Duration::from_secs(2), statement: Some(Duration::from_secs(30 * 60)), attempts: 5 }
    }
}

impl Timeouts {
    /// The pause before try `attempt + 1` (after try `attempt`, from 1): 0.2 s, doubling, at most 5 s.
    pub fn backoff(&self, attempt: u32) -> Duration {
        Duration::from_millis((200u64 << attempt.saturating_sub(1).min(10)).min(5_000))
    }

    /// "lock timeout 2 s, statement timeout 30 min per statement; a lock timeout is retried up to
    /// 4 times".
    pub fn describe(&self) -> String {
        let statement = match self.statement {
            Some(d) => format!("statement timeout {}", human(d)),
            None => "no statement timeout".to_string(),
        };
        format!(
            "lock timeout {}, {statement} per statement; a lock timeout is retried up to {} time(s), \
             waiting 0.2 s more each time (--lock-timeout, --statement-timeout)",
            human(self.lock),
            self.attempts.saturating_sub(1)
        )
    }
}

/// `2 s`, `500 ms`, `30 min`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(60_000) && ms >= 60_000 {
        format!("{} min", ms / 60_000)
    } else if ms.is_multiple_of(1000) && ms > 0 {
        format!("{} s", ms / 1000)
    } else if ms >= 1000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{ms} ms")
    }
}

/// A duration as a user writes it: `2s`, `500ms`, `1.5s`, `5min`, `1h`, a bare number of seconds;
/// `0` is `None` (no limit).
pub fn parse_duration(text: &str) -> Result<Option<Duration>, String> {
    let t = text.trim().to_ascii_lowercase();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 =
        number.parse().map_err(|_| format!("`{text}` is not a duration; write it like `2s`, `500ms` or `5min`"))?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" | "minute" | "minutes" => value * 60.0,
        "h" | "hour" | "hours" => value * 3600.0,
        other => return Err(format!("`{text}`: unknown unit `{other}`; use ms, s, min or h")),
    };
    if !seconds.is_finite() || seconds > 86_400.0 * 7.0 {
        return Err(format!("`{text}` is too long for a timeout"));
    }
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
}

/// How to open a database.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConnectOptions {
    /// Refuse every change: the session is read-only at the server (PostgreSQL/MySQL read-only
    /// transactions, SQLite `mode=ro`).
    pub read_only: bool,
    /// Connection settings the document asks for (`PRAGMA journal_mode = WAL`): (name, value).
    pub settings: Vec<(String, String)>,
    /// How long applied statements may wait and run.
    pub timeouts: Timeouts,
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
    /// What to read to compare a database with `document`: on PostgreSQL, `public` and every
    /// schema the document puts a table in or creates; elsewhere the connected database (MySQL
    /// and SQLite hold a document's schemas flattened into it).
    pub fn for_document(kind: crate::EngineKind, document: &model::Schema) -> Self {
        if kind != crate::EngineKind::Postgres {
            return InspectFilter::default();
        }
        let mut schemas = vec!["public".to_string()];
        let named = document.tables.iter().filter_map(|t| t.namespace.clone());
        for ns in named.chain(document.namespaces.iter().map(|n| n.name.clone())) {
            if !model::is_default_namespace(&ns) && !schemas.iter().any(|s| model::name_eq(s, &ns)) {
                schemas.push(ns);
            }
        }
        if schemas.len() == 1 {
            return InspectFilter::default();
        }
        InspectFilter { schemas, tables: Vec::new() }
    }

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
    /// Earlier applies found recorded as still running, which under the apply lock means killed
    /// or disconnected (MySQL, whose DDL is not transactional): now recorded as interrupted. The
    /// plan was made from what they left, so nothing of theirs is repeated or skipped.
    pub interrupted: i64,
    /// Lock timeouts met and retried, one line each ("statement 3 (add column t.c): lock timeout
    /// after 2 s; attempt 2 of 5 in 0.4 s").
    pub retries: Vec<String>,
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

    /// The schema the statements `create` build, as the server keeps it: they run in a scratch
    /// place that is thrown away (PostgreSQL: a schema inside a transaction that is rolled back)
    /// and are read back with the catalog queries of [`Session::inspect`]. `Err` says why the
    /// engine or the role cannot; spellings are then compared by schemadoc's own rules.
    fn server_forms(&mut self, create: &[String]) -> Result<Schema, String> {
        let _ = create;
        Err(format!("{} has no scratch place that is rolled back", self.kind()))
    }

    /// Runs a query returning one integer (a hazard's probe), in a read-only transaction that
    /// nothing in the query can make writable.
    fn count(&mut self, sql: &str) -> Result<i64, DbError>;

    /// Why a hazard's probe must not run: it calls a function that may have side effects
    /// (PostgreSQL: one that is not immutable or stable; MySQL: one known to act beyond its
    /// result, or a stored function that modifies data). `None` when it may.
    fn unsafe_to_count(&mut self, _sql: &str) -> Result<Option<String>, DbError> {
        Ok(None)
    }

    /// The database's time zone, in which timestamp conversions read and write local times
    /// (PostgreSQL: the database's or role's `TimeZone` setting, else the server's; MySQL:
    /// `@@time_zone`, `SYSTEM` naming the system zone). Sessions use it, not the driver's UTC.
    /// `None` where the engine has no time zone (SQLite).
    fn time_zone(&mut self) -> Result<Option<String>, DbError> {
        Ok(None)
    }

    /// Indexes the server keeps but does not use: PostgreSQL's `pg_index.indisvalid = false`, left
    /// by a `CREATE INDEX CONCURRENTLY` that was interrupted or failed. Names, in `filter`'s schemas.
    fn invalid_indexes(&mut self, _filter: &InspectFilter) -> Result<Vec<String>, DbError> {
        Ok(Vec::new())
    }

    /// What an apply on this session lets each statement wait and run, for the plan's header.
    fn limits(&self) -> Option<String> {
        None
    }

    /// Extensions the server can create (PostgreSQL `pg_available_extensions`); other engines have none.
    fn available_extensions(&mut self) -> Result<Vec<String>, DbError>;

    /// Applies `plan`, holding the engine's lock so two applies cannot interleave, and records it in
    /// `schemadoc_history` with `document_hash`. Uses the lock [`Session::lock`] took, if any, and
    /// releases it when done.
    fn apply(&mut self, plan: &Plan, document_hash: &str) -> Result<ApplyReport, ApplyError>;

    /// Takes the apply lock now (SQLite: its write transaction), so that the inspection, plan and
    /// measurements an apply is based on cannot go stale before it runs: a second apply waits or
    /// fails with [`DbError::Locked`] instead of planning from a state that is about to change.
    fn lock(&mut self) -> Result<(), DbError>;

    /// Releases the lock [`Session::lock`] took when no apply used it (nothing is changed).
    fn unlock(&mut self);

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

/// Query or connection-string keys whose values are secrets.
const SECRET_KEYS: [&str; 6] = ["password", "pass", "passwd", "pwd", "sslpassword", "secret"];

/// Where the scheme of `url` ends and its authority (or path) begins: after `scheme://`, after
/// `scheme:` alone (`postgres:u:p@h/db`), or at 0 when there is no valid scheme (`postgres//x`).
fn after_scheme(url: &str) -> usize {
    let Some(colon) = url.find(':') else { return 0 };
    let scheme = &url[..colon];
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        return 0;
    }
    let rest = &url[colon + 1..];
    colon + 1 + rest.len() - rest.trim_start_matches('/').len()
}

/// The byte range of the password in `url`'s user information (`user:PASSWORD@host`), if any.
///
/// A password may hold `/`, `?` or `@` unencoded, so the `@` ending the user information is the
/// last one before the query, or the last one of all when no `@` comes before a `?`.
fn userinfo_password(url: &str) -> Option<(usize, usize)> {
    let from = |start: usize| {
        let rest = &url[start..];
        let query = rest.find('?').unwrap_or(rest.len());
        let at = rest[..query].rfind('@').or_else(|| rest.rfind('@'))?;
        let colon = rest[..at].find(':')?;
        Some((start + colon + 1, start + at))
    };
    let start = after_scheme(url);
    // `user:password@host` without a scheme reads as the scheme `user`: when no password follows
    // a scheme not followed by `/`, the whole text is read as user information.
    from(start).or_else(|| (start > 0 && !url[..start].ends_with('/')).then(|| from(0)).flatten())
}

/// Every `key=value` whose key names a secret (`?password=…`, `&sslpassword=…`, `password=…` in a
/// connection string), as byte ranges of the values.
fn secret_parameters(url: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let bytes = url.as_bytes();
    let mut i = 0;
    while let Some(eq) = url[i..].find('=').map(|k| i + k) {
        let key_start = url[..eq].rfind(['?', '&', ';', ' ', '\t', '\n', '/', ',']).map_or(0, |k| k + 1);
        let key = percent_decode(&url[key_start..eq]).to_ascii_lowercase();
        let value_end = url[eq + 1..].find(['&', ';', ' ', '\t', '\n', ',']).map_or(url.len(), |k| eq + 1 + k);
        if SECRET_KEYS.contains(&key.trim()) && value_end > eq + 1 {
            out.push((eq + 1, value_end));
        }
        i = eq + 1;
        if i >= bytes.len() {
            break;
        }
    }
    out
}

/// `text` with `%XX` escapes decoded (invalid ones kept as written).
fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `url` with every password it holds replaced by `***`: in the user information (however the URL
/// is malformed) and in query or connection-string parameters.
pub fn redact(url: &str) -> String {
    let mut ranges = secret_parameters(url);
    if let Some(r) = userinfo_password(url) {
        ranges.push(r);
    }
    ranges.sort();
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    for (from, to) in ranges {
        if from < at {
            // Overlapping ranges: extend the one already hidden.
            at = at.max(to);
            continue;
        }
        out.push_str(&url[at..from]);
        out.push_str("***");
        at = to;
    }
    out.push_str(&url[at..]);
    out
}

/// The secrets `url` holds, as written and percent-decoded: what must never appear in a message.
pub(crate) fn secrets(url: &str) -> Vec<String> {
    let mut ranges = secret_parameters(url);
    ranges.extend(userinfo_password(url));
    let mut out: Vec<String> = Vec::new();
    for (from, to) in ranges {
        let raw = &url[from..to];
        for s in [raw.to_string(), percent_decode(raw)] {
            if !s.is_empty() && !out.contains(&s) {
                out.push(s);
            }
        }
    }
    // Longest first, so that a secret containing another is replaced whole.
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out
}

/// `message` with every secret of `url` replaced by `***`.
pub(crate) fn scrub(message: &str, url: &str) -> String {
    let mut out = message.to_string();
    for secret in secrets(url) {
        out = out.replace(&secret, "***");
    }
    out
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

    /// Every URL shape a password can hide in: (URL, the secret, what the user sees).
    const SHAPES: [(&str, &str, &str); 26] = [
        ("postgres://app:s3cret@db:5432/shop", "s3cret", "postgres://app:***@db:5432/shop"),
        ("postgresql://app:s3cret@db/shop?sslmode=require", "s3cret", "postgresql://app:***@db/shop?sslmode=require"),
        ("postgres://u:p%40ss%2Fw0rd@h/db", "p%40ss%2Fw0rd", "postgres://u:***@h/db"),
        ("postgres://u:pa/ss@h/db", "pa/ss", "postgres://u:***@h/db"),
        ("postgres://u:pa/ss/more@h:5432/db", "pa/ss/more", "postgres://u:***@h:5432/db"),
        ("postgres://u:p@ss@h/db", "p@ss", "postgres://u:***@h/db"),
        ("postgres://u:p?ss@h/db", "p?ss", "postgres://u:***@h/db"),
        ("postgres://:onlypw@h/db", "onlypw", "postgres://:***@h/db"),
        ("postgres://h/db?password=qpw1", "qpw1", "postgres://h/db?password=***"),
        (
            "postgres://h/db?user=u&password=qpw2&sslmode=disable",
            "qpw2",
            "postgres://h/db?user=u&password=***&sslmode=disable",
        ),
        ("postgres://h/db?PASSWORD=qpw3", "qpw3", "postgres://h/db?PASSWORD=***"),
        ("postgres://h/db?pass%77ord=qpw4", "qpw4", "postgres://h/db?pass%77ord=***"),
        ("postgres://u:upw@h/db?password=qpw5", "qpw5", "postgres://u:***@h/db?password=***"),
        ("postgres://h/db?sslpassword=keypw", "keypw", "postgres://h/db?sslpassword=***"),
        ("postgres:/u:slashpw@h/db", "slashpw", "postgres:/u:***@h/db"),
        ("postgres//u:nocolonpw@h/db", "nocolonpw", "postgres//u:***@h/db"),
        ("postgres:u:noslashpw@h/db", "noslashpw", "postgres:u:***@h/db"),
        ("u:noschemepw@h/db", "noschemepw", "u:***@h/db"),
        ("postgres://u:trailingpw@", "trailingpw", "postgres://u:***@"),
        ("host=h user=u password=dsnpw dbname=x", "dsnpw", "host=h user=u password=*** dbname=x"),
        ("mysql://root:mypw@127.0.0.1:3306/app", "mypw", "mysql://root:***@127.0.0.1:3306/app"),
        ("mariadb://root:m%3Apw@db/app", "m%3Apw", "mariadb://root:***@db/app"),
        ("mysql://root@db/app?password=myqpw", "myqpw", "mysql://root@db/app?password=***"),
        ("sqlite://u:litepw@/tmp/x.db", "litepw", "sqlite://u:***@/tmp/x.db"),
        ("sqlite:///tmp/x.db?mode=ro&password=liteqpw", "liteqpw", "sqlite:///tmp/x.db?mode=ro&password=***"),
        ("oracle://u:orapw@h", "orapw", "oracle://u:***@h"),
    ];

    #[test]
    fn passwords_never_show_in_any_url_shape() {
        for (url, secret, shown) in SHAPES {
            let r = redact(url);
            assert!(!r.contains(secret), "{url} shows its secret: {r}");
            assert_eq!(r, shown, "{url}");
            let message = format!("cannot connect with {url} (password {secret}, decoded {})", percent_decode(secret));
            let scrubbed = scrub(&message, url);
            assert!(!scrubbed.contains(secret), "{url}: {scrubbed}");
            assert!(!scrubbed.contains(&percent_decode(secret)), "{url}: {scrubbed}");
        }
    }

    #[test]
    fn urls_without_passwords_are_kept() {
        for url in [
            "mysql://root@127.0.0.1/x",
            "sqlite://data/app.db",
            "postgres://h:5432/db?sslmode=disable",
            "sqlite::memory:",
        ] {
            assert_eq!(redact(url), url);
            assert!(secrets(url).is_empty(), "{url}");
        }
    }

    #[test]
    fn durations_read_as_written() {
        assert_eq!(parse_duration("2s"), Ok(Some(Duration::from_secs(2))));
        assert_eq!(parse_duration("500ms"), Ok(Some(Duration::from_millis(500))));
        assert_eq!(parse_duration("1.5 s"), Ok(Some(Duration::from_millis(1500))));
        assert_eq!(parse_duration("5min"), Ok(Some(Duration::from_secs(300))));
        assert_eq!(parse_duration("3"), Ok(Some(Duration::from_secs(3))));
        assert_eq!(parse_duration("0"), Ok(None));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 days").unwrap_err().contains("unknown unit `days`"));
        assert_eq!(human(Duration::from_secs(1800)), "30 min");
        assert_eq!(human(Duration::from_millis(250)), "250 ms");
        let t = Timeouts::default();
        assert_eq!(
            (t.backoff(1), t.backoff(2), t.backoff(3)),
            (Duration::from_millis(200), Duration::from_millis(400), Duration::from_millis(800))
        );
        assert_eq!(t.backoff(30), Duration::from_secs(5));
        assert!(
            t.describe().starts_with("lock timeout 2 s, statement timeout 30 min per statement"),
            "{}",
            t.describe()
        );
    }

    #[test]
    fn schemes_name_engines() {
        assert_eq!(engine_of_url("sqlite://x.db"), Ok(EngineKind::Sqlite));
        assert_eq!(engine_of_url("postgresql://h/db"), Ok(EngineKind::Postgres));
        assert_eq!(engine_of_url("mariadb://h/db"), Ok(EngineKind::Mysql));
        assert!(matches!(engine_of_url("oracle://u:pw@h"), Err(DbError::Url(u)) if !u.contains("pw")));
    }
}
