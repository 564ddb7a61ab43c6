//! `schemadoc load` from the command line: rustc-style messages naming file, record and field,
//! exit codes, `--dry-run` counts per table.

use std::path::PathBuf;
use std::process::{Command, Output};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

struct Dir(PathBuf);

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dir(name: &str) -> Dir {
    let d = std::env::temp_dir().join(format!("schemadoc-data-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Dir(d)
}

const DOC: &str = "# 설계\n\n```sql\nCREATE TABLE users (\n  id TEXT PRIMARY KEY,\n  email TEXT NOT NULL,\n  \
                   is_admin BOOLEAN NOT NULL DEFAULT 0,\n  created_at DATETIME NOT NULL\n);\nCREATE TABLE sessions (\n  \
                   id TEXT PRIMARY KEY,\n  user_id TEXT NOT NULL REFERENCES users(id),\n  expires_at DATETIME NOT NULL\n);\n```\n";

fn setup(name: &str) -> (Dir, String, String) {
    let d = dir(name);
    let doc = d.0.join("design.md");
    std::fs::write(&doc, DOC).unwrap();
    std::fs::write(
        d.0.join("users.json"),
        r#"[{"id":"u1","email":"김@x.kr","isAdmin":true,"createdAt":"2025-11-04T07:12:28Z"},
            {"id":"u2","email":"b@x.kr","createdAt":1762240348566}]"#,
    )
    .unwrap();
    std::fs::write(
        d.0.join("sessions.json"),
        r#"{"s1":{"userId":"u1","expiresAt":1762240348566},"s2":{"userId":"u7","expiresAt":1762240348566}}"#,
    )
    .unwrap();
    let url = format!("sqlite://{}", d.0.join("app.db").display());
    let out = schemadoc(&["apply", doc.to_str().unwrap(), "--db", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (d, doc.to_str().unwrap().to_string(), url)
}

#[test]
fn a_dangling_reference_is_reported_at_its_record_and_nothing_of_the_file_is_written() {
    let (d, doc, url) = setup("dangling");
    let sessions = d.0.join("sessions.json");
    let users = d.0.join("users.json");
    let out = schemadoc(&["load", &doc, "--db", &url, sessions.to_str().unwrap(), users.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stderr}{stdout}");
    assert!(stderr.contains("error: `userId` references `users.id` = `u7`"), "{stderr}");
    assert!(stderr.contains("sessions.json[\"s2\"], field `userId`"), "{stderr}");
    assert!(stdout.contains("users: 2 rows written"), "{stdout}");
    assert!(stdout.contains("sessions: nothing written: 1 of 2 rows do not fit"), "{stdout}");

    let out = schemadoc(&["load", &doc, "--db", &url, sessions.to_str().unwrap(), "--dry-run", "--skip-bad-rows"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("dry run: nothing was written"), "{stdout}");
    assert!(stdout.contains("  sessions: 1\n"), "{stdout}");
}

#[test]
fn load_needs_a_document_and_files() {
    let (d, doc, url) = setup("args");
    let out = schemadoc(&["load", &doc, "--db", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no JSON files to load"));
    let out = schemadoc(&["load", d.0.join("users.json").to_str().unwrap(), "--db", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("put the markdown document before"));
}

#[test]
fn apply_backs_up_first_notes_it_in_the_history_and_restore_undoes_the_change() {
    let (d, doc, url) = setup("backup");
    let backups = d.0.join("backups");
    std::fs::write(&doc, DOC.replace("```\n", "CREATE TABLE later (id INTEGER PRIMARY KEY);\n```\n")).unwrap();
    let out = schemadoc(&["apply", &doc, "--db", &url, "--backup", backups.to_str().unwrap(), "--keep", "3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("backed up") && stderr.contains("_before_apply.sqlite"), "{stderr}");
    let taken: Vec<PathBuf> = std::fs::read_dir(&backups).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(taken.len(), 1);
    let mut s = dialect::connect_data(&url).unwrap();
    let noted = s.texts("SELECT backup FROM schemadoc_history ORDER BY id DESC LIMIT 1").unwrap();
    assert_eq!(noted, [taken[0].display().to_string()]);
    let later = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'later'";
    assert_eq!(s.scalar(later).unwrap(), Some(1));
    drop(s);
    let out = schemadoc(&["restore", taken[0].to_str().unwrap(), "--db", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut s = dialect::connect_data(&url).unwrap();
    assert_eq!(s.scalar(later).unwrap(), Some(0));
}
