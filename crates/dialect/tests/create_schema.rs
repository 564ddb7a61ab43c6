//! What each engine emits for a schema using every feature: snapshots of the whole output, and
//! assertions on the decisions that matter most.

mod fixture;

use schemadoc_dialect::{engine, EngineKind, Translation};

fn translate(kind: EngineKind) -> Translation {
    engine(kind).create_schema(&fixture::schema(true))
}

fn position(tr: &Translation, reason: &str) -> usize {
    tr.statements.iter().position(|s| s.reason == reason).unwrap_or_else(|| panic!("no statement `{reason}`"))
}

fn skipped(tr: &Translation, object: &str) -> bool {
    tr.skipped.iter().any(|s| s.object == object)
}

#[test]
fn sqlite_snapshot() {
    insta::assert_snapshot!(fixture::render(&translate(EngineKind::Sqlite)));
}

#[test]
fn postgres_snapshot() {
    insta::assert_snapshot!(fixture::render(&translate(EngineKind::Postgres)));
}

#[test]
fn mysql_snapshot() {
    insta::assert_snapshot!(fixture::render(&translate(EngineKind::Mysql)));
}

#[test]
fn no_statement_ends_with_a_semicolon() {
    for kind in EngineKind::ALL {
        for st in translate(kind).statements {
            assert!(!st.sql.trim_end().ends_with(';'), "{kind}: {}", st.sql);
        }
    }
}

#[test]
fn referenced_tables_are_created_first() {
    for kind in EngineKind::ALL {
        let tr = translate(kind);
        assert!(position(&tr, "create table prompt_templates") < position(&tr, "create table order"), "{kind}");
        assert!(position(&tr, "create table user") < position(&tr, "create table profiles"), "{kind}");
    }
}

#[test]
fn postgres_adds_cycle_foreign_keys_after_the_tables() {
    let tr = translate(EngineKind::Postgres);
    let last_table = tr.statements.iter().rposition(|s| s.reason.starts_with("create table")).unwrap_or(0);
    assert!(position(&tr, "add foreign key teams.owner_id → members") > last_table);
    assert!(position(&tr, "add foreign key members.team_id → teams") > last_table);
    assert!(position(&tr, "create extension pgcrypto") < position(&tr, "create enum type mood"));
    assert!(position(&tr, "create enum type mood") < position(&tr, "create table user"));
    assert!(
        position(&tr, "create function update_updated_at_column") < position(&tr, "create trigger user_touch on user")
    );
    assert!(position(&tr, "create trigger user_touch on user") < position(&tr, "comment on table user"));
}

#[test]
fn sqlite_keeps_every_foreign_key_inline() {
    let tr = translate(EngineKind::Sqlite);
    assert!(tr.statements.iter().all(|s| !s.sql.starts_with("ALTER TABLE")));
    let teams = &tr.statements[position(&tr, "create table teams")].sql;
    assert!(teams.contains("FOREIGN KEY (\"owner_id\") REFERENCES \"members\" (\"id\")"));
    assert!(tr.statements.iter().all(|s| !s.sql.contains("COMMENT")));
}

#[test]
fn unsupported_indexes_are_skipped_with_a_reason() {
    let sqlite = translate(EngineKind::Sqlite);
    assert!(skipped(&sqlite, "index user_tags on user"));
    assert!(skipped(&sqlite, "index chat_embedding on chat_messages"));
    let mysql = translate(EngineKind::Mysql);
    assert!(skipped(&mysql, "index order_active on order"), "partial index");
    assert!(skipped(&mysql, "index user_email_lower on user"), "expression index");
    assert!(skipped(&mysql, "INCLUDE (amount) of index order_user_incl"));
    let pg = translate(EngineKind::Postgres);
    assert!(position(&pg, "create index chat_embedding on chat_messages") > 0);
    for tr in [&sqlite, &mysql, &pg] {
        assert!(skipped(tr, "index admin_search on admin_characters"), "index on a missing table");
    }
}

#[test]
fn routines_run_only_where_they_were_written() {
    let pg = translate(EngineKind::Postgres);
    assert!(skipped(&pg, "trigger profiles_touch"));
    let sqlite = translate(EngineKind::Sqlite);
    assert!(skipped(&sqlite, "function update_updated_at_column"));
    assert!(skipped(&sqlite, "trigger user_touch"));
    assert!(position(&sqlite, "create trigger profiles_touch on profiles") > 0);
    let mysql = translate(EngineKind::Mysql);
    assert!(["function update_updated_at_column", "trigger user_touch", "trigger profiles_touch"]
        .iter()
        .all(|o| skipped(&mysql, o)));
}

