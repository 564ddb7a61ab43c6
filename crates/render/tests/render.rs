//! Snapshot tests of every renderer over a hand-built schema and diagnostics.

use model::{
    declare_rule, Check, Column, DataStatement, DataType, DefaultValue, Diagnostic, Enum, Extension, ForeignKey,
    Identity, Index, IndexPart, Notation, Origin, PrimaryKey, QueryHint, QueryHintKind, ReferentialAction, Routine,
    RoutineKind, RuleInfo, Schema, Setting, Span, Table, TypeKind, Unique, View,
};
use schemadoc_render::{diagnostics_json, erd, human, mermaid, sarif, schema_json, Sources};

const SCHEMA_MD: &str = "\
# 채팅 스키마

```sql
CREATE TABLE chat_sessions (
  id BIGINT PRIMARY KEY,
  title TEXT
);

CREATE TABLE chat_messages (
  id BIGINT PRIMARY KEY,
  session_id BIGINT NOT NULL REFERENCES chat_sessions (id),
  내용 TEXT NOT NULL -- 메시지 본문
);
```
";

/// A field table with a byte-order mark, CRLF line ends, tabs, Korean and an emoji.
const DESIGN_MD: &str = "\u{feff}| 필드명 | 타입 | 설명 |\r\n|---|---|---|\r\n| 사용자_이름 | VARCHAR(50) | 표시 이름 🎉 |\r\n\tstatus\tTEXT\t-- 상태\r\n";

fn span(file: &str, line: u32, column: u32, len: u32) -> Span {
    Span::new(file.into(), line, column, len)
}

fn sources() -> Sources {
    let mut sources = Sources::new();
    sources.insert("docs/schema.md", SCHEMA_MD);
    sources.insert("docs/설계.md", DESIGN_MD);
    sources
}

fn diagnostics() -> Vec<Diagnostic> {
    vec![
        // Related spans in the same file: a distant line (elided) and the same line.
        Diagnostic::warning(
            "foreign-key-without-index",
            span("docs/schema.md", 11, 3, 10),
            "foreign key chat_messages.session_id has no index",
        )
        .with_related(span("docs/schema.md", 4, 1, 26), "referenced table defined here")
        .with_related(span("docs/schema.md", 11, 30, 29), "the reference")
        .with_help("add `CREATE INDEX idx_chat_messages_session_id ON chat_messages (session_id);`"),
        // A caret under Korean text after a BOM, with a related span in another file.
        Diagnostic::error("type-conflict", span("docs/설계.md", 3, 12, 11), "column 사용자_이름 is VARCHAR(50) here")
            .with_related(span("docs/schema.md", 12, 3, 2), "but TEXT here"),
        // Korean on line 1 right after the BOM; an emoji on a CRLF line.
        Diagnostic::info("korean-identifier", span("docs/설계.md", 1, 3, 3), "필드명 is not an ASCII identifier")
            .with_related(span("docs/설계.md", 3, 32, 1), "emoji in a description"),
        // Tabs before and inside the marked text.
        Diagnostic::warning("loose-type", span("docs/설계.md", 4, 9, 4), "TEXT has no length limit"),
        // A span past the end of its line: location only.
        // A renderable related span in the same file is shown under `:::` instead.
        Diagnostic::error("syntax-error", span("docs/schema.md", 6, 40, 3), "expected `,` after column title")
            .with_related(span("docs/schema.md", 4, 1, 26), "in this table")
            .with_help("columns are separated by commas\nthe last column takes none"),
        // A missing file, and a related line past the end of a known file.
        Diagnostic::warning("unknown-table", span("docs/missing.md", 3, 1, 0), "table accounts is not defined")
            .with_related(span("docs/schema.md", 999, 1, 0), "referenced here"),
        // Related two lines below: the line between is shown, not elided.
        Diagnostic::info("nullable-column", span("docs/schema.md", 5, 3, 2), "id is declared twice")
            .with_related(span("docs/schema.md", 7, 1, 0), "table ends here"),
    ]
}

declare_rule! {
    /// What it does: flags foreign keys whose columns no index starts with.
    ///
    /// Why it matters: deleting a referenced row scans the referencing table.
    ///
    /// Example: `CREATE TABLE m (session_id BIGINT REFERENCES s (id));`
    pub FOREIGN_KEY_WITHOUT_INDEX = "foreign-key-without-index", Warning
}

