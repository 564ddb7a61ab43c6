//! MySQL/MariaDB backups through `mariadb-dump` (or `mysqldump`), restored with `mariadb` (or
//! `mysql`) after every table and view of the database is dropped.

use crate::backup::{run_tool, BackupError};
use crate::session::redact;
use crate::{DbError, EngineKind};
use sqlx::mysql::MySqlConnectOptions;
use std::path::Path;
use std::str::FromStr;

/// How the command-line clients reach a database.
struct Client {
    args: Vec<String>,
    /// The password, as `MYSQL_PWD` (kept off the command line).
    env: Vec<(&'static str, String)>,
    database: String,
}

/// The client arguments that reach the database `url` names.
fn client_args(url: &str) -> Result<Client, BackupError> {
    let normalized = match url.split_once("://") {
        Some((_, rest)) => format!("mysql://{rest}"),
        None => return Err(DbError::Url(redact(url)).into()),
    };
    let opts = MySqlConnectOptions::from_str(&normalized).map_err(|_| DbError::Url(redact(url)))?;
    let database = opts.get_database().ok_or_else(|| DbError::Url(redact(url)))?.to_string();
    let mut args = vec![
        format!("--host={}", opts.get_host()),
        format!("--port={}", opts.get_port()),
        format!("--user={}", opts.get_username()),
    ];
    if let Some(socket) = opts.get_socket() {
        args.push(format!("--socket={}", socket.display()));
    }
    let mut env = Vec::new();
    let secrets = crate::session::secrets(url);
    // The decoded spelling is the shorter one.
    if let Some(pw) = secrets.iter().min_by_key(|s| s.len()) {
        env.push(("MYSQL_PWD", pw.clone()));
    }
    Ok(Client { args, env, database })
}

pub(crate) fn backup(url: &str, path: &Path) -> Result<bool, BackupError> {
    let Client { mut args, env, database } = client_args(url)?;
    args.extend(
        ["--single-transaction", "--routines", "--triggers", "--skip-comments", "--hex-blob"].map(str::to_string),
    );
    args.push(format!("--result-file={}", path.display()));
    args.push(database);
    run_tool(&["mariadb-dump", "mysqldump"], EngineKind::Mysql, "mariadb-client", &args, &env, None)?;
    Ok(true)
}

pub(crate) fn restore(url: &str, path: &Path) -> Result<(), BackupError> {
    let Client { mut args, env, database } = client_args(url)?;
    let mut session = super::data::connect_data(url)?;
    // NOTE: MySQL DDL is not transactional: the database is emptied, then the dump replayed.
    let objects = session.texts(
        "SELECT CONCAT(IF(table_type = 'VIEW', 'VIEW', 'TABLE'), ' ', table_name) FROM information_schema.tables \
         WHERE table_schema = DATABASE() ORDER BY table_type DESC",
    )?;
    let mut drops = vec!["SET foreign_key_checks = 0".to_string()];
    for o in objects {
        let (kind, name) = o.split_once(' ').unwrap_or(("TABLE", &o));
        drops.push(format!("DROP {kind} IF EXISTS {}", crate::common::quote_with(name, '`')));
    }
    drops.push("SET foreign_key_checks = 1".to_string());
    session.execute(&drops.join(";\n"))?;
    args.push(database);
    run_tool(&["mariadb", "mysql"], EngineKind::Mysql, "mariadb-client", &args, &env, Some(path))
}
