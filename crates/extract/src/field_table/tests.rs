//! Unit tests of the field-table front-end.

use super::naming::plural;
use super::*;
use crate::scan::scan;
use model::{DefaultValue, Identity, ReferentialAction, TypeKind};

fn run(md: &str) -> Partial {
    extract(&[scan("t.md".into(), md)])
}

const USERS: &str = "## 3. 테이블 상세\n\n### 3.1 users 테이블\n\n#### 스키마\n\n\
| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|\n\
| `id` | String(36) | PK, INDEX | UUID 문자열 |\n\
| `email` | String(100) | UNIQUE, NOT NULL, INDEX | 이메일 |\n\
| `username` | String(50) | NULLABLE | 이름 |\n\
| `is_active` | Boolean | DEFAULT=True | 활성 |\n\
| `provider` | String(20) | DEFAULT=\"google\" | OAuth |\n\
| `status` | VARCHAR(20) | DEFAULT='pending' | 작업 상태 ('pending', 'failed') |\n\
| `created_at` | DateTime(timezone=True) | DEFAULT=now() | 생성 |\n\
| `updated_at` | DateTime(timezone=True) | ON UPDATE=now() | 수정 |\n";

#[test]
fn korean_field_table_under_a_table_heading() {
    let p = run(USERS);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.table("users").unwrap();
    assert_eq!(t.columns.len(), 8);
    assert_eq!((t.origin.line, t.origin.column), (3, 9));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    let id = t.column("id").unwrap();
    assert!(!id.nullable && id.stated.nullable);
    assert_eq!(id.ty.kind, TypeKind::Varchar { len: Some(36) });
    assert_eq!(id.origin.line, 9);
    let email = t.column("email").unwrap();
    assert!(!email.nullable);
    assert_eq!(t.uniques[0].columns, ["email"]);
    let username = t.column("username").unwrap();
    assert!(username.nullable && username.stated.nullable);
    let active = t.column("is_active").unwrap();
    assert_eq!(active.default, Some(DefaultValue::Bool(true)));
    assert!(!active.stated.nullable && active.nullable && active.stated.default);
    assert_eq!(t.column("provider").unwrap().default, Some(DefaultValue::String("google".into())));
    let status = t.column("status").unwrap();
    assert_eq!(status.default, Some(DefaultValue::String("pending".into())));
    assert_eq!(status.comment.as_deref(), Some("작업 상태 ('pending', 'failed')"));
    assert_eq!(t.column("created_at").unwrap().default, Some(DefaultValue::CurrentTimestamp));
    assert_eq!(t.column("created_at").unwrap().ty.kind, TypeKind::Timestamp { tz: true, precision: None });
    assert_eq!(t.column("updated_at").unwrap().on_update.as_deref(), Some("now()"));
    assert!(p.schema.indexes.is_empty(), "PK and UNIQUE columns are indexed already: {:?}", p.schema.indexes);
}

#[test]
fn foreign_keys_written_and_inferred() {
    let md = "### posts\n\n| column | type | constraints |\n|---|---|---|\n\
| id | INTEGER | PK, AUTO_INCREMENT |\n\
| author_id | String(36) | FK(users.id), NOT NULL |\n\
| user_id | UUID | FK |\n\
| category_id | INT | FK → categories.id ON DELETE CASCADE |\n\
| tag_id | INT | REFERENCES tags(id) |\n\
| owner | INT | FK |\n";
    let p = run(md);
    let t = p.schema.table("posts").unwrap();
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
    let fks: Vec<_> =
        t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
    assert_eq!(
        fks,
        [
            ("author_id", "users", false),
            ("category_id", "categories", false),
            ("tag_id", "tags", false),
            ("user_id", "users", true),
        ]
    );
    assert_eq!(t.foreign_keys[1].on_delete, Some(ReferentialAction::Cascade));
    assert_eq!(t.foreign_keys[3].origin.notation, Notation::Inferred);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].rule, "field-table-foreign-key-without-target");
    let span = &p.diagnostics[0].span;
    assert_eq!((span.line, span.column, span.len), (10, 17, 2));
}

