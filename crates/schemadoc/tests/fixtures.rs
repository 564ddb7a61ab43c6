//! Fixture folders: every document in `fixtures/ok/` must check without errors or warnings, and every
//! document `fixtures/err/<rule>.md` must report at least one finding of `<rule>`. Every rule
//! schemadoc knows has an `err/` fixture.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn diagnostics(path: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(["check", path.to_str().expect("utf-8 path"), "--format", "json"])
        .output()
        .expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{path:?}: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["diagnostics"].as_array().expect("diagnostics").clone()
}

#[test]
fn ok_fixtures_have_no_errors_or_warnings() {
    let files = fixtures("ok");
    assert!(files.len() >= 8);
    for path in files {
        let bad: Vec<Value> =
            diagnostics(&path).into_iter().filter(|d| d["severity"] == "error" || d["severity"] == "warning").collect();
        assert!(bad.is_empty(), "{path:?}:\n{bad:#?}");
    }
}

#[test]
fn err_fixtures_report_their_rule() {
    for path in fixtures("err") {
        let rule =
            path.file_stem().and_then(|s| s.to_str()).expect("name").split('.').next().expect("rule").to_string();
        let found = diagnostics(&path);
        assert!(found.iter().any(|d| d["rule"] == rule.as_str()), "{path:?} must report `{rule}`:\n{found:#?}");
    }
}

#[test]
fn every_rule_has_an_err_fixture() {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).arg("rules").output().expect("schemadoc runs");
    let listing = String::from_utf8_lossy(&out.stdout);
    let covered: Vec<String> = fixtures("err")
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(|s| s.split('.').next().unwrap_or(s).to_string()))
        .collect();
    let missing: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|rule| !covered.iter().any(|c| c == rule))
        .collect();
    assert!(missing.is_empty(), "rules without an err/ fixture: {missing:?}");
}
