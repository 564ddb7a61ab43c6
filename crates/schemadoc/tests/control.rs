//! Control over findings, like ruff: `schemadoc.toml` or `[tool.schemadoc]` found walking up,
//! `--allow`/`--warn`/`--deny`, `<!-- schemadoc:allow rule -->` markers, `--format concise`; and
//! `plan`/`apply` refusing a document with errors unless `--allow-errors`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scratch folder, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("schemadoc-control-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Dir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> String {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("utf-8").to_string()
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.0.join("db.sqlite").display())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn rules_of(o: &Output) -> Vec<(String, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| (d["rule"].as_str().unwrap_or("").to_string(), d["severity"].as_str().unwrap_or("").to_string()))
        .collect()
}

/// A design with one misspelt type (an error) and an unindexed foreign key (a warning).
const FLAWED: &str = "# Shop\n\n```sql\nCREATE TABLE users (id BIGINT PRIMARY KEY, name VARCHR(100) NOT NULL);\n\
CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES users(id));\n```\n";

const FLAWED_KO: &str = "# 쇼핑몰 설계\n\n## users (회원)\n\n| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| id | BIGINT | PK | 회원 번호 |\n| name | VARCHR(100) | NOT NULL | 이름 |\n\n## orders (주문)\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n| id | BIGINT | PK | 주문 번호 |\n\
| user_id | BIGINT | FK(users.id), NOT NULL | 주문한 회원 |\n";

#[test]
fn a_misspelt_type_is_an_error_with_a_suggestion_in_english_and_korean() {
    let dir = Dir::new("typo");
    for (name, text) in [("en.md", FLAWED), ("ko.md", FLAWED_KO)] {
        let doc = dir.write(name, text);
        let out = schemadoc(&["check", &doc]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stdout(&out));
        let text = stdout(&out);
        assert!(text.contains("error[unknown-type]: column `users.name` has unknown type `VARCHR(100)`"), "{text}");
        assert!(text.contains("help: did you mean `VARCHAR(100)`?"), "{text}");
    }
}

