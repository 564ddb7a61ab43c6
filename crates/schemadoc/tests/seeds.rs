//! The corpus test: the five seed documents beside the repository (`../shared/seeds`) must compile to
//! exactly the schema their expectations describe and report the findings listed there, at the
//! right lines. Runs whenever the folder exists; mandatory when `SCHEMADOC_SHARED_DIR` names it.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn seeds_dir() -> Option<PathBuf> {
    dialect::testing::shared_dir("seeds")
}

fn seed(prefix: &str) -> Option<PathBuf> {
    let dir = seeds_dir()?;
    let found = std::fs::read_dir(&dir)
        .expect("seeds folder is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(prefix)));
    Some(found.unwrap_or_else(|| panic!("seed {prefix} is missing from {dir:?}")))
}

fn run(args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

struct Compiled {
    schema: Value,
    diagnostics: Vec<Value>,
}

fn compile(path: &std::path::Path) -> Compiled {
    let p = path.to_str().expect("utf-8 path");
    let (code, schema) = run(&["show", p, "--format", "json"]);
    assert_eq!(code, 0, "show failed on {p}");
    let (code, check) = run(&["check", p, "--format", "json"]);
    assert!(code == 0 || code == 1, "check failed on {p} with exit code {code}");
    let diagnostics = check["diagnostics"].as_array().expect("diagnostics array").clone();
    Compiled { schema, diagnostics }
}

impl Compiled {
    fn table_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .map(|t| t["name"].as_str().expect("name").to_lowercase())
            .collect();
        names.sort();
        names
    }

    fn table(&self, name: &str) -> &Value {
        self.schema["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"].as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .unwrap_or_else(|| panic!("no table {name} in {:#}", self.schema))
    }

    fn columns(&self, table: &str) -> Vec<String> {
        self.table(table)["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .map(|c| c["name"].as_str().expect("column name").to_lowercase())
            .collect()
    }

    /// `(column, referenced table, on_delete)` of a table's foreign keys, lower-cased.
    fn foreign_keys(&self, table: &str) -> Vec<(String, String, String)> {
        self.table(table)["foreign_keys"]
            .as_array()
            .expect("foreign_keys")
            .iter()
            .map(|fk| {
                let cols: Vec<&str> =
                    fk["columns"].as_array().expect("fk columns").iter().filter_map(|c| c.as_str()).collect();
                (
                    cols.join(",").to_lowercase(),
                    fk["ref_table"].as_str().expect("ref_table").to_lowercase(),
                    fk["on_delete"].as_str().unwrap_or("").to_uppercase(),
                )
            })
            .collect()
    }

    fn has_fk(&self, table: &str, column: &str, target: &str) -> bool {
        self.foreign_keys(table).iter().any(|(c, t, _)| c == column && t == target)
    }

    fn index_names(&self, table: &str) -> Vec<String> {
        self.table(table)["indexes"]
            .as_array()
            .expect("indexes")
            .iter()
            .filter_map(|i| i["name"].as_str().map(str::to_lowercase))
            .collect()
    }

    /// Findings of `rule` whose line is in `lines` and whose message mentions every word of `words`.
    fn findings(&self, rule: &str, lines: std::ops::RangeInclusive<u64>, words: &[&str]) -> Vec<&Value> {
        self.diagnostics
            .iter()
            .filter(|d| d["rule"] == rule)
            .filter(|d| {
                let at = |l: &Value| l.as_u64().is_some_and(|l| lines.contains(&l));
                at(&d["line"]) || d["related"].as_array().is_some_and(|r| r.iter().any(|x| at(&x["line"])))
            })
            .filter(|d| {
                let msg = d["message"].as_str().unwrap_or("");
                words.iter().all(|w| msg.contains(w))
            })
            .collect()
    }

    #[track_caller]
    fn expect_finding(&self, rule: &str, lines: std::ops::RangeInclusive<u64>, words: &[&str]) {
        assert!(
            !self.findings(rule, lines.clone(), words).is_empty(),
            "expected a `{rule}` finding at lines {lines:?} mentioning {words:?}; got:\n{:#}",
            Value::Array(self.diagnostics.clone())
        );
    }

    fn errors(&self) -> Vec<&Value> {
        self.diagnostics.iter().filter(|d| d["severity"] == "error").collect()
    }
}

fn names(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn seed_000_launch_package_generator() {
    let Some(path) = seed("000_") else { return };
    let c = compile(&path);
    assert_eq!(
        c.table_names(),
        names(&["launch_runs", "chat_sessions", "chat_messages", "brief_slots", "run_outputs", "media_assets"])
    );
    assert!(c.has_fk("chat_messages", "session_id", "chat_sessions"));
    assert!(c.has_fk("brief_slots", "session_id", "chat_sessions"));
    assert!(c.has_fk("run_outputs", "session_id", "chat_sessions"));
    assert!(c.has_fk("media_assets", "run_id", "run_outputs"));
    assert_eq!(c.foreign_keys("run_outputs").len(), 1, "request_id has no FK");
    // At the column or at its FOREIGN KEY clause.
    c.expect_finding("foreign-key-without-index", 41..=45, &["chat_messages"]);
    c.expect_finding("foreign-key-without-index", 67..=73, &["run_outputs"]);
    c.expect_finding("foreign-key-without-index", 81..=87, &["media_assets"]);
    assert!(c.findings("foreign-key-without-index", 52..=62, &[]).is_empty(), "brief_slots.session_id is its PK");
    let hint = c.findings("missing-foreign-key", 68..=68, &["request_id"]);
    assert!(!hint.is_empty() && hint.iter().all(|d| d["severity"] == "info"));
    c.expect_finding("unindexed-query-pattern", 21..=21, &["created_at"]);
    assert!(c.errors().is_empty(), "no errors expected: {:#?}", c.errors());
}

#[test]
fn seed_001_avatar_forge() {
    let Some(path) = seed("001_") else { return };
    let c = compile(&path);
    assert_eq!(
        c.table_names(),
        names(&["users", "characters", "generation_jobs", "audio_files", "chat_sessions", "messages"])
    );
    assert_eq!(c.columns("users").len(), 9, "{:?}", c.columns("users"));
    let characters = c.columns("characters");
    assert_eq!(characters.len(), 16, "{characters:?}");
    assert!(characters.contains(&"character".to_string()) && characters.contains(&"updated_at".to_string()));
    assert_eq!(c.columns("generation_jobs").len(), 10, "{:?}", c.columns("generation_jobs"));
    assert_eq!(c.columns("audio_files").len(), 10, "{:?}", c.columns("audio_files"));
    // The comparison tables and TypeScript interfaces create nothing.
    for table in ["users", "characters", "generation_jobs"] {
        assert!(!c.columns(table).contains(&"input_image_url".to_string()));
    }
    let recommended = ["idx_characters_user_id", "idx_characters_is_preset", "idx_characters_category"];
    for name in recommended {
        assert!(c.index_names("characters").contains(&name.to_string()), "{name}: {:?}", c.index_names("characters"));
    }
    for name in ["idx_generation_jobs_user_id", "idx_generation_jobs_status", "idx_generation_jobs_job_type"] {
        assert!(c.index_names("generation_jobs").contains(&name.to_string()), "{name}");
    }
    for name in ["idx_audio_files_user_id", "idx_audio_files_text_hash"] {
        assert!(c.index_names("audio_files").contains(&name.to_string()), "{name}");
    }
    assert!(c.has_fk("characters", "user_id", "users"));
    assert!(c.has_fk("audio_files", "user_id", "users"));
    assert!(c.has_fk("chat_sessions", "character_id", "characters"));
    assert!(c.has_fk("messages", "session_id", "chat_sessions"));
    // characters: `character` and `updated_at` are in the field table but not in the ERD (line 480…).
    c.expect_finding("conflicting-definition", 480..=530, &["characters", "character"]);
    // chat_sessions / messages: SQL (250, 274) vs SQLAlchemy (649, 670).
    c.expect_finding("conflicting-definition", 250..=262, &["chat_sessions"]);
    c.expect_finding("conflicting-definition", 274..=284, &["messages"]);
    c.expect_finding("conflicting-definition", 274..=284, &["audio_url"]);
    // chat_sessions.character_id is UUID but references characters.id, a String(36).
    let mismatch = c.findings("foreign-key-type-mismatch", 252..=252, &["character_id"]);
    assert!(mismatch.iter().any(|d| d["severity"] == "error"), "{mismatch:#?}");
    // The ALTERs of section 7 agree with section 3, except job_type's DEFAULT '3d'.
    c.expect_finding("conflicting-definition", 584..=584, &["job_type"]);
}

#[test]
fn seed_002_message_automation() {
    let Some(path) = seed("002_") else { return };
    let c = compile(&path);
    assert_eq!(
        c.table_names(),
        names(&[
            "workflows",
            "workflow_runs",
            "kakao_templates",
            "target_query_templates",
            "mapping_templates",
            "variable_mapping_templates",
            "message_logs",
            "scheduled_jobs",
        ])
    );
    assert!(c.has_fk("workflow_runs", "workflow_id", "workflows"));
    assert!(c.foreign_keys("workflow_runs").iter().any(|(_, _, d)| d == "CASCADE"));
    assert!(c.foreign_keys("message_logs").iter().any(|(col, _, d)| col == "workflow_id" && d == "SET NULL"));
    assert!(!c.foreign_keys("message_logs").iter().any(|(col, _, _)| col == "template_id"));
    assert!(c.index_names("workflows").contains(&"idx_workflows_next_run_at".to_string()));
    c.expect_finding("foreign-key-without-index", 131..=131, &["workflow_runs"]);
    c.expect_finding("foreign-key-without-index", 334..=334, &["message_logs"]);
    c.expect_finding("foreign-key-without-index", 370..=370, &["scheduled_jobs"]);
    let template = c.findings("missing-foreign-key", 336..=336, &["template_id"]);
    assert!(!template.is_empty() && template.iter().all(|d| d["severity"] == "info"), "{template:#?}");
    // The column-list fragments are reported, never a failure; the UPDATE is a data migration.
    assert!(!c.findings("sql-fragment", 409..=420, &[]).is_empty());
    assert!(!c.findings("not-schema", 484..=493, &[]).is_empty());
    assert!(c.errors().is_empty(), "no errors expected: {:#?}", c.errors());
}

#[test]
fn seed_003_agent_roommates() {
    let Some(path) = seed("003_") else { return };
    let c = compile(&path);
    assert_eq!(
        c.table_names(),
        names(&[
            "users",
            "onboarding_data",
            "personas",
            "rooms",
            "chat_messages",
            "prompt_templates",
            "data_pool_experiences",
            "data_pool_archetypes",
            "data_pool_visuals",
            "agent_jobs",
            "agent_job_logs",
        ])
    );
    let routines = c.schema["routines"].as_array().expect("routines");
    assert_eq!(routines.iter().filter(|r| r["kind"] == "function").count(), 2);
    assert_eq!(routines.iter().filter(|r| r["kind"] == "trigger").count(), 2);
    assert!(c.has_fk("personas", "template_id", "prompt_templates"));
    assert!(c.has_fk("personas", "generation_job_id", "agent_jobs"));
    c.expect_finding("unknown-table", 1013..=1013, &["admin_characters"]);
    c.expect_finding("unknown-column", 1035..=1037, &["keywords"]);
    c.expect_finding("duplicate-constraint", 1025..=1027, &["one_roommate_per_user"]);
    c.expect_finding("duplicate-constraint", 1030..=1032, &["unique_position_per_user"]);
    c.expect_finding("missing-extension", 462..=462, &["vector"]);
    // SQL vs Prisma, grouped: one finding per pattern.
    let uuid_text = c.findings("conflicting-definition", 1..=2000, &["uuid", "text"]);
    assert_eq!(uuid_text.len(), 1, "uuid vs text is one grouped finding: {uuid_text:#?}");
    assert!(uuid_text[0]["related"].as_array().expect("related").len() >= 11);
    let nullability = c.findings("conflicting-definition", 1..=2000, &["nullable", "NOT NULL"]);
    assert!(!nullability.is_empty());
    assert!(!c.findings("conflicting-definition", 1..=2000, &["enum"]).is_empty());
    assert!(!c.findings("conflicting-definition", 1..=2000, &["embedding"]).is_empty());
    assert!(!c.findings("conflicting-definition", 1..=2000, &["idx_exp_archetypes"]).is_empty());
    let conflicts = c.diagnostics.iter().filter(|d| d["rule"] == "conflicting-definition").count();
    assert!(conflicts <= 25, "disagreements must be grouped, got {conflicts}");
    // Forward references are not findings.
    assert!(c.findings("unknown-table", 248..=300, &[]).is_empty());
}

#[test]
fn seed_004_video_platform() {
    let Some(path) = seed("004_") else { return };
    let c = compile(&path);
    assert_eq!(
        c.table_names(),
        names(&[
            "users",
            "sessions",
            "jobs",
            "job_logs",
            "scripts",
            "script_logs",
            "scripts_temp",
            "credit_history",
            "charge_requests",
            "user_activity_logs",
            "folders",
            "tasks",
            "task_logs",
            "youtube_uploads",
            "settings",
        ])
    );
    // The ERD's capitals are a diagram convention: the tables are the lower-case names the other
    // sections use, and references follow them.
    for t in c.schema["tables"].as_array().expect("tables") {
        let name = t["name"].as_str().expect("name");
        assert_eq!(name, name.to_lowercase(), "table spelled {name}");
        for fk in t["foreign_keys"].as_array().expect("fks") {
            let target = fk["ref_table"].as_str().expect("ref_table");
            assert_eq!(target, target.to_lowercase());
        }
    }
    for (table, column, target) in [
        ("sessions", "user_id", "users"),
        ("jobs", "user_id", "users"),
        ("job_logs", "job_id", "jobs"),
        ("scripts", "user_id", "users"),
        ("script_logs", "script_id", "scripts"),
        ("credit_history", "user_id", "users"),
        ("charge_requests", "user_id", "users"),
        ("user_activity_logs", "user_id", "users"),
        ("folders", "user_id", "users"),
        ("task_logs", "task_id", "tasks"),
        ("youtube_uploads", "user_id", "users"),
        ("youtube_uploads", "job_id", "jobs"),
    ] {
        assert!(c.has_fk(table, column, target), "{table}.{column} → {target}: {:?}", c.foreign_keys(table));
    }
    for table in ["job_logs", "script_logs", "task_logs"] {
        assert!(c.foreign_keys(table).iter().any(|(_, _, d)| d == "CASCADE"), "{table}");
    }
    assert!(c.index_names("users").contains(&"idx_users_email".to_string()));
    assert!(c.index_names("youtube_uploads").contains(&"idx_youtube_uploads_published_at".to_string()));
    let job_logs = c.table("job_logs");
    let id = &job_logs["columns"].as_array().expect("columns")[0];
    assert_eq!(id["identity"], "auto_increment", "{id:#}");
    c.expect_finding("inferred-foreign-key", 175..=175, &["job_id", "jobs"]);
    let settings = c.schema["settings"].as_array().expect("settings");
    assert_eq!(settings.len(), 4, "{settings:#?}");
    assert!(c.errors().is_empty(), "no errors expected: {:#?}", c.errors());
}
