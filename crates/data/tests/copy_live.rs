//! `copy` from SQLite into every engine: rows converted by the document's types (text dates →
//! timestamps, integer flags → booleans, JSON text → jsonb), counts and checksums equal, foreign
//! keys and indexes added after the rows, sequences moved past the keys, and an interrupted copy
//! resuming after the tables it finished.

use dialect::testing::ScratchDb;
use dialect::{connect_data, EngineKind};
use schemadoc_data::copy::{plan_copy, run_copy, CopyFailure};

const EVENTS: usize = 100_000;
const USERS: usize = 5_000;

/// The source: a SQLite database as the teams' apps write them.
fn source(db: &ScratchDb) {
    let mut s = connect_data(&db.url).unwrap();
    s.execute(&format!(
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT,
           is_admin INTEGER NOT NULL DEFAULT 0, profile TEXT, created_at DATETIME NOT NULL);
         CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), kind TEXT NOT NULL,
           score REAL, payload TEXT, happened_at TEXT);
         CREATE INDEX idx_events_user ON events (user_id);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {USERS})
         INSERT INTO users (email, name, is_admin, profile, created_at)
           SELECT 'user' || i || '@example.kr', CASE WHEN i % 7 = 0 THEN NULL ELSE '사용자 ' || i || ' 김\tO''Neil' END,
                  i % 2, '{{\"tags\":[\"한국어\",\"x\"],\"level\":' || (i % 5) || '}}',
                  '2025-11-04 ' || printf('%02d', i % 24) || ':12:28' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {EVENTS})
         INSERT INTO events SELECT i, 1 + i % {USERS}, CASE i % 3 WHEN 0 THEN 'login' WHEN 1 THEN '구매' ELSE 'logout' END,
           CASE WHEN i % 11 = 0 THEN NULL ELSE i * 0.25 END, '{{\"n\":' || i || '}}', '2025-02-03T04:05:06.5Z' FROM n;"
    ))
    .unwrap();
}

const DOC: &str = "```sql
CREATE TABLE users (id BIGSERIAL PRIMARY KEY, email VARCHAR(255) NOT NULL UNIQUE, name TEXT,
  is_admin BOOLEAN NOT NULL DEFAULT FALSE, profile JSONB, created_at TIMESTAMPTZ NOT NULL);
CREATE TABLE events (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id), kind VARCHAR(20) NOT NULL,
  score DOUBLE PRECISION, payload JSONB, happened_at TIMESTAMPTZ);
