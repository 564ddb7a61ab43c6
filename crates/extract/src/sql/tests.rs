//! Tests of the SQL front-end over inline markdown fixtures.

use super::*;
use crate::frontend::PatchOp;
use crate::scan::scan;
use model::{DefaultValue, Identity, ReferentialAction, RoutineKind, Severity, Table, TypeKind};

fn run(md: &str) -> Partial {
    run_with(md, &BTreeSet::new())
}

fn run_with(md: &str, known: &BTreeSet<String>) -> Partial {
    let doc = scan("t.md".into(), md);
    extract(&[doc], None, known)
}

fn table<'a>(p: &'a Partial, name: &str) -> &'a Table {
    p.schema.table(name).unwrap_or_else(|| panic!("no table {name}: {:?}", p.schema.tables))
}

fn diags<'a>(p: &'a Partial, rule: &str) -> Vec<&'a Diagnostic> {
    p.diagnostics.iter().filter(|d| d.rule == rule).collect()
}

fn errors(p: &Partial) -> Vec<&Diagnostic> {
    p.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect()
}

#[test]
fn sqlite_tables_keys_and_foreign_keys() {
    let md = "# DB\n\n```sql\nCREATE TABLE IF NOT EXISTS runs (\n  run_id TEXT PRIMARY KEY,\n  created_at TEXT NOT NULL DEFAULT (datetime('now'))\n);\n\nCREATE TABLE media (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  run_id TEXT NOT NULL,\n  note TEXT,\n  FOREIGN KEY(run_id) REFERENCES runs(run_id) ON DELETE CASCADE\n);\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let runs = table(&p, "runs");
    assert_eq!(runs.origin.line, 4);
    assert_eq!(runs.primary_key.as_ref().map(|k| k.columns.clone()), Some(vec!["run_id".to_string()]));
    let created = runs.column("created_at").unwrap();
    assert!(!created.nullable);
    assert_eq!(created.default, Some(DefaultValue::CurrentTimestamp));
    assert_eq!((created.origin.line, created.origin.column), (6, 3));
    let media = table(&p, "media");
    assert_eq!(media.column("id").unwrap().identity, Some(Identity::AutoIncrement));
    assert!(media.column("note").unwrap().nullable);
    let fk = &media.foreign_keys[0];
    assert_eq!((fk.ref_table.as_str(), fk.ref_columns.clone()), ("runs", vec!["run_id".to_string()]));
    assert_eq!(fk.on_delete, Some(ReferentialAction::Cascade));
    assert_eq!(fk.origin.line, 13);
}

#[test]
fn postgres_types_defaults_checks_and_identities() {
    let md = "```sql\nCREATE TABLE public.mapping (\n  id BIGSERIAL PRIMARY KEY,\n  seq INT GENERATED ALWAYS AS IDENTITY,\n  uid UUID DEFAULT gen_random_uuid(),\n  tags TEXT[] DEFAULT '{}',\n  cfg JSONB NOT NULL DEFAULT '[]'::jsonb,\n  at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),\n  status VARCHAR(50) DEFAULT 'draft'\n    CHECK (status IN ('draft', 'active')),\n  price DECIMAL(10, 2) CHECK (price >= 0),\n  CONSTRAINT price_cap CHECK (price < 1000 AND seq > 0)\n);\n```\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = table(&p, "mapping");
    assert_eq!(t.namespace, None, "`public` is the default schema: `public.mapping` is `mapping`");
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::Serial));
    assert_eq!(t.column("seq").unwrap().identity, Some(Identity::Always));
    assert_eq!(t.column("uid").unwrap().default, Some(DefaultValue::GeneratedUuid));
    let tags = t.column("tags").unwrap();
    assert_eq!(tags.ty.kind, TypeKind::Array { of: Box::new(TypeKind::Text) });
    assert_eq!(tags.ty.spelling, "TEXT[]");
    assert_eq!(tags.default, Some(DefaultValue::String("{}".into())));
    assert_eq!(t.column("cfg").unwrap().default, Some(DefaultValue::String("[]".into())));
    assert_eq!(t.column("at").unwrap().ty.spelling, "TIMESTAMP WITH TIME ZONE");
    assert_eq!(t.column("price").unwrap().ty.spelling, "DECIMAL(10, 2)");
    assert_eq!(t.checks.len(), 3);
    assert_eq!(t.checks[0].expr, "status IN ('draft', 'active')");
    assert_eq!(t.checks[0].columns, ["status"]);
    assert_eq!(t.checks[0].origin.line, 10);
    assert_eq!(t.checks[2].name.as_deref(), Some("price_cap"));
    assert_eq!(t.checks[2].columns, ["price", "seq"]);
}

#[test]
fn mysql_columns_comments_and_inline_indexes() {
    let md = "```mysql\nCREATE TABLE `orders` (\n  `id` INT UNSIGNED NOT NULL AUTO_INCREMENT,\n  `state` ENUM('new','paid') NOT NULL DEFAULT 'new' COMMENT '주문 상태',\n  `updated_at` DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n  PRIMARY KEY (`id`),\n  KEY `idx_state` (`state`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='주문';\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let t = table(&p, "orders");
    assert_eq!(t.comment.as_deref(), Some("주문"));
    let id = t.column("id").unwrap();
    assert_eq!(id.identity, Some(Identity::AutoIncrement));
    assert_eq!(id.ty.spelling, "INT UNSIGNED");
    let state = t.column("state").unwrap();
    assert_eq!(state.comment.as_deref(), Some("주문 상태"));
    assert_eq!(state.ty.spelling, "ENUM('new','paid')");
    assert_eq!(t.column("updated_at").unwrap().on_update.as_deref(), Some("CURRENT_TIMESTAMP"));
    assert_eq!(p.schema.indexes.len(), 1);
    assert_eq!(p.schema.indexes[0].table, "orders");
    assert_eq!(p.schema.indexes[0].leading_columns(), ["state"]);
}

