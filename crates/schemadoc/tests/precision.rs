//! The precision suite: realistic documents in `tests/precision/` that are *correct* designs,
//! written the ways teams write them (keys in descriptions and key columns, bullets under labels,
//! constraint catalogs, T-SQL, fragments, prose, Korean and English, several notations that
//! agree). `check` must report no error and no warning on any of them (information is allowed).
//!
//! So that a document cannot pass by being read as nothing, each one states what it defines in an
//! HTML comment that this test checks against `show --format json`:
//!
//! ```text
//! <!-- expect: tables=a,b; pk=a.id, b.x+y; fk=b.a_id->a.id; unique=a.email; index=b.a_id -->
//! ```
//!
//! `tables` is the exact set of tables (schema-qualified outside the default schema); the other
//! facts must each be present. Columns of one key are joined by `+`; an `fk` target without a
//! column (`b.a_id->a`) means the referenced table's primary key. A `unique` fact is met by a
//! unique constraint or a unique index, an `index` fact by any index or key whose columns start
//! with the ones named (a unique key or primary key serves lookups too).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn documents() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/precision");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("precision folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The facts a document's `<!-- expect: … -->` comment states.
#[derive(Debug, Default)]
struct Expect {
    tables: Vec<String>,
    /// (table, columns)
    pks: Vec<(String, Vec<String>)>,
    /// (table, columns, referenced table, referenced columns — empty for its primary key)
    fks: Vec<(String, Vec<String>, String, Vec<String>)>,
    uniques: Vec<(String, Vec<String>)>,
    indexes: Vec<(String, Vec<String>)>,
}

/// `orchard.plots.id+x` → (`orchard.plots`, [`id`, `x`]): the table is everything before the
/// last dot.
fn column_ref(s: &str) -> (String, Vec<String>) {
    let s = s.trim();
    let (table, cols) = s.rsplit_once('.').unwrap_or_else(|| panic!("`{s}` is not table.column"));
    (table.to_string(), cols.split('+').map(|c| c.trim().to_string()).collect())
}

fn parse_expect(text: &str, path: &Path) -> Expect {
    let start = text.find("<!-- expect:").unwrap_or_else(|| panic!("{path:?} has no `<!-- expect: … -->` comment"));
    let body = &text[start + "<!-- expect:".len()..];
    let body = &body[..body.find("-->").expect("the expect comment is closed")];
    let mut e = Expect::default();
    for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = part.split_once('=').unwrap_or_else(|| panic!("{path:?}: `{part}` is not key=value"));
        let items = value.split(',').map(str::trim).filter(|v| !v.is_empty());
        match key.trim() {
            "tables" => e.tables = items.map(String::from).collect(),
            "pk" => e.pks = items.map(column_ref).collect(),
            "unique" => e.uniques = items.map(column_ref).collect(),
            "index" => e.indexes = items.map(column_ref).collect(),
            "fk" => {
                for item in items {
                    let (from, to) = item.split_once("->").unwrap_or_else(|| panic!("{path:?}: fk `{item}`"));
                    let (table, columns) = column_ref(from);
                    let (ref_table, ref_columns) = match to.trim().rsplit_once('.') {
                        Some(_) if e.tables.iter().any(|t| t == to.trim()) => (to.trim().to_string(), vec![]),
                        Some(_) => column_ref(to),
                        None => (to.trim().to_string(), vec![]),
                    };
                    e.fks.push((table, columns, ref_table, ref_columns));
                }
            }
            other => panic!("{path:?}: unknown expectation `{other}`"),
        }
    }
    assert!(!e.tables.is_empty(), "{path:?}: the expectation names no tables");
    e
}

