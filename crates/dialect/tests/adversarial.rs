//! Hostile input against real servers: a planned statement that holds a second statement is refused
//! by every engine before anything runs, and names holding any character (quotes, newlines,
//! semicolons, comment markers) round-trip exactly. Each test runs in its own scratch database;
//! without a reachable server the PostgreSQL and MySQL cases are skipped (except under `CI=true`).

use model::{Column, DataType, Index, IndexPart, Notation, Origin, PrimaryKey, Schema, Table, TypeKind};
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{
    engine, plan_migration, ApplyError, EngineKind, InspectFilter, Plan, PlanOptions, PlannedStatement, Session,
};

fn statement(sql: &str) -> PlannedStatement {
    PlannedStatement { sql: sql.into(), reason: "test".into(), hazards: vec![], transactional: true, change: 0 }
}

/// Table names in the database, sorted (bookkeeping excluded).
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

/// Row count of `victim`.
fn rows(s: &mut dyn Session) -> i64 {
    s.count("SELECT count(*) FROM victim").expect("count victim")
}

fn refuses_a_second_statement(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE victim (id INT PRIMARY KEY)").unwrap();
    s.execute("INSERT INTO victim (id) VALUES (1)").unwrap();
    s.execute("INSERT INTO victim (id) VALUES (2)").unwrap();
    let attempts = [
        "CREATE TABLE a (x INT); DROP TABLE victim",
        "CREATE TABLE a (x INT);\nDELETE FROM victim",
        "CREATE TABLE a (x INT CHECK (x > 0)); DROP TABLE victim; --",
        "CREATE TABLE a (x INT) /* ; */ ; DROP TABLE victim",
    ];
    for sql in attempts {
        let plan = Plan { statements: vec![statement(sql)], ..Plan::default() };
        let result = s.apply(&plan, "adversarial");
        assert!(
            matches!(result, Err(ApplyError::Statement { statement: 0, .. })),
            "{kind}: `{sql}` must be refused, got {result:?}"
        );
        assert_eq!(tables(s.as_mut()), ["victim"], "{kind}: `{sql}` changed the database");
        assert_eq!(rows(s.as_mut()), 2, "{kind}: `{sql}` lost rows");
    }
    // One statement with a trailing semicolon or comment is still one statement.
    let plan = Plan { statements: vec![statement("CREATE TABLE ok_one (x INT);  -- done")], ..Plan::default() };
    s.apply(&plan, "adversarial").unwrap_or_else(|e| panic!("{kind}: a single statement was refused: {e}"));
    assert_eq!(tables(s.as_mut()), ["ok_one", "victim"]);
}

#[test]
fn sqlite_refuses_a_second_statement() {
    refuses_a_second_statement(EngineKind::Sqlite);
}

#[test]
fn postgres_refuses_a_second_statement() {
    refuses_a_second_statement(EngineKind::Postgres);
}

#[test]
fn mysql_refuses_a_second_statement() {
    refuses_a_second_statement(EngineKind::Mysql);
}

/// Names that break naive quoting or comments.
const HOSTILE_NAMES: [&str; 6] =
    ["a\"b", "it's", "back`tick", "semi;colon -- dash", "new\nline); DROP TABLE victim; --", "slash\\ /* star"];

fn origin() -> Origin {
    Origin::new("doc.md".into(), 1, 1, Notation::Sql)
}

fn hostile_schema() -> Schema {
    let mut schema = Schema::default();
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let mut t = Table::new(format!("t{i} {name}"), origin());
        let mut id = Column::new("id", DataType::new(TypeKind::Int { bytes: 4 }, "INTEGER"), origin());
        id.nullable = false;
        t.columns.push(id);
        t.columns.push(Column::new(*name, DataType::new(TypeKind::Varchar { len: Some(20) }, "VARCHAR(20)"), origin()));
        t.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: origin() });
        schema.indexes.push(Index {
            name: Some(format!("i{i} {name}")),
            table: t.name.clone(),
            parts: vec![IndexPart::column(*name)],
            unique: false,
            method: None,
            predicate: None,
            include: vec![],
            origin: origin(),
        });
        schema.tables.push(t);
    }
    schema
}

fn hostile_names_round_trip(kind: EngineKind) {
    let Some(db) = ScratchDb::new(kind) else { return };
    let mut s = db.session();
    s.execute("CREATE TABLE victim (id INT PRIMARY KEY)").unwrap();
    s.execute("INSERT INTO victim (id) VALUES (1)").unwrap();
    let schema = {
        let mut schema = hostile_schema();
        let mut victim = Table::new("victim", origin());
        let mut id = Column::new("id", DataType::new(TypeKind::Int { bytes: 4 }, "INT"), origin());
        id.nullable = false;
        victim.columns.push(id);
        victim.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin: origin() });
        schema.tables.push(victim);
        schema
    };
    let e = engine(kind);
    let live = s.inspect(&InspectFilter::default()).unwrap();
    let (_, _, plan) = plan_migration(e, &live, &schema, &Default::default(), &PlanOptions::default());
    s.apply(&plan, "adversarial").unwrap_or_else(|err| panic!("{kind}: hostile names failed to apply: {err}"));
    let mut expected: Vec<String> = schema.tables.iter().map(|t| t.name.clone()).collect();
    expected.sort();
    assert_eq!(tables(s.as_mut()), expected, "{kind}: exactly the intended tables exist");
    assert_eq!(rows(s.as_mut()), 1, "{kind}: victim keeps its row");
    let live = s.inspect(&InspectFilter::default()).unwrap();
    for (i, name) in HOSTILE_NAMES.iter().enumerate() {
        let t = live.table(&format!("t{i} {name}")).unwrap_or_else(|| panic!("{kind}: table t{i} is missing"));
        assert!(t.column(name).is_some(), "{kind}: column `{name}` is missing");
        assert!(
            live.indexes.iter().any(|x| x.name.as_deref() == Some(&format!("i{i} {name}"))),
            "{kind}: index on `{name}` is missing"
        );
    }
    let (_, _, again) = plan_migration(e, &live, &schema, &Default::default(), &PlanOptions::default());
    let left: Vec<&str> = again.statements.iter().map(|s| s.sql.as_str()).collect();
    assert!(left.is_empty(), "{kind}: hostile names do not round-trip: {left:#?}");
}

#[test]
fn sqlite_names_hold_any_character() {
    hostile_names_round_trip(EngineKind::Sqlite);
}

#[test]
fn postgres_names_hold_any_character() {
    hostile_names_round_trip(EngineKind::Postgres);
}

#[test]
fn mysql_names_hold_any_character() {
    hostile_names_round_trip(EngineKind::Mysql);
}
