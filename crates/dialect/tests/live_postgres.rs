//! Live PostgreSQL: every document applies to an empty database and then shows no drift, and each
//! kind of migration keeps the rows of a populated table. Each test runs in its own scratch
//! database; without a reachable server the tests are skipped (except under `CI=true`).

use diff::Renames;
use extract::{Options, SourceFile};
use model::Schema;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{
    connect, engine, plan_migration, ApplyError, ConnectOptions, DbError, EngineKind, HazardKind, InspectFilter, Plan,
    PlanOptions, Session,
};
use std::path::{Path, PathBuf};

fn read(name: &str, text: &str) -> Schema {
    let files = [SourceFile { name: name.into(), text: text.to_string() }];
    extract::extract(&files, &Options::default()).schema
}

fn doc(sql: &str) -> Schema {
    read("doc.md", &format!("# Doc\n\n```postgresql\n{sql}\n```\n"))
}

fn plan_for(s: &mut dyn Session, schema: &Schema, renames: &Renames) -> Plan {
    let live = s.inspect(&InspectFilter::for_document(EngineKind::Postgres, schema)).expect("inspect");
    plan_migration(engine(EngineKind::Postgres), &live, schema, renames, &PlanOptions::default()).2
}

fn apply(s: &mut dyn Session, schema: &Schema) -> Result<Plan, ApplyError> {
    apply_renamed(s, schema, &Renames::default())
}

fn apply_renamed(s: &mut dyn Session, schema: &Schema, renames: &Renames) -> Result<Plan, ApplyError> {
    let plan = plan_for(s, schema, renames);
    s.apply(&plan, "test-hash")?;
    Ok(plan)
}

fn show(plan: &Plan) -> String {
    plan.statements.iter().map(|s| format!("-- {}\n{};\n", s.reason, s.sql)).collect()
}

/// After applying `schema`, planning it again gives nothing.
fn assert_no_drift(s: &mut dyn Session, schema: &Schema, what: &str) {
    let again = plan_for(s, schema, &Renames::default());
    assert!(again.is_empty(), "{what}: drift after apply:\n{}", show(&again));
}

fn documents() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    if let Some(seeds) = schemadoc_dialect::testing::shared_dir("seeds") {
        out.extend(files(&seeds, "txt"));
    }
    out.extend(files(&root.join("examples"), "md"));
    out.extend(files(&root.join("crates/schemadoc/tests/fixtures/ok"), "md"));
    out
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e == ext));
    v.sort();
    v
}

#[test]
fn every_document_applies_and_shows_no_drift() {
    let Some(probe) = ScratchDb::new(EngineKind::Postgres) else { return };
    let available = probe.session().available_extensions().expect("available extensions");
    drop(probe);
    let mut checked = 0;
    for path in documents() {
        let text = String::from_utf8_lossy(&std::fs::read(&path).expect("readable document")).into_owned();
        let schema = read(&path.display().to_string(), &text);
        if schema.tables.is_empty() {
            continue;
        }
        let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
        let mut s = db.session();
        let translated = engine(EngineKind::Postgres).translate(&schema);
        let missing: Vec<String> =
            translated.schema.extensions.iter().map(|e| e.name.clone()).filter(|e| !available.contains(e)).collect();
        let result = apply(s.as_mut(), &schema);
        if !missing.is_empty() {
            // A document needing an extension the server lacks stops before any change.
            let err = result.expect_err("apply must refuse a missing extension").to_string();
            assert!(err.contains(&missing[0]) && err.contains("nothing was changed"), "{}: {err}", path.display());
            let live = s.inspect(&InspectFilter::default()).expect("inspect");
            assert!(live.tables.is_empty(), "{}: tables were created", path.display());
            assert_eq!(s.count("SELECT count(*) FROM pg_tables WHERE tablename = 'schemadoc_history'").ok(), Some(0));
            continue;
        }
        let plan = result.unwrap_or_else(|e| panic!("{}: apply failed: {e}", path.display()));
        assert!(!plan.is_empty());
        assert_no_drift(s.as_mut(), &schema, &path.display().to_string());
        assert_eq!(s.count("SELECT count(*) FROM schemadoc_history WHERE outcome = 'applied'").ok(), Some(1));
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} documents were applied");
}