#[test]
fn comparison_and_storage_tables_are_not_field_tables() {
    let md = "### 4.2.1 users 테이블\n\n| 필드 | 문서 | 실제 구현 | 상태 |\n|---|---|---|---|\n\
| `id` | UUID | String(36) | ✅ 일치 |\n\n\
## 4. 저장소\n\n| 데이터 유형 | 저장소 | 이유 |\n|---|---|---|\n| 사용자 | JSON | 빠름 |\n\n\
## 용어\n\n| 이름 | 설명 |\n|---|---|\n| WAL | 로그 |\n";
    let p = run(md);
    assert!(p.schema.tables.is_empty());
    assert!(p.diagnostics.is_empty());
}

#[test]
fn prose_rows_under_field_headers_are_reported_not_read() {
    let md = "### members\n\n| 이름 | 타입 |\n|---|---|\n| 홍길동 | 관리자 |\n| 김철수 | 일반 |\n";
    let p = run(md);
    assert!(p.schema.tables.is_empty());
    assert_eq!(p.diagnostics[0].rule, "field-table-unrecognized");
}

#[test]
fn table_column_groups_rows_and_yes_no_columns_work() {
    let md = "## 스키마\n\n| Table | Column | Data Type | Nullable | Default | Key |\n|---|---|---|---|---|---|\n\
| orders | id | BIGINT | N | | PK |\n\
| | total | DECIMAL(10,2) | N | 0 | |\n\
| items | id | BIGINT | N | | PK |\n\
| | note | TEXT | Y | | |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let orders = p.schema.table("orders").unwrap();
    assert_eq!(orders.columns.len(), 2);
    let total = orders.column("total").unwrap();
    assert!(!total.nullable && total.stated.nullable);
    assert_eq!(total.default, Some(DefaultValue::Number("0".into())));
    assert_eq!(total.ty.kind, TypeKind::Decimal { precision: Some(10), scale: Some(2) });
    let items = p.schema.table("items").unwrap();
    assert!(items.column("note").unwrap().nullable);
    assert_eq!(items.primary_key.as_ref().unwrap().columns, ["id"]);
}

#[test]
fn unattached_tables_and_duplicates_are_reported() {
    let md = "| 필드명 | 타입 |\n|---|---|\n| id | INT |\n\n### users\n\n| 필드명 | 타입 |\n|---|---|\n\
| id | INT |\n| id | BIGINT |\n| user name | TEXT |\n";
    let p = run(md);
    let rules: Vec<_> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["unattached-field-table", "field-table-duplicate-column", "field-table-unreadable-row"]);
    assert_eq!(p.diagnostics[1].related[0].span.line, 9);
    let spans: Vec<(u32, u32, u32)> = p.diagnostics.iter().map(|d| (d.span.line, d.span.column, d.span.len)).collect();
    assert_eq!(spans, [(1, 1, 0), (10, 3, 2), (11, 3, 9)]);
    assert_eq!(p.diagnostics[1].related[0].span.len, 2);
    assert_eq!(p.schema.table("users").unwrap().columns.len(), 1);
}

#[test]
fn type_cells_with_trailing_constraints_and_korean_words() {
    let md = "### accounts\n\n| 컬럼명 | 자료형 | 제약 |\n|---|---|---|\n\
| id | SERIAL | 기본키 |\n| email | VARCHAR(255) NOT NULL | 고유 |\n| plan | TEXT | 필수, 기본값: 'free' |\n";
    let p = run(md);
    let t = p.schema.table("accounts").unwrap();
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::Serial));
    let email = t.column("email").unwrap();
    assert_eq!(email.ty.kind, TypeKind::Varchar { len: Some(255) });
    assert!(!email.nullable);
    assert_eq!(t.uniques.len(), 1);
    let plan = t.column("plan").unwrap();
    assert!(!plan.nullable);
    assert_eq!(plan.default, Some(DefaultValue::String("free".into())));
}

