//! Benchmark: `schemadoc check` on generated documents of 2,000 tables (~30,000 columns): one in mixed
//! notations (SQL, Prisma, field tables, Mermaid, index lists), one written entirely in bullets, one
//! entirely in DBML, one drawn as ASCII box diagrams with relational notation. Target: under 1 s and
//! under 300 MB peak memory on a 2-core machine. Run with `cargo bench -p schemadoc --bench
//! check_large`; `SCHEMADOC_BENCH_KEEP=DIR` keeps the documents for profiling. Figures are recorded in
//! BENCHMARKS.md.

#[path = "documents/mod.rs"]
mod documents;

use documents::{generate, generate_boxes, generate_bullets, generate_dbml};
use std::process::Command;
use std::time::{Duration, Instant};

const TABLES: usize = 2_000;
const RUNS: usize = 5;

fn main() {
    let docs = [
        ("mixed", generate(TABLES)),
        ("bullets", generate_bullets(TABLES)),
        ("dbml", generate_dbml(TABLES)),
        ("boxes", generate_boxes(TABLES)),
    ];
    for (name, doc) in docs {
        if let Some(dir) = std::env::var_os("SCHEMADOC_BENCH_KEEP") {
            std::fs::create_dir_all(&dir).expect("keep dir");
            std::fs::write(std::path::Path::new(&dir).join(format!("{name}.md")), &doc).expect("keep document");
        }
        measure(name, &doc);
    }
}

/// Runs `check` on `doc` [`RUNS`] times and prints the figures.
fn measure(name: &str, doc: &str) {
    let dir = std::env::temp_dir().join(format!("schemadoc-bench-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("large.md");
    std::fs::write(&path, doc).expect("write document");

    let mut times = Vec::new();
    let mut peak_kib = 0i64;
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
            .args(["check", path.to_str().expect("utf-8 path"), "--format", "json"])
            .output()
            .expect("schemadoc runs");
        times.push(start.elapsed());
        assert!(matches!(out.status.code(), Some(0 | 1)), "check failed: {}", String::from_utf8_lossy(&out.stderr));
        peak_kib = peak_kib.max(children_max_rss_kib());
    }
    // Counted after the timed runs, so that the peak memory above is `check`'s alone.
    let (tables, columns) = count(&path);
    assert_eq!(tables, TABLES, "every generated table is read ({name})");
    println!("{name} document: {tables} tables, {columns} columns, {} KiB", doc.len() / 1024);
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "{name} check: median {:.3} s, min {:.3} s, max {:.3} s over {RUNS} runs; peak memory {:.1} MB",
        secs(median),
        secs(times[0]),
        secs(times[RUNS - 1]),
        peak_kib as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Tables and columns schemadoc reads from the document (`show --format json`).
fn count(path: &std::path::Path) -> (usize, usize) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(["show", path.to_str().expect("utf-8 path"), "--format", "json"])
        .output()
        .expect("schemadoc runs");
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("schema json");
    let tables = schema["tables"].as_array().expect("tables");
    (tables.len(), tables.iter().map(|t| t["columns"].as_array().map_or(0, Vec::len)).sum())
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The largest resident set of any finished child process, in KiB.
fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage only writes into the struct we pass.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss
    }
}