/// A checksum of the rows of `table` over `columns`.
fn checksum(s: &mut dyn Session, table: &str, columns: &str) -> i64 {
    s.count(&format!("SELECT coalesce(sum(hashtext(concat_ws('|', {columns}))::bigint), 0) + count(*) FROM {table}"))
        .expect("checksum")
}

const USERS: &str = "CREATE TABLE users (
  id integer PRIMARY KEY,
  name varchar(50) NOT NULL,
  bio text,
  code varchar(20) UNIQUE,
  score integer
);";

fn populated() -> Option<(ScratchDb, Box<dyn Session>)> {
    let db = ScratchDb::new(EngineKind::Postgres)?;
    let mut s = db.session();
    apply(s.as_mut(), &doc(USERS)).expect("create users");
    s.execute(
        "INSERT INTO users (id, name, bio, code, score)
         SELECT i, 'user ' || i, CASE WHEN i % 3 = 0 THEN NULL ELSE repeat('b', i % 40) END, 'c' || i, i % 7
         FROM generate_series(1, 500) i",
    )
    .expect("rows");
    Some((db, s))
}

#[test]
fn adding_a_column_keeps_every_row() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, name, bio, code, score");
    let after = doc(&USERS.replace("score integer", "score integer,\n  email varchar(255) DEFAULT 'none'"));
    let plan = apply(s.as_mut(), &after).expect("add column");
    assert_eq!(plan.destructive().count(), 0);
    assert_eq!(checksum(s.as_mut(), "users", "id, name, bio, code, score"), before);
    assert_no_drift(s.as_mut(), &after, "add column");
}

#[test]
fn dropping_a_column_is_destructive_with_a_live_count() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, name, code, score");
    let after = doc(&USERS.replace("  bio text,\n", ""));
    let plan = plan_for(s.as_mut(), &after, &Renames::default());
    let (_, hazard) = plan.destructive().next().expect("a destructive hazard");
    assert_eq!(hazard.kind, HazardKind::Drop);
    let lost = s.count(hazard.probe.as_deref().expect("probe")).expect("probe runs");
    let expected = s.count("SELECT count(*) FROM users WHERE bio IS NOT NULL").expect("count");
    assert_eq!(lost, expected);
    assert!(lost > 0);
    s.apply(&plan, "h").expect("drop column");
    assert_eq!(checksum(s.as_mut(), "users", "id, name, code, score"), before);
    assert_no_drift(s.as_mut(), &after, "drop column");
}

#[test]
fn a_declared_rename_keeps_the_data_and_an_undeclared_one_is_flagged() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, bio");
    let after = doc(&USERS.replace("bio text", "about text"));
    let undeclared = plan_for(s.as_mut(), &after, &Renames::default());
    assert!(undeclared.statements.iter().any(|st| st.hazards.iter().any(|h| h.kind == HazardKind::LikelyRename)));
    let renames = Renames { tables: vec![], columns: vec![("users".into(), "bio".into(), "about".into())] };
    let plan = apply_renamed(s.as_mut(), &after, &renames).expect("rename");
    assert!(plan.statements.iter().any(|st| st.sql.contains("RENAME COLUMN")), "{}", show(&plan));
    assert_eq!(plan.destructive().count(), 0);
    assert_eq!(checksum(s.as_mut(), "users", "id, about"), before);
    assert_no_drift(s.as_mut(), &after, "rename");
}

