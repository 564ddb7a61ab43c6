//! Scratch databases for tests: each test gets its own, uniquely named database on the server that
//! `SCHEMADOC_TEST_POSTGRES_URL` / `SCHEMADOC_TEST_MYSQL_URL` name (default: the local servers), dropped
//! when the handle is dropped. A missing server skips the test, except under `CI=true`, where it fails.

use crate::session::{connect, ConnectOptions, Session};
use crate::EngineKind;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_MYSQL: &str = "mysql://root@127.0.0.1:3306/mysql";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database that exists for the lifetime of this value.
pub struct ScratchDb {
    pub kind: EngineKind,
    /// The URL to connect to it.
    pub url: String,
    admin_url: String,
    name: String,
    file: Option<PathBuf>,
}

impl ScratchDb {
    /// A fresh database of `kind`, or `None` when the server cannot be reached outside CI.
    pub fn new(kind: EngineKind) -> Option<ScratchDb> {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let name = format!("schemadoc_t_{}_{n}_{nanos}", std::process::id());
        match kind {
            EngineKind::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temp dir for a scratch SQLite database");
                let file = dir.join("test.db");
                Some(ScratchDb {
                    kind,
                    url: format!("sqlite://{}", file.display()),
                    admin_url: String::new(),
                    name,
                    file: Some(dir),
                })
            }
            EngineKind::Postgres | EngineKind::Mysql => {
                let (var, default) = match kind {
                    EngineKind::Postgres => ("SCHEMADOC_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
                    _ => ("SCHEMADOC_TEST_MYSQL_URL", DEFAULT_MYSQL),
                };
                let admin_url = std::env::var(var).unwrap_or_else(|_| default.to_string());
                let mut admin = match connect(&admin_url, &ConnectOptions::default()) {
                    Ok(s) => s,
                    Err(e) => {
                        assert!(
                            std::env::var("CI").as_deref() != Ok("true"),
                            "CI=true and the {kind} test server is unreachable: {e}"
                        );
                        eprintln!("skipping: {kind} test server unreachable: {e}");
                        return None;
                    }
                };
                admin.execute(&format!("CREATE DATABASE {name}")).expect("create scratch database");
                let url = with_database(&admin_url, &name);
                Some(ScratchDb { kind, url, admin_url, name, file: None })
            }
        }
    }

    /// A session on the scratch database.
    pub fn session(&self) -> Box<dyn Session> {
        connect(&self.url, &ConnectOptions::default()).expect("connect to scratch database")
    }

    /// Runs `sql` (a script of statements) through the engine's own command-line client —
    /// `sqlite3`, `psql`, `mariadb` — as a user building the database by hand would; `Err` holds
    /// what the client printed.
    pub fn run_client(&self, sql: &str) -> Result<(), String> {
        self.client_output(sql).map(|_| ())
    }

    /// Runs `sql` through the engine's own client as [`ScratchDb::run_client`] does, and returns
    /// what it printed on standard output (for queries: one row a line, columns tab- or
    /// `|`-separated as the client prints them).
    pub fn client_output(&self, sql: &str) -> Result<String, String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let mut command = match self.kind {
            EngineKind::Sqlite => {
                let mut c = Command::new("sqlite3");
                c.args(["-bail", self.url.trim_start_matches("sqlite://")]);
                c
            }
            EngineKind::Postgres => {
                let mut c = Command::new("psql");
                c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &self.url]);
                c
            }
            EngineKind::Mysql => {
                let mut c = Command::new("mariadb");
                let parts = url_parts(&self.url);
                c.args(["-N", "-h", &parts.host, "-P", &parts.port, "-u", &parts.user, &parts.database]);
                if !parts.password.is_empty() {
                    c.arg(format!("-p{}", parts.password));
                }
                c
            }
        };
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run the {} client: {e}", self.kind))?;
        child.stdin.take().expect("stdin").write_all(sql.as_bytes()).map_err(|e| e.to_string())?;
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let printed = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() && !printed.contains("Error") {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(printed)
        }
    }
}

/// The parts of a `mysql://user:password@host:port/database` URL a command-line client takes.
struct UrlParts {
    user: String,
    password: String,
    host: String,
    port: String,
    database: String,
}

fn url_parts(url: &str) -> UrlParts {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('?').next().unwrap_or_default();
    let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
    let (credentials, host_port) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "3306"));
    UrlParts {
        user: if user.is_empty() { "root".into() } else { user.into() },
        password: password.into(),
        host: host.into(),
        port: port.into(),
        database: database.into(),
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.file {
            let _ = std::fs::remove_dir_all(dir);
            return;
        }
        if let Ok(mut admin) = connect(&self.admin_url, &ConnectOptions::default()) {
            let sql = match self.kind {
                EngineKind::Postgres => format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
                _ => format!("DROP DATABASE IF EXISTS {}", self.name),
            };
            let _ = admin.execute(&sql);
        }
    }
}

/// `url` with its database (the path) replaced by `database`, query string kept.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let Some(scheme_end) = base.find("://") else { return url.to_string() };
    let after = &base[scheme_end + 3..];
    let host_end = after.find('/').map(|i| scheme_end + 3 + i).unwrap_or(base.len());
    let mut out = format!("{}/{database}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// The folder `sub` of the team's shared corpus (`seeds`, `forms`), for tests that read it.
///
/// `SCHEMADOC_SHARED_DIR` names the corpus explicitly (our `.ci/run` sets it when the folder is
/// there): the folder must then exist. Without it, `../shared` beside the checkout is used when
/// present, and the tests that need it are skipped otherwise, so a fresh clone passes on its own.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    if let Ok(root) = std::env::var("SCHEMADOC_SHARED_DIR") {
        let dir = PathBuf::from(root).join(sub);
        assert!(dir.is_dir(), "SCHEMADOC_SHARED_DIR is set but {} is not a folder", dir.display());
        return Some(dir);
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(sub);
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_is_replaced_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(with_database("mysql://root@127.0.0.1:3306", "x"), "mysql://root@127.0.0.1:3306/x");
        assert_eq!(with_database("postgres://u@h/db?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
    }
}
