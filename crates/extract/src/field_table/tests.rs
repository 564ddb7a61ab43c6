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
