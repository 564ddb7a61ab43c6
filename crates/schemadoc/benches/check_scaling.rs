//! Benchmark: how `schemadoc check` time grows with the document, on the mixed-notation document of
//! `check_large` at about 2, 4, 8, 16 and 50 MB. Linear growth keeps the time per MB flat. Run with
//! `cargo bench -p schemadoc --bench check_scaling`; figures are recorded in BENCHMARKS.md.

#[path = "documents/mod.rs"]
mod documents;

use std::process::Command;
use std::time::Instant;

/// Tables per MB of the mixed document (2,000 tables make 1.25 MB).
const TABLES_PER_MB: usize = 1_600;

fn main() {
    let dir = std::env::temp_dir().join(format!("schemadoc-scaling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // `SCHEMADOC_BENCH_SIZES=2,4` measures other sizes (in MB).
    let sizes: Vec<usize> = match std::env::var("SCHEMADOC_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) => vec![2, 4, 8, 16, 50],
    };
    for mb in sizes {
        let doc = documents::generate(mb * TABLES_PER_MB);
        let path = dir.join(format!("{mb}mb.md"));
        std::fs::write(&path, &doc).expect("write document");
        let runs = if mb <= 8 { 3 } else { 1 };
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
                .args(["check", path.to_str().expect("utf-8 path"), "--format", "json"])
                .output()
                .expect("schemadoc runs");
            times.push(start.elapsed().as_secs_f64());
            assert!(matches!(out.status.code(), Some(0 | 1)), "check failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        times.sort_by(f64::total_cmp);
        let median = times[runs / 2];
        let size = doc.len() as f64 / (1024.0 * 1024.0);
        println!(
            "{size:.1} MB ({} tables): median {median:.2} s over {runs} runs, {:.3} s per MB",
            mb * TABLES_PER_MB,
            median / size
        );
        if std::env::var_os("SCHEMADOC_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_file(&path);
        }
    }
    if std::env::var_os("SCHEMADOC_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
