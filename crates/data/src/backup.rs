//! Backups before a change: where they go (`DIR/<db>_YYYY-MM-DD_HH-MM-SS_before_<command>.<ext>`,
//! the names the teams already use by hand) and how many are kept.

use dialect::backup::{self, BackupError};
use std::path::{Path, PathBuf};

/// Backs up the database `url` names into `dir` before `command` (`apply`, `load`), then keeps
/// only the `keep` newest backups of that database there. `None` when there was nothing to back
/// up (a SQLite file not created yet).
pub fn backup_before(
    url: &str,
    dir: &Path,
    command: &str,
    keep: Option<usize>,
) -> Result<Option<PathBuf>, BackupError> {
    std::fs::create_dir_all(dir).map_err(|e| BackupError::File { path: dir.to_path_buf(), message: e.to_string() })?;
    // The history keeps the absolute path, whatever the directory the command ran in.
    let dir = &dir.canonicalize().map_err(|e| BackupError::File { path: dir.to_path_buf(), message: e.to_string() })?;
    let kind = dialect::engine_of_url(url)?;
    let db = backup::database_name(url);
    let ext = backup::extension(kind);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let stamp = crate::time::file_stamp(now);
    // Several backups within one second are numbered after the last one taken in it.
    let same_second = backups_of(dir, &db, ext)
        .iter()
        .filter(|p| file_name(p).starts_with(&format!("{db}_{stamp}_")))
        .map(|p| sequence(&file_name(p)))
        .max();
    let path = match same_second {
        None => dir.join(format!("{db}_{stamp}_before_{command}.{ext}")),
        Some(n) => dir.join(format!("{db}_{stamp}_before_{command}_{}.{ext}", n + 1)),
    };
    if !backup::backup(url, &path)? {
        return Ok(None);
    }
    if let Some(keep) = keep {
        prune(dir, &db, ext, keep)?;
    }
    Ok(Some(path))
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The number of a backup within its second: 1, or the `N` of `…_before_apply_N.sqlite`.
fn sequence(name: &str) -> u32 {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.rsplit_once('_').and_then(|(_, n)| n.parse().ok()).unwrap_or(1)
}

/// The backups of database `db` in `dir`, oldest first (by the time in their names, then their number).
pub fn backups_of(dir: &Path, db: &str, ext: &str) -> Vec<PathBuf> {
    let prefix = format!("{db}_");
    let suffix = format!(".{ext}");
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.strip_prefix(&prefix).is_some_and(|rest| {
                rest.len() > 19 && is_stamp(&rest[..19]) && rest.contains("_before_") && name.ends_with(&suffix)
            })
        })
        .collect();
    out.sort_by_key(|p| {
        let name = file_name(p);
        (name[db.len() + 1..db.len() + 20].to_string(), sequence(&name))
    });
    out
}

fn is_stamp(s: &str) -> bool {
    s.bytes().enumerate().all(|(i, b)| match i {
        4 | 7 | 13 | 16 => b == b'-',
        10 => b == b'_',
        _ => b.is_ascii_digit(),
    })
}

/// Removes all but the `keep` newest backups of `db` in `dir`.
fn prune(dir: &Path, db: &str, ext: &str, keep: usize) -> Result<(), BackupError> {
    let all = backups_of(dir, db, ext);
    let extra = all.len().saturating_sub(keep.max(1));
    for old in &all[..extra] {
        std::fs::remove_file(old).map_err(|e| BackupError::File { path: old.clone(), message: e.to_string() })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_databases_backups_are_pruned() {
        let dir = std::env::temp_dir().join(format!("schemadoc_prune_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "app_2025-01-01_00-00-00_before_apply.sqlite",
            "app_2025-01-02_00-00-00_before_load.sqlite",
            "app_2025-01-03_00-00-00_before_apply.sqlite",
            "other_2025-01-01_00-00-00_before_apply.sqlite",
            "app_notes.sqlite",
        ] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        prune(&dir, "app", "sqlite", 2).unwrap();
        let mut left: Vec<String> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            left,
            [
                "app_2025-01-02_00-00-00_before_load.sqlite",
                "app_2025-01-03_00-00-00_before_apply.sqlite",
                "app_notes.sqlite",
                "other_2025-01-01_00-00-00_before_apply.sqlite"
            ]
        );
    }
}