#[test]
fn trailing_comments_become_column_comments() {
    let md = "```sql\nCREATE TABLE messages (\n    id UUID PRIMARY KEY,\n    role VARCHAR(20) NOT NULL,  -- 'user' | 'assistant'\n    template_id UUID,  -- kakao_templates 참조 (FK 제약 없음)\n    profile JSONB NOT NULL,\n    /*\n    { \"a\": 1 }\n    */\n\n    -- 메타데이터\n    created_at TIMESTAMP  -- 생성 시각\n);\n```\n";
    let p = run(md);
    let t = table(&p, "messages");
    assert_eq!(t.column("role").unwrap().comment.as_deref(), Some("'user' | 'assistant'"));
    assert_eq!(t.column("template_id").unwrap().comment.as_deref(), Some("kakao_templates 참조 (FK 제약 없음)"));
    assert_eq!(t.column("profile").unwrap().comment.as_deref(), Some("{ \"a\": 1 }"));
    assert_eq!(t.column("created_at").unwrap().comment.as_deref(), Some("생성 시각"));
    assert_eq!(t.column("id").unwrap().comment, None);
}

#[test]
fn crlf_documents_keep_positions() {
    let md = "# 제목\r\n\r\n```sql\r\nCREATE TABLE t (\r\n  a INT,\r\n  b TEXT -- 설명\r\n);\r\n```\r\n";
    let p = run(md);
    let t = table(&p, "t");
    let b = t.column("b").unwrap();
    assert_eq!((b.origin.line, b.origin.column), (6, 3));
    assert_eq!(b.comment.as_deref(), Some("설명"));
}

#[test]
fn plpgsql_bodies_and_triggers_are_kept_whole() {
    let md = "```sql\nCREATE OR REPLACE FUNCTION bump()\nRETURNS TRIGGER AS $$\nBEGIN\n  UPDATE personas SET n = n + 1 WHERE id = NEW.persona_id;\n  RETURN NEW;\nEND;\n$$ language 'plpgsql';\n\nCREATE TRIGGER bump_on_message\n  AFTER INSERT ON chat_messages\n  FOR EACH ROW\n  EXECUTE FUNCTION bump();\n\nCREATE TABLE after_all (id INT);\n```\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = &p.schema.routines[0];
    assert_eq!((f.kind, f.name.as_str(), f.language.as_deref()), (RoutineKind::Function, "bump", Some("plpgsql")));
    assert_eq!(f.tables, ["personas"]);
    assert!(f.sql.contains("RETURN NEW;") && f.sql.ends_with("language 'plpgsql'"));
    let t = &p.schema.routines[1];
    assert_eq!(t.kind, RoutineKind::Trigger);
    assert_eq!(t.table.as_deref(), Some("chat_messages"));
    assert_eq!(t.function.as_deref(), Some("bump"));
    assert_eq!(t.origin.line, 10);
    assert!(p.schema.table("after_all").is_some());
}

#[test]
fn sqlite_trigger_bodies_are_one_statement() {
    let md = "```sqlite\nCREATE TRIGGER touch AFTER UPDATE ON notes\nBEGIN\n  UPDATE notes SET updated_at = datetime('now') WHERE id = NEW.id;\n  INSERT INTO audit (note_id) VALUES (NEW.id);\nEND;\nCREATE TABLE notes (id INTEGER PRIMARY KEY);\n```\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = &p.schema.routines[0];
    assert_eq!(t.table.as_deref(), Some("notes"));
    assert_eq!(t.tables, ["notes", "audit"]);
    assert_eq!(p.schema.tables.len(), 1);
}

#[test]
fn a_broken_statement_does_not_hide_its_neighbours() {
    let md = "```sql\nCREATE TABLE a (id INT);\nCREATE TABLE b (id INT, name TEXT NOT NOT NULL, ok TEXT);\nCREATE TABLE c (id INT);\nCREATE TABEL d (id INT);\n```\n";
    let p = run(md);
    assert!(p.schema.table("a").is_some() && p.schema.table("c").is_some());
    // The table with one bad column keeps its good columns.
    let b = table(&p, "b");
    assert_eq!(b.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "ok"]);
    let errs = diags(&p, "syntax-error");
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert_eq!((errs[0].span.line, errs[0].span.column, errs[0].span.len), (3, 35, 3));
    assert!(errs[0].message.contains("found: NOT"), "{}", errs[0].message);
    assert_eq!((errs[1].span.line, errs[1].span.column, errs[1].span.len), (5, 8, 5));
    assert!(errs[1].message.contains("TABEL"), "{}", errs[1].message);
}

#[test]
fn forward_references_and_alter_before_create() {
    let md = "```sql\nCREATE INDEX idx_b_a ON b (a_id);\nALTER TABLE b ADD COLUMN extra TEXT;\nCREATE TABLE a (id INT PRIMARY KEY, b_id INT REFERENCES b(id));\nCREATE TABLE b (id INT PRIMARY KEY, a_id INT REFERENCES a(id));\n```\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.altered_only.is_empty());
    let b = table(&p, "b");
    assert_eq!(b.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "a_id", "extra"]);
    assert_eq!(b.origin.line, 5);
    assert_eq!(p.schema.indexes[0].table, "b");
}

