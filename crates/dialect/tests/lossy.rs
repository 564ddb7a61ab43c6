//! Lossy type changes on real servers: 5,000 rows of which an exact number would come out
//! different, counted before anything runs, refused without `--allow-destructive`, and — once
//! allowed — the count matches the values that really changed (each row keeps a copy of its
//! original value to compare with). Each case runs in its own scratch database; without a
//! reachable server the PostgreSQL and MySQL cases are skipped (except under `CI=true`).

use diff::Renames;
use extract::{Options, SourceFile};
use model::Schema;
use schemadoc_dialect::guard::{self, Measured};
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{engine, plan_migration, EngineKind, HazardKind, InspectFilter, PlanOptions, Session};

fn doc(kind: EngineKind, sql: &str) -> Schema {
    let label = match kind {
        EngineKind::Postgres => "postgresql",
        EngineKind::Mysql => "mysql",
        EngineKind::Sqlite => "sqlite",
    };
    let files = [SourceFile { name: "doc.md".into(), text: format!("# Doc\n\n```{label}\n{sql}\n```\n") }];
    extract::extract(&files, &Options::default()).schema
}

/// The data-loss hazards of bringing the database to `sql`, measured; the plan is applied when
/// `apply` is set (as `--allow-destructive` would).
fn convert(s: &mut dyn Session, kind: EngineKind, sql: &str, apply: bool) -> Vec<Measured> {
    let schema = doc(kind, sql);
    let live = s.inspect(&InspectFilter::default()).expect("inspect");
    let options = PlanOptions { time_zone: s.time_zone().expect("time zone"), ..PlanOptions::default() };
    let (_, _, plan) = plan_migration(engine(kind), &live, &schema, &Renames::default(), &options);
    assert!(!plan.is_empty(), "{kind}: nothing planned for {sql}");
    let measured = guard::measure(s, &plan).expect("measure");
    if apply {
        s.apply(&plan, "lossy").unwrap_or_else(|e| panic!("{kind}: applying {sql}: {e}"));
    }
    measured.into_iter().filter(|m| m.kind == HazardKind::DataLoss).collect()
}

/// The count of the one data-loss hazard whose label contains `what`, after checking that it
/// blocks an apply without `--allow-destructive` when it is not zero.
fn counted(losses: &[Measured], what: &str) -> i64 {
    let found: Vec<&Measured> =
        losses.iter().filter(|m| m.label.as_deref().is_some_and(|l| l.contains(what))).collect();
    assert_eq!(found.len(), 1, "one hazard counting `{what}` in {losses:#?}");
    let n = found[0].count.unwrap_or_else(|| panic!("`{what}` was not counted: {:?}", found[0]));
    assert_eq!(found[0].blocks(false), n > 0, "a count of {n} must block exactly when it is not zero");
    assert!(!found[0].blocks(true), "--allow-destructive accepts it");
    n
}

/// Rows 1..=5000 of `table` (with `columns`), each value given by the SQL expression of `i`.
fn fill(s: &mut dyn Session, kind: EngineKind, table: &str, columns: &str, values: &str) {
    let sql = match kind {
        EngineKind::Postgres => {
            format!("INSERT INTO {table} (id, {columns}) SELECT i, {values} FROM generate_series(1, 5000) AS g(i)")
        }
        _ => format!(
            "INSERT INTO {table} (id, {columns}) WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g \
             WHERE i < 5000) SELECT i, {values} FROM g"
        ),
    };
    if kind == EngineKind::Mysql {
        // NOTE: MariaDB stops a recursive CTE after 1,000 rows unless told otherwise.
        s.execute("SET SESSION max_recursive_iterations = 10000").unwrap();
    }
    s.execute(&sql).unwrap_or_else(|e| panic!("{kind}: filling {table}: {e}"));
}