declare_rule! {
    /// What it does: flags a column declared with different types in different notations.
    pub TYPE_CONFLICT = "type-conflict", Error
}

declare_rule! {
    /// What it does: notes identifiers that are not ASCII.
    pub KOREAN_IDENTIFIER = "korean-identifier", Info
}

fn rules() -> Vec<RuleInfo> {
    vec![FOREIGN_KEY_WITHOUT_INDEX, TYPE_CONFLICT, KOREAN_IDENTIFIER, TYPE_CONFLICT]
}

#[test]
fn human_diagnostics() {
    insta::assert_snapshot!(human(&diagnostics(), &sources(), false));
}

#[test]
fn human_diagnostics_without_sources_show_locations_only() {
    insta::assert_snapshot!(human(&diagnostics()[..2], &Sources::new(), false));
}

#[test]
fn any_span_renders_without_panicking() {
    let sources = sources();
    let files = ["docs/schema.md", "docs/설계.md", "docs/missing.md"];
    let numbers = [0, 1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 28, 29, 30, 40, 999, u32::MAX - 1, u32::MAX];
    let mut diags = Vec::new();
    for file in files {
        for &line in &numbers {
            for &column in &numbers {
                for &len in &[0, 1, 3, 100, u32::MAX] {
                    diags.push(
                        Diagnostic::warning("r", span(file, line, column, len), "m")
                            .with_related(span(file, line.saturating_add(1), column, len), "n")
                            .with_related(span("docs/설계.md", line, column, len), "o"),
                    );
                }
            }
        }
    }
    let out = human(&diags, &sources, true);
    assert!(out.ends_with("warnings emitted\x1b[0m\n"));
    let _ = diagnostics_json(&diags);
    let _ = sarif(&diags, &[], "");
}

/// Removes ANSI colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_only_adds_escape_sequences() {
    let plain = human(&diagnostics(), &sources(), false);
    let coloured = human(&diagnostics(), &sources(), true);
    assert!(!plain.contains('\x1b'));
    assert!(coloured.contains("\x1b[1;33mwarning[foreign-key-without-index]\x1b[0m"));
    assert!(coloured.contains("\x1b[1;31merror[type-conflict]\x1b[0m"));
    assert!(coloured.contains("\x1b[1;36minfo[korean-identifier]\x1b[0m"));
    assert_eq!(strip_ansi(&coloured), plain);
}

#[test]
fn carets_sit_under_the_marked_text() {
    let out = human(&diagnostics()[1..2], &sources(), false);
    let lines: Vec<&str> = out.lines().collect();
    let source = lines.iter().position(|l| l.starts_with("3  |")).expect("source line shown");
    let caret = lines[source + 1];
    // `| 사용자_이름 | ` is 16 columns wide: five syllables of two columns and six narrow characters.
    assert_eq!(caret, format!("   | {}{}", " ".repeat(16), "^".repeat(11)));
    assert!(!out.contains('\r'));
    assert!(!out.contains('\u{feff}'));
}

#[test]
fn diagnostics_as_json() {
    insta::assert_snapshot!(diagnostics_json(&diagnostics()));
}

#[test]
fn diagnostics_as_sarif() {
    let mut diags = diagnostics();
    diags.truncate(3);
    // A rule the registry does not list still gets a descriptor.
    diags.push(Diagnostic::error("merge-conflict", span("docs/my schema.md", 2, 1, 0), "conflicting defaults"));
    let log = sarif(&diags, &rules(), "0.1.0");
    insta::assert_snapshot!(log);

    let value: serde_json::Value = serde_json::from_str(&log).expect("valid JSON");
    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().expect("level")));
    }
}

fn origin(line: u32, notation: Notation) -> Origin {
    Origin::new("docs/schema.md".into(), line, 1, notation)
}

fn column(name: &str, kind: TypeKind, spelling: &str, nullable: bool, line: u32) -> Column {
    let mut c = Column::new(name, DataType::new(kind, spelling), origin(line, Notation::Sql));
    c.nullable = nullable;
    c
}

fn fk(columns: &[&str], ref_table: &str, ref_columns: &[&str], line: u32) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.to_string(),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
        on_delete: None,
        on_update: None,
        inferred: false,
        origin: origin(line, Notation::Sql),
    }
}

fn pk(columns: &[&str], line: u32) -> Option<PrimaryKey> {
    Some(PrimaryKey {
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        origin: origin(line, Notation::Sql),
    })
}