#[test]
fn alter_add_column_if_not_exists_semantics() {
    let md = "```sql\nCREATE TABLE jobs (id INT PRIMARY KEY, job_type VARCHAR(20) NOT NULL);\n\nALTER TABLE jobs\n  ADD COLUMN IF NOT EXISTS job_type VARCHAR(20) NOT NULL DEFAULT '3d',\n  ADD COLUMN IF NOT EXISTS id INT NOT NULL,\n  ADD COLUMN progress INTEGER DEFAULT 0;\nALTER TABLE jobs ADD COLUMN progress INT;\n```\n";
    let p = run(md);
    let t = table(&p, "jobs");
    assert_eq!(t.columns.len(), 3);
    assert_eq!(t.column("job_type").unwrap().default, None, "IF NOT EXISTS must not change the column");
    let info = diags(&p, "redundant-add-column");
    assert_eq!(info.len(), 1, "{:?}", p.diagnostics);
    assert_eq!((info[0].span.line, info[0].span.column, info[0].span.len), (5, 28, 8));
    assert!(info[0].message.contains("DEFAULT '3d'") && info[0].message.contains("line 2"), "{}", info[0].message);
    assert_eq!(info[0].related[0].span.line, 2);
    let dup = diags(&p, "duplicate-column");
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].span.line, dup[0].span.column, dup[0].span.len), (8, 29, 8));
}

#[test]
fn alter_on_tables_defined_elsewhere_is_recorded_as_altered_only() {
    let md = "```sql\n-- 기존 테이블이 있다면\nALTER TABLE users\n  ADD COLUMN IF NOT EXISTS picture VARCHAR(255),\n  ADD COLUMN is_active BOOLEAN DEFAULT TRUE;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n```\n";
    let p = run(md);
    assert!(p.altered_only.contains("users"));
    assert!(p.if_not_exists.contains(&("users".to_string(), "picture".to_string())));
    assert!(!p.if_not_exists.contains(&("users".to_string(), "is_active".to_string())));
    let t = table(&p, "users");
    assert_eq!(t.columns.len(), 2);
    assert_eq!(t.column("is_active").unwrap().default, Some(DefaultValue::Bool(true)));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.patches.len(), 1);
    assert_eq!(p.patches[0].op, PatchOp::SetNotNull { column: "email".into(), not_null: true });
    assert_eq!((p.patches[0].span.line, p.patches[0].span.column, p.patches[0].span.len), (6, 32, 5));
}

#[test]
fn changes_to_tables_defined_elsewhere_become_patches_in_document_order() {
    let md = "# 마이그레이션\n\n```sql\nCREATE TYPE mood AS ENUM ('happy', 'sad');\nALTER TABLE users\n  ALTER COLUMN nickname SET NOT NULL,\n  ALTER COLUMN nickname SET DEFAULT 'guest',\n  ALTER COLUMN bio DROP DEFAULT,\n  ALTER COLUMN state TYPE mood;\nALTER TABLE users DROP COLUMN IF EXISTS legacy, DROP COLUMN old;\nALTER TABLE users RENAME COLUMN email TO mail;\nCOMMENT ON COLUMN users.mail IS '메일 주소';\nALTER TABLE users DROP CONSTRAINT IF EXISTS users_mail_key;\nALTER TABLE users ALTER COLUMN id TYPE BIGSERIAL;\nALTER TABLE users MODIFY COLUMN bio VARCHAR(500) NOT NULL;\nALTER TABLE users DROP PRIMARY KEY;\n```\n";
    let known: BTreeSet<String> = ["users".to_string()].into();
    let p = run_with(md, &known);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.altered_only.contains("users"));
    assert!(table(&p, "users").columns.is_empty());
    let ops: Vec<&PatchOp> = p.patches.iter().map(|x| &x.op).collect();
    assert_eq!(ops.len(), 13, "{ops:#?}");
    assert_eq!(ops[0], &PatchOp::SetNotNull { column: "nickname".into(), not_null: true });
    let guest = DefaultValue::String("guest".into());
    assert_eq!(ops[1], &PatchOp::SetDefault { column: "nickname".into(), default: Some(guest) });
    assert_eq!(ops[2], &PatchOp::SetDefault { column: "bio".into(), default: None });
    assert!(matches!(ops[3], PatchOp::SetType { column, ty } if column == "state"
        && ty.kind == TypeKind::Enum { name: "mood".into() }));
    assert_eq!(ops[4], &PatchOp::Drop { column: "legacy".into() });
    assert!(p.patches[4].if_exists && !p.patches[5].if_exists);
    assert_eq!(ops[5], &PatchOp::Drop { column: "old".into() });
    assert_eq!(ops[6], &PatchOp::Rename { column: "email".into(), to: "mail".into() });
    assert_eq!(ops[7], &PatchOp::Comment { column: "mail".into(), comment: Some("메일 주소".into()) });
    assert_eq!(ops[8], &PatchOp::DropConstraint { name: "users_mail_key".into() });
    assert!(p.patches[8].if_exists);
    assert!(matches!(ops[9], PatchOp::SetType { column, ty } if column == "id" && ty.spelling == "BIGSERIAL"));
    assert_eq!(ops[10], &PatchOp::SetIdentity { column: "id".into(), identity: Identity::Serial });
    assert!(matches!(ops[11], PatchOp::Redefine { column, with } if column == "bio" && !with.nullable
        && with.ty.kind == TypeKind::Varchar { len: Some(500) } && with.origin.line == 15));
    assert_eq!(ops[12], &PatchOp::DropPrimaryKey);
    // Each change is reported at the name it is about, on the statement's line.
    let at: Vec<(u32, u32)> = p.patches.iter().map(|x| (x.span.line, x.span.column)).collect();
    assert_eq!(&at[..9], [(6, 16), (7, 16), (8, 16), (9, 16), (10, 41), (10, 61), (11, 33), (12, 25), (13, 45)]);
    assert!(p.patches.iter().all(|x| x.table == "users"));
}

