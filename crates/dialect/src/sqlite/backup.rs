//! SQLite backups: `VACUUM INTO` writes a consistent copy of the database while others may keep
//! writing; restoring replaces the file (and its WAL) with the copy.

use super::apply::parse_url;
use crate::backup::BackupError;
use crate::session::redact;
use std::path::Path;

pub(crate) fn backup(url: &str, path: &Path) -> Result<bool, BackupError> {
    let target = parse_url(url)?;
    let Some(file) = target.path else { return Ok(false) };
    if !Path::new(&file).exists() {
        return Ok(false);
    }
    let mut session = super::data::connect_data(url)?;
    let into = crate::common::string_literal(&path.display().to_string(), false);
    session.execute(&format!("VACUUM INTO {into}"))?;
    Ok(true)
}

pub(crate) fn restore(url: &str, path: &Path) -> Result<(), BackupError> {
    let fail = |p: &Path, message: String| BackupError::File { path: p.to_path_buf(), message };
    let mut header = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open(path).map_err(|e| fail(path, e.to_string()))?, &mut header)
        .map_err(|e| fail(path, e.to_string()))?;
    if &header != b"SQLite format 3\0" {
        return Err(fail(path, "not a SQLite database file".to_string()));
    }
    let target = parse_url(url)?;
    let Some(file) = target.path else {
        return Err(BackupError::Db(crate::DbError::Url(redact(url))));
    };
    let file = Path::new(&file);
    // Copied beside the database first, so that the database is replaced whole or not at all.
    let staging = file.with_extension("restoring");
    std::fs::copy(path, &staging).map_err(|e| fail(&staging, e.to_string()))?;
    for suffix in ["-wal", "-shm"] {
        let side = format!("{}{suffix}", file.display());
        if Path::new(&side).exists() {
            std::fs::remove_file(&side).map_err(|e| fail(Path::new(&side), e.to_string()))?;
        }
    }
    std::fs::rename(&staging, file).map_err(|e| fail(file, e.to_string()))
}