#[test]
fn every_vocabulary_reads_and_unfamiliar_types_are_kept() {
    let md = "### 주문 `orders`\n\n| 필드 | 타입 | 설명 |\n|---|---|---|\n\
| id | Long | PK |\n| total | BigDecimal | 금액 |\n| placed_at | LocalDateTime | |\n\
| shipping | Address | 배송지 (임베디드) |\n| tags | List[str] | |\n| timestamps | | 생성/수정 시각 |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
    let t = p.schema.table("orders").unwrap();
    let kinds: Vec<(&str, String)> = t.columns.iter().map(|c| (c.name.as_str(), c.ty.kind.to_string())).collect();
    assert_eq!(
        kinds,
        [
            ("id", "bigint".to_string()),
            ("total", "decimal".into()),
            ("placed_at", "timestamp".into()),
            ("shipping", "Address".into()),
            ("tags", "text[]".into()),
            ("created_at", "timestamp".into()),
            ("updated_at", "timestamp".into()),
        ]
    );
    // A table of prose is still not a field table.
    let prose = run("### roles\n\n| 이름 | 타입 |\n|---|---|\n| 홍길동 | Admin |\n| 김철수 | 일반 |\n");
    assert!(prose.schema.tables.is_empty());
}

#[test]
fn garbled_input_never_panics() {
    let inputs = [
        "### t\n| 필드명 | 타입 | 제약조건 |\n|---|---|---|\n| a | String( | FK(( DEFAULT= 'x |\n",
        "### t\n| 필드명 | 타입 | 제약조건 |\n|---|---|---|\n| 🔑 | ( | ON UPDATE |\n| b | INT | FK → |\n",
        "### t\n| name | type |\n|---|\n| x |\n",
        "| 필드명 | 타입 |\n",
    ];
    for md in inputs {
        let _ = run(md);
    }
}

#[test]
fn names_and_plurals() {
    assert_eq!(to_snake("UserProfile"), "user_profile");
    assert_eq!(to_snake("HTTPLog"), "http_log");
    assert_eq!(plural("category"), "categories");
    assert_eq!(plural("box"), "boxes");
    assert_eq!(plural("day"), "days");
    assert_eq!(fk_target_from_column("authorId", &BTreeSet::new()).as_deref(), Some("authors"));
    let known: BTreeSet<String> = ["person".to_string()].into();
    assert_eq!(fk_target_from_column("person_id", &known).as_deref(), Some("person"));
    assert_eq!(fk_target_from_column("owner", &known), None);
}

#[test]
fn headings_with_more_words_than_the_name() {
    let md = "## 2. Tables\n\n### 2-1. `seed_lots` — stored lots (`SeedLot` entity, v3)\n\n\
| column | type |\n|---|---|\n| lot_id | bigint |\n\n\
### 2-2. germination_tests (CSV import)\n\n| column | type |\n|---|---|\n| test_id | bigint |\n\n\
### 사용자 (users)\n\n| 컬럼 | 타입 |\n|---|---|\n| id | BIGINT |\n\n\
### Invoices v2 — what we bill\n\n| column | type |\n|---|---|\n| id | BIGINT |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["seed_lots", "germination_tests", "users", "Invoices"]);
    let t = p.schema.table("seed_lots").unwrap();
    assert_eq!(t.comment.as_deref(), Some("SeedLot"));
    // The origin points at the name inside its backticks.
    assert_eq!((t.origin.line, t.origin.column), (3, 11));
    assert_eq!(p.schema.table("users").unwrap().comment.as_deref(), Some("사용자"));
    assert_eq!(p.schema.table("Invoices").unwrap().comment.as_deref(), Some("what we bill"));
}

#[test]
fn table_name_and_key_paragraphs() {
    let md = "### 3. Locker\n\n**Table Name**: `gym_lockers`\n\n**Primary Key**: `locker_no`\n\n\
| Column | Type | Nullable |\n|---|---|---|\n| locker_no | INT | YES |\n| member_id | INT | YES |\n\n\
### 4. 회원\n\n- 테이블명: members\n\n**논리명**: 회원 정보\n**기본키**: (club_id, member_no)\n\
**외래키**: club_id → clubs.id\n\n\
| 컬럼 | 타입 |\n|---|---|\n| club_id | INT |\n| member_no | INT |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let lockers = p.schema.table("gym_lockers").unwrap();
    assert_eq!(lockers.comment.as_deref(), Some("Locker"));
    assert_eq!(lockers.primary_key.as_ref().unwrap().columns, ["locker_no"]);
    // A primary-key column is NOT NULL even where the row says it may be NULL.
    assert!(!lockers.column("locker_no").unwrap().nullable);
    assert_eq!((lockers.origin.line, lockers.origin.column), (3, 18));
    // `테이블명: x` written as a bullet names the table too; the heading's word is its label
    // unless a `논리명` line gives one.
    let members = p.schema.table("members").unwrap();
    assert_eq!(members.columns.len(), 2);
    assert_eq!(members.comment.as_deref(), Some("회원 정보"));
    assert_eq!(members.primary_key.as_ref().unwrap().columns, ["club_id", "member_no"]);
    assert_eq!(members.foreign_keys[0].ref_table, "clubs");
}

