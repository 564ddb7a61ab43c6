//! `copy` against pgloader on the same 1,000,000-row SQLite file (50,000 users, 950,000 events with
//! text, integer flags, reals, JSON text and text dates), each into a fresh PostgreSQL database,
//! one after the other; then `load` of a 200,000-record JSON file into SQLite and PostgreSQL.
//! Prints rows/s. Run with `cargo bench -p schemadoc-data --bench copy_vs_pgloader`; needs the local
//! PostgreSQL server and `pgloader` (Debian package) on PATH.

use dialect::testing::ScratchDb;
use dialect::{connect_data, engine, EngineKind};
use schemadoc_data::copy::{plan_copy, run_copy};
use schemadoc_data::{load, LoadOptions};
use std::time::Instant;

const USERS: usize = 50_000;
const EVENTS: usize = 950_000;
const RECORDS: usize = 200_000;

fn build_source(db: &ScratchDb) {
    let mut s = connect_data(&db.url).unwrap();
    s.execute(&format!(
        "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT,
           is_admin INTEGER NOT NULL DEFAULT 0, profile TEXT, created_at DATETIME NOT NULL);
         CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), kind TEXT NOT NULL,
           score REAL, payload TEXT, happened_at DATETIME);
         CREATE INDEX idx_events_user ON events (user_id);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {USERS})
         INSERT INTO users (email, name, is_admin, profile, created_at)
           SELECT 'user' || i || '@example.kr', CASE WHEN i % 7 = 0 THEN NULL ELSE '사용자 ' || i END,
                  i % 2, '{{\"tags\":[\"한국어\",\"x\"],\"level\":' || (i % 5) || '}}',
                  '2025-11-04 ' || printf('%02d', i % 24) || ':12:28' FROM n;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {EVENTS})
         INSERT INTO events SELECT i, 1 + i % {USERS}, CASE i % 3 WHEN 0 THEN 'login' WHEN 1 THEN '구매' ELSE 'logout' END,
           CASE WHEN i % 11 = 0 THEN NULL ELSE i * 0.25 END, '{{\"n\":' || i || '}}', '2025-02-03 04:05:06' FROM n;"
    ))
    .unwrap();
}

fn count(url: &str, table: &str) -> i64 {
    connect_data(url).unwrap().scalar(&format!("SELECT COUNT(*) FROM {table}")).unwrap().unwrap_or(-1)
}

/// CPU seconds (user + system) of this process and of its waited-for children, from
/// `/proc/self/stat` (clock ticks of 1/100 s): the database server's own work is in neither.
fn cpu() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    // After the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    let at = |n: usize| f.get(n - 3).copied().unwrap_or(0.0) / 100.0;
    (at(14) + at(15), at(16) + at(17))
}

fn main() {
    let source = ScratchDb::new(EngineKind::Sqlite).unwrap();
    let t = Instant::now();
    build_source(&source);
    let rows = (USERS + EVENTS) as f64;
    println!("built the SQLite file ({} rows) in {:.1} s", USERS + EVENTS, t.elapsed().as_secs_f64());

    let ours = ScratchDb::new(EngineKind::Postgres).expect("the local PostgreSQL server");
    let t = Instant::now();
    let (cpu_before, _) = cpu();
    let job = plan_copy(&source.url, &ours.url, None).unwrap();
    let outcome = run_copy(&job, &mut |_, _| {}).unwrap();
    let total = t.elapsed().as_secs_f64();
    let ours_cpu = cpu().0 - cpu_before;
    assert!(outcome.verified(), "{:#?}", outcome.tables);
    assert_eq!(count(&ours.url, "events"), EVENTS as i64);
    println!(
        "schemadoc copy: {total:.2} s in all, {:.0} rows/s (rows {:.2} s, keys and indexes {:.2} s, verification {:.2} s)",
        rows / total,
        outcome.copy_seconds,
        outcome.constraints_seconds,
        outcome.verify_seconds
    );
    println!("schemadoc copy: {ours_cpu:.2} s of client CPU (reading, converting, writing, verifying)");
    println!(
        "schemadoc copy without verification: {:.2} s, {:.0} rows/s",
        total - outcome.verify_seconds,
        rows / (total - outcome.verify_seconds)
    );

    let theirs = ScratchDb::new(EngineKind::Postgres).unwrap();
    let file = source.url.trim_start_matches("sqlite://").to_string();
    let pg = theirs.url.replacen("postgres://", "postgresql://", 1);
    let t = Instant::now();
    let (_, children_before) = cpu();
    let status = std::process::Command::new("pgloader")
        .args(["--quiet", &format!("sqlite://{file}"), &pg])
        .status()
        .expect("pgloader on PATH (apt-get install pgloader)");
    let total = t.elapsed().as_secs_f64();
    assert!(status.success(), "pgloader failed");
    assert_eq!(count(&theirs.url, "events"), EVENTS as i64, "pgloader copied every row");
    println!("pgloader: {total:.2} s, {:.0} rows/s, {:.2} s of client CPU", rows / total, cpu().1 - children_before);
    println!("load average: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());

    // `load`: a JSON array of user records into SQLite and PostgreSQL.
    let dir = std::env::temp_dir().join(format!("schemadoc_load_bench_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("users.json");
    let mut text = String::from("[");
    for i in 0..RECORDS {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"id":"u-{i:07}","email":"user{i}@example.kr","name":"사용자 {i}","emailVerified":{},"credits":{},"profile":{{"level":{}}},"createdAt":"2025-11-04T07:12:28.566Z"}}"#,
            i % 2 == 0,
            i % 1000,
            i % 5
        ));
    }
    text.push(']');
    std::fs::write(&path, text).unwrap();
    let doc =
        "```sql\nCREATE TABLE users (id VARCHAR(36) PRIMARY KEY, email VARCHAR(255) NOT NULL, name VARCHAR(100),\n  \
               email_verified BOOLEAN NOT NULL DEFAULT FALSE, credits INTEGER NOT NULL DEFAULT 0, profile JSON,\n  \
               created_at TIMESTAMP NOT NULL);\n```\n";
    let schema = extract::extract(
        &[extract::SourceFile { name: "d.md".into(), text: doc.into() }],
        &extract::Options::default(),
    )
    .schema;
    for kind in [EngineKind::Sqlite, EngineKind::Postgres] {
        let db = ScratchDb::new(kind).unwrap();
        let mut s = db.session();
        for st in engine(kind).create_schema(&schema).statements {
            s.execute(&st.sql).unwrap();
        }
        let mut w = connect_data(&db.url).unwrap();
        let t = Instant::now();
        let report = load(w.as_mut(), &schema, std::slice::from_ref(&path), &LoadOptions::default()).unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(report.clean());
        assert_eq!(count(&db.url, "users"), RECORDS as i64);
        println!("schemadoc load into {kind}: {RECORDS} records in {secs:.2} s, {:.0} rows/s", RECORDS as f64 / secs);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
