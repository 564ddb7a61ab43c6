//! `schemadoc sync`: generated regions are rewritten from the schema, `--check` is clean right
//! after a sync, and every byte outside the regions stays as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

fn temp(test: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadoc-sync-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The text outside the generated regions, which sync must never change.
fn prose(text: &str, erd_blocks: bool) -> String {
    let (regions, _) = render::sync::regions(&std::sync::Arc::from("x"), text, erd_blocks);
    let mut out = String::new();
    let mut at = 0;
    for r in &regions {
        out.push_str(&text[at..r.body.start]);
        out.push_str("<region>");
        at = r.body.end;
    }
    out.push_str(&text[at..]);
    out
}

const DESIGN_KO: &str = "# 예약 서비스 설계\n\n이 문서는 예약 서비스의 스키마를 설명한다.\r\n\n## 테이블\n\n```sql\n\
CREATE TABLE rooms (\n  id BIGINT PRIMARY KEY,\n  name VARCHAR(50) NOT NULL UNIQUE\n);\n\
CREATE TABLE bookings (\n  id BIGINT PRIMARY KEY,\n  room_id BIGINT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,\n  \
starts_at TIMESTAMPTZ NOT NULL,\n  note TEXT\n);\nCREATE INDEX idx_bookings_room ON bookings (room_id);\n```\n\n## ERD\n\n\
<!-- schemadoc:generated erd -->\n```mermaid\nerDiagram\n    rooms {\n        bigint id PK\n    }\n```\n\
<!-- schemadoc:generated-end -->\n\n## 필드\n\n<!-- schemadoc:generated fields table=bookings -->\n\
<!-- schemadoc:generated-end -->\n\n## 목록\n\n<!-- schemadoc:generated tables -->\n<!-- schemadoc:generated-end -->\n\n끝.  \n";

#[test]
fn sync_rewrites_the_regions_and_nothing_else() {
    let path = temp("ko", "설계.md", DESIGN_KO);
    let p = path.to_str().unwrap();
    let stale = schemadoc(&["sync", p, "--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let said = String::from_utf8_lossy(&stale.stdout);
    assert!(said.contains(":23: generated region `erd` is stale"), "{said}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), DESIGN_KO, "--check wrote the file");

    let synced = schemadoc(&["sync", p]);
    assert!(synced.status.success(), "{}", String::from_utf8_lossy(&synced.stderr));
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(prose(&after, false), prose(DESIGN_KO, false), "text outside the regions changed");
    assert!(after.contains("    rooms ||..o{ bookings : \"room_id\"\n"), "{after}");
    assert!(after.contains("**테이블명**: `bookings`\n\n| 필드명 | 타입 | 제약조건 | 설명 |"), "{after}");
    assert!(after.contains("| room_id | bigint | NOT NULL, FK(rooms.id) ON DELETE CASCADE |  |"), "{after}");
    assert!(after.contains("| `rooms` | 2 |"), "{after}");

    let clean = schemadoc(&["sync", p, "--check"]);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    // The generated field table reads back to the same table: no new findings.
    let check = schemadoc(&["check", p, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let findings: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] != "info").collect();
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn the_trusted_notation_decides_and_stale_regions_do_not_vote() {
    let text = "# Orders\n\n```sql\nCREATE TABLE orders (\n  id BIGINT PRIMARY KEY,\n  total NUMERIC(10,2) NOT NULL\n);\n```\n\n\
```prisma\nmodel Order {\n  id    BigInt  @id\n  total Decimal @db.Decimal(12, 2)\n  @@map(\"orders\")\n}\n```\n\n\
<!-- schemadoc:generated fields table=orders lang=en -->\n| column | type | constraints | description |\n|---|---|---|---|\n\
| id | bigint | PK | |\n| total | text | | stale |\n| legacy | int | | gone |\n<!-- schemadoc:generated-end -->\n";
    let path = temp("from", "orders.md", text);
    let p = path.to_str().unwrap();
    assert!(schemadoc(&["sync", p, "--from", "prisma"]).status.success());
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("| total | decimal(12,2) |"), "prisma wins:\n{after}");
    assert!(!after.contains("legacy"), "the stale region voted:\n{after}");
    assert!(schemadoc(&["sync", p, "--from", "sql"]).status.success());
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("| total | decimal(10,2) | NOT NULL |"), "sql wins:\n{after}");
}

#[test]
fn a_broken_region_changes_nothing() {
    let text = "# t\n\n```sql\nCREATE TABLE t (id INT PRIMARY KEY);\n```\n\n<!-- schemadoc:generated erd -->\nold\n\n\
<!-- schemadoc:generated fields table=missing -->\n<!-- schemadoc:generated-end -->\n";
    let path = temp("broken", "t.md", text);
    let o = schemadoc(&["sync", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("a generated region starts inside another") && err.contains("nothing was changed"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(root.join("examples")).unwrap().filter_map(|e| e.ok().map(|e| e.path())).collect();
    if let Some(seeds) = dialect::testing::shared_dir("seeds") {
        out.extend(
            std::fs::read_dir(seeds)
                .unwrap()
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    out.sort();
    out
}

#[test]
fn every_erd_block_of_the_seeds_and_examples_syncs_cleanly_with_prose_untouched() {
    for doc in corpus() {
        let original = std::fs::read_to_string(&doc).unwrap();
        let path = temp("corpus", &doc.file_name().unwrap().to_string_lossy(), &original);
        let p = path.to_str().unwrap();
        let o = schemadoc(&["sync", p, "--erd-blocks"]);
        assert!(o.status.success(), "{doc:?}: {}", String::from_utf8_lossy(&o.stderr));
        let after = std::fs::read_to_string(&path).unwrap();
        assert_eq!(prose(&after, true), prose(&original, true), "{doc:?}: text outside the ERD blocks changed");
        let again = schemadoc(&["sync", p, "--erd-blocks", "--check"]);
        assert_eq!(again.status.code(), Some(0), "{doc:?}: {}", String::from_utf8_lossy(&again.stdout));
    }
}