#[test]
fn korean_key_paragraphs_name_the_table() {
    let md = "### 4. 회원\n\n**테이블명**: `members` (회원)\n**기본키**: (club_id, member_no)\n\
**외래키**: club_id → clubs.id, referrer_no references members(member_no)\n\n\
| 컬럼 | 타입 |\n|---|---|\n| club_id | INT |\n| member_no | INT |\n| referrer_no | INT |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.table("members").unwrap();
    assert_eq!(t.comment.as_deref(), Some("회원"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["club_id", "member_no"]);
    let fks: Vec<(&str, &str)> = t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str())).collect();
    assert_eq!(fks, [("club_id", "clubs"), ("referrer_no", "members")]);
    assert_eq!(t.foreign_keys[1].origin.line, 5);
}

#[test]
fn keys_in_description_and_key_columns() {
    let md = "### pottery_classes\n\n| 컬럼명 | 타입 | FK | 설명 |\n|---|---|---|---|\n\
| id | BIGINT | - | PK, 내부 식별자 |\n| studio_id | BIGINT | `studios.id` | 스튜디오 |\n\
| teacher_id | BIGINT | | teachers.id 참조 |\n| room_id | INT | Y | 강의실 |\n\
| note | TEXT | | references the lesson plan |\n| kiln_id | INT | | 가마, kilns 테이블의 id 참조 |\n";
    let p = run(md);
    let t = p.schema.table("pottery_classes").unwrap();
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    let fks: Vec<(&str, &str, bool)> =
        t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
    assert_eq!(
        fks,
        [
            ("studio_id", "studios", false),
            ("teacher_id", "teachers", false),
            ("kiln_id", "kilns", false),
            ("room_id", "rooms", true)
        ]
    );
    assert_eq!(t.foreign_keys[2].ref_columns, ["id"]);
    // Prose that says "references" without a written target is no key.
    assert!(t.column("note").unwrap().nullable);
    let md = "### courses\n\n| Field | Type | Description |\n|---|---|---|\n\
| id | Int | Auto-incrementing primary key. |\n| owner_id | Int | FK → users.id |\n\
| title | String | A unique title, not null |\n";
    let p = run(md);
    let t = p.schema.table("courses").unwrap();
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
    assert_eq!(t.foreign_keys[0].ref_table, "users");
    // Lower-case prose words are not constraints.
    assert!(t.uniques.is_empty());
    assert!(t.column("title").unwrap().nullable);
}

#[test]
fn key_flag_columns() {
    let md = "### items\n\n| name | type | PK | UK | AI | Index |\n|---|---|---|---|---|---|\n\
| id | INT | Y | | Y | |\n| sku | VARCHAR(20) | | ✓ | | |\n| shelf | INT | N | | | O |\n";
    let p = run(md);
    let t = p.schema.table("items").unwrap();
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
    assert_eq!(t.uniques[0].columns, ["sku"]);
    assert_eq!(p.schema.indexes[0].parts[0].column.as_deref(), Some("shelf"));
}