/// `fixtures/types/`: designs that mix the type vocabularies of every notation and engine (Java,
/// TypeScript, Python, Mongo, Prisma; PostgreSQL with domains, composite types and extensions;
/// MySQL, SQL Server, SQLite), in English and Korean. Every type is valid where it is written, so
/// none is an unknown type and nothing is an error or a warning. (They are not `ok/` fixtures:
/// those also round-trip through every engine and export, which these exotic types cannot.)
#[test]
fn valid_types_of_every_vocabulary_are_never_unknown() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/types");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("types folder").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert!(files.len() >= 2);
    for path in files {
        let out = schemadoc(&["check", path.to_str().expect("utf-8"), "--format", "json"]);
        let bad: Vec<(String, String)> =
            rules_of(&out).into_iter().filter(|(_, severity)| severity != "info").collect();
        assert!(bad.is_empty(), "{path:?}: {bad:?}");
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn flags_allow_warn_and_deny_rules_and_severities() {
    let dir = Dir::new("flags");
    let doc = dir.write("d.md", FLAWED);
    let base = rules_of(&schemadoc(&["check", &doc, "--format", "json"]));
    assert!(base.contains(&("unknown-type".into(), "error".into())), "{base:?}");
    assert!(base.contains(&("foreign-key-without-index".into(), "warning".into())), "{base:?}");

    let out = schemadoc(&["check", &doc, "--format", "json", "--allow", "unknown-type"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!rules_of(&out).iter().any(|(r, _)| r == "unknown-type"));

    let out = schemadoc(&["check", &doc, "--format", "json", "--warn", "unknown-type"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(rules_of(&out).contains(&("unknown-type".into(), "warning".into())));

    let out = schemadoc(&["check", &doc, "--allow", "unknown-type", "--deny", "warning"]);
    assert_eq!(out.status.code(), Some(1), "--deny warning keeps failing on warnings");
    let out = schemadoc(&[
        "check",
        &doc,
        "--format",
        "json",
        "--allow",
        "unknown-type",
        "--deny",
        "foreign-key-without-index",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(rules_of(&out).contains(&("foreign-key-without-index".into(), "error".into())));
    let out = schemadoc(&["check", &doc, "--allow", "unknown-type", "--allow", "warning"]);
    assert_eq!(out.status.code(), Some(0));

    let out = schemadoc(&["check", &doc, "--allow", "unknwon-type"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown rule `unknwon-type`; did you mean `unknown-type`?"), "{}", stderr(&out));
}

#[test]
fn the_nearest_config_walking_up_sets_the_policy() {
    let dir = Dir::new("config");
    let doc = dir.write("docs/design/d.md", FLAWED);
    dir.write("schemadoc.toml", "allow = [\"unknown-type\"]\ndeny = [\"warning\"]\n");
    let out = schemadoc(&["check", &doc, "--format", "json"]);
    assert!(!rules_of(&out).iter().any(|(r, _)| r == "unknown-type"));
    assert_eq!(out.status.code(), Some(1), "the config denies warnings");
    // a pyproject.toml nearer the document wins; flags win over the file
    dir.write("docs/pyproject.toml", "[tool.schemadoc]\nallow = [\"unknown-type\", \"foreign-key-without-index\"]\n");
    assert_eq!(schemadoc(&["check", &doc]).status.code(), Some(0));
    assert_eq!(schemadoc(&["check", &doc, "--deny", "unknown-type"]).status.code(), Some(1));
    assert_eq!(schemadoc(&["check", &doc, "--no-config"]).status.code(), Some(1));
    // ignored tables: their findings are not reported
    dir.write("docs/pyproject.toml", "[tool.schemadoc]\nignore-tables = [\"user?\", \"ord*\"]\n");
    let out = schemadoc(&["check", &doc, "--format", "json"]);
    assert_eq!(rules_of(&out), Vec::<(String, String)>::new());
    // an unknown key or rule is an error naming the file
    dir.write("docs/pyproject.toml", "[tool.schemadoc]\nalow = [\"info\"]\n");
    let out = schemadoc(&["check", &doc]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown key `alow`; did you mean `allow`?"), "{}", stderr(&out));
    dir.write("docs/pyproject.toml", "[tool.schemadoc]\ndeny = [\"missing-primary-kye\"]\n");
    let out = schemadoc(&["check", &doc]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `missing-primary-key`?"), "{}", stderr(&out));
}

#[test]
fn the_config_dialect_judges_types_for_documents_that_do_not_say() {
    let dir = Dir::new("dialect");
    let doc = dir.write("d.md", "```sql\nCREATE TABLE t (id BIGINT PRIMARY KEY, kind address_kind);\n```\n");
    assert_eq!(schemadoc(&["check", &doc]).status.code(), Some(0), "no dialect: an unknown name is not judged");
    dir.write("schemadoc.toml", "dialect = \"postgres\"\n");
    let out = schemadoc(&["check", &doc, "--format", "json"]);
    assert!(rules_of(&out).contains(&("unknown-type".into(), "warning".into())), "{}", stdout(&out));
}

#[test]
fn allow_markers_cover_one_block_or_one_line() {
    let dir = Dir::new("markers");
    let text = "# 설계\n\n<!-- schemadoc:allow unknown-type -->\n```sql\nCREATE TABLE a (id BIGINT PRIMARY KEY, x VARCHR(1));\n```\n\n\
```sql\nCREATE TABLE b (id BIGINT PRIMARY KEY, y VARCHR(1));\nCREATE TABLE d (\n  id BIGINT PRIMARY KEY,\n  w VARCHR(1) -- schemadoc:allow unknown-type\n);\n```\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n| id | BIGINT | PK | 번호 |\n\
| z | VARCHR(1) | | 메모 <!-- schemadoc:allow unknown-type --> |\n\n<!-- schemadoc:allow no-such-rule -->\n";
    let doc = dir.write("d.md", &text.replace("| 필드명", "## c\n\n| 필드명"));
    let out = schemadoc(&["check", &doc, "--format", "concise"]);
    let text = stdout(&out);
    let typos: Vec<&str> = text.lines().filter(|l| l.contains("[unknown-type]")).collect();
    assert_eq!(typos.len(), 1, "{text}");
    assert!(typos[0].contains("`b.y`"), "{text}");
    assert!(text.contains("warning[unknown-marker]: `schemadoc:allow` names unknown rule `no-such-rule`"), "{text}");
}

#[test]
fn concise_output_is_one_line_per_finding_with_counts() {
    let dir = Dir::new("concise");
    let doc = dir.write("d.md", FLAWED);
    let out = schemadoc(&["check", &doc, "--format", "concise"]);
    let text = stdout(&out);
    let first = text.lines().next().expect("a line");
    assert!(first.ends_with(": error[unknown-type]: column `users.name` has unknown type `VARCHR(100)`"), "{text}");
    assert!(first.starts_with(&format!("{doc}:4:")), "{text}");
    assert!(text.contains("\n1  unknown-type (error)\n"), "{text}");
    assert!(text.ends_with("1 error(s), 1 warning(s), 0 info\n"), "{text}");
}

#[test]
fn plan_and_apply_refuse_errors_unless_allowed_and_list_what_is_left_out() {
    let dir = Dir::new("gate");
    let doc = dir.write("d.md", FLAWED_KO);
    let url = dir.url();
    for command in ["plan", "apply"] {
        let out = schemadoc(&[command, &doc, "--db", &url]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("error: the document has 1 error; nothing was planned"), "{err}");
        assert!(err.contains("[unknown-type] column `users.name` has unknown type `VARCHR(100)`"), "{err}");
        assert!(err.contains("--allow-errors"), "{err}");
    }
    assert!(!Path::new(&dir.0.join("db.sqlite")).exists(), "a refused apply touches no database");
    let out = schemadoc(&["plan", &doc, "--db", &url, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    assert!(
        plan.contains("-- document error, left out column `users.name`: column `users.name` has unknown type `VARCHR(100)` [unknown-type]"),
        "{plan}"
    );
    let out = schemadoc(&["plan", &doc, "--db", &url, "--allow-errors", "--format", "json"]);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["left_out"][0]["element"], "column `users.name`");
    let out = schemadoc(&["apply", &doc, "--db", &url, "--allow-errors"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // the config can allow the rule instead
    dir.write("schemadoc.toml", "allow = [\"unknown-type\"]\n");
    let out = schemadoc(&["plan", &doc, "--db", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_section_that_matches_nothing_is_an_error_naming_the_headings() {
    let dir = Dir::new("sections");
    let doc = dir.write("d.md", FLAWED_KO);
    for flag in ["--section", "--exclude-section"] {
        let out = schemadoc(&["show", &doc, flag, "배송"]);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        let err = stderr(&out);
        assert!(err.contains(&format!("{flag} `배송` matches no heading")), "{err}");
        assert!(err.contains("`쇼핑몰 설계`, `users (회원)`, `orders (주문)`"), "{err}");
        assert!(stdout(&out).is_empty());
    }
    assert_eq!(schemadoc(&["show", &doc, "--section", "ORDERS"]).status.code(), Some(0));
}

#[test]
fn a_type_the_target_engine_lacks_is_said_once_per_column() {
    let dir = Dir::new("foreign");
    let doc = dir
        .write("d.md", "```mysql\nCREATE TABLE items (id INT PRIMARY KEY, body MEDIUMTEXT, created DATETIME);\n```\n");
    let out = schemadoc(&["show", &doc, "--format", "sql", "--dialect", "postgres"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.contains("warning: column items.body: PostgreSQL has no type `MEDIUMTEXT`: it becomes `text`"),
        "{err}"
    );
    assert!(err.contains("warning: column items.created: PostgreSQL has no type `DATETIME`: it becomes `timestamp`"));
    assert_eq!(err.matches("items.created").count(), 1, "{err}");
    let out = schemadoc(&["show", &doc, "--format", "sql", "--dialect", "mysql"]);
    assert!(!stderr(&out).contains("has no type"), "{}", stderr(&out));
}