fn count(s: &mut dyn Session, sql: &str) -> i64 {
    s.count(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn postgres_lossy_conversions_are_counted_exactly() {
    let kind = EngineKind::Postgres;
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute(
        "CREATE TABLE m (id int PRIMARY KEY, at timestamp, at0 timestamp, amount numeric(12,4), \
         amount0 numeric(12,4), big bigint, big0 bigint, code text, code0 text)",
    )
    .unwrap();
    // A fifth of the times have a time of day; a seventh of the amounts a third decimal place;
    // a tenth of the integers are odd beyond 2^53; a quarter of the codes are spelled with zeros
    // or a space.
    fill(
        s.as_mut(),
        kind,
        "m",
        "at, amount, big, code",
        "timestamp '2026-01-01' + i * interval '1 day' + CASE WHEN i % 5 = 0 THEN interval '3 hours' ELSE interval '0' END, \
         i + CASE WHEN i % 7 = 0 THEN 0.125 ELSE 0.5 END, \
         CASE WHEN i % 10 = 0 THEN 9007199254740993 + 2 * i ELSE i END, \
         CASE WHEN i % 8 = 0 THEN lpad(i::text, 6, '0') WHEN i % 8 = 1 THEN ' ' || i ELSE i::text END",
    );
    s.execute("UPDATE m SET at0 = at, amount0 = amount, big0 = big, code0 = code").unwrap();
    let target = "CREATE TABLE m (id int PRIMARY KEY, at date, at0 timestamp, amount numeric(12,2), \
                  amount0 numeric(12,4), big double precision, big0 bigint, code integer, code0 text);";
    let losses = convert(s.as_mut(), kind, target, false);
    assert_eq!(counted(&losses, "m.at with a time of day"), 1000);
    assert_eq!(counted(&losses, "m.amount with more than 2 decimal places"), 714);
    assert_eq!(counted(&losses, "m.big not exact"), 500);
    assert_eq!(counted(&losses, "m.code whose text differs"), 1250);
    convert(s.as_mut(), kind, target, true);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE at <> at0"), 1000);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE amount <> amount0"), 714);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE big::bigint <> big0"), 500);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE code::text <> code0"), 1250);
}

#[test]
fn postgres_timestamps_are_read_in_the_database_time_zone() {
    let kind = EngineKind::Postgres;
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE e (id int PRIMARY KEY, at timestamp)").unwrap();
    // Seven local times fall in New York's spring-forward gap (02:00–03:00 on 2026-03-08).
    fill(
        s.as_mut(),
        kind,
        "e",
        "at",
        "CASE WHEN i <= 7 THEN timestamp '2026-03-08 02:30' ELSE timestamp '2026-01-15 12:00' END",
    );
    let name = db.url.rsplit('/').next().unwrap().to_string();
    s.execute(&format!("ALTER DATABASE {name} SET timezone = 'America/New_York'")).unwrap();
    let mut s = db.session();
    assert_eq!(s.time_zone().unwrap().as_deref(), Some("America/New_York"));
    let target = "CREATE TABLE e (id int PRIMARY KEY, at timestamptz);";
    let losses = convert(s.as_mut(), kind, target, false);
    assert_eq!(counted(&losses, "e.at that move when read in `America/New_York`"), 7);
    let message = &losses[0].message;
    assert!(message.contains("`America/New_York`, the database's time zone"), "{message}");
    convert(s.as_mut(), kind, target, true);
    // Noon in New York in January is 17:00 UTC, not noon UTC.
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM e WHERE at = timestamptz '2026-01-15 17:00:00+00'"), 4993);
}