fn index(name: &str, table: &str, parts: Vec<IndexPart>, unique: bool, line: u32) -> Index {
    Index {
        name: Some(name.to_string()),
        table: table.to_string(),
        parts,
        unique,
        method: None,
        predicate: None,
        include: vec![],
        origin: origin(line, Notation::Sql),
    }
}

fn schema() -> Schema {
    let mut users = Table::new("users", origin(10, Notation::Sql));
    users.comment = Some("가입한 사용자".into());
    let mut id = column("id", TypeKind::Int { bytes: 8 }, "BIGSERIAL", false, 11);
    id.identity = Some(Identity::Serial);
    let mut email = column("email", TypeKind::Varchar { len: Some(255) }, "VARCHAR(255)", false, 12);
    email.comment = Some("로그인 \"이메일\"".into());
    let mut name = column("이름", TypeKind::Varchar { len: Some(50) }, "varchar(50)", true, 13);
    name.comment = Some("표시 이름".into());
    let mut status = column("status", TypeKind::Enum { name: "user_status".into() }, "user_status", false, 14);
    status.default = Some(DefaultValue::String("active".into()));
    let mut created = column("created_at", TypeKind::Timestamp { tz: true, precision: None }, "TIMESTAMPTZ", false, 15);
    created.default = Some(DefaultValue::CurrentTimestamp);
    created.on_update = Some("CURRENT_TIMESTAMP".into());
    let mut tags = column("tags", TypeKind::Array { of: Box::new(TypeKind::Text) }, "TEXT[]", true, 16);
    tags.default = Some(DefaultValue::Raw("'{}'::text[]".into()));
    let mut balance = column(
        "balance",
        TypeKind::Decimal { precision: Some(10), scale: Some(2) },
        "Decimal @db.Decimal(10, 2)",
        false,
        17,
    );
    balance.client_default = Some("0".into());
    balance.origin = Origin::new("docs/prisma.md".into(), 4, 3, Notation::Prisma);
    let mut nickname = column("nickname", TypeKind::Text, "string", true, 18);
    nickname.ty = DataType::loose(TypeKind::Text, "string");
    nickname.stated = model::Stated { nullable: false, default: false };
    nickname.origin = origin(40, Notation::Mermaid);
    users.columns = vec![id, email, name, status, created, tags, balance, nickname];
    users.primary_key = pk(&["id"], 11);
    users.uniques = vec![Unique {
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
        origin: origin(12, Notation::Sql),
    }];

    let mut posts = Table::new("posts", origin(20, Notation::Sql));
    let mut post_id = column("id", TypeKind::Uuid, "UUID", false, 21);
    post_id.default = Some(DefaultValue::GeneratedUuid);
    posts.columns = vec![
        post_id,
        column("author_id", TypeKind::Int { bytes: 8 }, "BIGINT", false, 22),
        column("editor_id", TypeKind::Int { bytes: 8 }, "BIGINT", true, 23),
        column("title", TypeKind::Text, "TEXT", false, 24),
    ];
    posts.primary_key = Some(PrimaryKey { name: Some("posts_pkey".into()), ..pk(&["id"], 21).expect("pk") });
    let mut author = fk(&["author_id"], "users", &["id"], 22);
    author.name = Some("posts_author_fk".into());
    author.on_delete = Some(ReferentialAction::Cascade);
    author.on_update = Some(ReferentialAction::NoAction);
    let mut editor = fk(&["editor_id"], "Users", &[], 23);
    editor.on_delete = Some(ReferentialAction::SetNull);
    posts.foreign_keys = vec![author, editor];
    posts.checks = vec![Check {
        name: Some("title_not_empty".into()),
        expr: "length(title) > 0".into(),
        columns: vec!["title".into()],
        origin: origin(25, Notation::Sql),
    }];

    let mut profiles = Table::new("user_profiles", origin(30, Notation::FieldTable));
    profiles.columns = vec![
        column("user_id", TypeKind::Int { bytes: 8 }, "BIGINT", false, 31),
        column("bio", TypeKind::Text, "TEXT", true, 32),
    ];
    profiles.primary_key = pk(&["user_id"], 31);
    profiles.foreign_keys = vec![fk(&["user_id"], "users", &["id"], 31)];

    let mut settings = Table::new("사용자 설정", origin(50, Notation::FieldTable));
    settings.namespace = Some("app".into());
    settings.columns = vec![
        column("id", TypeKind::Int { bytes: 4 }, "INT", false, 51),
        column("user_id", TypeKind::Int { bytes: 8 }, "BIGINT", true, 52),
        column("테마 색상", TypeKind::Other { raw: "색상".into() }, "색상", true, 53),
    ];
    settings.primary_key = pk(&["id"], 51);
    settings.foreign_keys = vec![fk(&["user_id"], "users", &[], 52)];

    let mut post_tags = Table::new("post_tags", origin(60, Notation::Sql));
    post_tags.columns = vec![
        column("post_id", TypeKind::Uuid, "UUID", false, 61),
        column("tag", TypeKind::Varchar { len: Some(30) }, "VARCHAR(30)", false, 62),
    ];
    post_tags.primary_key = pk(&["post_id", "tag"], 63);
    post_tags.foreign_keys = vec![fk(&["post_id"], "posts", &["id"], 61)];

    let mut tokens = Table::new("tokens", origin(70, Notation::Mermaid));
    tokens.columns = vec![column("account_id", TypeKind::Int { bytes: 8 }, "bigint", false, 71)];
    let mut account = fk(&["account_id"], "accounts", &[], 71);
    account.inferred = true;
    account.origin = Origin::inferred_from(&origin(71, Notation::Mermaid));
    tokens.foreign_keys = vec![account];

    let mut email_lower = index(
        "users_email_lower",
        "users",
        vec![IndexPart { column: None, expr: Some("lower(email)".into()), descending: false, opclass: None }],
        true,
        80,
    );
    email_lower.method = Some("btree".into());
    let mut recent = index(
        "posts_recent",
        "posts",
        vec![
            IndexPart::column("author_id"),
            IndexPart {
                column: Some("title".into()),
                expr: None,
                descending: true,
                opclass: Some("text_pattern_ops".into()),
            },
        ],
        false,
        81,
    );
    recent.predicate = Some("title <> ''".into());
    recent.include = vec!["editor_id".into()];

    Schema {
        tables: vec![users, posts, profiles, settings, post_tags, tokens],
        indexes: vec![
            email_lower,
            recent,
            index("settings_user", "사용자 설정", vec![IndexPart::column("user_id")], true, 82),
            index("ghost_idx", "ghosts", vec![IndexPart::column("id")], false, 83),
        ],
        enums: vec![Enum {
            name: "user_status".into(),
            values: vec!["active".into(), "banned".into()],
            origin: origin(5, Notation::Sql),
        }],
        extensions: vec![Extension { name: "pgcrypto".into(), origin: origin(3, Notation::Sql) }],
        views: vec![View {
            name: "active_users".into(),
            sql: "CREATE VIEW active_users AS SELECT * FROM users WHERE status = 'active';".into(),
            materialized: false,
            tables: vec!["users".into()],
            origin: origin(90, Notation::Sql),
        }],
        routines: vec![
            Routine {
                kind: RoutineKind::Function,
                name: "touch_updated_at".into(),
                sql: "CREATE FUNCTION touch_updated_at() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$ LANGUAGE plpgsql;".into(),
                language: Some("plpgsql".into()),
                table: None,
                function: None,
                tables: vec![],
                origin: origin(95, Notation::Sql),
            },
            Routine {
                kind: RoutineKind::Trigger,
                name: "posts_touch".into(),
                sql: "CREATE TRIGGER posts_touch BEFORE UPDATE ON posts FOR EACH ROW EXECUTE FUNCTION touch_updated_at();"
                    .into(),
                language: None,
                table: Some("posts".into()),
                function: Some("touch_updated_at".into()),
                tables: vec!["posts".into()],
                origin: origin(99, Notation::Sql),
            },
        ],
        settings: vec![Setting { name: "foreign_keys".into(), value: "ON".into(), origin: origin(1, Notation::Sql) }],
        data_statements: vec![DataStatement {
            sql: "UPDATE users SET status = 'active' WHERE status IS NULL;".into(),
            origin: origin(100, Notation::Sql),
        }],
        query_hints: vec![QueryHint {
            table: "posts".into(),
            kind: QueryHintKind::OrderBy,
            columns: vec!["created_at".into()],
            descending: true,
            origin: origin(101, Notation::List),
        }],
        renames: vec![model::Rename {
            table: Some("users".into()),
            from: "name".into(),
            to: "display_name".into(),
            origin: origin(102, Notation::Sql),
        }],
        namespaces: vec![],
        types: vec![],
        sql_dialect: None,
    }
}

