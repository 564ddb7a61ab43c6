//! The drawn and written-out forms of the shared corpus: ASCII box ERDs (`g6`), Prisma outside a
//! fence (`g7`), relational notation (`g9`), Mermaid FK pairing (`c3`, `c3b`) and an ERD key the
//! SQL lacks (`m1`): each reads as the forms README says. Runs whenever the folder exists;
//! mandatory when `SCHEMADOC_SHARED_DIR` names it.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn form(prefix: &str) -> Option<PathBuf> {
    let dir = dialect::testing::shared_dir("forms")?;
    let found = std::fs::read_dir(&dir)
        .expect("forms folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)));
    Some(found.unwrap_or_else(|| panic!("form {prefix} is missing from {dir:?}")))
}

fn json(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

struct Read {
    schema: Value,
    diagnostics: Vec<Value>,
}

fn read(prefix: &str) -> Option<Read> {
    let path = form(prefix)?;
    let p = path.to_str().expect("utf-8 path");
    let schema = json(&["show", p, "--format", "json"]);
    let diagnostics = json(&["check", p, "--format", "json"])["diagnostics"].as_array().expect("diagnostics").clone();
    Some(Read { schema, diagnostics })
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
}

impl Read {
    fn tables(&self) -> Vec<String> {
        self.schema["tables"].as_array().expect("tables").iter().map(|t| t["name"].as_str().unwrap().into()).collect()
    }

    fn table(&self, name: &str) -> &Value {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no table {name} in {:?}", self.tables()))
    }

    fn columns(&self, table: &str) -> Vec<String> {
        self.table(table)["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().into()).collect()
    }

    fn column(&self, table: &str, column: &str) -> &Value {
        self.table(table)["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == column)
            .unwrap_or_else(|| panic!("no column {table}.{column}"))
    }

    fn ty(&self, table: &str, column: &str) -> String {
        self.column(table, column)["type"].as_str().unwrap().to_string()
    }

    fn primary_key(&self, table: &str) -> Vec<String> {
        strs(&self.table(table)["primary_key"])
    }

    /// (columns, target table, target columns) of every foreign key.
    fn foreign_keys(&self, table: &str) -> Vec<(Vec<String>, String, Vec<String>)> {
        self.table(table)["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (strs(&f["columns"]), f["ref_table"].as_str().unwrap().to_string(), strs(&f["ref_columns"])))
            .collect()
    }

    /// (columns, unique) of every index and unique constraint.
    fn keys(&self, table: &str) -> Vec<(Vec<String>, bool)> {
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
    fn inferred(&self, table: &str, column: &str) -> bool {
        self.table(table)["foreign_keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| strs(&f["columns"]) == [column])
            .unwrap_or_else(|| panic!("no foreign key on {table}.{column}"))["inferred"]
            .as_bool()
            .unwrap()
    }

    fn rules(&self) -> Vec<String> {
        self.diagnostics.iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
    }

    /// Diagnostics that say something was not read.
    fn unread(&self) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|d| matches!(d["rule"].as_str(), Some("schema-not-read" | "nothing-read" | "no-schema-found")))
            .collect()
    }

    fn errors(&self) -> Vec<&Value> {
        self.diagnostics.iter().filter(|d| d["severity"] == "error").collect()
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn g6_ascii_box_erd() {
    let Some(r) = read("g6_") else { return };
    assert_eq!(r.tables(), names(&["patrons", "checkouts"]));
    assert_eq!(r.columns("patrons"), names(&["id", "card_no", "joined_on"]));
    assert_eq!(r.primary_key("patrons"), names(&["id"]));
    assert_eq!(r.columns("checkouts"), names(&["id", "patron_id", "due_on"]));
    assert_eq!(r.primary_key("checkouts"), names(&["id"]));
    assert_eq!(r.foreign_keys("checkouts"), [(names(&["patron_id"]), "patrons".into(), names(&["id"]))]);
    for t in ["patrons", "checkouts"] {
        assert!(r.columns(t).iter().all(|c| r.ty(t, c).is_empty()), "{t} columns are untyped");
    }
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g7_prisma_outside_a_fence() {
    let Some(r) = read("g7_") else { return };
    assert_eq!(r.tables(), names(&["Hive", "Frame"]));
    assert_eq!(r.foreign_keys("Frame"), [(names(&["hiveId"]), "Hive".into(), names(&["id"]))]);
    assert_eq!(r.column("Frame", "hiveId")["origin"]["line"], 11);
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g9_relational_notation() {
    let Some(r) = read("g9_") else { return };
    assert_eq!(r.tables(), names(&["trees", "harvests"]));
    assert_eq!(r.columns("trees"), names(&["id", "row_no", "cultivar", "planted_on"]));
    assert_eq!(r.columns("harvests"), names(&["id", "tree_id", "picked_on", "kg"]));
    let fks: Vec<(Vec<String>, String)> = r.foreign_keys("harvests").into_iter().map(|(c, t, _)| (c, t)).collect();
    assert_eq!(fks, [(names(&["tree_id"]), "trees".into())]);
    assert!(r.inferred("harvests", "tree_id"), "a target guessed from a name is marked inferred");
    assert!(r.unread().is_empty(), "{:#?}", r.unread());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn c3_mermaid_fk_attributes_pair_with_lines_by_label() {
    let Some(r) = read("c3_") else { return };
    assert_eq!(
        r.foreign_keys("Recipe"),
        [
            (names(&["cookId"]), "Member".into(), names(&["id"])),
            (names(&["cuisineCode"]), "Cuisine".into(), names(&["code"]))
        ]
    );
    assert!(!r.rules().iter().any(|x| x.starts_with("mermaid-")), "{:?}", r.rules());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn c3b_mermaid_fk_attributes_pair_by_stem_and_elimination() {
    let Some(r) = read("c3b") else { return };
    assert_eq!(
        r.foreign_keys("notes"),
        [
            (names(&["room_id"]), "rooms".into(), names(&["id"])),
            (names(&["writer_id"]), "people".into(), names(&["id"]))
        ]
    );
    assert!(!r.rules().iter().any(|x| x.starts_with("mermaid-")), "{:?}", r.rules());
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn m1_an_erd_unique_the_sql_lacks_is_a_disagreement() {
    let Some(r) = read("m1_") else { return };
    assert_eq!(r.keys("badges"), [(names(&["issuer", "code"]), true)], "the ERD adds no UNIQUE");
    let found: Vec<&Value> = r.diagnostics.iter().filter(|d| d["rule"] == "conflicting-definition").collect();
    assert_eq!(found.len(), 1, "{:#?}", r.diagnostics);
    let message = found[0]["message"].as_str().unwrap();
    assert!(message.contains("unique key only in ERD"), "{message}");
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}
