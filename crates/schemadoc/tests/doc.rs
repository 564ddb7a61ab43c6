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
    assert!(
        index.contains("| [members](members.md) |  | 2 |") && index.contains("| [loans](loans.md) |  | 3 |"),
        "{index}"
    );
    // The pages read back to the design they show: no finding the design does not give.
    let (pages_found, design_found) = (rules_reported(&out_dir), rules_reported(&doc));
    for (rule, n) in &pages_found {
        assert!(design_found.get(rule).is_some_and(|d| d >= n), "the pages report {n} × {rule}:\n{index}");
    }
    let loans = std::fs::read_to_string(out_dir.join("loans.md")).unwrap();
    assert!(loans.contains("## Columns of `loans`"), "{loans}");
    assert!(loans.contains("| `member_id` | BIGINT | N |  |  |  |"), "{loans}");
    assert!(loans.contains("- `member_id` → `members.id` ON DELETE CASCADE"), "{loans}");
    assert!(loans.contains("- `idx_loans_due` ON `due_on DESC`"), "{loans}");
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
    assert!(
        page.contains("## `회원` 컬럼") && page.contains("| 컬럼 | 타입 | NULL 허용 | 기본값 | 제약조건 | 설명 |"),
        "{page}"
    );
    let en = dir.join("english");
    assert!(schemadoc(&["doc", ko.to_str().unwrap(), "-o", en.to_str().unwrap(), "--lang", "en"]).status.success());
    assert!(std::fs::read_to_string(en.join("회원.md")).unwrap().contains("## Columns of `회원`"));
}

/// A realistic schema per engine, written by hand as its users would: keys, a composite unique,
/// indexes (one descending), defaults, a check, comments in Korean; on PostgreSQL also an enum
/// and identity columns of both kinds.
fn live_schema(kind: dialect::EngineKind) -> &'static [&'static str] {
    match kind {
        dialect::EngineKind::Postgres => &[
            "CREATE TYPE member_level AS ENUM ('basic', 'gold', 'it''s vip')",
            "CREATE TABLE members (\n  id BIGSERIAL PRIMARY KEY,\n  email VARCHAR(200) NOT NULL UNIQUE,\n  nickname TEXT NOT NULL DEFAULT '',\n  level member_level NOT NULL DEFAULT 'basic',\n  status VARCHAR(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),\n  joined_at TIMESTAMPTZ NOT NULL DEFAULT now()\n)",
            "COMMENT ON TABLE members IS '가입한 회원'",
            "COMMENT ON COLUMN members.email IS '로그인 이메일'",
            "CREATE TABLE posts (\n  id BIGSERIAL PRIMARY KEY,\n  member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,\n  title VARCHAR(200) NOT NULL,\n  body TEXT,\n  price NUMERIC(10, 2) DEFAULT 0,\n  published BOOLEAN NOT NULL DEFAULT false,\n  tags TEXT[] NOT NULL DEFAULT '{}',\n  UNIQUE (member_id, title)\n)",
            "COMMENT ON COLUMN posts.title IS '제목 | 목록에 보인다'",
            "CREATE INDEX idx_posts_member ON posts (member_id)",
            "CREATE INDEX idx_posts_title ON posts (title DESC)",
            "CREATE TABLE post_likes (\n  post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  member_id BIGINT NOT NULL REFERENCES members (id),\n  liked_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (post_id, member_id)\n)",
            "CREATE INDEX idx_likes_member ON post_likes (member_id)",
            "CREATE TABLE reports (\n  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  post_id BIGINT NOT NULL REFERENCES posts (id),\n  seq INTEGER GENERATED BY DEFAULT AS IDENTITY,\n  reason TEXT NOT NULL\n)",
            "CREATE INDEX idx_reports_post ON reports (post_id)",
        ],
        dialect::EngineKind::Mysql => &[
            "CREATE TABLE members (\n  id BIGINT AUTO_INCREMENT PRIMARY KEY,\n  email VARCHAR(200) NOT NULL UNIQUE COMMENT '로그인 이메일',\n  nickname VARCHAR(50) NOT NULL DEFAULT '',\n  status VARCHAR(20) NOT NULL DEFAULT 'active',\n  joined_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  CONSTRAINT chk_members_status CHECK (status IN ('active', 'banned'))\n) DEFAULT CHARSET = utf8mb4 COMMENT = '가입한 회원'",
            "CREATE TABLE posts (\n  id BIGINT AUTO_INCREMENT PRIMARY KEY,\n  member_id BIGINT NOT NULL,\n  title VARCHAR(200) NOT NULL COMMENT '제목 | 목록에 보인다',\n  body TEXT,\n  price DECIMAL(10, 2) DEFAULT 0,\n  published TINYINT(1) NOT NULL DEFAULT 0,\n  UNIQUE KEY uq_posts_member_title (member_id, title),\n  KEY idx_posts_member (member_id),\n  KEY idx_posts_title (title),\n  CONSTRAINT fk_posts_member FOREIGN KEY (member_id) REFERENCES members (id) ON DELETE CASCADE\n) DEFAULT CHARSET = utf8mb4",
            "CREATE TABLE post_likes (\n  post_id BIGINT NOT NULL,\n  member_id BIGINT NOT NULL,\n  liked_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (post_id, member_id),\n  KEY idx_likes_member (member_id),\n  CONSTRAINT fk_likes_post FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,\n  CONSTRAINT fk_likes_member FOREIGN KEY (member_id) REFERENCES members (id)\n) DEFAULT CHARSET = utf8mb4",
        ],
        dialect::EngineKind::Sqlite => &[
            "CREATE TABLE members (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  email VARCHAR(200) NOT NULL UNIQUE,\n  nickname TEXT NOT NULL DEFAULT '',\n  status VARCHAR(20) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'banned')),\n  joined_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP\n)",
            "CREATE TABLE posts (\n  id INTEGER PRIMARY KEY,\n  member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,\n  title VARCHAR(200) NOT NULL,\n  body TEXT,\n  price DECIMAL(10, 2) DEFAULT 0,\n  published BOOLEAN NOT NULL DEFAULT 0,\n  UNIQUE (member_id, title)\n)",
            "CREATE INDEX idx_posts_member ON posts (member_id)",
            "CREATE INDEX idx_posts_title ON posts (title DESC)",
            "CREATE TABLE post_likes (\n  post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,\n  member_id INTEGER NOT NULL REFERENCES members (id),\n  liked_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (post_id, member_id)\n)",
            "CREATE INDEX idx_likes_member ON post_likes (member_id)",
        ],
    }
}