#[test]
fn widening_keeps_rows_and_narrowing_is_refused_by_the_server_with_a_counted_hazard() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, name, bio, code, score");
    let wide = doc(&USERS.replace("name varchar(50)", "name varchar(200)").replace("score integer", "score bigint"));
    let plan = apply(s.as_mut(), &wide).expect("widen");
    assert!(
        plan.statements.iter().all(|st| st.hazards.iter().all(|h| h.kind != HazardKind::MayFail)),
        "{}",
        show(&plan)
    );
    assert_eq!(checksum(s.as_mut(), "users", "id, name, bio, code, score"), before);
    assert_no_drift(s.as_mut(), &wide, "widen");

    let narrow = doc(&USERS.replace("name varchar(50)", "name varchar(5)").replace("score integer", "score bigint"));
    let plan = plan_for(s.as_mut(), &narrow, &Renames::default());
    let hazard = plan
        .statements
        .iter()
        .flat_map(|st| &st.hazards)
        .find(|h| h.kind == HazardKind::MayFail)
        .expect("narrowing may fail");
    let too_long = s.count(hazard.probe.as_deref().expect("probe")).expect("probe runs");
    assert_eq!(too_long, 500);
    let err = s.apply(&plan, "h").expect_err("the server rejects values that are too long");
    assert!(matches!(err, ApplyError::Statement { rolled_back: true, .. }), "{err}");
    assert_eq!(checksum(s.as_mut(), "users", "id, name, bio, code, score"), before, "rolled back whole");
}

#[test]
fn a_foreign_key_and_not_null_are_added_to_populated_tables() {
    let Some((_db, mut s)) = populated() else { return };
    let with_posts = format!("{USERS}\nCREATE TABLE posts (id integer PRIMARY KEY, user_id integer, title text);");
    apply(s.as_mut(), &doc(&with_posts)).expect("posts");
    s.execute("INSERT INTO posts SELECT i, (i % 500) + 1, 't' || i FROM generate_series(1, 1000) i").expect("rows");
    let before = checksum(s.as_mut(), "posts", "id, user_id, title");
    let after = doc(&format!(
        "{USERS}\nCREATE TABLE posts (id integer PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE, title text);"
    ));
    let plan = apply(s.as_mut(), &after).expect("fk and not null");
    let sql = show(&plan);
    assert!(sql.contains("NOT VALID") && sql.contains("VALIDATE CONSTRAINT") && sql.contains("SET NOT NULL"), "{sql}");
    assert_eq!(checksum(s.as_mut(), "posts", "id, user_id, title"), before);
    assert_no_drift(s.as_mut(), &after, "fk");
}

#[test]
fn a_primary_key_change_and_a_check_keep_every_row() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, name, bio, code, score");
    let after = doc("CREATE TABLE users (
  id integer NOT NULL,
  name varchar(50) NOT NULL,
  bio text,
  code varchar(20) PRIMARY KEY,
  score integer CHECK (score BETWEEN 0 AND 6)
);");
    let plan = apply(s.as_mut(), &after).expect("pk and check");
    let sql = show(&plan);
    assert!(sql.contains("PRIMARY KEY (\"code\")") && sql.contains("NOT VALID"), "{sql}");
    assert_eq!(checksum(s.as_mut(), "users", "id, name, bio, code, score"), before);
    assert_no_drift(s.as_mut(), &after, "pk");
}

#[test]
fn splitting_a_table_counts_what_the_dropped_column_held() {
    let Some((_db, mut s)) = populated() else { return };
    let before = checksum(s.as_mut(), "users", "id, name, code, score");
    let after = doc(
        "CREATE TABLE users (id integer PRIMARY KEY, name varchar(50) NOT NULL, code varchar(20) UNIQUE, score integer);
CREATE TABLE profiles (user_id integer PRIMARY KEY REFERENCES users (id), bio text);",
    );
    let plan = plan_for(s.as_mut(), &after, &Renames::default());
    let (st, hazard) = plan.destructive().next().expect("the moved column is lost");
    assert!(st.sql.contains("DROP COLUMN \"bio\""), "{}", st.sql);
    assert!(s.count(hazard.probe.as_deref().expect("probe")).expect("probe") > 0);
    s.apply(&plan, "h").expect("split");
    assert_eq!(checksum(s.as_mut(), "users", "id, name, code, score"), before);
    assert_no_drift(s.as_mut(), &after, "split");
}

