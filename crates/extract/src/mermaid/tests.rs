use super::*;
use crate::scan::scan;

fn run(text: &str) -> Partial {
    extract(&[scan("erd.md".into(), text)])
}

fn fk<'a>(p: &'a Partial, table: &str, column: &str) -> Option<&'a ForeignKey> {
    p.schema.table(table)?.foreign_keys.iter().find(|f| f.columns == [column])
}

const SHOP: &str = "# 쇼핑몰 ERD\n\n```mermaid\nerDiagram\n    %% 관계\n    USERS ||--o{ ORDERS : \"주문\"\n    ORDERS ||--|{ ORDER_ITEMS : contains\n    PRODUCTS ||--o{ ORDER_ITEMS : \"listed in\"\n    USERS {\n        INTEGER id PK \"자동 증가 (AUTO)\"\n        string email UK \"NOT NULL\"\n        string nickname \"nullable\"\n        int points \"default: 0\"\n    }\n    ORDERS {\n        string id PK\n        string user_id FK\n        string status \"pending|paid|shipped\"\n    }\n    ORDER_ITEMS {\n        string order_id PK, FK\n        string product_id PK,FK\n        int qty\n    }\n```\n";

#[test]
fn entities_become_tables_with_positions() {
    let p = run(SHOP);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    // PRODUCTS appears only in a relationship: a table known by name, its columns not stated.
    assert_eq!(names, ["USERS", "ORDERS", "ORDER_ITEMS", "PRODUCTS"]);
    let products = p.schema.table("products").unwrap();
    assert!(products.is_declared_only() && products.columns.is_empty());
    assert_eq!((products.origin.line, products.origin.column), (8, 5));
    let users = p.schema.table("users").unwrap();
    assert_eq!((users.origin.line, users.origin.column), (9, 5));
    let email = users.column("email").unwrap();
    assert_eq!((email.origin.line, email.origin.column), (11, 16));
    assert_eq!(users.uniques[0].columns, ["email"]);
    assert!(!email.nullable && email.stated.nullable);
    assert_eq!(email.comment, None);
    let nick = users.column("nickname").unwrap();
    assert!(nick.nullable && nick.stated.nullable);
    let points = users.column("points").unwrap();
    assert_eq!(points.default, Some(DefaultValue::Number("0".into())));
    assert!(points.stated.default && !points.stated.nullable);
    let id = users.column("id").unwrap();
    assert_eq!(id.identity, Some(Identity::AutoIncrement));
    assert_eq!(id.comment.as_deref(), Some("자동 증가 (AUTO)"));
    assert!(!id.ty.exact);
}

