use super::*;
use crate::scan::scan;
use model::{DefaultValue, Identity, ReferentialAction, Table, TypeKind};
use std::sync::Arc;

fn run(texts: &[&str]) -> Read {
    let docs: Vec<Document> = texts.iter().enumerate().map(|(i, t)| scan(format!("doc{i}.md").into(), t)).collect();
    extract(&docs)
}

fn rules(p: &Partial) -> Vec<(&'static str, u32, u32)> {
    p.diagnostics.iter().map(|d| (d.rule, d.span.line, d.span.column)).collect()
}

fn table<'a>(p: &'a Partial, name: &str) -> &'a Table {
    p.schema.table(name).unwrap_or_else(|| panic!("no table {name}: {:?}", p.schema.tables))
}

const SHOP: &str = r#"# Shop

```dbml
Project shop {
  database_type: 'PostgreSQL'
  Note: 'Orders and products'
}

// Customers
Table core.users as U [headercolor: #3498db, note: 'people who buy'] {
  id integer [pk, increment]
  email "varchar(255)" [not null, unique, note: 'login']
  status core.user_status [default: 'active']
  score decimal(10,2) [default: 0.5]
  tags text[]
  active boolean [default: true, null]
  created_at timestamp [default: `now()`, not null]
  Note: '''
    A registered customer.
    Never deleted.
  '''
}

Enum core.user_status {
  active [note: 'can buy']
  banned
}

/* products
   and orders */
Table products {
  id int [primary key]
  merchant_id int [not null]
  country_code char(2)
  name varchar [check: `length(name) > 0`]

  Indexes {
    (merchant_id, country_code) [name: 'product_merchant', unique]
    name [type: hash]
    `lower(name)`
    (merchant_id, `lower(name)`)
  }
}

Table order_items {
  order_id int
  product_id int [ref: > products.id]
  quantity int [default: -1]

  Indexes {
    (order_id, product_id) [pk]
  }
  Checks {
    `quantity > 0` [name: 'positive_quantity']
  }
}

Table orders {
  id int [pk]
  user_id int [not null]
}

Ref: order_items.order_id > orders.id [delete: cascade, update: set null]
Ref user_orders {
  orders.user_id > U.id
}
```
"#;

#[test]
fn tables_columns_and_settings() {
    let r = run(&[SHOP]);
    let p = &r.partial;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(r.dialect, Some(SqlFlavor::Postgres));
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["users", "products", "order_items", "orders"]);
    let users = table(p, "users");
    assert_eq!(users.namespace.as_deref(), Some("core"));
    assert_eq!((users.origin.line, users.origin.column), (10, 7));
    assert_eq!(users.origin.notation, Notation::Dbml);
    assert_eq!(users.comment.as_deref(), Some("A registered customer.\nNever deleted."));
    let id = users.column("id").unwrap();
    assert_eq!((id.identity, id.nullable), (Some(Identity::Serial), false));
    assert_eq!(users.primary_key.as_ref().unwrap().columns, ["id"]);
    let email = users.column("email").unwrap();
    assert_eq!(email.ty.kind, TypeKind::Varchar { len: Some(255) });
    assert_eq!(email.ty.spelling, "varchar(255)");
    assert_eq!((email.nullable, email.comment.as_deref()), (false, Some("login")));
    assert_eq!(users.uniques[0].columns, ["email"]);
    let status = users.column("status").unwrap();
    assert_eq!(status.ty.kind, TypeKind::Enum { name: "user_status".into() });
    assert_eq!(status.default, Some(DefaultValue::String("active".into())));
    let score = users.column("score").unwrap();
    assert_eq!(score.ty.kind, TypeKind::Decimal { precision: Some(10), scale: Some(2) });
    assert_eq!(score.default, Some(DefaultValue::Number("0.5".into())));
    assert_eq!(users.column("tags").unwrap().ty.kind, TypeKind::Array { of: Box::new(TypeKind::Text) });
    let active = users.column("active").unwrap();
    assert_eq!((active.default.clone(), active.nullable), (Some(DefaultValue::Bool(true)), true));
    let created = users.column("created_at").unwrap();
    assert_eq!(created.default, Some(DefaultValue::CurrentTimestamp));
    assert!(!created.nullable);
    assert_eq!(p.schema.enums[0].name, "user_status");
    assert_eq!(p.schema.enums[0].values, ["active", "banned"]);
    assert_eq!(table(p, "order_items").column("quantity").unwrap().default, Some(DefaultValue::Number("-1".into())));
}