#[test]
fn incompatible_foreign_keys_are_skipped_per_engine() {
    let pg = translate(EngineKind::Postgres);
    assert!(skipped(&pg, "foreign key sessions.character_id → characters"), "uuid → varchar");
    let mysql = translate(EngineKind::Mysql);
    assert!(skipped(&mysql, "foreign key members.team_id → teams"), "INT → BIGINT");
    assert!(!skipped(&mysql, "foreign key sessions.character_id → characters"), "CHAR(36) → VARCHAR(36)");
}

#[test]
fn mysql_indexes_text_by_prefix_and_keys_it_as_varchar() {
    let tr = translate(EngineKind::Mysql);
    let templates = &tr.statements[position(&tr, "create table prompt_templates")].sql;
    assert!(templates.contains("`name` VARCHAR(255) NOT NULL"), "{templates}");
    assert!(templates.contains("`body` TEXT"), "{templates}");
    let index = &tr.statements[position(&tr, "create index prompt_templates_body_idx on prompt_templates")].sql;
    assert!(index.contains("`body`(255)"), "{index}");
}

fn small_table(name: &str, columns: Vec<model::Column>) -> model::Table {
    let mut t = model::Table::new(name, model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql));
    t.columns = columns;
    t
}

fn column(name: &str, kind: model::TypeKind) -> model::Column {
    let origin = model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql);
    model::Column::new(name, model::DataType::new(kind, "x"), origin)
}

#[test]
fn postgres_qualifies_namespaced_tables() {
    let mut t = small_table("jobs", vec![column("id", model::TypeKind::Int { bytes: 4 })]);
    t.namespace = Some("app".into());
    t.comment = Some("queued work".into());
    let schema = model::Schema { tables: vec![t], ..model::Schema::default() };
    let sql: Vec<String> =
        engine(EngineKind::Postgres).create_schema(&schema).statements.into_iter().map(|s| s.sql).collect();
    assert_eq!(
        sql,
        [
            "CREATE SCHEMA IF NOT EXISTS \"app\"",
            "CREATE TABLE \"app\".\"jobs\" (\n  \"id\" integer\n)",
            "COMMENT ON TABLE \"app\".\"jobs\" IS 'queued work'",
        ]
    );
}

#[test]
fn mysql_moves_long_varchars_off_the_row() {
    let cols = (0..20).map(|i| column(&format!("c{i}"), model::TypeKind::Varchar { len: Some(1000) })).collect();
    let schema = model::Schema { tables: vec![small_table("wide", cols)], ..model::Schema::default() };
    let tr = engine(EngineKind::Mysql).create_schema(&schema);
    let sql = &tr.statements[0].sql;
    // 20 × 4002 bytes exceed 65,535: the first four columns (widest, in document order) go off the row.
    assert_eq!(sql.matches("MEDIUMTEXT").count(), 4, "{sql}");
    assert_eq!(tr.notes.len(), 4);
}

fn create_table_sql(kind: EngineKind, schema: &model::Schema) -> (String, Translation) {
    let tr = engine(kind).create_schema(schema);
    let sql = tr.statements.iter().find(|s| s.reason.starts_with("create table")).map(|s| s.sql.clone());
    (sql.unwrap_or_default(), tr)
}

#[test]
fn checks_quoting_names_another_way_are_requoted_not_skipped() {
    let mut t = small_table(
        "prices",
        vec![
            column("price", model::TypeKind::Decimal { precision: Some(10), scale: Some(2) }),
            column("status", model::TypeKind::Text),
        ],
    );
    let origin = model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql);
    for (expr, col) in [("`price` >= 0", "price"), ("\"status\" <> 'a \"b\" `c`'", "status")] {
        t.checks.push(model::Check {
            name: None,
            expr: expr.into(),
            columns: vec![col.into()],
            origin: origin.clone(),
        });
    }
    let schema = model::Schema { tables: vec![t], ..model::Schema::default() };
    let (pg, tr) = create_table_sql(EngineKind::Postgres, &schema);
    assert!(tr.skipped.is_empty(), "{:?}", tr.skipped);
    assert!(pg.contains("CHECK (\"price\" >= 0)"), "{pg}");
    assert!(pg.contains("CHECK (\"status\" <> 'a \"b\" `c`')"), "{pg}");
    let (my, tr) = create_table_sql(EngineKind::Mysql, &schema);
    assert!(tr.skipped.is_empty(), "{:?}", tr.skipped);
    assert!(my.contains("CHECK (`price` >= 0)"), "{my}");
    assert!(my.contains("CHECK (`status` <> 'a \"b\" `c`')"), "{my}");
    let (lite, tr) = create_table_sql(EngineKind::Sqlite, &schema);
    assert!(tr.skipped.is_empty(), "{:?}", tr.skipped);
    assert!(lite.contains("CHECK (`price` >= 0)"), "{lite}");
}

