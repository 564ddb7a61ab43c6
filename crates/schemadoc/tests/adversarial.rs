//! A hostile document against real servers, through the command line: SQL smuggled into every
//! kind of expression never reaches the database, and names holding newlines and comment markers
//! stay names when the printed plan is piped into the engine's own client. Each case runs in its
//! own scratch database; PostgreSQL and MySQL cases are skipped without a server (except in CI), and
//! the client cases without the client program.

use dialect::testing::ScratchDb;
use dialect::{EngineKind, InspectFilter, Session};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .expect("schemadoc runs")
}

fn text(o: &Output) -> String {
    format!("stdout:\n{}\nstderr:\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A document file in a fresh temporary folder.
fn write_doc(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadoc_adv_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.md"));
    std::fs::write(&path, body).expect("write document");
    path
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Table names (bookkeeping excluded), sorted.
fn tables(s: &mut dyn Session) -> Vec<String> {
    let mut names: Vec<String> = s
        .inspect(&InspectFilter::default())
        .expect("inspect")
        .tables
        .into_iter()
        .map(|t| t.name)
        .filter(|n| n != "schemadoc_history")
        .collect();
    names.sort();
    names
}

/// A victim table with three rows, which the hostile document also defines (so that a correct
/// apply keeps it).
fn victim(s: &mut dyn Session) {
    s.execute("CREATE TABLE victim (id INTEGER NOT NULL PRIMARY KEY)").expect("create victim");
    for id in 1..=3 {
        s.execute(&format!("INSERT INTO victim (id) VALUES ({id})")).expect("insert victim");
    }
}

fn victim_rows(s: &mut dyn Session) -> i64 {
    s.count("SELECT count(*) FROM victim").expect("victim is still there")
}

/// Every notation that passes expression text through verbatim, each carrying a second statement
/// or a clause-breaking tail.
const HOSTILE_EXPRESSIONS: &str = r#"# 결제 서비스 (Payments)

피해 테이블은 문서에도 정의되어 있다: The victim table is part of the design.

```sql
CREATE TABLE victim (id INTEGER NOT NULL PRIMARY KEY);
```

## 주문 (SQLAlchemy)

```python
from sqlalchemy import Column, Integer, String, CheckConstraint, text
from app.db import Base


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint("total >= 0); DROP TABLE victim; --", name="ck_orders_total"),
        CheckConstraint("total < 1000000", name="ck_orders_cap"),
    )

    id = Column(Integer, primary_key=True)
    total = Column(Integer, nullable=False, server_default=text("0; DELETE FROM victim"))
    memo = Column(String(40), server_default=text("'a\\'; DROP TABLE victim; -- '"))
```

## Payments (Prisma)

```prisma
model Payment {
  id      Int    @id @default(autoincrement())
  orderId Int
  code    String @default(dbgenerated("'x'), evil_column INTEGER, CHECK ((1"))
}
```

## 환불 (Refunds)

| 컬럼 | 타입 | 기본값 | 설명 |
|---|---|---|---|
| id | INTEGER | | PK |
| reason | VARCHAR(40) | 'n/a' -- ); DROP TABLE victim | 사유 |
"#;

fn hostile_expressions_never_reach(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let doc = write_doc(&format!("expressions_{kind}"), HOSTILE_EXPRESSIONS);
    let mut s = db.session();
    victim(s.as_mut());

    let out = schemadoc(&["check", p(&doc), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check json");
    let flagged: Vec<u64> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "invalid-sql-expression")
        .filter_map(|d| d["line"].as_u64())
        .collect();
    assert!(flagged.len() >= 4, "{kind}: every smuggled expression is an error at its line: {flagged:?}\n{report:#}");

    // Whether apply refuses a document with errors or applies what is sound, nothing hostile runs.
    let out = schemadoc(&["apply", p(&doc), "--db", &db.url, "--allow-destructive"]);
    assert!(matches!(out.status.code(), Some(0..=2)), "{kind}: {}", text(&out));
    assert_eq!(victim_rows(s.as_mut()), 3, "{kind}: the victim lost rows\n{}", text(&out));
    let found = tables(s.as_mut());
    for t in &found {
        assert!(["orders", "Payment", "victim", "Refunds", "refunds"].contains(&t.as_str()), "{kind}: unexpected {t}");
    }
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    for t in &live.tables {
        assert!(t.column("evil_column").is_none(), "{kind}: a default added a column to {}", t.name);
        for c in &t.checks {
            assert!(!c.expr.to_ascii_lowercase().contains("drop"), "{kind}: a smuggled check reached {}", t.name);
        }
    }
    let plan = String::from_utf8_lossy(&schemadoc(&["plan", p(&doc), "--db", &db.url]).stdout).to_string();
    for line in plan.lines().filter(|l| !l.starts_with("--")) {
        assert!(!line.contains("DROP TABLE victim") && !line.contains("DELETE FROM"), "{kind}: {line}\n{plan}");
    }
}

#[test]
fn sqlite_hostile_expressions_never_reach_the_database() {
    hostile_expressions_never_reach(EngineKind::Sqlite);
}

#[test]
fn postgres_hostile_expressions_never_reach_the_database() {
    hostile_expressions_never_reach(EngineKind::Postgres);
}

#[test]
fn mysql_hostile_expressions_never_reach_the_database() {
    hostile_expressions_never_reach(EngineKind::Mysql);
}

/// Names with newlines and comment markers, which must stay names in every printed script.
const HOSTILE_NAMES: &str = "# Names\n\n```sql\nCREATE TABLE victim (id INTEGER NOT NULL PRIMARY KEY);\n\
CREATE TABLE \"evil\nDROP TABLE victim; --\" (\n  id INTEGER NOT NULL PRIMARY KEY,\n  \
\"note\nDELETE FROM victim; --\" VARCHAR(20)\n);\n\
CREATE INDEX \"idx\nDROP TABLE victim; --\" ON \"evil\nDROP TABLE victim; --\" (\"note\nDELETE FROM victim; --\");\n```\n";

/// Runs `script` through the engine's own client on `db`; `None` when the client is missing.
fn run_client(db: &ScratchDb, script: &str) -> Option<Output> {
    let (program, args): (&str, Vec<String>) = match db.kind {
        EngineKind::Sqlite => ("sqlite3", vec!["-bail".into(), db.url.trim_start_matches("sqlite://").to_string()]),
        EngineKind::Postgres => ("psql", vec!["-q".into(), "-v".into(), "ON_ERROR_STOP=1".into(), db.url.clone()]),
        EngineKind::Mysql => {
            let rest = db.url.split_once("://").map_or("", |(_, r)| r);
            let (auth, path) = rest.split_once('/').unwrap_or((rest, ""));
            let (user, host) = auth.rsplit_once('@').unwrap_or(("root", auth));
            let (host, port) = host.split_once(':').unwrap_or((host, "3306"));
            let user = user.split(':').next().unwrap_or(user);
            ("mariadb", vec![format!("-h{host}"), format!("-P{port}"), format!("-u{user}"), path.to_string()])
        }
    };
    let mut child = Command::new(program)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("write script");
    Some(child.wait_with_output().expect("client finishes"))
}

fn printed_scripts_keep_names_as_names(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let doc = write_doc(&format!("names_{kind}"), HOSTILE_NAMES);
    let mut s = db.session();
    victim(s.as_mut());
    let out = schemadoc(&["plan", p(&doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout).to_string();
    let Some(ran) = run_client(&db, &plan) else {
        eprintln!("skipping: no {kind} client");
        return;
    };
    assert!(ran.status.success(), "{kind}: the client failed on the plan\n{plan}\n{}", text(&ran));
    assert_eq!(victim_rows(s.as_mut()), 3, "{kind}: the plan piped into the client ran a hidden statement\n{plan}");
    let evil = "evil\nDROP TABLE victim; --";
    assert_eq!(tables(s.as_mut()), [evil, "victim"], "{kind}: exactly the document's tables\n{plan}");
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    assert!(live.table(evil).and_then(|t| t.column("note\nDELETE FROM victim; --")).is_some(), "{kind}: {plan}");
    // The database now matches the document: nothing left to plan.
    let out = schemadoc(&["plan", p(&doc), "--db", &db.url, "--format", "json"]);
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan json");
    assert_eq!(again["statements"], serde_json::json!([]), "{kind}: {again:#}");

    // `show --format sql` for an empty database says the same, and runs the same way.
    let Some(fresh) = ScratchDb::new(kind) else { return };
    let out = schemadoc(&["show", p(&doc), "--format", "sql", "--dialect", kind.name()]);
    let script = String::from_utf8_lossy(&out.stdout).to_string();
    let ran = run_client(&fresh, &script).expect("client ran once already");
    assert!(ran.status.success(), "{kind}: the client failed on show --format sql\n{script}\n{}", text(&ran));
    assert_eq!(tables(fresh.session().as_mut()), [evil, "victim"], "{kind}: {script}");

    // `inspect --format sql` of that database, run into a third one, builds the same tables.
    let out = schemadoc(&["inspect", "--db", &fresh.url, "--format", "sql"]);
    let script = String::from_utf8_lossy(&out.stdout).to_string();
    let Some(third) = ScratchDb::new(kind) else { return };
    let ran = run_client(&third, &script).expect("client ran once already");
    assert!(ran.status.success(), "{kind}: the client failed on inspect --format sql\n{script}\n{}", text(&ran));
    assert_eq!(tables(third.session().as_mut()), [evil, "victim"], "{kind}: {script}");
}

#[test]
fn sqlite_printed_scripts_keep_names_as_names() {
    printed_scripts_keep_names_as_names(EngineKind::Sqlite);
}

#[test]
fn postgres_printed_scripts_keep_names_as_names() {
    printed_scripts_keep_names_as_names(EngineKind::Postgres);
}

#[test]
fn mysql_printed_scripts_keep_names_as_names() {
    printed_scripts_keep_names_as_names(EngineKind::Mysql);
}

/// URL shapes whose password must never be printed, by any command, on success or failure.
fn secret_urls(database: &str) -> Vec<(String, &'static str)> {
    vec![
        (format!("postgres://postgres:s3cret-a@127.0.0.1:5432/{database}"), "s3cret-a"),
        (format!("postgres://postgres@127.0.0.1:5432/{database}?password=s3cret-b"), "s3cret-b"),
        (format!("postgres://postgres:s3cret/c@127.0.0.1:5432/{database}"), "s3cret/c"),
        (format!("postgres://postgres:s3cret%2Fd@127.0.0.1:5432/{database}"), "s3cret%2Fd"),
        (format!("postgres:/postgres:s3cret-e@127.0.0.1:5432/{database}"), "s3cret-e"),
        (format!("postgres//postgres:s3cret-f@127.0.0.1:5432/{database}"), "s3cret-f"),
        (format!("postgres:postgres:s3cret-g@127.0.0.1:5432/{database}"), "s3cret-g"),
        ("postgres://app:s3cret-h@127.0.0.1:1/nowhere".to_string(), "s3cret-h"),
        ("mysql://root:s3cret-i@127.0.0.1:1/nowhere".to_string(), "s3cret-i"),
        ("mariadb://root@127.0.0.1:1/nowhere?password=s3cret-j".to_string(), "s3cret-j"),
        ("sqlite://u:s3cret-k@/nonexistent/dir/x.db".to_string(), "s3cret-k"),
    ]
}

#[test]
fn passwords_never_appear_in_any_output_or_error() {
    // PostgreSQL trusts local connections here, so most of these URLs connect and print plans.
    let db = ScratchDb::new(EngineKind::Postgres);
    let database = db.as_ref().and_then(|d| d.url.rsplit('/').next().map(str::to_string)).unwrap_or("x".into());
    let doc = write_doc("secrets", "# Shop\n\n```sql\nCREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n```\n");
    for (url, secret) in secret_urls(&database) {
        let runs = [
            vec!["inspect", "--db", &url],
            vec!["inspect", "--db", &url, "--format", "sql"],
            vec!["plan", p(&doc), "--db", &url],
            vec!["plan", p(&doc), "--db", &url, "--format", "json"],
            vec!["drift", p(&doc), "--db", &url],
            vec!["apply", p(&doc), "--db", &url, "--dry-run"],
        ];
        for args in runs {
            let out = schemadoc(&args);
            let all = text(&out);
            assert!(!all.contains(secret), "{args:?} printed the password:\n{all}");
            let decoded = secret.replace("%2F", "/");
            assert!(!all.contains(&decoded), "{args:?} printed the decoded password:\n{all}");
        }
    }
}

/// A document for the concurrency test: `items` with one extra column of its own.
fn items_doc(extra: &str) -> String {
    format!(
        "# Items ({extra})\n\n```sql\nCREATE TABLE items (\n  id INTEGER NOT NULL PRIMARY KEY,\n  name VARCHAR(40) NOT NULL,\n  \
         {extra} VARCHAR(20)\n);\n```\n"
    )
}

fn plan_is_empty(doc: &Path, url: &str) -> bool {
    let out = schemadoc(&["plan", p(doc), "--db", url, "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("plan json");
    plan["statements"] == serde_json::json!([])
}

fn concurrent_applies_end_in_one_document(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)").expect("items");
    let values: Vec<String> = (1..=2000).map(|i| format!("({i}, 'item {i}')")).collect();
    s.execute(&format!("INSERT INTO items (id, name) VALUES {}", values.join(", "))).expect("rows");
    let docs: Vec<PathBuf> = ["alpha_note", "beta_note", "gamma_note"]
        .iter()
        .map(|x| write_doc(&format!("{x}_{kind}"), &items_doc(x)))
        .collect();
    for round in 0..3 {
        let children: Vec<_> = docs
            .iter()
            .map(|d| {
                Command::new(env!("CARGO_BIN_EXE_schemadoc"))
                    // Later rounds accept dropping the other documents' (empty) columns.
                    .args(["apply", p(d), "--db", &db.url])
                    .args(if round > 0 { &["--allow-destructive"][..] } else { &[][..] })
                    .env_remove("DATABASE_URL")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn apply")
            })
            .collect();
        let outs: Vec<Output> = children.into_iter().map(|c| c.wait_with_output().expect("apply ends")).collect();
        for o in &outs {
            // Applied; refused because another apply held the lock; or planned after it, under the
            // lock, against what it left (and refused as a likely rename): never a stale plan.
            let err = String::from_utf8_lossy(&o.stderr);
            match o.status.code() {
                Some(0) => {}
                Some(1) => assert!(err.contains("nothing was changed"), "{kind}: {}", text(o)),
                Some(2) => assert!(err.contains("another schemadoc apply"), "{kind}: {}", text(o)),
                _ => panic!("{kind} round {round}: {}", text(o)),
            }
        }
        if round == 0 {
            assert!(outs.iter().any(|o| o.status.success()), "{kind}: the first apply to take the lock succeeds");
        }
        let matching: Vec<&PathBuf> = docs.iter().filter(|d| plan_is_empty(d, &db.url)).collect();
        assert_eq!(matching.len(), 1, "{kind} round {round}: the schema is exactly one document's");
        assert_eq!(s.count("SELECT count(*) FROM items").expect("count"), 2000, "{kind}: rows were lost");
        assert_eq!(s.count("SELECT count(*) FROM items WHERE name LIKE 'item %'").expect("count"), 2000, "{kind}");
    }
}

#[test]
fn sqlite_concurrent_applies_end_in_one_document() {
    concurrent_applies_end_in_one_document(EngineKind::Sqlite);
}

#[test]
fn postgres_concurrent_applies_end_in_one_document() {
    concurrent_applies_end_in_one_document(EngineKind::Postgres);
}

#[test]
fn mysql_concurrent_applies_end_in_one_document() {
    concurrent_applies_end_in_one_document(EngineKind::Mysql);
}

fn a_saved_plan_is_refused_once_the_database_changed(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)").expect("items");
    s.execute("INSERT INTO items (id, name) VALUES (1, 'one')").expect("row");
    let doc = write_doc(&format!("saved_{kind}"), &items_doc("note"));
    let file = doc.with_extension("plan.json");
    let out = schemadoc(&["plan", p(&doc), "--db", &db.url, "--out", p(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Someone changes the database after the plan was reviewed.
    s.execute("ALTER TABLE items ADD COLUMN note VARCHAR(20)").expect("concurrent change");
    s.execute("UPDATE items SET note = 'kept'").expect("value");
    let out = schemadoc(&["apply", p(&doc), "--db", &db.url, "--plan", p(&file)]);
    assert_eq!(out.status.code(), Some(2), "{kind}: a stale plan must be refused\n{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("changed since the plan was made"), "{}", text(&out));
    assert_eq!(s.count("SELECT count(*) FROM items WHERE note = 'kept'").expect("count"), 1, "{kind}: changed");
    // A fresh plan of the same database applies exactly.
    s.execute("ALTER TABLE items DROP COLUMN note").expect("undo");
    let out = schemadoc(&["plan", p(&doc), "--db", &db.url, "--out", p(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemadoc(&["apply", p(&doc), "--db", &db.url, "--plan", p(&file)]);
    assert_eq!(out.status.code(), Some(0), "{kind}: a fresh plan applies\n{}", text(&out));
    assert!(plan_is_empty(&doc, &db.url), "{kind}: the saved plan brought the database to the document");
    assert_eq!(s.count("SELECT count(*) FROM items").expect("count"), 1);
}

#[test]
fn sqlite_saved_plans_cannot_go_stale() {
    a_saved_plan_is_refused_once_the_database_changed(EngineKind::Sqlite);
}

#[test]
fn postgres_saved_plans_cannot_go_stale() {
    a_saved_plan_is_refused_once_the_database_changed(EngineKind::Postgres);
}

#[test]
fn mysql_saved_plans_cannot_go_stale() {
    a_saved_plan_is_refused_once_the_database_changed(EngineKind::Mysql);
}

/// Large objects on the server: `lo_create` writes one.
fn large_objects(s: &mut dyn Session) -> i64 {
    s.count("SELECT count(*) FROM pg_largeobject_metadata").expect("count large objects")
}

#[test]
fn postgres_hazard_counts_never_run_functions_with_side_effects() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE accounts (id INTEGER NOT NULL PRIMARY KEY, balance INTEGER NOT NULL)").expect("table");
    s.execute("INSERT INTO accounts VALUES (1, 10), (2, -5)").expect("rows");
    let before = large_objects(s.as_mut());
    let doc = write_doc(
        "volatile",
        "# 계좌 (Accounts)\n\n```postgresql\nCREATE TABLE accounts (\n  id INTEGER NOT NULL PRIMARY KEY,\n  \
         balance INTEGER NOT NULL,\n  CONSTRAINT positive CHECK (balance >= 0 OR lo_create(0) > 0),\n  \
         CONSTRAINT settings CHECK (set_config('default_transaction_read_only', 'off', false) <> 'x')\n);\n```\n",
    );
    for format in ["text", "json"] {
        let out = schemadoc(&["plan", p(&doc), "--db", &db.url, "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("not counted: it calls lo_create"), "{shown}");
        assert!(shown.contains("not counted: it calls set_config"), "{shown}");
    }
    assert_eq!(large_objects(s.as_mut()), before, "plan wrote a large object");
    // Even a probe that reaches the server runs in a transaction it cannot make writable.
    let mut reader =
        dialect::connect(&db.url, &dialect::ConnectOptions { read_only: true, ..Default::default() }).unwrap();
    let lifted = reader.count(
        "SELECT count(*) FROM accounts WHERE set_config('transaction_read_only', 'off', true) = 'off' \
         AND lo_create(0) > 0",
    );
    assert!(lifted.is_err(), "a probe lifted the read-only transaction: {lifted:?}");
    let unset = reader
        .count("SELECT count(*) FROM accounts WHERE set_config('default_transaction_read_only', 'off', false) = 'off'");
    assert!(unset.is_ok(), "{unset:?}");
    // NOTE: PostgreSQL lets lo_create run in a read-only transaction; the probe's is rolled back.
    let _ = reader.count("SELECT count(*) FROM accounts WHERE lo_create(0) > 0");
    assert_eq!(large_objects(s.as_mut()), before, "a probe wrote a large object");
}

/// A type change that would change values, through the command line: the plan counts them and
/// names the database's time zone, `apply` refuses until `--allow-destructive`.
#[test]
fn postgres_lossy_type_changes_are_counted_and_refused() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE events (id int PRIMARY KEY, at timestamp, seen timestamp)").expect("events");
    s.execute(
        "INSERT INTO events SELECT i, timestamp '2026-01-01' + i * interval '1 day' \
         + CASE WHEN i % 5 = 0 THEN interval '3 hours' ELSE interval '0' END, timestamp '2026-01-15 12:00' \
         FROM generate_series(1, 5000) i",
    )
    .expect("rows");
    let name = db.url.rsplit('/').next().expect("database name").to_string();
    s.execute(&format!("ALTER DATABASE {name} SET timezone = 'Asia/Seoul'")).expect("zone");
    let doc = write_doc(
        "lossy_pg",
        "# Events\n\n```postgresql\nCREATE TABLE events (id int PRIMARY KEY, at date, seen timestamptz);\n```\n",
    );
    let out = schemadoc(&["plan", p(&doc), "--db", &db.url]);
    let plan = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(plan.contains("1,000 values of events.at with a time of day"), "{}", text(&out));
    assert!(
        plan.contains("0 values of events.seen that move when read in `Asia/Seoul`, the database's time zone"),
        "{}",
        text(&out)
    );
    assert!(plan.contains("-- lock timeout 2 s, statement timeout 30 min per statement"), "{}", text(&out));
    let out = schemadoc(&["apply", p(&doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("would lose 1,000 values of events.at"), "{}", text(&out));
    let out = schemadoc(&["apply", p(&doc), "--db", &db.url, "--allow-destructive", "--lock-timeout", "500ms"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // Noon in Seoul is 03:00 UTC.
    let moved = "SELECT count(*) FROM events WHERE seen = timestamptz '2026-01-15 03:00:00+00'";
    assert_eq!(s.count(moved).expect("count"), 5000);
}
