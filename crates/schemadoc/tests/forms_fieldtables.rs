//! The field-table forms of the shared corpus (`../shared/forms/`): headings with more words than
//! the table name, table-name paragraphs, keys outside a constraints column, constraint words in a
//! default column, packed rows, sub-document tables and Prisma scalars. Each test asserts what the
//! corpus README says of its form. Runs whenever the folder exists; mandatory when
//! `SCHEMADOC_SHARED_DIR` names it.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn form(name: &str) -> Option<PathBuf> {
    let path = dialect::testing::shared_dir("forms")?.join(name);
    assert!(path.is_file(), "form {name} is missing from the shared corpus");
    Some(path)
}

fn run(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)))
}

/// A form's schema (`show --format json`) and findings (`check --format json`).
struct Read {
    schema: Value,
    diagnostics: Vec<Value>,
}

fn read(name: &str) -> Option<Read> {
    let path = form(name)?;
    let p = path.to_str().expect("utf-8 path");
    let schema = run(&["show", p, "--format", "json"]);
    let diagnostics = run(&["check", p, "--format", "json"])["diagnostics"].as_array().expect("diagnostics").clone();
    Some(Read { schema, diagnostics })
}

impl Read {
    fn table_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .map(|t| t["name"].as_str().unwrap().into())
            .collect();
        v.sort();
        v
    }

    fn table(&self, name: &str) -> &Value {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"] == name)
            .unwrap_or_else(|| panic!("no table {name} in {:#}", self.schema))
    }

    fn column(&self, table: &str, column: &str) -> &Value {
        self.table(table)["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .find(|c| c["name"] == column)
            .unwrap_or_else(|| panic!("no column {table}.{column} in {:#}", self.table(table)))
    }

    fn columns(&self, table: &str) -> Vec<String> {
        self.table(table)["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| c["name"].as_str().unwrap().into())
            .collect()
    }

    fn primary_key(&self, table: &str) -> Vec<String> {
        strings(&self.table(table)["primary_key"])
    }

    /// `(columns, ref_table, ref_columns)` of a table's foreign keys.
    fn foreign_keys(&self, table: &str) -> Vec<(Vec<String>, String, Vec<String>)> {
        self.table(table)["foreign_keys"]
            .as_array()
            .expect("foreign_keys")
            .iter()
            .map(|f| (strings(&f["columns"]), f["ref_table"].as_str().unwrap().into(), strings(&f["ref_columns"])))
            .collect()
    }

    fn rules(&self, severity: &str) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d["severity"] == severity)
            .map(|d| d["rule"].as_str().unwrap().into())
            .collect()
    }

    fn has_rule(&self, rule: &str) -> bool {
        self.diagnostics.iter().any(|d| d["rule"] == rule)
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
}

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn g2_heading_names_the_table_among_other_words() {
    let Some(r) = read("g2_heading_extra.md") else { return };
    assert_eq!(r.table_names(), ["germination_tests", "seed_lots"]);
    assert_eq!(r.columns("seed_lots"), ["lot_id", "species"]);
    assert_eq!(r.columns("germination_tests"), ["test_id", "lot_id"]);
    assert_eq!(r.primary_key("seed_lots"), ["lot_id"]);
    assert_eq!(r.primary_key("germination_tests"), ["test_id"]);
    assert_eq!(r.foreign_keys("germination_tests"), [(owned(&["lot_id"]), "seed_lots".into(), owned(&["lot_id"]))]);
    assert!(!r.has_rule("unattached-field-table"), "{:#?}", r.diagnostics);
    assert!(r.rules("error").is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn c5_table_name_paragraph_names_the_table_and_its_key() {
    let Some(r) = read("c5_table_name_paragraph.md") else { return };
    assert_eq!(r.table_names(), ["gym_lockers"]);
    assert_eq!(r.columns("gym_lockers"), ["locker_no", "zone"]);
    assert_eq!(r.primary_key("gym_lockers"), ["locker_no"]);
    // The heading's word is the logical name, kept as the table's label.
    assert_eq!(r.table("gym_lockers")["comment"], "Locker");
    assert!(r.rules("error").is_empty() && r.rules("warning").is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn c1_keys_in_description_and_key_columns() {
    let Some(r) = read("c1_keys_in_description.md") else { return };
    assert_eq!(r.primary_key("pottery_classes"), ["id"]);
    assert_eq!(r.primary_key("studios"), ["id"]);
    assert!(r.foreign_keys("pottery_classes").contains(&(owned(&["studio_id"]), "studios".into(), owned(&["id"]))));
    // `auto` in the default column is an identity, not a default value.
    let id = r.column("studios", "id");
    assert!(id["default"].is_null(), "{id:#}");
    assert!(!id["identity"].is_null(), "{id:#}");
    assert!(!r.has_rule("missing-primary-key"), "{:#?}", r.diagnostics);
    // The bullets under the "Index:" paragraph: a unique key on title, an index on studio_id.
    let classes = r.table("pottery_classes");
    assert_eq!(classes["uniques"][0]["columns"], serde_json::json!(["title"]), "{classes:#}");
    assert_eq!(classes["indexes"][0]["columns"], serde_json::json!(["studio_id"]), "{classes:#}");
    // `FK → owners.id` names a table this excerpt does not describe: worth a look, not an error.
    assert!(r.rules("error").is_empty(), "{:#?}", r.diagnostics);
    let owners: Vec<&Value> = r.diagnostics.iter().filter(|d| d["rule"] == "unknown-table").collect();
    assert!(owners.len() == 1 && owners[0]["severity"] == "warning", "{owners:#?}");
}

#[test]
fn p1_a_reversed_relationship_bullet_is_a_key_on_the_child() {
    let Some(r) = read("p1_reversed_relationship_bullets.md") else { return };
    assert_eq!(r.table_names(), ["jars", "shelves"]);
    assert_eq!(r.foreign_keys("jars"), [(owned(&["shelf_id"]), "shelves".into(), owned(&["id"]))]);
    assert!(r.foreign_keys("shelves").is_empty());
    // Neither table states its key: `id` is taken by convention, so the reference resolves.
    assert_eq!(r.primary_key("shelves"), ["id"]);
    assert!(r.rules("error").is_empty(), "{:#?}", r.diagnostics);
    assert!(!r.has_rule("missing-primary-key"), "{:#?}", r.diagnostics);
}

#[test]
fn c6_constraint_words_in_a_default_column_are_constraints() {
    let Some(r) = read("c6_default_column_constraints.md") else { return };
    assert!(!r.has_rule("conflicting-definition"), "field table and SQL must agree: {:#?}", r.diagnostics);
    assert_eq!(r.primary_key("hikers"), ["id"]);
    let id = r.column("hikers", "id");
    assert!(id["default"].is_null() && !id["identity"].is_null(), "{id:#}");
    let nickname = r.column("hikers", "nickname");
    assert!(nickname["default"].is_null() && nickname["nullable"] == false, "{nickname:#}");
    assert_eq!(r.column("hikers", "level")["default"], "'novice'");
    assert!(r.rules("error").is_empty() && r.rules("warning").is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn c4_packed_row_is_three_columns() {
    let Some(r) = read("c4_packed_row.md") else { return };
    assert_eq!(r.columns("deliveries"), ["id", "queued_at", "sent_at", "acked_at"]);
    assert_eq!(r.column("deliveries", "queued_at")["nullable"], false);
    assert_eq!(r.column("deliveries", "sent_at")["nullable"], true);
    assert_eq!(r.column("deliveries", "acked_at")["type"], "timestamptz");
    assert!(r.rules("error").is_empty(), "the index on acked_at finds its column: {:#?}", r.diagnostics);
}

#[test]
fn p8_subdocument_table_is_not_merged_into_its_parent() {
    let Some(r) = read("p8_subdocument_merge.md") else { return };
    assert_eq!(r.table_names(), ["playlists"]);
    let cols = r.columns("playlists");
    assert!(!cols.iter().any(|c| c == "track_title" || c == "seconds"), "{cols:?}");
    assert!(cols.starts_with(&owned(&["name", "owner"])), "{cols:?}");
    assert!(r.has_rule("field-table-subdocument"), "the nested table is reported: {:#?}", r.diagnostics);
    assert!(r.rules("error").is_empty(), "{:#?}", r.diagnostics);
}

#[test]
fn c2a_prisma_optional_scalars_in_a_field_table() {
    let Some(r) = read("c2a_prisma_optional_in_field_table.md") else { return };
    assert_eq!(r.columns("Course"), ["id", "subtitle", "starts_on"]);
    assert_eq!(r.column("Course", "id")["nullable"], false);
    assert_eq!(r.column("Course", "subtitle")["nullable"], true);
    assert_eq!(r.column("Course", "starts_on")["nullable"], true);
    assert_eq!(r.column("Course", "starts_on")["spelling"], "DateTime");
    assert!(
        !r.has_rule("field-table-unrecognized") && !r.has_rule("field-table-unreadable-row"),
        "{:#?}",
        r.diagnostics
    );
}
