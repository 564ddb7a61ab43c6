//! The forms of tables declared by name (`../shared/forms/g4*.md`, `g5`): catalogs in bullets, in
//! tables, in fenced lists grouped by schema, and ERD relationship lines alone, each read as the
//! forms README says. Runs whenever the folder exists; mandatory when `SCHEMADOC_SHARED_DIR` names it.

mod common;

use common::forms::*;
use std::process::Command;

impl Read {
    /// Qualified names (`schema.table`), in the order `show` gives them.
    fn qualified(&self) -> Vec<String> {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .map(|t| match t["namespace"].as_str() {
                Some(ns) => format!("{ns}.{}", t["name"].as_str().unwrap()),
                None => t["name"].as_str().unwrap().to_string(),
            })
            .collect()
    }

    fn declared_only(&self, table: &str) -> bool {
        let t = self.table(table);
        t["columns_stated"] == false && t["columns"].as_array().is_some_and(|c| c.is_empty())
    }

    fn not_stated_notes(&self) -> usize {
        self.diagnostics.iter().filter(|d| d["rule"] == "columns-not-stated").count()
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn g4a_catalog_bullets_declare_tables_without_columns() {
    let Some(r) = read("g4a_") else { return };
    assert_eq!(r.tables(), names(&["enclosures", "animals", "feeding_logs"]));
    assert!(r.tables().iter().all(|t| r.declared_only(t)));
    assert_eq!(r.not_stated_notes(), 1, "{:#?}", r.diagnostics);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g4b_two_column_catalog_table() {
    let Some(r) = read("g4b_") else { return };
    assert_eq!(r.tables(), names(&["kilns", "firings"]));
    assert!(r.declared_only("kilns") && r.declared_only("firings"));
    assert_eq!(r.table("kilns")["comment"], "가마 정보");
    assert_eq!(r.not_stated_notes(), 1);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g4c_catalog_rows_state_untyped_columns_and_keys() {
    let Some(r) = read("g4c_") else { return };
    assert_eq!(sorted(r.tables()), names(&["bakeries", "loaves"]));
    assert_eq!(r.columns("bakeries"), names(&["id", "name", "city"]));
    assert_eq!(r.primary_key("bakeries"), names(&["id"]));
    assert_eq!(r.columns("loaves"), names(&["id", "bakery_id", "flour_kg", "baked_on"]));
    assert_eq!(r.primary_key("loaves"), names(&["id"]));
    let fks: Vec<(Vec<String>, String)> = r.foreign_keys("loaves").into_iter().map(|(c, t, _)| (c, t)).collect();
    assert_eq!(fks, [(names(&["bakery_id"]), "bakeries".to_string())]);
    let checks: Vec<&str> =
        r.table("loaves")["checks"].as_array().unwrap().iter().map(|c| c["expr"].as_str().unwrap()).collect();
    assert_eq!(checks, ["flour_kg > 0"]);
    for t in ["bakeries", "loaves"] {
        assert_eq!(r.table(t)["columns_stated"], true);
        assert!(r.columns(t).iter().all(|c| r.ty(t, c).is_empty()), "{t} columns are untyped");
    }
    assert_eq!(r.not_stated_notes(), 0);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g4d_fenced_lists_grouped_by_schema() {
    let Some(r) = read("g4d_") else { return };
    assert_eq!(
        r.qualified(),
        names(&["catalog.artwork", "catalog.artist", "catalog.medium", "loans.loan_request", "loans.loan_item"])
    );
    assert!(r.tables().iter().all(|t| r.declared_only(t)));
    assert_eq!(r.not_stated_notes(), 1);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn g5_relationship_lines_alone_declare_tables_and_keep_their_links() {
    let Some(r) = read("g5_") else { return };
    assert_eq!(sorted(r.tables()), names(&["shifts", "stations", "volunteers"]));
    assert!(r.tables().iter().all(|t| r.declared_only(t)));
    // The relationship is kept; its columns are not stated, and none is invented.
    let mut fks = r.foreign_keys("shifts");
    fks.sort();
    assert_eq!(fks, [(vec![], "stations".to_string(), vec![]), (vec![], "volunteers".to_string(), vec![])]);
    assert_eq!(r.not_stated_notes(), 1);
    assert!(r.errors().is_empty(), "{:#?}", r.errors());
}

#[test]
fn declared_tables_are_skipped_not_created_in_sql() {
    let Some(path) = form("g4b_") else { return };
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc"))
        .args(["show", path.to_str().unwrap(), "--format", "sql", "--dialect", "postgres"])
        .output()
        .expect("schemadoc runs");
    let sql = String::from_utf8_lossy(&out.stdout);
    assert!(!sql.contains("CREATE TABLE"), "{sql}");
    assert!(sql.contains("skipped: table kilns: its columns are not stated"), "{sql}");
}
