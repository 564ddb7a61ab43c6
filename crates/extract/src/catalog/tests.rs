use super::*;
use crate::scan::scan;

fn read(text: &str) -> Partial {
    let doc = scan("t.md".into(), text);
    extract(&[doc], &BTreeSet::new(), &BTreeSet::new())
}

fn names(p: &Partial) -> Vec<String> {
    p.schema.tables.iter().map(Table::qualified_name).collect()
}

#[test]
fn bullets_under_a_tables_heading_declare_tables() {
    let p = read(
        "# Zoo\n\n## Table Structure\n\n### Animal care (3 tables)\n- `enclosures` - Enclosure definitions\n- `animals` - Individual animals\n- `feeding_logs` - Daily feeding records\n",
    );
    assert_eq!(names(&p), ["enclosures", "animals", "feeding_logs"]);
    assert!(p.schema.tables.iter().all(|t| t.is_declared_only() && t.columns.is_empty()));
    assert_eq!(p.schema.tables[1].comment.as_deref(), Some("Individual animals"));
    assert_eq!(p.read.len(), 3);
}

#[test]
fn korean_bullets_with_plain_names_and_group_labels() {
    let p = read("## 테이블 목록\n\n- 회원 도메인\n  - users: 회원\n  - user_profiles: 프로필\n- 주문 도메인\n  - orders — 주문\n");
    assert_eq!(names(&p), ["users", "user_profiles", "orders"]);
}

#[test]
fn prose_bullets_are_not_catalogs() {
    // No catalog heading.
    assert!(read("## Notes\n- `users` - keep it small\n- `orders` - archive yearly\n").schema.tables.is_empty());
    // Under a catalog heading, but prose.
    assert!(read("## Tables\n- Keep names plural\n- Use snake_case\n").schema.tables.is_empty());
    // Columns of one table, not a catalog.
    assert!(read("## Tables\n- `users`\n  - `id` bigint\n  - `email` text\n").schema.tables.is_empty());
    // Column bullets with types.
    assert!(read("## Tables\n- `id`: bigint, PK\n- `email`: varchar(255)\n").schema.tables.is_empty());
    // One plain word is not enough.
    assert!(read("## Tables\n- users\n").schema.tables.is_empty());
}

#[test]
fn two_column_catalog_tables() {
    let p =
        read("## 스키마 개요\n\n| 테이블 | 역할 |\n|---|---|\n| `kilns` | 가마 정보 |\n| `firings` | 소성 기록 |\n");
    assert_eq!(names(&p), ["kilns", "firings"]);
    assert_eq!(p.schema.tables[0].comment.as_deref(), Some("가마 정보"));
    let p = read("| Table | Purpose |\n|---|---|\n| users (회원) | accounts |\n| 회원 | no name |\n| audit_log | who did what |\n");
    assert_eq!(names(&p), ["users", "audit_log"]);
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert!(p.diagnostics[0].message.contains("`회원` is not a table name"));
}

#[test]
fn tables_that_are_not_catalogs_are_left_alone() {
    // A field table.
    assert!(read("| 필드명 | 타입 | 설명 |\n|---|---|---|\n| id | bigint | 키 |\n").schema.tables.is_empty());
    // A table of names without a catalog heading.
    assert!(read("| name | description |\n|---|---|\n| api_key | the key |\n| region | where |\n")
        .schema
        .tables
        .is_empty());
    // A table column of prose.
    assert!(read("| table | note |\n|---|---|\n| Holds users | big |\n| Keep it | small |\n").schema.tables.is_empty());
}

#[test]
fn rows_with_main_columns_and_keys_state_untyped_columns() {
    let p = read(
        "## Tables\n\n| table | main columns | keys and constraints |\n|---|---|---|\n| `bakeries` | `id`, `name`, `city` | PK id |\n| `loaves` | `id`, `bakery_id`, `flour_kg`, `baked_on` | PK id; FK `bakery_id→bakeries`; flour_kg > 0 |\n",
    );
    let loaves = p.schema.table("loaves").expect("loaves");
    assert!(loaves.columns_stated);
    let cols: Vec<&str> = loaves.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "bakery_id", "flour_kg", "baked_on"]);
    assert!(loaves.columns.iter().all(|c| c.ty.is_unstated()));
    assert_eq!(loaves.primary_key.as_ref().map(|k| k.columns.clone()), Some(vec!["id".to_string()]));
    assert_eq!(loaves.foreign_keys[0].ref_table, "bakeries");
    assert_eq!(loaves.checks[0].expr, "flour_kg > 0");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn a_key_naming_an_unlisted_column_is_reported() {
    let p = read(
        "| 테이블 | 주요 컬럼 | 키 |\n|---|---|---|\n| orders | id, user_id | PK id; FK customer_id → customers |\n",
    );
    assert_eq!(p.schema.table("orders").unwrap().foreign_keys.len(), 0);
    assert_eq!(p.diagnostics.len(), 1);
    assert!(p.diagnostics[0].message.contains("FK customer_id → customers"), "{}", p.diagnostics[0].message);
}

#[test]
fn fenced_lists_grouped_by_schema() {
    let p = read(
        "## Schema layout\n\n```\ncatalog     artwork · artist · medium\nloans       loan_request · loan_item\n```\n",
    );
    assert_eq!(
        names(&p),
        ["catalog.artwork", "catalog.artist", "catalog.medium", "loans.loan_request", "loans.loan_item"]
    );
    assert_eq!(p.schema.tables[3].origin.line, 5);
    // Not under a layout heading: a plain block is not read.
    assert!(read("## Setup\n\n```\ncatalog  artwork · artist\n```\n").schema.tables.is_empty());
}

#[test]
fn similar_to_stubs_declare_the_table() {
    let p = read(
        "### order_archive\n\nSame structure as `orders`.\n\n### 주문 백업 (order_backup)\n\n`orders` 테이블과 동일\n",
    );
    assert_eq!(names(&p), ["order_archive", "order_backup"]);
    assert!(p.schema.tables[0].comment.as_deref().unwrap().contains("`orders`"));
    assert!(p.schema.tables.iter().all(Table::is_declared_only));
}

#[test]
fn entries_saying_not_created_declare_nothing() {
    let p =
        read("## Tables\n\n| 테이블 | 비고 |\n|---|---|\n| users | 회원 |\n| legacy_users | 미사용 (삭제 예정) |\n");
    assert_eq!(names(&p), ["users"]);
    assert_eq!(p.diagnostics[0].rule, "excluded-from-design");
}

#[test]
fn a_catalog_of_logical_names_only_is_reported() {
    let p = read("## 테이블 목록\n\n| 테이블 | 설명 |\n|---|---|\n| 회원 | 회원 정보 |\n| 주문 | 주문 정보 |\n");
    assert!(p.schema.tables.is_empty());
    assert_eq!(p.diagnostics.len(), 1);
    assert!(p.diagnostics[0].message.contains("holds no table names"), "{}", p.diagnostics[0].message);
}

#[test]
fn linked_and_numbered_catalog_bullets() {
    let p = read("## Tables\n\n1. [users](#users) — accounts\n2. [`order_items`](#order_items) — lines of an order\n");
    assert_eq!(names(&p), ["users", "order_items"]);
    assert_eq!(p.schema.tables[0].comment.as_deref(), Some("accounts"));
}

#[test]
fn a_heading_can_be_the_whole_stub() {
    let p = read("### order_archive (orders와 동일)\n\n### `refund_log` — same as `payment_log`\n");
    assert_eq!(names(&p), ["order_archive", "refund_log"]);
    assert!(p.schema.tables.iter().all(Table::is_declared_only));
}