#[test]
fn columns_the_sql_adds_are_altered_in_place_and_if_not_exists_ones_by_patch() {
    let md = "```sql\nALTER TABLE users ADD COLUMN score INT, ADD COLUMN IF NOT EXISTS picture TEXT;\nALTER TABLE users ALTER COLUMN score SET NOT NULL, ALTER COLUMN picture SET NOT NULL;\nALTER TABLE users ADD CONSTRAINT score_positive CHECK (score > 0);\nALTER TABLE users DROP CONSTRAINT score_positive, DROP CONSTRAINT users_email_key;\nALTER TABLE users RENAME COLUMN score TO points;\nALTER TABLE users DROP COLUMN IF EXISTS picture;\n```\n";
    let known: BTreeSet<String> = ["users".to_string()].into();
    let p = run_with(md, &known);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = table(&p, "users");
    let points = t.column("points").unwrap();
    assert!(!points.nullable);
    assert!(t.checks.is_empty());
    assert!(t.column("picture").unwrap().nullable, "the addition is a no-op where the column exists");
    let ops: Vec<&PatchOp> = p.patches.iter().map(|x| &x.op).collect();
    assert_eq!(
        ops,
        [
            &PatchOp::SetNotNull { column: "picture".into(), not_null: true },
            &PatchOp::DropConstraint { name: "users_email_key".into() },
            &PatchOp::Drop { column: "picture".into() },
        ]
    );
}

#[test]
fn changes_written_before_the_create_table_are_not_applied() {
    let md = "```sql\nALTER TABLE posts ALTER COLUMN title SET NOT NULL;\nCOMMENT ON COLUMN posts.body IS '본문';\n\nCREATE TABLE posts (id INT PRIMARY KEY, title TEXT, body TEXT);\n```\n";
    let p = run(md);
    assert!(p.patches.is_empty(), "{:?}", p.patches);
    assert!(p.altered_only.is_empty());
    let early = diags(&p, "alter-not-recorded");
    assert_eq!(early.len(), 2, "{:?}", p.diagnostics);
    assert_eq!((early[0].span.line, early[0].span.column), (2, 32));
    assert!(early[0].message.contains("line 5"), "{}", early[0].message);
    assert_eq!(early[0].related[0].span.line, 5);
    assert_eq!((early[1].span.line, early[1].span.column), (3, 25));
    let t = table(&p, "posts");
    assert!(t.column("title").unwrap().nullable);
    assert_eq!(t.column("body").unwrap().comment, None);
}

#[test]
fn unknown_columns_of_tables_the_sql_creates_are_errors() {
    let md = "```sql\nCREATE TABLE posts (id INT PRIMARY KEY, title TEXT);\nALTER TABLE posts ALTER COLUMN titel SET NOT NULL;\nALTER TABLE posts RENAME COLUMN body TO content;\nALTER TABLE posts DROP COLUMN IF EXISTS body;\nALTER TABLE posts DROP CONSTRAINT IF EXISTS posts_body_key;\n```\n";
    let p = run(md);
    assert!(p.patches.is_empty());
    let unknown = diags(&p, "alter-unknown-column");
    assert_eq!(unknown.len(), 2, "{:?}", p.diagnostics);
    assert_eq!((unknown[0].span.line, unknown[0].span.column, unknown[0].span.len), (3, 32, 5));
    assert_eq!(unknown[0].related[0].span.line, 2);
    assert_eq!(unknown[1].span.line, 4);
    assert_eq!(p.diagnostics.len(), 2);
}

#[test]
fn alter_column_rename_and_drop() {
    let md = "```sql\nCREATE TABLE t (a INT, b TEXT, c TEXT, CONSTRAINT t_c_key UNIQUE (c));\nCREATE INDEX idx_t_b ON t (b);\nALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN a SET DEFAULT 5, ALTER COLUMN b TYPE VARCHAR(10);\nALTER TABLE t RENAME COLUMN b TO bee;\nALTER TABLE t DROP CONSTRAINT t_c_key;\nALTER TABLE t ADD UNIQUE (a);\nALTER TABLE t DROP CONSTRAINT t_a_key;\nALTER TABLE t DROP COLUMN c;\nALTER TABLE t DROP COLUMN nope;\nALTER TABLE t RENAME TO tee;\n```\n";
    let p = run(md);
    let t = table(&p, "tee");
    let a = t.column("a").unwrap();
    assert!(!a.nullable);
    assert_eq!(a.default, Some(DefaultValue::Number("5".into())));
    let bee = t.column("bee").unwrap();
    assert_eq!(bee.ty.spelling, "VARCHAR(10)");
    assert!(t.column("c").is_none() && t.uniques.is_empty());
    assert_eq!(p.schema.indexes[0].table, "tee");
    assert_eq!(p.schema.indexes[0].leading_columns(), ["bee"]);
    let unknown = diags(&p, "alter-unknown-column");
    assert_eq!(unknown.len(), 1);
    assert_eq!((unknown[0].span.line, unknown[0].span.column, unknown[0].span.len), (10, 27, 4));
}