#[test]
fn enums_gain_values_and_are_recreated_without_removed_ones() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    let v1 = doc("CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh');\nCREATE TABLE m (id integer PRIMARY KEY, mood mood DEFAULT 'happy');");
    apply(s.as_mut(), &v1).expect("v1");
    s.execute("INSERT INTO m VALUES (1, 'happy'), (2, 'sad')").expect("rows");
    let v2 = doc("CREATE TYPE mood AS ENUM ('happy', 'sad', 'meh', 'angry');\nCREATE TABLE m (id integer PRIMARY KEY, mood mood DEFAULT 'happy');");
    apply(s.as_mut(), &v2).expect("add value");
    assert_no_drift(s.as_mut(), &v2, "enum add");
    let v3 = doc("CREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE TABLE m (id integer PRIMARY KEY, mood mood DEFAULT 'happy');");
    apply(s.as_mut(), &v3).expect("recreate");
    assert_no_drift(s.as_mut(), &v3, "enum recreate");
    assert_eq!(s.count("SELECT count(*) FROM m WHERE mood IN ('happy', 'sad')").ok(), Some(2));
}

#[test]
fn a_second_apply_waits_for_none_and_read_only_sessions_refuse() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut holder = db.session();
    holder.execute("SELECT pg_advisory_lock(8314604121892152431)").expect("hold the lock");
    let mut s = db.session();
    let err = apply(s.as_mut(), &doc(USERS)).expect_err("locked");
    assert!(matches!(err, ApplyError::Db(DbError::Locked { .. })), "{err}");
    holder.execute("SELECT pg_advisory_unlock(8314604121892152431)").expect("release");
    apply(s.as_mut(), &doc(USERS)).expect("after release");

    let mut ro = connect(&db.url, &ConnectOptions { read_only: true, ..ConnectOptions::default() }).expect("ro");
    assert!(ro.execute("CREATE TABLE x (a int)").is_err(), "the server refuses writes");
    let plan = Plan::default();
    assert!(matches!(ro.apply(&plan, "h"), Err(ApplyError::Db(DbError::ReadOnly { .. }))));
    assert_eq!(ro.inspect(&InspectFilter::default()).expect("inspect").tables.len(), 1);
}

#[test]
fn inspection_uses_a_fixed_number_of_queries() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    let mut sql = String::new();
    for i in 0..40 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id serial PRIMARY KEY, v text, p integer REFERENCES t{} (id));\n",
            i.max(1) - 1
        ));
        sql.push_str(&format!("CREATE INDEX t{i}_v ON t{i} (v);\n"));
    }
    s.execute(&sql).expect("tables");
    let before = s.queries_issued().expect("postgres counts its queries");
    let schema = s.inspect(&InspectFilter::default()).expect("inspect");
    assert_eq!(schema.tables.len(), 40);
    let used = s.queries_issued().expect("count") - before;
    assert!(used <= 10, "{used} queries");
}

const ITEMS: &str = "CREATE TABLE items (
  id integer PRIMARY KEY,
  qty integer NOT NULL,
  price numeric(10, 2) NOT NULL,
  total numeric(12, 2) GENERATED ALWAYS AS (qty * price) STORED,
  label text GENERATED ALWAYS AS ('#' || id::text) STORED
);";

#[test]
fn generated_columns_round_trip_and_follow_a_changed_expression() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    let before = doc(ITEMS);
    apply(s.as_mut(), &before).expect("create items");
    assert_no_drift(s.as_mut(), &before, "generated columns");
    s.execute("INSERT INTO items (id, qty, price) SELECT i, i % 7, i % 11 + 0.5 FROM generate_series(1, 300) i")
        .expect("rows");
    let sum = checksum(s.as_mut(), "items", "id, qty, price");

    let after = doc(&ITEMS.replace("(qty * price) STORED", "(qty * price * 2) STORED"));
    let plan = plan_for(s.as_mut(), &after, &Renames::default());
    assert_eq!(plan.destructive().count(), 0, "{}", show(&plan));
    assert!(
        plan.statements.iter().flat_map(|st| &st.hazards).any(|h| h.kind == HazardKind::Rewrite),
        "{}",
        show(&plan)
    );
    s.apply(&plan, "h").expect("changed expression");
    assert_eq!(checksum(s.as_mut(), "items", "id, qty, price"), sum);
    assert_eq!(s.count("SELECT count(*) FROM items WHERE total = qty * price * 2").expect("count"), 300);
    assert_eq!(s.count("SELECT count(*) FROM items WHERE label = '#' || id").expect("count"), 300);
    assert_no_drift(s.as_mut(), &after, "changed expression");

    // A VIRTUAL column becomes STORED (PostgreSQL 15 has no other kind) and shows no drift.
    let virt = doc(&ITEMS
        .replace("(qty * price) STORED", "(qty * price * 2) STORED")
        .replace("id::text) STORED", "id::text) VIRTUAL"));
    assert_no_drift(s.as_mut(), &virt, "virtual as stored");
}

