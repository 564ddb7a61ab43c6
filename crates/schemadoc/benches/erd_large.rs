//! Benchmark: ERD pictures of a generated design of 2,000 tables in 20 sections, through Graphviz
//! `dot`: the whole design in one SVG (grouped by section automatically, a box per section), the
//! overview of the sections, one section, and the readable set a large design is drawn as — the
//! overview plus one picture per section (21 runs of `schemadoc show`, timed together). Target:
//! each under 10 s on a 2-core machine. Run with `cargo bench -p schemadoc --bench erd_large`;
//! figures are in BENCHMARKS.md.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

const TABLES: usize = 2_000;
const SECTIONS: usize = 20;
const RUNS: usize = 3;

fn main() {
    if Command::new("dot").arg("-V").output().is_err() {
        eprintln!("Graphviz `dot` is not installed; nothing to measure");
        return;
    }
    let dir = std::env::temp_dir().join(format!("schemadoc-erd-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("large.md");
    std::fs::write(&path, generate()).expect("write document");
    let doc = path.to_str().expect("utf-8 path");
    let sections: Vec<String> = (0..SECTIONS).map(|s| format!("모듈 {s}")).collect();
    let mut per_group: Vec<Vec<&str>> = vec![vec!["show", doc, "--format", "svg", "--overview"]];
    per_group.extend(sections.iter().map(|g| vec!["show", doc, "--format", "svg", "--group", g.as_str()]));
    for (what, runs) in [
        ("whole design in one picture, grouped by section", vec![vec!["show", doc, "--format", "svg"]]),
        ("overview of the sections", vec![vec!["show", doc, "--format", "svg", "--overview"]]),
        ("one section", vec![vec!["show", doc, "--format", "svg", "--group", "모듈 7"]]),
        ("overview + one picture per section (21 pictures)", per_group.clone()),
    ] {
        let mut times: Vec<Duration> = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            bytes = 0;
            for args in &runs {
                let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
                assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
                bytes += out.stdout.len();
            }
            times.push(start.elapsed());
        }
        times.sort();
        println!(
            "{what}: median {:.2} s (min {:.2} s, max {:.2} s over {RUNS} runs), SVG {} KiB",
            times[RUNS / 2].as_secs_f64(),
            times[0].as_secs_f64(),
            times[RUNS - 1].as_secs_f64(),
            bytes / 1024
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// 2,000 tables of 5–8 columns in 20 sections, each referencing a table of its own section (and
/// one in ten another section's), in SQL with Korean section headings.
fn generate() -> String {
    let mut out = String::from("# 대규모 설계\n");
    let per = TABLES / SECTIONS;
    let mut seed: u64 = 42;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n.max(1)
    };
    for s in 0..SECTIONS {
        let _ = write!(out, "\n## 모듈 {s}\n\n```sql\n");
        for i in s * per..(s + 1) * per {
            let _ = write!(out, "CREATE TABLE t{i} (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(100) NOT NULL,\n  created_at TIMESTAMP NOT NULL");
            for c in 0..next(4) {
                let _ = write!(out, ",\n  attr_{c} TEXT");
            }
            if i > s * per {
                let parent = if next(10) == 0 && i > per { next(i) } else { s * per + next(i - s * per) };
                let _ = write!(out, ",\n  t{parent}_id BIGINT REFERENCES t{parent}(id)");
            }
            out.push_str("\n);\n");
        }
        out.push_str("```\n");
    }
    out
}
