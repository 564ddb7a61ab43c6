//! Backups restore to an identical database on every engine: same schema as inspected, same rows,
//! and what was created after the backup is gone. Retention keeps the newest N.

use dialect::testing::ScratchDb;
use dialect::{connect, connect_data, engine, ConnectOptions, EngineKind, InspectFilter};
use schemadoc_data::backup::{backup_before, backups_of};

const DOC: &str = "```sql
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  note TEXT
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  title VARCHAR(200) NOT NULL
);
CREATE INDEX idx_posts_user ON posts (user_id);
```
";

fn rows(url: &str, sql: &str) -> Vec<String> {
    connect_data(url).unwrap().texts(sql).unwrap()
}

fn snapshot(url: &str) -> (model::Schema, Vec<String>, Vec<String>) {
    let mut s = connect(url, &ConnectOptions::default()).unwrap();
    let mut schema = s.inspect(&InspectFilter::default()).unwrap();
    schema.tables.sort_by(|a, b| a.name.cmp(&b.name));
    // Positions in the source differ by engine; what is compared is the structure.
    let users = rows(url, "SELECT CAST(id AS CHAR(20)) FROM users ORDER BY id");
    let names = rows(url, "SELECT name FROM users ORDER BY id");
    (schema, users, names)
}

fn restores_identically(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let files = [extract::SourceFile { name: "d.md".into(), text: DOC.to_string() }];
    let schema = extract::extract(&files, &extract::Options::default()).schema;
    let mut session = db.session();
    for s in engine(kind).create_schema(&schema).statements {
        session.execute(&s.sql).unwrap();
    }
    let mut values = Vec::new();
    for i in 1..=500 {
        let note = if i % 3 == 0 { "NULL".to_string() } else { format!("'메모 {i} it''s'") };
        values.push(format!("({i}, '사용자{i}', {note})"));
    }
    session.execute(&format!("INSERT INTO users (id, name, note) VALUES {}", values.join(", "))).unwrap();
    session.execute("INSERT INTO posts (id, user_id, title) VALUES (1, 1, '첫 글'), (2, 2, 'second')").unwrap();
    let before = snapshot(&db.url);

    let dir = std::env::temp_dir().join(format!("schemadoc_backup_{kind}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = backup_before(&db.url, &dir, "apply", Some(5)).unwrap().expect("a backup");
    assert!(path.file_name().unwrap().to_string_lossy().contains("_before_apply."), "{}", path.display());

    // Changes after the backup: rows, a new table, a dropped index.
    session.execute("DELETE FROM posts").unwrap();
    session.execute("UPDATE users SET name = 'changed' WHERE id < 100").unwrap();
    session.execute("CREATE TABLE later (id INTEGER PRIMARY KEY)").unwrap();
    drop(session);
    assert_ne!(snapshot(&db.url), before);

    dialect::backup::restore(&db.url, &path).unwrap();
    let after = snapshot(&db.url);
    assert_eq!(after.1, before.1);
    assert_eq!(after.2, before.2);
    let names = |s: &model::Schema| s.tables.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&after.0), names(&before.0));
    for (a, b) in after.0.tables.iter().zip(&before.0.tables) {
        let cols = |t: &model::Table| {
            t.columns.iter().map(|c| (c.name.clone(), c.ty.spelling.clone(), c.nullable)).collect::<Vec<_>>()
        };
        assert_eq!(cols(a), cols(b), "{}", a.name);
        assert_eq!(a.foreign_keys.len(), b.foreign_keys.len(), "{}", a.name);
    }
    assert_eq!(after.0.indexes.len(), before.0.indexes.len());
    assert_eq!(rows(&db.url, "SELECT title FROM posts ORDER BY id"), ["첫 글", "second"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sqlite_backup_restores_identically() {
    restores_identically(EngineKind::Sqlite);
}

#[test]
fn postgres_backup_restores_identically() {
    restores_identically(EngineKind::Postgres);
}

#[test]
fn mysql_backup_restores_identically() {
    restores_identically(EngineKind::Mysql);
}

#[test]
fn retention_keeps_the_newest() {
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    db.session().execute("CREATE TABLE t (id INTEGER PRIMARY KEY)").unwrap();
    let dir = std::env::temp_dir().join(format!("schemadoc_keep_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut taken = Vec::new();
    for _ in 0..4 {
        taken.push(backup_before(&db.url, &dir, "load", Some(2)).unwrap().unwrap());
    }
    let left = backups_of(&dir, "test", "sqlite");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(left, taken[2..].to_vec());
}