#[test]
fn indexes_checks_and_composite_primary_keys() {
    let r = run(&[SHOP]);
    let p = &r.partial;
    let products: Vec<_> = p.schema.indexes_of("products").collect();
    assert_eq!(products.len(), 4);
    assert_eq!(products[0].name.as_deref(), Some("product_merchant"));
    assert!(products[0].unique);
    assert_eq!(products[0].leading_columns(), ["merchant_id", "country_code"]);
    assert_eq!(products[1].method.as_deref(), Some("hash"));
    assert_eq!(products[2].parts[0].expr.as_deref(), Some("lower(name)"));
    assert_eq!(products[3].leading_columns(), ["merchant_id"]);
    assert_eq!(products[3].parts[1].expr.as_deref(), Some("lower(name)"));
    let check = &table(p, "products").checks[0];
    assert_eq!((check.expr.as_str(), check.columns.clone()), ("length(name) > 0", vec!["name".to_string()]));
    let items = table(p, "order_items");
    assert_eq!(items.primary_key.as_ref().unwrap().columns, ["order_id", "product_id"]);
    assert!(!items.column("order_id").unwrap().nullable);
    assert_eq!(items.checks[0].name.as_deref(), Some("positive_quantity"));
    assert_eq!(items.checks[0].columns, ["quantity"]);
}

#[test]
fn refs_become_foreign_keys_on_the_many_side() {
    let r = run(&[SHOP]);
    let p = &r.partial;
    let items = table(p, "order_items");
    let fks: Vec<(&[String], &str, &[String])> =
        items.foreign_keys.iter().map(|f| (&f.columns[..], f.ref_table.as_str(), &f.ref_columns[..])).collect();
    assert_eq!(fks.len(), 2);
    assert_eq!(fks[0], (&["product_id".to_string()][..], "products", &["id".to_string()][..]));
    let order_fk = &items.foreign_keys[1];
    assert_eq!(order_fk.ref_table, "orders");
    assert_eq!(
        (order_fk.on_delete, order_fk.on_update),
        (Some(ReferentialAction::Cascade), Some(ReferentialAction::SetNull))
    );
    // Through the alias `U`, with the `Ref`'s name.
    let orders = table(p, "orders");
    assert_eq!(orders.foreign_keys[0].ref_table, "core.users");
    assert_eq!(orders.foreign_keys[0].name.as_deref(), Some("user_orders"));
}

#[test]
fn relationship_directions_and_composites() {
    let md = "```dbml\nTable a {\n  id int [pk]\n  code int\n  b_id int [ref: - b.id]\n}\nTable b {\n  id int [pk]\n  code int\n}\nTable c {\n  a_id int\n  a_code int\n}\nRef: a.id < c.a_id\nRef: b.id - a.code\nRef: c.(a_id, a_code) > a.(id, code)\nRef: a.id <> b.id\n```\n";
    let r = run(&[md]);
    let p = &r.partial;
    assert_eq!(rules(p), [(DBML_MANY_TO_MANY.name, 18, 11)]);
    let a = table(p, "a");
    // `a.b_id - b.id`: b.id is b's key, so a holds the key; `b.id - a.code`: the same.
    let a_fks: Vec<(&str, &str)> =
        a.foreign_keys.iter().map(|f| (f.columns[0].as_str(), f.ref_table.as_str())).collect();
    assert_eq!(a_fks, [("b_id", "b"), ("code", "b")]);
    let c = table(p, "c");
    assert_eq!(c.foreign_keys[0].columns, ["a_id"]);
    assert_eq!(c.foreign_keys[1].columns, ["a_id", "a_code"]);
    assert_eq!(c.foreign_keys[1].ref_columns, ["id", "code"]);
    assert!(table(p, "b").foreign_keys.is_empty(), "many-to-many makes no foreign key");
}