CREATE INDEX idx_events_user ON events (user_id);
```
";

fn document() -> model::Schema {
    let files = [extract::SourceFile { name: "d.md".into(), text: DOC.to_string() }];
    extract::extract(&files, &extract::Options::default()).schema
}

fn count(url: &str, sql: &str) -> i64 {
    connect_data(url).unwrap().scalar(sql).unwrap().unwrap_or(-1)
}

fn copies_with_equal_checksums(kind: EngineKind) {
    let (Some(from), Some(to)) = (ScratchDb::new(EngineKind::Sqlite), ScratchDb::new(kind)) else { return };
    source(&from);
    let job = plan_copy(&from.url, &to.url, Some(&document())).unwrap();
    assert!(job.fresh);
    let outcome = run_copy(&job, &mut |_, _| {}).unwrap();
    assert!(outcome.verified(), "{:#?}", outcome.tables);
    assert_eq!(outcome.rows(), (USERS + EVENTS) as u64);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM events"), EVENTS as i64);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM users WHERE is_admin"), (USERS / 2 + USERS % 2) as i64);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM users WHERE name IS NULL"), (USERS / 7) as i64);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM events WHERE kind = '구매'"), (EVENTS / 3 + 1) as i64);
    if kind == EngineKind::Postgres {
        // Text became typed values; the foreign key came after the rows; the sequence moved on.
        assert_eq!(count(&to.url, "SELECT COUNT(*) FROM users WHERE profile->>'level' = '0'"), (USERS / 5) as i64);
        assert_eq!(
            count(&to.url, "SELECT COUNT(*) FROM events WHERE happened_at = '2025-02-03 04:05:06.5+00'"),
            EVENTS as i64
        );
        assert_eq!(count(&to.url, "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f'"), 1);
        assert_eq!(count(&to.url, "SELECT nextval(pg_get_serial_sequence('users', 'id'))"), USERS as i64 + 1);
    }
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM schemadoc_history"), 2, "tables, then keys and indexes");
}

#[test]
fn sqlite_copies_to_postgres_with_equal_checksums() {
    copies_with_equal_checksums(EngineKind::Postgres);
}

#[test]
fn sqlite_copies_to_mysql_with_equal_checksums() {
    copies_with_equal_checksums(EngineKind::Mysql);
}

#[test]
fn sqlite_copies_to_sqlite_with_equal_checksums() {
    copies_with_equal_checksums(EngineKind::Sqlite);
}

#[test]
fn an_interrupted_copy_resumes_after_the_tables_it_finished() {
    let (Some(from), Some(to)) = (ScratchDb::new(EngineKind::Sqlite), ScratchDb::new(EngineKind::Postgres)) else {
        return;
    };
    source(&from);
    // A value the target cannot hold stops the copy in the second table.
    connect_data(&from.url).unwrap().execute("UPDATE events SET happened_at = 'soon' WHERE id = 50000").unwrap();
    let job = plan_copy(&from.url, &to.url, Some(&document())).unwrap();
    let err = run_copy(&job, &mut |_, _| {}).unwrap_err();
    assert!(matches!(&err, CopyFailure::Copy(_)), "{err}");
    let message = err.to_string();
    assert!(message.contains("events") && message.contains("happened_at"), "{message}");
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM users"), USERS as i64);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM events"), 0, "the failed table's rows are rolled back");

    connect_data(&from.url).unwrap().execute("UPDATE events SET happened_at = NULL WHERE id = 50000").unwrap();
    let job = plan_copy(&from.url, &to.url, Some(&document())).unwrap();
    assert!(job.fresh, "an unfinished copy still adds keys after the rows");
    let outcome = run_copy(&job, &mut |_, _| {}).unwrap();
    let resumed: Vec<(&str, bool)> = outcome.tables.iter().map(|t| (t.table.as_str(), t.resumed)).collect();
    assert_eq!(resumed, [("users", true), ("events", false)]);
    assert!(outcome.verified(), "{:#?}", outcome.tables);
    assert_eq!(count(&to.url, "SELECT COUNT(*) FROM events"), EVENTS as i64);
    assert_eq!(
        count(&to.url, "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'schemadoc_copy_progress'"),
        0,
        "a finished copy leaves no progress table"
    );
}

#[test]
fn a_target_table_with_rows_is_refused() {
    let (Some(from), Some(to)) = (ScratchDb::new(EngineKind::Sqlite), ScratchDb::new(EngineKind::Sqlite)) else {
        return;
    };
    source(&from);
    let job = plan_copy(&from.url, &to.url, Some(&document())).unwrap();
    run_copy(&job, &mut |_, _| {}).unwrap();
    let job = plan_copy(&from.url, &to.url, Some(&document())).unwrap();
    assert!(!job.fresh);
    let err = run_copy(&job, &mut |_, _| {}).unwrap_err().to_string();
    assert!(err.contains("already holds 5000 rows"), "{err}");
}

/// Any pair: PostgreSQL (read through its text output) back into SQLite, the schema from the source.
#[test]
fn postgres_copies_back_to_sqlite() {
    let (Some(first), Some(pg), Some(back)) =
        (ScratchDb::new(EngineKind::Sqlite), ScratchDb::new(EngineKind::Postgres), ScratchDb::new(EngineKind::Sqlite))
    else {
        return;
    };
    source(&first);
    run_copy(&plan_copy(&first.url, &pg.url, Some(&document())).unwrap(), &mut |_, _| {}).unwrap();
    let outcome = run_copy(&plan_copy(&pg.url, &back.url, None).unwrap(), &mut |_, _| {}).unwrap();
    assert!(outcome.verified(), "{:#?}", outcome.tables);
    assert_eq!(count(&back.url, "SELECT COUNT(*) FROM events"), EVENTS as i64);
    assert_eq!(count(&back.url, "SELECT COUNT(*) FROM users WHERE is_admin = 1"), (USERS / 2 + USERS % 2) as i64);
}