#[test]
fn constraints_added_twice_are_rejected() {
    let md = "```sql\nCREATE TABLE personas (\n  user_id INT,\n  persona_type TEXT,\n  custom_keywords TEXT[],\n  CONSTRAINT one_per_user UNIQUE (user_id, persona_type)\n);\n```\n\n```sql\nALTER TABLE personas\n  ADD CONSTRAINT one_per_user\n  UNIQUE (user_id, persona_type);\n\nALTER TABLE personas\n  ADD CONSTRAINT check_keywords_count\n  CHECK (array_length(keywords, 1) <= 10);\nALTER TABLE personas ADD UNIQUE (user_id, persona_type);\n```\n";
    let p = run(md);
    let dup = diags(&p, "duplicate-constraint");
    assert_eq!(dup.len(), 2, "{dup:?}");
    assert_eq!(dup[0].severity, Severity::Error);
    assert_eq!((dup[0].span.line, dup[0].span.column, dup[0].span.len), (11, 1, 5));
    assert_eq!(dup[0].related[0].span.line, 6);
    assert!(dup[0].message.contains("one_per_user"));
    assert_eq!(dup[1].severity, Severity::Warning);
    let t = table(&p, "personas");
    assert_eq!(t.uniques.len(), 1);
    let check = t.checks.iter().find(|c| c.name.as_deref() == Some("check_keywords_count")).unwrap();
    assert_eq!(check.columns, ["keywords"]);
    assert_eq!(check.origin.line, 15);
}

#[test]
fn duplicate_tables_columns_and_primary_keys() {
    let md = "```sql\nCREATE TABLE t (a INT PRIMARY KEY, a TEXT, b INT, PRIMARY KEY (b));\nCREATE TABLE t (x INT);\nCREATE TABLE IF NOT EXISTS t (y INT);\n```\n";
    let p = run(md);
    assert_eq!(diags(&p, "duplicate-column").len(), 1);
    assert_eq!(diags(&p, "multiple-primary-keys").len(), 1);
    let dup = diags(&p, "duplicate-table");
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].span.line, dup[0].span.column), (3, 14));
    assert_eq!(table(&p, "t").columns.len(), 2);
}

#[test]
fn indexes_of_every_shape() {
    let md = "```sql\nCREATE INDEX idx_w_next ON workflows(next_run_at) WHERE status = 'active';\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_u ON users (lower(email));\nCREATE INDEX idx_c ON chat (user_id, created_at DESC) INCLUDE (content);\nCREATE INDEX idx_e ON chat USING ivfflat (embedding vector_cosine_ops);\nCREATE INDEX idx_g ON exp USING GIN(archetypes);\nCREATE INDEX idx_admin ON admin_characters USING GIN(to_tsvector('english', name));\nCREATE INDEX IF NOT EXISTS idx_u ON users (email);\nCREATE INDEX idx_c ON chat (x);\n```\n";
    let p = run(md);
    let ix = &p.schema.indexes;
    assert_eq!(ix.len(), 6);
    assert_eq!(ix[0].predicate.as_deref(), Some("status = 'active'"));
    assert!(ix[1].unique);
    assert_eq!(ix[1].parts[0].expr.as_deref(), Some("lower(email)"));
    assert!(ix[2].parts[1].descending);
    assert_eq!(ix[2].include, ["content"]);
    assert_eq!(ix[3].method.as_deref(), Some("ivfflat"));
    assert_eq!(ix[3].parts[0].opclass.as_deref(), Some("vector_cosine_ops"));
    assert_eq!(ix[4].method.as_deref(), Some("gin"));
    assert_eq!(ix[5].table, "admin_characters");
    let dup = diags(&p, "duplicate-object");
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].span.line, dup[0].span.column, dup[0].span.len), (9, 14, 5));
}

#[test]
fn drops_remove_objects_and_unknown_ones_are_reported() {
    let md = "```sql\nCREATE TABLE a (id INT);\nCREATE INDEX idx_a ON a (id);\nDROP TABLE IF EXISTS ghost;\nDROP TABLE a;\nDROP INDEX idx_missing;\nDROP TABLE users;\n```\n";
    let known: BTreeSet<String> = ["users".to_string()].into();
    let p = run_with(md, &known);
    assert!(p.schema.tables.is_empty());
    assert!(p.schema.indexes.is_empty());
    // An index the SQL never created may be one another notation declares: the merge decides.
    let d = diags(&p, "drop-unknown");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].severity, Severity::Info);
    assert_eq!(p.patches.len(), 1, "{:?}", p.patches);
    let drop = &p.patches[0];
    assert_eq!((drop.table.as_str(), &drop.op), ("", &PatchOp::DropIndex { name: "idx_missing".into() }));
    assert!(!drop.if_exists);
    assert_eq!((drop.span.line, drop.span.column, drop.span.len), (6, 12, 11));
}

#[test]
fn renames_index_drops_and_if_exists_of_tables_other_notations_define() {
    let md = "```sql\nALTER TABLE users ADD COLUMN bio TEXT;\nALTER TABLE users RENAME TO members;\nALTER TABLE members ALTER COLUMN nickname SET NOT NULL;\nDROP INDEX IF EXISTS idx_users_email;\nALTER TABLE members DROP INDEX uq_nick;\nDROP INDEX idx_x ON members;\nALTER TABLE IF EXISTS ghosts ADD COLUMN a INT, DROP COLUMN b;\nALTER TABLE IF EXISTS members DROP COLUMN c;\nCREATE TABLE t (a INT, b INT, UNIQUE (a), CONSTRAINT t_b UNIQUE (b));\nCREATE INDEX idx_t ON t (a);\nALTER TABLE t DROP INDEX idx_t, DROP INDEX a, DROP INDEX t_b;\nALTER TABLE t RENAME TO tee;\n```\n";
    let known: BTreeSet<String> = ["users".to_string()].into();
    let p = run_with(md, &known);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let got: Vec<(&str, &PatchOp, bool, bool)> =
        p.patches.iter().map(|x| (x.table.as_str(), &x.op, x.if_exists, x.table_if_exists)).collect();
    assert_eq!(
        got,
        [
            ("users", &PatchOp::RenameTable { to: "members".into() }, false, false),
            ("members", &PatchOp::SetNotNull { column: "nickname".into(), not_null: true }, false, false),
            ("", &PatchOp::DropIndex { name: "idx_users_email".into() }, true, false),
            ("members", &PatchOp::DropIndex { name: "uq_nick".into() }, false, false),
            ("members", &PatchOp::DropIndex { name: "idx_x".into() }, false, false),
            ("ghosts", &PatchOp::Drop { column: "b".into() }, false, true),
            ("members", &PatchOp::Drop { column: "c".into() }, false, true),
        ]
    );
    // The rename is reported at the new name.
    assert_eq!((p.patches[0].span.line, p.patches[0].span.column, p.patches[0].span.len), (3, 29, 7));
    // The entry of the altered table follows the rename; only IF EXISTS statements name `ghosts`.
    assert!(p.altered_only.contains("members") && !p.altered_only.contains("users"));
    assert_eq!(p.if_exists_tables, ["ghosts".to_string()].into());
    // The SQL's own table: its indexes and the unique keys MySQL knows by index names go here.
    let t = table(&p, "tee");
    assert!(t.uniques.is_empty(), "{:?}", t.uniques);
    assert!(p.schema.indexes.is_empty(), "{:?}", p.schema.indexes);
}