#[test]
fn partials_groups_and_schema_qualified_refs() {
    let md = "```dbml\nTablePartial stamps [note: 'audited'] {\n  created_at timestamp [not null]\n  id bigint [pk]\n  Indexes {\n    created_at\n  }\n}\nTable billing.invoices {\n  id uuid [pk]\n  ~stamps\n  total decimal(12, 2)\n}\nTable public.customers {\n  id int [pk]\n}\nTable invoice_lines {\n  invoice_id uuid [ref: > billing.invoices.id]\n  customer_id int\n}\nRef: invoice_lines.customer_id > public.customers.id\nTableGroup money {\n  billing.invoices\n  invoice_lines\n  Note: 'everything billed'\n}\n```\n";
    let r = run(&[md]);
    let p = &r.partial;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let inv = table(p, "invoices");
    let cols: Vec<&str> = inv.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["id", "created_at", "total"], "own `id` wins over the partial's");
    assert_eq!(inv.column("id").unwrap().ty.kind, TypeKind::Uuid);
    assert_eq!(inv.comment.as_deref(), Some("audited"));
    assert_eq!(inv.group.as_deref(), Some("money"));
    assert_eq!(p.schema.indexes_of("invoices").count(), 1);
    let lines = table(p, "invoice_lines");
    assert_eq!(lines.group.as_deref(), Some("money"));
    assert_eq!(lines.foreign_keys[0].ref_table, "billing.invoices");
    assert_eq!(lines.foreign_keys[1].ref_table, "customers");
    assert_eq!(table(p, "customers").group, None);
}

#[test]
fn errors_are_reported_where_written_and_reading_goes_on() {
    let md = "```dbml\nTable users {\n  id int [pk\n  email varchar [uniqe]\n  name\n  'bad line'\n}\n\nTable posts {\n  id int [pk]\n  author_id int [ref: > user.id]\n  body text [default]\n\nTable tags {\n  id int [pk]\n}\nRef: tags.id > posts.nope\nTableGroup g {\n  missing\n}\nnonsense here\n```\n";
    let r = run(&[md]);
    let p = &r.partial;
    let found = rules(p);
    let expect = [
        (DBML_SYNTAX_ERROR.name, 3, 10),
        (DBML_UNKNOWN_SETTING.name, 4, 18),
        (DBML_SYNTAX_ERROR.name, 5, 7),
        (DBML_SYNTAX_ERROR.name, 6, 3),
        (DBML_SYNTAX_ERROR.name, 9, 13),
        (DBML_SYNTAX_ERROR.name, 12, 14),
        (DBML_INVALID_REFERENCE.name, 11, 25),
        (DBML_INVALID_REFERENCE.name, 17, 22),
        (DBML_INVALID_REFERENCE.name, 19, 3),
        (DBML_SYNTAX_ERROR.name, 21, 1),
    ];
    for e in expect {
        assert!(found.contains(&e), "missing {e:?} in {found:#?}");
    }
    let typo = p.diagnostics.iter().find(|d| d.span.line == 11).expect("the misspelt table");
    assert_eq!(typo.help.as_deref(), Some("did you mean `users`?"));
    // Everything readable is kept: the table after an unclosed one, the column after a bad one.
    let names: Vec<&str> = p.schema.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["users", "posts", "tags"]);
    let users = table(p, "users");
    assert!(users.column("email").is_some() && users.column("name").is_none());
    assert!(users.uniques.is_empty());
}

#[test]
fn duplicates_are_reported_and_the_first_kept() {
    let a = "```dbml\nTable users {\n  id int [pk]\n  id bigint\n}\nEnum mood {\n  happy\n  happy\n}\n```\n";
    let b = "```dbml\nTable users {\n  id text\n}\nEnum mood {\n  sad\n}\n```\n";
    let r = run(&[a, b]);
    let p = &r.partial;
    let mut dups: Vec<(&str, u32)> = p
        .diagnostics
        .iter()
        .filter(|d| d.rule == DBML_DUPLICATE_DEFINITION.name)
        .map(|d| (&*d.span.file, d.span.line))
        .collect();
    dups.sort();
    assert_eq!(dups, [("doc0.md", 4), ("doc0.md", 8), ("doc1.md", 2), ("doc1.md", 5)]);
    assert_eq!(p.schema.tables.len(), 1);
    assert_eq!(table(p, "users").column("id").unwrap().ty.kind, TypeKind::Int { bytes: 4 });
    assert_eq!(p.schema.enums[0].values, ["happy"]);
}

