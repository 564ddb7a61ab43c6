//! `schemadoc doc`: an index and a page per table, in the document's language, with pictures when
//! Graphviz is installed (mandatory under `CI=true`).

use std::process::Command;

fn schemadoc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_schemadoc")).args(args).output().expect("schemadoc runs")
}

#[test]
fn pages_cover_every_table_with_references_findings_and_pictures() {
    let dir = std::env::temp_dir().join(format!("schemadoc-doc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("design.md");
    std::fs::write(
        &doc,
        "# Library design\n\n```sql\nCREATE TABLE members (\n  id BIGINT PRIMARY KEY,\n  email VARCHAR(200) NOT NULL UNIQUE\n);\n\
         CREATE TABLE loans (\n  id BIGINT PRIMARY KEY,\n  member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,\n  \
         due_on DATE NOT NULL\n);\n-- Loans of a member, newest first.\nCREATE INDEX idx_loans_due ON loans (due_on DESC);\n```\n",
    )
    .unwrap();
    let out_dir = dir.join("docs");
    let o = schemadoc(&["doc", doc.to_str().unwrap(), "-o", out_dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let index = std::fs::read_to_string(out_dir.join("README.md")).unwrap();
    assert!(index.starts_with("# Library design\n"), "{index}");
    assert!(index.contains("| [members](members.md) | 2 |") && index.contains("| [loans](loans.md) | 3 |"), "{index}");
    let loans = std::fs::read_to_string(out_dir.join("loans.md")).unwrap();
    assert!(loans.contains("| member_id | bigint | NOT NULL, FK(members.id) ON DELETE CASCADE |"), "{loans}");
    assert!(loans.contains("- INDEX (due_on DESC) `idx_loans_due`"), "{loans}");
    assert!(loans.contains("- (member_id) → [members](members.md) ON DELETE CASCADE"), "{loans}");
    assert!(
        loans.contains("`foreign-key-without-index`"),
        "the finding about loans.member_id is on its page:\n{loans}"
    );
    let members = std::fs::read_to_string(out_dir.join("members.md")).unwrap();
    assert!(members.contains("- [loans](loans.md) (member_id) → this table"), "{members}");
    assert!(!members.contains("foreign-key-without-index"), "{members}");

    let graphviz = Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(graphviz || std::env::var("CI").as_deref() != Ok("true"), "CI=true but Graphviz is missing");
    if graphviz {
        assert!(index.contains("![ERD](erd.svg)"));
        for picture in ["erd.svg", "loans.svg", "members.svg"] {
            let svg = std::fs::read_to_string(out_dir.join(picture)).unwrap();
            assert!(svg.contains("<svg") && svg.contains("members"), "{picture}");
        }
    }

    // Korean documents get Korean pages.
    let ko = dir.join("설계.md");
    std::fs::write(&ko, "# 도서관\n\n```sql\nCREATE TABLE 회원 (id BIGINT PRIMARY KEY);\n```\n").unwrap();
    let ko_dir = dir.join("문서");
    assert!(schemadoc(&["doc", ko.to_str().unwrap(), "-o", ko_dir.to_str().unwrap()]).status.success());
    let page = std::fs::read_to_string(ko_dir.join("회원.md")).unwrap();
    assert!(page.contains("## 컬럼") && page.contains("| 필드명 | 타입 | 제약조건 | 설명 |"), "{page}");
    let en = dir.join("english");
    assert!(schemadoc(&["doc", ko.to_str().unwrap(), "-o", en.to_str().unwrap(), "--lang", "en"]).status.success());
    assert!(std::fs::read_to_string(en.join("회원.md")).unwrap().contains("## Columns"));
}