#[test]
fn an_if_exists_alter_then_a_plain_one_is_not_if_exists_only() {
    let md = "```sql\nALTER TABLE IF EXISTS ghosts ADD COLUMN a INT;\nALTER TABLE ghosts ADD COLUMN b INT;\nALTER TABLE IF EXISTS spooks ADD COLUMN a INT;\nALTER TABLE spooks RENAME TO haunts;\n```\n";
    let p = run(md);
    assert!(p.if_exists_tables.is_empty(), "{:?}", p.if_exists_tables);
}

#[test]
fn types_extensions_views_and_comments() {
    let md = "```sql\nCREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";\nCREATE TYPE mood AS ENUM ('happy', 'sad');\nCREATE TABLE person (id INT, current_mood mood);\nCREATE VIEW happy_people AS SELECT p.id FROM person p JOIN extra e ON e.id = p.id WHERE current_mood = 'happy';\nCOMMENT ON TABLE person IS '사람';\nCOMMENT ON COLUMN person.id IS 'identifier';\n```\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.schema.has_extension("uuid-ossp"));
    assert_eq!(p.schema.enums[0].values, ["happy", "sad"]);
    let t = table(&p, "person");
    assert_eq!(t.column("current_mood").unwrap().ty.kind, TypeKind::Enum { name: "mood".into() });
    assert_eq!(t.comment.as_deref(), Some("사람"));
    assert_eq!(t.column("id").unwrap().comment.as_deref(), Some("identifier"));
    assert_eq!(p.schema.views[0].tables, ["person", "extra"]);
    assert!(!p.schema.views[0].materialized);
}

#[test]
fn data_statements_and_pragmas_are_kept_apart() {
    let md = "```sql\nALTER TABLE workflows ADD COLUMN IF NOT EXISTS mapping_config JSONB DEFAULT '{}';\n\n-- 2. 기존 target_config에서 매핑 정보 분리\nUPDATE workflows\nSET mapping_config = target_config->'m',\n    target_config = target_config - 'm'\nWHERE target_config ? 'm';\nBEGIN;\nSET search_path = public;\nCOMMIT;\n```\n\n```sql\nPRAGMA journal_mode = WAL;\nPRAGMA cache_size = -64000;  -- 64MB\nPRAGMA foreign_keys;\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.schema.data_statements.len(), 1);
    assert_eq!(p.schema.data_statements[0].origin.line, 5);
    assert_eq!(diags(&p, "not-schema").len(), 2);
    let s = &p.schema.settings;
    assert_eq!(s.len(), 2);
    assert_eq!((s[0].name.as_str(), s[0].value.as_str()), ("journal_mode", "WAL"));
    assert_eq!((s[1].name.as_str(), s[1].value.as_str(), s[1].origin.line), ("cache_size", "-64000", 16));
    assert_eq!(diags(&p, "connection-setting").len(), 2);
}

#[test]
fn column_fragments_attach_to_the_table_the_heading_names() {
    let md = "```sql\nCREATE TABLE workflows (id INT, target_config JSONB DEFAULT '{}');\n```\n\n##### 3.2.1 workflows 테이블 구조 개선\n**TO-BE (개선됨):**\n```sql\n-- 단계별로 명확히 분리\ntarget_config JSONB DEFAULT '{}',    -- 2단계: 대상 선정만\nmapping_config JSONB DEFAULT '{}',   -- 3단계: 매핑 정보만\n```\n";
    let p = run(md);
    let t = table(&p, "workflows");
    assert_eq!(t.columns.len(), 3);
    let m = t.column("mapping_config").unwrap();
    assert_eq!((m.origin.line, m.origin.notation), (10, Notation::List));
    assert_eq!(m.comment.as_deref(), Some("3단계: 매핑 정보만"));
    assert!(p.altered_only.is_empty());
    let info = diags(&p, "sql-fragment");
    assert_eq!(info.len(), 1);
    assert!(info[0].message.contains("`workflows`") && info[0].message.contains("3.2.1"), "{}", info[0].message);
    assert_eq!((info[0].span.line, info[0].span.column), (9, 1));
}