#[test]
fn records_are_skipped_with_a_note() {
    let md = "```dbml\nTable users {\n  id int [pk]\n}\nRecords users(id) {\n  1\n}\n```\n";
    let r = run(&[md]);
    assert_eq!(rules(&r.partial), [(DBML_SKIPPED.name, 5, 1)]);
    assert_eq!(r.partial.schema.tables.len(), 1);
}

#[test]
fn unlabelled_blocks_are_read_only_when_they_are_dbml() {
    assert!(looks_like_dbml("// schema\nTable users {\n  id int [pk]\n}\n"));
    assert!(looks_like_dbml("Enum status {\n  a\n}\nTable t {\n  s status\n}\n"));
    assert!(looks_like_dbml("Ref: posts.user_id > users.id\nTable users {\n id int\n}\n"));
    assert!(looks_like_dbml("table users { // 회원\n  id int\n}\n"));
    // Prisma, SQL, Mermaid and prose are not DBML.
    assert!(!looks_like_dbml("enum Role {\n  USER\n}\nmodel User {\n  id Int @id\n}\n"));
    assert!(!looks_like_dbml("enum Role {\n  USER\n  ADMIN\n}\n"));
    assert!(!looks_like_dbml("CREATE TABLE users (id INT);\n"));
    assert!(!looks_like_dbml("erDiagram\n  USERS {\n    int id\n  }\n"));
    assert!(!looks_like_dbml("Table users\nTable orders\n"));
    assert!(!looks_like_dbml("Ref: see the section above\nTable: users {\n"));
    assert!(!looks_like_dbml(""));
}

#[test]
fn text_labelled_blocks_with_dbml_are_read_and_marked() {
    let md = "# Notes\n\n```text\nTable kilns {\n  id int [pk]\n}\n```\n\n```text\nTable of contents\n```\n";
    let r = run(&[md]);
    assert_eq!(r.partial.schema.tables.len(), 1);
    assert!(r.partial.read.contains(&(Arc::from("doc0.md"), 3)));
    assert!(!r.partial.read.contains(&(Arc::from("doc0.md"), 9)));
}

#[test]
fn korean_notes_keep_positions_in_characters() {
    let md = "# 설계\n\n```\nTable 회원 [note: '가입한 사람'] {\n  아이디 int [pk, note: '식별자']\n  이름 varchar(20) [not null]\n  등급 int [ref: > 등급표.번호]\n}\nTable 등급표 {\n  번호 int [pk]\n}\n```\n";
    let r = run(&[md]);
    let p = &r.partial;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = table(p, "회원");
    assert_eq!(t.comment.as_deref(), Some("가입한 사람"));
    let c = t.column("이름").unwrap();
    assert_eq!((c.origin.line, c.origin.column, c.nullable), (6, 3, false));
    assert_eq!(t.foreign_keys[0].ref_table, "등급표");
}

#[test]
fn settings_may_span_lines_and_strings_escape_quotes() {
    let md = "```dbml\nTable notes {\n  id int [\n    pk,\n    increment\n  ]\n  body text [note: 'it\\'s \"fine\"']\n  \"user name\" varchar\n}\n```\n";
    let r = run(&[md]);
    let p = &r.partial;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let t = table(p, "notes");
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["id"]);
    assert_eq!(t.column("id").unwrap().identity, Some(Identity::Serial));
    assert_eq!(t.column("body").unwrap().comment.as_deref(), Some("it's \"fine\""));
    assert!(t.column("user name").is_some());
}

#[test]
fn unclosed_strings_and_comments_do_not_swallow_the_document() {
    for text in [
        "```dbml\nTable a {\n  x int [note: 'open\n}\n```\n",
        "```dbml\n/* open\nTable a {\n```\n",
        "```dbml\nTable a {\n  n text [note: '''never\n```\n",
        "```dbml\nRef: a.(x, > b.\n```\n",
        "```dbml\nTable\n```\n",
    ] {
        let r = run(&[text]);
        assert!(
            r.partial.diagnostics.iter().any(|d| d.rule == DBML_SYNTAX_ERROR.name),
            "{text}: {:?}",
            r.partial.diagnostics
        );
    }
}