#[test]
fn constraint_words_in_a_default_column() {
    let md = "### hikers\n\n| 컬럼 | 타입 | 기본값 |\n|---|---|---|\n\
| id | BIGINT | PK, AUTOINCREMENT |\n| nickname | TEXT | NOT NULL, UNIQUE |\n| level | TEXT | 'novice' |\n\
| joined | DATE | CURRENT_DATE, NOT NULL |\n| serial_no | INT | auto |\n| memo | TEXT | NULL |\n";
    let p = run(md);
    let t = p.schema.table("hikers").unwrap();
    let id = t.column("id").unwrap();
    assert_eq!((id.default.clone(), id.identity), (None, Some(Identity::AutoIncrement)));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    let nick = t.column("nickname").unwrap();
    assert!(nick.default.is_none() && !nick.nullable);
    assert_eq!(t.uniques[0].columns, ["nickname"]);
    assert_eq!(t.column("level").unwrap().default, Some(DefaultValue::String("novice".into())));
    let joined = t.column("joined").unwrap();
    assert!(joined.default.is_some() && !joined.nullable);
    assert_eq!(t.column("serial_no").unwrap().identity, Some(Identity::AutoIncrement));
    assert_eq!(t.column("memo").unwrap().default, Some(DefaultValue::Null));
}

#[test]
fn packed_rows_are_one_column_each() {
    let md = "### `deliveries`\n\n| 컬럼 | 타입 | 제약 | 설명 |\n|---|---|---|---|\n\
| `id` | uuid | PK | |\n| `queued_at` / `sent_at` / `acked_at` | timestamptz | NN / null / null | |\n\
| created_by, updated_by | BIGINT | FK → users.id | 작성자 / 수정자 |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.table("deliveries").unwrap();
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "queued_at", "sent_at", "acked_at", "created_by", "updated_by"]);
    assert!(!t.column("queued_at").unwrap().nullable && t.column("acked_at").unwrap().nullable);
    assert_eq!(t.foreign_keys.len(), 2);
    assert_eq!(t.column("updated_by").unwrap().comment.as_deref(), Some("수정자"));
    // Each packed name keeps its own place in the cell.
    assert!(t.column("sent_at").unwrap().origin.column > t.column("queued_at").unwrap().origin.column);
}

#[test]
fn prisma_marks_in_type_cells() {
    let md = "### Course\n\n| Field | Type | Description |\n| --- | --- | --- |\n\
| id | Int | primary key |\n| subtitle | String? | Optional subtitle. |\n| tags | String[] | labels |\n\
| starts_on | DateTime? | |\n";
    let p = run(md);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.table("Course").unwrap();
    let sub = t.column("subtitle").unwrap();
    assert!(sub.nullable && sub.stated.nullable);
    assert_eq!(sub.ty.spelling, "String");
    assert!(matches!(t.column("tags").unwrap().ty.kind, TypeKind::Array { .. }));
    assert!(t.column("starts_on").unwrap().nullable);
}

#[test]
fn subdocument_tables_stay_apart() {
    let md = "### `playlists`\n\n| Field | Type |\n| --- | --- |\n| `name` | String |\n\n\
#### `playlists.tracks[]`\n\n| Field | Type |\n| --- | --- |\n| `track_title` | String |\n| `seconds` | Number |\n\n\
#### `albums.songs[]`\n\n| Field | Type |\n| --- | --- |\n| `title` | String |\n";
    let p = run(md);
    let t = p.schema.table("playlists").unwrap();
    let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["name", "tracks"]);
    assert_eq!(t.column("tracks").unwrap().ty.kind, TypeKind::Json);
    assert!(p.schema.table("albums").is_none());
    let rules: Vec<&str> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["field-table-subdocument", "field-table-subdocument"]);
    assert_eq!((p.diagnostics[0].span.line, p.diagnostics[0].span.column), (7, 7));
}

