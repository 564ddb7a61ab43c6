//! The SQL forms of the shared corpus (`../shared/forms/`): SQL Server documents, schema-qualified
//! names, teardown sections, design fragments, table-level primary keys, error recovery, an ALTER
//! before its CREATE, partitions. Each test asserts what the corpus README says of its form. Runs
//! whenever the folder exists; mandatory when `SCHEMADOC_SHARED_DIR` names it.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn form(name: &str) -> Option<PathBuf> {
    let path = dialect::testing::shared_dir("forms")?.join(name);
    assert!(path.is_file(), "form {name} is missing from the shared corpus");
    Some(path)
}

fn output(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(args: &[&str]) -> Value {
    let stdout = output(args);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// A form's schema (`show --format json`) and findings (`check --format json`).
struct Read {
    path: String,
    schema: Value,
    diagnostics: Vec<Value>,
}

fn read(name: &str) -> Option<Read> {
    let path = form(name)?.to_str().expect("utf-8 path").to_string();
    let schema = json(&["show", &path, "--format", "json"]);
    let diagnostics =
        json(&["check", &path, "--format", "json"])["diagnostics"].as_array().expect("diagnostics").clone();
    Some(Read { path, schema, diagnostics })
}

/// `orchard.trees`, or `trees` in the default schema.
fn qualified(t: &Value) -> String {
    match t["namespace"].as_str() {
        Some(ns) => format!("{ns}.{}", t["name"].as_str().unwrap()),
        None => t["name"].as_str().unwrap().to_string(),
    }
}

impl Read {
    fn tables(&self) -> Vec<String> {
        let mut v: Vec<String> = self.schema["tables"].as_array().expect("tables").iter().map(qualified).collect();
        v.sort();
        v
    }

    fn table(&self, name: &str) -> &Value {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| qualified(t) == name)
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

    fn of(&self, rule: &str) -> Vec<&Value> {
        self.diagnostics.iter().filter(|d| d["rule"] == rule).collect()
    }

    fn errors(&self) -> Vec<&Value> {
        self.diagnostics.iter().filter(|d| d["severity"] == "error").collect()
    }

    fn assert_no_errors(&self) {
        assert!(self.errors().is_empty(), "{}: {:#?}", self.path, self.errors());
    }

    fn sql(&self, dialect: &str) -> String {
        output(&["show", &self.path, "--format", "sql", "--dialect", dialect])
    }
}

#[test]
fn c2e_mssql_identity_is_an_identity_nvarchar_max_a_text_getdate_the_current_time() {
    let Some(r) = read("c2e_mssql_identity.md") else { return };
    r.assert_no_errors();
    let id = r.column("Wards", "WardID");
    assert!(!id["identity"].is_null(), "IDENTITY(1,1) is an identity: {id:#}");
    assert!(id["default"].is_null(), "IDENTITY(1,1) is not a default value: {id:#}");
    assert_eq!(r.column("Wards", "Notes")["type"], "text");
    assert_eq!(r.column("Wards", "OpenedAt")["default"], "now()");
    for dialect in ["postgres", "mysql", "sqlite"] {
        let sql = r.sql(dialect);
        assert!(!sql.contains("IDENTITY(1,1)") && !sql.contains("GETDATE"), "{dialect}:\n{sql}");
    }
}

#[test]
fn p5_tsql_procedures_exec_and_backup_are_valid_not_schema() {
    let Some(r) = read("p5_tsql.md") else { return };
    // NOTE: the form's field table names `Dogs.DogID`, a table this excerpt does not describe: a
    // warning of the field table's, not an error; the T-SQL itself yields no syntax error.
    r.assert_no_errors();
    assert!(r.of("unknown-table").iter().all(|d| d["severity"] == "warning"), "{:#?}", r.of("unknown-table"));
    assert_eq!(r.tables(), vec!["Kennels"]);
    let routines: Vec<&str> =
        r.schema["routines"].as_array().expect("routines").iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert_eq!(routines, vec!["sp_FreeKennels"]);
    let not_schema: Vec<i64> = r.of("not-schema").iter().map(|d| d["line"].as_i64().unwrap()).collect();
    assert_eq!(not_schema, vec![20, 21], "EXEC and BACKUP are said, at their lines");
}

#[test]
fn s1_schema_qualified_tables_are_distinct_and_auth_users_is_external() {
    let Some(r) = read("s1_schema_qualified.md") else { return };
    r.assert_no_errors();
    assert_eq!(r.tables(), vec!["orchard.trees", "pickers", "trees"]);
    assert!(r.column("orchard.trees", "planted_on").is_object());
    assert!(r.column("trees", "height_cm").is_object());
    let fk = &r.table("pickers")["foreign_keys"][0];
    assert_eq!(fk["ref_table"], "auth.users");
    let external = r.of("external-table");
    assert_eq!(external.len(), 1, "{:#?}", r.diagnostics);
    assert_eq!(external[0]["severity"], "info");
    for d in r.diagnostics.iter().filter(|d| d["message"].as_str().unwrap().contains("users")) {
        assert!(d["message"].as_str().unwrap().contains("auth.users"), "a message without the schema: {d:#}");
    }
    let pg = r.sql("postgres");
    assert!(pg.contains("CREATE SCHEMA IF NOT EXISTS \"orchard\""), "{pg}");
    assert!(pg.contains("CREATE TABLE \"orchard\".\"trees\"") && pg.contains("CREATE TABLE \"trees\""), "{pg}");
    assert!(!pg.contains("CREATE TABLE \"auth\""), "apply leaves external tables alone:\n{pg}");
}

#[test]
fn g8_a_reset_section_does_not_erase_the_design() {
    let Some(r) = read("g8_drop_teardown.md") else { return };
    r.assert_no_errors();
    assert_eq!(r.tables(), vec!["fish", "tanks"]);
    let said: Vec<i64> = r.of("defined-table-dropped").iter().map(|d| d["line"].as_i64().unwrap()).collect();
    assert_eq!(said, vec![19, 20], "each DROP says what was done, at its line");
    for d in r.of("defined-table-dropped") {
        assert!(d["message"].as_str().unwrap().contains("kept"), "{d:#}");
    }
}

#[test]
fn p6_fragments_under_a_heading_naming_no_table_are_info_and_invent_nothing() {
    let Some(r) = read("p6_fragment.md") else { return };
    r.assert_no_errors();
    assert!(r.tables().is_empty(), "no table is invented: {:?}", r.tables());
    let fragments = r.of("sql-fragment");
    assert!(fragments.len() >= 2, "{:#?}", r.diagnostics);
    assert!(fragments.iter().all(|d| d["severity"] == "info"));
}

#[test]
fn p11_a_table_level_primary_key_column_is_not_null_everywhere() {
    let Some(r) = read("p11_pk_nullable.md") else { return };
    r.assert_no_errors();
    assert_eq!(r.column("lantern", "lantern_id")["nullable"], false);
    for dialect in ["postgres", "mysql", "sqlite"] {
        let sql = r.sql(dialect);
        let line = sql.lines().find(|l| l.contains("lantern_id")).unwrap_or("");
        // NOTE: SQLite's `INTEGER PRIMARY KEY` is the rowid, which is never NULL.
        let rowid = dialect == "sqlite" && line.contains("INTEGER PRIMARY KEY");
        assert!(line.contains("NOT NULL") || rowid, "{dialect}: `{line}`\n{sql}");
    }
}

#[test]
fn s7_a_stray_token_keeps_every_constraint_and_points_at_itself() {
    let Some(r) = read("s7_recovery_drops_last_element.md") else { return };
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!((errors[0]["line"].as_i64(), errors[0]["column"].as_i64()), (Some(11), Some(1)));
    let parcel = r.table("parcel");
    assert_eq!(parcel["primary_key"], serde_json::json!(["parcel_id"]));
    let mut fks: Vec<&str> =
        parcel["foreign_keys"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    fks.sort_unstable();
    assert_eq!(fks, vec!["fk_parcel_crate", "fk_parcel_shelf"]);
}

#[test]
fn p12_an_alter_before_its_create_never_duplicates_a_constraint() {
    let Some(r) = read("p12_duplicate_fk.md") else { return };
    r.assert_no_errors();
    let fks = r.table("loan")["foreign_keys"].as_array().unwrap().clone();
    assert_eq!(fks.len(), 1, "{fks:#?}");
    assert_eq!(fks[0]["name"], "fk_loan_book");
    let sql = r.sql("postgres");
    assert_eq!(sql.matches("fk_loan_book").count(), 1, "{sql}");
}

#[test]
fn p9_partition_of_is_a_partition_not_an_empty_table() {
    let Some(r) = read("p9_partition_of.md") else { return };
    r.assert_no_errors();
    assert_eq!(r.tables(), vec!["readings"]);
    let said: Vec<&Value> = r
        .diagnostics
        .iter()
        .filter(|d| d["line"] == 3 && d["message"].as_str().unwrap().contains("partition of `readings`"))
        .collect();
    assert_eq!(said.len(), 1, "{:#?}", r.diagnostics);
    assert!(!r.sql("postgres").contains("readings_2030_01\" ()"));
}

#[test]
fn m1_an_erd_unique_key_the_sql_lacks_is_a_disagreement_not_an_extra_unique() {
    let Some(r) = read("m1_erd_uk_added.md") else { return };
    r.assert_no_errors();
    let uniques: Vec<Value> =
        r.table("badges")["uniques"].as_array().unwrap().iter().map(|u| u["columns"].clone()).collect();
    assert_eq!(uniques, vec![serde_json::json!(["issuer", "code"])], "the SQL is followed");
    let said = r.of("conflicting-definition");
    assert!(
        said.iter().any(|d| {
            let m = d["message"].as_str().unwrap();
            m.contains("badges (code)") && m.contains("ERD")
        }),
        "{said:#?}"
    );
}
