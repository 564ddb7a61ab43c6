use super::*;
use crate::scan::scan;
use model::{DefaultValue, Identity};

fn run(texts: &[&str]) -> Partial {
    let docs: Vec<Document> = texts.iter().enumerate().map(|(i, t)| scan(format!("doc{i}.md").into(), t)).collect();
    extract(&docs)
}

fn rules(p: &Partial) -> Vec<(&'static str, u32)> {
    p.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect()
}

const BLOG: &str = "# 블로그 스키마\n\n## 사용자\n\n```prisma\n/// 회원\nmodel User {\n  id        Int      @id @default(autoincrement())\n  email     String   @unique @db.VarChar(255)\n  role      Role     @default(MEMBER)\n  tags      String[]\n  createdAt DateTime @default(now()) @map(\"created_at\")\n  updatedAt DateTime @updatedAt @map(\"updated_at\") // 수정 시각\n  posts     Post[]\n  @@map(\"users\")\n}\n\nenum Role {\n  MEMBER @map(\"member\")\n  ADMIN  @map(\"admin\")\n  @@map(\"user_role\")\n}\n```\n\n## 글\n\n```prisma\nmodel Post {\n  id        String   @id @default(uuid()) @db.Uuid\n  authorId  Int      @map(\"author_id\")\n  author    User     @relation(fields: [authorId], references: [id], onDelete: Cascade, map: \"posts_author_fk\")\n  /// 본문\n  body      String?\n  score     Decimal  @default(0.5) @db.Decimal(5, 2)\n  key       String   @default(dbgenerated(\"gen_random_uuid()\")) @db.Uuid\n  embedding Unsupported(\"vector(1536)\")?\n  labels    String[] @default([])\n  @@unique([authorId, body], map: \"posts_author_body_key\")\n  @@index([authorId, id(sort: Desc)], type: Hash)\n  @@map(\"posts\")\n}\n```\n";