#[test]
fn key_catalog_tables() {
    let md = "## Constraints\n\n| constraint | table | column | references | on delete |\n|---|---|---|---|---|\n\
| fk_orders_customer | orders | customer_id | customers(id) | CASCADE |\n\
| uq_orders_code | orders | code | - | |\n\n\
## 인덱스\n\n| 이름 | 유형 | 테이블 | 컬럼 |\n|---|---|---|---|\n\
| idx_orders_customer | INDEX | orders | customer_id |\n| ux_orders_code | UNIQUE INDEX | orders | (code, customer_id) |\n\
| pk_orders | PK | orders | id |\n| fk_orders_x | FK | orders | x_id |\n";
    let p = run(md);
    let t = p.schema.table("orders").unwrap();
    assert!(p.altered_only.contains("orders"));
    assert_eq!(t.foreign_keys[0].ref_table, "customers");
    assert_eq!(t.foreign_keys[0].on_delete, Some(ReferentialAction::Cascade));
    assert_eq!(t.uniques[0].name.as_deref(), Some("uq_orders_code"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    let idx: Vec<(bool, usize)> = p.schema.indexes.iter().map(|i| (i.unique, i.parts.len())).collect();
    assert_eq!(idx, [(false, 1), (true, 2)]);
    let rules: Vec<&str> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules, ["field-table-foreign-key-without-target"]);
    // A field table with a `table` column and column types is not a key catalog.
    let md =
        "| table | column | type | references |\n|---|---|---|---|\n| a | id | INT | |\n| b | a_id | INT | a.id |\n";
    let p = run(md);
    assert_eq!(p.schema.table("b").unwrap().foreign_keys[0].ref_table, "a");
    assert!(p.altered_only.is_empty());
}

#[test]
fn key_paragraphs_without_a_field_table_alter_the_named_table() {
    let md = "### invoices\n\n**Primary Key**: `invoice_no`\n**Foreign Keys**: customer_id → customers.id\n\n\
```sql\nCREATE TABLE invoices (invoice_no BIGINT);\n```\n\n### Notes\n\n**Primary Key**: id\n";
    let p = run(md);
    let t = p.schema.table("invoices").unwrap();
    assert!(p.altered_only.contains("invoices"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["invoice_no"]);
    assert_eq!(t.foreign_keys[0].ref_table, "customers");
    assert_eq!(t.primary_key.as_ref().unwrap().origin.line, 3);
    // Under a heading that names no table, the paragraph is left for the unread-items report.
    assert_eq!(p.schema.tables.len(), 1);
    let read: Vec<u32> = p.read.iter().map(|(_, l)| *l).collect();
    assert_eq!(read, [3]);
}

#[test]
fn spaced_korean_key_words() {
    let md = "### 주문 (orders)\n\n| 컬럼 | 타입 | 설명 |\n|---|---|---|\n\
| order_no | BIGINT | 기본 키 |\n| buyer_id | BIGINT | 외래 키 → buyers.id |\n| memo | TEXT | 기본 배송지 메모 |\n";
    let p = run(md);
    let t = p.schema.table("orders").unwrap();
    assert_eq!(t.comment.as_deref(), Some("주문"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["order_no"]);
    assert_eq!(t.foreign_keys[0].ref_table, "buyers");
    assert!(t.column("memo").unwrap().nullable);
}

#[test]
fn a_bare_fk_takes_the_target_its_description_names() {
    let md = "### 1. Kennels (견사)\n\n| 컬럼명 | 데이터 타입 | NULL | 키 | 설명 |\n|---|---|---|---|---|\n\
| KennelID | INT | NO | PK | ID |\n| DogID | INT | NO | FK | Dogs.DogID |\n| OwnerID | INT | NO | FK | see Owners.ID or Staff.ID |\n";
    let p = run(md);
    let t = p.schema.table("Kennels").unwrap();
    assert_eq!(t.foreign_keys[0].ref_table, "Dogs");
    assert_eq!(t.foreign_keys[0].ref_columns, ["DogID"]);
    // Two candidates: no guess, and the bare FK is reported.
    assert_eq!(t.foreign_keys.len(), 1);
    assert_eq!(p.diagnostics[0].rule, "field-table-foreign-key-without-target");
}

#[test]
fn keys_written_in_descriptions_key_columns_and_language_type_headers() {
    let md = "### parts\n\n| Column | Java type | Constraints | Notes |\n|---|---|---|---|\n\
| id | Long | PK | |\n\
| order_id | Long | NOT NULL | references orders(id), indexed |\n\
| sku | String | NOT NULL | not indexed: read through the order |\n\
| bin | String | | → bins.code |\n";
    let p = run(md);
    let t = p.schema.table("parts").expect("a `Java type` header is a type column");
    assert_eq!(t.column("id").unwrap().ty.spelling, "Long");
    let fks: Vec<(&str, &str, Vec<String>)> =
        t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.ref_columns.clone())).collect();
    assert_eq!(fks, [("order_id", "orders", vec!["id".to_string()]), ("bin", "bins", vec!["code".to_string()])]);
    let indexed: Vec<&str> = p.schema.indexes.iter().filter_map(|i| i.parts[0].column.as_deref()).collect();
    assert_eq!(indexed, ["order_id"], "`indexed` alone is an index; `not indexed` and prose are not");
}

#[test]
fn an_index_on_a_later_column_of_a_composite_key_is_kept() {
    let md = "### seats\n\n| 컬럼명 | 타입 | 제약조건 |\n|---|---|---|\n\
| class_id | INTEGER | PK, INDEX |\n| seat_no | INTEGER | PK, INDEX |\n";
    let p = run(md);
    assert_eq!(p.schema.table("seats").unwrap().primary_key.as_ref().unwrap().columns, ["class_id", "seat_no"]);
    let indexed: Vec<&str> = p.schema.indexes.iter().filter_map(|i| i.parts[0].column.as_deref()).collect();
    assert_eq!(indexed, ["seat_no"], "the key's own index serves its first column");
}

#[test]
fn catalogs_whose_header_names_the_kind_of_every_row() {
    let md = "### 제약조건\n\n| FK | 테이블 | 컬럼 | 참조 |\n|---|---|---|---|\n\
| fk_doctors_clinic | doctors | clinic_id | clinics(clinic_id) |\n\n\
| index | table | columns |\n|---|---|---|\n| idx_moves_bin | stock_moves | bin_id, moved_at |\n";
    let p = run(md);
    let fk = &p.schema.table("doctors").unwrap().foreign_keys[0];
    assert_eq!((fk.name.as_deref(), fk.ref_table.as_str()), (Some("fk_doctors_clinic"), "clinics"));
    assert_eq!(fk.ref_columns, ["clinic_id"]);
    let idx = &p.schema.indexes[0];
    assert_eq!((idx.name.as_deref(), idx.table.as_str(), idx.unique), (Some("idx_moves_bin"), "stock_moves", false));
    assert_eq!(idx.parts.len(), 2);
}

#[test]
fn key_catalogs_under_a_table_heading_and_headed_by_kind() {
    let md = "### users\n\n| 컬럼 | 타입 | 설명 |\n|---|---|---|\n| id | BIGINT | PK |\n| email | TEXT | |\n| team_id | BIGINT | |\n\n\
#### 인덱스\n\n| 인덱스명 | 컬럼 | 유형 | 비고 |\n|---|---|---|---|\n\
| uq_users_email | email | UNIQUE | 로그인 |\n| idx_users_team | team_id | BTREE | |\n\n\
## Unique keys\n\n| table | unique columns |\n|---|---|\n| teams | name, city |\n";
    let p = run(md);
    let users = p.schema.table("users").unwrap();
    assert_eq!(users.uniques[0].columns, ["email"]);
    assert_eq!(users.uniques[0].name.as_deref(), Some("uq_users_email"));
    let idx = &p.schema.indexes[0];
    assert_eq!((idx.name.as_deref(), idx.table.as_str()), (Some("idx_users_team"), "users"));
    assert_eq!(p.schema.table("teams").unwrap().uniques[0].columns, ["name", "city"]);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn a_bare_fk_naming_only_a_table_references_that_table() {
    let md = "### users\n\n| 컬럼 | 타입 | 설명 |\n|---|---|---|\n| id | BIGINT | PK |\n\n\
### posts\n\n| 컬럼 | 타입 | 설명 |\n|---|---|---|\n| id | BIGINT | PK |\n\
| owner_id | BIGINT | FK (users) |\n| editor_id | BIGINT | Foreign key to users |\n\
| note | TEXT | references the style guide |\n";
    let p = run(md);
    let t = p.schema.table("posts").unwrap();
    let fks: Vec<(&str, &str, bool)> =
        t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
    assert_eq!(fks, [("owner_id", "users", false), ("editor_id", "users", false)]);
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn relationship_tables_are_keys_on_the_child() {
    let md = "## 관계 정의\n\n| 관계 | 부모 테이블 | 자식 테이블 | FK 컬럼 | 카디널리티 |\n|---|---|---|---|---|\n\
| 작성 | users | posts | posts.user_id | 1:N |\n\n## Relationships\n\n\
| Parent | Child | Foreign key | Cardinality |\n|---|---|---|---|\n| posts | comments | post_id | 1:N |\n";
    let p = run(md);
    let fk = |t: &str| {
        let f = &p.schema.table(t).unwrap().foreign_keys[0];
        (f.columns.clone(), f.ref_table.clone(), f.name.clone())
    };
    assert_eq!(fk("posts"), (vec!["user_id".to_string()], "users".to_string(), None));
    assert_eq!(fk("comments"), (vec!["post_id".to_string()], "posts".to_string(), None));
    assert!(p.diagnostics.is_empty(), "{:#?}", p.diagnostics);
}

#[test]
fn a_table_definition_with_logical_and_physical_names_and_a_length_column() {
    let md = "### TB_ORDER (주문)\n\n| No | 논리명 | 물리명 | 타입 | 길이 | NULL | PK | FK | 비고 |\n\
|---|---|---|---|---|---|---|---|---|\n\
| 1 | 주문번호 | ORDER_NO | NUMBER | 12 | N | Y | | |\n\
| 2 | 회원번호 | MEMBER_NO | NUMBER | 10 | N | | Y | TB_MEMBER.MEMBER_NO |\n\
| 3 | 주문금액 | AMOUNT | NUMBER | 12,2 | N | | | |\n| 4 | 메모 | MEMO | VARCHAR2(200) | 200 | Y | | | |\n";
    let p = run(md);
    let t = p.schema.table("TB_ORDER").expect("the physical name is the column name");
    let cols: Vec<(&str, &str)> = t.columns.iter().map(|c| (c.name.as_str(), c.ty.spelling.as_str())).collect();
    assert_eq!(
        cols,
        [
            ("ORDER_NO", "NUMBER(12)"),
            ("MEMBER_NO", "NUMBER(10)"),
            ("AMOUNT", "NUMBER(12,2)"),
            ("MEMO", "VARCHAR2(200)")
        ]
    );
    assert_eq!(t.column("ORDER_NO").unwrap().comment.as_deref(), Some("주문번호"));
    assert_eq!(t.column("MEMBER_NO").unwrap().comment.as_deref(), Some("회원번호 — TB_MEMBER.MEMBER_NO"));
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["ORDER_NO"]);
    assert_eq!(t.foreign_keys[0].ref_table, "TB_MEMBER");
    assert!(t.column("MEMO").unwrap().nullable);
}

#[test]
fn a_target_followed_by_fk_and_fk_dash_target_are_references() {
    let md = "### comments\n\n| 컬럼 | 타입 | 제약 |\n|---|---|---|\n| id | BIGINT | PK (auto increment) |\n\
| post_id | BIGINT | posts.id (FK) |\n| author_id | BIGINT | FK - users.id |\n| note | TEXT | users.id (see) |\n";
    let p = run(md);
    let t = p.schema.table("comments").unwrap();
    let fks: Vec<(&str, &str, bool)> =
        t.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str(), f.inferred)).collect();
    assert_eq!(fks, [("post_id", "posts", false), ("author_id", "users", false)]);
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::AutoIncrement));
}

#[test]
fn sql_identity_words_say_which_identity() {
    let p = run("## jobs\n\n| column | type | constraints |\n|---|---|---|\n\
        | id | bigint | PK, GENERATED ALWAYS AS IDENTITY |\n\
        | n | integer | NOT NULL, generated by default as identity |\n\
        | m | integer | IDENTITY |\n\
        | g | integer | GENERATED |\n");
    let t = p.schema.table("jobs").unwrap();
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::Always));
    assert_eq!(t.column("n").unwrap().identity, Some(Identity::ByDefault));
    assert!(!t.column("n").unwrap().nullable);
    assert_eq!(t.column("m").unwrap().identity, Some(Identity::AutoIncrement));
    assert_eq!(t.column("g").unwrap().identity, None);
}