#[test]
fn relationship_lines_alone_declare_tables_and_keep_the_relationships() {
    let p = run("```mermaid\nerDiagram\n  VOLUNTEERS ||--o{ SHIFTS : works\n  SHIFTS }o--|| STATIONS : at\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["VOLUNTEERS", "SHIFTS", "STATIONS"]);
    assert!(p.schema.tables.iter().all(|t| t.is_declared_only()));
    let shifts = p.schema.table("shifts").unwrap();
    let targets: Vec<&str> = shifts.foreign_keys.iter().map(|f| f.ref_table.as_str()).collect();
    assert_eq!(targets, ["VOLUNTEERS", "STATIONS"]);
    // No column name is invented.
    assert!(shifts.foreign_keys.iter().all(|f| f.columns.is_empty() && f.ref_columns.is_empty() && !f.inferred));
}

#[test]
fn unmarked_columns_state_nothing_and_comments_are_kept() {
    let p = run(SHOP);
    let status = p.schema.table("orders").unwrap().column("status").unwrap();
    assert_eq!(status.stated, Stated { nullable: false, default: false });
    assert_eq!(status.comment.as_deref(), Some("pending|paid|shipped"));
    assert_eq!(status.ty.kind, TypeKind::Text);
}

#[test]
fn foreign_keys_follow_relationship_lines() {
    let p = run(SHOP);
    let f = fk(&p, "orders", "user_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.ref_columns.as_slice(), f.inferred), ("USERS", &["id".to_string()][..], false));
    assert_eq!(f.origin.line, 6);
    // Two parents: the column name decides between them.
    let f = fk(&p, "order_items", "order_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred), ("ORDERS", true));
    let f = fk(&p, "order_items", "product_id").unwrap();
    assert_eq!(f.ref_table, "PRODUCTS");
    assert!(f.ref_columns.is_empty(), "PRODUCTS has no attributes, so its key is not known");
    let items = p.schema.table("order_items").unwrap();
    assert_eq!(items.primary_key.as_ref().unwrap().columns, ["order_id", "product_id"]);
}

#[test]
fn fk_without_relationship_is_inferred_from_the_name_or_reported() {
    let p = run("```mermaid\nerDiagram\n  users ||--o{ uploads : has\n  jobs { int id PK }\n  users { int id PK }\n  uploads {\n    int id PK\n    int user_id FK\n    int job_id FK\n    int owner FK\n  }\n```\n");
    let f = fk(&p, "uploads", "job_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred, f.origin.line), ("jobs", true, 9));
    assert!(!fk(&p, "uploads", "user_id").unwrap().inferred);
    assert!(fk(&p, "uploads", "owner").is_none());
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    assert_eq!(p.diagnostics[0].rule, "mermaid-foreign-key-target-unknown");
    assert_eq!(p.diagnostics[0].span.line, 10);
}

#[test]
fn relationship_lines_without_fk_marks_use_the_named_column() {
    let p = run("```mermaid\nerDiagram\n  CATEGORY ||--o{ POSTS : has\n  POSTS }o--o{ TAGS : tagged\n  AUTHORS ||--o{ POSTS : writes\n  POSTS {\n    int id PK\n    int category_id\n  }\n```\n");
    let f = fk(&p, "posts", "category_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred, f.origin.line), ("CATEGORY", true, 3));
    let rules: Vec<(&str, u32)> = p.diagnostics.iter().map(|d| (d.rule, d.span.line)).collect();
    assert_eq!(
        rules,
        [("mermaid-relationship-without-foreign-key", 4), ("mermaid-relationship-without-foreign-key", 5)]
    );
}

#[test]
fn a_repeated_relationship_line_does_not_claim_the_column_is_missing() {
    let p = run("```mermaid\nerDiagram\n  ROOMS ||--o{ BOOKINGS : has\n  ROOMS {\n    int id PK\n  }\n  BOOKINGS {\n    int id PK\n    int room_id FK\n  }\n  ROOMS ||--o{ BOOKINGS : \"also has\"\n```\n");
    let f = fk(&p, "bookings", "room_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.origin.line), ("ROOMS", 3));
    assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
    let d = &p.diagnostics[0];
    assert_eq!((d.rule, d.span.line, d.span.len), ("mermaid-relationship-without-foreign-key", 11, 34));
    assert!(!d.message.contains("has no FK attribute"), "{}", d.message);
    assert!(d.message.contains("`BOOKINGS.room_id` already references `ROOMS`"), "{}", d.message);
    assert_eq!(d.related[0].span.line, 3);
}

#[test]
fn two_fk_attributes_share_two_lines_to_one_parent() {
    let p = run("```mermaid\nerDiagram\n  USERS ||--o{ TASKS : creates\n  USERS ||--o{ TASKS : \"is assigned\"\n  USERS {\n    int id PK\n  }\n  TASKS {\n    int id PK\n    int created_by FK\n    int assignee FK\n  }\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(fk(&p, "tasks", "created_by").unwrap().origin.line, 3);
    assert_eq!(fk(&p, "tasks", "assignee").unwrap().origin.line, 4);
}

#[test]
fn spans_cover_the_name() {
    let p =
        run("```mermaid\nerDiagram\n  EMPTY { }\n  T {\n    int id PK\n    int owner FK\n    starts_at\n  }\n```\n");
    let spans: Vec<(&str, u32, u32, u32)> =
        p.diagnostics.iter().map(|d| (d.rule, d.span.line, d.span.column, d.span.len)).collect();
    assert_eq!(
        spans,
        [
            ("mermaid-syntax-error", 7, 5, 9),
            ("mermaid-entity-without-attributes", 3, 3, 5),
            ("mermaid-foreign-key-target-unknown", 6, 9, 5),
        ]
    );
}

#[test]
fn names_match_case_insensitively_and_by_plural() {
    let p = run("```mermaid\nerDiagram\n  user ||--o{ COMMENTS : writes\n  Users { string id PK }\n  comments { string id PK\n  string user_id FK }\n```\n");
    let f = fk(&p, "comments", "user_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred), ("Users", false));
}

#[test]
fn self_reference_and_unknown_entities_do_not_panic() {
    let p = run("```mermaid\nerDiagram\n  EMPLOYEE ||--o{ EMPLOYEE : manages\n  GHOST ||--|| EMPLOYEE : haunts\n  EMPLOYEE {\n    int id PK\n    int manager_id FK\n  }\n```\n");
    let f = fk(&p, "employee", "manager_id").unwrap();
    assert_eq!(f.ref_table, "EMPLOYEE");
}

#[test]
fn other_diagrams_and_broken_text_are_harmless() {
    let p = run("```mermaid\ngraph TD\n  A[users] --> B\n```\n");
    assert!(p.schema.tables.is_empty() && p.diagnostics.is_empty());
    let garbled = "```mermaid\nerDiagram\n  A ||--o{ \n  B { string\n  \"x\" }\n  C }|..|{ D\n  ||--|| :\n  E[\"x\n  F {\n    int(3 a PK\n```\n";
    for cut in 0..garbled.len() {
        if garbled.is_char_boundary(cut) {
            let _ = run(&garbled[..cut]);
        }
    }
    let p = run(garbled);
    assert!(p.diagnostics.iter().any(|d| d.rule == "mermaid-syntax-error"));
}

#[test]
fn rules_are_documented() {
    for r in RULES {
        assert!(r.doc.contains("Why it matters"), "{}", r.name);
    }
}

#[test]
fn fk_attributes_pair_with_lines_by_label() {
    let p = run("```mermaid\nerDiagram\n  \"Member\" { String id PK }\n  \"Cuisine\" { String code PK }\n  \"Recipe\" {\n    String id PK\n    String cookId FK\n    String cuisineCode FK \"ON DELETE CASCADE\"\n  }\n  \"Recipe\" }o--|| \"Member\" : cook\n  \"Recipe\" }o--|| \"Cuisine\" : cuisine\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = fk(&p, "Recipe", "cookId").unwrap();
    assert_eq!(
        (f.ref_table.as_str(), f.ref_columns.as_slice(), f.inferred, f.origin.line),
        ("Member", &["id".to_string()][..], false, 10)
    );
    let f = fk(&p, "Recipe", "cuisineCode").unwrap();
    assert_eq!(
        (f.ref_table.as_str(), f.ref_columns.as_slice(), f.inferred),
        ("Cuisine", &["code".to_string()][..], false)
    );
    assert_eq!(f.on_delete, Some(model::ReferentialAction::Cascade));
}

#[test]
fn fk_attributes_pair_by_stem_then_by_elimination() {
    let p = run("```mermaid\nerDiagram\n  rooms ||--o{ notes : holds\n  people ||--o{ notes : writes\n  rooms { INT id PK }\n  people { INT id PK }\n  notes {\n    INT id PK\n    INT room_id FK \"room\"\n    INT writer_id FK \"author, on delete set null\"\n  }\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(fk(&p, "notes", "room_id").unwrap().ref_table, "rooms");
    let f = fk(&p, "notes", "writer_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred, f.origin.line), ("people", false, 4));
    assert_eq!(f.on_delete, Some(model::ReferentialAction::SetNull));
}

#[test]
fn ambiguous_pairings_are_still_reported() {
    // Two attributes that name nothing, two lines to two parents: nothing tells them apart.
    let p = run("```mermaid\nerDiagram\n  A ||--o{ C : x\n  B ||--o{ C : y\n  A { int id PK }\n  B { int id PK }\n  C {\n    int id PK\n    int first FK\n    int second FK\n  }\n```\n");
    let rules: Vec<&str> = p.diagnostics.iter().map(|d| d.rule).collect();
    assert_eq!(rules.iter().filter(|r| **r == "mermaid-foreign-key-target-unknown").count(), 2, "{rules:?}");
}

#[test]
fn a_label_that_is_the_attributes_name_pairs_them() {
    // As schemadoc's own Mermaid export labels its lines: the FK columns.
    let p = run("```mermaid\nerDiagram\n  prompt_templates { uuid id PK }\n  agent_jobs { uuid id PK }\n  personas {\n    uuid id PK\n    uuid template_id FK\n    uuid generation_job_id FK\n  }\n  prompt_templates |o..o{ personas : \"template_id\"\n  agent_jobs |o..o{ personas : \"generation_job_id\"\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = fk(&p, "personas", "template_id").unwrap();
    assert_eq!((f.ref_table.as_str(), f.inferred), ("prompt_templates", false));
    assert_eq!(fk(&p, "personas", "generation_job_id").unwrap().ref_table, "agent_jobs");
}

#[test]
fn a_line_labelled_with_several_fk_attributes_is_one_composite_foreign_key() {
    let p = run("```mermaid\nerDiagram\n  stock_items {\n    int warehouse_id PK\n    text sku PK\n  }\n  movements {\n    int id PK\n    int warehouse_id FK\n    text sku FK\n  }\n  stock_items ||..o{ movements : \"warehouse_id, sku\"\n```\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = p.schema.tables.iter().find(|t| t.name == "movements").unwrap();
    assert_eq!(t.foreign_keys.len(), 1, "{:?}", t.foreign_keys);
    let f = &t.foreign_keys[0];
    assert_eq!(
        (f.columns.join(","), f.ref_table.as_str(), f.ref_columns.join(",")),
        ("warehouse_id,sku".into(), "stock_items", "warehouse_id,sku".into())
    );
}

#[test]
fn a_dotted_entity_name_is_a_table_of_a_database_schema() {
    let p = run("```mermaid\nerDiagram\n  \"orchard.trees\" {\n    bigint id PK\n  }\n  \"orchard.harvests\" {\n    bigint id PK\n    bigint tree_id FK\n  }\n  \"orchard.trees\" ||..o{ \"orchard.harvests\" : \"tree_id\"\n```\n");
    let t = p.schema.tables.iter().find(|t| t.name == "harvests").unwrap();
    assert_eq!(t.namespace.as_deref(), Some("orchard"));
    assert_eq!(t.foreign_keys[0].ref_table, "orchard.trees");
}
