//! `load` against live databases: JSON files shaped like the sample documents' (`data/users.json`,
//! `sessions.json` keyed by id, `credit_history.json`), thousands of rows with Korean text and
//! nulls, bad rows, exact counts, upserts on a second load, and MySQL resuming after its last batch.

use dialect::testing::ScratchDb;
use dialect::{connect_data, engine, DataSession, EngineKind};
use schemadoc_data::{load, FieldMap, LoadOptions, Outcome};
use serde_json::json;
use std::path::PathBuf;

const DOC: &str = r#"
# 크레딧 서비스

```sql
CREATE TABLE users (
  id VARCHAR(36) PRIMARY KEY,
  email VARCHAR(255) NOT NULL UNIQUE,
  name VARCHAR(100),
  email_verified BOOLEAN NOT NULL DEFAULT FALSE,
  credits INTEGER NOT NULL DEFAULT 0,
  is_admin BOOLEAN NOT NULL DEFAULT FALSE,
  profile JSON,
  created_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
  id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users(id),
  is_admin BOOLEAN NOT NULL DEFAULT FALSE,
  expires_at TIMESTAMP NOT NULL
);

CREATE TABLE credit_history (
  id VARCHAR(36) PRIMARY KEY,
  user_id VARCHAR(36) NOT NULL REFERENCES users(id),
  type VARCHAR(10) NOT NULL,
  amount INTEGER NOT NULL,
  balance INTEGER NOT NULL,
  description TEXT,
  created_at TIMESTAMP NOT NULL
);
```
"#;

const KINDS: [&str; 3] = ["charge", "use", "refund"];
const USERS: usize = 3000;
const CREDITS: usize = 6000;
const SESSIONS: usize = 1500;

fn schema() -> model::Schema {
    let files = [extract::SourceFile { name: "design.md".into(), text: DOC.to_string() }];
    extract::extract(&files, &extract::Options::default()).schema
}

fn create(db: &ScratchDb, schema: &model::Schema) {
    let mut session = db.session();
    for s in engine(db.kind).create_schema(schema).statements {
        session.execute(&s.sql).unwrap_or_else(|e| panic!("{}: {e}", s.sql));
    }
}

struct Files {
    dir: PathBuf,
}