#[test]
fn indexes_checks_and_views_on_a_regenerated_column_come_back() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    let v1 = format!(
        "{ITEMS}\nCREATE INDEX items_total_idx ON items (total);\nCREATE UNIQUE INDEX items_label_total_key ON items (label, total);\n\
         ALTER TABLE items ADD CONSTRAINT items_total_check CHECK (total >= 0);\n\
         CREATE VIEW big_items AS SELECT id, total FROM items WHERE total > 10;"
    );
    let before = doc(&v1);
    apply(s.as_mut(), &before).expect("create items");
    assert_no_drift(s.as_mut(), &before, "indexed generated column");
    s.execute("INSERT INTO items (id, qty, price) SELECT i, i % 7, i % 11 + 0.5 FROM generate_series(1, 300) i")
        .expect("rows");
    let sum = checksum(s.as_mut(), "items", "id, qty, price");

    let after = doc(&v1.replace("(qty * price) STORED", "(qty * price * 2) STORED"));
    let plan = apply(s.as_mut(), &after).expect("changed expression");
    let sql = show(&plan);
    assert!(sql.contains("CREATE INDEX \"items_total_idx\"") && sql.contains("CREATE UNIQUE INDEX"), "{sql}");
    assert!(sql.contains("DROP VIEW IF EXISTS \"big_items\"") && sql.contains("items_total_check"), "{sql}");
    assert_eq!(checksum(s.as_mut(), "items", "id, qty, price"), sum);
    assert_eq!(s.count("SELECT count(*) FROM pg_indexes WHERE tablename = 'items'").expect("count"), 3);
    assert_eq!(
        s.count("SELECT count(*) FROM big_items").expect("view"),
        s.count("SELECT count(*) FROM items WHERE total > 10").expect("count")
    );
    assert_no_drift(s.as_mut(), &after, "index on a regenerated column");
}

#[test]
fn a_type_change_under_views_drops_and_recreates_them() {
    let Some((_db, mut s)) = populated() else { return };
    let views = "CREATE VIEW user_names AS SELECT id, name FROM users;\n\
                 CREATE VIEW first_names AS SELECT name FROM user_names WHERE id < 10;\n\
                 CREATE VIEW scores AS SELECT id, score FROM users;";
    let v1 = doc(&format!("{USERS}\n{views}"));
    apply(s.as_mut(), &v1).expect("views");
    assert_no_drift(s.as_mut(), &v1, "views");
    let before = checksum(s.as_mut(), "users", "id, name, bio, code, score");
    let wide = doc(&format!("{}\n{views}", USERS.replace("name varchar(50)", "name varchar(200)")));
    let plan = apply(s.as_mut(), &wide).expect("widen under views");
    let sql = show(&plan);
    assert!(sql.contains("DROP VIEW IF EXISTS \"first_names\"") && sql.contains("DROP VIEW IF EXISTS \"user_names\""));
    // A view that does not read the column stays.
    assert!(!sql.contains("\"scores\""), "{sql}");
    let retype = plan.statements.iter().find(|st| st.sql.contains("TYPE varchar(200)")).expect("type change");
    assert!(retype.hazards.iter().any(|h| h.message.contains("user_names")), "{sql}");
    assert_eq!(plan.destructive().count(), 0, "{sql}");
    assert_eq!(checksum(s.as_mut(), "users", "id, name, bio, code, score"), before);
    assert_eq!(s.count("SELECT count(*) FROM first_names").expect("view"), 9);
    assert_no_drift(s.as_mut(), &wide, "type change under views");
}

#[test]
fn server_errors_carry_the_servers_detail_and_hint() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = db.session();
    let err = s.execute("SELECT no_such_function(1::int)").expect_err("undefined function");
    let text = err.to_string();
    assert!(text.contains("function no_such_function(integer) does not exist"), "{text}");
    assert!(text.contains("hint: No function matches the given name and argument types"), "{text}");
}
