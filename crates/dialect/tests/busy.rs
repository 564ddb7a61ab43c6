//! Gentle with a busy PostgreSQL database: a schema change waits for a lock at most the lock
//! timeout, gives up (so that the sessions queued behind it go on), and is tried again with
//! backoff; constraints are validated after the transaction that adds them; an index left invalid
//! by an interrupted `CREATE INDEX CONCURRENTLY` is found and built again. Each case runs in its own
//! scratch database; without a reachable server it is skipped (except under `CI=true`).

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{
    connect, engine, plan_migration, ApplyError, ConnectOptions, EngineKind, InspectFilter, Plan, PlanOptions, Session,
    Timeouts,
};
use std::time::Duration;

fn doc(sql: &str) -> model::Schema {
    let files = [extract::SourceFile { name: "doc.md".into(), text: format!("# Doc\n\n```postgresql\n{sql}\n```\n") }];
    extract::extract(&files, &extract::Options::default()).schema
}

fn plan_for(s: &mut dyn Session, schema: &model::Schema, online: bool) -> Plan {
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    let options = PlanOptions {
        online,
        invalid_indexes: s.invalid_indexes(&InspectFilter::default()).expect("invalid indexes"),
        ..PlanOptions::default()
    };
    plan_migration(engine(EngineKind::Postgres), &live, schema, &Renames::default(), &options).2
}

fn session(db: &ScratchDb, lock: Duration, attempts: u32) -> Box<dyn Session> {
    let timeouts = Timeouts { lock, attempts, ..Timeouts::default() };
    connect(&db.url, &ConnectOptions { timeouts, ..ConnectOptions::default() }).expect("connect")
}

/// A table of `rows` rows.
fn items(s: &mut dyn Session, rows: u32) {
    s.execute("CREATE TABLE items (id int NOT NULL PRIMARY KEY, code int)").unwrap();
    s.execute(&format!("INSERT INTO items SELECT g, g % 1000 FROM generate_series(1, {rows}) g")).unwrap();
}

/// Holds an ACCESS SHARE lock on `items` (what a long SELECT takes) for `hold`, in another session.
fn hold_lock(db: &ScratchDb, hold: Duration) -> std::thread::JoinHandle<()> {
    let mut holder = db.session();
    holder.execute("BEGIN; LOCK TABLE items IN ACCESS SHARE MODE").unwrap();
    std::thread::spawn(move || {
        std::thread::sleep(hold);
        holder.execute("COMMIT").unwrap();
    })
}

#[test]
fn an_add_column_behind_a_long_reader_times_out_and_is_retried() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = session(&db, Duration::from_millis(300), 6);
    items(s.as_mut(), 1000);
    let wanted = doc("CREATE TABLE items (id int NOT NULL PRIMARY KEY, code int, note text);");
    let plan = plan_for(s.as_mut(), &wanted, false);
    let holder = hold_lock(&db, Duration::from_millis(1500));
    let report = s.apply(&plan, "busy").expect("applied once the reader is done");
    holder.join().unwrap();
    assert!(!report.retries.is_empty(), "the first try met the reader's lock");
    assert!(
        report.retries[0]
            .contains("waited 300 ms for a lock and gave up; the transaction is rolled back and tried again"),
        "{:?}",
        report.retries
    );
    assert!(plan_for(s.as_mut(), &wanted, false).is_empty(), "converged");
}

#[test]
fn a_lock_never_granted_fails_after_the_last_attempt_and_changes_nothing() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = session(&db, Duration::from_millis(200), 2);
    items(s.as_mut(), 100);
    let wanted = doc("CREATE TABLE items (id int NOT NULL PRIMARY KEY, code int, note text);");
    let plan = plan_for(s.as_mut(), &wanted, false);
    let holder = hold_lock(&db, Duration::from_secs(3));
    let err = s.apply(&plan, "busy").expect_err("the lock is held longer than two tries");
    holder.join().unwrap();
    let ApplyError::Statement { message, rolled_back, .. } = &err else { panic!("{err}") };
    assert!(*rolled_back);
    assert!(message.contains("waited 200 ms for a lock, 2 time(s)"), "{message}");
    assert_eq!(plan_for(s.as_mut(), &wanted, false).statements.len(), plan.statements.len(), "nothing changed");
}

#[test]
fn constraints_are_validated_after_the_transaction_that_adds_them() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = session(&db, Duration::from_secs(2), 3);
    items(s.as_mut(), 1000);
    s.execute("CREATE TABLE codes (code int PRIMARY KEY); INSERT INTO codes SELECT generate_series(0, 999)").unwrap();
    let wanted = doc(
        "CREATE TABLE codes (code int PRIMARY KEY);\n\
         CREATE TABLE items (id int NOT NULL PRIMARY KEY, code int NOT NULL REFERENCES codes (code) CHECK (code >= 0));",
    );
    let plan = plan_for(s.as_mut(), &wanted, true);
    let validates: Vec<_> = plan.statements.iter().filter(|st| st.sql.contains("VALIDATE CONSTRAINT")).collect();
    assert_eq!(validates.len(), 3, "foreign key, check and the online NOT NULL's check:\n{plan:#?}");
    assert!(validates.iter().all(|st| !st.transactional), "each VALIDATE commits on its own");
    assert!(
        plan.statements.iter().filter(|st| st.sql.contains("NOT VALID")).all(|st| st.transactional),
        "the NOT VALID adds are in the transaction"
    );
    s.apply(&plan, "online").expect("applied");
    assert!(plan_for(s.as_mut(), &wanted, true).is_empty(), "converged: the helper check is gone");
}

#[test]
fn an_index_left_invalid_by_an_interrupted_concurrent_build_is_rebuilt() {
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else { return };
    let mut s = session(&db, Duration::from_secs(2), 3);
    items(s.as_mut(), 200_000);
    let wanted =
        doc("CREATE TABLE items (id int NOT NULL PRIMARY KEY, code int);\nCREATE INDEX items_code ON items (code);");
    // An apply --online killed while building the index: cancelled by a short statement timeout.
    // NOTE: separate calls: several statements in one string run as one transaction, where
    // CONCURRENTLY is refused.
    s.execute("SET statement_timeout = '30ms'").unwrap();
    let err = s.execute("CREATE INDEX CONCURRENTLY items_code ON items (code)").expect_err("cancelled");
    assert!(err.to_string().contains("statement timeout"), "{err}");
    s.execute("RESET statement_timeout").unwrap();
    assert_eq!(s.invalid_indexes(&InspectFilter::default()).unwrap(), ["items_code"]);
    let plan = plan_for(s.as_mut(), &wanted, true);
    let sql: Vec<&str> = plan.statements.iter().map(|st| st.sql.as_str()).collect();
    assert!(sql.iter().any(|q| q.starts_with("DROP INDEX") && q.contains("items_code")), "{sql:?}");
    assert!(sql.iter().any(|q| q.starts_with("CREATE INDEX CONCURRENTLY") && q.contains("items_code")), "{sql:?}");
    assert!(plan.statements[0].reason.contains("invalid"), "{}", plan.statements[0].reason);
    s.apply(&plan, "rebuild").expect("rebuilt");
    assert!(s.invalid_indexes(&InspectFilter::default()).unwrap().is_empty());
    assert!(plan_for(s.as_mut(), &wanted, true).is_empty(), "converged");
}