#[test]
fn schema_as_json() {
    insta::assert_snapshot!(schema_json(&schema()));
}

#[test]
fn schema_json_keeps_the_documented_keys() {
    let value: serde_json::Value = serde_json::from_str(&schema_json(&schema())).expect("valid JSON");
    let posts = &value["tables"][1];
    assert_eq!(posts["name"], "posts");
    assert_eq!(posts["columns"][0]["type"], "uuid");
    assert_eq!(posts["columns"][0]["default"], "gen_random_uuid()");
    assert_eq!(posts["columns"][2]["nullable"], true);
    assert_eq!(posts["primary_key"], serde_json::json!(["id"]));
    assert_eq!(posts["indexes"][0]["columns"], serde_json::json!(["author_id", "title"]));
    assert_eq!(posts["foreign_keys"][0]["on_delete"], "CASCADE");
    // `Users` names `users`, whose primary key fills in the implicit referenced columns.
    assert_eq!(posts["foreign_keys"][1]["ref_columns"], serde_json::json!(["id"]));
    assert_eq!(value["tables"][0]["indexes"][0]["columns"], serde_json::json!(["lower(email)"]));
    assert_eq!(value["indexes_without_table"][0]["table"], "ghosts");
}

#[test]
fn schema_as_mermaid() {
    insta::assert_snapshot!(mermaid(&schema()));
}