fn qualified(t: &Value) -> String {
    match t["namespace"].as_str() {
        Some(ns) => format!("{ns}.{}", t["name"].as_str().unwrap_or_default()),
        None => t["name"].as_str().unwrap_or_default().to_string(),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn same_list(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
}

fn starts_with(a: &[String], prefix: &[String]) -> bool {
    a.len() >= prefix.len() && a.iter().zip(prefix).all(|(x, y)| same(x, y))
}

/// The facts of `schema` that `e` does not find, one line each.
fn missing_facts(e: &Expect, schema: &Value) -> Vec<String> {
    let tables: Vec<&Value> = schema["tables"].as_array().expect("tables").iter().collect();
    let table = |name: &str| tables.iter().copied().find(|t| same(&qualified(t), name));
    let mut missing = Vec::new();
    let mut names: Vec<String> = tables.iter().map(|t| qualified(t)).collect();
    names.sort();
    let mut want = e.tables.clone();
    want.sort();
    if !same_list(&names, &want) {
        missing.push(format!("tables: read {names:?}, expected {want:?}"));
    }
    for (t, cols) in &e.pks {
        let pk = table(t).map(|t| strings(&t["primary_key"])).unwrap_or_default();
        if !same_list(&pk, cols) {
            missing.push(format!("pk {t}({}) — read {pk:?}", cols.join(", ")));
        }
        // NOTE: every column of a primary key is NOT NULL, in every output.
        for c in cols {
            let nullable = table(t)
                .and_then(|t| t["columns"].as_array())
                .and_then(|cs| cs.iter().find(|x| same(x["name"].as_str().unwrap_or_default(), c)))
                .map(|x| x["nullable"] == true);
            if nullable == Some(true) {
                missing.push(format!("pk column {t}.{c} is nullable"));
            }
        }
    }
    for (t, cols, rt, rcols) in &e.fks {
        let found = table(t).and_then(|t| t["foreign_keys"].as_array()).is_some_and(|fks| {
            fks.iter().any(|f| {
                same_list(&strings(&f["columns"]), cols)
                    && same(f["ref_table"].as_str().unwrap_or_default(), rt)
                    && (rcols.is_empty() || same_list(&strings(&f["ref_columns"]), rcols))
            })
        });
        if !found {
            missing.push(format!("fk {t}({}) → {rt}({})", cols.join(", "), rcols.join(", ")));
        }
    }
    let keys = |t: &Value| -> Vec<(Vec<String>, bool)> {
        let mut keys: Vec<(Vec<String>, bool)> = Vec::new();
        keys.extend(t["uniques"].as_array().into_iter().flatten().map(|u| (strings(&u["columns"]), true)));
        keys.extend(
            t["indexes"].as_array().into_iter().flatten().map(|i| (strings(&i["columns"]), i["unique"] == true)),
        );
        keys
    };
    for (t, cols) in &e.uniques {
        if !table(t).is_some_and(|t| keys(t).iter().any(|(k, unique)| *unique && same_list(k, cols))) {
            missing.push(format!("unique {t}({})", cols.join(", ")));
        }
    }
    for (t, cols) in &e.indexes {
        let served = table(t).is_some_and(|t| {
            keys(t).iter().any(|(k, _)| starts_with(k, cols)) || starts_with(&strings(&t["primary_key"]), cols)
        });
        if !served {
            missing.push(format!("index {t}({})", cols.join(", ")));
        }
    }
    missing
}

#[test]
fn precision_documents_are_read_as_they_say_and_check_clean() {
    let docs = documents();
    assert!(docs.len() >= 30, "the precision suite holds at least 30 documents, found {}", docs.len());
    let mut failures = Vec::new();
    for path in &docs {
        let text = std::fs::read_to_string(path).expect("readable");
        let expect = parse_expect(&text, path);
        let p = path.to_str().expect("utf-8 path");
        let diagnostics =
            json(&["check", p, "--format", "json"])["diagnostics"].as_array().expect("diagnostics").clone();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        for d in diagnostics.iter().filter(|d| d["severity"] == "error" || d["severity"] == "warning") {
            failures.push(format!(
                "{name}:{}: {}[{}]: {}",
                d["line"],
                d["severity"].as_str().unwrap_or_default(),
                d["rule"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            ));
        }
        let schema = json(&["show", p, "--format", "json"]);
        for m in missing_facts(&expect, &schema) {
            failures.push(format!("{name}: not read: {m}"));
        }
    }
    assert!(failures.is_empty(), "{} problem(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_expectation_parser_reads_every_kind_of_fact() {
    let e = parse_expect(
        "<!-- expect: tables=a,orchard.b; pk=a.id, orchard.b.x+y; fk=orchard.b.a_id->a.id, orchard.b.x->a; unique=a.email; index=orchard.b.a_id+x -->",
        Path::new("inline"),
    );
    assert_eq!(e.tables, ["a", "orchard.b"]);
    assert_eq!(e.pks[1], ("orchard.b".into(), vec!["x".into(), "y".into()]));
    assert_eq!(e.fks[0], ("orchard.b".into(), vec!["a_id".into()], "a".into(), vec!["id".into()]));
    assert_eq!(e.fks[1], ("orchard.b".into(), vec!["x".into()], "a".into(), vec![]));
    assert_eq!(e.uniques, [("a".into(), vec!["email".into()])]);
    assert_eq!(e.indexes, [("orchard.b".into(), vec!["a_id".into(), "x".into()])]);
    // A schema that reads nothing meets none of it.
    let nothing = serde_json::json!({"tables": []});
    assert_eq!(missing_facts(&e, &nothing).len(), 1 + 2 + 2 + 1 + 1);
}
