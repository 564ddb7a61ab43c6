//! The DBML forms of the shared corpus (`../shared/forms/g3*.md`) read as its README says: tables
//! with their keys, nullability, uniques, defaults, the reference as a foreign key, and the enum.
//! Runs whenever the folder exists; mandatory when `SCHEMADOC_SHARED_DIR` names it.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn form(name: &str) -> Option<PathBuf> {
    let path = dialect::testing::shared_dir("forms")?.join(name);
    assert!(path.is_file(), "form {name} is missing");
    Some(path)
}

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn show(path: &std::path::Path) -> Value {
    run(&["show", path.to_str().expect("utf-8 path"), "--format", "json"])
}

fn errors(path: &std::path::Path) -> Vec<Value> {
    let check = run(&["check", path.to_str().expect("utf-8 path"), "--format", "json"]);
    check["diagnostics"].as_array().expect("diagnostics").iter().filter(|d| d["severity"] == "error").cloned().collect()
}

fn table<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["name"] == name)
        .unwrap_or_else(|| panic!("no table {name} in {schema:#}"))
}

fn column<'a>(table: &'a Value, name: &str) -> &'a Value {
    table["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name} in {table:#}"))
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("string")).collect()
}

#[test]
fn g3_unlabelled_dbml_gives_singer_rehearsal_and_voice() {
    let Some(path) = form("g3_dbml.md") else { return };
    let schema = show(&path);
    assert_eq!(schema["tables"].as_array().expect("tables").len(), 2, "{schema:#}");

    let singer = table(&schema, "singer");
    assert_eq!(names(&singer["primary_key"]), ["id"]);
    assert_eq!(column(singer, "id")["identity"], "serial", "`increment` is an identity");
    assert_eq!(column(singer, "voice_part")["nullable"], false);
    assert_eq!(column(singer, "voice_part")["type"], "varchar(12)");
    assert_eq!(column(singer, "email")["nullable"], true);
    let uniques = singer["uniques"].as_array().expect("uniques");
    assert!(uniques.iter().any(|u| names(&u["columns"]) == ["email"]), "{uniques:#?}");

    let rehearsal = table(&schema, "rehearsal");
    assert_eq!(names(&rehearsal["primary_key"]), ["id"]);
    assert_eq!(column(rehearsal, "id")["identity"], "serial");
    assert_eq!(column(rehearsal, "held_on")["nullable"], false);
    let fks = rehearsal["foreign_keys"].as_array().expect("foreign keys");
    assert_eq!(fks.len(), 1, "{fks:#?}");
    assert_eq!(names(&fks[0]["columns"]), ["leader_id"]);
    assert_eq!(fks[0]["ref_table"], "singer");
    assert_eq!(names(&fks[0]["ref_columns"]), ["id"]);

    let enums = schema["enums"].as_array().expect("enums");
    let voice = enums.iter().find(|e| e["name"] == "voice").unwrap_or_else(|| panic!("no enum voice: {enums:#?}"));
    assert_eq!(names(&voice["values"]), ["soprano", "bass"]);
    assert!(errors(&path).is_empty(), "{:#?}", errors(&path));
}

#[test]
fn g3b_labelled_dbml_gives_kiln() {
    let Some(path) = form("g3b_dbml_labelled.md") else { return };
    let schema = show(&path);
    assert_eq!(schema["tables"].as_array().expect("tables").len(), 1, "{schema:#}");
    let kiln = table(&schema, "kiln");
    assert_eq!(names(&kiln["primary_key"]), ["id"]);
    assert_eq!(column(kiln, "id")["nullable"], false);
    let max = column(kiln, "max_temp_c");
    assert_eq!(
        (&max["type"], &max["nullable"], &max["default"]),
        (&Value::from("integer"), &Value::from(false), &Value::from("1280"))
    );
    assert!(errors(&path).is_empty(), "{:#?}", errors(&path));
}
