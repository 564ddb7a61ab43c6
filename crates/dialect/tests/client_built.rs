//! Databases other tools built: each document under `client_built/<engine>/` has its SQL run by the
//! engine's own client (`sqlite3`, `psql`, `mariadb`), exactly as written, the way a team builds a
//! database by hand. Then schemadoc reads the same document and must find nothing to change: a
//! spelling the server keeps differently is not drift. Every case is tried; the failures are
//! reported together. Under `CI=true` the clients must be installed.
//!
//! Then schemadoc builds the same document in a second, empty database, and the table storage
//! options the catalogs keep — SQLite `STRICT`/`WITHOUT ROWID` (`pragma table_list`), MySQL
//! table and column collations (`information_schema`) — must be
//! the same in both: what the document states is created, not only left alone.

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{plan_migration_on, EngineKind, InspectFilter, PlanOptions};
use std::path::{Path, PathBuf};

fn cases(engine: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/client_built").join(engine);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    out.sort();
    out
}

/// The content of the document's first fenced block.
fn sql_block(text: &str) -> String {
    let mut lines = text.lines().skip_while(|l| !l.starts_with("```"));
    lines.next();
    lines.take_while(|l| !l.starts_with("```")).collect::<Vec<_>>().join("\n")
}

fn client_available(kind: EngineKind) -> bool {
    let client = match kind {
        EngineKind::Sqlite => "sqlite3",
        EngineKind::Postgres => "psql",
        EngineKind::Mysql => "mariadb",
    };
    let found = std::process::Command::new(client).arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(found || std::env::var("CI").as_deref() != Ok("true"), "CI=true and `{client}` is not installed");
    found
}

/// The storage options of every table, one line each, as the engine's catalog reports them
/// (read through the client, not through schemadoc's own inspection); `None` where there are none
/// to compare.
fn storage_options(db: &ScratchDb) -> Option<Result<String, String>> {
    let sql = match db.kind {
        EngineKind::Sqlite => {
            // NOTE: schemadoc's connection closes on a worker thread after the session is dropped.
            ".timeout 5000\nSELECT name, strict, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
             AND name NOT LIKE 'sqlite%' AND name <> 'schemadoc_history' ORDER BY name;"
        }
        EngineKind::Mysql => {
            "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> 'schemadoc_history' \
             ORDER BY TABLE_NAME; \
             SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'schemadoc_history' \
             ORDER BY TABLE_NAME, ORDINAL_POSITION;"
        }
        EngineKind::Postgres => return None,
    };
    Some(db.client_output(sql))
}

/// Builds the document in a fresh database with schemadoc's own plan, and compares the storage
/// options its catalog reports with those of the database the client built.
fn built_by_schemadoc_matches(
    kind: EngineKind,
    document: &model::Schema,
    client_built: &ScratchDb,
) -> Result<(), String> {
    let Some(expected) = storage_options(client_built) else { return Ok(()) };
    let expected = expected.map_err(|e| format!("cannot read the client-built catalog: {e}"))?;
    let Some(db) = ScratchDb::new(kind) else { return Ok(()) };
    let mut session = db.session();
    let live = session.inspect(&InspectFilter::for_document(kind, document)).map_err(|e| e.to_string())?;
    let (_, _, plan, _) =
        plan_migration_on(session.as_mut(), &live, document, &Renames::default(), &PlanOptions::default());
    session.apply(&plan, "client_built").map_err(|e| format!("schemadoc could not build the document: {e}"))?;
    drop(session);
    let got = storage_options(&db)
        .unwrap_or_else(|| Ok(String::new()))
        .map_err(|e| format!("cannot read the catalog schemadoc built: {e}"))?;
    if got == expected {
        Ok(())
    } else {
        Err(format!(
            "table options differ from the client-built database:\n  client:    {expected:?}\n  schemadoc: {got:?}"
        ))
    }
}

/// Builds every case of `kind` with the client, then plans: each must plan nothing.
fn run(kind: EngineKind, folder: &str) {
    if !client_available(kind) {
        eprintln!("skipping: the {kind} client is not installed");
        return;
    }
    let mut failures = Vec::new();
    let all = cases(folder);
    assert!(!all.is_empty());
    for case in &all {
        let Some(db) = ScratchDb::new(kind) else { return };
        let text = std::fs::read_to_string(case).expect("case");
        if let Err(e) = db.run_client(&sql_block(&text)) {
            failures.push(format!("{}: the client refused the document's SQL:\n{e}", case.display()));
            continue;
        }
        let files = [extract::SourceFile { name: case.display().to_string().into(), text }];
        let extraction = extract::extract(&files, &extract::Options::default());
        let errors: Vec<String> = extraction
            .diagnostics
            .iter()
            .filter(|d| d.severity == model::Severity::Error)
            .map(|d| format!("  line {}: {}", d.span.line, d.message))
            .collect();
        if !errors.is_empty() {
            failures.push(format!(
                "{}: schemadoc cannot read SQL its client ran:\n{}",
                case.display(),
                errors.join("\n")
            ));
            continue;
        }
        let document = extraction.schema;
        let mut session = db.session();
        let live = session.inspect(&InspectFilter::for_document(kind, &document)).expect("inspect");
        let (_, _, plan, _) =
            plan_migration_on(session.as_mut(), &live, &document, &Renames::default(), &PlanOptions::default());
        if !plan.is_empty() {
            let steps: Vec<String> =
                plan.statements.iter().map(|s| format!("  -- {}\n  {};", s.reason, s.sql)).collect();
            failures.push(format!(
                "{}: false drift on a database {kind}'s client built:\n{}",
                case.display(),
                steps.join("\n")
            ));
        }
        drop(session);
        if let Err(e) = built_by_schemadoc_matches(kind, &document, &db) {
            failures.push(format!("{}: {e}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), all.len(), failures.join("\n\n"));
}

#[test]
fn sqlite_databases_built_by_sqlite3_have_no_drift() {
    run(EngineKind::Sqlite, "sqlite");
}

#[test]
fn postgres_databases_built_by_psql_have_no_drift() {
    run(EngineKind::Postgres, "postgres");
}

#[test]
fn mysql_databases_built_by_the_mariadb_client_have_no_drift() {
    run(EngineKind::Mysql, "mysql");
}