impl Drop for Files {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn files(tag: &str) -> Files {
    let dir = std::env::temp_dir().join(format!("schemadoc_load_{tag}_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let users: Vec<_> = (0..USERS)
        .map(|i| {
            json!({
                "id": format!("u-{i:05}"),
                "email": format!("user{i}@example.kr"),
                "name": if i % 7 == 0 { serde_json::Value::Null } else { json!(format!("사용자 {i}번 김철수")) },
                "emailVerified": i % 2 == 0,
                "credits": i % 1000,
                "isAdmin": if i % 100 == 0 { json!(1) } else { json!(false) },
                "profile": { "tags": ["한국어", "test"], "level": i % 5 },
                "createdAt": format!("2025-11-{:02}T{:02}:12:28.566Z", 1 + i % 28, i % 24),
                "kakaoId": format!("kakao{i}"),
            })
        })
        .collect();
    std::fs::write(dir.join("users.json"), serde_json::to_string_pretty(&users).unwrap()).unwrap();
    let sessions: serde_json::Map<String, serde_json::Value> = (0..SESSIONS)
        .map(|i| {
            (
                format!("s-{i:05}"),
                json!({ "userId": format!("u-{:05}", i * 2), "isAdmin": i % 3 == 0, "expiresAt": 1_762_240_348_566i64 + i as i64 }),
            )
        })
        .collect();
    std::fs::write(dir.join("sessions.json"), serde_json::to_string(&sessions).unwrap()).unwrap();
    let credits: Vec<_> = (0..CREDITS)
        .map(|i| {
            json!({
                "id": format!("c-{i:05}"),
                "userId": format!("u-{:05}", i % USERS),
                "type": KINDS[i % 3],
                "amount": if i % 3 == 1 { -10 } else { 100 },
                "balance": i,
                "description": if i % 5 == 0 { serde_json::Value::Null } else { json!("크레딧 충전 ✓") },
                "createdAt": format!("2025-10-{:02} 09:00:00", 1 + i % 30),
            })
        })
        .collect();
    std::fs::write(dir.join("credit_history.json"), serde_json::to_string(&credits).unwrap()).unwrap();
    Files { dir }
}

fn count(s: &mut dyn DataSession, sql: &str) -> i64 {
    s.scalar(sql).unwrap().unwrap_or(-1)
}

fn paths(f: &Files, names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(|n| f.dir.join(n)).collect()
}

fn loads_with_exact_counts(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let schema = schema();
    create(&db, &schema);
    let f = files(&format!("ok_{kind}"));
    let mut s = connect_data(&db.url).unwrap();
    // Given out of order: credit history and sessions reference users, which must come first.
    let all = paths(&f, &["credit_history.json", "sessions.json", "users.json"]);
    let report = load(s.as_mut(), &schema, &all, &LoadOptions::default()).unwrap();
    let order: Vec<&str> = report.files.iter().map(|r| r.table.as_str()).collect();
    assert_eq!(order[0], "users", "{order:?}");
    assert!(report.clean(), "{report:#?}");
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM users"), USERS as i64);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM sessions"), SESSIONS as i64);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM credit_history"), CREDITS as i64);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM users WHERE name IS NULL"), USERS.div_ceil(7) as i64);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM users WHERE is_admin"), (USERS / 100) as i64);
    assert_eq!(
        count(s.as_mut(), "SELECT COUNT(*) FROM users WHERE name LIKE '%김철수'"),
        (USERS - USERS.div_ceil(7)) as i64
    );
    // The session keyed by id got its key; its millisecond timestamp kept its instant.
    let expires = "SELECT COUNT(*) FROM sessions WHERE id = 's-00001' AND expires_at = '2025-11-04 07:12:28.567'";
    assert_eq!(count(s.as_mut(), expires), 1);
    assert_eq!(report.files[0].unmapped, vec![("kakaoId".to_string(), USERS as u64)]);

    // A second load updates in place: same counts, no duplicates.
    let report = load(s.as_mut(), &schema, &all, &LoadOptions::default()).unwrap();
    assert!(report.clean(), "{report:#?}");
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM credit_history"), CREDITS as i64);
}

fn bad_rows_write_nothing(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let schema = schema();
    create(&db, &schema);
    let f = files(&format!("bad_{kind}"));
    let mut s = connect_data(&db.url).unwrap();
    load(s.as_mut(), &schema, &paths(&f, &["users.json"]), &LoadOptions::default()).unwrap();
    let mut credits: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(f.dir.join("credit_history.json")).unwrap()).unwrap();
    credits[10].as_object_mut().unwrap().remove("amount");
    credits[20]["balance"] = json!("많이");
    credits[30]["userId"] = json!("u-99999");
    let bad = f.dir.join("credits.json");
    std::fs::write(&bad, serde_json::to_string(&credits).unwrap()).unwrap();
    let options = LoadOptions {
        tables: vec![schemadoc_data::TableMap::parse("credits.json=credit_history").unwrap()],
        ..LoadOptions::default()
    };
    let report = load(s.as_mut(), &schema, std::slice::from_ref(&bad), &options).unwrap();
    let file = &report.files[0];
    assert_eq!(file.outcome, Outcome::Refused);
    assert_eq!(file.bad_rows, 3);
    let found: Vec<(u64, Option<&str>)> = file.problems.iter().map(|p| (p.index, p.field.as_deref())).collect();
    assert_eq!(found, [(10, Some("amount")), (20, Some("balance")), (30, Some("userId"))]);
    assert!(file.problems[2].message.contains("u-99999"), "{}", file.problems[2].message);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM credit_history"), 0);

    let skip = LoadOptions { skip_bad_rows: true, ..options.clone() };
    let dry = LoadOptions { dry_run: true, ..skip.clone() };
    let report = load(s.as_mut(), &schema, std::slice::from_ref(&bad), &dry).unwrap();
    assert_eq!((report.files[0].rows, report.files[0].outcome.clone()), (CREDITS as u64 - 3, Outcome::Checked));
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM credit_history"), 0);
    let report = load(s.as_mut(), &schema, &[bad], &skip).unwrap();
    assert_eq!(report.files[0].outcome, Outcome::Written);
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM credit_history"), CREDITS as i64 - 3);
}

