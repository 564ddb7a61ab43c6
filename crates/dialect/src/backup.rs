//! Backups before a change, and restoring them: SQLite through `VACUUM INTO` (a consistent copy
//! taken while others may write), PostgreSQL through `pg_dump`/`psql`, MySQL/MariaDB through
//! `mariadb-dump`/`mariadb` (or the `mysql…` names). Each engine does it in its own `backup.rs`.

use crate::data::DataSession;
use crate::session::{engine_of_url, DbError};
use crate::EngineKind;
use std::path::{Path, PathBuf};

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("`{tool}` is needed to back up or restore {engine} databases, but it is not installed (Debian: `apt-get install {package}`)")]
    MissingTool { tool: String, engine: EngineKind, package: String },
    #[error("`{tool}` failed: {message}")]
    Tool { tool: String, message: String },
    #[error("`{}`: {message}", path.display())]
    File { path: PathBuf, message: String },
}

/// The file extension of `kind`'s backups (`sqlite`, `sql`).
pub fn extension(kind: EngineKind) -> &'static str {
    match kind {
        EngineKind::Sqlite => "sqlite",
        EngineKind::Postgres | EngineKind::Mysql => "sql",
    }
}

/// The database's name, for backup file names: the SQLite file's stem, the PostgreSQL or MySQL
/// database.
pub fn database_name(url: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let last = without_query.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = last.split('.').next().unwrap_or_default();
    let clean: String =
        stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if clean.is_empty() || url.contains(":memory:") {
        "database".to_string()
    } else {
        clean
    }
}

/// Writes a backup of the database `url` names to `path` (whose extension is [`extension`]'s).
/// `Ok(false)` when there is nothing to back up (a SQLite file that does not exist yet).
pub fn backup(url: &str, path: &Path) -> Result<bool, BackupError> {
    match engine_of_url(url)? {
        EngineKind::Sqlite => crate::sqlite::backup::backup(url, path),
        EngineKind::Postgres => crate::postgres::backup::backup(url, path),
        EngineKind::Mysql => crate::mysql::backup::backup(url, path),
    }
}

/// Replaces the database `url` names with the backup at `path`: afterwards it holds exactly what it
/// held when the backup was taken (objects created since are gone).
pub fn restore(url: &str, path: &Path) -> Result<(), BackupError> {
    if !path.is_file() {
        return Err(BackupError::File { path: path.to_path_buf(), message: "no such backup file".to_string() });
    }
    match engine_of_url(url)? {
        EngineKind::Sqlite => crate::sqlite::backup::restore(url, path),
        EngineKind::Postgres => crate::postgres::backup::restore(url, path),
        EngineKind::Mysql => crate::mysql::backup::restore(url, path),
    }
}

/// Notes `backup` on the latest row of `schemadoc_history` (adding the `backup` column to a
/// history table made before it existed). Nothing happens when no apply was recorded.
pub fn record_in_history(session: &mut dyn DataSession, backup: &Path) -> Result<(), DbError> {
    let table = crate::common::HISTORY_TABLE;
    let engine = crate::engine(session.kind());
    let Ok(Some(id)) = session.scalar(&format!("SELECT MAX(id) FROM {table}")) else { return Ok(()) };
    if session.scalar(&format!("SELECT COUNT(backup) FROM {table}")).is_err() {
        session.execute(&format!("ALTER TABLE {table} ADD COLUMN backup TEXT"))?;
    }
    let path = engine.quote_string(&backup.display().to_string());
    session.execute(&format!("UPDATE {table} SET backup = {path} WHERE id = {id}"))
}

/// Runs `tool` (the first of `names` installed) with `args`, feeding it `stdin` when given; its
/// error output becomes the message when it fails.
pub(crate) fn run_tool(
    names: &[&str],
    engine: EngineKind,
    package: &str,
    args: &[String],
    env: &[(&str, String)],
    stdin: Option<&Path>,
) -> Result<(), BackupError> {
    let tool = names.iter().find(|n| which(n)).ok_or_else(|| BackupError::MissingTool {
        tool: names[0].to_string(),
        engine,
        package: package.to_string(),
    })?;
    let mut cmd = std::process::Command::new(tool);
    cmd.args(args).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(file) = stdin {
        let f = std::fs::File::open(file)
            .map_err(|e| BackupError::File { path: file.to_path_buf(), message: e.to_string() })?;
        cmd.stdin(f);
    }
    let out = cmd.output().map_err(|e| BackupError::Tool { tool: tool.to_string(), message: e.to_string() })?;
    if out.status.success() {
        return Ok(());
    }
    let message = String::from_utf8_lossy(&out.stderr).trim().to_string();
    Err(BackupError::Tool { tool: tool.to_string(), message })
}

/// Whether `name` is an executable on `PATH`.
fn which(name: &str) -> bool {
    std::env::var_os("PATH").map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file())).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_for_file_names() {
        assert_eq!(database_name("sqlite://data/app.db"), "app");
        assert_eq!(database_name("sqlite::memory:"), "database");
        assert_eq!(database_name("postgres://u:pw@h:5432/shop?sslmode=disable"), "shop");
        assert_eq!(database_name("mysql://root@127.0.0.1:3306/test"), "test");
    }
}
