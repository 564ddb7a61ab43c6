//! The command line: exit codes, output formats, selection, and failures of the tool itself.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A scratch file holding `text`, removed when dropped.
struct Doc(PathBuf);

impl Doc {
    fn new(name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("schemadoc-cli-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(format!("{name}.md"));
        std::fs::write(&path, text).expect("write doc");
        Doc(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 path")
    }
}

impl Drop for Doc {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const CLEAN: &str =
    "# Clean\n\n```sql\nCREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE\n);\n```\n";

const BROKEN: &str = "# 스키마\n\n```sql\nCREATE TABLE posts (\n  id INTEGER PRIMARY KEY,\n  author_id INTEGER NOT NULL REFERENCES authors(id)\n);\n```\n";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn clean_document_exits_zero() {
    let doc = Doc::new("clean", CLEAN);
    let out = schemadoc(&["check", doc.path()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn errors_exit_one_with_rustc_style_location() {
    let doc = Doc::new("broken", BROKEN);
    let out = schemadoc(&["check", doc.path(), "--color", "never"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("error[unknown-table]"), "{text}");
    assert!(text.contains(&format!("{}:6:", doc.path())), "{text}");
    assert!(text.contains("authors"), "{text}");
}

#[test]
fn json_findings_have_the_documented_shape() {
    let doc = Doc::new("json", BROKEN);
    let out = schemadoc(&["check", doc.path(), "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let d = &v["diagnostics"][0];
    for key in ["rule", "severity", "message", "file", "line", "column", "related"] {
        assert!(d.get(key).is_some(), "missing {key}: {d:#}");
    }
}

#[test]
fn sarif_output_names_rules_and_locations() {
    let doc = Doc::new("sarif", BROKEN);
    let out = schemadoc(&["check", doc.path(), "--format", "sarif"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("sarif is json");
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().expect("results");
    let result = results.iter().find(|r| r["ruleId"] == "unknown-table").expect("an unknown-table result");
    assert_eq!(result["locations"][0]["physicalLocation"]["region"]["startLine"], 6);
}

#[test]
fn deny_warning_turns_warnings_into_failure() {
    let doc = Doc::new(
        "warn",
        "```sql\nCREATE TABLE a (id INT PRIMARY KEY);\nCREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a(id));\n```\n",
    );
    assert_eq!(schemadoc(&["check", doc.path()]).status.code(), Some(0));
    assert_eq!(schemadoc(&["check", doc.path(), "--deny", "warning"]).status.code(), Some(1));
}

#[test]
fn missing_file_is_a_tool_failure() {
    let out = schemadoc(&["check", "/nonexistent/schema.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `/nonexistent/schema.md`"));
}

#[test]
fn unknown_dialect_is_a_tool_failure() {
    let doc = Doc::new("dialect", CLEAN);
    let out = schemadoc(&["show", doc.path(), "--format", "sql", "--dialect", "oracle"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown dialect `oracle`"));
}

#[test]
fn sections_select_what_counts() {
    let doc = Doc::new(
        "sections",
        "# v1 (old)\n\n```sql\nCREATE TABLE t (a INT PRIMARY KEY);\n```\n\n# v2\n\n```sql\nCREATE TABLE u (b INT PRIMARY KEY);\n```\n",
    );
    let out = schemadoc(&["show", doc.path(), "--exclude-section", "old"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let names: Vec<&str> = v["tables"].as_array().expect("tables").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["u"]);
    let out = schemadoc(&["show", doc.path(), "--section", "v1"]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let names: Vec<&str> = v["tables"].as_array().expect("tables").iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["t"]);
}

#[test]
fn ignore_marker_skips_the_next_block() {
    let doc = Doc::new(
        "ignore",
        "<!-- schemadoc:ignore -->\n```sql\nCREATE TABLE old_users (id INT PRIMARY KEY);\n```\n\n```sql\nCREATE TABLE users (id INT PRIMARY KEY);\n```\n",
    );
    let out = schemadoc(&["show", doc.path()]);
    let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["tables"].as_array().expect("tables").len(), 1);
    assert_eq!(v["tables"][0]["name"], "users");
}

#[test]
fn show_sql_orders_tables_by_dependency() {
    let doc = Doc::new(
        "order",
        "```sql\nCREATE TABLE posts (id INT PRIMARY KEY, author_id INT REFERENCES authors(id));\nCREATE TABLE authors (id INT PRIMARY KEY);\n```\n",
    );
    for dialect in ["postgres", "sqlite", "mysql"] {
        let out = schemadoc(&["show", doc.path(), "--format", "sql", "--dialect", dialect]);
        assert_eq!(out.status.code(), Some(0));
        let sql = stdout(&out);
        let authors = sql.find("CREATE TABLE \"authors\"").or_else(|| sql.find("CREATE TABLE `authors`"));
        let posts = sql.find("CREATE TABLE \"posts\"").or_else(|| sql.find("CREATE TABLE `posts`"));
        assert!(authors.is_some() && authors < posts, "{dialect}: {sql}");
    }
}

#[test]
fn show_mermaid_draws_relationships() {
    let doc = Doc::new(
        "mermaid",
        "```sql\nCREATE TABLE authors (id INT PRIMARY KEY);\nCREATE TABLE posts (id INT PRIMARY KEY, author_id INT NOT NULL REFERENCES authors(id));\n```\n",
    );
    let out = schemadoc(&["show", doc.path(), "--format", "mermaid"]);
    let text = stdout(&out);
    assert!(text.starts_with("erDiagram"), "{text}");
    assert!(text.contains("authors") && text.contains("posts"), "{text}");
    assert!(text.lines().any(|l| l.contains("authors") && l.contains("posts") && l.contains(':')), "{text}");
}

#[test]
fn every_rule_name_is_declared_once() {
    let listing = stdout(&schemadoc(&["rules"]));
    let mut names: Vec<&str> = listing.lines().filter_map(|l| l.split_whitespace().next()).collect();
    let total = names.len();
    names.dedup();
    assert_eq!(names.len(), total, "a rule name is declared twice:\n{listing}");
}

#[test]
fn rules_are_listed_and_explained() {
    let out = schemadoc(&["rules"]);
    let text = stdout(&out);
    for rule in ["foreign-key-without-index", "conflicting-definition", "unknown-marker", "unknown-table"] {
        assert!(text.contains(rule), "{rule} missing from:\n{text}");
    }
    let out = schemadoc(&["rules", "foreign-key-without-index"]);
    let text = stdout(&out);
    assert!(text.contains("Why it matters"), "{text}");
    assert_eq!(schemadoc(&["rules", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn shipped_examples_check_without_errors() {
    for example in ["shop.md", "community-ko.md"] {
        let path = examples().join(example);
        let out = schemadoc(&["check", path.to_str().expect("utf-8 path"), "--format", "json"]);
        let v: Value = serde_json::from_str(&stdout(&out)).expect("json");
        let errors: Vec<&Value> =
            v["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["severity"] == "error").collect();
        assert!(errors.is_empty(), "{example}: {errors:#?}");
        assert_eq!(out.status.code(), Some(0), "{example}");
    }
}

#[test]
fn output_is_deterministic() {
    let path = examples().join("shop.md");
    let p = path.to_str().expect("utf-8 path");
    let a = stdout(&schemadoc(&["check", p, "--format", "json"]));
    let b = stdout(&schemadoc(&["check", p, "--format", "json"]));
    assert_eq!(a, b);
    let a = stdout(&schemadoc(&["show", p, "--format", "sql", "--dialect", "postgres"]));
    let b = stdout(&schemadoc(&["show", p, "--format", "sql", "--dialect", "postgres"]));
    assert_eq!(a, b);
}

#[test]
fn show_dialect_names_the_output_not_the_document() {
    let doc = Doc::new(
        "autoinc",
        "```sqlite\nCREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);\n```\n",
    );
    let out = schemadoc(&["show", doc.path(), "--format", "sql", "--dialect", "postgres"]);
    let sql = stdout(&out);
    assert!(sql.contains("IDENTITY") || sql.contains("serial"), "the SQLite AUTOINCREMENT key stays generated: {sql}");
}

#[cfg(unix)]
#[test]
fn a_folder_with_a_symlink_loop_is_read_once_and_finishes() {
    let doc = Doc::new("symlink-loop", "# 회원\n\n```sql\nCREATE TABLE members (id BIGINT PRIMARY KEY);\n```\n");
    let dir = Path::new(doc.path()).parent().expect("scratch folder").to_path_buf();
    let nested = dir.join("notes");
    std::fs::create_dir_all(&nested).expect("nested folder");
    // Two links back up: a naive walk would visit 2ⁿ paths before the path grew too long.
    std::os::unix::fs::symlink(&dir, nested.join("up")).expect("symlink");
    std::os::unix::fs::symlink(&dir, nested.join("again")).expect("symlink");
    let out = schemadoc(&["show", dir.to_str().expect("utf-8 path"), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let schema: Value = serde_json::from_slice(&out.stdout).expect("json");
    let tables = schema["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 1, "the document is read once: {tables:?}");
}
