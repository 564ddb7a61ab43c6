//! Crash safety: an `apply` killed with SIGKILL at a random moment leaves the database at the old
//! schema or the new one, with every row. 50 trials per transactional engine (SQLite, PostgreSQL);
//! the moments are spread over the measured duration of an uninterrupted apply. Where a plan is
//! not one transaction (MariaDB/MySQL DDL, PostgreSQL `--online`), a killed apply may leave part of
//! it done: the next apply converges on the new schema with every row, no history row stays
//! `running` and no index stays invalid.

use dialect::testing::ScratchDb;
use dialect::EngineKind;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const TRIALS: u64 = 50;
const ROWS: i64 = 100_000;

const BEFORE: &str = "```sql\nCREATE TABLE items (\n  id INTEGER PRIMARY KEY,\n  name VARCHAR(50) NOT NULL,\n  qty INTEGER,\n  note TEXT\n);\n```\n";

/// A change SQLite can only make by rebuilding the table, and PostgreSQL in several statements.
const AFTER: &str = "```sql\nCREATE TABLE items (\n  id INTEGER PRIMARY KEY,\n  name VARCHAR(80) NOT NULL,\n  qty BIGINT NOT NULL CHECK (qty >= 0),\n  note TEXT,\n  tag VARCHAR(20) DEFAULT 'new'\n);\nCREATE INDEX idx_items_name ON items (name);\n```\n";

const FILL: &str = "INSERT INTO items (id, name, qty, note) WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100000) SELECT n, 'item' || n, n % 100, 'note' FROM s";

const INTACT: &str = "SELECT count(*) FROM items WHERE name = 'item' || id AND qty = id % 100 AND note = 'note'";

struct Docs {
    dir: PathBuf,
}

impl Docs {
    fn new(tag: &str) -> Docs {
        let dir = std::env::temp_dir().join(format!("schemadoc-crash-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("before.md"), BEFORE).expect("write");
        std::fs::write(dir.join("after.md"), AFTER).expect("write");
        Docs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).to_str().expect("utf-8 path").to_string()
    }
}

impl Drop for Docs {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn schemadoc() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_schemadoc"));
    c.env_remove("DATABASE_URL");
    c
}

/// A database at the `before` schema holding `ROWS` rows.
fn prepared(kind: EngineKind, docs: &Docs) -> Option<ScratchDb> {
    let db = ScratchDb::new(kind)?;
    let out = schemadoc().args(["apply", &docs.path("before.md"), "--db", &db.url]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let fill = match kind {
        // NOTE: MariaDB stops a recursive CTE after 1,000 rows unless told otherwise.
        EngineKind::Mysql => format!("SET SESSION max_recursive_iterations = {ROWS}; {FILL}"),
        _ => FILL.to_string(),
    };
    db.session().execute(&fill).expect("fill");
    Some(db)
}

fn at_schema(docs: &Docs, doc: &str, url: &str) -> bool {
    schemadoc().args(["drift", &docs.path(doc), "--db", url]).output().expect("runs").status.success()
}

/// xorshift: deterministic moments, so a failure can be replayed.
fn moments(seed: u64, n: u64, span: Duration) -> Vec<Duration> {
    let mut state = seed | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            span.mul_f64((state % 10_000) as f64 / 10_000.0)
        })
        .collect()
}