#[test]
fn sqlite_loads_with_exact_counts() {
    loads_with_exact_counts(EngineKind::Sqlite);
}

#[test]
fn postgres_loads_with_exact_counts() {
    loads_with_exact_counts(EngineKind::Postgres);
}

#[test]
fn mysql_loads_with_exact_counts() {
    loads_with_exact_counts(EngineKind::Mysql);
}

#[test]
fn sqlite_bad_rows_write_nothing() {
    bad_rows_write_nothing(EngineKind::Sqlite);
}

#[test]
fn postgres_bad_rows_write_nothing() {
    bad_rows_write_nothing(EngineKind::Postgres);
}

#[test]
fn mysql_bad_rows_write_nothing() {
    bad_rows_write_nothing(EngineKind::Mysql);
}

#[test]
fn explicit_maps_reach_renamed_columns() {
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    let doc = DOC.replace("name VARCHAR(100),", "name VARCHAR(100),\n  kakao_talk_id TEXT,");
    let sources = [extract::SourceFile { name: "design.md".into(), text: doc }];
    let schema = extract::extract(&sources, &extract::Options::default()).schema;
    create(&db, &schema);
    let f = files("map");
    let mut s = connect_data(&db.url).unwrap();
    let options = LoadOptions {
        fields: vec![FieldMap::parse("users.kakaoId=users.kakao_talk_id").unwrap()],
        ..Default::default()
    };
    let report = load(s.as_mut(), &schema, &[f.dir.join("users.json")], &options).unwrap();
    assert!(report.clean(), "{report:#?}");
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM users WHERE kakao_talk_id = 'kakao7'"), 1);
}

/// MySQL commits each batch with its position: a load interrupted after some batches resumes
/// after them (simulated here by the position an interrupted load leaves behind).
#[test]
fn mysql_resumes_after_committed_batches() {
    let Some(db) = ScratchDb::new(EngineKind::Mysql) else { return };
    let schema = schema();
    create(&db, &schema);
    let f = files("resume");
    let mut s = connect_data(&db.url).unwrap();
    let users = f.dir.join("users.json");
    load(s.as_mut(), &schema, std::slice::from_ref(&users), &LoadOptions::default()).unwrap();
    s.execute("DELETE FROM users WHERE id >= 'u-02000'").unwrap();
    // What an interruption after 2000 rows leaves: those rows, and the position.
    let source = schemadoc_data::source_id(&users, schema.table("users").unwrap());
    dialect::data::progress(s.as_mut(), &source).unwrap();
    dialect::data::record_progress(s.as_mut(), &source, 2000).unwrap();
    s.execute("DELETE FROM users WHERE id < 'u-00010'").unwrap();
    let report = load(s.as_mut(), &schema, &[users], &LoadOptions::default()).unwrap();
    assert_eq!(report.files[0].resumed, 2000, "{report:#?}");
    // Rows before the position are not written again: the 10 deleted stay deleted.
    assert_eq!(count(s.as_mut(), "SELECT COUNT(*) FROM users"), USERS as i64 - 10);
    // Nothing is left unfinished: the progress table is gone, so it never shows as drift.
    let left = format!(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{}'",
        dialect::data::PROGRESS_TABLE
    );
    assert_eq!(count(s.as_mut(), &left), 0);
}
