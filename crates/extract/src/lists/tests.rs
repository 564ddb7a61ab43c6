use super::*;
use crate::scan::scan;

fn run(md: &str, known: &[&str]) -> Partial {
    let known: BTreeSet<String> = known.iter().map(|s| s.to_string()).collect();
    extract(&[scan("t.md".into(), md)], &known)
}

fn index_summary(p: &Partial) -> Vec<(String, String, Vec<String>, bool)> {
    p.schema
        .indexes
        .iter()
        .map(|i| {
            (
                i.name.clone().unwrap_or_default(),
                i.table.clone(),
                i.leading_columns().iter().map(|s| s.to_string()).collect(),
                i.unique,
            )
        })
        .collect()
}

#[test]
fn index_bullets_under_table_headings() {
    let md = "## 6. 주요 인덱스\n\n### users 테이블\n- `idx_users_email` ON `email`\n- `idx_users_name_age` ON `name`, `age`\n\n\
### jobs 테이블\n- `idx_jobs_user_id` ON `user_id`\n- UNIQUE INDEX uq_jobs_key ON jobs(key, kind)\n";
    let p = run(md, &["users", "jobs"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        index_summary(&p),
        [
            ("idx_users_email".into(), "users".into(), vec!["email".into()], false),
            ("idx_users_name_age".into(), "users".into(), vec!["name".into(), "age".into()], false),
            ("idx_jobs_user_id".into(), "jobs".into(), vec!["user_id".into()], false),
            ("uq_jobs_key".into(), "jobs".into(), vec!["key".into(), "kind".into()], true),
        ]
    );
    assert_eq!((p.schema.indexes[0].origin.line, p.schema.indexes[0].origin.column), (4, 4));
    assert_eq!(p.altered_only.iter().cloned().collect::<Vec<_>>(), ["jobs", "users"]);
    assert!(p.schema.tables.iter().all(|t| t.columns.is_empty()));
}

#[test]
fn parenthesised_index_tags_and_primary_keys() {
    let md = "### 3.1 users 테이블\n\n#### 인덱스\n\n- `id` (Primary Key)\n- `email` (Unique Index)\n\n\
### 3.4 audio_files 테이블\n\n#### 인덱스\n\n- `user_id` (Index)\n- `text_hash` (Index, 캐싱 조회용)\n";
    let p = run(md, &[]);
    assert_eq!(
        index_summary(&p),
        [
            ("".into(), "users".into(), vec!["email".into()], true),
            ("".into(), "audio_files".into(), vec!["user_id".into()], false),
            ("".into(), "audio_files".into(), vec!["text_hash".into()], false),
        ]
    );
    assert_eq!(p.schema.table("users").unwrap().primary_key.as_ref().unwrap().columns, ["id"]);
}

#[test]
fn relationship_bullets_become_foreign_keys_on_the_owner() {
    let md = "### users 테이블\n\n#### 관계\n\n- `characters.user_id` → `users.id` (Foreign Key, nullable)\n\
- `audio_files.user_id` -> `users.id` (Foreign Key, NOT NULL)\n\n### characters 테이블\n\n#### 관계\n\n\
- `user_id` → `users.id` (Foreign Key, nullable)\n- `job_id` REFERENCES jobs(id) ON DELETE CASCADE\n\n\
## 흐름\n\n- 작성 → 검토 → 승인\n- draft -> review\n";
    let p = run(md, &["users", "characters", "audio_files", "jobs"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let ch = p.schema.table("characters").unwrap();
    assert!(ch.columns.is_empty());
    let fks: Vec<_> = ch.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str())).collect();
    assert_eq!(fks, [("user_id", "users"), ("job_id", "jobs")]);
    assert_eq!(ch.foreign_keys[1].on_delete, Some(ReferentialAction::Cascade));
    assert_eq!((ch.foreign_keys[0].origin.line, ch.foreign_keys[0].origin.column), (5, 4));
    assert_eq!(p.schema.table("audio_files").unwrap().foreign_keys.len(), 1);
    assert!(p.schema.table("users").is_none());
    assert_eq!(p.altered_only.len(), 2);
}

#[test]
fn conflicting_bullets_are_reported() {
    let md = "### posts\n- `author_id` → `users.id`\n- `author_id` → `members.id`\n\n## 인덱스\n\
- idx_a ON posts(title)\n- idx_a ON posts(body)\n- `idx_orphan` ON `x`\n";
    let p = run(md, &[]);
    let rules: Vec<_> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["conflicting-list-entries", "conflicting-list-entries", "unattached-list-item"]);
}