fn crash_trials(kind: EngineKind) {
    let docs = Docs::new(kind.name());
    // How long an uninterrupted apply takes.
    let Some(db) = prepared(kind, &docs) else { return };
    let start = Instant::now();
    let out = schemadoc().args(["apply", &docs.path("after.md"), "--db", &db.url]).output().expect("runs");
    let full = start.elapsed();
    assert!(out.status.success(), "{kind}: the migration itself fails: {}", String::from_utf8_lossy(&out.stderr));
    assert!(at_schema(&docs, "after.md", &db.url));
    assert_eq!(db.session().count(INTACT).expect("count"), ROWS);
    drop(db);

    let (mut old, mut new) = (0, 0);
    for (trial, moment) in moments(0x5eed ^ kind as u64, TRIALS, full.mul_f64(1.2)).into_iter().enumerate() {
        let Some(db) = prepared(kind, &docs) else { return };
        let mut child = schemadoc()
            .args(["apply", &docs.path("after.md"), "--db", &db.url])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(moment);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let is_old = at_schema(&docs, "before.md", &db.url);
        let is_new = at_schema(&docs, "after.md", &db.url);
        assert!(is_old || is_new, "{kind} trial {trial} (killed after {moment:?}): neither the old nor the new schema");
        assert_eq!(db.session().count(INTACT).expect("count"), ROWS, "{kind} trial {trial}: rows lost");
        if is_old {
            old += 1;
        } else {
            new += 1;
        }
    }
    eprintln!("{kind}: {TRIALS} kills over {full:?}: {old} left the old schema, {new} the new one");
}

#[test]
fn killed_applies_leave_old_or_new_schema_with_every_row_on_sqlite() {
    crash_trials(EngineKind::Sqlite);
}

#[test]
fn killed_applies_leave_old_or_new_schema_with_every_row_on_postgres() {
    crash_trials(EngineKind::Postgres);
}

/// Applies `after.md` until it succeeds: a killed apply's statement may still hold the lock for a
/// moment (the server finishes it), which the next apply reports and is tried again.
fn apply_again(docs: &Docs, url: &str, flags: &[&str]) {
    for _ in 0..10 {
        let out = schemadoc().args(["apply", &docs.path("after.md"), "--db", url]).args(flags).output().expect("runs");
        if out.status.success() {
            return;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("another schemadoc apply"), "the next apply fails: {err}");
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("the lock of the killed apply was never released");
}

fn converge_trials(kind: EngineKind, flags: &[&str], trials: u64) {
    let docs = Docs::new(&format!("{}-converge", kind.name()));
    let Some(db) = prepared(kind, &docs) else { return };
    let start = Instant::now();
    let out = schemadoc().args(["apply", &docs.path("after.md"), "--db", &db.url]).args(flags).output().expect("runs");
    let full = start.elapsed();
    assert!(out.status.success(), "{kind}: the migration itself fails: {}", String::from_utf8_lossy(&out.stderr));
    drop(db);
    let mut partial = 0;
    // The later part of the apply, where a plan that is not one transaction leaves work half done.
    let spread = moments(0xc0de ^ kind as u64, trials, full.mul_f64(0.8)).into_iter().map(|m| m + full.mul_f64(0.4));
    for (trial, moment) in spread.enumerate() {
        let Some(db) = prepared(kind, &docs) else { return };
        let mut child = schemadoc()
            .args(["apply", &docs.path("after.md"), "--db", &db.url])
            .args(flags)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(moment);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !at_schema(&docs, "before.md", &db.url) && !at_schema(&docs, "after.md", &db.url) {
            partial += 1;
        }
        apply_again(&docs, &db.url, flags);
        assert!(at_schema(&docs, "after.md", &db.url), "{kind} trial {trial} (killed after {moment:?}): not converged");
        let mut s = db.session();
        assert_eq!(s.count(INTACT).expect("count"), ROWS, "{kind} trial {trial}: rows lost");
        let stale = match kind {
            EngineKind::Mysql => "SELECT count(*) FROM schemadoc_history WHERE outcome = 'running'",
            _ => "SELECT count(*) FROM pg_index WHERE NOT indisvalid",
        };
        assert_eq!(s.count(stale).expect("count"), 0, "{kind} trial {trial}: {stale}");
    }
    eprintln!("{kind} {flags:?}: {trials} kills over {full:?}, {partial} left a partly applied plan; all converged");
}

#[test]
fn killed_applies_converge_on_the_next_apply_on_mysql() {
    converge_trials(EngineKind::Mysql, &[], 12);
}

#[test]
fn killed_online_applies_converge_on_the_next_apply_on_postgres() {
    converge_trials(EngineKind::Postgres, &["--online"], 16);
}
