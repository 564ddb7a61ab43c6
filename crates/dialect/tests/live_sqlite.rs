//! SQLite against real database files: every document applies to an empty database and then
//! plans nothing (no false drift), migrations keep the rows of populated tables, destructive or
//! failing ones say what they would cost, and applies are atomic, locked and recorded.

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{
    connect, engine, plan_migration, ApplyError, ConnectOptions, DbError, EngineKind, HazardKind, InspectFilter, Plan,
    PlanOptions, Session,
};
use std::path::{Path, PathBuf};

fn sqlite() -> &'static dyn schemadoc_dialect::Engine {
    engine(EngineKind::Sqlite)
}

fn scratch() -> (ScratchDb, Box<dyn Session>) {
    let db = ScratchDb::new(EngineKind::Sqlite).expect("SQLite needs no server");
    let session = db.session();
    (db, session)
}

fn read(name: &str, text: &str) -> model::Schema {
    let files = [extract::SourceFile { name: name.into(), text: text.to_string() }];
    extract::extract(&files, &extract::Options::default()).schema
}

/// A document holding one SQL block.
fn sql_doc(sql: &str) -> model::Schema {
    read("doc.md", &format!("# Schema\n\n```sql\n{sql}\n```\n"))
}

fn plan_for(s: &mut Box<dyn Session>, doc: &model::Schema, renames: &Renames) -> Plan {
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    plan_migration(sqlite(), &live, doc, renames, &PlanOptions::default()).2
}

fn apply(s: &mut Box<dyn Session>, doc: &model::Schema) -> Plan {
    apply_renamed(s, doc, &Renames::default())
}

fn apply_renamed(s: &mut Box<dyn Session>, doc: &model::Schema, renames: &Renames) -> Plan {
    let plan = plan_for(s, doc, renames);
    if let Err(e) = s.apply(&plan, "test") {
        panic!("apply failed: {e}\n{}", sql_of(&plan));
    }
    plan
}

fn sql_of(plan: &Plan) -> String {
    plan.statements.iter().map(|s| format!("{};  -- {}", s.sql, s.reason)).collect::<Vec<_>>().join("\n")
}

/// After applying `doc`, the database must plan nothing more.
fn assert_converged(s: &mut Box<dyn Session>, doc: &model::Schema, what: &str) {
    let again = plan_for(s, doc, &Renames::default());
    assert!(again.is_empty(), "{what}: planning again is not empty:\n{}", sql_of(&again));
}

fn count(s: &mut Box<dyn Session>, sql: &str) -> i64 {
    s.count(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn hazard(plan: &Plan, kind: HazardKind) -> Option<&schemadoc_dialect::Hazard> {
    plan.statements.iter().flat_map(|s| &s.hazards).find(|h| h.kind == kind)
}

fn probe(s: &mut Box<dyn Session>, plan: &Plan, kind: HazardKind) -> i64 {
    let h = hazard(plan, kind).unwrap_or_else(|| panic!("no {kind:?} hazard in\n{}", sql_of(plan)));
    count(s, h.probe.as_deref().expect("a probe"))
}

// ---------------------------------------------------------------------------------------------
// Every document: apply, then nothing left to plan.

fn documents() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    if let Some(seeds) = schemadoc_dialect::testing::shared_dir("seeds") {
        out.extend(files_in(&seeds, &["txt", "md"]).into_iter().filter(|p| !p.ends_with("EXPECTATIONS.md")));
    }
    out.extend(files_in(&root.join("examples"), &["md"]));
    out.extend(files_in(&root.join("crates/schemadoc/tests/fixtures/ok"), &["md"]));
    out
}

fn files_in(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    files.retain(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)));
    files.sort();
    files
}

