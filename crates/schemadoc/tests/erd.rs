//! ERD pictures: `show --format dot|svg|png` with neighbourhoods and groups. The SVG and PNG tests
//! need Graphviz `dot`: they are skipped when it is missing, except under `CI=true`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn schemadoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn graphviz() -> bool {
    let found = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(found || std::env::var("CI").as_deref() != Ok("true"), "CI=true but Graphviz `dot` is not installed");
    found
}

/// A Korean design document in two sections, with a reference to a platform table it does not define.
fn document(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemadoc-erd-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("설계.md");
    std::fs::write(
        &path,
        "# 독서 모임 설계\n\n## 회원\n\n```sql\nCREATE TABLE members (\n  id BIGINT PRIMARY KEY,\n  \
         이름 VARCHAR(50) NOT NULL,\n  email VARCHAR(200) UNIQUE\n);\n```\n\n## 모임\n\n```sql\n\
         CREATE TABLE clubs (\n  id BIGINT PRIMARY KEY,\n  title TEXT NOT NULL\n);\n\
         CREATE TABLE club_members (\n  club_id BIGINT NOT NULL REFERENCES clubs(id),\n  \
         member_id BIGINT NOT NULL REFERENCES members(id),\n  PRIMARY KEY (club_id, member_id)\n);\n\
         CREATE TABLE meetings (\n  id BIGINT PRIMARY KEY,\n  club_id BIGINT REFERENCES clubs(id),\n  \
         held_on DATE NOT NULL\n);\n```\n",
    )
    .expect("write document");
    path
}

#[test]
fn dot_lists_every_table_column_and_reference() {
    let doc = document("dot_lists_every_table_column_and_reference");
    let dot = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot"]));
    for table in ["members", "clubs", "club_members", "meetings"] {
        assert!(dot.contains(&format!("\"{table}\" [label=<")), "{table} missing:\n{dot}");
    }
    assert!(dot.contains("<B>이름</B>"), "NOT NULL Korean column in bold:\n{dot}");
    assert!(dot.contains("\"club_members\":out1 -> \"members\":in0"), "{dot}");
    // meetings.club_id is nullable: "zero or one" at the parent.
    assert!(
        dot.contains("\"meetings\":out1 -> \"clubs\":in0 [dir=both, arrowtail=crowodot, arrowhead=teeodot"),
        "{dot}"
    );
}

#[test]
fn a_neighbourhood_keeps_the_tables_within_depth() {
    let doc = document("a_neighbourhood_keeps_the_tables_within_depth");
    let only = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--table", "meetings"]));
    assert!(only.contains("\"meetings\" [label=<") && !only.contains("\"members\" [label=<"), "{only}");
    // clubs is drawn as a dashed stub: it is outside the neighbourhood.
    assert!(only.contains("\"clubs\" [shape=box, style=\"dashed\""), "{only}");
    // meetings → clubs ← club_members → members: members is three steps away.
    let two =
        stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--around", "meetings", "--depth", "2"]));
    for table in ["clubs", "club_members", "meetings"] {
        assert!(two.contains(&format!("\"{table}\" [label=<")), "{table} missing:\n{two}");
    }
    assert!(!two.contains("\"members\" [label=<"), "{two}");
    let three =
        stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--around", "meetings", "--depth", "3"]));
    assert!(three.contains("\"members\" [label=<"), "{three}");
}

#[test]
fn an_unknown_table_is_an_error_with_a_suggestion() {
    let doc = document("an_unknown_table_is_an_error_with_a_suggestion");
    let o = schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--table", "meeting"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--table `meeting`") && err.contains("did you mean `meetings`?"), "{err}");
}

#[test]
fn groups_follow_the_document_sections() {
    let doc = document("groups_follow_the_document_sections");
    let dot = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--group-by", "section"]));
    assert!(dot.contains("label=\"회원\"") && dot.contains("label=\"모임\""), "{dot}");
    let one = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--group", "회원"]));
    assert!(one.contains("\"members\" [label=<") && !one.contains("\"clubs\" [label=<"), "{one}");
    let overview = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--overview"]));
    assert!(overview.contains("\"모임\" -> \"회원\" [label=\"1\""), "{overview}");
    let o = schemadoc(&["show", doc.to_str().unwrap(), "--format", "dot", "--group", "결제"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the groups are `모임`, `회원`"));
}

#[test]
fn svg_and_png_are_drawn_by_graphviz() {
    if !graphviz() {
        return;
    }
    let doc = document("svg_and_png_are_drawn_by_graphviz");
    let svg = stdout(&schemadoc(&["show", doc.to_str().unwrap(), "--format", "svg"]));
    assert!(svg.contains("<svg"), "{svg}");
    for text in ["club_members", "이름", "bigint"] {
        assert!(svg.contains(text), "{text} not drawn");
    }
    let png = schemadoc(&["show", doc.to_str().unwrap(), "--format", "png"]);
    assert!(png.status.success());
    assert!(png.stdout.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
}