#[test]
fn empty_schema_renders() {
    assert_eq!(mermaid(&Schema::default()), "erDiagram\n");
    let value: serde_json::Value = serde_json::from_str(&schema_json(&Schema::default())).expect("valid JSON");
    assert_eq!(value["tables"], serde_json::json!([]));
}

#[test]
fn schema_as_dot() {
    insta::assert_snapshot!(erd::dot(&schema(), &erd::DotOptions::default()));
}

#[test]
fn schema_as_dot_grouped_with_a_title() {
    let schema = schema();
    let mut groups = erd::Groups::new();
    for (i, t) in schema.tables.iter().enumerate() {
        groups.insert(model::name_key(&t.qualified_name()), if i % 2 == 0 { "회원" } else { "게시판" }.to_string());
    }
    let dot = erd::dot(&schema, &erd::DotOptions { groups: groups.clone(), title: Some("커뮤니티 \"v2\"".into()) });
    insta::assert_snapshot!(dot);
    assert_eq!(dot.matches("subgraph cluster_").count(), 2);
    insta::assert_snapshot!("group_overview", erd::overview(&schema, &groups, None));
}

#[test]
fn dot_draws_a_missing_reference_target_as_a_dashed_box() {
    let mut schema = schema();
    schema.tables.retain(|t| t.name != "users");
    let dot = erd::dot(&schema, &erd::DotOptions::default());
    assert!(dot.contains("\"users\" [shape=box, style=\"dashed\""), "{dot}");
}

#[test]
fn auto_groups_by_schema_only_when_tables_live_in_several() {
    let mut schema = schema();
    for t in &mut schema.tables {
        t.namespace = None;
    }
    assert!(erd::groups(&schema, erd::GroupBy::Auto, &erd::Groups::new()).is_empty());
    schema.tables[0].namespace = Some("auth".into());
    let groups = erd::groups(&schema, erd::GroupBy::Auto, &erd::Groups::new());
    assert_eq!(
        groups.get(&format!("auth.{}", model::name_key(&schema.tables[0].name))).map(String::as_str),
        Some("auth")
    );
    assert_eq!(groups.get(&model::name_key(&schema.tables[1].name)).map(String::as_str), Some("(default)"));
}

#[test]
fn schema_as_dbml() {
    let export = schemadoc_render::export::dbml(&schema());
    insta::assert_snapshot!(export.text);
    // What DBML cannot say is reported, never dropped silently.
    for check in schema().tables.iter().flat_map(|t| &t.checks) {
        assert!(export.notes.iter().any(|n| n.contains(&check.expr)), "{:?}", export.notes);
    }
}

#[test]
fn schema_as_plantuml() {
    let export = schemadoc_render::export::plantuml(&schema());
    insta::assert_snapshot!(export.text);
    // A reference to a table the schema does not define is drawn, and said.
    assert!(export.notes.iter().any(|n| n.contains("accounts")), "{:?}", export.notes);
}
