//! How long an online schema change blocks the application: fills a 2,000,000-row PostgreSQL
//! table, then, while a writer loop (inserts and updates) and a reader loop (point reads) run in
//! their own connections, applies `--online` a change that adds a foreign key, an index and a NOT
//! NULL to it. Reports, for each loop, the longest single operation before the apply (the
//! baseline) and while it runs; the target is under 100 ms.
//!
//! `cargo bench -p schemadoc-dialect --bench lock_impact` against `SCHEMADOC_TEST_POSTGRES_URL`
//! (default the local server); `SCHEMADOC_BENCH_ROWS` changes the table size, and
//! `SCHEMADOC_BENCH_ONLINE=0` applies without `--online`, for comparison.

use diff::Renames;
use schemadoc_dialect::testing::ScratchDb;
use schemadoc_dialect::{engine, plan_migration, EngineKind, InspectFilter, PlanOptions, Session};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn doc(sql: &str) -> model::Schema {
    let files =
        [extract::SourceFile { name: "doc.md".into(), text: format!("# Bench\n\n```postgresql\n{sql}\n```\n") }];
    extract::extract(&files, &extract::Options::default()).schema
}

/// Latencies of one loop: the longest operation, how many ran, and when the longest happened.
#[derive(Default, Clone, Copy)]
struct Loop {
    max: Duration,
    ops: u64,
}

/// Runs `op` on its own session until `stop`, recording the longest call.
fn run_loop(
    db_url: String,
    stop: Arc<AtomicBool>,
    op: impl Fn(&mut dyn Session, u64) + Send + 'static,
) -> std::thread::JoinHandle<Loop> {
    std::thread::spawn(move || {
        let mut s = schemadoc_dialect::connect(&db_url, &Default::default()).expect("connect");
        let mut stats = Loop::default();
        let mut i = 0u64;
        while !stop.load(Ordering::Relaxed) {
            let start = Instant::now();
            op(s.as_mut(), i);
            stats.max = stats.max.max(start.elapsed());
            stats.ops += 1;
            i += 1;
        }
        stats
    })
}

/// Ids of inserted rows, above the filled ones, unique across both measured periods.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(10_000_000);

fn writer(s: &mut dyn Session, i: u64) {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    if i.is_multiple_of(2) {
        s.execute(&format!("INSERT INTO big (id, parent_id, note) VALUES ({id}, {}, 'new')", i % 1000))
            .expect("insert");
    } else {
        s.execute(&format!("UPDATE big SET note = 'upd' WHERE id = {}", (i * 7919) % 2_000_000 + 1)).expect("update");
    }
}

fn reader(s: &mut dyn Session, i: u64) {
    s.count(&format!("SELECT count(*) FROM big WHERE id = {}", (i * 104_729) % 2_000_000 + 1)).expect("read");
}

/// Both loops for `period`, or until `work` returns.
fn measure<T>(url: &str, work: impl FnOnce() -> T) -> (T, Loop, Loop, Duration) {
    let stop = Arc::new(AtomicBool::new(false));
    let w = run_loop(url.to_string(), stop.clone(), writer);
    let r = run_loop(url.to_string(), stop.clone(), reader);
    // Let both loops connect and warm up.
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    let out = work();
    let took = start.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    (out, w.join().expect("writer"), r.join().expect("reader"), took)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let rows: u64 = std::env::var("SCHEMADOC_BENCH_ROWS").ok().and_then(|r| r.parse().ok()).unwrap_or(2_000_000);
    let Some(db) = ScratchDb::new(EngineKind::Postgres) else {
        eprintln!("lock_impact: no PostgreSQL server; set SCHEMADOC_TEST_POSTGRES_URL");
        return;
    };
    let mut s = db.session();
    let fill = Instant::now();
    s.execute("CREATE TABLE parents (id int PRIMARY KEY); INSERT INTO parents SELECT generate_series(0, 999)").unwrap();
    s.execute("CREATE TABLE big (id bigint PRIMARY KEY, parent_id int, note text)").unwrap();
    s.execute(&format!("INSERT INTO big SELECT g, g % 1000, 'note ' || g FROM generate_series(1, {rows}) g")).unwrap();
    s.execute("VACUUM ANALYZE big").unwrap();
    println!("lock_impact: {rows} rows filled in {:.1} s", fill.elapsed().as_secs_f64());

    let wanted = doc("CREATE TABLE parents (id int PRIMARY KEY);\n\
         CREATE TABLE big (id bigint PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id), note text);\n\
         CREATE INDEX big_parent_id ON big (parent_id);");
    let live = s.inspect(&InspectFilter::default()).unwrap();
    let online = std::env::var("SCHEMADOC_BENCH_ONLINE").map_or(true, |v| v != "0");
    let options = PlanOptions { online, ..PlanOptions::default() };
    let plan = plan_migration(engine(EngineKind::Postgres), &live, &wanted, &Renames::default(), &options).2;
    for st in &plan.statements {
        println!("  {}{}", if st.transactional { "" } else { "(own transaction) " }, st.sql);
    }

    let ((), base_w, base_r, _) = measure(&db.url, || std::thread::sleep(Duration::from_secs(3)));
    println!(
        "baseline (3 s, no change): writer max {} ({} ops), reader max {} ({} ops)",
        ms(base_w.max),
        base_w.ops,
        ms(base_r.max),
        base_r.ops
    );
    let (report, w, r, took) = measure(&db.url, || s.apply(&plan, "lock-impact"));
    let report = report.expect("apply");
    println!(
        "apply{} ({} statements, {:.2} s, {} lock-timeout retries): writer max {} ({} ops), reader max {} ({} ops)",
        if online { " --online" } else { "" },
        report.executed.len(),
        took.as_secs_f64(),
        report.retries.len(),
        ms(w.max),
        w.ops,
        ms(r.max),
        r.ops
    );
    let target = Duration::from_millis(100);
    println!(
        "target < 100 ms: writer {}, reader {}",
        if w.max < target { "met" } else { "MISSED" },
        if r.max < target { "met" } else { "MISSED" }
    );
}