/// The rules `check` reports for `doc` (with their counts).
fn rules_reported(doc: &std::path::Path) -> std::collections::BTreeMap<String, usize> {
    let o = schemadoc(&["check", doc.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("check json");
    let mut rules = std::collections::BTreeMap::new();
    for d in json["diagnostics"].as_array().unwrap() {
        *rules.entry(d["rule"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    rules
}

/// What of a connection URL must never be written into a document: the user, host and port.
fn private_parts(url: &str) -> Vec<String> {
    let Some((_, rest)) = url.split_once("://") else { return Vec::new() };
    let authority = rest.split('/').next().unwrap_or("");
    let (user, host) = authority.rsplit_once('@').map_or(("", authority), |(u, h)| (u, h));
    let mut out = Vec::new();
    if let Some(user) = user.split(':').next().filter(|u| !u.is_empty()) {
        out.push(format!("{user}@"));
    }
    let (host, port) = host.rsplit_once(':').map_or((host, ""), |(h, p)| (h, p));
    out.extend([host.to_string(), format!(":{port}")].into_iter().filter(|p| p.len() > 1));
    if url.starts_with("sqlite") {
        // The folder the file lives in.
        out.push(std::path::Path::new(rest).parent().unwrap().display().to_string());
    }
    out
}

/// `inspect --format markdown` of a live database reads back through `check` with no finding the
/// database's own DDL does not give, to the same model (`drift` of it against the database is
/// clean), and names no user, host or port; so do the pages of `doc --db`.
#[test]
fn documents_of_a_live_database_read_back_to_it_and_name_no_connection() {
    for kind in [dialect::EngineKind::Sqlite, dialect::EngineKind::Postgres, dialect::EngineKind::Mysql] {
        let Some(db) = dialect::testing::ScratchDb::new(kind) else { continue };
        let mut session = db.session();
        for statement in live_schema(kind) {
            session.execute(statement).unwrap_or_else(|e| panic!("{kind}: {statement}: {e}"));
        }
        drop(session);
        let dir = std::env::temp_dir().join(format!("schemadoc-live-doc-{}-{kind}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();

        let o = schemadoc(&["inspect", "--db", &db.url, "--format", "markdown"]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        let markdown = String::from_utf8(o.stdout).unwrap();
        for part in private_parts(&db.url) {
            assert!(!markdown.contains(&part), "{kind}: the document names `{part}`:\n{markdown}");
        }
        assert!(markdown.contains("로그인 이메일") || kind == dialect::EngineKind::Sqlite, "{markdown}");
        let doc = dir.join("database.md");
        std::fs::write(&doc, &markdown).unwrap();

        // The same database as its own engine's DDL: the findings the schema itself gives.
        let o = schemadoc(&["inspect", "--db", &db.url, "--format", "sql"]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        let sql_doc = dir.join("ddl.md");
        std::fs::write(&sql_doc, format!("# ddl\n\n```sql\n{}```\n", String::from_utf8_lossy(&o.stdout))).unwrap();
        let (found, baseline) = (rules_reported(&doc), rules_reported(&sql_doc));
        for (rule, n) in &found {
            assert!(
                baseline.get(rule).is_some_and(|b| b >= n),
                "{kind}: reading the markdown back reports {n} × {rule}, its DDL {:?}:\n{markdown}",
                baseline.get(rule)
            );
        }

        let o = schemadoc(&["drift", doc.to_str().unwrap(), "--db", &db.url]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{kind}: the markdown drifts from its database:\n{}\n{markdown}",
            String::from_utf8_lossy(&o.stdout)
        );

        let pages = dir.join("pages");
        let o = schemadoc(&["doc", "--db", &db.url, "-o", pages.to_str().unwrap()]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        for page in std::fs::read_dir(&pages).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
            let text = String::from_utf8_lossy(&std::fs::read(&page).unwrap()).into_owned();
            for part in private_parts(&db.url) {
                assert!(!text.contains(&part), "{kind}: {page:?} names `{part}`");
            }
        }
        assert!(std::fs::read_to_string(pages.join("posts.md")).unwrap().contains("member_id"));
        // The folder (index and pages) reads back like the markdown does.
        for (rule, n) in &rules_reported(&pages) {
            assert!(
                baseline.get(rule).is_some_and(|b| b >= n),
                "{kind}: reading the pages back reports {n} × {rule}, its DDL {:?}",
                baseline.get(rule)
            );
        }
        let o = schemadoc(&["drift", pages.to_str().unwrap(), "--db", &db.url]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{kind}: the pages drift from their database:\n{}",
            String::from_utf8_lossy(&o.stdout)
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