#[test]
fn foreign_key_fragments_follow_their_arrow_comments() {
    let md = "## 7. 외래 키 제약\n\n```sql\n-- sessions → users\nFOREIGN KEY (user_id) REFERENCES users(id)\n\n-- job_logs -> jobs (CASCADE DELETE)\nFOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE\n\n-- task_logs â†’ tasks\nFOREIGN KEY (task_id) REFERENCES tasks(id) ON DELETE CASCADE\n```\n";
    let known: BTreeSet<String> =
        ["sessions", "users", "job_logs", "jobs", "task_logs", "tasks"].iter().map(|s| s.to_string()).collect();
    let p = run_with(md, &known);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let logs = table(&p, "job_logs");
    assert_eq!(logs.foreign_keys[0].on_delete, Some(ReferentialAction::Cascade));
    assert_eq!((logs.foreign_keys[0].origin.line, logs.foreign_keys[0].origin.notation), (8, Notation::List));
    assert_eq!(table(&p, "sessions").foreign_keys[0].ref_table, "users");
    assert_eq!(table(&p, "task_logs").foreign_keys[0].origin.line, 11);
    assert!(p.altered_only.contains("sessions") && p.altered_only.contains("task_logs"));
    assert_eq!(diags(&p, "sql-fragment").len(), 1);
}

#[test]
fn fragments_without_a_table_are_reported_and_not_attached() {
    let md = "## 개선사항\n\n```sql\nextra_config JSONB DEFAULT '{}',\n```\n";
    let p = run(md);
    assert!(p.schema.tables.is_empty());
    let info = diags(&p, "sql-fragment");
    assert_eq!(info.len(), 1);
    assert!(info[0].message.contains("not attached"), "{}", info[0].message);
}

#[test]
fn unlabelled_blocks_are_read_only_when_they_hold_ddl() {
    let md = "```\n-- schema\nCREATE TABLE a (id INT);\n```\n\n```\n┌──────┐\n│ box  │\n└──────┘\n```\n\n    CREATE TABLE b (id INT);\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.schema.tables.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(table(&p, "b").columns[0].origin.column, 21);
}

#[test]
fn dialects_are_detected_from_content() {
    assert_eq!(detect_flavor("id SERIAL PRIMARY KEY, data JSONB"), Some(SqlFlavor::Postgres));
    assert_eq!(detect_flavor("id INT AUTO_INCREMENT) ENGINE=InnoDB"), Some(SqlFlavor::Mysql));
    assert_eq!(
        detect_flavor("id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT DEFAULT (datetime('now'))"),
        Some(SqlFlavor::Sqlite)
    );
    assert_eq!(detect_flavor("CREATE TABLE t (a INT)"), None);
}

#[test]
fn garbage_and_truncated_input_never_panics() {
    let md = "```sql\nCREATE TABLE t (\n  id UUID PRIMARY KEY DEFAULT gen_random_uuid(), -- 설명\n  s VARCHAR(5) CHECK (s IN ('a', 'b')) REFERENCES x(id) ON DELETE SET NULL,\n  CONSTRAINT c UNIQUE (s)\n);\nCREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql;\nALTER TABLE t ADD COLUMN IF NOT EXISTS z INT, DROP CONSTRAINT c;\nPRAGMA x = 1;\n-- a → b\nFOREIGN KEY (a) REFERENCES b(id)\n```\n";
    for (i, _) in md.char_indices() {
        let _ = run(&md[..i]);
    }
    for junk in [
        "```sql\n(((\n```",
        "```sql\n'unterminated\n```",
        "```sql\n$$\n```",
        "```sql\n;;;\n```",
        "```sql\nCREATE\n```",
        "```sql\nALTER TABLE\n```",
        "```sql\nDROP\n```",
        "```sql\n\"\n```",
    ] {
        let _ = run(junk);
    }
}

#[test]
fn many_tables_are_read_in_one_pass() {
    let mut sql = String::from("```sql\n");
    for t in 0..300 {
        sql.push_str(&format!("CREATE TABLE t{t} (\n"));
        for c in 0..15 {
            sql.push_str(&format!("  c{c} VARCHAR(20) NOT NULL DEFAULT 'x', -- 설명 {c}\n"));
        }
        sql.push_str(&format!("  id INT PRIMARY KEY REFERENCES t{}(id)\n);\n", t / 2));
    }
    sql.push_str("```\n");
    let p = run(&sql);
    assert!(p.diagnostics.is_empty());
    assert_eq!(p.schema.tables.len(), 300);
    let last = table(&p, "t299");
    assert_eq!(last.columns.len(), 16);
    assert_eq!(last.columns[15].origin.line, 2 + 299 * 18 + 16);
}
#[test]
fn fragments_attach_to_the_table_named_in_the_prose_before_them() {
    let md = "`users` 테이블에 다음 제약을 추가합니다:\n\n```sql\nnickname VARCHAR(30) NOT NULL,\nUNIQUE (nickname),\nCHECK (char_length(nickname) > 1)\n```\n";
    let known: BTreeSet<String> = ["users".to_string()].into();
    let p = run_with(md, &known);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let t = table(&p, "users");
    assert_eq!(t.columns.len(), 1);
    assert_eq!(t.uniques[0].columns, ["nickname"]);
    assert_eq!(t.checks[0].columns, ["nickname"]);
    assert!(p.altered_only.contains("users"));
    assert!(p.if_not_exists.contains(&("users".to_string(), "nickname".to_string())));
    let info = diags(&p, "sql-fragment");
    assert!(
        info[0].message.starts_with("fragment attached to `users` (from the text before the block"),
        "{}",
        info[0].message
    );
}