#[test]
fn every_document_applies_and_then_plans_nothing() {
    let docs = documents();
    assert!(docs.len() >= 5, "too few documents found: {docs:?}");
    for path in docs {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable document")).into_owned();
        let doc = read(&path.display().to_string(), &text);
        let (_db, mut s) = scratch();
        let plan = plan_for(&mut s, &doc, &Renames::default());
        if let Err(e) = s.apply(&plan, "hash") {
            panic!("{}: apply failed: {e}\n{}", path.display(), sql_of(&plan));
        }
        let live = s.inspect(&InspectFilter::default()).expect("inspect");
        let target = sqlite().translate(&doc).schema;
        let drift = diff::diff(&live, &target, sqlite().hooks(), &Renames::default());
        assert!(drift.is_empty(), "{}: drift after apply: {:#?}", path.display(), drift.changes);
        assert_converged(&mut s, &doc, &path.display().to_string());
        assert_eq!(count(&mut s, "SELECT count(*) FROM schemadoc_history WHERE outcome = 'applied'"), 1);
        assert!(live.table("schemadoc_history").is_none());
    }
}

#[test]
fn the_shared_fixture_round_trips() {
    let schema = fixture::schema(true);
    let (_db, mut s) = scratch();
    apply(&mut s, &schema);
    assert_converged(&mut s, &schema, "fixture");
}

// The snapshot tests' fixture: only its schema is used here.
#[allow(dead_code)]
mod fixture;

// ---------------------------------------------------------------------------------------------
// Connections

