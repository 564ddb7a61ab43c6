//! Live databases through the command line: every seed applies to an empty database of each engine it
//! targets and then has no plan and no drift; the migration corpus (`tests/migrations/`) keeps every
//! row or is refused with a count. Each test gets its own scratch database (see `dialect::testing`).

use dialect::testing::ScratchDb;
use dialect::EngineKind;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

fn seed(prefix: &str) -> Option<PathBuf> {
    let dir = dialect::testing::shared_dir("seeds")?;
    std::fs::read_dir(&dir)
        .expect("seeds folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)))
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Applies `doc` to a fresh database of `kind`, then asserts that planning again gives nothing and
/// that drift is clean. `flags` go to `apply` and `plan` (`--allow-errors`).
fn apply_then_clean(doc: &Path, kind: EngineKind, flags: &[&str]) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let out = schemadoc(&[&["apply", path(doc), "--db", &db.url], flags].concat());
    assert_eq!(out.status.code(), Some(0), "{kind}: apply {doc:?} failed\n{}", text(&out));
    let out = schemadoc(&[&["plan", path(doc), "--db", &db.url, "--format", "json"], flags].concat());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan json");
    assert_eq!(plan["statements"], Value::Array(vec![]), "{kind}: {doc:?} is not up to date after apply:\n{plan:#}");
    let out = schemadoc(&["drift", path(doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{kind}: {doc:?} drifts after apply\n{}", text(&out));
}

#[test]
fn seeds_apply_and_round_trip_on_their_engines() {
    // Seeds 001 and 003 hold real defects: applying them takes `--allow-errors`.
    let targets: &[(&str, &[EngineKind], &[&str])] = &[
        ("000_", &[EngineKind::Sqlite], &[]),
        ("001_", &[EngineKind::Sqlite, EngineKind::Postgres], &["--allow-errors"]),
        ("002_", &[EngineKind::Postgres, EngineKind::Mysql], &[]),
        ("003_", &[EngineKind::Mysql], &["--allow-errors"]),
        ("004_", &[EngineKind::Sqlite, EngineKind::Postgres], &[]),
    ];
    for (prefix, kinds, flags) in targets {
        let Some(doc) = seed(prefix) else { return };
        for kind in *kinds {
            apply_then_clean(&doc, *kind, flags);
        }
    }
}

#[test]
fn seeds_with_errors_are_refused_until_allowed_and_the_plan_lists_what_is_left_out() {
    let Some(doc) = seed("003_") else { return };
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    let out = schemadoc(&["apply", path(&doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nothing was planned") && err.contains("--allow-errors"), "{err}");
    assert!(db.session().inspect(&dialect::InspectFilter::default()).expect("inspect").tables.is_empty());
    let out = schemadoc(&["plan", path(&doc), "--db", &db.url, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    for line in [
        "-- document error, left out index `idx_admin_char_search`",
        "-- document error, left out check `check_keywords_count` on `personas`",
    ] {
        assert!(plan.contains(line), "{line}\n{plan}");
    }
}

#[test]
fn a_missing_extension_stops_before_any_change() {
    // Seed 003 needs pgvector's `vector`, which the test server does not have.
    let Some(doc) = seed("003_") else { return };
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut session = db.session();
    if session.available_extensions().expect("extensions").iter().any(|e| e == "vector") {
        eprintln!("skipping: this server has pgvector");
        return;
    }
    let out = schemadoc(&["apply", path(&doc), "--db", &db.url, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`vector`") && err.contains("Nothing was changed"), "{err}");
    let inspected = session.inspect(&dialect::InspectFilter::default()).expect("inspect");
    assert!(
        inspected.tables.is_empty(),
        "tables were created: {:?}",
        inspected.tables.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
}

#[test]
fn examples_apply_on_every_engine() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for example in ["shop.md", "community-ko.md"] {
        for kind in EngineKind::ALL {
            apply_then_clean(&dir.join(example), kind, &[]);
        }
    }
}

/// One case of the migration corpus.
struct Case {
    name: String,
    dir: PathBuf,
    expect: String,
}

fn cases() -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/migrations");
    let mut out: Vec<Case> = std::fs::read_dir(&root)
        .expect("migrations folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .map(|dir| Case {
            name: dir.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string(),
            expect: std::fs::read_to_string(dir.join("expect")).expect("expect file").trim().to_string(),
            dir,
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{dir:?}/{file}: {e}"))
}

fn run_case(case: &Case, kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    // `expect` holds a default line and optional `engine: …` lines (SQLite does not enforce
    // VARCHAR lengths, so narrowing one loses nothing there).
    let mut expect = String::new();
    for line in case.expect.lines() {
        match line.split_once(':') {
            Some((engine, value)) if EngineKind::parse(engine) == Some(kind) => expect = value.trim().to_string(),
            Some((engine, _)) if EngineKind::parse(engine).is_some() => {}
            _ if expect.is_empty() => expect = line.trim().to_string(),
            _ => {}
        }
    }
    let case = &Case { expect, name: case.name.clone(), dir: case.dir.clone() };
    let before = case.dir.join("before.md");
    let after = case.dir.join("after.md");
    let out = schemadoc(&["apply", path(&before), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{kind}/{}: before.md\n{}", case.name, text(&out));
    let mut session = db.session();
    session.execute(&read(&case.dir, "rows.sql")).unwrap_or_else(|e| panic!("{kind}/{}: rows: {e}", case.name));
    let keep = read(&case.dir, "keep.sql");
    let kept_before = session.count(keep.trim()).expect("keep query");
    assert!(kept_before > 0, "{kind}/{}: keep.sql counts nothing", case.name);

    let out = schemadoc(&["apply", path(&after), "--db", &db.url]);
    // A rename changes the query that finds the kept rows.
    let keep_after = match case.dir.join("keep_after.sql").exists() && case.expect == "applies" {
        true => read(&case.dir, "keep_after.sql"),
        false => keep.clone(),
    };
    let kept_after = session.count(keep_after.trim()).unwrap_or(-1);
    if case.expect == "applies" {
        assert_eq!(out.status.code(), Some(0), "{kind}/{}: after.md\n{}", case.name, text(&out));
        assert_eq!(kept_after, kept_before, "{kind}/{}: rows were lost", case.name);
        let out = schemadoc(&["plan", path(&after), "--db", &db.url, "--format", "json"]);
        let plan: Value = serde_json::from_slice(&out.stdout).expect("plan json");
        assert_eq!(plan["statements"], Value::Array(vec![]), "{kind}/{}: not up to date:\n{plan:#}", case.name);
    } else {
        let wanted = case.expect.trim_start_matches("refused").trim();
        assert_eq!(out.status.code(), Some(1), "{kind}/{}: must be refused\n{}", case.name, text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("refusing") && err.contains(wanted),
            "{kind}/{}: refusal must mention `{wanted}`\n{err}",
            case.name
        );
        assert_eq!(kept_after, kept_before, "{kind}/{}: a refused apply changed data", case.name);
        let out = schemadoc(&["drift", path(&before), "--db", &db.url]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{kind}/{}: a refused apply changed the schema\n{}",
            case.name,
            text(&out)
        );
    }
}

#[test]
fn migrations_keep_every_row_or_are_refused_on_sqlite() {
    for case in cases() {
        run_case(&case, EngineKind::Sqlite);
    }
}

#[test]
fn migrations_keep_every_row_or_are_refused_on_postgres() {
    for case in cases() {
        run_case(&case, EngineKind::Postgres);
    }
}

#[test]
fn migrations_keep_every_row_or_are_refused_on_mysql() {
    for case in cases() {
        run_case(&case, EngineKind::Mysql);
    }
}

#[test]
fn read_only_databases_are_never_written() {
    let Some(db) = ScratchDb::new(EngineKind::Mysql) else { return };
    let doc = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop.md");
    let out = schemadoc(&["apply", path(&doc), "--db", &db.url, "--read-only"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("read-only"), "{}", text(&out));
    let inspected = db.session().inspect(&dialect::InspectFilter::default()).expect("inspect");
    assert!(inspected.tables.is_empty());
}

#[test]
fn passwords_never_appear_in_output() {
    let out = schemadoc(&["inspect", "--db", "postgres://app:s3cr3t-pw@127.0.0.1:1/nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out).contains("s3cr3t-pw"), "{}", text(&out));
    assert!(text(&out).contains("app:***@127.0.0.1"), "{}", text(&out));
}

#[test]
fn reading_a_missing_sqlite_file_does_not_create_it() {
    let dir = std::env::temp_dir().join(format!("schemadoc-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("not-yet.db");
    let url = format!("sqlite://{}", file.display());
    let doc = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/shop.md");
    for args in [
        vec!["plan", path(&doc), "--db", &url],
        vec!["apply", path(&doc), "--db", &url, "--dry-run"],
        vec!["inspect", "--db", &url],
    ] {
        let out = schemadoc(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}\n{}", text(&out));
        assert!(!file.exists(), "{args:?} created {file:?}");
    }
    let out = schemadoc(&["drift", path(&doc), "--db", &url]);
    assert_eq!(out.status.code(), Some(1), "an empty database drifts from the document\n{}", text(&out));
    assert!(!file.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seed_000_grows_from_its_implemented_section_to_the_full_document_keeping_rows() {
    let Some(doc) = seed("000_") else { return };
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    let out = schemadoc(&["apply", path(&doc), "--section", "1.", "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let mut session = db.session();
    assert_eq!(session.inspect(&dialect::InspectFilter::default()).expect("inspect").tables.len(), 1);
    session
        .execute("INSERT INTO launch_runs VALUES ('r1', '2026-01-01', 'm', 'p', 'k', '{}'), ('r2', '2026-01-02', 'm', 'p', 'k', '{}')")
        .expect("rows");
    let out = schemadoc(&["plan", path(&doc), "--db", &db.url, "--format", "json"]);
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan json");
    let reasons: Vec<&str> =
        plan["statements"].as_array().expect("statements").iter().filter_map(|s| s["reason"].as_str()).collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(reasons.iter().all(|r| r.starts_with("create table")), "{reasons:?}");
    let out = schemadoc(&["apply", path(&doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(session.count("SELECT count(*) FROM launch_runs WHERE request_id IN ('r1', 'r2')").expect("count"), 2);
}

/// Writes `text` to a scratch document named `name` and returns its path.
fn scratch_doc(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadoc_declared_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write document");
    p
}

#[test]
fn tables_declared_by_name_are_skipped_by_plan_and_compared_by_existence() {
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    let catalog = scratch_doc(
        "catalog.md",
        "## 테이블 목록\n\n| 테이블 | 역할 |\n|---|---|\n| `kilns` | 가마 |\n| `firings` | 소성 기록 |\n\n```sql\nCREATE TABLE potters (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n```\n",
    );
    let out = schemadoc(&["plan", path(&catalog), "--db", &db.url, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan json");
    let sql: Vec<&str> = plan["statements"].as_array().unwrap().iter().map(|s| s["sql"].as_str().unwrap()).collect();
    assert!(sql.iter().any(|s| s.contains("potters")) && !sql.iter().any(|s| s.contains("kilns")), "{plan:#}");
    let skipped: Vec<&str> =
        plan["skipped"].as_array().unwrap().iter().map(|s| s["object"].as_str().unwrap()).collect();
    assert_eq!(skipped, ["table kilns", "table firings"], "{plan:#}");
    assert!(plan["skipped"][0]["reason"].as_str().unwrap().contains("columns are not stated"));

    let out = schemadoc(&["apply", path(&catalog), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // The declared tables do not exist: drift says so, though nothing can be planned for them.
    let out = schemadoc(&["drift", path(&catalog), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("kilns"), "{}", text(&out));

    // Once they exist, with whatever columns, the catalog is up to date: existence is all it states.
    let full = scratch_doc(
        "full.md",
        "```sql\nCREATE TABLE potters (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE kilns (id INTEGER PRIMARY KEY, label TEXT);\nCREATE TABLE firings (id INTEGER PRIMARY KEY, kiln_id INTEGER REFERENCES kilns(id));\n```\n",
    );
    let out = schemadoc(&["apply", path(&full), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let out = schemadoc(&["plan", path(&catalog), "--db", &db.url, "--format", "json"]);
    let plan: Value = serde_json::from_slice(&out.stdout).expect("plan json");
    assert_eq!(plan["statements"], Value::Array(vec![]), "{plan:#}");
    let out = schemadoc(&["drift", path(&catalog), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// Tables another tool keeps (a migration tool's bookkeeping, `--exclude`d ones) are neither
/// dropped nor reported as drift; a table nobody excluded is still planned for dropping.
#[test]
fn other_tools_tables_are_left_alone() {
    let dir = std::env::temp_dir().join(format!("schemadoc-exclude-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let doc = dir.join("design.md");
    std::fs::write(
        &doc,
        "# 설계\n\n```sql\nCREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);\n```\n",
    )
    .expect("write doc");
    for kind in [EngineKind::Sqlite, EngineKind::Postgres, EngineKind::Mysql] {
        let Some(db) = ScratchDb::new(kind) else { continue };
        let mut s = db.session();
        for sql in [
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('ae1027a6acf')",
            "CREATE TABLE _prisma_migrations (id VARCHAR(36) PRIMARY KEY, migration_name VARCHAR(255))",
            "CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY)",
            "CREATE TABLE scratch (id INTEGER PRIMARY KEY)",
        ] {
            s.execute(sql).expect(sql);
        }
        // Dropping a table the document does not define is destructive, even an empty one.
        let out = schemadoc(&["apply", path(&doc), "--db", &db.url, "--exclude", "legacy_*"]);
        assert_eq!(out.status.code(), Some(1), "{kind}: {}", text(&out));
        let refused = String::from_utf8_lossy(&out.stderr);
        assert!(
            refused.contains("drop table scratch: the document does not define it (0 rows in scratch)"),
            "{kind}: {refused}"
        );
        let out = schemadoc(&["apply", path(&doc), "--db", &db.url, "--exclude", "legacy_*", "--allow-destructive"]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let plan = String::from_utf8_lossy(&out.stdout);
        assert!(
            plan.contains("-- left alone (not the document's): _prisma_migrations, alembic_version, legacy_orders"),
            "{kind}: {plan}"
        );
        let drops: Vec<&str> = plan.lines().filter(|l| l.starts_with("DROP")).collect();
        assert!(
            drops.len() == 1 && drops[0].contains("scratch"),
            "{kind}: only the unexcluded table is dropped\n{plan}"
        );
        let live = db.session().inspect(&dialect::InspectFilter::default()).expect("inspect");
        let mut names: Vec<String> = live.tables.iter().map(|t| t.name.to_lowercase()).collect();
        names.sort();
        assert_eq!(names, ["_prisma_migrations", "alembic_version", "legacy_orders", "users"], "{kind}");
        let out = schemadoc(&["drift", path(&doc), "--db", &db.url, "--exclude", "legacy_*"]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let out = schemadoc(&["drift", path(&doc), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(1), "{kind}: legacy_orders is drift unless excluded\n{}", text(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every planned step names the document line and notation of the element that caused it, in text
/// and JSON; a drop says that the document does not define what it removes.
#[test]
fn every_step_traces_back_to_the_document() {
    let Some(db) = ScratchDb::new(EngineKind::Sqlite) else { return };
    let dir = std::env::temp_dir().join(format!("schemadoc-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let doc = dir.join("design.md");
    std::fs::write(
        &doc,
        "# 설계\n\n```sql\nCREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n```\n\n\
         ## posts\n\n| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n| id | INTEGER | PK | 번호 |\n\
         | title | TEXT | NOT NULL | 제목 |\n",
    )
    .expect("write doc");
    db.session().execute("CREATE TABLE old_stuff (id INTEGER PRIMARY KEY)").expect("old table");
    let out = schemadoc(&["plan", path(&doc), "--db", &db.url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let plan = String::from_utf8_lossy(&out.stdout);
    let doc_name = path(&doc);
    assert!(plan.contains(&format!("create table users ({doc_name}:4, SQL)")), "{plan}");
    assert!(plan.contains(&format!("create table posts ({doc_name}:7, field table)")), "{plan}");
    assert!(plan.contains("drop table old_stuff (not in the document)"), "{plan}");
    let out = schemadoc(&["plan", path(&doc), "--db", &db.url, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("plan json");
    let users = json["statements"].as_array().expect("statements").iter().find(|s| s["reason"] == "create table users");
    let origin = &users.expect("users step")["origin"];
    assert_eq!(
        (origin["file"].as_str(), origin["line"].as_u64(), origin["notation"].as_str()),
        (Some(doc_name), Some(4), Some("sql"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A key or CHECK on a column the same plan adds is not counted on the live table (where the
/// column does not exist yet): the plan says so instead of failing.
#[test]
fn hazards_on_columns_the_plan_adds_are_not_counted_live() {
    let dir = std::env::temp_dir().join(format!("schemadoc-newcol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (before, after) = (dir.join("before.md"), dir.join("after.md"));
    std::fs::write(&before, "# 회원\n\n```sql\nCREATE TABLE members (id BIGINT PRIMARY KEY);\n```\n").expect("doc");
    std::fs::write(
        &after,
        "# 회원\n\n```sql\nCREATE TABLE members (id BIGINT PRIMARY KEY, email VARCHAR(200) UNIQUE, \
         age INT NOT NULL DEFAULT 0 CHECK (age >= 0));\n```\n",
    )
    .expect("doc");
    for kind in [EngineKind::Sqlite, EngineKind::Postgres, EngineKind::Mysql] {
        let Some(db) = ScratchDb::new(kind) else { continue };
        let out = schemadoc(&["apply", path(&before), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        db.session().execute("INSERT INTO members (id) VALUES (1), (2)").expect("rows");
        let out = schemadoc(&["plan", path(&after), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let plan = String::from_utf8_lossy(&out.stdout);
        assert!(plan.contains("not counted: members.age is added by this plan"), "{kind}: {plan}");
        let out = schemadoc(&["apply", path(&after), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        assert_eq!(db.session().count("SELECT count(*) FROM members WHERE age = 0").expect("count"), 2, "{kind}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A change that only renames an index or a unique key is planned as a rename where the engine has
/// one (SQLite drops and creates), and leaves nothing to plan afterwards.
#[test]
fn renamed_indexes_and_unique_keys_are_renamed() {
    let dir = std::env::temp_dir().join(format!("schemadoc-rename-index-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let write = |name: &str, index: &str, unique: &str| {
        let doc = dir.join(name);
        std::fs::write(
            &doc,
            format!(
                "# 회원\n\n```sql\nCREATE TABLE members (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, \
                 name VARCHAR(100), CONSTRAINT {unique} UNIQUE (email));\nCREATE INDEX {index} ON members (name);\n```\n"
            ),
        )
        .expect("doc");
        doc
    };
    let before = write("before.md", "members_name_idx", "members_email_key");
    let after = write("after.md", "idx_members_name", "uq_members_email");
    for kind in [EngineKind::Sqlite, EngineKind::Postgres, EngineKind::Mysql] {
        let Some(db) = ScratchDb::new(kind) else { continue };
        let out = schemadoc(&["apply", path(&before), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let out = schemadoc(&["apply", path(&after), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let plan = String::from_utf8_lossy(&out.stdout);
        match kind {
            EngineKind::Postgres => {
                assert!(plan.contains("ALTER INDEX \"members_name_idx\" RENAME TO \"idx_members_name\";"), "{plan}");
                assert!(
                    plan.contains(
                        "ALTER TABLE \"members\" RENAME CONSTRAINT \"members_email_key\" TO \"uq_members_email\";"
                    ),
                    "{plan}"
                );
            }
            EngineKind::Mysql => {
                assert!(plan.contains("RENAME INDEX `members_name_idx` TO `idx_members_name`;"), "{plan}");
                assert!(plan.contains("RENAME INDEX `members_email_key` TO `uq_members_email`;"), "{plan}");
            }
            EngineKind::Sqlite => {
                assert!(
                    plan.contains("DROP INDEX \"members_name_idx\"")
                        && plan.contains("CREATE INDEX \"idx_members_name\""),
                    "{plan}"
                );
            }
        }
        // SQLite cannot rename a constraint: its table is rebuilt, every row kept.
        assert!(
            kind == EngineKind::Sqlite || !plan.contains("DROP TABLE"),
            "{kind}: a rename rebuilds nothing\n{plan}"
        );
        let out = schemadoc(&["plan", path(&after), "--db", &db.url, "--format", "json"]);
        let again: Value = serde_json::from_slice(&out.stdout).expect("plan json");
        assert_eq!(again["statements"], Value::Array(vec![]), "{kind}: not converged\n{again:#}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Where the server cannot build the document's expressions to compare them in its own forms, the
/// plan says that they are compared by spelling; SQLite keeps them as written, so it has nothing to say.
#[test]
fn the_plan_says_when_expressions_are_compared_by_spelling() {
    let dir = std::env::temp_dir().join(format!("schemadoc-spelling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (v1, v2) = (dir.join("v1.md"), dir.join("v2.md"));
    std::fs::write(&v1, "# T\n\n```sql\nCREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 1);\n```\n")
        .expect("doc");
    std::fs::write(&v2, "# T\n\n```sql\nCREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 2);\n```\n")
        .expect("doc");
    for kind in [EngineKind::Sqlite, EngineKind::Postgres, EngineKind::Mysql] {
        let Some(db) = ScratchDb::new(kind) else { continue };
        let out = schemadoc(&["apply", path(&v1), "--db", &db.url]);
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", text(&out));
        let out = schemadoc(&["plan", path(&v2), "--db", &db.url]);
        let plan = String::from_utf8_lossy(&out.stdout);
        let said = plan.contains("compared by spelling: the server could not build them");
        assert_eq!(said, kind == EngineKind::Mysql, "{kind}: {plan}");
        assert!(plan.contains("SET DEFAULT 2") || plan.contains("DEFAULT 2"), "{kind}: {plan}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
