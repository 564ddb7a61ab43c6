//! How long a SQLite table rebuild takes against a bare copy of the same table.
//!
//! A 1,000,000-row table is rebuilt by `apply` to change a column's type (create the new table,
//! copy, drop, rename, in one transaction) and, separately, copied by a bare
//! `CREATE TABLE … ; INSERT INTO … SELECT` in one transaction. The rebuild should take at most
//! 1.5 times the copy. Run with `cargo bench -p schemadoc-dialect --bench sqlite_rebuild`;
//! `SCHEMADOC_BENCH_ROWS` changes the row count.

use diff::Renames;
use model::{Column, DataType, Notation, Origin, PrimaryKey, Schema, Table, TypeKind};
use schemadoc_dialect::{connect, engine, plan_migration, ConnectOptions, EngineKind, InspectFilter, PlanOptions};
use std::time::{Duration, Instant};

fn document(qty: TypeKind) -> Schema {
    let origin = Origin::new("bench.md".into(), 1, 1, Notation::Sql);
    let col = |name: &str, kind: TypeKind, nullable: bool| {
        let mut c = Column::new(name, DataType::new(kind.clone(), kind.to_string()), origin.clone());
        c.nullable = nullable;
        c
    };
    let mut t = Table::new("big", origin.clone());
    t.columns = vec![
        col("id", TypeKind::Int { bytes: 8 }, false),
        col("name", TypeKind::Text, false),
        col("qty", qty, true),
        col("price", TypeKind::Float { bytes: 8 }, true),
    ];
    t.primary_key = Some(PrimaryKey { name: None, columns: vec!["id".into()], origin });
    Schema { tables: vec![t], ..Schema::default() }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let rows: u64 = std::env::var("SCHEMADOC_BENCH_ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(1_000_000);
    let dir = std::env::temp_dir().join(format!("schemadoc_bench_rebuild_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let sqlite = engine(EngineKind::Sqlite);
    let mut s = connect(&url, &ConnectOptions::default()).expect("connect");

    let text_doc = document(TypeKind::Text);
    let int_doc = document(TypeKind::Int { bytes: 8 });
    let create = sqlite.create_schema(&text_doc);
    for st in &create.statements {
        s.execute(&st.sql).expect("create");
    }
    let fill = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) \
         INSERT INTO big (id, name, qty, price) SELECT i, 'name ' || i, CAST(i % 1000 AS TEXT), i * 0.5 FROM n"
    );
    s.execute(&format!("BEGIN; {fill}; COMMIT")).expect("fill");
    let copy_table = create.statements[0].sql.replacen("\"big\"", "\"big_copy\"", 1);

    let mut copies = Vec::new();
    let mut rebuilds = Vec::new();
    for round in 0..3 {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
        let start = Instant::now();
        s.execute(&format!("BEGIN IMMEDIATE; {copy_table}; INSERT INTO big_copy SELECT * FROM big; COMMIT"))
            .expect("bare copy");
        copies.push(start.elapsed());
        s.execute("DROP TABLE big_copy").expect("drop copy");
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");

        let target = if round % 2 == 0 { &int_doc } else { &text_doc };
        let live = s.inspect(&InspectFilter::default()).expect("inspect");
        let (_, _, plan) = plan_migration(sqlite, &live, target, &Renames::default(), &PlanOptions::default());
        assert!(plan.statements.iter().any(|p| p.sql.starts_with("INSERT INTO \"_schemadoc_new_big\"")));
        let start = Instant::now();
        s.apply(&plan, "bench").expect("rebuild");
        rebuilds.push(start.elapsed());
        assert_eq!(s.count("SELECT count(*) FROM big").expect("count"), i64::try_from(rows).unwrap_or(0));
    }
    let (copy, rebuild) = (median(copies.clone()), median(rebuilds.clone()));
    println!("rows: {rows}");
    println!("bare copy (CREATE TABLE + INSERT INTO … SELECT, one transaction): {copies:?} → median {copy:?}");
    println!(
        "rebuild by apply (create, copy, drop, rename, history, one transaction): {rebuilds:?} → median {rebuild:?}"
    );
    println!("ratio rebuild / copy: {:.2}", rebuild.as_secs_f64() / copy.as_secs_f64());
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}