#[test]
fn a_new_file_gets_wal_foreign_keys_and_the_documents_pragmas() {
    let dir = std::env::temp_dir().join(format!("schemadoc_sqlite_connect_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("new.db");
    let url = format!("sqlite://{}", file.display());
    let options = ConnectOptions {
        read_only: false,
        settings: vec![("cache_size".into(), "-4000".into())],
        ..Default::default()
    };
    let mut s = connect(&url, &options).expect("connect creates the file");
    assert!(file.exists());
    assert_eq!(count(&mut s, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
    assert_eq!(count(&mut s, "SELECT foreign_keys FROM pragma_foreign_keys"), 1);
    assert_eq!(count(&mut s, "SELECT cache_size FROM pragma_cache_size"), -4000);
    s.execute("CREATE TABLE t (a INTEGER)").expect("create");
    drop(s);

    let mut ro =
        connect(&url, &ConnectOptions { read_only: true, settings: vec![], ..Default::default() }).expect("read-only");
    assert!(ro.execute("INSERT INTO t VALUES (1)").is_err(), "a read-only session cannot write");
    let err = ro.apply(&Plan::default(), "h").expect_err("read-only apply");
    assert!(matches!(err, ApplyError::Db(DbError::ReadOnly { .. })), "{err}");
    assert_eq!(ro.inspect(&InspectFilter::default()).expect("inspect").tables.len(), 1);
    drop(ro);

    let mut mem = connect("sqlite::memory:", &ConnectOptions::default()).expect("memory");
    mem.execute("CREATE TABLE m (a INTEGER)").expect("create in memory");
    let bad = connect(
        &url,
        &ConnectOptions { read_only: false, settings: vec![("x;".into(), "1".into())], ..Default::default() },
    );
    assert!(bad.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_second_apply_waits_for_the_first_and_then_gives_up() {
    let (db, mut first) = scratch();
    first.execute("CREATE TABLE t (a INTEGER)").expect("create");
    let quick = ConnectOptions {
        read_only: false,
        settings: vec![("busy_timeout".into(), "200".into())],
        ..Default::default()
    };
    let mut second = connect(&db.url, &quick).expect("second session");
    first.execute("BEGIN IMMEDIATE").expect("hold the write lock");
    let err = second.apply(&Plan::default(), "h").expect_err("locked");
    assert!(matches!(err, ApplyError::Db(DbError::Locked { .. })), "{err}");
    first.execute("ROLLBACK").expect("release");
    second.apply(&Plan::default(), "h").expect("free again");
}

// ---------------------------------------------------------------------------------------------
// Migrations on populated tables

const USERS: &str = "CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  code TEXT,
  age TEXT
);";

/// `users` with 100 rows; every fifth has no code.
fn populated(sql: &str) -> (ScratchDb, Box<dyn Session>) {
    let (db, mut s) = scratch();
    apply(&mut s, &sql_doc(sql));
    let mut values = Vec::new();
    for i in 1..=100 {
        let code = if i % 5 == 0 { "NULL".to_string() } else { format!("'c{i:03}'") };
        values.push(format!("({i}, 'user {i}', {code}, '{}')", 20 + i % 50));
    }
    s.execute(&format!("INSERT INTO users (id, name, code, age) VALUES {}", values.join(", "))).expect("rows");
    (db, s)
}

/// Whether every original row is still there with these columns' values.
fn users_intact(s: &mut Box<dyn Session>, name_col: &str) -> bool {
    let total = count(s, "SELECT count(*) FROM users");
    let same = count(
        s,
        &format!(
            "SELECT count(*) FROM users WHERE \"{name_col}\" = 'user ' || id \
             AND (code = printf('c%03d', id) OR (code IS NULL AND id % 5 = 0))"
        ),
    );
    total == 100 && same == 100
}

#[test]
fn adding_and_dropping_columns_keeps_rows() {
    let (_db, mut s) = populated(USERS);
    let added = sql_doc(&USERS.replace("age TEXT", "age TEXT,\n  email TEXT DEFAULT 'none' NOT NULL"));
    let plan = apply(&mut s, &added);
    assert!(plan.statements[0].sql.starts_with("ALTER TABLE \"users\" ADD COLUMN"), "{}", sql_of(&plan));
    assert!(users_intact(&mut s, "name"));
    assert_eq!(count(&mut s, "SELECT count(*) FROM users WHERE email = 'none'"), 100);
    assert_converged(&mut s, &added, "add column");

    let dropped = sql_doc(&USERS.replace(",\n  age TEXT", ""));
    let plan = plan_for(&mut s, &dropped, &Renames::default());
    assert_eq!(probe(&mut s, &plan, HazardKind::Drop), 100, "{}", sql_of(&plan));
    apply(&mut s, &dropped);
    assert!(users_intact(&mut s, "name"));
    assert_converged(&mut s, &dropped, "drop columns");
}

#[test]
fn a_declared_rename_keeps_the_data_and_an_undeclared_one_is_flagged() {
    let (_db, mut s) = populated(USERS);
    let renamed = sql_doc(&USERS.replace("name TEXT", "full_name TEXT"));
    let undeclared = plan_for(&mut s, &renamed, &Renames::default());
    assert!(hazard(&undeclared, HazardKind::LikelyRename).is_some(), "{}", sql_of(&undeclared));
    let renames = Renames { tables: vec![], columns: vec![("users".into(), "name".into(), "full_name".into())] };
    let plan = apply_renamed(&mut s, &renamed, &renames);
    assert_eq!(plan.statements.len(), 1, "{}", sql_of(&plan));
    assert!(users_intact(&mut s, "full_name"));
    assert_converged(&mut s, &renamed, "rename");

    let moved = sql_doc(&USERS.replace("users", "members").replace("name TEXT", "full_name TEXT"));
    let renames = Renames { tables: vec![("users".into(), "members".into())], columns: vec![] };
    apply_renamed(&mut s, &moved, &renames);
    assert_eq!(count(&mut s, "SELECT count(*) FROM members WHERE full_name = 'user ' || id"), 100);
}

#[test]
fn retyping_rebuilds_and_narrowing_counts_what_changes() {
    let (_db, mut s) = populated(USERS);
    s.execute("UPDATE users SET age = 'unknown' WHERE id <= 3").expect("three non-numbers");
    s.execute("UPDATE users SET age = '0' || age WHERE id BETWEEN 4 AND 8").expect("five spelled with a zero");
    let narrowed = sql_doc(&USERS.replace("age TEXT", "age INTEGER"));
    let plan = plan_for(&mut s, &narrowed, &Renames::default());
    assert!(hazard(&plan, HazardKind::Rewrite).is_some());
    assert_eq!(
        probe(&mut s, &plan, HazardKind::DataLoss),
        5,
        "the text of numbers spelled as their integer is kept; '034' becomes 34; words stay"
    );
    apply(&mut s, &narrowed);
    assert!(users_intact(&mut s, "name"));
    assert_eq!(count(&mut s, "SELECT count(*) FROM users WHERE typeof(age) = 'integer'"), 97);
    assert_eq!(count(&mut s, "SELECT count(*) FROM users WHERE age = 'unknown'"), 3, "non-numbers are kept");
    assert_converged(&mut s, &narrowed, "narrow");

    let widened = sql_doc(&USERS.replace("age TEXT", "age REAL"));
    let plan = plan_for(&mut s, &widened, &Renames::default());
    // NOTE: integers beyond 2^53 would change in a REAL column; these ages do not.
    assert_eq!(probe(&mut s, &plan, HazardKind::DataLoss), 0, "{}", sql_of(&plan));
    apply(&mut s, &widened);
    assert!(users_intact(&mut s, "name"));
    assert_converged(&mut s, &widened, "widen");
}

#[test]
fn not_null_on_rows_with_nulls_is_refused_then_succeeds_once_filled() {
    let (_db, mut s) = populated(USERS);
    let strict = sql_doc(&USERS.replace("code TEXT", "code TEXT NOT NULL"));
    let plan = plan_for(&mut s, &strict, &Renames::default());
    assert_eq!(probe(&mut s, &plan, HazardKind::MayFail), 20);
    let err = s.apply(&plan, "h").expect_err("NULLs violate NOT NULL");
    assert!(matches!(&err, ApplyError::Statement { rolled_back: true, .. }), "{err}");
    assert!(err.to_string().contains("NOT NULL"), "{err}");
    assert!(users_intact(&mut s, "name"), "a failed apply changes nothing");
    assert_eq!(count(&mut s, "SELECT count(*) FROM schemadoc_history WHERE outcome LIKE 'failed%'"), 1);

    s.execute("UPDATE users SET code = 'none' WHERE code IS NULL").expect("fill");
    apply(&mut s, &strict);
    assert_eq!(count(&mut s, "SELECT count(*) FROM users"), 100);
    assert_converged(&mut s, &strict, "not null");
}

#[test]
fn a_foreign_key_on_a_populated_table_is_checked_and_children_survive_rebuilds() {
    let base = "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);\n".to_string() + USERS;
    let (_db, mut s) = populated(&base);
    s.execute("INSERT INTO teams (id, name) VALUES (1, 'a'), (2, 'b')").expect("teams");
    let with_team = base.replace("age TEXT", "age TEXT,\n  team_id INTEGER");
    apply(&mut s, &sql_doc(&with_team));
    s.execute("UPDATE users SET team_id = 1 + id % 2").expect("assign");
    s.execute("UPDATE users SET team_id = 99 WHERE id = 7").expect("one orphan");

    let fk = sql_doc(&with_team.replace("team_id INTEGER", "team_id INTEGER REFERENCES teams(id) ON DELETE CASCADE"));
    let plan = plan_for(&mut s, &fk, &Renames::default());
    assert_eq!(probe(&mut s, &plan, HazardKind::MayFail), 1, "{}", sql_of(&plan));
    let err = s.apply(&plan, "h").expect_err("the orphan fails the check");
    assert!(err.to_string().contains("1 row(s) of users reference missing rows of teams"), "{err}");
    assert!(users_intact(&mut s, "name"));

    s.execute("UPDATE users SET team_id = 2 WHERE id = 7").expect("fix");
    apply(&mut s, &fk);
    assert_converged(&mut s, &fk, "add fk");
    assert!(users_intact(&mut s, "name"));

    // Rebuilding the parent must not cascade to its children.
    let retyped = sql_doc(
        &with_team
            .replace("name TEXT);", "name INTEGER);")
            .replace("team_id INTEGER", "team_id INTEGER REFERENCES teams(id) ON DELETE CASCADE"),
    );
    let plan = apply(&mut s, &retyped);
    assert!(plan.statements.iter().any(|p| p.sql == "DROP TABLE \"teams\""), "{}", sql_of(&plan));
    assert!(users_intact(&mut s, "name"), "children survive the parent's rebuild");
    assert_eq!(count(&mut s, "SELECT foreign_keys FROM pragma_foreign_keys"), 1, "enforcement restored");
}

#[test]
fn changing_the_primary_key_and_adding_a_check_keep_rows() {
    let (_db, mut s) = populated(USERS);
    let pk_sql = USERS
        .replace("id INTEGER PRIMARY KEY,", "id INTEGER NOT NULL,")
        .replace("age TEXT\n", "age TEXT,\n  PRIMARY KEY (id, name)\n");
    let pk = sql_doc(&pk_sql);
    apply(&mut s, &pk);
    assert!(users_intact(&mut s, "name"));
    assert_converged(&mut s, &pk, "primary key");

    let sql = pk_sql.replace("age TEXT,\n", "age TEXT,\n  CONSTRAINT adult CHECK (CAST(age AS INTEGER) >= 30),\n");
    let check = sql_doc(&sql);
    let plan = plan_for(&mut s, &check, &Renames::default());
    let violating = probe(&mut s, &plan, HazardKind::MayFail);
    assert!(violating > 0);
    assert!(s.apply(&plan, "h").is_err());
    assert!(users_intact(&mut s, "name"));
    s.execute("UPDATE users SET age = '30' WHERE CAST(age AS INTEGER) < 30").expect("fix");
    apply(&mut s, &check);
    assert!(users_intact(&mut s, "name"));
    assert_converged(&mut s, &check, "check");
}

#[test]
fn splitting_a_table_counts_what_the_drop_loses() {
    let (_db, mut s) = populated(USERS);
    let split = sql_doc(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT);\n\
         CREATE TABLE profiles (user_id INTEGER PRIMARY KEY REFERENCES users(id), age TEXT);",
    );
    let plan = plan_for(&mut s, &split, &Renames::default());
    assert_eq!(probe(&mut s, &plan, HazardKind::Drop), 100);
    // The data moves first (a data migration), then the plan runs.
    s.execute("CREATE TABLE profiles (user_id INTEGER PRIMARY KEY REFERENCES users(id), age TEXT)").expect("new table");
    s.execute("INSERT INTO profiles SELECT id, age FROM users").expect("move");
    apply(&mut s, &split);
    assert!(users_intact(&mut s, "name"));
    assert_eq!(count(&mut s, "SELECT count(*) FROM profiles JOIN users ON users.id = profiles.user_id"), 100);
    assert_converged(&mut s, &split, "split");
}

#[test]
fn views_triggers_and_indexes_survive_a_rebuild() {
    let sql = format!(
        "{USERS}\nCREATE INDEX users_code ON users (code) WHERE code IS NOT NULL;\n\
         CREATE UNIQUE INDEX users_lower ON users (lower(name));\n\
         CREATE VIEW named AS SELECT id, name FROM users;\n\
         CREATE VIEW named_twice AS SELECT id FROM named;\n\
         CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT);\n\
         CREATE TRIGGER users_log AFTER UPDATE ON users BEGIN INSERT INTO log (what) VALUES (NEW.name); END;"
    );
    let (_db, mut s) = populated(&sql);
    assert_converged(&mut s, &sql_doc(&sql), "views and triggers");
    let retyped = sql_doc(&sql.replace("age TEXT", "age INTEGER"));
    apply(&mut s, &retyped);
    assert!(users_intact(&mut s, "name"));
    assert_converged(&mut s, &retyped, "after rebuild");
    s.execute("UPDATE users SET name = name WHERE id = 1").expect("fire the trigger");
    assert_eq!(count(&mut s, "SELECT count(*) FROM log"), 1);
    assert_eq!(count(&mut s, "SELECT count(*) FROM named_twice"), 100);
}

// ---------------------------------------------------------------------------------------------
// Generated columns

const ITEMS: &str = "CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  qty INTEGER NOT NULL,
  price REAL NOT NULL,
  total REAL GENERATED ALWAYS AS (qty * price) STORED,
  label TEXT GENERATED ALWAYS AS ('#' || id) VIRTUAL
);";

#[test]
fn generated_columns_round_trip_and_follow_a_changed_expression() {
    let (_db, mut s) = scratch();
    let doc = sql_doc(ITEMS);
    apply(&mut s, &doc);
    assert_converged(&mut s, &doc, "generated columns");
    let values: Vec<String> = (1..=60).map(|i| format!("({i}, {}, {}.5)", i % 7, i % 11)).collect();
    s.execute(&format!("INSERT INTO items (id, qty, price) VALUES {}", values.join(", "))).expect("rows");
    let intact = |s: &mut Box<dyn Session>| {
        count(s, "SELECT count(*) FROM items WHERE qty = id % 7 AND price = id % 11 + 0.5 AND label = '#' || id")
    };
    assert_eq!(intact(&mut s), 60);

    // A changed expression: the table is rebuilt, nothing is lost, the values follow.
    let changed = sql_doc(&ITEMS.replace("(qty * price) STORED", "(qty * price * 2) STORED"));
    let plan = plan_for(&mut s, &changed, &Renames::default());
    assert!(hazard(&plan, HazardKind::Rewrite).is_some(), "{}", sql_of(&plan));
    assert!(hazard(&plan, HazardKind::DataLoss).is_none(), "{}", sql_of(&plan));
    let copy = plan.statements.iter().find(|st| st.sql.starts_with("INSERT INTO")).expect("a copy");
    assert!(!copy.sql.contains("\"total\"") && !copy.sql.contains("\"label\""), "{}", copy.sql);
    apply(&mut s, &changed);
    assert_eq!(intact(&mut s), 60);
    assert_eq!(count(&mut s, "SELECT count(*) FROM items WHERE total = qty * price * 2"), 60);
    assert_converged(&mut s, &changed, "changed expression");

    // A STORED generated column cannot be added by ALTER TABLE: the table is rebuilt. A VIRTUAL
    // one can.
    let stored = sql_doc(
        &ITEMS
            .replace("(qty * price) STORED", "(qty * price * 2) STORED")
            .replace("VIRTUAL\n", "VIRTUAL,\n  doubled INTEGER GENERATED ALWAYS AS (qty * 2) STORED\n"),
    );
    let plan = apply(&mut s, &stored);
    assert!(plan.statements[0].sql.starts_with("CREATE TABLE \"_schemadoc_new_items\""), "{}", sql_of(&plan));
    assert_eq!(count(&mut s, "SELECT count(*) FROM items WHERE doubled = qty * 2"), 60);
    assert_converged(&mut s, &stored, "stored generated column added");
    let text = ITEMS.replace("(qty * price) STORED", "(qty * price * 2) STORED").replace(
        "VIRTUAL\n",
        "VIRTUAL,\n  doubled INTEGER GENERATED ALWAYS AS (qty * 2) STORED,\n  half REAL AS (price / 2)\n",
    );
    let virtual_added = sql_doc(&text);
    let plan = apply(&mut s, &virtual_added);
    let sql: Vec<&str> = plan.statements.iter().map(|st| st.sql.as_str()).collect();
    assert_eq!(sql, ["ALTER TABLE \"items\" ADD COLUMN \"half\" REAL GENERATED ALWAYS AS (price / 2) VIRTUAL"]);
    assert_eq!(count(&mut s, "SELECT count(*) FROM items WHERE half = price / 2"), 60);
    assert_converged(&mut s, &virtual_added, "virtual generated column added");
    assert_eq!(intact(&mut s), 60);
}