#[test]
fn mysql_lossy_conversions_are_counted_exactly() {
    let kind = EngineKind::Mysql;
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute(
        "CREATE TABLE m (id int PRIMARY KEY, at datetime, at0 datetime, amount decimal(12,4), \
         amount0 decimal(12,4), big bigint, big0 bigint, code varchar(20), code0 varchar(20))",
    )
    .unwrap();
    fill(
        s.as_mut(),
        kind,
        "m",
        "at, amount, big, code",
        "TIMESTAMP('2026-01-01') + INTERVAL i DAY + INTERVAL IF(i % 5 = 0, 3, 0) HOUR, \
         i + IF(i % 7 = 0, 0.125, 0.5), \
         IF(i % 10 = 0, 9007199254740993 + 2 * i, i), \
         CASE WHEN i % 8 = 0 THEN LPAD(i, 6, '0') WHEN i % 8 = 1 THEN CONCAT('+', i) ELSE CONCAT(i) END",
    );
    s.execute("UPDATE m SET at0 = at, amount0 = amount, big0 = big, code0 = code").unwrap();
    let target = "CREATE TABLE m (id int PRIMARY KEY, at date, at0 datetime, amount decimal(12,2), \
                  amount0 decimal(12,4), big double, big0 bigint, code int, code0 varchar(20));";
    let losses = convert(s.as_mut(), kind, target, false);
    assert_eq!(counted(&losses, "m.at with a time of day"), 1000);
    assert_eq!(counted(&losses, "m.amount with more than 2 decimal places"), 714);
    assert_eq!(counted(&losses, "m.big not exact"), 500);
    assert_eq!(counted(&losses, "m.code whose text differs"), 1250);
    convert(s.as_mut(), kind, target, true);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE at <> at0"), 1000);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE amount <> amount0"), 714);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE CAST(big AS DECIMAL(20,0)) <> big0"), 500);
    assert_eq!(
        count(s.as_mut(), "SELECT count(*) FROM m WHERE CAST(CONCAT(code) AS BINARY) <> CAST(code0 AS BINARY)"),
        1250
    );
}

#[test]
fn mysql_timestamps_are_converted_in_the_server_time_zone() {
    let kind = EngineKind::Mysql;
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE e (id int PRIMARY KEY, at timestamp NULL, at0 varchar(30))").unwrap();
    fill(s.as_mut(), kind, "e", "at", "TIMESTAMP('2026-01-15 12:00') + INTERVAL i MINUTE");
    s.execute("UPDATE e SET at0 = CAST(at AS CHAR)").unwrap();
    let zone = s.time_zone().unwrap().expect("MySQL has a time zone");
    // The session keeps the server's zone (the driver would set UTC).
    assert_eq!(count(s.as_mut(), "SELECT @@session.time_zone = @@global.time_zone"), 1, "{zone}");
    let target = "CREATE TABLE e (id int PRIMARY KEY, at datetime, at0 varchar(30));";
    let losses = convert(s.as_mut(), kind, target, false);
    // No daylight-saving change in January: no instant reads like another.
    assert_eq!(counted(&losses, "e.at that change without their offset in `"), 0);
    let message = &losses.iter().find(|m| m.label.as_deref().is_some_and(|l| l.contains("offset"))).unwrap().message;
    assert!(message.contains(&format!("`{zone}`, the database's time zone")), "{message}");
    convert(s.as_mut(), kind, target, true);
    assert_eq!(
        count(s.as_mut(), "SELECT count(*) FROM e WHERE at <> CAST(at0 AS DATETIME)"),
        0,
        "local times are kept"
    );
}

#[test]
fn sqlite_lossy_conversions_are_counted_exactly() {
    let kind = EngineKind::Sqlite;
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, big BIGINT, big0 BIGINT, code TEXT, code0 TEXT)").unwrap();
    // A tenth of the integers are odd beyond 2^53; a quarter of the codes are spelled with zeros or
    // a space; another eighth are words, which SQLite keeps as text.
    fill(
        s.as_mut(),
        kind,
        "m",
        "big, code",
        "CASE WHEN i % 10 = 0 THEN 9007199254740993 + 2 * i ELSE i END, \
         CASE WHEN i % 8 = 0 THEN substr('000000' || i, -6) WHEN i % 8 = 1 THEN ' ' || i \
         WHEN i % 8 = 2 THEN 'x' || i ELSE CAST(i AS TEXT) END",
    );
    s.execute("UPDATE m SET big0 = big, code0 = code").unwrap();
    let target =
        "CREATE TABLE m (id INTEGER PRIMARY KEY, big DOUBLE PRECISION, big0 BIGINT, code INTEGER, code0 TEXT);";
    let losses = convert(s.as_mut(), kind, target, false);
    assert_eq!(counted(&losses, "m.big not exact"), 500);
    assert_eq!(counted(&losses, "m.code whose text differs"), 1250);
    convert(s.as_mut(), kind, target, true);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE CAST(big AS INTEGER) <> big0"), 500);
    assert_eq!(count(s.as_mut(), "SELECT count(*) FROM m WHERE CAST(code AS TEXT) <> code0"), 1250);
}