#[test]
fn descending_columns_keep_the_table_and_the_order() {
    let md = "## 인덱스\n\n- `idx_orders_user_recent` ON `orders(user_id, created_at DESC)`\n\
- idx_orders_status ON orders (status ASC, id desc) — 목록용\n";
    let p = run(md, &["orders"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        index_summary(&p),
        [
            ("idx_orders_user_recent".into(), "orders".into(), vec!["user_id".into(), "created_at".into()], false),
            ("idx_orders_status".into(), "orders".into(), vec!["status".into(), "id".into()], false),
        ]
    );
    let order = |i: usize| -> Vec<bool> { p.schema.indexes[i].parts.iter().map(|x| x.descending).collect() };
    assert_eq!((order(0), order(1)), (vec![false, true], vec![false, true]));
}

#[test]
fn unattached_bullets_quote_and_mark_only_the_index() {
    let md = "## Indexes\n\n- `idx_slug` ON `slug` — 상세 페이지는 slug로 조회\n- idx_title ON title: 검색용\n\
- `idx_a` (`a`, `b`) 설명\n";
    let p = run(md, &[]);
    let found: Vec<(&str, u32, u32)> =
        p.diagnostics.iter().map(|d| (d.message.as_str(), d.span.column, d.span.len)).collect();
    assert_eq!(
        found,
        [
            ("index `idx_slug ON slug` cannot be attached to a table; it is skipped", 4, 18),
            ("index `idx_title ON title` cannot be attached to a table; it is skipped", 3, 18),
            ("index `idx_a (a, b)` cannot be attached to a table; it is skipped", 4, 17),
        ]
    );
}

#[test]
fn conflicts_mark_the_name() {
    let md = "## 인덱스\n- idx_a ON posts(title)\n- idx_a ON posts(body)\n\n### posts\n- `author_id` → `users.id`\n\
- `author_id` → `members.id`\n";
    let p = run(md, &[]);
    let spans: Vec<(u32, u32, u32)> = p.diagnostics.iter().map(|d| (d.span.line, d.span.column, d.span.len)).collect();
    assert_eq!(spans, [(3, 3, 5), (7, 4, 9)]);
}

#[test]
fn query_hints_from_the_paragraph_table() {
    let md = "# DB 스키마\n\n## 1. 현재 스키마\n\n테이블: `launch_runs`\n\n```sql\nCREATE TABLE launch_runs (id TEXT);\n```\n\n\
특징:\n- 기본키: `request_id`\n- 목록 조회: `created_at DESC`\n- 검색: `product_name`, `core_kpi` LIKE\n\
- 필터: `mode`\n- 실행 메타데이터는 길게 보관\n";
    let p = run(md, &["launch_runs"]);
    let hints: Vec<_> =
        p.schema.query_hints.iter().map(|h| (h.table.as_str(), h.kind, h.columns.clone(), h.descending)).collect();
    assert_eq!(
        hints,
        [
            ("launch_runs", QueryHintKind::OrderBy, vec!["created_at".to_string()], true),
            ("launch_runs", QueryHintKind::Like, vec!["product_name".to_string(), "core_kpi".to_string()], false),
            ("launch_runs", QueryHintKind::Filter, vec!["mode".to_string()], false),
        ]
    );
    assert_eq!(p.schema.query_hints[0].origin.line, 13);
    assert_eq!(p.schema.table("launch_runs").unwrap().primary_key.as_ref().unwrap().columns, ["request_id"]);
}

#[test]
fn prose_bullets_give_nothing() {
    let md = "## 운영 권장\n- 실행 메타데이터는 길게 보관\n- `data/backups/` 위치에 백업\n- Redis 도입 (세션 관리)\n\
- **주기:** 스크립트 실행 전 자동 백업\n";
    let p = run(md, &["sessions"]);
    assert!(p.schema.tables.is_empty() && p.schema.indexes.is_empty() && p.schema.query_hints.is_empty());
    assert!(p.diagnostics.is_empty());
}

#[test]
fn garbled_input_never_panics() {
    for md in [
        "### t\n- `a` → \n- → `b.c`\n- ON\n- idx ON (\n- `x` (Index\n- ()(Index)\n- 기본키:\n",
        "## 인덱스\n- `idx_a`\n- ``\n- `a.b.c` (Primary Key)\n- ON t(\n- 검색: `` LIKE\n",
    ] {
        let _ = run(md, &["t"]);
    }
}

fn columns_of(p: &Partial, table: &str) -> Vec<(String, String)> {
    p.schema.table(table).unwrap().columns.iter().map(|c| (c.name.clone(), c.ty.spelling.clone())).collect()
}

#[test]
fn bullets_under_a_table_heading_define_its_columns() {
    let md = "## `orders`\n\n- `id`: BIGINT PK, auto-increment\n- `total`: NUMERIC(10,2), NOT NULL, default 0\n\
- `customer_id`: BIGINT FK -> `customers(id)`\n- `placed_at`, `shipped_at`\n";
    let p = run(md, &[]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert!(p.altered_only.is_empty(), "bullets listing columns define the table");
    let cols = columns_of(&p, "orders");
    assert_eq!(
        cols.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
        ["id", "total", "customer_id", "placed_at", "shipped_at"]
    );
    assert_eq!(cols[3].1, "", "a column named without a type stays untyped");
    let t = p.schema.table("orders").unwrap();
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.foreign_keys.len(), 1);
    assert_eq!(
        (t.foreign_keys[0].columns[0].as_str(), t.foreign_keys[0].ref_table.as_str()),
        ("customer_id", "customers")
    );
    assert!(!t.columns[1].nullable);
    assert_eq!(t.columns[1].default, Some(model::DefaultValue::Number("0".into())));
}

#[test]
fn bold_entities_take_annotations_as_types() {
    let md = "**Order**\n- id: int\n- memo: str | None\n- lines: list[str]\n- customer: ForeignKey[Customer]\n\n\
**Customer** (고객)\n- id: UUID, PK\n";
    let p = run(md, &[]);
    let order = p.schema.table("Order").unwrap();
    assert_eq!(order.columns.len(), 4);
    assert!(order.column("memo").unwrap().nullable && order.column("memo").unwrap().stated.nullable);
    assert_eq!(order.column("lines").unwrap().ty.kind.to_string(), "text[]");
    assert_eq!(order.foreign_keys[0].ref_table, "Customer");
    assert_eq!(p.schema.table("Customer").unwrap().primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(order.origin.line, 1);
}

#[test]
fn key_bullets_add_untyped_columns_only_where_bullets_alone_define_the_table() {
    let md = "### `docks`\n- PK: `id`\n- FK: `port_id -> ports.id` (NOT NULL)\n- 컬럼: `name`, `depth_m`\n";
    let p = run(md, &[]);
    let cols = columns_of(&p, "docks");
    assert_eq!(cols.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["id", "port_id", "name", "depth_m"]);
    assert!(!p.schema.table("docks").unwrap().column("port_id").unwrap().nullable);
    // Where SQL defines the table, the key bullets only add keys.
    let p = run("### `docks`\n- PK: `id`\n- FK: `port_id -> ports.id`\n", &["docks"]);
    assert!(p.schema.table("docks").unwrap().columns.is_empty());
    assert!(p.altered_only.contains("docks"));
}

#[test]
fn a_reference_bullet_never_makes_a_column_named_fk() {
    let md = "### `parcels`\n- `id`: UUID, PK\n- FK -> `depots(id)`\n";
    let p = run(md, &[]);
    let t = p.schema.table("parcels").unwrap();
    assert!(t.column("FK").is_none() && t.foreign_keys.is_empty());
    assert_eq!(p.diagnostics.iter().map(|d| d.rule).collect::<Vec<_>>(), ["unattached-list-item"]);
}

#[test]
fn relationship_bullets_read_the_right_way_round() {
    let md = "## 관계\n- `shelves.id` → `jars.shelf_id` (1:N)\n- `lids.jar_id` → `jars.id`\n- `labels.id` → `jars.label_id` (1:1)\n\
- `jars.batch_no` → `batches.no` (N:1)\n";
    let p = run(md, &["shelves", "jars", "lids", "labels", "batches"]);
    let fks = |t: &str| -> Vec<(String, String)> {
        p.schema
            .table(t)
            .map(|t| t.foreign_keys.iter().map(|f| (f.columns.join(","), f.ref_table.clone())).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        fks("jars"),
        [
            ("shelf_id".to_string(), "shelves".to_string()),
            ("label_id".into(), "labels".into()),
            ("batch_no".into(), "batches".into())
        ]
    );
    assert_eq!(fks("lids"), [("jar_id".to_string(), "jars".to_string())]);
    assert!(fks("shelves").is_empty() && fks("labels").is_empty());
}

#[test]
fn labelled_key_lists_and_primary_key_paragraphs() {
    let md = "### 3.1 classes\n\nIndex:\n\n- unique: `classes.title`\n- index: `classes.studio_id`\n\n\
### 3.2 Locker\n\n**Table Name**: `gym_lockers`\n\n**Primary Key**: `locker_no`\n\n**인덱스**:\n- `idx_gym_lockers_zone` ON `zone`\n";
    let p = run(md, &["classes", "gym_lockers"]);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let ix: Vec<_> = index_summary(&p).into_iter().map(|(_, t, c, u)| (t, c, u)).collect();
    assert_eq!(
        ix,
        [
            ("classes".to_string(), vec!["studio_id".to_string()], false),
            ("gym_lockers".into(), vec!["zone".into()], false),
        ]
    );
    assert_eq!(p.schema.table("gym_lockers").unwrap().primary_key.as_ref().unwrap().columns, ["locker_no"]);
    assert_eq!(p.schema.table("classes").unwrap().uniques[0].columns, ["title"]);
}

#[test]
fn prose_is_never_an_index_and_unreadable_column_bullets_are_reported() {
    let p =
        run("## Trailheads\n\n- Coordinates use the PostGIS geography(Spatial Index) `POINT` type.\n", &["trailheads"]);
    assert!(p.schema.indexes.is_empty() && p.diagnostics.is_empty());
    let p = run("### `riders`\n#### columns\n- `id`: UUID, PK\n- rider name: VARCHAR(40)\n", &[]);
    assert_eq!(
        p.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect::<Vec<_>>(),
        [("unreadable-column-bullet", 4)]
    );
    assert_eq!(p.schema.table("riders").unwrap().columns.len(), 1);
}

#[test]
fn typed_bullets_without_a_table_are_left_unread() {
    let p = run("# Notes\n\n- id: UUID, PK\n- email: TEXT, NOT NULL\n", &[]);
    assert!(p.schema.tables.is_empty() && p.diagnostics.is_empty());
    assert!(p.read.is_empty(), "the pipeline reports what no front-end read");
}

#[test]
fn prose_lists_under_a_table_heading_define_nothing() {
    let md = "### users\n- Stores one row per account\n- Date: 2024-01-01\n- Note: JSON is used for settings\n\
- Owner: platform team\n";
    let p = run(md, &[]);
    assert!(p.schema.tables.is_empty() && p.diagnostics.is_empty(), "{:?} {:?}", p.schema.tables, p.diagnostics);
}

#[test]
fn unique_and_index_bullets_say_what_they_are_under_any_heading_and_a_keys_label() {
    let md = "### tickets\n\n- unique: `tickets.event_id`, `tickets.seat`\n- index: `tickets.sold_at`\n\n\
## stations\n\nKeys:\n\n- unique (`call_sign`, `region`): a call sign is reused across regions\n\
- index on `region` for the dashboards\n\n## notes\n\n- the `region` column is free text\n";
    let p = run(md, &["tickets", "stations"]);
    let uniques = |t: &str| p.schema.table(t).map(|t| t.uniques.iter().map(|u| u.columns.clone()).collect::<Vec<_>>());
    assert_eq!(uniques("tickets"), Some(vec![vec!["event_id".to_string(), "seat".to_string()]]));
    assert_eq!(uniques("stations"), Some(vec![vec!["call_sign".to_string(), "region".to_string()]]));
    assert_eq!(
        index_summary(&p),
        [
            (String::new(), "tickets".into(), vec!["sold_at".into()], false),
            (String::new(), "stations".into(), vec!["region".into()], false),
        ]
    );
}

#[test]
fn a_column_bullet_pointing_with_an_arrow_is_a_foreign_key() {
    let md = "### `repair_orders`\n- `id` BIGINT — primary key\n- `mechanic_id` BIGINT → `mechanics.id`\n- `bay_id` INT -> `bays(id)`\n";
    let p = run(md, &["mechanics", "bays"]);
    let t = p.schema.table("repair_orders").unwrap();
    let fks: Vec<(&str, &str, &[String])> = t
        .foreign_keys
        .iter()
        .map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.ref_columns.as_slice()))
        .collect();
    assert_eq!(
        fks,
        [("mechanic_id", "mechanics", &["id".to_string()][..]), ("bay_id", "bays", &["id".to_string()][..])]
    );
}

#[test]
fn references_written_backwards_or_with_a_dash_read_as_keys_on_the_child() {
    let md = "## 관계\n\n- users.id ← posts.editor_id\n- posts.reviewer_id - users.id (many-to-one)\n\
- teams.id — users.team_id (1:N)\n- the `users.id` - see `posts.user_id` notes\n";
    let p = run(md, &["users", "posts", "teams"]);
    let fks: Vec<(String, String, String)> = p
        .schema
        .tables
        .iter()
        .flat_map(|t| t.foreign_keys.iter().map(move |f| (t.name.clone(), f.columns.join(","), f.ref_table.clone())))
        .collect();
    assert_eq!(
        fks,
        [
            ("posts".into(), "editor_id".into(), "users".into()),
            ("posts".into(), "reviewer_id".into(), "users".into()),
            ("users".into(), "team_id".into(), "teams".into()),
        ]
    );
}

#[test]
fn bullets_saying_an_index_is_not_there_are_prose_and_a_topic_heading_names_no_table() {
    let md = "### users\n\n#### 인덱스\n\n- `region` 인덱스는 데이터가 적어 만들지 않음\n- `email` ON `email`\n\n\
## Index strategy\n\n- No index on `region`: the table is small.\n- We do not index `nickname`.\n\
- Keep the composite index first on `email` so it also serves the key.\n";
    let p = run(md, &["users"]);
    assert_eq!(index_summary(&p), [("email".into(), "users".into(), vec!["email".into()], false)]);
    assert!(p.schema.table("strategy").is_none());
}

#[test]
fn both_referential_actions_of_a_bullet_are_read() {
    let md = "### posts\n\n- `member_id` → `members.id` ON DELETE CASCADE ON UPDATE RESTRICT\n";
    let p = run(md, &["posts", "members"]);
    let fk = &p.schema.table("posts").unwrap().foreign_keys[0];
    assert_eq!((fk.on_delete, fk.on_update), (Some(ReferentialAction::Cascade), Some(ReferentialAction::Restrict)));
}
