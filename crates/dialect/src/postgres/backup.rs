//! PostgreSQL backups through `pg_dump` (plain SQL), restored with `psql` in one transaction after
//! every user schema is dropped, so that objects created since the backup go too.

use crate::backup::{run_tool, BackupError};
use crate::EngineKind;
use std::path::Path;

pub(crate) fn backup(url: &str, path: &Path) -> Result<bool, BackupError> {
    // NOTE: the URL is passed as an argument; its password is visible to local process listings
    // for the dump's duration, as with any `pg_dump postgres://…` a user runs.
    let args = vec![
        "--no-owner".to_string(),
        "--no-privileges".to_string(),
        format!("--file={}", path.display()),
        format!("--dbname={url}"),
    ];
    run_tool(&["pg_dump"], EngineKind::Postgres, "postgresql-client", &args, &[], None)?;
    Ok(true)
}

/// Drops every user schema (and so everything in it), then recreates `public`.
const CLEAR: &str = "DO $$ DECLARE s text; BEGIN \
    FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' LOOP \
    EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; CREATE SCHEMA public; END $$";

pub(crate) fn restore(url: &str, path: &Path) -> Result<(), BackupError> {
    let args = vec![
        "-X".to_string(),
        "-q".to_string(),
        "-v".to_string(),
        "ON_ERROR_STOP=1".to_string(),
        "--single-transaction".to_string(),
        "-c".to_string(),
        CLEAR.to_string(),
        "-f".to_string(),
        path.display().to_string(),
        format!("--dbname={url}"),
    ];
    run_tool(&["psql"], EngineKind::Postgres, "postgresql-client", &args, &[], None)
}