#[test]
fn documents_are_read_in_order_and_the_forced_dialect_wins() {
    let a =
        scan("a.md".into(), "```postgresql\nCREATE TABLE notes (id INT, body VARCHAR(10) DEFAULT 'it\\'s');\n```\n");
    let b = scan("b.md".into(), "```sql\nALTER TABLE notes ADD COLUMN extra TEXT;\nCREATE MATERIALIZED VIEW v AS SELECT id FROM notes;\nCREATE PROCEDURE p() LANGUAGE SQL AS $$ DELETE FROM notes $$;\n```\n");
    let p = extract(&[a, b], Some(SqlFlavor::Mysql), &BTreeSet::new());
    let t = table(&p, "notes");
    assert_eq!(t.columns.len(), 3);
    assert_eq!(&*t.columns[2].origin.file, "b.md");
    assert!(p.schema.views[0].materialized);
    assert_eq!(p.schema.views[0].tables, ["notes"]);
    let proc = &p.schema.routines[0];
    assert_eq!((proc.kind, proc.tables.clone()), (RoutineKind::Procedure, vec!["notes".to_string()]));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn arbitrary_sql_never_panics(body in "[a-zA-Z_ (),;'\"`$\\-*/\n→가0-9.:=]{0,160}") {
        let _ = run(&format!("```sql\n{body}\n```\n"));
        let _ = run(&format!("```sql\nCREATE TABLE t (\n{body}\n);\nCREATE FUNCTION f() AS $x${body}\n```\n"));
    }
}

#[test]
fn generated_columns_keep_their_expression_in_three_dialects() {
    let md = "```sql\nCREATE TABLE items (\n  id BIGSERIAL PRIMARY KEY,\n  price NUMERIC(10, 2) NOT NULL,\n  price_with_tax NUMERIC GENERATED ALWAYS AS (price * 1.1) STORED\n);\n```\n\n```sql\nCREATE TABLE orders (\n  id INT AUTO_INCREMENT PRIMARY KEY,\n  qty INT NOT NULL,\n  unit DECIMAL(10,2),\n  total DECIMAL(12,2) AS (qty * unit) STORED,\n  label VARCHAR(40) AS (CONCAT('#', id)) VIRTUAL,\n  doubled INT GENERATED ALWAYS AS (qty * 2)\n) ENGINE=InnoDB;\n```\n\n```sql\nCREATE TABLE people (\n  id INTEGER PRIMARY KEY,\n  first TEXT,\n  last TEXT,\n  full_name TEXT GENERATED ALWAYS AS (first || ' ' || last) VIRTUAL,\n  initials TEXT GENERATED ALWAYS AS (substr(first, 1, 1)) STORED NOT NULL\n);\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:?}", p.diagnostics);
    let g = |t: &str, c: &str| {
        let col = table(&p, t).column(c).unwrap_or_else(|| panic!("no column {t}.{c}"));
        col.generated.as_ref().map(|g| (g.expr.clone(), g.stored))
    };
    assert_eq!(g("items", "price_with_tax"), Some(("price * 1.1".to_string(), true)));
    assert_eq!(g("items", "price"), None);
    let items = table(&p, "items");
    let pwt = items.column("price_with_tax").unwrap();
    assert_eq!(pwt.ty.kind, TypeKind::Decimal { precision: None, scale: None });
    assert_eq!(pwt.default, None);
    assert_eq!(pwt.identity, None);
    assert_eq!(g("orders", "total"), Some(("qty * unit".to_string(), true)));
    assert_eq!(g("orders", "label"), Some(("CONCAT('#', id)".to_string(), false)));
    assert_eq!(g("orders", "doubled"), Some(("qty * 2".to_string(), false)));
    assert_eq!(table(&p, "orders").column("total").unwrap().ty.spelling, "DECIMAL(12,2)");
    assert_eq!(g("people", "full_name"), Some(("first || ' ' || last".to_string(), false)));
    assert_eq!(g("people", "initials"), Some(("substr(first, 1, 1)".to_string(), true)));
    assert!(!table(&p, "people").column("initials").unwrap().nullable);
    // An identity is not a generated expression.
    let md = "```sql\nCREATE TABLE t (id INT GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\n```\n";
    let p = run(md);
    let id = table(&p, "t").column("id").unwrap();
    assert_eq!((id.identity, id.generated.clone()), (Some(Identity::Always), None));
}

#[test]
fn truncated_generated_columns_do_not_panic() {
    for md in [
        "```sql\nCREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a *\n```\n",
        "```sql\nCREATE TABLE t (a INT, b INT AS (\n```\n",
        "```sql\nCREATE TABLE t (a INT, b INT GENERATED ALWAYS AS () STORED);\n```\n",
    ] {
        let _ = run(md);
    }
}

#[test]
fn a_postgres_do_block_is_valid_code_not_a_syntax_error() {
    let md = "```sql\nDO $$ BEGIN\n  CREATE TYPE mood AS ENUM ('calm', 'stormy');\nEXCEPTION WHEN duplicate_object THEN null;\nEND $$;\n\nCREATE TABLE voyages (id INT PRIMARY KEY);\n```\n";
    let p = run(md);
    assert!(errors(&p).is_empty(), "{:#?}", p.diagnostics);
    let said = diags(&p, "statement-not-modelled");
    assert_eq!(said.len(), 1, "{:#?}", p.diagnostics);
    assert_eq!(said[0].span.line, 2);
    assert!(said[0].message.contains("DDL inside it is not read"), "{}", said[0].message);
    assert!(p.schema.table("voyages").is_some());
}

#[test]
fn a_two_word_type_in_a_cast_is_not_a_column() {
    // As PostgreSQL writes a CHECK back.
    let p = run("```sql\nCREATE TABLE m (status VARCHAR(20), CONSTRAINT m_status_check CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))), CHECK (price::double precision > 0));\n```\n");
    let t = p.schema.table("m").unwrap();
    assert_eq!(t.checks[0].columns, ["status"]);
    assert_eq!(t.checks[1].columns, ["price"]);
}