#[test]
fn mysql_keeps_a_double_quoted_word_that_names_nothing_out_of_checks() {
    // Without ANSI_QUOTES MySQL would read "draft" as a string: unknown names are not rewritten.
    let mut t = small_table("posts", vec![column("state", model::TypeKind::Text)]);
    let origin = model::Origin::new("t.md".into(), 1, 1, model::Notation::Sql);
    t.checks.push(model::Check {
        name: None,
        expr: "\"state\" <> \"draft\"".into(),
        columns: vec!["state".into()],
        origin,
    });
    let schema = model::Schema { tables: vec![t], ..model::Schema::default() };
    let (my, tr) = create_table_sql(EngineKind::Mysql, &schema);
    assert!(!my.contains("CHECK"), "{my}");
    assert_eq!(tr.skipped.len(), 1);
}

#[test]
fn a_text_column_keeps_its_current_time_default_on_mysql() {
    // A SQLite document's `created_at TEXT NOT NULL DEFAULT (datetime('now'))`.
    let mut c = column("created_at", model::TypeKind::Text);
    c.nullable = false;
    c.default = Some(model::DefaultValue::CurrentTimestamp);
    let schema = model::Schema { tables: vec![small_table("notes", vec![c])], ..model::Schema::default() };
    let (my, tr) = create_table_sql(EngineKind::Mysql, &schema);
    assert!(my.contains("`created_at` TEXT NOT NULL DEFAULT (CURRENT_TIMESTAMP)"), "{my}");
    assert!(tr.skipped.is_empty(), "{:?}", tr.skipped);
    assert!(tr.notes.iter().any(|n| n.object == "default of notes.created_at"), "{:?}", tr.notes);
}

#[test]
fn types_written_for_mysql_are_respelled_or_kept() {
    let other = |name: &str, raw: &str| column(name, model::TypeKind::Other { raw: raw.into() });
    let schema = model::Schema {
        tables: vec![small_table(
            "t",
            vec![other("price", "DECIMAL(10,2) UNSIGNED"), other("kind", "ENUM('a','b')"), other("n", "int(11)")],
        )],
        ..model::Schema::default()
    };
    let (pg, _) = create_table_sql(EngineKind::Postgres, &schema);
    assert_eq!(pg, "CREATE TABLE \"t\" (\n  \"price\" decimal(10,2),\n  \"kind\" text,\n  \"n\" integer\n)");
    let (my, _) = create_table_sql(EngineKind::Mysql, &schema);
    assert!(my.contains("`price` DECIMAL(10,2) UNSIGNED,\n  `kind` ENUM('a','b'),\n  `n` int(11)"), "{my}");
    let (lite, _) = create_table_sql(EngineKind::Sqlite, &schema);
    assert_eq!(lite, "CREATE TABLE \"t\" (\n  \"price\" NUMERIC,\n  \"kind\" TEXT,\n  \"n\" int(11)\n)");
}

#[test]
fn mysql_keeps_a_unique_key_on_a_column_shortened_to_the_key_limit() {
    let schema = model::Schema {
        tables: vec![small_table("groups", vec![column("name", model::TypeKind::Varchar { len: Some(2000) })])],
        indexes: vec![model::Index {
            name: Some("uq_groups_name".into()),
            table: "groups".into(),
            parts: vec![model::IndexPart::column("name")],
            unique: true,
            method: None,
            predicate: None,
            include: vec![],
            origin: model::Origin::new("t.md".into(), 2, 1, model::Notation::Sql),
        }],
        ..model::Schema::default()
    };
    let tr = engine(EngineKind::Mysql).create_schema(&schema);
    assert!(tr.skipped.is_empty(), "{:?}", tr.skipped);
    assert!(tr.statements[0].sql.contains("`name` VARCHAR(768)"), "{}", tr.statements[0].sql);
    // NOTE: MySQL reports a unique index as a unique key, so it is created as one.
    assert!(tr.statements[0].sql.contains("CONSTRAINT `uq_groups_name` UNIQUE (`name`)"), "{}", tr.statements[0].sql);
    assert_eq!(tr.statements.len(), 1);
}
