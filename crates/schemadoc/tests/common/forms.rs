//! What the forms tests share: find a form of the shared corpus, run schemadoc on it, and ask the
//! JSON it prints about tables, keys and findings.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The form of `../shared/forms/` whose file name starts with `prefix`; `None` when the folder is not
/// there (and the run does not demand it).
pub fn form(prefix: &str) -> Option<PathBuf> {
    let dir = dialect::testing::shared_dir("forms")?;
    let found = std::fs::read_dir(&dir)
        .expect("forms folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)));
    Some(found.unwrap_or_else(|| panic!("form {prefix} is missing from {dir:?}")))
}

/// Runs schemadoc and parses what it prints; exit 0 and 1 are answers, others a failure.
pub fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

/// What `show` and `check` say of one form.
pub struct Read {
    pub schema: Value,
    pub diagnostics: Vec<Value>,
}

pub fn read(prefix: &str) -> Option<Read> {
    let path = form(prefix)?;
    let p = path.to_str().expect("utf-8 path");
    let schema = json(&["show", p, "--format", "json"]);
    let diagnostics = json(&["check", p, "--format", "json"])["diagnostics"].as_array().expect("diagnostics").clone();
    Some(Read { schema, diagnostics })
}

pub fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

impl Read {
    pub fn tables(&self) -> Vec<String> {
        self.schema["tables"].as_array().expect("tables").iter().map(|t| t["name"].as_str().unwrap().into()).collect()
    }

    pub fn table(&self, name: &str) -> &Value {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no table {name} in {:?}", self.tables()))
    }

    pub fn columns(&self, table: &str) -> Vec<String> {
        self.table(table)["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().into()).collect()
    }

    pub fn column(&self, table: &str, column: &str) -> &Value {
        self.table(table)["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == column)
            .unwrap_or_else(|| panic!("no column {table}.{column}"))
    }

    pub fn ty(&self, table: &str, column: &str) -> String {
        self.column(table, column)["type"].as_str().unwrap().to_string()
    }

    pub fn primary_key(&self, table: &str) -> Vec<String> {
        strs(&self.table(table)["primary_key"])
    }

    /// (columns, target table, target columns) of every foreign key.
    pub fn foreign_keys(&self, table: &str) -> Vec<(Vec<String>, String, Vec<String>)> {
        self.table(table)["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (strs(&f["columns"]), f["ref_table"].as_str().unwrap().to_string(), strs(&f["ref_columns"])))
            .collect()
    }

    /// (columns, unique) of every index and unique constraint.
    pub fn keys(&self, table: &str) -> Vec<(Vec<String>, bool)> {
        let t = self.table(table);
        let mut out: Vec<(Vec<String>, bool)> = t["indexes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (strs(&i["columns"]), i["unique"].as_bool().unwrap()))
            .collect();
        if let Some(u) = t["uniques"].as_array() {
            out.extend(u.iter().map(|u| (strs(&u["columns"]), true)));
        }
        out
    }

    /// The `inferred` flag of the foreign key on `columns` of `table`.
    pub fn inferred(&self, table: &str, column: &str) -> bool {
        self.table(table)["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| strs(&f["columns"]) == [column])
            .unwrap_or_else(|| panic!("no foreign key on {table}.{column}"))["inferred"]
            .as_bool()
            .unwrap()
    }

    pub fn rules(&self) -> Vec<String> {
        self.diagnostics.iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
    }

    /// Diagnostics that say something was not read.
    pub fn unread(&self) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d["rule"].as_str(), Some("schema-not-read" | "nothing-read" | "no-schema-found")))
            .collect()
    }

    pub fn errors(&self) -> Vec<&Value> {
        self.diagnostics.iter().filter(|d| d["severity"] == "error").collect()
    }
}

pub fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}