#[test]
fn models_become_tables_with_mapped_names_and_positions() {
    let p = run(&[BLOG]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["users", "posts"]);
    let users = p.schema.table("users").unwrap();
    assert_eq!((users.origin.line, users.origin.column), (7, 7));
    assert_eq!(users.comment.as_deref(), Some("회원"));
    let created = users.column("created_at").unwrap();
    assert_eq!((created.origin.line, created.origin.column), (12, 3));
    assert_eq!(created.ty.kind, TypeKind::Timestamp { tz: false, precision: Some(3) });
    assert_eq!(created.ty.spelling, "DateTime");
    assert_eq!(created.default, Some(DefaultValue::CurrentTimestamp));
    assert!(!created.nullable && created.stated.nullable && created.stated.default);
    let updated = users.column("updated_at").unwrap();
    assert_eq!((updated.default.as_ref(), updated.client_default.as_deref()), (None, Some("@updatedAt")));
    assert_eq!(updated.comment.as_deref(), Some("수정 시각"));
    assert_eq!(users.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(users.uniques[0].columns, ["email"]);
    assert!(users.column("posts").is_none(), "a list relation is not a column");
}

#[test]
fn types_defaults_and_identity() {
    let p = run(&[BLOG]);
    let users = p.schema.table("users").unwrap();
    let id = users.column("id").unwrap();
    assert_eq!(
        (id.ty.kind.clone(), id.identity, id.default.clone()),
        (TypeKind::Int { bytes: 4 }, Some(Identity::Serial), None)
    );
    let email = users.column("email").unwrap();
    assert_eq!(email.ty.kind, TypeKind::Varchar { len: Some(255) });
    assert_eq!(email.ty.spelling, "String @db.VarChar(255)");
    let role = users.column("role").unwrap();
    assert_eq!(role.ty.kind, TypeKind::Enum { name: "user_role".into() });
    assert_eq!(role.default, Some(DefaultValue::String("member".into())));
    let tags = users.column("tags").unwrap();
    assert_eq!(tags.ty.kind, TypeKind::Array { of: Box::new(TypeKind::Text) });
    assert!(tags.nullable && tags.default.is_none());
    assert_eq!(p.schema.enums[0].name, "user_role");
    assert_eq!(p.schema.enums[0].values, ["member", "admin"]);

    let posts = p.schema.table("posts").unwrap();
    let id = posts.column("id").unwrap();
    assert_eq!((id.ty.kind.clone(), id.default.clone()), (TypeKind::Uuid, None));
    assert_eq!(id.client_default.as_deref(), Some("uuid()"));
    let body = posts.column("body").unwrap();
    assert!(body.nullable);
    assert_eq!(body.comment.as_deref(), Some("본문"));
    let score = posts.column("score").unwrap();
    assert_eq!(score.ty.kind, TypeKind::Decimal { precision: Some(5), scale: Some(2) });
    assert_eq!(score.default, Some(DefaultValue::Number("0.5".into())));
    assert_eq!(posts.column("key").unwrap().default, Some(DefaultValue::GeneratedUuid));
    let emb = posts.column("embedding").unwrap();
    assert_eq!(emb.ty.kind, TypeKind::Vector { dims: Some(1536) });
    assert!(emb.nullable);
    assert_eq!(posts.column("labels").unwrap().default, Some(DefaultValue::String("{}".into())));
}

#[test]
fn relations_indexes_and_uniques_use_column_names() {
    let p = run(&[BLOG]);
    let posts = p.schema.table("posts").unwrap();
    assert!(posts.column("author").is_none());
    let fk = &posts.foreign_keys[0];
    assert_eq!(fk.columns, ["author_id"]);
    assert_eq!((fk.ref_table.as_str(), fk.ref_columns.as_slice()), ("users", &["id".to_string()][..]));
    assert_eq!(
        (fk.on_delete, fk.on_update, fk.name.as_deref()),
        (Some(ReferentialAction::Cascade), Some(ReferentialAction::Cascade), Some("posts_author_fk")),
        "an action not written is Prisma's implicit one: ON UPDATE CASCADE"
    );
    assert_eq!((fk.origin.line, fk.origin.column), (31, 3));
    assert_eq!(posts.uniques[0].columns, ["author_id", "body"]);
    assert_eq!(posts.uniques[0].name.as_deref(), Some("posts_author_body_key"));
    let idx = &p.schema.indexes[0];
    assert_eq!(idx.table, "posts");
    assert_eq!(idx.leading_columns(), ["author_id", "id"]);
    assert!(!idx.parts[0].descending && idx.parts[1].descending);
    assert_eq!(idx.method.as_deref(), Some("hash"));
}

#[test]
fn the_provider_decides_the_types_even_when_declared_last() {
    let model = "```prisma\nmodel Item {\n  id   Int      @id @default(autoincrement())\n  name String\n  at   DateTime\n  data Json\n  ok   Boolean\n}\n```\n";
    let mysql = "```prisma\ndatasource db {\n  provider = \"mysql\"\n  url      = env(\"DATABASE_URL\")\n}\n```\n";
    let p = run(&[model, mysql]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.table("Item").unwrap();
    assert_eq!(t.column("name").unwrap().ty.kind, TypeKind::Varchar { len: Some(191) });
    assert_eq!(t.column("at").unwrap().ty.kind, TypeKind::Timestamp { tz: false, precision: Some(3) });
    assert_eq!(t.column("data").unwrap().ty.kind, TypeKind::Json);
    assert_eq!(t.column("ok").unwrap().ty.kind, TypeKind::Bool);
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
    let sqlite = mysql.replace("mysql", "sqlite");
    let p = run(&[model, &sqlite]);
    let t = p.schema.table("Item").unwrap();
    assert_eq!(t.column("name").unwrap().ty.kind, TypeKind::Text);
    assert_eq!(t.column("at").unwrap().ty.kind, TypeKind::Timestamp { tz: false, precision: None });
    assert_eq!(t.column("data").unwrap().ty.kind, TypeKind::Text);
}

#[test]
fn implicit_many_to_many_makes_a_join_table() {
    let p = run(&["```prisma\nmodel Post {\n  id   Int   @id\n  tags Tag[]\n}\nmodel Tag {\n  id    String @id\n  posts Post[]\n}\n```\n"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let j = p.schema.table("_PostToTag").unwrap();
    assert_eq!(
        j.columns.iter().map(|c| (c.name.as_str(), c.ty.kind.clone())).collect::<Vec<_>>(),
        [("A", TypeKind::Int { bytes: 4 }), ("B", TypeKind::Text)]
    );
    assert_eq!(j.foreign_keys[1].ref_table, "Tag");
    assert_eq!(p.schema.indexes_of("_PostToTag").count(), 1);
}

#[test]
fn problems_are_reported_where_they_are_written() {
    let p = run(&["```prisma\nmodel A {\n  id    Int @id @primary\n  b     Ghost\n  cId   Int\n  c     C   @relation(fields: [cId, id], references: [id])\n  dId   Int\n  d     C   @relation(\"d\", fields: [dID], references: [id])\n  @@index([nope])\n  @@indexes([id])\n}\nmodel C {\n  id Int @id\n  as A[]\n  ds A[] @relation(\"d\")\n}\nmodel A {\n  id Int @id\n}\nview V {\n  id Int\n}\ntype Address {\n  street String\n}\nmodel Old {\n  id Int @id\n  @@ignore\n}\n```\n"]);
    assert_eq!(
        rules(&p),
        [
            ("prisma-duplicate-definition", 17),
            ("prisma-skipped", 20),
            ("prisma-skipped", 23),
            ("prisma-skipped", 26),
            ("prisma-unknown-attribute", 3),
            ("prisma-unknown-model", 4),
            ("prisma-unknown-field", 9),
            ("prisma-unknown-attribute", 10),
            ("prisma-invalid-relation", 6),
            ("prisma-unknown-field", 8),
        ]
    );
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["A", "C"]);
    assert!(p.schema.table("A").unwrap().foreign_keys.is_empty());
}

#[test]
fn misspelt_attributes_get_a_suggestion() {
    let p = run(&["```prisma\nmodel A {\n  id    Int    @id\n  email String @uniqe\n  at    DateTime @updatedat\n  x     Int    @primary\n  @@indexes([email])\n}\nenum E {\n  B\n  @@mapp(\"e\")\n}\n```\n"]);
    let helps: Vec<(u32, Option<&str>)> = p.diagnostics.iter().map(|d| (d.span.line, d.help.as_deref())).collect();
    assert_eq!(
        helps,
        [
            (11, Some("did you mean `@@map`?")),
            (4, Some("did you mean `@unique`?")),
            (5, Some("did you mean `@updatedAt`?")),
            (6, None),
            (7, Some("did you mean `@@index`?")),
        ]
    );
}

#[test]
fn skipped_blocks_mark_their_names() {
    let p = run(&["```prisma\nview UserInfo {\n  id Int\n}\nmodel Old {\n  id Int @id\n  @@ignore\n}\n```\n"]);
    let spans: Vec<(&str, u32, u32, u32)> =
        p.diagnostics.iter().map(|d| (d.rule, d.span.line, d.span.column, d.span.len)).collect();
    assert_eq!(spans, [("prisma-skipped", 2, 6, 8), ("prisma-skipped", 5, 7, 3)]);
}

#[test]
fn syntax_errors_do_not_stop_the_rest() {
    let p = run(&["```prisma\nmodel A {\n  id Int @id\n  ~~ broken\n}\n}\nmodel B {\n  id Int @id\n```\n\n```prisma\nmodel C {\n  id Int @id\n}\n```\n"]);
    let r = rules(&p);
    assert!(r.contains(&("prisma-syntax-error", 4)), "{r:?}");
    assert!(r.contains(&("prisma-syntax-error", 6)), "{r:?}");
    assert!(r.contains(&("prisma-syntax-error", 7)), "{r:?}");
    assert_eq!(p.schema.tables.len(), 3);
}

#[test]
fn garbled_input_never_panics() {
    let text = "```prisma\n/// 문서\nmodel Ü {\n  id String @id @default(dbgenerated(\"x\n  a  Int[]? @db.\n  b Unsupported(\n  c X @relation(fields: [, references: [id]\n  @@index([a(sort: ), type:\n  @@unique(\n}}}\nenum E { A B @map( }\ndatasource d { provider = 3 }\n```\n";
    for cut in 0..text.len() {
        if text.is_char_boundary(cut) {
            let _ = run(&[&text[..cut]]);
        }
    }
    assert!(!run(&[text]).diagnostics.is_empty());
}

#[test]
fn rules_are_documented() {
    for r in RULES {
        assert!(r.doc.contains("Why it matters") && r.doc.contains("Example"), "{}", r.name);
    }
}

#[test]
fn relations_without_actions_carry_prisma_migrate_defaults() {
    let md = "```prisma\nmodel Crew {\n  id Int @id\n}\nmodel Shift {\n  id Int @id\n  crewId Int\n  crew Crew @relation(fields: [crewId], references: [id])\n  leadId Int?\n  lead Crew? @relation(\"lead\", fields: [leadId], references: [id])\n}\n```\n";
    let p = run(&[md]);
    let shift = p.schema.table("Shift").unwrap();
    let actions: Vec<(&str, Option<ReferentialAction>, Option<ReferentialAction>)> =
        shift.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.on_delete, f.on_update)).collect();
    assert_eq!(
        actions,
        [
            ("crewId", Some(ReferentialAction::Restrict), Some(ReferentialAction::Cascade)),
            ("leadId", Some(ReferentialAction::SetNull), Some(ReferentialAction::Cascade)),
        ]
    );
}

#[test]
fn models_outside_a_fence_are_read_at_their_lines() {
    let md = "* Draft models below, paste into schema.prisma.\n\nmodel Hive {\n  id        Int      @id @default(autoincrement())\n  label     String   @unique\n  frames    Frame[]\n}\n\nmodel Frame {\n  id      Int  @id @default(autoincrement())\n  hiveId  Int\n\n  hive    Hive @relation(fields: [hiveId], references: [id])\n}\n";
    let doc = crate::scan::scan("g7.md".into(), md);
    let p = extract(std::slice::from_ref(&doc));
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let frame = p.schema.table("Frame").unwrap();
    assert_eq!(frame.foreign_keys[0].columns, ["hiveId"]);
    assert_eq!(frame.foreign_keys[0].ref_table, "Hive");
    assert_eq!(p.schema.table("Hive").unwrap().column("label").unwrap().origin.line, 5);
    assert_eq!(frame.column("hiveId").unwrap().origin.line, 11);
    let read: Vec<u32> = p.read.iter().map(|(_, l)| *l).collect();
    assert_eq!(read, [3, 9, 13]);
}
