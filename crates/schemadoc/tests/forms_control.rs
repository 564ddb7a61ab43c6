//! The shared forms about type vocabularies and hints (`../shared/forms/README.md`, "Headings, keys
//! and types" and "Precision"): each file must read as its README line says, through the binary.

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
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)))
}

fn show(path: &std::path::Path) -> Value {
    run(&["show", path.to_str().expect("utf-8"), "--format", "json"])
}

fn diagnostics(path: &std::path::Path) -> Vec<Value> {
    run(&["check", path.to_str().expect("utf-8"), "--format", "json"])["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .clone()
}

fn table<'a>(schema: &'a Value, name: &str) -> &'a Value {
    schema["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|t| t["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
        .unwrap_or_else(|| panic!("no table {name} in {schema:#}"))
}

/// (name, portable type, spelling as written) of every column.
fn columns(t: &Value) -> Vec<(String, String, String)> {
    t["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (s(&c["name"]), s(&c["type"]), s(&c["spelling"]))
        })
        .collect()
}

fn errors_and_warnings(d: &[Value]) -> Vec<&Value> {
    d.iter().filter(|d| d["severity"] == "error" || d["severity"] == "warning").collect()
}

#[test]
fn c2b_java_types_and_underscore_spellings_in_an_erd() {
    let Some(path) = form("c2b_mermaid_java_and_underscore_types.md") else { return };
    let s = show(&path);
    let t = table(&s, "ticket");
    let cols: Vec<(String, String)> = columns(t).into_iter().map(|(n, ty, _)| (n, ty)).collect();
    let want = [("id", "bigint"), ("price", "decimal"), ("issued_at", "timestamp"), ("holder_name", "varchar(120)")];
    assert_eq!(cols, want.map(|(a, b)| (a.to_string(), b.to_string())));
    assert_eq!(t["primary_key"], serde_json::json!(["id"]));
    assert!(errors_and_warnings(&diagnostics(&path)).is_empty());
}

#[test]
fn c2c_spatial_and_mongo_types_keep_their_columns() {
    let Some(path) = form("c2c_point_mongo.md") else { return };
    let s = show(&path);
    let spots = columns(table(&s, "parking_spots"));
    assert_eq!(spots.len(), 2, "{spots:?}");
    assert_eq!((spots[1].0.as_str(), spots[1].2.as_str()), ("position", "POINT"));
    let position = &table(&s, "parking_spots")["columns"][1];
    assert_eq!(position["nullable"], false);
    let drivers = columns(table(&s, "drivers"));
    let names: Vec<&str> = drivers.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["_id", "plate", "badges"]);
    assert_eq!(drivers[0].2, "ObjectId");
    assert_eq!(drivers[2].2, "Array");
    // A collection is keyed by `_id`.
    assert_eq!(table(&s, "drivers")["primary_key"], serde_json::json!(["_id"]));
    let d = diagnostics(&path);
    assert!(d.iter().all(|d| d["rule"] != "field-table-unreadable-row" && d["rule"] != "field-table-unrecognized"));
    assert!(errors_and_warnings(&d).is_empty(), "{d:#?}");
}

#[test]
fn c2d_python_enum_class_types_its_column() {
    let Some(path) = form("c2d_sqlalchemy_enum_class.md") else { return };
    let s = show(&path);
    let cols = columns(table(&s, "voyages"));
    let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["id", "mood", "crew_size"]);
    assert_eq!(cols[1].1, "enum mood");
    let e = s["enums"].as_array().expect("enums").iter().find(|e| e["name"] == "mood").expect("enum mood");
    assert_eq!(e["values"], serde_json::json!(["CALM", "STORMY"]));
    assert!(errors_and_warnings(&diagnostics(&path)).is_empty());
}

#[test]
fn p4_a_target_guessed_from_a_column_name_is_at_most_a_hint() {
    let Some(path) = form("p4_inferred_fk_error.md") else { return };
    let d = diagnostics(&path);
    assert!(d.iter().all(|d| d["severity"] == "info"), "{d:#?}");
    assert!(d.iter().all(|d| d["rule"] != "unknown-table"));
    let hint = d.iter().find(|d| d["rule"] == "inferred-reference-unresolved").expect("the guess is noted");
    assert_eq!(hint["line"], 13);
    let s = show(&path);
    assert_eq!(table(&s, "route_stops")["foreign_keys"], serde_json::json!([]), "no FK to a table nobody defined");
}
