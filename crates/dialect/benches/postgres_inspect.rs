//! `inspect` + `plan` against a PostgreSQL database of 2,000 tables (15 columns each, a foreign key
//! and two indexes per table): wall time and the number of catalog queries issued, twice: with the
//! document spelled as the catalog prints it, and with a default on every table spelled otherwise
//! (`DATE '2000-01-01'`, kept by the server as `'2000-01-01'::date`), which the server itself must
//! build in scratch schemas to compare. Run with `cargo bench -p schemadoc-dialect --bench
//! postgres_inspect`; needs the local server.

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{plan_migration_on, EngineKind, InspectFilter, PlanOptions};
use std::time::Instant;

const TABLES: usize = 2000;

fn table_sql(i: usize, typed: bool) -> String {
    let born = if typed { " DEFAULT DATE '2000-01-01'" } else { "" };
    let parent = if i == 0 {
        String::new()
    } else {
        format!(",\n  parent_id bigint REFERENCES t{} (id) ON DELETE CASCADE", i - 1)
    };
    format!(
        "CREATE TABLE t{i} (
  id bigserial PRIMARY KEY,
  code varchar(40) NOT NULL UNIQUE,
  name text NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
  amount numeric(12,2) NOT NULL DEFAULT 0,
  ratio double precision,
  flags integer[] NOT NULL DEFAULT '{{}}',
  tags text[],
  payload jsonb DEFAULT '{{}}'::jsonb,
  external_id uuid DEFAULT gen_random_uuid(),
  is_active boolean NOT NULL DEFAULT true,
  born_on date{born},
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamp(3){parent}
);
CREATE INDEX t{i}_created ON t{i} (created_at DESC);
CREATE INDEX t{i}_active ON t{i} (name) WHERE status = 'active';
"
    )
}

fn main() {
    for typed in [false, true] {
        run(typed);
    }
}

fn run(typed: bool) {
    println!(
        "{}",
        if typed {
            "a default on every table spelled otherwise than the catalog prints it (server-built comparison):"
        } else {
            "the document spelled as the catalog prints it:"
        }
    );
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else {
        eprintln!("no PostgreSQL server: benchmark skipped");
        return;
    };
    let mut s = db.session();
    let sql: Vec<String> = (0..TABLES).map(|i| table_sql(i, typed)).collect();
    let setup = Instant::now();
    for chunk in sql.chunks(100) {
        s.execute(&chunk.concat()).expect("create tables");
    }
    let setup = setup.elapsed();
    let document = extract::extract(
        &[extract::SourceFile {
            name: "bench.md".into(),
            text: format!("# Bench\n\n```postgresql\n{}\n```\n", sql.concat()),
        }],
        &extract::Options::default(),
    )
    .schema;
    assert_eq!(document.tables.len(), TABLES);

    let mut best = None;
    for _ in 0..3 {
        let before = s.queries_issued().unwrap_or(0);
        let start = Instant::now();
        let live = s.inspect(&InspectFilter::default()).expect("inspect");
        let inspected = start.elapsed();
        let (_, changes, plan, not_built) =
            plan_migration_on(s.as_mut(), &live, &document, &Renames::default(), &PlanOptions::default());
        assert_eq!(not_built, None, "the server could not build the document");
        let total = start.elapsed();
        let queries = s.queries_issued().unwrap_or(0) - before;
        assert_eq!(live.tables.len(), TABLES);
        assert!(changes.is_empty(), "drift on the benchmark schema: {:?}", changes.changes.first());
        assert!(plan.is_empty());
        if best.as_ref().is_none_or(|(t, _, _)| total < *t) {
            best = Some((total, inspected, queries));
        }
    }
    let (total, inspected, queries) = best.expect("three runs");
    println!("  setup (2,000 tables created): {:.1} s", setup.as_secs_f64());
    println!("  inspect: {:.0} ms", inspected.as_secs_f64() * 1000.0);
    println!("  inspect + plan: {:.0} ms (best of 3)", total.as_secs_f64() * 1000.0);
    println!("  queries: {queries}");
}
